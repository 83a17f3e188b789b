// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/device.hpp"

namespace netinv::model {

// Dotted-quad text of 4 bytes.
std::string format_ipv4(std::span<const std::uint8_t, 4> b);
// RFC 5952 text of 16 bytes: lower case, longest run (first on a tie) of two or more zero groups
// as "::", leading zeros dropped, IPv4-mapped addresses as ::ffff:a.b.c.d.
std::string format_ipv6(std::span<const std::uint8_t, 16> b);
// aa:bb:cc:dd:ee:ff; nullopt unless exactly 6 bytes (tunnels and loopbacks have none).
std::optional<std::string> format_mac(std::string_view bytes);

struct ParsedIp {
    Family family;
    std::string canonical; // format_ipv4 / format_ipv6 of the parsed bytes
};
// Parses an IPv4 dotted quad or IPv6 text (no brackets, no zone); nullopt when it is neither.
std::optional<ParsedIp> parse_ip(std::string_view text);
// Why an address can never be an SNMP agent to poll (unspecified, 0.0.0.0/8, limited
// broadcast, multicast, 240.0.0.0/4), or nullopt. Loopback is allowed.
std::optional<std::string_view> never_a_device(const ParsedIp& ip);

// True for an RFC 1123 host name (letters, digits, hyphens, dots; labels 1-63, total <= 253)
// whose last label is not all digits.
bool is_host_name(std::string_view text);

// Number of contiguous one bits of an IPv4 netmask, or nullopt when the mask is not contiguous.
std::optional<std::uint8_t> netmask_prefix(std::span<const std::uint8_t, 4> mask);

// The host addresses of an IPv4 CIDR block ("10.30.1.0/24"): network and broadcast addresses
// are left out below /31. A plain address is a /32.
struct Ipv4Range {
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    std::uint8_t prefix = 32;
    std::uint64_t size() const { return std::uint64_t{last} - first + 1; }
};
std::expected<Ipv4Range, std::string> parse_ipv4_cidr(std::string_view text);
std::string format_ipv4(std::uint32_t address);

// An IPv4 or IPv6 prefix ("10.20.0.0/22", "2001:db8:1::/48"), for assigning addresses to sites.
struct IpPrefix {
    Family family = Family::ipv4;
    std::array<std::uint8_t, 16> bytes{}; // IPv4 in the first 4
    std::uint8_t length = 0;
    std::string text; // canonical: address text / length
    bool operator==(const IpPrefix&) const = default;
};
// Parses ADDRESS/LENGTH (a plain address is a host prefix); refuses host bits set below the
// length ("10.20.1.5/24" is a typo more often than a prefix) with the prefix it means.
std::expected<IpPrefix, std::string> parse_prefix(std::string_view text);
// True when `address` (IPv4 or IPv6 text) lies in `prefix`.
bool prefix_contains(const IpPrefix& prefix, std::string_view address);

} // namespace netinv::model
