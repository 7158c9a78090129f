#!/usr/bin/env bash
# Snapshot replication latency: Mirrorhost (two embedded sites, our replayer) vs real rbd-mirror
# (two one-node Ceph 16.2 clusters), plus dd as the disk reference. One repetition per case.
# Cases, each timed from `mirror image snapshot` on site-a until site-b's `snap ls --all --format json`
# lists a complete non-primary mirror snapshot whose primary_snap_id is the new snapshot; bench/replayer/snapwait.py
# times each case in one process through the system's own API (HTTP for Mirrorhost, librbd for Ceph), polling every 5 ms:
#   full:  1 GiB of sequential data written since the last mirror snapshot (the whole image is copied)
#   delta: 64 MiB of random 64 KiB writes
#   empty: no writes
# Usage: bench/replayer/run.sh [WORK_DIR]   (default: a new dir under bench/target, removed on exit)
# MH_ONLY=1 skips the Ceph half (for iterating on Mirrorhost; no ratios to rbd-mirror then);
# MH_OBJECT_COPIES sets site-b's replayer option concurrent_object_copies (default 10).
# HOST_JAVA_OPTS goes to the two host JVMs (e.g. -Dorg.slf4j.simpleLogger.log.replayer=debug for step timings).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
mkdir -p bench/target
USER_WORK="${1:-}"
WORK="${USER_WORK:-$(mktemp -d "$ROOT/bench/target/replayer.XXXXXX")}"
mkdir -p "$WORK"
DEADLINE_S="${DEADLINE_S:-180}"
REPS="${REPS:-2}"
POOL=image-pool
IMG=image-1
HOST_PIDS=()
CEPH_UP=()

cleanup() {
    set +e
    for pid in "${HOST_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${HOST_PIDS[@]}"; do
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
    done
    cd "$ROOT"
    for s in "${CEPH_UP[@]}"; do it/ceph/rbd-mirror.sh stop "$s" "$WORK/ceph/$s" >&2; done
    for s in "${CEPH_UP[@]}"; do it/ceph/cluster.sh stop "$s" "$WORK/ceph/$s" >&2; done
    # Whatever cluster.sh did not stop (seen once when interrupted right after a cluster start): our
    # daemons are exactly the processes whose command line names a conf under this run's directory.
    local left=() pid
    for pid in $(grep -lsF -- "$WORK/ceph/" /proc/[0-9]*/cmdline | cut -d/ -f3); do
        [ "$pid" != "$$" ] && [ -d "/proc/$pid" ] && left+=("$pid")  # the grep itself is gone by now
    done
    if [ "${#left[@]}" -gt 0 ]; then
        echo "run.sh: stopping leftover pids ${left[*]}" >&2
        kill -TERM "${left[@]}" 2>/dev/null
        for pid in "${left[@]}"; do
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null
        done
    fi
    if [ -z "${KEEP:-}" ] && [ -z "$USER_WORK" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
free_port_pair() {  # prints a port P with P and P+1 free
    python3 - <<'PY'
import socket, random
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
while True:
    p = random.randrange(30000, 60000, 2)
    if free(p) and free(p + 1):
        print(p); break
PY
}
# stdin: snap ls --all --format json of the peer; $1: primary snap id. Exit 0 when its copy is complete.
copied() {
    python3 -c '
import json, sys
want = int(sys.argv[1])
for s in json.load(sys.stdin):
    ns = s.get("namespace", {})
    if ns.get("type") == "mirror" and ns.get("state") == "non-primary" \
            and ns.get("primary_snap_id") == want and ns.get("complete") is True:
        sys.exit(0)
sys.exit(1)' "$1"
}
# wait_copied LIST_CMD... -- SNAP_ID : polls every 0.2 s with a deadline
wait_copied() {
    local id="${*: -1}" end=$(( $(date +%s) + DEADLINE_S ))
    set -- "${@:1:$#-2}"
    while :; do
        if out="$("$@" 2>/dev/null)" && copied "$id" <<<"$out"; then return 0; fi
        if [ "$(date +%s)" -ge "$end" ]; then echo "timeout waiting for snapshot $id on the peer" >&2; return 1; fi
        sleep 0.2
    done
}
snap_id() { sed -n 's/^Snapshot ID: *\([0-9]*\).*/\1/p'; }

echo "machine: $(nproc) vCPU, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "disk: $(df -hT "$WORK" | awk 'NR==2 {print $1, $2}'), work dir $WORK"

# ---- dd reference ----
t0=$(now); dd if=/dev/zero of="$WORK/dd.bin" bs=4M count=256 conv=fdatasync status=none; t1=$(now)
DD=$(elapsed "$t0" "$t1"); rm -f "$WORK/dd.bin"
echo "dd 1 GiB conv=fdatasync: ${DD} s"

# ---- Mirrorhost ----
mkdir -p "$WORK/conf"
for s in site-a site-b; do
    cat > "$WORK/conf/$s.conf" <<CONF
[global]
site_name = $s
backend = embedded
[host]
listen_address = 127.0.0.1
listen_port = $(free_port_pair)
api_key = bench-$s-key
[embedded]
data_dir = $WORK/mh/$s
listen_address = 127.0.0.1
listen_port = $(free_port_pair)
key = bench-$s-admin-key
CONF
done
export MIRRORHOST_CONF_DIR="$WORK/conf"
for s in site-a site-b; do
    JAVA_OPTS="${HOST_JAVA_OPTS:-}" bin/mirrorhost --conf "$WORK/conf/$s.conf" > "$WORK/$s-host.log" 2>&1 &
    HOST_PIDS+=($!)
done
mh() { local s=$1; shift; bin/rbdm --cluster "$s" "$@"; }
mh_port() { sed -n 's/^listen_port = //p' "$WORK/conf/$1.conf" | head -1; }
# The timed commands go straight to the host's HTTP API (no CLI JVM start inside the measurement).
mh_api() {  # SITE PREFIX ARGS_JSON [FORMAT] -> the command's stdout
    curl -sf -H 'Content-Type: application/json' -H "X-API-Key: bench-$1-key" \
        -d "{\"prefix\":\"$2\",\"args\":$3,\"format\":\"${4:-json}\",\"pretty_format\":false}" \
        "http://127.0.0.1:$(mh_port "$1")/api/v1/command" \
        | python3 -c 'import json,sys; r=json.load(sys.stdin); sys.exit(r["code"]) if r["code"] else print(r.get("stdout") or "")'
}
for s in site-a site-b; do
    end=$(( $(date +%s) + 120 ))
    until curl -s -o /dev/null "http://127.0.0.1:$(mh_port $s)/"; do
        [ "$(date +%s)" -lt "$end" ] || { echo "host $s did not start; see $WORK/$s-host.log" >&2; exit 1; }
        sleep 0.2
    done
done
for s in site-a site-b; do
    mh $s pool create $POOL >/dev/null && mh $s pool init $POOL
    mh $s mirror pool enable --site-name $s $POOL image
done
if [ -n "${MH_OBJECT_COPIES:-}" ]; then mh site-b config set mgr/replayer/concurrent_object_copies "$MH_OBJECT_COPIES"; fi
mh site-a mirror pool peer bootstrap create --site-name site-a $POOL > "$WORK/mh-token"
mh site-b mirror pool peer bootstrap import --site-name site-b $POOL "$WORK/mh-token"
mh site-a create --size 1G $POOL/$IMG
mh site-a mirror image enable $POOL/$IMG snapshot >/dev/null
first=$(mh site-a snap ls --all --format json $POOL/$IMG | python3 -c 'import json,sys; print(max(s["id"] for s in json.load(sys.stdin) if s["namespace"].get("state")=="primary"))')
wait_copied mh_api site-b "snap ls" "{\"image-spec\":\"$POOL/$IMG\",\"all\":\"true\"}" -- "$first"

mh_case() {  # snapshot and wait for the peer (snapwait.py: one process, polls every 5 ms)
    bench/replayer/snapwait.py mh "$(mh_port site-a)" bench-site-a-key "$(mh_port site-b)" bench-site-b-key "$POOL/$IMG"
}
MH_FULL=(); MH_DELTA=(); MH_EMPTY=()
for r in $(seq "$REPS"); do
    mh site-a bench --io-type write --io-size 4M --io-total 1G --io-pattern seq $POOL/$IMG >/dev/null
    MH_FULL+=("$(mh_case)"); echo "mirrorhost full  #$r: ${MH_FULL[-1]} s"
    mh site-a bench --io-type write --io-size 64K --io-total 64M --io-pattern rand $POOL/$IMG >/dev/null
    MH_DELTA+=("$(mh_case)"); echo "mirrorhost delta #$r: ${MH_DELTA[-1]} s"
    MH_EMPTY+=("$(mh_case)"); echo "mirrorhost empty #$r: ${MH_EMPTY[-1]} s"
done
# Not timed: the peer's image equals the primary (no writes since the last mirror snapshot).
mh site-a export $POOL/$IMG "$WORK/mh-a.raw" >/dev/null 2>&1; mh site-b export $POOL/$IMG "$WORK/mh-b.raw" >/dev/null 2>&1
if cmp -s "$WORK/mh-a.raw" "$WORK/mh-b.raw"; then MH_CHECK=equal; else MH_CHECK=DIFFERENT; fi
rm -f "$WORK/mh-a.raw" "$WORK/mh-b.raw"; echo "mirrorhost site-b image vs site-a: $MH_CHECK"
for pid in "${HOST_PIDS[@]}"; do kill -TERM "$pid"; done
for pid in "${HOST_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
HOST_PIDS=()
rm -rf "$WORK/mh"

if [ -n "${MH_ONLY:-}" ]; then
    echo "MH_ONLY: mirrorhost full ${MH_FULL[*]}, delta ${MH_DELTA[*]}, empty ${MH_EMPTY[*]}; dd $DD; copy $MH_CHECK"
    exit 0
fi
# ---- real Ceph + rbd-mirror ----
mkdir -p "$WORK/ceph/cwd"
for s in site-a site-b; do
    CEPH_UP+=("$s")
    it/ceph/cluster.sh start $s "$WORK/ceph/$s" "$(free_port_pair)" > "$WORK/ceph-$s-start.log" 2>&1 \
        || { cat "$WORK/ceph-$s-start.log" >&2; exit 1; }
    ln -sf "$WORK/ceph/$s/$s.conf" "$WORK/ceph/cwd/$s.conf"
done
cd "$WORK/ceph/cwd"
unset CEPH_CONF
for s in site-a site-b; do
    ceph --cluster $s osd pool create $POOL >/dev/null 2>&1
    rbd --cluster $s pool init $POOL
    rbd --cluster $s mirror pool enable --site-name $s $POOL image
done
rbd --cluster site-a mirror pool peer bootstrap create --site-name site-a $POOL > "$WORK/ceph-token"
rbd --cluster site-b mirror pool peer bootstrap import --site-name site-b $POOL "$WORK/ceph-token"
cd "$ROOT"
it/ceph/rbd-mirror.sh start site-a "$WORK/ceph/site-a" site-b "$WORK/ceph/site-b" >/dev/null
it/ceph/rbd-mirror.sh start site-b "$WORK/ceph/site-b" site-a "$WORK/ceph/site-a" >/dev/null
cd "$WORK/ceph/cwd"
rbd --cluster site-a create --size 1G $POOL/$IMG
rbd --cluster site-a mirror image enable $POOL/$IMG snapshot >/dev/null
first=$(rbd --cluster site-a snap ls --all --format json $POOL/$IMG | python3 -c 'import json,sys; print(max(s["id"] for s in json.load(sys.stdin) if s["namespace"].get("state")=="primary"))')
wait_copied rbd --cluster site-b snap ls --all --format json $POOL/$IMG -- "$first"

ceph_case() {  # the same through librbd (python3-rbd)
    "$ROOT/bench/replayer/snapwait.py" ceph "$WORK/ceph/site-a/site-a.conf" "$WORK/ceph/site-b/site-b.conf" $POOL $IMG
}
CE_FULL=(); CE_DELTA=(); CE_EMPTY=()
for r in $(seq "$REPS"); do
    rbd --cluster site-a bench --io-type write --io-size 4M --io-total 1G --io-pattern seq $POOL/$IMG >/dev/null
    CE_FULL+=("$(ceph_case)"); echo "rbd-mirror full  #$r: ${CE_FULL[-1]} s"
    rbd --cluster site-a bench --io-type write --io-size 64K --io-total 64M --io-pattern rand $POOL/$IMG >/dev/null
    CE_DELTA+=("$(ceph_case)"); echo "rbd-mirror delta #$r: ${CE_DELTA[-1]} s"
    CE_EMPTY+=("$(ceph_case)"); echo "rbd-mirror empty #$r: ${CE_EMPTY[-1]} s"
done
if cmp -s <(rbd --cluster site-a export $POOL/$IMG - 2>/dev/null) <(rbd --cluster site-b export $POOL/$IMG - 2>/dev/null); then CE_CHECK=equal; else CE_CHECK=DIFFERENT; fi
echo "rbd-mirror site-b image vs site-a: $CE_CHECK"
cd "$ROOT"

mean() { printf '%s\n' "$@" | awk '{ t += $1 } END { printf "%.3f", t / NR }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r <= g ? "met" : "missed") }'; }
row() {  # NAME OURS THEIRS GOAL
    local r; r=$(ratio "$2" "$3")
    printf '%-30s %10s %10s %10s %7s %s\n' "$1" "$2" "$3" "$r" "<=$4" "$(verdict "$r" "$4")"
}
mf=$(mean "${MH_FULL[@]}"); md=$(mean "${MH_DELTA[@]}"); me=$(mean "${MH_EMPTY[@]}")
cf=$(mean "${CE_FULL[@]}"); cd_=$(mean "${CE_DELTA[@]}"); ce=$(mean "${CE_EMPTY[@]}")
echo
echo "seconds, mean of $REPS (each: mirrorhost full ${MH_FULL[*]}, delta ${MH_DELTA[*]}, empty ${MH_EMPTY[*]};" \
     "rbd-mirror full ${CE_FULL[*]}, delta ${CE_DELTA[*]}, empty ${CE_EMPTY[*]}); copies: mirrorhost $MH_CHECK, rbd-mirror $CE_CHECK"
printf '%-30s %10s %10s %10s %7s %s\n' case mirrorhost rbd-mirror ratio goal result
row "full 1 GiB: ours/rbd-mirror" "$mf" "$cf" 0.8
row "full 1 GiB: ours/dd" "$mf" "$DD" 1.2
row "delta 64 MiB: ours/rbd-mirror" "$md" "$cd_" 0.25
row "empty delta: ours/rbd-mirror" "$me" "$ce" 0.1
