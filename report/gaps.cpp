// SPDX-License-Identifier: Apache-2.0
#include "report/gaps.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "model/text.hpp"
#include "report/escape.hpp"
#include "report/html.hpp"
#include "report/ipv6.hpp"
#include "report/json.hpp"
#include "report/table.hpp"

namespace netinv::report {

namespace {

// Labels in English and Vietnamese.
struct Labels {
    const char* title;
    const char* scan;
    const char* summary;
    const char* objective;
    const char* required;
    const char* observed;
    const char* met;
    const char* yes;
    const char* no;
    const char* shortfall;
    const char* missing;
    const char* projects;
    const char* budget;
    const char* links;
    const char* district;
    const char* status;
    const char* evidence;
    const char* site;
    const char* device;
    const char* province_level;
    const char* coverage_chart;
    const char* objectives_met;
    const char* billion;
    const char* ipv6_chart;
    const char* unrated;
    const char* unverified;
    const char* overdue;
    const char* findings;
    const char* cannot_tell;
};

// L0 red to L5 green, unknown grey: the IPv6 readiness levels in every chart.
constexpr std::array<const char*, 7> k_level_colors = {"#c0392b", "#e67e22", "#f1c40f", "#9acd32",
                                                       "#27ae60", "#1e8449", "#aaaaaa"};

Labels labels(Lang l) {
    return {tr(l, "Gap report against the plan"),
            tr(l, "Scan"),
            tr(l, "Summary"),
            tr(l, "Objective"),
            tr(l, "Required"),
            tr(l, "Observed"),
            tr(l, "Met"),
            tr(l, "yes"),
            tr(l, "no"),
            tr(l, "Shortfall"),
            tr(l, "Falling short"),
            tr(l, "Projects"),
            tr(l, "Budget"),
            tr(l, "TSLCD links not connected"),
            tr(l, "District"),
            tr(l, "Status"),
            tr(l, "Evidence"),
            tr(l, "Site"),
            tr(l, "Device"),
            tr(l, "province level"),
            tr(l, "TSLCD coverage of communes per district"),
            tr(l, "objectives met"),
            tr(l, "billion VND"),
            tr(l, "IPv6 readiness levels of the devices per district (netinv ipv6)"),
            tr(l, "unknown"),
            tr(l, "unverified"),
            tr(l, "overdue"),
            tr(l, "Configuration contradicted by the devices"),
            tr(l, "Not verified (evidence incomplete)")};
}

// yes / no / unverified, and "overdue" past the objective's deadline.
std::string met_label(const model::ObjectiveResult& r, const Labels& L) {
    std::string out = r.status == model::ObjectiveStatus::met          ? L.yes
                      : r.status == model::ObjectiveStatus::unverified ? L.unverified
                                                                       : L.no;
    if (r.overdue) {
        out += fmt::format(" ({} {})", L.overdue, *r.objective->deadline);
    }
    return out;
}

std::string_view status_label(model::LinkStatus s, Lang l) {
    switch (s) {
    case model::LinkStatus::connected:
        return trc(l, "link status", "connected");
    case model::LinkStatus::degraded:
        return trc(l, "link status", "degraded");
    case model::LinkStatus::unverified:
        return trc(l, "link status", "unverified");
    case model::LinkStatus::missing:
        return trc(l, "link status", "missing");
    }
    return "";
}

// Billions of VND. CSV keeps C notation for programs; people get their language's (5,50 in
// Vietnamese), and "-" when no project is behind the objective.
std::string billions(std::int64_t million, Lang lang) {
    if (lang == Lang::en) {
        return fmt::format("{:.2f}", million / 1000.0);
    }
    return million == 0 ? "-" : html::number(million / 1000.0, 2, lang);
}

std::string number(double v, bool percent, Lang lang) {
    if (lang == Lang::en) {
        return percent ? fmt::format("{:.2f}%", v) : fmt::format("{:.0f}", v);
    }
    return percent ? html::number(v, 2, lang) + "%" : html::number(v, 0, lang);
}

const std::string& text_of(const model::Objective& o, Lang l) {
    return l == Lang::vi ? o.text_vi : o.text;
}

std::string site_label(const model::Config& c, const std::string& code) {
    const model::Site* s = c.find_site(code);
    return s ? fmt::format("{} {}", code, s->name) : code;
}

std::string missing_list(const model::ObjectiveResult& r, const model::Config& c, std::size_t max) {
    std::string out;
    const bool sites = r.objective->kind == model::ObjectiveKind::coverage;
    for (std::size_t i = 0; i < r.missing.size() && i < max; ++i) {
        out += (i ? ", " : "") + (sites ? site_label(c, r.missing[i]) : r.missing[i]);
    }
    if (r.missing.size() > max) {
        out += fmt::format(" (+{})", r.missing.size() - max);
    }
    return out;
}

std::string project_list(const model::ObjectiveResult& r) {
    std::string out;
    for (const auto* p : r.projects) {
        out += fmt::format("{}{}", out.empty() ? "" : ", ", p->number);
    }
    return out;
}

std::string joined(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        out += (out.empty() ? "" : std::string(sep)) + p;
    }
    return out;
}

std::string joined(const std::vector<model::Message>& parts, std::string_view sep, Lang lang) {
    std::string out;
    for (const auto& p : parts) {
        out += (out.empty() ? "" : std::string(sep)) + say(lang, p);
    }
    return out;
}

// Why an item could not be told: "dr-288: address walk cut short".
std::string why_text(const model::Unverified& u, Lang lang) {
    return u.via.empty() ? say(lang, u.why) : fmt::format("{}: {}", u.via, say(lang, u.why));
}

bool is_percent(const model::ObjectiveResult& r) {
    return r.objective->kind != model::ObjectiveKind::count;
}

std::string render_json(const model::GapReport& rep, const model::Config& c,
                        const ReportContext& ctx) {
    JsonWriter w;
    w.begin_document();
    w.key("scan").begin_object();
    w.field("id", ctx.scan_id);
    w.field("started_at", ctx.started_at);
    w.end_object();
    w.key("plan").begin_object();
    w.field("id", c.plan ? c.plan->id : std::string());
    w.field("year", c.plan ? c.plan->year : 0);
    w.end_object();
    w.key("summary").begin_object();
    w.field("objectives", static_cast<std::uint64_t>(rep.objectives.size()));
    w.field("met", static_cast<std::uint64_t>(rep.objectives_met));
    w.field("unverified", static_cast<std::uint64_t>(rep.objectives_unverified));
    w.end_object();
    w.field("rollup_by", rep.rollup_by);
    write_captures_json(w, ctx.captures);
    w.key("objectives").begin_array();
    for (const auto& r : rep.objectives) {
        w.begin_object();
        w.field("id", r.objective->id);
        w.field("kind", model::to_string(r.objective->kind));
        w.field("text", text_of(*r.objective, ctx.lang));
        w.field("unit", is_percent(r) ? "percent" : "devices");
        w.field("required", r.required);
        w.field("observed", r.observed);
        w.field("matched", static_cast<std::uint64_t>(r.matched));
        w.field("total", static_cast<std::uint64_t>(r.total));
        w.field("met", r.met);
        w.field("status", model::to_string(r.status));
        w.field("shortfall", r.shortfall);
        w.field("deadline", r.objective->deadline);
        w.field("phase", r.objective->phase);
        w.field("overdue", r.overdue);
        w.key("missing").begin_array();
        for (const auto& m : r.missing) {
            w.value(m);
        }
        w.end_array();
        w.key("unverified").begin_array();
        for (const auto& u : r.unverified) {
            w.begin_object();
            w.field("item", u.item);
            w.field("why", why_text(u, ctx.lang));
            w.end_object();
        }
        w.end_array();
        w.key("projects").begin_array();
        for (const auto* p : r.projects) {
            w.begin_object();
            w.field("number", p->number);
            w.field("name", p->name);
            w.field("owner", p->owner);
            w.field("budget_billion_vnd", p->budget_million / 1000.0);
            w.end_object();
        }
        w.end_array();
        w.field("budget_billion_vnd", r.budget_million / 1000.0);
        w.end_object();
    }
    w.end_array();
    w.key("links").begin_array();
    for (const auto& l : rep.links) {
        w.begin_object();
        w.field("site", l.site);
        w.field("device", l.device);
        w.field("interface", l.interface);
        w.field("upstream", l.upstream);
        w.field("configured", l.configured);
        w.field("status", model::to_string(l.status));
        w.key("evidence").begin_array();
        for (const auto& e : l.evidence) {
            w.value(say(ctx.lang, e));
        }
        w.end_array();
        w.key("findings").begin_array();
        for (const auto& e : l.findings) {
            w.value(say(ctx.lang, e));
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.key("districts").begin_array();
    for (const auto& d : rep.districts) {
        w.begin_object();
        w.field("code", d.code);
        w.field("name", d.name);
        w.key("coverage").begin_array();
        std::size_t i = 0;
        for (const auto& r : rep.objectives) {
            if (r.objective->kind != model::ObjectiveKind::coverage) {
                continue;
            }
            w.begin_object();
            w.field("objective", r.objective->id);
            w.field("met", d.coverage[i].first);
            w.field("total", d.coverage[i].second);
            w.end_object();
            ++i;
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return w.str();
}

std::string render_csv(const model::GapReport& rep, const ReportContext& ctx) {
    std::string out = "objective,kind,text,required,observed,met,shortfall,missing,projects,"
                      "budget_billion_vnd,status,unverified,deadline,overdue\r\n";
    for (const auto& r : rep.objectives) {
        const std::string missing = joined(r.missing, " ");
        std::string unverified;
        for (const auto& u : r.unverified) {
            unverified += (unverified.empty() ? "" : " ") + u.item;
        }
        out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
                           csv_cell(r.objective->id), model::to_string(r.objective->kind),
                           csv_cell(text_of(*r.objective, ctx.lang)), r.required, r.observed,
                           r.met ? "yes" : "no", r.shortfall, csv_cell(missing),
                           csv_cell(project_list(r)), billions(r.budget_million, Lang::en),
                           model::to_string(r.status), csv_cell(unverified),
                           r.objective->deadline.value_or(""), r.overdue ? "yes" : "no");
    }
    return out;
}

std::string render_markdown(const model::GapReport& rep, const model::Config& c,
                            const ReportContext& ctx) {
    const Labels& L = labels(ctx.lang);
    std::string out =
        fmt::format("# {} {}\n\n{} {} ({}). {}: {}/{} {}.\n\n", L.title,
                    c.plan ? md_cell(c.plan->id) : "", L.scan, ctx.scan_id, ctx.when(), L.summary,
                    rep.objectives_met, rep.objectives.size(), L.objectives_met);
    out +=
        fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---|---:|---|---:|\n",
                    L.objective, L.required, L.observed, L.met, L.shortfall, L.projects, L.budget);
    for (const auto& r : rep.objectives) {
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n",
                           md_cell(text_of(*r.objective, ctx.lang)),
                           number(r.required, is_percent(r), ctx.lang),
                           number(r.observed, is_percent(r), ctx.lang), met_label(r, L),
                           number(r.shortfall, is_percent(r), ctx.lang), project_list(r),
                           billions(r.budget_million, ctx.lang));
    }
    for (const auto& r : rep.objectives) {
        if (!r.met && !r.missing.empty()) {
            out += fmt::format("\n**{}** — {}: {}\n", md_cell(r.objective->id), L.missing,
                               md_cell(missing_list(r, c, 40)));
        }
        for (const auto& u : r.unverified) {
            out += fmt::format("\n**{}** — {}: {}: {}\n", md_cell(r.objective->id), L.cannot_tell,
                               md_cell(u.item), md_cell(why_text(u, ctx.lang)));
        }
    }
    for (const auto& l : rep.links) {
        for (const auto& f : l.findings) {
            out += fmt::format("\n**{}** — {}: {}\n", L.findings, md_cell(site_label(c, l.site)),
                               md_cell(say(ctx.lang, f)));
        }
    }
    out += fmt::format("\n## {}\n\n| {} | {} | {} | {} |\n|---|---|---|---|\n", L.links, L.site,
                       L.device, L.status, L.evidence);
    for (const auto& l : rep.links) {
        if (l.status == model::LinkStatus::connected) {
            continue;
        }
        const std::string ev = joined(l.evidence, "; ", ctx.lang);
        out += fmt::format("| {} | {} | {} | {} |\n", md_cell(site_label(c, l.site)),
                           md_cell(l.device.value_or("-")), status_label(l.status, ctx.lang),
                           md_cell(ev));
    }
    return out;
}

std::string render_table(const model::GapReport& rep, const model::Config& c,
                         const ReportContext& ctx) {
    const Labels& L = labels(ctx.lang);
    std::string out = fmt::format("{} {}: {} {} ({}); {}/{} {}\n\n", L.title,
                                  c.plan ? c.plan->id : "", L.scan, ctx.scan_id, ctx.when(),
                                  rep.objectives_met, rep.objectives.size(), L.objectives_met);
    Table t({L.objective, L.required, L.observed, L.met, L.shortfall, L.projects, L.budget});
    for (const auto& r : rep.objectives) {
        const Tone tone = r.status == model::ObjectiveStatus::met          ? Tone::good
                          : r.status == model::ObjectiveStatus::unverified ? Tone::warn
                                                                           : Tone::bad;
        t.add({r.objective->id, number(r.required, is_percent(r), ctx.lang),
               number(r.observed, is_percent(r), ctx.lang), met_label(r, L),
               number(r.shortfall, is_percent(r), ctx.lang), project_list(r),
               billions(r.budget_million, ctx.lang)},
              {Tone::plain, Tone::plain, Tone::plain, tone});
    }
    out += t.render("", ctx.color);
    for (const auto& r : rep.objectives) {
        if (!r.met && !r.missing.empty()) {
            out += fmt::format("\n{} ({}): {}\n", r.objective->id, L.missing,
                               model::sanitize_terminal(missing_list(r, c, 12)));
        }
        for (std::size_t i = 0; i < r.unverified.size() && i < 12; ++i) {
            out += fmt::format("{}{} ({}): {}: {}\n", i ? "" : "\n", r.objective->id, L.cannot_tell,
                               model::sanitize_terminal(r.unverified[i].item),
                               model::sanitize_terminal(why_text(r.unverified[i], ctx.lang)));
        }
    }
    for (const auto& l : rep.links) {
        for (const auto& f : l.findings) {
            out += fmt::format("\n{} ({}): {}\n", L.findings, site_label(c, l.site),
                               model::sanitize_terminal(say(ctx.lang, f)));
        }
    }
    Table links({L.site, L.device, L.status, L.evidence});
    for (const auto& l : rep.links) {
        if (l.status == model::LinkStatus::connected) {
            continue;
        }
        const std::string ev = joined(l.evidence, "; ", ctx.lang);
        const Tone tone = l.status == model::LinkStatus::degraded  ? Tone::warn
                          : l.status == model::LinkStatus::missing ? Tone::bad
                                                                   : Tone::plain;
        links.add({site_label(c, l.site), l.device.value_or("-"),
                   std::string(status_label(l.status, ctx.lang)), ev},
                  {Tone::plain, Tone::plain, tone});
    }
    if (!links.empty()) {
        out += fmt::format("\n{}\n{}", L.links, links.render("  ", ctx.color));
    }
    std::string by_label = L.district;
    if (const model::SiteKindDef* k = c.find_kind(rep.rollup_by);
        k && rep.rollup_by != "district") {
        by_label = ctx.lang == Lang::vi ? k->label_vi : k->label;
    }
    std::vector<std::string> headers = {by_label};
    for (const auto& r : rep.objectives) {
        if (r.objective->kind == model::ObjectiveKind::coverage) {
            headers.push_back(r.objective->id);
        }
    }
    Table d(headers);
    for (const auto& roll : rep.districts) {
        std::vector<std::string> row = {fmt::format("{} {}", roll.code, roll.name)};
        for (const auto& [met, total] : roll.coverage) {
            row.push_back(total ? fmt::format("{}/{}", met, total) : "-");
        }
        d.add(row);
    }
    out += "\n" + d.render();
    return out;
}

} // namespace

// What the IPv6 readiness levels mean, in words a manager reads (netinv(1), ipv6 summary).
std::vector<std::pair<std::string, std::string>> ipv6_level_legend(Lang lang) {
    std::vector<std::pair<std::string, std::string>> out;
    const std::array<const char*, 6> text = {N_("L0: no IPv6"),
                                             N_("L1: IPv6 switched on"),
                                             N_("L2: IPv4 and IPv6 addresses"),
                                             N_("L3: IPv6 routed (the role's gate passed)"),
                                             N_("L4: IPv6 in use and managed"),
                                             N_("L5: ready for IPv6 only")};
    for (std::size_t i = 0; i < 6; ++i) {
        out.emplace_back(k_level_colors[i], tr(lang, text[i]));
    }
    out.emplace_back(k_level_colors[6], tr(lang, "unknown: not enough evidence to tell the level"));
    return out;
}

html::Page::Bar readiness_bar(const model::SiteReadiness& r, const std::string& label, Lang lang) {
    html::Page::Bar b{label, "", {}, static_cast<double>(r.devices)};
    std::string nums;
    for (std::size_t i = 0; i < 7; ++i) {
        const std::uint32_t n = i < 6 ? r.by_level[i] : r.unrated;
        b.segments.push_back({static_cast<double>(n), k_level_colors[i]});
        if (n > 0) {
            nums += fmt::format("{}{} {} ({})", nums.empty() ? "" : ", ",
                                i < 6 ? fmt::format("L{}", i) : std::string(labels(lang).unrated),
                                n, html::percent(r.devices ? 100.0 * n / r.devices : 0, lang));
        }
    }
    b.numbers =
        fmt::format("{} {}: {}", r.devices, trn(lang, "device", "devices", r.devices), nums);
    return b;
}

namespace {

std::string render_html(const model::GapReport& rep, const model::Config& c,
                        const ReportContext& ctx) {
    const Labels& L = labels(ctx.lang);
    const Lang lang = ctx.lang;
    html::Page page(lang, c.plan ? fmt::format("{} {}", L.title, c.plan->id) : L.title);
    page.subtitle(fmt::format("{} {} ({})", L.scan, ctx.scan_id, ctx.when()));
    page.paragraph(captures_sentence(ctx.captures, lang));

    // The headline: objectives met, communes without a working TSLCD link, and what the
    // projects behind the unmet objectives cost (each project once).
    std::size_t communes = 0;
    std::size_t communes_down = 0;
    for (const auto& l : rep.links) {
        const model::Site* s = c.find_site(l.site);
        if (s && s->kind == "commune") {
            ++communes;
            communes_down += l.status != model::LinkStatus::connected;
        }
    }
    std::map<int, std::int64_t> behind_unmet;
    for (const auto& r : rep.objectives) {
        if (r.status == model::ObjectiveStatus::unmet) {
            for (const auto* p : r.projects) {
                behind_unmet[p->number] = p->budget_million;
            }
        }
    }
    std::int64_t budget = 0;
    for (const auto& [number, million] : behind_unmet) {
        budget += million;
    }
    const auto money = [&](std::int64_t million) {
        return fmt::format("{} {}", html::number(million / 1000.0, 2, lang), L.billion);
    };
    std::vector<html::Page::Figure> figures = {
        {fmt::format("{}/{}", rep.objectives_met, rep.objectives.size()), L.objectives_met,
         rep.objectives_met == rep.objectives.size()}};
    if (communes > 0) {
        figures.push_back({fmt::format("{}/{}", communes_down, communes),
                           tr(lang, "communes not connected to TSLCD"), communes_down == 0});
    }
    figures.push_back(
        {money(budget),
         trf(lang, "budget of the {} projects behind unmet objectives", behind_unmet.size()),
         budget == 0});
    page.headline(figures);

    page.heading(tr(lang, "Objectives"));
    for (const auto& r : rep.objectives) {
        const bool pct = is_percent(r);
        const auto value = [&](double v) {
            return pct ? html::percent(v, lang) : html::number(v, 0, lang);
        };
        html::Page::Card card;
        card.title = text_of(*r.objective, lang);
        card.status = met_label(r, L);
        card.good = r.status != model::ObjectiveStatus::unmet;
        card.facts = {
            {L.required, value(r.required)},
            {L.observed, fmt::format("{} ({}/{})", value(r.observed), r.matched, r.total)}};
        if (!r.met) {
            card.facts.emplace_back(L.shortfall, value(r.shortfall));
        }
        if (!r.projects.empty()) {
            card.facts.emplace_back(L.projects, project_list(r));
            card.facts.emplace_back(L.budget, money(r.budget_million));
        }
        // What falls short, by name: the first 30, then how many more (the JSON has all).
        const bool sites = r.objective->kind == model::ObjectiveKind::coverage;
        for (std::size_t i = 0; i < r.missing.size() && i < 30; ++i) {
            card.list.push_back(sites ? site_label(c, r.missing[i]) : r.missing[i]);
        }
        if (r.missing.size() > 30) {
            card.list.push_back(trf(lang, "and {} more", r.missing.size() - 30));
        }
        for (std::size_t i = 0; i < r.unverified.size() && i < 10; ++i) {
            card.list.push_back(fmt::format("{} ({}: {})", r.unverified[i].item, L.unverified,
                                            why_text(r.unverified[i], lang)));
        }
        card.list_label = L.missing;
        page.card(card);
    }

    // TSLCD coverage of communes per district: bars with the count and the share beside.
    const auto tslcd = std::ranges::find_if(rep.objectives, [](const auto& r) {
        return r.objective->condition == "tslcd-uplink" &&
               std::ranges::find(r.objective->site_kinds, "commune") !=
                   r.objective->site_kinds.end();
    });
    if (tslcd != rep.objectives.end() && !rep.districts.empty()) {
        std::size_t col = 0;
        for (const auto& r : rep.objectives) {
            if (&r == &*tslcd) {
                break;
            }
            col += r.objective->kind == model::ObjectiveKind::coverage ? 1 : 0;
        }
        page.heading(L.coverage_chart);
        std::vector<html::Page::Bar> bars;
        for (const auto& roll : rep.districts) {
            const auto [met, total] = roll.coverage[col];
            const double pct = total ? 100.0 * met / total : 0;
            bars.push_back({roll.name,
                            fmt::format("{}/{} ({})", met, total, html::percent(pct, lang)),
                            {{static_cast<double>(met), pct >= 100 ? "#2a9d3a" : "#e07b24"}},
                            static_cast<double>(total)});
        }
        page.bars(bars);
    }
    if (ctx.ipv6 && !ctx.ipv6->districts.empty()) {
        // Devices per readiness level in each district, as shares of its devices.
        page.heading(L.ipv6_chart);
        std::vector<html::Page::Bar> bars;
        for (const auto& d : ctx.ipv6->districts) {
            bars.push_back(readiness_bar(d, d.name, lang));
        }
        page.bars(bars);
        page.legend(ipv6_level_legend(lang));
    }

    // Coverage per roll-up site, one column per coverage objective (as the Markdown has it).
    if (!rep.districts.empty()) {
        std::vector<std::string> header = {rep.rollup_by == "district" ? L.district
                                                                       : rep.rollup_by};
        std::vector<bool> numeric = {false};
        for (const auto& r : rep.objectives) {
            if (r.objective->kind == model::ObjectiveKind::coverage) {
                header.push_back(r.objective->id);
                numeric.push_back(true);
            }
        }
        std::vector<std::vector<std::string>> cells;
        for (const auto& roll : rep.districts) {
            std::vector<std::string> row = {fmt::format("{} {}", roll.code, roll.name)};
            for (const auto& [met, total] : roll.coverage) {
                row.push_back(total ? fmt::format("{}/{}", met, total) : "-");
            }
            cells.push_back(std::move(row));
        }
        page.heading(tr(lang, "Coverage by site"));
        page.table(header, cells, numeric);
    }

    std::vector<std::vector<std::string>> rows;
    for (const auto& l : rep.links) {
        if (l.status != model::LinkStatus::connected) {
            rows.push_back({site_label(c, l.site), l.device.value_or("-"),
                            std::string(status_label(l.status, lang)),
                            joined(l.evidence, "; ", lang)});
        }
    }
    page.heading(fmt::format("{} ({})", L.links, rows.size()));
    if (!rows.empty()) {
        page.table({L.site, L.device, L.status, L.evidence}, rows);
    }
    return page.finish();
}

} // namespace

std::string render_gaps(const model::GapReport& report, const model::Config& config,
                        const ReportContext& ctx, Format format) {
    switch (format) {
    case Format::json:
        return render_json(report, config, ctx);
    case Format::csv:
        return render_csv(report, ctx);
    case Format::markdown:
        return render_markdown(report, config, ctx) +
               captures_footer(ctx.captures, ctx.lang, format);
    case Format::html:
        return render_html(report, config, ctx);
    default:
        return render_table(report, config, ctx) +
               captures_footer(ctx.captures, ctx.lang, Format::table);
    }
}

} // namespace netinv::report
