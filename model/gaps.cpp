// SPDX-License-Identifier: Apache-2.0
//
// Gap evaluation: the plan's objectives against one scan.
//
// count: devices that answered and match the selector. coverage: sites of the given kinds where
// the condition holds. ratio: configured targets that match the selector and satisfy the
// condition (a target that did not answer does not). Conditions:
//   tslcd-uplink  the site's uplink (an interface named or described "TSLCD") is connected:
//                 oper up, at least the planned speed, and, where the devices tell, an LLDP
//                 neighbour that is the upstream router or a link prefix shared with it
//   lan           a device of the site answers and has a LAN port up (not the uplink, not a
//                 loopback)
//   firewall      a device of the site with role firewall answered
//   dual-stack    an IPv4 address and a usable IPv6 address (global or ULA)
//   ipv6-global   a global unicast IPv6 address
//   reachable     the target answered
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

bool is_uplink(const Interface& i) {
    for (const auto* t : {&i.alias, &i.name, &i.descr}) {
        if (*t && lower(**t).find("tslcd") != std::string::npos) {
            return true;
        }
    }
    return false;
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

bool site_in_subtree(const Config& c, const Site* s, const std::string& root) {
    for (; s; s = s->parent.empty() ? nullptr : c.find_site(s->parent)) {
        if (s->code == root) {
            return true;
        }
    }
    return false;
}

struct Context {
    const Config& config;
    std::map<std::string, const Device*> by_name;
    std::map<std::string, std::vector<const Target*>> targets_at; // site code -> targets
};

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
    if (sel.subtree && !site_in_subtree(ctx.config, site, *sel.subtree)) {
        return false;
    }
    if (!sel.vendors.empty() &&
        (!d || !d->vendor || std::ranges::find(sel.vendors, *d->vendor) == sel.vendors.end())) {
        return false;
    }
    return true;
}

// The router a site's uplink should reach: the district's router for a commune or a police
// desk, the data centre's for a department or a district.
const Device* upstream(const Context& ctx, const Site& site) {
    auto router_at = [&](const Site* s) -> const Device* {
        if (!s) {
            return nullptr;
        }
        auto it = ctx.targets_at.find(s->code);
        if (it == ctx.targets_at.end()) {
            return nullptr;
        }
        for (const Target* t : it->second) {
            auto d = ctx.by_name.find(t->name);
            if (t->role == "router" && d != ctx.by_name.end()) {
                return d->second;
            }
        }
        return nullptr;
    };
    if (site.kind == SiteKind::commune || site.kind == SiteKind::police) {
        return router_at(ctx.config.find_site(site.parent));
    }
    for (const auto& s : ctx.config.sites) {
        if (s.kind == SiteKind::datacenter) {
            return router_at(&s);
        }
    }
    return nullptr;
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

// The uplink: an interface named or described as TSLCD; else the one whose LLDP neighbour is
// the upstream router; else the one sharing a link prefix with it (old firmware without
// ifAlias still shows its uplink that way).
const Interface* find_uplink(const Device& d, const Device* up) {
    for (const auto& i : d.interfaces) {
        if (is_uplink(i)) {
            return &i;
        }
    }
    for (const auto& i : d.interfaces) {
        const Neighbor* n = lldp_on(d, i.index);
        if (n && up && n->sys_name && up->sys_name && *n->sys_name == *up->sys_name) {
            return &i;
        }
    }
    for (const auto& i : d.interfaces) {
        if (shares_prefix(d, i.index, up)) {
            return &i;
        }
    }
    return nullptr;
}

LinkCheck check_link(const Context& ctx, const Site& site, std::optional<std::uint64_t> min_bps) {
    LinkCheck link;
    link.site = site.code;
    const Device* up = upstream(ctx, site);
    auto it = ctx.targets_at.find(site.code);
    bool any_answered = false;
    if (it != ctx.targets_at.end()) {
        for (const Target* t : it->second) {
            auto d = ctx.by_name.find(t->name);
            if (d == ctx.by_name.end()) {
                continue;
            }
            any_answered = true;
            const Interface* itf = find_uplink(*d->second, up);
            if (!itf) {
                continue;
            }
            link.device = t->name;
            const std::string label = itf->name.value_or(itf->descr.value_or("?"));
            if (itf->oper_status != IfStatus::up) {
                link.status = LinkStatus::degraded;
                link.evidence.push_back(label + " is not up");
                return link;
            }
            if (min_bps && itf->speed_bps && *itf->speed_bps < *min_bps) {
                link.status = LinkStatus::degraded;
                link.evidence.push_back(
                    label + " runs at " + std::to_string(*itf->speed_bps / 1'000'000) +
                    " Mbit/s, below the planned " + std::to_string(*min_bps / 1'000'000));
                return link;
            }
            link.evidence.push_back(label + " is up");
            // Corroboration, where the devices tell.
            const Neighbor* n = lldp_on(*d->second, itf->index);
            if (n && up) {
                if (n->sys_name && up->sys_name && *n->sys_name == *up->sys_name) {
                    link.evidence.push_back("LLDP neighbour " + *n->sys_name);
                } else {
                    link.status = LinkStatus::unverified;
                    link.evidence.push_back("LLDP neighbour " + n->sys_name.value_or("?") +
                                            " is not the upstream router");
                    return link;
                }
            }
            const bool has_v4 = std::ranges::any_of(d->second->addresses, [&](const Address& a) {
                return a.if_index == itf->index && v4_network(a);
            });
            const bool shared = shares_prefix(*d->second, itf->index, up);
            if (has_v4 && up && !shared && !n) {
                link.status = LinkStatus::unverified;
                link.evidence.push_back("no link prefix shared with the upstream router");
                return link;
            }
            if (shared) {
                link.evidence.push_back("link prefix shared with the upstream router");
            }
            link.status = LinkStatus::connected;
            return link;
        }
    }
    if (!any_answered) {
        link.status = LinkStatus::unverified;
        link.evidence.push_back("no device of the site answered");
    } else {
        link.status = LinkStatus::missing;
        link.evidence.push_back("no TSLCD uplink interface");
    }
    return link;
}

bool has_lan(const Context& ctx, const Site& site) {
    auto it = ctx.targets_at.find(site.code);
    if (it == ctx.targets_at.end()) {
        return false;
    }
    for (const Target* t : it->second) {
        auto d = ctx.by_name.find(t->name);
        if (d == ctx.by_name.end()) {
            continue;
        }
        for (const auto& i : d->second->interfaces) {
            const bool lan_type = i.type == 6u || i.type == 53u || i.type == 209u || i.type == 135u;
            if (lan_type && i.oper_status == IfStatus::up && !is_uplink(i)) {
                return true;
            }
        }
    }
    return false;
}

bool has_firewall(const Context& ctx, const Site& site) {
    auto it = ctx.targets_at.find(site.code);
    if (it == ctx.targets_at.end()) {
        return false;
    }
    return std::ranges::any_of(it->second, [&](const Target* t) {
        auto d = ctx.by_name.find(t->name);
        return d != ctx.by_name.end() && (d->second->role == "firewall" || t->role == "firewall");
    });
}

bool device_condition(const std::string& condition, const Device* d) {
    if (!d) {
        return false;
    }
    auto any = [&](auto pred) {
        return std::ranges::any_of(d->addresses, pred);
    };
    if (condition == "reachable") {
        return true;
    }
    if (condition == "dual-stack") {
        return any([](const Address& a) {
                   return a.family == Family::ipv4 && a.address != "127.0.0.1";
               }) &&
               any([](const Address& a) {
                   return a.family == Family::ipv6 && usable_ipv6(a.address);
               });
    }
    if (condition == "ipv6-global") {
        return any(
            [](const Address& a) { return a.family == Family::ipv6 && global_ipv6(a.address); });
    }
    return false;
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

bool global_ipv6(const std::string& address) {
    return classify_ipv6(address) == Scope::global;
}

bool usable_ipv6(const std::string& address) {
    const auto s = classify_ipv6(address);
    return s == Scope::global || s == Scope::ula;
}

GapReport evaluate(const Config& config, const std::vector<Device>& devices,
                   const std::vector<TargetOutcome>& outcomes) {
    Context ctx{config, {}, {}};
    for (const auto& d : devices) {
        ctx.by_name[d.name] = &d;
    }
    (void)outcomes; // a target without a device did not answer; its outcome adds nothing here
    for (const auto& t : config.targets) {
        if (t.site) {
            ctx.targets_at[*t.site].push_back(&t);
        }
    }
    GapReport report;
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
                auto d = ctx.by_name.find(t.name);
                const Device* dev = d == ctx.by_name.end() ? nullptr : d->second;
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
                if (std::ranges::find(o.site_kinds, site.kind) == o.site_kinds.end()) {
                    continue;
                }
                ++r.total;
                bool ok = false;
                if (o.condition == "tslcd-uplink") {
                    auto link = check_link(ctx, site, o.min_bps);
                    ok = link.status == LinkStatus::connected;
                    links.emplace(site.code, std::move(link));
                } else if (o.condition == "lan") {
                    ok = has_lan(ctx, site);
                } else if (o.condition == "firewall") {
                    ok = has_firewall(ctx, site);
                } else if (o.condition == "reachable") {
                    auto it = ctx.targets_at.find(site.code);
                    ok = it != ctx.targets_at.end() &&
                         std::ranges::any_of(it->second, [&](const Target* t) {
                             return ctx.by_name.contains(t->name);
                         });
                }
                if (ok) {
                    ++r.matched;
                } else {
                    r.missing.push_back(site.code);
                }
            }
            r.observed = r.total ? 100.0 * r.matched / r.total : 0;
            break;
        case ObjectiveKind::ratio:
            for (const auto& t : config.targets) {
                auto d = ctx.by_name.find(t.name);
                const Device* dev = d == ctx.by_name.end() ? nullptr : d->second;
                if (!matches(ctx, o.select, t, dev)) {
                    continue;
                }
                ++r.total;
                if (device_condition(o.condition, dev)) {
                    ++r.matched;
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
        r.shortfall = r.met ? 0 : r.required - r.observed;
        for (const auto& p : config.plan->projects) {
            if (std::ranges::find(p.objectives, o.id) != p.objectives.end()) {
                r.projects.push_back(&p);
                r.budget_million += p.budget_million;
            }
        }
        report.objectives_met += r.met ? 1 : 0;
        report.objectives.push_back(std::move(r));
    }
    for (auto& [code, link] : links) {
        report.links.push_back(std::move(link));
    }
    // Per district: each coverage objective's sites under it that meet it.
    for (const auto& site : config.sites) {
        if (site.kind != SiteKind::district) {
            continue;
        }
        DistrictRollup roll{site.code, site.name, {}};
        for (const auto& r : report.objectives) {
            if (r.objective->kind != ObjectiveKind::coverage) {
                continue;
            }
            std::uint32_t met = 0;
            std::uint32_t total = 0;
            for (const auto& s : config.sites) {
                if (std::ranges::find(r.objective->site_kinds, s.kind) ==
                        r.objective->site_kinds.end() ||
                    district_of(config, &s) != &site) {
                    continue;
                }
                ++total;
                met += std::ranges::find(r.missing, s.code) == r.missing.end() ? 1 : 0;
            }
            roll.coverage.emplace_back(met, total);
        }
        report.districts.push_back(std::move(roll));
    }
    return report;
}

} // namespace netinv::model
