#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Integration test: netinv against misbehaving agents, and a scan stopped by SIGTERM.

Starts hostile_agent.py on a free loopback port, scans one target per misbehaviour, and checks
that the scan ends in bounded time with the right outcomes and a warning naming host and OID
for each; then starts a long scan, sends SIGTERM, and checks the scan is kept as interrupted
with what finished before. Prints 'N passed, M failed'.
"""
import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from testkit import check, free_port, summary

HERE = os.path.dirname(os.path.abspath(__file__))




def config(port, communities, timeout_ms, retries):
    text = f"[defaults]\ntimeout_ms = {timeout_ms}\nretries = {retries}\n"
    for c in sorted(set(communities)):
        text += f'\n[credential.{c}]\nversion = "2c"\ncommunity = "{c}"\n'
    for i, c in enumerate(communities):
        text += (f'\n[[target]]\nname = "{c}-{i}"\naddress = "127.0.0.1"\nport = {port}\n'
                 f'credential = "{c}"\n')
    return text


def outcomes(db):
    con = sqlite3.connect(db)
    status = con.execute("SELECT status FROM scan ORDER BY id DESC LIMIT 1").fetchone()[0]
    (scan_id,) = con.execute("SELECT max(id) FROM scan").fetchone()
    rows = dict(con.execute("SELECT target, outcome FROM observation WHERE first_scan <= ?1 "
                            "AND last_scan >= ?1", (scan_id,)))
    return status, rows


def main():
    netinv = os.path.abspath(sys.argv[1])
    port = free_port()
    agent = subprocess.Popen([sys.executable, os.path.join(HERE, "hostile_agent.py"), "127.0.0.1",
                              str(port)], stdout=subprocess.PIPE, text=True)
    try:
        check(agent.stdout.readline().strip() == "ready", "the hostile agent did not start")
        with tempfile.TemporaryDirectory() as tmp:
            cases = ["ok", "nonincreasing", "endless", "wrongtype", "oversized", "wrongreqid",
                     "silent", "garbage"]
            cfg = os.path.join(tmp, "hostile.toml")
            open(cfg, "w").write(config(port, cases, 300, 0))
            db = os.path.join(tmp, "hostile.db")
            start = time.monotonic()
            r = subprocess.run([netinv, "scan", "--config", cfg, "--db", db, "--device-budget", "5"],
                               capture_output=True, text=True, timeout=120)
            took = time.monotonic() - start
            check(r.returncode == 3, f"hostile scan exit {r.returncode}: {r.stderr[-400:]}")
            check(took < 60, f"hostile scan took {took:.1f} s")
            silent = [l for l in r.stderr.splitlines() if "silent-6:" in l]
            check(len(silent) <= 3, f"a silent agent should cost one timeout, not one per walk: {silent}")
            status, got = outcomes(db)
            check(status == "complete", f"hostile scan status {status}")
            want = {"ok": "ok", "nonincreasing": "ok", "endless": "ok", "wrongtype": "ok",
                    "oversized": "ok", "wrongreqid": "timeout", "silent": "ok", "garbage": "timeout"}
            for i, c in enumerate(cases):
                check(got.get(f"{c}-{i}") == want[c], f"{c}: outcome {got.get(f'{c}-{i}')}, want {want[c]}")
            for needle in ["nonincreasing-1: 1.3.6.1.2.1.", ": OID not increasing",
                           "endless-2: 1.3.6.1.2.1.2.2.1.2: time budget of 5000 ms used up",
                           "wrongtype-3: 1.3.6.1.2.1.2.2.1.2.1: expected an OCTET STRING",
                           "wrongtype-3: 1.3.6.1.2.1.1.3.0: expected TimeTicks",
                           "oversized-4: 1.3.6.1.2.1.1.1.0: value of 60000 bytes exceeds",
                           "silent-6: 1.3.6.1.2.1.",  # then the column whose walk timed out
                           ": walk stopped: no answer in 300 ms"]:
                check(needle in r.stderr, f"no warning '{needle}' in:\n{r.stderr[-600:]}")
            con = sqlite3.connect(db)
            (rows,) = con.execute("SELECT count(*) FROM interface WHERE device='ok-0'").fetchone()
            check(rows == 3, f"ok agent: {rows} interfaces stored, want 3")

            # Agents that break the protocol in ways that once lost data silently, or that a
            # poller must refuse: answers from another port, an endless table of 60 kB values
            # (memory stays bounded: a cap ends the walk and says so), GETBULK answers not
            # interleaved by column, noSuchInstance inside a walk.
            cases = ["ok", "otherport", "columnmajor", "nosuch", "bigendless"]
            cfg3 = os.path.join(tmp, "protocol.toml")
            open(cfg3, "w").write(config(port, cases, 300, 0))
            db3 = os.path.join(tmp, "protocol.db")
            err3 = os.path.join(tmp, "protocol.err")
            with open(err3, "w") as ef:
                p3 = subprocess.Popen([netinv, "scan", "--config", cfg3, "--db", db3,
                                       "--device-budget", "300"],
                                      stdout=subprocess.DEVNULL, stderr=ef)
                _, status3, usage = os.wait4(p3.pid, 0)
            stderr3 = open(err3).read()
            check(os.waitstatus_to_exitcode(status3) == 3,
                  f"protocol scan exit {status3}: {stderr3[-400:]}")
            # AddressSanitizer's shadow memory and quarantine make RSS meaningless there.
            sanitized = "libasan" in subprocess.run(["ldd", netinv], capture_output=True,
                                                    text=True).stdout
            check(sanitized or usage.ru_maxrss < 100 * 1024,
                  f"peak RSS {usage.ru_maxrss} KiB against an endless table of 60 kB values")
            _, got3 = outcomes(db3)
            want3 = {"ok": "ok", "otherport": "timeout", "columnmajor": "ok", "nosuch": "ok",
                     "bigendless": "ok"}
            for i, c in enumerate(cases):
                check(got3.get(f"{c}-{i}") == want3[c], f"{c}: outcome {got3.get(f'{c}-{i}')}")
            for needle in ["columnmajor-2: 1.3.6.1.2.1.2.2.1.2.2: GETBULK answer out of column order",
                           "nosuch-3: 1.3.6.1.2.1.", "noSuchObject/noSuchInstance in a walk's answer",
                           "bigendless-4: ", "memory cap of 32 MiB per device reached",
                           "value of 60000 bytes exceeds"]:
                check(needle in stderr3, f"no warning '{needle}' in:\n{stderr3[-600:]}")
            con = sqlite3.connect(db3)
            (n,) = con.execute("SELECT count(*) FROM interface WHERE device='columnmajor-2'").fetchone()
            check(n == 3, f"column-major agent: {n} interfaces stored, want 3")
            cut = dict(con.execute("SELECT target, partial FROM sample WHERE partial != ''"))
            check("nosuch-3" in cut and "bigendless-4" in cut and "ok-0" not in cut,
                  f"walks a fault ended are not recorded as cut short: {cut}")
            con.close()

            # An answer that comes late, after the next try went out (the agent answers the first
            # try of a walk's request only once it is sent again): it is taken, not thrown away
            # for the later try's, which never comes.
            cfg5 = os.path.join(tmp, "late.toml")
            open(cfg5, "w").write(config(port, ["lateanswer"], 300, 2))
            db5 = os.path.join(tmp, "late.db")
            r5 = subprocess.run([netinv, "scan", "--config", cfg5, "--db", db5, "--format", "json"],
                                capture_output=True, text=True, timeout=120)
            _, got5 = outcomes(db5)
            con = sqlite3.connect(db5)
            (n5,) = con.execute("SELECT count(*) FROM interface WHERE device='lateanswer-0'").fetchone()
            cut5 = con.execute("SELECT count(*) FROM sample WHERE partial != ''").fetchone()[0]
            con.close()
            check(r5.returncode == 0 and got5.get("lateanswer-0") == "ok" and n5 == 3 and cut5 == 0,
                  f"a late answer to an earlier try: exit {r5.returncode}, {got5}, {n5} interfaces, "
                  f"{cut5} walks cut short: {r5.stderr[-400:]}")
            check(r5.returncode == 0 and json.loads(r5.stdout)["retransmissions"] >= 1,
                  f"the interface walk's request was not sent again: {r5.stdout[-300:]}")

            # A first request lost on the way (a commune's link drops one in fifty) is sent again
            # once the scan's first answers say how long one takes, not after timeout_ms: with a
            # budget of one 60 s try, the target is ok only if it was. The near agent's answer
            # is what tells the scan; the 60 s is the planted slowness the old rule would wait.
            cfg6 = os.path.join(tmp, "lost.toml")
            open(cfg6, "w").write(config(port, ["ok", "lostfirst"], 60000, 0))
            db6 = os.path.join(tmp, "lost.db")
            r6 = subprocess.run([netinv, "scan", "--config", cfg6, "--db", db6, "--format", "json"],
                                capture_output=True, text=True, timeout=120)
            _, got6 = outcomes(db6)
            check(r6.returncode == 0 and got6 == {"ok-0": "ok", "lostfirst-1": "ok"} and
                  json.loads(r6.stdout)["retransmissions"] >= 1,
                  f"a lost first request: exit {r6.returncode}, {got6}: {r6.stdout[-300:]} {r6.stderr[-300:]}")

            # A low open-files limit (soft and hard at 24: fewer than 32 sessions and the database need): netinv polls fewer devices at once
            # and never records this machine's shortage as a device's outcome.
            import resource
            cases = ["ok"] * 40
            cfg4 = os.path.join(tmp, "fds.toml")
            open(cfg4, "w").write(config(port, cases, 1000, 1))
            db4 = os.path.join(tmp, "fds.db")
            r4 = subprocess.run([netinv, "scan", "--config", cfg4, "--db", db4], capture_output=True,
                                text=True, timeout=300,
                                preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (24, 24)))
            status4, got4 = outcomes(db4)
            check(r4.returncode == 0 and status4 == "complete" and len(got4) == 40 and
                  set(got4.values()) == {"ok"},
                  f"40 targets under a 24-file limit: exit {r4.returncode}, {status4}, "
                  f"{sorted(set(got4.values()))}: {r4.stderr[-300:]}")
            check("Too many open files" not in r4.stderr + r4.stdout, r4.stderr[-300:])

            # More targets than the window can keep busy, whose agents hang after their first
            # answer (a tarpit): at most 16 per place of --concurrency are in progress at once
            # (32 at --concurrency 2), however many wait; each in progress holds a socket and
            # its walks' state (10,000 targets of one agent once held 233 MB). The 30 s timeout
            # is the planted slowness: no target can end before it, so a 33rd socket would be
            # a 33rd target in progress. A walk request sent again after the 32nd started says
            # a timer of at least a second ran out meanwhile: time the scan had to start more.
            tport = free_port()
            tarpit = subprocess.Popen([sys.executable, os.path.join(HERE, "hostile_agent.py"),
                                       "127.0.0.1", str(tport)], stdout=subprocess.PIPE, text=True)
            p7 = None
            try:
                check(tarpit.stdout.readline().strip() == "ready", "the tarpit agent did not start")
                cfg7 = os.path.join(tmp, "tarpit.toml")
                open(cfg7, "w").write(config(tport, ["tarpit"] * 100, 30000, 0))
                p7 = subprocess.Popen([netinv, "scan", "--config", cfg7, "--db",
                                       os.path.join(tmp, "tarpit.db"), "--concurrency", "2"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                started, retried = 0, False
                deadline = time.monotonic() + 120  # a hang guard, not a measure
                while time.monotonic() < deadline and started <= 32 and not retried:
                    ready, _, _ = select.select([tarpit.stdout], [], [], 1)
                    if not ready:
                        continue
                    line = tarpit.stdout.readline().split()
                    if not line:
                        break
                    if line[0] == "tarpit":
                        started = int(line[1])
                    elif line[0] == "tarpit-retry":
                        retried = started == 32
                check(started <= 32, f"{started} targets in progress at --concurrency 2 (32 at most)")
                check(started == 32 and retried,
                      f"the tarpit saw {started} targets, a request sent again after: {retried}")
                p7.send_signal(signal.SIGTERM)
                _, err7 = p7.communicate(timeout=60)
                check(p7.returncode == 1 and "interrupted" in err7,
                      f"the tarpit scan, stopped: exit {p7.returncode}: {err7[-300:]}")
            finally:
                if p7 and p7.poll() is None:
                    p7.kill()
                    p7.wait()
                tarpit.terminate()
                tarpit.wait(timeout=10)

            # SIGTERM mid-scan: what finished stays, the scan is interrupted, never complete.
            # The garbage targets' 60 s timeout is the planted slowness: they cannot finish
            # before the signal, however loaded the machine; the signal goes once the three
            # good ones are reported.
            cases = ["ok"] * 3 + ["garbage"] * 20
            cfg2 = os.path.join(tmp, "slow.toml")
            open(cfg2, "w").write(config(port, cases, 60000, 0))
            db2 = os.path.join(tmp, "slow.db")
            p = subprocess.Popen([netinv, "scan", "--config", cfg2, "--db", db2, "--concurrency", "4"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            seen = 0
            while seen < 3:
                line = p.stdout.readline()
                if not line:
                    break
                seen += line.startswith("ok ")
            check(seen == 3, f"the three good targets were not reported before the end: {seen}")
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=60)
            check(p.returncode == 1, f"interrupted scan exit {p.returncode}: {err[-300:]}")
            check("interrupted" in err, f"no 'interrupted' message: {err[-300:]}")
            status, got = outcomes(db2)
            check(status == "interrupted", f"interrupted scan stored as {status}")
            check(all(got.get(f"ok-{i}") == "ok" for i in range(3)), f"finished targets lost: {got}")
            check(len(got) < len(cases), f"all {len(got)} targets stored although interrupted")
            listed = json.loads(subprocess.run([netinv, "scans", "--db", db2, "--format", "json"],
                                               capture_output=True, text=True).stdout)["scans"]
            check(len(listed) == 1 and listed[0]["status"] == "interrupted" and listed[0]["ok"] == 3
                  and listed[0]["targets"] == len(cases),
                  f"netinv scans does not show the interrupted scan: {listed}")
            lst = subprocess.run([netinv, "devices", "--db", db2], capture_output=True, text=True)
            check(lst.returncode == 1 and "no complete scan" in lst.stderr,
                  f"an interrupted scan was shown as complete: {lst.stdout}{lst.stderr}")

            # A target given by a host name with only an AAAA record. As root, a private
            # /etc/hosts (bind-mounted in a mount namespace of this test only) names ::1.
            if os.geteuid() == 0 and shutil.which("unshare"):
                port6 = free_port()
                agent6 = subprocess.Popen([sys.executable, os.path.join(HERE, "hostile_agent.py"), "::1",
                                           str(port6)], stdout=subprocess.PIPE, text=True)
                try:
                    check(agent6.stdout.readline().strip() == "ready", "the IPv6 agent did not start")
                    hosts = os.path.join(tmp, "hosts")
                    open(hosts, "w").write("127.0.0.1 localhost\n::1 v6only.netinv.test\n")
                    r6 = subprocess.run(["unshare", "-m", "sh", "-c",
                                         f"mount --bind {hosts} /etc/hosts && exec {netinv} probe "
                                         f"v6only.netinv.test:{port6} -c ok --format json"],
                                        capture_output=True, text=True, timeout=60)
                    check(r6.returncode == 0 and '"sys_name": "hostile"' in r6.stdout,
                          f"AAAA-only host name: exit {r6.returncode}: {r6.stderr[-300:]}")
                finally:
                    agent6.terminate()
                    agent6.wait(timeout=10)
            else:
                print("skipped: the AAAA-only host name check needs root (a private /etc/hosts)")
    finally:
        agent.terminate()
        agent.wait(timeout=10)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
