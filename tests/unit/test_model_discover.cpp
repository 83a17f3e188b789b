// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "model/discover.hpp"
#include "model/net.hpp"

using namespace netinv::model;

TEST_CASE("net: prefixes of either family, host bits refused with the prefix meant",
          "[model][net][discover]") {
    auto p = parse_prefix("10.20.0.0/22");
    REQUIRE(p);
    CHECK(p->family == Family::ipv4);
    CHECK(p->text == "10.20.0.0/22");
    CHECK(prefix_contains(*p, "10.20.3.255"));
    CHECK_FALSE(prefix_contains(*p, "10.20.4.0"));
    CHECK_FALSE(prefix_contains(*p, "::ffff:10.20.0.1")); // another family
    auto v6 = parse_prefix("2001:DB8:1::/48");
    REQUIRE(v6);
    CHECK(v6->text == "2001:db8:1::/48");
    CHECK(prefix_contains(*v6, "2001:db8:1:ffff::1"));
    CHECK(prefix_contains(*v6, "2001:db8:1::1%eth0")); // a zone does not hide the address
    CHECK_FALSE(prefix_contains(*v6, "2001:db8:2::1"));
    CHECK_FALSE(prefix_contains(*v6, "10.20.0.1"));
    CHECK(parse_prefix("10.1.2.3")->text == "10.1.2.3/32"); // a host
    CHECK(parse_prefix("0.0.0.0/0")->length == 0);
    CHECK(prefix_contains(*parse_prefix("0.0.0.0/0"), "192.0.2.1"));
    CHECK(parse_prefix("10.20.1.5/24").error() ==
          "'10.20.1.5/24' has host bits set: the prefix is 10.20.1.0/24");
    CHECK(parse_prefix("2001:db8::1/64").error() ==
          "'2001:db8::1/64' has host bits set: the prefix is 2001:db8::/64");
    CHECK(parse_prefix("10.0.0.0/33").error() ==
          "the prefix length of '10.0.0.0/33' is not 0 to 32");
    CHECK(parse_prefix("::/129").error() == "the prefix length of '::/129' is not 0 to 128");
    CHECK(parse_prefix("10.0.0.0/").error() == "the prefix length of '10.0.0.0/' is not 0 to 32");
    CHECK(parse_prefix("10.0.0.0/2x").error() ==
          "the prefix length of '10.0.0.0/2x' is not 0 to 32");
    CHECK(parse_prefix("commune/24").error() == "'commune' is not an IPv4 or IPv6 address");
    CHECK_FALSE(parse_prefix(std::string_view("10.0.0.0\0/8", 11)));
}

TEST_CASE("discover: a target name from sysName", "[model][discover]") {
    CHECK(name_from_sys_name("core-1.haiduong.gov.vn", "10.0.0.1") == "core-1");
    CHECK(name_from_sys_name("SW_3750-Tang2", "10.0.0.1") == "sw_3750-tang2");
    CHECK(name_from_sys_name("Phòng Họp 1", "10.0.0.1") == "ph-ng-h-p-1");
    CHECK(name_from_sys_name("--edge--", "10.0.0.1") == "edge");
    CHECK(name_from_sys_name(std::string(100, 'a'), "10.0.0.1") == std::string(64, 'a'));
    // No name, or one that is no name: the address.
    CHECK(name_from_sys_name(std::nullopt, "10.20.1.7") == "host-10-20-1-7");
    CHECK(name_from_sys_name("", "2001:db8::7") == "host-2001-db8-7");
    CHECK(name_from_sys_name("10.20.1.7", "10.20.1.7") == "host-10-20-1-7");
    CHECK(name_from_sys_name("...", "10.20.1.7") == "host-10-20-1-7");
    CHECK(name_from_sys_name("\x1b[31m", "::1") == "31m");
}

TEST_CASE("discover: proposals are unique, in the longest prefix's site, known ones named",
          "[model][discover]") {
    Config c;
    auto site = [&](std::string code, std::string parent) {
        Site s;
        s.code = std::move(code);
        s.name = s.code;
        s.parent = std::move(parent);
        c.sites.push_back(std::move(s));
    };
    auto target = [&](std::string name, std::string address) {
        Target t;
        t.name = std::move(name);
        t.address = std::move(address);
        c.targets.push_back(std::move(t));
    };
    site("hp", "");
    site("w1", "hp");
    c.sites[0].prefixes = {*parse_prefix("10.20.0.0/16"), *parse_prefix("2001:db8::/32")};
    c.sites[1].prefixes = {*parse_prefix("10.20.1.0/24")};
    target("Core", "10.20.0.1");
    target("old", "2001:db8:0::9");
    const std::vector<Answered> answered = {
        {"10.20.0.1", "core.example"}, // configured already
        {"10.20.1.1", "core"},         // its name is taken (case-insensitively)
        {"10.20.1.2", "CORE"},         // and again
        {"10.20.9.9", std::nullopt},   // no sysName
        {"2001:db8::9", "old-router"}, // configured, by its canonical address
        {"192.0.2.1", "edge"},         // in no site's prefixes
    };
    const auto p = propose_targets(c, answered);
    REQUIRE(p.size() == 6);
    CHECK(p[0].known_as == "Core");
    CHECK(p[0].name == "Core");
    CHECK(p[1].name == "core-2");
    CHECK(p[1].site->code == "w1"); // the /24 wins over the /16
    CHECK(p[2].name == "core-3");
    CHECK(p[3].name == "host-10-20-9-9");
    CHECK(p[3].site->code == "hp");
    CHECK(p[4].known_as == "old");
    CHECK(p[4].site->code == "hp");
    CHECK(p[5].name == "edge");
    CHECK(p[5].site == nullptr);
    CHECK_FALSE(p[5].known_as);
}
