// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace netinv::report {

// What a cell says about the network, for colour on a terminal: good (green), warn (yellow),
// bad (red). Plain cells and every cell without colour print as they are.
enum class Tone : std::uint8_t { plain, good, warn, bad };

// A terminal table: columns aligned by display width (Vietnamese text included), every cell
// stripped of control characters, two spaces between columns, no trailing blanks.
class Table {
public:
    explicit Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}
    void add(std::vector<std::string> row) { add(std::move(row), {}); }
    // A row whose cells have tones (one per cell, missing ones plain).
    void add(std::vector<std::string> row, std::vector<Tone> tones) {
        m_rows.push_back(std::move(row));
        m_tones.push_back(std::move(tones));
    }
    bool empty() const { return m_rows.empty(); }
    // The rendered table, each line (header first) prefixed by `indent`; with `color`, toned
    // cells are wrapped in SGR colour codes (the alignment counts only their text).
    std::string render(const std::string& indent = "", bool color = false) const;

private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<std::string>> m_rows;
    std::vector<std::vector<Tone>> m_tones;
};

} // namespace netinv::report
