// SPDX-License-Identifier: Apache-2.0
#include "model/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/text.hpp"

namespace netinv::model {

namespace {

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool contains(std::string_view hay, std::string_view needle_lower) {
    return ascii_lower(hay).find(needle_lower) != std::string::npos;
}

// The address without its zone, for comparing.
std::string_view bare(std::string_view a) {
    return a.substr(0, a.find('%'));
}

bool address_matches(std::string_view a, const Query& q) {
    switch (q.kind) {
    case QueryKind::address:
    case QueryKind::prefix:
        return prefix_contains(*q.prefix, bare(a));
    case QueryKind::text:
        return !q.text.empty() && ascii_lower(bare(a)).starts_with(q.text);
    case QueryKind::mac:
        return false;
    }
    return false;
}

bool mac_matches(const std::optional<std::string>& mac, const Query& q) {
    if (q.kind != QueryKind::mac || !mac) {
        return false;
    }
    const auto digits = mac_digits(*mac);
    return digits && digits->starts_with(q.mac);
}

} // namespace

std::optional<std::string> mac_digits(std::string_view text) {
    if (text.empty() || text.size() > 17) {
        return std::nullopt;
    }
    std::string digits;
    if (text.size() == 12 && std::ranges::all_of(text, is_hex)) {
        return ascii_lower(text);
    }
    // Groups of two hex digits split by ':' or '-', or of four split by '.'.
    const char sep = text.find(':') != std::string_view::npos   ? ':'
                     : text.find('-') != std::string_view::npos ? '-'
                     : text.find('.') != std::string_view::npos ? '.'
                                                                : '\0';
    if (sep == '\0') {
        return std::nullopt;
    }
    const std::size_t group = sep == '.' ? 4 : 2;
    std::size_t groups = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(sep, start), text.size());
        const auto g = text.substr(start, end - start);
        if (g.size() != group || !std::ranges::all_of(g, is_hex)) {
            return std::nullopt;
        }
        digits += ascii_lower(g);
        ++groups;
        start = end + 1;
    }
    if (groups < 2 || digits.size() > 12) {
        return std::nullopt;
    }
    return digits;
}

Query parse_query(std::string_view text) {
    Query q;
    q.text = ascii_lower(text);
    if (auto ip = parse_ip(bare(text))) {
        q.kind = QueryKind::address;
        q.prefix = parse_prefix(ip->canonical).value();
        return q;
    }
    if (text.find('/') != std::string_view::npos) {
        if (auto p = parse_prefix(text)) {
            q.kind = QueryKind::prefix;
            q.prefix = *p;
            return q;
        }
    }
    if (auto m = mac_digits(text)) {
        q.kind = QueryKind::mac;
        q.mac = *m;
        return q;
    }
    q.kind = QueryKind::text;
    return q;
}

std::vector<Hit> search(const std::vector<Device>& devices, const Query& q) {
    std::vector<Hit> hits;
    // A MAC-shaped query may be a serial or a name too ("00155d012a0b").
    const bool text = q.kind == QueryKind::text || q.kind == QueryKind::mac;
    for (const auto& d : devices) {
        std::map<std::uint32_t, std::string> if_name;
        for (const auto& i : d.interfaces) {
            if_name[i.index] =
                i.name.value_or(i.descr.value_or(fmt::format("ifIndex {}", i.index)));
        }
        const auto where = [&](std::optional<std::uint32_t> index) {
            if (!index) {
                return std::string();
            }
            auto it = if_name.find(*index);
            return it == if_name.end() ? fmt::format("ifIndex {}", *index) : it->second;
        };
        const auto add = [&](std::string field, std::string value, std::string at = {}) {
            hits.push_back(Hit{d.name, std::move(field), std::move(value), std::move(at)});
        };
        if (text) {
            const std::pair<const char*, const std::optional<std::string>*> fields[] = {
                {"sysName", &d.sys_name},
                {"serial", &d.serial},
                {"model", &d.model},
                {"location", &d.sys_location}};
            if (contains(d.name, q.text)) {
                add("name", d.name);
            }
            for (const auto& [field, value] : fields) {
                if (*value && contains(**value, q.text)) {
                    add(field, **value);
                }
            }
        }
        if (address_matches(d.target_address, q)) {
            add("polled address", d.target_address);
        }
        for (const auto& a : d.addresses) {
            if (address_matches(a.address, q)) {
                add("address",
                    a.prefix_length ? fmt::format("{}/{}", a.address, *a.prefix_length) : a.address,
                    where(a.if_index));
            }
        }
        for (const auto& i : d.interfaces) {
            if (mac_matches(i.mac, q)) {
                add("interface MAC", *i.mac, where(i.index));
            }
        }
        for (const auto& e : d.neighbor_cache) {
            if (address_matches(e.address, q) || mac_matches(e.mac, q)) {
                add(e.family == Family::ipv4 ? "ARP" : "ND",
                    e.mac ? fmt::format("{} {}", e.address, *e.mac) : e.address, where(e.if_index));
            }
        }
        for (const auto& n : d.lldp) {
            bool hit = mac_matches(n.chassis_id, q) ||
                       std::ranges::any_of(n.management_addresses, [&](const std::string& a) {
                           return address_matches(a, q);
                       });
            if (text) {
                for (const auto* v : {&n.sys_name, &n.chassis_id, &n.port_id, &n.platform}) {
                    hit = hit || (*v && contains(**v, q.text));
                }
            }
            if (hit) {
                add(n.protocol == "cdp" ? "CDP" : "LLDP",
                    fmt::format("{} port {}", n.sys_name.value_or(n.chassis_id.value_or("?")),
                                n.port_id.value_or("?")),
                    where(n.local_port));
            }
        }
    }
    return hits;
}

std::vector<const Device*> find_devices(const std::vector<Device>& devices, std::string_view key) {
    std::vector<const Device*> out;
    for (const auto& d : devices) {
        if (d.name == key) {
            return {&d};
        }
    }
    const Query q = parse_query(key);
    const std::string lkey = ascii_lower(key);
    if (q.kind == QueryKind::address) {
        // The address a device was polled at names it before any address it merely holds
        // (127.0.0.1 and ::1 are on every host).
        for (const auto& d : devices) {
            if (address_matches(d.target_address, q)) {
                out.push_back(&d);
            }
        }
        if (!out.empty()) {
            return out;
        }
    }
    for (const auto& d : devices) {
        bool hit = false;
        if (q.kind == QueryKind::address) {
            hit = std::ranges::any_of(
                d.addresses, [&](const Address& a) { return address_matches(a.address, q); });
        } else if (q.kind == QueryKind::mac && q.mac.size() == 12) {
            hit = std::ranges::any_of(d.interfaces,
                                      [&](const Interface& i) { return mac_matches(i.mac, q); });
        }
        hit = hit || (d.serial && !key.empty() && ascii_lower(*d.serial) == lkey);
        if (hit) {
            out.push_back(&d);
        }
    }
    return out;
}

namespace {

bool same(std::string_view a, std::string_view b) {
    return ascii_lower(a) == ascii_lower(b);
}

bool site_matches(const Config* config, const std::optional<std::string>& site,
                  const std::string& want) {
    if (!site) {
        return false;
    }
    if (config && config->find_site(want)) {
        return in_subtree(*config, config->find_site(*site), want);
    }
    return *site == want;
}

} // namespace

bool matches(const Config* config, const Device& d, const DeviceFilter& f) {
    return (!f.site || site_matches(config, d.site, *f.site)) &&
           (!f.role || (d.role && same(*d.role, *f.role))) &&
           (!f.vendor || (d.vendor && same(*d.vendor, *f.vendor)));
}

bool matches(const Config* config, const Target* t, const DeviceFilter& f) {
    if (!t) {
        return f.empty();
    }
    // A target that did not answer has no vendor to match.
    return (!f.site || site_matches(config, t->site, *f.site)) &&
           (!f.role || (t->role && same(*t->role, *f.role))) && !f.vendor;
}

} // namespace netinv::model
