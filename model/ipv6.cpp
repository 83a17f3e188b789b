// SPDX-License-Identifier: Apache-2.0
//
// The IPv6 checklist. Status rules (docs/ipv6.md): pass when the condition holds; fail when
// the table that decides it answered (or a sibling table of the same MIB did, so an empty walk
// is an answer) and the condition does not hold; unknown when the agent has no such table, or
// a counter has no earlier sample to compare with; n/a when the check is not for this role.
// Unknown is never turned into fail: a device is not blamed for what it cannot show.
#include "model/ipv6.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "model/summary.hpp"

namespace netinv::model {

namespace {

using Bytes = std::array<std::uint8_t, 16>;

std::optional<Bytes> v6_bytes(std::string_view text) {
    std::string s(text.substr(0, text.find('%')));
    Bytes b{};
    if (inet_pton(AF_INET6, s.c_str(), b.data()) != 1) {
        return std::nullopt;
    }
    return b;
}

// True when the first `bits` bits of `a` equal those of `p`.
bool prefix_match(const Bytes& a, const Bytes& p, int bits) {
    for (int i = 0; i < bits; ++i) {
        const int byte = i / 8;
        const int mask = 0x80 >> (i % 8);
        if ((a[static_cast<std::size_t>(byte)] & mask) !=
            (p[static_cast<std::size_t>(byte)] & mask)) {
            return false;
        }
    }
    return true;
}

bool in_prefix(const Bytes& a, std::string_view cidr) {
    const auto slash = cidr.find('/');
    if (slash == std::string_view::npos) {
        return false;
    }
    auto p = v6_bytes(cidr.substr(0, slash));
    int bits = 0;
    for (char c : cidr.substr(slash + 1)) {
        if (c < '0' || c > '9') {
            return false;
        }
        bits = bits * 10 + (c - '0');
        if (bits > 128) {
            return false;
        }
    }
    return p && prefix_match(a, *p, bits);
}

} // namespace

bool ipv6_in_prefix(std::string_view address, std::string_view cidr) {
    auto a = v6_bytes(address);
    return a && in_prefix(*a, cidr);
}

std::string_view to_string(Scope s) {
    switch (s) {
    case Scope::unspecified:
        return "unspecified";
    case Scope::loopback:
        return "loopback";
    case Scope::ipv4_mapped:
        return "ipv4-mapped";
    case Scope::link_local:
        return "link-local";
    case Scope::site_local:
        return "site-local";
    case Scope::ula:
        return "ula";
    case Scope::global:
        return "global";
    case Scope::documentation:
        return "documentation";
    case Scope::six_to_four:
        return "6to4";
    case Scope::teredo:
        return "teredo";
    case Scope::nat64:
        return "nat64";
    case Scope::multicast:
        return "multicast";
    case Scope::reserved:
        return "reserved";
    }
    return "reserved";
}

std::optional<Scope> classify_ipv6(std::string_view address) {
    auto b = v6_bytes(address);
    if (!b) {
        return std::nullopt;
    }
    const Bytes& a = *b;
    const bool first80_zero = std::all_of(a.begin(), a.begin() + 10, [](auto x) { return x == 0; });
    if (first80_zero && a[10] == 0 && a[11] == 0 &&
        std::all_of(a.begin() + 12, a.begin() + 15, [](auto x) { return x == 0; })) {
        if (a[15] == 0) {
            return Scope::unspecified;
        }
        if (a[15] == 1) {
            return Scope::loopback;
        }
    }
    if (first80_zero && ((a[10] == 0xFF && a[11] == 0xFF) || (a[10] == 0 && a[11] == 0))) {
        return Scope::ipv4_mapped;
    }
    // Special ranges before the catch-alls; the longest match wins.
    if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B &&
        std::all_of(a.begin() + 4, a.begin() + 12, [](auto x) { return x == 0; })) {
        return Scope::nat64;
    }
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8) {
        return Scope::documentation;
    }
    if (a[0] == 0x3F && a[1] == 0xFF && (a[2] & 0xF0) == 0) {
        return Scope::documentation; // 3fff::/20 (RFC 9637)
    }
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) {
        return Scope::teredo;
    }
    if (a[0] == 0x20 && a[1] == 0x02) {
        return Scope::six_to_four;
    }
    if (a[0] == 0xFF) {
        return Scope::multicast;
    }
    if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) {
        return Scope::link_local;
    }
    if (a[0] == 0xFE && (a[1] & 0xC0) == 0xC0) {
        return Scope::site_local;
    }
    if ((a[0] & 0xFE) == 0xFC) {
        return Scope::ula;
    }
    if ((a[0] & 0xE0) == 0x20) {
        return Scope::global;
    }
    return Scope::reserved;
}

bool usable_scope(Scope s, const Ipv6Policy& policy) {
    return s == Scope::global || (s == Scope::ula && policy.ula_usable);
}

std::optional<std::string> management_candidate(const Device& d, const Ipv6Policy& policy) {
    std::optional<std::string> best;
    bool best_loopback = false;
    for (const auto& a : d.addresses) {
        const auto s = classify_ipv6(a.address);
        if (a.family != Family::ipv6 || !s || !usable_scope(*s, policy) ||
            a.status.value_or("preferred") != "preferred" || a.anycast == true ||
            std::ranges::none_of(policy.management_prefixes, [&](const std::string& p) {
                return ipv6_in_prefix(a.address, p);
            })) {
            continue;
        }
        auto itf = std::ranges::find(d.interfaces, a.if_index.value_or(0), &Interface::index);
        const bool loopback = itf != d.interfaces.end() && itf->type == 24u;
        if (!best || (loopback && !best_loopback)) {
            best = a.address;
            best_loopback = loopback;
        }
    }
    return best;
}

std::string_view to_string(CheckStatus s) {
    switch (s) {
    case CheckStatus::pass:
        return "pass";
    case CheckStatus::partial:
        return "partial";
    case CheckStatus::fail:
        return "fail";
    case CheckStatus::unknown:
        return "unknown";
    case CheckStatus::not_applicable:
        return "n/a";
    }
    return "unknown";
}

std::string_view to_string(Severity s) {
    switch (s) {
    case Severity::low:
        return "low";
    case Severity::medium:
        return "medium";
    case Severity::high:
        return "high";
    case Severity::critical:
        return "critical";
    }
    return "low";
}

std::optional<CheckStatus> check_status_from_string(std::string_view s) {
    for (auto st : {CheckStatus::pass, CheckStatus::partial, CheckStatus::fail,
                    CheckStatus::unknown, CheckStatus::not_applicable}) {
        if (s == to_string(st)) {
            return st;
        }
    }
    if (s == "na") {
        return CheckStatus::not_applicable;
    }
    return std::nullopt;
}

std::optional<Severity> severity_from_string(std::string_view s) {
    for (auto sv : {Severity::low, Severity::medium, Severity::high, Severity::critical}) {
        if (s == to_string(sv)) {
            return sv;
        }
    }
    return std::nullopt;
}

bool selected(const Check& c, const CheckFilter& f) {
    if (static_cast<int>(c.severity) < static_cast<int>(f.min_severity)) {
        return false;
    }
    if (!f.statuses.empty()) {
        return std::ranges::find(f.statuses, c.status) != f.statuses.end();
    }
    return f.all || c.status == CheckStatus::fail || c.status == CheckStatus::partial ||
           c.status == CheckStatus::unknown;
}

std::vector<ActionGroup> group_by_action(const Ipv6Summary& s, const CheckFilter& f) {
    std::vector<ActionGroup> out;
    for (const auto& d : s.devices) {
        for (const auto& c : d.checks) {
            if (!selected(c, f)) {
                continue;
            }
            auto it = std::ranges::find(out, c.id, &ActionGroup::id);
            if (it == out.end()) {
                out.push_back(ActionGroup{c.id, c.severity, {}});
                it = out.end() - 1;
            }
            it->devices.emplace_back(&d, &c);
        }
    }
    const auto rank = [](CheckStatus st) {
        return st == CheckStatus::fail      ? 0
               : st == CheckStatus::partial ? 1
               : st == CheckStatus::unknown ? 2
                                            : 3;
    };
    for (auto& g : out) {
        std::ranges::stable_sort(g.devices, [&](const auto& a, const auto& b) {
            return std::make_tuple(rank(a.second->status), a.first->device) <
                   std::make_tuple(rank(b.second->status), b.first->device);
        });
    }
    std::ranges::stable_sort(out, [](const ActionGroup& a, const ActionGroup& b) {
        return std::make_tuple(-static_cast<int>(a.severity), -static_cast<long>(a.devices.size()),
                               a.id) < std::make_tuple(-static_cast<int>(b.severity),
                                                       -static_cast<long>(b.devices.size()), b.id);
    });
    return out;
}

std::string_view to_string(RoleClass c) {
    switch (c) {
    case RoleClass::host:
        return "host";
    case RoleClass::router:
        return "router";
    case RoleClass::l2_switch:
        return "l2-switch";
    case RoleClass::firewall:
        return "firewall";
    case RoleClass::cpe:
        return "cpe";
    case RoleClass::other:
        return "other";
    }
    return "other";
}

RoleClass role_class(const std::optional<std::string>& role) {
    if (!role) {
        return RoleClass::other;
    }
    if (*role == "server" || *role == "storage") {
        return RoleClass::host;
    }
    if (*role == "router" || *role == "l3-switch") {
        return RoleClass::router;
    }
    if (*role == "l2-switch") {
        return RoleClass::l2_switch;
    }
    if (*role == "firewall") {
        return RoleClass::firewall;
    }
    if (*role == "cpe") {
        return RoleClass::cpe;
    }
    return RoleClass::other;
}

std::string_view to_string(SiteStatus s) {
    switch (s) {
    case SiteStatus::ready:
        return "ready";
    case SiteStatus::partial:
        return "partial";
    case SiteStatus::not_started:
        return "not-started";
    case SiteStatus::no_data:
        return "no-data";
    }
    return "no-data";
}

const Check* DeviceReadiness::find(std::string_view id) const {
    auto it = std::ranges::find(checks, id, &Check::id);
    return it == checks.end() ? nullptr : &*it;
}

namespace {

// OIDs named in evidence.
constexpr std::string_view k_hop_limit = "1.3.6.1.2.1.4.26.0";
constexpr std::string_view k_v6_forwarding = "1.3.6.1.2.1.4.25.0";
constexpr std::string_view k_if_enable = "1.3.6.1.2.1.4.30.1.5";
constexpr std::string_view k_if_forwarding = "1.3.6.1.2.1.4.30.1.8";
constexpr std::string_view k_addr_status = "1.3.6.1.2.1.4.34.1.7";
constexpr std::string_view k_addr_origin = "1.3.6.1.2.1.4.34.1.6";
constexpr std::string_view k_addr_prefix = "1.3.6.1.2.1.4.34.1.5";
constexpr std::string_view k_addr_if = "1.3.6.1.2.1.4.34.1.3";
constexpr std::string_view k_default_router = "1.3.6.1.2.1.4.37.1.4";
constexpr std::string_view k_cidr_route = "1.3.6.1.2.1.4.24.7.1";
constexpr std::string_view k_ra_send = "1.3.6.1.2.1.4.39.1.2";
constexpr std::string_view k_ra_lifetime = "1.3.6.1.2.1.4.39.1.11";
constexpr std::string_view k_net_to_phys = "1.3.6.1.2.1.4.35.1.6";
constexpr std::string_view k_tcp_listener = "1.3.6.1.2.1.6.20.1.4";
constexpr std::string_view k_udp_endpoint = "1.3.6.1.2.1.7.7.1.8";
constexpr std::string_view k_if_type = "1.3.6.1.2.1.2.2.1.3";
constexpr std::string_view k_tunnel_encaps = "1.3.6.1.2.1.10.131.1.1.1.1.3";
// Counters (IP-MIB, RFC 4293).
constexpr std::string_view k_v6_in_receives = "1.3.6.1.2.1.4.31.1.1.4.2";
constexpr std::string_view k_v6_out_transmits = "1.3.6.1.2.1.4.31.1.1.31.2";
constexpr std::string_view k_v6_out_forw = "1.3.6.1.2.1.4.31.1.1.24.2";
constexpr std::string_view k_legacy_if_in = "1.3.6.1.2.1.55.1.6.1.1.";
constexpr std::string_view k_legacy_if_out = "1.3.6.1.2.1.55.1.6.1.11.";
constexpr std::string_view k_if_in_octets = "1.3.6.1.2.1.4.31.3.1.6.2.";
constexpr std::string_view k_if_out_octets = "1.3.6.1.2.1.4.31.3.1.33.2.";
constexpr std::string_view k_icmp6_in = "1.3.6.1.2.1.5.29.1.2.2";
constexpr std::string_view k_icmp6_ns = "1.3.6.1.2.1.5.30.1.3.2.135";
constexpr std::string_view k_icmp6_na = "1.3.6.1.2.1.5.30.1.3.2.136";

constexpr std::uint64_t k_traffic_threshold = 100; // packets between two scans (C07)
constexpr std::int64_t k_min_interval_s = 60;

struct Def {
    std::string_view id;
    const char* title; // the gettext msgid
    Severity severity;
    const char* remediation;
};

constexpr Def k_c01{
    "C01", N_("IPv6 stack instrumented"), Severity::critical,
    N_("enable IPv6 globally (ipv6 unicast-routing / ipv6 enable / OS sysctl); if the "
       "firmware has no IPv6, replace the device (RIPE-772, QCVN 89:2015)")};
constexpr Def k_c02{"C02", N_("Link-local address on active interfaces"), Severity::medium,
                    N_("enable IPv6 on each active interface")};
constexpr Def k_c03{"C03", N_("Usable IPv6 address present"), Severity::high,
                    N_("assign addresses from the provincial plan (/64 per VLAN, /128 loopback)")};
constexpr Def k_c04{"C04", N_("No duplicate or invalid addresses"), Severity::high,
                    N_("fix the addressing conflict (duplicate address detection failed)")};
constexpr Def k_c05{"C05", N_("No documentation, site-local, 6to4 or Teredo addresses"),
                    Severity::medium,
                    N_("remove automatic tunnels and renumber into the provincial plan")};
constexpr Def k_c06{"C06", N_("Managed over IPv6"), Severity::high,
                    N_("enable the SNMP agent on udp6 and allow the NMS prefix in its ACL/view")};
constexpr Def k_c07{
    "C07", N_("IPv6 carries traffic"), Severity::medium,
    N_("find why IPv6 is unused: router advertisements, AAAA records, DNS, firewall")};
constexpr Def k_c08{"C08", N_("Modern MIB support (IP-MIB IPv6 rows)"), Severity::low,
                    N_("plan a firmware upgrade (affects monitoring, not forwarding)")};
constexpr Def k_h01{"H01", N_("Stable server address"), Severity::high,
                    N_("give the server a static or DHCPv6-reserved address and publish its AAAA")};
constexpr Def k_h02{"H02", N_("IPv6 default router"), Severity::critical,
                    N_("check router advertisements on the gateway (R05) or add a static default")};
constexpr Def k_h03{"H03", N_("Services listen on IPv6"), Severity::high,
                    N_("bind services to :: (dual stack) and open the host firewall for IPv6")};
constexpr Def k_h04{
    "H04", N_("Not forwarding IPv6 unintentionally"), Severity::low,
    N_("disable IPv6 forwarding (net.ipv6.conf.all.forwarding=0) unless a VM host")};
constexpr Def k_h05{"H05", N_("IPv6 neighbours on the link"), Severity::low,
                    N_("verify that the server's VLAN has an IPv6 gateway")};
constexpr Def k_r01{"R01", N_("IPv6 forwarding enabled"), Severity::critical,
                    N_("ipv6 unicast-routing (or the vendor's equivalent)")};
constexpr Def k_r02{"R02", N_("Per-interface IPv6 forwarding"), Severity::medium,
                    N_("enable IPv6 on the SVI or routed port")};
constexpr Def k_r03{"R03", N_("Dual-stack parity"), Severity::high,
                    N_("add IPv6 to every IPv4 interface, per the addressing plan")};
constexpr Def k_r04{"R04", N_("IPv6 default or upstream route"), Severity::critical,
                    N_("add a static ::/0 or OSPFv3/BGP toward the provincial core")};
constexpr Def k_r05{"R05", N_("Router advertisements on user VLANs"), Severity::high,
                    N_("enable RA (no ipv6 nd ra suppress) and set M/O flags for DHCPv6")};
constexpr Def k_r06{"R06", N_("Prefix-length hygiene"), Severity::medium,
                    N_("renumber per plan: LAN /64, point-to-point /127 or /64, loopback /128")};
constexpr Def k_r07{"R07", N_("IPv6 neighbours learned"), Severity::low,
                    N_("check that clients get router advertisements")};
constexpr Def k_r08{"R08", N_("IPv6 forwarding observed"), Severity::medium,
                    N_("look for a routing or ACL problem")};
constexpr Def k_r09{"R09", N_("ICMPv6 healthy"), Severity::low,
                    N_("make sure neighbour discovery is not filtered (RFC 4890)")};
constexpr Def k_s01{"S01", N_("Management address on IPv6"), Severity::high,
                    N_("configure IPv6 on the management VLAN")};
constexpr Def k_s02{"S02", N_("Managed over IPv6"), Severity::high,
                    N_("enable SNMP and SSH over IPv6")};
constexpr Def k_s03{"S03", N_("Remote reachability (default router)"), Severity::medium,
                    N_("accept router advertisements or add a static default")};
constexpr Def k_s04{"S04", N_("Not acting as an IPv6 router"), Severity::low,
                    N_("disable IPv6 routing on the switch")};
constexpr Def k_s05{
    "S05", N_("First-hop security and MLD snooping"), Severity::medium,
    N_("enable RA-Guard, DHCPv6-Guard and MLD snooping; else schedule replacement")};
constexpr Def k_f01{"F01", N_("Dual-stack interfaces"), Severity::critical,
                    N_("add IPv6 to each zone (inside, outside, DMZ)")};
constexpr Def k_f02{"F02", N_("IPv6 default route"), Severity::high,
                    N_("add a static ::/0 toward the provincial core or ISP")};
constexpr Def k_f03{"F03", N_("IPv6 traffic passes"), Severity::medium,
                    N_("review the IPv6 policy and NAT rules")};
constexpr Def k_f04{"F04", N_("Policy parity and ICMPv6 per RFC 4890"), Severity::high,
                    N_("mirror the IPv4 rules for IPv6; allow ND and PMTU ICMPv6")};
constexpr Def k_f05{"F05", N_("Managed over IPv6"), Severity::medium,
                    N_("enable a management profile on an IPv6 interface")};
constexpr Def k_p01{"P01", N_("WAN IPv6 address"), Severity::critical,
                    N_("enable DHCPv6 or SLAAC on the WAN; ask the WAN operator for IPv6")};
constexpr Def k_p02{"P02", N_("LAN prefix assigned"), Severity::critical,
                    N_("enable the DHCPv6-PD client (/56 or /48 per site)")};
constexpr Def k_p03{"P03", N_("Router advertisements on the LAN"), Severity::high,
                    N_("enable RA/SLAAC or a DHCPv6 server on the LAN")};
constexpr Def k_p04{"P04", N_("Upstream default"), Severity::critical,
                    N_("accept router advertisements on the WAN or add a static ::/0")};
constexpr Def k_p05{"P05", N_("IPv6 forwarding on"), Severity::critical, N_("enable IPv6 routing")};
constexpr Def k_p06{"P06", N_("LAN clients use IPv6"), Severity::medium,
                    N_("check client operating systems and the RA flags")};
constexpr Def k_p07{"P07", N_("WAN IPv6 traffic"), Severity::medium,
                    N_("look for a routing or ACL problem at the aggregation router")};
constexpr Def k_p08{"P08", N_("Model compliance (QCVN 90:2015)"), Severity::high,
                    N_("replace the CPE with an approved model")};
constexpr Def k_p09{"P09", N_("Managed over IPv6 from the NOC"), Severity::medium,
                    N_("allow the NOC prefix in the CPE's IPv6 management ACL")};

Check make(const Def& d, CheckStatus st, Message finding, std::string mib = {},
           std::vector<Message> evidence = {}) {
    return Check{d.id,
                 d.title,
                 d.severity,
                 st,
                 st == CheckStatus::pass ? 1.0 : 0.0,
                 std::move(finding),
                 std::move(mib),
                 std::move(evidence),
                 d.remediation};
}

// Everything the checks share about one device.
struct Facts {
    const Device& d;
    const Ipv6Policy& policy;
    std::optional<EarlierSample> earlier;
    std::vector<const Address*> v6;
    std::vector<const Address*> usable; // usable scope, preferred (or status unknown), unicast
    bool address_mib = false;           // some table that can show IPv6 addresses answered
    bool ipmib_v6 = false;              // IP-MIB's IPv6 part is instrumented
    std::string mib;                    // where the IPv6 addresses came from
    std::optional<std::uint32_t> wan_if;

    bool cut(std::string_view walk) const {
        return std::ranges::find(d.partial, walk) != d.partial.end();
    }
    // Why the address checks cannot be decided.
    Message no_addresses() const {
        return cut("ip_address") ? msg("the address walk was cut short (timeout or time budget)")
                                 : msg("no address table answered");
    }
    const Interface* itf(std::uint32_t idx) const {
        auto it = std::ranges::find(d.interfaces, idx, &Interface::index);
        return it == d.interfaces.end() ? nullptr : &*it;
    }
    bool has_v4(std::uint32_t idx) const {
        return std::ranges::any_of(d.addresses, [&](const Address& a) {
            return a.family == Family::ipv4 && a.if_index == idx && a.anycast != true &&
                   !a.address.starts_with("127.");
        });
    }
    bool has_usable(std::uint32_t idx) const {
        return std::ranges::any_of(usable, [&](const Address* a) { return a->if_index == idx; });
    }
    // Up interfaces with an IPv4 address (the ones that should be dual-stack).
    std::vector<std::uint32_t> v4_interfaces() const {
        std::vector<std::uint32_t> out;
        for (const auto& i : d.interfaces) {
            if (i.oper_status == IfStatus::up && has_v4(i.index) && i.type != 24u) {
                out.push_back(i.index);
            }
        }
        return out;
    }
    std::optional<std::uint64_t> counter(std::string_view oid, const Device& dev) const {
        auto it = std::ranges::find(dev.counters, oid, &Counter::oid);
        if (it == dev.counters.end()) {
            return std::nullopt;
        }
        return it->value;
    }
    std::uint64_t sum_prefix(std::string_view prefix, const Device& dev, bool& found) const {
        std::uint64_t s = 0;
        for (const auto& c : dev.counters) {
            if (c.oid.starts_with(prefix)) {
                s += c.value;
                found = true;
            }
        }
        return s;
    }
};

// Why a counter delta cannot be taken, or nullopt when it can.
std::optional<Message> no_delta(const Facts& f) {
    if (!f.earlier || !f.earlier->device) {
        return msg("one sample only: a second scan at least 60 s later measures traffic");
    }
    const Device& then = *f.earlier->device;
    std::int64_t interval = f.earlier->seconds_before;
    if (f.d.sys_uptime_cs && then.sys_uptime_cs) {
        if (*f.d.sys_uptime_cs < *then.sys_uptime_cs) {
            return msg("the agent restarted between the two scans: its counters started again");
        }
        interval = static_cast<std::int64_t>((*f.d.sys_uptime_cs - *then.sys_uptime_cs) / 100);
    }
    if (interval < k_min_interval_s) {
        return msg("the two samples are {} s apart; at least {} s are needed", interval,
                   k_min_interval_s);
    }
    return std::nullopt;
}

// Δ of one counter (or the sum of a prefix of counters) between the earlier scan and now.
struct Delta {
    std::optional<std::uint64_t> value;
    Message why; // when !value
    std::vector<Message> evidence;
};

Delta delta(const Facts& f, std::string_view oid, bool prefix = false) {
    Delta out;
    if (auto why = no_delta(f)) {
        bool found = false;
        if (prefix) {
            f.sum_prefix(oid, f.d, found);
        } else {
            found = f.counter(oid, f.d).has_value();
        }
        out.why = found ? *why : msg("{} not answered", oid);
        return out;
    }
    const Device& then = *f.earlier->device;
    std::optional<std::uint64_t> a;
    std::optional<std::uint64_t> b;
    if (prefix) {
        bool fa = false;
        bool fb = false;
        const auto va = f.sum_prefix(oid, then, fa);
        const auto vb = f.sum_prefix(oid, f.d, fb);
        if (fa && fb) {
            a = va;
            b = vb;
        }
    } else {
        a = f.counter(oid, then);
        b = f.counter(oid, f.d);
    }
    if (!a || !b) {
        out.why = msg("{} not answered in both scans", oid);
        return out;
    }
    out.evidence.push_back(msg("{}{} = {} then {}", oid, prefix ? "*" : "", *a, *b));
    // A Counter32 that wrapped once is still a plain difference modulo 2^32; a Counter64 does
    // not wrap in a day. A decrease otherwise means a reset: no delta.
    if (*b >= *a) {
        out.value = *b - *a;
    } else if (*a <= 0xFFFFFFFFull && *b <= 0xFFFFFFFFull) {
        out.value = (0x100000000ull - *a) + *b;
    } else {
        out.why = msg("the counter went backwards (reset)");
    }
    return out;
}

std::string addr_list(const std::vector<const Address*>& v, std::size_t max = 4) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < max; ++i) {
        s += (i ? ", " : "") + v[i]->address;
        if (v[i]->prefix_length) {
            s += fmt::format("/{}", *v[i]->prefix_length);
        }
    }
    if (v.size() > max) {
        s += fmt::format(" (+{})", v.size() - max);
    }
    return s;
}

std::string if_list(const Facts& f, const std::vector<std::uint32_t>& v, std::size_t max = 6) {
    std::string s;
    for (std::size_t i = 0; i < v.size() && i < max; ++i) {
        const Interface* itf = f.itf(v[i]);
        const std::string name = itf && itf->name
                                     ? *itf->name
                                     : (itf && itf->descr ? *itf->descr : fmt::format("#{}", v[i]));
        s += (i ? ", " : "") + name;
    }
    if (v.size() > max) {
        s += fmt::format(" (+{})", v.size() - max);
    }
    return s;
}

Check c01(const Facts& f) {
    std::vector<Message> ev;
    if (f.d.ipv6_hop_limit) {
        ev.push_back(msg("{} = {}", k_hop_limit, *f.d.ipv6_hop_limit));
    }
    const auto enabled = std::ranges::count_if(
        f.d.interfaces, [](const Interface& i) { return i.ipv6_enabled.has_value(); });
    if (enabled) {
        ev.push_back(msg("{}: {} rows", k_if_enable, enabled));
    }
    if (!f.v6.empty()) {
        ev.push_back(msg("{} IPv6 address rows ({})", f.v6.size(), f.mib));
    }
    if (!ev.empty()) {
        return make(k_c01, CheckStatus::pass, msg("the agent reports an IPv6 stack"), f.mib, ev);
    }
    if (f.cut("ip_address") || f.cut("ipv6")) {
        return make(k_c01, CheckStatus::unknown, f.no_addresses());
    }
    if (f.address_mib) {
        return make(k_c01, CheckStatus::fail,
                    msg("the address tables answered with no IPv6 row and no IPv6 object answered"),
                    f.mib, {msg("{} absent; no IPv6 rows under {}", k_hop_limit, k_addr_if)});
    }
    return make(
        k_c01, CheckStatus::unknown,
        msg("neither IP-MIB nor IPV6-MIB answered: verify IPv6 on the device's CLI (ping6)"), "",
        {msg("no answer under {} or 1.3.6.1.2.1.55.1.8.1", k_addr_if)});
}

Check c02(const Facts& f) {
    if (!f.address_mib) {
        return make(k_c02, CheckStatus::unknown, f.no_addresses());
    }
    const auto ifs = f.v4_interfaces();
    if (ifs.empty()) {
        return make(k_c02, CheckStatus::not_applicable, msg("no active interface with IPv4"));
    }
    std::vector<std::uint32_t> missing;
    for (auto idx : ifs) {
        const bool ll = std::ranges::any_of(f.v6, [&](const Address* a) {
            return a->if_index == idx && classify_ipv6(a->address) == Scope::link_local;
        });
        const Interface* i = f.itf(idx);
        if (!ll || (i && i->ipv6_enabled == false)) {
            missing.push_back(idx);
        }
    }
    std::vector<Message> ev{msg("{} active IPv4 interfaces", ifs.size())};
    if (missing.empty()) {
        return make(k_c02, CheckStatus::pass,
                    msg("every active interface has a link-local address"), f.mib, ev);
    }
    ev.push_back(msg("{}: no fe80::/10 row or {} = 2", if_list(f, missing), k_if_enable));
    auto c = make(k_c02, CheckStatus::fail,
                  msg("{} of {} active interfaces lack IPv6: {}", missing.size(), ifs.size(),
                      if_list(f, missing)),
                  f.mib, ev);
    return c;
}

Check c03(const Facts& f) {
    if (!f.usable.empty()) {
        return make(k_c03, CheckStatus::pass, msg("{}", addr_list(f.usable)), f.mib,
                    {msg("{} / {} = unicast, preferred", k_addr_status, k_addr_if)});
    }
    if (!f.address_mib) {
        return make(k_c03, CheckStatus::unknown, f.no_addresses());
    }
    Message seen = f.v6.empty() ? msg("no IPv6 address") : msg("only {}", addr_list(f.v6));
    return make(k_c03, CheckStatus::fail, seen, f.mib,
                {msg("no global or ULA row with {} = preferred(1)", k_addr_status)});
}

Check c04(const Facts& f) {
    if (!f.address_mib) {
        return make(k_c04, CheckStatus::unknown, f.no_addresses());
    }
    std::vector<const Address*> bad;
    std::vector<Message> ev;
    bool any_status = false;
    for (const Address* a : f.v6) {
        if (!a->status) {
            continue;
        }
        any_status = true;
        bool tentative_twice = false;
        if (*a->status == "tentative" && f.earlier && f.earlier->device) {
            tentative_twice =
                std::ranges::any_of(f.earlier->device->addresses, [&](const Address& e) {
                    return e.address == a->address && e.status == "tentative";
                });
        }
        if (*a->status == "duplicate" || *a->status == "invalid" || tentative_twice) {
            bad.push_back(a);
            ev.push_back(msg("{} {} = {}{}", k_addr_status, a->address, *a->status,
                             tentative_twice ? " (two scans running)" : ""));
        }
    }
    if (!bad.empty()) {
        return make(k_c04, CheckStatus::fail, msg("address conflict: {}", addr_list(bad)), f.mib,
                    ev);
    }
    if (!any_status && !f.v6.empty()) {
        return make(k_c04, CheckStatus::unknown, msg("the agent gives no address status"), f.mib,
                    {msg("{} absent", k_addr_status)});
    }
    return make(k_c04, CheckStatus::pass, msg("no duplicate, invalid or stuck tentative address"),
                f.mib);
}

Check c05(const Facts& f) {
    if (!f.address_mib) {
        return make(k_c05, CheckStatus::unknown, f.no_addresses());
    }
    std::vector<Message> ev;
    std::vector<Message> found;
    for (const Address* a : f.v6) {
        const auto s = classify_ipv6(a->address);
        if (s == Scope::documentation || s == Scope::site_local || s == Scope::six_to_four ||
            s == Scope::teredo) {
            found.push_back(msg("{} ({})", a->address, to_string(*s)));
            ev.push_back(msg("{} row {}", k_addr_if, a->address));
        }
    }
    for (const auto& i : f.d.interfaces) {
        if (i.type == 215u) {
            found.push_back(
                msg("interface {} is a 6to4 tunnel", i.name.value_or(std::to_string(i.index))));
            ev.push_back(msg("{}.{} = 215", k_if_type, i.index));
        }
        if (i.tunnel_encaps &&
            (*i.tunnel_encaps == 11 || *i.tunnel_encaps == 13 || *i.tunnel_encaps == 14)) {
            found.push_back(msg("interface {} is an automatic tunnel ({})",
                                i.name.value_or(std::to_string(i.index)),
                                *i.tunnel_encaps == 11   ? "6to4"
                                : *i.tunnel_encaps == 13 ? "ISATAP"
                                                         : "Teredo"));
            ev.push_back(msg("{}.{} = {}", k_tunnel_encaps, i.index, *i.tunnel_encaps));
        }
    }
    if (!found.empty()) {
        Message all = found.front();
        all.more.assign(found.begin() + 1, found.end());
        return make(k_c05, CheckStatus::fail, all, f.mib, ev);
    }
    Message note = msg("no legacy or transition addresses");
    if (!f.policy.plan_prefixes.empty()) {
        std::vector<const Address*> outside;
        for (const Address* a : f.usable) {
            if (classify_ipv6(a->address) == Scope::global &&
                std::ranges::none_of(f.policy.plan_prefixes, [&](const std::string& p) {
                    return ipv6_in_prefix(a->address, p);
                })) {
                outside.push_back(a);
            }
        }
        if (!outside.empty()) {
            note.more.push_back(msg("outside the province's prefixes: {}", addr_list(outside)));
        }
    }
    return make(k_c05, CheckStatus::pass, note, f.mib);
}

Check managed(const Def& def, const Facts& f, bool network) {
    Check c = make(def, CheckStatus::unknown, Message{});
    if (!network && def.id == "C06") {
        c.severity = Severity::medium;
    }
    if (f.d.ipv6_management) {
        const auto& m = *f.d.ipv6_management;
        c.status = m.ok ? CheckStatus::pass : CheckStatus::fail;
        c.ratio = m.ok ? 1 : 0;
        c.finding = m.ok ? msg("answered SNMP at udp6:[{}]", m.address)
                         : msg("no SNMP answer at udp6:[{}]: {}", m.address, m.detail);
        c.evidence.push_back(msg("GET 1.3.6.1.2.1.1.2.0 over udp6 to {}", m.address));
        return c;
    }
    if (classify_ipv6(f.d.target_address)) {
        c.status = CheckStatus::pass;
        c.ratio = 1;
        c.finding = msg("polled over IPv6 at {}", f.d.target_address);
        c.evidence.push_back(msg("transportDomainUdpIpv6 {}", "1.3.6.1.2.1.100.1.2"));
        return c;
    }
    const bool v6_listener = std::ranges::any_of(f.d.listeners, [](const Listener& l) {
        return l.protocol == "udp" && l.port == 161 && l.family != Family::ipv4;
    });
    if (v6_listener) {
        c.status = CheckStatus::partial;
        c.ratio = 0.5;
        c.finding = msg("the agent listens on udp6 port 161 but was not polled over IPv6");
        c.evidence.push_back(msg("{}: port 161 on :: or an IPv6 address", k_udp_endpoint));
        return c;
    }
    c.finding =
        f.usable.empty()
            ? msg("no usable IPv6 address to poll")
            : msg("not polled over IPv6: its addresses are outside [ipv6] management_prefixes");
    return c;
}

Check c07(const Facts& f) {
    auto in = delta(f, k_v6_in_receives);
    auto out = delta(f, k_v6_out_transmits);
    std::vector<Message> ev = in.evidence;
    ev.insert(ev.end(), out.evidence.begin(), out.evidence.end());
    std::string mib = "IP-MIB";
    std::optional<std::uint64_t> total;
    if (in.value || out.value) {
        total = in.value.value_or(0) + out.value.value_or(0);
    } else {
        auto legacy = delta(f, k_legacy_if_in, true);
        if (legacy.value) {
            total = legacy.value;
            ev = legacy.evidence;
            mib = "IPV6-MIB";
        } else if (!f.counter(k_v6_in_receives, f.d) && !f.counter(k_v6_out_transmits, f.d)) {
            return make(k_c07, CheckStatus::unknown, legacy.why.empty() ? in.why : legacy.why, "",
                        {msg("{} / {}", k_v6_in_receives, k_v6_out_transmits)});
        } else {
            return make(k_c07, CheckStatus::unknown, in.why, mib, ev);
        }
    }
    const bool ok = *total > k_traffic_threshold;
    return make(
        k_c07, ok ? CheckStatus::pass : CheckStatus::fail,
        msg("{} IPv6 packets between the two scans (threshold {})", *total, k_traffic_threshold),
        mib, ev);
}

Check c08(const Facts& f) {
    if (f.ipmib_v6) {
        return make(k_c08, CheckStatus::pass, msg("IP-MIB (RFC 4293) has the IPv6 rows"), "IP-MIB");
    }
    if (f.mib == "IPV6-MIB" || f.mib == "CISCO-IETF-IP-MIB") {
        auto c = make(k_c08, CheckStatus::partial,
                      msg("IPv6 only through {}: monitoring is limited", f.mib), f.mib);
        c.ratio = 0.5;
        return c;
    }
    return make(
        k_c08, CheckStatus::fail, msg("no MIB shows IPv6"), "",
        {msg("no rows under {}, 1.3.6.1.2.1.55.1.8.1 or 1.3.6.1.4.1.9.10.86.1.1.2.1", k_addr_if)});
}

// Has a default route or a learned default router (H02, S03, R04, F02).
Check default_route(const Def& def, const Facts& f, bool routers_too) {
    std::vector<Message> ev;
    for (const auto& r : f.d.default_routes) {
        if (r.family == Family::ipv6) {
            ev.push_back(r.next_hop ? msg("{} ::/0 via {}", k_cidr_route, *r.next_hop)
                                    : msg("{} ::/0 via an interface", k_cidr_route));
        }
    }
    if (routers_too) {
        for (const auto& r : f.d.ipv6_routers) {
            if (r.lifetime_s > 0) {
                ev.push_back(msg("{} {} on #{} lifetime {} s", k_default_router, r.address,
                                 r.if_index, r.lifetime_s));
            }
        }
    }
    if (!ev.empty()) {
        return make(def, CheckStatus::pass, msg("IPv6 default present"), "IP-MIB", ev);
    }
    const bool answered =
        f.ipmib_v6 || f.d.answered("inetCidrRouteTable") || f.d.answered("ipDefaultRouterTable");
    if (f.cut("routes") || f.cut("ipv6")) {
        return make(def, CheckStatus::unknown,
                    msg("the route walks were cut short (timeout or time budget)"), "",
                    {msg("{} / {} incomplete", k_cidr_route, k_default_router)});
    }
    if (!answered) {
        return make(def, CheckStatus::unknown, msg("the agent has no IPv6 route or router table"),
                    "", {msg("{} and {} absent", k_cidr_route, k_default_router)});
    }
    return make(def, CheckStatus::fail, msg("no ::/0 route and no default router learned"),
                "IP-MIB",
                {msg("no ::/0 row under {}; no row with lifetime > 0 under {}", k_cidr_route,
                     k_default_router)});
}

Check forwarding(const Def& def, const Facts& f, bool want_on) {
    if (!f.d.ipv6_forwarding) {
        return make(def, CheckStatus::unknown, msg("ipv6IpForwarding not answered"), "",
                    {msg("{} absent", k_v6_forwarding)});
    }
    const bool on = *f.d.ipv6_forwarding;
    return make(def, on == want_on ? CheckStatus::pass : CheckStatus::fail,
                on ? msg("IPv6 forwarding is on") : msg("IPv6 forwarding is off"), "IP-MIB",
                {msg("{} = {}", k_v6_forwarding, on ? 1 : 2)});
}

Check parity(const Def& def, const Facts& f) {
    if (!f.address_mib) {
        return make(def, CheckStatus::unknown, f.no_addresses());
    }
    const auto ifs = f.v4_interfaces();
    if (ifs.empty()) {
        return make(def, CheckStatus::not_applicable, msg("no active interface with IPv4"));
    }
    std::vector<std::uint32_t> missing;
    for (auto idx : ifs) {
        if (!f.has_usable(idx)) {
            missing.push_back(idx);
        }
    }
    const double ratio =
        static_cast<double>(ifs.size() - missing.size()) / static_cast<double>(ifs.size());
    const CheckStatus st = ratio >= 0.9  ? CheckStatus::pass
                           : ratio < 0.5 ? CheckStatus::fail
                                         : CheckStatus::partial;
    Message finding =
        msg("{} of {} IPv4 interfaces also have IPv6", ifs.size() - missing.size(), ifs.size());
    if (!missing.empty()) {
        finding.more.push_back(msg("missing on {}", if_list(f, missing)));
    }
    Check c = make(def, st, finding, f.mib,
                   {msg("{} rows per ifIndex, ifOperStatus 1.3.6.1.2.1.2.2.1.8 = up", k_addr_if)});
    c.ratio = ratio;
    return c;
}

// The interfaces that face users: up, with a usable /64, not the WAN side.
std::vector<std::uint32_t> lan_interfaces(const Facts& f, bool need_v6) {
    std::vector<std::uint32_t> out;
    for (const auto& i : f.d.interfaces) {
        if (i.oper_status != IfStatus::up || i.type == 24u || (f.wan_if && *f.wan_if == i.index)) {
            continue;
        }
        const bool v6_64 = std::ranges::any_of(f.usable, [&](const Address* a) {
            return a->if_index == i.index && a->prefix_length == 64;
        });
        if (need_v6 ? v6_64 : (v6_64 || f.has_v4(i.index))) {
            out.push_back(i.index);
        }
    }
    return out;
}

Check ra(const Def& def, const Facts& f, const std::vector<std::uint32_t>& lans) {
    if (lans.empty()) {
        return make(def, CheckStatus::not_applicable, msg("no user-facing interface with a /64"));
    }
    const bool known = std::ranges::any_of(
        f.d.interfaces, [](const Interface& i) { return i.ra_send.has_value(); });
    if (!known) {
        return make(def, CheckStatus::unknown, msg("ipv6RouterAdvertTable not answered"), "",
                    {msg("{} absent", k_ra_send)});
    }
    std::vector<std::uint32_t> off;
    std::vector<Message> ev;
    for (auto idx : lans) {
        const Interface* i = f.itf(idx);
        const bool sends =
            i && i->ra_send == true && (def.id == "P03" || i->ra_lifetime_s.value_or(0) > 0);
        ev.push_back(msg("{}.{} = {}; {}.{} = {}", k_ra_send, idx,
                         i && i->ra_send ? (*i->ra_send ? "1" : "2") : "-", k_ra_lifetime, idx,
                         i && i->ra_lifetime_s ? std::to_string(*i->ra_lifetime_s) : "-"));
        if (!sends) {
            off.push_back(idx);
        }
    }
    if (off.empty()) {
        return make(def, CheckStatus::pass, msg("advertising on {}", if_list(f, lans)), "IP-MIB",
                    ev);
    }
    return make(def, CheckStatus::fail, msg("no router advertisements on {}", if_list(f, off)),
                "IP-MIB", ev);
}

Check neighbours(const Def& def, const Facts& f, const std::vector<std::uint32_t>* only) {
    std::size_t n = 0;
    for (const auto& c : f.d.neighbor_cache) {
        if (c.family == Family::ipv6 && c.type.value_or("dynamic") == "dynamic" &&
            (!only || (c.if_index && std::ranges::find(*only, *c.if_index) != only->end()))) {
            ++n;
        }
    }
    if (n > 0) {
        return make(def, CheckStatus::pass, msg("{} IPv6 neighbours learned", n), "IP-MIB",
                    {msg("{} rows of type ipv6, dynamic(3)", k_net_to_phys)});
    }
    if (f.cut("cache") || (!f.d.answered("ipNetToPhysicalTable") && !f.ipmib_v6)) {
        return make(def, CheckStatus::unknown, msg("ipNetToPhysicalTable not answered"), "",
                    {msg("{} absent", k_net_to_phys)});
    }
    return make(def, CheckStatus::fail, msg("no IPv6 neighbour learned"), "IP-MIB",
                {msg("no ipv6 dynamic(3) row under {}", k_net_to_phys)});
}

// `what` is a message id with one {} for the count: "{} IPv6 datagrams forwarded ...".
Check counter_positive(const Def& def, const Facts& f, std::string_view oid, bool prefix,
                       const char* what) {
    auto dl = delta(f, oid, prefix);
    if (!dl.value) {
        return make(def, CheckStatus::unknown, dl.why, "", dl.evidence);
    }
    return make(def, *dl.value > 0 ? CheckStatus::pass : CheckStatus::fail, msg(what, *dl.value),
                "IP-MIB", dl.evidence);
}

// `why` is a message id: what to look at by hand.
Check manual(const Def& def, const char* why) {
    return make(def, CheckStatus::unknown, msg(why));
}

// Host checks.
Check h01(const Facts& f) {
    if (f.usable.empty()) {
        return f.address_mib ? make(k_h01, CheckStatus::fail, msg("no usable IPv6 address"), f.mib)
                             : make(k_h01, CheckStatus::unknown, f.no_addresses());
    }
    std::vector<const Address*> stable;
    bool origin_known = false;
    for (const Address* a : f.usable) {
        if (a->origin) {
            origin_known = true;
            if (*a->origin == "manual" || *a->origin == "dhcp") {
                stable.push_back(a);
            }
        }
    }
    if (!stable.empty()) {
        return make(k_h01, CheckStatus::pass, msg("{}", addr_list(stable)), f.mib,
                    {msg("{} = manual(2) or dhcp(4)", k_addr_origin)});
    }
    if (!origin_known) {
        return make(k_h01, CheckStatus::unknown,
                    msg("the agent does not say how addresses were set"), f.mib,
                    {msg("{} absent", k_addr_origin)});
    }
    return make(k_h01, CheckStatus::fail,
                msg("only SLAAC or privacy addresses: {}", addr_list(f.usable)), f.mib,
                {msg("{} = linklayer(5)/random(6)", k_addr_origin)});
}

Check h03(const Facts& f) {
    std::set<std::uint32_t> v4_ports;
    std::set<std::uint32_t> v6_ports;
    for (const auto& l : f.d.listeners) {
        if (l.protocol != "tcp") {
            continue;
        }
        if (!l.family) {
            v4_ports.insert(l.port);
            v6_ports.insert(l.port);
        } else if (*l.family == Family::ipv4) {
            if (!l.address.starts_with("127.")) {
                v4_ports.insert(l.port);
            }
        } else if (l.address != "::1") {
            v6_ports.insert(l.port);
        }
    }
    if (!f.d.answered("tcpListenerTable")) {
        return make(k_h03, CheckStatus::unknown, msg("tcpListenerTable not answered"), "",
                    {msg("{} absent", k_tcp_listener)});
    }
    std::vector<std::uint32_t> v4_only;
    for (auto p : v4_ports) {
        if (!v6_ports.contains(p)) {
            v4_only.push_back(p);
        }
    }
    if (v4_ports.empty()) {
        return make(k_h03, CheckStatus::not_applicable, msg("no TCP service listening"));
    }
    std::string ports;
    for (auto p : v4_only) {
        ports += fmt::format("{}{}", ports.empty() ? "" : ", ", p);
    }
    const double ratio = static_cast<double>(v4_ports.size() - v4_only.size()) /
                         static_cast<double>(v4_ports.size());
    Check c = make(k_h03,
                   v4_only.empty() ? CheckStatus::pass
                   : ratio > 0     ? CheckStatus::partial
                                   : CheckStatus::fail,
                   v4_only.empty() ? msg("all {} TCP services listen on IPv6", v4_ports.size())
                                   : msg("IPv4 only: TCP port {}", ports),
                   "TCP-MIB", {msg("{} local address type 0/2 per port", k_tcp_listener)});
    c.ratio = ratio;
    return c;
}

Check r02(const Facts& f) {
    std::vector<std::uint32_t> ifs;
    for (const Address* a : f.usable) {
        if (a->if_index && std::ranges::find(ifs, *a->if_index) == ifs.end()) {
            ifs.push_back(*a->if_index);
        }
    }
    if (ifs.empty()) {
        return make(k_r02, CheckStatus::not_applicable,
                    msg("no interface with a usable IPv6 address"));
    }
    const bool known = std::ranges::any_of(
        f.d.interfaces, [](const Interface& i) { return i.ipv6_forwarding.has_value(); });
    if (!known) {
        return make(k_r02, CheckStatus::unknown, msg("ipv6InterfaceForwarding not answered"), "",
                    {msg("{} absent", k_if_forwarding)});
    }
    std::vector<std::uint32_t> off;
    for (auto idx : ifs) {
        const Interface* i = f.itf(idx);
        if (!i || i->ipv6_forwarding != true) {
            off.push_back(idx);
        }
    }
    if (off.empty()) {
        return make(k_r02, CheckStatus::pass,
                    msg("forwarding on all {} IPv6 interfaces", ifs.size()), "IP-MIB",
                    {msg("{}.<ifIndex> = 1", k_if_forwarding)});
    }
    return make(k_r02, CheckStatus::fail, msg("not forwarding on {}", if_list(f, off)), "IP-MIB",
                {msg("{}.<ifIndex> = 2 or absent", k_if_forwarding)});
}

Check r06(const Facts& f) {
    std::vector<const Address*> bad;
    bool known = false;
    for (const Address* a : f.usable) {
        if (!a->prefix_length) {
            continue;
        }
        known = true;
        const Interface* i = a->if_index ? f.itf(*a->if_index) : nullptr;
        const bool loopback = i && i->type == 24u;
        const auto p = *a->prefix_length;
        const bool ok = loopback ? p == 128 : (p == 64 || p == 127 || p == 128);
        if (!ok) {
            bad.push_back(a);
        }
    }
    if (f.usable.empty()) {
        return make(k_r06, CheckStatus::not_applicable, msg("no usable IPv6 address"));
    }
    if (!known) {
        return make(k_r06, CheckStatus::unknown, msg("prefix lengths not given"), f.mib,
                    {msg("{} = 0.0", k_addr_prefix)});
    }
    if (bad.empty()) {
        return make(k_r06, CheckStatus::pass, msg("/64, /127 and /128 only"), f.mib,
                    {msg("{} prefix lengths", k_addr_prefix)});
    }
    return make(k_r06, CheckStatus::fail, msg("unusual prefix lengths: {}", addr_list(bad)), f.mib,
                {msg("{} prefix lengths", k_addr_prefix)});
}

Check r09(const Facts& f) {
    const bool nd = f.counter(k_icmp6_ns, f.d) || f.counter(k_icmp6_na, f.d);
    auto dl = delta(f, k_icmp6_in);
    std::vector<Message> ev = dl.evidence;
    if (nd) {
        ev.push_back(msg("{} / {} present", k_icmp6_ns, k_icmp6_na));
    }
    if (!f.counter(k_icmp6_in, f.d) && !nd) {
        return make(k_r09, CheckStatus::unknown, msg("ICMP statistics not answered"), "",
                    {msg("{} absent", k_icmp6_in)});
    }
    if (!dl.value) {
        return make(k_r09, CheckStatus::unknown, dl.why, "IP-MIB", ev);
    }
    const bool ok = *dl.value > 0 && nd;
    return make(k_r09, ok ? CheckStatus::pass : CheckStatus::fail,
                nd ? msg("{} ICMPv6 messages in between the scans", *dl.value)
                   : msg("{} ICMPv6 messages in between the scans; no neighbour "
                         "solicitation/advertisement counters",
                         *dl.value),
                "IP-MIB", ev);
}

Check f03(const Facts& f) {
    if (auto why = no_delta(f)) {
        bool found = false;
        f.sum_prefix(k_if_in_octets, f.d, found);
        return make(k_f03, CheckStatus::unknown,
                    found ? *why : msg("{} not answered", k_if_in_octets));
    }
    std::uint32_t moving = 0;
    std::uint32_t measured = 0;
    std::vector<Message> ev;
    for (const auto& c : f.d.counters) {
        if (!c.oid.starts_with(k_if_in_octets)) {
            continue;
        }
        auto dl = delta(f, c.oid);
        if (dl.value) {
            ++measured;
            moving += *dl.value > 0 ? 1 : 0;
            ev.insert(ev.end(), dl.evidence.begin(), dl.evidence.end());
        }
    }
    if (measured == 0) {
        return make(k_f03, CheckStatus::unknown,
                    msg("per-interface IPv6 counters not answered twice"));
    }
    return make(k_f03, moving >= 2 ? CheckStatus::pass : CheckStatus::fail,
                msg("IPv6 octets received on {} of {} interfaces", moving, measured), "IP-MIB", ev);
}

// CPE: the WAN interface is where the IPv4 default route points (by ifIndex, else by the next
// hop's subnet).
std::optional<std::uint32_t> find_wan(const Device& d) {
    for (const auto& r : d.default_routes) {
        if (r.family == Family::ipv4 && r.if_index) {
            return r.if_index;
        }
    }
    for (const auto& r : d.default_routes) {
        if (r.family != Family::ipv4 || !r.next_hop) {
            continue;
        }
        in_addr nh{};
        if (inet_pton(AF_INET, r.next_hop->c_str(), &nh) != 1) {
            continue;
        }
        for (const auto& a : d.addresses) {
            in_addr ad{};
            if (a.family != Family::ipv4 || !a.prefix_length || !a.if_index ||
                *a.prefix_length == 0 || inet_pton(AF_INET, a.address.c_str(), &ad) != 1) {
                continue;
            }
            const std::uint32_t mask = ~0u << (32 - *a.prefix_length);
            if ((ntohl(ad.s_addr) & mask) == (ntohl(nh.s_addr) & mask)) {
                return a.if_index;
            }
        }
    }
    return std::nullopt;
}

Check p01(const Facts& f) {
    if (!f.wan_if) {
        return make(k_p01, CheckStatus::unknown,
                    msg("WAN interface not identified (no IPv4 default route)"));
    }
    if (f.has_usable(*f.wan_if)) {
        std::vector<const Address*> on;
        for (const Address* a : f.usable) {
            if (a->if_index == f.wan_if) {
                on.push_back(a);
            }
        }
        return make(k_p01, CheckStatus::pass,
                    msg("{} on {}", addr_list(on), if_list(f, {*f.wan_if})), f.mib,
                    {msg("{} = {}", k_addr_if, *f.wan_if)});
    }
    if (!f.address_mib) {
        return make(k_p01, CheckStatus::unknown, f.no_addresses());
    }
    return make(k_p01, CheckStatus::fail,
                msg("no usable IPv6 address on WAN {}", if_list(f, {*f.wan_if})), f.mib,
                {msg("no global/ULA row with {} = {}", k_addr_if, *f.wan_if)});
}

Check p02(const Facts& f) {
    if (!f.address_mib) {
        return make(k_p02, CheckStatus::unknown, f.no_addresses());
    }
    const auto lans = lan_interfaces(f, false);
    if (lans.empty()) {
        return make(k_p02, CheckStatus::unknown, msg("no LAN interface identified"));
    }
    std::vector<std::uint32_t> missing;
    for (auto idx : lans) {
        const bool ok = std::ranges::any_of(f.usable, [&](const Address* a) {
            return a->if_index == idx && a->prefix_length == 64;
        });
        if (!ok) {
            missing.push_back(idx);
        }
    }
    if (missing.empty()) {
        return make(k_p02, CheckStatus::pass, msg("a /64 on {}", if_list(f, lans)), f.mib,
                    {msg("{} prefix length 64", k_addr_prefix)});
    }
    return make(k_p02, CheckStatus::fail, msg("no IPv6 /64 on LAN {}", if_list(f, missing)), f.mib,
                {msg("no global/ULA /64 row under {}", k_addr_if)});
}

Check p04(const Facts& f) {
    Check c = default_route(k_p04, f, true);
    if (c.status == CheckStatus::pass && f.wan_if) {
        // A default learned on a LAN port is not an upstream default.
        const bool on_wan =
            std::ranges::any_of(f.d.default_routes,
                                [](const Route& r) { return r.family == Family::ipv6; }) ||
            std::ranges::any_of(f.d.ipv6_routers, [&](const Ipv6Router& r) {
                return r.lifetime_s > 0 && r.if_index == *f.wan_if;
            });
        if (!on_wan) {
            c.status = CheckStatus::fail;
            c.ratio = 0;
            c.finding = msg("a default router was learned, but not on the WAN interface");
        }
    }
    return c;
}

Check p07(const Facts& f) {
    if (!f.wan_if) {
        return make(k_p07, CheckStatus::unknown, msg("WAN interface not identified"));
    }
    Check c = counter_positive(k_p07, f, fmt::format("{}{}", k_if_out_octets, *f.wan_if), false,
                               N_("{} IPv6 octets sent on the WAN between the two scans"));
    if (c.status == CheckStatus::unknown) {
        Check legacy =
            counter_positive(k_p07, f, fmt::format("{}{}", k_legacy_if_out, *f.wan_if), false,
                             N_("{} IPv6 packets sent on the WAN between the two scans"));
        if (legacy.status != CheckStatus::unknown) {
            legacy.mib = "IPV6-MIB";
            return legacy;
        }
    }
    return c;
}

Check p08(const Facts& f) {
    if (f.policy.approved_cpe.empty()) {
        return make(k_p08, CheckStatus::unknown,
                    msg("no approved CPE list configured ([ipv6] approved_cpe)"));
    }
    for (const auto& a : f.policy.approved_cpe) {
        if ((f.d.model && *f.d.model == a) ||
            (f.d.sys_object_id &&
             (*f.d.sys_object_id == a || f.d.sys_object_id->starts_with(a + ".")))) {
            return make(
                k_p08, CheckStatus::pass, msg("approved: {}", a), "",
                {msg("sysObjectID 1.3.6.1.2.1.1.2.0 = {}", f.d.sys_object_id.value_or(""))});
        }
    }
    if (!f.d.model && !f.d.sys_object_id) {
        return make(k_p08, CheckStatus::unknown, msg("model and sysObjectID unknown"));
    }
    return make(k_p08, CheckStatus::fail,
                f.d.model ? msg("{} ({}) is not on the approved list", *f.d.model,
                                f.d.sys_object_id.value_or("?"))
                          : msg("model unknown ({}) is not on the approved list",
                                f.d.sys_object_id.value_or("?")),
                "", {msg("sysObjectID 1.3.6.1.2.1.1.2.0 = {}", f.d.sys_object_id.value_or(""))});
}

bool passes(const DeviceReadiness& r, std::string_view id) {
    const Check* c = r.find(id);
    return c && (c->status == CheckStatus::pass || c->status == CheckStatus::not_applicable);
}

std::optional<int> level_of(const DeviceReadiness& r) {
    const Check* c01 = r.find("C01");
    if (!c01 || c01->status == CheckStatus::unknown) {
        return std::nullopt;
    }
    if (c01->status == CheckStatus::fail) {
        return 0;
    }
    const auto all = [&](std::initializer_list<std::string_view> ids) {
        return std::ranges::all_of(ids, [&](std::string_view id) { return passes(r, id); });
    };
    if (!all({"C02"})) {
        return 0;
    }
    if (!all({"C03", "C04", "C05"})) {
        return 1;
    }
    bool gate = false;
    switch (r.role_class) {
    case RoleClass::host:
    case RoleClass::other:
        gate = all({"H02"}) || (r.role_class == RoleClass::other && all({"S03"}));
        break;
    case RoleClass::router:
        gate = all({"R01", "R04"});
        break;
    case RoleClass::l2_switch:
        gate = all({"S03"});
        break;
    case RoleClass::firewall:
        gate = all({"F02"});
        break;
    case RoleClass::cpe:
        gate = all({"P04", "P05"});
        break;
    }
    if (!gate) {
        return 2;
    }
    if (!all({"C07", "C06"})) {
        return 3;
    }
    if (r.role_class == RoleClass::host && !all({"H03"})) {
        return 4;
    }
    return 5;
}

} // namespace

DeviceReadiness assess(const Device& d, const Ipv6Policy& policy,
                       std::optional<EarlierSample> earlier) {
    Facts f{d, policy, earlier, {}, {}, false, false, d.ipv6_address_mib.value_or(""), {}};
    for (const auto& a : d.addresses) {
        if (a.family != Family::ipv6) {
            continue;
        }
        f.v6.push_back(&a);
        const auto s = classify_ipv6(a.address);
        if (s && usable_scope(*s, policy) && a.status.value_or("preferred") == "preferred" &&
            a.anycast != true) {
            f.usable.push_back(&a);
        }
    }
    f.ipmib_v6 = d.ipv6_address_mib == "IP-MIB" || d.ipv6_hop_limit.has_value() ||
                 std::ranges::any_of(d.interfaces,
                                     [](const Interface& i) { return i.ipv6_enabled.has_value(); });
    f.address_mib = !f.v6.empty() || d.answered("ipAddressTable") || d.answered("ipv6AddrTable") ||
                    d.answered("cIpAddressTable");
    if (f.v6.empty() && f.cut("ip_address")) {
        f.address_mib = false; // an answer cut short says nothing about what is missing
    }
    if (f.mib.empty() && d.answered("ipAddressTable")) {
        f.mib = "IP-MIB";
    }
    f.wan_if = find_wan(d);

    DeviceReadiness r;
    r.device = d.name;
    r.site = d.site;
    r.role_class = role_class(d.role);
    const bool network = r.role_class != RoleClass::host;
    auto& c = r.checks;
    c.push_back(c01(f));
    c.push_back(c02(f));
    c.push_back(c03(f));
    c.push_back(c04(f));
    c.push_back(c05(f));
    c.push_back(managed(k_c06, f, network));
    c.push_back(c07(f));
    c.push_back(c08(f));
    switch (r.role_class) {
    case RoleClass::host:
        c.push_back(h01(f));
        c.push_back(default_route(k_h02, f, true));
        c.push_back(h03(f));
        c.push_back(forwarding(k_h04, f, false));
        c.push_back(neighbours(k_h05, f, nullptr));
        break;
    case RoleClass::router: {
        c.push_back(forwarding(k_r01, f, true));
        c.push_back(r02(f));
        c.push_back(parity(k_r03, f));
        c.push_back(default_route(k_r04, f, false));
        c.push_back(ra(k_r05, f, lan_interfaces(f, true)));
        c.push_back(r06(f));
        c.push_back(neighbours(k_r07, f, nullptr));
        c.push_back(counter_positive(k_r08, f, k_v6_out_forw, false,
                                     N_("{} IPv6 datagrams forwarded between the two scans")));
        c.push_back(r09(f));
        break;
    }
    case RoleClass::l2_switch:
        c.push_back(make(k_s01,
                         f.usable.empty()
                             ? (f.address_mib ? CheckStatus::fail : CheckStatus::unknown)
                             : CheckStatus::pass,
                         f.usable.empty() ? msg("no usable IPv6 management address")
                                          : msg("{}", addr_list(f.usable)),
                         f.mib));
        {
            Check s02 = managed(k_s02, f, true);
            c.push_back(s02);
        }
        c.push_back(default_route(k_s03, f, true));
        c.push_back(forwarding(k_s04, f, false));
        c.push_back(manual(k_s05, N_("not visible in standard MIBs: check RA-Guard and MLD "
                                     "snooping on the switch")));
        break;
    case RoleClass::firewall:
        c.push_back(parity(k_f01, f));
        c.push_back(default_route(k_f02, f, false));
        c.push_back(f03(f));
        c.push_back(
            manual(k_f04, N_("not visible in standard MIBs: compare the IPv4 and IPv6 rule sets")));
        c.push_back(managed(k_f05, f, true));
        break;
    case RoleClass::cpe: {
        c.push_back(p01(f));
        c.push_back(p02(f));
        c.push_back(ra(k_p03, f, lan_interfaces(f, true)));
        c.push_back(p04(f));
        c.push_back(forwarding(k_p05, f, true));
        const auto lans = lan_interfaces(f, false);
        Check p06 = neighbours(k_p06, f, &lans);
        c.push_back(p06);
        c.push_back(p07(f));
        c.push_back(p08(f));
        c.push_back(managed(k_p09, f, true));
        break;
    }
    case RoleClass::other:
        c.push_back(default_route(k_s03, f, true));
        break;
    }
    double wsum = 0;
    double evaluated = 0;
    double applicable = 0;
    for (const auto& ch : c) {
        const double w = static_cast<double>(static_cast<int>(ch.severity));
        if (ch.status == CheckStatus::not_applicable) {
            continue;
        }
        applicable += w;
        if (ch.status == CheckStatus::unknown) {
            continue;
        }
        evaluated += w;
        wsum += w * (ch.status == CheckStatus::pass      ? 1.0
                     : ch.status == CheckStatus::partial ? ch.ratio
                                                         : 0.0);
    }
    r.score = evaluated > 0 ? wsum / evaluated : 0;
    r.coverage = applicable > 0 ? evaluated / applicable : 0;
    r.insufficient = r.coverage < 0.6;
    r.level = level_of(r);
    return r;
}

namespace {

int edge_rank(RoleClass c) {
    switch (c) {
    case RoleClass::cpe:
        return 0;
    case RoleClass::router:
        return 1;
    case RoleClass::firewall:
        return 2;
    default:
        return 9;
    }
}

void add_device(SiteReadiness& s, const DeviceReadiness& r) {
    ++s.devices;
    if (r.level) {
        ++s.by_level[static_cast<std::size_t>(*r.level)];
    } else {
        ++s.unrated;
    }
    s.mean_score += r.score; // divided in finish()
}

void finish(SiteReadiness& s) {
    if (s.devices == 0) {
        return;
    }
    std::uint32_t l2 = 0;
    for (std::size_t i = 2; i < s.by_level.size(); ++i) {
        l2 += s.by_level[i];
    }
    s.share_l2 = static_cast<double>(l2) / s.devices;
    s.mean_score /= s.devices;
}

} // namespace

Ipv6Summary summarize_ipv6(const Config& config, const std::vector<Device>& devices,
                           const std::vector<Device>& earlier, std::int64_t seconds_between,
                           const std::string& by) {
    Ipv6Summary out;
    std::map<std::string, const Device*> before;
    for (const auto& d : earlier) {
        before[d.name] = &d;
    }
    for (const auto& d : devices) {
        std::optional<EarlierSample> e;
        if (auto it = before.find(d.name); it != before.end()) {
            e = EarlierSample{it->second, seconds_between};
        }
        out.devices.push_back(assess(d, config.ipv6, e));
    }
    std::map<std::string, std::vector<const DeviceReadiness*>> at;
    for (const auto& r : out.devices) {
        if (r.site) {
            at[*r.site].push_back(&r);
        }
        add_device(out.province, r);
    }
    std::map<std::string, SiteReadiness> districts;
    std::map<std::string, std::string> dist_name;
    std::map<std::string, std::uint32_t> fails;
    double coverage = 0;
    for (const auto& r : out.devices) {
        coverage += r.coverage;
        for (const auto& c : r.checks) {
            if (c.status == CheckStatus::fail) {
                fails[std::string(c.id)] += 1;
            }
        }
    }
    for (const auto& site : config.sites) {
        const bool has_targets = std::ranges::any_of(
            config.targets, [&](const Target& t) { return t.site == site.code; });
        if (!has_targets) {
            continue;
        }
        SiteReadiness s;
        s.code = site.code;
        s.name = site.name;
        if (const Site* dist = rollup_site(config, &site, by)) {
            s.district = dist->code;
            dist_name[dist->code] = dist->name;
        }
        const DeviceReadiness* edge = nullptr;
        std::uint32_t ra_fails = 0;
        for (const DeviceReadiness* r : at[site.code]) {
            add_device(s, *r);
            if (edge_rank(r->role_class) < 9 &&
                (!edge || edge_rank(r->role_class) < edge_rank(edge->role_class))) {
                edge = r;
            }
            for (std::string_view id : {"R05", "P03"}) {
                if (const Check* c = r->find(id); c && c->status == CheckStatus::fail) {
                    ++ra_fails;
                }
            }
        }
        finish(s);
        if (edge) {
            s.edge = edge->device;
            for (std::string_view id : {"R04", "F02", "P04"}) {
                if (const Check* c = edge->find(id); c && c->status != CheckStatus::unknown) {
                    s.edge_default_route = c->status == CheckStatus::pass;
                }
            }
        }
        if (s.devices == 0) {
            s.status = SiteStatus::no_data;
        } else {
            // The edge decides; a site without a router or CPE is judged by its devices.
            const auto edge_level = edge ? edge->level : std::optional<int>{};
            const bool edge_l2 = edge ? edge_level.value_or(0) >= 2 : s.share_l2 > 0;
            const Check* traffic = edge ? edge->find("C07") : nullptr;
            const bool ready = (edge ? edge_level.value_or(0) >= 3 : true) && ra_fails == 0 &&
                               s.share_l2 >= 0.9 && traffic && traffic->status == CheckStatus::pass;
            s.status = ready     ? SiteStatus::ready
                       : edge_l2 ? SiteStatus::partial
                                 : SiteStatus::not_started;
        }
        out.sites_by_status[static_cast<std::size_t>(s.status)] += 1;
        if (s.district) {
            auto& dist = districts[*s.district];
            if (dist.code.empty()) {
                dist.code = *s.district;
                dist.name = dist_name[*s.district];
            }
            for (const DeviceReadiness* r : at[site.code]) {
                add_device(dist, *r);
            }
        }
        out.sites.push_back(std::move(s));
    }
    for (const auto* sites : {&config.sites, &config.former_sites}) {
        for (const auto& site : *sites) {
            if (auto it = districts.find(site.code); it != districts.end()) {
                finish(it->second);
                out.districts.push_back(std::move(it->second));
                districts.erase(it);
            }
        }
    }
    finish(out.province);
    out.province.code = "province";
    out.mean_coverage =
        out.devices.empty() ? 0 : coverage / static_cast<double>(out.devices.size());
    // Blocking checks, weighted by severity.
    std::map<std::string, int> weight_of;
    for (const auto& r : out.devices) {
        for (const auto& c : r.checks) {
            weight_of[std::string(c.id)] = static_cast<int>(c.severity);
        }
    }
    for (const auto& [id, n] : fails) {
        out.blocking.push_back(BlockingCheck{id, n, n * static_cast<std::uint32_t>(weight_of[id])});
    }
    std::ranges::stable_sort(out.blocking, [](const BlockingCheck& a, const BlockingCheck& b) {
        return a.weight > b.weight;
    });
    // Programme outputs (IPv6 For Gov phase 2).
    std::uint32_t wan = 0;
    std::uint32_t wan_ok = 0;
    std::uint32_t dc = 0;
    std::uint32_t dc_ok = 0;
    for (const auto& r : out.devices) {
        const Site* site = r.site ? config.find_site(*r.site) : nullptr;
        if (r.role_class == RoleClass::cpe ||
            (r.role_class == RoleClass::router && site && site->kind == "district")) {
            ++wan;
            wan_ok += r.level.value_or(0) >= 3 ? 1 : 0;
        }
        if (r.role_class == RoleClass::host && site && site->kind == "datacenter") {
            ++dc;
            dc_ok += r.level.value_or(0) >= 4 ? 1 : 0;
        }
    }
    out.wan_conversion = wan ? static_cast<double>(wan_ok) / wan : 0;
    out.dc_conversion = dc ? static_cast<double>(dc_ok) / dc : 0;
    return out;
}

} // namespace netinv::model
