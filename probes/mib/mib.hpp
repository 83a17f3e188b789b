// SPDX-License-Identifier: Apache-2.0
#pragma once

// MIB decoders: pure functions from the varbinds an agent returned to model types. Each treats
// the reply as hostile: a value of the wrong type, an oversized string, a malformed index or a
// duplicate row is dropped with a warning naming host and OID, never trusted and never a crash.
// The OIDs each decoder needs are listed beside it, so the poller asks for exactly those.

#include <initializer_list>
#include <vector>

#include "model/device.hpp"
#include "model/identity.hpp"
#include "probes/varbind.hpp"

namespace netinv::probes::mib {

// SNMPv2-MIB system group scalars, fetched with one GET.
const std::vector<Oid>& system_scalars();
void decode_system(const std::vector<VarBind>& vbs, model::Device& device, Diagnostics& diag);

// IF-MIB ifTable and ifXTable columns, walked together (they share the ifIndex index).
const std::vector<Oid>& interface_columns();
std::vector<model::Interface> decode_interfaces(const std::vector<VarBind>& vbs, Diagnostics& diag);

// IP-MIB ipAddressTable (RFC 4293) columns.
const std::vector<Oid>& ip_address_columns();
std::vector<model::Address> decode_ip_address_table(const std::vector<VarBind>& vbs,
                                                    Diagnostics& diag);

// RFC 1213 ipAddrTable columns: IPv4 for agents whose ipAddressTable has none (some keep the
// address only in the row index, so ipAdEntAddr is read too).
const std::vector<Oid>& ip_addr_columns();
std::vector<model::Address> decode_ip_addr_table(const std::vector<VarBind>& vbs,
                                                 Diagnostics& diag);

// IPV6-MIB ipv6AddrTable (RFC 2465): IPv6 for agents whose ipAddressTable has none. Origin:
// stateless -> linklayer, stateful -> dhcp, unknown -> null.
const std::vector<Oid>& ipv6_addr_columns();
std::vector<model::Address> decode_ipv6_addr_table(const std::vector<VarBind>& vbs,
                                                   Diagnostics& diag);

// CISCO-IETF-IP-MIB cInetAddressTable: the draft ipAddressTable of older Cisco IOS, same
// shape under 1.3.6.1.4.1.9.10.86.1.1.2.1. The last resort for IPv6 on Cisco.
const std::vector<Oid>& cisco_ip_address_columns();
std::vector<model::Address> decode_cisco_ip_address_table(const std::vector<VarBind>& vbs,
                                                          Diagnostics& diag);

// ENTITY-MIB entPhysicalTable columns (descr, class, hardware, firmware, software, serial, model).
const std::vector<Oid>& entity_columns();
// The objects to GET for this device's identity, from the rules that match its system group.
std::vector<Oid> vendor_scalars(const model::Device& device, const model::IdentityRules& rules);
// Model, serial, version and OS from the identity rules (data/identity.toml): the objects got,
// the ENTITY-MIB chassis row, sysDescr. Needs the system group decoded first. Returns the
// matching rules' role hint, for decode_role.
std::optional<std::string> decode_identity(const std::vector<VarBind>& entity,
                                           const std::vector<VarBind>& vendor,
                                           const model::IdentityRules& rules, model::Device& device,
                                           Diagnostics& diag);
// A role from vendor and OS, else the rules' hint, else sysServices and ipForwarding (both in
// the system GET); a configured role is kept. Needs decode_identity first.
void decode_role(const std::vector<VarBind>& system, model::Device& device,
                 const std::optional<std::string>& hint = std::nullopt);

// IP-MIB ipForwarding and ipv6IpForwarding, from the system GET.
void decode_forwarding(const std::vector<VarBind>& system, model::Device& device);

// Walk bounds that reach only the default routes of inetCidrRouteTable, ipCidrRouteTable and
// ipRouteTable (each a "column" of its own for the walker).
std::vector<Oid> default_route_subtrees();
std::vector<model::Route> decode_default_routes(const std::vector<VarBind>& vbs, Diagnostics& diag);

// LLDP-MIB remote systems and their management addresses.
const std::vector<Oid>& lldp_columns();
std::vector<model::Neighbor> decode_lldp(const std::vector<VarBind>& vbs, Diagnostics& diag);

// CISCO-CDP-MIB cdpCacheTable: device ID, remote port, platform, address, per local ifIndex.
const std::vector<Oid>& cdp_columns();
std::vector<model::Neighbor> decode_cdp(const std::vector<VarBind>& vbs, Diagnostics& diag);

// IP-MIB ipNetToPhysicalTable (IPv4 ARP and IPv6 ND); RFC 1213 ipNetToMediaTable for older
// agents. Rows of type invalid(2) are stale and left out.
const std::vector<Oid>& neighbor_cache_columns();
const std::vector<Oid>& arp_legacy_columns();
std::vector<model::CacheEntry> decode_neighbor_cache(const std::vector<VarBind>& vbs,
                                                     Diagnostics& diag);

// Q-BRIDGE-MIB dot1qVlanStaticName.
const std::vector<Oid>& vlan_columns();
std::vector<model::Vlan> decode_vlans(const std::vector<VarBind>& vbs, Diagnostics& diag);

// IP-MIB ipv6InterfaceEnableStatus and ipv6InterfaceForwarding, into the interfaces decoded.
const std::vector<Oid>& ipv6_interface_columns();
void decode_ipv6_interfaces(const std::vector<VarBind>& vbs, std::vector<model::Interface>& itfs,
                            Diagnostics& diag);

// What the IPv6 checklist needs beyond addresses (docs/ipv6.md): hop limit, legacy forwarding,
// default routers, router advertisements, TCP/UDP listeners, tunnels and IPv6 counters. Needs
// the interfaces decoded first (router-advertisement and tunnel values go into them).
// The columns depend on the role: listeners for servers, router advertisements and ICMPv6
// for routers, per-interface traffic for CPEs and firewalls; all of them when it is unknown.
std::vector<Oid> ipv6_columns(const std::optional<std::string>& role);
void decode_ipv6(const std::vector<VarBind>& vbs, model::Device& device, Diagnostics& diag);
// The names of the optional tables that answered with at least one row, in any of `rows`.
std::vector<std::string> tables_answered(const std::vector<const std::vector<VarBind>*>& rows);

// HOST-RESOURCES-MIB: hrStorageTable and hrProcessorTable; hrMemorySize (KiB) comes from the
// system GET. Only fixed disks become volumes.
const std::vector<Oid>& host_columns();
void decode_host_resources(const std::vector<VarBind>& vbs, std::optional<std::uint64_t> memory_kb,
                           model::Device& device, Diagnostics& diag);

// An InetAddress (RFC 4001) taken from a table index: `len` octets at oid[pos..] of the given
// InetAddressType. ipv4(1) 4, ipv6(2) 16, ipv4z(3) 8, ipv6z(4) 20 octets (address + zone
// index); a zoned type without its zone is accepted. nullopt for any other length, a type
// that is not 1-4, or a sub-identifier over 255: the caller warns, naming the OID.
struct InetAddress {
    model::Family family = model::Family::ipv4;
    std::string text; // dotted quad or RFC 5952, without the zone
    std::optional<std::uint32_t> zone;
};
std::optional<InetAddress> inet_address(const Oid& oid, std::size_t pos, std::uint32_t type,
                                        std::size_t len);
// The same when only the length tells the family (4, 8, 16 or 20 octets): LLDP's IANA
// address families and agents that write InetAddressType unknown(0).
std::optional<InetAddress> inet_address_by_length(const Oid& oid, std::size_t pos, std::size_t len);

// `entry`.col for each column number: the column OIDs of a table, for the walker.
std::vector<Oid> columns(const Oid& entry, std::initializer_list<std::uint32_t> cols);
// `base` with `tail` appended.
Oid with(const Oid& base, std::initializer_list<std::uint32_t> tail);
// True for noSuchObject, noSuchInstance and endOfMibView: the agent has no value there.
bool absent(const VarBind& vb);

// A DisplayString/SnmpAdminString value as storable UTF-8: trailing NULs dropped, invalid bytes
// replaced by U+FFFD. nullopt (with a warning) when `vb` is not an octet string or is longer
// than `max_len` bytes.
std::optional<std::string> text_value(const VarBind& vb, Diagnostics& diag,
                                      std::size_t max_len = 255);

} // namespace netinv::probes::mib
