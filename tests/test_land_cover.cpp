// Land cover (docs/land_cover.md): the ITU-R P.2108-1 §3.1 terminal correction, the class
// tables, the majority resampling of a class raster onto the grid, the per-class clutter loss on
// both engines and the per-class location sigma in the coverage classes.
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "analysis/coverage_analysis.hpp"
#include "analysis/radio.hpp"
#include "core/error.hpp"
#include "core/parameters.hpp"
#include "engine/coverage.hpp"
#include "io/crs.hpp"
#include "io/land_cover_reader.hpp"
#include "io/land_cover_table.hpp"
#include "io/scenario.hpp"
#include "pipeline/land_cover_stage.hpp"
#include "propagation/p2108_terminal.hpp"
#include "propagation/registry.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

namespace {

// Hand values of P.2108-1 eqs. (2a)-(2g) at h = 1.5 m, ws = 27 m (worked from the equations,
// not from this code): 0.9 GHz, urban R = 15 m:
//   h_dif = 13.5 m, theta_clut = atan(0.5) = 26.565051 deg, K_nu = 0.342 sqrt(0.9) = 0.324450,
//   nu = 0.324450 sqrt(13.5 x 26.565051) = 6.144260,
//   J(nu) = 6.9 + 20 log10(sqrt(6.044260^2 + 1) + 6.044260) = 28.606300, Ah = 22.576300 dB.
constexpr double kUrban900MhzDb = 22.576300;

}  // namespace

TEST_CASE("land cover: P.2108-1 §3.1 terminal correction against hand values",
          "[land_cover][propagation]") {
    using propagation::p2108_terminal_clutter_loss_db;
    CHECK(p2108_terminal_clutter_loss_db(0.9, 1.5, ClutterType::urban, 15.0, 27.0) ==
          Approx(kUrban900MhzDb).margin(1e-6));
    // (2b), open/rural 0.9 GHz, R = 10 m: K_h2 = 21.8 + 6.2 log10(0.9) = 21.516302,
    // Ah = -21.516302 log10(0.15) = 17.727471 dB.
    CHECK(p2108_terminal_clutter_loss_db(0.9, 1.5, ClutterType::open_rural, 10.0, 27.0) ==
          Approx(17.727471).margin(1e-6));
    // (2a), dense urban 0.8 GHz, R = 20 m: h_dif = 18.5, theta = 34.416 deg ... 24.565547 dB.
    CHECK(p2108_terminal_clutter_loss_db(0.8, 1.5, ClutterType::dense_urban, 20.0, 27.0) ==
          Approx(24.565547).margin(1e-6));
    // (2a) suburban 1.8 GHz R = 10 m: 21.756534 dB; (2b) water 2.6 GHz R = 10 m: 20.080992 dB;
    // urban with a narrower street (ws = 20 m): 23.654188 dB.
    CHECK(p2108_terminal_clutter_loss_db(1.8, 1.5, ClutterType::suburban, 10.0, 27.0) ==
          Approx(21.756534).margin(1e-6));
    CHECK(p2108_terminal_clutter_loss_db(2.6, 1.5, ClutterType::water_sea, 10.0, 27.0) ==
          Approx(20.080992).margin(1e-6));
    CHECK(p2108_terminal_clutter_loss_db(0.9, 1.5, ClutterType::trees_forest, 15.0, 20.0) ==
          Approx(23.654188).margin(1e-6));
    // h >= R: no loss.
    CHECK(p2108_terminal_clutter_loss_db(0.9, 15.0, ClutterType::urban, 15.0, 27.0) == 0.0);
    CHECK(p2108_terminal_clutter_loss_db(0.9, 30.0, ClutterType::open_rural, 10.0, 27.0) == 0.0);
    // Outside the validity: NaN; the set-up check throws.
    CHECK(std::isnan(p2108_terminal_clutter_loss_db(0.02, 2.0, ClutterType::suburban, 10, 27)));
    CHECK(std::isnan(p2108_terminal_clutter_loss_db(4.0, 2.0, ClutterType::suburban, 10, 27)));
    CHECK(std::isnan(p2108_terminal_clutter_loss_db(1.0, 0.0, ClutterType::open_rural, 9, 10)));
    CHECK_THROWS_WITH(
        propagation::require_p2108_terminal_inputs(3.6, 1.5, 10, 27, "cell x"),
        Catch::Contains("cell x: frequency 3600 MHz is outside") && Catch::Contains("30-3000 MHz"));
}

TEST_CASE("land cover: P.2108-1 §3.1 against the U.S. reference implementation's test data",
          "[land_cover][propagation]") {
    // NTIA/p2108 tests/data/HeightGainTerminalCorrectionModelTestData.csv (commit 90470b6):
    // f (GHz), h, ws, R (m), clutter type (1 water/sea .. 6 dense urban), Ah (dB, rounded to
    // 0.1 dB: tolerance 0.05 dB).
    struct Row {
        double f, h, ws, r;
        ClutterType type;
        double ah_db;
    };
    const Row rows[] = {
        {1.5, 2, 27, 10, ClutterType::water_sea, 16.0},
        {1.5, 2, 27, 6, ClutterType::water_sea, 10.9},
        {1.5, 2, 27, 10, ClutterType::open_rural, 16.0},
        {1.5, 2, 27, 6, ClutterType::open_rural, 10.9},
        {1.5, 2, 27, 10, ClutterType::suburban, 20.5},
        {1.5, 2, 27, 6, ClutterType::suburban, 14.6},
        {1.5, 2, 27, 15, ClutterType::urban, 24.5},
        {1.5, 2, 27, 6, ClutterType::urban, 14.6},
        {1.5, 2, 27, 15, ClutterType::trees_forest, 24.5},
        {1.5, 2, 27, 6, ClutterType::trees_forest, 14.6},
        {1.5, 2, 27, 20, ClutterType::dense_urban, 27.1},
        {1.5, 2, 27, 6, ClutterType::dense_urban, 14.6},
        {3, 3, 15, 15, ClutterType::dense_urban, 29.0},
        {0.9, 2.3, 30, 10, ClutterType::open_rural, 13.7},
        {1.5, 2.5, 25, 10, ClutterType::suburban, 20.2},
        {0.03, 2.1, 24.5, 9.8, ClutterType::suburban, 5.7},
        {1.7, 30, 24.5, 9.8, ClutterType::suburban, 0.0},
        {1.7, 30, 24.5, 30, ClutterType::suburban, 0.0},
    };
    for (const Row& r : rows) {
        INFO("f " << r.f << " h " << r.h << " ws " << r.ws << " R " << r.r);
        CHECK(propagation::p2108_terminal_clutter_loss_db(r.f, r.h, r.type, r.r, r.ws) ==
              Approx(r.ah_db).margin(0.05 + 1e-9));
    }
}

TEST_CASE("land cover: the built-in class tables", "[land_cover][io]") {
    const LandCoverTable clc = io::read_land_cover_table("corine", io::LandCoverCodeKind::index);
    REQUIRE(clc.classes.size() == 44);
    CHECK(clc.source == "built-in:corine");
    // The CLC raster's index: 1 = 111 Continuous urban fabric ... 44 = 523 Sea and ocean.
    CHECK(clc.classes.front().code == 1);
    CHECK(clc.classes.front().name == "Continuous urban fabric");
    CHECK(clc.classes.front().clutter == ClutterType::dense_urban);
    CHECK(clc.classes.front().clutter_height_m == 20.0);  // P.2108-1 Table 3
    CHECK(clc.classes.front().street_width_m == 27.0);
    CHECK(clc.classes.back().code == 44);
    CHECK(clc.classes.back().name == "Sea and ocean");
    CHECK(clc.classes.back().clutter == ClutterType::water_sea);
    CHECK(clc.index_of(23) >= 0);
    CHECK(clc.classes[std::size_t(clc.index_of(23))].name == "Broad-leaved forest");
    CHECK(clc.classes[std::size_t(clc.index_of(23))].clutter_height_m == 15.0);
    CHECK(clc.nodata_codes == std::vector<int>{48, 49, 50, -128, 128});
    CHECK(clc.attribution.find("Copernicus Land Monitoring Service") != std::string::npos);
    CHECK(clc.attribution.find("European Environment Agency (EEA)") != std::string::npos);
    // The same table by the vector product's three-digit codes.
    const LandCoverTable codes =
        io::read_land_cover_table("corine", io::LandCoverCodeKind::clc_code);
    CHECK(codes.classes.front().code == 111);
    CHECK(codes.classes.back().code == 523);
    CHECK(codes.index_of(311) == clc.index_of(23));
    CHECK(codes.nodata_codes == std::vector<int>{999, 990, 995, -128, 128});

    const LandCoverTable esa =
        io::read_land_cover_table("esa-worldcover", io::LandCoverCodeKind::index);
    REQUIRE(esa.classes.size() == 11);
    const int built = esa.index_of(50);
    REQUIRE(built >= 0);
    CHECK(esa.classes[std::size_t(built)].name == "Built-up");
    CHECK(esa.classes[std::size_t(built)].clutter == ClutterType::urban);
    CHECK(esa.classes[std::size_t(esa.index_of(80))].clutter == ClutterType::water_sea);
    CHECK(esa.classes[std::size_t(esa.index_of(100))].name == "Moss and lichen");
    CHECK(esa.nodata_codes == std::vector<int>{0});
    CHECK(esa.attribution.find("ESA WorldCover project 2021") != std::string::npos);
    CHECK(esa.attribution.find("processed by ESA WorldCover consortium") != std::string::npos);
    // ESA has no CORINE codes.
    CHECK_THROWS_WITH(io::read_land_cover_table("esa-worldcover", io::LandCoverCodeKind::clc_code),
                      Catch::Contains("class.clc_code: required with land_cover.code_kind"));
}

TEST_CASE("land cover: a class table file and its errors", "[land_cover][io]") {
    TempDir tmp;
    const fs::path p = tmp / "classes.toml";
    write_file(p,
               "name = \"mine\"\nattribution = \"me\"\n[[class]]\ncode = 7\nname = \"town\"\n"
               "clutter = \"suburban\"\nclutter_height_m = 8\nstreet_width_m = 15\n"
               "location_sigma_db = 7\n");
    const LandCoverTable t = io::read_land_cover_table(p.string(), io::LandCoverCodeKind::index);
    REQUIRE(t.classes.size() == 1);
    CHECK(t.classes[0].clutter_height_m == 8.0);
    CHECK(t.classes[0].street_width_m == 15.0);
    CHECK(t.classes[0].location_sigma_db == 7.0);
    CHECK(t.nodata_codes.empty());
    write_file(p,
               "nodata_codes = [255, 7]\n[[class]]\ncode = 7\nname = \"x\"\n"
               "clutter = \"urban\"\nlocation_sigma_db = 7\n");
    CHECK_THROWS_WITH(io::read_land_cover_table(p.string(), io::LandCoverCodeKind::index),
                      Catch::Contains("classes.toml:1: nodata_codes: code 7 is also a [[class]]"));
    write_file(p,
               "[[class]]\ncode = 7\nname = \"x\"\nclutter = \"jungle\"\nlocation_sigma_db = 7\n");
    CHECK_THROWS_WITH(io::read_land_cover_table(p.string(), io::LandCoverCodeKind::index),
                      Catch::Contains("classes.toml:4: class.clutter: 'jungle' is not a P.2108"));
    write_file(p,
               "[[class]]\ncode = 7\nname = \"x\"\nclutter = \"urban\"\nlocation_sigma_db = 7\n"
               "[[class]]\ncode = 7\nname = \"y\"\nclutter = \"urban\"\nlocation_sigma_db = 7\n");
    CHECK_THROWS_WITH(io::read_land_cover_table(p.string(), io::LandCoverCodeKind::index),
                      Catch::Contains("classes.toml:7: class.code: code 7 appears twice"));
    CHECK_THROWS_WITH(
        io::read_land_cover_table((tmp / "none.toml").string(), io::LandCoverCodeKind::index),
        Catch::Contains("none.toml: land-cover class table does not exist"));
}

namespace {

// A Byte GeoTIFF in EPSG:25832, 20 m pixels, north-west corner (500000, 5600000), from rows of
// codes; `nodata` >= 0 is declared as the band's nodata value.
void write_classes(const fs::path& path, const std::vector<std::vector<int>>& codes,
                   int nodata = -1) {
    GDALAllRegister();
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    REQUIRE(gtiff);
    const int h = int(codes.size()), w = int(codes[0].size());
    GDALDataset* ds = gtiff->Create(path.string().c_str(), w, h, 1, GDT_Byte, nullptr);
    REQUIRE(ds);
    double gt[6] = {500000.0, 20.0, 0.0, 5600000.0, 0.0, -20.0};
    ds->SetGeoTransform(gt);
    ds->SetProjection(io::projected_crs_wkt("EPSG:25832", "test").c_str());
    std::vector<std::uint8_t> row(static_cast<std::size_t>(w));
    for (int r = 0; r < h; ++r) {
        for (int c = 0; c < w; ++c)
            row[std::size_t(c)] = std::uint8_t(codes[std::size_t(r)][std::size_t(c)]);
        REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, r, w, 1, row.data(), w, 1, GDT_Byte, 0,
                                               0, nullptr) == CE_None);
    }
    if (nodata >= 0) ds->GetRasterBand(1)->SetNoDataValue(nodata);
    GDALClose(GDALDataset::ToHandle(ds));
}

GridSpec grid_60m(int width, int height) {
    GridSpec g;
    g.crs = "EPSG:25832";
    g.crs_wkt = io::projected_crs_wkt(g.crs, "test");
    g.pixel_size_m = 60.0;
    g.origin_x_m = 500000.0;
    g.origin_y_m = 5600000.0;
    g.width = width;
    g.height = height;
    return g;
}

// 20 x 20 source pixels of ESA WorldCover codes, grass (30) where not set; 3 x 3 blocks that
// fall on the 60 m grid pixels (col, row) of the first row of the grid.
std::vector<std::vector<int>> sample_codes() {
    std::vector<std::vector<int>> z(20, std::vector<int>(20, 30));
    auto block = [&](int grid_col, int grid_row, const int(&b)[3][3]) {
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c)
                z[std::size_t(grid_row * 3 + r)][std::size_t(grid_col * 3 + c)] = b[r][c];
    };
    block(0, 0, {{10, 10, 10}, {10, 10, 10}, {10, 10, 10}});  // all tree cover
    // Centre (where nearest neighbour samples) built-up, majority cropland 5 of 9.
    block(1, 0, {{40, 30, 40}, {40, 50, 30}, {40, 30, 40}});
    block(2, 0, {{0, 0, 0}, {0, 0, 80}, {80, 80, 80}});            // majority "no data" code 0
    block(3, 0, {{255, 255, 255}, {255, 80, 255}, {80, 80, 50}});  // raster nodata 255 not voting
    return z;
}

}  // namespace

TEST_CASE("land cover: majority resampling onto a coarser grid, by hand", "[land_cover][io]") {
    TempDir tmp;
    const fs::path file = tmp / "worldcover.tif";
    write_classes(file, sample_codes(), 255);
    const LandCoverTable esa =
        io::read_land_cover_table("esa-worldcover", io::LandCoverCodeKind::index);
    // 8 x 7 grid pixels of 60 m: columns 0..5 and rows 0..5 inside the 360 m of 3 x 3 blocks
    // (the raster is 400 m wide: column/row 6 holds 2 x 3 source pixels, column 7 none).
    const GridSpec g = grid_60m(8, 7);
    const io::LandCoverOnGrid lc = io::load_land_cover(file.string(), esa, g);
    auto code_at = [&](int col, int row) {
        const std::uint8_t k = lc.class_index.at(col, row);
        return k == kNoLandCoverClass ? -1 : esa.classes[k].code;
    };
    CHECK(code_at(0, 0) == 10);
    CHECK(code_at(1, 0) == 40);  // the majority; nearest neighbour would give 50 (the centre)
    CHECK(code_at(2, 0) == -1);  // majority code 0: a nodata code of the table
    CHECK(code_at(3, 0) == 80);  // 255 is the raster's nodata: 80 (3) beats 50 (1)
    CHECK(code_at(4, 0) == 30);
    CHECK(code_at(5, 5) == 30);
    CHECK(code_at(6, 6) == 30);  // partly covered
    CHECK(code_at(7, 0) == -1);  // outside the raster
    CHECK(code_at(7, 6) == -1);
    CHECK(lc.pixels_without_land_cover == 1u + 7u);  // (2, 0) and column 7

    // With a default class, pixels without land cover get it.
    const int grass = esa.index_of(30);
    const io::LandCoverOnGrid filled = io::load_land_cover(file.string(), esa, g, grass);
    CHECK(filled.class_index.at(2, 0) == grass);
    CHECK(filled.class_index.at(7, 3) == grass);
    CHECK(filled.class_index.at(1, 0) == esa.index_of(40));
}

TEST_CASE("land cover: a CORINE raster by index, and by three-digit code", "[land_cover][io]") {
    TempDir tmp;
    // 6 x 6 source pixels: grid pixel (0, 0) continuous urban fabric (index 1), (1, 0) broad-
    // leaved forest (23) with one pixel of 1, (0, 1) the Int8 fill value read as 128, (1, 1)
    // NODATA (48).
    std::vector<std::vector<int>> index(6, std::vector<int>(6, 0));
    for (int r = 0; r < 6; ++r)
        for (int c = 0; c < 6; ++c)
            index[std::size_t(r)][std::size_t(c)] = r < 3 ? (c < 3 ? 1 : 23) : (c < 3 ? 128 : 48);
    index[1][4] = 1;
    write_classes(tmp / "clc_index.tif", index);
    const LandCoverTable clc = io::read_land_cover_table("corine", io::LandCoverCodeKind::index);
    const io::LandCoverOnGrid lc =
        io::load_land_cover((tmp / "clc_index.tif").string(), clc, grid_60m(2, 2));
    CHECK(lc.class_index.at(0, 0) == clc.index_of(1));
    CHECK(clc.classes[lc.class_index.at(1, 0)].name == "Broad-leaved forest");
    CHECK(lc.class_index.at(0, 1) == kNoLandCoverClass);
    CHECK(lc.class_index.at(1, 1) == kNoLandCoverClass);
    CHECK(lc.pixels_without_land_cover == 2u);
    // The same raster read as three-digit codes: 1 and 23 are no CLC codes.
    const LandCoverTable codes =
        io::read_land_cover_table("corine", io::LandCoverCodeKind::clc_code);
    CHECK_THROWS_WITH(io::load_land_cover((tmp / "clc_index.tif").string(), codes, grid_60m(2, 2)),
                      Catch::Contains("codes not in the class table built-in:corine: 1 (1 pixel), "
                                      "23 (1 pixel), 48 (1 pixel)"));
}

TEST_CASE("land cover: bad rasters give one-line errors", "[land_cover][io]") {
    TempDir tmp;
    const LandCoverTable esa =
        io::read_land_cover_table("esa-worldcover", io::LandCoverCodeKind::index);
    auto codes = sample_codes();
    for (int r = 15; r < 18; ++r)
        for (int c = 15; c < 18; ++c) codes[std::size_t(r)][std::size_t(c)] = 55;
    codes[0][19] = 77;
    write_classes(tmp / "bad.tif", codes);
    const GridSpec g = grid_60m(7, 7);
    CHECK_THROWS_WITH(io::load_land_cover((tmp / "bad.tif").string(), esa, g),
                      Catch::Contains("bad.tif: land-cover codes not in the class table "
                                      "built-in:esa-worldcover: 55 (1 pixel)"));
    CHECK_THROWS_WITH(io::load_land_cover((tmp / "missing.tif").string(), esa, g),
                      Catch::Contains("missing.tif: land-cover raster does not exist"));
    // A raster beside the grid.
    write_classes(tmp / "ok.tif", sample_codes());
    GridSpec far = g;
    far.origin_x_m += 10000.0;
    CHECK_THROWS_WITH(io::load_land_cover((tmp / "ok.tif").string(), esa, far),
                      Catch::Contains("ok.tif: the land-cover raster does not reach the analysis"));
}

TEST_CASE("land cover: an urban pixel gets exactly its clutter loss, on both engines",
          "[land_cover][engine]") {
    const auto terrain = flat_terrain(121, 121, 50.0, 300.0f);
    const GridSpec& g = terrain.grid();
    std::vector<std::uint8_t> mask(g.pixel_count(), 1);
    engine::TransmitterCell cell;
    cell.x_m = g.centre_x_m(60);
    cell.y_m = g.centre_y_m(60);
    cell.antenna_height_agl_m = 30.0;
    cell.frequency_mhz = 900.0;
    cell.eirp_dbm = 60.0;
    const LandCoverTable table = [] {
        LandCoverTable t;
        t.source = "test";
        t.classes = {{1, "field", ClutterType::open_rural, 1.0, 27.0, 5.5},  // R < h: 0 dB
                     {2, "town", ClutterType::urban, 15.0, 27.0, 8.0}};
        return t;
    }();
    engine::TransmitterCell with = cell;
    with.land_cover_loss_db = pipeline::land_cover_loss_table_db(table, 900.0, 1.5);
    REQUIRE(with.land_cover_loss_db.size() == 2);
    CHECK(with.land_cover_loss_db[0] == 0.0f);
    CHECK(with.land_cover_loss_db[1] == Approx(kUrban900MhzDb).margin(1e-5));

    // Class raster: urban in the north-east quarter, open in the south, none elsewhere.
    std::vector<std::uint8_t> classes(g.pixel_count(), kNoLandCoverClass);
    for (int row = 0; row < g.height; ++row)
        for (int col = 0; col < g.width; ++col)
            classes[std::size_t(row) * std::size_t(g.width) + std::size_t(col)] =
                row < 50 && col > 70 ? 1
                : row > 80           ? 0
                                     : kNoLandCoverClass;

    for (const char* model_name : {"free-space", "itm"}) {
        auto model = propagation::create_model(model_name, ParameterSet{});
        for (EngineKind kind : {EngineKind::reference, EngineKind::fast}) {
            INFO(model_name << " engine " << (kind == EngineKind::fast ? "fast" : "reference"));
            engine::CoverageOptions options;
            options.engine = kind;
            options.max_radius_m = 2900.0;
            const engine::CoverageResult plain =
                engine::compute_coverage(terrain, g, mask, {cell}, *model, options);
            options.land_cover_class = classes;
            const engine::CoverageResult lc =
                engine::compute_coverage(terrain, g, mask, {with}, *model, options);
            std::size_t urban = 0, compared = 0;
            for (std::size_t p = 0; p < g.pixel_count(); ++p) {
                const float a = plain.best_level_dbm.values[p], b = lc.best_level_dbm.values[p];
                REQUIRE(std::isnan(a) == std::isnan(b));
                if (std::isnan(a)) continue;
                ++compared;
                if (classes[p] == 1) {
                    ++urban;
                    // float levels of about -60 dBm: 1e-5 dB.
                    CHECK(a - b == Approx(kUrban900MhzDb).margin(1e-4));
                } else {
                    CHECK(a == b);
                }
            }
            CHECK(urban > 300u);
            CHECK(compared > 10000u);
            if (model_name == std::string("free-space")) {
                // Free space at the pixel (71, 49): d from the cell by the grid, P.525
                // Lbf = 32.44778 + 20 log10(900) + 20 log10(d_km) (horizontal distance, as in
                // test_engine.cpp).
                const double dx = (71 - 60) * 50.0, dy = (60 - 49) * 50.0;
                const double d_km = std::hypot(dx, dy) / 1000.0;
                const double lbf = 32.447783 + 20.0 * std::log10(900.0) + 20.0 * std::log10(d_km);
                CHECK(lc.best_level_dbm.at(71, 49) ==
                      Approx(60.0 - lbf - kUrban900MhzDb).margin(1e-3));
            }
        }
    }
}

TEST_CASE("land cover: the class's sigma sets the class and location probability",
          "[land_cover][analysis]") {
    using namespace grenzfunk::analysis;
    GridSpec g;
    g.crs = "EPSG:25832";
    g.pixel_size_m = 100.0;
    g.width = 3;
    g.height = 1;
    AnalysisOptions options;
    options.location_probability_pct = 95.0;
    options.location_sigma_db = 5.5;
    for (auto& thresholds : options.thresholds_dbm) thresholds = {-100.0, -110.0};
    Composites c;
    c.grid = g;
    c.technologies = {Technology::lte};
    c.best_metric_dbm.assign(kGroupCount, {Raster<float>(g, -101.0f)});
    // -101 dBm everywhere. Margins at 95 %: 1.644854 sigma = 9.0467 dB (5.5 dB), 13.1588 dB
    // (8 dB), 4.9346 dB (3 dB): class 1 (-100 + m) never; class 2 needs -110 + m <= -101:
    // m <= 9 dB: not with 5.5 dB (9.047) nor 8 dB; yes with 3 dB.
    std::vector<std::uint8_t> mask(3, 1), group(3, 0);
    const std::vector<float> sigma = {std::numeric_limits<float>::quiet_NaN(), 8.0f, 3.0f};
    const CoverageMaps maps = classify(c, group, mask, options, sigma);
    CHECK(maps.classes[0].values == std::vector<std::uint8_t>{0, 0, 2});
    // Location probability of the gap class (-110 dBm): Phi(9 / sigma).
    //   5.5 dB: Phi(1.636364) = 0.949118; 8 dB: Phi(1.125) = 0.869705; 3 dB: Phi(3) = 0.998650.
    CHECK(maps.location_probability_pct.values[0] == Approx(94.9118).margin(1e-3));
    CHECK(maps.location_probability_pct.values[1] == Approx(86.9705).margin(1e-3));
    CHECK(maps.location_probability_pct.values[2] == Approx(99.8650).margin(1e-3));
    // Without the sigma raster: the scenario's sigma everywhere.
    const CoverageMaps plain = classify(c, group, mask, options);
    CHECK(plain.location_probability_pct.values[1] == Approx(94.9118).margin(1e-3));
    CHECK(plain.classes[0].values == std::vector<std::uint8_t>{0, 0, 0});
}

TEST_CASE("land cover: scenario keys and their errors", "[land_cover][io][scenario]") {
    TempDir tmp;
    const fs::path p = tmp / "s.toml";
    const std::string base = "[terrain]\nfiles = [\"dem.tif\"]\n[[sites]]\nfile = \"s.csv\"\n";
    write_file(p, base +
                      "[land_cover]\nfile = \"clc.tif\"\nclasses = \"corine\"\n"
                      "code_kind = \"clc_code\"\ndefault_class = 211\n");
    const io::Scenario s = io::read_scenario(p.string());
    CHECK(s.land_cover.enabled);
    CHECK(s.land_cover.file == (tmp / "clc.tif").string());
    CHECK(s.land_cover.classes == "corine");
    CHECK(s.land_cover.code_kind == io::LandCoverCodeKind::clc_code);
    REQUIRE(s.land_cover.default_class >= 0);
    CHECK(s.land_cover.table.classes[std::size_t(s.land_cover.default_class)].name ==
          "Non-irrigated arable land");
    write_file(p, base +
                      "[propagation]\nclutter_loss = \"p2108\"\n[land_cover]\n"
                      "file = \"clc.tif\"\nclasses = \"corine\"\n");
    CHECK_THROWS_WITH(io::read_scenario(p.string()),
                      Catch::Contains("s.toml:7: [land_cover]: cannot be combined with "
                                      "propagation.clutter_loss = \"p2108\""));
    write_file(p, base +
                      "[land_cover]\nfile = \"clc.tif\"\nclasses = \"corine\"\n"
                      "code_kind = \"grid\"\n");
    CHECK_THROWS_WITH(io::read_scenario(p.string()),
                      Catch::Contains("s.toml:8: land_cover.code_kind: 'grid' is not a code kind"));
    write_file(p, base +
                      "[land_cover]\nfile = \"clc.tif\"\nclasses = \"corine\"\n"
                      "default_class = 600\n");
    CHECK_THROWS_WITH(io::read_scenario(p.string()),
                      Catch::Contains("land_cover.default_class: code 600 is not a class of "
                                      "built-in:corine"));
    write_file(p, base + "[land_cover]\nfile = \"clc.tif\"\nclasses = \"mine.toml\"\n");
    CHECK_THROWS_WITH(io::read_scenario(p.string()),
                      Catch::Contains("mine.toml: land-cover class table does not exist"));
    write_file(p, base + "[land_cover]\nclasses = \"corine\"\n");
    CHECK_THROWS_WITH(io::read_scenario(p.string()),
                      Catch::Contains("s.toml:5: land_cover.file: required key missing"));
}

namespace {

// A Byte raster of ESA WorldCover codes in EPSG:4326 (as the WorldCover tiles are): built-up
// (50) west of 12.1 E, grassland (30) east of it, 0.005 degree pixels over 11.9-12.35 E,
// 50.15-50.37 N.
void write_worldcover_lonlat(const fs::path& path) {
    GDALAllRegister();
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    REQUIRE(gtiff);
    const int w = 90, h = 44;
    GDALDataset* ds = gtiff->Create(path.string().c_str(), w, h, 1, GDT_Byte, nullptr);
    REQUIRE(ds);
    double gt[6] = {11.9, 0.005, 0.0, 50.37, 0.0, -0.005};
    ds->SetGeoTransform(gt);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    ds->SetSpatialRef(&wgs84);
    std::vector<std::uint8_t> z(static_cast<std::size_t>(w * h));
    for (int r = 0; r < h; ++r)
        for (int c = 0; c < w; ++c) z[std::size_t(r * w + c)] = c < 40 ? 50 : 30;
    REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, w, h, z.data(), w, h, GDT_Byte, 0, 0,
                                           nullptr) == CE_None);
    GDALClose(GDALDataset::ToHandle(ds));
}

template <typename T>
std::vector<T> read_band(const fs::path& path, GDALDataType type, int* width = nullptr) {
    GDALDataset* ds = GDALDataset::FromHandle(GDALOpen(path.string().c_str(), GA_ReadOnly));
    REQUIRE(ds);
    const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
    std::vector<T> v(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, w, h, v.data(), w, h, type, 0, 0,
                                           nullptr) == CE_None);
    if (width) *width = w;
    GDALClose(GDALDataset::ToHandle(ds));
    return v;
}

}  // namespace

TEST_CASE("land cover: a run with [land_cover] adds the class's loss and writes the classes",
          "[land_cover][pipeline]") {
    TempDir tmp;
    write_worldcover_lonlat(tmp / "worldcover.tif");
    write_file(tmp / "sites.csv",
               "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
               "mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,"
               "technology,operator,country\n"
               "A1,S,Hof,50.26,12.1,35,0,0,0,806,10,59,omni,LTE,x,DE\n");
    const std::string base = "name = \"lc\"\n[terrain]\nfiles = [\"" +
                             data_path("dem/hof_as_srtm3.tif") +
                             "\"]\n[[sites]]\nfile = \"sites.csv\"\n[grid]\nresolution_m = 250.0\n"
                             "extent_lonlat_deg = [11.95, 50.18, 12.3, 50.34]\n[propagation]\n"
                             "model = \"free-space\"\nmax_radius_km = 5.0\n";
    write_file(tmp / "plain.toml", base);
    write_file(tmp / "lc.toml", base +
                                    "[land_cover]\nfile = \"worldcover.tif\"\n"
                                    "classes = \"esa-worldcover\"\n");
    REQUIRE(run_cli("run '" + (tmp / "plain.toml").string() + "' -q -o '" +
                    (tmp / "plain").string() + "'")
                .exit_code == 0);
    const auto r =
        run_cli("run '" + (tmp / "lc.toml").string() + "' -q -o '" + (tmp / "lc").string() + "'");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);

    int width = 0;
    const auto classes =
        read_band<std::uint8_t>(tmp / "lc" / "land_cover_class.tif", GDT_Byte, &width);
    const auto plain =
        read_band<float>(tmp / "plain" / "best_rx_level_dbm.tif", GDT_Float32, nullptr);
    const auto lc = read_band<float>(tmp / "lc" / "best_rx_level_dbm.tif", GDT_Float32, nullptr);
    REQUIRE(classes.size() == plain.size());
    const LandCoverTable esa =
        io::read_land_cover_table("esa-worldcover", io::LandCoverCodeKind::index);
    const std::uint8_t built = std::uint8_t(esa.index_of(50)),
                       grass = std::uint8_t(esa.index_of(30));
    // Hand values (P.2108-1 eqs. (2a)-(2g) at 806 MHz, h = 1.5 m, ws = 27 m): built-up = urban,
    // R = 15 m: 22.095980 dB; grassland = open/rural, R = 10 m, (2b): K_h2 = 21.8 + 6.2 log10
    // 0.806 = 21.219 ... 17.482748 dB.
    std::size_t n_built = 0, n_grass = 0;
    for (std::size_t p = 0; p < classes.size(); ++p) {
        if (plain[p] <= -9000.0f) continue;  // nodata (outside the radius)
        const double extra = double(plain[p]) - double(lc[p]);
        if (classes[p] == built) {
            ++n_built;
            CHECK(extra == Approx(22.095980).margin(2e-4));
        } else if (classes[p] == grass) {
            ++n_grass;
            CHECK(extra == Approx(17.482748).margin(2e-4));
        } else {
            FAIL("pixel " << p << " has class " << int(classes[p]));
        }
    }
    CHECK(n_built > 50u);
    CHECK(n_grass > 50u);
    // West of 12.1 E built-up, east of it grass (first row of the grid).
    CHECK(classes[5] == built);
    CHECK(classes[std::size_t(width - 5)] == grass);

    // In bands of rows, each band reads its rows of the class raster: the same bytes.
    REQUIRE(run_cli("run '" + (tmp / "lc.toml").string() + "' -q --tile-rows 7 -o '" +
                    (tmp / "banded").string() + "'")
                .exit_code == 0);
    CHECK(read_file(tmp / "banded" / "best_rx_level_dbm.tif") ==
          read_file(tmp / "lc" / "best_rx_level_dbm.tif"));

    const std::string manifest = read_file(tmp / "lc" / "manifest.json");
    CHECK(manifest.find("\"land_cover\"") != std::string::npos);
    CHECK(manifest.find("built-in:esa-worldcover") != std::string::npos);
    CHECK(manifest.find("land_cover_class.tif") != std::string::npos);
    CHECK(manifest.find("processed by ESA WorldCover consortium") != std::string::npos);
    // Category names and the attribution travel in the GeoTIFF.
    const std::string info = read_file(tmp / "lc" / "land_cover_class.tif");
    CHECK(info.find("50 Built-up (urban)") != std::string::npos);
    CHECK(info.find("ESA WorldCover project 2021") != std::string::npos);

    // validate names the table and the pixels without land cover.
    const auto v = run_cli("validate '" + (tmp / "lc.toml").string() + "'");
    CHECK(v.exit_code == 0);
    CHECK(v.output.find("[land_cover]") != std::string::npos);
    CHECK(v.output.find("0 pixels of the grid without land cover") != std::string::npos);

    // A cell above 3 GHz cannot use the §3.1 model.
    write_file(tmp / "sites.csv",
               "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
               "mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,"
               "technology,operator,country\n"
               "N1,S,Hof,50.26,12.1,35,0,0,0,3600,100,59,omni,NR,x,DE\n");
    const auto nr = run_cli("validate '" + (tmp / "lc.toml").string() + "'");
    CHECK(nr.exit_code != 0);
    CHECK(nr.output.find("cell 'N1' with [land_cover]") != std::string::npos);
    CHECK(nr.output.find("frequency 3600 MHz is outside") != std::string::npos);
}
