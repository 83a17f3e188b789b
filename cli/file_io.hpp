// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <expected>
#include <filesystem>
#include <string>

namespace netinv::cli {

// The whole of a file netinv reads (configuration, plan, site table, secrets, rules): a
// regular file only (never a FIFO, a device or a directory: opening does not block and
// nothing is read from those), at most `max_bytes`. The error says why, without the path
// (callers name the file and its role).
std::expected<std::string, std::string> read_bounded_file(const std::string& path,
                                                          std::size_t max_bytes);

// The first line of a secrets file (a community, a passphrase), as inventory.toml's *_file
// keys and the --community-file options read it: readable by its owner only (mode 0600 or
// stricter), regular, at most 64 KiB. The error is a sentence naming the file.
std::expected<std::string, std::string> read_secret_file(const std::string& path);

// Writes `text` to `path` through a temporary file and a rename, so a reader (or a run killed
// halfway) never sees half a file: mkstemp in the file's own folder (O_EXCL, so a symbolic link
// planted there is never followed), fsync, rename over `path` (which replaces a link, never
// writes through it). Throws netinv::Error naming the file.
void write_atomically(const std::filesystem::path& path, const std::string& text);

} // namespace netinv::cli
