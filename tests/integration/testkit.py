# SPDX-License-Identifier: Apache-2.0
"""What the Python integration tests share: a tally of checks, a free loopback port, and
stopping the processes a test started (by their PIDs, never by name)."""
import signal
import socket
import subprocess
import sys

checks, failures = 0, []


def check(cond, what):
    """Counts one check; a failed one is kept and said at once, on stderr."""
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def summary():
    """Prints 'N passed, M failed'; the exit code for the test (1 on any failure)."""
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(procs, timeout=10):
    """SIGTERM to each process still running, then SIGKILL to any that outlives `timeout`."""
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
