// SPDX-License-Identifier: Apache-2.0
//
// netinv_history_bench: a year of nightly scans through the real store, from one real scan.
//
//   netinv_history_bench SOURCE.db WORKDIR [NIGHTS]
//
// SOURCE.db holds a complete scan (bench/run.py takes it from a scan of the simulated
// province). The baseline is that scan written once into a new database. Then NIGHTS scans are
// written into another, each the previous night's with realistic churn: uptime, counters and
// volume use change on every device every night; a few devices a night change for real (an
// interface goes down or up, an address is added or removed, a firmware upgrade, a swapped
// box), and now and then a device does not answer. Prints one JSON object: sizes, write time
// per scan, and the time to rebuild past snapshots, each checked against what was written.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>

#include "report/device.hpp"
#include "report/json.hpp"
#include "store/store.hpp"

using namespace netinv;
using Clock = std::chrono::steady_clock;

namespace {

std::uintmax_t db_size(const std::string& path) {
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::error_code ec;
    std::uintmax_t n = std::filesystem::file_size(path, ec);
    const auto wal = std::filesystem::file_size(path + "-wal", ec);
    return n + (ec ? 0 : wal);
}

std::string iso(int night) {
    // 2026-01-01T19:00:00Z plus `night` days (02:00 in Hải Dương).
    const std::time_t t = 1767294000 + static_cast<std::time_t>(night) * 86400;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        fmt::print(stderr, "usage: netinv_history_bench SOURCE.db WORKDIR [NIGHTS]\n");
        return 2;
    }
    const std::string source = argv[1];
    const std::filesystem::path work = argv[2];
    const int nights = argc > 3 ? std::stoi(argv[3]) : 365;
    std::filesystem::create_directories(work);
    std::vector<model::Device> devices;
    std::vector<model::TargetOutcome> outcomes;
    {
        store::Store src(source, store::Store::Mode::read_write);
        const auto scan = src.latest_complete_scan();
        if (!scan) {
            fmt::print(stderr, "{}: no complete scan\n", source);
            return 1;
        }
        devices = src.devices(scan->id);
        outcomes = src.outcomes(scan->id);
    }
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        index[devices[i].name] = i;
    }
    auto write_scan = [&](store::Store& db, int night, const std::vector<model::Device>& devs,
                          const std::set<std::string>& down) {
        const auto id = db.begin_scan(iso(night), static_cast<std::int64_t>(outcomes.size()));
        for (const auto& o : outcomes) {
            auto it = index.find(o.target);
            if (it == index.end() || down.contains(o.target)) {
                model::TargetOutcome t = o;
                if (it != index.end()) {
                    t.outcome = model::Outcome::timeout;
                    t.detail = "no answer in 2000 ms";
                }
                db.save_target(id, t, nullptr);
            } else {
                db.save_target(id, o, &devs[it->second]);
            }
        }
        db.finish_scan(id, iso(night), store::ScanStatus::complete);
        return id;
    };

    // Baseline: the one real scan, written once.
    const auto one_path = (work / "one-scan.db").string();
    std::filesystem::remove(one_path);
    auto t0 = Clock::now();
    {
        store::Store db(one_path, store::Store::Mode::read_write_create);
        write_scan(db, 0, devices, {});
    }
    const double one_ms = ms_since(t0);
    const auto one_bytes = db_size(one_path);

    // The year.
    const auto year_path = (work / "year.db").string();
    std::filesystem::remove(year_path);
    std::filesystem::remove(year_path + "-wal");
    std::mt19937 rng(4001);
    auto pick = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };
    std::vector<double> write_ms;
    std::map<std::int64_t, std::pair<std::vector<model::Device>, std::set<std::string>>> kept;
    std::size_t real_changes = 0;
    {
        store::Store db(year_path, store::Store::Mode::read_write_create);
        auto devs = devices;
        for (int night = 1; night <= nights; ++night) {
            for (auto& d : devs) {
                if (d.sys_uptime_cs) {
                    *d.sys_uptime_cs += 8'640'000;
                }
                for (auto& c : d.counters) {
                    c.value += 1'000'000 + pick(1'000'000);
                }
                for (auto& v : d.volumes) {
                    v.used_bytes = std::min(v.size_bytes, v.used_bytes + pick(1'000'000'000));
                }
            }
            // A few real changes a night, on devices whose walks were whole: the store keeps the
            // last known values of a section cut short (model::carry_forward), so a change
            // there would test this replay, not the store.
            const int n = 2 + static_cast<int>(pick(4));
            for (int k = 0; k < n; ++k) {
                auto& d = devs[pick(devs.size())];
                if (!d.partial.empty()) {
                    continue;
                }
                switch (pick(5)) {
                case 0:
                    if (!d.interfaces.empty()) {
                        auto& i = d.interfaces[pick(d.interfaces.size())];
                        i.oper_status = i.oper_status == model::IfStatus::up ? model::IfStatus::down
                                                                             : model::IfStatus::up;
                    }
                    break;
                case 1:
                    d.addresses.push_back(model::Address{
                        model::Family::ipv6,
                        fmt::format("2405:4800:30:{:x}::{:x}", pick(65535), pick(65535)), 64,
                        d.interfaces.empty() ? std::nullopt
                                             : std::optional<std::uint32_t>(d.interfaces[0].index),
                        "manual", "preferred", false});
                    model::normalize(d);
                    break;
                case 2:
                    if (d.addresses.size() > 1) {
                        d.addresses.erase(d.addresses.begin() +
                                          static_cast<long>(pick(d.addresses.size())));
                    }
                    break;
                case 3:
                    d.version = fmt::format("{}.{}", night, k);
                    break;
                default:
                    d.serial = fmt::format("SN{}{}", night, k);
                    break;
                }
                ++real_changes;
            }
            std::set<std::string> down;
            if (night % 7 == 0) {
                down.insert(devs[pick(devs.size())].name);
            }
            t0 = Clock::now();
            const auto id = write_scan(db, night, devs, down);
            write_ms.push_back(ms_since(t0));
            if (night % 36 == 1 || night == nights) {
                kept[id] = {devs, down};
            }
        }
    }
    const auto year_bytes = db_size(year_path);

    // Rebuild past snapshots, check each against what was written.
    std::vector<double> rebuild_ms;
    bool all_equal = true;
    {
        store::Store db(year_path, store::Store::Mode::read_write);
        for (const auto& [id, expected] : kept) {
            t0 = Clock::now();
            auto got = db.devices(id);
            auto outs = db.outcomes(id);
            rebuild_ms.push_back(ms_since(t0));
            std::vector<model::Device> want;
            for (const auto& d : expected.first) {
                if (!expected.second.contains(d.name)) {
                    want.push_back(d);
                    model::normalize(want.back());
                }
            }
            std::ranges::sort(want, {}, &model::Device::name);
            if (id <= nights - 7) {
                // Uptime, counters and volume use are kept for the latest 7 scans only.
                for (auto* v : {&got, &want}) {
                    for (auto& d : *v) {
                        d.sys_uptime_cs.reset();
                        d.counters.clear();
                        d.volumes.clear();
                    }
                }
            }
            const bool equal = got == want && outs.size() == outcomes.size();
            if (!equal) {
                // Say what differs: the first device whose rebuilt JSON is not the written one.
                for (std::size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
                    if (got[i] == want[i]) {
                        continue;
                    }
                    report::JsonWriter a, b;
                    report::write_device_json(a, got[i]);
                    report::write_device_json(b, want[i]);
                    const std::string ga = a.str(), wb = b.str();
                    std::size_t at = 0;
                    while (at < ga.size() && at < wb.size() && ga[at] == wb[at]) {
                        ++at;
                    }
                    const std::size_t from = at > 120 ? at - 120 : 0;
                    fmt::print(
                        stderr,
                        "scan {}: {} differs at byte {}:\n  rebuilt ...{}\n  written ...{}\n", id,
                        got[i].name, at, ga.substr(from, 240), wb.substr(from, 240));
                    break;
                }
                if (got.size() != want.size() || outs.size() != outcomes.size()) {
                    fmt::print(stderr, "scan {}: {} devices rebuilt, {} written; {} outcomes, {}\n",
                               id, got.size(), want.size(), outs.size(), outcomes.size());
                }
            }
            all_equal = all_equal && equal;
        }
    }
    std::ranges::sort(write_ms);
    std::ranges::sort(rebuild_ms);
    fmt::print("{{\"devices\": {}, \"targets\": {}, \"nights\": {}, \"real_changes\": {}, "
               "\"one_scan_bytes\": {}, \"one_scan_write_ms\": {:.1f}, \"year_bytes\": {}, "
               "\"size_ratio\": {:.2f}, \"write_ms_median\": {:.1f}, \"write_ms_max\": {:.1f}, "
               "\"rebuild_ms_median\": {:.1f}, \"rebuild_ms_max\": {:.1f}, \"snapshots_checked\": "
               "{}, \"snapshots_equal\": {}}}\n",
               devices.size(), outcomes.size(), nights, real_changes, one_bytes, one_ms, year_bytes,
               static_cast<double>(year_bytes) / static_cast<double>(one_bytes),
               write_ms[write_ms.size() / 2], write_ms.back(), rebuild_ms[rebuild_ms.size() / 2],
               rebuild_ms.back(), rebuild_ms.size(), all_equal ? "true" : "false");
    return all_equal ? 0 : 1;
}
