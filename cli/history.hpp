// SPDX-License-Identifier: Apache-2.0
#pragma once

// Naming scans and comparing two of them: shared by diff and audit.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.hpp"
#include "model/config.hpp"
#include "model/diff.hpp"
#include "model/gaps.hpp"
#include "model/ipv6.hpp"
#include "report/device.hpp"
#include "store/store.hpp"

namespace netinv::cli {

// A complete scan named by id ("12"), date ("2026-11-27": the last complete scan started that
// day, local time), "latest" or "latest~N" (N complete scans before the latest). nullopt with
// the reason in `why`.
std::optional<store::ScanInfo> select_scan(const std::vector<store::ScanInfo>& scans,
                                           std::string_view spec, std::string& why);

// The changes from scan `a` to scan `b`; with `site`, only devices at that site or below.
std::vector<model::Change> diff_scans(const store::Store& db, const store::ScanInfo& a,
                                      const store::ScanInfo& b, const model::Config* config,
                                      const std::string& site);

// The IPv6 readiness of `devices` (of complete scan `scan`), with the complete scan before it
// as the earlier sample for the counter checks.
// `by` is the site kind the summary rolls up by.
model::Ipv6Summary ipv6_readiness(const store::Store& db, const model::Config& config,
                                  const store::ScanInfo& scan,
                                  const std::vector<model::Device>& devices,
                                  const std::string& by = "district");

// The gap report of `devices` (of complete scan `scan`): deadlines against the scan's local
// date, IPv6 levels with the scan before it as the earlier sample, rolled up by `by`.
model::GapReport gap_report(const store::Store& db, const model::Config& config,
                            const store::ScanInfo& scan, const std::vector<model::Device>& devices,
                            const std::vector<model::TargetOutcome>& outcomes,
                            const std::string& by = "district");

// Unless `by` is a site kind of `config` (or of its former structure), says so (naming the
// kinds) and returns false. An empty `by` becomes the default: "district" when there are
// districts, else the kind of the root's first child.
bool known_kind(const RunContext& ctx, const model::Config& config, std::string& by);

// The targets of a scan read from a capture (netinv import), for the reports to say so; their
// capture times in the province's time zone.
std::map<std::string, report::Provenance> captures_of(const std::vector<model::TargetOutcome>& o);

// True when `code` names a site of `config`; otherwise says so, with the closest code.
bool known_site(const RunContext& ctx, const model::Config& config, const std::string& code);

// True when `site` is `ancestor` or lies under it in the configuration's site tree.
bool site_under(const model::Config& config, const std::optional<std::string>& site,
                const std::string& ancestor);

} // namespace netinv::cli
