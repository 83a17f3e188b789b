// SPDX-License-Identifier: Apache-2.0
//
// netinv config check: load and validate the whole configuration (sites, targets, credentials,
// the plan) and report the counts and every problem. netinv config targets: the targets after
// every [[target_group]] was expanded, with their sites: what a scan would poll.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "model/summary.hpp"
#include "model/text.hpp"
#include "report/escape.hpp"
#include "report/json.hpp"
#include "report/table.hpp"

namespace netinv::cli {

namespace {

struct ConfigOptions {
    CLI::App* check = nullptr;
    CLI::App* targets = nullptr;
    bool no_secrets = false;
};

std::string billions(std::int64_t million) {
    return fmt::format("{:.2f}", million / 1000.0);
}

int run_check(RunContext& ctx, const ConfigOptions& opt) {
    const auto format = ctx.format("config check", {report::Format::table, report::Format::json});
    if (!format) {
        return exit_usage;
    }
    const std::string path = ctx.config_path();
    LoadOptions lo;
    lo.getenv = process_getenv;
    lo.resolve_secrets = !opt.no_secrets;
    const auto r = load_config_file(path, lo);
    std::map<std::string, int> sites;
    std::map<std::string, int> roles;
    if (r.config) {
        for (const auto& s : r.config->sites) {
            ++sites[s.kind];
        }
        for (const auto& t : r.config->targets) {
            ++roles[t.role.value_or("unspecified")];
        }
    }
    const bool ok = r.errors.empty() && r.warnings.empty();
    if (*format == report::Format::json) {
        report::JsonWriter w;
        w.begin_document();
        w.field("config", path);
        w.field("ok", ok);
        w.key("errors").begin_array();
        for (const auto& e : r.errors) {
            w.value(e);
        }
        w.end_array();
        w.key("warnings").begin_array();
        for (const auto& e : r.warnings) {
            w.value(e);
        }
        w.end_array();
        if (r.config) {
            const auto& c = *r.config;
            w.key("sites").begin_object();
            for (const auto& k : c.site_kinds) {
                w.field(k.name, sites[k.name]);
            }
            w.end_object();
            w.key("targets").begin_object();
            w.field("total", static_cast<std::uint64_t>(c.targets.size()));
            w.key("by_role").begin_object();
            for (const auto& [role, n] : roles) {
                w.field(role, n);
            }
            w.end_object();
            w.end_object();
            w.field("credentials", static_cast<std::uint64_t>(c.credentials.size()));
            w.key("plan");
            if (c.plan) {
                w.begin_object();
                w.field("id", c.plan->id);
                w.field("year", c.plan->year);
                w.field("objectives", static_cast<std::uint64_t>(c.plan->objectives.size()));
                w.field("projects", static_cast<std::uint64_t>(c.plan->projects.size()));
                w.field("total_budget_billion_vnd", c.plan->total_budget_million / 1000.0);
                w.end_object();
            } else {
                w.null();
            }
        }
        w.end_object();
        ctx.print(w.str());
        return ok ? exit_ok : exit_usage;
    }
    std::string out;
    for (const auto& e : r.errors) {
        out += e + "\n";
    }
    if (const auto note = ctx.config_search_note(); !note.empty()) {
        out += "netinv: " + note + "\n";
    }
    for (const auto& e : r.warnings) {
        out += e + "\n";
    }
    if (r.config) {
        const auto& c = *r.config;
        std::string site_counts;
        for (const auto& k : c.site_kinds) {
            site_counts +=
                fmt::format("{}{} {}", site_counts.empty() ? "" : ", ", k.name, sites[k.name]);
        }
        std::string role_counts;
        for (const auto& [role, n] : roles) {
            role_counts += fmt::format("{}{} {}", role_counts.empty() ? "" : ", ", role, n);
        }
        report::Table t({"", ""});
        t.add({"sites", fmt::format("{} ({})", c.sites.size(), site_counts)});
        t.add({"targets", fmt::format("{} ({})", c.targets.size(), role_counts)});
        t.add({"credentials", fmt::format("{}", c.credentials.size())});
        if (c.plan) {
            t.add({"plan",
                   fmt::format("{} ({}): {} objectives, {} projects, {} billion VND", c.plan->id,
                               c.plan->year, c.plan->objectives.size(), c.plan->projects.size(),
                               billions(c.plan->total_budget_million))});
        } else {
            t.add({"plan", "none"});
        }
        std::string text = t.render();
        text.erase(0, text.find('\n') + 1);
        out += fmt::format("{}{}\n", ok ? "" : "\n", path);
        out += text;
    }
    const std::size_t problems = r.errors.size() + r.warnings.size();
    out += problems == 0 ? "no problems\n"
                         : fmt::format("{} problem{}\n", problems, problems == 1 ? "" : "s");
    ctx.print(out);
    return ok ? exit_ok : exit_usage;
}

int run_targets(RunContext& ctx, const ConfigOptions&) {
    const auto format = ctx.format(
        "config targets", {report::Format::table, report::Format::json, report::Format::csv});
    if (!format) {
        return exit_usage;
    }
    const std::string path = ctx.config_path();
    LoadOptions lo;
    lo.getenv = process_getenv;
    lo.resolve_secrets = false; // listing targets needs no secret
    const auto r = load_config_file(path, lo);
    for (const auto& w : r.warnings) {
        ctx.warning(w);
    }
    if (!r.config) {
        for (const auto& e : r.errors) {
            fmt::print(ctx.err, "{}\n", e);
        }
        if (const auto note = ctx.config_search_note(); !note.empty()) {
            ctx.error(note);
        }
        return exit_usage;
    }
    const auto& c = *r.config;
    struct Row {
        const model::Target* t;
        const model::Site* site;
        const model::Credential* cred;
    };
    std::vector<Row> rows;
    for (const auto& t : c.targets) {
        rows.push_back(
            {&t, t.site ? c.find_site(*t.site) : nullptr, c.find_credential(t.credential)});
    }
    if (*format == report::Format::json) {
        report::JsonWriter w;
        w.begin_document();
        w.key("targets").begin_array();
        for (const auto& row : rows) {
            const auto& t = *row.t;
            w.begin_object();
            w.field("name", t.name);
            w.field("address", t.address);
            w.field("port", std::uint32_t{t.port});
            w.field("site", t.site);
            w.key("site_kind");
            row.site ? w.value(row.site->kind) : w.null();
            w.key("site_name");
            row.site ? w.value(row.site->name) : w.null();
            w.key("parent_site");
            row.site && !row.site->parent.empty() ? w.value(row.site->parent) : w.null();
            const model::Site* district = model::district_of(c, row.site);
            w.key("district");
            district ? w.value(district->code) : w.null();
            w.field("role", t.role);
            w.field("credential", t.credential);
            w.field("snmp_version", model::to_string(row.cred->version));
            w.end_object();
        }
        w.end_array();
        w.end_object();
        ctx.print(w.str());
        return exit_ok;
    }
    if (*format == report::Format::csv) {
        std::string out = "name,address,port,site,site_kind,role,credential\r\n";
        for (const auto& row : rows) {
            const auto& t = *row.t;
            out += fmt::format(
                "{},{},{},{},{},{},{}\r\n", report::csv_cell(t.name), report::csv_cell(t.address),
                t.port, report::csv_cell(t.site.value_or("")),
                report::csv_cell(row.site ? row.site->kind : ""),
                report::csv_cell(t.role.value_or("")), report::csv_cell(t.credential));
        }
        ctx.print(out);
        return exit_ok;
    }
    report::Table table({"NAME", "ADDRESS", "PORT", "SITE", "ROLE", "CREDENTIAL"});
    for (const auto& row : rows) {
        const auto& t = *row.t;
        table.add({t.name, t.address, fmt::format("{}", t.port),
                   row.site ? row.site->name : t.site.value_or("-"), t.role.value_or("-"),
                   t.credential});
    }
    ctx.print(table.render() + fmt::format("\n{} targets\n", rows.size()));
    return exit_ok;
}

} // namespace

Handler setup_config(CLI::App& sub, GlobalOptions& global) {
    auto opt = std::make_shared<ConfigOptions>();
    opt->check = sub.add_subcommand("check", "Validate the configuration and the plan: counts "
                                             "and every problem (exit 0 only when there is none)");
    opt->check->add_flag("--no-secrets", opt->no_secrets,
                         "Do not read the secrets (environment variables, secrets files)");
    opt->targets = sub.add_subcommand("targets", "List the targets a scan would poll, after "
                                                 "expanding every [[target_group]]");
    for (CLI::App* s : {opt->check, opt->targets}) {
        add_global_options(*s, global);
        s->footer("Exit codes: see 'netinv --help'.");
    }
    sub.require_subcommand(1);
    return [opt](RunContext& ctx) {
        return opt->check->parsed() ? run_check(ctx, *opt) : run_targets(ctx, *opt);
    };
}

} // namespace netinv::cli
