// SPDX-License-Identifier: Apache-2.0
#include "cli/file_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "model/error.hpp"

namespace netinv::cli {

std::expected<std::string, std::string> read_bounded_file(const std::string& path,
                                                          std::size_t max_bytes) {
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        return std::unexpected(std::string(std::strerror(errno)));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return std::unexpected(std::string(std::strerror(err)));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return std::unexpected(S_ISDIR(st.st_mode) ? std::string(std::strerror(EISDIR))
                                                   : std::string("not a regular file"));
    }
    const auto too_big = [&] {
        return fmt::format("larger than the {} KiB netinv reads of such a file", max_bytes >> 10);
    };
    if (static_cast<std::size_t>(st.st_size) > max_bytes) {
        ::close(fd);
        return std::unexpected(too_big());
    }
    std::string out;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return std::unexpected(std::string(std::strerror(err)));
        }
        if (n == 0) {
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > max_bytes) { // it grew while being read
            ::close(fd);
            return std::unexpected(too_big());
        }
    }
    ::close(fd);
    return out;
}

std::expected<std::string, std::string> read_secret_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return std::unexpected(
            fmt::format("cannot read secrets file '{}': {}", path, std::strerror(errno)));
    }
    if ((st.st_mode & 077) != 0) {
        return std::unexpected(fmt::format("secrets file '{}' is readable by group or others "
                                           "(mode {:04o}); run 'chmod 600 {}'",
                                           path, st.st_mode & 07777, path));
    }
    const auto text = read_bounded_file(path, std::size_t{64} << 10);
    if (!text) {
        return std::unexpected(
            fmt::format("cannot read secrets file '{}': {}", path, text.error()));
    }
    std::string line = text->substr(0, text->find('\n'));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
        line.pop_back();
    }
    if (line.empty()) {
        return std::unexpected(fmt::format("secrets file '{}' is empty", path));
    }
    return line;
}

void write_atomically(const std::filesystem::path& path, const std::string& text) {
    std::string tmpl = path.string() + ".XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) {
        throw Error(fmt::format("{}: cannot create a temporary file beside it: {}", path.string(),
                                std::strerror(errno)));
    }
    const mode_t mask = ::umask(0);
    ::umask(mask);
    bool ok = ::fchmod(fd, 0666 & ~mask) == 0;
    for (std::size_t done = 0; ok && done < text.size();) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        done += ok ? static_cast<std::size_t>(n) : 0;
    }
    const int err = errno;
    ok = ok && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok) {
        ::unlink(tmpl.c_str());
        throw Error(fmt::format("{}: cannot write it: {}", tmpl, std::strerror(err)));
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int rerr = errno;
        ::unlink(tmpl.c_str());
        throw Error(fmt::format("{}: cannot write it: {}", path.string(), std::strerror(rerr)));
    }
}

} // namespace netinv::cli
