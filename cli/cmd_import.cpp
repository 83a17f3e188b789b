// SPDX-License-Identifier: Apache-2.0
//
// netinv import FILE --target NAME: a walk captured on site (snmpwalk -On text or an snmprec
// file) becomes that target's observation in a scan of its own, decoded as a poll would have
// decoded it (probes::decode_capture). The scan carries every other target as the latest
// complete scan saw it, so it is the latest picture with the capture in it; the observation
// names the file and the capture time, and stands until a poll reaches the target again.
#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "cli/command.hpp"
#include "cli/file_io.hpp"
#include "cli/scan_run.hpp"
#include "model/error.hpp"
#include "model/text.hpp"
#include "probes/capture.hpp"
#include "probes/poller.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

// A capture of a whole device is a few MB (a core switch's: tens); a file larger than this is
// not one.
constexpr std::size_t k_max_capture_bytes = std::size_t{256} << 20;

struct ImportOptions {
    std::string file;
    std::string target;
    std::string captured_at;
    bool new_device = false;
};

// --captured-at: ISO 8601 UTC ("2026-11-20T03:15:00Z") or the province's local time
// ("2026-11-20 10:15").
std::optional<std::chrono::system_clock::time_point> parse_capture_time(const std::string& text) {
    if (auto t = parse_iso_utc(text)) {
        return t;
    }
    std::tm tm{};
    char sep = 0;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &sep, &tm.tm_hour, &tm.tm_min, &extra) != 6 ||
        (sep != ' ' && sep != 'T') || text.size() != 16) {
        return std::nullopt;
    }
    const int day = tm.tm_mday;
    const int month = tm.tm_mon;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm); // in the province's zone (use_time_zone)
    if (t == -1 || tm.tm_mday != day || tm.tm_mon != month - 1 || tm.tm_hour > 23) {
        return std::nullopt;
    }
    return std::chrono::system_clock::from_time_t(t);
}

// The identity a capture and the target's last poll must share, when both say it.
std::string other_device(const model::Device& captured, const model::Device& known) {
    const auto differs = [](const std::optional<std::string>& a,
                            const std::optional<std::string>& b) {
        return a && b && !a->empty() && !b->empty() && *a != *b;
    };
    if (differs(captured.serial, known.serial)) {
        return fmt::format("serial {} where the target's last poll found {}", *captured.serial,
                           *known.serial);
    }
    if (differs(captured.sys_name, known.sys_name)) {
        return fmt::format("sysName '{}' where the target's last poll found '{}'",
                           model::sanitize_terminal(*captured.sys_name),
                           model::sanitize_terminal(*known.sys_name));
    }
    if (differs(captured.sys_object_id, known.sys_object_id)) {
        return fmt::format("sysObjectID {} where the target's last poll found {}",
                           *captured.sys_object_id, *known.sys_object_id);
    }
    return {};
}

int run_import(RunContext& ctx, const ImportOptions& opt) {
    const auto loaded = load_config(ctx, false); // nothing is polled: no secrets
    if (!loaded) {
        return exit_usage;
    }
    const model::Config& cfg = *loaded;
    ScanOptions one;
    one.targets = {opt.target};
    const auto chosen = choose_targets(ctx, cfg, one);
    if (!chosen) {
        return exit_usage;
    }
    const model::Target& target = *chosen->front();
    // The file: a regular one, bounded, parsed whole before anything is stored.
    // Stored as an absolute path; never empty, which would read as a poll.
    std::error_code ec;
    std::string file = std::filesystem::absolute(opt.file, ec).lexically_normal().string();
    if (ec || file.empty()) {
        file = opt.file;
    }
    auto text = read_bounded_file(opt.file, k_max_capture_bytes);
    if (!text) {
        ctx.error(fmt::format("{}: {}", opt.file, text.error()));
        return exit_usage;
    }
    auto vbs = probes::parse_capture(*text);
    if (!vbs) {
        ctx.error(fmt::format("{}:{}; nothing imported", opt.file, vbs.error()));
        return exit_usage;
    }
    // When it was captured: as said, else when the walk finished writing the file.
    std::chrono::system_clock::time_point captured;
    if (!opt.captured_at.empty()) {
        const auto t = parse_capture_time(opt.captured_at);
        if (!t) {
            ctx.error(fmt::format("--captured-at: '{}' is not a time (2026-11-20T03:15:00Z, or "
                                  "2026-11-20 10:15 in the province's time)",
                                  model::sanitize_terminal(opt.captured_at)));
            return exit_usage;
        }
        captured = *t;
    } else {
        struct stat st {};
        if (::stat(opt.file.c_str(), &st) != 0) {
            ctx.error(fmt::format("{}: cannot read its time; give --captured-at", opt.file));
            return exit_usage;
        }
        captured = std::chrono::system_clock::from_time_t(st.st_mtime);
    }
    if (captured > ctx.now() + std::chrono::minutes(5)) {
        ctx.error(
            opt.captured_at.empty()
                ? fmt::format("{}: its modification time, {}, is in the future (the "
                              "laptop's clock?); give --captured-at",
                              opt.file, shown_time(iso_utc(captured)))
                : fmt::format("--captured-at: {} is in the future", shown_time(iso_utc(captured))));
        return exit_usage;
    }
    auto r = probes::decode_capture(spec_for(cfg, target), *vbs);
    if (r.outcome.outcome != model::Outcome::ok || !r.device) {
        ctx.error(fmt::format("{}: {}; nothing imported", opt.file, r.outcome.detail));
        return exit_usage;
    }
    for (const auto& w : r.warnings) {
        ctx.warning(fmt::format("{} (from {})", w, opt.file));
    }

    auto writer = open_for_writing(ctx, "import", store::Store::Mode::read_write_create);
    if (!writer) {
        return writer.error();
    }
    store::Store& db = *writer->db;
    const auto latest = db.latest_complete_scan();
    if (latest) {
        if (const auto known = db.device(latest->id, target.name); known && !opt.new_device) {
            if (const auto why = other_device(*r.device, *known); !why.empty()) {
                ctx.error(fmt::format("{}: a capture of another device than {}: {}; nothing "
                                      "imported (--new-device when the device was replaced)",
                                      opt.file, target.name, why));
                return exit_usage;
            }
        }
    }
    model::TargetOutcome o = r.outcome;
    o.capture_file = file;
    o.captured_at = iso_utc(captured);
    // The import carries the rest of its poller's picture (the one poller's, without --poller).
    const auto own = db.latest_complete_scan(&db.poller());
    const std::int64_t id = db.begin_import(
        iso_utc(ctx.now()), own ? std::optional(own->id) : std::nullopt, target.name);
    try {
        db.save_target(id, o, &*r.device);
        db.finish_scan(id, iso_utc(ctx.now()), store::ScanStatus::complete);
    } catch (const Error&) {
        db.finish_scan(id, iso_utc(ctx.now()), store::ScanStatus::failed);
        throw;
    }
    if (!ctx.global.quiet) {
        ctx.print(fmt::format(
            "scan {}: {} from the capture {} of {}: {} interfaces, {} addresses{}\n", id,
            target.name, opt.file, shown_time(o.captured_at), r.device->interfaces.size(),
            r.device->addresses.size(),
            latest ? fmt::format("; the other targets as scan {} saw them", latest->id) : ""));
    }
    return exit_ok;
}

} // namespace

Handler setup_import(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<ImportOptions>();
    sub.add_option("FILE", opt->file,
                   "The capture: snmpwalk -On / snmpbulkwalk -On output, or an snmprec file")
        ->required();
    sub.add_option("-t,--target", opt->target, "The target of inventory.toml it is a capture of")
        ->required()
        ->type_name("NAME");
    sub.add_option("--captured-at", opt->captured_at,
                   "When it was captured: 2026-11-20T03:15:00Z, or 2026-11-20 10:15 in the "
                   "province's time (default: the file's modification time)")
        ->type_name("TIME");
    sub.add_flag("--new-device", opt->new_device,
                 "Import it even though its serial, sysName or sysObjectID differ from what the "
                 "target's last poll found (the device was replaced)");
    return [opt](RunContext& ctx) {
        return run_import(ctx, *opt);
    };
}

} // namespace netinv::cli
