// P.2108 clutter loss on top of a model, as the scenario's propagation.clutter_loss selects it.
#include <catch2/catch.hpp>
#include <cmath>

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
    // Free space 32.4478 + 60 + 6.0206 (P.525) plus P.2108-1 §3.2 at 1 GHz, 2 km, 50 %:
    // Ll = -2 log10(10^-5 log10(f) ... ) = 24.9979 dB (hand-computed from eqs. (3)-(6)).
    CHECK(model->loss(q).loss_db == Approx(32.4478 + 60.0 + 6.0206 + 24.9979).margin(0.01));
    CHECK((model->loss(q).flags & propagation::outside_distance_range) == 0);
    q.distance_m = 100.0;
    CHECK((model->loss(q).flags & propagation::outside_distance_range) != 0);
    // Below 500 MHz P.2108 is not defined: the combined model refuses the frequency.
    CHECK_THROWS_AS(propagation::require_frequency_in_range(*model, 450.0, "cell"), InputError);
    CHECK_THROWS_AS(propagation::with_p2108_clutter_loss(
                        propagation::create_model("free-space", ParameterSet{}), 100.0),
                    InputError);
}
