// SPDX-License-Identifier: Apache-2.0
#include "model/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <utf8proc.h>
#include <vector>

namespace netinv::model {

namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length and code point, or 0 when invalid.
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        return 0;
    }
    if (i + len > s.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        return 0;
    }
    return len;
}

} // namespace

// Characters that change how a terminal shows the text around them without being seen:
// bidirectional embeddings, overrides and isolates (a name that reads backwards, "Trojan
// Source"), zero-width spaces and joiners, the byte-order mark, line and paragraph separators.
bool is_invisible_format(char32_t cp) {
    return cp == 0x061C || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
           cp == 0xFEFF;
}

std::string sanitize_terminal_lines(std::string_view s) {
    std::string out;
    for (std::size_t start = 0; start <= s.size();) {
        const std::size_t nl = s.find('\n', start);
        const std::size_t end = nl == std::string_view::npos ? s.size() : nl;
        out += sanitize_terminal(s.substr(start, end - start));
        if (nl == std::string_view::npos) {
            break;
        }
        out += '\n';
        start = nl + 1;
    }
    return out;
}

std::string sanitize_terminal(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        const std::size_t len = decode_utf8(s, i, cp);
        if (len == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || is_invisible_format(cp)) {
            out += '?';
        } else {
            out.append(s.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::size_t display_width(std::string_view s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(s, i, cp);
        if (len == 0) {
            len = 1;
            ++w;
        } else {
            // 0 for combining and zero-width characters, 2 for wide ones; a control character
            // (never printed: sanitize_terminal replaces it by '?') counts as the '?' it becomes.
            const int cw = utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp));
            w += cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 1 : static_cast<std::size_t>(cw);
        }
        i += len;
    }
    return w;
}

std::string to_nfc(std::string_view s) {
    utf8proc_uint8_t* out = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                static_cast<utf8proc_ssize_t>(s.size()), &out,
                                static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (n < 0 || out == nullptr) {
        std::free(out);
        return std::string(s);
    }
    std::string r(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    std::free(out);
    return r;
}

std::string slug(std::string_view s) {
    utf8proc_uint8_t* bare = nullptr;
    const auto n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
        static_cast<utf8proc_ssize_t>(s.size()), &bare,
        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK));
    const std::string text = n >= 0 && bare ? std::string(reinterpret_cast<const char*>(bare),
                                                          static_cast<std::size_t>(n))
                                            : std::string(s);
    std::free(bare);
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        std::size_t len = decode_utf8(text, i, cp);
        len = len == 0 ? 1 : len;
        if (cp == U'\u0111' || cp == U'\u0110') { // đ Đ: a letter of its own, not d + a mark
            cp = U'd';
        }
        if ((cp >= U'a' && cp <= U'z') || (cp >= U'0' && cp <= U'9') || cp == U'_') {
            out += static_cast<char>(cp);
        } else if (cp >= U'A' && cp <= U'Z') {
            out += static_cast<char>(cp - U'A' + U'a');
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
        i += len;
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return out;
}

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp = 0;
        const std::size_t len = decode_utf8(s, i, cp);
        if (len == 0) {
            return false;
        }
        i += len;
    }
    return true;
}

std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates) {
    std::optional<std::string_view> best;
    std::size_t best_d = SIZE_MAX;
    std::vector<std::size_t> prev(word.size() + 1);
    std::vector<std::size_t> cur(word.size() + 1);
    for (std::string_view c : candidates) {
        for (std::size_t j = 0; j <= word.size(); ++j) {
            prev[j] = j;
        }
        for (std::size_t i = 1; i <= c.size(); ++i) {
            cur[0] = i;
            for (std::size_t j = 1; j <= word.size(); ++j) {
                const std::size_t sub = prev[j - 1] + (c[i - 1] == word[j - 1] ? 0 : 1);
                cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
            }
            std::swap(prev, cur);
        }
        if (prev[word.size()] < best_d) {
            best_d = prev[word.size()];
            best = c;
        }
    }
    if (best && best_d <= 2 && best_d * 2 < word.size()) {
        return best;
    }
    return std::nullopt;
}

std::expected<std::string, std::string>
expand_placeholders(std::string_view pattern, const std::map<std::string, std::string>& vars) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '{') {
            out += pattern[i];
            continue;
        }
        const auto close = pattern.find('}', i);
        if (close == std::string_view::npos) {
            return std::unexpected(fmt::format("unclosed '{{' in '{}'", pattern));
        }
        const std::string name(pattern.substr(i + 1, close - i - 1));
        auto it = vars.find(name);
        if (it == vars.end()) {
            std::string known;
            for (const auto& [k, v] : vars) {
                known += fmt::format("{}{{{}}}", known.empty() ? "" : ", ", k);
            }
            return std::unexpected(
                fmt::format("unknown placeholder {{{}}} in '{}'; known: {}", name, pattern, known));
        }
        out += it->second;
        i = close;
    }
    return out;
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

} // namespace netinv::model
