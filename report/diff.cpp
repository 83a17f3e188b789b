// SPDX-License-Identifier: Apache-2.0
#include "report/diff.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/text.hpp"
#include "report/gaps.hpp"
#include "report/html.hpp"
#include "report/json.hpp"
#include "report/table.hpp"

namespace netinv::report {

namespace {

std::string arrow(const model::Change& c) {
    if (c.before.empty() && c.after.empty()) {
        return "";
    }
    return fmt::format("{} -> {}", c.before.empty() ? "-" : c.before,
                       c.after.empty() ? "-" : c.after);
}

} // namespace

std::string diff_counts(const std::vector<model::Change>& changes) {
    const auto n = [&](model::Impact i) {
        return std::ranges::count(changes, i, &model::Change::impact);
    };
    if (changes.empty()) {
        return "no changes";
    }
    const auto r = n(model::Impact::regression);
    const auto c = n(model::Impact::change);
    const auto i = n(model::Impact::improvement);
    return fmt::format("{} regression{}, {} change{}, {} improvement{}", r, r == 1 ? "" : "s", c,
                       c == 1 ? "" : "s", i, i == 1 ? "" : "s");
}

std::string render_diff(const std::vector<model::Change>& changes, const DiffContext& ctx,
                        Format format) {
    if (format == Format::json) {
        JsonWriter w;
        w.begin_object();
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
    const std::string title =
        fmt::format("Changes from scan {} ({}) to scan {} ({}): {}", ctx.older_id, ctx.older_when(),
                    ctx.newer_id, ctx.newer_when(), diff_counts(changes));
    if (format == Format::html) {
        html::Page page(Lang::en,
                        fmt::format("Changes from scan {} to scan {}", ctx.older_id, ctx.newer_id));
        page.subtitle(fmt::format("Scan {} ({}) to scan {} ({})", ctx.older_id, ctx.older_when(),
                                  ctx.newer_id, ctx.newer_when()));
        const auto n = [&](model::Impact i) {
            return static_cast<std::size_t>(std::ranges::count(changes, i, &model::Change::impact));
        };
        page.headline({{std::to_string(n(model::Impact::regression)), "regressions",
                        n(model::Impact::regression) == 0},
                       {std::to_string(n(model::Impact::change)), "changes", true},
                       {std::to_string(n(model::Impact::improvement)), "improvements", true}});
        if (changes.empty()) {
            page.paragraph("No changes.");
            return page.finish();
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& c : changes) {
            rows.push_back({std::string(model::to_string(c.impact)),
                            std::string(model::to_string(c.kind)), c.target, c.site.value_or(""),
                            c.subject, arrow(c)});
        }
        page.table({"Impact", "Change", "Device", "Site", "What", "Before -> after"}, rows);
        return page.finish();
    }
    if (format == Format::markdown) {
        std::string out = "# " + title + "\n";
        if (changes.empty()) {
            return out;
        }
        out += "\n| Impact | Change | Device | Site | What | Before -> after |\n"
               "|---|---|---|---|---|---|\n";
        for (const auto& c : changes) {
            out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", model::to_string(c.impact),
                               model::to_string(c.kind), md_cell(c.target),
                               md_cell(c.site.value_or("")), md_cell(c.subject), md_cell(arrow(c)));
        }
        return out;
    }
    std::string out = title + "\n";
    if (changes.empty()) {
        return out;
    }
    Table t({"IMPACT", "CHANGE", "DEVICE", "SITE", "WHAT", "BEFORE -> AFTER"});
    for (const auto& c : changes) {
        t.add({std::string(model::to_string(c.impact)), std::string(model::to_string(c.kind)),
               c.target, c.site.value_or(""), c.subject, arrow(c)});
    }
    return out + t.render();
}

} // namespace netinv::report
