// The fast (radial) coverage engine: its ITM prefix evaluator against the plain ITM on the same
// profiles, the radial engine against the reference engine on real terrain, and determinism.
#include <tbb/task_arena.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>
#include <span>
#include <vector>

#include "core/parameters.hpp"
#include "engine/coverage.hpp"
#include "io/crs.hpp"
#include "io/path_cases.hpp"
#include "io/terrain_reader.hpp"
#include "propagation/itm.hpp"
#include "propagation/itm_prefix.hpp"
#include "propagation/registry.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
namespace itm = grenzfunk::propagation::itm;

namespace {

itm::Inputs border_inputs(double frequency_mhz, double tx_height_m, double rx_height_m) {
    itm::Inputs in;
    in.frequency_mhz = frequency_mhz;
    in.tx_height_m = tx_height_m;
    in.rx_height_m = rx_height_m;
    in.variability.mode = itm::VariabilityMode::broadcast;
    return in;
}

// Every prefix of `radial` (plus a chosen end sample and step) through PrefixProfile and
// through the plain point_to_point; returns the largest |difference| in dB.
double max_prefix_deviation_db(const itm::Inputs& in, const std::vector<double>& radial,
                               double step_m, std::mt19937& rng, int* modes_differ) {
    std::uniform_real_distribution<double> end_offset(-40.0, 40.0);
    std::uniform_real_distribution<double> stretch(0.7, 1.4);
    itm::PrefixProfile prefix(in);
    std::vector<double> plain;
    double worst = 0.0;
    for (std::size_t n = 1; n < radial.size(); ++n) {
        prefix.push(radial[n - 1]);
        const double end = radial[n] + end_offset(rng);
        // Steps on a 2^-20 m lattice, as the radial engine uses them (itm_prefix.hpp).
        const double step = std::ldexp(std::round(std::ldexp(step_m * stretch(rng), 20)), -20);
        plain.assign(radial.begin(), radial.begin() + std::ptrdiff_t(n));
        plain.push_back(end);
        const itm::Result a = prefix.evaluate(end, step);
        const itm::Result b = itm::point_to_point(in, step, plain);
        REQUIRE(a.ok() == b.ok());
        if (!b.ok()) continue;
        worst = std::max(worst, std::abs(a.loss_db - b.loss_db));
        if (a.mode != b.mode) ++*modes_differ;
    }
    return worst;
}

}  // namespace

TEST_CASE("ITM prefix profile: every prefix equals the plain ITM on that profile",
          "[engine][itm]") {
    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    int modes_differ = 0;

    SECTION("real border-region profile (tests/data/itm_region r11_0055, 30 km)") {
        const std::vector<double> pfl =
            io::read_pfl(test::data_path("itm_region/profiles/r11_0055.pfl"));
        const std::vector<double> radial(pfl.begin() + 2, pfl.end());
        for (const auto& in : {border_inputs(900.0, 35.0, 1.5), border_inputs(2600.0, 10.0, 3.0),
                               border_inputs(150.0, 120.0, 1.5)}) {
            CHECK(max_prefix_deviation_db(in, radial, pfl[1], rng, &modes_differ) < 1e-6);
        }
    }
    SECTION("random rough terrain, 600 samples") {
        std::uniform_real_distribution<double> slope(-25.0, 25.0);
        std::vector<double> radial(600);
        double z = 500.0;
        for (double& v : radial) {
            z = std::clamp(z + slope(rng), 0.0, 1500.0);
            v = z;
        }
        CHECK(max_prefix_deviation_db(border_inputs(806.0, 35.0, 1.5), radial, 90.0, rng,
                                      &modes_differ) < 1e-6);
    }
    SECTION("flat terrain (every horizon candidate equal in elevation)") {
        const std::vector<double> radial(300, 420.0);
        CHECK(max_prefix_deviation_db(border_inputs(806.0, 35.0, 1.5), radial, 90.0, rng,
                                      &modes_differ) < 1e-6);
    }
    CHECK(modes_differ == 0);
}

TEST_CASE("ITM prefix profile: invalid inputs fail like point_to_point", "[engine][itm]") {
    itm::Inputs in = border_inputs(806.0, 0.2, 1.5);  // TX height below 0.5 m
    itm::PrefixProfile prefix(in);
    prefix.push(400.0);
    prefix.push(410.0);
    const std::vector<double> z = {400.0, 410.0, 405.0};
    CHECK(prefix.evaluate(405.0, 90.0).error == itm::point_to_point(in, 90.0, z).error);
    CHECK(std::isnan(prefix.evaluate(405.0, 90.0).loss_db));
    itm::PrefixProfile empty(border_inputs(806.0, 35.0, 1.5));
    CHECK(empty.evaluate(400.0, 90.0).error == itm::Error::profile);
}
