// SPDX-License-Identifier: Apache-2.0
#include "model/text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

Oid with(const Oid& base, std::initializer_list<std::uint32_t> tail) {
    Oid o = base;
    o.insert(o.end(), tail.begin(), tail.end());
    return o;
}

bool absent(const VarBind& vb) {
    return vb.type == VbType::no_such_object || vb.type == VbType::no_such_instance ||
           vb.type == VbType::end_of_mib_view;
}

std::vector<Oid> columns(const Oid& entry, std::initializer_list<std::uint32_t> cols) {
    std::vector<Oid> out;
    out.reserve(cols.size());
    for (std::uint32_t c : cols) {
        Oid o = entry;
        o.push_back(c);
        out.push_back(std::move(o));
    }
    return out;
}

std::optional<std::string> text_value(const VarBind& vb, Diagnostics& diag, std::size_t max_len) {
    if (vb.type != VbType::octets) {
        diag.warn(vb.oid, fmt::format("expected an OCTET STRING, got type {}; value ignored",
                                      static_cast<int>(vb.type)));
        return std::nullopt;
    }
    std::string_view s = vb.bytes;
    while (!s.empty() && s.back() == '\0') {
        s.remove_suffix(1);
    }
    if (s.size() > max_len || vb.full_size > max_len) {
        diag.warn(vb.oid, fmt::format("value of {} bytes exceeds the {}-byte limit; value ignored",
                                      std::max<std::size_t>(s.size(), vb.full_size), max_len));
        return std::nullopt;
    }
    if (model::is_valid_utf8(s)) {
        return std::string(s);
    }
    // Replace each invalid byte by U+FFFD so storage and JSON always hold valid UTF-8.
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 1;
        while (len <= 4 && i + len <= s.size() && !model::is_valid_utf8(s.substr(i, len))) {
            ++len;
        }
        if (len <= 4 && i + len <= s.size()) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

} // namespace netinv::probes::mib
