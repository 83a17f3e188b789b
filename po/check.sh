#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The catalog test: every message the sources mark is translated in po/vi.po, msgfmt accepts
# the catalog, and each translation has the msgid's {} placeholders (else fmt would fall back
# to English at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
pot=$(mktemp)
trap 'rm -f "$pot"' EXIT
po/update.sh --check > "$pot"
msgfmt --check -o /dev/null po/vi.po
msgcmp po/vi.po "$pot"
python3 - po/vi.po <<'PY'
import re, subprocess, sys
text = subprocess.run(["msgcat", "--no-wrap", sys.argv[1]], capture_output=True, text=True,
                      check=True).stdout
bad = []
for m in re.finditer(r'msgid "((?:[^"\\]|\\.)*)"\n(?:msgid_plural "(?:[^"\\]|\\.)*"\n)?'
                     r'msgstr(?:\[0\])? "((?:[^"\\]|\\.)*)"', text):
    mid, mstr = m.group(1), m.group(2)
    if not mid:
        continue
    holes = lambda s: len(re.findall(r"\{[0-9]*(?::[^}]*)?\}", s))
    if holes(mid) != holes(mstr):
        bad.append(f"{sys.argv[1]}: \"{mid}\": {holes(mid)} placeholders, translation has {holes(mstr)}")
    if mstr.startswith(" ") != mid.startswith(" ") or mstr.endswith("\\n") != mid.endswith("\\n"):
        bad.append(f"{sys.argv[1]}: \"{mid}\": leading space or final newline differs")
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "po: every message translated, placeholders intact"
