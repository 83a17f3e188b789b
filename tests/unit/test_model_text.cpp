// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <catch2/catch.hpp>

#include "model/device.hpp"
#include "model/text.hpp"
#include "model/vendor.hpp"

using namespace netinv::model;

TEST_CASE("text: terminal output loses control sequences / keeps Vietnamese", "[model][text]") {
    CHECK(sanitize_terminal("Sở Tài chính") == "Sở Tài chính");
    CHECK(sanitize_terminal("evil\x1b[2Jname") == "evil?[2Jname");
    CHECK(sanitize_terminal("a\tb\nc\x7f") == "a?b?c?");
    CHECK(sanitize_terminal("\xc2\x9b"
                            "31m") == "?31m"); // C1 CSI
    CHECK(sanitize_terminal("bad\xff") == "bad\xEF\xBF\xBD");
    // Bidi overrides, embeddings, isolates and marks; zero-width characters; separators.
    for (const char* invisible :
         {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069",
          "\u200E", "\u200F", "\u061C", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u2028",
          "\u2029"}) {
        INFO(invisible);
        CHECK(sanitize_terminal(std::string("a") + invisible + "b") == "a?b");
    }
    CHECK(sanitize_terminal_lines("one\x1b[1m\ntwo\u202E") == "one?[1m\ntwo?");
}

TEST_CASE("text: display width by Unicode character widths", "[model][text]") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("Hải Dương") == 9);
    CHECK(display_width("a\xcc\x81") == 1);                         // a + combining acute (NFD)
    CHECK(display_width("Ha\xcc\x89i Du\xcc\x9bo\xcc\x9bng") == 9); // Hải Dương in NFD
    CHECK(display_width("\u1ec7") == 1);                            // ệ precomposed
    CHECK(display_width("e\xcc\xa3\xcc\x82") == 1);                 // e + dot below + circumflex
    CHECK(display_width("\u6d77\u9632") == 4);                      // CJK: two columns each
    CHECK(display_width("\uff21") == 2);                            // fullwidth A
    CHECK(display_width("a\u200bb") == 2);                          // zero-width space
    CHECK(display_width("\xff") == 1); // an invalid byte prints as U+FFFD
}

TEST_CASE("text: slugs for inventory systems", "[model][text]") {
    CHECK(slug("Tỉnh Hải Dương") == "tinh-hai-duong");
    CHECK(slug("Đường Nguyễn Lương Bằng") == "duong-nguyen-luong-bang");
    CHECK(slug("Ha\xcc\x89i Du\xcc\x9bo\xcc\x9bng") == "hai-duong"); // NFD too
    CHECK(slug("ISR4331/K9") == "isr4331-k9");
    CHECK(slug("  --a__b--  ") == "a__b");
    CHECK(slug("***") == "");
}

TEST_CASE("text: NFD is composed to NFC", "[model][text]") {
    CHECK(to_nfc("Ha\xcc\x89i Du\xcc\x9bo\xcc\x9bng") == "Hải Dương");
    CHECK(to_nfc("Vie\xcc\xa3\xcc\x82t") == "Việt"); // marks in either canonical order
    CHECK(to_nfc("Vie\xcc\x82\xcc\xa3t") == "Việt");
    CHECK(to_nfc("Hải Dương") == "Hải Dương");
    CHECK(to_nfc("") == "");
    CHECK(to_nfc("\xff\xfe") == "\xff\xfe"); // not UTF-8: left as it is
}

TEST_CASE("text: closest_match suggests near typos only", "[model][text]") {
    const std::array<std::string_view, 3> keys = {"community", "community_env", "version"};
    CHECK(closest_match("comunity", keys) == "community");
    CHECK(closest_match("verison", keys) == "version");
    CHECK_FALSE(closest_match("xyz", keys));
    CHECK_FALSE(closest_match("ab", keys));
}

TEST_CASE("text: UTF-8 validation", "[model][text]") {
    CHECK(is_valid_utf8("Thành phố Hải Dương"));
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));     // overlong
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80")); // surrogate
    CHECK_FALSE(is_valid_utf8("\xe1\xba"));     // truncated
}

TEST_CASE("vendor: enterprise number from sysObjectID", "[model][vendor]") {
    CHECK(enterprise_number("1.3.6.1.4.1.9.1.1208") == 9u);
    CHECK(enterprise_number(".1.3.6.1.4.1.2011.2.23.1") == 2011u);
    CHECK(enterprise_number("1.3.6.1.4.1.14988") == 14988u);
    CHECK_FALSE(enterprise_number("1.3.6.1.2.1.1"));
    CHECK_FALSE(enterprise_number("1.3.6.1.4.1.x"));
    CHECK_FALSE(enterprise_number("1.3.6.1.4.1.12a"));
    CHECK(vendor_for_enterprise(9) == "Cisco");
    CHECK(vendor_for_enterprise(2011) == "Huawei");
    CHECK(vendor_for_enterprise(2636) == "Juniper");
    CHECK(vendor_for_enterprise(14988) == "MikroTik");
    CHECK(vendor_for_enterprise(12356) == "Fortinet");
    CHECK(vendor_for_enterprise(7367) == "DrayTek");
    CHECK(vendor_for_enterprise(8072) == "Net-SNMP");
    CHECK(vendor_for_enterprise(311) == "Microsoft");
    CHECK_FALSE(vendor_for_enterprise(999999));
}

TEST_CASE("device: enum names round trip", "[model][device]") {
    for (int i = 1; i <= 7; ++i) {
        auto s = if_status_from_int(i);
        REQUIRE(s);
        CHECK(if_status_from_string(to_string(*s)) == s);
    }
    CHECK_FALSE(if_status_from_int(0));
    CHECK_FALSE(if_status_from_int(8));
    for (auto o : {Outcome::ok, Outcome::timeout, Outcome::auth_failure, Outcome::error}) {
        CHECK(outcome_from_string(to_string(o)) == o);
    }
    CHECK(to_string(Outcome::auth_failure) == "auth_failure");
}

TEST_CASE("device: normalize orders interfaces and addresses", "[model][device]") {
    Device d;
    d.interfaces.resize(2);
    d.interfaces[0].index = 3;
    d.interfaces[1].index = 1;
    d.addresses = {Address{Family::ipv6, "::1", 128, 1, "manual"},
                   Address{Family::ipv4, "10.0.0.2", 24, 2, "manual"},
                   Address{Family::ipv4, "10.0.0.1", 24, 2, "manual"}};
    normalize(d);
    CHECK(d.interfaces[0].index == 1);
    CHECK(d.addresses[0].address == "10.0.0.1");
    CHECK(d.addresses[1].address == "10.0.0.2");
    CHECK(d.addresses[2].address == "::1");
}
