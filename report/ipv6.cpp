// SPDX-License-Identifier: Apache-2.0
#include "report/ipv6.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/text.hpp"
#include "report/json.hpp"
#include "report/table.hpp"

namespace netinv::report {

namespace {

struct Action {
    const model::DeviceReadiness* device;
    const model::Check* check;
};

int status_rank(model::CheckStatus s) {
    switch (s) {
    case model::CheckStatus::fail:
        return 0;
    case model::CheckStatus::partial:
        return 1;
    case model::CheckStatus::unknown:
        return 2;
    case model::CheckStatus::pass:
        return 3;
    case model::CheckStatus::not_applicable:
        return 4;
    }
    return 4;
}

std::string level_text(const std::optional<int>& l) {
    return l ? fmt::format("L{}", *l) : "?";
}

std::string percent(double v) {
    return fmt::format("{:.0f}%", v * 100);
}

// The site code each device is listed under ("-" for none), in configuration order.
std::vector<std::pair<std::string, std::vector<Action>>>
work_list(const model::Ipv6Summary& s, const model::Config& c, bool all) {
    std::map<std::string, std::vector<Action>> by_site;
    for (const auto& d : s.devices) {
        for (const auto& ch : d.checks) {
            if (all || status_rank(ch.status) <= 2) {
                by_site[d.site.value_or("-")].push_back(Action{&d, &ch});
            }
        }
    }
    std::vector<std::pair<std::string, std::vector<Action>>> out;
    auto take = [&](const std::string& code) {
        auto it = by_site.find(code);
        if (it == by_site.end()) {
            return;
        }
        auto& v = it->second;
        std::ranges::stable_sort(v, [](const Action& a, const Action& b) {
            const int sa = static_cast<int>(a.check->severity);
            const int sb = static_cast<int>(b.check->severity);
            // Actions (fail, partial) by severity, then what to verify by hand, then the rest.
            const auto group = [](model::CheckStatus st) {
                return st == model::CheckStatus::fail || st == model::CheckStatus::partial ? 0
                       : st == model::CheckStatus::unknown                                 ? 1
                                                                                           : 2;
            };
            const auto ka = std::make_tuple(group(a.check->status), -sa,
                                            status_rank(a.check->status), a.device->device);
            const auto kb = std::make_tuple(group(b.check->status), -sb,
                                            status_rank(b.check->status), b.device->device);
            return ka < kb;
        });
        out.emplace_back(code, std::move(v));
        by_site.erase(it);
    };
    for (const auto& site : c.sites) {
        take(site.code);
    }
    while (!by_site.empty()) {
        take(by_site.begin()->first);
    }
    return out;
}

std::string site_title(const model::Config& c, const std::string& code) {
    const model::Site* s = c.find_site(code);
    return s ? fmt::format("{} {}", s->code, s->name) : code;
}

std::string evidence_text(const model::Check& ch) {
    std::string out;
    for (const auto& e : ch.evidence) {
        out += (out.empty() ? "" : "; ") + e;
    }
    return out;
}

void check_json(JsonWriter& w, const model::Check& ch) {
    w.begin_object();
    w.field("id", ch.id);
    w.field("title", ch.title);
    w.field("severity", model::to_string(ch.severity));
    w.field("status", model::to_string(ch.status));
    if (ch.status == model::CheckStatus::partial) {
        w.field("ratio", ch.ratio);
    }
    w.field("finding", ch.finding);
    w.key("mib");
    if (ch.mib.empty()) {
        w.null();
    } else {
        w.value(ch.mib);
    }
    w.key("evidence").begin_array();
    for (const auto& e : ch.evidence) {
        w.value(e);
    }
    w.end_array();
    w.field("remediation", ch.remediation);
    w.end_object();
}

void device_json(JsonWriter& w, const model::DeviceReadiness& d) {
    w.begin_object();
    w.field("name", d.device);
    w.field("site", d.site);
    w.field("role_class", model::to_string(d.role_class));
    w.key("level");
    if (d.level) {
        w.value(*d.level);
    } else {
        w.null();
    }
    w.field("score", d.score);
    w.field("coverage", d.coverage);
    w.field("insufficient_evidence", d.insufficient);
    w.key("checks").begin_array();
    for (const auto& ch : d.checks) {
        check_json(w, ch);
    }
    w.end_array();
    w.end_object();
}

void header_json(JsonWriter& w, const ReportContext& ctx) {
    w.field("scan_id", ctx.scan_id);
    w.field("started_at", ctx.started_at);
}

std::string checklist_json(const model::Ipv6Summary& s, const ReportContext& ctx) {
    JsonWriter w;
    w.begin_object();
    header_json(w, ctx);
    w.key("devices").begin_array();
    for (const auto& d : s.devices) {
        device_json(w, d);
    }
    w.end_array();
    w.end_object();
    return w.str();
}

} // namespace

std::string render_checklist(const model::Ipv6Summary& s, const model::Config& c,
                             const ReportContext& ctx, const ChecklistOptions& opt, Format format) {
    if (format == Format::json) {
        return checklist_json(s, ctx);
    }
    const auto list = work_list(s, c, opt.all);
    if (format == Format::csv) {
        std::string out = "site,device,role_class,level,check,title,severity,status,finding,"
                          "remediation,evidence\r\n";
        for (const auto& [site, actions] : list) {
            for (const auto& a : actions) {
                out +=
                    fmt::format("{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_cell(site),
                                csv_cell(a.device->device), model::to_string(a.device->role_class),
                                level_text(a.device->level), a.check->id, csv_cell(a.check->title),
                                model::to_string(a.check->severity),
                                model::to_string(a.check->status), csv_cell(a.check->finding),
                                csv_cell(a.check->remediation), csv_cell(evidence_text(*a.check)));
            }
        }
        return out;
    }
    if (format == Format::markdown) {
        std::string out = fmt::format("# IPv6 migration checklist\n\nScan {} of {}. One line per "
                                      "action, most severe first; *unknown* lines are checks to "
                                      "verify by hand.\n",
                                      ctx.scan_id, ctx.started_at);
        for (const auto& [site, actions] : list) {
            out += fmt::format("\n## {}\n\n| Severity | Device | Level | Check | Status | "
                               "Finding | Action |\n|---|---|---|---|---|---|---|\n",
                               md_cell(site_title(c, site)));
            for (const auto& a : actions) {
                out += fmt::format("| {} | {} | {} | {} {} | {} | {} | {} |\n",
                                   model::to_string(a.check->severity), md_cell(a.device->device),
                                   level_text(a.device->level), a.check->id,
                                   md_cell(a.check->title), model::to_string(a.check->status),
                                   md_cell(a.check->finding), md_cell(a.check->remediation));
            }
        }
        if (list.empty()) {
            out += "\nNothing to do: every check passes.\n";
        }
        return out;
    }
    std::string out;
    for (const auto& [site, actions] : list) {
        out += (out.empty() ? "" : "\n") + model::sanitize_terminal(site_title(c, site)) + "\n";
        Table t({"SEVERITY", "DEVICE", "LEVEL", "CHECK", "STATUS", "FINDING", "ACTION"});
        for (const auto& a : actions) {
            t.add({std::string(model::to_string(a.check->severity)), a.device->device,
                   level_text(a.device->level), std::string(a.check->id),
                   std::string(model::to_string(a.check->status)), a.check->finding,
                   std::string(a.check->remediation)});
        }
        out += t.render("  ");
    }
    if (list.empty()) {
        out = "nothing to do: every check passes\n";
    }
    return out;
}

namespace {

void rollup_json(JsonWriter& w, const model::SiteReadiness& s) {
    w.begin_object();
    w.field("code", s.code);
    w.field("name", s.name);
    w.field("district", s.district);
    w.field("devices", s.devices);
    w.key("by_level").begin_object();
    for (std::size_t i = 0; i < s.by_level.size(); ++i) {
        w.field(fmt::format("L{}", i), s.by_level[i]);
    }
    w.field("unrated", s.unrated);
    w.end_object();
    w.field("share_l2_or_above", s.share_l2);
    w.field("mean_score", s.mean_score);
    w.field("edge", s.edge);
    w.field("edge_default_route", s.edge_default_route);
    w.field("status", model::to_string(s.status));
    w.end_object();
}

std::vector<std::string> rollup_row(const model::SiteReadiness& s, bool with_status) {
    std::vector<std::string> row{s.code, s.name, std::to_string(s.devices)};
    for (auto n : s.by_level) {
        row.push_back(std::to_string(n));
    }
    row.push_back(std::to_string(s.unrated));
    row.push_back(s.devices ? percent(s.share_l2) : "-");
    row.push_back(s.devices ? fmt::format("{:.2f}", s.mean_score) : "-");
    if (with_status) {
        row.push_back(std::string(model::to_string(s.status)));
        row.push_back(s.edge_default_route ? (*s.edge_default_route ? "yes" : "no") : "?");
    }
    return row;
}

} // namespace

std::string render_ipv6_summary(const model::Ipv6Summary& s, const model::Config& c,
                                const ReportContext& ctx, bool by_site, Format format) {
    (void)c;
    const auto& rows = by_site ? s.sites : s.districts;
    if (format == Format::json) {
        JsonWriter w;
        w.begin_object();
        header_json(w, ctx);
        w.key("province");
        rollup_json(w, s.province);
        w.key("sites_by_status").begin_object();
        for (std::size_t i = 0; i < s.sites_by_status.size(); ++i) {
            w.field(model::to_string(static_cast<model::SiteStatus>(i)), s.sites_by_status[i]);
        }
        w.end_object();
        w.field("mean_coverage", s.mean_coverage);
        w.field("wan_conversion", s.wan_conversion);
        w.field("dc_conversion", s.dc_conversion);
        w.key("blocking_checks").begin_array();
        for (const auto& b : s.blocking) {
            w.begin_object()
                .field("id", b.id)
                .field("fails", b.fails)
                .field("weight", b.weight)
                .end_object();
        }
        w.end_array();
        w.key("districts").begin_array();
        for (const auto& d : s.districts) {
            rollup_json(w, d);
        }
        w.end_array();
        w.key("sites").begin_array();
        for (const auto& d : s.sites) {
            rollup_json(w, d);
        }
        w.end_array();
        w.end_object();
        return w.str();
    }
    std::vector<std::string> headers{by_site ? "SITE" : "DISTRICT",
                                     "NAME",
                                     "DEVICES",
                                     "L0",
                                     "L1",
                                     "L2",
                                     "L3",
                                     "L4",
                                     "L5",
                                     "?",
                                     ">=L2",
                                     "SCORE"};
    if (by_site) {
        headers.push_back("STATUS");
        headers.push_back("EDGE ::/0");
    }
    if (format == Format::csv) {
        std::string out;
        for (std::size_t i = 0; i < headers.size(); ++i) {
            out += (i ? "," : "") + csv_cell(headers[i]);
        }
        out += "\r\n";
        auto line = [&](const model::SiteReadiness& r) {
            const auto row = rollup_row(r, by_site);
            for (std::size_t i = 0; i < row.size(); ++i) {
                out += (i ? "," : "") + csv_cell(row[i]);
            }
            out += "\r\n";
        };
        line(s.province);
        for (const auto& r : rows) {
            line(r);
        }
        return out;
    }
    const auto& p = s.province;
    std::string head = fmt::format(
        "IPv6 readiness, scan {} of {}\n"
        "devices {}: L0 {}, L1 {}, L2 {}, L3 {}, L4 {}, L5 {}, unrated {}; {} at L2 or above "
        "(dual-stack)\n"
        "sites: {} ready, {} partial, {} not started, {} without data; mean coverage {}\n"
        "WAN conversion (CPEs and district routers at L3+) {}; data-centre servers at L4+ {}\n",
        ctx.scan_id, ctx.started_at, p.devices, p.by_level[0], p.by_level[1], p.by_level[2],
        p.by_level[3], p.by_level[4], p.by_level[5], p.unrated, percent(p.share_l2),
        s.sites_by_status[0], s.sites_by_status[1], s.sites_by_status[2], s.sites_by_status[3],
        percent(s.mean_coverage), percent(s.wan_conversion), percent(s.dc_conversion));
    std::string blocking;
    for (std::size_t i = 0; i < s.blocking.size() && i < 8; ++i) {
        blocking +=
            fmt::format("{}{} ({} fails)", i ? ", " : "", s.blocking[i].id, s.blocking[i].fails);
    }
    if (!blocking.empty()) {
        head += "top blocking checks: " + blocking + "\n";
    }
    if (format == Format::markdown) {
        std::string out = "# IPv6 readiness\n\n";
        for (std::size_t i = 0; i < head.size();) {
            const auto nl = head.find('\n', i);
            out += "- " + md_cell(head.substr(i, nl - i)) + "\n";
            i = nl + 1;
        }
        out += "\n|";
        for (const auto& h : headers) {
            out += " " + md_cell(h) + " |";
        }
        out += "\n|";
        for (std::size_t i = 0; i < headers.size(); ++i) {
            out += "---|";
        }
        out += "\n";
        for (const auto& r : rows) {
            out += "|";
            for (const auto& cell : rollup_row(r, by_site)) {
                out += " " + md_cell(cell) + " |";
            }
            out += "\n";
        }
        return out;
    }
    Table t(headers);
    for (const auto& r : rows) {
        t.add(rollup_row(r, by_site));
    }
    return head + "\n" + t.render();
}

} // namespace netinv::report
