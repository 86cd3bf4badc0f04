// "p526-bullington": free space (P.525-4) + Bullington diffraction (ITU-R P.526-15 §4.5.1).
// Expected values are computed by hand from the Recommendation's equations (written out below):
// for a single obstacle the Bullington point is the obstacle itself, so nu is the single
// knife-edge parameter of P.526-15 eq. (26), nu = h sqrt(2 d / (lambda d1 d2)), and J(nu) is
// eq. (31). Hand arithmetic to 4 decimals: tolerance 0.01 dB.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "propagation/bullington.hpp"
#include "propagation/registry.hpp"

using namespace grenzfunk;
using propagation::PathQuery;

namespace {

// lambda = 1 m exactly: f = c / 1 m.
constexpr double frequency_1m_mhz = 299.792458;

PathQuery profile_query(const std::vector<double>& elevation_m, double step_m, double hts_agl_m,
                        double hrs_agl_m, double frequency_mhz) {
    PathQuery q;
    q.frequency_mhz = frequency_mhz;
    q.tx_height_agl_m = hts_agl_m;
    q.rx_height_agl_m = hrs_agl_m;
    q.profile.step_m = step_m;
    q.profile.elevation_m = elevation_m;
    q.distance_m = q.profile.distance_m();
    return q;
}

}  // namespace

TEST_CASE("knife-edge loss J(nu) follows P.526-15 eq. (31)", "[p526]") {
    // J(0) = 6.9 + 20 log(sqrt(0.01 + 1) - 0.1) = 6.9 + 20 log(0.904988) = 6.0329 dB; P.526-15
    // Fig. 9 reads 6 dB (the exact Fresnel-integral value is 6.02 dB).
    CHECK(propagation::knife_edge_loss_db(0.0) == Approx(6.0329).margin(0.001));
    CHECK(propagation::knife_edge_loss_db(0.0) == Approx(6.02).margin(0.05));
    // nu <= -0.78: no loss.
    CHECK(propagation::knife_edge_loss_db(-0.78) == 0.0);
    CHECK(propagation::knife_edge_loss_db(-2.0) == 0.0);
    // nu = 1: 6.9 + 20 log(sqrt(0.81 + 1) + 0.9) = 6.9 + 20 log(2.245362) = 13.9256 dB
    CHECK(propagation::knife_edge_loss_db(1.0) == Approx(13.9256).margin(0.001));
}

TEST_CASE("p526-bullington: one knife edge cutting the path (trans-horizon)", "[p526]") {
    // 10 km, 1 km steps, flat sea-level ground with a 50 m ridge 4 km from the transmitter;
    // both antennas 10 m above ground; lambda = 1 m; k = 4/3, ae = 6371*4/3 = 8494.6667 km.
    // Earth bulge at the ridge: 500 * 4 * 6 / 8494.6667 = 1.4127 m (P.526 eq. with Ce = 1/ae).
    // Height above the line between the antennas: h = 50 + 1.4127 - 10 = 41.4127 m.
    // nu = 41.4127 * sqrt(2 * 10000 / (1 * 4000 * 6000)) = 41.4127 * 0.0288675 = 1.195480
    // J  = 6.9 + 20 log(sqrt(1.095480^2 + 1) + 1.095480) = 6.9 + 20 log(2.578745) = 15.1282 dB
    // Lbull = J + (1 - exp(-J/6)) (10 + 0.02 * 10) = 15.1282 + 0.919650 * 10.2 = 24.5086 dB
    // Free space over 10 km at lambda = 1 m: 20 log(4 pi 10000) = 101.9842 dB
    // Lb = 101.9842 + 24.5086 = 126.4928 dB
    std::vector<double> ground(11, 0.0);
    ground[4] = 50.0;
    auto model = propagation::create_model("p526-bullington", ParameterSet{});
    CHECK(model->needs_terrain_profile());
    const auto r = model->loss(profile_query(ground, 1000.0, 10.0, 10.0, frequency_1m_mhz));
    CHECK(r.loss_db == Approx(126.4928).margin(0.01));
    CHECK((r.flags & propagation::diffraction) != 0);
    CHECK((r.flags & propagation::line_of_sight) == 0);

    const auto b = propagation::bullington_diffraction(ground, 1000.0, 10.0, 10.0, 8494.6667, 1.0);
    CHECK(b.nu == Approx(1.195480).margin(1e-4));
    CHECK(b.loss_db == Approx(24.5086).margin(0.01));
    CHECK_FALSE(b.line_of_sight);
}

TEST_CASE("p526-bullington: the k-factor changes the Earth bulge", "[p526]") {
    // Same ridge with k = 1e6 (practically flat Earth): h = 40 m, nu = 40 * 0.0288675 = 1.154701
    // J = 6.9 + 20 log(sqrt(1.054701^2 + 1) + 1.054701) = 14.8869 dB
    // Lbull = 14.8869 + (1 - exp(-14.8869/6)) * 10.2 = 24.2337 dB; Lb = 101.9842 + 24.2337
    std::vector<double> ground(11, 0.0);
    ground[4] = 50.0;
    ParameterSet p;
    p.set("k_factor", 1e6);
    auto model = propagation::create_model("p526-bullington", p);
    const auto r = model->loss(profile_query(ground, 1000.0, 10.0, 10.0, frequency_1m_mhz));
    CHECK(r.loss_db == Approx(101.9842 + 24.2337).margin(0.01));
}

TEST_CASE("p526-bullington: line of sight with the first Fresnel zone partly blocked", "[p526]") {
    // Ridge 3.5873 m high at 4 km: 3.5873 + 1.4127 (bulge) - 10 = -5 m below the direct ray.
    // nu = -5 * 0.0288675 = -0.144338 (the largest nu on the path: the flat points reach at most
    // nu = -0.2412, at 5 km). J = 6.9 + 20 log(sqrt(0.244338^2 + 1) - 0.244338) = 4.7983 dB
    // Lbull = 4.7983 + (1 - exp(-4.7983/6)) * 10.2 = 4.7983 + 0.550543 * 10.2 = 10.4138 dB
    // Lb = 101.9842 + 10.4138 = 112.3980 dB; geometrically line of sight.
    std::vector<double> ground(11, 0.0);
    ground[4] = 3.5873489;
    auto model = propagation::create_model("p526-bullington", ParameterSet{});
    const auto r = model->loss(profile_query(ground, 1000.0, 10.0, 10.0, frequency_1m_mhz));
    CHECK(r.loss_db == Approx(112.3980).margin(0.01));
    CHECK((r.flags & propagation::line_of_sight) != 0);
    CHECK((r.flags & propagation::diffraction) != 0);
}

TEST_CASE("p526-bullington: clear path is free space over the slant distance", "[p526]") {
    // Flat ground, 60 m masts over 10 km: the lowest clearance is 60 - 1.4715 m at mid-path,
    // nu = -58.53 * sqrt(2*10000/(5000*5000)) = -1.66 < -0.78: no diffraction loss.
    std::vector<double> flat(11, 0.0);
    auto model = propagation::create_model("p526-bullington", ParameterSet{});
    const auto r = model->loss(profile_query(flat, 1000.0, 60.0, 60.0, frequency_1m_mhz));
    CHECK(r.loss_db == Approx(101.9842).margin(0.01));
    CHECK(r.flags == propagation::line_of_sight);

    // Heights above sea level = ground + antenna above ground: a 30 m mast on a 500 m hill and
    // a 1.5 m receiver at sea level 5 km away. Slant distance (P.1812-7 eq. (8a)):
    // sqrt(5^2 + 0.5285^2) = 5.027854 km; at 800 MHz: 32.4478 + 20 log 800 + 20 log 5.027854
    // = 32.4478 + 58.0618 + 14.0276 = 104.5372 dB.
    std::vector<double> slope = {500.0, 0.0, 0.0};
    const auto s = model->loss(profile_query(slope, 2500.0, 30.0, 1.5, 800.0));
    CHECK(s.loss_db == Approx(104.5372).margin(0.01));
    CHECK(s.flags == propagation::line_of_sight);
}

TEST_CASE("p526-bullington: a grazing obstacle gives J(0), without NaN", "[p526]") {
    // Flat Earth (k = 1e9) and a ridge exactly on the direct ray: nu = 0 by construction
    // (the Bullington point is 0/0 here; its limit is nu = 0). Over d = 2 km:
    // Lbull = J(0) + (1 - exp(-J(0)/6)) (10 + 0.02*2) = 6.0329 + 0.634129 * 10.04 = 12.3996 dB.
    ParameterSet p;
    p.set("k_factor", 1e9);
    auto model = propagation::create_model("p526-bullington", p);
    std::vector<double> ground = {0.0, 10.0, 0.0};
    const auto r = model->loss(profile_query(ground, 1000.0, 10.0, 10.0, frequency_1m_mhz));
    // Free space over 2 km at lambda = 1 m: 20 log(4 pi 2000) = 88.0048 dB.
    CHECK(r.loss_db == Approx(88.0048 + 12.3996).margin(0.01));
    CHECK((r.flags & propagation::diffraction) != 0);
    // The exact 0/0 case: an Earth so large that the bulge vanishes in double precision makes
    // Stim = Str = 0 and Stim + Srim = 0 exactly; the result must be J(0), not NaN.
    const auto b = propagation::bullington_diffraction(ground, 1000.0, 10.0, 10.0, 1e300, 1.0);
    CHECK(b.nu == 0.0);
    CHECK(b.loss_db == Approx(12.3996).margin(0.01));
}

TEST_CASE("p526-bullington: bad inputs", "[p526]") {
    auto model = propagation::create_model("p526-bullington", ParameterSet{});
    std::vector<double> one = {0.0};
    CHECK((model->loss(profile_query(one, 100.0, 10.0, 10.0, 900.0)).flags &
           propagation::invalid_input) != 0);
    std::vector<double> with_nan = {0.0, NAN, 0.0};
    CHECK(std::isnan(model->loss(profile_query(with_nan, 100.0, 10.0, 10.0, 900.0)).loss_db));
    for (double k : {0.0, -1.0}) {
        ParameterSet p;
        p.set("k_factor", k);
        CHECK_THROWS_WITH(propagation::create_model("p526-bullington", p),
                          Catch::Contains("k_factor"));
    }
    CHECK(model->validity().min_frequency_mhz == 30.0);
    CHECK(model->validity().max_frequency_mhz == 50000.0);
}

TEST_CASE("p526-bullington: loss grows with distance over flat terrain", "[p526]") {
    auto model = propagation::create_model("p526-bullington", ParameterSet{});
    std::vector<double> flat(201, 0.0);
    double previous = 0.0;
    for (std::size_t n = 3; n <= flat.size(); n += 7) {
        std::vector<double> part(flat.begin(), flat.begin() + static_cast<long>(n));
        const double loss = model->loss(profile_query(part, 250.0, 30.0, 1.5, 900.0)).loss_db;
        CHECK(loss > previous);
        previous = loss;
    }
}
