// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/device.hpp"

namespace netinv::model {

// How a planned TSLCD link looks from what the devices report.
enum class LinkStatus : std::uint8_t { connected, degraded, unverified, missing };
std::string_view to_string(LinkStatus s);

struct LinkCheck {
    std::string site;                  // the site whose uplink it is
    std::optional<std::string> device; // the device carrying it (target name)
    LinkStatus status = LinkStatus::missing;
    std::vector<std::string> evidence; // what was seen, in words
};

struct ObjectiveResult {
    const Objective* objective = nullptr;
    double required = 0;       // devices (count) or percent (coverage, ratio)
    double observed = 0;       // same unit
    std::uint32_t matched = 0; // sites or devices where the condition holds
    std::uint32_t total = 0;   // sites or devices considered (coverage, ratio)
    bool met = false;
    double shortfall = 0;             // required - observed, never negative
    std::vector<std::string> missing; // site codes or target names that fall short
    std::vector<const Project*> projects;
    std::int64_t budget_million = 0;
};

struct DistrictRollup {
    std::string code;
    std::string name;
    // For each coverage objective over sites under districts: sites meeting / sites.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> coverage;
};

struct GapReport {
    std::vector<ObjectiveResult> objectives;
    std::vector<LinkCheck> links;          // every site a tslcd-uplink objective covers
    std::vector<DistrictRollup> districts; // in configuration order
    std::uint32_t objectives_met = 0;
};

// Evaluates the plan against one scan: `devices` are those that answered, `outcomes` every
// target's outcome. Pure: the same inputs always give the same report.
GapReport evaluate(const Config& config, const std::vector<Device>& devices,
                   const std::vector<TargetOutcome>& outcomes);

// True for an IPv6 address that is usable beyond the link: global unicast (2000::/3 outside
// the special ranges) or unique local (fc00::/7).
bool usable_ipv6(const std::string& address);
// True for a global unicast IPv6 address (2000::/3, not documentation, 6to4 or Teredo).
bool global_ipv6(const std::string& address);

} // namespace netinv::model
