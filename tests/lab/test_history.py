#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Integration test: history, diff and the nightly audit on the simulated province.

Audits the lab, changes the scenario (`lab.py change`: a commune link down, an IPv6 address
removed, a box swapped, a missing server up), audits again and checks that the diff lists
exactly those changes, that the exit codes are the documented ones, that every past scan still
reads as it did, that a second run is refused while one holds the lock, that kill -9 during a
scan leaves the database whole and the killed scan never complete, and that prune keeps the
rest intact. Prints 'N passed, M failed' and exits non-zero on failure.
"""
import argparse
import csv
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from labtest import LAB, load_env, province_config

PORT = 16203


class Run:
    def __init__(self, netinv, env, config, db):
        self.netinv, self.env, self.config, self.db = netinv, env, config, db
        self.failures, self.checks = [], 0

    def __call__(self, *args, timeout=600):
        return subprocess.run([self.netinv, *args, "--config", self.config, "--db", self.db],
                              capture_output=True, text=True, env=self.env, timeout=timeout)

    def popen(self, *args):
        return subprocess.Popen([self.netinv, *args, "--config", self.config, "--db", self.db],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env)

    def expect(self, what, ok, detail=""):
        self.checks += 1
        if not ok:
            self.failures.append(f"{what}{': ' + detail if detail else ''}")

    def snapshot(self, scan):
        r = self("devices", "--scan", str(scan), "--format", "json")
        self.expect(f"devices --scan {scan}", r.returncode == 0, r.stderr[-300:])
        data = json.loads(r.stdout) if r.returncode == 0 else {"devices": []}
        # Uptime, counters and volume use are kept for the latest 7 scans only (netinv(1),
        # FILES); everything else is kept for good.
        per_scan = ("sys_uptime_cs", "counters", "volumes")
        return {d["name"]: {k: v for k, v in d.items() if k not in per_scan} for d in data["devices"]}


def wait_for_lock(lock_path, proc, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline and proc.poll() is None:
        if os.path.exists(lock_path) and os.path.getsize(lock_path) > 0:
            return True
        time.sleep(0.05)
    return False


def key(c):
    return (c["kind"], c["target"], c.get("subject", ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--netinv", required=True)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    netinv = os.path.abspath(args.netinv)
    with tempfile.TemporaryDirectory(prefix="netinv-history-") as tmp:
        os.chmod(tmp, 0o755)
        lab_dir = os.path.join(tmp, "lab")
        config = province_config(tmp, PORT)
        db = os.path.join(tmp, "inventory.db")
        reports = os.path.join(tmp, "reports")
        up = subprocess.run([sys.executable, LAB, "up", "--seed", str(args.seed), "--dir", lab_dir,
                             "--netinv", netinv, "--config", config, "--ipv6-hosts", "0"],
                            capture_output=True, text=True)
        if up.returncode != 0:
            print("FAIL: lab up:", up.stderr)
            return 1
        run = Run(netinv, load_env(os.path.join(lab_dir, "env")), config, db)
        try:
            test(run, lab_dir, db, reports)
        finally:
            subprocess.run([sys.executable, LAB, "down", "--dir", lab_dir], capture_output=True)
        for f in run.failures[:40]:
            print("FAIL:", f)
        print(f"{run.checks - len(run.failures)} passed, {len(run.failures)} failed")
        return 1 if run.failures else 0


def test(run, lab_dir, db, reports):
    # Night 1: the first audit has nothing to compare with. Some targets are planted dead.
    r = run("audit", "--quiet", "--fail-on", "regressions")
    run.expect("first audit exits 3 (targets did not answer, nothing to compare)", r.returncode == 3,
               f"exit {r.returncode}: {r.stdout[-300:]} {r.stderr[-300:]}")
    run.expect("first audit is quiet (nothing --fail-on names happened)", r.stdout == "",
               r.stdout[-200:])
    night1 = run.snapshot(1)
    # Night 2: nothing changed, but one agent's IPv6 table now answers after 4 s: its walks are
    # cut short every time (planted, so the test does not hope for an idle machine). What they
    # would show is unknown, not absent: no change, no new rows.
    sl = subprocess.run([sys.executable, LAB, "slow", "--dir", lab_dir], capture_output=True, text=True)
    run.expect("lab slow", sl.returncode == 0, sl.stderr[-300:])
    r = run("audit", "--quiet", "--fail-on", "regressions")
    run.expect("unchanged night: audit exits 3 and prints nothing", r.returncode == 3 and r.stdout == "",
               f"exit {r.returncode}: {r.stdout[-300:]}")
    r = run("diff")
    run.expect("unchanged night: diff lists no change, exit 0",
               r.returncode == 0 and "no changes" in r.stdout, r.stdout[-300:])
    con = sqlite3.connect(db)
    rows2 = [n for (n,) in con.execute("SELECT name FROM device WHERE scan_id = 2")]
    ranges = con.execute("SELECT count(*) FROM observation").fetchone()[0]
    con.close()
    slow = json.load(open(os.path.join(lab_dir, "truth.json"), encoding="utf-8"))["planted"]["slow"]
    con = sqlite3.connect(db)
    cut = dict(con.execute("SELECT target, partial FROM sample WHERE scan_id = 2 AND partial != ''"))
    con.close()
    run.expect("the slow table cut the slow agent's IPv6 walk short",
               all("ipv6" in (cut.get(n) or "").split() for n in slow), str(cut))
    run.expect("an unchanged night stores no device rows, walks cut short or not", rows2 == [], str(rows2))
    run.expect("an unchanged night adds no outcome rows (ranges grow instead)",
               ranges == 403, f"{ranges} observation rows")
    r = run("show", slow[0], "--format", "json")
    shown = json.loads(r.stdout) if r.returncode == 0 else {}
    run.expect("show says which walks were cut short tonight",
               "ipv6" in shown.get("partial_walks", []), str(shown.get("partial_walks")))

    # Night 3: the scenario changes.
    ch = subprocess.run([sys.executable, LAB, "change", "--dir", lab_dir], capture_output=True, text=True)
    run.expect("lab change", ch.returncode == 0, ch.stderr[-300:])
    planted = json.load(open(os.path.join(lab_dir, "changes.json"), encoding="utf-8"))
    r = run("audit", "--report-dir", reports, "--report-format", "markdown,json",
            "--fail-on", "regressions")
    run.expect("changed night: audit exits 6 (regressions)", r.returncode == 6,
               f"exit {r.returncode}: {r.stdout[-300:]} {r.stderr[-300:]}")
    run.expect("the summary names a regression", "interface-down" in r.stdout, r.stdout[-400:])
    files = sorted(os.listdir(reports))
    diff_json = [f for f in files if f.endswith("-scan3-diff.json")]
    run.expect("reports carry the date and scan in their names",
               len(diff_json) == 1 and re.match(r"netinv-\d{4}-\d\d-\d\d-scan3-", diff_json[0]),
               str(files))
    got = json.load(open(os.path.join(reports, diff_json[0]), encoding="utf-8"))["changes"] if diff_json else []
    run.expect("the diff lists exactly the planted changes",
               sorted(key(c) for c in got) == sorted(key(c) for c in planted),
               f"\n  diff    {sorted(key(c) for c in got)}\n  planted {sorted(key(c) for c in planted)}")
    for p in planted:
        g = next((c for c in got if key(c) == key(p)), None)
        for field in ("before", "after"):
            if g and field in p:
                run.expect(f"{p['kind']} {p['target']}: {field}", g[field] == p[field],
                           f"{g[field]!r} != {p[field]!r}")
    impacts = [c["impact"] for c in got]
    run.expect("regressions are listed first", impacts == sorted(impacts, key=["regression", "change",
                                                                                "improvement"].index),
               str(impacts))
    expect_impact = {"interface-down": "regression", "lldp-changed": "regression",
                     "address-removed": "regression", "device-swapped": "change",
                     "device-added": "improvement"}
    for c in got:
        run.expect(f"{c['kind']} impact", c["impact"] == expect_impact.get(c["kind"]), c["impact"])
    # A night passed between scans 2 and 3: IPv6 traffic is measured (C07) where counters grew.
    r = run("ipv6", "checklist", "--all", "--format", "json")
    devs = {d["name"]: d for d in json.loads(r.stdout)["devices"]} if r.returncode in (0, 6) else {}
    truth = json.load(open(os.path.join(lab_dir, "truth.json"), encoding="utf-8"))
    changed = {p["target"] for p in planted}
    measured = 0
    for name, t in truth["targets"].items():
        if t.get("outcome") != "ok" or name in changed or name in truth["planted"]["slow"] or \
                t.get("profile") in ("draytek", "windows") or name not in devs:
            continue
        c07 = next(c for c in devs[name]["checks"] if c["id"] == "C07")
        want = {"global": "pass", "link-local": "fail"}.get(t["ipv6"], "unknown")
        measured += want != "unknown"
        run.expect(f"C07 of {name} ({t['ipv6']}) after a night", c07["status"] == want,
                   f"{c07['status']}: {c07['finding']}")
    run.expect("C07 was measured on devices with IPv6", measured > 50, f"{measured} devices")

    # The same diff in CSV, and narrowed to a site.
    r = run("diff", "latest~1", "latest", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    run.expect("diff CSV equals the JSON", sorted((x["kind"], x["target"], x["subject"]) for x in rows)
               == sorted(key(c) for c in got) and r.returncode == 6, f"exit {r.returncode}")
    cpe = next(p["target"] for p in planted if p["kind"] == "interface-down" and p["target"].startswith("cpe-"))
    site = cpe.split("-", 1)[1]
    r = run("diff", "--site", site, "--format", "json")
    only = json.loads(r.stdout)["changes"] if r.returncode in (0, 6) else []
    run.expect("diff --site narrows to the site", {c["target"] for c in only} == {cpe}, str(only))
    r = run("diff", "2", "latest~5")
    run.expect("diff with a scan that does not exist exits 2", r.returncode == 2, r.stderr[-200:])

    # History: every scan still reads as it did.
    run.expect("scan 1 reads the same after two more scans", run.snapshot(1) == night1)
    night3 = run.snapshot(3)
    for p in planted:
        d = night3.get(p["target"], {})
        t = truth["targets"][p["target"]]
        if p["kind"] == "device-swapped":
            run.expect("scan 3 has the new serial", d.get("serial") == t["serial"] == p["after"])
            run.expect("scan 1 kept the old serial", night1[p["target"]]["serial"] == p["before"])
        if p["kind"] == "address-removed":
            addrs = {a["address"] for a in d.get("addresses", [])}
            run.expect("scan 3 lost the address", p["subject"].split("/")[0] not in addrs)
            run.expect("scan 1 still has it",
                       p["subject"].split("/")[0] in {a["address"] for a in night1[p["target"]]["addresses"]})
        if p["kind"] == "device-added":
            run.expect("scan 3 has the new server", p["target"] in night3 and p["target"] not in night1)

    # The lock: while an audit runs, another run is refused with exit 5 and the holder's PID.
    lock = db + ".lock"
    a = run.popen("audit", "--quiet")
    held = wait_for_lock(lock, a)
    r = run("scan", "--quiet")
    run.expect("a second run is refused while the lock is held (exit 5)",
               held and r.returncode == 5 and f"pid {a.pid}" in r.stderr, f"exit {r.returncode}: {r.stderr}")
    # kill -9 during the scan: the database stays whole, the scan is never complete.
    time.sleep(2)
    os.kill(a.pid, signal.SIGKILL)
    a.wait()
    r = run("scans", "--format", "json")
    scans = json.loads(r.stdout)["scans"] if r.returncode == 0 else []
    killed = scans[0] if scans else {}
    run.expect("the killed scan is not complete", killed.get("status") == "running", str(killed))
    r = run("db", "check")
    run.expect("db check after kill -9: exit 0, the unfinished scan explained",
               r.returncode == 0 and "never finished" in r.stdout, f"exit {r.returncode}: {r.stdout}")
    r = run("diff", "--format", "json")
    d = json.loads(r.stdout) if r.returncode in (0, 6) else {}
    run.expect("diff still compares the last two complete scans",
               d.get("newer", {}).get("id") == 3, str(d.get("newer")))
    # More kills at other moments, each followed by a whole database.
    for delay in (0.05, 0.5, 6.0, 11.0):
        a = run.popen("audit", "--quiet", "--report-dir", reports, "--report-format", "json")
        time.sleep(delay)
        if a.poll() is None:
            os.kill(a.pid, signal.SIGKILL)
        a.wait()
        r = run("db", "check")
        run.expect(f"db check after kill -9 at {delay} s", r.returncode == 0, r.stdout[-300:])
    for f in os.listdir(reports):
        if f.endswith(".json"):
            try:
                json.load(open(os.path.join(reports, f), encoding="utf-8"))
                ok = True
            except ValueError:
                ok = False
            run.expect(f"report {f} is whole", ok)
    # The kills above land wherever the machine's speed puts them, and the last may miss an
    # audit that already ended. Plant the condition the next check needs: an audit killed while
    # its scan is running (seen in the database, not guessed from a delay).
    planted = False
    for _ in range(3):
        a = run.popen("audit", "--quiet", "--report-dir", reports, "--report-format", "json")
        while a.poll() is None and not planted:
            r = run("scans", "--format", "json")
            listed = json.loads(r.stdout)["scans"] if r.returncode == 0 else []
            planted = any(x["status"] == "running" for x in listed)
            time.sleep(0.05)
        if a.poll() is None:
            os.kill(a.pid, signal.SIGKILL)
        a.wait()
        # Planted only if the kill came before the scan ended: a running scan is left behind.
        r = run("scans", "--format", "json")
        listed = json.loads(r.stdout)["scans"] if r.returncode == 0 else []
        planted = a.returncode == -signal.SIGKILL and any(x["status"] == "running" for x in listed)
        if planted:
            break
    run.expect("an audit was killed mid-scan", planted)
    r = run("audit", "--quiet", "--fail-on", "regressions")
    run.expect("the next audit takes over the stale lock and closes the killed scans",
               "taking over the lock" in r.stderr and "marked interrupted" in r.stderr and
               r.returncode in (3, 6), f"exit {r.returncode}: {r.stderr[-500:]}")
    r = run("scans", "--format", "json")
    scans = json.loads(r.stdout)["scans"]
    run.expect("no scan is left running", all(s["status"] != "running" for s in scans),
               str([s["status"] for s in scans]))
    run.expect("scan 1 is intact after the kills", run.snapshot(1) == night1)

    # Prune: the newest two scans stay, and read exactly as before.
    latest = scans[0]["id"]
    before = run.snapshot(latest), run.snapshot(3)
    r = run("prune", "--keep", "2")
    run.expect("prune --keep 2", r.returncode == 0, r.stderr[-300:])
    r = run("scans", "--format", "json")
    left = [s["id"] for s in json.loads(r.stdout)["scans"]]
    run.expect("prune kept the newest two", len(left) == 2 and left[0] == latest, str(left))
    run.expect("kept scans read the same after prune", run.snapshot(latest) == before[0])
    r = run("db", "check")
    run.expect("db check after prune", r.returncode == 0 and "warning" not in r.stdout, r.stdout)
    r = run("devices", "--scan", "1")
    run.expect("a pruned scan is gone", r.returncode != 0)


if __name__ == "__main__":
    sys.exit(main())
