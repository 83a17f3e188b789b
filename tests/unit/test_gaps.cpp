// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "model/gaps.hpp"
#include "report/gaps.hpp"

using namespace netinv;
using namespace netinv::model;

namespace {

// A small province: one district with two communes, a router, two CPEs and a server.
Config small_province() {
    Config c;
    c.sites = {Site{"30", "Tỉnh", "province", "", std::nullopt},
               Site{"ttdl", "Trung tâm dữ liệu", "datacenter", "30", std::nullopt},
               Site{"288", "Thành phố Hải Dương", "district", "30", std::nullopt},
               Site{"10507", "Phường Cẩm Thượng", "commune", "288", std::nullopt},
               Site{"10510", "Phường Bình Hàn", "commune", "288", std::nullopt}};
    auto target = [](std::string name, std::string site, std::string role) {
        Target t;
        t.name = std::move(name);
        t.address = "127.0.0.1";
        t.site = std::move(site);
        t.role = std::move(role);
        t.credential = "c";
        return t;
    };
    c.targets = {target("dr-288", "288", "router"), target("cpe-10507", "10507", "cpe"),
                 target("cpe-10510", "10510", "cpe"), target("srv-1", "ttdl", "server")};
    Plan p;
    p.id = "4001/KH-UBND";
    Objective servers;
    servers.id = "servers";
    servers.kind = ObjectiveKind::count;
    servers.select.roles = {"server"};
    servers.at_least = 2;
    Objective tslcd;
    tslcd.id = "tslcd";
    tslcd.kind = ObjectiveKind::coverage;
    tslcd.site_kinds = {"commune"};
    tslcd.condition = "tslcd-uplink";
    tslcd.min_bps = 10'000'000;
    tslcd.at_least = 100;
    Objective v6;
    v6.id = "v6";
    v6.kind = ObjectiveKind::ratio;
    v6.select.roles = {"router"};
    v6.condition = "dual-stack";
    v6.at_least = 100;
    p.objectives = {servers, tslcd, v6};
    Project p6;
    p6.number = 6;
    p6.name = "Thuê đường truyền";
    p6.owner = "Sở TT&TT";
    p6.budget_million = 4000;
    p6.objectives = {"tslcd"};
    p.projects = {p6};
    c.plan = p;
    return c;
}

Interface port(std::uint32_t index, std::string name, std::optional<std::string> alias,
               IfStatus oper, std::uint64_t bps) {
    Interface i;
    i.index = index;
    i.name = std::move(name);
    i.alias = std::move(alias);
    i.type = 6;
    i.oper_status = oper;
    i.speed_bps = bps;
    return i;
}

Device device(std::string name, std::string sys_name) {
    Device d;
    d.name = std::move(name);
    d.sys_name = std::move(sys_name);
    return d;
}

} // namespace

TEST_CASE("gaps: count / coverage with link evidence / ratio, with projects", "[model][gaps]") {
    const Config c = small_province();
    Device router = device("dr-288", "DR-288");
    router.interfaces = {port(1, "ge-0/0/1.101", std::nullopt, IfStatus::up, 100'000'000)};
    router.addresses = {Address{Family::ipv4, "10.30.1.5", 30, 1, "manual"},
                        Address{Family::ipv6, "fe80::1", 64, 1, "linklayer"}};
    // cpe-10507: an old firmware uplink without alias, found by the shared /30 prefix.
    Device cpe1 = device("cpe-10507", "CPE-10507");
    cpe1.interfaces = {port(1, "WAN1", std::nullopt, IfStatus::up, 100'000'000),
                       port(2, "LAN", std::nullopt, IfStatus::up, 100'000'000)};
    cpe1.addresses = {Address{Family::ipv4, "10.30.1.6", 30, 1, std::nullopt}};
    // cpe-10510: a TSLCD uplink below the planned 10 Mbit/s.
    Device cpe2 = device("cpe-10510", "CPE-10510");
    cpe2.interfaces = {port(1, "ether1", "TSLCD uplink", IfStatus::up, 4'000'000)};
    Device srv = device("srv-1", "srv-1");
    srv.role = "server";
    const auto r = evaluate(c, {router, cpe1, cpe2, srv}, {});
    REQUIRE(r.objectives.size() == 3);
    CHECK(r.objectives[0].observed == 1);
    CHECK_FALSE(r.objectives[0].met);
    CHECK(r.objectives[0].shortfall == 1);
    CHECK(r.objectives[1].observed == 50);
    CHECK(r.objectives[1].missing == std::vector<std::string>{"10510"});
    CHECK(r.objectives[1].budget_million == 4000);
    REQUIRE(r.objectives[1].projects.size() == 1);
    CHECK(r.objectives[1].projects[0]->number == 6);
    CHECK(r.objectives[2].observed == 0); // link-local IPv6 is not dual-stack
    CHECK(r.objectives[2].missing == std::vector<std::string>{"dr-288"});
    REQUIRE(r.links.size() == 2);
    CHECK(r.links[0].status == LinkStatus::connected);
    CHECK(r.links[0].evidence.back() == "link prefix shared with dr-288");
    CHECK(r.links[0].upstream == "dr-288");
    CHECK(r.links[0].interface == "WAN1");
    CHECK(r.links[1].status == LinkStatus::degraded);
    CHECK(r.links[1].evidence.front() == "ether1 runs at 4 Mbit/s, below the planned 10");
    REQUIRE(r.districts.size() == 1);
    CHECK(r.districts[0].coverage == std::vector<std::pair<std::uint32_t, std::uint32_t>>{{1, 2}});
    CHECK(r.objectives_met == 0);
}

TEST_CASE("gaps: every link status", "[model][gaps]") {
    const Config c = small_province();
    Device router = device("dr-288", "DR-288");
    router.addresses = {Address{Family::ipv4, "10.30.1.5", 30, 1, "manual"}};
    Device missing = device("cpe-10507", "CPE-10507"); // Internet line only
    missing.interfaces = {port(1, "ether1", "Internet FTTH", IfStatus::up, 100'000'000)};
    missing.addresses = {Address{Family::ipv4, "100.64.1.2", 30, 1, "manual"}};
    Device wrong = device("cpe-10510", "CPE-10510"); // LLDP says another router
    wrong.interfaces = {port(1, "ether1", "TSLCD uplink", IfStatus::up, 100'000'000)};
    wrong.lldp = {Neighbor{1, std::nullopt, "x", std::nullopt, "SOMEONE-ELSE", {}}};
    auto r = evaluate(c, {router, missing, wrong}, {});
    CHECK(r.links[0].status == LinkStatus::missing);
    CHECK(r.links[1].status == LinkStatus::unverified);
    r = evaluate(c, {router}, {}); // no CPE answered
    CHECK(r.links[0].status == LinkStatus::unverified);
    CHECK(r.links[0].evidence == std::vector<std::string>{"no device of the site answered"});
    Device down = device("cpe-10507", "CPE-10507");
    down.interfaces = {port(1, "ether1", "TSLCD uplink", IfStatus::down, 100'000'000)};
    r = evaluate(c, {router, down}, {});
    CHECK(r.links[0].status == LinkStatus::degraded);
}

TEST_CASE("gaps: IPv6 address scopes for the conditions", "[model][gaps]") {
    CHECK(global_ipv6("2405:4800:30::1"));
    CHECK_FALSE(global_ipv6("2001:db8::1"));         // documentation
    CHECK_FALSE(global_ipv6("2002:c000:201::1"));    // 6to4
    CHECK_FALSE(global_ipv6("2001:0:4136:e378::1")); // Teredo
    CHECK_FALSE(global_ipv6("fd00::1"));
    CHECK(usable_ipv6("fd00::1"));
    CHECK_FALSE(usable_ipv6("fe80::1"));
    CHECK_FALSE(usable_ipv6("::1"));
    CHECK_FALSE(usable_ipv6("not an address"));
}

TEST_CASE("gaps report: device text is escaped / labels in Vietnamese", "[report][gaps]") {
    const Config c = small_province();
    Device evil = device("cpe-10510", "CPE");
    evil.interfaces = {port(1, "<script>alert(1)</script>", "TSLCD\x1b[2J", IfStatus::down, 1)};
    const auto r = evaluate(c, {evil}, {});
    report::ReportContext ctx{7, "2026-11-27T01:00:00Z", report::Lang::en};
    const std::string html = report::render_gaps(r, c, ctx, report::Format::html);
    CHECK(html.find("<script>") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("\x1b") == std::string::npos);
    const std::string table = report::render_gaps(r, c, ctx, report::Format::table);
    CHECK(table.find("\x1b") == std::string::npos);
    ctx.lang = report::Lang::vi;
    const std::string vi = report::render_gaps(r, c, ctx, report::Format::markdown);
    CHECK(vi.find("Báo cáo khoảng cách so với kế hoạch") != std::string::npos);
    CHECK(vi.find("Kết nối TSLCD chưa thông") != std::string::npos);
    CHECK(vi.find("suy giảm") != std::string::npos);
    CHECK(report::html_escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
    const std::string csv = report::render_gaps(r, c, ctx, report::Format::csv);
    CHECK(csv.starts_with("objective,kind,text,required,observed,met,shortfall,missing"));
}
