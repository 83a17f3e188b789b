// SPDX-License-Identifier: Apache-2.0
//
// The credential options of the commands that poll without a configuration (probe, discover):
// one set of flags, one way of turning them into a model::Credential. Secrets come from
// environment variables or private files; only a v1/v2c community may be typed (and is visible
// in the process list, which --help says).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/config.hpp"

namespace CLI {
class App;
}

namespace netinv::cli {

struct RunContext;

struct CredentialOptions {
    std::string community;
    std::string community_env;
    std::string community_file;
    std::string snmp_version;
    std::string user;
    std::string auth_proto = "sha";
    std::string auth_env;
    std::string priv_proto = "none";
    std::string context;
    std::string priv_env;

    // Whether any option naming a credential was given.
    bool given() const;
};

// Adds --community-env, --community-file, -c/--community, --snmp-version, --v3-user,
// --auth-proto, --auth-env, --priv-proto, --priv-env, --context. `community_help` says what
// the community is for this command (probe: "default public"; discover: "also tried").
void add_credential_options(CLI::App& sub, CredentialOptions& o, std::string_view community_help);

// The credential the options describe, named `name`; nullopt after an error naming the
// command and the flag. `default_community` is used for v1/v2c when no community option was
// given (probe: "public").
std::optional<model::Credential>
credential_from_options(const RunContext& ctx, std::string_view command, const CredentialOptions& o,
                        std::string name, const std::optional<std::string>& default_community);

} // namespace netinv::cli
