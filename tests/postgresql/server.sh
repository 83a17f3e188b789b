#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# server.sh COMMAND...: runs COMMAND against a PostgreSQL server of its own. Debian's server is
# initialised into a temporary folder (as the unprivileged user postgres when run as root: initdb
# refuses root), listens on a free loopback port, and has one superuser whose password is only
# in PGPASSWORD. COMMAND sees NETINV_TEST_POSTGRESQL=postgresql://postgres@127.0.0.1:PORT (no
# database: each test creates its own). The server is stopped and its folder removed however
# COMMAND ends; the exit code is COMMAND's.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "server.sh: no PostgreSQL server installed (scripts/setup.sh installs postgresql)" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/netinv-pg.XXXXXX")
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
cleanup() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
(umask 077 && printf '%s\n' "$password" >"$dir/pw")
[ "$(id -u)" -ne 0 ] || chown postgres "$dir/pw"
"${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" -E UTF8 \
  --auth-host=scram-sha-256 --auth-local=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pw"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# fsync off for the tests: they kill netinv, never this server, and a loaded CI machine is slow
# enough. The benchmark keeps it on (NETINV_TEST_POSTGRESQL_FSYNC=on), as a real server runs.
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=${NETINV_TEST_POSTGRESQL_FSYNC:-off} -c max_connections=200" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
export NETINV_TEST_POSTGRESQL="postgresql://postgres@127.0.0.1:$port"
export PGPASSWORD="$password"
export NETINV_TEST_POSTGRESQL_LOG="$dir/server.log"
status=0
"$@" || status=$?
exit "$status"
