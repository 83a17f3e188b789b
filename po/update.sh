#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Extracts every message of netinv (report/, model/ messages and labels, cli/ sentences for
# people) into po/netinv.pot and merges it into po/vi.po; new messages arrive untranslated,
# for a translator (or the po test, which fails until they are translated).
#   po/update.sh [--check]   --check: write the template to a temporary file, change nothing
set -euo pipefail
cd "$(dirname "$0")/.."
out=po/netinv.pot
[ "${1:-}" = --check ] && out=$(mktemp) && trap 'rm -f "$out"' EXIT
xgettext --language=C++ --from-code=UTF-8 --no-location --sort-output --package-name=netinv \
  --keyword --keyword=tr:2 --keyword=trf:2 --keyword=trc:2c,3 --keyword=trn:2,3 \
  --keyword=trnf:2,3 --keyword=msg:1 --keyword=N_:1 -o "$out" \
  \
  model/*.cpp model/*.hpp report/*.cpp report/*.hpp cli/*.cpp
sed -i "s/charset=CHARSET/charset=UTF-8/" "$out"
if [ "${1:-}" = --check ]; then
  cat "$out"
else
  msgmerge --quiet --update --no-fuzzy-matching --backup=none po/vi.po "$out"
fi
