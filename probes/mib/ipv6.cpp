// SPDX-License-Identifier: Apache-2.0
//
// The objects the IPv6 checklist needs beyond addresses (docs/ipv6.md): the IPv6 hop limit
// and legacy forwarding scalars, ipDefaultRouterTable, ipv6RouterAdvertTable, TCP listeners and
// UDP endpoints, TUNNEL-MIB encapsulations, and the IPv6 traffic and ICMPv6 counters. All are
// walked as columns of one walk (scalars through their parent), so an agent without them costs
// one round trip, and SNMPv1 agents need no special case.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "model/net.hpp"
#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

namespace {

const Oid k_hop_limit = {1, 3, 6, 1, 2, 1, 4, 26};
const Oid k_legacy_forwarding = {1, 3, 6, 1, 2, 1, 55, 1, 1};
const Oid k_default_router_lifetime = {1, 3, 6, 1, 2, 1, 4, 37, 1, 4};
const Oid k_ra_entry = {1, 3, 6, 1, 2, 1, 4, 39, 1};
const Oid k_tcp_listener_process = {1, 3, 6, 1, 2, 1, 6, 20, 1, 4};
const Oid k_udp_endpoint_process = {1, 3, 6, 1, 2, 1, 7, 7, 1, 8};
const Oid k_tunnel_encaps = {1, 3, 6, 1, 2, 1, 10, 131, 1, 1, 1, 1, 3};
const Oid k_system_stats = {1, 3, 6, 1, 2, 1, 4, 31, 1, 1};
const Oid k_if_stats = {1, 3, 6, 1, 2, 1, 4, 31, 3, 1};
const Oid k_icmp_stats_in = {1, 3, 6, 1, 2, 1, 5, 29, 1, 2};
const Oid k_icmp_msg_in = {1, 3, 6, 1, 2, 1, 5, 30, 1, 3};
const Oid k_legacy_if_stats = {1, 3, 6, 1, 2, 1, 55, 1, 6, 1};

// An InetAddressType + length-prefixed InetAddress at `pos`: (family or none, text, next pos).
// Type 0 with length 0 is the unspecified address of either family (TCP-MIB's "any").
struct InetIndex {
    std::optional<model::Family> family;
    std::string text;
    std::size_t next = 0;
};
std::optional<InetIndex> inet_index(const Oid& o, std::size_t pos) {
    if (pos + 2 > o.size()) {
        return std::nullopt;
    }
    const std::uint32_t type = o[pos];
    const std::uint32_t len = o[pos + 1];
    if (len > o.size() - pos - 2) {
        return std::nullopt;
    }
    InetIndex out;
    out.next = pos + 2 + len;
    if (type == 0 && len == 0) {
        return out;
    }
    auto a = inet_address(o, pos + 2, type, len);
    if (!a) {
        return std::nullopt;
    }
    out.family = a->family;
    out.text = std::move(a->text);
    return out;
}

std::optional<std::uint64_t> counter_value(const VarBind& vb) {
    if (vb.type == VbType::counter32 || vb.type == VbType::counter64 ||
        vb.type == VbType::gauge32) {
        return vb.unsigned_;
    }
    return std::nullopt;
}

model::Interface* find_if(std::vector<model::Interface>& itfs, std::uint32_t idx) {
    auto it = std::ranges::find(itfs, idx, &model::Interface::index);
    return it == itfs.end() ? nullptr : &*it;
}

} // namespace

std::vector<Oid> ipv6_columns(const std::optional<std::string>& role) {
    // Every device: what levels L0-L4 rest on. Columns indexed by ipVersion alone are walked
    // whole (a walk never returns its own root), and only the IPv6 rows are kept.
    std::vector<Oid> cols = {
        k_hop_limit,
        k_legacy_forwarding,
        k_default_router_lifetime,
        k_tunnel_encaps,
        with(k_system_stats, {4}),     // ipSystemStatsHCInReceives
        with(k_system_stats, {31}),    // ipSystemStatsHCOutTransmits
        with(k_legacy_if_stats, {1}),  // ipv6IfStatsInReceives
        with(k_legacy_if_stats, {11}), // ipv6IfStatsOutRequests
    };
    const bool any = !role || *role == "other";
    const bool host = any || *role == "server" || *role == "storage";
    const bool router = any || *role == "router" || *role == "l3-switch";
    const bool edge = any || *role == "cpe" || *role == "firewall";
    if (router || edge) {
        for (std::uint32_t c : {2u, 5u, 6u, 11u}) { // send, managed, other, lifetime
            cols.push_back(with(k_ra_entry, {c}));
        }
    }
    if (router) {
        cols.push_back(with(k_system_stats, {24})); // ipSystemStatsHCOutForwDatagrams
        cols.push_back(k_icmp_stats_in);            // icmpStatsInMsgs
        cols.push_back(with(k_icmp_msg_in, {2}));   // icmpMsgStatsInPkts, IPv6 by type
    }
    if (edge) {
        cols.push_back(with(k_if_stats, {6, 2}));  // ipIfStatsHCInOctets, IPv6 per interface
        cols.push_back(with(k_if_stats, {33, 2})); // ipIfStatsHCOutOctets, IPv6 per interface
    }
    if (host) {
        cols.push_back(k_tcp_listener_process);
    }
    // UDP: only sockets bound to the unspecified address (dual stack, or ::), which is where an
    // agent listening on IPv6 shows; a busy server's other sockets are not read.
    cols.push_back(with(k_udp_endpoint_process, {0, 0}));
    cols.push_back(
        with(k_udp_endpoint_process, {2, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    return cols;
}

void decode_ipv6(const std::vector<VarBind>& vbs, model::Device& d, Diagnostics& diag) {
    std::map<std::pair<std::uint32_t, std::string>, model::Ipv6Router> routers;
    std::vector<model::Listener> listeners;
    std::map<std::string, std::uint64_t> counters;
    for (const auto& vb : vbs) {
        if (absent(vb)) {
            continue;
        }
        const Oid& o = vb.oid;
        if (oid_starts_with(o, k_hop_limit)) {
            if (o.size() == k_hop_limit.size() + 1 && o.back() == 0 && vb.type == VbType::integer &&
                vb.integer >= 0 && vb.integer <= 255) {
                d.ipv6_hop_limit = static_cast<std::uint32_t>(vb.integer);
            } else {
                diag.warn(o, "expected ipv6IpDefaultHopLimit.0 (INTEGER 0..255); ignored");
            }
        } else if (oid_starts_with(o, k_legacy_forwarding)) {
            if (o.size() == k_legacy_forwarding.size() + 1 && vb.type == VbType::integer &&
                (vb.integer == 1 || vb.integer == 2)) {
                if (!d.ipv6_forwarding) {
                    d.ipv6_forwarding = vb.integer == 1;
                }
            } else {
                diag.warn(o, "expected ipv6Forwarding.0 = 1 or 2; ignored");
            }
        } else if (oid_starts_with(o, k_default_router_lifetime)) {
            auto idx = inet_index(o, k_default_router_lifetime.size());
            if (!idx || !idx->family || idx->next + 1 != o.size() || o.back() == 0 ||
                vb.type != VbType::gauge32) {
                diag.warn(o, "malformed ipDefaultRouterTable row; ignored");
                continue;
            }
            if (*idx->family != model::Family::ipv6) {
                continue;
            }
            routers[{o.back(), idx->text}] = model::Ipv6Router{
                idx->text, o.back(),
                static_cast<std::uint32_t>(std::min<std::uint64_t>(vb.unsigned_, 0xFFFFFFFF))};
        } else if (oid_starts_with(o, k_ra_entry)) {
            if (o.size() != k_ra_entry.size() + 2 || o.back() == 0) {
                diag.warn(o, "malformed ipv6RouterAdvertTable index; ignored");
                continue;
            }
            model::Interface* itf = find_if(d.interfaces, o.back());
            if (!itf) {
                continue;
            }
            const std::uint32_t col = o[k_ra_entry.size()];
            const bool truth = vb.type == VbType::integer && (vb.integer == 1 || vb.integer == 2);
            if (col == 11) {
                if (vb.type == VbType::gauge32 || vb.type == VbType::integer) {
                    const auto v =
                        vb.type == VbType::integer
                            ? static_cast<std::uint64_t>(std::max<std::int64_t>(0, vb.integer))
                            : vb.unsigned_;
                    itf->ra_lifetime_s =
                        static_cast<std::uint32_t>(std::min<std::uint64_t>(v, 9000));
                } else {
                    diag.warn(o, "expected a lifetime (Unsigned32); ignored");
                }
            } else if (!truth) {
                diag.warn(o, "expected a TruthValue (1 or 2); ignored");
            } else if (col == 2) {
                itf->ra_send = vb.integer == 1;
            } else if (col == 5) {
                itf->ra_managed = vb.integer == 1;
            } else if (col == 6) {
                itf->ra_other = vb.integer == 1;
            }
        } else if (oid_starts_with(o, k_tcp_listener_process)) {
            auto idx = inet_index(o, k_tcp_listener_process.size());
            if (!idx || idx->next + 1 != o.size() || o.back() > 65535) {
                diag.warn(o, "malformed tcpListenerTable index; ignored");
                continue;
            }
            listeners.push_back(model::Listener{"tcp", idx->family, idx->text, o.back()});
        } else if (oid_starts_with(o, k_udp_endpoint_process)) {
            // local type/address/port, remote type/address/port, instance; listeners have an
            // unspecified remote end.
            auto local = inet_index(o, k_udp_endpoint_process.size());
            if (!local || local->next >= o.size() || o[local->next] > 65535) {
                diag.warn(o, "malformed udpEndpointTable index; ignored");
                continue;
            }
            const std::uint32_t port = o[local->next];
            auto remote = inet_index(o, local->next + 1);
            if (!remote || remote->next + 2 != o.size()) {
                diag.warn(o, "malformed udpEndpointTable index; ignored");
                continue;
            }
            if (remote->family || o[remote->next] != 0) {
                continue; // a connected socket, not a listener
            }
            listeners.push_back(model::Listener{"udp", local->family, local->text, port});
        } else if (oid_starts_with(o, k_tunnel_encaps)) {
            if (o.size() != k_tunnel_encaps.size() + 1 || vb.type != VbType::integer) {
                diag.warn(o, "malformed tunnelIfEncapsMethod; ignored");
                continue;
            }
            if (model::Interface* itf = find_if(d.interfaces, o.back())) {
                itf->tunnel_encaps =
                    static_cast<std::uint32_t>(std::clamp<std::int64_t>(vb.integer, 0, 255));
            }
        } else {
            if ((oid_starts_with(o, k_system_stats) && o.size() == k_system_stats.size() + 2) ||
                (oid_starts_with(o, k_icmp_stats_in) && o.size() == k_icmp_stats_in.size() + 1)) {
                if (o.back() != 2) {
                    continue; // the IPv4 row
                }
            }
            auto v = counter_value(vb);
            if (!v) {
                diag.warn(o, "expected a counter; ignored");
                continue;
            }
            counters[oid_to_string(o)] = *v;
        }
    }
    for (auto& [k, r] : routers) {
        d.ipv6_routers.push_back(std::move(r));
    }
    std::ranges::sort(listeners, [](const model::Listener& a, const model::Listener& b) {
        return std::tie(a.protocol, a.family, a.address, a.port) <
               std::tie(b.protocol, b.family, b.address, b.port);
    });
    listeners.erase(std::unique(listeners.begin(), listeners.end()), listeners.end());
    d.listeners = std::move(listeners);
    for (auto& [oid, v] : counters) {
        d.counters.push_back(model::Counter{oid, v});
    }
}

std::vector<std::string> tables_answered(const std::vector<const std::vector<VarBind>*>& rows) {
    static const std::array<std::pair<std::string_view, Oid>, 12> k_tables = {{
        {"ipAddressTable", {1, 3, 6, 1, 2, 1, 4, 34, 1}},
        {"ipv6AddrTable", {1, 3, 6, 1, 2, 1, 55, 1, 8, 1}},
        {"cIpAddressTable", {1, 3, 6, 1, 4, 1, 9, 10, 86, 1, 1, 2, 1}},
        {"ipv6InterfaceTable", {1, 3, 6, 1, 2, 1, 4, 30, 1}},
        {"inetCidrRouteTable", {1, 3, 6, 1, 2, 1, 4, 24, 7, 1}},
        {"ipDefaultRouterTable", {1, 3, 6, 1, 2, 1, 4, 37, 1}},
        {"ipv6RouterAdvertTable", {1, 3, 6, 1, 2, 1, 4, 39, 1}},
        {"ipNetToPhysicalTable", {1, 3, 6, 1, 2, 1, 4, 35, 1}},
        {"tcpListenerTable", {1, 3, 6, 1, 2, 1, 6, 20, 1}},
        {"udpEndpointTable", {1, 3, 6, 1, 2, 1, 7, 7, 1}},
        {"ipSystemStatsTable", {1, 3, 6, 1, 2, 1, 4, 31, 1, 1}},
        {"ipIfStatsTable", {1, 3, 6, 1, 2, 1, 4, 31, 3, 1}},
    }};
    std::vector<std::string> out;
    for (const auto& [name, prefix] : k_tables) {
        const bool any = std::ranges::any_of(rows, [&](const std::vector<VarBind>* v) {
            return std::ranges::any_of(*v, [&](const VarBind& vb) {
                return !absent(vb) && oid_starts_with(vb.oid, prefix);
            });
        });
        if (any) {
            out.emplace_back(name);
        }
    }
    return out;
}

} // namespace netinv::probes::mib
