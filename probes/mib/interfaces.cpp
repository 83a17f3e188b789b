// SPDX-License-Identifier: Apache-2.0
//
// IF-MIB: ifTable (ifDescr, ifType, ifSpeed, ifPhysAddress, ifAdminStatus, ifOperStatus) and
// ifXTable (ifName, ifHighSpeed, ifAlias), joined on ifIndex. Speed is ifHighSpeed x 10^6 when
// the agent has ifHighSpeed and it is not zero (RFC 2863 makes it the reliable column above
// 4 Gbit/s); otherwise ifSpeed, which also keeps sub-megabit links exact.
#include <fmt/format.h>

#include <map>
#include <set>

#include "model/net.hpp"
#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

namespace {

const Oid k_if_entry = {1, 3, 6, 1, 2, 1, 2, 2, 1};
const Oid k_ifx_entry = {1, 3, 6, 1, 2, 1, 31, 1, 1, 1};

struct Row {
    model::Interface itf;
    std::optional<std::uint64_t> if_speed;
    std::optional<std::uint64_t> high_speed;
};

std::optional<std::uint64_t> gauge(const VarBind& vb, Diagnostics& diag) {
    if (vb.type != VbType::gauge32) {
        diag.warn(vb.oid, "expected a Gauge32; value ignored");
        return std::nullopt;
    }
    return vb.unsigned_;
}

std::optional<std::int64_t> integer(const VarBind& vb, Diagnostics& diag) {
    if (vb.type != VbType::integer) {
        diag.warn(vb.oid, "expected an INTEGER; value ignored");
        return std::nullopt;
    }
    return vb.integer;
}

std::optional<model::IfStatus> status(const VarBind& vb, Diagnostics& diag) {
    auto v = integer(vb, diag);
    if (!v) {
        return std::nullopt;
    }
    auto s = model::if_status_from_int(*v);
    if (!s) {
        diag.warn(vb.oid, fmt::format("status {} is out of range; value ignored", *v));
    }
    return s;
}

} // namespace

const std::vector<Oid>& interface_columns() {
    static const std::vector<Oid> cols = [] {
        auto c = columns(k_if_entry, {2, 3, 5, 6, 7, 8});
        for (auto& o : columns(k_ifx_entry, {1, 15, 18})) {
            c.push_back(std::move(o));
        }
        return c;
    }();
    return cols;
}

std::vector<model::Interface> decode_interfaces(const std::vector<VarBind>& vbs,
                                                Diagnostics& diag) {
    std::map<std::uint32_t, Row> rows;
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen; // (table column tag, index)
    for (const auto& vb : vbs) {
        const bool in_if = oid_starts_with(vb.oid, k_if_entry);
        const bool in_ifx = oid_starts_with(vb.oid, k_ifx_entry);
        if (!in_if && !in_ifx) {
            continue;
        }
        if (absent(vb)) {
            continue;
        }
        const std::size_t base = in_if ? k_if_entry.size() : k_ifx_entry.size();
        if (vb.oid.size() != base + 2 || vb.oid[base + 1] == 0 || vb.oid[base + 1] > 0x7FFFFFFF) {
            diag.warn(vb.oid, "malformed ifIndex in the row index; row ignored");
            continue;
        }
        const std::uint32_t column = vb.oid[base] + (in_ifx ? 100 : 0);
        const std::uint32_t index = vb.oid[base + 1];
        if (!seen.emplace(column, index).second) {
            diag.warn(vb.oid, "duplicate row; ignored");
            continue;
        }
        Row& row = rows[index];
        row.itf.index = index;
        switch (column) {
        case 2:
            row.itf.descr = text_value(vb, diag);
            break;
        case 3:
            if (auto v = integer(vb, diag)) {
                if (*v >= 1 && *v <= 0x7FFFFFFF) {
                    row.itf.type = static_cast<std::uint32_t>(*v);
                } else {
                    diag.warn(vb.oid, fmt::format("ifType {} is out of range; value ignored", *v));
                }
            }
            break;
        case 5:
            row.if_speed = gauge(vb, diag);
            break;
        case 6:
            if (vb.type == VbType::octets) {
                row.itf.mac = model::format_mac(vb.bytes);
            } else {
                diag.warn(vb.oid, "expected an OCTET STRING; value ignored");
            }
            break;
        case 7:
            row.itf.admin_status = status(vb, diag);
            break;
        case 8:
            row.itf.oper_status = status(vb, diag);
            break;
        case 101:
            row.itf.name = text_value(vb, diag);
            break;
        case 115:
            row.high_speed = gauge(vb, diag);
            break;
        case 118:
            row.itf.alias = text_value(vb, diag);
            break;
        default:
            break;
        }
    }
    std::vector<model::Interface> out;
    out.reserve(rows.size());
    for (auto& [index, row] : rows) {
        if (row.high_speed && *row.high_speed > 0) {
            row.itf.speed_bps = *row.high_speed * 1'000'000ull;
        } else if (row.if_speed) {
            row.itf.speed_bps = *row.if_speed;
        } else if (row.high_speed) {
            row.itf.speed_bps = 0;
        }
        out.push_back(std::move(row.itf));
    }
    return out;
}

} // namespace netinv::probes::mib
