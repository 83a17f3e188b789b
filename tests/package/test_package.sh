#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Debian package, as an administrator meets it: built from the source with
# dpkg-buildpackage, lintian-clean of errors and warnings, its service hardened (systemd-analyze
# security exposure <= 2.5), installed with apt into a fresh Debian root made by debootstrap;
# there `netinv config check` passes with the secrets set, the installed unit's command line
# scans a real snmpd as the netinv user into /var/lib/netinv, remove keeps the database and
# purge removes it and says so.
#   test_package.sh SOURCE_DIR        (root only; exit 77 = skipped)
# NETINV_DEBIAN_MIRROR overrides the mirror debootstrap uses.
set -euo pipefail
src=$(cd "$1" && pwd)
if [ "$(id -u)" -ne 0 ]; then echo "skipped: needs root (debootstrap, chroot)"; exit 77; fi
for tool in dpkg-buildpackage lintian debootstrap systemd-analyze snmpd file; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "skipped: no $tool"; exit 77; }
done
mirror=${NETINV_DEBIAN_MIRROR:-http://deb.debian.org/debian}

tmp=$(mktemp -d /var/tmp/netinv-package.XXXXXX)
root=$tmp/root
snmpd_pid=""
cleanup() {
  [ -n "$snmpd_pid" ] && kill "$snmpd_pid" 2>/dev/null || true
  mountpoint -q "$root/proc" && umount "$root/proc" || true
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
check() { # check "what" command...
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
in_root() { chroot "$root" "$@"; }
as_netinv() { in_root runuser -u netinv -- sh -c "set -a; . /etc/netinv/netinv.env; set +a; $1"; }

echo "== build the package (a copy of the source, as a clean checkout)"
mkdir -p "$tmp/src/netinv"
if git -C "$src" rev-parse >/dev/null 2>&1; then
  (cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 tar cf -) | tar xf - -C "$tmp/src/netinv"
else
  tar cf - -C "$src" --exclude='./build*' . | tar xf - -C "$tmp/src/netinv"
fi
(cd "$tmp/src/netinv" && dpkg-buildpackage -b -us -uc -j"$(nproc)" >"$tmp/build.log" 2>&1) ||
  { tail -40 "$tmp/build.log"; echo "FAIL: dpkg-buildpackage"; exit 1; }
deb=$(ls "$tmp"/src/netinv_*.deb | grep -v dbgsym | head -1)
echo "built $(basename "$deb")"

echo "== lintian"
lintian --fail-on error,warning --suppress-tags no-manual-page "$deb" >"$tmp/lintian.log" 2>&1 ||
  cat "$tmp/lintian.log"
check "lintian: no errors or warnings" bash -c "! grep -E '^(E|W):' '$tmp/lintian.log'"

echo "== contents"
mkdir "$tmp/x" && dpkg-deb -x "$deb" "$tmp/x"
for f in usr/bin/netinv usr/share/man/man1/netinv.1.gz usr/share/man/man5/inventory.toml.5.gz \
         usr/share/netinv/plan/4001-KH-UBND-2021.toml usr/share/netinv/data/haiduong_units.tsv \
         usr/share/netinv/identity.toml etc/netinv/inventory.toml etc/netinv/netinv.env \
         etc/cron.d/netinv lib/systemd/system/netinv-audit.service \
         lib/systemd/system/netinv-audit.timer usr/share/bash-completion/completions/netinv; do
  check "ships /$f" test -f "$tmp/x/$f"
done
check "/usr/bin/netinv is stripped" bash -c "file '$tmp/x/usr/bin/netinv' | grep -q ', stripped'"
check "conffiles: /etc/netinv/inventory.toml, netinv.env, cron.d/netinv" bash -c \
  "dpkg-deb -I '$deb' conffiles | sort | tr '\n' ' ' | grep -qx '/etc/cron.d/netinv /etc/netinv/inventory.toml /etc/netinv/netinv.env '"
exposure=$(systemd-analyze security --offline=yes --root="$tmp/x" netinv-audit.service 2>/dev/null |
           sed -n 's/.*Overall exposure level for netinv-audit.service: \([0-9.]*\).*/\1/p')
echo "systemd-analyze security: exposure $exposure"
check "service exposure <= 2.5 (was 9.2 for the unit of netinv(1))" \
  awk -v e="$exposure" 'BEGIN { exit !(e != "" && e + 0 <= 2.5) }'

echo "== install into a fresh Debian root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$tmp/debootstrap.log" 2>&1 ||
  { tail -20 "$tmp/debootstrap.log"; echo "FAIL: debootstrap"; exit 1; }
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/netinv.deb"
in_root apt-get install -y -qq /tmp/netinv.deb >"$tmp/install.log" 2>&1 ||
  { tail -20 "$tmp/install.log"; echo "FAIL: apt-get install"; exit 1; }
check "user netinv exists, a system user" bash -c "in_uid=\$(chroot '$root' id -u netinv) && [ \"\$in_uid\" -lt 1000 ]"
check "/etc/netinv/netinv.env is 0640 root:netinv" \
  bash -c "[ \"\$(chroot '$root' stat -c '%a %U %G' /etc/netinv/netinv.env)\" = '640 root netinv' ]"
check "/var/lib/netinv belongs to netinv" \
  bash -c "[ \"\$(chroot '$root' stat -c '%U' /var/lib/netinv)\" = netinv ]"
check "nothing is enabled on install (the timer waits for the secrets)" \
  bash -c "! ls '$root'/etc/systemd/system/timers.target.wants/netinv* 2>/dev/null"

echo "== the shipped configuration checks clean once the secrets are set"
cat >"$root/etc/netinv/netinv.env" <<'ENV'
NETINV_COMMUNITY=community-of-the-routers
NETINV_SERVER_COMMUNITY=community-of-the-servers
NETINV_V3_AUTH=auth-pass-phrase
NETINV_V3_PRIV=priv-pass-phrase
ENV
check "netinv config check (as netinv, /etc/netinv/inventory.toml)" as_netinv "netinv config check >/dev/null"
check "without the secrets it fails" bash -c "! chroot '$root' runuser -u netinv -- netinv config check >/dev/null 2>&1"

echo "== the installed unit's command line scans a local agent as the netinv user"
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir "$tmp/agent"
printf 'rocommunity community-of-the-routers 127.0.0.1\nsysname pkg-agent\n' >"$tmp/agent/snmpd.conf"
MIBS="" SNMP_PERSISTENT_DIR="$tmp/agent" /usr/sbin/snmpd -f -C -c "$tmp/agent/snmpd.conf" \
  -Lf "$tmp/agent/log" "udp:127.0.0.1:$port" &
snmpd_pid=$!
cat >"$root/etc/netinv/inventory.toml" <<TOML
# The administrator's configuration: one router, and the plan installed in /usr/share/netinv.
plan = "plan/4001-KH-UBND-2021.toml"

[credential.routers]
version = "2c"
community_env = "NETINV_COMMUNITY"

[[target]]
name = "pkg-agent"
address = "127.0.0.1"
port = $port
credential = "routers"
TOML
unit=$root/lib/systemd/system/netinv-audit.service
execstart=$(sed -n 's/^ExecStart=//p' "$unit")
user=$(sed -n 's/^User=//p' "$unit")
envfile=$(sed -n 's/^EnvironmentFile=//p' "$unit")
success=$(sed -n 's/^SuccessExitStatus=//p' "$unit")
check "the unit runs as netinv with /etc/netinv/netinv.env" test "$user:$envfile" = "netinv:/etc/netinv/netinv.env"
for try in 1 2 3 4 5 6 7 8 9 10; do
  snmpget -v2c -c community-of-the-routers -t 1 "127.0.0.1:$port" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 && break
  sleep 0.5
done
set +e
in_root runuser -u "$user" -- sh -c "set -a; . $envfile; set +a; exec $execstart"
rc=$?
set -e
check "the audit ends in a success status of the unit (0 or $success), rc $rc" \
  bash -c "[ $rc -eq 0 ] || [[ ' $success ' == *' $rc '* ]]"
check "the scan is in /var/lib/netinv/inventory.db, the device answered" \
  bash -c "chroot '$root' runuser -u netinv -- netinv devices --db /var/lib/netinv/inventory.db --format csv | grep -q pkg-agent"
check "the database belongs to netinv" \
  bash -c "[ \"\$(chroot '$root' stat -c '%U' /var/lib/netinv/inventory.db)\" = netinv ]"
check "the night's reports are in /var/lib/netinv/reports" \
  bash -c "ls '$root'/var/lib/netinv/reports/*-gaps.html >/dev/null"
check "the netinv user finds its database without --db" \
  bash -c "chroot '$root' runuser -u netinv -- netinv scans --format csv | grep -q complete"

echo "== bash completion asks netinv itself"
check "bash completion completes 'netinv sc' and 'netinv scan --con'" bash -c "
  in_root() { chroot '$root' \"\$@\"; }
  out=\$(chroot '$root' bash -c '_init_completion() { cur=\${COMP_WORDS[COMP_CWORD]}; prev=\${COMP_WORDS[COMP_CWORD-1]}; words=(\"\${COMP_WORDS[@]}\"); cword=\$COMP_CWORD; }
    complete() { :; }; . /usr/share/bash-completion/completions/netinv
    COMP_WORDS=(netinv sc); COMP_CWORD=1; _netinv netinv; echo \"\${COMPREPLY[*]}\"
    COMP_WORDS=(netinv scan --con); COMP_CWORD=2; _netinv netinv; echo \"\${COMPREPLY[*]}\"')
  echo \"\$out\" | grep -qx 'scan scans' && echo \"\$out\" | grep -qE -- '(^| )--config( |\$)'"

echo "== remove keeps the database, purge removes it and says so"
in_root apt-get remove -y -qq netinv >"$tmp/remove.log" 2>&1
check "remove: /var/lib/netinv/inventory.db kept" test -f "$root/var/lib/netinv/inventory.db"
check "remove: /etc/netinv/inventory.toml kept" test -f "$root/etc/netinv/inventory.toml"
in_root apt-get purge -y -qq netinv >"$tmp/purge.log" 2>&1
check "purge: /var/lib/netinv removed" test ! -e "$root/var/lib/netinv"
check "purge: /etc/netinv removed" test ! -e "$root/etc/netinv/inventory.toml"
check "purge says what it removes" grep -q "purging removes /var/lib/netinv" "$tmp/purge.log"

if [ "$failures" -gt 0 ]; then echo "$failures checks failed"; exit 1; fi
echo "all package checks passed"
