// SPDX-License-Identifier: Apache-2.0
//
// netinv probe ADDRESS: one device polled now, with credentials from the command line (secrets
// only through environment variables, except a v1/v2c community), printed as `show` prints.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "cli/file_io.hpp"
#include "cli/identity_loader.hpp"
#include "probes/poller.hpp"

namespace netinv::cli {

namespace {

struct ProbeOptions {
    std::string address;
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
    int timeout_ms = 1000;
    int retries = 1;
    std::string identity_rules;
};

// Builds the credential from the options; nullopt after printing what is wrong.
std::optional<model::Credential> credential(const RunContext& ctx, const ProbeOptions& o) {
    model::Credential c;
    c.name = "command line";
    const std::string version = !o.snmp_version.empty() ? o.snmp_version
                                : o.user.empty()        ? "2c"
                                                        : "3";
    c.version = *model::snmp_version_from_string(version);
    auto from_env = [&](const std::string& var, const char* flag) -> std::optional<model::Secret> {
        auto v = process_getenv(var);
        if (!v || v->empty()) {
            ctx.error(fmt::format("probe: environment variable {} ({}) is not set", var, flag));
            return std::nullopt;
        }
        return model::Secret(*v);
    };
    if (c.version != model::SnmpVersion::v3) {
        if (!o.user.empty()) {
            ctx.error("probe: --v3-user needs SNMPv3 (--snmp-version 3)");
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
                ctx.error(fmt::format("probe: --community-file: {}", s.error()));
                return std::nullopt;
            }
            c.community = model::Secret(*s);
        } else {
            c.community = model::Secret(o.community.empty() ? "public" : o.community);
        }
        return c;
    }
    if (o.user.empty()) {
        ctx.error("probe: SNMPv3 needs --v3-user");
        return std::nullopt;
    }
    c.user = o.user;
    c.context = o.context;
    if (o.context.size() > 32) {
        ctx.error("probe: --context: SNMP allows at most 32 octets");
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
            ctx.error("probe: privacy needs --auth-env and --priv-env");
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
            ctx.error("probe: SNMPv3 passphrases must have at least 8 characters");
            return std::nullopt;
        }
    }
    return c;
}

int run_probe(RunContext& ctx, const ProbeOptions& o) {
    const auto format = ctx.format("probe", {report::Format::table, report::Format::json});
    if (!format) {
        return exit_usage;
    }
    auto addr = probes::parse_probe_address(o.address);
    if (!addr) {
        ctx.error(fmt::format("probe: {}", addr.error()));
        return exit_usage;
    }
    auto cred = credential(ctx, o);
    if (!cred) {
        return exit_usage;
    }
    probes::PollSpec spec;
    spec.name = o.address;
    spec.address = addr->address;
    spec.port = addr->port.value_or(161);
    spec.transport = addr->transport;
    spec.credential = std::move(*cred);
    spec.timeout_ms = o.timeout_ms;
    spec.retries = o.retries;
    auto rules = load_identity_rules(o.identity_rules);
    for (const auto& e : rules.errors) {
        ctx.error(e);
    }
    if (!rules.errors.empty()) {
        return exit_usage;
    }
    spec.identity_rules = std::make_shared<const model::IdentityRules>(std::move(rules.rules));
    auto r = probes::poll_device(spec);
    for (const auto& w : r.warnings) {
        ctx.warning(w);
    }
    if (!r.device) {
        ctx.error(fmt::format("{}: {}: {}", o.address, model::to_string(r.outcome.outcome),
                              r.outcome.detail));
        return r.outcome.outcome == model::Outcome::error ? exit_failure : exit_targets_failed;
    }
    ctx.print(report::render_device(*r.device, *format));
    return exit_ok;
}

} // namespace

Handler setup_probe(CLI::App& sub, GlobalOptions&) {
    auto o = std::make_shared<ProbeOptions>();
    sub.add_option("ADDRESS", o->address,
                   "IPv4 address, [IPv6] address, host name (each with an optional :PORT), or a "
                   "net-snmp transport such as udp6:[::1]:1161")
        ->required();
    sub.add_option("--identity-rules", o->identity_rules,
                   "An identity rule file to use before the shipped rules (inventory.toml(5))")
        ->type_name("FILE");
    auto* env = sub.add_option("--community-env", o->community_env,
                               "Read the community from this environment variable")
                    ->type_name("VAR");
    auto* file = sub.add_option("--community-file", o->community_file,
                                "Read the community from the first line of this file (mode 0600)")
                     ->type_name("FILE")
                     ->excludes(env);
    sub.add_option("-c,--community", o->community,
                   "SNMPv1/v2c community (default: public). Every user sees it in the process "
                   "list: prefer --community-env or --community-file")
        ->excludes(env)
        ->excludes(file);
    sub.add_option("--snmp-version", o->snmp_version,
                   "SNMP version: 1, 2c or 3 (default: 3 with --v3-user, else 2c)")
        ->check(CLI::IsMember({"1", "2c", "3"}));
    sub.add_option("--v3-user", o->user, "SNMPv3 user name")->type_name("USER");
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
           "--auth-proto", o->auth_proto,
           fmt::format("SNMPv3 authentication: {} (md5 is weak)", model::k_auth_proto_names))
        ->check(known(true))
        ->capture_default_str();
    sub.add_option("--auth-env", o->auth_env,
                   "Read the SNMPv3 authentication passphrase from this environment variable")
        ->type_name("VAR");
    sub.add_option("--priv-proto", o->priv_proto,
                   fmt::format("SNMPv3 privacy: {} (des is weak)", model::k_priv_proto_names))
        ->check(known(false))
        ->capture_default_str();
    sub.add_option("--context", o->context, "SNMPv3 context name (default: the default context)")
        ->type_name("NAME");
    sub.add_option("--priv-env", o->priv_env,
                   "Read the SNMPv3 privacy passphrase from this environment variable")
        ->type_name("VAR");
    add_timeout_options(sub, o->timeout_ms, o->retries);
    return [o](RunContext& ctx) {
        return run_probe(ctx, *o);
    };
}

} // namespace netinv::cli
