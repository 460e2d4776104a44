#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for the test suite.
#   scripts/pg-throwaway.sh start [port]   prints the DATABASE_URL on stdout
#   scripts/pg-throwaway.sh stop
set -euo pipefail
DIR=${PG_THROWAWAY_DIR:-/tmp/ipocket-pg}
PORT=${2:-${PG_THROWAWAY_PORT:-55432}}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    if [ -f "$DIR/data/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
      echo "postgres://postgres:postgres@127.0.0.1:$(cat "$DIR/port")/postgres"; exit 0
    fi
    rm -rf "$DIR"; mkdir -p "$DIR"; chmod 755 "$DIR"; [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    echo postgres > "$DIR/pw"; [ "$(id -u)" = 0 ] && chown postgres "$DIR/pw"
    as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --pwfile="$DIR/pw" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
      || { cat "$DIR/server.log" >&2; exit 1; }
    echo "$PORT" > "$DIR/port"
    echo "postgres://postgres:postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    [ -d "$DIR/data" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start [port] | stop" >&2; exit 2 ;;
esac
