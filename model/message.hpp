// SPDX-License-Identifier: Apache-2.0
#pragma once

// A sentence for a person, as data. The model says what it found with a message id and the
// values that go in it; report/ translates the id (gettext) and fills the values in. The id is
// the English text with a {} for each value, as gettext's msgid convention has it, so the
// English report needs no catalog and xgettext finds every id (keyword `msg`).

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace netinv::model {

// Marks a literal for the catalog where it is stored, to be translated where it is shown.
constexpr const char* N_(const char* s) {
    return s;
}

struct Message {
    const char* id = "";           // a string literal: "{} of {} active interfaces lack IPv6"
    std::vector<std::string> args; // one per {}, already text (numbers in C notation)
    std::vector<Message> more;     // further sentences, shown after it, "; " between
    bool empty() const { return *id == '\0'; }
    std::string text() const; // in English, its values in (english())
    bool operator==(const Message& o) const {
        return std::string_view(id) == o.id && args == o.args && more == o.more;
    }
};

namespace detail {
template <typename T> std::string message_arg(const T& v) {
    if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        return std::string(std::string_view(v));
    } else {
        return fmt::to_string(v);
    }
}
} // namespace detail

// msg("{} of {} interfaces", 3, 8): the message, its values turned into text.
template <typename... A> Message msg(const char* id, const A&... args) {
    return Message{id, {detail::message_arg(args)...}, {}};
}

// The message in English with its values in: for logs, tests and the JSON `text` fields' English.
std::string english(const Message& m);

} // namespace netinv::model
