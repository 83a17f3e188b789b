// SPDX-License-Identifier: Apache-2.0
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <map>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "helpers.hpp"

using namespace netinv;
using netinv::cli::load_config_file;
using netinv::cli::load_config_text;
using netinv::cli::LoadOptions;

namespace {

LoadOptions env(std::map<std::string, std::string> vars = {}) {
    LoadOptions o;
    o.getenv = [vars](const std::string& k) -> std::optional<std::string> {
        auto it = vars.find(k);
        if (it == vars.end()) {
            return std::nullopt;
        }
        return it->second;
    };
    return o;
}

cli::LoadResult load(const std::string& text, std::map<std::string, std::string> vars = {}) {
    return load_config_text(text, "inventory.toml", env(std::move(vars)));
}

const char* k_valid = R"([defaults]
timeout_ms = 800
retries = 1

[credential.lab]
version = "2c"
community_env = "LAB_COMMUNITY"

[credential.core]
version = "3"
user = "netinv"
auth_protocol = "sha256"
auth_env = "CORE_AUTH"
priv_protocol = "aes256"
priv_env = "CORE_PRIV"
timeout_ms = 2000

[[target]]
name = "core-1"
address = "2001:DB8::1"
port = 1161
site = "dc"
role = "router"
credential = "core"

[[target]]
name = "tinh-sw"
address = "sw1.haiduong.gov.vn"
credential = "lab"
retries = 0
)";

} // namespace

TEST_CASE("config: a valid file loads completely", "[cli][config]") {
    auto r =
        load(k_valid,
             {{"LAB_COMMUNITY", "s3cret"}, {"CORE_AUTH", "authpass1"}, {"CORE_PRIV", "privpass1"}});
    CHECK(r.errors.empty());
    CHECK(r.warnings.empty());
    REQUIRE(r.config);
    const auto& c = *r.config;
    CHECK(c.timeout_ms == 800);
    CHECK(c.retries == 1);
    REQUIRE(c.credentials.size() == 2);
    const auto* core = c.find_credential("core");
    REQUIRE(core);
    CHECK(core->version == model::SnmpVersion::v3);
    CHECK(core->auth == model::AuthProto::sha256);
    CHECK(core->priv == model::PrivProto::aes256);
    CHECK(core->auth_secret.reveal() == "authpass1");
    CHECK(core->priv_secret.reveal() == "privpass1");
    CHECK(c.find_credential("lab")->community.reveal() == "s3cret");
    REQUIRE(c.targets.size() == 2);
    CHECK(c.targets[0].address == "2001:db8::1");
    CHECK(c.targets[0].port == 1161);
    CHECK(c.targets[0].site == "dc");
    CHECK(c.targets[0].role == "router");
    CHECK(c.targets[1].address == "sw1.haiduong.gov.vn");
    CHECK(c.targets[1].port == 161);
    CHECK(model::effective_timeout_ms(c, c.targets[0]) == 2000); // the credential's
    CHECK(model::effective_timeout_ms(c, c.targets[1]) == 800);  // the defaults'
    CHECK(model::effective_retries(c, c.targets[1]) == 0);       // the target's
}

TEST_CASE("config: secrets are not needed when not resolved", "[cli][config]") {
    LoadOptions o = env();
    o.resolve_secrets = false;
    auto r = load_config_text(k_valid, "inventory.toml", o);
    CHECK(r.errors.empty());
    CHECK(r.config);
}

TEST_CASE("config: unknown keys name their place and the likely key", "[cli][config]") {
    auto r = load("[credential.lab]\nversion = \"2c\"\ncomunity = \"public\"\n\n[[target]]\n"
                  "name = \"a\"\naddres = \"10.0.0.1\"\ncredential = \"lab\"\n[foo]\n");
    CHECK(r.errors == std::vector<std::string>{
                          "inventory.toml:9:2: unknown key 'foo'",
                          "inventory.toml:3:1: unknown key 'comunity' (did you mean 'community'?)",
                          "inventory.toml:1:1: credential 'lab' needs 'community_env' or "
                          "'community_file'",
                          "inventory.toml:7:1: unknown key 'addres' (did you mean 'address'?)",
                          "inventory.toml:5:1: target 'a' is missing 'address'"});
    CHECK_FALSE(r.config);
}

TEST_CASE("config: TOML syntax errors name line and column", "[cli][config]") {
    auto r = load("[[target]]\nname = \"a\nport = 1\n");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].starts_with("inventory.toml:2:"));
}

TEST_CASE("config: duplicate targets / bad addresses / undefined credentials", "[cli][config]") {
    auto r = load(R"([credential.core-v3]
version = "3"
user = "u"

[[target]]
name = "r1"
address = "10.0.0.1"
credential = "core-v3"

[[target]]
name = "r1"
address = "10.0.0.300"
credential = "corev3"

[[target]]
name = "r 2"
address = "::1"
port = 70000
credential = "core-v3"
)");
    CHECK(r.errors ==
          std::vector<std::string>{
              "inventory.toml:11:8: duplicate target name 'r1' (first defined at line 5)",
              "inventory.toml:12:11: invalid address '10.0.0.300' of target 'r1': not an IPv4 "
              "address, IPv6 address or host name",
              "inventory.toml:13:14: target 'r1' names undefined credential 'corev3' (did you "
              "mean 'core-v3'?)",
              "inventory.toml:16:8: invalid target name 'r 2': use letters, digits, '-', '_' and "
              "'.'",
              "inventory.toml:18:8: 'port' must be an integer from 1 to 65535"});
}

TEST_CASE("config: addresses that can never be a device are refused", "[cli][config]") {
    auto r = load(R"([credential.c]
version = "3"
user = "u"

[[target]]
name = "a"
address = "0.0.0.0"
credential = "c"

[[target]]
name = "b"
address = "ff02::1"
credential = "c"

[[target]]
name = "c"
address = "10.0.0.1\u0000.evil"
credential = "c"
)");
    CHECK(r.errors ==
          std::vector<std::string>{
              "inventory.toml:7:11: address '0.0.0.0' of target 'a' is in 0.0.0.0/8, which "
              "means this host or network, never a device",
              "inventory.toml:12:11: address 'ff02::1' of target 'b' is a multicast "
              "address (ff00::/8)",
              "inventory.toml:17:11: invalid address '10.0.0.1?.evil' of target 'c': "
              "not an IPv4 address, IPv6 address or host name"});
}

TEST_CASE("config: credentials are checked", "[cli][config]") {
    auto r = load(R"([credential.a]
version = "4"

[credential.b]
version = "3"
auth_protocol = "md4"
priv_protocol = "3des"
community = "x"

[credential.c]
version = "3"
user = "u"
priv_protocol = "aes"
priv_env = "P"

[credential.d]
version = "3"
user = "u"
auth_protocol = "sha"
auth = "literalpass"

[credential.e]
version = "2c"
user = "u"
community_env = "E"
community_file = "f"

[credential.f]
version = "3"
user = "u"
auth_protocol = "sha"
auth_env = "SHORT"
)",
                  {{"P", "privpass1"}, {"SHORT", "abc"}});
    CHECK(r.errors ==
          std::vector<std::string>{
              "inventory.toml:2:11: invalid version '4': use \"1\", \"2c\" or \"3\"",
              "inventory.toml:8:1: 'community' applies only to SNMPv1/v2c credentials",
              "inventory.toml:4:1: credential 'b' is missing 'user'",
              "inventory.toml:6:17: invalid auth_protocol 'md4': use md5, sha, sha224, sha256, "
              "sha384, sha512",
              "inventory.toml:7:17: invalid priv_protocol '3des': use des, aes, aes192, aes256, "
              "none",
              "inventory.toml:10:1: credential 'c' has privacy without authentication; set "
              "'auth_protocol'",
              "inventory.toml:20:1: a literal 'auth' is not allowed in the configuration; use "
              "'auth_env' or 'auth_file'",
              "inventory.toml:24:1: 'user' applies only to SNMPv3 credentials",
              "inventory.toml:22:1: credential 'e' gives more than one of 'community', "
              "'community_env' and 'community_file'",
              "inventory.toml:28:1: the auth passphrase of credential 'f' is shorter than 8 "
              "characters, which SNMPv3 does not allow"});
}

TEST_CASE("config: SNMPv3 protocols in either spelling; MD5 and DES with a warning; contexts",
          "[cli][config]") {
    auto r = load(R"(
[credential.old]
version = "3"
user = "u"
auth_protocol = "MD5"
auth_env = "A"
priv_protocol = "DES"
priv_env = "A"

[credential.new]
version = "3"
user = "u"
auth_protocol = "SHA-384"
auth_env = "A"
priv_protocol = "AES-192"
priv_env = "A"
context = "vlan-10"

[credential.long]
version = "3"
user = "u"
context = "a-context-name-longer-than-32-octets"
)",
                  {{"A", "passphrase"}});
    CHECK(r.errors == std::vector<std::string>{
                          "inventory.toml:22:11: credential 'long': context is 36 octets; SNMP "
                          "allows at most 32"});
    CHECK(r.warnings ==
          std::vector<std::string>{
              "inventory.toml:5:17: warning: credential 'old': auth_protocol 'MD5' is weak "
              "(broken since 2004); use sha256 where the device can",
              "inventory.toml:7:17: warning: credential 'old': priv_protocol 'DES' is weak "
              "(56-bit keys); use aes where the device can"});
}

TEST_CASE("model: protocol names as administrators type them", "[model][config]") {
    using model::AuthProto;
    using model::PrivProto;
    for (auto [text, want] : {std::pair{"sha", AuthProto::sha},
                              {"SHA1", AuthProto::sha},
                              {"SHA-1", AuthProto::sha},
                              {"md5", AuthProto::md5},
                              {"SHA-224", AuthProto::sha224},
                              {"sha256", AuthProto::sha256},
                              {"Sha_384", AuthProto::sha384},
                              {"SHA512", AuthProto::sha512}}) {
        CAPTURE(text);
        CHECK(model::auth_proto_from_string(text) == want);
        CHECK(model::auth_proto_from_string(model::to_string(want)) == want);
    }
    for (auto [text, want] : {std::pair{"none", PrivProto::none},
                              {"DES", PrivProto::des},
                              {"aes", PrivProto::aes},
                              {"AES-128", PrivProto::aes},
                              {"aes192", PrivProto::aes192},
                              {"AES-256", PrivProto::aes256}}) {
        CAPTURE(text);
        CHECK(model::priv_proto_from_string(text) == want);
        CHECK(model::priv_proto_from_string(model::to_string(want)) == want);
    }
    for (const char* bad : {"", "sha3", "md4", "aes-512", "3des", "s h a"}) {
        CAPTURE(bad);
        CHECK_FALSE(model::auth_proto_from_string(bad));
        CHECK_FALSE(model::priv_proto_from_string(bad));
    }
    CHECK(model::is_weak(AuthProto::md5));
    CHECK(model::is_weak(PrivProto::des));
    CHECK_FALSE(model::is_weak(AuthProto::sha));
}

TEST_CASE("config: a literal community works with a warning", "[cli][config]") {
    auto r = load("[credential.pub]\nversion = \"2c\"\ncommunity = \"public\"\n");
    CHECK(r.errors.empty());
    CHECK(r.warnings == std::vector<std::string>{
                            "inventory.toml:3:13: warning: credential 'pub' has a literal "
                            "community; prefer 'community_env' or 'community_file' so the secret "
                            "stays out of this file"});
    REQUIRE(r.config);
    CHECK(r.config->credentials[0].community.reveal() == "public");
}

TEST_CASE("config: an unset environment variable is an error naming it", "[cli][config]") {
    auto r = load("[credential.lab]\nversion = \"2c\"\ncommunity_env = \"NOPE\"\n");
    CHECK(r.errors == std::vector<std::string>{
                          "inventory.toml:3:17: environment variable NOPE (community_env of "
                          "credential 'lab') is not set"});
}

TEST_CASE("config: secrets files must be private", "[cli][config]") {
    netinv::test::TempDir dir;
    const std::string secret = dir.write("community.secret", "s3cret\n");
    const std::string cfg = dir.write("inventory.toml", "[credential.lab]\nversion = \"2c\"\n"
                                                        "community_file = \"community.secret\"\n");
    ::chmod(secret.c_str(), 0644);
    auto r = load_config_file(cfg, env());
    CHECK(r.errors ==
          std::vector<std::string>{cfg + ":3:18: secrets file '" + secret +
                                   "' is readable by group or others (mode 0644); run 'chmod 600 " +
                                   secret + "'"});
    ::chmod(secret.c_str(), 0600);
    r = load_config_file(cfg, env());
    CHECK(r.errors.empty());
    REQUIRE(r.config);
    CHECK(r.config->credentials[0].community.reveal() == "s3cret");

    dir.write("empty.secret", "\n");
    ::chmod(dir.file("empty.secret").c_str(), 0600);
    const std::string cfg2 = dir.write("b.toml", "[credential.lab]\nversion = \"2c\"\n"
                                                 "community_file = \"empty.secret\"\n");
    r = load_config_file(cfg2, env());
    CHECK(r.errors == std::vector<std::string>{cfg2 + ":3:18: secrets file '" +
                                               dir.file("empty.secret") + "' is empty"});
    const std::string cfg3 = dir.write("c.toml", "[credential.lab]\nversion = \"2c\"\n"
                                                 "community_file = \"missing.secret\"\n");
    r = load_config_file(cfg3, env());
    CHECK(r.errors ==
          std::vector<std::string>{cfg3 + ":3:18: cannot read secrets file '" +
                                   dir.file("missing.secret") + "': No such file or directory"});
}

TEST_CASE("config: an unreadable file is one error naming it", "[cli][config]") {
    auto r = load_config_file("/nonexistent/inventory.toml", env());
    CHECK(r.errors ==
          std::vector<std::string>{"/nonexistent/inventory.toml: cannot read: No such file or "
                                   "directory"});
    netinv::test::TempDir dir;
    r = load_config_file(dir.path().string(), env());
    CHECK(r.errors ==
          std::vector<std::string>{dir.path().string() + ": cannot read: Is a directory"});
}

TEST_CASE("config: wrong types are reported", "[cli][config]") {
    auto r = load("defaults = 3\ntarget = 5\n[credential.x]\nversion = 2\n");
    CHECK(r.errors == std::vector<std::string>{
                          "inventory.toml:1:12: 'defaults' must be a table",
                          "inventory.toml:4:11: 'version' must be a string",
                          "inventory.toml:2:10: 'target' must be an array of tables ([[target]])"});
}

TEST_CASE("config: the [ipv6] table", "[cli][config][ipv6]") {
    auto ok = load("[ipv6]\nmanagement_prefixes = [\"2405:4800:0030:FF00::/56\"]\n"
                   "plan_prefixes = \"2405:4800:30::/48\"\nula_usable = false\n"
                   "approved_cpe = [\"ER605\"]\n");
    REQUIRE(ok.config);
    CHECK(ok.config->ipv6.management_prefixes ==
          std::vector<std::string>{"2405:4800:30:ff00::/56"});
    CHECK(ok.config->ipv6.plan_prefixes == std::vector<std::string>{"2405:4800:30::/48"});
    CHECK_FALSE(ok.config->ipv6.ula_usable);
    CHECK(ok.config->ipv6.approved_cpe == std::vector<std::string>{"ER605"});
    auto bad = load("[ipv6]\nmanagement_prefixes = [\"10.0.0.0/8\", \"fd00::/129\", \"fd00::\"]\n"
                    "ula_usable = \"yes\"\nmanagment_prefixes = []\n");
    CHECK_FALSE(bad.config);
    CHECK(bad.errors == std::vector<std::string>{
                            "inventory.toml:4:1: unknown key 'managment_prefixes' (did you mean "
                            "'management_prefixes'?)",
                            "inventory.toml:3:14: 'ula_usable' must be true or false",
                            "inventory.toml:2:23: '10.0.0.0/8' is not an IPv6 prefix (e.g. "
                            "\"2405:4800:30::/48\")",
                            "inventory.toml:2:23: 'fd00::/129' is not an IPv6 prefix (e.g. "
                            "\"2405:4800:30::/48\")",
                            "inventory.toml:2:23: 'fd00::' is not an IPv6 prefix (e.g. "
                            "\"2405:4800:30::/48\")"});
}

TEST_CASE("config: site kinds as data, any depth, tags, formerly, uplinks, offsets",
          "[config][sites]") {
    const std::string text = R"([credential.c]
version = "2c"
community_env = "C"

[[site_kind]]
name = "city"
label_vi = "Thành phố"

[[site_kind]]
name = "ward"
label = "Ward"
uplink_to = "city"

[[site_kind]]
name = "school"

[[site]]
code = "hp"
name = "Thành phố Hải Phòng"
kind = "city"

[[site]]
code = "w1"
name = "Phường Một"
kind = "ward"
parent = "hp"
tags = ["pilot"]
formerly = ["10507", "10510"]

[[site]]
code = "w2"
name = "Phường Hai"
kind = "ward"
parent = "hp"
upstream = "w1"
uplink = "ether2"
bandwidth_mbps = 20

[[site]]
code = "s1"
name = "Trường Một"
kind = "school"
parent = "w1"

[[target_group]]
site_kind = "ward"
first = 3
count = 2
name = "{code}-srv-{k}"
address = "127.0.0.{k}"
role = "server"
credential = "c"
tags = ["v6-wave-1"]
)";
    auto r = load(text, {{"C", "x"}});
    INFO((r.errors.empty() ? "" : r.errors.front()));
    REQUIRE(r.config);
    const auto& c = *r.config;
    REQUIRE(c.site_kinds.size() == 3);
    CHECK(c.find_kind("ward")->uplink_to == "city");
    CHECK(c.find_kind("city")->label_vi == "Thành phố");
    CHECK(c.find_site("w1")->formerly == std::vector<std::string>{"10507", "10510"});
    CHECK(c.find_site("w2")->bandwidth_bps == 20'000'000u);
    CHECK(c.find_site("w2")->upstream == "w1");
    CHECK(c.find_site("s1")->kind == "school"); // three levels
    std::vector<std::string> names;
    for (const auto& t : c.targets) {
        names.push_back(t.name);
    }
    CHECK(names == std::vector<std::string>{"w1-srv-3", "w1-srv-4", "w2-srv-3", "w2-srv-4"});
    CHECK(model::has_tag(c, c.targets[0], "pilot"));       // from its site
    CHECK(model::has_tag(c, c.targets[2], "v6-wave-1"));   // its own
    CHECK_FALSE(model::has_tag(c, c.targets[2], "pilot")); // w2 is not a pilot
}

TEST_CASE("config: every mistake in site kinds and the new keys, with its place",
          "[config][sites]") {
    auto errors = [](const std::string& text) {
        return load("[credential.c]\nversion = \"2c\"\ncommunity_env = \"C\"\n" + text,
                    {{"C", "x"}})
            .errors;
    };
    CHECK(errors("[[site_kind]]\nname = \"city\"\nuplink_to = \"nowhere\"\n") ==
          std::vector<std::string>{
              "inventory.toml:6:13: uplink_to 'nowhere' is neither 'parent' nor a site kind"});
    CHECK(errors("[[site_kind]]\nname = \"city\"\n[[site_kind]]\nname = \"city\"\n") ==
          std::vector<std::string>{"inventory.toml:7:8: duplicate site kind 'city'"});
    CHECK(errors("[[site_kind]]\nname = \"city\"\n[[site]]\ncode = \"a\"\nname = \"A\"\n"
                 "kind = \"comune\"\n") ==
          std::vector<std::string>{"inventory.toml:9:8: unknown site kind 'comune'; kinds: city"});
    CHECK(errors("[[site]]\ncode = \"a\"\nname = \"A\"\nkind = \"province\"\n[[site]]\ncode = "
                 "\"b\"\nname = \"B\"\nkind = \"district\"\n") ==
          std::vector<std::string>{"inventory.toml:8:1: site 'b' needs a 'parent': only the "
                                   "first site, the root of the tree ('a'), has none"});
    CHECK(errors("[[site]]\ncode = \"a\"\nname = \"A\"\nkind = \"province\"\nupstream = "
                 "\"nobody\"\n") ==
          std::vector<std::string>{
              "inventory.toml:8:12: upstream 'nobody' is neither a target nor a site"});
    CHECK(errors("[[site]]\ncode = \"a\"\nname = \"A\"\nkind = \"province\"\nbandwidth_mbps = "
                 "\"fast\"\n")
              .size() == 1);
}

TEST_CASE("config: [[site_settings]] gives sites made by a table or a group their details",
          "[config][sites]") {
    const std::string base = R"([credential.c]
version = "2c"
community_env = "C"

[[site]]
code = "30"
name = "Tỉnh"
kind = "province"

[[site_group]]
kind = "datacenter"
under = "province"
code = "dc-{parent_code}"
name = "Trung tâm {parent_name}"

[[target]]
name = "core"
address = "127.0.0.1"
site = "dc-30"
role = "router"
credential = "c"
)";
    auto r = load(base + R"(
[[site_settings]]
code = "dc-30"
upstream = "core"
uplink = "Gi0/0/0"
bandwidth_mbps = 1000
tags = ["core"]
)",
                  {{"C", "x"}});
    INFO((r.errors.empty() ? "" : r.errors.front()));
    REQUIRE(r.config);
    const auto* dc = r.config->find_site("dc-30");
    REQUIRE(dc);
    CHECK(dc->upstream == "core");
    CHECK(dc->uplink == "Gi0/0/0");
    CHECK(dc->bandwidth_bps == 1'000'000'000u);
    CHECK(dc->tags == std::vector<std::string>{"core"});
    CHECK(load(base + "[[site_settings]]\ncode = \"dc-31\"\nupstream = \"nobody\"\n", {{"C", "x"}})
              .errors == std::vector<std::string>{"inventory.toml:23:8: site_settings names site "
                                                  "'dc-31', which is not defined",
                                                  "inventory.toml:24:12: upstream 'nobody' is "
                                                  "neither a target nor a site"});
    CHECK(load(base + "[[site_settings]]\ncode = \"dc-30\"\nupstream = \"nobody\"\n", {{"C", "x"}})
              .errors == std::vector<std::string>{"inventory.toml:24:12: upstream 'nobody' is "
                                                  "neither a target nor a site"});
}

TEST_CASE("config: sites' prefixes, for discover, and every mistake in them with its place",
          "[config][sites][discover]") {
    const std::string head = R"([credential.c]
version = "2c"
community_env = "C"

[[site_kind]]
name = "city"

[[site_kind]]
name = "ward"

[[site]]
code = "hp"
name = "Hải Phòng"
kind = "city"
prefixes = ["10.20.0.0/16", "2001:DB8::/32"]

[[site]]
code = "w1"
name = "Phường Một"
kind = "ward"
parent = "hp"
)";
    auto ok = load(head + "prefixes = \"10.20.1.0/24\"\n\n[[site_settings]]\ncode = \"hp\"\n"
                          "prefixes = [\"10.21.0.0/16\"]\n",
                   {{"C", "x"}});
    INFO((ok.errors.empty() ? "" : ok.errors.front()));
    REQUIRE(ok.config);
    const auto& c = *ok.config;
    REQUIRE(c.find_site("hp")->prefixes.size() == 3);
    CHECK(c.find_site("hp")->prefixes[1].text == "2001:db8::/32");
    CHECK(c.site_for_address("10.20.1.9")->code == "w1");
    CHECK(c.site_for_address("10.20.2.9")->code == "hp");
    CHECK(c.site_for_address("10.21.0.1")->code == "hp"); // from [[site_settings]]
    CHECK(c.site_for_address("2001:db8::1")->code == "hp");
    CHECK(c.site_for_address("192.0.2.1") == nullptr);
    auto errors = [&](const std::string& text) {
        return load(head + text, {{"C", "x"}}).errors;
    };
    CHECK(errors("prefixes = [\"10.20.1.5/24\"]\n") ==
          std::vector<std::string>{"inventory.toml:22:12: prefixes: '10.20.1.5/24' has host bits "
                                   "set: the prefix is 10.20.1.0/24"});
    CHECK(errors("prefixes = [\"ward-1\"]\n") ==
          std::vector<std::string>{
              "inventory.toml:22:12: prefixes: 'ward-1' is not an IPv4 or IPv6 address"});
    CHECK(errors("prefixes = [\"10.20.0.0/16\"]\n") ==
          std::vector<std::string>{"inventory.toml:22:12: prefix 10.20.0.0/16 is already the site "
                                   "hp's (line 15): an address must belong to one site"});
    CHECK(errors("prefixes = 24\n") ==
          std::vector<std::string>{
              "inventory.toml:22:12: 'prefixes' must be a string or an array of strings"});
}

TEST_CASE("config: the order a scan tries a target's credentials, and when it goes on",
          "[config][credentials]") {
    model::Target t;
    t.credential = "v3";
    t.credentials = {"v3", "v2c", "v1"};
    using V = std::vector<std::string>;
    CHECK(model::credential_order(t, std::nullopt) == V{"v3", "v2c", "v1"});
    CHECK(model::credential_order(t, "v1") == V{"v1", "v3", "v2c"}); // last time's first
    CHECK(model::credential_order(t, "v3") == V{"v3", "v2c", "v1"});
    CHECK(model::credential_order(t, "gone") == V{"v3", "v2c", "v1"}); // no longer listed
    model::Target single;
    single.credential = "only"; // a hand-made target: its one credential
    CHECK(model::credential_order(single, "other") == V{"only"});
    using model::Outcome;
    CHECK(model::try_next_credential(Outcome::auth_failure, false));
    CHECK(model::try_next_credential(Outcome::auth_failure, true));
    CHECK(model::try_next_credential(Outcome::timeout, false));
    CHECK_FALSE(model::try_next_credential(Outcome::timeout, true));
    CHECK_FALSE(model::try_next_credential(Outcome::error, false));
    CHECK_FALSE(model::try_next_credential(Outcome::ok, false));
}

TEST_CASE("config: a target or a group names its credentials as a list", "[config][credentials]") {
    auto r = load(R"([credential.v3]
version = "3"
user = "netinv"
auth_protocol = "SHA-256"
auth_env = "A"

[credential.c]
version = "2c"
community_env = "C"

[[site]]
code = "hd"
name = "Hải Dương"
kind = "province"

[[site]]
code = "x1"
name = "Xã Một"
kind = "commune"
parent = "hd"

[[target]]
name = "core"
address = "127.0.0.1"
site = "hd"
credential = ["v3", "c"]

[[target_group]]
site_kind = "commune"
count = 1
name = "{code}-r"
address = "127.0.1.{k}"
role = "router"
credential = ["c", "v3"]
)",
                  {{"A", "authpass123"}, {"C", "x"}});
    INFO((r.errors.empty() ? "" : r.errors.front()));
    REQUIRE(r.config);
    const auto& c = *r.config;
    CHECK(c.find_target("core")->credentials == std::vector<std::string>{"v3", "c"});
    CHECK(c.find_target("core")->credential == "v3"); // its timeouts are the first's
    REQUIRE(c.targets.size() > 1);
    CHECK(c.targets.back().credentials == std::vector<std::string>{"c", "v3"});
}

TEST_CASE("cli: the report language from the locale, as POSIX orders the variables",
          "[cli][lang]") {
    using netinv::cli::language_from_locale;
    CHECK(language_from_locale(nullptr, nullptr, "vi_VN.UTF-8") == "vi");
    CHECK(language_from_locale(nullptr, nullptr, "vi") == "vi");
    CHECK(language_from_locale("", "", "vi_VN") == "vi"); // empty is unset
    CHECK(language_from_locale("C.UTF-8", nullptr, "vi_VN.UTF-8") == "en");
    CHECK(language_from_locale(nullptr, "vi_VN.UTF-8", "en_US.UTF-8") == "vi");
    CHECK(language_from_locale(nullptr, nullptr, "vie") == "en"); // not a language code
    CHECK(language_from_locale(nullptr, nullptr, nullptr) == "en");
}

TEST_CASE("cli: colour on a terminal only, NO_COLOR and --color", "[cli][color]") {
    using netinv::cli::color_wanted;
    CHECK(color_wanted("auto", true, nullptr, "xterm-256color"));
    CHECK_FALSE(color_wanted("auto", false, nullptr, "xterm")); // a pipe or a file
    CHECK_FALSE(color_wanted("auto", true, "1", "xterm"));      // no-color.org: any value
    CHECK(color_wanted("auto", true, "", "xterm"));             // empty is unset
    CHECK_FALSE(color_wanted("auto", true, nullptr, "dumb"));
    CHECK(color_wanted("auto", true, nullptr, nullptr));
    CHECK(color_wanted("always", false, "1", "dumb")); // asked for: the user knows
    CHECK_FALSE(color_wanted("never", true, nullptr, "xterm"));
}

TEST_CASE("config: time_zone, the province's by default", "[cli][config][tz]") {
    const std::string base = "[credential.lab]\nversion = \"2c\"\ncommunity_env = \"C\"\n";
    auto r = load(base, {{"C", "x"}});
    REQUIRE(r.config);
    CHECK(r.config->time_zone == "Asia/Ho_Chi_Minh");
    r = load("time_zone = \"UTC\"\n" + base, {{"C", "x"}});
    REQUIRE(r.config);
    CHECK(r.config->time_zone == "UTC");
    r = load("time_zone = \"../../etc/passwd\"\n" + base, {{"C", "x"}});
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].starts_with("inventory.toml:1:13: 'time_zone' must be a zone name"));
    r = load("time_zone = \"Mars/Olympus_Mons\"\n" + base, {{"C", "x"}});
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0] == "inventory.toml:1:13: 'time_zone': no zone 'Mars/Olympus_Mons' in "
                         "/usr/share/zoneinfo (is tzdata installed?)");
    r = load("time_zone = 7\n" + base, {{"C", "x"}});
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0] == "inventory.toml:1:13: 'time_zone' must be a string");
}

TEST_CASE("times for people are in the configured zone", "[cli][tz]") {
    cli::use_time_zone("Asia/Ho_Chi_Minh");
    // 18:46 UTC is 01:46 the next day in Hải Dương.
    CHECK(cli::shown_time("2026-11-26T18:46:00Z") == "2026-11-27 01:46 +07");
    CHECK(cli::local_date(*cli::parse_iso_utc("2026-11-26T18:46:00Z")) == "2026-11-27");
    cli::use_time_zone("UTC");
    CHECK(cli::shown_time("2026-11-26T18:46:00Z") == "2026-11-26 18:46 UTC");
    CHECK(cli::shown_time("not a time") == "not a time");
    cli::use_time_zone("Asia/Ho_Chi_Minh");
}

TEST_CASE("stored times are UTC whatever the zone shown", "[cli][tz]") {
    const auto t = *cli::parse_iso_utc("2026-11-26T18:46:00Z");
    for (const char* zone : {"Asia/Ho_Chi_Minh", "UTC"}) {
        cli::use_time_zone(zone);
        CHECK(cli::iso_utc(t) == "2026-11-26T18:46:00Z");
        CHECK(cli::parse_iso_utc(cli::iso_utc(t)) == t);
    }
    cli::use_time_zone("Asia/Ho_Chi_Minh");
}
