// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "probes/mib/mib.hpp"

using namespace netinv;
using namespace netinv::probes;
using netinv::test::snmprec;

TEST_CASE("routes: default routes from inetCidrRouteTable / v4 and v6", "[probes][mib][routes]") {
    Diagnostics diag("r");
    // dest type . len . dest . pfxlen . policy (len 2: 0.0) . next-hop type . len . next hop
    auto routes = mib::decode_default_routes(
        snmprec("1.3.6.1.2.1.4.24.7.1.7.1.4.0.0.0.0.0.2.0.0.1.4.192.0.2.1|2|4\n"
                "1.3.6.1.2.1.4.24.7.1.7.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.2.16."
                "253.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1|2|4\n"
                "1.3.6.1.2.1.4.24.4.1.5.0.0.0.0.0.0.0.0.0.10.0.0.1|2|7\n"), // ignored: inet has v4
        diag);
    REQUIRE(routes.size() == 2);
    CHECK(routes[0] == model::Route{model::Family::ipv4, "192.0.2.1", 4});
    CHECK(routes[1] == model::Route{model::Family::ipv6, "fd00::1", 4});
    CHECK(diag.take().empty());
}

TEST_CASE("routes: older agents' ipCidrRouteTable and ipRouteTable", "[probes][mib][routes]") {
    Diagnostics diag("old");
    auto cidr = mib::decode_default_routes(
        snmprec("1.3.6.1.2.1.4.24.4.1.5.0.0.0.0.0.0.0.0.0.10.30.0.1|2|2\n"), diag);
    REQUIRE(cidr.size() == 1);
    CHECK(cidr[0] == model::Route{model::Family::ipv4, "10.30.0.1", 2});
    auto legacy =
        mib::decode_default_routes(snmprec("1.3.6.1.2.1.4.21.1.7.0.0.0.0|64|10.30.1.1\n"), diag);
    REQUIRE(legacy.size() == 1);
    CHECK(legacy[0].next_hop == "10.30.1.1");
    auto bad =
        mib::decode_default_routes(snmprec("1.3.6.1.2.1.4.24.7.1.7.1.4.0.0.0.0.0.9|2|1\n"), diag);
    CHECK(bad.empty());
    CHECK(diag.take() ==
          std::vector<std::string>{"old: 1.3.6.1.2.1.4.24.7.1.7.1.4.0.0.0.0.0.9: malformed "
                                   "inetCidrRouteTable index; row ignored"});
}

TEST_CASE("lldp: neighbours with MAC chassis IDs and management addresses", "[probes][mib][lldp]") {
    Diagnostics diag("cpe");
    auto n = mib::decode_lldp(snmprec("1.0.8802.1.1.2.1.4.1.1.4.0.1.1|2|4\n"
                                      "1.0.8802.1.1.2.1.4.1.1.5.0.1.1|4x|001122334455\n"
                                      "1.0.8802.1.1.2.1.4.1.1.6.0.1.1|2|5\n"
                                      "1.0.8802.1.1.2.1.4.1.1.7.0.1.1|4|GigabitEthernet0/0/2.101\n"
                                      "1.0.8802.1.1.2.1.4.1.1.9.0.1.1|4|DR-288\n"
                                      "1.0.8802.1.1.2.1.4.2.1.3.0.1.1.1.4.10.30.1.5|2|2\n"
                                      "1.0.8802.1.1.2.1.4.2.1.3.0.1.1.2.16.253.0.0.0.0.0.0.0.0.0.0."
                                      "0.0.0.0.5|2|2\n"),
                              diag);
    REQUIRE(n.size() == 1);
    CHECK(n[0].local_port == 1u);
    CHECK(n[0].chassis_id == "00:11:22:33:44:55");
    CHECK(n[0].port_id == "GigabitEthernet0/0/2.101");
    CHECK(n[0].sys_name == "DR-288");
    CHECK(n[0].management_addresses == std::vector<std::string>{"10.30.1.5", "fd00::5"});
    CHECK(diag.take().empty());
}

TEST_CASE("neighbour cache: ARP and ND / stale rows dropped / legacy table", "[probes][mib][arp]") {
    Diagnostics diag("sw");
    auto c = mib::decode_neighbor_cache(
        snmprec("1.3.6.1.2.1.4.35.1.4.4.1.4.10.0.0.2|4x|0050560a0b0c\n"
                "1.3.6.1.2.1.4.35.1.4.4.1.4.10.0.0.3|4x|0050560a0b0d\n"
                "1.3.6.1.2.1.4.35.1.4.4.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1|4x|0050560a0b0e\n"
                "1.3.6.1.2.1.4.35.1.6.4.1.4.10.0.0.3|2|2\n"),
        diag);
    REQUIRE(c.size() == 2);
    CHECK(c[0] == model::CacheEntry{model::Family::ipv4, "10.0.0.2", "00:50:56:0a:0b:0c", 4});
    CHECK(c[1] == model::CacheEntry{model::Family::ipv6, "fe80::1", "00:50:56:0a:0b:0e", 4});
    auto old = mib::decode_neighbor_cache(
        snmprec("1.3.6.1.2.1.4.22.1.2.3.192.168.1.10|4x|001daa000001\n"), diag);
    REQUIRE(old.size() == 1);
    CHECK(old[0] == model::CacheEntry{model::Family::ipv4, "192.168.1.10", "00:1d:aa:00:00:01", 3});
    CHECK(diag.take().empty());
}

TEST_CASE("vlans / IPv6 per interface / forwarding flags", "[probes][mib][l2]") {
    Diagnostics diag("sw");
    auto v = mib::decode_vlans(snmprec("1.3.6.1.2.1.17.7.1.4.3.1.1.1|4|default\n"
                                       "1.3.6.1.2.1.17.7.1.4.3.1.1.30|4|Mot cua\n"
                                       "1.3.6.1.2.1.17.7.1.4.3.1.1.5000|4|bad\n"),
                               diag);
    REQUIRE(v.size() == 2);
    CHECK(v[1] == model::Vlan{30, "Mot cua"});
    CHECK(diag.take().size() == 1);
    std::vector<model::Interface> itfs(2);
    itfs[0].index = 1;
    itfs[1].index = 2;
    mib::decode_ipv6_interfaces(snmprec("1.3.6.1.2.1.4.30.1.5.1|2|1\n1.3.6.1.2.1.4.30.1.5.2|2|2\n"),
                                itfs, diag);
    CHECK(itfs[0].ipv6_enabled == true);
    CHECK(itfs[1].ipv6_enabled == false);
    model::Device d;
    mib::decode_forwarding(snmprec("1.3.6.1.2.1.4.1.0|2|1\n1.3.6.1.2.1.4.25.0|2|2\n"), d);
    CHECK(d.ipv4_forwarding == true);
    CHECK(d.ipv6_forwarding == false);
}

TEST_CASE("host resources: CPUs / memory / fixed disks only", "[probes][mib][host]") {
    Diagnostics diag("srv");
    model::Device d;
    mib::decode_host_resources(snmprec("1.3.6.1.2.1.25.2.3.1.2.1|6|1.3.6.1.2.1.25.2.1.4\n"
                                       "1.3.6.1.2.1.25.2.3.1.2.2|6|1.3.6.1.2.1.25.2.1.2\n"
                                       "1.3.6.1.2.1.25.2.3.1.3.1|4|/\n"
                                       "1.3.6.1.2.1.25.2.3.1.3.2|4|Physical memory\n"
                                       "1.3.6.1.2.1.25.2.3.1.4.1|2|4096\n"
                                       "1.3.6.1.2.1.25.2.3.1.4.2|2|1024\n"
                                       "1.3.6.1.2.1.25.2.3.1.5.1|2|1000\n"
                                       "1.3.6.1.2.1.25.2.3.1.5.2|2|8000\n"
                                       "1.3.6.1.2.1.25.2.3.1.6.1|2|950\n"
                                       "1.3.6.1.2.1.25.2.3.1.6.2|2|1000\n"
                                       "1.3.6.1.2.1.25.3.3.1.2.196608|2|5\n"
                                       "1.3.6.1.2.1.25.3.3.1.2.196609|2|7\n"),
                               8'000'000, d, diag);
    CHECK(d.cpus == 2u);
    CHECK(d.memory_bytes == 8'192'000'000u);
    REQUIRE(d.volumes.size() == 1);
    CHECK(d.volumes[0] == model::Volume{"/", 4'096'000, 3'891'200});
}

TEST_CASE("ipv6: routers, RAs, listeners, tunnels and counters", "[probes][mib][ipv6]") {
    Diagnostics diag("r");
    model::Device d;
    d.interfaces = {model::Interface{}, model::Interface{}};
    d.interfaces[0].index = 1;
    d.interfaces[1].index = 2;
    const std::string fe80_1 = "254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1";
    mib::decode_ipv6(
        snmprec("1.3.6.1.2.1.4.26.0|2|64\n"
                "1.3.6.1.2.1.4.37.1.4.2.16." +
                fe80_1 +
                ".2|66|1800\n"
                "1.3.6.1.2.1.4.37.1.4.4.20." +
                fe80_1 +
                ".0.0.0.1.1|66|600\n"
                "1.3.6.1.2.1.4.37.1.4.1.4.10.0.0.1.1|66|1800\n" // IPv4: not kept
                "1.3.6.1.2.1.4.37.1.4.2.16.1.2.3|66|1800\n"     // malformed
                "1.3.6.1.2.1.4.39.1.2.2|2|1\n1.3.6.1.2.1.4.39.1.5.2|2|2\n"
                "1.3.6.1.2.1.4.39.1.6.2|2|1\n1.3.6.1.2.1.4.39.1.11.2|66|1800\n"
                "1.3.6.1.2.1.4.39.1.2.9|2|1\n" // no such interface
                "1.3.6.1.2.1.6.20.1.4.0.0.22|66|1\n"
                "1.3.6.1.2.1.6.20.1.4.1.4.0.0.0.0.443|66|1\n"
                "1.3.6.1.2.1.6.20.1.4.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.80|66|1\n"
                "1.3.6.1.2.1.7.7.1.8.0.0.161.0.0.0.1|66|1\n"
                "1.3.6.1.2.1.7.7.1.8.1.4.127.0.0.1.5353.1.4.127.0.0.1.53.1|66|1\n" // connected
                "1.3.6.1.2.1.10.131.1.1.1.1.3.1|2|14\n"
                "1.3.6.1.2.1.4.31.1.1.4.1|70|5\n1.3.6.1.2.1.4.31.1.1.4.2|70|77\n"
                "1.3.6.1.2.1.5.29.1.2.1|65|4\n1.3.6.1.2.1.5.29.1.2.2|65|9\n"
                "1.3.6.1.2.1.4.31.3.1.6.2.1|70|1000\n"
                "1.3.6.1.2.1.55.1.1.0|2|1\n"
                "1.3.6.1.2.1.4.31.1.1.31.2|4|oops\n"), // wrong type
        d, diag);
    CHECK(d.ipv6_hop_limit == 64u);
    CHECK(d.ipv6_forwarding == true); // IPV6-MIB, since IP-MIB's was not there
    REQUIRE(d.ipv6_routers.size() == 2);
    CHECK(d.ipv6_routers[0] == model::Ipv6Router{"fe80::1", 1, 600}); // ipv6z, zone 1
    CHECK(d.ipv6_routers[1] == model::Ipv6Router{"fe80::1", 2, 1800});
    CHECK(d.interfaces[1].ra_send == true);
    CHECK(d.interfaces[1].ra_managed == false);
    CHECK(d.interfaces[1].ra_other == true);
    CHECK(d.interfaces[1].ra_lifetime_s == 1800u);
    CHECK(d.interfaces[0].tunnel_encaps == 14u);
    REQUIRE(d.listeners.size() == 4);
    CHECK(d.listeners[0] == model::Listener{"tcp", std::nullopt, "", 22});
    CHECK(d.listeners[1] == model::Listener{"tcp", model::Family::ipv4, "0.0.0.0", 443});
    CHECK(d.listeners[2] == model::Listener{"tcp", model::Family::ipv6, "::", 80});
    CHECK(d.listeners[3] == model::Listener{"udp", std::nullopt, "", 161});
    REQUIRE(d.counters.size() == 3);
    CHECK(d.counters[0] == model::Counter{"1.3.6.1.2.1.4.31.1.1.4.2", 77});
    CHECK(d.counters[1] == model::Counter{"1.3.6.1.2.1.4.31.3.1.6.2.1", 1000});
    CHECK(d.counters[2] == model::Counter{"1.3.6.1.2.1.5.29.1.2.2", 9});
    const auto w = diag.take();
    CHECK(w.size() == 2); // the malformed router row and the wrong counter type
}

TEST_CASE("ipv6: the tables that answered", "[probes][mib][ipv6]") {
    auto a = snmprec("1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.1|2|1\n1.3.6.1.2.1.6.20.1.4.0.0.22|66|1\n");
    auto b = snmprec("1.3.6.1.2.1.4.37.1.4.1.4.10.0.0.1.1|128|\n"); // noSuchObject: no answer
    CHECK(mib::tables_answered({&a, &b}) ==
          std::vector<std::string>{"ipAddressTable", "tcpListenerTable"});
}

TEST_CASE("ipv6: the columns walked depend on the role", "[probes][mib][ipv6]") {
    const Oid tcp = {1, 3, 6, 1, 2, 1, 6, 20, 1, 4};
    const Oid ra = {1, 3, 6, 1, 2, 1, 4, 39, 1, 2};
    const Oid if_in = {1, 3, 6, 1, 2, 1, 4, 31, 3, 1, 6, 2};
    auto has = [](const std::vector<Oid>& cols, const Oid& o) {
        return std::ranges::find(cols, o) != cols.end();
    };
    const auto server = mib::ipv6_columns("server");
    CHECK((has(server, tcp) && !has(server, ra) && !has(server, if_in)));
    const auto router = mib::ipv6_columns("router");
    CHECK((!has(router, tcp) && has(router, ra) && !has(router, if_in)));
    const auto cpe = mib::ipv6_columns("cpe");
    CHECK((!has(cpe, tcp) && has(cpe, ra) && has(cpe, if_in)));
    const auto unknown = mib::ipv6_columns(std::nullopt);
    CHECK((has(unknown, tcp) && has(unknown, ra) && has(unknown, if_in)));
    CHECK(mib::ipv6_columns("l2-switch").size() < unknown.size());
}

TEST_CASE("cdp: neighbours from cdpCacheTable (recorded, Catalyst 2960X)", "[probes][mib][cdp]") {
    Diagnostics diag("sw");
    // Rows of a real Catalyst 2960X recording: an access point and an L3 switch.
    auto n =
        mib::decode_cdp(snmprec("1.3.6.1.4.1.9.9.23.1.2.1.1.3.10103.1|2|1\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.3.10152.8|2|1\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.4.10103.1|4x|AC1B3154\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.4.10152.8|4x|0A364005\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.6.10103.1|4|acme-fr-ap-011\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.6.10152.8|4|acme-fr-s-001\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.7.10103.1|4|GigabitEthernet0\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.7.10152.8|4|GigabitEthernet1/0/3\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.8.10103.1|4|cisco AIR-AP2702I-UXK9\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.8.10152.8|4|cisco WS-C3850-12S\n"
                                "1.3.6.1.4.1.9.9.23.1.2.1.1.6.0.9|4|bad index\n"),
                        diag);
    REQUIRE(n.size() == 2);
    CHECK(n[0].protocol == "cdp");
    CHECK(n[0].local_port == 10103u);
    CHECK(n[0].sys_name == "acme-fr-ap-011");
    CHECK(n[0].port_id == "GigabitEthernet0");
    CHECK(n[0].platform == "cisco AIR-AP2702I-UXK9");
    CHECK(n[0].management_addresses == std::vector<std::string>{"172.27.49.84"});
    CHECK(n[1].sys_name == "acme-fr-s-001");
    CHECK(n[1].management_addresses == std::vector<std::string>{"10.54.64.5"});
    CHECK(diag.take() == std::vector<std::string>{"sw: 1.3.6.1.4.1.9.9.23.1.2.1.1.6.0.9: "
                                                  "malformed cdpCacheTable index; row ignored"});
}
