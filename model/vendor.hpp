// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace netinv::model {

// The private enterprise number of a sysObjectID ("1.3.6.1.4.1.<N>..."), or nullopt when the OID
// is not under enterprises.
std::optional<std::uint32_t> enterprise_number(std::string_view sys_object_id);

// Vendor name for an IANA private enterprise number, or nullopt when it is not in the table.
std::optional<std::string_view> vendor_for_enterprise(std::uint32_t number);

} // namespace netinv::model
