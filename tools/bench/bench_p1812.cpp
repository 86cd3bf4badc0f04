// One ITU-R P.1812-7 evaluation on a 500-point profile (30 m spacing, 15 km, hilly terrain as
// in the Vogtland), through the registered model "p1812": the per-pixel cost of a coverage run.
// Run: build/tools/bench/grenzfunk_bench --benchmark_filter=P1812
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "propagation/registry.hpp"

namespace {

std::vector<double> hilly_profile(std::size_t n) {
    std::vector<double> h(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = double(i);
        h[i] = 480.0 + 60.0 * std::sin(x * 0.013) + 25.0 * std::sin(x * 0.051 + 1.0) +
               8.0 * std::sin(x * 0.23 + 2.0);
    }
    return h;
}

void run(benchmark::State& state, double time_percent) {
    grenzfunk::ParameterSet ps;
    ps.set("time_percent", time_percent);
    ps.set("rx_clutter_height_m", 10.0);
    const auto model = grenzfunk::propagation::create_model("p1812", ps);
    const std::vector<double> heights = hilly_profile(500);
    grenzfunk::propagation::PathQuery q;
    q.frequency_mhz = 800.0;
    q.tx_height_agl_m = 35.0;
    q.rx_height_agl_m = 1.5;
    q.profile.step_m = 30.0;
    q.profile.elevation_m = heights;
    q.distance_m = q.profile.distance_m();
    q.centre_lat_deg = 50.4;
    for (auto _ : state) {
        const auto r = model->loss(q);
        benchmark::DoNotOptimize(r.loss_db);
    }
    state.SetLabel("Lb " + std::to_string(model->loss(q).loss_db) + " dB");
}

void BM_P1812_500pt_p50(benchmark::State& state) {
    run(state, 50.0);
}
void BM_P1812_500pt_p10(benchmark::State& state) {
    run(state, 10.0);
}

}  // namespace

BENCHMARK(BM_P1812_500pt_p50)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_P1812_500pt_p10)->Unit(benchmark::kMicrosecond);
