#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A thin link in user space (the kernel here has no netem): UDP relays that delay and drop.

    relay.py SPEC.json    (prints "ready" once listening; stops on SIGTERM)

SPEC.json: {"delay_ms": 80, "loss": 0.02, "rate_kbit": 10000, "seed": 1,
            "relays": [["LISTEN_HOST", LISTEN_PORT, "AGENT_HOST", AGENT_PORT], ...]}
Each relay forwards what a poller sends to LISTEN to its agent, and the agent's answers back
to the poller, each datagram delayed by delay_ms per direction (plus its serialisation at
rate_kbit, queued behind the relay's earlier ones) and dropped with probability `loss` per
direction. A relay given as an object, {"listen": [HOST, PORT], "agent": [HOST, PORT],
"delay_ms": ..., "loss": ..., "rate_kbit": ...}, has a link of its own (keys it lacks come from
the top level). Each relay draws its losses from its own generator (seed + its index), so the
n-th datagram through a relay is lost or not whatever the other relays carry. The addresses are
the caller's: bench/ uses loopback, the fault test its own network namespace.
"""
import asyncio
import json
import random
import signal
import sys


class Link:
    def __init__(self, spec, rng):
        self.delay = spec.get("delay_ms", 0) / 1000
        self.loss = spec.get("loss", 0)
        self.rate = spec.get("rate_kbit", 0) * 1000 / 8  # bytes per second; 0: unlimited
        self.rng = rng
        self.free_at = 0.0  # when the link's queue is empty again

    def when(self, size, now):
        """The time a datagram of `size` bytes arrives, or None when it is lost."""
        if self.rng.random() < self.loss:
            return None
        start = max(now, self.free_at)
        self.free_at = start + (size / self.rate if self.rate else 0)
        return self.free_at + self.delay


class Relay(asyncio.DatagramProtocol):
    def __init__(self, loop, agent, spec, rng):
        self.loop, self.agent = loop, agent
        self.up, self.down = Link(spec, rng), Link(spec, rng)
        self.poller = None
        self.transport = None
        self.upstream = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.poller = addr
        at = self.up.when(len(data), self.loop.time())
        if at is not None:
            self.loop.call_at(at, lambda: self.upstream.sendto(data))

    def answer(self, data):
        at = self.down.when(len(data), self.loop.time())
        if at is not None and self.poller:
            peer = self.poller
            self.loop.call_at(at, lambda: self.transport.sendto(data, peer))


class Upstream(asyncio.DatagramProtocol):
    def __init__(self, relay):
        self.relay = relay

    def datagram_received(self, data, addr):
        self.relay.answer(data)


async def main():
    spec = json.load(open(sys.argv[1]))
    loop = asyncio.get_running_loop()
    for n, r in enumerate(spec["relays"]):
        if isinstance(r, dict):
            (lhost, lport), (ahost, aport) = r["listen"], r["agent"]
            link = {**spec, **r}
        else:
            lhost, lport, ahost, aport = r
            link = spec
        rng = random.Random(spec.get("seed", 1) * 1000003 + n)
        relay = Relay(loop, (ahost, aport), link, rng)
        await loop.create_datagram_endpoint(lambda r=relay: r, local_addr=(lhost, lport))
        up, _ = await loop.create_datagram_endpoint(lambda r=relay: Upstream(r),
                                                    remote_addr=(ahost, aport))
        relay.upstream = up
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    print("ready", flush=True)
    await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
