// Where a run writes (io/output_folder.hpp, README "Where a run writes"): nothing outside the
// output folder, nothing replaced or removed that the run did not make, a lock against a second
// run, and the leftovers of a killed run cleaned by the next one.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "io/checksum.hpp"
#include "io/output_folder.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

namespace {

// The small scenario with absolute paths; `extra` is appended (tables, output options).
std::string small_scenario(const std::string& extra = "", const std::string& name = "variant") {
    std::ostringstream s;
    s << "name = \"" << name << "\"\n[terrain]\nfiles = [\"" << data_path("dem/hof_as_srtm3.tif")
      << "\"]\n[[sites]]\nfile = \"" << data_path("sites/hof_rehau_sites.csv") << "\"\n"
      << "[grid]\ncrs = \"EPSG:25832\"\nresolution_m = 250.0\n"
      << "extent_lonlat_deg = [11.95, 50.18, 12.3, 50.34]\n"
      << "[propagation]\nmodel = \"free-space\"\nmax_radius_km = 5.0\n"
      << extra;
    return s.str();
}

std::string border_tables(const std::string& export_extra = "") {
    return "[border]\nhome_file = \"" + data_path("admin/bkg_vg2500_germany_region.geojson") +
           "\"\nrules_file = \"" + source_path("data/rules/cept_mfcn_border.toml") +
           "\"\ndistances_km = [0.0, 6.0]\nsample_spacing_m = 200.0\nmax_path_km = 40.0\n"
           "exceedance_resolution_m = 1000.0\n[export]\ncrs = \"EPSG:25833\"\n"
           "creation_time = \"2024-06-01T00:00:00Z\"\n" +
           export_extra;
}

// Every file below `dir` (hidden ones too) with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    if (!fs::exists(dir)) return files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            files[e.path().lexically_relative(dir).generic_string()] = read_file(e.path());
    return files;
}

CommandResult run_into(const fs::path& scenario, const fs::path& out) {
    return run_cli("run '" + scenario.string() + "' -q -j 2 -o '" + out.string() + "'");
}

// A manifest's "outputs" (the run's or the package's): file -> SHA-256 ("" where not given).
std::map<std::string, std::string> listed_outputs(const fs::path& manifest) {
    const auto json = nlohmann::ordered_json::parse(read_file(manifest));
    std::map<std::string, std::string> listed;
    for (const auto& entry : json.at("outputs"))
        listed[entry.at("file").get<std::string>()] = entry.value("sha256", std::string());
    return listed;
}

}  // namespace

TEST_CASE("output folder: a rerun replaces the run's files and leaves the user's alone",
          "[output][cli]") {
    TempDir tmp;
    const fs::path scenario = tmp / "s.toml";
    write_file(scenario, small_scenario("[output]\npath_loss_per_cell = true\n"));
    const fs::path out = tmp / "out";
    REQUIRE(run_into(scenario, out).exit_code == 0);
    CHECK(fs::exists(out / "cells" / "HOF1-L08-1_path_loss_db.tif"));
    const auto listed = listed_outputs(out / "manifest.json");
    REQUIRE(listed.count("cells/HOF1-L08-1_path_loss_db.tif") == 1);
    CHECK(listed.at("cells/HOF1-L08-1_path_loss_db.tif") ==
          io::sha256_hex(read_file(out / "cells" / "HOF1-L08-1_path_loss_db.tif")));
    // The folder holds only the run's files: no lock, no staging folder left.
    for (const auto& [name, bytes] : snapshot(out)) CHECK(name[0] != '.');

    write_file(out / "notes.txt", "my notes\n");
    write_file(out / "project.qgz", "QGIS project");
    fs::create_directories(out / "cells");
    write_file(out / "cells" / "README.txt", "mine");

    // Second run without per-cell rasters: the previous run's per-cell files go, the user's stay.
    write_file(scenario, small_scenario());
    const auto r = run_into(scenario, out);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(out / "notes.txt") == "my notes\n");
    CHECK(read_file(out / "project.qgz") == "QGIS project");
    CHECK(read_file(out / "cells" / "README.txt") == "mine");
    CHECK_FALSE(fs::exists(out / "cells" / "HOF1-L08-1_path_loss_db.tif"));
    CHECK(fs::exists(out / "best_rx_level_dbm.tif"));
    for (const auto& [file, sha256] : listed_outputs(out / "manifest.json"))
        CHECK(file.find("path_loss_db") == std::string::npos);
}

TEST_CASE("output folder: a file changed since the run, or not the run's, is never replaced",
          "[output][cli]") {
    TempDir tmp;
    const fs::path scenario = tmp / "s.toml";
    write_file(scenario, small_scenario());
    const fs::path out = tmp / "out";
    REQUIRE(run_into(scenario, out).exit_code == 0);

    SECTION("an output edited since (checksum differs)") {
        write_file(out / "best_server.tif", read_file(out / "best_server.tif") + "edited");
        const auto before = snapshot(out);
        const auto r = run_into(scenario, out);
        CHECK(r.exit_code == 3);
        CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
        CHECK_THAT(r.output, Catch::Contains("best_server.tif: exists and is not a file of the "
                                             "previous grenzfunk run"));
        CHECK(snapshot(out) == before);
    }
    SECTION("a manifest.json that is not grenzfunk's") {
        write_file(out / "manifest.json", "{\"software\": \"other tool\"}\n");
        const auto before = snapshot(out);
        const auto r = run_into(scenario, out);
        CHECK(r.exit_code == 3);
        CHECK_THAT(r.output, Catch::Contains("is not a file of the previous grenzfunk run"));
        CHECK(snapshot(out) == before);
    }
    SECTION("a forged manifest cannot license a file outside the folder") {
        write_file(tmp / "precious.txt", "keep");
        const std::string sha = "0000";  // whatever it says, the path itself is refused
        write_file(out / "manifest.json",
                   "{\"software\": \"grenzfunk x\", \"outputs\": [{\"file\": \"../precious.txt\", "
                   "\"sha256\": \"" +
                       sha + "\"}, {\"file\": \"/etc/hostname\", \"sha256\": \"" + sha + "\"}]}");
        // Its own outputs are no longer listed either: the run must refuse to replace them.
        const auto r = run_into(scenario, out);
        CHECK(r.exit_code == 3);
        CHECK(read_file(tmp / "precious.txt") == "keep");
    }
}

TEST_CASE("output folder: a second run into a folder in use fails at once", "[output][cli]") {
    TempDir tmp;
    const fs::path scenario = tmp / "s.toml";
    write_file(scenario, small_scenario());
    const fs::path out = tmp / "out";
    fs::create_directories(out);
    write_file(out / "notes.txt", "mine");
    // Hold the folder's lock as a running grenzfunk would.
    const int fd = ::open((out / ".grenzfunk.lock").c_str(), O_RDWR | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    REQUIRE(::write(fd, "grenzfunk run, process 4242\n", 28) == 28);
    const auto r = run_into(scenario, out);
    ::close(fd);
    CHECK(r.exit_code == 3);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK_THAT(r.output, Catch::Contains("another grenzfunk run (process 4242) is writing into "
                                         "this folder"));
    CHECK_FALSE(fs::exists(out / "best_rx_level_dbm.tif"));
    CHECK(read_file(out / "notes.txt") == "mine");
    // Released: the next run goes through.
    CHECK(run_into(scenario, out).exit_code == 0);
}

TEST_CASE("output folder: the leftovers of a killed run are removed by the next run",
          "[output][cli]") {
    TempDir tmp;
    const fs::path scenario = tmp / "s.toml";
    write_file(scenario, small_scenario());
    const fs::path out = tmp / "out";
    // A staging folder as a SIGKILLed run leaves it (marker, scratch rows, a staged file).
    const fs::path stale = out / ".grenzfunk-staging-999999-1";
    fs::create_directories(stale / "cells");
    write_file(stale / ".grenzfunk-staging", "grenzfunk staging folder\n");
    write_file(stale / ".scratch-1-best_rx_level_dbm.tif.rows", std::string(4096, 'x'));
    write_file(stale / "cells" / "A_path_loss_db.tif", "partial");
    // Scratch files of an older grenzfunk, of a process that is gone, and look-alikes of others.
    write_file(out / "best_rx_level_dbm.tif.tmp-999999-3.rows", "rows");
    write_file(out / "terrain_m.tif.tmp-999999-4", "tmp");
    write_file(out / "mine.tmp-1-2", "pid 1 runs: not a leftover");
    fs::create_directories(out / ".grenzfunk-staging-mine");  // no marker: not ours
    write_file(out / ".grenzfunk-staging-mine" / "x", "x");

    const auto r = run_into(scenario, out);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK_FALSE(fs::exists(stale));
    CHECK_FALSE(fs::exists(out / "best_rx_level_dbm.tif.tmp-999999-3.rows"));
    CHECK_FALSE(fs::exists(out / "terrain_m.tif.tmp-999999-4"));
    CHECK(fs::exists(out / "mine.tmp-1-2"));
    CHECK(read_file(out / ".grenzfunk-staging-mine" / "x") == "x");
}

TEST_CASE("output folder: a commit cut short is rolled back by the next run", "[output]") {
    TempDir tmp;
    const fs::path root = tmp / "out";
    const fs::path staging = root / ".grenzfunk-staging-999999-7";
    fs::create_directories(staging / ".previous" / "cells");
    // The killed run had moved the previous a.tif and cells/b.tif aside and placed its new a.tif;
    // its new c.tif (no previous file) was placed too, its manifest not yet.
    write_file(staging / ".grenzfunk-staging", "marker");
    write_file(staging / ".previous" / "a.tif", "old a");
    write_file(staging / ".previous" / "cells" / "b.tif", "old b");
    write_file(root / "a.tif", "new a");
    write_file(root / "c.tif", "new c");
    write_file(staging / "manifest.json", "new manifest");
    write_file(root / "manifest.json", "old manifest");
    write_file(staging / ".journal",
               "aside a.tif\naside cells/b.tif\nplace a.tif\nplace c.tif\nplace manifest.json\n");
    io::recover_staging_folder(root, staging);
    CHECK(read_file(root / "a.tif") == "old a");
    CHECK(read_file(root / "cells" / "b.tif") == "old b");
    CHECK_FALSE(fs::exists(root / "c.tif"));
    CHECK(read_file(root / "manifest.json") == "old manifest");
    CHECK_FALSE(fs::exists(staging));

    // A journal that says "done" is a finished commit: the files stay.
    fs::create_directories(staging);
    write_file(staging / ".grenzfunk-staging", "marker");
    write_file(staging / ".journal", "aside a.tif\nplace a.tif\ndone\n");
    io::recover_staging_folder(root, staging);
    CHECK(read_file(root / "a.tif") == "old a");
    CHECK_FALSE(fs::exists(staging));
}

TEST_CASE("output folder: a failure during the commit puts the previous files back", "[output]") {
    TempDir tmp;
    const fs::path root = tmp / "out";
    fs::create_directories(root);
    {
        io::OutputFolder folder(root);
        write_file(folder.staging_path("a.tif"), "first a");
        write_file(folder.staging_path("manifest.json"), "{\"software\": \"grenzfunk t\"}");
        folder.apply({"a.tif", "manifest.json"});
        folder.finish();
    }
    // a.tif is not listed by that manifest: the next commit must refuse to replace it.
    {
        io::OutputFolder folder(root);
        write_file(folder.staging_path("a.tif"), "second a");
        CHECK_THROWS_AS(folder.apply({"a.tif"}), OutputError);
    }
    CHECK(read_file(root / "a.tif") == "first a");
    // A commit whose second file was never staged: its rename fails and the first file, already
    // moved into place, goes back.
    {
        io::OutputFolder folder(root);
        write_file(folder.staging_path("b.tif"), "b");
        write_file(folder.staging_path("manifest.json"), "{\"software\": \"grenzfunk t\"}");
        CHECK_THROWS_AS(folder.apply({"b.tif", "missing.tif", "manifest.json"}), OutputError);
    }
    CHECK_FALSE(fs::exists(root / "b.tif"));
    CHECK_FALSE(fs::exists(root / "missing.tif"));
    CHECK(read_file(root / "a.tif") == "first a");
    CHECK(read_file(root / "manifest.json") == "{\"software\": \"grenzfunk t\"}");
    for (const auto& e : fs::directory_iterator(root))
        CHECK(e.path().filename().string().rfind(".grenzfunk", 0) != 0);
}

TEST_CASE("output folder: a failed run into a new folder leaves no folder behind",
          "[output][cli]") {
    TempDir tmp;
    // Bad input is found before the folder is made.
    write_file(tmp / "bad.toml", small_scenario("[output]\nbest_level = 3\n"));
    const auto r = run_into(tmp / "bad.toml", tmp / "new" / "deeper");
    CHECK(r.exit_code == 1);
    CHECK_FALSE(fs::exists(tmp / "new"));
    // A folder made by the run and given up (no commit) goes again, with its parents it made.
    {
        io::OutputFolder folder(tmp / "new" / "deeper");
        write_file(folder.staging_path("cells/a.tif"), "a");
        CHECK(fs::exists(tmp / "new" / "deeper"));
    }
    CHECK_FALSE(fs::exists(tmp / "new"));
    // An existing folder stays, empty or not.
    fs::create_directories(tmp / "kept");
    { io::OutputFolder folder(tmp / "kept"); }
    CHECK(fs::is_directory(tmp / "kept"));
    CHECK(fs::is_empty(tmp / "kept"));
}

TEST_CASE("output folder: the export folder follows the same rule", "[output][cli][border]") {
    TempDir tmp;
    const fs::path out = tmp / "out";
    SECTION("an existing folder with a user's files: kept, the package added beside them") {
        const fs::path pkg = tmp / "for_bnetza";
        fs::create_directories(pkg);
        write_file(pkg / "letter.odt", "cover letter");
        write_file(tmp / "s.toml",
                   small_scenario(border_tables("directory = \"" + pkg.string() + "\"\n")));
        const auto r = run_into(tmp / "s.toml", out);
        INFO(r.output);
        REQUIRE(r.exit_code == 0);
        CHECK(read_file(pkg / "letter.odt") == "cover letter");
        CHECK(fs::exists(pkg / "border_report.html"));
        const auto package = listed_outputs(pkg / "manifest.json");
        REQUIRE(package.count("border_report.html") == 1);
        CHECK(package.at("border_report.html") ==
              io::sha256_hex(read_file(pkg / "border_report.html")));
        CHECK(fs::exists(out / "best_rx_level_dbm.tif"));
        // A second run replaces the package, still leaving the letter.
        REQUIRE(run_into(tmp / "s.toml", out).exit_code == 0);
        CHECK(read_file(pkg / "letter.odt") == "cover letter");
    }
    SECTION("the output folder itself, or a folder holding it, is refused before any work") {
        for (const fs::path& pkg : {out, tmp.path()}) {
            write_file(out.parent_path() / "s.toml",
                       small_scenario(border_tables("directory = \"" + pkg.string() + "\"\n")));
            const auto before = snapshot(tmp.path());
            const auto r = run_into(tmp / "s.toml", out);
            CHECK(r.exit_code == 1);
            CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
            CHECK_THAT(r.output, Catch::Contains("export.directory") &&
                                     Catch::Contains("contains the run's output folder"));
            CHECK(snapshot(tmp.path()) == before);
        }
    }
    SECTION("the default package folder inside the output folder is listed by its manifest") {
        write_file(tmp / "s.toml", small_scenario(border_tables()));
        REQUIRE(run_into(tmp / "s.toml", out).exit_code == 0);
        CHECK(listed_outputs(out / "manifest.json").count("regulator_package/border_report.html") ==
              1);
        write_file(out / "regulator_package" / "my_notes.txt", "n");
        REQUIRE(run_into(tmp / "s.toml", out).exit_code == 0);
        CHECK(read_file(out / "regulator_package" / "my_notes.txt") == "n");
    }
}

TEST_CASE("output folder: names from input data cannot become paths outside it",
          "[output][cli][sites]") {
    TempDir tmp;
    const std::string header =
        "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
        "mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,"
        "technology,operator,country\n";
    const std::string rest = ",HOF1,Hof,50.319,11.929,35,0,0,3,806,10,59.0,omni,LTE,DE-sample,DE\n";
    struct Case {
        std::string row, message;
    };
    const std::vector<Case> cases = {
        {"../../escaped" + rest, "sites.csv:2: cell_id: character 3 is '/'"},
        {std::string("pwned.sh\0x", 10) + rest, "sites.csv:2: cell_id: character 9 is byte 0x00"},
        {"a/b" + rest, "sites.csv:2: cell_id: character 2 is '/'"},
        {std::string(65, 'a') + rest, "sites.csv:2: cell_id: 65 characters; at most 64"},
        {"-rf" + rest, "sites.csv:2: cell_id: must not start with '.' or '-'"},
        {"ok1,HOF1,Hof\xff,50.319,11.929,35,0,0,3,806,10,59.0,omni,LTE,DE-sample,DE\n",
         "sites.csv:2: site_name: is not valid UTF-8 (byte 4)"},
        {"ok2,HOF1,\"Ho\x01"
         "f\",50.319,11.929,35,0,0,3,806,10,59.0,omni,LTE,DE-sample,DE\n",
         "sites.csv:2: site_name: holds a control character (byte 3)"},
    };
    for (const Case& c : cases) {
        INFO(c.message);
        write_file(tmp / "sites.csv", header + c.row);
        std::string text = small_scenario("[output]\npath_loss_per_cell = true\n");
        const std::string sites = data_path("sites/hof_rehau_sites.csv");
        text.replace(text.find(sites), sites.size(), (tmp / "sites.csv").string());
        write_file(tmp / "s.toml", text);
        const fs::path work = tmp / "work";
        fs::create_directories(work);
        const auto r = run_cli("run '" + (tmp / "s.toml").string() + "' -q -o '" +
                               (work / "a" / "b").string() + "'");
        CHECK(r.exit_code == 1);
        CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
        CHECK_THAT(r.output, Catch::Contains(c.message));
        CHECK(fs::is_empty(work));
        fs::remove_all(work);
    }
    SECTION("scenario names") {
        for (const std::string& name :
             {std::string("../../x"), std::string("a/b"), std::string(".hidden")}) {
            write_file(tmp / "s.toml", small_scenario("", name));
            const auto r = run_cli("run '" + (tmp / "s.toml").string() + "' -q");
            CHECK(r.exit_code == 1);
            CHECK_THAT(r.output, Catch::Contains("s.toml:1: name: "));
        }
        write_file(tmp / "s.toml", small_scenario("", "x\\u0000y"));
        CHECK_THAT(run_cli("run '" + (tmp / "s.toml").string() + "' -q").output,
                   Catch::Contains("s.toml:1: name: holds a control character"));
    }
}
