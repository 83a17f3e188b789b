// SPDX-License-Identifier: Apache-2.0
//
// snmpwalk's text output, as net-snmp's snprint_value writes it with -On: one
// "OID = TYPE: VALUE" per varbind, where a quoted STRING may run over several lines (it holds
// newlines) and a long Hex-STRING wraps every 16 octets. A walk to the end of the MIB view
// ends with "OID = No more variables left in this MIB View ...", the last OID again.
#include "probes/capture.hpp"

#include <fmt/format.h>

#include <charconv>
#include <optional>

namespace netinv::probes {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

template <typename T> std::optional<T> number(std::string_view s) {
    T v{};
    const auto* end = s.data() + s.size();
    const auto r = std::from_chars(s.data(), end, v);
    if (r.ec != std::errc{} || r.ptr == s.data()) {
        return std::nullopt;
    }
    return v;
}

// The number a value starts with, or the one in parentheses: "5", "up(1)", "5 seconds",
// "(147) 0:00:01.47".
template <typename T> std::optional<T> leading_number(std::string_view s) {
    if (const auto open = s.find('('); open != std::string_view::npos) {
        const auto close = s.find(')', open);
        if (close != std::string_view::npos) {
            if (auto v = number<T>(s.substr(open + 1, close - open - 1))) {
                return v;
            }
        }
    }
    const auto end = s.find_first_of(" \t");
    return number<T>(s.substr(0, end));
}

bool is_hex_line(std::string_view s) {
    s = trim(s);
    if (s.empty()) {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        const bool hex = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
        if (!(hex || c == ' ')) {
            return false;
        }
    }
    return true;
}

std::optional<std::string> hex_bytes(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t' || s[i] == ':') {
            ++i;
            continue;
        }
        if (i + 1 >= s.size()) {
            return std::nullopt;
        }
        unsigned v = 0;
        const auto r = std::from_chars(s.data() + i, s.data() + i + 2, v, 16);
        if (r.ec != std::errc{} || r.ptr != s.data() + i + 2) {
            return std::nullopt;
        }
        out += static_cast<char>(v);
        i += 2;
    }
    return out;
}

// The lines of `text`, each without its newline; `ends` says whether the text's last line has
// its newline.
struct Lines {
    std::vector<std::string_view> lines;
    bool ends = true;
};

Lines split(std::string_view text) {
    Lines out;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        if (nl == std::string_view::npos) {
            out.lines.push_back(text);
            out.ends = false;
            break;
        }
        out.lines.push_back(text.substr(0, nl));
        text.remove_prefix(nl + 1);
    }
    return out;
}

// One snmpwalk varbind starting at lines[i]; advances i past its continuation lines.
std::expected<std::optional<VarBind>, std::string>
walk_varbind(const std::vector<std::string_view>& lines, std::size_t& i) {
    const std::string_view line = lines[i];
    const auto eq = line.find(" = ");
    const std::string_view oid_text = trim(line.substr(0, eq));
    if (eq == std::string_view::npos) {
        return std::unexpected("not a varbind ('OID = TYPE: VALUE')");
    }
    if (oid_text.find("::") != std::string_view::npos ||
        oid_text.find_first_of("abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos) {
        return std::unexpected(fmt::format("OID by name ({}): capture with -On, numeric OIDs",
                                           oid_text.substr(0, 60)));
    }
    auto oid = parse_oid(oid_text);
    if (!oid || oid->size() < 2) {
        return std::unexpected(fmt::format("'{}' is not an OID", oid_text.substr(0, 60)));
    }
    VarBind vb;
    vb.oid = std::move(*oid);
    std::string_view rest = line.substr(eq + 3);
    if (rest.ends_with('\r')) {
        rest.remove_suffix(1);
    }
    if (rest.starts_with("No more variables left in this MIB View")) {
        return std::optional<VarBind>{}; // the end of the walk, not a value
    }
    if (rest.starts_with("No Such Object") || rest.starts_with("No Such Instance")) {
        vb.type =
            rest.starts_with("No Such Object") ? VbType::no_such_object : VbType::no_such_instance;
        return vb;
    }
    if (rest == "\"\"") {
        vb.type = VbType::octets; // the empty string
        return vb;
    }
    if (!rest.empty() && rest.find_first_not_of("0123456789") == std::string_view::npos) {
        // -Ot prints TimeTicks as a bare number, the one type it changes.
        vb.type = VbType::timeticks;
        vb.unsigned_ = number<std::uint64_t>(rest).value_or(0);
        return vb;
    }
    if (rest == "NULL") {
        vb.type = VbType::null;
        return vb;
    }
    // With MIBs loaded and a value of another type than the MIB says: the value follows.
    if (rest.starts_with("Wrong Type")) {
        const auto colon = rest.find("): ");
        if (colon == std::string_view::npos) {
            return std::unexpected("'Wrong Type' without its value");
        }
        rest = rest.substr(colon + 3);
    }
    const auto colon = rest.find(": ");
    const std::string_view type = colon == std::string_view::npos ? rest : rest.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : rest.substr(colon + 2);
    const auto bad = [&] {
        return std::unexpected(
            fmt::format("{} value '{}' not understood", type, trim(value).substr(0, 40)));
    };
    if (type == "STRING") {
        vb.type = VbType::octets;
        if (!value.starts_with('"')) {
            set_value_bytes(vb, trim(value)); // a display hint's form, as printed
            return vb;
        }
        // Quoted: \" and \\ escaped; newlines inside it continue on the next lines.
        std::string out;
        std::string_view part = value.substr(1);
        for (;;) {
            bool closed = false;
            for (std::size_t k = 0; k < part.size(); ++k) {
                if (part[k] == '\\' && k + 1 < part.size()) {
                    out += part[++k];
                } else if (part[k] == '"') {
                    closed = true;
                    if (!trim(part.substr(k + 1)).empty()) {
                        return std::unexpected("text after the closing quote of a STRING");
                    }
                    break;
                } else {
                    out += part[k];
                }
            }
            if (closed) {
                break;
            }
            if (++i >= lines.size()) {
                return std::unexpected("STRING without its closing quote");
            }
            if (out.size() > (std::size_t{1} << 20)) {
                return std::unexpected("STRING of more than 1 MiB");
            }
            out += '\n';
            part = lines[i];
        }
        set_value_bytes(vb, out);
        return vb;
    }
    if (type == "Hex-STRING" || type == "BITS" || type == "Network Address") {
        std::string hex(value);
        // A long value wraps every 16 octets onto lines of hex pairs alone.
        while (type == "Hex-STRING" && i + 1 < lines.size() &&
               lines[i + 1].find(" = ") == std::string_view::npos && is_hex_line(lines[i + 1])) {
            hex += ' ';
            hex += lines[++i];
        }
        if (type == "BITS") {
            // "80 00 foo(0)": the octets, then the names of the bits set.
            std::string octets;
            for (std::size_t k = 0; k < hex.size();) {
                const auto sp = hex.find(' ', k);
                const std::string_view token =
                    std::string_view(hex).substr(k, sp == std::string::npos ? sp : sp - k);
                if (token.size() != 2 || !is_hex_line(token)) {
                    break;
                }
                octets += std::string(token) + " ";
                k = sp == std::string::npos ? hex.size() : sp + 1;
            }
            hex = octets;
        }
        auto bytes = hex_bytes(hex);
        if (!bytes) {
            return bad();
        }
        vb.type = type == "Network Address" ? VbType::ip_address : VbType::octets;
        set_value_bytes(vb, *bytes);
        return vb;
    }
    if (type == "INTEGER") {
        auto v = leading_number<std::int64_t>(trim(value));
        if (!v) {
            return bad();
        }
        vb.type = VbType::integer;
        vb.integer = *v;
        return vb;
    }
    const struct {
        std::string_view name;
        VbType type;
    } k_unsigned[] = {{"Counter32", VbType::counter32}, {"Gauge32", VbType::gauge32},
                      {"UInteger32", VbType::gauge32},  {"Unsigned32", VbType::gauge32},
                      {"Counter64", VbType::counter64}, {"Timeticks", VbType::timeticks}};
    for (const auto& u : k_unsigned) {
        if (type == u.name) {
            auto v = leading_number<std::uint64_t>(trim(value));
            if (!v) {
                return bad();
            }
            vb.type = u.type;
            vb.unsigned_ = *v;
            return vb;
        }
    }
    if (type == "OID") {
        auto o = parse_oid(trim(value));
        if (!o) {
            return bad();
        }
        vb.type = VbType::object_id;
        vb.oid_value = std::move(*o);
        return vb;
    }
    if (type == "IpAddress") {
        std::string_view v = trim(value);
        std::string bytes;
        for (int k = 0; k < 4; ++k) {
            const auto dot = v.find('.');
            auto part = number<unsigned>(v.substr(0, dot));
            if (!part || *part > 255 || (k < 3 && dot == std::string_view::npos) ||
                (k == 3 && dot != std::string_view::npos)) {
                return bad();
            }
            bytes += static_cast<char>(*part);
            v = dot == std::string_view::npos ? "" : v.substr(dot + 1);
        }
        vb.type = VbType::ip_address;
        vb.bytes = bytes;
        return vb;
    }
    if (type == "Opaque") {
        vb.type = VbType::opaque; // net-snmp prints its decoded form; netinv reads none
        set_value_bytes(vb, trim(value));
        return vb;
    }
    return std::unexpected(fmt::format("unknown value type '{}'", type.substr(0, 30)));
}

} // namespace

std::expected<std::vector<VarBind>, std::string> parse_capture(std::string_view text) {
    const Lines split_lines = split(text);
    const auto& lines = split_lines.lines;
    std::size_t first = 0;
    while (first < lines.size() && (trim(lines[first]).empty() || lines[first].starts_with('#'))) {
        ++first;
    }
    if (first == lines.size()) {
        return std::unexpected("1: empty: no varbind in it");
    }
    if (!split_lines.ends) {
        return std::unexpected(
            fmt::format("{}: the last line has no end: the copy was cut short", lines.size()));
    }
    const std::string_view head = lines[first];
    const bool walk = head.find(" = ") != std::string_view::npos;
    const bool snmprec = !walk && head.find('|') != std::string_view::npos;
    if (!walk && !snmprec) {
        return std::unexpected(fmt::format("{}: neither snmpwalk -On output ('.1.3.6.1.2.1.1.1.0 "
                                           "= STRING: ...') nor an snmprec file ('OID|TYPE|VALUE')",
                                           first + 1));
    }
    std::vector<VarBind> out;
    const auto in_order = [&](const VarBind& vb, std::size_t line_no) -> std::string {
        if (!out.empty() && !(out.back().oid < vb.oid)) {
            return fmt::format("{}: {} {} the one before it ({}): a capture is in increasing OID "
                               "order",
                               line_no, oid_to_string(vb.oid),
                               out.back().oid == vb.oid ? "repeats" : "comes before",
                               oid_to_string(out.back().oid));
        }
        return {};
    };
    if (snmprec) {
        for (std::size_t i = first; i < lines.size(); ++i) {
            if (trim(lines[i]).empty() || lines[i].starts_with('#')) {
                continue;
            }
            std::string_view line = lines[i];
            if (line.ends_with('\r')) {
                line.remove_suffix(1);
            }
            std::string why;
            auto vb = parse_snmprec_line(line, why);
            if (!vb) {
                return std::unexpected(fmt::format("{}: {}", i + 1, why));
            }
            if (auto err = in_order(*vb, i + 1); !err.empty()) {
                return std::unexpected(err);
            }
            const std::string bytes = std::move(vb->bytes);
            set_value_bytes(*vb, bytes);
            out.push_back(std::move(*vb));
        }
        return out;
    }
    for (std::size_t i = first; i < lines.size(); ++i) {
        if (trim(lines[i]).empty()) {
            continue;
        }
        const std::size_t line_no = i + 1;
        auto vb = walk_varbind(lines, i);
        if (!vb) {
            return std::unexpected(fmt::format("{}: {}", line_no, vb.error()));
        }
        if (!*vb) {
            continue; // end of the MIB view
        }
        if (auto why = in_order(**vb, line_no); !why.empty()) {
            return std::unexpected(why);
        }
        out.push_back(std::move(**vb));
    }
    return out;
}

} // namespace netinv::probes
