// SPDX-License-Identifier: Apache-2.0
//
// netinv probe ADDRESS: one device polled now, with credentials from the command line (secrets
// only through environment variables, except a v1/v2c community), printed as `show` prints.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "cli/credential_options.hpp"
#include "cli/file_io.hpp"
#include "cli/identity_loader.hpp"
#include "probes/poller.hpp"

namespace netinv::cli {

namespace {

struct ProbeOptions {
    std::string address;
    CredentialOptions cred;
    int timeout_ms = 1000;
    int retries = 1;
    std::string identity_rules;
};

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
    auto cred = credential_from_options(ctx, "probe", o.cred, "command line", "public");
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
    ctx.print(report::render_device(*r.device, *format, {}, ctx.global.language()));
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
    add_credential_options(sub, o->cred, "default: public");
    add_timeout_options(sub, o->timeout_ms, o->retries);
    return [o](RunContext& ctx) {
        return run_probe(ctx, *o);
    };
}

} // namespace netinv::cli
