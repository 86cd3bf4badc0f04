// Per-cell and per-site figures of a run's coverage analysis (docs/analysis.md, "Per-cell and
// per-site report"): the area each cell serves, that area per coverage class, the gap area in its
// reach, and the worst margin of its cross-border checks. Pure computation on the analysis
// results; report/site_report.hpp writes them as CSV.
//
// Served: a pixel of the analysis area is served by the best cell of its technology among the
// cells of the pixel's own country group (Composites::best_cell; ties go to the lower cell
// index), the cell its coverage class comes from. Every pixel has at most one server per
// technology, so the best-served areas of a technology's cells partition its served area and
// add up without double counting; a pixel served by several technologies counts once for each.
//
// In reach: a pixel is in a cell's reach when its centre lies within the computation radius
// (CoverageOptions::max_radius_m) of the cell, as in the engine: every pixel the cell could serve.
//
// Sites: the cells with the same site_id and country. A site has one row per technology of its
// cells (the sum of its cells' figures, which cannot overlap) and one for all technologies (the
// union of the pixels its cells serve and of their reach, each pixel once).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "analysis/border_check.hpp"
#include "analysis/composites.hpp"
#include "analysis/coverage_analysis.hpp"
#include "core/cell.hpp"

namespace grenzfunk::analysis {

// The figures of one cell or one site row, in pixels.
struct ServiceCount {
    std::size_t best_served_pixels = 0;
    // [class 0..n] of the technology among the served pixels; empty for a site's
    // all-technologies row (classes of different technologies do not add up).
    std::vector<std::size_t> class_pixels;
    // Retained gap pixels (GapResult::labels > 0) of the cells' own country group in reach.
    std::size_t gap_pixels_in_reach = 0;
};

inline constexpr int kAllTechnologies = -1;

struct SiteService {
    std::string site_id;
    std::string country;
    int slot = kAllTechnologies;     // technology slot, or kAllTechnologies
    std::vector<std::size_t> cells;  // indices of the row's cells, ascending
    ServiceCount count;
};

struct ServiceFigures {
    double pixel_area_km2 = 0.0;
    double reach_radius_m = 0.0;
    std::size_t class_count = 0;      // classes 1..class_count; class 0 = none
    std::vector<ServiceCount> cells;  // one per cell, same order
    // Sites in order of their first cell; per site its technologies in slot order, then the
    // kAllTechnologies row.
    std::vector<SiteService> sites;
};

// `cells` and `described`: the engine's cells, same order. `mask`, `pixel_group`: as for
// classify(). Deterministic: integer counts, every row computed on its own.
ServiceFigures compute_service_figures(const Composites& composites, const CoverageMaps& maps,
                                       const GapResult& gaps, const std::vector<std::uint8_t>& mask,
                                       const std::vector<std::uint8_t>& pixel_group,
                                       const std::vector<Cell>& cells,
                                       const AnalysisCells& described, double reach_radius_m,
                                       const AnalysisOptions& options);

// The worst (smallest) margin of a cell's border checks.
struct BorderMargin {
    std::size_t checks = 0;  // rule checks of the cell; 0 = the cell has no border check
    double worst_margin_db = std::numeric_limits<double>::quiet_NaN();  // NaN: none computed
    std::string rule_id;   // of the worst check; ties: the first check (rule order)
    std::size_t cell = 0;  // the cell giving it (index into the report's cells)
};

// Per report cell (`cell_count` of them): its border margin. `report_cell_of_border_cell`: for
// each cell of the border report, the index of the same cell among the report's cells, or
// kNotInReport when it is not one of them (e.g. out of reach of the analysis area).
inline constexpr std::size_t kNotInReport = std::numeric_limits<std::size_t>::max();
std::vector<BorderMargin> border_margins(const BorderReport& report,
                                         const std::vector<BorderRule>& rules,
                                         const std::vector<std::size_t>& report_cell_of_border_cell,
                                         std::size_t cell_count);

// The worst margin over a set of cells' margins (ties: the first of `cells`).
BorderMargin worst_border_margin(const std::vector<BorderMargin>& margins,
                                 const std::vector<std::size_t>& cells);

}  // namespace grenzfunk::analysis
