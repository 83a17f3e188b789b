// SPDX-License-Identifier: Apache-2.0
#include "model/summary.hpp"

#include <algorithm>
#include <map>

namespace netinv::model {

const Site* rollup_site(const Config& config, const Site* site, std::string_view kind) {
    if (const Site* s = ancestor_of_kind(config, site, kind)) {
        return s;
    }
    // A reorganised site: the former units it (or a site above it) was formed from, in the
    // tree or in the former structure.
    auto former = [&](const std::string& code) -> const Site* {
        if (const Site* f = config.find_site(code)) {
            return ancestor_of_kind(config, f, kind);
        }
        const Site* f = nullptr;
        for (std::size_t n = 0; n <= config.former_sites.size(); ++n) {
            auto it = std::ranges::find(config.former_sites, f ? f->parent : code, &Site::code);
            f = it == config.former_sites.end() ? nullptr : &*it;
            if (!f || f->kind == kind) {
                return f;
            }
        }
        return nullptr;
    };
    for (std::size_t n = 0; site && n <= config.sites.size();
         ++n, site = parent_of(config, *site)) {
        for (const auto& code : site->formerly) {
            if (const Site* f = former(code)) {
                return f;
            }
        }
    }
    return nullptr;
}

const Site* district_of(const Config& config, const Site* site) {
    return rollup_site(config, site, "district");
}

std::vector<SummaryRow> summarize(const Config& config, const std::vector<TargetOutcome>& outcomes,
                                  const std::string& by) {
    std::vector<SummaryRow> rows;
    std::map<std::string, std::size_t> index;
    auto row_for = [&](const std::string& key, const std::string& name) -> SummaryRow& {
        auto [it, inserted] = index.emplace(key, rows.size());
        if (inserted) {
            SummaryRow r;
            r.key = key;
            r.name = name;
            rows.push_back(std::move(r));
        }
        return rows[it->second];
    };
    auto key_of = [&](const Site* s) -> std::pair<std::string, std::string> {
        if (!s) {
            return {"-", "-"};
        }
        if (by == "kind") {
            return {s->kind, s->kind};
        }
        const Site* d = rollup_site(config, s, by);
        return d ? std::pair{d->code, d->name} : std::pair{std::string(), std::string()};
    };
    if (by != "kind") {
        row_for("", "");
        for (const auto& s : config.sites) {
            if (s.kind == by) {
                row_for(s.code, s.name); // in tree order, before any former unit's row
            }
        }
    }
    for (const auto& s : config.sites) {
        auto [key, name] = key_of(&s);
        ++row_for(key, name).sites;
    }
    for (const auto& o : outcomes) {
        const Target* t = config.find_target(o.target);
        const Site* s = t && t->site ? config.find_site(*t->site) : nullptr;
        auto [key, name] = key_of(s);
        SummaryRow& r = row_for(key, name);
        ++r.targets;
        if (o.outcome == Outcome::ok) {
            ++r.ok;
        } else {
            ++r.failed;
            r.failed_targets.push_back(o.target);
        }
    }
    std::erase_if(rows, [](const SummaryRow& r) { return r.targets == 0 && r.sites == 0; });
    return rows;
}

} // namespace netinv::model
