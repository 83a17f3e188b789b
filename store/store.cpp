// SPDX-License-Identifier: Apache-2.0
//
// The store, on SQLite or PostgreSQL (store/sql). SQLite's schema changes are numbered steps;
// PRAGMA user_version records how many were applied, and opening a database applies the
// missing ones, all in one transaction. PRAGMA application_id marks the file as netinv's,
// so a foreign SQLite file is refused rather than altered. PostgreSQL's schema is created whole
// (netinv_meta holds its version), and only in an empty database. A scan is written as: a
// `running` scan row; its targets' outcome and device rows, a transaction per target or per
// batch of targets (begin_batch); then the status change to `complete`. A process killed
// halfway leaves a `running` scan that readers never take for the latest complete one.
#include "store/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>

#include "model/error.hpp"
#include "store/sql.hpp"

namespace netinv::store {

namespace {

constexpr int k_application_id = 0x4E494E56; // "NINV"

// Migration step N takes the schema from version N to N+1.
constexpr std::array<const char*, k_schema_version> k_migrations = {
    R"sql(
CREATE TABLE scan (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    status        TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
    targets_total INTEGER NOT NULL
);
CREATE TABLE scan_target (
    scan_id     INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
    target      TEXT NOT NULL,
    address     TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'timeout', 'auth_failure', 'error')),
    detail      TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (scan_id, target)
);
CREATE TABLE device (
    scan_id        INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    target_address TEXT NOT NULL,
    site TEXT, sys_name TEXT, sys_descr TEXT, sys_object_id TEXT, sys_uptime_cs INTEGER,
    sys_contact TEXT, sys_location TEXT, vendor TEXT, model TEXT, serial TEXT, os TEXT,
    version TEXT, role TEXT,
    PRIMARY KEY (scan_id, name)
);
CREATE TABLE interface (
    scan_id  INTEGER NOT NULL,
    device   TEXT NOT NULL,
    if_index INTEGER NOT NULL,
    name TEXT, descr TEXT, alias TEXT, type INTEGER, speed_bps INTEGER, mac TEXT,
    admin_status TEXT, oper_status TEXT,
    PRIMARY KEY (scan_id, device, if_index),
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
);
CREATE TABLE address (
    scan_id       INTEGER NOT NULL,
    device        TEXT NOT NULL,
    family        TEXT NOT NULL CHECK (family IN ('ipv4', 'ipv6')),
    address       TEXT NOT NULL,
    prefix_length INTEGER,
    if_index      INTEGER,
    origin        TEXT,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
);
CREATE INDEX address_by_device ON address (scan_id, device);
)sql",
    // 2: what polling learned per target, to start the next scan where this one ended.
    R"sql(
CREATE TABLE target_state (
    target          TEXT PRIMARY KEY,
    max_repetitions INTEGER,
    updated_scan    INTEGER NOT NULL
);
)sql",
    // 3: the rest of the asset model: forwarding, default routes, LLDP, neighbour caches,
    // VLANs, server resources, IPv6 per interface.
    R"sql(
ALTER TABLE device ADD COLUMN ipv4_forwarding INTEGER;
ALTER TABLE device ADD COLUMN ipv6_forwarding INTEGER;
ALTER TABLE device ADD COLUMN cpus INTEGER;
ALTER TABLE device ADD COLUMN memory_bytes INTEGER;
ALTER TABLE interface ADD COLUMN ipv6_enabled INTEGER;
CREATE TABLE route (
    scan_id INTEGER NOT NULL, device TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('ipv4', 'ipv6')), next_hop TEXT, if_index INTEGER,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
);
CREATE TABLE lldp_neighbor (
    scan_id INTEGER NOT NULL, device TEXT NOT NULL, local_port INTEGER NOT NULL,
    chassis_id TEXT, port_id TEXT, port_descr TEXT, sys_name TEXT,
    management_addresses TEXT NOT NULL, -- space-separated
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
);
CREATE TABLE neighbor_cache (
    scan_id INTEGER NOT NULL, device TEXT NOT NULL,
    family TEXT NOT NULL CHECK (family IN ('ipv4', 'ipv6')), address TEXT NOT NULL, mac TEXT,
    if_index INTEGER,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
);
CREATE TABLE vlan (
    scan_id INTEGER NOT NULL, device TEXT NOT NULL, vlan_id INTEGER NOT NULL, name TEXT,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
);
CREATE TABLE volume (
    scan_id INTEGER NOT NULL, device TEXT NOT NULL, descr TEXT NOT NULL,
    size_bytes INTEGER NOT NULL, used_bytes INTEGER NOT NULL,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
);
CREATE INDEX route_by_device ON route (scan_id, device);
CREATE INDEX lldp_by_device ON lldp_neighbor (scan_id, device);
CREATE INDEX cache_by_device ON neighbor_cache (scan_id, device);
CREATE INDEX vlan_by_device ON vlan (scan_id, device);
CREATE INDEX volume_by_device ON volume (scan_id, device);
)sql",
    // 4: history that stays small, and the IPv6 checklist's facts. A target's device is written
    // only when it differs from the last one stored for it; scan_target.state_scan says which
    // scan's rows hold the device a scan saw (device.scan_id = first seen, last_scan = last
    // seen). What changes every night lives per scan: uptime in scan_target, counters and
    // volumes in their own tables (the volume table loses its link to the device rows).
    R"sql(
ALTER TABLE scan_target ADD COLUMN state_scan INTEGER;
ALTER TABLE scan_target ADD COLUMN uptime_cs INTEGER;
UPDATE scan_target SET state_scan = scan_id WHERE EXISTS
    (SELECT 1 FROM device d WHERE d.scan_id = scan_target.scan_id AND d.name = scan_target.target);
UPDATE scan_target SET uptime_cs = (SELECT sys_uptime_cs FROM device d
    WHERE d.scan_id = scan_target.scan_id AND d.name = scan_target.target);
CREATE INDEX scan_target_by_target ON scan_target (target, scan_id);
ALTER TABLE device ADD COLUMN last_scan INTEGER;
UPDATE device SET last_scan = scan_id;
ALTER TABLE device ADD COLUMN ipv6_hop_limit INTEGER;
ALTER TABLE device ADD COLUMN ipv6_address_mib TEXT;
ALTER TABLE device ADD COLUMN tables TEXT;
ALTER TABLE device ADD COLUMN partial TEXT;
ALTER TABLE device ADD COLUMN mgmt6_address TEXT;
ALTER TABLE device ADD COLUMN mgmt6_ok INTEGER;
ALTER TABLE device ADD COLUMN mgmt6_detail TEXT;
ALTER TABLE interface ADD COLUMN ipv6_forwarding INTEGER;
ALTER TABLE interface ADD COLUMN ra_send INTEGER;
ALTER TABLE interface ADD COLUMN ra_lifetime_s INTEGER;
ALTER TABLE interface ADD COLUMN ra_managed INTEGER;
ALTER TABLE interface ADD COLUMN ra_other INTEGER;
ALTER TABLE interface ADD COLUMN tunnel_encaps INTEGER;
ALTER TABLE address ADD COLUMN status TEXT;
ALTER TABLE address ADD COLUMN anycast INTEGER;
ALTER TABLE neighbor_cache ADD COLUMN type TEXT;
CREATE TABLE ipv6_router (
    scan_id INTEGER NOT NULL, device TEXT NOT NULL, address TEXT NOT NULL,
    if_index INTEGER NOT NULL, lifetime_s INTEGER NOT NULL,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
);
CREATE TABLE listener (
    scan_id INTEGER NOT NULL, device TEXT NOT NULL, protocol TEXT NOT NULL, family TEXT,
    address TEXT NOT NULL, port INTEGER NOT NULL,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
);
CREATE TABLE counter (
    scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
    device TEXT NOT NULL, oid TEXT NOT NULL, value INTEGER NOT NULL -- uint64 bits
);
CREATE TABLE volume_v4 (
    scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
    device TEXT NOT NULL, descr TEXT NOT NULL,
    size_bytes INTEGER NOT NULL, used_bytes INTEGER NOT NULL
);
INSERT INTO volume_v4 SELECT scan_id, device, descr, size_bytes, used_bytes FROM volume;
DROP TABLE volume;
ALTER TABLE volume_v4 RENAME TO volume;
CREATE INDEX volume_by_device ON volume (scan_id, device);
CREATE INDEX ipv6_router_by_device ON ipv6_router (scan_id, device);
CREATE INDEX listener_by_device ON listener (scan_id, device);
CREATE INDEX counter_by_device ON counter (scan_id, device);
)sql",
    // 5: a night costs nothing when nothing changed. A target's outcome is stored as a range of
    // consecutive scans (observation: first_scan..last_scan) with the same address, outcome,
    // detail and device state; a scan that sees the same extends the range. What differs every
    // night (uptime, duration, counters, volume use) is kept for the latest scans only.
    R"sql(
CREATE TABLE observation (
    target     TEXT NOT NULL,
    first_scan INTEGER NOT NULL,
    last_scan  INTEGER NOT NULL,
    address    TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('ok', 'timeout', 'auth_failure', 'error')),
    detail     TEXT NOT NULL,
    state_scan INTEGER, -- the device rows: device.scan_id = state_scan, device.name = target
    PRIMARY KEY (target, first_scan)
) WITHOUT ROWID;
CREATE INDEX observation_by_last ON observation (last_scan);
CREATE TABLE sample (
    scan_id     INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
    target      TEXT NOT NULL,
    uptime_cs   INTEGER,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (scan_id, target)
) WITHOUT ROWID;
INSERT INTO observation SELECT target, scan_id, scan_id, address, outcome, detail, state_scan
    FROM scan_target;
INSERT INTO sample SELECT scan_id, target, uptime_cs, duration_ms FROM scan_target;
DROP TABLE scan_target;
)sql",
    // 6: walks cut short are a fact of one scan, not of the device's state: a slow table on an
    // unchanged night must not store a new state (the state carries the last complete values).
    R"sql(
ALTER TABLE sample ADD COLUMN partial TEXT; -- space-separated walk names; NULL: see device
)sql",
    // 7: the hardware revision the identity rules read.
    R"sql(
ALTER TABLE device ADD COLUMN hardware TEXT;
)sql",
    // 8: CDP neighbours beside LLDP's.
    R"sql(
ALTER TABLE lldp_neighbor ADD COLUMN protocol TEXT NOT NULL DEFAULT 'lldp';
ALTER TABLE lldp_neighbor ADD COLUMN platform TEXT;
)sql",
    // 9: each target's round-trip time, smoothed and its variation (RFC 6298), so the next
    // scan's retransmission timeout starts from what this one measured.
    R"sql(
ALTER TABLE target_state ADD COLUMN srtt_us INTEGER;
ALTER TABLE target_state ADD COLUMN rttvar_us INTEGER;
)sql",
    // 10: which of a target's credentials answered (by name, never the secret): per
    // observation, for `show` and `scans`, and the last one per target, tried first next time.
    R"sql(
ALTER TABLE observation ADD COLUMN credential TEXT NOT NULL DEFAULT '';
ALTER TABLE target_state ADD COLUMN credential TEXT;
)sql",
    // 11: walks captured on site and imported (netinv import): the observation says which file
    // and when it was captured ('' for a poll); an import's scan names the target it brought.
    R"sql(
ALTER TABLE observation ADD COLUMN capture_file TEXT NOT NULL DEFAULT '';
ALTER TABLE observation ADD COLUMN captured_at TEXT NOT NULL DEFAULT '';
ALTER TABLE scan ADD COLUMN import_of TEXT;
)sql",
    // 12: several pollers write one database (netinv --poller NAME), each its own scans. A
    // scan and its observations name their poller ('' for the one poller of a province); what a
    // poll learns about a target (round-trip time, max-repetitions) is per poller, which reach
    // it by different paths.
    R"sql(
ALTER TABLE scan ADD COLUMN poller TEXT NOT NULL DEFAULT '';
ALTER TABLE observation ADD COLUMN poller TEXT NOT NULL DEFAULT '';
CREATE INDEX scan_by_poller ON scan (poller, id);
CREATE TABLE target_state_v12 (
    poller          TEXT NOT NULL DEFAULT '',
    target          TEXT NOT NULL,
    max_repetitions INTEGER,
    updated_scan    INTEGER NOT NULL,
    srtt_us         INTEGER,
    rttvar_us       INTEGER,
    credential      TEXT,
    PRIMARY KEY (poller, target)
);
INSERT INTO target_state_v12 (target, max_repetitions, updated_scan, srtt_us, rttvar_us,
    credential) SELECT target, max_repetitions, updated_scan, srtt_us, rttvar_us, credential
    FROM target_state;
DROP TABLE target_state;
ALTER TABLE target_state_v12 RENAME TO target_state;
)sql",
};

// The same schema on PostgreSQL, at version k_schema_version, as one script. Integers are
// bigint (SQLite's are 64-bit); text sorts by bytes as SQLite's does (netinv_text, collation
// "C"), whatever the database's locale. Keys between state rows are DEFERRABLE: pruning moves
// rows between owners in several statements (SQLite's defer_foreign_keys). Tables whose rows
// are read in the order they were stored have a generated `rowid`, SQLite's implicit one.
constexpr const char* k_postgresql_schema = R"sql(
CREATE DOMAIN netinv_text AS text COLLATE "C";
CREATE TABLE netinv_meta (key netinv_text PRIMARY KEY, value netinv_text NOT NULL);
CREATE TABLE scan (
    id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    started_at    netinv_text NOT NULL,
    finished_at   netinv_text,
    status        netinv_text NOT NULL
                  CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
    targets_total bigint NOT NULL,
    import_of     netinv_text,
    poller        netinv_text NOT NULL DEFAULT ''
);
CREATE INDEX scan_by_poller ON scan (poller, id);
CREATE TABLE device (
    scan_id        bigint NOT NULL REFERENCES scan(id) ON DELETE CASCADE
                   DEFERRABLE INITIALLY IMMEDIATE,
    name           netinv_text NOT NULL,
    target_address netinv_text NOT NULL,
    site netinv_text, sys_name netinv_text, sys_descr netinv_text, sys_object_id netinv_text,
    sys_uptime_cs bigint, sys_contact netinv_text, sys_location netinv_text, vendor netinv_text,
    model netinv_text, serial netinv_text, os netinv_text, version netinv_text, role netinv_text,
    ipv4_forwarding bigint, ipv6_forwarding bigint, cpus bigint, memory_bytes bigint,
    last_scan bigint, ipv6_hop_limit bigint, ipv6_address_mib netinv_text, tables netinv_text,
    partial netinv_text, mgmt6_address netinv_text, mgmt6_ok bigint, mgmt6_detail netinv_text,
    hardware netinv_text,
    PRIMARY KEY (scan_id, name)
);
CREATE TABLE interface (
    scan_id  bigint NOT NULL,
    device   netinv_text NOT NULL,
    if_index bigint NOT NULL,
    name netinv_text, descr netinv_text, alias netinv_text, type bigint, speed_bps bigint,
    mac netinv_text, admin_status netinv_text, oper_status netinv_text, ipv6_enabled bigint,
    ipv6_forwarding bigint, ra_send bigint, ra_lifetime_s bigint, ra_managed bigint,
    ra_other bigint, tunnel_encaps bigint,
    PRIMARY KEY (scan_id, device, if_index),
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
        DEFERRABLE INITIALLY IMMEDIATE
);
CREATE TABLE address (
    scan_id       bigint NOT NULL,
    device        netinv_text NOT NULL,
    family        netinv_text NOT NULL CHECK (family IN ('ipv4', 'ipv6')),
    address       netinv_text NOT NULL,
    prefix_length bigint,
    if_index      bigint,
    origin        netinv_text,
    status        netinv_text,
    anycast       bigint,
    rowid         bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
        DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX address_by_device ON address (scan_id, device);
CREATE TABLE route (
    scan_id bigint NOT NULL, device netinv_text NOT NULL,
    family netinv_text NOT NULL CHECK (family IN ('ipv4', 'ipv6')), next_hop netinv_text,
    if_index bigint,
    rowid bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
        DEFERRABLE INITIALLY IMMEDIATE
);
CREATE TABLE lldp_neighbor (
    scan_id bigint NOT NULL, device netinv_text NOT NULL, local_port bigint NOT NULL,
    chassis_id netinv_text, port_id netinv_text, port_descr netinv_text, sys_name netinv_text,
    management_addresses netinv_text NOT NULL,
    protocol netinv_text NOT NULL DEFAULT 'lldp', platform netinv_text,
    rowid bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
        DEFERRABLE INITIALLY IMMEDIATE
);
CREATE TABLE neighbor_cache (
    scan_id bigint NOT NULL, device netinv_text NOT NULL,
    family netinv_text NOT NULL CHECK (family IN ('ipv4', 'ipv6')),
    address netinv_text NOT NULL, mac netinv_text, if_index bigint, type netinv_text,
    rowid bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
        DEFERRABLE INITIALLY IMMEDIATE
);
CREATE TABLE vlan (
    scan_id bigint NOT NULL, device netinv_text NOT NULL, vlan_id bigint NOT NULL,
    name netinv_text,
    rowid bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
        DEFERRABLE INITIALLY IMMEDIATE
);
CREATE TABLE ipv6_router (
    scan_id bigint NOT NULL, device netinv_text NOT NULL, address netinv_text NOT NULL,
    if_index bigint NOT NULL, lifetime_s bigint NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
        DEFERRABLE INITIALLY IMMEDIATE
);
CREATE TABLE listener (
    scan_id bigint NOT NULL, device netinv_text NOT NULL, protocol netinv_text NOT NULL,
    family netinv_text, address netinv_text NOT NULL, port bigint NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (scan_id, device) REFERENCES device(scan_id, name) ON DELETE CASCADE
        DEFERRABLE INITIALLY IMMEDIATE
);
CREATE INDEX route_by_device ON route (scan_id, device);
CREATE INDEX lldp_by_device ON lldp_neighbor (scan_id, device);
CREATE INDEX cache_by_device ON neighbor_cache (scan_id, device);
CREATE INDEX vlan_by_device ON vlan (scan_id, device);
CREATE INDEX ipv6_router_by_device ON ipv6_router (scan_id, device);
CREATE INDEX listener_by_device ON listener (scan_id, device);
CREATE TABLE counter (
    scan_id bigint NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
    device netinv_text NOT NULL, oid netinv_text NOT NULL, value bigint NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX counter_by_device ON counter (scan_id, device);
CREATE TABLE volume (
    scan_id bigint NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
    device netinv_text NOT NULL, descr netinv_text NOT NULL,
    size_bytes bigint NOT NULL, used_bytes bigint NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX volume_by_device ON volume (scan_id, device);
CREATE TABLE observation (
    target       netinv_text NOT NULL,
    first_scan   bigint NOT NULL,
    last_scan    bigint NOT NULL,
    address      netinv_text NOT NULL,
    outcome      netinv_text NOT NULL CHECK (outcome IN ('ok', 'timeout', 'auth_failure', 'error')),
    detail       netinv_text NOT NULL,
    state_scan   bigint,
    credential   netinv_text NOT NULL DEFAULT '',
    capture_file netinv_text NOT NULL DEFAULT '',
    captured_at  netinv_text NOT NULL DEFAULT '',
    poller       netinv_text NOT NULL DEFAULT '',
    PRIMARY KEY (target, first_scan)
);
CREATE INDEX observation_by_last ON observation (last_scan);
CREATE TABLE sample (
    scan_id     bigint NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
    target      netinv_text NOT NULL,
    uptime_cs   bigint,
    duration_ms bigint NOT NULL,
    partial     netinv_text,
    PRIMARY KEY (scan_id, target)
);
CREATE TABLE target_state (
    poller          netinv_text NOT NULL DEFAULT '',
    target          netinv_text NOT NULL,
    max_repetitions bigint,
    updated_scan    bigint NOT NULL,
    srtt_us         bigint,
    rttvar_us       bigint,
    credential      netinv_text,
    PRIMARY KEY (poller, target)
);
)sql";

// How many of the latest scans keep their per-scan values (uptime, durations, counters, volume
// use): enough for the counter checks and a week of diffs.
constexpr int k_sample_scans = 7;

// An observation covering scan ?1.
constexpr const char* k_covers = "first_scan <= ?1 AND last_scan >= ?1";

// The tables holding a device's state, keyed (scan_id, device) by the scan that first saw it.
constexpr std::array<const char*, 8> k_state_tables = {"interface",     "address",        "route",
                                                       "lldp_neighbor", "neighbor_cache", "vlan",
                                                       "ipv6_router",   "listener"};

// What changes on every poll and so is stored per scan, not in the deduplicated state.
model::Device stable_part(model::Device d) {
    d.sys_uptime_cs.reset();
    d.partial.clear(); // per scan (sample.partial)
    d.counters.clear();
    d.volumes.clear();
    return d;
}

// Binds a reading's parameters in the order state_from numbers them: the scan, then the poller
// and the device when given.
void bind_pass(sql::Statement& st, std::int64_t id, const std::string* poller,
               const std::string* name) {
    int n = 1;
    st.bind(n, id);
    if (poller) {
        st.bind(++n, *poller);
    }
    if (name) {
        st.bind(++n, *name);
    }
}

template <typename T> void bind_opt(sql::Statement& st, int i, const std::optional<T>& v) {
    if (!v) {
        st.bind(i);
    } else if constexpr (std::is_same_v<T, std::string>) {
        st.bind(i, *v);
    } else {
        st.bind(i, static_cast<std::int64_t>(*v));
    }
}

// One INSERT per element of `rows` into a table keyed (scan_id, device, ...): `bind_rest`
// binds the columns from 3 on.
template <typename Range, typename Bind>
void insert_rows(sql::Database& db, const char* sql, std::int64_t scan_id,
                 const std::string& device, const Range& rows, Bind&& bind_rest) {
    sql::Statement st(db, sql);
    for (const auto& r : rows) {
        st.reset();
        st.bind(1, scan_id);
        st.bind(2, device);
        bind_rest(st, r);
        st.exec();
    }
}

std::optional<std::string> opt_text(const sql::Column& c) {
    if (c.isNull()) {
        return std::nullopt;
    }
    return c.getString();
}

template <typename T> std::optional<T> opt_int(const sql::Column& c) {
    if (c.isNull()) {
        return std::nullopt;
    }
    return static_cast<T>(c.getInt64());
}

// A space-separated list column.
std::vector<std::string> words(const sql::Column& c) {
    std::vector<std::string> out;
    const std::string text = c.isNull() ? "" : c.getString();
    for (std::size_t i = 0; i < text.size();) {
        const auto sp = text.find(' ', i);
        out.push_back(text.substr(i, sp - i));
        i = sp == std::string::npos ? text.size() : sp + 1;
    }
    return out;
}

ScanStatus status_from(const std::string& s) {
    if (s == "complete") {
        return ScanStatus::complete;
    }
    if (s == "interrupted") {
        return ScanStatus::interrupted;
    }
    if (s == "failed") {
        return ScanStatus::failed;
    }
    return ScanStatus::running;
}

} // namespace

bool is_postgresql(std::string_view db) {
    return sql::is_postgresql_url(db);
}

bool has_password(std::string_view url) {
    return sql::has_password(url);
}

std::string_view to_string(ScanStatus s) {
    switch (s) {
    case ScanStatus::running:
        return "running";
    case ScanStatus::complete:
        return "complete";
    case ScanStatus::interrupted:
        return "interrupted";
    case ScanStatus::failed:
        return "failed";
    }
    return "running";
}

// Runs `f`, turning the backend's failures into netinv::Error naming the database.
template <typename F> auto Store::guard(F&& f) const -> decltype(f()) {
    try {
        return f();
    } catch (const sql::Failure& e) {
        throw Error(fmt::format("{}: {}", m_path, e.what()));
    }
}

Store::Store(const std::string& path, Mode mode, const std::string& application)
    : m_path(sql::is_postgresql_url(path) ? sql::display_url(path) : path) {
    guard([&] {
        if (sql::is_postgresql_url(path)) {
            m_db = sql::open_postgresql(path, application);
            if (mode == Mode::read_only) {
                m_db->exec("SET default_transaction_read_only = on");
                if (postgresql_tables(true) == 0) {
                    throw Error(
                        fmt::format("{}: no netinv database yet; run 'netinv scan' first", m_path));
                }
                check_version();
            } else {
                migrate_postgresql();
            }
            return;
        }
        m_db = sql::open_sqlite(path, mode == Mode::read_only, mode == Mode::read_write_create);
        if (mode == Mode::read_only) {
            check_version();
            return;
        }
        migrate();
    });
}

bool Store::on_postgresql() const {
    return m_db->backend() == sql::Backend::postgresql;
}

std::int64_t Store::postgresql_tables(bool meta_only) const {
    return sql::query_int(*m_db, std::string("SELECT count(*) FROM pg_catalog.pg_tables WHERE "
                                             "schemaname = current_schema()") +
                                     (meta_only ? " AND tablename = 'netinv_meta'" : ""));
}

void Store::refuse_foreign() const {
    throw Error(fmt::format("{}: not a netinv database (it holds other data); refusing to "
                            "change it",
                            m_path));
}

void Store::refuse_newer(int version) const {
    throw Error(fmt::format("{}: schema version {} is newer than this netinv understands ({}); "
                            "upgrade netinv",
                            m_path, version, k_schema_version));
}

void Store::check_version() {
    const int version = schema_version();
    if (!on_postgresql() && sql::query_int(*m_db, "PRAGMA application_id") != k_application_id) {
        throw Error(fmt::format("{}: not a netinv database", m_path));
    }
    if (version != k_schema_version) {
        throw Error(fmt::format("{}: schema version {}, this netinv reads {}; the database's "
                                "owner must run a netinv command that writes it first",
                                m_path, version, k_schema_version));
    }
}

Store::~Store() = default;

std::set<std::string> Store::targets_seen_up_to(std::int64_t scan_id) const {
    return guard([&] {
        sql::Statement st(*m_db, "SELECT DISTINCT target FROM observation WHERE first_scan "
                                 "<= ? AND state_scan IS NOT NULL");
        st.bind(1, scan_id);
        std::set<std::string> out;
        while (st.executeStep()) {
            out.insert(st.getColumn(0).getString());
        }
        return out;
    });
}

std::vector<std::int64_t> Store::close_abandoned_scans(const std::string& now) {
    return guard([&] {
        std::vector<std::int64_t> ids;
        // SQLite's lock is the whole file's: no run of any poller is writing. PostgreSQL's is
        // the poller's: other pollers' scans may be running now.
        const std::string mine = on_postgresql() ? " AND poller = ?" : "";
        sql::Statement st(*m_db,
                          "SELECT id FROM scan WHERE status = 'running'" + mine + " ORDER BY id");
        sql::Statement up(*m_db, "UPDATE scan SET status = 'interrupted', finished_at = ? "
                                 "WHERE status = 'running'" +
                                     mine);
        up.bind(1, now);
        if (on_postgresql()) {
            st.bind(1, m_poller);
            up.bind(2, m_poller);
        }
        while (st.executeStep()) {
            ids.push_back(st.getColumn(0).getInt64());
        }
        up.exec();
        return ids;
    });
}

void Store::delete_scans(const std::vector<std::int64_t>& ids_in) {
    guard([&] {
        std::string list;
        for (auto id : ids_in) {
            list += fmt::format("{}{}", list.empty() ? "" : ",", id);
        }
        if (list.empty()) {
            return;
        }
        sql::Transaction tx(*m_db);
        // Rows move between owners in several statements; the keys agree again at commit.
        m_db->defer_foreign_keys();
        // Ranges keep only the scans that stay; a range left with none goes.
        const std::string stays = fmt::format("FROM scan WHERE id BETWEEN first_scan AND last_scan "
                                              "AND scan.poller = observation.poller AND id NOT "
                                              "IN ({})",
                                              list);
        m_db->exec(fmt::format("DELETE FROM observation WHERE NOT EXISTS (SELECT 1 {})", stays));
        m_db->exec(fmt::format("UPDATE observation SET first_scan = (SELECT min(id) {0}), "
                               "last_scan = (SELECT max(id) {0})",
                               stays));
        // A state first stored by a deleted scan but still seen moves to the first scan that
        // still sees it (that scan reused it, so it holds no rows of its own for the target).
        sql::Statement keep(*m_db, fmt::format("SELECT state_scan, target, min(first_scan) FROM "
                                               "observation WHERE state_scan IN ({}) GROUP BY "
                                               "state_scan, target",
                                               list));
        std::vector<std::tuple<std::int64_t, std::string, std::int64_t>> moves;
        while (keep.executeStep()) {
            moves.emplace_back(keep.getColumn(0).getInt64(), keep.getColumn(1).getString(),
                               keep.getColumn(2).getInt64());
        }
        for (const auto& [old, target, owner] : moves) {
            auto move = [&](const std::string& sql) {
                sql::Statement st(*m_db, sql);
                st.bind(1, owner);
                st.bind(2, old);
                st.bind(3, target);
                st.exec();
            };
            move("UPDATE device SET scan_id = ? WHERE scan_id = ? AND name = ?");
            for (const char* t : k_state_tables) {
                move(fmt::format("UPDATE {} SET scan_id = ? WHERE scan_id = ? AND device = ?", t));
            }
            move("UPDATE observation SET state_scan = ? WHERE state_scan = ? AND target = ?");
        }
        m_db->exec(fmt::format("DELETE FROM scan WHERE id IN ({})", list));
        tx.commit();
        if (!on_postgresql()) { // PostgreSQL's autovacuum reclaims the space
            m_db->exec("VACUUM");
        }
    });
}

std::vector<Store::Finding> Store::check(bool writer_active) const {
    return guard([&] {
        std::vector<Finding> out;
        if (!on_postgresql()) { // the server checks its own pages and every key
            sql::Statement ic(*m_db, "PRAGMA integrity_check(20)");
            while (ic.executeStep()) {
                const std::string line = ic.getColumn(0).getString();
                if (line != "ok") {
                    out.push_back({true, "SQLite integrity: " + line +
                                             " (restore the file from a backup; netinv cannot "
                                             "repair it)"});
                }
            }
            sql::Statement fk(*m_db, "PRAGMA foreign_key_check");
            while (fk.executeStep()) {
                out.push_back(
                    {true, fmt::format("row {} of table {} refers to a missing row of {}",
                                       fk.getColumn(1).getInt64(), fk.getColumn(0).getString(),
                                       fk.getColumn(2).getString())});
            }
        }
        sql::Statement lost(*m_db,
                            "SELECT t.first_scan, t.target FROM observation t WHERE "
                            "t.state_scan IS NOT NULL AND NOT EXISTS (SELECT 1 FROM device d "
                            "WHERE d.scan_id = t.state_scan AND d.name = t.target) LIMIT 20");
        while (lost.executeStep()) {
            out.push_back(
                {true, fmt::format("scan {}: the device stored for {} is missing",
                                   lost.getColumn(0).getInt64(), lost.getColumn(1).getString())});
        }
        if (!writer_active) {
            sql::Statement run(*m_db, "SELECT id, started_at FROM scan WHERE status = "
                                      "'running'");
            while (run.executeStep()) {
                out.push_back({false, fmt::format("scan {} (started {}) never finished: the run "
                                                  "was killed, or could not write its end; it is "
                                                  "not reported as complete, "
                                                  "and the next scan marks it interrupted",
                                                  run.getColumn(0).getInt64(),
                                                  run.getColumn(1).getString())});
            }
        }
        const auto orphans = sql::query_int(
            *m_db, "SELECT count(*) FROM device d WHERE NOT EXISTS (SELECT 1 FROM "
                   "observation t WHERE t.state_scan = d.scan_id AND t.target = d.name)");
        if (orphans > 0) {
            out.push_back({false, fmt::format("{} stored device states belong to no scan (space "
                                              "only; 'netinv prune' removes them)",
                                              orphans)});
        }
        return out;
    });
}

std::string Store::damage() const {
    std::vector<std::string> errors;
    for (auto& f : check(true)) {
        if (f.error) {
            errors.push_back(std::move(f.text));
        }
    }
    if (errors.empty()) {
        return {};
    }
    return errors.size() == 1 ? errors.front()
                              : fmt::format("{}, and {} more", errors.front(), errors.size() - 1);
}

namespace {

// The advisory lock key of a poller: FNV-1a of the name, under netinv's own prefix.
std::int64_t poller_key(const std::string& poller) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : "netinv poller " + poller) {
        h = (h ^ c) * 1099511628211ull;
    }
    return static_cast<std::int64_t>(h);
}

} // namespace

bool Store::lock_poller(std::string& holder) {
    return guard([&] {
        sql::Statement st(*m_db, "SELECT pg_try_advisory_lock(?1)");
        st.bind(1, poller_key(m_poller));
        st.executeStep();
        if (st.getColumn(0).getString() == "t") {
            return true;
        }
        sql::Statement who(*m_db, "SELECT a.application_name, a.pid, coalesce(a.client_addr::text, "
                                  "'local') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = "
                                  "l.pid WHERE l.locktype = 'advisory' AND l.granted AND "
                                  "l.objsubid = 1 AND ((l.classid::bigint << 32) | "
                                  "l.objid::bigint) = ?1");
        who.bind(1, poller_key(m_poller));
        if (who.executeStep()) {
            holder = fmt::format("{} (server pid {}, from {})", who.getColumn(0).getString(),
                                 who.getColumn(1).getInt64(), who.getColumn(2).getString());
        }
        return false;
    });
}

bool Store::writer_active() const {
    return guard([&] {
        return sql::query_int(*m_db, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON "
                                     "a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                                     "AND a.application_name LIKE 'netinv %' AND l.pid != "
                                     "pg_backend_pid()") > 0;
    });
}

int Store::schema_version() const {
    return guard([&] {
        if (!on_postgresql()) {
            return static_cast<int>(sql::query_int(*m_db, "PRAGMA user_version"));
        }
        sql::Statement st(*m_db, "SELECT value FROM netinv_meta WHERE key = 'schema_version'");
        if (!st.executeStep()) {
            throw Error(fmt::format("{}: not a netinv database", m_path));
        }
        return std::atoi(st.getColumn(0).getString().c_str());
    });
}

void Store::migrate() {
    const int version = schema_version();
    const auto app_id = sql::query_int(*m_db, "PRAGMA application_id");
    const auto tables = sql::query_int(*m_db, "SELECT count(*) FROM sqlite_master");
    if (app_id != k_application_id && (app_id != 0 || tables != 0)) {
        refuse_foreign();
    }
    if (version > k_schema_version) {
        refuse_newer(version);
    }
    // Only now that it is known to be netinv's (or empty): a new file is made in WAL mode
    // from its first transaction, not through a rollback journal and its syncs.
    m_db->exec("PRAGMA journal_mode = WAL");
    m_db->exec("PRAGMA synchronous = NORMAL");
    if (version == k_schema_version) {
        return;
    }
    // Every step in one transaction: an upgrade (or a new file's schema) is whole or not at
    // all, and a new database costs one commit, not one per version (each a journal and its
    // syncs: a tenth of a first scan's time on a LAN).
    sql::Transaction tx(*m_db);
    for (int v = version; v < k_schema_version; ++v) {
        m_db->exec(k_migrations[static_cast<std::size_t>(v)]);
    }
    m_db->exec(fmt::format("PRAGMA application_id = {}", k_application_id));
    m_db->exec(fmt::format("PRAGMA user_version = {}", k_schema_version));
    tx.commit();
}

// PostgreSQL starts at the schema of this version, whole; later versions will add numbered
// steps of their own, as SQLite's. netinv_meta holds what SQLite keeps in its PRAGMAs.
void Store::migrate_postgresql() {
    sql::Transaction tx(*m_db);
    // Two pollers starting on an empty database: one creates the schema, the other waits.
    m_db->exec(fmt::format("SELECT pg_advisory_xact_lock({})", k_application_id));
    if (postgresql_tables(true) == 0) {
        if (postgresql_tables(false) != 0) {
            refuse_foreign();
        }
        m_db->exec(k_postgresql_schema);
        m_db->exec(fmt::format("INSERT INTO netinv_meta VALUES ('application', 'netinv'), "
                               "('schema_version', '{}')",
                               k_schema_version));
    }
    const int version = schema_version();
    if (version > k_schema_version) {
        refuse_newer(version);
    }
    if (version < k_schema_version) {
        throw Error(fmt::format("{}: schema version {} cannot be migrated by this netinv ({})",
                                m_path, version, k_schema_version));
    }
    tx.commit();
}

std::int64_t Store::previous_scan(std::int64_t scan_id) {
    // Asked once per target of a scan; the answer is the same for all of them.
    if (m_previous.first != scan_id) {
        sql::Statement st(*m_db, "SELECT coalesce(max(id), 0) FROM scan WHERE id < ? AND poller "
                                 "= ?");
        st.bind(1, scan_id);
        st.bind(2, m_poller);
        st.executeStep();
        m_previous = {scan_id, st.getColumn(0).getInt64()};
    }
    return m_previous.second;
}

std::int64_t Store::begin_scan(const std::string& started_at, std::int64_t targets_total) {
    return guard([&] {
        sql::Statement st(*m_db, "INSERT INTO scan (started_at, status, targets_total, poller) "
                                 "VALUES (?, 'running', ?, ?)");
        st.bind(1, started_at);
        st.bind(2, targets_total);
        st.bind(3, m_poller);
        st.exec();
        return m_db->last_insert_id();
    });
}

std::int64_t Store::begin_import(const std::string& started_at, std::optional<std::int64_t> from,
                                 const std::string& target) {
    return guard([&] {
        sql::Transaction tx(*m_db);
        sql::Statement st(*m_db, "INSERT INTO scan (started_at, status, targets_total, "
                                 "import_of, poller) VALUES (?, 'running', 0, ?, ?)");
        st.bind(1, started_at);
        st.bind(2, target);
        st.bind(3, m_poller);
        st.exec();
        const std::int64_t id = m_db->last_insert_id();
        if (from) {
            const auto prev = previous_scan(id);
            // Ranges that end with the scan before this one grow; others get a row of their own.
            const auto run = [&](const char* sql, std::vector<std::int64_t> ids,
                                 std::vector<std::string> texts) {
                sql::Statement carry(*m_db, sql);
                int n = 0;
                for (auto v : ids) {
                    carry.bind(++n, v);
                }
                for (const auto& t : texts) {
                    carry.bind(++n, t);
                }
                carry.exec();
            };
            run("INSERT INTO observation (target, first_scan, last_scan, address, outcome, "
                "detail, state_scan, credential, capture_file, captured_at, poller) SELECT target, "
                "?1, ?1, address, outcome, detail, state_scan, credential, capture_file, "
                "captured_at, poller FROM observation WHERE first_scan <= ?2 AND last_scan >= ?2 "
                "AND last_scan != ?3 AND target != ?4 AND poller = ?5",
                {id, *from, prev}, {target, m_poller});
            run("UPDATE observation SET last_scan = ?1 WHERE first_scan <= ?2 AND last_scan = ?3 "
                "AND last_scan >= ?2 AND target != ?4 AND poller = ?5",
                {id, *from, prev}, {target, m_poller});
            run("UPDATE device SET last_scan = ?1 WHERE EXISTS (SELECT 1 FROM observation o WHERE "
                "o.last_scan = ?1 AND o.state_scan = device.scan_id AND o.target = device.name)",
                {id}, {});
            // What a scan keeps per scan (uptime, durations, volume use, counters) comes along.
            run("INSERT INTO sample SELECT ?1, target, uptime_cs, duration_ms, partial FROM sample "
                "WHERE scan_id = ?2 AND target != ?3",
                {id, *from}, {target});
            run("INSERT INTO volume SELECT ?1, device, descr, size_bytes, used_bytes FROM volume "
                "WHERE scan_id = ?2 AND device != ?3",
                {id, *from}, {target});
            run("INSERT INTO counter SELECT ?1, device, oid, value FROM counter WHERE scan_id = ?2 "
                "AND device != ?3",
                {id, *from}, {target});
        }
        sql::Statement total(*m_db, "UPDATE scan SET targets_total = (SELECT count(*) + 1 FROM "
                                    "observation WHERE first_scan <= ?1 AND last_scan >= ?1 "
                                    "AND poller = ?2) WHERE id = ?1");
        total.bind(1, id);
        total.bind(2, m_poller);
        total.exec();
        tx.commit();
        return id;
    });
}

void Store::begin_batch() {
    m_batching = true;
}

void Store::commit_batch() {
    guard([&] {
        if (m_batch) {
            auto tx = std::move(m_batch);
            m_batch_size = 0;
            tx->commit();
        }
    });
}

void Store::save_target(std::int64_t scan_id, const model::TargetOutcome& o, const model::Device* d,
                        const TargetState* state) {
    try {
        save_target_rows(scan_id, o, d, state);
    } catch (...) {
        m_batch.reset(); // rolls back the targets not yet committed with this one's rows
        m_batch_size = 0;
        throw;
    }
}

void Store::save_target_rows(std::int64_t scan_id, const model::TargetOutcome& o,
                             const model::Device* d, const TargetState* state) {
    return guard([&] {
        std::optional<sql::Transaction> own;
        if (!m_batching) {
            own.emplace(*m_db);
        } else if (!m_batch) {
            m_batch = std::make_unique<sql::Transaction>(*m_db);
        }
        std::optional<std::int64_t> state_scan;
        std::optional<model::Device> merged;
        if (d) {
            merged = *d;
            d = &*merged;
            // Reuse the last stored state of this target when nothing but counters changed.
            sql::Statement prev(*m_db, "SELECT state_scan FROM observation WHERE target = ? AND "
                                       "first_scan < ? AND state_scan IS NOT NULL AND poller = ? "
                                       "ORDER BY first_scan DESC LIMIT 1");
            prev.bind(1, o.target);
            prev.bind(2, scan_id);
            prev.bind(3, m_poller);
            if (prev.executeStep()) {
                const std::int64_t at = prev.getColumn(0).getInt64();
                auto old = load_devices(at, &d->name, true, nullptr);
                if (old.size() == 1) {
                    model::carry_forward(old.front(), *merged); // walks cut short tonight
                }
                if (old.size() == 1 && stable_part(std::move(old.front())) == stable_part(*d)) {
                    state_scan = at;
                    sql::Statement seen(*m_db, "UPDATE device SET last_scan = ? WHERE "
                                               "scan_id = ? AND name = ?");
                    seen.bind(1, scan_id);
                    seen.bind(2, at);
                    seen.bind(3, d->name);
                    seen.exec();
                }
            }
            if (!state_scan) {
                save_state(scan_id, *d);
                state_scan = scan_id;
            }
            save_volatile(scan_id, *d);
        }
        // The same as the target's observation in the scan before: extend its range.
        const std::string outcome(model::to_string(o.outcome));
        sql::Statement last(*m_db, "SELECT first_scan, last_scan, address, outcome, detail, "
                                   "state_scan, credential, capture_file, captured_at FROM "
                                   "observation WHERE target = ? AND poller = ? ORDER BY "
                                   "first_scan DESC LIMIT 1");
        last.bind(1, o.target);
        last.bind(2, m_poller);
        bool extended = false;
        std::optional<std::int64_t> stood_from; // the scan whose capture stands for this one
        if (last.executeStep()) {
            const auto prev_scan = previous_scan(scan_id);
            const std::optional<std::int64_t> prev_state = opt_int<std::int64_t>(last.getColumn(5));
            const bool same = last.getColumn(2).getString() == o.address &&
                              last.getColumn(3).getString() == outcome &&
                              last.getColumn(4).getString() == o.detail &&
                              prev_state == state_scan &&
                              last.getColumn(6).getString() == o.credential &&
                              last.getColumn(7).getString() == o.capture_file &&
                              last.getColumn(8).getString() == o.captured_at;
            // A capture stands for its target until a poll reaches it: a poll that does not
            // leaves the capture in the picture.
            const bool capture_stands = o.outcome != model::Outcome::ok && o.capture_file.empty() &&
                                        !last.getColumn(7).getString().empty() &&
                                        last.getColumn(3).getString() == "ok";
            if (last.getColumn(1).getInt64() == prev_scan && (same || capture_stands)) {
                sql::Statement up(*m_db, "UPDATE observation SET last_scan = ? WHERE target = ? "
                                         "AND first_scan = ?");
                up.bind(1, scan_id);
                up.bind(2, o.target);
                up.bind(3, last.getColumn(0).getInt64());
                up.exec();
                extended = true;
                if (!same) {
                    stood_from = prev_scan;
                }
            }
        }
        if (!extended) {
            sql::Statement st(*m_db, "INSERT INTO observation (target, first_scan, "
                                     "last_scan, address, outcome, detail, state_scan, "
                                     "credential, capture_file, captured_at, poller) VALUES "
                                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            st.bind(1, o.target);
            st.bind(2, scan_id);
            st.bind(3, scan_id);
            st.bind(4, o.address);
            st.bind(5, outcome);
            st.bind(6, o.detail);
            bind_opt(st, 7, state_scan);
            st.bind(8, o.credential);
            st.bind(9, o.capture_file);
            st.bind(10, o.captured_at);
            st.bind(11, m_poller);
            st.exec();
        }
        sql::Statement sample(*m_db, "INSERT INTO sample VALUES (?, ?, ?, ?, ?)");
        sample.bind(1, scan_id);
        sample.bind(2, o.target);
        bind_opt(sample, 3, d ? d->sys_uptime_cs : std::nullopt);
        sample.bind(4, o.duration_ms);
        std::string cut;
        for (const auto& w : d ? d->partial : std::vector<std::string>{}) {
            cut += (cut.empty() ? "" : " ") + w;
        }
        sample.bind(5, cut);
        sample.exec();
        if (stood_from) {
            // What the capture said per scan comes along too (uptime, volumes), except its
            // counters: one sample does not make a rate, and a copy would look like no traffic.
            for (const char* sql :
                 {"UPDATE sample SET uptime_cs = (SELECT uptime_cs FROM sample WHERE scan_id = ?2 "
                  "AND target = ?3), partial = (SELECT partial FROM sample WHERE scan_id = ?2 AND "
                  "target = ?3) WHERE scan_id = ?1 AND target = ?3",
                  "INSERT INTO volume SELECT ?1, device, descr, size_bytes, used_bytes FROM volume "
                  "WHERE scan_id = ?2 AND device = ?3"}) {
                sql::Statement st(*m_db, sql);
                st.bind(1, scan_id);
                st.bind(2, *stood_from);
                st.bind(3, o.target);
                st.exec();
            }
            sql::Statement seen(*m_db, "UPDATE device SET last_scan = ?1 WHERE name = ?2 AND "
                                       "scan_id = (SELECT state_scan FROM observation WHERE "
                                       "target = ?2 AND last_scan = ?1)");
            seen.bind(1, scan_id);
            seen.bind(2, o.target);
            seen.exec();
        }
        if (state && (state->max_repetitions || state->srtt_us || state->credential)) {
            // What this scan did not learn stays as an earlier one learned it.
            sql::Statement ts(*m_db, "INSERT INTO target_state (target, max_repetitions, "
                                     "updated_scan, srtt_us, rttvar_us, credential, poller) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (poller, target) "
                                     "DO UPDATE SET "
                                     "max_repetitions = coalesce(excluded.max_repetitions, "
                                     "target_state.max_repetitions), updated_scan = "
                                     "excluded.updated_scan, srtt_us = "
                                     "coalesce(excluded.srtt_us, target_state.srtt_us), "
                                     "rttvar_us = coalesce(excluded.rttvar_us, "
                                     "target_state.rttvar_us), credential = "
                                     "coalesce(excluded.credential, target_state.credential)");
            ts.bind(1, o.target);
            bind_opt(ts, 2, state->max_repetitions);
            ts.bind(3, scan_id);
            bind_opt(ts, 4, state->srtt_us);
            bind_opt(ts, 5, state->rttvar_us);
            bind_opt(ts, 6, state->credential);
            ts.bind(7, m_poller);
            ts.exec();
        }
        if (own) {
            own->commit();
        } else {
            ++m_batch_size;
        }
    });
}

void Store::save_state(std::int64_t scan_id, const model::Device& dv) {
    const model::Device* d = &dv;
    sql::Statement dev(*m_db, "INSERT INTO device (scan_id, name, target_address, site, "
                              "sys_name, sys_descr, sys_object_id, sys_contact, "
                              "sys_location, vendor, model, serial, os, version, role, "
                              "ipv4_forwarding, ipv6_forwarding, cpus, memory_bytes, last_scan, "
                              "ipv6_hop_limit, ipv6_address_mib, tables, mgmt6_address, "
                              "mgmt6_ok, mgmt6_detail, partial, hardware) VALUES (?, ?, ?, ?, ?, "
                              "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                              "?)");
    dev.bind(1, scan_id);
    dev.bind(2, d->name);
    dev.bind(3, d->target_address);
    bind_opt(dev, 4, d->site);
    bind_opt(dev, 5, d->sys_name);
    bind_opt(dev, 6, d->sys_descr);
    bind_opt(dev, 7, d->sys_object_id);
    bind_opt(dev, 8, d->sys_contact);
    bind_opt(dev, 9, d->sys_location);
    bind_opt(dev, 10, d->vendor);
    bind_opt(dev, 11, d->model);
    bind_opt(dev, 12, d->serial);
    bind_opt(dev, 13, d->os);
    bind_opt(dev, 14, d->version);
    bind_opt(dev, 15, d->role);
    bind_opt(dev, 16, d->ipv4_forwarding);
    bind_opt(dev, 17, d->ipv6_forwarding);
    bind_opt(dev, 18, d->cpus);
    bind_opt(dev, 19, d->memory_bytes);
    dev.bind(20, scan_id);
    bind_opt(dev, 21, d->ipv6_hop_limit);
    bind_opt(dev, 22, d->ipv6_address_mib);
    std::string tables;
    for (const auto& t : d->tables) {
        tables += (tables.empty() ? "" : " ") + t;
    }
    dev.bind(23, tables);
    std::string partial;
    for (const auto& t : d->partial) {
        partial += (partial.empty() ? "" : " ") + t;
    }
    dev.bind(27, partial);
    bind_opt(dev, 28, d->hardware);
    if (d->ipv6_management) {
        dev.bind(24, d->ipv6_management->address);
        dev.bind(25, d->ipv6_management->ok ? 1 : 0);
        dev.bind(26, d->ipv6_management->detail);
    }
    dev.exec();
    sql::Statement itf(*m_db, "INSERT INTO interface (scan_id, device, if_index, name, descr, "
                              "alias, type, speed_bps, mac, admin_status, oper_status, "
                              "ipv6_enabled, ipv6_forwarding, ra_send, ra_lifetime_s, "
                              "ra_managed, ra_other, tunnel_encaps) VALUES (?, ?, ?, ?, ?, ?, "
                              "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& i : d->interfaces) {
        itf.reset();
        itf.bind(1, scan_id);
        itf.bind(2, d->name);
        itf.bind(3, static_cast<std::int64_t>(i.index));
        bind_opt(itf, 4, i.name);
        bind_opt(itf, 5, i.descr);
        bind_opt(itf, 6, i.alias);
        bind_opt(itf, 7, i.type);
        bind_opt(itf, 8, i.speed_bps);
        bind_opt(itf, 9, i.mac);
        auto status = [](const std::optional<model::IfStatus>& s) {
            return s ? std::optional<std::string>(std::string(model::to_string(*s))) : std::nullopt;
        };
        bind_opt(itf, 10, status(i.admin_status));
        bind_opt(itf, 11, status(i.oper_status));
        bind_opt(itf, 12, i.ipv6_enabled);
        bind_opt(itf, 13, i.ipv6_forwarding);
        bind_opt(itf, 14, i.ra_send);
        bind_opt(itf, 15, i.ra_lifetime_s);
        bind_opt(itf, 16, i.ra_managed);
        bind_opt(itf, 17, i.ra_other);
        bind_opt(itf, 18, i.tunnel_encaps);
        itf.exec();
    }
    sql::Statement addr(*m_db, "INSERT INTO address (scan_id, device, family, address, "
                               "prefix_length, if_index, origin, status, anycast) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& a : d->addresses) {
        addr.reset();
        addr.bind(1, scan_id);
        addr.bind(2, d->name);
        addr.bind(3, std::string(model::to_string(a.family)));
        addr.bind(4, a.address);
        bind_opt(addr, 5, a.prefix_length);
        bind_opt(addr, 6, a.if_index);
        bind_opt(addr, 7, a.origin);
        bind_opt(addr, 8, a.status);
        bind_opt(addr, 9, a.anycast);
        addr.exec();
    }
    save_facts(scan_id, *d);
}

void Store::save_volatile(std::int64_t scan_id, const model::Device& d) {
    insert_rows(*m_db, "INSERT INTO volume VALUES (?, ?, ?, ?, ?)", scan_id, d.name, d.volumes,
                [](sql::Statement& st, const model::Volume& v) {
                    st.bind(3, v.descr);
                    st.bind(4, static_cast<std::int64_t>(v.size_bytes));
                    st.bind(5, static_cast<std::int64_t>(v.used_bytes));
                });
    insert_rows(*m_db, "INSERT INTO counter VALUES (?, ?, ?, ?)", scan_id, d.name, d.counters,
                [](sql::Statement& st, const model::Counter& c) {
                    st.bind(3, c.oid);
                    st.bind(4, static_cast<std::int64_t>(c.value)); // the bits of the uint64
                });
}

void Store::save_facts(std::int64_t scan_id, const model::Device& d) {
    const auto family = [](model::Family f) {
        return std::string(model::to_string(f));
    };
    insert_rows(*m_db, "INSERT INTO route VALUES (?, ?, ?, ?, ?)", scan_id, d.name,
                d.default_routes, [&](sql::Statement& st, const model::Route& r) {
                    st.bind(3, family(r.family));
                    bind_opt(st, 4, r.next_hop);
                    bind_opt(st, 5, r.if_index);
                });
    insert_rows(*m_db,
                "INSERT INTO lldp_neighbor (scan_id, device, local_port, chassis_id, port_id, "
                "port_descr, sys_name, management_addresses, protocol, platform) VALUES (?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?)",
                scan_id, d.name, d.lldp, [](sql::Statement& st, const model::Neighbor& n) {
                    std::string mgmt;
                    for (const auto& a : n.management_addresses) {
                        mgmt += (mgmt.empty() ? "" : " ") + a;
                    }
                    st.bind(3, static_cast<std::int64_t>(n.local_port));
                    bind_opt(st, 4, n.chassis_id);
                    bind_opt(st, 5, n.port_id);
                    bind_opt(st, 6, n.port_descr);
                    bind_opt(st, 7, n.sys_name);
                    st.bind(8, mgmt);
                    st.bind(9, n.protocol);
                    bind_opt(st, 10, n.platform);
                });
    insert_rows(*m_db,
                "INSERT INTO neighbor_cache (scan_id, device, family, address, mac, if_index, "
                "type) VALUES (?, ?, ?, ?, ?, ?, ?)",
                scan_id, d.name, d.neighbor_cache,
                [&](sql::Statement& st, const model::CacheEntry& e) {
                    st.bind(3, family(e.family));
                    st.bind(4, e.address);
                    bind_opt(st, 5, e.mac);
                    bind_opt(st, 6, e.if_index);
                    bind_opt(st, 7, e.type);
                });
    insert_rows(*m_db, "INSERT INTO vlan VALUES (?, ?, ?, ?)", scan_id, d.name, d.vlans,
                [](sql::Statement& st, const model::Vlan& v) {
                    st.bind(3, static_cast<std::int64_t>(v.id));
                    bind_opt(st, 4, v.name);
                });
    insert_rows(*m_db, "INSERT INTO ipv6_router VALUES (?, ?, ?, ?, ?)", scan_id, d.name,
                d.ipv6_routers, [](sql::Statement& st, const model::Ipv6Router& r) {
                    st.bind(3, r.address);
                    st.bind(4, static_cast<std::int64_t>(r.if_index));
                    st.bind(5, static_cast<std::int64_t>(r.lifetime_s));
                });
    insert_rows(*m_db, "INSERT INTO listener VALUES (?, ?, ?, ?, ?, ?)", scan_id, d.name,
                d.listeners, [&](sql::Statement& st, const model::Listener& l) {
                    st.bind(3, l.protocol);
                    bind_opt(st, 4,
                             l.family ? std::optional<std::string>(family(*l.family))
                                      : std::nullopt);
                    st.bind(5, l.address);
                    st.bind(6, static_cast<std::int64_t>(l.port));
                });
}

// Where the state rows of `id` are: directly (id is the scan that first saw them) or through
// scan_target (id is a scan, the rows are wherever its state_scan points).
std::string Store::state_from(const char* table, const char* name_col, bool direct, bool by_name,
                              bool by_poller) const {
    std::string sql = direct ? fmt::format(" FROM {} x WHERE x.scan_id = ?1", table)
                             : fmt::format(" FROM {0} x JOIN observation t ON t.state_scan = "
                                           "x.scan_id AND t.target = x.{1} WHERE t.first_scan <= "
                                           "?1 AND t.last_scan >= ?1",
                                           table, name_col);
    int n = 1;
    if (by_poller) {
        sql += fmt::format(" AND t.poller = ?{}", ++n);
    }
    if (by_name) {
        sql += fmt::format(" AND x.{} = ?{}", name_col, ++n);
    }
    return sql;
}

void Store::load_facts(std::int64_t id, const std::string* name, bool direct,
                       const std::string* poller, const std::map<std::string, std::size_t>& pos,
                       std::vector<model::Device>& out) const {
    auto query = [&](const std::string& cols, const char* table, auto&& row) {
        sql::Statement st(*m_db, "SELECT " + cols +
                                     state_from(table, "device", direct, name, poller) +
                                     " ORDER BY x.rowid");
        bind_pass(st, id, poller, name);
        while (st.executeStep()) {
            auto it = pos.find(st.getColumn(0).getString());
            if (it != pos.end()) {
                row(st, out[it->second]);
            }
        }
    };
    auto family = [](const sql::Column& c) {
        return model::family_from_string(c.getString()).value_or(model::Family::ipv4);
    };
    query("x.device, x.family, x.next_hop, x.if_index", "route",
          [&](sql::Statement& st, model::Device& d) {
              d.default_routes.push_back(model::Route{family(st.getColumn(1)),
                                                      opt_text(st.getColumn(2)),
                                                      opt_int<std::uint32_t>(st.getColumn(3))});
          });
    query("x.device, x.local_port, x.chassis_id, x.port_id, x.port_descr, x.sys_name, "
          "x.management_addresses, x.protocol, x.platform",
          "lldp_neighbor", [&](sql::Statement& st, model::Device& d) {
              model::Neighbor n;
              n.local_port = static_cast<std::uint32_t>(st.getColumn(1).getInt64());
              n.chassis_id = opt_text(st.getColumn(2));
              n.port_id = opt_text(st.getColumn(3));
              n.port_descr = opt_text(st.getColumn(4));
              n.sys_name = opt_text(st.getColumn(5));
              const std::string mgmt = st.getColumn(6).getString();
              for (std::size_t i = 0; i < mgmt.size();) {
                  const auto sp = mgmt.find(' ', i);
                  n.management_addresses.push_back(mgmt.substr(i, sp - i));
                  i = sp == std::string::npos ? mgmt.size() : sp + 1;
              }
              n.protocol = st.getColumn(7).getString();
              n.platform = opt_text(st.getColumn(8));
              d.lldp.push_back(std::move(n));
          });
    query("x.device, x.family, x.address, x.mac, x.if_index, x.type", "neighbor_cache",
          [&](sql::Statement& st, model::Device& d) {
              d.neighbor_cache.push_back(model::CacheEntry{
                  family(st.getColumn(1)), st.getColumn(2).getString(), opt_text(st.getColumn(3)),
                  opt_int<std::uint32_t>(st.getColumn(4)), opt_text(st.getColumn(5))});
          });
    query("x.device, x.vlan_id, x.name", "vlan", [&](sql::Statement& st, model::Device& d) {
        d.vlans.push_back(model::Vlan{static_cast<std::uint32_t>(st.getColumn(1).getInt64()),
                                      opt_text(st.getColumn(2))});
    });
    query("x.device, x.address, x.if_index, x.lifetime_s", "ipv6_router",
          [&](sql::Statement& st, model::Device& d) {
              d.ipv6_routers.push_back(
                  model::Ipv6Router{st.getColumn(1).getString(),
                                    static_cast<std::uint32_t>(st.getColumn(2).getInt64()),
                                    static_cast<std::uint32_t>(st.getColumn(3).getInt64())});
          });
    query("x.device, x.protocol, x.family, x.address, x.port", "listener",
          [&](sql::Statement& st, model::Device& d) {
              std::optional<model::Family> fam;
              if (!st.getColumn(2).isNull()) {
                  fam = family(st.getColumn(2));
              }
              d.listeners.push_back(
                  model::Listener{st.getColumn(1).getString(), fam, st.getColumn(3).getString(),
                                  static_cast<std::uint32_t>(st.getColumn(4).getInt64())});
          });
    if (direct) {
        return; // the per-scan values belong to scans, not to a stored state
    }
    auto per_scan = [&](const std::string& sql, auto&& row) {
        sql::Statement st(*m_db, sql + (name ? " AND device = ?" : "") + " ORDER BY rowid");
        bind_pass(st, id, nullptr, name);
        while (st.executeStep()) {
            auto it = pos.find(st.getColumn(0).getString());
            if (it != pos.end()) {
                row(st, out[it->second]);
            }
        }
    };
    per_scan("SELECT device, descr, size_bytes, used_bytes FROM volume WHERE scan_id = ?",
             [&](sql::Statement& st, model::Device& d) {
                 d.volumes.push_back(
                     model::Volume{st.getColumn(1).getString(),
                                   static_cast<std::uint64_t>(st.getColumn(2).getInt64()),
                                   static_cast<std::uint64_t>(st.getColumn(3).getInt64())});
             });
    per_scan("SELECT device, oid, value FROM counter WHERE scan_id = ?", [&](sql::Statement& st,
                                                                             model::Device& d) {
        d.counters.push_back(model::Counter{
            st.getColumn(1).getString(), static_cast<std::uint64_t>(st.getColumn(2).getInt64())});
    });
    sql::Statement up(*m_db, std::string("SELECT target, uptime_cs, partial FROM sample WHERE "
                                         "scan_id = ?") +
                                 (name ? " AND target = ?" : ""));
    bind_pass(up, id, nullptr, name);
    while (up.executeStep()) {
        auto it = pos.find(up.getColumn(0).getString());
        if (it != pos.end()) {
            out[it->second].sys_uptime_cs = opt_int<std::uint64_t>(up.getColumn(1));
            if (!up.getColumn(2).isNull()) {
                out[it->second].partial = words(up.getColumn(2));
            }
        }
    }
}

void Store::finish_scan(std::int64_t scan_id, const std::string& finished_at, ScanStatus status) {
    return guard([&] {
        // The open batch's targets and the status in one commit.
        std::unique_ptr<sql::Transaction> tx = std::move(m_batch);
        m_batching = false;
        m_batch_size = 0;
        if (!tx) {
            tx = std::make_unique<sql::Transaction>(*m_db);
        }
        sql::Statement st(*m_db, "UPDATE scan SET finished_at = ?, status = ? WHERE id = ?");
        st.bind(1, finished_at);
        st.bind(2, std::string(to_string(status)));
        st.bind(3, scan_id);
        st.exec();
        // Per-scan values are kept for the latest scans only; states and outcomes for ever.
        // A failed scan (often a full disk) writes its status alone: the pruning can wait for
        // the next scan that ends well, and would need space the status may not have.
        for (const char* t : {"sample", "counter", "volume"}) {
            if (status != ScanStatus::failed) {
                sql::Statement old(*m_db, fmt::format("DELETE FROM {} WHERE scan_id IN (SELECT "
                                                      "id FROM scan WHERE poller = ?1 AND id NOT "
                                                      "IN (SELECT id FROM scan WHERE poller = ?1 "
                                                      "ORDER BY id DESC LIMIT {}))",
                                                      t, k_sample_scans));
                old.bind(1, m_poller);
                old.exec();
            }
        }
        tx->commit();
    });
}

std::map<std::string, TargetState> Store::target_states() const {
    return guard([&] {
        std::map<std::string, TargetState> out;
        sql::Statement st(*m_db, "SELECT target, max_repetitions, srtt_us, rttvar_us, "
                                 "credential FROM target_state WHERE poller = ?");
        st.bind(1, m_poller);
        while (st.executeStep()) {
            out.emplace(st.getColumn(0).getString(),
                        TargetState{opt_int<int>(st.getColumn(1)), opt_int<int>(st.getColumn(2)),
                                    opt_int<int>(st.getColumn(3)), opt_text(st.getColumn(4))});
        }
        return out;
    });
}

std::vector<ScanInfo> Store::scans() const {
    return guard([&] {
        sql::Statement st(*m_db,
                          "SELECT s.id, s.started_at, coalesce(s.finished_at, ''), s.status, "
                          "s.targets_total, "
                          "(SELECT count(*) FROM observation t WHERE t.first_scan <= s.id AND "
                          "t.last_scan >= s.id AND t.poller = s.poller AND "
                          "t.outcome = 'ok'), "
                          "(SELECT count(*) FROM observation t WHERE t.first_scan <= s.id AND "
                          "t.last_scan >= s.id AND t.poller = s.poller AND "
                          "t.outcome != 'ok'), coalesce(s.import_of, ''), s.poller "
                          "FROM scan s ORDER BY s.id DESC");
        std::vector<ScanInfo> out;
        while (st.executeStep()) {
            out.push_back(ScanInfo{st.getColumn(0).getInt64(), st.getColumn(1).getString(),
                                   st.getColumn(2).getString(),
                                   status_from(st.getColumn(3).getString()),
                                   st.getColumn(4).getInt64(), st.getColumn(5).getInt64(),
                                   st.getColumn(6).getInt64()});
            out.back().import_of = st.getColumn(7).getString();
            out.back().poller = st.getColumn(8).getString();
        }
        std::map<std::int64_t, std::size_t> at;
        for (std::size_t i = 0; i < out.size(); ++i) {
            at[out[i].id] = i;
        }
        sql::Statement by(
            *m_db,
            "SELECT s.id, o.credential, count(*) FROM scan s JOIN "
            "observation o ON o.first_scan <= s.id AND o.last_scan >= "
            "s.id AND o.poller = s.poller WHERE o.outcome = 'ok' AND o.credential != '' GROUP BY "
            "s.id, o.credential ORDER BY s.id, count(*) DESC, "
            "o.credential");
        while (by.executeStep()) {
            if (auto it = at.find(by.getColumn(0).getInt64()); it != at.end()) {
                out[it->second].answered_by.emplace_back(by.getColumn(1).getString(),
                                                         by.getColumn(2).getInt64());
            }
        }
        return out;
    });
}

std::optional<ScanInfo> Store::latest_complete_scan(const std::string* poller) const {
    return guard([&]() -> std::optional<ScanInfo> {
        sql::Statement st(*m_db, std::string("SELECT id, started_at, finished_at, status, "
                                             "targets_total, poller FROM scan WHERE status = "
                                             "'complete'") +
                                     (poller ? " AND poller = ?" : "") +
                                     " ORDER BY id DESC LIMIT 1");
        if (poller) {
            st.bind(1, *poller);
        }
        if (!st.executeStep()) {
            return std::nullopt;
        }
        ScanInfo info{st.getColumn(0).getInt64(),
                      st.getColumn(1).getString(),
                      st.getColumn(2).getString(),
                      status_from(st.getColumn(3).getString()),
                      st.getColumn(4).getInt64(),
                      0,
                      0};
        info.poller = st.getColumn(5).getString();
        return info;
    });
}

std::vector<model::TargetOutcome> Store::outcomes(std::int64_t scan_id) const {
    return guard([&] {
        std::vector<model::TargetOutcome> out;
        std::set<std::string> seen;
        const auto passes = picture(scan_id);
        for (const auto& [poller, at] : passes) {
            sql::Statement st(*m_db, "SELECT o.target, o.address, o.outcome, o.detail, "
                                     "coalesce(s.duration_ms, 0), o.credential, o.capture_file, "
                                     "o.captured_at FROM observation o LEFT JOIN sample s ON "
                                     "s.scan_id = ?1 AND s.target = o.target WHERE o.first_scan "
                                     "<= ?1 AND o.last_scan >= ?1 AND o.poller = ?2 ORDER BY "
                                     "o.target");
            st.bind(1, at);
            st.bind(2, poller);
            while (st.executeStep()) {
                model::TargetOutcome o;
                o.target = st.getColumn(0).getString();
                if (!seen.insert(o.target).second) {
                    continue; // a later scan of another poller saw it
                }
                o.address = st.getColumn(1).getString();
                o.outcome = model::outcome_from_string(st.getColumn(2).getString())
                                .value_or(model::Outcome::error);
                o.detail = st.getColumn(3).getString();
                o.duration_ms = st.getColumn(4).getInt64();
                o.credential = st.getColumn(5).getString();
                o.capture_file = st.getColumn(6).getString();
                o.captured_at = st.getColumn(7).getString();
                o.poller = poller;
                out.push_back(std::move(o));
            }
        }
        if (passes.size() > 1) {
            std::ranges::sort(out, {}, &model::TargetOutcome::target);
        }
        return out;
    });
}

std::vector<std::pair<std::string, std::int64_t>> Store::picture(std::int64_t scan_id) const {
    // The scan's own poller reads the scan itself, whatever its status; every other poller
    // its latest complete scan up to this one.
    sql::Statement st(*m_db, "SELECT s.poller, max(s.id) FROM scan s WHERE s.id <= ?1 AND "
                             "(s.status = 'complete' OR s.id = ?1) GROUP BY s.poller ORDER BY "
                             "max(s.id) DESC");
    st.bind(1, scan_id);
    std::vector<std::pair<std::string, std::int64_t>> out;
    while (st.executeStep()) {
        out.emplace_back(st.getColumn(0).getString(), st.getColumn(1).getInt64());
    }
    return out;
}

std::vector<model::Device> Store::devices(std::int64_t scan_id) const {
    const auto passes = guard([&] { return picture(scan_id); });
    std::vector<model::Device> out;
    std::set<std::string> seen;
    for (const auto& [poller, at] : passes) {
        for (auto& d : load_devices(at, nullptr, false, &poller)) {
            if (seen.insert(d.name).second) { // a later scan's observation wins
                out.push_back(std::move(d));
            }
        }
    }
    if (passes.size() > 1) {
        std::ranges::sort(out, {}, &model::Device::name);
    }
    return out;
}

std::optional<model::Device> Store::device(std::int64_t scan_id, const std::string& name) const {
    for (const auto& [poller, at] : guard([&] { return picture(scan_id); })) {
        auto v = load_devices(at, &name, false, &poller);
        if (!v.empty()) {
            return std::move(v.front());
        }
    }
    return std::nullopt;
}

std::vector<model::Device> Store::load_devices(std::int64_t id, const std::string* name,
                                               bool direct, const std::string* poller) const {
    return guard([&] {
        std::vector<model::Device> out;
        std::map<std::string, std::size_t> pos;
        sql::Statement st(*m_db, "SELECT x.name, x.target_address, x.site, x.sys_name, "
                                 "x.sys_descr, x.sys_object_id, x.sys_contact, "
                                 "x.sys_location, x.vendor, x.model, x.serial, x.os, "
                                 "x.version, x.role, x.ipv4_forwarding, x.ipv6_forwarding, "
                                 "x.cpus, x.memory_bytes, x.ipv6_hop_limit, "
                                 "x.ipv6_address_mib, x.tables, x.mgmt6_address, x.mgmt6_ok, "
                                 "x.mgmt6_detail, x.partial, x.hardware" +
                                     state_from("device", "name", direct, name, poller) +
                                     " ORDER BY x.name");
        bind_pass(st, id, poller, name);
        while (st.executeStep()) {
            model::Device d;
            d.name = st.getColumn(0).getString();
            d.target_address = st.getColumn(1).getString();
            d.site = opt_text(st.getColumn(2));
            d.sys_name = opt_text(st.getColumn(3));
            d.sys_descr = opt_text(st.getColumn(4));
            d.sys_object_id = opt_text(st.getColumn(5));
            d.sys_contact = opt_text(st.getColumn(6));
            d.sys_location = opt_text(st.getColumn(7));
            d.vendor = opt_text(st.getColumn(8));
            d.model = opt_text(st.getColumn(9));
            d.serial = opt_text(st.getColumn(10));
            d.os = opt_text(st.getColumn(11));
            d.version = opt_text(st.getColumn(12));
            d.role = opt_text(st.getColumn(13));
            d.ipv4_forwarding = opt_int<bool>(st.getColumn(14));
            d.ipv6_forwarding = opt_int<bool>(st.getColumn(15));
            d.cpus = opt_int<std::uint32_t>(st.getColumn(16));
            d.memory_bytes = opt_int<std::uint64_t>(st.getColumn(17));
            d.ipv6_hop_limit = opt_int<std::uint32_t>(st.getColumn(18));
            d.ipv6_address_mib = opt_text(st.getColumn(19));
            d.tables = words(st.getColumn(20));
            d.partial = words(st.getColumn(24));
            d.hardware = opt_text(st.getColumn(25));
            if (!st.getColumn(21).isNull()) {
                d.ipv6_management = model::ManagementProbe{st.getColumn(21).getString(),
                                                           st.getColumn(22).getInt() != 0,
                                                           opt_text(st.getColumn(23)).value_or("")};
            }
            pos[d.name] = out.size();
            out.push_back(std::move(d));
        }
        sql::Statement itf(*m_db, "SELECT x.device, x.if_index, x.name, x.descr, x.alias, "
                                  "x.type, x.speed_bps, x.mac, x.admin_status, x.oper_status, "
                                  "x.ipv6_enabled, x.ipv6_forwarding, x.ra_send, "
                                  "x.ra_lifetime_s, x.ra_managed, x.ra_other, "
                                  "x.tunnel_encaps" +
                                      state_from("interface", "device", direct, name, poller) +
                                      " ORDER BY x.device, x.if_index");
        bind_pass(itf, id, poller, name);
        while (itf.executeStep()) {
            auto it = pos.find(itf.getColumn(0).getString());
            if (it == pos.end()) {
                continue;
            }
            model::Interface i;
            i.index = static_cast<std::uint32_t>(itf.getColumn(1).getInt64());
            i.name = opt_text(itf.getColumn(2));
            i.descr = opt_text(itf.getColumn(3));
            i.alias = opt_text(itf.getColumn(4));
            i.type = opt_int<std::uint32_t>(itf.getColumn(5));
            i.speed_bps = opt_int<std::uint64_t>(itf.getColumn(6));
            i.mac = opt_text(itf.getColumn(7));
            if (auto s = opt_text(itf.getColumn(8))) {
                i.admin_status = model::if_status_from_string(*s);
            }
            if (auto s = opt_text(itf.getColumn(9))) {
                i.oper_status = model::if_status_from_string(*s);
            }
            i.ipv6_enabled = opt_int<bool>(itf.getColumn(10));
            i.ipv6_forwarding = opt_int<bool>(itf.getColumn(11));
            i.ra_send = opt_int<bool>(itf.getColumn(12));
            i.ra_lifetime_s = opt_int<std::uint32_t>(itf.getColumn(13));
            i.ra_managed = opt_int<bool>(itf.getColumn(14));
            i.ra_other = opt_int<bool>(itf.getColumn(15));
            i.tunnel_encaps = opt_int<std::uint32_t>(itf.getColumn(16));
            out[it->second].interfaces.push_back(std::move(i));
        }
        sql::Statement addr(*m_db, "SELECT x.device, x.family, x.address, x.prefix_length, "
                                   "x.if_index, x.origin, x.status, x.anycast" +
                                       state_from("address", "device", direct, name, poller) +
                                       " ORDER BY x.rowid");
        bind_pass(addr, id, poller, name);
        while (addr.executeStep()) {
            auto it = pos.find(addr.getColumn(0).getString());
            if (it == pos.end()) {
                continue;
            }
            model::Address a;
            a.family = model::family_from_string(addr.getColumn(1).getString())
                           .value_or(model::Family::ipv4);
            a.address = addr.getColumn(2).getString();
            a.prefix_length = opt_int<std::uint8_t>(addr.getColumn(3));
            a.if_index = opt_int<std::uint32_t>(addr.getColumn(4));
            a.origin = opt_text(addr.getColumn(5));
            a.status = opt_text(addr.getColumn(6));
            a.anycast = opt_int<bool>(addr.getColumn(7));
            out[it->second].addresses.push_back(std::move(a));
        }
        load_facts(id, name, direct, poller, pos, out);
        for (auto& d : out) {
            model::normalize(d);
        }
        return out;
    });
}

} // namespace netinv::store
