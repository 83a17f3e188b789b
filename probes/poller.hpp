// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"
#include "model/device.hpp"

namespace netinv::probes {

// One device to poll. `transport`, when set, is a net-snmp transport specification used as is
// (e.g. "udp6:[::1]:1161"); otherwise one is made from address and port.
struct PollSpec {
    std::string name;
    std::string address;
    std::uint16_t port = 161;
    std::optional<std::string> transport;
    model::Credential credential;
    int timeout_ms = 1000;
    int retries = 2;
    std::optional<std::string> site;
    std::optional<std::string> role;
};

struct PollResult {
    model::TargetOutcome outcome;
    std::optional<model::Device> device; // set when outcome is ok
    std::vector<std::string> warnings;   // "HOST: OID: message"
};

// Polls one device: the system group, interfaces and IP addresses. Never throws for anything the
// agent or the network does; those become the outcome and warnings.
PollResult poll_device(const PollSpec& spec);

// An ADDRESS as the `probe` command takes it: IPv4, [IPv6] or bare IPv6, host name, each with an
// optional :PORT (IPv6 only in brackets), or a net-snmp transport such as "udp6:[::1]:1161".
struct ProbeAddress {
    std::string address;
    std::optional<std::uint16_t> port;
    std::optional<std::string> transport;
};
std::expected<ProbeAddress, std::string> parse_probe_address(std::string_view text);

// The net-snmp transport specification for an address and port. Host names are resolved here
// (IPv4 or IPv6, so a name with only an AAAA record works); the error names the address.
std::expected<std::string, std::string> transport_for(const std::string& address,
                                                      std::uint16_t port);

} // namespace netinv::probes
