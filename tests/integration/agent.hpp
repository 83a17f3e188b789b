// SPDX-License-Identifier: Apache-2.0
#pragma once

// Test helpers that start real processes: a net-snmp snmpd on loopback (127.0.0.1 and ::1, one
// free port) with its own configuration, and the netinv executable. Every process started here
// is stopped by its PID in a destructor, so a failing test leaves nothing running.

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "../unit/helpers.hpp"

namespace netinv::test {

// A UDP port free on both 127.0.0.1 and ::1 at the time of the call.
std::uint16_t free_udp_port();

struct SnmpdOptions {
    std::string community = "c0mm-Q7x";
    std::string v1_community = "v1-Zk9p";
    std::string user = "netinv"; // SHA-256 + AES
    std::string auth = "authpass123";
    std::string priv = "privpass123";
    std::string user512 = "netinv512";  // SHA-512 + AES-256
    std::string user_anp = "netinvanp"; // SHA, authNoPriv
    std::string sys_name = "netinv-test-agent";
    std::string sys_location = "Tầng 3, Sở Thông tin và Truyền thông";
    std::string sys_contact = "noc@haiduong.test";
};

class Snmpd {
public:
    explicit Snmpd(SnmpdOptions options = {});
    ~Snmpd();
    Snmpd(const Snmpd&) = delete;
    Snmpd& operator=(const Snmpd&) = delete;

    std::uint16_t port() const { return m_port; }
    const SnmpdOptions& options() const { return m_options; }
    // Stops the agent answering (SIGSTOP: its socket stays bound, requests go unanswered, as
    // a device that died would leave them) and lets it go on (SIGCONT).
    void pause() const;
    void resume() const;

private:
    SnmpdOptions m_options;
    TempDir m_dir;
    std::uint16_t m_port = 0;
    pid_t m_pid = -1;
};

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs the netinv executable with `args` and extra environment variables; waits at most
// `timeout_s` seconds, then kills it and fails.
RunResult run_netinv(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {}, int timeout_s = 60);

// Runs another program (absolute path or found in PATH) the same way, e.g. net-snmp's own
// snmpbulkwalk, for what a technician's laptop would do.
RunResult run_program(const std::vector<std::string>& argv, int timeout_s = 60);

} // namespace netinv::test
