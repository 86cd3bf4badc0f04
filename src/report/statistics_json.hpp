// statistics.json: the analysis statistics (analysis::Statistics) as a JSON document.
#pragma once

#include <string>

#include "analysis/coverage_analysis.hpp"

namespace grenzfunk::report {

// Per zone: areas in km2 (6 decimals), shares in % of the zone's area (4 decimals), median SINR
// per layer in dB (2 decimals, null without values). Two-space indent, a final line break; the
// same bytes for the same statistics.
std::string statistics_json(const analysis::Statistics& statistics);

}  // namespace grenzfunk::report
