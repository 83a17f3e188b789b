// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "probes/mib/mib.hpp"

using namespace netinv;
using namespace netinv::probes;
using netinv::test::fixture;
using netinv::test::snmprec;

TEST_CASE("system: net-snmp agent identity", "[probes][mib][system]") {
    Diagnostics diag("linux");
    model::Device d;
    mib::decode_system(fixture("netsnmp_linux.snmprec"), d, diag);
    CHECK(d.sys_name == "netinv-test-agent");
    CHECK(d.sys_location == "Tầng 3, Sở TT&TT");
    CHECK(d.sys_contact == "noc@example.test");
    CHECK(d.sys_object_id == "1.3.6.1.4.1.8072.3.2.10");
    CHECK(d.vendor == "Net-SNMP");
    REQUIRE(d.sys_descr);
    CHECK(d.sys_descr->starts_with("Linux "));
    CHECK(d.sys_uptime_cs.has_value());
    CHECK(diag.take().empty());
}

TEST_CASE("system: missing / mistyped and oversized values", "[probes][mib][system]") {
    Diagnostics diag("h");
    model::Device d;
    const std::string big(300, 'x');
    mib::decode_system(snmprec("1.3.6.1.2.1.1.1.0|128|\n"
                               "1.3.6.1.2.1.1.2.0|4|not-an-oid\n"
                               "1.3.6.1.2.1.1.3.0|2|5\n"
                               "1.3.6.1.2.1.1.5.0|4|" +
                               big +
                               "\n"
                               "1.3.6.1.2.1.1.6.0|4x|48e1baa369ff00\n"),
                       d, diag);
    CHECK_FALSE(d.sys_descr);
    CHECK_FALSE(d.sys_object_id);
    CHECK_FALSE(d.vendor);
    CHECK_FALSE(d.sys_uptime_cs);
    CHECK_FALSE(d.sys_name);
    CHECK(d.sys_location == "Hải\xEF\xBF\xBD"); // trailing NUL dropped, invalid byte replaced
    CHECK(diag.take() == std::vector<std::string>{
                             "h: 1.3.6.1.2.1.1.2.0: expected an OBJECT IDENTIFIER; value ignored",
                             "h: 1.3.6.1.2.1.1.3.0: expected TimeTicks; value ignored",
                             "h: 1.3.6.1.2.1.1.5.0: value of 300 bytes exceeds the 255-byte "
                             "limit; value ignored"});
}

TEST_CASE("interfaces: ifTable joined with ifXTable", "[probes][mib][interfaces]") {
    Diagnostics diag("linux");
    auto itfs = mib::decode_interfaces(fixture("netsnmp_linux.snmprec"), diag);
    REQUIRE(itfs.size() == 4);
    CHECK(itfs[0].index == 1);
    CHECK(itfs[0].name == "lo");
    CHECK(itfs[0].type == 24u);
    CHECK(itfs[0].speed_bps == 10'000'000u);
    CHECK_FALSE(itfs[0].mac); // loopback has no hardware address
    CHECK(itfs[0].admin_status == model::IfStatus::up);
    CHECK(itfs[3].name == "eth0");
    CHECK(itfs[3].type == 6u);
    CHECK(itfs[3].mac == "02:fc:00:00:00:01");
    CHECK(itfs[3].alias == "");
    CHECK(diag.take().empty());
}

TEST_CASE("interfaces: legacy agent without ifXTable", "[probes][mib][interfaces]") {
    Diagnostics diag("cpe");
    auto itfs = mib::decode_interfaces(fixture("legacy_router.snmprec"), diag);
    REQUIRE(itfs.size() == 2);
    CHECK(itfs[1].index == 4);
    CHECK(itfs[1].descr == "WAN1");
    CHECK_FALSE(itfs[1].name);
    CHECK_FALSE(itfs[1].alias);
    CHECK(itfs[1].speed_bps == 10'000'000u);
    CHECK(itfs[1].oper_status == model::IfStatus::down);
    CHECK(itfs[1].mac == "00:1d:aa:11:22:34");
}

TEST_CASE("interfaces: ifHighSpeed beats ifSpeed / which keeps sub-megabit speeds",
          "[probes][mib][interfaces]") {
    Diagnostics diag("r");
    auto itfs = mib::decode_interfaces(snmprec("1.3.6.1.2.1.2.2.1.5.1|66|4294967295\n"
                                               "1.3.6.1.2.1.2.2.1.5.2|66|1544000\n"
                                               "1.3.6.1.2.1.2.2.1.5.3|66|0\n"
                                               "1.3.6.1.2.1.31.1.1.1.15.1|66|100000\n"
                                               "1.3.6.1.2.1.31.1.1.1.15.2|66|0\n"
                                               "1.3.6.1.2.1.31.1.1.1.15.3|66|0\n"),
                                       diag);
    REQUIRE(itfs.size() == 3);
    CHECK(itfs[0].speed_bps == 100'000'000'000u);
    CHECK(itfs[1].speed_bps == 1'544'000u);
    CHECK(itfs[2].speed_bps == 0u);
}

TEST_CASE("interfaces: hostile rows are dropped with a warning", "[probes][mib][interfaces]") {
    Diagnostics diag("bad");
    auto itfs = mib::decode_interfaces(snmprec("1.3.6.1.2.1.2.2.1.2.1|4|ok\n"
                                               "1.3.6.1.2.1.2.2.1.2.1|4|again\n"
                                               "1.3.6.1.2.1.2.2.1.2.0|4|zero\n"
                                               "1.3.6.1.2.1.2.2.1.2.2.7|4|two-part index\n"
                                               "1.3.6.1.2.1.2.2.1.3.1|4|ethernet\n"
                                               "1.3.6.1.2.1.2.2.1.7.1|2|9\n"
                                               "1.3.6.1.2.1.2.2.1.8.1|2|1\n"),
                                       diag);
    REQUIRE(itfs.size() == 1);
    CHECK(itfs[0].descr == "ok");
    CHECK_FALSE(itfs[0].type);
    CHECK_FALSE(itfs[0].admin_status);
    CHECK(itfs[0].oper_status == model::IfStatus::up);
    CHECK(diag.take() ==
          std::vector<std::string>{
              "bad: 1.3.6.1.2.1.2.2.1.2.1: duplicate row; ignored",
              "bad: 1.3.6.1.2.1.2.2.1.2.0: malformed ifIndex in the row index; row ignored",
              "bad: 1.3.6.1.2.1.2.2.1.2.2.7: malformed ifIndex in the row index; row ignored",
              "bad: 1.3.6.1.2.1.2.2.1.3.1: expected an INTEGER; value ignored",
              "bad: 1.3.6.1.2.1.2.2.1.7.1: status 9 is out of range; value ignored"});
}

TEST_CASE("ipAddressTable: net-snmp's IPv4 / IPv6 and link-local rows", "[probes][mib][ip]") {
    Diagnostics diag("linux");
    auto addrs = mib::decode_ip_address_table(fixture("netsnmp_linux.snmprec"), diag);
    model::Device d;
    d.addresses = addrs;
    model::normalize(d);
    REQUIRE(d.addresses.size() == 5); // the broadcast row is not an address of the device
    CHECK(d.addresses[0] ==
          model::Address{model::Family::ipv4, "127.0.0.1", 8, 1, "manual", "preferred", false});
    CHECK(d.addresses[1] ==
          model::Address{model::Family::ipv4, "192.0.2.2", 24, 4, "manual", "preferred", false});
    CHECK(d.addresses[2] ==
          model::Address{model::Family::ipv6, "::1", 128, 1, "manual", "preferred", false});
    CHECK(d.addresses[3] ==
          model::Address{model::Family::ipv6, "fd00::2", 64, 4, "manual", "preferred", false});
    CHECK(d.addresses[4] == model::Address{model::Family::ipv6, "fe80::fc:ff:fe00:1", 64, 4,
                                           "linklayer", "preferred", false});
    CHECK(diag.take().empty());
}

TEST_CASE("ipAddressTable: status and anycast rows", "[probes][mib][ip][ipv6]") {
    Diagnostics diag("r");
    const std::string idx = "2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1";
    const std::string idx2 = "2.16.36.5.72.0.0.48.0.0.0.0.0.0.0.0.0.1";
    auto vbs = snmprec("1.3.6.1.2.1.4.34.1.3." + idx + "|2|5\n1.3.6.1.2.1.4.34.1.4." + idx +
                       "|2|2\n1.3.6.1.2.1.4.34.1.7." + idx + "|2|7\n1.3.6.1.2.1.4.34.1.3." + idx2 +
                       "|2|5\n1.3.6.1.2.1.4.34.1.7." + idx2 + "|2|9\n");
    auto a = mib::decode_ip_address_table(vbs, diag);
    REQUIRE(a.size() == 2);
    CHECK(a[0].address == "2001:db8::1");
    CHECK(a[0].status == "duplicate");
    CHECK(a[0].anycast == true);
    CHECK(a[1].status == std::nullopt); // 9 is not an IpAddressStatusTC value
}

TEST_CASE("ipAddressTable: ipv6z index / missing length / unknown prefix", "[probes][mib][ip]") {
    Diagnostics diag("r");
    // ipv6z (4): 16 address bytes + 4 zone bytes; an agent that leaves out the length byte;
    // a prefix of zeroDotZero.
    auto addrs = mib::decode_ip_address_table(
        snmprec(
            "1.3.6.1.2.1.4.34.1.3.4.20.254.128.0.0.0.0.0.0.2.26.43.255.254.60.77.94.0.0.0.3|2|3\n"
            "1.3.6.1.2.1.4.34.1.6.4.20.254.128.0.0.0.0.0.0.2.26.43.255.254.60.77.94.0.0.0.3|2|5\n"
            "1.3.6.1.2.1.4.34.1.3.1.10.1.2.3|2|7\n"
            "1.3.6.1.2.1.4.34.1.5.1.10.1.2.3|6|0.0\n"
            "1.3.6.1.2.1.4.34.1.3.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1|2|2\n"
            "1.3.6.1.2.1.4.34.1.5.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1|6|"
            "1.3.6.1.2.1.4.32.1.5.2.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.0.64\n"
            "1.3.6.1.2.1.4.34.1.6.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1|2|6\n"),
        diag);
    model::Device d;
    d.addresses = addrs;
    model::normalize(d);
    REQUIRE(d.addresses.size() == 3);
    CHECK(d.addresses[0] ==
          model::Address{model::Family::ipv4, "10.1.2.3", std::nullopt, 7, std::nullopt});
    CHECK(d.addresses[1] == model::Address{model::Family::ipv6, "2001:db8::1", 64, 2, "random"});
    CHECK(d.addresses[2] == model::Address{model::Family::ipv6, "fe80::21a:2bff:fe3c:4d5e",
                                           std::nullopt, 3, "linklayer"});
    CHECK(diag.take().empty());
}

TEST_CASE("ipAddressTable: malformed indexes and values are dropped", "[probes][mib][ip]") {
    Diagnostics diag("x");
    auto addrs = mib::decode_ip_address_table(
        snmprec("1.3.6.1.2.1.4.34.1.3.1.4.10.0|2|1\n"                    // too short
                "1.3.6.1.2.1.4.34.1.3.9.4.10.0.0.1|2|1\n"                // unknown address type
                "1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.300|2|1\n"              // byte out of range
                "1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.1|4|one\n"              // wrong type
                "1.3.6.1.2.1.4.34.1.5.1.4.10.0.0.1|6|1.3.6.1.2.1.99.1\n" // RowPointer elsewhere
                "1.3.6.1.2.1.4.34.1.6.1.4.10.0.0.1|2|2\n"
                "1.3.6.1.2.1.4.34.1.6.1.4.10.0.0.1|2|2\n"), // duplicate
        diag);
    REQUIRE(addrs.size() == 1);
    CHECK(addrs[0] ==
          model::Address{model::Family::ipv4, "10.0.0.1", std::nullopt, std::nullopt, "manual"});
    CHECK(diag.take() ==
          std::vector<std::string>{
              "x: 1.3.6.1.2.1.4.34.1.3.1.4.10.0: malformed ipAddressTable index; row ignored",
              "x: 1.3.6.1.2.1.4.34.1.3.9.4.10.0.0.1: malformed ipAddressTable index; row ignored",
              "x: 1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.300: malformed ipAddressTable index; row "
              "ignored",
              "x: 1.3.6.1.2.1.4.34.1.3.1.4.10.0.0.1: expected an ifIndex (INTEGER "
              "1..2147483647); value ignored",
              "x: 1.3.6.1.2.1.4.34.1.5.1.4.10.0.0.1: ipAddressPrefix does not point into "
              "ipAddressPrefixTable; prefix length unknown",
              "x: 1.3.6.1.2.1.4.34.1.6.1.4.10.0.0.1: duplicate row; ignored"});
}

TEST_CASE("ipAddrTable: legacy IPv4 addresses with netmasks", "[probes][mib][ip]") {
    Diagnostics diag("cpe");
    auto addrs = mib::decode_ip_addr_table(fixture("legacy_router.snmprec"), diag);
    REQUIRE(addrs.size() == 2);
    CHECK(addrs[0] == model::Address{model::Family::ipv4, "10.30.1.1", 30, 4, std::nullopt});
    CHECK(addrs[1] == model::Address{model::Family::ipv4, "192.168.1.1", 24, 1, std::nullopt});
    CHECK(diag.take().empty());
}

TEST_CASE("ipAddrTable: bad masks and indexes", "[probes][mib][ip]") {
    Diagnostics diag("y");
    auto addrs = mib::decode_ip_addr_table(snmprec("1.3.6.1.2.1.4.20.1.2.10.0.0|2|1\n"
                                                   "1.3.6.1.2.1.4.20.1.3.10.0.0.1|64|255.0.255.0\n"
                                                   "1.3.6.1.2.1.4.20.1.2.10.0.0.1|2|0\n"),
                                           diag);
    REQUIRE(addrs.size() == 1);
    CHECK_FALSE(addrs[0].prefix_length);
    CHECK_FALSE(addrs[0].if_index);
    CHECK(diag.take().size() == 3);
}

TEST_CASE("ipv6AddrTable: the IPV6-MIB fallback", "[probes][mib][ip]") {
    Diagnostics diag("mikrotik");
    auto addrs = mib::decode_ipv6_addr_table(
        snmprec("1.3.6.1.2.1.55.1.8.1.2.2.254.128.0.0.0.0.0.0.102.209.84.255.254.154.81.60|2|64\n"
                "1.3.6.1.2.1.55.1.8.1.3.2.254.128.0.0.0.0.0.0.102.209.84.255.254.154.81.60|2|1\n"
                "1.3.6.1.2.1.55.1.8.1.2.7.32.2.185.6.188.48.0.0.0.0.0.0.0.0.0.1|2|128\n"
                "1.3.6.1.2.1.55.1.8.1.3.7.32.2.185.6.188.48.0.0.0.0.0.0.0.0.0.1|2|3\n"
                "1.3.6.1.2.1.55.1.8.1.2.7.32.2|2|64\n"
                "1.3.6.1.2.1.55.1.8.1.2.9.32.2.185.6.188.48.0.0.0.0.0.0.0.0.0.2|2|200\n"),
        diag);
    REQUIRE(addrs.size() == 3);
    CHECK(addrs[0] ==
          model::Address{model::Family::ipv6, "fe80::66d1:54ff:fe9a:513c", 64, 2, "linklayer"});
    CHECK(addrs[1] ==
          model::Address{model::Family::ipv6, "2002:b906:bc30::1", 128, 7, std::nullopt});
    CHECK_FALSE(addrs[2].prefix_length);
    CHECK(diag.take() ==
          std::vector<std::string>{
              "mikrotik: 1.3.6.1.2.1.55.1.8.1.2.7.32.2: malformed ipv6AddrTable index; row ignored",
              "mikrotik: 1.3.6.1.2.1.55.1.8.1.2.9.32.2.185.6.188.48.0.0.0.0.0.0.0.0.0.2: expected "
              "a prefix length (INTEGER 0..128); value ignored"});
}

TEST_CASE("CISCO-IETF-IP-MIB: the draft ipAddressTable of older IOS", "[probes][mib][ip]") {
    Diagnostics diag("ios");
    auto addrs = mib::decode_cisco_ip_address_table(
        snmprec("1.3.6.1.4.1.9.10.86.1.1.2.1.3.2.16.32.1.13.184.0.1.0.0.0.0.0.0.0.0.0.1|2|5\n"
                "1.3.6.1.4.1.9.10.86.1.1.2.1.5.2.16.32.1.13.184.0.1.0.0.0.0.0.0.0.0.0.1|6|"
                "1.3.6.1.4.1.9.10.86.1.1.1.1.5.5.2.16.32.1.13.184.0.1.0.0.0.0.0.0.0.0.0.0.64\n"),
        diag);
    REQUIRE(addrs.size() == 1);
    CHECK(addrs[0] == model::Address{model::Family::ipv6, "2001:db8:1::1", 64, 5, std::nullopt});
    CHECK(diag.take().empty());
}

TEST_CASE("ipAddressTable: ipv6z written without its zone (Cisco ASA)", "[probes][mib][ip]") {
    Diagnostics diag("asa");
    auto addrs = mib::decode_ip_address_table(
        snmprec("1.3.6.1.2.1.4.34.1.3.4.254.128.0.0.0.0.0.0.2.0.1.255.254.0.0.1|2|4\n"), diag);
    REQUIRE(addrs.size() == 1);
    CHECK(addrs[0].address == "fe80::200:1ff:fe00:1");
    CHECK(addrs[0].if_index == 4u);
    CHECK(diag.take().empty());
}

TEST_CASE("ipAddrTable: an address that is only in the index", "[probes][mib][ip]") {
    Diagnostics diag("ros");
    auto addrs = mib::decode_ip_addr_table(
        snmprec("1.3.6.1.2.1.4.20.1.1.192.168.51.1|64|192.168.51.1\n"), diag);
    REQUIRE(addrs.size() == 1);
    CHECK(addrs[0] == model::Address{model::Family::ipv4, "192.168.51.1", std::nullopt,
                                     std::nullopt, std::nullopt});
}
