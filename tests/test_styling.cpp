// GIS styling: QGIS layer styles (.qml), GDAL category side-cars, the gaps layer's style table.
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "io/gdal_init.hpp"
#include "io/geotiff_writer.hpp"
#include "io/raster_style.hpp"
#include "io/xml_writer.hpp"
#include "report/coverage_kmz.hpp"
#include "report/gap_layers.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using namespace grenzfunk;

namespace {

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The attributes of every <tag .../> element, in order (the writer puts one element per line).
std::vector<std::map<std::string, std::string>> elements(const std::string& xml,
                                                         const std::string& tag) {
    std::vector<std::map<std::string, std::string>> out;
    const std::regex element("<" + tag + "((?: [A-Za-z_:]+=\"[^\"]*\")*)/?>");
    const std::regex attribute("([A-Za-z_:]+)=\"([^\"]*)\"");
    for (std::sregex_iterator it(xml.begin(), xml.end(), element), end; it != end; ++it) {
        std::map<std::string, std::string> attrs;
        const std::string text = (*it)[1];
        for (std::sregex_iterator a(text.begin(), text.end(), attribute); a != end; ++a)
            attrs[(*a)[1]] = (*a)[2];
        out.push_back(attrs);
    }
    return out;
}

GridSpec small_grid() {
    GridSpec g;
    g.width = 4;
    g.height = 3;
    g.pixel_size_m = 100.0;
    g.origin_x_m = 700000.0;
    g.origin_y_m = 5560000.0;
    g.crs = "EPSG:25832";
    return g;
}

}  // namespace

TEST_CASE("XML writer escapes markup and forbidden control characters", "[styling]") {
    CHECK(io::xml_escape("a<b & \"c\" 'd'>\x01") ==
          "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt; ");
    io::XmlWriter x;
    x.open("a", {{"k", "x<y"}});
    x.leaf("b", "R&D");
    CHECK(x.finish() ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a k=\"x&lt;y\">\n  <b>R&amp;D</b>\n</a>\n");
}

TEST_CASE("a class raster's QML palette is its legend", "[styling]") {
    const std::vector<io::ByteCategory> legend = {
        {0, "covered", 26, 150, 65},
        {1, "white spot: no network", 215, 25, 28},
        {2, "only the other country's networks", 253, 174, 97}};
    const std::string qml = io::qml_text(io::class_style(legend), "gap class");
    CHECK(qml.find("<rasterrenderer type=\"paletted\" band=\"1\"") != std::string::npos);
    const auto entries = elements(qml, "paletteEntry");
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].at("value") == "0");
    CHECK(entries[0].at("color") == "#1a9641");
    CHECK(entries[1].at("color") == "#d7191c");
    CHECK(entries[2].at("label") == "only the other country&apos;s networks");
    CHECK(entries[2].at("alpha") == "255");
}

TEST_CASE("level styles break at the coverage thresholds", "[styling]") {
    const io::RasterStyle s = io::threshold_style({-100, -120, -110}, "dBm", "RSRP");
    REQUIRE(s.entries.size() == 4);
    CHECK(s.ramp == io::RampType::discrete);
    // QGIS DISCRETE: a value takes the first item whose value is >= it, so the items are the
    // upper ends of the classes: < -120, -120..-110, -110..-100, >= -100.
    CHECK(s.entries[0].value == -120.0);
    CHECK(s.entries[1].value == -110.0);
    CHECK(s.entries[2].value == -100.0);
    CHECK(std::isinf(s.entries[3].value));
    CHECK(s.entries[3].label == ">= -100 dBm");
    const std::string qml = io::qml_text(s, "RSRP");
    CHECK(qml.find("type=\"singlebandpseudocolor\"") != std::string::npos);
    CHECK(qml.find("colorRampType=\"DISCRETE\"") != std::string::npos);
    const auto items = elements(qml, "item");
    REQUIRE(items.size() == 4);
    CHECK(items[0].at("value") == "-120");
    CHECK(items[3].at("value") == "inf");
    CHECK(items[1].at("label") == "-120 to -110 dBm");

    // Automatic styles follow the unit and the description.
    const auto no_range = [] { return std::pair<double, double>(NAN, NAN); };
    CHECK(io::automatic_style("dBm", "best level", {}, no_range).entries.front().value == -120.0);
    CHECK(io::automatic_style("dB", "SINR of ...", {}, no_range).entries.front().value == -5.0);
    CHECK(io::automatic_style("km", "distance", {}, no_range).renderer == io::StyleRenderer::none);
    const io::RasterStyle terrain =
        io::automatic_style("m", "terrain", {}, [] { return std::pair<double, double>(400, 900); });
    CHECK(terrain.ramp == io::RampType::interpolated);
    CHECK(terrain.entries.front().value == 400.0);
    CHECK(terrain.entries.back().value == 900.0);
}

TEST_CASE("class rasters come with a QML style and GDAL category names", "[styling]") {
    test::TempDir dir;
    Raster<std::uint8_t> r(small_grid(), 255);
    for (std::size_t i = 0; i < r.values.size(); ++i) r.values[i] = std::uint8_t(i % 3);
    io::RasterWriteOptions o;
    o.band_description = "gap class";
    o.unit = "class";
    o.categories = {{0, "covered", 26, 150, 65},
                    {1, "white spot", 215, 25, 28},
                    {2, "neighbour only", 253, 174, 97}};
    const fs::path tif = dir.path() / "gap_class.tif";
    {
        io::OutputSet set(std::vector<fs::path>{dir.path()});
        set.add_geotiff(tif, r, o);
        set.commit();
        const auto paths = set.paths();
        REQUIRE(paths.size() == 3);
        CHECK(paths[1].filename() == "gap_class.qml");
        CHECK(paths[2].filename() == "gap_class.tif.aux.xml");
    }
    io::initialise_gdal();
    GDALDataset* ds = GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY);
    REQUIRE(ds != nullptr);
    GDALRasterBand* band = ds->GetRasterBand(1);
    // GDAL 3.6's GeoTIFF driver reads the side-car lazily, on the first call that needs it
    // (description, metadata, colour table...), not on GetCategoryNames(): ask for one first,
    // as gdalinfo does.
    (void)band->GetDescription();
    (void)band->GetColorTable();
    char** names = band->GetCategoryNames();
    REQUIRE(names != nullptr);
    REQUIRE(CSLCount(names) == 3);
    CHECK(std::string(names[1]) == "white spot");
    const GDALColorTable* colours = band->GetColorTable();
    REQUIRE(colours != nullptr);
    // The palette GDAL reports: entries 0 .. the highest class, the legend's colours.
    CHECK(colours->GetColorEntryCount() == 3);
    CHECK(band->GetColorInterpretation() == GCI_PaletteIndex);
    const GDALColorEntry* e = colours->GetColorEntry(2);
    REQUIRE(e != nullptr);
    CHECK(e->c1 == 253);
    CHECK(e->c2 == 174);
    GDALClose(ds);
    const auto entries = elements(read_all(dir.path() / "gap_class.qml"), "paletteEntry");
    REQUIRE(entries.size() == 3);
    CHECK(entries[2].at("label") == "neighbour only");

    // A continuous raster: pseudocolour over its values (terrain ramp from min to max).
    Raster<float> terrain(small_grid(), NAN);
    for (std::size_t i = 0; i < terrain.values.size(); ++i) terrain.values[i] = 500.0f + float(i);
    terrain.values[0] = NAN;
    io::RasterWriteOptions t;
    t.band_description = "terrain elevation";
    t.unit = "m";
    io::write_geotiff(dir.path() / "terrain_m.tif", io::nan_to_nodata(terrain), t);
    const auto items = elements(read_all(dir.path() / "terrain_m.qml"), "item");
    REQUIRE(items.size() == 5);
    CHECK(items.front().at("value") == "501");  // the nodata pixel is not part of the range
    CHECK(items.back().at("value") == "511");
    CHECK_FALSE(fs::exists(dir.path() / "terrain_m.tif.aux.xml"));
}

TEST_CASE("the gaps GeoPackage carries its QGIS default style", "[styling]") {
    // QGIS's style table: one row for the gaps layer, default, QML naming the three statuses.
    const std::string qml = report::gap_style_qml();
    const auto categories = elements(qml, "category");
    REQUIRE(categories.size() == 3);
    CHECK(categories[0].at("value") == "white_spot");
    CHECK(categories[1].at("value") == "neighbour_only");
    CHECK(categories[2].at("value") == "partly_neighbour");
    CHECK(qml.find("<renderer-v2 type=\"categorizedSymbol\" attr=\"status\"") != std::string::npos);
    const std::string sld = report::gap_style_sld();
    CHECK(sld.find("<ogc:Literal>partly_neighbour</ogc:Literal>") != std::string::npos);
}

TEST_CASE("sector wedges use the beamwidth in the pattern name", "[styling]") {
    // 3gpp-65: the TR 38.901 Table 7.3-1 element, 65 deg half-power beamwidth.
    CHECK(report::sector_beamwidth_deg("3gpp-65") == 65.0);
    CHECK(report::sector_beamwidth_deg("omni") == 360.0);
    CHECK(report::sector_beamwidth_deg("") == 360.0);
    CHECK(report::sector_beamwidth_deg("kathrein-80010") == 65.0);  // no plausible width: default
    CHECK(report::sector_beamwidth_deg("panel-90") == 90.0);
}
