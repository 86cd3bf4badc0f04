// The cross-border coordination check: for every home-country cell and every rule that applies
// to it, the field strength at each sample point of the rule's line inside the neighbour
// country, its maximum and where it occurs, the margin to the limit and pass / fail; per-site
// and overall summaries; and an exceedance raster (field strength minus limit, maximum over the
// cells and the rules in force at each pixel) over the neighbour territory.
//
// Per sample point: a terrain profile from the site to the point, the rule's model (its time and
// location percentages, the rule's receiver height), the antenna's gain towards the point
// (true azimuth; elevation with Earth curvature, k = 4/3), the EIRP at boresight and the
// bandwidth normalisation (border_rules.hpp). Cells of one site on the same frequency and
// antenna height share the path loss.
//
// Rules in force at a pixel of the exceedance raster: those whose distance into the neighbour
// country is no larger than the pixel's distance from the home territory (the border limit
// holds at and beyond the border, the 6 km limit at and beyond 6 km).
//
// Deterministic: every value is a pure function of the inputs; parallel loops (TBB) write
// disjoint results, maxima are taken in a fixed order (ties go to the first sample).
#pragma once

#include "engine/path_builder.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/border_geometry.hpp"
#include "analysis/border_rules.hpp"
#include "core/cell.hpp"
#include "core/grid.hpp"
#include "propagation/model.hpp"
#include "terrain/terrain.hpp"

namespace grenzfunk::analysis {

inline constexpr double kBorderNaN = std::numeric_limits<double>::quiet_NaN();

struct BorderCell {
    Cell cell;
    double x_m = 0.0;  // position in the grid CRS
    double y_m = 0.0;
    double true_north_grid_azimuth_deg = 0.0;  // meridian convergence at the site
    // Gain relative to boresight towards (true azimuth, elevation), dB; must not throw.
    std::function<double(double azimuth_deg, double elevation_deg)> relative_gain_db;
    // The cell's code against the preferential codes (border_rules.hpp): selects the rules of
    // its code class; unknown (no code, no set) = the rules of both classes.
    CodeStatus code_status = CodeStatus::no_code_set;
};

struct BorderCheckOptions {
    double max_path_km = 100.0;                // sample points farther away are not computed
    double profile_step_m = 0.0;               // 0 = the terrain's pixel size
    double effective_earth_radius_m = 8495e3;  // k = 4/3, for the elevation angle
    // Sample points' lon/lat for models that read the path's position (path_builder.hpp).
    engine::LonLatOf lon_lat_of;
};

// One cell against one rule.
struct RuleCheck {
    std::size_t cell = 0;  // index into the cells
    std::size_t rule = 0;  // index into the rules
    double bandwidth_correction_db = 0.0;
    std::size_t samples = 0;           // points on the rule's line
    std::size_t samples_computed = 0;  // within max_path_km and on terrain
    std::size_t samples_over_limit = 0;
    double max_field_dbuv_per_m = kBorderNaN;  // in the reference bandwidth
    XY max_point{kBorderNaN, kBorderNaN};
    double max_point_path_km = kBorderNaN;  // distance from the site
    double max_point_gain_db = kBorderNaN;  // antenna gain towards it (relative)
    double max_point_loss_db = kBorderNaN;  // basic transmission loss to it
    std::uint32_t max_point_flags = 0;      // model flags at the maximum
    double margin_db = kBorderNaN;          // limit - max field (negative: exceeded)
    bool pass = true;                       // no sample above the limit
    // The same check under the other method (border_compare.hpp): filled for failed checks and
    // checks within kCompareWithinDb of their limit, when the run computes comparisons.
    struct Comparison {
        std::string model;  // e.g. "p1546" beside an "hcm" rule
        double max_field_dbuv_per_m = kBorderNaN;
        double margin_db = kBorderNaN;
        bool pass = true;
    };
    std::optional<Comparison> comparison;
};

struct CellSummary {
    std::size_t cell = 0;
    CodeStatus code_status = CodeStatus::no_code_set;  // as the cell came in
    // No code known, so the rules of both code classes were applied (the report says so).
    bool both_code_classes = false;
    std::vector<std::size_t> checks;  // indices into BorderReport::checks
    bool pass = true;
    double worst_margin_db = kBorderNaN;  // NaN when no rule applies
};

struct SiteSummary {
    std::string site_id;
    std::string site_name;
    std::size_t cells = 0;
    std::size_t checks = 0;
    std::size_t failed_checks = 0;
    std::size_t failed_cells = 0;
    double worst_margin_db = kBorderNaN;
    std::size_t worst_check = 0;  // index into checks (valid if worst_margin_db is a number)
};

struct BorderReport {
    std::vector<RuleCheck> checks;   // ordered by cell, then rule
    std::vector<CellSummary> cells;  // one per input cell, in input order
    std::vector<SiteSummary> sites;  // in order of first appearance
    std::size_t failed_checks = 0;
    std::size_t failed_cells = 0;
    std::size_t cells_without_rule = 0;
    std::vector<std::size_t> unused_rules;  // rules no cell matched
};

// Models per rule, created from the rule's model name and parameters (time/location percent
// added; models without variability, e.g. free-space, ignore them). Throws InputError naming the
// rule (its `where`) for bad model settings or a frequency outside the model's range for a cell the
// rule applies to.
// `resources` gives a model the data sets it takes at creation (propagation::ModelResources;
// the pipeline reads them); empty: none.
using ModelResourcesFor = std::function<propagation::ModelResources(
    const std::string& model, const ParameterSet& parameters, const std::string& context)>;
std::vector<std::unique_ptr<propagation::PropagationModel>> create_rule_models(
    const std::vector<BorderRule>& rules, const std::vector<BorderCell>& cells,
    const ModelResourcesFor& resources = {});

using BorderProgress = std::function<void(double done, double total)>;

BorderReport run_border_check(
    const std::vector<BorderCell>& cells, const std::vector<BorderRule>& rules,
    const std::vector<std::unique_ptr<propagation::PropagationModel>>& models,
    const BorderGeometry& geometry, const terrain::TerrainModel& terrain,
    const BorderCheckOptions& options, const BorderProgress& progress = {},
    const std::atomic<bool>* cancel = nullptr);

// Exceedance raster on `grid` (NaN outside the neighbour territory or where nothing was
// computed): max over cells and rules in force of (field strength - limit), dB.
Raster<float> border_exceedance_raster(
    const GridSpec& grid, const std::vector<BorderCell>& cells,
    const std::vector<BorderRule>& rules,
    const std::vector<std::unique_ptr<propagation::PropagationModel>>& models,
    const BorderGeometry& geometry, const terrain::TerrainModel& terrain,
    const BorderCheckOptions& options, const BorderProgress& progress = {},
    const std::atomic<bool>* cancel = nullptr);

// Thrown when `cancel` becomes true.
class BorderCancelled : public std::runtime_error {
  public:
    BorderCancelled() : std::runtime_error("cancelled") {}
};

}  // namespace grenzfunk::analysis
