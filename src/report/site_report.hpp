// The per-cell and per-site report of a run (docs/analysis.md, "Per-cell and per-site report"):
// cell_report.csv, site_report.csv and the run summary's lines, from the analysis figures
// (analysis/service_areas.hpp) and the border check's margins. Locale-independent numbers
// (core/text_format.hpp): areas in km2 with 6 decimals, margins in dB with 2; the same bytes for
// the same figures.
#pragma once

#include <string>
#include <vector>

#include "analysis/composites.hpp"
#include "analysis/service_areas.hpp"
#include "core/cell.hpp"
#include "engine/coverage.hpp"

namespace grenzfunk::report {

struct SiteReportInput {
    const std::vector<Cell>* cells = nullptr;                      // the engine's cells (cells.csv)
    const analysis::AnalysisCells* described = nullptr;            // same order
    const analysis::ServiceFigures* figures = nullptr;             // same order
    const std::vector<analysis::BorderMargin>* margins = nullptr;  // null: no border check
    const std::vector<engine::CellStatistics>* statistics = nullptr;  // null: no pixel counts
    std::string home_country;                                         // for the summary
};

// One row per cell, in cells.csv order:
// index,cell_id,site_id,operator,country,technology,layer,frequency_mhz,bandwidth_mhz,
// pixels_computed,best_served_km2,class1_km2..class<n>_km2,none_km2,gap_area_in_reach_km2,
// border_checks,border_worst_margin_db,border_worst_rule
std::string cell_report_csv(const SiteReportInput& input);

// One row per site and technology, then the site's row for all technologies ("all"):
// site_id,country,operator,technology,cells,best_served_km2,class1_km2..class<n>_km2,none_km2,
// gap_area_in_reach_km2,border_checks,border_worst_margin_db,border_worst_rule,
// border_worst_cell. Class columns are empty in the "all" rows.
std::string site_report_csv(const SiteReportInput& input);

// A few lines for the run summary: sites counted, the median and largest best-served and
// gap-in-reach areas of the home sites, the worst border margin.
std::vector<std::string> site_report_summary(const SiteReportInput& input);

}  // namespace grenzfunk::report
