// SPDX-License-Identifier: Apache-2.0
#include "model/net.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace netinv::model {

std::string format_ipv4(std::span<const std::uint8_t, 4> b) {
    return fmt::format("{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
}

std::string format_ipv6(std::span<const std::uint8_t, 16> b) {
    std::array<unsigned, 8> g{};
    for (std::size_t i = 0; i < 8; ++i) {
        g[i] = (static_cast<unsigned>(b[2 * i]) << 8) | b[2 * i + 1];
    }
    // IPv4-mapped (::ffff:0:0/96) keeps the dotted tail, as RFC 5952 section 5 recommends.
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
        return fmt::format("::ffff:{}.{}.{}.{}", b[12], b[13], b[14], b[15]);
    }
    int best_start = -1;
    int best_len = 0;
    for (int i = 0; i < 8;) {
        if (g[static_cast<std::size_t>(i)] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && g[static_cast<std::size_t>(j)] == 0) {
            ++j;
        }
        if (j - i > best_len) {
            best_start = i;
            best_len = j - i;
        }
        i = j;
    }
    if (best_len < 2) {
        best_start = -1;
    }
    std::string out;
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            out += "::";
            i += best_len - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') {
            out += ':';
        }
        out += fmt::format("{:x}", g[static_cast<std::size_t>(i)]);
    }
    return out;
}

std::optional<std::string> format_mac(std::string_view bytes) {
    if (bytes.size() != 6) {
        return std::nullopt;
    }
    auto u = [&](std::size_t i) {
        return static_cast<unsigned char>(bytes[i]);
    };
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", u(0), u(1), u(2), u(3), u(4),
                       u(5));
}

std::optional<ParsedIp> parse_ip(std::string_view text) {
    if (text.empty() || text.size() > 45 || text.find('\0') != std::string_view::npos) {
        return std::nullopt; // a NUL would cut the text for inet_pton, not refuse it
    }
    const std::string s(text);
    std::array<std::uint8_t, 16> buf{};
    if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
        return ParsedIp{Family::ipv4, format_ipv4(std::span<const std::uint8_t, 4>(buf.data(), 4))};
    }
    if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) {
        return ParsedIp{Family::ipv6, format_ipv6(buf)};
    }
    return std::nullopt;
}

std::optional<std::string_view> never_a_device(const ParsedIp& ip) {
    std::array<std::uint8_t, 16> b{};
    if (ip.family == Family::ipv4) {
        if (inet_pton(AF_INET, ip.canonical.c_str(), b.data()) != 1) {
            return std::nullopt;
        }
        if (b[0] == 0) {
            return "in 0.0.0.0/8, which means this host or network, never a device";
        }
        if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255) {
            return "the limited broadcast address";
        }
        if (b[0] >= 224 && b[0] <= 239) {
            return "a multicast address (224.0.0.0/4)";
        }
        if (b[0] >= 240) {
            return "a reserved address (240.0.0.0/4)";
        }
        return std::nullopt;
    }
    if (inet_pton(AF_INET6, ip.canonical.c_str(), b.data()) != 1) {
        return std::nullopt;
    }
    if (std::ranges::all_of(b, [](std::uint8_t x) { return x == 0; })) {
        return "the unspecified address ::";
    }
    if (b[0] == 0xff) {
        return "a multicast address (ff00::/8)";
    }
    return std::nullopt;
}

bool is_host_name(std::string_view text) {
    if (text.empty() || text.size() > 253) {
        return false;
    }
    std::size_t label = 0;
    char prev = '.';
    for (char c : text) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (c == '.') {
            if (label == 0 || prev == '-') {
                return false;
            }
            label = 0;
        } else if (alnum || (c == '-' && label > 0)) {
            if (++label > 63) {
                return false;
            }
        } else {
            return false;
        }
        prev = c;
    }
    if (prev == '-') {
        return false;
    }
    // A top-level label is never all digits (RFC 3696 section 2): "10.0.0.300" is a mistyped
    // IPv4 address, not a name.
    const std::string_view last =
        text.substr(text.rfind('.') == std::string_view::npos ? 0 : text.rfind('.') + 1);
    return !std::ranges::all_of(last, [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::uint8_t> netmask_prefix(std::span<const std::uint8_t, 4> mask) {
    const std::uint32_t m = (std::uint32_t{mask[0]} << 24) | (std::uint32_t{mask[1]} << 16) |
                            (std::uint32_t{mask[2]} << 8) | mask[3];
    const std::uint32_t inv = ~m;
    if ((inv & (inv + 1)) != 0) {
        return std::nullopt; // ones are not contiguous from the top
    }
    return static_cast<std::uint8_t>(__builtin_popcount(m));
}

std::string format_ipv4(std::uint32_t a) {
    return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

std::expected<Ipv4Range, std::string> parse_ipv4_cidr(std::string_view text) {
    const auto slash = text.find('/');
    const std::string_view host = text.substr(0, slash);
    unsigned prefix = 32;
    if (slash != std::string_view::npos) {
        const std::string_view p = text.substr(slash + 1);
        auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
        if (ec != std::errc{} || end != p.data() + p.size() || p.empty() || prefix > 32) {
            return std::unexpected(fmt::format("invalid prefix length in '{}'", text));
        }
    }
    std::array<std::uint8_t, 4> b{};
    const std::string h(host);
    if (inet_pton(AF_INET, h.c_str(), b.data()) != 1) {
        return std::unexpected(fmt::format("'{}' is not an IPv4 address or CIDR block", text));
    }
    const std::uint32_t a = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                            (std::uint32_t{b[2]} << 8) | b[3];
    const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
    Ipv4Range r;
    r.prefix = static_cast<std::uint8_t>(prefix);
    r.first = a & mask;
    r.last = r.first | ~mask;
    if (prefix < 31) {
        ++r.first; // the network address
        --r.last;  // the broadcast address
    }
    return r;
}

std::expected<IpPrefix, std::string> parse_prefix(std::string_view text) {
    if (text.size() > 50 || text.find('\0') != std::string_view::npos) {
        return std::unexpected("not an IPv4 or IPv6 prefix");
    }
    const auto slash = text.find('/');
    auto ip = parse_ip(text.substr(0, slash));
    if (!ip) {
        return std::unexpected(
            fmt::format("'{}' is not an IPv4 or IPv6 address", text.substr(0, slash)));
    }
    IpPrefix p;
    p.family = ip->family;
    const unsigned max = ip->family == Family::ipv4 ? 32 : 128;
    unsigned length = max;
    if (slash != std::string_view::npos) {
        const std::string_view l = text.substr(slash + 1);
        auto [end, ec] = std::from_chars(l.data(), l.data() + l.size(), length);
        if (ec != std::errc{} || end != l.data() + l.size() || l.empty() || length > max) {
            return std::unexpected(
                fmt::format("the prefix length of '{}' is not 0 to {}", text, max));
        }
    }
    p.length = static_cast<std::uint8_t>(length);
    const std::string host(ip->canonical);
    inet_pton(ip->family == Family::ipv4 ? AF_INET : AF_INET6, host.c_str(), p.bytes.data());
    std::array<std::uint8_t, 16> masked = p.bytes;
    for (unsigned bit = length; bit < max; ++bit) {
        masked[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
    }
    const std::string net = ip->family == Family::ipv4
                                ? format_ipv4(std::span<const std::uint8_t, 4>(masked.data(), 4))
                                : format_ipv6(masked);
    if (masked != p.bytes) {
        return std::unexpected(
            fmt::format("'{}' has host bits set: the prefix is {}/{}", text, net, length));
    }
    p.text = fmt::format("{}/{}", net, length);
    return p;
}

bool prefix_contains(const IpPrefix& prefix, std::string_view address) {
    auto ip = parse_ip(address.substr(0, address.find('%')));
    if (!ip || ip->family != prefix.family) {
        return false;
    }
    std::array<std::uint8_t, 16> b{};
    const std::string s(ip->canonical);
    inet_pton(ip->family == Family::ipv4 ? AF_INET : AF_INET6, s.c_str(), b.data());
    for (unsigned bit = 0; bit < prefix.length; ++bit) {
        const auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
        if ((b[bit / 8] & mask) != (prefix.bytes[bit / 8] & mask)) {
            return false;
        }
    }
    return true;
}

} // namespace netinv::model
