// SPDX-License-Identifier: Apache-2.0
#include "cli/identity_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "cli/file_io.hpp"
#include "model/text.hpp"

namespace netinv::cli {

namespace {

constexpr std::array<std::string_view, 2> k_top_keys = {"placeholders", "rule"};
constexpr std::array<std::string_view, 15> k_rule_keys = {
    "name",  "sys_object_id", "enterprise", "sys_descr", "vendor", "role",        "entity", "last",
    "model", "serial",        "version",    "hardware",  "os",     "description", "all"};
constexpr std::array<std::string_view, 9> k_roles = {
    "server", "router", "l3-switch", "l2-switch", "firewall", "cpe", "ups", "storage", "other"};

bool numeric_oid(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') {
        return false;
    }
    int parts = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t j = s.find('.', i);
        if (j == std::string_view::npos) {
            j = s.size();
        }
        if (j == i) {
            return false;
        }
        std::uint32_t v = 0;
        auto [p, ec] = std::from_chars(s.data() + i, s.data() + j, v);
        if (ec != std::errc() || p != s.data() + j) {
            return false;
        }
        ++parts;
        i = j + 1;
    }
    return parts >= 2;
}

class RuleParser {
public:
    explicit RuleParser(std::string path) : m_path(std::move(path)) {}

    RulesResult run(std::string_view text) {
        RulesResult out;
        toml::table root;
        try {
            root = toml::parse(text, m_path);
        } catch (const toml::parse_error& e) {
            error(e.source(), std::string(e.description()));
            out.errors = std::move(m_errors);
            return out;
        }
        for (auto&& [k, v] : root) {
            if (std::ranges::find(k_top_keys, k.str()) == k_top_keys.end()) {
                error(k.source(), fmt::format("unknown key '{}'", k.str()));
            }
        }
        if (const toml::node* p = root.get("placeholders")) {
            out.rules.placeholders = strings(*p, "placeholders");
        }
        if (const toml::node* r = root.get("rule")) {
            const toml::array* arr = r->as_array();
            if (!arr || !arr->is_array_of_tables()) {
                error(r->source(), "'rule' must be an array of tables ([[rule]])");
            } else {
                for (const auto& t : *arr) {
                    if (auto rule = parse_rule(*t.as_table())) {
                        out.rules.rules.push_back(std::move(*rule));
                    }
                }
            }
        }
        out.errors = std::move(m_errors);
        return out;
    }

private:
    std::string m_path;
    std::vector<std::string> m_errors;

    std::string place(const toml::source_region& w) const {
        return fmt::format("{}:{}:{}", m_path, w.begin.line, w.begin.column);
    }
    void error(const toml::source_region& w, const std::string& msg) {
        m_errors.push_back(fmt::format("{}: {}", place(w), msg));
    }

    std::vector<std::string> strings(const toml::node& n, std::string_view key) {
        std::vector<std::string> out;
        if (auto s = n.value<std::string>()) {
            out.push_back(*s);
        } else if (const toml::array* a = n.as_array()) {
            for (const auto& e : *a) {
                if (auto s2 = e.value<std::string>()) {
                    out.push_back(*s2);
                } else {
                    error(e.source(), fmt::format("'{}' takes strings", key));
                }
            }
        } else {
            error(n.source(), fmt::format("'{}' must be a string or a list of strings", key));
        }
        return out;
    }

    std::shared_ptr<const std::regex> regex(const std::string& text, const toml::source_region& w) {
        try {
            return std::make_shared<const std::regex>(text, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            error(w, fmt::format("bad regular expression '{}': {}", model::sanitize_terminal(text),
                                 e.what()));
            return nullptr;
        }
    }

    // "KIND[:ARG][ ~ REGEX][ => TEMPLATE]"
    std::optional<model::Source> source(const std::string& text, const toml::source_region& w) {
        model::Source s;
        std::string head = text;
        if (auto arrow = head.rfind(" => "); arrow != std::string::npos) {
            s.replace = head.substr(arrow + 4);
            head = head.substr(0, arrow);
        }
        if (auto tilde = head.find(" ~ "); tilde != std::string::npos) {
            const std::string pattern = head.substr(tilde + 3);
            head = head.substr(0, tilde);
            s.pattern = regex(pattern, w);
            if (!s.pattern) {
                return std::nullopt;
            }
        } else if (s.replace) {
            error(w, fmt::format("'{}': '=>' needs a pattern ('~ REGEX') to take groups from",
                                 model::sanitize_terminal(text)));
            return std::nullopt;
        }
        const auto colon = head.find(':');
        const std::string kind = head.substr(0, colon);
        const std::string arg = colon == std::string::npos ? "" : head.substr(colon + 1);
        if (kind == "get") {
            if (!numeric_oid(arg)) {
                error(w, fmt::format("'{}': get takes a numeric OID (get:1.3.6.1.4.1...)",
                                     model::sanitize_terminal(text)));
                return std::nullopt;
            }
            s.kind = model::SourceKind::get;
        } else if (kind == "entity") {
            if (!model::entity_columns_by_name().contains(arg)) {
                error(w, fmt::format("'{}': entity takes one of descr, hardware, firmware, "
                                     "software, serial, model",
                                     model::sanitize_terminal(text)));
                return std::nullopt;
            }
            s.kind = model::SourceKind::entity;
        } else if (kind == "descr" && colon == std::string::npos) {
            s.kind = model::SourceKind::descr;
        } else if (kind == "const" && colon != std::string::npos) {
            s.kind = model::SourceKind::constant;
        } else {
            error(w, fmt::format("'{}': a source is get:OID, entity:COLUMN, descr or const:TEXT, "
                                 "then optionally ' ~ REGEX' and ' => TEMPLATE'",
                                 model::sanitize_terminal(text)));
            return std::nullopt;
        }
        s.arg = arg;
        if (s.replace && s.pattern) {
            const auto groups = s.pattern->mark_count();
            for (std::size_t i = 0; i + 1 < s.replace->size(); ++i) {
                const char c = (*s.replace)[i + 1];
                if ((*s.replace)[i] == '$' && c >= '0' && c <= '9' &&
                    static_cast<std::size_t>(c - '0') > groups) {
                    error(w, fmt::format("'{}': ${} but the pattern has {} group(s)",
                                         model::sanitize_terminal(text), c, groups));
                    return std::nullopt;
                }
            }
        }
        return s;
    }

    std::optional<model::IdentityRule> parse_rule(const toml::table& t) {
        model::IdentityRule r;
        for (auto&& [k, v] : t) {
            if (std::ranges::find(k_rule_keys, k.str()) == k_rule_keys.end()) {
                auto hint = model::closest_match(k.str(), k_rule_keys);
                error(k.source(),
                      fmt::format("unknown key '{}'{}", k.str(),
                                  hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
            }
        }
        const auto before = m_errors.size();
        if (auto n = t["name"].value<std::string>()) {
            r.name = *n;
        } else {
            error(t.source(), "rule is missing 'name'");
        }
        if (const toml::node* n = t.get("sys_object_id")) {
            for (auto& o : strings(*n, "sys_object_id")) {
                if (!numeric_oid(o)) {
                    error(n->source(), fmt::format("sys_object_id '{}' is not a numeric OID",
                                                   model::sanitize_terminal(o)));
                }
                r.sys_object_ids.push_back(o);
            }
        }
        if (const toml::node* n = t.get("enterprise")) {
            auto one = [&](const toml::node& e) {
                auto v = e.value<std::int64_t>();
                if (!v || *v < 0 || *v > 0xFFFFFFFFLL) {
                    error(e.source(), "'enterprise' takes IANA enterprise numbers");
                } else {
                    r.enterprises.push_back(static_cast<std::uint32_t>(*v));
                }
            };
            if (const toml::array* a = n->as_array()) {
                for (const auto& e : *a) {
                    one(e);
                }
            } else {
                one(*n);
            }
        }
        if (const toml::node* n = t.get("sys_descr")) {
            if (auto s = n->value<std::string>()) {
                r.sys_descr = regex(*s, n->source());
            } else {
                error(n->source(), "'sys_descr' must be a regular expression (a string)");
            }
        }
        if (const toml::node* n = t.get("all")) {
            auto b = n->value<bool>();
            if (!b) {
                error(n->source(), "'all' must be true or false");
            }
            r.all = b.value_or(false);
        }
        if (r.sys_object_ids.empty() && r.enterprises.empty() && !t.get("sys_descr") && !r.all) {
            error(t.source(), fmt::format("rule '{}' has no matcher: give it sys_object_id, "
                                          "enterprise or sys_descr (or all = true)",
                                          r.name));
        }
        r.vendor = t["vendor"].value<std::string>();
        if (const toml::node* n = t.get("role")) {
            r.role = n->value<std::string>();
            if (!r.role || std::ranges::find(k_roles, *r.role) == k_roles.end()) {
                error(n->source(), "unknown role; roles: server, router, l3-switch, l2-switch, "
                                   "firewall, cpe, ups, storage, other");
            }
        }
        if (const toml::node* n = t.get("entity")) {
            auto e = n->value<std::string>();
            if (e == "chassis") {
                r.entity = model::EntityPick::chassis;
            } else if (e == "none") {
                r.entity = model::EntityPick::none;
            } else {
                error(n->source(), "'entity' is 'chassis' or 'none'");
            }
        }
        if (const toml::node* n = t.get("last")) {
            if (auto b = n->value<bool>()) {
                r.last = *b;
            } else {
                error(n->source(), "'last' must be true or false");
            }
        }
        for (std::size_t f = 0; f < model::k_identity_fields; ++f) {
            const auto key = model::to_string(static_cast<model::IdentityField>(f));
            const toml::node* n = t.get(key);
            if (!n) {
                continue;
            }
            if (auto s = n->value<std::string>(); s && !n->is_array()) {
                model::Source c;
                c.kind = model::SourceKind::constant;
                c.arg = *s;
                r.fields[f].push_back(std::move(c));
                continue;
            }
            const toml::array* a = n->as_array();
            if (!a) {
                error(n->source(), fmt::format("'{}' is a list of sources, or a constant", key));
                continue;
            }
            for (const auto& e : *a) {
                auto s = e.value<std::string>();
                if (!s) {
                    error(e.source(), fmt::format("'{}' takes sources as strings", key));
                    continue;
                }
                if (auto src = source(*s, e.source())) {
                    r.fields[f].push_back(std::move(*src));
                }
            }
        }
        if (m_errors.size() != before) {
            return std::nullopt;
        }
        return r;
    }
};

} // namespace

RulesResult parse_identity_rules(std::string_view text, const std::string& path) {
    return RuleParser(path).run(text);
}

RulesResult load_identity_rules(const std::string& user_file) {
    RulesResult shipped = parse_identity_rules(shipped_identity_rules(), "data/identity.toml");
    if (user_file.empty()) {
        return shipped;
    }
    RulesResult out;
    const auto text = read_bounded_file(user_file, std::size_t{4} << 20);
    if (!text) {
        out.errors.push_back(
            fmt::format("{}: cannot read identity rules: {}", user_file, text.error()));
        return out;
    }
    out = parse_identity_rules(*text, user_file);
    // The administrator's rules first: they extend and override the shipped ones.
    for (auto& r : shipped.rules.rules) {
        out.rules.rules.push_back(std::move(r));
    }
    for (auto& p : shipped.rules.placeholders) {
        out.rules.placeholders.push_back(std::move(p));
    }
    for (auto& e : shipped.errors) {
        out.errors.push_back(std::move(e));
    }
    return out;
}

} // namespace netinv::cli
