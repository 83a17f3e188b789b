// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/command.hpp"
#include "cli/config_loader.hpp"
#include "cli/scan_run.hpp"
#include "helpers.hpp"
#include "model/summary.hpp"
#include "model/text.hpp"

using namespace netinv;
using netinv::cli::load_config_file;
using netinv::cli::LoadOptions;
using netinv::test::TempDir;

namespace {

LoadOptions no_secrets() {
    LoadOptions o;
    o.resolve_secrets = false;
    return o;
}

const char* k_units = "district_code\tdistrict_name\tdistrict_type\tcommune_code\tcommune_name\t"
                      "commune_type\n"
                      "288\tThành phố Hải Dương\tThành phố\t10507\tPhường Cẩm Thượng\tPhường\n"
                      "288\tThành phố Hải Dương\tThành phố\t10510\tPhường Bình Hàn\tPhường\n"
                      "290\tThành phố Chí Linh\tThành phố\t10546\tPhường Phả Lại\tPhường\n";

const char* k_sites = R"(
[credential.c]
version = "2c"
community = "public"

[[site]]
code = "30"
name = "Tỉnh Hải Dương"
kind = "province"

[[site_table]]
file = "units.tsv"
parent = "30"

[[site_group]]
kind = "police"
under = "district"
code = "ca-{parent_code}"
name = "Bộ phận một cửa Công an {parent_name}"
)";

std::string plan_header(const std::string& total) {
    return "id = \"4001/KH-UBND\"\ntitle = \"Kế hoạch\"\nyear = 2021\ntotal_budget = " + total +
           "\n";
}

} // namespace

TEST_CASE("province: sites from a GSO table and generated groups", "[cli][config][province]") {
    TempDir dir;
    dir.write("units.tsv", k_units);
    auto r = load_config_file(dir.write("inventory.toml", k_sites), no_secrets());
    INFO((r.errors.empty() ? "" : r.errors.front()));
    REQUIRE(r.config);
    const auto& c = *r.config;
    REQUIRE(c.sites.size() == 8); // province, 2 districts, 3 communes, 2 police desks
    const auto* d = c.find_site("288");
    REQUIRE(d);
    CHECK(d->kind == "district");
    CHECK(d->name == "Thành phố Hải Dương");
    CHECK(d->type == "Thành phố");
    CHECK(d->parent == "30");
    const auto* commune = c.find_site("10546");
    REQUIRE(commune);
    CHECK(commune->kind == "commune");
    CHECK(commune->parent == "290");
    CHECK(commune->name == "Phường Phả Lại");
    const auto* police = c.find_site("ca-290");
    REQUIRE(police);
    CHECK(police->kind == "police");
    CHECK(police->parent == "290");
    CHECK(police->name == "Bộ phận một cửa Công an Thành phố Chí Linh");
}

TEST_CASE("province: target groups expand per site with placeholders", "[cli][config][province]") {
    TempDir dir;
    dir.write("units.tsv", k_units);
    auto r = load_config_file(dir.write("inventory.toml", std::string(k_sites) + R"(
[defaults]
port = 1161

[[target_group]]
site_kind = "commune"
name = "cpe-{code}"
address = "10.30.{parent_n}.{i}"
role = "cpe"
credential = "c"

[[target_group]]
site_kind = "district"
count = 2
name = "srv-{code}-{k}"
address = "10.31.{n}.1{k}"
port = 161
role = "server"
credential = "c"
)"),
                              no_secrets());
    INFO((r.errors.empty() ? "" : r.errors.front()));
    REQUIRE(r.config);
    std::map<std::string, std::string> addr;
    for (const auto& t : r.config->targets) {
        addr[t.name] = t.address + ":" + std::to_string(t.port) + "@" + t.site.value_or("");
    }
    CHECK(addr == std::map<std::string, std::string>{{"cpe-10507", "10.30.1.1:1161@10507"},
                                                     {"cpe-10510", "10.30.1.2:1161@10510"},
                                                     {"cpe-10546", "10.30.2.1:1161@10546"},
                                                     {"srv-288-1", "10.31.1.11:161@288"},
                                                     {"srv-288-2", "10.31.1.12:161@288"},
                                                     {"srv-290-1", "10.31.2.11:161@290"},
                                                     {"srv-290-2", "10.31.2.12:161@290"}});
}

TEST_CASE("province: site and group mistakes are reported with their place",
          "[cli][config][province]") {
    TempDir dir;
    dir.write("units.tsv",
              std::string(k_units) + "290\tChí Linh\tThành phố\t10549\tX\tXã\n" + "291\tshort\n");
    auto r = load_config_file(dir.write("inventory.toml", std::string(k_sites) + R"(
[[site]]
code = "ttdl"
name = "Trung tâm dữ liệu"
kind = "datacentre"
parent = "30"

[[site]]
code = "x"
name = "X"
kind = "department"
parent = "31"

[[target_group]]
site_kind = "commune"
name = "cpe-{cod}"
address = "10.0.0.1"
role = "cpe"
credential = "c"

[[target_group]]
site_kind = "commune"
name = "cpe"
address = "10.0.0.1"
role = "router"
credential = "c"

[[target]]
name = "a"
address = "10.0.0.9"
site = "1050"
role = "swich"
credential = "c"
)"),
                              no_secrets());
    const std::string cfg = dir.file("inventory.toml");
    const std::string units = dir.file("units.tsv");
    CHECK(r.errors ==
          std::vector<std::string>{
              cfg + ":24:8: unknown site kind 'datacentre' (did you mean 'datacenter'?); kinds: "
                    "province, datacenter, department, district, police, commune",
              cfg + ":27:1: site 'x' names parent '31', which is not defined before it",
              units + ":5: district 290 is named 'Chí Linh' here but 'Thành phố Chí Linh' before",
              units + ":6: expected 6 fields, got 2",
              cfg + ":50:8: target 'a' names undefined site '1050' (did you mean '10507'?)",
              cfg + ":51:8: unknown role 'swich'; roles: server, router, l3-switch, l2-switch, "
                    "firewall, cpe, ups, storage, other",
              cfg + ":35:8: unknown placeholder {cod} in 'cpe-{cod}'; known: {code}, {i}, {k}, "
                    "{n}, {parent_code}, {parent_n}",
              cfg + ":42:8: target_group makes duplicate target name 'cpe' (first defined at line "
                    "40)"});
}

TEST_CASE("plan: the shipped plan and inventory load without a problem", "[cli][config][plan]") {
    LoadOptions o = no_secrets();
    auto r = load_config_file(std::string(NETINV_SOURCE_DIR) + "/inventory.toml", o);
    INFO((r.errors.empty() ? "" : r.errors.front()));
    REQUIRE(r.config);
    CHECK(r.warnings.empty());
    const auto& c = *r.config;
    std::map<std::string, int> kinds;
    for (const auto& s : c.sites) {
        ++kinds[s.kind];
        CHECK_FALSE(s.name.empty());
    }
    CHECK(kinds == std::map<std::string, int>{{"province", 1},
                                              {"datacenter", 1},
                                              {"department", 18},
                                              {"district", 12},
                                              {"police", 12},
                                              {"commune", 235}});
    CHECK(c.find_site("10507")->name == "Phường Cẩm Thượng");
    CHECK(c.find_site("so-ldtbxh")->name == "Sở Lao động - Thương binh và Xã hội");
    std::map<std::string, int> roles;
    for (const auto& t : c.targets) {
        ++roles[t.role.value_or("")];
    }
    CHECK(roles["server"] == 111);
    CHECK(roles["cpe"] == 235);
    CHECK(roles["firewall"] == 13); // 12 district police desks + the data centre
    REQUIRE(c.plan);
    CHECK(c.plan->id == "4001/KH-UBND");
    CHECK(c.plan->year == 2021);
    CHECK(c.plan->projects.size() == 63);
    CHECK(c.plan->total_budget_million == 225'680);
    std::int64_t sum = 0;
    for (const auto& p : c.plan->projects) {
        sum += p.budget_million;
    }
    CHECK(sum == 225'680);
    const auto p6 = std::ranges::find(c.plan->projects, 6, &model::Project::number);
    REQUIRE(p6 != c.plan->projects.end());
    CHECK(p6->name == "Thuê đường truyền số liệu chuyên dùng phục vụ việc dùng chung cơ sở hạ "
                      "tầng công nghệ thông tin tỉnh Hải Dương");
    CHECK(p6->notes == "Mở rộng đến cấp xã");
    CHECK(p6->objectives ==
          std::vector<std::string>{"tslcd-departments", "tslcd-districts", "tslcd-communes"});
    const auto p46 = std::ranges::find(c.plan->projects, 46, &model::Project::number);
    CHECK(p46->funding.own_revenue == 8'000);
    const auto obj = std::ranges::find(c.plan->objectives, "tslcd-communes", &model::Objective::id);
    REQUIRE(obj != c.plan->objectives.end());
    CHECK(obj->kind == model::ObjectiveKind::coverage);
    CHECK(obj->min_bps == 10'000'000u);
    CHECK(obj->at_least == 100);
}

TEST_CASE("plan: sums / references / kinds and NFC are checked", "[cli][config][plan]") {
    TempDir dir;
    const std::string plan = dir.write("plan.toml", plan_header("3.5") + R"(
[[objective]]
id = "servers"
kind = "count"
text = "Servers"
text_vi = "Máy chủ"
select = { role = "server" }
at_least = 111

[[objective]]
id = "servers"
kind = "ratio"
text = "x"
text_vi = "x"
select = { role = "server" }
condition = "dualstack"
percent = 120

[[project]]
number = 1
name = "Dự án"
owner = "Sở Thông tin và Truyền thông"
budget = 2
provincial_recurrent = 1.5
objectives = ["servers", "nope"]

[[project]]
number = 1
name = "Dự án lặp"
owner = "X"
budget = 1

[[project]]
number = 2
name = "Nâng cấp"
owner = "Văn phòng"
budget = 0.5
provincial_recurrent = 0.5
)");
    auto r = load_config_file(dir.write("inventory.toml", "plan = \"plan.toml\"\n"), no_secrets());
    CHECK(r.errors ==
          std::vector<std::string>{
              plan + ":20:13: unknown condition 'dualstack' (did you mean 'dual-stack'?)",
              plan + ":21:11: 'percent' must be a number from 0 to 100",
              plan + ":15:6: duplicate objective id 'servers' (first defined at line 6)",
              plan + ":27:10: project 1: its funding sources add up to 1.50 billion VND, not "
                     "the budget of 2.00",
              plan + ":29:14: project 1 names undefined objective 'nope'",
              plan + ":35:10: project 1: its funding sources add up to 0.00 billion VND, not "
                     "the budget of 1.00",
              plan + ":32:10: duplicate project number 1 (first defined at line 23)",
              plan + ":4:16: the projects add up to 2.50 billion VND, but total_budget is 3.50"});
    // Decomposed (NFD) Vietnamese is composed, not refused: "Sả" typed as a + hook above.
    dir.write("nfd.toml", plan_header("1") + "[[project]]\nnumber = 1\nname = \"Sa\xcc\x89"
                                             "n\"\nowner = \"X\"\nbudget = 1\n"
                                             "provincial_recurrent = 1\n");
    r = load_config_file(dir.write("b.toml", "plan = \"nfd.toml\"\n"), no_secrets());
    CHECK(r.errors.empty());
    REQUIRE(r.config);
    REQUIRE(r.config->plan);
    REQUIRE(r.config->plan->projects.size() == 1);
    CHECK(r.config->plan->projects[0].name == "S\u1ea3n");
    r = load_config_file(dir.write("c.toml", "plan = \"missing.toml\"\n"), no_secrets());
    CHECK(r.errors ==
          std::vector<std::string>{dir.file("c.toml") + ":1:8: cannot read plan '" +
                                   dir.file("missing.toml") + "': No such file or directory"});
}

TEST_CASE("text: placeholders expand or name what is wrong", "[model][text]") {
    const std::map<std::string, std::string> vars = {{"code", "10507"}, {"n", "3"}};
    CHECK(model::expand_placeholders("cpe-{code}.{n}", vars) == "cpe-10507.3");
    CHECK(model::expand_placeholders("plain", vars) == "plain");
    CHECK(model::expand_placeholders("{x}", vars).error() ==
          "unknown placeholder {x} in '{x}'; known: {code}, {n}");
    CHECK(model::expand_placeholders("a{code", vars).error() == "unclosed '{' in 'a{code'");
}

TEST_CASE("config: the reorganised example (two tiers) loads and rolls up by either structure",
          "[cli][config][sites]") {
    LoadOptions o = no_secrets();
    auto r = load_config_file(std::string(NETINV_SOURCE_DIR) + "/examples/haiphong-2025.toml", o);
    INFO((r.errors.empty() ? "" : r.errors.front()));
    REQUIRE(r.config);
    CHECK(r.warnings.empty());
    const auto& c = *r.config;
    CHECK_FALSE(c.find_kind("district")); // the district level is gone
    CHECK(c.former_sites.size() == 247);  // the 2021 districts and communes, not polled
    const model::Site* w1 = c.find_site("vi-du-1");
    REQUIRE(w1);
    const model::Site* old = model::rollup_site(c, w1, "district");
    REQUIRE(old);
    CHECK(old->code == "288");
    CHECK(model::rollup_site(c, c.find_site("vi-du-3-thcs"), "district")->code == "288");
    CHECK(model::rollup_site(c, c.find_site("vi-du-3-thcs"), "commune")->code == "vi-du-3");
    std::vector<model::TargetOutcome> outcomes;
    for (const auto& t : c.targets) {
        outcomes.push_back(model::TargetOutcome{t.name, t.address, model::Outcome::ok, "", 1});
    }
    const auto rows = model::summarize(c, outcomes, "district");
    // Above the former districts: the city and its data centre; then district 288.
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].key.empty());
    CHECK(rows[0].targets == 1);
    CHECK(rows[1].key == "288");
    CHECK(rows[1].targets == 4);
    REQUIRE(c.plan);
    CHECK(c.plan->objectives[0].deadline == "2025-12-31");
    CHECK(c.plan->objectives[2].min_level == 3);
    CHECK(c.plan->objectives[2].select.tags == std::vector<std::string>{"ipv6-wave-1"});
}

TEST_CASE("poller's share: --site and --tag select targets by the site tree and tags",
          "[cli][config][poller]") {
    TempDir dir;
    dir.write("units.tsv", k_units);
    const std::string text = std::string(k_sites) + R"(
[[target]]
name = "cam-thuong"
address = "10.0.0.1"
site = "10507"
credential = "c"

[[target]]
name = "binh-han"
address = "10.0.0.2"
site = "10510"
credential = "c"
tags = ["behind-firewall"]

[[target]]
name = "pha-lai"
address = "10.0.0.3"
site = "10546"
credential = "c"
)";
    const auto path = dir.write("inventory.toml", text);
    auto r = netinv::cli::load_config_file(path, no_secrets());
    INFO((r.errors.empty() ? "" : r.errors.front()));
    REQUIRE(r.config);
    netinv::cli::RunContext ctx;
    ctx.global.config = path;
    ctx.err = std::tmpfile();
    const auto names = [&](const netinv::cli::ScanOptions& o) {
        std::vector<std::string> out;
        if (auto chosen = netinv::cli::choose_targets(ctx, *r.config, o)) {
            for (const auto* t : *chosen) {
                out.push_back(t->name);
            }
        } else {
            out.push_back("error");
        }
        return out;
    };
    netinv::cli::ScanOptions o;
    CHECK(names(o).size() == 3);
    o.sites = {"288"}; // a district: the communes under it
    CHECK(names(o) == std::vector<std::string>{"cam-thuong", "binh-han"});
    o.tags = {"behind-firewall"};
    CHECK(names(o) == std::vector<std::string>{"binh-han"});
    o.targets = {"pha-lai"}; // -t adds to what the filters select
    CHECK(names(o) == std::vector<std::string>{"binh-han", "pha-lai"});
    o = {};
    o.sites = {"299"};
    CHECK(names(o) == std::vector<std::string>{"error"});
    o = {};
    o.tags = {"no-such-tag"};
    CHECK(names(o) == std::vector<std::string>{"error"});
    std::fclose(ctx.err);
}

TEST_CASE("db: the configuration may name the database; never with a password",
          "[cli][config][poller]") {
    TempDir dir;
    const auto base = std::string("[credential.c]\nversion = \"2c\"\ncommunity = \"public\"\n");
    auto load = [&](const std::string& line) {
        const auto path = dir.write("inventory.toml", line + "\n" + base);
        return std::pair{netinv::cli::load_config_file(path, no_secrets()), path};
    };
    auto [file, path] = load("db = \"inventory.db\"");
    REQUIRE(file.config);
    CHECK(file.config->db == (std::filesystem::path(path).parent_path() / "inventory.db").string());
    CHECK(netinv::cli::configured_db(path) == file.config->db);
    auto [pg, pg_path] = load("db = \"postgresql://netinv@db.tinh.gov.vn/inventory\"");
    REQUIRE(pg.config);
    CHECK(pg.config->db == "postgresql://netinv@db.tinh.gov.vn/inventory");
    auto [secret, secret_path] = load("db = \"postgresql://netinv:hunter2@db/inventory\"");
    CHECK_FALSE(secret.config);
    REQUIRE(secret.errors.size() == 1);
    CHECK(secret.errors[0].starts_with(secret_path + ":1:6: 'db' holds a password"));
    CHECK(secret.errors[0].find("hunter2") == std::string::npos);
    CHECK_THROWS_WITH(netinv::cli::configured_db(secret_path),
                      Catch::StartsWith(secret_path + ":1:6: 'db' holds a password"));
    auto [bad, bad_path] = load("db = 5");
    CHECK_FALSE(bad.config);
    CHECK_FALSE(netinv::cli::configured_db(dir.file("none.toml")));
}
