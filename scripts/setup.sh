#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what netinv needs to build, test and run its demo on Debian 12, only when missing.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libcli11-dev libsqlitecpp-dev libsqlite3-dev
          libsnmp-dev libfmt-dev libtomlplusplus-dev catch2 snmpd snmp snmpsim sqlite3 go-md2man
          clang-format python3 python3-pysnmp4 file
          dpkg-dev debhelper lintian debootstrap systemd
          chromium fonts-dejavu-core gettext python3-jsonschema libutf8proc-dev
          libpq-dev postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts the packaged snmpd and PostgreSQL as services; netinv's tests, demo and
# benchmark start agents and servers of their own (loopback ports; initdb into a temporary
# folder) and need nothing from them. A service this script installed is stopped and disabled
# again (one the machine had before is left as it was).
stop_service() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now "$1.service" >/dev/null 2>&1 || true
  else
    $sudo "/etc/init.d/$1" stop >/dev/null 2>&1 || true
    $sudo update-rc.d "$1" disable >/dev/null 2>&1 || true
  fi
  echo "setup: $1 installed for the tests' own $2; its system service is stopped and disabled" >&2
}
if [[ " ${missing[*]} " == *" snmpd "* ]]; then
  stop_service snmpd agents
fi
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  stop_service postgresql servers
fi
