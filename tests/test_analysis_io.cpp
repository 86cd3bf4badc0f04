// The analysis' vector I/O and its end-to-end wiring: admin polygons rasterised by the
// pixel-centre rule, border segments without the clip-box edges, gap polygons whose area equals
// the pixel count times the pixel area (read back from the GeoPackage and GeoJSON), [analysis]
// scenario errors, and a small `grenzfunk run` with the analysis whose statistics add up.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysis/coverage_analysis.hpp"
#include "core/error.hpp"
#include "io/border_admin.hpp"
#include "io/scenario.hpp"
#include "io/vector_io.hpp"
#include "report/gap_layers.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

namespace {

GridSpec utm_grid() {
    GridSpec g;
    g.crs = "EPSG:25832";
    g.pixel_size_m = 100.0;
    g.width = 20;
    g.height = 10;
    g.origin_x_m = 700000.0;
    g.origin_y_m = 5570000.0;
    return g;
}

// A GeoJSON FeatureCollection in EPSG:25832 with one polygon per entry (rings as x,y lists).
std::string geojson_25832(const std::vector<std::pair<std::string, std::string>>& features) {
    std::ostringstream s;
    s << "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
         "{\"name\": \"urn:ogc:def:crs:EPSG::25832\"}}, \"features\": [";
    for (std::size_t i = 0; i < features.size(); ++i)
        s << (i ? "," : "") << "{\"type\": \"Feature\", \"properties\": {\"GEN\": \""
          << features[i].first << "\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": ["
          << features[i].second << "]}}";
    s << "]}";
    return s.str();
}

}  // namespace

TEST_CASE("analysis io: polygons rasterised by pixel centre, names by attribute",
          "[analysis][io]") {
    TempDir tmp;
    const GridSpec g = utm_grid();
    // West: x 700000..700500 (pixels 0..4), all rows; east: x 700500..701230 (pixels 5..11,
    // pixel 12's centre at 701250 lies outside), rows 0..4 (y 5569500..5570000).
    write_file(tmp / "regions.geojson",
               geojson_25832({{"West",
                               "[[700000,5569000],[700500,5569000],[700500,5570000],"
                               "[700000,5570000],[700000,5569000]]"},
                              {"East",
                               "[[700500,5569500],[701230,5569500],[701230,5570000],"
                               "[700500,5570000],[700500,5569500]]"}}));
    const io::RegionRaster r =
        io::rasterise_regions((tmp / "regions.geojson").string(), "GEN", g, "test");
    REQUIRE(r.names == std::vector<std::string>{"West", "East"});
    std::map<std::int32_t, int> count;
    for (auto v : r.index.values) ++count[v];
    CHECK(count[0] == 5 * 10);
    CHECK(count[1] == 7 * 5);
    CHECK(count[-1] == 200 - 50 - 35);
    CHECK(r.index.at(11, 4) == 1);
    CHECK(r.index.at(12, 4) == -1);
    CHECK(r.index.at(5, 5) == -1);
    CHECK_THROWS_WITH(io::rasterise_regions((tmp / "regions.geojson").string(), "NAME", g, "t:3"),
                      Catch::Contains("t:3:") && Catch::Contains("no attribute 'NAME'"));
    CHECK_THROWS_AS(io::rasterise_regions((tmp / "missing.geojson").string(), "", g, "t"),
                    InputError);
}

TEST_CASE("analysis io: border segments leave out the clip-box edges", "[analysis][io]") {
    TempDir tmp;
    const GridSpec g = utm_grid();
    // A box-clipped country: west, north and south edges on the extent, a zigzag border east.
    write_file(tmp / "country.geojson",
               geojson_25832({{"DE",
                               "[[700000,5569000],[700800,5569000],[700600,5569500],"
                               "[700900,5570000],[700000,5570000],[700000,5569000]]"}}));
    const auto segments = io::border_segments((tmp / "country.geojson").string(), g, "test");
    // Kept: (700800,5569000)-(700600,5569500) and (700600,5569500)-(700900,5570000); the south
    // edge lies on the extent's minimum y, the north edge on its maximum, the west edge on its
    // minimum x.
    REQUIRE(segments.size() == 2);
    CHECK(segments[0].x0_m == Approx(700800.0));
    CHECK(segments[0].y1_m == Approx(5569500.0));
    CHECK(segments[1].x1_m == Approx(700900.0));
}

TEST_CASE("admin polygons: both readers share the clip box and name the file in errors",
          "[analysis][io][admin]") {
    TempDir tmp;
    const GridSpec g = utm_grid();
    const std::string country = (tmp / "country.geojson").string();
    // A box-clipped country: south, north and west edges lie on the layer's extent, the two
    // edges in the east are the border with its neighbour (whose feature the filter leaves out);
    // DE's own easternmost edge, x = 700900, is no clip edge: the clip box is the whole layer's.
    write_file(country, geojson_25832({{"DE",
                                        "[[700000,5569000],[700800,5569000],[700900,5569500],"
                                        "[700900,5570000],[700000,5570000],[700000,5569000]]"},
                                       {"CZ",
                                        "[[700800,5569000],[701000,5569000],[701000,5570000],"
                                        "[700900,5570000],[700900,5569500],[700800,5569000]]"}}));
    const io::HomeOutline home = io::read_home_outline(country, "GEN = 'DE'", "EPSG:25832", "t:1");
    CHECK(home.features == 1);
    REQUIRE(home.polygons.size() == 1);
    REQUIRE(home.polygons[0].rings.size() == 1);
    const OutlineRing& ring = home.polygons[0].rings[0];
    REQUIRE(ring.edge_is_artificial.size() + 1 == ring.points.size());
    // Same CRS: the vertices come back unchanged; an edge is a border edge iff it is not on the
    // extent of the whole layer (both features, before the filter: x 700000..701000).
    for (std::size_t i = 0; i + 1 < ring.points.size(); ++i) {
        const XY a = ring.points[i], b = ring.points[i + 1];
        const bool on_extent = (a.y_m == 5569000.0 && b.y_m == 5569000.0) ||
                               (a.y_m == 5570000.0 && b.y_m == 5570000.0) ||
                               (a.x_m == 700000.0 && b.x_m == 700000.0);
        CHECK(ring.edge_is_artificial[i] == (on_extent ? 1 : 0));
    }
    CHECK(std::count(ring.edge_is_artificial.begin(), ring.edge_is_artificial.end(), 0) == 2);

    CHECK_THROWS_WITH(io::read_home_outline(country, "GEN = 'PL'", "EPSG:25832", "t:1"),
                      Catch::Contains("t:1: border.home_file: " + country + ": no polygon") &&
                          Catch::Contains("matches 'GEN = 'PL''"));
    const std::string missing = (tmp / "missing.geojson").string();
    auto one_line_naming_the_file = [&](const std::string& message) {
        CHECK_THAT(message, Catch::Contains(missing + ": cannot open as vector data"));
        CHECK(message.find('\n') == std::string::npos);
    };
    try {
        io::read_home_outline(missing, "", "EPSG:25832", "t:2");
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("t:2: border.home_file: "));
        one_line_naming_the_file(e.what());
    }
    for (int reader = 0; reader < 2; ++reader) {
        try {
            if (reader == 0)
                io::rasterise_regions(missing, "", g, "t:3");
            else
                io::border_segments(missing, g, "t:3");
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK_THAT(e.what(), Catch::StartsWith("t:3: "));
            one_line_naming_the_file(e.what());
        }
    }
}

TEST_CASE("analysis io: gap polygon area equals pixel count x pixel area", "[analysis][io]") {
    const GridSpec base = utm_grid();
    analysis::GapResult gaps;
    gaps.labels = Raster<std::int32_t>(base, 0);
    gaps.gap_class = Raster<std::uint8_t>(base, 255);
    // Gap 1: a 5x4 ring with a 1-pixel hole (19 pixels); gap 2: an L of 3 pixels.
    for (int row = 1; row <= 4; ++row)
        for (int col = 2; col <= 6; ++col)
            if (!(row == 2 && col == 4)) gaps.labels.at(col, row) = 1;
    gaps.labels.at(10, 7) = 2;
    gaps.labels.at(11, 7) = 2;
    gaps.labels.at(11, 8) = 2;
    analysis::Gap a;
    a.id = 1;
    a.pixel_count = 19;
    a.area_km2 = 19 * 0.01;
    a.white_spot_pixels = 19;
    a.best_level_dbm = -130.5f;
    a.best_own_level_dbm = a.best_neighbour_level_dbm = std::nanf("");
    a.min_border_distance_km = 1.5f;
    a.nearest_site_id = "HOF1";
    a.nearest_site_distance_km = 2.25;
    a.region = 0;
    a.centroid_x_m = 700450.0;
    a.centroid_y_m = 5569750.0;
    analysis::Gap b = a;
    b.id = 2;
    b.pixel_count = 3;
    b.area_km2 = 0.03;
    b.white_spot_pixels = 0;
    b.neighbour_only_pixels = 3;
    gaps.gaps = {a, b};

    TempDir tmp;
    const report::GapFiles files =
        report::gap_polygon_files(gaps, {"Bayern"}, {"Germany", "Czechia"});
    write_file(tmp / "gaps.gpkg", files.gpkg);
    write_file(tmp / "gaps.geojson", files.geojson);
    GDALAllRegister();
    {
        std::unique_ptr<GDALDataset> ds(
            GDALDataset::Open((tmp / "gaps.gpkg").string().c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        OGRLayer* layer = ds->GetLayerByName("gaps");
        REQUIRE(layer);
        CHECK(layer->GetFeatureCount() == 2);
        CHECK(std::string(layer->GetSpatialRef()->GetAuthorityCode(nullptr)) == "25832");
        for (auto& f : *layer) {
            const int id = f->GetFieldAsInteger("gap_id");
            INFO("gap " << id);
            const double area_m2 = f->GetGeometryRef()->toMultiPolygon()->get_Area();
            const double pixels = id == 1 ? 19 : 3;
            CHECK(area_m2 == Approx(pixels * 100.0 * 100.0).epsilon(1e-12));
            CHECK(f->GetFieldAsDouble("area_km2") == Approx(pixels * 0.01));
            CHECK(std::string(f->GetFieldAsString("status")) ==
                  (id == 1 ? "white_spot" : "neighbour_only"));
            CHECK(std::string(f->GetFieldAsString("region")) == "Bayern");
            CHECK(f->IsFieldNull(f->GetFieldIndex("best_own_level_dbm")));
            CHECK(f->GetFieldAsDouble("best_level_dbm") == Approx(-130.5));
            CHECK(std::string(f->GetFieldAsString("nearest_site_id")) == "HOF1");
            if (id == 1) {  // the hole is kept
                const OGRPolygon* p = f->GetGeometryRef()->toMultiPolygon()->getGeometryRef(0);
                CHECK(p->getNumInteriorRings() == 1);
            }
        }
    }
    {
        std::unique_ptr<GDALDataset> ds(
            GDALDataset::Open((tmp / "gaps.geojson").string().c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        OGRLayer* layer = ds->GetLayer(0);
        CHECK(layer->GetFeatureCount() == 2);
        OGREnvelope e;
        REQUIRE(layer->GetExtent(&e) == OGRERR_NONE);
        // EPSG:25832 x 700 km, y 5570 km is near 11.8 E, 50.2 N.
        CHECK(e.MinX > 11.0);
        CHECK(e.MaxX < 13.0);
        CHECK(e.MinY > 49.5);
        CHECK(e.MaxY < 51.0);
    }
    // Identical inputs give identical files.
    const report::GapFiles again =
        report::gap_polygon_files(gaps, {"Bayern"}, {"Germany", "Czechia"});
    CHECK(again.gpkg == files.gpkg);
    CHECK(again.geojson == files.geojson);

    // A point layer next to the gaps (grid CRS), with a null for NaN and a style row; the
    // GeoJSON is unchanged, the GeoPackage the same bytes on a second call.
    using K = report::PointFieldKind;
    report::PointLayer points;
    points.name = "proposed_sites";
    points.style_name = "proposed sites";
    points.fields = {{"rank", K::integer}, {"site_id", K::text}, {"gain_km2", K::real}};
    points.features = {{700150.0, 5569950.0, {std::int64_t(1), std::string("PLAN001"), 0.19}},
                       {700850.0, 5569150.0, {std::int64_t(2), std::string("PLAN002"), NAN}}};
    const report::GapFiles with_points =
        report::gap_polygon_files(gaps, {"Bayern"}, {"Germany", "Czechia"}, {points});
    CHECK(with_points.geojson == files.geojson);
    CHECK(report::gap_polygon_files(gaps, {"Bayern"}, {"Germany", "Czechia"}, {points}).gpkg ==
          with_points.gpkg);
    write_file(tmp / "with_points.gpkg", with_points.gpkg);
    {
        std::unique_ptr<GDALDataset> ds(
            GDALDataset::Open((tmp / "with_points.gpkg").string().c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        REQUIRE(ds->GetLayerByName("gaps"));
        CHECK(ds->GetLayerByName("gaps")->GetFeatureCount() == 2);
        OGRLayer* layer = ds->GetLayerByName("proposed_sites");
        REQUIRE(layer);
        CHECK(std::string(layer->GetSpatialRef()->GetAuthorityCode(nullptr)) == "25832");
        REQUIRE(layer->GetFeatureCount() == 2);
        std::unique_ptr<OGRFeature> f(layer->GetNextFeature());
        CHECK(f->GetFieldAsInteger64("rank") == 1);
        CHECK(std::string(f->GetFieldAsString("site_id")) == "PLAN001");
        CHECK(f->GetFieldAsDouble("gain_km2") == 0.19);
        CHECK(f->GetGeometryRef()->toPoint()->getX() == 700150.0);
        CHECK(f->GetGeometryRef()->toPoint()->getY() == 5569950.0);
        f.reset(layer->GetNextFeature());
        CHECK(f->GetFieldAsInteger64("rank") == 2);
        CHECK(f->IsFieldNull(f->GetFieldIndex("gain_km2")));
        OGRLayer* styles = ds->GetLayerByName("layer_styles");
        REQUIRE(styles);
        CHECK(styles->GetFeatureCount() == 2);
    }
    // A value of the wrong type is an error, not a silent zero.
    points.features[0].values[0] = 1.0;
    CHECK_THROWS_AS(report::gap_polygon_files(gaps, {"Bayern"}, {"Germany", "Czechia"}, {points}),
                    OutputError);
}

TEST_CASE("analysis io: [analysis] keys, defaults and errors", "[analysis][io][scenario]") {
    TempDir tmp;
    const fs::path p = tmp / "s.toml";
    const std::string head = "[terrain]\nfiles = [\"dem.tif\"]\n[[sites]]\nfile = \"sites.csv\"\n";
    write_file(p, head);
    CHECK_FALSE(io::read_scenario(p.string()).analysis.enabled);
    write_file(
        p, head + "[analysis]\nenvironment = \"urban\"\ncountry_outline_file = \"de.geojson\"\n");
    {
        const io::Scenario s = io::read_scenario(p.string());
        CHECK(s.analysis.enabled);
        CHECK(s.analysis.options.location_sigma_db == 8.0);
        CHECK(s.analysis.options.location_probability_pct == 95.0);
        CHECK(s.analysis.options.effective_gap_class() == 3);
        CHECK(s.analysis.country_outline_file == (tmp / "de.geojson").string());
        CHECK(s.analysis.gap_border_distance_km == 15.0);
        // docs/scenario.md: ACIR 1 / (10^-4.5 + 10^-3.3) -> 32.73 dB (TS 36.104, TS 36.101).
        CHECK(s.analysis.options.acir_db == Approx(32.73).margin(0.005));
    }
    write_file(p, head + "[analysis]\nacir_db = 45\n");
    CHECK(io::read_scenario(p.string()).analysis.options.acir_db == 45.0);
    auto error_of = [&](const std::string& body) {
        write_file(p, head + "[analysis]\n" + body);
        try {
            io::read_scenario(p.string());
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string f = p.string();
    CHECK(error_of("noise_figur_db = 7\n").find(f + ":6: analysis.noise_figur_db: unknown key") !=
          std::string::npos);
    CHECK(error_of("location_probability_pct = 100\n")
              .find(f + ":6: analysis.location_probability_pct: 100 is out of range") !=
          std::string::npos);
    CHECK(error_of("environment = \"forest\"\n").find("'forest' is not an environment") !=
          std::string::npos);
    CHECK(error_of("[analysis.thresholds_dbm]\nlte = [-110, -100, -120]\n")
              .find(f + ":7: analysis.thresholds_dbm.lte: thresholds must decrease") !=
          std::string::npos);
    CHECK(error_of("[analysis.thresholds_dbm]\nlte = [-100, -110]\n")
              .find("every technology needs the same number of thresholds") != std::string::npos);
    CHECK(error_of("gap_class = 4\n").find("analysis.gap_class: 4 is out of range [0, 3]") !=
          std::string::npos);
    CHECK(error_of("overlap_count_cap = 2.5\n").find("expected a whole number") !=
          std::string::npos);
    CHECK(error_of("acir_db = -1\n").find(f + ":6: analysis.acir_db: -1 is out of range") !=
          std::string::npos);
    CHECK(error_of("distance_bands_km = [5, 5]\n").find("band edges must increase") !=
          std::string::npos);
}

TEST_CASE("analysis io: grenzfunk run with [analysis] writes consistent statistics",
          "[analysis][io][cli]") {
    TempDir tmp;
    const std::string scenario = data_path("scenarios/small_analysis.toml");
    const auto a = run_cli("run '" + scenario + "' -q -j 1 -o '" + (tmp / "a").string() + "'");
    INFO(a.output);
    REQUIRE(a.exit_code == 0);
    const auto manifest = nlohmann::ordered_json::parse(read_file(tmp / "a/manifest.json"));
    std::map<std::string, std::uintmax_t> listed;  // file -> bytes
    for (const auto& entry : manifest["outputs"])
        if (entry.contains("bytes"))
            listed[entry["file"].get<std::string>()] = entry["bytes"].get<std::uintmax_t>();
    for (const char* file :
         {"statistics.csv", "statistics.json", "gaps.gpkg", "gaps.geojson", "gap_class.tif",
          "coverage_class_lte.tif", "sinr_db_lte_806mhz_10mhz.tif", "rsrp_best_dbm.tif",
          "overlap_count_lte.tif", "location_probability_pct.tif"}) {
        INFO(file);
        REQUIRE(listed.count(file) == 1);
        CHECK(listed[file] == fs::file_size(tmp / "a" / file));
    }
    // statistics.json holds the zones of statistics.csv, the total first.
    const auto statistics = nlohmann::ordered_json::parse(read_file(tmp / "a/statistics.json"));
    REQUIRE(statistics["zones"].size() >= 1);
    CHECK(statistics["zones"][0]["kind"] == "total");
    CHECK(statistics["pixel_area_km2"].get<double>() > 0.0);
    // Regions and countries each add up to the total area, covered area and gap area.
    std::istringstream csv(read_file(tmp / "a/statistics.csv"));
    std::string header, line;
    std::getline(csv, header);
    std::vector<std::string> columns;
    {
        std::stringstream ss(header);
        for (std::string c; std::getline(ss, c, ',');) columns.push_back(c);
    }
    auto column = [&](const std::string& name) {
        const auto it = std::find(columns.begin(), columns.end(), name);
        REQUIRE(it != columns.end());
        return std::size_t(it - columns.begin());
    };
    const std::size_t area = column("area_km2"), covered = column("covered_km2"),
                      gap = column("gap_km2");
    std::map<std::string, std::array<double, 3>> sums;
    std::array<double, 3> total{};
    std::set<std::string> names;
    while (std::getline(csv, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string item; std::getline(ss, item, ',');) f.push_back(item);
        const std::array<double, 3> v = {std::stod(f[area]), std::stod(f[covered]),
                                         std::stod(f[gap])};
        names.insert(f[1]);
        if (f[0] == "total") total = v;
        for (int k = 0; k < 3; ++k) sums[f[0]][k] += v[k];
    }
    CHECK(total[0] > 0.0);
    CHECK(total[2] > 0.0);
    for (const char* kind : {"country", "region", "distance_band"})
        for (int k = 0; k < 3; ++k) {
            INFO(kind << " " << k);
            CHECK(sums[kind][k] == Approx(total[k]).margin(1e-4));
        }
    CHECK(names.count("Bayern"));
    CHECK(names.count("Czechia"));
    CHECK(names.count("Germany 0.0-5.0 km"));

    // Same bytes with two threads.
    const auto b = run_cli("run '" + scenario + "' -q -j 2 -o '" + (tmp / "b").string() + "'");
    REQUIRE(b.exit_code == 0);
    for (const char* file : {"statistics.csv", "gap_class.tif", "sinr_db_lte_806mhz_10mhz.tif",
                             "overlap_count_lte.tif", "gaps.gpkg", "gaps.geojson"}) {
        INFO(file);
        CHECK(read_file(tmp / "a" / file) == read_file(tmp / "b" / file));
    }
}
