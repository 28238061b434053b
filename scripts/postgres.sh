#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for the test suite: initdb + pg_ctl as user `postgres`
# in a temporary directory on a free port. Prints the URL to use; `stop` removes it.
#   url=$(scripts/postgres.sh start)      -> postgresql://postgres@127.0.0.1:PORT/chainatlas_test
#   scripts/postgres.sh stop
# Callers that may run side by side set CHAINATLAS_PG_OWNER (e.g. to their $$) so that
# each `stop` removes its own cluster.
set -euo pipefail

state_file="${TMPDIR:-/tmp}/chainatlas-pg.${CHAINATLAS_PG_OWNER:-default}.state"

find_bin() {
  local name=$1
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin /usr/local/bin /usr/bin; do
    if [ -x "$d/$name" ]; then echo "$d/$name"; return 0; fi
  done
  command -v "$name" || return 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    initdb=$(find_bin initdb) || { echo "initdb not found: install PostgreSQL 15" >&2; exit 3; }
    pg_ctl=$(find_bin pg_ctl)
    dir=$(mktemp -d /tmp/chainatlas-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    # C.UTF-8 ctype so pg_trgm treats CJK characters as word characters.
    as_postgres "$initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_postgres "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_postgres "$(dirname "$pg_ctl")/createdb" -h 127.0.0.1 -p "$port" -U postgres chainatlas_test 2>/dev/null \
      || as_postgres "$(find_bin createdb)" -h 127.0.0.1 -p "$port" -U postgres chainatlas_test
    echo "$dir $port" >"$state_file"
    echo "postgresql://postgres@127.0.0.1:$port/chainatlas_test"
    ;;
  stop)
    [ -f "$state_file" ] || exit 0
    read -r dir port <"$state_file"
    pg_ctl=$(find_bin pg_ctl)
    as_postgres "$pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$state_file"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
