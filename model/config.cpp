// SPDX-License-Identifier: Apache-2.0
#include "model/config.hpp"

#include <algorithm>

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

std::optional<AuthProto> auth_proto_from_string(std::string_view s) {
    if (s == "sha") {
        return AuthProto::sha;
    }
    if (s == "sha256") {
        return AuthProto::sha256;
    }
    if (s == "sha512") {
        return AuthProto::sha512;
    }
    return std::nullopt;
}

std::optional<PrivProto> priv_proto_from_string(std::string_view s) {
    if (s == "none") {
        return PrivProto::none;
    }
    if (s == "aes") {
        return PrivProto::aes;
    }
    if (s == "aes256") {
        return PrivProto::aes256;
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
    case PrivProto::aes:
        return "aes";
    case PrivProto::aes256:
        return "aes256";
    }
    return "?";
}

namespace {
constexpr std::array<std::string_view, 6> k_site_kind_names = {
    "province", "datacenter", "department", "district", "police", "commune"};
} // namespace

std::string_view to_string(SiteKind k) {
    return k_site_kind_names[static_cast<std::size_t>(k)];
}

std::optional<SiteKind> site_kind_from_string(std::string_view s) {
    for (std::size_t i = 0; i < k_site_kind_names.size(); ++i) {
        if (k_site_kind_names[i] == s) {
            return static_cast<SiteKind>(i);
        }
    }
    return std::nullopt;
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

const Credential* Config::find_credential(std::string_view name) const {
    auto it = std::ranges::find(credentials, name, &Credential::name);
    return it == credentials.end() ? nullptr : &*it;
}

const Target* Config::find_target(std::string_view name) const {
    auto it = std::ranges::find(targets, name, &Target::name);
    return it == targets.end() ? nullptr : &*it;
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
