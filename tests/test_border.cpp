// Cross-border coordination check and regulator package. Expected values are worked out by
// hand from the synthetic geometry and the formulas in the comments, not taken from the code.
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/border_check.hpp"
#include "analysis/border_geometry.hpp"
#include "analysis/border_rules.hpp"
#include "antenna/pattern.hpp"
#include "core/error.hpp"
#include "core/parameters.hpp"
#include "io/border_rules_io.hpp"
#include "io/gdal_init.hpp"
#include "report/package.hpp"
#include "report/report_figures.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using analysis::XY;

namespace {

// Synthetic geometry placed at realistic UTM 32N coordinates (near Hof), so that the package
// can be reprojected: local (0, 0) is the corner of the home territory.
constexpr double X0 = 720000.0;
constexpr double Y0 = 5570000.0;

XY at(double x, double y) {
    return {X0 + x, Y0 + y};
}

// Home territory: the quadrant x < 0, y < 0 cut to a 40 km square; its far edges are flagged
// as clipping artefacts. Region: the square [-10 km, 10 km]^2.
std::vector<analysis::OutlinePolygon> quadrant_home() {
    analysis::OutlineRing ring;
    ring.points = {at(-40000, -40000), at(0, -40000), at(0, 0), at(-40000, 0)};
    // edges: bottom (artificial), right x=0 (real), top y=0 (real), left (artificial), closing
    ring.edge_is_artificial = {1, 0, 0, 1};
    return {analysis::OutlinePolygon{{ring}}};
}

// Home territory: the half plane x < 0 (cut to a 100 km square, far edges artificial).
std::vector<analysis::OutlinePolygon> half_plane_home() {
    analysis::OutlineRing ring;
    ring.points = {at(-100000, -50000), at(0, -50000), at(0, 50000), at(-100000, 50000)};
    ring.edge_is_artificial = {1, 0, 1, 1};
    return {analysis::OutlinePolygon{{ring}}};
}

std::vector<XY> square_region(double half) {
    return {at(-half, -half), at(half, -half), at(half, half), at(-half, half)};
}

double length_of(const analysis::BorderLine& l) {
    double total = 0.0;
    for (const auto& p : l.parts) total += analysis::polyline_length_m(p);
    return total;
}

// Flat terrain at 300 m a.s.l. around the synthetic geometry, 500 m pixels.
terrain::TerrainModel flat_terrain() {
    return test::flat_terrain(240, 240, 500.0, 300.0f, X0 - 60000.0, Y0 + 60000.0);
}

analysis::BorderRule test_rule(const std::string& model, double limit, double distance_km) {
    analysis::BorderRule r;
    r.id = "LTE800-test-" + std::to_string(int(distance_km));
    r.technologies = {Technology::lte};
    r.band_min_mhz = 790.0;
    r.band_max_mhz = 862.0;
    r.limit_dbuv_per_m = limit;
    r.reference_bandwidth_mhz = 5.0;
    r.rx_height_agl_m = 3.0;
    r.distance_km = distance_km;
    r.time_percent = 10.0;
    r.location_percent = 50.0;
    r.model = model;
    r.source = "test";
    r.where = "test";
    return r;
}

analysis::BorderCell test_cell(const std::string& id, double x, double y, double eirp_dbm) {
    analysis::BorderCell c;
    c.cell.cell_id = id;
    c.cell.site_id = id.substr(0, 4);
    c.cell.site_name = id;
    c.cell.lat_deg = 50.3;
    c.cell.lon_deg = 12.0;
    c.cell.antenna_height_agl_m = 30.0;
    c.cell.frequency_mhz = 806.0;
    c.cell.bandwidth_mhz = 10.0;
    c.cell.eirp_dbm = eirp_dbm;
    c.cell.technology = Technology::lte;
    c.cell.country = "DE";
    c.x_m = X0 + x;
    c.y_m = Y0 + y;
    return c;
}

// Free-space field strength by hand (ITU-R P.525): Lbf = 20 log10(4 pi d f / c), and
// E = EIRP + G - Lbf + 20 log10 f(MHz) + 77.219 + normalisation.
double free_space_field(double eirp_dbm, double gain_db, double distance_m, double f_mhz,
                        double normalisation_db) {
    const double lbf =
        20.0 * std::log10(4.0 * 3.14159265358979323846 * distance_m * f_mhz * 1e6 / 299792458.0);
    return eirp_dbm + gain_db - lbf + 20.0 * std::log10(f_mhz) + 77.219 + normalisation_db;
}

}  // namespace

TEST_CASE("border: samples along a polyline every N metres plus the end point", "[border]") {
    const analysis::Polyline line = {{0, 0}, {150, 0}, {150, 100}};  // 250 m
    const auto s = analysis::sample_polyline(line, 100.0, 3);
    REQUIRE(s.size() == 4);
    CHECK(s[0].chainage_m == Approx(0.0));
    CHECK(s[1].point.x_m == Approx(100.0));
    CHECK(s[2].point.x_m == Approx(150.0));
    CHECK(s[2].point.y_m == Approx(50.0));
    CHECK(s[3].chainage_m == Approx(250.0));
    CHECK(s[3].part == 3u);
}

TEST_CASE("border: lines at 0 and 6 km around a straight border", "[border]") {
    analysis::BorderGeometryOptions o;
    o.distances_m = {0.0, 6000.0};
    o.sample_spacing_m = 1000.0;
    const analysis::BorderGeometry g(half_plane_home(), square_region(10000.0), o);
    REQUIRE(g.lines().size() == 2);
    const auto& border = g.lines()[0];
    const auto& six = g.lines()[1];
    // x = 0 from y = -10 km to 10 km: 20 km, 21 samples at 1 km; the artificial edges (on the
    // data box) are not border.
    CHECK(length_of(border) == Approx(20000.0).margin(0.01));
    CHECK(border.samples.size() == 21);
    for (const auto& s : border.samples) CHECK(s.point.x_m == Approx(X0).margin(1e-6));
    CHECK(length_of(six) == Approx(20000.0).margin(0.01));
    for (const auto& s : six.samples) CHECK(s.point.x_m == Approx(X0 + 6000.0).margin(1e-6));
    CHECK(g.in_neighbour_territory(X0 + 100.0, Y0));
    CHECK_FALSE(g.in_neighbour_territory(X0 - 100.0, Y0));
    CHECK_FALSE(g.in_neighbour_territory(X0 + 11000.0, Y0));  // outside the region
    CHECK(g.distance_to_home_m(X0 + 2500.0, Y0 + 3000.0) == Approx(2500.0));
}

TEST_CASE("border: the 6 km line around a corner is two straight pieces and a quarter circle",
          "[border]") {
    analysis::BorderGeometryOptions o;
    o.distances_m = {0.0, 6000.0};
    o.sample_spacing_m = 250.0;
    o.points_per_circle = 720;  // chord error 6000 (1 - cos(0.25 deg)) = 0.06 m
    const analysis::BorderGeometry g(quadrant_home(), square_region(10000.0), o);
    // Border: x = 0 for y in [-10, 0] km and y = 0 for x in [-10, 0] km.
    CHECK(length_of(g.lines()[0]) == Approx(20000.0).margin(0.01));
    // 6 km: x = 6 km for y in [-10, 0], y = 6 km for x in [-10, 0], and a quarter circle of
    // radius 6 km about the corner: 20 000 + 3000 pi = 29 424.78 m.
    CHECK(length_of(g.lines()[1]) == Approx(20000.0 + 3000.0 * 3.14159265358979).margin(0.5));
    for (const auto& s : g.lines()[1].samples)
        CHECK(g.distance_to_home_m(s.point.x_m, s.point.y_m) == Approx(6000.0).margin(0.1));
    // Territory mask: 2 km pixels over the region; pixel centres at +-1, 3, 5, 7, 9 km.
    GridSpec grid;
    grid.origin_x_m = X0 - 10000.0;
    grid.origin_y_m = Y0 + 10000.0;
    grid.pixel_size_m = 2000.0;
    grid.width = 10;
    grid.height = 10;
    const auto mask = g.territory_mask(grid);
    std::size_t home = 0, neighbour = 0;
    for (auto v : mask) {
        home += v == 1;
        neighbour += v == 2;
    }
    CHECK(home == 25);  // the south-west quarter
    CHECK(neighbour == 75);
    CHECK(mask[9 * 10 + 0] == 1);  // south-west corner pixel
    CHECK(mask[0] == 2);           // north-west corner pixel
}

TEST_CASE("border: bandwidth normalisation and rule matching", "[border]") {
    // 10 log10(5/10) = -3.0103, 10 log10(5/20) = -6.0206; narrower channels are not scaled up.
    CHECK(analysis::bandwidth_normalisation_db(5.0, 10.0) == Approx(-3.0103).margin(1e-4));
    CHECK(analysis::bandwidth_normalisation_db(5.0, 20.0) == Approx(-6.0206).margin(1e-4));
    CHECK(analysis::bandwidth_normalisation_db(5.0, 5.0) == 0.0);
    CHECK(analysis::bandwidth_normalisation_db(5.0, 1.4) == 0.0);
    CHECK(std::isnan(analysis::bandwidth_normalisation_db(5.0, 0.0)));

    const auto rule = test_rule("p1546", 59.0, 0.0);
    Cell c;
    c.technology = Technology::lte;
    c.frequency_mhz = 806.0;
    CHECK(analysis::rule_applies(rule, c));
    c.frequency_mhz = 1815.0;
    CHECK_FALSE(analysis::rule_applies(rule, c));
    c.frequency_mhz = 806.0;
    c.technology = Technology::umts;
    CHECK_FALSE(analysis::rule_applies(rule, c));
}

TEST_CASE("border: field strength from EIRP, antenna gain, loss and bandwidth", "[border]") {
    // EIRP 59 dBm, gain -3 dB, Lb 120 dB: -64 dBm isotropic; + 20 log10(800) = 58.0618,
    // + 77.219 (P.525) = 71.2808 dBuV/m; in 5 MHz of a 10 MHz channel: 68.2705 dBuV/m.
    CHECK(analysis::border_field_dbuv_per_m(59.0, -3.0, 120.0, 800.0, -3.0103) ==
          Approx(68.2705).margin(2e-3));
}

TEST_CASE("border: the shipped rules file holds sourced, unverified CEPT defaults", "[border]") {
    const auto rules = io::read_border_rules(test::source_path("data/rules/cept_mfcn_border.toml"));
    REQUIRE(rules.size() == 24);
    Cell lte800;
    lte800.technology = Technology::lte;
    lte800.frequency_mhz = 806.0;
    std::vector<double> limits;
    for (const auto& r : rules) {
        CHECK_FALSE(r.verified);
        CHECK_FALSE(r.source.empty());
        CHECK(r.rx_height_agl_m == 3.0);
        CHECK(r.time_percent == 10.0);
        CHECK(r.location_percent == 50.0);
        CHECK(r.model == "hcm");  // the administrations' method (HCM Agreement)
        CHECK(r.model_parameters.values().empty());
        if (analysis::rule_applies(r, lte800)) {
            limits.push_back(r.limit_dbuv_per_m);
            CHECK(r.source.find("ECC/REC/(11)04") != std::string::npos);
        }
    }
    CHECK(limits == std::vector<double>{59.0, 41.0});
}

TEST_CASE("border: rules file errors name the file, line and key", "[border]") {
    test::TempDir tmp;
    test::write_file(tmp / "r.toml",
                     "[[rule]]\nid = \"a\"\ntechnologies = [\"LTE\"]\nband_mhz = [790, 862]\n"
                     "limit_dbuv_per_m = 59\nreference_bandwidth_mhz = 5\ndistance_km = 0\n"
                     "source = \"x\"\nverified = false\nlimt = 3\n");
    try {
        io::read_border_rules((tmp / "r.toml").string());
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::Contains("r.toml:10") && Catch::Contains("limt") &&
                                 Catch::Contains("unknown key"));
    }
    test::write_file(tmp / "s.toml",
                     "[[rule]]\nid = \"a\"\ntechnologies = [\"LTE\", \"WiMAX\"]\n"
                     "band_mhz = [790, 862]\n");
    CHECK_THROWS_WITH(io::read_border_rules((tmp / "s.toml").string()),
                      Catch::Contains("s.toml:3") && Catch::Contains("WiMAX"));
}

TEST_CASE("border: a far cell passes, a strong cell on the border fails (free space, by hand)",
          "[border]") {
    analysis::BorderGeometryOptions o;
    o.distances_m = {0.0};
    o.sample_spacing_m = 100.0;
    const analysis::BorderGeometry g(half_plane_home(), square_region(40000.0), o);
    const terrain::TerrainModel terrain = flat_terrain();
    std::vector<analysis::BorderRule> rules = {test_rule("free-space", 59.0, 0.0)};
    std::vector<analysis::BorderCell> cells = {test_cell("NEAR-1", -1000.0, 0.0, 60.0),
                                               test_cell("FARR-1", -35000.0, 0.0, 30.0)};
    // A sector facing away from the border (boresight west): 30 dB front-to-back (TR 38.901).
    cells.push_back(test_cell("BACK-1", -1000.0, 0.0, 60.0));
    auto pattern = std::make_shared<antenna::AntennaPattern>(antenna::AntennaPattern::create(
        "3gpp(h=65;v=65;fb=30;sla=30)", {270.0, 0.0, 0.0}, ParameterSet{}));
    cells.back().relative_gain_db = [pattern](double az, double el) {
        return pattern->relative_gain_db(az, el);
    };
    const auto models = analysis::create_rule_models(rules, cells);
    const auto report = analysis::run_border_check(cells, rules, models, g, terrain, {});
    REQUIRE(report.checks.size() == 3);

    // Nearest border point (0, 0), 1 km away: 60 - Lbf(1 km) + ... - 3.0103 = 101.77 dBuV/m.
    const auto& near = report.checks[0];
    CHECK(near.max_field_dbuv_per_m ==
          Approx(free_space_field(60.0, 0.0, 1000.0, 806.0, -3.0103)).margin(0.01));
    CHECK(near.max_point.x_m == Approx(X0).margin(1e-6));
    CHECK(near.max_point.y_m == Approx(Y0).margin(1e-6));
    CHECK(near.margin_db == Approx(59.0 - near.max_field_dbuv_per_m));
    CHECK_FALSE(near.pass);
    CHECK(near.samples == 801);  // 80 km of border every 100 m
    CHECK(near.samples_computed == 801);

    // 35 km away with 30 dBm: 40.87 dBuV/m, 18 dB below the limit.
    const auto& far = report.checks[1];
    CHECK(far.max_field_dbuv_per_m ==
          Approx(free_space_field(30.0, 0.0, 35000.0, 806.0, -3.0103)).margin(0.01));
    CHECK(far.pass);
    CHECK(far.samples_over_limit == 0);

    // Behind the antenna: -30 dB (A_m), still 71.8 dBuV/m, fails.
    const auto& back = report.checks[2];
    CHECK(back.max_field_dbuv_per_m ==
          Approx(free_space_field(60.0, -30.0, 1000.0, 806.0, -3.0103)).margin(0.02));
    CHECK_FALSE(back.pass);

    CHECK(report.failed_checks == 2);
    CHECK(report.failed_cells == 2);
    REQUIRE(report.sites.size() == 3);
    CHECK(report.sites[1].failed_checks == 0);

    // Exceedance raster on 2 km pixels: the pixel centred 1 km east and 1 km north of the
    // border corner is 2236 m from NEAR-1 (and BACK-1): field minus the 59 dBuV/m limit.
    GridSpec grid = terrain.grid();
    grid.origin_x_m = X0 - 40000.0;
    grid.origin_y_m = Y0 + 40000.0;
    grid.pixel_size_m = 2000.0;
    grid.width = 40;
    grid.height = 40;
    const Raster<float> ex =
        analysis::border_exceedance_raster(grid, cells, rules, models, g, terrain, {});
    const double expected =
        free_space_field(60.0, 0.0, std::sqrt(2000.0 * 2000.0 + 1000.0 * 1000.0), 806.0, -3.0103) -
        59.0;
    CHECK(ex.at(20, 19) == Approx(expected).margin(0.01));  // centre (X0 + 1 km, Y0 + 1 km)
    CHECK(std::isnan(ex.at(19, 19)));                       // home territory
}

TEST_CASE("border: each cell is checked against the rules of its code class only",
          "[border][codes]") {
    analysis::BorderGeometryOptions o;
    o.distances_m = {0.0, 6000.0};
    o.sample_spacing_m = 500.0;
    const analysis::BorderGeometry g(quadrant_home(), square_region(10000.0), o);
    const terrain::TerrainModel terrain = flat_terrain();
    std::vector<analysis::BorderRule> rules = {test_rule("free-space", 59.0, 0.0),
                                               test_rule("free-space", 41.0, 6.0)};
    rules[0].code_class = CodeClass::preferential;
    rules[1].code_class = CodeClass::non_preferential;
    std::vector<analysis::BorderCell> cells = {test_cell("PREF-1", -1000.0, -1000.0, 60.0),
                                               test_cell("NONP-1", -1000.0, -1000.0, 60.0),
                                               test_cell("NONE-1", -1000.0, -1000.0, 60.0)};
    cells[0].code_status = analysis::CodeStatus::preferential;
    cells[1].code_status = analysis::CodeStatus::non_preferential;
    cells[2].code_status = analysis::CodeStatus::no_code;
    const auto models = analysis::create_rule_models(rules, cells);
    const auto report = analysis::run_border_check(cells, rules, models, g, terrain, {});
    REQUIRE(report.cells.size() == 3);
    // Preferential code: only the border-line rule; non-preferential: only the 6 km rule.
    REQUIRE(report.cells[0].checks.size() == 1);
    CHECK(report.checks[report.cells[0].checks[0]].rule == 0);
    CHECK_FALSE(report.cells[0].both_code_classes);
    REQUIRE(report.cells[1].checks.size() == 1);
    CHECK(report.checks[report.cells[1].checks[0]].rule == 1);
    CHECK_FALSE(report.cells[1].both_code_classes);
    // No code: both, and the result says so.
    REQUIRE(report.cells[2].checks.size() == 2);
    CHECK(report.checks[report.cells[2].checks[0]].rule == 0);
    CHECK(report.checks[report.cells[2].checks[1]].rule == 1);
    CHECK(report.cells[2].both_code_classes);
    CHECK(report.cells[2].code_status == analysis::CodeStatus::no_code);
    CHECK(report.checks.size() == 4);
}

TEST_CASE("border: a rule's model settings are validated with the rule's name", "[border]") {
    std::vector<analysis::BorderRule> rules = {test_rule("p1546", 59.0, 0.0)};
    rules[0].model_parameters.set("environmnet", std::string("rural"));
    std::vector<analysis::BorderCell> cells = {test_cell("NEAR-1", -1000.0, 0.0, 60.0)};
    CHECK_THROWS_WITH(analysis::create_rule_models(rules, cells),
                      Catch::Contains("LTE800-test-0") && Catch::Contains("environmnet"));
}

TEST_CASE("border: zip archives are deflated where it pays, dated 1980 and readable by GDAL",
          "[border]") {
    std::string kml = "<kml>";
    for (int i = 0; i < 500; ++i) kml += "<Placemark><name>cell</name></Placemark>";
    kml += "</kml>";
    const std::string zip = report::zip_archive({{"doc.kml", kml}, {"a.txt", "hello"}});
    CHECK(zip == report::zip_archive({{"doc.kml", kml}, {"a.txt", "hello"}}));
    // 20 kB of repeated placemarks deflate to far less; "hello" is stored (method 0 at byte 8
    // of its local header, which follows the first entry).
    CHECK(zip.size() < kml.size() / 10);
    CHECK(zip.substr(0, 4) == std::string("PK\x03\x04", 4));
    CHECK(zip[8] == 8);  // doc.kml: method 8, deflate
    test::TempDir tmp;
    test::write_file(tmp / "t.kmz", zip);
    io::initialise_gdal();
    const std::string path = "/vsizip/" + (tmp / "t.kmz").string() + "/a.txt";
    VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
    REQUIRE(f != nullptr);
    char buf[16] = {};
    const auto n = VSIFReadL(buf, 1, sizeof buf, f);
    VSIFCloseL(f);
    CHECK(std::string(buf, n) == "hello");
    // The deflated entry reads back whole.
    const std::string kml_path = "/vsizip/" + (tmp / "t.kmz").string() + "/doc.kml";
    VSILFILE* k = VSIFOpenL(kml_path.c_str(), "rb");
    REQUIRE(k != nullptr);
    std::string back(kml.size() + 16, '\0');
    back.resize(VSIFReadL(back.data(), 1, back.size(), k));
    VSIFCloseL(k);
    CHECK(back == kml);
}

TEST_CASE(
    "border: the package's GeoTIFFs carry the regulator's CRS and the metadata and are "
    "byte-identical when written twice",
    "[border]") {
    analysis::BorderGeometryOptions o;
    o.distances_m = {0.0, 6000.0};
    o.sample_spacing_m = 500.0;
    const analysis::BorderGeometry g(quadrant_home(), square_region(10000.0), o);
    const terrain::TerrainModel terrain = flat_terrain();
    std::vector<analysis::BorderRule> rules = {test_rule("free-space", 59.0, 0.0),
                                               test_rule("free-space", 41.0, 6.0)};
    rules[0].source = "ECC/REC/(11)04 (test)";
    rules[0].code_class = CodeClass::preferential;
    rules[1].code_class = CodeClass::non_preferential;
    std::vector<analysis::BorderCell> cells = {test_cell("NEAR-1", -1000.0, -1000.0, 60.0),
                                               test_cell("FARR-1", -9000.0, -9000.0, 20.0)};
    const auto models = analysis::create_rule_models(rules, cells);
    const auto report = analysis::run_border_check(cells, rules, models, g, terrain, {});
    GridSpec grid = terrain.grid();
    grid.crs_wkt.clear();
    grid.origin_x_m = X0 - 10000.0;
    grid.origin_y_m = Y0 + 10000.0;
    grid.pixel_size_m = 1000.0;
    grid.width = 20;
    grid.height = 20;
    const Raster<float> ex =
        analysis::border_exceedance_raster(grid, cells, rules, models, g, terrain, {});

    report::BorderPackage p;
    p.software = "grenzfunk test";
    p.scenario_name = "synthetic";
    p.scenario_file = "synthetic.toml";
    p.scenario_sha256 = std::string(64, 'a');
    p.creation_time = "2024-06-01T00:00:00Z";
    p.inputs = {{"rules", "rules.toml", std::string(64, 'b')}};
    p.grid_crs = "EPSG:25832";
    p.cells = &cells;
    p.rules = &rules;
    p.rule_models = {"free-space", "free-space"};
    p.report = &report;
    p.geometry = &g;
    p.exceedance_db = &ex;
    p.coverage_field_dbuv_per_m = &ex;
    p.terrain = &terrain;
    for (const auto& m : models) p.rule_model_ptrs.push_back(m.get());

    // The report's field strength along the profile to the worst point of NEAR-1's failed
    // check is the free-space field (ITU-R P.525) at each distance, and ends at the check's
    // maximum.
    {
        REQUIRE_FALSE(report.checks[0].pass);
        const auto along = report::detail::field_along_path(p, 0, 10);
        REQUIRE(along.size() == 10);
        for (const auto& [d, e] : along) {
            INFO(d);
            CHECK(e == Approx(free_space_field(60.0, 0.0, d, 806.0,
                                               report.checks[0].bandwidth_correction_db))
                           .margin(1e-6));
        }
        CHECK(along.back()[1] == Approx(report.checks[0].max_field_dbuv_per_m).margin(1e-6));
        CHECK(report::detail::profile_figure(p, 0).width > 0.0);
    }

    test::TempDir tmp;
    auto write_package = [&](const std::filesystem::path& dir) {
        io::OutputSet outputs({dir});
        auto files = report::write_border_package(outputs, dir, p);
        outputs.commit();
        return files;
    };
    for (const std::string crs : {"EPSG:25833", "EPSG:3035", "EPSG:4326"}) {
        p.export_crs = crs;
        const auto files = write_package(tmp / "a");
        write_package(tmp / "b");
        // With border_report.pdf, station_records.csv and .txt, and the two rasters' QGIS
        // styles (exceedance_db.qml, coverage_field_strength_dbuv_per_m.qml).
        CHECK(files.size() == 15);
        for (const auto& f : files) {
            INFO(crs << " " << f.name);
            CHECK(test::read_file(tmp / "a" / f.name) == test::read_file(tmp / "b" / f.name));
        }
        io::initialise_gdal();
        std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds(
            GDALDataset::Open((tmp / "a" / "exceedance_db.tif").c_str(),
                              GDAL_OF_RASTER | GDAL_OF_READONLY),
            [](GDALDataset* d) { GDALClose(d); });
        REQUIRE(ds);
        const OGRSpatialReference* srs = ds->GetSpatialRef();
        REQUIRE(srs != nullptr);
        CHECK(std::string("EPSG:") + srs->GetAuthorityCode(nullptr) == crs);
        CHECK(std::string(ds->GetMetadataItem("GRENZFUNK_CREATION_TIME")) ==
              "2024-06-01T00:00:00Z");
        CHECK(std::string(ds->GetMetadataItem("GRENZFUNK_SCENARIO_SHA256")) == p.scenario_sha256);
        CHECK_THAT(ds->GetMetadataItem("GRENZFUNK_INPUT_01"),
                   Catch::Contains("rules.toml") && Catch::Contains(std::string(64, 'b')));
        CHECK_THAT(ds->GetMetadataItem("GRENZFUNK_BORDER_RULE_01"),
                   Catch::Contains("ECC/REC/(11)04 (test)") && Catch::Contains("verified=false"));
        CHECK(std::string(ds->GetRasterBand(1)->GetUnitType()) == "dB");
        const char* layout = ds->GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE");
        CHECK((layout && std::string(layout) == "COG"));
    }
    const std::string report_text = test::read_file(tmp / "a" / "border_report.csv");
    CHECK_THAT(report_text, Catch::Contains("NEAR-1") && Catch::Contains("FAIL") &&
                                Catch::Contains("FARR-1") && Catch::Contains("PASS"));
    const std::string html = test::read_file(tmp / "a" / "border_report.html");
    CHECK_THAT(html, Catch::Contains("ECC/REC/(11)04 (test)") &&
                         Catch::Contains("Limits not verified") &&
                         Catch::Contains("data:image/png;base64,") &&
                         Catch::Contains("no code set: both preferential and non-preferential"));
    const auto json =
        nlohmann::ordered_json::parse(test::read_file(tmp / "a" / "border_report.json"));
    CHECK(json["cells"][0]["code_status"] == "no code set");
    CHECK(json["cells"][0]["both_code_classes"] == true);
    CHECK(json["cells"][0]["checks"][0]["code_class"] == "preferential");
    // Self-contained: no attribute refers to anything but a data: URI (the Chromium check in
    // tools/check_report.py is the full test).
    for (const std::string attr : {" src=\"", " href=\""}) {
        for (std::size_t at = html.find(attr); at != std::string::npos;
             at = html.find(attr, at + 1)) {
            INFO(html.substr(at, 60));
            CHECK(html.compare(at + attr.size(), 5, "data:") == 0);
        }
    }
    CHECK_THAT(html, Catch::Contains("Applicant / operator") && Catch::Contains("Report id") &&
                         Catch::Contains("Site technical table") &&
                         Catch::Contains("@page{size:A4"));
    const std::string pdf = test::read_file(tmp / "a" / "border_report.pdf");
    CHECK(pdf.rfind("%PDF-1.", 0) == 0);
    // The PDF date is the given creation time (PDF 1.7, 7.9.4: D:YYYYMMDDHHmmSSOHH'mm), and
    // there is no /ID to vary.
    CHECK_THAT(pdf, Catch::Contains("/CreationDate (D:20240601000000Z00'00')"));
    CHECK(pdf.find("/ID") == std::string::npos);
    const auto manifest =
        nlohmann::ordered_json::parse(test::read_file(tmp / "a" / "manifest.json"));
    CHECK(manifest["package"] == "grenzfunk cross-border coordination package");
    CHECK(manifest["software"] == "grenzfunk test");
    CHECK(manifest["scenario"] == "synthetic");
    CHECK(manifest["scenario_file"] == "synthetic.toml");
    CHECK(manifest["scenario_sha256"] == std::string(64, 'a'));
    CHECK(manifest["creation_time"] == "2024-06-01T00:00:00Z");
    CHECK(manifest["crs"] == "EPSG:4326");
    CHECK_FALSE(manifest.contains("files"));  // "outputs", as in the run's manifest
    const auto& outputs = manifest["outputs"];
    REQUIRE(outputs.is_array());
    // Every file of the package but the manifest itself (with the two .qml styles).
    REQUIRE(outputs.size() == 14);
    bool map_listed = false;
    for (const auto& entry : outputs) {
        const std::string name = entry["file"];
        INFO(name);
        const std::string bytes = test::read_file(tmp / "a" / name);
        CHECK(entry["bytes"].get<std::uintmax_t>() == bytes.size());
        CHECK(entry["sha256"] == io::sha256_hex(bytes));
        CHECK_FALSE(entry["holds"].get<std::string>().empty());
        map_listed = map_listed || name == "border_map.png";
    }
    CHECK(map_listed);
    REQUIRE(manifest["inputs"].size() == 1);
    CHECK(manifest["inputs"][0]["role"] == "rules");
    CHECK(manifest["inputs"][0]["path"] == "rules.toml");
    CHECK(manifest["inputs"][0]["sha256"] == std::string(64, 'b'));
}

TEST_CASE("border: `grenzfunk run` selects each cell's rules by its PCI and writes station records",
          "[border][codes][cli]") {
    test::TempDir tmp;
    // border_small with a pci column and the shipped codes file (DE PCIs 0-251 preferential).
    std::string sites = test::read_file(test::data_path("sites/hof_rehau_sites.csv"));
    const std::vector<std::string> pcis = {"0", "0", "1", "1", "2", "2", "300", "", "400"};
    // (Built by append: GCC 12 warns falsely, -Wrestrict, on some `"..." + std::string` chains.)
    auto cat = [](std::initializer_list<std::string> parts) {
        std::string out;
        for (const std::string& p : parts) out.append(p);
        return out;
    };
    std::string with_pci;
    std::size_t line = 0, start = 0;
    for (std::size_t end; (end = sites.find('\n', start)) != std::string::npos; start = end + 1) {
        with_pci.append(sites, start, end - start);
        with_pci.append(line == 0 ? std::string(",pci") : cat({",", pcis[line - 1]}));
        with_pci.append("\n");
        ++line;
    }
    REQUIRE(line == 10);
    test::write_file(tmp / "sites.csv", with_pci);
    std::string scenario = test::read_file(test::data_path("scenarios/border_small.toml"));
    const std::string data_dir = test::data_path("");
    const std::string rules_dir = cat({"\"", test::source_path("data/")});
    for (std::size_t at; (at = scenario.find("\"../../../data/")) != std::string::npos;)
        scenario.replace(at, 15, rules_dir);
    const std::string data_prefix = cat({"\"", data_dir, "/"});
    for (std::size_t at; (at = scenario.find("\"../")) != std::string::npos;)
        scenario.replace(at, 4, data_prefix);
    const std::string old_sites = cat({data_dir, "/sites/hof_rehau_sites.csv"});
    scenario.replace(scenario.find(old_sites), old_sites.size(), (tmp / "sites.csv").string());
    const std::string codes_line =
        cat({"codes_file = \"", test::source_path("data/rules/preferential_codes.toml"), "\"\n"});
    scenario.insert(scenario.find("distances_km"), codes_line);
    test::write_file(tmp / "s.toml", scenario);
    const auto r = test::run_cli(
        cat({"run '", (tmp / "s.toml").string(), "' -q -j 1 -o '", (tmp / "out").string(), "'"}));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    // HOF1: 6 cells with preferential PCIs, 1 rule each (LTE 800 or 1800 preferential); REH1-1 and
    // -3 non-preferential (300, 400): 1 each; REH1-2 without a PCI: both, 2 -> 10 checks, not 18.
    CHECK_THAT(r.output, Catch::Contains("9 home cells") && Catch::Contains("10 checks"));
    const std::filesystem::path pkg = tmp / "out" / "regulator_package";
    const auto report = nlohmann::ordered_json::parse(test::read_file(pkg / "border_report.json"));
    REQUIRE(report["cells"].size() == 9);
    CHECK(report["cells"][0]["code"] == "PCI 0");
    CHECK(report["cells"][0]["code_status"] == "preferential");
    REQUIRE(report["cells"][0]["checks"].size() == 1);
    CHECK(report["cells"][0]["checks"][0]["code_class"] == "preferential");
    CHECK(report["cells"][6]["code_status"] == "non-preferential");
    REQUIRE(report["cells"][6]["checks"].size() == 1);
    CHECK(report["cells"][6]["checks"][0]["code_class"] == "non-preferential");
    CHECK(report["cells"][7]["code_status"] == "no code");
    CHECK(report["cells"][7]["both_code_classes"] == true);
    CHECK(report["cells"][7]["checks"].size() == 2);
    // Station records: one 184-column record per home cell; HOF1-L08-2 (third row) as by hand.
    const std::string records = test::read_file(pkg / "station_records.txt");
    REQUIRE(records.size() == 9 * 186);
    const std::string hof2 = records.substr(2 * 186, 184);
    CHECK(hof2.substr(0, 21) == "  806.00000M10M0G7W  ");
    CHECK(hof2.substr(41, 18) == "D  011E554450N1908");
    CHECK(hof2.substr(97, 18) == "GFBDC6D9F04671BE1F");
    CHECK(hof2.substr(127, 5) == "PCI 1");
    const auto manifest = nlohmann::ordered_json::parse(test::read_file(pkg / "manifest.json"));
    bool csv_listed = false, txt_listed = false, codes_input = false;
    for (const auto& e : manifest["outputs"]) {
        csv_listed = csv_listed || e["file"] == "station_records.csv";
        txt_listed = txt_listed || e["file"] == "station_records.txt";
    }
    for (const auto& e : manifest["inputs"])
        codes_input = codes_input || e["role"] == "preferential codes";
    CHECK(csv_listed);
    CHECK(txt_listed);
    CHECK(codes_input);
}

TEST_CASE("border: `grenzfunk run` writes the package with the same bytes twice", "[border][cli]") {
    test::TempDir tmp;
    const std::string scenario = test::data_path("scenarios/border_small.toml");
    const auto a =
        test::run_cli("run '" + scenario + "' -q -j 1 -o '" + (tmp / "a").string() + "'");
    REQUIRE(a.exit_code == 0);
    const auto b = test::run_cli("run '" + scenario + "' -q -j 2 -o '" + (tmp / "b").string() +
                                 "' --creation-time 2024-06-01T00:00:00Z");
    REQUIRE(b.exit_code == 0);
    CHECK_THAT(a.output, Catch::Contains("9 home cells") && Catch::Contains("18 checks"));
    for (const auto& entry : std::filesystem::directory_iterator(tmp / "a" / "regulator_package")) {
        const auto name = entry.path().filename();
        INFO(name);
        CHECK(test::read_file(entry.path()) ==
              test::read_file(tmp / "b" / "regulator_package" / name));
    }
    const auto report = nlohmann::ordered_json::parse(
        test::read_file(tmp / "a" / "regulator_package" / "border_report.json"));
    CHECK(report["scenario"]["name"] == "border_small");
    CHECK(report["creation_time"] == "2024-06-01T00:00:00Z");
    CHECK(report["grid_crs"] == "EPSG:25832");
    CHECK(report["export_crs"] == "EPSG:25833");
    CHECK(report["settings"]["sample_spacing_m"].get<double>() == 200.0);
    CHECK(report["settings"]["max_path_km"].get<double>() == 40.0);
    const auto& summary = report["summary"];
    CHECK(summary["cells"] == 9);
    CHECK(summary["checks"] == 18);
    REQUIRE(report["rules"].is_array());
    bool ecc_rule = false;
    for (const auto& rule : report["rules"]) {
        CHECK(rule["verified"] == false);
        CHECK(rule["band_mhz"].size() == 2);
        CHECK(rule["band_mhz"][0].get<double>() < rule["band_mhz"][1].get<double>());
        ecc_rule = ecc_rule ||
                   rule["source"].get<std::string>().find("ECC/REC/(11)04") != std::string::npos;
    }
    CHECK(ecc_rule);
    // The cells' checks add up to the summary; a FAIL has a positive margin.
    REQUIRE(report["cells"].size() == 9);
    std::size_t checks = 0, failed = 0;
    for (const auto& cell : report["cells"]) {
        INFO(cell["cell_id"]);
        CHECK(cell["lat_deg"].get<double>() == Approx(50.26).margin(0.2));
        CHECK(cell["lon_deg"].get<double>() == Approx(12.1).margin(0.3));
        for (const auto& check : cell["checks"]) {
            ++checks;
            if (check["result"] == "FAIL") {
                ++failed;
                CHECK(check["margin_db"].get<double>() > 0.0);
            }
            CHECK(check["samples_computed"].get<std::size_t>() <=
                  check["samples"].get<std::size_t>());
        }
    }
    CHECK(checks == 18);
    CHECK(summary["failed_checks"] == failed);
    CHECK(summary["result"] == (failed > 0 ? "FAIL" : "PASS"));
    CHECK(report["files"].back() == "manifest.json");
    // border_lines.geojson: the lines in WGS84 and one worst point per failed check.
    const auto lines = nlohmann::ordered_json::parse(
        test::read_file(tmp / "a" / "regulator_package" / "border_lines.geojson"));
    CHECK(lines["type"] == "FeatureCollection");
    std::size_t line_features = 0, worst_points = 0;
    for (const auto& f : lines["features"]) {
        CHECK(f["type"] == "Feature");
        if (f["properties"]["kind"] == "line") {
            ++line_features;
            CHECK(f["geometry"]["type"] == "LineString");
            REQUIRE(f["geometry"]["coordinates"].size() >= 2);
            const auto& first = f["geometry"]["coordinates"][0];
            CHECK(first[0].get<double>() == Approx(12.1).margin(0.5));
            CHECK(first[1].get<double>() == Approx(50.26).margin(0.5));
        } else {
            CHECK(f["properties"]["kind"] == "worst point");
            CHECK(f["geometry"]["type"] == "Point");
            CHECK(f["properties"]["margin_db"].get<double>() > 0.0);
            ++worst_points;
        }
    }
    std::size_t parts = 0;  // border_report.json's lines, one feature per part
    for (const auto& line : report["lines"]) parts += line["parts"].get<std::size_t>();
    CHECK(line_features >= 1);
    CHECK(line_features == parts);
    CHECK(worst_points == summary["failed_checks"].get<std::size_t>());
}
