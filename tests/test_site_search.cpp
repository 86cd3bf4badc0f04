// `grenzfunk plan` (pipeline/site_search.hpp, docs/planning.md) on the small border cut
// (tests/data/scenarios/plan_small.toml): the rerun with proposed_sites.csv reproduces the "after"
// statistics byte for byte, every proposed cell passes the border check, the same files for 1 and
// 2 threads, bad [planning] input, Ctrl-C leaves nothing.
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "io/candidates_csv.hpp"
#include "io/checksum.hpp"
#include "io/crs.hpp"
#include "io/scenario.hpp"
#include "io/sites_csv.hpp"
#include "pipeline/observer.hpp"
#include "pipeline/plan.hpp"
#include "pipeline/run.hpp"
#include "pipeline/site_search.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::test;

namespace {

// plan_small.toml with absolute paths, its [planning] table replaced by `planning` (when not
// empty) and `extra` added before [grid] (e.g. another [[sites]] file).
std::string plan_scenario(const std::string& planning = "", const std::string& extra = "") {
    std::string text = read_file(data_path("scenarios/plan_small.toml"));
    // Built anew rather than replaced in place (GCC 12's -Wrestrict misfires on replace()).
    const auto replace_all = [&](const std::string& from, const std::string& to) {
        std::string out;
        std::size_t at = 0;
        for (std::size_t hit; (hit = text.find(from, at)) != std::string::npos;
             at = hit + from.size())
            out.append(text, at, hit - at).append(to);
        text = out.append(text, at, std::string::npos);
    };
    std::string source = "\"", data = "\"";
    source += source_path("");
    data += data_path("");
    replace_all("\"../../../", source);
    replace_all("\"../", data);
    if (!planning.empty()) text = text.substr(0, text.find("\n[planning]") + 1) + planning;
    if (!extra.empty()) text.insert(text.find("[grid]"), extra + "\n");
    return text;
}

// Plans `scenario` (written to <tmp>/<scenario name>.toml) into <tmp>/<name>.
pipeline::SiteSearchResult plan_in(const TempDir& tmp, const std::string& name, int threads,
                                   const std::string& scenario = plan_scenario(),
                                   const std::string& scenario_name = "s") {
    write_file(tmp / (scenario_name + ".toml"), scenario);
    pipeline::SiteSearchRequest request;
    request.run.scenario_path = (tmp / (scenario_name + ".toml")).string();
    request.run.output_directory = (tmp / name).string();
    request.run.threads = threads;
    pipeline::RunObserver observer;
    std::atomic<bool> cancel{false};
    return pipeline::search_sites(request, observer, cancel);
}

std::string planning_error(const std::string& planning, const std::string& extra = "") {
    TempDir tmp;
    try {
        (void)plan_in(tmp, "bad", 1, plan_scenario(planning, extra));
    } catch (const InputError& e) {
        CHECK(!fs::exists(tmp / "bad" / "proposed_sites.csv"));
        return e.what();
    }
    return "no error";
}

// The rows of a CSV text, split at commas (the tests' files hold no quoted commas).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> fields;
        std::string field;
        std::istringstream l(line);
        while (std::getline(l, field, ',')) fields.push_back(field);
        if (!line.empty() && line.back() == ',') fields.emplace_back();
        rows.push_back(fields);
    }
    return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    REQUIRE(it != header.end());
    return std::size_t(it - header.begin());
}

// Runs `scenario` with <out>/proposed_sites.csv added into <tmp>/<name> and checks that its
// statistics are the plan's "after" statistics, byte for byte.
void rerun_with_proposal(const TempDir& tmp, const std::string& scenario, const fs::path& out,
                         const std::string& name) {
    std::string text = scenario;
    text.insert(text.find("[grid]"),
                "[[sites]]\nfile = \"" + (out / "proposed_sites.csv").generic_string() + "\"\n");
    write_file(tmp / (name + ".toml"), text);
    pipeline::RunRequest request;
    request.scenario_path = (tmp / (name + ".toml")).string();
    request.output_directory = (tmp / name).string();
    request.threads = 2;
    pipeline::RunPlan plan = pipeline::make_plan(request);
    pipeline::RunObserver observer;
    std::atomic<bool> cancel{false};
    (void)pipeline::execute(plan, observer, cancel);
    CHECK(read_file(tmp / name / "statistics.csv") == read_file(out / "after" / "statistics.csv"));
    CHECK(read_file(tmp / name / "statistics.json") ==
          read_file(out / "after" / "statistics.json"));
}

// The worst border margin of each proposed site in proposed_sites_table.csv is the one of the
// package's own check of the proposed cells (regulator_package/border_sites.csv).
void check_margins_are_the_package_s(const fs::path& out, std::size_t sites) {
    const auto table = csv_rows(read_file(out / "proposed_sites_table.csv"));
    const auto package = csv_rows(read_file(out / "regulator_package" / "border_sites.csv"));
    REQUIRE(table.size() == sites + 1);
    REQUIRE(package.size() == sites + 1);
    for (std::size_t i = 1; i < table.size(); ++i)
        CHECK(table[i][column(table[0], "border_worst_margin_db")] ==
              package[i][column(package[0], "worst_margin_db")]);
}

}  // namespace

TEST_CASE("plan: the rerun with proposed_sites.csv reproduces the after statistics exactly",
          "[plan]") {
    TempDir tmp;
    const pipeline::SiteSearchResult r = plan_in(tmp, "plan", 1);
    const fs::path out = tmp / "plan";
    REQUIRE(!r.sites.empty());
    CHECK(r.sites.size() <= 3);  // planning.max_sites
    CHECK(r.candidates > 50);
    // The selection's own count of newly covered pixels is what the run with the cells covers.
    const auto plan_json = nlohmann::json::parse(read_file(out / "plan.json"));
    CHECK(plan_json["consistent"].get<bool>());
    CHECK(plan_json["closed_pixels"].get<std::size_t>() > 0);
    CHECK(plan_json["closed_pixels"] == plan_json["predicted_closed_pixels"]);
    CHECK(r.closed_km2 == Approx(r.predicted_closed_km2).epsilon(1e-12));
    // Gains decrease along the greedy order (submodular objective).
    for (std::size_t i = 1; i < r.sites.size(); ++i)
        CHECK(r.sites[i].gain_km2 <= r.sites[i - 1].gain_km2);
    // Proposed sites keep the minimum spacing (2.5 km).
    io::LonLatTransform t("EPSG:25832");
    for (std::size_t i = 0; i < r.sites.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            double xi, yi, xj, yj;
            REQUIRE(t.forward(r.sites[i].lon_deg, r.sites[i].lat_deg, xi, yi));
            REQUIRE(t.forward(r.sites[j].lon_deg, r.sites[j].lat_deg, xj, yj));
            CHECK(std::hypot(xi - xj, yi - yj) >= 2500.0);
        }
    // proposed_sites.csv is a valid sites file with the template's cells at each site.
    const std::vector<Cell> cells = io::read_sites_csv(out / "proposed_sites.csv");
    CHECK(cells.size() == 3 * r.sites.size());
    for (const Cell& c : cells) {
        CHECK(c.country == "DE");
        REQUIRE(c.pci);
        CHECK(*c.pci <= 251);  // the preferential PCIs of DE -> CZ (preferential_codes.toml)
    }

    // The scenario run again with the proposed sites added.
    rerun_with_proposal(tmp, plan_scenario(), out, "rerun");
    // "after" of gap_statistics.json is the rerun's statistics, zone by zone.
    const auto gaps = nlohmann::json::parse(read_file(out / "gap_statistics.json"));
    const auto stats = nlohmann::json::parse(read_file(tmp / "rerun" / "statistics.json"));
    CHECK(gaps["zones"].size() > 5);
    CHECK(gaps["gaps_after"].get<std::size_t>() < gaps["gaps_before"].get<std::size_t>() + 20);

    // Every proposed cell passes the border check, in the plan's package and in the rerun's.
    for (const fs::path& report : {out / "regulator_package" / "border_report.csv",
                                   tmp / "rerun" / "regulator_package" / "border_report.csv"}) {
        const auto rows = csv_rows(read_file(report));
        REQUIRE(rows.size() > 1);
        const std::size_t id = column(rows[0], "cell_id"), result = column(rows[0], "result"),
                          margin = column(rows[0], "margin_db");
        std::size_t proposed_checks = 0;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            if (rows[i][id].rfind("PLAN", 0) != 0) continue;
            ++proposed_checks;
            CHECK(rows[i][result] == "PASS");
            CHECK(std::stod(rows[i][margin]) >= 0.0);
        }
        CHECK(proposed_checks == cells.size());  // one LTE 800 rule per cell
    }
    // The package records the proposed cells' file, not the scenario's sites files, as its
    // station data.
    {
        const auto manifest =
            nlohmann::json::parse(read_file(out / "regulator_package" / "manifest.json"));
        std::vector<std::string> roles;
        for (const auto& in : manifest["inputs"]) {
            roles.push_back(in["role"].get<std::string>());
            if (roles.back() == "proposed sites")
                CHECK(in["sha256"].get<std::string>() ==
                      io::sha256_file_hex((out / "proposed_sites.csv").string()));
        }
        CHECK(std::count(roles.begin(), roles.end(), "proposed sites") == 1);
        CHECK(std::count(roles.begin(), roles.end(), "sites") == 0);
    }
    // The per-site table's margins are the package's worst margins.
    check_margins_are_the_package_s(out, r.sites.size());
    const auto table = csv_rows(read_file(out / "proposed_sites_table.csv"));

    // plan_layers.gpkg: the gaps left (as many as gap_statistics.json counts) and the proposed
    // sites as points in the grid CRS with the per-site table's values, a style for each.
    GDALAllRegister();
    {
        std::unique_ptr<GDALDataset> ds(
            GDALDataset::Open((out / "plan_layers.gpkg").string().c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        OGRLayer* gap_layer = ds->GetLayerByName("gaps");
        REQUIRE(gap_layer);
        CHECK(gap_layer->GetFeatureCount() == gaps["gaps_after"].get<GIntBig>());
        OGRLayer* points = ds->GetLayerByName("proposed_sites");
        REQUIRE(points);
        CHECK(wkbFlatten(points->GetGeomType()) == wkbPoint);
        CHECK(std::string(points->GetSpatialRef()->GetAuthorityCode(nullptr)) == "25832");
        REQUIRE(points->GetFeatureCount() == GIntBig(r.sites.size()));
        const auto& h = table[0];
        std::size_t i = 0;
        for (auto& f : *points) {
            const pipeline::ProposedSite& site = r.sites[i];
            const std::vector<std::string>& row = table[i + 1];
            INFO("site " << site.site_id);
            CHECK(f->GetFieldAsInteger64("rank") == std::stoll(row[column(h, "rank")]));
            CHECK(f->GetFieldAsInteger64("rank") == GIntBig(i + 1));
            CHECK(std::string(f->GetFieldAsString("site_id")) == row[column(h, "site_id")]);
            CHECK(std::string(f->GetFieldAsString("site_id")) == site.site_id);
            CHECK(std::string(f->GetFieldAsString("candidate_id")) ==
                  row[column(h, "candidate_id")]);
            CHECK(f->GetFieldAsDouble("antenna_height_agl_m") ==
                  Approx(std::stod(row[column(h, "antenna_height_agl_m")])).margin(0.05));
            CHECK(f->GetFieldAsDouble("antenna_height_agl_m") == site.antenna_height_agl_m);
            CHECK(f->GetFieldAsDouble("gap_closed_km2") ==
                  Approx(std::stod(row[column(h, "gap_closed_km2")])).margin(1e-3));
            CHECK(f->GetFieldAsDouble("gap_closed_km2") == site.gain_km2);
            CHECK(f->GetFieldAsDouble("cumulative_share_pct") ==
                  Approx(std::stod(row[column(h, "cumulative_share_pct")])).margin(0.005));
            CHECK(f->GetFieldAsDouble("cumulative_share_pct") == site.cumulative_share_pct);
            // The point is the table's latitude/longitude in EPSG:25832.
            double x, y;
            REQUIRE(t.forward(std::stod(row[column(h, "lon_deg")]),
                              std::stod(row[column(h, "lat_deg")]), x, y));
            const OGRPoint* p = f->GetGeometryRef()->toPoint();
            CHECK(p->getX() == Approx(x).margin(0.5));
            CHECK(p->getY() == Approx(y).margin(0.5));
            ++i;
        }
        CHECK(i == r.sites.size());
        OGRLayer* styles = ds->GetLayerByName("layer_styles");
        REQUIRE(styles);
        std::vector<std::string> styled;
        for (auto& f : *styles) {
            styled.emplace_back(f->GetFieldAsString("f_table_name"));
            CHECK(f->GetFieldAsInteger("useAsDefault") == 1);
        }
        CHECK(styled == std::vector<std::string>{"gaps", "proposed_sites"});
    }
    CHECK(!fs::exists(out / "remaining_gaps.gpkg"));

    // The greedy first site closes at least as much as either baseline's first (k = 1 is exact).
    REQUIRE(!r.highest_curve_km2.empty());
    REQUIRE(!r.random_curve_km2.empty());
    CHECK(r.greedy_curve_km2[0] >= r.highest_curve_km2[0]);
    CHECK(r.greedy_curve_km2[0] >= r.random_curve_km2[0]);
}

TEST_CASE("plan: the same files for 1 and 2 threads", "[plan]") {
    TempDir tmp;
    const pipeline::SiteSearchResult one = plan_in(tmp, "one", 1);
    const pipeline::SiteSearchResult two = plan_in(tmp, "two", 2);
    REQUIRE(one.files == two.files);
    for (const std::string& f : one.files) {
        INFO(f);
        CHECK(read_file(tmp / "one" / f) == read_file(tmp / "two" / f));
    }
}

TEST_CASE("plan: candidates from a CSV, each at every antenna height", "[plan]") {
    TempDir tmp;
    write_file(tmp / "cand.csv",
               "candidate_id,lat_deg,lon_deg\nA,50.30,12.23\nB,50.20,12.02\nC,50.35,12.10\n");
    const std::string planning =
        "[planning]\ntemplate_file = \"" + data_path("sites/plan_template_lte800.csv") +
        "\"\ncandidates_file = \"" + (tmp / "cand.csv").generic_string() +
        "\"\nantenna_heights_m = [20.0, 40.0]\nmax_sites = 2\nmin_spacing_m = 1000.0\n";
    const pipeline::SiteSearchResult r = plan_in(tmp, "csv", 1, plan_scenario(planning));
    CHECK(r.candidates == 6);
    CHECK(r.candidate_positions == 3);
    REQUIRE(!r.sites.empty());
    // Never two heights at one position.
    for (std::size_t i = 1; i < r.sites.size(); ++i)
        CHECK(r.sites[i].candidate_id.substr(0, 1) != r.sites[0].candidate_id.substr(0, 1));
    for (const auto& s : r.sites)
        CHECK((s.antenna_height_agl_m == 20.0 || s.antenna_height_agl_m == 40.0));
    const auto cands = csv_rows(read_file(tmp / "csv" / "candidates.csv"));
    CHECK(cands.size() == 7);
}

TEST_CASE("plan: azimuth and tilt choices share one path-loss computation per position and height",
          "[plan]") {
    TempDir tmp;
    const std::string templ =
        "[planning]\ntemplate_file = \"" + data_path("sites/plan_template_lte800.csv") + "\"\n";
    const std::string rest =
        "candidate_spacing_m = 2000.0\ncandidate_gap_distance_m = 1500.0\n"
        "min_distance_to_existing_m = 1500.0\nmax_sites = 3\nmin_spacing_m = 2500.0\n";
    // The template's own configuration (rotation 0, electrical tilt 3 degrees) is one choice.
    const std::string scenario = plan_scenario(
        templ + rest + "azimuth_choices_deg = [0.0, 40.0, 80.0]\ntilt_choices_deg = [3.0, 8.0]\n");
    const pipeline::SiteSearchResult plain = plan_in(tmp, "plain", 2);
    const pipeline::SiteSearchResult r = plan_in(tmp, "choices", 2, scenario, "c");
    const fs::path out = tmp / "choices";
    CHECK(r.candidate_positions == plain.candidate_positions);
    CHECK(r.candidates == 6 * plain.candidates);
    // One engine transmitter per position (the template has one height and one frequency).
    CHECK(plain.candidate_transmitters == plain.candidate_positions);
    CHECK(r.candidate_transmitters == r.candidate_positions);
    REQUIRE(!r.sites.empty());
    CHECK(nlohmann::json::parse(read_file(out / "plan.json"))["consistent"].get<bool>());
    // The choices include the template's configuration, so the first greedy site (exact for
    // k = 1) closes at least as much, and exactly the largest gain alone in candidates.csv of
    // those not over the border margin.
    CHECK(r.greedy_curve_km2[0] >= plain.greedy_curve_km2[0]);
    const auto cands = csv_rows(read_file(out / "candidates.csv"));
    REQUIRE(cands.size() == r.candidates + 1);
    double best_alone = 0.0;
    std::set<std::pair<std::string, std::string>> configurations;
    for (std::size_t i = 1; i < cands.size(); ++i) {
        if (cands[i][column(cands[0], "border_pass")] != "no")
            best_alone =
                std::max(best_alone, std::stod(cands[i][column(cands[0], "gain_alone_km2")]));
        configurations.emplace(cands[i][column(cands[0], "azimuth_rotation_deg")],
                               cands[i][column(cands[0], "elec_tilt_deg")]);
    }
    CHECK(r.greedy_curve_km2[0] == Approx(best_alone).margin(1e-4));
    CHECK(configurations.size() == 6);
    // proposed_sites.csv holds each site's chosen configuration: the template's azimuths turned
    // by the rotation, the chosen tilt; never two configurations at one position.
    const std::vector<Cell> template_cells =
        io::read_sites_csv(data_path("sites/plan_template_lte800.csv"));
    const std::vector<Cell> cells = io::read_sites_csv(out / "proposed_sites.csv");
    REQUIRE(cells.size() == 3 * r.sites.size());
    std::set<std::pair<double, double>> positions;
    for (std::size_t i = 0; i < r.sites.size(); ++i) {
        const pipeline::ProposedSite& site = r.sites[i];
        INFO("site " << site.site_id << " " << site.candidate_id);
        CHECK(positions.emplace(site.lat_deg, site.lon_deg).second);
        CHECK((site.azimuth_rotation_deg == 0.0 || site.azimuth_rotation_deg == 40.0 ||
               site.azimuth_rotation_deg == 80.0));
        CHECK((site.elec_tilt_deg == 3.0 || site.elec_tilt_deg == 8.0));
        for (std::size_t j = 0; j < 3; ++j) {
            const Cell& c = cells[3 * i + j];
            CHECK(c.site_id == site.site_id);
            CHECK(c.azimuth_deg ==
                  std::fmod(template_cells[j].azimuth_deg + site.azimuth_rotation_deg, 360.0));
            CHECK(c.elec_tilt_deg == site.elec_tilt_deg);
            CHECK(c.mech_tilt_deg == template_cells[j].mech_tilt_deg);
        }
    }
    // The margins of the check made for all configurations of a position and height at once
    // are those of the package's check of the proposed cells alone.
    check_margins_are_the_package_s(out, r.sites.size());
    CHECK(r.border_checks > r.border_check_transmitters);  // several configurations per check
    // The rerun with these cells gives the "after" statistics exactly.
    rerun_with_proposal(tmp, plan_scenario(), out, "rerun");
}

TEST_CASE("plan: a template with a pattern file: the copy beside proposed_sites.csv", "[plan]") {
    TempDir tmp;
    fs::create_directories(tmp / "tpl" / "ant");
    fs::copy_file(data_path("antenna/test_panel.msi"), tmp / "tpl" / "ant" / "test_panel.msi");
    // The file holds an electrical tilt of 6 degrees (its vertical cut): the cells say the same.
    write_file(tmp / "tpl" / "t.csv",
               "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
               "mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,"
               "antenna_pattern,technology,operator,country,earfcn\n"
               "P1,T,t,0,0,30,0,0,6,806,10,56,ant/test_panel.msi,LTE,op,DE,6300\n"
               "P2,T,t,0,0,30,120,0,6,806,10,56,ant/test_panel.msi,LTE,op,DE,6300\n"
               "P3,T,t,0,0,30,240,0,6,806,10,56,ant/test_panel.msi,LTE,op,DE,6300\n");
    write_file(tmp / "cand.csv",
               "candidate_id,lat_deg,lon_deg\nA,50.30,12.23\nB,50.20,12.02\nC,50.35,12.10\n");
    const std::string planning = "[planning]\ntemplate_file = \"" +
                                 (tmp / "tpl" / "t.csv").generic_string() +
                                 "\"\ncandidates_file = \"" + (tmp / "cand.csv").generic_string() +
                                 "\"\nazimuth_choices_deg = [0.0, 60.0]\nmax_sites = 2\n"
                                 "min_spacing_m = 1000.0\n";
    const pipeline::SiteSearchResult r = plan_in(tmp, "msi", 1, plan_scenario(planning));
    const fs::path out = tmp / "msi";
    REQUIRE(!r.sites.empty());
    CHECK(read_file(out / "patterns" / "ant" / "test_panel.msi") ==
          read_file(data_path("antenna/test_panel.msi")));
    for (const Cell& c : io::read_sites_csv(out / "proposed_sites.csv"))
        CHECK(c.antenna_pattern == "file:patterns/ant/test_panel.msi");
    const auto manifest = nlohmann::json::parse(read_file(out / "manifest.json"));
    CHECK(manifest.dump().find("patterns/ant/test_panel.msi") != std::string::npos);
    rerun_with_proposal(tmp, plan_scenario(), out, "rerun");
    // Refused: a tilt choice (the file holds the tilt), a part that is not a safe file name.
    CHECK_THAT(planning_error(planning + "tilt_choices_deg = [2.0]\n"),
               Catch::Contains("t.csv:2: antenna_pattern: 'ant/test_panel.msi': a pattern file "
                               "holds its electrical tilt"));
    fs::copy_file(data_path("antenna/test_panel.msi"), tmp / "tpl" / "ant" / "a b.msi");
    write_file(tmp / "tpl" / "t.csv",
               read_file(tmp / "tpl" / "t.csv")
                       .substr(0, read_file(tmp / "tpl" / "t.csv").find('\n') + 1) +
                   "P1,T,t,0,0,30,0,0,6,806,10,56,ant/a b.msi,LTE,op,DE,6300\n");
    CHECK_THAT(planning_error(planning),
               Catch::Contains("t.csv:2: antenna_pattern: 'ant/a b.msi'"));
}

TEST_CASE("plan: bad [planning] input is one line naming the key, nothing written", "[plan]") {
    const std::string templ =
        "template_file = \"" + data_path("sites/plan_template_lte800.csv") + "\"\n";
    CHECK_THAT(planning_error("[planning]\nmax_sites = 3\n"),
               Catch::Contains("planning.template_file: required key missing"));
    // [planning] keys after the template, and the message expected.
    const std::pair<const char*, const char*> cases[] = {
        {"max_sites = 0", "planning.max_sites: 0 is out of range"},
        {"max_sites = 2.5", "planning.max_sites: expected a whole number"},
        {"min_spacing_km = 2", "planning.min_spacing_km: unknown key"},
        {"antenna_heights_m = [30, -1]", "planning.antenna_heights_m: -1 is out of range"},
        {"azimuth_choices_deg = [0, 360]", "planning.azimuth_choices_deg: 360 is 0"},
        {"tilt_choices_deg = [2, 4, 2]", "planning.tilt_choices_deg: a value is listed twice"},
        {"tilt_choices_deg = [2, 95]", "planning.tilt_choices_deg: 95 is out of range"},
    };
    for (const auto& [keys, message] : cases)
        CHECK_THAT(planning_error("[planning]\n" + templ + keys + "\n"), Catch::Contains(message));
    CHECK_THAT(planning_error("[planning]\n" + templ + "site_id_prefix = \"../x\"\n"),
               Catch::Contains("planning.site_id_prefix"));
    CHECK_THAT(planning_error("[planning]\ntemplate_file = \"" +
                              data_path("sites/as_opencellid.csv") + "\"\n"),
               Catch::Contains("as_opencellid.csv"));
    {
        TempDir tmp;
        write_file(tmp / "t.csv",
                   "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
                   "mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,"
                   "antenna_pattern,technology,operator,country\n"
                   "X1,T,t,0,0,30,0,0,0,806,10,56,3gpp-65,LTE,op,CZ\n");
        CHECK_THAT(planning_error("[planning]\ntemplate_file = \"" +
                                  (tmp / "t.csv").generic_string() + "\"\n"),
                   Catch::Contains("t.csv:2: country: 'CZ'"));
        write_file(tmp / "c.csv", "lat_deg,lon_deg\n50.3,12.2\n95,12.2\n");
        CHECK_THAT(planning_error("[planning]\n" + templ + "candidates_file = \"" +
                                  (tmp / "c.csv").generic_string() + "\"\n"),
                   Catch::Contains("c.csv:3: lat_deg: 95 is out of range"));
        write_file(tmp / "far.csv", "lat_deg,lon_deg\n51.3,12.2\n");
        CHECK_THAT(planning_error("[planning]\n" + templ + "candidates_file = \"" +
                                  (tmp / "far.csv").generic_string() + "\"\n"),
                   Catch::Contains("lies outside the analysis grid"));
    }
    // [planning] needs [analysis] and a fixed extent.
    TempDir tmp;
    std::string text = plan_scenario();
    text.erase(text.find("[analysis]"), text.find("[border]") - text.find("[analysis]"));
    write_file(tmp / "s.toml", text);
    CHECK_THROWS_WITH(io::read_scenario((tmp / "s.toml").string()),
                      Catch::Contains("[planning]: needs an [analysis] table"));
    text = plan_scenario();
    text.erase(text.find("extent_lonlat_deg"),
               text.find('\n', text.find("extent_lonlat_deg")) - text.find("extent_lonlat_deg"));
    write_file(tmp / "s.toml", text);
    CHECK_THROWS_WITH(io::read_scenario((tmp / "s.toml").string()),
                      Catch::Contains("[planning]: needs grid.extent_lonlat_deg"));
    // A scenario without [planning].
    write_file(tmp / "n.toml", plan_scenario().substr(0, plan_scenario().find("\n[planning]") + 1));
    pipeline::SiteSearchRequest request;
    request.run.scenario_path = (tmp / "n.toml").string();
    request.run.output_directory = (tmp / "n").string();
    pipeline::RunObserver observer;
    std::atomic<bool> cancel{false};
    CHECK_THROWS_WITH(pipeline::search_sites(request, observer, cancel),
                      Catch::Contains("no [planning] table"));
}

TEST_CASE("plan: cancelled, it leaves nothing", "[plan]") {
    TempDir tmp;
    write_file(tmp / "s.toml", plan_scenario());
    pipeline::SiteSearchRequest request;
    request.run.scenario_path = (tmp / "s.toml").string();
    request.run.output_directory = (tmp / "out").string();
    // Cancel at the first progress report of the candidates' evaluation.
    struct CancelOnCandidates : pipeline::RunObserver {
        std::atomic<bool>* cancel = nullptr;
        void progress(const std::string& step, double, double) override {
            if (step == "evaluating candidates") cancel->store(true);
        }
    } observer;
    std::atomic<bool> cancel{false};
    observer.cancel = &cancel;
    CHECK_THROWS_AS(pipeline::search_sites(request, observer, cancel), Cancelled);
    CHECK(!fs::exists(tmp / "out"));
}

TEST_CASE("plan: sites_csv_text reads back as the same cells", "[plan][sites]") {
    const std::vector<Cell> cells =
        io::read_sites_csv(source_path("data/sites/de_sample_sites.csv"));
    const std::vector<Cell> back = io::parse_sites_csv(io::sites_csv_text(cells), "x.csv");
    REQUIRE(back.size() == cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const Cell &a = cells[i], &b = back[i];
        CHECK(a.cell_id == b.cell_id);
        CHECK(a.lat_deg == b.lat_deg);
        CHECK(a.lon_deg == b.lon_deg);
        CHECK(a.antenna_height_agl_m == b.antenna_height_agl_m);
        CHECK(a.azimuth_deg == b.azimuth_deg);
        CHECK(a.frequency_mhz == b.frequency_mhz);
        CHECK(a.eirp_dbm == b.eirp_dbm);
        CHECK(a.pci == b.pci);
        CHECK(a.earfcn == b.earfcn);
        CHECK(a.technology == b.technology);
    }
    CHECK_THROWS_WITH(io::parse_candidates_csv("lat_deg,lon\n1,2\n", "c.csv"),
                      Catch::Contains("c.csv:1: lon: unknown column"));
    const auto c = io::parse_candidates_csv("lon_deg,lat_deg,antenna_height_agl_m\n12,50,\n", "c");
    REQUIRE(c.size() == 1);
    CHECK(c[0].lat_deg == 50.0);
    CHECK(!c[0].antenna_height_agl_m);
}

TEST_CASE("plan: the command line maps --baseline and prints the proposal", "[plan][cli]") {
    TempDir tmp;
    write_file(tmp / "s.toml", plan_scenario());
    // Shell-quoted paths, built by appending (GCC 12's -Wrestrict misfires on "'" + string).
    const auto quoted = [](const fs::path& p) {
        std::string q = "'";
        q += p.string();
        q += "'";
        return q;
    };
    const std::string scenario = quoted(tmp / "s.toml") + " -q -j 1 -o ";
    const CommandResult greedy = run_cli("plan " + scenario + quoted(tmp / "g"));
    REQUIRE(greedy.exit_code == 0);
    CHECK_THAT(greedy.output, Catch::Contains("greedy: "));
    CHECK_THAT(greedy.output, Catch::Contains("(equal)"));
    CHECK_THAT(greedy.output, Catch::Contains("PLAN001"));
    const CommandResult highest =
        run_cli("plan " + scenario + quoted(tmp / "h") + " --baseline highest");
    REQUIRE(highest.exit_code == 0);
    CHECK_THAT(highest.output, Catch::Contains("highest: "));
    // The comparison is the same table either way; the proposals are the methods' own.
    CHECK(read_file(tmp / "g" / "comparison.csv") == read_file(tmp / "h" / "comparison.csv"));
    const auto rows = csv_rows(read_file(tmp / "g" / "comparison.csv"));
    const auto table = csv_rows(read_file(tmp / "h" / "proposed_sites_table.csv"));
    REQUIRE(rows.size() > 1);
    REQUIRE(table.size() > 1);
    CHECK(table[1][column(table[0], "cumulative_km2")] == rows[1][2]);  // highest, k = 1
    const CommandResult bad =
        run_cli("plan " + scenario + quoted(tmp / "b") + " --baseline random:x");
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.output, Catch::Contains("--baseline: expected random:SEED"));
    CHECK(!fs::exists(tmp / "b"));
    const CommandResult seeded =
        run_cli("plan " + scenario + quoted(tmp / "r") + " --baseline random:7");
    REQUIRE(seeded.exit_code == 0);
    CHECK_THAT(read_file(tmp / "r" / "plan.json"), Catch::Contains("\"random_seed\": 7"));
}
