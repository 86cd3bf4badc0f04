// Reproducers of the reliability issue: inputs that crashed, hung or gave nonsense now end in
// one line naming what is wrong (file:line or the option), the documented exit code, and no
// output file.
#include <gdal_priv.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/analysis_area.hpp"
#include "io/crs.hpp"
#include "propagation/itm.hpp"
#include "propagation/itm_internal.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;
namespace itm = grenzfunk::propagation::itm;

namespace {

const std::string kDem = source_path("data/dem/vogtland_srtm3.tif");

std::string quoted(const fs::path& p) {
    std::string out = "'";  // appended: GCC 12 warns falsely on "'" + s + "'"
    out += p.string();
    out += '\'';
    return out;
}

// The output is exactly one line, and holds `text`.
void check_one_line(const CommandResult& r, const std::string& text) {
    INFO(r.output);
    CHECK(r.output.find(text) != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
}

std::string points_path(const std::string& extra) {
    return "path --terrain '" + kDem + "' --from 50.319,11.929 --to 50.250,12.100 " + extra;
}

// A small GeoTIFF in EPSG:4326 over the Vogtland (11.8-12.2 E, 50.1-50.4 N) of `value`; no
// geotransform when `georeferenced` is false.
void write_raster(const fs::path& p, int width, int height, float value, bool with_nodata,
                  bool georeferenced = true) {
    GDALAllRegister();
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    REQUIRE(gtiff);
    GDALDataset* ds = gtiff->Create(p.string().c_str(), width, height, 1, GDT_Float32, nullptr);
    REQUIRE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    ds->SetSpatialRef(&srs);
    if (georeferenced) {
        double gt[6] = {11.8, 0.4 / width, 0.0, 50.4, 0.0, -0.3 / height};
        ds->SetGeoTransform(gt);
    }
    GDALRasterBand* band = ds->GetRasterBand(1);
    if (with_nodata) band->SetNoDataValue(value);
    band->Fill(value);
    GDALClose(GDALDataset::ToHandle(ds));
}

}  // namespace

TEST_CASE("reliability: [border] without exceedance_resolution_m on a coarse grid",
          "[reliability][scenario]") {
    // Was a segfault: the missing key's node was dereferenced for the message.
    TempDir tmp;
    write_file(tmp / "s.toml",
               "name = \"b\"\n"
               "[terrain]\nfiles = [\"" +
                   kDem +
                   "\"]\n"
                   "[[sites]]\nfile = \"" +
                   source_path("data/sites/de_sample_sites.csv") +
                   "\"\n"
                   "[grid]\nresolution_m = 1000\n"
                   "[border]\nhome_file = \"x.geojson\"\nrules_file = \"r.toml\"\n");
    const CommandResult r =
        run_cli("run " + quoted(tmp / "s.toml") + " -q -o " + quoted(tmp / "out"));
    CHECK(r.exit_code == 1);
    check_one_line(r,
                   "s.toml:8: border.exceedance_resolution_m: the default 500 m is finer than "
                   "grid.resolution_m = 1000 m; set it to 0 (none) or at least 1000");
    CHECK(!fs::exists(tmp / "out"));
}

TEST_CASE("reliability: path --step-m outside [1, 10000] m", "[reliability][path]") {
    // Was a segfault: the terrain window's GDAL create failed and was used anyway.
    for (const char* step : {"0", "-5", "0.01", "nan", "1e-6", "20000"}) {
        const CommandResult r = run_cli(points_path("-f 806 --step-m " + std::string(step)));
        CHECK(r.exit_code == 1);
        check_one_line(r, "--step-m: ");
        check_one_line(r, " m is outside [1, 10000] m");
        CHECK(r.output.find("loss_db") == std::string::npos);
    }
}

TEST_CASE("reliability: pfl profiles outside their limits", "[reliability][path]") {
    // Were a segfault in ITM's Δh (step 1e308), undefined behaviour (1e300 intervals cast to
    // size_t) and a loss of -5963 dB with exit 0 (step 1e-300).
    TempDir tmp;
    struct Case {
        const char* text;
        const char* message;
    };
    const Case cases[] = {
        {"5 1e308\n300 310 320 330 301 300\n",
         "p.pfl:1: value 2: interval length must be within [1, 10000] m, got 1e+308"},
        {"2 1e-300\n300 310 300\n",
         "p.pfl:1: value 2: interval length must be within [1, 10000] m, got 1e-300"},
        {"1e300 100\n300 301 300\n",
         "p.pfl:1: value 1: number of intervals must be a whole number in [1, 4000000], got "
         "1e+300"},
        {"2.5 100\n300 301 300\n",
         "p.pfl:1: value 1: number of intervals must be a whole number in [1, 4000000], got 2.5"},
        {"0 100\n300\n",
         "p.pfl:1: value 1: number of intervals must be a whole number in [1, 4000000], got 0"},
        {"4 100\n300 310\n320\n", "p.pfl:1: 4 intervals need 5 elevations, found 3"},
        {"4 100\n300 310\n1e300 301 300\n",
         "p.pfl:3: value 5: elevation 1e+300 m is outside [-500, 9000] m"},
        {"2 100\n300 -600 300\n", "p.pfl:2: value 4: elevation -600 m is outside [-500, 9000] m"},
        {"1000 10000\n0 0\n", "p.pfl:1: profile length 10000 km exceeds 3000 km"},
    };
    for (const Case& c : cases) {
        write_file(tmp / "p.pfl", c.text);
        for (const char* model : {"itm", "p526-bullington"}) {
            const CommandResult r = run_cli("path -f 806 -m " + std::string(model) + " --profile " +
                                            quoted(tmp / "p.pfl"));
            CHECK(r.exit_code == 1);
            check_one_line(r, c.message);
            CHECK(r.output.find("loss_db") == std::string::npos);
        }
    }

    // In a cases file the same profile stops the run before any result is written.
    write_file(tmp / "cases.csv",
               "id,h_tx__meter,h_rx__meter,climate,N_0,f__mhz,pol,epsilon,sigma,mdvar,time,"
               "location,situation,pfl\n"
               "c1,30,1.5,5,301,806,1,15,0.005,0,50,50,50,p.pfl\n");
    write_file(tmp / "p.pfl", "5 1e308\n300 310 320 330 301 300\n");
    const CommandResult r = run_cli("path -m itm --cases " + quoted(tmp / "cases.csv") + " -o " +
                                    quoted(tmp / "o.csv"));
    CHECK(r.exit_code == 1);
    check_one_line(r, "p.pfl:1: value 2: interval length must be within [1, 10000] m");
    CHECK(!fs::exists(tmp / "o.csv"));
}

TEST_CASE("reliability: ITM never indexes outside a profile", "[reliability][itm]") {
    itm::Inputs in;
    in.frequency_mhz = 806.0;
    in.tx_height_m = 30.0;
    in.rx_height_m = 1.5;
    in.variability.time_percent = in.variability.location_percent =
        in.variability.situation_percent = 50.0;
    // A length that overflows is an invalid profile, not NaN indices.
    const std::vector<double> z = {300.0, 310.0, 320.0, 330.0, 301.0, 300.0};
    CHECK(itm::point_to_point(in, 1e308, z).error == itm::Error::profile);

    // Finite heights whose differences overflow: residuals are infinite, the result is simply
    // not a number.
    std::vector<double> wild(101);
    for (std::size_t i = 0; i < wild.size(); ++i) wild[i] = (i % 2 ? 1.0 : -1.0) * 1.7e308;
    const itm::Result w = itm::point_to_point(in, 100.0, wild);
    CHECK(!(w.ok() && w.loss_db < 0.0));

    // Δh with distances beyond the profile, reversed, infinite or NaN.
    const itm::detail::Profile p{wild.data(), 100, 100.0};
    const double inf = std::numeric_limits<double>::infinity();
    for (const auto& [from_m, to_m] : std::vector<std::pair<double, double>>{
             {-1e6, 2e6}, {0.0, inf}, {-inf, inf}, {5e3, 1e3}, {NAN, 1e3}, {0.0, 1e300}})
        (void)itm::detail::interdecile_delta_h(p, from_m, to_m);

    // Any profile within the pfl limits: a finite, non-negative Δh and a finite loss.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> height(-500.0, 9000.0), step(1.0, 10000.0);
    for (int trial = 0; trial < 200; ++trial) {
        const int intervals = 1 + int(rng() % 300);
        std::vector<double> profile(std::size_t(intervals) + 1);
        for (double& h : profile) h = height(rng);
        const itm::detail::Profile q{profile.data(), intervals, step(rng)};
        const double dh = itm::detail::interdecile_delta_h(q, 0.0, q.length_m());
        CHECK((std::isfinite(dh) && dh >= 0.0));
    }
}

TEST_CASE("reliability: path between far-apart points", "[reliability][path]") {
    // Was a terrain window of (length / step)^2 pixels: 5.6 GB after 10 minutes.
    const CommandResult far =
        run_cli("path --terrain '" + kDem + "' --from 50,0 --to 20,40 -f 806");
    CHECK(far.exit_code == 1);
    check_one_line(far,
                   "--from/--to: the path is 5029.9 km long; no model supports paths beyond "
                   "3000 km");
    // Within the limit but leaving the terrain: read window by window, stops at the edge.
    const CommandResult off =
        run_cli("path --terrain '" + kDem + "' --from 50.3,11.9 --to 40,20 -f 806");
    CHECK(off.exit_code == 1);
    check_one_line(off, "--from/--to: the path leaves the terrain or crosses a void");
}

TEST_CASE("reliability: path stops on SIGINT", "[reliability][path]") {
    // Was ignored: the whole profile was computed. 1 m steps across the raster take far longer
    // than the 2 s before the signal.
    const CommandResult r = run_cli(
        "path --terrain '" + kDem + "' --from 50.75,11.55 --to 49.85,13.45 -f 806 --step-m 1",
        "timeout --preserve-status -s INT 2");
    CHECK(r.exit_code == 130);
    // main() starts the message on a new line (it may follow a progress line).
    CHECK(r.output == "\ngrenzfunk: interrupted; no outputs were written\n");
}

TEST_CASE("reliability: terrain rasters that cannot be used say why", "[reliability][terrain]") {
    TempDir tmp;
    write_raster(tmp / "nodata.tif", 20, 20, -32768.0f, true);
    write_raster(tmp / "one.tif", 1, 1, 500.0f, false);
    write_raster(tmp / "nogt.tif", 20, 20, 500.0f, false, false);
    const std::pair<const char*, const char*> cases[] = {
        {"nodata.tif", "nodata.tif: terrain raster holds only nodata pixels"},
        {"one.tif", "one.tif: terrain raster is too small (1 x 1 pixels; at least 2 x 2 needed)"},
        {"nogt.tif", "nogt.tif: terrain raster has no georeferencing"},
    };
    for (const auto& [file, message] : cases) {
        const CommandResult r = run_cli("path --terrain " + quoted(tmp / file) +
                                        " --from 50.3,11.9 --to 50.2,12.1 -f 806");
        CHECK(r.exit_code == 1);
        check_one_line(r, message);
    }
}

TEST_CASE("reliability: a grid too large names the keys that set it", "[reliability][scenario]") {
    TempDir tmp;
    write_file(tmp / "s.toml",
               "name = \"big\"\n"
               "[terrain]\nfiles = [\"" +
                   kDem +
                   "\"]\n"
                   "[[sites]]\nfile = \"" +
                   source_path("data/sites/de_sample_sites.csv") +
                   "\"\n"
                   "[grid]\nresolution_m = 1\n"
                   "extent_lonlat_deg = [11.6, 49.85, 13.2, 50.7]\n");
    const CommandResult r =
        run_cli("run " + quoted(tmp / "s.toml") + " -q -o " + quoted(tmp / "out"));
    CHECK(r.exit_code == 1);
    check_one_line(r, "grid.resolution_m: the grid of grid.extent_lonlat_deg");
    check_one_line(r,
                   "(more than 400 million) is too large; choose a coarser grid.resolution_m "
                   "or a smaller extent");
    CHECK(!fs::exists(tmp / "out"));

    // With the scenario's lines (io::GridSizeWhere), as the scenario reader records them.
    const std::string crs = "EPSG:25832";
    const io::LonLatTransform transform(crs);
    io::GridSizeWhere where{"s.toml:8", "s.toml:9", ""};
    try {
        io::make_analysis_area(crs, io::projected_crs_wkt(crs, "test"), 1.0,
                               std::array<double, 4>{11.6, 49.85, 13.2, 50.7}, {}, 30e3, transform,
                               where);
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("s.toml:8: grid.resolution_m: the grid of "
                                               "grid.extent_lonlat_deg (s.toml:9) would be "));
    }
}

TEST_CASE("reliability: usage errors exit 2 with one line", "[reliability][cli]") {
    TempDir tmp;
    const CommandResult missing = run_cli("run " + quoted(tmp / "missing.toml"));
    CHECK(missing.exit_code == 2);  // was CLI11's 105
    check_one_line(missing, "grenzfunk: usage error: ");
    check_one_line(missing, "missing.toml");
    const CommandResult unknown = run_cli("path --no-such-option");
    CHECK(unknown.exit_code == 2);
    check_one_line(unknown, "grenzfunk: usage error: ");
    CHECK(run_cli("--help").exit_code == 0);
    CHECK(run_cli("run --help").exit_code == 0);
    CHECK(run_cli("--version").exit_code == 0);

    const CommandResult no_frequency = run_cli(points_path(""));
    CHECK(no_frequency.exit_code == 1);
    check_one_line(no_frequency, "--frequency-mhz (-f): missing; give the frequency in MHz");
}
