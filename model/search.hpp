// SPDX-License-Identifier: Apache-2.0
#pragma once

// Finding devices and what they hold: `netinv search TEXT`, `netinv show KEY` and the filters
// of `netinv devices`. Pure: devices in, matches out.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"
#include "model/device.hpp"
#include "model/net.hpp"

namespace netinv::model {

// The hex digits of a MAC address in any of its notations: aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF,
// aabb.ccdd.eeff (Cisco), aabbccddeeff; a leading part of one (an OUI, "00:1b:54") too, when it
// has at least two groups. Lower case. nullopt for anything else ("10.20.1" is not a MAC).
std::optional<std::string> mac_digits(std::string_view text);

enum class QueryKind : std::uint8_t {
    address, // one IPv4 or IPv6 address: equal addresses
    prefix,  // 10.20.1.0/24, 2001:db8:1::/48: addresses inside it
    mac,     // a MAC or the leading part of one: MACs that start with it (and text matches)
    text,    // anything else: names, serials, models, neighbours (case-insensitive substring)
             // and addresses that start with it ("10.20.1.")
};

struct Query {
    QueryKind kind = QueryKind::text;
    std::string text;               // as given, in lower case
    std::optional<IpPrefix> prefix; // address (a host prefix) and prefix queries
    std::string mac;                // mac queries: the hex digits
};

// What kind of query `text` is (see QueryKind); an empty query is a text query matching all.
Query parse_query(std::string_view text);

// One thing that matched.
struct Hit {
    std::string device; // the target's name
    std::string field;  // name, sysName, serial, model, address, interface MAC, ARP, ND, LLDP, CDP
    std::string value;  // what matched, as stored (for a neighbour or cache entry, the entry)
    std::string where;  // the interface, when the hit belongs to one; else empty
    friend bool operator==(const Hit&, const Hit&) = default;
};

// Every match in the devices, in device order, then in the order of the fields above.
std::vector<Hit> search(const std::vector<Device>& devices, const Query& q);

// The devices `key` names for `netinv show`: the one with that target name; else those polled
// at that address; else those holding it, or with that serial (case-insensitive) or interface
// MAC.
std::vector<const Device*> find_devices(const std::vector<Device>& devices, std::string_view key);

// `netinv devices --site --role --vendor`: every given field must match; a site includes the
// sites under it (by the configuration's tree, when there is one); vendor and role compare
// case-insensitively.
struct DeviceFilter {
    std::optional<std::string> site;
    std::optional<std::string> role;
    std::optional<std::string> vendor;
    bool empty() const { return !site && !role && !vendor; }
};
bool matches(const Config* config, const Device& d, const DeviceFilter& f);
// For the targets that did not answer (no device to read): by the target's site and role.
bool matches(const Config* config, const Target* t, const DeviceFilter& f);

} // namespace netinv::model
