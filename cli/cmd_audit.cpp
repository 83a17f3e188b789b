// SPDX-License-Identifier: Apache-2.0
//
// netinv audit: the nightly job. Scan, compare with the previous complete scan, evaluate the
// plan, write the reports asked for, and say in a few lines (nothing with --quiet, unless
// something needs attention) what changed. The exit code tells cron what happened.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "cli/command.hpp"
#include "cli/file_io.hpp"
#include "cli/history.hpp"
#include "cli/scan_run.hpp"
#include "model/error.hpp"
#include "model/gaps.hpp"
#include "model/summary.hpp"
#include "model/text.hpp"
#include "report/audit.hpp"
#include "report/diff.hpp"
#include "report/gaps.hpp"
#include "report/metrics.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

struct AuditOptions {
    ScanOptions scan;
    std::string report_dir;
    std::vector<std::string> report_formats{"markdown"};
    std::vector<std::string> fail_on{"regressions", "gaps"};
    std::string metrics;
};

int run_audit(RunContext& ctx, const AuditOptions& opt) {
    const auto loaded = load_config(ctx, true);
    if (!loaded) {
        return exit_usage;
    }
    const model::Config& cfg = *loaded;
    const auto chosen = choose_targets(ctx, cfg, opt.scan);
    if (!chosen) {
        return exit_usage;
    }
    auto writer = open_for_writing(ctx, "audit", store::Store::Mode::read_write_create);
    if (!writer) {
        return writer.error();
    }
    store::Store& db = *writer->db;
    const auto previous = db.latest_complete_scan();
    const ScanRun run = perform_scan(ctx, cfg, *chosen, opt.scan, db, ScanLines::none);
    if (run.interrupted) {
        ctx.error(fmt::format("{}; no reports written", run.summary_line()));
        return exit_failure;
    }
    const auto scans = db.scans();
    const auto current = std::ranges::find(scans, run.scan_id, &store::ScanInfo::id);
    std::vector<model::Change> changes;
    if (previous) {
        changes = diff_scans(db, *previous, *current, &cfg, "");
    }
    std::string by;
    known_kind(ctx, cfg, by); // the default roll-up; an empty `by` never fails
    std::optional<model::GapReport> gaps;
    if (cfg.plan) {
        gaps = gap_report(db, cfg, *current, db.devices(run.scan_id), db.outcomes(run.scan_id), by);
    }
    const auto regressions =
        std::ranges::count(changes, model::Impact::regression, &model::Change::impact);
    const bool unmet = gaps && model::unmet_objectives(*gaps) > 0;
    const auto fails_on = [&](std::string_view what) {
        return std::ranges::find(opt.fail_on, what) != opt.fail_on.end();
    };
    const bool attention = (fails_on("regressions") && regressions > 0) ||
                           (fails_on("gaps") && unmet) || (fails_on("changes") && !changes.empty());

    std::vector<std::string> written;
    if (!opt.report_dir.empty()) {
        std::filesystem::create_directories(opt.report_dir);
        const std::string stem =
            fmt::format("netinv-{}-scan{}", local_date(run.started), run.scan_id);
        report::DiffContext dc{previous ? previous->id : 0, previous ? previous->started_at : "",
                               run.scan_id, current->started_at};
        dc.older_shown = shown_time(dc.older_started_at);
        dc.newer_shown = shown_time(dc.newer_started_at);
        dc.lang = ctx.global.language();
        report::ReportContext rc{run.scan_id, current->started_at, ctx.global.language()};
        rc.shown_at = shown_time(current->started_at);
        rc.captures = captures_of(db.outcomes(run.scan_id));
        const auto ipv6 = ipv6_readiness(db, cfg, *current, db.devices(run.scan_id), by);
        rc.ipv6 = &ipv6;
        for (const auto& name : opt.report_formats) {
            // The names were checked by CLI11; "markdown" files end in .md.
            const auto format = *report::format_from_string(name);
            const std::string ext = format == report::Format::markdown ? "md" : name;
            if (previous) {
                const auto path =
                    std::filesystem::path(opt.report_dir) / fmt::format("{}-diff.{}", stem, ext);
                write_atomically(path, report::render_diff(changes, dc, format));
                written.push_back(path.string());
            }
            if (gaps) {
                const auto path =
                    std::filesystem::path(opt.report_dir) / fmt::format("{}-gaps.{}", stem, ext);
                write_atomically(path, report::render_gaps(*gaps, cfg, rc, format));
                written.push_back(path.string());
            }
        }
        // The summary, last, names the reports above (a CSV summary would be one row: none).
        report::AuditSummary sum;
        sum.scan_id = run.scan_id;
        sum.started_at = current->started_at;
        sum.shown_at = rc.when();
        sum.seconds = run.seconds;
        sum.targets = run.total;
        sum.ok = run.ok;
        std::map<std::string_view, const model::TargetOutcome*> failed; // in config order below
        for (const auto& o : run.outcomes) {
            if (o.outcome != model::Outcome::ok) {
                failed[o.target] = &o;
            }
        }
        for (const auto& t : cfg.targets) {
            if (const auto it = failed.find(t.name); it != failed.end()) {
                sum.failures.push_back(*it->second);
            }
        }
        if (previous) {
            sum.previous_id = previous->id;
            sum.previous_started_at = previous->started_at;
            sum.previous_shown = dc.older_when();
        }
        sum.changes = &changes;
        sum.gaps = gaps ? &*gaps : nullptr;
        sum.plan_id = cfg.plan ? cfg.plan->id : "";
        sum.lang = ctx.global.language();
        sum.captures = rc.captures;
        for (const auto& w : written) {
            sum.reports.push_back(std::filesystem::path(w).filename().string());
        }
        for (const auto& name : opt.report_formats) {
            const auto format = *report::format_from_string(name);
            if (format == report::Format::csv) {
                continue;
            }
            const std::string ext = format == report::Format::markdown ? "md" : name;
            const auto path =
                std::filesystem::path(opt.report_dir) / fmt::format("{}-summary.{}", stem, ext);
            write_atomically(path, report::render_audit_summary(sum, format));
            written.push_back(path.string());
        }
    }
    if (!opt.metrics.empty()) {
        report::MetricsInput m;
        m.scan_id = run.scan_id;
        m.started_unix =
            std::chrono::duration_cast<std::chrono::seconds>(run.started.time_since_epoch())
                .count();
        m.seconds = run.seconds;
        m.targets = run.total;
        m.ok = run.ok;
        m.failed = run.failed;
        m.varbinds = run.varbinds;
        m.retransmissions = run.retransmissions;
        m.compared = previous.has_value();
        m.changes = changes;
        m.gaps = gaps ? &*gaps : nullptr;
        m.site_kind = by.empty() ? "kind" : by;
        m.sites = model::summarize(cfg, run.outcomes, m.site_kind);
        write_atomically(opt.metrics, report::render_metrics(m));
        written.push_back(opt.metrics);
    }
    if (!ctx.global.quiet || attention) {
        std::string out = "netinv audit: " + run.summary_line() + "\n";
        if (previous) {
            out += fmt::format("changes since scan {}: {}\n", previous->id,
                               report::diff_counts(changes));
            std::size_t shown = 0;
            for (const auto& c : changes) {
                if (c.impact != model::Impact::regression || ++shown > 20) {
                    continue;
                }
                out += fmt::format(
                    "  {} {} {}{}\n", model::to_string(c.kind), c.target,
                    model::sanitize_terminal(c.subject),
                    c.after.empty() ? "" : " (" + model::sanitize_terminal(c.after) + ")");
            }
            if (shown > 20) {
                out += fmt::format("  ... and {} more regressions\n", shown - 20);
            }
        } else {
            out += "first complete scan: nothing to compare with yet\n";
        }
        if (gaps) {
            out += fmt::format("plan {}: {} of {} objectives met\n", cfg.plan->id,
                               gaps->objectives_met, gaps->objectives.size());
        }
        for (const auto& w : written) {
            out += "report: " + w + "\n";
        }
        ctx.print(out);
    }
    if (attention) {
        return exit_findings;
    }
    return run.ok == run.total ? exit_ok : exit_targets_failed;
}

} // namespace

Handler setup_audit(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<AuditOptions>();
    sub.add_option("-t,--target", opt->scan.targets, "Audit only this target (repeatable)")
        ->type_name("NAME");
    sub.add_option("--site", opt->scan.sites,
                   "Audit only the targets at this site or under it (repeatable; with --poller, "
                   "a poller's share)")
        ->type_name("CODE");
    sub.add_option("--tag", opt->scan.tags,
                   "Audit only the targets with this tag, their own or their site's (repeatable)")
        ->type_name("TAG");
    sub.add_option("--concurrency", opt->scan.concurrency,
                   "Requests in flight at once, over all devices")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    sub.add_option("--device-budget", opt->scan.device_budget_s, "Seconds one device may take")
        ->check(CLI::Range(1, 86400))
        ->capture_default_str();
    sub.add_option("--report-dir", opt->report_dir,
                   "Write the diff and gap reports here, named netinv-DATE-scanID-diff.EXT and "
                   "-gaps.EXT, and the night's summary, -summary.EXT (not in CSV)")
        ->type_name("DIR");
    sub.add_option("--report-format", opt->report_formats,
                   "Formats of the reports: markdown, html, json, csv")
        ->delimiter(',')
        ->check(CLI::IsMember({"markdown", "html", "json", "csv"}))
        ->capture_default_str();
    sub.add_option("--fail-on", opt->fail_on,
                   "What makes the exit code 6 (findings): regressions, gaps (unmet "
                   "objectives), changes (any change)")
        ->delimiter(',')
        ->check(CLI::IsMember({"regressions", "gaps", "changes"}))
        ->capture_default_str();
    sub.add_option("--metrics", opt->metrics,
                   "Also write the night's figures (scan, changes, objectives, sites) to FILE in "
                   "Prometheus text format, for node_exporter's textfile collector (*.prom)")
        ->type_name("FILE");
    return [opt](RunContext& ctx) {
        return run_audit(ctx, *opt);
    };
}

} // namespace netinv::cli
