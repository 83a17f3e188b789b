// SPDX-License-Identifier: Apache-2.0
//
// netinv devices / netinv show / netinv search / netinv export: read the latest complete scan
// from the database and render it, all of it, one device (by name, address, serial or MAC), a
// filtered list, what matches a text, or the files another inventory system imports.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>
#include <set>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "cli/file_io.hpp"
#include "cli/history.hpp"
#include "model/error.hpp"
#include "model/search.hpp"
#include "model/summary.hpp"
#include "model/text.hpp"
#include "report/escape.hpp"
#include "report/json.hpp"
#include "report/netbox.hpp"
#include "report/table.hpp"
#include "store/store.hpp"

namespace netinv::cli {

namespace {

struct ShowOptions {
    std::string device;
    std::string scan = "latest";
};

struct DevicesOptions {
    std::string by;
    std::string scan = "latest";
    std::string site;
    std::string role;
    std::string vendor;
};

struct SearchOptions {
    std::string text;
    std::string scan = "latest";
};

struct ExportOptions {
    std::string dir;
    std::string scan = "latest";
};

// The configuration for its site tree only, without a word when there is none (a manager
// reading the administrator's database may have no configuration): nullopt then.
std::optional<model::Config> site_tree(const RunContext& ctx) {
    LoadOptions lo;
    lo.resolve_secrets = false;
    auto loaded = load_config_file(ctx.config_path(), lo);
    return std::move(loaded.config);
}

// Opens an existing database and finds the scan named by `spec` (default: the latest complete
// one); prints why not otherwise.
std::optional<store::ScanInfo> find_scan(const RunContext& ctx, std::unique_ptr<store::Store>& db,
                                         const std::string& spec) {
    db = open_existing_store(ctx);
    if (!db) {
        return std::nullopt;
    }
    if (spec == "latest") {
        auto scan = db->latest_complete_scan();
        if (!scan) {
            ctx.error(fmt::format("{}: no complete scan yet; run 'netinv scan' first", db->path()));
        }
        return scan;
    }
    std::string why;
    auto scan = select_scan(db->scans(), spec, why);
    if (!scan) {
        ctx.error(fmt::format("{}: {}", db->path(), why));
    }
    return scan;
}

int run_devices(RunContext& ctx, const DevicesOptions& opt) {
    const auto format =
        ctx.format("devices", {report::Format::table, report::Format::json, report::Format::csv});
    if (!format) {
        return exit_usage;
    }
    std::unique_ptr<store::Store> db;
    auto scan = find_scan(ctx, db, opt.scan);
    if (!scan) {
        return exit_failure;
    }
    report::ScanContext sc{scan->id, scan->started_at, {}, ctx.global.language()};
    if (!opt.by.empty()) {
        // Grouping needs the site tree, which lives in the configuration (no secrets needed).
        const auto config = load_config(ctx, false);
        if (!config) {
            return exit_usage;
        }
        if (opt.by != "kind" && !config->find_kind(opt.by)) {
            std::string kinds;
            for (const auto& k : config->site_kinds) {
                kinds += " " + k.name;
            }
            ctx.error(fmt::format("--by: '{}' is not a site kind of {} (kinds:{}; or 'kind')",
                                  model::sanitize_terminal(opt.by), config->path, kinds));
            return exit_usage;
        }
        ctx.print(report::render_summary(model::summarize(*config, db->outcomes(scan->id), opt.by),
                                         opt.by, sc, *format));
        return exit_ok;
    }
    model::DeviceFilter filter;
    for (auto [field, value] :
         {std::pair{&filter.site, &opt.site}, std::pair{&filter.role, &opt.role},
          std::pair{&filter.vendor, &opt.vendor}}) {
        if (!value->empty()) {
            *field = *value;
        }
    }
    std::optional<model::Config> tree;
    if (!filter.empty()) {
        tree = site_tree(ctx);
        if (filter.site && (!tree || !tree->find_site(*filter.site))) {
            ctx.warning(fmt::format("--site {}: {}; only devices of that very site are listed",
                                    model::sanitize_terminal(*filter.site),
                                    tree ? "not a site of " + tree->path
                                         : std::string("no configuration to read the site tree "
                                                       "from")));
        }
    }
    const model::Config* config = tree ? &*tree : nullptr;
    auto outcomes = db->outcomes(scan->id);
    sc.captures = captures_of(outcomes);
    for (auto& o : outcomes) {
        const model::Target* t = config ? config->find_target(o.target) : nullptr;
        if (o.outcome != model::Outcome::ok &&
            (filter.empty() || model::matches(config, t, filter))) {
            sc.failures.push_back(std::move(o));
        }
    }
    auto devices = db->devices(scan->id);
    std::erase_if(devices,
                  [&](const model::Device& d) { return !model::matches(config, d, filter); });
    ctx.print(report::render_devices(devices, sc, *format));
    return exit_ok;
}

int run_search(RunContext& ctx, const SearchOptions& opt) {
    const auto format =
        ctx.format("search", {report::Format::table, report::Format::json, report::Format::csv});
    if (!format) {
        return exit_usage;
    }
    if (opt.text.empty()) {
        ctx.error("search: give a text, an address or prefix, or a MAC to look for");
        return exit_usage;
    }
    std::unique_ptr<store::Store> db;
    auto scan = find_scan(ctx, db, opt.scan);
    if (!scan) {
        return exit_failure;
    }
    const auto query = model::parse_query(opt.text);
    const auto hits = model::search(db->devices(scan->id), query);
    if (*format == report::Format::json) {
        report::JsonWriter w;
        w.begin_document();
        w.key("scan").begin_object();
        w.field("id", scan->id);
        w.field("started_at", scan->started_at);
        w.end_object();
        w.field("query", opt.text);
        w.key("hits").begin_array();
        for (const auto& h : hits) {
            w.begin_object();
            w.field("device", h.device);
            w.field("field", h.field);
            w.field("value", h.value);
            w.key("interface");
            h.where.empty() ? w.null() : w.value(h.where);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        ctx.print(w.str());
        return exit_ok;
    }
    if (*format == report::Format::csv) {
        std::string out = "device,field,value,interface\r\n";
        for (const auto& h : hits) {
            out += fmt::format("{},{},{},{}\r\n", report::csv_cell(h.device),
                               report::csv_cell(h.field), report::csv_cell(h.value),
                               report::csv_cell(h.where));
        }
        ctx.print(out);
        return exit_ok;
    }
    report::Table t({"DEVICE", "FOUND IN", "VALUE", "INTERFACE"});
    for (const auto& h : hits) {
        t.add({h.device, h.field, h.value, h.where.empty() ? "-" : h.where});
    }
    std::set<std::string> devices;
    for (const auto& h : hits) {
        devices.insert(h.device);
    }
    ctx.print((hits.empty() ? std::string() : t.render() + "\n") +
              fmt::format("{} match{} on {} device{} in scan {}\n", hits.size(),
                          hits.size() == 1 ? "" : "es", devices.size(),
                          devices.size() == 1 ? "" : "s", scan->id));
    return exit_ok;
}

int run_show(RunContext& ctx, const ShowOptions& opt) {
    const auto format = ctx.format("show", {report::Format::table, report::Format::json});
    if (!format) {
        return exit_usage;
    }
    std::unique_ptr<store::Store> db;
    auto scan = find_scan(ctx, db, opt.scan);
    if (!scan) {
        return exit_failure;
    }
    std::optional<model::Device> found = db->device(scan->id, opt.device);
    if (!found) {
        // Not a target's name: an address, a serial or a MAC of a device of the scan.
        const auto all = db->devices(scan->id);
        const auto matching = model::find_devices(all, opt.device);
        if (matching.size() > 1) {
            std::string names;
            for (std::size_t i = 0; i < matching.size() && i < 10; ++i) {
                names += (names.empty() ? "" : ", ") + matching[i]->name;
            }
            if (matching.size() > 10) {
                names += fmt::format(" and {} more", matching.size() - 10);
            }
            ctx.error(fmt::format("'{}' names {} devices of scan {}: {}; show one by its name",
                                  model::sanitize_terminal(opt.device), matching.size(), scan->id,
                                  names));
            return exit_failure;
        }
        if (matching.size() == 1) {
            found = *matching.front();
        }
    }
    if (auto& d = found) {
        report::Provenance from;
        for (const auto& o : db->outcomes(scan->id)) {
            if (o.target == d->name) {
                from = report::Provenance::of(o);
                from.captured_shown = shown_time(o.captured_at);
            }
        }
        ctx.print(report::render_device(*d, *format, from, ctx.global.language()));
        return exit_ok;
    }
    std::vector<std::string> names;
    for (const auto& o : db->outcomes(scan->id)) {
        if (o.target == opt.device) {
            ctx.error(fmt::format("{} did not answer in scan {}: {}: {}{}", opt.device, scan->id,
                                  model::to_string(o.outcome), o.detail,
                                  o.credential.empty() || o.detail.starts_with("no credential")
                                      ? ""
                                      : fmt::format(" (credential {})", o.credential)));
            return exit_failure;
        }
        names.push_back(o.target);
    }
    std::vector<std::string_view> views(names.begin(), names.end());
    auto hint = model::closest_match(opt.device, views);
    ctx.error(fmt::format("no device '{}' in scan {}{}", model::sanitize_terminal(opt.device),
                          scan->id, hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
    return exit_failure;
}

} // namespace

Handler setup_devices(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<DevicesOptions>();
    sub.add_option("--by", opt->by,
                   "Summarise instead: counts per site kind ('kind'), or per site of a kind "
                   "with everything under it (e.g. 'district'; reads the site tree from the "
                   "configuration)")
        ->type_name("kind|KIND");
    sub.add_option("--site", opt->site,
                   "Only the devices of this site and the sites under it (the tree of the "
                   "configuration)")
        ->type_name("CODE");
    sub.add_option("--role", opt->role, "Only devices of this role (router, server, ...)")
        ->type_name("ROLE");
    sub.add_option("--vendor", opt->vendor, "Only devices of this vendor (Cisco, MikroTik, ...)")
        ->type_name("VENDOR");
    sub.add_option("--scan", opt->scan,
                   "A past complete scan: id, date (YYYY-MM-DD), latest or latest~N")
        ->type_name("SCAN")
        ->capture_default_str();
    return [opt](RunContext& ctx) {
        return run_devices(ctx, *opt);
    };
}

Handler setup_show(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<ShowOptions>();
    sub.add_option("DEVICE", opt->device,
                   "The device: its target name, or one of its addresses, its serial number or "
                   "an interface's MAC (any notation)")
        ->required();
    sub.add_option("--scan", opt->scan,
                   "A past complete scan: id, date (YYYY-MM-DD), latest or latest~N")
        ->type_name("SCAN")
        ->capture_default_str();
    return [opt](RunContext& ctx) {
        return run_show(ctx, *opt);
    };
}

int run_export_netbox(RunContext& ctx, const ExportOptions& opt) {
    LoadOptions lo;
    lo.resolve_secrets = false;
    auto loaded = load_config_file(ctx.config_path(), lo);
    for (const auto& e : loaded.errors) {
        ctx.error(e);
    }
    if (!loaded.config || !loaded.errors.empty()) {
        ctx.error("export netbox: the configuration's site tree is needed (regions and sites)");
        return exit_usage;
    }
    std::unique_ptr<store::Store> db;
    auto scan = find_scan(ctx, db, opt.scan);
    if (!scan) {
        return exit_failure;
    }
    const auto files = report::render_netbox(*loaded.config, db->devices(scan->id));
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(opt.dir, ec);
    if (ec || !fs::is_directory(opt.dir)) {
        ctx.error(fmt::format("{}: cannot create the folder: {}", opt.dir,
                              ec ? ec.message() : "not a folder"));
        return exit_failure;
    }
    try {
        std::string summary;
        for (const auto& f : files) {
            write_atomically(fs::path(opt.dir) / f.name, f.csv);
            summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", f.rows, f.name);
        }
        if (!ctx.global.quiet) {
            ctx.print(fmt::format("scan {}: wrote {} rows to {}; import them into NetBox in that "
                                  "order\n",
                                  scan->id, summary, opt.dir));
        }
    } catch (const Error& e) {
        ctx.error(e.what());
        return exit_failure;
    }
    return exit_ok;
}

Handler setup_export(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<ExportOptions>();
    sub.require_subcommand(1);
    auto* nb = sub.add_subcommand("netbox", "The CSV files of NetBox's bulk import: regions, "
                                            "sites, manufacturers, device types, roles, devices, "
                                            "interfaces, IP addresses");
    nb->add_option("--dir", opt->dir, "The folder to write them in (created when missing)")
        ->required()
        ->type_name("DIR");
    nb->add_option("--scan", opt->scan,
                   "A past complete scan: id, date (YYYY-MM-DD), latest or latest~N")
        ->type_name("SCAN")
        ->capture_default_str();
    return [opt](RunContext& ctx) {
        return run_export_netbox(ctx, *opt);
    };
}

Handler setup_search(CLI::App& sub, GlobalOptions&) {
    auto opt = std::make_shared<SearchOptions>();
    sub.add_option("TEXT", opt->text,
                   "What to look for: part of a name, sysName, serial, model, location or "
                   "neighbour; an IPv4/IPv6 address or prefix (10.20.1.0/24) or the start of "
                   "one (10.20.); a MAC or its start in any notation (00:1b:54, 001b.54aa.bb01)")
        ->required();
    sub.add_option("--scan", opt->scan,
                   "A past complete scan: id, date (YYYY-MM-DD), latest or latest~N")
        ->type_name("SCAN")
        ->capture_default_str();
    return [opt](RunContext& ctx) {
        return run_search(ctx, *opt);
    };
}

} // namespace netinv::cli
