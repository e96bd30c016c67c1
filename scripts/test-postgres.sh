#!/usr/bin/env bash
# Starts or stops a PRIVATE PostgreSQL server for the test suite: a fresh
# cluster in a temporary directory, reachable only through a Unix socket in
# that directory, with durability switched off (fsync=off: test data only;
# JISR_PG_DURABLE=1 keeps it on, for benchmarks).
#
# Usage: scripts/test-postgres.sh start STATE_DIR
#        scripts/test-postgres.sh stop STATE_DIR
#
# start writes, in STATE_DIR:
#   url      the connection URL of the maintenance database, e.g.
#            postgresql://postgres@/postgres?host=/tmp/jisr-pg.AbC123&port=5432
#            (tests create and drop their own databases through it)
#   bindir   the PostgreSQL server/client binaries used (pg_dump, psql, ...)
#   cluster  the temporary directory (data/, the socket, server.log)
# A server left running by an interrupted earlier run with the same STATE_DIR
# is stopped first. stop stops the server, removes the temporary directory and
# the files above; it succeeds when nothing is running.
#
# CTest runs these as the fixture "jisr_postgres" (src/db/CMakeLists.txt).
# initdb refuses to run as root: when run as root the cluster is created and
# run by the unprivileged `postgres` account (created by Debian's postgresql
# package); otherwise by the current user. The PostgreSQL binaries are found in
# $JISR_PG_BINDIR, else /usr/lib/postgresql/{17,16,15}/bin, else pg_config.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1
state=$2

find_bindir() {
  if [ -n "${JISR_PG_BINDIR:-}" ] && [ -x "$JISR_PG_BINDIR/pg_ctl" ]; then
    echo "$JISR_PG_BINDIR"
    return
  fi
  for v in 17 16 15; do
    if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then
      echo "/usr/lib/postgresql/$v/bin"
      return
    fi
  done
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/pg_ctl" ]; then
    pg_config --bindir
    return
  fi
  echo "test-postgres: no PostgreSQL server binaries (pg_ctl) found; run scripts/install-deps.sh" >&2
  exit 1
}

# Runs a command as the account that owns the cluster.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_server() {
  [ -f "$state/cluster" ] || return 0
  local cluster
  cluster=$(cat "$state/cluster")
  local bindir
  bindir=$(cat "$state/bindir" 2>/dev/null || find_bindir)
  if [ -d "$cluster/data" ] && [ -f "$cluster/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$cluster/data" -m immediate -w -t 60 stop >/dev/null 2>&1 || true
  fi
  case "$cluster" in
    /tmp/jisr-pg.*) rm -rf "$cluster" ;;
  esac
  rm -f "$state/url" "$state/bindir" "$state/cluster"
}

case "$action" in
  start)
    bindir=$(find_bindir)
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
      echo "test-postgres: running as root needs the 'postgres' account (initdb refuses root)" >&2
      exit 1
    fi
    mkdir -p "$state"
    stop_server
    # Always under /tmp: the postgres account must reach it, and a Unix
    # socket path must stay short (107 bytes).
    cluster=$(mktemp -d /tmp/jisr-pg.XXXXXX)
    echo "$cluster" >"$state/cluster"
    echo "$bindir" >"$state/bindir"
    chmod 0755 "$cluster"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$cluster"; fi
    if ! as_owner "$bindir/initdb" -D "$cluster/data" -U postgres --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$cluster/initdb.log" 2>&1; then
      cat "$cluster/initdb.log" >&2
      stop_server
      exit 1
    fi
    port=5432
    # JISR_PG_DURABLE=1 (benchmarks): keep PostgreSQL's durable defaults.
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${JISR_PG_DURABLE:-0}" = 1 ] && durability=""
    if ! as_owner "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$cluster' -c port=$port \
          $durability \
          -c max_connections=300 -c max_parallel_workers_per_gather=0 \
          -c shared_buffers=64MB -c log_min_messages=warning" \
      start >/dev/null; then
      cat "$cluster/server.log" >&2 || true
      stop_server
      exit 1
    fi
    # Written last: its presence means the server is up.
    echo "postgresql://postgres@/postgres?host=$cluster&port=$port" >"$state/url.tmp"
    mv "$state/url.tmp" "$state/url"
    echo "test-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') up, $(cat "$state/url")"
    ;;
  stop)
    stop_server
    echo "test-postgres: stopped"
    ;;
  *)
    usage
    ;;
esac
