// SPDX-License-Identifier: Apache-2.0
#include "report/metrics.hpp"

#include <fmt/format.h>

namespace netinv::report {

namespace {

class Writer {
public:
    // A metric family: its HELP and TYPE once, before its samples.
    void family(std::string_view name, std::string_view help) {
        m_out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
    }
    void sample(std::string_view name, double value, std::string_view labels = {}) {
        if (labels.empty()) {
            m_out += fmt::format("{} {}\n", name, value);
        } else {
            m_out += fmt::format("{}{{{}}} {}\n", name, labels, value);
        }
    }
    std::string str() && { return std::move(m_out); }

private:
    std::string m_out;
};

std::string label(std::string_view key, std::string_view value) {
    return fmt::format("{}=\"{}\"", key, prometheus_label(value));
}

} // namespace

std::string prometheus_label(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            out += ' '; // no control bytes in an exposition line
        } else {
            out += c;
        }
    }
    return out;
}

std::string render_metrics(const MetricsInput& in) {
    Writer w;
    w.family("netinv_scan_id", "Id of the audit's scan in the netinv database.");
    w.sample("netinv_scan_id", static_cast<double>(in.scan_id));
    w.family("netinv_scan_start_time_seconds", "When the audit's scan started (Unix time).");
    w.sample("netinv_scan_start_time_seconds", static_cast<double>(in.started_unix));
    w.family("netinv_scan_duration_seconds", "How long the audit's scan took.");
    w.sample("netinv_scan_duration_seconds", in.seconds);
    w.family("netinv_scan_targets", "Targets the scan polled.");
    w.sample("netinv_scan_targets", static_cast<double>(in.targets));
    w.family("netinv_scan_targets_outcome", "Targets by how polling them ended.");
    w.sample("netinv_scan_targets_outcome", static_cast<double>(in.ok), label("outcome", "ok"));
    for (auto o : {model::Outcome::timeout, model::Outcome::auth_failure, model::Outcome::error}) {
        const auto it = in.failed.find(o);
        w.sample("netinv_scan_targets_outcome",
                 static_cast<double>(it == in.failed.end() ? 0 : it->second),
                 label("outcome", model::to_string(o)));
    }
    w.family("netinv_scan_varbinds", "Values the scan read.");
    w.sample("netinv_scan_varbinds", static_cast<double>(in.varbinds));
    w.family("netinv_scan_retransmissions", "Requests the scan sent again after a timeout.");
    w.sample("netinv_scan_retransmissions", static_cast<double>(in.retransmissions));
    if (in.compared) {
        w.family("netinv_changes", "Changes since the previous complete scan, by impact.");
        for (auto i :
             {model::Impact::regression, model::Impact::change, model::Impact::improvement}) {
            std::size_t n = 0;
            for (const auto& c : in.changes) {
                n += c.impact == i ? 1 : 0;
            }
            w.sample("netinv_changes", static_cast<double>(n),
                     label("impact", model::to_string(i)));
        }
    }
    if (in.gaps) {
        const auto& g = *in.gaps;
        w.family("netinv_objectives", "Objectives of the plan, by status.");
        w.sample("netinv_objectives", g.objectives_met, label("status", "met"));
        w.sample("netinv_objectives", static_cast<double>(model::unmet_objectives(g)),
                 label("status", "unmet"));
        w.sample("netinv_objectives", g.objectives_unverified, label("status", "unverified"));
        w.family("netinv_objective_met", "1 when the objective is met, 0 otherwise.");
        for (const auto& o : g.objectives) {
            w.sample("netinv_objective_met", o.met ? 1 : 0,
                     label("objective", o.objective->id) + "," +
                         label("status", model::to_string(o.status)));
        }
        w.family("netinv_objective_observed",
                 "What the scan shows for the objective: devices (count) or percent.");
        for (const auto& o : g.objectives) {
            w.sample("netinv_objective_observed", o.observed, label("objective", o.objective->id));
        }
        w.family("netinv_objective_required",
                 "What the plan requires: devices (count) or percent.");
        for (const auto& o : g.objectives) {
            w.sample("netinv_objective_required", o.required, label("objective", o.objective->id));
        }
        w.family("netinv_objective_budget_million_vnd",
                 "Budget of the plan's projects behind the objective, in million VND.");
        for (const auto& o : g.objectives) {
            w.sample("netinv_objective_budget_million_vnd", static_cast<double>(o.budget_million),
                     label("objective", o.objective->id));
        }
    }
    if (!in.sites.empty()) {
        w.family("netinv_site_targets", "Targets of the site and the sites under it.");
        for (const auto& r : in.sites) {
            w.sample("netinv_site_targets", r.targets,
                     label("site", r.key) + "," + label("name", r.name) + "," +
                         label("kind", in.site_kind));
        }
        w.family("netinv_site_targets_answered", "Of those, the targets that answered.");
        for (const auto& r : in.sites) {
            w.sample("netinv_site_targets_answered", r.ok,
                     label("site", r.key) + "," + label("name", r.name) + "," +
                         label("kind", in.site_kind));
        }
    }
    return std::move(w).str();
}

} // namespace netinv::report
