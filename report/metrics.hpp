// SPDX-License-Identifier: Apache-2.0
#pragma once

// The audit's figures in the Prometheus text exposition format, for node_exporter's textfile
// collector (`netinv audit --metrics FILE`): the scan, the changes since the last one, each
// objective of the plan, and each site of the roll-up kind.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/device.hpp"
#include "model/diff.hpp"
#include "model/gaps.hpp"
#include "model/summary.hpp"

namespace netinv::report {

struct MetricsInput {
    std::int64_t scan_id = 0;
    std::int64_t started_unix = 0; // seconds since the epoch
    double seconds = 0;
    std::size_t targets = 0;
    std::size_t ok = 0;
    std::map<model::Outcome, std::size_t> failed;
    std::uint64_t varbinds = 0;
    std::uint64_t retransmissions = 0;
    bool compared = false; // there was an earlier complete scan to diff with
    std::vector<model::Change> changes;
    const model::GapReport* gaps = nullptr; // no plan: no objective metrics
    std::string site_kind;                  // the kind of the rows of `sites`
    std::vector<model::SummaryRow> sites;
};

std::string render_metrics(const MetricsInput& in);

// A Prometheus label value: backslash, double quote and line feed escaped.
std::string prometheus_label(std::string_view s);

} // namespace netinv::report
