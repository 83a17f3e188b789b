// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/device.hpp"
#include "model/summary.hpp"
#include "report/i18n.hpp"
#include "report/json.hpp"

namespace netinv::report {

enum class Format : std::uint8_t { table, json, csv, toml, markdown, html };
std::optional<Format> format_from_string(std::string_view s);
std::string_view to_string(Format f);

// Where a stored device came from: the credential that answered its poll, or the capture
// imported for it (netinv import).
struct Provenance {
    std::optional<std::string> credential;
    std::string capture_file;        // empty: a poll
    std::string captured_at;         // ISO 8601 UTC
    std::string captured_shown = {}; // the same in the province's time, for people
    std::string poller = {};         // whose scan saw it; "" for the one poller of a database
    static Provenance of(const model::TargetOutcome& o);
};

// Which scan a listing comes from, for the table's footer and the JSON envelope.
struct ScanContext {
    std::int64_t scan_id = 0;
    std::string started_at;
    std::vector<model::TargetOutcome> failures; // targets of that scan that did not answer
    Lang lang = Lang::en;                       // of the table's words (not of JSON or CSV)
    // The targets of that scan read from a capture (netinv import), by name.
    std::map<std::string, Provenance> captures = {};
};

// "Read from a capture, not polled: cap (captured 2026-12-03 17:48 +07)." for the reports of
// a scan some of whose targets came from a capture (netinv import); "" when none did.
std::string captures_sentence(const std::map<std::string, Provenance>& captures, Lang lang);
// The same sentence as the last lines of a table or Markdown report ("" in other formats and
// when no target came from a capture): JSON and HTML say it at the top, CSV in no row.
std::string captures_footer(const std::map<std::string, Provenance>& captures, Lang lang,
                            Format format);
// "captures": [{"target", "file", "captured_at"}], the same in JSON.
void write_captures_json(JsonWriter& w, const std::map<std::string, Provenance>& captures);

// `netinv devices`: one row per device. JSON: {"scan": {...}, "devices": [...], "failed": [...]};
// CSV: one header line then a row per device.
std::string render_devices(const std::vector<model::Device>& devices, const ScanContext& scan,
                           Format format);

// `netinv show` and `netinv probe`: one device in full (table or JSON; see netinv(1) for the
// JSON schema), with where it came from when known.
std::string render_device(const model::Device& device, Format format, const Provenance& from = {},
                          Lang lang = Lang::en);

// Writes the JSON object of one device (the schema documented in netinv(1)). `from` adds the
// name of the credential that answered, or the capture ("capture": {"file", "captured_at"});
// `document` makes it a document of its own, with "schema_version" (show, probe).
void write_device_json(JsonWriter& w, const model::Device& device, const Provenance& from = {},
                       bool document = false);

// `netinv devices --by kind|KIND`: one row per group with sites, targets, answered, failed.
std::string render_summary(const std::vector<model::SummaryRow>& rows, const std::string& by,
                           const ScanContext& scan, Format format);

// "1G", "100M", "1.5M", "64k", "0" for a speed in bit/s.
std::string human_speed(std::uint64_t bps);
// "12d 03:04:05" for an uptime in hundredths of a second.
std::string human_uptime(std::uint64_t centiseconds);

} // namespace netinv::report
