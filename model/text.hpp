// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <expected>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace netinv::model {

// Device text is untrusted. Returns `s` with C0/C1 control characters and DEL replaced by '?',
// and any invalid UTF-8 byte replaced by U+FFFD, so it is safe to print on a terminal.
// Bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C), zero-width
// characters (U+200B-U+200D, U+2060-U+2064, U+FEFF) and U+2028/U+2029 are replaced too.
std::string sanitize_terminal(std::string_view s);
// ASCII letters in lower case, every other byte as it is (names, MACs, hex, protocol names).
std::string ascii_lower(std::string_view s);
// The same, line by line: newlines are kept (a message of several lines).
std::string sanitize_terminal_lines(std::string_view s);
// True for the invisible formatting characters sanitize_terminal replaces.
bool is_invisible_format(char32_t cp);

// Columns `s` takes on a terminal, by Unicode character widths (utf8proc, as wcwidth): combining
// marks and zero-width characters 0, East Asian wide and fullwidth characters 2, others 1; an
// invalid byte 1 (it prints as U+FFFD).
std::size_t display_width(std::string_view s);

// `s` in Unicode NFC (Vietnamese typed or pasted in NFD, a base letter followed by combining
// marks, becomes its precomposed letters); `s` itself when it is not valid UTF-8.
std::string to_nfc(std::string_view s);

// A slug for inventory systems (NetBox's [-a-z0-9_]): diacritics removed ("Hải Dương" ->
// "hai-duong", đ -> d), letters in lower case, every other run of characters one '-'.
std::string slug(std::string_view s);

// True when `s` is valid UTF-8.
bool is_valid_utf8(std::string_view s);

// The candidate closest to `word` by edit distance when it is close enough to be a likely typo
// (distance <= 2 and less than half the word), for "did you mean" hints.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

// Replaces each {name} in `pattern` by vars[name]. An unknown name or an unclosed brace is an
// error naming it.
std::expected<std::string, std::string>
expand_placeholders(std::string_view pattern, const std::map<std::string, std::string>& vars);

} // namespace netinv::model
