// SPDX-License-Identifier: Apache-2.0
#include "report/diff.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/text.hpp"
#include "report/escape.hpp"
#include "report/gaps.hpp"
#include "report/html.hpp"
#include "report/json.hpp"
#include "report/table.hpp"

namespace netinv::report {

std::string before_after(const model::Change& c) {
    if (c.before.empty() && c.after.empty()) {
        return "";
    }
    return fmt::format("{} -> {}", c.before.empty() ? "-" : c.before,
                       c.after.empty() ? "-" : c.after);
}

const char* change_kind_text(model::ChangeKind k, Lang lang) {
    using K = model::ChangeKind;
    switch (k) {
    case K::device_added:
        return trc(lang, "change", "device added");
    case K::device_removed:
        return trc(lang, "change", "device removed");
    case K::device_unreachable:
        return trc(lang, "change", "device unreachable");
    case K::device_came_back:
        return trc(lang, "change", "device came back");
    case K::device_swapped:
        return trc(lang, "change", "device swapped (another serial)");
    case K::firmware_changed:
        return trc(lang, "change", "firmware changed");
    case K::model_changed:
        return trc(lang, "change", "model changed");
    case K::interface_added:
        return trc(lang, "change", "interface added");
    case K::interface_removed:
        return trc(lang, "change", "interface removed");
    case K::interface_down:
        return trc(lang, "change", "interface down");
    case K::interface_up:
        return trc(lang, "change", "interface up");
    case K::speed_changed:
        return trc(lang, "change", "speed changed");
    case K::alias_changed:
        return trc(lang, "change", "description changed");
    case K::address_added:
        return trc(lang, "change", "address added");
    case K::address_removed:
        return trc(lang, "change", "address removed");
    case K::ipv6_default_lost:
        return trc(lang, "change", "IPv6 default route lost");
    case K::ipv6_default_gained:
        return trc(lang, "change", "IPv6 default route gained");
    case K::lldp_changed:
        return trc(lang, "change", "neighbour changed");
    case K::volume_full:
        return trc(lang, "change", "volume nearly full");
    case K::volume_freed:
        return trc(lang, "change", "volume freed");
    case K::poller_changed:
        return trc(lang, "change", "seen by another poller");
    }
    return "?";
}

namespace {

const char* impact_text(model::Impact i, Lang lang) {
    switch (i) {
    case model::Impact::regression:
        return trc(lang, "impact", "regression");
    case model::Impact::change:
        return trc(lang, "impact", "change");
    case model::Impact::improvement:
        return trc(lang, "impact", "improvement");
    }
    return "?";
}

} // namespace

std::string diff_counts(const std::vector<model::Change>& changes, Lang lang) {
    const auto n = [&](model::Impact i) {
        return std::ranges::count(changes, i, &model::Change::impact);
    };
    if (changes.empty()) {
        return tr(lang, "no changes");
    }
    const auto r = static_cast<unsigned long>(n(model::Impact::regression));
    const auto c = static_cast<unsigned long>(n(model::Impact::change));
    const auto i = static_cast<unsigned long>(n(model::Impact::improvement));
    return fmt::format("{}, {}, {}", trnf(lang, "{} regression", "{} regressions", r, r),
                       trnf(lang, "{} change", "{} changes", c, c),
                       trnf(lang, "{} improvement", "{} improvements", i, i));
}

std::string render_diff(const std::vector<model::Change>& changes, const DiffContext& ctx,
                        Format format) {
    if (format == Format::json) {
        JsonWriter w;
        w.begin_document();
        w.key("older").begin_object().field("id", ctx.older_id);
        w.field("started_at", ctx.older_started_at).end_object();
        w.key("newer").begin_object().field("id", ctx.newer_id);
        w.field("started_at", ctx.newer_started_at).end_object();
        w.key("changes").begin_array();
        for (const auto& c : changes) {
            w.begin_object();
            w.field("impact", model::to_string(c.impact));
            w.field("kind", model::to_string(c.kind));
            w.field("target", c.target);
            w.field("site", c.site);
            w.field("subject", c.subject);
            w.field("before", c.before);
            w.field("after", c.after);
            if (!c.seen_by.empty()) {
                w.field("seen_by", c.seen_by);
            }
            w.end_object();
        }
        w.end_array();
        w.end_object();
        return w.str();
    }
    if (format == Format::csv) {
        std::string out = "impact,kind,target,site,subject,before,after\r\n";
        for (const auto& c : changes) {
            out += fmt::format("{},{},{},{},{},{},{}\r\n", model::to_string(c.impact),
                               model::to_string(c.kind), csv_cell(c.target),
                               csv_cell(c.site.value_or("")), csv_cell(c.subject),
                               csv_cell(c.before), csv_cell(c.after));
        }
        return out;
    }
    const Lang lang = ctx.lang;
    const std::string title =
        trf(lang, "Changes from scan {} ({}) to scan {} ({}): {}", ctx.older_id, ctx.older_when(),
            ctx.newer_id, ctx.newer_when(), diff_counts(changes, lang));
    if (format == Format::html) {
        html::Page page(lang,
                        trf(lang, "Changes from scan {} to scan {}", ctx.older_id, ctx.newer_id));
        page.subtitle(trf(lang, "Scan {} ({}) to scan {} ({})", ctx.older_id, ctx.older_when(),
                          ctx.newer_id, ctx.newer_when()));
        const auto n = [&](model::Impact i) {
            return static_cast<std::size_t>(std::ranges::count(changes, i, &model::Change::impact));
        };
        page.headline(
            {{std::to_string(n(model::Impact::regression)), tr(lang, "regressions"),
              n(model::Impact::regression) == 0},
             {std::to_string(n(model::Impact::change)), tr(lang, "changes"), true},
             {std::to_string(n(model::Impact::improvement)), tr(lang, "improvements"), true}});
        if (changes.empty()) {
            page.paragraph(tr(lang, "No changes."));
            return page.finish();
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& c : changes) {
            rows.push_back({impact_text(c.impact, lang), change_kind_text(c.kind, lang), c.target,
                            c.site.value_or(""), c.subject, before_after(c)});
        }
        page.table({tr(lang, "Impact"), tr(lang, "Change"), tr(lang, "Device"), tr(lang, "Site"),
                    tr(lang, "What"), tr(lang, "Before -> after")},
                   rows);
        return page.finish();
    }
    if (format == Format::markdown) {
        std::string out = "# " + title + "\n";
        if (changes.empty()) {
            return out;
        }
        out += fmt::format("\n| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|\n",
                           tr(lang, "Impact"), tr(lang, "Change"), tr(lang, "Device"),
                           tr(lang, "Site"), tr(lang, "What"), tr(lang, "Before -> after"));
        for (const auto& c : changes) {
            out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", impact_text(c.impact, lang),
                               change_kind_text(c.kind, lang), md_cell(c.target),
                               md_cell(c.site.value_or("")), md_cell(c.subject),
                               md_cell(before_after(c)));
        }
        return out;
    }
    std::string out = title + "\n";
    if (changes.empty()) {
        return out;
    }
    Table t({tr(lang, "IMPACT"), tr(lang, "CHANGE"), tr(lang, "DEVICE"), tr(lang, "SITE"),
             tr(lang, "WHAT"), tr(lang, "BEFORE -> AFTER")});
    for (const auto& c : changes) {
        const Tone tone = c.impact == model::Impact::regression    ? Tone::bad
                          : c.impact == model::Impact::improvement ? Tone::good
                                                                   : Tone::plain;
        t.add({impact_text(c.impact, lang), change_kind_text(c.kind, lang), c.target,
               c.site.value_or(""), c.subject, before_after(c)},
              {tone, tone});
    }
    return out + t.render("", ctx.color);
}

} // namespace netinv::report
