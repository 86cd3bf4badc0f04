// Per-path / per-pixel cost of the empirical models, the P.526 Bullington model and the antenna
// pattern. Run: ./build/tools/bench/grenzfunk_bench --benchmark_filter='Hata|P526|Antenna'
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "antenna/pattern.hpp"
#include "core/parameters.hpp"
#include "propagation/p2108.hpp"
#include "propagation/registry.hpp"

using namespace grenzfunk;

static void BM_OkumuraHata(benchmark::State& state) {
    auto model = propagation::create_model("okumura-hata", ParameterSet{});
    propagation::PathQuery q;
    q.frequency_mhz = 800.0;
    q.tx_height_agl_m = 30.0;
    q.rx_height_agl_m = 1.5;
    double d = 1000.0;
    for (auto _ : state) {
        q.distance_m = d;
        d = d < 20000.0 ? d + 1.0 : 1000.0;
        benchmark::DoNotOptimize(model->loss(q));
    }
}
BENCHMARK(BM_OkumuraHata);

// Bullington over a synthetic rolling-terrain profile of N points (30 m spacing).
static void BM_P526Bullington(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<double> ground(n);
    for (std::size_t i = 0; i < n; ++i)
        ground[i] = 400.0 + 60.0 * std::sin(double(i) * 0.05) + 25.0 * std::sin(double(i) * 0.31);
    auto model = propagation::create_model("p526-bullington", ParameterSet{});
    propagation::PathQuery q;
    q.frequency_mhz = 800.0;
    q.tx_height_agl_m = 30.0;
    q.rx_height_agl_m = 1.5;
    q.profile.step_m = 30.0;
    q.profile.elevation_m = ground;
    q.distance_m = q.profile.distance_m();
    for (auto _ : state) benchmark::DoNotOptimize(model->loss(q));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_P526Bullington)->Arg(100)->Arg(1000);

static void BM_Antenna3gppTilted(benchmark::State& state) {
    ParameterSet p;
    p.set("vertical_beamwidth_deg", 8.0);
    const auto pattern =
        antenna::AntennaPattern::create("3gpp-65", antenna::AntennaOrientation{120.0, 4.0, 6.0}, p);
    double az = 0.0;
    for (auto _ : state) {
        az = az < 360.0 ? az + 0.37 : 0.0;
        benchmark::DoNotOptimize(pattern.relative_gain_db(az, -2.5));
    }
}
BENCHMARK(BM_Antenna3gppTilted);

static void BM_P2108(benchmark::State& state) {
    double d = 0.25;
    for (auto _ : state) {
        d = d < 30.0 ? d + 0.01 : 0.25;
        benchmark::DoNotOptimize(propagation::p2108_terrestrial_clutter_loss_db(0.8, d, 50.0));
    }
}
BENCHMARK(BM_P2108);

static void BM_P2108Precomputed(benchmark::State& state) {
    const propagation::P2108TerrestrialClutter clutter(0.8, 50.0, "bench");
    double d = 0.25;
    for (auto _ : state) {
        d = d < 30.0 ? d + 0.01 : 0.25;
        benchmark::DoNotOptimize(clutter.loss_db(d));
    }
}
BENCHMARK(BM_P2108Precomputed);
