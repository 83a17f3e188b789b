// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include "model/vendor.hpp"
#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

namespace {
const Oid k_system = {1, 3, 6, 1, 2, 1, 1};
} // namespace

const std::vector<Oid>& system_scalars() {
    static const std::vector<Oid> oids = {
        {1, 3, 6, 1, 2, 1, 1, 1, 0},     // sysDescr
        {1, 3, 6, 1, 2, 1, 1, 2, 0},     // sysObjectID
        {1, 3, 6, 1, 2, 1, 1, 3, 0},     // sysUpTime
        {1, 3, 6, 1, 2, 1, 1, 4, 0},     // sysContact
        {1, 3, 6, 1, 2, 1, 1, 5, 0},     // sysName
        {1, 3, 6, 1, 2, 1, 1, 6, 0},     // sysLocation
        {1, 3, 6, 1, 2, 1, 1, 7, 0},     // sysServices (for the role)
        {1, 3, 6, 1, 2, 1, 4, 1, 0},     // ipForwarding (for the role)
        {1, 3, 6, 1, 2, 1, 4, 25, 0},    // ipv6IpForwarding
        {1, 3, 6, 1, 2, 1, 25, 2, 2, 0}, // hrMemorySize
    };
    return oids;
}

void decode_system(const std::vector<VarBind>& vbs, model::Device& d, Diagnostics& diag) {
    for (const auto& vb : vbs) {
        if (vb.oid.size() != 9 || !oid_starts_with(vb.oid, k_system) || vb.oid[8] != 0) {
            continue;
        }
        if (absent(vb)) {
            continue; // the agent does not have it: stays unknown
        }
        switch (vb.oid[7]) {
        case 1:
            d.sys_descr = text_value(vb, diag, 4096);
            break;
        case 2:
            if (vb.type == VbType::object_id) {
                d.sys_object_id = oid_to_string(vb.oid_value);
            } else {
                diag.warn(vb.oid, "expected an OBJECT IDENTIFIER; value ignored");
            }
            break;
        case 3:
            if (vb.type == VbType::timeticks) {
                d.sys_uptime_cs = vb.unsigned_;
            } else {
                diag.warn(vb.oid, "expected TimeTicks; value ignored");
            }
            break;
        case 4:
            d.sys_contact = text_value(vb, diag);
            break;
        case 5:
            d.sys_name = text_value(vb, diag);
            break;
        case 6:
            d.sys_location = text_value(vb, diag);
            break;
        default:
            break;
        }
    }
    if (d.sys_object_id) {
        if (auto n = model::enterprise_number(*d.sys_object_id)) {
            if (auto v = model::vendor_for_enterprise(*n)) {
                d.vendor = std::string(*v);
            }
        }
    }
}

} // namespace netinv::probes::mib
