// Free space, ITU-R P.525-4 eq. (6): Lbf = 32.45 + 20 log f(MHz) + 20 log d(km).
#include <catch2/catch.hpp>

#include "core/parameters.hpp"
#include "propagation/registry.hpp"

using namespace grenzfunk;

TEST_CASE("free space loss follows ITU-R P.525 eq. (6)", "[propagation][free-space]") {
    auto model = propagation::create_model("free-space", ParameterSet{});
    propagation::PathQuery q;
    q.frequency_mhz = 1000.0;
    q.distance_m = 1000.0;
    // 32.45 + 60 + 0 = 92.45 dB (P.525 constant printed to 0.01 dB)
    CHECK(model->loss(q).loss_db == Approx(92.45).margin(0.01));
    q.frequency_mhz = 806.0;
    q.distance_m = 10000.0;
    // 32.45 + 20 log10(806) + 20 = 110.58 dB
    CHECK(model->loss(q).loss_db == Approx(110.577).margin(0.01));
}

TEST_CASE("free space rejects a zero distance with a flag, not an exception",
          "[propagation][free-space]") {
    auto model = propagation::create_model("free-space", ParameterSet{});
    propagation::PathQuery q;
    q.frequency_mhz = 1000.0;
    q.distance_m = 0.0;
    CHECK((model->loss(q).flags & propagation::invalid_input) != 0);
}
