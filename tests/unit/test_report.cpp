// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "report/device.hpp"
#include "report/escape.hpp"
#include "report/json.hpp"
#include "report/metrics.hpp"
#include "report/netbox.hpp"
#include "report/table.hpp"

using namespace netinv;
using namespace netinv::report;

TEST_CASE("json: strings are escaped / nulls for unknown values", "[report][json]") {
    CHECK(json_quote("a\"b\\c\n\x01") == R"("a\"b\\c\n\u0001")");
    CHECK(json_quote("Hải Dương") == "\"Hải Dương\"");
    JsonWriter w;
    w.begin_object();
    w.field("s", std::optional<std::string>{});
    w.key("a").begin_array().value(1).value(true).end_array();
    w.key("e").begin_object().end_object();
    w.end_object();
    CHECK(w.str() == "{\n  \"s\": null,\n  \"a\": [\n    1,\n    true\n  ],\n  \"e\": {}\n}\n");
}

TEST_CASE("csv: quoting and formula neutralisation", "[report][csv]") {
    CHECK(csv_cell("plain") == "plain");
    CHECK(csv_cell("a,b") == "\"a,b\"");
    CHECK(csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
    CHECK(csv_cell("+1") == "'+1");
    CHECK(csv_cell("-1") == "'-1");
    CHECK(csv_cell("@SUM(A1)") == "'@SUM(A1)");
    // A spreadsheet that splits on ';' would start a cell with the formula after it.
    CHECK(csv_cell("x;=cmd|' /c calc'!A1") == "\"'x;=cmd|' /c calc'!A1\"");
    CHECK(csv_cell("a; -b") == "\"'a; -b\"");
    CHECK(csv_cell("a;b") == "\"a;b\"");
}

TEST_CASE("csv: device text loses every control and invisible character", "[report][csv]") {
    // Each class once: ESC (CSI), OSC 52 (clipboard write) ended by BEL, NUL, C1 CSI, DEL,
    // bidi override and isolate, zero-width space, BOM; line breaks and tabs become spaces.
    CHECK(csv_cell("a\x1b[2Jb") == "a?[2Jb");
    CHECK(csv_cell("\x1b]52;c;aGk=\x07x") == "\"?]52;c;aGk=?x\"");
    CHECK(csv_cell(std::string("n\0ul", 4)) == "n?ul");
    CHECK(csv_cell("c1\xc2\x9b"
                   "31m") == "c1?31m");
    CHECK(csv_cell("del\x7f") == "del?");
    CHECK(csv_cell("admin\u202Egpj.exe") == "admin?gpj.exe");
    CHECK(csv_cell("\u2066x\u2069") == "?x?");
    CHECK(csv_cell("zero\u200Bwidth\uFEFF") == "zero?width?");
    CHECK(csv_cell("line\r\nbreak\tx") == "line  break x");
}

TEST_CASE("table: colour wraps toned cells only, alignment counts their text", "[report][table]") {
    Table t({"ID", "STATUS", "NOTE"});
    t.add({"1", "fail", "x"}, {Tone::plain, Tone::bad});
    t.add({"22", "pass", "y"}, {Tone::plain, Tone::good, Tone::warn});
    t.add({"3", "unknown", "z"});
    CHECK(t.render() == "ID  STATUS   NOTE\n"
                        "1   fail     x\n"
                        "22  pass     y\n"
                        "3   unknown  z\n");
    CHECK(t.render("", true) == "ID  STATUS   NOTE\n"
                                "1   \x1b[1;31mfail\x1b[0m     x\n"
                                "22  \x1b[32mpass\x1b[0m     \x1b[33my\x1b[0m\n"
                                "3   unknown  z\n");
    // Device text cannot bring its own colour: ESC is replaced before the table adds its own.
    Table evil({"NAME"});
    evil.add({"a\x1b[31mb"}, {Tone::good});
    CHECK(evil.render("", true) == "NAME\n\x1b[32ma?[31mb\x1b[0m\n");
}

TEST_CASE("table: aligned by display width / control characters removed", "[report][table]") {
    Table t({"NAME", "SITE"});
    t.add({"a", "Hải Dương"});
    t.add({"bb\x1b[31m", "x"});
    CHECK(t.render() == "NAME     SITE\n"
                        "a        Hải Dương\n"
                        "bb?[31m  x\n");
}

TEST_CASE("human units", "[report]") {
    CHECK(human_speed(1'000'000'000) == "1G");
    CHECK(human_speed(100'000'000) == "100M");
    CHECK(human_speed(1'544'000) == "1.5M");
    CHECK(human_speed(0) == "0");
    CHECK(human_uptime(8'640'000 + 366'100) == "1d 01:01:01");
}

TEST_CASE("device JSON has every documented key / null when unknown", "[report][json]") {
    model::Device d;
    d.name = "r1";
    d.target_address = "10.0.0.1";
    d.interfaces.resize(1);
    d.interfaces[0].index = 1;
    d.addresses.push_back(model::Address{model::Family::ipv6, "::1", 128, 1, "manual"});
    const std::string j = render_device(d, Format::json);
    for (const char* key :
         {"\"name\": \"r1\"",        "\"sys_name\": null",   "\"sys_descr\": null",
          "\"sys_object_id\": null", "\"vendor\": null",     "\"model\": null",
          "\"serial\": null",        "\"os\": null",         "\"version\": null",
          "\"hardware\": null",      "\"role\": null",       "\"index\": 1",
          "\"descr\": null",         "\"alias\": null",      "\"type\": null",
          "\"speed_bps\": null",     "\"mac\": null",        "\"admin_status\": null",
          "\"oper_status\": null",   "\"family\": \"ipv6\"", "\"address\": \"::1\"",
          "\"prefix_length\": 128",  "\"if_index\": 1",      "\"origin\": \"manual\""}) {
        INFO(key);
        CHECK(j.find(key) != std::string::npos);
    }
}

TEST_CASE("metrics: label values escaped as the exposition format wants, no control bytes",
          "[report][metrics]") {
    CHECK(netinv::report::prometheus_label("Xã Tân Hưng") == "Xã Tân Hưng");
    CHECK(netinv::report::prometheus_label(R"(a"b\c)") == R"(a\"b\\c)");
    CHECK(netinv::report::prometheus_label("a\nb\x1b[31m") == "a\\nb [31m");
    netinv::report::MetricsInput in;
    in.scan_id = 7;
    in.targets = 3;
    in.ok = 2;
    in.failed[netinv::model::Outcome::timeout] = 1;
    in.seconds = 1.5;
    const auto m = netinv::report::render_metrics(in);
    CHECK(m.find("netinv_scan_id 7\n") != std::string::npos);
    CHECK(m.find("netinv_scan_duration_seconds 1.5\n") != std::string::npos);
    CHECK(m.find("netinv_scan_targets_outcome{outcome=\"auth_failure\"} 0\n") != std::string::npos);
    CHECK(m.find("netinv_objective") == std::string::npos); // no plan, no objectives
    CHECK(m.find("netinv_changes") == std::string::npos);   // nothing compared
}

TEST_CASE("netbox: the site tree as regions and sites, devices, interfaces, addresses",
          "[report][netbox]") {
    model::Config c;
    c.sites = {model::Site{"30", "Tỉnh Hải Dương", "province", "", std::nullopt},
               model::Site{"288", "Thành phố Hải Dương", "district", "30", std::nullopt},
               model::Site{"10507", "Phường Tân Bình", "commune", "288", std::nullopt},
               model::Site{"10600", "Phường Tân Bình", "commune", "30", std::nullopt}};
    model::Target t;
    t.name = "cpe-10507";
    t.site = "10507";
    t.role = "cpe";
    c.targets = {t};
    t.name = "dr-288";
    t.site = "288";
    t.role = "router";
    c.targets.push_back(t);
    model::Device d;
    d.name = "cpe-10507";
    d.target_address = "10.20.1.1";
    d.site = "10507";
    d.vendor = "DrayTek";
    d.model = "Vigor2925";
    d.serial = "=cmd|' /c calc'!A1"; // device text: never a formula in a spreadsheet
    model::Interface wan;
    wan.index = 1;
    wan.name = "WAN1";
    wan.type = 6;
    wan.speed_bps = 1'000'000'000;
    wan.admin_status = model::IfStatus::up;
    wan.mac = "00:1d:aa:01:02:03";
    model::Interface dup = wan;
    dup.index = 2;
    dup.admin_status = model::IfStatus::down;
    dup.speed_bps = 100'000'000;
    model::Interface lo;
    lo.index = 3;
    lo.name = "lo";
    lo.type = 24;
    d.interfaces = {wan, dup, lo};
    d.addresses = {model::Address{model::Family::ipv4, "10.20.1.1", 30, 1, "manual"},
                   model::Address{model::Family::ipv4, "127.0.0.1", 8, 3, "manual"},
                   model::Address{model::Family::ipv6, "fe80::1%2", 64, 2, "linklayer"},
                   model::Address{model::Family::ipv4, "10.9.9.9", std::nullopt, 1, "manual"}};
    model::Device bare;
    bare.name = "dr-288";
    bare.target_address = "10.30.0.1";
    bare.site = "288";
    const auto files = report::render_netbox(c, {d, bare});
    REQUIRE(files.size() == 8);
    auto file = [&](std::string_view name) {
        for (const auto& f : files) {
            if (f.name == name) {
                return f.csv;
            }
        }
        FAIL("no " << name);
        return std::string();
    };
    // Sites that hold sites are regions, with their parents; the two communes of the same name
    // get their codes, as NetBox wants names unique.
    CHECK(file("01-regions.csv") == "name,slug,parent,description\r\n"
                                    "Tỉnh Hải Dương,r-30,,province 30\r\n"
                                    "Thành phố Hải Dương,r-288,Tỉnh Hải Dương,district 288\r\n");
    CHECK(file("02-sites.csv") ==
          "name,slug,status,region,description\r\n"
          "Thành phố Hải Dương,288,active,Thành phố Hải Dương,district 288\r\n"
          "Phường Tân Bình (10507),10507,active,Thành phố Hải Dương,commune 10507\r\n");
    CHECK(file("03-manufacturers.csv") == "name,slug\r\nDrayTek,draytek\r\nUnknown,unknown\r\n");
    CHECK(file("04-device-types.csv") == "manufacturer,model,slug\r\n"
                                         "DrayTek,Vigor2925,draytek-vigor2925\r\n"
                                         "Unknown,Unknown,unknown-unknown\r\n");
    CHECK(file("05-device-roles.csv") == "name,slug,color\r\ncpe,cpe,4caf50\r\n"
                                         "router,router,f44336\r\n");
    const std::string devices = file("06-devices.csv");
    CHECK(devices.find("cpe-10507,cpe,DrayTek,Vigor2925,Phường Tân Bình (10507),active,"
                       "'=cmd|' /c calc'!A1,") != std::string::npos);
    CHECK(devices.find("dr-288,router,Unknown,Unknown,Thành phố Hải Dương,active,,") !=
          std::string::npos);
    CHECK(file("07-interfaces.csv") ==
          "device,name,type,enabled,mac_address,description\r\n"
          "cpe-10507,WAN1,1000base-t,true,00:1d:aa:01:02:03,\r\n"
          "cpe-10507,WAN1 (ifIndex 2),100base-tx,false,00:1d:aa:01:02:03,\r\n"
          "cpe-10507,lo,virtual,true,,\r\n");
    // The polled address is the device's primary; loopback and prefix-less rows are left out;
    // the zone goes.
    CHECK(file("08-ip-addresses.csv") == "address,status,device,interface,is_primary\r\n"
                                         "10.20.1.1/30,active,cpe-10507,WAN1,true\r\n"
                                         "fe80::1/64,active,cpe-10507,WAN1 (ifIndex 2),false\r\n");
}
