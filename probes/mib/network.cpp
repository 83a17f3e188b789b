// SPDX-License-Identifier: Apache-2.0
//
// Layer 2/3 facts: forwarding flags, default routes, LLDP neighbours, the ARP and IPv6
// neighbour caches, VLANs and each interface's IPv6 state.
//
// Default routes are read cheaply: each walk is bounded to the subtree of the default route's
// index (0.0.0.0/0 or ::/0), so a core router's full table is never fetched. inetCidrRouteTable
// (RFC 4292) first; ipCidrRouteTable (RFC 2096) and ipRouteTable (RFC 1213) for older agents.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "model/net.hpp"
#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

namespace {

const Oid k_inet_cidr_ifindex = {1, 3, 6, 1, 2, 1, 4, 24, 7, 1, 7};
const Oid k_ip_cidr_ifindex = {1, 3, 6, 1, 2, 1, 4, 24, 4, 1, 5};
const Oid k_ip_route_nexthop = {1, 3, 6, 1, 2, 1, 4, 21, 1, 7};
const Oid k_lldp_rem = {1, 0, 8802, 1, 1, 2, 1, 4, 1, 1};
const Oid k_lldp_man_addr = {1, 0, 8802, 1, 1, 2, 1, 4, 2, 1};
const Oid k_cdp_cache = {1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1};
const Oid k_net_to_physical = {1, 3, 6, 1, 2, 1, 4, 35, 1};
const Oid k_net_to_media = {1, 3, 6, 1, 2, 1, 4, 22, 1};
const Oid k_vlan_static_name = {1, 3, 6, 1, 2, 1, 17, 7, 1, 4, 3, 1, 1};
const Oid k_ipv6_if_enable = {1, 3, 6, 1, 2, 1, 4, 30, 1, 5};
const Oid k_ipv6_if_forwarding = {1, 3, 6, 1, 2, 1, 4, 30, 1, 8};

bool all_zero(const std::string& address) {
    return address == "0.0.0.0" || address == "::";
}

} // namespace

std::vector<Oid> default_route_subtrees() {
    return {
        // inetCidrRouteIfIndex . ipv4(1).4.0.0.0.0 . pfxLen 0   and   . ipv6(2).16.0*16 . 0
        with(k_inet_cidr_ifindex, {1, 4, 0, 0, 0, 0, 0}),
        with(k_inet_cidr_ifindex, {2, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
        // ipCidrRouteIfIndex . dest 0.0.0.0 . mask 0.0.0.0
        with(k_ip_cidr_ifindex, {0, 0, 0, 0, 0, 0, 0, 0}),
        // ipRouteNextHop . 0.0.0.0
        with(k_ip_route_nexthop, {0, 0, 0, 0}),
    };
}

std::vector<model::Route> decode_default_routes(const std::vector<VarBind>& vbs,
                                                Diagnostics& diag) {
    std::set<std::tuple<int, std::string, std::uint32_t>> seen;
    std::vector<model::Route> out;
    // The older tables sort first in OID order but count only when inetCidrRouteTable has no
    // IPv4 default of its own.
    const Oid v4_inet = with(k_inet_cidr_ifindex, {1});
    const bool have_v4_from_inet = std::ranges::any_of(
        vbs, [&](const VarBind& vb) { return !absent(vb) && oid_starts_with(vb.oid, v4_inet); });
    auto add = [&](model::Family f, std::optional<std::string> hop,
                   std::optional<std::uint32_t> if_index) {
        if (hop && all_zero(*hop)) {
            hop.reset(); // an interface route
        }
        if (seen.emplace(static_cast<int>(f), hop.value_or(""), if_index.value_or(0)).second) {
            out.push_back(model::Route{f, std::move(hop), if_index});
        }
    };
    auto if_index_of = [&](const VarBind& vb) -> std::optional<std::uint32_t> {
        if (vb.type == VbType::integer && vb.integer > 0 && vb.integer <= 0x7FFFFFFF) {
            return static_cast<std::uint32_t>(vb.integer);
        }
        if (vb.type != VbType::integer || vb.integer != 0) {
            diag.warn(vb.oid, "expected an ifIndex (INTEGER); value ignored");
        }
        return std::nullopt;
    };
    for (const auto& vb : vbs) {
        if (absent(vb)) {
            continue;
        }
        if (oid_starts_with(vb.oid, k_inet_cidr_ifindex)) {
            // dest type, len, dest, pfxlen, policy (len + subids), next-hop type, len, address
            std::size_t p = k_inet_cidr_ifindex.size();
            const Oid& o = vb.oid;
            if (o.size() < p + 2) {
                continue;
            }
            const std::uint32_t type = o[p];
            const std::size_t len = o[p + 1];
            p += 2 + len + 1; // skip destination and prefix length
            if (p >= o.size() || o[p] > 128 || p + 1 + o[p] + 2 > o.size()) {
                diag.warn(vb.oid, "malformed inetCidrRouteTable index; row ignored");
                continue;
            }
            p += 1 + o[p]; // the policy OID
            const std::size_t hop_len = o[p + 1];
            // A zoned next hop (ipv6z, fe80::1%5) says its interface in the zone.
            auto hop =
                hop_len == 0 ? std::optional<InetAddress>() : inet_address(o, p + 2, o[p], hop_len);
            if ((hop_len != 0 && !hop) || p + 2 + hop_len != o.size()) {
                diag.warn(vb.oid, "malformed inetCidrRouteTable index (next hop of type " +
                                      std::to_string(o[p]) + ", " + std::to_string(hop_len) +
                                      " octets); row ignored");
                continue;
            }
            const auto fam = type == 2 || type == 4 ? model::Family::ipv6 : model::Family::ipv4;
            auto if_index = if_index_of(vb);
            if (!if_index && hop && hop->zone && *hop->zone > 0 && *hop->zone <= 0x7FFFFFFF) {
                if_index = hop->zone;
            }
            add(fam, hop ? std::optional<std::string>(hop->text) : std::nullopt, if_index);
        } else if (oid_starts_with(vb.oid, k_ip_cidr_ifindex) && !have_v4_from_inet) {
            // dest(4) mask(4) tos(1) next hop(4)
            const std::size_t p = k_ip_cidr_ifindex.size();
            auto hop = vb.oid.size() == p + 13 ? inet_address(vb.oid, p + 9, 1, 4) : std::nullopt;
            if (!hop) {
                diag.warn(vb.oid, "malformed ipCidrRouteTable index; row ignored");
                continue;
            }
            add(model::Family::ipv4, hop->text, if_index_of(vb));
        } else if (oid_starts_with(vb.oid, k_ip_route_nexthop) && !have_v4_from_inet) {
            if (vb.type == VbType::ip_address && vb.bytes.size() == 4) {
                std::array<std::uint8_t, 4> b{};
                std::copy(vb.bytes.begin(), vb.bytes.end(), b.begin());
                add(model::Family::ipv4, model::format_ipv4(b), std::nullopt);
            } else {
                diag.warn(vb.oid, "expected an IpAddress; value ignored");
            }
        }
    }
    return out;
}

void decode_forwarding(const std::vector<VarBind>& system, model::Device& d) {
    for (const auto& vb : system) {
        if (vb.type != VbType::integer || (vb.integer != 1 && vb.integer != 2)) {
            continue;
        }
        if (vb.oid == Oid{1, 3, 6, 1, 2, 1, 4, 1, 0}) {
            d.ipv4_forwarding = vb.integer == 1;
        } else if (vb.oid == Oid{1, 3, 6, 1, 2, 1, 4, 25, 0}) {
            d.ipv6_forwarding = vb.integer == 1;
        }
    }
}

const std::vector<Oid>& lldp_columns() {
    static const std::vector<Oid> cols = [] {
        auto c = columns(k_lldp_rem, {4, 5, 6, 7, 8, 9});
        // lldpRemManAddrIfSubtype: the address itself is in the index
        c.push_back(with(k_lldp_man_addr, {3}));
        return c;
    }();
    return cols;
}

std::vector<model::Neighbor> decode_lldp(const std::vector<VarBind>& vbs, Diagnostics& diag) {
    // Index: timeMark . localPortNum . remIndex [ . addrSubtype . len . address ]
    using Key = std::pair<std::uint32_t, std::uint32_t>; // local port, remote index
    std::map<Key, model::Neighbor> rows;
    std::map<Key, std::pair<std::int64_t, std::int64_t>> subtypes; // chassis, port
    auto id_text = [&](const VarBind& vb, std::int64_t subtype) -> std::optional<std::string> {
        if (vb.type != VbType::octets) {
            diag.warn(vb.oid, "expected an OCTET STRING; value ignored");
            return std::nullopt;
        }
        if (subtype == 4 && vb.bytes.size() == 6) { // chassis macAddress(4)
            return model::format_mac(vb.bytes);
        }
        if (subtype == 3 && vb.bytes.size() == 6) { // port macAddress(3)
            return model::format_mac(vb.bytes);
        }
        return text_value(vb, diag);
    };
    // Subtypes come first in OID order (columns 4 and 6 before 5 and 7).
    for (const auto& vb : vbs) {
        if (absent(vb) || !oid_starts_with(vb.oid, k_lldp_rem) ||
            vb.oid.size() != k_lldp_rem.size() + 4) {
            continue;
        }
        const Key key{vb.oid[k_lldp_rem.size() + 2], vb.oid[k_lldp_rem.size() + 3]};
        const std::uint32_t col = vb.oid[k_lldp_rem.size()];
        auto& n = rows[key];
        n.local_port = key.first;
        if ((col == 4 || col == 6) && vb.type == VbType::integer) {
            (col == 4 ? subtypes[key].first : subtypes[key].second) = vb.integer;
        } else if (col == 5) {
            n.chassis_id = id_text(vb, subtypes[key].first);
        } else if (col == 7) {
            n.port_id = id_text(vb, subtypes[key].second);
        } else if (col == 8) {
            n.port_descr = text_value(vb, diag);
        } else if (col == 9) {
            n.sys_name = text_value(vb, diag);
        }
    }
    for (const auto& vb : vbs) {
        if (!oid_starts_with(vb.oid, k_lldp_man_addr) ||
            vb.oid.size() < k_lldp_man_addr.size() + 7) {
            continue;
        }
        const std::size_t p = k_lldp_man_addr.size() + 1;
        const Key key{vb.oid[p + 1], vb.oid[p + 2]};
        auto it = rows.find(key);
        if (it == rows.end()) {
            continue;
        }
        // address family (IANA: 1 ipV4, 2 ipV6), then the length and the address
        // IANA address family 1 (ipV4) or 2 (ipV6); others (802 MACs, ...) are not addresses
        const std::uint32_t family = vb.oid[p + 3];
        auto addr = family == 1 || family == 2 ? inet_address(vb.oid, p + 5, family, vb.oid[p + 4])
                                               : std::nullopt;
        if (family != 1 && family != 2) {
            continue;
        }
        if (addr && vb.oid.size() == p + 5 + vb.oid[p + 4]) {
            it->second.management_addresses.push_back(addr->text);
        } else {
            diag.warn(vb.oid, "malformed lldpRemManAddrTable index; address ignored");
        }
    }
    std::vector<model::Neighbor> out;
    for (auto& [key, n] : rows) {
        out.push_back(std::move(n));
    }
    return out;
}

const std::vector<Oid>& cdp_columns() {
    // cdpCacheAddressType, cdpCacheAddress, cdpCacheDeviceId, cdpCacheDevicePort,
    // cdpCachePlatform
    static const std::vector<Oid> cols = columns(k_cdp_cache, {3, 4, 6, 7, 8});
    return cols;
}

std::vector<model::Neighbor> decode_cdp(const std::vector<VarBind>& vbs, Diagnostics& diag) {
    // Index: cdpCacheIfIndex . cdpCacheDeviceIndex
    std::map<std::pair<std::uint32_t, std::uint32_t>, model::Neighbor> rows;
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> address_type;
    const std::size_t base = k_cdp_cache.size();
    for (const auto& vb : vbs) {
        if (absent(vb) || !oid_starts_with(vb.oid, k_cdp_cache)) {
            continue;
        }
        if (vb.oid.size() != base + 3 || vb.oid[base + 1] == 0 || vb.oid[base + 1] > 0x7FFFFFFF) {
            diag.warn(vb.oid, "malformed cdpCacheTable index; row ignored");
            continue;
        }
        const auto key = std::make_pair(vb.oid[base + 1], vb.oid[base + 2]);
        auto& n = rows[key];
        n.protocol = "cdp";
        n.local_port = key.first;
        switch (vb.oid[base]) {
        case 3:
            if (vb.type == VbType::integer) {
                address_type[key] = vb.integer;
            }
            break;
        case 4:
            // CiscoNetworkAddress: 4 octets for ip(1)
            if (vb.type == VbType::octets && vb.bytes.size() == 4 && address_type.contains(key) &&
                address_type[key] == 1) {
                std::array<std::uint8_t, 4> b{};
                std::copy(vb.bytes.begin(), vb.bytes.end(), b.begin());
                n.management_addresses.push_back(model::format_ipv4(b));
            }
            break;
        case 6:
            n.sys_name = text_value(vb, diag);
            n.chassis_id = n.sys_name;
            break;
        case 7:
            n.port_id = text_value(vb, diag);
            break;
        case 8:
            n.platform = text_value(vb, diag);
            break;
        default:
            break;
        }
    }
    std::vector<model::Neighbor> out;
    for (auto& [key, n] : rows) {
        out.push_back(std::move(n));
    }
    return out;
}

const std::vector<Oid>& neighbor_cache_columns() {
    // ipNetToPhysicalPhysAddress, ipNetToPhysicalType (invalid(2) rows are stale)
    static const std::vector<Oid> cols = columns(k_net_to_physical, {4, 6});
    return cols;
}

const std::vector<Oid>& arp_legacy_columns() {
    static const std::vector<Oid> cols = columns(k_net_to_media, {2, 4});
    return cols;
}

std::vector<model::CacheEntry> decode_neighbor_cache(const std::vector<VarBind>& vbs,
                                                     Diagnostics& diag) {
    std::map<std::tuple<std::uint32_t, int, std::string>, model::CacheEntry> rows;
    std::set<std::tuple<std::uint32_t, int, std::string>> invalid;
    std::map<std::tuple<std::uint32_t, int, std::string>, std::string> types;
    for (const auto& vb : vbs) {
        if (absent(vb)) {
            continue;
        }
        std::uint32_t if_index = 0;
        std::optional<std::string> addr;
        std::uint32_t col = 0;
        model::Family fam = model::Family::ipv4;
        if (oid_starts_with(vb.oid, k_net_to_physical)) {
            // ifIndex . type . len . address
            const std::size_t p = k_net_to_physical.size() + 1;
            if (vb.oid.size() < p + 3) {
                continue;
            }
            col = vb.oid[p - 1];
            if_index = vb.oid[p];
            const std::uint32_t type = vb.oid[p + 1];
            fam = type == 2 || type == 4 ? model::Family::ipv6 : model::Family::ipv4;
            const std::size_t len = vb.oid[p + 2];
            if (vb.oid.size() == p + 3 + len) {
                if (auto a = inet_address(vb.oid, p + 3, type, len)) {
                    addr = a->text; // the zone repeats the row's ifIndex
                }
            }
        } else if (oid_starts_with(vb.oid, k_net_to_media)) {
            const std::size_t p = k_net_to_media.size() + 1;
            if (vb.oid.size() != p + 5) {
                diag.warn(vb.oid, "malformed ipNetToMediaTable index; row ignored");
                continue;
            }
            col = vb.oid[p - 1] == 2 ? 4 : 6; // as if ipNetToPhysical: phys / type
            if_index = vb.oid[p];
            if (auto a = inet_address(vb.oid, p + 1, 1, 4)) {
                addr = a->text;
            }
        } else {
            continue;
        }
        if (!addr || if_index == 0) {
            diag.warn(vb.oid, "malformed neighbour-cache index; row ignored");
            continue;
        }
        const auto key = std::make_tuple(if_index, static_cast<int>(fam), *addr);
        if (col == 6) {
            if (vb.type == VbType::integer && vb.integer == 2) {
                invalid.insert(key);
            } else if (vb.type == VbType::integer && vb.integer >= 1 && vb.integer <= 5) {
                static constexpr std::array<const char*, 5> k_types = {
                    "other", "invalid", "dynamic", "static", "local"};
                types[key] = k_types[static_cast<std::size_t>(vb.integer - 1)];
            }
            continue;
        }
        auto& e = rows[key];
        e.family = fam;
        e.address = *addr;
        e.if_index = if_index;
        if (vb.type == VbType::octets) {
            e.mac = model::format_mac(vb.bytes);
        } else {
            diag.warn(vb.oid, "expected an OCTET STRING; value ignored");
        }
    }
    std::vector<model::CacheEntry> out;
    for (auto& [key, e] : rows) {
        if (!invalid.contains(key)) {
            if (auto t = types.find(key); t != types.end()) {
                e.type = t->second;
            }
            out.push_back(std::move(e));
        }
    }
    return out;
}

const std::vector<Oid>& vlan_columns() {
    static const std::vector<Oid> cols = {k_vlan_static_name};
    return cols;
}

std::vector<model::Vlan> decode_vlans(const std::vector<VarBind>& vbs, Diagnostics& diag) {
    std::map<std::uint32_t, model::Vlan> rows;
    for (const auto& vb : vbs) {
        if (absent(vb) || !oid_starts_with(vb.oid, k_vlan_static_name)) {
            continue;
        }
        if (vb.oid.size() != k_vlan_static_name.size() + 1 || vb.oid.back() == 0 ||
            vb.oid.back() > 4094) {
            diag.warn(vb.oid, "VLAN id out of range; row ignored");
            continue;
        }
        rows[vb.oid.back()] = model::Vlan{vb.oid.back(), text_value(vb, diag)};
    }
    std::vector<model::Vlan> out;
    for (auto& [id, v] : rows) {
        out.push_back(std::move(v));
    }
    return out;
}

const std::vector<Oid>& ipv6_interface_columns() {
    static const std::vector<Oid> cols = {k_ipv6_if_enable, k_ipv6_if_forwarding};
    return cols;
}

void decode_ipv6_interfaces(const std::vector<VarBind>& vbs, std::vector<model::Interface>& itfs,
                            Diagnostics& diag) {
    for (const auto& vb : vbs) {
        const bool enable = oid_starts_with(vb.oid, k_ipv6_if_enable);
        if (absent(vb) || (!enable && !oid_starts_with(vb.oid, k_ipv6_if_forwarding))) {
            continue;
        }
        if (vb.oid.size() != k_ipv6_if_enable.size() + 1 || vb.type != VbType::integer) {
            diag.warn(vb.oid, enable ? "malformed ipv6InterfaceEnableStatus; ignored"
                                     : "malformed ipv6InterfaceForwarding; ignored");
            continue;
        }
        auto it = std::ranges::find(itfs, vb.oid.back(), &model::Interface::index);
        if (it != itfs.end() && (vb.integer == 1 || vb.integer == 2)) {
            (enable ? it->ipv6_enabled : it->ipv6_forwarding) = vb.integer == 1;
        }
    }
}

} // namespace netinv::probes::mib
