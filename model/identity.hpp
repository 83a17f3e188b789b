// SPDX-License-Identifier: Apache-2.0
#pragma once

// Identity rules as data (data/identity.toml, inventory.toml(5)): which devices a rule is for
// (sysObjectID prefixes, enterprise numbers, a sysDescr pattern), and for each identity field
// (model, serial, version, hardware revision, OS) the sources to try in order: an object to GET,
// a column of the ENTITY-MIB chassis row, sysDescr, a constant; each optionally filtered by a
// regular expression and rewritten by a template. Pure: the loader (cli/) builds the rules, the
// poller asks which objects to GET and hands back what the agent said.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace netinv::model {

enum class IdentityField : std::uint8_t { model, serial, version, hardware, os };
inline constexpr std::size_t k_identity_fields = 5;
std::string_view to_string(IdentityField f);

// Where a value comes from.
enum class SourceKind : std::uint8_t {
    get,      // a scalar to GET (numeric OID)
    entity,   // a column of the ENTITY-MIB row the rule picks (model, serial, software, ...)
    descr,    // sysDescr
    constant, // the text itself
};

struct Source {
    SourceKind kind = SourceKind::descr;
    std::string arg; // the OID (dotted), the entity column's name, or the constant
    // Applied to the value: the first match; the template ($0 the match, $1..$9 groups; by
    // default $1 when the pattern has a group, else $0). No pattern: the value as it is.
    std::shared_ptr<const std::regex> pattern;
    std::optional<std::string> replace;
};

// How the ENTITY-MIB row is picked: the chassis (class 3) row, the first one with a serial,
// lowest index first; or a stack (class 11) when the agent describes one.
enum class EntityPick : std::uint8_t { chassis, none };

struct IdentityRule {
    std::string name;
    std::vector<std::string> sys_object_ids; // dotted prefixes; any
    std::vector<std::uint32_t> enterprises;  // any
    std::shared_ptr<const std::regex> sys_descr;
    std::optional<std::string> vendor; // overrides the enterprise table (e.g. net-snmp on a NAS)
    std::optional<std::string> role;   // a role hint for devices without a configured one
    EntityPick entity = EntityPick::chassis;
    std::array<std::vector<Source>, k_identity_fields> fields{};
    bool last = false; // no later rule adds to what this one set
    bool all = false;  // matches every device (the generic ENTITY-MIB rule)
};

struct IdentityRules {
    std::vector<IdentityRule> rules; // the administrator's first, then the shipped ones
    // Values that are no value: "SerialNumber", "To be filled by O.E.M.", "0", "N/A", ...
    // Compared case-insensitively after trimming; a value of only zeros is one too.
    std::vector<std::string> placeholders;
};

// What an agent said, for matching and for the sources.
struct IdentityInput {
    std::optional<std::string> sys_object_id;
    std::optional<std::string> sys_descr;
    std::map<std::string, std::string> got;    // dotted OID -> text value (GET answers)
    std::map<std::string, std::string> entity; // entity column name -> text (the picked row)
};

// The rules that apply to a device (all whose matchers hold, in order, up to a `last` one).
std::vector<const IdentityRule*> matching_rules(const IdentityRules& r, const IdentityInput& in);
// The objects to GET for those rules (dotted), without duplicates.
std::vector<std::string> objects_to_get(const std::vector<const IdentityRule*>& rules);

struct Identity {
    std::array<std::optional<std::string>, k_identity_fields> value{};
    std::optional<std::string> vendor;
    std::optional<std::string> role;
};

// Applies the matching rules: for each field the first source of the first rule that yields a
// value that is not a placeholder.
Identity resolve_identity(const IdentityRules& r, const std::vector<const IdentityRule*>& rules,
                          const IdentityInput& in);

// True when `v` is no value: empty, only zeros, or one of the placeholders.
bool is_placeholder(const IdentityRules& r, std::string_view v);

// The names of the ENTITY-MIB columns a source may name, and their column numbers.
const std::map<std::string, std::uint32_t>& entity_columns_by_name();

} // namespace netinv::model
