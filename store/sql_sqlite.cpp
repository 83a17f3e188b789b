// SPDX-License-Identifier: Apache-2.0
//
// The SQLite backend of store/sql: SQLiteCpp, errors as sql::Failure. An I/O failure also names
// the system's reason ("disk I/O error" alone does not say the file system is full, or
// read-only).
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <cstring>
#include <sqlite3.h>
#include <unordered_map>
#include <vector>

#include "store/sql.hpp"

namespace netinv::store::sql {

namespace {

[[noreturn]] void fail(const SQLite::Exception& e, sqlite3* handle) {
    const int code = e.getErrorCode();
    const int sys = handle ? sqlite3_system_errno(handle) : 0;
    if (sys != 0 && (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN)) {
        throw Failure(fmt::format("{} ({})", e.what(), std::strerror(sys)));
    }
    throw Failure(e.what());
}

// Statements prepared once per connection and text: a scan saves each target with the same
// dozen statements, and parsing them again for each of thousands of targets was a quarter of
// netinv's CPU time on a LAN scan (time the agents on the same cores then lacked). A statement
// goes back to its connection's pool when the caller is done with it, reset and unbound;
// two in use at once with the same text each have their own.
class StatementPool {
public:
    explicit StatementPool(SQLite::Database& db) : m_db(db) {}
    SQLite::Database& db() { return m_db; }
    std::unique_ptr<SQLite::Statement> take(const std::string& sql) {
        if (auto it = m_idle.find(sql); it != m_idle.end() && !it->second.empty()) {
            auto st = std::move(it->second.back());
            it->second.pop_back();
            return st;
        }
        return std::make_unique<SQLite::Statement>(m_db, sql);
    }
    void give_back(std::unique_ptr<SQLite::Statement> st) noexcept {
        try {
            st->reset();
            st->clearBindings();
            auto it = m_idle.find(st->getQuery());
            if (it == m_idle.end()) {
                // Texts built with values in them (a few of the store's queries) would grow
                // the pool without end: a bounded number of texts is kept, the rest finalized.
                if (m_idle.size() >= k_texts) {
                    return;
                }
                it = m_idle.try_emplace(st->getQuery()).first;
            }
            if (it->second.size() < k_per_text) {
                it->second.push_back(std::move(st));
            }
        } catch (...) { // a statement that failed, or no memory: finalized, not kept
        }
    }

private:
    static constexpr std::size_t k_texts = 128;
    static constexpr std::size_t k_per_text = 4;
    SQLite::Database& m_db;
    std::unordered_map<std::string, std::vector<std::unique_ptr<SQLite::Statement>>> m_idle;
};

class SqliteStatement final : public StatementImpl {
public:
    SqliteStatement(StatementPool& pool, const std::string& sql) try
        : m_pool(pool), m_st(pool.take(sql)) {
    } catch (const SQLite::Exception& e) {
        fail(e, pool.db().getHandle());
    }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    ~SqliteStatement() override { m_pool.give_back(std::move(m_st)); }
    void bind_null(int i) override {
        call([&] { m_st->bind(i); });
    }
    void bind_int(int i, std::int64_t v) override {
        call([&] { m_st->bind(i, static_cast<int64_t>(v)); });
    }
    void bind_text(int i, std::string_view v) override {
        call([&] { m_st->bind(i, std::string(v)); });
    }
    bool step() override {
        bool row = false;
        call([&] { row = m_st->executeStep(); });
        return row;
    }
    void reset() override {
        call([&] { m_st->reset(); });
    }
    bool is_null(int col) const override {
        return get([&] { return m_st->isColumnNull(col); });
    }
    std::int64_t get_int(int col) const override {
        return get([&] { return static_cast<std::int64_t>(m_st->getColumn(col).getInt64()); });
    }
    std::string get_text(int col) const override {
        return get([&] { return m_st->getColumn(col).getString(); });
    }

private:
    template <typename F> void call(F&& f) {
        try {
            f();
        } catch (const SQLite::Exception& e) {
            fail(e, m_pool.db().getHandle());
        }
    }
    template <typename F> auto get(F&& f) const -> decltype(f()) {
        try {
            return f();
        } catch (const SQLite::Exception& e) {
            fail(e, m_pool.db().getHandle());
        }
    }
    StatementPool& m_pool;
    std::unique_ptr<SQLite::Statement> m_st;
};

class SqliteDatabase final : public Database {
public:
    explicit SqliteDatabase(std::unique_ptr<SQLite::Database> db)
        : m_db(std::move(db)), m_pool(*m_db) {}
    Backend backend() const override { return Backend::sqlite; }
    std::unique_ptr<StatementImpl> prepare(const std::string& sql) override {
        return std::make_unique<SqliteStatement>(m_pool, sql);
    }
    void exec(const std::string& sql) override {
        try {
            m_db->exec(sql);
        } catch (const SQLite::Exception& e) {
            fail(e, m_db->getHandle());
        }
    }
    std::int64_t last_insert_id() override { return m_db->getLastInsertRowid(); }
    void defer_foreign_keys() override { exec("PRAGMA defer_foreign_keys = ON"); }

private:
    std::unique_ptr<SQLite::Database> m_db;
    StatementPool m_pool; // after m_db: its statements are finalized before the connection closes
};

std::unique_ptr<SQLite::Database> open_read_only(const std::string& path) {
    try {
        auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY, 5000);
        db->execAndGet("SELECT count(*) FROM sqlite_master");
        return db;
    } catch (const SQLite::Exception&) {
        // A WAL database needs its -shm file, which a reader who may not write the folder
        // cannot create: read the file as it is on disk (the last checkpoint), as a copy would.
        std::string uri = "file:";
        for (char c : path) {
            uri += c == '%'   ? std::string("%25")
                   : c == '?' ? std::string("%3f")
                   : c == '#' ? std::string("%23")
                              : std::string(1, c);
        }
        auto db = std::make_unique<SQLite::Database>(
            uri + "?mode=ro&immutable=1", SQLite::OPEN_READONLY | SQLite::OPEN_URI, 5000);
        db->execAndGet("SELECT count(*) FROM sqlite_master");
        return db;
    }
}

} // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, bool read_only, bool create) {
    std::unique_ptr<SQLite::Database> db;
    try {
        if (read_only) {
            db = open_read_only(path);
        } else {
            db = std::make_unique<SQLite::Database>(
                path, SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0), 5000);
            // Reading the schema first makes a non-SQLite file fail here, with a clear message.
            db->execAndGet("SELECT count(*) FROM sqlite_master");
            db->exec("PRAGMA foreign_keys = ON");
        }
    } catch (const SQLite::Exception& e) {
        fail(e, db ? db->getHandle() : nullptr);
    }
    return std::make_unique<SqliteDatabase>(std::move(db));
}

} // namespace netinv::store::sql
