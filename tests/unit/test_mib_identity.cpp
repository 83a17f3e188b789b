// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "probes/mib/mib.hpp"

using namespace netinv;
using namespace netinv::probes;
using netinv::test::fixture;
using netinv::test::snmprec;

namespace {

model::Device identify(const std::string& descr, const std::string& object_id,
                       const std::vector<VarBind>& entity = {},
                       const std::vector<VarBind>& vendor = {}) {
    Diagnostics diag("d");
    model::Device d;
    mib::decode_system(snmprec("1.3.6.1.2.1.1.2.0|6|" + object_id + "\n"), d, diag);
    d.sys_descr = descr;
    mib::decode_identity(entity, vendor, test::shipped_rules(), d, diag);
    return d;
}

} // namespace

TEST_CASE("identity: the ENTITY-MIB chassis row wins", "[probes][mib][identity]") {
    auto d = identify("Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version "
                      "15.0(2a)EX5, RELEASE SOFTWARE (fc3)",
                      "1.3.6.1.4.1.9.1.1208",
                      snmprec("1.3.6.1.2.1.47.1.1.1.1.2.1001|4|WS-C2960X-48FPS-L\n"
                              "1.3.6.1.2.1.47.1.1.1.1.2.1|4|a module\n"
                              "1.3.6.1.2.1.47.1.1.1.1.5.1|2|9\n"
                              "1.3.6.1.2.1.47.1.1.1.1.5.1001|2|3\n"
                              "1.3.6.1.2.1.47.1.1.1.1.10.1001|4|15.0(2a)EX5\n"
                              "1.3.6.1.2.1.47.1.1.1.1.11.1|4|MODULESERIAL\n"
                              "1.3.6.1.2.1.47.1.1.1.1.11.1001|4|FCW1929B68S\n"
                              "1.3.6.1.2.1.47.1.1.1.1.13.1001|4|WS-C2960X-48FPS-L\n"));
    CHECK(d.vendor == "Cisco");
    CHECK(d.model == "WS-C2960X-48FPS-L");
    CHECK(d.serial == "FCW1929B68S");
    CHECK(d.version == "15.0(2a)EX5");
    CHECK(d.os == "IOS");
}

TEST_CASE("identity: a chassis without a model name gives its description",
          "[probes][mib][identity]") {
    auto d = identify("Juniper Networks, Inc. vmx internet router, kernel JUNOS 18.2R1.9, Build",
                      "1.3.6.1.4.1.2636.1.1.1.2.108",
                      snmprec("1.3.6.1.2.1.47.1.1.1.1.2.1|4|Juniper VMX Internet Backbone Router\n"
                              "1.3.6.1.2.1.47.1.1.1.1.5.1|2|3\n"
                              "1.3.6.1.2.1.47.1.1.1.1.13.1|4|\n"));
    CHECK(d.model == "Juniper VMX Internet Backbone Router");
    CHECK(d.os == "JunOS");
    CHECK(d.version == "18.2R1.9");
}

TEST_CASE("identity: vendor objects where ENTITY-MIB has nothing", "[probes][mib][identity]") {
    CHECK(mib::vendor_scalars(identify("FortiGate-60F", "1.3.6.1.4.1.12356.101.1.644"),
                              test::shipped_rules())
              .size() == 2);
    // Synology DSM answers with net-snmp's sysObjectID: net-snmp agents are asked too.
    // (Synology's three and Check Point's two: Gaia answers with net-snmp's sysObjectID too)
    CHECK(mib::vendor_scalars(identify("Linux h 5.10", "1.3.6.1.4.1.8072.3.2.10"),
                              test::shipped_rules())
              .size() == 5);
    CHECK(
        mib::vendor_scalars(identify("Some appliance", "1.3.6.1.4.1.99999"), test::shipped_rules())
            .empty());
    auto dsm = identify("Linux ds 3.10.77 #8451 SMP x86_64", "1.3.6.1.4.1.8072.3.2.10", {},
                        test::snmprec("1.3.6.1.4.1.6574.1.5.1.0|4|RS2212RP+\n"
                                      "1.3.6.1.4.1.6574.1.5.2.0|4|3005AWL999111\n"
                                      "1.3.6.1.4.1.6574.1.5.3.0|4|DSM 6.1-15217\n"));
    CHECK(dsm.vendor == "Synology");
    CHECK(dsm.model == "RS2212RP+");
    CHECK(dsm.serial == "3005AWL999111");
    CHECK(dsm.version == "6.1-15217");
    CHECK(dsm.os == "Linux");
    auto d = identify("RouterOS RB750Gr3", "1.3.6.1.4.1.14988.1", {},
                      snmprec("1.3.6.1.4.1.14988.1.1.7.3.0|4|6F3A071688EA\n"
                              "1.3.6.1.4.1.14988.1.1.4.4.0|4|7.20.4\n"));
    CHECK(d.vendor == "MikroTik");
    CHECK(d.model == "RB750Gr3");
    CHECK(d.serial == "6F3A071688EA");
    CHECK(d.version == "7.20.4");
    CHECK(d.os == "RouterOS");
}

TEST_CASE("identity: each vendor's own objects", "[probes][mib][identity]") {
    auto forti = identify("FortiGate-60F", "1.3.6.1.4.1.12356.101.1.644", {},
                          test::snmprec("1.3.6.1.4.1.12356.100.1.1.1.0|4|FGT60FTK12345678\n"
                                        "1.3.6.1.4.1.12356.101.4.1.1.0|4|v7.2.10,build1706\n"));
    CHECK(forti.serial == "FGT60FTK12345678");
    CHECK(forti.version == "v7.2.10,build1706");
    auto apc = identify("APC Web/SNMP Management Card", "1.3.6.1.4.1.318.1.3.27", {},
                        test::snmprec("1.3.6.1.4.1.318.1.1.1.1.1.1.0|4|Smart-UPS X 750\n"
                                      "1.3.6.1.4.1.318.1.1.1.1.2.3.0|4|AS1907242163\n"));
    CHECK(apc.model == "Smart-UPS X 750");
    CHECK(apc.serial == "AS1907242163");
    auto drac = identify("", "1.3.6.1.4.1.674.10892.5", {},
                         test::snmprec("1.3.6.1.4.1.674.10892.5.1.3.12.0|4|PowerEdge R640\n"
                                       "1.3.6.1.4.1.674.10892.2.1.1.11.0|4|1234ABC\n"
                                       "1.3.6.1.4.1.674.10892.2.1.2.1.0|4|5.10.10.00\n"));
    CHECK(drac.model == "PowerEdge R640");
    CHECK(drac.serial == "1234ABC");
    CHECK(drac.version == "5.10.10.00");
    auto ilo = identify("Integrated Lights-Out 5 2.44 Apr 11 2021", "1.3.6.1.4.1.232.9.4.11", {},
                        test::snmprec("1.3.6.1.4.1.232.2.2.4.2.0|4|ProLiant DL380 Gen10\n"
                                      "1.3.6.1.4.1.232.2.2.2.1.0|4|CZ2000ABCD\n"));
    CHECK(ilo.model == "ProLiant DL380 Gen10");
    CHECK(ilo.serial == "CZ2000ABCD");
    CHECK(ilo.os == "iLO");
    auto eaton = identify("Eaton 5PX", "1.3.6.1.4.1.534.1", {},
                          test::snmprec("1.3.6.1.4.1.534.1.1.2.0|4|Eaton 5PX 1500\n"
                                        "1.3.6.1.4.1.534.1.1.3.0|4|INV: 02.14.0026\n"));
    CHECK(eaton.model == "Eaton 5PX 1500");
    CHECK(eaton.version == "INV: 02.14.0026");
    // A value of another type than the MIB's (noSuchObject, an INTEGER) leaves the field.
    auto none = identify("FortiGate-60F", "1.3.6.1.4.1.12356.101.1.644", {},
                         test::snmprec("1.3.6.1.4.1.12356.100.1.1.1.0|128|\n"
                                       "1.3.6.1.4.1.12356.101.4.1.1.0|2|7\n"));
    CHECK_FALSE(none.serial);
}

TEST_CASE("identity: sysDescr patterns of the province's platforms", "[probes][mib][identity]") {
    struct Case {
        const char* descr;
        const char* os;
        const char* version;
    };
    for (const Case& c : {
             Case{"Cisco Adaptive Security Appliance Version 9.12(3)", "ASA", "9.12(3)"},
             Case{"Cisco NX-OS(tm) n3000, Software (n3000-uk9), Version 7.0(3)I7(8), RELEASE",
                  "NX-OS", "7.0(3)I7(8)"},
             Case{"Cisco IOS Software [Bengaluru], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
                  "Version 17.6.4, RELEASE SOFTWARE (fc1)",
                  "IOS-XE", "17.6.4"},
             Case{"Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 "
                  "(AR6120 V300R019C10SPC300)",
                  "VRP", "5.170 (V300R019C10SPC300)"},
             Case{"Linux dc-srv-1 5.10.0-26-amd64 #1 SMP Debian", "Linux", "5.10.0-26-amd64"},
             Case{"Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: "
                  "Windows Version 6.3 (Build 17763 Multiprocessor Free)",
                  "Windows", "Server 2019 (1809)"},
             Case{"DrayTek Corporation, Router Model: Vigor2925, Version: 3.8.4, Build Date",
                  "DrayOS", "3.8.4"},
             Case{"HP J9776A 2530-24G Switch, revision YA.16.10.0009, ROM YA.15.20", "ProCurve",
                  "YA.16.10.0009"},
             Case{"VMware ESXi 7.0.0 build-15843807 VMware, Inc. x86_64", "ESXi", "7.0.0"},
             Case{"Aruba JL658A 6300M 24SFP+ 4SFP56 Swch FL.10.06.0110", "ArubaOS-CX",
                  "FL.10.06.0110"},
             Case{"Integrated Lights-Out 5 2.44 Apr 11 2021", "iLO", "2.44"},
             Case{"APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.4.6 PN:apc_hw05_aos_646.bin)",
                  "AOS", "v6.4.6"},
             Case{"Comware Platform Software, Software Version 5.20.99, Release 2221P08", "Comware",
                  "5.20.99"},
         }) {
        INFO(c.descr);
        auto d = identify(c.descr, "1.3.6.1.4.1.99999");
        CHECK(d.os == c.os);
        CHECK(d.version == c.version);
    }
    CHECK(
        identify("DrayTek Corporation, Router Model: Vigor2925, Version: 3.8.4", "1.3.6.1.4.1.7367")
            .model == "Vigor2925");
    auto unknown = identify("Some appliance", "1.3.6.1.4.1.99999");
    CHECK_FALSE(unknown.os);
    CHECK_FALSE(unknown.version);
}

// Families the corpus has no recording of, in the shape of real devices' recordings (the
// system group and the objects a rule reads) or, where none was at hand, of the vendor's MIB.
TEST_CASE("identity: families beyond the corpus", "[probes][mib][identity]") {
    // A Firepower 2100 running FTD: sysDescr names FTD's version and the ASA engine's.
    auto ftd = identify("Cisco FirePOWER Threat Defense, Version 6.2.0.4 (Build 85), ASA Version "
                        "9.7(1)19",
                        "1.3.6.1.4.1.9.1.2409");
    CHECK(ftd.os == "FTD");
    CHECK(ftd.version == "6.2.0.4");
    CHECK(ftd.vendor == "Cisco");

    // pfSense answers with FreeBSD's bsnmpd sysObjectID.
    auto pf = identify("pfSense 2.3.2-RELEASE pfSense FreeBSD 10.3-RELEASE-p5 amd64",
                       "1.3.6.1.4.1.12325.1.1.2.1.1");
    CHECK(pf.os == "pfSense");
    CHECK(pf.version == "2.3.2-RELEASE");

    // A QNAP TVS-871U-RP with a UX-1200U expansion unit: the first enclosure is the NAS; the
    // ENTITY software revision carries a stray backslash.
    auto qnap = identify("Linux hostname 4.2.2", "1.3.6.1.4.1.24681",
                         snmprec("1.3.6.1.2.1.47.1.1.1.1.2.1|4|QNAP Turbo NAS TVS-871U-RP\n"
                                 "1.3.6.1.2.1.47.1.1.1.1.5.1|2|3\n"
                                 "1.3.6.1.2.1.47.1.1.1.1.9.1|4|\\\"4.3.3\n"
                                 "1.3.6.1.2.1.47.1.1.1.1.10.1|4|\\4.3.3\n"
                                 "1.3.6.1.2.1.47.1.1.1.1.11.1|4|Q157I12451\n"
                                 "1.3.6.1.2.1.47.1.1.1.1.13.1|4|TVS-871U-RP\n"),
                         snmprec("1.3.6.1.4.1.24681.1.4.1.1.1.1.1.2.1.3.1|4|TVS-871U-RP\n"
                                 "1.3.6.1.4.1.24681.1.4.1.1.1.1.1.2.1.4.1|4|Q157I12451\n"));
    CHECK(qnap.vendor == "QNAP");
    CHECK(qnap.model == "TVS-871U-RP");
    CHECK(qnap.serial == "Q157I12451");
    CHECK(qnap.version == "4.3.3");
    CHECK(qnap.os == "QTS");
    CHECK(mib::vendor_scalars(qnap, test::shipped_rules()).size() == 2);

    auto zte = identify("ZTE Ethernet Switch  ZXR10 5250-52TM-H, Version: V2.05.11B23",
                        "1.3.6.1.4.1.3902.3.100.181");
    CHECK(zte.vendor == "ZTE");
    CHECK(zte.model == "ZXR10 5250-52TM-H");
    CHECK(zte.version == "V2.05.11B23");

    // Sophos XG/XGS (SFOS-FIREWALL-MIB objects; its sysDescr is the kernel's).
    auto sophos = identify("Linux fw 4.14.38", "1.3.6.1.4.1.2604.5", {},
                           snmprec("1.3.6.1.4.1.2604.5.1.1.2.0|4|XGS 2100\n"
                                   "1.3.6.1.4.1.2604.5.1.1.3.0|4|SFOS 19.5.3 MR-3-Build652\n"
                                   "1.3.6.1.4.1.2604.5.1.1.4.0|4|X21001ABCD1234\n"));
    CHECK(sophos.vendor == "Sophos");
    CHECK(sophos.os == "SFOS");
    CHECK(sophos.model == "XGS 2100");
    CHECK(sophos.serial == "X21001ABCD1234");
    CHECK(sophos.version == "19.5.3 MR-3-Build652");

    auto instant =
        identify("ArubaOS (MODEL: 315), Version 8.6.0.4-8.6.0.4", "1.3.6.1.4.1.14823.1.2.110");
    CHECK(instant.os == "ArubaOS");
    CHECK(instant.model == "315");
    CHECK(instant.version == "8.6.0.4-8.6.0.4");
    auto controller =
        identify("ArubaOS (MODEL: Aruba7010), Version 6.4.4.8 (57211)", "1.3.6.1.4.1.14823.1.1.36");
    CHECK(controller.model == "Aruba7010");
    CHECK(controller.version == "6.4.4.8");

    // CloudEngine and USG run VRP: the VRP rule reads the version, ENTITY the model.
    auto ce = identify("Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version "
                       "8.180 (CE6850EI V200R005C10SPC800)\r\nCopyright (C) 2012-2018 Huawei",
                       "1.3.6.1.4.1.2011.2.239.12",
                       snmprec("1.3.6.1.2.1.47.1.1.1.1.2.16777216|4|HUAWEI CE6850-48S6Q-HI\n"
                               "1.3.6.1.2.1.47.1.1.1.1.5.16777216|2|3\n"
                               "1.3.6.1.2.1.47.1.1.1.1.11.16777216|4|2102350DKE10H8000123\n"
                               "1.3.6.1.2.1.47.1.1.1.1.13.16777216|4|CE6850-48S6Q-HI\n"));
    CHECK(ce.os == "VRP");
    CHECK(ce.version == "8.180 (V200R005C10SPC800)");
    CHECK(ce.model == "CE6850-48S6Q-HI");
    CHECK(ce.serial == "2102350DKE10H8000123");
}

TEST_CASE("role: configured first / then vendor and OS / then sysServices",
          "[probes][mib][identity]") {
    auto role = [](const std::string& descr, const std::string& oid, const std::string& system,
                   std::optional<std::string> configured = std::nullopt) {
        model::Device d = identify(descr, oid);
        d.role = configured;
        mib::decode_role(snmprec(system), d);
        return d.role;
    };
    CHECK(role("FortiGate-60F v7.0", "1.3.6.1.4.1.12356.101.1.644", "") == "firewall");
    CHECK(role("Linux h 5.10", "1.3.6.1.4.1.8072.3.2.10", "1.3.6.1.2.1.1.7.0|2|72\n") == "server");
    CHECK(role("RouterOS RB750Gr3", "1.3.6.1.4.1.14988.1", "") == "cpe");
    CHECK(role("Some switch", "1.3.6.1.4.1.99999", "1.3.6.1.2.1.1.7.0|2|6\n") == "l3-switch");
    CHECK(role("Some router", "1.3.6.1.4.1.99999", "1.3.6.1.2.1.1.7.0|2|4\n") == "router");
    CHECK(role("Some bridge", "1.3.6.1.4.1.99999", "1.3.6.1.2.1.1.7.0|2|2\n") == "l2-switch");
    CHECK(role("Box", "1.3.6.1.4.1.99999", "1.3.6.1.2.1.4.1.0|2|1\n") == "router");
    CHECK_FALSE(role("Box", "1.3.6.1.4.1.99999", ""));
    CHECK(role("FortiGate", "1.3.6.1.4.1.12356.101.1.644", "", "router") == "router");
}

TEST_CASE("identity: the recorded net-snmp agent", "[probes][mib][identity]") {
    Diagnostics diag("linux");
    model::Device d;
    auto vbs = fixture("netsnmp_linux.snmprec");
    mib::decode_system(vbs, d, diag);
    mib::decode_identity({}, {}, test::shipped_rules(), d, diag);
    CHECK(d.os == "Linux");
    CHECK(d.version.has_value());
}
