// The coverage engine: for every cell, path loss and received level on the analysis grid within
// the cell's radius, combined into composites (best received level, best server, field strength).
//
// Reference path, used by the foundation: each pixel gets its own terrain profile from the
// transmitter to the pixel centre, sampled every `profile_step_m` (default: the terrain pixel
// size) by bilinear interpolation, and one model call. Cells that share position, antenna height
// and frequency (the sectors of a site) share that path loss; only their antenna gain differs.
//
// Fast path (CoverageOptions::engine = fast, radial_engine.cpp): for terrain models the
// pixels are computed on radial sweeps from the transmitter, each pixel on a profile that is a
// prefix of its radial plus its own end point; docs/engine.md states that profile precisely.
// Models without terrain, and models without a PrefixEvaluator (all but ITM and p526-bullington
// so far), are computed exactly as on the reference path.
//
// Determinism: every pixel is a pure function of the inputs; cells are combined in a fixed order
// and ties of the best level go to the cell with the lower index. Rows are
// processed in parallel with TBB, which changes nothing in the result: identical bytes for any
// thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/engine_kind.hpp"
#include "core/error.hpp"
#include "core/grid.hpp"
#include "engine/path_builder.hpp"
#include "propagation/model.hpp"
#include "terrain/terrain.hpp"

namespace grenzfunk::engine {

struct TransmitterCell {
    double x_m = 0.0;  // position in the grid CRS
    double y_m = 0.0;
    double lat_deg = 0.0;
    double lon_deg = 0.0;
    double antenna_height_agl_m = 0.0;
    double frequency_mhz = 0.0;
    double eirp_dbm = 0.0;
    // Grid azimuth of true north at the site (meridian convergence), degrees clockwise.
    double true_north_grid_azimuth_deg = 0.0;
    // Antenna gain relative to boresight (dB, <= 0) towards a target given by its true azimuth
    // (degrees clockwise from north) and elevation (degrees, positive up). Must not throw.
    // Empty: omni (0 dB everywhere); the engine then skips the direction to each pixel.
    std::function<double(double azimuth_deg, double elevation_deg)> relative_gain_db;
    // Clutter loss at the receiver per land-cover class (dB; CoverageOptions::land_cover_class
    // indexes it): e.g. ITU-R P.2108-1 §3.1 at this cell's frequency and the receiver height.
    // Cells sharing a transmitter use the first one's table. Empty: no land-cover clutter.
    std::vector<float> land_cover_loss_db;
};

using grenzfunk::EngineKind;

struct CoverageOptions {
    EngineKind engine = kDefaultEngine;
    // Fast path: radials per transmitter = oversampling x (circumference at max_radius_m /
    // analysis pixel size), so neighbouring radials are pixel/oversampling apart at the rim.
    double radial_oversampling = 2.0;
    // Fast path: the last samples of every profile (before the receiver) are the pixel's own,
    // on its own line as on the reference path; the rest come from the radial.
    int exact_tail_samples = 32;
    double rx_height_agl_m = 1.5;
    double max_radius_m = 30000.0;
    double profile_step_m = 0.0;               // 0 = terrain pixel size
    double effective_earth_radius_m = 8495e3;  // k = 4/3, for the elevation angle only
    bool keep_path_loss = false;               // keep each transmitter's path-loss window
    // Pixels' lon/lat for models that read the path's position (path_builder.hpp); empty: NaN.
    LonLatOf lon_lat_of;
    // Land-cover class of each analysis-grid pixel (row-major, the grid's size), a view the
    // caller keeps alive; empty: no land cover. Every pixel's path loss gets
    // land_cover_loss_db[class] of its transmitter added (one lookup; a class past the end of
    // the table, e.g. kNoLandCoverClass = 255, adds nothing), on both engines alike, before the
    // received level, the composites and the kept path loss.
    std::span<const std::uint8_t> land_cover_class;
};

struct CellStatistics {
    std::uint64_t pixels_computed = 0;
    std::uint64_t pixels_flagged_outside_range = 0;  // model warnings (outside_* flags)
    std::uint64_t pixels_without_terrain = 0;        // profile crossed a terrain hole
};

struct CoverageResult {
    Raster<float> best_level_dbm;        // nodata NaN
    Raster<std::int32_t> best_server;    // index into the cells; nodata -1
    Raster<float> max_field_dbuv_per_m;  // strongest field strength of any cell; nodata NaN
    std::vector<CellStatistics> cell_statistics;
    // With keep_path_loss: per cell, the window of the analysis grid within its radius holding
    // the basic transmission loss (dB, NaN outside the radius or the analysis area).
    std::vector<Raster<float>> path_loss_db;
};

// Receives every received level the engine computes, for analyses beyond the built-in
// composites (SINR, overlap counts, per-layer sums...). Contract: for any one pixel, calls come
// in a fixed order that does not depend on the thread count (transmitters in input order, then
// the cells sharing that transmitter in input order), and never concurrently for the same
// pixel; different pixels are processed concurrently. `level_dbm` includes the antenna gain.
class LevelSink {
  public:
    virtual ~LevelSink() = default;
    virtual void add(std::size_t pixel, std::uint32_t cell, float level_dbm) noexcept = 0;
};

// Called after each transmitter with work done and total work (arbitrary units).
using ProgressCallback = std::function<void(double done, double total)>;

using grenzfunk::Cancelled;  // core/error.hpp

// `analysis_mask` has one byte per analysis-grid pixel (1 = compute). The terrain is sampled in
// grid coordinates, so it should cover the analysis grid plus the radius around every cell.
// Throws Cancelled if `cancel` becomes true.
CoverageResult compute_coverage(const terrain::TerrainModel& terrain, const GridSpec& analysis_grid,
                                const std::vector<std::uint8_t>& analysis_mask,
                                const std::vector<TransmitterCell>& cells,
                                const propagation::PropagationModel& model,
                                const CoverageOptions& options,
                                const ProgressCallback& progress = {},
                                const std::atomic<bool>* cancel = nullptr,
                                const std::vector<LevelSink*>& sinks = {});

// How many transmitters compute_coverage makes of `cells`: one path-loss computation each, shared
// by the cells at the same position, antenna height and frequency.
std::size_t transmitter_count(const std::vector<TransmitterCell>& cells);

}  // namespace grenzfunk::engine
