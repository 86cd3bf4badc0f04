// Pieces shared by the reference engine (coverage.cpp) and the radial engine
// (radial_engine.cpp). Not part of the public API.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

#include "core/units.hpp"
#include "engine/coverage.hpp"
#include "engine/path_builder.hpp"

namespace grenzfunk::engine::detail {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Cells at the same place, height and frequency share one path-loss computation.
struct Transmitter {
    std::size_t first_cell = 0;  // representative
    std::vector<std::size_t> cells;
};

std::vector<Transmitter> group_transmitters(const std::vector<TransmitterCell>& cells);

struct Window {
    int col0 = 0, row0 = 0, col1 = -1, row1 = -1;  // inclusive
    int width() const { return col1 - col0 + 1; }
    int height() const { return row1 - row0 + 1; }
    bool empty() const { return col1 < col0 || row1 < row0; }
};

Window window_around(const GridSpec& g, double x_m, double y_m, double radius_m);

struct Counts {
    std::uint64_t computed = 0, flagged = 0, no_terrain = 0;
};

constexpr std::uint32_t kOutsideRangeFlags =
    propagation::outside_frequency_range | propagation::outside_distance_range |
    propagation::outside_tx_height_range | propagation::outside_rx_height_range |
    propagation::outside_other_range;

// Everything one transmitter's pixels are written with. Pixels are independent: write() may run
// concurrently for different pixels, never for the same one.
struct TransmitterJob {
    const terrain::TerrainModel* terrain = nullptr;
    const GridSpec* grid = nullptr;
    const std::vector<std::uint8_t>* mask = nullptr;
    const std::vector<TransmitterCell>* cells = nullptr;
    const Transmitter* tx = nullptr;
    const propagation::PropagationModel* model = nullptr;
    const CoverageOptions* options = nullptr;
    const std::vector<LevelSink*>* sinks = nullptr;
    const LonLatOf* lon_lat_of = nullptr;  // lon/lat of pixels; null or empty: unknown (NaN)
    const std::atomic<bool>* cancel = nullptr;
    CoverageResult* result = nullptr;
    Raster<float>* loss_window = nullptr;  // with keep_path_loss
    Window window;
    double step_m = 0.0;
    double tx_amsl_m = 0.0;
    double field_offset_db = 0.0;
    // Land-cover clutter (CoverageOptions::land_cover_class, the representative cell's table);
    // empty when there is none.
    std::span<const std::uint8_t> land_cover_class;
    std::span<const float> land_cover_loss_db;
    // Called from the calling thread with the fraction of this transmitter done (may be empty).
    std::function<void(double)> partial_progress;

    const TransmitterCell& rep() const { return (*cells)[tx->first_cell]; }
    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }

    // Asks the caches for the pixel's entries of the composites that write() reads and
    // updates: the radial engine submits a pixel some pixels before its result comes back, and
    // along a radial consecutive pixels lie on different rows (these loads missed the caches).
    void prefetch(int col, int row) const {
        const std::size_t idx = std::size_t(row) * std::size_t(grid->width) + std::size_t(col);
        __builtin_prefetch(&result->best_level_dbm.values[idx], 1);
        __builtin_prefetch(&result->best_server.values[idx], 1);
        __builtin_prefetch(&result->max_field_dbuv_per_m.values[idx], 1);
    }

    // Records one pixel's path loss: statistics, the path-loss window, and for every cell of
    // the transmitter (in input order) its received level into the composites and the sinks.
    void write(int col, int row, double dx, double dy, double distance_m, double rx_ground_m,
               const propagation::PathResult& r, Counts& counts) const {
        if (!std::isfinite(r.loss_db)) return;
        ++counts.computed;
        if (r.flags & kOutsideRangeFlags) ++counts.flagged;
        const std::size_t idx = std::size_t(row) * std::size_t(grid->width) + std::size_t(col);
        double loss_db = r.loss_db;
        if (!land_cover_class.empty()) {
            const std::size_t k = land_cover_class[idx];
            if (k < land_cover_loss_db.size()) loss_db += double(land_cover_loss_db[k]);
        }
        if (loss_window) loss_window->at(col - window.col0, row - window.row0) = float(loss_db);

        // Direction to the pixel for the antenna pattern: grid azimuth corrected to true
        // north; elevation including Earth curvature (k-factor radius). Computed only when a
        // cell has a pattern (omni cells leave relative_gain_db empty: 0 dB).
        double grid_azimuth = 0.0, elevation_deg = 0.0;
        bool have_direction = false;

        float& best = result->best_level_dbm.values[idx];
        std::int32_t& server = result->best_server.values[idx];
        float& field = result->max_field_dbuv_per_m.values[idx];
        for (std::size_t ci : tx->cells) {
            const TransmitterCell& c = (*cells)[ci];
            double gain_db = 0.0;
            if (c.relative_gain_db) {
                if (!have_direction) {
                    // path_builder.hpp, "direction".
                    grid_azimuth = grid_azimuth_deg(dx, dy);
                    elevation_deg =
                        antenna_elevation_deg(tx_amsl_m, rx_ground_m + options->rx_height_agl_m,
                                              distance_m, options->effective_earth_radius_m);
                    have_direction = true;
                }
                gain_db = c.relative_gain_db(
                    true_azimuth_deg(grid_azimuth, c.true_north_grid_azimuth_deg), elevation_deg);
            }
            const float level_dbm = float(c.eirp_dbm + gain_db - loss_db);
            if (std::isnan(best) || level_dbm > best ||
                (level_dbm == best && std::int32_t(ci) < server)) {
                best = level_dbm;
                server = std::int32_t(ci);
            }
            for (LevelSink* sink : *sinks) sink->add(idx, std::uint32_t(ci), level_dbm);
            const float field_dbuv = float(level_dbm + field_offset_db);
            if (std::isnan(field) || field_dbuv > field) field = field_dbuv;
        }
    }
};

// One transmitter by the reference path (coverage.cpp): every pixel its own profile.
void reference_transmitter(const TransmitterJob& job, Counts& total);

// One transmitter by radial sweeps (radial_engine.cpp); see docs/engine.md.
void radial_transmitter(const TransmitterJob& job, Counts& total);

}  // namespace grenzfunk::engine::detail
