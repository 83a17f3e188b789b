// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"
#include "model/device.hpp"
#include "model/identity.hpp"
#include "probes/varbind.hpp"

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
    bool identity_only = false; // the system group only, no table walks (discovery)
    // Identity rules (data/identity.toml and the administrator's); none: no identity beyond
    // the system group.
    std::shared_ptr<const model::IdentityRules> identity_rules;
    // What an earlier scan learned: the GETBULK max-repetitions that worked. (Not named
    // "max_repetitions": net-snmp's headers #define that name.)
    std::optional<int> bulk_repetitions;
    // The round-trip time an earlier scan measured (RFC 6298's SRTT and RTTVAR): the first
    // retransmission timeout starts from it instead of timeout_ms.
    std::optional<int> srtt_us;
    std::optional<int> rttvar_us;
};

struct PollResult {
    model::TargetOutcome outcome;
    std::optional<model::Device> device;  // set when outcome is ok
    std::vector<std::string> warnings;    // "HOST: OID: message"
    std::uint64_t varbinds = 0;           // varbinds received from the agent
    std::optional<int> bulk_repetitions;  // what worked this time, for the next scan
    std::optional<std::string> engine_id; // the SNMPv3 engine ID, for the next scan
    std::optional<int> srtt_us;           // the round-trip time measured, for the next scan
    std::optional<int> rttvar_us;
    int retransmissions = 0; // requests sent again after their timeout
};

// How the engine runs a scan.
struct EngineOptions {
    // Requests in flight at once, over all devices (each device has at most three): the most
    // the congestion window opens to. First requests to devices not heard from yet have a
    // window of their own (32, growing with first answers up to this) and stop counting once
    // overdue: targets that do not answer wait out their timeouts without holding the scan
    // back.
    int concurrency = 32;
    // Devices polled at once (each holds a socket, net-snmp's session and its walks' state):
    // 0 means 16 per place of `concurrency` (a far target's request holds 1/16 of a place, so
    // no more could ever be busy at once), within the open-files limit, which poll_many
    // raises to its hard limit.
    int max_sessions = 0;
    // Memory the decoded-to-be replies of the devices in progress may hold: per device and
    // over the whole scan. A walk that would pass either ends, with a warning naming the cap.
    std::size_t device_memory_bytes = std::size_t{32} << 20;
    std::size_t scan_memory_bytes = std::size_t{64} << 20;
    // Wall-clock budget per device (a core router with 20,000 interfaces stops here with a
    // partial result and a warning, rather than stalling the scan).
    int device_budget_ms = 120'000;
    // Asked between events; when it returns true the scan stops: devices in progress are
    // dropped (not reported), finished ones were already reported.
    std::function<bool()> stop_requested;
    // Called after each device finishes, with (done, total, failed) so far.
    std::function<void(std::size_t, std::size_t, std::size_t)> on_progress;
    // Called between events, at least every 200 ms however quiet the scan (the caller's
    // timers: committing what it stored).
    std::function<void()> on_tick;
    // Set when the scan could not go on for a reason of this machine's (no file descriptor,
    // no buffer space) that waiting for other devices did not cure: poll_many then returns
    // false and the devices not yet polled are not reported. Such a failure is never a
    // device's outcome.
    std::string* local_error = nullptr;
};

// Polls every spec concurrently from one event loop and calls `on_result` once per device as
// soon as it is finished (in completion order). Never throws for anything an agent or the
// network does; those become outcomes and warnings. Returns false when stopped early (by
// stop_requested, or a local failure: see EngineOptions::local_error).
bool poll_many(const std::vector<PollSpec>& specs, const EngineOptions& options,
               const std::function<void(PollResult&&)>& on_result);

// Polls one device: the system group, interfaces and IP addresses.
PollResult poll_device(const PollSpec& spec);

// A device from a capture of its walk (probes/capture.hpp, in OID order), as polling it would
// have found it: the GETs and walks a poll makes, in its order and with its fallbacks, are
// answered from the capture, and decoded by the same decoders. Polling-only checks (the
// system group again over IPv6, checklist C06) stay unknown. outcome error when the capture
// holds no system group.
PollResult decode_capture(const PollSpec& spec, const std::vector<VarBind>& capture);

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
