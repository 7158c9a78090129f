#!/usr/bin/env bash
# The mirror-snapshot-schedule benchmark (see BENCHMARKS.md): builds the module's test classes if
# needed, then runs ScheduleBench on the in-memory FakeCluster at full size and on a real embedded
# cluster at the largest size that sets up in about a minute and a half on a 2-core machine.
#   bench/schedule/run.sh                 # both runs
#   bench/schedule/run.sh fake 100000 100 2
#   bench/schedule/run.sh embedded 10000 100 2
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
  java -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.mirrorhost.schedule.ScheduleBench "$@"
}
if [[ $# -gt 0 ]]; then
  run "$@"
else
  run fake 100000 100 1
  run embedded "${EMBEDDED_IMAGES:-10000}" 100 2
fi
