// SPDX-License-Identifier: Apache-2.0
#pragma once

// SQLite's schema, as the numbered steps that take a database from one version to the next.
// store.cpp applies the missing ones to a database made by an earlier netinv; a new file gets
// their result in one script (store/schema_snapshot.hpp, generated at build time from these by
// store/schema_gen.cpp), as parsing and applying twelve steps of table rebuilds took 7 ms of a
// first scan's start where the result takes under 2 ms.

#include <array>

#include "store/store.hpp"

namespace netinv::store::detail {

// Migration step N takes the schema from version N to N+1.
inline constexpr std::array<const char*, k_schema_version> k_migrations = {
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

} // namespace netinv::store::detail
