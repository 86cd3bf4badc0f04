#include "engine/coverage.hpp"

#include <tbb/blocked_range.h>
#include <tbb/combinable.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>

#include "core/parallel.hpp"
#include "core/units.hpp"
#include "engine/coverage_internal.hpp"

namespace grenzfunk::engine {

namespace detail {

std::vector<Transmitter> group_transmitters(const std::vector<TransmitterCell>& cells) {
    std::map<std::tuple<double, double, double, double>, std::size_t> index;
    std::vector<Transmitter> out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const auto key = std::make_tuple(cells[i].x_m, cells[i].y_m, cells[i].antenna_height_agl_m,
                                         cells[i].frequency_mhz);
        auto [it, inserted] = index.emplace(key, out.size());
        if (inserted) out.push_back({i, {}});
        out[it->second].cells.push_back(i);
    }
    return out;
}

Window window_around(const GridSpec& g, double x_m, double y_m, double radius_m) {
    Window w;
    w.col0 = std::max(0, int(std::floor(g.col_of(x_m - radius_m))));
    w.col1 = std::min(g.width - 1, int(std::floor(g.col_of(x_m + radius_m))));
    w.row0 = std::max(0, int(std::floor(g.row_of(y_m + radius_m))));
    w.row1 = std::min(g.height - 1, int(std::floor(g.row_of(y_m - radius_m))));
    return w;
}

void reference_transmitter(const TransmitterJob& job, Counts& total) {
    const TransmitterCell& rep = job.rep();
    const GridSpec& grid = *job.grid;
    const terrain::TerrainModel& terrain = *job.terrain;
    const std::vector<std::uint8_t>& mask = *job.mask;
    const Window w = job.window;
    const double radius_m = job.options->max_radius_m;
    PathEnd tx;
    tx.x_m = rep.x_m;
    tx.y_m = rep.y_m;
    tx.lon_deg = rep.lon_deg;
    tx.lat_deg = rep.lat_deg;
    tx.height_agl_m = rep.antenna_height_agl_m;
    PathSettings settings;
    settings.frequency_mhz = rep.frequency_mhz;
    settings.profile_step_m = job.step_m;
    settings.needs_profile = job.model->needs_terrain_profile();
    // The pixel's lon/lat (path centre) only for models that read it (model.hpp).
    const bool needs_position =
        job.lon_lat_of && *job.lon_lat_of && job.model->needs_path_position();
    tbb::combinable<Counts> counts;

    core::parallel_for(tbb::blocked_range<int>(w.row0, w.row1 + 1), [&](const auto& rows) {
        thread_local std::vector<double> profile;
        Counts& local = counts.local();
        BuiltPath path;
        for (int row = rows.begin(); row != rows.end(); ++row) {
            if (job.cancelled()) return;
            const double y = grid.centre_y_m(row);
            for (int col = w.col0; col <= w.col1; ++col) {
                const std::size_t idx =
                    std::size_t(row) * std::size_t(grid.width) + std::size_t(col);
                if (!mask[idx]) continue;
                const double x = grid.centre_x_m(col);
                const double dx = x - rep.x_m, dy = y - rep.y_m;
                const double distance_m = std::sqrt(dx * dx + dy * dy);
                if (distance_m > radius_m) continue;

                PathEnd rx;
                rx.x_m = x;
                rx.y_m = y;
                rx.height_agl_m = job.options->rx_height_agl_m;
                if (needs_position) (*job.lon_lat_of)(x, y, rx.lon_deg, rx.lat_deg);
                if (!build_path(terrain, tx, rx, settings, profile, path)) {
                    ++local.no_terrain;
                    continue;
                }
                job.write(col, row, dx, dy, distance_m, path.rx_ground_m,
                          job.model->loss(path.query), local);
            }
        }
    });
    counts.combine_each([&](const Counts& c) {
        total.computed += c.computed;
        total.flagged += c.flagged;
        total.no_terrain += c.no_terrain;
    });
}

}  // namespace detail

CoverageResult compute_coverage(const terrain::TerrainModel& terrain, const GridSpec& grid,
                                const std::vector<std::uint8_t>& mask,
                                const std::vector<TransmitterCell>& cells,
                                const propagation::PropagationModel& model,
                                const CoverageOptions& options, const ProgressCallback& progress,
                                const std::atomic<bool>* cancel,
                                const std::vector<LevelSink*>& sinks) {
    using namespace detail;
    if (!options.land_cover_class.empty() && options.land_cover_class.size() != grid.pixel_count())
        throw std::invalid_argument("compute_coverage: land_cover_class has " +
                                    std::to_string(options.land_cover_class.size()) +
                                    " values for a grid of " + std::to_string(grid.pixel_count()) +
                                    " pixels");
    CoverageResult result;
    result.best_level_dbm = Raster<float>(grid, kNaN);
    result.best_server = Raster<std::int32_t>(grid, -1);
    result.max_field_dbuv_per_m = Raster<float>(grid, kNaN);
    result.cell_statistics.resize(cells.size());
    if (options.keep_path_loss) result.path_loss_db.resize(cells.size());

    const double step_m =
        options.profile_step_m > 0.0 ? options.profile_step_m : terrain.grid().pixel_size_m;
    const double radius_m = options.max_radius_m;
    // The radial path needs the model's PrefixEvaluator; models without one (and models that
    // need no terrain) are computed on the reference path.
    const bool radial = options.engine == EngineKind::fast && model.needs_terrain_profile() &&
                        !cells.empty() &&
                        model.prefix_evaluator(propagation::PathQuery{}) != nullptr;
    const std::vector<Transmitter> transmitters = group_transmitters(cells);

    // Work estimate: window area per transmitter.
    std::vector<double> work(transmitters.size());
    double total_work = 0.0;
    for (std::size_t t = 0; t < transmitters.size(); ++t) {
        const TransmitterCell& c = cells[transmitters[t].first_cell];
        const Window w = window_around(grid, c.x_m, c.y_m, radius_m);
        work[t] = w.empty() ? 0.0 : double(w.width()) * w.height();
        total_work += work[t];
    }
    double done_work = 0.0;

    for (std::size_t t = 0; t < transmitters.size(); ++t) {
        if (cancel && cancel->load()) throw Cancelled();
        const Transmitter& tx = transmitters[t];
        const TransmitterCell& rep = cells[tx.first_cell];
        const Window w = window_around(grid, rep.x_m, rep.y_m, radius_m);
        if (w.empty()) continue;

        Raster<float> loss_window;
        if (options.keep_path_loss) {
            GridSpec wg = grid;
            wg.origin_x_m = grid.origin_x_m + w.col0 * grid.pixel_size_m;
            wg.origin_y_m = grid.origin_y_m - w.row0 * grid.pixel_size_m;
            wg.width = w.width();
            wg.height = w.height();
            loss_window = Raster<float>(wg, kNaN);
        }

        TransmitterJob job;
        job.terrain = &terrain;
        job.grid = &grid;
        job.mask = &mask;
        job.cells = &cells;
        job.tx = &tx;
        job.model = &model;
        job.options = &options;
        job.sinks = &sinks;
        job.lon_lat_of = &options.lon_lat_of;
        job.cancel = cancel;
        job.result = &result;
        job.loss_window = options.keep_path_loss ? &loss_window : nullptr;
        job.window = w;
        job.step_m = step_m;
        job.tx_amsl_m = terrain.elevation_at(rep.x_m, rep.y_m) + rep.antenna_height_agl_m;
        job.field_offset_db = 20.0 * std::log10(rep.frequency_mhz) + 77.2190;
        if (!options.land_cover_class.empty() && !rep.land_cover_loss_db.empty()) {
            job.land_cover_class = options.land_cover_class;
            job.land_cover_loss_db = rep.land_cover_loss_db;
        }

        if (progress)
            job.partial_progress = [&, t](double fraction) {
                progress(done_work + fraction * work[t], total_work);
            };
        Counts total;
        if (radial)
            radial_transmitter(job, total);
        else
            reference_transmitter(job, total);
        if (cancel && cancel->load()) throw Cancelled();

        for (std::size_t ci : tx.cells) {
            result.cell_statistics[ci] = {total.computed, total.flagged, total.no_terrain};
            if (options.keep_path_loss) result.path_loss_db[ci] = loss_window;
        }
        done_work += work[t];
        if (progress) progress(done_work, total_work);
    }
    return result;
}

std::size_t transmitter_count(const std::vector<TransmitterCell>& cells) {
    return detail::group_transmitters(cells).size();
}

}  // namespace grenzfunk::engine
