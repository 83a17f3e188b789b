// SPDX-License-Identifier: Apache-2.0
#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "agent.hpp"
#include "store/store.hpp"

using namespace netinv;
using namespace netinv::test;

namespace {

// Secrets go through the environment, as in production.
std::map<std::string, std::string> secrets(const Snmpd& agent) {
    return {{"T_COMMUNITY", agent.options().community},
            {"T_V1", agent.options().v1_community},
            {"T_AUTH", agent.options().auth},
            {"T_PRIV", agent.options().priv},
            {"T_WRONG", "wrongpass123"},
            {"T_BADCOMM", "not-the-community"}};
}

std::string credentials_toml() {
    return R"([defaults]
timeout_ms = 300
retries = 0

[credential.v2c]
version = "2c"
community_env = "T_COMMUNITY"

[credential.v1]
version = "1"
community_env = "T_V1"

[credential.v3]
version = "3"
user = "netinv"
auth_protocol = "sha256"
auth_env = "T_AUTH"
priv_protocol = "aes"
priv_env = "T_PRIV"

[credential.v3-512]
version = "3"
user = "netinv512"
auth_protocol = "sha512"
auth_env = "T_AUTH"
priv_protocol = "aes256"
priv_env = "T_PRIV"

[credential.v3-authnopriv]
version = "3"
user = "netinvanp"
auth_protocol = "sha"
auth_env = "T_AUTH"

[credential.v3-wrong]
version = "3"
user = "netinv"
auth_protocol = "sha256"
auth_env = "T_WRONG"
priv_protocol = "aes"
priv_env = "T_PRIV"

[credential.bad-community]
version = "2c"
community_env = "T_BADCOMM"
)";
}

std::string target(const std::string& name, const std::string& address, std::uint16_t port,
                   const std::string& credential) {
    return "\n[[target]]\nname = \"" + name + "\"\naddress = \"" + address +
           "\"\nport = " + std::to_string(port) + "\ncredential = \"" + credential +
           "\"\nsite = \"dc\"\n";
}

const model::Interface* find_if(const model::Device& d, const std::string& name) {
    auto it =
        std::ranges::find(d.interfaces, std::optional<std::string>(name), &model::Interface::name);
    return it == d.interfaces.end() ? nullptr : &*it;
}

bool has_address(const model::Device& d, const std::string& addr, int prefix) {
    return std::ranges::any_of(d.addresses, [&](const model::Address& a) {
        return a.address == addr && a.prefix_length == prefix;
    });
}

} // namespace

TEST_CASE("scan: v1 / v2c / v3 authNoPriv over IPv4 and v3 authPriv over IPv6 store what snmpd "
          "reports",
          "[integration][scan]") {
    Snmpd agent;
    TempDir dir;
    const auto cfg =
        dir.write("inventory.toml",
                  credentials_toml() + target("agent-v2c", "127.0.0.1", agent.port(), "v2c") +
                      target("agent-v1", "127.0.0.1", agent.port(), "v1") +
                      target("agent-v3", "::1", agent.port(), "v3") +
                      target("agent-v3-512", "::1", agent.port(), "v3-512") +
                      target("agent-v3-anp", "127.0.0.1", agent.port(), "v3-authnopriv"));
    const auto db_path = dir.file("inv.db");
    auto r = run_netinv({"scan", "--config", cfg, "--db", db_path}, secrets(agent));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("5 of 5 targets ok") != std::string::npos);
    // Secrets never reach the output.
    for (const auto& s : {agent.options().community, agent.options().auth, agent.options().priv}) {
        CHECK(r.out.find(s) == std::string::npos);
        CHECK(r.err.find(s) == std::string::npos);
    }

    store::Store db(db_path, store::Store::Mode::read_write);
    auto scan = db.latest_complete_scan();
    REQUIRE(scan);
    auto devices = db.devices(scan->id);
    REQUIRE(devices.size() == 5);
    for (const auto& d : devices) {
        INFO(d.name);
        CHECK(d.sys_name == agent.options().sys_name);
        CHECK(d.sys_location == agent.options().sys_location);
        CHECK(d.sys_contact == agent.options().sys_contact);
        CHECK(d.vendor == "Net-SNMP");
        CHECK(d.site == "dc");
        const auto* lo = find_if(d, "lo");
        REQUIRE(lo);
        CHECK(lo->type == 24u);
        CHECK(lo->oper_status == model::IfStatus::up);
        CHECK(has_address(d, "127.0.0.1", 8));
        CHECK(has_address(d, "::1", 128));
    }
    // Every protocol saw the same agent: same interfaces, same addresses.
    for (const auto& d : devices) {
        CHECK(d.interfaces == devices[0].interfaces);
        CHECK(d.addresses == devices[0].addresses);
    }
    // Nothing but the database was written: not even net-snmp's persistent state.
    CHECK(std::filesystem::exists(db_path));
}

TEST_CASE("scan: wrong community / wrong v3 password / nothing listening", "[integration][scan]") {
    Snmpd agent;
    TempDir dir;
    const std::uint16_t dead_port = free_udp_port();
    const auto cfg =
        dir.write("inventory.toml",
                  credentials_toml() + target("good", "127.0.0.1", agent.port(), "v2c") +
                      target("wrong-community", "127.0.0.1", agent.port(), "bad-community") +
                      target("wrong-password", "::1", agent.port(), "v3-wrong") +
                      target("nothing-there", "127.0.0.1", dead_port, "v3"));
    const auto db_path = dir.file("inv.db");
    auto r = run_netinv({"scan", "--config", cfg, "--db", db_path}, secrets(agent));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("1 of 4 targets ok, 2 timeout, 1 auth_failure") != std::string::npos);

    store::Store db(db_path, store::Store::Mode::read_write);
    auto scan = db.latest_complete_scan();
    REQUIRE(scan);
    std::map<std::string, model::Outcome> outcome;
    for (const auto& o : db.outcomes(scan->id)) {
        outcome[o.target] = o.outcome;
    }
    CHECK(outcome["good"] == model::Outcome::ok);
    CHECK(outcome["wrong-community"] == model::Outcome::timeout);
    CHECK(outcome["wrong-password"] == model::Outcome::auth_failure);
    CHECK(outcome["nothing-there"] == model::Outcome::timeout);
    CHECK(db.devices(scan->id).size() == 1);

    // devices lists the device and says which targets did not answer.
    auto list = run_netinv({"devices", "--db", db_path});
    CHECK(list.exit_code == 0);
    CHECK(list.out.find("good") != std::string::npos);
    CHECK(list.out.find("3 targets did not answer") != std::string::npos);
    CHECK(list.out.find("wrong-password") != std::string::npos);
    auto show = run_netinv({"show", "wrong-password", "--db", db_path});
    CHECK(show.exit_code == 1);
    CHECK(show.err.find("wrong-password did not answer in scan") != std::string::npos);
}

TEST_CASE("scan: --target narrows / an unknown one is a usage error", "[integration][scan]") {
    Snmpd agent;
    TempDir dir;
    const auto cfg = dir.write(
        "inventory.toml", credentials_toml() + target("core-a", "127.0.0.1", agent.port(), "v2c") +
                              target("core-b", "127.0.0.1", free_udp_port(), "v2c"));
    const auto db_path = dir.file("inv.db");
    auto r = run_netinv({"scan", "--config", cfg, "--db", db_path, "--target", "core-a"},
                        secrets(agent));
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("1 of 1 targets ok") != std::string::npos);
    r = run_netinv({"scan", "--config", cfg, "--db", db_path, "--target", "cor-a"}, secrets(agent));
    CHECK(r.exit_code == 2);
    CHECK(r.err ==
          "netinv: error: " + cfg + ": no target named 'cor-a' (did you mean 'core-a'?)\n");
}

TEST_CASE("devices / show / probe agree on one device in every format", "[integration][cli]") {
    Snmpd agent;
    TempDir dir;
    const auto cfg = dir.write(
        "inventory.toml", credentials_toml() + target("agent", "127.0.0.1", agent.port(), "v2c"));
    const auto db_path = dir.file("inv.db");
    REQUIRE(run_netinv({"scan", "--config", cfg, "--db", db_path}, secrets(agent)).exit_code == 0);

    auto json = run_netinv({"devices", "--db", db_path, "--format", "json"});
    CHECK(json.exit_code == 0);
    CHECK(json.out.find("\"sys_name\": \"netinv-test-agent\"") != std::string::npos);
    auto csv = run_netinv({"--format", "csv", "devices", "--db", db_path});
    CHECK(csv.exit_code == 0);
    CHECK(csv.out.starts_with(
        "name,address,site,sys_name,vendor,sys_object_id,interfaces,ipv4,"
        "ipv6,role,model,serial,os,version,hardware,sys_location,captured_at\r\n"
        "agent,127.0.0.1,dc,netinv-test-agent,Net-SNMP,"));

    auto show = run_netinv({"show", "agent", "--db", db_path});
    CHECK(show.exit_code == 0);
    auto probe = run_netinv(
        {"probe", "127.0.0.1:" + std::to_string(agent.port()), "--community-env", "T_COMMUNITY"},
        secrets(agent));
    CHECK(probe.exit_code == 0);
    // The same interfaces and addresses sections, whichever way the device was read.
    auto tail = [](const std::string& s) {
        return s.substr(s.find("Interfaces ("));
    };
    CHECK(tail(show.out) == tail(probe.out));
    CHECK(show.out.find("location     Tầng 3, Sở Thông tin và Truyền thông") != std::string::npos);

    auto probe6 = run_netinv({"probe", "udp6:[::1]:" + std::to_string(agent.port()), "--v3-user",
                              "netinv", "--auth-proto", "sha256", "--auth-env", "T_AUTH",
                              "--priv-proto", "aes", "--priv-env", "T_PRIV", "--format", "json"},
                             secrets(agent));
    CHECK(probe6.exit_code == 0);
    CHECK(probe6.out.find("\"address\": \"::1\"") != std::string::npos);

    auto unknown = run_netinv({"show", "agnet", "--db", db_path});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("no device 'agnet' in scan 1 (did you mean 'agent'?)") !=
          std::string::npos);
    auto bad_format = run_netinv({"show", "agent", "--db", db_path, "--format", "csv"});
    CHECK(bad_format.exit_code == 2);
    CHECK(bad_format.err == "netinv: error: show: --format csv is not supported (use table, "
                            "json)\n");
}

TEST_CASE("probe: exit code 3 when the device does not answer or refuses", "[integration][cli]") {
    Snmpd agent;
    auto dead = run_netinv({"probe", "127.0.0.1:" + std::to_string(free_udp_port()), "--timeout-ms",
                            "200", "--retries", "0"});
    CHECK(dead.exit_code == 3);
    CHECK(dead.err.find("timeout: no answer in 200 ms") != std::string::npos);
    auto refused = run_netinv({"probe", "[::1]:" + std::to_string(agent.port()), "--v3-user",
                               "netinv", "--auth-env", "T_WRONG", "--auth-proto", "sha256"},
                              secrets(agent));
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find("auth_failure") != std::string::npos);
}

TEST_CASE("devices: before any scan there is nothing to show", "[integration][cli]") {
    TempDir dir;
    auto r = run_netinv({"devices", "--db", dir.file("none.db")});
    CHECK(r.exit_code == 1);
    CHECK(r.err ==
          "netinv: error: " + dir.file("none.db") + ": no database yet; run 'netinv scan' first\n");
    // The XDG default location is created on demand.
    auto x = run_netinv({"devices"}, {{"XDG_DATA_HOME", dir.file("xdg")}});
    CHECK(x.exit_code == 1);
    CHECK(std::filesystem::is_directory(dir.file("xdg/netinv")));
}

TEST_CASE("discover: finds the agent on IPv4 and IPv6 / prints targets to paste",
          "[integration][discover]") {
    Snmpd agent;
    const std::string port = std::to_string(agent.port());
    auto r = run_netinv({"discover", "127.0.0.1/32", "::1", "--port", port, "--no-config",
                         "--community-env", "T_COMMUNITY", "--timeout-ms", "500"},
                        secrets(agent));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    // One agent on two addresses: two proposals, never one name twice.
    CHECK(r.out.find("127.0.0.1  netinv-test-agent    -     server  Net-SNMP  command-line") !=
          std::string::npos);
    CHECK(r.out.find("::1        netinv-test-agent-2  -     server  Net-SNMP  command-line") !=
          std::string::npos);
    CHECK(r.out.find("2 of 2 addresses answered") != std::string::npos);
    auto toml = run_netinv({"discover", "127.0.0.1", "--port", port, "--no-config",
                            "--community-env", "T_COMMUNITY", "--format", "toml"},
                           secrets(agent));
    CHECK(toml.exit_code == 0);
    CHECK(toml.out.find(
              "[[target]]\nname = \"netinv-test-agent\"\naddress = \"127.0.0.1\"\nport = " + port +
              "\n# site = \"\" # no site's prefixes hold this address\nrole = \"server\" # a hint "
              "from what it answered: check it\ncredential = \"command-line\"\n") !=
          std::string::npos);
    // The secret itself is never printed.
    CHECK(toml.out.find(agent.options().community) == std::string::npos);
}

TEST_CASE("discover: sites by prefix, unique names, role hints, SNMPv3 from the command line",
          "[integration][discover]") {
    Snmpd agent;
    TempDir dir;
    const std::string port = std::to_string(agent.port());
    // The configuration's only credential is refused; the command line's v3 user answers.
    // Its target list already holds the agent's sysName (at another address) and ::1.
    dir.write("inventory.toml", R"([defaults]
timeout_ms = 300
retries = 0

[credential.bad-community]
version = "2c"
community_env = "T_BADCOMM"

[[site_kind]]
name = "city"

[[site_kind]]
name = "ward"

[[site]]
code = "hp"
name = "Hải Phòng"
kind = "city"
prefixes = ["127.0.0.0/8"]

[[site]]
code = "w1"
name = "Phường Một"
kind = "ward"
parent = "hp"
prefixes = ["127.0.0.0/24", "::1/128"]

[[target]]
name = "netinv-test-agent"
address = "127.0.1.9"
site = "hp"
credential = "bad-community"

[[target]]
name = "loop6"
address = "0:0::1"
site = "w1"
credential = "bad-community"
)");
    auto env = secrets(agent);
    auto r = run_netinv({"discover",
                         "127.0.0.1",
                         "::1",
                         "--port",
                         port,
                         "--config",
                         dir.file("inventory.toml"),
                         "--format",
                         "toml",
                         "--v3-user",
                         "netinv",
                         "--auth-proto",
                         "SHA-256",
                         "--auth-env",
                         "T_AUTH",
                         "--priv-proto",
                         "AES",
                         "--priv-env",
                         "T_PRIV",
                         "--timeout-ms",
                         "500"},
                        env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(
        r.out.find(
            "[[target]]\nname = \"netinv-test-agent-2\"\naddress = \"127.0.0.1\"\nport = " + port +
            "\nsite = \"w1\" # Phường Một\nrole = \"server\" # a hint from what "
            "it answered: check it\ncredential = \"command-line\"\n") != std::string::npos);
    CHECK(r.out.find("# ::1 is already the target loop6") != std::string::npos);
    CHECK(r.out.find(agent.options().auth) == std::string::npos);
    // The same as JSON, for a script.
    auto j = run_netinv({"discover",     "127.0.0.1",    "--port",
                         port,           "--config",     dir.file("inventory.toml"),
                         "--format",     "json",         "--v3-user",
                         "netinv",       "--auth-proto", "sha256",
                         "--auth-env",   "T_AUTH",       "--priv-proto",
                         "aes",          "--priv-env",   "T_PRIV",
                         "--timeout-ms", "500"},
                        env);
    INFO(j.out);
    CHECK(j.out.find("\"name\": \"netinv-test-agent-2\",\n      \"known\": false,\n      "
                     "\"site\": \"w1\",\n      \"role\": \"server\",") != std::string::npos);
    // Outside every site's prefixes: said, and left for the administrator.
    dir.write("inventory.toml", credentials_toml());
    auto u = run_netinv({"discover", "127.0.0.1", "--port", port, "--config",
                         dir.file("inventory.toml"), "--format", "toml", "--timeout-ms", "500"},
                        env);
    // The first credential of the file that answers (bad-community does not).
    CHECK(u.out.find("credential = \"v2c\"") != std::string::npos);
    CHECK(u.out.find("# site = \"\" # no site's prefixes hold this address") != std::string::npos);
    CHECK(u.err == "netinv: warning: 1 of the agents found lie in no site's prefixes: give their "
                   "sites prefixes = [...] in the configuration, or set site by hand\n");
    // A v3 command line without its secret's variable is a usage error naming it.
    auto bad = run_netinv(
        {"discover", "127.0.0.1", "--no-config", "--v3-user", "netinv", "--auth-env", "T_UNSET"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err ==
          "netinv: error: discover: environment variable T_UNSET (--auth-env) is not set\n");
}

TEST_CASE("discover: refuses ranges larger than a /16 before sending anything",
          "[integration][discover]") {
    auto r = run_netinv({"discover", "10.0.0.0/8", "--no-config", "--community", "x"});
    CHECK(r.exit_code == 2);
    CHECK(r.err == "netinv: error: discover: 10.0.0.0/8 holds 16777214 addresses, more than a "
                   "/16; add --force to sweep it anyway\n");
    auto bad = run_netinv({"discover", "10.0.0.0/33", "--no-config", "--community", "x"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "netinv: error: discover: invalid prefix length in '10.0.0.0/33'\n");
}

TEST_CASE("scan: a target's credentials are tried in order, the one that answered is "
          "remembered, tried first next time, and shown by show and scans",
          "[integration][scan][credentials]") {
    Snmpd agent;
    TempDir dir;
    // v3-wrong is refused at once (a REPORT), bad-community goes unanswered, v2c answers.
    const auto cfg = dir.write("inventory.toml", credentials_toml() + R"(
[[target]]
name = "a"
address = "127.0.0.1"
port = )" + std::to_string(agent.port()) +
                                                     R"(
site = "dc"
credential = ["v3-wrong", "bad-community", "v2c"]

[[target]]
name = "refuses"
address = "127.0.0.1"
port = )" + std::to_string(agent.port()) +
                                                     R"(
site = "dc"
credential = ["v3-wrong", "bad-community"]
)");
    const auto db_path = dir.file("inv.db");
    const auto env = secrets(agent);
    auto r = run_netinv({"scan", "--config", cfg, "--db", db_path}, env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("1 of 2 targets ok") != std::string::npos);
    // Every credential failed: the refusal is the outcome, and the detail names each try.
    CHECK(r.out.find("auth_failure refuses              127.0.0.1                no credential "
                     "answered (v3-wrong: auth_failure; bad-community: timeout)") !=
          std::string::npos);
    {
        store::Store db(db_path, store::Store::Mode::read_only);
        CHECK(db.target_states().at("a").credential == "v2c");
        CHECK_FALSE(db.target_states().contains("refuses"));
        const auto scans = db.scans();
        REQUIRE(scans.size() == 1);
        CHECK(scans[0].answered_by ==
              std::vector<std::pair<std::string, std::int64_t>>{{"v2c", 1}});
    }
    auto show = run_netinv({"show", "a", "--db", db_path});
    CHECK(show.out.find("credential   v2c") != std::string::npos);
    auto json = run_netinv({"show", "a", "--db", db_path, "--format", "json"});
    CHECK(json.out.find("\"credential\": \"v2c\"") != std::string::npos);
    auto scans = run_netinv({"scans", "--db", db_path});
    CHECK(scans.out.find("ANSWERED WITH") != std::string::npos);
    CHECK(scans.out.find("  v2c 1\n") != std::string::npos);
    // Colour only when asked for or on a terminal: the test's pipe gets none by default.
    CHECK(scans.out.find('\x1b') == std::string::npos);
    auto coloured = run_netinv({"scans", "--db", db_path, "--color", "always"});
    CHECK(coloured.out.find("\x1b[32mcomplete\x1b[0m") != std::string::npos);
    // No secret anywhere it is shown.
    for (const auto& out : {show.out, json.out, scans.out, r.out, r.err}) {
        CHECK(out.find(agent.options().community) == std::string::npos);
        CHECK(out.find(agent.options().auth) == std::string::npos);
    }
    // Next night the agent is silent: the credential that answered is tried first, and its
    // timeout ends the target (the others would each cost one more timeout).
    agent.pause();
    auto again = run_netinv({"scan", "--config", cfg, "--db", db_path, "-t", "a"}, env);
    agent.resume();
    INFO(again.out << again.err);
    CHECK(again.exit_code == 3);
    CHECK(again.out.find("timeout      a ") != std::string::npos);
    CHECK(again.out.find("(with v2c, which answered last time; the target's other credentials "
                         "were not tried)") != std::string::npos);
    auto failed = run_netinv({"show", "a", "--db", db_path});
    CHECK(failed.exit_code == 1);
    CHECK(failed.err.find("(credential v2c)") != std::string::npos);
    // Back again: still v2c, first.
    auto third = run_netinv({"scan", "--config", cfg, "--db", db_path, "-t", "a"}, env);
    CHECK(third.exit_code == 0);
    store::Store db(db_path, store::Store::Mode::read_only);
    CHECK(db.target_states().at("a").credential == "v2c");
}

TEST_CASE("config: credential lists: every name defined, none twice, never empty",
          "[integration][config][credentials]") {
    TempDir dir;
    auto check = [&](const std::string& list) {
        dir.write("inventory.toml", credentials_toml() +
                                        "\n[[target]]\nname = \"a\"\naddress = "
                                        "\"127.0.0.1\"\nsite = \"dc\"\n"
                                        "credential = " +
                                        list + "\n");
        return run_netinv(
            {"config", "check", "--no-secrets", "--config", dir.file("inventory.toml")});
    };
    auto twice = check(R"(["v2c", "v3", "v2c"])");
    INFO(twice.out);
    CHECK(twice.exit_code == 2);
    CHECK(twice.out.find(":51:14: target 'a' names credential 'v2c' twice") != std::string::npos);
    auto undefined = check(R"(["v2c", "v33"])");
    CHECK(undefined.out.find(":51:14: target 'a' names undefined credential 'v33' (did you "
                             "mean 'v3'?)") != std::string::npos);
    for (const char* bad : {"[]", "5", "[\"v2c\", 5]"}) {
        auto r = check(bad);
        INFO(bad << "\n" << r.out);
        CHECK(r.out.find(":51:14: 'credential' must be a credential's name or a list of "
                         "names, tried in order") != std::string::npos);
    }
}

TEST_CASE("search, show by address, devices filtered by site, role and vendor",
          "[integration][search]") {
    Snmpd agent;
    TempDir dir;
    const auto cfg = dir.write("inventory.toml", credentials_toml() + R"(
[[site_kind]]
name = "city"

[[site_kind]]
name = "ward"

[[site]]
code = "dc"
name = "Trung tâm"
kind = "city"

[[site]]
code = "w1"
name = "Phường Một"
kind = "ward"
parent = "dc"

[[target]]
name = "srv-a"
address = "127.0.0.1"
port = )" + std::to_string(agent.port()) +
                                                     R"(
site = "w1"
role = "server"
credential = "v2c"

[[target]]
name = "rtr-b"
address = "::1"
port = )" + std::to_string(agent.port()) +
                                                     R"(
site = "dc"
role = "router"
credential = "v2c"
)");
    const auto db = dir.file("inv.db");
    auto scan = run_netinv({"scan", "--config", cfg, "--db", db}, secrets(agent));
    INFO(scan.out << scan.err);
    REQUIRE(scan.exit_code == 0);
    // Both targets are the same agent: its addresses are on both.
    auto by_prefix = run_netinv({"search", "127.0.0.0/8", "--db", db});
    INFO(by_prefix.out << by_prefix.err);
    CHECK(by_prefix.exit_code == 0);
    CHECK(by_prefix.out.find("srv-a   polled address  127.0.0.1") != std::string::npos);
    CHECK(by_prefix.out.find("rtr-b   address         127.0.0.1/8") != std::string::npos);
    auto by_name = run_netinv({"search", "TEST-AGENT", "--db", db, "--format", "csv"});
    CHECK(by_name.out.find("srv-a,sysName,netinv-test-agent,\r\n") != std::string::npos);
    auto none = run_netinv({"search", "no-such-thing", "--db", db});
    CHECK(none.exit_code == 0);
    CHECK(none.out == "0 matches on 0 devices in scan 1\n");
    // show by an address: the one a device is polled at names it, though both hold it.
    auto show = run_netinv({"show", "0:0::1", "--db", db});
    CHECK(show.exit_code == 0);
    CHECK(show.out.find("address      ::1") != std::string::npos);
    auto v4 = run_netinv({"show", "127.0.0.1", "--db", db, "--format", "json"});
    CHECK(v4.exit_code == 0);
    CHECK(v4.out.find("\"name\": \"srv-a\"") != std::string::npos);
    auto serial = run_netinv({"show", "no-such-serial", "--db", db});
    CHECK(serial.exit_code == 1);
    CHECK(serial.err == "netinv: error: no device 'no-such-serial' in scan 1\n");
    // Filters: a site includes the sites under it.
    auto under =
        run_netinv({"devices", "--db", db, "--config", cfg, "--site", "dc", "--format", "csv"});
    CHECK(under.out.find("\nrtr-b,") != std::string::npos);
    CHECK(under.out.find("\nsrv-a,") != std::string::npos);
    auto ward =
        run_netinv({"devices", "--db", db, "--config", cfg, "--site", "w1", "--format", "csv"});
    CHECK(ward.out.find("\nsrv-a,") != std::string::npos);
    CHECK(ward.out.find("rtr-b") == std::string::npos);
    auto role = run_netinv({"devices", "--db", db, "--config", cfg, "--role", "ROUTER", "--vendor",
                            "net-snmp", "--format", "csv"});
    CHECK(role.out.find("\nrtr-b,") != std::string::npos);
    CHECK(role.out.find("srv-a") == std::string::npos);
    auto other = run_netinv(
        {"devices", "--db", db, "--config", cfg, "--vendor", "Cisco", "--format", "csv"});
    CHECK(other.out.find("srv-a") == std::string::npos);
    CHECK(other.out.find("rtr-b") == std::string::npos);
    // CSV for spreadsheets: every identity field and the role; a BOM for Excel when asked.
    CHECK(under.out.starts_with(
        "name,address,site,sys_name,vendor,sys_object_id,interfaces,ipv4,"
        "ipv6,role,model,serial,os,version,hardware,sys_location,captured_at\r\n"));
    CHECK(under.out.find(",router,") != std::string::npos);
    CHECK(under.out.find(agent.options().sys_location) != std::string::npos);
    auto bom = run_netinv({"devices", "--db", db, "--format", "csv", "--csv-bom"});
    CHECK(bom.out.starts_with("\xEF\xBB\xBFname,address,"));
    CHECK(bom.out.find("\xEF\xBB\xBF", 3) == std::string::npos); // once
    auto table = run_netinv({"devices", "--db", db, "--csv-bom"});
    CHECK(table.out.starts_with("NAME")); // only CSV gets one
    // Without a configuration the site itself still filters, with a warning.
    auto no_tree = run_netinv({"devices", "--db", db, "--config", dir.file("none.toml"), "--site",
                               "dc", "--format", "csv"});
    CHECK(no_tree.out.find("\nrtr-b,") != std::string::npos);
    CHECK(no_tree.out.find("srv-a") == std::string::npos);
    CHECK(no_tree.err == "netinv: warning: --site dc: no configuration to read the site tree "
                         "from; only devices of that very site are listed\n");
}

TEST_CASE("audit --metrics: a Prometheus textfile of the scan, changes, objectives, sites",
          "[integration][audit][metrics]") {
    Snmpd agent;
    TempDir dir;
    const auto cfg =
        dir.write("inventory.toml",
                  "plan = \"" NETINV_SOURCE_DIR "/plan/4001-KH-UBND-2021.toml\"\n" +
                      credentials_toml() + target("agent", "127.0.0.1", agent.port(), "v2c") +
                      target("gone", "127.0.0.1", agent.port(), "bad-community"));
    const auto db = dir.file("inv.db");
    const auto prom = dir.file("netinv.prom");
    const std::vector<std::string> audit = {"audit",     "--config", cfg,         "--db",   db,
                                            "--metrics", prom,       "--fail-on", "changes"};
    auto first = run_netinv(audit, secrets(agent));
    INFO(first.out << first.err);
    REQUIRE(std::filesystem::exists(prom));
    auto text = [&] {
        std::ifstream in(prom);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    std::string m = text();
    CHECK(m.find("# TYPE netinv_scan_targets gauge\nnetinv_scan_targets 2\n") != std::string::npos);
    CHECK(m.find("netinv_scan_targets_outcome{outcome=\"ok\"} 1\n") != std::string::npos);
    CHECK(m.find("netinv_scan_targets_outcome{outcome=\"timeout\"} 1\n") != std::string::npos);
    CHECK(m.find("netinv_objective_met{objective=\"") != std::string::npos);
    CHECK(m.find("netinv_objective_budget_million_vnd{objective=\"") != std::string::npos);
    CHECK(m.find("netinv_site_targets{") != std::string::npos);
    CHECK(m.find("netinv_changes") == std::string::npos); // nothing to compare with yet
    // Every sample line has the exposition format's shape.
    std::istringstream lines(m);
    std::size_t samples = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("# HELP netinv_") || line.starts_with("# TYPE netinv_")) {
            continue;
        }
        INFO(line);
        CHECK(std::regex_match(
            line,
            std::regex(
                R"re(netinv_[a-z_]+(\{[a-z_]+="([^"\\\n]|\\.)*"(,[a-z_]+="([^"\\\n]|\\.)*")*\})? -?[0-9][0-9.e+-]*)re")));
        ++samples;
    }
    CHECK(samples > 20);
    // The next night: the changes, and the file replaced whole.
    auto second = run_netinv(audit, secrets(agent));
    m = text();
    CHECK(m.find("netinv_changes{impact=\"regression\"} ") != std::string::npos);
    CHECK(m.find("netinv_scan_id 2\n") != std::string::npos);
    // A folder that does not exist: one line naming the file, exit 1.
    auto bad = run_netinv(
        {"audit", "--config", cfg, "--db", db, "--metrics", dir.file("no/such/dir/x.prom")},
        secrets(agent));
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find(dir.file("no/such/dir/x.prom")) != std::string::npos);
}

TEST_CASE("export netbox and the audit's summary files, end to end", "[integration][export]") {
    Snmpd agent;
    TempDir dir;
    const auto cfg = dir.write(
        "inventory.toml",
        "plan = \"" NETINV_SOURCE_DIR "/plan/4001-KH-UBND-2021.toml\"\n" + credentials_toml() + R"(
# The kinds the plan's objectives name; a district holding a commune here.
[[site_kind]]
name = "province"

[[site_kind]]
name = "datacenter"

[[site_kind]]
name = "department"

[[site_kind]]
name = "district"

[[site_kind]]
name = "commune"

[[site_kind]]
name = "police"


[[site]]
code = "dc"
name = "Trung tâm"
kind = "district"

[[site]]
code = "w1"
name = "Phường Một"
kind = "commune"
parent = "dc"
)" +
            std::regex_replace(target("srv-a", "127.0.0.1", agent.port(), "v2c"),
                               std::regex("\"dc\""), "\"w1\"") +
            "role = \"server\"\n" + target("gone", "127.0.0.1", agent.port(), "bad-community"));
    const auto db = dir.file("inv.db");
    const auto reports = dir.file("reports");
    const std::vector<std::string> audit = {
        "audit",           "--config",      cfg,         "--db",   db, "--report-dir", reports,
        "--report-format", "html,json,csv", "--fail-on", "changes"};
    auto first = run_netinv(audit, secrets(agent));
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 3); // "gone" refuses the community
    auto second = run_netinv(audit, secrets(agent));
    INFO(second.out << second.err);
    const auto read = [](const std::string& path) {
        std::ifstream in(path);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    // netinv-DATE-scan2-summary.EXT: DATE is the province's, read back from the names.
    std::vector<std::string> summaries;
    std::string stem;
    for (const auto& e : std::filesystem::directory_iterator(reports)) {
        const std::string name = e.path().filename().string();
        if (const auto at = name.find("-scan2-summary."); at != std::string::npos) {
            summaries.push_back(e.path().extension().string());
            stem = reports + "/" + name.substr(0, at) + "-scan2-";
        }
    }
    std::ranges::sort(summaries);
    CHECK(summaries == std::vector<std::string>{".html", ".json"}); // none in CSV
    const std::string day = stem.substr(stem.size() - 17, 10);
    const std::string json = read(stem + "summary.json");
    CHECK(json.find("\"target\": \"gone\"") != std::string::npos);
    CHECK(json.find("\"previous_scan\": {") != std::string::npos);
    CHECK(json.find("netinv-" + day + "-scan2-gaps.html") != std::string::npos);
    const std::string html = read(stem + "summary.html");
    CHECK(html.find("1/2") != std::string::npos); // targets answered
    CHECK(html.find(">gone<") != std::string::npos);

    // NetBox: the eight files, the tree as regions and sites, the device on its site.
    const auto out = dir.file("netbox");
    // A symlink planted where a file goes is replaced, never followed.
    std::filesystem::create_directories(out);
    const auto victim = dir.write("victim.txt", "keep me\n");
    std::filesystem::create_symlink(victim, out + "/06-devices.csv");
    auto nb = run_netinv({"export", "netbox", "--dir", out, "--config", cfg, "--db", db});
    INFO(nb.out << nb.err);
    REQUIRE(nb.exit_code == 0);
    // dc holds a site (a region) and a target (a site too); w1 holds a target.
    CHECK(nb.out.starts_with("scan 2: wrote 1 01-regions.csv, 2 02-sites.csv,"));
    CHECK(read(victim) == "keep me\n");
    CHECK(!std::filesystem::is_symlink(out + "/06-devices.csv"));
    CHECK(read(out + "/01-regions.csv").find("\r\nTrung tâm,r-dc,,district dc\r\n") !=
          std::string::npos);
    CHECK(read(out + "/02-sites.csv").find("\r\nPhường Một,w1,active,Trung tâm,commune w1\r\n") !=
          std::string::npos);
    const std::string devices = read(out + "/06-devices.csv");
    CHECK(devices.find("\r\nsrv-a,server,") != std::string::npos);
    CHECK(devices.find("gone") == std::string::npos); // it never answered
    // The agent's addresses are this machine's; loopback says nothing of the network.
    const std::string ips = read(out + "/08-ip-addresses.csv");
    CHECK(ips.starts_with("address,status,device,interface,is_primary\r\n"));
    CHECK(ips.find("127.0.0.1") == std::string::npos);
    // Without a site tree there is nothing to import into: a usage error, nothing written.
    auto no_cfg = run_netinv({"export", "netbox", "--dir", dir.file("nb2"), "--config",
                              dir.file("none.toml"), "--db", db});
    CHECK(no_cfg.exit_code == 2);
    CHECK(!std::filesystem::exists(dir.file("nb2")));
    auto old_scan =
        run_netinv({"export", "netbox", "--dir", out, "--config", cfg, "--db", db, "--scan", "9"});
    CHECK(old_scan.exit_code != 0);
}

TEST_CASE("import: a walk captured with net-snmp's snmpbulkwalk reads as the poll of the same "
          "agent; bad captures store nothing",
          "[integration][import]") {
    Snmpd agent;
    TempDir dir;
    // "far" is the same agent at an address nothing answers on: a commune no poller reaches.
    const auto cfg = dir.write(
        "inventory.toml", credentials_toml() + target("near", "127.0.0.1", agent.port(), "v2c") +
                              target("far", "127.0.0.3", free_udp_port(), "v2c"));
    const auto db = dir.file("inv.db");
    auto scan = run_netinv({"scan", "--config", cfg, "--db", db}, secrets(agent));
    INFO(scan.out << scan.err);
    REQUIRE(scan.exit_code == 3);
    // What netinv(1) tells the technician to run, against the real agent.
    auto walk = run_program({"snmpbulkwalk", "-v2c", "-c", agent.options().community, "-On", "-Ox",
                             "127.0.0.1:" + std::to_string(agent.port()), ".1"});
    INFO(walk.err);
    REQUIRE(walk.exit_code == 0);
    const auto capture = dir.write("far.walk", walk.out);
    // And what most people type: no -Ox, strings as text.
    auto plain = run_program({"snmpbulkwalk", "-v2c", "-c", agent.options().community, "-On",
                              "127.0.0.1:" + std::to_string(agent.port()), ".1"});
    REQUIRE(plain.exit_code == 0);
    const auto plain_capture = dir.write("far-plain.walk", plain.out);
    // The poll again, now, for a fair comparison (counters and uptime move).
    REQUIRE(
        run_netinv({"scan", "--config", cfg, "--db", db, "-t", "near"}, secrets(agent)).exit_code ==
        0);
    auto imp = run_netinv({"import", capture, "--target", "far", "--config", cfg, "--db", db,
                           "--captured-at", "2026-11-20 10:15"});
    INFO(imp.out << imp.err);
    REQUIRE(imp.exit_code == 0);
    CHECK(imp.out.starts_with("scan 3: far from the capture "));
    CHECK(imp.out.find("2026-11-20 10:15 +07") != std::string::npos);
    CHECK(imp.out.find("the other targets as scan 2 saw them") != std::string::npos);

    store::Store s(db, store::Store::Mode::read_only);
    const auto latest = s.latest_complete_scan();
    REQUIRE(latest);
    CHECK(latest->id == 3);
    auto near = s.device(3, "near");
    auto far = s.device(3, "far");
    REQUIRE(near);
    REQUIRE(far);
    // The same agent, read from the capture by the same decoders: the same device, but for
    // its name, its address and what moves between two reads.
    const auto comparable = [](model::Device d) {
        d.name = "x";
        d.target_address = "x";
        d.sys_uptime_cs.reset();
        d.counters.clear();
        d.volumes.clear();
        d.cpus.reset();           // hrProcessorLoad appears a minute after snmpd starts
        d.neighbor_cache.clear(); // ARP and ND entries come and go between the two reads
        d.ipv6_routers.clear();
        return d;
    };
    CHECK(comparable(*far) == comparable(*near));
    CHECK(far->interfaces.size() == near->interfaces.size());
    CHECK(!far->addresses.empty());
    auto outcomes = s.outcomes(3);
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].target == "far");
    CHECK(outcomes[0].capture_file == capture);
    CHECK(outcomes[0].captured_at == "2026-11-20T03:15:00Z"); // 10:15 in Asia/Ho_Chi_Minh
    // Marked as a capture wherever it is shown.
    auto show = run_netinv({"show", "far", "--db", db, "--format", "json"});
    CHECK(show.out.find("\"capture\": {") != std::string::npos);
    auto list = run_netinv({"devices", "--db", db});
    CHECK(list.out.find("Read from a capture, not polled: far (captured 2026-11-20 10:15 +07).") !=
          std::string::npos);
    auto checklist = run_netinv({"ipv6", "checklist", "--config", cfg, "--db", db});
    CHECK(checklist.out.find("Read from a capture, not polled: far") != std::string::npos);
    auto scans = run_netinv({"scans", "--db", db, "--format", "json"});
    CHECK(scans.out.find("\"import_of\": \"far\"") != std::string::npos);
    // The plain capture decodes the same.
    auto again = run_netinv({"import", plain_capture, "--target", "far", "--config", cfg, "--db",
                             db, "--captured-at", "2026-11-20T03:20:00Z"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    {
        store::Store s2(db, store::Store::Mode::read_only);
        CHECK(comparable(*s2.device(4, "far")) == comparable(*near));
    }
    // The next night far is still out of reach: the capture stands.
    auto night = run_netinv({"scan", "--config", cfg, "--db", db}, secrets(agent));
    CHECK(night.exit_code == 3);
    {
        store::Store s3(db, store::Store::Mode::read_only);
        CHECK(s3.device(5, "far").has_value());
        CHECK(s3.outcomes(5)[0].captured_at == "2026-11-20T03:20:00Z");
    }

    // Bad captures: an error naming the file and the line, exit 2, nothing stored.
    const auto scans_before = [&] {
        store::Store r(db, store::Store::Mode::read_only);
        return r.scans().size();
    }();
    const std::string text = plain.out; // one line per varbind (no wrapped hex)
    const auto second_nl = text.find('\n', text.find('\n') + 1);
    std::string swapped = text;
    {
        const auto l1 = text.substr(0, text.find('\n') + 1);
        const auto l2 = text.substr(l1.size(), second_nl + 1 - l1.size());
        swapped = l2 + l1 + text.substr(second_nl + 1);
    }
    std::string other = text;
    const auto sysname = other.find(".1.3.6.1.2.1.1.5.0 = ");
    REQUIRE(sysname != std::string::npos);
    other.replace(sysname, other.find('\n', sysname) - sysname,
                  ".1.3.6.1.2.1.1.5.0 = STRING: \"another-box\"");
    const std::vector<std::pair<std::string, std::string>> bad = {
        {text.substr(0, text.size() / 2), "the copy was cut short"},
        {swapped, "a capture is in increasing OID order"},
        {[&] {
             std::ifstream in(cfg);
             return std::string(std::istreambuf_iterator<char>(in), {});
         }(),
         "neither snmpwalk -On output"},
        {std::string("SNMPv2-MIB::sysDescr.0 = STRING: Linux\n"), "OID by name"},
        {std::string(".1.3.6.1.2.1.2.2.1.1.1 = INTEGER: 1\n"), "holds no system group"},
        {other, "a capture of another device than far: sysName 'another-box'"},
    };
    int n = 0;
    for (const auto& [content, why] : bad) {
        const auto f = dir.write("bad" + std::to_string(++n) + ".walk", content);
        auto r = run_netinv({"import", f, "--target", "far", "--config", cfg, "--db", db,
                             "--captured-at", "2026-11-21T03:00:00Z"});
        INFO(f << ": " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(f) != std::string::npos);
        CHECK(r.err.find(why) != std::string::npos);
        CHECK(r.err.find("nothing imported") != std::string::npos);
    }
    {
        // The line is named: the swapped pair fails at line 2.
        auto r = run_netinv(
            {"import", dir.file("bad2.walk"), "--target", "far", "--config", cfg, "--db", db});
        CHECK(r.err.find("bad2.walk:2: ") != std::string::npos);
    }
    // A FIFO is not read (it would block), an unknown target is a usage error, a capture time
    // to come is refused.
    REQUIRE(::mkfifo(dir.file("fifo.walk").c_str(), 0600) == 0);
    auto fifo = run_netinv(
        {"import", dir.file("fifo.walk"), "--target", "far", "--config", cfg, "--db", db});
    CHECK(fifo.exit_code == 2);
    auto unknown =
        run_netinv({"import", capture, "--target", "nobody", "--config", cfg, "--db", db});
    CHECK(unknown.exit_code == 2);
    auto future = run_netinv({"import", capture, "--target", "far", "--config", cfg, "--db", db,
                              "--captured-at", "2099-01-01T00:00:00Z"});
    CHECK(future.exit_code == 2);
    CHECK(future.err.find("in the future") != std::string::npos);
    {
        store::Store r(db, store::Store::Mode::read_only);
        CHECK(r.scans().size() == scans_before);
        CHECK(r.damage().empty());
    }
    // Another device's capture is taken when the device was replaced.
    auto replaced =
        run_netinv({"import", dir.file("bad6.walk"), "--target", "far", "--config", cfg, "--db", db,
                    "--new-device", "--captured-at", "2026-11-22T03:00:00Z"});
    CHECK(replaced.exit_code == 0);
    // An snmprec recording imports the same way.
    auto rec = run_netinv({"import", NETINV_FIXTURE_DIR "/legacy_router.snmprec", "--target", "far",
                           "--config", cfg, "--db", db, "--new-device"});
    INFO(rec.err);
    CHECK(rec.exit_code == 0);
    auto shown = run_netinv({"show", "far", "--db", db});
    CHECK(shown.out.find("Vigor2925") != std::string::npos);
    CHECK(shown.out.find("legacy_router.snmprec), not a poll") != std::string::npos);
}

TEST_CASE("ipv6 checklist: filters by status, severity and role, grouped by action",
          "[integration][ipv6][checklist]") {
    Snmpd agent;
    TempDir dir;
    const auto cfg = dir.write("inventory.toml", credentials_toml() +
                                                     target("a", "127.0.0.1", agent.port(), "v2c") +
                                                     target("b", "::1", agent.port(), "v2c"));
    const auto db = dir.file("inv.db");
    REQUIRE(run_netinv({"scan", "--config", cfg, "--db", db}, secrets(agent)).exit_code == 0);
    const std::vector<std::string> base = {"ipv6", "checklist", "--config", cfg, "--db", db};
    auto with = [&](std::vector<std::string> more) {
        auto args = base;
        args.insert(args.end(), more.begin(), more.end());
        return run_netinv(args);
    };
    // Only passes, as JSON: nothing else in it.
    auto passes = with({"--status", "pass", "--format", "json"});
    INFO(passes.out << passes.err);
    CHECK(passes.exit_code == 0); // no action among what is listed
    CHECK(passes.out.find("\"status\": \"pass\"") != std::string::npos);
    for (const char* other :
         {"\"status\": \"fail\"", "\"status\": \"unknown\"", "\"status\": \"n/a\""}) {
        CHECK(passes.out.find(other) == std::string::npos);
    }
    // Severity floor, as CSV: every row critical or high.
    auto severe = with({"--min-severity", "high", "--all", "--format", "csv"});
    std::istringstream rows(severe.out);
    std::string line;
    std::getline(rows, line); // header
    std::size_t n = 0;
    while (std::getline(rows, line)) {
        INFO(line);
        CHECK((line.find(",critical,") != std::string::npos ||
               line.find(",high,") != std::string::npos));
        ++n;
    }
    CHECK(n > 0);
    // By action: one block per check with both devices counted.
    auto grouped = with({"--by-action", "--all"});
    INFO(grouped.out);
    CHECK(grouped.out.find(": 2 devices\n  action: ") != std::string::npos);
    CHECK(grouped.out.find("\n  a, b") != std::string::npos);
    auto grouped_json = with({"--by-action", "--format", "json", "--all"});
    CHECK(grouped_json.out.find("\"actions\": [") != std::string::npos);
    CHECK(grouped_json.out.find("\"count\": 2") != std::string::npos);
    // A role no device has: nothing listed, and no findings.
    auto routers = with({"--role", "router", "--by-action"});
    CHECK(routers.exit_code == 0);
    CHECK(routers.out == "nothing to do: every check passes\n");
    auto none =
        with({"--status", "pass", "--min-severity", "critical", "--role", "router", "--by-action"});
    CHECK(none.out == "no check matches the filters\n");
    // The language follows the locale as POSIX orders it, unless --lang says otherwise.
    auto lang = [&](std::map<std::string, std::string> env, std::vector<std::string> more = {}) {
        auto args = base;
        args.insert(args.end(), {"--role", "router", "--by-action"});
        args.insert(args.end(), more.begin(), more.end());
        return run_netinv(args, env).out;
    };
    const std::string vi = "không còn việc gì: mọi mục kiểm tra đều đạt\n";
    const std::string en = "nothing to do: every check passes\n";
    CHECK(lang({{"LANG", "vi_VN.UTF-8"}}) == vi);
    CHECK(lang({{"LC_MESSAGES", "vi_VN.UTF-8"}, {"LANG", "en_US.UTF-8"}}) == vi);
    CHECK(lang({{"LC_ALL", "C.UTF-8"}, {"LANG", "vi_VN.UTF-8"}}) == en);
    CHECK(lang({{"LANG", "vi_VN.UTF-8"}}, {"--lang", "en"}) == en);
    CHECK(lang({}) == en);
    CHECK(with({"--status", "failed"}).exit_code == 2);
    CHECK(with({"--min-severity", "urgent"}).exit_code == 2);
}

TEST_CASE("scan: the next scan starts from the max-repetitions this one found",
          "[integration][scan]") {
    Snmpd agent;
    TempDir dir;
    const auto cfg =
        dir.write("inventory.toml", credentials_toml() + target("v3", "::1", agent.port(), "v3") +
                                        target("v2", "127.0.0.1", agent.port(), "v2c") +
                                        target("v1", "127.0.0.1", agent.port(), "v1"));
    const auto db_path = dir.file("inv.db");
    REQUIRE(run_netinv({"scan", "--config", cfg, "--db", db_path}, secrets(agent)).exit_code == 0);
    {
        store::Store db(db_path, store::Store::Mode::read_write);
        auto states = db.target_states();
        CHECK(states["v2"].max_repetitions.value_or(0) >= 1);
        CHECK(states["v3"].max_repetitions.value_or(0) >= 1);
        CHECK_FALSE(states["v1"].max_repetitions); // SNMPv1 has no GETBULK
        // The round-trip time every target answered in, for the next scan's timeouts.
        for (const char* t : {"v1", "v2", "v3"}) {
            INFO(t);
            CHECK(states[t].srtt_us.value_or(0) > 0);
            CHECK(states[t].rttvar_us.has_value());
        }
    }
    // A remembered value is where the next scan starts; after a clean walk it grows back
    // (doubles); the result is the same device.
    {
        SQLite::Database raw(db_path, SQLite::OPEN_READWRITE);
        raw.exec("UPDATE target_state SET max_repetitions = 2");
    }
    REQUIRE(run_netinv({"scan", "--config", cfg, "--db", db_path}, secrets(agent)).exit_code == 0);
    store::Store db(db_path, store::Store::Mode::read_write);
    CHECK(db.target_states()["v2"].max_repetitions == 4);
    auto scan = db.latest_complete_scan();
    REQUIRE(scan);
    auto devices = db.devices(scan->id);
    REQUIRE(devices.size() == 3);
    CHECK(devices[0].interfaces == devices[1].interfaces);
    CHECK(devices[1].addresses == devices[2].addresses);
}

TEST_CASE("identity rules: an administrator's rule file adds a vendor, end to end",
          "[integration][identity]") {
    // The agent is net-snmp; the administrator's rule (before the shipped ones) reads its
    // sysContact as the model and sysLocation as the serial, through a GET the poller makes
    // because the rule names it, and says who the vendor is.
    Snmpd agent;
    TempDir dir;
    dir.write("site-rules.toml", R"toml(# our own appliances
[[rule]]
name = "Our appliance"
enterprise = 8072
vendor = "Our Vendor"
role = "storage"
model = ['get:1.3.6.1.2.1.1.4.0 ~ ^(\S+)']
serial = ['get:1.3.6.1.2.1.1.6.0 ~ (Tầng \d+) => SN-$1']
last = true
)toml");
    const auto cfg =
        dir.write("inventory.toml", "identity_rules = \"site-rules.toml\"\n" + credentials_toml() +
                                        target("agent", "127.0.0.1", agent.port(), "v2c"));
    const auto db_path = dir.file("inv.db");
    auto check = run_netinv({"config", "check", "--config", cfg}, secrets(agent));
    CHECK(check.exit_code == 0);
    REQUIRE(run_netinv({"scan", "--config", cfg, "--db", db_path}, secrets(agent)).exit_code == 0);
    store::Store db(db_path, store::Store::Mode::read_write);
    const auto devices = db.devices(db.latest_complete_scan()->id);
    REQUIRE(devices.size() == 1);
    CHECK(devices[0].vendor == "Our Vendor");
    CHECK(devices[0].serial == "SN-Tầng 3");
    CHECK(devices[0].model.has_value());
    CHECK(devices[0].role == "storage");
    // The same rules for probe, and a mistake in them is one line naming the place.
    dir.write("bad-rules.toml",
              "[[rule]]\nname = \"x\"\nenterprise = 8072\nmodel = [\"get:sysName\"]\n");
    auto bad = run_netinv({"probe", "127.0.0.1:" + std::to_string(agent.port()), "--community-env",
                           "T_COMMUNITY", "--identity-rules", dir.file("bad-rules.toml")},
                          secrets(agent));
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("bad-rules.toml:4:10: 'get:sysName': get takes a numeric OID") !=
          std::string::npos);
}
