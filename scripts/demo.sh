#!/usr/bin/env bash
# The main job, from a fresh Debian machine as root: prepares the host, builds Shoal, starts a
# `shoal daemon`, makes it a one-node swarm and runs a demo web service of 3 replicas in Docker
# containers, then shows it converged and answering. The daemon keeps running afterwards;
# stop it with: kill $(cat /run/shoal-demo/daemon.pid)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh

state=/run/shoal-demo
mkdir -p "$state"
export SHOAL_HOST="unix://$state/shoal.sock"
./shoal version >/dev/null 2>&1 || true   # builds on first use (no daemon answers yet)

if [ -f "$state/daemon.pid" ] && kill -0 "$(cat "$state/daemon.pid")" 2>/dev/null; then
  echo "[demo] a demo daemon is already running (pid $(cat "$state/daemon.pid"))"
else
  echo "[demo] starting shoal daemon (log: $state/daemon.log)"
  setsid ./shoal daemon --data-dir /var/lib/shoal-demo --socket "$state/shoal.sock" >"$state/daemon.log" 2>&1 &
  echo $! > "$state/daemon.pid"
  for _ in $(seq 1 120); do
    ./shoal info >/dev/null 2>&1 && break
    sleep 0.5
  done
fi

if ! ./shoal swarm inspect >/dev/null 2>&1; then
  ./shoal swarm init --advertise-addr 127.0.0.1
fi
if ./shoal service inspect demo >/dev/null 2>&1; then
  ./shoal service scale demo=3
else
  ./shoal service create --name demo --replicas 3 shoal-test/busybox:latest httpd -f -p 80 -h /www
fi
echo
./shoal service ls
echo
./shoal service ps demo
echo
echo "[demo] each replica answers on its container address:"
for id in $(docker ps -q --filter label=com.docker.swarm.service.name=demo); do
  ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$id")
  printf '  %s (%s): %s\n' "$(docker inspect -f '{{.Name}}' "$id" | cut -c2-)" "$ip" "$(curl -s --max-time 2 "http://$ip/")"
done
echo
echo "[demo] try: SHOAL_HOST=$SHOAL_HOST ./shoal service scale demo=5"
echo "[demo] stop: kill \$(cat $state/daemon.pid)"
