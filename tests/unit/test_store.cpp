// SPDX-License-Identifier: Apache-2.0
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "helpers.hpp"
#include "model/error.hpp"
#include "store/migrations.hpp"
#include "store/sql.hpp"
#include "store/store.hpp"

using namespace netinv;
using netinv::store::Store;

namespace {

model::Device sample_device(const std::string& name) {
    model::Device d;
    d.name = name;
    d.target_address = "127.0.0.1";
    d.site = "Xã Tân Hưng";
    d.sys_name = "sw-01";
    d.sys_descr = "Linux sw-01 6.1";
    d.sys_object_id = "1.3.6.1.4.1.8072.3.2.10";
    d.sys_uptime_cs = 123456;
    d.vendor = "Net-SNMP";
    d.role = "server";
    d.interfaces = {
        model::Interface{1, "lo", "lo", std::nullopt, 24u, 10'000'000u, std::nullopt,
                         model::IfStatus::up, model::IfStatus::up, std::nullopt},
        model::Interface{2, "eth0", "eth0", "uplink to huyện", 6u, 1'000'000'000u,
                         "00:11:22:33:44:55", model::IfStatus::up, model::IfStatus::down, true},
    };
    d.addresses = {
        model::Address{model::Family::ipv4, "127.0.0.1", 8, 1, "manual"},
        model::Address{model::Family::ipv6, "fe80::1", 64, 2, "linklayer"},
        model::Address{model::Family::ipv6, "2001:db8::1", std::nullopt, std::nullopt,
                       std::nullopt},
    };
    d.ipv4_forwarding = false;
    d.ipv6_forwarding = true;
    d.cpus = 4;
    d.memory_bytes = 8'589'934'592;
    d.default_routes = {model::Route{model::Family::ipv4, "192.0.2.1", 2},
                        model::Route{model::Family::ipv6, std::nullopt, 2}};
    d.lldp = {model::Neighbor{
        2, "00:11:22:33:44:55", "ge-0/0/1", std::nullopt, "DR-288", {"10.30.1.5", "fd00::5"}}};
    d.lldp.push_back(model::Neighbor{3,
                                     "acme-fr-s-001",
                                     "GigabitEthernet1/0/3",
                                     std::nullopt,
                                     "acme-fr-s-001",
                                     {"10.54.64.5"},
                                     "cdp",
                                     "cisco WS-C3850-12S"});
    d.hardware = "A03";
    d.neighbor_cache = {model::CacheEntry{model::Family::ipv4, "10.0.0.9", "00:50:56:00:00:09", 2}};
    d.vlans = {model::Vlan{1, "default"}, model::Vlan{30, std::nullopt}};
    d.volumes = {model::Volume{"/", 100'000'000'000, 95'000'000'000}};
    // What the IPv6 checklist reads.
    d.interfaces[1].ipv6_forwarding = false;
    d.interfaces[1].ra_send = true;
    d.interfaces[1].ra_lifetime_s = 1800;
    d.interfaces[1].ra_managed = false;
    d.interfaces[1].ra_other = true;
    d.interfaces[0].tunnel_encaps = 14;
    d.addresses[1].status = "tentative";
    d.addresses[1].anycast = false;
    d.neighbor_cache[0].type = "dynamic";
    d.ipv6_hop_limit = 64;
    d.ipv6_address_mib = "IP-MIB";
    d.tables = {"ipAddressTable", "tcpListenerTable"};
    d.partial = {"routes"};
    d.ipv6_routers = {model::Ipv6Router{"fe80::1", 2, 1800}};
    d.listeners = {model::Listener{"tcp", std::nullopt, "", 22},
                   model::Listener{"udp", model::Family::ipv6, "::", 161}};
    d.counters = {model::Counter{"1.3.6.1.2.1.4.31.1.1.4.2", 18'446'744'073'709'551'000ull}};
    d.ipv6_management = model::ManagementProbe{"2001:db8::1", false, "timeout"};
    model::normalize(d);
    return d;
}

// The database a [backend] test writes: a SQLite file in `dir`, or, when the suite runs against
// PostgreSQL (tests/postgresql/server.sh sets NETINV_TEST_POSTGRESQL), a new database on that
// server. The same test cases run on both.
std::string backend_db(netinv::test::TempDir& dir, const std::string& name) {
    const char* server = std::getenv("NETINV_TEST_POSTGRESQL");
    if (!server || !*server) {
        return dir.file(name);
    }
    static int n = 0;
    const std::string db = fmt::format("t{}_{}", ::getpid(), ++n);
    auto admin = store::sql::open_postgresql(std::string(server) + "/postgres", "netinv tests");
    admin->exec("CREATE DATABASE " + db);
    return std::string(server) + "/" + db;
}

bool on_postgresql(const std::string& db) {
    return store::sql::is_postgresql_url(db);
}

// A raw connection to the test's database, for what the store does not say.
std::unique_ptr<store::sql::Database> raw_db(const std::string& db) {
    return on_postgresql(db) ? store::sql::open_postgresql(db, "netinv tests")
                             : store::sql::open_sqlite(db, false, false);
}

std::int64_t raw_int(const std::string& db, const std::string& sql) {
    return store::sql::query_int(*raw_db(db), sql);
}

} // namespace

TEST_CASE("store: a scan round-trips devices exactly", "[store][backend]") {
    netinv::test::TempDir dir;
    const auto path = backend_db(dir, "inv.db");
    const auto dev = sample_device("sw-01");
    std::int64_t id = 0;
    {
        Store db(path, Store::Mode::read_write_create);
        id = db.begin_scan("2026-11-27T01:00:00Z", 2);
        db.save_target(id, {"sw-01", "127.0.0.1", model::Outcome::ok, "", 12}, &dev);
        db.save_target(id, {"dead", "127.0.0.9", model::Outcome::timeout, "no answer", 3000},
                       nullptr);
        db.finish_scan(id, "2026-11-27T01:00:03Z", store::ScanStatus::complete);
    }
    Store db(path, Store::Mode::read_write);
    auto scan = db.latest_complete_scan();
    REQUIRE(scan);
    CHECK(scan->id == id);
    CHECK(scan->started_at == "2026-11-27T01:00:00Z");
    CHECK(scan->finished_at == "2026-11-27T01:00:03Z");
    CHECK(scan->targets_total == 2);
    auto devices = db.devices(id);
    REQUIRE(devices.size() == 1);
    CHECK(devices[0] == dev);
    CHECK(db.device(id, "sw-01") == dev);
    CHECK_FALSE(db.device(id, "dead"));
    auto outcomes = db.outcomes(id);
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0] ==
          model::TargetOutcome{"dead", "127.0.0.9", model::Outcome::timeout, "no answer", 3000});
    CHECK(outcomes[1].outcome == model::Outcome::ok);
}

TEST_CASE("store: an unfinished or interrupted scan is never the latest complete one",
          "[store][backend]") {
    netinv::test::TempDir dir;
    Store db(backend_db(dir, "inv.db"), Store::Mode::read_write_create);
    const auto dev = sample_device("a");
    auto first = db.begin_scan("2026-11-26T01:00:00Z", 1);
    db.save_target(first, {"a", "127.0.0.1", model::Outcome::ok, "", 1}, &dev);
    db.finish_scan(first, "2026-11-26T01:00:01Z", store::ScanStatus::complete);
    auto second = db.begin_scan("2026-11-27T01:00:00Z", 1);
    db.save_target(second, {"a", "127.0.0.1", model::Outcome::ok, "", 1}, &dev);
    CHECK(db.latest_complete_scan()->id == first); // still running
    db.finish_scan(second, "2026-11-27T01:00:01Z", store::ScanStatus::interrupted);
    CHECK(db.latest_complete_scan()->id == first);
}

TEST_CASE("store: a new database is created at the current schema / in WAL mode", "[store]") {
    netinv::test::TempDir dir;
    const auto path = dir.file("new.db");
    {
        Store db(path, Store::Mode::read_write_create);
        CHECK(db.schema_version() == store::k_schema_version);
    }
    SQLite::Database raw(path);
    CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(raw.execAndGet("PRAGMA user_version").getInt() == store::k_schema_version);
    CHECK(raw.execAndGet("PRAGMA application_id").getInt() == 0x4E494E56);
}

namespace {

// Every table and index of a SQLite file: its SQL, and its columns as SQLite reads them.
std::map<std::string, std::string> schema_of(const std::string& path) {
    SQLite::Database raw(path);
    std::map<std::string, std::string> out;
    SQLite::Statement objects(raw, "SELECT type, name, coalesce(sql, '') FROM sqlite_master "
                                   "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
    while (objects.executeStep()) {
        const std::string type = objects.getColumn(0).getString();
        const std::string name = objects.getColumn(1).getString();
        std::string text = objects.getColumn(2).getString() + "\n";
        SQLite::Statement columns(
            raw, fmt::format("PRAGMA {}_xinfo(\"{}\")", type == "index" ? "index" : "table", name));
        while (columns.executeStep()) {
            for (int i = 0; i < columns.getColumnCount(); ++i) {
                text += columns.getColumn(i).getString() + "|";
            }
            text += "\n";
        }
        out[type + " " + name] = text;
    }
    return out;
}

} // namespace

TEST_CASE("store: a new file's schema (one script made at build time) is what the migrations "
          "leave, applied one version at a time",
          "[store]") {
    netinv::test::TempDir dir;
    const auto fresh = dir.file("fresh.db");
    { Store db(fresh, Store::Mode::read_write_create); }
    const auto stepped = dir.file("stepped.db");
    {
        SQLite::Database raw(stepped, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (const char* step : store::detail::k_migrations) {
            raw.exec(step);
        }
    }
    const auto want = schema_of(stepped);
    CHECK(want.size() > 20);
    CHECK(schema_of(fresh) == want);
    // And a file of version 1 upgraded by netinv: the chain from an old file ends there too.
    const auto old = dir.file("v1.db");
    {
        SQLite::Database raw(old, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec(netinv::test::fixture_text("schema_v1.sql"));
    }
    { Store db(old, Store::Mode::read_write); }
    CHECK(schema_of(old) == want);
}

TEST_CASE("store: an empty SQLite file from before any schema is migrated", "[store]") {
    netinv::test::TempDir dir;
    const auto path = dir.file("v0.db");
    { SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }
    Store db(path, Store::Mode::read_write);
    CHECK(db.schema_version() == store::k_schema_version);
    CHECK_FALSE(db.latest_complete_scan());
}

TEST_CASE("store: foreign / newer and corrupt files are refused untouched", "[store]") {
    netinv::test::TempDir dir;
    const auto other = dir.file("other.db");
    {
        SQLite::Database raw(other, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("CREATE TABLE t (x)");
    }
    CHECK_THROWS_WITH(Store(other, Store::Mode::read_write),
                      other + ": not a netinv database (it holds other data); refusing to change "
                              "it");
    const auto newer = dir.file("newer.db");
    { Store db(newer, Store::Mode::read_write_create); }
    {
        SQLite::Database raw(newer, SQLite::OPEN_READWRITE);
        raw.exec("PRAGMA user_version = 99");
    }
    CHECK_THROWS_WITH(Store(newer, Store::Mode::read_write),
                      newer + ": schema version 99 is newer than this netinv understands (" +
                          std::to_string(store::k_schema_version) + "); upgrade netinv");
    const auto junk = dir.write("junk.db", std::string(4096, 'x'));
    CHECK_THROWS_WITH(Store(junk, Store::Mode::read_write), junk + ": file is not a database");
    CHECK_THROWS_AS(Store(dir.file("missing.db"), Store::Mode::read_write), netinv::Error);
}

TEST_CASE("store: a version 1 database is migrated with its scans intact", "[store]") {
    netinv::test::TempDir dir;
    const auto path = dir.file("v1.db");
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec(netinv::test::fixture_text("schema_v1.sql"));
        REQUIRE(raw.execAndGet("PRAGMA user_version").getInt() == 1);
    }
    Store db(path, Store::Mode::read_write);
    CHECK(db.schema_version() == store::k_schema_version);
    auto scan = db.latest_complete_scan();
    REQUIRE(scan);
    CHECK(scan->started_at == "2026-11-01T01:00:00Z");
    auto d = db.device(scan->id, "core-1");
    REQUIRE(d);
    CHECK(d->sys_name == "HD-CORE-1");
    REQUIRE(d->interfaces.size() == 1);
    CHECK(d->interfaces[0].name == "GigabitEthernet0/0/0");
    CHECK(db.target_states().empty()); // the table version 2 added
}

TEST_CASE("store: what polling learned per target is kept and updated", "[store][backend]") {
    netinv::test::TempDir dir;
    Store db(backend_db(dir, "s.db"), Store::Mode::read_write_create);
    const auto id = db.begin_scan("2026-11-27T01:00:00Z", 1);
    const store::TargetState first{25, 1800, 400};
    db.save_target(id, {"r1", "10.0.0.1", model::Outcome::ok, "", 5}, nullptr, &first);
    CHECK(db.target_states().at("r1") == first);
    const auto id2 = db.begin_scan("2026-11-28T01:00:00Z", 1);
    const store::TargetState second{12, 2100, 300};
    db.save_target(id2, {"r1", "10.0.0.1", model::Outcome::ok, "", 5}, nullptr, &second);
    const store::TargetState nothing{};
    db.save_target(id2, {"r2", "10.0.0.2", model::Outcome::timeout, "x", 5}, nullptr, &nothing);
    CHECK(db.target_states() == std::map<std::string, store::TargetState>{{"r1", second}});
    // A night that measured the round trip but not the walk (the agent stopped answering
    // after the system group) keeps what the walk learned before.
    const auto id3 = db.begin_scan("2026-11-29T01:00:00Z", 1);
    const store::TargetState rtt_only{std::nullopt, 90'000, 20'000};
    db.save_target(id3, {"r1", "10.0.0.1", model::Outcome::ok, "", 5}, nullptr, &rtt_only);
    CHECK(db.target_states().at("r1") == store::TargetState{12, 90'000, 20'000});
}

TEST_CASE("store: targets saved in a batch are committed together, and a failing target takes "
          "its uncommitted batch with it",
          "[store][backend]") {
    netinv::test::TempDir dir;
    const auto path = backend_db(dir, "batch.db");
    const auto dev = sample_device("a");
    const auto stored = [&](std::int64_t id) {
        return raw_int(path, fmt::format("SELECT count(*) FROM observation WHERE first_scan <= {0} "
                                         "AND last_scan >= {0}",
                                         id)) +
               10 *
                   raw_int(path, fmt::format("SELECT count(*) FROM sample WHERE scan_id = {}", id));
    };
    std::int64_t id = 0;
    {
        Store db(path, Store::Mode::read_write_create);
        id = db.begin_scan("2026-12-07T01:00:00Z", 5);
        db.begin_batch();
        db.save_target(id, {"a", "127.0.0.1", model::Outcome::ok, "", 1}, &dev);
        db.save_target(id, {"b", "127.0.0.2", model::Outcome::timeout, "no answer", 9}, nullptr);
        CHECK(db.batch_size() == 2);
        CHECK(stored(id) == 0); // another connection sees nothing before the commit
        db.commit_batch();
        CHECK(db.batch_size() == 0);
        CHECK(stored(id) == 22);
        // The same target twice in one scan breaks its keys: the failure rolls back the
        // batch's uncommitted targets (c) with it, never the committed ones.
        db.save_target(id, {"c", "127.0.0.3", model::Outcome::timeout, "no answer", 9}, nullptr);
        const auto twice = [&] {
            db.save_target(id, {"a", "127.0.0.1", model::Outcome::ok, "", 1}, &dev);
            db.commit_batch(); // PostgreSQL may say so only here
        };
        CHECK_THROWS_AS(twice(), Error);
        CHECK(db.batch_size() == 0);
        CHECK(stored(id) == 22);
        // The store goes on: the next target opens a new batch. The process ends before its
        // commit (as kill -9 would end it): what the batch held is gone, the scan running.
        db.save_target(id, {"d", "127.0.0.4", model::Outcome::timeout, "no answer", 9}, nullptr);
        CHECK(db.batch_size() == 1);
    }
    CHECK(stored(id) == 22);
    {
        Store db(path, Store::Mode::read_write);
        CHECK_FALSE(db.latest_complete_scan());
        for (const auto& f : db.check(false)) {
            CHECK_FALSE(f.error);
        }
        // finish_scan commits the open batch with the status, in one transaction.
        const auto next = db.begin_scan("2026-12-07T02:00:00Z", 1);
        db.begin_batch();
        db.save_target(next, {"e", "127.0.0.5", model::Outcome::timeout, "no answer", 9}, nullptr);
        db.finish_scan(next, "2026-12-07T02:00:01Z", store::ScanStatus::complete);
        CHECK(db.batch_size() == 0);
        REQUIRE(db.latest_complete_scan());
        CHECK(db.latest_complete_scan()->id == next);
        CHECK(stored(next) == 11);
        // Batching ends with the scan: the next target has a transaction of its own.
        const auto third = db.begin_scan("2026-12-07T03:00:00Z", 1);
        db.save_target(third, {"f", "127.0.0.6", model::Outcome::timeout, "no answer", 9}, nullptr);
        CHECK(stored(third) == 11);
    }
}

TEST_CASE("store: an unchanged device is stored once and every scan still reads it whole",
          "[store][history][backend]") {
    netinv::test::TempDir dir;
    const auto path = backend_db(dir, "inv.db");
    Store db(path, Store::Mode::read_write_create);
    auto dev = sample_device("sw-01");
    std::vector<model::Device> seen;
    std::vector<std::int64_t> ids;
    for (int night = 0; night < 4; ++night) {
        // Uptime, counters and volume use change every night; the rest only on night 2.
        dev.sys_uptime_cs = 100'000u + static_cast<std::uint64_t>(night) * 8'640'000u;
        dev.counters[0].value = 1000u + static_cast<std::uint64_t>(night);
        dev.volumes[0].used_bytes = 90'000'000'000u + static_cast<std::uint64_t>(night);
        if (night == 2) {
            dev.serial = "SN-SWAPPED";
        }
        const auto id = db.begin_scan(fmt::format("2026-11-2{}T01:00:00Z", night), 1);
        db.save_target(id, {"sw-01", "127.0.0.1", model::Outcome::ok, "", 12}, &dev);
        db.finish_scan(id, fmt::format("2026-11-2{}T01:00:03Z", night),
                       store::ScanStatus::complete);
        ids.push_back(id);
        seen.push_back(dev);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
        CAPTURE(i);
        const auto got = db.devices(ids[i]);
        REQUIRE(got.size() == 1);
        CHECK(got[0] == seen[i]);
    }
    CHECK(raw_int(path, "SELECT count(*) FROM device") == 2);
    CHECK(raw_int(path, "SELECT count(*) FROM interface") == 4);
    CHECK(raw_int(path, "SELECT last_scan FROM device WHERE serial IS NULL") == ids[1]);
    CHECK(raw_int(path, "SELECT last_scan FROM device WHERE serial = 'SN-SWAPPED'") == ids[3]);
}

TEST_CASE("store: deleting scans keeps every other scan reading as before",
          "[store][history][backend]") {
    netinv::test::TempDir dir;
    const auto path = backend_db(dir, "inv.db");
    Store db(path, Store::Mode::read_write_create);
    auto dev = sample_device("sw-01");
    auto other = sample_device("sw-02");
    std::map<std::int64_t, std::vector<model::Device>> seen;
    for (int night = 0; night < 6; ++night) {
        if (night == 3) {
            dev.serial = "SN-NEW"; // a new state for sw-01 from night 3
        }
        const auto id = db.begin_scan(fmt::format("2026-11-2{}T01:00:00Z", night), 2);
        db.save_target(id, {"sw-01", "127.0.0.1", model::Outcome::ok, "", 12}, &dev);
        if (night == 4) {
            db.save_target(id, {"sw-02", "127.0.0.2", model::Outcome::timeout, "no answer", 9},
                           nullptr);
        } else {
            db.save_target(id, {"sw-02", "127.0.0.2", model::Outcome::ok, "", 12}, &other);
        }
        db.finish_scan(id, fmt::format("2026-11-2{}T01:00:03Z", night),
                       store::ScanStatus::complete);
        seen[id] = db.devices(id);
    }
    auto stable = [](std::vector<model::Device> v) {
        for (auto& d : v) {
            d.sys_uptime_cs.reset();
            d.counters.clear();
            d.volumes.clear();
        }
        return v;
    };
    std::vector<std::int64_t> ids;
    for (const auto& [id, devices] : seen) {
        ids.push_back(id);
    }
    // The first states' owners, and the one sw-02 missed.
    db.delete_scans({ids[0], ids[1], ids[4]});
    std::vector<std::int64_t> left;
    for (const auto& s : db.scans()) {
        left.push_back(s.id);
    }
    CHECK(left == std::vector<std::int64_t>{ids[5], ids[3], ids[2]});
    for (auto id : left) {
        CAPTURE(id);
        CHECK(stable(db.devices(id)) == stable(seen[id]));
        CHECK(db.outcomes(id).size() == 2);
    }
    CHECK(db.check(false).empty());
    CHECK(db.devices(ids[0]).empty());
}

TEST_CASE("store: check explains a missing device, a killed scan and unused states",
          "[store][history][backend]") {
    netinv::test::TempDir dir;
    const auto path = backend_db(dir, "inv.db");
    std::int64_t first = 0;
    {
        Store db(path, Store::Mode::read_write_create);
        const auto dev = sample_device("sw-01");
        const auto id = db.begin_scan("2026-11-27T01:00:00Z", 1);
        db.save_target(id, {"sw-01", "127.0.0.1", model::Outcome::ok, "", 12}, &dev);
        db.finish_scan(id, "2026-11-27T01:00:03Z", store::ScanStatus::complete);
        first = id;
        const auto killed = db.begin_scan("2026-11-28T01:00:00Z", 1); // never finished
        CHECK(db.check(true).empty()); // while a writer holds the lock, it is running
        const auto f = db.check(false);
        REQUIRE(f.size() == 1);
        CHECK_FALSE(f[0].error);
        CHECK(f[0].text.find(fmt::format("scan {} ", killed)) != std::string::npos);
    }
    {
        // Damage: the device a scan refers to is gone (someone edited the database by hand,
        // with the keys' checks off).
        auto raw = raw_db(path);
        raw->exec(on_postgresql(path) ? "SET session_replication_role = replica"
                                      : "PRAGMA foreign_keys = OFF");
        raw->exec("DELETE FROM device");
    }
    Store db(path, Store::Mode::read_write);
    const auto f = db.check(false);
    REQUIRE(f.size() >= (on_postgresql(path) ? 1u : 2u));
    CHECK(std::ranges::any_of(f, [&](const Store::Finding& x) {
        return x.error &&
               x.text == fmt::format("scan {}: the device stored for sw-01 is missing", first);
    }));
    if (!on_postgresql(path)) { // PostgreSQL keeps no row that breaks a key: no check to make
        CHECK(std::ranges::any_of(f, [](const Store::Finding& x) {
            return x.error && x.text.find("refers to a missing row of device") != std::string::npos;
        }));
    }
}

TEST_CASE("store: an import carries the other targets, and its capture stands until a poll "
          "reaches the target",
          "[store][import][backend]") {
    netinv::test::TempDir dir;
    Store db(backend_db(dir, "inv.db"), Store::Mode::read_write_create);
    const auto live = sample_device("sw-01");
    auto captured = sample_device("commune-1");
    captured.target_address = "127.0.0.2";
    // Night 1: sw-01 answers, commune-1 is out of reach.
    const auto s1 = db.begin_scan("2026-11-27T18:00:00Z", 2);
    db.save_target(s1, {"sw-01", "127.0.0.1", model::Outcome::ok, "", 12}, &live);
    db.save_target(s1, {"commune-1", "127.0.0.2", model::Outcome::timeout, "no answer", 3000},
                   nullptr);
    db.finish_scan(s1, "2026-11-27T18:00:03Z", store::ScanStatus::complete);
    // A technician's capture of commune-1 is imported.
    const auto s2 = db.begin_import("2026-11-28T03:00:00Z", s1, "commune-1");
    model::TargetOutcome imported{"commune-1", "127.0.0.2", model::Outcome::ok, "", 0};
    imported.capture_file = "/home/tech/commune-1.walk";
    imported.captured_at = "2026-11-28T02:10:00Z";
    db.save_target(s2, imported, &captured);
    db.finish_scan(s2, "2026-11-28T03:00:01Z", store::ScanStatus::complete);
    CHECK(db.latest_complete_scan()->id == s2);
    const auto scans = db.scans();
    CHECK(scans.front().import_of == "commune-1");
    CHECK(scans.front().targets_total == 2);
    CHECK(scans.back().import_of.empty());
    // The import's scan is the latest picture: sw-01 as night 1 saw it, commune-1 captured.
    CHECK(db.device(s2, "sw-01") == live);
    CHECK(db.device(s2, "commune-1") == captured);
    auto outcomes = db.outcomes(s2);
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].target == "commune-1");
    CHECK(outcomes[0].capture_file == "/home/tech/commune-1.walk");
    CHECK(outcomes[0].captured_at == "2026-11-28T02:10:00Z");
    CHECK(outcomes[1].capture_file.empty());
    CHECK(outcomes[1].duration_ms == 12); // its sample came along
    // Night 2: commune-1 still out of reach: the capture stands.
    const auto s3 = db.begin_scan("2026-11-28T18:00:00Z", 2);
    db.save_target(s3, {"sw-01", "127.0.0.1", model::Outcome::ok, "", 11}, &live);
    db.save_target(s3, {"commune-1", "127.0.0.2", model::Outcome::timeout, "no answer", 3000},
                   nullptr);
    db.finish_scan(s3, "2026-11-28T18:00:03Z", store::ScanStatus::complete);
    auto standing = captured;
    standing.counters.clear(); // counters only in the capture's own scan
    CHECK(db.device(s3, "commune-1") == standing);
    CHECK(db.outcomes(s3)[0].captured_at == "2026-11-28T02:10:00Z");
    // Night 3: the link is back: the poll replaces the capture.
    const auto s4 = db.begin_scan("2026-11-29T18:00:00Z", 2);
    auto polled = captured;
    polled.sys_name = "commune-1-router";
    db.save_target(s4, {"sw-01", "127.0.0.1", model::Outcome::ok, "", 11}, &live);
    db.save_target(s4, {"commune-1", "127.0.0.2", model::Outcome::ok, "", 40}, &polled);
    db.finish_scan(s4, "2026-11-29T18:00:03Z", store::ScanStatus::complete);
    CHECK(db.device(s4, "commune-1") == polled);
    CHECK(db.outcomes(s4)[0].capture_file.empty());
    // Night 4: out of reach again: a poll's failure is the picture now, not the old capture.
    const auto s5 = db.begin_scan("2026-11-30T18:00:00Z", 2);
    db.save_target(s5, {"sw-01", "127.0.0.1", model::Outcome::ok, "", 11}, &live);
    db.save_target(s5, {"commune-1", "127.0.0.2", model::Outcome::timeout, "no answer", 3000},
                   nullptr);
    db.finish_scan(s5, "2026-11-30T18:00:03Z", store::ScanStatus::complete);
    CHECK_FALSE(db.device(s5, "commune-1"));
    // Every earlier scan reads as it did, and the database is whole.
    CHECK(db.device(s2, "commune-1") == captured);
    CHECK_FALSE(db.device(s1, "commune-1"));
    CHECK(db.damage().empty());
    // Pruning the night before the import keeps the import's picture.
    db.delete_scans({s1});
    CHECK(db.device(s2, "sw-01") == live);
    CHECK(db.damage().empty());
}

TEST_CASE("store: pollers write their own scans and the picture is each target's latest "
          "observation across them",
          "[store][poller][backend]") {
    netinv::test::TempDir dir;
    const auto path = backend_db(dir, "inv.db");
    Store north(path, Store::Mode::read_write_create);
    north.set_poller("north");
    Store south(path, Store::Mode::read_write);
    south.set_poller("south");
    const auto a = sample_device("a");
    const auto b = sample_device("b");
    auto shared_n = sample_device("shared");
    auto shared_s = shared_n;
    shared_s.sys_name = "seen-from-south";
    // Both scans run at once; north finishes first.
    const auto s1 = north.begin_scan("2026-12-01T18:00:00Z", 2);
    const auto s2 = south.begin_scan("2026-12-01T18:00:01Z", 2);
    north.save_target(
        s1, {"a", "10.0.0.1", model::Outcome::ok, "", 5}, &a,
        std::make_unique<store::TargetState>(store::TargetState{20, 1000, 500}).get());
    south.save_target(s2, {"b", "10.0.0.2", model::Outcome::ok, "", 6}, &b);
    south.save_target(
        s2, {"shared", "10.0.0.3", model::Outcome::ok, "", 7}, &shared_s,
        std::make_unique<store::TargetState>(store::TargetState{10, 90'000, 9000}).get());
    north.save_target(
        s1, {"shared", "10.0.0.3", model::Outcome::ok, "", 8}, &shared_n,
        std::make_unique<store::TargetState>(store::TargetState{20, 1000, 500}).get());
    // While south runs, the picture of north's scan is north's alone.
    north.finish_scan(s1, "2026-12-01T18:00:05Z", store::ScanStatus::complete);
    CHECK(south.latest_complete_scan()->id == s1);
    CHECK(north.devices(s1) == std::vector<model::Device>{a, shared_n});
    south.finish_scan(s2, "2026-12-01T18:00:09Z", store::ScanStatus::complete);
    // The latest picture: a from north, b from south, and shared from the later scan (south's).
    const auto latest = north.latest_complete_scan();
    REQUIRE(latest);
    CHECK(latest->id == s2);
    CHECK(latest->poller == "south");
    CHECK(north.devices(s2) == std::vector<model::Device>{a, b, shared_s});
    const auto seen = north.outcomes(s2);
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].target == "a");
    CHECK(seen[0].poller == "north");
    CHECK(seen[0].duration_ms == 5);
    CHECK(seen[1].poller == "south");
    CHECK(seen[2].target == "shared");
    CHECK(seen[2].poller == "south");
    CHECK(seen[2].duration_ms == 7);
    // Each scan counts its own poller's targets; what polling learned is per poller.
    const auto scans = north.scans();
    REQUIRE(scans.size() == 2);
    CHECK(scans[0].poller == "south");
    CHECK(scans[0].targets_ok == 2);
    CHECK(scans[1].poller == "north");
    CHECK(scans[1].targets_ok == 2);
    CHECK(north.target_states().at("shared").srtt_us == 1000);
    CHECK(south.target_states().at("shared").srtt_us == 90'000);
    CHECK_FALSE(south.target_states().contains("a"));
    // North's next night: a is down, shared unchanged (its range grows over south's scan).
    const auto s3 = north.begin_scan("2026-12-02T18:00:00Z", 2);
    north.save_target(s3, {"a", "10.0.0.1", model::Outcome::timeout, "no answer", 3000}, nullptr);
    north.save_target(s3, {"shared", "10.0.0.3", model::Outcome::ok, "", 8}, &shared_n);
    north.finish_scan(s3, "2026-12-02T18:00:05Z", store::ScanStatus::complete);
    CHECK(north.devices(s3) == std::vector<model::Device>{b, shared_n});
    CHECK(north.outcomes(s3)[0].outcome == model::Outcome::timeout);
    CHECK(raw_int(path, "SELECT count(*) FROM observation WHERE target = 'shared' AND poller = "
                        "'north'") == 1);
    // Every scan still reads as it did, before and after pruning north's first night.
    CHECK(south.devices(s2) == std::vector<model::Device>{a, b, shared_s});
    north.delete_scans({s1});
    CHECK(north.devices(s3) == std::vector<model::Device>{b, shared_n});
    CHECK(north.devices(s2) == std::vector<model::Device>{b, shared_s});
    CHECK(north.damage().empty());
    // A poller that takes over its lock closes its own killed scans; on PostgreSQL, whose locks
    // are per poller, another poller's running scan is left running.
    const auto running = north.begin_scan("2026-12-03T18:00:00Z", 2);
    const auto closed = south.close_abandoned_scans("2026-12-03T18:01:00Z");
    if (on_postgresql(path)) {
        CHECK(closed.empty());
        CHECK(north.close_abandoned_scans("2026-12-03T18:01:00Z") ==
              std::vector<std::int64_t>{running});
    } else {
        CHECK(closed == std::vector<std::int64_t>{running});
    }
}

TEST_CASE("store: a statement that fails inside a transaction fails it, wherever the backend "
          "says so, and nothing of it stays",
          "[store][backend]") {
    netinv::test::TempDir dir;
    const auto path = backend_db(dir, "inv.db");
    { Store create(path, Store::Mode::read_write_create); }
    auto db = raw_db(path);
    using store::sql::Statement;
    const auto insert = [&](const char* status) {
        Statement st(*db, "INSERT INTO scan (started_at, status, targets_total) VALUES (?, ?, 0)");
        st.bind(1, "2026-12-03T00:00:00Z");
        st.bind(2, status);
        st.exec();
    };
    {
        // What a transaction wrote is read back inside it (PostgreSQL's sent statements are
        // answered before a reading one).
        store::sql::Transaction tx(*db);
        insert("running");
        insert("complete");
        CHECK(store::sql::query_int(*db, "SELECT count(*) FROM scan") == 2);
        tx.commit();
    }
    const auto attempt = [&] {
        store::sql::Transaction tx(*db);
        insert("running");
        insert("no such status"); // the CHECK constraint refuses it: now or at commit
        insert("complete");
        tx.commit();
    };
    CHECK_THROWS_WITH(attempt(),
                      Catch::Contains("CHECK constraint") || Catch::Contains("check constraint"));
    CHECK(store::sql::query_int(*db, "SELECT count(*) FROM scan") == 2);
    // The connection goes on: a failed read in a transaction, then a good one.
    const auto bad_read = [&] {
        store::sql::Transaction tx(*db);
        insert("running");
        store::sql::query_int(*db, "SELECT count(*) FROM no_such_table");
        tx.commit();
    };
    CHECK_THROWS(bad_read());
    {
        store::sql::Transaction tx(*db);
        insert("interrupted");
        tx.commit();
    }
    CHECK(store::sql::query_int(*db, "SELECT count(*) FROM scan") == 3);
}

TEST_CASE("store: a statement prepared again reads and writes as a new one (SQLite keeps its "
          "prepared statements per connection)",
          "[store][backend]") {
    netinv::test::TempDir dir;
    const auto path = backend_db(dir, "inv.db");
    { Store create(path, Store::Mode::read_write_create); }
    auto db = raw_db(path);
    using store::sql::Statement;
    const std::string insert =
        "INSERT INTO scan (started_at, status, targets_total, finished_at) VALUES (?, ?, 0, ?)";
    {
        Statement st(*db, insert);
        st.bind(1, "2026-12-03T00:00:00Z");
        st.bind(2, "complete");
        st.bind(3, "2026-12-03T00:05:00Z");
        st.exec();
    }
    for (int i = 0; i < 2; ++i) {
        Statement st(*db, insert); // the same text: what the first one bound is gone
        st.bind(1, "2026-12-04T00:00:00Z");
        st.bind(2, "running");
        st.exec();
    }
    CHECK(store::sql::query_int(*db, "SELECT count(*) FROM scan WHERE finished_at IS NULL") == 2);
    const std::string ids = "SELECT id FROM scan ORDER BY id";
    {
        Statement half(*db, ids);
        REQUIRE(half.executeStep()); // left after one row of three
    }
    Statement outer(*db, ids);
    std::vector<std::int64_t> pairs;
    while (outer.executeStep()) {
        // The same text twice at once: each its own rows, each from the first.
        Statement inner(*db, ids);
        REQUIRE(inner.executeStep());
        pairs.push_back(outer.getColumn(0).getInt64() * 10 + inner.getColumn(0).getInt64());
    }
    CHECK(pairs == std::vector<std::int64_t>{11, 21, 31});
    // A statement whose run failed is not kept to fail the next one.
    const auto bad = [&] {
        Statement st(*db, insert);
        st.bind(1, "2026-12-05T00:00:00Z");
        st.bind(2, "no such status");
        st.exec();
        CHECK(store::sql::query_int(*db, "SELECT count(*) FROM scan") == 3); // PostgreSQL: here
    };
    CHECK_THROWS(bad());
    {
        Statement st(*db, insert);
        st.bind(1, "2026-12-05T00:00:00Z");
        st.bind(2, "interrupted");
        st.exec();
    }
    CHECK(store::sql::query_int(*db, "SELECT count(*) FROM scan") == 4);
}

// Only on a PostgreSQL server (the "[backend]" run of tests/postgresql/server.sh): hidden from
// the plain unit run, which has none.
TEST_CASE("store: a PostgreSQL database that is not netinv's is refused untouched, and a reader "
          "never creates the schema",
          "[.postgresql]") {
    netinv::test::TempDir dir;
    const auto url = backend_db(dir, "unused.db");
    REQUIRE(on_postgresql(url));
    // A reader of an empty database: no schema yet, and none made.
    CHECK_THROWS_WITH(Store(url, Store::Mode::read_only),
                      Catch::EndsWith("no netinv database yet; run 'netinv scan' first"));
    CHECK(raw_int(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0);
    // Another application's database.
    raw_db(url)->exec("CREATE TABLE invoices (id bigint)");
    CHECK_THROWS_WITH(Store(url, Store::Mode::read_write_create),
                      Catch::Contains("not a netinv database (it holds other data)"));
    CHECK(raw_int(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 1);
    // A newer netinv's.
    const auto newer = backend_db(dir, "unused.db");
    { Store create(newer, Store::Mode::read_write_create); }
    raw_db(newer)->exec("UPDATE netinv_meta SET value = '99' WHERE key = 'schema_version'");
    CHECK_THROWS_WITH(Store(newer, Store::Mode::read_write),
                      Catch::Contains("schema version 99 is newer than this netinv"));
    CHECK_THROWS_WITH(Store(newer, Store::Mode::read_only), Catch::Contains("schema version 99"));
    // The password never in the URL, and never echoed.
    const auto with_password =
        std::string(url).replace(url.find("postgres@"), 9, "postgres:hunter2@");
    try {
        Store s(with_password, Store::Mode::read_write_create);
        FAIL("a URL with a password was accepted");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("PGPASSWORD") != std::string::npos);
        CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
    }
}

TEST_CASE("store: SQLite's parameters in PostgreSQL's numbering, and URLs shown without a "
          "password",
          "[store]") {
    using store::sql::postgresql_parameters;
    int n = 0;
    CHECK(postgresql_parameters("INSERT INTO t VALUES (?, ?, ?)", &n) ==
          "INSERT INTO t VALUES ($1, $2, $3)");
    CHECK(n == 3);
    CHECK(postgresql_parameters("first_scan <= ?1 AND last_scan >= ?1 AND x = ?12", &n) ==
          "first_scan <= $1 AND last_scan >= $1 AND x = $12");
    CHECK(n == 12);
    // A bare ? after ?N takes the next number, as in SQLite; quoted text is left alone.
    CHECK(postgresql_parameters("SELECT ?2, ?, '?', \"a?b\" WHERE x = '?1'", &n) ==
          "SELECT $2, $3, '?', \"a?b\" WHERE x = '?1'");
    CHECK(n == 3);
    CHECK(postgresql_parameters("SELECT 1", &n) == "SELECT 1");
    CHECK(n == 0);
    using store::sql::display_url;
    CHECK(display_url("postgresql://netinv:hunter2@db.tinh.gov.vn:5432/inventory") ==
          "postgresql://netinv@db.tinh.gov.vn:5432/inventory");
    CHECK(display_url("postgresql://netinv@db/inventory") == "postgresql://netinv@db/inventory");
    CHECK(display_url("postgresql://db/inventory?user=a@b") ==
          "postgresql://db/inventory?user=a@b");
    CHECK(store::is_postgresql("postgres://db/x"));
    CHECK_FALSE(store::is_postgresql("/var/lib/netinv/postgresql://x.db"));
    CHECK(store::has_password("postgresql://a:b@h/d"));
    CHECK(store::has_password("postgresql://a@h/d?password=b"));
    CHECK_FALSE(store::has_password("postgresql://a@h/d?sslmode=require"));
}
