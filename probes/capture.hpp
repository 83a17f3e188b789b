// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "probes/varbind.hpp"

namespace netinv::probes {

// A walk captured on site, as a technician brings it back: the text output of `snmpwalk -On`
// or `snmpbulkwalk -On` (with or without MIBs loaded, -Oe, -Ox, -Ot, -OU), or an snmprec
// file. The varbinds in increasing OID order, or the first problem as "LINE: reason": a file
// of another format, OIDs by name (no -On), a line that is not a varbind, OIDs out of order
// or repeated, a last line without its end (a copy cut short). Nothing of a bad capture is
// kept. Values longer than netinv reads are cut as a poll cuts them.
std::expected<std::vector<VarBind>, std::string> parse_capture(std::string_view text);

} // namespace netinv::probes
