// SPDX-License-Identifier: Apache-2.0
#include "report/ipv6.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "model/text.hpp"
#include "report/html.hpp"
#include "report/json.hpp"
#include "report/table.hpp"

namespace netinv::report {

namespace {

// Vietnamese titles and remedies of the checks (--lang vi); findings stay as measured, since
// they quote OIDs, addresses and interface names.
struct Vi {
    std::string_view id;
    std::string_view title;
    std::string_view remediation;
};
constexpr std::array<Vi, 41> k_vi = {{
    {"C01", "Có ngăn xếp IPv6",
     "bật IPv6 toàn cục (ipv6 unicast-routing / ipv6 enable / sysctl của hệ điều hành); nếu "
     "firmware không hỗ trợ IPv6 thì thay thiết bị (RIPE-772, QCVN 89:2015)"},
    {"C02", "Địa chỉ link-local trên các cổng đang hoạt động",
     "bật IPv6 trên từng cổng đang hoạt động"},
    {"C03", "Có địa chỉ IPv6 dùng được",
     "cấp địa chỉ theo quy hoạch của tỉnh (/64 cho mỗi VLAN, /128 cho loopback)"},
    {"C04", "Không có địa chỉ trùng hoặc không hợp lệ", "xử lý xung đột địa chỉ (DAD thất bại)"},
    {"C05", "Không có địa chỉ tài liệu, site-local, 6to4 hay Teredo",
     "gỡ các đường hầm tự động và đánh lại địa chỉ theo quy hoạch của tỉnh"},
    {"C06", "Quản lý được qua IPv6",
     "bật SNMP agent trên udp6 và cho phép dải của hệ thống quản lý trong ACL/view"},
    {"C07", "IPv6 có lưu lượng thực",
     "tìm nguyên nhân IPv6 không được dùng: quảng bá router, bản ghi AAAA, DNS, tường lửa"},
    {"C08", "Hỗ trợ MIB hiện đại (IP-MIB có dòng IPv6)",
     "lên kế hoạch nâng cấp firmware (ảnh hưởng giám sát, không ảnh hưởng chuyển tiếp)"},
    {"H01", "Máy chủ có địa chỉ cố định",
     "đặt địa chỉ tĩnh hoặc DHCPv6 giữ chỗ và công bố bản ghi AAAA"},
    {"H02", "Có router mặc định IPv6",
     "kiểm tra quảng bá router trên gateway (R05) hoặc đặt tuyến mặc định tĩnh"},
    {"H03", "Dịch vụ lắng nghe trên IPv6",
     "cho dịch vụ lắng nghe trên :: (dual stack) và mở tường lửa máy chủ cho IPv6"},
    {"H04", "Không vô tình chuyển tiếp IPv6",
     "tắt chuyển tiếp IPv6 (net.ipv6.conf.all.forwarding=0) trừ khi là máy chủ ảo hóa"},
    {"H05", "Có hàng xóm IPv6 trên đường truyền", "kiểm tra VLAN của máy chủ đã có gateway IPv6"},
    {"R01", "Bật chuyển tiếp IPv6", "ipv6 unicast-routing (hoặc lệnh tương đương của hãng)"},
    {"R02", "Chuyển tiếp IPv6 trên từng cổng", "bật IPv6 trên SVI hoặc cổng định tuyến"},
    {"R03", "Song song IPv4/IPv6 trên các cổng",
     "bổ sung IPv6 cho mọi cổng có IPv4 theo quy hoạch địa chỉ"},
    {"R04", "Có tuyến mặc định/đường lên IPv6", "đặt ::/0 tĩnh hoặc OSPFv3/BGP về lõi của tỉnh"},
    {"R05", "Quảng bá router trên VLAN người dùng",
     "bật RA (no ipv6 nd ra suppress) và đặt cờ M/O cho DHCPv6"},
    {"R06", "Độ dài tiền tố hợp lý",
     "đánh lại địa chỉ theo quy hoạch: LAN /64, điểm-điểm /127 hoặc /64, loopback /128"},
    {"R07", "Học được hàng xóm IPv6", "kiểm tra máy trạm nhận được quảng bá router"},
    {"R08", "Có chuyển tiếp IPv6 thực tế", "tìm lỗi định tuyến hoặc ACL"},
    {"R09", "ICMPv6 hoạt động tốt", "bảo đảm không chặn neighbour discovery (RFC 4890)"},
    {"S01", "Địa chỉ quản lý IPv6", "cấu hình IPv6 trên VLAN quản lý"},
    {"S02", "Quản lý được qua IPv6", "bật SNMP và SSH qua IPv6"},
    {"S03", "Có router mặc định (truy cập từ xa)",
     "nhận quảng bá router hoặc đặt tuyến mặc định tĩnh"},
    {"S04", "Không hoạt động như router IPv6", "tắt định tuyến IPv6 trên switch"},
    {"S05", "Bảo vệ first-hop và MLD snooping",
     "bật RA-Guard, DHCPv6-Guard và MLD snooping; nếu không có thì lên kế hoạch thay thế"},
    {"F01", "Các vùng có cả IPv4 và IPv6", "bổ sung IPv6 cho từng vùng (trong, ngoài, DMZ)"},
    {"F02", "Có tuyến mặc định IPv6", "đặt ::/0 tĩnh về lõi của tỉnh hoặc nhà cung cấp"},
    {"F03", "Lưu lượng IPv6 đi qua", "rà soát chính sách IPv6 và NAT"},
    {"F04", "Chính sách IPv4/IPv6 tương đương, ICMPv6 theo RFC 4890",
     "sao chép luật IPv4 sang IPv6; cho phép ICMPv6 cho ND và PMTU"},
    {"F05", "Quản lý được qua IPv6", "bật hồ sơ quản lý trên một cổng IPv6"},
    {"P01", "Địa chỉ IPv6 phía WAN",
     "bật DHCPv6 hoặc SLAAC phía WAN; đề nghị đơn vị cung cấp đường truyền cấp IPv6"},
    {"P02", "Có tiền tố cho LAN", "bật DHCPv6-PD client (/56 hoặc /48 cho mỗi đơn vị)"},
    {"P03", "Quảng bá router trên LAN", "bật RA/SLAAC hoặc máy chủ DHCPv6 trên LAN"},
    {"P04", "Có tuyến mặc định phía trên", "nhận quảng bá router phía WAN hoặc đặt ::/0 tĩnh"},
    {"P05", "Bật chuyển tiếp IPv6", "bật định tuyến IPv6"},
    {"P06", "Máy trạm LAN dùng IPv6", "kiểm tra hệ điều hành máy trạm và các cờ RA"},
    {"P07", "Lưu lượng IPv6 phía WAN", "tìm lỗi định tuyến hoặc ACL ở router tập trung"},
    {"P08", "Thiết bị hợp quy (QCVN 90:2015)", "thay CPE bằng thiết bị đã được duyệt"},
    {"P09", "Trung tâm quản lý được qua IPv6",
     "cho phép dải của trung tâm trong ACL quản lý IPv6 của CPE"},
}};

const Vi* vi_of(const model::Check& c, Lang lang) {
    if (lang != Lang::vi) {
        return nullptr;
    }
    auto it = std::ranges::find(k_vi, c.id, &Vi::id);
    return it == k_vi.end() ? nullptr : &*it;
}

std::string_view title_of(const model::Check& c, Lang lang) {
    const Vi* v = vi_of(c, lang);
    return v ? v->title : c.title;
}

std::string_view remedy_of(const model::Check& c, Lang lang) {
    const Vi* v = vi_of(c, lang);
    return v ? v->remediation : c.remediation;
}

std::string_view status_text(model::CheckStatus s, Lang lang) {
    if (lang != Lang::vi) {
        return model::to_string(s);
    }
    switch (s) {
    case model::CheckStatus::pass:
        return "đạt";
    case model::CheckStatus::partial:
        return "đạt một phần";
    case model::CheckStatus::fail:
        return "không đạt";
    case model::CheckStatus::unknown:
        return "chưa rõ";
    case model::CheckStatus::not_applicable:
        return "không áp dụng";
    }
    return "chưa rõ";
}

std::string_view severity_text(model::Severity s, Lang lang) {
    if (lang != Lang::vi) {
        return model::to_string(s);
    }
    switch (s) {
    case model::Severity::critical:
        return "nghiêm trọng";
    case model::Severity::high:
        return "cao";
    case model::Severity::medium:
        return "trung bình";
    case model::Severity::low:
        return "thấp";
    }
    return "thấp";
}

struct Action {
    const model::DeviceReadiness* device;
    const model::Check* check;
};

int status_rank(model::CheckStatus s) {
    switch (s) {
    case model::CheckStatus::fail:
        return 0;
    case model::CheckStatus::partial:
        return 1;
    case model::CheckStatus::unknown:
        return 2;
    case model::CheckStatus::pass:
        return 3;
    case model::CheckStatus::not_applicable:
        return 4;
    }
    return 4;
}

std::string level_text(const std::optional<int>& l) {
    return l ? fmt::format("L{}", *l) : "?";
}

std::string percent(double v) {
    return fmt::format("{:.0f}%", v * 100);
}

// The site code each device is listed under ("-" for none), in configuration order.
std::vector<std::pair<std::string, std::vector<Action>>>
work_list(const model::Ipv6Summary& s, const model::Config& c, const model::CheckFilter& f) {
    std::map<std::string, std::vector<Action>> by_site;
    for (const auto& d : s.devices) {
        for (const auto& ch : d.checks) {
            if (model::selected(ch, f)) {
                by_site[d.site.value_or("-")].push_back(Action{&d, &ch});
            }
        }
    }
    std::vector<std::pair<std::string, std::vector<Action>>> out;
    auto take = [&](const std::string& code) {
        auto it = by_site.find(code);
        if (it == by_site.end()) {
            return;
        }
        auto& v = it->second;
        std::ranges::stable_sort(v, [](const Action& a, const Action& b) {
            const int sa = static_cast<int>(a.check->severity);
            const int sb = static_cast<int>(b.check->severity);
            // Actions (fail, partial) by severity, then what to verify by hand, then the rest.
            const auto group = [](model::CheckStatus st) {
                return st == model::CheckStatus::fail || st == model::CheckStatus::partial ? 0
                       : st == model::CheckStatus::unknown                                 ? 1
                                                                                           : 2;
            };
            const auto ka = std::make_tuple(group(a.check->status), -sa,
                                            status_rank(a.check->status), a.device->device);
            const auto kb = std::make_tuple(group(b.check->status), -sb,
                                            status_rank(b.check->status), b.device->device);
            return ka < kb;
        });
        out.emplace_back(code, std::move(v));
        by_site.erase(it);
    };
    for (const auto& site : c.sites) {
        take(site.code);
    }
    while (!by_site.empty()) {
        take(by_site.begin()->first);
    }
    return out;
}

std::string site_title(const model::Config& c, const std::string& code) {
    const model::Site* s = c.find_site(code);
    return s ? fmt::format("{} {}", s->code, s->name) : code;
}

std::string evidence_text(const model::Check& ch) {
    std::string out;
    for (const auto& e : ch.evidence) {
        out += (out.empty() ? "" : "; ") + e;
    }
    return out;
}

void check_json(JsonWriter& w, const model::Check& ch) {
    w.begin_object();
    w.field("id", ch.id);
    w.field("title", ch.title);
    w.field("severity", model::to_string(ch.severity));
    w.field("status", model::to_string(ch.status));
    if (ch.status == model::CheckStatus::partial) {
        w.field("ratio", ch.ratio);
    }
    w.field("finding", ch.finding);
    w.key("mib");
    if (ch.mib.empty()) {
        w.null();
    } else {
        w.value(ch.mib);
    }
    w.key("evidence").begin_array();
    for (const auto& e : ch.evidence) {
        w.value(e);
    }
    w.end_array();
    w.field("remediation", ch.remediation);
    w.end_object();
}

void device_json(JsonWriter& w, const model::DeviceReadiness& d,
                 const model::CheckFilter* only = nullptr) {
    w.begin_object();
    w.field("name", d.device);
    w.field("site", d.site);
    w.field("role_class", model::to_string(d.role_class));
    w.key("level");
    if (d.level) {
        w.value(*d.level);
    } else {
        w.null();
    }
    w.field("score", d.score);
    w.field("coverage", d.coverage);
    w.field("insufficient_evidence", d.insufficient);
    w.key("checks").begin_array();
    for (const auto& ch : d.checks) {
        if (!only || model::selected(ch, *only)) {
            check_json(w, ch);
        }
    }
    w.end_array();
    w.end_object();
}

void header_json(JsonWriter& w, const ReportContext& ctx) {
    w.field("scan_id", ctx.scan_id);
    w.field("started_at", ctx.started_at);
}

std::string checklist_json(const model::Ipv6Summary& s, const ReportContext& ctx,
                           const ChecklistOptions& opt) {
    JsonWriter w;
    w.begin_object();
    header_json(w, ctx);
    const auto f = opt.filter();
    if (opt.by_action) {
        w.key("actions").begin_array();
        for (const auto& g : model::group_by_action(s, f)) {
            const model::Check& first = *g.devices.front().second;
            w.begin_object();
            w.field("check", g.id);
            w.field("title", title_of(first, ctx.lang));
            w.field("severity", model::to_string(g.severity));
            w.field("remediation", remedy_of(first, ctx.lang));
            w.field("count", static_cast<std::uint64_t>(g.devices.size()));
            w.key("devices").begin_array();
            for (const auto& [d, c] : g.devices) {
                w.begin_object();
                w.field("name", d->device);
                w.field("site", d->site);
                w.field("status", model::to_string(c->status));
                w.field("finding", c->finding);
                w.end_object();
            }
            w.end_array();
            w.end_object();
        }
        w.end_array();
        w.end_object();
        return w.str();
    }
    w.key("devices").begin_array();
    for (const auto& d : s.devices) {
        device_json(w, d, opt.filtered() ? &f : nullptr);
    }
    w.end_array();
    w.end_object();
    return w.str();
}

// --by-action: one block per check to act on, most severe first, with its devices.
std::string by_action(const model::Ipv6Summary& s, const ReportContext& ctx,
                      const ChecklistOptions& opt, Format format) {
    const auto groups = model::group_by_action(s, opt.filter());
    const bool vi = ctx.lang == Lang::vi;
    // Tables and Markdown name the first devices of a long group; CSV and JSON all of them.
    const std::size_t shown = format == Format::csv ? SIZE_MAX : 12;
    const auto names = [&](const model::ActionGroup& g, std::string_view sep) {
        std::string out;
        std::size_t n = 0;
        for (const auto& [d, c] : g.devices) {
            if (++n > shown) {
                out += fmt::format("{}{} {}", sep, vi ? "và" : "and", g.devices.size() - shown);
                out += vi ? " thiết bị khác (--format csv liệt kê đủ)"
                          : " more (--format csv lists them all)";
                break;
            }
            out += fmt::format("{}{}{}", out.empty() ? "" : sep, d->device,
                               c->status == model::CheckStatus::fail
                                   ? ""
                                   : fmt::format(" ({})", model::to_string(c->status)));
        }
        return out;
    };
    if (format == Format::csv) {
        std::string out = "check,title,severity,remediation,devices,names\r\n";
        for (const auto& g : groups) {
            const auto& first = *g.devices.front().second;
            out += fmt::format("{},{},{},{},{},{}\r\n", g.id, csv_cell(title_of(first, ctx.lang)),
                               model::to_string(g.severity), csv_cell(remedy_of(first, ctx.lang)),
                               g.devices.size(), csv_cell(names(g, "; ")));
        }
        return out;
    }
    if (format == Format::html) {
        html::Page page(ctx.lang, vi ? "Việc cần làm chuyển đổi IPv6, theo từng việc"
                                     : "IPv6 migration work list, by action");
        page.subtitle(vi ? fmt::format("Lần quét {} lúc {}", ctx.scan_id, ctx.when())
                         : fmt::format("Scan {} of {}", ctx.scan_id, ctx.when()));
        std::size_t items = 0;
        for (const auto& g : groups) {
            items += g.devices.size();
        }
        page.headline(
            {{std::to_string(groups.size()), vi ? "việc cần làm" : "actions", groups.empty()},
             {std::to_string(items), vi ? "lượt thiết bị cần xử lý" : "device checks to act on",
              items == 0}});
        for (const auto& g : groups) {
            const auto& first = *g.devices.front().second;
            html::Page::Card card;
            card.title = fmt::format("{} {}", g.id, title_of(first, ctx.lang));
            card.status = std::string(severity_text(g.severity, ctx.lang));
            card.good = false;
            card.facts = {
                {vi ? "Thiết bị" : "Devices", std::to_string(g.devices.size())},
                {vi ? "Việc cần làm" : "Action", std::string(remedy_of(first, ctx.lang))}};
            card.list_label = vi ? "Thiết bị" : "Devices";
            card.inline_list = true;
            std::size_t n = 0;
            for (const auto& [d, c] : g.devices) {
                if (++n > 30) {
                    card.list.push_back(vi ? fmt::format("và {} thiết bị khác (--format csv liệt "
                                                         "kê đủ)",
                                                         g.devices.size() - 30)
                                           : fmt::format("and {} more (--format csv lists them "
                                                         "all)",
                                                         g.devices.size() - 30));
                    break;
                }
                card.list.push_back(
                    c->status == model::CheckStatus::fail
                        ? d->device
                        : fmt::format("{} ({})", d->device, status_text(c->status, ctx.lang)));
            }
            page.card(card);
        }
        if (groups.empty()) {
            page.paragraph(opt.filtered() ? (vi ? "Không có mục kiểm tra nào khớp bộ lọc."
                                                : "No check matches the filters.")
                           : vi ? "Không còn việc gì: mọi mục kiểm tra đều đạt."
                                : "Nothing to do: every check passes.");
        }
        return page.finish();
    }
    std::string out;
    if (format == Format::markdown) {
        out = vi ? fmt::format("# Việc cần làm chuyển đổi IPv6, theo từng việc\n\nLần quét {} lúc "
                               "{}.\n",
                               ctx.scan_id, ctx.when())
                 : fmt::format("# IPv6 migration work list, by action\n\nScan {} of {}.\n",
                               ctx.scan_id, ctx.when());
    }
    for (const auto& g : groups) {
        const auto& first = *g.devices.front().second;
        const std::string head =
            fmt::format("{} {} ({}): {} {}", g.id, title_of(first, ctx.lang),
                        severity_text(g.severity, ctx.lang), g.devices.size(),
                        vi ? "thiết bị" : (g.devices.size() == 1 ? "device" : "devices"));
        if (format == Format::markdown) {
            out += fmt::format("\n## {}\n\n{}: {}\n\n{}\n", md_cell(head),
                               vi ? "Việc cần làm" : "Action", md_cell(remedy_of(first, ctx.lang)),
                               md_cell(names(g, ", ")));
        } else {
            out +=
                fmt::format("{}{}\n  {}: {}\n  {}\n", out.empty() ? "" : "\n",
                            model::sanitize_terminal(head), vi ? "việc cần làm" : "action",
                            remedy_of(first, ctx.lang), model::sanitize_terminal(names(g, ", ")));
        }
    }
    if (groups.empty()) {
        out += opt.filtered() ? (vi ? "không có mục kiểm tra nào khớp bộ lọc\n"
                                    : "no check matches the filters\n")
               : vi           ? "không còn việc gì: mọi mục kiểm tra đều đạt\n"
                              : "nothing to do: every check passes\n";
    }
    return out;
}

} // namespace

std::string render_checklist(const model::Ipv6Summary& s, const model::Config& c,
                             const ReportContext& ctx, const ChecklistOptions& opt, Format format) {
    if (format == Format::json) {
        return checklist_json(s, ctx, opt);
    }
    if (opt.by_action) {
        return by_action(s, ctx, opt, format);
    }
    const auto list = work_list(s, c, opt.filter());
    if (format == Format::csv) {
        std::string out = "site,device,role_class,level,check,title,severity,status,finding,"
                          "remediation,evidence\r\n";
        for (const auto& [site, actions] : list) {
            for (const auto& a : actions) {
                out += fmt::format(
                    "{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_cell(site),
                    csv_cell(a.device->device), model::to_string(a.device->role_class),
                    level_text(a.device->level), a.check->id,
                    csv_cell(title_of(*a.check, ctx.lang)), model::to_string(a.check->severity),
                    model::to_string(a.check->status), csv_cell(a.check->finding),
                    csv_cell(remedy_of(*a.check, ctx.lang)), csv_cell(evidence_text(*a.check)));
            }
        }
        return out;
    }
    const bool vi = ctx.lang == Lang::vi;
    if (format == Format::html) {
        html::Page page(ctx.lang,
                        vi ? "Danh mục việc cần làm chuyển đổi IPv6" : "IPv6 migration checklist");
        page.subtitle(vi ? fmt::format("Lần quét {} lúc {}. Dòng “chưa rõ” là mục cần kiểm tra "
                                       "bằng tay.",
                                       ctx.scan_id, ctx.when())
                         : fmt::format("Scan {} of {}. Unknown lines are checks to verify by hand.",
                                       ctx.scan_id, ctx.when()));
        std::array<std::size_t, 3> counts{}; // fail, partial, unknown
        std::size_t total = 0;
        for (const auto& [site, actions] : list) {
            for (const auto& a : actions) {
                ++total;
                counts[0] += a.check->status == model::CheckStatus::fail;
                counts[1] += a.check->status == model::CheckStatus::partial;
                counts[2] += a.check->status == model::CheckStatus::unknown;
            }
        }
        page.headline(
            {{std::to_string(total), vi ? "việc trong danh mục" : "actions listed", total == 0},
             {std::to_string(counts[0]), vi ? "không đạt" : "failing", counts[0] == 0},
             {std::to_string(counts[2]),
              vi ? "chưa rõ, cần kiểm tra bằng tay" : "unknown, to verify by hand",
              counts[2] == 0}});
        for (const auto& [site, actions] : list) {
            page.heading(site_title(c, site));
            std::vector<std::vector<std::string>> cells;
            for (const auto& a : actions) {
                cells.push_back({std::string(severity_text(a.check->severity, ctx.lang)),
                                 a.device->device, level_text(a.device->level),
                                 fmt::format("{} {}", a.check->id, title_of(*a.check, ctx.lang)),
                                 std::string(status_text(a.check->status, ctx.lang)),
                                 a.check->finding, std::string(remedy_of(*a.check, ctx.lang))});
            }
            page.table(vi ? std::vector<std::string>{"Mức độ", "Thiết bị", "Cấp", "Kiểm tra",
                                                     "Trạng thái", "Phát hiện", "Việc cần làm"}
                          : std::vector<std::string>{"Severity", "Device", "Level", "Check",
                                                     "Status", "Finding", "Action"},
                       cells);
        }
        if (list.empty()) {
            page.paragraph(vi ? "Không còn việc gì: mọi mục kiểm tra đều đạt."
                              : "Nothing to do: every check passes.");
        }
        return page.finish();
    }
    if (format == Format::markdown) {
        std::string out =
            vi ? fmt::format("# Danh mục việc cần làm chuyển đổi IPv6\n\nLần quét {} lúc {}. Mỗi "
                             "dòng một việc, nghiêm trọng trước; dòng *chưa rõ* là mục cần kiểm "
                             "tra bằng tay.\n",
                             ctx.scan_id, ctx.when())
               : fmt::format("# IPv6 migration checklist\n\nScan {} of {}. One line per action, "
                             "most severe first; *unknown* lines are checks to verify by hand.\n",
                             ctx.scan_id, ctx.when());
        for (const auto& [site, actions] : list) {
            out += fmt::format(
                "\n## {}\n\n| {} |\n|---|---|---|---|---|---|---|\n", md_cell(site_title(c, site)),
                vi ? "Mức độ | Thiết bị | Cấp | Kiểm tra | Trạng thái | Phát hiện | "
                     "Việc cần làm"
                   : "Severity | Device | Level | Check | Status | Finding | Action");
            for (const auto& a : actions) {
                out += fmt::format(
                    "| {} | {} | {} | {} {} | {} | {} | {} |\n",
                    severity_text(a.check->severity, ctx.lang), md_cell(a.device->device),
                    level_text(a.device->level), a.check->id, md_cell(title_of(*a.check, ctx.lang)),
                    status_text(a.check->status, ctx.lang), md_cell(a.check->finding),
                    md_cell(remedy_of(*a.check, ctx.lang)));
            }
        }
        if (list.empty()) {
            out += vi ? "\nKhông còn việc gì: mọi mục kiểm tra đều đạt.\n"
                      : "\nNothing to do: every check passes.\n";
        }
        return out;
    }
    std::string out;
    for (const auto& [site, actions] : list) {
        out += (out.empty() ? "" : "\n") + model::sanitize_terminal(site_title(c, site)) + "\n";
        Table t(vi ? std::vector<std::string>{"MỨC ĐỘ", "THIẾT BỊ", "CẤP", "KIỂM TRA", "TRẠNG THÁI",
                                              "PHÁT HIỆN", "VIỆC CẦN LÀM"}
                   : std::vector<std::string>{"SEVERITY", "DEVICE", "LEVEL", "CHECK", "STATUS",
                                              "FINDING", "ACTION"});
        for (const auto& a : actions) {
            t.add({std::string(severity_text(a.check->severity, ctx.lang)), a.device->device,
                   level_text(a.device->level), std::string(a.check->id),
                   std::string(status_text(a.check->status, ctx.lang)), a.check->finding,
                   std::string(remedy_of(*a.check, ctx.lang))});
        }
        out += t.render("  ");
    }
    if (list.empty()) {
        out = vi ? "không còn việc gì: mọi mục kiểm tra đều đạt\n"
                 : "nothing to do: every check passes\n";
    }
    return out;
}

namespace {

void rollup_json(JsonWriter& w, const model::SiteReadiness& s) {
    w.begin_object();
    w.field("code", s.code);
    w.field("name", s.name);
    w.field("district", s.district);
    w.field("devices", s.devices);
    w.key("by_level").begin_object();
    for (std::size_t i = 0; i < s.by_level.size(); ++i) {
        w.field(fmt::format("L{}", i), s.by_level[i]);
    }
    w.field("unrated", s.unrated);
    w.end_object();
    w.field("share_l2_or_above", s.share_l2);
    w.field("mean_score", s.mean_score);
    w.field("edge", s.edge);
    w.field("edge_default_route", s.edge_default_route);
    w.field("status", model::to_string(s.status));
    w.end_object();
}

std::string_view site_status_text(model::SiteStatus st, Lang lang) {
    if (lang != Lang::vi) {
        return model::to_string(st);
    }
    switch (st) {
    case model::SiteStatus::ready:
        return "sẵn sàng";
    case model::SiteStatus::partial:
        return "một phần";
    case model::SiteStatus::not_started:
        return "chưa bắt đầu";
    case model::SiteStatus::no_data:
        return "không có dữ liệu";
    }
    return "không có dữ liệu";
}

std::vector<std::string> rollup_row(const model::SiteReadiness& s, bool with_status,
                                    Lang lang = Lang::en) {
    std::vector<std::string> row{s.code, s.name, std::to_string(s.devices)};
    for (auto n : s.by_level) {
        row.push_back(std::to_string(n));
    }
    row.push_back(std::to_string(s.unrated));
    row.push_back(s.devices ? percent(s.share_l2) : "-");
    row.push_back(s.devices ? fmt::format("{:.2f}", s.mean_score) : "-");
    if (with_status) {
        row.push_back(std::string(site_status_text(s.status, lang)));
        const bool vi = lang == Lang::vi;
        row.push_back(s.edge_default_route
                          ? (*s.edge_default_route ? (vi ? "có" : "yes") : (vi ? "không" : "no"))
                          : "?");
    }
    return row;
}

} // namespace

std::string render_ipv6_summary(const model::Ipv6Summary& s, const model::Config& c,
                                const ReportContext& ctx, bool by_site, Format format) {
    (void)c;
    const auto& rows = by_site ? s.sites : s.districts;
    if (format == Format::json) {
        JsonWriter w;
        w.begin_object();
        header_json(w, ctx);
        w.key("province");
        rollup_json(w, s.province);
        w.key("sites_by_status").begin_object();
        for (std::size_t i = 0; i < s.sites_by_status.size(); ++i) {
            w.field(model::to_string(static_cast<model::SiteStatus>(i)), s.sites_by_status[i]);
        }
        w.end_object();
        w.field("mean_coverage", s.mean_coverage);
        w.field("wan_conversion", s.wan_conversion);
        w.field("dc_conversion", s.dc_conversion);
        w.key("blocking_checks").begin_array();
        for (const auto& b : s.blocking) {
            w.begin_object()
                .field("id", b.id)
                .field("fails", b.fails)
                .field("weight", b.weight)
                .end_object();
        }
        w.end_array();
        w.key("districts").begin_array();
        for (const auto& d : s.districts) {
            rollup_json(w, d);
        }
        w.end_array();
        w.key("sites").begin_array();
        for (const auto& d : s.sites) {
            rollup_json(w, d);
        }
        w.end_array();
        w.end_object();
        return w.str();
    }
    std::vector<std::string> headers{by_site ? "SITE" : "DISTRICT",
                                     "NAME",
                                     "DEVICES",
                                     "L0",
                                     "L1",
                                     "L2",
                                     "L3",
                                     "L4",
                                     "L5",
                                     "?",
                                     ">=L2",
                                     "SCORE"};
    if (by_site) {
        headers.push_back("STATUS");
        headers.push_back("EDGE ::/0");
    }
    if (format == Format::csv) {
        std::string out;
        for (std::size_t i = 0; i < headers.size(); ++i) {
            out += (i ? "," : "") + csv_cell(headers[i]);
        }
        out += "\r\n";
        auto line = [&](const model::SiteReadiness& r) {
            const auto row = rollup_row(r, by_site);
            for (std::size_t i = 0; i < row.size(); ++i) {
                out += (i ? "," : "") + csv_cell(row[i]);
            }
            out += "\r\n";
        };
        line(s.province);
        for (const auto& r : rows) {
            line(r);
        }
        return out;
    }
    const auto& p = s.province;
    const bool vi = ctx.lang == Lang::vi;
    if (vi) {
        headers = {by_site ? "ĐƠN VỊ" : "HUYỆN",
                   "TÊN",
                   "THIẾT BỊ",
                   "L0",
                   "L1",
                   "L2",
                   "L3",
                   "L4",
                   "L5",
                   "?",
                   ">=L2",
                   "ĐIỂM"};
        if (by_site) {
            headers.push_back("TRẠNG THÁI");
            headers.push_back("BIÊN ::/0");
        }
    }
    std::string head =
        vi ? fmt::format("Mức sẵn sàng IPv6, lần quét {} lúc {}\n"
                         "thiết bị {}: L0 {}, L1 {}, L2 {}, L3 {}, L4 {}, L5 {}, chưa rõ {}; {} "
                         "đạt L2 trở lên "
                         "(dual-stack)\n"
                         "đơn vị: {} sẵn sàng, {} một phần, {} chưa bắt đầu, {} không có dữ liệu; "
                         "độ phủ bằng "
                         "chứng trung bình {}\n"
                         "chuyển đổi mạng WAN (CPE và router huyện đạt L3+) {}; máy chủ trung tâm "
                         "dữ liệu đạt "
                         "L4+ {}\n",
                         ctx.scan_id, ctx.when(), p.devices, p.by_level[0], p.by_level[1],
                         p.by_level[2], p.by_level[3], p.by_level[4], p.by_level[5], p.unrated,
                         percent(p.share_l2), s.sites_by_status[0], s.sites_by_status[1],
                         s.sites_by_status[2], s.sites_by_status[3], percent(s.mean_coverage),
                         percent(s.wan_conversion), percent(s.dc_conversion))
           : fmt::format(
                 "IPv6 readiness, scan {} of {}\n"
                 "devices {}: L0 {}, L1 {}, L2 {}, L3 {}, L4 {}, L5 {}, unrated {}; {} at L2 or "
                 "above "
                 "(dual-stack)\n"
                 "sites: {} ready, {} partial, {} not started, {} without data; mean coverage {}\n"
                 "WAN conversion (CPEs and district routers at L3+) {}; data-centre servers at L4+ "
                 "{}\n",
                 ctx.scan_id, ctx.when(), p.devices, p.by_level[0], p.by_level[1], p.by_level[2],
                 p.by_level[3], p.by_level[4], p.by_level[5], p.unrated, percent(p.share_l2),
                 s.sites_by_status[0], s.sites_by_status[1], s.sites_by_status[2],
                 s.sites_by_status[3], percent(s.mean_coverage), percent(s.wan_conversion),
                 percent(s.dc_conversion));
    std::string blocking;
    for (std::size_t i = 0; i < s.blocking.size() && i < 8; ++i) {
        blocking += fmt::format("{}{} ({} {})", i ? ", " : "", s.blocking[i].id,
                                s.blocking[i].fails, vi ? "không đạt" : "fails");
    }
    if (!blocking.empty()) {
        head += (vi ? "các mục cản trở nhiều nhất: " : "top blocking checks: ") + blocking + "\n";
    }
    if (format == Format::html) {
        const Lang lang = ctx.lang;
        html::Page page(lang, vi ? "Mức sẵn sàng IPv6" : "IPv6 readiness");
        page.subtitle(vi ? fmt::format("Lần quét {} lúc {}", ctx.scan_id, ctx.when())
                         : fmt::format("Scan {} of {}", ctx.scan_id, ctx.when()));
        page.headline(
            {{fmt::format("{} ({})", p.by_level[2] + p.by_level[3] + p.by_level[4] + p.by_level[5],
                          html::percent(100 * p.share_l2, lang)),
              vi ? fmt::format("trên {} thiết bị đạt L2 trở lên (dual-stack)", p.devices)
                 : fmt::format("of {} devices at L2 or above (dual-stack)", p.devices),
              p.share_l2 >= 1},
             {html::percent(100 * s.wan_conversion, lang),
              vi ? "chuyển đổi mạng WAN (CPE và router đạt L3+)"
                 : "WAN conversion (CPEs and routers at L3+)",
              s.wan_conversion >= 1},
             {html::percent(100 * s.dc_conversion, lang),
              vi ? "máy chủ trung tâm dữ liệu đạt L4+" : "data-centre servers at L4+",
              s.dc_conversion >= 1}});
        page.paragraph(
            vi ? fmt::format("Đơn vị: {} sẵn sàng, {} một phần, {} chưa bắt đầu, {} "
                             "không có dữ liệu; độ phủ bằng chứng trung bình {}.",
                             s.sites_by_status[0], s.sites_by_status[1], s.sites_by_status[2],
                             s.sites_by_status[3], html::percent(100 * s.mean_coverage, lang))
               : fmt::format("Sites: {} ready, {} partial, {} not started, {} without "
                             "data; mean evidence coverage {}.",
                             s.sites_by_status[0], s.sites_by_status[1], s.sites_by_status[2],
                             s.sites_by_status[3], html::percent(100 * s.mean_coverage, lang)));
        page.heading(vi ? "Thiết bị theo mức sẵn sàng" : "Devices by readiness level");
        std::vector<html::Page::Bar> bars;
        bars.push_back(readiness_bar(p, vi ? "Toàn tỉnh" : "Province", lang));
        for (const auto& r : rows) {
            bars.push_back(readiness_bar(r, r.name, lang));
        }
        page.bars(bars);
        page.legend(ipv6_level_legend(lang));
        if (!s.blocking.empty()) {
            page.heading(vi ? "Các mục cản trở nhiều nhất" : "Checks blocking the most devices");
            std::vector<std::vector<std::string>> cells;
            for (std::size_t i = 0; i < s.blocking.size() && i < 8; ++i) {
                cells.push_back({s.blocking[i].id, std::to_string(s.blocking[i].fails),
                                 std::to_string(s.blocking[i].weight)});
            }
            page.table({vi ? "Mục kiểm tra" : "Check", vi ? "Không đạt" : "Fails",
                        vi ? "Trọng số" : "Weight"},
                       cells, {false, true, true});
        }
        page.heading(by_site ? (vi ? "Theo đơn vị" : "By site")
                             : (vi ? "Theo đơn vị tổng hợp" : "By roll-up site"));
        std::vector<std::vector<std::string>> cells;
        for (const auto& r : rows) {
            cells.push_back(rollup_row(r, by_site, ctx.lang));
        }
        std::vector<bool> numeric(headers.size(), true);
        numeric[0] = numeric[1] = false;
        if (by_site) {
            numeric[headers.size() - 1] = numeric[headers.size() - 2] = false;
        }
        page.table(headers, cells, numeric);
        return page.finish();
    }
    if (format == Format::markdown) {
        std::string out = vi ? "# Mức sẵn sàng IPv6\n\n" : "# IPv6 readiness\n\n";
        for (std::size_t i = 0; i < head.size();) {
            const auto nl = head.find('\n', i);
            out += "- " + md_cell(head.substr(i, nl - i)) + "\n";
            i = nl + 1;
        }
        out += "\n|";
        for (const auto& h : headers) {
            out += " " + md_cell(h) + " |";
        }
        out += "\n|";
        for (std::size_t i = 0; i < headers.size(); ++i) {
            out += "---|";
        }
        out += "\n";
        for (const auto& r : rows) {
            out += "|";
            for (const auto& cell : rollup_row(r, by_site, ctx.lang)) {
                out += " " + md_cell(cell) + " |";
            }
            out += "\n";
        }
        return out;
    }
    Table t(headers);
    for (const auto& r : rows) {
        t.add(rollup_row(r, by_site, ctx.lang));
    }
    return head + "\n" + t.render();
}

} // namespace netinv::report
