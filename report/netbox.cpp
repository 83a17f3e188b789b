// SPDX-License-Identifier: Apache-2.0
#include "report/netbox.hpp"

#include <fmt/format.h>

#include <array>
#include <map>
#include <set>
#include <string_view>

#include "model/text.hpp"
#include "report/escape.hpp"

namespace netinv::report {

namespace {

// The colour NetBox shows each role in (hex, no '#').
struct RoleColor {
    std::string_view role;
    std::string_view color;
};
constexpr std::array<RoleColor, 9> k_role_colors = {{{"server", "2196f3"},
                                                     {"router", "f44336"},
                                                     {"l3-switch", "ff9800"},
                                                     {"l2-switch", "ffc107"},
                                                     {"firewall", "9c27b0"},
                                                     {"cpe", "4caf50"},
                                                     {"ups", "795548"},
                                                     {"storage", "607d8b"},
                                                     {"unknown", "9e9e9e"}}};

// NetBox's interface type for an IANAifType and speed: Ethernet by its speed, the virtual
// kinds (loopback, VLAN, tunnel, propVirtual) as "virtual", link aggregation as "lag".
std::string interface_type(const model::Interface& i) {
    const std::uint32_t t = i.type.value_or(0);
    if (t == 24 || t == 53 || t == 131 || t == 135 || t == 136 || t == 166) {
        return "virtual";
    }
    if (t == 161) {
        return "lag";
    }
    if (t == 6 || t == 117 || t == 62 || t == 69) {
        struct Speed {
            std::uint64_t bps;
            std::string_view type;
        };
        static constexpr std::array<Speed, 7> k = {{{10'000'000, "10base-t"},
                                                    {100'000'000, "100base-tx"},
                                                    {1'000'000'000, "1000base-t"},
                                                    {10'000'000'000, "10gbase-x-sfpp"},
                                                    {25'000'000'000, "25gbase-x-sfp28"},
                                                    {40'000'000'000, "40gbase-x-qsfpp"},
                                                    {100'000'000'000, "100gbase-x-qsfp28"}}};
        for (const auto& s : k) {
            if (i.speed_bps && *i.speed_bps == s.bps) {
                return std::string(s.type);
            }
        }
    }
    return "other";
}

std::string row(std::initializer_list<std::string_view> cells) {
    std::string out;
    for (const auto& c : cells) {
        out += (out.empty() ? "" : ",") + csv_cell(c);
    }
    return out + "\r\n";
}

std::string interface_name(const model::Interface& i) {
    return i.name.value_or(i.descr.value_or(fmt::format("if{}", i.index)));
}

} // namespace

std::vector<ExportFile> render_netbox(const model::Config& c,
                                      const std::vector<model::Device>& devices) {
    std::set<std::string> parents, holding;
    for (const auto& s : c.sites) {
        if (!s.parent.empty()) {
            parents.insert(s.parent);
        }
    }
    for (const auto& t : c.targets) {
        if (t.site) {
            holding.insert(*t.site);
        }
    }
    for (const auto& d : devices) {
        if (d.site) {
            holding.insert(*d.site);
        }
    }
    // NetBox wants site names unique: a name two sites share (communes of the same name in two
    // districts) gets its code.
    std::map<std::string, int> uses;
    for (const auto& s : c.sites) {
        ++uses[s.name];
    }
    auto shown = [&](const model::Site& s) {
        return uses[s.name] > 1 ? fmt::format("{} ({})", s.name, s.code) : s.name;
    };
    std::vector<ExportFile> out;
    ExportFile regions{"01-regions.csv", row({"name", "slug", "parent", "description"})};
    for (const auto& s : c.sites) {
        if (!parents.contains(s.code)) {
            continue;
        }
        const model::Site* p = s.parent.empty() ? nullptr : c.find_site(s.parent);
        regions.csv += row({shown(s), "r-" + model::slug(s.code), p ? shown(*p) : "",
                            fmt::format("{} {}", s.kind, s.code)});
        ++regions.rows;
    }
    ExportFile sites{"02-sites.csv", row({"name", "slug", "status", "region", "description"})};
    for (const auto& s : c.sites) {
        if (!holding.contains(s.code)) {
            continue;
        }
        const model::Site* region = parents.contains(s.code) ? &s
                                    : s.parent.empty()       ? nullptr
                                                             : c.find_site(s.parent);
        sites.csv += row({shown(s), model::slug(s.code), "active", region ? shown(*region) : "",
                          fmt::format("{} {}", s.kind, s.code)});
        ++sites.rows;
    }
    std::map<std::string, std::string> makers;                        // name -> slug
    std::map<std::pair<std::string, std::string>, std::string> types; // (maker, model) -> slug
    std::set<std::string> roles;
    auto maker_of = [](const model::Device& d) {
        return d.vendor.value_or("Unknown");
    };
    auto model_of = [](const model::Device& d) {
        return d.model.value_or("Unknown");
    };
    auto role_of = [&](const model::Device& d) {
        if (const model::Target* t = c.find_target(d.name); t && t->role) {
            return *t->role;
        }
        return d.role.value_or("unknown");
    };
    for (const auto& d : devices) {
        makers[maker_of(d)] = model::slug(maker_of(d));
        types[{maker_of(d), model_of(d)}] = model::slug(maker_of(d) + "-" + model_of(d));
        roles.insert(role_of(d));
    }
    ExportFile mk{"03-manufacturers.csv", row({"name", "slug"})};
    for (const auto& [name, s] : makers) {
        mk.csv += row({name, s});
        ++mk.rows;
    }
    ExportFile dt{"04-device-types.csv", row({"manufacturer", "model", "slug"})};
    for (const auto& [key, s] : types) {
        dt.csv += row({key.first, key.second, s});
        ++dt.rows;
    }
    ExportFile dr{"05-device-roles.csv", row({"name", "slug", "color"})};
    for (const auto& r : roles) {
        std::string_view color = "9e9e9e";
        for (const auto& rc : k_role_colors) {
            color = rc.role == r ? rc.color : color;
        }
        dr.csv += row({r, model::slug(r), color});
        ++dr.rows;
    }
    ExportFile dv{"06-devices.csv", row({"name", "role", "manufacturer", "device_type", "site",
                                         "status", "serial", "description"})};
    ExportFile ifs{"07-interfaces.csv",
                   row({"device", "name", "type", "enabled", "mac_address", "description"})};
    ExportFile ips{"08-ip-addresses.csv",
                   row({"address", "status", "device", "interface", "is_primary"})};
    for (const auto& d : devices) {
        const model::Site* site = d.site ? c.find_site(*d.site) : nullptr;
        // NetBox's description is 200 characters at most: cut at a character boundary.
        std::string descr = d.sys_descr.value_or("");
        if (descr.size() > 200) {
            std::size_t cut = 200;
            while (cut > 0 && (static_cast<unsigned char>(descr[cut]) & 0xC0) == 0x80) {
                --cut;
            }
            descr.resize(cut);
        }
        dv.csv += row({d.name, role_of(d), maker_of(d), model_of(d), site ? shown(*site) : "",
                       "active", d.serial.value_or(""), descr});
        ++dv.rows;
        std::map<std::uint32_t, std::string> names;
        std::set<std::string> taken; // NetBox wants a device's interface names unique
        for (const auto& i : d.interfaces) {
            std::string name = interface_name(i);
            if (!taken.insert(name).second) {
                name = fmt::format("{} (ifIndex {})", name, i.index);
                taken.insert(name);
            }
            names[i.index] = name;
            const bool enabled =
                i.admin_status.value_or(model::IfStatus::up) == model::IfStatus::up;
            ifs.csv += row({d.name, name, interface_type(i), enabled ? "true" : "false",
                            i.mac.value_or(""), i.alias.value_or("")});
            ++ifs.rows;
        }
        for (const auto& a : d.addresses) {
            // NetBox wants a prefix length; loopback addresses say nothing of the network.
            if (!a.prefix_length || a.address.starts_with("127.") || a.address == "::1") {
                continue;
            }
            const auto at = a.if_index ? names.find(*a.if_index) : names.end();
            const std::string bare = a.address.substr(0, a.address.find('%'));
            ips.csv += row({fmt::format("{}/{}", bare, *a.prefix_length), "active",
                            at == names.end() ? "" : d.name, at == names.end() ? "" : at->second,
                            at != names.end() && bare == d.target_address ? "true" : "false"});
            ++ips.rows;
        }
    }
    for (auto* f : {&regions, &sites, &mk, &dt, &dr, &dv, &ifs, &ips}) {
        out.push_back(std::move(*f));
    }
    return out;
}

} // namespace netinv::report
