// SPDX-License-Identifier: Apache-2.0
//
// netinv gaps: the plan's objectives against the latest complete scan. The configuration gives
// the sites, targets and plan (no secrets needed); the database gives what the devices showed.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "model/gaps.hpp"
#include "report/gaps.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

int run_gaps(RunContext& ctx) {
    const auto format =
        ctx.format("gaps", {report::Format::table, report::Format::json, report::Format::csv,
                            report::Format::markdown, report::Format::html});
    if (!format) {
        return exit_usage;
    }
    LoadOptions lo;
    lo.resolve_secrets = false;
    const auto loaded = load_config_file(ctx.config_path(), lo);
    if (!loaded.config) {
        for (const auto& e : loaded.errors) {
            fmt::print(ctx.err, "{}\n", e);
        }
        return exit_usage;
    }
    if (!loaded.config->plan) {
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
    const auto report =
        model::evaluate(*loaded.config, db->devices(scan->id), db->outcomes(scan->id));
    const report::ReportContext rc{scan->id, scan->started_at,
                                   ctx.global.lang == "vi" ? report::Lang::vi : report::Lang::en};
    ctx.print(report::render_gaps(report, *loaded.config, rc, *format));
    return report.objectives_met == report.objectives.size() ? exit_ok : exit_failure;
}

} // namespace

Handler setup_gaps(CLI::App&, GlobalOptions&) {
    return run_gaps;
}

} // namespace netinv::cli
