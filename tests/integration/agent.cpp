// SPDX-License-Identifier: Apache-2.0
#include "agent.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "probes/poller.hpp"

extern char** environ;

namespace netinv::test {

namespace {

// Binds a UDP socket of `family` to loopback:`port` (0 = any); returns the bound port or 0.
std::uint16_t bind_udp(int family, std::uint16_t port) {
    const int fd = ::socket(family, SOCK_DGRAM, 0);
    if (fd < 0) {
        return 0;
    }
    std::uint16_t bound = 0;
    if (family == AF_INET) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
            bound = ntohs(a.sin_port);
        }
    } else {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(port);
        a.sin6_addr = in6addr_loopback;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
            bound = port;
        }
    }
    ::close(fd);
    return bound;
}

// Waits up to `seconds` for `pid` to exit; returns its wait status, or -1 if it did not.
int wait_for(pid_t pid, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return status;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const std::string& out_path, const std::string& err_path) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : env) {
        envp.push_back(const_cast<char*>(e.c_str()));
    }
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    return pid;
}

std::vector<std::string> base_env() {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string s = *e;
        // Tests set their own NETINV_ variables, and their own locale when a test is about it
        // (the reports' language follows LC_ALL, LC_MESSAGES, LANG).
        if (!s.starts_with("NETINV_") && !s.starts_with("LC_ALL=") &&
            !s.starts_with("LC_MESSAGES=") && !s.starts_with("LANG=")) {
            env.push_back(s);
        }
    }
    return env;
}

} // namespace

std::uint16_t free_udp_port() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        const std::uint16_t p = bind_udp(AF_INET, 0);
        if (p != 0 && bind_udp(AF_INET6, p) == p) {
            return p;
        }
    }
    throw std::runtime_error("no free UDP port on 127.0.0.1 and ::1");
}

Snmpd::Snmpd(SnmpdOptions options) : m_options(std::move(options)) {
    const std::string conf = m_dir.file("snmpd.conf");
    std::ofstream(conf) << "rocommunity " << m_options.community << " 127.0.0.1\n"
                        << "rocommunity6 " << m_options.community << " ::1\n"
                        << "rocommunity " << m_options.v1_community << " 127.0.0.1\n"
                        << "createUser " << m_options.user << " SHA-256 \"" << m_options.auth
                        << "\" AES \"" << m_options.priv << "\"\n"
                        << "createUser " << m_options.user512 << " SHA-512 \"" << m_options.auth
                        << "\" AES-256 \"" << m_options.priv << "\"\n"
                        << "createUser " << m_options.user_anp << " SHA \"" << m_options.auth
                        << "\"\n"
                        << "rouser " << m_options.user_anp << " auth\n"
                        << "rouser " << m_options.user << " authpriv\n"
                        << "rouser " << m_options.user512 << " authpriv\n"
                        << "sysname " << m_options.sys_name << "\n"
                        << "syslocation " << m_options.sys_location << "\n"
                        << "syscontact " << m_options.sys_contact << "\n";
    for (int attempt = 0; attempt < 3 && m_pid < 0; ++attempt) {
        m_port = free_udp_port();
        auto env = base_env();
        env.push_back("MIBS=");
        env.push_back("SNMP_PERSISTENT_DIR=" + m_dir.file("persist"));
        const std::string port = std::to_string(m_port);
        const pid_t pid = spawn({"/usr/sbin/snmpd", "-f", "-Lf", m_dir.file("snmpd.log"), "-C",
                                 "-c", conf, "udp:127.0.0.1:" + port, "udp6:[::1]:" + port},
                                env, m_dir.file("stdout"), m_dir.file("stderr"));
        // Ready when it answers a GET; gone when the port was taken between our check and its bind.
        probes::PollSpec spec;
        spec.name = "readiness";
        spec.address = "127.0.0.1";
        spec.port = m_port;
        spec.credential.version = model::SnmpVersion::v2c;
        spec.credential.community = model::Secret(m_options.community);
        spec.timeout_ms = 100;
        spec.retries = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                break; // exited: try another port
            }
            if (probes::poll_device(spec).outcome.outcome == model::Outcome::ok) {
                m_pid = pid;
                break;
            }
        }
        if (m_pid < 0) {
            ::kill(pid, SIGKILL);
            wait_for(pid, 5);
        }
    }
    if (m_pid < 0) {
        throw std::runtime_error("snmpd did not start: " + read_file(m_dir.file("snmpd.log")));
    }
}

void Snmpd::pause() const {
    ::kill(m_pid, SIGSTOP);
}

void Snmpd::resume() const {
    ::kill(m_pid, SIGCONT);
}

Snmpd::~Snmpd() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        ::kill(m_pid, SIGCONT); // a paused agent takes its SIGTERM now
        if (wait_for(m_pid, 5) == -1) {
            ::kill(m_pid, SIGKILL);
            wait_for(m_pid, 5);
        }
    }
}

namespace {

RunResult run_with(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                   int timeout_s) {
    TempDir io;
    const pid_t pid = spawn(argv, env, io.file("out"), io.file("err"));
    const int status = wait_for(pid, timeout_s);
    if (status == -1) {
        ::kill(pid, SIGKILL);
        wait_for(pid, 5);
        throw std::runtime_error(argv[0] + " did not finish in time");
    }
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(io.file("out"));
    r.err = read_file(io.file("err"));
    return r;
}

} // namespace

RunResult run_netinv(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& extra_env, int timeout_s) {
    std::vector<std::string> argv = {NETINV_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    auto env = base_env();
    for (const auto& [k, v] : extra_env) {
        env.push_back(k + "=" + v);
    }
    return run_with(argv, env, timeout_s);
}

RunResult run_program(const std::vector<std::string>& argv, int timeout_s) {
    std::vector<std::string> full = argv;
    if (!full.empty() && full[0].find('/') == std::string::npos) {
        for (const char* dir : {"/usr/bin/", "/bin/", "/usr/sbin/"}) {
            if (::access((dir + full[0]).c_str(), X_OK) == 0) {
                full[0] = dir + full[0];
                break;
            }
        }
    }
    return run_with(full, base_env(), timeout_s);
}

} // namespace netinv::test
