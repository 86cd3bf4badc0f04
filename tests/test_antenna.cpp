// Antenna patterns against 3GPP TR 38.901 V17.0.0 Table 7.3-1 (element pattern) and §7.1.3
// eqs. (7.1-7)/(7.1-8) (rotation by bearing alpha and downtilt beta), values computed by hand
// from those formulas. The pattern formulas are exact quadratics, so the tolerance is 1e-3 dB
// (1e-2 dB where an angle was rounded to 4-5 digits in the hand computation).
#include <catch2/catch.hpp>
#include <cmath>

#include "antenna/pattern.hpp"
#include "core/error.hpp"
#include "core/parameters.hpp"

using namespace grenzfunk;
using antenna::AntennaOrientation;
using antenna::AntennaPattern;

namespace {

// The element with the parameters of TR 38.901 Table 7.3-1 (theta_3dB = 65, SLA_V = 30,
// Am = 30) given as the scenario's [antenna] table; the built-in defaults are TR 36.814's
// (test_antenna_files.cpp).
AntennaPattern make(const std::string& name, double azimuth, double mech, double elec,
                    double vertical_beamwidth = 65.0) {
    ParameterSet p;
    p.set("vertical_beamwidth_deg", vertical_beamwidth);
    p.set("front_to_back_db", 30.0);
    p.set("sidelobe_level_db", 30.0);
    return AntennaPattern::create(name, AntennaOrientation{azimuth, mech, elec}, p);
}

}  // namespace

TEST_CASE("omni antenna is 0 dB everywhere", "[antenna]") {
    const auto omni = make("omni", 0.0, 0.0, 0.0);
    CHECK(omni.is_omni());
    for (double az : {0.0, 90.0, 180.0, 270.0})
        for (double el : {-90.0, -10.0, 0.0, 45.0}) CHECK(omni.relative_gain_db(az, el) == 0.0);
}

TEST_CASE("3gpp-65 element: Table 7.3-1 cuts", "[antenna]") {
    const auto a = make("3gpp-65", 0.0, 0.0, 0.0);
    CHECK_FALSE(a.is_omni());
    CHECK(a.relative_gain_db(0.0, 0.0) == Approx(0.0).margin(1e-9));  // boresight
    // Half the 3 dB beamwidth: -12 (32.5/65)^2 = -3 dB, either side and up/down.
    CHECK(a.relative_gain_db(32.5, 0.0) == Approx(-3.0).margin(1e-3));
    CHECK(a.relative_gain_db(-32.5, 0.0) == Approx(-3.0).margin(1e-3));
    CHECK(a.relative_gain_db(0.0, -32.5) == Approx(-3.0).margin(1e-3));
    CHECK(a.relative_gain_db(0.0, 32.5) == Approx(-3.0).margin(1e-3));
    // Both at once: A_EH + A_EV = -6 dB (in the local frame the azimuth of (32.5, -32.5) is
    // atan2(sin 32.5, cos 32.5) = 32.5 deg exactly, the elevation -32.5 deg).
    CHECK(a.relative_gain_db(32.5, -32.5) == Approx(-6.0).margin(1e-3));
    // Behind: -min(12 (180/65)^2, 30) = -30 dB (front-to-back ratio Am).
    CHECK(a.relative_gain_db(180.0, 0.0) == Approx(-30.0).margin(1e-3));
    // Sum capped at Am: az 90, el -60: 12 (90/65)^2 + 12 (60/65)^2 = 23.006 + 10.225 > 30.
    CHECK(a.relative_gain_db(90.0, -60.0) == Approx(-30.0).margin(1e-3));
    // az 60: -12 (60/65)^2 = -10.2249 dB.
    CHECK(a.relative_gain_db(60.0, 0.0) == Approx(-10.2249).margin(1e-3));
}

TEST_CASE("3gpp pattern follows the antenna bearing, with wrap-around", "[antenna]") {
    const auto a = make("3gpp-65", 330.0, 0.0, 0.0);
    CHECK(a.relative_gain_db(330.0, 0.0) == Approx(0.0).margin(1e-9));
    CHECK(a.relative_gain_db(2.5, 0.0) == Approx(-3.0).margin(1e-3));    // 32.5 deg clockwise
    CHECK(a.relative_gain_db(-62.5, 0.0) == Approx(-3.0).margin(1e-3));  // = 297.5 deg
    CHECK(a.relative_gain_db(150.0, 0.0) == Approx(-30.0).margin(1e-3));
    // Other beamwidths by name: 3gpp-90 at 45 deg off boresight is -3 dB.
    CHECK(make("3gpp-90", 0.0, 0.0, 0.0).relative_gain_db(45.0, 0.0) == Approx(-3.0).margin(1e-3));
    CHECK(make("3gpp-32.5", 0.0, 0.0, 0.0).relative_gain_db(16.25, 0.0) ==
          Approx(-3.0).margin(1e-3));
}

TEST_CASE("electrical downtilt shifts the vertical beam in every azimuth", "[antenna]") {
    // 3gpp-65, vertical beamwidth 10 deg, electrical tilt 10 deg (down).
    const auto a = make("3gpp-65", 0.0, 0.0, 10.0, 10.0);
    CHECK(a.relative_gain_db(0.0, -10.0) == Approx(0.0).margin(1e-9));   // beam peak
    CHECK(a.relative_gain_db(0.0, 0.0) == Approx(-12.0).margin(1e-3));   // -12 ((0+10)/10)^2
    CHECK(a.relative_gain_db(0.0, -15.0) == Approx(-3.0).margin(1e-3));  // -12 (5/10)^2
    // At 60 deg off boresight the vertical peak is still at -10 deg: only A_EH = -10.2249.
    CHECK(a.relative_gain_db(60.0, -10.0) == Approx(-10.2249).margin(1e-3));
    // With a wide horizontal beam (3gpp-360: A_EH(180) = -12 (180/360)^2 = -3 dB) the beam
    // behind the antenna also points 10 deg DOWN: el -10 -> -3 dB; el +10 -> -12*2^2 -> SLA_V
    // 30 dB, -3 - 30 = -33, capped at Am -> -30 dB.
    const auto wide = make("3gpp-360", 0.0, 0.0, 10.0, 10.0);
    CHECK(wide.relative_gain_db(180.0, -10.0) == Approx(-3.0).margin(1e-3));
    CHECK(wide.relative_gain_db(180.0, 10.0) == Approx(-30.0).margin(1e-3));
    // Sideways (az 90, el 0): A_EH = -12 (90/360)^2 = -0.75, A_EV = -12 -> -12.75 dB.
    CHECK(wide.relative_gain_db(90.0, 0.0) == Approx(-12.75).margin(1e-3));
}

TEST_CASE("mechanical downtilt rotates the antenna: the beam points up behind it", "[antenna]") {
    // TR 38.901 eq. (7.1-7) with gamma = 0: cos theta' = cos b cos theta + sin b cos(phi-alpha)
    // sin theta. In front (phi = alpha) theta' = theta - b: peak at elevation -b. Behind
    // (phi - alpha = 180) theta' = theta + b: peak at elevation +b. Sideways (90 deg)
    // cos theta' = cos b cos theta: at the horizon theta' = 90, the tilt has no effect there.
    const auto front = make("3gpp-65", 0.0, 10.0, 0.0, 10.0);
    CHECK(front.relative_gain_db(0.0, -10.0) == Approx(0.0).margin(1e-9));
    CHECK(front.relative_gain_db(0.0, 0.0) == Approx(-12.0).margin(1e-3));
    const auto wide = make("3gpp-360", 0.0, 10.0, 0.0, 10.0);
    CHECK(wide.relative_gain_db(180.0, 10.0) == Approx(-3.0).margin(1e-3));    // up behind
    CHECK(wide.relative_gain_db(180.0, -10.0) == Approx(-30.0).margin(1e-3));  // 3 + 30 -> 30
    CHECK(wide.relative_gain_db(90.0, 0.0) == Approx(-0.75).margin(1e-3));     // only A_EH

    // A general direction, by hand from eqs. (7.1-7)/(7.1-8): beta = 10, target 45 deg clockwise
    // of the bearing (phi - alpha = -45 in 38.901's counter-clockwise azimuth), elevation -5
    // (theta = 95). cos theta' = cos10 cos95 + sin10 cos45 sin95 = -0.085832 + 0.122321
    // = 0.036489 -> theta' = 87.9089 deg. phi' = arg(cos10 sin95 cos45 - sin10 cos95
    // + j sin(-45) sin95) = arg(0.693714 + 0.015134 - j 0.704416) = -44.8203 deg.
    // A_EH = -12 (44.8203/65)^2 = -5.7056; A_EV = -12 (2.0911/65)^2 = -0.01242 -> -5.7181 dB.
    const auto tilted = make("3gpp-65", 0.0, 10.0, 0.0);
    CHECK(tilted.relative_gain_db(45.0, -5.0) == Approx(-5.7181).margin(1e-2));
    // Same direction, vertical beamwidth 10 and electrical tilt 3 on top:
    // A_EV = -12 ((87.9089 - 90 - 3)/10)^2 = -3.1103 -> -8.8160 dB.
    const auto both = make("3gpp-65", 0.0, 10.0, 3.0, 10.0);
    CHECK(both.relative_gain_db(45.0, -5.0) == Approx(-8.8160).margin(1e-2));
}

TEST_CASE("antenna pattern input errors name the field", "[antenna]") {
    const ParameterSet none;
    CHECK_THROWS_WITH(AntennaPattern::create("yagi", {}, none), Catch::Contains("pattern"));
    CHECK_THROWS_AS(AntennaPattern::create("3gpp-", {}, none), InputError);
    CHECK_THROWS_AS(AntennaPattern::create("3gpp-abc", {}, none), InputError);
    CHECK_THROWS_AS(AntennaPattern::create("3gpp-65x", {}, none), InputError);
    CHECK_THROWS_AS(AntennaPattern::create("3gpp-0", {}, none), InputError);
    CHECK_THROWS_WITH(AntennaPattern::create("3gpp-65", {0.0, 95.0, 0.0}, none),
                      Catch::Contains("mechanical_tilt_deg"));
    CHECK_THROWS_WITH(AntennaPattern::create("3gpp-65", {0.0, 0.0, -91.0}, none),
                      Catch::Contains("electrical_tilt_deg"));
    CHECK_THROWS_WITH(AntennaPattern::create("3gpp-65", {NAN, 0.0, 0.0}, none),
                      Catch::Contains("azimuth_deg"));
    ParameterSet bad;
    bad.set("vertical_beamwidth_deg", 0.0);
    CHECK_THROWS_WITH(AntennaPattern::create("3gpp-65", {}, bad),
                      Catch::Contains("vertical_beamwidth_deg"));
    // An omni antenna does not read pattern parameters: the scenario layer reports them unused.
    ParameterSet extra;
    extra.set("vertical_beamwidth_deg", 8.0);
    AntennaPattern::create("omni", {}, extra);
    CHECK(extra.unconsumed_keys().count("vertical_beamwidth_deg") == 1);
}

TEST_CASE("antenna evaluation never throws and passes NaN through", "[antenna]") {
    const auto a = make("3gpp-65", 10.0, 5.0, 2.0, 8.0);
    CHECK(std::isnan(a.relative_gain_db(NAN, 0.0)));
    CHECK(std::isnan(a.relative_gain_db(0.0, NAN)));
    CHECK(a.relative_gain_db(0.0, 90.0) >= -30.0);   // straight up
    CHECK(a.relative_gain_db(0.0, -90.0) >= -30.0);  // straight down
    CHECK(a.relative_gain_db(1e6, 0.0) <= 0.0);
}
