// SPDX-License-Identifier: Apache-2.0
//
// The PostgreSQL backend of store/sql: libpq. Each statement text is prepared once per
// connection (by its text and parameter types) and run with text parameters; integers are sent
// as int8 and text left for the server to type from its context, as SQLite's dynamic typing
// accepts both.
#include "store/sql.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <libpq-fe.h>
#include <map>
#include <optional>
#include <vector>

namespace netinv::store::sql {

namespace {

constexpr Oid k_int8 = 20; // pg_type.oid of bigint

// libpq's messages span lines ("...failed: Connection refused\n\tIs the server running..."):
// one line, as every netinv error.
std::string one_line(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == '\n' || c == '\t' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space) {
            out += ' ';
            space = false;
        }
        out += c;
    }
    return out;
}

[[noreturn]] void fail_result(PGresult* res, PGconn* conn) {
    std::string msg;
    if (res) {
        if (const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) {
            msg = primary;
            if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
                msg += fmt::format(" ({})", detail);
            }
        }
        PQclear(res);
    }
    if (msg.empty()) {
        msg = PQerrorMessage(conn);
    }
    throw Failure(one_line(msg.empty() ? "the server did not answer" : msg));
}

class PgDatabase;

class PgStatement final : public StatementImpl {
public:
    PgStatement(PgDatabase& db, const std::string& sql) : m_db(db) {
        int count = 0;
        m_sql = postgresql_parameters(sql, &count);
        // A parameter never bound is NULL, as in SQLite.
        m_values.resize(static_cast<std::size_t>(count));
        m_types.resize(static_cast<std::size_t>(count), 0);
    }
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;
    ~PgStatement() override { clear(); }
    void bind_null(int i) override { set(i, std::nullopt, 0); }
    void bind_int(int i, std::int64_t v) override { set(i, std::to_string(v), k_int8); }
    void bind_text(int i, std::string_view v) override { set(i, std::string(v), 0); }
    bool step() override;
    void reset() override { clear(); }
    bool is_null(int col) const override { return PQgetisnull(m_res, m_row, col) != 0; }
    std::int64_t get_int(int col) const override {
        if (is_null(col)) {
            return 0;
        }
        return std::strtoll(PQgetvalue(m_res, m_row, col), nullptr, 10);
    }
    std::string get_text(int col) const override {
        return std::string(PQgetvalue(m_res, m_row, col),
                           static_cast<std::size_t>(PQgetlength(m_res, m_row, col)));
    }

private:
    void set(int i, std::optional<std::string> v, Oid type) {
        const auto at = static_cast<std::size_t>(i - 1);
        if (m_values.size() <= at) {
            m_values.resize(at + 1);
            m_types.resize(at + 1, 0);
        }
        m_values[at] = std::move(v);
        m_types[at] = type;
    }
    void clear() {
        if (m_res) {
            PQclear(m_res);
            m_res = nullptr;
        }
        m_row = -1;
    }
    PgDatabase& m_db;
    std::string m_sql;
    std::vector<std::optional<std::string>> m_values;
    std::vector<Oid> m_types;
    PGresult* m_res = nullptr;
    int m_row = -1;
};

class PgDatabase final : public Database {
public:
    explicit PgDatabase(PGconn* conn) : m_conn(conn) {}
    PgDatabase(const PgDatabase&) = delete;
    PgDatabase& operator=(const PgDatabase&) = delete;
    ~PgDatabase() override { PQfinish(m_conn); }
    Backend backend() const override { return Backend::postgresql; }
    std::unique_ptr<StatementImpl> prepare(const std::string& sql) override {
        return std::make_unique<PgStatement>(*this, sql);
    }
    void exec(const std::string& sql) override {
        PGresult* res = PQexec(m_conn, sql.c_str());
        const auto status = PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            fail_result(res, m_conn);
        }
        PQclear(res);
    }
    std::int64_t last_insert_id() override { return query_int(*this, "SELECT lastval()"); }
    void defer_foreign_keys() override { exec("SET CONSTRAINTS ALL DEFERRED"); }

    // Runs `sql` (already in $N form), preparing it on first use.
    PGresult* run(const std::string& sql, const std::vector<std::optional<std::string>>& values,
                  const std::vector<Oid>& types) {
        std::string key = sql;
        key += '\0';
        for (Oid t : types) {
            key += t == k_int8 ? 'i' : 'u';
        }
        auto it = m_prepared.find(key);
        if (it == m_prepared.end()) {
            const std::string name = fmt::format("netinv_{}", m_prepared.size() + 1);
            PGresult* res = PQprepare(m_conn, name.c_str(), sql.c_str(),
                                      static_cast<int>(types.size()), types.data());
            if (PQresultStatus(res) != PGRES_COMMAND_OK) {
                fail_result(res, m_conn);
            }
            PQclear(res);
            it = m_prepared.emplace(std::move(key), name).first;
        }
        std::vector<const char*> ptrs;
        ptrs.reserve(values.size());
        for (const auto& v : values) {
            ptrs.push_back(v ? v->c_str() : nullptr);
        }
        PGresult* res = PQexecPrepared(m_conn, it->second.c_str(), static_cast<int>(ptrs.size()),
                                       ptrs.data(), nullptr, nullptr, 0);
        const auto status = PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            fail_result(res, m_conn);
        }
        return res;
    }

private:
    PGconn* m_conn;
    std::map<std::string, std::string> m_prepared;
};

bool PgStatement::step() {
    if (!m_res) {
        m_res = m_db.run(m_sql, m_values, m_types);
        m_row = -1;
    }
    ++m_row;
    return m_row < PQntuples(m_res);
}

} // namespace

std::string postgresql_parameters(std::string_view sql, int* count) {
    std::string out;
    out.reserve(sql.size() + 8);
    int next = 0;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote) {
            out += c;
            if (c == quote) {
                quote = 0;
            }
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            out += c;
            continue;
        }
        if (c != '?') {
            out += c;
            continue;
        }
        std::size_t j = i + 1;
        while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') {
            ++j;
        }
        int n = 0;
        if (j > i + 1) {
            n = std::stoi(std::string(sql.substr(i + 1, j - i - 1)));
        } else {
            n = next + 1; // a bare ? takes the number after the largest so far, as in SQLite
        }
        next = std::max(next, n);
        out += fmt::format("${}", n);
        i = j - 1;
    }
    if (count) {
        *count = next;
    }
    return out;
}

bool is_postgresql_url(std::string_view db) {
    return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

std::string display_url(std::string_view url) {
    // postgresql://user:secret@host/db -> postgresql://user@host/db
    const auto scheme = url.find("://");
    const auto at = url.find('@');
    const auto slash = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    if (scheme == std::string_view::npos || at == std::string_view::npos ||
        (slash != std::string_view::npos && at > slash)) {
        return std::string(url);
    }
    const auto user = url.substr(scheme + 3, at - scheme - 3);
    const auto colon = user.find(':');
    if (colon == std::string_view::npos) {
        return std::string(url);
    }
    return fmt::format("{}{}{}", url.substr(0, scheme + 3), user.substr(0, colon), url.substr(at));
}

std::unique_ptr<Database> open_postgresql(const std::string& url, const std::string& application) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
        std::string msg = err ? one_line(err) : "not a connection string";
        PQfreemem(err);
        throw Failure(msg);
    }
    bool password = false;
    for (auto* o = opts; o->keyword; ++o) {
        if (std::string_view(o->keyword) == "password" && o->val && *o->val) {
            password = true;
        }
    }
    PQconninfoFree(opts);
    if (password) {
        throw Failure("a password in the connection string would be in the process list and the "
                      "configuration; give it in PGPASSWORD or the private file ~/.pgpass");
    }
    // Earlier keywords are defaults the URL may override; the application name is ours.
    const char* keys[] = {"connect_timeout", "dbname", "application_name", "client_encoding",
                          nullptr};
    const char* vals[] = {"10", url.c_str(), application.c_str(), "UTF8", nullptr};
    PGconn* conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) {
        throw Failure("out of memory");
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string msg = one_line(PQerrorMessage(conn));
        PQfinish(conn);
        throw Failure(msg);
    }
    auto db = std::make_unique<PgDatabase>(conn);
    // Warnings stay on the server: a NOTICE on stderr is not a netinv message.
    db->exec("SET client_min_messages = warning");
    return db;
}

} // namespace netinv::store::sql
