#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Several pollers on one PostgreSQL store, against real snmpd agents on loopback.

    tests/postgresql/server.sh test_pollers.py NETINV

Two pollers (north, south) scan disjoint and overlapping targets at the same moment, several
rounds; a second run of one poller while it runs is refused and names the holder; one poller is
killed (SIGKILL) in the middle of its writes while the other keeps scanning. Checks: every
run's scan complete and no write lost, the latest picture is each target's latest observation
across pollers (show says which poller), the diff names the poller that saw a target, the
killed scan is never complete and is marked interrupted by that poller's next run, and
`db check` finds nothing wrong; then audit, import and prune as pollers, and, last, the server
stopped in the middle of a scan (one line naming the database, exit 1). A slow target is an
unanswered UDP socket of the test's own.

Prints 'N passed, M failed'; exits 1 on any failure. Stops what it started, by PID.
"""
import glob
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

from testkit import check, free_port, stop, summary

COMMUNITY = "pollers-community"


def snmpd(tmp, name, port):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    conf = f"rocommunity {COMMUNITY} 127.0.0.1\nsysname {name}\nsyslocation pollers test\n"
    open(os.path.join(d, "snmpd.conf"), "w").write(conf)
    return subprocess.Popen(["/usr/sbin/snmpd", "-f", "-C", "-c", os.path.join(d, "snmpd.conf"),
                             "-Lf", os.path.join(d, "log"), f"udp:127.0.0.1:{port}"],
                            env=dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=d),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def answers(port):
    r = subprocess.run(["snmpget", "-v2c", "-c", COMMUNITY, "-t", "0.3", "-r", "0",
                        f"udp:127.0.0.1:{port}", "1.3.6.1.2.1.1.5.0"],
                       capture_output=True, env=dict(os.environ, MIBS=""))
    return r.returncode == 0


def main():
    netinv = os.path.abspath(sys.argv[1])
    server = os.environ.get("NETINV_TEST_POSTGRESQL")
    if not server:
        print("test_pollers.py: run it under tests/postgresql/server.sh", file=sys.stderr)
        return 1
    procs = []
    silent = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            ports = {}
            for name in ("a", "b", "shared"):
                ports[name] = free_port()
                procs.append(snmpd(tmp, name, ports[name]))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not all(answers(p) for p in ports.values()):
                time.sleep(0.2)
            check(all(answers(p) for p in ports.values()), "the agents did not start")
            # Slow targets: sockets that take every request and never answer.
            for i in range(8):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(("127.0.0.1", 0))
                silent.append(s)
            text = ('[defaults]\ntimeout_ms = 1500\nretries = 1\n\n[credential.c]\n'
                    'version = "2c"\ncommunity_env = "T_COMMUNITY"\n')
            for name, port in ports.items():
                text += (f'\n[[target]]\nname = "{name}"\naddress = "127.0.0.1"\nport = {port}\n'
                         'credential = "c"\n')
            for i, s in enumerate(silent):
                # A minute per try: a scan with them runs until the test kills it, however
                # loaded the machine (a planted condition, not a race).
                text += (f'\n[[target]]\nname = "slow-{i}"\naddress = "127.0.0.1"\n'
                         f'port = {s.getsockname()[1]}\ncredential = "c"\ntimeout_ms = 60000\n'
                         'retries = 0\n')
            cfg = os.path.join(tmp, "inventory.toml")
            open(cfg, "w").write(text)
            # The database is created by the first run; the password only in PGPASSWORD.
            admin = subprocess.run(["psql", f"{server}/postgres", "-qAtc",
                                    "CREATE DATABASE pollers"], capture_output=True, text=True)
            check(admin.returncode == 0, f"createdb: {admin.stderr}")
            db = f"{server}/pollers"
            env = dict(os.environ, T_COMMUNITY=COMMUNITY, LANG="C")

            def start(poller, *targets, extra=()):
                args = [netinv, "scan", "--config", cfg, "--db", db, "--quiet",
                        "--format", "json", *extra]
                if poller:
                    args += ["--poller", poller]
                for t in targets:
                    args += ["-t", t]
                return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env=env)

            def run(*args):
                return subprocess.run([netinv, *args, "--db", db], capture_output=True,
                                      text=True, env=env, timeout=120)

            # A password in the URL is refused, and never echoed.
            r = subprocess.run([netinv, "scans", "--db",
                                server.replace("postgres@", "postgres:hunter2@") + "/pollers"],
                               capture_output=True, text=True, env=env, timeout=60)
            check(r.returncode != 0 and "PGPASSWORD" in r.stderr and "hunter2" not in r.stderr,
                  f"a password in the URL: exit {r.returncode}: {r.stderr.strip()}")

            # Rounds of both pollers at once: disjoint (a / b) and overlapping (shared) targets.
            for round_ in range(3):
                n = start("north", "a", "shared")
                s = start("south", "b", "shared")
                for who, p in (("north", n), ("south", s)):
                    out, err = p.communicate(timeout=120)
                    check(p.returncode == 0, f"round {round_}: {who} exit {p.returncode}: {err}")
            r = run("scans", "--format", "json")
            scans = json.loads(r.stdout)["scans"] if r.returncode == 0 else []
            check(len(scans) == 6 and all(x["status"] == "complete" for x in scans),
                  f"6 complete scans: {[(x['id'], x['poller'], x['status']) for x in scans]}")
            check(sorted(x["poller"] for x in scans) == ["north"] * 3 + ["south"] * 3,
                  f"pollers of the scans: {[x['poller'] for x in scans]}")
            check(all(x["ok"] == 2 and x["targets"] == 2 for x in scans),
                  f"each scan's own targets: {[(x['ok'], x['targets']) for x in scans]}")
            latest = max(scans, key=lambda x: x["id"]) if scans else {}
            r = run("devices", "--format", "json")
            names = sorted(d["name"] for d in json.loads(r.stdout)["devices"]) if r.returncode == 0 else []
            check(names == ["a", "b", "shared"], f"the latest picture: {names} {r.stderr}")
            r = run("show", "shared", "--format", "json")
            shown = json.loads(r.stdout) if r.returncode == 0 else {}
            check(shown.get("poller") == latest.get("poller"),
                  f"shared is the later scan's ({latest.get('poller')}): {shown.get('poller')}")
            r = run("show", "a", "--format", "json")
            check(r.returncode == 0 and json.loads(r.stdout).get("poller") == "north",
                  f"a from north: {r.stdout[:200]} {r.stderr}")
            r = run("show", "shared")
            check("poller" in r.stdout and latest.get("poller", "?") in r.stdout,
                  f"show's table names the poller: {r.stdout[:300]}")
            # The diff of the last two scans of the picture says which poller saw shared.
            ids = sorted(x["id"] for x in scans)
            r = run("diff", str(ids[-2]), str(ids[-1]), "--format", "json")
            changes = json.loads(r.stdout)["changes"] if r.returncode in (0, 6) else []
            moved = [c for c in changes if c["kind"] == "poller-changed"]
            check(len(moved) == 1 and moved[0]["target"] == "shared" and
                  moved[0]["seen_by"] == latest.get("poller"),
                  f"diff names the poller that saw shared: {changes} {r.stderr}")

            # One poller at a time per name: a second north is refused and says who holds it.
            n = start("north", "a", *[f"slow-{i}" for i in range(8)])
            deadline = time.monotonic() + 60
            running = []
            while time.monotonic() < deadline and not running:
                r = run("scans", "--format", "json")
                if r.returncode == 0:
                    running = [x for x in json.loads(r.stdout)["scans"]
                               if x["status"] == "running"]
                time.sleep(0.1)
            check(len(running) == 1, f"north's slow scan is running: {running}")
            r = subprocess.run([netinv, "scan", "--config", cfg, "--db", db, "--poller", "north",
                                "-t", "a"], capture_output=True, text=True, env=env, timeout=60)
            check(r.returncode == 5 and "poller 'north'" in r.stderr and
                  "netinv scan (pid" in r.stderr,
                  f"a second north: exit {r.returncode}: {r.stderr.strip()}")
            # South scans meanwhile; then north is killed mid-write.
            s = start("south", "b", "shared")
            # Wait until north has written a target of its scan: the kill lands among its writes.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                q = subprocess.run(["psql", db, "-qAtc",
                                    f"SELECT count(*) FROM sample WHERE scan_id = "
                                    f"{running[0]['id'] if running else 0}"],
                                   capture_output=True, text=True)
                if q.stdout.strip() not in ("", "0"):
                    break
                time.sleep(0.05)
            n.kill()
            n.wait()
            out, err = s.communicate(timeout=120)
            check(s.returncode == 0, f"south beside the killed north: exit {s.returncode}: {err}")
            r = run("scans", "--format", "json")
            after = {x["id"]: x for x in json.loads(r.stdout)["scans"]} if r.returncode == 0 else {}
            killed = after.get(running[0]["id"]) if running else None
            check(killed is not None and killed["status"] == "running",
                  f"the killed scan is left running, never complete: {killed}")
            check(all(x["status"] == "complete" for i, x in after.items()
                      if not running or i != running[0]["id"]),
                  f"every other scan complete: {list(after.values())}")
            r = run("db", "check")
            check(r.returncode == 0 and "never finished" in r.stdout + r.stderr,
                  f"db check after the kill: exit {r.returncode}: {r.stdout} {r.stderr}")
            r = run("devices", "--format", "json")
            picture = json.loads(r.stdout) if r.returncode == 0 else {}
            check(picture.get("scan", {}).get("id") != (running[0]["id"] if running else None),
                  f"the picture is not the killed scan: {picture.get('scan')}")
            check(sorted(d["name"] for d in picture.get("devices", [])) == ["a", "b", "shared"],
                  f"the picture after the kill: {picture.get('devices')}")
            # North's next run marks its killed scan interrupted, and south's are untouched.
            r = subprocess.run([netinv, "scan", "--config", cfg, "--db", db, "--poller", "north",
                                "-t", "a", "-t", "shared"], capture_output=True, text=True,
                               env=env, timeout=120)
            check(r.returncode == 0 and "marked interrupted" in r.stderr,
                  f"north after the kill: exit {r.returncode}: {r.stderr.strip()}")
            r = run("scans", "--format", "json")
            final = {x["id"]: x for x in json.loads(r.stdout)["scans"]} if r.returncode == 0 else {}
            check(running and final.get(running[0]["id"], {}).get("status") == "interrupted",
                  f"the killed scan interrupted: {final.get(running[0]['id'] if running else 0)}")
            r = run("db", "check")
            check(r.returncode == 0 and "never finished" not in r.stdout + r.stderr and
                  "ok; schema 12" in r.stdout and "on PostgreSQL" in r.stdout and
                  "hunter2" not in r.stdout,
                  f"db check at the end: exit {r.returncode}: {r.stdout} {r.stderr}")
            # The nightly audit of a poller's share, its reports from the picture.
            reports = os.path.join(tmp, "reports")
            r = subprocess.run([netinv, "audit", "--config", cfg, "--db", db, "--poller", "south",
                                "-t", "b", "-t", "shared", "--report-dir", reports],
                               capture_output=True, text=True, env=env, timeout=120)
            check(r.returncode == 0 and any("-summary." in f
                                            for f in os.listdir(reports)),
                  f"audit as south: exit {r.returncode}: {r.stderr.strip()[:300]}")
            # A technician's capture of b, imported as the poller "field".
            walk = subprocess.run(["snmpbulkwalk", "-v2c", "-c", COMMUNITY, "-On", "-Ox",
                                   f"udp:127.0.0.1:{ports['b']}", ".1"],
                                  capture_output=True, text=True, env=dict(os.environ, MIBS=""))
            capture = os.path.join(tmp, "b.walk")
            open(capture, "w").write(walk.stdout)
            r = subprocess.run([netinv, "import", capture, "--target", "b", "--config", cfg,
                                "--db", db, "--poller", "field"], capture_output=True, text=True,
                               env=env, timeout=120)
            check(r.returncode == 0, f"import as field: exit {r.returncode}: {r.stderr.strip()}")
            r = run("show", "b", "--format", "json")
            b = json.loads(r.stdout) if r.returncode == 0 else {}
            check(b.get("poller") == "field" and b.get("capture", {}).get("file") == capture,
                  f"b read from the capture, by field: {b.get('poller')} {b.get('capture')}")
            r = run("devices", "--format", "json")
            names = sorted(d["name"] for d in json.loads(r.stdout)["devices"]) if r.returncode == 0 else []
            check(names == ["a", "b", "shared"], f"the picture with the capture: {names}")
            # Pruning north's old scans leaves south's alone, and every kept scan whole.
            before = json.loads(run("scans", "--format", "json").stdout)["scans"]
            r = subprocess.run([netinv, "prune", "--keep", "1", "--db", db, "--poller", "north"],
                               capture_output=True, text=True, env=env, timeout=120)
            after = json.loads(run("scans", "--format", "json").stdout)["scans"]
            by = lambda v, p: [x["id"] for x in v if x["poller"] == p]
            check(r.returncode == 0 and len(by(after, "north")) == 1 and
                  by(after, "south") == by(before, "south"),
                  f"prune --poller north: exit {r.returncode} {r.stdout} {r.stderr}: "
                  f"north {by(before, 'north')} -> {by(after, 'north')}, "
                  f"south {by(before, 'south')} -> {by(after, 'south')}")
            r = run("db", "check")
            check(r.returncode == 0, f"db check after prune: {r.stdout} {r.stderr}")
            r = run("devices", "--format", "json")
            names = sorted(d["name"] for d in json.loads(r.stdout)["devices"]) if r.returncode == 0 else []
            check(names == ["a", "b", "shared"], f"the picture after prune: {names}")

            # The reports read the picture across pollers as SQLite's one poller.
            r = subprocess.run([netinv, "ipv6", "summary", "--config", cfg, "--db", db,
                                "--format", "json"],
                               capture_output=True, text=True, env=env, timeout=60)
            check(r.returncode in (0, 6) and r.stdout.lstrip().startswith("{"),
                  f"ipv6 summary on PostgreSQL: exit {r.returncode}: {r.stderr.strip()[:300]}")
            # Last, the server goes away in the middle of a scan: one line naming the database,
            # exit 1, no crash or hang, and nothing of the server's own on stderr.
            n = start("north", "a", *[f"slow-{i}" for i in range(8)])
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                q = subprocess.run(["psql", db, "-qAtc", "SELECT count(*) FROM scan WHERE status "
                                    "= 'running' AND poller = 'north'"],
                                   capture_output=True, text=True)
                if q.stdout.strip() not in ("", "0"):
                    break
                time.sleep(0.05)
            bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
            data = os.path.join(os.path.dirname(os.environ["NETINV_TEST_POSTGRESQL_LOG"]), "data")
            as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
            subprocess.run(as_owner + [os.path.join(bindir, "pg_ctl"), "-D", data, "-m",
                                       "immediate", "-w", "stop"], capture_output=True)
            out, err = n.communicate(timeout=120)
            lines = err.strip().splitlines()
            check(n.returncode == 1 and len(lines) == 1 and
                  lines[0].startswith("netinv: error: postgresql://postgres@") and
                  "WARNING" not in err,
                  f"the server gone mid-scan: exit {n.returncode}: {err.strip()}")
        finally:
            stop(procs)
            for s in silent:
                s.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
