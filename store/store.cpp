// SPDX-License-Identifier: Apache-2.0
//
// SQLite storage. Schema changes are numbered steps; PRAGMA user_version records how many were
// applied, and opening a database applies the missing ones, each in its own transaction.
// PRAGMA application_id marks the file as netinv's, so a foreign SQLite file is refused rather
// than altered. A scan is written as: a `running` scan row; one transaction per target (its
// outcome and device rows); then the status change to `complete`. A process killed halfway
// leaves a `running` scan that readers never take for the latest complete one.
#include "store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <array>
#include <map>

#include "model/error.hpp"

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
};

template <typename T> void bind_opt(SQLite::Statement& st, int i, const std::optional<T>& v) {
    if (!v) {
        st.bind(i);
    } else if constexpr (std::is_same_v<T, std::string>) {
        st.bind(i, *v);
    } else {
        st.bind(i, static_cast<std::int64_t>(*v));
    }
}

std::optional<std::string> opt_text(const SQLite::Column& c) {
    if (c.isNull()) {
        return std::nullopt;
    }
    return c.getString();
}

template <typename T> std::optional<T> opt_int(const SQLite::Column& c) {
    if (c.isNull()) {
        return std::nullopt;
    }
    return static_cast<T>(c.getInt64());
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

// Runs `f`, turning SQLite's exceptions into netinv::Error naming the database.
template <typename F> auto guarded(const std::string& path, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const SQLite::Exception& e) {
        throw Error(fmt::format("{}: {}", path, e.what()));
    }
}

Store::Store(const std::string& path, Mode mode) : m_path(path) {
    guarded(m_path, [&] {
        const int flags =
            SQLite::OPEN_READWRITE | (mode == Mode::read_write_create ? SQLite::OPEN_CREATE : 0);
        m_db = std::make_unique<SQLite::Database>(path, flags, 5000);
        // Reading the schema first makes a non-SQLite file fail here, with a clear message.
        m_db->execAndGet("SELECT count(*) FROM sqlite_master");
        m_db->exec("PRAGMA foreign_keys = ON");
        migrate();
        m_db->exec("PRAGMA journal_mode = WAL");
        m_db->exec("PRAGMA synchronous = NORMAL");
    });
}

Store::~Store() = default;

int Store::schema_version() const {
    return guarded(m_path, [&] { return m_db->execAndGet("PRAGMA user_version").getInt(); });
}

void Store::migrate() {
    const int version = schema_version();
    const int app_id = m_db->execAndGet("PRAGMA application_id").getInt();
    const int tables = m_db->execAndGet("SELECT count(*) FROM sqlite_master").getInt();
    if (app_id != k_application_id && (app_id != 0 || tables != 0)) {
        throw Error(fmt::format("{}: not a netinv database (it holds other data); refusing to "
                                "change it",
                                m_path));
    }
    if (version > k_schema_version) {
        throw Error(fmt::format("{}: schema version {} is newer than this netinv understands "
                                "({}); upgrade netinv",
                                m_path, version, k_schema_version));
    }
    for (int v = version; v < k_schema_version; ++v) {
        SQLite::Transaction tx(*m_db);
        m_db->exec(k_migrations[static_cast<std::size_t>(v)]);
        m_db->exec(fmt::format("PRAGMA application_id = {}", k_application_id));
        m_db->exec(fmt::format("PRAGMA user_version = {}", v + 1));
        tx.commit();
    }
}

std::int64_t Store::begin_scan(const std::string& started_at, std::int64_t targets_total) {
    return guarded(m_path, [&] {
        SQLite::Statement st(*m_db, "INSERT INTO scan (started_at, status, targets_total) "
                                    "VALUES (?, 'running', ?)");
        st.bind(1, started_at);
        st.bind(2, targets_total);
        st.exec();
        return m_db->getLastInsertRowid();
    });
}

void Store::save_target(std::int64_t scan_id, const model::TargetOutcome& o, const model::Device* d,
                        const TargetState* state) {
    return guarded(m_path, [&] {
        SQLite::Transaction tx(*m_db);
        SQLite::Statement st(*m_db, "INSERT INTO scan_target VALUES (?, ?, ?, ?, ?, ?)");
        st.bind(1, scan_id);
        st.bind(2, o.target);
        st.bind(3, o.address);
        st.bind(4, std::string(model::to_string(o.outcome)));
        st.bind(5, o.detail);
        st.bind(6, o.duration_ms);
        st.exec();
        if (d) {
            SQLite::Statement dev(*m_db,
                                  "INSERT INTO device (scan_id, name, target_address, site, "
                                  "sys_name, sys_descr, sys_object_id, sys_uptime_cs, sys_contact, "
                                  "sys_location, vendor, model, serial, os, version, role, "
                                  "ipv4_forwarding, ipv6_forwarding, cpus, memory_bytes) VALUES "
                                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            dev.bind(1, scan_id);
            dev.bind(2, d->name);
            dev.bind(3, d->target_address);
            bind_opt(dev, 4, d->site);
            bind_opt(dev, 5, d->sys_name);
            bind_opt(dev, 6, d->sys_descr);
            bind_opt(dev, 7, d->sys_object_id);
            bind_opt(dev, 8, d->sys_uptime_cs);
            bind_opt(dev, 9, d->sys_contact);
            bind_opt(dev, 10, d->sys_location);
            bind_opt(dev, 11, d->vendor);
            bind_opt(dev, 12, d->model);
            bind_opt(dev, 13, d->serial);
            bind_opt(dev, 14, d->os);
            bind_opt(dev, 15, d->version);
            bind_opt(dev, 16, d->role);
            bind_opt(dev, 17, d->ipv4_forwarding);
            bind_opt(dev, 18, d->ipv6_forwarding);
            bind_opt(dev, 19, d->cpus);
            bind_opt(dev, 20, d->memory_bytes);
            dev.exec();
            SQLite::Statement itf(*m_db, "INSERT INTO interface VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                         "?, ?, ?)");
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
                    return s ? std::optional<std::string>(std::string(model::to_string(*s)))
                             : std::nullopt;
                };
                bind_opt(itf, 10, status(i.admin_status));
                bind_opt(itf, 11, status(i.oper_status));
                bind_opt(itf, 12, i.ipv6_enabled);
                itf.exec();
            }
            SQLite::Statement addr(*m_db, "INSERT INTO address VALUES (?, ?, ?, ?, ?, ?, ?)");
            for (const auto& a : d->addresses) {
                addr.reset();
                addr.bind(1, scan_id);
                addr.bind(2, d->name);
                addr.bind(3, std::string(model::to_string(a.family)));
                addr.bind(4, a.address);
                bind_opt(addr, 5, a.prefix_length);
                bind_opt(addr, 6, a.if_index);
                bind_opt(addr, 7, a.origin);
                addr.exec();
            }
            save_facts(scan_id, *d);
        }
        if (state && state->max_repetitions) {
            SQLite::Statement ts(*m_db, "INSERT INTO target_state VALUES (?, ?, ?) ON CONFLICT "
                                        "(target) DO UPDATE SET max_repetitions = "
                                        "excluded.max_repetitions, updated_scan = "
                                        "excluded.updated_scan");
            ts.bind(1, o.target);
            ts.bind(2, *state->max_repetitions);
            ts.bind(3, scan_id);
            ts.exec();
        }
        tx.commit();
    });
}

void Store::save_facts(std::int64_t scan_id, const model::Device& d) {
    SQLite::Statement route(*m_db, "INSERT INTO route VALUES (?, ?, ?, ?, ?)");
    for (const auto& r : d.default_routes) {
        route.reset();
        route.bind(1, scan_id);
        route.bind(2, d.name);
        route.bind(3, std::string(model::to_string(r.family)));
        bind_opt(route, 4, r.next_hop);
        bind_opt(route, 5, r.if_index);
        route.exec();
    }
    SQLite::Statement lldp(*m_db, "INSERT INTO lldp_neighbor VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& n : d.lldp) {
        std::string mgmt;
        for (const auto& a : n.management_addresses) {
            mgmt += (mgmt.empty() ? "" : " ") + a;
        }
        lldp.reset();
        lldp.bind(1, scan_id);
        lldp.bind(2, d.name);
        lldp.bind(3, static_cast<std::int64_t>(n.local_port));
        bind_opt(lldp, 4, n.chassis_id);
        bind_opt(lldp, 5, n.port_id);
        bind_opt(lldp, 6, n.port_descr);
        bind_opt(lldp, 7, n.sys_name);
        lldp.bind(8, mgmt);
        lldp.exec();
    }
    SQLite::Statement cache(*m_db, "INSERT INTO neighbor_cache VALUES (?, ?, ?, ?, ?, ?)");
    for (const auto& e : d.neighbor_cache) {
        cache.reset();
        cache.bind(1, scan_id);
        cache.bind(2, d.name);
        cache.bind(3, std::string(model::to_string(e.family)));
        cache.bind(4, e.address);
        bind_opt(cache, 5, e.mac);
        bind_opt(cache, 6, e.if_index);
        cache.exec();
    }
    SQLite::Statement vlan(*m_db, "INSERT INTO vlan VALUES (?, ?, ?, ?)");
    for (const auto& v : d.vlans) {
        vlan.reset();
        vlan.bind(1, scan_id);
        vlan.bind(2, d.name);
        vlan.bind(3, static_cast<std::int64_t>(v.id));
        bind_opt(vlan, 4, v.name);
        vlan.exec();
    }
    SQLite::Statement vol(*m_db, "INSERT INTO volume VALUES (?, ?, ?, ?, ?)");
    for (const auto& v : d.volumes) {
        vol.reset();
        vol.bind(1, scan_id);
        vol.bind(2, d.name);
        vol.bind(3, v.descr);
        vol.bind(4, static_cast<std::int64_t>(v.size_bytes));
        vol.bind(5, static_cast<std::int64_t>(v.used_bytes));
        vol.exec();
    }
}

void Store::load_facts(std::int64_t scan_id, const std::string* name,
                       const std::map<std::string, std::size_t>& pos,
                       std::vector<model::Device>& out) const {
    const std::string filter = name ? " AND device = ?" : "";
    auto query = [&](const std::string& sql, auto&& row) {
        SQLite::Statement st(*m_db, sql + filter);
        st.bind(1, scan_id);
        if (name) {
            st.bind(2, *name);
        }
        while (st.executeStep()) {
            auto it = pos.find(st.getColumn(0).getString());
            if (it != pos.end()) {
                row(st, out[it->second]);
            }
        }
    };
    auto family = [](const SQLite::Column& c) {
        return model::family_from_string(c.getString()).value_or(model::Family::ipv4);
    };
    query("SELECT device, family, next_hop, if_index FROM route WHERE scan_id = ?",
          [&](SQLite::Statement& st, model::Device& d) {
              d.default_routes.push_back(model::Route{family(st.getColumn(1)),
                                                      opt_text(st.getColumn(2)),
                                                      opt_int<std::uint32_t>(st.getColumn(3))});
          });
    query("SELECT device, local_port, chassis_id, port_id, port_descr, sys_name, "
          "management_addresses FROM lldp_neighbor WHERE scan_id = ?",
          [&](SQLite::Statement& st, model::Device& d) {
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
              d.lldp.push_back(std::move(n));
          });
    query("SELECT device, family, address, mac, if_index FROM neighbor_cache WHERE scan_id = ?",
          [&](SQLite::Statement& st, model::Device& d) {
              d.neighbor_cache.push_back(model::CacheEntry{
                  family(st.getColumn(1)), st.getColumn(2).getString(), opt_text(st.getColumn(3)),
                  opt_int<std::uint32_t>(st.getColumn(4))});
          });
    query("SELECT device, vlan_id, name FROM vlan WHERE scan_id = ?",
          [&](SQLite::Statement& st, model::Device& d) {
              d.vlans.push_back(model::Vlan{static_cast<std::uint32_t>(st.getColumn(1).getInt64()),
                                            opt_text(st.getColumn(2))});
          });
    query("SELECT device, descr, size_bytes, used_bytes FROM volume WHERE scan_id = ?",
          [&](SQLite::Statement& st, model::Device& d) {
              d.volumes.push_back(
                  model::Volume{st.getColumn(1).getString(),
                                static_cast<std::uint64_t>(st.getColumn(2).getInt64()),
                                static_cast<std::uint64_t>(st.getColumn(3).getInt64())});
          });
}

void Store::finish_scan(std::int64_t scan_id, const std::string& finished_at, ScanStatus status) {
    return guarded(m_path, [&] {
        SQLite::Statement st(*m_db, "UPDATE scan SET finished_at = ?, status = ? WHERE id = ?");
        st.bind(1, finished_at);
        st.bind(2, std::string(to_string(status)));
        st.bind(3, scan_id);
        st.exec();
    });
}

std::map<std::string, TargetState> Store::target_states() const {
    return guarded(m_path, [&] {
        std::map<std::string, TargetState> out;
        SQLite::Statement st(*m_db, "SELECT target, max_repetitions FROM target_state");
        while (st.executeStep()) {
            out.emplace(st.getColumn(0).getString(), TargetState{opt_int<int>(st.getColumn(1))});
        }
        return out;
    });
}

std::vector<ScanInfo> Store::scans() const {
    return guarded(m_path, [&] {
        SQLite::Statement st(*m_db,
                             "SELECT s.id, s.started_at, coalesce(s.finished_at, ''), s.status, "
                             "s.targets_total, "
                             "(SELECT count(*) FROM scan_target t WHERE t.scan_id = s.id AND "
                             "t.outcome = 'ok'), "
                             "(SELECT count(*) FROM scan_target t WHERE t.scan_id = s.id AND "
                             "t.outcome != 'ok') "
                             "FROM scan s ORDER BY s.id DESC");
        std::vector<ScanInfo> out;
        while (st.executeStep()) {
            out.push_back(ScanInfo{st.getColumn(0).getInt64(), st.getColumn(1).getString(),
                                   st.getColumn(2).getString(),
                                   status_from(st.getColumn(3).getString()),
                                   st.getColumn(4).getInt64(), st.getColumn(5).getInt64(),
                                   st.getColumn(6).getInt64()});
        }
        return out;
    });
}

std::optional<ScanInfo> Store::latest_complete_scan() const {
    return guarded(m_path, [&]() -> std::optional<ScanInfo> {
        SQLite::Statement st(*m_db, "SELECT id, started_at, finished_at, status, targets_total "
                                    "FROM scan WHERE status = 'complete' ORDER BY id DESC LIMIT 1");
        if (!st.executeStep()) {
            return std::nullopt;
        }
        return ScanInfo{st.getColumn(0).getInt64(),
                        st.getColumn(1).getString(),
                        st.getColumn(2).getString(),
                        status_from(st.getColumn(3).getString()),
                        st.getColumn(4).getInt64(),
                        0,
                        0};
    });
}

std::vector<model::TargetOutcome> Store::outcomes(std::int64_t scan_id) const {
    return guarded(m_path, [&] {
        SQLite::Statement st(*m_db, "SELECT target, address, outcome, detail, duration_ms FROM "
                                    "scan_target WHERE scan_id = ? ORDER BY target");
        st.bind(1, scan_id);
        std::vector<model::TargetOutcome> out;
        while (st.executeStep()) {
            model::TargetOutcome o;
            o.target = st.getColumn(0).getString();
            o.address = st.getColumn(1).getString();
            o.outcome = model::outcome_from_string(st.getColumn(2).getString())
                            .value_or(model::Outcome::error);
            o.detail = st.getColumn(3).getString();
            o.duration_ms = st.getColumn(4).getInt64();
            out.push_back(std::move(o));
        }
        return out;
    });
}

std::vector<model::Device> Store::devices(std::int64_t scan_id) const {
    return load_devices(scan_id, nullptr);
}

std::optional<model::Device> Store::device(std::int64_t scan_id, const std::string& name) const {
    auto v = load_devices(scan_id, &name);
    if (v.empty()) {
        return std::nullopt;
    }
    return std::move(v.front());
}

std::vector<model::Device> Store::load_devices(std::int64_t scan_id,
                                               const std::string* name) const {
    return guarded(m_path, [&] {
        const std::string filter = name ? " AND name = ?" : "";
        const std::string dfilter = name ? " AND device = ?" : "";
        std::vector<model::Device> out;
        std::map<std::string, std::size_t> pos;
        SQLite::Statement st(*m_db, "SELECT name, target_address, site, sys_name, sys_descr, "
                                    "sys_object_id, sys_uptime_cs, sys_contact, sys_location, "
                                    "vendor, model, serial, os, version, role, ipv4_forwarding, "
                                    "ipv6_forwarding, cpus, memory_bytes FROM device WHERE "
                                    "scan_id = ?" +
                                        filter + " ORDER BY name");
        st.bind(1, scan_id);
        if (name) {
            st.bind(2, *name);
        }
        while (st.executeStep()) {
            model::Device d;
            d.name = st.getColumn(0).getString();
            d.target_address = st.getColumn(1).getString();
            d.site = opt_text(st.getColumn(2));
            d.sys_name = opt_text(st.getColumn(3));
            d.sys_descr = opt_text(st.getColumn(4));
            d.sys_object_id = opt_text(st.getColumn(5));
            d.sys_uptime_cs = opt_int<std::uint64_t>(st.getColumn(6));
            d.sys_contact = opt_text(st.getColumn(7));
            d.sys_location = opt_text(st.getColumn(8));
            d.vendor = opt_text(st.getColumn(9));
            d.model = opt_text(st.getColumn(10));
            d.serial = opt_text(st.getColumn(11));
            d.os = opt_text(st.getColumn(12));
            d.version = opt_text(st.getColumn(13));
            d.role = opt_text(st.getColumn(14));
            d.ipv4_forwarding = opt_int<bool>(st.getColumn(15));
            d.ipv6_forwarding = opt_int<bool>(st.getColumn(16));
            d.cpus = opt_int<std::uint32_t>(st.getColumn(17));
            d.memory_bytes = opt_int<std::uint64_t>(st.getColumn(18));
            pos[d.name] = out.size();
            out.push_back(std::move(d));
        }
        SQLite::Statement itf(*m_db,
                              "SELECT device, if_index, name, descr, alias, type, speed_bps, "
                              "mac, admin_status, oper_status, ipv6_enabled FROM interface "
                              "WHERE scan_id = ?" +
                                  dfilter + " ORDER BY device, if_index");
        itf.bind(1, scan_id);
        if (name) {
            itf.bind(2, *name);
        }
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
            out[it->second].interfaces.push_back(std::move(i));
        }
        SQLite::Statement addr(*m_db, "SELECT device, family, address, prefix_length, if_index, "
                                      "origin FROM address WHERE scan_id = ?" +
                                          dfilter);
        addr.bind(1, scan_id);
        if (name) {
            addr.bind(2, *name);
        }
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
            out[it->second].addresses.push_back(std::move(a));
        }
        load_facts(scan_id, name, pos, out);
        for (auto& d : out) {
            model::normalize(d);
        }
        return out;
    });
}

} // namespace netinv::store
