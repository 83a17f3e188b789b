#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cmake --install into a fresh prefix; the shipped configuration, copied elsewhere (as an
# administrator copies it to /etc/netinv), must check clean against the installed data, and
# the installed binary must be stripped; the server's files (units, cron, completion, the
# configuration and a 0600 secrets file in etc/netinv) are installed, and kept on reinstall.  install_check.sh BUILD_DIR
set -euo pipefail
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" --strip >/dev/null
for f in bin/netinv share/man/man1/netinv.1 share/man/man5/inventory.toml.5 \
         share/netinv/identity.toml share/netinv/inventory.toml \
         share/netinv/plan/4001-KH-UBND-2021.toml share/netinv/data/haiduong_units.tsv \
         etc/netinv/inventory.toml etc/netinv/netinv.env etc/cron.d/netinv \
         lib/systemd/system/netinv-audit.service lib/systemd/system/netinv-audit.timer \
         share/bash-completion/completions/netinv; do
  [ -f "$tmp/prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
[ "$(stat -c %a "$tmp/prefix/etc/netinv/netinv.env")" = 600 ] || { echo "netinv.env is not 0600"; exit 1; }
# A second install keeps what the administrator changed.
echo "# the administrator's" >>"$tmp/prefix/etc/netinv/inventory.toml"
cmake --install "$build" --prefix "$tmp/prefix" --strip >/dev/null
grep -q "the administrator's" "$tmp/prefix/etc/netinv/inventory.toml" ||
  { echo "a second install overwrote etc/netinv/inventory.toml"; exit 1; }
if file "$tmp/prefix/bin/netinv" | grep -q "not stripped"; then
  echo "bin/netinv is not stripped"; exit 1
fi
mkdir "$tmp/etc"
cp "$tmp/prefix/share/netinv/inventory.toml" "$tmp/etc/"
env -u NETINV_DATA_DIR "$tmp/prefix/bin/netinv" config check --no-secrets --config "$tmp/etc/inventory.toml"
