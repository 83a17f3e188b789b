// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netinv::report {

// The version of netinv's JSON documents, the first key of each ("schema_version"); their JSON
// Schemas (2020-12) are schema/*.schema.json, installed in share/netinv/schema/. It changes
// when a key is removed or changes meaning, not when one is added.
inline constexpr int k_json_schema_version = 1;

// Writes indented JSON. Strings are escaped per RFC 8259 (control characters as \uXXXX), so
// untrusted device text cannot break the document. The caller balances begin/end calls.
class JsonWriter {
public:
    JsonWriter& begin_object();
    // The document's own object, opened with its "schema_version".
    JsonWriter& begin_document();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(std::int64_t v);
    JsonWriter& value(std::uint64_t v);
    JsonWriter& value(std::uint32_t v) { return value(std::uint64_t{v}); }
    JsonWriter& value(int v) { return value(std::int64_t{v}); }
    JsonWriter& value(bool v);
    JsonWriter& value(double v); // shortest text that reads back the same; null if not finite
    JsonWriter& null();
    template <typename T> JsonWriter& value(const std::optional<T>& v) {
        return v ? value(*v) : null();
    }
    // Shorthand for key(k).value(v).
    template <typename T> JsonWriter& field(std::string_view k, const T& v) {
        key(k);
        return value(v);
    }
    // The document, with a trailing newline.
    std::string str() const { return m_out + "\n"; }

private:
    void before_value();
    JsonWriter& close(char bracket);
    void newline();
    std::string m_out;
    std::vector<bool> m_first; // per open container: no element written yet
    bool m_after_key = false;
};

// `s` as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

} // namespace netinv::report
