// Antenna patterns per cell (docs/antennas.md): the MSI/Planet reader, 3-D gains from two cuts
// against values computed by hand from tests/data/antenna/test_panel.msi, the parametric 3GPP
// element with its parameters in the name, pattern files through the run plan, and the received
// level of a file-pattern cell in the engine.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <vector>

#include "antenna/cut_pattern.hpp"
#include "antenna/pattern.hpp"
#include "core/error.hpp"
#include "core/parameters.hpp"
#include "engine/coverage.hpp"
#include "io/msi_pattern.hpp"
#include "pipeline/plan.hpp"
#include "propagation/registry.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;
using antenna::AntennaPattern;

namespace {

std::shared_ptr<const AntennaCuts> test_panel() {
    static const auto cuts = std::make_shared<const AntennaCuts>(
        io::read_msi_pattern(source_path("tests/data/antenna/test_panel.msi")));
    return cuts;
}

std::string msi_error(const std::string& text) {
    try {
        (void)io::parse_msi_pattern(text, "x.msi");
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

// A minimal valid file with `horizontal` and `vertical` as its sections.
std::string msi(const std::string& horizontal, const std::string& vertical) {
    return "NAME T\n" + horizontal + vertical;
}

}  // namespace

TEST_CASE("msi: the reader takes header and cuts from the file", "[antenna][msi]") {
    const AntennaCuts& c = *test_panel();
    CHECK(c.name == "TEST_PANEL_65_7_T6");
    CHECK(c.make == "grenzfunk test data");
    REQUIRE(c.frequency_mhz);
    CHECK(*c.frequency_mhz == 806.0);
    REQUIRE(c.gain_dbi);
    CHECK(*c.gain_dbi == Approx(15.0 + 2.15).margin(1e-12));  // GAIN 15.0 dBd
    REQUIRE(c.electrical_tilt_deg);
    CHECK(*c.electrical_tilt_deg == 6.0);
    REQUIRE(c.front_to_back_db);
    CHECK(*c.front_to_back_db == 30.0);
    // Given every 5 deg: 60 -> 10.22, 65 -> 12.00; 62 deg interpolated: 10.22 + 2/5 * 1.78.
    CHECK(c.horizontal_attenuation_db[60] == 10.22);
    CHECK(c.horizontal_attenuation_db[62] == Approx(10.932).margin(1e-9));
    CHECK(c.horizontal_attenuation_db[180] == 30.0);
    // Vertical: 1 deg steps near the beam, 10 deg further out (20 -> 22, 30 -> 25).
    CHECK(c.vertical_attenuation_db[6] == 0.0);
    CHECK(c.vertical_attenuation_db[15] == 28.0);
    CHECK(c.vertical_attenuation_db[25] == Approx(23.5).margin(1e-9));
    CHECK(c.vertical_attenuation_db[357] == 26.0);
    // Across 0: 350 -> 23, 355 -> 21 (given), 356 -> 21: 352 interpolated 23 + 2/5 (21 - 23).
    CHECK(c.vertical_attenuation_db[352] == Approx(22.2).margin(1e-9));
}

TEST_CASE("msi: header variants", "[antenna][msi]") {
    // The name as the first line without its key; GAIN in dBi; FREQUENCY in GHz; lower-case
    // keys; a maker's own key is skipped; a cut with one point is constant.
    const auto c = io::parse_msi_pattern(
        "Maker Panel X\r\ngain 17.5 dBi\r\nFREQUENCY 1.8 GHz\r\n"
        "x_vendor_key 3\r\nHORIZONTAL 2\r\n0 0\r\n180 20\r\n"
        "VERTICAL 1\r\n0 0\r\n",
        "m.msi");
    CHECK(c.name == "Maker Panel X");
    CHECK(*c.gain_dbi == 17.5);
    CHECK(*c.frequency_mhz == Approx(1800.0));
    CHECK(c.horizontal_attenuation_db[90] == Approx(10.0));   // halfway 0 -> 180
    CHECK(c.horizontal_attenuation_db[270] == Approx(10.0));  // halfway 180 -> 360 (= 0)
    CHECK(c.vertical_attenuation_db[123] == 0.0);
    CHECK_FALSE(c.electrical_tilt_deg);
    // A numeric TILT is the electrical tilt.
    const auto t =
        io::parse_msi_pattern("NAME a\nTILT 4\nHORIZONTAL 1\n0 0\nVERTICAL 1\n0 0\n", "t.msi");
    CHECK(*t.electrical_tilt_deg == 4.0);
}

TEST_CASE("msi: bad files are errors naming file and line", "[antenna][msi]") {
    const std::string h = "HORIZONTAL 2\n0 0\n180 20\n";
    const std::string v = "VERTICAL 2\n0 0\n90 30\n";
    CHECK_THAT(msi_error(msi("HORIZONTAL 2\n0 0\n0 3\n", v)),
               Catch::Contains("x.msi:4: HORIZONTAL: angle 0 appears twice"));
    CHECK_THAT(msi_error(msi(h, "VERTICAL 2\n0 0\n360 3\n")),
               Catch::Contains("x.msi:7: VERTICAL: angle 360 is outside [0, 360)"));
    CHECK_THAT(msi_error(msi(h, "VERTICAL 2\n0 0\n90 -3\n")),
               Catch::Contains("x.msi:7: VERTICAL: attenuation -3 is negative"));
    CHECK_THAT(msi_error(msi(h, "VERTICAL 3\n0 0\n90 3\n")),
               Catch::Contains("x.msi:5: VERTICAL 3: the file ends after 2 lines"));
    CHECK_THAT(msi_error(msi("HORIZONTAL 3\n0 0\n90 3\n", v)),
               Catch::Contains("x.msi:5: HORIZONTAL 3: 'VERTICAL 2' after 2 lines"));
    CHECK_THAT(msi_error(msi("HORIZONTAL 2\n0 0\n90 3 4\n", v)),
               Catch::Contains("x.msi:4: HORIZONTAL: expected \"angle attenuation_dB\""));
    CHECK_THAT(msi_error(msi(h, "")), Catch::Contains("x.msi: no VERTICAL section"));
    CHECK_THAT(msi_error(msi(h + h, v)), Catch::Contains("x.msi:5: HORIZONTAL: the section"));
    CHECK_THAT(msi_error("NAME a\nGAIN 10 dBx\n" + h + v),
               Catch::Contains("x.msi:2: GAIN: unknown unit 'dBx'"));
    CHECK_THAT(msi_error(msi(h, "VERTICAL 2\n0 0\n90 3,5\n")), Catch::Contains("x.msi:7:"));
    CHECK_THAT(msi_error(msi("HORIZONTAL all\n", v)), Catch::Contains("x.msi:2: HORIZONTAL:"));
}

TEST_CASE("file pattern: summed cuts, gains computed by hand from the file", "[antenna][msi]") {
    // Boresight east (90 deg), no mechanical tilt. The vertical cut has its maximum 6 deg below
    // the horizon (the electrical tilt is in the cut).
    const auto a = antenna::make_cut_pattern("file:test_panel.msi", test_panel(), 90.0, 0.0,
                                             CutCombination::summed);
    CHECK(a.relative_gain_db(90.0, -6.0) == Approx(0.0).margin(0.01));      // main beam
    CHECK(a.relative_gain_db(90.0, 0.0) == Approx(-8.82).margin(0.01));     // horizon: V(0)
    CHECK(a.relative_gain_db(150.0, -6.0) == Approx(-10.22).margin(0.01));  // +60: H(60)
    CHECK(a.relative_gain_db(30.0, -6.0) == Approx(-10.22).margin(0.01));   // -60: H(300)
    // 62.5 deg: halfway between H(60) = 10.22 and H(65) = 12.00.
    CHECK(a.relative_gain_db(152.5, -6.0) == Approx(-11.11).margin(0.01));
    // Behind: H(180) = 30 = A_max (the largest horizontal attenuation) caps the sum.
    CHECK(a.relative_gain_db(270.0, -6.0) == Approx(-30.0).margin(0.01));
    CHECK(a.relative_gain_db(270.0, 0.0) == Approx(-30.0).margin(0.01));  // 30 + 8.82 capped
    // First nulls of the vertical cut: 15 deg below (28 dB) and 3 deg above (26 dB).
    CHECK(a.relative_gain_db(90.0, -15.0) == Approx(-28.0).margin(0.01));
    CHECK(a.relative_gain_db(90.0, 3.0) == Approx(-26.0).margin(0.01));
    // Off both planes: H(60) + V(12) = 10.22 + 8.82.
    CHECK(a.relative_gain_db(150.0, -12.0) == Approx(-19.04).margin(0.01));
    // Mechanical downtilt 4 deg: in the vertical plane through boresight it adds to the
    // elevation, so the beam maximum is 10 deg down.
    const auto tilted =
        antenna::make_cut_pattern("f", test_panel(), 90.0, 4.0, CutCombination::summed);
    CHECK(tilted.relative_gain_db(90.0, -10.0) == Approx(0.0).margin(0.01));
    CHECK(tilted.relative_gain_db(90.0, -4.0) == Approx(-8.82).margin(0.01));
    // Metadata: the file's gain in dBi and its electrical tilt.
    const auto p = a.parameters();
    CHECK(std::stod(p.at("gain_dbi")) == Approx(17.15).margin(1e-9));
    CHECK(p.at("file_electrical_tilt_deg") == "6");
    CHECK(p.at("cut_combination") == "summed");
    CHECK(std::isnan(a.relative_gain_db(NAN, 0.0)));
}

TEST_CASE("file pattern: Gil et al. weighted interpolation", "[antenna][msi]") {
    const auto a =
        antenna::make_cut_pattern("f", test_panel(), 90.0, 0.0, CutCombination::gil_weighted);
    // On the principal planes the method returns the cuts themselves.
    CHECK(a.relative_gain_db(150.0, -6.0) == Approx(-10.22).margin(0.01));  // v = 1
    CHECK(a.relative_gain_db(90.0, -15.0) == Approx(-28.0).margin(0.01));   // h = 1
    CHECK(a.relative_gain_db(90.0, -6.0) == Approx(0.0).margin(0.01));
    // Off the planes, by hand: A_H = 10.22, A_V = 28: h = 10^-1.022, v = 10^-2.8,
    // w1 = v (1 - h), w2 = h (1 - v), G = -(10.22 w1 + 28 w2) / (w1 + w2) = -27.7353.
    CHECK(a.relative_gain_db(150.0, -15.0) == Approx(-27.7353).margin(0.01));
    // A_H = 10.22, A_V = 8.82 (12 deg down): -9.6457.
    CHECK(a.relative_gain_db(150.0, -12.0) == Approx(-9.6457).margin(0.01));
}

TEST_CASE("3gpp element: parameters in the name, TR 36.814 defaults", "[antenna]") {
    const ParameterSet none;
    // TR 38.901 Table 7.3-1 with theta_3dB = 10, SLA_V = 20, Am = 25 (TR 36.814 A.2.1.1-2).
    const auto named =
        AntennaPattern::create("3gpp(h=65;v=10;fb=25;sla=20)", {0.0, 0.0, 0.0}, none);
    const auto defaults = AntennaPattern::create("3gpp-65", {0.0, 0.0, 0.0}, none);
    // az 30, 5 deg down: 12 (30/65)^2 + 12 (5/10)^2 = 2.5562 + 3 = 5.5562.
    CHECK(named.relative_gain_db(30.0, -5.0) == Approx(-5.5562).margin(1e-3));
    CHECK(defaults.relative_gain_db(30.0, -5.0) == Approx(-5.5562).margin(1e-3));
    // 5 deg down = half the vertical beamwidth: -3 dB.
    CHECK(named.relative_gain_db(0.0, -5.0) == Approx(-3.0).margin(1e-9));
    // 20 deg down: A_EV = min(12 * 4, 20) = 20; + A_EH(30) = 22.5562 < Am.
    CHECK(named.relative_gain_db(30.0, -20.0) == Approx(-22.5562).margin(1e-3));
    // az 90, 20 deg down: 23.0059 + 20 capped at Am = 25.
    CHECK(named.relative_gain_db(90.0, -20.0) == Approx(-25.0).margin(1e-9));
    CHECK(named.relative_gain_db(180.0, 0.0) == Approx(-25.0).margin(1e-9));
    // Electrical tilt 8: the vertical cut is centred 8 deg down.
    const auto tilted = AntennaPattern::create("3gpp(v=10)", {0.0, 0.0, 8.0}, none);
    CHECK(tilted.relative_gain_db(0.0, -8.0) == Approx(0.0).margin(1e-9));
    CHECK(tilted.relative_gain_db(0.0, 0.0) == Approx(-12.0 * 0.64).margin(1e-9));
    // ',' separates too; blanks are allowed.
    const auto comma = AntennaPattern::create("3gpp(h=90, v=7)", {0.0, 0.0, 0.0}, none);
    CHECK(comma.relative_gain_db(45.0, 0.0) == Approx(-3.0).margin(1e-9));
    CHECK(comma.relative_gain_db(0.0, -3.5) == Approx(-3.0).margin(1e-9));
}

TEST_CASE("3gpp element: the [antenna] table is the default, the name overrides it", "[antenna]") {
    ParameterSet scenario;
    scenario.set("vertical_beamwidth_deg", 8.0);
    scenario.set("front_to_back_db", 30.0);
    const auto from_table = AntennaPattern::create("3gpp-65", {}, scenario);
    CHECK(from_table.relative_gain_db(0.0, -4.0) == Approx(-3.0).margin(1e-9));  // v = 8
    CHECK(from_table.relative_gain_db(180.0, 0.0) == Approx(-30.0).margin(1e-9));
    const auto overridden = AntennaPattern::create("3gpp(v=12)", {}, scenario);
    CHECK(overridden.relative_gain_db(0.0, -6.0) == Approx(-3.0).margin(1e-9));  // v = 12
    CHECK(overridden.relative_gain_db(180.0, 0.0) == Approx(-30.0).margin(1e-9));
    CHECK(scenario.unconsumed_keys().empty());
    CHECK(overridden.parameters().at("vertical_beamwidth_deg") == "12");

    const ParameterSet none;
    CHECK_THROWS_WITH(AntennaPattern::create("3gpp(v=10;q=3)", {}, none),
                      Catch::Contains("unknown key 'q'"));
    CHECK_THROWS_WITH(AntennaPattern::create("3gpp(v=10;v=3)", {}, none),
                      Catch::Contains("key 'v' given twice"));
    CHECK_THROWS_WITH(AntennaPattern::create("3gpp(v=ten)", {}, none),
                      Catch::Contains("'ten' is not a number"));
    CHECK_THROWS_WITH(AntennaPattern::create("3gpp(v=0)", {}, none),
                      Catch::Contains("vertical_beamwidth_deg"));
    CHECK_THROWS_WITH(AntennaPattern::create("3gpp(v)", {}, none),
                      Catch::Contains("is not key=value"));
}

namespace {

const std::string kHeader =
    "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,mech_tilt_deg,"
    "elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,technology,operator,"
    "country\n";

// A scenario over the Hof test DEM with one sites file in `dir`; returns make_plan's error or "".
std::string plan_error(const fs::path& dir, const std::string& rows, const std::string& extra = "",
                       pipeline::RunPlan* plan_out = nullptr) {
    write_file(dir / "sites" / "s.csv", kHeader + rows);
    std::ostringstream s;
    s << "name = \"ant\"\n[terrain]\nfiles = [\"" << data_path("dem/hof_as_srtm3.tif") << "\"]\n"
      << "[[sites]]\nfile = \"sites/s.csv\"\n[grid]\nresolution_m = 250.0\n"
      << "extent_lonlat_deg = [11.95, 50.18, 12.3, 50.34]\n"
      << "[propagation]\nmodel = \"free-space\"\nmax_radius_km = 5.0\n"
      << extra;
    write_file(dir / "s.toml", s.str());
    pipeline::RunRequest request;
    request.scenario_path = (dir / "s.toml").string();
    try {
        auto plan = pipeline::make_plan(request);
        if (plan_out) *plan_out = std::move(plan);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

std::string row(const std::string& id, const std::string& pattern, const std::string& elec_tilt) {
    return id + ",S,Hof,50.319,11.929,35,90,0," + elec_tilt + ",806,10,59," + pattern +
           ",LTE,x,DE\n";
}

}  // namespace

TEST_CASE("pipeline: pattern files are found next to the sites file and checked",
          "[antenna][msi][pipeline]") {
    TempDir tmp;
    fs::create_directories(tmp / "sites" / "antennas");
    fs::copy_file(source_path("tests/data/antenna/test_panel.msi"),
                  tmp / "sites" / "antennas" / "test_panel.msi");
    pipeline::RunPlan plan;
    // "file:" prefix and a bare path ending in .msi; elec_tilt_deg equal to the file's is fine.
    CHECK(plan_error(tmp.path(),
                     row("A1", "file:antennas/test_panel.msi", "0") +
                         row("A2", "antennas/test_panel.msi", "6") +
                         row("A3", "3gpp(v=7;fb=30)", "2"),
                     "", &plan) == "");
    REQUIRE(plan.transmitters.size() == 3);
    // The plan's gain function is the file's pattern at azimuth 90 (hand values as above).
    CHECK(plan.transmitters[0].relative_gain_db(150.0, -6.0) == Approx(-10.22).margin(0.01));
    CHECK(plan.transmitters[1].relative_gain_db(90.0, -15.0) == Approx(-28.0).margin(0.01));
    CHECK(plan.patterns[0]->parameters().at("pattern_file") ==
          (tmp / "sites" / "antennas" / "test_panel.msi").string());

    const auto error_of = [&](const std::string& pattern, const std::string& tilt = "0") {
        return plan_error(tmp.path(), row("B1", pattern, tilt));
    };
    CHECK_THAT(error_of("file:antennas/missing.msi"),
               Catch::Contains("s.csv:2: antenna_pattern: 'antennas/missing.msi': no such file"));
    CHECK_THAT(error_of("file:../s.toml"), Catch::Contains("s.csv:2: antenna_pattern:") &&
                                               Catch::Contains("'..' is not allowed"));
    CHECK_THAT(error_of("file:/etc/passwd"), Catch::Contains("an absolute path"));
    CHECK_THAT(error_of("file:antennas/test_panel.msi", "3"),
               Catch::Contains("s.csv:2: antenna_pattern: elec_tilt_deg: 3.00 with a pattern "
                               "file") &&
                   Catch::Contains("ELECTRICAL_TILT 6.00"));
    write_file(tmp / "sites" / "antennas" / "bad.pln", "NAME b\nHORIZONTAL 1\n0 0\n");
    CHECK_THAT(error_of("antennas/bad.pln"), Catch::Contains("s.csv:2: antenna_pattern: ") &&
                                                 Catch::Contains("bad.pln: no VERTICAL section"));
    CHECK_THAT(plan_error(tmp.path(), row("C1", "antennas/test_panel.msi", "0"),
                          "[antenna]\ncut_combination = \"average\"\n"),
               Catch::Contains("antenna.cut_combination: 'average' is not known"));
    CHECK(plan_error(tmp.path(), row("C1", "antennas/test_panel.msi", "0"),
                     "[antenna]\ncut_combination = \"gil\"\n", &plan) == "");
    CHECK(plan.patterns[0]->parameters().at("cut_combination") == "gil");
}

namespace {

// The engine's direction to a pixel (engine/path_builder.hpp): elevation of the straight line
// between the heights, lowered by d / (2 R_eff).
double elevation_deg(double drop_m, double distance_m) {
    return (std::atan2(-drop_m, distance_m) - distance_m / (2.0 * 8495e3)) * 180.0 / M_PI;
}

// Linear interpolation between two values of the file.
double between(double a_db, double b_db, double t) {
    return a_db + t * (b_db - a_db);
}

double free_space_db(double distance_m) {  // ITU-R P.525, f = 806 MHz
    return 32.4478 + 20.0 * std::log10(806.0) + 20.0 * std::log10(distance_m / 1000.0);
}

}  // namespace

TEST_CASE("engine: a cell with an MSI pattern gives EIRP - file attenuation - free-space loss",
          "[antenna][msi][engine]") {
    const auto terrain = test::flat_terrain(101, 101, 100.0, 400.0f);
    const GridSpec& grid = terrain.grid();
    std::vector<std::uint8_t> mask(grid.pixel_count(), 1);
    auto model = propagation::create_model("free-space", ParameterSet{});
    engine::CoverageOptions options;
    options.max_radius_m = 4500.0;
    const double tx_x = grid.centre_x_m(50), tx_y = grid.centre_y_m(50);
    const auto run = [&](double azimuth_deg, double height_m) {
        engine::TransmitterCell c;
        c.x_m = tx_x;
        c.y_m = tx_y;
        c.lat_deg = 50.0;
        c.lon_deg = 12.0;
        c.antenna_height_agl_m = height_m;
        c.frequency_mhz = 806.0;
        c.eirp_dbm = 60.0;
        const auto pattern = std::make_shared<AntennaPattern>(
            antenna::make_cut_pattern("f", test_panel(), azimuth_deg, 0.0, CutCombination::summed));
        c.relative_gain_db = [pattern](double az, double el) {
            return pattern->relative_gain_db(az, el);
        };
        return engine::compute_coverage(terrain, grid, mask, {c}, *model, options);
    };
    // Boresight east, antenna 30 m, receiver 1.5 m: drop 28.5 m.
    const auto east = run(90.0, 30.0);
    {
        // 300 m east: 5.4268 deg down, between V(5) = 0.24 and V(6) = 0.00; H(0) = 0.
        const double psi = -elevation_deg(28.5, 300.0);
        const double a = between(0.24, 0.00, psi - 5.0);
        CHECK(east.best_level_dbm.at(53, 50) ==
              Approx(60.0 - a - free_space_db(300.0)).margin(0.01));
        // 1 km east: 1.63 deg down, between V(1) = 6.12 and V(2) = 3.92.
        const double psi2 = -elevation_deg(28.5, 1000.0);
        const double a2 = between(6.12, 3.92, psi2 - 1.0);
        CHECK(east.best_level_dbm.at(60, 50) ==
              Approx(60.0 - a2 - free_space_db(1000.0)).margin(0.01));
        // 1 km west, behind: H(180) = 30 + V > 30 = A_max.
        CHECK(east.best_level_dbm.at(40, 50) ==
              Approx(60.0 - 30.0 - free_space_db(1000.0)).margin(0.01));
        // 2 km north: 90 deg left, H(270) = min(12 (90/65)^2, 30) = 23.01 (given at 270),
        // V at 0.82 deg down: between V(0) = 8.82 and V(1) = 6.12.
        const double psi3 = -elevation_deg(28.5, 2000.0);
        const double a3 = 23.01 + between(8.82, 6.12, psi3);
        CHECK(east.best_level_dbm.at(50, 30) ==
              Approx(60.0 - a3 - free_space_db(2000.0)).margin(0.01));
    }
    // Boresight turned so that the pixel 2 km east, 1 km north lies 60 deg clockwise of it:
    // H(60) = 10.22.
    {
        const double pixel_azimuth = std::atan2(2000.0, 1000.0) * 180.0 / M_PI;
        const auto turned = run(pixel_azimuth - 60.0, 30.0);
        const double d = std::hypot(2000.0, 1000.0);
        const double psi = -elevation_deg(28.5, d);  // 0.73 deg: between V(0) and V(1)
        const double a = 10.22 + between(8.82, 6.12, psi);
        CHECK(turned.best_level_dbm.at(70, 40) == Approx(60.0 - a - free_space_db(d)).margin(0.01));
    }
    // The first null, 15 deg down: an antenna 55.09 m high sees the pixel 200 m east there.
    {
        const double height = 1.5 + 200.0 * std::tan(15.0 * M_PI / 180.0);
        const auto high = run(90.0, height);
        const double psi = -elevation_deg(height - 1.5, 200.0);  // 15.0007
        const double a = between(28.0, 24.0, psi - 15.0);
        CHECK(high.best_level_dbm.at(52, 50) ==
              Approx(60.0 - a - free_space_db(200.0)).margin(0.01));
    }
}

TEST_CASE(
    "engine: electrical tilt 0 -> 8 deg of the default element moves the median level "
    "within 2 km by more than 3 dB",
    "[antenna][engine]") {
    const auto terrain = test::flat_terrain(81, 81, 50.0, 300.0f);
    const GridSpec& grid = terrain.grid();
    std::vector<std::uint8_t> mask(grid.pixel_count(), 1);
    auto model = propagation::create_model("free-space", ParameterSet{});
    engine::CoverageOptions options;
    options.max_radius_m = 2000.0;
    const double tx_x = grid.centre_x_m(40), tx_y = grid.centre_y_m(40);
    // A three-sector site (azimuths 0, 120, 240; 35 m, as the sample sites), 3gpp-65 with the
    // default vertical beamwidth; the median of the best level over the pixels within 2 km.
    const auto median_level = [&](double elec_tilt_deg) {
        std::vector<engine::TransmitterCell> cells;
        for (const double azimuth : {0.0, 120.0, 240.0}) {
            engine::TransmitterCell c;
            c.x_m = tx_x;
            c.y_m = tx_y;
            c.lat_deg = 50.0;
            c.lon_deg = 12.0;
            c.antenna_height_agl_m = 35.0;
            c.frequency_mhz = 806.0;
            c.eirp_dbm = 60.0;
            const auto pattern = std::make_shared<AntennaPattern>(
                AntennaPattern::create("3gpp-65", {azimuth, 0.0, elec_tilt_deg}, ParameterSet{}));
            c.relative_gain_db = [pattern](double az, double el) {
                return pattern->relative_gain_db(az, el);
            };
            cells.push_back(std::move(c));
        }
        const auto r = engine::compute_coverage(terrain, grid, mask, cells, *model, options);
        std::vector<float> levels;
        for (int row = 0; row < grid.height; ++row)
            for (int col = 0; col < grid.width; ++col) {
                const double d =
                    std::hypot(grid.centre_x_m(col) - tx_x, grid.centre_y_m(row) - tx_y);
                const float v = r.best_level_dbm.at(col, row);
                if (d > 0.0 && d <= 2000.0 && !std::isnan(v)) levels.push_back(v);
            }
        std::nth_element(levels.begin(), levels.begin() + std::ptrdiff_t(levels.size() / 2),
                         levels.end());
        return double(levels[levels.size() / 2]);
    };
    const double untilted = median_level(0.0);
    const double tilted = median_level(8.0);
    WARN("median level within 2 km: tilt 0 -> " << untilted << " dBm, tilt 8 -> " << tilted
                                                << " dBm, difference " << untilted - tilted
                                                << " dB");
    CHECK(untilted - tilted > 3.0);
}
