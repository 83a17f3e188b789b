// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <catch2/catch.hpp>

#include "model/net.hpp"

using namespace netinv::model;

namespace {
std::string v6(std::array<std::uint8_t, 16> b) {
    return format_ipv6(b);
}
} // namespace

TEST_CASE("net: IPv6 text follows RFC 5952", "[model][net]") {
    CHECK(v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}) == "::1");
    CHECK(v6({}) == "::");
    CHECK(v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}) == "2001:db8::1");
    // A single zero group is not shortened (section 4.2.2).
    CHECK(v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}) ==
          "2001:db8:0:1:1:1:1:1");
    // The longest run is shortened; on a tie, the first (section 4.2.3).
    CHECK(v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}) == "2001:db8::1:0:0:1");
    CHECK(v6({0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}) == "2001:0:0:1::1");
    CHECK(v6({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x1a, 0x2b, 0xff, 0xfe, 0x3c, 0x4d, 0x5e}) ==
          "fe80::21a:2bff:fe3c:4d5e");
    // IPv4-mapped keeps the dotted tail.
    CHECK(v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}) == "::ffff:192.0.2.1");
    CHECK(v6({0x20, 0x01, 0x0d, 0xb8, 0xab, 0xcd, 0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 0}) ==
          "2001:db8:abcd:1234::");
}

TEST_CASE("net: parse_ip canonicalises and rejects non-addresses", "[model][net]") {
    auto a = parse_ip("2001:DB8:0:0:0:0:0:1");
    REQUIRE(a);
    CHECK(a->family == Family::ipv6);
    CHECK(a->canonical == "2001:db8::1");
    auto b = parse_ip("10.0.0.1");
    REQUIRE(b);
    CHECK(b->family == Family::ipv4);
    CHECK(b->canonical == "10.0.0.1");
    CHECK_FALSE(parse_ip("10.0.0.256"));
    CHECK_FALSE(parse_ip("[::1]"));
    CHECK_FALSE(parse_ip("router.example"));
    CHECK_FALSE(parse_ip(""));
}

TEST_CASE("net: MAC only for 6-byte addresses", "[model][net]") {
    CHECK(format_mac(std::string("\x00\x1a\x2b\x3c\x4d\xff", 6)) == "00:1a:2b:3c:4d:ff");
    CHECK_FALSE(format_mac(""));
    CHECK_FALSE(format_mac(std::string(8, 'x')));
}

TEST_CASE("net: host names per RFC 1123", "[model][net]") {
    CHECK(is_host_name("core-1.haiduong.gov.vn"));
    CHECK(is_host_name("r1"));
    CHECK_FALSE(is_host_name("-r1"));
    CHECK_FALSE(is_host_name("r1-"));
    CHECK_FALSE(is_host_name("a..b"));
    CHECK_FALSE(is_host_name("has space"));
    CHECK_FALSE(is_host_name(std::string(64, 'a')));
    CHECK_FALSE(is_host_name(""));
    // An all-numeric last label is a mistyped IPv4 address, never a name (RFC 3696 section 2).
    CHECK_FALSE(is_host_name("10.0.0.300"));
    CHECK(is_host_name("3com.example"));
}

TEST_CASE("net: netmask to prefix length", "[model][net]") {
    CHECK(netmask_prefix(std::array<std::uint8_t, 4>{255, 255, 255, 0}) == 24);
    CHECK(netmask_prefix(std::array<std::uint8_t, 4>{0, 0, 0, 0}) == 0);
    CHECK(netmask_prefix(std::array<std::uint8_t, 4>{255, 255, 255, 255}) == 32);
    CHECK(netmask_prefix(std::array<std::uint8_t, 4>{255, 255, 254, 0}) == 23);
    CHECK_FALSE(netmask_prefix(std::array<std::uint8_t, 4>{255, 0, 255, 0}));
}

TEST_CASE("net: IPv4 CIDR blocks give their host addresses", "[model][net]") {
    auto r = parse_ipv4_cidr("10.30.1.77/24");
    REQUIRE(r);
    CHECK(format_ipv4(r->first) == "10.30.1.1");
    CHECK(format_ipv4(r->last) == "10.30.1.254");
    CHECK(r->size() == 254);
    CHECK(parse_ipv4_cidr("10.0.0.1")->size() == 1);
    CHECK(parse_ipv4_cidr("10.0.0.0/31")->size() == 2);
    CHECK(parse_ipv4_cidr("10.0.0.0/16")->size() == 65534);
    CHECK(parse_ipv4_cidr("0.0.0.0/0")->size() == 4294967294ull);
    CHECK(parse_ipv4_cidr("10.0.0.0/x").error() == "invalid prefix length in '10.0.0.0/x'");
    CHECK(parse_ipv4_cidr("host/24").error() == "'host/24' is not an IPv4 address or CIDR block");
}

TEST_CASE("net: addresses that can never be a device to poll", "[model][net]") {
    const auto why = [](std::string_view text) {
        auto ip = netinv::model::parse_ip(text);
        REQUIRE(ip);
        return netinv::model::never_a_device(*ip);
    };
    for (const char* never : {"0.0.0.0", "0.1.2.3", "255.255.255.255", "224.0.0.1",
                              "239.255.255.250", "240.0.0.1", "::", "ff02::1", "ff05::1:3"}) {
        INFO(never);
        CHECK(why(never));
    }
    for (const char* fine : {"127.0.0.1", "10.30.0.1", "223.255.255.254", "::1", "2001:db8::1",
                             "fe80::1", "::ffff:10.0.0.1"}) {
        INFO(fine);
        CHECK_FALSE(why(fine));
    }
    // A NUL inside the text is refused, not cut there.
    CHECK_FALSE(netinv::model::parse_ip(std::string("10.0.0.1\0junk", 13)));
}
