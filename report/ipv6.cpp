// SPDX-License-Identifier: Apache-2.0
#include "report/ipv6.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "model/text.hpp"
#include "report/escape.hpp"
#include "report/html.hpp"
#include "report/json.hpp"
#include "report/table.hpp"

namespace netinv::report {

namespace {

std::string_view title_of(const model::Check& c, Lang lang) {
    return tr(lang, c.title);
}

std::string_view remedy_of(const model::Check& c, Lang lang) {
    return tr(lang, c.remediation);
}

Tone status_tone(model::CheckStatus s) {
    switch (s) {
    case model::CheckStatus::pass:
        return Tone::good;
    case model::CheckStatus::partial:
        return Tone::warn;
    case model::CheckStatus::fail:
        return Tone::bad;
    case model::CheckStatus::unknown:
    case model::CheckStatus::not_applicable:
        break;
    }
    return Tone::plain;
}

std::string_view status_text(model::CheckStatus s, Lang lang) {
    switch (s) {
    case model::CheckStatus::pass:
        return trc(lang, "check status", "pass");
    case model::CheckStatus::partial:
        return trc(lang, "check status", "partial");
    case model::CheckStatus::fail:
        return trc(lang, "check status", "fail");
    case model::CheckStatus::unknown:
        return trc(lang, "check status", "unknown");
    case model::CheckStatus::not_applicable:
        return trc(lang, "check status", "n/a");
    }
    return trc(lang, "check status", "unknown");
}

std::string_view severity_text(model::Severity s, Lang lang) {
    switch (s) {
    case model::Severity::critical:
        return trc(lang, "severity", "critical");
    case model::Severity::high:
        return trc(lang, "severity", "high");
    case model::Severity::medium:
        return trc(lang, "severity", "medium");
    case model::Severity::low:
        return trc(lang, "severity", "low");
    }
    return trc(lang, "severity", "low");
}

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
work_list(const model::Ipv6Summary& s, const model::Config& c, const model::CheckFilter& f) {
    std::map<std::string, std::vector<Action>> by_site;
    for (const auto& d : s.devices) {
        for (const auto& ch : d.checks) {
            if (model::selected(ch, f)) {
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

std::string evidence_text(const model::Check& ch, Lang lang) {
    std::string out;
    for (const auto& e : ch.evidence) {
        out += (out.empty() ? "" : "; ") + say(lang, e);
    }
    return out;
}

void check_json(JsonWriter& w, const model::Check& ch, Lang lang) {
    w.begin_object();
    w.field("id", ch.id);
    w.field("title", tr(lang, ch.title));
    w.field("severity", model::to_string(ch.severity));
    w.field("status", model::to_string(ch.status));
    if (ch.status == model::CheckStatus::partial) {
        w.field("ratio", ch.ratio);
    }
    w.field("finding", say(lang, ch.finding));
    w.key("mib");
    if (ch.mib.empty()) {
        w.null();
    } else {
        w.value(ch.mib);
    }
    w.key("evidence").begin_array();
    for (const auto& e : ch.evidence) {
        w.value(say(lang, e));
    }
    w.end_array();
    w.field("remediation", tr(lang, ch.remediation));
    w.end_object();
}

void device_json(JsonWriter& w, const model::DeviceReadiness& d, Lang lang,
                 const model::CheckFilter* only = nullptr) {
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
        if (!only || model::selected(ch, *only)) {
            check_json(w, ch, lang);
        }
    }
    w.end_array();
    w.end_object();
}

void header_json(JsonWriter& w, const ReportContext& ctx) {
    w.field("scan_id", ctx.scan_id);
    w.field("started_at", ctx.started_at);
    write_captures_json(w, ctx.captures);
}

std::string checklist_json(const model::Ipv6Summary& s, const ReportContext& ctx,
                           const ChecklistOptions& opt) {
    JsonWriter w;
    w.begin_document();
    header_json(w, ctx);
    const auto f = opt.filter();
    if (opt.by_action) {
        w.key("actions").begin_array();
        for (const auto& g : model::group_by_action(s, f)) {
            const model::Check& first = *g.devices.front().second;
            w.begin_object();
            w.field("check", g.id);
            w.field("title", title_of(first, ctx.lang));
            w.field("severity", model::to_string(g.severity));
            w.field("remediation", remedy_of(first, ctx.lang));
            w.field("count", static_cast<std::uint64_t>(g.devices.size()));
            w.key("devices").begin_array();
            for (const auto& [d, c] : g.devices) {
                w.begin_object();
                w.field("name", d->device);
                w.field("site", d->site);
                w.field("status", model::to_string(c->status));
                w.field("finding", say(ctx.lang, c->finding));
                w.end_object();
            }
            w.end_array();
            w.end_object();
        }
        w.end_array();
        w.end_object();
        return w.str();
    }
    w.key("devices").begin_array();
    for (const auto& d : s.devices) {
        device_json(w, d, ctx.lang, opt.filtered() ? &f : nullptr);
    }
    w.end_array();
    w.end_object();
    return w.str();
}

// --by-action: one block per check to act on, most severe first, with its devices.
std::string by_action(const model::Ipv6Summary& s, const ReportContext& ctx,
                      const ChecklistOptions& opt, Format format) {
    const auto groups = model::group_by_action(s, opt.filter());
    // Tables and Markdown name the first devices of a long group; CSV and JSON all of them.
    const std::size_t shown = format == Format::csv ? SIZE_MAX : 12;
    const auto names = [&](const model::ActionGroup& g, std::string_view sep) {
        std::string out;
        std::size_t n = 0;
        for (const auto& [d, c] : g.devices) {
            if (++n > shown) {
                out += fmt::format("{}{} {}", sep, tr(ctx.lang, "and"), g.devices.size() - shown);
                out += tr(ctx.lang, " more (--format csv lists them all)");
                break;
            }
            out += fmt::format("{}{}{}", out.empty() ? "" : sep, d->device,
                               c->status == model::CheckStatus::fail
                                   ? ""
                                   : fmt::format(" ({})", model::to_string(c->status)));
        }
        return out;
    };
    if (format == Format::csv) {
        std::string out = "check,title,severity,remediation,devices,names\r\n";
        for (const auto& g : groups) {
            const auto& first = *g.devices.front().second;
            out += fmt::format("{},{},{},{},{},{}\r\n", g.id, csv_cell(title_of(first, ctx.lang)),
                               model::to_string(g.severity), csv_cell(remedy_of(first, ctx.lang)),
                               g.devices.size(), csv_cell(names(g, "; ")));
        }
        return out;
    }
    if (format == Format::html) {
        html::Page page(ctx.lang, tr(ctx.lang, "IPv6 migration work list, by action"));
        page.subtitle(trf(ctx.lang, "Scan {} of {}", ctx.scan_id, ctx.when()));
        page.paragraph(captures_sentence(ctx.captures, ctx.lang));
        std::size_t items = 0;
        for (const auto& g : groups) {
            items += g.devices.size();
        }
        page.headline(
            {{std::to_string(groups.size()), tr(ctx.lang, "actions"), groups.empty()},
             {std::to_string(items), tr(ctx.lang, "device checks to act on"), items == 0}});
        for (const auto& g : groups) {
            const auto& first = *g.devices.front().second;
            html::Page::Card card;
            card.title = fmt::format("{} {}", g.id, title_of(first, ctx.lang));
            card.status = std::string(severity_text(g.severity, ctx.lang));
            card.good = false;
            card.facts = {{tr(ctx.lang, "Devices"), std::to_string(g.devices.size())},
                          {tr(ctx.lang, "Action"), std::string(remedy_of(first, ctx.lang))}};
            card.list_label = tr(ctx.lang, "Devices");
            card.inline_list = true;
            std::size_t n = 0;
            for (const auto& [d, c] : g.devices) {
                if (++n > 30) {
                    card.list.push_back(trf(ctx.lang, "and {} more (--format csv lists them all)",
                                            g.devices.size() - 30));
                    break;
                }
                card.list.push_back(
                    c->status == model::CheckStatus::fail
                        ? d->device
                        : fmt::format("{} ({})", d->device, status_text(c->status, ctx.lang)));
            }
            page.card(card);
        }
        if (groups.empty()) {
            page.paragraph(opt.filtered() ? (tr(ctx.lang, "No check matches the filters."))
                                          : tr(ctx.lang, "Nothing to do: every check passes."));
        }
        return page.finish();
    }
    std::string out;
    if (format == Format::markdown) {
        out = trf(ctx.lang, "# IPv6 migration work list, by action\n\nScan {} of {}.\n",
                  ctx.scan_id, ctx.when());
    }
    for (const auto& g : groups) {
        const auto& first = *g.devices.front().second;
        const std::string head = fmt::format("{} {} ({}): {} {}", g.id, title_of(first, ctx.lang),
                                             severity_text(g.severity, ctx.lang), g.devices.size(),
                                             trn(ctx.lang, "device", "devices", g.devices.size()));
        if (format == Format::markdown) {
            out += fmt::format("\n## {}\n\n{}: {}\n\n{}\n", md_cell(head), tr(ctx.lang, "Action"),
                               md_cell(remedy_of(first, ctx.lang)), md_cell(names(g, ", ")));
        } else {
            out +=
                fmt::format("{}{}\n  {}: {}\n  {}\n", out.empty() ? "" : "\n",
                            model::sanitize_terminal(head), tr(ctx.lang, "action"),
                            remedy_of(first, ctx.lang), model::sanitize_terminal(names(g, ", ")));
        }
    }
    if (groups.empty()) {
        out += opt.filtered() ? (tr(ctx.lang, "no check matches the filters\n"))
                              : tr(ctx.lang, "nothing to do: every check passes\n");
    }
    return out;
}

} // namespace

namespace {

std::string checklist_body(const model::Ipv6Summary& s, const model::Config& c,
                           const ReportContext& ctx, const ChecklistOptions& opt, Format format) {
    if (format == Format::json) {
        return checklist_json(s, ctx, opt);
    }
    if (opt.by_action) {
        return by_action(s, ctx, opt, format);
    }
    const auto list = work_list(s, c, opt.filter());
    if (format == Format::csv) {
        std::string out = "site,device,role_class,level,check,title,severity,status,finding,"
                          "remediation,evidence\r\n";
        for (const auto& [site, actions] : list) {
            for (const auto& a : actions) {
                out += fmt::format(
                    "{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_cell(site),
                    csv_cell(a.device->device), model::to_string(a.device->role_class),
                    level_text(a.device->level), a.check->id,
                    csv_cell(title_of(*a.check, ctx.lang)), model::to_string(a.check->severity),
                    model::to_string(a.check->status), csv_cell(say(ctx.lang, a.check->finding)),
                    csv_cell(remedy_of(*a.check, ctx.lang)),
                    csv_cell(evidence_text(*a.check, ctx.lang)));
            }
        }
        return out;
    }
    if (format == Format::html) {
        html::Page page(ctx.lang, tr(ctx.lang, "IPv6 migration checklist"));
        page.subtitle(trf(ctx.lang, "Scan {} of {}. Unknown lines are checks to verify by hand.",
                          ctx.scan_id, ctx.when()));
        page.paragraph(captures_sentence(ctx.captures, ctx.lang));
        std::array<std::size_t, 3> counts{}; // fail, partial, unknown
        std::size_t total = 0;
        for (const auto& [site, actions] : list) {
            for (const auto& a : actions) {
                ++total;
                counts[0] += a.check->status == model::CheckStatus::fail;
                counts[1] += a.check->status == model::CheckStatus::partial;
                counts[2] += a.check->status == model::CheckStatus::unknown;
            }
        }
        page.headline({{std::to_string(total), tr(ctx.lang, "actions listed"), total == 0},
                       {std::to_string(counts[0]), tr(ctx.lang, "failing"), counts[0] == 0},
                       {std::to_string(counts[2]), tr(ctx.lang, "unknown, to verify by hand"),
                        counts[2] == 0}});
        for (const auto& [site, actions] : list) {
            page.heading(site_title(c, site));
            std::vector<std::vector<std::string>> cells;
            for (const auto& a : actions) {
                cells.push_back({std::string(severity_text(a.check->severity, ctx.lang)),
                                 a.device->device, level_text(a.device->level),
                                 fmt::format("{} {}", a.check->id, title_of(*a.check, ctx.lang)),
                                 std::string(status_text(a.check->status, ctx.lang)),
                                 say(ctx.lang, a.check->finding),
                                 std::string(remedy_of(*a.check, ctx.lang))});
            }
            page.table({tr(ctx.lang, "Severity"), tr(ctx.lang, "Device"), tr(ctx.lang, "Level"),
                        tr(ctx.lang, "Check"), tr(ctx.lang, "Status"), tr(ctx.lang, "Finding"),
                        tr(ctx.lang, "Action")},
                       cells);
        }
        if (list.empty()) {
            page.paragraph(tr(ctx.lang, "Nothing to do: every check passes."));
        }
        return page.finish();
    }
    if (format == Format::markdown) {
        std::string out = trf(ctx.lang,
                              "# IPv6 migration checklist\n\nScan {} of {}. One line per action, "
                              "most severe first; *unknown* lines are checks to verify by hand.\n",
                              ctx.scan_id, ctx.when());
        for (const auto& [site, actions] : list) {
            out += fmt::format(
                "\n## {}\n\n| {} |\n|---|---|---|---|---|---|---|\n", md_cell(site_title(c, site)),
                tr(ctx.lang, "Severity | Device | Level | Check | Status | Finding | Action"));
            for (const auto& a : actions) {
                out += fmt::format("| {} | {} | {} | {} {} | {} | {} | {} |\n",
                                   severity_text(a.check->severity, ctx.lang),
                                   md_cell(a.device->device), level_text(a.device->level),
                                   a.check->id, md_cell(title_of(*a.check, ctx.lang)),
                                   status_text(a.check->status, ctx.lang),
                                   md_cell(say(ctx.lang, a.check->finding)),
                                   md_cell(remedy_of(*a.check, ctx.lang)));
            }
        }
        if (list.empty()) {
            out += tr(ctx.lang, "\nNothing to do: every check passes.\n");
        }
        return out;
    }
    std::string out;
    for (const auto& [site, actions] : list) {
        out += (out.empty() ? "" : "\n") + model::sanitize_terminal(site_title(c, site)) + "\n";
        Table t({tr(ctx.lang, "SEVERITY"), tr(ctx.lang, "DEVICE"), tr(ctx.lang, "LEVEL"),
                 tr(ctx.lang, "CHECK"), tr(ctx.lang, "STATUS"), tr(ctx.lang, "FINDING"),
                 tr(ctx.lang, "ACTION")});
        for (const auto& a : actions) {
            t.add(
                {std::string(severity_text(a.check->severity, ctx.lang)), a.device->device,
                 level_text(a.device->level), std::string(a.check->id),
                 std::string(status_text(a.check->status, ctx.lang)),
                 say(ctx.lang, a.check->finding), std::string(remedy_of(*a.check, ctx.lang))},
                {Tone::plain, Tone::plain, Tone::plain, Tone::plain, status_tone(a.check->status)});
        }
        out += t.render("  ", ctx.color);
    }
    if (list.empty()) {
        out = tr(ctx.lang, "nothing to do: every check passes\n");
    }
    return out;
}

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

std::string_view site_status_text(model::SiteStatus st, Lang lang) {
    switch (st) {
    case model::SiteStatus::ready:
        return trc(lang, "site status", "ready");
    case model::SiteStatus::partial:
        return trc(lang, "site status", "partial");
    case model::SiteStatus::not_started:
        return trc(lang, "site status", "not started");
    case model::SiteStatus::no_data:
        return trc(lang, "site status", "no data");
    }
    return trc(lang, "site status", "no data");
}

std::vector<std::string> rollup_row(const model::SiteReadiness& s, bool with_status,
                                    Lang lang = Lang::en) {
    std::vector<std::string> row{s.code, s.name, std::to_string(s.devices)};
    for (auto n : s.by_level) {
        row.push_back(std::to_string(n));
    }
    row.push_back(std::to_string(s.unrated));
    row.push_back(s.devices ? percent(s.share_l2) : "-");
    row.push_back(s.devices ? fmt::format("{:.2f}", s.mean_score) : "-");
    if (with_status) {
        row.push_back(std::string(site_status_text(s.status, lang)));
        row.push_back(s.edge_default_route
                          ? (*s.edge_default_route ? (tr(lang, "yes")) : (tr(lang, "no")))
                          : "?");
    }
    return row;
}

std::string summary_body(const model::Ipv6Summary& s, const model::Config& c,
                         const ReportContext& ctx, bool by_site, Format format) {
    (void)c;
    const auto& rows = by_site ? s.sites : s.districts;
    if (format == Format::json) {
        JsonWriter w;
        w.begin_document();
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
    std::vector<std::string> headers{by_site ? N_("SITE") : N_("DISTRICT"),
                                     N_("NAME"),
                                     N_("DEVICES"),
                                     "L0",
                                     "L1",
                                     "L2",
                                     "L3",
                                     "L4",
                                     "L5",
                                     "?",
                                     ">=L2",
                                     N_("SCORE")};
    if (by_site) {
        headers.push_back(N_("STATUS"));
        headers.push_back(N_("EDGE ::/0"));
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
    // CSV keeps the English column names (they are keys for programs); people get theirs.
    for (auto& h : headers) {
        h = tr(ctx.lang, h.c_str());
    }
    std::string head =
        trf(ctx.lang,
            "IPv6 readiness, scan {} of {}\ndevices {}: L0 {}, L1 {}, L2 {}, L3 {}, L4 {}, L5 {}, "
            "unrated {}; {} at L2 or above (dual-stack)\nsites: {} ready, {} partial, {} not "
            "started, {} without data; mean coverage {}\nWAN conversion (CPEs and district routers "
            "at L3+) {}; data-centre servers at L4+ {}\n",
            ctx.scan_id, ctx.when(), p.devices, p.by_level[0], p.by_level[1], p.by_level[2],
            p.by_level[3], p.by_level[4], p.by_level[5], p.unrated, percent(p.share_l2),
            s.sites_by_status[0], s.sites_by_status[1], s.sites_by_status[2], s.sites_by_status[3],
            percent(s.mean_coverage), percent(s.wan_conversion), percent(s.dc_conversion));
    std::string blocking;
    for (std::size_t i = 0; i < s.blocking.size() && i < 8; ++i) {
        blocking += fmt::format("{}{} ({} {})", i ? ", " : "", s.blocking[i].id,
                                s.blocking[i].fails, tr(ctx.lang, "fails"));
    }
    if (!blocking.empty()) {
        head += (tr(ctx.lang, "top blocking checks: ")) + blocking + "\n";
    }
    if (format == Format::html) {
        const Lang lang = ctx.lang;
        html::Page page(lang, tr(ctx.lang, "IPv6 readiness"));
        page.subtitle(trf(ctx.lang, "Scan {} of {}", ctx.scan_id, ctx.when()));
        page.paragraph(captures_sentence(ctx.captures, ctx.lang));
        page.headline(
            {{fmt::format("{} ({})", p.by_level[2] + p.by_level[3] + p.by_level[4] + p.by_level[5],
                          html::percent(100 * p.share_l2, lang)),
              trf(ctx.lang, "of {} devices at L2 or above (dual-stack)", p.devices),
              p.share_l2 >= 1},
             {html::percent(100 * s.wan_conversion, lang),
              tr(ctx.lang, "WAN conversion (CPEs and routers at L3+)"), s.wan_conversion >= 1},
             {html::percent(100 * s.dc_conversion, lang),
              tr(ctx.lang, "data-centre servers at L4+"), s.dc_conversion >= 1}});
        page.paragraph(trf(ctx.lang,
                           "Sites: {} ready, {} partial, {} not started, {} without data; mean "
                           "evidence coverage {}.",
                           s.sites_by_status[0], s.sites_by_status[1], s.sites_by_status[2],
                           s.sites_by_status[3], html::percent(100 * s.mean_coverage, lang)));
        page.heading(tr(ctx.lang, "Devices by readiness level"));
        std::vector<html::Page::Bar> bars;
        bars.push_back(readiness_bar(p, tr(ctx.lang, "Province"), lang));
        for (const auto& r : rows) {
            bars.push_back(readiness_bar(r, r.name, lang));
        }
        page.bars(bars);
        page.legend(ipv6_level_legend(lang));
        if (!s.blocking.empty()) {
            page.heading(tr(ctx.lang, "Checks blocking the most devices"));
            std::vector<std::vector<std::string>> cells;
            for (std::size_t i = 0; i < s.blocking.size() && i < 8; ++i) {
                cells.push_back({s.blocking[i].id, std::to_string(s.blocking[i].fails),
                                 std::to_string(s.blocking[i].weight)});
            }
            page.table({tr(ctx.lang, "Check"), tr(ctx.lang, "Fails"), tr(ctx.lang, "Weight")},
                       cells, {false, true, true});
        }
        page.heading(by_site ? (tr(ctx.lang, "By site")) : (tr(ctx.lang, "By roll-up site")));
        std::vector<std::vector<std::string>> cells;
        for (const auto& r : rows) {
            cells.push_back(rollup_row(r, by_site, ctx.lang));
        }
        std::vector<bool> numeric(headers.size(), true);
        numeric[0] = numeric[1] = false;
        if (by_site) {
            numeric[headers.size() - 1] = numeric[headers.size() - 2] = false;
        }
        page.table(headers, cells, numeric);
        return page.finish();
    }
    if (format == Format::markdown) {
        std::string out = tr(ctx.lang, "# IPv6 readiness\n\n");
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
            for (const auto& cell : rollup_row(r, by_site, ctx.lang)) {
                out += " " + md_cell(cell) + " |";
            }
            out += "\n";
        }
        return out;
    }
    Table t(headers);
    for (const auto& r : rows) {
        t.add(rollup_row(r, by_site, ctx.lang));
    }
    return head + "\n" + t.render();
}

} // namespace

std::string render_checklist(const model::Ipv6Summary& s, const model::Config& c,
                             const ReportContext& ctx, const ChecklistOptions& opt, Format format) {
    return checklist_body(s, c, ctx, opt, format) + captures_footer(ctx.captures, ctx.lang, format);
}

std::string render_ipv6_summary(const model::Ipv6Summary& s, const model::Config& c,
                                const ReportContext& ctx, bool by_site, Format format) {
    return summary_body(s, c, ctx, by_site, format) +
           captures_footer(ctx.captures, ctx.lang, format);
}

} // namespace netinv::report
