// The run as a library (src/pipeline): a plan checked completely before any work, executed
// in-process with the same files as `grenzfunk run`, and `grenzfunk validate`.
#include <catch2/catch.hpp>
#include <map>

#include "core/error.hpp"
#include "pipeline/observer.hpp"
#include "pipeline/plan.hpp"
#include "pipeline/run.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

namespace {

const std::string kHeader =
    "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,mech_tilt_deg,"
    "elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,technology,operator,"
    "country\n";

std::string scenario_text(const std::vector<fs::path>& sites, const std::string& extra = "",
                          bool with_extent = true) {
    std::ostringstream s;
    s << "name = \"lib\"\n[terrain]\nfiles = [\"" << data_path("dem/hof_as_srtm3.tif") << "\"]\n";
    for (const auto& f : sites) s << "[[sites]]\nfile = \"" << f.string() << "\"\n";
    s << "[grid]\nresolution_m = 250.0\n";
    if (with_extent) s << "extent_lonlat_deg = [11.95, 50.18, 12.3, 50.34]\n";
    s << "[propagation]\nmodel = \"free-space\"\nmax_radius_km = 5.0\n" << extra;
    return s.str();
}

// Records what the run reports.
struct Recorder : pipeline::RunObserver {
    std::vector<std::string> notes;
    std::map<std::string, double> last_done;
    std::vector<std::string> finished;
    void note(const std::string& t) override { notes.push_back(t); }
    void progress(const std::string& step, double done, double total) override {
        last_done[step] = done / total;
    }
    void step_finished(const std::string& step) override { finished.push_back(step); }
};

}  // namespace

TEST_CASE("pipeline: a run called in-process writes the same files as grenzfunk run",
          "[pipeline]") {
    TempDir tmp;
    write_file(tmp / "s.toml", scenario_text({data_path("sites/hof_rehau_sites.csv")}));
    pipeline::RunRequest request;
    request.scenario_path = (tmp / "s.toml").string();
    request.output_directory = (tmp / "lib").string();
    request.threads = 2;
    pipeline::RunPlan plan = pipeline::make_plan(request);
    CHECK(plan.cells.size() == 9);
    CHECK(plan.active.size() == 9);
    CHECK(plan.engine_options.engine == EngineKind::fast);  // the one default
    Recorder recorder;
    std::atomic<bool> cancel{false};
    const pipeline::RunSummary summary = pipeline::execute(plan, recorder, cancel);
    CHECK(recorder.last_done["computing coverage"] == Approx(1.0));
    CHECK(std::find(recorder.finished.begin(), recorder.finished.end(), "computing coverage") !=
          recorder.finished.end());
    CHECK(summary.files.back() == "manifest.json");

    const auto cli = run_cli("run '" + (tmp / "s.toml").string() + "' -q -j 1 -o '" +
                             (tmp / "cli").string() + "'");
    REQUIRE(cli.exit_code == 0);
    for (const auto& f : summary.files) {
        if (f == "manifest.json") continue;  // names the scenario path, the same here
        INFO(f);
        CHECK(read_file(tmp / "lib" / f) == read_file(tmp / "cli" / f));
    }
}

TEST_CASE("pipeline: the plan reports every input error in one pass", "[pipeline]") {
    TempDir tmp;
    write_file(tmp / "a.csv", kHeader +
                                  "A1,S,Hof,50.319,11.929,35,0,0,3,806,10,59,omni,LTE,x,DE\n"
                                  "A2,S,Hof,95.0,11.929,35,0,0,3,806,10,59,omni,LTE,x,DE\n");
    write_file(tmp / "b.csv",
               kHeader + "B1,S,Hof,50.319,11.929,35,0,0,3,806,10,59,omni,LTE,x,Deutschland\n");
    std::string text = scenario_text({tmp / "a.csv", tmp / "b.csv"});
    text.replace(text.find("max_radius_km = 5.0\n"), 20,
                 "max_radius_km = 5.0\nparameters = { bogus = 1 }\n");
    write_file(tmp / "s.toml", text);
    pipeline::RunRequest request;
    request.scenario_path = (tmp / "s.toml").string();
    try {
        (void)pipeline::make_plan(request);
        FAIL("no error");
    } catch (const InputError& e) {
        const std::string m = e.what();
        INFO(m);
        CHECK_THAT(m, Catch::Contains("3 errors, nothing was computed"));
        CHECK_THAT(m, Catch::Contains("bogus"));
        CHECK_THAT(m, Catch::Contains("a.csv:3: lat_deg"));
        CHECK_THAT(m, Catch::Contains("b.csv:2: country"));
    }
    CHECK_FALSE(fs::exists(tmp / "out"));
}

TEST_CASE("pipeline: a site with latitude and longitude swapped is named by file and line",
          "[pipeline][cli]") {
    TempDir tmp;
    write_file(tmp / "a.csv", kHeader +
                                  "A1,S,Hof,50.319,11.929,35,0,0,3,806,10,59,omni,LTE,x,DE\n"
                                  "A2,S2,Rehau,12.05,50.25,35,0,0,3,806,10,59,omni,LTE,x,DE\n");
    write_file(tmp / "s.toml", scenario_text({tmp / "a.csv"}, "", false));
    const auto r =
        run_cli("run '" + (tmp / "s.toml").string() + "' -q -o '" + (tmp / "out").string() + "'");
    CHECK(r.exit_code == 1);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK_THAT(r.output, Catch::Contains("a.csv:3: site 'S2' at 12.05000 N, 50.25000 E lies "
                                         "outside the terrain") &&
                             Catch::Contains("are lat_deg and lon_deg swapped?"));
    CHECK_FALSE(fs::exists(tmp / "out"));
}

TEST_CASE("pipeline: grenzfunk validate prints the resolved plan without computing",
          "[pipeline][cli]") {
    TempDir tmp;
    write_file(tmp / "s.toml", scenario_text({data_path("sites/hof_rehau_sites.csv")}));
    const auto r =
        run_cli("validate '" + (tmp / "s.toml").string() + "' -o '" + (tmp / "out").string() + "'");
    INFO(r.output);
    CHECK(r.exit_code == 0);
    for (const char* expected :
         {"scenario 'lib'", "valid", "resolution_m = 250.000", "-> 104 x 76 pixels",
          "height_agl_m = 1.50", "model = free-space", "engine = fast", "tile_rows = 76 (1 band)",
          "void_fill_max_distance_m = 1000.0", "cells: 9 in the sites files, 9 reach",
          "peak memory about"})
        CHECK_THAT(r.output, Catch::Contains(expected));
    CHECK_FALSE(fs::exists(tmp / "out"));
    // Bad input: the same errors as run, exit 1.
    write_file(tmp / "bad.toml", scenario_text({tmp / "missing.csv"}));
    const auto bad = run_cli("validate '" + (tmp / "bad.toml").string() + "'");
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.output, Catch::Contains("missing.csv"));
}
