// `grenzfunk plan` as a library call: the search for new sites that close the coverage gaps of
// the [analysis] table within the cross-border limits of the [border] table (docs/planning.md).
//
//   1. the scenario's run without writing (its cells, the engine, the analysis): the gaps;
//   2. candidates (the [planning] table's lattice of high ground near the gaps, or its CSV), each
//      a copy of the template site's cells at one position and antenna height; their received
//      levels computed once, by the engine and model of the run, on the gap pixels;
//   3. the selection: greedy with lazy re-evaluation on the newly covered gap area (or the
//      baselines), each chosen site's cells checked against the border rules;
//   4. the run again with the proposed cells (as a rerun with proposed_sites.csv computes it):
//      the "after" gaps and statistics, the border package of the proposed cells;
//   5. every file staged in the output folder and committed at once (io/output_folder.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/cell.hpp"
#include "pipeline/plan.hpp"

namespace grenzfunk::pipeline {

class RunObserver;

// How the proposal is chosen. greedy: the site with the largest newly covered area next (the
// method); highest: the candidates in order of antenna height above sea level; random: in a
// random order (a fixed seed). The baselines obey the same constraints (spacing, border check).
enum class SelectionMethod { greedy, highest, random };
const char* selection_method_name(SelectionMethod m);

struct SiteSearchRequest {
    RunRequest run;  // the scenario, output folder, threads, engine, creation time
    SelectionMethod method = SelectionMethod::greedy;
    std::uint64_t random_seed = 1;  // for SelectionMethod::random and the comparison's random row
};

struct ProposedSite {
    std::size_t candidate = 0;  // index into the candidates (candidates.csv's row order)
    std::string site_id;
    std::string candidate_id;
    double lat_deg = 0.0, lon_deg = 0.0;
    double x_m = 0.0, y_m = 0.0;  // grid CRS (the candidate's, for plan_layers.gpkg)
    double antenna_height_agl_m = 0.0;
    double azimuth_rotation_deg = 0.0;  // of the template's sector layout
    double elec_tilt_deg = 0.0;         // NaN: the template's tilts (no planning.tilt_choices_deg)
    double ground_m = 0.0;
    double gain_km2 = 0.0;                   // objective added by this site (weighted km2)
    double cumulative_km2 = 0.0;             // of this site and those before it
    double cumulative_share_pct = 0.0;       // of the objective's gap area before
    double worst_margin_db = 0.0;            // NaN when no rule applies to its cells
    std::vector<double> margin_db_per_rule;  // [rule]: worst over its cells; NaN not applied
    std::vector<std::int32_t> gap_ids;       // gaps (before) it covers pixels of
};

struct SiteSearchResult {
    std::size_t candidates = 0;  // candidate sites evaluated
    std::size_t candidate_positions =
        0;  // distinct positions (heights, configurations multiply them)
    // The candidates' engine transmitters, one path-loss computation each (position, antenna
    // height, frequency): the configurations (azimuths, tilts) of one share it.
    std::size_t candidate_transmitters = 0;
    double objective_before_km2 = 0.0;  // weighted gap area the sites could close
    std::vector<ProposedSite> sites;    // in selection order
    std::vector<Cell> proposed_cells;   // as read back from proposed_sites.csv
    double predicted_closed_km2 = 0.0;  // the selection's own sum
    double closed_km2 = 0.0;            // the same from the rerun's coverage (must agree)
    std::size_t border_checks = 0;      // candidates checked at the border
    std::size_t border_rejected = 0;    // of them over the margin
    // Positions and heights checked: each check covers every configuration there at once.
    std::size_t border_check_transmitters = 0;
    double border_check_s = 0.0;  // their total time
    // Closed area after k = 1.. sites for each method (the comparison, comparison.csv).
    std::vector<double> greedy_curve_km2, highest_curve_km2, random_curve_km2;
    double base_s = 0.0, candidates_s = 0.0, search_s = 0.0, after_s = 0.0, total_s = 0.0;
    std::vector<std::string> lines;  // console summary
    std::vector<std::string> files;  // relative to the output folder
    std::string output_directory;
};

// Throws InputError (bad [planning] values, template or candidates), OutputError, Cancelled
// (nothing written then).
SiteSearchResult search_sites(const SiteSearchRequest& request, RunObserver& observer,
                              const std::atomic<bool>& cancel);

}  // namespace grenzfunk::pipeline
