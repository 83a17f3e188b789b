#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job, end to end: set up, build, start the simulated Hải Dương province (lab/), scan
# all of inventory.toml's targets, show what was found and the gap report against the plan. The lab is stopped at the end
# (--keep leaves it running); the database stays in build-release/demo.db to look further.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=0
seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --seed) seed=$2; shift ;;
    *) echo "usage: scripts/demo.sh [--keep] [--seed N]" >&2; exit 2 ;;
  esac
  shift
done
scripts/setup.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETINV_TESTS=OFF >/dev/null
cmake --build build-release -j "$(nproc)" --target netinv >/dev/null
netinv=$PWD/build-release/cli/netinv
lab_dir=/tmp/netinv-lab-demo
db=$PWD/build-release/demo.db

[ "$keep" = 1 ] || trap 'python3 lab/lab.py down --dir "$lab_dir" >/dev/null' EXIT
python3 lab/lab.py up --seed "$seed" --dir "$lab_dir" --netinv "$netinv"
# shellcheck disable=SC1091
source "$lab_dir/env"   # the lab's secrets, as an admin would export the real ones
export NETINV_CONFIG=$PWD/inventory.toml NETINV_DB=$db
rm -f "$db"

echo; echo "== netinv config check"
"$netinv" config check
echo; echo "== netinv scan --quiet   (403 targets; --quiet prints only those that did not answer)"
"$netinv" scan --quiet || echo "(exit code $?: some targets did not answer)"
echo; echo "== netinv devices --by kind"
"$netinv" devices --by kind
echo; echo "== netinv devices --by district"
"$netinv" devices --by district
echo; echo "== netinv gaps   (the plan's objectives against this scan)"
"$netinv" gaps || echo "(exit code $?: 6 is gaps found)"
"$netinv" gaps --format html --lang vi > build-release/gaps-vi.html || true
"$netinv" gaps --format markdown > build-release/gaps.md || true
echo; echo "== netinv ipv6 summary   (IPv6 readiness per district)"
"$netinv" ipv6 summary
"$netinv" ipv6 checklist --format markdown > build-release/ipv6-checklist.md || true
echo "(the IPv6 work list of every site: build-release/ipv6-checklist.md)"
echo; echo "== netinv show cpe-10510   (a commune router)"
"$netinv" show cpe-10510
echo; echo "== a night later: lab.py change (a commune link down, a server loses IPv6, a box swapped,"
echo "   a missing server up), then netinv audit   (the nightly cron job)"
python3 lab/lab.py change --dir "$lab_dir"
rm -rf build-release/reports
"$netinv" audit --report-dir build-release/reports --report-format markdown,html \
  || echo "(exit code $?: something needs attention)"
echo; echo "== netinv diff   (the same changes, as a table)"
"$netinv" diff || echo "(exit code $?: regressions)"
echo
echo "Reports written: build-release/gaps-vi.html (Vietnamese, for e-mail), build-release/gaps.md,"
echo "  build-release/reports/ (the audit's diff and gap reports)"
echo "Look further (database $db):"
echo "  NETINV_DB=$db $netinv devices                 # every device"
echo "  NETINV_DB=$db $netinv show core-1 --format json"
echo "  NETINV_DB=$db $netinv devices --format csv > devices.csv"
[ "$keep" = 1 ] && echo "  the lab is still running: source $lab_dir/env; $netinv probe 127.1.0.1:16161 --v3-user netinv --auth-env NETINV_V3_AUTH --priv-proto aes --priv-env NETINV_PRIV --auth-proto sha256; python3 lab/lab.py down --dir $lab_dir"
exit 0
