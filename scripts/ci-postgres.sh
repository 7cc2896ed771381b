#!/usr/bin/env bash
# Run the test suite on a real PostgreSQL server, installed and started here if needed.
#
# Usage:
#   scripts/ci-postgres.sh                 migrate a fresh database, then run pytest on PG
#   scripts/ci-postgres.sh --server-only   start the server, print PG_URL= and PG_STARTED=
#   scripts/ci-postgres.sh --stop          stop the cluster (after --server-only said 1)
#
# Debian's postgresql package; the cluster is found with pg_lsclusters (or created).
# The role rxassist (password rxassist, CREATEDB) connects over TCP to 127.0.0.1 only;
# it is a throwaway test account, never a production one.
set -euo pipefail
cd "$(dirname "$0")/.."

ROLE=rxassist
PASSWORD=rxassist
TEST_DB=rxassist_test
MIGRATE_DB=rxassist_migrate
PY=.venv/bin/python

log() { echo "ci-postgres: $*" >&2; }

as_postgres() {
  # The postgres superuser authenticates by peer (Unix user name) on the socket.
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -n -u postgres -- "$@"
  fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n -- "$@"; fi
}

ensure_installed() {
  command -v pg_lsclusters >/dev/null 2>&1 && return 0
  log "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when the install cannot resolve without them.
  as_root apt-get install -y -q postgresql >/dev/null 2>&1 ||
    { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q postgresql >/dev/null; }
}

# Sets VERSION, CLUSTER and PORT to the newest cluster, creating one when there is none.
find_cluster() {
  local line
  line=$(pg_lsclusters --no-header 2>/dev/null | sort -k1,1V | tail -n 1 || true)
  if [ -z "$line" ]; then
    VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    log "creating cluster $VERSION/main"
    as_root pg_createcluster "$VERSION" main >/dev/null
    line=$(pg_lsclusters --no-header | grep "^$VERSION  *main ")
  fi
  read -r VERSION CLUSTER PORT _ <<<"$line"
}

cluster_online() {
  pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" \
    '$1 == v && $2 == c && $4 ~ /^online/ { found = 1 } END { exit !found }'
}

# Sets STARTED=1 when this call started the server (so only that call stops it).
start_server() {
  STARTED=0
  if ! cluster_online; then
    log "starting cluster $VERSION/$CLUSTER on port $PORT"
    as_root pg_ctlcluster "$VERSION" "$CLUSTER" start
    STARTED=1
  fi
  local tries=0
  until as_postgres psql -p "$PORT" -qAtc "select 1" >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || { log "the server does not answer"; exit 1; }
    sleep 0.5
  done
}

stop_server() {
  log "stopping cluster $VERSION/$CLUSTER"
  as_root pg_ctlcluster "$VERSION" "$CLUSTER" stop || true
}

psql_admin() {
  PGOPTIONS="-c client_min_messages=warning" as_postgres psql -p "$PORT" -v ON_ERROR_STOP=1 -qAt "$@"
}

ensure_role() {
  # CREATE ROLE has no IF NOT EXISTS; the password is reset so a stale one cannot block.
  if [ "$(psql_admin -c "select 1 from pg_roles where rolname = '$ROLE'")" != 1 ]; then
    psql_admin -c "create role $ROLE login createdb password '$PASSWORD'"
  else
    psql_admin -c "alter role $ROLE login createdb password '$PASSWORD'"
  fi
}

ensure_database() {
  if [ "$(psql_admin -c "select 1 from pg_database where datname = '$1'")" != 1 ]; then
    psql_admin -c "create database $1 owner $ROLE"
  fi
}

fresh_database() {
  psql_admin -c "drop database if exists $1 with (force)"
  psql_admin -c "create database $1 owner $ROLE"
}

url() { echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$1"; }

ensure_installed
find_cluster

case "${1:-}" in
  --stop)
    stop_server
    exit 0
    ;;
  --server-only)
    start_server
    ensure_role
    echo "PG_URL=$(url postgres)"
    echo "PG_STARTED=$STARTED"
    exit 0
    ;;
  "") ;;
  *)
    echo "usage: $0 [--server-only | --stop]" >&2
    exit 2
    ;;
esac

make --no-print-directory setup-dev test-tools >/dev/null
start_server
if [ "$STARTED" = 1 ]; then
  trap stop_server EXIT
fi
ensure_role

# The migrations, applied to an empty PostgreSQL database, must build the models' schema.
log "flask db upgrade on a fresh $MIGRATE_DB"
fresh_database "$MIGRATE_DB"
DATABASE_URL=$(url "$MIGRATE_DB") FLASK_APP=app .venv/bin/flask db upgrade
DATABASE_URL=$(url "$MIGRATE_DB") FLASK_APP=app .venv/bin/flask db check

ensure_database "$TEST_DB"
# Test data need not survive a crash; this setting is kept by the test database only.
psql_admin -c "alter database $TEST_DB set synchronous_commit = off"
log "pytest on $TEST_DB"
TEST_DATABASE_URL=$(url "$TEST_DB") $PY -m pytest -q -m "not browser"
