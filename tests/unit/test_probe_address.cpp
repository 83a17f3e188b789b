// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "probes/poller.hpp"

using netinv::probes::parse_probe_address;
using netinv::probes::transport_for;

TEST_CASE("probe address: every accepted form", "[probes][address]") {
    auto a = parse_probe_address("192.0.2.1");
    REQUIRE(a);
    CHECK(a->address == "192.0.2.1");
    CHECK_FALSE(a->port);
    a = parse_probe_address("192.0.2.1:1161");
    REQUIRE(a);
    CHECK(a->port == 1161);
    a = parse_probe_address("[2001:DB8::1]:1161");
    REQUIRE(a);
    CHECK(a->address == "2001:db8::1");
    CHECK(a->port == 1161);
    a = parse_probe_address("::1");
    REQUIRE(a);
    CHECK(a->address == "::1");
    a = parse_probe_address("core.example:162");
    REQUIRE(a);
    CHECK(a->address == "core.example");
    CHECK(a->port == 162);
    a = parse_probe_address("udp6:[::1]:1161");
    REQUIRE(a);
    CHECK(a->address == "::1");
    CHECK(a->transport == "udp6:[::1]:1161");
}

TEST_CASE("probe address: errors say what is wrong", "[probes][address]") {
    CHECK(parse_probe_address("[::1").error() == "invalid address '[::1': missing ']'");
    CHECK(parse_probe_address("[10.0.0.1]").error() ==
          "invalid address '[10.0.0.1]': not an IPv6 address inside the brackets");
    CHECK(parse_probe_address("10.0.0.1:0").error() ==
          "invalid address '10.0.0.1:0': the port must be a number from 1 to 65535");
    CHECK(parse_probe_address("host:99999").error() ==
          "invalid address 'host:99999': the port must be a number from 1 to 65535");
    CHECK(parse_probe_address("bad host").error() ==
          "invalid address 'bad host': not an IPv4 address, IPv6 address or host name");
    CHECK(parse_probe_address("").error() == "invalid address '': empty");
    CHECK(parse_probe_address("udp:[bad").error() ==
          "invalid address 'udp:[bad': not a valid net-snmp transport address");
}

TEST_CASE("transport: literal addresses need no resolver", "[probes][address]") {
    CHECK(transport_for("127.0.0.1", 161).value() == "udp:127.0.0.1:161");
    CHECK(transport_for("::1", 1161).value() == "udp6:[::1]:1161");
    // localhost comes from /etc/hosts: no query leaves the machine.
    auto local = transport_for("localhost", 1161);
    REQUIRE(local);
    CHECK((*local == "udp:127.0.0.1:1161" || *local == "udp6:[::1]:1161"));
}
