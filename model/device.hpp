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
    std::optional<bool> ipv6_enabled;                   // IP-MIB ipv6InterfaceEnableStatus
    std::optional<bool> ipv6_forwarding = std::nullopt; // IP-MIB ipv6InterfaceForwarding
    // IP-MIB ipv6RouterAdvertTable: whether the interface sends router advertisements, their
    // router lifetime (0 = not a default router), and the managed (M) and other (O) flags.
    std::optional<bool> ra_send = std::nullopt;
    std::optional<std::uint32_t> ra_lifetime_s = std::nullopt;
    std::optional<bool> ra_managed = std::nullopt;
    std::optional<bool> ra_other = std::nullopt;
    std::optional<std::uint32_t> tunnel_encaps = std::nullopt; // TUNNEL-MIB tunnelIfEncapsMethod

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
    // IP-MIB IpAddressStatusTC (preferred, deprecated, invalid, inaccessible, unknown, tentative,
    // duplicate, optimistic); IPV6-MIB's status maps onto the same names.
    std::optional<std::string> status = std::nullopt;
    std::optional<bool> anycast = std::nullopt; // ipAddressType anycast(2) / ipv6AddrAnycastFlag

    friend bool operator==(const Address&, const Address&) = default;
};

// A default route (0.0.0.0/0 or ::/0) the device holds.
struct Route {
    Family family = Family::ipv4;
    std::optional<std::string> next_hop; // null when the route points at an interface only
    std::optional<std::uint32_t> if_index;
    friend bool operator==(const Route&, const Route&) = default;
};

// A neighbour seen on one of the device's ports: LLDP-MIB lldpRemTable, or CISCO-CDP-MIB
// cdpCacheTable on Cisco networks that run only CDP (then chassis_id and sys_name are the
// CDP device ID, port_id the remote port, platform the remote platform).
struct Neighbor {
    std::uint32_t local_port = 0;          // lldpRemLocalPortNum (the ifIndex on most agents)
    std::optional<std::string> chassis_id; // aa:bb:.. for MAC chassis IDs, else the text
    std::optional<std::string> port_id;
    std::optional<std::string> port_descr;
    std::optional<std::string> sys_name;
    std::vector<std::string> management_addresses;      // IPv4 and IPv6, canonical text
    std::string protocol = "lldp";                      // "lldp" or "cdp"
    std::optional<std::string> platform = std::nullopt; // CDP: "cisco WS-C3850-12S"
    friend bool operator==(const Neighbor&, const Neighbor&) = default;
};

// An entry of the IPv4 ARP or IPv6 neighbour cache.
struct CacheEntry {
    Family family = Family::ipv4;
    std::string address;
    std::optional<std::string> mac;
    std::optional<std::uint32_t> if_index;
    std::optional<std::string> type =
        std::nullopt; // ipNetToPhysicalType: other, dynamic, static, local
    friend bool operator==(const CacheEntry&, const CacheEntry&) = default;
};

struct Vlan {
    std::uint32_t id = 0;
    std::optional<std::string> name;
    friend bool operator==(const Vlan&, const Vlan&) = default;
};

// A router the device learned from router advertisements (IP-MIB ipDefaultRouterTable).
struct Ipv6Router {
    std::string address;
    std::uint32_t if_index = 0;
    std::uint32_t lifetime_s = 0;
    friend bool operator==(const Ipv6Router&, const Ipv6Router&) = default;
};

// A TCP listener (TCP-MIB tcpListenerTable) or UDP endpoint (UDP-MIB udpEndpointTable) with no
// remote end: a service waiting for clients. `family` is empty for "any address, IPv4 and IPv6".
struct Listener {
    std::string protocol; // "tcp" or "udp"
    std::optional<Family> family;
    std::string address; // "" for the unspecified address
    std::uint32_t port = 0;
    friend bool operator==(const Listener&, const Listener&) = default;
};

// One value of a counter, by numeric OID (ipSystemStats, ipIfStats, ICMP statistics). Counters
// mean something only as the difference between two scans of the same agent.
struct Counter {
    std::string oid;
    std::uint64_t value = 0;
    friend bool operator==(const Counter&, const Counter&) = default;
};

// The outcome of polling the device over one of its own IPv6 addresses (checklist C06).
struct ManagementProbe {
    std::string address;
    bool ok = false;
    std::string detail; // why not, when !ok
    friend bool operator==(const ManagementProbe&, const ManagementProbe&) = default;
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
    std::optional<std::string> hardware = std::nullopt; // the hardware revision
    std::optional<std::string> role;
    std::vector<Interface> interfaces;           // ordered by index
    std::vector<Address> addresses;              // ordered by family, then interface, then address
    std::optional<bool> ipv4_forwarding;         // IP-MIB ipForwarding
    std::optional<bool> ipv6_forwarding;         // IP-MIB ipv6IpForwarding
    std::vector<Route> default_routes;           // ordered by family, then next hop
    std::vector<Neighbor> lldp;                  // ordered by local port
    std::vector<CacheEntry> neighbor_cache;      // ARP and IPv6 ND, ordered by family, address
    std::vector<Vlan> vlans;                     // ordered by id
    std::optional<std::uint32_t> cpus;           // HOST-RESOURCES hrProcessorTable rows
    std::optional<std::uint64_t> memory_bytes;   // hrMemorySize
    std::vector<Volume> volumes;                 // fixed disks, ordered by description
    std::optional<std::uint32_t> ipv6_hop_limit; // ipv6IpDefaultHopLimit: the stack is there
    // The MIB the IPv6 addresses came from: "IP-MIB", "IPV6-MIB" or "CISCO-IETF-IP-MIB".
    std::optional<std::string> ipv6_address_mib;
    // Names of the optional tables that answered with rows (e.g. "ipDefaultRouterTable"), so
    // that an empty answer can be told from an agent without the table.
    std::vector<std::string> tables;
    // Walks cut short by a timeout or the time budget ("routes", "ipv6", ...): what they would
    // have shown is unknown, not absent.
    std::vector<std::string> partial;
    std::vector<Ipv6Router> ipv6_routers; // ordered by interface, address
    std::vector<Listener> listeners;      // ordered by protocol, family, address, port
    std::vector<Counter> counters;        // ordered by OID text
    std::optional<ManagementProbe> ipv6_management;

    bool answered(std::string_view table) const;

    friend bool operator==(const Device&, const Device&) = default;
};

// True when the named walk of `d` was cut short (Device::partial); `walk` is a walk name
// ("interfaces", "lldp", "routes", ...) or "addresses" for any of the address walks.
bool walk_cut_short(const Device& d, std::string_view walk);

// What a walk cut short in `now` would have shown is unknown, not absent: takes those sections
// (interfaces, addresses, identity, routes, LLDP, caches, VLANs, IPv6 state, host resources)
// from `before`, the same device's last complete state, so that a slow table never reads as a
// change. `now.partial` is kept: readers still know the section is unverified tonight.
void carry_forward(const Device& before, Device& now);

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
    // The name of the credential of the last try: the one that answered when ok. Never a
    // secret. Empty for scans stored before netinv recorded it.
    std::string credential = {};
    // Set when the observation came from a walk captured on site and imported (netinv import),
    // not from a poll: the file and when it was captured (ISO 8601 UTC). A capture stands for
    // its target until a poll reaches the target again.
    std::string capture_file = {};
    std::string captured_at = {};
    // The poller whose scan saw it (netinv --poller); "" for the one poller of a province.
    std::string poller = {};

    friend bool operator==(const TargetOutcome&, const TargetOutcome&) = default;
};

} // namespace netinv::model
