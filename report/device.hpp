// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
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

// Which scan a listing comes from, for the table's footer and the JSON envelope.
struct ScanContext {
    std::int64_t scan_id = 0;
    std::string started_at;
    std::vector<model::TargetOutcome> failures; // targets of that scan that did not answer
    Lang lang = Lang::en;                       // of the table's words (not of JSON or CSV)
};

// `netinv devices`: one row per device. JSON: {"scan": {...}, "devices": [...], "failed": [...]};
// CSV: one header line then a row per device.
std::string render_devices(const std::vector<model::Device>& devices, const ScanContext& scan,
                           Format format);

// `netinv show` and `netinv probe`: one device in full (table or JSON; see netinv(1) for the
// JSON schema), with the name of the credential that answered when known.
std::string render_device(const model::Device& device, Format format,
                          const std::optional<std::string>& credential = std::nullopt,
                          Lang lang = Lang::en);

// Writes the JSON object of one device (the schema documented in netinv(1)).
// `credential`, when given, adds the name of the credential that answered; `document` makes it
// a document of its own, with "schema_version" (show, probe).
void write_device_json(JsonWriter& w, const model::Device& device,
                       const std::optional<std::string>& credential = std::nullopt,
                       bool document = false);

// `netinv devices --by kind|KIND`: one row per group with sites, targets, answered, failed.
std::string render_summary(const std::vector<model::SummaryRow>& rows, const std::string& by,
                           const ScanContext& scan, Format format);

// "1G", "100M", "1.5M", "64k", "0" for a speed in bit/s.
std::string human_speed(std::uint64_t bps);
// "12d 03:04:05" for an uptime in hundredths of a second.
std::string human_uptime(std::uint64_t centiseconds);

} // namespace netinv::report
