// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

#include "model/config.hpp"
#include "model/ipv6.hpp"
#include "report/gaps.hpp"
#include "report/html.hpp"

namespace netinv::report {

// One bar of an IPv6 readiness chart: `r`'s devices per level as shares (L0 red to L5 green,
// unknown grey; the colours of ipv6_level_legend), each level's count and share written above.
html::Page::Bar readiness_bar(const model::SiteReadiness& r, const std::string& label, Lang lang);

struct ChecklistOptions {
    bool all = false; // also the checks that pass or do not apply (table, CSV, Markdown)
    // --status, --min-severity: which checks are listed (JSON too, when given).
    std::vector<model::CheckStatus> statuses = {};
    model::Severity min_severity = model::Severity::low;
    bool by_action = false; // one group per check to act on, with its devices
    model::CheckFilter filter() const { return {statuses, min_severity, all}; }
    bool filtered() const { return !statuses.empty() || min_severity != model::Severity::low; }
};

// `netinv ipv6 checklist`: a work list grouped by site (configuration order), each site's
// actions ordered by severity (fail before partial before unknown), one line per action. JSON
// holds every check of every device with its evidence (schema in netinv(1)).
std::string render_checklist(const model::Ipv6Summary& summary, const model::Config& config,
                             const ReportContext& ctx, const ChecklistOptions& opt, Format format);

// `netinv ipv6 summary`: readiness levels and scores for the province, then per district, or
// per site with `by_site`.
std::string render_ipv6_summary(const model::Ipv6Summary& summary, const model::Config& config,
                                const ReportContext& ctx, bool by_site, Format format);

} // namespace netinv::report
