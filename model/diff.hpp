// SPDX-License-Identifier: Apache-2.0
#pragma once

// What changed between two scans, as typed changes. Pure: two snapshots in, changes out.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/device.hpp"

namespace netinv::model {

enum class ChangeKind : std::uint8_t {
    device_added,       // answered for the first time
    device_removed,     // no longer in the inventory
    device_unreachable, // answered before, not now
    device_came_back,   // did not answer before, answers now
    device_swapped,     // another serial number at the same address: a different box
    firmware_changed,   // OS or version
    model_changed,
    interface_added,
    interface_removed,
    interface_down, // oper status up -> not up
    interface_up,
    speed_changed,
    alias_changed,
    address_added,
    address_removed,
    ipv6_default_lost,
    ipv6_default_gained,
    lldp_changed,   // the neighbour on a port appeared, left or is another one
    volume_full,    // crossed the fullness threshold upwards
    volume_freed,   // back under it
    poller_changed, // another poller saw the target than in the older scan
};
std::string_view to_string(ChangeKind k); // "device-added", ...

// regression: something that worked no longer does; change: news to look at (a new firmware,
// a swapped box); improvement: something got better.
enum class Impact : std::uint8_t { regression, change, improvement };
std::string_view to_string(Impact i);

struct Change {
    ChangeKind kind = ChangeKind::device_added;
    Impact impact = Impact::change;
    std::string target;
    std::optional<std::string> site;
    std::string subject; // the interface, address, port or volume concerned; "" for the device
    std::string before;  // "" when not applicable
    std::string after;
    // The poller whose scan saw what the change says (the newer scan's; the older's for a
    // device removed); "" for the one poller of a database.
    std::string seen_by = {};
};

struct Snapshot {
    std::vector<TargetOutcome> outcomes;
    std::vector<Device> devices;
};

struct DiffOptions {
    double volume_full = 0.90; // a volume this full (used / size) is reported
    // Targets that answered in any scan up to and including the older one: a target that
    // answers now and was seen before "came back"; one never seen was "added".
    std::set<std::string> seen_before;
};

// The changes from `older` to `newer`, regressions first, then changes, then improvements;
// within each, by target and kind.
std::vector<Change> diff(const Snapshot& older, const Snapshot& newer, const DiffOptions& opt);

} // namespace netinv::model
