#include "cli/run_scenario.hpp"
#include "core/text_format.hpp"

#include <tbb/global_control.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "antenna/pattern.hpp"
#include "cli/border_run.hpp"
#include "cli/progress.hpp"
#include "core/cell.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "engine/coverage.hpp"
#include "io/analysis_area.hpp"
#include "io/analysis_stage.hpp"
#include "io/crs.hpp"
#include "io/geotiff_writer.hpp"
#include "io/opencellid.hpp"
#include "io/scenario.hpp"
#include "io/sites_csv.hpp"
#include "io/terrain_reader.hpp"
#include "propagation/clutter_loss.hpp"
#include "propagation/registry.hpp"

namespace grenzfunk::cli {

namespace fs = std::filesystem;

namespace {

void reject_unconsumed(const ParameterSet& params, const std::string& where,
                       const std::string& prefix, const std::string& consumer) {
    const auto keys = params.unconsumed_keys();
    if (!keys.empty())
        throw InputError(where + ": " + prefix + *keys.begin() + ": not a parameter of " +
                         consumer);
}

std::vector<Cell> load_cells(const io::Scenario& s) {
    std::vector<Cell> cells;
    for (const io::SitesSource& src : s.sites) {
        std::vector<Cell> part;
        if (src.format == "opencellid") {
            part = io::read_opencellid(src.path, src.overrides);
        } else {
            part = io::read_sites_csv(src.path);
            if (!src.overrides.values().empty())
                throw InputError(src.where +
                                 ": sites.defaults: only the opencellid format takes "
                                 "defaults");
        }
        reject_unconsumed(src.overrides, src.where, "sites.defaults.", "the opencellid importer");
        if (cells.empty())
            cells = std::move(part);
        else
            cells.insert(cells.end(), std::make_move_iterator(part.begin()),
                         std::make_move_iterator(part.end()));
    }
    std::unordered_map<std::string_view, const std::string*> seen;
    seen.reserve(cells.size());
    for (const Cell& c : cells) {
        auto [it, inserted] = seen.emplace(c.cell_id, &c.source);
        if (!inserted)
            throw InputError(c.source + ": cell_id '" + c.cell_id + "' already used at " +
                             *it->second);
    }
    if (cells.empty()) throw InputError(s.path + ": the sites files hold no cells");
    return cells;
}

bool same_country(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}

// Automatic bands ("tiles") of about this many pixels: 4 Mi pixels hold ~100 MB of
// composites, terrain crop and copies (docs/engine.md, "Memory").
constexpr double kAutoBandPixels = 4194304.0;
constexpr float kFloatNodata = -9999.0f;

// Distance from a point to the nearest edge of the grid's rectangle (0 inside).
double distance_to_grid_m(const GridSpec& g, double x_m, double y_m) {
    const double dx =
        std::max({g.origin_x_m - x_m, 0.0, x_m - (g.origin_x_m + g.width * g.pixel_size_m)});
    const double dy =
        std::max({y_m - g.origin_y_m, 0.0, (g.origin_y_m - g.height * g.pixel_size_m) - y_m});
    return std::hypot(dx, dy);
}

Raster<float> crop(const Raster<float>& source, const GridSpec& target) {
    Raster<float> out(target, source.nodata);
    const int col_off =
        int(std::lround((target.origin_x_m - source.grid.origin_x_m) / target.pixel_size_m));
    const int row_off =
        int(std::lround((source.grid.origin_y_m - target.origin_y_m) / target.pixel_size_m));
    for (int r = 0; r < target.height; ++r)
        for (int c = 0; c < target.width; ++c) out.at(c, r) = source.at(c + col_off, r + row_off);
    return out;
}

}  // namespace

int run_scenario(const RunOptions& options, const std::atomic<bool>& cancel) {
    const auto t_start = std::chrono::steady_clock::now();
    io::Scenario s = io::read_scenario(options.scenario_path);
    std::unique_ptr<tbb::global_control> threads;
    if (options.threads > 0)
        threads = std::make_unique<tbb::global_control>(
            tbb::global_control::max_allowed_parallelism, std::size_t(options.threads));

    const std::string crs_wkt = io::projected_crs_wkt(s.crs, s.crs_where);

    // Model: parameters validated once, unknown parameters rejected with their location.
    std::unique_ptr<propagation::PropagationModel> model;
    try {
        model = propagation::create_model(s.model, s.model_parameters);
    } catch (const InputError& e) {
        throw InputError(s.model_where + ": propagation: " + e.what());
    }
    reject_unconsumed(s.model_parameters, s.model_where, "propagation.parameters.",
                      "model '" + s.model + "'");
    if (s.clutter_loss == "p2108")
        model = propagation::with_p2108_clutter_loss(std::move(model), s.clutter_location_percent);

    std::vector<Cell> cells = load_cells(s);
    for (const Cell& c : cells)
        propagation::require_frequency_in_range(*model, c.frequency_mhz,
                                                c.source + ": frequency_mhz");

    // Positions in the grid CRS and the meridian convergence at each site.
    io::LonLatTransform transform(s.crs);
    std::vector<io::PointM> positions;
    std::vector<double> north_azimuth_deg;
    for (const Cell& c : cells) {
        io::PointM p, q;
        if (!transform.forward(c.lon_deg, c.lat_deg, p.x_m, p.y_m) ||
            !transform.forward(c.lon_deg, c.lat_deg + 0.01, q.x_m, q.y_m))
            throw InputError(c.source + ": cannot transform the site position to " + s.crs);
        positions.push_back(p);
        north_azimuth_deg.push_back(std::atan2(q.x_m - p.x_m, q.y_m - p.y_m) * 180.0 /
                                    3.14159265358979323846);
    }

    const double radius_m = s.max_radius_km * 1000.0;
    const io::GridSizeWhere grid_where{s.resolution_where, s.extent_where, s.max_radius_where};
    io::AnalysisArea area = io::make_analysis_area(s.crs, crs_wkt, s.resolution_m, s.extent_lonlat,
                                                   positions, radius_m, transform, grid_where);

    // Cells that cannot reach the analysis grid are left out (reported), the rest must stand
    // on terrain.
    std::vector<std::size_t> active;
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (distance_to_grid_m(area.grid, positions[i].x_m, positions[i].y_m) <= radius_m)
            active.push_back(i);
    if (active.empty())
        throw InputError(s.path +
                         ": no cell lies within propagation.max_radius_km of the "
                         "analysis area");

    // Antennas, built before any heavy work for the cells that need one: those reaching the
    // area and, with a [border] table, the home country's (a national sites file has 10^6 rows).
    std::vector<std::shared_ptr<const antenna::AntennaPattern>> patterns(cells.size());
    {
        std::vector<bool> needed(cells.size(), false);
        for (std::size_t i : active) needed[i] = true;
        if (s.border.enabled)
            for (std::size_t i = 0; i < cells.size(); ++i)
                needed[i] = needed[i] || same_country(cells[i].country, s.border.home_country);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (!needed[i]) continue;
            const Cell& c = cells[i];
            try {
                patterns[i] =
                    std::make_shared<const antenna::AntennaPattern>(antenna::AntennaPattern::create(
                        c.antenna_pattern, {c.azimuth_deg, c.mech_tilt_deg, c.elec_tilt_deg},
                        s.antenna_parameters));
            } catch (const InputError& e) {
                throw InputError(c.source + ": antenna_pattern: " + e.what());
            }
        }
    }
    reject_unconsumed(s.antenna_parameters, s.path, "antenna.", "the antenna patterns");

    // Cross-border check ([border]): rules, outline and models validated before the heavy work.
    std::unique_ptr<BorderJob> border = BorderJob::prepare(
        s, cells, patterns, positions, north_azimuth_deg, area.grid, options.quiet);

    if (!options.quiet)
        std::fprintf(stderr,
                     "grenzfunk: %zu cells (%zu reach the analysis area), grid %d x %d at "
                     "%s m, model %s\n",
                     cells.size(), active.size(), area.grid.width, area.grid.height,
                     text::format_fixed(s.resolution_m, 0).c_str(), s.model.c_str());

    std::vector<engine::TransmitterCell> tx;
    for (std::size_t i : active) {
        engine::TransmitterCell t;
        t.x_m = positions[i].x_m;
        t.y_m = positions[i].y_m;
        t.lat_deg = cells[i].lat_deg;
        t.lon_deg = cells[i].lon_deg;
        t.antenna_height_agl_m = cells[i].antenna_height_agl_m;
        t.frequency_mhz = cells[i].frequency_mhz;
        t.eirp_dbm = cells[i].eirp_dbm;
        t.true_north_grid_azimuth_deg = north_azimuth_deg[i];
        std::shared_ptr<const antenna::AntennaPattern> pattern = patterns[i];
        // An omni pattern is 0 dB everywhere: no function, so that the engine skips the
        // direction to each pixel.
        if (!pattern->is_omni())
            t.relative_gain_db = [pattern](double az, double el) {
                return pattern->relative_gain_db(az, el);
            };
        tx.push_back(std::move(t));
    }

    engine::CoverageOptions engine_options;
    const std::string engine_name = options.engine.empty() ? s.engine : options.engine;
    engine_options.engine =
        engine_name == "reference" ? engine::EngineKind::reference : engine::EngineKind::fast;
    engine_options.rx_height_agl_m = s.rx_height_agl_m;
    engine_options.max_radius_m = radius_m;
    engine_options.keep_path_loss = s.outputs.path_loss_per_cell;

    // Bands of rows ("tiles"): each band gets its own terrain (the band grown by the radius) and
    // its own composites, and its rows go to the output files before the next band starts, so
    // memory follows the band, not the area. Every pixel's value depends only on the terrain
    // around it (the warp is exact per pixel, docs/engine.md), so the files are the same bytes
    // for any banding. The border check and the per-cell path-loss rasters need the whole grid.
    const int requested_rows = options.tile_rows >= 0 ? options.tile_rows : s.tile_rows;
    const bool needs_whole = border != nullptr || s.outputs.path_loss_per_cell;
    int band_rows = area.grid.height;
    if (requested_rows > 0) {
        if (needs_whole && requested_rows < area.grid.height)
            throw InputError(
                (options.tile_rows >= 0 ? std::string("--tile-rows")
                                        : s.tile_rows_where + ": propagation.tile_rows") +
                ": the [border] check and output.path_loss_per_cell need the whole grid in one "
                "piece (" +
                std::to_string(area.grid.height) + " rows); use 0 (automatic) or leave it out");
        band_rows = std::min(requested_rows, area.grid.height);
    } else if (!needs_whole) {
        band_rows =
            std::clamp(int(kAutoBandPixels / std::max(area.grid.width, 1)), 1, area.grid.height);
    }
    const int band_count = (area.grid.height + band_rows - 1) / band_rows;

    // Coverage analysis (classes, SINR, gaps, statistics): set up before the run, fed by the
    // engine through a sink per band, written with the other outputs. Its composites cover the
    // whole grid (docs/analysis.md gives the bytes per pixel).
    std::unique_ptr<io::AnalysisStage> analysis;
    if (s.analysis.enabled) {
        std::vector<Cell> active_cells;
        for (std::size_t i : active) active_cells.push_back(cells[i]);
        analysis =
            std::make_unique<io::AnalysisStage>(s.analysis, area.grid, area.mask, active_cells, tx);
    }

    // Outputs: the run's folders are locked now, every file is staged inside them and moved
    // into place only when all are complete (io/output_folder.hpp, README "Where a run writes").
    const fs::path out_dir = !options.output_directory.empty() ? fs::path(options.output_directory)
                             : !s.outputs.directory.empty()    ? fs::path(s.outputs.directory)
                                                               : fs::path("out") / s.name;
    std::vector<fs::path> folders = {out_dir};
    if (border) {
        const fs::path package_dir = border->package_directory(out_dir);
        const fs::path rel =
            fs::weakly_canonical(fs::absolute(out_dir))
                .lexically_relative(fs::weakly_canonical(fs::absolute(package_dir)));
        if (!rel.empty() && *rel.begin() != "..")
            throw InputError(s.exports.where + ": export.directory: " + package_dir.string() +
                             " is or contains the run's output folder " + out_dir.string() +
                             "; choose a folder beside it or a subfolder of it");
        folders.push_back(package_dir);
    }
    io::OutputSet outputs(folders);
    for (const char* name : {"best_rx_level_dbm.tif", "max_field_strength_dbuv_per_m.tif",
                             "terrain_m.tif", "best_server.tif", "cells.csv", "manifest.json"})
        outputs.check_replaceable(out_dir / name);
    std::optional<io::RasterStream<float>> best_stream, field_stream, terrain_stream;
    std::optional<io::RasterStream<std::int32_t>> server_stream;
    auto stream_path = [&](const char* name) { return outputs.scratch_path(out_dir / name); };
    if (s.outputs.best_level)
        best_stream.emplace(out_dir / "best_rx_level_dbm.tif", area.grid, kFloatNodata,
                            stream_path("best_rx_level_dbm.tif"));
    if (s.outputs.field_strength)
        field_stream.emplace(out_dir / "max_field_strength_dbuv_per_m.tif", area.grid, kFloatNodata,
                             stream_path("max_field_strength_dbuv_per_m.tif"));
    if (s.outputs.terrain)
        terrain_stream.emplace(out_dir / "terrain_m.tif", area.grid, kFloatNodata,
                               stream_path("terrain_m.tif"));
    if (s.outputs.best_server)
        server_stream.emplace(out_dir / "best_server.tif", area.grid, std::int32_t(-1),
                              stream_path("best_server.tif"));

    if (!options.quiet && band_count > 1)
        std::fprintf(stderr, "grenzfunk: computing in %d bands of up to %d rows\n", band_count,
                     band_rows);

    std::string terrain_names;
    for (const auto& f : s.terrain_files) terrain_names += (terrain_names.empty() ? "" : ", ") + f;
    io::TerrainLoadReport terrain_report;
    std::vector<engine::CellStatistics> cell_statistics(tx.size());
    // Kept for the border check and the per-cell rasters (whole grid in one band only).
    std::optional<terrain::TerrainModel> whole_terrain;
    engine::CoverageResult whole_result;
    std::size_t area_pixels = 0, served = 0, above_110 = 0;
    float level_min = INFINITY, level_max = -INFINITY;

    double terrain_s = 0.0, terrain_cpu_s = 0.0;  // reading terrain, inside the band loop
    ProgressPrinter progress("computing coverage", !options.quiet);
    const auto t_compute = std::chrono::steady_clock::now();
    const std::clock_t cpu_compute = std::clock();
    for (int b = 0; b < band_count; ++b) {
        const int row0 = b * band_rows;
        const GridSpec grid =
            io::row_band(area.grid, row0, std::min(band_rows, area.grid.height - row0));
        const std::size_t first_pixel = std::size_t(row0) * std::size_t(area.grid.width);
        const std::vector<std::uint8_t> mask(
            area.mask.begin() + std::ptrdiff_t(first_pixel),
            area.mask.begin() + std::ptrdiff_t(first_pixel + grid.pixel_count()));
        // The band's terrain: the band grown by the radius, plus the void-filling distance and
        // a pixel so that voids are filled from the same neighbours as on the whole terrain
        // grid (GDALFillNodata looks no farther), clipped to the whole terrain grid.
        const GridSpec terrain_grid =
            band_count == 1
                ? area.terrain_grid
                : io::clipped_to(
                      io::terrain_grid_for(
                          grid, radius_m + s.void_fill_max_distance_m + s.resolution_m, grid_where),
                      area.terrain_grid);

        io::TerrainLoadReport band_report;
        const auto t_terrain = std::chrono::steady_clock::now();
        const std::clock_t cpu_terrain = std::clock();
        terrain::TerrainModel terrain(io::load_terrain(
            s.terrain_files, terrain_grid, s.void_fill_max_distance_m, &band_report, &cancel));
        terrain_s +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t_terrain).count();
        terrain_cpu_s += double(std::clock() - cpu_terrain) / CLOCKS_PER_SEC;
        terrain_report.filled_void_pixels += band_report.filled_void_pixels;
        terrain_report.empty_pixels += band_report.empty_pixels;
        // Every cell reaching this band must stand on terrain.
        for (std::size_t k = 0; k < tx.size(); ++k) {
            if (distance_to_grid_m(grid, tx[k].x_m, tx[k].y_m) > radius_m) continue;
            if (std::isnan(terrain.elevation_at(tx[k].x_m, tx[k].y_m))) {
                const Cell& c = cells[active[k]];
                throw InputError(c.source + ": site '" + c.site_id + "' at " +
                                 text::format_fixed(c.lat_deg, 5) + " N, " +
                                 text::format_fixed(c.lon_deg, 5) + " E is outside the terrain (" +
                                 terrain_names + ")");
            }
        }
        Raster<float> terrain_on_grid = crop(terrain.raster(), grid);
        {
            std::size_t holes = 0;
            std::size_t first = 0;
            for (std::size_t p = 0; p < mask.size(); ++p)
                if (mask[p] && std::isnan(terrain_on_grid.values[p]) && holes++ == 0) first = p;
            if (holes > 0) {
                double lon, lat;
                const int col = int(first % std::size_t(grid.width)),
                          row = int(first / std::size_t(grid.width));
                transform.inverse(grid.centre_x_m(col), grid.centre_y_m(row), lon, lat);
                throw InputError(terrain_names + ": no elevation for " + std::to_string(holes) +
                                 " pixels of the analysis area" +
                                 (band_count > 1 ? " in rows " + std::to_string(row0) + " to " +
                                                       std::to_string(row0 + grid.height - 1)
                                                 : std::string()) +
                                 " (first at " + text::format_fixed(lat, 4) + " N, " +
                                 text::format_fixed(lon, 4) +
                                 " E): the terrain does not cover the area or has a "
                                 "void wider than terrain.void_fill_max_distance_m = " +
                                 text::format_fixed(s.void_fill_max_distance_m, 0) + " m");
            }
        }

        std::vector<engine::LevelSink*> sinks;
        if (analysis) sinks.push_back(analysis->begin_band(row0, grid.height));
        engine::CoverageResult result = engine::compute_coverage(
            terrain, grid, mask, tx, *model, engine_options,
            [&](double done, double total) {
                progress.update(double(b) + (total > 0.0 ? done / total : 1.0), double(band_count));
            },
            &cancel, sinks);
        if (analysis) analysis->end_band();
        for (std::size_t k = 0; k < tx.size(); ++k) {
            const engine::CellStatistics& c = result.cell_statistics[k];
            cell_statistics[k].pixels_computed += c.pixels_computed;
            cell_statistics[k].pixels_flagged_outside_range += c.pixels_flagged_outside_range;
            cell_statistics[k].pixels_without_terrain += c.pixels_without_terrain;
        }
        for (std::size_t p = 0; p < mask.size(); ++p) {
            if (!mask[p]) continue;
            ++area_pixels;
            const float v = result.best_level_dbm.values[p];
            if (std::isnan(v)) continue;
            ++served;
            above_110 += (v >= -110.0f);
            level_min = std::min(level_min, v);
            level_max = std::max(level_max, v);
        }
        if (best_stream) best_stream->write_rows(row0, result.best_level_dbm);
        if (field_stream) field_stream->write_rows(row0, result.max_field_dbuv_per_m);
        if (terrain_stream) terrain_stream->write_rows(row0, terrain_on_grid);
        if (server_stream) server_stream->write_rows(row0, result.best_server);
        if (band_count == 1) {
            whole_terrain.emplace(std::move(terrain));
            whole_result = std::move(result);
        }
    }
    progress.finish();
    const double compute_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_compute).count() -
        terrain_s;
    const double compute_cpu_s =
        double(std::clock() - cpu_compute) / CLOCKS_PER_SEC - terrain_cpu_s;
    std::uint64_t pixel_paths = 0;  // path losses computed, over all transmitters
    {
        std::set<std::tuple<double, double, double, double>> seen;
        for (std::size_t k = 0; k < tx.size(); ++k)
            if (seen.emplace(tx[k].x_m, tx[k].y_m, tx[k].antenna_height_agl_m, tx[k].frequency_mhz)
                    .second)
                pixel_paths += cell_statistics[k].pixels_computed;
    }

    std::map<std::string, std::string> metadata = {
        {"GRENZFUNK_VERSION", version_string},
        {"GRENZFUNK_SCENARIO", s.name},
        {"GRENZFUNK_SCENARIO_SHA256", s.sha256},
        {"GRENZFUNK_MODEL", std::string(model->name())},
        {"GRENZFUNK_MODEL_REFERENCE", std::string(model->reference())},
        {"GRENZFUNK_RX_HEIGHT_AGL_M", text::format_fixed(s.rx_height_agl_m, 2)},
        {"GRENZFUNK_MAX_RADIUS_KM", text::format_fixed(s.max_radius_km, 3)},
        {"GRENZFUNK_RESOLUTION_M", text::format_fixed(s.resolution_m, 3)},
    };
    {
        std::string params;
        for (const auto& [k, v] : model->parameters())
            params += (params.empty() ? "" : ";") + k + "=" + v;
        metadata["GRENZFUNK_MODEL_PARAMETERS"] = params;
    }

    struct ManifestEntry {
        std::string file, holds, unit;
    };
    std::vector<ManifestEntry> manifest;
    auto add_float = [&](const std::string& file, const Raster<float>& raster,
                         const std::string& description, const std::string& unit) {
        io::RasterWriteOptions o;
        o.band_description = description;
        o.unit = unit;
        o.metadata = metadata;
        outputs.add_geotiff(out_dir / file, io::nan_to_nodata(raster, kFloatNodata), o);
        manifest.push_back({file, description, unit});
    };
    auto add_stream = [&](auto& stream, const std::string& description, const std::string& unit) {
        io::RasterWriteOptions o;
        o.band_description = description;
        o.unit = unit;
        o.metadata = metadata;
        outputs.add_geotiff(*stream, o);
        manifest.push_back(
            {stream->final_path().filename().string(), description, unit.empty() ? "index" : unit});
    };
    if (best_stream)
        add_stream(best_stream, "best received level over all cells (isotropic receiver)", "dBm");
    if (field_stream) add_stream(field_stream, "strongest field strength of any cell", "dBuV/m");
    if (terrain_stream) add_stream(terrain_stream, "terrain elevation above sea level", "m");
    if (server_stream) add_stream(server_stream, "best-server cell: row index in cells.csv", "");
    if (s.outputs.path_loss_per_cell) {
        // Cell ids are checked to be file-name safe when the sites are read (core/cell.hpp).
        for (std::size_t k = 0; k < active.size(); ++k) {
            const Cell& c = cells[active[k]];
            if (whole_result.path_loss_db[k].values.empty()) continue;
            add_float("cells/" + c.cell_id + "_path_loss_db.tif", whole_result.path_loss_db[k],
                      "basic transmission loss of cell " + c.cell_id, "dB");
        }
    }

    // cells.csv: the best-server index refers to its `index` column.
    std::ostringstream cells_csv;
    cells_csv << "index,cell_id,site_id,country,technology,lat_deg,lon_deg,x_m,y_m,"
                 "antenna_height_agl_m,azimuth_deg,frequency_mhz,eirp_dbm,pixels_computed,"
                 "pixels_outside_model_range,source\n";
    for (std::size_t k = 0; k < active.size(); ++k) {
        const Cell& c = cells[active[k]];
        const auto& st = cell_statistics[k];
        cells_csv << k << ',' << text::csv_field(c.cell_id) << ',' << text::csv_field(c.site_id)
                  << ',' << text::csv_field(c.country) << ',' << technology_name(c.technology)
                  << ',' << text::format_fixed(c.lat_deg, 6) << ','
                  << text::format_fixed(c.lon_deg, 6) << ',' << text::format_fixed(tx[k].x_m, 1)
                  << ',' << text::format_fixed(tx[k].y_m, 1) << ','
                  << text::format_fixed(c.antenna_height_agl_m, 1) << ','
                  << text::format_fixed(c.azimuth_deg, 1) << ','
                  << text::format_fixed(c.frequency_mhz, 3) << ','
                  << text::format_fixed(c.eirp_dbm, 2) << ',' << st.pixels_computed << ','
                  << st.pixels_flagged_outside_range << ',' << text::csv_field(c.source) << '\n';
    }
    outputs.add_text(out_dir / "cells.csv", cells_csv.str(),
                     "the cells computed; best_server.tif indexes its rows");
    manifest.push_back({"cells.csv", "the cells computed; best_server.tif indexes its rows", ""});

    if (analysis)
        for (const auto& p : analysis->write(outputs, out_dir, metadata))
            manifest.push_back({p.file, p.holds, p.unit});
    std::map<std::string, std::string> package_holds;  // relative to out_dir
    if (border) {
        border->run(*whole_terrain, &whole_result.max_field_dbuv_per_m, metadata, outputs, out_dir,
                    options.creation_time, cancel);
        const fs::path package_dir = border->package_directory(out_dir);
        for (const auto& f : border->package_files())
            package_holds[(package_dir / f.name).lexically_relative(out_dir).generic_string()] =
                "regulator package: " + f.holds;
    }

    // manifest.json: every file of the run under the output folder, with its size and SHA-256
    // (the next run into the folder replaces only files listed here that still match).
    nlohmann::ordered_json json;
    json["software"] = std::string("grenzfunk ") + version_string;
    json["scenario"] = s.path;
    json["scenario_sha256"] = s.sha256;
    json["model"] = std::string(model->name());
    json["crs"] = s.crs;
    json["grid"] = {{"width", area.grid.width},
                    {"height", area.grid.height},
                    {"pixel_size_m", s.resolution_m},
                    {"origin_x_m", area.grid.origin_x_m},
                    {"origin_y_m", area.grid.origin_y_m}};
    json["cells"] = active.size();
    nlohmann::ordered_json listed = nlohmann::ordered_json::array();
    for (const io::OutputSet::File& f : outputs.files()) {
        const fs::path rel = f.final_path.lexically_relative(out_dir);
        if (rel.empty() || *rel.begin() == "..") continue;  // in a separate export folder
        const std::string name = rel.generic_string();
        const auto m = std::find_if(manifest.begin(), manifest.end(),
                                    [&](const ManifestEntry& e) { return e.file == name; });
        const auto p = package_holds.find(name);
        listed.push_back({{"file", name},
                          {"holds", m != manifest.end()        ? m->holds
                                    : p != package_holds.end() ? p->second
                                                               : f.holds},
                          {"unit", m != manifest.end() ? m->unit : f.unit},
                          {"bytes", f.bytes},
                          {"sha256", f.sha256}});
    }
    listed.push_back({{"file", "manifest.json"}, {"holds", "this list of outputs"}, {"unit", ""}});
    json["outputs"] = std::move(listed);
    manifest.push_back({"manifest.json", "this list of outputs", ""});
    outputs.add_text(out_dir / "manifest.json", json.dump(2) + "\n", "this list of outputs");
    outputs.commit();

    const double total_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    std::printf("grenzfunk %s: scenario '%s' done in %s s (coverage %s s)\n", version_string,
                s.name.c_str(), text::format_fixed(total_s, 1).c_str(),
                text::format_fixed(compute_s, 1).c_str());
    std::printf("  cells: %zu computed (%zu outside reach), model %s\n", active.size(),
                cells.size() - active.size(), std::string(model->name()).c_str());
    std::printf("  engine %s: %llu path losses in %s s wall, %s s CPU (%s pixels/s/core)\n",
                engine_name.c_str(), static_cast<unsigned long long>(pixel_paths),
                text::format_fixed(compute_s, 3).c_str(),
                text::format_fixed(compute_cpu_s, 3).c_str(),
                text::format_fixed(compute_cpu_s > 0 ? double(pixel_paths) / compute_cpu_s : 0.0, 0)
                    .c_str());
    std::printf("  grid: %d x %d pixels of %s m in %s, %zu in the analysis area\n", area.grid.width,
                area.grid.height, text::format_fixed(s.resolution_m, 0).c_str(), s.crs.c_str(),
                area_pixels);
    std::printf("  terrain: read in %s s%s; %zu void pixels filled by interpolation%s\n",
                text::format_fixed(terrain_s, 1).c_str(),
                band_count > 1 ? (" for " + std::to_string(band_count) + " bands of up to " +
                                  std::to_string(band_rows) + " rows (each grown by the radius)")
                                     .c_str()
                               : "",
                terrain_report.filled_void_pixels,
                band_count > 1 ? " (summed over the bands)" : "");
    if (served > 0)
        std::printf("  best received level: %s to %s dBm; %s %% of the area at >= -110 dBm\n",
                    text::format_fixed(level_min, 1).c_str(),
                    text::format_fixed(level_max, 1).c_str(),
                    text::format_fixed(100.0 * double(above_110) / double(area_pixels), 1).c_str());
    if (analysis) {
        for (const std::string& line : analysis->summary()) std::printf("  %s\n", line.c_str());
        std::printf("  analysis stage: %s s (plus its share of the coverage run)\n",
                    text::format_fixed(analysis->seconds(), 2).c_str());
    }
    std::printf("  results in %s:\n", out_dir.string().c_str());
    for (const auto& m : manifest) std::printf("    %s\n", m.file.c_str());
    if (border) border->print_summary();
    return 0;
}

}  // namespace grenzfunk::cli
