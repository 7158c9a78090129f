#!/usr/bin/env bash
# Runs the integration tests of it/ on two real one-node Ceph clusters (site-a and site-b).
#
#   it/run.sh [extra mvn args, e.g. -Dtest=CephClusterSpiTest]
#   it/run.sh -Dtest='*ScenariosOnCephTest'    # only the modules' shared scenarios (from their test jars)
#
# Starts both clusters with it/ceph/cluster.sh under a fresh temp dir (free loopback ports), runs
# `mvn -f it/pom.xml verify` with MIRRORHOST_IT_SITE_A_DIR / MIRRORHOST_IT_SITE_B_DIR pointing at them,
# and stops every daemon it started (also rbd-mirror daemons the tests started) when it exits, whatever
# happened. Exits non-zero when a test fails. MIRRORHOST_IT_KEEP=1 keeps the temp dir (logs) afterwards.
# Needs the reactor installed first (`mvn install` at the root; /work/main/run-tests does that).
set -euo pipefail
cd "$(dirname "$0")"
IT_DIR=$(pwd)
ROOT=$(cd .. && pwd)

log() { echo "it/run.sh: $*" >&2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mirrorhost-it.XXXXXX")
SITE_A=$WORK/site-a
SITE_B=$WORK/site-b

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  log "stopping the clusters"
  "$IT_DIR/ceph/cluster.sh" stop site-a "$SITE_A" || true
  "$IT_DIR/ceph/cluster.sh" stop site-b "$SITE_B" || true
  if [ "${MIRRORHOST_IT_KEEP:-0}" = 1 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# An even port P in 30000..39998 with P and P+1 (msgr v1) free, different from $1.
free_port_pair() {
  local p
  for _ in $(seq 200); do
    p=$((30000 + (RANDOM % 5000) * 2))
    [ "$p" != "${1:-}" ] && port_free "$p" && port_free $((p + 1)) && { echo "$p"; return 0; }
  done
  log "no free port pair found"
  return 1
}

PORT_A=$(free_port_pair)
PORT_B=$(free_port_pair "$PORT_A")
t0=$(date +%s)
log "starting site-a (port $PORT_A) and site-b (port $PORT_B) under $WORK"
"$IT_DIR/ceph/cluster.sh" start site-a "$SITE_A" "$PORT_A" >"$WORK/start-a.log" 2>&1 &
pid_a=$!
"$IT_DIR/ceph/cluster.sh" start site-b "$SITE_B" "$PORT_B" >"$WORK/start-b.log" 2>&1 &
pid_b=$!
status=0
wait "$pid_a" || { status=1; log "site-a failed to start:"; tail -20 "$WORK/start-a.log" >&2; }
wait "$pid_b" || { status=1; log "site-b failed to start:"; tail -20 "$WORK/start-b.log" >&2; }
[ "$status" = 0 ] || exit 1
log "clusters up in $(($(date +%s) - t0)) s"

export MIRRORHOST_IT_SITE_A_DIR=$SITE_A
export MIRRORHOST_IT_SITE_B_DIR=$SITE_B
export MIRRORHOST_IT_CEPH_DIR=$IT_DIR/ceph
mvn -B -ntp -f "$ROOT/it/pom.xml" verify "$@"
log "tests passed in $(($(date +%s) - t0)) s"
