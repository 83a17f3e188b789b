// SPDX-License-Identifier: Apache-2.0
//
// netinv_store_bench: one scan written through the real store to SQLite and to PostgreSQL.
//
//   netinv_store_bench SOURCE.db WORKDIR POSTGRESQL_URL [TARGETS]
//
// SOURCE.db holds a complete scan (bench/run.py takes it from a scan of the simulated
// province). Written to each backend: that scan as it is, and a scan of TARGETS targets (10,000
// by default: the province's devices again and again under new names). Measured per backend:
// write time, size, and the time to read the latest picture (devices and outcomes), checked
// against what was written. Then, on PostgreSQL, 4 pollers writing a quarter of the TARGETS each,
// at once (one connection each), against the one poller writing them all; and the picture
// across the 4 read back. POSTGRESQL_URL names a server, without a database: each measurement
// creates its own. Prints one JSON object.
#include "store/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "store/sql.hpp"

using namespace netinv;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Scan {
    std::vector<model::Device> devices;
    std::vector<model::TargetOutcome> outcomes;
};

// The province's scan, `n` targets long: its targets again under new names.
Scan scaled(const Scan& one, std::size_t n) {
    Scan out;
    std::map<std::string, const model::Device*> by_name;
    for (const auto& d : one.devices) {
        by_name[d.name] = &d;
    }
    for (std::size_t i = 0; out.outcomes.size() < n; ++i) {
        for (const auto& o : one.outcomes) {
            if (out.outcomes.size() == n) {
                break;
            }
            auto t = o;
            t.target = i == 0 ? o.target : fmt::format("{}-{}", o.target, i);
            out.outcomes.push_back(t);
            if (auto it = by_name.find(o.target);
                it != by_name.end() && o.outcome == model::Outcome::ok) {
                auto d = *it->second;
                d.name = t.target;
                out.devices.push_back(std::move(d));
            }
        }
    }
    std::ranges::sort(out.devices, {}, &model::Device::name);
    return out;
}

void write(store::Store& db, const Scan& s, std::size_t from, std::size_t step) {
    std::map<std::string, const model::Device*> by_name;
    for (const auto& d : s.devices) {
        by_name[d.name] = &d;
    }
    const auto id =
        db.begin_scan("2026-12-03T19:00:00Z", static_cast<std::int64_t>(s.outcomes.size() / step));
    for (std::size_t i = from; i < s.outcomes.size(); i += step) {
        const auto& o = s.outcomes[i];
        auto it = by_name.find(o.target);
        db.save_target(id, o, it == by_name.end() ? nullptr : it->second);
    }
    db.finish_scan(id, "2026-12-03T19:05:00Z", store::ScanStatus::complete);
}

std::string new_pg_database(const std::string& server, const std::string& name) {
    auto admin = store::sql::open_postgresql(server + "/postgres", "netinv store bench");
    admin->exec("DROP DATABASE IF EXISTS " + name);
    admin->exec("CREATE DATABASE " + name);
    return server + "/" + name;
}

std::int64_t size_of(const std::string& db) {
    if (store::is_postgresql(db)) {
        // The tables and indexes netinv wrote (what a dump would hold, without the catalogs).
        auto c = store::sql::open_postgresql(db, "netinv store bench");
        c->exec("CHECKPOINT");
        return store::sql::query_int(
            *c, "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN "
                "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND "
                "c.relkind = 'r'");
    }
    {
        auto c = store::sql::open_sqlite(db, false, false);
        c->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::error_code ec;
    return static_cast<std::int64_t>(std::filesystem::file_size(db, ec));
}

struct Measure {
    double write_ms = 0;
    std::int64_t bytes = 0;
    double read_ms = 0;
    bool equal = false;
};

Measure measure(const std::string& db, const Scan& s) {
    Measure m;
    auto t0 = Clock::now();
    {
        store::Store st(db, store::Store::Mode::read_write_create);
        write(st, s, 0, 1);
    }
    m.write_ms = ms_since(t0);
    m.bytes = size_of(db);
    store::Store st(db, store::Store::Mode::read_only);
    t0 = Clock::now();
    const auto latest = st.latest_complete_scan();
    const auto devices = st.devices(latest->id);
    const auto outcomes = st.outcomes(latest->id);
    m.read_ms = ms_since(t0);
    m.equal = devices == s.devices && outcomes.size() == s.outcomes.size();
    return m;
}

std::string json(const char* name, const Measure& m) {
    return fmt::format("\"{}\": {{\"write_ms\": {:.1f}, \"bytes\": {}, \"read_ms\": {:.1f}, "
                       "\"equal\": {}}}",
                       name, m.write_ms, m.bytes, m.read_ms, m.equal);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        fmt::print(stderr,
                   "usage: netinv_store_bench SOURCE.db WORKDIR POSTGRESQL_URL [TARGETS]\n");
        return 2;
    }
    try {
        const std::string source = argv[1];
        const std::filesystem::path work = argv[2];
        const std::string server = argv[3];
        const std::size_t targets = argc > 4 ? std::stoul(argv[4]) : 10'000;
        std::filesystem::create_directories(work);
        Scan province;
        {
            store::Store src(source, store::Store::Mode::read_only);
            const auto scan = src.latest_complete_scan();
            if (!scan) {
                fmt::print(stderr, "{}: no complete scan\n", source);
                return 1;
            }
            province.devices = src.devices(scan->id);
            province.outcomes = src.outcomes(scan->id);
        }
        const Scan big = scaled(province, targets);
        const auto sqlite_file = [&](const char* name) {
            const auto p = (work / name).string();
            for (const char* ext : {"", "-wal", "-shm"}) {
                std::filesystem::remove(p + ext);
            }
            return p;
        };
        const auto p_sqlite = measure(sqlite_file("province.db"), province);
        const auto p_pg = measure(new_pg_database(server, "bench_province"), province);
        const auto b_sqlite = measure(sqlite_file("big.db"), big);
        const auto b_pg = measure(new_pg_database(server, "bench_big"), big);

        // 4 pollers at once, a quarter each, one connection each.
        constexpr std::size_t k_pollers = 4;
        const auto four = new_pg_database(server, "bench_pollers");
        { store::Store create(four, store::Store::Mode::read_write_create); }
        auto t0 = Clock::now();
        std::vector<std::jthread> threads;
        std::vector<std::string> errors(k_pollers);
        for (std::size_t p = 0; p < k_pollers; ++p) {
            threads.emplace_back([&, p] {
                try {
                    store::Store st(four, store::Store::Mode::read_write,
                                    fmt::format("netinv store bench poller {}", p));
                    st.set_poller(fmt::format("poller-{}", p));
                    std::string holder;
                    if (!st.lock_poller(holder)) {
                        throw std::runtime_error("lock held by " + holder);
                    }
                    write(st, big, p, k_pollers);
                } catch (const std::exception& e) {
                    errors[p] = e.what();
                }
            });
        }
        threads.clear(); // joins
        const double four_ms = ms_since(t0);
        for (const auto& e : errors) {
            if (!e.empty()) {
                fmt::print(stderr, "a poller failed: {}\n", e);
                return 1;
            }
        }
        store::Store st(four, store::Store::Mode::read_only);
        t0 = Clock::now();
        const auto latest = st.latest_complete_scan();
        const auto devices = st.devices(latest->id);
        const auto outcomes = st.outcomes(latest->id);
        const double four_read_ms = ms_since(t0);
        const bool four_equal = devices == big.devices && outcomes.size() == big.outcomes.size();
        fmt::print("{{\"province_targets\": {}, \"province_devices\": {}, \"targets\": {}, "
                   "\"devices\": {}, {}, {}, {}, {}, \"pollers\": {{\"count\": {}, \"write_ms\": "
                   "{:.1f}, \"read_ms\": {:.1f}, \"equal\": {}}}}}\n",
                   province.outcomes.size(), province.devices.size(), big.outcomes.size(),
                   big.devices.size(), json("province_sqlite", p_sqlite),
                   json("province_postgresql", p_pg), json("big_sqlite", b_sqlite),
                   json("big_postgresql", b_pg), k_pollers, four_ms, four_read_ms, four_equal);
        return 0;
    } catch (const std::exception& e) {
        fmt::print(stderr, "netinv_store_bench: {}\n", e.what());
        return 1;
    }
}
