// SPDX-License-Identifier: Apache-2.0
//
// netinv discover: sweep IPv4 ranges (and IPv6 addresses given one by one) for SNMP agents with
// the engine, asking each only for its system group. Credentials are tried in order: those of
// the configuration (when it loads), then the one given on the command line; each is tried only
// on the addresses that have not answered yet. What answered is printed as a table, JSON, or
// [[target]] entries ready to paste into inventory.toml.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>
#include <set>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "cli/file_io.hpp"
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
    std::string community_env;
    std::string community_file;
    std::string community;
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

// A name for a [[target]] made from what the device says, or from its address.
std::string target_name(const Found& f) {
    std::string n;
    for (char c : f.device.sys_name.value_or("")) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        n += ok ? c : '-';
    }
    if (n.empty() || !((n[0] >= 'a' && n[0] <= 'z') || (n[0] >= 'A' && n[0] <= 'Z') ||
                       (n[0] >= '0' && n[0] <= '9'))) {
        n = "host-" + f.address;
        std::ranges::replace(n, '.', '-');
        std::ranges::replace(n, ':', '-');
    }
    return n.substr(0, 64);
}

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
    // Credentials to try, in order.
    std::vector<model::Credential> creds;
    if (!opt.no_config) {
        LoadOptions lo;
        lo.getenv = process_getenv;
        auto loaded = load_config_file(ctx.config_path(), lo);
        if (loaded.config) {
            creds = loaded.config->credentials;
        } else {
            ctx.note(fmt::format("no usable configuration ({}); only the command line's "
                                 "credential is tried",
                                 loaded.errors.empty() ? "" : loaded.errors.front()));
        }
    }
    if (!opt.community.empty() || !opt.community_env.empty() || !opt.community_file.empty()) {
        model::Credential c;
        c.name = "command-line";
        c.version = model::SnmpVersion::v2c;
        if (!opt.community_env.empty()) {
            auto v = process_getenv(opt.community_env);
            if (!v || v->empty()) {
                ctx.error(
                    fmt::format("discover: environment variable {} is not set", opt.community_env));
                return exit_usage;
            }
            c.community = model::Secret(*v);
        } else if (!opt.community_file.empty()) {
            auto v = read_secret_file(opt.community_file);
            if (!v) {
                ctx.error(fmt::format("discover: --community-file: {}", v.error()));
                return exit_usage;
            }
            c.community = model::Secret(*v);
        } else {
            c.community = model::Secret(opt.community);
        }
        creds.push_back(std::move(c));
    }
    if (creds.empty()) {
        ctx.error("discover: no credential to try: give --community-env (or --community), or a "
                  "configuration with credentials");
        return exit_usage;
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
    if (*format == report::Format::json) {
        report::JsonWriter w;
        w.begin_object();
        w.field("swept", static_cast<std::uint64_t>(addresses.size()));
        w.key("found").begin_array();
        for (const Found* f : list) {
            w.begin_object();
            w.field("address", f->address);
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
        for (const Found* f : list) {
            out += fmt::format("\n[[target]]\nname = {}\naddress = {}\n{}credential = {}\n",
                               toml_string(target_name(*f)), toml_string(f->address),
                               opt.port == 161 ? "" : fmt::format("port = {}\n", opt.port),
                               toml_string(f->credential));
            if (f->device.sys_descr) {
                out += fmt::format("description = {}\n",
                                   toml_string(f->device.sys_descr->substr(
                                       0, f->device.sys_descr->find_first_of("\r\n"))));
            }
        }
        ctx.print(out);
    } else {
        report::Table t({"ADDRESS", "SYSNAME", "VENDOR", "CREDENTIAL", "SYSDESCR"});
        for (const Found* f : list) {
            std::string descr = f->device.sys_descr.value_or("-");
            descr = descr.substr(0, descr.find_first_of("\r\n")).substr(0, 60);
            t.add({f->address, f->device.sys_name.value_or("-"), f->device.vendor.value_or("-"),
                   f->credential, descr});
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
    auto* env = sub.add_option("--community-env", o->community_env,
                               "Also try the SNMPv2c community in this environment variable")
                    ->type_name("VAR");
    auto* file = sub.add_option("--community-file", o->community_file,
                                "Also try the SNMPv2c community on the first line of this file "
                                "(mode 0600)")
                     ->type_name("FILE")
                     ->excludes(env);
    sub.add_option("-c,--community", o->community,
                   "Also try this SNMPv2c community. Every user sees it in the process list: "
                   "prefer --community-env or --community-file")
        ->excludes(env)
        ->excludes(file);
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
