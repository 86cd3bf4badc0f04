// Terrain reading through GDAL: a mosaic of several files equals the single file it was cut from.
#include <gdal_priv.h>
#include <gdal_utils.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "io/crs.hpp"
#include "io/terrain_reader.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

namespace {

// A grid in EPSG:25832 (UTM 32N) with its north-west corner at (west_m, north_m).
GridSpec utm32n_grid(double west_m, double north_m, double pixel_m, int width, int height) {
    GridSpec g;
    g.crs = "EPSG:25832";
    g.crs_wkt = io::projected_crs_wkt(g.crs, "test");
    g.pixel_size_m = pixel_m;
    g.origin_x_m = west_m;
    g.origin_y_m = north_m;
    g.width = width;
    g.height = height;
    return g;
}
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

    // Inside the cut (11.8-12.4 E, 50.1-50.45 N) in UTM 32N.
    const GridSpec g = utm32n_grid(704000.0, 5588000.0, 200.0, 170, 140);

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

TEST_CASE("terrain: the lattice transform reads what the exact one reads, to a float32 step",
          "[terrain][io]") {
    // 90 m pixels over the sample DEM's south edge (some pixels outside it: NaN in both) and its
    // hills, 3 degrees east of UTM 32N's central meridian. The lattice's source positions are
    // below 1e-8 source pixels from PROJ's, so a pixel's bilinear value can differ only where
    // the exact value lies next to a float32 rounding boundary.
    // The width is not a multiple of the lattice's 16 columns.
    const GridSpec g = utm32n_grid(700020.0, 5570040.0, 90.0, 333, 260);
    const std::vector<std::string> dem = {data_path("dem/hof_as_srtm3.tif")};
    io::TerrainReadOptions exact;
    exact.transform = io::TerrainTransform::exact;
    const Raster<float> a = io::load_terrain(dem, g, 0.0, nullptr, nullptr, exact);
    const Raster<float> b = io::load_terrain(dem, g, 0.0);
    std::size_t valid = 0, differing = 0, nan_mismatch = 0;
    double worst_m = 0.0;
    for (std::size_t i = 0; i < a.values.size(); ++i) {
        const float x = a.values[i], y = b.values[i];
        if (std::isnan(x) || std::isnan(y)) {
            nan_mismatch += std::isnan(x) != std::isnan(y);
            continue;
        }
        ++valid;
        differing += x != y;
        worst_m = std::max(worst_m, double(std::abs(x - y)));
        // At most one float32 step of the value (2^-14 m at 256..512 m, 2^-13 m up to 1024 m).
        CHECK(std::abs(x - y) <= std::nextafter(std::abs(x), INFINITY) - std::abs(x));
    }
    INFO("differing " << differing << " of " << valid << ", worst " << worst_m << " m");
    CHECK(nan_mismatch == 0);
    CHECK(valid > 50000);
    CHECK(valid < a.values.size());  // the grid reaches past the DEM
    CHECK(differing * 1000 < valid);
}

TEST_CASE("terrain: a source with overviews reads like the same source without them",
          "[terrain][io]") {
    // gdalwarp's -ovr AUTO would take the factor-2 overview for a 300 m grid over 3-arc-second
    // pixels while keeping the full-resolution resampling scale (a footprint twice too wide).
    TempDir tmp;
    const std::string whole = data_path("dem/hof_as_srtm3.tif");
    cut(whole, tmp / "plain.tif", 0, 0, 720, 420);
    cut(whole, tmp / "overviews.tif", 0, 0, 720, 420);
    {
        GDALDatasetH ds = GDALOpen((tmp / "overviews.tif").string().c_str(), GA_Update);
        REQUIRE(ds);
        const int factors[] = {2, 4};
        REQUIRE(GDALBuildOverviews(ds, "AVERAGE", 2, factors, 0, nullptr, nullptr, nullptr) ==
                CE_None);
        GDALClose(ds);
    }
    const GridSpec g = utm32n_grid(704100.0, 5588100.0, 300.0, 110, 90);
    const Raster<float> a = io::load_terrain({(tmp / "plain.tif").string()}, g, 0.0);
    const Raster<float> b = io::load_terrain({(tmp / "overviews.tif").string()}, g, 0.0);
    std::size_t valid = 0;
    for (float v : a.values) valid += !std::isnan(v);
    CHECK(valid == a.values.size());
    const bool same =
        std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)) == 0;
    CHECK(same);
}
