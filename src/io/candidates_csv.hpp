// Reader of a candidate-site file for `grenzfunk plan` (docs/planning.md): a CSV with a header
// line and one candidate position per row.
//
//   column                 type     rule
//   lat_deg, lon_deg       number   required; WGS84, [-90, 90] and [-180, 180]
//   antenna_height_agl_m   number   optional; (0, 1000) m; empty or missing = the template's or
//                                   planning.antenna_heights_m
//   candidate_id           text     optional; for the reports (default: the row number)
//
// Same CSV rules as the sites file (io/sites_csv.hpp): RFC 4180, columns by name, '.' decimals.
// Errors: InputError "<file>:<line>: <column>: <what>" (the first one).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace grenzfunk::io {

struct CandidatePosition {
    std::string candidate_id;
    double lat_deg = 0.0;
    double lon_deg = 0.0;
    std::optional<double> antenna_height_agl_m;
    std::string source;  // "file:line"
};

std::vector<CandidatePosition> parse_candidates_csv(std::string_view text,
                                                    const std::string& source_name);
std::vector<CandidatePosition> read_candidates_csv(const std::filesystem::path& path);

}  // namespace grenzfunk::io
