#!/usr/bin/env bash
# A private Redis server for the rate limits' shared store (tests, CI, `make load`).
#
# Usage:
#   scripts/ci-redis.sh --server-only   start it if it is not running; print REDIS_URL=
#   scripts/ci-redis.sh --stop          stop it, if this script started it
#   scripts/ci-redis.sh COMMAND ...     run COMMAND with RATELIMIT_STORAGE_URI and
#                                       REDIS_URL set, starting (and then stopping) the
#                                       server when it was not running
#
# Debian's redis-server package (installed here if missing), run as this user on
# 127.0.0.1:$RX_REDIS_PORT (default 6391) with its files in a fresh `mktemp -d`
# directory: no systemd unit, no password, nothing kept on disk. A throwaway store for
# tests only. Which directory (and so which pidfile) this script made is noted under
# instance/; --stop shuts down only the server whose pid is in that pidfile, never a
# Redis this script did not start.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${RX_REDIS_PORT:-6391}
URL="redis://127.0.0.1:$PORT/0"
# Where this checkout notes the directory of the server it started on PORT.
NOTE=instance/ci-redis-$PORT.dir

log() { echo "ci-redis: $*" >&2; }

answers() { redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG; }

# Sets STARTED=1 when this call started the server (so only that call stops it).
start_server() {
  STARTED=0
  scripts/ensure-system-packages.sh redis-server=redis-server redis-cli=redis-tools
  answers && return 0
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/rxassist-redis.XXXXXXXX")
  mkdir -p instance
  echo "$dir" >"$NOTE"
  log "starting redis-server on 127.0.0.1:$PORT ($dir)"
  # No snapshots or append-only file: limit counters need not survive a restart.
  redis-server --bind 127.0.0.1 --port "$PORT" --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --save "" --appendonly no --protected-mode yes >/dev/null
  local tries=0
  until answers; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || { log "the server does not answer; see $dir/redis.log"; exit 1; }
    sleep 0.1
  done
  STARTED=1
}

# The pid this script's server wrote to its pidfile, or nothing.
our_pid() {
  local dir
  [ -f "$NOTE" ] || return 0
  dir=$(cat "$NOTE")
  case "$dir" in "${TMPDIR:-/tmp}"/rxassist-redis.*) ;; *) return 0 ;; esac
  [ -f "$dir/redis.pid" ] && cat "$dir/redis.pid"
}

# The pid of the server answering on PORT, as it reports itself.
serving_pid() {
  redis-cli -p "$PORT" info server 2>/dev/null | tr -d '\r' |
    sed -n 's/^process_id:\([0-9][0-9]*\)$/\1/p'
}

stop_server() {
  local pid dir
  pid=$(our_pid || true)
  if answers; then
    if [ -n "$pid" ] && [ "$pid" = "$(serving_pid)" ]; then
      log "stopping redis-server on 127.0.0.1:$PORT (pid $pid)"
      redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
    else
      log "the Redis on 127.0.0.1:$PORT was not started by this script: left running"
      return 0
    fi
  fi
  [ -f "$NOTE" ] || return 0
  dir=$(cat "$NOTE")
  case "$dir" in "${TMPDIR:-/tmp}"/rxassist-redis.*) rm -rf -- "$dir" ;; esac
  rm -f -- "$NOTE"
}

case "${1:-}" in
  --server-only)
    start_server
    echo "REDIS_URL=$URL"
    echo "REDIS_STARTED=$STARTED"
    ;;
  --stop)
    stop_server
    ;;
  "" | -h | --help)
    echo "usage: $0 --server-only | --stop | COMMAND ..." >&2
    exit 2
    ;;
  *)
    start_server
    if [ "$STARTED" = 1 ]; then
      trap stop_server EXIT
    fi
    REDIS_URL=$URL RATELIMIT_STORAGE_URI=$URL "$@"
    ;;
esac
