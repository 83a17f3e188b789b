// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <stdexcept>
#include <string>

namespace netinv {

// The one exception type of the project, for broken environments (a database that cannot be
// opened, a disk that is full). Expected outcomes (a timeout, a bad config value) are values, not
// exceptions. The message names the place; the CLI prints it once as "netinv: error: ...".
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}
};

} // namespace netinv
