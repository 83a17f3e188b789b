// SPDX-License-Identifier: Apache-2.0
#include "report/table.hpp"

#include <algorithm>

#include "model/text.hpp"

namespace netinv::report {

std::string Table::render(const std::string& indent) const {
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
    for (const auto& r : cells) {
        std::string line = indent;
        for (std::size_t i = 0; i < width.size(); ++i) {
            const std::string& c = i < r.size() ? r[i] : std::string();
            line += c;
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
