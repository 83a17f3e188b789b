// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/device.hpp"

namespace netinv::store::sql {
class Database;
class Transaction;
} // namespace netinv::store::sql

namespace netinv::store {

// True when a database name is a PostgreSQL connection string (postgresql://, postgres://)
// rather than a SQLite file's path.
bool is_postgresql(std::string_view db);
// True when a PostgreSQL connection string holds a password (which netinv refuses there).
bool has_password(std::string_view url);

enum class ScanStatus : std::uint8_t { running, complete, interrupted, failed };
std::string_view to_string(ScanStatus s);

struct ScanInfo {
    std::int64_t id = 0;
    std::string started_at;  // ISO 8601 UTC
    std::string finished_at; // empty while running
    ScanStatus status = ScanStatus::running;
    std::int64_t targets_total = 0;
    std::int64_t targets_ok = 0;     // filled by scans()
    std::int64_t targets_failed = 0; // filled by scans()
    // Targets that answered, per credential name (filled by scans(); none before schema 10).
    std::vector<std::pair<std::string, std::int64_t>> answered_by = {};
    // An import's scan (netinv import): the target whose capture it brought; "" for a poll.
    std::string import_of = {};
    // The poller that wrote it (netinv --poller); "" for the one poller of a province.
    std::string poller = {};
};

// The schema version this build writes; older databases are migrated on open.
inline constexpr int k_schema_version = 12;

// What polling learned about a target that makes the next scan cheaper: the GETBULK
// max-repetitions that worked for it.
struct TargetState {
    std::optional<int> max_repetitions;
    std::optional<int> srtt_us;   // smoothed round-trip time
    std::optional<int> rttvar_us; // and its variation (RFC 6298)
    // The credential that answered last (its name): tried first next time.
    std::optional<std::string> credential = std::nullopt;
    friend bool operator==(const TargetState&, const TargetState&) = default;
};

// The database of scans, a SQLite file or a PostgreSQL database. Only this module writes SQL.
// Every method throws netinv::Error, naming the database (a URL without its password), when
// the backend fails.
class Store {
public:
    // read_only: for a user who may read the database but not write it (a manager reading
    // the administrator's file); no migration, and every write fails.
    enum class Mode { read_write_create, read_write, read_only };
    // Opens (or creates) the database: SQLite with WAL, a busy timeout, foreign keys, and
    // migration to k_schema_version; PostgreSQL's schema in an empty database. Refuses a
    // database that is not netinv's or is from a newer netinv.
    // `path` is a SQLite file, or a PostgreSQL connection string (postgresql://...; the password
    // from PGPASSWORD or ~/.pgpass), whose connection is named `application` on the server.
    Store(const std::string& path, Mode mode, const std::string& application = "netinv");
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // The poller this run writes as (scans, what polling learned); "" unless set.
    void set_poller(std::string poller) { m_poller = std::move(poller); }
    const std::string& poller() const { return m_poller; }

    // Starts a scan row in status running and returns its id.
    std::int64_t begin_scan(const std::string& started_at, std::int64_t targets_total);
    // Starts the scan of an import of `target`'s capture (status running): every other
    // target's observation in scan `from` (the latest complete one, if any) is carried into
    // it, so it is the latest picture with one target's capture in it. The caller then saves
    // the target (save_target) and finishes the scan. One transaction.
    std::int64_t begin_import(const std::string& started_at, std::optional<std::int64_t> from,
                              const std::string& target);
    // Records one target's outcome and, when it answered, its device and what polling learned
    // about it: in a transaction of its own, or in the open batch (below). A failure rolls
    // back the target's rows, and with them the batch's.
    void save_target(std::int64_t scan_id, const model::TargetOutcome& outcome,
                     const model::Device* device, const TargetState* state = nullptr);
    // From begin_batch on, the targets saved share one transaction until commit_batch: a
    // commit is the cost of a write (SQLite: the WAL pages the targets share, and the
    // checkpoints they bring; PostgreSQL: a round trip and a WAL flush), so a scan commits a
    // few times a second rather than per target. What a batch holds is lost only with the
    // process (kill -9, power): that scan is then never complete. finish_scan commits the
    // open batch with the scan's status and ends batching.
    void begin_batch();
    void commit_batch();
    // Targets saved since the batch's last commit.
    std::size_t batch_size() const { return m_batch_size; }
    // What this poller's earlier scans learned, by target name.
    std::map<std::string, TargetState> target_states() const;
    // Ends the scan. A scan becomes `complete` only through this call, after all its writes.
    void finish_scan(std::int64_t scan_id, const std::string& finished_at, ScanStatus status);

    // The latest complete scan of any poller (`poller` null), or of one. Reading a scan
    // (devices, outcomes) reads the latest picture up to it: its own poller's observations in
    // it, and every other poller's in that poller's latest complete scan before it; where two
    // pollers saw one target, the later scan's observation.
    std::optional<ScanInfo> latest_complete_scan(const std::string* poller = nullptr) const;
    // Every scan, newest first, with how many of its targets answered and failed.
    std::vector<ScanInfo> scans() const;
    std::vector<model::TargetOutcome> outcomes(std::int64_t scan_id) const;
    std::vector<model::Device> devices(std::int64_t scan_id) const;
    std::optional<model::Device> device(std::int64_t scan_id, const std::string& name) const;

    // Targets that answered in any scan with id <= `scan_id`.
    std::set<std::string> targets_seen_up_to(std::int64_t scan_id) const;
    // Marks scans still `running` as interrupted: only for a caller holding the write lock,
    // for whom no other run can be writing them. Returns their ids.
    std::vector<std::int64_t> close_abandoned_scans(const std::string& now);

    // Deletes the given scans and what only they refer to. A device state first stored by a
    // deleted scan but still seen by a kept one moves to the earliest kept scan that saw it,
    // so every kept scan reads exactly what it read before. One transaction, then VACUUM.
    void delete_scans(const std::vector<std::int64_t>& ids);

    struct Finding {
        bool error = false; // false: a warning, the database is still whole
        std::string text;
    };
    // SQLite's integrity and foreign-key checks, then netinv's own: every scan's devices
    // resolvable, no abandoned running scan (`writer_active`: another run holds the lock),
    // no unreferenced state.
    std::vector<Finding> check(bool writer_active) const;
    // The errors of check(), as one line ("" when whole): what every command that opens the
    // database asks first (a few milliseconds per megabyte).
    std::string damage() const;

    int schema_version() const;
    // PostgreSQL: takes this poller's write lock (an advisory lock of the session, so the server
    // drops it when the connection ends, even by kill -9) or says who holds it: the
    // application name of the holder's connection ("netinv scan (pid 1234, poller north)").
    // The SQLite file's lock is WriteLock's.
    bool lock_poller(std::string& holder);
    // PostgreSQL: whether another connection holds a netinv poller's lock right now.
    bool writer_active() const;
    bool on_postgresql() const;

    // The file, or the connection string without a password.
    const std::string& path() const { return m_path; }

private:
    template <typename F> auto guard(F&& f) const -> decltype(f());
    void migrate();
    void migrate_postgresql();
    void check_version();
    // Tables of the current schema (only netinv_meta, with `meta_only`).
    std::int64_t postgresql_tables(bool meta_only) const;
    [[noreturn]] void refuse_foreign() const;
    [[noreturn]] void refuse_newer(int version) const;
    // `id` is a scan (rows found through scan_target.state_scan) or, with `direct`, the scan
    // that first stored the rows (their own scan_id).
    // `poller`: only that poller's observations (a reading of the picture, never with `direct`).
    std::vector<model::Device> load_devices(std::int64_t id, const std::string* name, bool direct,
                                            const std::string* poller) const;
    std::string state_from(const char* table, const char* name_col, bool direct, bool by_name,
                           bool by_poller) const;
    // What a reading of scan `scan_id` reads, per poller: the scan for its own poller, every
    // other poller's latest complete scan up to it; latest first.
    std::vector<std::pair<std::string, std::int64_t>> picture(std::int64_t scan_id) const;
    void save_target_rows(std::int64_t scan_id, const model::TargetOutcome& o,
                          const model::Device* d, const TargetState* state);
    // The open batch's transaction (null when none), no longer the store's.
    std::unique_ptr<sql::Transaction> take_batch();
    void save_state(std::int64_t scan_id, const model::Device& d);
    void save_volatile(std::int64_t scan_id, const model::Device& d);
    // The facts beyond interfaces and addresses (routes, LLDP, caches, VLANs, listeners...).
    void save_facts(std::int64_t scan_id, const model::Device& d);
    void load_facts(std::int64_t id, const std::string* name, bool direct,
                    const std::string* poller, const std::map<std::string, std::size_t>& pos,
                    std::vector<model::Device>& out) const;

    std::string m_path;
    std::unique_ptr<sql::Database> m_db;
    bool m_batching = false;
    std::unique_ptr<sql::Transaction> m_batch; // open while a batch holds targets
    std::size_t m_batch_size = 0;
    std::string m_poller;
    // The scan before a scan being written, and that scan's id.
    std::int64_t previous_scan(std::int64_t scan_id);
    std::pair<std::int64_t, std::int64_t> m_previous{0, 0};
};

} // namespace netinv::store
