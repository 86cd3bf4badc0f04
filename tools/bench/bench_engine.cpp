// Kernels of the fast coverage engine (docs/engine.md), on real SRTM3 terrain of the border
// region: the 501-point profile r11_0055 of tests/data/itm_region (30 km, 60 m spacing) and
// the Hof/As DEM cut tests/data/dem/hof_as_srtm3.tif. Build with -DGRENZFUNK_BUILD_BENCHMARKS=ON:
//   ./build/tools/bench/grenzfunk_bench --benchmark_filter='Engine|Prefix|DeltaH'
// The per-pixel figures to compare: BM_ItmPlainPerPixel (one fresh point_to_point per profile,
// what the reference engine calls) and BM_ItmPrefixPerPixel (the same 500 profiles evaluated as
// prefixes of one radial, what the fast engine calls). The whole-job figures come from
// tools/bench_engine.sh.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "engine/coverage.hpp"
#include "io/crs.hpp"
#include "validation/path_cases.hpp"
#include "io/terrain_reader.hpp"
#include "propagation/itm.hpp"
#include "propagation/itm_internal.hpp"
#include "propagation/itm_prefix.hpp"
#include "propagation/registry.hpp"

namespace {

namespace itm = grenzfunk::propagation::itm;

std::string data_dir() {
    const char* dir = std::getenv("GRENZFUNK_TEST_DATA_DIR");
    return dir ? dir : GRENZFUNK_TEST_DATA_DIR;
}

std::vector<double> radial_profile() {
    const std::vector<double> pfl =
        grenzfunk::validation::read_pfl(data_dir() + "/itm_region/profiles/r11_0055.pfl");
    return {pfl.begin() + 2, pfl.end()};
}

itm::Inputs inputs() {
    itm::Inputs in;
    in.frequency_mhz = 806.0;
    in.tx_height_m = 35.0;
    in.rx_height_m = 1.5;
    return in;
}

// Every prefix n = 1..500 of the profile through a fresh point_to_point; per profile.
void BM_ItmPlainPerPixel(benchmark::State& state) {
    const std::vector<double> z = radial_profile();
    const itm::Inputs in = inputs();
    for (auto _ : state) {
        for (std::size_t n = 1; n < z.size(); ++n) {
            const itm::Result r = itm::point_to_point(in, 60.0, std::span(z).first(n + 1));
            benchmark::DoNotOptimize(r.loss_db);
        }
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(z.size() - 1));
}
BENCHMARK(BM_ItmPlainPerPixel)->Unit(benchmark::kMillisecond);

// The same profiles as prefixes of one radial (push a sample, evaluate); per profile.
void BM_ItmPrefixPerPixel(benchmark::State& state) {
    const std::vector<double> z = radial_profile();
    itm::PrefixProfile prefix(inputs());
    for (auto _ : state) {
        prefix.clear();
        for (std::size_t n = 1; n < z.size(); ++n) {
            prefix.push(z[n - 1]);
            const itm::Result r = prefix.evaluate(z[n], 60.0);
            benchmark::DoNotOptimize(r.loss_db);
        }
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(z.size() - 1));
}
BENCHMARK(BM_ItmPrefixPerPixel)->Unit(benchmark::kMillisecond);

// Δh of the whole 500-interval profile (245 resampled points): the part of ITM that depends on
// each profile's own end points and is recomputed per pixel.
void BM_DeltaH(benchmark::State& state) {
    const std::vector<double> z = radial_profile();
    const itm::detail::Profile p{z.data(), int(z.size() - 1), 60.0};
    for (auto _ : state) {
        benchmark::DoNotOptimize(itm::detail::interdecile_delta_h(p, 500.0, p.length_m() - 20.0));
    }
}
BENCHMARK(BM_DeltaH);

// Δh as the fast engine calls it: the prefixes n = 250..500 of the profile in order, each
// with the selection hint left by the previous one; per profile.
void BM_DeltaHRadial(benchmark::State& state) {
    const std::vector<double> z = radial_profile();
    itm::detail::DecileHint hint;
    for (auto _ : state) {
        hint = {};
        for (int n = 250; n < int(z.size()); ++n) {
            const itm::detail::Profile p{z.data(), n, 60.0};
            benchmark::DoNotOptimize(
                itm::detail::interdecile_delta_h(p, 500.0, p.length_m() - 20.0, &hint));
        }
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()) * std::int64_t(z.size() - 250));
}
BENCHMARK(BM_DeltaHRadial);

// The ITM tail after the geometry (A_ref, variability, free space) for the full profile.
void BM_ItmAttenuationTail(benchmark::State& state) {
    const std::vector<double> z = radial_profile();
    const itm::Inputs in = inputs();
    const itm::detail::Profile p{z.data(), int(z.size() - 1), 60.0};
    itm::detail::PathGeometry g;
    g.height_m[0] = in.tx_height_m;
    g.height_m[1] = in.rx_height_m;
    itm::detail::prepare_environment(in.frequency_mhz, itm::detail::mean_path_elevation_m(p),
                                     in.n0_n_units, in.polarization, in.epsilon, in.sigma_s_per_m,
                                     g);
    itm::detail::analyse_profile(p, g);
    for (auto _ : state) {
        const itm::Result r = itm::detail::finish(in, g, true, itm::Result{});
        benchmark::DoNotOptimize(r.loss_db);
    }
}
BENCHMARK(BM_ItmAttenuationTail);

// A whole small job: one transmitter, ITM, 10 km radius on the Hof/As cut (90 m grid in
// EPSG:25832), fast engine; items = pixels.
void BM_EngineRadialHof10km(benchmark::State& state) {
    using namespace grenzfunk;
    io::LonLatTransform transform("EPSG:25832");
    double x, y;
    transform.forward(12.1, 50.275, x, y);
    GridSpec g;
    g.crs = "EPSG:25832";
    g.crs_wkt = io::projected_crs_wkt("EPSG:25832", "bench");
    g.pixel_size_m = 90.0;
    g.width = g.height = 261;
    g.origin_x_m = std::floor(x / 90.0) * 90.0 - 130 * 90.0;
    g.origin_y_m = std::floor(y / 90.0) * 90.0 + 131 * 90.0;
    const terrain::TerrainModel terrain(
        io::load_terrain({data_dir() + "/dem/hof_as_srtm3.tif"}, g, 1000.0));
    std::vector<std::uint8_t> mask(g.pixel_count(), 1);
    const auto model = propagation::create_model("itm", ParameterSet{});
    engine::TransmitterCell c;
    c.x_m = x;
    c.y_m = y;
    c.antenna_height_agl_m = 35.0;
    c.frequency_mhz = 806.0;
    c.eirp_dbm = 60.0;
    engine::CoverageOptions o;
    o.engine = state.range(0) ? engine::EngineKind::fast : engine::EngineKind::reference;
    o.max_radius_m = 10000.0;
    std::uint64_t pixels = 0;
    for (auto _ : state) {
        const auto r = engine::compute_coverage(terrain, g, mask, {c}, *model, o);
        pixels += r.cell_statistics[0].pixels_computed;
    }
    state.SetItemsProcessed(std::int64_t(pixels));
    state.SetLabel(state.range(0) ? "fast" : "reference");
}
BENCHMARK(BM_EngineRadialHof10km)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

}  // namespace
