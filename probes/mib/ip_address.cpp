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

struct Key {
    model::Family family;
    std::string text;
    auto operator<=>(const Key&) const = default;
};

struct Row {
    std::optional<std::uint32_t> if_index;
    std::optional<std::uint8_t> prefix;
    std::optional<std::string> origin;
    std::optional<std::int64_t> type;
};

// Parses the InetAddressType + InetAddress index that follows the column sub-identifier.
std::optional<Key> parse_index(const Oid& oid, std::size_t pos) {
    if (pos >= oid.size()) {
        return std::nullopt;
    }
    const std::uint32_t type = oid[pos++];
    std::size_t addr_len = 0;
    std::size_t zone_len = 0;
    switch (type) {
    case 1:
        addr_len = 4;
        break;
    case 2:
        addr_len = 16;
        break;
    case 3:
        addr_len = 4;
        zone_len = 4;
        break;
    case 4:
        addr_len = 16;
        zone_len = 4;
        break;
    default:
        return std::nullopt;
    }
    const std::size_t total = addr_len + zone_len;
    std::size_t remaining = oid.size() - pos;
    if (remaining == total + 1 && oid[pos] == total) {
        ++pos; // the length sub-identifier, as RFC 4293 encodes it
    } else if (remaining != total) {
        return std::nullopt;
    }
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < addr_len; ++i) {
        if (oid[pos + i] > 255) {
            return std::nullopt;
        }
        bytes[i] = static_cast<std::uint8_t>(oid[pos + i]);
    }
    for (std::size_t i = 0; i < zone_len; ++i) {
        if (oid[pos + addr_len + i] > 255) {
            return std::nullopt;
        }
    }
    if (addr_len == 4) {
        return Key{model::Family::ipv4,
                   model::format_ipv4(std::span<const std::uint8_t, 4>(bytes.data(), 4))};
    }
    return Key{model::Family::ipv6, model::format_ipv6(bytes)};
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
    static const std::vector<Oid> cols = [] {
        std::vector<Oid> c;
        for (std::uint32_t col : {3u, 4u, 5u, 6u}) { // ifIndex, type, prefix, origin
            Oid o = k_ip_address_entry;
            o.push_back(col);
            c.push_back(o);
        }
        return c;
    }();
    return cols;
}

std::vector<model::Address> decode_ip_address_table(const std::vector<VarBind>& vbs,
                                                    Diagnostics& diag) {
    std::map<Key, Row> rows;
    std::set<std::pair<std::uint32_t, Key>> seen;
    const std::size_t base = k_ip_address_entry.size();
    for (const auto& vb : vbs) {
        if (!oid_starts_with(vb.oid, k_ip_address_entry) || vb.oid.size() <= base + 1) {
            continue;
        }
        if (vb.type == VbType::no_such_object || vb.type == VbType::no_such_instance ||
            vb.type == VbType::end_of_mib_view) {
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
            if (!oid_starts_with(p, k_ip_address_prefix_entry) || p.back() > max) {
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
        default:
            break;
        }
    }
    std::vector<model::Address> out;
    for (auto& [key, row] : rows) {
        if (row.type && *row.type == 3) {
            continue; // broadcast(3) is not an address of the device
        }
        out.push_back(model::Address{key.family, key.text, row.prefix, row.if_index, row.origin});
    }
    return out;
}

const std::vector<Oid>& ip_addr_columns() {
    static const std::vector<Oid> cols = {
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
        if (vb.type == VbType::no_such_object || vb.type == VbType::no_such_instance ||
            vb.type == VbType::end_of_mib_view) {
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
