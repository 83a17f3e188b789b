// SPDX-License-Identifier: Apache-2.0
#include "report/i18n.hpp"

#include <libintl.h>

#include <clocale>
#include <cstdlib>
#include <cstring>
#include <string>

namespace netinv::report {

namespace {

constexpr const char* k_domain = "netinv";
bool g_catalog = false;

} // namespace

bool use_catalog(const std::string& locale_dir) {
    // gettext ignores LANGUAGE in the "C" locale; C.UTF-8 is built into glibc, so this works
    // whether or not the machine generated vi_VN.UTF-8. Only messages change: numbers, dates
    // and character classes stay the C locale's.
    const char* now = std::setlocale(LC_MESSAGES, nullptr);
    if (!now || std::strcmp(now, "C") == 0 || std::strcmp(now, "POSIX") == 0) {
        std::setlocale(LC_MESSAGES, "C.UTF-8");
    }
    ::setenv("LANGUAGE", "vi", 1);
    // Errors stay English (netinv(1), --lang): LANGUAGE would also turn the C library's
    // strerror() Vietnamese, and in the C locale's ASCII ("Kh?ng c? t?p"). Its catalog is
    // bound to a folder that does not exist, so the system's reasons stay as they are.
    bindtextdomain("libc", "/nonexistent/netinv");
    bindtextdomain(k_domain, locale_dir.c_str());
    bind_textdomain_codeset(k_domain, "UTF-8");
    textdomain(textdomain(nullptr)); // drops gettext's cache of earlier answers
    // A string every catalog translates: the proof that this one loaded.
    const char* probe = "Summary";
    g_catalog = std::strcmp(dgettext(k_domain, probe), probe) != 0;
    return g_catalog;
}

bool have_catalog() {
    return g_catalog;
}

const char* tr(Lang lang, const char* msgid) {
    if (lang == Lang::en || !g_catalog || *msgid == '\0') {
        return msgid; // "" is the catalog's header in gettext, never a message
    }
    return dgettext(k_domain, msgid);
}

const char* trc(Lang lang, const char* context, const char* msgid) {
    if (lang == Lang::en || !g_catalog) {
        return msgid;
    }
    // gettext keys a message with a context as "context\004msgid".
    thread_local std::string key;
    key = std::string(context) + '\004' + msgid;
    const char* out = dgettext(k_domain, key.c_str());
    return out == key.c_str() ? msgid : out;
}

const char* trn(Lang lang, const char* singular, const char* plural, unsigned long n) {
    if (lang == Lang::en || !g_catalog) {
        return n == 1 ? singular : plural;
    }
    return dngettext(k_domain, singular, plural, n);
}

std::string format_translated(const char* msgid, const char* translated, fmt::format_args args) {
    try {
        return fmt::vformat(translated, args);
    } catch (const fmt::format_error&) {
        try {
            return fmt::vformat(msgid, args);
        } catch (const fmt::format_error&) {
            return msgid;
        }
    }
}

std::string say(Lang lang, const model::Message& m) {
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    for (const auto& a : m.args) {
        store.push_back(a);
    }
    std::string out = format_translated(m.id, tr(lang, m.id), store);
    for (const auto& x : m.more) {
        out += "; " + say(lang, x);
    }
    return out;
}

} // namespace netinv::report
