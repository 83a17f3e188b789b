#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""netinv's benchmark: real agents on this machine, netinv against the usual shell baselines.

    bench/run.py [--netinv PATH] [--servers 111] [--runs 3] [--rounds 9] [--scale 10000]
                 [--write bench/RESULTS.md]

Scenarios, each on the same agents, each repeated --runs times (medians reported); the short
same-work and thin-link rows --rounds times, what they compare alternating within each round:
  servers   111 net-snmp snmpd processes (one per data-centre/department/district server), each
            on its own 127.20.x.y address. Polled by
              1. netinv scan (system group, interfaces, addresses, entity, default routes, LLDP,
                 ARP/ND, VLANs, IPv6 per interface, host resources, the IPv6 checklist's objects
                 for a server),
              2. snmpbulkwalk of the same subtrees, 16 hosts at a time (xargs -P16),
              3. snmpbulkwalk of the same subtrees, one host after another.
  dead      the same 111 plus 20% more targets where nothing listens: netinv's wall time must
            stay within the live-only time plus one timeout budget (timeout x tries); the same
            111 plus 100 silent SNMPv2c and 20 silent SNMPv3 targets (more than --concurrency;
            silent: they read and never answer), and the 20 SNMPv3 ones alone (one budget).
  same work the 111 polled by bench/walker.cpp: netinv's own requests of a server (its MIB
            column lists), every host in flight, nothing decoded or stored; against netinv
            with the identity GETs off (the walker makes none), ratio target <= 1.1; a
            first night (a new database each run), as the walker has no history either.
  thin      the 111, three of every four behind bench/relay.py (80 ms each way, 2% loss each
            way, 10 Mbit/s: a commune's link): default options against the best of four
            option sets tuned by hand (--concurrency, timeout_ms) that retrieves the same data
            (a run whose short timeouts cut walks is shown, not taken), chosen on one set of
            rounds and measured again beside the defaults on another, ratio target <= 1.2;
            defaults on the first night (a fresh database) and on the next (last night's scan
            in it: the round-trip times netinv learned per target), as a nightly audit runs.
  province  the simulated province of lab/ (403 snmpsim agents, 8 dead): netinv only.
  scale     10,000 targets answered by one snmpd listening on every local address of a port:
            netinv's rate and peak RSS (descriptors and memory must not run out; target
            <= 100 MB); then a fifth as many on a port where a socket reads and never answers.
  store     the province's scan and a --scale-target scan written to SQLite and to PostgreSQL
            (bench/store.cpp, a server of its own with fsync on): write time, size, time to read
            the latest picture, each read checked; 4 pollers writing a quarter each at once.
  history   a year of nightly scans written through the real store (bench/history.cpp), each
            night the province's real scan with churn: uptime, counters and volume use change on
            every device, 2-5 devices a night change for real (interface up/down, an address
            added or removed, firmware, a swapped box), now and then one does not answer.
            Baseline: that one scan written once. Measured: the year's size / one scan's
            (target < 10), write time per scan, time to rebuild past snapshots (target < 1 s),
            each rebuilt snapshot checked against what was written.
Measured: wall time, the poller's own CPU time (user+sys of netinv or of all snmpbulkwalk
processes), peak RSS, varbinds retrieved. Nothing leaves 127.0.0.0/8. Every process started
here is stopped by PID, also on failure.
"""
import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
COMMUNITY = "bench-c0mm"
# What netinv reads, as whole subtrees for snmpbulkwalk (it cannot walk single columns together,
# so the baseline fetches somewhat more: whole tables, whole route tables).
SUBTREES = ["1.3.6.1.2.1.1", "1.3.6.1.2.1.2.2.1", "1.3.6.1.2.1.31.1.1.1", "1.3.6.1.2.1.4.34.1",
            "1.3.6.1.2.1.47.1.1.1.1", "1.3.6.1.2.1.4.24.7.1.7", "1.0.8802.1.1.2.1.4",
            "1.3.6.1.2.1.4.35.1", "1.3.6.1.2.1.17.7.1.4.3.1.1", "1.3.6.1.2.1.4.30.1.5",
            "1.3.6.1.2.1.25.2.3.1", "1.3.6.1.2.1.25.3.3.1.2",
            # the IPv6 checklist's objects a server gets (role = "server")
            "1.3.6.1.2.1.4.30.1.8", "1.3.6.1.2.1.4.26", "1.3.6.1.2.1.55.1.1", "1.3.6.1.2.1.4.37.1.4",
            "1.3.6.1.2.1.10.131.1.1.1.1.3", "1.3.6.1.2.1.4.31.1.1.4", "1.3.6.1.2.1.4.31.1.1.31",
            "1.3.6.1.2.1.55.1.6.1.1", "1.3.6.1.2.1.55.1.6.1.11", "1.3.6.1.2.1.6.20.1.4",
            "1.3.6.1.2.1.7.7.1.8.0.0", "1.3.6.1.2.1.7.7.1.8.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0"]
TIMEOUT_MS, RETRIES = 1000, 1
procs = []


def stop_all():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def addr(prefix, i):
    return f"127.{prefix}.{i // 250}.{i % 250 + 1}"


def start_snmpds(tmp, n, port):
    conf = os.path.join(tmp, "snmpd.conf")
    with open(conf, "w") as f:
        f.write(f"rocommunity {COMMUNITY} 127.0.0.0/8\nsysname bench-server\nsyslocation bench\n")
    env = dict(os.environ, MIBS="")
    for i in range(n):
        d = os.path.join(tmp, f"snmpd{i}")
        os.makedirs(d)
        env["SNMP_PERSISTENT_DIR"] = d
        procs.append(subprocess.Popen(["/usr/sbin/snmpd", "-f", "-Lf", os.path.join(d, "log"), "-C",
                                       "-c", conf, f"udp:{addr(20, i)}:{port}"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    wait_agents([addr(20, i) for i in range(n)], port)


def wait_agents(addresses, port, deadline_s=60):
    deadline = time.time() + deadline_s
    for a in addresses:
        while True:
            r = subprocess.run(["snmpget", "-v2c", "-c", COMMUNITY, "-t", "0.3", "-r", "0", "-On",
                                f"{a}:{port}", "1.3.6.1.2.1.1.5.0"], capture_output=True,
                               env=dict(os.environ, MIBS=""))
            if r.returncode == 0:
                break
            if time.time() > deadline:
                raise SystemExit(f"bench: the agent at {a}:{port} did not come up")
            time.sleep(0.1)


def write_config(path, addresses, port, header=""):
    with open(path, "w") as f:
        f.write(header)
        f.write(f"[defaults]\ntimeout_ms = {TIMEOUT_MS}\nretries = {RETRIES}\nport = {port}\n\n"
                f"[credential.bench]\nversion = \"2c\"\ncommunity_env = \"BENCH_COMMUNITY\"\n")
        for i, a in enumerate(addresses):
            f.write(f'\n[[target]]\nname = "t{i}"\naddress = "{a}"\nrole = "server"\n'
                    f'credential = "bench"\n')


def measured(cmd, env=None, shell=False):
    """Runs cmd; returns (wall s, CPU s of it and its children, peak RSS KB, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, shell=shell)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss, r


def netinv_scan(netinv, cfg, tmp, extra=(), db=None):
    """One scan, into a fresh database unless `db` (kept: a later night's scan) is given."""
    keep = db is not None
    db = db or os.path.join(tmp, f"bench-{time.monotonic_ns()}.db")
    env = dict(os.environ, BENCH_COMMUNITY=COMMUNITY)
    # /usr/bin/time gives this process's own peak RSS (getrusage's children maximum is
    # shared with everything run before).
    wall, cpu, _, r = measured(["/usr/bin/time", "-f", "%M", netinv, "scan", "--quiet", "--format",
                                "json", "--config", cfg, "--db", db, *extra], env=env)
    rss = int(r.stderr.strip().splitlines()[-1])
    out = json.loads(r.stdout)
    ok = sum(1 for t in out["targets"] if t["outcome"] == "ok")
    if not keep:
        os.remove(db)
    return dict(wall=wall, cpu=cpu, rss_kb=rss, varbinds=out["varbinds"], ok=ok,
                targets=len(out["targets"]))


def bulkwalk(addresses, port, parallel):
    script = " ".join(f"snmpbulkwalk -v2c -c {COMMUNITY} -On -t {TIMEOUT_MS / 1000} -r {RETRIES} "
                      f"\"$0:{port}\" {s};" for s in SUBTREES)
    cmd = f"printf '%s\\n' {' '.join(addresses)} | xargs -P{parallel} -I{{}} sh -c '{script}' {{}}"
    wall, cpu, _, r = measured(cmd, env=dict(os.environ, MIBS=""), shell=True)
    varbinds = sum(1 for line in r.stdout.splitlines() if " = " in line)
    return dict(wall=wall, cpu=cpu, rss_kb=None, varbinds=varbinds)


def median(runs, key):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--netinv", default=os.path.join(ROOT, "build-release", "cli", "netinv"))
    ap.add_argument("--servers", type=int, default=111)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=9,
                    help="rounds of the short same-work and thin-link rows (at least --runs)")
    ap.add_argument("--scale", type=int, default=10000)
    ap.add_argument("--skip-province", action="store_true")
    ap.add_argument("--write", help="write the results as Markdown to this file")
    ap.add_argument("--nights", type=int, default=365)
    args = ap.parse_args()
    netinv = os.path.abspath(args.netinv)
    # Every tool it compares with, before the first minute is spent (Debian packages).
    missing = [t for t in ("snmpbulkwalk", "onesixtyone", "braa") if not shutil.which(t)]
    if missing or not os.path.exists("/usr/sbin/snmpd"):
        raise SystemExit(f"bench: missing {' '.join(missing) or 'snmpd'}: apt-get install snmp "
                         "snmpd onesixtyone braa")
    same_rounds = max(args.runs, args.rounds)
    rows = []
    history = None
    backends = None
    tmp = tempfile.mkdtemp(prefix="netinv-bench-")
    os.chmod(tmp, 0o755)
    try:
        port = free_port()
        print(f"bench: starting {args.servers} snmpd agents ...", file=sys.stderr)
        start_snmpds(tmp, args.servers, port)
        live = [addr(20, i) for i in range(args.servers)]
        cfg = os.path.join(tmp, "servers.toml")
        write_config(cfg, live, port)

        # The identity rules' extra GET (net-snmp agents are asked Synology's and Check Point's
        # objects): the same scan with a rule file that stops every rule (no GET at all).
        no_rules = os.path.join(tmp, "no-identity-rules.toml")
        with open(no_rules, "w") as f:
            f.write('[[rule]]\nname = "nothing"\nall = true\nlast = true\n')
        cfg_noid = os.path.join(tmp, "servers-no-identity.toml")
        write_config(cfg_noid, live, port, header=f'identity_rules = "{no_rules}"\n')

        hosts_file = os.path.join(tmp, "hosts")
        with open(hosts_file, "w") as f:
            f.write("".join(a + "\n" for a in live))
        walker = os.path.join(os.path.dirname(os.path.dirname(netinv)), "bench",
                              "netinv_walker_bench")
        results = {"netinv": [], "parallel": [], "sequential": [], "noid": [], "walker": [],
                   "same": []}
        for run in range(args.runs):
            print(f"bench: servers, run {run + 1}/{args.runs}", file=sys.stderr)
            # The first scan after the baselines meets snmpd's caches expired: alternate which
            # of the pair goes first, so that neither pays for it every run.
            pair = [("netinv", cfg), ("noid", cfg_noid)]
            for key, c in pair if run % 2 == 0 else reversed(pair):
                results[key].append(netinv_scan(netinv, c, tmp))
            results["parallel"].append(bulkwalk(live, port, 16))
            results["sequential"].append(bulkwalk(live, port, 1))
        base = median(results["parallel"], "wall")
        for name, label in (("netinv", "netinv scan"), ("parallel", "snmpbulkwalk, xargs -P16"),
                            ("sequential", "snmpbulkwalk, one host after another")):
            r = results[name]
            rows.append(dict(scenario=f"{args.servers} snmpd", tool=label, wall=median(r, "wall"),
                             cpu=median(r, "cpu"), rss_kb=median(r, "rss_kb"),
                             varbinds=median(r, "varbinds"), ratio=median(r, "wall") / base))
        r = results["noid"]
        on, off = median(results["netinv"], "wall"), median(r, "wall")
        rows.append(dict(scenario=f"{args.servers} snmpd, identity GETs off", tool="netinv scan",
                         wall=off, cpu=median(r, "cpu"), rss_kb=median(r, "rss_kb"),
                         varbinds=median(r, "varbinds"), ratio=None,
                         note=f"identity GETs cost {(on - off) * 1000 / args.servers:+.2f} ms per device "
                              f"(wall {on / off:.2f}x), "
                              f"{(median(results['netinv'], 'varbinds') - median(r, 'varbinds')) / args.servers:+.1f} "
                              f"varbinds per device"))

        # Same work: netinv's requests (identity GETs off: the walker makes none) against the
        # minimal asynchronous walker making exactly them, every host in flight. Target <= 1.1.
        # Runs of a third of a second move with whatever else the machine does: more rounds,
        # the two alternating within each, so that both meet the same moments.
        for run in range(same_rounds):
            for key in ("walker", "same") if run % 2 == 0 else ("same", "walker"):
                if key == "same":
                    results["same"].append(netinv_scan(netinv, cfg_noid, tmp))
                else:
                    wall, cpu, _, r = measured([walker, hosts_file, str(port), COMMUNITY])
                    results["walker"].append(dict(wall=wall, cpu=cpu, rss_kb=None,
                                                  varbinds=json.loads(r.stdout)["varbinds"]))
        ref = median(results["walker"], "wall")
        rows.append(dict(scenario=f"{args.servers} snmpd, netinv's requests", tool="minimal "
                         "async walker (bench/walker.cpp)", wall=ref,
                         cpu=median(results["walker"], "cpu"), rss_kb=None,
                         varbinds=median(results["walker"], "varbinds"), ratio=1.0))
        r = results["same"]
        rows.append(dict(scenario=f"{args.servers} snmpd, netinv's requests",
                         tool="netinv scan (identity GETs off)", wall=median(r, "wall"),
                         cpu=median(r, "cpu"), rss_kb=median(r, "rss_kb"),
                         varbinds=median(r, "varbinds"), ratio=median(r, "wall") / ref))

        # Discovery: sweep a /23 (510 addresses) holding the live agents, against onesixtyone and
        # braa (one GET of sysName each; no retry where the tool allows it, braa needs at least 1).
        sweep = "127.20.0.0/23"
        disc = []
        for _ in range(args.runs):
            env = dict(os.environ, BENCH_COMMUNITY=COMMUNITY)
            wall, cpu, _, r = measured([netinv, "discover", sweep, "--no-config", "--community-env",
                                        "BENCH_COMMUNITY", "--port", str(port), "--timeout-ms", "500",
                                        "--retries", "0", "--format", "json"], env=env)
            found = len(json.loads(r.stdout)["found"])
            w2, c2, _, r2 = measured(["onesixtyone", "-p", str(port), "-w", "0", sweep, COMMUNITY])
            f2 = sum(1 for line in r2.stdout.splitlines() if line.startswith("127.20."))
            w3, c3, _, r3 = measured(["braa", "-t", "1", "-r", "1", "-d", "0",
                                      f"{COMMUNITY}@127.20.0.1-127.20.1.254:{port}:.1.3.6.1.2.1.1.5.0"])
            f3 = sum(1 for line in r3.stdout.splitlines() if line.startswith("127.20."))
            disc.append(dict(netinv=(wall, cpu, found), onesixtyone=(w2, c2, f2), braa=(w3, c3, f3)))
        for tool in ("netinv", "onesixtyone", "braa"):
            w = statistics.median(d[tool][0] for d in disc)
            c = statistics.median(d[tool][1] for d in disc)
            f = statistics.median(d[tool][2] for d in disc)
            rows.append(dict(scenario=f"discover {sweep} (510 addresses)", tool=tool if tool != "netinv"
                             else "netinv discover", wall=w, cpu=c, rss_kb=None, varbinds=None, ratio=None,
                             note=f"{int(f)} of {args.servers} agents found"))

        dead = [addr(21, i) for i in range(args.servers // 5 + 1)]
        cfg_dead = os.path.join(tmp, "dead.toml")
        write_config(cfg_dead, live + dead, port)
        dead_runs = [netinv_scan(netinv, cfg_dead, tmp) for _ in range(args.runs)]
        budget = TIMEOUT_MS / 1000 * (RETRIES + 1)
        live_wall = median(results["netinv"], "wall")
        rows.append(dict(scenario=f"{args.servers} snmpd + {len(dead)} dead", tool="netinv scan",
                         wall=median(dead_runs, "wall"), cpu=median(dead_runs, "cpu"),
                         rss_kb=median(dead_runs, "rss_kb"), varbinds=median(dead_runs, "varbinds"),
                         ratio=median(dead_runs, "wall") / (live_wall + budget)))

        # Dead targets beyond --concurrency (32 requests): 100 silent SNMPv2c and 20 silent
        # SNMPv3 targets beside the live ones. Silent, not closed: a socket per target that reads
        # and never answers, as a host behind a firewall that drops. Reference: the live-only
        # scan plus one budget. Then the 20 SNMPv3 ones alone against one budget.
        holes = []
        for i in range(120):
            h = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            h.bind((addr(22, i), port))
            holes.append(h)
        try:
            silent2 = [addr(22, i) for i in range(100)]
            silent3 = [addr(22, i) for i in range(100, 120)]
            v3 = ('[credential.v3]\nversion = "3"\nuser = "bench"\nauth_protocol = "sha256"\n'
                  'auth_env = "BENCH_COMMUNITY"\npriv_protocol = "aes"\npriv_env = "BENCH_COMMUNITY"\n')
            cfg_many = os.path.join(tmp, "many-dead.toml")
            write_config(cfg_many, live + silent2, port)
            with open(cfg_many, "a") as f:
                f.write(v3)
                for i, a in enumerate(silent3):
                    f.write(f'\n[[target]]\nname = "v3-{i}"\naddress = "{a}"\ncredential = "v3"\n')
            many_runs = [netinv_scan(netinv, cfg_many, tmp) for _ in range(args.runs)]
            rows.append(dict(scenario=f"{args.servers} snmpd + 100 silent v2c + 20 silent v3",
                             tool="netinv scan", wall=median(many_runs, "wall"),
                             cpu=median(many_runs, "cpu"), rss_kb=median(many_runs, "rss_kb"),
                             varbinds=median(many_runs, "varbinds"),
                             ratio=median(many_runs, "wall") / (live_wall + budget)))
            cfg_v3 = os.path.join(tmp, "silent-v3.toml")
            write_config(cfg_v3, [], port)
            with open(cfg_v3, "a") as f:
                f.write(v3)
                for i, a in enumerate(silent3):
                    f.write(f'\n[[target]]\nname = "v3-{i}"\naddress = "{a}"\ncredential = "v3"\n')
            v3_runs = [netinv_scan(netinv, cfg_v3, tmp) for _ in range(args.runs)]
            rows.append(dict(scenario="20 silent SNMPv3 targets", tool="netinv scan",
                             wall=median(v3_runs, "wall"), cpu=median(v3_runs, "cpu"),
                             rss_kb=median(v3_runs, "rss_kb"), varbinds=0,
                             ratio=median(v3_runs, "wall") / budget))
        finally:
            for h in holes:
                h.close()

        # Thin links: 3/4 of the live agents behind a user-space relay (80 ms each way, 2% loss
        # each way, 10 Mbit/s: a commune's link), the rest on the LAN. Default options against
        # the best of a few tuned by hand, in the same run.
        thin = [a for i, a in enumerate(live) if i % 4 != 0]
        spec = dict(delay_ms=80, loss=0.02, rate_kbit=10000, seed=1,
                    relays=[[addr(23, i), port, a, port] for i, a in enumerate(thin)])
        spec_path = os.path.join(tmp, "thin.json")
        json.dump(spec, open(spec_path, "w"))
        relay = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "relay.py"), spec_path],
                                 stdout=subprocess.PIPE, text=True)
        procs.append(relay)
        if relay.stdout.readline().strip() == "ready":
            behind = [a for i, a in enumerate(live) if i % 4 == 0] + \
                     [addr(23, i) for i in range(len(thin))]
            cfg_thin = os.path.join(tmp, "thin.toml")
            write_config(cfg_thin, behind, port)
            # The nightly case: the same defaults, with last night's scan in the database (the
            # round-trip times and sizes netinv learned per target). One night to learn, then
            # the measured ones.
            night_db = os.path.join(tmp, "nights.db")
            netinv_scan(netinv, cfg_thin, tmp, db=night_db)
            tuned_cfgs = {}
            for conc, tmo in ((256, 400), (128, 600), (256, 600), (256, 1000)):
                cfg_t = os.path.join(tmp, f"thin-{conc}-{tmo}.toml")
                write_config(cfg_t, behind, port)
                text = open(cfg_t).read().replace(f"timeout_ms = {TIMEOUT_MS}", f"timeout_ms = {tmo}")
                open(cfg_t, "w").write(text)
                tuned_cfgs[(conc, tmo)] = cfg_t
            # A loss on one of 83 far paths is the whole tail of a two-second run: more rounds,
            # each running every option set once, so that all of them meet the same moments.
            chosen_by, tuned = [], {k: [] for k in tuned_cfgs}
            for _ in range(same_rounds):
                chosen_by.append(netinv_scan(netinv, cfg_thin, tmp))
                for (conc, tmo), cfg_t in tuned_cfgs.items():
                    tuned[(conc, tmo)].append(netinv_scan(netinv, cfg_t, tmp,
                                                          ("--concurrency", str(conc))))
            # The reference does the same work: a tuned run whose short timeouts end walks
            # early on the lossy paths (fewer varbinds: lost data, not speed) is not the best
            # tuned run, only the fastest; it is shown beside it.
            full = median(chosen_by, "varbinds") * 0.995
            complete = {k: v for k, v in tuned.items() if median(v, "varbinds") >= full}
            fastest_key = min(tuned, key=lambda k: median(tuned[k], "wall"))
            best_key = min(complete or tuned, key=lambda k: median(tuned[k], "wall"))
            # The best of four noisy medians is also the luckiest of four draws: measured
            # against it, defaults that equal the tuned runs read 1.0-1.3 (a winner's curse).
            # The chosen set is measured again, on fresh rounds beside the defaults.
            default_runs, night_runs, best_runs = [], [], []
            for _ in range(same_rounds):
                default_runs.append(netinv_scan(netinv, cfg_thin, tmp))
                night_runs.append(netinv_scan(netinv, cfg_thin, tmp, db=night_db))
                best_runs.append(netinv_scan(netinv, tuned_cfgs[best_key], tmp,
                                             ("--concurrency", str(best_key[0]))))
            best = median(best_runs, "wall")
            rows.append(dict(scenario=f"{len(live)} snmpd, 3/4 behind 80 ms, 2% loss, 10 Mbit/s",
                             tool="netinv scan (defaults)", wall=median(default_runs, "wall"),
                             cpu=median(default_runs, "cpu"), rss_kb=median(default_runs, "rss_kb"),
                             varbinds=median(default_runs, "varbinds"),
                             ratio=median(default_runs, "wall") / best,
                             note=f"{median(default_runs, 'ok'):.0f} of {len(behind)} ok; "
                                  "first night: nothing learned yet"))
            rows.append(dict(scenario=f"{len(live)} snmpd, 3/4 behind 80 ms, 2% loss, 10 Mbit/s",
                             tool="netinv scan (defaults, next night)",
                             wall=median(night_runs, "wall"), cpu=median(night_runs, "cpu"),
                             rss_kb=median(night_runs, "rss_kb"),
                             varbinds=median(night_runs, "varbinds"),
                             ratio=median(night_runs, "wall") / best,
                             note=f"{median(night_runs, 'ok'):.0f} of {len(behind)} ok; "
                                  "last night's scan in the database"))
            rows.append(dict(scenario=f"{len(live)} snmpd, 3/4 behind 80 ms, 2% loss, 10 Mbit/s",
                             tool=f"netinv scan (best tuned: --concurrency {best_key[0]}, "
                                  f"timeout_ms {best_key[1]})",
                             wall=best, cpu=median(best_runs, "cpu"),
                             rss_kb=median(best_runs, "rss_kb"),
                             varbinds=median(best_runs, "varbinds"), ratio=1.0,
                             note=f"{median(best_runs, 'ok'):.0f} of {len(behind)} ok; the "
                                  "fastest of four tuned sets retrieving the defaults' data, "
                                  "measured again"))
            if fastest_key != best_key:
                f = tuned[fastest_key]
                rows.append(dict(scenario=f"{len(live)} snmpd, 3/4 behind 80 ms, 2% loss, 10 Mbit/s",
                                 tool=f"netinv scan (--concurrency {fastest_key[0]}, "
                                      f"timeout_ms {fastest_key[1]}: walks cut short)",
                                 wall=median(f, "wall"), cpu=median(f, "cpu"),
                                 rss_kb=median(f, "rss_kb"), varbinds=median(f, "varbinds"),
                                 ratio=median(f, "wall") / median(tuned[best_key], "wall"),
                                 note=f"{median(default_runs, 'varbinds') - median(f, 'varbinds'):.0f} "
                                      "varbinds fewer than the defaults: not the same work"))
        relay.terminate()
        relay.wait(timeout=10)
        procs.remove(relay)

        if not args.skip_province:
            lab_dir = os.path.join(tmp, "lab")
            up = subprocess.run([sys.executable, os.path.join(ROOT, "lab", "lab.py"), "up", "--dir",
                                 lab_dir, "--netinv", netinv], capture_output=True, text=True)
            if up.returncode == 0:
                try:
                    env = dict(os.environ)
                    for line in open(os.path.join(lab_dir, "env")):
                        k, v = line.replace("export ", "").strip().split("=", 1)
                        env[k] = v
                    prov = []
                    for _ in range(args.runs):
                        db = os.path.join(tmp, f"prov-{time.monotonic_ns()}.db")
                        wall, cpu, _, r = measured(["/usr/bin/time", "-f", "%M", netinv, "scan", "--quiet",
                                                    "--format", "json", "--config",
                                                    os.path.join(ROOT, "inventory.toml"), "--db", db], env=env)
                        out = json.loads(r.stdout)
                        prov.append(dict(wall=wall, cpu=cpu, rss_kb=int(r.stderr.strip().splitlines()[-1]),
                                         varbinds=out["varbinds"]))
                    rows.append(dict(scenario="province lab (403 snmpsim, 8 dead)", tool="netinv scan",
                                     wall=median(prov, "wall"), cpu=median(prov, "cpu"),
                                     rss_kb=median(prov, "rss_kb"), varbinds=median(prov, "varbinds"),
                                     ratio=None))
                    hb = os.path.join(os.path.dirname(os.path.dirname(netinv)), "bench",
                                      "netinv_history_bench")
                    r = subprocess.run([hb, db, os.path.join(tmp, "history"), str(args.nights)],
                                       capture_output=True, text=True)
                    if r.returncode == 0:
                        history = json.loads(r.stdout)
                    else:
                        print(f"bench: history failed: {r.stdout} {r.stderr}", file=sys.stderr)
                    # The store's backends: a PostgreSQL server of its own, fsync on.
                    sb = os.path.join(os.path.dirname(hb), "netinv_store_bench")
                    r = subprocess.run([os.path.join(ROOT, "tests", "postgresql", "server.sh"),
                                        "sh", "-c", f'exec "$0" "$1" "$2" "$NETINV_TEST_POSTGRESQL" "$3"',
                                        sb, db, os.path.join(tmp, "store"), str(args.scale or 10000)],
                                       capture_output=True, text=True,
                                       env=dict(os.environ, NETINV_TEST_POSTGRESQL_FSYNC="on"))
                    if r.returncode == 0:
                        backends = json.loads(r.stdout)
                    else:
                        print(f"bench: store backends failed: {r.stdout} {r.stderr}", file=sys.stderr)
                finally:
                    subprocess.run([sys.executable, os.path.join(ROOT, "lab", "lab.py"), "down", "--dir",
                                    lab_dir], capture_output=True)
            else:
                print(f"bench: lab did not start, province skipped: {up.stderr}", file=sys.stderr)

        # Scale: one snmpd on every local address of a port answers 10,000 targets.
        if args.scale:
            sport = free_port()
            d = os.path.join(tmp, "scale")
            os.makedirs(d)
            conf = os.path.join(tmp, "snmpd.conf")
            procs.append(subprocess.Popen(["/usr/sbin/snmpd", "-f", "-Lf", os.path.join(d, "log"), "-C",
                                           "-c", conf, f"udp:0.0.0.0:{sport}"],
                                          env=dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=d),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            many = [addr(40 + i // 60000, i % 60000) for i in range(args.scale)]
            wait_agents(many[:1], sport)
            cfg_scale = os.path.join(tmp, "scale.toml")
            write_config(cfg_scale, many, sport)
            s = netinv_scan(netinv, cfg_scale, tmp, ("--concurrency", "64"))
            rows.append(dict(scenario=f"scale: {args.scale} targets, one snmpd", tool="netinv scan",
                             wall=s["wall"], cpu=s["cpu"], rss_kb=s["rss_kb"], varbinds=s["varbinds"],
                             ratio=None, note=f"{s['ok']} of {s['targets']} ok, "
                                              f"{s['targets'] / s['wall']:.0f} targets/s"))
            # The same addresses on a port where a socket reads and never answers: every
            # target silent (a province whose links are all down), none of them a memory cost.
            hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            hole.bind(("0.0.0.0", 0))
            try:
                silent = many[:max(1, args.scale // 5)]
                cfg_silent = os.path.join(tmp, "scale-silent.toml")
                write_config(cfg_silent, silent, hole.getsockname()[1])
                s = netinv_scan(netinv, cfg_silent, tmp, ("--concurrency", "64"))
            finally:
                hole.close()
            rows.append(dict(scenario=f"scale: {len(silent)} silent targets", tool="netinv scan",
                             wall=s["wall"], cpu=s["cpu"], rss_kb=s["rss_kb"], varbinds=None,
                             ratio=None, note=f"{s['targets'] - s['ok']} of {s['targets']} "
                                              f"timed out"))
    finally:
        stop_all()
        shutil.rmtree(tmp, ignore_errors=True)

    hlines = []
    if history:
        h = history
        hlines = ["| history | value | target |", "|---|---:|---|",
                  f"| one full scan ({h['targets']} targets, {h['devices']} devices), written once | "
                  f"{h['one_scan_bytes'] / 1e6:.2f} MB, {h['one_scan_write_ms']:.0f} ms | baseline |",
                  f"| {h['nights']} nightly scans, {h['real_changes']} real changes | "
                  f"{h['year_bytes'] / 1e6:.2f} MB | |",
                  f"| size ratio (year / one scan) | {h['size_ratio']:.2f} | < 10 |",
                  f"| write time per scan, median / max | {h['write_ms_median']:.0f} / "
                  f"{h['write_ms_max']:.0f} ms | |",
                  f"| past snapshot rebuilt, median / max of {h['snapshots_checked']} | "
                  f"{h['rebuild_ms_median']:.0f} / {h['rebuild_ms_max']:.0f} ms | < 1000 ms |",
                  f"| rebuilt snapshots equal to what was written | {h['snapshots_equal']} | true |"]
    blines = []
    if backends:
        b = backends
        blines = ["| store | SQLite | PostgreSQL | PostgreSQL / SQLite |", "|---|---:|---:|---:|"]
        for key, what in (("province", f"the province's scan ({b['province_targets']} targets, "
                                        f"{b['province_devices']} devices)"),
                          ("big", f"{b['targets']} targets ({b['devices']} devices)")):
            lo, pg = b[f"{key}_sqlite"], b[f"{key}_postgresql"]
            blines += [f"| {what}: write | {lo['write_ms']:.0f} ms | {pg['write_ms']:.0f} ms | "
                       f"{pg['write_ms'] / lo['write_ms']:.2f} |",
                       f"| {what}: size | {lo['bytes'] / 1e6:.2f} MB | {pg['bytes'] / 1e6:.2f} MB | "
                       f"{pg['bytes'] / lo['bytes']:.2f} |",
                       f"| {what}: read the latest picture | {lo['read_ms']:.0f} ms | "
                       f"{pg['read_ms']:.0f} ms | {pg['read_ms'] / lo['read_ms']:.2f} |",
                       f"| {what}: read back equal to what was written | {lo['equal']} | "
                       f"{pg['equal']} | |"]
        p, one = b["pollers"], b["big_postgresql"]
        blines += [f"| {p['count']} pollers at once, {b['targets'] // p['count']} targets each: "
                   f"write (one poller: {one['write_ms']:.0f} ms) | | {p['write_ms']:.0f} ms | "
                   f"{p['write_ms'] / one['write_ms']:.2f} of one poller's |",
                   f"| {p['count']} pollers: read the picture across them (one poller: "
                   f"{one['read_ms']:.0f} ms), equal | | {p['read_ms']:.0f} ms, {p['equal']} | "
                   f"{p['read_ms'] / one['read_ms']:.2f} of one poller's |"]
    lines = ["| scenario | tool | wall s | CPU s | CPU µs/varbind | peak RSS MB | varbinds | ratio |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        per = f"{r['cpu'] / r['varbinds'] * 1e6:.1f}" if r["varbinds"] else "-"
        vbs = f"{int(r['varbinds'])}" if r["varbinds"] else "-"
        rss = f"{r['rss_kb'] / 1024:.1f}" if r["rss_kb"] else "-"
        ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None else (r.get("note") or "-")
        lines.append(f"| {r['scenario']} | {r['tool']} | {r['wall']:.2f} | {r['cpu']:.2f} | {per} | "
                     f"{rss} | {vbs} | {ratio} |")
    table = "\n".join(lines)
    if hlines:
        table += "\n\n" + "\n".join(hlines)
    if blines:
        table += "\n\n" + "\n".join(blines)
    print(table)
    print("\nratio: wall time / the xargs -P16 baseline's (servers rows); for the dead row, wall time / "
          "(live-only wall time + one timeout budget of "
          f"{TIMEOUT_MS * (RETRIES + 1)} ms). Targets: <= 0.6, CPU <= 2 µs/varbind, RSS <= 100 MB, dead <= 1.0.")
    if args.write:
        with open(args.write, "w") as f:
            f.write("# Benchmark results\n\n"
                    f"Measured {time.strftime('%Y-%m-%d')} on {platform.node() or 'this machine'}: "
                    f"{os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}, "
                    f"medians of {args.runs} runs.\nCommand: `bench/run.py --runs {args.runs}` "
                    "(see its docstring for the scenarios).\n\n" + table + "\n\n"
                    "ratio: wall time / the xargs -P16 snmpbulkwalk baseline's on the same agents; for the "
                    "dead row, wall time / (live-only wall time + one timeout budget). Targets: ratio <= 0.6, "
                    "netinv CPU <= 2 µs/varbind, peak RSS <= 100 MB, dead row <= 1.0.\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        stop_all()
