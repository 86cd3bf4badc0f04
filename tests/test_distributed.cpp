// A run distributed over ranks (docs/scale.md): the partition of the bands over the ranks, the
// work estimate it balances, and the bands' bytes between the ranks. The runs under mpirun are
// compared byte for byte with one process in tests/run_mpi_test.sh (ctest label "mpi").
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/bytes.hpp"
#include "pipeline/band_bytes.hpp"
#include "pipeline/plan.hpp"

using namespace grenzfunk;

namespace {

template <typename T>
bool same_bits(const Raster<T>& a, const Raster<T>& b) {
    return a.grid.origin_x_m == b.grid.origin_x_m && a.grid.origin_y_m == b.grid.origin_y_m &&
           a.grid.pixel_size_m == b.grid.pixel_size_m && a.grid.width == b.grid.width &&
           a.grid.height == b.grid.height && a.grid.crs == b.grid.crs &&
           std::memcmp(&a.nodata, &b.nodata, sizeof(T)) == 0 &&
           a.values.size() == b.values.size() &&
           (a.values.empty() ||
            std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(T)) == 0);
}

template <typename T>
bool same_bits(const std::vector<Raster<T>>& a, const std::vector<Raster<T>>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_bits(a[i], b[i])) return false;
    return true;
}

GridSpec band_grid() {
    GridSpec g;
    g.crs = "EPSG:25832";
    g.origin_x_m = 700000.0;
    g.origin_y_m = 5580000.0;
    g.pixel_size_m = 250.0;
    g.width = 7;
    g.height = 3;
    return g;
}

// Values that are not round numbers, NaN with a payload and negative zero among them.
template <typename T>
Raster<T> pattern_raster(const GridSpec& g, int seed, T nodata) {
    Raster<T> r(g, nodata);
    for (std::size_t p = 0; p < r.values.size(); ++p)
        r.values[p] = T(double(seed) * 1.37 - double(p) * 0.731);
    return r;
}

}  // namespace

TEST_CASE("distributed: band_owners gives contiguous runs balanced by the work", "[distributed]") {
    using pipeline::band_owners;
    CHECK(band_owners({1, 1, 1, 1}, 2) == std::vector<int>{0, 0, 1, 1});
    // Cuts nearest 4/3 and 8/3 of the work: after band 0 and after band 2.
    CHECK(band_owners({1, 1, 1, 1}, 3) == std::vector<int>{0, 1, 1, 2});
    // A heavy first band: rank 0 takes it alone.
    CHECK(band_owners({10, 1, 1, 1, 1}, 2) == std::vector<int>{0, 1, 1, 1, 1});
    // Five bands over two ranks (not divisible): the cut nearest half the work.
    CHECK(band_owners({1, 1, 1, 1, 1}, 2) == std::vector<int>{0, 0, 1, 1, 1});
    // Cuts after band 0 (3 of 7) and after band 1 (4 of 7) are equally near 3.5: the earlier.
    CHECK(band_owners({3, 1, 1, 1, 1}, 2) == std::vector<int>{0, 1, 1, 1, 1});
    CHECK(band_owners({3, 1, 1, 1, 2}, 2) == std::vector<int>{0, 0, 1, 1, 1});
    // The whole grid in one piece stays on rank 0; one rank takes everything.
    CHECK(band_owners({5}, 3) == std::vector<int>{0});
    CHECK(band_owners({1, 2, 3}, 1) == std::vector<int>{0, 0, 0});
    // Fewer bands than ranks: a rank between gets none.
    CHECK(band_owners({1, 1}, 3) == std::vector<int>{0, 2});
    // No estimated work at all: split by band count.
    CHECK(band_owners({0, 0, 0, 0, 0, 0}, 3) == std::vector<int>{0, 0, 1, 1, 2, 2});
    // Runs are contiguous and in rank order for any input.
    const std::vector<double> work = {5, 0, 2, 9, 1, 1, 7, 3, 0, 4};
    for (int ranks = 1; ranks <= 12; ++ranks) {
        const std::vector<int> owners = band_owners(work, ranks);
        REQUIRE(owners.size() == work.size());
        CHECK(owners.front() == 0);
        for (std::size_t b = 1; b < owners.size(); ++b) {
            CHECK(owners[b] >= owners[b - 1]);
            CHECK(owners[b] < ranks);
        }
    }
}

TEST_CASE("distributed: band_work counts each transmitter's disc pixels in each band",
          "[distributed]") {
    pipeline::RunPlan plan;
    plan.area.grid.pixel_size_m = 100.0;
    plan.area.grid.width = 100;
    plan.area.grid.height = 100;
    plan.area.grid.origin_x_m = 0.0;
    plan.area.grid.origin_y_m = 10000.0;
    plan.band_rows = 50;
    plan.band_count = 2;
    plan.engine_options.max_radius_m = 2000.0;
    engine::TransmitterCell centre;
    centre.x_m = 5000.0;
    centre.y_m = 5000.0;  // on the boundary of the two bands
    plan.transmitters = {centre};
    std::vector<double> work = pipeline::band_work(plan);
    REQUIRE(work.size() == 2);
    const double disc = 3.14159265358979 * 20.0 * 20.0;  // pixels of a 2 km disc at 100 m
    CHECK(work[0] == Approx(disc / 2).epsilon(0.02));
    CHECK(work[1] == Approx(work[0]).epsilon(1e-12));
    // A transmitter near the north edge: its disc lies in band 0 and is clipped by the grid.
    engine::TransmitterCell north = centre;
    north.y_m = 9900.0;
    plan.transmitters = {north};
    work = pipeline::band_work(plan);
    CHECK(work[1] == 0.0);
    CHECK(work[0] == Approx(disc / 2 + 2 * 20.0 * 1.0).epsilon(0.03));  // half a disc, one row
    // A transmitter beyond the radius of the grid adds nothing.
    engine::TransmitterCell far = centre;
    far.x_m = -2500.0;
    plan.transmitters = {far};
    work = pipeline::band_work(plan);
    CHECK(work[0] == 0.0);
    CHECK(work[1] == 0.0);
}

TEST_CASE("distributed: a band's composites and coverage come back with the same bits",
          "[distributed]") {
    const GridSpec g = band_grid();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    analysis::Composites c;
    c.grid = g;
    c.technologies = {Technology::lte, Technology::gsm};
    c.best_metric_dbm = {{pattern_raster<float>(g, 1, nan), pattern_raster<float>(g, 2, nan)},
                         {pattern_raster<float>(g, 3, nan), pattern_raster<float>(g, 4, nan)}};
    c.best_metric_dbm[0][0].values[3] = -0.0f;
    c.best_metric_dbm[0][0].values[4] = nan;
    c.best_level_dbm = {pattern_raster<float>(g, 5, nan), pattern_raster<float>(g, 6, nan)};
    c.sinr_db = {pattern_raster<float>(g, 8, nan)};
    c.layer_operator = {pattern_raster<std::int16_t>(g, 9, -1)};
    c.overlap_count = {pattern_raster<std::uint8_t>(g, 10, 255),
                       pattern_raster<std::uint8_t>(g, 11, 255)};
    c.best_cell = {pattern_raster<std::int32_t>(g, 12, -1),
                   pattern_raster<std::int32_t>(g, 13, -1)};
    // best_rsrp_dbm stays empty: an empty raster travels as one.

    bytes::Writer out;
    pipeline::put_composites(out, c);
    GridSpec like = g;  // the receiver's plan supplies the CRS
    bytes::Reader in(out.data());
    const analysis::Composites back = pipeline::get_composites(in, like);
    CHECK(in.at_end());
    CHECK(back.technologies == c.technologies);
    CHECK(back.grid.width == g.width);
    CHECK(back.grid.height == g.height);
    REQUIRE(back.best_metric_dbm.size() == 2);
    CHECK(same_bits(back.best_metric_dbm[0], c.best_metric_dbm[0]));
    CHECK(same_bits(back.best_metric_dbm[1], c.best_metric_dbm[1]));
    CHECK(std::signbit(back.best_metric_dbm[0][0].values[3]));
    CHECK(same_bits(back.best_level_dbm, c.best_level_dbm));
    CHECK(back.best_rsrp_dbm.values.empty());
    CHECK(same_bits(back.sinr_db, c.sinr_db));
    CHECK(same_bits(back.layer_operator, c.layer_operator));
    CHECK(same_bits(back.overlap_count, c.overlap_count));
    CHECK(same_bits(back.best_cell, c.best_cell));

    engine::CoverageResult r;
    r.best_level_dbm = pattern_raster<float>(g, 20, nan);
    r.max_field_dbuv_per_m = pattern_raster<float>(g, 21, nan);
    r.best_server = pattern_raster<std::int32_t>(g, 22, -1);
    r.cell_statistics = {{17, 2, 1}, {0, 0, 0}, {123456789012ull, 5, 0}};
    const Raster<float> terrain = pattern_raster<float>(g, 23, -9999.0f);
    bytes::Writer cov;
    pipeline::put_coverage_band(cov, r, terrain, true, false, true);
    bytes::Reader cin(cov.data());
    const pipeline::CoverageBand band = pipeline::get_coverage_band(cin, like);
    CHECK(cin.at_end());
    CHECK(same_bits(band.result.best_level_dbm, r.best_level_dbm));
    CHECK(same_bits(band.result.max_field_dbuv_per_m, r.max_field_dbuv_per_m));
    CHECK(band.result.best_server.values.empty());  // not carried (no best_server output)
    CHECK(same_bits(band.terrain_on_grid, terrain));
    REQUIRE(band.result.cell_statistics.size() == 3);
    CHECK(band.result.cell_statistics[2].pixels_computed == 123456789012ull);
    CHECK(band.result.cell_statistics[0].pixels_flagged_outside_range == 2);
    CHECK(band.result.cell_statistics[0].pixels_without_terrain == 1);
}

TEST_CASE("distributed: a short or malformed message is refused, never read past its end",
          "[distributed]") {
    const GridSpec g = band_grid();
    engine::CoverageResult r;
    r.best_level_dbm = pattern_raster<float>(g, 1, 0.0f);
    r.cell_statistics = {{1, 0, 0}};
    bytes::Writer out;
    pipeline::put_coverage_band(out, r, {}, false, false, false);
    std::vector<std::uint8_t> data = out.take();
    for (std::size_t cut : {std::size_t(0), std::size_t(5), data.size() / 2, data.size() - 1}) {
        const std::vector<std::uint8_t> part(data.begin(), data.begin() + std::ptrdiff_t(cut));
        bytes::Reader in(part);
        CHECK_THROWS_WITH(pipeline::get_coverage_band(in, g),
                          Catch::Contains("shorter than its contents"));
    }
    // A length field claiming more values than the message holds.
    bytes::Writer bad;
    bad.put(std::uint64_t(1) << 40);
    bytes::Reader in(bad.data());
    CHECK_THROWS(in.get_vector<float>());
    bytes::Reader whole(data);
    CHECK(pipeline::get_coverage_band(whole, g).result.best_level_dbm.values.size() == 21);
}
