#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job, end to end: set up, build, start a real snmpd on loopback, scan it with v2c over
# IPv4 and SNMPv3 over IPv6, then show what was found. Everything it starts, it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETINV_TESTS=OFF >/dev/null
cmake --build build-release -j "$(nproc)" --target netinv >/dev/null
netinv=$PWD/build-release/cli/netinv

work=$(mktemp -d)
agent_pid=""
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0)); print(s.getsockname()[1])')
export DEMO_COMMUNITY="demo-$RANDOM$RANDOM" DEMO_AUTH="auth-$RANDOM$RANDOM" DEMO_PRIV="priv-$RANDOM$RANDOM"
cat > "$work/snmpd.conf" <<CONF
rocommunity $DEMO_COMMUNITY 127.0.0.1
createUser netinv SHA-256 "$DEMO_AUTH" AES "$DEMO_PRIV"
rouser netinv authpriv
sysname demo-server
syslocation Trung tâm dữ liệu tỉnh Hải Dương
syscontact noc@haiduong.test
CONF
MIBS= SNMP_PERSISTENT_DIR="$work/persist" /usr/sbin/snmpd -f -Lf "$work/snmpd.log" -C \
  -c "$work/snmpd.conf" "udp:127.0.0.1:$port" "udp6:[::1]:$port" &
agent_pid=$!
for _ in $(seq 50); do
  snmpget -v2c -c "$DEMO_COMMUNITY" -t 0.1 -r 0 "127.0.0.1:$port" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && break
  sleep 0.1
done

cat > "$work/inventory.toml" <<CONF
[credential.v2c]
version = "2c"
community_env = "DEMO_COMMUNITY"

[credential.v3]
version = "3"
user = "netinv"
auth_protocol = "sha256"
auth_env = "DEMO_AUTH"
priv_protocol = "aes"
priv_env = "DEMO_PRIV"

[[target]]
name = "dc-server-v4"
address = "127.0.0.1"
port = $port
site = "Trung tâm dữ liệu tỉnh"
role = "server"
credential = "v2c"

[[target]]
name = "dc-server-v6"
address = "::1"
port = $port
site = "Trung tâm dữ liệu tỉnh"
role = "server"
credential = "v3"
CONF
export NETINV_CONFIG="$work/inventory.toml" NETINV_DB="$work/inventory.db"

echo "== netinv scan"
"$netinv" scan
echo
echo "== netinv devices"
"$netinv" devices
echo
echo "== netinv show dc-server-v6"
"$netinv" show dc-server-v6
echo
echo "Look further with: netinv show NAME --format json, netinv devices --format csv, netinv probe ADDRESS"
