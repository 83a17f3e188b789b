#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The simulated Hải Dương province: every target of inventory.toml answering SNMP on loopback.

    lab/lab.py up   [--seed N] [--config inventory.toml] [--netinv PATH] [--dir DIR]
    lab/lab.py change [--dir DIR]
    lab/lab.py down [--dir DIR]
    lab/lab.py status [--dir DIR]

`up` asks netinv for the expanded target list (`netinv config targets --format json`), so the
lab and netinv never disagree on names or addresses. A seeded scenario decides each device's
vendor and what the 2021 reality looks like (communes not yet on the TSLCD, devices without
IPv6, unreachable devices, a wrong community, a slow agent, servers missing from the 111). It
writes one snmprec recording per device in the shape of that vendor's agent, starts snmpsim
processes serving them (each device at its own 127.x.y.z address), and writes what it planted
to DIR/truth.json and the lab's secrets to DIR/env. `change` makes one night's changes
(DIR/changes.json) and restarts the agents with them. `down` stops exactly the processes `up`
started, by PID. Nothing here sends traffic anywhere but loopback and the network namespaces
the lab creates itself.
"""

import argparse
import ipaddress
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

DEFAULT_DIR = "/tmp/netinv-lab"
UDP_DOMAIN = "1.3.6.1.6.1.1"  # snmpsim names each listening endpoint UDP_DOMAIN.<n>

# The lab's secrets. netinv reads them from the environment, as it would in production.
SECRETS = {
    "NETINV_V3_AUTH": "lab-auth-4001-2021",
    "NETINV_V3_PRIV": "lab-priv-4001-2021",
    "NETINV_SERVER_COMMUNITY": "lab-server-c0mm",
    "NETINV_COMMUNITY": "lab-commune-c0mm",
}
V3_USER = "netinv"
PROVINCE_V6 = "2405:4800:30"  # the simulated province's global IPv6 block (/48)

# ---- vendor profiles ----------------------------------------------------------------------------
# Each: vendor name as netinv reports it (from the enterprise number), sysObjectID, sysDescr,
# ENTITY-MIB model and firmware, interface naming, and which IP-MIB tables the agent has.
PROFILES = {
    "cisco-ios-xe": dict(vendor="Cisco", oid="1.3.6.1.4.1.9.1.2068", model="ISR4331/K9",
                         descr="Cisco IOS Software [Fuji], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
                               "Version 16.9.4, RELEASE SOFTWARE (fc2)\r\nTechnical Support: "
                               "http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2019 by Cisco Systems, Inc.",
                         firmware="16.9.4", names="cisco", ipmib="modern", mac="00:a3:8e"),
    "cisco-ios": dict(vendor="Cisco", oid="1.3.6.1.4.1.9.1.1208", model="WS-C2960X-24TS-L",
                      descr="Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E3, "
                            "RELEASE SOFTWARE (fc3)",
                      firmware="15.2(7)E3", names="cisco-switch", ipmib="modern", mac="70:1f:53"),
    "huawei-vrp": dict(vendor="Huawei", oid="1.3.6.1.4.1.2011.2.224.279", model="AR6120",
                       descr="Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 "
                             "(AR6120 V300R019C10SPC300)\r\nCopyright (C) 2011-2020 HUAWEI TECH CO., LTD\r\nHuawei AR6120",
                       firmware="V300R019C10SPC300", names="huawei", ipmib="modern", mac="38:4c:4f"),
    "huawei-switch": dict(vendor="Huawei", oid="1.3.6.1.4.1.2011.2.23.374", model="S5735-L24T4X-A1",
                          descr="S5735-L24T4X-A1\r\nHuawei Versatile Routing Platform Software\r\nVRP (R) software, "
                                "Version 5.170 (S5735 V200R019C10SPC500)",
                          firmware="V200R019C10SPC500", names="huawei-switch", ipmib="modern", mac="b4:15:13"),
    "juniper-junos": dict(vendor="Juniper", oid="1.3.6.1.4.1.2636.1.1.1.2.143", model="MX204",
                          descr="Juniper Networks, Inc. mx204 internet router, kernel JUNOS 20.4R3-S2.6, "
                                "Build date: 2022-01-25 09:27:39 UTC Copyright (c) 1996-2022 Juniper Networks, Inc.",
                          firmware="20.4R3-S2.6", names="juniper", ipmib="modern", mac="84:03:28"),
    "mikrotik": dict(vendor="MikroTik", oid="1.3.6.1.4.1.14988.1", model="RB750Gr3",
                     descr="RouterOS RB750Gr3", firmware="6.49.7", names="mikrotik", ipmib="modern",
                     mac="48:8f:5a"),
    "draytek": dict(vendor="DrayTek", oid="1.3.6.1.4.1.7367", model="Vigor2925",
                    descr="DrayTek Corporation, Router Model: Vigor2925, Version: 3.8.4, Build Date/Time: "
                          "Dec 10 2016 11:25:05", firmware="3.8.4", names="draytek", ipmib="legacy",
                    mac="00:1d:aa"),
    # Real FortiGates name the chassis by product code (entPhysicalModelName "FGT_60F").
    "fortigate": dict(vendor="Fortinet", oid="1.3.6.1.4.1.12356.101.1.1004", model="FortiGate 60F",
                      entity_model="FGT_60F",
                      descr="FortiGate-60F v7.0.12,build0523,230525 (GA)", firmware="v7.0.12",
                      names="fortinet", ipmib="modern", mac="e8:1c:ba"),
    "aruba-procurve": dict(vendor="HPE", oid="1.3.6.1.4.1.11.2.3.7.11.181", model="J9776A",
                           descr="HP J9776A 2530-24G Switch, revision YA.16.10.0009, ROM YA.15.20 "
                                 "(/ws/swbuildm/rel_venice_qaoff/code/build/lakes(swbuildm_rel_venice_qaoff_rel_venice))",
                           firmware="YA.16.10.0009", names="procurve", ipmib="modern", mac="94:57:a5"),
    # From a real HP A5500 (Comware 5) recording: its VLAN interfaces are l3ipvlan (136), the
    # LAN of a commune that uses an L3 switch as its edge.
    "h3c-comware": dict(vendor="HPE", oid="1.3.6.1.4.1.25506.11.1.24", model="JD377A",
                        descr="HP Comware Platform Software, Software Version 5.20.99 Release 2222P08\n"
                              "HP A5500-24G EI Switch with 2 Interface Slots\r\nCopyright (c) 2010-2017 "
                              "Hewlett Packard Enterprise Development LP",
                        firmware="5.20.99 Release 2222P08", names="comware", ipmib="modern",
                        mac="70:10:6f"),
    "linux": dict(vendor="Net-SNMP", oid="1.3.6.1.4.1.8072.3.2.10", model=None,
                  descr="Linux {name} 5.10.0-26-amd64 #1 SMP Debian 5.10.197-1 (2023-09-29) x86_64",
                  firmware=None, names="linux", ipmib="modern", mac="00:50:56",
                  reported_model="Generic x86 64-bit"),  # the architecture (data/identity.toml)
    "windows": dict(vendor="Microsoft", oid="1.3.6.1.4.1.311.1.1.3.1.2", model=None,
                    descr="Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: "
                          "Windows Version 6.3 (Build 17763 Multiprocessor Free)",
                    firmware=None, names="windows", ipmib="legacy", mac="00:15:5d",
                    reported_model="Intel x64"),
}

# Which vendors each kind of device is drawn from.
CHOICES = {
    "core-router": ["cisco-ios-xe"],
    "district-router": ["cisco-ios-xe", "huawei-vrp", "juniper-junos"],
    "l3-switch": ["cisco-ios", "huawei-switch", "aruba-procurve"],
    "l2-switch": ["cisco-ios", "huawei-switch", "aruba-procurve"],
    "firewall": ["fortigate"],
    "cpe": ["mikrotik", "mikrotik", "draytek", "huawei-vrp", "cisco-ios-xe", "h3c-comware"],
    "server": ["linux", "linux", "linux", "windows"],
}

# Interface names per style: (uplink, lan, loopback or None, extra port name pattern)
STYLES = {
    "cisco": ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "Loopback0", "GigabitEthernet0/1/{p}"),
    "cisco-switch": ("GigabitEthernet1/0/24", "Vlan1", None, "GigabitEthernet1/0/{p}"),
    "huawei": ("GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "InLoopBack0", "GigabitEthernet0/0/{p}"),
    "huawei-switch": ("XGigabitEthernet0/0/1", "Vlanif1", None, "GigabitEthernet0/0/{p}"),
    "juniper": ("ge-0/0/0", "ge-0/0/1", "lo0", "ge-0/0/{p}"),
    "mikrotik": ("ether1", "bridge", None, "ether{p}"),
    "draytek": ("WAN1", "LAN", None, "LAN{p}"),
    "fortinet": ("wan1", "internal", None, "port{p}"),
    "procurve": ("24", "DEFAULT_VLAN", None, "{p}"),
    "comware": ("GigabitEthernet1/0/24", "Vlan-interface10", None, "GigabitEthernet1/0/{p}"),
    "linux": ("ens192", None, "lo", "ens{p}"),
    "windows": ("ethernet_32768", None, "loopback_0", "ethernet_{p}"),
}
IFTYPE = {"eth": 6, "loop": 24, "vlan": 53, "l2vlan": 135, "l3ipvlan": 136, "bridge": 209}
# Agents that write link-local addresses and next hops as ipv6z (address + zone = ifIndex), as
# routers must when one fe80:: address is on several interfaces (RFC 4293, IPV6.md 2.3), and
# whose sub-interfaces and ports share one system MAC, hence one link-local address.
ZONED = {"cisco-ios-xe", "huawei-vrp", "h3c-comware"}


def die(msg):
    print(f"lab: {msg}", file=sys.stderr)
    sys.exit(1)


# ---- device model -------------------------------------------------------------------------------

class Device:
    """One simulated agent: what it will answer, and from that, what netinv must find."""

    def __init__(self, target, profile, rng):
        self.target = target
        self.name = target["name"]
        self.p = PROFILES[profile]
        self.profile = profile
        self.rng = rng
        self.interfaces = []   # dicts as netinv's JSON has them, plus 'highspeed'/'ifspeed'
        self.addresses = []    # dicts as netinv's JSON has them
        self.neighbors = []    # LLDP: (local ifIndex, remote sysName, remote port)
        self.serial = None
        self.tslcd = None      # for CPEs: connected / degraded / down / missing
        self.ipv6 = "none"     # none / link-local / global
        self.forwards = target["role"] in ("router", "cpe", "firewall", "l3-switch")
        self.v4_default = None  # (ifIndex, next hop)
        self.v6_default = None  # (ifIndex, next hop): a static ::/0
        self.v6_router = None   # (ifIndex, router): learned from router advertisements
        self.ra = []            # ifIndexes sending router advertisements
        self.listeners = []     # (protocol, "any" / "ipv4" / "ipv6", port)
        self.addr_status = {}   # address -> IpAddressStatusTC value, when not preferred(1)
        self.ipv6_fault = None  # what was planted: no-default, documentation, duplicate, v4-only-service
        self.nights = 0         # nights passed since `up` (`change` adds one): uptime and counters grow
        self.slow_table = False # `lab.py slow`: the IPv6 walk's first row answers after 4 s
        self.uplink = None      # ifIndex of the TSLCD uplink (routers and CPEs)
        self.fed_through = None # for a CPE fed through another commune's CPE: that CPE's name
        self.sys_name = target["name"].upper() if target["role"] != "server" else target["name"]
        self.location = target.get("site_name") or ""
        mac_prefix = self.p["mac"]
        self._mac_base = [int(x, 16) for x in mac_prefix.split(":")] + [rng.randrange(256), rng.randrange(256), 0]

    @property
    def legacy(self):
        return self.p["ipmib"] == "legacy"

    @property
    def has_ifx(self):
        return self.profile != "draytek"  # old DrayTek firmware has no ifXTable

    def add_if(self, name, kind, speed_mbps, alias="", oper="up", admin="up", mac=True):
        """`mac`: True for one of its own, False for none, or a MAC to share (sub-interfaces)."""
        index = len(self.interfaces) + 1
        if self.profile == "windows":
            index = {1: 1}.get(index, 10 + index)  # Windows numbers its adapters sparsely
        m = mac if isinstance(mac, str) else None
        if mac is True and kind in ("eth", "vlan", "bridge", "l3ipvlan"):
            b = list(self._mac_base)
            b[5] = (b[5] + index) % 256
            m = ":".join(f"{x:02x}" for x in b)
        ifspeed = min(speed_mbps * 1_000_000, 4294967295) if speed_mbps is not None else 0
        itf = dict(index=index, name=name if self.has_ifx else None, descr=name,
                   alias=alias if self.has_ifx else None, type=IFTYPE[kind], mac=m,
                   admin_status=admin, oper_status=oper, ifspeed=ifspeed,
                   highspeed=speed_mbps if self.has_ifx else None)
        hs = itf["highspeed"]
        itf["speed_bps"] = hs * 1_000_000 if hs else ifspeed
        self.interfaces.append(itf)
        return index

    def add_addr(self, if_index, cidr, origin="manual"):
        net = ipaddress.ip_interface(cidr)
        family = "ipv4" if net.version == 4 else "ipv6"
        if self.legacy and family == "ipv6":
            return  # the agent cannot show it
        self.addresses.append(dict(family=family, address=str(net.ip),
                                   prefix_length=net.network.prefixlen, if_index=if_index,
                                   origin=None if self.legacy else origin))

    def link_local(self, if_index):
        itf = next(i for i in self.interfaces if i["index"] == if_index)
        mac = itf["mac"] or "02:00:00:00:00:%02x" % if_index
        b = [int(x, 16) for x in mac.split(":")]
        b[0] ^= 2
        eui = b[:3] + [0xFF, 0xFE] + b[3:]
        ll = ipaddress.IPv6Address(bytes([0xFE, 0x80, 0, 0, 0, 0, 0, 0] + eui))
        self.add_addr(if_index, f"{ll}/64", "linklayer")

    # -- the snmprec recording ---------------------------------------------------------------

    def records(self, slow=False):
        # Uptime and counters come from the device's own generator, so that they are the same
        # whenever the recording is written again, and grow by a night's worth per night.
        own = random.Random(f"{self.name}/{self.serial}/{self.p['oid']}")
        uptime = own.randrange(100, 400_000_000) + self.nights * 8_640_000
        r = []
        descr = self.p["descr"].replace("{name}", self.sys_name)
        r.append(("1.3.6.1.2.1.1.1.0", 4, descr, "delay" if slow else None))
        r.append(("1.3.6.1.2.1.1.2.0", 6, self.p["oid"], None))
        r.append(("1.3.6.1.2.1.1.3.0", 67, str(uptime), None))
        r.append(("1.3.6.1.2.1.1.4.0", 4, "Phòng CNTT, Sở TT&TT Hải Dương <noc@haiduong.gov.vn>", None))
        r.append(("1.3.6.1.2.1.1.5.0", 4, self.sys_name, None))
        r.append(("1.3.6.1.2.1.1.6.0", 4, self.location, None))
        r.append(("1.3.6.1.2.1.1.7.0", 2, "78" if self.target["role"] == "server" else "6", None))
        r.append(("1.3.6.1.2.1.2.1.0", 2, str(len(self.interfaces)), None))
        status = {"up": 1, "down": 2}
        for i in self.interfaces:
            x = i["index"]
            e = "1.3.6.1.2.1.2.2.1"
            r += [(f"{e}.1.{x}", 2, str(x), None), (f"{e}.2.{x}", 4, i["descr"], None),
                  (f"{e}.3.{x}", 2, str(i["type"]), None), (f"{e}.4.{x}", 2, "1500", None),
                  (f"{e}.5.{x}", 66, str(i["ifspeed"]), None),
                  (f"{e}.6.{x}", "4x", (i["mac"] or "").replace(":", ""), None),
                  (f"{e}.7.{x}", 2, str(status[i["admin_status"]]), None),
                  (f"{e}.8.{x}", 2, str(status[i["oper_status"]]), None),
                  (f"{e}.10.{x}", 65, str(own.randrange(1 << 32)), None)]
            if self.has_ifx:
                e = "1.3.6.1.2.1.31.1.1.1"
                r += [(f"{e}.1.{x}", 4, i["name"], None), (f"{e}.15.{x}", 66, str(i["highspeed"]), None),
                      (f"{e}.18.{x}", 4, i["alias"], None)]
        r += self._ip_records()
        r += self._ipv6_records(own)
        r += self._entity_records()
        r += self._lldp_records()
        return r

    def _ip_records(self):
        r = []
        if self.legacy:
            for a in self.addresses:
                ip = a["address"]
                mask = str(ipaddress.ip_network(f"0.0.0.0/{a['prefix_length']}").netmask)
                r += [(f"1.3.6.1.2.1.4.20.1.1.{ip}", 64, ip, None),
                      (f"1.3.6.1.2.1.4.20.1.2.{ip}", 2, str(a["if_index"]), None),
                      (f"1.3.6.1.2.1.4.20.1.3.{ip}", 64, mask, None)]
            return r
        origin = {"manual": 2, "dhcp": 4, "linklayer": 5, "random": 6}
        for a in self.addresses:
            ip = ipaddress.ip_address(a["address"])
            t, n = (1, 4) if ip.version == 4 else (2, 16)
            idx = f"{t}.{n}." + ".".join(str(b) for b in ip.packed)
            if ip.version == 6 and ip.is_link_local and self.profile in ZONED:
                idx = "4.20." + ".".join(str(b) for b in ip.packed + a["if_index"].to_bytes(4, "big"))
            net = ipaddress.ip_network(f"{ip}/{a['prefix_length']}", strict=False)
            pfx = f"{a['if_index']}.{t}.{n}." + ".".join(str(b) for b in net.network_address.packed)
            e = "1.3.6.1.2.1.4.34.1"
            r += [(f"{e}.3.{idx}", 2, str(a["if_index"]), None), (f"{e}.4.{idx}", 2, "1", None),
                  (f"{e}.5.{idx}", 6, f"1.3.6.1.2.1.4.32.1.5.{pfx}.{a['prefix_length']}", None),
                  (f"{e}.6.{idx}", 2, str(origin[a["origin"]]), None),
                  (f"{e}.7.{idx}", 2, str(self.addr_status.get(a["address"], 1)), None)]
        return r

    def _ipv6_records(self, own):
        """What the IPv6 checklist reads beyond addresses (docs/IPV6.md)."""
        if self.legacy:
            return []
        r = []
        octs = lambda a: ".".join(str(b) for b in ipaddress.ip_address(a).packed)
        route = "1.3.6.1.2.1.4.24.7.1.7"
        if self.v4_default:
            i, nh = self.v4_default
            r.append((f"{route}.1.4.0.0.0.0.0.2.0.0.1.4.{octs(nh)}", 2, str(i), None))
        if self.v6_default:
            i, nh = self.v6_default
            hop = f"2.16.{octs(nh)}"
            if self.profile in ZONED and ipaddress.ip_address(nh).is_link_local:
                hop = f"4.20.{octs(nh)}." + ".".join(str(b) for b in i.to_bytes(4, "big"))
            r.append((f"{route}.2.16.{'.'.join(['0'] * 16)}.0.2.0.0.{hop}", 2, str(i), None))
        if self.ipv6 in ("global", "link-local"):
            r.append(("1.3.6.1.2.1.4.25.0", 2, "1" if self.forwards else "2", None))
            # The first row of the IPv6 walk: with `lab.py slow` it answers after 4 s, longer
            # than any timeout, so that walk is always cut short (a slow table, planted).
            r.append(("1.3.6.1.2.1.4.26.0", 2, "64", ("delay", 4000) if self.slow_table else None))
            with_v6 = sorted({a["if_index"] for a in self.addresses if a["family"] == "ipv6"})
            for i in with_v6:
                r.append((f"1.3.6.1.2.1.4.30.1.5.{i}", 2, "1", None))
                r.append((f"1.3.6.1.2.1.4.30.1.8.{i}", 2, "1" if self.forwards else "2", None))
            # IPv6 packets so far; a night adds thousands where IPv6 is really used (a global
            # address), a handful of neighbour discovery where only link-local is on.
            per_night = 20_000 if self.ipv6 == "global" else 20
            for col in (4, 31):
                base = own.randrange(10**6, 10**9)
                r.append((f"1.3.6.1.2.1.4.31.1.1.{col}.2", 70,
                          str(base + self.nights * per_night), None))
        if self.v6_router:
            i, rtr = self.v6_router
            r.append((f"1.3.6.1.2.1.4.37.1.4.2.16.{octs(rtr)}.{i}", 66, "1800", None))
        for i in self.ra:
            r.append((f"1.3.6.1.2.1.4.39.1.2.{i}", 2, "1", None))
            r.append((f"1.3.6.1.2.1.4.39.1.11.{i}", 66, "1800", None))
        kinds = {"any": "0.0", "ipv4": "1.4.0.0.0.0", "ipv6": "2.16." + ".".join(["0"] * 16)}
        for proto, fam, port in self.listeners:
            if proto == "tcp":
                r.append((f"1.3.6.1.2.1.6.20.1.4.{kinds[fam]}.{port}", 66, "1", None))
            else:
                r.append((f"1.3.6.1.2.1.7.7.1.8.{kinds[fam]}.{port}.0.0.0.1", 66, "1", None))
        return r

    def expected_ipv6_level(self):
        """The readiness level (docs/IPV6.md §5) the scenario gives this device after one scan:
        C07 (traffic) needs two scans, so L3 is the most one scan shows."""
        if self.legacy:
            return None  # neither IP-MIB nor IPV6-MIB: C01 unknown
        if self.ipv6 == "none":
            return 0
        if self.ipv6 == "link-local" or self.ipv6_fault in ("documentation", "duplicate"):
            return 1
        if self.ipv6_fault == "no-default":
            return 2
        return 3

    def _entity_records(self):
        if not self.p["model"]:
            return []
        e = "1.3.6.1.2.1.47.1.1.1.1"
        return [(f"{e}.2.1", 4, f"{self.p['vendor']} {self.p['model']} chassis", None),
                (f"{e}.5.1", 2, "3", None), (f"{e}.10.1", 4, self.p["firmware"] or "", None),
                (f"{e}.11.1", 4, self.serial, None), (f"{e}.12.1", 4, self.p["vendor"], None),
                (f"{e}.13.1", 4, self.p.get("entity_model", self.p["model"]), None)]

    def _lldp_records(self):
        r = []
        for n, (local, rname, rport) in enumerate(self.neighbors, start=1):
            idx = f"0.{local}.{n}"
            e = "1.0.8802.1.1.2.1.4.1.1"
            r += [(f"{e}.4.{idx}", 2, "7", None), (f"{e}.5.{idx}", 4, rname, None),
                  (f"{e}.6.{idx}", 2, "5", None), (f"{e}.7.{idx}", 4, rport, None),
                  (f"{e}.9.{idx}", 4, rname, None)]
        return r

    def truth(self):
        strip = lambda i: {k: v for k, v in i.items() if k not in ("ifspeed", "highspeed")}
        return dict(outcome="ok", profile=self.profile, vendor=self.p["vendor"],
                    sys_object_id=self.p["oid"], sys_name=self.sys_name, sys_location=self.location,
                    model=self.p.get("reported_model", self.p["model"]), serial=self.serial, tslcd=self.tslcd, ipv6=self.ipv6,
                    ipv6_level=self.expected_ipv6_level(), ipv6_fault=self.ipv6_fault,
                    uplink=next((i["name"] or i["descr"] for i in self.interfaces
                                 if i["index"] == self.uplink), None),
                    interfaces=[strip(i) for i in sorted(self.interfaces, key=lambda i: i["index"])],
                    addresses=sorted(self.addresses, key=lambda a: (a["family"], a["if_index"], a["address"])),
                    lldp=[dict(if_index=l, sys_name=n, port=p) for l, n, p in self.neighbors])


def oid_key(oid):
    return tuple(int(x) for x in oid.split("."))


def write_snmprec(path, records):
    lines = []
    for oid, typ, value, variation in sorted(records, key=lambda r: oid_key(r[0])):
        if typ == "4x":
            lines.append(f"{oid}|4x|{value}")
            continue
        text = str(value)
        printable = all(0x20 <= ord(c) < 0x7F for c in text) and "|" not in text
        if typ == 4 and not printable:
            hexv = text.encode("utf-8").hex()
            tag = "4x"
            if variation:
                lines.append(f"{oid}|4:{variation}|hexvalue={hexv},wait=400")
            else:
                lines.append(f"{oid}|{tag}|{hexv}")
            continue
        if variation:
            name, wait = variation if isinstance(variation, tuple) else (variation, 400)
            lines.append(f"{oid}|{typ}:{name}|value={text},wait={wait}")
        else:
            lines.append(f"{oid}|{typ}|{text}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


# ---- the province ---------------------------------------------------------------------------

def build(targets, seed):
    """Decides every device and every planted fault; returns (devices, dead, truth_planted)."""
    rng = random.Random(seed)
    by_name = {t["name"]: t for t in targets}
    devices = {}
    kinds = {}
    for t in targets:
        role, sk = t["role"], t["site_kind"]
        kind = ("core-router" if role == "router" and sk == "datacenter" else
                "district-router" if role == "router" else role)
        kinds[t["name"]] = kind
        devices[t["name"]] = Device(t, rng.choice(CHOICES[kind]), rng)
        serial = f"{devices[t['name']].p['vendor'][:2].upper()}{rng.randrange(10**9, 10**10)}"
        # Only agents with an ENTITY-MIB chassis (those with a model) report a serial.
        devices[t["name"]].serial = serial if devices[t["name"]].p["model"] else None

    cpes = [n for n in devices if kinds[n] == "cpe"]
    routers = [n for n in devices if kinds[n] == "district-router"]
    servers = [n for n in devices if kinds[n] == "server"]
    dc_servers = [n for n in servers if by_name[n]["site_kind"] == "datacenter"]
    linux_dc = [n for n in dc_servers if devices[n].profile == "linux"]
    core = next(n for n in devices if kinds[n] == "core-router")

    planted = {}
    # Unreachable and absent devices: nothing answers at their address.
    planted["unreachable"] = sorted(rng.sample(cpes, 3) +
                                    rng.sample([n for n in devices if kinds[n] == "l2-switch"], 1))
    planted["missing_servers"] = sorted(rng.sample([n for n in dc_servers if n not in linux_dc[:6]], 2) +
                                        rng.sample([n for n in servers if n not in dc_servers], 1))
    alive = lambda n: n not in planted["unreachable"] and n not in planted["missing_servers"]
    planted["wrong_community"] = sorted(rng.sample([n for n in cpes if alive(n)], 1))
    planted["slow"] = sorted(rng.sample([n for n in linux_dc if alive(n)], 1))

    # TSLCD state of each commune, and IPv6 of each device.
    tslcd = {}
    for n in cpes:
        x = rng.random()
        tslcd[n] = "missing" if x < 0.06 else "down" if x < 0.09 else "degraded" if x < 0.12 else "connected"
    ipv6 = {}
    for n, d in devices.items():
        k = kinds[n]
        if d.legacy:
            ipv6[n] = "none"
        elif k in ("core-router",):
            ipv6[n] = "global"
        elif k == "district-router":
            ipv6[n] = rng.choices(["global", "none", "link-local"], [8, 2, 1])[0]
        elif k == "server":
            ipv6[n] = rng.choices(["global", "link-local"], [5, 1])[0] if by_name[n]["site_kind"] == "datacenter" \
                else rng.choices(["global", "link-local", "none"], [2, 3, 1])[0]
        elif k == "cpe":
            ipv6[n] = rng.choices(["none", "link-local", "global"], [6, 3, 1])[0]
        else:
            ipv6[n] = rng.choices(["global", "link-local", "none"], [2, 2, 1])[0]

    # District numbering and the communes of each district, in configuration order.
    districts = []
    for t in targets:
        if t["district"] and t["district"] not in districts:
            districts.append(t["district"])
    dnum = {code: i + 1 for i, code in enumerate(districts)}
    router_of = {by_name[n]["district"]: n for n in routers}

    # Core router: one port per district router, an Internet uplink, a loopback.
    c = devices[core]
    up = c.add_if("GigabitEthernet0/0/0", "eth", 10000, "Internet - VNPT")
    c.add_addr(up, "203.113.130.2/30")
    lo = c.add_if("Loopback0", "loop", 8000, "", mac=False)
    c.add_addr(lo, "10.30.255.1/32")
    core_port = {}
    for code in districts:
        d = dnum[code]
        p = c.add_if(f"GigabitEthernet0/1/{d}", "eth", 1000, f"TSLCD {router_of[code]}")
        core_port[code] = p
        c.add_addr(p, f"10.30.0.{4 * d + 1}/30")
        c.add_addr(p, f"{PROVINCE_V6}:ff{d:02x}::1/64")
        c.link_local(p)
    c.add_addr(lo, f"{PROVINCE_V6}:ffff::1/128")
    c.ipv6 = "global"

    # District routers and their communes. Half the routers number their commune downlinks
    # (labelled "TSLCD <commune>" like the uplink) before the uplink, so the uplink is not the
    # lowest ifIndex; routers that share one system MAC give every sub-interface the same
    # link-local address. In the first district with two connected communes, the second is fed
    # through the first one's CPE (inventory.toml says so: DIR/sites.toml).
    fed = None
    for code in districts:
        cands = [n for n in cpes if by_name[n]["district"] == code and tslcd[n] == "connected"
                 and alive(n) and n not in planted["wrong_community"]]
        if len(cands) >= 2:
            fed = (cands[1], cands[0])  # (fed through, feeding)
            break
    for code in districts:
        d = dnum[code]
        rname = router_of[code]
        r = devices[rname]
        uplink, lan, loop, port = STYLES[r.p["names"]]
        system_mac = None
        def router_uplink():
            u = r.add_if(uplink, "eth", 1000, f"TSLCD {core}")
            r.uplink = u
            r.add_addr(u, f"10.30.0.{4 * d + 2}/30")
            r.neighbors.append((u, c.sys_name, f"GigabitEthernet0/1/{d}"))
            c.neighbors.append((core_port[code], r.sys_name, uplink))
            return u
        u = router_uplink() if d % 2 == 0 else None
        communes = [n for n in cpes if by_name[n]["district"] == code]
        downlinks = []
        for ci, cname in enumerate(communes, start=1):
            cpe = devices[cname]
            cpe.tslcd = tslcd[cname]
            state = tslcd[cname]
            sub = f"{'ge-0/0/1' if r.p['names'] == 'juniper' else port.format(p=1) if r.p['names'] != 'cisco' else 'GigabitEthernet0/0/2'}.{100 + ci}"
            if state != "missing" and not (fed and cname == fed[0]):
                oper = "down" if state == "down" else "up"
                speed = 4 if state == "degraded" else 100
                ru = r.add_if(sub, "l2vlan", speed, f"TSLCD {by_name[cname]['site_name']}", oper=oper,
                              mac=(system_mac or True) if r.profile in ZONED else False)
                if r.profile in ZONED and system_mac is None:
                    system_mac = next(i["mac"] for i in r.interfaces if i["index"] == ru)
                downlinks.append((ci, cname, ru, oper, speed))
        if u is None:
            u = router_uplink()
        l = r.add_if(lan, "eth", 1000, "LAN UBND huyen", mac=system_mac or True)
        r.add_addr(l, f"172.16.{d}.1/24")
        lp = r.add_if(loop, "loop", 8000, "", mac=False)
        r.add_addr(lp, f"10.30.255.{10 + d}/32")
        r.ipv6 = ipv6[rname]
        if r.ipv6 == "global":
            r.add_addr(u, f"{PROVINCE_V6}:ff{d:02x}::2/64")
            r.add_addr(l, f"{PROVINCE_V6}:{d:02x}00::1/64")
        if r.ipv6 in ("global", "link-local"):
            r.link_local(u)
            r.link_local(l)
        down = {cname: (ci, ru, oper, speed) for ci, cname, ru, oper, speed in downlinks}
        for ci, cname in enumerate(communes, start=1):
            cpe = devices[cname]
            cup, clan, cloop, cport = STYLES[cpe.p["names"]]
            state = tslcd[cname]
            if cname in down:
                _, ru, oper, speed = down[cname]
                sub = next(i["name"] or i["descr"] for i in r.interfaces if i["index"] == ru)
                r.add_addr(ru, f"10.30.{d}.{4 * ci + 1}/30")
                cu = cpe.add_if(cup, "eth", speed, f"TSLCD uplink {rname}", oper=oper)
                cpe.uplink = cu
                cpe.add_addr(cu, f"10.30.{d}.{4 * ci + 2}/30")
                if oper == "up":
                    cpe.neighbors.append((cu, r.sys_name, sub))
                    r.neighbors.append((ru, cpe.sys_name, cup))
            elif fed and cname == fed[0]:
                # Fed through the feeding commune's CPE: a TSLCD port of its own there.
                feeder = devices[fed[1]]
                fport = STYLES[feeder.p["names"]][3].format(p=5)
                fp = feeder.add_if(fport, "eth", 100, f"TSLCD {by_name[cname]['site_name']}")
                feeder.add_addr(fp, f"10.30.{d}.{4 * ci + 1}/30")
                cu = cpe.add_if(cup, "eth", 100, f"TSLCD uplink {fed[1]}")
                cpe.uplink = cu
                cpe.fed_through = fed[1]
                cpe.add_addr(cu, f"10.30.{d}.{4 * ci + 2}/30")
                cpe.neighbors.append((cu, feeder.sys_name, fport))
                feeder.neighbors.append((fp, cpe.sys_name, cup))
            else:
                # Not yet on the TSLCD: a consumer Internet line instead.
                cu = cpe.add_if(cup, "eth", 100, "Internet FTTH")
                cpe.add_addr(cu, f"100.64.{d}.{4 * ci + 2}/30")
            kind = ("bridge" if clan == "bridge" else "l3ipvlan" if clan.startswith("Vlan-interface")
                    else "eth")
            own_mac = next(i["mac"] for i in cpe.interfaces if i["index"] == cu) \
                if cpe.profile in ZONED else True
            cl = cpe.add_if(clan, kind, 100, "LAN UBND xa", mac=own_mac)
            cpe.add_addr(cl, f"172.{16 + d}.{ci}.1/24")
            cpe.ipv6 = ipv6[cname]
            if cpe.ipv6 in ("global", "link-local") and not cpe.legacy:
                cpe.link_local(cl)
                if cpe.ipv6 == "global":
                    cpe.add_addr(cl, f"{PROVINCE_V6}:{d:02x}{ci:02x}::1/64")
                    cpe.add_addr(cu, f"{PROVINCE_V6}:ff{d:02x}:{ci:x}::2/64")
            elif cpe.legacy:
                cpe.ipv6 = "none"
    planted["fed_through"] = [fed[0]] if fed else []

    # Everything else: switches, firewalls, servers.
    seq = 0
    for n, dev in devices.items():
        k = kinds[n]
        if k in ("core-router", "district-router", "cpe"):
            continue
        seq += 1
        t = by_name[n]
        mgmt4 = f"10.31.{seq // 250}.{seq % 250 + 1}"
        mgmt6 = f"{PROVINCE_V6}:{0x100 + seq // 250:x}::{seq % 250 + 1:x}"
        uplink, lan, loop, port = STYLES[dev.p["names"]]
        dev.ipv6 = ipv6[n]
        if k in ("l2-switch", "l3-switch"):
            for p in range(1, 9):
                dev.add_if(port.format(p=p), "eth", 1000, "" if p > 4 else f"Phong {p}",
                           oper="up" if p <= 5 else "down")
            u = dev.add_if(uplink, "eth", 1000 if k == "l3-switch" else 1000,
                           "TSLCD uplink" if t["site_kind"] == "department" else "uplink dr")
            v = dev.add_if(lan, "vlan", 1000, "mgmt")
            dev.add_addr(v, f"{mgmt4}/24")
            if dev.ipv6 == "global":
                dev.add_addr(v, f"{mgmt6}/64")
            if dev.ipv6 in ("global", "link-local"):
                dev.link_local(v)
        elif k == "firewall":
            u = dev.add_if(uplink, "eth", 1000, "WAN TSLCD")
            dev.add_addr(u, f"{mgmt4}/30")
            i = dev.add_if(lan, "eth", 1000, "LAN mot cua")
            dev.add_addr(i, f"192.168.{seq % 250}.1/24")
            if dev.ipv6 == "global":
                dev.add_addr(i, f"{mgmt6}/64")
            if dev.ipv6 in ("global", "link-local"):
                dev.link_local(i)
        else:  # server
            if dev.profile == "windows":
                lp = dev.add_if("Software Loopback Interface 1", "loop", 1073, "", mac=False)
                dev.interfaces[-1]["descr"] = "Software Loopback Interface 1"
                e = dev.add_if("Intel(R) 82574L Gigabit Network Connection", "eth", 1000)
                dev.add_addr(lp, "127.0.0.1/8")
                dev.add_addr(e, f"{mgmt4}/24")
                dev.ipv6 = "none"
            else:
                lp = dev.add_if("lo", "loop", 10, "", mac=False)
                e = dev.add_if(uplink, "eth", 10000)
                dev.add_addr(lp, "127.0.0.1/8")
                dev.add_addr(lp, "::1/128")
                dev.add_addr(e, f"{mgmt4}/24")
                if dev.ipv6 == "global":
                    dev.add_addr(e, f"{mgmt6}/64")
                if dev.ipv6 in ("global", "link-local"):
                    dev.link_local(e)

    # IPv6 beyond addresses: link-local on every IPv4 interface of an IPv6 device, defaults
    # (a static ::/0 on routers, CPEs and firewalls; a router learned from RAs on servers and
    # switches), RAs on CPE LANs, listeners on servers; then a few planted IPv6 faults.
    for n, dev in devices.items():
        if dev.legacy or dev.ipv6 == "none":
            continue
        have_ll = {a["if_index"] for a in dev.addresses if a["address"].startswith("fe80:")}
        for itf in dev.interfaces:
            has_v4 = any(a["if_index"] == itf["index"] and a["family"] == "ipv4" for a in dev.addresses)
            if has_v4 and itf["type"] != IFTYPE["loop"] and itf["index"] not in have_ll:
                dev.link_local(itf["index"])
        if dev.ipv6 != "global":
            continue
        wan = dev.uplink or (dev.interfaces[0]["index"] if kinds[n] != "server" else dev.interfaces[-1]["index"])
        if dev.forwards:
            dev.v6_default = (wan, "fe80::1")
        else:
            dev.v6_router = (wan, "fe80::1")
        if kinds[n] == "cpe":
            dev.ra = [a["if_index"] for a in dev.addresses
                      if a["family"] == "ipv6" and a["address"].startswith(PROVINCE_V6)]
    for n in cpes + routers + [core]:
        dev = devices[n]
        if dev.interfaces:
            dev.v4_default = (dev.uplink or dev.interfaces[0]["index"], "10.30.0.1")
    for n in servers:
        dev = devices[n]
        if dev.profile != "windows" and not dev.legacy:
            dev.listeners = [("tcp", "any", 22), ("tcp", "any", 443), ("udp", "any", 161)]
    global6 = lambda ks: sorted(n for n in devices if kinds[n] in ks and devices[n].ipv6 == "global"
                                and alive(n) and n not in planted["slow"])
    picked = set()
    def plant(fault, candidates):
        pool = [n for n in candidates if n not in picked]
        if not pool:
            return None
        n = rng.choice(pool)
        picked.add(n)
        devices[n].ipv6_fault = fault
        return n
    no_default = [plant("no-default", global6(["server"])), plant("no-default", global6(["district-router"]))]
    for n in no_default:
        if n:
            devices[n].v6_default = devices[n].v6_router = None
    doc = plant("documentation", global6(["server"]))
    if doc:
        e = devices[doc].interfaces[-1]["index"]
        devices[doc].add_addr(e, "2001:db8:4001::10/64")
    dup = plant("duplicate", global6(["l2-switch", "l3-switch", "firewall"]))
    if dup:
        addr = next(a for a in devices[dup].addresses
                    if a["family"] == "ipv6" and a["address"].startswith(PROVINCE_V6))
        devices[dup].addr_status[addr["address"]] = 7
    v4only = plant("v4-only-service", global6(["server"]))
    if v4only:
        devices[v4only].listeners = [("tcp", "any", 22), ("tcp", "ipv4", 443), ("udp", "any", 161)]
    for fault in ("no-default", "documentation", "duplicate", "v4-only-service"):
        planted["ipv6_" + fault.replace("-", "_")] = sorted(n for n, d in devices.items()
                                                            if d.ipv6_fault == fault)

    # A real fault on a district router's true uplink (one that numbers its downlinks first, so
    # the lowest-ifIndex guess would name a downlink): down at both ends, LLDP gone. An IPv4-only
    # router is chosen where there is one, so that its IPv6 level stays what it was.
    odd = [n for n in routers if dnum[by_name[n]["district"]] % 2 == 1 and alive(n)]
    pick = sorted([n for n in odd if devices[n].ipv6 == "none"] or odd)[:1]
    for n in pick:
        r = devices[n]
        next(i for i in r.interfaces if i["index"] == r.uplink)["oper_status"] = "down"
        r.neighbors = [x for x in r.neighbors if x[0] != r.uplink]
        port = core_port[by_name[n]["district"]]
        next(i for i in c.interfaces if i["index"] == port)["oper_status"] = "down"
        c.neighbors = [x for x in c.neighbors if x[0] != port]
    planted["district_uplink_down"] = pick
    # A configured uplink that LLDP contradicts: inventory.toml names the commune CPE's LAN
    # port as its uplink, LLDP shows the district router on its real uplink.
    wrong = sorted(n for n in cpes if tslcd[n] == "connected" and alive(n) and n not in planted["wrong_community"]
                   and (not fed or n not in fed) and devices[n].legacy is False)[:1]
    planted["uplink_contradicted"] = wrong
    settings = []
    if fed:
        settings.append((by_name[fed[0]]["site"], {"upstream": fed[1]}))
    for n in wrong:
        lan = next(i for i in devices[n].interfaces if i["index"] != devices[n].uplink)
        settings.append((by_name[n]["site"], {"uplink": lan["name"] or lan["descr"]}))
    planted["site_settings"] = settings
    planted["tslcd_missing"] = sorted(n for n in cpes if tslcd[n] == "missing")
    planted["tslcd_down"] = sorted(n for n in cpes if tslcd[n] == "down")
    planted["tslcd_degraded"] = sorted(n for n in cpes if tslcd[n] == "degraded")
    planted["no_ipv6"] = sorted(n for n, d in devices.items() if d.ipv6 == "none")
    planted["link_local_only"] = sorted(n for n, d in devices.items() if d.ipv6 == "link-local")
    planted["legacy_ip_mib"] = sorted(n for n, d in devices.items() if d.legacy)
    dead = set(planted["unreachable"]) | set(planted["missing_servers"])
    return devices, dead, planted


# ---- processes ------------------------------------------------------------------------------

def snmpsim_command(run, name, endpoints, v3):
    data = os.path.join(run, name, "data")
    # --max-varbinds: snmpsim 0.4.5's --v2c-arch GETBULK computes min(max-repetitions,
    # max-varbinds / columns) with Python 3's float division, and its loop `while M: M -= 1` then
    # never ends unless the min is the (integer) max-repetitions. A large cap keeps it so for any
    # request of up to 4096 varbinds (netinv asks at most 100), and the agent answers normally.
    cmd = ["snmpsimd", f"--data-dir={data}", f"--cache-dir={os.path.join(run, name, 'cache')}",
           "--logging-method=null", "--max-varbinds=4096"]
    if os.geteuid() == 0:
        cmd += ["--process-user=nobody", "--process-group=nogroup"]
    if v3:
        cmd += [f"--v3-user={V3_USER}", f"--v3-auth-key={SECRETS['NETINV_V3_AUTH']}",
                "--v3-auth-proto=SHA256", f"--v3-priv-key={SECRETS['NETINV_V3_PRIV']}",
                "--v3-priv-proto=AES"]
    else:
        cmd += ["--v2c-arch"]
    cmd += [f"--agent-udpv4-endpoint={ep}" for ep in endpoints]
    return cmd


def wait_ready(endpoint, community, deadline, proc):
    host, port = endpoint.rsplit(":", 1)
    while time.time() < deadline and proc.poll() is None:
        r = subprocess.run(["snmpget", "-v2c", "-c", community, "-t", "0.5", "-r", "0", "-On",
                            f"{host}:{port}", "1.3.6.1.2.1.1.5.0"],
                           capture_output=True, text=True, env=dict(os.environ, MIBS=""))
        if r.returncode == 0 and "1.3.6.1.2.1.1.5.0" in r.stdout:
            return True
        time.sleep(0.2)
    return False


def wait_ready_v3(endpoint, deadline, proc):
    host, port = endpoint.rsplit(":", 1)
    while time.time() < deadline and proc.poll() is None:
        r = subprocess.run(["snmpget", "-v3", "-l", "authPriv", "-u", V3_USER, "-a", "SHA-256",
                            "-A", SECRETS["NETINV_V3_AUTH"], "-x", "AES", "-X", SECRETS["NETINV_V3_PRIV"],
                            "-t", "0.5", "-r", "0", "-On", f"{host}:{port}", "1.3.6.1.2.1.1.5.0"],
                           capture_output=True, text=True, env=dict(os.environ, MIBS=""))
        if r.returncode == 0 and "1.3.6.1.2.1.1.5.0" in r.stdout:
            return True
        time.sleep(0.2)
    return False


def ipv6_hosts(run, count, truth):
    """As root: `count` hosts, each a real snmpd in a network namespace of its own, reached over
    a veth pair with real IPv6 addresses (fd00:4001:<run>:<n>::/64) and IPv4 (198.18.<n>.0/24, the
    benchmarking range). Writes DIR/ipv6.toml to scan them over IPv6, and DIR/ipv6-dual.toml to
    scan them over IPv4 with [ipv6] management_prefixes, so that a scan polls each again over
    its own IPv6 address (checklist C06); the last host's agent listens on IPv4 only, so its
    C06 fails. Returns the PIDs it started."""
    if count == 0:
        return []
    if os.geteuid() != 0 or not shutil.which("ip"):
        print(f"lab: not root: skipped {count} IPv6 hosts in network namespaces (SNMP over IPv6 "
              f"is then tested against ::1 only)", file=sys.stderr)
        return []
    tag = f"{os.getpid() % 10000:04d}"
    remove_stale_netns(tag)
    pids, names = [], []
    conf_toml = ('[defaults]\ntimeout_ms = 1000\nretries = 1\n\n[credential.server-v2c]\nversion = "2c"\n'
                 'community_env = "NETINV_SERVER_COMMUNITY"\n')
    dual_toml = conf_toml + '\n[ipv6]\nmanagement_prefixes = ["fd00:4001::/32"]\n'
    for n in range(1, count + 1):
        ns, host_if, ns_if = f"nilab{tag}-{n}", f"nil{tag}h{n}", f"nil{tag}n{n}"
        # The run's own /64s: a namespace that a killed run left behind holds routes to its
        # prefixes, which would swallow this run's packets if the addresses were the same.
        host_ip, ns_ip = f"fd00:4001:{int(tag):x}:{n:x}::1", f"fd00:4001:{int(tag):x}:{n:x}::2"
        host_ip4, ns_ip4 = f"198.18.{n}.1", f"198.18.{n}.2"
        v6_agent = n < count or count == 1
        cmds = [["ip", "netns", "add", ns],
                ["ip", "link", "add", host_if, "type", "veth", "peer", "name", ns_if, "netns", ns],
                ["ip", "-6", "addr", "add", f"{host_ip}/64", "dev", host_if, "nodad"],
                ["ip", "link", "set", host_if, "up"],
                ["ip", "-n", ns, "link", "set", "lo", "up"],
                ["ip", "-n", ns, "-6", "addr", "add", f"{ns_ip}/64", "dev", ns_if, "nodad"],
                ["ip", "addr", "add", f"{host_ip4}/24", "dev", host_if],
                ["ip", "-n", ns, "addr", "add", f"{ns_ip4}/24", "dev", ns_if],
                ["ip", "-n", ns, "link", "set", ns_if, "up"]]
        for c in cmds:
            r = subprocess.run(c, capture_output=True, text=True)
            if r.returncode != 0:
                die(f"{' '.join(c)}: {r.stderr.strip()}")
        names.append((ns, host_if))
        d = os.path.join(run, "ipv6", str(n))
        os.makedirs(d)
        name = f"v6-srv-{n}"
        with open(os.path.join(d, "snmpd.conf"), "w") as f:
            f.write(f"rocommunity6 {SECRETS['NETINV_SERVER_COMMUNITY']} fd00:4001::/32\n"
                    f"rocommunity {SECRETS['NETINV_SERVER_COMMUNITY']} 198.18.0.0/16\n"
                    f"sysname {name}\nsyslocation Trung tâm dữ liệu tỉnh (IPv6)\n")
        listen = [f"udp:{ns_ip4}:161"] + ([f"udp6:[{ns_ip}]:161"] if v6_agent else [])
        p = subprocess.Popen(["ip", "netns", "exec", ns, "/usr/sbin/snmpd", "-f", "-C", "-c",
                              os.path.join(d, "snmpd.conf"), "-Lf", os.path.join(d, "log"),
                              ",".join(listen)],
                             env=dict(os.environ, MIBS="", SNMP_PERSISTENT_DIR=d),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        pids.append(p.pid)
        if v6_agent:
            conf_toml += (f'\n[[target]]\nname = "{name}"\naddress = "{ns_ip}"\nrole = "server"\n'
                          f'credential = "server-v2c"\n')
        dual_toml += (f'\n[[target]]\nname = "{name}"\naddress = "{ns_ip4}"\nrole = "server"\n'
                      f'credential = "server-v2c"\n')
        truth[name] = {"outcome": "ok", "sys_name": name, "address": ns_ip, "prefix_length": 64,
                       "address4": ns_ip4, "c06": "pass" if v6_agent else "fail"}
    with open(os.path.join(run, "netns"), "w") as f:
        f.write("".join(f"{ns} {host_if}\n" for ns, host_if in names))
    with open(os.path.join(run, "ipv6.toml"), "w") as f:
        f.write(conf_toml)
    with open(os.path.join(run, "ipv6-dual.toml"), "w") as f:
        f.write(dual_toml)
    deadline = time.time() + 30
    for name, t in truth.items():
        while time.time() < deadline:
            r = subprocess.run(["snmpget", "-v2c", "-c", SECRETS["NETINV_SERVER_COMMUNITY"], "-t", "0.5",
                                "-r", "0", f"udp:{t['address4']}:161", "1.3.6.1.2.1.1.5.0"],
                               capture_output=True, env=dict(os.environ, MIBS=""))
            if r.returncode == 0:
                break
            time.sleep(0.2)
    return pids


def remove_stale_netns(tag):
    """Namespaces of lab runs that were killed before `down` (their names carry another run's
    tag and no process lives in them): removed with their veth pairs, which would otherwise keep
    routes to 198.18.<n>.0/24 that shadow this run's."""
    r = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        ns = line.split()[0] if line.split() else ""
        m = re.fullmatch(r"nilab(\d{4})-(\d+)", ns)
        if not m or m.group(1) == tag:
            continue
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
        if pids.returncode == 0 and not pids.stdout.strip():
            subprocess.run(["ip", "link", "del", f"nil{m.group(1)}h{m.group(2)}"], capture_output=True)
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
            print(f"lab: removed {ns}, left behind by a lab run that was killed", file=sys.stderr)


def remove_netns(run):
    path = os.path.join(run, "netns")
    if not os.path.exists(path):
        return
    for line in open(path):
        ns, host_if = line.split()
        subprocess.run(["ip", "link", "del", host_if], capture_output=True)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    os.remove(path)


def kill_and_wait(pids):
    """SIGTERM, up to 5 s, then SIGKILL: only the PIDs the lab started."""
    stopped = 0
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
            stopped += 1
        except ProcessLookupError:
            continue
    deadline = time.time() + 5
    for pid in pids:
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return stopped


def stop_pids(run):
    path = os.path.join(run, "pids")
    if not os.path.exists(path):
        return 0
    with open(path) as f:
        pids = [int(x) for x in f.read().split()]
    stopped = kill_and_wait(pids)
    os.remove(path)
    remove_netns(run)
    return stopped


SIM_GROUPS = ("communes", "servers", "network", "slow")


def start_sim(run, targets, devices, dead, planted):
    """Writes every live device's recording and starts one snmpsim process per group. Returns
    (processes, their PIDs, how many targets answer)."""
    groups = {g: [] for g in SIM_GROUPS}
    for t in targets:
        n = t["name"]
        if n in dead:
            continue
        g = ("slow" if n in planted["slow"] else "network" if t["snmp_version"] == "3" else
             "servers" if t["role"] == "server" else "communes")
        groups[g].append(t)
    community = {"communes": SECRETS["NETINV_COMMUNITY"], "servers": SECRETS["NETINV_SERVER_COMMUNITY"],
                 "slow": SECRETS["NETINV_SERVER_COMMUNITY"]}
    pids, procs = [], []
    for g, members in groups.items():
        shutil.rmtree(os.path.join(run, g), ignore_errors=True)
        if not members:
            continue
        v3 = g == "network"
        data = os.path.join(run, g, "data")
        os.makedirs(os.path.join(run, g, "cache"))
        endpoints = []
        for i, t in enumerate(members):
            endpoints.append(f"{t['address']}:{t['port']}")
            if v3:
                folder = data
            else:
                comm = community[g] if t["name"] not in planted["wrong_community"] else "wrong-" + community[g]
                folder = os.path.join(data, comm)
            os.makedirs(folder, exist_ok=True)
            write_snmprec(os.path.join(folder, f"{UDP_DOMAIN}.{i}.snmprec"),
                          devices[t["name"]].records(slow=(g == "slow")))
        for root, dirs, files in os.walk(os.path.join(run, g)):
            os.chmod(root, 0o777 if root.endswith("cache") else 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        log = open(os.path.join(run, f"{g}.log"), "w")
        p = subprocess.Popen(snmpsim_command(run, g, endpoints, v3), stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        pids.append(p.pid)
        procs.append((g, p, members, v3, community.get(g)))
    with open(os.path.join(run, "sim-pids"), "w") as f:
        f.write("\n".join(str(p) for p in pids) + "\n")
    return procs, pids, sum(len(m) for m in groups.values())


def wait_sim(run, procs, planted):
    deadline = time.time() + 60
    for g, p, members, v3, community in procs:
        probe = next((t for t in members if t["name"] not in planted["wrong_community"]), members[0])
        ep = f"{probe['address']}:{probe['port']}"
        ok = wait_ready_v3(ep, deadline, p) if v3 else wait_ready(ep, community, deadline, p)
        if not ok or p.poll() is not None:
            stop_pids(run)
            die(f"snmpsim for {g} did not come up; see {run}/{g}.log")


def link_truth(targets, devices, dead, planted):
    """What `netinv gaps` must say of each commune's and district's TSLCD uplink: status,
    interface, upstream device."""
    out = {}
    silent = set(dead) | set(planted["wrong_community"])
    by_name = {t["name"]: t for t in targets}
    for t in targets:
        n, d = t["name"], devices[t["name"]]
        if t["role"] == "cpe":
            up = d.fed_through or f"dr-{t['district']}"
            if n in silent:
                out[t["site"]] = dict(status="unverified", interface=None, upstream=up)
                continue
            status = {"connected": "connected", "missing": "missing", "down": "degraded",
                      "degraded": "degraded"}[d.tslcd]
            itf = next((i["name"] or i["descr"] for i in d.interfaces if i["index"] == d.uplink), None)
            if n in planted["uplink_contradicted"]:
                status = "unverified"
                itf = next(i["name"] or i["descr"] for i in d.interfaces if i["index"] != d.uplink)
            out[t["site"]] = dict(status=status, interface=itf if status != "missing" else None,
                                  upstream=up)
        elif t["role"] == "router" and t["site_kind"] == "district":
            if n in silent:
                out[t["site"]] = dict(status="unverified", interface=None, upstream="core-1")
                continue
            itf = next(i["name"] or i["descr"] for i in d.interfaces if i["index"] == d.uplink)
            out[t["site"]] = dict(status="degraded" if n in planted["district_uplink_down"] else "connected",
                                  interface=itf, upstream="core-1")
    return out


def site_settings_toml(targets, planted):
    """The [[site_settings]] an administrator writes for what the lab planted (DIR/sites.toml)."""
    lines = ["", "# What the administrator knows of the simulated province (lab.py)."]
    for code, keys in planted["site_settings"]:
        lines += ["[[site_settings]]", f'code = "{code}"']
        lines += [f'{k} = "{v}"' for k, v in keys.items()]
    return "\n".join(lines) + "\n"


def write_truth(run, truth, targets, devices, dead, planted):
    for t in targets:
        n = t["name"]
        if n in dead or n in planted["wrong_community"]:
            truth["targets"][n] = {"outcome": "timeout"}
        else:
            truth["targets"][n] = devices[n].truth()
    truth["links"] = link_truth(targets, devices, dead, planted)
    with open(os.path.join(run, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
    with open(os.path.join(run, "sites.toml"), "w", encoding="utf-8") as f:
        f.write(site_settings_toml(targets, planted))


def up(args):
    run = os.path.abspath(args.dir)
    if os.path.exists(os.path.join(run, "pids")):
        stop_pids(run)
    shutil.rmtree(run, ignore_errors=True)
    os.makedirs(run)
    os.chmod(run, 0o755)  # snmpsim drops to 'nobody' when started as root
    if os.geteuid() == 0:
        d = run
        while d != "/":
            d = os.path.dirname(d)
            if not os.stat(d).st_mode & 0o001:
                die(f"{d} is not searchable by others, so snmpsim (which runs as 'nobody' when "
                    f"started as root) cannot read {run}; use --dir under /tmp or chmod o+x {d}")
    env = dict(os.environ)
    out = subprocess.run([args.netinv, "config", "targets", "--format", "json", "--config", args.config],
                         capture_output=True, text=True, env=env)
    if out.returncode != 0:
        die(f"netinv config targets failed:\n{out.stderr}")
    targets = json.loads(out.stdout)["targets"]
    # snmpsim binds with SO_REUSEADDR, so a second lab on the same addresses would start and
    # silently share them with the first. A plain bind tells.
    for t in targets:
        with socket.socket(socket.AF_INET6 if ":" in t["address"] else socket.AF_INET,
                           socket.SOCK_DGRAM) as probe:
            try:
                probe.bind((t["address"], t["port"]))
            except OSError as e:
                die(f"{t['address']}:{t['port']} ({t['name']}) is already in use: {e.strerror}; "
                    f"is another lab running? ('lab.py down --dir DIR' stops it)")
    devices, dead, planted = build(targets, args.seed)

    procs, pids, live = start_sim(run, targets, devices, dead, planted)
    ipv6_truth = {}
    pids += ipv6_hosts(run, args.ipv6_hosts, ipv6_truth)
    with open(os.path.join(run, "pids"), "w") as f:
        f.write("\n".join(str(p) for p in pids) + "\n")
    wait_sim(run, procs, planted)
    with open(os.path.join(run, "lab.json"), "w") as f:
        json.dump({"seed": args.seed, "config": os.path.abspath(args.config),
                   "netinv": os.path.abspath(args.netinv)}, f)

    truth = {"seed": args.seed, "planted": planted, "targets": {}, "ipv6_hosts": ipv6_truth}
    write_truth(run, truth, targets, devices, dead, planted)
    with open(os.path.join(run, "env"), "w") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write("".join(f"export {k}={v}\n" for k, v in SECRETS.items()))
    print(f"lab: up in {run}: {live} of {len(targets)} targets answering ({len(procs)} snmpsim processes, "
          f"seed {args.seed}); secrets in {run}/env, planted faults in {run}/truth.json")


def running_lab(args):
    """The running lab's folder, its lab.json, and the targets its configuration expands to."""
    run = os.path.abspath(args.dir)
    with open(os.path.join(run, "lab.json")) as f:
        lab = json.load(f)
    out = subprocess.run([lab["netinv"], "config", "targets", "--format", "json", "--config", lab["config"]],
                         capture_output=True, text=True)
    if out.returncode != 0:
        die(f"netinv config targets failed:\n{out.stderr}")
    return run, lab, json.loads(out.stdout)["targets"]


def change(args):
    """Changes the running province the way a night does: a commune's TSLCD link goes down (both
    ends), a server loses its IPv6 address, a box is swapped for another (new serial), a missing
    server comes up. Restarts the snmpsim agents with the new recordings, rewrites truth.json,
    and writes DIR/changes.json with the changes `netinv diff` must list."""
    run, lab, targets = running_lab(args)
    with open(os.path.join(run, "truth.json"), encoding="utf-8") as f:
        truth = json.load(f)
    by_name = {t["name"]: t for t in targets}
    devices, dead, planted = build(targets, lab["seed"])
    rng = random.Random(lab["seed"] * 7919)
    ok = lambda n: n not in dead and n not in planted["wrong_community"] and n not in planted["slow"]
    changes = []
    name_of = lambda d, i: next(x["name"] or x["descr"] for x in d.interfaces if x["index"] == i)
    # 1. A commune's TSLCD link goes down: the CPE's uplink and the district router's port.
    cpe = rng.choice(sorted(n for n, d in devices.items() if d.tslcd == "connected" and ok(n)
                            and ok(f"dr-{by_name[n]['district']}") and not d.fed_through
                            and n not in planted["uplink_contradicted"]))
    router = devices[f"dr-{by_name[cpe]['district']}"]
    c = devices[cpe]
    c_port, r_port = c.neighbors[0][0], next(l for l, n, p in router.neighbors if n == c.sys_name)
    for dev, port in ((c, c_port), (router, r_port)):
        next(x for x in dev.interfaces if x["index"] == port)["oper_status"] = "down"
        gone = [x for x in dev.neighbors if x[0] == port]
        dev.neighbors = [x for x in dev.neighbors if x[0] != port]
        changes.append({"kind": "interface-down", "target": dev.name, "subject": name_of(dev, port)})
        changes.append({"kind": "lldp-changed", "target": dev.name, "subject": name_of(dev, port),
                        "before": f"{gone[0][1]} {gone[0][2]}", "after": "none"})
    c.tslcd = "down"
    # 2. A server loses its IPv6 address.
    srv = rng.choice(sorted(n for n, d in devices.items() if by_name[n]["role"] == "server" and ok(n)
                            and d.ipv6 == "global" and not d.ipv6_fault))
    s6 = devices[srv]
    lost = next(a for a in s6.addresses if a["family"] == "ipv6" and a["address"].startswith(PROVINCE_V6))
    s6.addresses.remove(lost)
    changes.append({"kind": "address-removed", "target": srv,
                    "subject": f"{lost['address']}/{lost['prefix_length']}"})
    # 3. A box swapped for another of the same model: a new serial at the same address.
    box = rng.choice(sorted(n for n, d in devices.items() if d.serial and ok(n) and n not in (cpe, router.name)))
    old_serial = devices[box].serial
    devices[box].serial = old_serial[:2] + str(rng.randrange(10**9, 10**10))
    changes.append({"kind": "device-swapped", "target": box, "before": old_serial,
                    "after": devices[box].serial})
    # 4. A server that was missing comes up.
    added = sorted(planted["missing_servers"])[0]
    dead.discard(added)
    planted["missing_servers"].remove(added)
    changes.append({"kind": "device-added", "target": added})
    # A night passed for everyone: uptime and counters grow (netinv's C07 measures the traffic).
    for d in devices.values():
        d.nights = 1
    live = restart_sim(run, targets, devices, dead, planted)
    truth["planted"] = planted
    write_truth(run, truth, targets, devices, dead, planted)
    with open(os.path.join(run, "changes.json"), "w", encoding="utf-8") as f:
        json.dump(changes, f, ensure_ascii=False, indent=1)
    print(f"lab: changed {len(changes)} things ({run}/changes.json); {live} targets answering")


def restart_sim(run, targets, devices, dead, planted):
    """Stops the snmpsim agents the lab runs and starts them again with `devices`' recordings
    (the namespace hosts stay). Returns how many targets answer."""
    sim = os.path.join(run, "sim-pids")
    if os.path.exists(sim):
        with open(sim) as f:
            old = [int(x) for x in f.read().split()]
        kill_and_wait(old)
    else:
        old = []
    procs, new_pids, live = start_sim(run, targets, devices, dead, planted)
    with open(os.path.join(run, "pids")) as f:
        pids = [int(x) for x in f.read().split() if int(x) not in old]
    with open(os.path.join(run, "pids"), "w") as f:
        f.write("\n".join(str(p) for p in pids + new_pids) + "\n")
    wait_sim(run, procs, planted)
    return live


def slow(args):
    """Makes one table of the slow agent answer after 4 s (longer than any timeout netinv uses
    here), so that its IPv6 walk is always cut short: a planted slow table, for the test that an
    unchanged night with walks cut short stores no change. The agents restart with the same
    recordings otherwise (the same night)."""
    run, lab, targets = running_lab(args)
    devices, dead, planted = build(targets, lab["seed"])
    for n in planted["slow"]:
        devices[n].slow_table = True
    restart_sim(run, targets, devices, dead, planted)
    print(f"lab: slow table on {', '.join(planted['slow'])}")


def down(args):
    run = os.path.abspath(args.dir)
    n = stop_pids(run)
    print(f"lab: down: stopped {n} processes" if n else "lab: nothing running")


def status(args):
    run = os.path.abspath(args.dir)
    path = os.path.join(run, "pids")
    if not os.path.exists(path):
        print("lab: not running")
        return 1
    with open(path) as f:
        pids = [int(x) for x in f.read().split()]
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
    print(f"lab: {len(alive)} of {len(pids)} processes running in {run}")
    return 0 if len(alive) == len(pids) else 1


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(prog="lab", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("up", help="generate the province and start its agents")
    u.add_argument("--seed", type=int, default=1)
    u.add_argument("--ipv6-hosts", type=int, default=3,
                   help="as root: hosts in network namespaces reached over real IPv6 (DIR/ipv6.toml)")
    u.add_argument("--config", default=os.path.join(here, "..", "inventory.toml"))
    u.add_argument("--netinv", default=shutil.which("netinv") or os.path.join(here, "..", "build", "cli", "netinv"))
    for p in (u, sub.add_parser("down", help="stop every process the lab started"),
              sub.add_parser("change", help="change the running province as a night does "
                                            "(DIR/changes.json says how)"),
              sub.add_parser("slow", help="make the slow agent's IPv6 walk always time out"),
              sub.add_parser("status", help="say whether the lab is running")):
        p.add_argument("--dir", default=DEFAULT_DIR)
    args = ap.parse_args()
    return {"up": up, "down": down, "change": change, "slow": slow,
            "status": status}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
