// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "probes/varbind.hpp"

using namespace netinv::probes;

TEST_CASE("varbind: OID text round trip and malformed OIDs", "[probes][varbind]") {
    auto o = parse_oid(".1.3.6.1.2.1.1.5.0");
    REQUIRE(o);
    CHECK(oid_to_string(*o) == "1.3.6.1.2.1.1.5.0");
    CHECK_FALSE(parse_oid(""));
    CHECK_FALSE(parse_oid("1..3"));
    CHECK_FALSE(parse_oid("1.3."));
    CHECK_FALSE(parse_oid("1.x"));
    CHECK_FALSE(parse_oid("1.3.99999999999"));
    CHECK(oid_starts_with(*o, {1, 3, 6, 1, 2, 1, 1}));
    CHECK_FALSE(oid_starts_with({1, 3}, {1, 3, 6}));
}

TEST_CASE("varbind: snmprec parsing of every type", "[probes][varbind]") {
    std::vector<std::string> errors;
    auto vbs =
        parse_snmprec("1.1|2|-5\n1.2|4|text\n1.3|4x|00ff\n1.4|6|1.3.6\n1.5|64|10.0.0.1\n"
                      "1.6|65|42\n1.7|66|4294967295\n1.8|67|100\n1.9|70|18446744073709551615\n"
                      "1.10|5|\n1.11|128|\n# comment\n\n1.12|2|x\n1.13|99|1\nbad\n",
                      &errors);
    REQUIRE(vbs.size() == 11);
    CHECK(vbs[0].type == VbType::integer);
    CHECK(vbs[0].integer == -5);
    CHECK(vbs[1].bytes == "text");
    CHECK(vbs[2].bytes == std::string("\x00\xff", 2));
    CHECK(vbs[3].oid_value == Oid{1, 3, 6});
    CHECK(vbs[4].bytes == std::string("\x0a\x00\x00\x01", 4));
    CHECK(vbs[6].unsigned_ == 4294967295u);
    CHECK(vbs[8].unsigned_ == 18446744073709551615ull);
    CHECK(vbs[10].type == VbType::no_such_object);
    CHECK(errors == std::vector<std::string>{"14: malformed integer", "15: unsupported type 99",
                                             "16: expected OID|TYPE|VALUE"});
}

TEST_CASE("varbind: snmprec writer output parses back to the same varbinds", "[probes][varbind]") {
    auto vbs =
        parse_snmprec("1.1|2|7\n1.2|4x|00017c\n1.3|4|plain\n1.4|6|1.3.6.1\n1.5|67|9\n", nullptr);
    CHECK(parse_snmprec(to_snmprec(vbs), nullptr) == vbs);
}

TEST_CASE("varbind: one message repeated on many rows shows three times", "[probes][varbind]") {
    Diagnostics d("sw");
    for (std::uint32_t i = 1; i <= 1000; ++i) {
        d.warn({1, 3, 6, i}, "expected an INTEGER; value ignored");
    }
    d.warn({1, 3, 7}, "walk stopped");
    CHECK(d.take() == std::vector<std::string>{"sw: 1.3.6.1: expected an INTEGER; value ignored",
                                               "sw: 1.3.6.2: expected an INTEGER; value ignored",
                                               "sw: 1.3.6.3: expected an INTEGER; value ignored",
                                               "sw: 1.3.7: walk stopped",
                                               "sw: 997 more warnings not shown"});
}

TEST_CASE("varbind: diagnostics name host and OID and stay bounded", "[probes][varbind]") {
    Diagnostics d("core-1", 2);
    d.warn({1, 3, 6}, "first");
    d.warn("second");
    d.warn({1}, "third");
    d.warn({1}, "fourth");
    auto w = d.take();
    CHECK(w == std::vector<std::string>{"core-1: 1.3.6: first", "core-1: second",
                                        "core-1: 2 more warnings not shown"});
}
