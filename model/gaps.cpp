// SPDX-License-Identifier: Apache-2.0
//
// Gap evaluation: the plan's objectives against one scan.
//
// count: devices that answered and match the selector. coverage: sites of the given kinds (or
// tags) where the condition holds. ratio: configured targets that match the selector and
// satisfy the condition (a target that did not answer does not). Conditions (inventory.toml(5)
// says exactly what counts):
//   tslcd-uplink  the site's uplink is connected: oper up, at least the contracted or planned
//                 speed and, where the devices tell, an LLDP neighbour that is the upstream
//                 device or a link prefix shared with it. Labels ("TSLCD" in ifAlias, ifName,
//                 ifDescr) nominate candidates, evidence chooses among them; a configured
//                 uplink is checked against the evidence
//   lan           a device of the site answers and has a LAN port up (Ethernet, VLAN, bridge,
//                 LAG, Wi-Fi types; not the uplink, not a TSLCD link, not a loopback)
//   firewall      a device of the site with role firewall answered
//   dual-stack    an IPv4 address and a usable IPv6 address (global, or ULA)
//   ipv6-global   a global unicast IPv6 address
//   ipv6-level    the device's IPv6 readiness level (docs/ipv6.md) is at least min_level
//   reachable     the target answered
// A walk cut short never makes a condition fail: the item is unverified, and says why.
#include "model/gaps.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>

#include "model/ipv6.hpp"
#include "model/summary.hpp"

namespace netinv::model {

namespace {

std::string lower(std::string s) {
    std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool is_labelled(const Interface& i) {
    for (const auto* t : {&i.alias, &i.name, &i.descr}) {
        if (*t && lower(**t).find("tslcd") != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string label_of(const Interface& i) {
    return i.name.value_or(i.descr.value_or(std::to_string(i.index)));
}

// The IPv4 network of an address/prefix, for comparing link prefixes.
std::optional<std::pair<std::uint32_t, std::uint8_t>> v4_network(const Address& a) {
    std::array<std::uint8_t, 4> b{};
    if (a.family != Family::ipv4 || !a.prefix_length ||
        inet_pton(AF_INET, a.address.c_str(), b.data()) != 1) {
        return std::nullopt;
    }
    const std::uint32_t v = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                            (std::uint32_t{b[2]} << 8) | b[3];
    const std::uint32_t mask = *a.prefix_length == 0 ? 0 : ~0u << (32 - *a.prefix_length);
    return std::make_pair(v & mask, *a.prefix_length);
}

struct Context {
    const Config& config;
    const GapOptions& options;
    std::map<std::string, const Device*> by_name;
    std::map<std::string, std::vector<const Target*>> targets_at; // site code -> targets
    std::map<std::string, const Device*> earlier;
    std::map<std::string, std::optional<int>> levels; // ipv6-level, computed once per device
};

const Device* device_of(const Context& ctx, const Target* t) {
    if (!t) {
        return nullptr;
    }
    auto it = ctx.by_name.find(t->name);
    return it == ctx.by_name.end() ? nullptr : it->second;
}

bool matches(const Context& ctx, const Selector& sel, const Target& t, const Device* d) {
    const std::optional<std::string> role = d && d->role ? d->role : t.role;
    if (!sel.roles.empty() && (!role || std::ranges::find(sel.roles, *role) == sel.roles.end())) {
        return false;
    }
    const Site* site = t.site ? ctx.config.find_site(*t.site) : nullptr;
    if (!sel.site_kinds.empty() &&
        (!site || std::ranges::find(sel.site_kinds, site->kind) == sel.site_kinds.end())) {
        return false;
    }
    if (sel.subtree && !in_subtree(ctx.config, site, *sel.subtree)) {
        return false;
    }
    if (!sel.vendors.empty() &&
        (!d || !d->vendor || std::ranges::find(sel.vendors, *d->vendor) == sel.vendors.end())) {
        return false;
    }
    if (!sel.tags.empty() && std::ranges::none_of(sel.tags, [&](const std::string& tag) {
            return has_tag(ctx.config, t, tag);
        })) {
        return false;
    }
    return true;
}

// The device of a site that carries its uplink and routes for it: a router first, then an L3
// switch, a firewall, a CPE (configuration order within a role).
const Target* routing_target_at(const Context& ctx, const std::string& code) {
    auto it = ctx.targets_at.find(code);
    if (it == ctx.targets_at.end()) {
        return nullptr;
    }
    for (std::string_view role : {"router", "l3-switch", "firewall", "cpe"}) {
        for (const Target* t : it->second) {
            if (t->role == role) {
                return t;
            }
        }
    }
    return nullptr;
}

// The device a site's uplink should reach: the site's own `upstream` (a target, or a site's
// routing device), else its kind's rule: the nearest site above with a routing device
// ("parent"), or the first site of the named kind with one (e.g. the data centre).
const Target* upstream_target(const Context& ctx, const Site& site) {
    const Config& c = ctx.config;
    if (site.upstream) {
        if (const Target* t = c.find_target(*site.upstream)) {
            return t;
        }
        return routing_target_at(ctx, *site.upstream);
    }
    const SiteKindDef* kind = c.find_kind(site.kind);
    const std::string rule = kind ? kind->uplink_to : "parent";
    if (rule == "parent") {
        for (const Site* s = parent_of(c, site); s; s = parent_of(c, *s)) {
            if (const Target* t = routing_target_at(ctx, s->code)) {
                return t;
            }
        }
        return nullptr;
    }
    for (const auto& s : c.sites) {
        if (s.kind == rule && s.code != site.code) {
            if (const Target* t = routing_target_at(ctx, s.code)) {
                return t;
            }
        }
    }
    return nullptr;
}

bool same_name(const std::string& a, const std::string& b) {
    // Host names compare case-insensitively, with or without their domain.
    auto host = [](const std::string& x) {
        return lower(x.substr(0, x.find('.')));
    };
    return lower(a) == lower(b) || host(a) == host(b);
}

// True when the LLDP neighbour `n` is the device `up`: its system name, a management address
// the device has, or a chassis MAC of one of its interfaces.
bool is_device(const Neighbor& n, const Device& up) {
    if (n.sys_name && up.sys_name && same_name(*n.sys_name, *up.sys_name)) {
        return true;
    }
    for (const auto& m : n.management_addresses) {
        if (std::ranges::any_of(up.addresses, [&](const Address& a) { return a.address == m; })) {
            return true;
        }
    }
    return n.chassis_id && std::ranges::any_of(up.interfaces, [&](const Interface& i) {
               return i.mac && lower(*i.mac) == lower(*n.chassis_id);
           });
}

bool shares_prefix(const Device& d, std::uint32_t if_index, const Device* up) {
    if (!up) {
        return false;
    }
    for (const auto& a : d.addresses) {
        if (a.if_index != if_index || !v4_network(a)) {
            continue;
        }
        for (const auto& b : up->addresses) {
            if (v4_network(b) == v4_network(a)) {
                return true;
            }
        }
    }
    return false;
}

const Neighbor* lldp_on(const Device& d, std::uint32_t if_index) {
    for (const auto& n : d.lldp) {
        if (n.local_port == if_index) {
            return &n;
        }
    }
    return nullptr;
}

const Interface* find_interface(const Device& d, const std::string& name) {
    for (const auto& i : d.interfaces) {
        for (const auto* t : {&i.name, &i.descr, &i.alias}) {
            if (*t && lower(**t) == lower(name)) {
                return &i;
            }
        }
    }
    return nullptr;
}

// The uplink among the device's interfaces. Evidence first: an LLDP neighbour that is the
// upstream device (6), a link prefix shared with it (3); a TSLCD label nominates (2); an LLDP
// neighbour that is another device counts against (-1), so a labelled downlink never beats the
// port that LLDP or the prefix shows. Ties: up before down, then the lowest ifIndex. Nothing
// nominated or evidenced: no uplink.
const Interface* choose_uplink(const Device& d, const Device* up) {
    const Interface* best = nullptr;
    int best_score = 0;
    for (const auto& i : d.interfaces) {
        int score = is_labelled(i) ? 2 : 0;
        const Neighbor* n = lldp_on(d, i.index);
        if (n && up) {
            score += is_device(*n, *up) ? 6 : -1;
        }
        if (shares_prefix(d, i.index, up)) {
            score += 3;
        }
        if (score <= 0) {
            continue;
        }
        const bool better = !best || score > best_score ||
                            (score == best_score && i.oper_status == IfStatus::up &&
                             best->oper_status != IfStatus::up);
        if (better) {
            best = &i;
            best_score = score;
        }
    }
    return best;
}

// Judges one interface as the site's uplink.
void judge_link(LinkCheck& link, const Device& d, const Interface& itf, const Device* up,
                const Target* up_target, std::optional<std::uint64_t> min_bps) {
    const std::string label = label_of(itf);
    link.interface = label;
    const bool lldp_cut = walk_cut_short(d, "lldp");
    if (itf.oper_status != IfStatus::up) {
        link.status = LinkStatus::degraded;
        link.evidence.push_back(msg("{} is not up", label));
        return;
    }
    if (min_bps && itf.speed_bps && *itf.speed_bps < *min_bps) {
        link.status = LinkStatus::degraded;
        link.evidence.push_back(msg("{} runs at {} Mbit/s, below the planned {}", label,
                                    *itf.speed_bps / 1'000'000, *min_bps / 1'000'000));
        return;
    }
    link.evidence.push_back(msg("{} is up", label));
    const Neighbor* n = lldp_on(d, itf.index);
    const std::string up_name = up_target ? up_target->name : "?";
    if (n && up) {
        const std::string via = n->protocol == "cdp" ? "CDP" : "LLDP";
        if (is_device(*n, *up)) {
            link.evidence.push_back(msg("{} neighbour {}", via, n->sys_name.value_or(up_name)));
        } else {
            link.status = LinkStatus::unverified;
            link.evidence.push_back(
                msg("{} neighbour {} is not {}", via, n->sys_name.value_or("?"), up_name));
            return;
        }
    } else if (lldp_cut) {
        link.cut_short = true;
        link.evidence.push_back(msg("LLDP walk cut short"));
    }
    const bool has_v4 = std::ranges::any_of(
        d.addresses, [&](const Address& a) { return a.if_index == itf.index && v4_network(a); });
    const bool shared = shares_prefix(d, itf.index, up);
    if (has_v4 && up && !shared && !n) {
        link.status = LinkStatus::unverified;
        link.evidence.push_back(msg("no link prefix shared with {}", up_name));
        return;
    }
    if (shared) {
        link.evidence.push_back(msg("link prefix shared with {}", up_name));
    }
    link.status = LinkStatus::connected;
}

LinkCheck check_link(const Context& ctx, const Site& site, std::optional<std::uint64_t> min_bps) {
    LinkCheck link;
    link.site = site.code;
    if (site.bandwidth_bps) {
        min_bps = site.bandwidth_bps; // the contract of this site
    }
    const Target* up_target = upstream_target(ctx, site);
    const Device* up = device_of(ctx, up_target);
    if (up_target) {
        link.upstream = up_target->name;
    }
    auto it = ctx.targets_at.find(site.code);
    bool any_answered = false;
    std::vector<std::string> cut;
    if (it != ctx.targets_at.end()) {
        for (const Target* t : it->second) {
            const Device* d = device_of(ctx, t);
            if (!d) {
                continue;
            }
            any_answered = true;
            if (walk_cut_short(*d, "interfaces")) {
                cut.push_back(t->name);
            }
            const Interface* itf = nullptr;
            if (site.uplink) {
                itf = find_interface(*d, *site.uplink);
                if (!itf) {
                    continue; // the configured uplink is on another device of the site
                }
                link.configured = true;
            } else {
                itf = choose_uplink(*d, up);
            }
            if (!itf) {
                continue;
            }
            link.device = t->name;
            judge_link(link, *d, *itf, up, up_target, min_bps);
            if (link.configured && up) {
                // The configuration against the evidence.
                const Neighbor* n = lldp_on(*d, itf->index);
                const Interface* seen = nullptr;
                for (const auto& i : d->interfaces) {
                    if (const Neighbor* m = lldp_on(*d, i.index); m && is_device(*m, *up)) {
                        seen = &i;
                    }
                }
                if (n && !is_device(*n, *up)) {
                    link.findings.push_back(msg("configured uplink {}: LLDP neighbour {} is not {}",
                                                label_of(*itf), n->sys_name.value_or("?"),
                                                up_target->name));
                }
                if (seen && seen != itf) {
                    link.findings.push_back(
                        msg("LLDP shows {} on {}, not on the configured uplink {}", up_target->name,
                            label_of(*seen), label_of(*itf)));
                }
                if (!link.findings.empty() && link.status == LinkStatus::connected) {
                    link.status = LinkStatus::unverified;
                }
            }
            return link;
        }
    }
    if (!any_answered) {
        link.status = LinkStatus::unverified;
        link.evidence.push_back(msg("no device of the site answered"));
    } else if (!cut.empty()) {
        link.status = LinkStatus::unverified;
        link.cut_short = true;
        link.evidence.push_back(msg("interface walk of {} cut short", cut.front()));
    } else if (site.uplink) {
        link.status = LinkStatus::missing;
        link.configured = true;
        link.evidence.push_back(msg(
            "configured uplink {} is not an interface of any device of the site", *site.uplink));
    } else {
        link.status = LinkStatus::missing;
        link.evidence.push_back(msg("no TSLCD uplink interface"));
    }
    return link;
}

// IANAifType numbers of ports a LAN is on: ethernetCsmacd, iso88023Csmacd, fastEther,
// fastEtherFX, gigabitEthernet, propVirtual (Huawei Vlanif, Cisco SVIs), ieee80211, l2vlan,
// l3ipvlan (H3C Vlan-interface, Edgecore and Ruijie VLANs), ieee8023adLag, bridge.
constexpr std::array<std::uint32_t, 11> k_lan_types = {6,  7,   62,  69,  117, 53,
                                                       71, 135, 136, 161, 209};

enum class Tri : std::uint8_t { no, yes, unverified };

Tri has_lan(const Context& ctx, const Site& site, Message& why) {
    auto it = ctx.targets_at.find(site.code);
    if (it == ctx.targets_at.end()) {
        return Tri::no;
    }
    // Names of the devices of other sites: a port whose LLDP neighbour is one is a WAN link.
    std::vector<std::string> elsewhere;
    for (const auto& [name, d] : ctx.by_name) {
        const Target* t = ctx.config.find_target(name);
        if (d->sys_name && (!t || t->site != site.code)) {
            elsewhere.push_back(lower(*d->sys_name));
        }
    }
    const Target* up_target = upstream_target(ctx, site);
    const Device* up = device_of(ctx, up_target);
    bool cut = false;
    for (const Target* t : it->second) {
        const Device* d = device_of(ctx, t);
        if (!d) {
            continue;
        }
        cut = cut || walk_cut_short(*d, "interfaces");
        // The uplink is not LAN: the one the evidence chooses, and the configured one unless
        // the evidence puts the uplink on another port (then the configuration is the mistake,
        // reported with the link, and the port it names may well be the LAN).
        const Interface* uplink = choose_uplink(*d, up);
        const Interface* configured = site.uplink ? find_interface(*d, *site.uplink) : nullptr;
        if (configured && (!uplink || !lldp_on(*d, uplink->index))) {
            uplink = configured;
        }
        for (const auto& i : d->interfaces) {
            const bool lan_type =
                i.type && std::ranges::find(k_lan_types, *i.type) != k_lan_types.end();
            if (!lan_type || i.oper_status != IfStatus::up || is_labelled(i) || &i == uplink) {
                continue;
            }
            const Neighbor* n = lldp_on(*d, i.index);
            if (n && n->sys_name &&
                std::ranges::find(elsewhere, lower(*n->sys_name)) != elsewhere.end()) {
                continue; // a link to another site
            }
            return Tri::yes;
        }
    }
    if (cut) {
        why = msg("interface walk cut short");
        return Tri::unverified;
    }
    return Tri::no;
}

bool has_firewall(const Context& ctx, const Site& site) {
    auto it = ctx.targets_at.find(site.code);
    if (it == ctx.targets_at.end()) {
        return false;
    }
    return std::ranges::any_of(it->second, [&](const Target* t) {
        const Device* d = device_of(ctx, t);
        return d && (d->role == "firewall" || t->role == "firewall");
    });
}

Tri device_condition(Context& ctx, const Objective& o, const Device* d, Message& why) {
    if (!d) {
        return Tri::no;
    }
    auto any = [&](auto pred) {
        return std::ranges::any_of(d->addresses, pred);
    };
    bool ok = false;
    if (o.condition == "reachable") {
        return Tri::yes;
    }
    if (o.condition == "dual-stack") {
        ok = any([](const Address& a) {
                 return a.family == Family::ipv4 && a.address != "127.0.0.1";
             }) &&
             any([](const Address& a) {
                 return a.family == Family::ipv6 && usable_ipv6(a.address);
             });
    } else if (o.condition == "ipv6-global") {
        ok = any(
            [](const Address& a) { return a.family == Family::ipv6 && global_ipv6(a.address); });
    } else if (o.condition == "ipv6-level") {
        auto [it, fresh] = ctx.levels.try_emplace(d->name);
        if (fresh) {
            std::optional<EarlierSample> earlier;
            if (auto e = ctx.earlier.find(d->name); e != ctx.earlier.end()) {
                earlier = EarlierSample{e->second, ctx.options.seconds_between};
            }
            it->second = assess(*d, ctx.config.ipv6, earlier).level;
        }
        if (!it->second) {
            why = msg("IPv6 level unknown (no IP-MIB or IPV6-MIB answer)");
            return Tri::unverified;
        }
        ok = *it->second >= o.min_level.value_or(0);
        if (!ok && !d->partial.empty()) {
            why = msg("level L{} on walks cut short", *it->second);
            return Tri::unverified;
        }
        return ok ? Tri::yes : Tri::no;
    }
    if (!ok && walk_cut_short(*d, "addresses")) {
        why = msg("address walk cut short");
        return Tri::unverified;
    }
    return ok ? Tri::yes : Tri::no;
}

bool site_selected(const Config& c, const Objective& o, const Site& site) {
    if (!o.site_kinds.empty() && std::ranges::find(o.site_kinds, site.kind) == o.site_kinds.end()) {
        return false;
    }
    if (!o.site_tags.empty() && std::ranges::none_of(o.site_tags, [&](const std::string& t) {
            return site_has_tag(c, &site, t);
        })) {
        return false;
    }
    return !o.site_kinds.empty() || !o.site_tags.empty();
}

} // namespace

std::string_view to_string(LinkStatus s) {
    switch (s) {
    case LinkStatus::connected:
        return "connected";
    case LinkStatus::degraded:
        return "degraded";
    case LinkStatus::unverified:
        return "unverified";
    case LinkStatus::missing:
        return "missing";
    }
    return "missing";
}

std::string_view to_string(ObjectiveStatus s) {
    switch (s) {
    case ObjectiveStatus::met:
        return "met";
    case ObjectiveStatus::unmet:
        return "unmet";
    case ObjectiveStatus::unverified:
        return "unverified";
    }
    return "unmet";
}

std::uint32_t unmet_objectives(const GapReport& report) {
    return static_cast<std::uint32_t>(
        std::ranges::count(report.objectives, ObjectiveStatus::unmet, &ObjectiveResult::status));
}

bool global_ipv6(const std::string& address) {
    return classify_ipv6(address) == Scope::global;
}

bool usable_ipv6(const std::string& address) {
    const auto s = classify_ipv6(address);
    return s == Scope::global || s == Scope::ula;
}

GapReport evaluate(const Config& config, const std::vector<Device>& devices,
                   const std::vector<TargetOutcome>& outcomes, const GapOptions& options) {
    Context ctx{config, options, {}, {}, {}, {}};
    for (const auto& d : devices) {
        ctx.by_name[d.name] = &d;
    }
    if (options.earlier) {
        for (const auto& d : *options.earlier) {
            ctx.earlier[d.name] = &d;
        }
    }
    (void)outcomes; // a target without a device did not answer; its outcome adds nothing here
    for (const auto& t : config.targets) {
        if (t.site) {
            ctx.targets_at[*t.site].push_back(&t);
        }
    }
    GapReport report;
    report.rollup_by = options.by;
    std::map<std::string, LinkCheck> links;
    if (!config.plan) {
        return report;
    }
    for (const auto& o : config.plan->objectives) {
        ObjectiveResult r;
        r.objective = &o;
        r.required = o.at_least;
        switch (o.kind) {
        case ObjectiveKind::count:
            for (const auto& t : config.targets) {
                const Device* dev = device_of(ctx, &t);
                if (!matches(ctx, o.select, t, dev)) {
                    continue;
                }
                if (dev) {
                    ++r.matched;
                } else {
                    r.missing.push_back(t.name); // planned and configured, but not answering
                }
            }
            r.observed = r.matched;
            r.total = r.matched;
            break;
        case ObjectiveKind::coverage:
            for (const auto& site : config.sites) {
                if (!site_selected(config, o, site)) {
                    continue;
                }
                ++r.total;
                Tri ok = Tri::no;
                Message why;
                std::string via;
                if (o.condition == "tslcd-uplink") {
                    auto link = check_link(ctx, site, o.min_bps);
                    ok = link.status == LinkStatus::connected ? Tri::yes : Tri::no;
                    // Unverified because a walk was cut short: not counted against the site.
                    if (link.status == LinkStatus::unverified && link.cut_short) {
                        ok = Tri::unverified;
                        why = link.evidence.back();
                    }
                    links.insert_or_assign(site.code, std::move(link));
                } else if (o.condition == "lan") {
                    ok = has_lan(ctx, site, why);
                } else if (o.condition == "firewall") {
                    ok = has_firewall(ctx, site) ? Tri::yes : Tri::no;
                } else if (o.condition == "reachable") {
                    auto it = ctx.targets_at.find(site.code);
                    ok = it != ctx.targets_at.end() &&
                                 std::ranges::any_of(
                                     it->second,
                                     [&](const Target* t) { return ctx.by_name.contains(t->name); })
                             ? Tri::yes
                             : Tri::no;
                } else {
                    // A device condition over a site: its routing device (or any device).
                    auto it = ctx.targets_at.find(site.code);
                    if (it != ctx.targets_at.end()) {
                        for (const Target* t : it->second) {
                            Message w;
                            const Tri one = device_condition(ctx, o, device_of(ctx, t), w);
                            if (one == Tri::yes) {
                                ok = Tri::yes;
                                break;
                            }
                            if (one == Tri::unverified) {
                                ok = Tri::unverified;
                                why = w;
                                via = t->name;
                            }
                        }
                    }
                }
                if (ok == Tri::yes) {
                    ++r.matched;
                } else if (ok == Tri::unverified) {
                    r.unverified.push_back(Unverified{site.code, via, why});
                } else {
                    r.missing.push_back(site.code);
                }
            }
            r.observed = r.total ? 100.0 * r.matched / r.total : 0;
            break;
        case ObjectiveKind::ratio:
            for (const auto& t : config.targets) {
                const Device* dev = device_of(ctx, &t);
                if (!matches(ctx, o.select, t, dev)) {
                    continue;
                }
                ++r.total;
                Message why;
                const Tri ok = device_condition(ctx, o, dev, why);
                if (ok == Tri::yes) {
                    ++r.matched;
                } else if (ok == Tri::unverified) {
                    r.unverified.push_back(Unverified{t.name, "", why});
                } else {
                    r.missing.push_back(t.name);
                }
            }
            r.observed = r.total ? 100.0 * r.matched / r.total : 0;
            break;
        }
        // Rounding: 2 decimals, so 100% stays exactly 100.
        r.observed = std::round(r.observed * 100.0) / 100.0;
        r.met = r.observed >= r.required;
        if (r.met) {
            r.status = ObjectiveStatus::met;
        } else {
            // Could the unverified items still meet it?
            const double best =
                o.kind == ObjectiveKind::count
                    ? r.matched + static_cast<double>(r.unverified.size())
                    : (r.total ? 100.0 * (r.matched + r.unverified.size()) / r.total : 0);
            r.status = !r.unverified.empty() && std::round(best * 100.0) / 100.0 >= r.required
                           ? ObjectiveStatus::unverified
                           : ObjectiveStatus::unmet;
        }
        r.overdue = !r.met && o.deadline && !options.today.empty() && *o.deadline < options.today;
        r.shortfall = r.met ? 0 : r.required - r.observed;
        for (const auto& p : config.plan->projects) {
            if (std::ranges::find(p.objectives, o.id) != p.objectives.end()) {
                r.projects.push_back(&p);
                r.budget_million += p.budget_million;
            }
        }
        report.objectives_met += r.met ? 1 : 0;
        report.objectives_unverified += r.status == ObjectiveStatus::unverified ? 1 : 0;
        report.objectives.push_back(std::move(r));
    }
    for (auto& [code, link] : links) {
        report.links.push_back(std::move(link));
    }
    // Per site of the roll-up kind: each coverage objective's sites under it that meet it.
    std::vector<std::pair<const Site*, bool>> rollups; // site, from the former structure
    for (const auto& site : config.sites) {
        if (site.kind == options.by) {
            rollups.emplace_back(&site, false);
        }
    }
    for (const auto& site : config.former_sites) {
        if (site.kind == options.by) {
            rollups.emplace_back(&site, true);
        }
    }
    for (const auto& [site, former] : rollups) {
        DistrictRollup roll{site->code, site->name, {}};
        bool any = false;
        for (const auto& r : report.objectives) {
            if (r.objective->kind != ObjectiveKind::coverage) {
                continue;
            }
            std::uint32_t met = 0;
            std::uint32_t total = 0;
            for (const auto& s : config.sites) {
                if (!site_selected(config, *r.objective, s) ||
                    rollup_site(config, &s, options.by) != site) {
                    continue;
                }
                ++total;
                met +=
                    std::ranges::find(r.missing, s.code) == r.missing.end() &&
                            std::ranges::none_of(
                                r.unverified, [&](const Unverified& u) { return u.item == s.code; })
                        ? 1
                        : 0;
            }
            any = any || total > 0;
            roll.coverage.emplace_back(met, total);
        }
        if (any || !former) {
            report.districts.push_back(std::move(roll));
        }
    }
    return report;
}

} // namespace netinv::model
