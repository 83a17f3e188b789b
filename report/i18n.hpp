// SPDX-License-Identifier: Apache-2.0
#pragma once

// The language of what people read. Every sentence and label of report/ goes through tr/trf/trn
// with its English text as the gettext msgid; po/vi.po holds the Vietnamese, compiled by msgfmt
// at build time into share/locale/vi/LC_MESSAGES/netinv.mo. English needs no catalog.
// xgettext keywords: tr:2 trf:2 trc:2c,3 trn:2,3 trnf:2,3 msg:1 N_:1 (po/update.sh).

#include <fmt/args.h>
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "model/message.hpp"

namespace netinv::report {

enum class Lang : std::uint8_t { en, vi };

using model::N_;

// Binds netinv's catalogs in `locale_dir` (which holds vi/LC_MESSAGES/netinv.mo) and makes
// gettext answer in Vietnamese. False when the catalog is not there or does not translate.
bool use_catalog(const std::string& locale_dir);
// True once use_catalog found a working Vietnamese catalog.
bool have_catalog();

// `msgid` in `lang`: itself in English, or when the catalog lacks it.
const char* tr(Lang lang, const char* msgid);
// `msgid` in the sense `context` ("check status" / "partial"), gettext's msgctxt.
const char* trc(Lang lang, const char* context, const char* msgid);
// The singular or plural form for `n` (Vietnamese has one form).
const char* trn(Lang lang, const char* singular, const char* plural, unsigned long n);

// `msgid` translated, then formatted with `args` ({} in English; {0} {1} may reorder them in a
// translation). A translation that does not format falls back to the English text.
std::string format_translated(const char* msgid, const char* translated, fmt::format_args args);
template <typename... A> std::string trf(Lang lang, const char* msgid, const A&... args) {
    return format_translated(msgid, tr(lang, msgid), fmt::make_format_args(args...));
}
template <typename... A>
std::string trnf(Lang lang, const char* singular, const char* plural, unsigned long n,
                 const A&... args) {
    const char* en = n == 1 ? singular : plural;
    return format_translated(en, trn(lang, singular, plural, n), fmt::make_format_args(args...));
}

// A model message as a sentence in `lang`.
std::string say(Lang lang, const model::Message& m);

} // namespace netinv::report
