#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# expect_exit.sh CODE COMMAND [ARGS...]: runs COMMAND, shows its output, and succeeds only when
# it exited with CODE. Lets CTest check exit codes other than 0.
expected=$1
shift
"$@" 2>&1
rc=$?
if [ "$rc" -ne "$expected" ]; then
  echo "expect_exit: exit code $rc, expected $expected" >&2
  exit 1
fi
exit 0
