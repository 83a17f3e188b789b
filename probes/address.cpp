// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>

#include <charconv>
#include <memory>

#include "model/net.hpp"
#include "probes/poller.hpp"

namespace netinv::probes {

namespace {

std::optional<std::uint16_t> parse_port(std::string_view s) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v == 0 || v > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(v);
}

} // namespace

namespace {
std::expected<ProbeAddress, std::string> parse_probe_address_text(std::string_view text);
}

std::expected<ProbeAddress, std::string> parse_probe_address(std::string_view text) {
    auto a = parse_probe_address_text(text);
    if (a) {
        if (auto ip = model::parse_ip(a->address)) {
            if (auto why = model::never_a_device(*ip)) {
                return std::unexpected(
                    fmt::format("invalid address '{}': {}", ip->canonical, *why));
            }
        }
    }
    return a;
}

namespace {
std::expected<ProbeAddress, std::string> parse_probe_address_text(std::string_view text) {
    auto bad = [&](std::string_view why) {
        return std::unexpected(fmt::format("invalid address '{}': {}", text, why));
    };
    if (text.empty()) {
        return bad("empty");
    }
    for (std::string_view t : {"udp:", "udp6:", "udpv6:", "udpipv6:"}) {
        if (text.starts_with(t)) {
            // A net-snmp transport: used as given; its address part names the device.
            auto inner = parse_probe_address_text(text.substr(t.size()));
            if (!inner || inner->transport) {
                return bad("not a valid net-snmp transport address");
            }
            inner->transport = std::string(text);
            return inner;
        }
    }
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos) {
            return bad("missing ']'");
        }
        auto ip = model::parse_ip(text.substr(1, close - 1));
        if (!ip || ip->family != model::Family::ipv6) {
            return bad("not an IPv6 address inside the brackets");
        }
        ProbeAddress a{ip->canonical, std::nullopt, std::nullopt};
        const std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (!rest.starts_with(':') || !(a.port = parse_port(rest.substr(1)))) {
                return bad("the port must be a number from 1 to 65535");
            }
        }
        return a;
    }
    if (auto ip = model::parse_ip(text)) {
        return ProbeAddress{ip->canonical, std::nullopt, std::nullopt};
    }
    std::string_view host = text;
    std::optional<std::uint16_t> port;
    if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
        if (text.find(':') != colon) {
            return bad("an IPv6 address with a port goes in brackets: [ADDRESS]:PORT");
        }
        host = text.substr(0, colon);
        port = parse_port(text.substr(colon + 1));
        if (!port) {
            return bad("the port must be a number from 1 to 65535");
        }
    }
    if (auto ip = model::parse_ip(host)) {
        return ProbeAddress{ip->canonical, port, std::nullopt};
    }
    if (!model::is_host_name(host)) {
        return bad("not an IPv4 address, IPv6 address or host name");
    }
    return ProbeAddress{std::string(host), port, std::nullopt};
}

} // namespace

std::expected<std::string, std::string> transport_for(const std::string& address,
                                                      std::uint16_t port) {
    if (auto ip = model::parse_ip(address)) {
        return ip->family == model::Family::ipv6 ? fmt::format("udp6:[{}]:{}", ip->canonical, port)
                                                 : fmt::format("udp:{}:{}", ip->canonical, port);
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* res = nullptr;
    const int rc = ::getaddrinfo(address.c_str(), nullptr, &hints, &res);
    if (rc != 0 || res == nullptr) {
        return std::unexpected(
            fmt::format("{}: cannot resolve host name: {}", address, ::gai_strerror(rc)));
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(res, &::freeaddrinfo);
    char host[NI_MAXHOST];
    // Prefer the first IPv4 answer (what most agents listen on), else the first IPv6 one.
    const addrinfo* pick = res;
    for (const addrinfo* a = res; a; a = a->ai_next) {
        if (a->ai_family == AF_INET) {
            pick = a;
            break;
        }
    }
    if (::getnameinfo(pick->ai_addr, pick->ai_addrlen, host, sizeof host, nullptr, 0,
                      NI_NUMERICHOST) != 0) {
        return std::unexpected(fmt::format("{}: cannot resolve host name", address));
    }
    return pick->ai_family == AF_INET6 ? fmt::format("udp6:[{}]:{}", host, port)
                                       : fmt::format("udp:{}:{}", host, port);
}

} // namespace netinv::probes
