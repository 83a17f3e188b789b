// SPDX-License-Identifier: Apache-2.0
//
// IP-MIB ipAddressTable (RFC 4293) and the RFC 1213 ipAddrTable fallback.
//
// ipAddressTable is indexed by InetAddressType then InetAddress: type, length, then that many
// bytes (ipv4=1: 4, ipv6=2: 16, ipv4z=3: 4+4 zone, ipv6z=4: 16+4 zone). Some agents leave out
// the length sub-identifier; an index whose remaining length equals the address size is accepted
// as that. The prefix length is the last sub-identifier of ipAddressPrefix, a RowPointer into
// ipAddressPrefixTable; zeroDotZero means the agent does not know it. Zones are not kept in the
// address text: the row's ifIndex already says which link a link-local address is on.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "model/net.hpp"
#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

namespace {

const Oid k_ip_address_entry = {1, 3, 6, 1, 2, 1, 4, 34, 1};
const Oid k_ip_address_prefix_entry = {1, 3, 6, 1, 2, 1, 4, 32, 1};
const Oid k_ip_addr_entry = {1, 3, 6, 1, 2, 1, 4, 20, 1};
const Oid k_ipv6_addr_entry = {1, 3, 6, 1, 2, 1, 55, 1, 8, 1};
const Oid k_cisco_address_entry = {1, 3, 6, 1, 4, 1, 9, 10, 86, 1, 1, 2, 1};
const Oid k_cisco_prefix_entry = {1, 3, 6, 1, 4, 1, 9, 10, 86, 1, 1, 1, 1};

// Rows differ by address and zone: routers give the same fe80:: address to many interfaces
// (sub-interfaces, VLANIFs and SVIs share a MAC), and only the ipv6z zone tells them apart.
struct Key {
    model::Family family;
    std::string text;
    std::uint32_t zone = 0;
    auto operator<=>(const Key&) const = default;
};

struct Row {
    std::optional<std::uint32_t> if_index;
    std::optional<std::uint8_t> prefix;
    std::optional<std::string> origin;
    std::optional<std::int64_t> type;
    std::optional<std::string> status;
};

// Parses the InetAddressType + InetAddress index that follows the column sub-identifier.
std::optional<Key> parse_index(const Oid& oid, std::size_t pos) {
    if (pos >= oid.size()) {
        return std::nullopt;
    }
    const std::uint32_t type = oid[pos++];
    const std::size_t remaining = oid.size() - pos;
    std::optional<InetAddress> a;
    if (remaining >= 1 && oid[pos] == remaining - 1) {
        a = inet_address(oid, pos + 1, type, remaining - 1); // the length, as RFC 4293 encodes it
    }
    if (!a) {
        a = inet_address(oid, pos, type, remaining); // some agents leave the length out
    }
    if (!a) {
        return std::nullopt;
    }
    return Key{a->family, std::move(a->text), a->zone.value_or(0)};
}

std::optional<std::string> status_name(std::int64_t v) {
    static constexpr std::array<const char*, 8> k_names = {
        "preferred", "deprecated", "invalid",   "inaccessible",
        "unknown",   "tentative",  "duplicate", "optimistic"};
    if (v < 1 || v > 8) {
        return std::nullopt;
    }
    return k_names[static_cast<std::size_t>(v - 1)];
}

std::optional<std::string> origin_name(std::int64_t v) {
    switch (v) {
    case 1:
        return "other";
    case 2:
        return "manual";
    case 4:
        return "dhcp";
    case 5:
        return "linklayer";
    case 6:
        return "random";
    default:
        return std::nullopt;
    }
}

} // namespace

const std::vector<Oid>& ip_address_columns() {
    // ifIndex, type, prefix, origin, status
    static const std::vector<Oid> cols = columns(k_ip_address_entry, {3, 4, 5, 6, 7});
    return cols;
}

namespace {

// ipAddressTable and its Cisco draft share their layout; `entry` and `prefix_entry` say where.
std::vector<model::Address> decode_address_table(const std::vector<VarBind>& vbs, Diagnostics& diag,
                                                 const Oid& entry, const Oid& prefix_entry) {
    std::map<Key, Row> rows;
    std::set<std::pair<std::uint32_t, Key>> seen;
    const std::size_t base = entry.size();
    for (const auto& vb : vbs) {
        if (!oid_starts_with(vb.oid, entry) || vb.oid.size() <= base + 1) {
            continue;
        }
        if (absent(vb)) {
            continue;
        }
        auto key = parse_index(vb.oid, base + 1);
        if (!key) {
            diag.warn(vb.oid, "malformed ipAddressTable index; row ignored");
            continue;
        }
        const std::uint32_t column = vb.oid[base];
        if (!seen.emplace(column, *key).second) {
            diag.warn(vb.oid, "duplicate row; ignored");
            continue;
        }
        Row& row = rows[*key];
        switch (column) {
        case 3:
            if (vb.type == VbType::integer && vb.integer >= 1 && vb.integer <= 0x7FFFFFFF) {
                row.if_index = static_cast<std::uint32_t>(vb.integer);
            } else {
                diag.warn(vb.oid, "expected an ifIndex (INTEGER 1..2147483647); value ignored");
            }
            break;
        case 4:
            if (vb.type == VbType::integer) {
                row.type = vb.integer;
            } else {
                diag.warn(vb.oid, "expected an INTEGER; value ignored");
            }
            break;
        case 5: {
            if (vb.type != VbType::object_id) {
                diag.warn(vb.oid, "expected a RowPointer (OBJECT IDENTIFIER); value ignored");
                break;
            }
            const Oid& p = vb.oid_value;
            if (p.size() <= 2 && std::ranges::all_of(p, [](auto x) { return x == 0; })) {
                break; // zeroDotZero: unknown prefix
            }
            const std::uint32_t max = key->family == model::Family::ipv4 ? 32 : 128;
            if (!oid_starts_with(p, prefix_entry) || p.back() > max) {
                diag.warn(vb.oid, "ipAddressPrefix does not point into ipAddressPrefixTable; "
                                  "prefix length unknown");
                break;
            }
            row.prefix = static_cast<std::uint8_t>(p.back());
            break;
        }
        case 6:
            if (vb.type == VbType::integer) {
                row.origin = origin_name(vb.integer);
            } else {
                diag.warn(vb.oid, "expected an INTEGER; value ignored");
            }
            break;
        case 7:
            if (vb.type == VbType::integer) {
                row.status = status_name(vb.integer);
            } else {
                diag.warn(vb.oid, "expected an INTEGER; value ignored");
            }
            break;
        default:
            break;
        }
    }
    std::vector<model::Address> out;
    for (auto& [key, row] : rows) {
        if (row.type && *row.type == 3) {
            continue; // broadcast(3) is not an address of the device
        }
        out.push_back(
            model::Address{key.family, key.text, row.prefix, row.if_index, row.origin, row.status,
                           row.type ? std::optional<bool>(*row.type == 2) : std::nullopt});
    }
    return out;
}

} // namespace

std::vector<model::Address> decode_ip_address_table(const std::vector<VarBind>& vbs,
                                                    Diagnostics& diag) {
    return decode_address_table(vbs, diag, k_ip_address_entry, k_ip_address_prefix_entry);
}

const std::vector<Oid>& cisco_ip_address_columns() {
    static const std::vector<Oid> cols = columns(k_cisco_address_entry, {3, 4, 5, 6, 7});
    return cols;
}

std::vector<model::Address> decode_cisco_ip_address_table(const std::vector<VarBind>& vbs,
                                                          Diagnostics& diag) {
    return decode_address_table(vbs, diag, k_cisco_address_entry, k_cisco_prefix_entry);
}

const std::vector<Oid>& ipv6_addr_columns() {
    static const std::vector<Oid> cols = {
        {1, 3, 6, 1, 2, 1, 55, 1, 8, 1, 2}, // ipv6AddrPfxLength
        {1, 3, 6, 1, 2, 1, 55, 1, 8, 1, 3}, // ipv6AddrType
        {1, 3, 6, 1, 2, 1, 55, 1, 8, 1, 4}, // ipv6AddrAnycastFlag
        {1, 3, 6, 1, 2, 1, 55, 1, 8, 1, 5}, // ipv6AddrStatus
    };
    return cols;
}

std::vector<model::Address> decode_ipv6_addr_table(const std::vector<VarBind>& vbs,
                                                   Diagnostics& diag) {
    // Index: ipv6IfIndex, then the 16 octets of the address (fixed length, no length byte).
    std::map<std::pair<std::uint32_t, std::string>, model::Address> rows;
    std::set<std::pair<std::uint32_t, std::pair<std::uint32_t, std::string>>> seen;
    const std::size_t base = k_ipv6_addr_entry.size();
    for (const auto& vb : vbs) {
        if (!oid_starts_with(vb.oid, k_ipv6_addr_entry) || vb.oid.size() <= base) {
            continue;
        }
        if (absent(vb)) {
            continue;
        }
        const bool bad_index = vb.oid.size() != base + 18 || vb.oid[base + 1] == 0 ||
                               vb.oid[base + 1] > 0x7FFFFFFF ||
                               std::any_of(vb.oid.begin() + static_cast<long>(base) + 2,
                                           vb.oid.end(), [](auto x) { return x > 255; });
        if (bad_index) {
            diag.warn(vb.oid, "malformed ipv6AddrTable index; row ignored");
            continue;
        }
        std::array<std::uint8_t, 16> b{};
        for (std::size_t i = 0; i < 16; ++i) {
            b[i] = static_cast<std::uint8_t>(vb.oid[base + 2 + i]);
        }
        const std::uint32_t if_index = vb.oid[base + 1];
        const auto key = std::make_pair(if_index, model::format_ipv6(b));
        if (!seen.emplace(vb.oid[base], key).second) {
            diag.warn(vb.oid, "duplicate row; ignored");
            continue;
        }
        auto& a = rows[key];
        a.family = model::Family::ipv6;
        a.address = key.second;
        a.if_index = if_index;
        if (vb.oid[base] == 2) {
            if (vb.type == VbType::integer && vb.integer >= 0 && vb.integer <= 128) {
                a.prefix_length = static_cast<std::uint8_t>(vb.integer);
            } else {
                diag.warn(vb.oid, "expected a prefix length (INTEGER 0..128); value ignored");
            }
        } else if (vb.oid[base] == 3) {
            if (vb.type == VbType::integer) {
                a.origin = vb.integer == 1   ? std::optional<std::string>("linklayer")
                           : vb.integer == 2 ? std::optional<std::string>("dhcp")
                                             : std::nullopt;
            } else {
                diag.warn(vb.oid, "expected an INTEGER; value ignored");
            }
        } else if (vb.oid[base] == 4) {
            if (vb.type == VbType::integer && (vb.integer == 1 || vb.integer == 2)) {
                a.anycast = vb.integer == 1;
            } else {
                diag.warn(vb.oid, "expected a TruthValue; value ignored");
            }
        } else if (vb.oid[base] == 5) {
            // preferred(1) deprecated(2) invalid(3) inaccessible(4) unknown(5): IP-MIB's first five
            if (vb.type == VbType::integer && vb.integer >= 1 && vb.integer <= 5) {
                a.status = status_name(vb.integer);
            } else {
                diag.warn(vb.oid, "expected ipv6AddrStatus (INTEGER 1..5); value ignored");
            }
        }
    }
    std::vector<model::Address> out;
    for (auto& [key, a] : rows) {
        out.push_back(std::move(a));
    }
    return out;
}

const std::vector<Oid>& ip_addr_columns() {
    static const std::vector<Oid> cols = {
        {1, 3, 6, 1, 2, 1, 4, 20, 1, 1}, // ipAdEntAddr (some agents have nothing else)
        {1, 3, 6, 1, 2, 1, 4, 20, 1, 2}, // ipAdEntIfIndex
        {1, 3, 6, 1, 2, 1, 4, 20, 1, 3}, // ipAdEntNetMask
    };
    return cols;
}

std::vector<model::Address> decode_ip_addr_table(const std::vector<VarBind>& vbs,
                                                 Diagnostics& diag) {
    std::map<std::string, model::Address> rows;
    std::set<std::pair<std::uint32_t, std::string>> seen;
    const std::size_t base = k_ip_addr_entry.size();
    for (const auto& vb : vbs) {
        if (!oid_starts_with(vb.oid, k_ip_addr_entry) || vb.oid.size() <= base) {
            continue;
        }
        if (absent(vb)) {
            continue;
        }
        if (vb.oid.size() != base + 5 ||
            std::any_of(vb.oid.begin() + static_cast<long>(base) + 1, vb.oid.end(),
                        [](auto x) { return x > 255; })) {
            diag.warn(vb.oid, "malformed ipAddrTable index; row ignored");
            continue;
        }
        std::array<std::uint8_t, 4> a{};
        for (std::size_t i = 0; i < 4; ++i) {
            a[i] = static_cast<std::uint8_t>(vb.oid[base + 1 + i]);
        }
        const std::string text = model::format_ipv4(a);
        const std::uint32_t column = vb.oid[base];
        if (!seen.emplace(column, text).second) {
            diag.warn(vb.oid, "duplicate row; ignored");
            continue;
        }
        auto& addr = rows[text];
        addr.family = model::Family::ipv4;
        addr.address = text;
        if (column == 2) {
            if (vb.type == VbType::integer && vb.integer >= 1 && vb.integer <= 0x7FFFFFFF) {
                addr.if_index = static_cast<std::uint32_t>(vb.integer);
            } else {
                diag.warn(vb.oid, "expected an ifIndex (INTEGER 1..2147483647); value ignored");
            }
        } else if (column == 3) {
            if (vb.type == VbType::ip_address && vb.bytes.size() == 4) {
                std::array<std::uint8_t, 4> m{};
                for (std::size_t i = 0; i < 4; ++i) {
                    m[i] = static_cast<std::uint8_t>(vb.bytes[i]);
                }
                addr.prefix_length = model::netmask_prefix(m);
                if (!addr.prefix_length) {
                    diag.warn(vb.oid, "netmask is not contiguous; prefix length unknown");
                }
            } else {
                diag.warn(vb.oid, "expected an IpAddress; value ignored");
            }
        }
    }
    std::vector<model::Address> out;
    for (auto& [text, addr] : rows) {
        out.push_back(std::move(addr));
    }
    return out;
}

} // namespace netinv::probes::mib
