#!/usr/bin/env bash
# Prepares a Debian machine (as root) for Shoal: packages, a running dockerd, the offline test image.
# Idempotent: installs only what is missing. Used by both README commands and by CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

log() { printf '[setup] %s\n' "$*"; }

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
[ -x /usr/bin/busybox ] && /usr/bin/busybox --list 2>/dev/null | grep -qx httpd || need_pkgs+=(busybox-static)
command -v ip >/dev/null 2>&1 || need_pkgs+=(iproute2)
command -v setsid >/dev/null 2>&1 || need_pkgs+=(util-linux)
command -v ps >/dev/null 2>&1 || need_pkgs+=(procps)
command -v iptables >/dev/null 2>&1 || need_pkgs+=(iptables)
command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# A JDK 25 (Temurin is preinstalled under /usr/lib/jvm on these machines; Debian has no 25 package).
if ! "$here/find-jdk.sh" >/dev/null; then
  echo "[setup] error: no JDK 25 found (set JAVA_HOME or install Temurin 25 under /usr/lib/jvm)" >&2
  exit 1
fi

# dockerd: start one in the background if none answers.
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: /var/log/shoal-dockerd.log)"
  nohup dockerd >/var/log/shoal-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { echo "[setup] error: dockerd did not come up; see /var/log/shoal-dockerd.log" >&2; exit 1; }
fi

"$here/build-test-image.sh"
log "host ready"
