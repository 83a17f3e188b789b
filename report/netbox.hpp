// SPDX-License-Identifier: Apache-2.0
#pragma once

// `netinv export netbox`: the CSV files NetBox's bulk import takes (Organization > Regions,
// Sites; Devices > Manufacturers, Device Types, Device Roles, Devices, Interfaces; IPAM > IP
// Addresses), in the order they must be imported. The mapping is netinv(1)'s EXPORT section.

#include <string>
#include <vector>

#include "model/config.hpp"
#include "model/device.hpp"

namespace netinv::report {

struct ExportFile {
    std::string name; // e.g. "01-regions.csv": the number is the import order
    std::string csv;  // with a header row, CRLF line ends (RFC 4180)
    std::size_t rows = 0;
};

// Sites that hold other sites become regions (the tree as NetBox's region hierarchy); sites
// that hold targets become NetBox sites, in their own region when they are one, else in their
// parent's. Devices are the scan's; a device without a vendor or model gets the manufacturer
// and device type "Unknown" (NetBox requires both).
std::vector<ExportFile> render_netbox(const model::Config& config,
                                      const std::vector<model::Device>& devices);

} // namespace netinv::report
