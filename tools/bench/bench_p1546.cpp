// ITU-R P.1546-6: time per evaluation.
//   cmake -S . -B build -DGRENZFUNK_BUILD_BENCHMARKS=ON && cmake --build build --target
//   grenzfunk_bench
//   ./build/tools/bench/grenzfunk_bench --benchmark_filter=P1546
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "core/parameters.hpp"
#include "propagation/p1546.hpp"
#include "propagation/registry.hpp"

namespace p1546 = grenzfunk::propagation::p1546;

// The Annex 6 procedure alone (inputs already derived): 20 % time (two nominal times),
// 900 MHz (two nominal frequencies), h1 between nominal heights, distance between table rows.
static void BM_P1546_Evaluate(benchmark::State& state) {
    p1546::Input in;
    in.frequency_mhz = 900.0;
    in.time_percent = 20.0;
    in.distance_km = 23.4;
    in.h1_m = 57.0;
    in.tx_height_agl_m = 40.0;
    in.rx_height_agl_m = 1.5;
    in.rx_environment = p1546::ReceiverEnvironment::suburban;
    in.rx_clutter_height_m = 10.0;
    in.tca_deg = 0.8;
    in.theta_eff1_deg = -0.3;
    for (auto _ : state) {
        benchmark::DoNotOptimize(in);
        benchmark::DoNotOptimize(p1546::evaluate(in));
    }
}
BENCHMARK(BM_P1546_Evaluate)->Unit(benchmark::kMicrosecond);

// The registered model on a terrain profile: profile analysis (h1, tca, theta_eff1) + evaluation.
static void BM_P1546_ModelLoss(benchmark::State& state) {
    grenzfunk::ParameterSet params;
    params.set("time_percent", 10.0);
    auto model = grenzfunk::propagation::create_model("p1546", params);
    const std::size_t points = std::size_t(state.range(0));
    std::vector<double> ground(points);
    for (std::size_t i = 0; i < points; ++i)
        ground[i] = 450.0 + 80.0 * std::sin(double(i) * 0.013) + 25.0 * std::sin(double(i) * 0.11);
    grenzfunk::propagation::PathQuery q;
    q.frequency_mhz = 800.0;
    q.tx_height_agl_m = 35.0;
    q.rx_height_agl_m = 1.5;
    q.profile.step_m = 100.0;
    q.profile.elevation_m = ground;
    q.distance_m = q.profile.distance_m();
    for (auto _ : state) benchmark::DoNotOptimize(model->loss(q));
    state.SetLabel(std::to_string(points) + " points at 100 m");
}
BENCHMARK(BM_P1546_ModelLoss)->Arg(51)->Arg(501)->Arg(2001)->Unit(benchmark::kMicrosecond);
