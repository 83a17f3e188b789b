#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A deliberately misbehaving SNMPv2c agent, for netinv's robustness tests.

    hostile_agent.py HOST PORT    (prints "ready" on stdout once listening; stops on SIGTERM)

The community picks the misbehaviour, so one process serves every case:
  ok             a small, correct agent
  nonincreasing  walks answer with OIDs that go backwards (and repeat)
  endless        every column has an unbounded number of rows
  wrongtype      values of the wrong ASN.1 type (ifDescr as INTEGER, sysUpTime as OCTET STRING)
  oversized      a 60 kB sysDescr, a 1000-byte sysName, 300-byte ifDescr values
  wrongreqid     every answer carries another request id
  silent         answers the first request (the system group), then never again
  garbage        answers every request with random bytes
  otherport      answers correctly, but from another UDP port than the one asked
  bigendless     an endless table of 60 kB values (one per answer): memory must stay bounded
  columnmajor    GETBULK answers all rows of the first column, then the next (not interleaved)
  nosuch         GETBULK answers carry noSuchInstance in the middle of a table
  lateanswer     the first request of the interface walk is answered only when it is sent again,
                 and the answer goes to the first try (its request id), never to the later one:
                 the shape of an agent slow on one table (net-snmp's hrProcessorLoad on a cold
                 cache), planted as an order of events rather than a delay
  lostfirst      the first request from each poller socket (the system group's GET) is dropped,
                 as a lossy link drops one; everything after it is answered
  tarpit         answers the first request from each poller socket (the system group's GET),
                 never another, as a device whose agent hangs after its first answer; prints
                 "tarpit N" when the Nth socket is first heard from, and "tarpit-retry N"
                 the first time socket N sends a request again (its timer ran out)
Only loopback is used.
"""
import os
import random
import signal
import socket
import sys

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api

P = api.protoModules[api.protoVersion2c]
SYSTEM = {
    (1, 3, 6, 1, 2, 1, 1, 1, 0): lambda: P.OctetString("Hostile test agent"),
    (1, 3, 6, 1, 2, 1, 1, 2, 0): lambda: P.ObjectIdentifier((1, 3, 6, 1, 4, 1, 8072, 3, 2, 10)),
    (1, 3, 6, 1, 2, 1, 1, 3, 0): lambda: P.TimeTicks(12345),
    (1, 3, 6, 1, 2, 1, 1, 4, 0): lambda: P.OctetString("noc@test"),
    (1, 3, 6, 1, 2, 1, 1, 5, 0): lambda: P.OctetString("hostile"),
    (1, 3, 6, 1, 2, 1, 1, 6, 0): lambda: P.OctetString("lab"),
}
IF_ROWS = 3


def table(community):
    """The agent's MIB as a sorted list of (oid, value) for the communities that have one."""
    rows = []
    for i in range(1, IF_ROWS + 1):
        descr = ("x" * 300) if community == "oversized" else f"eth{i}"
        rows.append(((1, 3, 6, 1, 2, 1, 2, 2, 1, 2, i),
                     P.Integer(i) if community == "wrongtype" else P.OctetString(descr)))
        rows.append(((1, 3, 6, 1, 2, 1, 2, 2, 1, 3, i), P.Integer(6)))
        rows.append(((1, 3, 6, 1, 2, 1, 2, 2, 1, 8, i), P.Integer(1)))
    rows.append(((1, 3, 6, 1, 2, 1, 4, 20, 1, 2, 10, 0, 0, 1), P.Integer(1)))
    rows.append(((1, 3, 6, 1, 2, 1, 4, 20, 1, 3, 10, 0, 0, 1), P.IpAddress("255.255.255.0")))
    return sorted(rows)


def system_value(oid, community):
    if community == "wrongtype" and oid == (1, 3, 6, 1, 2, 1, 1, 3, 0):
        return P.OctetString("not ticks")
    if community == "oversized" and oid == (1, 3, 6, 1, 2, 1, 1, 1, 0):
        return P.OctetString("D" * 60000)
    if community == "oversized" and oid == (1, 3, 6, 1, 2, 1, 1, 5, 0):
        return P.OctetString("N" * 1000)
    return SYSTEM[oid]() if oid in SYSTEM else P.NoSuchObject("")


def next_of(oid, community, counter):
    """The varbind after `oid` in the agent's view, per misbehaviour."""
    if community == "nonincreasing":
        # Step backwards: the previous sibling, or the same OID again.
        back = oid[:-1] + (max(oid[-1] - 1, 1),) if len(oid) > 10 else oid + (1,)
        return back, P.OctetString("back")
    if community in ("endless", "bigendless"):
        counter[0] += 1
        base = oid[:10] if len(oid) >= 10 else oid + (1,) * (10 - len(oid))
        value = "v" * 60000 if community == "bigendless" else f"row{counter[0]}"
        return base + (counter[0],), P.OctetString(value)
    for o, v in table(community):
        if o > oid:
            return o, v
    return oid, P.EndOfMibView("")


def seen_last(data):
    """The community of one request, as text ("" when it cannot be read)."""
    try:
        msg, _ = decoder.decode(data, asn1Spec=P.Message())
        return str(P.apiMessage.getCommunity(msg))
    except Exception:
        return ""


def request_key(data):
    """What a request asks (its type and OIDs), whatever its request id."""
    try:
        msg, _ = decoder.decode(data, asn1Spec=P.Message())
        req = P.apiMessage.getPDU(msg)
        return (req.tagSet, tuple(tuple(o) for o, _ in P.apiPDU.getVarBinds(req)))
    except Exception:
        return data


def respond(data, community_seen, counter, answered, held):
    msg, _ = decoder.decode(data, asn1Spec=P.Message())
    community = str(P.apiMessage.getCommunity(msg))
    community_seen.add(community)
    req = P.apiMessage.getPDU(msg)
    if community == "lateanswer" and held is not None:
        key = tuple(tuple(o) for o, _ in P.apiPDU.getVarBinds(req))
        if key in held:
            # Sent again: now answer, but the first try (and only ever that one).
            return respond(held[key], community_seen, counter, answered, None)
        if (not held and req.isSameTypeWith(P.GetBulkRequestPDU()) and
                key[0][:9] == (1, 3, 6, 1, 2, 1, 2, 2, 1)):
            held[key] = data
            return None
    rsp_msg = P.apiMessage.getResponse(msg)
    rsp = P.apiMessage.getPDU(rsp_msg)
    if community == "garbage":
        return os.urandom(random.randrange(1, 200))
    if community == "silent":
        answered[0] += 1
        if answered[0] > 1:
            return None
    vbs = []
    req_vbs = [(tuple(o), v) for o, v in P.apiPDU.getVarBinds(req)]
    if req.isSameTypeWith(P.GetRequestPDU()):
        vbs = [(o, system_value(o, community)) for o, _ in req_vbs]
    elif req.isSameTypeWith(P.GetNextRequestPDU()):
        vbs = [next_of(o, community, counter) for o, _ in req_vbs]
    elif req.isSameTypeWith(P.GetBulkRequestPDU()):
        reps = min(int(P.apiBulkPDU.getMaxRepetitions(req)), 50)
        if community == "bigendless":
            reps = 1  # one 60 kB value per answer: a UDP datagram holds no more
        cur = [o for o, _ in req_vbs]
        rows = []
        for _ in range(reps):
            row = [next_of(o, community, counter) for o in cur]
            rows.append(row)
            cur = [o for o, _ in row]
        if community == "columnmajor":
            vbs = [rows[r][c] for c in range(len(req_vbs)) for r in range(len(rows))]
        else:
            vbs = [vb for row in rows for vb in row]
        if community == "bigendless":
            vbs = vbs[:1]  # fewer values than asked for, as a full datagram allows
        if community == "nosuch" and len(vbs) > 2:
            o, _ = vbs[1]
            vbs[1] = (o, P.NoSuchInstance(""))
    P.apiPDU.setVarBinds(rsp, vbs)
    if community == "wrongreqid":
        P.apiPDU.setRequestID(rsp, int(P.apiPDU.getRequestID(req)) + 7)
    return encoder.encode(rsp_msg)


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind((host, port))
    other = socket.socket(family, socket.SOCK_DGRAM)  # for "otherport": any free port
    other.bind((host, 0))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    counter, answered, seen, held, lost = [0], [0], set(), {}, set()
    tarpit = {}  # peer -> (its number, the requests it sent, whether it has sent one again)
    while True:
        data, peer = sock.recvfrom(65535)
        if seen_last(data) == "tarpit":
            if peer in tarpit:
                number, asked, again = tarpit[peer]
                key = request_key(data)
                if key in asked and not again:
                    tarpit[peer] = (number, asked, True)
                    print(f"tarpit-retry {number}", flush=True)
                asked.add(key)
                continue
            tarpit[peer] = (len(tarpit) + 1, {request_key(data)}, False)
            print(f"tarpit {len(tarpit)}", flush=True)
        if seen_last(data) == "lostfirst" and peer not in lost:
            lost.add(peer)  # netinv polls each target from a socket of its own
            continue
        try:
            out = respond(data, seen, counter, answered, held)
        except Exception:  # a hostile agent that chokes on its own input just stays quiet
            out = None
        if out:
            (other if "otherport" in seen_last(data) else sock).sendto(out, peer)


if __name__ == "__main__":
    main()
