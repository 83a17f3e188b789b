// SPDX-License-Identifier: Apache-2.0
//
// InetAddress in table indexes (RFC 4001): every length the MIBs allow, zoned addresses, and
// the shapes real routers give them (RFC 4293 / RFC 4292 examples, IPV6.md 2.3; the recorded
// Cisco ASA row, ipv6z without its zone, is in test_mib_decoders.cpp).
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "probes/mib/mib.hpp"

using namespace netinv;
using namespace netinv::probes;
using netinv::test::snmprec;

namespace {

Oid oid_of(std::initializer_list<std::uint32_t> l) {
    return Oid(l);
}

} // namespace

TEST_CASE("inet: every InetAddressType and length", "[probes][mib][inet]") {
    // ipv4(1) 4
    auto a = mib::inet_address(oid_of({10, 0, 0, 1}), 0, 1, 4);
    REQUIRE(a);
    CHECK(a->family == model::Family::ipv4);
    CHECK(a->text == "10.0.0.1");
    CHECK_FALSE(a->zone);
    // ipv6(2) 16
    auto b =
        mib::inet_address(oid_of({32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), 0, 2, 16);
    REQUIRE(b);
    CHECK(b->text == "2001:db8::1");
    // ipv4z(3) 8: address + zone 7
    auto c = mib::inet_address(oid_of({169, 254, 1, 1, 0, 0, 0, 7}), 0, 3, 8);
    REQUIRE(c);
    CHECK(c->text == "169.254.1.1");
    CHECK(c->zone == 7u);
    // ipv6z(4) 20: fe80::1%5, and a zone over 255 (network order)
    auto d = mib::inet_address(
        oid_of({254, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2}), 0, 4, 20);
    REQUIRE(d);
    CHECK(d->family == model::Family::ipv6);
    CHECK(d->text == "fe80::1");
    CHECK(d->zone == 258u);
    // a zoned type without its zone (Cisco ASA): accepted, no zone
    auto e =
        mib::inet_address(oid_of({254, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), 0, 4, 16);
    REQUIRE(e);
    CHECK_FALSE(e->zone);
    // by length alone (LLDP's IANA families, type unknown)
    CHECK(mib::inet_address_by_length(oid_of({169, 254, 1, 1, 0, 0, 0, 7}), 0, 8)->zone == 7u);
    CHECK(mib::inet_address_by_length(oid_of({10, 0, 0, 1}), 0, 4)->text == "10.0.0.1");
}

TEST_CASE("inet: lengths and values the MIBs do not allow", "[probes][mib][inet]") {
    const Oid twenty = {254, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5};
    CHECK_FALSE(mib::inet_address(twenty, 0, 2, 20)); // ipv6 with 20: only ipv6z has a zone
    CHECK_FALSE(mib::inet_address(twenty, 0, 1, 8));  // ipv4 with 8
    CHECK_FALSE(mib::inet_address(twenty, 0, 4, 17)); // odd lengths
    CHECK_FALSE(mib::inet_address(twenty, 0, 3, 5));
    CHECK_FALSE(mib::inet_address(twenty, 0, 0, 4)); // unknown(0) and dns(16) types
    CHECK_FALSE(mib::inet_address(twenty, 0, 16, 4));
    CHECK_FALSE(mib::inet_address(twenty, 10, 4, 20));                // runs past the end
    CHECK_FALSE(mib::inet_address(oid_of({10, 0, 0, 256}), 0, 1, 4)); // not a byte
    CHECK_FALSE(mib::inet_address_by_length(twenty, 0, 6));
    CHECK_FALSE(mib::inet_address_by_length(twenty, 0, 0));
}

TEST_CASE("ipAddressTable: one link-local on several interfaces stays several rows",
          "[probes][mib][ip][inet]") {
    // A router whose sub-interfaces share the MAC of their port, so three interfaces carry
    // fe80::21a:2bff:fe3c:4d5e, told apart only by the ipv6z zone (= the ifIndex), plus a
    // global address on two of them. Keyed by address text alone, two rows were dropped as
    // "duplicate" and C02 failed on interfaces that have IPv6.
    Diagnostics diag("dr");
    const std::string ll = "254.128.0.0.0.0.0.0.2.26.43.255.254.60.77.94";
    std::string rec;
    for (int zone : {3, 7, 12}) {
        const std::string idx = "4.20." + ll + ".0.0.0." + std::to_string(zone);
        rec += "1.3.6.1.2.1.4.34.1.3." + idx + "|2|" + std::to_string(zone) + "\n";
        rec += "1.3.6.1.2.1.4.34.1.6." + idx + "|2|5\n";
        rec += "1.3.6.1.2.1.4.34.1.7." + idx + "|2|1\n";
    }
    rec += "1.3.6.1.2.1.4.34.1.3.2.16.36.5.72.0.0.48.255.1.0.0.0.0.0.0.0.2|2|3\n";
    rec += "1.3.6.1.2.1.4.34.1.3.2.16.36.5.72.0.0.48.255.2.0.0.0.0.0.0.0.2|2|7\n";
    auto addrs = mib::decode_ip_address_table(snmprec(rec), diag);
    CHECK(diag.take().empty());
    model::Device d;
    d.addresses = addrs;
    model::normalize(d);
    std::vector<std::pair<std::string, std::uint32_t>> got;
    for (const auto& a : d.addresses) {
        got.emplace_back(a.address, a.if_index.value_or(0));
    }
    CHECK(got ==
          std::vector<std::pair<std::string, std::uint32_t>>{{"2405:4800:30:ff01::2", 3},
                                                             {"fe80::21a:2bff:fe3c:4d5e", 3},
                                                             {"2405:4800:30:ff02::2", 7},
                                                             {"fe80::21a:2bff:fe3c:4d5e", 7},
                                                             {"fe80::21a:2bff:fe3c:4d5e", 12}});
    // The same row twice is still a duplicate.
    Diagnostics dup("dr");
    mib::decode_ip_address_table(snmprec("1.3.6.1.2.1.4.34.1.3.4.20." + ll + ".0.0.0.3|2|3\n" +
                                         "1.3.6.1.2.1.4.34.1.3.4.20." + ll + ".0.0.0.3|2|3\n"),
                                 dup);
    CHECK(dup.take().size() == 1);
}

TEST_CASE("ipAddressTable: bad InetAddress lengths are dropped naming host and OID",
          "[probes][mib][ip][inet]") {
    Diagnostics diag("cpe-1");
    auto addrs = mib::decode_ip_address_table(
        snmprec("1.3.6.1.2.1.4.34.1.3.2.20.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.5|2|5\n"
                "1.3.6.1.2.1.4.34.1.3.4.17.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0|2|5\n"
                "1.3.6.1.2.1.4.34.1.3.3.8.169.254.1.1.0.0.0.2|2|2\n"),
        diag);
    REQUIRE(addrs.size() == 1);
    CHECK(addrs[0].address == "169.254.1.1"); // ipv4z with its zone
    CHECK(diag.take() ==
          std::vector<std::string>{
              "cpe-1: 1.3.6.1.2.1.4.34.1.3.2.20.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.5: "
              "malformed ipAddressTable index; row ignored",
              "cpe-1: 1.3.6.1.2.1.4.34.1.3.4.17.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0: "
              "malformed ipAddressTable index; row ignored"});
}

TEST_CASE("routes: a zoned IPv6 next hop (fe80::1%3, IPV6.md 2.3)", "[probes][mib][routes][inet]") {
    Diagnostics diag("srv");
    // The RFC 4292 example: ::/0 via fe80::1 on ifIndex 3, policy {0 0}; and net-snmp's
    // 3-sub-identifier policy with the ifIndex column missing (the zone tells it).
    auto routes = mib::decode_default_routes(
        snmprec("1.3.6.1.2.1.4.24.7.1.7.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.4.20."
                "254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.3|2|3\n"
                "1.3.6.1.2.1.4.24.7.1.7.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.9.1.1.4.20."
                "254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.9|2|0\n"),
        diag);
    REQUIRE(routes.size() == 2);
    CHECK(routes[0] == model::Route{model::Family::ipv6, "fe80::1", 3});
    CHECK(routes[1] == model::Route{model::Family::ipv6, "fe80::2", 9});
    CHECK(diag.take().empty());
    // A next hop of a length its type does not allow is dropped with a warning.
    Diagnostics bad("srv");
    auto none = mib::decode_default_routes(
        snmprec("1.3.6.1.2.1.4.24.7.1.7.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.2.20."
                "254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.3|2|3\n"),
        bad);
    CHECK(none.empty());
    CHECK(bad.take() ==
          std::vector<std::string>{
              "srv: 1.3.6.1.2.1.4.24.7.1.7.2.16.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.2.20.254."
              "128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.3: malformed inetCidrRouteTable index (next "
              "hop of type 2, 20 octets); row ignored"});
}

TEST_CASE("neighbour cache: zoned IPv6 entries and bad lengths", "[probes][mib][cache][inet]") {
    Diagnostics diag("dr");
    auto cache = mib::decode_neighbor_cache(
        snmprec("1.3.6.1.2.1.4.35.1.4.5.4.20.254.128.0.0.0.0.0.0.2.26.43.255.254.1.2.3.0.0.0.5|"
                "4x|001a2b010203\n"
                "1.3.6.1.2.1.4.35.1.4.5.2.16.36.5.72.0.0.48.0.1.0.0.0.0.0.0.0.9|4x|001a2b010209\n"
                "1.3.6.1.2.1.4.35.1.4.5.2.12.36.5.72.0.0.48.0.1.0.0.0.0|4x|001a2b010209\n"),
        diag);
    REQUIRE(cache.size() == 2);
    CHECK(cache[0].address == "2405:4800:30:1::9");
    CHECK(cache[1].address == "fe80::21a:2bff:fe01:203");
    CHECK(cache[1].if_index == 5u);
    CHECK(cache[1].mac == "00:1a:2b:01:02:03");
    CHECK(diag.take() ==
          std::vector<std::string>{"dr: 1.3.6.1.2.1.4.35.1.4.5.2.12.36.5.72.0.0.48.0.1.0.0.0.0: "
                                   "malformed neighbour-cache index; row ignored"});
}

TEST_CASE("default routers: ipv4z / ipv6z rows of ipDefaultRouterTable", "[probes][mib][inet]") {
    Diagnostics diag("srv");
    model::Device d;
    mib::decode_ipv6(
        snmprec("1.3.6.1.2.1.4.37.1.4.4.20.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.2.2|66|"
                "1800\n"),
        d, diag);
    REQUIRE(d.ipv6_routers.size() == 1);
    CHECK(d.ipv6_routers[0] == model::Ipv6Router{"fe80::1", 2, 1800});
    CHECK(diag.take().empty());
}
