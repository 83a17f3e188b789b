// SPDX-License-Identifier: Apache-2.0
//
// netinv gaps: the plan's objectives against the latest complete scan. The configuration gives
// the sites, targets and plan (no secrets needed); the database gives what the devices showed.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/history.hpp"
#include "model/gaps.hpp"
#include "report/gaps.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

int run_gaps(RunContext& ctx, std::string by) {
    const auto format =
        ctx.format("gaps", {report::Format::table, report::Format::json, report::Format::csv,
                            report::Format::markdown, report::Format::html});
    if (!format) {
        return exit_usage;
    }
    const auto config = load_config(ctx, false);
    if (!config) {
        return exit_usage;
    }
    if (!known_kind(ctx, *config, by)) {
        return exit_usage;
    }
    if (!config->plan) {
        ctx.error(fmt::format("{}: no plan to report against; name one with 'plan = \"FILE\"'",
                              ctx.config_path()));
        return exit_usage;
    }
    const auto db = open_existing_store(ctx);
    if (!db) {
        return exit_no_scan;
    }
    const auto scan = db->latest_complete_scan();
    if (!scan) {
        ctx.error(
            fmt::format("{}: no complete scan to report on; run 'netinv scan' first", db->path()));
        return exit_no_scan;
    }
    const auto devices = db->devices(scan->id);
    const auto outcomes = db->outcomes(scan->id);
    const auto report = gap_report(*db, *config, *scan, devices, outcomes, by);
    report::ReportContext rc{scan->id, scan->started_at, ctx.global.language()};
    rc.captures = captures_of(outcomes);
    rc.color = ctx.global.use_color;
    rc.shown_at = shown_time(scan->started_at);
    std::optional<model::Ipv6Summary> ipv6;
    if (*format == report::Format::html) {
        ipv6 = ipv6_readiness(*db, *config, *scan, devices, by);
        rc.ipv6 = &*ipv6;
    }
    ctx.print(report::render_gaps(report, *config, rc, *format));
    // 1 for an unmet objective; one that only unverified items keep from being met is not a
    // gap found (its reasons are listed).
    return model::unmet_objectives(report) == 0 ? exit_ok : exit_findings;
}

} // namespace

Handler setup_gaps(CLI::App& sub, GlobalOptions&) {
    auto by = std::make_shared<std::string>();
    sub.add_option("--by", *by,
                   "Roll coverage up by this site kind (default district; any kind of the "
                   "configuration, former structures included)")
        ->type_name("KIND");
    return [by](RunContext& ctx) {
        return run_gaps(ctx, *by);
    };
}

} // namespace netinv::cli
