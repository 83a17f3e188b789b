// SPDX-License-Identifier: Apache-2.0
#include "model/device.hpp"

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

namespace netinv::model {

namespace {
constexpr std::array<std::string_view, 7> k_if_status_names = {
    "up", "down", "testing", "unknown", "dormant", "notPresent", "lowerLayerDown"};
constexpr std::array<std::string_view, 4> k_outcome_names = {"ok", "timeout", "auth_failure",
                                                             "error"};
} // namespace

std::string_view to_string(IfStatus s) {
    return k_if_status_names[static_cast<std::size_t>(s) - 1];
}

std::optional<IfStatus> if_status_from_string(std::string_view s) {
    for (std::size_t i = 0; i < k_if_status_names.size(); ++i) {
        if (k_if_status_names[i] == s) {
            return static_cast<IfStatus>(i + 1);
        }
    }
    return std::nullopt;
}

std::optional<IfStatus> if_status_from_int(std::int64_t v) {
    if (v < 1 || v > 7) {
        return std::nullopt;
    }
    return static_cast<IfStatus>(v);
}

std::string_view to_string(Family f) {
    return f == Family::ipv4 ? "ipv4" : "ipv6";
}

std::optional<Family> family_from_string(std::string_view s) {
    if (s == "ipv4") {
        return Family::ipv4;
    }
    if (s == "ipv6") {
        return Family::ipv6;
    }
    return std::nullopt;
}

std::string_view to_string(Outcome o) {
    return k_outcome_names[static_cast<std::size_t>(o)];
}

std::optional<Outcome> outcome_from_string(std::string_view s) {
    for (std::size_t i = 0; i < k_outcome_names.size(); ++i) {
        if (k_outcome_names[i] == s) {
            return static_cast<Outcome>(i);
        }
    }
    return std::nullopt;
}

bool walk_cut_short(const Device& d, std::string_view walk) {
    if (walk == "addresses") {
        return std::ranges::any_of(d.partial, [](const std::string& w) {
            return w == "ip_address" || w == "ip_addr" || w == "ipv6_addr" || w == "cisco_ip";
        });
    }
    return std::ranges::find(d.partial, walk) != d.partial.end();
}

void carry_forward(const Device& before, Device& now) {
    bool carried = false;
    auto take = [&](std::string_view walk, auto&& copy) {
        if (walk_cut_short(now, walk)) { // `before` is the best known, even if cut short too
            copy();
            carried = true;
        }
    };
    take("interfaces", [&] { now.interfaces = before.interfaces; });
    take("addresses", [&] {
        now.addresses = before.addresses;
        now.ipv6_address_mib = before.ipv6_address_mib;
    });
    for (std::string_view w : {"entity", "vendor"}) {
        take(w, [&] {
            now.model = before.model;
            now.serial = before.serial;
            now.version = before.version;
            now.hardware = before.hardware;
            now.os = before.os;
        });
    }
    take("routes", [&] { now.default_routes = before.default_routes; });
    // LLDP and CDP share Device::lldp; a cut walk takes back only its own protocol's rows.
    for (std::string_view w : {"lldp", "cdp"}) {
        take(w, [&] {
            std::erase_if(now.lldp, [&](const Neighbor& n) { return n.protocol == w; });
            for (const auto& n : before.lldp) {
                if (n.protocol == w) {
                    now.lldp.push_back(n);
                }
            }
        });
    }
    for (std::string_view w : {"cache", "cache_v1"}) {
        take(w, [&] { now.neighbor_cache = before.neighbor_cache; });
    }
    take("vlans", [&] { now.vlans = before.vlans; });
    take("host", [&] { now.cpus = before.cpus; });
    auto per_interface = [&](auto&& copy) {
        for (auto& i : now.interfaces) {
            auto it = std::ranges::find(before.interfaces, i.index, &Interface::index);
            if (it != before.interfaces.end()) {
                copy(*it, i);
            }
        }
    };
    take("ipv6_if", [&] {
        per_interface([](const Interface& b, Interface& n) {
            n.ipv6_enabled = b.ipv6_enabled;
            n.ipv6_forwarding = b.ipv6_forwarding;
        });
    });
    take("ipv6", [&] {
        now.ipv6_hop_limit = before.ipv6_hop_limit;
        now.ipv6_routers = before.ipv6_routers;
        now.listeners = before.listeners;
        per_interface([](const Interface& b, Interface& n) {
            n.ra_send = b.ra_send;
            n.ra_lifetime_s = b.ra_lifetime_s;
            n.ra_managed = b.ra_managed;
            n.ra_other = b.ra_other;
            n.tunnel_encaps = b.tunnel_encaps;
        });
    });
    if (carried) {
        // The tables a cut walk would have listed: what answered before still counts.
        now.tables.insert(now.tables.end(), before.tables.begin(), before.tables.end());
        normalize(now);
    }
}

void normalize(Device& d) {
    std::ranges::sort(d.interfaces, {}, &Interface::index);
    std::ranges::sort(d.addresses, [](const Address& a, const Address& b) {
        return std::tie(a.family, a.if_index, a.address) <
               std::tie(b.family, b.if_index, b.address);
    });
    std::ranges::sort(d.ipv6_routers, [](const Ipv6Router& a, const Ipv6Router& b) {
        return std::tie(a.if_index, a.address) < std::tie(b.if_index, b.address);
    });
    std::ranges::sort(d.listeners, [](const Listener& a, const Listener& b) {
        return std::tie(a.protocol, a.family, a.address, a.port) <
               std::tie(b.protocol, b.family, b.address, b.port);
    });
    std::ranges::sort(d.counters, {}, &Counter::oid);
    // LLDP first, then CDP, each by local port (the walk's order within a port is kept).
    std::ranges::stable_sort(d.lldp, {}, [](const Neighbor& n) {
        return std::make_pair(n.protocol == "lldp" ? 0 : 1, n.local_port);
    });
    std::ranges::sort(d.partial);
    std::ranges::sort(d.tables);
    d.tables.erase(std::unique(d.tables.begin(), d.tables.end()), d.tables.end());
}

bool Device::answered(std::string_view table) const {
    return std::ranges::find(tables, table) != tables.end();
}

} // namespace netinv::model
