#!/usr/bin/env bash
# Scheduler throughput with simulated nodes (no containers, no network): 100 000 tasks placed on
# 1 000 and on 5 000 nodes with a constraint and a spread preference, through a real Raft store on
# disk and the leader's reconcile loops. Rewrites the scheduler rows of perf/RESULTS.md.
#
#   bash perf/scheduler.sh                      # both node counts
#   bash perf/scheduler.sh --nodes 1000 --tasks 20000
#
# Bounded: each node count fails after 10 minutes, the whole run is killed after 30.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(bash scripts/find-jdk.sh) || { echo "perf/scheduler.sh: no JDK 25 found" >&2; exit 1; }
export JAVA_HOME
./mvnw -q -B install -DskipTests
./mvnw -q -B -pl perf dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
command="bash perf/scheduler.sh${*:+ $*}"
exec timeout --kill-after=30 1800 "$JAVA_HOME/bin/java" -Xmx3g \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dlogback.configurationFile=perf/logback-perf.xml \
  -cp "perf/target/classes:$(cat perf/target/classpath.txt)" \
  dev.shoal.perf.SchedulerThroughput --results perf/RESULTS.md --command "$command" "$@"
