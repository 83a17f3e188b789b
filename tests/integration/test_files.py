#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Integration test: the files netinv touches, as a hostile neighbour or a mistaken path would
leave them. A symbolic link at DB.lock or at a report's path, a FIFO as a secrets file, a
device as a site table, a database the user may read but not write. Each case must end at once
with a clear error naming the file (or work, for the read-only database), and leave every file
it must not touch as it was. Prints 'N passed, M failed'.
"""
import datetime
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

from testkit import check, summary




def config(tmp, extra=""):
    """One target no agent answers (a closed loopback port), so scans need no agent."""
    text = ('[defaults]\ntimeout_ms = 50\nretries = 0\n\n[credential.c]\nversion = "2c"\n'
            'community_env = "T_COMMUNITY"\n\n[[target]]\nname = "nobody-home"\n'
            'address = "127.0.0.1"\nport = 9\ncredential = "c"\n' + extra)
    path = os.path.join(tmp, "inventory.toml")
    open(path, "w").write(text)
    return path


def run(netinv, *args, **kw):
    """netinv's result; one that hangs (a FIFO waited on) is killed and counts as exit -1."""
    env = dict(os.environ, T_COMMUNITY="public", LANG="C")
    try:
        return subprocess.run([netinv, *args], capture_output=True, text=True, timeout=60,
                              env=env, **kw)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(e.cmd, -1, "", f"hung for {e.timeout} s")


def main():
    netinv = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        cfg = config(tmp)
        db = os.path.join(tmp, "inv.db")
        victim = os.path.join(tmp, "precious.txt")
        open(victim, "w").write("precious\n")

        # A symbolic link at DB.lock: refused, the file it points to untouched.
        os.symlink(victim, db + ".lock")
        r = run(netinv, "scan", "--config", cfg, "--db", db)
        check(r.returncode not in (0, 3) and "is a symbolic link" in r.stderr,
              f"lock symlink: exit {r.returncode}: {r.stderr[-300:]}")
        check(open(victim).read() == "precious\n", "the lock's symlink target was changed")
        os.unlink(db + ".lock")
        # A FIFO at DB.lock: refused at once, never waited on.
        os.mkfifo(db + ".lock")
        r = run(netinv, "scan", "--config", cfg, "--db", db)
        check(r.returncode not in (0, 3) and "not a regular file" in r.stderr,
              f"lock FIFO: exit {r.returncode}: {r.stderr[-300:]}")
        os.unlink(db + ".lock")

        # Reports: symbolic links planted at the report's name and at the old temporary name
        # are replaced, never written through.
        reports = os.path.join(tmp, "reports")
        os.mkdir(reports)
        r = run(netinv, "audit", "--config", cfg, "--db", db, "--report-dir", reports,
                "--report-format", "markdown")
        check(r.returncode == 3, f"first audit: exit {r.returncode}: {r.stderr[-300:]}")
        # The next audit's reports are scan 2's (the date is the local date the engine uses;
        # both today's and yesterday's names are planted, so a run around midnight is covered).
        for day in (datetime.date.today(), datetime.date.today() - datetime.timedelta(days=1),
                    datetime.date.today() + datetime.timedelta(days=1)):
            for kind in ("gaps", "diff"):
                base = os.path.join(reports, f"netinv-{day.isoformat()}-scan2-{kind}.md")
                for p in (base, base + ".tmp"):
                    if not os.path.lexists(p):
                        os.symlink(victim, p)
        r = run(netinv, "audit", "--config", cfg, "--db", db, "--report-dir", reports,
                "--report-format", "markdown")
        check(r.returncode == 3, f"second audit: exit {r.returncode}: {r.stderr[-300:]}")
        check(open(victim).read() == "precious\n", "a report was written through a symlink")
        written = [n for n in os.listdir(reports) if "scan2" in n and not n.endswith(".tmp")
                   and not os.path.islink(os.path.join(reports, n))]
        check(len(written) >= 1, f"scan 2's reports were not written: {os.listdir(reports)}")

        # Configuration paths that are not regular files: an error naming the file, at once.
        fifo = os.path.join(tmp, "secret.fifo")
        os.mkfifo(fifo, 0o600)
        bad = config(tmp, f'\n[credential.f]\nversion = "2c"\ncommunity_file = "{fifo}"\n')
        r = run(netinv, "config", "check", "--config", bad)
        check(r.returncode == 2 and fifo in r.stdout + r.stderr and
              "not a regular file" in r.stdout + r.stderr,
              f"FIFO secrets file: exit {r.returncode}: {r.stdout[-300:]} {r.stderr[-300:]}")
        bad = config(tmp, '\n[[site_table]]\nfile = "/dev/zero"\nparent = "x"\n')
        r = run(netinv, "config", "check", "--config", bad)
        check(r.returncode == 2 and "/dev/zero" in r.stdout + r.stderr and
              "not a regular file" in r.stdout + r.stderr,
              f"/dev/zero site table: exit {r.returncode}: {r.stdout[-300:]} {r.stderr[-300:]}")
        big = os.path.join(tmp, "huge.toml")
        with open(big, "wb") as f:
            f.truncate(64 << 20)  # sparse: 64 MiB of zeros
        r = run(netinv, "config", "check", "--config", big)
        check(r.returncode == 2 and "larger than" in r.stdout + r.stderr,
              f"64 MiB configuration: exit {r.returncode}: {r.stdout[-200:]} {r.stderr[-200:]}")

        # A database 'db check' finds damaged: scans and prunes write nothing into it and say
        # so; readers still read, with a warning. (A copy: the cases below use the original.)
        damaged = os.path.join(tmp, "damaged.db")
        src, dst = sqlite3.connect(db), sqlite3.connect(damaged)
        src.backup(dst)
        src.close()
        dst.execute("UPDATE observation SET state_scan = first_scan")  # devices that are not
        dst.commit()
        dst.close()
        before = open(damaged, "rb").read()
        cfg = config(tmp)
        r = run(netinv, "db", "check", "--db", damaged)
        check(r.returncode == 1 and "the device stored for nobody-home is missing" in r.stdout,
              f"db check of the damaged copy: exit {r.returncode}: {r.stdout[-300:]}")
        r = run(netinv, "db", "check", "--db", damaged, "--format", "json")
        report = json.loads(r.stdout) if r.stdout.strip().startswith("{") else {}
        check(r.returncode == 1 and report.get("status") == "damaged" and
              any(f["severity"] == "error" and "nobody-home" in f["text"]
                  for f in report.get("findings", [])),
              f"db check --format json of the damaged copy: exit {r.returncode}: {r.stdout[-300:]}")
        for args in (["scan", "--config", cfg], ["prune", "--keep", "1"],
                     ["audit", "--config", cfg, "--report-dir", tmp]):
            r = run(netinv, *args, "--db", damaged)
            check(r.returncode == 1 and f"{damaged}: damaged (scan" in r.stderr and
                  "nothing written" in r.stderr and len(r.stderr.strip().splitlines()) == 1,
                  f"{args[0]} into a damaged database: exit {r.returncode}: {r.stderr[-300:]}")
        check(open(damaged, "rb").read() == before, "the damaged database was written")
        r = run(netinv, "scans", "--db", damaged)
        check(r.returncode == 0 and "damaged" in r.stderr and "db check" in r.stderr,
              f"reading a damaged database: exit {r.returncode}: {r.stderr[-300:]}")

        # A database another user may read but not write: read commands work, read-only.
        if os.geteuid() == 0:
            os.chmod(db, 0o644)
            for suffix in ("-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.chmod(db + suffix, 0o644)
            nobody = lambda: (os.setgid(65534), os.setuid(65534))
            r = run(netinv, "scans", "--db", db, "--format", "json", preexec_fn=nobody)
            check(r.returncode == 0 and '"status": "complete"' in r.stdout,
                  f"read-only database as another user: exit {r.returncode}: {r.stderr[-300:]}")
            r = run(netinv, "devices", "--db", db, preexec_fn=nobody)
            check(r.returncode in (0, 1) and "readonly" not in r.stderr,
                  f"devices on a read-only database: exit {r.returncode}: {r.stderr[-300:]}")
        else:
            print("skipped: the read-only database check needs root (another user)")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
