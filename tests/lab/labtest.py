# SPDX-License-Identifier: Apache-2.0
"""What the lab's integration tests share: the lab's environment and a copy of the shipped
province on a port of its own."""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LAB = os.path.join(ROOT, "lab", "lab.py")


def load_env(path):
    """The process environment plus the lab's secrets (DIR/env)."""
    env = dict(os.environ)
    for line in open(path):
        k, v = line.replace("export ", "", 1).strip().split("=", 1)
        env[k] = v
    return env


def province_config(tmp, port):
    """Copies the shipped inventory.toml (with its data/ and plan/) into `tmp`, answering on
    `port`, so that a lab someone left running (the demo's uses the shipped port) cannot answer
    for a test's. Returns the copy's path."""
    for d in ("data", "plan"):
        shutil.copytree(os.path.join(ROOT, d), os.path.join(tmp, d))
    text = open(os.path.join(ROOT, "inventory.toml"), encoding="utf-8").read()
    text, n = re.subn(r"(?m)^port = \d+$", f"port = {port}", text)
    assert n == 1, "inventory.toml has no [defaults] port to change"
    config = os.path.join(tmp, "inventory.toml")
    with open(config, "w", encoding="utf-8") as f:
        f.write(text)
    return config


def lab_up(tmp, port, seed, netinv):
    """Brings a lab up in tmp/lab for a copy of the province on `port` (no IPv6 hosts), with the
    sites the lab generated added to that copy. Returns (lab_dir, config, env), or raises
    RuntimeError with lab.py's complaint; the caller runs `lab.py down` in a finally."""
    lab_dir = os.path.join(tmp, "lab")
    config = province_config(tmp, port)
    up = subprocess.run([sys.executable, LAB, "up", "--seed", str(seed), "--dir", lab_dir,
                         "--netinv", netinv, "--config", config, "--ipv6-hosts", "0"],
                        capture_output=True, text=True)
    if up.returncode != 0:
        lab_down(lab_dir)
        raise RuntimeError(f"lab up: {up.stderr}")
    with open(config, "a", encoding="utf-8") as f:
        f.write(open(os.path.join(lab_dir, "sites.toml"), encoding="utf-8").read())
    return lab_dir, config, load_env(os.path.join(lab_dir, "env"))


def lab_down(lab_dir):
    """Stops every process of the lab in lab_dir (lab.py down: by the PIDs it recorded)."""
    subprocess.run([sys.executable, LAB, "down", "--dir", lab_dir], capture_output=True)


def summary(failures, checks):
    """Prints the first failures and 'N passed, M failed'; the test's exit code."""
    for f in failures[:40]:
        print("FAIL:", f)
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0
