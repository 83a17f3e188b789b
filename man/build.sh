#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerates the committed roff pages from their Markdown sources (needs go-md2man).
# With --check, fails when a committed page differs from what its source gives.
set -eu
cd "$(dirname "$0")"
status=0
for src in netinv.1.md inventory.toml.5.md; do
  page=${src%.md}
  if [ "${1:-}" = "--check" ]; then
    go-md2man -in "$src" | cmp -s - "$page" || { echo "man/$page is stale: run man/build.sh" >&2; status=1; }
  else
    go-md2man -in "$src" -out "$page"
  fi
done
exit $status
