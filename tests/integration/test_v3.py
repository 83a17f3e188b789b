#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Integration test: the SNMPv3 protocols of legacy and current devices, against real snmpd.

One snmpd on a free loopback port has a user per protocol pair (MD5/DES, SHA-224/AES,
SHA-384/AES-192) and a context "behind" that proxies to a second snmpd (its own sysName), as
a device with per-VLAN or per-instance contexts would. The configuration names the
protocols in net-snmp's spelling and netinv's, in any case. Checks: `config check` accepts it
and warns, naming file:line, about MD5 and DES; a scan answers for every user; the context
reaches the proxied agent; an unknown context is an error outcome, not the default context's
data; `probe` takes the same names. Prints 'N passed, M failed'.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from testkit import check, free_port, stop, summary

AUTH, PRIV = "v3-auth-passphrase", "v3-priv-passphrase"
USERS = [  # name, snmpd auth, snmpd priv, netinv auth spelling, netinv priv spelling
    ("legacy", "MD5", "DES", "MD5", "des"),
    ("sha224", "SHA-224", "AES", "sha-224", "AES-128"),
    ("sha384", "SHA-384", "AES-192", "SHA384", "aes_192"),
]




def snmpd(tmp, name, conf, port):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    open(os.path.join(d, "snmpd.conf"), "w").write(conf)
    return subprocess.Popen(["/usr/sbin/snmpd", "-f", "-C", "-c", os.path.join(d, "snmpd.conf"),
                             "-Lf", os.path.join(d, "log"), f"udp:127.0.0.1:{port}"],
                            env=dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=d),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait(port, community):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        r = subprocess.run(["snmpget", "-v2c", "-c", community, "-t", "0.3", "-r", "0",
                            f"udp:127.0.0.1:{port}", "1.3.6.1.2.1.1.5.0"],
                           capture_output=True, env=dict(os.environ, MIBS=""))
        if r.returncode == 0:
            return True
        time.sleep(0.1)
    return False


def main():
    netinv = os.path.abspath(sys.argv[1])
    procs = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            front, back = free_port(), free_port()
            procs.append(snmpd(tmp, "back", "rocommunity backc 127.0.0.1\nsysname behind-proxy\n",
                               back))
            conf = "rocommunity frontc 127.0.0.1\nsysname front-agent\n"
            for user, a, p, _, _ in USERS:
                conf += f'createUser {user} {a} "{AUTH}" {p} "{PRIV}"\nrouser {user} priv\n'
            conf += "createUser ctxuser SHA-256 \"%s\" AES \"%s\"\n" % (AUTH, PRIV)
            conf += "view all included .1\nrouser ctxuser priv -V all behind\n"
            conf += f"proxy -Cn behind -v 2c -c backc 127.0.0.1:{back} .1.3\n"
            procs.append(snmpd(tmp, "front", conf, front))
            check(wait(back, "backc") and wait(front, "frontc"), "the agents did not start")

            text = '[defaults]\ntimeout_ms = 2000\nretries = 1\n'
            for user, _, _, a, p in USERS:
                text += (f'\n[credential.{user}]\nversion = "3"\nuser = "{user}"\n'
                         f'auth_protocol = "{a}"\nauth_env = "T_AUTH"\n'
                         f'priv_protocol = "{p}"\npriv_env = "T_PRIV"\n')
            for cred, context in (("ctx", "behind"), ("noctx", "nosuch")):
                text += (f'\n[credential.{cred}]\nversion = "3"\nuser = "ctxuser"\n'
                         f'auth_protocol = "SHA-256"\nauth_env = "T_AUTH"\npriv_protocol = "AES"\n'
                         f'priv_env = "T_PRIV"\ncontext = "{context}"\n')
            for cred in [u[0] for u in USERS] + ["ctx", "noctx"]:
                text += (f'\n[[target]]\nname = "{cred}"\naddress = "127.0.0.1"\nport = {front}\n'
                         f'credential = "{cred}"\n')
            cfg = os.path.join(tmp, "v3.toml")
            open(cfg, "w").write(text)
            env = dict(os.environ, T_AUTH=AUTH, T_PRIV=PRIV)
            run = lambda *a: subprocess.run([netinv, *a], capture_output=True, text=True,
                                            env=env, timeout=120)

            r = run("config", "check", "--config", cfg)
            # Accepted, and counted among the problems: a weak protocol is the administrator's
            # choice to see every time, not a secret to keep.
            check(r.returncode == 2 and "2 problems" in r.stdout + r.stderr,
                  f"config check: exit {r.returncode}: {r.stderr[-400:]}")
            lines = (r.stdout + r.stderr).splitlines()
            check(any(f"{cfg}:" in l and "'MD5' is weak" in l for l in lines),
                  f"no warning naming file:line for MD5: {r.stderr[-400:]}")
            check(any(f"{cfg}:" in l and "'des' is weak" in l for l in lines),
                  f"no warning naming file:line for DES: {r.stderr[-400:]}")
            check(not any("is weak" in l and ("sha-224" in l or "SHA384" in l) for l in lines),
                  f"a strong protocol called weak: {r.stderr[-400:]}")

            db = os.path.join(tmp, "v3.db")
            r = run("scan", "--config", cfg, "--db", db, "--format", "json")
            out = json.loads(r.stdout) if r.stdout.strip().startswith("{") else {"targets": []}
            got = {t["name"]: t for t in out["targets"]}
            check(r.returncode == 3, f"scan exit {r.returncode} (3: noctx fails): {r.stderr[-400:]}")
            for user, *_ in USERS:
                check(got.get(user, {}).get("outcome") == "ok", f"{user}: {got.get(user)}")
            check(got.get("ctx", {}).get("outcome") == "ok", f"ctx: {got.get('ctx')}")
            check(got.get("noctx", {}).get("outcome") not in (None, "ok"),
                  f"an unknown context answered: {got.get('noctx')}")
            names = {}
            for t in ("legacy", "ctx"):
                s = run("show", t, "--db", db, "--format", "json")
                names[t] = json.loads(s.stdout).get("sys_name") if s.returncode == 0 else None
            check(names == {"legacy": "front-agent", "ctx": "behind-proxy"},
                  f"contexts did not reach their agents: {names}")

            r = run("probe", f"127.0.0.1:{front}", "--v3-user", "sha384", "--auth-proto",
                    "SHA-384", "--auth-env", "T_AUTH", "--priv-proto", "AES-192", "--priv-env",
                    "T_PRIV", "--format", "json")
            check(r.returncode == 0 and "front-agent" in r.stdout,
                  f"probe SHA-384/AES-192: exit {r.returncode}: {r.stderr[-300:]}")
            r = run("probe", f"127.0.0.1:{front}", "--v3-user", "ctxuser", "--auth-proto",
                    "sha256", "--auth-env", "T_AUTH", "--priv-proto", "aes", "--priv-env",
                    "T_PRIV", "--context", "behind", "--format", "json")
            check(r.returncode == 0 and "behind-proxy" in r.stdout,
                  f"probe --context: exit {r.returncode}: {r.stderr[-300:]}")
            r = run("probe", f"127.0.0.1:{front}", "--v3-user", "legacy", "--auth-proto", "md5",
                    "--auth-env", "T_AUTH", "--priv-proto", "DES", "--priv-env", "T_PRIV")
            check(r.returncode == 0 and "weak" in r.stderr,
                  f"probe MD5/DES: exit {r.returncode}: {r.stderr[-300:]}")
            r = run("probe", f"127.0.0.1:{front}", "--v3-user", "x", "--auth-proto", "sha3",
                    "--auth-env", "T_AUTH")
            check(r.returncode == 2 and "md5, sha, sha224" in r.stderr,
                  f"probe with an unknown protocol: exit {r.returncode}: {r.stderr[-300:]}")
        finally:
            stop(procs)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
