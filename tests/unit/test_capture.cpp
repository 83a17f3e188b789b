// SPDX-License-Identifier: Apache-2.0
// Captures as technicians bring them back. The snmpwalk shapes are net-snmp's own output
// (snmpbulkwalk -On of a real snmpd: Debian 12's net-snmp 5.9.3), not written from the parser.
#include <catch2/catch.hpp>

#include "probes/capture.hpp"

using namespace netinv::probes;
using namespace std::string_literals;

namespace {

VarBind at(const std::vector<VarBind>& vbs, const std::string& oid) {
    for (const auto& vb : vbs) {
        if (oid_to_string(vb.oid) == oid) {
            return vb;
        }
    }
    FAIL("no varbind " << oid);
    return {};
}

} // namespace

TEST_CASE("capture: snmpwalk -On output of every value type", "[probes][capture]") {
    const std::string text =
        ".1.3.6.1.2.1.1.1.0 = STRING: \"Linux vm 6.18.44 #1 SMP x86_64\"\n"
        ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10\n"
        ".1.3.6.1.2.1.1.3.0 = Timeticks: (147) 0:00:01.47\n"
        ".1.3.6.1.2.1.1.4.0 = STRING: \"two\n"
        "lines\"\n"
        ".1.3.6.1.2.1.1.6.0 = STRING: \"\\\"Room \\\\\\\"5\\\\\\\"\\\"\"\n"
        ".1.3.6.1.2.1.1.8.0 = 42\n"
        ".1.3.6.1.2.1.2.2.1.6.1 = \"\"\n"
        ".1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: AE 18 69 59 C0 0F \n"
        ".1.3.6.1.2.1.2.2.1.7.2 = INTEGER: up(1)\n"
        ".1.3.6.1.2.1.2.2.1.8.2 = INTEGER: 2\n"
        ".1.3.6.1.2.1.4.20.1.1.10.0.0.1 = IpAddress: 10.0.0.1\n"
        ".1.3.6.1.2.1.25.2.3.1.4.1 = INTEGER: 4096 Bytes\n"
        ".1.3.6.1.2.1.31.1.1.1.6.2 = Counter64: 18446744073709551000\n"
        ".1.3.6.1.2.1.31.1.1.1.15.2 = Gauge32: 1000\n"
        ".1.3.6.1.4.1.2021.10.1.6.1 = Opaque: Float: 0.312500\n"
        ".1.3.6.1.6.3.10.2.1.1.0 = Hex-STRING: 80 00 1F 88 80 81 AA 35 65 C9 46 11 6B 00 00 00 \n"
        "00 \n"
        ".1.3.6.1.6.3.16.1.5.2.1.6.6.95.1.2 = INTEGER: 1\n"
        ".1.3.6.1.6.3.16.1.5.2.1.6.6.95.1.2 = No more variables left in this MIB View (It is "
        "past the end of the MIB tree)\n";
    auto vbs = parse_capture(text);
    INFO((vbs ? "" : vbs.error()));
    REQUIRE(vbs);
    CHECK(vbs->size() == 17); // the end of the MIB view is not a value
    CHECK(at(*vbs, "1.3.6.1.2.1.1.1.0").bytes == "Linux vm 6.18.44 #1 SMP x86_64");
    CHECK(at(*vbs, "1.3.6.1.2.1.1.2.0").oid_value == Oid{1, 3, 6, 1, 4, 1, 8072, 3, 2, 10});
    CHECK(at(*vbs, "1.3.6.1.2.1.1.3.0").type == VbType::timeticks);
    CHECK(at(*vbs, "1.3.6.1.2.1.1.3.0").unsigned_ == 147);
    CHECK(at(*vbs, "1.3.6.1.2.1.1.4.0").bytes == "two\nlines");
    CHECK(at(*vbs, "1.3.6.1.2.1.1.6.0").bytes == "\"Room \\\"5\\\"\"");
    CHECK(at(*vbs, "1.3.6.1.2.1.1.8.0").unsigned_ == 42); // -Ot: TimeTicks as a bare number
    CHECK(at(*vbs, "1.3.6.1.2.1.2.2.1.6.1").type == VbType::octets);
    CHECK(at(*vbs, "1.3.6.1.2.1.2.2.1.6.1").bytes.empty());
    CHECK(at(*vbs, "1.3.6.1.2.1.2.2.1.6.2").bytes == "\xAE\x18\x69\x59\xC0\x0F");
    CHECK(at(*vbs, "1.3.6.1.2.1.2.2.1.7.2").integer == 1);
    CHECK(at(*vbs, "1.3.6.1.2.1.4.20.1.1.10.0.0.1").type == VbType::ip_address);
    CHECK(at(*vbs, "1.3.6.1.2.1.4.20.1.1.10.0.0.1").bytes == std::string("\x0A\x00\x00\x01", 4));
    CHECK(at(*vbs, "1.3.6.1.2.1.25.2.3.1.4.1").integer == 4096);
    CHECK(at(*vbs, "1.3.6.1.2.1.31.1.1.1.6.2").unsigned_ == 18446744073709551000ull);
    CHECK(at(*vbs, "1.3.6.1.2.1.31.1.1.1.15.2").type == VbType::gauge32);
    CHECK(at(*vbs, "1.3.6.1.6.3.10.2.1.1.0").bytes.size() == 17); // wrapped onto two lines
}

TEST_CASE("capture: an snmprec file", "[probes][capture]") {
    auto vbs = parse_capture("1.3.6.1.2.1.1.1.0|4|Cisco IOS\n1.3.6.1.2.1.1.3.0|67|100\n"
                             "1.3.6.1.2.1.2.2.1.6.1|4x|001122334455\n");
    REQUIRE(vbs);
    CHECK(vbs->size() == 3);
    CHECK(vbs->at(2).bytes == "\x00\x11\x22\x33\x44\x55"s);
}

TEST_CASE("capture: bad captures are refused at their line", "[probes][capture]") {
    const auto error = [](const std::string& text) {
        auto r = parse_capture(text);
        return r ? std::string("accepted") : r.error();
    };
    CHECK(error("") == "1: empty: no varbind in it");
    CHECK(error("SNMPv2-MIB::sysDescr.0 = STRING: Linux\n")
              .starts_with("1: OID by name "
                           "(SNMPv2-MIB::sysDescr.0)"));
    CHECK(error("<html><body>login</body></html>\n").starts_with("1: neither snmpwalk -On"));
    CHECK(error("{\"sysDescr\": \"x\"}\n").starts_with("1: neither"));
    CHECK(error(".1.3.6.1.2.1.1.1.0 = STRING: \"a\"\n.1.3.6.1.2.1.1.5.0 = STRING: \"b\"\n"
                ".1.3.6.1.2.1.1.3.0 = Timeticks: (1) 0:00:00.01\n") ==
          "3: 1.3.6.1.2.1.1.3.0 comes before the one before it (1.3.6.1.2.1.1.5.0): a capture "
          "is in increasing OID order");
    CHECK(error(".1.3.6.1.2.1.1.1.0 = STRING: \"a\"\n.1.3.6.1.2.1.1.1.0 = STRING: \"a\"\n")
              .starts_with("2: 1.3.6.1.2.1.1.1.0 repeats"));
    CHECK(error(".1.3.6.1.2.1.1.1.0 = STRING: \"a\"\n.1.3.6.1.2.1.1.3.0 = Timeticks: (12") ==
          "2: the last line has no end: the copy was cut short");
    CHECK(error(".1.3.6.1.2.1.1.1.0 = STRING: \"never closed\n") ==
          "1: STRING without its closing quote");
    CHECK(error(".1.3.6.1.2.1.1.1.0 = Hex-STRING: 0G\n").starts_with("1: Hex-STRING value"));
    CHECK(error(".1.3.6.1.2.1.1.1.0 = Frobnicated: 1\n") == "1: unknown value type 'Frobnicated'");
    CHECK(error(".1.3.6.1.2.1.4.20.1.1.1 = IpAddress: 300.1.1.1\n").starts_with("1: IpAddress"));
    CHECK(error("1.3.6.1.2.1.1.5.0|4|b\n1.3.6.1.2.1.1.1.0|4|a\n").starts_with("2: "));
    CHECK(error("1.3.6.1.2.1.1.1.0|99|a\n").starts_with("1: "));
    // A value longer than netinv reads is cut as a poll cuts it, its size kept.
    auto big = parse_capture(".1.3.6.1.2.1.1.1.0 = STRING: \"" + std::string(10000, 'x') + "\"\n");
    REQUIRE(big);
    CHECK(big->front().bytes.size() == 4096);
    CHECK(big->front().full_size == 10000);
}
