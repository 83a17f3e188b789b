// SPDX-License-Identifier: Apache-2.0
#include "report/device.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/text.hpp"
#include "report/escape.hpp"
#include "report/table.hpp"

namespace netinv::report {

namespace {

std::string opt(const std::optional<std::string>& s) {
    return s ? *s : "-";
}

template <typename T> std::string opt_num(const std::optional<T>& v) {
    return v ? fmt::format("{}", *v) : "-";
}

std::size_t count_family(const model::Device& d, model::Family f) {
    return static_cast<std::size_t>(std::ranges::count(d.addresses, f, &model::Address::family));
}

std::string first_line(std::string_view s) {
    return std::string(s.substr(0, s.find_first_of("\r\n")));
}

} // namespace

std::optional<Format> format_from_string(std::string_view s) {
    if (s == "table") {
        return Format::table;
    }
    if (s == "json") {
        return Format::json;
    }
    if (s == "csv") {
        return Format::csv;
    }
    if (s == "toml") {
        return Format::toml;
    }
    if (s == "markdown") {
        return Format::markdown;
    }
    if (s == "html") {
        return Format::html;
    }
    return std::nullopt;
}

std::string_view to_string(Format f) {
    switch (f) {
    case Format::table:
        return "table";
    case Format::json:
        return "json";
    case Format::csv:
        return "csv";
    case Format::toml:
        return "toml";
    case Format::markdown:
        return "markdown";
    case Format::html:
        return "html";
    }
    return "table";
}

std::string human_speed(std::uint64_t bps) {
    struct Unit {
        std::uint64_t div;
        const char* suffix;
    };
    for (const Unit u : {Unit{1'000'000'000'000ull, "T"}, Unit{1'000'000'000ull, "G"},
                         Unit{1'000'000ull, "M"}, Unit{1'000ull, "k"}}) {
        if (bps >= u.div) {
            if (bps % u.div == 0) {
                return fmt::format("{}{}", bps / u.div, u.suffix);
            }
            return fmt::format("{:.1f}{}", static_cast<double>(bps) / static_cast<double>(u.div),
                               u.suffix);
        }
    }
    return fmt::format("{}", bps);
}

std::string human_uptime(std::uint64_t cs) {
    const std::uint64_t s = cs / 100;
    return fmt::format("{}d {:02}:{:02}:{:02}", s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60);
}

Provenance Provenance::of(const model::TargetOutcome& o) {
    Provenance p;
    if (!o.credential.empty()) {
        p.credential = o.credential; // scans before netinv recorded it have none
    }
    p.capture_file = o.capture_file;
    p.captured_at = o.captured_at;
    p.poller = o.poller;
    return p;
}

std::string captures_sentence(const std::map<std::string, Provenance>& captures, Lang lang) {
    if (captures.empty()) {
        return {};
    }
    std::string names;
    for (const auto& [name, p] : captures) {
        names += (names.empty() ? "" : ", ") +
                 trf(lang, "{} (captured {})", name,
                     p.captured_shown.empty() ? p.captured_at : p.captured_shown);
    }
    return trf(lang, "Read from a capture, not polled: {}.", names);
}

std::string captures_footer(const std::map<std::string, Provenance>& captures, Lang lang,
                            Format format) {
    const auto note = captures_sentence(captures, lang);
    if (note.empty() || (format != Format::table && format != Format::markdown)) {
        return {};
    }
    return "\n" + note + "\n";
}

void write_captures_json(JsonWriter& w, const std::map<std::string, Provenance>& captures) {
    w.key("captures").begin_array();
    for (const auto& [name, p] : captures) {
        w.begin_object().field("target", name).field("file", p.capture_file);
        w.field("captured_at", p.captured_at).end_object();
    }
    w.end_array();
}

void write_device_json(JsonWriter& w, const model::Device& d, const Provenance& from,
                       bool document) {
    document ? w.begin_document() : w.begin_object();
    w.field("name", d.name);
    w.field("address", d.target_address);
    if (from.credential) {
        w.field("credential", *from.credential);
    }
    if (!from.poller.empty()) {
        w.field("poller", from.poller);
    }
    if (!from.capture_file.empty()) {
        w.key("capture").begin_object();
        w.field("file", from.capture_file).field("captured_at", from.captured_at).end_object();
    }
    w.field("site", d.site);
    w.field("sys_name", d.sys_name);
    w.field("sys_descr", d.sys_descr);
    w.field("sys_object_id", d.sys_object_id);
    w.field("sys_uptime_cs", d.sys_uptime_cs);
    w.field("sys_contact", d.sys_contact);
    w.field("sys_location", d.sys_location);
    w.field("vendor", d.vendor);
    w.field("model", d.model);
    w.field("serial", d.serial);
    w.field("os", d.os);
    w.field("version", d.version);
    w.field("hardware", d.hardware);
    w.field("role", d.role);
    w.key("interfaces").begin_array();
    for (const auto& i : d.interfaces) {
        w.begin_object();
        w.field("index", i.index);
        w.field("name", i.name);
        w.field("descr", i.descr);
        w.field("alias", i.alias);
        w.field("type", i.type);
        w.field("speed_bps", i.speed_bps);
        w.field("mac", i.mac);
        auto status = [&](std::string_view k, const std::optional<model::IfStatus>& s) {
            w.key(k);
            s ? w.value(model::to_string(*s)) : w.null();
        };
        status("admin_status", i.admin_status);
        status("oper_status", i.oper_status);
        w.field("ipv6_enabled", i.ipv6_enabled);
        w.field("ipv6_forwarding", i.ipv6_forwarding);
        w.field("ra_send", i.ra_send);
        w.field("ra_lifetime_s", i.ra_lifetime_s);
        w.field("ra_managed", i.ra_managed);
        w.field("ra_other", i.ra_other);
        w.field("tunnel_encaps", i.tunnel_encaps);
        w.end_object();
    }
    w.end_array();
    w.key("addresses").begin_array();
    for (const auto& a : d.addresses) {
        w.begin_object();
        w.field("family", model::to_string(a.family));
        w.field("address", a.address);
        w.field("prefix_length",
                a.prefix_length ? std::optional<std::uint32_t>(*a.prefix_length) : std::nullopt);
        w.field("if_index", a.if_index);
        w.field("origin", a.origin);
        w.field("status", a.status);
        w.field("anycast", a.anycast);
        w.end_object();
    }
    w.end_array();
    w.field("ipv4_forwarding", d.ipv4_forwarding);
    w.field("ipv6_forwarding", d.ipv6_forwarding);
    w.key("default_routes").begin_array();
    for (const auto& r : d.default_routes) {
        w.begin_object();
        w.field("family", model::to_string(r.family));
        w.field("next_hop", r.next_hop);
        w.field("if_index", r.if_index);
        w.end_object();
    }
    w.end_array();
    w.key("lldp_neighbors").begin_array();
    for (const auto& n : d.lldp) {
        w.begin_object();
        w.field("local_port", n.local_port);
        w.field("chassis_id", n.chassis_id);
        w.field("port_id", n.port_id);
        w.field("port_descr", n.port_descr);
        w.field("sys_name", n.sys_name);
        w.field("protocol", n.protocol);
        w.field("platform", n.platform);
        w.key("management_addresses").begin_array();
        for (const auto& a : n.management_addresses) {
            w.value(a);
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.key("neighbor_cache").begin_array();
    for (const auto& e : d.neighbor_cache) {
        w.begin_object();
        w.field("family", model::to_string(e.family));
        w.field("address", e.address);
        w.field("mac", e.mac);
        w.field("if_index", e.if_index);
        w.field("type", e.type);
        w.end_object();
    }
    w.end_array();
    w.key("vlans").begin_array();
    for (const auto& v : d.vlans) {
        w.begin_object();
        w.field("id", v.id);
        w.field("name", v.name);
        w.end_object();
    }
    w.end_array();
    w.field("cpus", d.cpus);
    w.field("memory_bytes", d.memory_bytes);
    w.key("volumes").begin_array();
    for (const auto& v : d.volumes) {
        w.begin_object();
        w.field("descr", v.descr);
        w.field("size_bytes", v.size_bytes);
        w.field("used_bytes", v.used_bytes);
        w.end_object();
    }
    w.end_array();
    w.field("ipv6_hop_limit", d.ipv6_hop_limit);
    w.field("ipv6_address_mib", d.ipv6_address_mib);
    auto strings = [&](std::string_view k, const std::vector<std::string>& v) {
        w.key(k).begin_array();
        for (const auto& x : v) {
            w.value(x);
        }
        w.end_array();
    };
    strings("tables", d.tables);
    strings("partial_walks", d.partial);
    w.key("ipv6_routers").begin_array();
    for (const auto& r : d.ipv6_routers) {
        w.begin_object().field("address", r.address).field("if_index", r.if_index);
        w.field("lifetime_s", r.lifetime_s).end_object();
    }
    w.end_array();
    w.key("listeners").begin_array();
    for (const auto& l : d.listeners) {
        w.begin_object().field("protocol", l.protocol);
        w.key("family");
        l.family ? w.value(model::to_string(*l.family)) : w.null();
        w.field("address", l.address).field("port", l.port).end_object();
    }
    w.end_array();
    w.key("counters").begin_object();
    for (const auto& c : d.counters) {
        w.field(c.oid, c.value);
    }
    w.end_object();
    w.key("ipv6_management");
    if (d.ipv6_management) {
        w.begin_object().field("address", d.ipv6_management->address);
        w.field("ok", d.ipv6_management->ok).field("detail", d.ipv6_management->detail);
        w.end_object();
    } else {
        w.null();
    }
    w.end_object();
}

std::string render_devices(const std::vector<model::Device>& devices, const ScanContext& scan,
                           Format format) {
    if (format == Format::json) {
        JsonWriter w;
        w.begin_document();
        w.key("scan").begin_object();
        w.field("id", scan.scan_id);
        w.field("started_at", scan.started_at);
        w.end_object();
        w.key("devices").begin_array();
        for (const auto& d : devices) {
            const auto c = scan.captures.find(d.name);
            write_device_json(w, d, c == scan.captures.end() ? Provenance{} : c->second);
        }
        w.end_array();
        w.key("failed").begin_array();
        for (const auto& f : scan.failures) {
            w.begin_object();
            w.field("name", f.target);
            w.field("address", f.address);
            w.field("outcome", model::to_string(f.outcome));
            w.field("detail", f.detail);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        return w.str();
    }
    if (format == Format::csv) {
        std::string out =
            "name,address,site,sys_name,vendor,sys_object_id,interfaces,ipv4,ipv6,role,model,"
            "serial,os,version,hardware,sys_location,captured_at\r\n";
        const auto cell = [](const std::optional<std::string>& v) {
            return csv_cell(v.value_or(""));
        };
        for (const auto& d : devices) {
            // New columns go at the end: scripts that read the first nine by place still work.
            const auto c = scan.captures.find(d.name);
            out += fmt::format(
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_cell(d.name),
                csv_cell(d.target_address), cell(d.site), cell(d.sys_name), cell(d.vendor),
                cell(d.sys_object_id), d.interfaces.size(), count_family(d, model::Family::ipv4),
                count_family(d, model::Family::ipv6), cell(d.role), cell(d.model), cell(d.serial),
                cell(d.os), cell(d.version), cell(d.hardware), cell(d.sys_location),
                c == scan.captures.end() ? "" : c->second.captured_at);
        }
        return out;
    }
    const Lang lang = scan.lang;
    Table t({tr(lang, "NAME"), tr(lang, "ADDRESS"), tr(lang, "SITE"), "SYSNAME", tr(lang, "VENDOR"),
             tr(lang, "IFS"), "IPV4", "IPV6"});
    for (const auto& d : devices) {
        t.add({d.name, d.target_address, opt(d.site), opt(d.sys_name), opt(d.vendor),
               fmt::format("{}", d.interfaces.size()),
               fmt::format("{}", count_family(d, model::Family::ipv4)),
               fmt::format("{}", count_family(d, model::Family::ipv6))});
    }
    std::string out = t.render();
    out += "\n" + trnf(lang, "{} device from scan {} ({})", "{} devices from scan {} ({})",
                       devices.size(), devices.size(), scan.scan_id, scan.started_at);
    if (!scan.failures.empty()) {
        out += "; " + trnf(lang, "{} target did not answer:", "{} targets did not answer:",
                           scan.failures.size(), scan.failures.size());
        Table f({tr(lang, "NAME"), tr(lang, "ADDRESS"), tr(lang, "OUTCOME"), tr(lang, "DETAIL")});
        for (const auto& o : scan.failures) {
            f.add({o.target, o.address, std::string(model::to_string(o.outcome)), o.detail});
        }
        out += "\n" + f.render("  ");
    } else {
        out += "\n";
    }
    if (const auto note = captures_sentence(scan.captures, lang); !note.empty()) {
        out += note + "\n";
    }
    return out;
}

std::string render_summary(const std::vector<model::SummaryRow>& rows, const std::string& by,
                           const ScanContext& scan, Format format) {
    const std::string& group = by;
    if (format == Format::json) {
        JsonWriter w;
        w.begin_document();
        w.key("scan").begin_object();
        w.field("id", scan.scan_id);
        w.field("started_at", scan.started_at);
        w.end_object();
        w.field("by", group);
        w.key("groups").begin_array();
        for (const auto& r : rows) {
            w.begin_object();
            w.field("key", r.key);
            w.field("name", r.name);
            w.field("sites", r.sites);
            w.field("targets", r.targets);
            w.field("ok", r.ok);
            w.field("failed", r.failed);
            w.key("failed_targets").begin_array();
            for (const auto& f : r.failed_targets) {
                w.value(f);
            }
            w.end_array();
            w.end_object();
        }
        w.end_array();
        w.end_object();
        return w.str();
    }
    if (format == Format::csv) {
        std::string out = fmt::format("{},name,sites,targets,ok,failed\r\n", group);
        for (const auto& r : rows) {
            out += fmt::format("{},{},{},{},{},{}\r\n", csv_cell(r.key), csv_cell(r.name), r.sites,
                               r.targets, r.ok, r.failed);
        }
        return out;
    }
    std::string head = by == "kind" ? "SITE KIND" : by;
    std::ranges::transform(head, head.begin(), [](unsigned char c) { return std::toupper(c); });
    Table t({head, "SITES", "TARGETS", "OK", "FAILED", "NOT ANSWERING"});
    int targets = 0;
    int ok = 0;
    for (const auto& r : rows) {
        std::string failed;
        for (std::size_t i = 0; i < r.failed_targets.size() && i < 4; ++i) {
            failed += (i ? ", " : "") + r.failed_targets[i];
        }
        if (r.failed_targets.size() > 4) {
            failed += fmt::format(" (+{})", r.failed_targets.size() - 4);
        }
        std::string label = r.name;
        if (by != "kind") {
            label = r.key.empty() ? fmt::format("(above {} level)", by)
                                  : fmt::format("{} {}", r.key, r.name);
        }
        t.add({label, fmt::format("{}", r.sites), fmt::format("{}", r.targets),
               fmt::format("{}", r.ok), fmt::format("{}", r.failed), failed});
        targets += r.targets;
        ok += r.ok;
    }
    t.add({"total", "", fmt::format("{}", targets), fmt::format("{}", ok),
           fmt::format("{}", targets - ok), ""});
    return t.render() + fmt::format("\nscan {} ({})\n", scan.scan_id, scan.started_at);
}

std::string render_device(const model::Device& d, Format format, const Provenance& from,
                          Lang lang) {
    if (format == Format::json) {
        JsonWriter w;
        write_device_json(w, d, from, true);
        return w.str();
    }
    std::map<std::uint32_t, std::string> if_names;
    for (const auto& i : d.interfaces) {
        if_names[i.index] = i.name.value_or(i.descr.value_or(""));
    }
    Table ident({"", ""});
    ident.add({trc(lang, "device field", "address"), d.target_address});
    if (from.credential) {
        ident.add({trc(lang, "device field", "credential"), *from.credential});
    }
    if (!from.poller.empty()) {
        ident.add({trc(lang, "device field", "poller"), from.poller});
    }
    if (!from.capture_file.empty()) {
        ident.add({trc(lang, "device field", "source"),
                   trf(lang, "a capture of {} ({}), not a poll",
                       from.captured_shown.empty() ? from.captured_at : from.captured_shown,
                       from.capture_file)});
    }
    ident.add({trc(lang, "device field", "site"), opt(d.site)});
    ident.add({"sysName", opt(d.sys_name)});
    ident.add({"sysDescr", d.sys_descr ? first_line(*d.sys_descr) : "-"});
    ident.add({"sysObjectID", opt(d.sys_object_id)});
    ident.add({trc(lang, "device field", "uptime"),
               d.sys_uptime_cs ? human_uptime(*d.sys_uptime_cs) : "-"});
    ident.add({trc(lang, "device field", "contact"), opt(d.sys_contact)});
    ident.add({trc(lang, "device field", "location"), opt(d.sys_location)});
    ident.add({trc(lang, "device field", "vendor"), opt(d.vendor)});
    ident.add({trc(lang, "device field", "model"), opt(d.model)});
    ident.add({trc(lang, "device field", "serial"), opt(d.serial)});
    ident.add({trc(lang, "device field", "os"), opt(d.os)});
    ident.add({trc(lang, "device field", "version"), opt(d.version)});
    ident.add({trc(lang, "device field", "hardware"), opt(d.hardware)});
    ident.add({trc(lang, "device field", "role"), opt(d.role)});
    std::string ident_text = ident.render("  ");
    ident_text.erase(0, ident_text.find('\n') + 1); // no header row for key/value pairs

    Table itf({tr(lang, "INDEX"), tr(lang, "NAME"), tr(lang, "DESCR"), tr(lang, "ALIAS"),
               tr(lang, "TYPE"), tr(lang, "SPEED"), tr(lang, "MAC"), tr(lang, "ADMIN"),
               tr(lang, "OPER")});
    for (const auto& i : d.interfaces) {
        itf.add({fmt::format("{}", i.index), opt(i.name), opt(i.descr), opt(i.alias),
                 opt_num(i.type), i.speed_bps ? human_speed(*i.speed_bps) : "-", opt(i.mac),
                 i.admin_status ? std::string(model::to_string(*i.admin_status)) : "-",
                 i.oper_status ? std::string(model::to_string(*i.oper_status)) : "-"});
    }
    Table addr(
        {tr(lang, "FAMILY"), tr(lang, "ADDRESS"), tr(lang, "INTERFACE"), tr(lang, "ORIGIN")});
    for (const auto& a : d.addresses) {
        std::string where = "-";
        if (a.if_index) {
            auto it = if_names.find(*a.if_index);
            where = it != if_names.end() && !it->second.empty()
                        ? fmt::format("{} ({})", *a.if_index, it->second)
                        : fmt::format("{}", *a.if_index);
        }
        addr.add({std::string(model::to_string(a.family)),
                  a.prefix_length ? fmt::format("{}/{}", a.address, *a.prefix_length) : a.address,
                  where, opt(a.origin)});
    }
    auto yes_no = [lang](const std::optional<bool>& b) -> std::string {
        return b ? std::string(*b ? tr(lang, "yes") : tr(lang, "no")) : "-";
    };
    std::string out =
        fmt::format("{}\n{}\n{}\n{}\n{}\n{}", model::sanitize_terminal(d.name), ident_text,
                    trf(lang, "Interfaces ({})", d.interfaces.size()), itf.render("  "),
                    trf(lang, "Addresses ({})", d.addresses.size()), addr.render("  "));
    out += "\n" +
           trf(lang, "Forwarding: IPv4 {}, IPv6 {}", yes_no(d.ipv4_forwarding),
               yes_no(d.ipv6_forwarding)) +
           "\n";
    if (!d.default_routes.empty()) {
        Table t({tr(lang, "FAMILY"), tr(lang, "NEXT HOP"), tr(lang, "INTERFACE")});
        for (const auto& r : d.default_routes) {
            t.add({std::string(model::to_string(r.family)), opt(r.next_hop), opt_num(r.if_index)});
        }
        out += "\n" + trf(lang, "Default routes ({})", d.default_routes.size()) + "\n" +
               t.render("  ");
    }
    if (!d.lldp.empty()) {
        Table t({tr(lang, "PORT"), tr(lang, "VIA"), tr(lang, "NEIGHBOR"), tr(lang, "REMOTE PORT"),
                 tr(lang, "CHASSIS"), tr(lang, "MANAGEMENT")});
        for (const auto& n : d.lldp) {
            std::string mgmt;
            for (const auto& a : n.management_addresses) {
                mgmt += (mgmt.empty() ? "" : " ") + a;
            }
            t.add({fmt::format("{}", n.local_port), n.protocol, opt(n.sys_name), opt(n.port_id),
                   opt(n.chassis_id), mgmt.empty() ? "-" : mgmt});
        }
        out += "\n" + trf(lang, "Neighbours, LLDP and CDP ({})", d.lldp.size()) + "\n" +
               t.render("  ");
    }
    if (!d.vlans.empty()) {
        std::string ids;
        for (const auto& v : d.vlans) {
            ids += fmt::format("{}{}{}", ids.empty() ? "" : ", ", v.id,
                               v.name ? " " + model::sanitize_terminal(*v.name) : "");
        }
        out += "\n" + trf(lang, "VLANs ({}): {}", d.vlans.size(), ids) + "\n";
    }
    const auto v4 =
        std::ranges::count(d.neighbor_cache, model::Family::ipv4, &model::CacheEntry::family);
    out += "\n" +
           trf(lang, "Neighbour cache: {} IPv4 (ARP), {} IPv6 (ND)", v4,
               static_cast<long>(d.neighbor_cache.size()) - v4) +
           "\n";
    if (d.cpus || d.memory_bytes || !d.volumes.empty()) {
        out += "\n" +
               trf(lang, "Resources: {} CPUs, {} memory", opt_num(d.cpus),
                   d.memory_bytes ? fmt::format("{:.1f} GiB", *d.memory_bytes / 1073741824.0)
                                  : std::string("-")) +
               "\n";
        Table t({tr(lang, "VOLUME"), tr(lang, "SIZE"), tr(lang, "USED"), tr(lang, "USE%")});
        for (const auto& v : d.volumes) {
            t.add(
                {v.descr, fmt::format("{:.1f} GiB", v.size_bytes / 1073741824.0),
                 fmt::format("{:.1f} GiB", v.used_bytes / 1073741824.0),
                 v.size_bytes ? fmt::format("{:.0f}%", 100.0 * v.used_bytes / v.size_bytes) : "-"});
        }
        if (!t.empty()) {
            out += t.render("  ");
        }
    }
    return out;
}

} // namespace netinv::report
