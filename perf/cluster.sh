#!/usr/bin/env bash
# The cluster figures, Shoal and Docker Swarm in one run: leader failover over 20 trials (median and
# max), the join time of a node, and Raft writes with three managers. Shoal's managers are real
# `shoal daemon` processes, each in a network namespace of a private virtual LAN that the run makes
# and deletes; Docker Swarm's are dockerd instances set up the same way by perf/docker-swarm/cluster.sh.
# Rewrites the rows it measured in perf/RESULTS.md. Needs root, a JDK 25, docker.io and iproute2.
#
#   bash perf/cluster.sh                          # 20 failover trials, 5 joins, raft3 (about 15 minutes)
#   bash perf/cluster.sh --trials 5 --quick true  # a short run
#   bash perf/cluster.sh --what failover
#
# Bounded: the whole run is killed after 60 min.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "perf/cluster.sh: run as root (network namespaces, dockerd)" >&2; exit 1; }
JAVA_HOME=$(bash scripts/find-jdk.sh) || { echo "perf/cluster.sh: no JDK 25 found" >&2; exit 1; }
export JAVA_HOME

echo "[cluster.sh] building (tests skipped)"
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl perf dependency:build-classpath -Dmdep.outputFile=target/classpath.txt

command="bash perf/cluster.sh${*:+ $*}"
echo "[cluster.sh] $command"
exec timeout --kill-after=60 3600 "$JAVA_HOME/bin/java" \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dlogback.configurationFile=perf/logback-perf.xml ${PERF_JAVA_OPTS:-} \
  -cp "perf/target/classes:$(cat perf/target/classpath.txt)" \
  dev.shoal.perf.ClusterComparison --results perf/RESULTS.md --command "$command" "$@"
