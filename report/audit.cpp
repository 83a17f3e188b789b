// SPDX-License-Identifier: Apache-2.0
//
// The audit's summary: what a manager opens first in the morning mail, before the gap report
// and the diff it names.
#include "report/audit.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report/diff.hpp"
#include "report/escape.hpp"
#include "report/html.hpp"
#include "report/json.hpp"

namespace netinv::report {

namespace {

// How many failed targets and regressions the HTML and Markdown list (the JSON has all).
constexpr std::size_t k_listed = 50;

const char* outcome_text(model::Outcome o, Lang lang) {
    switch (o) {
    case model::Outcome::ok:
        return trc(lang, "outcome", "ok");
    case model::Outcome::timeout:
        return trc(lang, "outcome", "no answer (timeout)");
    case model::Outcome::auth_failure:
        return trc(lang, "outcome", "refused the credentials");
    case model::Outcome::error:
        return trc(lang, "outcome", "error");
    }
    return "?";
}

std::vector<const model::Change*> regressions(const AuditSummary& s) {
    std::vector<const model::Change*> out;
    if (s.changes) {
        for (const auto& c : *s.changes) {
            if (c.impact == model::Impact::regression) {
                out.push_back(&c);
            }
        }
    }
    return out;
}

std::vector<const model::ObjectiveResult*> unmet(const AuditSummary& s) {
    std::vector<const model::ObjectiveResult*> out;
    if (s.gaps) {
        for (const auto& r : s.gaps->objectives) {
            if (r.status == model::ObjectiveStatus::unmet) {
                out.push_back(&r);
            }
        }
    }
    return out;
}

const std::string& objective_text(const model::ObjectiveResult& r, Lang lang) {
    return lang == Lang::vi ? r.objective->text_vi : r.objective->text;
}

std::string render_json(const AuditSummary& s) {
    JsonWriter w;
    w.begin_document();
    w.key("scan").begin_object();
    w.field("id", s.scan_id).field("started_at", s.started_at).field("seconds", s.seconds);
    w.field("targets", static_cast<std::uint64_t>(s.targets));
    w.field("ok", static_cast<std::uint64_t>(s.ok));
    w.key("failed").begin_array();
    for (const auto& o : s.failures) {
        w.begin_object().field("target", o.target).field("address", o.address);
        w.field("outcome", model::to_string(o.outcome)).field("detail", o.detail).end_object();
    }
    w.end_array().end_object();
    w.key("previous_scan");
    if (s.previous_id) {
        w.begin_object().field("id", *s.previous_id).field("started_at", s.previous_started_at);
        w.end_object();
    } else {
        w.null();
    }
    w.key("changes").begin_object();
    for (auto i : {model::Impact::regression, model::Impact::change, model::Impact::improvement}) {
        const auto n = s.changes ? std::ranges::count(*s.changes, i, &model::Change::impact) : 0;
        w.field(fmt::format("{}s", model::to_string(i)), static_cast<std::int64_t>(n));
    }
    w.end_object();
    w.key("regressions").begin_array();
    for (const auto* c : regressions(s)) {
        w.begin_object().field("kind", model::to_string(c->kind)).field("target", c->target);
        w.field("site", c->site).field("subject", c->subject).field("before", c->before);
        w.field("after", c->after).end_object();
    }
    w.end_array();
    w.key("plan");
    if (s.gaps) {
        w.begin_object().field("id", s.plan_id);
        w.field("objectives", static_cast<std::uint64_t>(s.gaps->objectives.size()));
        w.field("met", s.gaps->objectives_met).field("unverified", s.gaps->objectives_unverified);
        w.key("unmet").begin_array();
        for (const auto* r : unmet(s)) {
            w.value(r->objective->id);
        }
        w.end_array().end_object();
    } else {
        w.null();
    }
    write_captures_json(w, s.captures);
    w.key("reports").begin_array();
    for (const auto& r : s.reports) {
        w.value(r);
    }
    w.end_array();
    w.end_object();
    return w.str();
}

std::string render_html(const AuditSummary& s) {
    const Lang lang = s.lang;
    html::Page page(lang, trf(lang, "Nightly audit: scan {}", s.scan_id));
    page.subtitle(s.previous_id
                      ? trf(lang, "Scan {} ({}), compared with scan {} ({})", s.scan_id, s.shown_at,
                            *s.previous_id, s.previous_shown)
                      : trf(lang,
                            "Scan {} ({}): the first complete scan, nothing to compare with yet",
                            s.scan_id, s.shown_at));
    const auto regs = regressions(s);
    const auto not_met = unmet(s);
    std::vector<html::Page::Figure> figures = {
        {fmt::format("{}/{}", s.ok, s.targets), tr(lang, "targets answered"), s.ok == s.targets}};
    if (s.previous_id) {
        figures.push_back({std::to_string(regs.size()), tr(lang, "regressions"), regs.empty()});
    }
    if (s.gaps) {
        figures.push_back({fmt::format("{}/{}", s.gaps->objectives_met, s.gaps->objectives.size()),
                           tr(lang, "objectives met"), not_met.empty()});
    }
    page.headline(figures);
    if (s.changes && s.previous_id) {
        page.paragraph(
            trf(lang, "Since scan {}: {}.", *s.previous_id, diff_counts(*s.changes, lang)));
    }
    if (!regs.empty()) {
        page.heading(tr(lang, "Regressions"));
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < regs.size() && i < k_listed; ++i) {
            const auto& c = *regs[i];
            rows.push_back({c.target, c.site.value_or(""), change_kind_text(c.kind, lang),
                            c.subject, before_after(c)});
        }
        page.table({tr(lang, "Device"), tr(lang, "Site"), tr(lang, "Change"), tr(lang, "What"),
                    tr(lang, "Before -> after")},
                   rows);
        if (regs.size() > k_listed) {
            page.paragraph(trf(lang, "and {} more", regs.size() - k_listed));
        }
    }
    if (!s.failures.empty()) {
        page.heading(tr(lang, "Targets that did not answer"));
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < s.failures.size() && i < k_listed; ++i) {
            const auto& o = s.failures[i];
            rows.push_back({o.target, o.address, outcome_text(o.outcome, lang), o.detail});
        }
        page.table(
            {tr(lang, "Device"), tr(lang, "Address"), tr(lang, "Outcome"), tr(lang, "Detail")},
            rows);
        if (s.failures.size() > k_listed) {
            page.paragraph(trf(lang, "and {} more", s.failures.size() - k_listed));
        }
    }
    if (!not_met.empty()) {
        html::Page::Card card;
        card.title = trf(lang, "Objectives of plan {} not met", s.plan_id);
        card.good = false;
        for (const auto* r : not_met) {
            card.list.push_back(fmt::format("{}: {}", r->objective->id, objective_text(*r, lang)));
        }
        page.card(card);
    }
    page.paragraph(captures_sentence(s.captures, lang));
    if (!s.reports.empty()) {
        html::Page::Card card;
        card.title = tr(lang, "The night's reports");
        card.list = s.reports;
        page.card(card);
    }
    return page.finish();
}

std::string render_markdown(const AuditSummary& s) {
    const Lang lang = s.lang;
    std::string out = "# " + trf(lang, "Nightly audit: scan {}", s.scan_id) + "\n\n";
    out += trf(lang, "Scan {} ({}): {} of {} targets answered.", s.scan_id, s.shown_at, s.ok,
               s.targets) +
           "\n";
    const auto regs = regressions(s);
    if (s.previous_id && s.changes) {
        out += "\n" +
               trf(lang, "Since scan {}: {}.", *s.previous_id, diff_counts(*s.changes, lang)) +
               "\n";
    }
    if (!regs.empty()) {
        out += fmt::format("\n## {}\n\n| {} | {} | {} | {} | {} |\n|---|---|---|---|---|\n",
                           tr(lang, "Regressions"), tr(lang, "Device"), tr(lang, "Site"),
                           tr(lang, "Change"), tr(lang, "What"), tr(lang, "Before -> after"));
        for (std::size_t i = 0; i < regs.size() && i < k_listed; ++i) {
            const auto& c = *regs[i];
            out += fmt::format("| {} | {} | {} | {} | {} |\n", md_cell(c.target),
                               md_cell(c.site.value_or("")), change_kind_text(c.kind, lang),
                               md_cell(c.subject), md_cell(before_after(c)));
        }
    }
    if (!s.failures.empty()) {
        out += fmt::format("\n## {}\n\n| {} | {} | {} | {} |\n|---|---|---|---|\n",
                           tr(lang, "Targets that did not answer"), tr(lang, "Device"),
                           tr(lang, "Address"), tr(lang, "Outcome"), tr(lang, "Detail"));
        for (std::size_t i = 0; i < s.failures.size() && i < k_listed; ++i) {
            const auto& o = s.failures[i];
            out += fmt::format("| {} | {} | {} | {} |\n", md_cell(o.target), md_cell(o.address),
                               outcome_text(o.outcome, lang), md_cell(o.detail));
        }
    }
    if (s.gaps) {
        out += "\n## " + trf(lang, "Plan {}", s.plan_id) + "\n\n" +
               trf(lang, "{} of {} objectives met.", s.gaps->objectives_met,
                   s.gaps->objectives.size()) +
               "\n";
        for (const auto* r : unmet(s)) {
            out += fmt::format("- {}: {}\n", r->objective->id, md_cell(objective_text(*r, lang)));
        }
    }
    if (const auto note = captures_sentence(s.captures, lang); !note.empty()) {
        out += "\n" + md_cell(note) + "\n";
    }
    if (!s.reports.empty()) {
        out += "\n## " + std::string(tr(lang, "The night's reports")) + "\n\n";
        for (const auto& r : s.reports) {
            out += "- " + md_cell(r) + "\n";
        }
    }
    return out;
}

} // namespace

std::string render_audit_summary(const AuditSummary& s, Format format) {
    switch (format) {
    case Format::json:
        return render_json(s);
    case Format::html:
        return render_html(s);
    case Format::markdown:
        return render_markdown(s);
    default:
        return "";
    }
}

} // namespace netinv::report
