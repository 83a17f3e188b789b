// SPDX-License-Identifier: Apache-2.0
//
// Identity rules (data/identity.toml): the loader's every kind of mistake, each rule kind from
// varbinds as real agents send them (rows copied from recordings of real devices), and the
// shipped file itself.
#include <catch2/catch.hpp>

#include "cli/identity_loader.hpp"
#include "helpers.hpp"
#include "probes/mib/mib.hpp"

using namespace netinv;
using namespace netinv::probes;
using netinv::test::snmprec;

namespace {

std::vector<std::string> errors(const std::string& text) {
    return cli::parse_identity_rules(text, "rules.toml").errors;
}

model::Device identify(const model::IdentityRules& rules, const std::string& system,
                       const std::string& entity = "", const std::string& got = "") {
    Diagnostics diag("d");
    model::Device d;
    mib::decode_system(snmprec(system), d, diag);
    mib::decode_identity(snmprec(entity), snmprec(got), rules, d, diag);
    return d;
}

} // namespace

TEST_CASE("identity rules: the shipped file loads without a mistake", "[identity][rules]") {
    const auto r = cli::load_identity_rules();
    CHECK(r.errors.empty());
    CHECK(r.rules.rules.size() > 40);
    CHECK(r.rules.rules.back().all); // the generic ENTITY-MIB rule comes last
}

TEST_CASE("identity rules: every kind of mistake, with its place", "[identity][rules]") {
    CHECK(errors("[[rule]]\nname = \"a\"\nmodel = [\"descr\"]\n") ==
          std::vector<std::string>{"rules.toml:1:1: rule 'a' has no matcher: give it "
                                   "sys_object_id, enterprise or sys_descr (or all = true)"});
    CHECK(errors("[[rule]]\nname = \"a\"\nenterprise = 9\nmodell = [\"descr\"]\n") ==
          std::vector<std::string>{"rules.toml:4:1: unknown key 'modell' (did you mean 'model'?)"});
    CHECK(errors("[[rule]]\nname = \"a\"\nsys_descr = \"(unclosed\"\n").size() == 1);
    CHECK(errors("[[rule]]\nname = \"a\"\nsys_descr = \"(unclosed\"\n")
              .front()
              .starts_with("rules.toml:3:13: bad regular expression '(unclosed': "));
    CHECK(errors("[[rule]]\nname = \"a\"\nenterprise = 9\nserial = [\"get:1.3.6.x\"]\n") ==
          std::vector<std::string>{"rules.toml:4:11: 'get:1.3.6.x': get takes a numeric OID "
                                   "(get:1.3.6.1.4.1...)"});
    CHECK(errors("[[rule]]\nname = \"a\"\nenterprise = 9\nserial = [\"entity:colour\"]\n") ==
          std::vector<std::string>{"rules.toml:4:11: 'entity:colour': entity takes one of descr, "
                                   "hardware, firmware, software, serial, model"});
    CHECK(errors("[[rule]]\nname = \"a\"\nenterprise = 9\nserial = [\"snmp:1.3\"]\n") ==
          std::vector<std::string>{
              "rules.toml:4:11: 'snmp:1.3': a source is get:OID, entity:COLUMN, descr or "
              "const:TEXT, then optionally ' ~ REGEX' and ' => TEMPLATE'"});
    CHECK(errors("[[rule]]\nname = \"a\"\nenterprise = 9\nversion = ['descr ~ V(\\d+) => $2']\n") ==
          std::vector<std::string>{
              "rules.toml:4:12: 'descr ~ V(\\d+) => $2': $2 but the pattern has 1 group(s)"});
    CHECK(errors("[[rule]]\nname = \"a\"\nenterprise = 9\nversion = ['descr => $1']\n") ==
          std::vector<std::string>{"rules.toml:4:12: 'descr => $1': '=>' needs a pattern "
                                   "('~ REGEX') to take groups from"});
    CHECK(errors("[[rule]]\nname = \"a\"\nenterprise = -1\n") ==
          std::vector<std::string>{"rules.toml:3:14: 'enterprise' takes IANA enterprise numbers",
                                   "rules.toml:1:1: rule 'a' has no matcher: give it "
                                   "sys_object_id, enterprise or sys_descr (or all = true)"});
    CHECK(errors("[[rule]]\nname = \"a\"\nenterprise = 9\nrole = \"toaster\"\n") ==
          std::vector<std::string>{"rules.toml:4:8: unknown role; roles: server, router, "
                                   "l3-switch, l2-switch, firewall, cpe, ups, storage, other"});
    CHECK(errors("[[rule]]\nname = \"a\"\nsys_object_id = \"1.3.6.1.4.1.9.\"\n") ==
          std::vector<std::string>{
              "rules.toml:3:17: sys_object_id '1.3.6.1.4.1.9.' is not a numeric OID"});
    CHECK(errors("colour = 1\n") ==
          std::vector<std::string>{"rules.toml:1:1: unknown key 'colour'"});
    CHECK(errors("[[rule]\n").size() == 1); // a TOML syntax error, with its place
    CHECK(errors("[[rule]\n").front().starts_with("rules.toml:1:"));
}

TEST_CASE("identity rules: objects to GET, patterns and templates (recorded rows)",
          "[identity][rules]") {
    const auto& rules = test::shipped_rules();
    // Recorded (jetstream_sg2218p): TP-Link's TPLINK-SYSINFO-MIB answers model, serial, version.
    const std::string tplink = "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.11863.1.1.70\n";
    auto d = identify(rules, tplink, "",
                      "1.3.6.1.4.1.11863.6.1.1.5.0|4|SG2218P 1.20\n"
                      "1.3.6.1.4.1.11863.6.1.1.6.0|4|1.20.4 Build 20241205 Rel.64944\n"
                      "1.3.6.1.4.1.11863.6.1.1.8.0|4|222C014000151\n");
    CHECK(d.model == "SG2218P 1.20");
    CHECK(d.serial == "222C014000151");
    CHECK(d.version == "1.20.4 Build 20241205 Rel.64944");
    model::Device probe;
    probe.sys_object_id = "1.3.6.1.4.1.11863.1.1.70";
    CHECK(mib::vendor_scalars(probe, rules).size() == 3);
    // Recorded (fortiap_fap231g): the model is written in the version string.
    d = identify(rules, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.120.10.231\n", "",
                 "1.3.6.1.4.1.12356.120.1.1.0|4|FP231G-v7.4-build0771\n"
                 "1.3.6.1.4.1.12356.120.1.2.0|4|FP231GTF2409AF83\n");
    CHECK(d.model == "FortiAP 231G");
    CHECK(d.version == "FP231G-v7.4-build0771");
    // Recorded (apc_ap7900b): everything in sysDescr, with a template for the version.
    d = identify(rules,
                 "1.3.6.1.2.1.1.1.0|4|APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.8.2 "
                 "PN:apc_hw05_aos_682.bin AF1:v6.8.0 AN1:apc_hw05_rpdu2g_680.bin MN:AP7900B HR:B2 "
                 "SN: ZA1732000177 MD:08/07/2017)\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.318.1.3.4.8\n");
    CHECK(d.model == "AP7900B");
    CHECK(d.serial == "ZA1732000177");
    CHECK(d.version == "AOS v6.8.2 / App v6.8.0");
    CHECK(d.os == "AOS");
}

TEST_CASE("identity rules: placeholders, the chassis row, conditional vendors",
          "[identity][rules]") {
    const auto& rules = test::shipped_rules();
    // Recorded (ibmc): a placeholder serial is no serial.
    auto d = identify(rules, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.2011.2.235.1.1\n", "",
                      "1.3.6.1.4.1.2011.2.235.1.1.1.6.0|4|RH2288H V3\n"
                      "1.3.6.1.4.1.2011.2.235.1.1.1.7.0|4|SerialNumber\n");
    CHECK(d.model == "RH2288H V3");
    CHECK_FALSE(d.serial);
    CHECK(model::is_placeholder(rules, "000000000"));
    CHECK(model::is_placeholder(rules, " to be filled by o.e.m. "));
    CHECK_FALSE(model::is_placeholder(rules, "CN50A1Z4BN"));
    // No chassis class (recorded, Cisco WLC): the lowest row naming a model and serial.
    d = identify(rules, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.9.1.2427\n",
                 "1.3.6.1.2.1.47.1.1.1.1.11.1|4|PSZ00000000\n"
                 "1.3.6.1.2.1.47.1.1.1.1.13.1|4|CBW240AC-B\n"
                 "1.3.6.1.2.1.47.1.1.1.1.11.48|4|KWC00000004\n"
                 "1.3.6.1.2.1.47.1.1.1.1.13.48|4|CBW142ACM-B-NA\n");
    CHECK(d.model == "CBW240AC-B");
    CHECK(d.serial == "PSZ00000000");
    // A stack (recorded, ProCurve): sysDescr says "HP Stack"; the version from the chassis row.
    d = identify(rules,
                 "1.3.6.1.2.1.1.1.0|4|HP Stack, revision KA.00.00.0000\n"
                 "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.11.2.3.7.11.160\n",
                 "1.3.6.1.2.1.47.1.1.1.1.5.1001|2|3\n"
                 "1.3.6.1.2.1.47.1.1.1.1.10.1001|4|KB.16.11.0020\n"
                 "1.3.6.1.2.1.47.1.1.1.1.13.1001|4|JL074A\n");
    CHECK(d.model == "Stack");
    CHECK(d.version == "KB.16.11.0020");
    // Check Point's objects are asked of every net-snmp agent; a plain Linux host that lacks
    // them is not made a Check Point, nor given Gaia as its OS.
    d = identify(rules, "1.3.6.1.2.1.1.1.0|4|Linux web01 3.10.0-693.el7.x86_64 #1 SMP x86_64\n"
                        "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10\n");
    CHECK(d.vendor == "Net-SNMP");
    CHECK(d.os == "Linux");
    CHECK(d.model == "Generic x86 64-bit");
    d = identify(rules,
                 "1.3.6.1.2.1.1.1.0|4|Linux CP1100 2.6.22.18 #1 armv5tejl\n"
                 "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10\n",
                 "",
                 "1.3.6.1.4.1.2620.1.6.16.7.0|4|CP 1100\n"
                 "1.3.6.1.4.1.2620.1.6.4.1.0|4|R77.20\n");
    CHECK(d.vendor == "Check Point");
    CHECK(d.os == "Gaia");
    CHECK(d.model == "CP 1100");
    CHECK(d.version == "R77.20");
}

TEST_CASE("identity rules: an administrator's rules come first and override", "[identity][rules]") {
    test::TempDir dir;
    const auto file = dir.write("mine.toml", "[[rule]]\nname = \"mine\"\nenterprise = 11863\n"
                                             "model = ['get:1.3.6.1.4.1.11863.6.1.1.7.0']\n");
    auto r = cli::load_identity_rules(file);
    REQUIRE(r.errors.empty());
    CHECK(r.rules.rules.front().name == "mine");
    auto d = identify(r.rules, "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.11863.1.1.70\n", "",
                      "1.3.6.1.4.1.11863.6.1.1.5.0|4|SG2218P 1.20\n"
                      "1.3.6.1.4.1.11863.6.1.1.7.0|4|SG2218P(UN)\n");
    CHECK(d.model == "SG2218P(UN)");
    CHECK(cli::load_identity_rules(dir.file("missing.toml"))
              .errors.front()
              .starts_with(dir.file("missing.toml") + ": cannot read identity rules:"));
}

TEST_CASE("identity rules: hostile sysDescr text is bounded before any pattern sees it",
          "[identity][rules]") {
    // A 4 KiB sysDescr (the most the system decoder keeps) of one repeated character, and one
    // that looks like every rule at once: no crash, no hang, and the first 2 KiB decide.
    model::IdentityInput in;
    in.sys_object_id = "1.3.6.1.4.1.8072.3.2.10";
    in.sys_descr = "Linux " + std::string(4090, 'x');
    const auto& rules = test::shipped_rules();
    auto id = model::resolve_identity(rules, model::matching_rules(rules, in), in);
    CHECK(id.value[static_cast<std::size_t>(model::IdentityField::os)] == "Linux");
    std::string all;
    while (all.size() < 4096) {
        all += "Cisco IOS Software JUNOS Versatile Routing Platform Version 1.2 (V1) Hardware: ";
    }
    in.sys_descr = all;
    CHECK_NOTHROW(model::resolve_identity(rules, model::matching_rules(rules, in), in));
}
