#!/usr/bin/env bash
# Sequential 4 MiB write throughput with flush on an embedded image vs dd conv=fdatasync, same disk.
# Usage: bench/embedded-write.sh [DIR] [COUNT (4 MiB blocks, default 256 = 1 GiB)] [REPS (default 5)]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:-$ROOT/bench/target/embedded-write}"
COUNT="${2:-256}"
REPS="${3:-5}"
cd "$ROOT"
JAR="backends/embedded/target/backend-embedded-0.1.0-SNAPSHOT.jar"
if [ ! -f "$JAR" ] || [ -n "$(find backends/embedded/src/main -newer "$JAR" -print -quit)" ]; then
  mvn -q -B -pl backends/embedded install -DskipTests
fi
CP_FILE="bench/target/embedded-write.classpath"
mkdir -p bench/target
if [ ! -f "$CP_FILE" ] || [ backends/embedded/pom.xml -nt "$CP_FILE" ]; then
  mvn -q -B -pl backends/embedded dependency:build-classpath -Dmdep.outputFile="$ROOT/$CP_FILE" >/dev/null
fi
CP="$JAR:$(cat "$CP_FILE")"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "disk: $(df -hT "$(dirname "$DIR")" 2>/dev/null | awk 'NR==2 {print $1, $2, $3}' || true)"
mkdir -p "$DIR"
exec java -Xmx2g -cp "$CP" bench/embedded-write/EmbeddedWriteBench.java "$DIR" "$COUNT" "$REPS"
