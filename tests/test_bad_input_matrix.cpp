// A matrix of bad inputs to the CLI: scenario TOML, sites CSV, OpenCelliD, terrain rasters,
// output folders, `path` inputs, usage errors and signals. Every case runs in a fresh temporary
// tree (<tmp>/a/b/work is the CLI's working directory and holds its output folder) and must end
// in exactly one line naming what is wrong (file:line and key where there is one), the
// documented exit code (1 bad input, 2 usage, 3 output not written, 130 interrupted), and no
// change anywhere in <tmp>: nothing created, nothing replaced, a previous run's results
// byte-identical.
#include <fcntl.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "test_helpers.hpp"

using namespace grenzfunk::test;

namespace {

std::string quoted(const fs::path& p) {
    std::string out = "'";  // appended: GCC 12 warns falsely on "'" + s + "'"
    out += p.string();
    out += '\'';
    return out;
}

const std::string kDem = data_path("dem/hof_as_srtm3.tif");
const std::string kSites = data_path("sites/hof_rehau_sites.csv");

// The scenario every case starts from (line numbers matter: extras begin on line 13).
std::string base_scenario() {
    const std::string lines[] = {
        "name = \"m\"",                                     // 1
        "[terrain]",                                        // 2
        "files = [\"" + kDem + "\"]",                       // 3
        "[[sites]]",                                        // 4
        "file = \"" + kSites + "\"",                        // 5
        "[grid]",                                           // 6
        "crs = \"EPSG:25832\"",                             // 7
        "resolution_m = 250.0",                             // 8
        "extent_lonlat_deg = [11.95, 50.18, 12.3, 50.34]",  // 9
        "[propagation]",                                    // 10
        "model = \"free-space\"",                           // 11
        "max_radius_km = 5.0",                              // 12
    };
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
}

// `text` with the first `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// The base scenario, edited, with `extra` appended.
std::string scenario(const std::vector<std::pair<std::string, std::string>>& edits,
                     const std::string& extra = "") {
    std::string text = base_scenario();
    for (const auto& [from, to] : edits) text = replaced(text, from, to);
    return text + extra;
}

const std::string kSitesHeader =
    "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,mech_tilt_deg,"
    "elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,technology,operator,"
    "country\n";
const std::string kSitesRow =
    "HOF1-L08-1,HOF1,Hof,50.319,11.929,35,0,0,3,806,10,59.0,3gpp-65,LTE,DE-sample,DE\n";

const std::string kCellidHeader =
    "radio,mcc,net,area,cell,unit,lon,lat,range,samples,changeable,created,updated,"
    "averageSignal\n";
const std::string kCellidRow =
    "LTE,262,1,8260,20192,0,12.0,50.25,16265,27,1,1312446833,1752996430,0\n";

// A small GeoTIFF over 11.8-12.2 E, 50.1-50.4 N (or `bounds` west, north, east, south) of
// `value`; without a geotransform when `georeferenced` is false.
void write_raster(const fs::path& p, int width, int height, float value, bool with_nodata,
                  bool georeferenced = true,
                  const std::array<double, 4>& bounds = {11.8, 50.4, 12.2, 50.1}) {
    GDALAllRegister();
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    REQUIRE(gtiff);
    GDALDataset* ds = gtiff->Create(p.string().c_str(), width, height, 1, GDT_Float32, nullptr);
    REQUIRE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    ds->SetSpatialRef(&srs);
    if (georeferenced) {
        double gt[6] = {bounds[0], (bounds[2] - bounds[0]) / width, 0.0, bounds[1],
                        0.0,       (bounds[3] - bounds[1]) / height};
        ds->SetGeoTransform(gt);
    }
    GDALRasterBand* band = ds->GetRasterBand(1);
    if (with_nodata) band->SetNoDataValue(value);
    band->Fill(value);
    GDALClose(GDALDataset::ToHandle(ds));
}

// Every entry below `dir`, hidden ones too: directories, files with their bytes, links with
// their targets.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> entries;
    if (!fs::exists(dir)) return entries;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        const std::string name = e.path().lexically_relative(dir).generic_string();
        const fs::file_status s = e.symlink_status();
        if (fs::is_symlink(s))
            entries[name] = "link:" + fs::read_symlink(e.path()).string();
        else if (fs::is_directory(s))
            entries[name] = "dir";
        else if (fs::is_regular_file(s))
            entries[name] = "file:" + read_file(e.path());
        else
            entries[name] = "other";
    }
    return entries;
}

// The names of every file and folder below `dir`.
std::set<std::string> file_list(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        names.insert(e.path().lexically_relative(dir).generic_string());
    return names;
}

// What a case's setup leaves for the run: descriptors it holds (a lock) until the run ends.
struct Held {
    std::vector<int> fds;
};

struct Case {
    std::string area;
    std::string name;
    std::function<void(const fs::path& work, Held& held)> setup;  // may be empty
    std::string args;                                             // shell-quoted, run in work/
    int exit_code;
    std::string message;  // expected within the one line
    std::string prefix;   // command before the CLI, e.g. timeout
};

std::function<void(const fs::path&, Held&)> writes(const std::string& name,
                                                   const std::string& text) {
    return [name, text](const fs::path& work, Held&) { write_file(work / name, text); };
}

std::function<void(const fs::path&, Held&)> writes(
    std::vector<std::pair<std::string, std::string>> files) {
    return [files](const fs::path& work, Held&) {
        for (const auto& [name, text] : files) write_file(work / name, text);
    };
}

const std::string kRun = "run s.toml -q -j 1 -o out";

Case scenario_case(const std::string& name, const std::string& text, const std::string& message) {
    return {"scenario", name, writes("s.toml", text), kRun, 1, message, ""};
}

Case sites_case(const std::string& name, const std::string& csv, const std::string& message) {
    return {
        "sites", name, writes({{"s.toml", scenario({{kSites, "sites.csv"}})}, {"sites.csv", csv}}),
        kRun,    1,    message,
        ""};
}

Case cellid_case(const std::string& name, const std::string& csv, const std::string& message) {
    return {"opencellid",
            name,
            writes({{"s.toml", scenario({{"file = \"" + kSites + "\"\n",
                                          "file = \"oc.csv\"\nformat = \"opencellid\"\n"}})},
                    {"oc.csv", csv}}),
            kRun,
            1,
            message,
            ""};
}

Case terrain_case(const std::string& name,
                  const std::function<void(const fs::path& raster)>& make_raster,
                  const std::string& message) {
    return {"terrain",
            name,
            [make_raster](const fs::path& work, Held&) {
                write_file(work / "s.toml", scenario({{kDem, "t.tif"}}));
                if (make_raster) make_raster(work / "t.tif");
            },
            kRun,
            1,
            message,
            ""};
}

Case path_case(const std::string& name, const std::string& args, const std::string& message,
               int exit_code = 1, const std::string& pfl = "") {
    return {"path",  name, pfl.empty() ? nullptr : writes("p.pfl", pfl), args, exit_code,
            message, ""};
}

Case usage_case(const std::string& name, const std::string& args, const std::string& message) {
    return {"usage", name, writes("s.toml", base_scenario()), args, 2, message, ""};
}

// The base scenario run into work/out: a previous run's results.
void previous_run(const fs::path& work) {
    write_file(work / "s.toml", base_scenario());
    const CommandResult r = run_cli(kRun, "cd " + quoted(work) + " &&");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    REQUIRE(fs::exists(work / "out" / "best_rx_level_dbm.tif"));
}

std::string border_tables(const std::string& export_directory) {
    return "[border]\nhome_file = \"" + data_path("admin/bkg_vg2500_germany_region.geojson") +
           "\"\nrules_file = \"" + source_path("data/rules/cept_mfcn_border.toml") +
           "\"\ndistances_km = [0.0, 6.0]\nsample_spacing_m = 200.0\nmax_path_km = 40.0\n"
           "exceedance_resolution_m = 1000.0\n[export]\ncrs = \"EPSG:25833\"\n"
           "directory = \"" +
           export_directory + "\"\n";
}

std::string points(const std::string& extra) {
    return "path --terrain '" + kDem + "' --from 50.319,11.929 --to 50.25,12.1 " + extra;
}

std::vector<Case> matrix() {
    std::vector<Case> cases;
    const auto add = [&cases](Case c) { cases.push_back(std::move(c)); };

    // ---- Scenario TOML ------------------------------------------------------------------
    add(scenario_case("syntax error", base_scenario() + "foo = = 1\n",
                      "s.toml:13: syntax error: "));
    add(scenario_case("unknown key", base_scenario() + "[receiver]\nheigth_agl_m = 1.5\n",
                      "s.toml:14: receiver.heigth_agl_m: unknown key (known: height_agl_m)"));
    add(scenario_case("unknown table", base_scenario() + "[bogus]\nx = 1\n",
                      "s.toml:13: bogus: unknown key (known: analysis, antenna, border"));
    add(scenario_case("duplicate key",
                      base_scenario() + "[receiver]\nheight_agl_m = 1.5\nheight_agl_m = 2.0\n",
                      "s.toml:15: syntax error: "));
    add(scenario_case("number of the wrong type",
                      scenario({{"resolution_m = 250.0", "resolution_m = \"x\""}}),
                      "s.toml:8: grid.resolution_m: expected a number"));
    add(scenario_case("name of the wrong type", scenario({{"name = \"m\"", "name = 5"}}),
                      "s.toml:1: name: expected a string"));
    add(scenario_case("terrain.files a string",
                      scenario({{"files = [\"" + kDem + "\"]", "files = \"" + kDem + "\""}}),
                      "s.toml:3: terrain.files: expected a non-empty list of raster paths"));
    add(scenario_case("negative resolution",
                      scenario({{"resolution_m = 250.0", "resolution_m = -5.0"}}),
                      "s.toml:8: grid.resolution_m: -5 is out of range [1, 10000]"));
    add(scenario_case("NaN resolution", scenario({{"resolution_m = 250.0", "resolution_m = nan"}}),
                      "s.toml:8: grid.resolution_m: nan is out of range [1, 10000]"));
    add(scenario_case("infinite radius", scenario({{"max_radius_km = 5.0", "max_radius_km = inf"}}),
                      "s.toml:12: propagation.max_radius_km: inf is out of range [0.1, 500]"));
    add(scenario_case("number beyond double",
                      scenario({{"resolution_m = 250.0", "resolution_m = 1e400"}}),
                      "s.toml:8: syntax error: "));
    add(scenario_case("negative receiver height",
                      base_scenario() + "[receiver]\nheight_agl_m = -3.0\n",
                      "s.toml:14: receiver.height_agl_m: -3 is out of range [0.1, 500]"));
    add(scenario_case("extent west > east",
                      scenario({{"[11.95, 50.18, 12.3, 50.34]", "[12.3, 50.18, 11.95, 50.34]"}}),
                      "s.toml:9: grid.extent_lonlat_deg: need west < east"));
    add(scenario_case("extent of three numbers",
                      scenario({{"[11.95, 50.18, 12.3, 50.34]", "[11.95, 50.18, 12.3]"}}),
                      "s.toml:9: grid.extent_lonlat_deg: expected [west, south, east, north]"));
    add(scenario_case("missing [terrain]",
                      scenario({{"[terrain]\nfiles = [\"" + kDem + "\"]\n", ""}}),
                      "s.toml: [terrain]: required table is missing"));
    add(scenario_case("missing [[sites]]",
                      scenario({{"[[sites]]\nfile = \"" + kSites + "\"\n", ""}}),
                      "s.toml: [[sites]]: at least one sites file is required"));
    add(scenario_case("empty file", "", "s.toml: [terrain]: required table is missing"));
    add(scenario_case("unknown CRS", scenario({{"EPSG:25832", "EPSG:999999"}}),
                      "s.toml:7: grid.crs: unknown CRS 'EPSG:999999'"));
    add(scenario_case("geographic CRS", scenario({{"EPSG:25832", "EPSG:4326"}}),
                      "s.toml:7: grid.crs: 'EPSG:4326' is not a projected CRS"));
    add(scenario_case("unknown model", scenario({{"free-space", "no-such"}}),
                      "s.toml:11: propagation: unknown propagation model 'no-such'"));
    add(scenario_case("parameter of another model",
                      base_scenario() + "[propagation.parameters]\nbogus_param = 1.0\n",
                      "propagation.parameters.bogus_param: not a parameter of model 'free-space'"));
    add(scenario_case("name with a path", scenario({{"name = \"m\"", "name = \"../x\""}}),
                      "s.toml:1: name: character 3 is '/'"));
    add(scenario_case("hidden name", scenario({{"name = \"m\"", "name = \".hidden\""}}),
                      "s.toml:1: name: must not start with '.' or '-'"));
    add(scenario_case("empty name", scenario({{"name = \"m\"", "name = \"\""}}),
                      "s.toml:1: name: empty"));
    add(scenario_case("control character in the name (\\u escape)",
                      scenario({{"name = \"m\"", "name = \"a\\u0007b\""}}),
                      "s.toml:1: name: holds a control character"));
    add(scenario_case("NUL in output.directory (\\u escape)",
                      base_scenario() + "[output]\ndirectory = \"a\\u0000b\"\n",
                      "s.toml:14: output.directory: holds a control character"));
    add(scenario_case("non-ASCII bare key", base_scenario() + "\xc3\xb6 = 1\n",
                      "s.toml:13: non-ASCII character"));
    add(scenario_case("invalid UTF-8 in a string",
                      base_scenario() + "x = \"a\xff"
                                        "b\"\n",
                      "s.toml:13: syntax error: Encountered invalid utf-8 sequence"));

    // ---- Sites CSV --------------------------------------------------------------------------
    add(sites_case("missing column", replaced(kSitesHeader, ",eirp_dbm", "") + kSitesRow,
                   "sites.csv:1: header: required column 'eirp_dbm' is missing"));
    add(sites_case("bad number", kSitesHeader + replaced(kSitesRow, "59.0", "fifty"),
                   "sites.csv:2: eirp_dbm: 'fifty' is not a number"));
    add(sites_case("decimal comma", kSitesHeader + replaced(kSitesRow, "50.319", "\"50,319\""),
                   "sites.csv:2: lat_deg: '50,319' has a decimal comma"));
    add(sites_case("latitude out of range", kSitesHeader + replaced(kSitesRow, "50.319", "95.0"),
                   "sites.csv:2: lat_deg: 95 is out of range [-90, 90] deg"));
    add(sites_case("longitude out of range", kSitesHeader + replaced(kSitesRow, "11.929", "200"),
                   "sites.csv:2: lon_deg: 200 is out of range [-180, 180] deg"));
    add(sites_case("negative height", kSitesHeader + replaced(kSitesRow, ",35,", ",-5,"),
                   "sites.csv:2: antenna_height_agl_m: -5 is out of range (0, 1000) m"));
    add(sites_case("EIRP out of range", kSitesHeader + replaced(kSitesRow, "59.0", "500"),
                   "sites.csv:2: eirp_dbm: 500 is out of range [-50, 100] dBm"));
    add(sites_case("NaN EIRP", kSitesHeader + replaced(kSitesRow, "59.0", "nan"),
                   "sites.csv:2: eirp_dbm: 'nan' is not a finite number"));
    add(sites_case("unknown technology", kSitesHeader + replaced(kSitesRow, ",LTE,", ",6G,"),
                   "sites.csv:2: technology: '6G' is not a known technology"));
    add(sites_case("country not a code", kSitesHeader + replaced(kSitesRow, ",DE\n", ",Germany\n"),
                   "sites.csv:2: country: 'Germany' is not an ISO 3166-1 alpha-2 code"));
    add(sites_case("duplicate cell id", kSitesHeader + kSitesRow + kSitesRow,
                   "sites.csv:3: cell_id: duplicate id 'HOF1-L08-1' (first on line 2)"));
    add(sites_case("cell id '../x'", kSitesHeader + replaced(kSitesRow, "HOF1-L08-1", "../x"),
                   "sites.csv:2: cell_id: character 3 is '/'"));
    add(sites_case("cell id 'a/b'", kSitesHeader + replaced(kSitesRow, "HOF1-L08-1", "a/b"),
                   "sites.csv:2: cell_id: character 2 is '/'"));
    add(sites_case("NUL in a cell id",
                   kSitesHeader + replaced(kSitesRow, "HOF1-L08-1", std::string("ab\0cd", 5)),
                   "sites.csv:2: cell_id: character 3 is byte 0x00"));
    add(sites_case("cell id of 65 characters",
                   kSitesHeader + replaced(kSitesRow, "HOF1-L08-1", std::string(65, 'a')),
                   "sites.csv:2: cell_id: 65 characters; at most 64"));
    add(sites_case("cell id starting with '-'",
                   kSitesHeader + replaced(kSitesRow, "HOF1-L08-1", "-rf"),
                   "sites.csv:2: cell_id: must not start with '.' or '-'"));
    add(sites_case("site_name not UTF-8",
                   kSitesHeader + replaced(kSitesRow, ",Hof,",
                                           ",Ho\xff"
                                           "f,"),
                   "sites.csv:2: site_name: is not valid UTF-8 (byte 3)"));
    add(sites_case("control character in site_name",
                   kSitesHeader + replaced(kSitesRow, ",Hof,",
                                           ",Ho\x1b"
                                           "f,"),
                   "sites.csv:2: site_name: holds a control character (byte 3)"));
    add(sites_case("too few fields", kSitesHeader + "HOF1-L08-1,HOF1,Hof\n",
                   "sites.csv:2: wrong number of fields: 3, the header has 16"));
    add(sites_case("header only", kSitesHeader,
                   "sites.csv: no cells: the file has a header line but no rows"));
    add({"sites", "missing sites file", writes("s.toml", scenario({{kSites, "nope.csv"}})), kRun, 1,
         "nope.csv: cannot open sites file", ""});

    // ---- OpenCelliD ---------------------------------------------------------------------
    add(cellid_case("header field renamed",
                    replaced(kCellidHeader, ",net,", ",network,") + kCellidRow,
                    "oc.csv:1: header: field 3 is 'network', expected 'net'"));
    add(cellid_case("header of three columns", "radio,mcc,net\n" + kCellidRow,
                    "oc.csv:1: header: 3 columns, expected the 14 OpenCelliD columns"));
    add(cellid_case("unsupported radio", kCellidHeader + replaced(kCellidRow, "LTE", "WIMAX"),
                    "oc.csv:2: radio: 'WIMAX' is not supported"));
    add(cellid_case("mcc not an integer", kCellidHeader + replaced(kCellidRow, ",262,", ",2x2,"),
                    "oc.csv:2: mcc: '2x2' is not an integer"));
    add(cellid_case("mcc out of range", kCellidHeader + replaced(kCellidRow, ",262,", ",1234,"),
                    "oc.csv:2: mcc: 1234 is out of range [0, 999]"));
    add(cellid_case("latitude out of range",
                    kCellidHeader + replaced(kCellidRow, ",50.25,", ",95.0,"),
                    "oc.csv:2: lat: 95 is out of range [-90, 90] deg"));

    // ---- Terrain rasters ----------------------------------------------------------------
    add(terrain_case("missing file", nullptr, "t.tif: terrain file does not exist"));
    add(terrain_case(
        "not a raster", [](const fs::path& p) { write_file(p, "hello\n"); },
        "t.tif: not a readable terrain raster"));
    add(terrain_case(
        "truncated GeoTIFF",
        [](const fs::path& p) { write_file(p, read_file(kDem).substr(0, 5000)); },
        "t.tif: cannot read the terrain raster, it may be corrupt or truncated"));
    add(terrain_case(
        "corrupt GeoTIFF",
        [](const fs::path& p) {
            std::string bytes = read_file(kDem);
            for (std::size_t i = 20000; i < bytes.size(); i += 7) bytes[i] ^= 0x5a;
            write_file(p, bytes);
        },
        "t.tif: cannot read the terrain raster, it may be corrupt or truncated"));
    add(terrain_case(
        "1 x 1 raster", [](const fs::path& p) { write_raster(p, 1, 1, 500.0f, false); },
        "t.tif: terrain raster is too small (1 x 1 pixels; at least 2 x 2 needed)"));
    add(terrain_case(
        "all-nodata raster", [](const fs::path& p) { write_raster(p, 20, 20, -32768.0f, true); },
        "t.tif: terrain raster holds only nodata pixels"));
    add(terrain_case(
        "raster without georeferencing",
        [](const fs::path& p) { write_raster(p, 20, 20, 500.0f, false, false); },
        "t.tif: terrain raster has no georeferencing"));
    add(terrain_case(
        "sites outside the terrain",
        [](const fs::path& p) {
            write_raster(p, 20, 20, 500.0f, false, true, {13.0, 49.9, 13.2, 49.8});
        },
        "hof_rehau_sites.csv:2: site 'HOF1' at 50.31900 N, 11.92900 E is outside the terrain"));

    // ---- Output folders -----------------------------------------------------------------
    add({"output", "output path is a regular file",
         writes({{"s.toml", base_scenario()}, {"file", "a file\n"}}), "run s.toml -q -j 1 -o file",
         3, "file: exists and is not a directory", ""});
    add({"output", "output path below a regular file",
         writes({{"s.toml", base_scenario()}, {"file", "a file\n"}}),
         "run s.toml -q -j 1 -o file/sub", 3, "file/sub: cannot create the folder", ""});
    add({"output", "a foreign best_rx_level_dbm.tif",
         [](const fs::path& work, Held&) {
             write_file(work / "s.toml", base_scenario());
             fs::create_directories(work / "out");
             write_file(work / "out" / "best_rx_level_dbm.tif", "foreign\n");
         },
         kRun, 3,
         "out/best_rx_level_dbm.tif: exists and is not a file of the previous grenzfunk run", ""});
    add({"output", "a foreign manifest.json",
         [](const fs::path& work, Held&) {
             write_file(work / "s.toml", base_scenario());
             fs::create_directories(work / "out");
             write_file(work / "out" / "manifest.json", "{\"software\": \"other tool\"}\n");
         },
         kRun, 3, "out/manifest.json: exists and is not a file of the previous grenzfunk run", ""});
    add({"output", "previous results under a foreign manifest.json",
         [](const fs::path& work, Held&) {
             previous_run(work);
             write_file(work / "out" / "manifest.json", "{\"software\": \"other tool\"}\n");
         },
         kRun, 3,
         "out/best_rx_level_dbm.tif: exists and is not a file of the previous grenzfunk run", ""});
    add({"output", "a previous result edited since",
         [](const fs::path& work, Held&) {
             previous_run(work);
             const fs::path f = work / "out" / "best_server.tif";
             write_file(f, read_file(f) + "edited");
         },
         kRun, 3, "out/best_server.tif: exists and is not a file of the previous grenzfunk run",
         ""});
    add({"output", "folder locked by another run",
         [](const fs::path& work, Held& held) {
             previous_run(work);
             const int fd =
                 ::open((work / "out" / ".grenzfunk.lock").c_str(), O_RDWR | O_CREAT, 0644);
             REQUIRE(fd >= 0);
             held.fds.push_back(fd);
             REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
             REQUIRE(::write(fd, "grenzfunk run, process 4242\n", 28) == 28);
         },
         kRun, 3,
         "out: another grenzfunk run (process 4242) is writing into this folder; wait for it to "
         "end or choose another output folder",
         ""});
    add({"output", "export.directory is the output folder",
         [](const fs::path& work, Held&) {
             previous_run(work);
             write_file(work / "s.toml", base_scenario() + border_tables("out"));
         },
         kRun, 1, "s.toml:22: export.directory: out is or contains the run's output folder out",
         ""});
    add({"output", "export.directory holds the output folder",
         [](const fs::path& work, Held&) {
             write_file(work / "s.toml", base_scenario() + border_tables(".."));
         },
         kRun, 1, "export.directory: .. is or contains the run's output folder out", ""});

    // ---- path ---------------------------------------------------------------------------
    add(path_case("--step-m 0", points("-f 806 --step-m 0"),
                  "--step-m: 0 m is outside [1, 10000] m"));
    add(path_case("--step-m nan", points("-f 806 --step-m nan"),
                  "--step-m: nan m is outside [1, 10000] m"));
    add(path_case("--step-m 20000", points("-f 806 --step-m 20000"),
                  "--step-m: 20000 m is outside [1, 10000] m"));
    add(path_case("--step-m not a number", points("-f 806 --step-m abc"),
                  "grenzfunk: usage error: Could not convert: --step-m = abc", 2));
    add(path_case("missing -f", points(""),
                  "--frequency-mhz (-f): missing; give the frequency in MHz"));
    add(path_case("-f nan", points("-f nan"),
                  "--frequency-mhz: nan MHz is outside the range of model 'p526-bullington'"));
    add(path_case("negative transmitter height", points("-f 806 --tx-height-m -5"),
                  "--tx-height-m: -5 m is outside [0, 1000] m above ground"));
    add(path_case("NaN transmitter height", points("-f 806 --tx-height-m nan"),
                  "--tx-height-m: nan m is outside [0, 1000] m above ground"));
    add(path_case("huge receiver height", points("-f 806 --rx-height-m 1e9"),
                  "--rx-height-m: 1e+09 m is outside [0, 1000] m above ground"));
    add(path_case("coincident points",
                  "path --terrain '" + kDem + "' --from 50.319,11.929 --to 50.319,11.929 -f 806",
                  "--from/--to: the points coincide"));
    add(path_case("unknown model", points("-f 806 -m nosuch"),
                  "unknown propagation model 'nosuch'"));
    add(path_case("parameter not a number", points("-f 806 -p k_factor=abc"),
                  "k_factor: expected a number, got a string"));
    add(path_case("--from out of range",
                  "path --terrain '" + kDem + "' --from 95,0 --to 50.25,12.1 -f 806",
                  "--from: expected LAT,LON in degrees, got '95,0'"));
    add(path_case("far-apart points", "path --terrain '" + kDem + "' --from 50,0 --to 20,40 -f 806",
                  "--from/--to: the path is 5029.9 km long; no model supports paths beyond "
                  "3000 km"));
    add(path_case("path leaving the terrain",
                  "path --terrain '" + kDem + "' --from 50.3,11.9 --to 40,20 -f 806",
                  "--from/--to: the path leaves the terrain or crosses a void"));
    add(path_case("missing terrain file",
                  "path --terrain nope.tif --from 50.319,11.929 --to 50.25,12.1 -f 806",
                  "nope.tif: terrain file does not exist"));
    add(path_case("neither profile nor points", "path -f 806",
                  "path: give --profile FILE, or --terrain FILE with --from and --to"));
    add(path_case("pfl interval too short", "path -f 806 --profile p.pfl",
                  "p.pfl:1: value 2: interval length must be within [1, 10000] m, got 1e-300", 1,
                  "2 1e-300\n300 310 300\n"));
    add(path_case("pfl elevation not a number", "path -f 806 --profile p.pfl",
                  "p.pfl:2: value 4: not a number: 'abc'", 1, "2 100\n300 abc 300\n"));
    add(path_case("pfl too few elevations", "path -f 806 --profile p.pfl",
                  "p.pfl:1: 4 intervals need 5 elevations, found 3", 1, "4 100\n300 310\n320\n"));
    add(path_case("pfl elevation out of range", "path -f 806 -m itm --profile p.pfl",
                  "p.pfl:2: value 4: elevation -600 m is outside [-500, 9000] m", 1,
                  "2 100\n300 -600 300\n"));
    add(path_case("missing pfl file", "path -f 806 --profile nope.pfl",
                  "nope.pfl: cannot open profile file"));

    // ---- Usage --------------------------------------------------------------------------
    add(usage_case("unknown option", "run s.toml --bogus",
                   "grenzfunk: usage error: The following argument was not expected: --bogus"));
    add(usage_case("missing scenario file", "run nope.toml -o out",
                   "grenzfunk: usage error: scenario: File does not exist: nope.toml"));
    add(usage_case("scenario is a folder", "run . -o out",
                   "grenzfunk: usage error: scenario: File is actually a directory: ."));
    add(usage_case("no scenario", "run", "grenzfunk: usage error: scenario is required"));
    add(usage_case("no subcommand", "", "grenzfunk: usage error: A subcommand is required"));
    add(usage_case("unknown subcommand", "frobnicate",
                   "grenzfunk: usage error: A subcommand is required"));
    add(usage_case("unknown engine", "run s.toml -o out --engine warp",
                   "grenzfunk: usage error: --engine: warp not in {fast,reference}"));
    add(usage_case("negative thread count", "run s.toml -o out -j -1",
                   "grenzfunk: usage error: --threads: Value -1 not in range"));
    add(usage_case("unknown path option", "path --no-such-option",
                   "grenzfunk: usage error: The following argument was not expected"));

    // ---- Signals: a long run (the border sample, one thread) interrupted after 2 s -------
    const std::string sample =
        "run '" + source_path("data/scenarios/border_sample.toml") + "' -q -j 1 -o out";
    const std::string interrupted = "grenzfunk: interrupted; no outputs were written";
    add({"signals", "SIGINT during a run", nullptr, sample, 130, interrupted,
         "timeout --preserve-status -s INT 2"});
    add({"signals", "SIGTERM during a run", nullptr, sample, 130, interrupted,
         "timeout --preserve-status -s TERM 2"});
    add({"signals", "SIGINT during a run into a folder with previous results",
         [](const fs::path& work, Held&) { previous_run(work); }, sample, 130, interrupted,
         "timeout --preserve-status -s INT 2"});
    return cases;
}

void check_case(const Case& c) {
    INFO(c.area << ": " << c.name);
    TempDir tmp;
    const fs::path work = tmp.path() / "a" / "b" / "work";
    fs::create_directories(work);
    Held held;
    if (c.setup) c.setup(work, held);
    const auto before = snapshot(tmp.path());

    const CommandResult r = run_cli(c.args, "cd " + quoted(work) + " && " + c.prefix);
    for (int fd : held.fds) ::close(fd);
    INFO("args: " << c.args);
    INFO("output: " << r.output);

    CHECK(r.exit_code == c.exit_code);
    // main() starts the interrupted message on a new line, since it may follow a progress line.
    std::string line = r.output;
    if (c.exit_code == 130 && !line.empty() && line.front() == '\n') line.erase(0, 1);
    CHECK(std::count(line.begin(), line.end(), '\n') == 1);
    CHECK((!line.empty() && line.back() == '\n'));
    CHECK_THAT(line, Catch::Contains(c.message));

    const auto after = snapshot(tmp.path());
    if (after != before) {
        for (const auto& [name, what] : after)
            if (!before.count(name) || before.at(name) != what)
                FAIL_CHECK("created or changed: " << name);
        for (const auto& [name, what] : before)
            if (!after.count(name)) FAIL_CHECK("removed: " << name);
    }
    CHECK(after == before);
}

}  // namespace

TEST_CASE("bad-input matrix: one line, the documented exit code, nothing written", "[matrix]") {
    const auto data_before = file_list(source_path("data"));
    const auto test_data_before = file_list(data_path(""));

    const std::vector<Case> cases = matrix();
    std::map<std::string, int> per_area;
    for (const Case& c : cases) ++per_area[c.area];
    CHECK(cases.size() >= 40);
    for (const auto& [area, count] : per_area) CHECK(count >= 3);

    for (const Case& c : cases) check_case(c);

    CHECK(file_list(source_path("data")) == data_before);
    CHECK(file_list(data_path("")) == test_data_before);
}
