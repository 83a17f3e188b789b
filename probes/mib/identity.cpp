// SPDX-License-Identifier: Apache-2.0
//
// Identity: model, serial and software version, the OS, and a role.
//
// The ENTITY-MIB chassis row comes first (entPhysicalClass chassis(3), the lowest index): model
// from entPhysicalModelName (its description when the model is empty), serial from
// entPhysicalSerialNum, version from entPhysicalSoftwareRev then FirmwareRev. Vendor objects
// fill what it lacks, for vendors whose agents have no usable ENTITY-MIB (Fortinet, MikroTik,
// Synology, APC, Dell iDRAC). sysDescr patterns name the OS and, last, the version.
#include "model/identity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>

#include "model/vendor.hpp"
#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

namespace {

const Oid k_ent_physical_entry = {1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1};

std::optional<std::string> guess_role(const model::Device& d, std::optional<std::int64_t> services,
                                      std::optional<std::int64_t> forwarding,
                                      const std::optional<std::string>& hint) {
    const std::string vendor = d.vendor.value_or("");
    const std::string os = d.os.value_or("");
    if (vendor == "Fortinet" || vendor == "Palo Alto Networks" || vendor == "SonicWall" ||
        vendor == "Check Point" || vendor == "Sophos" || os == "ASA") {
        return "firewall";
    }
    if (vendor == "APC" || vendor == "Eaton") {
        return "ups";
    }
    if (vendor == "Synology" || vendor == "NetApp" || vendor == "TrueNAS") {
        return "storage";
    }
    if (os == "Windows" || os == "ESXi" || os == "Linux" || os == "FreeBSD" || vendor == "Dell") {
        return "server";
    }
    if (os == "RouterOS" || os == "DrayOS") {
        return "cpe";
    }
    if (hint) {
        return hint;
    }
    // sysServices (RFC 3418): bit 2 (value 4) internet/layer 3, bit 1 (value 2) datalink.
    if (services) {
        const bool l3 = (*services & 4) != 0;
        const bool l2 = (*services & 2) != 0;
        if (l3 && l2) {
            return "l3-switch";
        }
        if (l3) {
            return "router";
        }
        if (l2) {
            return "l2-switch";
        }
    }
    if (forwarding && *forwarding == 1) {
        return "router";
    }
    return std::nullopt;
}

} // namespace

const std::vector<Oid>& entity_columns() {
    static const std::vector<Oid> cols = columns(k_ent_physical_entry, {2, 5, 8, 9, 10, 11, 13});
    return cols;
}

namespace {

model::IdentityInput input_of(const model::Device& d) {
    model::IdentityInput in;
    in.sys_object_id = d.sys_object_id;
    in.sys_descr = d.sys_descr;
    return in;
}

} // namespace

std::vector<Oid> vendor_scalars(const model::Device& d, const model::IdentityRules& rules) {
    std::vector<Oid> out;
    for (const auto& text : model::objects_to_get(model::matching_rules(rules, input_of(d)))) {
        if (auto oid = parse_oid(text)) {
            out.push_back(std::move(*oid));
        }
    }
    return out;
}

std::optional<std::string> decode_identity(const std::vector<VarBind>& entity,
                                           const std::vector<VarBind>& scalars,
                                           const model::IdentityRules& rules, model::Device& d,
                                           Diagnostics& diag) {
    model::IdentityInput in = input_of(d);
    const auto matched = model::matching_rules(rules, in);
    const bool use_entity = std::ranges::none_of(
        matched, [](const model::IdentityRule* r) { return r->entity == model::EntityPick::none; });
    // The ENTITY-MIB row: the chassis (class 3) rows, the first with a serial or a model name
    // first (a stack's members and boards are not the device), lowest index among equals.
    std::map<std::uint32_t, std::map<std::uint32_t, const VarBind*>> rows;
    const std::size_t base = k_ent_physical_entry.size();
    for (const auto& vb : entity) {
        if (use_entity && oid_starts_with(vb.oid, k_ent_physical_entry) &&
            vb.oid.size() == base + 2) {
            rows[vb.oid[base + 1]][vb.oid[base]] = &vb;
        }
    }
    auto text = [&](const std::map<std::uint32_t, const VarBind*>& cols,
                    std::uint32_t col) -> std::optional<std::string> {
        auto it = cols.find(col);
        if (it == cols.end() || it->second->type != VbType::octets) {
            return std::nullopt;
        }
        auto v = text_value(*it->second, diag);
        return v && !v->empty() ? v : std::nullopt;
    };
    // Rows of class chassis(3) first; an agent without one (no class column, or its device
    // as a stack(11) or container(5) row) by the lowest row that names a model or a serial.
    const std::map<std::uint32_t, const VarBind*>* chassis = nullptr;
    int best = 0;
    for (const auto& [index, cols] : rows) {
        auto cls = cols.find(5);
        const bool is_chassis =
            cls != cols.end() && cls->second->type == VbType::integer && cls->second->integer == 3;
        const auto serial = text(cols, 11);
        const int score = (is_chassis ? 4 : 0) +
                          (serial && !model::is_placeholder(rules, *serial) ? 2 : 0) +
                          (text(cols, 13) ? 1 : 0);
        if (score > best && (is_chassis || score >= 1)) {
            best = score;
            chassis = &cols;
        }
    }
    if (chassis) {
        for (const auto& [name, col] : model::entity_columns_by_name()) {
            if (auto v = text(*chassis, col)) {
                in.entity[name] = *v;
            }
        }
    }
    for (const auto& vb : scalars) {
        std::optional<std::string> v;
        if (vb.type == VbType::octets) {
            v = text_value(vb, diag);
        } else if (vb.type == VbType::integer) {
            v = std::to_string(vb.integer);
        } else if (vb.type == VbType::gauge32 || vb.type == VbType::counter32) {
            v = std::to_string(vb.unsigned_);
        }
        if (v && !v->empty()) {
            in.got[oid_to_string(vb.oid)] = *v; // noSuchObject and the like: the agent lacks it
        }
    }
    const model::Identity id = model::resolve_identity(rules, matched, in);
    using F = model::IdentityField;
    auto at = [&](F f) {
        return id.value[static_cast<std::size_t>(f)];
    };
    d.model = at(F::model);
    d.serial = at(F::serial);
    d.version = at(F::version);
    d.hardware = at(F::hardware);
    d.os = at(F::os);
    if (id.vendor) {
        d.vendor = id.vendor;
    }
    return id.role;
}

void decode_role(const std::vector<VarBind>& system, model::Device& d,
                 const std::optional<std::string>& hint) {
    if (d.role) {
        return; // the configured role wins
    }
    std::optional<std::int64_t> services;
    std::optional<std::int64_t> forwarding;
    for (const auto& vb : system) {
        if (vb.type != VbType::integer) {
            continue;
        }
        if (vb.oid == Oid{1, 3, 6, 1, 2, 1, 1, 7, 0}) {
            services = vb.integer;
        } else if (vb.oid == Oid{1, 3, 6, 1, 2, 1, 4, 1, 0}) {
            forwarding = vb.integer;
        }
    }
    d.role = guess_role(d, services, forwarding, hint);
}

} // namespace netinv::probes::mib
