// The one path builder (engine/path_builder.hpp): `grenzfunk path` gives the reference engine's
// loss for the same transmitter and pixel, for every registered model; the pixels' lon/lat
// (GridGeography) agree with PROJ; the path centre is the great-circle midpoint.
#include <gdal_priv.h>

#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "core/geo_post_grid.hpp"
#include "core/parameters.hpp"
#include "core/units.hpp"
#include "engine/path_builder.hpp"
#include "io/crs.hpp"
#include "io/geo_post_grid_reader.hpp"
#include "propagation/p1812.hpp"
#include "propagation/registry.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

namespace {

std::string full(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// The value after "loss_db_full" in `grenzfunk path` output (NaN if missing).
double full_loss(const std::string& output) {
    const auto at = output.find("loss_db_full");
    if (at == std::string::npos) return std::numeric_limits<double>::quiet_NaN();
    return std::stod(output.substr(at + 12));
}

}  // namespace

TEST_CASE("path builder: pixels' lon/lat come from PROJ, the same from any thread", "[path]") {
    for (const char* crs : {"EPSG:25832", "EPSG:25833", "EPSG:3035"}) {
        INFO(crs);
        const engine::LonLatOf lon_lat_of = io::lon_lat_of_crs(crs);
        io::LonLatTransform proj(crs);
        std::vector<std::array<double, 2>> xy;
        for (double lon = 11.0; lon <= 13.0; lon += 0.25)
            for (double lat = 49.5; lat <= 51.0; lat += 0.25) {
                double x, y;
                REQUIRE(proj.forward(lon, lat, x, y));
                xy.push_back({x, y});
            }
        // Four threads at once, each over every point: bit-identical to the one transform.
        std::vector<std::vector<double>> got(4);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (const auto& p : xy) {
                    double lon = 0, lat = 0;
                    lon_lat_of(p[0], p[1], lon, lat);
                    got[std::size_t(t)].push_back(lon);
                    got[std::size_t(t)].push_back(lat);
                }
            });
        for (auto& t : threads) t.join();
        std::vector<double> expected;
        for (const auto& p : xy) {
            double lon, lat;
            REQUIRE(proj.inverse(p[0], p[1], lon, lat));
            expected.push_back(lon);
            expected.push_back(lat);
        }
        for (const auto& g : got) CHECK(g == expected);
    }
}

TEST_CASE("path builder: the path centre is the great-circle midpoint (P.2001 Att. H)", "[path]") {
    const double lat1 = 50.319, lon1 = 11.929, lat2 = 49.9, lon2 = 12.9;
    const engine::LonLat c = engine::path_centre({lon1, lat1}, {lon2, lat2});
    // Great-circle distance on the 6371 km sphere, then Attachment H's point at half of it.
    const double p1 = lat1 * units::pi / 180, p2 = lat2 * units::pi / 180,
                 dl = (lon2 - lon1) * units::pi / 180;
    const double d_km = 6371.0 * std::acos(std::sin(p1) * std::sin(p2) +
                                           std::cos(p1) * std::cos(p2) * std::cos(dl));
    const auto h = propagation::great_circle_intermediate_point(lat1, lon1, lat2, lon2, d_km / 2);
    CHECK(c.lat_deg == Approx(h.lat_deg).margin(1e-9));
    CHECK(c.lon_deg == Approx(h.lon_deg).margin(1e-9));
    // Not the transmitter's latitude, nor (for an east-west path) the mean of the latitudes.
    CHECK(std::abs(c.lat_deg - lat1) > 0.1);
    const engine::LonLat ew = engine::path_centre({11.0, 50.0}, {13.0, 50.0});
    // 143 km east-west at 50 N: the great circle bulges (d/2)^2 tan(phi) / (2 R) = 0.48 km north.
    CHECK(ew.lat_deg == Approx(50.0043).margin(1e-4));
    CHECK(std::isnan(engine::path_centre({11.0, NAN}, {13.0, 50.0}).lat_deg));

    // A query for a given profile without geography leaves every position unknown.
    const propagation::PathQuery q;
    CHECK(std::isnan(q.centre_lat_deg));
    CHECK(std::isnan(q.rx_lon_deg));
}

TEST_CASE("path builder: `path --scenario` gives the reference engine's loss, every model",
          "[path][cli]") {
    // Hof, sector 1; per model a frequency within its range. The scenario (small.toml's cut,
    // 3 km radius) is run with the reference engine and per-cell path-loss rasters; pixels of
    // the raster are then computed by `grenzfunk path` from the site to the pixel centre.
    const double site_lat = 50.319, site_lon = 11.929, height_m = 35.0;
    TempDir tmp;
    io::LonLatTransform transform("EPSG:25832");
    GDALAllRegister();
    // Every registered model with its defaults, and P.1812 where the path centre matters (1 %
    // of time: beta0 of eqs. (4)-(5)) and with the P.2108 clutter wrapper.
    struct Variant {
        std::string model, label, extra;
    };
    std::vector<Variant> variants;
    for (const auto& info : propagation::registered_models())
        variants.push_back({info.name, info.name, ""});
    variants.push_back({"p1812", "p1812-t1", "[propagation.parameters]\ntime_percent = 1.0\n"});
    variants.push_back({"p1812", "p1812+p2108", "clutter_loss = \"p2108\"\n"});
    for (const Variant& variant : variants) {
        const std::string& model = variant.model;
        // hcm samples its own profile from the run's (geographic) terrain.
        propagation::ModelResources resources;
        if (propagation::model_needs_geographic_terrain(model))
            resources.geographic_terrain = std::make_shared<const GeoPostGrid>(
                io::read_geo_post_grid(data_path("dem/hof_as_srtm3.tif")));
        const auto probe = propagation::create_model(model, ParameterSet{}, resources);
        const auto range = probe->validity();
        const double frequency_mhz =
            806.0 >= range.min_frequency_mhz && 806.0 <= range.max_frequency_mhz
                ? 806.0
                : 0.5 * (range.min_frequency_mhz + range.max_frequency_mhz);
        const fs::path dir = tmp / variant.label;
        fs::create_directories(dir);
        write_file(dir / "sites.csv",
                   "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
                   "mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,"
                   "antenna_pattern,technology,operator,country\n"
                   "HOF1-1,HOF1,Hof," +
                       full(site_lat) + "," + full(site_lon) + "," + full(height_m) + ",0,0,3," +
                       full(frequency_mhz) + ",10,59.0,3gpp-65,LTE,DE-sample,DE\n");
        write_file(dir / "scenario.toml",
                   "name = \"path_builder\"\n[terrain]\nfiles = [\"" +
                       data_path("dem/hof_as_srtm3.tif") + "\"]\n[[sites]]\nfile = \"" +
                       (dir / "sites.csv").string() +
                       "\"\n[grid]\ncrs = \"EPSG:25832\"\nresolution_m = 250.0\n"
                       "extent_lonlat_deg = [11.88, 50.29, 11.98, 50.35]\n"
                       "[receiver]\nheight_agl_m = 1.5\n"
                       "[propagation]\nmodel = \"" +
                       model + "\"\nmax_radius_km = 3.0\n" + variant.extra +
                       "[output]\npath_loss_per_cell = true\n");
        const auto run = run_cli("run '" + (dir / "scenario.toml").string() +
                                 "' --engine reference -q -o '" + (dir / "out").string() + "'");
        INFO(variant.label << ": " << run.output);
        REQUIRE(run.exit_code == 0);

        std::unique_ptr<GDALDataset> ds(GDALDataset::FromHandle(
            GDALOpen((dir / "out/cells/HOF1-1_path_loss_db.tif").string().c_str(), GA_ReadOnly)));
        REQUIRE(ds);
        double gt[6];
        ds->GetGeoTransform(gt);
        const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
        std::vector<float> loss(std::size_t(w) * h);
        REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, w, h, loss.data(), w, h, GDT_Float32,
                                               0, 0) == CE_None);
        int nodata_ok = 0;
        const double nodata = ds->GetRasterBand(1)->GetNoDataValue(&nodata_ok);

        double max_diff_db = 0.0;  // |path (double) - raster (Float32)|
        int compared = 0, float_equal = 0;
        // Pixels spread over the window: near the site, mid-range and at the rim.
        for (const auto& [fc, fr] :
             {std::pair{0.5, 0.5}, std::pair{0.55, 0.45}, std::pair{0.2, 0.5}, std::pair{0.8, 0.3},
              std::pair{0.35, 0.85}, std::pair{0.9, 0.6}}) {
            const int col = int(fc * (w - 1)), row = int(fr * (h - 1));
            const float engine_db = loss[std::size_t(row) * w + col];
            if (std::isnan(engine_db) || (nodata_ok && engine_db == float(nodata))) continue;
            const double x = gt[0] + (col + 0.5) * gt[1], y = gt[3] + (row + 0.5) * gt[5];
            double lon, lat;
            REQUIRE(transform.inverse(x, y, lon, lat));
            const auto path = run_cli("path --scenario '" + (dir / "scenario.toml").string() +
                                      "' -f " + full(frequency_mhz) + " --tx-height-m " +
                                      full(height_m) + " --from " + full(site_lat) + "," +
                                      full(site_lon) + " --to " + full(lat) + "," + full(lon));
            INFO(path.output);
            REQUIRE(path.exit_code == 0);
            const double path_db = full_loss(path.output);
            REQUIRE(std::isfinite(path_db));
            // The raster holds Float32: the path's loss must round to it, up to 1e-6 dB (the
            // pixel's lon/lat round trip through PROJ moves it by ~1e-9 m).
            const double half_ulp_db =
                0.5 * (std::nextafter(engine_db, INFINITY) - double(engine_db));
            CHECK(std::abs(path_db - double(engine_db)) <= half_ulp_db + 1e-6);
            max_diff_db = std::max(max_diff_db, std::abs(path_db - double(engine_db)));
            float_equal += float(path_db) == engine_db;
            ++compared;
        }
        CHECK(compared >= 5);
        std::printf("[path] %-16s %d pixels, max |path - run| = %.3g dB, %d equal as Float32\n",
                    variant.label.c_str(), compared, max_diff_db, float_equal);
    }
}
