// SPDX-License-Identifier: Apache-2.0
#include "model/identity.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "model/vendor.hpp"

namespace netinv::model {

namespace {

constexpr std::array<std::string_view, k_identity_fields> k_field_names = {
    "model", "serial", "version", "hardware", "os"};

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

bool prefix_of(const std::string& prefix, const std::string& oid) {
    return oid == prefix ||
           (oid.size() > prefix.size() && oid.starts_with(prefix) && oid[prefix.size()] == '.');
}

// The template with $0..$9 filled from the match.
std::string expand(const std::string& tmpl, const std::smatch& m) {
    std::string out;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '$' && i + 1 < tmpl.size() &&
            std::isdigit(static_cast<unsigned char>(tmpl[i + 1]))) {
            const auto g = static_cast<std::size_t>(tmpl[i + 1] - '0');
            if (g < m.size() && m[g].matched) {
                out += m[g].str();
            }
            ++i;
        } else {
            out += tmpl[i];
        }
    }
    return out;
}

std::optional<std::string> raw_value(const Source& s, const IdentityInput& in) {
    switch (s.kind) {
    case SourceKind::get:
        if (auto it = in.got.find(s.arg); it != in.got.end()) {
            return it->second;
        }
        return std::nullopt;
    case SourceKind::entity:
        if (auto it = in.entity.find(s.arg); it != in.entity.end()) {
            return it->second;
        }
        return std::nullopt;
    case SourceKind::descr:
        return in.sys_descr;
    case SourceKind::constant:
        return s.arg;
    }
    return std::nullopt;
}

// Regular expressions see at most this much of a value: agent text is untrusted, and
// std::regex's backtracking grows with its input. Real sysDescr values are far shorter.
constexpr std::size_t k_regex_input_max = 2048;

std::string bounded(const std::string& v) {
    return v.size() > k_regex_input_max ? v.substr(0, k_regex_input_max) : v;
}

std::optional<std::string> value_of(const Source& s, const IdentityInput& in) {
    auto v = raw_value(s, in);
    if (!v) {
        return std::nullopt;
    }
    if (s.pattern) {
        v = bounded(*v);
    }
    if (!s.pattern) {
        return trim(*v);
    }
    std::smatch m;
    if (!std::regex_search(*v, m, *s.pattern)) {
        return std::nullopt;
    }
    const std::string tmpl = s.replace.value_or(m.size() > 1 ? "$1" : "$0");
    return trim(expand(tmpl, m));
}

} // namespace

std::string_view to_string(IdentityField f) {
    return k_field_names[static_cast<std::size_t>(f)];
}

const std::map<std::string, std::uint32_t>& entity_columns_by_name() {
    // ENTITY-MIB entPhysicalEntry (RFC 6933)
    static const std::map<std::string, std::uint32_t> m = {{"descr", 2},    {"hardware", 8},
                                                           {"firmware", 9}, {"software", 10},
                                                           {"serial", 11},  {"model", 13}};
    return m;
}

bool is_placeholder(const IdentityRules& r, std::string_view v) {
    const std::string t = trim(v);
    if (t.empty() || std::ranges::all_of(t, [](char c) { return c == '0'; })) {
        return true;
    }
    auto lower = [](std::string s) {
        std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
        return s;
    };
    return std::ranges::any_of(r.placeholders,
                               [&](const std::string& p) { return lower(p) == lower(t); });
}

std::vector<const IdentityRule*> matching_rules(const IdentityRules& r, const IdentityInput& in) {
    std::vector<const IdentityRule*> out;
    const auto enterprise = in.sys_object_id ? enterprise_number(*in.sys_object_id) : std::nullopt;
    for (const auto& rule : r.rules) {
        if (rule.all) {
            out.push_back(&rule);
            if (rule.last) {
                break;
            }
            continue;
        }
        if (!rule.sys_object_ids.empty() &&
            (!in.sys_object_id ||
             std::ranges::none_of(rule.sys_object_ids, [&](const std::string& p) {
                 return prefix_of(p, *in.sys_object_id);
             }))) {
            continue;
        }
        if (!rule.enterprises.empty() &&
            (!enterprise ||
             std::ranges::find(rule.enterprises, *enterprise) == rule.enterprises.end())) {
            continue;
        }
        if (rule.sys_descr &&
            (!in.sys_descr || !std::regex_search(bounded(*in.sys_descr), *rule.sys_descr))) {
            continue;
        }
        out.push_back(&rule);
        if (rule.last) {
            break;
        }
    }
    return out;
}

std::vector<std::string> objects_to_get(const std::vector<const IdentityRule*>& rules) {
    std::vector<std::string> out;
    for (const IdentityRule* r : rules) {
        for (const auto& sources : r->fields) {
            for (const auto& s : sources) {
                if (s.kind == SourceKind::get && std::ranges::find(out, s.arg) == out.end()) {
                    out.push_back(s.arg);
                }
            }
        }
    }
    return out;
}

Identity resolve_identity(const IdentityRules& r, const std::vector<const IdentityRule*>& rules,
                          const IdentityInput& in) {
    Identity id;
    for (const IdentityRule* rule : rules) {
        // What the rule reads, before its constants: a rule that GETs objects (Synology's,
        // Check Point's, asked of every net-snmp agent) must have got one for its constants,
        // vendor and role to hold.
        std::array<std::optional<std::string>, k_identity_fields> read{};
        std::array<std::optional<std::string>, k_identity_fields> constant{};
        bool reads = false;
        bool gave = false;
        for (std::size_t f = 0; f < k_identity_fields; ++f) {
            for (const auto& s : rule->fields[f]) {
                if (s.kind == SourceKind::constant) {
                    if (!constant[f] && !read[f]) {
                        constant[f] = s.arg;
                    }
                    continue;
                }
                if (read[f] || constant[f]) {
                    reads = reads || s.kind == SourceKind::get;
                    continue;
                }
                auto v = value_of(s, in);
                // Only objects asked on speculation decide whether the rule holds: a rule
                // matched by its sysDescr pattern holds whatever its other sources give.
                if (s.kind == SourceKind::get) {
                    reads = true;
                    gave = gave || (v && !is_placeholder(r, *v));
                }
                if (v && !is_placeholder(r, *v)) {
                    read[f] = std::move(v);
                }
            }
        }
        const bool holds = gave || !reads;
        for (std::size_t f = 0; f < k_identity_fields; ++f) {
            auto& v = read[f] ? read[f] : constant[f];
            if (!id.value[f] && v && (read[f] || holds)) {
                id.value[f] = std::move(v);
            }
        }
        if (holds) {
            if (!id.vendor && rule->vendor) {
                id.vendor = rule->vendor;
            }
            if (!id.role && rule->role) {
                id.role = rule->role;
            }
        }
    }
    return id;
}

} // namespace netinv::model
