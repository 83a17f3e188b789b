// SPDX-License-Identifier: Apache-2.0
#pragma once

// The store's two backends behind one small interface: prepared statements with positional
// parameters (`?` or `?N`, as SQLite writes them; the PostgreSQL backend numbers them `$N`),
// one row at a time, transactions. Only store/ uses it; the SQL it runs is the same on both
// but for the few statements each backend answers in its own way (schema, checks, locks).
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace netinv::store::sql {

// A backend's failure, its message one line.
class Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class StatementImpl {
public:
    virtual ~StatementImpl() = default;
    virtual void bind_null(int i) = 0;
    virtual void bind_int(int i, std::int64_t v) = 0;
    virtual void bind_text(int i, std::string_view v) = 0;
    // The next row: false when there is none (a statement without rows runs to its end).
    virtual bool step() = 0;
    // Runs it for its effect, no rows wanted: a backend may send it on and say later, at the
    // next statement that reads or at commit, whether it failed (PostgreSQL's pipeline).
    virtual void run() {
        while (step()) {
        }
    }
    // Ready to run again with the same parameters.
    virtual void reset() = 0;
    virtual bool is_null(int col) const = 0;
    virtual std::int64_t get_int(int col) const = 0;
    virtual std::string get_text(int col) const = 0;
};

enum class Backend : std::uint8_t { sqlite, postgresql };

class Database {
public:
    virtual ~Database() = default;
    virtual Backend backend() const = 0;
    virtual std::unique_ptr<StatementImpl> prepare(const std::string& sql) = 0;
    // Runs one or more statements without parameters.
    virtual void exec(const std::string& sql) = 0;
    // The id the last INSERT into a table with a generated key gave its row.
    virtual std::int64_t last_insert_id() = 0;
    // Foreign keys are checked at commit from here to the end of the transaction.
    virtual void defer_foreign_keys() = 0;
    virtual void begin() { exec("BEGIN"); }
    virtual void commit() { exec("COMMIT"); }
    virtual void rollback() { exec("ROLLBACK"); }
};

class Column {
public:
    Column(const StatementImpl& st, int i) : m_st(st), m_i(i) {}
    bool isNull() const { return m_st.is_null(m_i); }
    std::int64_t getInt64() const { return m_st.get_int(m_i); }
    int getInt() const { return static_cast<int>(m_st.get_int(m_i)); }
    std::string getString() const { return m_st.get_text(m_i); }

private:
    const StatementImpl& m_st;
    int m_i;
};

// A statement on either backend, with the calls the store makes (SQLiteCpp's names).
class Statement {
public:
    Statement(Database& db, const std::string& sql) : m_impl(db.prepare(sql)) {}
    void bind(int i) { m_impl->bind_null(i); }
    template <typename T>
    requires std::is_integral_v<T>
    void bind(int i, T v) { m_impl->bind_int(i, static_cast<std::int64_t>(v)); }
    void bind(int i, std::string_view v) { m_impl->bind_text(i, v); }
    void bind(int i, const std::string& v) { m_impl->bind_text(i, v); }
    void bind(int i, const char* v) { m_impl->bind_text(i, v); }
    bool executeStep() { return m_impl->step(); }
    void exec() { m_impl->run(); }
    void reset() { m_impl->reset(); }
    Column getColumn(int i) const { return Column(*m_impl, i); }

private:
    std::unique_ptr<StatementImpl> m_impl;
};

// BEGIN now; ROLLBACK when it goes out of scope before commit().
class Transaction {
public:
    explicit Transaction(Database& db) : m_db(db) { m_db.begin(); }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction() {
        if (!m_done) {
            try {
                m_db.rollback();
            } catch (...) { // the connection is gone: the server rolls back by itself
            }
        }
    }
    void commit() {
        m_db.commit();
        m_done = true;
    }

private:
    Database& m_db;
    bool m_done = false;
};

// The first value of the first row of `sql`, on either backend.
inline std::int64_t query_int(Database& db, const std::string& sql) {
    Statement st(db, sql);
    if (!st.executeStep()) {
        throw Failure("no row from: " + sql);
    }
    return st.getColumn(0).getInt64();
}

// SQLite: `path` opened read-write (created when `create`) or read-only, with a busy timeout.
std::unique_ptr<Database> open_sqlite(const std::string& path, bool read_only, bool create);

// PostgreSQL: a libpq connection string (postgresql://user@host:port/db?...). The password
// never comes from it (refused there): libpq reads PGPASSWORD or the private ~/.pgpass file.
// `application` names the connection in pg_stat_activity (who holds a poller's lock).
std::unique_ptr<Database> open_postgresql(const std::string& url, const std::string& application);

// True when a --db value names a PostgreSQL database rather than a SQLite file.
bool is_postgresql_url(std::string_view db);
// True when the connection string (URL or key=value) sets a password; false when it cannot
// be parsed (opening it then says why).
bool has_password(std::string_view url);
// The URL as it may be shown (a password in it, though refused, is never echoed).
std::string display_url(std::string_view url);
// `sql` with `?` and `?N` parameters as PostgreSQL's `$N` (quoted text left alone); `count`
// receives the highest parameter number.
std::string postgresql_parameters(std::string_view sql, int* count = nullptr);

} // namespace netinv::store::sql
