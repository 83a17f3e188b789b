// SPDX-License-Identifier: Apache-2.0
#include "cli/history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "cli/command.hpp"
#include "model/text.hpp"

namespace netinv::cli {

namespace {

std::optional<long> number(std::string_view s) {
    long v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 0) {
        return std::nullopt;
    }
    return v;
}

std::string local_date(const std::string& iso) {
    const auto t = parse_iso_utc(iso);
    return t ? cli::local_date(*t) : "";
}

} // namespace

std::optional<store::ScanInfo> select_scan(const std::vector<store::ScanInfo>& scans,
                                           std::string_view spec, std::string& why) {
    std::vector<const store::ScanInfo*> complete; // newest first
    for (const auto& s : scans) {
        if (s.status == store::ScanStatus::complete) {
            complete.push_back(&s);
        }
    }
    if (spec == "latest" || spec.starts_with("latest~")) {
        long back = 0;
        if (spec != "latest") {
            auto n = number(spec.substr(7));
            if (!n) {
                why = fmt::format("'{}': write latest~N with N a number", spec);
                return std::nullopt;
            }
            back = *n;
        }
        if (static_cast<std::size_t>(back) >= complete.size()) {
            why = fmt::format("'{}': there are only {} complete scans", spec, complete.size());
            return std::nullopt;
        }
        return *complete[static_cast<std::size_t>(back)];
    }
    if (auto id = number(spec)) {
        for (const auto& s : scans) {
            if (s.id == *id) {
                if (s.status != store::ScanStatus::complete) {
                    why = fmt::format("scan {} is {}: only complete scans are compared", s.id,
                                      store::to_string(s.status));
                    return std::nullopt;
                }
                return s;
            }
        }
        why = fmt::format("no scan {}", *id);
        return std::nullopt;
    }
    if (spec.size() == 10 && spec[4] == '-' && spec[7] == '-') {
        for (const auto* s : complete) {
            if (local_date(s->started_at) == spec) {
                return *s;
            }
        }
        why = fmt::format("no complete scan started on {}", spec);
        return std::nullopt;
    }
    why =
        fmt::format("'{}' names no scan: use an id, a date (YYYY-MM-DD), latest or latest~N", spec);
    return std::nullopt;
}

namespace {

struct Earlier {
    std::vector<model::Device> devices;
    std::int64_t seconds = 0;
};

// The complete scan before `scan`, for the counter checks.
Earlier earlier_scan(const store::Store& db, const store::ScanInfo& scan) {
    Earlier out;
    for (const auto& s : db.scans()) { // newest first
        if (s.id < scan.id && s.status == store::ScanStatus::complete) {
            out.devices = db.devices(s.id);
            const auto a = parse_iso_utc(s.started_at);
            const auto b = parse_iso_utc(scan.started_at);
            if (a && b) {
                out.seconds = std::chrono::duration_cast<std::chrono::seconds>(*b - *a).count();
            }
            break;
        }
    }
    return out;
}

} // namespace

model::Ipv6Summary ipv6_readiness(const store::Store& db, const model::Config& config,
                                  const store::ScanInfo& scan,
                                  const std::vector<model::Device>& devices,
                                  const std::string& by) {
    const auto e = earlier_scan(db, scan);
    return model::summarize_ipv6(config, devices, e.devices, e.seconds, by);
}

model::GapReport gap_report(const store::Store& db, const model::Config& config,
                            const store::ScanInfo& scan, const std::vector<model::Device>& devices,
                            const std::vector<model::TargetOutcome>& outcomes,
                            const std::string& by) {
    const auto e = earlier_scan(db, scan);
    model::GapOptions opt;
    opt.by = by;
    opt.earlier = &e.devices;
    opt.seconds_between = e.seconds;
    if (auto t = parse_iso_utc(scan.started_at)) {
        // The scan's date where the province is (time_zone, as every local time netinv shows).
        const std::time_t tt = std::chrono::system_clock::to_time_t(*t);
        std::tm local{};
        localtime_r(&tt, &local);
        opt.today =
            fmt::format("{:04}-{:02}-{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
    }
    return model::evaluate(config, devices, outcomes, opt);
}

std::map<std::string, report::Provenance>
captures_of(const std::vector<model::TargetOutcome>& outcomes) {
    std::map<std::string, report::Provenance> out;
    for (const auto& o : outcomes) {
        if (!o.capture_file.empty()) {
            auto& p = out[o.target] = report::Provenance::of(o);
            p.captured_shown = shown_time(o.captured_at);
        }
    }
    return out;
}

bool known_kind(const RunContext& ctx, const model::Config& config, std::string& by) {
    auto former = [&](const std::string& k) {
        return std::ranges::find(config.former_sites, k, &model::Site::kind) !=
               config.former_sites.end();
    };
    if (by.empty()) {
        // The default: districts where the tree (or the structure it replaced) has them,
        // else the kind of the root's first child (a two-tier city: its communes).
        by = "district";
        if (!config.find_kind(by) && !former(by)) {
            auto child = std::ranges::find_if(config.sites, [&](const model::Site& s) {
                return s.parent == config.sites.front().code;
            });
            by = child != config.sites.end() ? child->kind : config.site_kinds.front().name;
        }
        return true;
    }
    if (config.find_kind(by) || former(by)) {
        return true;
    }
    std::string kinds;
    for (const auto& k : config.site_kinds) {
        kinds += (kinds.empty() ? "" : ", ") + k.name;
    }
    ctx.error(fmt::format("--by: '{}' is not a site kind of {} (kinds: {})",
                          model::sanitize_terminal(by), config.path, kinds));
    return false;
}

bool known_site(const RunContext& ctx, const model::Config& config, const std::string& code) {
    if (config.find_site(code)) {
        return true;
    }
    std::vector<std::string_view> codes;
    for (const auto& s : config.sites) {
        codes.push_back(s.code);
    }
    const auto hint = model::closest_match(code, codes);
    ctx.error(fmt::format("{}: no site '{}'{}", ctx.config_path(), code,
                          hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
    return false;
}

bool site_under(const model::Config& config, const std::optional<std::string>& site,
                const std::string& ancestor) {
    for (const model::Site* s = site ? config.find_site(*site) : nullptr; s;
         s = s->parent.empty() ? nullptr : config.find_site(s->parent)) {
        if (s->code == ancestor) {
            return true;
        }
    }
    return false;
}

std::vector<model::Change> diff_scans(const store::Store& db, const store::ScanInfo& a,
                                      const store::ScanInfo& b, const model::Config* config,
                                      const std::string& site) {
    model::Snapshot older{db.outcomes(a.id), db.devices(a.id)};
    model::Snapshot newer{db.outcomes(b.id), db.devices(b.id)};
    model::DiffOptions opt;
    opt.seen_before = db.targets_seen_up_to(a.id);
    auto changes = model::diff(older, newer, opt);
    if (!site.empty() && config) {
        std::erase_if(changes, [&](const model::Change& c) {
            std::optional<std::string> where = c.site;
            if (!where) {
                if (const model::Target* t = config->find_target(c.target)) {
                    where = t->site;
                }
            }
            return !site_under(*config, where, site);
        });
    }
    return changes;
}

} // namespace netinv::cli
