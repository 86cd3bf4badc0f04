// Okumura-Hata and COST-231-Hata against values computed by hand from the published formulas:
// M. Hata, IEEE Trans. Veh. Technol. VT-29(3), 1980 (as reproduced in ITU-R P.529-3 Annex 1),
// and COST 231 final report (EUR 18957, 1999) section 4.4.1. The hand arithmetic is written out
// to 4 decimals, so the tolerance is 0.01 dB.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "propagation/hata.hpp"
#include "propagation/registry.hpp"

using namespace grenzfunk;
using propagation::PathQuery;

namespace {

PathQuery query(double frequency_mhz, double hb_m, double hm_m, double d_km) {
    PathQuery q;
    q.frequency_mhz = frequency_mhz;
    q.tx_height_agl_m = hb_m;
    q.rx_height_agl_m = hm_m;
    q.distance_m = d_km * 1000.0;
    return q;
}

ParameterSet params(std::initializer_list<std::pair<const char*, const char*>> values) {
    ParameterSet p;
    for (const auto& [key, value] : values) p.set(key, std::string(value));
    return p;
}

}  // namespace

TEST_CASE("Okumura-Hata at 900 MHz, hb 30 m, hm 1.5 m, d 10 km", "[hata]") {
    // log f = 2.954243, log hb = 1.477121, log d = 1.
    // a(hm), medium city = (1.1*2.954243 - 0.7)*1.5 - (1.56*2.954243 - 0.8)
    //                    = 3.824501 - 3.808619 = 0.015882
    // Lu = 69.55 + 26.16*2.954243 - 13.82*1.477121 - 0.015882 + (44.9 - 6.55*1.477121)*1
    //    = 69.55 + 77.283024 - 20.413816 - 0.015882 + 35.224856 = 161.6281 dB
    const PathQuery q = query(900.0, 30.0, 1.5, 10.0);
    auto urban = propagation::create_model("okumura-hata", params({{"environment", "urban"}}));
    const auto r = urban->loss(q);
    CHECK(r.loss_db == Approx(161.6281).margin(0.01));
    CHECK(r.flags == propagation::path_ok);

    // Suburban: Lu - 2 (log(900/28))^2 - 5.4 = 161.6281 - 2*1.507084^2 - 5.4
    //         = 161.6281 - 4.542607 - 5.4 = 151.6855 dB
    auto suburban = propagation::create_model("okumura-hata", ParameterSet{});  // the default
    CHECK(suburban->loss(q).loss_db == Approx(151.6855).margin(0.01));

    // Open: Lu - 4.78*2.954243^2 + 18.33*2.954243 - 40.94
    //     = 161.6281 - 41.717683 + 54.151265 - 40.94 = 133.1217 dB
    auto open = propagation::create_model("okumura-hata", params({{"environment", "open"}}));
    CHECK(open->loss(q).loss_db == Approx(133.1217).margin(0.01));

    // Large city, f >= 400 MHz: a(hm) = 3.2 (log(11.75*1.5))^2 - 4.97 = 3.2*1.246129^2 - 4.97
    //                                 = 4.969081 - 4.97 = -0.000919 (instead of 0.015882)
    //  => Lu = 161.6281 + 0.015882 + 0.000919 = 161.6449 dB
    auto large = propagation::create_model(
        "okumura-hata", params({{"environment", "urban"}, {"city_size", "large"}}));
    CHECK(large->loss(q).loss_db == Approx(161.6449).margin(0.01));
}

TEST_CASE("Okumura-Hata large-city correction below 200 MHz", "[hata]") {
    // f = 150 MHz, hm = 3 m: a(hm) = 8.29 (log(1.54*3))^2 - 1.1 = 8.29*0.664642^2 - 1.1
    //                              = 3.662099 - 1.1 = 2.5621 dB
    CHECK(propagation::hata_mobile_height_correction_db(
              150.0, 3.0, propagation::HataCitySize::large) == Approx(2.5621).margin(0.001));
    // Lu(150 MHz, hb 50, hm 3, 5 km) = 69.55 + 26.16*2.176091 - 13.82*1.698970 - 2.5621
    //   + (44.9 - 6.55*1.698970)*0.698970 = 69.55 + 56.926547 - 23.479765 - 2.562099
    //   + 23.605438 = 124.0401 dB
    auto large = propagation::create_model(
        "okumura-hata", params({{"environment", "urban"}, {"city_size", "large"}}));
    CHECK(large->loss(query(150.0, 50.0, 3.0, 5.0)).loss_db == Approx(124.0401).margin(0.01));
}

TEST_CASE("COST-231-Hata at 1800 MHz, hb 30 m, hm 1.5 m, d 5 km", "[hata]") {
    // log f = 3.255273, log hb = 1.477121, log d = 0.698970
    // a(hm) = (1.1*3.255273 - 0.7)*1.5 - (1.56*3.255273 - 0.8) = 4.321200 - 4.278226 = 0.042975
    // L = 46.3 + 33.9*3.255273 - 13.82*1.477121 - 0.042975 + (44.9 - 6.55*1.477121)*0.698970 + Cm
    //   = 46.3 + 110.353738 - 20.413816 - 0.042975 + 24.621117 + Cm = 160.8181 + Cm dB
    const PathQuery q = query(1800.0, 30.0, 1.5, 5.0);
    auto medium = propagation::create_model("cost231-hata", ParameterSet{});
    const auto r = medium->loss(q);
    CHECK(r.loss_db == Approx(160.8181).margin(0.01));
    CHECK(r.flags == propagation::path_ok);
    auto metro = propagation::create_model("cost231-hata", params({{"city_size", "metropolitan"}}));
    CHECK(metro->loss(q).loss_db == Approx(163.8181).margin(0.01));  // Cm = 3 dB
}

TEST_CASE("Hata models flag out-of-range heights and distances but still compute", "[hata]") {
    auto model = propagation::create_model("okumura-hata", ParameterSet{});
    // hb 20 m (< 30), hm 12 m (> 10), d 25 km (> 20): all three flagged, value still the formula.
    const auto r = model->loss(query(900.0, 20.0, 12.0, 25.0));
    CHECK((r.flags & propagation::outside_tx_height_range) != 0);
    CHECK((r.flags & propagation::outside_rx_height_range) != 0);
    CHECK((r.flags & propagation::outside_distance_range) != 0);
    CHECK((r.flags & propagation::invalid_input) == 0);
    // Hand value: log f 2.954243, log hb 1.301030, log d 1.397940
    //   a(12) = (3.249667 - 0.7)*12 - 3.808619 = 30.596007 - 3.808619 = 26.787388
    //   Lu = 69.55 + 77.283024 - 17.980235 - 26.787388 + (44.9 - 8.521747)*1.397940 = 152.9200
    //   suburban: 152.9200 - 9.942607 = 142.9774 dB
    CHECK(r.loss_db == Approx(142.9774).margin(0.01));
    // Short path (500 m) and a 1.0 m mobile exactly at the bound: only the distance is flagged.
    const auto s = model->loss(query(900.0, 30.0, 1.0, 0.5));
    CHECK(s.flags == propagation::outside_distance_range);
    CHECK(std::isfinite(s.loss_db));
}

TEST_CASE("Hata models: invalid inputs give NaN and a flag, never an exception", "[hata]") {
    for (const char* name : {"okumura-hata", "cost231-hata"}) {
        auto model = propagation::create_model(name, ParameterSet{});
        CHECK((model->loss(query(900.0, 30.0, 1.5, 0.0)).flags & propagation::invalid_input) != 0);
        CHECK((model->loss(query(900.0, 0.0, 1.5, 5.0)).flags & propagation::invalid_input) != 0);
        CHECK((model->loss(query(900.0, 30.0, -1.0, 5.0)).flags & propagation::invalid_input) != 0);
        CHECK(std::isnan(model->loss(query(900.0, 30.0, NAN, 5.0)).loss_db));
    }
}

TEST_CASE("Hata models: frequency range is enforced at set-up", "[hata]") {
    auto hata = propagation::create_model("okumura-hata", ParameterSet{});
    auto cost = propagation::create_model("cost231-hata", ParameterSet{});
    CHECK(hata->validity().min_frequency_mhz == 150.0);
    CHECK(hata->validity().max_frequency_mhz == 1500.0);
    CHECK(cost->validity().min_frequency_mhz == 1500.0);
    CHECK(cost->validity().max_frequency_mhz == 2000.0);
    CHECK_THROWS_AS(propagation::require_frequency_in_range(*hata, 1800.0, "test"), InputError);
    CHECK_NOTHROW(propagation::require_frequency_in_range(*cost, 1800.0, "test"));
    CHECK_THROWS_AS(propagation::require_frequency_in_range(*cost, 2600.0, "test"), InputError);
    CHECK_FALSE(hata->needs_terrain_profile());
    // Per path, an out-of-band frequency is still flagged.
    CHECK((hata->loss(query(1800.0, 30.0, 1.5, 5.0)).flags &
           propagation::outside_frequency_range) != 0);
}

TEST_CASE("Hata models reject unknown parameter values by name", "[hata]") {
    CHECK_THROWS_WITH(propagation::create_model("okumura-hata", params({{"environment", "rural"}})),
                      Catch::Contains("environment"));
    CHECK_THROWS_WITH(propagation::create_model("okumura-hata", params({{"city_size", "huge"}})),
                      Catch::Contains("city_size"));
    CHECK_THROWS_WITH(propagation::create_model("cost231-hata", params({{"city_size", "large"}})),
                      Catch::Contains("city_size"));
    auto model = propagation::create_model("okumura-hata", ParameterSet{});
    CHECK(model->parameters().at("environment") == "suburban");
    CHECK(model->parameters().at("city_size") == "medium");
}
