// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/device.hpp"

namespace netinv::model {

enum class GroupBy : std::uint8_t { kind, district };

// One line of a scan summary: a site kind, or a district (with everything under it).
struct SummaryRow {
    std::string key;  // site kind, or district code ("" for targets above district level)
    std::string name; // the kind, or the district's name
    int sites = 0;    // sites of that kind / in that district
    int targets = 0;
    int ok = 0;
    int failed = 0;
    std::vector<std::string> failed_targets;
};

// Groups a scan's outcomes by the site of each target, using the configured site tree. Targets
// without a known site are counted in a row with key "-". Rows follow the tree's order.
std::vector<SummaryRow> summarize(const Config& config, const std::vector<TargetOutcome>& outcomes,
                                  GroupBy by);

// The district `site` belongs to (itself for a district), or nullptr above district level.
const Site* district_of(const Config& config, const Site* site);

} // namespace netinv::model
