// SPDX-License-Identifier: Apache-2.0
//
// The reference for bench/run.py's same-work LAN row: a minimal asynchronous walker that makes
// the requests netinv makes of a server (the system group's GET, then the same table walks,
// the same columns in each GETBULK, the same max-repetitions and growth, up to three requests
// in flight per host), with every host in flight at once, and nothing decoded or stored: the
// fastest a poller doing this work on this machine can be.
//
//     netinv_walker_bench HOSTS_FILE PORT COMMUNITY    (HOSTS_FILE: one IPv4 address a line)
//
// Prints {"hosts": N, "answered": N, "varbinds": N, "requests": N} on stdout. The columns come
// from netinv's own MIB lists (probes/mib), so the walker's work follows netinv's. net-snmp's
// traditional asynchronous API: 1 s timeout, 1 retry, as bench/run.py's configurations.
#include <sys/select.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <string>
#include <vector>

#include "probes/mib/mib.hpp"

namespace {

using netinv::probes::Oid;
namespace mib = netinv::probes::mib;

constexpr int k_max_varbinds = 100; // as the poller: what a net-snmp agent answers at most
constexpr int k_small_reps = 4;
constexpr int k_in_flight = 3;

struct Totals {
    long varbinds = 0;
    long requests = 0;
    long answered = 0;
    long pending = 0; // requests sent and not yet answered or timed out
};
Totals totals;

bool within(const oid* o, std::size_t len, const Oid& root) {
    if (len < root.size()) {
        return false;
    }
    for (std::size_t i = 0; i < root.size(); ++i) {
        if (o[i] != root[i]) {
            return false;
        }
    }
    return true;
}

struct Walk {
    std::vector<Oid> columns;
    std::vector<std::vector<oid>> cur;
    std::vector<bool> active;
    int reps;
    int max_reps;
    bool done = false;
    bool busy = false;
    std::vector<std::size_t> sent;

    Walk(std::vector<Oid> cols, int start, bool grow) : columns(std::move(cols)) {
        for (const auto& c : columns) {
            cur.emplace_back(c.begin(), c.end());
        }
        active.assign(columns.size(), true);
        const int full = std::max(1, k_max_varbinds / static_cast<int>(columns.size()));
        reps = std::clamp(start, 1, k_max_varbinds);
        max_reps = grow ? std::max(full, reps) : reps;
    }
};

struct Host {
    std::string address;
    netsnmp_session* session = nullptr;
    std::vector<Walk> walks;
    int in_flight = 0;
    bool system_done = false;
};

int on_response(int op, netsnmp_session*, int, netsnmp_pdu* pdu, void* magic);

struct Token {
    Host* host;
    int walk; // -1: the system GET
};

void send(Host& h, netsnmp_pdu* pdu, int walk) {
    auto* token = new Token{&h, walk};
    if (snmp_async_send(h.session, pdu, on_response, token) == 0) {
        snmp_free_pdu(pdu);
        delete token;
        return;
    }
    ++h.in_flight;
    ++totals.requests;
    ++totals.pending;
}

void pump(Host& h) {
    for (std::size_t w = 0; w < h.walks.size() && h.in_flight < k_in_flight; ++w) {
        Walk& walk = h.walks[w];
        if (walk.done || walk.busy) {
            continue;
        }
        walk.sent.clear();
        for (std::size_t i = 0; i < walk.columns.size(); ++i) {
            if (walk.active[i]) {
                walk.sent.push_back(i);
            }
        }
        if (walk.sent.empty()) {
            walk.done = true;
            continue;
        }
        netsnmp_pdu* pdu = snmp_pdu_create(SNMP_MSG_GETBULK);
        pdu->non_repeaters = 0;
        pdu->max_repetitions =
            std::max(1, std::min(walk.reps, k_max_varbinds / static_cast<int>(walk.sent.size())));
        for (std::size_t i : walk.sent) {
            snmp_add_null_var(pdu, walk.cur[i].data(), walk.cur[i].size());
        }
        walk.busy = true;
        send(h, pdu, static_cast<int>(w));
    }
}

void start_walks(Host& h) {
    const auto add = [&](const std::vector<Oid>& cols, int reps, bool grow) {
        h.walks.emplace_back(cols, reps, grow);
    };
    const int full_if = k_max_varbinds / static_cast<int>(mib::interface_columns().size());
    const int full_ip = k_max_varbinds / static_cast<int>(mib::ip_address_columns().size());
    add(mib::interface_columns(), full_if, false);
    add(mib::ip_address_columns(), full_ip, false);
    add(mib::entity_columns(), k_small_reps, true);
    add(mib::default_route_subtrees(), 1, true);
    add(mib::lldp_columns(), k_small_reps, true);
    add(mib::neighbor_cache_columns(), k_small_reps, true);
    add(mib::vlan_columns(), k_small_reps, true);
    add(mib::ipv6_interface_columns(), k_small_reps, true);
    add(mib::host_columns(), k_small_reps, true);
    add(mib::ipv6_columns(std::string("server")), k_small_reps, true);
}

int on_response(int op, netsnmp_session*, int, netsnmp_pdu* pdu, void* magic) {
    if (op == NETSNMP_CALLBACK_OP_RESEND) {
        // The library sent its retry (net-snmp calls back for that too): the request stays
        // open. Taken for an answer, it dropped the host's walks and freed the token that the
        // real answer then used (a crash after any retransmission).
        return 1;
    }
    std::unique_ptr<Token> token(static_cast<Token*>(magic));
    Host& h = *token->host;
    --h.in_flight;
    --totals.pending;
    const bool ok =
        op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu && pdu->errstat == SNMP_ERR_NOERROR;
    if (token->walk < 0) {
        if (!ok) {
            return 1; // unanswered: no walks
        }
        ++totals.answered;
        for (auto* v = pdu->variables; v; v = v->next_variable) {
            ++totals.varbinds;
        }
        h.system_done = true;
        start_walks(h);
        pump(h);
        return 1;
    }
    Walk& w = h.walks[static_cast<std::size_t>(token->walk)];
    w.busy = false;
    if (!ok) {
        w.done = true;
        pump(h);
        return 1;
    }
    std::size_t k = 0;
    for (auto* v = pdu->variables; v; v = v->next_variable, ++k) {
        ++totals.varbinds; // every varbind received, as netinv counts them
        const std::size_t col = w.sent[k % w.sent.size()];
        if (!w.active[col]) {
            continue;
        }
        if (v->type == SNMP_ENDOFMIBVIEW || v->type == SNMP_NOSUCHOBJECT ||
            v->type == SNMP_NOSUCHINSTANCE || !within(v->name, v->name_length, w.columns[col])) {
            w.active[col] = false;
            continue;
        }
        w.cur[col].assign(v->name, v->name + v->name_length);
    }
    if (k == 0) {
        w.done = true;
    } else if (w.reps < w.max_reps) {
        w.reps = std::min(w.reps * 4, w.max_reps);
    }
    pump(h);
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s HOSTS_FILE PORT COMMUNITY\n", argv[0]);
        return 2;
    }
    ::setenv("MIBS", "", 1); // numeric OIDs only, as netinv
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    snmp_disable_log();
    init_snmp("netinv-walker");
    std::vector<std::unique_ptr<Host>> hosts;
    std::ifstream in(argv[1]);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            hosts.push_back(std::make_unique<Host>());
            hosts.back()->address = line;
        }
    }
    const std::string community = argv[3];
    for (auto& h : hosts) {
        netsnmp_session s;
        snmp_sess_init(&s);
        const std::string peer = "udp:" + h->address + ":" + argv[2];
        s.peername = const_cast<char*>(peer.c_str());
        s.version = SNMP_VERSION_2c;
        s.community = reinterpret_cast<u_char*>(const_cast<char*>(community.data()));
        s.community_len = community.size();
        s.timeout = 1000000;
        s.retries = 1;
        h->session = snmp_open(&s);
        if (!h->session) {
            std::fprintf(stderr, "walker: cannot open a session to %s\n", peer.c_str());
            return 1;
        }
        netsnmp_pdu* pdu = snmp_pdu_create(SNMP_MSG_GET);
        for (const auto& o : mib::system_scalars()) {
            std::vector<oid> raw(o.begin(), o.end());
            snmp_add_null_var(pdu, raw.data(), raw.size());
        }
        send(*h, pdu, -1);
    }
    while (totals.pending > 0) {
        int fds = 0;
        int block = 1;
        fd_set set;
        FD_ZERO(&set);
        timeval tv{};
        snmp_select_info(&fds, &set, &tv, &block);
        const int n = select(fds, &set, nullptr, nullptr, block ? nullptr : &tv);
        if (n > 0) {
            snmp_read(&set);
        } else if (n == 0) {
            snmp_timeout();
        }
    }
    for (auto& h : hosts) {
        snmp_close(h->session);
    }
    std::printf("{\"hosts\": %zu, \"answered\": %ld, \"varbinds\": %ld, \"requests\": %ld}\n",
                hosts.size(), totals.answered, totals.varbinds, totals.requests);
    return 0;
}
