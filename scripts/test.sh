#!/usr/bin/env bash
# The full test suite, from a fresh Debian machine as root: prepares the host, then builds Shoal
# and runs every module's tests (unit, executor suites on Docker and processes, system tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
JAVA_HOME=$(bash scripts/find-jdk.sh)
export JAVA_HOME
exec ./mvnw -B -ntp verify "$@"
