# SPDX-License-Identifier: Apache-2.0
"""What the lab's integration tests share: the lab's environment and a copy of the shipped
province on a port of its own."""
import os
import re
import shutil

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
