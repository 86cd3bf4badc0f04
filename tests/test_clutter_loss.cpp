// P.2108 clutter loss on top of a model, as the scenario's propagation.clutter_loss selects it.
#include <catch2/catch.hpp>
#include <cmath>
#include <span>
#include <vector>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "propagation/clutter_loss.hpp"
#include "propagation/registry.hpp"

using namespace grenzfunk;

TEST_CASE("p2108 clutter loss adds to the base model", "[p2108][propagation]") {
    auto model = propagation::with_p2108_clutter_loss(
        propagation::create_model("free-space", ParameterSet{}), 50.0);
    CHECK(model->name() == "free-space+p2108");
    propagation::PathQuery q;
    q.frequency_mhz = 1000.0;
    q.distance_m = 2000.0;
    // Free space 32.447783 + 60 + 6.020600 (P.525) plus P.2108-1 §3.2 at 1 GHz, 2 km, 50 %:
    // Ll = -2 log10(10^-5 log10(f) ... ) = 24.997910 dB (from eqs. (3)-(6), see test_p2108.cpp),
    // each printed to 1e-6 dB.
    CHECK_THAT(model->loss(q).loss_db,
               Catch::Matchers::WithinAbs(32.447783 + 60.0 + 6.020600 + 24.997910, 2e-6));
    CHECK((model->loss(q).flags & propagation::outside_distance_range) == 0);
    q.distance_m = 100.0;
    CHECK((model->loss(q).flags & propagation::outside_distance_range) != 0);
    // Below 500 MHz P.2108 is not defined: the combined model refuses the frequency.
    CHECK_THROWS_AS(propagation::require_frequency_in_range(*model, 450.0, "cell"), InputError);
    CHECK_THROWS_AS(propagation::with_p2108_clutter_loss(
                        propagation::create_model("free-space", ParameterSet{}), 100.0),
                    InputError);
}

TEST_CASE("p2108 clutter on ITM keeps the fast engine's prefix evaluator exact",
          "[p2108][engine]") {
    ParameterSet none;
    auto model = propagation::with_p2108_clutter_loss(propagation::create_model("itm", none), 90.0);
    propagation::PathQuery q;
    q.frequency_mhz = 806.0;
    q.tx_height_agl_m = 35.0;
    q.rx_height_agl_m = 1.5;
    auto prefix = model->prefix_evaluator(q);
    REQUIRE(prefix);
    // A hilly 12 km profile (90 m steps); the evaluator sees all but the last 5 samples pushed.
    std::vector<double> z;
    for (int i = 0; i <= 133; ++i) z.push_back(450.0 + 80.0 * std::sin(i * 0.07) + 0.3 * i);
    const double step_m = 90.0;
    for (std::size_t i = 0; i + 5 < z.size(); ++i) prefix->push(z[i]);
    const std::span<const double> tail(z.data() + z.size() - 5, 5);
    const propagation::PathResult fast = prefix->evaluate(tail, step_m);
    q.profile.step_m = step_m;
    q.profile.elevation_m = z;
    q.distance_m = q.profile.distance_m();
    const propagation::PathResult plain = model->loss(q);
    REQUIRE(std::isfinite(plain.loss_db));
    CHECK(fast.loss_db == Approx(plain.loss_db).margin(1e-6));
    CHECK(fast.flags == plain.flags);
    // The clutter part itself: 90 % of locations at 0.806 GHz over 12 km (P.2108 capped at
    // 2 km) is larger than the median.
    auto median =
        propagation::with_p2108_clutter_loss(propagation::create_model("itm", none), 50.0);
    CHECK(plain.loss_db > median->loss(q).loss_db + 3.0);
}
