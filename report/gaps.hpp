// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/config.hpp"
#include "model/gaps.hpp"
#include "model/ipv6.hpp"
#include "report/device.hpp"
#include "report/i18n.hpp"

namespace netinv::report {

// Which scan a report comes from.
struct ReportContext {
    std::int64_t scan_id = 0;
    std::string started_at; // ISO 8601 UTC, as JSON gives it
    Lang lang = Lang::en;
    // When set, the HTML report adds a chart of IPv6 readiness levels per district.
    const model::Ipv6Summary* ipv6 = nullptr;
    // The same moment for people: the province's time zone (time_zone in inventory.toml).
    std::string shown_at = {};
    // Colour in terminal tables (--color, a TTY, NO_COLOR: cli decides).
    bool color = false;
    // The targets of the scan read from a capture (netinv import), said in every report.
    std::map<std::string, Provenance> captures = {};
    const std::string& when() const { return shown_at.empty() ? started_at : shown_at; }
};

// `netinv gaps` in every format: table, json (schema in netinv(1)), csv, markdown, html (one
// self-contained, e-mail safe file: see report/html). A province summary comes first, then each
// objective, the TSLCD links that are not connected, and the per-district roll-up. Every text
// that comes from a device or the configuration is escaped for the format.
std::string render_gaps(const model::GapReport& report, const model::Config& config,
                        const ReportContext& ctx, Format format);

// What each IPv6 readiness level means, with its colour in the charts, for a legend.
std::vector<std::pair<std::string, std::string>> ipv6_level_legend(Lang lang);

} // namespace netinv::report
