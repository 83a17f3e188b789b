// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/identity_loader.hpp"
#include "probes/varbind.hpp"

namespace netinv::test {

// The text of tests/fixtures/NAME.
inline std::string fixture_text(const std::string& name) {
    std::ifstream in(std::filesystem::path(NETINV_FIXTURE_DIR) / name);
    if (!in) {
        throw std::runtime_error("missing fixture " + name);
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The varbinds of an snmprec fixture; a malformed line fails the test that loads it.
inline std::vector<probes::VarBind> fixture(const std::string& name) {
    std::vector<std::string> errors;
    auto vbs = probes::parse_snmprec(fixture_text(name), &errors);
    if (!errors.empty()) {
        throw std::runtime_error(name + ": " + errors.front());
    }
    return vbs;
}

inline std::vector<probes::VarBind> snmprec(const std::string& text) {
    std::vector<std::string> errors;
    auto vbs = probes::parse_snmprec(text, &errors);
    if (!errors.empty()) {
        throw std::runtime_error("inline snmprec: " + errors.front());
    }
    return vbs;
}

// The shipped identity rules (data/identity.toml, as built in); a mistake in them fails the test.
inline const model::IdentityRules& shipped_rules() {
    static const model::IdentityRules rules = [] {
        auto r = cli::load_identity_rules();
        if (!r.errors.empty()) {
            throw std::runtime_error(r.errors.front());
        }
        return r.rules;
    }();
    return rules;
}

// A fresh directory under the system temp dir, removed with everything in it at scope end.
class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "netinv-test-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(m_path / name) << text;
        return file(name);
    }

private:
    std::filesystem::path m_path;
};

} // namespace netinv::test
