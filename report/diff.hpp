// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/diff.hpp"
#include "report/device.hpp"

namespace netinv::report {

struct DiffContext {
    std::int64_t older_id = 0;
    std::string older_started_at;
    std::int64_t newer_id = 0;
    std::string newer_started_at;
    // For people, in the province's time zone (empty: the UTC times above).
    std::string older_shown = {};
    std::string newer_shown = {};
    Lang lang = Lang::en; // of the words (impacts, kinds, titles); JSON and CSV keep the codes
    bool color = false;   // colour in the terminal table
    const std::string& older_when() const {
        return older_shown.empty() ? older_started_at : older_shown;
    }
    const std::string& newer_when() const {
        return newer_shown.empty() ? newer_started_at : newer_shown;
    }
};

// `netinv diff` in table, json (schema in netinv(1)), csv and markdown: one line per change,
// regressions first. Device text is escaped for the format.
std::string render_diff(const std::vector<model::Change>& changes, const DiffContext& ctx,
                        Format format);

// What a change is, for people: the kind's words in `lang` (the code stays in JSON and CSV).
const char* change_kind_text(model::ChangeKind k, Lang lang);
// "before -> after" ("-" for a side that is empty), or "" when both are.
std::string before_after(const model::Change& c);

// "3 regressions, 5 changes, 1 improvement" (or "no changes").
std::string diff_counts(const std::vector<model::Change>& changes, Lang lang = Lang::en);

} // namespace netinv::report
