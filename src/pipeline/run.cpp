#include "pipeline/run.hpp"

#include <tbb/global_control.h>

#include <sys/resource.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <thread>

#include "core/error.hpp"
#include "core/ranks.hpp"
#include "core/text_format.hpp"
#include "core/version.hpp"
#include "io/crs.hpp"
#include "io/geotiff_writer.hpp"
#include "io/terrain_reader.hpp"
#include "pipeline/analysis_stage.hpp"
#include "pipeline/band_bytes.hpp"
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
    void band_pack(RunContext&, BandContext&, bytes::Writer& out) override {
        put_composites(out, stage_->finish_band());
    }
    void band_unpack(RunContext&, BandContext& band, bytes::Reader& in) override {
        stage_->place_band(get_composites(in, band.grid), band.first_row, band.grid.height);
    }
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

// Band `b`'s index, rows and mask.
BandContext band_context(const RunPlan& plan, int b) {
    BandContext band;
    band.index = b;
    band.first_row = b * plan.band_rows;
    band.grid = band_grid(plan, b);
    const auto first = std::ptrdiff_t(band.first_row) * plan.area.grid.width;
    band.mask.assign(plan.area.mask.begin() + first,
                     plan.area.mask.begin() + first + std::ptrdiff_t(band.grid.pixel_count()));
    return band;
}

// With [border] in a distributed run the coverage comes in bands: rank 0 keeps the whole grid's
// field for the border package (the stage that needs it whole).
void keep_field(RunContext& run, const BandContext& band) {
    const RunPlan& plan = run.plan;
    if (!plan.border || plan.band_count == 1) return;
    Raster<float>& whole = run.whole_result.max_field_dbuv_per_m;
    const Raster<float>& part = band.result.max_field_dbuv_per_m;
    if (whole.values.empty()) whole = Raster<float>(plan.area.grid, part.nodata);
    std::copy(part.values.begin(), part.values.end(),
              whole.values.begin() + std::ptrdiff_t(band.first_row) * plan.area.grid.width);
}

// One band: its terrain (band_terrain_grid, only the window some profile can touch; the part
// the previous band read already is taken over), the engine with every stage's sink, then the
// stages' band_end() (or, on a rank other than 0, their band_pack() into `pack`). `poll` runs
// on this thread between the engine's batches (rank 0 of a distributed run looks for a failed
// rank there).
void run_band(RunContext& run, CoverageStage& coverage, std::vector<Stage*>& stages, int b,
              KnownTerrain& known, bool keep_known, bytes::Writer* pack,
              const std::function<void()>& poll) {
    const RunPlan& plan = run.plan;
    const io::Scenario& s = plan.scenario;
    BandContext band = band_context(plan, b);
    const auto first = std::ptrdiff_t(band.first_row) * plan.area.grid.width;
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
    read_options.transform = plan.request.terrain_transform;
    io::TerrainLoadReport report;
    const auto t0 = Clock::now();
    const std::clock_t cpu0 = std::clock();
    terrain::TerrainModel terrain(io::load_terrain(s.terrain_files, terrain_grid,
                                                   s.void_fill_max_distance_m, &report, &run.cancel,
                                                   read_options));
    known = {};
    if (windowed && keep_known && b + 1 < plan.band_count)
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
            if (poll) poll();
            run.observer.progress("computing coverage",
                                  double(b) + (total > 0.0 ? done / total : 1.0),
                                  double(plan.band_count));
        },
        &run.cancel, band.sinks);
    if (pack) {
        pack->put(std::int32_t(b));
        for (Stage* stage : stages) stage->band_pack(run, band, *pack);
        return;
    }
    for (Stage* stage : stages) stage->band_end(run, band);
    keep_field(run, band);
    if (plan.band_count == 1) {
        run.whole_terrain.emplace(std::move(terrain));
        run.whole_result = std::move(band.result);
    }
}

// Every stage of the run in one order, on every rank: band_pack() and band_unpack() pair up by
// it.
struct Stages {
    CoverageStage coverage;
    std::optional<AnalysisStep> analysis;
    std::optional<BorderStep> border;
    std::optional<LandCoverStep> land_cover;
    std::optional<SiteReportStage> site_report;
    std::vector<Stage*> all;

    explicit Stages(RunPlan& plan) {
        all = {&coverage};
        if (plan.scenario.land_cover.enabled) all.push_back(&land_cover.emplace());
        if (plan.scenario.analysis.enabled) all.push_back(&analysis.emplace(plan));
        if (plan.border) all.push_back(&border.emplace(*plan.border));
        // Last: it joins the analysis and border results once both have written.
        if (analysis)
            all.push_back(&site_report.emplace(coverage, analysis->stage(), plan.border.get()));
    }
};

// Deadlines of a distributed run (docs/scale.md, "Failure"): rank 0 waits for a band of rank r
// kGraceS plus kPaceFactor times what rank r's bands up to it take at rank 0's own pace; a rank
// waits for rank 0 to take its results kGraceS plus kPaceFactor times its own computing time.
// Past a deadline the waiting rank ends the run (MPI_Abort through the CLI).
constexpr double kGraceS = 120.0;
constexpr double kPaceFactor = 3.0;

// Rank `source`'s failure (a RankTag::failed message) thrown on rank 0 as its kind of error.
[[noreturn]] void throw_failure(const RankMessage& m, int size) {
    bytes::Reader in(m.bytes);
    const auto kind = RankFailureKind(in.get<std::uint8_t>());
    const std::string what =
        "rank " + std::to_string(m.source) + " of " + std::to_string(size) + ": " + in.get_string();
    switch (kind) {
        case RankFailureKind::input:
            throw InputError(what);
        case RankFailureKind::output:
            throw OutputError(what);
        case RankFailureKind::cancelled:
            throw engine::Cancelled();
        case RankFailureKind::other:
            break;
    }
    throw RankFailure(what, 4);
}

// Peak resident memory of this process (getrusage: kilobytes on Linux).
double peak_resident_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

// What a rank did, sent after its last band (RankTag::done).
struct RankFigures {
    std::int32_t bands = 0;
    double wall_s = 0.0, terrain_s = 0.0, compute_cpu_s = 0.0, peak_mb = 0.0;
    std::uint64_t bytes_sent = 0;
};

void sleep_a_little(int& round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(20, 1 + round++)));
}

// GRENZFUNK_TEST_FAIL_RANK=<r>: rank r of a distributed run fails with an input error before its
// first band, as a rank that finds bad input would (tests/run_mpi_test.sh).
void test_hook_fail(const Ranks& ranks) {
    const char* value = std::getenv("GRENZFUNK_TEST_FAIL_RANK");
    if (!value || ranks.size() < 2 || std::to_string(ranks.rank()) != value) return;
    throw InputError("GRENZFUNK_TEST_FAIL_RANK=" + std::string(value) + ": rank " +
                     std::to_string(ranks.rank()) + " stops with an input error (test hook)");
}

// A rank other than 0: its bands, each packed and sent to rank 0, then its figures; nothing is
// written.
RunSummary execute_worker(RunPlan& plan, RunObserver& observer, const std::atomic<bool>& cancel,
                          Ranks& ranks) {
    const auto t_start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    io::OutputSet no_outputs;  // never written to: rank 0 writes every file
    RunContext run{plan, no_outputs, observer, cancel, {}, {}, {}, {}, {}};
    Stages stages(plan);
    const std::vector<int> owners = band_owners(band_work(plan), ranks.size());
    const int me = ranks.rank();
    test_hook_fail(ranks);
    KnownTerrain known;
    RankFigures figures;
    for (int b = 0; b < plan.band_count; ++b) {
        if (owners[std::size_t(b)] != me) continue;
        bytes::Writer pack;
        const bool next_is_mine = b + 1 < plan.band_count && owners[std::size_t(b) + 1] == me;
        run_band(run, stages.coverage, stages.all, b, known, next_is_mine, &pack, {});
        ranks.send_to_root(RankTag::band, pack.take());
        ranks.sends_completed();  // frees the buffers rank 0 has taken
        ++figures.bands;
    }
    figures.wall_s = seconds_since(t_start);
    figures.terrain_s = stages.coverage.terrain_s;
    figures.compute_cpu_s =
        double(std::clock() - cpu_start) / CLOCKS_PER_SEC - stages.coverage.terrain_cpu_s;
    figures.peak_mb = peak_resident_mb();
    figures.bytes_sent = ranks.bytes_sent;
    bytes::Writer done;
    done.put(figures);
    ranks.send_to_root(RankTag::done, done.take());
    const double limit_s = kGraceS + kPaceFactor * figures.wall_s;
    const auto t_wait = Clock::now();
    for (int round = 0; !ranks.sends_completed(); sleep_a_little(round)) {
        if (cancel.load()) throw engine::Cancelled();
        if (seconds_since(t_wait) > limit_s)
            throw RankFailure("rank " + std::to_string(me) + " of " + std::to_string(ranks.size()) +
                                  ": rank 0 did not take the results "
                                  "within " +
                                  text::format_fixed(limit_s, 0) + " s",
                              4);
    }
    return {};
}

}  // namespace

bool report_failure(Ranks& ranks, RankFailureKind kind, const std::string& message) {
    bytes::Writer out;
    out.put(std::uint8_t(kind));
    out.put_string(message);
    ranks.send_to_root(RankTag::failed, out.take());
    // Rank 0 sees the message between its engine batches or while it waits, and ends the run;
    // the band sends still pending never complete then. Wait for the end, then give up.
    const auto t0 = Clock::now();
    for (int round = 0; seconds_since(t0) < kGraceS; sleep_a_little(round)) ranks.sends_completed();
    return false;
}

RunSummary execute(RunPlan& plan, RunObserver& observer, const std::atomic<bool>& cancel) {
    SingleProcess one;
    return execute(plan, observer, cancel, one);
}

RunSummary execute(RunPlan& plan, RunObserver& observer, const std::atomic<bool>& cancel,
                   Ranks& ranks) {
    const auto t_start = Clock::now();
    std::unique_ptr<tbb::global_control> threads;
    if (plan.request.threads > 0)
        threads = std::make_unique<tbb::global_control>(
            tbb::global_control::max_allowed_parallelism, std::size_t(plan.request.threads));
    if (ranks.rank() != 0) return execute_worker(plan, observer, cancel, ranks);

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

    Stages stage_set(plan);
    CoverageStage& coverage = stage_set.coverage;
    std::vector<Stage*>& stages = stage_set.all;

    for (Stage* stage : stages) stage->prepare(run);
    if (plan.band_count > 1)
        observer.note("computing in " + std::to_string(plan.band_count) + " bands of up to " +
                      std::to_string(plan.band_rows) + " rows");
    // Distributed (docs/scale.md): rank 0 computes its bands and takes the others' in band
    // order, so that every stage sees the bands exactly as in one process.
    const int size = ranks.size();
    const std::vector<double> work = band_work(plan);
    const std::vector<int> owners = band_owners(work, size);
    if (size > 1) {
        std::vector<int> per_rank(static_cast<std::size_t>(size), 0);
        for (int o : owners) ++per_rank[std::size_t(o)];
        std::string split;
        for (int r = 0; r < size; ++r)
            split += (r ? ", " : "") + std::to_string(per_rank[std::size_t(r)]);
        observer.note("distributed over " + std::to_string(size) + " ranks: bands per rank " +
                      split);
    }
    const std::function<void()> poll = [&] {
        if (auto m = ranks.poll_failure()) throw_failure(*m, size);
    };
    test_hook_fail(ranks);
    const auto t_bands = Clock::now();
    double own_work = 0.0, own_s = 0.0;
    KnownTerrain known;
    for (int b = 0; b < plan.band_count; ++b) {
        const int owner = owners[std::size_t(b)];
        if (owner == 0) {
            const bool next_is_mine = b + 1 < plan.band_count && owners[std::size_t(b) + 1] == 0;
            run_band(run, coverage, stages, b, known, next_is_mine, nullptr,
                     size > 1 ? poll : std::function<void()>());
            own_work += work[std::size_t(b)];
            own_s = seconds_since(t_bands);
            continue;
        }
        // Rank `owner`'s band b: allowed what its bands up to b take at rank 0's pace, times
        // kPaceFactor, plus kGraceS.
        double owed = 0.0;
        for (int c = 0; c <= b; ++c)
            if (owners[std::size_t(c)] == owner) owed += work[std::size_t(c)];
        const double limit_s =
            kGraceS + kPaceFactor * std::max(own_work > 0.0 ? own_s / own_work * owed : 0.0, own_s);
        std::optional<RankMessage> m;
        for (int round = 0; !(m = ranks.poll_from(owner)); sleep_a_little(round)) {
            if (cancel.load()) throw engine::Cancelled();
            poll();
            if (seconds_since(t_bands) > limit_s)
                throw RankFailure("rank " + std::to_string(owner) + " of " + std::to_string(size) +
                                      " sent no result for band " + std::to_string(b) + " within " +
                                      text::format_fixed(limit_s, 0) +
                                      " s: taken to hang, the run is stopped",
                                  4);
        }
        if (m->tag == RankTag::failed) throw_failure(*m, size);
        bytes::Reader in(m->bytes);
        if (m->tag != RankTag::band || in.get<std::int32_t>() != b)
            throw RankFailure("rank " + std::to_string(owner) + " sent a message out of order", 4);
        BandContext band = band_context(plan, b);
        for (Stage* stage : stages) stage->band_unpack(run, band, in);
        if (!in.at_end())
            throw RankFailure("rank " + std::to_string(owner) + ": band " + std::to_string(b) +
                                  " holds more than the stages took",
                              4);
        keep_field(run, band);
        // As run_band keeps a run's only band (the coverage stage writes its composites from it).
        if (plan.band_count == 1) run.whole_result = std::move(band.result);
        observer.progress("computing coverage", double(b + 1), double(plan.band_count));
    }
    // The other ranks' figures (sent after their last band).
    std::vector<RankFigures> figures(static_cast<std::size_t>(size));
    for (int r = 1; r < size; ++r) {
        std::optional<RankMessage> m;
        const auto t0 = Clock::now();
        for (int round = 0; !(m = ranks.poll_from(r)); sleep_a_little(round)) {
            if (cancel.load()) throw engine::Cancelled();
            if (seconds_since(t0) > kGraceS)
                throw RankFailure("rank " + std::to_string(r) + " of " + std::to_string(size) +
                                      " did not report its end within " +
                                      text::format_fixed(kGraceS, 0) + " s",
                                  4);
        }
        if (m->tag == RankTag::failed) throw_failure(*m, size);
        bytes::Reader in(m->bytes);
        if (m->tag != RankTag::done)
            throw RankFailure("rank " + std::to_string(r) + " sent a message out of order", 4);
        figures[std::size_t(r)] = in.get<RankFigures>();
        coverage.remote_compute_cpu_s += figures[std::size_t(r)].compute_cpu_s;
    }
    observer.step_finished("computing coverage");
    if (plan.border && !run.whole_terrain) {
        // The border check samples its paths on the whole terrain grid (border_stage.hpp): read
        // on rank 0 exactly as a run in one piece reads it.
        io::TerrainReadOptions read_options;
        read_options.threads =
            int(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
        read_options.transform = plan.request.terrain_transform;
        const auto t0 = Clock::now();
        run.whole_terrain.emplace(io::load_terrain(
            plan.scenario.terrain_files, plan.area.terrain_grid,
            plan.scenario.void_fill_max_distance_m, nullptr, &cancel, read_options));
        coverage.terrain_s += seconds_since(t0);
    }
    for (Stage* stage : stages) stage->finish(run);
    for (Stage* stage : stages) stage->write(run);
    outputs.add_text(plan.output_directory / "manifest.json", run_manifest_json(run),
                     "this list of outputs");
    outputs.commit();

    RunSummary summary;
    summary.total_s = seconds_since(t_start);
    summary.coverage_s = coverage.coverage_seconds();
    summary.coverage_lines = coverage.summary();
    if (stage_set.analysis)
        for (const auto& line : stage_set.analysis->summary())
            summary.coverage_lines.push_back(line);
    if (stage_set.land_cover)
        for (const auto& line : stage_set.land_cover->summary())
            summary.coverage_lines.push_back(line);
    if (stage_set.site_report)
        for (const auto& line : stage_set.site_report->summary())
            summary.coverage_lines.push_back(line);
    if (size > 1) {
        figures[0].bands = std::int32_t(std::count(owners.begin(), owners.end(), 0));
        figures[0].terrain_s = coverage.terrain_s;
        figures[0].peak_mb = peak_resident_mb();
        std::uint64_t sent = 0;
        summary.coverage_lines.push_back("distributed over " + std::to_string(size) +
                                         " MPI ranks (" + std::to_string(plan.band_count) +
                                         " bands):");
        for (int r = 0; r < size; ++r) {
            const RankFigures& f = figures[std::size_t(r)];
            sent += f.bytes_sent;
            summary.coverage_lines.push_back(
                "  rank " + std::to_string(r) + ": " + std::to_string(f.bands) +
                " bands, terrain " + text::format_fixed(f.terrain_s, 1) +
                " s, peak resident memory " + text::format_fixed(f.peak_mb, 0) + " MB" +
                (r > 0 ? ", engine CPU " + text::format_fixed(f.compute_cpu_s, 1) + " s, " +
                             text::format_fixed(double(f.bytes_sent) / 1e6, 1) + " MB sent in " +
                             text::format_fixed(f.wall_s, 1) + " s"
                       : std::string(" (writes every output)")));
        }
        summary.coverage_lines.push_back("  " + text::format_fixed(double(sent) / 1e6, 1) +
                                         " MB received by rank 0");
    }
    for (const Product& p : run.products) summary.files.push_back(p.file);
    summary.files.push_back("manifest.json");
    if (stage_set.border) summary.border_lines = stage_set.border->summary();
    return summary;
}

}  // namespace grenzfunk::pipeline
