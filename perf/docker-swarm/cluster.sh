#!/usr/bin/env bash
# Docker Swarm mode's cluster figures on this machine, as the reference for Shoal's (perf/cluster.sh):
# several dockerd instances, each in its own network namespace on a private virtual LAN made here.
#
#   bash perf/docker-swarm/cluster.sh failover --trials 20   # leader failover, 3 managers (8-10 min)
#   bash perf/docker-swarm/cluster.sh join --trials 5        # `docker swarm join` of a 4th dockerd (~20 s)
#   bash perf/docker-swarm/cluster.sh writes                 # store writes through the Engine API (~30 s)
#   bash perf/docker-swarm/cluster.sh failover join writes --trials 5
#
# Every figure ends in one machine-readable line (numbers only):
#   RESULT failover.median=… failover.max=… failover.min=… failover.trials=… failover.failed=…
#   RESULT join.seconds=… join.max=… join.min=… join.trials=…
#   RESULT writes.netcreate.seq.per.s=… writes.update.1.per.s=… writes.update.parallel.per.s=… …
#
# Options:
#   --trials N            failover trials (default 20) and join trials (default 5)
#   --failover-trials N, --join-trials N   the same, separately
#   --poll-ms MS          failover: a new write attempt every MS ms (default 100)
#   --in-flight K         failover: at most K write attempts at once (default 100, never reached with
#                         the defaults: 5 s / 100 ms = 50; 1 = strictly serial, see README)
#   --attempt-timeout-s S failover: one write attempt is abandoned after S s (default 5)
#   --max-wait-s S        failover: give up on a trial after S s without a write (default 120)
#   --settle-s S          failover: quiet time after the 3 managers are back, before the next kill (default 2)
#   --role worker|manager join: the token used (default worker)
#   --join-managers M     join: managers in the swarm the 4th node joins (default 3)
#   --count N             writes: network creates, one after another (default 200)
#   --parallel P          writes: clients of the parallel service-update phase (default 64)
#   --seconds S           writes: length of each service-update phase (default 5)
#   --write-managers M    writes: managers in the swarm (default 3; 1 gives the single-member figure)
#   --max-minutes M       the whole run is ended (with clean-up) after M minutes (default 30)
#   --keep-logs DIR       copy the dockerd logs and the failover attempt records to DIR before clean-up
#
# Network: every node has 10.A.B.i/24 on a veth whose other end is on a bridge inside a hub
# namespace; A.B is a random /24 in 10.200.0.0–10.249.255.0 used by no address or route of the host
# (root namespace or any named namespace). No link or address is made in the root namespace and no
# node has a default route; the CLI talks to every dockerd through its unix socket only.
# dockerd runs under `nsenter --net` + `unshare --mount --uts --propagation slave`, not `ip netns exec`:
# the latter remounts /sys, which hides the cgroup v1 mounts and dockerd refuses to start
# ("Devices cgroup isn't mounted"). Its own mount namespace keeps its mounts out of the host's.
# Clean-up (exit, Ctrl-C, SIGTERM): the processes started here (recorded PIDs, and the processes in
# the namespaces made here), those namespaces, anything mounted under the temporary directory, and
# that directory. The host's dockerd (/var/run/docker.sock) is never used or touched.
set -uo pipefail
export LC_ALL=C
SELF=$(basename "$0")

log() { printf '[docker-swarm %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*"; exit 1; }

# ---- options ------------------------------------------------------------------------------------
WHAT=()
FO_TRIALS=20; JOIN_TRIALS=5
POLL_MS=100; IN_FLIGHT=100; ATTEMPT_S=5; MAX_WAIT_S=120; SETTLE_S=2
ROLE=worker; JOIN_MANAGERS=3
COUNT=200; PARALLEL=64; WRITE_SECONDS=5; WRITE_MANAGERS=3
MAX_MINUTES=30; KEEP_LOGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    failover|join|writes) WHAT+=("$1"); shift ;;
    --trials) FO_TRIALS=$2; JOIN_TRIALS=$2; shift 2 ;;
    --failover-trials) FO_TRIALS=$2; shift 2 ;;
    --join-trials) JOIN_TRIALS=$2; shift 2 ;;
    --poll-ms) POLL_MS=$2; shift 2 ;;
    --in-flight) IN_FLIGHT=$2; shift 2 ;;
    --attempt-timeout-s) ATTEMPT_S=$2; shift 2 ;;
    --max-wait-s) MAX_WAIT_S=$2; shift 2 ;;
    --settle-s) SETTLE_S=$2; shift 2 ;;
    --role) ROLE=$2; shift 2 ;;
    --join-managers) JOIN_MANAGERS=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --parallel) PARALLEL=$2; shift 2 ;;
    --seconds) WRITE_SECONDS=$2; shift 2 ;;
    --write-managers) WRITE_MANAGERS=$2; shift 2 ;;
    --max-minutes) MAX_MINUTES=$2; shift 2 ;;
    --keep-logs) KEEP_LOGS=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "$SELF: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#WHAT[@]} -gt 0 ] || { echo "usage: bash $0 failover|join|writes ... [--trials N] (see --help)" >&2; exit 2; }
for v in FO_TRIALS JOIN_TRIALS POLL_MS IN_FLIGHT ATTEMPT_S MAX_WAIT_S SETTLE_S JOIN_MANAGERS COUNT PARALLEL WRITE_SECONDS WRITE_MANAGERS MAX_MINUTES; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 0 ] || { echo "$SELF: $v must be a whole number" >&2; exit 2; }
done
[ "$IN_FLIGHT" -ge 1 ] && [ "$POLL_MS" -ge 10 ] && [ "$JOIN_MANAGERS" -ge 1 ] && [ "$PARALLEL" -ge 1 ] \
  && [ "$WRITE_MANAGERS" -ge 1 ] && [ "$WRITE_SECONDS" -ge 1 ] && [ "$COUNT" -ge 1 ] \
  || { echo "$SELF: --in-flight, --*-managers, --parallel, --seconds, --count >= 1; --poll-ms >= 10" >&2; exit 2; }
case "$ROLE" in worker|manager) ;; *) echo "$SELF: --role worker|manager" >&2; exit 2 ;; esac

[ "$(id -u)" -eq 0 ] || { echo "$SELF: run as root (network namespaces, dockerd)" >&2; exit 1; }
for c in dockerd containerd docker ip nsenter unshare timeout awk hostname mktemp; do
  command -v "$c" >/dev/null || { echo "$SELF: '$c' not found" >&2; exit 1; }
done
[ -n "${EPOCHREALTIME:-}" ] || { echo "$SELF: needs bash >= 5 (EPOCHREALTIME)" >&2; exit 1; }

# ---- state and clean-up ---------------------------------------------------------------------------
WORK=""; NS_BASE=""; HUB=""
NS_MADE=()            # namespaces this run created (deleted at the end, in reverse order)
declare -A DPID=()    # node -> pid of its current dockerd
declare -A NODEID=()  # node -> swarm node id
ALL_PIDS=()           # every dockerd/containerd pid started here
ATTEMPT_PIDS=()       # failover write attempts in the background
WATCHDOG=""
CLEANED=""
CURRENT=""

children() { cat /proc/"$1"/task/*/children 2>/dev/null; }
kill_tree() { # $1 pid, $2 signal: the process and its descendants, by pid
  local p c
  for c in $(children "$1"); do kill_tree "$c" "$2"; done
  kill "-$2" "$1" 2>/dev/null || true
}
ours() { # is pid $1 a process of this run? (guards against pid reuse)
  [ -r /proc/"$1"/cmdline ] && tr '\0' ' ' < /proc/"$1"/cmdline 2>/dev/null | grep -qF -- "$WORK/"
}

cleanup() {
  [ -n "$CLEANED" ] && return
  CLEANED=1
  [ -n "$WORK" ] || return
  log "clean-up: processes, namespaces, mounts and $WORK"
  local p ns pids=() i
  for p in "${ATTEMPT_PIDS[@]}"; do kill_tree "$p" TERM; done
  for p in "${ALL_PIDS[@]}"; do ours "$p" && pids+=("$p"); done
  for ns in "${NS_MADE[@]}"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do pids+=("$p"); done   # only processes started here live there
  done
  if [ ${#pids[@]} -gt 0 ]; then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for i in $(seq 50); do         # up to 5 s for a graceful stop
      local alive=0
      for p in "${pids[@]}"; do [ -d /proc/"$p" ] && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.1
    done
    for p in "${pids[@]}"; do [ -d /proc/"$p" ] && kill -KILL "$p" 2>/dev/null; done
    for i in $(seq 50); do
      local alive=0
      for p in "${pids[@]}"; do [ -d /proc/"$p" ] && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.1
    done
  fi
  # dockerd mounts inside its own mount namespace; anything that still shows here is unmounted
  local m
  for m in $(awk -v w="$WORK/" 'index($2, w) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -R "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
  done
  for ((i = ${#NS_MADE[@]} - 1; i >= 0; i--)); do ip netns del "${NS_MADE[$i]}" 2>/dev/null || log "could not delete namespace ${NS_MADE[$i]}"; done
  if [ -n "$KEEP_LOGS" ]; then
    local keep="$KEEP_LOGS/$CURRENT"
    mkdir -p "$keep" && for d in "$WORK"/n*; do
      [ -f "$d/dockerd.log" ] && cp "$d/dockerd.log" "$keep/$(basename "$d")-dockerd.log"
    done
    [ -d "$WORK/fo" ] && cp -r "$WORK/fo" "$keep/failover-attempts"
    log "logs kept in $keep"
  fi
  if awk -v w="$WORK/" 'index($2, w) == 1 {f=1} END {exit !f}' /proc/mounts; then
    log "something is still mounted under $WORK; not removing it"
  else
    rm -rf "$WORK"
  fi
  log "clean-up done"
}
on_exit() {
  trap '' INT TERM
  cleanup
  [ -n "$WATCHDOG" ] && kill_tree "$WATCHDOG" KILL
}
trap on_exit EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ---- helpers ------------------------------------------------------------------------------------
now() { echo "$EPOCHREALTIME"; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a - b}'; }
stats() { # numbers on stdin -> "median max min count"
  sort -g | awk '{v[NR] = $1} END {
    if (NR == 0) {print "nan nan nan 0"; exit}
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.3f %.3f %.3f %d\n", m, v[NR], v[1], NR }'
}
sock() { echo "$WORK/n$1/docker.sock"; }
dk() { # dk NODE args...: the docker CLI on that node's unix socket, bounded
  local n=$1; shift
  timeout -k 2 30 docker -H "unix://$(sock "$n")" "$@"
}
ip_of() { echo "$NET.$1"; }

# ---- the private LAN ------------------------------------------------------------------------------
used_prefixes() { # every IPv4 address and route prefix of the root namespace and of the named namespaces
  local nss ns
  nss=$(ip netns list 2>/dev/null | awk '{print $1}')
  { ip -4 -o addr show; for ns in $nss; do ip -n "$ns" -4 -o addr show 2>/dev/null; done; } | awk '{print $4}'
  { ip -4 route show table all; for ns in $nss; do ip -n "$ns" -4 route show table all 2>/dev/null; done; } \
    | awk '{t = $1; if (t ~ /^(local|broadcast|unicast|unreachable|blackhole|prohibit|throw|multicast|anycast|nat)$/) t = $2
            if (t != "default") print t}'
}
pick_net() { # a /24 in 10.200-249.x.0 that overlaps none of used_prefixes
  local used a b k
  used=$(used_prefixes)
  for k in $(seq 200); do
    a=$((200 + RANDOM % 50)); b=$((RANDOM % 256))
    if ! echo "$used" | awk -v c="10.$a.$b.0" '
        function n(s, p) {split(s, p, "."); return ((p[1] * 256 + p[2]) * 256 + p[3]) * 256 + p[4]}
        BEGIN {cn = n(c)}
        {split($1, q, "/"); if (q[1] !~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/) next
         len = (q[2] == "") ? 32 : q[2]; m = (len < 24) ? len : 24; d = 2 ^ (32 - m)
         if (int(n(q[1]) / d) == int(cn / d)) f = 1}
        END {exit !f}'; then
      echo "10.$a.$b"; return 0
    fi
  done
  return 1
}

make_lan() { # $1 = number of nodes
  local n=$1 i ns
  NET=$(pick_net) || die "no free /24 in 10.200.0.0/16-10.249.0.0/16"
  ip netns add "$HUB" || die "ip netns add $HUB"; NS_MADE+=("$HUB")
  ip -n "$HUB" link set lo up
  ip -n "$HUB" link add br0 type bridge || die "bridge in $HUB"
  ip -n "$HUB" link set br0 up
  for i in $(seq "$n"); do
    ns="$NS_BASE-n$i"
    ip netns add "$ns" || die "ip netns add $ns"; NS_MADE+=("$ns")
    ip -n "$ns" link add eth0 type veth peer name "v$i" netns "$HUB" || die "veth for $ns"
    ip -n "$HUB" link set "v$i" master br0 up
    ip -n "$ns" addr add "$(ip_of "$i")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  done
  log "LAN $NET.0/24: $n node namespaces $NS_BASE-n1..n$n on a bridge in $HUB (no default route anywhere)"
}

start_dockerd() { # $1 = node; (re)starts its dockerd and waits until its API answers
  local i=$1 pid k d ns
  d="$WORK/n$i"; ns="$NS_BASE-n$i"
  mkdir -p "$d"
  [ -f "$d/daemon.json" ] || echo '{}' > "$d/daemon.json"   # not /etc/docker/daemon.json
  rm -f "$d/pid"
  echo "---- start $(date -u +%FT%T.%NZ)" >> "$d/dockerd.log"
  nsenter --net="/run/netns/$ns" unshare --mount --uts --propagation slave -- \
    /bin/sh -c 'hostname "$0" && exec "$@"' "dsw-n$i" \
    dockerd --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/x" --pidfile "$d/pid" \
      -H "unix://$(sock "$i")" --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
      --userland-proxy=false >> "$d/dockerd.log" 2>&1 &
  pid=$!
  disown "$pid"    # no "Killed" job notice after kill -9; its end is watched through /proc
  DPID[$i]=$pid; ALL_PIDS+=("$pid")
  for k in $(seq 300); do     # up to 60 s
    [ -d /proc/"$pid" ] || { tail -5 "$d/dockerd.log"; die "dockerd of n$i exited at start (log above)"; }
    if [ -S "$(sock "$i")" ] && timeout 5 docker -H "unix://$(sock "$i")" version --format '{{.Server.Version}}' >/dev/null 2>&1; then
      local c; c=$(cat "$d/x/containerd/containerd.pid" 2>/dev/null) && [ -n "$c" ] && ALL_PIDS+=("$c")
      return 0
    fi
    sleep 0.2
  done
  die "dockerd of n$i did not answer within 60 s"
}

make_swarm() { # $1 = managers: n1 inits, n2..nM join as managers
  local m=$1 i
  dk 1 swarm init --advertise-addr "$(ip_of 1)" --listen-addr "$(ip_of 1):2377" >/dev/null || die "swarm init"
  MANAGER_TOKEN=$(dk 1 swarm join-token -q manager) || die "join-token manager"
  WORKER_TOKEN=$(dk 1 swarm join-token -q worker) || die "join-token worker"
  for i in $(seq 2 "$m"); do
    dk "$i" swarm join --token "$MANAGER_TOKEN" --advertise-addr "$(ip_of "$i")" --listen-addr "$(ip_of "$i"):2377" \
      "$(ip_of 1):2377" >/dev/null || die "n$i: swarm join as manager"
  done
  for i in $(seq "$m"); do NODEID[$i]=$(dk "$i" info --format '{{.Swarm.NodeID}}'); done
  await_managers 1 "$m" 60 || die "the swarm did not show $m reachable managers"
  log "swarm of $m manager(s): $(dk 1 node ls --format '{{.Hostname}}={{.ManagerStatus}}' | tr '\n' ' ')"
}

node_index() { # swarm node id -> node number (0 if unknown)
  local i
  for i in "${!NODEID[@]}"; do [ "${NODEID[$i]}" = "$1" ] && { echo "$i"; return; }; done
  echo 0
}
leader_via() { # $1 = node asked; prints the leader's node number, or fails
  local id
  id=$(timeout -k 1 5 docker -H "unix://$(sock "$1")" node ls --format '{{.ID}} {{.ManagerStatus}}' 2>/dev/null \
    | awk '$2 == "Leader" {print $1}') || return 1
  [ -n "$id" ] || return 1
  node_index "$id"
}
find_leader() { # asks every node whose dockerd runs; bounded 60 s
  local k i l
  for k in $(seq 120); do
    for i in "${!DPID[@]}"; do
      [ -d /proc/"${DPID[$i]}" ] || continue
      l=$(leader_via "$i") && [ "$l" != 0 ] && { echo "$l"; return 0; }
    done
    sleep 0.5
  done
  return 1
}
await_managers() { # $1 node asked, $2 count, $3 seconds: count managers Ready and Leader/Reachable, one Leader
  local asking=$1 want=$2 secs=$3 k out
  for k in $(seq $((secs * 5))); do
    out=$(timeout -k 1 5 docker -H "unix://$(sock "$asking")" node ls --format '{{.Status}} {{.ManagerStatus}}' 2>/dev/null)
    if [ "$(echo "$out" | grep -cE '^Ready (Leader|Reachable)$')" = "$want" ] && echo "$out" | grep -q ' Leader$'; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

# ---- failover ------------------------------------------------------------------------------------
FW_RESULT=""
first_write() { # $1 writer node, $2 trial, $3 t0 -> FW_RESULT="seconds attempts", or fails
  local w=$1 t=$2 t0=$3 d="$WORK/fo/t$2" n=0 k live=() p deadline pause
  FW_RESULT=""
  mkdir -p "$d"
  pause=$(awk -v m="$POLL_MS" 'BEGIN {printf "%.3f", m / 1000}')
  ATTEMPT_PIDS=()
  deadline=$(awk -v a="$t0" -v b="$MAX_WAIT_S" 'BEGIN {printf "%.6f", a + b}')
  for k in $(seq $((MAX_WAIT_S * 1000 / POLL_MS + 1))); do
    compgen -G "$d/ok.*" >/dev/null && break
    awk -v a="$(now)" -v b="$deadline" 'BEGIN {exit !(a > b)}' && break
    live=()
    for p in "${ATTEMPT_PIDS[@]}"; do [ -d /proc/"$p" ] && live+=("$p"); done
    ATTEMPT_PIDS=("${live[@]}")
    if [ "${#ATTEMPT_PIDS[@]}" -lt "$IN_FLIGHT" ]; then
      n=$((n + 1))
      ( trap "exit 0" TERM; a=$EPOCHREALTIME
        timeout -k 1 "$ATTEMPT_S" docker -H "unix://$(sock "$w")" network create --driver overlay "dsw-fo-$t-$n" \
          >/dev/null 2>"$d/err.$n"
        rc=$? b=$EPOCHREALTIME
        if [ $rc = 0 ]; then echo "$a $b" > "$d/.ok.$n" && mv "$d/.ok.$n" "$d/ok.$n"
        else echo "$a $b $rc" > "$d/fail.$n"; fi ) 2>/dev/null &
      ATTEMPT_PIDS+=($!)
      disown $!    # no job notices; its end is watched through /proc
    fi
    sleep "$pause"
  done
  # the attempts still under way are abandoned (each is a subshell, timeout and docker: by pid)
  for p in "${ATTEMPT_PIDS[@]}"; do kill_tree "$p" TERM; done
  for k in $(seq 50); do   # gone within 5 s (timeout -k 1 and the subshell's trap end them)
    live=()
    for p in "${ATTEMPT_PIDS[@]}"; do [ -d /proc/"$p" ] && live+=("$p"); done
    [ ${#live[@]} = 0 ] && break
    sleep 0.1
  done
  ATTEMPT_PIDS=()
  compgen -G "$d/ok.*" >/dev/null || return 1
  # the first write acknowledged: the earliest end time of a successful attempt
  FW_RESULT=$(cat "$d"/ok.* | awk -v t0="$t0" -v n="$n" 'NR == 1 || $2 < e {e = $2} END {printf "%.3f %d\n", e - t0, n}')
}

elected_after() { # $1 = kill time, $2 = killed node: seconds from $1 to the first "became leader" logged by a survivor
  local i ts e best=""
  for i in 1 2 3; do
    [ "$i" = "$2" ] && continue
    for ts in $(grep -h 'became leader at term' "$WORK/n$i/dockerd.log" 2>/dev/null | sed -nE 's/^time="([^"]+)".*/\1/p' | tail -5); do
      e=$(date -u -d "$ts" +%s.%N 2>/dev/null) || continue
      best=$(awk -v e="$e" -v t="$1" -v b="$best" 'BEGIN {if (e > t && (b == "" || e - t < b)) printf "%.3f", e - t; else printf "%s", b}')
    done
  done
  echo "${best:-?}"
}

run_failover() {
  local trials=$FO_TRIALS t leader writer newl elected t0 secs attempts k times=() failed=0 start
  log "FAILOVER: 3 managers; per trial: SIGKILL of the leader's dockerd, then the time until the first"
  log "  write acknowledged through another manager (writer = the next node after the leader). Write ="
  log "  'docker network create --driver overlay <unique>' on the writer's socket (a Raft write; offline)."
  log "  A new attempt every ${POLL_MS} ms while fewer than ${IN_FLIGHT} are under way; an attempt is abandoned"
  log "  after ${ATTEMPT_S} s; a trial fails after ${MAX_WAIT_S} s. Then the killed dockerd is restarted, the"
  log "  swarm must show 3 Ready managers with a leader, ${SETTLE_S} s of quiet, next trial. $trials trial(s)."
  make_lan 3
  for k in 1 2 3; do start_dockerd "$k"; done
  make_swarm 3
  sleep "$SETTLE_S"
  start=$(now)
  mkdir -p "$WORK/fo"
  for t in $(seq "$trials"); do
    leader=$(find_leader) || die "no leader before trial $t"
    writer=$((leader % 3 + 1))
    t0=$(now)
    kill -KILL "${DPID[$leader]}"
    if first_write "$writer" "$t" "$t0"; then
      read -r secs attempts <<< "$FW_RESULT"
      times+=("$secs")
    else
      failed=$((failed + 1)); secs="none"; attempts="?"
    fi
    for k in $(seq 100); do [ -d /proc/"${DPID[$leader]}" ] || break; sleep 0.1; done
    newl=$(leader_via "$writer") || newl="?"
    elected=$(elected_after "$t0" "$leader")
    log "trial $t/$trials: killed n$leader (leader), first write through n$writer after $secs s" \
        "($attempts attempt(s) started; new leader n$newl, 'became leader' in its log after $elected s)"
    [ "$secs" = none ] && log "  last errors: $(cat "$WORK/fo/t$t"/err.* 2>/dev/null | sort | uniq -c | sort -rn | head -3 | tr -s ' \n' ' ')"
    local r0; r0=$(now)
    start_dockerd "$leader"
    await_managers "$writer" 3 90 || die "after trial $t the swarm did not get back to 3 reachable managers"
    log "  n$leader restarted; 3 managers reachable again after $(sub "$(now)" "$r0") s"
    sleep "$SETTLE_S"
  done
  local st; st=$(printf '%s\n' "${times[@]}" | grep -v '^$' | stats)
  read -r med max min cnt <<< "$st"
  log "failover: times (s): ${times[*]}"
  log "failover: median $med s, max $max s, min $min s over $cnt trial(s), $failed failed; $(sub "$(now)" "$start") s for the trials"
  if [ "$cnt" -gt 0 ]; then
    echo "RESULT failover.median=$med failover.max=$max failover.min=$min failover.trials=$cnt failover.failed=$failed"
  else
    echo "RESULT failover.trials=0 failover.failed=$failed"
  fi
}

# ---- join ----------------------------------------------------------------------------------------
run_join() {
  local trials=$JOIN_TRIALS m=$JOIN_MANAGERS j t t0 t1 secs id k times=() token
  j=$((m + 1))
  log "JOIN: a swarm of $m manager(s); node n$j (a dockerd in no swarm) runs"
  log "  'docker swarm join --token <$ROLE token> <n1>:2377'; the time is that command's, from start to return."
  log "  Between trials n$j leaves (a manager is demoted first) and is removed from the node list. $trials trial(s)."
  make_lan "$j"
  for k in $(seq "$j"); do start_dockerd "$k"; done
  make_swarm "$m"
  if [ "$ROLE" = manager ]; then token=$MANAGER_TOKEN; else token=$WORKER_TOKEN; fi
  for t in $(seq "$trials"); do
    t0=$(now)
    dk "$j" swarm join --token "$token" --advertise-addr "$(ip_of "$j")" --listen-addr "$(ip_of "$j"):2377" \
      "$(ip_of 1):2377" >/dev/null || die "join trial $t: swarm join failed"
    t1=$(now)
    secs=$(sub "$t1" "$t0"); times+=("$secs")
    id=$(dk "$j" info --format '{{.Swarm.NodeID}}')
    log "join trial $t/$trials: $secs s (node $id, $ROLE)"
    # undo: leave, then remove the node from the swarm
    if [ "$ROLE" = manager ]; then
      dk 1 node demote "$id" >/dev/null || die "demote $id"
      for k in $(seq 100); do
        [ "$(dk "$j" info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = false ] && break
        sleep 0.2
      done
      await_managers 1 "$m" 60 || die "after demotion the swarm did not show $m managers"
    fi
    dk "$j" swarm leave --force >/dev/null || die "leave"
    dk 1 node rm --force "$id" >/dev/null || die "node rm $id"   # --force: it need not be seen down first
    sleep 1
  done
  local st; st=$(printf '%s\n' "${times[@]}" | stats)
  read -r med max min cnt <<< "$st"
  log "join: times (s): ${times[*]}"
  log "join: median $med s, max $max s, min $min s over $cnt trial(s) ($ROLE joining $m manager(s))"
  echo "RESULT join.seconds=$med join.max=$max join.min=$min join.trials=$cnt join.managers=$m"
}

# ---- writes --------------------------------------------------------------------------------------
# One client process (python3, keep-alive HTTP/1.1 on the leader's unix socket), so that the figure is
# not the cost of starting a process per request (curl or the docker CLI: 20-40 ms each on a busy
# 2-core machine, which is what a shell loop would measure).
WRITES_PY='
import http.client, json, socket, statistics, sys, threading, time
path, count, clients, dur = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
V = "/v1.41"
class UC(http.client.HTTPConnection):
    def __init__(self):
        super().__init__("localhost", timeout=30)
    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(30); s.connect(path); self.sock = s
def call(c, method, url, body=None):
    c.request(method, V + url, body=None if body is None else json.dumps(body), headers={"Content-Type": "application/json"})
    r = c.getresponse(); data = r.read()
    if r.status >= 300:
        raise RuntimeError("%s %s: %d %r" % (method, url, r.status, data[:200]))
    return data
c = UC()
ping = []
for i in range(50):
    t = time.perf_counter(); call(c, "GET", "/_ping"); ping.append(time.perf_counter() - t)
for i in range(10):
    call(c, "POST", "/networks/create", {"Name": "dsw-warm-%d" % i, "Driver": "overlay"})
lat = []
t0 = time.perf_counter()
for i in range(count):
    t = time.perf_counter()
    call(c, "POST", "/networks/create", {"Name": "dsw-seq-%d" % i, "Driver": "overlay"})
    lat.append(time.perf_counter() - t)
net_rate = count / (time.perf_counter() - t0)
ids = []
for i in range(clients):
    spec = {"Name": "dsw-u-%d" % i, "Labels": {"n": "0"},
            "TaskTemplate": {"ContainerSpec": {"Image": "shoal-test/busybox:latest", "Command": ["sleep", "3600"]}},
            "Mode": {"Replicated": {"Replicas": 0}}}
    ids.append(json.loads(call(c, "POST", "/services/create", spec))["ID"])
def updates(threads, seconds):
    done = [0] * threads; fails = [0] * threads; stop = [False]
    def worker(k):
        wc = UC(); sid = ids[k]; n = 0
        while not stop[0]:
            try:
                svc = json.loads(call(wc, "GET", "/services/" + sid))
                spec = svc["Spec"]; n += 1; spec.setdefault("Labels", {})["n"] = str(n)
                call(wc, "POST", "/services/%s/update?version=%d" % (sid, svc["Version"]["Index"]), spec)
                done[k] += 1
            except Exception as e:
                fails[k] += 1; wc.close(); wc = UC(); time.sleep(0.01)
    ts = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads)]
    for t in ts: t.start()
    time.sleep(min(2.0, seconds / 2))            # warm-up, not counted
    a = sum(done); t1 = time.perf_counter()
    time.sleep(seconds)
    b = sum(done); t2 = time.perf_counter()
    stop[0] = True
    for t in ts: t.join(35)
    return (b - a) / (t2 - t1), sum(fails)
one, f1 = updates(1, dur)
many, fm = updates(clients, dur)
print("%.1f %.2f %.2f %.1f %.1f %d" % (net_rate, statistics.median(lat) * 1000, statistics.median(ping) * 1000, one, many, f1 + fm))
'
run_writes() {
  local l k py out net_rate net_ms ping_ms one many fails
  py=/usr/bin/python3; [ -x "$py" ] || py=$(command -v python3) || die "writes needs python3"
  local m=$WRITE_MANAGERS
  log "WRITES: $m manager(s), one client process (python3, keep-alive HTTP on the leader's unix socket):"
  log "  (a) $COUNT 'POST /networks/create' (overlay) one after another: a swarmkit store update through Raft,"
  log "      plus the allocator's own store update of the new network;"
  log "  (b) service label updates, 'GET /services/{id}' for the version then 'POST /services/{id}/update'"
  log "      (one Raft entry each; what 'docker service update --label-add' does), on services of 0 replicas,"
  log "      with 1 client and then $PARALLEL clients (each its own service), ${WRITE_SECONDS} s each after a warm-up."
  log "  Through the Engine API, so an upper bound on the time (lower bound on the rate) of the store itself."
  make_lan "$m"
  for k in $(seq "$m"); do start_dockerd "$k"; done
  make_swarm "$m"
  sleep "$SETTLE_S"
  l=$(find_leader) || die "no leader"
  out=$(timeout 600 "$py" -c "$WRITES_PY" "$(sock "$l")" "$COUNT" "$PARALLEL" "$WRITE_SECONDS") || die "the write client failed: $out"
  read -r net_rate net_ms ping_ms one many fails <<< "$out"
  log "writes: (a) network creates, 1 client: $net_rate/s (median $net_ms ms each; GET /_ping: $ping_ms ms)"
  log "writes: (b) service updates: 1 client $one/s; $PARALLEL clients $many/s; $fails failed request(s)"
  echo "RESULT writes.netcreate.seq.per.s=$net_rate writes.update.1.per.s=$one writes.update.parallel.per.s=$many writes.update.clients=$PARALLEL writes.managers=$m writes.failed=$fails"
}

# ---- main ----------------------------------------------------------------------------------------
( sleep $((MAX_MINUTES * 60)) && kill -TERM $$ ) >/dev/null 2>&1 &
WATCHDOG=$!
log "$(docker --version 2>/dev/null | cut -d, -f1) CLI; dockerd $(dockerd --version 2>/dev/null | awk '{print $3}' | tr -d ,);" \
    "$(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
RUN_START=$(now)
for w in "${WHAT[@]}"; do
  WORK=$(mktemp -d /tmp/dsw-XXXXXX) || die "mktemp"
  NS_BASE="dsw-${WORK##*-}"; HUB="$NS_BASE-hub"
  NS_MADE=(); DPID=(); NODEID=(); ALL_PIDS=(); CLEANED=""
  CURRENT=$w
  case "$w" in
    failover) run_failover ;;
    join) run_join ;;
    writes) run_writes ;;
  esac
  trap '' INT TERM
  cleanup
  trap 'log "interrupted"; exit 130' INT
  trap 'log "terminated"; exit 143' TERM
  WORK=""
done
log "done in $(sub "$(now)" "$RUN_START") s; load $(cut -d' ' -f1-3 /proc/loadavg)"
