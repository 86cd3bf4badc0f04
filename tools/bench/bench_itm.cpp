// ITM 1.2.2 point-to-point: one call on a real 500-interval (501-point, 30 km, 60 m spacing)
// SRTM3 profile of the border region, case r11_0055 of tests/data/itm_region (900 MHz,
// 35 m / 1.5 m). Build with -DGRENZFUNK_BUILD_BENCHMARKS=ON and run
//   ./build/tools/bench/grenzfunk_bench --benchmark_filter=Itm
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "validation/path_cases.hpp"
#include "propagation/itm.hpp"
#include "propagation/registry.hpp"

namespace {

namespace itm = grenzfunk::propagation::itm;

// The test data directory, overridable with the environment variable of the same name (to run
// the binary away from its source tree).
std::vector<double> region_profile() {
    const char* dir = std::getenv("GRENZFUNK_TEST_DATA_DIR");
    return grenzfunk::validation::read_pfl(std::string(dir ? dir : GRENZFUNK_TEST_DATA_DIR) +
                                   "/itm_region/profiles/r11_0055.pfl");
}

itm::Inputs case_inputs() {
    itm::Inputs in;
    in.frequency_mhz = 900.0;
    in.tx_height_m = 35.0;
    in.rx_height_m = 1.5;
    in.climate = itm::Climate::maritime_temperate_over_land;
    in.n0_n_units = 320.0;
    in.polarization = itm::Polarization::horizontal;
    in.epsilon = 15.0;
    in.sigma_s_per_m = 0.005;
    itm::from_mdvar(23, in.variability);
    in.variability.time_percent = 90.0;
    return in;
}

void BM_ItmPointToPoint(benchmark::State& state) {
    const std::vector<double> pfl = region_profile();
    const std::span<const double> elevation = std::span<const double>(pfl).subspan(2);
    const itm::Inputs in = case_inputs();
    for (auto _ : state) {
        const itm::Result r = itm::point_to_point(in, pfl[1], elevation);
        benchmark::DoNotOptimize(r.loss_db);
    }
    state.SetLabel(std::to_string(elevation.size()) + " points");
}
BENCHMARK(BM_ItmPointToPoint)->Unit(benchmark::kMicrosecond);

// The same call through the registered model ("itm" behind PropagationModel::loss).
void BM_ItmModelLoss(benchmark::State& state) {
    const std::vector<double> pfl = region_profile();
    grenzfunk::ParameterSet p;
    p.set("climate", std::string("maritime_temperate_over_land"));
    p.set("polarization", std::string("horizontal"));
    p.set("n0_n_units", 320.0);
    p.set("mdvar", 23.0);
    p.set("time_percent", 90.0);
    const auto model = grenzfunk::propagation::create_model("itm", p);
    grenzfunk::propagation::PathQuery q;
    q.frequency_mhz = 900.0;
    q.tx_height_agl_m = 35.0;
    q.rx_height_agl_m = 1.5;
    q.profile.step_m = pfl[1];
    q.profile.elevation_m = std::span<const double>(pfl).subspan(2);
    q.distance_m = q.profile.distance_m();
    for (auto _ : state) {
        const auto r = model->loss(q);
        benchmark::DoNotOptimize(r.loss_db);
    }
}
BENCHMARK(BM_ItmModelLoss)->Unit(benchmark::kMicrosecond);

}  // namespace
