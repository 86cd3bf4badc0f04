// The terrain kernels of the fast engine on real radials of the benchmark DEM
// (data/dem/vogtland_srtm3.tif, the single-site job's terrain: 90 m grid in EPSG:25832 around
// the site at 50.30 N 12.50 E, 48 radials of 50 km sampled every 90 m):
//  * BM_DeltaH/<impl>/<path>: ITM's Δh as the fast engine calls it, on every prefix of each
//    radial in order, the selection hint carried along (range from min(525 m, d / 10) to
//    d - min(22.5 m, d / 10)); impl 0 = interdecile_delta_h (Highway kernels), 1 =
//    interdecile_delta_h_sse2 (before them; it has no paths: run with path 0 only).
//  * BM_SampleLine/<impl>/<path>: TerrainModel::sample_line as the engine calls it: each
//    radial once, then a 33-sample pixel tail at every step; impl 0 = sample_line, 1 =
//    sample_line_scalar. Items are samples.
// path: 0 = automatic, then avx512, avx2, sse4, scalar as in simd::Path (a path this CPU cannot
// run is skipped). Build with -DGRENZFUNK_BUILD_BENCHMARKS=ON, then e.g.
//   ./build/rel/tools/bench/grenzfunk_bench --benchmark_filter='DeltaH/|SampleLine'
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "io/crs.hpp"
#include "io/terrain_reader.hpp"
#include "propagation/itm_internal.hpp"
#include "simd/dispatch.hpp"
#include "terrain/terrain.hpp"

namespace {

using namespace grenzfunk;
namespace itm = grenzfunk::propagation::itm;

constexpr double step_m = 90.0;
constexpr double reach_m = 50000.0;
constexpr int radial_count = 48;

struct Scene {
    terrain::TerrainModel terrain;
    double x_m = 0.0, y_m = 0.0;
    std::vector<std::vector<double>> radials;  // samples 0 .. 555 of each radial
};

const Scene& scene() {
    static const Scene s = [] {
        Scene out;
        const char* dir = std::getenv("GRENZFUNK_TEST_DATA_DIR");
        const std::string dem =
            std::string(dir ? dir : GRENZFUNK_TEST_DATA_DIR) + "/../../data/dem/vogtland_srtm3.tif";
        io::LonLatTransform transform("EPSG:25832");
        transform.forward(12.50, 50.30, out.x_m, out.y_m);
        GridSpec g;
        g.crs = "EPSG:25832";
        g.crs_wkt = io::projected_crs_wkt("EPSG:25832", "bench");
        g.pixel_size_m = step_m;
        const int half = int(reach_m / step_m) + 4;
        g.width = g.height = 2 * half + 1;
        g.origin_x_m = std::floor(out.x_m / step_m) * step_m - half * step_m;
        g.origin_y_m = std::floor(out.y_m / step_m) * step_m + (half + 1) * step_m;
        out.terrain = terrain::TerrainModel(io::load_terrain({dem}, g, 1000.0));
        const int n = int(reach_m / step_m);
        for (int j = 0; j < radial_count; ++j) {
            const double phi = 2.0 * 3.14159265358979 * double(j) / double(radial_count);
            std::vector<double> z(std::size_t(n) + 1);
            const bool valid =
                out.terrain.sample_line_scalar(out.x_m, out.y_m, n * step_m * std::sin(phi),
                                               n * step_m * std::cos(phi), n, 0, n, z.data());
            if (valid) out.radials.push_back(std::move(z));
        }
        return out;
    }();
    return s;
}

// Forces the path of state.range(1) for the benchmark's lifetime; false (skipped) if the CPU
// cannot run it.
struct PathScope {
    bool ok = true;
    explicit PathScope(benchmark::State& state) {
        const auto path = static_cast<simd::Path>(state.range(1));
        const std::vector<simd::Path> runnable = simd::runnable_paths();
        if (path != simd::Path::automatic &&
            std::find(runnable.begin(), runnable.end(), path) == runnable.end()) {
            state.SkipWithError("path not runnable on this CPU");
            ok = false;
            return;
        }
        simd::use_path(path);
        state.SetLabel(std::string(simd::path_name(simd::active_path())));
    }
    ~PathScope() { simd::use_path(simd::Path::automatic); }
};

void BM_DeltaH(benchmark::State& state) {
    const Scene& s = scene();
    const PathScope scope(state);
    if (!scope.ok) return;
    const bool before = state.range(0) == 1;
    std::int64_t calls = 0;
    for (auto _ : state) {
        for (const std::vector<double>& z : s.radials) {
            itm::detail::DecileHint hint;
            for (int n = 2; n < int(z.size()); ++n) {
                const itm::detail::Profile p{z.data(), n, step_m};
                const double d = p.length_m();
                const double from = std::min(525.0, 0.1 * d), to = d - std::min(22.5, 0.1 * d);
                benchmark::DoNotOptimize(
                    before ? itm::detail::interdecile_delta_h_sse2(p, from, to, &hint)
                           : itm::detail::interdecile_delta_h(p, from, to, &hint));
            }
            calls += std::int64_t(z.size()) - 2;
        }
    }
    state.SetItemsProcessed(calls);
}
BENCHMARK(BM_DeltaH)
    ->ArgsProduct({{0}, {0, 1, 2, 3, 4}})
    ->Args({1, 0})
    ->Unit(benchmark::kMicrosecond);

void BM_SampleLine(benchmark::State& state) {
    const Scene& s = scene();
    const PathScope scope(state);
    if (!scope.ok) return;
    const bool before = state.range(0) == 1;
    const int n_max = int(reach_m / step_m);
    std::vector<double> out(std::size_t(n_max) + 1);
    std::int64_t samples = 0;
    const auto sample = [&](double dx, double dy, int n, int first, int last) {
        const bool valid =
            before ? s.terrain.sample_line_scalar(s.x_m, s.y_m, dx, dy, n, first, last, out.data())
                   : s.terrain.sample_line(s.x_m, s.y_m, dx, dy, n, first, last, out.data());
        benchmark::DoNotOptimize(valid);
        benchmark::ClobberMemory();
        samples += last - first + 1;
    };
    for (auto _ : state) {
        for (int j = 0; j < radial_count; ++j) {
            const double phi = 2.0 * 3.14159265358979 * double(j) / double(radial_count);
            const double ux = std::sin(phi), uy = std::cos(phi);
            sample(n_max * step_m * ux, n_max * step_m * uy, n_max, 0, n_max - 1);
            for (int n = 33; n <= n_max; ++n) {  // pixel centres slightly off the radial
                const double off = 0.37 * step_m * std::sin(double(n));
                sample(n * step_m * ux + off * uy, n * step_m * uy - off * ux, n, n - 32, n);
            }
        }
    }
    state.SetItemsProcessed(samples);
}
BENCHMARK(BM_SampleLine)
    ->ArgsProduct({{0}, {0, 1, 2, 3, 4}})
    ->Args({1, 0})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
