// SPDX-License-Identifier: Apache-2.0
//
// Polling one device with net-snmp's single-session API. The session and every PDU have an owner
// from the moment net-snmp hands them over. The first request (a GET of the system group) decides
// the outcome: no answer is a timeout, a USM report is an authentication failure. Tables are then
// walked column-wise: all columns of a table go in one GETBULK (GETNEXT for SNMPv1), each column
// advancing on its own until it leaves its subtree. A column whose OIDs stop increasing, or that
// grows past a row cap, ends with a warning naming host and OID. Values are decoded straight from
// the PDU into plain VarBinds (no text formatting), then handed to the pure decoders in mib/.
#include "probes/poller.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "probes/mib/mib.hpp"
#include "probes/varbind.hpp"

namespace netinv::probes {

namespace {

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
    });
}

struct SessionCloser {
    void operator()(void* s) const { snmp_sess_close(s); }
};
using SessionPtr = std::unique_ptr<void, SessionCloser>;

struct PduFreer {
    void operator()(netsnmp_pdu* p) const { snmp_free_pdu(p); }
};
using PduPtr = std::unique_ptr<netsnmp_pdu, PduFreer>;

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
        return {model::Outcome::auth_failure, fmt::format("authentication failed: {}", text)};
    default:
        return {model::Outcome::error, text.empty() ? "SNMP error" : text};
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

class Session {
public:
    Session(const PollSpec& spec, std::string transport)
        : m_spec(spec), m_transport(std::move(transport)), m_diag(spec.name) {}

    // Opens the session (for SNMPv3 this discovers the engine). nullopt on success.
    std::optional<Failure> open() {
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
            break;
        }
        void* s = snmp_sess_open(&in);
        if (!s) {
            char* msg = nullptr;
            snmp_error(&in, nullptr, nullptr, &msg);
            std::string text = msg ? msg : "cannot open SNMP session";
            std::free(msg);
            return classify(in.s_snmp_errno != 0 ? in.s_snmp_errno : snmp_errno, text, m_spec);
        }
        m_session.reset(s);
        return std::nullopt;
    }

    // GET of `oids`. For SNMPv1, an OID the agent lacks (noSuchName) is dropped and the rest
    // asked again, so one missing scalar does not hide the others.
    std::expected<std::vector<VarBind>, Failure> get(std::vector<Oid> oids) {
        while (!oids.empty()) {
            netsnmp_pdu* pdu = snmp_pdu_create(SNMP_MSG_GET);
            for (const auto& o : oids) {
                add_null(pdu, o);
            }
            auto resp = send(pdu);
            if (!resp) {
                return std::unexpected(resp.error());
            }
            netsnmp_pdu* r = resp->get();
            if (r->errstat == SNMP_ERR_NOSUCHNAME && r->errindex >= 1 &&
                static_cast<std::size_t>(r->errindex) <= oids.size()) {
                oids.erase(oids.begin() + (r->errindex - 1));
                continue;
            }
            if (r->errstat != SNMP_ERR_NOERROR) {
                return std::unexpected(Failure{
                    model::Outcome::error,
                    fmt::format("agent error: {}", snmp_errstring(static_cast<int>(r->errstat)))});
            }
            std::vector<VarBind> out;
            for (auto* v = r->variables; v; v = v->next_variable) {
                out.push_back(convert(v));
            }
            return out;
        }
        return std::vector<VarBind>{};
    }

    // Walks `columns` together. Returns what was retrieved; a failure midway keeps the rows so far
    // and adds a warning.
    std::vector<VarBind> walk(const std::vector<Oid>& columns) {
        std::vector<VarBind> out;
        std::vector<Oid> cur = columns;
        std::vector<std::size_t> rows(columns.size(), 0);
        std::vector<bool> active(columns.size(), true);
        const bool v1 = m_spec.credential.version == model::SnmpVersion::v1;
        int reps = 0;
        while (true) {
            std::vector<std::size_t> idx;
            for (std::size_t i = 0; i < columns.size(); ++i) {
                if (active[i]) {
                    idx.push_back(i);
                }
            }
            if (idx.empty()) {
                break;
            }
            if (reps == 0) {
                reps = std::max(1, k_max_varbinds_per_request / static_cast<int>(idx.size()));
            }
            netsnmp_pdu* pdu = snmp_pdu_create(v1 ? SNMP_MSG_GETNEXT : SNMP_MSG_GETBULK);
            if (!v1) {
                pdu->non_repeaters = 0;
                pdu->max_repetitions = std::max(
                    1, std::min(reps, k_max_varbinds_per_request / static_cast<int>(idx.size())));
            }
            for (std::size_t i : idx) {
                add_null(pdu, cur[i]);
            }
            auto resp = send(pdu);
            if (!resp) {
                m_diag.warn(columns[idx.front()],
                            fmt::format("walk stopped: {}; the table may be incomplete",
                                        resp.error().detail));
                break;
            }
            netsnmp_pdu* r = resp->get();
            if (r->errstat == SNMP_ERR_TOOBIG && reps > 1) {
                reps /= 2;
                continue;
            }
            if (r->errstat == SNMP_ERR_NOSUCHNAME && v1) {
                break; // SNMPv1's end of the MIB view
            }
            if (r->errstat != SNMP_ERR_NOERROR) {
                m_diag.warn(columns[idx.front()],
                            fmt::format("walk stopped: agent error {}",
                                        snmp_errstring(static_cast<int>(r->errstat))));
                break;
            }
            std::size_t k = 0;
            for (auto* v = r->variables; v; v = v->next_variable, ++k) {
                const std::size_t col = idx[k % idx.size()];
                if (!active[col]) {
                    continue;
                }
                VarBind vb = convert(v);
                if (vb.type == VbType::end_of_mib_view || !oid_starts_with(vb.oid, columns[col])) {
                    active[col] = false;
                    continue;
                }
                if (oid_compare(vb.oid, cur[col]) <= 0) {
                    m_diag.warn(vb.oid, "OID not increasing; walk of this column stopped");
                    active[col] = false;
                    continue;
                }
                cur[col] = vb.oid;
                if (++rows[col] > k_max_rows_per_column) {
                    m_diag.warn(columns[col], fmt::format("more than {} rows; walk of this column "
                                                          "stopped",
                                                          k_max_rows_per_column));
                    active[col] = false;
                    continue;
                }
                out.push_back(std::move(vb));
            }
            if (k == 0) {
                m_diag.warn(columns[idx.front()], "empty response; walk stopped");
                break;
            }
        }
        return out;
    }

    Diagnostics& diag() { return m_diag; }

private:
    std::optional<Failure> setup_v3(netsnmp_session& in) {
        const auto& c = m_spec.credential;
        in.version = SNMP_VERSION_3;
        m_user = c.user;
        in.securityName = m_user.data();
        in.securityNameLen = m_user.size();
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
        if (generate_Ku(in.securityAuthProto, static_cast<u_int>(in.securityAuthProtoLen),
                        reinterpret_cast<const u_char*>(auth.data()), auth.size(),
                        in.securityAuthKey, &in.securityAuthKeyLen) != SNMPERR_SUCCESS) {
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
        if (generate_Ku(in.securityAuthProto, static_cast<u_int>(in.securityAuthProtoLen),
                        reinterpret_cast<const u_char*>(priv.data()), priv.size(),
                        in.securityPrivKey, &in.securityPrivKeyLen) != SNMPERR_SUCCESS) {
            return Failure{model::Outcome::error, "cannot derive the SNMPv3 privacy key"};
        }
        return std::nullopt;
    }

    static void add_null(netsnmp_pdu* pdu, const Oid& o) {
        std::vector<oid> raw(o.begin(), o.end());
        snmp_add_null_var(pdu, raw.data(), raw.size());
    }

    // Sends `pdu` (always consumed) and waits for the response.
    std::expected<PduPtr, Failure> send(netsnmp_pdu* pdu) {
        netsnmp_pdu* resp = nullptr;
        const int st = snmp_sess_synch_response(m_session.get(), pdu, &resp);
        PduPtr owned(resp);
        if (st == STAT_SUCCESS && owned) {
            return owned;
        }
        if (st == STAT_TIMEOUT) {
            return std::unexpected(classify(SNMPERR_TIMEOUT, "", m_spec));
        }
        int liberr = 0;
        int syserr = 0;
        char* msg = nullptr;
        snmp_sess_error(m_session.get(), &liberr, &syserr, &msg);
        std::string text = msg ? msg : "SNMP error";
        std::free(msg);
        // For SNMPv3 the first send also discovers the engine; a failure there (timeout, USM
        // report) is left in the library's snmp_errno, not in the session.
        return std::unexpected(classify(liberr != 0 ? liberr : snmp_errno, text, m_spec));
    }

    const PollSpec& m_spec;
    std::string m_transport;
    std::string m_community;
    std::string m_user;
    SessionPtr m_session;
    Diagnostics m_diag;
};

} // namespace

PollResult poll_device(const PollSpec& spec) {
    init_library();
    const auto start = std::chrono::steady_clock::now();
    PollResult result;
    result.outcome.target = spec.name;
    result.outcome.address = spec.address;
    auto finish = [&](model::Outcome o, std::string detail) {
        result.outcome.outcome = o;
        result.outcome.detail = std::move(detail);
        result.outcome.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - start)
                                         .count();
        return std::move(result);
    };

    std::string transport;
    if (spec.transport) {
        transport = *spec.transport;
    } else {
        auto t = transport_for(spec.address, spec.port);
        if (!t) {
            return finish(model::Outcome::error, t.error());
        }
        transport = *t;
    }
    Session session(spec, transport);
    if (auto f = session.open()) {
        return finish(f->outcome, f->detail);
    }
    auto sys = session.get(mib::system_scalars());
    if (!sys) {
        return finish(sys.error().outcome, sys.error().detail);
    }
    model::Device d;
    d.name = spec.name;
    d.target_address = spec.address;
    d.site = spec.site;
    d.role = spec.role;
    mib::decode_system(*sys, d, session.diag());
    d.interfaces = mib::decode_interfaces(session.walk(mib::interface_columns()), session.diag());
    auto addrs = session.walk(mib::ip_address_columns());
    if (addrs.empty()) {
        d.addresses =
            mib::decode_ip_addr_table(session.walk(mib::ip_addr_columns()), session.diag());
    } else {
        d.addresses = mib::decode_ip_address_table(addrs, session.diag());
    }
    model::normalize(d);
    result.device = std::move(d);
    result.warnings = session.diag().take();
    return finish(model::Outcome::ok, "");
}

} // namespace netinv::probes
