// SPDX-License-Identifier: Apache-2.0
//
// HOST-RESOURCES-MIB (RFC 2790): a server's processors, memory and fixed disks.
#include <fmt/format.h>

#include <map>

#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

namespace {

const Oid k_hr_storage = {1, 3, 6, 1, 2, 1, 25, 2, 3, 1};
const Oid k_hr_processor_load = {1, 3, 6, 1, 2, 1, 25, 3, 3, 1, 2};
const Oid k_hr_storage_fixed_disk = {1, 3, 6, 1, 2, 1, 25, 2, 1, 4};

} // namespace

const std::vector<Oid>& host_columns() {
    static const std::vector<Oid> cols = [] {
        auto c = columns(k_hr_storage, {2, 3, 4, 5, 6}); // type, descr, units, size, used
        c.push_back(k_hr_processor_load);
        return c;
    }();
    return cols;
}

void decode_host_resources(const std::vector<VarBind>& vbs, std::optional<std::uint64_t> memory_kb,
                           model::Device& d, Diagnostics& diag) {
    struct Row {
        bool fixed_disk = false;
        std::optional<std::string> descr;
        std::optional<std::uint64_t> units, size, used;
    };
    std::map<std::uint32_t, Row> rows;
    std::uint32_t cpus = 0;
    for (const auto& vb : vbs) {
        if (absent(vb)) {
            continue;
        }
        if (oid_starts_with(vb.oid, k_hr_processor_load)) {
            ++cpus;
            continue;
        }
        if (!oid_starts_with(vb.oid, k_hr_storage) || vb.oid.size() != k_hr_storage.size() + 2) {
            continue;
        }
        Row& r = rows[vb.oid.back()];
        const std::int64_t v = vb.integer;
        switch (vb.oid[k_hr_storage.size()]) {
        case 2:
            r.fixed_disk = vb.type == VbType::object_id && vb.oid_value == k_hr_storage_fixed_disk;
            break;
        case 3:
            r.descr = text_value(vb, diag);
            break;
        case 4:
        case 5:
        case 6:
            if (vb.type != VbType::integer || v < 0) {
                diag.warn(vb.oid, "expected a non-negative INTEGER; value ignored");
                break;
            }
            (vb.oid[k_hr_storage.size()] == 4   ? r.units
             : vb.oid[k_hr_storage.size()] == 5 ? r.size
                                                : r.used) = static_cast<std::uint64_t>(v);
            break;
        default:
            break;
        }
    }
    if (cpus > 0) {
        d.cpus = cpus;
    }
    if (memory_kb) {
        d.memory_bytes = *memory_kb * 1024;
    }
    for (auto& [index, r] : rows) {
        if (r.fixed_disk && r.descr && r.units && r.size && r.used && *r.units > 0) {
            d.volumes.push_back(model::Volume{*r.descr, *r.size * *r.units, *r.used * *r.units});
        }
    }
}

} // namespace netinv::probes::mib
