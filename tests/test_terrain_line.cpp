// TerrainModel::sample_line (the vector kernel of terrain/line_samples.cpp away from the
// raster's edges) against sample_line_scalar, the loop it replaced: the same bits on every SIMD
// path this CPU runs, on the real SRTM3 cut of tests/data/dem (radials and pixel tails as the
// fast engine samples them) and on a synthetic raster with holes, lines that touch or cross the
// edges, single points and lines along the lattice.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "io/crs.hpp"
#include "io/terrain_reader.hpp"
#include "simd/dispatch.hpp"
#include "terrain/terrain.hpp"
#include "test_simd_paths.hpp"

using namespace grenzfunk;

namespace {

struct Line {
    double x0, y0, dx, dy;
    int n, first, last;
};

// Samples and validity of every line, by `sample` (sample_line or sample_line_scalar), as bits.
template <class Sample>
std::vector<std::uint64_t> sample_all(const std::vector<Line>& lines, Sample&& sample) {
    std::vector<std::uint64_t> out;
    std::vector<double> z;
    for (const Line& l : lines) {
        z.assign(std::size_t(std::max(l.last - l.first + 1, 0)), -1.0);
        const bool valid = sample(l, z.data());
        out.push_back(valid ? 1 : 0);
        for (const double v : z) out.push_back(std::bit_cast<std::uint64_t>(v));
    }
    return out;
}

// Radials from the centre of the raster and, on each, pixel tails of 33 samples (the fast
// engine's exact_tail_samples + 1) at every step, to points slightly off the radial.
std::vector<Line> engine_lines(const GridSpec& g, double reach_m, int radials) {
    std::vector<Line> lines;
    const double cx = g.origin_x_m + 0.5 * g.width * g.pixel_size_m + 17.0;
    const double cy = g.origin_y_m - 0.5 * g.height * g.pixel_size_m - 29.0;
    const double step = g.pixel_size_m;
    for (int j = 0; j < radials; ++j) {
        const double phi = 2.0 * 3.14159265358979 * double(j) / double(radials);
        const double ux = std::sin(phi), uy = std::cos(phi);
        const int needed = int(reach_m / step);
        lines.push_back({cx, cy, needed * step * ux, needed * step * uy, needed, 0, needed - 1});
        for (int n = 1; n <= needed; n += 7) {
            const double off = 0.37 * step * std::sin(double(n));
            lines.push_back({cx, cy, n * step * ux + off * uy, n * step * uy - off * ux, n,
                             std::max(n - 32, 0), n});
        }
    }
    return lines;
}

void check_paths(const terrain::TerrainModel& t, const std::vector<Line>& lines) {
    const auto scalar = sample_all(lines, [&](const Line& l, double* out) {
        return t.sample_line_scalar(l.x0, l.y0, l.dx, l.dy, l.n, l.first, l.last, out);
    });
    test::SimdPathGuard guard;
    test::for_each_runnable_path([&](simd::Path path) {
        const auto bits = sample_all(lines, [&](const Line& l, double* out) {
            return t.sample_line(l.x0, l.y0, l.dx, l.dy, l.n, l.first, l.last, out);
        });
        std::size_t differing = 0;
        for (std::size_t i = 0; i < std::min(bits.size(), scalar.size()); ++i)
            differing += bits[i] != scalar[i];
        INFO("path " << simd::path_name(path));
        CHECK(bits.size() == scalar.size());
        CHECK(differing == 0);
    });
}

}  // namespace

TEST_CASE("terrain: sample_line gives the scalar loop's bits on every SIMD path (real DEM)",
          "[terrain][simd]") {
    io::LonLatTransform transform("EPSG:25832");
    double x, y;
    REQUIRE(transform.forward(12.1, 50.275, x, y));
    GridSpec g;
    g.crs = "EPSG:25832";
    g.crs_wkt = io::projected_crs_wkt("EPSG:25832", "test");
    g.pixel_size_m = 90.0;
    g.width = g.height = 201;
    g.origin_x_m = std::floor(x / 90.0) * 90.0 - 100 * 90.0;
    g.origin_y_m = std::floor(y / 90.0) * 90.0 + 101 * 90.0;
    const terrain::TerrainModel t(io::load_terrain(
        {std::string(GRENZFUNK_TEST_DATA_DIR) + "/dem/hof_as_srtm3.tif"}, g, 1000.0));
    // Inside the raster, and radials reaching past its edge (the edge path, NaN beyond).
    std::vector<Line> lines = engine_lines(g, 8500.0, 48);
    const std::vector<Line> far = engine_lines(g, 12000.0, 12);
    lines.insert(lines.end(), far.begin(), far.end());
    check_paths(t, lines);
    // The kernel is used: a radial inside is valid and equals elevation_at to rounding.
    std::vector<double> z(50);
    const Line& l = lines.front();
    REQUIRE(t.sample_line(l.x0, l.y0, l.dx, l.dy, l.n, 0, 49, z.data()));
    for (int i = 0; i < 50; ++i) {
        const double f = double(i) / double(l.n);
        CHECK(z[std::size_t(i)] ==
              Approx(t.elevation_at(l.x0 + f * l.dx, l.y0 + f * l.dy)).margin(1e-9));
    }
}

TEST_CASE("terrain: sample_line gives the scalar loop's bits on every SIMD path (edge cases)",
          "[terrain][simd]") {
    GridSpec g;
    g.pixel_size_m = 30.0;
    g.width = 37;
    g.height = 23;
    g.origin_x_m = 1000.0;
    g.origin_y_m = 9000.0;
    Raster<float> raster(g, 0.0f);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> height(-20.0f, 900.0f);
    for (float& v : raster.values) v = height(rng);
    raster.at(30, 5) = std::numeric_limits<float>::quiet_NaN();  // a hole
    const terrain::TerrainModel t(raster);
    const double left = g.centre_x_m(0), right = g.centre_x_m(g.width - 1);
    const double top = g.centre_y_m(0), bottom = g.centre_y_m(g.height - 1);
    std::vector<Line> lines = {
        // Along the lattice's outer rows and columns (u or v at their maximum), corner to
        // corner, through the hole, a single point, reversed ranges, first = last.
        {left, bottom, right - left, 0.0, 36, 0, 36},
        {right, top, 0.0, bottom - top, 22, 0, 22},
        {left, top, right - left, bottom - top, 100, 0, 100},
        {right, bottom, left - right, top - bottom, 77, 3, 71},
        {g.centre_x_m(25), g.centre_y_m(5), 10 * 30.0, 0.0, 10, 0, 10},
        {g.centre_x_m(25), g.centre_y_m(5), 10 * 30.0, 0.0, 10, 6, 10},
        {g.centre_x_m(3), g.centre_y_m(3), 0.0, 0.0, 1, 0, 0},
        {g.centre_x_m(3), g.centre_y_m(3), 500.0, -300.0, 9, 5, 5},
        {g.centre_x_m(3), g.centre_y_m(3), 500.0, -300.0, 9, 6, 5},
        // Leaving the lattice (the edge path: clamping within half a pixel, NaN beyond).
        {left - 10.0, top, right - left + 20.0, 0.0, 40, 0, 40},
        {g.centre_x_m(10), g.centre_y_m(10), 2000.0, 900.0, 50, 0, 50},
    };
    // Random lines inside, every length from 1 to 40 samples.
    std::uniform_real_distribution<double> ux(left, right), uy(bottom, top);
    for (int k = 0; k < 400; ++k) {
        const double x0 = ux(rng), y0 = uy(rng), x1 = ux(rng), y1 = uy(rng);
        const int n = 1 + k % 40;
        lines.push_back({x0, y0, x1 - x0, y1 - y0, n, k % 3, n});
    }
    check_paths(t, lines);
    // The hole makes its lines invalid on the vector path too.
    std::vector<double> z(11);
    CHECK_FALSE(t.sample_line(g.centre_x_m(25), g.centre_y_m(5), 300.0, 0.0, 10, 0, 10, z.data()));
    CHECK(std::isnan(z[5]));
    CHECK(t.sample_line(g.centre_x_m(25), g.centre_y_m(5), 300.0, 0.0, 10, 6, 10, z.data()));
}
