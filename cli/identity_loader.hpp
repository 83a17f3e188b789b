// SPDX-License-Identifier: Apache-2.0
#pragma once

// Loads identity rule files (data/identity.toml, the format in inventory.toml(5)). Every
// mistake is "FILE:LINE:COLUMN: message", as for inventory.toml.

#include <string>
#include <string_view>
#include <vector>

#include "model/identity.hpp"

namespace netinv::cli {

struct RulesResult {
    model::IdentityRules rules;
    std::vector<std::string> errors;
};

// Parses one rule file's text; `path` names it in messages.
RulesResult parse_identity_rules(std::string_view text, const std::string& path);

// The shipped rules (data/identity.toml, built into the program), then, first, those of
// `user_file` when it is not empty (an administrator's file extends and overrides them).
RulesResult load_identity_rules(const std::string& user_file = "");

// The shipped rule file's text, as built in.
std::string_view shipped_identity_rules();

} // namespace netinv::cli
