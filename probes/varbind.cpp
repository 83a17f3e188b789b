// SPDX-License-Identifier: Apache-2.0
#include "probes/varbind.hpp"

#include <fmt/format.h>

#include <charconv>

namespace netinv::probes {

std::string oid_to_string(const Oid& oid) {
    std::string out;
    out.reserve(oid.size() * 4);
    for (std::size_t i = 0; i < oid.size(); ++i) {
        if (i) {
            out += '.';
        }
        out += fmt::format("{}", oid[i]);
    }
    return out;
}

std::optional<Oid> parse_oid(std::string_view text) {
    if (text.starts_with('.')) {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return std::nullopt;
    }
    Oid oid;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
        std::uint32_t v = 0;
        auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc{} || next == p) {
            return std::nullopt;
        }
        oid.push_back(v);
        p = next;
        if (p < end) {
            if (*p != '.' || p + 1 == end) {
                return std::nullopt;
            }
            ++p;
        }
    }
    if (oid.size() > 128) {
        return std::nullopt; // SNMP allows at most 128 sub-identifiers
    }
    return oid;
}

bool oid_starts_with(const Oid& oid, const Oid& prefix) {
    return oid.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), oid.begin());
}

namespace {

std::optional<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        unsigned v = 0;
        auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
        if (ec != std::errc{} || p != hex.data() + i + 2) {
            return std::nullopt;
        }
        out += static_cast<char>(v);
    }
    return out;
}

template <typename T> std::optional<T> number(std::string_view s) {
    T v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

} // namespace

std::optional<VarBind> parse_snmprec_line(std::string_view line, std::string& why) {
    const auto bar1 = line.find('|');
    const auto bar2 = bar1 == std::string_view::npos ? bar1 : line.find('|', bar1 + 1);
    if (bar2 == std::string_view::npos) {
        why = "expected OID|TYPE|VALUE";
        return std::nullopt;
    }
    VarBind vb;
    auto oid = parse_oid(line.substr(0, bar1));
    if (!oid) {
        why = "malformed OID";
        return std::nullopt;
    }
    vb.oid = std::move(*oid);
    std::string_view type = line.substr(bar1 + 1, bar2 - bar1 - 1);
    const std::string_view value = line.substr(bar2 + 1);
    const bool hex = type.ends_with('x');
    if (hex) {
        type.remove_suffix(1);
    }
    auto code = number<unsigned>(type);
    if (!code) {
        why = "malformed type";
        return std::nullopt;
    }
    auto raw = [&]() -> std::optional<std::string> {
        return hex ? from_hex(value) : std::optional<std::string>(std::string(value));
    };
    switch (*code) {
    case 2: {
        auto v = number<std::int64_t>(value);
        if (!v) {
            why = "malformed integer";
            return std::nullopt;
        }
        vb.type = VbType::integer;
        vb.integer = *v;
        return vb;
    }
    case 4:
    case 68: {
        auto v = raw();
        if (!v) {
            why = "malformed hex value";
            return std::nullopt;
        }
        vb.type = *code == 4 ? VbType::octets : VbType::opaque;
        vb.bytes = std::move(*v);
        return vb;
    }
    case 5:
        vb.type = VbType::null;
        return vb;
    case 6: {
        auto v = parse_oid(value);
        if (!v) {
            why = "malformed OID value";
            return std::nullopt;
        }
        vb.type = VbType::object_id;
        vb.oid_value = std::move(*v);
        return vb;
    }
    case 64: {
        vb.type = VbType::ip_address;
        if (hex) {
            auto v = from_hex(value);
            if (!v) {
                why = "malformed hex value";
                return std::nullopt;
            }
            vb.bytes = std::move(*v);
            return vb;
        }
        // dotted quad
        std::string bytes;
        std::string_view rest = value;
        for (int i = 0; i < 4; ++i) {
            const auto dot = rest.find('.');
            auto part = number<unsigned>(rest.substr(0, dot));
            if (!part || *part > 255 || (i < 3 && dot == std::string_view::npos) ||
                (i == 3 && dot != std::string_view::npos)) {
                why = "malformed IpAddress";
                return std::nullopt;
            }
            bytes += static_cast<char>(*part);
            rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
        }
        vb.bytes = std::move(bytes);
        return vb;
    }
    case 65:
    case 66:
    case 67:
    case 70: {
        auto v = number<std::uint64_t>(value);
        if (!v || (*code != 70 && *v > 0xFFFFFFFFull)) {
            why = "malformed unsigned value";
            return std::nullopt;
        }
        vb.type = static_cast<VbType>(*code);
        vb.unsigned_ = *v;
        return vb;
    }
    case 128:
    case 129:
    case 130:
        vb.type = static_cast<VbType>(*code);
        return vb;
    default:
        why = fmt::format("unsupported type {}", *code);
        return std::nullopt;
    }
}

namespace {

bool printable(std::string_view s) {
    for (char c : s) {
        if (c < 0x20 || c > 0x7e || c == '|') {
            return false;
        }
    }
    return true;
}

} // namespace

void set_value_bytes(VarBind& vb, std::string_view bytes) {
    vb.bytes.assign(bytes.substr(0, k_max_value_bytes));
    vb.full_size = bytes.size() > k_max_value_bytes
                       ? static_cast<std::uint32_t>(std::min<std::size_t>(bytes.size(), UINT32_MAX))
                       : 0;
}

std::vector<VarBind> parse_snmprec(std::string_view text, std::vector<std::string>* errors) {
    std::vector<VarBind> out;
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        if (line.empty() || line.starts_with('#')) {
            continue;
        }
        std::string why;
        if (auto vb = parse_snmprec_line(line, why)) {
            out.push_back(std::move(*vb));
        } else if (errors) {
            errors->push_back(fmt::format("{}: {}", line_no, why));
        }
    }
    return out;
}

std::string to_snmprec(const std::vector<VarBind>& vbs) {
    std::string out;
    for (const auto& vb : vbs) {
        const std::string oid = oid_to_string(vb.oid);
        switch (vb.type) {
        case VbType::integer:
            out += fmt::format("{}|2|{}\n", oid, vb.integer);
            break;
        case VbType::octets:
        case VbType::opaque:
        case VbType::ip_address: {
            const int code = static_cast<int>(vb.type);
            if (printable(vb.bytes) && vb.type == VbType::octets) {
                out += fmt::format("{}|{}|{}\n", oid, code, vb.bytes);
            } else {
                std::string hex;
                for (unsigned char c : vb.bytes) {
                    hex += fmt::format("{:02x}", c);
                }
                out += fmt::format("{}|{}x|{}\n", oid, code, hex);
            }
            break;
        }
        case VbType::object_id:
            out += fmt::format("{}|6|{}\n", oid, oid_to_string(vb.oid_value));
            break;
        case VbType::counter32:
        case VbType::gauge32:
        case VbType::timeticks:
        case VbType::counter64:
            out += fmt::format("{}|{}|{}\n", oid, static_cast<int>(vb.type), vb.unsigned_);
            break;
        default:
            out += fmt::format("{}|{}|\n", oid, static_cast<int>(vb.type));
            break;
        }
    }
    return out;
}

bool Diagnostics::admit(std::string_view message) {
    auto it = m_per_message.find(message);
    if (it == m_per_message.end()) {
        if (m_per_message.size() < m_cap) {
            it = m_per_message.emplace(std::string(message), 0).first;
        }
    }
    if (m_messages.size() >= m_cap || it == m_per_message.end() || it->second >= 3) {
        ++m_dropped;
        return false;
    }
    ++it->second;
    return true;
}

void Diagnostics::warn(const Oid& oid, std::string_view message) {
    if (admit(message)) {
        m_messages.push_back(fmt::format("{}: {}: {}", m_host, oid_to_string(oid), message));
    }
}

void Diagnostics::warn(std::string_view message) {
    if (admit(message)) {
        m_messages.push_back(fmt::format("{}: {}", m_host, message));
    }
}

std::vector<std::string> Diagnostics::take() {
    auto out = std::move(m_messages);
    if (m_dropped) {
        out.push_back(fmt::format("{}: {} more warnings not shown", m_host, m_dropped));
    }
    m_messages.clear();
    m_per_message.clear();
    m_dropped = 0;
    return out;
}

} // namespace netinv::probes
