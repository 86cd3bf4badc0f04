#include "pipeline/coverage_stage.hpp"

#include <cmath>
#include <set>
#include <sstream>
#include <tuple>

#include "core/channels.hpp"
#include "core/text_format.hpp"
#include "pipeline/band_bytes.hpp"
#include "pipeline/plan.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::pipeline {

namespace fs = std::filesystem;

namespace {

constexpr float kFloatNodata = -9999.0f;

io::RasterWriteOptions raster_options(const RunContext& run, const std::string& holds,
                                      const std::string& unit) {
    io::RasterWriteOptions o;
    o.band_description = holds;
    o.unit = unit;
    o.metadata = run.metadata;
    return o;
}

std::string cells_csv(const RunPlan& plan, const std::vector<engine::CellStatistics>& stats) {
    std::ostringstream csv;
    csv << "index,cell_id,site_id,country,technology,lat_deg,lon_deg,x_m,y_m,"
           "antenna_height_agl_m,azimuth_deg,mech_tilt_deg,elec_tilt_deg,antenna_pattern,"
           "frequency_mhz,bandwidth_mhz,channel,eirp_dbm,pixels_computed,"
           "pixels_outside_model_range,source\n";
    for (std::size_t k = 0; k < plan.active.size(); ++k) {
        const Cell& c = plan.cells[plan.active[k]];
        const engine::TransmitterCell& t = plan.transmitters[k];
        csv << k << ',' << text::csv_field(c.cell_id) << ',' << text::csv_field(c.site_id) << ','
            << text::csv_field(c.country) << ',' << technology_name(c.technology) << ','
            << text::format_fixed(c.lat_deg, 6) << ',' << text::format_fixed(c.lon_deg, 6) << ','
            << text::format_fixed(t.x_m, 1) << ',' << text::format_fixed(t.y_m, 1) << ','
            << text::format_fixed(c.antenna_height_agl_m, 1) << ','
            << text::format_fixed(c.azimuth_deg, 1) << ',' << text::format_fixed(c.mech_tilt_deg, 1)
            << ',' << text::format_fixed(c.elec_tilt_deg, 1) << ','
            << text::csv_field(c.antenna_pattern) << ',' << text::format_fixed(c.frequency_mhz, 3)
            << ',' << text::format_fixed(c.bandwidth_mhz, 3) << ','
            << text::csv_field(channels::channel_text(c)) << ','
            << text::format_fixed(c.eirp_dbm, 2) << ',' << stats[k].pixels_computed << ','
            << stats[k].pixels_flagged_outside_range << ',' << text::csv_field(c.source) << '\n';
    }
    return csv.str();
}

}  // namespace

void CoverageStage::prepare(RunContext& run) {
    plan_ = &run.plan;
    const RunPlan& plan = run.plan;
    const fs::path& dir = plan.output_directory;
    // Fail now, not after the computation, if an earlier file is in the way.
    for (const char* name : {"best_rx_level_dbm.tif", "max_field_strength_dbuv_per_m.tif",
                             "terrain_m.tif", "best_server.tif", "cells.csv", "manifest.json"})
        run.outputs.check_replaceable(dir / name);
    const GridSpec& g = plan.area.grid;
    auto scratch = [&](const char* name) { return run.outputs.scratch_path(dir / name); };
    const io::OutputOptions& o = plan.scenario.outputs;
    // The composites of a run of one band are kept whole to the end (run.whole_result) and
    // written from there; streaming them to scratch files and reading them back was 3 % of the
    // single-site job's coverage time, all on one thread. The same bytes either way
    // (geotiff_writer.hpp). The terrain is not kept whole on the analysis grid: always streamed.
    const bool streamed = plan.band_count > 1;
    if (o.best_level && streamed)
        best_.emplace(dir / "best_rx_level_dbm.tif", g, kFloatNodata,
                      scratch("best_rx_level_dbm.tif"));
    if (o.field_strength && streamed)
        field_.emplace(dir / "max_field_strength_dbuv_per_m.tif", g, kFloatNodata,
                       scratch("max_field_strength_dbuv_per_m.tif"));
    if (o.terrain)
        terrain_.emplace(dir / "terrain_m.tif", g, kFloatNodata, scratch("terrain_m.tif"));
    if (o.best_server && streamed)
        server_.emplace(dir / "best_server.tif", g, std::int32_t(-1), scratch("best_server.tif"));
    cell_statistics_.assign(plan.transmitters.size(), {});
    level_min_ = INFINITY;
    level_max_ = -INFINITY;
    start_ = std::chrono::steady_clock::now();
    cpu_start_ = std::clock();
}

void CoverageStage::band_end(RunContext& run, BandContext& band) {
    (void)run;
    const engine::CoverageResult& result = band.result;
    for (std::size_t k = 0; k < cell_statistics_.size(); ++k) {
        const engine::CellStatistics& c = result.cell_statistics[k];
        cell_statistics_[k].pixels_computed += c.pixels_computed;
        cell_statistics_[k].pixels_flagged_outside_range += c.pixels_flagged_outside_range;
        cell_statistics_[k].pixels_without_terrain += c.pixels_without_terrain;
    }
    for (std::size_t p = 0; p < band.mask.size(); ++p) {
        if (!band.mask[p]) continue;
        ++area_pixels_;
        const float v = result.best_level_dbm.values[p];
        if (std::isnan(v)) continue;
        ++served_;
        above_110_ += (v >= -110.0f);
        level_min_ = std::min(level_min_, v);
        level_max_ = std::max(level_max_, v);
    }
    if (best_) best_->write_rows(band.first_row, result.best_level_dbm);
    if (field_) field_->write_rows(band.first_row, result.max_field_dbuv_per_m);
    if (terrain_) terrain_->write_rows(band.first_row, band.terrain_on_grid);
    if (server_) server_->write_rows(band.first_row, result.best_server);
}

namespace {

// The rasters a band carries: the field also for the [border] check's whole-grid field.
struct Carried {
    bool field, server, terrain;
};

Carried carried(const RunPlan& plan) {
    const io::OutputOptions& o = plan.scenario.outputs;
    return {o.field_strength || plan.border != nullptr, o.best_server, o.terrain};
}

}  // namespace

void CoverageStage::band_pack(RunContext& run, BandContext& band, bytes::Writer& out) {
    const Carried c = carried(run.plan);
    put_coverage_band(out, band.result, band.terrain_on_grid, c.field, c.server, c.terrain);
}

void CoverageStage::band_unpack(RunContext& run, BandContext& band, bytes::Reader& in) {
    CoverageBand got = get_coverage_band(in, band.grid);
    if (got.result.cell_statistics.size() != run.plan.transmitters.size() ||
        got.result.best_level_dbm.values.size() != band.grid.pixel_count())
        throw std::runtime_error("band " + std::to_string(band.index) +
                                 ": a message between the ranks does not fit the band");
    band.result = std::move(got.result);
    band.terrain_on_grid = std::move(got.terrain_on_grid);
    band_end(run, band);
}

void CoverageStage::write(RunContext& run) {
    compute_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() -
                 terrain_s;
    compute_cpu_s_ =
        double(std::clock() - cpu_start_) / CLOCKS_PER_SEC - terrain_cpu_s + remote_compute_cpu_s;
    const RunPlan& plan = run.plan;
    // Transmitters sharing site, height and frequency share one path-loss computation.
    std::set<std::tuple<double, double, double, double>> seen;
    for (std::size_t k = 0; k < plan.transmitters.size(); ++k) {
        const engine::TransmitterCell& t = plan.transmitters[k];
        if (seen.emplace(t.x_m, t.y_m, t.antenna_height_agl_m, t.frequency_mhz).second)
            path_losses_ += cell_statistics_[k].pixels_computed;
    }

    const fs::path& dir = plan.output_directory;
    const io::OutputOptions& o = plan.scenario.outputs;
    const auto add_product = [&](const std::string& file, const std::string& holds,
                                 const std::string& unit) {
        run.products.push_back({file, holds, unit.empty() ? "index" : unit});
    };
    // A float composite from its stream, or (a run of one band, see prepare) from the whole
    // result.
    const auto add_float = [&](bool wanted, std::optional<io::RasterStream<float>>& stream,
                               const char* file, const Raster<float>& whole,
                               const std::string& holds, const std::string& unit) {
        if (!wanted) return;
        if (stream)
            run.outputs.add_geotiff(*stream, raster_options(run, holds, unit));
        else
            run.outputs.add_geotiff(dir / file, io::nan_to_nodata(whole, kFloatNodata),
                                    raster_options(run, holds, unit));
        add_product(file, holds, unit);
    };
    add_float(o.best_level, best_, "best_rx_level_dbm.tif", run.whole_result.best_level_dbm,
              "best received level over all cells (isotropic receiver)", "dBm");
    add_float(o.field_strength, field_, "max_field_strength_dbuv_per_m.tif",
              run.whole_result.max_field_dbuv_per_m, "strongest field strength of any cell",
              "dBuV/m");
    if (terrain_) {
        const std::string holds = "terrain elevation above sea level";
        run.outputs.add_geotiff(*terrain_, raster_options(run, holds, "m"));
        add_product("terrain_m.tif", holds, "m");
    }
    if (o.best_server) {
        // One colour per cell, labelled with its cell id (the row of cells.csv).
        std::vector<std::string> labels;
        for (std::size_t k = 0; k < plan.active.size(); ++k)
            labels.push_back(plan.cells[plan.active[k]].cell_id);
        io::RasterWriteOptions options =
            raster_options(run, "best-server cell: row index in cells.csv", "");
        options.style = io::index_style(labels);
        if (server_)
            run.outputs.add_geotiff(*server_, options);
        else
            run.outputs.add_geotiff(dir / "best_server.tif", run.whole_result.best_server, options);
        add_product("best_server.tif", options.band_description, "");
    }
    if (plan.scenario.outputs.path_loss_per_cell) {
        // Cell ids are checked to be file-name safe when the sites are read (core/cell.hpp).
        for (std::size_t k = 0; k < plan.active.size(); ++k) {
            const Cell& c = plan.cells[plan.active[k]];
            if (run.whole_result.path_loss_db[k].values.empty()) continue;
            const std::string file = "cells/" + c.cell_id + "_path_loss_db.tif";
            const std::string holds = "basic transmission loss of cell " + c.cell_id;
            run.outputs.add_geotiff(
                dir / file, io::nan_to_nodata(run.whole_result.path_loss_db[k], kFloatNodata),
                raster_options(run, holds, "dB"));
            run.products.push_back({file, holds, "dB"});
        }
    }
    const std::string holds = "the cells computed; best_server.tif indexes its rows";
    run.outputs.add_text(dir / "cells.csv", cells_csv(plan, cell_statistics_), holds);
    run.products.push_back({"cells.csv", holds, ""});
}

std::vector<std::string> CoverageStage::summary() const {
    const RunPlan& plan = *plan_;
    const io::Scenario& s = plan.scenario;
    const GridSpec& g = plan.area.grid;
    std::vector<std::string> lines;
    lines.push_back("cells: " + std::to_string(plan.active.size()) + " computed (" +
                    std::to_string(plan.cells.size() - plan.active.size()) +
                    " outside reach), model " + std::string(plan.model->name()));
    lines.push_back(
        std::string("engine ") + engine_name(plan.engine_options.engine) + ": " +
        std::to_string(path_losses_) + " path losses in " + text::format_fixed(compute_s_, 3) +
        " s wall, " + text::format_fixed(compute_cpu_s_, 3) + " s CPU (" +
        text::format_fixed(compute_cpu_s_ > 0 ? double(path_losses_) / compute_cpu_s_ : 0.0, 0) +
        " pixels/s/core)");
    lines.push_back("grid: " + std::to_string(g.width) + " x " + std::to_string(g.height) +
                    " pixels of " + text::format_fixed(s.resolution_m, 0) + " m in " + s.crs +
                    ", " + std::to_string(area_pixels_) + " in the analysis area");
    const bool banded = plan.band_count > 1;
    lines.push_back(
        "terrain: read in " + text::format_fixed(terrain_s, 1) + " s" +
        (banded ? " for " + std::to_string(plan.band_count) + " bands of up to " +
                      std::to_string(plan.band_rows) + " rows (each grown by the radius)"
                : std::string()) +
        "; " + std::to_string(filled_void_pixels) + " void pixels filled by interpolation" +
        (banded ? " (summed over the bands)" : ""));
    if (served_ > 0) {
        // The metric is the median carrier power (no location margin); the share is of the
        // computed area: the analysis-area pixels that got a value (pixels out of every cell's
        // reach or without terrain get none).
        const double pixel_km2 = g.pixel_size_m * g.pixel_size_m / 1e6;
        lines.push_back(
            "best received level = carrier power at an isotropic receive antenna, median (50 % "
            "of locations): " +
            text::format_fixed(level_min_, 1) + " to " + text::format_fixed(level_max_, 1) +
            " dBm");
        lines.push_back("  " + text::format_fixed(100.0 * double(above_110_) / double(served_), 1) +
                        " % of the computed area (" +
                        text::format_fixed(double(served_) * pixel_km2, 1) +
                        " km2 of the analysis area's " +
                        text::format_fixed(double(area_pixels_) * pixel_km2, 1) +
                        " km2 got a value) has a median carrier level >= -110 dBm");
    }
    return lines;
}

double CoverageStage::coverage_seconds() const {
    return compute_s_;
}

}  // namespace grenzfunk::pipeline
