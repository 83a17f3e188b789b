// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace netinv::report {

// A terminal table: columns aligned by display width (Vietnamese text included), every cell
// stripped of control characters, two spaces between columns, no trailing blanks.
class Table {
public:
    explicit Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}
    void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }
    bool empty() const { return m_rows.empty(); }
    // The rendered table, each line (header first) prefixed by `indent`.
    std::string render(const std::string& indent = "") const;

private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<std::string>> m_rows;
};

} // namespace netinv::report
