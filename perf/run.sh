#!/usr/bin/env bash
# Shoal against Docker Swarm mode on this machine's dockerd, in one run: converge and heal times,
# API latency and Raft writes (JMH). Builds Shoal, runs dev.shoal.perf.SwarmComparison and rewrites
# the rows it measured in perf/RESULTS.md. Needs root (Docker), a JDK 25 and the offline image
# shoal-test/busybox:latest (built here when missing; nothing is ever pulled).
#
#   bash perf/run.sh                               # everything, 3 repetitions (about 25 minutes)
#   bash perf/run.sh --what converge,heal --repeats 5
#   bash perf/run.sh --what api,raft --quick       # short JMH runs
#
# Options are SwarmComparison's: --what converge,heal,update,api,raft  --replicas 1,10,50  --repeats N
# --poll-ms 20  --settle-ms 1000  --timeout-s 180  --raft-threads 64  --quick  --no-warm-up  --kept-daemon
# It initialises a Docker swarm only if the engine is in none, and then leaves it at the end; it
# starts its own Shoal daemon under /tmp and stops it, keeping its log in perf/target/shoal-daemon.log.
# For an analysis run, PERF_JAVA_OPTS=-Dperf.daemon.logLevel=debug gives that daemon debug logging.
# Bounded: the whole run is killed after 60 min.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(bash scripts/find-jdk.sh) || { echo "perf/run.sh: no JDK 25 found" >&2; exit 1; }
export JAVA_HOME

echo "[run.sh] building (tests skipped)"
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl perf dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
if ! docker image inspect shoal-test/busybox:latest >/dev/null 2>&1; then
  bash scripts/build-test-image.sh
fi

command="bash perf/run.sh${*:+ $*}"
echo "[run.sh] $command"
# SIGTERM at the limit lets the harness clean up (its shutdown hook); SIGKILL 60 s later if not.
exec timeout --kill-after=60 3600 "$JAVA_HOME/bin/java" \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dlogback.configurationFile=perf/logback-perf.xml ${PERF_JAVA_OPTS:-} \
  -cp "perf/target/classes:$(cat perf/target/classpath.txt)" \
  dev.shoal.perf.SwarmComparison --results perf/RESULTS.md --command "$command" "$@"
