// SPDX-License-Identifier: Apache-2.0
#pragma once

// IPv6 readiness: address scopes, the per-device checklist (common C01-C08, hosts H01-H05,
// routers R01-R09, L2 switches S01-S05, firewalls F01-F05, commune CPEs P01-P09), readiness
// levels L0-L5 and scores per device, site, district and province. The checks, their evidence
// and severities are listed in docs/ipv6.md. Pure:
// everything comes from the Device values of one scan, and of the scan before it for counters.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"
#include "model/device.hpp"
#include "model/message.hpp"

namespace netinv::model {

// The class of an IPv6 address (IANA special-purpose registry; the longest match wins).
enum class Scope : std::uint8_t {
    unspecified,
    loopback,
    ipv4_mapped,   // ::ffff:0:0/96 and the deprecated IPv4-compatible ::/96
    link_local,    // fe80::/10
    site_local,    // fec0::/10, deprecated by RFC 3879
    ula,           // fc00::/7
    global,        // 2000::/3 outside the ranges below
    documentation, // 2001:db8::/32 and 3fff::/20
    six_to_four,   // 2002::/16
    teredo,        // 2001::/32
    nat64,         // 64:ff9b::/96
    multicast,     // ff00::/8
    reserved,      // anything else (not assigned for unicast)
};
std::string_view to_string(Scope s);
// nullopt when `address` is not IPv6 text. A %zone suffix is ignored.
std::optional<Scope> classify_ipv6(std::string_view address);

enum class CheckStatus : std::uint8_t { pass, partial, fail, unknown, not_applicable };
std::string_view to_string(CheckStatus s); // "pass", "partial", "fail", "unknown", "n/a"

// Weights of §5: critical 5, high 3, medium 2, low 1.
enum class Severity : std::uint8_t { low = 1, medium = 2, high = 3, critical = 5 };
std::string_view to_string(Severity s);

// Which checklist a device gets, from its role.
enum class RoleClass : std::uint8_t { host, router, l2_switch, firewall, cpe, other };
std::string_view to_string(RoleClass c);
RoleClass role_class(const std::optional<std::string>& role);

struct Check {
    std::string_view id;
    const char* title = ""; // English, the gettext msgid (report/ translates it)
    Severity severity = Severity::low;
    CheckStatus status = CheckStatus::unknown;
    double ratio = 0;              // for partial: the measured share (0..1)
    Message finding;               // what was seen, one line
    std::string mib;               // the MIB the evidence came from, or ""
    std::vector<Message> evidence; // "OID = value", or what was missing
    const char* remediation = "";  // English, the gettext msgid
};

struct DeviceReadiness {
    std::string device;
    std::optional<std::string> site;
    RoleClass role_class = RoleClass::other;
    std::vector<Check> checks; // in checklist order
    std::optional<int> level;  // L0-L5; nullopt when C01 itself is unknown
    double score = 0;          // Σ w·s / Σ w over evaluated checks (0..1)
    double coverage = 0;       // evaluated weight / applicable weight
    bool insufficient = false; // coverage < 0.6: not ranked
    const Check* find(std::string_view id) const;
};

// A previous poll of the same device, for the counter checks (C07, R08, R09, F03, P07).
struct EarlierSample {
    const Device* device = nullptr;
    std::int64_t seconds_before = 0; // scan start to scan start
};

// The checklist of one device. `earlier` is the same device in the previous complete scan.
DeviceReadiness assess(const Device& device, const Ipv6Policy& policy,
                       std::optional<EarlierSample> earlier = std::nullopt);

// True when `address` (IPv6 text) lies inside `cidr` ("2405:4800:30::/48").
bool ipv6_in_prefix(std::string_view address, std::string_view cidr);

// The address to poll the device over IPv6 for C06: a usable, preferred address inside the
// policy's management prefixes (loopbacks first); nullopt when there is none.
std::optional<std::string> management_candidate(const Device& device, const Ipv6Policy& policy);

// Usable beyond the link under `policy`: global unicast, or ULA when policy allows it.
bool usable_scope(Scope s, const Ipv6Policy& policy);

enum class SiteStatus : std::uint8_t { ready, partial, not_started, no_data };
std::string_view to_string(SiteStatus s);

struct SiteReadiness {
    std::string code;
    std::string name;
    std::optional<std::string> district;     // code of the site it rolls up to (`by`)
    std::uint32_t devices = 0;               // devices that answered
    std::array<std::uint32_t, 6> by_level{}; // devices at L0..L5
    std::uint32_t unrated = 0;               // level unknown
    std::optional<std::string> edge;         // the edge device's name
    std::optional<bool> edge_default_route;  // R04/F02/P04 on the edge device
    double share_l2 = 0;                     // devices at L2 or above / devices
    double mean_score = 0;
    SiteStatus status = SiteStatus::no_data;
};

struct BlockingCheck {
    std::string id;
    std::uint32_t fails = 0;
    std::uint32_t weight = 0; // fails × severity weight
};

// Which checks a work list shows: those of `statuses` (none given: what needs doing or checking
// by hand, i.e. fail, partial and unknown; `all`: every status), of at least `min_severity`.
struct CheckFilter {
    std::vector<CheckStatus> statuses;
    Severity min_severity = Severity::low;
    bool all = false;
};
bool selected(const Check& c, const CheckFilter& f);
std::optional<CheckStatus> check_status_from_string(std::string_view s); // "n/a" or "na" too
std::optional<Severity> severity_from_string(std::string_view s);

// The work list by what to do: one group per check that has selected results, the most severe
// first, then the one on most devices; within a group, devices by status, then name.
struct ActionGroup {
    std::string_view id;
    Severity severity = Severity::low;
    std::vector<std::pair<const DeviceReadiness*, const Check*>> devices;
};

struct Ipv6Summary {
    std::vector<DeviceReadiness> devices;
    std::vector<SiteReadiness> sites; // configuration order, sites with targets only
    // Districts: the district site and everything under it, in the same shape.
    std::vector<SiteReadiness> districts;
    SiteReadiness province;                         // every device
    std::array<std::uint32_t, 4> sites_by_status{}; // ready, partial, not started, no data
    double mean_coverage = 0;
    std::vector<BlockingCheck> blocking; // by weight, heaviest first
    double wan_conversion = 0;           // commune/district CPEs and routers at L3+
    double dc_conversion = 0;            // data-centre servers at L4+
};

std::vector<ActionGroup> group_by_action(const Ipv6Summary& s, const CheckFilter& f);

// Assesses every device and rolls the results up. `earlier` holds the previous complete
// scan's devices (may be empty) and how many seconds before this one it started.
// `by` names the site kind to roll up by (`districts` holds one row per site of that kind,
// or of the former structure for reorganised sites).
Ipv6Summary summarize_ipv6(const Config& config, const std::vector<Device>& devices,
                           const std::vector<Device>& earlier, std::int64_t seconds_between,
                           const std::string& by = "district");

} // namespace netinv::model
