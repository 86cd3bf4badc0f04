// The GeoTIFF/text output layer: write small rasters, read them back with GDAL and compare every
// value and every piece of georeferencing; check determinism and the all-or-nothing behaviour
// when writing fails (missing directory, read-only directory, full disk).
#include <sys/mount.h>
#include <unistd.h>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "core/grid.hpp"
#include "io/gdal_init.hpp"
#include "io/geotiff_writer.hpp"
#include "test_environment.hpp"

using namespace grenzfunk;
using grenzfunk::test::SmallTmpfs;
namespace fs = std::filesystem;

namespace {

// A fresh empty directory, removed with its contents at the end of the test.
class TempDir {
  public:
    TempDir() {
        static int counter = 0;
        path_ =
            fs::temp_directory_path() / ("grenzfunk-test-geotiff-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(++counter));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

std::vector<std::string> directory_entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// 7 x 5 pixels of 25 m in ETRS89 / UTM 32N, near the Bavarian-Czech border at Furth im Wald.
GridSpec border_grid(int width = 7, int height = 5) {
    GridSpec grid;
    grid.crs = "EPSG:25832";
    grid.origin_x_m = 775000.0;
    grid.origin_y_m = 5468000.0;
    grid.pixel_size_m = 25.0;
    grid.width = width;
    grid.height = height;
    return grid;
}

struct Closer {
    void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
};
using Dataset = std::unique_ptr<GDALDataset, Closer>;

Dataset open_readonly(const fs::path& path) {
    io::initialise_gdal();
    Dataset ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds != nullptr);
    return ds;
}

template <typename T>
std::vector<T> read_band(GDALDataset& ds, GDALDataType type) {
    std::vector<T> values(std::size_t(ds.GetRasterXSize()) * ds.GetRasterYSize());
    REQUIRE(ds.GetRasterBand(1)->RasterIO(GF_Read, 0, 0, ds.GetRasterXSize(), ds.GetRasterYSize(),
                                          values.data(), ds.GetRasterXSize(), ds.GetRasterYSize(),
                                          type, 0, 0, nullptr) == CE_None);
    return values;
}

void check_georeferencing(GDALDataset& ds, const GridSpec& grid) {
    CHECK(ds.GetRasterXSize() == grid.width);
    CHECK(ds.GetRasterYSize() == grid.height);
    CHECK(ds.GetRasterCount() == 1);
    const auto* srs = ds.GetSpatialRef();
    REQUIRE(srs != nullptr);
    REQUIRE(srs->GetAuthorityName(nullptr) != nullptr);
    CHECK(std::string(srs->GetAuthorityName(nullptr)) == "EPSG");
    CHECK(std::string(srs->GetAuthorityCode(nullptr)) == "25832");
    double gt[6];
    REQUIRE(ds.GetGeoTransform(gt) == CE_None);
    // Exact: the values are stored as doubles in the ModelTiepoint/ModelPixelScale tags.
    CHECK(gt[0] == grid.origin_x_m);
    CHECK(gt[1] == grid.pixel_size_m);
    CHECK(gt[2] == 0.0);
    CHECK(gt[3] == grid.origin_y_m);
    CHECK(gt[4] == 0.0);
    CHECK(gt[5] == -grid.pixel_size_m);
    const char* layout = ds.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE");
    REQUIRE(layout != nullptr);
    CHECK(std::string(layout) == "COG");
    const char* compression = ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE");
    REQUIRE(compression != nullptr);
    CHECK(std::string(compression) == "DEFLATE");
}

std::string item(GDALMajorObject& object, const char* key) {
    const char* value = object.GetMetadataItem(key);
    return value ? value : "<missing>";
}

}  // namespace

TEST_CASE("Float32 raster round-trips through a COG with georeferencing and tags", "[geotiff]") {
    TempDir dir;
    Raster<float> raster(border_grid(), -9999.0f);
    for (int row = 0; row < 5; ++row) {
        for (int col = 0; col < 7; ++col)
            raster.at(col, row) = -60.5f - 1.25f * float(row * 7 + col);
    }
    raster.at(3, 2) = -9999.0f;  // one nodata pixel in the middle
    io::RasterWriteOptions options;
    options.band_description = "best received level";
    options.unit = "dBm";
    options.metadata = {{"model", "itm"},
                        {"parameters", "climate=continental_temperate; time_pct=50"},
                        {"software_version", "grenzfunk 0.1.0"},
                        {"scenario_sha256", std::string(64, 'a')},
                        {"region", "Grenzübergang Furth im Wald – Folmava"}};
    const auto path = dir.path() / "level.tif";
    io::write_geotiff(path, raster, options);

    // Only the final file and its QGIS style: no temporary, no .aux.xml side-car.
    CHECK(directory_entries(dir.path()) == std::vector<std::string>{"level.qml", "level.tif"});
    auto ds = open_readonly(path);
    check_georeferencing(*ds, raster.grid);
    auto* band = ds->GetRasterBand(1);
    CHECK(band->GetRasterDataType() == GDT_Float32);
    int has_nodata = 0;
    CHECK(band->GetNoDataValue(&has_nodata) == -9999.0);
    CHECK(has_nodata == 1);
    CHECK(std::string(band->GetDescription()) == "best received level");
    CHECK(std::string(band->GetUnitType()) == "dBm");
    for (const auto& [key, value] : options.metadata) {
        INFO("metadata key " << key);
        CHECK(item(*ds, key.c_str()) == value);
    }
    const char* predictor = ds->GetMetadataItem("PREDICTOR", "IMAGE_STRUCTURE");
    CHECK(std::string(predictor ? predictor : "") == "3");
    int block_x = 0, block_y = 0;
    band->GetBlockSize(&block_x, &block_y);
    CHECK(block_x == 512);
    CHECK(block_y == 512);

    const auto values = read_band<float>(*ds, GDT_Float32);
    for (int row = 0; row < 5; ++row) {
        for (int col = 0; col < 7; ++col) {
            INFO("row " << row << " col " << col);
            // Float32 is stored losslessly (DEFLATE + floating-point predictor): exact equality.
            CHECK(values[std::size_t(row) * 7 + col] == raster.at(col, row));
        }
    }
}

TEST_CASE("NaN is a valid Float32 nodata value", "[geotiff]") {
    TempDir dir;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    Raster<float> raster(border_grid(), nan);
    raster.at(0, 0) = 1.5f;
    io::write_geotiff(dir.path() / "nan.tif", raster);
    auto ds = open_readonly(dir.path() / "nan.tif");
    int has_nodata = 0;
    CHECK(std::isnan(ds->GetRasterBand(1)->GetNoDataValue(&has_nodata)));
    CHECK(has_nodata == 1);
    const auto values = read_band<float>(*ds, GDT_Float32);
    CHECK(values[0] == 1.5f);
    CHECK(std::isnan(values[1]));
}

TEST_CASE("Int32 raster round-trips with negative and large values", "[geotiff]") {
    TempDir dir;
    Raster<std::int32_t> raster(border_grid(), -1);
    for (int row = 0; row < 5; ++row) {
        for (int col = 0; col < 7; ++col) raster.at(col, row) = (row - 2) * 1000003 + col;
    }
    raster.at(6, 4) = 2147483647;
    raster.at(0, 4) = -1;  // nodata
    io::RasterWriteOptions options;
    options.band_description = "best server index";
    io::write_geotiff(dir.path() / "server.tif", raster, options);

    auto ds = open_readonly(dir.path() / "server.tif");
    check_georeferencing(*ds, raster.grid);
    auto* band = ds->GetRasterBand(1);
    CHECK(band->GetRasterDataType() == GDT_Int32);
    int has_nodata = 0;
    CHECK(band->GetNoDataValue(&has_nodata) == -1.0);
    CHECK(has_nodata == 1);
    CHECK(std::string(band->GetDescription()) == "best server index");
    CHECK(std::string(band->GetUnitType()).empty());
    const char* predictor = ds->GetMetadataItem("PREDICTOR", "IMAGE_STRUCTURE");
    CHECK(std::string(predictor ? predictor : "") == "2");
    const auto values = read_band<std::int32_t>(*ds, GDT_Int32);
    for (int row = 0; row < 5; ++row) {
        for (int col = 0; col < 7; ++col) {
            INFO("row " << row << " col " << col);
            CHECK(values[std::size_t(row) * 7 + col] == raster.at(col, row));
        }
    }
}

TEST_CASE("Byte raster carries its colour table and category names inside the TIFF", "[geotiff]") {
    TempDir dir;
    Raster<std::uint8_t> raster(border_grid(), 255);
    for (int row = 0; row < 5; ++row) {
        for (int col = 0; col < 7; ++col) raster.at(col, row) = std::uint8_t((row + col) % 4);
    }
    raster.at(1, 1) = 255;  // nodata
    io::RasterWriteOptions options;
    options.band_description = "coverage class";
    options.categories = {{0, "no coverage", 200, 200, 200},
                          {1, "outdoor", 255, 255, 0},
                          {3, "deep indoor", 0, 100, 0},
                          {2, "indoor", 0, 200, 0}};
    // Without side-cars the palette stays inside the TIFF (test_styling.cpp: with them).
    options.style_sidecars = false;
    io::write_geotiff(dir.path() / "class.tif", raster, options);
    CHECK(directory_entries(dir.path()) == std::vector<std::string>{"class.tif"});

    auto ds = open_readonly(dir.path() / "class.tif");
    check_georeferencing(*ds, raster.grid);
    auto* band = ds->GetRasterBand(1);
    CHECK(band->GetRasterDataType() == GDT_Byte);
    int has_nodata = 0;
    CHECK(band->GetNoDataValue(&has_nodata) == 255.0);
    CHECK(has_nodata == 1);
    CHECK(band->GetColorInterpretation() == GCI_PaletteIndex);
    const auto* colours = band->GetColorTable();
    REQUIRE(colours != nullptr);
    for (const auto& category : options.categories) {
        INFO("category " << int(category.value));
        const auto* entry = colours->GetColorEntry(category.value);
        REQUIRE(entry != nullptr);
        CHECK(entry->c1 == category.red);
        CHECK(entry->c2 == category.green);
        CHECK(entry->c3 == category.blue);
        CHECK(entry->c4 == 255);  // TIFF palettes are opaque
        CHECK(item(*band, ("CATEGORY_" + std::to_string(category.value)).c_str()) == category.name);
    }
    const auto values = read_band<std::uint8_t>(*ds, GDT_Byte);
    for (int row = 0; row < 5; ++row) {
        for (int col = 0; col < 7; ++col) {
            INFO("row " << row << " col " << col);
            CHECK(values[std::size_t(row) * 7 + col] == raster.at(col, row));
        }
    }
}

TEST_CASE("writing the same raster twice gives byte-identical files, overviews included",
          "[geotiff]") {
    TempDir dir;
    // Larger than one 512 x 512 tile, so the COG driver builds an overview.
    Raster<float> raster(border_grid(1100, 700), -9999.0f);
    std::mt19937 rng(20240611);  // seed printed by INFO if a check fails
    INFO("seed 20240611");
    std::uniform_real_distribution<float> noise(-0.5f, 0.5f);
    for (int row = 0; row < 700; ++row) {
        for (int col = 0; col < 1100; ++col) {
            raster.at(col, row) = -50.0f - 0.05f * float(col + row) + noise(rng);
        }
    }
    raster.at(10, 10) = -9999.0f;
    io::RasterWriteOptions options;
    options.unit = "dBuV/m";
    options.metadata = {{"model", "p1812"}};
    fs::create_directories(dir.path() / "a");
    fs::create_directories(dir.path() / "b");
    io::write_geotiff(dir.path() / "a" / "field.tif", raster, options);
    io::write_geotiff(dir.path() / "b" / "field.tif", raster, options);
    const auto first = file_bytes(dir.path() / "a" / "field.tif");
    const auto second = file_bytes(dir.path() / "b" / "field.tif");
    CHECK(first.size() > 1000);
    const bool identical = first == second;  // no timestamps, no thread-dependent layout
    CHECK(identical);
    // Overwriting an existing file in place also works and gives the same bytes.
    io::write_geotiff(dir.path() / "a" / "field.tif", raster, options);
    const bool identical_after_overwrite = file_bytes(dir.path() / "a" / "field.tif") == first;
    CHECK(identical_after_overwrite);
    // The raster and its QGIS style, no temporaries.
    CHECK(directory_entries(dir.path() / "a") ==
          std::vector<std::string>{"field.qml", "field.tif"});

    auto ds = open_readonly(dir.path() / "a" / "field.tif");
    check_georeferencing(*ds, raster.grid);
    CHECK(ds->GetRasterBand(1)->GetOverviewCount() >= 1);
    const auto values = read_band<float>(*ds, GDT_Float32);
    const bool all_values_equal = values == raster.values;  // (not expanded: 770 000 values)
    CHECK(all_values_equal);
}

TEST_CASE("text files are written whole and replace older ones", "[geotiff]") {
    TempDir dir;
    const auto path = dir.path() / "sites.csv";
    io::write_text_file(path, "id;eirp_dbm\n1;61.5\n");
    CHECK(file_bytes(path) == "id;eirp_dbm\n1;61.5\n");
    io::write_text_file(path, "{}\n");
    CHECK(file_bytes(path) == "{}\n");
    io::write_text_file(dir.path() / "empty.json", "");
    CHECK(file_bytes(dir.path() / "empty.json").empty());
    CHECK(directory_entries(dir.path()) == std::vector<std::string>{"empty.json", "sites.csv"});
}

TEST_CASE("an output set renames its files only on commit", "[geotiff]") {
    TempDir dir;
    Raster<float> level(border_grid(), -9999.0f);
    Raster<std::uint8_t> classes(border_grid(), 255);
    {
        io::OutputSet set;
        set.add_geotiff(dir.path() / "level.tif", level);
        set.add_geotiff(dir.path() / "class.tif", classes);
        set.add_text(dir.path() / "manifest.json", "{\"files\": 2}\n");
        CHECK(set.paths().size() == 3);
        // Before commit only temporaries exist.
        for (const auto& name : directory_entries(dir.path())) {
            INFO(name);
            CHECK(name.find(".tmp-") != std::string::npos);
        }
        CHECK(directory_entries(dir.path()).size() == 3);
        set.commit();
        CHECK_THROWS_AS(set.add_text(dir.path() / "late.txt", "x"), OutputError);
    }
    CHECK(directory_entries(dir.path()) ==
          std::vector<std::string>{"class.tif", "level.tif", "manifest.json"});

    {
        io::OutputSet abandoned;
        abandoned.add_text(dir.path() / "never.txt", "x");
        abandoned.add_geotiff(dir.path() / "never.tif", level);
    }  // destroyed without commit: temporaries removed
    CHECK(directory_entries(dir.path()) ==
          std::vector<std::string>{"class.tif", "level.tif", "manifest.json"});

    io::OutputSet twice;
    twice.add_text(dir.path() / "x.txt", "1");
    CHECK_THROWS_WITH(twice.add_text(dir.path() / "." / "x.txt", "2"),
                      Catch::Contains("written twice"));
}

TEST_CASE("an output set leaves nothing when a rename fails during commit", "[geotiff]") {
    TempDir dir;
    io::OutputSet set;
    set.add_text(dir.path() / "a.csv", "a\n");
    set.add_text(dir.path() / "b.csv", "b\n");
    // A non-empty directory appears where b.csv should go: its rename fails.
    fs::create_directories(dir.path() / "b.csv" / "occupied");
    CHECK_THROWS_WITH(set.commit(), Catch::Contains((dir.path() / "b.csv").string()));
    CHECK(directory_entries(dir.path()) == std::vector<std::string>{"b.csv"});
    CHECK(fs::is_directory(dir.path() / "b.csv"));
}

TEST_CASE("writing into a missing directory fails naming the path and leaves nothing",
          "[geotiff]") {
    TempDir dir;
    Raster<float> raster(border_grid(), -9999.0f);
    const auto path = dir.path() / "no" / "such" / "dir" / "level.tif";
    CHECK_THROWS_WITH(io::write_geotiff(path, raster),
                      Catch::Contains(path.string()) && Catch::Contains("does not exist"));
    CHECK_THROWS_WITH(io::write_text_file(dir.path() / "missing" / "m.json", "{}"),
                      Catch::Contains((dir.path() / "missing" / "m.json").string()));
    CHECK(directory_entries(dir.path()).empty());

    // A set fails as a whole: the file written before the failing one is removed too.
    io::OutputSet set;
    set.add_geotiff(dir.path() / "ok.tif", raster);
    CHECK_THROWS_AS(set.add_geotiff(path, raster), OutputError);
    CHECK(directory_entries(dir.path()).empty());
    CHECK_THROWS_AS(set.commit(), OutputError);
    CHECK(directory_entries(dir.path()).empty());
}

TEST_CASE("invalid rasters and options are refused before anything is written", "[geotiff]") {
    TempDir dir;
    const auto path = dir.path() / "bad.tif";
    Raster<float> raster(border_grid(), -9999.0f);

    auto short_raster = raster;
    short_raster.values.pop_back();
    CHECK_THROWS_WITH(io::write_geotiff(path, short_raster),
                      Catch::Contains(path.string()) && Catch::Contains("34 values"));

    auto no_crs = raster;
    no_crs.grid.crs.clear();
    CHECK_THROWS_WITH(io::write_geotiff(path, no_crs), Catch::Contains("no CRS"));

    auto bad_crs = raster;
    bad_crs.grid.crs = "EPSG:99999999";
    CHECK_THROWS_WITH(io::write_geotiff(path, bad_crs), Catch::Contains("EPSG:99999999"));

    io::RasterWriteOptions colours_on_float;
    colours_on_float.categories = {{1, "one"}};
    CHECK_THROWS_WITH(io::write_geotiff(path, raster, colours_on_float),
                      Catch::Contains("Byte raster"));

    io::RasterWriteOptions bad_key;
    bad_key.metadata = {{"a=b", "c"}};
    CHECK_THROWS_WITH(io::write_geotiff(path, raster, bad_key), Catch::Contains("'a=b'"));

    CHECK(directory_entries(dir.path()).empty());
}

TEST_CASE("a grid with a WKT CRS and no code is written with that CRS", "[geotiff]") {
    TempDir dir;
    OGRSpatialReference srs;
    REQUIRE(srs.importFromEPSG(25832) == OGRERR_NONE);
    char* wkt = nullptr;
    REQUIRE(srs.exportToWkt(&wkt) == OGRERR_NONE);
    Raster<float> raster(border_grid(), -9999.0f);
    raster.grid.crs = "";
    raster.grid.crs_wkt = wkt;
    CPLFree(wkt);
    io::write_geotiff(dir.path() / "wkt.tif", raster);
    auto ds = open_readonly(dir.path() / "wkt.tif");
    check_georeferencing(*ds, raster.grid);
}

TEST_CASE("writing into a read-only directory fails naming the path and leaves nothing",
          "[geotiff]") {
    TempDir dir;
    const auto ro_dir = dir.path() / "readonly";
    Raster<float> raster(border_grid(), -9999.0f);
    std::unique_ptr<SmallTmpfs> mount;
    if (::geteuid() != 0) {
        fs::create_directories(ro_dir);
        fs::permissions(ro_dir, fs::perms::owner_read | fs::perms::owner_exec);
    } else {
        // Root ignores permission bits: use a read-only file system instead.
        mount = std::make_unique<SmallTmpfs>(ro_dir, "size=64k", MS_RDONLY);
        GRENZFUNK_REQUIRE_ENVIRONMENT(mount->mounted(), "GRENZFUNK_TEST_ALLOW_MISSING_TMPFS",
                                      "running as root, " << mount->error());
    }
    const auto path = ro_dir / "level.tif";
    CHECK_THROWS_WITH(io::write_geotiff(path, raster), Catch::Contains(path.string()));
    CHECK_THROWS_WITH(io::write_text_file(ro_dir / "m.json", "{}"),
                      Catch::Contains((ro_dir / "m.json").string()));
    CHECK(directory_entries(ro_dir).empty());
    if (!mount) fs::permissions(ro_dir, fs::perms::owner_all);
}

TEST_CASE("a full disk gives an OutputError naming the file and leaves nothing", "[geotiff]") {
    TempDir dir;
    const auto small_dir = dir.path() / "small";
    // A 64 KiB file system; needs root (CAP_SYS_ADMIN), as tools/test.sh runs in CI.
    SmallTmpfs mount(small_dir, "size=64k", 0);
    GRENZFUNK_REQUIRE_ENVIRONMENT(mount.mounted(), "GRENZFUNK_TEST_ALLOW_MISSING_TMPFS",
                                  mount.error());
    // 300 x 300 random Float32 values: ~350 KiB that DEFLATE cannot shrink below 64 KiB.
    Raster<float> big(border_grid(300, 300), -9999.0f);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> noise(-150.0f, -30.0f);
    for (auto& v : big.values) v = noise(rng);
    Raster<float> small(border_grid(), -9999.0f);

    // GDAL (libtiff) and the text writer both report strerror(ENOSPC).
    const auto no_space = std::generic_category().message(ENOSPC);
    const auto path = small_dir / "level.tif";
    try {
        io::write_geotiff(path, big);
        FAIL("no OutputError on a full disk");
    } catch (const OutputError& e) {
        INFO(e.what());
        CHECK_THAT(e.what(), Catch::Contains(path.string()));
        CHECK_THAT(e.what(), Catch::Contains(no_space));
    }
    CHECK(directory_entries(small_dir).empty());

    // Larger than one tile: the COG driver first builds overviews in a helper file beside the
    // temporary ("<temporary>.ovr.tmp"); running out of space there must not leave it behind.
    Raster<float> bigger(border_grid(700, 600), -9999.0f);
    for (auto& v : bigger.values) v = noise(rng);
    CHECK_THROWS_WITH(
        io::write_geotiff(small_dir / "overviews.tif", bigger),
        Catch::Contains((small_dir / "overviews.tif").string()) && Catch::Contains(no_space));
    CHECK(directory_entries(small_dir).empty());

    std::string big_text(200 * 1024, 'x');
    CHECK_THROWS_WITH(
        io::write_text_file(small_dir / "big.csv", big_text),
        Catch::Contains((small_dir / "big.csv").string()) && Catch::Contains(no_space));
    CHECK(directory_entries(small_dir).empty());

    // In a set, the small files written first disappear with the failing one.
    io::OutputSet set;
    set.add_text(small_dir / "manifest.json", "{}\n");
    set.add_geotiff(small_dir / "small.tif", small);
    CHECK(directory_entries(small_dir).size() == 2);
    CHECK_THROWS_AS(set.add_geotiff(small_dir / "big.tif", big), OutputError);
    CHECK(directory_entries(small_dir).empty());
}

TEST_CASE("GDAL messages are collected per scope instead of printed", "[geotiff]") {
    TempDir dir;
    const auto missing = dir.path() / "missing.tif";
    {
        io::GdalMessages messages;
        CHECK_FALSE(messages.has_failure());
        CHECK(messages.summary() == "no message from GDAL");
        GDALDatasetH ds = GDALOpen(missing.c_str(), GA_ReadOnly);
        CHECK(ds == nullptr);
        CHECK(messages.has_failure());
        CHECK_THAT(messages.summary(), Catch::Contains("missing.tif"));
        {
            io::GdalMessages inner;
            CHECK_FALSE(inner.has_failure());  // sees only what happened since it opened
        }
        CHECK(messages.has_failure());
    }
    io::GdalMessages fresh;
    CHECK_FALSE(fresh.has_failure());
}

TEST_CASE("threads write files and collect GDAL messages independently", "[geotiff]") {
    TempDir dir;
    Raster<float> raster(border_grid(), -9999.0f);
    for (std::size_t i = 0; i < raster.values.size(); ++i) raster.values[i] = float(i) * 0.5f;
    io::write_geotiff(dir.path() / "serial.tif", raster);
    const auto serial = file_bytes(dir.path() / "serial.tif");

    constexpr int thread_count = 4;
    std::vector<int> failure_seen(thread_count, -1);
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&, t] {
            io::GdalMessages messages;
            if (t == 0) {  // one thread provokes a GDAL failure; the others must not see it
                GDALDatasetH ds = GDALOpen((dir.path() / "absent.tif").c_str(), GA_ReadOnly);
                if (ds) GDALClose(ds);
            }
            io::write_geotiff(dir.path() / ("parallel-" + std::to_string(t) + ".tif"), raster);
            failure_seen[t] = messages.has_failure() ? 1 : 0;
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failure_seen == std::vector<int>{1, 0, 0, 0});
    for (int t = 0; t < thread_count; ++t) {
        INFO("thread " << t);
        const bool identical =
            file_bytes(dir.path() / ("parallel-" + std::to_string(t) + ".tif")) == serial;
        CHECK(identical);
    }
    // Each raster with its QGIS style side-car (raster_style.hpp).
    CHECK(directory_entries(dir.path()).size() == 2 * (thread_count + 1));
}

TEST_CASE("a raster streamed in bands of rows gives the same COG as the raster in memory",
          "[geotiff][bands]") {
    TempDir dir;
    // Larger than one tile, with NaN holes: overviews and nodata as in the coverage rasters.
    Raster<float> raster(border_grid(600, 530), NAN);
    for (int row = 0; row < 530; ++row)
        for (int col = 0; col < 600; ++col)
            if ((col * 7 + row * 3) % 41 != 0)
                raster.at(col, row) = -60.0f - 0.1f * float(col - row);
    Raster<std::int32_t> server(border_grid(600, 530), -1);
    for (std::size_t p = 0; p < server.values.size(); ++p)
        server.values[p] = std::int32_t(p % 37) - 1;
    io::RasterWriteOptions options;
    options.unit = "dBm";
    options.band_description = "best received level";
    options.metadata = {{"GRENZFUNK_MODEL", "itm"}};
    fs::create_directories(dir.path() / "memory");
    fs::create_directories(dir.path() / "stream");
    {
        io::OutputSet set;
        set.add_geotiff(dir.path() / "memory" / "level.tif", io::nan_to_nodata(raster), options);
        set.add_geotiff(dir.path() / "memory" / "server.tif", server, options);
        set.commit();
    }
    auto band_of = [](const auto& whole, int first_row, int rows) {
        auto band = whole;
        band.grid.height = rows;
        band.grid.origin_y_m -= first_row * whole.grid.pixel_size_m;
        const auto begin = whole.values.begin() + std::ptrdiff_t(first_row) * whole.grid.width;
        band.values.assign(begin, begin + std::ptrdiff_t(rows) * whole.grid.width);
        return band;
    };
    {
        io::RasterStream<float> level(dir.path() / "stream" / "level.tif", raster.grid, -9999.0f);
        io::RasterStream<std::int32_t> best(dir.path() / "stream" / "server.tif", server.grid, -1);
        // Bands out of order and of uneven height.
        for (const auto& [first, rows] : {std::pair{300, 230}, {0, 7}, {7, 293}}) {
            level.write_rows(first, band_of(raster, first, rows));
            best.write_rows(first, band_of(server, first, rows));
        }
        CHECK(fs::exists(level.scratch_path()));
        io::OutputSet set;
        set.add_geotiff(level, options);
        set.add_geotiff(best, options);
        set.commit();
    }
    // The scratch files are gone with the streams (the QGIS styles stay with the rasters).
    CHECK(directory_entries(dir.path() / "stream") ==
          std::vector<std::string>{"level.qml", "level.tif", "server.qml", "server.tif"});
    for (const char* name : {"level.tif", "server.tif"}) {
        INFO(name);
        const bool identical =
            file_bytes(dir.path() / "memory" / name) == file_bytes(dir.path() / "stream" / name);
        CHECK(identical);
    }

    // A stream with rows never written is refused, and leaves nothing behind.
    fs::create_directories(dir.path() / "partial");
    {
        io::RasterStream<float> level(dir.path() / "partial" / "level.tif", raster.grid, -9999.0f);
        level.write_rows(0, band_of(raster, 0, 100));
        io::OutputSet set;
        CHECK_THROWS_WITH(set.add_geotiff(level, options),
                          Catch::Contains("level.tif") && Catch::Contains("not every row"));
        CHECK_THROWS_AS(level.write_rows(600, band_of(raster, 0, 1)), OutputError);
    }
    CHECK(directory_entries(dir.path() / "partial").empty());
}

namespace {

// Every overview level of band 1, in order.
template <typename T>
std::vector<std::vector<T>> overview_levels(GDALDataset& ds, GDALDataType type) {
    std::vector<std::vector<T>> levels;
    GDALRasterBand* band = ds.GetRasterBand(1);
    for (int i = 0; i < band->GetOverviewCount(); ++i) {
        GDALRasterBand* o = band->GetOverview(i);
        std::vector<T> v(std::size_t(o->GetXSize()) * std::size_t(o->GetYSize()));
        REQUIRE(o->RasterIO(GF_Read, 0, 0, o->GetXSize(), o->GetYSize(), v.data(), o->GetXSize(),
                            o->GetYSize(), type, 0, 0, nullptr) == CE_None);
        levels.push_back(std::move(v));
    }
    return levels;
}

// The overviews (levels, sizes, every pixel) GDAL's COG driver builds itself for `values`: the
// raster copied from a MEM dataset with the writer's resampling.
template <typename T>
std::vector<std::vector<T>> driver_overviews(const fs::path& path, const Raster<T>& raster,
                                             GDALDataType type, const char* resampling) {
    io::initialise_gdal();
    Dataset mem(GetGDALDriverManager()->GetDriverByName("MEM")->Create(
        "", raster.grid.width, raster.grid.height, 1, type, nullptr));
    REQUIRE(mem);
    REQUIRE(mem->GetRasterBand(1)->SetNoDataValue(double(raster.nodata)) == CE_None);
    REQUIRE(mem->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, raster.grid.width, raster.grid.height,
                                            const_cast<T*>(raster.values.data()), raster.grid.width,
                                            raster.grid.height, type, 0, 0, nullptr) == CE_None);
    const char* options[] = {"BLOCKSIZE=512", "OVERVIEWS=AUTO", resampling, nullptr};
    Dataset cog(GetGDALDriverManager()->GetDriverByName("COG")->CreateCopy(
        path.c_str(), mem.get(), FALSE, options, nullptr, nullptr));
    REQUIRE(cog);
    return overview_levels<T>(*cog, type);
}

template <typename T>
std::vector<std::vector<T>> file_overviews(const fs::path& path, GDALDataType type) {
    auto ds = open_readonly(path);
    return overview_levels<T>(*ds, type);
}

}  // namespace

TEST_CASE("COG overviews: the driver's levels and values, built in memory or by the driver",
          "[geotiff]") {
    // 1200 x 1040 halves exactly twice (600 x 520, 300 x 260): the writer builds the levels; at
    // 1025 x 700 the driver does (its level is 512 x 350, a ratio that is not 2). Every pixel of
    // every level must be what the COG driver gives for the same values: averages of the valid
    // pixels for Float32 (nodata blocks and single nodata pixels in it), nearest for Int32.
    std::mt19937 rng(20261203);
    INFO("seed 20261203");
    std::uniform_real_distribution<float> level(-140.0f, -40.0f);
    std::uniform_int_distribution<int> cell(-1, 6);
    TempDir dir;
    for (const auto& [w, h, levels] : {std::tuple{1200, 1040, 2}, std::tuple{1025, 700, 1}}) {
        INFO(w << " x " << h);
        Raster<float> f(border_grid(w, h), -9999.0f);
        Raster<std::int32_t> s(border_grid(w, h), -1);
        for (int r = 0; r < h; ++r)
            for (int c = 0; c < w; ++c) {
                const bool hole = (c / 40 + r / 30) % 7 == 0 || (c * 31 + r * 17) % 23 == 0;
                f.at(c, r) = hole ? -9999.0f : level(rng);
                s.at(c, r) = cell(rng);
            }
        const std::string name = std::to_string(w);
        io::write_geotiff(dir.path() / ("f" + name + ".tif"), f);
        io::write_geotiff(dir.path() / ("s" + name + ".tif"), s);
        const auto ours_f = file_overviews<float>(dir.path() / ("f" + name + ".tif"), GDT_Float32);
        const auto ours_s =
            file_overviews<std::int32_t>(dir.path() / ("s" + name + ".tif"), GDT_Int32);
        const auto gdal_f = driver_overviews(dir.path() / ("gf" + name + ".tif"), f, GDT_Float32,
                                             "RESAMPLING=AVERAGE");
        const auto gdal_s = driver_overviews(dir.path() / ("gs" + name + ".tif"), s, GDT_Int32,
                                             "RESAMPLING=NEAREST");
        CHECK(ours_f.size() == std::size_t(levels));
        CHECK(gdal_f.size() == std::size_t(levels));
        CHECK(ours_s.size() == std::size_t(levels));
        const bool same_f = ours_f == gdal_f, same_s = ours_s == gdal_s;
        CHECK(same_f);
        CHECK(same_s);
    }
}
