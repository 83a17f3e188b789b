// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netinv::model {

enum class SnmpVersion : std::uint8_t { v1, v2c, v3 };
enum class AuthProto : std::uint8_t { none, sha, sha256, sha512 };
enum class PrivProto : std::uint8_t { none, aes, aes256 };

std::optional<SnmpVersion> snmp_version_from_string(std::string_view s); // "1", "2c", "3"
std::optional<AuthProto> auth_proto_from_string(std::string_view s); // "sha", "sha256", "sha512"
std::optional<PrivProto> priv_proto_from_string(std::string_view s); // "none", "aes", "aes256"
std::string_view to_string(SnmpVersion v);
std::string_view to_string(AuthProto p);
std::string_view to_string(PrivProto p);

// A secret (community or passphrase). It has no formatter and no stream operator on purpose, so
// it cannot end up in a log line or a report by accident; only the SNMP layer calls reveal().
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : m_value(std::move(value)) {}
    const std::string& reveal() const { return m_value; }
    bool empty() const { return m_value.empty(); }

private:
    std::string m_value;
};

// How to talk to an agent. Timeouts are per request; retries are extra tries after the first.
struct Credential {
    std::string name;
    SnmpVersion version = SnmpVersion::v2c;
    Secret community; // v1 / v2c
    std::string user; // v3
    AuthProto auth = AuthProto::none;
    Secret auth_secret;
    PrivProto priv = PrivProto::none;
    Secret priv_secret;
    std::optional<int> timeout_ms;
    std::optional<int> retries;
};

// What to poll. `address` is an IPv4 or IPv6 address (canonical text) or a host name.
struct Target {
    std::string name;
    std::string address;
    std::uint16_t port = 161;
    std::optional<std::string> site;
    std::optional<std::string> role;
    std::string credential;
    std::optional<int> timeout_ms;
    std::optional<int> retries;
    int line = 0; // where the target was defined, for messages
};

struct Config {
    std::string path; // the file it came from, for messages
    int timeout_ms = 1000;
    int retries = 2;
    std::vector<Credential> credentials;
    std::vector<Target> targets;

    // The credential named `name`, or nullptr.
    const Credential* find_credential(std::string_view name) const;
    // The target named `name`, or nullptr.
    const Target* find_target(std::string_view name) const;
};

// Effective timeout and retries: the target's, else its credential's, else the config's.
int effective_timeout_ms(const Config& c, const Target& t);
int effective_retries(const Config& c, const Target& t);

} // namespace netinv::model
