// SPDX-License-Identifier: Apache-2.0
//
// The command line: parse first, run second. CLI11 parses into option structs; a parse error
// (or --help) is answered here with CLI11's text and mapped to exit code 2 (0 for help); then the
// chosen command's handler runs and returns the exit code. The project's one exception type is
// caught once, here, and printed as "netinv: error: ...".
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "model/error.hpp"
#include "model/text.hpp"
#include "report/i18n.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

// Every subcommand, in the order --help lists them.
constexpr std::array<Command, 16> k_commands = {{
    {"scan", "Poll the configured targets and store one scan in the database", setup_scan},
    {"audit", "The nightly job: scan, diff, gap report, reports; exit code for cron", setup_audit},
    {"scans", "List the scans in the database, newest first", setup_scans},
    {"diff", "What changed between two complete scans (default: the last two)", setup_diff},
    {"devices", "List the devices of the latest complete scan", setup_devices},
    {"show", "Show one device of the latest complete scan in full", setup_show},
    {"search", "Find devices by name, address or prefix, MAC, serial or neighbour", setup_search},
    {"probe", "Poll one device now, without configuration or database", setup_probe},
    {"gaps", "Report how far the network is from the plan's objectives", setup_gaps},
    {"ipv6", "IPv6 readiness: per-device checklist (work list) or summary by level", setup_ipv6},
    {"discover", "Sweep address ranges for SNMP agents and print what answered", setup_discover},
    {"config", "Check the configuration and the plan, or list the targets", setup_config},
    {"prune", "Remove old scans from the database, keeping the rest whole", setup_prune},
    {"db", "Check the database's integrity and explain what is wrong", setup_db},
    {"export", "Write the latest scan as files another inventory imports (netbox)", setup_export},
    {"import", "Store a walk captured on site (snmpwalk -On, snmprec) as a target's observation",
     setup_import},
}};

constexpr const char* k_exit_codes = R"(Exit codes:
  0  success; every target answered; nothing found
  1  could not do its job: the database cannot be used (damaged, full), the device asked
     for is not there, the scan was interrupted
  2  bad command line or configuration
  3  the scan finished, but some targets did not answer or refused the credentials
  4  gaps, ipv6, diff: no complete scan to report on
  5  another netinv run holds the database's write lock (scan, audit, prune)
  6  findings: gaps found an unmet objective, diff a regression, ipv6 checklist an action,
     audit one of its --fail-on conditions (6 wins over 3)
  A cron wrapper reads 1, 2, 4, 5 as "look at the installation", 3 and 6 as "look at the
  network".

Run 'netinv COMMAND --help' for a command's options; see netinv(1) and inventory.toml(5).)";

} // namespace

void add_timeout_options(CLI::App& app, int& timeout_ms, int& retries) {
    app.add_option("--timeout-ms", timeout_ms, "Time to wait for each answer")
        ->check(CLI::Range(1, 600000))
        ->capture_default_str();
    app.add_option("--retries", retries, "Extra tries after a timeout")
        ->check(CLI::Range(0, 10))
        ->capture_default_str();
}

void add_global_options(CLI::App& app, GlobalOptions& g) {
    app.add_option("--config", g.config,
                   "Configuration file (default: $NETINV_CONFIG, "
                   "$XDG_CONFIG_HOME/netinv/inventory.toml, /etc/netinv/inventory.toml)")
        ->type_name("FILE");
    app.add_option("--db", g.db,
                   "Database: a SQLite file (default: $NETINV_DB; for the netinv user "
                   "/var/lib/netinv/inventory.db; else $XDG_DATA_HOME/netinv/inventory.db), or "
                   "a PostgreSQL server shared by several pollers, postgresql://USER@HOST/DB "
                   "(the password from $PGPASSWORD or ~/.pgpass, never in the URL)")
        ->type_name("DB");
    app.add_option("--poller", g.poller,
                   "The poller this run writes as: scans, imports and what polling learned are "
                   "per poller, and reports read each target's latest observation across "
                   "pollers (default: none, the one poller of the database)")
        ->type_name("NAME")
        ->check([](const std::string& v) -> std::string {
            if (v.empty() || v.size() > 64 || !std::ranges::all_of(v, [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                           c == '.';
                })) {
                return "a poller's name is 1 to 64 letters, digits, '-', '_' or '.'";
            }
            return {};
        });
    app.add_option("--format", g.format,
                   "Output format: table, json or csv (not every command "
                   "has every format)")
        ->check(CLI::IsMember({"table", "json", "csv", "toml", "markdown", "html"}))
        ->type_name("FORMAT");
    app.add_flag("--csv-bom", g.csv_bom,
                 "Start CSV output with a UTF-8 byte order mark, so that Excel reads Vietnamese "
                 "names right");
    app.add_option("--lang", g.lang,
                   "Language of report labels: en or vi (default: from LC_ALL, LC_MESSAGES or "
                   "LANG: vi for vi_VN.UTF-8, else en)")
        ->check(CLI::IsMember({"en", "vi"}));
    app.add_option("--color", g.color,
                   "Colour in terminal tables: auto (on a terminal, unless NO_COLOR is set), "
                   "always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->type_name("WHEN")
        ->capture_default_str();
    app.add_flag("-q,--quiet", g.quiet,
                 "Print only errors and results: no per-target lines, warnings or summary");
    app.add_flag("-v,--verbose", g.verbose, "Also say which configuration and database are used");
}

void RunContext::print(std::string_view text) const {
    if (global.csv_bom && global.format == "csv" && !m_bom_written) {
        m_bom_written = true;
        std::fwrite("\xEF\xBB\xBF", 1, 3, out);
    }
    std::fwrite(text.data(), 1, text.size(), out);
    std::fflush(out);
}

void RunContext::error(std::string_view text) const {
    // Messages quote what the user typed and what agents sent: never raw control bytes.
    fmt::print(err, "netinv: error: {}\n", model::sanitize_terminal_lines(text));
}

void RunContext::warning(std::string_view text) const {
    if (!global.quiet) {
        fmt::print(err, "netinv: warning: {}\n", model::sanitize_terminal_lines(text));
    }
}

void RunContext::note(std::string_view text) const {
    if (global.verbose && !global.quiet) {
        fmt::print(err, "netinv: {}\n", text);
    }
}

namespace {

// Where the configuration is looked for when none is named: the user's, then the system's.
// ./inventory.toml is not among them: a file in the current folder silently winning over
// /etc/netinv surprises whoever runs netinv from cron or from another folder.
std::vector<std::string> config_search_path() {
    std::vector<std::string> out;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg == '/') {
        out.push_back(std::string(xdg) + "/netinv/inventory.toml");
    } else if (const char* home = std::getenv("HOME"); home && *home == '/') {
        out.push_back(std::string(home) + "/.config/netinv/inventory.toml");
    }
    out.emplace_back("/etc/netinv/inventory.toml");
    // Where `cmake --install` put it, when that is not /etc (a prefix of /usr/local).
    if (std::string_view(NETINV_CONFDIR) != "/etc/netinv") {
        out.emplace_back(NETINV_CONFDIR "/inventory.toml");
    }
    return out;
}

bool config_named(const GlobalOptions& g) {
    const char* env = std::getenv("NETINV_CONFIG");
    return !g.config.empty() || (env && *env);
}

} // namespace

std::string RunContext::config_path() const {
    if (!global.config.empty()) {
        return global.config;
    }
    if (const char* env = std::getenv("NETINV_CONFIG"); env && *env) {
        return env;
    }
    const auto places = config_search_path();
    std::error_code ec;
    for (const auto& p : places) {
        if (std::filesystem::exists(p, ec)) {
            return p;
        }
    }
    return places.back(); // the loader then says it cannot be read; see config_search_note
}

std::string RunContext::config_search_note() const {
    std::error_code ec;
    if (config_named(global) || std::filesystem::exists(config_path(), ec)) {
        return {};
    }
    std::string where;
    for (const auto& p : config_search_path()) {
        where += where.empty() ? p : " or " + p;
    }
    return fmt::format("no configuration named and none at {}; name one with --config FILE or "
                       "$NETINV_CONFIG (./inventory.toml is read only when named)",
                       where);
}

namespace {

// The database when neither --db nor $NETINV_DB names one: the configuration's `db`, else the
// netinv user's or the user's own file (its folder created).
std::string default_db_path(const std::string& config_path) {
    // The configuration's `db` first (a central PostgreSQL store named once, for every command).
    if (auto configured = configured_db(config_path)) {
        return *configured;
    }
    std::filesystem::path base;
    // The netinv system user (a service or cron job run as that user) keeps its database
    // where systemd's StateDirectory=netinv puts it.
    if (const passwd* pw = ::getpwuid(::geteuid());
        pw && std::string_view(pw->pw_name) == "netinv" &&
        std::filesystem::is_directory("/var/lib/netinv")) {
        return "/var/lib/netinv/inventory.db";
    }
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
        base = xdg;
    } else if (const char* home = std::getenv("HOME"); home && *home) {
        base = std::filesystem::path(home) / ".local" / "share";
    } else {
        throw Error("cannot place the database: neither $XDG_DATA_HOME nor $HOME is set; use "
                    "--db or $NETINV_DB");
    }
    const auto dir = base / "netinv";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw Error(fmt::format("{}: cannot create the folder: {}", dir.string(), ec.message()));
    }
    return (dir / "inventory.db").string();
}

} // namespace

std::string RunContext::db_path() const {
    if (!global.db.empty()) {
        return global.db;
    }
    if (const char* env = std::getenv("NETINV_DB"); env && *env) {
        return env;
    }
    // Asked several times a run; the configuration is read for it once.
    if (!m_default_db) {
        m_default_db = default_db_path(config_path());
    }
    return *m_default_db;
}

std::optional<report::Format>
RunContext::format(std::string_view command,
                   std::initializer_list<report::Format> supported) const {
    if (global.format.empty()) {
        return *supported.begin();
    }
    auto f = report::format_from_string(global.format);
    if (f && std::ranges::find(supported, *f) != supported.end()) {
        return f;
    }
    std::string names;
    for (auto s : supported) {
        names += names.empty() ? "" : ", ";
        names += report::to_string(s);
    }
    error(fmt::format("{}: --format {} is not supported (use {})", command, global.format, names));
    return std::nullopt;
}

namespace {

std::unique_ptr<store::Store> open_for_reading(const RunContext& ctx) {
    const std::string path = ctx.db_path();
    if (store::is_postgresql(path)) {
        // A reader never creates the schema, nor needs more than to read.
        auto db =
            std::make_unique<store::Store>(path, store::Store::Mode::read_only, "netinv (reading)");
        db->set_poller(ctx.global.poller);
        return db;
    }
    if (!std::filesystem::exists(path)) {
        ctx.error(fmt::format("{}: no database yet; run 'netinv scan' first", path));
        return nullptr;
    }
    // A reader who may not write the file (a manager reading the administrator's database)
    // opens it read-only rather than not at all.
    if (::access(path.c_str(), W_OK) != 0) {
        return std::make_unique<store::Store>(path, store::Store::Mode::read_only);
    }
    try {
        return std::make_unique<store::Store>(path, store::Store::Mode::read_write);
    } catch (const Error& e) {
        // Nor does a file system that is full (or went read-only) stop a reader: what is
        // stored is read as it is, and the reason the file cannot be written is said.
        try {
            auto db = std::make_unique<store::Store>(path, store::Store::Mode::read_only);
            ctx.warning(fmt::format("{}; reading it read-only", e.what()));
            return db;
        } catch (const Error&) {
            throw e;
        }
    }
}

} // namespace

std::unique_ptr<store::Store> open_existing_store(const RunContext& ctx, bool warn_damage) {
    auto db = open_for_reading(ctx);
    if (db && warn_damage) {
        if (const auto damage = db->damage(); !damage.empty()) {
            ctx.warning(fmt::format("{}: damaged ({}); what follows may be wrong: see 'netinv db "
                                    "check'",
                                    db->path(), damage));
        }
    }
    return db;
}

bool writable_whole(const RunContext& ctx, const store::Store& db) {
    const auto damage = db.damage();
    if (damage.empty()) {
        return true;
    }
    ctx.error(fmt::format("{}: damaged ({}); nothing written: restore it from a backup (see "
                          "'netinv db check')",
                          db.path(), damage));
    return false;
}

std::optional<model::Config> load_config(const RunContext& ctx, bool secrets) {
    LoadOptions lo;
    if (secrets) {
        lo.getenv = process_getenv;
    } else {
        lo.resolve_secrets = false;
    }
    auto loaded = load_config_file(ctx.config_path(), lo);
    for (const auto& w : loaded.warnings) {
        ctx.warning(w);
    }
    if (!loaded.config) {
        for (const auto& e : loaded.errors) {
            fmt::print(ctx.err, "{}\n", e);
        }
        if (const auto note = ctx.config_search_note(); !note.empty()) {
            ctx.error(note);
        }
        return std::nullopt;
    }
    use_time_zone(loaded.config->time_zone);
    return std::move(loaded.config);
}

std::string iso_utc(std::chrono::system_clock::time_point t) {
    // gmtime_r, not fmt's time_point formatter: fmt 9 (Debian 12) formats a time_point in the
    // process's local zone, which is the province's (use_time_zone).
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string local_date(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

void use_time_zone(const std::string& zone) {
    std::error_code ec;
    std::string tz;
    if (zone == "UTC") {
        tz = "UTC0";
    } else if (std::filesystem::is_regular_file("/usr/share/zoneinfo/" + zone, ec)) {
        tz = ":" + zone;
    } else if (zone == "Asia/Ho_Chi_Minh") {
        tz = "<+07>-7"; // no daylight saving time since 1975: the rule tzdata holds
    } else {
        tz = "UTC0"; // the loader refused it; never the server's own zone by accident
    }
    ::setenv("TZ", tz.c_str(), 1);
    ::tzset();
}

std::string shown_time(const std::string& iso) {
    const auto t = parse_iso_utc(iso);
    if (!t) {
        return iso;
    }
    const std::time_t tt = std::chrono::system_clock::to_time_t(*t);
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[48];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %Z", &tm);
    return buf;
}

std::optional<std::chrono::system_clock::time_point> parse_iso_utc(std::string_view text) {
    std::tm tm{};
    char z = 0;
    const std::string s(text);
    if (s.size() != 20 ||
        std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 ||
        z != 'Z') {
        return std::nullopt;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const std::time_t t = timegm(&tm);
    if (t == static_cast<std::time_t>(-1)) {
        return std::nullopt;
    }
    return std::chrono::system_clock::from_time_t(t);
}

std::string language_from_locale(const char* lc_all, const char* lc_messages, const char* lang) {
    for (const char* v : {lc_all, lc_messages, lang}) {
        if (v && *v) {
            const std::string_view l(v);
            return l == "vi" || l.starts_with("vi_") || l.starts_with("vi.") ? "vi" : "en";
        }
    }
    return "en";
}

bool color_wanted(std::string_view when, bool tty, const char* no_color, const char* term) {
    if (when == "always" || when == "never") {
        return when == "always";
    }
    return tty && (no_color == nullptr || *no_color == '\0') &&
           (term == nullptr || std::string_view(term) != "dumb");
}

std::string locale_dir() {
    namespace fs = std::filesystem;
    const auto holds = [](const fs::path& d) {
        std::error_code ec;
        return fs::is_regular_file(d / "vi" / "LC_MESSAGES" / "netinv.mo", ec);
    };
    if (const char* env = std::getenv("NETINV_LOCALEDIR"); env && *env) {
        return holds(env) ? std::string(env) : "";
    }
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        // build/cli/netinv and /usr/bin/netinv: one folder up; build/tests/unit/...: two.
        for (const fs::path& d :
             {exe.parent_path().parent_path() / "share" / "locale",
              exe.parent_path().parent_path().parent_path() / "share" / "locale"}) {
            if (holds(d)) {
                return d.string();
            }
        }
    }
    return holds(NETINV_LOCALEDIR) ? std::string(NETINV_LOCALEDIR) : "";
}

bool use_language(const std::string& lang) {
    if (lang != "vi") {
        return true;
    }
    if (report::have_catalog()) {
        return true;
    }
    const std::string dir = locale_dir();
    return !dir.empty() && report::use_catalog(dir);
}

int run(int argc, char** argv) {
    // The province's time until a configuration names another (commands without one too).
    use_time_zone(model::Config{}.time_zone);
    RunContext ctx;
    CLI::App app{"netinv: SNMP inventory of the province's network, kept in SQLite", "netinv"};
    app.footer(k_exit_codes);
    bool version = false;
    app.add_flag("--version", version, "Print the version and exit");
    add_global_options(app, ctx.global);
    std::map<const CLI::App*, Handler> handlers;
    for (const Command& c : k_commands) {
        CLI::App* sub = app.add_subcommand(c.name, c.summary);
        add_global_options(*sub, ctx.global);
        sub->footer("Exit codes: see 'netinv --help'.");
        handlers[sub] = c.setup(*sub, ctx.global);
        // The global options after a nested command too (`export netbox --db FILE`).
        for (CLI::App* nested : sub->get_subcommands({})) {
            if (nested->get_option_no_throw("--db") == nullptr) {
                add_global_options(*nested, ctx.global);
            }
        }
    }
    app.require_subcommand(0, 1);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? exit_ok : exit_usage;
    }
    if (ctx.global.lang.empty()) {
        ctx.global.lang = language_from_locale(std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"),
                                               std::getenv("LANG"));
    }
    ctx.global.use_color = color_wanted(ctx.global.color, ::isatty(::fileno(ctx.out)) == 1,
                                        std::getenv("NO_COLOR"), std::getenv("TERM"));
    if (!use_language(ctx.global.lang)) {
        ctx.warning("no Vietnamese catalog (vi/LC_MESSAGES/netinv.mo) under $NETINV_LOCALEDIR, "
                    "share/locale beside netinv or " NETINV_LOCALEDIR ": reports are in English");
        ctx.global.lang = "en";
    }
    if (version) {
        ctx.print(fmt::format("netinv {}\n", NETINV_VERSION));
        return exit_ok;
    }
    const auto chosen = app.get_subcommands();
    if (chosen.empty()) {
        std::fputs(app.help().c_str(), stderr);
        return exit_usage;
    }
    try {
        return handlers.at(chosen.front())(ctx);
    } catch (const Error& e) {
        ctx.error(e.what());
        return exit_failure;
    } catch (const std::exception& e) {
        ctx.error(fmt::format("unexpected failure: {}", e.what()));
        return exit_failure;
    }
}

} // namespace netinv::cli
