#!/usr/bin/env bash
# Section e: a multi-second bench run (per-second lines), versions, and rbd's usage/help texts.
source "$(dirname "$0")/lib.sh"
begin_part 50-extra
A="rbd --cluster site-a"
quiet "ceph --cluster site-a osd pool create bench-pool && $A pool init bench-pool" || true
quiet "$A rm bench-pool/bench-image" || true
quiet "$A create --size 1G bench-pool/bench-image"

heading "## e. Extras"
heading "### bench running longer than a second (per-second progress lines)"
rec "$A bench --io-type write --io-size 4K --io-threads 1 --io-total 64M --io-pattern rand bench-pool/bench-image"
rec "$A bench --io-type read --io-size 4K --io-threads 1 --io-total 64M --io-pattern rand bench-pool/bench-image"
rec "$A bench --io-type write --io-size 4K --io-threads 2 --io-total 8M --io-pattern full-seq bench-pool/bench-image"

heading "### versions"
rec "rbd --version"
rec "ceph --cluster site-a version"
rec "ceph --cluster site-a versions"

heading "### help and usage texts"
rec "rbd help 2>/dev/null | head -40"
for cmd in "create" "ls" "info" "rm" "resize" "rename" "feature enable" "snap create" "snap ls" "diff" "export" "import" "bench" "namespace create" \
    "mirror pool enable" "mirror pool info" "mirror pool status" "mirror pool peer bootstrap create" "mirror pool peer bootstrap import" \
    "mirror pool peer add" "mirror image enable" "mirror image status" "mirror image promote" "mirror image snapshot" \
    "mirror snapshot schedule add" "mirror snapshot schedule ls"; do
  rec "rbd help $cmd"
done
rec "rbd help no-such-command"
rec "$A create"
rec "$A create --size 1G a b c"
rec "$A snap"
