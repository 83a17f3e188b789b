// SPDX-License-Identifier: Apache-2.0
//
// netinv devices / netinv show: read the latest complete scan from the database and render it.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <map>

#include "cli/command.hpp"
#include "model/error.hpp"
#include "model/text.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

struct ShowOptions {
    std::string device;
};

// Opens an existing database and finds its latest complete scan; prints why not otherwise.
std::optional<store::ScanInfo> latest_scan(const RunContext& ctx,
                                           std::unique_ptr<store::Store>& db) {
    const std::string path = ctx.db_path();
    if (!std::filesystem::exists(path)) {
        ctx.error(fmt::format("{}: no database yet; run 'netinv scan' first", path));
        return std::nullopt;
    }
    db = std::make_unique<store::Store>(path, store::Store::Mode::read_write);
    auto scan = db->latest_complete_scan();
    if (!scan) {
        ctx.error(fmt::format("{}: no complete scan yet; run 'netinv scan' first", path));
    }
    return scan;
}

int run_devices(RunContext& ctx) {
    const auto format =
        ctx.format("devices", {report::Format::table, report::Format::json, report::Format::csv});
    if (!format) {
        return exit_usage;
    }
    std::unique_ptr<store::Store> db;
    auto scan = latest_scan(ctx, db);
    if (!scan) {
        return exit_failure;
    }
    report::ScanContext sc{scan->id, scan->started_at, {}};
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
    auto scan = latest_scan(ctx, db);
    if (!scan) {
        return exit_failure;
    }
    if (auto d = db->device(scan->id, opt.device)) {
        ctx.print(report::render_device(*d, *format));
        return exit_ok;
    }
    std::vector<std::string> names;
    for (const auto& o : db->outcomes(scan->id)) {
        if (o.target == opt.device) {
            ctx.error(fmt::format("{} did not answer in scan {}: {}: {}", opt.device, scan->id,
                                  model::to_string(o.outcome), o.detail));
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

Handler setup_devices(CLI::App&, GlobalOptions&) {
    return run_devices;
}

Handler setup_show(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<ShowOptions>();
    sub.add_option("DEVICE", opt->device, "The device's target name")->required();
    return [opt](RunContext& ctx) {
        return run_show(ctx, *opt);
    };
}

} // namespace netinv::cli
