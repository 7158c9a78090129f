#!/usr/bin/env bash
# End-to-end check of the scripts: two fresh clusters in a temp dir, bootstrap peers, both rbd-mirror
# daemons, one snapshot-mirrored image replicated to site-b, then everything stopped and removed.
#   it/ceph/smoke.sh [BASE_PORT]     (uses BASE_PORT..BASE_PORT+1 and BASE_PORT+10..+11; default 21000)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PORT=${1:-21000}
WORK=$(mktemp -d /tmp/ceph-smoke.XXXXXX)
A=$WORK/site-a B=$WORK/site-b
cleanup() {
  # Both rbd-mirror daemons before either cluster: each one talks to both clusters.
  "$HERE/rbd-mirror.sh" stop site-a "$A" || true
  "$HERE/rbd-mirror.sh" stop site-b "$B" || true
  "$HERE/cluster.sh" stop site-a "$A" || true
  "$HERE/cluster.sh" stop site-b "$B" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

rbd_a() { rbd -c "$A/site-a.conf" "$@"; }
rbd_b() { rbd -c "$B/site-b.conf" "$@"; }
wait_for() {  # wait_for SECONDS COMMAND...
  local deadline=$(($(date +%s) + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "smoke: timed out: $*" >&2; return 1; }
    sleep 0.5
  done
}
replaying_on_b() { rbd_b mirror image status image-pool/smoke | grep -q '^  state: *up+replaying'; }

"$HERE/cluster.sh" start site-a "$A" "$PORT"
"$HERE/cluster.sh" start site-b "$B" "$((PORT + 10))"
for site in a b; do
  conf=$WORK/site-$site/site-$site.conf
  ceph -c "$conf" osd pool create image-pool >/dev/null 2>&1
  rbd -c "$conf" pool init image-pool
  rbd -c "$conf" mirror pool enable --site-name "site-$site" image-pool image
done
rbd_a mirror pool peer bootstrap create --site-name site-a image-pool >"$WORK/token"
rbd_b mirror pool peer bootstrap import --site-name site-b image-pool "$WORK/token"
"$HERE/rbd-mirror.sh" start site-a "$A" site-b "$B"
"$HERE/rbd-mirror.sh" start site-b "$B" site-a "$A"

t0=$(date +%s%3N)
rbd_a create --size 64M image-pool/smoke
rbd_a bench --io-type write --io-size 4K --io-total 1M image-pool/smoke >/dev/null
rbd_a mirror image enable image-pool/smoke snapshot >/dev/null
wait_for 60 replaying_on_b
echo "smoke: image replicated to site-b and replaying after $(($(date +%s%3N) - t0)) ms"
[ "$(rbd_a export image-pool/smoke - 2>/dev/null | md5sum)" = "$(rbd_b export image-pool/smoke - 2>/dev/null | md5sum)" ] \
  || { echo "smoke: content differs between sites" >&2; exit 1; }
echo "smoke: OK (contents identical)"
