// The terrain window (pipeline/terrain_window.hpp): the boxes a band's profiles can touch, and
// the reader's promise that the pixels inside get exactly the values of a whole-grid read —
// through the void fill, for any number of warp threads — and whole runs that write the same
// bytes as a run reading the whole grid.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "io/crs.hpp"
#include "io/geotiff_writer.hpp"
#include "io/terrain_reader.hpp"
#include "pipeline/observer.hpp"
#include "pipeline/plan.hpp"
#include "pipeline/run.hpp"
#include "pipeline/terrain_window.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;
using io::PixelBox;

namespace {

bool same_bits(float a, float b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

bool inside(const std::vector<PixelBox>& boxes, int col, int row) {
    for (const PixelBox& b : boxes)
        if (col >= b.col0 && col < b.col1 && row >= b.row0 && row < b.row1) return true;
    return false;
}

engine::TransmitterCell cell_at(double x_m, double y_m) {
    engine::TransmitterCell t;
    t.x_m = x_m;
    t.y_m = y_m;
    return t;
}

}  // namespace

TEST_CASE("terrain window: union and difference of boxes as disjoint boxes",
          "[terrain][pipeline]") {
    // Overlapping: three slabs of rows.
    CHECK(io::box_union({{0, 0, 4, 4}, {2, 2, 6, 6}}) ==
          std::vector<PixelBox>{{0, 0, 4, 2}, {0, 2, 6, 4}, {2, 4, 6, 6}});
    // Side by side and one above the other: joined into one.
    CHECK(io::box_union({{0, 0, 2, 2}, {2, 0, 4, 2}}) == std::vector<PixelBox>{{0, 0, 4, 2}});
    CHECK(io::box_union({{0, 0, 3, 2}, {0, 2, 3, 5}}) == std::vector<PixelBox>{{0, 0, 3, 5}});
    // Apart: two boxes in one slab; a contained box adds nothing; empty boxes are dropped.
    CHECK(io::box_union({{5, 0, 7, 3}, {0, 0, 2, 3}, {0, 1, 1, 2}, {4, 4, 4, 9}}) ==
          std::vector<PixelBox>{{0, 0, 2, 3}, {5, 0, 7, 3}});
    CHECK(io::box_union({}).empty());
    // The difference: a hole in the middle leaves four boxes; removing everything leaves none.
    CHECK(io::box_difference({{0, 0, 6, 6}}, {{2, 2, 4, 4}}) ==
          std::vector<PixelBox>{{0, 0, 6, 2}, {0, 2, 2, 4}, {4, 2, 6, 4}, {0, 4, 6, 6}});
    CHECK(io::box_difference({{0, 0, 6, 6}}, {{-1, -1, 7, 7}}).empty());
    CHECK(io::box_difference({{0, 0, 6, 6}}, {}) == std::vector<PixelBox>{{0, 0, 6, 6}});
}

TEST_CASE("terrain window: the band and the discs of the cells in reach", "[terrain][pipeline]") {
    // Terrain grid: 100 x 100 pixels of 100 m, west edge 0, north edge 10 000 m. The band: its
    // pixels 40..59 in both directions. Radius 1 km (10 pixels): the band's reach is 12 pixels
    // (with the 2-pixel margin).
    GridSpec terrain;
    terrain.pixel_size_m = 100.0;
    terrain.origin_x_m = 0.0;
    terrain.origin_y_m = 10000.0;
    terrain.width = terrain.height = 100;
    GridSpec band = terrain;
    band.origin_x_m = 4000.0;
    band.origin_y_m = 6000.0;
    band.width = band.height = 20;
    const double radius_m = 1000.0;

    // The band alone without cells.
    CHECK(pipeline::terrain_window(terrain, band, {}, radius_m) ==
          std::vector<PixelBox>{{40, 40, 60, 60}});
    // A cell in the band's centre: its disc box, 2 pixels beyond the radius (columns
    // floor(40) - 2 .. floor(60) + 1 + 2), contains the band.
    const auto centre = cell_at(5000.0, 5000.0);
    CHECK(pipeline::box_around(terrain, 5000.0, 5000.0, radius_m, 2) == PixelBox{38, 38, 63, 63});
    CHECK(pipeline::terrain_window(terrain, band, {centre}, radius_m) ==
          std::vector<PixelBox>{{38, 38, 63, 63}});
    // A cell 943 m north-west of the band: its disc box {23, 20, 48, 45} clipped to the band's
    // reach {28, 28, 72, 72}; three slabs with the centre cell's box. A cell 1.41 km away
    // reaches no band pixel and adds nothing.
    const auto north_west = cell_at(3500.0, 6800.0);
    const auto far = cell_at(3000.0, 7000.0);
    CHECK(pipeline::terrain_window(terrain, band, {centre, north_west, far}, radius_m) ==
          std::vector<PixelBox>{{28, 28, 48, 38}, {28, 38, 63, 45}, {38, 45, 63, 63}});
    // Near the terrain grid's corner the boxes are clipped to it.
    GridSpec corner = band;
    corner.origin_x_m = 0.0;
    corner.origin_y_m = 10000.0;
    corner.width = corner.height = 5;
    CHECK(pipeline::terrain_window(terrain, corner, {cell_at(250.0, 9750.0)}, radius_m) ==
          std::vector<PixelBox>{{0, 0, 15, 15}});
}

TEST_CASE("terrain window: the pixels read are those of the whole grid, voids filled alike",
          "[terrain][io]") {
    // A 300 m grid over the sample DEM's south-west corner (11.8 E, 50.1 N): a quarter of it
    // lies outside the DEM and is void-filled up to 2.1 km (7 pixels) from the edge.
    GridSpec g;
    g.crs = "EPSG:25832";
    g.crs_wkt = io::projected_crs_wkt(g.crs, "test");
    g.pixel_size_m = 300.0;
    g.origin_x_m = 690000.0;
    g.origin_y_m = 5580000.0;
    g.width = 120;
    g.height = 100;
    const std::vector<std::string> dem = {data_path("dem/hof_as_srtm3.tif")};
    const double fill_m = 2100.0;
    io::TerrainLoadReport whole_report;
    const Raster<float> whole = io::load_terrain(dem, g, fill_m, &whole_report);
    REQUIRE(whole_report.filled_void_pixels > 500);
    REQUIRE(whole_report.empty_pixels > 500);

    // Boxes across the DEM's edges, apart and overlapping, and one at the grid's corner.
    const std::vector<PixelBox> window = {
        {0, 60, 30, 100}, {20, 50, 70, 80}, {90, 90, 120, 100}, {100, 0, 103, 7}};
    for (int threads : {1, 3}) {
        INFO("threads " << threads);
        io::TerrainReadOptions options;
        options.window = window;
        options.threads = threads;
        io::TerrainLoadReport report;
        const Raster<float> part = io::load_terrain(dem, g, fill_m, &report, nullptr, options);
        std::size_t compared = 0, filled = 0, empty = 0, differing = 0;
        for (int r = 0; r < g.height; ++r)
            for (int c = 0; c < g.width; ++c) {
                const float a = part.at(c, r), b = whole.at(c, r);
                if (!inside(window, c, r)) {
                    differing += !std::isnan(a);
                    continue;
                }
                ++compared;
                differing += !same_bits(a, b);
                empty += std::isnan(b);
            }
        CHECK(differing == 0);
        CHECK(compared == 30u * 40 + 50 * 30 - 10 * 20 + 30 * 10 + 3 * 7);
        // Some window pixels were filled, some stay empty beyond the fill distance.
        CHECK(report.empty_pixels == empty);
        CHECK(empty > 100);
        filled = report.filled_void_pixels;
        CHECK(filled > 100);
        CHECK(filled < whole_report.filled_void_pixels);
    }
    // Threads alone, whole grid: the same bits.
    io::TerrainReadOptions threaded;
    threaded.threads = 2;
    const Raster<float> whole2 = io::load_terrain(dem, g, fill_m, nullptr, nullptr, threaded);
    std::size_t differing = 0;
    for (std::size_t i = 0; i < whole.values.size(); ++i)
        differing += !same_bits(whole.values[i], whole2.values[i]);
    CHECK(differing == 0);
}

namespace {

// Runs `scenario` in-process into `out` and returns every output file's bytes by name.
std::map<std::string, std::string> run_files(const fs::path& scenario, const fs::path& out,
                                             int threads, int tile_rows, bool window) {
    pipeline::RunRequest request;
    request.scenario_path = scenario.string();
    request.output_directory = out.string();
    request.threads = threads;
    request.tile_rows = tile_rows;
    request.terrain_window = window;
    pipeline::RunPlan plan = pipeline::make_plan(request);
    pipeline::RunObserver quiet;
    std::atomic<bool> cancel{false};
    const pipeline::RunSummary summary = pipeline::execute(plan, quiet, cancel);
    std::map<std::string, std::string> files;
    for (const auto& f : summary.files) files[f] = read_file(out / f);
    return files;
}

}  // namespace

TEST_CASE("terrain window: whole runs write the bytes of a run reading the whole grid",
          "[terrain][pipeline][bands]") {
    // Cells near the DEM's south edge (50.10 N): the grown grid reaches past it, its voids
    // are filled inside the window (1.5 km from the edge) and beyond.
    TempDir tmp;
    write_file(tmp / "sites.csv",
               "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
               "mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,"
               "antenna_pattern,technology,operator,country\n"
               "A1,A,A,50.118,11.95,30,0,0,2,806,10,59.0,3gpp-65,LTE,op,DE\n"
               "A2,A,A,50.118,11.95,30,120,0,2,806,10,59.0,3gpp-65,LTE,op,DE\n"
               "B1,B,B,50.16,12.02,25,200,0,3,1815,20,61.0,3gpp-65,LTE,op,DE\n");
    write_file(tmp / "s.toml", "name = \"win\"\n[terrain]\nfiles = [\"" +
                                   data_path("dem/hof_as_srtm3.tif") +
                                   "\"]\nvoid_fill_max_distance_m = 1500.0\n"
                                   "[[sites]]\nfile = \"" +
                                   (tmp / "sites.csv").string() +
                                   "\"\n[grid]\nresolution_m = 200.0\n"
                                   "extent_lonlat_deg = [11.90, 50.11, 12.06, 50.19]\n"
                                   "[propagation]\nmodel = \"itm\"\nmax_radius_km = 6.0\n"
                                   "[output]\nterrain = true\n");
    const auto reference = run_files(tmp / "s.toml", tmp / "full", 1, 0, false);
    REQUIRE(reference.count("terrain_m.tif") == 1);
    REQUIRE(reference.count("best_rx_level_dbm.tif") == 1);
    struct Case {
        const char* name;
        int threads, tile_rows;
    };
    for (const Case& c : {Case{"1 thread", 1, 0}, Case{"2 threads", 2, 0},
                          Case{"bands of 7 rows", 2, 7}, Case{"bands, 1 thread", 1, 11}}) {
        INFO(c.name);
        const auto files = run_files(tmp / "s.toml", tmp / c.name, c.threads, c.tile_rows, true);
        REQUIRE(files.size() == reference.size());
        for (const auto& [name, bytes] : reference) {
            if (name == "manifest.json") continue;  // names the output folder
            INFO(name);
            CHECK(files.at(name) == bytes);
        }
    }
}

TEST_CASE("COG compression threads: the same bytes for 1 and 4 threads", "[io][geotiff]") {
    // 1300 x 1100 pixels: 9 tiles of 512 and overviews, compressed in parallel.
    GridSpec g;
    g.crs = "EPSG:25832";
    g.crs_wkt = io::projected_crs_wkt(g.crs, "test");
    g.pixel_size_m = 100.0;
    g.origin_x_m = 700000.0;
    g.origin_y_m = 5600000.0;
    g.width = 1300;
    g.height = 1100;
    Raster<float> level(g, -9999.0f);
    Raster<std::int32_t> index(g, -1);
    for (int r = 0; r < g.height; ++r)
        for (int c = 0; c < g.width; ++c) {
            level.at(c, r) = float(-60.0 - 0.05 * c + 7.0 * std::sin(0.013 * r * c));
            index.at(c, r) = (c / 37 + r / 53) % 11;
        }
    TempDir dir;
    for (int threads : {1, 4}) {
        io::OutputSet set;
        set.set_compression_threads(threads);
        const std::string t = std::to_string(threads);
        set.add_geotiff(dir / ("level_" + t + ".tif"), level);
        set.add_geotiff(dir / ("index_" + t + ".tif"), index);
        set.commit();
    }
    CHECK(read_file(dir / "level_1.tif").size() > 100000);
    CHECK(read_file(dir / "level_1.tif") == read_file(dir / "level_4.tif"));
    CHECK(read_file(dir / "index_1.tif") == read_file(dir / "index_4.tif"));
}
