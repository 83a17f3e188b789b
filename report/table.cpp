// SPDX-License-Identifier: Apache-2.0
#include "report/table.hpp"

#include <algorithm>

#include "model/text.hpp"

namespace netinv::report {

namespace {

const char* sgr(Tone t) {
    switch (t) {
    case Tone::good:
        return "\x1b[32m";
    case Tone::warn:
        return "\x1b[33m";
    case Tone::bad:
        return "\x1b[1;31m";
    case Tone::plain:
        break;
    }
    return "";
}

} // namespace

std::string Table::render(const std::string& indent, bool color) const {
    std::vector<std::vector<std::string>> cells;
    cells.push_back(m_headers);
    for (const auto& r : m_rows) {
        std::vector<std::string> clean;
        for (const auto& c : r) {
            clean.push_back(model::to_nfc(model::sanitize_terminal(c)));
        }
        cells.push_back(std::move(clean));
    }
    std::vector<std::size_t> width(m_headers.size(), 0);
    for (const auto& r : cells) {
        for (std::size_t i = 0; i < r.size() && i < width.size(); ++i) {
            width[i] = std::max(width[i], model::display_width(r[i]));
        }
    }
    std::string out;
    for (std::size_t row = 0; row < cells.size(); ++row) {
        const auto& r = cells[row];
        std::string line = indent;
        for (std::size_t i = 0; i < width.size(); ++i) {
            const std::string& c = i < r.size() ? r[i] : std::string();
            // Row 0 is the header; m_tones[row - 1] belongs to m_rows[row - 1].
            const Tone tone =
                color && row > 0 && i < m_tones[row - 1].size() ? m_tones[row - 1][i] : Tone::plain;
            line += tone == Tone::plain || c.empty() ? c : sgr(tone) + c + "\x1b[0m";
            if (i + 1 < width.size()) {
                line.append(width[i] - model::display_width(c) + 2, ' ');
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line;
        out += '\n';
    }
    return out;
}

} // namespace netinv::report
