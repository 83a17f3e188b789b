// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/diff.hpp"
#include "model/gaps.hpp"
#include "report/device.hpp"
#include "report/i18n.hpp"

namespace netinv::report {

// What one night's audit did, for the summary written beside its reports.
struct AuditSummary {
    std::int64_t scan_id = 0;
    std::string started_at; // ISO 8601 UTC, as JSON gives it
    std::string shown_at;   // the same moment in the province's time zone
    double seconds = 0;
    std::size_t targets = 0;
    std::size_t ok = 0;
    // The targets that did not answer, in configuration order.
    std::vector<model::TargetOutcome> failures;
    // The scan compared with (none on the first night) and what changed since.
    std::optional<std::int64_t> previous_id;
    std::string previous_started_at;
    std::string previous_shown;
    const std::vector<model::Change>* changes = nullptr;
    // The plan's evaluation, when the configuration has a plan.
    const model::GapReport* gaps = nullptr;
    std::string plan_id;
    // The targets whose observation tonight is a capture imported earlier (netinv import).
    std::map<std::string, Provenance> captures = {};
    // The file names of the other reports of the night (not their folders).
    std::vector<std::string> reports;
    Lang lang = Lang::en;
};

// The audit's summary as markdown, html or json (schema/audit-summary.schema.json): the
// headline (targets answered, regressions, objectives met), the targets that failed, the
// regressions, the objectives not met, the targets read from a capture and the night's other
// reports. Other formats: "".
std::string render_audit_summary(const AuditSummary& s, Format format);

} // namespace netinv::report
