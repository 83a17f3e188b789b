// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

namespace netinv::store {

// The write lock of a database: DB.lock beside it, held with flock(2) for as long as this
// object lives, so two runs never write one database at once. The kernel drops the lock when
// its holder dies, even by kill -9; the file's text (who holds it) then stays behind, which is
// how the next run knows the last one did not finish and says so. Releasing empties the file;
// it is never deleted (deleting a lock file others may have opened would let two runs in).
class WriteLock {
public:
    struct Busy {
        std::string holder; // "pid 1234 (audit, since 2026-11-27T01:00:00Z)", or "" if unknown
    };
    // Takes the lock for `command` or says who holds it. Throws netinv::Error when the lock
    // file cannot be created or locked for another reason (the message names the file).
    // `stale` receives the previous holder when it ended without releasing the lock.
    static std::optional<WriteLock> acquire(const std::string& db_path, const std::string& command,
                                            const std::string& now, Busy& busy,
                                            std::optional<std::string>& stale);
    WriteLock(WriteLock&& other) noexcept;
    WriteLock& operator=(WriteLock&&) = delete;
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;
    ~WriteLock();

    // True when another process holds the lock of `db_path` right now (for `db check`).
    static bool held_by_other(const std::string& db_path);

private:
    explicit WriteLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace netinv::store
