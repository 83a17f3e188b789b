// SPDX-License-Identifier: Apache-2.0
#pragma once

// What `netinv discover` proposes for each agent that answered: a target name from its
// sysName (made unique against the configuration and the other proposals), the site whose
// prefixes hold its address, and a role hint; or the configured target it already is.

#include <optional>
#include <string>
#include <vector>

#include "model/config.hpp"

namespace netinv::model {

struct Answered {
    std::string address; // canonical text
    std::optional<std::string> sys_name;
};

struct Proposal {
    std::string name;
    const Site* site = nullptr;          // by the sites' prefixes; nullptr when none holds it
    std::optional<std::string> known_as; // a configured target at this address already
};

// A target name from a sysName: its first label (the host of an FQDN), lower case, other
// characters than letters, digits, '-', '_' as '-', at most 64; "host-" and the address (with
// '-' for '.' and ':') when nothing usable is left.
std::string name_from_sys_name(const std::optional<std::string>& sys_name,
                               const std::string& address);

// One proposal per answered agent, in order. Names never repeat a configured target's or an
// earlier proposal's (case-insensitively): the second "core" is "core-2".
std::vector<Proposal> propose_targets(const Config& c, const std::vector<Answered>& answered);

} // namespace netinv::model
