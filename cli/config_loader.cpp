// SPDX-License-Identifier: Apache-2.0
//
// inventory.toml loader. toml++ parses the text; this file checks every table against the keys
// it may hold (suggesting the closest one for a typo), checks types and ranges, resolves each
// credential's secrets (environment variable or a private secrets file; a literal only for a
// v1/v2c community, with a warning), and cross-checks targets: unique names, valid addresses,
// defined credentials. All problems are collected, each with FILE:LINE:COLUMN, so one run shows
// them all.
#include "cli/config_loader.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <toml++/toml.h>
#include <utility>

#include "cli/file_io.hpp"
#include "cli/identity_loader.hpp"
#include "model/error.hpp"
#include "model/net.hpp"
#include "model/text.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

// The folder of the installed data files (plan, site tables, identity rules):
// $NETINV_DATA_DIR, else share/netinv beside the executable's bin/ (/usr/bin/netinv reads
// /usr/share/netinv; an install under any --prefix finds its own).
std::filesystem::path data_dir() {
    if (const char* env = std::getenv("NETINV_DATA_DIR"); env && *env) {
        return env;
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return {};
    }
    return exe.parent_path().parent_path() / "share" / "netinv";
}

// What netinv reads of each kind of file at most: far above any real one, far below what a
// mistaken path (/dev/zero, a log file) could make it hold.
constexpr std::size_t k_max_config_file = std::size_t{4} << 20;
constexpr std::size_t k_max_site_table = std::size_t{16} << 20;
} // namespace

namespace {

using model::Credential;
using model::Selector;
using model::Target;

constexpr std::array<std::string_view, 14> k_top_keys = {
    "defaults",      "credential",     "target",       "plan", "site",
    "site_table",    "site_group",     "target_group", "ipv6", "site_kind",
    "site_settings", "identity_rules", "time_zone",    "db"};
constexpr std::array<std::string_view, 8> k_site_settings_keys = {
    "code", "tags", "formerly", "uplink", "upstream", "prefixes", "bandwidth_mbps", "description"};
constexpr std::array<std::string_view, 4> k_site_kind_keys = {"name", "label", "label_vi",
                                                              "uplink_to"};
constexpr std::array<std::string_view, 4> k_ipv6_keys = {"ula_usable", "plan_prefixes",
                                                         "management_prefixes", "approved_cpe"};
constexpr std::array<std::string_view, 3> k_default_keys = {"timeout_ms", "retries", "port"};
constexpr std::array<std::string_view, 11> k_site_keys = {
    "code",     "name",   "kind",     "parent",         "type",    "tags",
    "formerly", "uplink", "upstream", "bandwidth_mbps", "prefixes"};
constexpr std::array<std::string_view, 4> k_site_table_keys = {"file", "parent", "former", "kinds"};
constexpr std::array<std::string_view, 4> k_site_group_keys = {"kind", "under", "code", "name"};
constexpr std::array<std::string_view, 12> k_target_group_keys = {
    "site_kind",  "count",      "name",    "address",     "port",  "role",
    "credential", "timeout_ms", "retries", "description", "first", "tags"};
constexpr std::array<std::string_view, 9> k_roles = {
    "server", "router", "l3-switch", "l2-switch", "firewall", "cpe", "ups", "storage", "other"};
constexpr std::array<std::string_view, 6> k_plan_keys = {"id",           "title",     "year",
                                                         "total_budget", "objective", "project"};
constexpr std::array<std::string_view, 14> k_objective_keys = {
    "id",       "kind",    "text",     "text_vi",  "select",    "site_kind", "condition",
    "at_least", "percent", "min_mbps", "site_tag", "min_level", "deadline",  "phase"};
constexpr std::array<std::string_view, 5> k_selector_keys = {"role", "site_kind", "subtree",
                                                             "vendor", "tag"};
constexpr std::array<std::string_view, 11> k_project_keys = {"number",
                                                             "name",
                                                             "owner",
                                                             "partners",
                                                             "budget",
                                                             "provincial_recurrent",
                                                             "provincial_investment",
                                                             "central",
                                                             "own_revenue",
                                                             "notes",
                                                             "objectives"};
constexpr std::array<std::string_view, 6> k_units_columns = {"district_code", "district_name",
                                                             "district_type", "commune_code",
                                                             "commune_name",  "commune_type"};

// Amounts in billions of VND (as the plan writes them) to integer millions.
std::int64_t to_million(double billions) {
    return static_cast<std::int64_t>(std::llround(billions * 1000.0));
}

std::string format_billions(std::int64_t million) {
    return fmt::format("{}.{:02}", million / 1000, (million % 1000) / 10) +
           (million % 10 != 0 ? fmt::format("{}", million % 10) : "");
}
// "auth" and "priv" are not valid, but known: a literal passphrase gets its own message.
constexpr std::array<std::string_view, 17> k_credential_keys = {
    "version",       "community", "community_env", "community_file", "user",          "auth",
    "auth_protocol", "auth_env",  "auth_file",     "priv",           "priv_protocol", "priv_env",
    "context",       "priv_file", "timeout_ms",    "retries",        "description"};
constexpr std::array<std::string_view, 10> k_target_keys = {
    "name",       "address",    "port",    "site",        "role",
    "credential", "timeout_ms", "retries", "description", "tags"};

bool valid_name(std::string_view s) {
    if (s.empty() || s.size() > 64) {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || (i > 0 && (c == '-' || c == '_' || c == '.'));
        if (!ok) {
            return false;
        }
    }
    return true;
}

// The top-level `db`: a SQLite file (a relative path beside the configuration) or a PostgreSQL
// connection string, whose password belongs in PGPASSWORD or ~/.pgpass, never here.
struct DbKey {
    std::optional<std::string> value;
    std::string error;
    toml::source_region where;
};

DbKey db_key(const toml::table& root, const std::string& config_path) {
    DbKey out;
    const toml::node* n = root.get("db");
    if (!n) {
        return out;
    }
    out.where = n->source();
    const auto* s = n->as_string();
    if (!s || s->get().empty()) {
        out.error = "'db' must be a file name or a postgresql:// connection string";
        return out;
    }
    const std::string v = s->get();
    if (store::is_postgresql(v)) {
        if (store::has_password(v)) {
            out.error = "'db' holds a password: give it in PGPASSWORD or the private file "
                        "~/.pgpass, not in the configuration";
            return out;
        }
        out.value = v;
        return out;
    }
    std::filesystem::path p(v);
    out.value =
        p.is_relative() ? (std::filesystem::path(config_path).parent_path() / p).string() : v;
    return out;
}

class Parser {
public:
    Parser(std::string path, const LoadOptions& options)
        : m_path(std::move(path)), m_options(options) {}

    LoadResult run(std::string_view text) {
        LoadResult result;
        toml::table root;
        try {
            root = toml::parse(text, m_path);
        } catch (const toml::parse_error& e) {
            error(e.source(), std::string(e.description()));
            result.errors = std::move(m_errors);
            return result;
        }
        model::Config cfg;
        cfg.path = m_path;
        check_keys(root, k_top_keys);
        if (auto* d = table_at(root, "defaults")) {
            check_keys(*d, k_default_keys);
            if (auto v = int_in(*d, "timeout_ms", 1, 600000)) {
                cfg.timeout_ms = *v;
            }
            if (auto v = int_in(*d, "retries", 0, 10)) {
                cfg.retries = *v;
            }
            if (auto v = int_in(*d, "port", 1, 65535)) {
                cfg.port = static_cast<std::uint16_t>(*v);
            }
        }
        site_kinds(root, cfg);
        sites(root, cfg);
        if (auto* creds = table_at(root, "credential")) {
            // In the order of the file (a TOML table has none of its own): discover tries
            // them in this order.
            std::vector<std::pair<const toml::key*, const toml::node*>> ordered;
            for (auto&& [key, node] : *creds) {
                ordered.emplace_back(&key, &node);
            }
            std::ranges::stable_sort(ordered, [](const auto& a, const auto& b) {
                const auto& x = a.first->source().begin;
                const auto& y = b.first->source().begin;
                return std::tie(x.line, x.column) < std::tie(y.line, y.column);
            });
            for (auto&& [key_ptr, node_ptr] : ordered) {
                const toml::key& key = *key_ptr;
                const toml::node& node = *node_ptr;
                if (!node.is_table()) {
                    error(key.source(), fmt::format("'credential.{}' must be a table", key.str()));
                    continue;
                }
                if (!valid_name(key.str())) {
                    error(key.source(), fmt::format("invalid credential name '{}': use letters, "
                                                    "digits, '-', '_' and '.'",
                                                    key.str()));
                }
                cfg.credentials.push_back(credential(std::string(key.str()), *node.as_table()));
            }
        }
        if (auto* node = root.get("target")) {
            if (auto* arr = node->as_array(); arr && arr->is_array_of_tables()) {
                for (auto& t : *arr) {
                    if (auto tgt = target(*t.as_table(), cfg)) {
                        cfg.targets.push_back(std::move(*tgt));
                    }
                }
            } else {
                error(node->source(), "'target' must be an array of tables ([[target]])");
            }
        }
        for (const toml::table* g : tables_at(root, "target_group")) {
            target_group(*g, cfg);
        }
        check_upstreams(root, cfg);
        identity_rules(root, cfg);
        time_zone(root, cfg);
        if (auto d = db_key(root, m_path); !d.error.empty()) {
            error(d.where, d.error);
        } else {
            cfg.db = d.value;
        }
        if (auto plan = string_at(root, "plan")) {
            load_plan(*plan, root.get("plan")->source(), cfg);
        }
        if (auto* v6 = table_at(root, "ipv6")) {
            ipv6(*v6, cfg.ipv6);
        }
        result.errors = std::move(m_errors);
        result.warnings = std::move(m_warnings);
        if (result.errors.empty()) {
            result.config = std::move(cfg);
        }
        return result;
    }

private:
    void error(const toml::source_region& where, const std::string& msg) {
        m_errors.push_back(
            fmt::format("{}:{}:{}: {}", m_path, where.begin.line, where.begin.column, msg));
    }
    void warning(const toml::source_region& where, const std::string& msg) {
        m_warnings.push_back(fmt::format("{}:{}:{}: warning: {}", m_path, where.begin.line,
                                         where.begin.column, msg));
    }

    template <std::size_t N>
    void check_keys(const toml::table& t, const std::array<std::string_view, N>& allowed) {
        for (auto&& [key, node] : t) {
            if (std::ranges::find(allowed, key.str()) != allowed.end()) {
                continue;
            }
            auto hint = model::closest_match(key.str(), allowed);
            error(key.source(),
                  hint ? fmt::format("unknown key '{}' (did you mean '{}'?)", key.str(), *hint)
                       : fmt::format("unknown key '{}'", key.str()));
        }
    }

    // Where `key` itself is written in `t` (for messages about the key rather than its value).
    static toml::source_region key_source(const toml::table& t, std::string_view key) {
        auto it = t.find(key);
        return it == t.end() ? t.source() : it->first.source();
    }

    const toml::table* table_at(const toml::table& t, std::string_view key) {
        const toml::node* n = t.get(key);
        if (!n) {
            return nullptr;
        }
        if (!n->is_table()) {
            error(n->source(), fmt::format("'{}' must be a table", key));
            return nullptr;
        }
        return n->as_table();
    }

    std::optional<std::string> string_at(const toml::table& t, std::string_view key) {
        const toml::node* n = t.get(key);
        if (!n) {
            return std::nullopt;
        }
        if (!n->is_string()) {
            error(n->source(), fmt::format("'{}' must be a string", key));
            return std::nullopt;
        }
        return n->as_string()->get();
    }

    std::optional<bool> bool_at(const toml::table& t, std::string_view key) {
        const toml::node* n = t.get(key);
        if (!n) {
            return std::nullopt;
        }
        if (!n->is_boolean()) {
            error(n->source(), fmt::format("'{}' must be true or false", key));
            return std::nullopt;
        }
        return n->as_boolean()->get();
    }

    std::optional<int> int_in(const toml::table& t, std::string_view key, int lo, int hi) {
        const toml::node* n = t.get(key);
        if (!n) {
            return std::nullopt;
        }
        if (!n->is_integer() || n->as_integer()->get() < lo || n->as_integer()->get() > hi) {
            error(n->source(), fmt::format("'{}' must be an integer from {} to {}", key, lo, hi));
            return std::nullopt;
        }
        return static_cast<int>(n->as_integer()->get());
    }

    // Resolves one secret from KEY_env, KEY_file or (when allowed) the literal KEY.
    model::Secret secret(const toml::table& t, const toml::source_region& where,
                         const std::string& cred, std::string_view key, bool literal_allowed,
                         bool required) {
        const std::string env_key = fmt::format("{}_env", key);
        const std::string file_key = fmt::format("{}_file", key);
        const toml::node* lit = t.get(key);
        const toml::node* env = t.get(env_key);
        const toml::node* file = t.get(file_key);
        const int given = (lit != nullptr) + (env != nullptr) + (file != nullptr);
        if (given > 1) {
            error(where, fmt::format("credential '{}' gives more than one of '{}', '{}' and '{}'",
                                     cred, key, env_key, file_key));
            return {};
        }
        if (given == 0) {
            if (required) {
                error(where,
                      fmt::format("credential '{}' needs '{}' or '{}'", cred, env_key, file_key));
            }
            return {};
        }
        if (lit) {
            auto value = string_at(t, key);
            if (!literal_allowed) {
                error(key_source(t, key), fmt::format("a literal '{}' is not allowed in the "
                                                      "configuration; use '{}' or '{}'",
                                                      key, env_key, file_key));
                return {};
            }
            if (value && value->empty()) {
                error(lit->source(), fmt::format("'{}' is empty", key));
                return {};
            }
            warning(lit->source(), fmt::format("credential '{}' has a literal {}; prefer '{}' or "
                                               "'{}' so the secret stays out of this file",
                                               cred, key, env_key, file_key));
            return value ? model::Secret(*value) : model::Secret{};
        }
        if (env) {
            auto name = string_at(t, env_key);
            if (!name || !m_options.resolve_secrets) {
                return {};
            }
            auto value = m_options.getenv ? m_options.getenv(*name) : std::nullopt;
            if (!value || value->empty()) {
                error(env->source(), fmt::format("environment variable {} ({} of credential '{}') "
                                                 "is not set",
                                                 *name, env_key, cred));
                return {};
            }
            return model::Secret(*value);
        }
        auto path = string_at(t, file_key);
        if (!path || !m_options.resolve_secrets) {
            return {};
        }
        return read_secret_file(*path, file->source());
    }

    model::Secret read_secret_file(const std::string& given, const toml::source_region& where) {
        std::filesystem::path p(given);
        if (p.is_relative()) {
            p = std::filesystem::path(m_path).parent_path() / p;
        }
        auto line = cli::read_secret_file(p.string());
        if (!line) {
            error(where, line.error());
            return {};
        }
        return model::Secret(*line);
    }

    Credential credential(std::string name, const toml::table& t) {
        check_keys(t, k_credential_keys);
        Credential c;
        c.name = std::move(name);
        const auto& where = t.source();
        auto version = string_at(t, "version");
        if (!version) {
            if (!t.get("version")) {
                error(where, fmt::format("credential '{}' is missing 'version' (\"1\", \"2c\" or "
                                         "\"3\")",
                                         c.name));
            }
            return c;
        }
        auto v = model::snmp_version_from_string(*version);
        if (!v) {
            error(t.get("version")->source(),
                  fmt::format("invalid version '{}': use \"1\", \"2c\" or \"3\"", *version));
            return c;
        }
        c.version = *v;
        c.timeout_ms = int_in(t, "timeout_ms", 1, 600000);
        c.retries = int_in(t, "retries", 0, 10);
        if (c.version != model::SnmpVersion::v3) {
            for (std::string_view k : {"user", "auth_protocol", "auth_env", "auth_file",
                                       "priv_protocol", "priv_env", "priv_file", "context"}) {
                if (t.get(k)) {
                    error(key_source(t, k),
                          fmt::format("'{}' applies only to SNMPv3 credentials", k));
                }
            }
            c.community = secret(t, where, c.name, "community", true, true);
            return c;
        }
        for (std::string_view k : {"community", "community_env", "community_file"}) {
            if (t.get(k)) {
                error(key_source(t, k),
                      fmt::format("'{}' applies only to SNMPv1/v2c credentials", k));
            }
        }
        if (auto user = string_at(t, "user"); user && !user->empty()) {
            c.user = *user;
        } else if (!t.get("user")) {
            error(where, fmt::format("credential '{}' is missing 'user'", c.name));
        }
        if (auto a = string_at(t, "auth_protocol")) {
            if (auto p = model::auth_proto_from_string(*a)) {
                c.auth = *p;
                if (model::is_weak(*p)) {
                    warning(t.get("auth_protocol")->source(),
                            fmt::format("credential '{}': auth_protocol '{}' is weak (broken "
                                        "since 2004); use sha256 where the device can",
                                        c.name, *a));
                }
            } else {
                error(t.get("auth_protocol")->source(),
                      fmt::format("invalid auth_protocol '{}': use {}", *a,
                                  model::k_auth_proto_names));
            }
        }
        if (auto a = string_at(t, "priv_protocol")) {
            if (auto p = model::priv_proto_from_string(*a)) {
                c.priv = *p;
                if (model::is_weak(*p)) {
                    warning(t.get("priv_protocol")->source(),
                            fmt::format("credential '{}': priv_protocol '{}' is weak (56-bit "
                                        "keys); use aes where the device can",
                                        c.name, *a));
                }
            } else {
                error(t.get("priv_protocol")->source(),
                      fmt::format("invalid priv_protocol '{}': use {}", *a,
                                  model::k_priv_proto_names));
            }
        }
        if (auto ctx = string_at(t, "context")) {
            // contextName is an SnmpAdminString of at most 32 octets (RFC 3411).
            if (ctx->size() > 32) {
                error(t.get("context")->source(),
                      fmt::format("credential '{}': context is {} octets; SNMP allows at most 32",
                                  c.name, ctx->size()));
            }
            c.context = *ctx;
        }
        if (c.priv != model::PrivProto::none && c.auth == model::AuthProto::none) {
            error(where, fmt::format("credential '{}' has privacy without authentication; set "
                                     "'auth_protocol'",
                                     c.name));
        }
        if (c.auth != model::AuthProto::none) {
            c.auth_secret = secret(t, where, c.name, "auth", false, true);
            check_passphrase(c.auth_secret, where, c.name, "auth");
        }
        if (c.priv != model::PrivProto::none) {
            c.priv_secret = secret(t, where, c.name, "priv", false, true);
            check_passphrase(c.priv_secret, where, c.name, "priv");
        }
        return c;
    }

    void check_passphrase(const model::Secret& s, const toml::source_region& where,
                          const std::string& cred, std::string_view which) {
        // USM (RFC 3414) needs passphrases of at least 8 characters; net-snmp refuses shorter.
        if (!s.empty() && s.reveal().size() < 8) {
            error(where, fmt::format("the {} passphrase of credential '{}' is shorter than 8 "
                                     "characters, which SNMPv3 does not allow",
                                     which, cred));
        }
    }

    std::optional<Target> target(const toml::table& t, const model::Config& cfg) {
        check_keys(t, k_target_keys);
        const auto& where = t.source();
        Target tgt;
        tgt.line = static_cast<int>(where.begin.line);
        tgt.port = cfg.port;
        bool ok = true;
        auto name = string_at(t, "name");
        if (!name) {
            if (!t.get("name")) {
                error(where, "target is missing 'name'");
            }
            return std::nullopt;
        }
        tgt.name = *name;
        if (!valid_name(tgt.name)) {
            error(t.get("name")->source(),
                  fmt::format("invalid target name '{}': use letters, digits, '-', '_' and '.'",
                              model::sanitize_terminal(tgt.name)));
            ok = false;
        }
        if (auto [it, inserted] = m_target_lines.emplace(tgt.name, tgt.line); !inserted) {
            error(t.get("name")->source(), fmt::format("duplicate target name '{}' (first defined "
                                                       "at line {})",
                                                       tgt.name, it->second));
            ok = false;
        }
        if (auto addr = string_at(t, "address")) {
            if (auto ip = model::parse_ip(*addr); ip && model::never_a_device(*ip)) {
                error(t.get("address")->source(),
                      fmt::format("address '{}' of target '{}' is {}", ip->canonical, tgt.name,
                                  *model::never_a_device(*ip)));
                ok = false;
            } else if (ip) {
                tgt.address = ip->canonical;
            } else if (model::is_host_name(*addr)) {
                tgt.address = *addr;
            } else {
                error(t.get("address")->source(),
                      fmt::format("invalid address '{}' of target '{}': not an IPv4 address, "
                                  "IPv6 address or host name",
                                  model::sanitize_terminal(*addr), tgt.name));
                ok = false;
            }
        } else {
            if (!t.get("address")) {
                error(where, fmt::format("target '{}' is missing 'address'", tgt.name));
            }
            ok = false;
        }
        if (t.get("port")) {
            if (auto p = int_in(t, "port", 1, 65535)) {
                tgt.port = static_cast<std::uint16_t>(*p);
            } else {
                ok = false;
            }
        }
        tgt.site = string_at(t, "site");
        if (tgt.site && !cfg.sites.empty() && !cfg.find_site(*tgt.site)) {
            std::vector<std::string_view> codes;
            for (const auto& site : cfg.sites) {
                codes.push_back(site.code);
            }
            auto hint = model::closest_match(*tgt.site, codes);
            error(t.get("site")->source(),
                  fmt::format("target '{}' names undefined site '{}'{}", tgt.name,
                              model::sanitize_terminal(*tgt.site),
                              hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
            ok = false;
        }
        tgt.role = string_at(t, "role");
        if (tgt.role && !check_role(*tgt.role, t.get("role")->source())) {
            ok = false;
        }
        tgt.timeout_ms = int_in(t, "timeout_ms", 1, 600000);
        tgt.retries = int_in(t, "retries", 0, 10);
        tgt.tags = strings_at(t, "tags");
        if (auto creds = credential_list(t, cfg, fmt::format("target '{}'", tgt.name))) {
            tgt.credentials = std::move(*creds);
            tgt.credential = tgt.credentials.front();
        } else {
            ok = false;
        }
        if (!ok) {
            return std::nullopt;
        }
        return tgt;
    }

    std::vector<const toml::table*> tables_at(const toml::table& t, std::string_view key) {
        std::vector<const toml::table*> out;
        const toml::node* n = t.get(key);
        if (!n) {
            return out;
        }
        const auto* arr = n->as_array();
        if (!arr || !arr->is_array_of_tables()) {
            error(n->source(), fmt::format("'{}' must be an array of tables ([[{}]])", key, key));
            return out;
        }
        for (const auto& e : *arr) {
            out.push_back(e.as_table());
        }
        return out;
    }

    // The [ipv6] table: checklist policy and where C06 may poll over IPv6.
    void ipv6(const toml::table& t, model::Ipv6Policy& p) {
        check_keys(t, k_ipv6_keys);
        if (const toml::node* n = t.get("ula_usable")) {
            if (auto b = n->value<bool>()) {
                p.ula_usable = *b;
            } else {
                error(n->source(), "'ula_usable' must be true or false");
            }
        }
        auto prefixes = [&](std::string_view key) {
            std::vector<std::string> out;
            for (const auto& v : strings_at(t, key)) {
                const auto slash = v.find('/');
                const auto ip = model::parse_ip(v.substr(0, slash));
                int bits = -1;
                if (slash != std::string::npos && slash + 1 < v.size() && v.size() - slash <= 4 &&
                    std::all_of(v.begin() + static_cast<long>(slash) + 1, v.end(),
                                [](char c) { return c >= '0' && c <= '9'; })) {
                    bits = std::stoi(v.substr(slash + 1));
                }
                if (!ip || ip->family != model::Family::ipv6 || bits < 0 || bits > 128) {
                    error(
                        t.get(key)->source(),
                        fmt::format("'{}' is not an IPv6 prefix (e.g. \"2405:4800:30::/48\")", v));
                    continue;
                }
                out.push_back(fmt::format("{}/{}", ip->canonical, bits));
            }
            return out;
        };
        p.plan_prefixes = prefixes("plan_prefixes");
        p.management_prefixes = prefixes("management_prefixes");
        p.approved_cpe = strings_at(t, "approved_cpe");
    }

    // A string or an array of strings.
    std::vector<std::string> strings_at(const toml::table& t, std::string_view key) {
        std::vector<std::string> out;
        const toml::node* n = t.get(key);
        if (!n) {
            return out;
        }
        if (n->is_string()) {
            out.push_back(n->as_string()->get());
            return out;
        }
        const auto* arr = n->as_array();
        if (arr && std::all_of(arr->begin(), arr->end(),
                               [](const toml::node& e) { return e.is_string(); })) {
            for (const auto& e : *arr) {
                out.push_back(e.as_string()->get());
            }
            return out;
        }
        error(n->source(), fmt::format("'{}' must be a string or an array of strings", key));
        return out;
    }

    std::optional<double> number_at(const toml::table& t, std::string_view key, double lo,
                                    double hi) {
        const toml::node* n = t.get(key);
        if (!n) {
            return std::nullopt;
        }
        std::optional<double> v;
        if (n->is_integer()) {
            v = static_cast<double>(n->as_integer()->get());
        } else if (n->is_floating_point()) {
            v = n->as_floating_point()->get();
        }
        if (!v || !(*v >= lo && *v <= hi)) {
            error(n->source(), fmt::format("'{}' must be a number from {} to {}", key, lo, hi));
            return std::nullopt;
        }
        return v;
    }

    // A required non-empty string; an error naming the table otherwise.
    // `credential`: one name, or a list tried in order (the first that answers is used, and
    // tried first at the next scan). Every name defined, none twice.
    std::optional<std::vector<std::string>>
    credential_list(const toml::table& t, const model::Config& cfg, const std::string& owner) {
        const toml::node* n = t.get("credential");
        if (!n) {
            error(t.source(), fmt::format("{} is missing 'credential'", owner));
            return std::nullopt;
        }
        const auto* arr = n->as_array();
        if (!n->is_string() && !(arr && !arr->empty() && arr->is_homogeneous<std::string>())) {
            error(n->source(),
                  "'credential' must be a credential's name or a list of names, tried in order");
            return std::nullopt;
        }
        std::vector<std::string> names = strings_at(t, "credential");
        bool ok = true;
        for (std::size_t i = 0; i < names.size(); ++i) {
            const auto& name = names[i];
            if (!cfg.find_credential(name)) {
                std::vector<std::string_view> known;
                for (const auto& c : cfg.credentials) {
                    known.push_back(c.name);
                }
                auto hint = model::closest_match(name, known);
                error(n->source(),
                      fmt::format("{} names undefined credential '{}'{}", owner,
                                  model::sanitize_terminal(name),
                                  hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
                ok = false;
            } else if (std::find(names.begin(), names.begin() + static_cast<long>(i), name) !=
                       names.begin() + static_cast<long>(i)) {
                error(n->source(), fmt::format("{} names credential '{}' twice", owner,
                                               model::sanitize_terminal(name)));
                ok = false;
            }
        }
        if (!ok) {
            return std::nullopt;
        }
        return names;
    }

    std::optional<std::string> required_string(const toml::table& t, std::string_view key,
                                               std::string_view what) {
        auto v = string_at(t, key);
        if (!v && !t.get(key)) {
            error(t.source(), fmt::format("{} is missing '{}'", what, key));
        } else if (v && v->empty()) {
            error(t.get(key)->source(), fmt::format("'{}' is empty", key));
            return std::nullopt;
        }
        return v;
    }

    // Vietnamese names are kept in NFC: a name typed or pasted in NFD (base letters followed by
    // combining marks) is composed, so that it compares, sorts and aligns like the same name
    // written precomposed.
    static void compose(std::string& text) { text = model::to_nfc(text); }

    bool check_role(const std::string& role, const toml::source_region& where) {
        if (std::ranges::find(k_roles, role) != k_roles.end()) {
            return true;
        }
        auto hint = model::closest_match(role, k_roles);
        error(where, fmt::format("unknown role '{}'{}; roles: server, router, l3-switch, "
                                 "l2-switch, firewall, cpe, ups, storage, other",
                                 model::sanitize_terminal(role),
                                 hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
        return false;
    }

    std::optional<std::string> site_kind(const std::string& s, const toml::source_region& where) {
        if (m_kinds && m_kinds->find_kind(s)) {
            return s;
        }
        // The kinds in force (names owned here: the defaults are a temporary).
        std::vector<std::string> owned;
        for (const auto& k : m_kinds ? m_kinds->site_kinds : model::default_site_kinds()) {
            owned.push_back(k.name);
        }
        std::vector<std::string_view> names(owned.begin(), owned.end());
        std::string list;
        for (const auto& n : owned) {
            list += (list.empty() ? "" : ", ") + n;
        }
        auto hint = model::closest_match(s, names);
        error(where, fmt::format("unknown site kind '{}'{}; kinds: {}", model::sanitize_terminal(s),
                                 hint ? fmt::format(" (did you mean '{}'?)", *hint) : "", list));
        return std::nullopt;
    }

    // [[site_kind]]: the kinds the tree may use, or the 2021 province's six when none is named.
    void site_kinds(const toml::table& root, model::Config& cfg) {
        m_kinds = &cfg;
        std::vector<std::pair<std::string, toml::source_region>> rules;
        for (const toml::table* t : tables_at(root, "site_kind")) {
            check_keys(*t, k_site_kind_keys);
            auto name = required_string(*t, "name", "site_kind");
            if (!name) {
                continue;
            }
            if (!valid_name(*name)) {
                error(t->get("name")->source(),
                      fmt::format("invalid site kind name '{}': use letters, digits, '-', '_'",
                                  model::sanitize_terminal(*name)));
                continue;
            }
            if (name == "kind") {
                error(t->get("name")->source(), "'kind' is reserved (devices --by kind)");
                continue;
            }
            if (cfg.find_kind(*name)) {
                error(t->get("name")->source(), fmt::format("duplicate site kind '{}'", *name));
                continue;
            }
            model::SiteKindDef k;
            k.name = *name;
            k.label = string_at(*t, "label").value_or(*name);
            k.label_vi = string_at(*t, "label_vi").value_or(k.label);
            if (t->get("label_vi")) {
                compose(k.label_vi);
            }
            if (auto u = string_at(*t, "uplink_to")) {
                k.uplink_to = *u;
                rules.emplace_back(*u, t->get("uplink_to")->source());
            }
            cfg.site_kinds.push_back(std::move(k));
        }
        if (cfg.site_kinds.empty()) {
            cfg.site_kinds = model::default_site_kinds();
        }
        for (const auto& [rule, where] : rules) {
            if (rule != "parent" && !cfg.find_kind(rule)) {
                error(where, fmt::format("uplink_to '{}' is neither 'parent' nor a site kind",
                                         model::sanitize_terminal(rule)));
            }
        }
    }

    // `time_zone`: a zone of the system's tz database (/usr/share/zoneinfo) or UTC. Only the
    // default, Asia/Ho_Chi_Minh, also works without tzdata (cli::use_time_zone).
    void time_zone(const toml::table& root, model::Config& cfg) {
        const auto z = string_at(root, "time_zone");
        if (!z) {
            return;
        }
        const auto where = root.get("time_zone")->source();
        const bool shaped = !z->empty() && z->size() < 64 && z->front() != '/' &&
                            z->find("..") == std::string::npos &&
                            std::ranges::all_of(*z, [](char ch) {
                                return std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' ||
                                       ch == '_' || ch == '-' || ch == '+';
                            });
        if (!shaped) {
            error(where, fmt::format("'time_zone' must be a zone name such as Asia/Ho_Chi_Minh "
                                     "or UTC, not '{}'",
                                     model::sanitize_terminal(*z)));
            return;
        }
        std::error_code ec;
        if (*z != "UTC" && *z != "Asia/Ho_Chi_Minh" &&
            !std::filesystem::is_regular_file("/usr/share/zoneinfo/" + *z, ec)) {
            error(where, fmt::format("'time_zone': no zone '{}' in /usr/share/zoneinfo (is tzdata "
                                     "installed?)",
                                     *z));
            return;
        }
        cfg.time_zone = *z;
    }

    // The shipped identity rules, and first the administrator's file (`identity_rules`,
    // relative to this file), each mistake with its place.
    void identity_rules(const toml::table& root, model::Config& cfg) {
        std::string file;
        if (auto f = string_at(root, "identity_rules")) {
            file = data_file(*f).string();
        }
        auto r = load_identity_rules(file);
        for (auto& e : r.errors) {
            m_errors.push_back(std::move(e));
        }
        cfg.identity_rules = std::make_shared<const model::IdentityRules>(std::move(r.rules));
    }

    // The optional keys of a site: tags, formerly, uplink, upstream, bandwidth_mbps.
    void site_details(const toml::table& t, model::Site& site) {
        if (t.get("tags")) {
            site.tags = strings_at(t, "tags");
        }
        if (t.get("formerly")) {
            site.formerly = strings_at(t, "formerly");
            m_formerly_at.insert_or_assign(site.code, t.get("formerly")->source());
        }
        if (auto u = string_at(t, "uplink")) {
            site.uplink = u;
        }
        if (auto u = string_at(t, "upstream")) {
            site.upstream = u;
        }
        if (auto mbps = number_at(t, "bandwidth_mbps", 0.001, 1e7)) {
            site.bandwidth_bps = static_cast<std::uint64_t>(*mbps * 1e6);
        }
        if (const toml::node* n = t.get("prefixes")) {
            for (const auto& v : strings_at(t, "prefixes")) {
                auto p = model::parse_prefix(v);
                if (!p) {
                    error(n->source(),
                          fmt::format("prefixes: {}", model::sanitize_terminal(p.error())));
                    continue;
                }
                auto [it, fresh] = m_prefix_owner.try_emplace(p->text, site.code, n->source());
                if (!fresh && it->second.first != site.code) {
                    error(n->source(),
                          fmt::format("prefix {} is already the site {}'s (line {}): an address "
                                      "must belong to one site",
                                      p->text, it->second.first, it->second.second.begin.line));
                    continue;
                }
                if (std::ranges::find(site.prefixes, *p) == site.prefixes.end()) {
                    site.prefixes.push_back(std::move(*p));
                }
            }
        }
    }

    // A site's `upstream` names a target or a site; checked once every target is known.
    void check_upstreams(const toml::table& root, const model::Config& cfg) {
        for (const toml::table* t : tables_at(root, "site_settings")) {
            auto up = string_at(*t, "upstream");
            if (up && !cfg.find_target(*up) && !cfg.find_site(*up)) {
                error(t->get("upstream")->source(),
                      fmt::format("upstream '{}' is neither a target nor a site",
                                  model::sanitize_terminal(*up)));
            }
        }
        for (const toml::table* t : tables_at(root, "site")) {
            auto up = string_at(*t, "upstream");
            if (up && !cfg.find_target(*up) && !cfg.find_site(*up)) {
                error(t->get("upstream")->source(),
                      fmt::format("upstream '{}' is neither a target nor a site",
                                  model::sanitize_terminal(*up)));
            }
        }
    }

    void add_site(model::Config& cfg, model::Site site, const toml::source_region& where) {
        if (cfg.find_site(site.code)) {
            error(where, fmt::format("duplicate site code '{}'", site.code));
            return;
        }
        if (site.parent.empty()) {
            if (!cfg.sites.empty()) {
                error(where, fmt::format("site '{}' needs a 'parent': only the first site, the "
                                         "root of the tree ('{}'), has none",
                                         site.code, cfg.sites.front().code));
                return;
            }
        } else if (!cfg.find_site(site.parent)) {
            error(where, fmt::format("site '{}' names parent '{}', which is not defined before "
                                     "it",
                                     site.code, site.parent));
            return;
        }
        cfg.sites.push_back(std::move(site));
    }

    void sites(const toml::table& root, model::Config& cfg) {
        for (const toml::table* t : tables_at(root, "site")) {
            check_keys(*t, k_site_keys);
            auto code = required_string(*t, "code", "site");
            auto name = required_string(*t, "name", "site");
            auto kind_text = required_string(*t, "kind", "site");
            if (!code || !name || !kind_text) {
                continue;
            }
            auto kind = site_kind(*kind_text, t->get("kind")->source());
            if (!kind) {
                continue;
            }
            compose(*name);
            model::Site site{*code, *name, *kind, string_at(*t, "parent").value_or(""),
                             string_at(*t, "type")};
            site_details(*t, site);
            add_site(cfg, std::move(site), t->source());
        }
        for (const toml::table* t : tables_at(root, "site_table")) {
            check_keys(*t, k_site_table_keys);
            auto file = required_string(*t, "file", "site_table");
            const bool former = bool_at(*t, "former").value_or(false);
            auto parent = former ? string_at(*t, "parent").value_or("")
                                 : required_string(*t, "parent", "site_table");
            auto kinds = t->get("kinds") ? strings_at(*t, "kinds")
                                         : std::vector<std::string>{"district", "commune"};
            if (kinds.size() != 2) {
                error(t->get("kinds")->source(),
                      "'kinds' names two kinds: the table's districts' and its communes'");
                continue;
            }
            if (!former) {
                for (const auto& k : kinds) {
                    if (!site_kind(k, (t->get("kinds") ? t->get("kinds") : t)->source())) {
                        kinds.clear();
                    }
                }
            }
            if (file && parent && kinds.size() == 2) {
                site_table(*file, *parent, *t, cfg, former, kinds[0], kinds[1]);
            }
        }
        for (const toml::table* t : tables_at(root, "site_group")) {
            check_keys(*t, k_site_group_keys);
            auto kind_text = required_string(*t, "kind", "site_group");
            auto under_text = required_string(*t, "under", "site_group");
            auto code = required_string(*t, "code", "site_group");
            auto name = required_string(*t, "name", "site_group");
            if (!kind_text || !under_text || !code || !name) {
                continue;
            }
            auto kind = site_kind(*kind_text, t->get("kind")->source());
            auto under = site_kind(*under_text, t->get("under")->source());
            if (!kind || !under) {
                continue;
            }
            std::vector<model::Site> made;
            for (const auto& parent : cfg.sites) {
                if (parent.kind != *under) {
                    continue;
                }
                const std::map<std::string, std::string> vars = {{"parent_code", parent.code},
                                                                 {"parent_name", parent.name}};
                auto c = model::expand_placeholders(*code, vars);
                auto n = model::expand_placeholders(*name, vars);
                if (!c || !n) {
                    error(t->get(!c ? "code" : "name")->source(), !c ? c.error() : n.error());
                    break;
                }
                made.push_back(model::Site{*c, *n, *kind, parent.code, std::nullopt});
            }
            for (auto& site : made) {
                add_site(cfg, std::move(site), t->source());
            }
        }
        // [[site_settings]]: the same details for sites that a table or a group made.
        for (const toml::table* t : tables_at(root, "site_settings")) {
            check_keys(*t, k_site_settings_keys);
            auto code = required_string(*t, "code", "site_settings");
            if (!code) {
                continue;
            }
            auto it = std::ranges::find(cfg.sites, *code, &model::Site::code);
            if (it == cfg.sites.end()) {
                error(t->get("code")->source(),
                      fmt::format("site_settings names site '{}', which is not defined",
                                  model::sanitize_terminal(*code)));
                continue;
            }
            site_details(*t, *it);
        }
        // `formerly` names units of the tree or of a former structure, when one is loaded.
        for (const auto& site : cfg.sites) {
            for (const auto& code : site.formerly) {
                const bool known = cfg.find_site(code) ||
                                   std::ranges::find(cfg.former_sites, code, &model::Site::code) !=
                                       cfg.former_sites.end();
                if (!known && !cfg.former_sites.empty()) {
                    error(m_formerly_at.contains(site.code) ? m_formerly_at.at(site.code)
                                                            : root.source(),
                          fmt::format("site '{}': formerly names '{}', which is neither a site nor "
                                      "a unit of the former structure",
                                      site.code, model::sanitize_terminal(code)));
                }
            }
        }
    }

    // Districts and communes from a GSO units table (tab-separated, with a header naming the
    // columns district_code, district_name, district_type, commune_code, commune_name,
    // commune_type), under the site `parent`.
    // `former`: the units go to Config::former_sites (a structure before a reorganisation)
    // and need no parent. `upper` and `lower` are the kinds of the table's two levels.
    void site_table(const std::string& given, const std::string& parent, const toml::table& t,
                    model::Config& cfg, bool former, const std::string& upper,
                    const std::string& lower) {
        const std::filesystem::path p = data_file(given);
        const auto where = t.get("file")->source();
        const auto text = read_bounded_file(p.string(), k_max_site_table);
        if (!text) {
            error(where, fmt::format("cannot read site table '{}': {}", p.string(), text.error()));
            return;
        }
        std::istringstream in(*text);
        auto& into = former ? cfg.former_sites : cfg.sites;
        auto find = [&](const std::string& code) -> const model::Site* {
            auto it = std::ranges::find(into, code, &model::Site::code);
            return it == into.end() ? nullptr : &*it;
        };
        if (!former && !cfg.find_site(parent)) {
            error(t.get("parent")->source(),
                  fmt::format("site_table names parent '{}', which is not defined before it",
                              parent));
            return;
        }
        std::string line;
        int line_no = 0;
        std::map<std::string_view, std::size_t> col;
        while (std::getline(in, line)) {
            ++line_no;
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            if (line.empty()) {
                continue;
            }
            std::vector<std::string> f;
            std::size_t start = 0;
            for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos;
                 start = tab + 1) {
                f.push_back(line.substr(start, tab - start));
            }
            f.push_back(line.substr(start));
            for (auto& x : f) {
                if (model::is_valid_utf8(x)) {
                    x = model::to_nfc(x);
                }
            }
            const std::string place = fmt::format("{}:{}", p.string(), line_no);
            if (col.empty()) {
                for (std::string_view c : k_units_columns) {
                    auto it = std::ranges::find(f, c);
                    if (it == f.end()) {
                        m_errors.push_back(fmt::format("{}: missing column '{}'", place, c));
                        return;
                    }
                    col[c] = static_cast<std::size_t>(it - f.begin());
                }
                continue;
            }
            if (f.size() < k_units_columns.size()) {
                m_errors.push_back(fmt::format("{}: expected {} fields, got {}", place,
                                               k_units_columns.size(), f.size()));
                continue;
            }
            auto get = [&](std::string_view c) {
                return f[col[c]];
            };
            bool bad = false;
            for (std::string_view c : k_units_columns) {
                if (get(c).empty() || !model::is_valid_utf8(get(c))) {
                    m_errors.push_back(fmt::format("{}: '{}' is empty or not UTF-8", place, c));
                    bad = true;
                }
            }
            if (bad) {
                continue;
            }
            if (const model::Site* d = find(get("district_code"))) {
                if (d->kind != upper || d->name != get("district_name")) {
                    m_errors.push_back(fmt::format("{}: district {} is named '{}' here but '{}' "
                                                   "before",
                                                   place, get("district_code"),
                                                   get("district_name"), d->name));
                    continue;
                }
            } else {
                into.push_back(model::Site{get("district_code"), get("district_name"), upper,
                                           parent, get("district_type")});
            }
            if (find(get("commune_code"))) {
                m_errors.push_back(
                    fmt::format("{}: duplicate site code '{}'", place, get("commune_code")));
                continue;
            }
            into.push_back(model::Site{get("commune_code"), get("commune_name"), lower,
                                       get("district_code"), get("commune_type")});
        }
        if (col.empty()) {
            error(where, fmt::format("site table '{}' is empty", p.string()));
        }
    }

    // Expands a [[target_group]] into one target per site of its kind (times `count`).
    void target_group(const toml::table& t, model::Config& cfg) {
        check_keys(t, k_target_group_keys);
        auto kind_text = required_string(t, "site_kind", "target_group");
        auto name = required_string(t, "name", "target_group");
        auto address = required_string(t, "address", "target_group");
        auto role = required_string(t, "role", "target_group");
        auto creds = credential_list(t, cfg, "target_group");
        if (!kind_text || !name || !address || !role || !creds) {
            return;
        }
        auto kind = site_kind(*kind_text, t.get("site_kind")->source());
        if (!kind || !check_role(*role, t.get("role")->source())) {
            return;
        }
        const int count = t.get("count") ? int_in(t, "count", 1, 1000).value_or(0) : 1;
        // {k} runs first..first+count-1 (servers 3..6 of a site: first = 3, count = 4).
        const int first = t.get("first") ? int_in(t, "first", 0, 100000).value_or(1) : 1;
        const auto tags = strings_at(t, "tags");
        std::uint16_t port = cfg.port;
        if (t.get("port")) {
            port = static_cast<std::uint16_t>(int_in(t, "port", 1, 65535).value_or(cfg.port));
        }
        auto timeout = int_in(t, "timeout_ms", 1, 600000);
        auto retries = int_in(t, "retries", 0, 10);
        const int line = static_cast<int>(t.source().begin.line);
        std::map<std::string, int> n_of_kind;
        std::map<std::string, int> index_of; // site code -> n within its kind
        std::map<std::pair<std::string, std::string>, int> i_of_parent;
        for (const auto& site : cfg.sites) {
            const int n = ++n_of_kind[site.kind];
            index_of[site.code] = n;
            const int i = ++i_of_parent[{site.parent, site.kind}];
            if (site.kind != *kind) {
                continue;
            }
            for (int k = first; k < first + count; ++k) {
                const std::map<std::string, std::string> vars = {
                    {"code", site.code},
                    {"n", std::to_string(n)},
                    {"i", std::to_string(i)},
                    {"k", std::to_string(k)},
                    {"parent_code", site.parent},
                    {"parent_n",
                     site.parent.empty() ? "0" : std::to_string(index_of[site.parent])}};
                auto tname = model::expand_placeholders(*name, vars);
                auto taddr = model::expand_placeholders(*address, vars);
                if (!tname || !taddr) {
                    error(t.get(!tname ? "name" : "address")->source(),
                          !tname ? tname.error() : taddr.error());
                    return;
                }
                Target tgt;
                tgt.name = *tname;
                tgt.port = port;
                tgt.site = site.code;
                tgt.role = *role;
                tgt.credentials = *creds;
                tgt.credential = creds->front();
                tgt.timeout_ms = timeout;
                tgt.retries = retries;
                tgt.tags = tags;
                tgt.line = line;
                if (!valid_name(tgt.name)) {
                    error(t.get("name")->source(),
                          fmt::format("target_group makes invalid target name '{}'",
                                      model::sanitize_terminal(tgt.name)));
                    return;
                }
                if (auto ip = model::parse_ip(*taddr); ip && model::never_a_device(*ip)) {
                    error(t.get("address")->source(),
                          fmt::format("target_group makes address '{}' for site '{}', which is {}",
                                      ip->canonical, site.code, *model::never_a_device(*ip)));
                    return;
                } else if (ip) {
                    tgt.address = ip->canonical;
                } else if (model::is_host_name(*taddr)) {
                    tgt.address = *taddr;
                } else {
                    error(t.get("address")->source(),
                          fmt::format("target_group makes invalid address '{}' for site '{}'",
                                      model::sanitize_terminal(*taddr), site.code));
                    return;
                }
                if (auto [it, inserted] = m_target_lines.emplace(tgt.name, line); !inserted) {
                    error(t.get("name")->source(),
                          fmt::format("target_group makes duplicate target name '{}' (first "
                                      "defined at line {})",
                                      tgt.name, it->second));
                    return;
                }
                cfg.targets.push_back(std::move(tgt));
            }
        }
    }

    Selector selector(const toml::table& t) {
        Selector sel;
        check_keys(t, k_selector_keys);
        sel.roles = strings_at(t, "role");
        for (const auto& r : sel.roles) {
            check_role(r, t.get("role")->source());
        }
        for (const auto& k : strings_at(t, "site_kind")) {
            if (auto kind = site_kind(k, t.get("site_kind")->source())) {
                sel.site_kinds.push_back(*kind);
            }
        }
        sel.subtree = string_at(t, "subtree");
        sel.vendors = strings_at(t, "vendor");
        sel.tags = strings_at(t, "tag");
        return sel;
    }

    std::optional<model::Objective> objective(const toml::table& t) {
        check_keys(t, k_objective_keys);
        model::Objective o;
        auto id = required_string(t, "id", "objective");
        auto kind = required_string(t, "kind", "objective");
        auto text = required_string(t, "text", "objective");
        auto text_vi = required_string(t, "text_vi", "objective");
        if (!id || !kind || !text || !text_vi) {
            return std::nullopt;
        }
        o.id = *id;
        o.text = *text;
        o.text_vi = *text_vi;
        compose(o.text_vi);
        if (*kind == "count") {
            o.kind = model::ObjectiveKind::count;
        } else if (*kind == "coverage") {
            o.kind = model::ObjectiveKind::coverage;
        } else if (*kind == "ratio") {
            o.kind = model::ObjectiveKind::ratio;
        } else {
            error(t.get("kind")->source(),
                  fmt::format("invalid objective kind '{}': use count, coverage or ratio", *kind));
            return std::nullopt;
        }
        if (const toml::node* sel = t.get("select")) {
            if (sel->is_table()) {
                o.select = selector(*sel->as_table());
            } else {
                error(sel->source(), "'select' must be a table, e.g. { role = \"server\" }");
            }
        } else if (o.kind != model::ObjectiveKind::coverage) {
            error(t.source(), fmt::format("objective '{}' needs 'select'", o.id));
        }
        for (const auto& k : strings_at(t, "site_kind")) {
            if (auto sk = site_kind(k, t.get("site_kind")->source())) {
                o.site_kinds.push_back(*sk);
            }
        }
        o.site_tags = strings_at(t, "site_tag");
        if (o.kind == model::ObjectiveKind::coverage && o.site_kinds.empty() &&
            !t.get("site_kind") && o.site_tags.empty()) {
            error(t.source(),
                  fmt::format("coverage objective '{}' needs 'site_kind' or 'site_tag'", o.id));
        }
        if (const toml::node* d = t.get("deadline")) {
            if (auto date = d->as_date()) {
                o.deadline = fmt::format("{:04}-{:02}-{:02}", date->get().year, date->get().month,
                                         date->get().day);
            } else {
                error(d->source(), "'deadline' must be a date, e.g. 2025-12-31");
            }
        }
        o.phase = string_at(t, "phase");
        if (o.kind == model::ObjectiveKind::count) {
            if (!t.get("at_least")) {
                error(t.source(), fmt::format("count objective '{}' needs 'at_least'", o.id));
            }
            o.at_least = int_in(t, "at_least", 0, 1000000).value_or(0);
        } else {
            auto cond = required_string(t, "condition", "objective");
            if (cond) {
                if (std::ranges::find(model::k_conditions, *cond) == model::k_conditions.end()) {
                    auto hint = model::closest_match(*cond, model::k_conditions);
                    error(t.get("condition")->source(),
                          fmt::format("unknown condition '{}'{}", *cond,
                                      hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
                }
                o.condition = *cond;
            }
            if (!t.get("percent")) {
                error(t.source(), fmt::format("objective '{}' needs 'percent'", o.id));
            }
            o.at_least = number_at(t, "percent", 0, 100).value_or(0);
            if (auto mbps = number_at(t, "min_mbps", 0, 1e6)) {
                o.min_bps = static_cast<std::uint64_t>(*mbps * 1e6);
            }
            if (o.condition == "ipv6-level") {
                if (!t.get("min_level")) {
                    error(t.source(), fmt::format("objective '{}' with condition 'ipv6-level' "
                                                  "needs 'min_level' (0-5)",
                                                  o.id));
                }
                o.min_level = int_in(t, "min_level", 0, 5);
            } else if (t.get("min_level")) {
                error(t.get("min_level")->source(), "'min_level' goes with condition 'ipv6-level'");
            }
        }
        return o;
    }

    std::optional<model::Project> project(const toml::table& t) {
        check_keys(t, k_project_keys);
        model::Project p;
        auto number = int_in(t, "number", 1, 10000);
        if (!number && !t.get("number")) {
            error(t.source(), "project is missing 'number'");
        }
        auto name = required_string(t, "name", "project");
        auto owner = required_string(t, "owner", "project");
        if (!number || !name || !owner) {
            return std::nullopt;
        }
        p.number = *number;
        p.name = *name;
        p.owner = *owner;
        compose(p.name);
        compose(p.owner);
        p.partners = string_at(t, "partners").value_or("");
        p.notes = string_at(t, "notes").value_or("");
        auto budget = number_at(t, "budget", 0, 1e6);
        if (!budget) {
            if (!t.get("budget")) {
                error(t.source(), fmt::format("project {} is missing 'budget'", p.number));
            }
            return std::nullopt;
        }
        p.budget_million = to_million(*budget);
        p.funding.provincial_recurrent =
            to_million(number_at(t, "provincial_recurrent", 0, 1e6).value_or(0));
        p.funding.provincial_investment =
            to_million(number_at(t, "provincial_investment", 0, 1e6).value_or(0));
        p.funding.central = to_million(number_at(t, "central", 0, 1e6).value_or(0));
        p.funding.own_revenue = to_million(number_at(t, "own_revenue", 0, 1e6).value_or(0));
        const std::int64_t sum = p.funding.provincial_recurrent + p.funding.provincial_investment +
                                 p.funding.central + p.funding.own_revenue;
        if (sum != p.budget_million) {
            error(t.get("budget")->source(),
                  fmt::format("project {}: its funding sources add up to {} billion VND, not the "
                              "budget of {}",
                              p.number, format_billions(sum), format_billions(p.budget_million)));
        }
        p.objectives = strings_at(t, "objectives");
        return p;
    }

    // A data file named in the configuration: an absolute path as it is; a relative one beside
    // the configuration, else in the installed data (data_dir()), so that the shipped
    // inventory.toml copied to /etc/netinv still finds its plan and site table. Secrets are
    // never looked for there.
    std::filesystem::path data_file(const std::string& given) const {
        std::filesystem::path p(given);
        if (!p.is_relative()) {
            return p;
        }
        const auto beside = std::filesystem::path(m_path).parent_path() / p;
        std::error_code ec;
        if (std::filesystem::exists(beside, ec)) {
            return beside;
        }
        const auto dir = data_dir();
        if (!dir.empty() && std::filesystem::exists(dir / p, ec)) {
            return dir / p;
        }
        return beside; // the error names where it was expected first
    }

    void load_plan(const std::string& given, const toml::source_region& where, model::Config& cfg) {
        const std::filesystem::path p = data_file(given);
        const auto text = read_bounded_file(p.string(), k_max_config_file);
        if (!text) {
            error(where, fmt::format("cannot read plan '{}': {}", p.string(), text.error()));
            return;
        }
        // Messages about the plan name the plan's own file.
        const std::string saved = std::exchange(m_path, p.string());
        toml::table root;
        try {
            root = toml::parse(*text, m_path);
        } catch (const toml::parse_error& e) {
            error(e.source(), std::string(e.description()));
            m_path = saved;
            return;
        }
        check_keys(root, k_plan_keys);
        model::Plan plan;
        plan.id = required_string(root, "id", "plan").value_or("");
        plan.title = required_string(root, "title", "plan").value_or("");
        plan.year = int_in(root, "year", 1990, 2100).value_or(0);
        auto total = number_at(root, "total_budget", 0, 1e9);
        if (!total && !root.get("total_budget")) {
            error(root.source(), "plan is missing 'total_budget'");
        }
        plan.total_budget_million = to_million(total.value_or(0));
        std::map<std::string, int> objective_lines;
        for (const toml::table* t : tables_at(root, "objective")) {
            if (auto o = objective(*t)) {
                const int line = static_cast<int>(t->source().begin.line);
                if (auto [it, inserted] = objective_lines.emplace(o->id, line); !inserted) {
                    error(t->get("id")->source(),
                          fmt::format("duplicate objective id '{}' (first defined at line {})",
                                      o->id, it->second));
                    continue;
                }
                plan.objectives.push_back(std::move(*o));
            }
        }
        std::map<int, int> project_lines;
        std::int64_t sum = 0;
        for (const toml::table* t : tables_at(root, "project")) {
            auto pr = project(*t);
            if (!pr) {
                continue;
            }
            const int line = static_cast<int>(t->source().begin.line);
            if (auto [it, inserted] = project_lines.emplace(pr->number, line); !inserted) {
                error(t->get("number")->source(),
                      fmt::format("duplicate project number {} (first defined at line {})",
                                  pr->number, it->second));
                continue;
            }
            for (const auto& ref : pr->objectives) {
                if (!objective_lines.contains(ref)) {
                    error(
                        t->get("objectives")->source(),
                        fmt::format("project {} names undefined objective '{}'", pr->number, ref));
                }
            }
            sum += pr->budget_million;
            plan.projects.push_back(std::move(*pr));
        }
        if (total && sum != plan.total_budget_million) {
            error(root.get("total_budget")->source(),
                  fmt::format("the projects add up to {} billion VND, but total_budget is {}",
                              format_billions(sum), format_billions(plan.total_budget_million)));
        }
        for (const auto& o : plan.objectives) {
            if (o.select.subtree && !cfg.sites.empty() && !cfg.find_site(*o.select.subtree)) {
                error(root.source(), fmt::format("objective '{}' selects the subtree of "
                                                 "undefined site '{}'",
                                                 o.id, *o.select.subtree));
            }
        }
        m_path = saved;
        cfg.plan = std::move(plan);
    }

    std::string m_path;
    const LoadOptions& m_options;
    std::vector<std::string> m_errors;
    std::vector<std::string> m_warnings;
    std::map<std::string, int> m_target_lines;
    const model::Config* m_kinds = nullptr; // the configuration whose kinds are in force
    std::map<std::string, toml::source_region> m_formerly_at;
    // Each prefix of a site, its site's code and where it was given: one site per prefix.
    std::map<std::string, std::pair<std::string, toml::source_region>> m_prefix_owner;
};

} // namespace

LoadResult load_config_text(std::string_view text, const std::string& path,
                            const LoadOptions& options) {
    return Parser(path, options).run(text);
}

LoadResult load_config_file(const std::string& path, const LoadOptions& options) {
    const auto text = read_bounded_file(path, k_max_config_file);
    if (!text) {
        LoadResult r;
        r.errors.push_back(fmt::format("{}: cannot read: {}", path, text.error()));
        return r;
    }
    return load_config_text(*text, path, options);
}

std::optional<std::string> configured_db(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return std::nullopt;
    }
    const auto text = read_bounded_file(path, k_max_config_file);
    if (!text) {
        throw Error(fmt::format("{}: cannot read: {}", path, text.error()));
    }
    toml::table root;
    try {
        root = toml::parse(*text, path);
    } catch (const toml::parse_error& e) {
        throw Error(fmt::format("{}:{}:{}: {}", path, e.source().begin.line,
                                e.source().begin.column, e.description()));
    }
    auto d = db_key(root, path);
    if (!d.error.empty()) {
        throw Error(
            fmt::format("{}:{}:{}: {}", path, d.where.begin.line, d.where.begin.column, d.error));
    }
    return d.value;
}

std::optional<std::string> process_getenv(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (!v) {
        return std::nullopt;
    }
    return std::string(v);
}

} // namespace netinv::cli
