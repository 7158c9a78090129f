#!/usr/bin/env bash
# The mirror-snapshot-schedule benchmark (see the section in BENCHMARKS.md): builds the module's
# test classes if needed, then runs ScheduleBench (module test sources) on the in-memory FakeCluster
# at 100,000 images (the scheduler's own path) and on a real embedded cluster at 10,000 images,
# two minute marks each (about 5 minutes). The embedded backend is the backend-embedded jar in ~/.m2
# (`mvn -o -pl backends/embedded install -DskipTests` first to measure the tree's).
#   bench/schedule/run.sh                          # both runs
#   bench/schedule/run.sh fake 100000 100 2        # BACKEND IMAGES POOLS MINUTE_MARKS [DUE_PER_MINUTE]
#   EMBEDDED_IMAGES=50000 bench/schedule/run.sh    # a larger embedded run
# BENCH_JAVA_OPTS passes JVM options: -Dmax_concurrent_snap_create=N sets the module option (default
# 10), -Dbench.lead_seconds=S the time from the module's start to the first minute mark,
# -Dbench.max_event_loop_ms=N makes Vert.x warn of event-loop blocks over N ms. The full
# 100,000-image embedded run (about 7 minutes, most of it creating the images):
#   BENCH_JAVA_OPTS="-Dmax_concurrent_snap_create=32 -Dbench.lead_seconds=90" bench/schedule/run.sh embedded 100000 100 1
set -euo pipefail
cd "$(dirname "$0")/../.."
module=modules/mirror-snapshot-schedule
cp_file=$module/target/bench-classpath.txt
if [[ ! -f $cp_file || ! -d $module/target/test-classes || -n "$(find $module/src $module/pom.xml -newer $cp_file -print -quit)" ]]; then
  mvn -q -B -pl $module test-compile
  mvn -q -B -pl $module dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file"
fi
cp="$module/target/test-classes:$module/target/classes:$(cat $cp_file)"
run() {
  echo "== ScheduleBench $* =="
  java -Xmx4g ${BENCH_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.mirrorhost.schedule.ScheduleBench "$@"
}
if [[ $# -gt 0 ]]; then
  run "$@"
else
  run fake 100000 100 2
  run embedded "${EMBEDDED_IMAGES:-10000}" 100 2
fi
