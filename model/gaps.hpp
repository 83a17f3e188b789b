// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/device.hpp"
#include "model/message.hpp"

namespace netinv::model {

// How a planned TSLCD link looks from what the devices report.
enum class LinkStatus : std::uint8_t { connected, degraded, unverified, missing };
std::string_view to_string(LinkStatus s);

struct LinkCheck {
    std::string site;                     // the site whose uplink it is
    std::optional<std::string> device;    // the device carrying it (target name)
    std::optional<std::string> interface; // the uplink interface chosen (its name)
    std::optional<std::string> upstream;  // the device it should reach (target name)
    bool configured = false;              // the uplink was named in inventory.toml
    bool cut_short = false;               // a walk the evidence needed was cut short
    LinkStatus status = LinkStatus::missing;
    std::vector<Message> evidence; // what was seen
    // What contradicts the configuration (a configured uplink whose LLDP neighbour is not
    // the upstream): a finding for the administrator, whatever the status.
    std::vector<Message> findings;
};

// met: the objective holds; unmet: it does not, whatever the unverified items would show;
// unverified: it is not met on what was seen, but items whose evidence is incomplete (a walk
// cut short, a level that could not be rated) could still meet it.
enum class ObjectiveStatus : std::uint8_t { met, unmet, unverified };
std::string_view to_string(ObjectiveStatus s);

struct Unverified {
    std::string item; // site code or target name
    std::string via;  // the device of the site it is about, or ""
    Message why;      // which walk was cut short, what could not be rated
};

struct ObjectiveResult {
    const Objective* objective = nullptr;
    double required = 0;       // devices (count) or percent (coverage, ratio)
    double observed = 0;       // same unit
    std::uint32_t matched = 0; // sites or devices where the condition holds
    std::uint32_t total = 0;   // sites or devices considered (coverage, ratio)
    bool met = false;
    ObjectiveStatus status = ObjectiveStatus::unmet;
    bool overdue = false;               // not met and its deadline has passed
    double shortfall = 0;               // required - observed, never negative
    std::vector<std::string> missing;   // site codes or target names that fall short
    std::vector<Unverified> unverified; // neither counted as meeting it nor as missing
    std::vector<const Project*> projects;
    std::int64_t budget_million = 0;
};

struct DistrictRollup {
    std::string code;
    std::string name;
    // For each coverage objective, its sites under this one that meet it / its sites.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> coverage;
};

struct GapReport {
    std::vector<ObjectiveResult> objectives;
    std::vector<LinkCheck> links; // every site a tslcd-uplink objective covers
    // Per site of kind `rollup_by` (e.g. district), in configuration order; a site formed
    // from former units rolls up under the former site (see rollup_site).
    std::vector<DistrictRollup> districts;
    std::string rollup_by;
    std::uint32_t objectives_met = 0;
    std::uint32_t objectives_unverified = 0;
};

// Objectives whose status is unmet (not met, and not merely unverified).
std::uint32_t unmet_objectives(const GapReport& report);

struct GapOptions {
    std::string today;           // YYYY-MM-DD in the province's time: deadlines before it
    std::string by = "district"; // the kind to roll coverage up by
    const std::vector<Device>* earlier = nullptr; // previous complete scan, for ipv6-level
    std::int64_t seconds_between = 0;
};

// Evaluates the plan against one scan: `devices` are those that answered, `outcomes` every
// target's outcome. Pure: the same inputs always give the same report.
GapReport evaluate(const Config& config, const std::vector<Device>& devices,
                   const std::vector<TargetOutcome>& outcomes, const GapOptions& options = {});

// True for an IPv6 address that is usable beyond the link: global unicast (2000::/3 outside
// the special ranges) or unique local (fc00::/7).
bool usable_ipv6(const std::string& address);
// True for a global unicast IPv6 address (2000::/3, not documentation, 6to4 or Teredo).
bool global_ipv6(const std::string& address);

} // namespace netinv::model
