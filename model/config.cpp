// SPDX-License-Identifier: Apache-2.0
#include "model/config.hpp"

#include <algorithm>
#include <utility>

namespace netinv::model {

std::optional<SnmpVersion> snmp_version_from_string(std::string_view s) {
    if (s == "1") {
        return SnmpVersion::v1;
    }
    if (s == "2c") {
        return SnmpVersion::v2c;
    }
    if (s == "3") {
        return SnmpVersion::v3;
    }
    return std::nullopt;
}

namespace {

// Lower case, without '-' and '_': "SHA-256" and "sha_256" are "sha256".
std::string protocol_key(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '-' || c == '_') {
            continue;
        }
        out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

} // namespace

std::optional<AuthProto> auth_proto_from_string(std::string_view s) {
    static constexpr std::pair<std::string_view, AuthProto> k_names[] = {
        {"md5", AuthProto::md5},       {"sha", AuthProto::sha},       {"sha1", AuthProto::sha},
        {"sha224", AuthProto::sha224}, {"sha256", AuthProto::sha256}, {"sha384", AuthProto::sha384},
        {"sha512", AuthProto::sha512}};
    const std::string key = protocol_key(s);
    for (const auto& [name, p] : k_names) {
        if (key == name) {
            return p;
        }
    }
    return std::nullopt;
}

std::optional<PrivProto> priv_proto_from_string(std::string_view s) {
    static constexpr std::pair<std::string_view, PrivProto> k_names[] = {
        {"none", PrivProto::none},  {"des", PrivProto::des},       {"aes", PrivProto::aes},
        {"aes128", PrivProto::aes}, {"aes192", PrivProto::aes192}, {"aes256", PrivProto::aes256}};
    const std::string key = protocol_key(s);
    for (const auto& [name, p] : k_names) {
        if (key == name) {
            return p;
        }
    }
    return std::nullopt;
}

std::string_view to_string(SnmpVersion v) {
    switch (v) {
    case SnmpVersion::v1:
        return "1";
    case SnmpVersion::v2c:
        return "2c";
    case SnmpVersion::v3:
        return "3";
    }
    return "?";
}

std::string_view to_string(AuthProto p) {
    switch (p) {
    case AuthProto::none:
        return "none";
    case AuthProto::md5:
        return "md5";
    case AuthProto::sha224:
        return "sha224";
    case AuthProto::sha384:
        return "sha384";
    case AuthProto::sha:
        return "sha";
    case AuthProto::sha256:
        return "sha256";
    case AuthProto::sha512:
        return "sha512";
    }
    return "?";
}

std::string_view to_string(PrivProto p) {
    switch (p) {
    case PrivProto::none:
        return "none";
    case PrivProto::des:
        return "des";
    case PrivProto::aes192:
        return "aes192";
    case PrivProto::aes:
        return "aes";
    case PrivProto::aes256:
        return "aes256";
    }
    return "?";
}

std::vector<SiteKindDef> default_site_kinds() {
    return {
        {"province", "Province", "Tỉnh", "parent"},
        {"datacenter", "Data centre", "Trung tâm dữ liệu", "parent"},
        {"department", "Department", "Sở, ban, ngành", "datacenter"},
        {"district", "District", "Huyện, thị xã, thành phố", "datacenter"},
        {"police", "Police one-stop desk", "Bộ phận một cửa Công an", "parent"},
        {"commune", "Commune", "Xã, phường, thị trấn", "parent"},
    };
}

std::string_view to_string(ObjectiveKind k) {
    switch (k) {
    case ObjectiveKind::count:
        return "count";
    case ObjectiveKind::coverage:
        return "coverage";
    case ObjectiveKind::ratio:
        return "ratio";
    }
    return "count";
}

const Site* Config::find_site(std::string_view code) const {
    auto it = std::ranges::find(sites, code, &Site::code);
    return it == sites.end() ? nullptr : &*it;
}

const Site* Config::site_for_address(std::string_view address) const {
    const Site* best = nullptr;
    int best_length = -1;
    for (const auto& site : sites) {
        for (const auto& p : site.prefixes) {
            if (p.length > best_length && prefix_contains(p, address)) {
                best = &site;
                best_length = p.length;
            }
        }
    }
    return best;
}

const SiteKindDef* Config::find_kind(std::string_view name) const {
    auto it = std::ranges::find(site_kinds, name, &SiteKindDef::name);
    return it == site_kinds.end() ? nullptr : &*it;
}

const Site* parent_of(const Config& c, const Site& site) {
    return site.parent.empty() ? nullptr : c.find_site(site.parent);
}

const Site* ancestor_of_kind(const Config& c, const Site* site, std::string_view kind) {
    // The loader refuses cycles (a parent is defined before its children); the bound keeps
    // a hand-made Config from looping.
    for (std::size_t n = 0; site && n <= c.sites.size(); ++n, site = parent_of(c, *site)) {
        if (site->kind == kind) {
            return site;
        }
    }
    return nullptr;
}

bool in_subtree(const Config& c, const Site* site, std::string_view root) {
    for (std::size_t n = 0; site && n <= c.sites.size(); ++n, site = parent_of(c, *site)) {
        if (site->code == root) {
            return true;
        }
    }
    return false;
}

bool site_has_tag(const Config& c, const Site* site, std::string_view tag) {
    for (std::size_t n = 0; site && n <= c.sites.size(); ++n, site = parent_of(c, *site)) {
        if (std::ranges::find(site->tags, tag) != site->tags.end()) {
            return true;
        }
    }
    return false;
}

bool has_tag(const Config& c, const Target& t, std::string_view tag) {
    if (std::ranges::find(t.tags, tag) != t.tags.end()) {
        return true;
    }
    return t.site && site_has_tag(c, c.find_site(*t.site), tag);
}

const Credential* Config::find_credential(std::string_view name) const {
    auto it = std::ranges::find(credentials, name, &Credential::name);
    return it == credentials.end() ? nullptr : &*it;
}

const Target* Config::find_target(std::string_view name) const {
    auto it = std::ranges::find(targets, name, &Target::name);
    return it == targets.end() ? nullptr : &*it;
}

std::vector<std::string> credential_order(const Target& t,
                                          const std::optional<std::string>& answered_last) {
    std::vector<std::string> out =
        t.credentials.empty() ? std::vector<std::string>{t.credential} : t.credentials;
    if (answered_last) {
        if (auto it = std::ranges::find(out, *answered_last); it != out.end()) {
            std::rotate(out.begin(), it, it + 1);
        }
    }
    return out;
}

bool try_next_credential(Outcome o, bool answered_last) {
    switch (o) {
    case Outcome::auth_failure:
        return true;
    case Outcome::timeout:
        return !answered_last;
    case Outcome::ok:
    case Outcome::error:
        return false;
    }
    return false;
}

int effective_timeout_ms(const Config& c, const Target& t) {
    if (t.timeout_ms) {
        return *t.timeout_ms;
    }
    const Credential* cred = c.find_credential(t.credential);
    return cred && cred->timeout_ms ? *cred->timeout_ms : c.timeout_ms;
}

int effective_retries(const Config& c, const Target& t) {
    if (t.retries) {
        return *t.retries;
    }
    const Credential* cred = c.find_credential(t.credential);
    return cred && cred->retries ? *cred->retries : c.retries;
}

} // namespace netinv::model
