// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "model/gaps.hpp"
#include "report/audit.hpp"
#include "report/escape.hpp"
#include "report/gaps.hpp"
#include "report/html.hpp"

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
    CHECK(english(r.links[0].evidence.back()) == "link prefix shared with dr-288");
    CHECK(r.links[0].upstream == "dr-288");
    CHECK(r.links[0].interface == "WAN1");
    CHECK(r.links[1].status == LinkStatus::degraded);
    CHECK(english(r.links[1].evidence.front()) == "ether1 runs at 4 Mbit/s, below the planned 10");
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
    CHECK(test::english(r.links[0].evidence) ==
          std::vector<std::string>{"no device of the site answered"});
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
    REQUIRE(test::vietnamese_catalog());
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
    CHECK(vi.find("Báo cáo đánh giá kết quả thực hiện kế hoạch") != std::string::npos);
    CHECK(vi.find("Kết nối TSLCD chưa thông") != std::string::npos);
    CHECK(vi.find("suy giảm") != std::string::npos);
    CHECK(report::html_escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;");
    const std::string csv = report::render_gaps(r, c, ctx, report::Format::csv);
    CHECK(csv.starts_with("objective,kind,text,required,observed,met,shortfall,missing"));
}

TEST_CASE("gaps: a district router's labelled downlinks do not become its uplink",
          "[model][gaps][uplink]") {
    Config c = small_province();
    c.site_kinds = default_site_kinds();
    c.targets.push_back(Target{});
    c.targets.back().name = "core-1";
    c.targets.back().site = "ttdl";
    c.targets.back().role = "router";
    Objective o;
    o.id = "tslcd-districts";
    o.kind = ObjectiveKind::coverage;
    o.site_kinds = {"district"};
    o.condition = "tslcd-uplink";
    o.at_least = 100;
    c.plan->objectives = {o};
    Device core = device("core-1", "CORE-1");
    core.addresses = {Address{Family::ipv4, "10.30.0.5", 30, 3, "manual"}};
    // Downlinks first (lowest ifIndex), labelled TSLCD, one of them down; the true uplink last,
    // labelled too, with the core as its LLDP neighbour.
    Device dr = device("dr-288", "DR-288");
    dr.interfaces = {port(1, "Gi0/0/2.101", "TSLCD Phuong Cam Thuong", IfStatus::down, 1e8),
                     port(2, "Gi0/0/2.102", "TSLCD Phuong Binh Han", IfStatus::up, 1e8),
                     port(9, "Gi0/0/0", "TSLCD core-1", IfStatus::up, 1e9)};
    dr.lldp = {Neighbor{2, std::nullopt, "ether1", std::nullopt, "CPE-10510", {}},
               Neighbor{9, std::nullopt, "Gi0/1/1", std::nullopt, "core-1.haiduong.gov.vn", {}}};
    dr.addresses = {Address{Family::ipv4, "10.30.0.6", 30, 9, "manual"}};
    auto r = evaluate(c, {core, dr}, {});
    REQUIRE(r.links.size() == 1);
    CHECK(r.links[0].status == LinkStatus::connected);
    CHECK(r.links[0].interface == "Gi0/0/0");
    CHECK(r.links[0].upstream == "core-1");
    // A real fault on the true uplink: LLDP is gone, the shared prefix still names the port.
    dr.interfaces[2].oper_status = IfStatus::down;
    dr.lldp.pop_back();
    r = evaluate(c, {core, dr}, {});
    CHECK(r.links[0].status == LinkStatus::degraded);
    CHECK(r.links[0].interface == "Gi0/0/0");
    CHECK(test::english(r.links[0].evidence) == std::vector<std::string>{"Gi0/0/0 is not up"});
    // LLDP evidence counts without any label.
    for (auto& i : dr.interfaces) {
        i.alias.reset();
    }
    dr.interfaces[2].oper_status = IfStatus::up;
    dr.addresses.clear();
    dr.lldp.push_back(Neighbor{9, std::nullopt, "Gi0/1/1", std::nullopt, "CORE-1", {}});
    r = evaluate(c, {core, dr}, {});
    CHECK(r.links[0].status == LinkStatus::connected);
    CHECK(r.links[0].interface == "Gi0/0/0");
}

TEST_CASE("gaps: configured uplink, upstream and bandwidth; LLDP contradicting them",
          "[model][gaps][uplink]") {
    Config c = small_province();
    c.site_kinds = default_site_kinds();
    // 10510 is fed through commune 10507, on a contracted 4 Mbit/s.
    c.sites[4].upstream = "10507";
    c.sites[4].bandwidth_bps = 4'000'000;
    c.sites[4].uplink = "ether2";
    Device dr = device("dr-288", "DR-288");
    Device cpe1 = device("cpe-10507", "CPE-10507");
    cpe1.interfaces = {port(1, "ether1", "TSLCD", IfStatus::up, 1e8)};
    cpe1.lldp = {Neighbor{1, std::nullopt, "x", std::nullopt, "DR-288", {}}};
    Device cpe2 = device("cpe-10510", "CPE-10510");
    cpe2.interfaces = {port(1, "ether1", std::nullopt, IfStatus::up, 4'000'000),
                       port(2, "ether2", std::nullopt, IfStatus::up, 4'000'000)};
    cpe2.lldp = {Neighbor{2, std::nullopt, "ether5", std::nullopt, "CPE-10507", {}}};
    auto r = evaluate(c, {dr, cpe1, cpe2}, {});
    REQUIRE(r.links.size() == 2);
    CHECK(r.links[1].site == "10510");
    CHECK(r.links[1].upstream == "cpe-10507");
    CHECK(r.links[1].configured);
    CHECK(r.links[1].status == LinkStatus::connected); // 4 Mbit/s is the contract, not 10
    CHECK(r.links[1].findings.empty());
    // LLDP shows the upstream on ether1, not on the configured ether2: a finding.
    cpe2.lldp = {Neighbor{1, std::nullopt, "ether5", std::nullopt, "CPE-10507", {}},
                 Neighbor{2, std::nullopt, "eth0", std::nullopt, "SOMEONE-ELSE", {}}};
    r = evaluate(c, {dr, cpe1, cpe2}, {});
    CHECK(r.links[1].status == LinkStatus::unverified);
    CHECK(test::english(r.links[1].findings) ==
          std::vector<std::string>{
              "configured uplink ether2: LLDP neighbour SOMEONE-ELSE is not cpe-10507",
              "LLDP shows cpe-10507 on ether1, not on the configured uplink ether2"});
    // A configured uplink that no device has.
    c.sites[4].uplink = "wan9";
    r = evaluate(c, {dr, cpe1, cpe2}, {});
    CHECK(r.links[1].status == LinkStatus::missing);
    CHECK(test::english(r.links[1].evidence) ==
          std::vector<std::string>{
              "configured uplink wan9 is not an interface of any device of the site"});
}

TEST_CASE("gaps: LAN types and TSLCD downlinks", "[model][gaps][lan]") {
    Config c = small_province();
    c.site_kinds = default_site_kinds();
    Objective lan;
    lan.id = "lan";
    lan.kind = ObjectiveKind::coverage;
    lan.site_kinds = {"district"};
    lan.condition = "lan";
    lan.at_least = 100;
    c.plan->objectives = {lan};
    Device dr = device("dr-288", "DR-288");
    // Only TSLCD downlinks up: no LAN.
    dr.interfaces = {port(1, "Gi0/0/2.101", "TSLCD xa", IfStatus::up, 1e8)};
    dr.interfaces[0].type = 135;
    CHECK(evaluate(c, {dr}, {}).objectives[0].missing == std::vector<std::string>{"288"});
    // An H3C Vlan-interface (l3ipvlan, 136) is a LAN.
    Interface svi = port(20, "Vlan-interface10", std::nullopt, IfStatus::up, 1e9);
    svi.type = 136;
    dr.interfaces.push_back(svi);
    CHECK(evaluate(c, {dr}, {}).objectives[0].met);
    // A loopback never is.
    dr.interfaces.back().type = 24;
    CHECK_FALSE(evaluate(c, {dr}, {}).objectives[0].met);
}

TEST_CASE("gaps: a walk cut short is unverified, never missing", "[model][gaps][partial]") {
    Config c = small_province();
    c.site_kinds = default_site_kinds();
    Device router = device("dr-288", "DR-288");
    router.addresses = {Address{Family::ipv4, "10.30.1.5", 30, 1, "manual"}};
    router.partial = {"ip_address"};
    Device cpe1 = device("cpe-10507", "CPE-10507");
    cpe1.partial = {"interfaces"}; // no interfaces came back in time
    Device cpe2 = device("cpe-10510", "CPE-10510");
    cpe2.interfaces = {port(1, "ether1", "TSLCD uplink", IfStatus::up, 1e8)};
    const auto r = evaluate(c, {router, cpe1, cpe2}, {});
    // tslcd: 10507 unverified (cut short), 10510 connected
    CHECK(r.objectives[1].missing.empty());
    REQUIRE(r.objectives[1].unverified.size() == 1);
    CHECK(r.objectives[1].unverified[0].item == "10507");
    CHECK(r.objectives[1].status == ObjectiveStatus::unverified);
    CHECK(r.links[0].status == LinkStatus::unverified);
    // dual-stack on the router: its address walk was cut short
    CHECK(r.objectives[2].missing.empty());
    REQUIRE(r.objectives[2].unverified.size() == 1);
    CHECK(english(r.objectives[2].unverified[0].why) == "address walk cut short");
    CHECK(r.objectives_unverified == 2);
    CHECK(unmet_objectives(r) == 1); // servers: 1 of 2 answered, nothing unverified about it
}

TEST_CASE("gaps: tags, IPv6 levels, deadlines and roll-ups by any kind", "[model][gaps]") {
    Config c = small_province();
    c.site_kinds = default_site_kinds();
    c.sites[3].tags = {"pilot"};
    Objective v6;
    v6.id = "cpe-l1";
    v6.kind = ObjectiveKind::ratio;
    v6.select.roles = {"cpe"};
    v6.select.tags = {"pilot"};
    v6.condition = "ipv6-level";
    v6.min_level = 1;
    v6.at_least = 80;
    v6.deadline = "2025-12-31";
    c.plan->objectives = {v6};
    Device cpe1 = device("cpe-10507", "CPE-10507");
    cpe1.tables = {"ipAddressTable"};
    cpe1.ipv6_address_mib = "IP-MIB";
    cpe1.interfaces = {port(1, "ether1", std::nullopt, IfStatus::up, 1e8)};
    cpe1.addresses = {Address{Family::ipv4, "10.0.0.1", 24, 1, "manual"}};
    GapOptions opt;
    opt.today = "2026-12-01";
    auto r = evaluate(c, {cpe1}, {}, opt);
    REQUIRE(r.objectives[0].total == 1); // only the pilot commune's CPE is selected
    CHECK(r.objectives[0].missing == std::vector<std::string>{"cpe-10507"}); // L0
    CHECK(r.objectives[0].overdue);
    opt.today = "2025-06-01";
    CHECK_FALSE(evaluate(c, {cpe1}, {}, opt).objectives[0].overdue);
    cpe1.addresses.push_back(Address{Family::ipv6, "fe80::1", 64, 1, "linklayer"});
    r = evaluate(c, {cpe1}, {}, opt);
    CHECK(r.objectives[0].met); // link-local on an IPv6 stack: L1
    // Roll-up by the commune kind; a reorganised commune rolls up under its former district.
    Objective lan;
    lan.id = "lan";
    lan.kind = ObjectiveKind::coverage;
    lan.site_kinds = {"commune"};
    lan.condition = "reachable";
    lan.at_least = 100;
    c.plan->objectives = {lan};
    c.former_sites = {Site{"999", "Huyện cũ", "district", "", {}},
                      Site{"11111", "Xã cũ", "commune", "999", {}}};
    c.sites.push_back(Site{"new-1", "Phường mới", "commune", "30", {}});
    c.sites.back().formerly = {"11111"};
    opt.by = "district";
    r = evaluate(c, {cpe1}, {}, opt);
    REQUIRE(r.districts.size() == 2);
    CHECK(r.districts[0].code == "288");
    CHECK(r.districts[0].coverage[0] == std::pair<std::uint32_t, std::uint32_t>{1, 2});
    CHECK(r.districts[1].code == "999");
    CHECK(r.districts[1].coverage[0] == std::pair<std::uint32_t, std::uint32_t>{0, 1});
}

TEST_CASE("gaps: a CDP neighbour is link evidence like LLDP's", "[model][gaps][cdp]") {
    Config c = small_province();
    c.site_kinds = default_site_kinds();
    Device dr = device("dr-288", "DR-288");
    Device cpe = device("cpe-10507", "CPE-10507");
    cpe.interfaces = {port(1, "Gi0/0", std::nullopt, IfStatus::up, 1e8),
                      port(2, "Gi0/1", std::nullopt, IfStatus::up, 1e8)};
    Neighbor n{
        2,     "DR-288.haiduong.gov.vn", "Gi0/0/2.101", std::nullopt, "DR-288.haiduong.gov.vn", {},
        "cdp", "cisco ISR4331/K9"};
    cpe.lldp = {n};
    const auto r = evaluate(c, {dr, cpe}, {});
    REQUIRE_FALSE(r.links.empty());
    CHECK(r.links[0].status == LinkStatus::connected);
    CHECK(r.links[0].interface == "Gi0/1"); // no label: CDP chose it
    const auto evidence = test::english(r.links[0].evidence);
    CHECK(std::ranges::find(evidence, "CDP neighbour DR-288.haiduong.gov.vn") != evidence.end());
}

TEST_CASE("gaps HTML: the headline first, units, Vietnamese numbers, what falls short",
          "[report][gaps][html]") {
    REQUIRE(test::vietnamese_catalog());
    const Config c = small_province();
    Device cpe2 = device("cpe-10510", "CPE-10510");
    cpe2.interfaces = {port(1, "ether1", "TSLCD uplink", IfStatus::up, 4'000'000)};
    const auto r = evaluate(c, {cpe2}, {});
    report::ReportContext ctx{3, "2026-11-27T01:00:00Z", report::Lang::vi};
    const std::string html = report::render_gaps(r, c, ctx, report::Format::html);
    CHECK(html.find("name=\"viewport\"") != std::string::npos);
    CHECK(html.find("<svg") == std::string::npos);
    CHECK(html.find("<style") == std::string::npos);
    // Objectives met, then the communes without a working link, then the budget.
    const auto met = html.find("mục tiêu đạt");
    const auto communes = html.find("xã chưa kết nối TSLCD");
    const auto budget = html.find("tỷ đồng");
    REQUIRE(met != std::string::npos);
    REQUIRE(communes != std::string::npos);
    REQUIRE(budget != std::string::npos);
    CHECK(met < communes);
    CHECK(communes < budget);
    CHECK(html.find("4,00 tỷ đồng") != std::string::npos); // project 6: 4000 million VND
    CHECK(html.find("10510") != std::string::npos);        // the commune that falls short
    ctx.lang = report::Lang::en;
    const std::string en = report::render_gaps(r, c, ctx, report::Format::html);
    CHECK(en.find("4.00 billion VND") != std::string::npos);
}

TEST_CASE("HTML numbers: as each language writes them", "[report][html]") {
    using report::Lang;
    CHECK(report::html::number(1234567.891, 2, Lang::en) == "1,234,567.89");
    CHECK(report::html::number(1234567.891, 2, Lang::vi) == "1.234.567,89");
    CHECK(report::html::number(5.5, 2, Lang::vi) == "5,50");
    CHECK(report::html::number(-0.001, 2, Lang::en) == "0.00");
    CHECK(report::html::number(-12, 0, Lang::en) == "-12");
    CHECK(report::html::number(999, 0, Lang::vi) == "999");
    CHECK(report::html::percent(79, Lang::en) == "79%");
    CHECK(report::html::percent(98.5, Lang::vi) == "98,5%");
    CHECK(report::html::percent(0.25, Lang::en) == "0.2%"); // not rounded to 0 or 100
    CHECK(report::html::percent(99.96, Lang::en) == "100%");
    CHECK(report::html::escape("<a href='x'>&</a>\x1b") ==
          "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;?"); // ESC shown, not passed
}

TEST_CASE("audit summary: headline, failures, regressions, unmet objectives, in each format",
          "[report][audit]") {
    REQUIRE(test::vietnamese_catalog());
    const Config c = small_province();
    const auto r = evaluate(c, {}, {});
    std::vector<model::Change> changes = {{model::ChangeKind::interface_down,
                                           model::Impact::regression, "cpe-10510", "10510",
                                           "ether1 <b>", "up", "down"},
                                          {model::ChangeKind::alias_changed, model::Impact::change,
                                           "core-1", std::nullopt, "ge0", "a", "b"}};
    report::AuditSummary s;
    s.scan_id = 7;
    s.started_at = "2026-11-27T18:46:00Z";
    s.shown_at = "2026-11-28 01:46 +07";
    s.targets = 3;
    s.ok = 2;
    s.failures = {{"cpe-10511", "10.0.0.9", model::Outcome::timeout, "no answer", 0}};
    s.previous_id = 6;
    s.previous_started_at = "2026-11-26T18:46:00Z";
    s.previous_shown = "2026-11-27 01:46 +07";
    s.changes = &changes;
    s.gaps = &r;
    s.plan_id = "4001/KH-UBND";
    s.reports = {"netinv-2026-11-28-scan7-gaps.html"};
    s.lang = report::Lang::vi;

    const std::string html = report::render_audit_summary(s, report::Format::html);
    CHECK(html.find("name=\"viewport\"") != std::string::npos);
    CHECK(html.find("<style") == std::string::npos);
    CHECK(html.find("2/3") != std::string::npos); // targets answered
    CHECK(html.find(fmt::format("{}/{}", r.objectives_met, r.objectives.size())) !=
          std::string::npos);
    CHECK(html.find("cpe-10511") != std::string::npos);
    CHECK(html.find("không trả lời (hết thời gian chờ)") != std::string::npos);
    CHECK(html.find("ether1 &lt;b&gt;") != std::string::npos); // device text escaped
    CHECK(html.find("core-1") == std::string::npos);           // a change, not a regression
    CHECK(html.find("netinv-2026-11-28-scan7-gaps.html") != std::string::npos);
    CHECK(html.find("01:46") != std::string::npos); // the province's time, not UTC

    const std::string md = report::render_audit_summary(s, report::Format::markdown);
    CHECK(md.find("| cpe-10510 | 10510 |") != std::string::npos);
    CHECK(md.find("Kế hoạch 4001/KH-UBND") != std::string::npos);

    const std::string json = report::render_audit_summary(s, report::Format::json);
    CHECK(json.find("\"schema_version\": 1") != std::string::npos);
    CHECK(json.find("\"regressions\": 1") != std::string::npos);
    CHECK(json.find("\"changes\": 1") != std::string::npos);
    CHECK(json.find("\"outcome\": \"timeout\"") != std::string::npos);
    CHECK(report::render_audit_summary(s, report::Format::csv).empty());

    // A commune read from a capture says so, in every format.
    s.captures["cpe-10511"] = {std::nullopt, "/home/tech/cpe-10511.walk", "2026-11-20T03:15:00Z",
                               "2026-11-20 10:15 +07"};
    CHECK(report::render_audit_summary(s, report::Format::html)
              .find("cpe-10511 (thu thập lúc 2026-11-20 10:15 +07)") != std::string::npos);
    CHECK(report::render_audit_summary(s, report::Format::json)
              .find("\"file\": \"/home/tech/cpe-10511.walk\"") != std::string::npos);
    s.captures.clear();
    // The first night: nothing to compare with, and no plan.
    s.previous_id.reset();
    s.gaps = nullptr;
    const std::string first = report::render_audit_summary(s, report::Format::json);
    CHECK(first.find("\"previous_scan\": null") != std::string::npos);
    CHECK(first.find("\"plan\": null") != std::string::npos);
}
