// SPDX-License-Identifier: Apache-2.0
//
// Identity: model, serial and software version, the OS, and a role.
//
// The ENTITY-MIB chassis row comes first (entPhysicalClass chassis(3), the lowest index): model
// from entPhysicalModelName (its description when the model is empty), serial from
// entPhysicalSerialNum, version from entPhysicalSoftwareRev then FirmwareRev. Vendor objects
// fill what it lacks, for vendors whose agents have no usable ENTITY-MIB (Fortinet, MikroTik,
// Synology, APC, Dell iDRAC). sysDescr patterns name the OS and, last, the version.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>

#include "model/vendor.hpp"
#include "probes/mib/mib.hpp"

namespace netinv::probes::mib {

namespace {

const Oid k_ent_physical_entry = {1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1};

struct VendorObjects {
    std::uint32_t enterprise;
    std::optional<Oid> model;
    std::optional<Oid> serial;
    std::optional<Oid> version;
};

const std::vector<VendorObjects>& vendor_objects() {
    static const std::vector<VendorObjects> v = {
        // FORTINET-FORTIGATE-MIB fnSysVersion, FORTINET-CORE-MIB fnSysSerial
        {12356, std::nullopt, Oid{1, 3, 6, 1, 4, 1, 12356, 100, 1, 1, 1, 0},
         Oid{1, 3, 6, 1, 4, 1, 12356, 101, 4, 1, 1, 0}},
        // MIKROTIK-MIB mtxrSerialNumber, mtxrLicVersion
        {14988, std::nullopt, Oid{1, 3, 6, 1, 4, 1, 14988, 1, 1, 7, 3, 0},
         Oid{1, 3, 6, 1, 4, 1, 14988, 1, 1, 4, 4, 0}},
        // SYNOLOGY-SYSTEM-MIB modelName, serialNumber, version
        {6574, Oid{1, 3, 6, 1, 4, 1, 6574, 1, 5, 1, 0}, Oid{1, 3, 6, 1, 4, 1, 6574, 1, 5, 2, 0},
         Oid{1, 3, 6, 1, 4, 1, 6574, 1, 5, 3, 0}},
        // PowerNet-MIB upsBasicIdentModel, upsAdvIdentSerialNumber, upsAdvIdentFirmwareRevision
        {318, Oid{1, 3, 6, 1, 4, 1, 318, 1, 1, 1, 1, 1, 1, 0},
         Oid{1, 3, 6, 1, 4, 1, 318, 1, 1, 1, 1, 2, 3, 0},
         Oid{1, 3, 6, 1, 4, 1, 318, 1, 1, 1, 1, 2, 1, 0}},
        // IDRAC-MIB systemModelName; DELL-RAC-MIB drsSystemServiceTag, drsFirmwareVersion
        // (iDRAC 7, 8 and 9 all answer these)
        {674, Oid{1, 3, 6, 1, 4, 1, 674, 10892, 5, 1, 3, 12, 0},
         Oid{1, 3, 6, 1, 4, 1, 674, 10892, 2, 1, 1, 11, 0},
         Oid{1, 3, 6, 1, 4, 1, 674, 10892, 2, 1, 2, 1, 0}},
        // CPQSINFO-MIB cpqSiProductName, cpqSiSysSerialNum (HPE iLO and ProLiant agents)
        {232, Oid{1, 3, 6, 1, 4, 1, 232, 2, 2, 4, 2, 0}, Oid{1, 3, 6, 1, 4, 1, 232, 2, 2, 2, 1, 0},
         std::nullopt},
        // XUPS-MIB xupsIdentModel, xupsIdentSoftwareVersion (Eaton UPS cards)
        {534, Oid{1, 3, 6, 1, 4, 1, 534, 1, 1, 2, 0}, std::nullopt,
         Oid{1, 3, 6, 1, 4, 1, 534, 1, 1, 3, 0}},
        // Synology DSM reports net-snmp's sysObjectID: every net-snmp agent is asked for the
        // SYNOLOGY-SYSTEM-MIB objects; a plain Linux host answers noSuchObject.
        {8072, Oid{1, 3, 6, 1, 4, 1, 6574, 1, 5, 1, 0}, Oid{1, 3, 6, 1, 4, 1, 6574, 1, 5, 2, 0},
         Oid{1, 3, 6, 1, 4, 1, 6574, 1, 5, 3, 0}},
    };
    return v;
}

const VendorObjects* objects_for(const model::Device& d) {
    if (!d.sys_object_id) {
        return nullptr;
    }
    auto n = model::enterprise_number(*d.sys_object_id);
    if (!n) {
        return nullptr;
    }
    auto it = std::ranges::find(vendor_objects(), *n, &VendorObjects::enterprise);
    return it == vendor_objects().end() ? nullptr : &*it;
}

std::optional<std::string> first_match(const std::string& text, const std::regex& re) {
    std::smatch m;
    if (std::regex_search(text, m, re) && m.size() > 1 && m[1].matched && m[1].length() > 0) {
        return m[1].str();
    }
    return std::nullopt;
}

// OS, version and model from sysDescr, for the platforms of government networks.
void from_sys_descr(const std::string& s, std::optional<std::string>& os,
                    std::optional<std::string>& version, std::optional<std::string>& model) {
    static const std::regex cisco_version(R"(Version ([^ ,]+))");
    static const std::regex junos(R"(JUNOS ([^ ,\]]+))");
    static const std::regex vrp(R"(Version ([0-9.]+) \((?:\S+ )?(V\w+)\))");
    static const std::regex linux_release(R"(^Linux \S+ (\S+))");
    static const std::regex freebsd_release(R"(^FreeBSD \S+ (\S+))");
    static const std::regex windows(R"(Windows Version ([0-9.]+ \(Build \d+))");
    static const std::regex routeros(R"(^RouterOS (\S+))");
    static const std::regex draytek_model(R"(Router Model: ([^,]+))");
    static const std::regex draytek_version(R"(Version: ([^,]+))");
    static const std::regex procurve(R"(revision ([^ ,]+))");
    static const std::regex comware(R"(Software Version ([^ ,]+))");
    static const std::regex esxi(R"(VMware ESXi ([^ ]+))");
    static const std::regex fortigate(R"(v(\d+\.\d+\.\d+))");
    static const std::regex aoscx(R"(\b([A-Z]{2}\.\d{2}\.\d{2}\.\d{4})\b)");
    static const std::regex ilo(R"(Integrated Lights-Out \d+ ([0-9.]+))");
    static const std::regex apc_aos(R"(PF:(v[0-9.]+))");
    auto set = [](std::optional<std::string>& field, std::optional<std::string> v) {
        if (!field && v) {
            field = std::move(v);
        }
    };
    if (s.find("Adaptive Security Appliance") != std::string::npos) {
        set(os, "ASA");
        set(version, first_match(s, cisco_version));
    } else if (s.find("NX-OS") != std::string::npos) {
        set(os, "NX-OS");
        set(version, first_match(s, cisco_version));
    } else if (s.find("IOS XE") != std::string::npos || s.find("IOS-XE") != std::string::npos ||
               s.find("IOSXE") != std::string::npos || s.find("LINUX_IOSD") != std::string::npos) {
        set(os, "IOS-XE");
        set(version, first_match(s, cisco_version));
    } else if (s.find("Cisco IOS") != std::string::npos ||
               s.find("IOS (tm)") != std::string::npos) {
        set(os, "IOS");
        set(version, first_match(s, cisco_version));
    } else if (s.find("JUNOS") != std::string::npos) {
        set(os, "JunOS");
        set(version, first_match(s, junos));
    } else if (s.find("Versatile Routing Platform") != std::string::npos) {
        set(os, "VRP");
        std::smatch m;
        if (std::regex_search(s, m, vrp)) {
            set(version, fmt::format("{} ({})", m[1].str(), m[2].str()));
        }
    } else if (s.find("ArubaOS-CX") != std::string::npos ||
               (s.starts_with("Aruba ") && std::regex_search(s, aoscx))) {
        set(os, "ArubaOS-CX");
        set(version, first_match(s, aoscx));
    } else if (s.find("Integrated Lights-Out") != std::string::npos) {
        set(os, "iLO");
        set(version, first_match(s, ilo));
    } else if (s.starts_with("APC ") && s.find("Management Card") != std::string::npos) {
        set(os, "AOS");
        set(version, first_match(s, apc_aos));
    } else if (s.find("Comware") != std::string::npos) {
        set(os, "Comware");
        set(version, first_match(s, comware));
    } else if (s.find("RouterOS") != std::string::npos) {
        set(os, "RouterOS");
        set(model, first_match(s, routeros));
    } else if (s.find("DrayTek") != std::string::npos) {
        set(os, "DrayOS");
        set(model, first_match(s, draytek_model));
        set(version, first_match(s, draytek_version));
    } else if (s.find("ProCurve") != std::string::npos ||
               (s.starts_with("HP ") && s.find("Switch") != std::string::npos)) {
        set(os, "ProCurve");
        set(version, first_match(s, procurve));
    } else if (s.starts_with("FortiGate") || s.starts_with("FGT")) {
        set(os, "FortiOS");
        set(version, first_match(s, fortigate));
    } else if (s.find("VMware ESXi") != std::string::npos) {
        set(os, "ESXi");
        set(version, first_match(s, esxi));
    } else if (s.find("Windows") != std::string::npos) {
        set(os, "Windows");
        auto v = first_match(s, windows);
        set(version, v ? std::optional<std::string>(*v + ")") : std::nullopt);
    } else if (s.starts_with("Linux ")) {
        set(os, "Linux");
        set(version, first_match(s, linux_release));
    } else if (s.starts_with("FreeBSD ")) {
        set(os, "FreeBSD");
        set(version, first_match(s, freebsd_release));
    }
}

std::optional<std::string> guess_role(const model::Device& d, std::optional<std::int64_t> services,
                                      std::optional<std::int64_t> forwarding) {
    const std::string vendor = d.vendor.value_or("");
    const std::string os = d.os.value_or("");
    if (vendor == "Fortinet" || vendor == "Palo Alto Networks" || vendor == "SonicWall" ||
        vendor == "Check Point" || vendor == "Sophos" || os == "ASA") {
        return "firewall";
    }
    if (vendor == "APC" || vendor == "Eaton") {
        return "ups";
    }
    if (vendor == "Synology" || vendor == "NetApp" || vendor == "TrueNAS") {
        return "storage";
    }
    if (os == "Windows" || os == "ESXi" || os == "Linux" || os == "FreeBSD" || vendor == "Dell") {
        return "server";
    }
    if (os == "RouterOS" || os == "DrayOS") {
        return "cpe";
    }
    // sysServices (RFC 3418): bit 2 (value 4) internet/layer 3, bit 1 (value 2) datalink.
    if (services) {
        const bool l3 = (*services & 4) != 0;
        const bool l2 = (*services & 2) != 0;
        if (l3 && l2) {
            return "l3-switch";
        }
        if (l3) {
            return "router";
        }
        if (l2) {
            return "l2-switch";
        }
    }
    if (forwarding && *forwarding == 1) {
        return "router";
    }
    return std::nullopt;
}

} // namespace

const std::vector<Oid>& entity_columns() {
    static const std::vector<Oid> cols = columns(k_ent_physical_entry, {2, 5, 9, 10, 11, 13});
    return cols;
}

std::vector<Oid> vendor_scalars(const model::Device& d) {
    std::vector<Oid> out;
    if (const VendorObjects* v = objects_for(d)) {
        for (const auto* o : {&v->model, &v->serial, &v->version}) {
            if (*o) {
                out.push_back(**o);
            }
        }
    }
    return out;
}

void decode_identity(const std::vector<VarBind>& entity, const std::vector<VarBind>& scalars,
                     model::Device& d, Diagnostics& diag) {
    // The chassis row of entPhysicalTable: the lowest index of class chassis(3).
    std::map<std::uint32_t, std::map<std::uint32_t, const VarBind*>> rows;
    const std::size_t base = k_ent_physical_entry.size();
    for (const auto& vb : entity) {
        if (oid_starts_with(vb.oid, k_ent_physical_entry) && vb.oid.size() == base + 2) {
            rows[vb.oid[base + 1]][vb.oid[base]] = &vb;
        }
    }
    const std::map<std::uint32_t, const VarBind*>* chassis = nullptr;
    for (const auto& [index, cols] : rows) {
        auto cls = cols.find(5);
        if (cls != cols.end() && cls->second->type == VbType::integer &&
            cls->second->integer == 3) {
            chassis = &cols;
            break;
        }
    }
    auto text = [&](std::uint32_t col) -> std::optional<std::string> {
        if (!chassis) {
            return std::nullopt;
        }
        auto it = chassis->find(col);
        if (it == chassis->end()) {
            return std::nullopt;
        }
        auto v = text_value(*it->second, diag);
        return v && !v->empty() ? v : std::nullopt;
    };
    d.model = text(13) ? text(13) : text(2);
    d.serial = text(11);
    d.version = text(10) ? text(10) : text(9);

    if (const VendorObjects* v = objects_for(d)) {
        for (const auto& vb : scalars) {
            if (vb.type != VbType::octets) {
                continue; // noSuchObject and the like: the agent lacks it
            }
            auto value = text_value(vb, diag);
            if (!value || value->empty()) {
                continue;
            }
            if (v->model && vb.oid == *v->model && !d.model) {
                d.model = value;
                if (oid_starts_with(vb.oid, {1, 3, 6, 1, 4, 1, 6574})) {
                    d.vendor = "Synology"; // known only now, see vendor_objects()
                }
            } else if (v->serial && vb.oid == *v->serial && !d.serial) {
                d.serial = value;
            } else if (v->version && vb.oid == *v->version && !d.version) {
                d.version = value->starts_with("DSM ") ? value->substr(4) : *value;
            }
        }
    }
    if (d.sys_descr) {
        from_sys_descr(*d.sys_descr, d.os, d.version, d.model);
    }
}

void decode_role(const std::vector<VarBind>& system, model::Device& d) {
    if (d.role) {
        return; // the configured role wins
    }
    std::optional<std::int64_t> services;
    std::optional<std::int64_t> forwarding;
    for (const auto& vb : system) {
        if (vb.type != VbType::integer) {
            continue;
        }
        if (vb.oid == Oid{1, 3, 6, 1, 2, 1, 1, 7, 0}) {
            services = vb.integer;
        } else if (vb.oid == Oid{1, 3, 6, 1, 2, 1, 4, 1, 0}) {
            forwarding = vb.integer;
        }
    }
    d.role = guess_role(d, services, forwarding);
}

} // namespace netinv::probes::mib
