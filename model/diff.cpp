// SPDX-License-Identifier: Apache-2.0
#include "model/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/ipv6.hpp"

namespace netinv::model {

std::string_view to_string(ChangeKind k) {
    switch (k) {
    case ChangeKind::device_added:
        return "device-added";
    case ChangeKind::device_removed:
        return "device-removed";
    case ChangeKind::device_unreachable:
        return "device-unreachable";
    case ChangeKind::device_came_back:
        return "device-came-back";
    case ChangeKind::device_swapped:
        return "device-swapped";
    case ChangeKind::firmware_changed:
        return "firmware-changed";
    case ChangeKind::model_changed:
        return "model-changed";
    case ChangeKind::interface_added:
        return "interface-added";
    case ChangeKind::interface_removed:
        return "interface-removed";
    case ChangeKind::interface_down:
        return "interface-down";
    case ChangeKind::interface_up:
        return "interface-up";
    case ChangeKind::speed_changed:
        return "speed-changed";
    case ChangeKind::alias_changed:
        return "alias-changed";
    case ChangeKind::address_added:
        return "address-added";
    case ChangeKind::address_removed:
        return "address-removed";
    case ChangeKind::ipv6_default_lost:
        return "ipv6-default-lost";
    case ChangeKind::ipv6_default_gained:
        return "ipv6-default-gained";
    case ChangeKind::lldp_changed:
        return "lldp-changed";
    case ChangeKind::volume_full:
        return "volume-full";
    case ChangeKind::volume_freed:
        return "volume-freed";
    case ChangeKind::poller_changed:
        return "poller-changed";
    }
    return "?";
}

std::string_view to_string(Impact i) {
    switch (i) {
    case Impact::regression:
        return "regression";
    case Impact::change:
        return "change";
    case Impact::improvement:
        return "improvement";
    }
    return "change";
}

namespace {

std::string if_label(const Interface& i) {
    return i.name ? *i.name : i.descr ? *i.descr : fmt::format("#{}", i.index);
}

std::string speed_text(const std::optional<std::uint64_t>& bps) {
    if (!bps) {
        return "unknown";
    }
    if (*bps >= 1'000'000'000 && *bps % 1'000'000'000 == 0) {
        return fmt::format("{} Gbit/s", *bps / 1'000'000'000);
    }
    if (*bps >= 1'000'000) {
        return fmt::format("{} Mbit/s", *bps / 1'000'000);
    }
    return fmt::format("{} bit/s", *bps);
}

std::string text_or_empty(const std::optional<std::string>& s) {
    return s.value_or("");
}

bool v6_default(const Device& d) {
    return std::ranges::any_of(d.default_routes,
                               [](const Route& r) { return r.family == Family::ipv6; }) ||
           std::ranges::any_of(d.ipv6_routers,
                               [](const Ipv6Router& r) { return r.lifetime_s > 0; });
}

std::string neighbour_text(const Neighbor& n) {
    return fmt::format("{} {}", n.sys_name.value_or(n.chassis_id.value_or("?")),
                       n.port_id.value_or(n.port_descr.value_or("")));
}

struct Diff {
    const DiffOptions& opt;
    std::vector<Change>& out;
    std::string target;
    std::optional<std::string> site;
    std::string seen_by = {};

    void add(ChangeKind k, Impact i, std::string subject = {}, std::string before = {},
             std::string after = {}) {
        out.push_back(Change{k, i, target, site, std::move(subject), std::move(before),
                             std::move(after), seen_by});
    }

    void device(const Device& a, const Device& b) {
        // A section whose walk was cut short on either night is unknown there, not changed.
        auto cut = [&](std::initializer_list<std::string_view> walks) {
            return std::ranges::any_of(walks, [&](std::string_view w) {
                return walk_cut_short(a, w) || walk_cut_short(b, w);
            });
        };
        if (!cut({"entity", "vendor"})) {
            if (a.serial && b.serial && *a.serial != *b.serial) {
                add(ChangeKind::device_swapped, Impact::change, "", *a.serial, *b.serial);
            }
            if (a.model != b.model && a.model && b.model) {
                add(ChangeKind::model_changed, Impact::change, "", *a.model, *b.model);
            }
            const auto fw = [](const Device& d) {
                return fmt::format("{} {}", d.os.value_or(""), d.version.value_or(""));
            };
            if ((a.os != b.os || a.version != b.version) && (a.version || b.version)) {
                add(ChangeKind::firmware_changed, Impact::change, "", fw(a), fw(b));
            }
        }
        if (!cut({"interfaces"})) {
            interfaces(a, b);
        }
        if (!cut({"addresses"})) {
            addresses(a, b);
        }
        if (!cut({"routes", "ipv6"})) {
            if (v6_default(a) && !v6_default(b)) {
                add(ChangeKind::ipv6_default_lost, Impact::regression, "::/0");
            } else if (!v6_default(a) && v6_default(b)) {
                add(ChangeKind::ipv6_default_gained, Impact::improvement, "::/0");
            }
        }
        if (!cut({"lldp", "cdp"})) {
            lldp(a, b);
        }
        if (!cut({"host"})) {
            volumes(a, b);
        }
    }

    void interfaces(const Device& a, const Device& b) {
        std::map<std::uint32_t, const Interface*> before;
        for (const auto& i : a.interfaces) {
            before[i.index] = &i;
        }
        for (const auto& i : b.interfaces) {
            auto it = before.find(i.index);
            if (it == before.end()) {
                add(ChangeKind::interface_added, Impact::change, if_label(i));
                continue;
            }
            const Interface& o = *it->second;
            before.erase(it);
            const bool was_up = o.oper_status == IfStatus::up;
            const bool is_up = i.oper_status == IfStatus::up;
            if (was_up && !is_up) {
                add(ChangeKind::interface_down, Impact::regression, if_label(i), "up",
                    i.oper_status ? std::string(to_string(*i.oper_status)) : "unknown");
            } else if (!was_up && is_up && o.oper_status) {
                add(ChangeKind::interface_up, Impact::improvement, if_label(i),
                    std::string(to_string(*o.oper_status)), "up");
            }
            if (o.speed_bps != i.speed_bps && o.speed_bps && i.speed_bps) {
                add(ChangeKind::speed_changed,
                    *i.speed_bps < *o.speed_bps && is_up ? Impact::regression : Impact::change,
                    if_label(i), speed_text(o.speed_bps), speed_text(i.speed_bps));
            }
            if (o.alias != i.alias) {
                add(ChangeKind::alias_changed, Impact::change, if_label(i), text_or_empty(o.alias),
                    text_or_empty(i.alias));
            }
        }
        for (const auto& [idx, i] : before) {
            add(ChangeKind::interface_removed,
                i->oper_status == IfStatus::up ? Impact::regression : Impact::change, if_label(*i));
        }
    }

    void addresses(const Device& a, const Device& b) {
        auto key = [](const Address& x) {
            return x.address;
        };
        std::map<std::string, const Address*> before;
        for (const auto& x : a.addresses) {
            before[key(x)] = &x;
        }
        std::set<std::string> now;
        for (const auto& x : b.addresses) {
            now.insert(key(x));
            if (!before.contains(key(x))) {
                const bool v6_usable =
                    x.family == Family::ipv6 && (classify_ipv6(x.address) == Scope::global ||
                                                 classify_ipv6(x.address) == Scope::ula);
                add(ChangeKind::address_added, v6_usable ? Impact::improvement : Impact::change,
                    x.prefix_length ? fmt::format("{}/{}", x.address, *x.prefix_length)
                                    : x.address);
            }
        }
        for (const auto& [k, x] : before) {
            if (now.contains(k)) {
                continue;
            }
            // Losing an IPv6 address is a step back in the migration; an IPv4 change is news.
            add(ChangeKind::address_removed,
                x->family == Family::ipv6 ? Impact::regression : Impact::change,
                x->prefix_length ? fmt::format("{}/{}", x->address, *x->prefix_length)
                                 : x->address);
        }
    }

    void lldp(const Device& a, const Device& b) {
        std::map<std::uint32_t, std::string> before;
        std::map<std::uint32_t, std::string> after;
        for (const auto& n : a.lldp) {
            before[n.local_port] += (before[n.local_port].empty() ? "" : ", ") + neighbour_text(n);
        }
        for (const auto& n : b.lldp) {
            after[n.local_port] += (after[n.local_port].empty() ? "" : ", ") + neighbour_text(n);
        }
        std::set<std::uint32_t> ports;
        for (const auto& [p, s] : before) {
            ports.insert(p);
        }
        for (const auto& [p, s] : after) {
            ports.insert(p);
        }
        for (auto p : ports) {
            const std::string x = before.contains(p) ? before[p] : "";
            const std::string y = after.contains(p) ? after[p] : "";
            if (x == y) {
                continue;
            }
            auto itf = std::ranges::find(b.interfaces, p, &Interface::index);
            const std::string port =
                itf != b.interfaces.end() ? if_label(*itf) : fmt::format("port {}", p);
            add(ChangeKind::lldp_changed, y.empty() ? Impact::regression : Impact::change, port,
                x.empty() ? "none" : x, y.empty() ? "none" : y);
        }
    }

    void volumes(const Device& a, const Device& b) {
        auto full = [&](const Volume& v) {
            return v.size_bytes > 0 &&
                   static_cast<double>(v.used_bytes) / static_cast<double>(v.size_bytes) >=
                       opt.volume_full;
        };
        auto pct = [](const Volume& v) {
            return v.size_bytes ? fmt::format("{:.0f}%", 100.0 * static_cast<double>(v.used_bytes) /
                                                             static_cast<double>(v.size_bytes))
                                : "?";
        };
        for (const auto& v : b.volumes) {
            auto it = std::ranges::find(a.volumes, v.descr, &Volume::descr);
            const bool was = it != a.volumes.end() && full(*it);
            const std::string before = it != a.volumes.end() ? pct(*it) : "";
            if (full(v) && !was) {
                add(ChangeKind::volume_full, Impact::regression, v.descr, before, pct(v));
            } else if (!full(v) && was) {
                add(ChangeKind::volume_freed, Impact::improvement, v.descr, before, pct(v));
            }
        }
    }
};

} // namespace

std::vector<Change> diff(const Snapshot& older, const Snapshot& newer, const DiffOptions& opt) {
    std::vector<Change> out;
    std::map<std::string, const TargetOutcome*> o1;
    std::map<std::string, const TargetOutcome*> o2;
    std::map<std::string, const Device*> d1;
    std::map<std::string, const Device*> d2;
    for (const auto& o : older.outcomes) {
        o1[o.target] = &o;
    }
    for (const auto& o : newer.outcomes) {
        o2[o.target] = &o;
    }
    for (const auto& d : older.devices) {
        d1[d.name] = &d;
    }
    for (const auto& d : newer.devices) {
        d2[d.name] = &d;
    }
    for (const auto& [name, o] : o2) {
        const Device* now = d2.contains(name) ? d2[name] : nullptr;
        const Device* then = d1.contains(name) ? d1[name] : nullptr;
        Diff x{opt, out, name, now ? now->site : then ? then->site : std::nullopt, o->poller};
        if (o1.contains(name) && o1[name]->poller != o->poller) {
            const auto shown = [](const std::string& p) {
                return p.empty() ? "-" : p;
            };
            x.add(ChangeKind::poller_changed, Impact::change, "", shown(o1[name]->poller),
                  shown(o->poller));
        }
        if (now && then) {
            x.device(*then, *now);
        } else if (now) {
            const bool seen = opt.seen_before.contains(name);
            x.add(seen ? ChangeKind::device_came_back : ChangeKind::device_added,
                  Impact::improvement, "",
                  o1.contains(name) ? std::string(to_string(o1[name]->outcome)) : "",
                  now->sys_name.value_or(""));
        } else if (then) {
            x.add(ChangeKind::device_unreachable, Impact::regression, "", "ok",
                  fmt::format("{}: {}", to_string(o->outcome), o->detail));
        }
    }
    for (const auto& [name, o] : o1) {
        if (!o2.contains(name)) {
            const Device* then = d1.contains(name) ? d1[name] : nullptr;
            Diff x{opt, out, name, then ? then->site : std::nullopt, o->poller};
            x.add(ChangeKind::device_removed, Impact::change);
        }
    }
    std::ranges::stable_sort(out, [](const Change& a, const Change& b) {
        return std::tie(a.impact, a.target, a.kind) < std::tie(b.impact, b.target, b.kind);
    });
    return out;
}

} // namespace netinv::model
