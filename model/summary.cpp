// SPDX-License-Identifier: Apache-2.0
#include "model/summary.hpp"

#include <map>

namespace netinv::model {

const Site* district_of(const Config& config, const Site* site) {
    while (site && site->kind != SiteKind::district) {
        site = site->parent.empty() ? nullptr : config.find_site(site->parent);
    }
    return site;
}

std::vector<SummaryRow> summarize(const Config& config, const std::vector<TargetOutcome>& outcomes,
                                  GroupBy by) {
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
        if (by == GroupBy::kind) {
            return {std::string(to_string(s->kind)), std::string(to_string(s->kind))};
        }
        const Site* d = district_of(config, s);
        return d ? std::pair{d->code, d->name} : std::pair{std::string(), std::string()};
    };
    if (by == GroupBy::district) {
        row_for("", "");
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
