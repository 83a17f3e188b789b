// SPDX-License-Identifier: Apache-2.0
//
// The PostgreSQL backend of store/sql: libpq. Each statement text is prepared once per
// connection (by its text and parameter types) and run with text parameters; integers are sent
// as int8 and text left for the server to type from its context, as SQLite's dynamic typing
// accepts both. Inside a transaction the connection is in pipeline mode: statements that return
// no rows (a target's inserts) are sent without waiting for their answers, which are read at
// the next statement that returns rows and at COMMIT, where a failure among them is raised. A
// target's hundred inserts then cost one round trip, not a hundred: what a server across a
// WAN link needs.
#include "store/sql.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <libpq-fe.h>
#include <map>
#include <optional>
#include <vector>

namespace netinv::store::sql {

namespace {

// libpq is loaded when a PostgreSQL store is first named, not when netinv starts: with its
// dependencies (Kerberos, LDAP, GnuTLS and a dozen more) it was 9 ms of every command's start,
// half of it, on machines where most stores are SQLite files. <libpq-fe.h> still gives the
// types, and each function is looked up by name once.
#define NETINV_LIBPQ_FUNCTIONS(X)                                                                  \
    X(PQclear)                                                                                     \
    X(PQconnectdbParams)                                                                           \
    X(PQconninfoFree)                                                                              \
    X(PQconninfoParse)                                                                             \
    X(PQenterPipelineMode)                                                                         \
    X(PQerrorMessage)                                                                              \
    X(PQexec)                                                                                      \
    X(PQexecPrepared)                                                                              \
    X(PQexitPipelineMode)                                                                          \
    X(PQfinish)                                                                                    \
    X(PQflush)                                                                                     \
    X(PQfreemem)                                                                                   \
    X(PQgetResult)                                                                                 \
    X(PQgetisnull)                                                                                 \
    X(PQgetlength)                                                                                 \
    X(PQgetvalue)                                                                                  \
    X(PQntuples)                                                                                   \
    X(PQpipelineSync)                                                                              \
    X(PQprepare)                                                                                   \
    X(PQresultErrorField)                                                                          \
    X(PQresultStatus)                                                                              \
    X(PQsendFlushRequest)                                                                          \
    X(PQsendPrepare)                                                                               \
    X(PQsendQueryPrepared)                                                                         \
    X(PQsetNoticeProcessor)                                                                        \
    X(PQstatus)

struct Libpq {
#define NETINV_LIBPQ_MEMBER(name) decltype(&::name) name = nullptr;
    NETINV_LIBPQ_FUNCTIONS(NETINV_LIBPQ_MEMBER)
#undef NETINV_LIBPQ_MEMBER
};

Libpq load_libpq() {
    constexpr const char* soname = "libpq.so.5";
    void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        throw Failure(fmt::format("a PostgreSQL store needs libpq ({}, Debian package libpq5): {}",
                                  soname, ::dlerror()));
    }
    Libpq lib;
#define NETINV_LIBPQ_LOAD(name)                                                                    \
    lib.name = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name));                        \
    if (!lib.name) {                                                                               \
        throw Failure(fmt::format("{} has no {}: a libpq older than 14", soname, #name));          \
    }
    NETINV_LIBPQ_FUNCTIONS(NETINV_LIBPQ_LOAD)
#undef NETINV_LIBPQ_LOAD
    return lib; // the library stays loaded for the process's life
}

const Libpq& libpq() {
    static const Libpq lib = load_libpq(); // a failure is thrown again at the next use
    return lib;
}

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
        if (const char* primary = libpq().PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) {
            msg = primary;
            if (const char* detail = libpq().PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
                msg += fmt::format(" ({})", detail);
            }
        }
        libpq().PQclear(res);
    }
    if (msg.empty()) {
        msg = libpq().PQerrorMessage(conn);
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
    void run() override;
    void reset() override { clear(); }
    bool is_null(int col) const override { return libpq().PQgetisnull(m_res, m_row, col) != 0; }
    std::int64_t get_int(int col) const override {
        if (is_null(col)) {
            return 0;
        }
        return std::strtoll(libpq().PQgetvalue(m_res, m_row, col), nullptr, 10);
    }
    std::string get_text(int col) const override {
        return std::string(libpq().PQgetvalue(m_res, m_row, col),
                           static_cast<std::size_t>(libpq().PQgetlength(m_res, m_row, col)));
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
            libpq().PQclear(m_res);
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
    ~PgDatabase() override { libpq().PQfinish(m_conn); }
    Backend backend() const override { return Backend::postgresql; }
    std::unique_ptr<StatementImpl> prepare(const std::string& sql) override {
        return std::make_unique<PgStatement>(*this, sql);
    }
    void exec(const std::string& sql) override {
        if (m_pipeline) {
            // A script (the schema) cannot be pipelined: the answers so far, then on its own.
            sync_and_leave();
            exec(sql);
            enter();
            return;
        }
        PGresult* res = libpq().PQexec(m_conn, sql.c_str());
        const auto status = libpq().PQresultStatus(res);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            fail_result(res, m_conn);
        }
        libpq().PQclear(res);
    }
    std::int64_t last_insert_id() override { return query_int(*this, "SELECT lastval()"); }
    void begin() override {
        exec("BEGIN");
        enter();
    }
    void commit() override {
        if (m_pipeline) {
            sync_and_leave(); // raises the first failure among the statements sent
        }
        exec("COMMIT");
    }
    void rollback() override {
        if (m_pipeline) {
            try {
                sync_and_leave();
            } catch (const Failure&) { // the reason was raised already; the rollback is what counts
            }
        }
        exec("ROLLBACK");
    }
    void defer_foreign_keys() override { exec("SET CONSTRAINTS ALL DEFERRED"); }

    // Runs `sql` (already in $N form), preparing it on first use, and returns its rows.
    PGresult* run(const std::string& sql, const std::vector<std::optional<std::string>>& values,
                  const std::vector<Oid>& types) {
        if (m_pipeline) {
            send(sql, values, types);
            flush();
            // The answers to what was sent before, then this statement's.
            read_pending(1);
            PGresult* res = next_result();
            const std::string prepared = m_pending.front();
            m_pending.pop_front();
            check(res, prepared);
            return res;
        }
        const std::string name = prepared_name(sql, types, false);
        const auto ptrs = pointers(values);
        PGresult* res = libpq().PQexecPrepared(m_conn, name.c_str(), static_cast<int>(ptrs.size()),
                                               ptrs.data(), nullptr, nullptr, 0);
        check(res, "");
        return res;
    }
    // Sends `sql` for its effect; its answer is read later (at once outside a transaction).
    void send_only(const std::string& sql, const std::vector<std::optional<std::string>>& values,
                   const std::vector<Oid>& types) {
        if (!m_pipeline) {
            libpq().PQclear(run(sql, values, types));
            return;
        }
        send(sql, values, types);
        // Bounded: the server's answers must not fill the socket while nothing reads them.
        if (m_pending.size() > 256) {
            flush();
            read_pending(0);
        }
    }

private:
    static std::vector<const char*> pointers(const std::vector<std::optional<std::string>>& v) {
        std::vector<const char*> ptrs;
        ptrs.reserve(v.size());
        for (const auto& x : v) {
            ptrs.push_back(x ? x->c_str() : nullptr);
        }
        return ptrs;
    }
    void flush() {
        if (libpq().PQsendFlushRequest(m_conn) != 1 || libpq().PQflush(m_conn) != 0) {
            fail_result(nullptr, m_conn);
        }
    }
    std::string prepared_name(const std::string& sql, const std::vector<Oid>& types,
                              bool pipelined) {
        std::string key = sql;
        key += '\0';
        for (Oid t : types) {
            key += t == k_int8 ? 'i' : 'u';
        }
        if (auto it = m_prepared.find(key); it != m_prepared.end()) {
            return it->second;
        }
        const std::string name = fmt::format("netinv_{}", ++m_statements);
        if (pipelined) {
            if (libpq().PQsendPrepare(m_conn, name.c_str(), sql.c_str(),
                                      static_cast<int>(types.size()), types.data()) != 1) {
                fail_result(nullptr, m_conn);
            }
            m_pending.push_back(key); // a failed prepare is forgotten when its answer comes
        } else {
            PGresult* res = libpq().PQprepare(m_conn, name.c_str(), sql.c_str(),
                                              static_cast<int>(types.size()), types.data());
            if (libpq().PQresultStatus(res) != PGRES_COMMAND_OK) {
                fail_result(res, m_conn);
            }
            libpq().PQclear(res);
        }
        m_prepared.emplace(std::move(key), name);
        return name;
    }
    void send(const std::string& sql, const std::vector<std::optional<std::string>>& values,
              const std::vector<Oid>& types) {
        const std::string name = prepared_name(sql, types, true);
        const auto ptrs = pointers(values);
        if (libpq().PQsendQueryPrepared(m_conn, name.c_str(), static_cast<int>(ptrs.size()),
                                        ptrs.data(), nullptr, nullptr, 0) != 1) {
            fail_result(nullptr, m_conn);
        }
        m_pending.emplace_back();
    }
    // One command's result, and the end of its results.
    PGresult* next_result() {
        PGresult* res = libpq().PQgetResult(m_conn);
        if (!res) {
            fail_result(nullptr, m_conn);
        }
        while (PGresult* more = libpq().PQgetResult(m_conn)) {
            libpq().PQclear(more);
        }
        return res;
    }
    // A command's answer: fine, or a Failure (the pipeline's first; the commands after it were
    // skipped by the server and say only that).
    void check(PGresult* res, const std::string& prepared) {
        const auto status = libpq().PQresultStatus(res);
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            return;
        }
        if (!prepared.empty()) {
            m_prepared.erase(prepared);
        }
        if (status == PGRES_PIPELINE_ABORTED && !m_failure.empty()) {
            libpq().PQclear(res);
            throw Failure(m_failure);
        }
        try {
            fail_result(res, m_conn);
        } catch (const Failure& e) {
            m_failure = e.what();
            throw;
        }
    }
    // Reads the answers to what was sent, all but the last `keep`; raises the first failure.
    void read_pending(std::size_t keep) {
        std::optional<Failure> first;
        while (m_pending.size() > keep) {
            PGresult* res = next_result();
            const std::string prepared = m_pending.front();
            m_pending.pop_front();
            try {
                check(res, prepared);
                libpq().PQclear(res);
            } catch (const Failure& e) {
                if (!first) {
                    first = e;
                }
            }
        }
        if (first) {
            throw *first;
        }
    }
    void enter() {
        if (libpq().PQenterPipelineMode(m_conn) != 1) {
            fail_result(nullptr, m_conn);
        }
        m_pipeline = true;
        m_failure.clear();
    }
    // Every answer, the sync, and out of pipeline mode; the first failure among them raised.
    void sync_and_leave() {
        std::optional<Failure> first;
        if (libpq().PQpipelineSync(m_conn) != 1) {
            fail_result(nullptr, m_conn);
        }
        try {
            read_pending(0);
        } catch (const Failure& e) {
            first = e;
        }
        PGresult* sync = libpq().PQgetResult(m_conn);
        const bool synced = sync && libpq().PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
        libpq().PQclear(sync);
        m_pipeline = false;
        if (!synced || libpq().PQexitPipelineMode(m_conn) != 1) {
            throw Failure(one_line(libpq().PQerrorMessage(m_conn)));
        }
        if (first) {
            throw *first;
        }
    }

    PGconn* m_conn;
    std::map<std::string, std::string> m_prepared;
    int m_statements = 0;
    bool m_pipeline = false;
    std::deque<std::string> m_pending; // per command sent: the key of a prepare, or ""
    std::string m_failure;             // the pipeline's first failure
};

void PgStatement::run() {
    clear();
    m_db.send_only(m_sql, m_values, m_types);
}

bool PgStatement::step() {
    if (!m_res) {
        m_res = m_db.run(m_sql, m_values, m_types);
        m_row = -1;
    }
    ++m_row;
    return m_row < libpq().PQntuples(m_res);
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

namespace {

// Whether the connection string sets a password; nullopt, with libpq's reason in `error`, when
// it is not a connection string.
std::optional<bool> sets_password(std::string_view url, std::string& error) {
    char* err = nullptr;
    PQconninfoOption* opts = libpq().PQconninfoParse(std::string(url).c_str(), &err);
    if (!opts) {
        error = err ? one_line(err) : "not a connection string";
        libpq().PQfreemem(err);
        return std::nullopt;
    }
    bool password = false;
    for (auto* o = opts; o->keyword; ++o) {
        if (std::string_view(o->keyword) == "password" && o->val && *o->val) {
            password = true;
        }
    }
    libpq().PQconninfoFree(opts);
    return password;
}

} // namespace

bool has_password(std::string_view url) {
    std::string error;
    return sets_password(url, error).value_or(false);
}

std::unique_ptr<Database> open_postgresql(const std::string& url, const std::string& application) {
    std::string error;
    const auto password = sets_password(url, error);
    if (!password) {
        throw Failure(error);
    }
    if (*password) {
        throw Failure("a password in the connection string would be in the process list and the "
                      "configuration; give it in PGPASSWORD or the private file ~/.pgpass");
    }
    // Earlier keywords are defaults the URL may override; the application name is ours.
    // A server that stops answering (a link down, a host gone) ends the run with an error
    // within a minute rather than hanging it: TCP keepalives while waiting for an answer, and
    // a bound on unacknowledged writes.
    const char* keys[] = {"connect_timeout",  "keepalives",
                          "keepalives_idle",  "keepalives_interval",
                          "keepalives_count", "tcp_user_timeout",
                          "dbname",           "application_name",
                          "client_encoding",  nullptr};
    const char* vals[] = {
        "10", "1", "20", "10", "3", "60000", url.c_str(), application.c_str(), "UTF8", nullptr};
    PGconn* conn = libpq().PQconnectdbParams(keys, vals, 1);
    if (!conn) {
        throw Failure("out of memory");
    }
    if (libpq().PQstatus(conn) != CONNECTION_OK) {
        std::string msg = one_line(libpq().PQerrorMessage(conn));
        libpq().PQfinish(conn);
        throw Failure(msg);
    }
    // The server's notices stay out of netinv's output: a failure that follows one (a server
    // shutting down: "WARNING: terminating connection") is said by the error, on one line.
    libpq().PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    auto db = std::make_unique<PgDatabase>(conn);
    // Pollers write their own rows; a wait of a minute for another session's lock is a stuck
    // session, said as an error rather than waited on.
    db->exec("SET lock_timeout = '60s'");
    return db;
}

} // namespace netinv::store::sql
