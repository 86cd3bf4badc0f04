// The report as an A4 PDF, written with libharu (Debian libhpdf-dev).
//
// Why libharu (checked against cairo 1.16, Debian 12's other candidate, PDF surface): both give
// the same bytes twice on one machine once the dates are fixed, but
//   - libharu draws with the PDF base-14 fonts (Helvetica), which are not embedded: the bytes do
//     not depend on the fonts installed (cairo embeds a subset of whatever fontconfig picks, so
//     another machine gives another file);
//   - libharu writes no date unless told (we set /CreationDate and /ModDate from
//     --creation-time), no /ID (it writes one only for encrypted files) and no random names;
//     cairo 1.16 writes its dates without the "D:" prefix the PDF date format requires.
// The price: text in the base-14 fonts is WinAnsi (Windows-1252) encoded, so characters outside
// it (Czech ě, č, ř, ...) are written as '?'; all of German and the units (µ, °, ©) are in it.
#pragma once

#include <string>

#include "report/package_internal.hpp"

namespace grenzfunk::report::detail {

// The PDF's bytes: document control, result, failed checks, site technical table, map, terrain
// profiles, rules, method statement, inputs and attributions; running header (report id,
// version) and footer (page numbers, attributions) on every page. Throws OutputError when
// libharu fails.
std::string report_pdf(const BorderPackage& p, const ToLonLat& ll);

// UTF-8 to Windows-1252 (the base-14 fonts' WinAnsiEncoding); unmappable characters give '?'.
std::string utf8_to_winansi(const std::string& utf8);

}  // namespace grenzfunk::report::detail
