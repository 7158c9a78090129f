#!/usr/bin/env bash
# Helpers to record real rbd/ceph/rados invocations as markdown (command, exit code, stdout, stderr).
# Commands run in $CAPTURE_CWD, which holds symlinks site-a.conf and site-b.conf: Ceph's default
# conf search path ends with "./$cluster.conf", so `rbd --cluster site-a ...` works there verbatim.
set -uo pipefail

RUN_ROOT=${RUN_ROOT:-/work/run-ceph}
CAPTURE_CWD=${CAPTURE_CWD:-$RUN_ROOT/cwd}
PARTS_DIR=${PARTS_DIR:-$RUN_ROOT/parts}
mkdir -p "$CAPTURE_CWD" "$PARTS_DIR"
for site in site-a site-b; do
  [ -f "$RUN_ROOT/$site/$site.conf" ] || { echo "start $site first: it/ceph/cluster.sh start $site $RUN_ROOT/$site" >&2; exit 1; }
  ln -sfn "$RUN_ROOT/$site/$site.conf" "$CAPTURE_CWD/$site.conf"
done

# Secret keys (cephx keys: 40 base64 chars, AQ...==) become <key>; bootstrap tokens
# (base64 of a JSON object, so starting with eyJ) become <token>.
redact() {
  sed -E -e 's#AQ[A-Za-z0-9+/]{36}==#<key>#g' -e 's#eyJ[A-Za-z0-9+/=]{40,}#<token>#g'
}

fence() {
  local label=$1 file=$2
  if [ -s "$file" ]; then
    printf '%s:\n```\n' "$label"
    redact <"$file"
    # keep a missing final newline visible
    [ -z "$(tail -c1 "$file")" ] || printf '\n(no trailing newline)\n'
    printf '```\n'
  else
    printf '%s: (empty)\n' "$label"
  fi
}

# heading TEXT: a markdown heading in the current part
heading() { printf '\n%s\n\n' "$*" >>"$PART"; }
note() { printf '%s\n\n' "$*" >>"$PART"; }

# rec 'COMMAND LINE': runs it with bash in $CAPTURE_CWD and records everything.
rec() {
  local cmd=$1 out err rc
  out=$(mktemp) err=$(mktemp)
  (cd "$CAPTURE_CWD" && bash -c "$cmd") >"$out" 2>"$err" </dev/null
  rc=$?
  {
    printf '```\n$ %s\n```\n' "$cmd"
    printf 'exit code: %s\n\n' "$rc"
    fence stdout "$out"
    printf '\n'
    fence stderr "$err"
    printf '\n'
  } >>"$PART"
  # echo to the terminal too, for the operator
  printf '$ %s  -> %s\n' "$cmd" "$rc" >&2
  LAST_RC=$rc
  LAST_OUT=$(cat "$out")
  rm -f "$out" "$err"
  return 0
}

# quiet 'COMMAND': setup step, not recorded; fails loudly.
quiet() {
  (cd "$CAPTURE_CWD" && bash -c "$1") >/dev/null 2>/tmp/capture-quiet.err </dev/null \
    || { echo "setup step failed: $1" >&2; cat /tmp/capture-quiet.err >&2; return 1; }
}

# wait_for 'COMMAND' [SECONDS]: polls COMMAND (not recorded) until it succeeds; fails after the deadline.
wait_for() {
  local cmd=$1 deadline=$(( $(date +%s) + ${2:-60} ))
  until (cd "$CAPTURE_CWD" && bash -c "$cmd") >/dev/null 2>&1 </dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "timed out waiting for: $cmd" >&2; return 1; fi
    sleep 0.5
  done
}

begin_part() {
  PART=$PARTS_DIR/$1.md
  : >"$PART"
}

# assemble [TARGET]: header part, a table of contents of the section headings, then every other part.
assemble() {
  local target=${1:-$(dirname "$0")/../rbd-outputs.md}
  {
    cat "$PARTS_DIR"/00-*.md
    printf '\n## Contents\n\n'
    grep -h -E '^##+ ' $(ls "$PARTS_DIR"/*.md | grep -v '/00-') \
      | sed -E -e 's/^## (.*)/- \1/' -e 's/^### (.*)/  - \1/'
    for part in "$PARTS_DIR"/*.md; do
      case "$part" in */00-*) ;; *) cat "$part" ;; esac
    done
  } | redact >"$target"
}
