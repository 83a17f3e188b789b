// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one place where text becomes safe for each output format. Device text is untrusted: an
// agent may send control bytes, bidi overrides, markup or spreadsheet formulas. Terminal text
// goes through model::sanitize_terminal (report::Table does it for every cell), JSON through
// report::JsonWriter (json_quote), and the rest through these.

#include <string>
#include <string_view>

namespace netinv::report {

// A CSV cell: control and invisible characters replaced, line breaks and tabs a space, quoted
// when needed, and a formula (= + - @ at the start, or after a ';') neutralised with a quote
// mark so spreadsheets do not run device text.
std::string csv_cell(std::string_view s);

// A Markdown table cell: control characters stripped, Markdown syntax and '|' escaped.
std::string md_cell(std::string_view s);

// HTML text and attribute values: & < > " ' as entities, control characters stripped.
std::string html_escape(std::string_view s);

} // namespace netinv::report
