#include "pipeline/run.hpp"

#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>
#include <optional>
#include <span>

#include "core/error.hpp"
#include "core/text_format.hpp"
#include "core/version.hpp"
#include "io/crs.hpp"
#include "io/geotiff_writer.hpp"
#include "io/terrain_reader.hpp"
#include "pipeline/analysis_stage.hpp"
#include "pipeline/border_stage.hpp"
#include "pipeline/coverage_stage.hpp"
#include "pipeline/land_cover_stage.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/observer.hpp"
#include "pipeline/report_stage.hpp"
#include "pipeline/stage.hpp"
#include "pipeline/terrain_window.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::pipeline {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Coverage analysis (classes, SINR, gaps, statistics): fed by the engine through a sink per
// band, written with the other outputs (docs/analysis.md).
class AnalysisStep : public Stage {
  public:
    explicit AnalysisStep(const RunPlan& plan) {
        std::vector<Cell> active_cells;
        for (std::size_t i : plan.active) active_cells.push_back(plan.cells[i]);
        stage_ = std::make_unique<AnalysisStage>(plan.scenario.analysis, plan.area.grid,
                                                 plan.area.mask, active_cells, plan.transmitters,
                                                 plan.engine_options.max_radius_m);
        // [land_cover]: the location sigma of each pixel's class (docs/land_cover.md).
        if (!plan.land_cover_class.values.empty())
            stage_->set_location_sigma_db(
                land_cover_sigma_db(plan.land_cover_class, plan.scenario.land_cover.table));
        if (plan.scenario.outputs.coverage_kmz)
            stage_->enable_coverage_kmz(active_cells, plan.scenario.name);
    }
    void band_begin(RunContext&, BandContext& band) override {
        band.sinks.push_back(stage_->begin_band(band.first_row, band.grid.height));
    }
    void band_end(RunContext&, BandContext&) override { stage_->end_band(); }
    void write(RunContext& run) override {
        for (const auto& p : stage_->write(run.outputs, run.plan.output_directory, run.metadata))
            run.products.push_back({p.file, p.holds, p.unit});
    }
    std::vector<std::string> summary() const override {
        std::vector<std::string> lines = stage_->summary();
        lines.push_back("analysis stage: " + text::format_fixed(stage_->seconds(), 2) +
                        " s (plus its share of the coverage run)");
        return lines;
    }
    const AnalysisStage& stage() const { return *stage_; }

  private:
    std::unique_ptr<AnalysisStage> stage_;
};

// The cross-border check on the whole grid's terrain, and the regulator's package.
class BorderStep : public Stage {
  public:
    explicit BorderStep(BorderStage& border) : border_(border) {}
    void write(RunContext& run) override {
        const RunPlan& plan = run.plan;
        border_.run(*run.whole_terrain, &run.whole_result.max_field_dbuv_per_m, run.metadata,
                    run.outputs, plan.output_directory, plan.creation_time, run.observer,
                    run.cancel);
        for (const auto& f : border_.package_files())
            run.package_holds[(plan.package_directory / f.name)
                                  .lexically_relative(plan.output_directory)
                                  .generic_string()] = "regulator package: " + f.holds;
    }
    std::vector<std::string> summary() const override { return border_.summary(); }

  private:
    BorderStage& border_;
};

std::map<std::string, std::string> raster_metadata(const RunPlan& plan) {
    const io::Scenario& s = plan.scenario;
    std::map<std::string, std::string> m = {
        {"GRENZFUNK_VERSION", version_string},
        {"GRENZFUNK_SCENARIO", s.name},
        {"GRENZFUNK_SCENARIO_SHA256", s.sha256},
        {"GRENZFUNK_MODEL", std::string(plan.model->name())},
        {"GRENZFUNK_MODEL_REFERENCE", std::string(plan.model->reference())},
        {"GRENZFUNK_RX_HEIGHT_AGL_M", text::format_fixed(s.rx_height_agl_m, 2)},
        {"GRENZFUNK_MAX_RADIUS_KM", text::format_fixed(s.max_radius_km, 3)},
        {"GRENZFUNK_RESOLUTION_M", text::format_fixed(s.resolution_m, 3)},
    };
    std::string params;
    for (const auto& [k, v] : plan.model->parameters())
        params += (params.empty() ? "" : ";") + k + "=" + v;
    m["GRENZFUNK_MODEL_PARAMETERS"] = params;
    m.merge(land_cover_metadata(plan));
    return m;
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

std::string terrain_names(const io::Scenario& s) {
    std::string names;
    for (const auto& f : s.terrain_files) names += (names.empty() ? "" : ", ") + f;
    return names;
}

// Every cell reaching the band must stand on terrain, and every pixel of the area must have an
// elevation.
void check_band_terrain(const RunPlan& plan, const BandContext& band) {
    const io::Scenario& s = plan.scenario;
    for (std::size_t k = 0; k < plan.transmitters.size(); ++k) {
        const engine::TransmitterCell& t = plan.transmitters[k];
        if (band.grid.distance_to_m(t.x_m, t.y_m) > plan.engine_options.max_radius_m) continue;
        if (!std::isnan(band.terrain->elevation_at(t.x_m, t.y_m))) continue;
        const Cell& c = plan.cells[plan.active[k]];
        throw InputError(c.source + ": site '" + c.site_id + "' at " +
                         text::format_fixed(c.lat_deg, 5) + " N, " +
                         text::format_fixed(c.lon_deg, 5) + " E is outside the terrain (" +
                         terrain_names(s) + ")");
    }
    std::size_t holes = 0, first = 0;
    for (std::size_t p = 0; p < band.mask.size(); ++p)
        if (band.mask[p] && std::isnan(band.terrain_on_grid.values[p]) && holes++ == 0) first = p;
    if (holes == 0) return;
    double lon, lat;
    const int col = int(first % std::size_t(band.grid.width));
    const int row = int(first / std::size_t(band.grid.width));
    io::LonLatTransform(s.crs).inverse(band.grid.centre_x_m(col), band.grid.centre_y_m(row), lon,
                                       lat);
    throw InputError(
        terrain_names(s) + ": no elevation for " + std::to_string(holes) +
        " pixels of the analysis area" +
        (plan.band_count > 1 ? " in rows " + std::to_string(band.first_row) + " to " +
                                   std::to_string(band.first_row + band.grid.height - 1)
                             : std::string()) +
        " (first at " + text::format_fixed(lat, 4) + " N, " + text::format_fixed(lon, 4) +
        " E): the terrain does not cover the area or has a void wider than "
        "terrain.void_fill_max_distance_m = " +
        text::format_fixed(s.void_fill_max_distance_m, 0) + " m");
}

// Row `b`'s band of the analysis grid.
GridSpec band_grid(const RunPlan& plan, int b) {
    const int first_row = b * plan.band_rows;
    return io::row_band(plan.area.grid, first_row,
                        std::min(plan.band_rows, plan.area.grid.height - first_row));
}

// The terrain grid of band `b`: the band grown by the radius, plus the void-filling distance and
// a pixel so that voids are filled from the same neighbours as on the whole terrain grid,
// clipped to it.
GridSpec band_terrain_grid(const RunPlan& plan, int b) {
    const io::Scenario& s = plan.scenario;
    if (plan.band_count == 1) return plan.area.terrain_grid;
    return io::clipped_to(
        io::terrain_grid_for(
            band_grid(plan, b),
            plan.engine_options.max_radius_m + s.void_fill_max_distance_m + s.resolution_m,
            {s.resolution_where, s.extent_where, s.max_radius_where}),
        plan.area.terrain_grid);
}

// The boxes of `boxes` (pixels of grid `from`) as pixels of `to` (same alignment).
std::vector<io::PixelBox> moved_to(const std::vector<io::PixelBox>& boxes, const GridSpec& from,
                                   const GridSpec& to) {
    const int dc = int(std::lround((from.origin_x_m - to.origin_x_m) / to.pixel_size_m));
    const int dr = int(std::lround((to.origin_y_m - from.origin_y_m) / to.pixel_size_m));
    std::vector<io::PixelBox> out;
    for (const io::PixelBox& b : boxes)
        out.push_back({b.col0 + dc, b.row0 + dr, b.col1 + dc, b.row1 + dr});
    return out;
}

// Terrain a band read that the next band can take over instead of warping it again: the rows
// both bands' terrain grids share, and the window's pixels there whose values are those of the
// whole terrain grid (io::TerrainReadOptions::known).
struct KnownTerrain {
    Raster<float> raster;
    std::vector<io::PixelBox> window;  // boxes of raster.grid
};

// What of `terrain` (read on `window`) the band `next` can take over. A window pixel has the
// whole grid's value where its void-filling neighbourhood lies inside this band's terrain grid
// or is clipped by the whole grid's edge like there (io/terrain_reader.cpp).
KnownTerrain known_for(const RunPlan& plan, const Raster<float>& terrain,
                       const std::vector<io::PixelBox>& window, int next) {
    const GridSpec& g = terrain.grid;
    const GridSpec& whole = plan.area.terrain_grid;
    const double fill_m = plan.scenario.void_fill_max_distance_m;
    const int margin = fill_m > 0.0 ? int(std::ceil(fill_m / g.pixel_size_m)) + 1 : 0;
    const std::vector<io::PixelBox> at_whole = moved_to({{0, 0, g.width, g.height}}, g, whole);
    const io::PixelBox in_whole = at_whole.front();
    io::PixelBox trusted{in_whole.col0 > 0 ? margin : 0, in_whole.row0 > 0 ? margin : 0,
                         g.width - (in_whole.col1 < whole.width ? margin : 0),
                         g.height - (in_whole.row1 < whole.height ? margin : 0)};
    // The rows the next band's terrain grid shares with this one.
    const GridSpec next_grid = band_terrain_grid(plan, next);
    const io::PixelBox next_box =
        moved_to({{0, 0, next_grid.width, next_grid.height}}, next_grid, g).front();
    trusted = {std::max(trusted.col0, next_box.col0), std::max(trusted.row0, next_box.row0),
               std::min(trusted.col1, next_box.col1), std::min(trusted.row1, next_box.row1)};
    KnownTerrain known;
    if (trusted.empty()) return known;
    // Keep only those rows.
    GridSpec rows = io::row_band(g, trusted.row0, trusted.row1 - trusted.row0);
    known.raster = Raster<float>(rows, terrain.nodata);
    std::copy_n(terrain.values.begin() + std::ptrdiff_t(trusted.row0) * g.width,
                known.raster.values.size(), known.raster.values.begin());
    std::vector<io::PixelBox> clipped;
    for (const io::PixelBox& b : window)
        clipped.push_back({std::max(b.col0, trusted.col0), std::max(b.row0, trusted.row0),
                           std::min(b.col1, trusted.col1), std::min(b.row1, trusted.row1)});
    known.window = moved_to(io::box_union(clipped), g, rows);
    return known;
}

// One band: its terrain (band_terrain_grid, only the window some profile can touch; the part
// the previous band read already is taken over), the engine with every stage's sink, then the
// stages' band_end().
void run_band(RunContext& run, CoverageStage& coverage, std::vector<Stage*>& stages, int b,
              KnownTerrain& known) {
    const RunPlan& plan = run.plan;
    const io::Scenario& s = plan.scenario;
    BandContext band;
    band.index = b;
    band.first_row = b * plan.band_rows;
    band.grid = band_grid(plan, b);
    const auto first = std::ptrdiff_t(band.first_row) * plan.area.grid.width;
    band.mask.assign(plan.area.mask.begin() + first,
                     plan.area.mask.begin() + first + std::ptrdiff_t(band.grid.pixel_count()));
    const double radius_m = plan.engine_options.max_radius_m;
    const GridSpec terrain_grid = band_terrain_grid(plan, b);
    // Only what some profile of the band can touch is warped (pipeline/terrain_window.hpp); the
    // border check samples its own paths on the whole terrain grid. The warp's threads are the
    // run's (-j): the values do not depend on them.
    io::TerrainReadOptions read_options;
    const bool windowed = !plan.border && plan.request.terrain_window;
    if (windowed) {
        read_options.window = terrain_window(terrain_grid, band.grid, plan.transmitters, radius_m);
        if (!known.window.empty()) {
            read_options.known = &known.raster;
            read_options.known_window = moved_to(known.window, known.raster.grid, terrain_grid);
        }
    }
    read_options.threads =
        int(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
    io::TerrainLoadReport report;
    const auto t0 = Clock::now();
    const std::clock_t cpu0 = std::clock();
    terrain::TerrainModel terrain(io::load_terrain(s.terrain_files, terrain_grid,
                                                   s.void_fill_max_distance_m, &report, &run.cancel,
                                                   read_options));
    known = {};
    if (windowed && b + 1 < plan.band_count)
        known = known_for(plan, terrain.raster(), read_options.window, b + 1);
    coverage.terrain_s += seconds_since(t0);
    coverage.terrain_cpu_s += double(std::clock() - cpu0) / CLOCKS_PER_SEC;
    coverage.filled_void_pixels += report.filled_void_pixels;
    band.terrain = &terrain;
    band.terrain_on_grid = crop(terrain.raster(), band.grid);
    check_band_terrain(plan, band);

    for (Stage* stage : stages) stage->band_begin(run, band);
    engine::CoverageOptions options = plan.engine_options;
    if (!plan.land_cover_class.values.empty())  // the band's rows of the class raster
        options.land_cover_class = std::span<const std::uint8_t>(
            plan.land_cover_class.values.data() + first, band.grid.pixel_count());
    band.result = engine::compute_coverage(
        terrain, band.grid, band.mask, plan.transmitters, *plan.model, options,
        [&](double done, double total) {
            run.observer.progress("computing coverage",
                                  double(b) + (total > 0.0 ? done / total : 1.0),
                                  double(plan.band_count));
        },
        &run.cancel, band.sinks);
    for (Stage* stage : stages) stage->band_end(run, band);
    if (plan.band_count == 1) {
        run.whole_terrain.emplace(std::move(terrain));
        run.whole_result = std::move(band.result);
    }
}

}  // namespace

RunSummary execute(RunPlan& plan, RunObserver& observer, const std::atomic<bool>& cancel) {
    const auto t_start = Clock::now();
    std::unique_ptr<tbb::global_control> threads;
    if (plan.request.threads > 0)
        threads = std::make_unique<tbb::global_control>(
            tbb::global_control::max_allowed_parallelism, std::size_t(plan.request.threads));

    // The run's folders are locked now; every file is staged inside them and moved into place
    // only when all are complete (io/output_folder.hpp, README "Where a run writes").
    std::vector<fs::path> folders = {plan.output_directory};
    if (plan.border) folders.push_back(plan.package_directory);
    io::OutputSet outputs(folders);
    // One compression thread: GDAL's COG writer queues a tile buffer and an encoder state per
    // job, so the peak grew with the threads and with their timing (single-site job, -j 2:
    // 138-162 MB against 118 MB with one; the bound is 150 MB). The bytes would not change
    // (tests/test_terrain_window.cpp checks 1 and 4 threads).
    outputs.set_compression_threads(1);
    RunContext run{plan, outputs, observer, cancel, raster_metadata(plan), {}, {}, {}, {}};

    CoverageStage coverage;
    std::optional<AnalysisStep> analysis;
    std::optional<BorderStep> border;
    std::optional<LandCoverStep> land_cover;
    std::vector<Stage*> stages = {&coverage};
    if (plan.scenario.land_cover.enabled) stages.push_back(&land_cover.emplace());
    if (plan.scenario.analysis.enabled) stages.push_back(&analysis.emplace(plan));
    if (plan.border) stages.push_back(&border.emplace(*plan.border));
    // Last: it joins the analysis and border results once both have written.
    std::optional<SiteReportStage> site_report;
    if (analysis)
        stages.push_back(&site_report.emplace(coverage, analysis->stage(), plan.border.get()));

    for (Stage* stage : stages) stage->prepare(run);
    if (plan.band_count > 1)
        observer.note("computing in " + std::to_string(plan.band_count) + " bands of up to " +
                      std::to_string(plan.band_rows) + " rows");
    KnownTerrain known;
    for (int b = 0; b < plan.band_count; ++b) run_band(run, coverage, stages, b, known);
    observer.step_finished("computing coverage");
    for (Stage* stage : stages) stage->finish(run);
    for (Stage* stage : stages) stage->write(run);
    outputs.add_text(plan.output_directory / "manifest.json", run_manifest_json(run),
                     "this list of outputs");
    outputs.commit();

    RunSummary summary;
    summary.total_s = seconds_since(t_start);
    summary.coverage_s = coverage.coverage_seconds();
    summary.coverage_lines = coverage.summary();
    if (analysis)
        for (const auto& line : analysis->summary()) summary.coverage_lines.push_back(line);
    if (land_cover)
        for (const auto& line : land_cover->summary()) summary.coverage_lines.push_back(line);
    if (site_report)
        for (const auto& line : site_report->summary()) summary.coverage_lines.push_back(line);
    for (const Product& p : run.products) summary.files.push_back(p.file);
    summary.files.push_back("manifest.json");
    if (border) summary.border_lines = border->summary();
    return summary;
}

}  // namespace grenzfunk::pipeline
