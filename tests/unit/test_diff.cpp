// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "cli/command.hpp"
#include "cli/history.hpp"
#include "helpers.hpp"
#include "model/diff.hpp"
#include "report/diff.hpp"
#include "store/lock.hpp"

using namespace netinv;
using namespace netinv::model;

namespace {

Device box(const std::string& name) {
    Device d;
    d.name = name;
    d.site = "288";
    d.serial = "SN1";
    d.model = "AR6140";
    d.os = "VRP";
    d.version = "V300R021";
    Interface up;
    up.index = 1;
    up.name = "GE0/0/1";
    up.oper_status = IfStatus::up;
    up.speed_bps = 1'000'000'000;
    up.alias = "TSLCD";
    Interface down = up;
    down.index = 2;
    down.name = "GE0/0/2";
    down.oper_status = IfStatus::down;
    d.interfaces = {up, down};
    d.addresses = {Address{Family::ipv4, "10.30.1.1", 30, 1, "manual"},
                   Address{Family::ipv6, "2405:4800:30:1::1", 64, 1, "manual"}};
    d.default_routes = {Route{Family::ipv6, "fe80::1", 1}};
    d.lldp = {Neighbor{1, std::nullopt, "ge-0/0/1", std::nullopt, "DR-288", {}}};
    d.volumes = {Volume{"/", 100, 50}};
    return d;
}

TargetOutcome ok(const std::string& name) {
    return TargetOutcome{name, "10.0.0.1", Outcome::ok, "", 5};
}

TargetOutcome dead(const std::string& name) {
    return TargetOutcome{name, "10.0.0.1", Outcome::timeout, "no answer", 2000};
}

std::vector<Change> run(const Device& a, const Device& b) {
    return diff(Snapshot{{ok(a.name)}, {a}}, Snapshot{{ok(b.name)}, {b}}, DiffOptions{});
}

bool has(const std::vector<Change>& v, ChangeKind k, Impact i, const std::string& subject = "") {
    return std::ranges::any_of(v, [&](const Change& c) {
        return c.kind == k && c.impact == i && (subject.empty() || c.subject == subject);
    });
}

} // namespace

TEST_CASE("diff: an unchanged device has no changes", "[model][diff]") {
    CHECK(run(box("r"), box("r")).empty());
    Device b = box("r");
    b.sys_uptime_cs = 42; // uptime and counters are not changes
    b.counters = {Counter{"1.3.6.1.2.1.4.31.1.1.4.2", 9}};
    CHECK(run(box("r"), b).empty());
}

TEST_CASE("diff: every kind of device change, with its impact", "[model][diff]") {
    const Device a = box("r");
    Device b = a;
    b.serial = "SN2";
    b.version = "V300R022";
    b.model = "AR6280";
    b.interfaces[0].oper_status = IfStatus::down;
    b.interfaces[0].speed_bps = 100'000'000;
    b.interfaces[0].alias = "TSLCD moved";
    b.interfaces[1].oper_status = IfStatus::up;
    Interface extra = b.interfaces[1];
    extra.index = 3;
    extra.name = "GE0/0/3";
    b.interfaces.push_back(extra);
    b.addresses = {Address{Family::ipv4, "10.30.1.5", 30, 1, "manual"},
                   Address{Family::ipv6, "fd00::1", 64, 2, "manual"}};
    b.default_routes.clear();
    b.lldp.clear();
    b.volumes = {Volume{"/", 100, 95}};
    const auto c = run(a, b);
    CHECK(has(c, ChangeKind::device_swapped, Impact::change));
    CHECK(has(c, ChangeKind::firmware_changed, Impact::change));
    CHECK(has(c, ChangeKind::model_changed, Impact::change));
    CHECK(has(c, ChangeKind::interface_down, Impact::regression, "GE0/0/1"));
    CHECK(has(c, ChangeKind::interface_up, Impact::improvement, "GE0/0/2"));
    CHECK(has(c, ChangeKind::interface_added, Impact::change, "GE0/0/3"));
    CHECK(has(c, ChangeKind::speed_changed, Impact::change, "GE0/0/1")); // down: not a regression
    CHECK(has(c, ChangeKind::alias_changed, Impact::change, "GE0/0/1"));
    CHECK(has(c, ChangeKind::address_removed, Impact::regression, "2405:4800:30:1::1/64"));
    CHECK(has(c, ChangeKind::address_removed, Impact::change, "10.30.1.1/30"));
    CHECK(has(c, ChangeKind::address_added, Impact::improvement, "fd00::1/64"));
    CHECK(has(c, ChangeKind::address_added, Impact::change, "10.30.1.5/30"));
    CHECK(has(c, ChangeKind::ipv6_default_lost, Impact::regression));
    CHECK(has(c, ChangeKind::lldp_changed, Impact::regression, "GE0/0/1"));
    CHECK(has(c, ChangeKind::volume_full, Impact::regression, "/"));
    // Regressions first.
    const auto first_other =
        std::ranges::find_if(c, [](const Change& x) { return x.impact != Impact::regression; });
    CHECK(std::all_of(first_other, c.end(),
                      [](const Change& x) { return x.impact != Impact::regression; }));
}

TEST_CASE("diff: a slower link that is up is a regression; removed interfaces", "[model][diff]") {
    const Device a = box("r");
    Device b = a;
    b.interfaces[0].speed_bps = 100'000'000;
    CHECK(has(run(a, b), ChangeKind::speed_changed, Impact::regression));
    Device gone = a;
    gone.interfaces.erase(gone.interfaces.begin()); // an up interface vanished
    CHECK(has(run(a, gone), ChangeKind::interface_removed, Impact::regression, "GE0/0/1"));
    Device gone_down = a;
    gone_down.interfaces.pop_back(); // a down one
    CHECK(has(run(a, gone_down), ChangeKind::interface_removed, Impact::change, "GE0/0/2"));
    Device freed = a;
    freed.volumes = {Volume{"/", 100, 10}};
    Device full = a;
    full.volumes = {Volume{"/", 100, 91}};
    CHECK(has(run(full, freed), ChangeKind::volume_freed, Impact::improvement));
    Device gained = a;
    gained.default_routes.clear();
    gained.ipv6_routers = {Ipv6Router{"fe80::1", 1, 1800}};
    CHECK(run(a, gained).empty()); // a default is a default, learned or static
    Device neighbour = a;
    neighbour.lldp[0].sys_name = "DR-289";
    CHECK(has(run(a, neighbour), ChangeKind::lldp_changed, Impact::change));
}

TEST_CASE("diff: devices added / removed / unreachable / back", "[model][diff]") {
    const Device a = box("a");
    const Device b = box("b");
    const Device c = box("c");
    Snapshot older{{ok("a"), dead("b"), dead("c"), ok("gone")}, {a}};
    Snapshot newer{{dead("a"), ok("b"), ok("c")}, {b, c}};
    DiffOptions opt;
    opt.seen_before = {"a", "c"};
    const auto ch = diff(older, newer, opt);
    REQUIRE(ch.size() == 4);
    CHECK(ch[0].kind == ChangeKind::device_unreachable);
    CHECK(ch[0].target == "a");
    CHECK(ch[0].after == "timeout: no answer");
    CHECK(ch[1].kind == ChangeKind::device_removed);
    CHECK(ch[1].target == "gone");
    CHECK(ch[2].kind == ChangeKind::device_added); // never seen before
    CHECK(ch[2].target == "b");
    CHECK(ch[3].kind == ChangeKind::device_came_back);
    CHECK(ch[3].target == "c");
}

TEST_CASE("diff report: escaping and counts", "[report][diff]") {
    std::vector<Change> v{
        Change{ChangeKind::alias_changed, Impact::change, "=r", "288", "GE|1", "a\x1b[31m", "<b>"}};
    const report::DiffContext ctx{1, "2026-11-26T19:00:00Z", 2, "2026-11-27T19:00:00Z"};
    const auto csv = report::render_diff(v, ctx, report::Format::csv);
    CHECK(csv.find("\n=r") == std::string::npos);
    const auto md = report::render_diff(v, ctx, report::Format::markdown);
    CHECK(md.find("GE\\|1") != std::string::npos);
    const auto table = report::render_diff(v, ctx, report::Format::table);
    CHECK(table.find('\x1b') == std::string::npos);
    CHECK(report::diff_counts(v) == "0 regressions, 1 change, 0 improvements");
    CHECK(report::diff_counts({}) == "no changes");
}

TEST_CASE("write lock: one holder; a dead holder's lock is taken over", "[store][lock]") {
    netinv::test::TempDir dir;
    const auto db = dir.file("inv.db");
    store::WriteLock::Busy busy;
    std::optional<std::string> stale;
    {
        auto a = store::WriteLock::acquire(db, "audit", "2026-11-27T19:00:00Z", busy, stale);
        REQUIRE(a);
        CHECK_FALSE(stale);
        auto b = store::WriteLock::acquire(db, "scan", "2026-11-27T19:00:01Z", busy, stale);
        CHECK_FALSE(b);
        CHECK(busy.holder == fmt::format("pid {} (audit, since 2026-11-27T19:00:00Z)", getpid()));
    }
    // Released cleanly: no stale holder.
    auto c = store::WriteLock::acquire(db, "scan", "now", busy, stale);
    REQUIRE(c);
    CHECK_FALSE(stale);
}

TEST_CASE("write lock: text left by a killed run is reported", "[store][lock]") {
    netinv::test::TempDir dir;
    const auto db = dir.file("inv.db");
    std::ofstream(db + ".lock") << "pid 999999 (audit, since 2026-11-26T19:00:00Z)\n";
    store::WriteLock::Busy busy;
    std::optional<std::string> stale;
    auto l = store::WriteLock::acquire(db, "audit", "now", busy, stale);
    REQUIRE(l);
    CHECK(stale == "pid 999999 (audit, since 2026-11-26T19:00:00Z)");
}

TEST_CASE("scan names: id, latest~N, local date; only complete scans", "[cli][diff]") {
    using store::ScanInfo;
    using store::ScanStatus;
    // Newest first, as Store::scans() gives them; 4 was interrupted.
    const std::vector<ScanInfo> scans = {
        {5, "2026-11-27T19:00:00Z", "", ScanStatus::complete, 3, 0, 0},
        {4, "2026-11-26T19:30:00Z", "", ScanStatus::interrupted, 3, 0, 0},
        {3, "2026-11-26T19:00:00Z", "", ScanStatus::complete, 3, 0, 0},
        {2, "2026-11-25T19:00:00Z", "", ScanStatus::complete, 3, 0, 0},
    };
    std::string why;
    CHECK(cli::select_scan(scans, "latest", why)->id == 5);
    CHECK(cli::select_scan(scans, "latest~1", why)->id == 3); // the interrupted one is skipped
    CHECK(cli::select_scan(scans, "latest~2", why)->id == 2);
    CHECK_FALSE(cli::select_scan(scans, "latest~3", why));
    CHECK(why == "'latest~3': there are only 3 complete scans");
    CHECK(cli::select_scan(scans, "3", why)->id == 3);
    CHECK_FALSE(cli::select_scan(scans, "4", why));
    CHECK(why == "scan 4 is interrupted: only complete scans are compared");
    CHECK_FALSE(cli::select_scan(scans, "9", why));
    CHECK_FALSE(cli::select_scan(scans, "latest~x", why));
    CHECK_FALSE(cli::select_scan(scans, "yesterday", why));
    // A date is the local day a scan started on.
    const auto d = cli::local_date(*cli::parse_iso_utc("2026-11-26T19:00:00Z"));
    // Scan 3 started that day; scan 5 too where the clock is 5 hours or more ahead of UTC.
    const bool five_same_day = cli::local_date(*cli::parse_iso_utc(scans[0].started_at)) == d;
    CHECK(cli::select_scan(scans, d, why)->id == (five_same_day ? 5 : 3));
    CHECK_FALSE(cli::select_scan(scans, "2020-01-01", why));
}

TEST_CASE("diff: a walk cut short on either night is not a change", "[model][diff][partial]") {
    Device cut = box("r");
    cut.default_routes.clear(); // the routes walk timed out tonight
    cut.interfaces.pop_back();
    cut.partial = {"interfaces", "routes"};
    CHECK(run(box("r"), cut).empty()); // no ipv6-default-lost, no interface-removed
    CHECK(run(cut, box("r")).empty()); // nor gained / added the night after
    // What was walked whole still shows its changes.
    cut.addresses.pop_back();
    CHECK(has(run(box("r"), cut), ChangeKind::address_removed, Impact::regression));
}

TEST_CASE("carry_forward: sections of walks cut short come from the last state",
          "[model][partial]") {
    const Device before = box("r");
    Device now = box("r");
    now.default_routes.clear();
    now.lldp.clear();
    now.interfaces.pop_back();
    now.addresses.pop_back();
    now.partial = {"lldp", "routes"};
    carry_forward(before, now);
    CHECK(now.default_routes == before.default_routes);
    CHECK(now.lldp == before.lldp);
    CHECK(now.interfaces.size() == 1); // walked whole: tonight's answer stands
    CHECK(now.addresses.size() == 1);
    CHECK(now.partial == std::vector<std::string>{"lldp", "routes"});
    Device same = box("r");
    same.partial = {"ip_address"};
    same.addresses.clear();
    carry_forward(before, same);
    CHECK(same.addresses == before.addresses);
}

TEST_CASE("diff: says which poller saw what, and when another poller saw a target",
          "[model][diff][poller]") {
    auto north = ok("r");
    north.poller = "north";
    auto south = north;
    south.poller = "south";
    Device b = box("r");
    b.version = "V300R022";
    const auto changes = diff(Snapshot{{north}, {box("r")}}, Snapshot{{south}, {b}}, DiffOptions{});
    REQUIRE(has(changes, ChangeKind::poller_changed, Impact::change));
    const auto moved = std::ranges::find(changes, ChangeKind::poller_changed, &Change::kind);
    CHECK(moved->before == "north");
    CHECK(moved->after == "south");
    CHECK(std::ranges::all_of(changes, [](const Change& c) { return c.seen_by == "south"; }));
    // The same poller both nights, or one poller's database: no such change, no seen_by.
    CHECK_FALSE(has(diff(Snapshot{{north}, {box("r")}}, Snapshot{{north}, {b}}, DiffOptions{}),
                    ChangeKind::poller_changed, Impact::change));
    CHECK(std::ranges::all_of(run(box("r"), b), [](const Change& c) { return c.seen_by.empty(); }));
}
