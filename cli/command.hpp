// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/config.hpp"
#include "report/device.hpp"

namespace CLI {
class App;
}

namespace netinv::store {
class Store;
}

namespace netinv::cli {

// Exit codes: a contract with cron users, documented in --help and netinv(1).
enum ExitCode : int {
    exit_ok = 0,             // everything done; every target answered
    exit_failure = 1,        // could not do its job (database, no such device, interrupted)
    exit_usage = 2,          // bad command line or configuration
    exit_targets_failed = 3, // the scan finished but some targets did not answer
    exit_no_scan = 4,        // gaps, ipv6, diff: no complete scan to report on
    exit_locked = 5,         // another run holds the database's write lock
    exit_findings = 6        // gaps, diff, ipv6 checklist, audit: ran, and found something
};

// The report language the locale asks for, as POSIX orders the variables: the first set of
// LC_ALL, LC_MESSAGES, LANG; "vi" when it is Vietnamese (vi, vi_VN.UTF-8, ...), else "en".
std::string language_from_locale(const char* lc_all, const char* lc_messages, const char* lang);

// Where netinv's message catalogs are: $NETINV_LOCALEDIR, else share/locale beside the
// executable's folder (the build folder, or the prefix it is installed in), else the locale
// folder of the configured install prefix. "" when none holds vi/LC_MESSAGES/netinv.mo.
std::string locale_dir();
// Loads the Vietnamese catalog for --lang vi; false (and English reports) when it is missing.
bool use_language(const std::string& lang);

// Options every command takes, before or after the command name.
struct GlobalOptions {
    std::string config;
    std::string db;
    std::string poller; // --poller: the name this run writes its scans as; "" for the only one
    std::string format;
    std::string lang; // --lang; empty: from the locale (language_from_locale), resolved by run()
    report::Lang language() const { return lang == "vi" ? report::Lang::vi : report::Lang::en; }
    bool quiet = false;
    bool verbose = false;
    bool csv_bom = false;       // --csv-bom: a UTF-8 BOM before CSV output, for Excel
    std::string color = "auto"; // --color: auto, always, never
    bool use_color = false;     // resolved by run() (color_wanted)
};

// Whether terminal tables get colour: --color always or never decides; auto means colour when
// the output is a terminal, NO_COLOR is unset or empty (no-color.org) and TERM is not "dumb".
bool color_wanted(std::string_view when, bool tty, const char* no_color, const char* term);

// What a command runs with: options, the output streams and the clock. No command reaches for
// globals; tests and the scan engine see the same context.
struct RunContext {
    GlobalOptions global;
    std::FILE* out = stdout;
    std::FILE* err = stderr;
    std::function<std::chrono::system_clock::time_point()> now = [] {
        return std::chrono::system_clock::now();
    };

    void print(std::string_view text) const;
    // "netinv: error: TEXT" on stderr, always.
    void error(std::string_view text) const;
    // "netinv: warning: TEXT" on stderr, unless --quiet.
    void warning(std::string_view text) const;
    // A plain note on stderr, only with --verbose.
    void note(std::string_view text) const;

    // The config file: --config, $NETINV_CONFIG, ./inventory.toml, /etc/netinv/inventory.toml.
    // --config, $NETINV_CONFIG, $XDG_CONFIG_HOME/netinv/inventory.toml (~/.config/netinv),
    // /etc/netinv/inventory.toml: the first that exists (the last when none does).
    std::string config_path() const;
    // When no configuration was named and none exists where it is looked for: a line saying
    // where netinv looked and how to name one; "" otherwise.
    std::string config_search_note() const;
    // The database: --db, $NETINV_DB, $XDG_DATA_HOME/netinv/inventory.db (folder created); a
    // file, or a PostgreSQL connection string (postgresql://...).
    std::string db_path() const;
    // The output format: the command's --format when given, else `fallback`; nullopt (after an
    // error message) when the command does not support it.
    std::optional<report::Format> format(std::string_view command,
                                         std::initializer_list<report::Format> supported) const;

private:
    mutable bool m_bom_written = false;
    mutable std::optional<std::string> m_default_db; // db_path() past --db and $NETINV_DB
};

// The database of ctx.db_path() when it exists (migrated if older); nullptr, after saying
// "no database yet", when it does not. Commands that only read never create one.
// Opens the database for reading. A damaged one (the errors 'netinv db check' lists) is still
// read, with a warning, unless `warn_damage` is false ('db check' itself says it all).
std::unique_ptr<store::Store> open_existing_store(const RunContext& ctx, bool warn_damage = true);
// For the commands that write (scan, audit, prune): false, with an error, when the database
// is damaged; nothing is written into a file that needs restoring from a backup.
bool writable_whole(const RunContext& ctx, const store::Store& db);

// The configuration (--config etc.), its secrets resolved only when `secrets`; nullopt after
// printing every error as FILE:LINE:COL (exit code 2). Warnings are printed unless --quiet.
std::optional<model::Config> load_config(const RunContext& ctx, bool secrets);

// ISO 8601 UTC text of a time point, to the second ("2026-11-27T09:38:29Z").
std::string iso_utc(std::chrono::system_clock::time_point t);
// The local calendar date of a time point ("2026-11-27"), as admins name their nights.
std::string local_date(std::chrono::system_clock::time_point t);
// Makes `zone` (Config::time_zone) the time zone of every local time this process shows.
void use_time_zone(const std::string& zone);
// An ISO 8601 UTC time as people read it in that zone ("2026-12-03 01:46 +07"); the text
// itself when it is not such a time.
std::string shown_time(const std::string& iso);
// The inverse of iso_utc; nullopt for any other text.
std::optional<std::chrono::system_clock::time_point> parse_iso_utc(std::string_view text);

using Handler = std::function<int(RunContext&)>;

// One subcommand: its name, a one-line summary, and a setup function that adds its options to
// the CLI11 subcommand (and any nested ones) and returns the handler to run once parsing succeeded.
struct Command {
    const char* name;
    const char* summary;
    Handler (*setup)(CLI::App& sub, GlobalOptions& global);
};

Handler setup_scan(CLI::App& sub, GlobalOptions& global);
Handler setup_devices(CLI::App& sub, GlobalOptions& global);
Handler setup_show(CLI::App& sub, GlobalOptions& global);
Handler setup_probe(CLI::App& sub, GlobalOptions& global);
Handler setup_ipv6(CLI::App& sub, GlobalOptions& global);
Handler setup_diff(CLI::App& sub, GlobalOptions& global);
Handler setup_audit(CLI::App& sub, GlobalOptions& global);
Handler setup_prune(CLI::App& sub, GlobalOptions& global);
Handler setup_db(CLI::App& sub, GlobalOptions& global);
Handler setup_export(CLI::App& sub, GlobalOptions& global);
Handler setup_import(CLI::App& sub, GlobalOptions& global);
Handler setup_config(CLI::App& sub, GlobalOptions& global);
Handler setup_discover(CLI::App& sub, GlobalOptions& global);
Handler setup_gaps(CLI::App& sub, GlobalOptions& global);
Handler setup_scans(CLI::App& sub, GlobalOptions& global);
Handler setup_search(CLI::App& sub, GlobalOptions& global);

// Adds --timeout-ms and --retries, for the commands that poll without a configuration.
void add_timeout_options(CLI::App& app, int& timeout_ms, int& retries);

// Adds --config, --db, --format, --quiet and --verbose to `app`, bound to `g`; every command and
// subcommand takes them, before or after its name.
void add_global_options(CLI::App& app, GlobalOptions& g);

// Entry point of the executable.
int run(int argc, char** argv);

} // namespace netinv::cli
