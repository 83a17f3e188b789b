// SPDX-License-Identifier: Apache-2.0
//
// netinv scans: every scan in the database, newest first: when, how long, targets answering
// and failing, and its status (running, complete, interrupted, failed). A scan left `running`
// by a killed process stays so, and is never taken as the latest complete one.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <ctime>

#include "cli/command.hpp"
#include "model/text.hpp"
#include "report/device.hpp"
#include "report/escape.hpp"
#include "report/json.hpp"
#include "report/table.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

// Seconds between two "YYYY-MM-DDTHH:MM:SSZ" times, or nullopt when either is not one.
std::optional<long> seconds_between(const std::string& from, const std::string& to) {
    auto parse = [](const std::string& s) -> std::optional<std::time_t> {
        std::tm tm{};
        if (s.size() != 20 ||
            std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
            return std::nullopt;
        }
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        return ::timegm(&tm);
    };
    auto a = parse(from);
    auto b = parse(to);
    if (!a || !b) {
        return std::nullopt;
    }
    return static_cast<long>(*b - *a);
}

// "network-v3 95, commune-v2c 200": how many targets answered with each credential.
std::string answered_by(const store::ScanInfo& s, std::string_view sep) {
    std::string out;
    for (const auto& [cred, n] : s.answered_by) {
        out += fmt::format("{}{} {}", out.empty() ? "" : sep, model::sanitize_terminal(cred), n);
    }
    return out;
}

int run_scans(RunContext& ctx) {
    const auto format =
        ctx.format("scans", {report::Format::table, report::Format::json, report::Format::csv});
    if (!format) {
        return exit_usage;
    }
    const auto db = open_existing_store(ctx);
    if (!db) {
        return exit_failure;
    }
    const auto scans = db->scans();
    if (*format == report::Format::json) {
        report::JsonWriter w;
        w.begin_document();
        w.key("scans").begin_array();
        for (const auto& s : scans) {
            w.begin_object();
            w.field("id", s.id);
            w.field("started_at", s.started_at);
            w.key("finished_at");
            s.finished_at.empty() ? w.null() : w.value(s.finished_at);
            w.key("seconds");
            const auto secs = seconds_between(s.started_at, s.finished_at);
            secs ? w.value(static_cast<std::int64_t>(*secs)) : w.null();
            w.field("status", store::to_string(s.status));
            w.field("targets", s.targets_total);
            w.field("ok", s.targets_ok);
            w.field("failed", s.targets_failed);
            w.key("answered_by").begin_object();
            for (const auto& [cred, n] : s.answered_by) {
                w.field(cred, n);
            }
            w.end_object();
            w.key("import_of");
            s.import_of.empty() ? w.null() : w.value(s.import_of);
            w.key("poller");
            s.poller.empty() ? w.null() : w.value(s.poller);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        ctx.print(w.str());
        return exit_ok;
    }
    if (*format == report::Format::csv) {
        std::string out =
            "id,started_at,finished_at,seconds,status,targets,ok,failed,answered_by,import_of,"
            "poller\r\n";
        for (const auto& s : scans) {
            const auto secs = seconds_between(s.started_at, s.finished_at);
            out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\r\n", s.id, s.started_at,
                               s.finished_at, secs ? fmt::format("{}", *secs) : "",
                               store::to_string(s.status), s.targets_total, s.targets_ok,
                               s.targets_failed, report::csv_cell(answered_by(s, ";")),
                               report::csv_cell(s.import_of), report::csv_cell(s.poller));
        }
        ctx.print(out);
        return exit_ok;
    }
    // Several pollers: which one wrote each scan (one poller's database shows no such column).
    const bool pollers =
        std::ranges::any_of(scans, [](const store::ScanInfo& s) { return !s.poller.empty(); });
    std::vector<std::string> head = {"SCAN",    "STARTED", "DURATION", "STATUS",
                                     "TARGETS", "OK",      "FAILED",   "ANSWERED WITH"};
    if (pollers) {
        head.insert(head.begin() + 1, "POLLER");
    }
    report::Table t(head);
    for (const auto& s : scans) {
        const auto secs = seconds_between(s.started_at, s.finished_at);
        // An import's scan says whose capture it brought (netinv import).
        const std::string by =
            s.import_of.empty() ? answered_by(s, ", ") : "import of " + s.import_of;
        const auto tone = s.status == store::ScanStatus::complete  ? report::Tone::good
                          : s.status == store::ScanStatus::running ? report::Tone::warn
                                                                   : report::Tone::bad;
        std::vector<std::string> row = {fmt::format("{}", s.id),
                                        s.started_at,
                                        secs ? fmt::format("{} s", *secs) : "-",
                                        std::string(store::to_string(s.status)),
                                        fmt::format("{}", s.targets_total),
                                        fmt::format("{}", s.targets_ok),
                                        fmt::format("{}", s.targets_failed),
                                        by.empty() ? "-" : by};
        std::vector<report::Tone> tones = {report::Tone::plain,
                                           report::Tone::plain,
                                           report::Tone::plain,
                                           tone,
                                           report::Tone::plain,
                                           report::Tone::plain,
                                           s.targets_failed > 0 ? report::Tone::bad
                                                                : report::Tone::plain};
        if (pollers) {
            row.insert(row.begin() + 1, s.poller.empty() ? "-" : s.poller);
            tones.insert(tones.begin() + 1, report::Tone::plain);
        }
        t.add(row, tones);
    }
    ctx.print(t.render("", ctx.global.use_color) + fmt::format("\n{} scan{} in {}\n", scans.size(),
                                                               scans.size() == 1 ? "" : "s",
                                                               db->path()));
    return exit_ok;
}

} // namespace

Handler setup_scans(CLI::App&, GlobalOptions&) {
    return run_scans;
}

} // namespace netinv::cli
