// SPDX-License-Identifier: Apache-2.0
//
// InetAddress (RFC 4001) in table indexes, shared by every decoder that meets one: an
// InetAddressType, then the octets. ipv4(1) has 4, ipv6(2) 16, ipv4z(3) 8 and ipv6z(4) 20: the
// address, then a 4-octet zone index in network order (IPV6.md 2.3: fe80::1%5 is 20 octets).
// The zone stays out of the address text: the row's ifIndex (or the zone itself) says which
// link a link-local address is on.
#include <array>

#include "model/net.hpp"
#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

std::optional<InetAddress> inet_address(const Oid& oid, std::size_t pos, std::uint32_t type,
                                        std::size_t len) {
    if (pos > oid.size() || len > oid.size() - pos) {
        return std::nullopt;
    }
    std::size_t addr_len = 0;
    switch (type) {
    case 1:
        addr_len = 4;
        break;
    case 2:
        addr_len = 16;
        break;
    case 3:
        addr_len = 4;
        break;
    case 4:
        addr_len = 16;
        break;
    default:
        return std::nullopt;
    }
    const bool zoned = type == 3 || type == 4;
    // A zoned type written without its zone is accepted (Cisco ASA writes ipv6z with 16).
    if (len != addr_len && !(zoned && len == addr_len + 4)) {
        return std::nullopt;
    }
    std::array<std::uint8_t, 20> b{};
    for (std::size_t i = 0; i < len; ++i) {
        if (oid[pos + i] > 255) {
            return std::nullopt;
        }
        b[i] = static_cast<std::uint8_t>(oid[pos + i]);
    }
    InetAddress out;
    if (len == addr_len + 4) {
        out.zone = (std::uint32_t{b[addr_len]} << 24) | (std::uint32_t{b[addr_len + 1]} << 16) |
                   (std::uint32_t{b[addr_len + 2]} << 8) | b[addr_len + 3];
    }
    if (addr_len == 4) {
        out.family = model::Family::ipv4;
        out.text = model::format_ipv4(std::span<const std::uint8_t, 4>(b.data(), 4));
    } else {
        out.family = model::Family::ipv6;
        out.text = model::format_ipv6(std::span<const std::uint8_t, 16>(b.data(), 16));
    }
    return out;
}

std::optional<InetAddress> inet_address_by_length(const Oid& oid, std::size_t pos,
                                                  std::size_t len) {
    switch (len) {
    case 4:
        return inet_address(oid, pos, 1, len);
    case 8:
        return inet_address(oid, pos, 3, len);
    case 16:
        return inet_address(oid, pos, 2, len);
    case 20:
        return inet_address(oid, pos, 4, len);
    default:
        return std::nullopt;
    }
}

} // namespace netinv::probes::mib
