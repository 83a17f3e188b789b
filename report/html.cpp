// SPDX-License-Identifier: Apache-2.0
#include "report/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "model/text.hpp"

namespace netinv::report::html {

namespace {

constexpr const char* k_good = "#1e7b34";
constexpr const char* k_bad = "#b3261e";
// Cells wrap anywhere rather than widen the page: device names and OIDs are long words.
constexpr const char* k_cell = "padding:3px 5px;border-bottom:1px solid #ddd;vertical-align:top;"
                               "text-align:left;overflow-wrap:anywhere;word-break:break-word";
// A table of more columns than a phone's width holds scrolls inside its own block; the page
// itself never scrolls sideways.
constexpr std::size_t k_columns_for_a_phone = 6;

} // namespace

std::string escape(std::string_view s) {
    std::string out;
    for (char ch : model::sanitize_terminal(s)) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

std::string number(double v, int decimals, Lang lang) {
    const std::string plain = fmt::format("{:.{}f}", std::abs(v), decimals);
    const auto dot = plain.find('.');
    const std::string whole = plain.substr(0, dot);
    const char group = lang == Lang::vi ? '.' : ',';
    const char point = lang == Lang::vi ? ',' : '.';
    std::string out;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) {
            out += group;
        }
        out += whole[i];
    }
    if (dot != std::string::npos) {
        out += point;
        out += plain.substr(dot + 1);
    }
    return (v < 0 && std::stod(plain) != 0 ? "-" : "") + out;
}

std::string percent(double share, Lang lang) {
    const bool whole = std::abs(share - std::round(share)) < 0.05 || (share >= 10 && share <= 90);
    return number(share, whole ? 0 : 1, lang) + "%";
}

Page::Page(Lang lang, std::string_view title) {
    m_out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        "<title>{}</title></head>\n"
        "<body style=\"margin:0;padding:0;background:#f4f4f4\">\n"
        "<div style=\"max-width:960px;margin:0 auto;padding:12px;background:#fff;color:#222;"
        "font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.45\">\n"
        "<h1 style=\"font-size:22px;margin:4px 0 4px\">{}</h1>\n",
        lang == Lang::vi ? "vi" : "en", escape(title), escape(title));
}

void Page::subtitle(std::string_view text) {
    m_out += fmt::format("<p style=\"margin:0 0 12px;color:#555\">{}</p>\n", escape(text));
}

void Page::heading(std::string_view text) {
    m_out += fmt::format("<h2 style=\"font-size:18px;margin:20px 0 8px\">{}</h2>\n", escape(text));
}

void Page::paragraph(std::string_view text) {
    if (text.empty()) {
        return; // a sentence that has nothing to say (no capture, say) is no paragraph
    }
    m_out += fmt::format("<p style=\"margin:6px 0\">{}</p>\n", escape(text));
}

void Page::headline(const std::vector<Figure>& figures) {
    // Inline blocks wrap: three in a row on a desktop, one under the other on a phone.
    m_out += "<div style=\"margin:8px 0 4px\">\n";
    for (const auto& f : figures) {
        m_out += fmt::format(
            "<div style=\"display:inline-block;vertical-align:top;min-width:180px;max-width:100%;"
            "box-sizing:border-box;margin:0 8px 8px 0;padding:8px 12px;border-left:4px solid {};"
            "background:#f7f7f7\"><div style=\"font-size:24px;font-weight:bold;color:{}\">{}</div>"
            "<div style=\"color:#444\">{}</div></div>\n",
            f.good ? k_good : k_bad, f.good ? k_good : k_bad, escape(f.value), escape(f.label));
    }
    m_out += "</div>\n";
}

void Page::card(const Card& c) {
    m_out += fmt::format(
        "<div style=\"border:1px solid #ddd;border-left:4px solid {};padding:8px 12px;"
        "margin:0 0 10px;overflow-wrap:anywhere\">\n<div style=\"font-weight:bold\">{} "
        "<span style=\"color:{}\">{}</span></div>\n",
        c.good ? k_good : k_bad, escape(c.title), c.good ? k_good : k_bad, escape(c.status));
    if (!c.facts.empty()) {
        m_out += "<div style=\"color:#333\">";
        for (std::size_t i = 0; i < c.facts.size(); ++i) {
            // Each fact stays whole; they wrap between facts.
            m_out += fmt::format("{}<span style=\"display:inline-block;margin-right:14px\">"
                                 "{}: <b>{}</b></span>",
                                 i ? " " : "", escape(c.facts[i].first), escape(c.facts[i].second));
        }
        m_out += "</div>\n";
    }
    if (!c.list.empty() && c.inline_list) {
        std::string names;
        for (const auto& item : c.list) {
            names += (names.empty() ? "" : ", ") + escape(item);
        }
        m_out += fmt::format("<div style=\"margin-top:4px\">{}{}</div>\n",
                             c.list_label.empty() ? "" : escape(c.list_label) + ": ", names);
    } else if (!c.list.empty()) {
        if (!c.list_label.empty()) {
            m_out += fmt::format("<div style=\"margin-top:4px\">{}:</div>", escape(c.list_label));
        }
        m_out += "<ul style=\"margin:2px 0 0 18px;padding:0\">";
        for (const auto& item : c.list) {
            m_out += fmt::format("<li>{}</li>", escape(item));
        }
        m_out += "</ul>\n";
    }
    m_out += "</div>\n";
}

void Page::table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows,
                 const std::vector<bool>& numeric) {
    const bool wide = header.size() > k_columns_for_a_phone;
    // Numbers stay whole; in a block that scrolls they need not wrap to fit.
    const auto align = [&](std::size_t i) {
        return i < numeric.size() && numeric[i]
                   ? (wide ? ";text-align:right;white-space:nowrap" : ";text-align:right")
                   : "";
    };
    if (wide) {
        m_out += "<div style=\"overflow-x:auto;max-width:100%\">";
    }
    m_out += "<table role=\"table\" style=\"width:100%;border-collapse:collapse;margin:4px 0 "
             "12px;font-size:13px\">\n<tr>";
    for (std::size_t i = 0; i < header.size(); ++i) {
        m_out += fmt::format("<th style=\"{};background:#eee{}\">{}</th>", k_cell, align(i),
                             escape(header[i]));
    }
    m_out += "</tr>\n";
    for (const auto& row : rows) {
        m_out += "<tr>";
        for (std::size_t i = 0; i < row.size(); ++i) {
            m_out += fmt::format("<td style=\"{}{}\">{}</td>", k_cell, align(i), escape(row[i]));
        }
        m_out += "</tr>\n";
    }
    m_out += "</table>\n";
    if (wide) {
        m_out += "</div>\n";
    }
}

void Page::bars(const std::vector<Bar>& rows) {
    m_out += "<div style=\"margin:4px 0 8px\">\n";
    for (const auto& b : rows) {
        m_out += fmt::format("<div style=\"margin:0 0 6px\"><div style=\"overflow-wrap:anywhere\">"
                             "{} <span style=\"color:#444\">{}</span></div>\n",
                             escape(b.label), escape(b.numbers));
        m_out += "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
                 "style=\"width:100%;border-collapse:collapse;table-layout:fixed\"><tr>";
        double used = 0;
        for (const auto& s : b.segments) {
            if (s.value <= 0 || b.total <= 0) {
                continue;
            }
            const double w = 100.0 * s.value / b.total;
            used += w;
            m_out += fmt::format("<td width=\"{0:.1f}%\" bgcolor=\"{1}\" style=\"width:{0:.1f}%;"
                                 "background:{1};height:14px;font-size:1px;line-height:1px\">"
                                 "&nbsp;</td>",
                                 w, escape(s.color));
        }
        if (used < 99.95) {
            m_out +=
                fmt::format("<td width=\"{0:.1f}%\" bgcolor=\"#e8e8e8\" style=\"width:{0:.1f}%;"
                            "background:#e8e8e8;height:14px;font-size:1px;line-height:1px\">"
                            "&nbsp;</td>",
                            std::max(0.0, 100.0 - used));
        }
        m_out += "</tr></table></div>\n";
    }
    m_out += "</div>\n";
}

void Page::legend(const std::vector<std::pair<std::string, std::string>>& items) {
    m_out += "<div style=\"margin:0 0 12px;color:#333\">";
    for (const auto& [color, meaning] : items) {
        m_out += fmt::format("<div style=\"margin:2px 0\"><span style=\"display:inline-block;"
                             "width:12px;height:12px;background:{};margin-right:6px;"
                             "vertical-align:middle\"></span>{}</div>",
                             escape(color), escape(meaning));
    }
    m_out += "</div>\n";
}

std::string Page::finish() {
    m_out += "<p style=\"margin:16px 0 0;color:#777;font-size:12px\">netinv</p>\n</div>\n"
             "</body></html>\n";
    return std::move(m_out);
}

} // namespace netinv::report::html
