// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netinv::model {

// IF-MIB ifAdminStatus / ifOperStatus values (RFC 2863); numbering follows the MIB.
enum class IfStatus : std::uint8_t {
    up = 1,
    down = 2,
    testing = 3,
    unknown = 4,
    dormant = 5,
    not_present = 6,
    lower_layer_down = 7,
};

// "up", "down", ... as written in JSON and tables; "lowerLayerDown" style names are not used.
std::string_view to_string(IfStatus s);
// Inverse of to_string; nullopt for anything else.
std::optional<IfStatus> if_status_from_string(std::string_view s);
// From the MIB integer; nullopt when out of range.
std::optional<IfStatus> if_status_from_int(std::int64_t v);

struct Interface {
    std::uint32_t index = 0;
    std::optional<std::string> name;   // ifName
    std::optional<std::string> descr;  // ifDescr
    std::optional<std::string> alias;  // ifAlias
    std::optional<std::uint32_t> type; // IANAifType number
    std::optional<std::uint64_t> speed_bps;
    std::optional<std::string> mac; // aa:bb:cc:dd:ee:ff, only for 6-byte addresses
    std::optional<IfStatus> admin_status;
    std::optional<IfStatus> oper_status;
    std::optional<bool> ipv6_enabled; // IP-MIB ipv6InterfaceEnableStatus

    friend bool operator==(const Interface&, const Interface&) = default;
};

enum class Family : std::uint8_t { ipv4, ipv6 };
std::string_view to_string(Family f);
std::optional<Family> family_from_string(std::string_view s);

struct Address {
    Family family = Family::ipv4;
    std::string
        address; // dotted quad, or RFC 5952 text for IPv6 (with %zone when the agent gave one)
    std::optional<std::uint8_t> prefix_length;
    std::optional<std::uint32_t> if_index;
    std::optional<std::string>
        origin; // IP-MIB IpAddressOriginTC: other, manual, dhcp, linklayer, random

    friend bool operator==(const Address&, const Address&) = default;
};

// A default route (0.0.0.0/0 or ::/0) the device holds.
struct Route {
    Family family = Family::ipv4;
    std::optional<std::string> next_hop; // null when the route points at an interface only
    std::optional<std::uint32_t> if_index;
    friend bool operator==(const Route&, const Route&) = default;
};

// An LLDP neighbour seen on one of the device's ports (LLDP-MIB lldpRemTable).
struct Neighbor {
    std::uint32_t local_port = 0;          // lldpRemLocalPortNum (the ifIndex on most agents)
    std::optional<std::string> chassis_id; // aa:bb:.. for MAC chassis IDs, else the text
    std::optional<std::string> port_id;
    std::optional<std::string> port_descr;
    std::optional<std::string> sys_name;
    std::vector<std::string> management_addresses; // IPv4 and IPv6, canonical text
    friend bool operator==(const Neighbor&, const Neighbor&) = default;
};

// An entry of the IPv4 ARP or IPv6 neighbour cache.
struct CacheEntry {
    Family family = Family::ipv4;
    std::string address;
    std::optional<std::string> mac;
    std::optional<std::uint32_t> if_index;
    friend bool operator==(const CacheEntry&, const CacheEntry&) = default;
};

struct Vlan {
    std::uint32_t id = 0;
    std::optional<std::string> name;
    friend bool operator==(const Vlan&, const Vlan&) = default;
};

// A storage volume of a server (HOST-RESOURCES-MIB hrStorageTable, fixed disks).
struct Volume {
    std::string descr;
    std::uint64_t size_bytes = 0;
    std::uint64_t used_bytes = 0;
    friend bool operator==(const Volume&, const Volume&) = default;
};

// What one poll of one agent showed. Every field an agent did not report is nullopt: nothing is
// invented. `name` is the inventory target's name (or the address for an ad-hoc probe).
struct Device {
    std::string name;
    std::string target_address;
    std::optional<std::string> site;
    std::optional<std::string> sys_name;
    std::optional<std::string> sys_descr;
    std::optional<std::string> sys_object_id;   // dotted numeric, no leading dot
    std::optional<std::uint64_t> sys_uptime_cs; // hundredths of a second
    std::optional<std::string> sys_contact;
    std::optional<std::string> sys_location;
    std::optional<std::string> vendor;
    std::optional<std::string> model;
    std::optional<std::string> serial;
    std::optional<std::string> os;
    std::optional<std::string> version;
    std::optional<std::string> role;
    std::vector<Interface> interfaces;         // ordered by index
    std::vector<Address> addresses;            // ordered by family, then interface, then address
    std::optional<bool> ipv4_forwarding;       // IP-MIB ipForwarding
    std::optional<bool> ipv6_forwarding;       // IP-MIB ipv6IpForwarding
    std::vector<Route> default_routes;         // ordered by family, then next hop
    std::vector<Neighbor> lldp;                // ordered by local port
    std::vector<CacheEntry> neighbor_cache;    // ARP and IPv6 ND, ordered by family, address
    std::vector<Vlan> vlans;                   // ordered by id
    std::optional<std::uint32_t> cpus;         // HOST-RESOURCES hrProcessorTable rows
    std::optional<std::uint64_t> memory_bytes; // hrMemorySize
    std::vector<Volume> volumes;               // fixed disks, ordered by description

    friend bool operator==(const Device&, const Device&) = default;
};

// Puts interfaces and addresses into their canonical order (see the field comments), so that two
// polls of the same agent compare equal whatever order the agent answered in.
void normalize(Device& d);

// How polling one target ended.
enum class Outcome : std::uint8_t { ok, timeout, auth_failure, error };
std::string_view to_string(Outcome o);
std::optional<Outcome> outcome_from_string(std::string_view s);

struct TargetOutcome {
    std::string target;
    std::string address;
    Outcome outcome = Outcome::error;
    std::string detail; // human-readable reason; empty when ok
    std::int64_t duration_ms = 0;

    friend bool operator==(const TargetOutcome&, const TargetOutcome&) = default;
};

} // namespace netinv::model
