#!/usr/bin/env bash
# Runs the real rbd-mirror daemon for cluster NAME (started by cluster.sh), replicating from PEER_NAME.
#
#   rbd-mirror.sh start  NAME DIR PEER_NAME PEER_DIR
#   rbd-mirror.sh stop   NAME DIR [PEER_NAME PEER_DIR]     (safe to call twice)
#   rbd-mirror.sh status NAME DIR [PEER_NAME PEER_DIR]
#
# How rbd-mirror finds the clusters (Pacific 16.2): the daemon's own context honours -c, but every pool
# replayer opens its *local* and *remote* connections with a fresh CephContext that only reads the default
# conf search path ($CEPH_CONF, /etc/ceph/$cluster.conf, ~/.ceph/$cluster.conf, ./$cluster.conf), with
# $cluster = NAME for the local side and = the peer's site name for the remote side. So we run the
# daemon in the foreground inside DIR/rbd-mirror.cwd holding symlinks NAME.conf and PEER_NAME.conf
# (CEPH_CONF unset: if it were set, the remote connection would read the *local* conf too).
# Peers added by bootstrap import carry mon_host and key in the local config-key store; peers added by
# `peer add client.rbd-mirror-peer@PEER_NAME` need PEER_NAME.conf and the peer user's keyring, which this
# script exports to PEER_DIR/PEER_NAME.client.rbd-mirror-peer.keyring (named by PEER_NAME.conf).
# The peer's site name (mirror pool info "Name:") must equal PEER_NAME.
set -euo pipefail

START_DEADLINE_SECONDS=${RBD_MIRROR_START_DEADLINE_SECONDS:-60}
STOP_DEADLINE_SECONDS=${RBD_MIRROR_STOP_DEADLINE_SECONDS:-10}
MIRROR_ID=${RBD_MIRROR_ID:-admin}
# rbd-mirror looks for new pools/peers every 30 s by default; tests want them picked up quickly.
REFRESH_INTERVAL=${RBD_MIRROR_REFRESH_INTERVAL_SECONDS:-2}

die() { echo "rbd-mirror.sh: $*" >&2; exit 1; }
log() { echo "rbd-mirror.sh[$NAME]: $*" >&2; }
usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
now_ms() { date +%s%3N; }

live_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "^rbd-mirror .*$CONF" || return 1
  echo "$pid"
}

# True when the daemon with PID answers "rbd mirror status" on its admin socket (it is initialised).
answers_admin_socket() {
  local asok
  for asok in "$DIR/run/$NAME-client.$MIRROR_ID.$1".*.asok; do
    [ -S "$asok" ] || continue
    ceph --admin-daemon "$asok" rbd mirror status 2>/dev/null | grep -q pool_replayers && return 0
  done
  return 1
}

export_peer_keyring() {
  local peer_conf=$PEER_DIR/$PEER_NAME.conf
  local keyring=$PEER_DIR/$PEER_NAME.client.rbd-mirror-peer.keyring
  [ -f "$peer_conf" ] || die "peer conf $peer_conf not found (start the peer with cluster.sh first)"
  [ -s "$keyring" ] && return 0
  ceph --connect-timeout 10 -c "$peer_conf" auth get-or-create client.rbd-mirror-peer \
      mon 'profile rbd-mirror-peer' osd 'profile rbd' -o "$keyring" 2>/dev/null \
    || ceph --connect-timeout 10 -c "$peer_conf" auth get client.rbd-mirror-peer -o "$keyring" \
    || die "could not export client.rbd-mirror-peer of $PEER_NAME"
}

cmd_start() {
  [ -f "$CONF" ] || die "$CONF not found (start the cluster with cluster.sh first)"
  if pid=$(live_pid); then
    log "already running (pid $pid)"
    return 0
  fi
  local t0 cwd pid deadline
  t0=$(now_ms)
  export_peer_keyring
  cwd=$DIR/rbd-mirror.cwd
  mkdir -p "$cwd" "$DIR/log" "$DIR/run"
  ln -sfn "$CONF" "$cwd/$NAME.conf"
  ln -sfn "$PEER_DIR/$PEER_NAME.conf" "$cwd/$PEER_NAME.conf"
  (
    cd "$cwd"
    unset CEPH_CONF CEPH_ARGS
    exec rbd-mirror -f -c "$CONF" --id "$MIRROR_ID" --log-file "$DIR/log/rbd-mirror.log" \
      --rbd-mirror-pool-replayers-refresh-interval "$REFRESH_INTERVAL" \
      </dev/null >>"$DIR/log/rbd-mirror.stdout" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$PIDFILE"
  deadline=$(($(date +%s) + START_DEADLINE_SECONDS))
  local delay=0.2
  until answers_admin_socket "$pid"; do
    [ -d "/proc/$pid" ] || { tail -5 "$DIR/log/rbd-mirror.stdout" >&2; die "rbd-mirror exited; see $DIR/log/rbd-mirror.log"; }
    [ "$(date +%s)" -lt "$deadline" ] || die "rbd-mirror (pid $pid) did not answer on its admin socket in ${START_DEADLINE_SECONDS}s"
    sleep "$delay"
    delay=$(awk -v d="$delay" 'BEGIN { d = d * 1.5; if (d > 1) d = 1; print d }')
  done
  log "started (pid $pid) in $(($(now_ms) - t0)) ms, peer $PEER_NAME; log $DIR/log/rbd-mirror.log"
}

cmd_stop() {
  local pid deadline
  if ! pid=$(live_pid); then
    rm -f "$PIDFILE"
    log "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(($(date +%s) + STOP_DEADLINE_SECONDS))
  while [ -d "/proc/$pid" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
  if [ -d "/proc/$pid" ]; then
    # Happens when the peer cluster is already stopped: shutdown waits on the dead peer connection.
    log "pid $pid ignored SIGTERM for ${STOP_DEADLINE_SECONDS}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while [ -d "/proc/$pid" ]; do sleep 0.1; done
  fi
  rm -f "$PIDFILE"
  log "stopped"
}

cmd_status() {
  if pid=$(live_pid); then echo "rbd-mirror: running (pid $pid)"; else echo "rbd-mirror: not running"; return 3; fi
}

[ $# -ge 3 ] || usage
command=$1 NAME=$2 DIR=$(realpath -m "$3")
CONF=$DIR/$NAME.conf
PIDFILE=$DIR/run/rbd-mirror.pid
PEER_NAME=${4:-} PEER_DIR=${5:+$(realpath -m "$5")}
case "$command" in
  start) [ $# -eq 5 ] || usage; cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) usage ;;
esac
