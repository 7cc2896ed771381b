#!/usr/bin/env bash
# A private Redis server for the rate limits' shared store (tests, CI, `make load`).
#
# Usage:
#   scripts/ci-redis.sh --server-only   start it if it is not running; print REDIS_URL=
#   scripts/ci-redis.sh --stop          stop it
#   scripts/ci-redis.sh COMMAND ...     run COMMAND with RATELIMIT_STORAGE_URI and
#                                       REDIS_URL set, starting (and then stopping) the
#                                       server when it was not running
#
# Debian's redis-server package (installed here if missing), run as this user on
# 127.0.0.1:$RX_REDIS_PORT (default 6391) with its files in a temporary directory: no
# systemd unit, no password, nothing kept on disk. A throwaway store for tests only.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${RX_REDIS_PORT:-6391}
DIR=${TMPDIR:-/tmp}/rxassist-redis-$(id -u)-$PORT
URL="redis://127.0.0.1:$PORT/0"

log() { echo "ci-redis: $*" >&2; }

answers() { redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG; }

# Sets STARTED=1 when this call started the server (so only that call stops it).
start_server() {
  STARTED=0
  scripts/ensure-system-packages.sh redis-server=redis-server redis-cli=redis-tools
  answers && return 0
  mkdir -p "$DIR"
  log "starting redis-server on 127.0.0.1:$PORT ($DIR)"
  # No snapshots or append-only file: limit counters need not survive a restart.
  redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --daemonize yes \
    --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" \
    --save "" --appendonly no --protected-mode yes >/dev/null
  local tries=0
  until answers; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || { log "the server does not answer; see $DIR/redis.log"; exit 1; }
    sleep 0.1
  done
  STARTED=1
}

stop_server() {
  answers || return 0
  log "stopping redis-server on 127.0.0.1:$PORT"
  redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
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
