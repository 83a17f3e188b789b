// SPDX-License-Identifier: Apache-2.0
//
// Each vendor shape the lab generates, decoded the way the engine does: identity rules per
// vendor, the IP-MIB / RFC 1213 fallback, interfaces without ifXTable, LLDP.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "helpers.hpp"
#include "model/vendor.hpp"
#include "probes/mib/mib.hpp"

using namespace netinv;
using namespace netinv::probes;

namespace {

struct Expect {
    const char* profile;
    const char* vendor;
    const char* os;
    std::optional<std::string> model;
    std::optional<std::string> version;
    bool legacy_ip;   // only the RFC 1213 ipAddrTable, so no IPv6 and no origin
    bool has_if_name; // ifXTable present
};

model::Device decode(const std::string& profile) {
    auto vbs = test::fixture("lab/" + profile + ".snmprec");
    Diagnostics diag(profile);
    model::Device d;
    mib::decode_system(vbs, d, diag);
    d.interfaces = mib::decode_interfaces(vbs, diag);
    d.addresses = mib::decode_ip_address_table(vbs, diag);
    if (d.addresses.empty()) {
        d.addresses = mib::decode_ip_addr_table(vbs, diag);
    }
    mib::decode_role(vbs, d, mib::decode_identity(vbs, {}, test::shipped_rules(), d, diag));
    d.lldp = mib::decode_lldp(vbs, diag);
    INFO(profile);
    CHECK(diag.take().empty());
    return d;
}

} // namespace

TEST_CASE("lab vendors: identity / addresses / LLDP for every generated vendor shape",
          "[probes][mib][vendors]") {
    const std::vector<Expect> cases = {
        {"cisco-ios-xe", "Cisco", "IOS-XE", "ISR4331/K9", "16.9.4", false, true},
        {"cisco-ios", "Cisco", "IOS", "WS-C2960X-24TS-L", "15.2(7)E3", false, true},
        {"huawei-vrp", "Huawei", "VRP", "AR6120", "5.170 (V300R019C10SPC300)", false, true},
        {"huawei-switch", "Huawei", "VRP", "S5735-L24T4X-A1", "5.170 (V200R019C10SPC500)", false,
         true},
        {"juniper-junos", "Juniper", "JunOS", "MX204", "20.4R3-S2.6", false, true},
        {"mikrotik", "MikroTik", "RouterOS", "RB750Gr3", "6.49.7", false, true},
        {"draytek", "DrayTek", "DrayOS", "Vigor2925", "3.8.4", true, false},
        {"fortigate", "Fortinet", "FortiOS", "FortiGate 60F", "7.0.12", false, true},
        {"aruba-procurve", "HPE", "ProCurve", "J9776A", "YA.16.10.0009", false, true},
        {"linux", "Net-SNMP", "Linux", "Generic x86 64-bit", "5.10.0-26-amd64", false, true},
        {"windows", "Microsoft", "Windows", "Intel x64", "Server 2019 (1809)", true, true},
    };
    for (const auto& e : cases) {
        INFO(e.profile);
        const model::Device d = decode(e.profile);
        CHECK(d.vendor == e.vendor);
        CHECK(d.os == e.os);
        CHECK(d.model == e.model);
        CHECK(d.version == e.version);
        const bool has_entity =
            e.os != std::string_view("Linux") && e.os != std::string_view("Windows");
        CHECK(d.serial == (has_entity ? std::optional<std::string>("SN4001TEST") : std::nullopt));
        REQUIRE_FALSE(d.interfaces.empty());
        CHECK(d.interfaces[0].alias ==
              (e.has_if_name ? std::optional<std::string>("TSLCD uplink dr-288") : std::nullopt));
        CHECK(d.interfaces[0].name.has_value() == e.has_if_name);
        CHECK(std::ranges::any_of(d.addresses, [](const model::Address& a) {
            return a.address == "10.30.1.6" && a.prefix_length == 30;
        }));
        const bool v6 = std::ranges::any_of(
            d.addresses, [](const model::Address& a) { return a.family == model::Family::ipv6; });
        CHECK(v6 == (!e.legacy_ip && std::string(e.profile) != "linux" &&
                     std::string(e.profile) != "windows"));
        if (e.legacy_ip) {
            CHECK(std::ranges::all_of(d.addresses, [](const auto& a) { return !a.origin; }));
        }
        REQUIRE(d.lldp.size() == 1);
        CHECK(d.lldp[0].sys_name == "DR-288");
        CHECK(d.lldp[0].port_id == "GigabitEthernet0/0/2.101");
        CHECK(d.lldp[0].local_port == d.interfaces[0].index);
    }
}

TEST_CASE("vendor table: at least 60 vendors / each number once", "[model][vendor]") {
    std::set<std::string_view> names;
    std::uint32_t found = 0;
    for (std::uint32_t n = 0; n < 60000; ++n) {
        if (auto v = model::vendor_for_enterprise(n)) {
            names.insert(*v);
            ++found;
        }
    }
    CHECK(names.size() >= 60);
    CHECK(found >= 75);
    CHECK(model::vendor_for_enterprise(25506) == "HPE");
    CHECK(model::vendor_for_enterprise(207) == "Allied Telesis");
    CHECK(model::vendor_for_enterprise(6527) == "Nokia");
}
