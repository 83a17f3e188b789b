// SPDX-License-Identifier: Apache-2.0
#include "cli/credential_options.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "cli/file_io.hpp"

namespace netinv::cli {

bool CredentialOptions::given() const {
    return !community.empty() || !community_env.empty() || !community_file.empty() ||
           !user.empty() || !snmp_version.empty();
}

void add_credential_options(CLI::App& sub, CredentialOptions& o, std::string_view community_help) {
    auto* env = sub.add_option("--community-env", o.community_env,
                               "Read the SNMPv1/v2c community from this environment variable")
                    ->type_name("VAR");
    auto* file = sub.add_option("--community-file", o.community_file,
                                "Read the community from the first line of this file (mode 0600)")
                     ->type_name("FILE")
                     ->excludes(env);
    sub.add_option("-c,--community", o.community,
                   fmt::format("SNMPv1/v2c community ({}). Every user sees it in the process "
                               "list: prefer --community-env or --community-file",
                               community_help))
        ->excludes(env)
        ->excludes(file);
    sub.add_option("--snmp-version", o.snmp_version,
                   "SNMP version: 1, 2c or 3 (default: 3 with --v3-user, else 2c)")
        ->check(CLI::IsMember({"1", "2c", "3"}));
    sub.add_option("--v3-user", o.user, "SNMPv3 user name")->type_name("USER");
    const auto known = [](bool auth) {
        return CLI::Validator(
            [auth](std::string& v) -> std::string {
                const bool ok = auth ? model::auth_proto_from_string(v).has_value()
                                     : model::priv_proto_from_string(v).has_value();
                return ok ? std::string()
                          : fmt::format(
                                "'{}' is not one of {} (net-snmp's spelling, any case, "
                                "is accepted too)",
                                v, auth ? model::k_auth_proto_names : model::k_priv_proto_names);
            },
            "PROTO");
    };
    sub.add_option(
           "--auth-proto", o.auth_proto,
           fmt::format("SNMPv3 authentication: {} (md5 is weak)", model::k_auth_proto_names))
        ->check(known(true))
        ->capture_default_str();
    sub.add_option("--auth-env", o.auth_env,
                   "Read the SNMPv3 authentication passphrase from this environment variable")
        ->type_name("VAR");
    sub.add_option("--priv-proto", o.priv_proto,
                   fmt::format("SNMPv3 privacy: {} (des is weak)", model::k_priv_proto_names))
        ->check(known(false))
        ->capture_default_str();
    sub.add_option("--context", o.context, "SNMPv3 context name (default: the default context)")
        ->type_name("NAME");
    sub.add_option("--priv-env", o.priv_env,
                   "Read the SNMPv3 privacy passphrase from this environment variable")
        ->type_name("VAR");
}

std::optional<model::Credential>
credential_from_options(const RunContext& ctx, std::string_view command, const CredentialOptions& o,
                        std::string name, const std::optional<std::string>& default_community) {
    model::Credential c;
    c.name = std::move(name);
    const std::string version = !o.snmp_version.empty() ? o.snmp_version
                                : o.user.empty()        ? "2c"
                                                        : "3";
    c.version = *model::snmp_version_from_string(version);
    auto from_env = [&](const std::string& var, const char* flag) -> std::optional<model::Secret> {
        auto v = process_getenv(var);
        if (!v || v->empty()) {
            ctx.error(
                fmt::format("{}: environment variable {} ({}) is not set", command, var, flag));
            return std::nullopt;
        }
        return model::Secret(*v);
    };
    if (c.version != model::SnmpVersion::v3) {
        if (!o.user.empty()) {
            ctx.error(fmt::format("{}: --v3-user needs SNMPv3 (--snmp-version 3)", command));
            return std::nullopt;
        }
        if (!o.community_env.empty()) {
            auto s = from_env(o.community_env, "--community-env");
            if (!s) {
                return std::nullopt;
            }
            c.community = *s;
        } else if (!o.community_file.empty()) {
            auto s = read_secret_file(o.community_file);
            if (!s) {
                ctx.error(fmt::format("{}: --community-file: {}", command, s.error()));
                return std::nullopt;
            }
            c.community = model::Secret(*s);
        } else if (!o.community.empty()) {
            c.community = model::Secret(o.community);
        } else if (default_community) {
            c.community = model::Secret(*default_community);
        } else {
            ctx.error(fmt::format("{}: SNMP version {} needs --community-env, --community-file "
                                  "or --community",
                                  command, version));
            return std::nullopt;
        }
        return c;
    }
    if (o.user.empty()) {
        ctx.error(fmt::format("{}: SNMPv3 needs --v3-user", command));
        return std::nullopt;
    }
    c.user = o.user;
    c.context = o.context;
    if (o.context.size() > 32) {
        ctx.error(fmt::format("{}: --context: SNMP allows at most 32 octets", command));
        return std::nullopt;
    }
    if (!o.auth_env.empty()) {
        c.auth = *model::auth_proto_from_string(o.auth_proto);
        if (model::is_weak(c.auth)) {
            ctx.warning(fmt::format("--auth-proto {} is weak; use sha256 where the device can",
                                    o.auth_proto));
        }
        auto s = from_env(o.auth_env, "--auth-env");
        if (!s) {
            return std::nullopt;
        }
        c.auth_secret = *s;
    }
    c.priv = *model::priv_proto_from_string(o.priv_proto);
    if (model::is_weak(c.priv)) {
        ctx.warning(
            fmt::format("--priv-proto {} is weak; use aes where the device can", o.priv_proto));
    }
    if (c.priv != model::PrivProto::none) {
        if (c.auth == model::AuthProto::none || o.priv_env.empty()) {
            ctx.error(fmt::format("{}: privacy needs --auth-env and --priv-env", command));
            return std::nullopt;
        }
        auto s = from_env(o.priv_env, "--priv-env");
        if (!s) {
            return std::nullopt;
        }
        c.priv_secret = *s;
    }
    for (const auto* s : {&c.auth_secret, &c.priv_secret}) {
        if (!s->empty() && s->reveal().size() < 8) {
            ctx.error(
                fmt::format("{}: SNMPv3 passphrases must have at least 8 characters", command));
            return std::nullopt;
        }
    }
    return c;
}

} // namespace netinv::cli
