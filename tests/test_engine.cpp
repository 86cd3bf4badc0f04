// The coverage engine on synthetic terrain with hand-checkable answers, and its determinism.
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "core/parameters.hpp"
#include "engine/coverage.hpp"
#include "propagation/free_space.hpp"
#include "propagation/registry.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;

namespace {

engine::TransmitterCell omni_cell(double x, double y, double eirp_dbm) {
    engine::TransmitterCell c;
    c.x_m = x;
    c.y_m = y;
    c.lat_deg = 50.0;
    c.lon_deg = 12.0;
    c.antenna_height_agl_m = 30.0;
    c.frequency_mhz = 806.0;
    c.eirp_dbm = eirp_dbm;
    return c;
}

}  // namespace

TEST_CASE("engine: one omni cell in free space gives EIRP minus P.525 loss", "[engine]") {
    const auto terrain = test::flat_terrain(101, 101, 100.0, 400.0f);
    const GridSpec& grid = terrain.grid();
    std::vector<std::uint8_t> mask(grid.pixel_count(), 1);
    auto model = propagation::create_model("free-space", ParameterSet{});
    // Transmitter at the centre of pixel (50, 50).
    const double tx_x = grid.centre_x_m(50), tx_y = grid.centre_y_m(50);
    engine::CoverageOptions options;
    options.max_radius_m = 4000.0;
    const auto result = engine::compute_coverage(terrain, grid, mask, {omni_cell(tx_x, tx_y, 60.0)},
                                                 *model, options);
    // 3 km east: Lbf = 32.45 + 20 log 806 + 20 log 3 = 99.62 dB -> -39.62 dBm.
    const float at_3km = result.best_level_dbm.at(80, 50);
    CHECK(at_3km ==
          Approx(60.0 - (32.4478 + 20 * std::log10(806.0) + 20 * std::log10(3.0))).margin(1e-3));
    CHECK(result.best_server.at(80, 50) == 0);
    // Field strength for 60 dBm e.i.r.p. (30 dBW) at 3 km: 74.8 + 30 - 20 log 3 (P.525).
    CHECK(result.max_field_dbuv_per_m.at(80, 50) ==
          Approx(74.8 + 30.0 - 20.0 * std::log10(3.0)).margin(0.05));
    // Outside the radius: nodata.
    CHECK(std::isnan(result.best_level_dbm.at(95, 50)));
    CHECK(result.best_server.at(95, 50) == -1);
    // Masked pixels are not computed.
    mask[std::size_t(50) * grid.width + 60] = 0;
    const auto masked = engine::compute_coverage(terrain, grid, mask, {omni_cell(tx_x, tx_y, 60.0)},
                                                 *model, options);
    CHECK(std::isnan(masked.best_level_dbm.at(60, 50)));
}

TEST_CASE("engine: two equal cells split the best-server area at the midpoint", "[engine]") {
    const auto terrain = test::flat_terrain(101, 101, 100.0, 300.0f);
    const GridSpec& grid = terrain.grid();
    std::vector<std::uint8_t> mask(grid.pixel_count(), 1);
    auto model = propagation::create_model("free-space", ParameterSet{});
    // Cells 4 km apart on row 50: x centres of pixels 30 and 70; the midpoint is pixel 50.
    const double y = grid.centre_y_m(50);
    engine::CoverageOptions options;
    options.max_radius_m = 10000.0;
    const auto result = engine::compute_coverage(
        terrain, grid, mask,
        {omni_cell(grid.centre_x_m(30), y, 55.0), omni_cell(grid.centre_x_m(70), y, 55.0)}, *model,
        options);
    for (int row : {10, 50, 90}) {
        CHECK(result.best_server.at(49, row) == 0);
        CHECK(result.best_server.at(51, row) == 1);
        // Exactly on the bisector the levels tie and the earlier cell keeps the pixel.
        CHECK(result.best_server.at(50, row) == 0);
    }
    // At the midpoint (2 km from both): 55 - Lbf(806 MHz, 2 km).
    CHECK(result.best_level_dbm.at(50, 50) ==
          Approx(55.0 - (32.4478 + 20 * std::log10(806.0) + 20 * std::log10(2.0))).margin(1e-3));
    // A 6 dB stronger second cell moves the boundary towards the first: equal levels where
    // d2/d1 = 10^(6/20) = 1.995, i.e. 1.338 km from cell 0 -> pixel 43 is cell 0, 44 is cell 1.
    const auto shifted = engine::compute_coverage(
        terrain, grid, mask,
        {omni_cell(grid.centre_x_m(30), y, 55.0), omni_cell(grid.centre_x_m(70), y, 61.0)}, *model,
        options);
    CHECK(shifted.best_server.at(43, 50) == 0);
    CHECK(shifted.best_server.at(44, 50) == 1);
}

TEST_CASE("engine: identical results for 1 and 2 threads on random terrain",
          "[engine][determinism]") {
    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    const terrain::TerrainModel terrain = test::random_terrain(120, 90, 100.0, 300.0f, 900.0f, rng);
    const GridSpec& g = terrain.grid();
    std::vector<std::uint8_t> mask(g.pixel_count(), 1);
    auto model = propagation::create_model("p526-bullington", ParameterSet{});
    std::vector<engine::TransmitterCell> cells;
    for (int i = 0; i < 5; ++i)
        cells.push_back(omni_cell(1000.0 + 2000.0 * i, 2000.0 + 1000.0 * i, 50.0 + i));
    engine::CoverageOptions options;
    options.max_radius_m = 6000.0;

    auto run = [&](int threads) {
        tbb::task_arena arena(threads);
        engine::CoverageResult r;
        arena.execute(
            [&] { r = engine::compute_coverage(terrain, g, mask, cells, *model, options); });
        return r;
    };
    const auto one = run(1);
    const auto two = run(2);
    REQUIRE(one.best_level_dbm.values.size() == two.best_level_dbm.values.size());
    CHECK(std::memcmp(one.best_level_dbm.values.data(), two.best_level_dbm.values.data(),
                      one.best_level_dbm.values.size() * sizeof(float)) == 0);
    CHECK(one.best_server.values == two.best_server.values);
    CHECK(std::memcmp(one.max_field_dbuv_per_m.values.data(),
                      two.max_field_dbuv_per_m.values.data(),
                      one.max_field_dbuv_per_m.values.size() * sizeof(float)) == 0);
}

TEST_CASE("engine: cancellation stops the run", "[engine]") {
    const auto terrain = test::flat_terrain(51, 51, 100.0, 0.0f);
    std::vector<std::uint8_t> mask(terrain.grid().pixel_count(), 1);
    auto model = propagation::create_model("free-space", ParameterSet{});
    std::atomic<bool> cancel{true};
    CHECK_THROWS_AS(
        engine::compute_coverage(terrain, terrain.grid(), mask, {omni_cell(2500.0, 2500.0, 50.0)},
                                 *model, engine::CoverageOptions{}, {}, &cancel),
        engine::Cancelled);
}
