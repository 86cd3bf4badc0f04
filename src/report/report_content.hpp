// What the HTML report and the PDF both print, computed once: document control, the order of the
// checks (failing first), the site technical table and the method statement.
#pragma once

#include <string>
#include <vector>

#include "report/attributions.hpp"
#include "report/package_internal.hpp"

namespace grenzfunk::report::detail {

// "GF-" and the first 16 hex digits (in groups of four) of the SHA-256 of the inputs' SHA-256
// lines ("<sha256>\n" per input, in the package's order: scenario, terrain, sites, outline,
// rules): the same inputs give the same id, any changed input a new one. The document version
// (export.document_version) tells revisions of one filing apart.
std::string report_id(const BorderPackage& p);

struct DocumentField {
    std::string name, value;  // UTF-8 text
};
std::vector<DocumentField> document_control(const BorderPackage& p);

// Failed checks, the smallest margin first (ties: input order).
std::vector<std::size_t> failed_checks_first(const BorderPackage& p);

// One row per home cell: id, site, lat/lon, height, frequency, bandwidth, technology, e.i.r.p.,
// azimuth, tilt (mechanical + electrical = total), antenna. Text columns, already formatted.
std::vector<std::string> site_table_header();
std::vector<std::vector<std::string>> site_table_rows(const BorderPackage& p);

// The method statement: headed paragraphs of plain UTF-8 text.
struct MethodParagraph {
    std::string heading;
    std::string text;
    bool placeholder = false;  // a marked place others fill (the HCM paragraph)
};
std::vector<MethodParagraph> method_statement(const BorderPackage& p);

// The checks that fail or lie within analysis::kCompareWithinDb of their limit, with the same
// check under the other method (analysis/border_compare.hpp), smallest margin first.
std::vector<std::string> comparison_header();
std::vector<std::vector<std::string>> comparison_rows(const BorderPackage& p);

std::vector<std::string> attribution_lines(const BorderPackage& p);

// "Rule check ..." label text per result, and the unverified warning (empty if all verified).
std::string unverified_warning(const BorderPackage& p);

}  // namespace grenzfunk::report::detail
