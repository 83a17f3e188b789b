// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/identity_loader.hpp"
#include "model/message.hpp"
#include "probes/varbind.hpp"
#include "report/i18n.hpp"

namespace netinv::test {

// Model messages in English, to compare with what a test expects.
inline std::vector<std::string> english(const std::vector<model::Message>& m) {
    std::vector<std::string> out;
    for (const auto& x : m) {
        out.push_back(model::english(x));
    }
    return out;
}

// Loads the Vietnamese catalog the build compiled (po/vi.po); false when it is missing, which a
// test of Vietnamese output REQUIREs against rather than comparing English with Vietnamese.
#ifdef NETINV_LOCALE_DIR
inline bool vietnamese_catalog() {
    return report::use_catalog(NETINV_LOCALE_DIR);
}
#endif

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
