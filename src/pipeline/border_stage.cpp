#include "pipeline/border_stage.hpp"
#include "core/text_format.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <locale>
#include <sstream>
#include <stdexcept>

#include "analysis/border_check.hpp"
#include "analysis/border_compare.hpp"
#include "analysis/border_geometry.hpp"
#include "antenna/pattern.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "engine/coverage.hpp"
#include "io/border_admin.hpp"
#include "io/border_rules_io.hpp"
#include "io/checksum.hpp"
#include "io/geotiff_writer.hpp"
#include "pipeline/model_resources.hpp"
#include "pipeline/observer.hpp"
#include "report/package.hpp"

namespace grenzfunk::pipeline {

namespace fs = std::filesystem;

struct BorderStage::State {
    const io::Scenario* scenario = nullptr;
    GridSpec analysis_grid;
    std::vector<analysis::BorderCell> cells;
    std::vector<std::size_t> cell_index;  // per checked cell: its index in prepare()'s cells
    std::vector<analysis::BorderRule> rules;
    std::vector<PreferentialCodes> codes;          // the codes file's pairs (may be empty)
    const PreferentialCodes* code_pair = nullptr;  // home -> neighbour; null = none
    std::vector<std::unique_ptr<propagation::PropagationModel>> models;
    std::vector<std::string> rule_models;
    // The same rules under the other method (analysis/border_compare.hpp), for failed and narrow
    // checks; empty with a note when the other method cannot run on this scenario.
    std::vector<analysis::BorderRule> compare_rules;
    std::vector<std::unique_ptr<propagation::PropagationModel>> compare_models;
    std::string compare_note;
    ModelResourceCache resources;
    std::unique_ptr<analysis::BorderGeometry> geometry;
    // Results of run(), for print_summary().
    analysis::BorderReport report;
    double check_s = 0.0, package_s = 0.0;
    std::filesystem::path package_dir;
    std::vector<report::PackageFile> package_files;
    std::optional<std::vector<report::PackageInput>> station_inputs;
};

BorderStage::BorderStage() : state_(std::make_unique<State>()) {}
BorderStage::~BorderStage() = default;

namespace {

std::string recorded_path(const std::string& path, const io::Scenario& s) {
    const fs::path base = fs::path(s.path).parent_path();
    const fs::path rel = fs::path(path).lexically_relative(base.empty() ? fs::path(".") : base);
    return rel.empty() ? path : rel.generic_string();
}

}  // namespace

std::unique_ptr<BorderStage> BorderStage::prepare(
    const io::Scenario& s, const std::vector<Cell>& cells,
    const std::vector<std::shared_ptr<const antenna::AntennaPattern>>& patterns,
    const std::vector<io::PointM>& positions, const std::vector<double>& north_azimuth_deg,
    const GridSpec& analysis_grid) {
    if (!s.border.enabled) return nullptr;
    std::unique_ptr<BorderStage> job(new BorderStage());
    State& st = *job->state_;
    st.scenario = &s;
    st.analysis_grid = analysis_grid;

    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (!text::iequals(cells[i].country, s.border.home_country)) continue;
        analysis::BorderCell bc;
        bc.cell = cells[i];
        bc.x_m = positions[i].x_m;
        bc.y_m = positions[i].y_m;
        bc.true_north_grid_azimuth_deg = north_azimuth_deg[i];
        std::shared_ptr<const antenna::AntennaPattern> pattern = patterns[i];
        bc.relative_gain_db = [pattern](double az, double el) {
            return pattern->relative_gain_db(az, el);
        };
        st.cells.push_back(std::move(bc));
        st.cell_index.push_back(i);
    }
    if (st.cells.empty())
        throw InputError(s.border.where + ": border.home_country: no cell has country '" +
                         s.border.home_country + "'");

    // Each cell's code against the pair's preferential codes: it selects the rules.
    if (!s.border.codes_file.empty()) {
        st.codes = io::read_preferential_codes(s.border.codes_file);
        st.code_pair =
            io::find_code_pair(st.codes, s.border.home_country, s.border.neighbour_country);
        if (!st.code_pair)
            throw InputError(s.border.where + ": border.codes_file: " + s.border.codes_file +
                             ": no [[pair]] for " + s.border.home_country + " -> " +
                             s.border.neighbour_country);
    }
    for (analysis::BorderCell& bc : st.cells)
        bc.code_status = analysis::classify_cell_code(bc.cell, st.code_pair);

    st.rules = io::read_border_rules(s.border.rules_file);
    const fs::path rules_dir = fs::path(s.border.rules_file).parent_path();
    const analysis::ModelResourcesFor resources = [&st, &s, rules_dir](const std::string& model,
                                                                       const ParameterSet& params,
                                                                       const std::string&) {
        return st.resources.resources_for(model, params, s.terrain_files, rules_dir, "");
    };
    st.models = analysis::create_rule_models(st.rules, st.cells, resources);
    for (const auto& rule : st.rules) st.compare_rules.push_back(analysis::comparison_rule(rule));
    try {
        st.compare_models = analysis::create_rule_models(st.compare_rules, st.cells, resources);
    } catch (const InputError& e) {
        // The comparison is an aid to the reader, not the check: say why it is missing.
        st.compare_models.clear();
        st.compare_note =
            std::string("the comparison with the other method was not computed: ") + e.what();
    }
    for (std::size_t r = 0; r < st.rules.size(); ++r) {
        std::string params;
        for (const auto& [k, v] : st.models[r]->parameters())
            params += (params.empty() ? "" : "; ") + k + "=" + v;
        if (!st.models[r]->parameters().count("time_percent"))
            params += std::string(params.empty() ? "" : "; ") +
                      "time and location percentages not modelled";
        st.rule_models.push_back(
            std::string(st.models[r]->name()) + " (" + params +
            "; rx_height_agl_m=" + text::format_fixed(st.rules[r].rx_height_agl_m, 1) + ")");
    }

    const io::HomeOutline home =
        io::read_home_outline(s.border.home_file, s.border.home_filter, s.crs, s.border.where);
    std::vector<analysis::XY> region;
    if (s.extent_lonlat) {
        region = io::lonlat_box_outline(*s.extent_lonlat, s.crs);
    } else {
        const GridSpec& g = analysis_grid;
        const double x1 = g.origin_x_m + g.width * g.pixel_size_m;
        const double y0 = g.origin_y_m - g.height * g.pixel_size_m;
        region = {{g.origin_x_m, y0}, {x1, y0}, {x1, g.origin_y_m}, {g.origin_x_m, g.origin_y_m}};
    }
    analysis::BorderGeometryOptions go;
    go.sample_spacing_m = s.border.sample_spacing_m;
    go.distances_m.clear();
    for (double d : s.border.distances_km) go.distances_m.push_back(d * 1000.0);
    for (const auto& r : st.rules) go.distances_m.push_back(r.distance_km * 1000.0);
    try {
        st.geometry = std::make_unique<analysis::BorderGeometry>(home.polygons, region, go);
    } catch (const std::invalid_argument& e) {
        throw InputError(s.border.where + ": " + e.what());
    }
    if (st.geometry->border_edges().empty())
        throw InputError(s.border.where + ": border.home_file: " + s.border.home_file +
                         ": the home outline has no border inside the scenario region");
    return job;
}

analysis::BorderReport BorderStage::check_cells(const terrain::TerrainModel& terrain,
                                                const std::vector<std::size_t>& which,
                                                const std::atomic<bool>& cancel) const {
    const State& st = *state_;
    std::vector<analysis::BorderCell> subset;
    for (std::size_t i : which) {
        const auto it = std::find(st.cell_index.begin(), st.cell_index.end(), i);
        if (it == st.cell_index.end())
            throw std::logic_error("BorderStage::check_cells: not a checked cell");
        subset.push_back(st.cells[std::size_t(it - st.cell_index.begin())]);
    }
    analysis::BorderCheckOptions options;
    options.max_path_km = st.scenario->border.max_path_km;
    options.lon_lat_of = io::lon_lat_of_crs(st.scenario->crs);
    try {
        return analysis::run_border_check(subset, st.rules, st.models, *st.geometry, terrain,
                                          options, {}, &cancel);
    } catch (const analysis::BorderCancelled&) {
        throw engine::Cancelled();
    }
}

void BorderStage::set_station_inputs(std::vector<report::PackageInput> inputs) {
    state_->station_inputs = std::move(inputs);
}

const PreferentialCodes* BorderStage::code_pair() const {
    return state_->code_pair;
}

fs::path BorderStage::package_directory(const fs::path& run_output_dir) const {
    const io::Scenario& s = *state_->scenario;
    return !s.exports.directory.empty() ? fs::path(s.exports.directory)
                                        : run_output_dir / "regulator_package";
}

void BorderStage::run(const terrain::TerrainModel& terrain, const Raster<float>* coverage_field,
                      const std::map<std::string, std::string>& coverage_metadata,
                      io::OutputSet& outputs, const fs::path& run_output_dir,
                      const std::string& creation_time, RunObserver& observer,
                      const std::atomic<bool>& cancel) {
    State& st = *state_;
    const io::Scenario& s = *st.scenario;
    const auto t0 = std::chrono::steady_clock::now();
    analysis::BorderCheckOptions options;
    options.max_path_km = s.border.max_path_km;
    options.lon_lat_of = io::lon_lat_of_crs(s.crs);  // P.1812's path centre

    analysis::BorderReport& report = st.report;
    Raster<float> exceedance;
    try {
        {
            report = analysis::run_border_check(
                st.cells, st.rules, st.models, *st.geometry, terrain, options,
                [&](double done, double total) { observer.progress("border check", done, total); },
                &cancel);
            observer.step_finished("border check");
        }
        if (!st.compare_models.empty()) {
            // The other method on the cells with failed or narrow checks only.
            const std::vector<std::size_t> compared = analysis::cells_to_compare(report);
            if (!compared.empty()) {
                std::vector<analysis::BorderCell> subset;
                for (std::size_t i : compared) subset.push_back(st.cells[i]);
                const analysis::BorderReport other = analysis::run_border_check(
                    subset, st.compare_rules, st.compare_models, *st.geometry, terrain, options,
                    [&](double done, double total) {
                        observer.progress("border check, other method", done, total);
                    },
                    &cancel);
                analysis::attach_comparisons(report, compared, other, st.rules);
                observer.step_finished("border check, other method");
            }
        }
        if (s.border.exceedance_resolution_m > 0.0) {
            const GridSpec& a = st.analysis_grid;
            GridSpec g = a;
            g.pixel_size_m = s.border.exceedance_resolution_m;
            g.width = int(std::ceil(a.width * a.pixel_size_m / g.pixel_size_m));
            g.height = int(std::ceil(a.height * a.pixel_size_m / g.pixel_size_m));
            exceedance = analysis::border_exceedance_raster(
                g, st.cells, st.rules, st.models, *st.geometry, terrain, options,
                [&](double done, double total) {
                    observer.progress("exceedance raster", done, total);
                },
                &cancel);
            observer.step_finished("exceedance raster");
        }
    } catch (const analysis::BorderCancelled&) {
        throw engine::Cancelled();
    }
    st.check_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    report::BorderPackage p;
    p.software = std::string("grenzfunk ") + version_string;
    p.scenario_name = s.name;
    p.scenario_file = fs::path(s.path).filename().string();
    p.scenario_sha256 = s.sha256;
    p.creation_time = !creation_time.empty() ? creation_time : s.exports.creation_time;
    p.applicant = s.exports.applicant;
    p.document_version = s.exports.document_version;
    p.extra_attributions = s.exports.attributions;
    // The land cover shaped the field strengths checked here (docs/land_cover.md).
    if (s.land_cover.enabled && !s.land_cover.table.attribution.empty())
        p.extra_attributions.insert(p.extra_attributions.begin(), s.land_cover.table.attribution);
    p.home_country = s.border.home_country;
    p.neighbour_country = s.border.neighbour_country;
    p.inputs.push_back({"scenario", p.scenario_file, s.sha256});
    for (const auto& f : s.terrain_files)
        p.inputs.push_back({"terrain", recorded_path(f, s), io::sha256_file_hex(f)});
    if (st.station_inputs)
        p.inputs.insert(p.inputs.end(), st.station_inputs->begin(), st.station_inputs->end());
    else
        for (const auto& src : s.sites)
            p.inputs.push_back(
                {"sites", recorded_path(src.path, s), io::sha256_file_hex(src.path)});
    if (s.land_cover.enabled)
        p.inputs.push_back({"land cover", recorded_path(s.land_cover.file, s),
                            io::sha256_file_hex(s.land_cover.file)});
    p.inputs.push_back({"border outline", recorded_path(s.border.home_file, s),
                        io::sha256_file_hex(s.border.home_file)});
    p.inputs.push_back(
        {"rules", recorded_path(s.border.rules_file, s), io::sha256_file_hex(s.border.rules_file)});
    if (!s.border.codes_file.empty())
        p.inputs.push_back({"preferential codes", recorded_path(s.border.codes_file, s),
                            io::sha256_file_hex(s.border.codes_file)});
    p.code_pair = st.code_pair;
    // Site heights above sea level from the terrain, for the station records.
    for (const analysis::BorderCell& c : st.cells)
        p.site_ground_asl_m.push_back(terrain.elevation_at(c.x_m, c.y_m));
    p.coverage_metadata = coverage_metadata;
    p.grid_crs = s.crs;
    p.export_crs = s.exports.crs;
    p.kmz = s.exports.kmz;
    p.sample_spacing_m = s.border.sample_spacing_m;
    p.max_path_km = s.border.max_path_km;
    p.cells = &st.cells;
    p.rules = &st.rules;
    p.rule_models = st.rule_models;
    for (const auto& m : st.models) {
        p.rule_model_references.emplace_back(m->reference());
        p.rule_model_ptrs.push_back(m.get());
    }
    p.report = &report;
    p.geometry = st.geometry.get();
    p.exceedance_db = s.border.exceedance_resolution_m > 0.0 ? &exceedance : nullptr;
    p.coverage_field_dbuv_per_m = coverage_field;
    p.compare_note = st.compare_note;
    p.terrain = &terrain;

    st.package_dir = package_directory(run_output_dir);
    const auto t1 = std::chrono::steady_clock::now();
    st.package_files = report::write_border_package(outputs, st.package_dir, p);
    st.package_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
}

const std::vector<report::PackageFile>& BorderStage::package_files() const {
    return state_->package_files;
}

const analysis::BorderReport& BorderStage::report() const {
    return state_->report;
}

const std::vector<BorderRule>& BorderStage::rules() const {
    return state_->rules;
}

const std::vector<std::size_t>& BorderStage::checked_cells() const {
    return state_->cell_index;
}

std::vector<std::string> BorderStage::summary() const {
    const State& st = *state_;
    const io::Scenario& s = *st.scenario;
    const analysis::BorderReport& report = st.report;
    std::vector<std::string> lines;
    char line[512];
    std::snprintf(line, sizeof line,
                  "border check (%s -> %s): %zu home cells, %zu checks, %zu failed, %zu cells "
                  "fail; check %s s, package %s s",
                  s.border.home_country.c_str(), s.border.neighbour_country.c_str(),
                  report.cells.size(), report.checks.size(), report.failed_checks,
                  report.failed_cells, text::format_fixed(st.check_s, 1).c_str(),
                  text::format_fixed(st.package_s, 1).c_str());
    lines.emplace_back(line);
    for (const analysis::RuleCheck& rc : report.checks)
        if (!rc.pass) {
            std::snprintf(line, sizeof line, "  FAIL %-14s %-34s max %s dBuV/m, margin %s dB",
                          st.cells[rc.cell].cell.cell_id.c_str(), st.rules[rc.rule].id.c_str(),
                          text::format_fixed(rc.max_field_dbuv_per_m, 1).c_str(),
                          text::format_fixed(rc.margin_db, 1).c_str());
            std::string text = line;
            if (rc.comparison)
                text.append(" (")
                    .append(rc.comparison->model)
                    .append(": margin ")
                    .append(text::format_fixed(rc.comparison->margin_db, 1))
                    .append(" dB)");
            lines.push_back(std::move(text));
        }
    if (!st.compare_note.empty()) lines.push_back("  note: " + st.compare_note);
    {
        std::size_t pref = 0, non_pref = 0, both = 0;
        for (const analysis::CellSummary& cs : report.cells) {
            pref += cs.code_status == analysis::CodeStatus::preferential;
            non_pref += cs.code_status == analysis::CodeStatus::non_preferential;
            both += cs.both_code_classes;
        }
        lines.push_back("  codes: " + std::to_string(pref) + " cells preferential, " +
                        std::to_string(non_pref) + " non-preferential, " + std::to_string(both) +
                        " without a known code (checked against both rule classes)");
    }
    std::size_t unverified = 0;
    for (const auto& r : st.rules) unverified += !r.verified;
    if (unverified > 0)
        lines.push_back("  note: " + std::to_string(unverified) + " of " +
                        std::to_string(st.rules.size()) +
                        " rules are marked verified = false (see the report)");
    lines.push_back("  package in " + st.package_dir.string() + ":");
    for (const auto& f : st.package_files) lines.push_back("    " + f.name);
    return lines;
}

}  // namespace grenzfunk::pipeline
