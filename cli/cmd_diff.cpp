// SPDX-License-Identifier: Apache-2.0
//
// netinv diff [OLDER] [NEWER]: typed changes between two complete scans.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.hpp"
#include "cli/history.hpp"
#include "report/diff.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

struct DiffOptions {
    std::vector<std::string> scans;
    std::string site;
};

int run_diff(RunContext& ctx, const DiffOptions& opt) {
    const auto format =
        ctx.format("diff", {report::Format::table, report::Format::json, report::Format::csv,
                            report::Format::markdown, report::Format::html});
    if (!format) {
        return exit_usage;
    }
    std::optional<model::Config> config;
    if (!opt.site.empty()) {
        config = load_config(ctx, false);
        if (!config) {
            return exit_usage;
        }
        if (!known_site(ctx, *config, opt.site)) {
            return exit_usage;
        }
    }
    const auto db = open_existing_store(ctx);
    if (!db) {
        return exit_no_scan;
    }
    const auto scans = db->scans();
    std::string why;
    const std::string older_spec = opt.scans.size() >= 1 ? opt.scans[0] : "latest~1";
    const std::string newer_spec = opt.scans.size() >= 2 ? opt.scans[1] : "latest";
    const auto older = select_scan(scans, older_spec, why);
    if (!older) {
        ctx.error(fmt::format("{}: {}", db->path(), why));
        return opt.scans.empty() ? exit_no_scan : exit_usage;
    }
    const auto newer = select_scan(scans, newer_spec, why);
    if (!newer) {
        ctx.error(fmt::format("{}: {}", db->path(), why));
        return opt.scans.size() < 2 ? exit_no_scan : exit_usage;
    }
    const auto changes = diff_scans(*db, *older, *newer, config ? &*config : nullptr, opt.site);
    ctx.print(report::render_diff(
        changes,
        report::DiffContext{older->id, older->started_at, newer->id, newer->started_at,
                            shown_time(older->started_at), shown_time(newer->started_at),
                            ctx.global.language(), ctx.global.use_color},
        *format));
    const bool regressions = std::ranges::any_of(
        changes, [](const model::Change& c) { return c.impact == model::Impact::regression; });
    return regressions ? exit_findings : exit_ok;
}

} // namespace

Handler setup_diff(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<DiffOptions>();
    sub.add_option("scans", opt->scans,
                   "OLDER and NEWER: an id, a date (YYYY-MM-DD), latest or latest~N (default: "
                   "latest~1 latest)")
        ->expected(0, 2)
        ->type_name("SCAN");
    sub.add_option("--site", opt->site, "Only devices at this site and the sites under it")
        ->type_name("CODE");
    return [opt](RunContext& ctx) {
        return run_diff(ctx, *opt);
    };
}

} // namespace netinv::cli
