#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Every JSON document netinv writes, validated against its JSON Schema (schema/, 2020-12).

    test_schema.py --netinv PATH

Brings the lab up (seed 4, no IPv6 hosts), scans it, changes the scenario and scans again, then
runs every command that has --format json (the reports in English and Vietnamese) and the
audit's JSON reports (after importing a capture of one CPE, so that what says "captured" is in
them too), and validates each document with Debian's python3-jsonschema against the
schema its command names. A document with a key its schema lacks, or without a required one,
fails: the schemas are the contract other tools rely on, so each is also checked to refuse
such a mutated document. Prints 'N passed, M failed'.
"""
import argparse
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

from labtest import LAB, ROOT, lab_down, lab_up, summary

PORT = 16240
SCHEMAS = os.path.join(ROOT, "schema")


def validators():
    """One validator per schema file, resolving the $refs between them offline."""
    store = {}
    for f in glob.glob(os.path.join(SCHEMAS, "*.schema.json")):
        s = json.load(open(f, encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(s)
        store[s["$id"]] = s
    out = {}
    for sid, s in store.items():
        name = os.path.basename(sid).removesuffix(".schema.json")
        try:  # jsonschema >= 4.18
            from referencing import Registry, Resource
            reg = Registry().with_resources([(k, Resource.from_contents(v)) for k, v in store.items()])
            out[name] = jsonschema.Draft202012Validator(s, registry=reg)
        except ImportError:  # Debian 12's 4.10
            res = jsonschema.RefResolver(sid, s, store=store)
            out[name] = jsonschema.Draft202012Validator(s, resolver=res)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--netinv", required=True)
    args = ap.parse_args()
    netinv = os.path.abspath(args.netinv)
    failures, checks = [], 0
    check = validators()
    with tempfile.TemporaryDirectory(prefix="netinv-schema-") as tmp:
        os.chmod(tmp, 0o755)
        db = os.path.join(tmp, "inventory.db")
        try:
            lab_dir, config, env = lab_up(tmp, PORT, 4, netinv)
        except RuntimeError as e:
            print("FAIL:", e)
            return 1
        try:
            port = str(PORT)

            def run(*a, conf=True):
                extra = ["--config", config, "--db", db] if conf else []
                return subprocess.run([netinv, *a, *extra], capture_output=True, text=True,
                                      env=env, timeout=900)

            documents = [("scan", run("scan", "--quiet", "--format", "json"))]
            ch = subprocess.run([sys.executable, LAB, "change", "--dir", lab_dir],
                                capture_output=True, text=True)
            if ch.returncode != 0:
                failures.append(f"lab change: {ch.stderr[-300:]}")
            documents.append(("scan", run("scan", "--quiet", "--format", "json")))
            targets = json.loads(run("config", "targets", "--format", "json").stdout)["targets"]
            cpe = next(t for t in targets if t["role"] == "cpe")
            # A capture of the CPE, imported: every document then also says what was captured.
            walk = os.path.join(tmp, "cpe.walk")
            with open(walk, "w") as out:
                cap = subprocess.run(["snmpbulkwalk", "-v2c", "-c", env["NETINV_COMMUNITY"], "-On",
                                      "-Ox", f"{cpe['address']}:{port}", ".1"], stdout=out,
                                     stderr=subprocess.PIPE, text=True, timeout=300)
            imp = run("import", walk, "--target", cpe["name"])
            checks += 1
            if cap.returncode != 0 or imp.returncode != 0:
                failures.append(f"capture and import of {cpe['name']}: {cap.stderr[-200:]} "
                                f"{imp.stderr[-300:]}")
            for lang in ("en", "vi"):
                for name, cmd in [("devices", ["devices"]),
                                  ("devices-by", ["devices", "--by", "district"]),
                                  ("device", ["show", cpe["name"]]),
                                  ("gaps", ["gaps"]), ("ipv6-summary", ["ipv6", "summary"]),
                                  ("ipv6-checklist", ["ipv6", "checklist", "--all"]),
                                  ("ipv6-actions", ["ipv6", "checklist", "--by-action", "--all"]),
                                  ("diff", ["diff"]), ("search", ["search", "127."])]:
                    documents.append((name, run(*cmd, "--format", "json", "--lang", lang)))
            documents += [("scans", run("scans", "--format", "json")),
                          ("db-check", run("db", "check", "--format", "json")),
                          ("config-check", run("config", "check", "--format", "json")),
                          ("config-targets", run("config", "targets", "--format", "json")),
                          ("device", run("probe", f"{cpe['address']}:{port}", "--community-env",
                                         "NETINV_COMMUNITY", "--format", "json", conf=False)),
                          ("discover", run("discover", f"{cpe['address']}/30", "--port", port,
                                           "--format", "json"))]
            reports = os.path.join(tmp, "reports")
            audit = run("audit", "--quiet", "--report-dir", reports, "--report-format", "json")
            if audit.returncode not in (0, 3, 6):
                failures.append(f"audit: exit {audit.returncode}: {audit.stderr[-300:]}")
            for f in sorted(glob.glob(os.path.join(reports, "*.json"))):
                base = os.path.basename(f)
                kind = "gaps" if "-gaps." in base else "audit-summary" if "-summary." in base else "diff"
                documents.append((kind, open(f, encoding="utf-8").read()))
            checks += 1
            if len(glob.glob(os.path.join(reports, "*.json"))) != 3:
                failures.append(f"audit wrote {os.listdir(reports) if os.path.isdir(reports) else 'nothing'}, "
                                f"not one diff, one gap report and one summary in JSON")
            seen = set()
            for name, r in documents:
                text = r if isinstance(r, str) else r.stdout
                what = name if isinstance(r, str) else " ".join(r.args[1:4])
                checks += 1
                try:
                    doc = json.loads(text)
                except json.JSONDecodeError as e:
                    failures.append(f"{what}: not JSON ({e}); stderr {getattr(r, 'stderr', '')[-200:]}")
                    continue
                errors = list(check[name].iter_errors(doc))
                if errors:
                    e = errors[0]
                    failures.append(f"{what}: {len(errors)} errors against {name}.schema.json, first at "
                                    f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
                    continue
                if name in seen:
                    continue
                seen.add(name)
                # The schema refuses what it does not describe: an unknown key, a missing one.
                for mutate in ("extra", "missing"):
                    bad = copy.deepcopy(doc)
                    if mutate == "extra":
                        bad["undocumented_key"] = 1
                    else:
                        del bad["schema_version"]
                    checks += 1
                    if check[name].is_valid(bad):
                        failures.append(f"{name}.schema.json accepts a document with {mutate} keys")
            missing = sorted({os.path.basename(f).removesuffix(".schema.json")
                              for f in glob.glob(os.path.join(SCHEMAS, "*.schema.json"))} - seen)
            checks += 1
            if missing:
                failures.append(f"schemas no document was validated against: {missing}")
        finally:
            lab_down(lab_dir)
    return summary(failures, checks)


if __name__ == "__main__":
    sys.exit(main())
