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
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <toml++/toml.h>

#include "model/net.hpp"
#include "model/text.hpp"

namespace netinv::cli {

namespace {

using model::Credential;
using model::Target;

constexpr std::array<std::string_view, 3> k_top_keys = {"defaults", "credential", "target"};
constexpr std::array<std::string_view, 2> k_default_keys = {"timeout_ms", "retries"};
// "auth" and "priv" are not valid, but known: a literal passphrase gets its own message.
constexpr std::array<std::string_view, 16> k_credential_keys = {
    "version",       "community",  "community_env", "community_file", "user",          "auth",
    "auth_protocol", "auth_env",   "auth_file",     "priv",           "priv_protocol", "priv_env",
    "priv_file",     "timeout_ms", "retries",       "description"};
constexpr std::array<std::string_view, 9> k_target_keys = {"name",       "address", "port",
                                                           "site",       "role",    "credential",
                                                           "timeout_ms", "retries", "description"};

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
        }
        if (auto* creds = table_at(root, "credential")) {
            for (auto&& [key, node] : *creds) {
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
        struct stat st {};
        if (::stat(p.c_str(), &st) != 0) {
            error(where, fmt::format("cannot read secrets file '{}': {}", p.string(),
                                     std::strerror(errno)));
            return {};
        }
        if ((st.st_mode & 077) != 0) {
            error(where, fmt::format("secrets file '{}' is readable by group or others (mode "
                                     "{:04o}); run 'chmod 600 {}'",
                                     p.string(), st.st_mode & 07777, p.string()));
            return {};
        }
        std::ifstream in(p);
        std::string line;
        if (!in || !std::getline(in, line)) {
            error(where, fmt::format("cannot read secrets file '{}'", p.string()));
            return {};
        }
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        if (line.empty()) {
            error(where, fmt::format("secrets file '{}' is empty", p.string()));
            return {};
        }
        return model::Secret(line);
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
                                       "priv_protocol", "priv_env", "priv_file"}) {
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
            } else {
                error(t.get("auth_protocol")->source(),
                      fmt::format("invalid auth_protocol '{}': use sha, sha256 or sha512", *a));
            }
        }
        if (auto a = string_at(t, "priv_protocol")) {
            if (auto p = model::priv_proto_from_string(*a)) {
                c.priv = *p;
            } else {
                error(t.get("priv_protocol")->source(),
                      fmt::format("invalid priv_protocol '{}': use aes, aes256 or none", *a));
            }
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
            if (auto ip = model::parse_ip(*addr)) {
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
        tgt.role = string_at(t, "role");
        tgt.timeout_ms = int_in(t, "timeout_ms", 1, 600000);
        tgt.retries = int_in(t, "retries", 0, 10);
        if (auto cred = string_at(t, "credential")) {
            tgt.credential = *cred;
            if (!cfg.find_credential(*cred)) {
                std::vector<std::string_view> names;
                for (const auto& c : cfg.credentials) {
                    names.push_back(c.name);
                }
                auto hint = model::closest_match(*cred, names);
                error(t.get("credential")->source(),
                      fmt::format("target '{}' names undefined credential '{}'{}", tgt.name,
                                  model::sanitize_terminal(*cred),
                                  hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
                ok = false;
            }
        } else {
            if (!t.get("credential")) {
                error(where, fmt::format("target '{}' is missing 'credential'", tgt.name));
            }
            ok = false;
        }
        if (!ok) {
            return std::nullopt;
        }
        return tgt;
    }

    std::string m_path;
    const LoadOptions& m_options;
    std::vector<std::string> m_errors;
    std::vector<std::string> m_warnings;
    std::map<std::string, int> m_target_lines;
};

} // namespace

LoadResult load_config_text(std::string_view text, const std::string& path,
                            const LoadOptions& options) {
    return Parser(path, options).run(text);
}

LoadResult load_config_file(const std::string& path, const LoadOptions& options) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        LoadResult r;
        r.errors.push_back(fmt::format("{}: cannot read: {}", path, std::strerror(EISDIR)));
        return r;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        LoadResult r;
        r.errors.push_back(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
        return r;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        LoadResult r;
        r.errors.push_back(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
        return r;
    }
    return load_config_text(ss.str(), path, options);
}

std::optional<std::string> process_getenv(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (!v) {
        return std::nullopt;
    }
    return std::string(v);
}

} // namespace netinv::cli
