#!/usr/bin/env bash
# Prints the path of a JDK 25+ home: $JAVA_HOME if it is one, else /usr/lib/jvm/*25*, else the
# java on PATH. Exits 1 when there is none.
set -u
version_of() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
ok() { local v; v=$(version_of "$1"); [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; }
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && ok "$JAVA_HOME"; then echo "$JAVA_HOME"; exit 0; fi
for d in /usr/lib/jvm/*25* /usr/lib/jvm/*; do
  [ -x "$d/bin/java" ] && ok "$d" && { echo "$d"; exit 0; }
done
if command -v java >/dev/null 2>&1; then
  home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  ok "$home" && { echo "$home"; exit 0; }
fi
exit 1
