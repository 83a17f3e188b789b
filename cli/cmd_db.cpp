// SPDX-License-Identifier: Apache-2.0
//
// netinv prune: remove old history. netinv db check: is the database whole?
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>

#include "cli/command.hpp"
#include "cli/scan_run.hpp"
#include "model/text.hpp"
#include "report/json.hpp"
#include "store/lock.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

struct PruneOptions {
    std::optional<int> keep_days;
    std::optional<int> keep;
    bool dry_run = false;
};

std::string size_of(const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? "?" : fmt::format("{:.1f} MB", static_cast<double>(n) / 1e6);
}

int run_prune(RunContext& ctx, const PruneOptions& opt) {
    if (!opt.keep_days && !opt.keep) {
        ctx.error("prune: say what to keep: --keep-days N or --keep N");
        return exit_usage;
    }
    if (!store::is_postgresql(ctx.db_path()) && !std::filesystem::exists(ctx.db_path())) {
        ctx.error(fmt::format("{}: no database yet; nothing to prune", ctx.db_path()));
        return exit_failure;
    }
    auto writer = open_for_writing(ctx, "prune", store::Store::Mode::read_write);
    if (!writer) {
        return writer.error();
    }
    store::Store& db = *writer->db;
    // A poller prunes its own scans (--poller): another's latest picture is not its to remove.
    auto scans = db.scans(); // newest first
    std::erase_if(scans, [&](const store::ScanInfo& s) { return s.poller != db.poller(); });
    std::optional<std::int64_t> latest_complete;
    for (const auto& s : scans) {
        if (s.status == store::ScanStatus::complete) {
            latest_complete = s.id;
            break;
        }
    }
    const auto cutoff = ctx.now() - std::chrono::hours(24) * opt.keep_days.value_or(0);
    std::vector<std::int64_t> doomed;
    for (std::size_t i = 0; i < scans.size(); ++i) {
        const auto& s = scans[i];
        bool old = false;
        if (opt.keep && i >= static_cast<std::size_t>(*opt.keep)) {
            old = true;
        }
        if (opt.keep_days) {
            const auto t = parse_iso_utc(s.started_at);
            old = old || (t && *t < cutoff);
        }
        if (old && s.id != latest_complete) {
            doomed.push_back(s.id);
        }
    }
    // A file's size before and after; a PostgreSQL database's is the server's business.
    const bool file = !db.on_postgresql();
    const std::string before = file ? size_of(db.path()) : "";
    if (doomed.empty()) {
        ctx.print(fmt::format("nothing to prune: {} scans kept{}\n", scans.size(),
                              file ? " (" + before + ")" : ""));
        return exit_ok;
    }
    if (opt.dry_run) {
        ctx.print(fmt::format("would remove {} of {} scans (oldest {}, newest {})\n", doomed.size(),
                              scans.size(), doomed.back(), doomed.front()));
        return exit_ok;
    }
    db.delete_scans(doomed);
    if (!ctx.global.quiet) {
        ctx.print(fmt::format("removed {} of {} scans (ids {} to {}); {} kept{}\n", doomed.size(),
                              scans.size(), doomed.back(), doomed.front(),
                              scans.size() - doomed.size(),
                              file ? fmt::format("; {} -> {}", before, size_of(db.path())) : ""));
    }
    return exit_ok;
}

int run_check(RunContext& ctx) {
    const auto format = ctx.format("db check", {report::Format::table, report::Format::json});
    if (!format) {
        return exit_usage;
    }
    const auto db = open_existing_store(ctx, false);
    if (!db) {
        return exit_failure;
    }
    const bool writer =
        db->on_postgresql() ? db->writer_active() : store::WriteLock::held_by_other(db->path());
    const auto findings = db->check(writer);
    const auto scans = db->scans();
    std::size_t errors = 0;
    for (const auto& f : findings) {
        errors += f.error ? 1 : 0;
    }
    std::size_t complete = 0;
    for (const auto& s : scans) {
        complete += s.status == store::ScanStatus::complete ? 1 : 0;
    }
    if (*format == report::Format::json) {
        report::JsonWriter w;
        w.begin_document();
        w.field("database", db->path());
        w.field("status", errors ? "damaged" : "ok");
        w.field("schema", static_cast<std::int64_t>(db->schema_version()));
        w.field("scans", static_cast<std::int64_t>(scans.size()));
        w.field("complete", static_cast<std::int64_t>(complete));
        w.field("writer_active", writer);
        w.key("findings").begin_array();
        for (const auto& f : findings) {
            w.begin_object();
            w.field("severity", f.error ? "error" : "warning");
            w.field("text", f.text);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        ctx.print(w.str());
        return errors ? exit_failure : exit_ok;
    }
    for (const auto& f : findings) {
        fmt::print(ctx.out, "{}: {}\n", f.error ? "error" : "warning",
                   model::sanitize_terminal(f.text));
    }
    ctx.print(fmt::format("{}: {}; schema {}, {} scans ({} complete), {}{}\n", db->path(),
                          errors ? "damaged" : "ok", db->schema_version(), scans.size(), complete,
                          db->on_postgresql() ? "on PostgreSQL" : size_of(db->path()),
                          writer ? "; another run is writing it now" : ""));
    return errors ? exit_failure : exit_ok;
}

} // namespace

Handler setup_prune(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<PruneOptions>();
    auto* days =
        sub.add_option("--keep-days", opt->keep_days, "Remove scans started more than N days ago")
            ->check(CLI::Range(1, 100000))
            ->type_name("N");
    // One rule of what to keep: with both, one would silently win.
    sub.add_option("--keep", opt->keep, "Keep only the newest N scans (not with --keep-days)")
        ->check(CLI::Range(1, 10000000))
        ->type_name("N")
        ->excludes(days);
    sub.add_flag("--dry-run", opt->dry_run, "Say what would be removed; change nothing");
    return [opt](RunContext& ctx) {
        return run_prune(ctx, *opt);
    };
}

Handler setup_db(CLI::App& sub, GlobalOptions& global) {
    sub.require_subcommand(1, 1);
    auto* check = sub.add_subcommand(
        "check", "Check the database: SQLite integrity, references, scans left unfinished");
    add_global_options(*check, global);
    return [](RunContext& ctx) {
        return run_check(ctx);
    };
}

} // namespace netinv::cli
