// SPDX-License-Identifier: Apache-2.0
#include "model/vendor.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace netinv::model {

namespace {

// IANA private enterprise numbers of vendors found in government networks, sorted by number.
constexpr std::array<std::pair<std::uint32_t, std::string_view>, 81> k_vendors = {{
    {2, "IBM"},
    {9, "Cisco"},
    {11, "HPE"},
    {42, "Oracle"},
    {43, "3Com"},
    {171, "D-Link"},
    {193, "Ericsson"},
    {232, "HPE"},
    {311, "Microsoft"},
    {318, "APC"},
    {534, "Eaton"},
    {637, "Nokia"},
    {674, "Dell"},
    {789, "NetApp"},
    {890, "Zyxel"},
    {1139, "Dell EMC"},
    {1588, "Brocade"},
    {1916, "Extreme Networks"},
    {1991, "Brocade"},
    {2011, "Huawei"},
    {2021, "Net-SNMP"},
    {2604, "Sophos"},
    {2620, "Check Point"},
    {2636, "Juniper"},
    {3224, "Juniper"},
    {3375, "F5"},
    {3902, "ZTE"},
    {3955, "Linksys"},
    {4413, "Broadcom"},
    {4526, "Netgear"},
    {4881, "Ruijie"},
    {5624, "Extreme Networks"},
    {5951, "Citrix"},
    {6027, "Dell"},
    {6486, "Alcatel-Lucent Enterprise"},
    {6574, "Synology"},
    {6876, "VMware"},
    {7367, "DrayTek"},
    {8072, "Net-SNMP"},
    {8741, "SonicWall"},
    {10002, "Ubiquiti"},
    {11863, "TP-Link"},
    {12356, "Fortinet"},
    {13742, "Raritan"},
    {14179, "Cisco"},
    {14823, "HPE Aruba"},
    {14988, "MikroTik"},
    {17713, "Cambium Networks"},
    {21067, "Sophos"},
    {25053, "Ruckus"},
    {25461, "Palo Alto Networks"},
    {25506, "HPE"},
    {30065, "Arista"},
    {39165, "Hikvision"},
    {24681, "QNAP"},
    {41112, "Ubiquiti"},
    {47196, "HPE Aruba"},
    {50536, "TrueNAS"},
    {2352, "Ericsson"},
    {207, "Allied Telesis"},
    {253, "Xerox"},
    {367, "Ricoh"},
    {368, "Axis"},
    {476, "Vertiv"},
    {641, "Lexmark"},
    {664, "Adtran"},
    {1248, "Epson"},
    {1347, "Kyocera"},
    {1602, "Canon"},
    {2435, "Brother"},
    {3097, "WatchGuard"},
    {3417, "Blue Coat"},
    {4329, "Siemens"},
    {6527, "Nokia"},
    {7779, "Infoblox"},
    {8691, "Moxa"},
    {10876, "Supermicro"},
    {17163, "Riverbed"},
    {19046, "Lenovo"},
    {20632, "Barracuda"},
    {22610, "A10 Networks"},
}};

constexpr auto k_sorted = [] {
    auto v = k_vendors;
    std::ranges::sort(v);
    return v;
}();

} // namespace

std::optional<std::uint32_t> enterprise_number(std::string_view sys_object_id) {
    if (sys_object_id.starts_with('.')) {
        sys_object_id.remove_prefix(1);
    }
    constexpr std::string_view prefix = "1.3.6.1.4.1.";
    if (!sys_object_id.starts_with(prefix)) {
        return std::nullopt;
    }
    sys_object_id.remove_prefix(prefix.size());
    std::uint32_t n = 0;
    const auto* end = sys_object_id.data() + sys_object_id.size();
    auto [p, ec] = std::from_chars(sys_object_id.data(), end, n);
    if (ec != std::errc{} || p == sys_object_id.data() || (p != end && *p != '.')) {
        return std::nullopt;
    }
    return n;
}

std::optional<std::string_view> vendor_for_enterprise(std::uint32_t number) {
    const auto* it = std::ranges::lower_bound(k_sorted, number, {},
                                              &std::pair<std::uint32_t, std::string_view>::first);
    if (it != k_sorted.end() && it->first == number) {
        return it->second;
    }
    return std::nullopt;
}

} // namespace netinv::model
