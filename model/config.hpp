// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/net.hpp"

namespace netinv::model {

struct IdentityRules;

enum class SnmpVersion : std::uint8_t { v1, v2c, v3 };
// MD5 and DES are weak (RFC 3414's originals); they are accepted for legacy devices, with a
// warning. Order is by strength, for is_weak().
enum class AuthProto : std::uint8_t { none, md5, sha, sha224, sha256, sha384, sha512 };
enum class PrivProto : std::uint8_t { none, des, aes, aes192, aes256 };
constexpr bool is_weak(AuthProto p) {
    return p == AuthProto::md5;
}
constexpr bool is_weak(PrivProto p) {
    return p == PrivProto::des;
}

std::optional<SnmpVersion> snmp_version_from_string(std::string_view s); // "1", "2c", "3"
// Protocol names as administrators type them, in netinv's spelling or net-snmp's, any case:
// "sha256", "SHA-256", "SHA256"; "sha" and "SHA1" are SHA-1; "aes", "AES128", "AES-128".
std::optional<AuthProto> auth_proto_from_string(std::string_view s);
std::optional<PrivProto> priv_proto_from_string(std::string_view s);
// The names auth_proto_from_string and priv_proto_from_string take, for messages.
inline constexpr std::string_view k_auth_proto_names = "md5, sha, sha224, sha256, sha384, sha512";
inline constexpr std::string_view k_priv_proto_names = "des, aes, aes192, aes256, none";
std::string_view to_string(SnmpVersion v);
std::string_view to_string(AuthProto p);
std::string_view to_string(PrivProto p);

// A secret (community or passphrase). It has no formatter and no stream operator on purpose, so
// it cannot end up in a log line or a report by accident; only the SNMP layer calls reveal().
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : m_value(std::move(value)) {}
    const std::string& reveal() const { return m_value; }
    bool empty() const { return m_value.empty(); }

private:
    std::string m_value;
};

// How to talk to an agent. Timeouts are per request; retries are extra tries after the first.
struct Credential {
    std::string name;
    SnmpVersion version = SnmpVersion::v2c;
    Secret community; // v1 / v2c
    std::string user; // v3
    AuthProto auth = AuthProto::none;
    Secret auth_secret;
    PrivProto priv = PrivProto::none;
    Secret priv_secret;
    std::string context; // SNMPv3 contextName ("" the default context)
    std::optional<int> timeout_ms;
    std::optional<int> retries;
};

// A kind of site ([[site_kind]] in inventory.toml; the six of the 2021 province when the
// configuration names none, see k_default_site_kinds). Kinds are data: the tree may be any
// depth with any kinds (a two-tier city: city, commune, hospital, school, ...).
struct SiteKindDef {
    std::string name;     // "commune"
    std::string label;    // for people, English ("Commune")
    std::string label_vi; // Vietnamese ("Xã, phường, thị trấn")
    // Where the TSLCD uplink of its sites goes: "parent" (the nearest site above that has a
    // router) or the name of a kind (the first site of that kind with a router, e.g.
    // "datacenter"). A site's own `upstream` overrides it.
    std::string uplink_to = "parent";
};

// The kinds of the province as plan 4001/KH-UBND (2021) describes it: `police` is a district
// police one-stop desk (plan project 53), `datacenter` the provincial data centre.
std::vector<SiteKindDef> default_site_kinds();

struct Site {
    std::string code;   // GSO code for the province, districts and communes; a short slug otherwise
    std::string name;   // Vietnamese, UTF-8 NFC, exact
    std::string kind;   // one of Config::site_kinds
    std::string parent; // code of the parent site; empty for the root
    std::optional<std::string> type; // the administrative type ("Huyện", "Phường", ...), if any
    std::vector<std::string> tags = {};
    // Codes of the units it was formed from (a reorganisation: communes merged, a district
    // level abolished), so that reports can roll up by the former structure too.
    std::vector<std::string> formerly = {};
    // What the administrator knows better than heuristics: the uplink interface (matched with
    // ifName, ifDescr or ifAlias), the upstream (a target name or a site code) and the
    // contracted bandwidth, which overrides an objective's min_mbps for this site.
    std::optional<std::string> uplink = std::nullopt;
    std::optional<std::string> upstream = std::nullopt;
    std::optional<std::uint64_t> bandwidth_bps = std::nullopt;
    // The address blocks of the site, for `discover`: an address belongs to the site with the
    // longest prefix that holds it.
    std::vector<IpPrefix> prefixes = {};
};

// Objectives of the plan, in three kinds (see netinv(1), inventory.toml(5)):
// count: devices matching `select` >= at_least;
// coverage: sites of `site_kinds` where `condition` holds >= percent;
// ratio: devices matching `select` for which `condition` holds >= percent.
enum class ObjectiveKind : std::uint8_t { count, coverage, ratio };
std::string_view to_string(ObjectiveKind k);

// Device selector: every non-empty field must match.
struct Selector {
    std::vector<std::string> roles;
    std::vector<std::string> site_kinds;
    std::optional<std::string> subtree; // site code: that site and everything under it
    std::vector<std::string> vendors;
    std::vector<std::string> tags; // any of them, on the target or on its site or a site above
};

struct Objective {
    std::string id;
    ObjectiveKind kind = ObjectiveKind::count;
    std::string text;    // English
    std::string text_vi; // Vietnamese
    Selector select;
    std::vector<std::string> site_kinds;  // coverage
    std::vector<std::string> site_tags;   // coverage: sites with any of these tags
    std::string condition;                // coverage, ratio; one of k_conditions
    double at_least = 0;                  // count: devices; coverage and ratio: percent
    std::optional<std::uint64_t> min_bps; // tslcd-uplink: the planned bandwidth
    std::optional<int> min_level;         // ipv6-level: L0-L5
    std::optional<std::string> deadline;  // YYYY-MM-DD; unmet after it: overdue
    std::optional<std::string> phase;     // free text ("2021", "giai đoạn 2")
};

// Conditions an objective may test.
inline constexpr std::array<std::string_view, 7> k_conditions = {
    "tslcd-uplink", "lan", "firewall", "dual-stack", "ipv6-global", "reachable", "ipv6-level"};

// Amounts are in millions of VND, so the plan's sums (billions with two decimals) are exact.
struct Funding {
    std::int64_t provincial_recurrent = 0;  // Ngân sách tỉnh, vốn sự nghiệp
    std::int64_t provincial_investment = 0; // Ngân sách tỉnh, vốn đầu tư phát triển
    std::int64_t central = 0;               // Ngân sách Trung ương
    std::int64_t own_revenue = 0;           // Nguồn thu tại đơn vị
};

struct Project {
    int number = 0;
    std::string name;     // Vietnamese, exact
    std::string owner;    // Đơn vị chủ trì
    std::string partners; // Đơn vị phối hợp
    std::int64_t budget_million = 0;
    Funding funding;
    std::string notes;
    std::vector<std::string> objectives; // ids of the objectives it serves
};

struct Plan {
    std::string id;    // "4001/KH-UBND"
    std::string title; // Vietnamese
    int year = 0;
    std::int64_t total_budget_million = 0; // as the plan states it; checked against the sum
    std::vector<Objective> objectives;
    std::vector<Project> projects;
};

// What to poll. `address` is an IPv4 or IPv6 address (canonical text) or a host name.
struct Target {
    std::string name;
    std::string address;
    std::uint16_t port = 161;
    std::optional<std::string> site;
    std::optional<std::string> role;
    std::string credential; // the first of `credentials`: its timeouts are the target's
    // The credentials to try, in order (at least one): a scan tries the one that answered
    // last time first, then the others (see netinv(1), scan).
    std::vector<std::string> credentials;
    std::optional<int> timeout_ms;
    std::optional<int> retries;
    std::vector<std::string> tags;
    int line = 0; // where the target was defined, for messages
};

// The [ipv6] table: what the IPv6 checklist takes as policy, and where netinv may poll devices
// over their own IPv6 addresses (checklist C06).
struct Ipv6Policy {
    bool ula_usable = true; // ULA counts as "addressed" (an isolated government WAN)
    // Prefixes of the province's assignment (e.g. "2405:4800:30::/48"): a global address
    // outside them is named in check C05's finding. Empty: not checked.
    std::vector<std::string> plan_prefixes;
    // CPE models approved for the WAN (QCVN 90:2015): a model name or a sysObjectID prefix.
    std::vector<std::string> approved_cpe;
    // Prefixes the NMS can reach over IPv6. A scan polls a device over its own usable IPv6
    // address only inside these; empty means never (C06 is then unknown unless the target's
    // own address is IPv6).
    std::vector<std::string> management_prefixes;
};

struct Config {
    std::string path; // the file it came from, for messages
    int timeout_ms = 1000;
    int retries = 2;
    std::uint16_t port = 161;
    std::vector<Credential> credentials;
    std::vector<Target> targets;
    std::vector<SiteKindDef> site_kinds; // never empty once loaded
    std::vector<Site> sites;             // parents before children; the first is the root
    // The structure before a reorganisation (a [[site_table]] with `former = true`): not
    // polled, not reported as sites; what `formerly` codes name, for roll-ups by either tree.
    std::vector<Site> former_sites;
    std::optional<Plan> plan;
    Ipv6Policy ipv6;
    // Identity rules: the administrator's file (`identity_rules`), then the shipped ones.
    std::shared_ptr<const IdentityRules> identity_rules;
    // The time zone every local time and date netinv shows is in (`time_zone`): the
    // province's, whatever the server's clock is set to.
    std::string time_zone = "Asia/Ho_Chi_Minh";
    // `db`: the database, when the configuration names one (--db and $NETINV_DB come first).
    std::optional<std::string> db = std::nullopt;

    // The credential named `name`, or nullptr.
    const Credential* find_credential(std::string_view name) const;
    // The target named `name`, or nullptr.
    const Target* find_target(std::string_view name) const;
    // The site with code `code`, or nullptr.
    const Site* find_site(std::string_view code) const;
    // The kind named `name`, or nullptr.
    const SiteKindDef* find_kind(std::string_view name) const;
    // The site whose `prefixes` hold `address` most specifically, or nullptr.
    const Site* site_for_address(std::string_view address) const;
};

// The parent of `site`, or nullptr for the root.
const Site* parent_of(const Config& c, const Site& site);
// `site` itself or the nearest site above it of kind `kind`; nullptr when there is none.
const Site* ancestor_of_kind(const Config& c, const Site* site, std::string_view kind);
// True when `site` is `root` or lies under it.
bool in_subtree(const Config& c, const Site* site, std::string_view root);
// The target's tags and those of its site and every site above it.
bool has_tag(const Config& c, const Target& t, std::string_view tag);
bool site_has_tag(const Config& c, const Site* site, std::string_view tag);

// The order in which a scan tries a target's credentials: the one that answered last time
// first (while it is still one of them), then the others as configured.
std::vector<std::string> credential_order(const Target& t,
                                          const std::optional<std::string>& answered_last);
// Whether a try that failed with `o` is followed by the target's next credential: after a
// refusal (auth_failure) always; after a timeout only when the credential tried had not
// answered last time (a device that stopped answering would cost one timeout per credential
// every night, and a wrong v1/v2c community times out like a dead device).
bool try_next_credential(Outcome o, bool answered_last);

// Effective timeout and retries: the target's, else its credential's, else the config's.
int effective_timeout_ms(const Config& c, const Target& t);
int effective_retries(const Config& c, const Target& t);

} // namespace netinv::model
