// Terrain reading through GDAL: a mosaic of several files equals the single file it was cut from.
#include <gdal_priv.h>
#include <gdal_utils.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "io/crs.hpp"
#include "io/terrain_reader.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

namespace {
// Cuts the pixel window [x0, x0 + w) x [y0, y0 + h) of `source` into a GeoTIFF.
void cut(const std::string& source, const fs::path& out, int x0, int y0, int w, int h) {
    GDALAllRegister();
    GDALDatasetH src = GDALOpen(source.c_str(), GA_ReadOnly);
    REQUIRE(src);
    const std::string sx = std::to_string(x0), sy = std::to_string(y0), sw = std::to_string(w),
                      sh = std::to_string(h);
    const char* argv[] = {"-srcwin", sx.c_str(), sy.c_str(), sw.c_str(), sh.c_str(), nullptr};
    GDALTranslateOptions* options = GDALTranslateOptionsNew(const_cast<char**>(argv), nullptr);
    GDALDatasetH dst = GDALTranslate(out.string().c_str(), src, options, nullptr);
    GDALTranslateOptionsFree(options);
    REQUIRE(dst);
    GDALClose(dst);
    GDALClose(src);
}
}  // namespace

TEST_CASE("terrain: a mosaic of tiles reads like the file it was cut from", "[terrain][io]") {
    // Regression: initialising the destination per source file wiped earlier tiles.
    TempDir tmp;
    const std::string whole = data_path("dem/hof_as_srtm3.tif");  // 720 x 420 pixels
    cut(whole, tmp / "west.tif", 0, 0, 360, 420);
    cut(whole, tmp / "east.tif", 359, 0, 361, 420);  // one column of overlap, as SRTM tiles

    GridSpec g;
    g.crs = "EPSG:25832";
    g.crs_wkt = io::projected_crs_wkt(g.crs, "test");
    g.pixel_size_m = 200.0;
    // Inside the cut (11.8-12.4 E, 50.1-50.45 N) in UTM 32N.
    g.origin_x_m = 704000.0;
    g.origin_y_m = 5588000.0;
    g.width = 170;
    g.height = 140;

    const Raster<float> single = io::load_terrain({whole}, g, 0.0);
    const Raster<float> mosaic =
        io::load_terrain({(tmp / "west.tif").string(), (tmp / "east.tif").string()}, g, 0.0);
    std::size_t compared = 0;
    for (std::size_t i = 0; i < single.values.size(); ++i) {
        REQUIRE(!std::isnan(single.values[i]));
        REQUIRE(!std::isnan(mosaic.values[i]));
        CHECK(mosaic.values[i] == Approx(single.values[i]).margin(1e-3));
        ++compared;
    }
    CHECK(compared == 170u * 140u);
}
