// SPDX-License-Identifier: Apache-2.0
#include "report/escape.hpp"

#include "model/text.hpp"
#include "report/html.hpp"

namespace netinv::report {

std::string csv_cell(std::string_view s) {
    // Device text is untrusted: control bytes (ESC, BEL, NUL, C1, DEL) and invisible
    // formatting characters become '?', line breaks and tabs a space.
    std::string v;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        v += c == '\r' || c == '\n' || c == '\t' ? ' ' : c;
    }
    v = model::sanitize_terminal(v);
    // A spreadsheet takes a cell that starts with = + - @ as a formula; one that uses ';' as
    // its separator also splits the cell there, so "x;=cmd|..." hides a formula too.
    const auto formula = [](char c) {
        return c == '=' || c == '+' || c == '-' || c == '@';
    };
    bool neutralise = !v.empty() && formula(v[0]);
    for (std::size_t i = v.find(';'); i != std::string::npos; i = v.find(';', i + 1)) {
        std::size_t j = i + 1;
        while (j < v.size() && v[j] == ' ') {
            ++j;
        }
        neutralise = neutralise || (j < v.size() && formula(v[j]));
    }
    if (neutralise) {
        v.insert(v.begin(), '\'');
    }
    if (v.find_first_of(",;\"") == std::string::npos) {
        return v;
    }
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

std::string md_cell(std::string_view s) {
    std::string out;
    for (char ch : model::sanitize_terminal(s)) {
        if (ch == '|' || ch == '\\' || ch == '*' || ch == '_' || ch == '`' || ch == '<' ||
            ch == '>' || ch == '[' || ch == ']') {
            out += '\\';
        }
        out += ch;
    }
    return out;
}

std::string html_escape(std::string_view s) {
    return html::escape(s);
}

} // namespace netinv::report
