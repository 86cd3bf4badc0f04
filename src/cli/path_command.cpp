#include "cli/path_command.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <locale>
#include <span>
#include <sstream>

#include "core/error.hpp"
#include "core/geo_post_grid.hpp"
#include "core/parameters.hpp"
#include "core/text_format.hpp"
#include "engine/coverage.hpp"
#include "engine/path_builder.hpp"
#include "io/crs.hpp"
#include "io/geo_post_grid_reader.hpp"
#include "io/geotiff_writer.hpp"
#include "io/hcm_cases_csv.hpp"
#include "io/scenario.hpp"
#include "io/terrain_reader.hpp"
#include "pipeline/model_resources.hpp"
#include "propagation/clutter_loss.hpp"
#include "propagation/registry.hpp"
#include "terrain/terrain.hpp"
#include "validation/hcm_cases.hpp"
#include "validation/p1546_validation.hpp"
#include "validation/path_cases.hpp"
#include "validation/sg3_p1812.hpp"
#include "validation/sg3_profile.hpp"

namespace grenzfunk::cli {

namespace fs = std::filesystem;

namespace {

ParameterSet parse_parameters(const std::vector<std::string>& items) {
    ParameterSet out;
    for (const std::string& item : items) {
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0)
            throw InputError("--param " + item + ": expected key=value");
        const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
        double number;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec == std::errc() && end == value.data() + value.size())
            out.set(key, number);
        else if (value == "true" || value == "false")
            out.set(key, value == "true");
        else
            out.set(key, value);
    }
    return out;
}

// A model whose parameters were all understood (a misspelt --param is an error, not ignored).
// A model that samples its own profile (hcm) gets the path's terrain (or its `terrain` parameter).
std::unique_ptr<propagation::PropagationModel> create_checked_model(
    const std::string& name, const ParameterSet& params,
    const std::vector<std::string>& terrain_files = {}) {
    pipeline::ModelResourceCache cache;
    const propagation::ModelResources resources =
        cache.resources_for(name, params, terrain_files, {}, "--model " + name);
    auto model = propagation::create_model(name, params, resources);
    const auto unused = params.unconsumed_keys();
    if (!unused.empty())
        throw InputError("--param " + *unused.begin() + ": not a parameter of model '" + name +
                         "'");
    return model;
}

// A number for messages, locale-independent, shortest round trip ("0.01", "1e-06", "nan").
std::string number_text(double value) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << value;
    return out.str();
}

// Samples per terrain window when sampling a path: a long diagonal path is loaded in windows
// of at most about (1024 + 9)^2 pixels, not in one window of (length / step)^2 pixels.
constexpr std::size_t kWindowSamples = 1024;

// The terrain window (pixels of `pixel_m`, aligned on multiples of it, as a scenario's terrain
// grid is) holding the points (ax, ay) and (bx, by) with a margin of 4 pixels for the bilinear
// neighbourhood.
GridSpec terrain_window(const std::string& crs, const std::string& wkt, double pixel_m, double ax,
                        double ay, double bx, double by) {
    GridSpec g;
    g.crs = crs;
    g.crs_wkt = wkt;
    g.pixel_size_m = pixel_m;
    const double margin = 4 * pixel_m;
    g.origin_x_m = std::floor((std::min(ax, bx) - margin) / pixel_m) * pixel_m;
    g.origin_y_m = std::ceil((std::max(ay, by) + margin) / pixel_m) * pixel_m;
    g.width = int(std::ceil((std::max(ax, bx) + margin - g.origin_x_m) / pixel_m));
    g.height = int(std::ceil((g.origin_y_m - std::min(ay, by) + margin) / pixel_m));
    return g;
}

// The profile from (x0, y0) to (x1, y1) on terrain warped to pixels of `pixel_m`: the samples of
// TerrainModel::profile (n = max(2, ceil(distance / step) + 1) equally spaced points, as the
// path builder takes them), read window by window.
void sample_path(const PathOptions& o, const std::string& wkt, double pixel_m, double x0, double y0,
                 double x1, double y1, std::vector<double>& profile,
                 const std::atomic<bool>& interrupted) {
    const double dx = x1 - x0, dy = y1 - y0;
    const double distance_m = std::sqrt(dx * dx + dy * dy);
    if (!(distance_m <= validation::kMaxProfileLengthKm * 1000.0))
        throw InputError("--from/--to: the path is " + text::format_fixed(distance_m / 1000.0, 1) +
                         " km long; no model supports paths beyond " +
                         number_text(validation::kMaxProfileLengthKm) + " km");
    const double samples = std::max(2.0, std::ceil(distance_m / o.step_m) + 1.0);
    if (samples > double(validation::kMaxProfileIntervals + 1))
        throw InputError("--step-m: the path needs " + number_text(samples) + " samples at " +
                         number_text(o.step_m) + " m, more than the " +
                         std::to_string(validation::kMaxProfileIntervals + 1) +
                         " a profile may have; choose a larger --step-m");
    const std::size_t n = std::size_t(samples);
    profile.assign(n, 0.0);
    for (std::size_t first = 0; first < n; first += kWindowSamples) {
        if (interrupted.load()) throw engine::Cancelled();
        const std::size_t last = std::min(n, first + kWindowSamples) - 1;
        const auto x_at = [&](std::size_t i) {
            return i == n - 1 ? x1 : x0 + double(i) / double(n - 1) * dx;
        };
        const auto y_at = [&](std::size_t i) {
            return i == n - 1 ? y1 : y0 + double(i) / double(n - 1) * dy;
        };
        const GridSpec g =
            terrain_window(o.crs, wkt, pixel_m, x_at(first), y_at(first), x_at(last), y_at(last));
        const terrain::TerrainModel terrain(io::load_terrain(
            o.terrain_files, g, o.void_fill_max_distance_m, nullptr, &interrupted));
        for (std::size_t i = first; i <= last; ++i) {
            // As TerrainModel::profile computes each point (same heights as one window).
            const double t = double(i) / double(n - 1);
            const double z = terrain.elevation_at(x0 + t * dx, y0 + t * dy);
            if (std::isnan(z))
                throw InputError("--from/--to: the path leaves the terrain or crosses a void");
            profile[i] = z;
        }
    }
}

}  // namespace

namespace {

// The HCM_MS reference layout (io/hcm_cases_csv.hpp) with model hcm. Terrain: -p terrain=FILE,
// else --terrain FILE, else the one GeoTIFF beside the cases file (tests/data/hcm holds one).
int run_hcm_cases_file(const PathOptions& o, const std::atomic<bool>& interrupted) {
    ParameterSet params = parse_parameters(o.parameters);
    std::string terrain_file = params.get_string("terrain", "");
    const auto unused = params.unconsumed_keys();
    if (!unused.empty())
        throw InputError("--param " + *unused.begin() +
                         ": with --cases in the HCM layout each case gives its mode, time and "
                         "heights; only terrain=FILE is a parameter");
    if (terrain_file.empty() && o.terrain_files.size() == 1) terrain_file = o.terrain_files[0];
    if (terrain_file.empty()) {
        const fs::path dir = fs::path(o.cases_csv).parent_path();
        std::vector<fs::path> tifs;
        for (const auto& entry : fs::directory_iterator(dir.empty() ? fs::path(".") : dir))
            if (entry.is_regular_file() && entry.path().extension() == ".tif")
                tifs.push_back(entry.path());
        if (tifs.size() != 1)
            throw InputError("--cases " + o.cases_csv + ": give the terrain HCM used with " +
                             "--terrain FILE or --param terrain=FILE (" +
                             std::to_string(tifs.size()) + " GeoTIFFs beside the cases file)");
        terrain_file = tifs.front().string();
    }
    const GeoPostGrid grid = io::read_geo_post_grid(terrain_file);
    const propagation::HcmTerrain terrain(grid);
    const auto cases = io::read_hcm_cases_csv(o.cases_csv);
    const auto outcomes = validation::run_hcm_cases(cases, terrain, o.cases_csv, &interrupted);
    std::ostringstream out;
    out.imbue(std::locale::classic());
    validation::write_hcm_case_results(out, outcomes);
    if (o.output_csv.empty())
        std::cout << out.str();
    else
        io::write_text_file(o.output_csv, out.str());
    return 0;
}

// Reference inputs: cases CSV (ITM or HCM_MS layout) or an SG3 validation profile (P.1812 /
// P.1546).
int run_reference_inputs(const PathOptions& o, const std::atomic<bool>& interrupted) {
    if (!o.cases_csv.empty() && io::is_hcm_cases_csv(o.cases_csv)) {
        if (o.model != "hcm")
            throw InputError("--cases " + o.cases_csv +
                             ": the file is in the HCM_MS reference layout; evaluate it with "
                             "--model hcm");
        return run_hcm_cases_file(o, interrupted);
    }
    if (!o.cases_csv.empty() && o.model == "hcm")
        throw InputError("--model hcm --cases " + o.cases_csv +
                         ": expected the HCM_MS reference layout (columns case_id, c_mode, "
                         "tx_coord_hcm, ...; tests/data/hcm/cases.csv)");
    if (!o.cases_csv.empty() && o.model != "itm") {
        // Any other model on the same cases: frequency, heights and profile from each case,
        // the model's own parameters from --param. prop_mode 1/2/3 = line of sight /
        // diffraction / troposcatter from the model's flags (0 if it reports none); warnings =
        // the model's flag bits (describe_flags in src/propagation/registry.cpp).
        auto model = create_checked_model(o.model, parse_parameters(o.parameters));
        const auto cases = validation::read_path_cases(o.cases_csv, o.profiles_dir, &interrupted);
        std::ostringstream out;
        out.imbue(std::locale::classic());
        out << "id,loss_db,prop_mode,warnings\n";
        for (const auto& c : cases) {
            if (interrupted.load()) throw engine::Cancelled();
            propagation::require_frequency_in_range(
                *model, c.inputs.frequency_mhz,
                o.cases_csv + ":" + std::to_string(c.line) + ": f__mhz");
            propagation::PathQuery q;
            q.frequency_mhz = c.inputs.frequency_mhz;
            q.tx_height_agl_m = c.inputs.tx_height_m;
            q.rx_height_agl_m = c.inputs.rx_height_m;
            q.profile.step_m = c.pfl[1];
            q.profile.elevation_m = std::span<const double>(c.pfl).subspan(2);
            q.distance_m = q.profile.distance_m();
            // No geography: centre and end points stay unknown (NaN, model.hpp).
            const propagation::PathResult r = model->loss(q);
            const int mode = (r.flags & propagation::troposcatter)    ? 3
                             : (r.flags & propagation::diffraction)   ? 2
                             : (r.flags & propagation::line_of_sight) ? 1
                                                                      : 0;
            out << c.id << ',' << text::format_fixed(r.loss_db, 4) << ',' << mode << ','
                << (r.flags & ~std::uint32_t(propagation::line_of_sight | propagation::diffraction |
                                             propagation::troposcatter))
                << '\n';
        }
        if (o.output_csv.empty())
            std::cout << out.str();
        else
            io::write_text_file(o.output_csv, out.str());
        return 0;
    }
    if (!o.cases_csv.empty()) {
        const auto cases = validation::read_path_cases(o.cases_csv, o.profiles_dir, &interrupted);
        const auto outcomes = validation::run_path_cases(cases, &interrupted);
        if (o.output_csv.empty())
            validation::write_path_case_results(std::cout, outcomes);
        else
            validation::write_path_case_results(o.output_csv, outcomes);
        return 0;
    }
    if (o.dataset < 1) throw InputError("--dataset: data sets are numbered from 1");
    if (o.model == "p1812") {
        const validation::Sg3Profile profile = validation::read_sg3_profile(o.sg3_file);
        validation::Sg3P1812Evaluation evaluation;
        validation::evaluate_p1812_sg3(profile, std::size_t(o.dataset - 1), evaluation);
        validation::print_p1812_evaluation(std::cout, profile, evaluation);
        return 0;
    }
    if (o.model == "p1546") {
        const validation::Sg3Profile profile = validation::read_sg3_profile(o.sg3_file);
        const auto c = validation::evaluate_p1546_validation(profile, o.dataset);
        validation::print_p1546_validation(std::cout, profile, c);
        return 0;
    }
    throw InputError("--sg3: SG3 validation profiles are evaluated with --model p1812 or p1546");
}

}  // namespace

namespace {

// The model, step and heights a `path` run uses: from the options, or (--scenario) as `run`
// computes that path: its CRS, terrain grid (pixels of grid.resolution_m), profile step (the
// terrain pixel size, as the engine's default), model, parameters, clutter loss, receiver height.
struct PathSetup {
    PathOptions o;
    double terrain_pixel_m = 0.0;  // without a scenario: terrain warped to the step
    std::unique_ptr<propagation::PropagationModel> model;
};

PathSetup path_setup(const PathOptions& options) {
    PathSetup setup{options, options.step_m, nullptr};
    PathOptions& o = setup.o;
    ParameterSet params = parse_parameters(o.parameters);
    std::string clutter_loss = "none";
    double clutter_location_percent = 50.0;
    if (!o.scenario.empty()) {
        const io::Scenario s = io::read_scenario(o.scenario);
        o.terrain_files = s.terrain_files;
        o.crs = s.crs;
        o.model = s.model;
        o.rx_height_agl_m = s.rx_height_agl_m;
        o.void_fill_max_distance_m = s.void_fill_max_distance_m;
        if (o.step_m != PathOptions{}.step_m && o.step_m != s.resolution_m)
            throw InputError(
                "--step-m: with --scenario the profile step is the scenario's "
                "grid.resolution_m (" +
                number_text(s.resolution_m) + " m), as in `grenzfunk run`");
        o.step_m = s.resolution_m;
        setup.terrain_pixel_m = s.resolution_m;
        clutter_loss = s.clutter_loss;
        clutter_location_percent = s.clutter_location_percent;
        if (o.parameters.empty()) params = s.model_parameters;
    }
    // Antenna heights above ground: finite and physical (0 m to 1000 m, a tall mast on a hill).
    for (const auto& [name, value] : {std::pair{"--tx-height-m", o.tx_height_agl_m},
                                      std::pair{"--rx-height-m", o.rx_height_agl_m}})
        if (!(value >= 0.0 && value <= 1000.0))
            throw InputError(std::string(name) + ": " + number_text(value) +
                             " m is outside [0, 1000] m above ground");
    setup.model = create_checked_model(o.model, params, o.terrain_files);
    if (clutter_loss == "p2108")
        setup.model =
            propagation::with_p2108_clutter_loss(std::move(setup.model), clutter_location_percent);
    propagation::require_frequency_in_range(*setup.model, o.frequency_mhz, "--frequency-mhz");
    return setup;
}

struct BuiltPathQuery {
    std::vector<double> profile;
    propagation::PathQuery query;
    bool have_direction = false;
    double azimuth_deg = NAN, elevation_deg = NAN;
};

// Two points on the terrain, through the one path builder (engine/path_builder.hpp), as `run`
// and the border check build them.
void build_points_path(const PathSetup& setup, const std::atomic<bool>& interrupted,
                       BuiltPathQuery& out) {
    const PathOptions& o = setup.o;
    const std::string wkt = io::projected_crs_wkt(o.crs, "--crs");
    io::LonLatTransform transform(o.crs);
    engine::PathEnd tx, rx;
    tx.lon_deg = o.from_lon_deg;
    tx.lat_deg = o.from_lat_deg;
    tx.height_agl_m = o.tx_height_agl_m;
    rx.lon_deg = o.to_lon_deg;
    rx.lat_deg = o.to_lat_deg;
    rx.height_agl_m = o.rx_height_agl_m;
    double north_x = NAN, north_y = NAN;
    if (!transform.forward(o.from_lon_deg, o.from_lat_deg, tx.x_m, tx.y_m) ||
        !transform.forward(o.to_lon_deg, o.to_lat_deg, rx.x_m, rx.y_m) ||
        !transform.forward(o.from_lon_deg, o.from_lat_deg + 0.01, north_x, north_y) ||
        !std::isfinite(tx.x_m) || !std::isfinite(tx.y_m) || !std::isfinite(rx.x_m) ||
        !std::isfinite(rx.y_m))
        throw InputError("--from/--to: cannot transform to " + o.crs);
    const double dx = rx.x_m - tx.x_m, dy = rx.y_m - tx.y_m;
    if (std::hypot(dx, dy) < 1.0)
        throw InputError("--from/--to: the points coincide (less than 1 m apart)");
    sample_path(o, wkt, setup.terrain_pixel_m, tx.x_m, tx.y_m, rx.x_m, rx.y_m, out.profile,
                interrupted);
    out.query = engine::make_path_query(tx, rx, o.frequency_mhz, out.profile);
    // Direction for an antenna pattern, as the engine computes it: true azimuth with the
    // meridian convergence at the site (as `run`), elevation with Earth curvature (k = 4/3).
    out.azimuth_deg = engine::true_azimuth_deg(
        engine::grid_azimuth_deg(dx, dy),
        std::atan2(north_x - tx.x_m, north_y - tx.y_m) * 180.0 / 3.14159265358979323846);
    out.elevation_deg = engine::antenna_elevation_deg(
        out.profile.front() + o.tx_height_agl_m, out.profile.back() + o.rx_height_agl_m,
        std::hypot(dx, dy), engine::CoverageOptions{}.effective_earth_radius_m);
    out.have_direction = true;
}

void print_path(const PathSetup& setup, const BuiltPathQuery& p, const propagation::PathResult& r) {
    const propagation::PathQuery& q = p.query;
    const double step_m = q.profile.step_m;
    std::printf("model            %s (%s)\n", std::string(setup.model->name()).c_str(),
                std::string(setup.model->reference()).c_str());
    std::printf("frequency_mhz    %.3f\n", q.frequency_mhz);
    std::printf("distance_km      %.3f\n", q.distance_m / 1000.0);
    std::printf("profile_points   %zu (step %.2f m)\n", p.profile.size(), step_m);
    std::printf("tx_ground_m      %.1f\nrx_ground_m      %.1f\n", p.profile.front(),
                p.profile.back());
    if (p.have_direction) {
        std::printf("centre_lat_deg   %.6f\n", q.centre_lat_deg);
        std::printf("azimuth_deg      %.2f (from true north)\n", p.azimuth_deg);
        std::printf("elevation_deg    %.3f\n", p.elevation_deg);
    }
    std::printf("loss_db          %.2f\n", r.loss_db);
    // All digits, for comparing with `run` (its rasters hold Float32).
    std::printf("loss_db_full     %.17g\n", r.loss_db);
    std::printf("flags            %s\n", propagation::describe_flags(r.flags).c_str());
    if (setup.o.print_profile)
        for (std::size_t i = 0; i < p.profile.size(); ++i)
            std::printf("  %8.1f m  %7.1f m\n", double(i) * step_m, p.profile[i]);
}

}  // namespace

int run_path(const PathOptions& options, const std::atomic<bool>& interrupted) {
    if (!options.cases_csv.empty() || !options.sg3_file.empty())
        return run_reference_inputs(options, interrupted);
    if (!options.has_frequency)
        throw InputError(
            "--frequency-mhz (-f): missing; give the frequency in MHz (only --cases and --sg3 "
            "carry their own)");
    if (options.has_points && !(options.step_m >= validation::kMinProfileStepM &&
                                options.step_m <= validation::kMaxProfileStepM))
        throw InputError("--step-m: " + number_text(options.step_m) + " m is outside [" +
                         number_text(validation::kMinProfileStepM) + ", " +
                         number_text(validation::kMaxProfileStepM) +
                         "] m (finer spacing makes the profile and its terrain too large)");
    const PathSetup setup = path_setup(options);
    const PathOptions& o = setup.o;
    BuiltPathQuery p;
    if (!o.profile_file.empty()) {
        const std::vector<double> pfl = validation::read_pfl(o.profile_file);
        p.profile.assign(pfl.begin() + 2, pfl.end());
        // A given profile: no geography (NaN, model.hpp).
        p.query.frequency_mhz = o.frequency_mhz;
        p.query.tx_height_agl_m = o.tx_height_agl_m;
        p.query.rx_height_agl_m = o.rx_height_agl_m;
        p.query.profile.step_m = pfl[1];
        p.query.profile.elevation_m = p.profile;
        p.query.distance_m = p.query.profile.distance_m();
    } else if (o.has_points && !o.terrain_files.empty()) {
        build_points_path(setup, interrupted, p);
    } else {
        throw InputError("path: give --profile FILE, or --terrain FILE with --from and --to");
    }
    const propagation::PathResult r = setup.model->loss(p.query);
    if (r.flags & propagation::invalid_input)
        throw InputError("path: the model '" + std::string(setup.model->name()) +
                         "' cannot evaluate this path (" + propagation::describe_flags(r.flags) +
                         ")");
    print_path(setup, p, r);
    return 0;
}

}  // namespace grenzfunk::cli
