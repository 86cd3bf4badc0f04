// The per-cell and per-site report (docs/analysis.md, "Per-cell and per-site report"): areas on a
// hand-made six-pixel strip counted by hand, the border-margin join on a hand-made check result,
// the CSV text, and the pipeline's cell_report.csv / site_report.csv (header, consistency with
// statistics.csv, the same bytes for 1 and 2 threads).
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <sstream>

#include "analysis/composites.hpp"
#include "analysis/coverage_analysis.hpp"
#include "analysis/service_areas.hpp"
#include "core/parameters.hpp"
#include "core/text_format.hpp"
#include "engine/coverage.hpp"
#include "pipeline/observer.hpp"
#include "pipeline/plan.hpp"
#include "pipeline/run.hpp"
#include "propagation/registry.hpp"
#include "report/site_report.hpp"
#include "test_helpers.hpp"

using namespace grenzfunk;
using namespace grenzfunk::analysis;
using namespace grenzfunk::test;

namespace {

Cell make_cell(const std::string& id, const std::string& site, const std::string& country,
               Technology technology, double frequency_mhz, double bandwidth_mhz) {
    Cell c;
    c.cell_id = id;
    c.site_id = site;
    c.country = country;
    c.operator_name = country == "DE" ? "Op-D" : "Op-C";
    c.technology = technology;
    c.frequency_mhz = frequency_mhz;
    c.bandwidth_mhz = bandwidth_mhz;
    c.source = "test:" + id;
    return c;
}

// Six pixels of 1 km in a row (centres x = 0.5 .. 5.5 km, y = 0.5 km); pixels 0-4 are home
// territory (DE), pixel 5 is the neighbour's (CZ). Thresholds (metric, dBm): LTE RSRP -90 /
// -100 / -110, GSM RxLev -80 / -90 / -100; 50 % of locations (no location margin).
//   cell 0 A  site S1 DE LTE 806/10  at pixel 0      cell 3 D  site X  CZ LTE 806/10 at pixel 5
//   cell 1 B  site S1 DE LTE 806/10  at pixel 0      cell 4 E  site S1 DE GSM 942.4  at pixel 0
//   cell 2 C  site S2 DE GSM 942.4   at pixel 2
// LTE 10 MHz: RSRP = level - 10 log10(600) = level - 27.78 dB (TS 36.101 Table 5.6-1, N_RB 50).
struct Strip {
    GridSpec grid;
    std::vector<Cell> cells;
    AnalysisCells described;
    AnalysisOptions options;
    std::vector<std::uint8_t> mask, group;
    Composites composites;
    CoverageMaps maps;
    GapResult gaps;
    ServiceFigures figures;
};

Strip make_strip() {
    Strip s;
    s.grid.width = 6;
    s.grid.height = 1;
    s.grid.pixel_size_m = 1000.0;
    s.grid.origin_x_m = 0.0;
    s.grid.origin_y_m = 1000.0;
    s.cells = {make_cell("A", "S1", "DE", Technology::lte, 806.0, 10.0),
               make_cell("B", "S1", "DE", Technology::lte, 806.0, 10.0),
               make_cell("C", "S2", "DE", Technology::gsm, 942.4, 0.2),
               make_cell("D", "X", "CZ", Technology::lte, 806.0, 10.0),
               make_cell("E", "S1", "DE", Technology::gsm, 942.4, 0.2)};
    const std::vector<double> xs = {500.0, 500.0, 2500.0, 5500.0, 500.0};
    const std::vector<double> ys(5, 500.0);
    s.options.location_probability_pct = 50.0;
    for (auto& t : s.options.thresholds_dbm) t = {-80.0, -90.0, -100.0};
    s.options.thresholds_dbm[technology_index(Technology::lte)] = {-90.0, -100.0, -110.0};
    s.options.min_gap_area_km2 = 0.0;
    s.described = describe_cells(s.cells, xs, ys, "DE", s.options);
    s.mask.assign(6, 1);
    s.group = {0, 0, 0, 0, 0, 1};
    CompositeSink sink(s.grid, s.described, s.group, s.options);
    // Carrier levels (dBm). Pixel 1: A and B tie (B reported first: the lower index wins).
    sink.add(0, 0, -60.0f);   // A: RSRP -87.8, class 1
    sink.add(0, 1, -70.0f);   // B: weaker
    sink.add(0, 4, -70.0f);   // E: RxLev -70, class 1
    sink.add(1, 1, -75.0f);   // B: RSRP -102.8, class 3
    sink.add(1, 0, -75.0f);   // A: the same
    sink.add(2, 1, -65.0f);   // B: RSRP -92.8, class 2
    sink.add(2, 0, -80.0f);   // A: weaker
    sink.add(3, 3, -50.0f);   // D (CZ) only: a neighbour-only gap pixel of DE
    sink.add(4, 0, -100.0f);  // A: RSRP -127.8, no class
    sink.add(4, 2, -105.0f);  // C: RxLev -105, no class: a white spot
    sink.add(5, 3, -60.0f);   // D serves its own country's pixel: RSRP -87.8, class 1
    sink.add(5, 0, -50.0f);   // A is stronger there but of the other country
    s.composites = sink.finish(s.mask);
    s.maps = classify(s.composites, s.group, s.mask, s.options);
    const std::vector<std::uint8_t> gap_area = {1, 1, 1, 1, 1, 0};
    s.gaps = find_gaps(s.composites, s.maps, gap_area, s.group, s.described, {}, {}, s.options);
    // Reach 3 km: pixel 3 (x = 3.5 km) is exactly 3 km from A, B and E, and in their reach.
    s.figures = compute_service_figures(s.composites, s.maps, s.gaps, s.mask, s.group, s.cells,
                                        s.described, 3000.0, s.options);
    return s;
}

// CSV fields of one line (RFC 4180 quotes).
std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char ch = line[i];
        if (quoted && ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            out.back() += '"';
            ++i;
        } else if (ch == '"') {
            quoted = !quoted;
        } else if (ch == ',' && !quoted) {
            out.emplace_back();
        } else {
            out.back() += ch;
        }
    }
    return out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

TEST_CASE("site report: served pixels, classes and gaps in reach on a hand-made strip",
          "[site_report]") {
    const Strip s = make_strip();
    // The per-pixel server per technology (slots: GSM 0, LTE 1), ties to the lower index.
    REQUIRE(s.composites.best_cell.size() == 2);
    CHECK(s.composites.best_cell[1].values == std::vector<std::int32_t>{0, 0, 1, -1, 0, 3});
    CHECK(s.composites.best_cell[0].values == std::vector<std::int32_t>{4, -1, -1, -1, 2, -1});
    // Gap: pixels 3 (neighbour only) and 4 (white spot), one gap of 2 km2.
    REQUIRE(s.gaps.gaps.size() == 1);
    CHECK(s.gaps.gaps[0].pixel_count == 2);
    CHECK(s.figures.pixel_area_km2 == 1.0);

    using Counts = std::vector<std::size_t>;  // class 0 (none), 1, 2, 3
    const auto& c = s.figures.cells;
    REQUIRE(c.size() == 5);
    CHECK(c[0].best_served_pixels == 3);  // A: pixels 0, 1, 4
    CHECK(c[0].class_pixels == Counts{1, 1, 0, 1});
    CHECK(c[0].gap_pixels_in_reach == 1);  // pixel 3 at 3 km; pixel 4 at 4 km is out
    CHECK(c[1].best_served_pixels == 1);   // B: pixel 2
    CHECK(c[1].class_pixels == Counts{0, 0, 1, 0});
    CHECK(c[2].best_served_pixels == 1);  // C: pixel 4, no class
    CHECK(c[2].class_pixels == Counts{1, 0, 0, 0});
    CHECK(c[2].gap_pixels_in_reach == 2);  // pixels 3 and 4 at 1 and 2 km
    CHECK(c[3].best_served_pixels == 1);   // D: pixel 5 only
    CHECK(c[3].class_pixels == Counts{0, 1, 0, 0});
    CHECK(c[3].gap_pixels_in_reach == 0);  // the gaps are DE's
    CHECK(c[4].best_served_pixels == 1);   // E: pixel 0
    CHECK(c[4].class_pixels == Counts{0, 1, 0, 0});

    // Sites: S1 (GSM, LTE, all), S2 (GSM, all), X (LTE, all).
    const auto& sites = s.figures.sites;
    REQUIRE(sites.size() == 7);
    CHECK(sites[0].site_id == "S1");
    CHECK(sites[0].slot == 0);
    CHECK(sites[0].cells == std::vector<std::size_t>{4});
    CHECK(sites[1].slot == 1);
    CHECK(sites[1].cells == std::vector<std::size_t>{0, 1});
    CHECK(sites[1].count.best_served_pixels == 4);  // A 3 + B 1: disjoint
    CHECK(sites[1].count.class_pixels == Counts{1, 1, 1, 1});
    CHECK(sites[1].count.gap_pixels_in_reach == 1);
    CHECK(sites[2].slot == kAllTechnologies);
    CHECK(sites[2].cells == std::vector<std::size_t>{0, 1, 4});
    CHECK(sites[2].count.best_served_pixels == 4);  // pixel 0 (LTE and GSM) counts once
    CHECK(sites[2].count.class_pixels.empty());
    CHECK(sites[2].count.gap_pixels_in_reach == 1);
    CHECK(sites[3].site_id == "S2");
    CHECK(sites[4].slot == kAllTechnologies);
    CHECK(sites[4].count.best_served_pixels == 1);
    CHECK(sites[4].count.gap_pixels_in_reach == 2);
    CHECK(sites[5].site_id == "X");
    CHECK(sites[5].country == "CZ");
    CHECK(sites[6].count.best_served_pixels == 1);
}

TEST_CASE(
    "site report: the sink's server per technology is the engine's best server, ties to "
    "the lower index, for 1 and 2 threads",
    "[site_report]") {
    // One country, one technology and bandwidth: the best metric is the best level, so the
    // sink's server must be the engine's best_server everywhere. Cells 0 (30 dBm) and 2 (40 dBm)
    // share a site at x = 1.05 km, cell 1 (40 dBm) stands at x = 3.05 km: on the column at
    // x = 2.05 km cells 1 and 2 tie exactly (same distance, free space), and the engine reports
    // cell 2 before cell 1 (cells sharing a transmitter come together): the tie must go to 1.
    const auto terrain = flat_terrain(41, 11, 100.0, 300.0f);
    const GridSpec& grid = terrain.grid();
    std::vector<Cell> cells;
    std::vector<engine::TransmitterCell> tx;
    const double x[] = {1050.0, 3050.0, 1050.0}, eirp[] = {30.0, 40.0, 40.0};
    for (int i = 0; i < 3; ++i) {
        cells.push_back(
            make_cell("c" + std::to_string(i), "s", "DE", Technology::lte, 806.0, 10.0));
        cells.back().eirp_dbm = eirp[i];
        engine::TransmitterCell t;
        t.x_m = x[i];
        t.y_m = 550.0;
        t.antenna_height_agl_m = 30.0;
        t.frequency_mhz = 806.0;
        t.eirp_dbm = eirp[i];
        tx.push_back(t);
    }
    AnalysisOptions options;
    const AnalysisCells described =
        describe_cells(cells, {x[0], x[1], x[2]}, {550.0, 550.0, 550.0}, "DE", options);
    const std::vector<std::uint8_t> mask(grid.pixel_count(), 1);
    auto model = propagation::create_model("free-space", ParameterSet{});
    engine::CoverageOptions engine_options;
    engine_options.max_radius_m = 10000.0;
    auto run = [&](int threads, engine::CoverageResult& coverage) {
        tbb::task_arena arena(threads);
        Composites out;
        arena.execute([&] {
            CompositeSink sink(grid, described, {}, options);
            coverage = engine::compute_coverage(terrain, grid, mask, tx, *model, engine_options, {},
                                                nullptr, {&sink});
            out = sink.finish(mask);
        });
        return out;
    };
    engine::CoverageResult coverage1, coverage2;
    const Composites one = run(1, coverage1), two = run(2, coverage2);
    REQUIRE(one.best_cell.size() == 1);
    CHECK(one.best_cell[0].values == coverage1.best_server.values);
    CHECK(one.best_cell[0].values == two.best_cell[0].values);
    for (int row = 0; row < grid.height; ++row) {
        CHECK(coverage1.best_server.at(20, row) == 1);
        CHECK(one.best_cell[0].at(20, row) == 1);
        CHECK(one.best_cell[0].at(19, row) == 2);
        CHECK(one.best_cell[0].at(21, row) == 1);
    }
    CHECK(std::count(one.best_cell[0].values.begin(), one.best_cell[0].values.end(), 0) == 0);
}

TEST_CASE("site report: the worst border margin per cell and site", "[site_report]") {
    // Border cells 0 -> report cell 0 (A), 1 -> 1 (B), 2 -> not in the report.
    BorderReport report;
    std::vector<BorderRule> rules(2);
    rules[0].id = "R0";
    rules[1].id = "R1";
    auto check = [&](std::size_t cell, std::size_t rule, double margin) {
        RuleCheck rc;
        rc.cell = cell;
        rc.rule = rule;
        rc.margin_db = margin;
        report.checks.push_back(rc);
        return report.checks.size() - 1;
    };
    report.cells.resize(3);
    for (std::size_t i = 0; i < 3; ++i) report.cells[i].cell = i;
    report.cells[0].checks = {check(0, 0, 5.0), check(0, 1, -3.5)};
    report.cells[1].checks = {check(1, 0, 2.0), check(1, 1, 2.0),
                              check(1, 1, std::nan(""))};  // a tie, and one not computed
    report.cells[2].checks = {check(2, 0, -50.0)};
    const auto margins = border_margins(report, rules, {0, 1, kNotInReport}, 5);
    REQUIRE(margins.size() == 5);
    CHECK(margins[0].checks == 2);
    CHECK(margins[0].worst_margin_db == -3.5);
    CHECK(margins[0].rule_id == "R1");
    CHECK(margins[1].checks == 3);
    CHECK(margins[1].worst_margin_db == 2.0);
    CHECK(margins[1].rule_id == "R0");  // the tie goes to the first check
    for (std::size_t i : {2, 3, 4}) {
        CHECK(margins[i].checks == 0);
        CHECK(std::isnan(margins[i].worst_margin_db));
    }
    const BorderMargin site = worst_border_margin(margins, {0, 1, 4});
    CHECK(site.checks == 5);
    CHECK(site.worst_margin_db == -3.5);
    CHECK(site.cell == 0);
    CHECK(site.rule_id == "R1");

    // The CSV text of the strip with these margins.
    const Strip s = make_strip();
    report::SiteReportInput in;
    in.cells = &s.cells;
    in.described = &s.described;
    in.figures = &s.figures;
    in.margins = &margins;
    in.home_country = "DE";
    const auto cell_lines = lines_of(report::cell_report_csv(in));
    REQUIRE(cell_lines.size() == 6);
    CHECK(cell_lines[0] ==
          "index,cell_id,site_id,operator,country,technology,layer,frequency_mhz,bandwidth_mhz,"
          "pixels_computed,best_served_km2,class1_km2,class2_km2,class3_km2,none_km2,"
          "gap_area_in_reach_km2,border_checks,border_worst_margin_db,border_worst_rule");
    CHECK(cell_lines[1] ==
          "0,A,S1,Op-D,DE,LTE,lte_806mhz_10mhz,806.000,10.000,,3.000000,1.000000,0.000000,1.000000,"
          "1.000000,1.000000,2,-3.50,R1");
    CHECK(
        cell_lines[3] ==
        "2,C,S2,Op-D,DE,GSM,gsm_942p4mhz_0p2mhz,942.400,0.200,,1.000000,0.000000,0.000000,0.000000,"
        "1.000000,2.000000,0,,");
    const auto site_lines = lines_of(report::site_report_csv(in));
    REQUIRE(site_lines.size() == 8);
    CHECK(site_lines[0] ==
          "site_id,country,operator,technology,cells,best_served_km2,class1_km2,class2_km2,"
          "class3_km2,none_km2,gap_area_in_reach_km2,border_checks,border_worst_margin_db,"
          "border_worst_rule,border_worst_cell");
    CHECK(site_lines[2] ==
          "S1,DE,Op-D,LTE,2,4.000000,1.000000,1.000000,1.000000,1.000000,1.000000,5,-3.50,R1,A");
    CHECK(site_lines[3] == "S1,DE,Op-D,all,3,4.000000,,,,,1.000000,5,-3.50,R1,A");
    CHECK(site_lines[6] ==
          "X,CZ,Op-C,LTE,1,1.000000,1.000000,0.000000,0.000000,0.000000,"
          "0.000000,0,,,");
    const auto summary = report::site_report_summary(in);
    REQUIRE(summary.size() == 3);
    CHECK(summary[0] == "sites: 2 home sites (DE), 1 other sites, 5 cells");
    CHECK(summary[1] ==
          "  home sites: best-served area median 2.5 km2, largest 4.0 km2 (S1); gap area in reach "
          "(3.0 km) median 1.5 km2, largest 2.0 km2 (S2)");
    CHECK(summary[2] == "  worst border margin -3.5 dB (cell A, site S1, rule R1)");

    // Without a border check the border columns stay empty.
    in.margins = nullptr;
    const std::string row = lines_of(report::cell_report_csv(in))[1];
    CHECK(row.substr(row.size() - 11) == "1.000000,,,");
}

TEST_CASE(
    "site report: the pipeline writes cell_report.csv and site_report.csv, the same for 1 "
    "and 2 threads",
    "[site_report][pipeline]") {
    TempDir tmp;
    const std::string scenario =
        "name = \"site_report\"\n[terrain]\nfiles = [\"" + data_path("dem/hof_as_srtm3.tif") +
        "\"]\n[[sites]]\nfile = \"" + data_path("sites/hof_rehau_sites.csv") +
        "\"\n[[sites]]\nfile = \"" + data_path("sites/as_opencellid.csv") +
        "\"\nformat = \"opencellid\"\n[grid]\ncrs = \"EPSG:25832\"\nresolution_m = 250.0\n"
        "extent_lonlat_deg = [11.95, 50.18, 12.3, 50.34]\n[propagation]\nmodel = \"free-space\"\n"
        "max_radius_km = 5.0\n[analysis]\ncountry_outline_file = \"" +
        data_path("admin/bkg_vg2500_germany_region.geojson") +
        "\"\ngap_border_distance_km = 15.0\n[border]\nhome_file = \"" +
        data_path("admin/bkg_vg2500_germany_region.geojson") + "\"\nrules_file = \"" +
        source_path("data/rules/cept_mfcn_border.toml") +
        "\"\ndistances_km = [0.0, 6.0]\nsample_spacing_m = 500.0\nmax_path_km = 40.0\n";
    write_file(tmp / "s.toml", scenario);
    std::map<int, std::string> cell_csv, site_csv, stats_csv, border_csv;
    std::vector<std::string> summary_lines;
    for (int threads : {1, 2}) {
        pipeline::RunRequest request;
        request.scenario_path = (tmp / "s.toml").string();
        request.output_directory = (tmp / ("out" + std::to_string(threads))).string();
        request.threads = threads;
        pipeline::RunPlan plan = pipeline::make_plan(request);
        pipeline::RunObserver observer;
        std::atomic<bool> cancel{false};
        const pipeline::RunSummary summary = pipeline::execute(plan, observer, cancel);
        summary_lines = summary.coverage_lines;
        cell_csv[threads] = read_file(fs::path(request.output_directory) / "cell_report.csv");
        site_csv[threads] = read_file(fs::path(request.output_directory) / "site_report.csv");
        stats_csv[threads] = read_file(fs::path(request.output_directory) / "statistics.csv");
        border_csv[threads] =
            read_file(fs::path(request.output_directory) / "regulator_package/border_report.csv");
        CHECK(std::find(summary.files.begin(), summary.files.end(), "cell_report.csv") !=
              summary.files.end());
    }
    CHECK(cell_csv[1] == cell_csv[2]);
    CHECK(site_csv[1] == site_csv[2]);
    bool summary_has_sites = false;
    for (const auto& l : summary_lines) summary_has_sites |= l.rfind("sites: ", 0) == 0;
    CHECK(summary_has_sites);

    const auto cells = lines_of(cell_csv[1]);
    const auto sites = lines_of(site_csv[1]);
    REQUIRE(cells.size() > 2);
    CHECK(cells[0] ==
          "index,cell_id,site_id,operator,country,technology,layer,frequency_mhz,bandwidth_mhz,"
          "pixels_computed,best_served_km2,class1_km2,class2_km2,class3_km2,none_km2,"
          "gap_area_in_reach_km2,border_checks,border_worst_margin_db,border_worst_rule");
    CHECK(sites[0] ==
          "site_id,country,operator,technology,cells,best_served_km2,class1_km2,class2_km2,"
          "class3_km2,none_km2,gap_area_in_reach_km2,border_checks,border_worst_margin_db,"
          "border_worst_rule,border_worst_cell");

    // Consistency with statistics.csv (an independent count over the class rasters): every
    // pixel of class 1..3 has exactly one server, so the cells' class areas of a technology add
    // up to the total zone's; each cell's classes add up to its best-served area; DE cells carry
    // border checks, the others none.
    const auto header = split(cells[0]);
    auto col = [&](const std::vector<std::string>& h, const std::string& name) {
        const auto it = std::find(h.begin(), h.end(), name);
        REQUIRE(it != h.end());
        return std::size_t(it - h.begin());
    };
    std::map<std::string, std::array<double, 3>> class_sum;  // technology -> classes 1..3
    double served_total = 0.0;
    std::size_t checked_cells = 0;
    for (std::size_t i = 1; i < cells.size(); ++i) {
        const auto f = split(cells[i]);
        REQUIRE(f.size() == header.size());
        const double served = std::stod(f[col(header, "best_served_km2")]);
        double classes = std::stod(f[col(header, "none_km2")]);
        for (int k = 1; k <= 3; ++k) {
            const double v = std::stod(f[col(header, "class" + std::to_string(k) + "_km2")]);
            class_sum[text::to_lower(f[col(header, "technology")])][std::size_t(k - 1)] += v;
            classes += v;
        }
        CHECK(classes == Approx(served).margin(1e-6));
        served_total += served;
        CHECK(std::stoul(f[col(header, "pixels_computed")]) > 0);
        if (f[col(header, "country")] == "DE")
            checked_cells += std::stoul(f[col(header, "border_checks")]) > 0 &&
                             !f[col(header, "border_worst_rule")].empty();
        else
            CHECK(f[col(header, "border_checks")] == "0");  // the check is for the home cells
    }
    CHECK(served_total > 0.0);
    CHECK(checked_cells > 0);

    // The worst margin per cell is the smallest margin_db of the cell's rows in the regulator
    // package's border_report.csv (the same figures, written by the border stage).
    const auto border = lines_of(border_csv[1]);
    REQUIRE(border.size() > 1);
    const auto bh = split(border[0]);
    std::map<std::string, double> worst;  // cell_id -> smallest margin
    std::map<std::string, std::size_t> rows;
    for (std::size_t i = 1; i < border.size(); ++i) {
        const auto f = split(border[i]);
        REQUIRE(f.size() == bh.size());
        const std::string id = f[col(bh, "cell_id")];
        ++rows[id];
        const std::string m = f[col(bh, "margin_db")];
        if (m.empty() || m == "nan") continue;
        const double v = std::stod(m);
        if (!worst.count(id) || v < worst[id]) worst[id] = v;
    }
    std::size_t joined = 0;
    for (std::size_t i = 1; i < cells.size(); ++i) {
        const auto f = split(cells[i]);
        const std::string id = f[col(header, "cell_id")];
        INFO(id);
        CHECK(std::stoul(f[col(header, "border_checks")]) == rows[id]);
        if (!worst.count(id)) {
            CHECK(f[col(header, "border_worst_margin_db")].empty());
            continue;
        }
        CHECK(std::stod(f[col(header, "border_worst_margin_db")]) ==
              Approx(worst[id]).margin(0.005));
        ++joined;
    }
    CHECK(!worst.empty());
    CHECK(joined == worst.size());
    const auto stats = lines_of(stats_csv[1]);
    const auto sh = split(stats[0]);
    const auto total = split(stats[1]);
    REQUIRE(total[0] == "total");
    for (const auto& [technology, sums] : class_sum)
        for (int k = 1; k <= 3; ++k) {
            INFO(technology << " class " << k);
            CHECK(sums[std::size_t(k - 1)] ==
                  Approx(
                      std::stod(total[col(sh, technology + "_class" + std::to_string(k) + "_km2")]))
                      .margin(1e-6));
        }
}
