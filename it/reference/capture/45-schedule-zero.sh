#!/usr/bin/env bash
# Section d (continued): a zero interval, kept separate because it breaks the scheduler until mgr restart.
source "$(dirname "$0")/lib.sh"
begin_part 45-schedule-zero
A="rbd --cluster site-a"
S="$A mirror snapshot schedule"

heading "### interval 0m: accepted, then crashes the scheduler"
note "Pacific does not validate a 0m interval. Observed on this cluster: (1) in a first run, with no image queued yet, \`add 0m\` exited 0 and the scheduler thread then died in refresh_images with ZeroDivisionError (mgr log: 'Fatal runtime error: division by zero'), so schedule status stayed empty and no scheduled snapshot was taken until \`ceph mgr fail\`; (2) below, with images queued, the add itself fails with a traceback and exit 22, yet \`ls\` lists it ('every 0d') while the stored option holds an empty list; \`remove\` clears it. Our implementation should reject a zero interval and store nothing."
rec "$S add 0m"
rec "$S ls"
rec "ceph --cluster site-a config get mgr mgr/rbd_support/mirror_snapshot_schedule"
rec "$S remove 0m"
rec "$S remove"
rec "$S ls"
note "Cleanup: drop the stored option and restart the mgr (not part of the reference)."
quiet "ceph --cluster site-a config rm mgr mgr/rbd_support/mirror_snapshot_schedule"
quiet "ceph --cluster site-a mgr fail x"
wait_for "ceph --cluster site-a mgr stat | grep -q '\"available\": true'" 60 || true
