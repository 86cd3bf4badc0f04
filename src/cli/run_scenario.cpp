#include "cli/run_scenario.hpp"
#include "core/text_format.hpp"

#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <tuple>

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
        cells.insert(cells.end(), part.begin(), part.end());
    }
    std::map<std::string, std::string> seen;
    for (const Cell& c : cells) {
        auto [it, inserted] = seen.emplace(c.cell_id, c.source);
        if (!inserted)
            throw InputError(c.source + ": cell_id '" + c.cell_id + "' already used at " +
                             it->second);
    }
    if (cells.empty()) throw InputError(s.path + ": the sites files hold no cells");
    return cells;
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

    // Antennas, one per cell, built before any heavy work.
    std::vector<std::shared_ptr<const antenna::AntennaPattern>> patterns;
    for (const Cell& c : cells) {
        try {
            patterns.push_back(
                std::make_shared<const antenna::AntennaPattern>(antenna::AntennaPattern::create(
                    c.antenna_pattern, {c.azimuth_deg, c.mech_tilt_deg, c.elec_tilt_deg},
                    s.antenna_parameters)));
        } catch (const InputError& e) {
            throw InputError(c.source + ": antenna_pattern: " + e.what());
        }
    }
    reject_unconsumed(s.antenna_parameters, s.path, "antenna.", "the antenna patterns");

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
    io::AnalysisArea area = io::make_analysis_area(s.crs, crs_wkt, s.resolution_m, s.extent_lonlat,
                                                   positions, radius_m, transform);

    // Cells that cannot reach the analysis grid are left out (reported), the rest must stand
    // on terrain.
    std::vector<std::size_t> active;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const GridSpec& g = area.grid;
        const double dx = std::max({g.origin_x_m - positions[i].x_m, 0.0,
                                    positions[i].x_m - (g.origin_x_m + g.width * g.pixel_size_m)});
        const double dy = std::max({positions[i].y_m - g.origin_y_m, 0.0,
                                    (g.origin_y_m - g.height * g.pixel_size_m) - positions[i].y_m});
        if (std::hypot(dx, dy) <= radius_m) active.push_back(i);
    }
    if (active.empty())
        throw InputError(s.path +
                         ": no cell lies within propagation.max_radius_km of the "
                         "analysis area");

    // Cross-border check ([border]): rules, outline and models validated before the heavy work.
    std::unique_ptr<BorderJob> border = BorderJob::prepare(
        s, cells, patterns, positions, north_azimuth_deg, area.grid, options.quiet);

    if (!options.quiet)
        std::fprintf(stderr,
                     "grenzfunk: %zu cells (%zu reach the analysis area), grid %d x %d at "
                     "%s m, model %s\n",
                     cells.size(), active.size(), area.grid.width, area.grid.height,
                     text::format_fixed(s.resolution_m, 0).c_str(), s.model.c_str());

    io::TerrainLoadReport terrain_report;
    terrain::TerrainModel terrain(io::load_terrain(s.terrain_files, area.terrain_grid,
                                                   s.void_fill_max_distance_m, &terrain_report));
    std::string terrain_names;
    for (const auto& f : s.terrain_files) terrain_names += (terrain_names.empty() ? "" : ", ") + f;
    for (std::size_t i : active) {
        if (std::isnan(terrain.elevation_at(positions[i].x_m, positions[i].y_m)))
            throw InputError(cells[i].source + ": site '" + cells[i].site_id + "' at " +
                             text::format_fixed(cells[i].lat_deg, 5) + " N, " +
                             text::format_fixed(cells[i].lon_deg, 5) +
                             " E is outside the terrain (" + terrain_names + ")");
    }
    Raster<float> terrain_on_grid = crop(terrain.raster(), area.grid);
    {
        std::size_t holes = 0;
        std::size_t first = 0;
        for (std::size_t p = 0; p < area.mask.size(); ++p)
            if (area.mask[p] && std::isnan(terrain_on_grid.values[p]) && holes++ == 0) first = p;
        if (holes > 0) {
            double lon, lat;
            const int col = int(first % area.grid.width), row = int(first / area.grid.width);
            transform.inverse(area.grid.centre_x_m(col), area.grid.centre_y_m(row), lon, lat);
            throw InputError(terrain_names + ": no elevation for " + std::to_string(holes) +
                             " pixels of the analysis area (first at " +
                             text::format_fixed(lat, 4) + " N, " + text::format_fixed(lon, 4) +
                             " E): the terrain does not cover the area or has a "
                             "void wider than terrain.void_fill_max_distance_m = " +
                             text::format_fixed(s.void_fill_max_distance_m, 0) + " m");
        }
    }

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
    // Coverage analysis (classes, SINR, gaps, statistics): set up before the run, fed by the
    // engine through its sink, written with the other outputs.
    std::unique_ptr<io::AnalysisStage> analysis;
    std::vector<engine::LevelSink*> sinks;
    if (s.analysis.enabled) {
        std::vector<Cell> active_cells;
        for (std::size_t i : active) active_cells.push_back(cells[i]);
        analysis =
            std::make_unique<io::AnalysisStage>(s.analysis, area.grid, area.mask, active_cells, tx);
        sinks.push_back(analysis->sink());
    }
    ProgressPrinter progress("computing coverage", !options.quiet);
    const auto t_compute = std::chrono::steady_clock::now();
    const std::clock_t cpu_compute = std::clock();
    engine::CoverageResult result = engine::compute_coverage(
        terrain, area.grid, area.mask, tx, *model, engine_options,
        [&](double done, double total) { progress.update(done, total); }, &cancel, sinks);
    progress.finish();
    const double compute_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_compute).count();
    const double compute_cpu_s = double(std::clock() - cpu_compute) / CLOCKS_PER_SEC;
    std::uint64_t pixel_paths = 0;  // path losses computed, over all transmitters
    {
        std::set<std::tuple<double, double, double, double>> seen;
        for (std::size_t k = 0; k < tx.size(); ++k)
            if (seen.emplace(tx[k].x_m, tx[k].y_m, tx[k].antenna_height_agl_m, tx[k].frequency_mhz)
                    .second)
                pixel_paths += result.cell_statistics[k].pixels_computed;
    }

    // Outputs: all written to temporary names and renamed only when every file is complete.
    const fs::path out_dir = !options.output_directory.empty() ? fs::path(options.output_directory)
                             : !s.outputs.directory.empty()    ? fs::path(s.outputs.directory)
                                                               : fs::path("out") / s.name;
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec)
        throw OutputError(out_dir.string() + ": cannot create the output directory (" +
                          ec.message() + ")");

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

    io::OutputSet outputs;
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
        outputs.add_geotiff(out_dir / file, io::nan_to_nodata(raster), o);
        manifest.push_back({file, description, unit});
    };
    if (s.outputs.best_level)
        add_float("best_rx_level_dbm.tif", result.best_level_dbm,
                  "best received level over all cells (isotropic receiver)", "dBm");
    if (s.outputs.field_strength)
        add_float("max_field_strength_dbuv_per_m.tif", result.max_field_dbuv_per_m,
                  "strongest field strength of any cell", "dBuV/m");
    if (s.outputs.terrain)
        add_float("terrain_m.tif", terrain_on_grid, "terrain elevation above sea level", "m");
    if (s.outputs.best_server) {
        io::RasterWriteOptions o;
        o.band_description = "best-server cell: row index in cells.csv";
        o.metadata = metadata;
        outputs.add_geotiff(out_dir / "best_server.tif", result.best_server, o);
        manifest.push_back({"best_server.tif", o.band_description, "index"});
    }
    if (s.outputs.path_loss_per_cell) {
        fs::create_directories(out_dir / "cells", ec);
        for (std::size_t k = 0; k < active.size(); ++k) {
            const Cell& c = cells[active[k]];
            if (result.path_loss_db[k].values.empty()) continue;
            add_float("cells/" + c.cell_id + "_path_loss_db.tif", result.path_loss_db[k],
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
        const auto& st = result.cell_statistics[k];
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
    outputs.add_text(out_dir / "cells.csv", cells_csv.str());
    manifest.push_back({"cells.csv", "the cells computed; best_server.tif indexes its rows", ""});

    // Summary figures.
    std::size_t area_pixels = 0, served = 0, above_110 = 0;
    float level_min = INFINITY, level_max = -INFINITY;
    for (std::size_t p = 0; p < area.mask.size(); ++p) {
        if (!area.mask[p]) continue;
        ++area_pixels;
        const float v = result.best_level_dbm.values[p];
        if (std::isnan(v)) continue;
        ++served;
        above_110 += (v >= -110.0f);
        level_min = std::min(level_min, v);
        level_max = std::max(level_max, v);
    }

    std::ostringstream json;
    json << "{\n  \"software\": \"grenzfunk " << version_string << "\",\n"
         << "  \"scenario\": " << text::json_string(s.path) << ",\n"
         << "  \"scenario_sha256\": \"" << s.sha256 << "\",\n"
         << "  \"model\": " << text::json_string(std::string(model->name())) << ",\n"
         << "  \"crs\": " << text::json_string(s.crs) << ",\n"
         << "  \"grid\": {\"width\": " << area.grid.width << ", \"height\": " << area.grid.height
         << ", \"pixel_size_m\": " << text::format_fixed(s.resolution_m, 3)
         << ", \"origin_x_m\": " << text::format_fixed(area.grid.origin_x_m, 3)
         << ", \"origin_y_m\": " << text::format_fixed(area.grid.origin_y_m, 3) << "},\n"
         << "  \"cells\": " << active.size() << ",\n  \"outputs\": [\n";
    if (analysis)
        for (const auto& p : analysis->write(outputs, out_dir, metadata))
            manifest.push_back({p.file, p.holds, p.unit});
    manifest.push_back({"manifest.json", "this list of outputs", ""});
    for (std::size_t k = 0; k < manifest.size(); ++k)
        json << "    {\"file\": " << text::json_string(manifest[k].file)
             << ", \"holds\": " << text::json_string(manifest[k].holds)
             << ", \"unit\": " << text::json_string(manifest[k].unit) << "}"
             << (k + 1 < manifest.size() ? ",\n" : "\n");
    json << "  ]\n}\n";
    outputs.add_text(out_dir / "manifest.json", json.str());
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
    std::printf("  terrain: %zu void pixels filled by interpolation\n",
                terrain_report.filled_void_pixels);
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
    if (border)
        border->run(terrain, &result.max_field_dbuv_per_m, metadata, out_dir, options.creation_time,
                    cancel);
    return 0;
}

}  // namespace grenzfunk::cli
