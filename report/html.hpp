// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/gaps.hpp"

// The one place HTML reports are laid out: a page for a phone as much as for a desktop and a
// mail client. Everything is styled inline (mail clients drop <style>), a viewport is set,
// nothing has a fixed width, long words wrap, and charts are table cells with widths in percent
// and their numbers written beside them (mail clients often block SVG and images). Renderers
// give facts and sentences; this module gives them a shape and escapes every text it is given.
namespace netinv::report::html {

// `s` escaped for HTML text and attribute values (control characters dropped).
std::string escape(std::string_view s);

// A number as the report's language writes it: 1,234.50 in English, 1.234,50 in Vietnamese.
std::string number(double v, int decimals, Lang lang);
// A share of 0-100 as a percentage, no decimals below 10 away from 0 and 100 ("79%", "99.5%").
std::string percent(double share, Lang lang);

class Page {
public:
    Page(Lang lang, std::string_view title);

    // A line under the title (which scan, when, which plan).
    void subtitle(std::string_view text);
    void heading(std::string_view text);
    void paragraph(std::string_view text); // nothing when `text` is empty

    // The few figures a reader needs first, each a value and what it counts.
    struct Figure {
        std::string value;
        std::string label;
        bool good = true; // green when good, red when not
    };
    void headline(const std::vector<Figure>& figures);

    // One block per item (an objective, a check): a title, lines of "label: value", and an
    // optional list of what falls short. Reads the same at 400 px as at 1400 px.
    struct Card {
        std::string title;
        std::string status; // a short word after the title ("met", "not met")
        bool good = true;
        std::vector<std::pair<std::string, std::string>> facts;
        std::string list_label; // said before the list; none when empty
        std::vector<std::string> list;
        bool inline_list = false; // names separated by commas (device names), not bullets
    };
    void card(const Card& c);

    // A table of text cells; `numeric` columns are right-aligned.
    void table(const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows,
               const std::vector<bool>& numeric = {});

    // A bar chart as table cells: per row a label, its numbers, and a bar of segments whose
    // widths are their shares of `total`.
    struct Segment {
        double value = 0;
        std::string color;
    };
    struct Bar {
        std::string label;
        std::string numbers; // written above the bar, never cut by it
        std::vector<Segment> segments;
        double total = 0;
    };
    void bars(const std::vector<Bar>& rows);
    // What each colour of a chart means.
    void legend(const std::vector<std::pair<std::string, std::string>>& items);

    std::string finish();

private:
    std::string m_out;
};

} // namespace netinv::report::html
