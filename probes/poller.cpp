// SPDX-License-Identifier: Apache-2.0
//
// The polling engine: every device of a scan from one event loop, with net-snmp's single-session
// API in asynchronous mode.
//
// Each device is a small state machine: [SNMPv3 engine discovery] -> GET of the system group
// (which decides the outcome: no answer is a timeout, a USM report an authentication failure)
// -> the table walks, up to three requests in flight -> done. A walk sends all of a table's
// columns in one GETBULK (GETNEXT for SNMPv1), each column advancing on its own until it leaves
// its subtree; a column whose OIDs stop increasing, that passes a row cap, or that an agent
// answers out of order or with noSuchObject, ends (or slows to a row at a time) with a warning
// naming host and OID, and the walk is recorded as cut short. A device that runs past its time
// budget is finished with what it has and a warning.
//
// Timing, as TCP does it (RFC 6298): net-snmp never retransmits (retries = 0); netinv sends
// each request again itself when its try times out, the first timeout from the target's
// measured round-trip time (SRTT + 4 RTTVAR, at least 1 s, or 2 x SRTT for a far, steady path:
// see Device::min_rto; learned across scans in the database; for a target never measured,
// timeout_ms until the scan has first answers, then twice the slowest: Engine::first_contact_rto),
// doubling (but not for the second and third tries on a far, steady path: linear timeouts for
// thin streams), all within timeout_ms x (retries + 1), a retransmission before the device's new
// requests. Each try has its own request id, so an answer times exactly one try; earlier tries
// stay open until the budget is spent and their late answers count (Device::retry_due).
//
// Capacity: every device has its own socket, and as many devices are polled at once as the
// open-files limit allows (raised to its hard limit). Requests to devices that have answered
// share a congestion window (slow start up to --concurrency; halved when answers from several
// devices come late at once, i.e. a shared queue is filling), a request of a far target with
// a steady round trip holding less than a place (Device::weight); first requests to devices not
// heard from yet have a window of their own and hold their place only until an answer is
// overdue, so devices that are down wait out their timeouts without holding anyone back. A
// failure of this machine's (no descriptor, no buffer) is never a device's outcome: the device
// is polled again later with fewer sessions, or the scan stops and says why.
//
// Memory: values longer than any object netinv reads are cut at decode (their size kept for
// the warning); what the walks of the devices in progress hold is capped per device and per
// scan, and a walk that would pass a cap ends, saying which.
//
// Sockets are connected to the target, so the kernel delivers only datagrams from the address
// and port the requests went to. The loop polls the sessions' sockets (poll(2): no
// 1024-descriptor ceiling), hands readable ones to net-snmp, and calls back with the response
// PDU, converted at once to plain VarBinds. Sessions are closed only outside callbacks.
//
// SNMPv3: snmp_sess_open would discover the engine synchronously, blocking the loop for a dead
// device, and so would the first send unless SNMP_FLAGS_DONT_PROBE is set again after opening
// (opening clears it). The discovery request (a GET with no variables, noAuthNoPriv, empty
// user) goes through the loop like any other; its REPORT carries the engine ID, which the
// session takes, and create_user_from_session() then derives the localized keys. net-snmp
// resynchronises engine boots/time on the first real request.
#include "probes/poller.hpp"

#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <tuple>

#include "probes/mib/mib.hpp"
#include "probes/varbind.hpp"

namespace netinv::probes {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t k_max_rows_per_column = 100'000;
constexpr int k_max_varbinds_per_request = 100; // net-snmp agents answer at most this many
// Retransmission timeouts (RFC 6298): never below this, however fast the target answered,
// since agents take longer for a full GETBULK than for the system group...
constexpr auto k_min_rto = std::chrono::milliseconds(1000);
// ...except for a target behind a long, steady path (a commune's link: its round trip is the
// path's, not the agent's; see Device::min_rto), whose floor is twice its round trip but at
// least this (Linux TCP's minimum RTO).
constexpr auto k_min_steady_rto = std::chrono::milliseconds(200);
// A walk's request whose first two tries went unanswered asks for less from the third on: an
// answer too large for the path (fragments dropped) never comes, whichever try. When an
// earlier, larger try is answered after all, size was not the reason and the walk asks for
// as much as before (Walk::undo_back_off): one lost at random (2% each way on a commune's
// link) or an agent slow on one table would otherwise cost the rest of the walk more round
// trips.
constexpr int k_back_off_tries = 2;
// Retransmissions on a far, steady path that wait the estimate again instead of doubling
// (Device::attempt_timeout); from the next one on, each doubles. A busy agent answers late,
// which ends "steady" (Device::on_event) and with it this.
constexpr int k_linear_retries = 2;
// Requests in flight at the start of a scan, before any answer says how much more fits.
constexpr double k_initial_window = 16;
// An answer this much slower than the target's fastest (and at least twice as slow) says a
// queue on the way is filling.
constexpr auto k_delay_margin = std::chrono::milliseconds(50);
constexpr auto k_delay_window = std::chrono::milliseconds(100);
// A target this near (or nearer) holds a whole place of the congestion window per request;
// a farther one with a steady round trip holds k_weight_rtt / its fastest round trip of a
// place (Device::weight), down to k_min_weight.
constexpr auto k_near_rtt = std::chrono::milliseconds(20);
constexpr auto k_weight_rtt = std::chrono::milliseconds(10);
constexpr double k_min_weight = 1.0 / 16;
// File descriptors kept free for the database, the lock, the terminal and net-snmp's own.
constexpr long k_reserved_fds = 64;
// Devices in progress at once, per place of --concurrency: 1 / k_min_weight, as many as far
// targets' requests could ever keep busy.
constexpr int k_sessions_per_place = static_cast<int>(1 / k_min_weight);

void init_library() {
    static std::once_flag once;
    std::call_once(once, [] {
        // No MIB files, no snmp.conf, no persistent state: netinv uses numeric OIDs only and
        // must behave the same on every machine.
        ::setenv("MIBS", "", 1);
        ::setenv("MIBDIRS", "", 1);
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
        netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
        netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
        // init_snmp() prepares a TLS certificate index under the persistent directory
        // (/var/lib/snmp by default, creating it when run as root). netinv uses no TLS
        // transports: point it where no directory can ever be created.
        netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR,
                              "/dev/null/netinv");
        // With no log handler net-snmp falls back to stderr; this one discards. Everything
        // netinv reports comes from its own checks, with host and OID.
        snmp_disable_log();
        netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_EMERG);
        init_snmp("netinv");
        // The user SNMPv3 engine discovery is sent as (RFC 3414 section 4).
        if (!usm_get_user(nullptr, 0, const_cast<char*>(""))) {
            usmUser* user = usm_create_user();
            user->name = strdup("");
            user->secName = strdup("");
            user->authProtocol =
                snmp_duplicate_objid(usmNoAuthProtocol, OID_LENGTH(usmNoAuthProtocol));
            user->authProtocolLen = OID_LENGTH(usmNoAuthProtocol);
            user->privProtocol =
                snmp_duplicate_objid(usmNoPrivProtocol, OID_LENGTH(usmNoPrivProtocol));
            user->privProtocolLen = OID_LENGTH(usmNoPrivProtocol);
            usm_add_user(user);
        }
    });
}

// Ku, the key derived from a passphrase (RFC 3414 A.2), depends only on the hash and the
// passphrase, and deriving it hashes a megabyte: done once per credential and reused for every
// device (localizing it to each engine is cheap, and net-snmp does that per session).
bool derive_ku(const oid* proto, std::size_t proto_len, const std::string& pass, u_char* key,
               std::size_t* key_len) {
    static std::map<std::pair<std::vector<oid>, std::string>, std::vector<u_char>> cache;
    auto k = std::make_pair(std::vector<oid>(proto, proto + proto_len), pass);
    auto it = cache.find(k);
    if (it == cache.end()) {
        std::vector<u_char> out(*key_len);
        std::size_t len = out.size();
        if (generate_Ku(proto, static_cast<u_int>(proto_len),
                        reinterpret_cast<const u_char*>(pass.data()), pass.size(), out.data(),
                        &len) != SNMPERR_SUCCESS) {
            return false;
        }
        out.resize(len);
        it = cache.emplace(std::move(k), std::move(out)).first;
    }
    if (it->second.size() > *key_len) {
        return false;
    }
    std::copy(it->second.begin(), it->second.end(), key);
    *key_len = it->second.size();
    return true;
}

// Why a request failed, already classified for the target's outcome.
struct Failure {
    model::Outcome outcome;
    std::string detail;
};

// A timeout names the budget, not how many tries went out in it: that is the engine's (its
// retransmission timeouts depend on the scan), and a device that is down must read the same
// every night, or its history would gain a new outcome range each time.
Failure classify(int liberr, const std::string& text, const PollSpec& spec) {
    switch (liberr) {
    case SNMPERR_TIMEOUT:
        return {model::Outcome::timeout,
                fmt::format("no answer in {} ms", spec.timeout_ms * (spec.retries + 1))};
    case SNMPERR_AUTHENTICATION_FAILURE:
    case SNMPERR_USM_AUTHENTICATIONFAILURE:
    case SNMPERR_UNKNOWN_USER_NAME:
    case SNMPERR_USM_UNKNOWNSECURITYNAME:
    case SNMPERR_UNSUPPORTED_SEC_LEVEL:
    case SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL:
    case SNMPERR_DECRYPTION_ERR:
    case SNMPERR_USM_DECRYPTIONERROR:
        return {model::Outcome::auth_failure,
                fmt::format("authentication failed: {}",
                            text.empty() ? snmp_api_errstring(liberr) : text)};
    default:
        return {model::Outcome::error, text.empty() ? snmp_api_errstring(liberr) : text};
    }
}

VarBind convert(const netsnmp_variable_list* v) {
    VarBind vb;
    vb.oid.reserve(v->name_length);
    for (std::size_t i = 0; i < v->name_length; ++i) {
        vb.oid.push_back(static_cast<std::uint32_t>(v->name[i]));
    }
    switch (v->type) {
    case ASN_INTEGER:
        vb.type = VbType::integer;
        vb.integer = *v->val.integer;
        break;
    case ASN_OCTET_STR:
    case ASN_OPAQUE:
    case ASN_IPADDRESS:
        vb.type = v->type == ASN_OCTET_STR ? VbType::octets
                  : v->type == ASN_OPAQUE  ? VbType::opaque
                                           : VbType::ip_address;
        set_value_bytes(vb, {reinterpret_cast<const char*>(v->val.string), v->val_len});
        break;
    case ASN_OBJECT_ID:
        for (std::size_t i = 0; i < v->val_len / sizeof(oid); ++i) {
            vb.oid_value.push_back(static_cast<std::uint32_t>(v->val.objid[i]));
        }
        vb.type = VbType::object_id;
        break;
    case ASN_COUNTER:
    case ASN_GAUGE:
    case ASN_TIMETICKS:
        vb.type = static_cast<VbType>(v->type);
        vb.unsigned_ = static_cast<std::uint32_t>(*v->val.integer);
        break;
    case ASN_COUNTER64:
        vb.type = VbType::counter64;
        vb.unsigned_ = (std::uint64_t{v->val.counter64->high} << 32) | v->val.counter64->low;
        break;
    case SNMP_NOSUCHOBJECT:
    case SNMP_NOSUCHINSTANCE:
    case SNMP_ENDOFMIBVIEW:
        vb.type = static_cast<VbType>(v->type);
        break;
    default:
        vb.type = VbType::null;
        break;
    }
    return vb;
}

int oid_compare(const Oid& a, const Oid& b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (a[i] != b[i]) {
            return a[i] < b[i] ? -1 : 1;
        }
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// A target's round-trip time, smoothed as TCP does (RFC 6298, section 2), in microseconds.
class RttEstimator {
public:
    void seed(std::optional<int> srtt_us, std::optional<int> rttvar_us) {
        if (srtt_us && *srtt_us > 0) {
            m_srtt = *srtt_us;
            m_rttvar = rttvar_us && *rttvar_us >= 0 ? *rttvar_us : *srtt_us / 2.0;
        }
    }
    void sample(Clock::duration rtt) {
        const double r = std::chrono::duration<double, std::micro>(rtt).count();
        if (!m_srtt) {
            m_srtt = r;
            m_rttvar = r / 2;
        } else {
            m_rttvar = 0.75 * m_rttvar + 0.25 * std::abs(*m_srtt - r);
            m_srtt = 0.875 * *m_srtt + 0.125 * r;
        }
        ++m_samples;
    }
    bool known() const { return m_srtt.has_value(); }
    int samples() const { return m_samples; }
    // SRTT + 4 RTTVAR, at least `floor`.
    Clock::duration rto(Clock::duration floor) const {
        const auto us =
            std::chrono::microseconds(static_cast<std::int64_t>(m_srtt.value_or(0) + 4 * m_rttvar));
        return std::max<Clock::duration>(floor, us);
    }
    std::optional<int> srtt_us() const {
        return m_srtt ? std::optional<int>(static_cast<int>(*m_srtt)) : std::nullopt;
    }
    std::optional<int> rttvar_us() const {
        return m_srtt ? std::optional<int>(static_cast<int>(m_rttvar)) : std::nullopt;
    }

private:
    std::optional<double> m_srtt;
    double m_rttvar = 0;
    int m_samples = 0;
};

// The memory the replies of the devices in progress hold (see EngineOptions).
struct MemoryBudget {
    std::size_t device_cap;
    std::size_t scan_cap;
    std::size_t scan_used = 0;
};

std::size_t footprint(const VarBind& vb) {
    return sizeof(VarBind) + (vb.oid.size() + vb.oid_value.size()) * sizeof(std::uint32_t) +
           vb.bytes.size();
}

void add_null(netsnmp_pdu* pdu, const Oid& o) {
    std::vector<oid> raw(o.begin(), o.end());
    snmp_add_null_var(pdu, raw.data(), raw.size());
}

// A column-wise table walk (see the file comment).
class Walk {
public:
    // `start_reps` is the max-repetitions to begin with (an earlier scan's, or small for a small
    // table), else the most that fits in one net-snmp response for this many columns. With
    // `may_grow` the walk asks for more when the table turns out long.
    Walk(std::vector<Oid> columns, bool v1, std::optional<int> start_reps, bool may_grow)
        : m_columns(std::move(columns)), m_cur(m_columns), m_rows(m_columns.size(), 0),
          m_active(m_columns.size(), true), m_v1(v1),
          m_reps(std::clamp(
              start_reps.value_or(k_max_varbinds_per_request / static_cast<int>(m_columns.size())),
              1, k_max_varbinds_per_request)),
          m_max_reps(m_reps), m_full_reps(std::max(1, k_max_varbinds_per_request /
                                                          static_cast<int>(m_columns.size()))) {
        if (may_grow) {
            m_max_reps = std::max(m_full_reps, m_reps);
        }
    }

    // The size to start the next scan with: where a back-off left it, else up to twice this
    // one's (so a size lowered by one bad night grows back).
    int next_reps() const { return m_backed_off ? m_reps : std::min(m_reps * 2, m_full_reps); }

    bool done() const { return m_done; }
    int reps() const { return m_reps; }
    // Values the last request (next_request) asked for.
    std::size_t asked() const { return m_asked; }
    // Halves max-repetitions after a tooBig or a timeout; false when already at 1. The walk
    // then no longer grows past it.
    bool back_off() {
        if (m_v1 || m_reps <= 1) {
            return false;
        }
        m_undo = Undo{m_reps, m_max_reps, m_backed_off};
        m_reps /= 2;
        m_max_reps = m_reps;
        m_backed_off = true;
        return true;
    }
    // Back to the size before the last back_off, when a try that asked for more was answered
    // after all (see k_back_off_tries).
    void undo_back_off() {
        if (m_undo) {
            m_reps = m_undo->reps;
            m_max_reps = m_undo->max_reps;
            m_backed_off = m_undo->backed_off;
            m_undo.reset();
        }
    }
    std::vector<VarBind> take() { return std::move(m_out); }

    // The next request, or nullptr when the walk is complete.
    netsnmp_pdu* next_request() {
        m_sent.clear();
        for (std::size_t i = 0; i < m_columns.size(); ++i) {
            if (m_active[i]) {
                m_sent.push_back(i);
            }
        }
        if (m_sent.empty()) {
            m_done = true;
            return nullptr;
        }
        netsnmp_pdu* pdu = snmp_pdu_create(m_v1 ? SNMP_MSG_GETNEXT : SNMP_MSG_GETBULK);
        m_asked = m_sent.size();
        if (!m_v1) {
            pdu->non_repeaters = 0;
            pdu->max_repetitions = std::max(
                1, std::min(m_reps, k_max_varbinds_per_request / static_cast<int>(m_sent.size())));
            m_asked *= static_cast<std::size_t>(pdu->max_repetitions);
        }
        for (std::size_t i : m_sent) {
            add_null(pdu, m_cur[i]);
        }
        return pdu;
    }

    // Takes one response to a request that asked for `asked` values (an earlier try of the
    // current request may have asked for more than the last: see back_off); afterwards
    // done() says whether another request is needed. What it keeps is charged to
    // `device_used` and the scan's budget; past either cap the walk ends.
    void on_response(const netsnmp_pdu* r, std::size_t asked, Diagnostics& diag,
                     MemoryBudget& budget, std::size_t& device_used) {
        if (m_sent.empty()) {
            m_done = true; // no request of this walk was outstanding
            return;
        }
        m_undo.reset(); // a back-off before this answer stays
        if (r->errstat == SNMP_ERR_TOOBIG && back_off()) {
            return;
        }
        if (r->errstat == SNMP_ERR_NOSUCHNAME && m_v1) {
            m_done = true; // SNMPv1's end of the MIB view
            return;
        }
        if (r->errstat != SNMP_ERR_NOERROR) {
            stop(diag, fmt::format("walk stopped: agent error {}",
                                   snmp_errstring(static_cast<int>(r->errstat))));
            return;
        }
        std::size_t k = 0;
        for (const auto* v = r->variables; v; v = v->next_variable, ++k) {
            if (k >= asked) {
                diag.warn(m_columns.front(), fmt::format("answer holds more than the {} values "
                                                         "asked for; the rest ignored",
                                                         asked));
                break;
            }
            const std::size_t col = m_sent[k % m_sent.size()];
            if (!m_active[col]) {
                continue;
            }
            VarBind vb = convert(v);
            if (vb.type == VbType::end_of_mib_view) {
                m_active[col] = false;
                continue;
            }
            if (vb.type == VbType::no_such_object || vb.type == VbType::no_such_instance) {
                // Not an answer a GETNEXT or GETBULK may give (RFC 3416, 4.2.2 and 4.2.3).
                diag.warn(vb.oid, "noSuchObject/noSuchInstance in a walk's answer; walk of this "
                                  "column stopped, the table may be incomplete");
                m_active[col] = false;
                m_incomplete = true;
                continue;
            }
            if (!oid_starts_with(vb.oid, m_columns[col])) {
                if (!m_v1 && m_reps > 1 && oid_compare(vb.oid, m_columns[col]) < 0 &&
                    in_other_column(vb.oid, col)) {
                    // Before the column it stands for: the agent did not answer in the
                    // order GETBULK defines. Keep the rows so far, ask one row at a time
                    // (still out of order then: the column ends below, not increasing).
                    diag.warn(vb.oid, "GETBULK answer out of column order; walking one row at "
                                      "a time");
                    m_reps = m_max_reps = 1;
                    m_backed_off = true;
                    break;
                }
                if (oid_compare(vb.oid, m_cur[col]) <= 0) {
                    diag.warn(vb.oid, "OID not increasing; walk of this column stopped");
                    m_incomplete = true;
                }
                m_active[col] = false;
                continue;
            }
            if (oid_compare(vb.oid, m_cur[col]) <= 0) {
                diag.warn(vb.oid, "OID not increasing; walk of this column stopped");
                m_active[col] = false;
                m_incomplete = true;
                continue;
            }
            m_cur[col] = vb.oid;
            if (++m_rows[col] > k_max_rows_per_column) {
                diag.warn(m_columns[col], fmt::format("more than {} rows; walk of this column "
                                                      "stopped",
                                                      k_max_rows_per_column));
                m_active[col] = false;
                m_incomplete = true;
                continue;
            }
            const std::size_t cost = footprint(vb);
            if (device_used + cost > budget.device_cap ||
                budget.scan_used + cost > budget.scan_cap) {
                const bool device = device_used + cost > budget.device_cap;
                stop(diag,
                     fmt::format("walk stopped: the memory cap of {} MiB {} reached",
                                 (device ? budget.device_cap : budget.scan_cap) >> 20,
                                 device ? "per device" : "of the scan's devices in progress"));
                return;
            }
            device_used += cost;
            budget.scan_used += cost;
            m_out.push_back(std::move(vb));
        }
        if (k == 0) {
            stop(diag, "empty response; walk stopped");
        }
        if (std::ranges::none_of(m_active, [](bool a) { return a; })) {
            m_done = true;
        } else if (!m_v1 && m_reps < m_max_reps) {
            m_reps = std::min(m_reps * 4, m_max_reps); // a long table after all: ask for more
        }
    }

    // True when `o` lies in the subtree of a column asked for other than `col`.
    bool in_other_column(const Oid& o, std::size_t col) const {
        return std::ranges::any_of(
            m_sent, [&](std::size_t c) { return c != col && oid_starts_with(o, m_columns[c]); });
    }

    // True when the walk ended early (error, timeout, budget) rather than at the table's end.
    bool stopped() const { return m_stopped; }
    // True when some column ended on a fault of the agent's (stopped early, or not).
    bool incomplete() const { return m_stopped || m_incomplete; }

    // Ends the walk without a warning of its own (another walk's warning says why).
    void halt() {
        m_stopped = true;
        m_done = true;
        std::fill(m_active.begin(), m_active.end(), false);
    }

    // Ends the walk with a warning; what was retrieved is kept.
    void stop(Diagnostics& diag, const std::string& why) {
        m_stopped = true;
        if (!m_done) {
            diag.warn(m_columns.front(), fmt::format("{}; the table may be incomplete", why));
        }
        m_done = true;
        std::fill(m_active.begin(), m_active.end(), false);
    }

private:
    std::vector<Oid> m_columns;
    std::vector<Oid> m_cur;
    std::vector<std::size_t> m_rows;
    std::vector<bool> m_active;
    std::vector<std::size_t> m_sent;
    std::size_t m_asked = 0; // values the last request asked for (its tries may differ)
    std::vector<VarBind> m_out;
    bool m_v1;
    int m_reps;
    int m_max_reps;
    int m_full_reps;
    bool m_backed_off = false;
    struct Undo {
        int reps;
        int max_reps;
        bool backed_off;
    };
    std::optional<Undo> m_undo; // what the last back_off changed
    bool m_done = false;
    bool m_stopped = false;
    bool m_incomplete = false;
};

class Engine;

enum class Phase : std::uint8_t { discovery, system, walks, finished };
enum class Purpose : std::uint8_t {
    discovery,
    system,
    interfaces,
    ip_address, // IP-MIB ipAddressTable
    ip_addr,    // RFC 1213 ipAddrTable, when ipAddressTable has no IPv4
    ipv6_addr,  // IPV6-MIB ipv6AddrTable, when ipAddressTable has no IPv6
    cisco_ip,   // CISCO-IETF-IP-MIB, when neither has IPv6 on a Cisco device
    entity,     // ENTITY-MIB entPhysicalTable
    vendor,     // a GET of the vendor's identity objects
    routes,     // the default routes only
    lldp,       // LLDP-MIB neighbours
    cdp,        // CISCO-CDP-MIB neighbours, on Cisco devices
    cache,      // ipNetToPhysicalTable (ARP and IPv6 ND)
    cache_v1,   // RFC 1213 ipNetToMediaTable, when ipNetToPhysicalTable is empty
    vlans,      // Q-BRIDGE-MIB static VLANs
    ipv6_if,    // ipv6InterfaceEnableStatus
    host,       // HOST-RESOURCES storage and processors
    ipv6,       // what the IPv6 checklist needs beyond addresses
};

std::string_view purpose_name(Purpose p) {
    switch (p) {
    case Purpose::discovery:
        return "discovery";
    case Purpose::system:
        return "system";
    case Purpose::interfaces:
        return "interfaces";
    case Purpose::ip_address:
        return "ip_address";
    case Purpose::ip_addr:
        return "ip_addr";
    case Purpose::ipv6_addr:
        return "ipv6_addr";
    case Purpose::cisco_ip:
        return "cisco_ip";
    case Purpose::entity:
        return "entity";
    case Purpose::vendor:
        return "vendor";
    case Purpose::routes:
        return "routes";
    case Purpose::lldp:
        return "lldp";
    case Purpose::cdp:
        return "cdp";
    case Purpose::cache:
        return "cache";
    case Purpose::cache_v1:
        return "cache_v1";
    case Purpose::vlans:
        return "vlans";
    case Purpose::ipv6_if:
        return "ipv6_if";
    case Purpose::host:
        return "host";
    case Purpose::ipv6:
        return "ipv6";
    }
    return "?";
}

// The columns (or subtrees) a walk of `p` asks for; `role` decides the IPv6 objects.
std::vector<Oid> columns_of(Purpose p, const std::optional<std::string>& role) {
    switch (p) {
    case Purpose::interfaces:
        return mib::interface_columns();
    case Purpose::ip_address:
        return mib::ip_address_columns();
    case Purpose::ip_addr:
        return mib::ip_addr_columns();
    case Purpose::ipv6_addr:
        return mib::ipv6_addr_columns();
    case Purpose::cisco_ip:
        return mib::cisco_ip_address_columns();
    case Purpose::entity:
        return mib::entity_columns();
    case Purpose::routes:
        return mib::default_route_subtrees();
    case Purpose::lldp:
        return mib::lldp_columns();
    case Purpose::cdp:
        return mib::cdp_columns();
    case Purpose::cache:
        return mib::neighbor_cache_columns();
    case Purpose::cache_v1:
        return mib::arp_legacy_columns();
    case Purpose::vlans:
        return mib::vlan_columns();
    case Purpose::ipv6_if:
        return mib::ipv6_interface_columns();
    case Purpose::host:
        return mib::host_columns();
    case Purpose::ipv6:
        return mib::ipv6_columns(role);
    case Purpose::discovery:
    case Purpose::system:
    case Purpose::vendor:
        break;
    }
    return {};
}

bool is_cisco(const model::Device& d) {
    return d.sys_object_id && d.sys_object_id->starts_with("1.3.6.1.4.1.9.");
}

// The walks every device gets once its system group is in, in the order they start.
std::vector<Purpose> first_walks(const model::Device& d) {
    std::vector<Purpose> out = {Purpose::interfaces, Purpose::ip_address, Purpose::entity,
                                Purpose::routes, Purpose::lldp};
    if (is_cisco(d)) {
        out.push_back(Purpose::cdp);
    }
    for (auto p :
         {Purpose::cache, Purpose::vlans, Purpose::ipv6_if, Purpose::host, Purpose::ipv6}) {
        out.push_back(p);
    }
    return out;
}

// The role that decides which IPv6 objects are worth asking for: the configured one, else
// what the system group suggests (the final role is decided with the identity, at the end).
std::optional<std::string> walk_role(const PollSpec& spec, const std::vector<VarBind>& system,
                                     const model::Device& d) {
    if (spec.role) {
        return spec.role;
    }
    model::Device provisional = d;
    mib::decode_role(system, provisional);
    return provisional.role;
}

// The fallback walks a finished walk calls for: older tables where the newer one lacked a
// family, CISCO-IETF-IP-MIB on Cisco, ipNetToMediaTable where ipNetToPhysicalTable is empty.
std::vector<Purpose> fallbacks_after(Purpose p, const std::vector<VarBind>& rows,
                                     const model::Device& d) {
    std::vector<Purpose> out;
    if (p == Purpose::ip_address) {
        Diagnostics scratch(""); // the real decode, and its warnings, come at the end
        const auto found = mib::decode_ip_address_table(rows, scratch);
        const auto has = [&](model::Family f) {
            return std::ranges::any_of(found,
                                       [f](const model::Address& a) { return a.family == f; });
        };
        if (!has(model::Family::ipv4)) {
            out.push_back(Purpose::ip_addr);
        }
        if (!has(model::Family::ipv6)) {
            out.push_back(Purpose::ipv6_addr);
        }
    } else if (p == Purpose::ipv6_addr && rows.empty() && is_cisco(d)) {
        out.push_back(Purpose::cisco_ip);
    } else if (p == Purpose::cache && rows.empty()) {
        out.push_back(Purpose::cache_v1);
    }
    return out;
}

// Everything the walks and GETs found, decoded into `d` (whose system group is decoded):
// the same for a poll and for a capture.
void decode_walks(const std::vector<VarBind>& system, const std::vector<VarBind>& vendor,
                  std::map<Purpose, std::vector<VarBind>>& rows, const model::IdentityRules& rules,
                  model::Device& d, Diagnostics& diag) {
    d.interfaces = mib::decode_interfaces(rows[Purpose::interfaces], diag);
    d.addresses = mib::decode_ip_address_table(rows[Purpose::ip_address], diag);
    // Fallback tables add what ipAddressTable lacked: IPv4 from ipAddrTable, IPv6 from IPV6-MIB
    // or, on Cisco, CISCO-IETF-IP-MIB.
    // ipv6_address_mib says which MIB the IPv6 addresses came from (checklist C08).
    const auto v6_from = [&](const char* mib_name) {
        if (!d.ipv6_address_mib && std::ranges::any_of(d.addresses, [](const model::Address& a) {
                return a.family == model::Family::ipv6;
            })) {
            d.ipv6_address_mib = mib_name;
        }
    };
    v6_from("IP-MIB");
    auto add = [&](std::vector<model::Address> found, model::Family only) {
        for (auto& a : found) {
            if (a.family == only) {
                d.addresses.push_back(std::move(a));
            }
        }
    };
    add(mib::decode_ip_addr_table(rows[Purpose::ip_addr], diag), model::Family::ipv4);
    add(mib::decode_ipv6_addr_table(rows[Purpose::ipv6_addr], diag), model::Family::ipv6);
    v6_from("IPV6-MIB");
    add(mib::decode_cisco_ip_address_table(rows[Purpose::cisco_ip], diag), model::Family::ipv6);
    v6_from("CISCO-IETF-IP-MIB");
    const auto hint = mib::decode_identity(rows[Purpose::entity], vendor, rules, d, diag);
    mib::decode_role(system, d, hint);
    mib::decode_forwarding(system, d);
    mib::decode_ipv6_interfaces(rows[Purpose::ipv6_if], d.interfaces, diag);
    d.default_routes = mib::decode_default_routes(rows[Purpose::routes], diag);
    d.lldp = mib::decode_lldp(rows[Purpose::lldp], diag);
    for (auto& n : mib::decode_cdp(rows[Purpose::cdp], diag)) {
        d.lldp.push_back(std::move(n));
    }
    d.neighbor_cache = mib::decode_neighbor_cache(rows[Purpose::cache], diag);
    if (d.neighbor_cache.empty()) {
        d.neighbor_cache = mib::decode_neighbor_cache(rows[Purpose::cache_v1], diag);
    }
    d.vlans = mib::decode_vlans(rows[Purpose::vlans], diag);
    std::optional<std::uint64_t> memory_kb;
    for (const auto& vb : system) {
        if (vb.oid == Oid{1, 3, 6, 1, 2, 1, 25, 2, 2, 0} && vb.type == VbType::integer &&
            vb.integer > 0) {
            memory_kb = static_cast<std::uint64_t>(vb.integer);
        }
    }
    mib::decode_host_resources(rows[Purpose::host], memory_kb, d, diag);
    mib::decode_ipv6(rows[Purpose::ipv6], d, diag);
    std::vector<const std::vector<VarBind>*> all;
    for (const auto& [p, r] : rows) {
        all.push_back(&r);
    }
    d.tables = mib::tables_answered(all);
}

// Where walks of small or often absent tables start.
constexpr int k_small_table_reps = 4;

// Requests one device may have in flight: more than one walk at once, not a flood.
constexpr int k_max_in_flight_per_device = 3;

// What a callback needs to find its way back: owned by the device, alive until it is closed.
// net-snmp may call back more than once for one request (SNMPv3 discovery: OP_SEC_ERROR with the
// REPORT, then again after it resent the probe itself); only the first call counts.
struct Request {
    class Device* device;
    Purpose purpose;
    Clock::time_point sent_at;
    // Past this, the request no longer counts against the cap on requests in flight: an
    // answer was expected by now, so it was lost or the target is not there.
    Clock::time_point overdue_at;
    // When netinv sends the next try (the try's retransmission timeout). The try itself
    // stays open until the request's budget is spent: a late answer to it is as good as one
    // to the next (see Device::retry_due).
    Clock::time_point retry_at;
    bool answered = false;
    bool counted = true;
    bool probe = false;     // to a target not heard from yet in this scan
    bool retried = false;   // its retransmission timeout has passed
    bool stale = false;     // a later try was sent: no longer in flight, still answerable
    bool first_try = false; // the first try to a target never measured (Device::retry_time)
    double weight = 1;      // of the window it holds (Device::weight)
    std::size_t asked = 0;  // values a walk's request asked for
};

class Device {
public:
    Device(Engine& engine, const PollSpec& spec)
        : m_engine(engine), m_spec(spec), m_diag(spec.name), m_start(Clock::now()) {
        m_result.outcome.target = spec.name;
        m_result.outcome.address = spec.address;
    }
    ~Device() { close(); }
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    void start();
    void on_event(Request& req, int op, netsnmp_pdu* pdu);
    void check_budget();
    bool finished() const { return m_phase == Phase::finished; }
    int in_flight() const { return m_in_flight; }
    bool has_queued() const { return !m_queue.empty(); }
    // True until the target has answered once in this scan.
    bool probing() const { return m_rtt.samples() == 0; }
    // The part of the congestion window one request of this target holds: a whole place for a
    // target as near as k_near_rtt, less for one farther away whose round trip is the path's
    // own (its answers come as fast as its fastest: a long link, not a queue), so that targets
    // behind thin links, each on its own link, get the requests in flight their round trips
    // need rather than queueing behind one another. A target whose round trip varies (SRTT
    // past 1.5 times its fastest) or that has answered late once (a queue, an agent slow
    // because it is busy: see on_delay) holds whole places again: the window then bounds its
    // requests in flight, which is what protects an overloaded agent.
    double weight() const;
    // True when it failed for a reason of this machine's, not the device's: it is polled
    // again later instead of being reported.
    bool local_failure() const { return m_local_failure; }
    const std::string& local_detail() const { return m_result.outcome.detail; }
    // Stops counting the requests that are overdue at `now`.
    void expire(Clock::time_point now);
    // Sends the next try of each request whose try has gone unanswered past its retransmission
    // timeout (queued: it goes out as the cap allows).
    void retry_due(Clock::time_point now);
    // The earliest retransmission timeout of a request in flight, if any.
    std::optional<Clock::time_point> next_retry() const;
    // Earlier tries that may still be answered.
    bool has_stale() const { return !m_stale.empty(); }
    // The earliest time a counted request becomes overdue, if any.
    std::optional<Clock::time_point> next_overdue() const;
    // Forgets every outstanding request (the session is about to close), uncounting them.
    void drop_outstanding();
    // Returns what its walks hold to the scan's memory budget.
    void release_memory();
    void* session() const { return m_session; }
    PollResult take_result();
    void close();
    // Sends the queued requests the global cap allows; returns how many went out.
    int pump(int allowed);

private:
    void finish(model::Outcome o, std::string detail);
    void begin_walks();
    void start_walk(Purpose p, const std::vector<Oid>& columns, std::optional<int> reps,
                    bool may_grow = true);
    void on_walk_done(Purpose p);
    void queue(Purpose p) { m_queue.push_back(p); }
    bool send(Purpose p);
    Walk* walk_for(Purpose p);
    std::optional<Failure> open();
    void connect_to_peer();
    std::optional<Failure> setup_v3(netsnmp_session& in);
    void complete_walks();
    void forget(Request& req);
    void uncount(Request& req); // it no longer holds a place under the cap
    Clock::duration attempt_timeout(Purpose p, Clock::time_point now);
    // The least a try waits (k_min_rto or, for a steady far path, less: see the definition).
    Clock::duration min_rto() const;
    // Far (past k_near_rtt) and steady: in this scan, answers as near their fastest as
    // Device::weight asks and none late; before any answer, steady_far_seed().
    bool steady_far() const;
    // When `r`'s next try is due: its retry_at, or for the first try to a target never
    // measured, sooner once the scan's first answers say how long one takes
    // (Engine::first_contact_rto): a request lost on its way to a far commune then waits
    // what the province's links take, not timeout_ms.
    Clock::time_point retry_time(const Request& r) const;
    // Before any answer in this scan: the estimate stored by the last one says the path is
    // far (past k_near_rtt) and steady (its variation at most a quarter of its mean).
    bool steady_far_seed() const {
        return m_rtt.samples() == 0 && m_rtt.known() &&
               std::chrono::microseconds(*m_rtt.srtt_us()) > k_near_rtt &&
               *m_rtt.rttvar_us() * 4 <= *m_rtt.srtt_us();
    }
    Clock::duration request_budget() const {
        return std::chrono::milliseconds(static_cast<std::int64_t>(m_spec.timeout_ms) *
                                         (m_spec.retries + 1));
    }

    Engine& m_engine;
    const PollSpec& m_spec;
    const model::IdentityRules& rules() const {
        static const model::IdentityRules k_none;
        return m_spec.identity_rules ? *m_spec.identity_rules : k_none;
    }
    Diagnostics m_diag;
    Clock::time_point m_start;
    std::string m_transport;
    std::string m_community;
    std::string m_user;
    std::string m_context;
    void* m_session = nullptr;
    Phase m_phase = Phase::discovery;
    int m_in_flight = 0;
    std::deque<Purpose> m_queue;
    std::list<Request> m_requests;
    std::map<Purpose, Walk> m_walks;
    std::map<Purpose, std::vector<VarBind>> m_rows; // of the walks that are done
    std::vector<VarBind> m_system_vbs;              // for the role
    std::vector<Oid> m_vendor_oids;
    std::vector<VarBind> m_vendor_vbs;
    model::Device m_device;
    PollResult m_result;
    std::vector<Oid> m_system_oids = mib::system_scalars();
    bool m_closing = false; // snmp_sess_close times out outstanding requests through callbacks
    bool m_local_failure = false;
    bool m_vendor_unanswered = false;
    // Each request kind has one request outstanding at a time; this is its current one's
    // history: when it was first sent, how often, and the timeout of the last try.
    struct Attempt {
        Clock::time_point first;
        int tries = 0;
        Clock::duration timeout{};
    };
    std::map<Purpose, Attempt> m_attempts;
    std::vector<Request*> m_outstanding; // in flight: the latest try of each request
    std::vector<Request*> m_stale;       // earlier tries, not in flight, still answerable
    // Closes the other tries of `p`'s request, once one is answered or the request given up.
    void supersede(Purpose p);
    RttEstimator m_rtt;
    Clock::duration m_min_rtt{};
    bool m_queued = false;        // an answer came late: this target's round trip includes a queue
    bool m_seeded_steady = false; // steady_far_seed() when the device started
    bool m_awaiting = false;      // counted in Engine::awaiting_first
    void stop_awaiting();         // answered, or finished without an answer
    std::size_t m_memory = 0;     // what this device's walks hold
};

class Engine {
public:
    Engine(const EngineOptions& options)
        : m_options(options), m_memory{options.device_memory_bytes, options.scan_memory_bytes} {}
    bool run(const std::vector<PollSpec>& specs,
             const std::function<void(PollResult&&)>& on_result);
    // Room under the cap. Requests to targets that have answered in this scan share the
    // congestion window (see on_answer, on_delay), never more than --concurrency; first
    // requests to targets not heard from yet (one small GET each) have --concurrency places
    // of their own, so targets that do not answer never hold back those that do.
    // A device's requests each hold `weight` of the window (Device::weight).
    int free_slots(bool probe, double weight = 1) const {
        if (probe) {
            return std::max(
                0, static_cast<int>(std::floor((probe_places() - m_probe_load + 1e-9) / weight)));
        }
        const double window = std::min<double>(m_options.concurrency, std::floor(m_cwnd));
        return std::max(0, static_cast<int>(std::floor((window - m_load + 1e-9) / weight)));
    }
    // Congestion control over the whole scan, as TCP (RFC 5681) and nmap do it: the window
    // opens by one per answer up to the threshold (slow start), then by one per window.
    void on_answer() {
        m_cwnd += m_cwnd < m_ssthresh ? 1.0 : 1.0 / m_cwnd;
        m_cwnd = std::min(m_cwnd, static_cast<double>(m_options.concurrency));
    }
    // A target answered well past its own fastest round trip. One such target is only slow;
    // three or more within 100 ms share a queue that is filling (agents behind one
    // overloaded process or link): the window is halved, at most once per 100 ms. Losses alone do
    // not shrink it: on the thin links of communes they are random and each target's own (its three
    // requests in flight already pace it). A request of a target that has answered was lost:
    // congestion only when answers are also late (see on_delay), otherwise the link's own loss.
    void on_loss(const void* who, Clock::time_point now) {
        if (now - m_last_delay <= k_delay_window * 4) {
            on_delay(who, now);
        }
    }
    void on_delay(const void* who, Clock::time_point now, bool late = false) {
        // Not the scan's round trip: that is the queue's own length once it fills.
        const auto window = k_delay_window;
        if (late) {
            m_last_delay = now;
        }
        std::erase_if(m_delayed, [&](const auto& e) { return now - e.second > window; });
        if (std::ranges::none_of(m_delayed, [&](const auto& e) { return e.first == who; })) {
            m_delayed.emplace_back(who, now);
        }
        if (m_delayed.size() >= 3 && now - m_last_cut >= window) {
            m_last_cut = now;
            m_ssthresh = std::max(4.0, m_cwnd / 2);
            m_cwnd = m_ssthresh;
            m_delayed.clear();
        }
    }
    // First contacts in flight at once: a window of their own that starts at 32 and opens by
    // one per first answer (slow start), up to --concurrency. Each holds its place only until
    // its answer is overdue (see expect), so targets that are down cost a few tens of
    // milliseconds of admission each, not a timeout; agents slow to answer a first request
    // (a cold cache, many agents in one process) are not flooded before they have answered.
    int probe_places() const {
        return std::min(m_options.concurrency, static_cast<int>(m_probe_window));
    }
    // `spurious`: the answer is to a first try already sent again (first_contact_rto was too
    // short: agents answering late because they are busy, not requests lost).
    void on_first_answer(Clock::duration rtt, bool spurious) {
        m_probe_rtt.sample(rtt);
        m_slowest_first = std::max(m_slowest_first, rtt);
        m_first_spurious = m_first_spurious || spurious;
        m_probe_window = std::min<double>(m_probe_window + 1, m_options.concurrency);
    }
    void awaiting_first(int delta) { m_awaiting_first += delta; }
    void counted(bool probe, double weight) {
        if (probe) {
            m_probe_load += weight;
        } else {
            m_load += weight;
        }
    }
    void uncounted(bool probe, double weight) {
        if (probe) {
            m_probe_load = std::max(0.0, m_probe_load - weight);
        } else {
            m_load = std::max(0.0, m_load - weight);
        }
    }
    const EngineOptions& options() const { return m_options; }
    MemoryBudget& memory() { return m_memory; }
    // How long a first contact holds its place: SRTT + 4 RTTVAR of the first answers so far
    // (at least 20 ms; 250 ms before any), at most the request's own timeout.
    Clock::duration expect(Clock::duration timeout) const {
        const auto e = m_probe_rtt.known() ? m_probe_rtt.rto(std::chrono::milliseconds(20))
                                           : std::chrono::milliseconds(250);
        return std::min(timeout, e);
    }

    // When a first try to a target never measured is sent again (at most `timeout` after it
    // went), as nmap times a host it has no measurement of by the whole scan's: twice the
    // slowest first answer of this scan so far, at least k_min_steady_rto. Before any first
    // answer, `timeout`. The slowest, not a mean: a scan of near and far targets must not
    // time the far by the near; one slow agent makes every first try wait as long as before.
    // A try sent again this soon bets that the first was lost at random, one among many
    // answered. Not when more than a quarter of the first-contact places' worth of targets
    // await their first answer at once (a queue at a busy agent, 10,000 targets of one snmpd,
    // or targets that are down: sending them every first request twice only lengthens the
    // queue or costs datagrams), and never again in this scan once a first try sent again is
    // answered after all (a spurious retransmission, as Eifel detects them, RFC 3522).
    Clock::duration first_contact_rto(Clock::duration timeout) const {
        if (m_slowest_first == Clock::duration::zero() || m_first_spurious ||
            m_awaiting_first > std::max(1, probe_places() / 4)) {
            return timeout;
        }
        return std::min<Clock::duration>(
            timeout, std::max<Clock::duration>(2 * m_slowest_first, k_min_steady_rto));
    }

private:
    const EngineOptions& m_options;
    double m_load = 0;       // the weights of the requests in flight to targets that have answered
    double m_probe_load = 0; // the same for first contacts
    double m_probe_window = 32;
    RttEstimator m_probe_rtt;
    Clock::duration m_slowest_first{}; // the slowest first answer of the scan
    bool m_first_spurious = false;     // a first try sent again was answered after all
    int m_awaiting_first = 0;          // devices that have sent and await their first answer
    std::vector<std::pair<const void*, Clock::time_point>> m_delayed;
    double m_cwnd = k_initial_window;
    double m_ssthresh = 1e9;
    Clock::time_point m_last_cut{};
    Clock::time_point m_last_delay{};
    MemoryBudget m_memory;
};

double Device::weight() const {
    const double ref = std::chrono::duration<double, std::micro>(k_weight_rtt).count();
    if (m_rtt.samples() == 0) {
        // A first contact: a whole place, unless the last scan measured a far, steady path
        // (then what that distance gives: the province's communes do not wait for one
        // another at the start of every night).
        return steady_far_seed() ? std::max(k_min_weight, ref / *m_rtt.srtt_us()) : 1;
    }
    if (m_min_rtt <= k_near_rtt || m_queued) {
        return 1;
    }
    const double min_us = std::chrono::duration<double, std::micro>(m_min_rtt).count();
    if (*m_rtt.srtt_us() > 1.5 * min_us) {
        return 1;
    }
    // Half a place after the first answer, halved per answer after that, down to what the
    // distance gives: a busy agent's round trip grows with the requests it is sent, and has
    // time to show it. Not when the last scan found the path far and steady: it has shown it
    // (and a late answer tonight still makes the place whole again).
    const double ramp = m_seeded_steady ? 0 : std::ldexp(1.0, -std::min(m_rtt.samples() + 1, 30));
    return std::max({k_min_weight, ramp, ref / min_us});
}

int callback(int op, netsnmp_session*, int, netsnmp_pdu* pdu, void* magic) {
    if (op == NETSNMP_CALLBACK_OP_RESEND) {
        return 1; // a retransmission: the request is still outstanding
    }
    auto* req = static_cast<Request*>(magic);
    if (req->answered) {
        return 1;
    }
    req->answered = true;
    req->device->on_event(*req, op, pdu);
    return 1;
}

std::optional<Failure> Device::open() {
    if (m_spec.transport) {
        m_transport = *m_spec.transport;
    } else {
        auto t = transport_for(m_spec.address, m_spec.port);
        if (!t) {
            return Failure{model::Outcome::error, t.error()};
        }
        m_transport = *t;
    }
    netsnmp_session in;
    snmp_sess_init(&in);
    in.peername = m_transport.data();
    // Retransmissions are netinv's own (attempt_timeout): each try's timeout is set as it is
    // sent, from the round-trip time measured.
    in.timeout = static_cast<long>(m_spec.timeout_ms) * 1000;
    in.retries = 0;
    const auto& c = m_spec.credential;
    switch (c.version) {
    case model::SnmpVersion::v1:
    case model::SnmpVersion::v2c:
        in.version = c.version == model::SnmpVersion::v1 ? SNMP_VERSION_1 : SNMP_VERSION_2c;
        m_community = c.community.reveal();
        in.community = reinterpret_cast<u_char*>(m_community.data());
        in.community_len = m_community.size();
        break;
    case model::SnmpVersion::v3:
        if (auto f = setup_v3(in)) {
            return f;
        }
        in.flags |= SNMP_FLAGS_DONT_PROBE; // discovery goes through the event loop
        break;
    }
    errno = 0;
    void* s = snmp_sess_open(&in);
    if (!s) {
        const int err = errno;
        char* msg = nullptr;
        snmp_error(&in, nullptr, nullptr, &msg);
        std::string text = msg ? msg : "cannot open SNMP session";
        std::free(msg);
        if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
            m_local_failure = true;
            return Failure{model::Outcome::error,
                           fmt::format("cannot open a socket: {}", std::strerror(err))};
        }
        return classify(in.s_snmp_errno, text, m_spec);
    }
    m_session = s;
    if (c.version == model::SnmpVersion::v3) {
        // Opening clears the flag; without it the first send would discover the engine
        // synchronously, holding the whole loop for a target that does not answer.
        snmp_sess_session(s)->flags |= SNMP_FLAGS_DONT_PROBE;
    }
    connect_to_peer();
    return std::nullopt;
}

// net-snmp's UDP client sockets are not connected: a datagram from any address and port
// would be read as the target's answer. Connected, the kernel delivers only the target's.
void Device::connect_to_peer() {
    netsnmp_transport* t = snmp_sess_transport(m_session);
    if (!t || t->sock < 0 || !t->remote) {
        return;
    }
    // net-snmp 5.9 keeps the peer's sockaddr in t->remote.
    sockaddr_storage peer{};
    const auto len = static_cast<socklen_t>(t->remote_length);
    if (len < sizeof(sa_family_t) || len > sizeof peer) {
        return;
    }
    std::memcpy(&peer, t->remote, len);
    if (!(peer.ss_family == AF_INET && len == sizeof(sockaddr_in)) &&
        !(peer.ss_family == AF_INET6 && len == sizeof(sockaddr_in6))) {
        return;
    }
    if (::connect(t->sock, reinterpret_cast<const sockaddr*>(&peer), len) != 0) {
        m_diag.warn(fmt::format("cannot bind the socket to the target's address ({}); answers "
                                "are matched by request id only",
                                std::strerror(errno)));
    }
}

// net-snmp's OID of each USM protocol, with its length.
template <std::size_t N> std::pair<oid*, std::size_t> proto_oid(oid (&o)[N]) {
    return {o, N};
}

std::pair<oid*, std::size_t> auth_protocol_oid(model::AuthProto p) {
    switch (p) {
    case model::AuthProto::md5:
        return proto_oid(usmHMACMD5AuthProtocol);
    case model::AuthProto::sha224:
        return proto_oid(usmHMAC128SHA224AuthProtocol);
    case model::AuthProto::sha256:
        return proto_oid(usmHMAC192SHA256AuthProtocol);
    case model::AuthProto::sha384:
        return proto_oid(usmHMAC256SHA384AuthProtocol);
    case model::AuthProto::sha512:
        return proto_oid(usmHMAC384SHA512AuthProtocol);
    default:
        return proto_oid(usmHMACSHA1AuthProtocol);
    }
}

std::pair<oid*, std::size_t> priv_protocol_oid(model::PrivProto p) {
    switch (p) {
    case model::PrivProto::des:
        return proto_oid(usmDESPrivProtocol);
    case model::PrivProto::aes192:
        return proto_oid(usmAES192PrivProtocol);
    case model::PrivProto::aes256:
        return proto_oid(usmAES256PrivProtocol);
    default:
        return proto_oid(usmAESPrivProtocol);
    }
}

std::optional<Failure> Device::setup_v3(netsnmp_session& in) {
    const auto& c = m_spec.credential;
    in.version = SNMP_VERSION_3;
    m_user = c.user;
    in.securityName = m_user.data();
    in.securityNameLen = m_user.size();
    in.securityModel = SNMP_SEC_MODEL_USM;
    m_context = c.context;
    in.contextName = m_context.data();
    in.contextNameLen = m_context.size();
    in.securityLevel = c.auth == model::AuthProto::none   ? SNMP_SEC_LEVEL_NOAUTH
                       : c.priv == model::PrivProto::none ? SNMP_SEC_LEVEL_AUTHNOPRIV
                                                          : SNMP_SEC_LEVEL_AUTHPRIV;
    if (c.auth == model::AuthProto::none) {
        return std::nullopt;
    }
    std::tie(in.securityAuthProto, in.securityAuthProtoLen) = auth_protocol_oid(c.auth);
    const std::string& auth = c.auth_secret.reveal();
    in.securityAuthKeyLen = USM_AUTH_KU_LEN;
    if (!derive_ku(in.securityAuthProto, in.securityAuthProtoLen, auth, in.securityAuthKey,
                   &in.securityAuthKeyLen)) {
        return Failure{model::Outcome::error, "cannot derive the SNMPv3 authentication key"};
    }
    if (c.priv == model::PrivProto::none) {
        return std::nullopt;
    }
    std::tie(in.securityPrivProto, in.securityPrivProtoLen) = priv_protocol_oid(c.priv);
    const std::string& priv = c.priv_secret.reveal();
    in.securityPrivKeyLen = USM_PRIV_KU_LEN;
    if (!derive_ku(in.securityAuthProto, in.securityAuthProtoLen, priv, in.securityPrivKey,
                   &in.securityPrivKeyLen)) {
        return Failure{model::Outcome::error, "cannot derive the SNMPv3 privacy key"};
    }
    return std::nullopt;
}

void Device::start() {
    if (auto f = open()) {
        finish(f->outcome, f->detail);
        return;
    }
    m_rtt.seed(m_spec.srtt_us, m_spec.rttvar_us);
    m_seeded_steady = steady_far_seed();
    m_device.name = m_spec.name;
    m_device.target_address = m_spec.address;
    m_device.site = m_spec.site;
    m_device.role = m_spec.role;
    if (m_spec.credential.version == model::SnmpVersion::v3) {
        m_phase = Phase::discovery;
        queue(Purpose::discovery);
    } else {
        m_phase = Phase::system;
        queue(Purpose::system);
    }
}

Walk* Device::walk_for(Purpose p) {
    return &m_walks.at(p);
}

bool Device::send(Purpose p) {
    netsnmp_pdu* pdu = nullptr;
    switch (p) {
    case Purpose::discovery:
        pdu = snmp_pdu_create(SNMP_MSG_GET);
        pdu->version = SNMP_VERSION_3;
        pdu->securityName = strdup("");
        pdu->securityNameLen = 0;
        pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
        pdu->securityModel = SNMP_SEC_MODEL_USM;
        break;
    case Purpose::system:
        pdu = snmp_pdu_create(SNMP_MSG_GET);
        for (const auto& o : m_system_oids) {
            add_null(pdu, o);
        }
        break;
    case Purpose::vendor:
        pdu = snmp_pdu_create(SNMP_MSG_GET);
        for (const auto& o : m_vendor_oids) {
            add_null(pdu, o);
        }
        break;
    default:
        pdu = walk_for(p)->next_request();
        if (!pdu) {
            return false;
        }
        break;
    }
    const auto now = Clock::now();
    const Clock::duration timeout = attempt_timeout(p, now);
    // net-snmp keeps the try open until the request's budget is spent; netinv sends the next
    // try after `timeout` (retry_due).
    const Clock::duration left = std::max<Clock::duration>(
        request_budget() - (now - m_attempts[p].first), std::chrono::milliseconds(1));
    snmp_sess_session(m_session)->timeout =
        static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(left).count());
    // A target that has answered holds its place until its try times out (it is in flight,
    // as TCP counts); one not heard from yet only as long as an answer is expected.
    const bool probe = m_rtt.samples() == 0;
    const auto holds = probe ? m_engine.expect(timeout) : timeout;
    m_requests.push_back(Request{this, p, now, now + holds, now + timeout});
    m_requests.back().probe = probe;
    m_requests.back().first_try = !m_rtt.known() && m_attempts[p].tries == 1;
    if (probe && !m_awaiting) {
        m_awaiting = true;
        m_engine.awaiting_first(1);
    }
    m_requests.back().weight = weight();
    if (auto it = m_walks.find(p); it != m_walks.end()) {
        m_requests.back().asked = it->second.asked();
    }
    errno = 0;
    if (snmp_sess_async_send(m_session, pdu, callback, &m_requests.back()) == 0) {
        const int err = errno;
        snmp_free_pdu(pdu);
        m_requests.pop_back();
        if (err == ENOBUFS || err == ENOMEM || err == EMFILE || err == ENFILE) {
            m_local_failure = true;
            finish(model::Outcome::error, fmt::format("cannot send: {}", std::strerror(err)));
            return false;
        }
        finish(model::Outcome::error,
               fmt::format("cannot send: {}", snmp_api_errstring(snmp_errno)));
        return false;
    }
    ++m_in_flight;
    m_outstanding.push_back(&m_requests.back());
    m_engine.counted(probe, m_requests.back().weight);
    return true;
}

// The timeout of the next try of `p` (RFC 6298 style): the first from this target's measured
// round-trip time (timeout_ms when it has none yet), each further one twice the last, never
// more than timeout_ms, and all of them within the request's budget of
// timeout_ms x (retries + 1).
Clock::duration Device::attempt_timeout(Purpose p, Clock::time_point now) {
    const Clock::duration cap = std::chrono::milliseconds(m_spec.timeout_ms);
    Attempt& a = m_attempts[p];
    Clock::duration t;
    // What this target's round trip (or, before it has one, the scan's first answers) says
    // a try should wait now.
    const Clock::duration estimate =
        m_rtt.known() ? m_rtt.rto(min_rto()) : m_engine.first_contact_rto(cap);
    if (a.tries == 0) {
        a.first = now;
        // A target not measured yet (in this scan or an earlier one) is given timeout_ms, as
        // TCP's first RTO is conservative, until the scan's first answers say how long one
        // takes (Device::retry_time).
        t = m_rtt.known() ? estimate : cap;
    } else if (a.tries <= k_linear_retries && steady_far()) {
        // A thin stream on a far, steady path: what was lost is the link's (2% each way on a
        // commune's), not a sign of congestion, and the path has just shown its round trip:
        // the next try waits the estimate again, not twice as long, as Linux TCP's linear
        // timeouts for thin streams do (tcp_thin_linear_timeouts). From the fourth try on the
        // wait doubles: a target that stopped answering is not sent a try per round trip.
        t = estimate;
    } else {
        // Twice the last try's wait (RFC 6298, 5.5), or twice what the estimate says now when
        // that is less: an estimate made from one or two answers is wide, and a request lost
        // twice on a link whose round trip has since shown itself steady must not wait
        // out the first guess doubled. Never less than the last try waited.
        t = std::min(2 * a.timeout, std::max(a.timeout, 2 * estimate));
    }
    t = std::min(t, cap);
    t = std::min(t, request_budget() - (now - a.first));
    t = std::max<Clock::duration>(t, std::chrono::milliseconds(1));
    a.timeout = t;
    ++a.tries;
    return t;
}

// RFC 6298's floor of 1 s keeps a fast agent that is slow on one large GETBULK from being sent
// it twice. A target whose round trip is long and steady is another case: the time is the
// path's (80 ms each way to a commune), the agent's share is small beside it, and every
// request lost on that path would wait 1 s where twice the round trip is enough. Steady: in
// this scan, answers as near their fastest as Device::weight asks (and none late); before
// any answer in this scan, the stored estimate's variation at most a quarter of its mean.
// Such a target waits 2 x SRTT (at least k_min_steady_rto), and SRTT + 4 RTTVAR if more.
Clock::duration Device::min_rto() const {
    if (!steady_far()) {
        return k_min_rto;
    }
    const auto srtt = std::chrono::microseconds(m_rtt.srtt_us().value_or(0));
    return std::clamp<Clock::duration>(2 * srtt, k_min_steady_rto, k_min_rto);
}

bool Device::steady_far() const {
    if (m_rtt.samples() == 0) {
        return steady_far_seed();
    }
    const auto srtt = std::chrono::microseconds(m_rtt.srtt_us().value_or(0));
    return !m_queued && m_min_rtt > k_near_rtt && srtt <= 1.5 * m_min_rtt;
}

void Device::stop_awaiting() {
    if (m_awaiting) {
        m_awaiting = false;
        m_engine.awaiting_first(-1);
    }
}

Clock::time_point Device::retry_time(const Request& r) const {
    if (!r.first_try) {
        return r.retry_at;
    }
    return std::min(r.retry_at, r.sent_at + m_engine.first_contact_rto(r.retry_at - r.sent_at));
}

void Device::uncount(Request& req) {
    if (req.counted) {
        req.counted = false;
        m_engine.uncounted(req.probe, req.weight);
    }
}

void Device::forget(Request& req) {
    std::erase(m_outstanding, &req);
    uncount(req);
}

void Device::expire(Clock::time_point now) {
    for (Request* r : m_outstanding) {
        if (now >= r->overdue_at) {
            uncount(*r);
        }
    }
}

// A try unanswered past its retransmission timeout: the next try is queued, and this one
// stays open (stale) until the request's budget is spent, so that an answer that was only
// late (an agent slow on one table: net-snmp's hrProcessorLoad takes seconds on a cold cache)
// is still taken, whichever try it answers. The last try the budget allows stays in flight.
void Device::retry_due(Clock::time_point now) {
    if (m_phase == Phase::finished) {
        return;
    }
    const auto due = m_outstanding;
    for (Request* r : due) {
        if (r->retried || now < retry_time(*r)) {
            continue;
        }
        r->retried = true;
        if (r->first_try) {
            // Sent again sooner than its timeout said (retry_time): the next try doubles what
            // this one waited.
            m_attempts[r->purpose].timeout = now - r->sent_at;
        }
        if (m_rtt.samples() > 0) {
            m_engine.on_loss(this, now);
        }
        const Attempt& a = m_attempts[r->purpose];
        Walk* w = m_walks.contains(r->purpose) ? walk_for(r->purpose) : nullptr;
        if (now - a.first >= request_budget() || (w && w->done())) {
            continue; // the last try: net-snmp times it out at the budget's end
        }
        // Lost, or not answered yet: try again, later each time, within the budget. From
        // the third try on, a walk asks for less (k_back_off_tries).
        ++m_result.retransmissions;
        if (w && a.tries >= k_back_off_tries) {
            w->back_off();
        }
        forget(*r);
        --m_in_flight;
        r->stale = true;
        m_stale.push_back(r);
        m_queue.push_front(r->purpose); // before new requests, as TCP retransmits first
    }
}

std::optional<Clock::time_point> Device::next_retry() const {
    std::optional<Clock::time_point> out;
    for (const Request* r : m_outstanding) {
        if (r->retried) {
            continue;
        }
        if (const auto t = retry_time(*r); !out || t < *out) {
            out = t;
        }
    }
    return out;
}

void Device::supersede(Purpose p) {
    for (auto* list : {&m_outstanding, &m_stale}) {
        const auto copy = *list;
        for (Request* r : copy) {
            if (r->purpose != p) {
                continue;
            }
            r->answered = true; // its callback, if net-snmp still makes it, is ignored
            if (!r->stale) {
                --m_in_flight;
            }
            std::erase(m_stale, r);
            forget(*r);
        }
    }
    std::erase_if(m_queue, [&](Purpose q) { return q == p; });
}

std::optional<Clock::time_point> Device::next_overdue() const {
    std::optional<Clock::time_point> out;
    for (const Request* r : m_outstanding) {
        if (r->counted && (!out || r->overdue_at < *out)) {
            out = r->overdue_at;
        }
    }
    return out;
}

void Device::drop_outstanding() {
    for (Request* r : m_outstanding) {
        uncount(*r);
    }
    m_outstanding.clear();
    m_stale.clear();
    m_in_flight = 0;
}

void Device::release_memory() {
    m_engine.memory().scan_used -= m_memory;
    m_memory = 0;
}

int Device::pump(int allowed) {
    allowed = std::min(allowed, k_max_in_flight_per_device - m_in_flight);
    int n = 0;
    while (n < allowed && !m_queue.empty() && m_phase != Phase::finished) {
        const Purpose p = m_queue.front();
        m_queue.pop_front();
        if (send(p)) {
            ++n;
        }
    }
    if (m_phase == Phase::walks && m_in_flight == 0 && m_queue.empty()) {
        complete_walks();
    }
    return n;
}

void Device::on_event(Request& req, int op, netsnmp_pdu* pdu) {
    if (m_closing) {
        return; // already accounted for by whoever closed the session
    }
    const Purpose purpose = req.purpose;
    const bool received = op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != nullptr;
    if (req.stale) {
        std::erase(m_stale, &req);
        if (!received) {
            return; // an earlier try running out: the latest one decides
        }
    } else {
        forget(req);
        --m_in_flight;
    }
    if (m_phase == Phase::finished) {
        return;
    }
    if (received || op != NETSNMP_CALLBACK_OP_TIMED_OUT) {
        supersede(purpose); // one answer (or error) per request, whichever try it came to
    }
    if (received || op != NETSNMP_CALLBACK_OP_TIMED_OUT) {
        m_attempts.erase(purpose);
    }
    if (received) {
        // Each try is a request of its own (its own request id): an answer times the try
        // it answers, so there is no retransmission ambiguity (Karn) to avoid.
        const auto rtt = Clock::now() - req.sent_at;
        if (req.probe) {
            m_engine.on_first_answer(rtt, req.first_try && req.stale);
        }
        stop_awaiting();
        m_min_rtt = m_rtt.samples() == 0 ? rtt : std::min(m_min_rtt, rtt);
        m_rtt.sample(rtt);
        m_engine.on_answer();
        if (m_rtt.samples() > 1 && rtt > std::max(2 * m_min_rtt, m_min_rtt + k_delay_margin)) {
            m_engine.on_delay(this, Clock::now(), true);
            m_queued = true;
        }
    } else if (op == NETSNMP_CALLBACK_OP_TIMED_OUT && m_rtt.samples() > 0) {
        m_engine.on_loss(this, Clock::now());
    }
    if ((purpose == Purpose::discovery && m_phase != Phase::discovery) ||
        (purpose == Purpose::system && m_phase != Phase::system)) {
        return; // an answer to a step already done
    }
    if (!received && op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
        const Attempt& a = m_attempts[purpose];
        const bool walk = m_walks.contains(purpose);
        if (Clock::now() - a.first < request_budget() && (!walk || !walk_for(purpose)->done())) {
            // Lost, or not answered yet: try again, later each time, within the budget.
            ++m_result.retransmissions;
            if (walk && a.tries >= k_back_off_tries) {
                walk_for(purpose)->back_off();
            }
            m_queue.push_front(purpose);
            return;
        }
        m_attempts.erase(purpose);
        supersede(purpose);
    }
    if (purpose == Purpose::vendor) {
        // Best effort: an agent without these objects just leaves the fields to sysDescr.
        if (received && pdu->command != SNMP_MSG_REPORT && pdu->errstat == SNMP_ERR_NOERROR) {
            for (auto* v = pdu->variables; v; v = v->next_variable) {
                m_vendor_vbs.push_back(convert(v));
                ++m_result.varbinds;
            }
        } else if (!received) {
            // Not answered at all: what these objects say is unknown tonight, not absent
            // (the store keeps the identity an earlier scan read).
            m_vendor_unanswered = true;
        }
        return;
    }
    if (purpose == Purpose::discovery) {
        netsnmp_session* s = snmp_sess_session(m_session);
        if (s->securityEngineIDLen == 0 && pdu && pdu->command == SNMP_MSG_REPORT &&
            pdu->securityEngineID && pdu->securityEngineIDLen > 0 &&
            pdu->securityEngineIDLen <= 32) {
            // The REPORT to the discovery request carries the agent's engine ID (RFC 3414,
            // section 4); the session learns it here, as net-snmp's blocking probe would.
            s->securityEngineID = static_cast<u_char*>(
                netsnmp_memdup(pdu->securityEngineID, pdu->securityEngineIDLen));
            s->securityEngineIDLen = pdu->securityEngineIDLen;
        }
        if (s->securityEngineIDLen == 0) {
            int liberr = s->s_snmp_errno;
            if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
                liberr = SNMPERR_TIMEOUT;
            }
            Failure f = classify(liberr == 0 ? SNMPERR_UNKNOWN_ENG_ID : liberr, "", m_spec);
            finish(f.outcome, f.outcome == model::Outcome::error
                                  ? fmt::format("SNMPv3 engine discovery failed: {}", f.detail)
                                  : f.detail);
            return;
        }
        if (create_user_from_session(s) != SNMPERR_SUCCESS) {
            finish(model::Outcome::error, "cannot set up the SNMPv3 user for this engine");
            return;
        }
        m_phase = Phase::system;
        queue(Purpose::system);
        return;
    }
    if (purpose != Purpose::system && purpose != Purpose::discovery && walk_for(purpose)->done()) {
        return; // a late answer for a walk that was already ended
    }
    if (!received) {
        int liberr = op == NETSNMP_CALLBACK_OP_TIMED_OUT
                         ? SNMPERR_TIMEOUT
                         : snmp_sess_session(m_session)->s_snmp_errno;
        if (liberr == 0 && op == NETSNMP_CALLBACK_OP_SEC_ERROR) {
            liberr = SNMPERR_AUTHENTICATION_FAILURE;
        }
        const Failure f = classify(liberr, "", m_spec);
        if (purpose == Purpose::system) {
            finish(f.outcome, f.detail);
            return;
        }
        walk_for(purpose)->stop(m_diag, fmt::format("walk stopped: {}", f.detail));
        on_walk_done(purpose);
        if (op == NETSNMP_CALLBACK_OP_TIMED_OUT) {
            // The agent stopped answering: the other walks would only wait out their own
            // timeouts. End them with what they have; the warning above says why.
            for (auto& [p, w] : m_walks) {
                if (!w.done()) {
                    w.halt();
                    on_walk_done(p);
                }
            }
            m_queue.clear();
        }
        return;
    }
    if (pdu->command == SNMP_MSG_REPORT) {
        const Failure f = classify(snmpv3_get_report_type(pdu), "", m_spec);
        if (purpose == Purpose::system) {
            finish(f.outcome, f.detail);
        } else {
            walk_for(purpose)->stop(m_diag, fmt::format("walk stopped: {}", f.detail));
            on_walk_done(purpose);
        }
        return;
    }
    if (purpose == Purpose::system) {
        if (pdu->errstat == SNMP_ERR_NOSUCHNAME && pdu->errindex >= 1 &&
            static_cast<std::size_t>(pdu->errindex) <= m_system_oids.size()) {
            // SNMPv1: one missing scalar fails the whole GET; ask again without it.
            m_system_oids.erase(m_system_oids.begin() + (pdu->errindex - 1));
            if (!m_system_oids.empty()) {
                queue(Purpose::system);
            } else {
                begin_walks();
            }
            return;
        }
        if (pdu->errstat != SNMP_ERR_NOERROR) {
            finish(model::Outcome::error,
                   fmt::format("agent error: {}", snmp_errstring(static_cast<int>(pdu->errstat))));
            return;
        }
        std::vector<VarBind> vbs;
        for (auto* v = pdu->variables; v; v = v->next_variable) {
            vbs.push_back(convert(v));
        }
        m_result.varbinds += vbs.size();
        mib::decode_system(vbs, m_device, m_diag);
        m_system_vbs = std::move(vbs);
        if (m_spec.identity_only) {
            // What the system group alone says: the rules that match sysObjectID and sysDescr
            // (their vendor, OS and role hint, nothing that needs a GET), then the role.
            const model::IdentityInput in{m_device.sys_object_id, m_device.sys_descr, {}, {}};
            const auto id =
                model::resolve_identity(rules(), model::matching_rules(rules(), in), in);
            if (id.vendor) {
                m_device.vendor = id.vendor;
            }
            if (const auto& os = id.value[static_cast<std::size_t>(model::IdentityField::os)]) {
                m_device.os = os;
            }
            mib::decode_role(m_system_vbs, m_device, id.role);
            m_result.device = std::move(m_device);
            finish(model::Outcome::ok, "");
            return;
        }
        begin_walks();
        return;
    }
    for (auto* v = pdu->variables; v; v = v->next_variable) {
        ++m_result.varbinds;
    }
    Walk* w = walk_for(purpose);
    if (req.stale && req.asked > w->asked()) {
        w->undo_back_off(); // the larger request was answered: size was not why it was late
    }
    w->on_response(pdu, req.asked, m_diag, m_engine.memory(), m_memory);
    if (!w->done()) {
        queue(purpose);
    } else {
        on_walk_done(purpose);
    }
}

void Device::start_walk(Purpose p, const std::vector<Oid>& columns, std::optional<int> reps,
                        bool may_grow) {
    m_walks.emplace(
        p, Walk(columns, m_spec.credential.version == model::SnmpVersion::v1, reps, may_grow));
    queue(p);
}

void Device::on_walk_done(Purpose p) {
    Walk& w = m_walks.at(p);
    auto& rows = m_rows[p] = w.take();
    if (w.stopped() && rows.empty()) {
        return; // an agent that stopped answering gets no further walks
    }
    for (Purpose f : fallbacks_after(p, rows, m_device)) {
        start_walk(f, columns_of(f, std::nullopt), k_small_table_reps);
    }
}

void Device::begin_walks() {
    m_phase = Phase::walks;
    // The big tables start at the size that worked last time (or the most a response holds);
    // the small or often absent ones start small, so an absent table does not bring back a
    // response full of whatever follows it, and grow when they turn out long.
    const auto role = walk_role(m_spec, m_system_vbs, m_device);
    for (Purpose p : first_walks(m_device)) {
        const bool big = p == Purpose::interfaces || p == Purpose::ip_address;
        start_walk(p, columns_of(p, role),
                   big                    ? m_spec.bulk_repetitions
                   : p == Purpose::routes ? std::optional<int>(1)
                                          : std::optional<int>(k_small_table_reps),
                   !big);
    }
    m_vendor_oids = mib::vendor_scalars(m_device, rules());
    if (!m_vendor_oids.empty()) {
        queue(Purpose::vendor);
    }
}

void Device::complete_walks() {
    int reps = k_max_varbinds_per_request;
    for (auto& [p, w] : m_walks) {
        if (p == Purpose::interfaces || p == Purpose::ip_address) {
            reps = std::min(reps, w.next_reps());
        }
        if (!m_rows.contains(p)) {
            m_rows[p] = w.take(); // a walk cut short by the time budget
        }
    }
    if (m_spec.credential.version != model::SnmpVersion::v1) {
        m_result.bulk_repetitions = reps;
    }
    decode_walks(m_system_vbs, m_vendor_vbs, m_rows, rules(), m_device, m_diag);
    for (const auto& [p, w] : m_walks) {
        if (w.incomplete() || !w.done()) {
            m_device.partial.emplace_back(purpose_name(p));
        }
    }
    if (m_vendor_unanswered) {
        m_device.partial.emplace_back(purpose_name(Purpose::vendor));
    }
    m_result.srtt_us = m_rtt.srtt_us();
    m_result.rttvar_us = m_rtt.rttvar_us();
    model::normalize(m_device);
    m_result.device = std::move(m_device);
    finish(model::Outcome::ok, "");
}

void Device::check_budget() {
    if (m_phase == Phase::finished ||
        Clock::now() - m_start < std::chrono::milliseconds(m_engine.options().device_budget_ms)) {
        return;
    }
    if (m_phase != Phase::walks) {
        finish(model::Outcome::timeout, fmt::format("no complete answer within the {} ms budget",
                                                    m_engine.options().device_budget_ms));
        return;
    }
    const std::string why =
        fmt::format("time budget of {} ms used up", m_engine.options().device_budget_ms);
    for (auto& [p, w] : m_walks) {
        if (!w.done()) {
            w.stop(m_diag, why);
        }
    }
    m_queue.clear();
    drop_outstanding();
    close(); // drops the outstanding requests
    complete_walks();
}

void Device::finish(model::Outcome o, std::string detail) {
    if (m_phase == Phase::finished) {
        return;
    }
    m_phase = Phase::finished;
    m_queue.clear();
    stop_awaiting();
    m_result.outcome.outcome = o;
    m_result.outcome.detail = std::move(detail);
    m_result.outcome.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_start).count();
}

PollResult Device::take_result() {
    release_memory();
    m_result.warnings = m_diag.take();
    if (!m_result.srtt_us) {
        m_result.srtt_us = m_rtt.srtt_us(); // a device that failed after answering
        m_result.rttvar_us = m_rtt.rttvar_us();
    }
    return std::move(m_result);
}

void Device::close() {
    if (m_session) {
        m_closing = true;
        snmp_sess_close(m_session);
        m_session = nullptr;
    }
}

// How many sessions (one socket each) may be open at once: the open-files limit, raised to
// its hard limit, less what the rest of the program needs.
int session_limit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        return 256;
    }
    if (rl.rlim_cur != RLIM_INFINITY &&
        (rl.rlim_max == RLIM_INFINITY || rl.rlim_cur < rl.rlim_max)) {
        rlimit raised = rl;
        raised.rlim_cur =
            rl.rlim_max == RLIM_INFINITY ? std::max<rlim_t>(rl.rlim_cur, 1 << 20) : rl.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            rl = raised;
        }
    }
    const rlim_t cur = rl.rlim_cur == RLIM_INFINITY ? rlim_t{1} << 20 : rl.rlim_cur;
    return static_cast<int>(std::clamp<long>(static_cast<long>(cur) - k_reserved_fds, 1, 1 << 20));
}

bool Engine::run(const std::vector<PollSpec>& specs,
                 const std::function<void(PollResult&&)>& on_result) {
    std::deque<std::size_t> pending; // specs not started yet, in order (a retried one first)
    for (std::size_t i = 0; i < specs.size(); ++i) {
        pending.push_back(i);
    }
    // Devices beyond what the window can keep busy would only wait, each with a session and
    // its walks (10,000 targets of one agent once held 233 MB so); the dead and the slow wait
    // out their timeouts within this too.
    const long wanted = m_options.max_sessions > 0
                            ? m_options.max_sessions
                            : long{k_sessions_per_place} * m_options.concurrency;
    int session_cap = static_cast<int>(std::min<long>(session_limit(), wanted));
    std::size_t done = 0;
    std::size_t failed = 0;
    std::list<std::pair<std::size_t, Device>> active;
    std::vector<pollfd> fds;
    std::vector<Device*> fd_owner;
    netsnmp_large_fd_set readable;
    netsnmp_large_fd_set scratch;
    netsnmp_large_fd_set_init(&readable, FD_SETSIZE);
    netsnmp_large_fd_set_init(&scratch, FD_SETSIZE);
    bool stopped = false;
    while (!pending.empty() || !active.empty()) {
        if (m_options.stop_requested && m_options.stop_requested()) {
            stopped = true;
            break;
        }
        if (m_options.on_tick) {
            m_options.on_tick();
        }
        const auto now = Clock::now();
        for (auto& [i, d] : active) {
            d.expire(now);
            d.retry_due(now);
        }
        // Admit devices while there is a socket for them and room under the cap for their
        // first request; each sends it at once, so the cap counts it before the next one.
        while (!pending.empty() && static_cast<int>(active.size()) < session_cap &&
               free_slots(true) > 0) {
            const std::size_t i = pending.front();
            pending.pop_front();
            active.emplace_back(std::piecewise_construct, std::forward_as_tuple(i),
                                std::forward_as_tuple(*this, specs[i]));
            Device& d = active.back().second;
            d.start();
            d.pump(free_slots(d.probing(), d.weight()));
        }
        // Send what the cap allows, oldest devices first.
        for (auto& [i, d] : active) {
            d.pump(free_slots(d.probing(), d.weight()));
        }
        // Report finished devices; one that failed for a reason of this machine's is polled
        // again once others have finished (with fewer sessions at once), never reported so.
        for (auto it = active.begin(); it != active.end();) {
            Device& d = it->second;
            if (!d.finished()) {
                ++it;
                continue;
            }
            d.drop_outstanding();
            d.close(); // after the accounting: callbacks from the close are ignored
            if (d.local_failure()) {
                const bool alone = active.size() == 1;
                if (alone) {
                    if (m_options.local_error) {
                        *m_options.local_error =
                            fmt::format("{}: {}", specs[it->first].name, d.local_detail());
                    }
                    stopped = true;
                }
                pending.push_front(it->first);
                session_cap = std::max(1, static_cast<int>(active.size()) - 1);
                it = active.erase(it);
                if (alone) {
                    break;
                }
                continue;
            }
            PollResult r = d.take_result();
            ++done;
            if (r.outcome.outcome != model::Outcome::ok) {
                ++failed;
            }
            on_result(std::move(r));
            if (m_options.on_progress) {
                m_options.on_progress(done, specs.size(), failed);
            }
            it = active.erase(it);
        }
        if (stopped) {
            break;
        }
        if (active.empty()) {
            continue;
        }
        // Wait for answers, the nearest retransmission or timeout, or (when requests wait
        // for room under the cap) the moment a counted request becomes overdue.
        fds.clear();
        fd_owner.clear();
        long wait_ms = 200; // the longest wait, to stay responsive to stop requests
        int maxfd = 0;
        bool waiting_for_room = false;
        std::optional<Clock::time_point> overdue;
        std::optional<Clock::time_point> retry;
        for (auto& [i, d] : active) {
            waiting_for_room = waiting_for_room || d.has_queued();
            if (auto o = d.next_overdue(); o && (!overdue || *o < *overdue)) {
                overdue = o;
            }
            if (auto r = d.next_retry(); r && (!retry || *r < *retry)) {
                retry = r;
            }
            if (!d.session() || (d.in_flight() == 0 && !d.has_stale())) {
                continue;
            }
            netsnmp_transport* t = snmp_sess_transport(d.session());
            if (!t || t->sock < 0) {
                continue;
            }
            fds.push_back(pollfd{t->sock, POLLIN, 0});
            fd_owner.push_back(&d);
            maxfd = std::max(maxfd, t->sock);
        }
        if ((waiting_for_room || !pending.empty()) && overdue) {
            const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*overdue - Clock::now());
            wait_ms = std::min<long>(wait_ms, std::max<long>(0, ms.count()));
        }
        if (retry) {
            const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*retry - Clock::now());
            wait_ms = std::min<long>(wait_ms, std::max<long>(0, ms.count()));
        }
        netsnmp_large_fd_set_resize(&scratch, maxfd + 1);
        for (Device* d : fd_owner) {
            // block = 1 on input: no timeout of ours, so tv comes back as this session's next
            // retransmission or timeout (block = 0 would make tv an upper bound to shrink).
            int numfds = 0;
            int block = 1;
            timeval tv{};
            snmp_sess_select_info2(d->session(), &numfds, &scratch, &tv, &block);
            if (!block) {
                wait_ms = std::min<long>(wait_ms, tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
            }
        }
        wait_ms = std::max<long>(wait_ms, 0);
        const int n = ::poll(fds.data(), fds.size(), static_cast<int>(wait_ms));
        if (n > 0) {
            netsnmp_large_fd_set_resize(&readable, maxfd + 1);
            NETSNMP_LARGE_FD_ZERO(&readable);
            for (const auto& p : fds) {
                if (p.revents & (POLLIN | POLLERR)) {
                    netsnmp_large_fd_setfd(p.fd, &readable);
                }
            }
            for (std::size_t i = 0; i < fds.size(); ++i) {
                if (fds[i].revents & (POLLIN | POLLERR)) {
                    snmp_sess_read2(fd_owner[i]->session(), &readable);
                }
            }
        }
        for (auto& [i, d] : active) {
            if (d.session() && (d.in_flight() > 0 || d.has_stale())) {
                snmp_sess_timeout(d.session());
            }
            d.check_budget();
        }
    }
    for (auto& [i, d] : active) {
        d.drop_outstanding();
        d.release_memory();
    }
    netsnmp_large_fd_set_cleanup(&readable);
    netsnmp_large_fd_set_cleanup(&scratch);
    return !stopped;
}

} // namespace

bool poll_many(const std::vector<PollSpec>& specs, const EngineOptions& options,
               const std::function<void(PollResult&&)>& on_result) {
    init_library();
    EngineOptions opts = options;
    opts.concurrency = std::max(1, opts.concurrency);
    Engine engine(opts);
    return engine.run(specs, on_result);
}

namespace {

// The varbinds of `capture` (in OID order) a GET of `oids` would have returned.
std::vector<VarBind> captured_get(const std::vector<VarBind>& capture,
                                  const std::vector<Oid>& oids) {
    std::vector<VarBind> out;
    for (const auto& oid : oids) {
        const auto at = std::ranges::lower_bound(capture, oid, {}, &VarBind::oid);
        if (at != capture.end() && at->oid == oid) {
            out.push_back(*at);
        }
    }
    return out;
}

// The rows a walk of `columns` would have returned from the agent `capture` was taken from:
// each column's subtree, interleaved as GETBULK answers interleave them.
std::vector<VarBind> captured_walk(const std::vector<VarBind>& capture,
                                   const std::vector<Oid>& columns, Diagnostics& diag) {
    std::vector<
        std::pair<std::vector<VarBind>::const_iterator, std::vector<VarBind>::const_iterator>>
        spans;
    for (const auto& c : columns) {
        auto from = std::ranges::lower_bound(capture, c, {}, &VarBind::oid);
        auto to = from;
        while (to != capture.end() && oid_starts_with(to->oid, c)) {
            ++to;
        }
        if (static_cast<std::size_t>(to - from) > k_max_rows_per_column) {
            diag.warn(c, fmt::format("more than {} rows; walk of this column stopped",
                                     k_max_rows_per_column));
            to = from + static_cast<std::ptrdiff_t>(k_max_rows_per_column);
        }
        spans.emplace_back(from, to);
    }
    std::vector<VarBind> out;
    for (bool more = true; more;) {
        more = false;
        for (auto& [from, to] : spans) {
            if (from != to) {
                out.push_back(*from++);
                more = true;
            }
        }
    }
    return out;
}

} // namespace

PollResult decode_capture(const PollSpec& spec, const std::vector<VarBind>& capture) {
    PollResult out;
    out.outcome.target = spec.name;
    out.outcome.address = spec.address;
    out.varbinds = capture.size();
    Diagnostics diag(spec.name);
    static const model::IdentityRules k_none;
    const model::IdentityRules& rules = spec.identity_rules ? *spec.identity_rules : k_none;
    model::Device d;
    d.name = spec.name;
    d.target_address = spec.address;
    d.site = spec.site;
    d.role = spec.role;
    const auto system = captured_get(capture, mib::system_scalars());
    mib::decode_system(system, d, diag);
    if (!d.sys_object_id && !d.sys_descr && !d.sys_name) {
        out.outcome.outcome = model::Outcome::error;
        out.outcome.detail = "the capture holds no system group (sysDescr, sysObjectID, sysName "
                             "under 1.3.6.1.2.1.1): not a walk of a whole device";
        out.warnings = diag.take();
        return out;
    }
    // The walks a poll makes, in its order, each fallback where the poll would take it.
    const auto role = walk_role(spec, system, d);
    std::map<Purpose, std::vector<VarBind>> rows;
    std::deque<Purpose> todo;
    for (Purpose p : first_walks(d)) {
        todo.push_back(p);
    }
    while (!todo.empty()) {
        const Purpose p = todo.front();
        todo.pop_front();
        rows[p] = captured_walk(capture, columns_of(p, role), diag);
        for (Purpose f : fallbacks_after(p, rows[p], d)) {
            todo.push_back(f);
        }
    }
    const auto vendor = captured_get(capture, mib::vendor_scalars(d, rules));
    decode_walks(system, vendor, rows, rules, d, diag);
    model::normalize(d);
    out.outcome.outcome = model::Outcome::ok;
    out.device = std::move(d);
    out.warnings = diag.take();
    return out;
}

PollResult poll_device(const PollSpec& spec) {
    PollResult out;
    poll_many({spec}, EngineOptions{}, [&](PollResult&& r) { out = std::move(r); });
    return out;
}

} // namespace netinv::probes
