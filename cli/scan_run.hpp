// SPDX-License-Identifier: Apache-2.0
#pragma once

// One scan, as `scan` and `audit` run it, and the write lock both take.

#include <chrono>
#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "model/config.hpp"
#include "model/device.hpp"
#include "probes/poller.hpp"
#include "store/lock.hpp"
#include "store/store.hpp"

namespace netinv::cli {

struct ScanOptions {
    std::vector<std::string> targets;
    // Targets at these sites or under them, and with one of these tags (their own or their
    // sites'): a poller's share of the province (--poller) without naming every target.
    std::vector<std::string> sites;
    std::vector<std::string> tags;
    int concurrency = 32;
    int device_budget_s = 120;
};

struct ScanRun {
    std::int64_t scan_id = 0;
    bool interrupted = false;
    // Why the scan stopped when this machine could not go on (no file descriptors, no buffer
    // space); empty when a signal stopped it.
    std::string local_error;
    std::size_t ok = 0;
    std::size_t total = 0;
    std::uint64_t varbinds = 0;
    std::uint64_t retransmissions = 0; // requests sent again after their timeout
    std::map<model::Outcome, std::size_t> failed;
    std::vector<model::TargetOutcome> outcomes;
    std::chrono::system_clock::time_point started;
    std::chrono::system_clock::time_point finished;
    double seconds = 0;
    // "scan 12 complete: 390 of 403 targets ok, 13 timeout (14.2 s)"
    std::string summary_line() const;
};

// What perform_scan prints while it runs: a line per target on stdout, only the failures on
// stderr, or nothing.
enum class ScanLines : std::uint8_t { all, failures, none };

// Polls `chosen` and stores one scan in `db`: each device written when it is finished, the
// scan complete only at the end. SIGINT/SIGTERM stop it (interrupted).
ScanRun perform_scan(RunContext& ctx, const model::Config& cfg,
                     const std::vector<const model::Target*>& chosen, const ScanOptions& opt,
                     store::Store& db, ScanLines lines);

// What polling `t` needs but its credential and what earlier scans learned: its address,
// site, role, timeouts and the identity rules (scan; import decodes a capture with it).
probes::PollSpec spec_for(const model::Config& cfg, const model::Target& t);

// The targets named by -t, and those --site and --tag select (a target at or under one of the
// sites and with one of the tags); all when none of them is given. nullopt after an error
// naming the unknown target, site or tag.
std::optional<std::vector<const model::Target*>>
choose_targets(const RunContext& ctx, const model::Config& cfg, const ScanOptions& opt);

// The database's write lock, or nullopt after saying who holds it (exit code 5). Warns when
// it takes over the lock of a run that was killed.
std::optional<store::WriteLock> take_write_lock(const RunContext& ctx, const std::string& command);

// Marks scans left `running` by a killed run as interrupted, with a warning each. Only under
// the write lock.
void close_abandoned(const RunContext& ctx, store::Store& db);

// What every command that writes does first (scan, audit, import, prune): the write lock, the
// database (created when missing, with `mode`), refused when damaged, and the scans a killed
// run left running marked interrupted. On failure, after saying why, the exit code to return.
struct Writer {
    std::optional<store::WriteLock> lock; // the SQLite file's; PostgreSQL's is the Store's session
    std::unique_ptr<store::Store> db;
};
std::expected<Writer, int> open_for_writing(const RunContext& ctx, const std::string& command,
                                            store::Store::Mode mode);

} // namespace netinv::cli
