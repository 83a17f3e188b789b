// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netinv::probes {

// An OID as sub-identifiers. probes/ converts net-snmp's types to these at once, so nothing of
// net-snmp crosses the module boundary and decoders are tested from plain data.
using Oid = std::vector<std::uint32_t>;

std::string oid_to_string(const Oid& oid);           // "1.3.6.1.2.1.1.5.0"
std::optional<Oid> parse_oid(std::string_view text); // accepts a leading dot; nullopt if malformed
bool oid_starts_with(const Oid& oid, const Oid& prefix);

// SNMP value types, numbered as their ASN.1 tags (also snmprec's type codes).
enum class VbType : std::uint8_t {
    integer = 2,
    octets = 4,
    null = 5,
    object_id = 6,
    ip_address = 64,
    counter32 = 65,
    gauge32 = 66,
    timeticks = 67,
    opaque = 68,
    counter64 = 70,
    no_such_object = 128,
    no_such_instance = 129,
    end_of_mib_view = 130,
};

struct VarBind {
    Oid oid;
    VbType type = VbType::null;
    std::int64_t integer = 0;    // integer
    std::uint64_t unsigned_ = 0; // counter32, gauge32, timeticks, counter64
    std::string bytes;           // octets, ip_address, opaque
    Oid oid_value;               // object_id
    // When the agent sent more bytes than the poller keeps (a hostile or broken agent), the
    // size it sent; `bytes` then holds only the first part. 0: `bytes` is the whole value.
    std::uint32_t full_size = 0;

    friend bool operator==(const VarBind&, const VarBind&) = default;
};

// No object netinv reads is longer than this (sysDescr and LLDP fields are at most 255 octets
// by their MIBs); a longer value is kept cut, with its size, so memory is bounded at decode.
inline constexpr std::size_t k_max_value_bytes = 4096;
// `bytes` as vb's value, cut at k_max_value_bytes (full_size then says how long it was): how
// a poll and a capture alike keep what an agent sent.
void set_value_bytes(VarBind& vb, std::string_view bytes);

// One snmprec line ("OID|TYPE|VALUE"), or nullopt with the reason in `why`.
std::optional<VarBind> parse_snmprec_line(std::string_view line, std::string& why);

// Parses snmprec text (one "OID|TYPE|VALUE" per line, TYPE with an 'x' suffix for hex values),
// the format of snmpsim recordings and of the project's fixtures. Malformed lines are reported as
// "LINE: reason" in `errors` and skipped.
std::vector<VarBind> parse_snmprec(std::string_view text, std::vector<std::string>* errors);

// Writes snmprec text for `vbs`; octet strings that are not printable ASCII are written as hex.
std::string to_snmprec(const std::vector<VarBind>& vbs);

// Collects warnings about an agent's replies as "HOST: OID: message". Keeps at most three of
// each message (the same problem on 100,000 rows says nothing more after the third) and `cap`
// in all, counting the rest, so a hostile agent cannot grow it without bound and one noisy
// problem cannot hide another.
class Diagnostics {
public:
    explicit Diagnostics(std::string host, std::size_t cap = 50)
        : m_host(std::move(host)), m_cap(cap) {}
    void warn(const Oid& oid, std::string_view message);
    void warn(std::string_view message);
    // The warnings, plus one line saying how many were left out when the cap was hit.
    std::vector<std::string> take();

private:
    std::string m_host;
    std::size_t m_cap;
    std::size_t m_dropped = 0;
    std::vector<std::string> m_messages;
    std::map<std::string, int, std::less<>> m_per_message;
    bool admit(std::string_view message);
};

} // namespace netinv::probes
