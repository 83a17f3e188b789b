// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <expected>
#include <string>

namespace netinv::cli {

// The whole of a file netinv reads (configuration, plan, site table, secrets, rules): a
// regular file only (never a FIFO, a device or a directory: opening does not block and
// nothing is read from those), at most `max_bytes`. The error says why, without the path
// (callers name the file and its role).
std::expected<std::string, std::string> read_bounded_file(const std::string& path,
                                                          std::size_t max_bytes);

// The first line of a secrets file (a community, a passphrase): regular, at most 64 KiB, and
// readable by its owner only (mode 0600 or stricter), as for inventory.toml's *_file keys.
std::expected<std::string, std::string> read_secret_file(const std::string& path);

} // namespace netinv::cli
