// End-to-end runs of the grenzfunk CLI on a small cut of the sample data: GeoTIFF read-back,
// determinism across thread counts and locales, and every bad-input case giving a one-line
// message, a non-zero exit and no output left behind.
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "test_environment.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk::test;

namespace {

// The small scenario with absolute paths, so variants can live in a temp dir.
struct ScenarioBuilder {
    std::string terrain = data_path("dem/hof_as_srtm3.tif");
    std::string sites = data_path("sites/hof_rehau_sites.csv");
    std::string crs = "EPSG:25832";
    std::string model = "p526-bullington";
    std::string extent = "[11.88, 50.2, 12.1, 50.36]";
    std::string extra;
    double radius_km = 8.0;

    std::string text() const {
        std::ostringstream s;
        s << "name = \"variant\"\n[terrain]\nfiles = [\"" << terrain << "\"]\n"
          << "[[sites]]\nfile = \"" << sites << "\"\n"
          << "[grid]\ncrs = \"" << crs << "\"\nresolution_m = 250.0\nextent_lonlat_deg = " << extent
          << "\n[propagation]\nmodel = \"" << model << "\"\nmax_radius_km = " << radius_km << "\n"
          << extra;
        return s.str();
    }
    fs::path write(const TempDir& dir, const std::string& name = "scenario.toml") const {
        const fs::path p = dir / name;
        write_file(p, text());
        return p;
    }
};

struct Band {
    std::vector<float> values;
    int width = 0, height = 0;
    double nodata = 0;
    bool has_nodata = false;
    std::string epsg, unit, description;
    std::map<std::string, std::string> metadata;
};

Band read_band(const fs::path& path) {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::FromHandle(GDALOpen(path.string().c_str(), GA_ReadOnly)));
    REQUIRE(ds);
    Band b;
    b.width = ds->GetRasterXSize();
    b.height = ds->GetRasterYSize();
    GDALRasterBand* band = ds->GetRasterBand(1);
    int ok = 0;
    b.nodata = band->GetNoDataValue(&ok);
    b.has_nodata = ok != 0;
    b.values.resize(std::size_t(b.width) * b.height);
    REQUIRE(band->RasterIO(GF_Read, 0, 0, b.width, b.height, b.values.data(), b.width, b.height,
                           GDT_Float32, 0, 0) == CE_None);
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    REQUIRE(srs);
    const char* code = srs->GetAuthorityCode(nullptr);
    b.epsg = code ? code : "";
    b.unit = band->GetUnitType();
    b.description = band->GetDescription();
    for (char** md = ds->GetMetadata(); md && *md; ++md) {
        const std::string item(*md);
        const auto eq = item.find('=');
        if (eq != std::string::npos) b.metadata[item.substr(0, eq)] = item.substr(eq + 1);
    }
    return b;
}

bool no_outputs_left(const fs::path& dir) {
    if (!fs::exists(dir)) return true;
    return fs::is_empty(dir);
}

}  // namespace

TEST_CASE("cli: the small scenario writes COG GeoTIFFs in EPSG:25832 with plausible values",
          "[cli][e2e]") {
    TempDir tmp;
    const auto r = run_cli("run '" + data_path("scenarios/small.toml") + "' --quiet --output '" +
                           (tmp / "out").string() + "'");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);

    const Band level = read_band(tmp / "out/best_rx_level_dbm.tif");
    CHECK(level.epsg == "25832");
    CHECK(level.has_nodata);
    CHECK(level.nodata == -9999.0);
    CHECK(level.unit == "dBm");
    CHECK(level.metadata.count("GRENZFUNK_SCENARIO_SHA256") == 1);
    CHECK(level.metadata.at("GRENZFUNK_MODEL") == "p526-bullington");
    std::size_t valid = 0, nodata = 0;
    float lo = 1e9f, hi = -1e9f;
    for (float v : level.values) {
        if (v == -9999.0f) {
            ++nodata;
            continue;
        }
        ++valid;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    CHECK(valid > 1000);
    CHECK(nodata > 0);  // pixels outside the lon/lat box
    // Received levels of a 59-61 dBm EIRP macro cell within 8 km: about -150 to -20 dBm.
    CHECK(lo > -160.0f);
    // The strongest pixel lies within ~100 m of a 61 dBm site: free space alone gives
    // 61 - 32.45 - 20 log10(1815) - 20 log10(0.1) = -16.6 dBm there.
    CHECK(hi < -10.0f);
    CHECK(hi > -60.0f);

    const Band server = read_band(tmp / "out/best_server.tif");
    CHECK(server.epsg == "25832");
    CHECK(server.has_nodata);
    CHECK(server.nodata == -1.0);
    float max_index = -1;
    for (float v : server.values) max_index = std::max(max_index, v);
    CHECK(max_index == 8.0f);  // nine cells, all serving somewhere

    const Band field = read_band(tmp / "out/max_field_strength_dbuv_per_m.tif");
    CHECK(field.unit == "dBuV/m");
    // E = Pr + 20 log f + 77.2: at 806 MHz field - level is 135.3 dB where an 806 MHz cell is
    // strongest; at least it must lie between the two carriers' offsets.
    for (std::size_t i = 0; i < field.values.size(); ++i) {
        if (level.values[i] == -9999.0f) continue;
        const double offset = field.values[i] - level.values[i];
        REQUIRE(offset > 135.3 - 0.01);
        REQUIRE(offset < 142.4 + 0.01);
    }
    CHECK(fs::exists(tmp / "out/cells.csv"));
    CHECK(fs::exists(tmp / "out/manifest.json"));
    CHECK(fs::exists(tmp / "out/terrain_m.tif"));
}

TEST_CASE("cli: outputs are byte-identical for 1 and 2 threads and under a German locale",
          "[cli][determinism]") {
    TempDir tmp;
    const std::string scenario = data_path("scenarios/small.toml");
    const auto a = run_cli("run '" + scenario + "' -q -j 1 -o '" + (tmp / "a").string() + "'");
    const auto b = run_cli("run '" + scenario + "' -q -j 2 -o '" + (tmp / "b").string() + "'");
    REQUIRE(a.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    const char* const names[] = {"best_rx_level_dbm.tif", "best_server.tif",
                                 "max_field_strength_dbuv_per_m.tif", "terrain_m.tif", "cells.csv"};
    for (const char* name : names) {
        INFO(name);
        const std::string bytes_a = read_file(tmp / "a" / name);
        CHECK(!bytes_a.empty());
        CHECK(bytes_a == read_file(tmp / "b" / name));
    }
    // Without the locale installed the C library would silently run in "C".
    GRENZFUNK_REQUIRE_ENVIRONMENT(locale_installed("de_DE.UTF-8"),
                                  "GRENZFUNK_TEST_ALLOW_MISSING_LOCALE",
                                  "the locale de_DE.UTF-8 is not installed (see `locale -a`; "
                                  "tools/setup-debian.sh builds it)");
    const auto c = run_cli("run '" + scenario + "' -q -j 2 -o '" + (tmp / "c").string() + "'",
                           "LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8");
    INFO(c.output);
    REQUIRE(c.exit_code == 0);
    for (const char* name : names) {
        INFO(name);
        CHECK(read_file(tmp / "a" / name) == read_file(tmp / "c" / name));
    }
}

TEST_CASE("cli: bad input gives one clear line, a non-zero exit and no outputs", "[cli][errors]") {
    TempDir tmp;
    const fs::path out = tmp / "out";
    ScenarioBuilder b;
    std::string expect;

    SECTION("malformed sites file") {
        const fs::path sites = tmp / "sites.csv";
        std::string text = read_file(b.sites);
        text += "BAD-1,BAD,Bad,50.3,not-a-number,30,0,0,0,806,10,59,3gpp-65,LTE,x,DE\n";
        write_file(sites, text);
        b.sites = sites.string();
        expect = "sites.csv:11";
    }
    SECTION("site outside the terrain") {
        const fs::path sites = tmp / "sites.csv";
        std::string text = read_file(b.sites);
        // 11.775 E lies 1.7 km west of the terrain cut (11.8-12.4 E, voids filled up to 1 km
        // beyond), but within the 8 km reach of the analysis area (from 11.88 E).
        text += "FAR-1,FAR,Far,50.30,11.775,30,0,0,0,806,10,59,omni,LTE,x,DE\n";
        write_file(sites, text);
        b.sites = sites.string();
        expect = "outside the terrain";
    }
    SECTION("nodata hole in the terrain") {
        // Punch a 3 km hole into a copy of the DEM near Hof.
        GDALAllRegister();
        const fs::path dem = tmp / "holey.tif";
        {
            std::unique_ptr<GDALDataset> src(
                GDALDataset::FromHandle(GDALOpen(b.terrain.c_str(), GA_ReadOnly)));
            GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
            std::unique_ptr<GDALDataset> dst(gtiff->CreateCopy(dem.string().c_str(), src.get(),
                                                               FALSE, nullptr, nullptr, nullptr));
            std::vector<std::int16_t> hole(60 * 40, -32768);
            // 11.95-12.0 E, 50.27-50.30 N: pixel (180,180) onwards of the cut.
            REQUIRE(dst->GetRasterBand(1)->RasterIO(GF_Write, 180, 180, 60, 40, hole.data(), 60, 40,
                                                    GDT_Int16, 0, 0) == CE_None);
        }
        b.terrain = dem.string();
        expect = "void wider than terrain.void_fill_max_distance_m";
    }
    SECTION("unknown CRS") {
        b.crs = "EPSG:999999";
        expect = "grid.crs: unknown CRS";
    }
    SECTION("frequency outside the model's range") {
        b.model = "free-space";
        b.extra = "";
        // free-space is defined everywhere; Hata stops at 1500 MHz (the 1815 MHz carriers).
        b.model = "okumura-hata";
        expect = "1815 MHz is outside the range of model 'okumura-hata'";
    }
    SECTION("corrupt raster") {
        const fs::path dem = tmp / "corrupt.tif";
        std::string bytes = read_file(b.terrain);
        bytes.resize(bytes.size() / 3);  // truncated download
        write_file(dem, bytes);
        b.terrain = dem.string();
        expect = "corrupt.tif";
    }
    SECTION("unknown scenario key") {
        b.extra = "[receiver]\nheigth_agl_m = 1.5\n";
        expect = "scenario.toml:14: receiver.heigth_agl_m: unknown key";
    }
    SECTION("bad value type") {
        b.extra = "[receiver]\nheight_agl_m = \"tall\"\n";
        expect = "scenario.toml:14: receiver.height_agl_m: expected a number";
    }
    SECTION("unknown model parameter") {
        b.extra = "[propagation.parameters]\nk_fatcor = 1.33\n";
        expect = "propagation.parameters.k_fatcor: not a parameter";
    }

    const fs::path scenario = b.write(tmp);
    const auto r = run_cli("run '" + scenario.string() + "' -q -o '" + out.string() + "'");
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(expect) != std::string::npos);
    CHECK(r.output.find("grenzfunk: error: ") == 0);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);  // one line
    CHECK(no_outputs_left(out));
}

TEST_CASE("cli: a full disk fails the run without leaving partial outputs", "[cli][errors]") {
    // /dev/full accepts opens and fails every write with ENOSPC: a directory of links to it
    // cannot be made, so use a tiny tmpfs (mounting needs root, as tools/test.sh runs in CI).
    TempDir tmp;
    const fs::path mount_point = tmp / "full";
    const SmallTmpfs mount(mount_point, "size=16k", 0);
    GRENZFUNK_REQUIRE_ENVIRONMENT(mount.mounted(), "GRENZFUNK_TEST_ALLOW_MISSING_TMPFS",
                                  mount.error());
    const auto r = run_cli("run '" + data_path("scenarios/small.toml") + "' -q -o '" +
                           (mount_point / "out").string() + "'");
    std::vector<std::string> left;
    for (const auto& e : fs::recursive_directory_iterator(mount_point))
        if (e.is_regular_file()) left.push_back(e.path().string());
    INFO(r.output);
    CHECK(r.exit_code == 3);
    CHECK(r.output.find("grenzfunk: error: ") == 0);
    CHECK(left.empty());
}

TEST_CASE("cli: --help teaches and --version answers", "[cli]") {
    const auto help = run_cli("--help");
    CHECK(help.exit_code == 0);
    CHECK(help.output.find("grenzfunk run data/scenarios/border_sample.toml") != std::string::npos);
    const auto version = run_cli("--version");
    CHECK(version.exit_code == 0);
    CHECK(version.output.find("grenzfunk 0.") != std::string::npos);
}

TEST_CASE("cli: path evaluates one profile from a pfl file", "[cli][path]") {
    TempDir tmp;
    // Flat 10 km profile (200 m steps): the Bullington term vanishes well clear of the ground,
    // so the loss is free space: 32.45 + 20 log10(1000) + 20 log10(10) = 112.45 dB.
    std::ostringstream pfl;
    pfl << "50 200";
    for (int i = 0; i <= 50; ++i) pfl << " 0";
    write_file(tmp / "flat.pfl", pfl.str());
    const auto r =
        run_cli("path --model free-space -f 1000 --profile '" + (tmp / "flat.pfl").string() + "'");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(r.output.find("loss_db          112.45") != std::string::npos);
}

TEST_CASE("cli: the small scenario runs with ITM, P.1812 and P.1546 (+ P.2108 clutter)",
          "[cli][e2e][models]") {
    TempDir tmp;
    for (const std::string model : {"itm", "p1812", "p1546"}) {
        ScenarioBuilder b;
        b.model = model;
        b.radius_km = 4.0;
        b.extra = "clutter_loss = \"p2108\"\n";
        const fs::path scenario = b.write(tmp, model + ".toml");
        const auto r =
            run_cli("run '" + scenario.string() + "' -q -o '" + (tmp / model).string() + "'");
        INFO(model << ": " << r.output);
        REQUIRE(r.exit_code == 0);
        const Band level = read_band(tmp / model / "best_rx_level_dbm.tif");
        CHECK(level.metadata.at("GRENZFUNK_MODEL") == model + "+p2108");
        std::size_t valid = 0;
        for (float v : level.values) {
            if (v == -9999.0f) continue;
            ++valid;
            REQUIRE(v > -200.0f);
            REQUIRE(v < 0.0f);
        }
        CHECK(valid > 500);
    }
}

TEST_CASE("cli: path --cases reproduces the NTIA ITM values of the region set",
          "[cli][path][itm]") {
    // tests/data/itm_region/cases.csv: 120 real-terrain cases with A__db from NTIA's ITM
    // (printed to 1e-4 dB); the CLI must print the same digits and the same mode.
    const auto r = run_cli("path --model itm --cases '" + data_path("itm_region/cases.csv") + "'");
    REQUIRE(r.exit_code == 0);
    std::map<std::string, std::pair<double, int>> printed;
    std::istringstream out(r.output);
    std::string line;
    std::getline(out, line);
    CHECK(line == "id,loss_db,prop_mode,warnings");
    while (std::getline(out, line)) {
        std::istringstream fields(line);
        std::string id, loss, mode;
        std::getline(fields, id, ',');
        std::getline(fields, loss, ',');
        std::getline(fields, mode, ',');
        printed[id] = {std::stod(loss), std::stoi(mode)};
    }
    std::ifstream cases(data_path("itm_region/cases.csv"));
    std::vector<std::string> header;
    std::size_t checked = 0;
    while (std::getline(cases, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::istringstream fields(line);
        std::string f;
        while (std::getline(fields, f, ',')) cols.push_back(f);
        if (header.empty()) {
            header = cols;
            continue;
        }
        auto col = [&](const std::string& name) {
            return cols[std::find(header.begin(), header.end(), name) - header.begin()];
        };
        const auto it = printed.find(col("id"));
        REQUIRE(it != printed.end());
        INFO(col("id"));
        // Both printed to 1e-4 dB: the same digits (all 120 are; one step apart would mean
        // the two rounded differently).
        CHECK_THAT(it->second.first, Catch::Matchers::WithinAbs(std::stod(col("A__db")), 1e-6));
        CHECK(it->second.second == std::stoi(col("prop_mode")));
        ++checked;
    }
    CHECK(checked == 120);
}

namespace {

// The number after `label` on the first line of `output` that starts with it (leading blanks
// ignored); NaN when there is none.
double printed_value(const std::string& output, const std::string& label) {
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        const std::size_t at = line.find_first_not_of(' ');
        if (at == std::string::npos || line.compare(at, label.size(), label) != 0) continue;
        try {
            return std::stod(line.substr(at + label.size()));
        } catch (const std::exception&) {
            break;
        }
    }
    return NAN;
}

}  // namespace

TEST_CASE("cli: path --sg3 prints the P.1812 and P.1546 reference losses", "[cli][path]") {
    // rburg_rural_noclutter data row 1: Lb 161.8655 dB (ITU-R SG3 / Py1812 log, row 0).
    const auto p1812 =
        run_cli("path --model p1812 --sg3 '" +
                data_path("itu_p1812/profiles/rburg_rural_noclutter.csv") + "' --dataset 1");
    INFO(p1812.output);
    REQUIRE(p1812.exit_code == 0);
    // The profile's own row gives 161.86545059 dB; ours is printed to 10 significant digits.
    CHECK_THAT(printed_value(p1812.output, "Lb                                 = "),
               Catch::Matchers::WithinAbs(161.86545059, 1e-6));
    // P.1546 on rburg data set 1: Lb 145.94511074 dB (results/rburg_1_log.csv), printed to 1e-4.
    const auto p1546 = run_cli("path --model p1546 --sg3 '" +
                               data_path("itu_p1546/profiles/rburg.csv") + "' --dataset 1");
    INFO(p1546.output);
    REQUIRE(p1546.exit_code == 0);
    CHECK_THAT(printed_value(p1546.output, "basic transmission loss Lb (dB)"),
               Catch::Matchers::WithinAbs(145.94511074, 0.5e-4 + 1e-6));
    const auto bad =
        run_cli("path --model p1812 --sg3 '" +
                data_path("itu_p1812/profiles/rburg_rural_noclutter.csv") + "' --dataset 99");
    CHECK(bad.exit_code == 1);
    CHECK(bad.output.find("grenzfunk: error: ") == 0);
}

TEST_CASE("cli: path between two points of a scenario's terrain", "[cli][path]") {
    const auto r = run_cli("path --scenario '" + data_path("scenarios/small.toml") +
                           "' -f 806 --tx-height-m 35 --from 50.319,11.929 --to 50.25,12.10");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    // Hof (SRTM 489 m at the town centre; the site is 483 m per the profile) to 14.4 km ESE.
    CHECK(r.output.find("model            p526-bullington") != std::string::npos);
    CHECK(r.output.find("distance_km      14.") != std::string::npos);
}

TEST_CASE("cli: shards of an extent give the same pixels as the whole run", "[cli][determinism]") {
    // Large areas are split into boxes run separately (on a cluster); grids snap to multiples of
    // the resolution and the terrain is warped with exact transforms, so every shared pixel
    // must be identical to the whole run's.
    TempDir tmp;
    auto run = [&](const std::string& name, const std::string& extent) {
        ScenarioBuilder b;
        b.extent = extent;
        const fs::path scenario = b.write(tmp, name + ".toml");
        const auto r =
            run_cli("run '" + scenario.string() + "' -q -o '" + (tmp / name).string() + "'");
        INFO(r.output);
        REQUIRE(r.exit_code == 0);
    };
    run("whole", "[11.88, 50.2, 12.1, 50.36]");
    run("west", "[11.88, 50.2, 11.99, 50.36]");
    run("east", "[11.99, 50.2, 12.1, 50.36]");
    GDALAllRegister();
    auto open = [&](const std::string& name, double gt[6]) {
        GDALDataset* ds = GDALDataset::FromHandle(
            GDALOpen((tmp / name / "best_rx_level_dbm.tif").string().c_str(), GA_ReadOnly));
        REQUIRE(ds);
        ds->GetGeoTransform(gt);
        return std::unique_ptr<GDALDataset>(ds);
    };
    double gw[6];
    const Band whole = read_band(tmp / "whole/best_rx_level_dbm.tif");
    open("whole", gw);
    std::size_t compared = 0;
    for (const std::string shard : {"west", "east"}) {
        double gs[6];
        open(shard, gs);
        const Band part = read_band(tmp / shard / "best_rx_level_dbm.tif");
        const int col0 = int(std::lround((gs[0] - gw[0]) / gw[1]));
        const int row0 = int(std::lround((gs[3] - gw[3]) / gw[5]));
        for (int r = 0; r < part.height; ++r)
            for (int c = 0; c < part.width; ++c) {
                const float a = part.values[std::size_t(r) * part.width + c];
                const int wc = c + col0, wr = r + row0;
                if (a == -9999.0f || wc < 0 || wr < 0 || wc >= whole.width || wr >= whole.height)
                    continue;
                const float w = whole.values[std::size_t(wr) * whole.width + wc];
                if (w == -9999.0f) continue;
                REQUIRE(a == w);
                ++compared;
            }
    }
    CHECK(compared > 3000);
}

TEST_CASE("cli: path --cases evaluates any model on the cases' profiles", "[cli][path]") {
    // Free space on each case: 20 log10(4 pi 1e9 / c) + 20 log f + 20 log d (ITU-R P.525 eq. (6)),
    // with f from the CSV and d = intervals x step from the case's pfl file.
    TempDir tmp;
    const auto r = run_cli("path --model free-space --cases '" + data_path("itm_region/cases.csv") +
                           "' -o '" + (tmp / "fs.csv").string() + "'");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    std::istringstream out(read_file(tmp / "fs.csv"));
    std::string line;
    std::getline(out, line);
    REQUIRE(line == "id,loss_db,prop_mode,warnings");
    std::map<std::string, double> loss;
    while (std::getline(out, line)) {
        const auto comma = line.find(',');
        loss[line.substr(0, comma)] = std::stod(line.substr(comma + 1));
    }
    CHECK(loss.size() == 120);
    // r11_0000: 2650 MHz; profile r11_0000.pfl holds its interval count and step.
    std::istringstream pfl(read_file(data_path("itm_region/profiles/r11_0000.pfl")));
    double intervals = 0, step_m = 0;
    pfl >> intervals >> step_m;
    const double d_km = intervals * step_m / 1000.0;
    // 32.44778 dB = 20 log10(4 pi 1e9 / c) for MHz and km; printed to 1e-4 dB.
    const double mhz_km_db = 20.0 * std::log10(4.0 * M_PI * 1e9 / 299792458.0);
    const double expected_db = mhz_km_db + 20.0 * std::log10(2650.0) + 20.0 * std::log10(d_km);
    CHECK_THAT(loss.at("r11_0000"), Catch::Matchers::WithinAbs(expected_db, 0.5e-4 + 1e-6));

    const auto p1812 =
        run_cli("path --model p1812 --cases '" + data_path("itm_region/cases.csv") + "'");
    REQUIRE(p1812.exit_code == 0);
    CHECK(std::count(p1812.output.begin(), p1812.output.end(), '\n') == 121);
    CHECK(p1812.output.find("nan") == std::string::npos);
}

TEST_CASE("cli: bands of rows give the same bytes as the whole grid in one piece",
          "[cli][determinism][bands]") {
    // Large grids are computed band by band (each with its own terrain, the band grown by the
    // radius), written to the outputs before the next band: every file must be the same bytes.
    TempDir tmp;
    auto same_files = [&](const fs::path& whole, const fs::path& banded) {
        std::size_t compared = 0;
        for (const auto& e : fs::directory_iterator(whole)) {
            INFO(e.path().filename().string());
            const std::string bytes = read_file(e.path());
            CHECK(!bytes.empty());
            CHECK(bytes == read_file(banded / e.path().filename()));
            ++compared;
        }
        return compared;
    };
    SECTION("analysis scenario, reference path (p526-bullington), 7-row bands") {
        const std::string scenario = data_path("scenarios/small_analysis.toml");
        // p526-bullington now has a PrefixEvaluator: name the reference engine explicitly.
        const auto a = run_cli("run '" + scenario + "' -q --engine reference -o '" +
                               (tmp / "a").string() + "'");
        const auto b = run_cli("run '" + scenario + "' --engine reference --tile-rows 7 -o '" +
                               (tmp / "b").string() + "'");
        INFO(a.output << b.output);
        REQUIRE(a.exit_code == 0);
        REQUIRE(b.exit_code == 0);
        CHECK(b.output.find("in 15 bands of up to 7 rows") != std::string::npos);  // 99 rows
        CHECK(same_files(tmp / "a", tmp / "b") >= 20);  // rasters, gaps, statistics, manifest
    }
    SECTION("ITM on the fast engine, 11-row bands; the scenario key does the same") {
        ScenarioBuilder builder;
        builder.model = "itm";
        const fs::path whole = builder.write(tmp, "whole.toml");
        const auto a = run_cli("run '" + whole.string() + "' -q -o '" + (tmp / "a").string() + "'");
        const auto b = run_cli("run '" + whole.string() + "' -q --tile-rows 11 -o '" +
                               (tmp / "b").string() + "'");
        INFO(a.output << b.output);
        REQUIRE(a.exit_code == 0);
        REQUIRE(b.exit_code == 0);
        // 4 rasters with their .qml styles, cells.csv, manifest.json.
        CHECK(same_files(tmp / "a", tmp / "b") == 10);
        builder.extra = "tile_rows = 11\n";
        const auto c = run_cli("run '" + builder.write(tmp, "banded.toml").string() + "' -o '" +
                               (tmp / "c").string() + "'");
        INFO(c.output);
        REQUIRE(c.exit_code == 0);
        CHECK(c.output.find("bands of up to 11 rows") != std::string::npos);
        CHECK(read_file(tmp / "c" / "best_rx_level_dbm.tif").size() ==
              read_file(tmp / "a" / "best_rx_level_dbm.tif").size());
    }
    SECTION("the border check needs the whole grid: a clear error, no outputs") {
        const auto r = run_cli("run '" + data_path("scenarios/border_small.toml") +
                               "' -q --tile-rows 5 -o '" + (tmp / "c").string() + "'");
        CHECK(r.exit_code == 1);
        CHECK(r.output.find("grenzfunk: error: --tile-rows: the [border] check") == 0);
        CHECK(no_outputs_left(tmp / "c"));
    }
    SECTION("a negative propagation.tile_rows names its line") {
        ScenarioBuilder builder;
        builder.extra = "tile_rows = -3\n";
        const auto r = run_cli("run '" + builder.write(tmp).string() + "' -q -o '" +
                               (tmp / "d").string() + "'");
        CHECK(r.exit_code == 1);
        CHECK(r.output.find("scenario.toml:13") != std::string::npos);
        CHECK(r.output.find("propagation.tile_rows") != std::string::npos);
        CHECK(no_outputs_left(tmp / "d"));
    }
}
