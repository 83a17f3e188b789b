// SPDX-License-Identifier: Apache-2.0
//
// netinv scan: load and validate the configuration, open the database, then poll each target,
// printing one line per target and storing its outcome (and device) as soon as it is known (in
// batches committed every 100 ms). The scan becomes `complete` only after every target was
// written; SIGINT/SIGTERM stop it after the target in progress and mark it `interrupted`.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <optional>
#include <vector>

#include "cli/command.hpp"
#include "cli/scan_run.hpp"
#include "model/ipv6.hpp"
#include "model/text.hpp"
#include "probes/poller.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

// "[ 123/403]  2 failed  45.1/s  ETA 6s" on stderr, redrawn at most ten times a second, only
// when stderr is a terminal.
class Progress {
public:
    explicit Progress(const RunContext& ctx)
        : m_ctx(ctx), m_on(!ctx.global.quiet && ::isatty(::fileno(ctx.err)) != 0),
          m_start(std::chrono::steady_clock::now()) {}
    ~Progress() { clear(); }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void update(std::size_t done, std::size_t total, std::size_t failed) {
        const auto now = std::chrono::steady_clock::now();
        if (!m_on || (now - m_last < std::chrono::milliseconds(100) && done != total)) {
            return;
        }
        m_last = now;
        const double secs = std::chrono::duration<double>(now - m_start).count();
        const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
        const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
        fmt::print(m_ctx.err, "\r[{:>{}}/{}] {} failed  {:.1f}/s  ETA {:.0f}s   ", done,
                   fmt::formatted_size("{}", total), total, failed, rate, eta);
        std::fflush(m_ctx.err);
        m_shown = true;
    }
    // Erases the line before anything else is printed on stderr.
    void clear() {
        if (m_shown) {
            fmt::print(m_ctx.err, "\r\033[K");
            std::fflush(m_ctx.err);
            m_shown = false;
        }
    }

private:
    const RunContext& m_ctx;
    bool m_on;
    bool m_shown = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last{};
};

// How long a finished target may wait in the store's open batch before it is committed.
constexpr auto k_commit_every = std::chrono::milliseconds(100);

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int) {
    g_stop = 1;
}

// Installs the stop handlers for the scan's lifetime and restores the previous ones after.
class StopSignals {
public:
    StopSignals() {
        g_stop = 0;
        struct sigaction sa {};
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &m_old_int);
        sigaction(SIGTERM, &sa, &m_old_term);
    }
    ~StopSignals() {
        sigaction(SIGINT, &m_old_int, nullptr);
        sigaction(SIGTERM, &m_old_term, nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    struct sigaction m_old_int {};
    struct sigaction m_old_term {};
};

std::string outcome_line(const probes::PollResult& r) {
    const auto& o = r.outcome;
    std::string what;
    if (r.device) {
        const auto& d = *r.device;
        what = fmt::format("{}, {} interfaces, {} addresses",
                           d.sys_name
                               ? fmt::format("sysName '{}'", model::sanitize_terminal(*d.sys_name))
                               : std::string("no sysName"),
                           d.interfaces.size(), d.addresses.size());
    } else {
        what = o.detail;
    }
    return fmt::format("{:<12} {:<20} {:<24} {} ({} ms)\n", model::to_string(o.outcome), o.target,
                       o.address, what, o.duration_ms);
}

int run_scan(RunContext& ctx, const ScanOptions& opt) {
    const auto format = ctx.format("scan", {report::Format::table, report::Format::json});
    if (!format) {
        return exit_usage;
    }
    const auto loaded = load_config(ctx, true);
    if (!loaded) {
        return exit_usage;
    }
    const model::Config& cfg = *loaded;
    const std::string config_path = ctx.config_path();
    const auto chosen = choose_targets(ctx, cfg, opt);
    if (!chosen) {
        return exit_usage;
    }
    auto writer = open_for_writing(ctx, "scan", store::Store::Mode::read_write_create);
    if (!writer) {
        return writer.error();
    }
    store::Store& db = *writer->db;
    ctx.note(fmt::format("configuration {}, database {}", config_path, db.path()));
    const ScanLines lines = *format != report::Format::table ? ScanLines::none
                            : ctx.global.quiet               ? ScanLines::failures
                                                             : ScanLines::all;
    const ScanRun run = perform_scan(ctx, cfg, *chosen, opt, db, lines);
    if (*format == report::Format::json) {
        report::JsonWriter w;
        w.begin_document();
        w.field("scan_id", run.scan_id);
        w.field("status", run.interrupted ? "interrupted" : "complete");
        w.field("started_at", iso_utc(run.started));
        w.field("finished_at", iso_utc(run.finished));
        w.field("seconds", run.seconds);
        w.field("varbinds", run.varbinds);
        w.field("retransmissions", run.retransmissions);
        w.key("targets").begin_array();
        for (const auto& o : run.outcomes) {
            w.begin_object();
            w.field("name", o.target);
            w.field("address", o.address);
            w.field("outcome", model::to_string(o.outcome));
            w.field("detail", o.detail);
            w.field("duration_ms", o.duration_ms);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        ctx.print(w.str());
    } else if (!ctx.global.quiet) {
        ctx.print(run.summary_line() + "\n");
    }
    if (run.interrupted) {
        if (!run.local_error.empty()) {
            ctx.error(fmt::format("scan {} stopped: this machine could not go on ({})", run.scan_id,
                                  run.local_error));
        }
        ctx.error(fmt::format("scan {} interrupted after {} of {} targets; it is kept as "
                              "interrupted, not complete",
                              run.scan_id, run.outcomes.size(), run.total));
        return exit_failure;
    }
    return run.ok == run.total ? exit_ok : exit_targets_failed;
}

} // namespace

std::optional<std::vector<const model::Target*>>
choose_targets(const RunContext& ctx, const model::Config& cfg, const ScanOptions& opt) {
    const auto& wanted = opt.targets;
    std::vector<std::string_view> site_codes;
    for (const auto& s : cfg.sites) {
        site_codes.push_back(s.code);
    }
    for (const auto& code : opt.sites) {
        if (!cfg.find_site(code)) {
            auto hint = model::closest_match(code, site_codes);
            ctx.error(fmt::format("{}: --site: no site '{}'{}", ctx.config_path(), code,
                                  hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
            return std::nullopt;
        }
    }
    for (const auto& tag : opt.tags) {
        if (std::ranges::none_of(
                cfg.targets, [&](const model::Target& t) { return model::has_tag(cfg, t, tag); })) {
            ctx.error(fmt::format("{}: --tag: no target or site has the tag '{}'",
                                  ctx.config_path(), tag));
            return std::nullopt;
        }
    }
    const bool filtered = !opt.sites.empty() || !opt.tags.empty();
    const auto selected = [&](const model::Target& t) {
        const model::Site* site = t.site ? cfg.find_site(*t.site) : nullptr;
        const bool at_site = opt.sites.empty() || std::ranges::any_of(opt.sites, [&](auto& c) {
                                 return site && model::in_subtree(cfg, site, c);
                             });
        const bool tagged = opt.tags.empty() || std::ranges::any_of(opt.tags, [&](auto& g) {
                                return model::has_tag(cfg, t, g);
                            });
        return filtered ? at_site && tagged : wanted.empty();
    };
    std::vector<const model::Target*> chosen;
    std::vector<std::string_view> names;
    for (const auto& t : cfg.targets) {
        names.push_back(t.name);
        if (selected(t)) {
            chosen.push_back(&t);
        }
    }
    for (const auto& n : wanted) {
        const model::Target* t = cfg.find_target(n);
        if (!t) {
            auto hint = model::closest_match(n, names);
            ctx.error(fmt::format("{}: no target named '{}'{}", ctx.config_path(), n,
                                  hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
            return std::nullopt;
        }
        if (std::ranges::find(chosen, t) == chosen.end()) {
            chosen.push_back(t);
        }
    }
    if (chosen.empty()) {
        ctx.error(fmt::format("{}: no targets to scan", ctx.config_path()));
        return std::nullopt;
    }
    return chosen;
}

std::string ScanRun::summary_line() const {
    std::string failures;
    for (const auto& [o, n] : failed) {
        failures += fmt::format(", {} {}", n, model::to_string(o));
    }
    return fmt::format("scan {} {}: {} of {} targets ok{} ({:.1f} s)", scan_id,
                       interrupted ? "interrupted" : "complete", ok, total, failures, seconds);
}

probes::PollSpec spec_for(const model::Config& cfg, const model::Target& t) {
    probes::PollSpec spec;
    spec.name = t.name;
    spec.address = t.address;
    spec.port = t.port;
    spec.timeout_ms = model::effective_timeout_ms(cfg, t);
    spec.retries = model::effective_retries(cfg, t);
    spec.site = t.site;
    spec.role = t.role;
    spec.identity_rules = cfg.identity_rules;
    return spec;
}

std::expected<Writer, int> open_for_writing(const RunContext& ctx, const std::string& command,
                                            store::Store::Mode mode) {
    const std::string path = ctx.db_path();
    // PostgreSQL's lock is the poller's, taken below on the connection; a file's is DB.lock.
    const bool central = store::is_postgresql(path);
    std::optional<store::WriteLock> lock = central ? std::nullopt : take_write_lock(ctx, command);
    if (!lock && !central) {
        return std::unexpected(exit_locked);
    }
    const std::string who =
        fmt::format("netinv {} (pid {}{})", command, ::getpid(),
                    ctx.global.poller.empty() ? std::string() : ", poller " + ctx.global.poller);
    auto db = std::make_unique<store::Store>(path, mode, who);
    db->set_poller(ctx.global.poller);
    if (db->on_postgresql()) {
        // Per poller: pollers write at once, two runs of one poller never do.
        std::string holder;
        if (!db->lock_poller(holder)) {
            ctx.error(fmt::format("{}: another netinv run writes as poller '{}'{}; try again when "
                                  "it ends",
                                  db->path(), ctx.global.poller,
                                  holder.empty() ? "" : ": " + holder));
            return std::unexpected(exit_locked);
        }
    }
    if (!writable_whole(ctx, *db)) {
        return std::unexpected(exit_failure);
    }
    close_abandoned(ctx, *db);
    return Writer{std::move(lock), std::move(db)};
}

void close_abandoned(const RunContext& ctx, store::Store& db) {
    for (auto id : db.close_abandoned_scans(iso_utc(ctx.now()))) {
        // Shown even with --quiet: a run that died needs someone to look at why.
        fmt::print(ctx.err,
                   "netinv: warning: {}: scan {} was left running by a run that did not finish; "
                   "marked interrupted\n",
                   db.path(), id);
    }
}

std::optional<store::WriteLock> take_write_lock(const RunContext& ctx, const std::string& command) {
    store::WriteLock::Busy busy;
    std::optional<std::string> stale;
    const std::string path = ctx.db_path();
    auto lock = store::WriteLock::acquire(path, command, iso_utc(ctx.now()), busy, stale);
    if (!lock) {
        ctx.error(fmt::format("{}: another netinv run holds the lock{}; try again when it ends",
                              path, busy.holder.empty() ? "" : ": " + busy.holder));
        return std::nullopt;
    }
    if (stale) {
        fmt::print(ctx.err,
                   "netinv: warning: {}.lock: taking over the lock of {}, which ended without "
                   "releasing it\n",
                   path, *stale);
    }
    return lock;
}

ScanRun perform_scan(RunContext& ctx, const model::Config& cfg,
                     const std::vector<const model::Target*>& chosen, const ScanOptions& opt,
                     store::Store& db, ScanLines lines) {
    ScanRun run;
    run.total = chosen.size();
    const auto started = ctx.now();
    run.started = started;
    const std::int64_t scan_id =
        db.begin_scan(iso_utc(started), static_cast<std::int64_t>(chosen.size()));
    run.scan_id = scan_id;
    StopSignals signals;
    std::size_t& ok = run.ok;
    std::uint64_t& varbinds = run.varbinds;
    auto& failed = run.failed;
    auto& outcomes = run.outcomes;
    std::vector<probes::PollSpec> specs;
    specs.reserve(chosen.size());
    const auto learned = db.target_states();
    // Each target's credentials in the order they are tried, and how far it has got.
    struct Tries {
        std::size_t spec = 0; // its place in `specs`
        std::vector<std::string> order;
        std::size_t at = 0;
        bool first_answered_last = false; // order[0] is the credential that answered last time
        std::string tried;                // "network-v3: auth_failure; ..." for the detail
        bool refused = false;             // some credential was refused: the agent is there
    };
    std::map<std::string, Tries> tries;
    for (const model::Target* t : chosen) {
        probes::PollSpec spec = spec_for(cfg, *t);
        std::optional<std::string> answered_last;
        if (auto it = learned.find(t->name); it != learned.end()) {
            answered_last = it->second.credential;
        }
        Tries& tr = tries[t->name];
        tr.spec = specs.size();
        tr.order = model::credential_order(*t, answered_last);
        tr.first_answered_last = answered_last && tr.order.front() == *answered_last;
        spec.credential = *cfg.find_credential(tr.order.front());
        if (auto it = learned.find(t->name); it != learned.end()) {
            spec.bulk_repetitions = it->second.max_repetitions;
            spec.srtt_us = it->second.srtt_us;
            spec.rttvar_us = it->second.rttvar_us;
        }
        specs.push_back(std::move(spec));
    }
    Progress progress(ctx);
    probes::EngineOptions engine;
    engine.concurrency = opt.concurrency;
    engine.device_budget_ms = opt.device_budget_s * 1000;
    engine.stop_requested = [] {
        return g_stop != 0;
    };
    engine.on_progress = [&](std::size_t done, std::size_t total, std::size_t nfailed) {
        progress.update(done, total, nfailed);
    };
    engine.local_error = &run.local_error;
    // Devices that will also be polled over their own IPv6 address (checklist C06) are written
    // after that second poll; every other device as soon as it is finished (into the store's
    // open batch, below).
    struct Held {
        probes::PollResult result;
        std::string address;
    };
    std::map<std::string, Held> held;
    // A write that fails (a full disk, an I/O error) ends the scan as failed, at once, not
    // left `running` for the next writer to find.
    struct FailScan {
        store::Store& db;
        std::int64_t id;
        RunContext& ctx;
        bool armed = true;
        ~FailScan() {
            if (!armed) {
                return;
            }
            try {
                db.finish_scan(id, iso_utc(ctx.now()), store::ScanStatus::failed);
            } catch (...) {
                // The database cannot take even this (a disk full to its last page): the run
                // says so, and the next writer marks the scan interrupted.
                try {
                    ctx.warning(fmt::format("{}: scan {} stays running: it could not be marked "
                                            "failed either; the next scan marks it interrupted",
                                            db.path(), id));
                } catch (...) {
                }
            }
        }
    } fail_scan{db, scan_id, ctx};
    // Targets are written in batches committed every k_commit_every (and with the scan's
    // status at its end): a commit per target was half of a LAN scan's store time and
    // fills SQLite's WAL into checkpoints mid-scan.
    db.begin_batch();
    std::optional<std::chrono::steady_clock::time_point> uncommitted_since;
    const auto commit_when_due = [&] {
        if (uncommitted_since &&
            std::chrono::steady_clock::now() - *uncommitted_since >= k_commit_every) {
            db.commit_batch();
            uncommitted_since.reset();
        }
    };
    engine.on_tick = commit_when_due;
    // Targets whose try failed in a way the next credential may mend, polled again with it
    // after the others (one more pass per credential; most targets need one).
    std::vector<probes::PollSpec> retry;
    const auto on_result = [&](probes::PollResult&& r) {
        Tries& tr = tries.at(r.outcome.target);
        const probes::PollSpec& spec = specs[tr.spec];
        r.outcome.credential = tr.order[tr.at];
        if (r.outcome.outcome != model::Outcome::ok && tr.order.size() > 1) {
            tr.tried += fmt::format("{}{}: {}", tr.tried.empty() ? "" : "; ", tr.order[tr.at],
                                    model::to_string(r.outcome.outcome));
            tr.refused = tr.refused || r.outcome.outcome == model::Outcome::auth_failure;
            const bool last_time = tr.at == 0 && tr.first_answered_last;
            if (tr.at + 1 < tr.order.size() &&
                model::try_next_credential(r.outcome.outcome, last_time)) {
                ++tr.at;
                probes::PollSpec next = spec;
                next.credential = *cfg.find_credential(tr.order[tr.at]);
                retry.push_back(std::move(next));
                return; // stored after its last try
            }
            if (tr.at + 1 < tr.order.size() && last_time) {
                r.outcome.detail += fmt::format(" (with {}, which answered last time; the "
                                                "target's other credentials were not tried)",
                                                tr.order[tr.at]);
            } else if (tr.at + 1 == tr.order.size()) {
                // Every credential failed: a refusal says more than the silence after it.
                if (tr.refused) {
                    r.outcome.outcome = model::Outcome::auth_failure;
                }
                r.outcome.detail = fmt::format("no credential answered ({})", tr.tried);
            }
        }
        const store::TargetState state{r.bulk_repetitions, r.srtt_us, r.rttvar_us,
                                       r.outcome.outcome == model::Outcome::ok
                                           ? std::optional(r.outcome.credential)
                                           : std::nullopt};
        std::optional<std::string> v6;
        if (r.device && !model::classify_ipv6(r.device->target_address)) {
            v6 = model::management_candidate(*r.device, cfg.ipv6);
        }
        if (v6) {
            held[r.outcome.target] = Held{r, *v6};
        } else {
            db.save_target(scan_id, r.outcome, r.device ? &*r.device : nullptr, &state);
            if (!uncommitted_since) {
                uncommitted_since = std::chrono::steady_clock::now();
            }
            commit_when_due();
        }
        varbinds += r.varbinds;
        run.retransmissions += static_cast<std::uint64_t>(r.retransmissions);
        progress.clear();
        for (const auto& w : r.warnings) {
            ctx.warning(w);
        }
        if (r.outcome.outcome == model::Outcome::ok) {
            ++ok;
        } else {
            ++failed[r.outcome.outcome];
        }
        if (lines == ScanLines::all) {
            ctx.print(outcome_line(r));
        } else if (lines == ScanLines::failures && r.outcome.outcome != model::Outcome::ok) {
            fmt::print(ctx.err, "netinv: {}: {}: {}\n", r.outcome.target,
                       model::to_string(r.outcome.outcome), r.outcome.detail);
        }
        outcomes.push_back(std::move(r.outcome));
    };
    bool all_polled = probes::poll_many(specs, engine, on_result);
    while (all_polled && !retry.empty()) {
        auto pass = std::move(retry);
        retry.clear();
        probes::EngineOptions again = engine;
        again.on_progress = nullptr;
        all_polled = probes::poll_many(pass, again, on_result);
    }
    progress.clear();
    if (!held.empty()) {
        std::vector<probes::PollSpec> v6specs;
        for (const auto& spec : specs) {
            if (auto it = held.find(spec.name); it != held.end()) {
                probes::PollSpec s6 = spec;
                s6.credential = *cfg.find_credential(it->second.result.outcome.credential);
                s6.identity_only = true;
                s6.transport = fmt::format("udp6:[{}]:{}", it->second.address, spec.port);
                s6.address = it->second.address;
                v6specs.push_back(std::move(s6));
            }
        }
        probes::EngineOptions e6 = engine;
        e6.on_progress = nullptr;
        probes::poll_many(v6specs, e6, [&](probes::PollResult&& r6) {
            auto& h = held.at(r6.outcome.target);
            model::ManagementProbe mp{h.address, false, r6.outcome.detail};
            if (r6.device) {
                const auto& d4 = *h.result.device;
                const auto& d6 = *r6.device;
                mp.ok = d6.sys_object_id == d4.sys_object_id && d6.sys_name == d4.sys_name;
                mp.detail = mp.ok ? ""
                                  : fmt::format("a different agent answered (sysName {})",
                                                d6.sys_name.value_or("?"));
            }
            h.result.device->ipv6_management = mp;
        });
        for (auto& [name, h] : held) {
            const store::TargetState state{h.result.bulk_repetitions, h.result.srtt_us,
                                           h.result.rttvar_us, h.result.outcome.credential};
            db.save_target(scan_id, h.result.outcome, &*h.result.device, &state);
        }
    }
    const auto finished = ctx.now();
    // Interrupted only if the stop came before every target was polled.
    run.interrupted = !all_polled;
    db.finish_scan(scan_id, iso_utc(finished),
                   run.interrupted ? store::ScanStatus::interrupted : store::ScanStatus::complete);
    fail_scan.armed = false;
    run.finished = finished;
    run.seconds = std::chrono::duration<double>(finished - started).count();
    return run;
}

Handler setup_scan(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<ScanOptions>();
    sub.add_option("-t,--target", opt->targets, "Scan only this target (repeatable)")
        ->type_name("NAME");
    sub.add_option("--site", opt->sites,
                   "Scan only the targets at this site or under it (repeatable; with --poller, "
                   "a poller's share)")
        ->type_name("CODE");
    sub.add_option("--tag", opt->tags,
                   "Scan only the targets with this tag, their own or their site's (repeatable)")
        ->type_name("TAG");
    sub.add_option("--concurrency", opt->concurrency,
                   "Requests in flight at once, over all devices")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    sub.add_option("--device-budget", opt->device_budget_s,
                   "Seconds one device may take; past it, it is stored with what was read and a "
                   "warning")
        ->check(CLI::Range(1, 86400))
        ->capture_default_str();
    return [opt](RunContext& ctx) {
        return run_scan(ctx, *opt);
    };
}

} // namespace netinv::cli
