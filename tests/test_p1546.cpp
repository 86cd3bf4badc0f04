// ITU-R P.1546-6 against the ITU-R SG3 validation examples (tests/data/itu_p1546, see its
// README): every data set of combined_results.csv, field strength and basic transmission loss
// within 1e-6 dB (0.01 dB on the two profiles where h1 is computed differently), and the main
// intermediate values of the *_log.csv files.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "propagation/p1546.hpp"
#include "propagation/registry.hpp"
#include "validation/p1546_validation.hpp"

using namespace grenzfunk;
using Catch::Matchers::WithinAbs;
namespace p1546 = propagation::p1546;

namespace {

const std::string kDir = std::string(GRENZFUNK_TEST_DATA_DIR) + "/itu_p1546";

struct Row {
    std::string file;
    int dataset;
    double reference;
};

std::vector<Row> combined_results() {
    std::ifstream in(kDir + "/results/combined_results.csv");
    REQUIRE(in);
    std::vector<Row> rows;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '%') continue;
        std::stringstream ss(line);
        std::string folder, file, dataset, reference;
        std::getline(ss, folder, ',');
        std::getline(ss, file, ',');
        std::getline(ss, dataset, ',');
        std::getline(ss, reference, ',');
        rows.push_back({file, std::stoi(dataset), std::stod(reference)});
    }
    return rows;
}

// First column -> value column (index 3) of a *_log.csv file; empty values are skipped.
std::map<std::string, double> read_log(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    std::map<std::string, double> out;
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) f.push_back(cell);
        if (f.size() < 4 || f[3].find_first_not_of(' ') == std::string::npos) continue;
        try {
            out[f[0]] = std::stod(f[3]);
        } catch (const std::exception&) {
        }
    }
    return out;
}

std::string log_path(const Row& row) {
    return kDir + "/results/" + row.file.substr(0, row.file.size() - 4) + "_" +
           std::to_string(row.dataset) + "_log.csv";
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

TEST_CASE("P.1546-6 reproduces every SG3 validation data set", "[p1546]") {
    const auto rows = combined_results();
    REQUIRE(rows.size() == 41);
    std::vector<double> dev_e, dev_lb, dev_e_h1, dev_lb_h1;
    for (const Row& row : rows) {
        const auto profile = validation::read_sg3_profile(kDir + "/profiles/" + row.file);
        const auto c = validation::evaluate_p1546_validation(profile, row.dataset);
        const auto log = read_log(log_path(row));
        INFO(row.file << " data set " << row.dataset);
        // Reference values are printed to 1e-8 dB (and agree with the SG3 spreadsheets to
        // 1e-4 dB): 1e-6 dB. Where h1 differs (see the h1 note below) the field strength differs
        // by up to 0.0049 dB (misc_annex5_para1.1 data set 2) and 0.0029 dB (srg_land_637m):
        // there 0.01 dB.
        const bool h1_differs =
            row.file == "srg_land_637m.csv" || row.file == "misc_annex5_para1.1.csv";
        const double tolerance_db = h1_differs ? 0.01 : 1e-6;
        CHECK_THAT(c.field_for_power_dbuv_per_m, WithinAbs(row.reference, tolerance_db));
        const double lb_ref = log.at("Resulting basic transmission loss (dB)");
        CHECK_THAT(c.result.basic_loss_db, WithinAbs(lb_ref, tolerance_db));
        auto& e = h1_differs ? dev_e_h1 : dev_e;
        auto& lb = h1_differs ? dev_lb_h1 : dev_lb;
        e.push_back(std::abs(c.field_for_power_dbuv_per_m - row.reference));
        lb.push_back(std::abs(c.result.basic_loss_db - lb_ref));

        // Intermediate values, printed with 6 significant digits in the logs.
        auto near = [&](double mine, const char* key, double margin) {
            INFO(key);
            CHECK(mine == Approx(log.at(key)).margin(margin));
        };
        near(c.input.distance_km, "Horizontal path length d (km)", 1e-3);
        near(c.sea_km, "Sea path (km)", 1e-3);
        // h1: the reference averages the ground over the profile points inside the window (0.2d-d
        // or 3-15 km); we integrate the piecewise-linear profile exactly between the window
        // limits. Identical on regular grids with points on the limits; on the irregular
        // srg_land_637m profile the two differ by 0.22 m (0.03 m for misc_annex5_para1.1).
        near(c.result.h1_m, "Tx antenna height h1 (m)", 0.25);
        near(c.input.tca_deg, "Terrain clearance angle tca (deg)", 1e-4);
        near(c.input.theta_eff1_deg, "Tx effective TCA  theta_eff1 (deg)", 1e-4);
        near(c.input.rx_clutter_height_m, "Rx clutter height R2 (m)", 1e-9);
        near(c.result.e_max_dbuv_per_m, "Maximum field strength Emax (dBuV/m)", 1e-3);
        near(c.result.e_curves_dbuv_per_m, "Field strength (dBuV/m)", 0.01);
        near(c.result.tca_correction_db, "TCA correction (dB)", 1e-4);
        near(c.result.e_troposcatter_dbuv_per_m, "Trop. Scatt. field strength Ets (dBuV/m)", 1e-3);
        near(c.result.r2_prime_m, "Rx repr. clutter height R2' (m)", 1e-3);
        near(c.result.rx_height_correction_db, "Rx antenna height correction (dB)", 1e-3);
        near(c.result.tx_clutter_correction_db, "Tx clutter correction (dB)", 1e-3);
        near(c.result.slope_correction_db, "Rx slope-path correction (dB)", 1e-5);
        near(c.tx_power_kw, "Tx Power (kW)", 1e-5);
    }
    REQUIRE(dev_e_h1.size() == 3);
    const double max_e = *std::max_element(dev_e.begin(), dev_e.end());
    const double max_lb = *std::max_element(dev_lb.begin(), dev_lb.end());
    const double max_e_h1 = *std::max_element(dev_e_h1.begin(), dev_e_h1.end());
    const double max_lb_h1 = *std::max_element(dev_lb_h1.begin(), dev_lb_h1.end());
    if (std::getenv("GRENZFUNK_TEST_VERBOSE"))
        std::cout << "P.1546 over " << dev_e.size() << " data sets: |dE| max " << max_e
                  << " median " << median(dev_e) << ", |dLb| max " << max_lb << " dB; over the "
                  << dev_e_h1.size() << " with another h1: |dE| max " << max_e_h1 << ", |dLb| max "
                  << max_lb_h1 << " dB\n";
    CHECK(max_e <= 1e-6);
    CHECK(max_lb <= 1e-6);
    CHECK(max_e_h1 <= 0.01);
    CHECK(max_lb_h1 <= 0.01);
}

TEST_CASE("P.1546-6 curves: nominal points read the Annex 1 tabulation", "[p1546]") {
    // Figure 1 (100 MHz, land, 50 %), d = 10 km, h1 = 75 m: 68.2548 dB(uV/m) in the table.
    CHECK(p1546::curve_field_dbuv_per_m(100.0, 50.0, false, p1546::SeaType::cold, 75.0, 10.0, 200.0,
                                        50.0) == Approx(68.2548).margin(1e-9));
    // Same figure, d = 1000 km, h1 = 1200 m: -57.8373.
    CHECK(p1546::curve_field_dbuv_per_m(100.0, 50.0, false, p1546::SeaType::cold, 1200.0, 1000.0,
                                        200.0, 50.0) == Approx(-57.8373).margin(1e-9));
    // eq. (13) between 10 km (68.2548) and 11 km (66.7156) at h1 = 75 m.
    const double w = std::log10(10.5 / 10.0) / std::log10(11.0 / 10.0);
    CHECK(p1546::curve_field_dbuv_per_m(100.0, 50.0, false, p1546::SeaType::cold, 75.0, 10.5, 200.0,
                                        50.0) ==
          Approx(68.2548 + (66.7156 - 68.2548) * w).margin(1e-9));
}

TEST_CASE("P.1546-6 helper functions follow Annex 5", "[p1546]") {
    // §16: Qi approximates the inverse complementary normal within 4.5e-4.
    CHECK(p1546::inverse_normal_qi(0.1) == Approx(1.28155).margin(5e-4));
    CHECK(p1546::inverse_normal_qi(0.5) == Approx(0.0).margin(5e-4));
    CHECK(p1546::inverse_normal_qi(0.99) == Approx(-2.32635).margin(5e-4));
    // eq. (12a): J(0) = 6.9 + 20 log10(sqrt(1.01) - 0.1) = 6.0329 dB; 0 below nu = -0.7806.
    CHECK(p1546::knife_edge_j_db(0.0) == Approx(6.0329).margin(1e-4));
    CHECK(p1546::knife_edge_j_db(-0.8) == 0.0);
    // §3.1.1 eqs. (4), (5).
    CHECK(p1546::h1_without_terrain_m(2.0, 30.0, 90.0) == 30.0);
    CHECK(p1546::h1_without_terrain_m(9.0, 30.0, 90.0) == Approx(60.0));
    CHECK(p1546::h1_without_terrain_m(20.0, 30.0, 90.0) == 90.0);
}

TEST_CASE("P.1546-6 registered model reproduces the flat 10 km SG3 example", "[p1546]") {
    // flat_10km.csv: 900 MHz, ha = 100 m, h2 = 5 m, 20 % time, rural, flat ground at 0 m.
    // Reference Lb = 135.35385300 dB (results/flat_10km_1_log.csv).
    ParameterSet params;
    params.set("time_percent", 20.0);
    auto model = propagation::create_model("p1546", params);
    CHECK(model->name() == "p1546");
    CHECK(model->needs_terrain_profile());
    std::vector<double> ground(101, 0.0);  // 100 m spacing: any grid gives the same angles here
    propagation::PathQuery q;
    q.frequency_mhz = 900.0;
    q.tx_height_agl_m = 100.0;
    q.rx_height_agl_m = 5.0;
    q.distance_m = 10000.0;
    q.profile.step_m = 100.0;
    q.profile.elevation_m = ground;
    const auto result = model->loss(q);
    CHECK_THAT(result.loss_db, WithinAbs(135.35385300, 1e-6));
    CHECK((result.flags & propagation::invalid_input) == 0);
}

TEST_CASE("P.1546-6 model validates parameters once and flags bad paths", "[p1546]") {
    ParameterSet bad_time;
    bad_time.set("time_percent", 60.0);
    CHECK_THROWS_AS(propagation::create_model("p1546", bad_time), InputError);
    ParameterSet bad_env;
    bad_env.set("environment", std::string("jungle"));
    CHECK_THROWS_AS(propagation::create_model("p1546", bad_env), InputError);

    auto model = propagation::create_model("p1546", ParameterSet{});
    const auto params = model->parameters();
    CHECK(params.at("time_percent") == "50");
    CHECK(params.at("environment") == "rural");
    CHECK(params.at("rx_clutter_height_m") == "10");
    propagation::PathQuery q;
    q.frequency_mhz = 900.0;
    q.tx_height_agl_m = 30.0;
    q.rx_height_agl_m = 1.5;
    const auto r = model->loss(q);  // no profile
    CHECK((r.flags & propagation::invalid_input) != 0);
    CHECK(std::isnan(r.loss_db));
}

TEST_CASE("P.1546-6 loss grows with distance on flat land", "[p1546]") {
    auto model = propagation::create_model("p1546", ParameterSet{});
    std::vector<double> ground(2001, 100.0);
    double previous = 0.0;
    for (int km : {1, 2, 5, 10, 20, 50, 100, 200}) {
        propagation::PathQuery q;
        q.frequency_mhz = 800.0;
        q.tx_height_agl_m = 40.0;
        q.rx_height_agl_m = 1.5;
        q.distance_m = km * 1000.0;
        q.profile.step_m = 100.0;
        q.profile.elevation_m = std::span<const double>(ground).first(std::size_t(km) * 10 + 1);
        const double loss = model->loss(q).loss_db;
        INFO(km << " km: " << loss);
        CHECK(loss > previous);
        previous = loss;
    }
}

TEST_CASE("P.1546 validation reader names file and line", "[p1546]") {
    const std::string path =
        (std::filesystem::temp_directory_path() / "grenzfunk_p1546_bad_profile.csv").string();
    {
        std::ofstream out(path);
        out << "bad\nFirst Point TX or RX:,T\n{Begin of Profile}\nNumber of Points:,3\n"
               "0,100,2,0,4\n0.1,abc,2,0,4\n0.2,100,2,0,4\n{End of Profile}\n";
    }
    try {
        validation::read_sg3_profile(path);
        FAIL("no exception");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("grenzfunk_p1546_bad_profile.csv:6:") !=
              std::string::npos);
    }
    std::remove(path.c_str());
}

TEST_CASE("P.1546 evaluation names the data set's line when a required column is empty",
          "[p1546]") {
    std::istringstream in(
        "p\nFirst Point TX or RX:,T\n#Profile\nd,h\n[km],[m]\n{Begin of Profile}\n"
        "Number of Points:,3\n0,100\n5,120\n10,90\n{End of Profile}\n"
        "Frequency,Tx antenna height,Tx eff. height,Rx antenna height\n[MHz],[m],[m],[m]\n"
        "{Begin of Measurements}\n600,50,,10\n600,50,,\n{End of Measurements}\n");
    const auto profile = validation::parse_sg3_profile(in, "p.csv");
    const auto c = validation::evaluate_p1546_validation(profile, 1);
    CHECK(c.input.distance_km == 10.0);
    CHECK(c.input.time_percent == 50.0);  // empty time percentage
    CHECK_THROWS_WITH(validation::evaluate_p1546_validation(profile, 2),
                      "p.csv:16: Rx antenna height: missing value");
    CHECK_THROWS_WITH(validation::evaluate_p1546_validation(profile, 3),
                      "p.csv: data set 3 does not exist (2 in the file)");
    std::istringstream bad_first(
        "p\nFirst Point TX or RX:,X\n{Begin of Profile}\n"
        "Number of Points:,2\n0,1\n1,1\n{End of Profile}\n");
    CHECK_THROWS_WITH(validation::parse_sg3_profile(bad_first, "q.csv"),
                      "q.csv:2: First Point TX or RX: expected T or R, got 'X'");
}

// Not run by default: prints the per-data-set deviations (for reports).
TEST_CASE("P.1546-6 validation report", "[.p1546-report]") {
    std::vector<double> dev_e, dev_lb;
    for (const Row& row : combined_results()) {
        const auto profile = validation::read_sg3_profile(kDir + "/profiles/" + row.file);
        const auto c = validation::evaluate_p1546_validation(profile, row.dataset);
        const double lb_ref = read_log(log_path(row)).at("Resulting basic transmission loss (dB)");
        const double de = c.field_for_power_dbuv_per_m - row.reference;
        const double dl = c.result.basic_loss_db - lb_ref;
        dev_e.push_back(std::abs(de));
        dev_lb.push_back(std::abs(dl));
        std::printf("%-36s %d  E %10.5f ref %10.5f dE %+.6f  Lb %10.5f ref %10.5f dLb %+.6f\n",
                    row.file.c_str(), row.dataset, c.field_for_power_dbuv_per_m, row.reference, de,
                    c.result.basic_loss_db, lb_ref, dl);
    }
    std::printf("|dE| max %.6f median %.6f; |dLb| max %.6f median %.6f (%zu data sets)\n",
                *std::max_element(dev_e.begin(), dev_e.end()), median(dev_e),
                *std::max_element(dev_lb.begin(), dev_lb.end()), median(dev_lb), dev_e.size());
}
