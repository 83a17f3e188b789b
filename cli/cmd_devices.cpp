// SPDX-License-Identifier: Apache-2.0
//
// netinv devices / netinv show: read the latest complete scan from the database and render it.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>

#include "cli/command.hpp"
#include "cli/history.hpp"
#include "model/error.hpp"
#include "model/summary.hpp"
#include "model/text.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

struct ShowOptions {
    std::string device;
    std::string scan = "latest";
};

struct DevicesOptions {
    std::string by;
    std::string scan = "latest";
};

// Opens an existing database and finds the scan named by `spec` (default: the latest complete
// one); prints why not otherwise.
std::optional<store::ScanInfo> find_scan(const RunContext& ctx, std::unique_ptr<store::Store>& db,
                                         const std::string& spec) {
    db = open_existing_store(ctx);
    if (!db) {
        return std::nullopt;
    }
    if (spec == "latest") {
        auto scan = db->latest_complete_scan();
        if (!scan) {
            ctx.error(fmt::format("{}: no complete scan yet; run 'netinv scan' first", db->path()));
        }
        return scan;
    }
    std::string why;
    auto scan = select_scan(db->scans(), spec, why);
    if (!scan) {
        ctx.error(fmt::format("{}: {}", db->path(), why));
    }
    return scan;
}

int run_devices(RunContext& ctx, const DevicesOptions& opt) {
    const auto format =
        ctx.format("devices", {report::Format::table, report::Format::json, report::Format::csv});
    if (!format) {
        return exit_usage;
    }
    std::unique_ptr<store::Store> db;
    auto scan = find_scan(ctx, db, opt.scan);
    if (!scan) {
        return exit_failure;
    }
    report::ScanContext sc{scan->id, scan->started_at, {}};
    if (!opt.by.empty()) {
        // Grouping needs the site tree, which lives in the configuration (no secrets needed).
        const auto config = load_config(ctx, false);
        if (!config) {
            return exit_usage;
        }
        if (opt.by != "kind" && !config->find_kind(opt.by)) {
            std::string kinds;
            for (const auto& k : config->site_kinds) {
                kinds += " " + k.name;
            }
            ctx.error(fmt::format("--by: '{}' is not a site kind of {} (kinds:{}; or 'kind')",
                                  model::sanitize_terminal(opt.by), config->path, kinds));
            return exit_usage;
        }
        ctx.print(report::render_summary(model::summarize(*config, db->outcomes(scan->id), opt.by),
                                         opt.by, sc, *format));
        return exit_ok;
    }
    for (auto& o : db->outcomes(scan->id)) {
        if (o.outcome != model::Outcome::ok) {
            sc.failures.push_back(std::move(o));
        }
    }
    ctx.print(report::render_devices(db->devices(scan->id), sc, *format));
    return exit_ok;
}

int run_show(RunContext& ctx, const ShowOptions& opt) {
    const auto format = ctx.format("show", {report::Format::table, report::Format::json});
    if (!format) {
        return exit_usage;
    }
    std::unique_ptr<store::Store> db;
    auto scan = find_scan(ctx, db, opt.scan);
    if (!scan) {
        return exit_failure;
    }
    if (auto d = db->device(scan->id, opt.device)) {
        std::optional<std::string> credential;
        for (const auto& o : db->outcomes(scan->id)) {
            if (o.target == opt.device && !o.credential.empty()) {
                credential = o.credential; // scans before netinv recorded it have none
            }
        }
        ctx.print(report::render_device(*d, *format, credential));
        return exit_ok;
    }
    std::vector<std::string> names;
    for (const auto& o : db->outcomes(scan->id)) {
        if (o.target == opt.device) {
            ctx.error(fmt::format("{} did not answer in scan {}: {}: {}{}", opt.device, scan->id,
                                  model::to_string(o.outcome), o.detail,
                                  o.credential.empty() || o.detail.starts_with("no credential")
                                      ? ""
                                      : fmt::format(" (credential {})", o.credential)));
            return exit_failure;
        }
        names.push_back(o.target);
    }
    std::vector<std::string_view> views(names.begin(), names.end());
    auto hint = model::closest_match(opt.device, views);
    ctx.error(fmt::format("no device '{}' in scan {}{}", model::sanitize_terminal(opt.device),
                          scan->id, hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
    return exit_failure;
}

} // namespace

Handler setup_devices(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<DevicesOptions>();
    sub.add_option("--by", opt->by,
                   "Summarise instead: counts per site kind ('kind'), or per site of a kind "
                   "with everything under it (e.g. 'district'; reads the site tree from the "
                   "configuration)")
        ->type_name("kind|KIND");
    sub.add_option("--scan", opt->scan,
                   "A past complete scan: id, date (YYYY-MM-DD), latest or latest~N")
        ->type_name("SCAN")
        ->capture_default_str();
    return [opt](RunContext& ctx) {
        return run_devices(ctx, *opt);
    };
}

Handler setup_show(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<ShowOptions>();
    sub.add_option("DEVICE", opt->device, "The device's target name")->required();
    sub.add_option("--scan", opt->scan,
                   "A past complete scan: id, date (YYYY-MM-DD), latest or latest~N")
        ->type_name("SCAN")
        ->capture_default_str();
    return [opt](RunContext& ctx) {
        return run_show(ctx, *opt);
    };
}

} // namespace netinv::cli
