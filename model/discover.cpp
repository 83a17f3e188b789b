// SPDX-License-Identifier: Apache-2.0
#include "model/discover.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "model/text.hpp"

namespace netinv::model {

namespace {

bool alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

} // namespace

std::string name_from_sys_name(const std::optional<std::string>& sys_name,
                               const std::string& address) {
    const std::string text = sys_name.value_or("");
    std::string_view s = text;
    // An FQDN names the host by its first label; a sysName that is an address is not a name.
    if (!parse_ip(s)) {
        s = s.substr(0, s.find('.'));
    } else {
        s = {};
    }
    std::string n;
    for (char c : ascii_lower(s)) {
        const bool ok = alnum(c) || c == '-' || c == '_';
        if (!ok) {
            c = '-';
        }
        if (c == '-' && (n.empty() || n.back() == '-')) {
            continue; // no leading or doubled dashes
        }
        n += c;
        if (n.size() == 64) {
            break;
        }
    }
    while (!n.empty() && !alnum(n.back())) {
        n.pop_back();
    }
    if (n.empty() || !alnum(n.front())) {
        n = "host-" + address;
        std::ranges::replace(n, '.', '-');
        std::ranges::replace(n, ':', '-');
        while (n.find("--") != std::string::npos) {
            n.erase(n.find("--"), 1);
        }
        while (!n.empty() && n.back() == '-') {
            n.pop_back();
        }
    }
    return n;
}

std::vector<Proposal> propose_targets(const Config& c, const std::vector<Answered>& answered) {
    std::set<std::string> taken;
    for (const auto& t : c.targets) {
        taken.insert(ascii_lower(t.name));
    }
    std::vector<Proposal> out;
    out.reserve(answered.size());
    for (const auto& a : answered) {
        Proposal p;
        p.site = c.site_for_address(a.address);
        for (const auto& t : c.targets) {
            auto ip = parse_ip(t.address);
            if (ip && ip->canonical == a.address) {
                p.known_as = t.name;
                break;
            }
        }
        if (p.known_as) {
            p.name = *p.known_as;
            out.push_back(std::move(p));
            continue;
        }
        const std::string base = name_from_sys_name(a.sys_name, a.address);
        std::string name = base;
        for (int n = 2; taken.contains(ascii_lower(name)); ++n) {
            const std::string suffix = fmt::format("-{}", n);
            name = base.substr(0, 64 - suffix.size()) + suffix;
        }
        taken.insert(ascii_lower(name));
        p.name = std::move(name);
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace netinv::model
