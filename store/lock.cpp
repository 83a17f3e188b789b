// SPDX-License-Identifier: Apache-2.0
#include "store/lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "model/error.hpp"

namespace netinv::store {

namespace {

std::string read_all(int fd) {
    std::string out;
    char buf[512];
    ::lseek(fd, 0, SEEK_SET);
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0 || out.size() > 4096) {
            break;
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
        out.pop_back();
    }
    return out;
}

} // namespace

std::optional<WriteLock> WriteLock::acquire(const std::string& db_path, const std::string& command,
                                            const std::string& now, Busy& busy,
                                            std::optional<std::string>& stale) {
    const std::string path = db_path + ".lock";
    // Never through a symbolic link, never onto anything but a regular file of our own
    // making: run as root from cron, a link planted at DB.lock would otherwise have netinv
    // truncate whatever it points to.
    const int fd =
        ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0) {
        const int err = errno;
        if (err == ELOOP) {
            throw Error(fmt::format("{}: is a symbolic link; refusing to use it as the lock "
                                    "file (remove it if it is not yours)",
                                    path));
        }
        throw Error(fmt::format("{}: cannot create the lock file: {}", path, std::strerror(err)));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
        ::close(fd);
        throw Error(fmt::format("{}: not a regular file of its own (a device, a FIFO or a hard "
                                "link); refusing to use it as the lock file",
                                path));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        busy.holder = read_all(fd);
        ::close(fd);
        if (err == EWOULDBLOCK) {
            return std::nullopt;
        }
        throw Error(fmt::format("{}: cannot lock: {}", path, std::strerror(err)));
    }
    const std::string previous = read_all(fd);
    if (!previous.empty()) {
        stale = previous;
    }
    const std::string me = fmt::format("pid {} ({}, since {})\n", ::getpid(), command, now);
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) < 0) {
        const int err = errno;
        ::close(fd);
        throw Error(fmt::format("{}: cannot write: {}", path, std::strerror(err)));
    }
    return WriteLock(fd);
}

WriteLock::WriteLock(WriteLock&& other) noexcept : m_fd(other.m_fd) {
    other.m_fd = -1;
}

WriteLock::~WriteLock() {
    if (m_fd >= 0) {
        (void)::ftruncate(m_fd, 0); // a clean release leaves no holder behind
        ::close(m_fd);              // and drops the flock
    }
}

bool WriteLock::held_by_other(const std::string& db_path) {
    const std::string path = db_path + ".lock";
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return false;
    }
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return held;
}

} // namespace netinv::store
