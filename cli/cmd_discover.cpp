// SPDX-License-Identifier: Apache-2.0
//
// netinv discover: sweep IPv4 ranges (and IPv6 addresses given one by one) for SNMP agents with
// the engine, asking each only for its system group. Credentials are tried in order: those of
// the configuration (when it loads), then the one given on the command line; each is tried only
// on the addresses that have not answered yet. What answered is printed as a table, JSON, or
// [[target]] entries ready to paste into inventory.toml: named from sysName (made unique), in
// the site whose `prefixes` hold the address, with a role hint from the system group (and the
// identity rules that match it); an agent already configured is named as its target.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>
#include <set>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "cli/credential_options.hpp"
#include "cli/file_io.hpp"
#include "cli/identity_loader.hpp"
#include "model/discover.hpp"
#include "model/net.hpp"
#include "model/text.hpp"
#include "probes/poller.hpp"
#include "report/json.hpp"
#include "report/table.hpp"

namespace netinv::cli {

namespace {

constexpr std::uint64_t k_max_without_force = 65536; // a /16

struct DiscoverOptions {
    std::vector<std::string> ranges;
    CredentialOptions cred;
    bool no_config = false;
    bool force = false;
    int concurrency = 256;
    int timeout_ms = 800;
    int retries = 0;
    int port = 161;
};

struct Found {
    std::string address;
    std::string credential;
    model::Device device;
};

std::string toml_string(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        } else {
            out += c;
        }
    }
    return out + "\"";
}

int run_discover(RunContext& ctx, const DiscoverOptions& opt) {
    const auto format =
        ctx.format("discover", {report::Format::table, report::Format::json, report::Format::toml});
    if (!format) {
        return exit_usage;
    }
    // Addresses to sweep.
    std::vector<std::string> addresses;
    std::set<std::string> seen;
    for (const auto& r : opt.ranges) {
        if (auto ip = model::parse_ip(r); ip && ip->family == model::Family::ipv6) {
            if (seen.insert(ip->canonical).second) {
                addresses.push_back(ip->canonical);
            }
            continue;
        }
        auto range = model::parse_ipv4_cidr(r);
        if (!range) {
            ctx.error(fmt::format("discover: {}", range.error()));
            return exit_usage;
        }
        if (range->size() > k_max_without_force && !opt.force) {
            ctx.error(fmt::format("discover: {} holds {} addresses, more than a /16; add --force "
                                  "to sweep it anyway",
                                  r, range->size()));
            return exit_usage;
        }
        for (std::uint64_t a = range->first; a <= range->last; ++a) {
            auto text = model::format_ipv4(static_cast<std::uint32_t>(a));
            if (seen.insert(text).second) {
                addresses.push_back(std::move(text));
            }
        }
    }
    // Credentials to try, in order: the configuration's, then the command line's.
    model::Config config;
    std::vector<model::Credential> creds;
    if (!opt.no_config) {
        LoadOptions lo;
        lo.getenv = process_getenv;
        auto loaded = load_config_file(ctx.config_path(), lo);
        if (loaded.config) {
            config = std::move(*loaded.config);
            creds = config.credentials;
        } else {
            ctx.note(fmt::format("no usable configuration ({}); only the command line's "
                                 "credential is tried",
                                 loaded.errors.empty() ? "" : loaded.errors.front()));
        }
    }
    if (opt.cred.given()) {
        auto c = credential_from_options(ctx, "discover", opt.cred, "command-line", std::nullopt);
        if (!c) {
            return exit_usage;
        }
        creds.push_back(std::move(*c));
    }
    if (creds.empty()) {
        ctx.error("discover: no credential to try: give --community-env or --v3-user (see "
                  "--help), or a configuration with credentials");
        return exit_usage;
    }
    std::shared_ptr<const model::IdentityRules> rules = config.identity_rules;
    if (!rules) {
        auto shipped = load_identity_rules();
        rules = std::make_shared<const model::IdentityRules>(std::move(shipped.rules));
    }
    std::map<std::string, Found> found;
    std::vector<std::string> pending = addresses;
    for (const auto& cred : creds) {
        if (pending.empty()) {
            break;
        }
        std::vector<probes::PollSpec> specs;
        for (const auto& a : pending) {
            probes::PollSpec s;
            s.name = a;
            s.address = a;
            s.port = static_cast<std::uint16_t>(opt.port);
            s.credential = cred;
            s.timeout_ms = opt.timeout_ms;
            s.retries = opt.retries;
            s.identity_only = true;
            s.identity_rules = rules;
            specs.push_back(std::move(s));
        }
        probes::EngineOptions eo;
        eo.concurrency = opt.concurrency;
        probes::poll_many(specs, eo, [&](probes::PollResult&& r) {
            if (r.device) {
                found[r.outcome.target] = Found{r.outcome.target, cred.name, std::move(*r.device)};
            }
        });
        std::erase_if(pending, [&](const std::string& a) { return found.contains(a); });
    }
    std::vector<const Found*> list;
    for (const auto& a : addresses) {
        if (auto it = found.find(a); it != found.end()) {
            list.push_back(&it->second);
        }
    }
    std::vector<model::Answered> answered;
    for (const Found* f : list) {
        answered.push_back({f->address, f->device.sys_name});
    }
    const auto proposals = model::propose_targets(config, answered);
    const auto site_code = [](const model::Proposal& p) {
        return p.site ? std::optional<std::string>(p.site->code) : std::nullopt;
    };
    if (*format == report::Format::json) {
        report::JsonWriter w;
        w.begin_document();
        w.field("swept", static_cast<std::uint64_t>(addresses.size()));
        w.key("found").begin_array();
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Found* f = list[i];
            const auto& p = proposals[i];
            w.begin_object();
            w.field("address", f->address);
            w.field("name", p.name);
            w.field("known", p.known_as.has_value());
            w.field("site", site_code(p));
            w.field("role", f->device.role);
            w.field("sys_name", f->device.sys_name);
            w.field("sys_descr", f->device.sys_descr);
            w.field("sys_object_id", f->device.sys_object_id);
            w.field("vendor", f->device.vendor);
            w.field("credential", f->credential);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        ctx.print(w.str());
    } else if (*format == report::Format::toml) {
        std::string out = fmt::format("# netinv discover: {} of {} addresses answered\n",
                                      list.size(), addresses.size());
        std::size_t unsited = 0;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Found* f = list[i];
            const auto& p = proposals[i];
            if (p.known_as) {
                out += fmt::format("\n# {} is already the target {}\n", f->address,
                                   model::sanitize_terminal(*p.known_as));
                continue;
            }
            out += fmt::format("\n[[target]]\nname = {}\naddress = {}\n{}", toml_string(p.name),
                               toml_string(f->address),
                               opt.port == 161 ? "" : fmt::format("port = {}\n", opt.port));
            if (p.site) {
                out += fmt::format("site = {} # {}\n", toml_string(p.site->code),
                                   model::sanitize_terminal(p.site->name));
            } else {
                ++unsited;
                out += "# site = \"\" # no site's prefixes hold this address\n";
            }
            if (f->device.role) {
                out += fmt::format("role = {} # a hint from what it answered: check it\n",
                                   toml_string(*f->device.role));
            }
            out += fmt::format("credential = {}\n", toml_string(f->credential));
            if (f->device.sys_descr) {
                out += fmt::format("description = {}\n",
                                   toml_string(f->device.sys_descr->substr(
                                       0, f->device.sys_descr->find_first_of("\r\n"))));
            }
        }
        ctx.print(out);
        if (unsited > 0) {
            ctx.warning(fmt::format("{} of the agents found lie in no site's prefixes: give "
                                    "their sites prefixes = [...] in the configuration, or set "
                                    "site by hand",
                                    unsited));
        }
    } else {
        report::Table t({"ADDRESS", "NAME", "SITE", "ROLE", "VENDOR", "CREDENTIAL", "SYSDESCR"});
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Found* f = list[i];
            const auto& p = proposals[i];
            std::string descr = f->device.sys_descr.value_or("-");
            descr = descr.substr(0, descr.find_first_of("\r\n")).substr(0, 60);
            t.add({f->address, p.known_as ? p.name + " (known)" : p.name,
                   site_code(p).value_or("-"), f->device.role.value_or("-"),
                   f->device.vendor.value_or("-"), f->credential, descr});
        }
        ctx.print(t.render() +
                  fmt::format("\n{} of {} addresses answered\n", list.size(), addresses.size()));
    }
    return exit_ok;
}

} // namespace

Handler setup_discover(CLI::App& sub, GlobalOptions&) {
    auto o = std::make_shared<DiscoverOptions>();
    sub.add_option("RANGE", o->ranges,
                   "IPv4 addresses or CIDR blocks (at most a /16 each without --force), IPv6 "
                   "addresses one by one")
        ->required();
    add_credential_options(sub, o->cred, "also tried, after the configuration's");
    sub.add_option("--port", o->port, "The SNMP port to sweep")
        ->check(CLI::Range(1, 65535))
        ->capture_default_str();
    sub.add_flag("--no-config", o->no_config, "Do not try the configuration's credentials");
    sub.add_flag("--force", o->force, "Sweep ranges larger than a /16");
    sub.add_option("--concurrency", o->concurrency, "Requests in flight at once")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    add_timeout_options(sub, o->timeout_ms, o->retries);
    return [o](RunContext& ctx) {
        return run_discover(ctx, *o);
    };
}

} // namespace netinv::cli
