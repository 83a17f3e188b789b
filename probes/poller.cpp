// SPDX-License-Identifier: Apache-2.0
//
// The polling engine: every device of a scan from one event loop, with net-snmp's single-session
// API in asynchronous mode.
//
// Each device is a small state machine: [SNMPv3 engine discovery] -> GET of the system group
// (which decides the outcome: no answer is a timeout, a USM report an authentication failure)
// -> the interface walk and the address walk, both in flight at once -> done. A walk sends all
// of a table's columns in one GETBULK (GETNEXT for SNMPv1), each column advancing on its own
// until it leaves its subtree; a column whose OIDs stop increasing, or that passes a row cap,
// ends with a warning naming host and OID. A global cap bounds the requests in flight; a device
// that runs past its time budget is finished with what it has and a warning.
//
// The loop polls the sessions' sockets (poll(2): no 1024-descriptor ceiling), hands readable
// ones to net-snmp, and lets net-snmp retransmit and time out. net-snmp calls back with the
// response PDU, which is converted at once to plain VarBinds (no text formatting). A callback
// for NETSNMP_CALLBACK_OP_RESEND is not the end of a request: the request is still outstanding.
// Sessions are closed only outside callbacks.
//
// SNMPv3: snmp_sess_open would discover the engine synchronously, blocking the loop for a dead
// device. Sessions are opened with SNMP_FLAGS_DONT_PROBE instead, and the discovery request (a
// GET with no variables, noAuthNoPriv, empty user) goes through the loop like any other; its
// REPORT teaches the session the engine ID, and create_user_from_session() then derives the
// localized keys. net-snmp resynchronises engine boots/time on the first real request.
#include "probes/poller.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "probes/mib/mib.hpp"
#include "probes/varbind.hpp"

namespace netinv::probes {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t k_max_rows_per_column = 100'000;
constexpr int k_max_varbinds_per_request = 100; // net-snmp agents answer at most this many

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

Failure classify(int liberr, const std::string& text, const PollSpec& spec) {
    switch (liberr) {
    case SNMPERR_TIMEOUT:
        return {model::Outcome::timeout,
                fmt::format("no answer after {} {} of {} ms", spec.retries + 1,
                            spec.retries == 0 ? "try" : "tries", spec.timeout_ms)};
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
        vb.bytes.assign(reinterpret_cast<const char*>(v->val.string), v->val_len);
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
    // Halves max-repetitions after a tooBig or a timeout; false when already at 1. The walk
    // then no longer grows past it.
    bool back_off() {
        if (m_v1 || m_reps <= 1) {
            return false;
        }
        m_reps /= 2;
        m_max_reps = m_reps;
        m_backed_off = true;
        return true;
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
        if (!m_v1) {
            pdu->non_repeaters = 0;
            pdu->max_repetitions = std::max(
                1, std::min(m_reps, k_max_varbinds_per_request / static_cast<int>(m_sent.size())));
        }
        for (std::size_t i : m_sent) {
            add_null(pdu, m_cur[i]);
        }
        return pdu;
    }

    // Takes one response; afterwards done() says whether another request is needed.
    void on_response(const netsnmp_pdu* r, Diagnostics& diag) {
        if (m_sent.empty()) {
            m_done = true; // no request of this walk was outstanding
            return;
        }
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
            const std::size_t col = m_sent[k % m_sent.size()];
            if (!m_active[col]) {
                continue;
            }
            VarBind vb = convert(v);
            if (vb.type == VbType::end_of_mib_view || !oid_starts_with(vb.oid, m_columns[col])) {
                m_active[col] = false;
                continue;
            }
            if (oid_compare(vb.oid, m_cur[col]) <= 0) {
                diag.warn(vb.oid, "OID not increasing; walk of this column stopped");
                m_active[col] = false;
                continue;
            }
            m_cur[col] = vb.oid;
            if (++m_rows[col] > k_max_rows_per_column) {
                diag.warn(m_columns[col], fmt::format("more than {} rows; walk of this column "
                                                      "stopped",
                                                      k_max_rows_per_column));
                m_active[col] = false;
                continue;
            }
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

    // True when the walk ended early (error, timeout, budget) rather than at the table's end.
    bool stopped() const { return m_stopped; }

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
    std::vector<VarBind> m_out;
    bool m_v1;
    int m_reps;
    int m_max_reps;
    int m_full_reps;
    bool m_backed_off = false;
    bool m_done = false;
    bool m_stopped = false;
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
    bool answered = false;
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
    void on_event(Purpose purpose, int op, netsnmp_pdu* pdu);
    void check_budget();
    bool finished() const { return m_phase == Phase::finished; }
    int in_flight() const { return m_in_flight; }
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
    std::optional<Failure> setup_v3(netsnmp_session& in);
    void complete_walks();

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
    int m_walk_timeouts = 0;
};

class Engine {
public:
    Engine(const EngineOptions& options) : m_options(options) {}
    bool run(const std::vector<PollSpec>& specs,
             const std::function<void(PollResult&&)>& on_result);
    int free_slots() const { return std::max(0, m_options.concurrency - m_in_flight); }
    void sent(int n) { m_in_flight += n; }
    void answered(int n) { m_in_flight -= n; }
    const EngineOptions& options() const { return m_options; }

private:
    const EngineOptions& m_options;
    int m_in_flight = 0;
};

int callback(int op, netsnmp_session*, int, netsnmp_pdu* pdu, void* magic) {
    if (op == NETSNMP_CALLBACK_OP_RESEND) {
        return 1; // a retransmission: the request is still outstanding
    }
    auto* req = static_cast<Request*>(magic);
    if (req->answered) {
        return 1;
    }
    req->answered = true;
    req->device->on_event(req->purpose, op, pdu);
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
    in.timeout = static_cast<long>(m_spec.timeout_ms) * 1000;
    in.retries = m_spec.retries;
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
    void* s = snmp_sess_open(&in);
    if (!s) {
        char* msg = nullptr;
        snmp_error(&in, nullptr, nullptr, &msg);
        std::string text = msg ? msg : "cannot open SNMP session";
        std::free(msg);
        return classify(in.s_snmp_errno, text, m_spec);
    }
    m_session = s;
    return std::nullopt;
}

std::optional<Failure> Device::setup_v3(netsnmp_session& in) {
    const auto& c = m_spec.credential;
    in.version = SNMP_VERSION_3;
    m_user = c.user;
    in.securityName = m_user.data();
    in.securityNameLen = m_user.size();
    in.securityModel = SNMP_SEC_MODEL_USM;
    in.securityLevel = c.auth == model::AuthProto::none   ? SNMP_SEC_LEVEL_NOAUTH
                       : c.priv == model::PrivProto::none ? SNMP_SEC_LEVEL_AUTHNOPRIV
                                                          : SNMP_SEC_LEVEL_AUTHPRIV;
    if (c.auth == model::AuthProto::none) {
        return std::nullopt;
    }
    switch (c.auth) {
    case model::AuthProto::sha256:
        in.securityAuthProto = usmHMAC192SHA256AuthProtocol;
        in.securityAuthProtoLen = OID_LENGTH(usmHMAC192SHA256AuthProtocol);
        break;
    case model::AuthProto::sha512:
        in.securityAuthProto = usmHMAC384SHA512AuthProtocol;
        in.securityAuthProtoLen = OID_LENGTH(usmHMAC384SHA512AuthProtocol);
        break;
    default:
        in.securityAuthProto = usmHMACSHA1AuthProtocol;
        in.securityAuthProtoLen = OID_LENGTH(usmHMACSHA1AuthProtocol);
        break;
    }
    const std::string& auth = c.auth_secret.reveal();
    in.securityAuthKeyLen = USM_AUTH_KU_LEN;
    if (!derive_ku(in.securityAuthProto, in.securityAuthProtoLen, auth, in.securityAuthKey,
                   &in.securityAuthKeyLen)) {
        return Failure{model::Outcome::error, "cannot derive the SNMPv3 authentication key"};
    }
    if (c.priv == model::PrivProto::none) {
        return std::nullopt;
    }
    if (c.priv == model::PrivProto::aes256) {
        in.securityPrivProto = usmAES256PrivProtocol;
        in.securityPrivProtoLen = OID_LENGTH(usmAES256PrivProtocol);
    } else {
        in.securityPrivProto = usmAESPrivProtocol;
        in.securityPrivProtoLen = OID_LENGTH(usmAESPrivProtocol);
    }
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
    m_requests.push_back(Request{this, p});
    if (snmp_sess_async_send(m_session, pdu, callback, &m_requests.back()) == 0) {
        snmp_free_pdu(pdu);
        m_requests.pop_back();
        finish(model::Outcome::error,
               fmt::format("cannot send: {}", snmp_api_errstring(snmp_errno)));
        return false;
    }
    ++m_in_flight;
    return true;
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

void Device::on_event(Purpose purpose, int op, netsnmp_pdu* pdu) {
    if (m_closing) {
        return; // already accounted for by whoever closed the session
    }
    --m_in_flight;
    m_engine.answered(1);
    if (m_phase == Phase::finished) {
        return;
    }
    const bool received = op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != nullptr;
    if ((purpose == Purpose::discovery && m_phase != Phase::discovery) ||
        (purpose == Purpose::system && m_phase != Phase::system)) {
        return; // an answer to a step already done
    }
    if (purpose == Purpose::vendor) {
        // Best effort: an agent without these objects just leaves the fields to sysDescr.
        if (received && pdu->command != SNMP_MSG_REPORT && pdu->errstat == SNMP_ERR_NOERROR) {
            for (auto* v = pdu->variables; v; v = v->next_variable) {
                m_vendor_vbs.push_back(convert(v));
                ++m_result.varbinds;
            }
        }
        return;
    }
    if (purpose == Purpose::discovery) {
        netsnmp_session* s = snmp_sess_session(m_session);
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
    if (!received && op == NETSNMP_CALLBACK_OP_TIMED_OUT && purpose != Purpose::system &&
        m_walk_timeouts < 2 && walk_for(purpose)->back_off()) {
        // Large responses are the usual reason a slow agent misses the deadline: ask for less.
        ++m_walk_timeouts;
        queue(purpose);
        return;
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
    w->on_response(pdu, m_diag);
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
    if (p == Purpose::ip_address) {
        m_device.addresses = mib::decode_ip_address_table(rows, m_diag);
        const auto has = [&](model::Family f) {
            return std::ranges::any_of(m_device.addresses,
                                       [f](const model::Address& a) { return a.family == f; });
        };
        if (!has(model::Family::ipv4)) {
            start_walk(Purpose::ip_addr, mib::ip_addr_columns(), k_small_table_reps);
        }
        if (!has(model::Family::ipv6)) {
            start_walk(Purpose::ipv6_addr, mib::ipv6_addr_columns(), k_small_table_reps);
        }
    } else if (p == Purpose::ipv6_addr && rows.empty() && m_device.sys_object_id &&
               m_device.sys_object_id->starts_with("1.3.6.1.4.1.9.")) {
        start_walk(Purpose::cisco_ip, mib::cisco_ip_address_columns(), k_small_table_reps);
    } else if (p == Purpose::cache && rows.empty()) {
        start_walk(Purpose::cache_v1, mib::arp_legacy_columns(), k_small_table_reps);
    }
}

void Device::begin_walks() {
    m_phase = Phase::walks;
    // The big tables start at the size that worked last time (or the most a response holds);
    // the small or often absent ones start small, so an absent table does not bring back a
    // response full of whatever follows it, and grow when they turn out long.
    start_walk(Purpose::interfaces, mib::interface_columns(), m_spec.bulk_repetitions, false);
    start_walk(Purpose::ip_address, mib::ip_address_columns(), m_spec.bulk_repetitions, false);
    start_walk(Purpose::entity, mib::entity_columns(), k_small_table_reps);
    start_walk(Purpose::routes, mib::default_route_subtrees(), 1);
    start_walk(Purpose::lldp, mib::lldp_columns(), k_small_table_reps);
    if (m_device.sys_object_id && m_device.sys_object_id->starts_with("1.3.6.1.4.1.9.")) {
        start_walk(Purpose::cdp, mib::cdp_columns(), k_small_table_reps);
    }
    start_walk(Purpose::cache, mib::neighbor_cache_columns(), k_small_table_reps);
    start_walk(Purpose::vlans, mib::vlan_columns(), k_small_table_reps);
    start_walk(Purpose::ipv6_if, mib::ipv6_interface_columns(), k_small_table_reps);
    start_walk(Purpose::host, mib::host_columns(), k_small_table_reps);
    // The role decides which IPv6 objects are worth asking for: the configured one, else what
    // the system group suggests (the final role is decided with the identity, at the end).
    std::optional<std::string> role = m_spec.role;
    if (!role) {
        model::Device provisional = m_device;
        mib::decode_role(m_system_vbs, provisional);
        role = provisional.role;
    }
    start_walk(Purpose::ipv6, mib::ipv6_columns(role), k_small_table_reps);
    m_vendor_oids = mib::vendor_scalars(m_device, rules());
    if (!m_vendor_oids.empty()) {
        queue(Purpose::vendor);
    }
}

void Device::complete_walks() {
    const bool addresses_decoded = m_rows.contains(Purpose::ip_address);
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
    m_device.interfaces = mib::decode_interfaces(m_rows[Purpose::interfaces], m_diag);
    if (!addresses_decoded) {
        m_device.addresses = mib::decode_ip_address_table(m_rows[Purpose::ip_address], m_diag);
    }
    // Fallback tables add what ipAddressTable lacked: IPv4 from ipAddrTable, IPv6 from IPV6-MIB
    // or, on Cisco, CISCO-IETF-IP-MIB.
    // ipv6_address_mib says which MIB the IPv6 addresses came from (checklist C08).
    const auto v6_from = [&](const char* mib_name) {
        if (!m_device.ipv6_address_mib &&
            std::ranges::any_of(m_device.addresses, [](const model::Address& a) {
                return a.family == model::Family::ipv6;
            })) {
            m_device.ipv6_address_mib = mib_name;
        }
    };
    v6_from("IP-MIB");
    auto add = [&](std::vector<model::Address> found, model::Family only) {
        for (auto& a : found) {
            if (a.family == only) {
                m_device.addresses.push_back(std::move(a));
            }
        }
    };
    add(mib::decode_ip_addr_table(m_rows[Purpose::ip_addr], m_diag), model::Family::ipv4);
    add(mib::decode_ipv6_addr_table(m_rows[Purpose::ipv6_addr], m_diag), model::Family::ipv6);
    v6_from("IPV6-MIB");
    add(mib::decode_cisco_ip_address_table(m_rows[Purpose::cisco_ip], m_diag), model::Family::ipv6);
    v6_from("CISCO-IETF-IP-MIB");
    const auto hint =
        mib::decode_identity(m_rows[Purpose::entity], m_vendor_vbs, rules(), m_device, m_diag);
    mib::decode_role(m_system_vbs, m_device, hint);
    mib::decode_forwarding(m_system_vbs, m_device);
    mib::decode_ipv6_interfaces(m_rows[Purpose::ipv6_if], m_device.interfaces, m_diag);
    m_device.default_routes = mib::decode_default_routes(m_rows[Purpose::routes], m_diag);
    m_device.lldp = mib::decode_lldp(m_rows[Purpose::lldp], m_diag);
    for (auto& n : mib::decode_cdp(m_rows[Purpose::cdp], m_diag)) {
        m_device.lldp.push_back(std::move(n));
    }
    m_device.neighbor_cache = mib::decode_neighbor_cache(m_rows[Purpose::cache], m_diag);
    if (m_device.neighbor_cache.empty()) {
        m_device.neighbor_cache = mib::decode_neighbor_cache(m_rows[Purpose::cache_v1], m_diag);
    }
    m_device.vlans = mib::decode_vlans(m_rows[Purpose::vlans], m_diag);
    std::optional<std::uint64_t> memory_kb;
    for (const auto& vb : m_system_vbs) {
        if (vb.oid == Oid{1, 3, 6, 1, 2, 1, 25, 2, 2, 0} && vb.type == VbType::integer &&
            vb.integer > 0) {
            memory_kb = static_cast<std::uint64_t>(vb.integer);
        }
    }
    mib::decode_host_resources(m_rows[Purpose::host], memory_kb, m_device, m_diag);
    mib::decode_ipv6(m_rows[Purpose::ipv6], m_device, m_diag);
    std::vector<const std::vector<VarBind>*> all;
    for (const auto& [p, rows] : m_rows) {
        all.push_back(&rows);
    }
    m_device.tables = mib::tables_answered(all);
    for (const auto& [p, w] : m_walks) {
        if (w.stopped() || !w.done()) {
            m_device.partial.emplace_back(purpose_name(p));
        }
    }
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
    m_engine.answered(m_in_flight);
    m_in_flight = 0;
    close(); // drops the outstanding requests
    complete_walks();
}

void Device::finish(model::Outcome o, std::string detail) {
    if (m_phase == Phase::finished) {
        return;
    }
    m_phase = Phase::finished;
    m_queue.clear();
    m_result.outcome.outcome = o;
    m_result.outcome.detail = std::move(detail);
    m_result.outcome.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_start).count();
}

PollResult Device::take_result() {
    m_result.warnings = m_diag.take();
    return std::move(m_result);
}

void Device::close() {
    if (m_session) {
        m_closing = true;
        snmp_sess_close(m_session);
        m_session = nullptr;
    }
}

bool Engine::run(const std::vector<PollSpec>& specs,
                 const std::function<void(PollResult&&)>& on_result) {
    std::size_t next = 0;
    std::size_t done = 0;
    std::size_t failed = 0;
    std::list<Device> active;
    std::vector<pollfd> fds;
    std::vector<Device*> fd_owner;
    netsnmp_large_fd_set readable;
    netsnmp_large_fd_set scratch;
    netsnmp_large_fd_set_init(&readable, FD_SETSIZE);
    netsnmp_large_fd_set_init(&scratch, FD_SETSIZE);
    bool stopped = false;
    while (next < specs.size() || !active.empty()) {
        if (m_options.stop_requested && m_options.stop_requested()) {
            stopped = true;
            break;
        }
        // Admit devices while there is room for their first request.
        while (next < specs.size() && static_cast<int>(active.size()) < m_options.concurrency) {
            active.emplace_back(*this, specs[next++]);
            active.back().start();
        }
        // Send what the cap allows, oldest devices first.
        for (auto& d : active) {
            const int slots = free_slots();
            if (slots == 0) {
                break;
            }
            sent(d.pump(slots));
        }
        // Report finished devices.
        for (auto it = active.begin(); it != active.end();) {
            if (!it->finished()) {
                ++it;
                continue;
            }
            answered(it->in_flight());
            it->close(); // after the accounting: callbacks from the close are ignored
            PollResult r = it->take_result();
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
        if (active.empty()) {
            continue;
        }
        // Wait for answers or the nearest retransmission/timeout.
        fds.clear();
        fd_owner.clear();
        long wait_ms = 200; // the longest wait, to stay responsive to stop requests
        int maxfd = 0;
        for (auto& d : active) {
            if (!d.session() || d.in_flight() == 0) {
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
        for (auto& d : active) {
            if (d.session() && d.in_flight() > 0) {
                snmp_sess_timeout(d.session());
            }
            d.check_budget();
        }
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

PollResult poll_device(const PollSpec& spec) {
    PollResult out;
    poll_many({spec}, EngineOptions{}, [&](PollResult&& r) { out = std::move(r); });
    return out;
}

} // namespace netinv::probes
