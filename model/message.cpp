// SPDX-License-Identifier: Apache-2.0
#include "model/message.hpp"

#include <fmt/args.h>

namespace netinv::model {

std::string english(const Message& m) {
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    for (const auto& a : m.args) {
        store.push_back(a);
    }
    std::string out;
    try {
        out = fmt::vformat(m.id, store);
    } catch (const fmt::format_error&) {
        out = m.id; // a malformed id is a bug, never a crash: show it as it is
    }
    for (const auto& x : m.more) {
        out += "; " + english(x);
    }
    return out;
}

std::string Message::text() const {
    return english(*this);
}

} // namespace netinv::model
