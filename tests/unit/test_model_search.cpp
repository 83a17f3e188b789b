// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "model/search.hpp"

using namespace netinv::model;

namespace {

std::vector<Device> devices() {
    Device core;
    core.name = "core-1";
    core.target_address = "10.20.0.1";
    core.sys_name = "CORE-1.haiduong.gov.vn";
    core.serial = "FOC1234X0AB";
    core.model = "WS-C3850-24T";
    core.site = "hd";
    core.role = "l3-switch";
    core.vendor = "Cisco";
    Interface gi;
    gi.index = 3;
    gi.name = "Gi1/0/1";
    gi.mac = "00:1b:54:aa:bb:01";
    core.interfaces.push_back(gi);
    core.addresses.push_back({Family::ipv4, "10.20.1.1", 24, 3, std::nullopt});
    core.addresses.push_back({Family::ipv6, "fe80::21b:54ff:feaa:bb01%3", 64, 3, std::nullopt});
    core.addresses.push_back({Family::ipv6, "2001:db8:1::1", 64, 3, std::nullopt});
    core.neighbor_cache.push_back({Family::ipv4, "10.20.1.55", "3c:52:82:00:00:07", 3});
    core.neighbor_cache.push_back({Family::ipv6, "2001:db8:1::55", "3c:52:82:00:00:07", 3});
    Neighbor n;
    n.local_port = 3;
    n.chassis_id = "00:1b:54:cc:dd:02";
    n.port_id = "Gi0/24";
    n.sys_name = "xa-tan-hung-sw";
    n.management_addresses = {"10.20.9.2"};
    core.lldp.push_back(n);
    Device srv;
    srv.name = "srv-db";
    srv.target_address = "2001:db8:1::10";
    srv.serial = "001122334455"; // a serial that looks like a MAC
    srv.site = "w1";
    srv.role = "server";
    srv.vendor = "Dell";
    return {core, srv};
}

} // namespace

TEST_CASE("search: MACs in any notation, and what is not one", "[model][search]") {
    CHECK(mac_digits("00:1B:54:AA:BB:01") == "001b54aabb01");
    CHECK(mac_digits("00-1b-54-aa-bb-01") == "001b54aabb01");
    CHECK(mac_digits("001b.54aa.bb01") == "001b54aabb01");
    CHECK(mac_digits("001B54AABB01") == "001b54aabb01");
    CHECK(mac_digits("00:1b:54") == "001b54"); // an OUI
    CHECK_FALSE(mac_digits("10.20.1"));        // an address's start
    CHECK_FALSE(mac_digits("2001:db8"));       // IPv6 groups
    CHECK_FALSE(mac_digits("00:1b:54:aa:bb:01:02"));
    CHECK_FALSE(mac_digits("0:1b"));
    CHECK_FALSE(mac_digits("core-1"));
    CHECK_FALSE(mac_digits("aa"));
    CHECK_FALSE(mac_digits(""));
}

TEST_CASE("search: what kind a query is", "[model][search]") {
    CHECK(parse_query("10.20.1.1").kind == QueryKind::address);
    CHECK(parse_query("2001:DB8:1::1").kind == QueryKind::address);
    CHECK(parse_query("2001:db8:1::1").prefix->text == "2001:db8:1::1/128");
    CHECK(parse_query("10.20.1.0/24").kind == QueryKind::prefix);
    CHECK(parse_query("10.20.1.9/24").kind == QueryKind::text); // host bits: not a prefix
    CHECK(parse_query("00:1b:54").kind == QueryKind::mac);
    CHECK(parse_query("Tan-Hung").kind == QueryKind::text);
    CHECK(parse_query("Tan-Hung").text == "tan-hung");
}

TEST_CASE("search: names, addresses with prefixes, MACs, serials, neighbours, caches",
          "[model][search]") {
    const auto d = devices();
    auto fields = [&](std::string_view q) {
        std::vector<std::string> out;
        for (const auto& h : search(d, parse_query(q))) {
            out.push_back(h.device + " " + h.field + " " + h.value +
                          (h.where.empty() ? "" : " @" + h.where));
        }
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(fields("core") == V{"core-1 name core-1", "core-1 sysName CORE-1.haiduong.gov.vn"});
    CHECK(fields("foc1234") == V{"core-1 serial FOC1234X0AB"});
    CHECK(fields("10.20.1.1") == V{"core-1 address 10.20.1.1/24 @Gi1/0/1"});
    CHECK(fields("10.20.1.0/24") == V{"core-1 address 10.20.1.1/24 @Gi1/0/1",
                                      "core-1 ARP 10.20.1.55 3c:52:82:00:00:07 @Gi1/0/1"});
    CHECK(fields("10.20.") == V{"core-1 polled address 10.20.0.1",
                                "core-1 address 10.20.1.1/24 @Gi1/0/1",
                                "core-1 ARP 10.20.1.55 3c:52:82:00:00:07 @Gi1/0/1",
                                "core-1 LLDP xa-tan-hung-sw port Gi0/24 @Gi1/0/1"});
    CHECK(fields("2001:db8:1::/48") == V{"core-1 address 2001:db8:1::1/64 @Gi1/0/1",
                                         "core-1 ND 2001:db8:1::55 3c:52:82:00:00:07 @Gi1/0/1",
                                         "srv-db polled address 2001:db8:1::10"});
    CHECK(fields("fe80::21b:54ff:feaa:bb01") ==
          V{"core-1 address fe80::21b:54ff:feaa:bb01%3/64 @Gi1/0/1"});
    CHECK(fields("001b.54aa.bb01") == V{"core-1 interface MAC 00:1b:54:aa:bb:01 @Gi1/0/1"});
    CHECK(fields("00-1B-54") == V{"core-1 interface MAC 00:1b:54:aa:bb:01 @Gi1/0/1",
                                  "core-1 LLDP xa-tan-hung-sw port Gi0/24 @Gi1/0/1"});
    CHECK(fields("3C52.8200.0007") == V{"core-1 ARP 10.20.1.55 3c:52:82:00:00:07 @Gi1/0/1",
                                        "core-1 ND 2001:db8:1::55 3c:52:82:00:00:07 @Gi1/0/1"});
    CHECK(fields("tan-hung") == V{"core-1 LLDP xa-tan-hung-sw port Gi0/24 @Gi1/0/1"});
    CHECK(fields("10.20.9.2") == V{"core-1 LLDP xa-tan-hung-sw port Gi0/24 @Gi1/0/1"});
    CHECK(fields("001122334455") == V{"srv-db serial 001122334455"}); // a MAC-shaped serial
    CHECK(fields("nothing-here").empty());
}

TEST_CASE("search: show finds a device by name, address, serial or MAC", "[model][search]") {
    const auto d = devices();
    auto names = [&](std::string_view key) {
        std::vector<std::string> out;
        for (const auto* x : find_devices(d, key)) {
            out.push_back(x->name);
        }
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(names("core-1") == V{"core-1"});
    CHECK(names("10.20.0.1") == V{"core-1"});
    CHECK(names("10.20.1.1") == V{"core-1"});
    CHECK(names("2001:DB8:1::10") == V{"srv-db"});
    CHECK(names("foc1234x0ab") == V{"core-1"});
    CHECK(names("001B.54AA.BB01") == V{"core-1"});
    CHECK(names("001122334455") == V{"srv-db"}); // the serial, though MAC-shaped
    CHECK(names("10.20.1.55").empty());          // an ARP entry is not the device
    // An address two devices hold names both; the one a device is polled at names it alone.
    auto two = d;
    two[1].addresses.push_back({Family::ipv4, "10.20.1.1", 24, 1, std::nullopt});
    two[1].addresses.push_back({Family::ipv4, "10.20.0.1", 32, 1, std::nullopt});
    CHECK(find_devices(two, "10.20.1.1").size() == 2);
    CHECK(find_devices(two, "10.20.0.1").size() == 1);
    CHECK(find_devices(two, "10.20.0.1").front()->name == "core-1");
    CHECK(names("core").empty());
}

TEST_CASE("search: devices filtered by site subtree, role and vendor", "[model][search]") {
    Config c;
    for (const auto& [code, parent] :
         std::vector<std::pair<std::string, std::string>>{{"hd", ""}, {"d1", "hd"}, {"w1", "d1"}}) {
        Site s;
        s.code = code;
        s.parent = parent;
        c.sites.push_back(s);
    }
    const auto d = devices();
    DeviceFilter f;
    f.site = "d1";
    CHECK_FALSE(matches(&c, d[0], f));                         // hd is above d1
    CHECK(matches(&c, d[1], f));                               // w1 is under it
    CHECK(matches(nullptr, d[1], DeviceFilter{"w1", {}, {}})); // no tree: the site itself
    CHECK_FALSE(matches(nullptr, d[1], f));
    CHECK(matches(&c, d[0], DeviceFilter{{}, "L3-Switch", "cisco"}));
    CHECK_FALSE(matches(&c, d[0], DeviceFilter{{}, "router", {}}));
    CHECK(matches(&c, d[0], DeviceFilter{}));
    Target t;
    t.site = "w1";
    t.role = "server";
    CHECK(matches(&c, &t, DeviceFilter{"hd", "server", {}}));
    CHECK_FALSE(matches(&c, &t, DeviceFilter{{}, {}, "Dell"})); // no answer, no vendor
    CHECK_FALSE(matches(&c, nullptr, f));
}
