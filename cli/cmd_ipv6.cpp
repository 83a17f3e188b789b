// SPDX-License-Identifier: Apache-2.0
//
// netinv ipv6 checklist | summary: IPv6 readiness from the latest complete scan. Counter checks
// (traffic) compare it with the complete scan before it, when there is one.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.hpp"
#include "cli/history.hpp"
#include "model/ipv6.hpp"
#include "model/search.hpp"
#include "model/text.hpp"
#include "report/ipv6.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

struct Ipv6Options {
    std::string site;
    std::string device;
    std::string role;
    std::vector<std::string> statuses;
    std::string min_severity = "low";
    bool by_action = false;
    bool all = false;
    bool by_site = false;
    std::string by;
};

int run_ipv6(RunContext& ctx, Ipv6Options opt, bool checklist) {
    const auto format =
        ctx.format(checklist ? "ipv6 checklist" : "ipv6 summary",
                   {report::Format::table, report::Format::json, report::Format::csv,
                    report::Format::markdown, report::Format::html});
    if (!format) {
        return exit_usage;
    }
    const auto loaded = load_config(ctx, false);
    if (!loaded) {
        return exit_usage;
    }
    const model::Config& cfg = *loaded;
    if (!known_kind(ctx, cfg, opt.by)) {
        return exit_usage;
    }
    if (!opt.site.empty() && !known_site(ctx, cfg, opt.site)) {
        return exit_usage;
    }
    const auto db = open_existing_store(ctx);
    if (!db) {
        return exit_no_scan;
    }
    const auto latest = db->latest_complete_scan();
    if (!latest) {
        ctx.error(
            fmt::format("{}: no complete scan to report on; run 'netinv scan' first", db->path()));
        return exit_no_scan;
    }
    auto devices = db->devices(latest->id);
    // --site takes the site and everything under it; --device one device.
    if (!opt.device.empty()) {
        if (std::ranges::none_of(devices,
                                 [&](const model::Device& d) { return d.name == opt.device; })) {
            ctx.error(
                fmt::format("{}: no device '{}' in scan {}", db->path(), opt.device, latest->id));
            return exit_usage;
        }
        std::erase_if(devices, [&](const model::Device& d) { return d.name != opt.device; });
    }
    if (!opt.site.empty()) {
        std::erase_if(devices,
                      [&](const model::Device& d) { return !site_under(cfg, d.site, opt.site); });
    }
    if (!opt.role.empty()) {
        model::DeviceFilter f;
        f.role = opt.role;
        std::erase_if(devices, [&](const model::Device& d) { return !model::matches(&cfg, d, f); });
    }
    const auto summary = ipv6_readiness(*db, cfg, *latest, devices, opt.by);
    report::ReportContext rc{latest->id, latest->started_at, ctx.global.language()};
    rc.captures = captures_of(db->outcomes(latest->id));
    rc.color = ctx.global.use_color;
    rc.shown_at = shown_time(latest->started_at);
    if (checklist) {
        report::ChecklistOptions co;
        co.all = opt.all;
        co.by_action = opt.by_action;
        for (const auto& st : opt.statuses) {
            co.statuses.push_back(*model::check_status_from_string(st)); // checked by CLI11
        }
        co.min_severity = *model::severity_from_string(opt.min_severity);
        ctx.print(report::render_checklist(summary, cfg, rc, co, *format));
        // Findings: an action among the checks listed.
        const auto filter = co.filter();
        const bool clean = std::ranges::all_of(summary.devices, [&](const auto& d) {
            return std::ranges::none_of(d.checks, [&](const model::Check& c) {
                return model::selected(c, filter) && (c.status == model::CheckStatus::fail ||
                                                      c.status == model::CheckStatus::partial);
            });
        });
        return clean ? exit_ok : exit_findings;
    }
    ctx.print(report::render_ipv6_summary(summary, cfg, rc, opt.by_site, *format));
    return exit_ok;
}

} // namespace

Handler setup_ipv6(CLI::App& sub, GlobalOptions& global) {
    auto opt = std::make_shared<Ipv6Options>();
    sub.require_subcommand(1, 1);
    auto* checklist = sub.add_subcommand(
        "checklist", "Per-device IPv6 checks as a work list, grouped by site, most severe first");
    auto* summary = sub.add_subcommand(
        "summary", "Readiness levels L0-L5 and scores for the province and each district or site");
    for (auto* s : {checklist, summary}) {
        add_global_options(*s, global);
        s->add_option("--site", opt->site, "Only this site and the sites under it")
            ->type_name("CODE");
    }
    checklist->add_option("--device", opt->device, "Only this device")->type_name("NAME");
    checklist->add_flag("--all", opt->all,
                        "List every check, also those that pass or do not apply");
    checklist
        ->add_option("--status", opt->statuses,
                     "Only checks of these statuses (comma-separated: fail, partial, unknown, "
                     "pass, n/a; default fail,partial,unknown)")
        ->delimiter(',')
        ->check(CLI::IsMember({"fail", "partial", "unknown", "pass", "n/a", "na"}))
        ->type_name("LIST");
    checklist
        ->add_option("--min-severity", opt->min_severity,
                     "Only checks of this severity or above: low, medium, high, critical")
        ->check(CLI::IsMember({"low", "medium", "high", "critical"}))
        ->capture_default_str();
    checklist->add_option("--role", opt->role, "Only devices of this role (router, cpe, ...)")
        ->type_name("ROLE");
    checklist->add_flag("--by-action", opt->by_action,
                        "Group by what to do: one block per check, with its devices and count");
    summary->add_flag("--by-site", opt->by_site, "One line per site instead of per district");
    summary
        ->add_option("--by", opt->by,
                     "Roll up by this site kind instead of district (any kind of the "
                     "configuration, former structures included)")
        ->type_name("KIND");
    return [opt, checklist](RunContext& ctx) {
        return run_ipv6(ctx, *opt, checklist->parsed());
    };
}

} // namespace netinv::cli
