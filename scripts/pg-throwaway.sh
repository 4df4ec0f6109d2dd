#!/usr/bin/env bash
# pg-throwaway.sh — a disposable PostgreSQL cluster on 127.0.0.1 for tests.
#
# Usage:
#   scripts/pg-throwaway.sh start    # init (if needed) + start; prints the DSN as the last line of stdout
#   scripts/pg-throwaway.sh stop     # stop the cluster and delete its state dir
#   scripts/pg-throwaway.sh status   # exit 0 if running (prints the DSN), 1 otherwise
#   scripts/pg-throwaway.sh dsn      # print the DSN of the running cluster
#
# Environment:
#   PGTHROWAWAY_DIR   state dir (data, socket, log, port, dsn); default /tmp/renkei-pg
#   PGTHROWAWAY_DB    database created on start; default renkei_test
#   PGTHROWAWAY_PORT  first port to try; default 54329 (next free one up to +100 is used)
#   PG_BIN            PostgreSQL bin dir; default /usr/lib/postgresql/15/bin (or newest installed)
#
# Typical use:
#   export RENKEI_TEST_POSTGRES="$(scripts/pg-throwaway.sh start | tail -n1)"
#   go test ./...
#   scripts/pg-throwaway.sh stop
#
# `start` is idempotent: on a running cluster it just prints the DSN; on a stopped
# one it restarts it. Auth is `trust`, the server listens on 127.0.0.1 only and
# durability is off (fsync, synchronous_commit, full_page_writes) — tests only.
# Run as root, the server runs as the `postgres` OS user; otherwise as yourself.
# All diagnostics go to stderr; stdout carries only the DSN.
set -euo pipefail

DIR="${PGTHROWAWAY_DIR:-/tmp/renkei-pg}"
DB="${PGTHROWAWAY_DB:-renkei_test}"
FIRST_PORT="${PGTHROWAWAY_PORT:-54329}"
MARKER=".pg-throwaway"

log() { printf 'pg-throwaway: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

find_pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then printf '%s\n' "$PG_BIN"; return; fi
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then echo /usr/lib/postgresql/15/bin; return; fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [[ -n "$d" && -x "$d/pg_ctl" ]]; then printf '%s\n' "$d"; return; fi
  d="$(command -v pg_ctl 2>/dev/null || true)"
  [[ -n "$d" ]] || die "PostgreSQL server binaries not found (set PG_BIN)"
  dirname "$d"
}
PG_BIN="$(find_pg_bin)"

# Resolve DIR to an absolute path (it is used in server options and the socket path).
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
DATA="$DIR/data"
LOGFILE="$DIR/postgres.log"

# Run a PostgreSQL server-side command as the cluster owner, from a dir it can read.
as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$DIR" && runuser -u postgres -- "$@")
  else
    (cd "$DIR" && "$@")
  fi
}

postmaster_pid() {
  local pid
  pid="$(head -n1 "$DATA/postmaster.pid" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  printf '%s\n' "$pid"
}

# pg_ctl status alone is fooled by a dead postmaster that was not reaped yet
# (a zombie, seen on sandboxes whose init reaps lazily), so check the state too.
is_running() {
  [[ -f "$DATA/PG_VERSION" ]] || return 1
  as_owner "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 || return 1
  local pid state
  pid="$(postmaster_pid)" || return 1
  if [[ -r "/proc/$pid/stat" ]]; then
    state="$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f1)"
    [[ "$state" != "Z" ]] || return 1
  fi
  return 0
}

# After a crash or kill -9 the lock files still name the dead (possibly zombie)
# postmaster and postgres would refuse to start; is_running said it is dead.
clear_stale_locks() {
  if [[ -f "$DATA/postmaster.pid" ]]; then
    log "removing stale postmaster.pid (pid $(postmaster_pid || echo '?'))"
    rm -f "$DATA/postmaster.pid"
  fi
  rm -f "$DIR"/.s.PGSQL.*.lock "$DIR"/.s.PGSQL.[0-9]*[0-9] 2>/dev/null || true
}

# 0 if something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

dsn_for() { printf 'postgres://postgres@127.0.0.1:%s/%s?sslmode=disable\n' "$1" "$DB"; }

psql_admin() {
  PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atq -c "$2"
}

ensure_db() {
  local port="$1"
  local exists
  exists="$(psql_admin "$port" "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
  if [[ "$exists" != "1" ]]; then
    psql_admin "$port" "CREATE DATABASE \"$DB\"" >/dev/null
    log "created database $DB"
  fi
}

write_state() {
  local port="$1"
  printf '%s\n' "$port" >"$DIR/port"
  dsn_for "$port" >"$DIR/dsn"
  chmod 0644 "$DIR/port" "$DIR/dsn"
}

cmd_start() {
  if [[ ! -d "$DIR" ]]; then
    mkdir -p "$DIR"
  fi
  touch "$DIR/$MARKER"
  if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "OS user 'postgres' does not exist"
    chown postgres: "$DIR"
  fi
  # The dir must be traversable by psql clients reading dsn/port; data stays 0700.
  chmod 0755 "$DIR"

  if is_running; then
    local port
    port="$(cat "$DIR/port")"
    log "already running on 127.0.0.1:$port ($DIR)"
    ensure_db "$port"
    dsn_for "$port"
    return 0
  fi

  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    log "initdb in $DATA ($PG_BIN)"
    rm -rf "$DATA"
    as_owner "$PG_BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=trust >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    # Trust, but only over the local socket and loopback.
    cat >"$DATA/pg_hba.conf" <<'EOF'
# pg-throwaway: trust auth, loopback and local socket only
local   all             all                     trust
host    all             all     127.0.0.1/32    trust
host    all             all     ::1/128         trust
local   replication     all                     trust
host    replication     all     127.0.0.1/32    trust
EOF
    if [[ $EUID -eq 0 ]]; then chown postgres: "$DATA/pg_hba.conf"; fi
  fi

  clear_stale_locks

  # Prefer the port used last time, then scan upwards from FIRST_PORT.
  local candidates=() p
  if [[ -f "$DIR/port" ]]; then candidates+=("$(cat "$DIR/port")"); fi
  for ((p = FIRST_PORT; p < FIRST_PORT + 100; p++)); do candidates+=("$p"); done

  local started="" attempts=0
  for p in "${candidates[@]}"; do
    port_in_use "$p" && continue
    attempts=$((attempts + 1))
    ((attempts > 10)) && break
    log "starting on 127.0.0.1:$p"
    : >"$LOGFILE"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$LOGFILE"; fi
    if as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $p -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      >&2; then
      started="$p"
      break
    fi
    # Lost a race for the port? Try the next one; anything else is fatal.
    if grep -q 'could not bind\|Address already in use\|could not create any TCP/IP sockets' "$LOGFILE"; then
      log "port $p taken, trying another"
      continue
    fi
    tail -n 30 "$LOGFILE" >&2 || true
    die "pg_ctl start failed"
  done
  [[ -n "$started" ]] || die "could not find a free port (from $FIRST_PORT)"

  write_state "$started"
  ensure_db "$started"
  log "ready: $(dsn_for "$started")"
  dsn_for "$started"
}

cmd_stop() {
  if [[ ! -d "$DIR" ]]; then
    log "nothing at $DIR"
    return 0
  fi
  if is_running; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >&2 ||
      as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w -t 30 stop >&2 || true
  fi
  # Only delete dirs this script created (guards against a mistyped PGTHROWAWAY_DIR).
  if [[ -f "$DIR/$MARKER" ]]; then
    rm -rf "$DIR"
    log "stopped and removed $DIR"
  else
    rmdir "$DIR" 2>/dev/null || log "left $DIR in place (not created by pg-throwaway)"
  fi
}

cmd_status() {
  if is_running && [[ -f "$DIR/port" ]]; then
    dsn_for "$(cat "$DIR/port")"
    return 0
  fi
  log "not running ($DIR)"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  dsn) cmd_status ;;
  *)
    echo "usage: $0 start|stop|status|dsn   (state dir: \$PGTHROWAWAY_DIR, default /tmp/renkei-pg)" >&2
    exit 2
    ;;
esac
