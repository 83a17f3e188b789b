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
# Debian starts the packaged snmpd as a service; netinv's tests and demo start their own agents
# on loopback ports and need nothing from it. When this script installed snmpd, it stops the
# service and disables it again (an snmpd the machine had before is left as it was).
if [[ " ${missing[*]} " == *" snmpd "* ]]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now snmpd.service >/dev/null 2>&1 || true
  else
    $sudo /etc/init.d/snmpd stop >/dev/null 2>&1 || true
    $sudo update-rc.d snmpd disable >/dev/null 2>&1 || true
  fi
  echo "setup: snmpd installed for the tests' own agents; its system service is stopped and disabled" >&2
fi
# The same for PostgreSQL: the tests and the benchmark start servers of their own (initdb into
# a temporary folder, a free port); the cluster Debian creates and starts is stopped.
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now postgresql.service >/dev/null 2>&1 || true
  else
    $sudo /etc/init.d/postgresql stop >/dev/null 2>&1 || true
    $sudo update-rc.d postgresql disable >/dev/null 2>&1 || true
  fi
  echo "setup: postgresql installed for the tests' own servers; its system service is stopped and disabled" >&2
fi
