// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "model/ipv6.hpp"
#include "report/gaps.hpp"
#include "report/ipv6.hpp"

using namespace netinv;
using namespace netinv::model;

namespace {

Interface itf(std::uint32_t index, std::string name, std::uint32_t type, bool forwards) {
    Interface i;
    i.index = index;
    i.name = std::move(name);
    i.type = type;
    i.oper_status = IfStatus::up;
    i.admin_status = IfStatus::up;
    i.ipv6_enabled = true;
    i.ipv6_forwarding = forwards;
    return i;
}

Address addr(std::string a, std::uint8_t prefix, std::uint32_t if_index, std::string origin) {
    Address x;
    x.family = a.find(':') == std::string::npos ? Family::ipv4 : Family::ipv6;
    x.address = std::move(a);
    x.prefix_length = prefix;
    x.if_index = if_index;
    x.origin = std::move(origin);
    x.status = "preferred";
    x.anycast = false;
    return x;
}

// A device of `role` that passes every check: dual-stack WAN (1) and LAN (2), a loopback (3),
// defaults, router advertisements on the LAN, neighbours, listeners, counters, IPv6 management.
Device good(const std::string& role) {
    const bool forwards = role == "router" || role == "cpe" || role == "firewall";
    Device d;
    d.name = role + "-1";
    d.role = role;
    d.site = "s1";
    d.target_address = "10.0.0.1";
    d.model = "ER605";
    d.sys_object_id = "1.3.6.1.4.1.11863.5.1";
    d.sys_uptime_cs = 1'000'000;
    d.interfaces = {itf(1, "wan", 6, forwards), itf(2, "lan", 6, forwards),
                    itf(3, "lo", 24, forwards)};
    d.interfaces[1].ra_send = forwards;
    d.interfaces[1].ra_lifetime_s = forwards ? 1800 : 0;
    d.addresses = {addr("10.0.0.1", 30, 1, "manual"),
                   addr("192.168.1.1", 24, 2, "manual"),
                   addr("2405:4800:30:1::1", 64, 1, "manual"),
                   addr("fe80::1", 64, 1, "linklayer"),
                   addr("2405:4800:30:2::1", 64, 2, "manual"),
                   addr("fe80::2", 64, 2, "linklayer"),
                   addr("2405:4800:30:ffff::1", 128, 3, "manual")};
    d.ipv6_address_mib = "IP-MIB";
    d.ipv6_hop_limit = 64;
    d.tables = {"ipAddressTable", "ipNetToPhysicalTable", "tcpListenerTable", "udpEndpointTable"};
    d.ipv4_forwarding = forwards;
    d.ipv6_forwarding = forwards;
    d.default_routes = {Route{Family::ipv4, "10.0.0.2", 1}};
    if (forwards) {
        d.default_routes.push_back(Route{Family::ipv6, "fe80::ff", 1});
    } else {
        d.ipv6_routers = {Ipv6Router{"fe80::ff", 1, 1800}};
    }
    d.neighbor_cache = {
        CacheEntry{Family::ipv6, "2405:4800:30:2::10", "02:00:00:00:00:10", 2, "dynamic"}};
    d.listeners = {Listener{"tcp", std::nullopt, "", 22}, Listener{"tcp", std::nullopt, "", 443},
                   Listener{"udp", std::nullopt, "", 161}};
    d.counters = {
        Counter{"1.3.6.1.2.1.4.31.1.1.4.2", 5000},   Counter{"1.3.6.1.2.1.4.31.1.1.31.2", 5000},
        Counter{"1.3.6.1.2.1.4.31.1.1.24.2", 5000},  Counter{"1.3.6.1.2.1.4.31.3.1.6.2.1", 9000},
        Counter{"1.3.6.1.2.1.4.31.3.1.6.2.2", 9000}, Counter{"1.3.6.1.2.1.4.31.3.1.33.2.1", 9000},
        Counter{"1.3.6.1.2.1.5.29.1.2.2", 7000},     Counter{"1.3.6.1.2.1.5.30.1.3.2.135", 1700},
        Counter{"1.3.6.1.2.1.5.30.1.3.2.136", 1700}};
    d.ipv6_management = ManagementProbe{"2405:4800:30:ffff::1", true, ""};
    normalize(d);
    return d;
}

// The same device 100 s earlier, every counter 1000 lower.
Device earlier_of(const Device& d) {
    Device e = d;
    e.sys_uptime_cs = *d.sys_uptime_cs - 10'000;
    for (auto& c : e.counters) {
        c.value -= 1000;
    }
    return e;
}

Ipv6Policy policy() {
    Ipv6Policy p;
    p.approved_cpe = {"ER605"};
    p.plan_prefixes = {"2405:4800:30::/48"};
    return p;
}

struct Assessed {
    DeviceReadiness r;
    CheckStatus operator[](std::string_view id) const {
        const Check* c = r.find(id);
        REQUIRE(c != nullptr);
        return c->status;
    }
    const Check& check(std::string_view id) const { return *r.find(id); }
};

// Assesses `d` with an earlier sample made from `before` (or none).
Assessed run(const Device& d, std::optional<Device> before = std::nullopt,
             Ipv6Policy p = policy()) {
    static std::vector<Device> keep; // EarlierSample points at it
    keep.clear();
    std::optional<EarlierSample> e;
    if (before) {
        keep.push_back(*before);
        e = EarlierSample{&keep.back(), 100};
    }
    return Assessed{assess(d, p, e)};
}

Assessed run_good(const Device& d) {
    return run(d, earlier_of(d));
}

} // namespace

TEST_CASE("IPv6 scopes: every class of the special-purpose registry", "[model][ipv6]") {
    CHECK(classify_ipv6("::") == Scope::unspecified);
    CHECK(classify_ipv6("::1") == Scope::loopback);
    CHECK(classify_ipv6("::ffff:192.0.2.1") == Scope::ipv4_mapped);
    CHECK(classify_ipv6("fe80::1%3") == Scope::link_local);
    CHECK(classify_ipv6("febf::1") == Scope::link_local);
    CHECK(classify_ipv6("fec0::1") == Scope::site_local);
    CHECK(classify_ipv6("fd00:4001::2") == Scope::ula);
    CHECK(classify_ipv6("fc00::1") == Scope::ula);
    CHECK(classify_ipv6("2405:4800:30::1") == Scope::global);
    CHECK(classify_ipv6("2001:db8::1") == Scope::documentation);
    CHECK(classify_ipv6("3fff:0fff::1") == Scope::documentation);
    CHECK(classify_ipv6("3fff:1000::1") == Scope::global);
    CHECK(classify_ipv6("2002:c000:0204::1") == Scope::six_to_four);
    CHECK(classify_ipv6("2001:0:4136:e378::1") == Scope::teredo);
    CHECK(classify_ipv6("2001:4860::1") == Scope::global); // 2001::/32 only, not 2001::/16
    CHECK(classify_ipv6("64:ff9b::192.0.2.1") == Scope::nat64);
    CHECK(classify_ipv6("ff02::1") == Scope::multicast);
    CHECK(classify_ipv6("4000::1") == Scope::reserved);
    CHECK(classify_ipv6("192.0.2.1") == std::nullopt);
    CHECK(classify_ipv6("not an address") == std::nullopt);
    CHECK(usable_scope(Scope::ula, Ipv6Policy{}));
    Ipv6Policy no_ula;
    no_ula.ula_usable = false;
    CHECK_FALSE(usable_scope(Scope::ula, no_ula));
    CHECK_FALSE(usable_scope(Scope::documentation, Ipv6Policy{}));
    CHECK(ipv6_in_prefix("2405:4800:30:1::1", "2405:4800:30::/48"));
    CHECK_FALSE(ipv6_in_prefix("2405:4800:31::1", "2405:4800:30::/48"));
    CHECK(ipv6_in_prefix("fd00:4001:3::2", "fd00:4001::/32"));
    CHECK_FALSE(ipv6_in_prefix("fd00:4001:3::2", "fd00:4001::/999"));
}

TEST_CASE("IPv6 checklist: a fully ready device of each role passes every check", "[model][ipv6]") {
    for (const std::string role : {"server", "router", "l2-switch", "firewall", "cpe"}) {
        CAPTURE(role);
        const auto a = run_good(good(role));
        for (const auto& c : a.r.checks) {
            CAPTURE(c.id, model::english(c.finding));
            if (c.id == "S05" || c.id == "F04") {
                CHECK(c.status == CheckStatus::unknown); // not visible over SNMP: manual
            } else if (role == "l2-switch" && (c.id == "R05")) {
                CHECK(c.status == CheckStatus::not_applicable);
            } else {
                CHECK(c.status == CheckStatus::pass);
            }
        }
        CHECK(a.r.level == 5);
        CHECK(a.r.score == Approx(1.0));
        CHECK_FALSE(a.r.insufficient);
    }
}

TEST_CASE("IPv6 checklist: an agent without the tables gives unknown and never a guessed fail",
          "[model][ipv6]") {
    for (const std::string role : {"server", "router", "l2-switch", "firewall", "cpe", "ups"}) {
        CAPTURE(role);
        Device d;
        d.name = "bare";
        d.role = role;
        d.target_address = "10.0.0.9";
        const auto a = run(d, d);
        for (const auto& c : a.r.checks) {
            CAPTURE(c.id, model::english(c.finding));
            if (c.id == "C08") {
                CHECK(c.status == CheckStatus::fail); // no MIB shows IPv6: that is the finding
            } else {
                CHECK(
                    (c.status == CheckStatus::unknown || c.status == CheckStatus::not_applicable));
            }
        }
        CHECK(a.r.level == std::nullopt);
        CHECK(a.r.insufficient);
    }
}

TEST_CASE("IPv6 checklist: an IPv4-only agent is L0", "[model][ipv6]") {
    Device d = good("server");
    std::erase_if(d.addresses, [](const Address& x) { return x.family == Family::ipv6; });
    d.ipv6_hop_limit.reset();
    d.ipv6_address_mib.reset();
    for (auto& i : d.interfaces) {
        i.ipv6_enabled.reset();
    }
    const auto a = run(d);
    CHECK(a["C01"] == CheckStatus::fail);
    CHECK(a["C03"] == CheckStatus::fail);
    CHECK(a.r.level == 0);
}

TEST_CASE("IPv6 checklist: common checks C02-C08 fail on what they look for", "[model][ipv6]") {
    const Device base = good("server");
    SECTION("C02: an active IPv4 interface without a link-local address") {
        Device d = base;
        std::erase_if(d.addresses, [](const Address& x) { return x.address == "fe80::2"; });
        const auto a = run_good(d);
        CHECK(a["C02"] == CheckStatus::fail);
        CHECK(a.check("C02").finding.text().find("lan") != std::string::npos);
        CHECK(a.r.level == 0);
    }
    SECTION("C02: ipv6InterfaceEnableStatus down") {
        Device d = base;
        d.interfaces[0].ipv6_enabled = false;
        CHECK(run_good(d)["C02"] == CheckStatus::fail);
    }
    SECTION("C03: only deprecated or anycast addresses") {
        Device d = base;
        for (auto& x : d.addresses) {
            if (x.family == Family::ipv6 && !x.address.starts_with("fe80")) {
                x.status =
                    x.if_index == 3u ? "deprecated" : std::optional<std::string>("preferred");
                x.anycast = x.if_index != 3u;
            }
        }
        const auto a = run_good(d);
        CHECK(a["C03"] == CheckStatus::fail);
        CHECK(a.r.level == 1);
    }
    SECTION("C04: a duplicate address, and tentative in two scans running") {
        Device d = base;
        d.addresses[3].status = "duplicate";
        CHECK(run_good(d)["C04"] == CheckStatus::fail);
        Device t = base;
        for (auto& x : t.addresses) {
            if (x.address == "2405:4800:30:1::1") {
                x.status = "tentative";
            }
        }
        CHECK(run(t)["C04"] == CheckStatus::pass); // tentative once is DAD at work
        CHECK(run(t, earlier_of(t))["C04"] == CheckStatus::fail);
    }
    SECTION("C04: no status column is unknown") {
        Device d = base;
        for (auto& x : d.addresses) {
            x.status.reset();
        }
        CHECK(run_good(d)["C04"] == CheckStatus::unknown);
    }
    SECTION("C05: documentation, 6to4, Teredo, site-local, 6to4 tunnels") {
        for (const char* bad : {"2001:db8::5", "2002:c000:204::1", "2001:0:4136::1", "fec0::1"}) {
            Device d = base;
            d.addresses.push_back(addr(bad, 64, 2, "manual"));
            const auto a = run_good(d);
            CAPTURE(bad);
            CHECK(a["C05"] == CheckStatus::fail);
            CHECK(a.check("C05").finding.text().find(bad) != std::string::npos);
        }
        Device t = base;
        t.interfaces.push_back(itf(9, "tun0", 131, false));
        t.interfaces.back().tunnel_encaps = 14;
        CHECK(run_good(t)["C05"] == CheckStatus::fail);
        Device s = base;
        s.interfaces.push_back(itf(9, "6to4", 215, false));
        CHECK(run_good(s)["C05"] == CheckStatus::fail);
    }
    SECTION("C05: a global address outside the province's prefixes is named but passes") {
        Device d = base;
        d.addresses.push_back(addr("2a00:1450::1", 64, 2, "manual"));
        const auto a = run_good(d);
        CHECK(a["C05"] == CheckStatus::pass);
        CHECK(a.check("C05").finding.text().find("outside the province") != std::string::npos);
    }
    SECTION("C06: no answer over IPv6, a v6 listener only, nothing, polled over IPv6") {
        Device d = base;
        d.ipv6_management = ManagementProbe{"2405:4800:30:ffff::1", false, "timeout"};
        CHECK(run_good(d)["C06"] == CheckStatus::fail);
        d.ipv6_management.reset();
        CHECK(run_good(d)["C06"] == CheckStatus::partial);
        d.listeners.clear();
        CHECK(run_good(d)["C06"] == CheckStatus::unknown);
        d.target_address = "fd00:4001:1::2";
        CHECK(run_good(d)["C06"] == CheckStatus::pass);
        CHECK(run_good(d).check("C06").severity == Severity::medium); // a host
        CHECK(run_good(good("router")).check("C06").severity == Severity::high);
    }
    SECTION("C07: too little traffic, one sample, a restart, samples too close") {
        Device d = base;
        Device e = earlier_of(d);
        for (auto& c : e.counters) {
            c.value += 990; // 10 packets in 100 s
        }
        CHECK(run(d, e)["C07"] == CheckStatus::fail);
        CHECK(run(d)["C07"] == CheckStatus::unknown);
        Device rebooted = earlier_of(d);
        rebooted.sys_uptime_cs = *d.sys_uptime_cs + 1;
        CHECK(run(d, rebooted)["C07"] == CheckStatus::unknown);
        CHECK(run(d, rebooted).check("C07").finding.text().find("restarted") != std::string::npos);
        Device close = earlier_of(d);
        close.sys_uptime_cs = *d.sys_uptime_cs - 3000; // 30 s
        CHECK(run(d, close)["C07"] == CheckStatus::unknown);
    }
    SECTION("C07: the IPV6-MIB fallback counters, with a 32-bit wrap") {
        Device d = base;
        d.counters = {Counter{"1.3.6.1.2.1.55.1.6.1.1.1", 500}};
        Device e = earlier_of(d);
        e.counters = {Counter{"1.3.6.1.2.1.55.1.6.1.1.1", 0xFFFFFF00}};
        const auto a = run(d, e);
        CHECK(a["C07"] == CheckStatus::pass); // 256 + 500 packets
        CHECK(a.check("C07").mib == "IPV6-MIB");
    }
    SECTION("C08: IPV6-MIB only is partial") {
        Device d = base;
        d.ipv6_address_mib = "IPV6-MIB";
        d.ipv6_hop_limit.reset();
        for (auto& i : d.interfaces) {
            i.ipv6_enabled.reset();
        }
        CHECK(run_good(d)["C08"] == CheckStatus::partial);
    }
}

TEST_CASE("IPv6 checklist: host checks H01-H05", "[model][ipv6]") {
    const Device base = good("server");
    Device slaac = base;
    for (auto& x : slaac.addresses) {
        if (x.family == Family::ipv6) {
            x.origin = "linklayer";
        }
    }
    CHECK(run_good(slaac)["H01"] == CheckStatus::fail);
    Device no_origin = base;
    for (auto& x : no_origin.addresses) {
        x.origin.reset();
    }
    CHECK(run_good(no_origin)["H01"] == CheckStatus::unknown);

    Device no_default = base;
    no_default.ipv6_routers.clear();
    const auto a = run_good(no_default);
    CHECK(a["H02"] == CheckStatus::fail);
    CHECK(a.r.level == 2);
    Device expired = base;
    expired.ipv6_routers[0].lifetime_s = 0;
    CHECK(run_good(expired)["H02"] == CheckStatus::fail);
    Device cut = no_default;
    cut.partial = {"routes"};
    CHECK(run_good(cut)["H02"] == CheckStatus::unknown);
    Device legacy = no_default;
    legacy.ipv6_address_mib = "IPV6-MIB";
    legacy.ipv6_hop_limit.reset();
    for (auto& i : legacy.interfaces) {
        i.ipv6_enabled.reset();
    }
    CHECK(run_good(legacy)["H02"] == CheckStatus::unknown);

    Device v4_service = base;
    v4_service.listeners[1] = Listener{"tcp", Family::ipv4, "0.0.0.0", 443};
    const auto s = run_good(v4_service);
    CHECK(s["H03"] == CheckStatus::partial);
    CHECK(s.check("H03").ratio == Approx(0.5));
    CHECK(s.check("H03").finding.text().find("443") != std::string::npos);
    CHECK(s.r.level == 4);
    Device v4_only = base;
    for (auto& l : v4_only.listeners) {
        l.family = Family::ipv4;
        l.address = "0.0.0.0";
    }
    CHECK(run_good(v4_only)["H03"] == CheckStatus::fail);
    Device no_tcp = base;
    no_tcp.tables = {"ipAddressTable"};
    no_tcp.listeners.clear();
    CHECK(run_good(no_tcp)["H03"] == CheckStatus::unknown);

    Device forwarding = base;
    forwarding.ipv6_forwarding = true;
    CHECK(run_good(forwarding)["H04"] == CheckStatus::fail);
    Device no_fwd = base;
    no_fwd.ipv6_forwarding.reset();
    CHECK(run_good(no_fwd)["H04"] == CheckStatus::unknown);

    Device lonely = base;
    lonely.neighbor_cache.clear();
    CHECK(run_good(lonely)["H05"] == CheckStatus::fail);
    lonely.partial = {"cache"};
    CHECK(run_good(lonely)["H05"] == CheckStatus::unknown);
}

TEST_CASE("IPv6 checklist: router checks R01-R09", "[model][ipv6]") {
    const Device base = good("router");
    Device off = base;
    off.ipv6_forwarding = false;
    CHECK(run_good(off)["R01"] == CheckStatus::fail);
    CHECK(run_good(off).r.level == 2);
    Device if_off = base;
    if_off.interfaces[1].ipv6_forwarding = false;
    CHECK(run_good(if_off)["R02"] == CheckStatus::fail);
    Device if_unknown = base;
    for (auto& i : if_unknown.interfaces) {
        i.ipv6_forwarding.reset();
    }
    CHECK(run_good(if_unknown)["R02"] == CheckStatus::unknown);

    Device half = base;
    std::erase_if(half.addresses,
                  [](const Address& x) { return x.address == "2405:4800:30:2::1"; });
    const auto h = run_good(half);
    CHECK(h["R03"] == CheckStatus::partial);
    CHECK(h.check("R03").ratio == Approx(0.5));
    Device none = half;
    std::erase_if(none.addresses,
                  [](const Address& x) { return x.address == "2405:4800:30:1::1"; });
    CHECK(run_good(none)["R03"] == CheckStatus::fail);

    Device no_route = base;
    std::erase_if(no_route.default_routes, [](const Route& r) { return r.family == Family::ipv6; });
    CHECK(run_good(no_route)["R04"] == CheckStatus::fail);
    CHECK(run_good(no_route).r.level == 2);

    Device quiet = base;
    quiet.interfaces[1].ra_send = false;
    CHECK(run_good(quiet)["R05"] == CheckStatus::fail);
    Device no_ra = base;
    for (auto& i : no_ra.interfaces) {
        i.ra_send.reset();
        i.ra_lifetime_s.reset();
    }
    CHECK(run_good(no_ra)["R05"] == CheckStatus::unknown);
    Device zero_life = base;
    zero_life.interfaces[1].ra_lifetime_s = 0;
    CHECK(run_good(zero_life)["R05"] == CheckStatus::fail);

    Device wide = base;
    for (auto& x : wide.addresses) {
        if (x.address == "2405:4800:30:2::1") {
            x.prefix_length = 48;
        }
    }
    CHECK(run_good(wide)["R06"] == CheckStatus::fail);
    Device lo64 = base;
    lo64.addresses.back().prefix_length = 64; // the loopback's /128 made a /64
    normalize(lo64);
    for (auto& x : lo64.addresses) {
        if (x.if_index == 3u && x.family == Family::ipv6) {
            x.prefix_length = 64;
        }
    }
    CHECK(run_good(lo64)["R06"] == CheckStatus::fail);

    Device alone = base;
    alone.neighbor_cache.clear();
    CHECK(run_good(alone)["R07"] == CheckStatus::fail);

    Device idle = base;
    Device e = earlier_of(idle);
    for (auto& c : e.counters) {
        if (c.oid == "1.3.6.1.2.1.4.31.1.1.24.2") {
            c.value += 1000;
        }
    }
    CHECK(run(idle, e)["R08"] == CheckStatus::fail);
    CHECK(run(idle)["R08"] == CheckStatus::unknown);

    Device no_icmp = base;
    std::erase_if(no_icmp.counters,
                  [](const Counter& c) { return c.oid.starts_with("1.3.6.1.2.1.5."); });
    CHECK(run_good(no_icmp)["R09"] == CheckStatus::unknown);
    Device no_nd = base;
    std::erase_if(no_nd.counters,
                  [](const Counter& c) { return c.oid.starts_with("1.3.6.1.2.1.5.30"); });
    CHECK(run_good(no_nd)["R09"] == CheckStatus::fail);
}

TEST_CASE("IPv6 checklist: switch and firewall checks", "[model][ipv6]") {
    Device sw = good("l2-switch");
    Device sw_no = sw;
    std::erase_if(sw_no.addresses, [](const Address& x) {
        return x.family == Family::ipv6 && !x.address.starts_with("fe80");
    });
    CHECK(run_good(sw_no)["S01"] == CheckStatus::fail);
    Device sw_router = sw;
    sw_router.ipv6_forwarding = true;
    CHECK(run_good(sw_router)["S04"] == CheckStatus::fail);
    Device sw_nodef = sw;
    sw_nodef.ipv6_routers.clear();
    CHECK(run_good(sw_nodef)["S03"] == CheckStatus::fail);
    CHECK(run_good(sw_nodef).r.level == 2);
    sw.ipv6_management = ManagementProbe{"2405:4800:30:ffff::1", false, "timeout"};
    CHECK(run_good(sw)["S02"] == CheckStatus::fail);

    Device fw = good("firewall");
    Device e = earlier_of(fw);
    for (auto& c : e.counters) {
        if (c.oid == "1.3.6.1.2.1.4.31.3.1.6.2.2") {
            c.value += 1000; // nothing in on the inside
        }
    }
    CHECK(run(fw, e)["F03"] == CheckStatus::fail);
    CHECK(run(fw)["F03"] == CheckStatus::unknown);
    Device fw_nodef = fw;
    std::erase_if(fw_nodef.default_routes, [](const Route& r) { return r.family == Family::ipv6; });
    CHECK(run_good(fw_nodef)["F02"] == CheckStatus::fail);
    fw.ipv6_management = ManagementProbe{"2405:4800:30:ffff::1", false, "timeout"};
    CHECK(run_good(fw)["F05"] == CheckStatus::fail);
}

TEST_CASE("IPv6 checklist: commune CPE checks P01-P09", "[model][ipv6]") {
    const Device base = good("cpe");
    Device wan = base;
    std::erase_if(wan.addresses, [](const Address& x) { return x.address == "2405:4800:30:1::1"; });
    CHECK(run_good(wan)["P01"] == CheckStatus::fail);
    Device no_wan = base;
    no_wan.default_routes = {Route{Family::ipv6, "fe80::ff", 1}};
    CHECK(run_good(no_wan)["P01"] == CheckStatus::unknown);
    Device by_subnet = base;
    by_subnet.default_routes[0].if_index.reset(); // the WAN found from the next hop's subnet
    CHECK(run_good(by_subnet)["P01"] == CheckStatus::pass);

    Device lan = base;
    std::erase_if(lan.addresses, [](const Address& x) { return x.address == "2405:4800:30:2::1"; });
    CHECK(run_good(lan)["P02"] == CheckStatus::fail);
    Device no_ra = base;
    no_ra.interfaces[1].ra_send = false;
    CHECK(run_good(no_ra)["P03"] == CheckStatus::fail);

    Device lan_router = base;
    lan_router.default_routes = {Route{Family::ipv4, "10.0.0.2", 1}};
    lan_router.ipv6_routers = {Ipv6Router{"fe80::99", 2, 1800}};
    const auto lr = run_good(lan_router);
    CHECK(lr["P04"] == CheckStatus::fail); // learned on the LAN: not an upstream default
    CHECK(lr.r.level == 2);
    Device wan_router = lan_router;
    wan_router.ipv6_routers[0].if_index = 1;
    CHECK(run_good(wan_router)["P04"] == CheckStatus::pass);

    Device no_fwd = base;
    no_fwd.ipv6_forwarding = false;
    CHECK(run_good(no_fwd)["P05"] == CheckStatus::fail);
    Device no_clients = base;
    no_clients.neighbor_cache[0].if_index = 1; // a neighbour on the WAN is not a LAN client
    CHECK(run_good(no_clients)["P06"] == CheckStatus::fail);

    Device idle = base;
    Device e = earlier_of(idle);
    for (auto& c : e.counters) {
        if (c.oid == "1.3.6.1.2.1.4.31.3.1.33.2.1") {
            c.value += 1000;
        }
    }
    CHECK(run(idle, e)["P07"] == CheckStatus::fail);

    Device other = base;
    other.model = "DrayTek Vigor2925";
    other.sys_object_id = "1.3.6.1.4.1.7367";
    CHECK(run_good(other)["P08"] == CheckStatus::fail);
    Ipv6Policy no_list = policy();
    no_list.approved_cpe.clear();
    CHECK(run(base, earlier_of(base), no_list)["P08"] == CheckStatus::unknown);
    Ipv6Policy by_oid = policy();
    by_oid.approved_cpe = {"1.3.6.1.4.1.11863"};
    CHECK(run(base, earlier_of(base), by_oid)["P08"] == CheckStatus::pass);
}

TEST_CASE("IPv6 scores: weights, coverage and insufficient evidence", "[model][ipv6]") {
    Device d = good("server");
    d.ipv6_routers.clear(); // H02 (critical, 5) fails
    const auto a = run_good(d);
    double total = 0;
    double got = 0;
    for (const auto& c : a.r.checks) {
        if (c.status == CheckStatus::pass || c.status == CheckStatus::fail) {
            total += static_cast<int>(c.severity);
            got += c.status == CheckStatus::pass ? static_cast<int>(c.severity) : 0;
        }
    }
    CHECK(a.r.score == Approx(got / total));
    CHECK(a.r.score < 1.0);
    CHECK(a.r.coverage == Approx(1.0));
}

TEST_CASE("IPv6 management candidate: inside the prefixes, loopback first", "[model][ipv6]") {
    Device d = good("router");
    Ipv6Policy p;
    CHECK(management_candidate(d, p) == std::nullopt); // no prefixes: never
    p.management_prefixes = {"2405:4800:30::/48"};
    CHECK(management_candidate(d, p) == "2405:4800:30:ffff::1");
    p.management_prefixes = {"2405:4800:30:2::/64"};
    CHECK(management_candidate(d, p) == "2405:4800:30:2::1");
    p.management_prefixes = {"fd00::/8"};
    CHECK(management_candidate(d, p) == std::nullopt);
}

TEST_CASE("IPv6 summary: sites, districts, province and blocking checks", "[model][ipv6]") {
    Config c;
    c.sites = {Site{"30", "Tỉnh", "province", "", std::nullopt},
               Site{"ttdl", "Trung tâm dữ liệu", "datacenter", "30", std::nullopt},
               Site{"288", "Thành phố Hải Dương", "district", "30", std::nullopt},
               Site{"10507", "Phường Cẩm Thượng", "commune", "288", std::nullopt},
               Site{"10510", "Phường Bình Hàn", "commune", "288", std::nullopt}};
    auto target = [](std::string name, std::string site) {
        Target t;
        t.name = std::move(name);
        t.site = std::move(site);
        return t;
    };
    c.targets = {target("cpe-a", "10507"), target("cpe-b", "10510"), target("srv", "ttdl")};
    Device a = good("cpe");
    a.name = "cpe-a";
    a.site = "10507";
    Device b = good("cpe");
    b.name = "cpe-b";
    b.site = "10510";
    b.ipv6_forwarding = false; // P05 fails: L2
    Device s = good("server");
    s.name = "srv";
    s.site = "ttdl";
    std::vector<Device> now{a, b, s};
    std::vector<Device> before{earlier_of(a), earlier_of(b), earlier_of(s)};
    const auto sum = summarize_ipv6(c, now, before, 100);
    REQUIRE(sum.devices.size() == 3);
    REQUIRE(sum.sites.size() == 3);
    CHECK(sum.sites[0].code == "ttdl");
    CHECK(sum.sites[1].status == SiteStatus::ready);
    CHECK(sum.sites[2].status == SiteStatus::partial); // edge at L2
    CHECK(sum.sites[2].edge == "cpe-b");
    REQUIRE(sum.districts.size() == 1);
    CHECK(sum.districts[0].code == "288");
    CHECK(sum.districts[0].devices == 2);
    CHECK(sum.province.devices == 3);
    CHECK(sum.province.by_level[5] == 2);
    CHECK(sum.province.by_level[2] == 1);
    CHECK(sum.wan_conversion == Approx(0.5));
    CHECK(sum.dc_conversion == Approx(1.0));
    REQUIRE_FALSE(sum.blocking.empty());
    CHECK(sum.blocking.front().id == "P05");
    // Without the earlier scan no site can be called ready: traffic is unmeasured.
    const auto once = summarize_ipv6(c, now, {}, 0);
    CHECK(once.sites[1].status == SiteStatus::partial);
}

TEST_CASE("IPv6 checklist report: work list order and escaping", "[report][ipv6]") {
    Config c;
    c.sites = {Site{"s1", "Site <one>", "department", "", std::nullopt}};
    Device d = good("cpe");
    d.ipv6_forwarding = false;     // P05 critical fail
    d.neighbor_cache.clear();      // P06 medium fail
    d.name = "=cmd|' /C calc'!A0"; // hostile text
    const auto sum = summarize_ipv6(c, {d}, {}, 0);
    const report::ReportContext ctx{7, "2026-11-27T00:00:00Z", report::Lang::en};
    const std::string csv = report::render_checklist(sum, c, ctx, {}, report::Format::csv);
    CHECK(csv.find("P05") < csv.find("P06")); // critical before medium
    CHECK(csv.find("P06") < csv.find("C07")); // actions before what to verify
    CHECK(csv.find("\n=cmd") == std::string::npos);
    const std::string md = report::render_checklist(sum, c, ctx, {}, report::Format::markdown);
    CHECK(md.find("Site \\<one\\>") != std::string::npos);
    const std::string table = report::render_checklist(sum, c, ctx, {}, report::Format::table);
    CHECK(table.find("s1 Site <one>") != std::string::npos);
    const std::string all = report::render_checklist(sum, c, ctx, {true}, report::Format::csv);
    CHECK(std::count(all.begin(), all.end(), '\n') ==
          static_cast<long>(sum.devices[0].checks.size()) + 1);
}

TEST_CASE("gap report HTML: the IPv6 readiness chart per district", "[report][ipv6]") {
    REQUIRE(test::vietnamese_catalog());
    Config c;
    c.sites = {Site{"30", "Tỉnh", "province", "", std::nullopt},
               Site{"288", "Thành phố <Hải Dương>", "district", "30", std::nullopt}};
    Target t;
    t.name = "dr-288";
    t.site = "288";
    c.targets = {t};
    c.plan = Plan{};
    Device d = good("router");
    d.name = "dr-288";
    d.site = "288";
    const auto sum = summarize_ipv6(c, {d}, {}, 0);
    report::ReportContext ctx{1, "2026-11-27T00:00:00Z", report::Lang::vi};
    const GapReport empty;
    CHECK(report::render_gaps(empty, c, ctx, report::Format::html).find("IPv6") ==
          std::string::npos);
    ctx.ipv6 = &sum;
    const auto html = report::render_gaps(empty, c, ctx, report::Format::html);
    CHECK(html.find("Mức sẵn sàng IPv6") != std::string::npos);
    CHECK(html.find("Thành phố &lt;Hải Dương&gt;") != std::string::npos);
    // One device, L3 (no traffic yet): the count and the share beside the bar, and what L3 means.
    CHECK(html.find("1 thiết bị: L3 1 (100%)") != std::string::npos);
    CHECK(html.find("L3: định tuyến IPv6") != std::string::npos);
    CHECK(html.find("<svg") == std::string::npos); // mail clients often block SVG
}

TEST_CASE("IPv6 reports in Vietnamese: labels, statuses, titles and remedies", "[report][ipv6]") {
    REQUIRE(test::vietnamese_catalog());
    Config c;
    c.sites = {Site{"s1", "Xã Tân Hưng", "commune", "", std::nullopt}};
    Device d = good("cpe");
    d.site = "s1";
    d.ipv6_forwarding = false; // P05 fails
    const auto sum = summarize_ipv6(c, {d}, {}, 0);
    const report::ReportContext vi{1, "2026-11-27T00:00:00Z", report::Lang::vi};
    const auto table = report::render_checklist(sum, c, vi, {}, report::Format::table);
    CHECK(table.find("VIỆC CẦN LÀM") != std::string::npos);
    CHECK(table.find("không đạt") != std::string::npos);
    CHECK(table.find("bật định tuyến IPv6") != std::string::npos); // P05's remedy
    const auto md = report::render_checklist(sum, c, vi, {}, report::Format::markdown);
    CHECK(md.find("P05 Bật chuyển tiếp IPv6") != std::string::npos);
    // CSV keeps its codes for other tools; titles follow the language.
    const auto csv = report::render_checklist(sum, c, vi, {}, report::Format::csv);
    CHECK(csv.find(",fail,") != std::string::npos);
    const auto summary = report::render_ipv6_summary(sum, c, vi, true, report::Format::table);
    CHECK(summary.find("Mức sẵn sàng IPv6") != std::string::npos);
    CHECK(summary.find("TRẠNG THÁI") != std::string::npos);
    const report::ReportContext en{1, "2026-11-27T00:00:00Z", report::Lang::en};
    CHECK(report::render_checklist(sum, c, en, {}, report::Format::table).find("ACTION") !=
          std::string::npos);
}

TEST_CASE("ipv6: the work list's filters and its groups by action", "[ipv6][checklist]") {
    using namespace netinv::model;
    auto check = [](std::string_view id, Severity sv, CheckStatus st) {
        Check c;
        c.id = id;
        c.severity = sv;
        c.status = st;
        return c;
    };
    Ipv6Summary s;
    DeviceReadiness a;
    a.device = "cpe-b";
    a.checks = {check("P05", Severity::critical, CheckStatus::fail),
                check("P03", Severity::high, CheckStatus::unknown),
                check("P08", Severity::low, CheckStatus::pass)};
    DeviceReadiness b;
    b.device = "cpe-a";
    b.checks = {check("P05", Severity::critical, CheckStatus::partial),
                check("P03", Severity::high, CheckStatus::fail),
                check("P08", Severity::low, CheckStatus::fail)};
    DeviceReadiness c;
    c.device = "cpe-c";
    c.checks = {check("P03", Severity::high, CheckStatus::fail)};
    s.devices = {a, b, c};
    CheckFilter def;
    CHECK(selected(a.checks[0], def));
    CHECK(selected(a.checks[1], def)); // unknown: to check by hand
    CHECK_FALSE(selected(a.checks[2], def));
    CHECK(selected(a.checks[2], CheckFilter{{}, Severity::low, true}));
    CHECK_FALSE(selected(b.checks[2], CheckFilter{{}, Severity::medium, false}));
    CHECK(selected(a.checks[2], CheckFilter{{CheckStatus::pass}, Severity::low, false}));
    CHECK_FALSE(selected(a.checks[1], CheckFilter{{CheckStatus::fail}, Severity::low, false}));
    CHECK(check_status_from_string("n/a") == CheckStatus::not_applicable);
    CHECK(check_status_from_string("na") == CheckStatus::not_applicable);
    CHECK_FALSE(check_status_from_string("failed"));
    CHECK(severity_from_string("critical") == Severity::critical);
    CHECK_FALSE(severity_from_string("urgent"));
    const auto groups = group_by_action(s, def);
    REQUIRE(groups.size() == 3);
    // The most severe first; then the one on most devices; devices by status, then name.
    CHECK(groups[0].id == "P05");
    REQUIRE(groups[0].devices.size() == 2);
    CHECK(groups[0].devices[0].first->device == "cpe-b"); // fail before partial
    CHECK(groups[0].devices[1].first->device == "cpe-a");
    CHECK(groups[1].id == "P03");
    REQUIRE(groups[1].devices.size() == 3);
    CHECK(groups[1].devices[0].first->device == "cpe-a");
    CHECK(groups[1].devices[1].first->device == "cpe-c");
    CHECK(groups[1].devices[2].first->device == "cpe-b"); // unknown last
    CHECK(groups[2].id == "P08");
    const auto only_fail =
        group_by_action(s, CheckFilter{{CheckStatus::fail}, Severity::high, false});
    REQUIRE(only_fail.size() == 2);
    CHECK(only_fail[0].devices.size() == 1);
    CHECK(only_fail[1].devices.size() == 2);
}
