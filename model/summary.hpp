// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/device.hpp"

namespace netinv::model {

// One line of a scan summary: a site kind, or a site of the kind rolled up by (with everything
// under it).
struct SummaryRow {
    std::string key;  // site kind, or the site's code ("" for targets above that kind)
    std::string name; // the kind, or the site's name
    int sites = 0;    // sites of that kind / under that site
    int targets = 0;
    int ok = 0;
    int failed = 0;
    std::vector<std::string> failed_targets;
};

// Groups a scan's outcomes by the site of each target, using the configured site tree: `by` is
// "kind" (one row per site kind) or the name of a site kind (one row per site of that kind,
// with everything under it; e.g. "district"). A site formed from former units (`formerly`)
// rolls up under the former site of that kind when it has none of its own in the tree, so a
// report can follow either structure. Targets without a known site are counted in a row with
// key "-". Rows follow the tree's order.
std::vector<SummaryRow> summarize(const Config& config, const std::vector<TargetOutcome>& outcomes,
                                  const std::string& by);

// The site of kind `kind` that `site` rolls up to: itself or the nearest one above it, else
// (for a site formed from former units) the first former unit's site of that kind, when the
// configuration holds it. nullptr when there is none.
const Site* rollup_site(const Config& config, const Site* site, std::string_view kind);

// The district `site` belongs to (itself for a district), or nullptr above district level.
const Site* district_of(const Config& config, const Site* site);

} // namespace netinv::model
