#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Fault suite (root): real snmpd agents in a network namespace of the test's own, some behind
user-space relays that delay and drop (the kernel here has no netem), dead addresses, a very
slow target, kill -9 at 50 random points of scans and prunes, and a full disk.

    test_faults.py NETINV RELAY_PY

Layout, all inside the namespace nifault<N> reached over one veth pair (198.19.0.0/16, the
benchmarking range; nothing leaves the machine):
  clean-*   snmpd on 198.19.1.x:161, straight
  lossy-*   snmpd behind a relay on 198.19.2.x: 80 ms each way, 5% loss, 10 Mbit/s
  heavy-*   behind a relay: 20 ms each way, 15% loss
  slow-1    behind a relay: 600 ms each way (a round trip of 1.2 s, under the 2 s timeout)
  v3-lossy  snmpd with an SNMPv3 user (SHA/AES), behind a 5% loss relay
  tooslow-1 behind a relay: 5 s each way, longer than the whole budget
  dead-*    addresses routed into the namespace that nothing owns: silence (v2c and v3)
Every agent runs in the same namespace, so all of them see the same interfaces and addresses:
what a scan stores for a lossy target must equal what it stores for a clean one.

Exit 77 (skipped) when not root; CTest counts that as skipped, not passed. Prints
'N passed, M failed' and exits 1 on any failure. Stops what it started, by PID, even on failure.
"""
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from testkit import check, summary

V2C = "fault-community"
V3_USER, V3_AUTH, V3_PRIV = "faultuser", "fault-auth-pass", "fault-priv-pass"



def sh(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {r.stderr.strip()}")
    return r.stdout


class Lab:
    """The namespace, its agents and relays. stop() undoes all of it, by PID and by name of what
    this instance created."""

    def __init__(self, tmp):
        self.tmp = tmp
        tag = f"{os.getpid() % 100000}"
        self.ns, self.host_if, self.ns_if = f"nifault{tag}", f"nifh{tag}", f"nifn{tag}"
        self.procs = []
        self.targets = {}  # name -> (address, credential)
        self.created = False

    def up(self, relay_py):
        sh("ip", "netns", "add", self.ns)
        self.created = True
        sh("ip", "link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if,
           "netns", self.ns)
        sh("ip", "addr", "add", "198.19.0.1/16", "dev", self.host_if)
        sh("ip", "link", "set", self.host_if, "up")
        sh("ip", "-n", self.ns, "link", "set", "lo", "up")
        sh("ip", "-n", self.ns, "addr", "add", "198.19.0.2/16", "dev", self.ns_if)
        sh("ip", "-n", self.ns, "link", "set", self.ns_if, "up")

        relays = []
        agent_port = 20000

        def agent(name, listen, v3=False):
            d = os.path.join(self.tmp, "agents", name)
            os.makedirs(d)
            conf = (f"rocommunity {V2C} 198.19.0.0/16\nrocommunity {V2C} 127.0.0.0/8\n"
                    f"sysname {name}\nsyslocation fault suite\n")
            if v3:
                conf += (f"createUser {V3_USER} SHA {V3_AUTH} AES {V3_PRIV}\n"
                         f"rouser {V3_USER} priv\n")
            open(os.path.join(d, "snmpd.conf"), "w").write(conf)
            p = subprocess.Popen(["ip", "netns", "exec", self.ns, "/usr/sbin/snmpd", "-f", "-C",
                                  "-c", os.path.join(d, "snmpd.conf"), "-Lf",
                                  os.path.join(d, "log"), f"udp:{listen}"],
                                 env=dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=d),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
            self.procs.append(p)

        def relayed(name, address, link, credential="v2c", v3=False):
            nonlocal agent_port
            agent_port += 1
            agent(name, f"127.0.0.1:{agent_port}", v3)
            sh("ip", "-n", self.ns, "addr", "add", f"{address}/32", "dev", self.ns_if)
            relays.append({"listen": [address, 161], "agent": ["127.0.0.1", agent_port], **link})
            self.targets[name] = (address, credential)

        for i in range(1, 4):
            address = f"198.19.1.{i}"
            sh("ip", "-n", self.ns, "addr", "add", f"{address}/32", "dev", self.ns_if)
            agent(f"clean-{i}", f"{address}:161")
            self.targets[f"clean-{i}"] = (address, "v2c")
        thin = {"delay_ms": 80, "loss": 0.05, "rate_kbit": 10000}
        for i in range(1, 5):
            relayed(f"lossy-{i}", f"198.19.2.{i}", thin)
        for i in range(1, 3):
            relayed(f"heavy-{i}", f"198.19.3.{i}", {"delay_ms": 20, "loss": 0.15})
        relayed("slow-1", "198.19.4.1", {"delay_ms": 600, "loss": 0})
        relayed("v3-lossy", "198.19.5.1", thin, credential="v3", v3=True)
        relayed("tooslow-1", "198.19.6.1", {"delay_ms": 5000, "loss": 0})
        for i in range(1, 9):
            self.targets[f"dead-{i}"] = (f"198.19.9.{i}", "v2c")
        for i in range(1, 4):
            self.targets[f"dead-v3-{i}"] = (f"198.19.9.{100 + i}", "v3")

        spec = os.path.join(self.tmp, "relays.json")
        json.dump({"seed": 13, "relays": relays}, open(spec, "w"))
        relay = subprocess.Popen(["ip", "netns", "exec", self.ns, sys.executable, relay_py, spec],
                                 stdout=subprocess.PIPE, text=True, start_new_session=True)
        self.procs.append(relay)
        if relay.stdout.readline().strip() != "ready":
            raise RuntimeError("the relay did not start")
        # Every agent answers (straight, inside the namespace) before the test begins.
        deadline = time.monotonic() + 60
        for port in [f"198.19.1.{i}:161" for i in range(1, 4)] + \
                    [f"127.0.0.1:{p}" for p in range(20001, agent_port + 1)]:
            while True:
                r = subprocess.run(["ip", "netns", "exec", self.ns, "snmpget", "-v2c", "-c", V2C,
                                    "-t", "0.5", "-r", "0", f"udp:{port}", "1.3.6.1.2.1.1.5.0"],
                                   capture_output=True, env=dict(os.environ, MIBS=""))
                if r.returncode == 0:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"agent {port} did not answer")
                time.sleep(0.2)

    def stop(self):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        if self.created:
            subprocess.run(["ip", "link", "del", self.host_if], capture_output=True)
            subprocess.run(["ip", "netns", "del", self.ns], capture_output=True)

    def config(self, names, timeout_ms, retries):
        text = (f"[defaults]\ntimeout_ms = {timeout_ms}\nretries = {retries}\n\n"
                f'[credential.v2c]\nversion = "2c"\ncommunity_env = "FAULT_COMMUNITY"\n\n'
                f'[credential.v3]\nversion = "3"\nuser = "{V3_USER}"\nauth_protocol = "sha"\n'
                f'auth_env = "FAULT_AUTH"\npriv_protocol = "aes"\npriv_env = "FAULT_PRIV"\n')
        for name in names:
            address, cred = self.targets[name]
            text += (f'\n[[target]]\nname = "{name}"\naddress = "{address}"\n'
                     f'credential = "{cred}"\n')
        return text


ENV = dict(os.environ, FAULT_COMMUNITY=V2C, FAULT_AUTH=V3_AUTH, FAULT_PRIV=V3_PRIV)


def run(netinv, *args, timeout=300):
    return subprocess.run([netinv, *args], capture_output=True, text=True, env=ENV,
                          timeout=timeout)


def scans(netinv, db):
    r = run(netinv, "scans", "--db", db, "--format", "json")
    return json.loads(r.stdout)["scans"] if r.returncode == 0 and r.stdout.strip() else []


def stored(db, scan_id):
    """What a scan holds per target: outcome, and the interfaces and addresses of its device."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = {}
    for target, outcome, state in con.execute(
            "SELECT target, outcome, state_scan FROM observation WHERE first_scan <= ?1 AND "
            "last_scan >= ?1", (scan_id,)):
        ifs = sorted(con.execute("SELECT if_index, name, type, oper_status FROM interface WHERE "
                                 "scan_id = ? AND device = ?", (state, target)))
        addrs = sorted(con.execute("SELECT address, prefix_length FROM address WHERE scan_id = ? "
                                   "AND device = ?", (state, target)))
        out[target] = {"outcome": outcome, "interfaces": ifs, "addresses": addrs}
    con.close()
    return out


def db_check_clean(netinv, db, what):
    r = run(netinv, "db", "check", "--db", db)
    check(r.returncode == 0 and "error" not in r.stdout.lower(),
          f"{what}: db check exit {r.returncode}: {(r.stdout + r.stderr)[-400:]}")


def complete_ids(netinv, db):
    return {s["id"] for s in scans(netinv, db) if s["status"] == "complete"}


def faults(netinv, lab, tmp):
    """One scan of every kind of target: each outcome is the right one, and a target behind
    loss or delay stores what a clean one stores."""
    cfg = os.path.join(tmp, "faults.toml")
    open(cfg, "w").write(lab.config(sorted(lab.targets), 2000, 3))
    db = os.path.join(tmp, "faults.db")
    for night in (1, 2):  # the second night starts from what the first one learned
        r = run(netinv, "scan", "--config", cfg, "--db", db, "--format", "json")
        check(r.returncode == 3, f"night {night}: exit {r.returncode} (3: some did not answer): "
                                 f"{r.stderr[-400:]}")
        summary = json.loads(r.stdout) if r.stdout.strip().startswith("{") else {}
        if "scan_id" not in summary:
            check(False, f"night {night}: no scan summary on stdout: {r.stdout[-300:]}")
            return
        got = stored(db, summary["scan_id"])
        reference = got.get("clean-1", {})
        check(reference.get("outcome") == "ok" and len(reference.get("interfaces", [])) >= 2,
              f"night {night}: clean-1 stored {reference}")
        for name in sorted(lab.targets):
            g = got.get(name, {})
            if name.startswith(("clean", "lossy", "slow", "v3-lossy")):
                check(g.get("outcome") == "ok", f"night {night}: {name} {g.get('outcome')}")
            if name.startswith(("clean", "lossy", "slow", "v3-lossy", "heavy")) and \
                    g.get("outcome") == "ok":
                check(g["interfaces"] == reference["interfaces"] and
                      g["addresses"] == reference["addresses"],
                      f"night {night}: {name} is ok but stored other data than clean-1: {g}")
            if name.startswith("heavy"):
                check(g.get("outcome") in ("ok", "partial"), f"night {night}: {name} {g}")
                if g.get("outcome") == "partial":
                    check(f"{name}:" in r.stderr, f"night {night}: {name} partial without a word")
            if name.startswith(("dead", "tooslow")):
                check(g.get("outcome") in ("unreachable", "timeout"),
                      f"night {night}: {name} {g.get('outcome')}")
        check(summary.get("retransmissions", 0) > 0,
              f"night {night}: 5% and 15% loss but no retransmission counted: {summary}")
        db_check_clean(netinv, db, f"night {night}")
    # The slow target's round trip is learned and kept: at least the 1.2 s the relay adds.
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    srtt = dict(con.execute("SELECT target, srtt_us FROM target_state"))
    con.close()
    check((srtt.get("slow-1") or 0) >= 1_200_000, f"slow-1's stored SRTT {srtt.get('slow-1')}")
    check(srtt.get("dead-1") is None, f"a dead target has no round-trip time: {srtt.get('dead-1')}")


def kill_at_random(cmd, within_s, rng):
    """Starts cmd and sends it SIGKILL at a random moment within `within_s` seconds. The moment
    is only where the kill lands, never what is checked: True when it landed on the running
    process (the caller tries again when it did not)."""
    p = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0, within_s))
    p.kill()
    p.wait()
    return p.returncode == -signal.SIGKILL


def kills(netinv, lab, tmp, rng):
    """kill -9 at 35 random points of scans and 15 of prunes: db check clean after each, no
    complete scan lost, the killed scan never complete, a prune all or nothing."""
    names = [n for n in sorted(lab.targets) if n.startswith(("clean", "lossy", "v3-lossy"))]
    names += ["dead-1", "dead-v3-1"]
    cfg = os.path.join(tmp, "kills.toml")
    open(cfg, "w").write(lab.config(names, 400, 1))
    db = os.path.join(tmp, "kills.db")
    start = time.monotonic()
    r = run(netinv, "scan", "--config", cfg, "--db", db)
    took = time.monotonic() - start
    check(r.returncode == 3, f"kill-phase scan exit {r.returncode}: {r.stderr[-300:]}")
    complete = complete_ids(netinv, db)
    check(len(complete) == 1, f"one complete scan to start with: {complete}")
    killed, tries, late = 0, 0, 0
    while killed < 35 and tries < 100:  # a kill that lands after the scan ended is tried again
        tries += 1
        running = kill_at_random([netinv, "scan", "--config", cfg, "--db", db], took * 1.1, rng)
        i = killed
        killed += running
        db_check_clean(netinv, db, f"scan kill {i}")
        now = scans(netinv, db)
        ids = {s["id"] for s in now if s["status"] == "complete"}
        check(complete <= ids, f"scan kill {i}: complete scans lost: {complete - ids}")
        if running and now:
            # Killed before its last commit, a scan is never complete; killed after it (while
            # it printed its summary), it is complete and whole: an outcome for every target.
            last = max(now, key=lambda s: s["id"])
            if last["id"] not in complete and last["status"] == "complete":
                got = stored(db, last["id"])
                check(sorted(got) == sorted(names),
                      f"scan kill {i}: the killed scan is complete with {len(got)} of "
                      f"{len(names)} targets")
                late += 1
        complete = ids
        if tries % 5 == 0:  # a whole night now and then: it takes over the stale lock
            r = run(netinv, "scan", "--config", cfg, "--db", db)
            check(r.returncode == 3, f"scan after kill {i}: exit {r.returncode} {r.stderr[-300:]}")
            complete = complete_ids(netinv, db)
    check(killed == 35, f"only {killed} of {tries} scans were still running when killed")
    check(len(complete) >= 8, f"complete scans after the kills: {sorted(complete)}")

    # Prunes: each starts from the same copy; it either keeps all of it or prunes to the last 2.
    before = complete_ids(netinv, db)
    # --keep 2: the two newest scans, whatever they are, and the newest complete one always.
    newest = sorted((s["id"] for s in scans(netinv, db)), reverse=True)[:2]
    keep = {i for i in newest if i in before} | {max(before)}
    base = os.path.join(tmp, "prune-base.db")
    src = sqlite3.connect(db)
    dst = sqlite3.connect(base)
    src.backup(dst)
    src.close()
    dst.close()
    work = os.path.join(tmp, "prune.db")

    def fresh():
        for suffix in ("", "-wal", "-shm", ".lock"):
            if os.path.exists(work + suffix):
                os.remove(work + suffix)
        shutil.copy(base, work)

    fresh()
    start = time.monotonic()
    r = run(netinv, "prune", "--db", work, "--keep", "2")
    prune_took = time.monotonic() - start
    check(r.returncode == 0 and complete_ids(netinv, work) == keep,
          f"prune --keep 2: exit {r.returncode}, kept {complete_ids(netinv, work)}")
    outcomes = {"all": 0, "none": 0}
    pruned, prune_tries = 0, 0
    while pruned < 15 and prune_tries < 60:
        prune_tries += 1
        fresh()
        running = kill_at_random([netinv, "prune", "--db", work, "--keep", "2"], prune_took, rng)
        i = pruned
        pruned += running
        db_check_clean(netinv, work, f"prune kill {i}")
        ids = complete_ids(netinv, work)
        check(ids in (before, keep), f"prune kill {i}: half a prune: {sorted(ids)}")
        if running:
            outcomes["all" if ids == keep else "none"] += 1
    check(pruned == 15, f"only {pruned} of {prune_tries} prunes were still running when killed")
    print(f"kills: {killed} scans killed running in {tries} tries ({late} after their last "
          f"commit; scan {took:.2f} s); prunes "
          f"({prune_took * 1000:.0f} ms) killed in {prune_tries} tries: {outcomes['none']} kept all, "
          f"{outcomes['all']} done", file=sys.stderr)


def full_disk(netinv, lab, tmp):
    """A database on a file system that fills up: a scan that hits it mid-way ends failed at
    once (not left running) and names the file and the cause; one that cannot even start says
    why; readers still read; the database stays whole and takes scans again once there is
    space."""
    mnt = os.path.join(tmp, "small")
    os.makedirs(mnt)
    sh("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt)
    try:
        names = [n for n in sorted(lab.targets) if n.startswith(("clean", "lossy"))]
        cfg = os.path.join(tmp, "disk.toml")
        # The lossy targets drop 5% each way: with one retry a system GET is lost for good in
        # about 1 of 100 tries, so some scan of the eight would miss one now and then. Four
        # retries make that 1 in 10^5: what is tested here is the disk, not the links.
        open(cfg, "w").write(lab.config(names, 1000, 4))
        db = os.path.join(mnt, "inventory.db")
        r = run(netinv, "scan", "--config", cfg, "--db", db)
        check(r.returncode == 0, f"full disk: first scan exit {r.returncode} {r.stderr[-300:]}")
        filler = os.path.join(mnt, "filler")
        # How much free space a scan needs depends on what it writes (a night with nothing new
        # writes little), so the free space is not guessed: it grows in steps of a page from
        # 16 KiB, where not even the WAL index (-shm) fits, until a scan starts and then runs
        # out. Every step must end one of the ways below; at the edge where even its status does
        # not fit, the scan says it stays running, and the next scan marks it interrupted.
        seen, left_running = set(), None
        for leave in range(16 * 1024, 2 * 1024 * 1024, 4 * 1024):
            what = f"full disk ({leave // 1024} KiB free)"
            before = {s["id"]: s["status"] for s in scans(netinv, db)}
            st = os.statvfs(mnt)
            with open(filler, "wb") as f:
                f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - leave))
            r = run(netinv, "scan", "--config", cfg, "--db", db)
            rs = run(netinv, "scans", "--db", db, "--format", "json")
            check(rs.returncode == 0, f"{what}: scans cannot read: {rs.stderr[-300:]}")
            now = {s["id"]: s["status"] for s in json.loads(rs.stdout)["scans"]} \
                if rs.returncode == 0 else {}
            new = sorted(set(now) - set(before))
            os.remove(filler)
            db_check_clean(netinv, db, what)
            if left_running is not None and new:
                check(now.get(left_running) == "interrupted",
                      f"{what}: scan {left_running}, left running, is {now.get(left_running)} "
                      f"after the next scan started, not interrupted")
                left_running = None
            if r.returncode == 0:
                check(len(new) == 1 and now[new[0]] == "complete",
                      f"{what}: exit 0 but the scans are {now}")
                seen.add("done")
                break
            check(r.returncode == 1, f"{what}: scan exit {r.returncode} (1 or 0 expected)")
            check(db in r.stderr and ("full" in r.stderr or "No space left" in r.stderr),
                  f"{what}: the error names the file and the cause: {r.stderr[-400:]}")
            # The error, and at most: the last run's scan marked interrupted; this one's left
            # running.
            check(len(r.stderr.strip().splitlines()) <= 3, f"{what}: {r.stderr[-600:]}")
            if not new:
                outcome = "not started"
            elif now[new[0]] == "running":
                outcome, left_running = "left running", new[0]
                check(f"scan {new[0]} stays running" in r.stderr and "interrupted" in r.stderr,
                      f"{what}: scan {new[0]} is left running without a word: {r.stderr[-400:]}")
            else:
                check(now[new[0]] == "failed",
                      f"{what}: the scan that hit it is {now[new[0]]}, not failed")
                outcome = "failed"
            check(len(new) <= 1, f"{what}: {len(new)} scans from one run")
            if outcome not in seen:
                print(f"{what}: {outcome}: {r.stderr.strip()}", file=sys.stderr)
            seen.add(outcome)
            if outcome == "failed":
                break
        check(seen >= {"not started", "failed"},
              f"full disk: no free space made a scan both unable to start and fail mid-way: {seen}")
        r = run(netinv, "scan", "--config", cfg, "--db", db)
        check(r.returncode == 0, f"full disk: scan after space came back: exit {r.returncode}")
        running = [s["id"] for s in scans(netinv, db) if s["status"] == "running"]
        check(not running, f"full disk: scans {running} still running after a scan ended well")
    finally:
        subprocess.run(["umount", mnt], capture_output=True)


def main():
    if os.geteuid() != 0 or not shutil.which("ip"):
        print("skipped: the fault suite needs root (network namespaces, tmpfs)", file=sys.stderr)
        return 77
    netinv, relay_py = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    rng = random.Random(int(os.environ.get("FAULT_SEED", "4001")))
    with tempfile.TemporaryDirectory(prefix="netinv-faults-") as tmp:
        lab = Lab(tmp)
        try:
            lab.up(relay_py)
            if os.environ.get("FAULT_ONLY") != "disk":
                faults(netinv, lab, tmp)
                kills(netinv, lab, tmp, rng)
            full_disk(netinv, lab, tmp)
        finally:
            lab.stop()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
