// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/config.hpp"

namespace netinv::cli {

struct LoadOptions {
    // Read secrets from the environment and secrets files. Commands that do not poll turn it off.
    bool resolve_secrets = true;
    // Looks up an environment variable; tests pass their own.
    std::function<std::optional<std::string>(const std::string&)> getenv;
};

// Every message names its place as "FILE:LINE:COLUMN: text". `config` is set only when there is
// no error; warnings may come with a usable config.
struct LoadResult {
    std::optional<model::Config> config;
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
};

// Parses and validates inventory.toml text; `path` names it in messages and anchors relative
// secrets-file paths.
LoadResult load_config_text(std::string_view text, const std::string& path,
                            const LoadOptions& options);

// Reads the file, then load_config_text. An unreadable file is one error naming it.
LoadResult load_config_file(const std::string& path, const LoadOptions& options);

// The `db` of the configuration file at `path` (a relative file beside it), or nullopt when the
// file does not exist or names none; throws netinv::Error naming FILE:LINE:COLUMN when it
// cannot be read or is wrong. For the commands that read the database without the rest.
std::optional<std::string> configured_db(const std::string& path);

// The process environment, for LoadOptions::getenv.
std::optional<std::string> process_getenv(const std::string& name);

} // namespace netinv::cli
