#include "pipeline/plan.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "antenna/cut_pattern.hpp"
#include "antenna/hcm_antenna.hpp"
#include "antenna/pattern.hpp"
#include "core/error.hpp"
#include "core/text_format.hpp"
#include "io/border_rules_io.hpp"
#include "io/crs.hpp"
#include "io/msi_pattern.hpp"
#include "io/opencellid.hpp"
#include "io/sites_csv.hpp"
#include "io/terrain_reader.hpp"
#include "pipeline/border_stage.hpp"
#include "pipeline/land_cover_stage.hpp"
#include "pipeline/model_resources.hpp"
#include "propagation/clutter_loss.hpp"
#include "propagation/registry.hpp"

namespace grenzfunk::pipeline {

namespace fs = std::filesystem;

RunPlan::RunPlan() = default;
RunPlan::~RunPlan() = default;
RunPlan::RunPlan(RunPlan&&) noexcept = default;
RunPlan& RunPlan::operator=(RunPlan&&) noexcept = default;

namespace {

// Automatic bands ("tiles") of about this many pixels: 4 Mi pixels hold ~100 MB of
// composites, terrain crop and copies (docs/engine.md, "Memory").
constexpr double kAutoBandPixels = 4194304.0;

// Collects the input errors of independent checks, so that one run reports them all.
class Errors {
  public:
    void check(const std::function<void()>& step) {
        try {
            step();
        } catch (const InputError& e) {
            messages_.emplace_back(e.what());
        }
    }
    bool empty() const { return messages_.empty(); }
    // One error as it is; several as the sites reader lists them: a header line, then each.
    void throw_if_any(const std::string& source) const {
        if (messages_.empty()) return;
        if (messages_.size() == 1) throw InputError(messages_.front());
        std::string all =
            source + ": " + std::to_string(messages_.size()) + " errors, nothing was computed:";
        for (const auto& m : messages_) {
            std::string indented = m;
            for (std::size_t at = 0; (at = indented.find('\n', at)) != std::string::npos; at += 3)
                indented.replace(at, 1, "\n  ");
            all += "\n  " + indented;
        }
        throw InputError(all);
    }

  private:
    std::vector<std::string> messages_;
};

void reject_unconsumed(const ParameterSet& params, const std::string& where,
                       const std::string& prefix, const std::string& consumer) {
    const auto keys = params.unconsumed_keys();
    if (!keys.empty())
        throw InputError(where + ": " + prefix + *keys.begin() + ": not a parameter of " +
                         consumer);
}

// Every sites file is read, each one's errors reported into `errors`.
std::vector<Cell> load_cells(const io::Scenario& s, Errors& errors,
                             std::vector<std::string>& warnings,
                             const std::vector<Cell>& extra_cells) {
    std::vector<Cell> cells;
    for (const io::SitesSource& src : s.sites) {
        errors.check([&] {
            std::vector<Cell> part;
            if (src.format == "opencellid") {
                part = io::read_opencellid(src.path, src.overrides, &warnings);
            } else {
                part = io::read_sites_csv(src.path);
                if (!src.overrides.values().empty())
                    throw InputError(src.where +
                                     ": sites.defaults: only the opencellid format takes defaults");
            }
            reject_unconsumed(src.overrides, src.where, "sites.defaults.",
                              "the opencellid importer");
            cells.insert(cells.end(), std::make_move_iterator(part.begin()),
                         std::make_move_iterator(part.end()));
        });
    }
    cells.insert(cells.end(), extra_cells.begin(), extra_cells.end());
    std::unordered_map<std::string_view, const std::string*> seen;
    seen.reserve(cells.size());
    for (const Cell& c : cells) {
        auto [it, inserted] = seen.emplace(c.cell_id, &c.source);
        if (!inserted)
            throw InputError(c.source + ": cell_id '" + c.cell_id + "' already used at " +
                             *it->second);
    }
    if (cells.empty() && errors.empty())
        throw InputError(s.path + ": the sites files hold no cells");
    return cells;
}

std::unique_ptr<propagation::PropagationModel> build_model(io::Scenario& s) {
    std::unique_ptr<propagation::PropagationModel> model;
    try {
        // A model that samples its own profile (hcm) reads the run's geographic terrain.
        ModelResourceCache cache;
        const propagation::ModelResources resources = cache.resources_for(
            s.model, s.model_parameters, s.terrain_files, fs::path(s.path).parent_path(), "");
        model = propagation::create_model(s.model, s.model_parameters, resources);
    } catch (const InputError& e) {
        throw InputError(s.model_where + ": propagation: " + e.what());
    }
    reject_unconsumed(s.model_parameters, s.model_where, "propagation.parameters.",
                      "model '" + s.model + "'");
    if (s.clutter_loss == "p2108")
        model = propagation::with_p2108_clutter_loss(std::move(model), s.clutter_location_percent);
    return model;
}

// Without an extent the grid is sized from the sites: a site far off the terrain (often latitude
// and longitude swapped) would make it huge. Name the site instead.
void check_sites_on_terrain(const RunPlan& p) {
    const auto box = io::terrain_bounds_lonlat(p.scenario.terrain_files);
    if (!box) return;  // the terrain reader reports the raster's problem
    const auto inside = [&](double lat, double lon) {
        return lon >= (*box)[0] && lon <= (*box)[2] && lat >= (*box)[1] && lat <= (*box)[3];
    };
    for (const Cell& c : p.cells) {
        if (inside(c.lat_deg, c.lon_deg)) continue;
        throw InputError(
            c.source + ": site '" + c.site_id + "' at " + text::format_fixed(c.lat_deg, 5) +
            " N, " + text::format_fixed(c.lon_deg, 5) + " E lies outside the terrain (" +
            text::format_fixed((*box)[1], 2) + " to " + text::format_fixed((*box)[3], 2) + " N, " +
            text::format_fixed((*box)[0], 2) + " to " + text::format_fixed((*box)[2], 2) + " E)" +
            (inside(c.lon_deg, c.lat_deg) ? "; are lat_deg and lon_deg swapped?" : ""));
    }
}

// Positions in the grid CRS and the meridian convergence at each site.
void place_cells(RunPlan& p) {
    const io::Scenario& s = p.scenario;
    io::LonLatTransform transform(s.crs);
    p.positions.reserve(p.cells.size());
    p.north_azimuth_deg.reserve(p.cells.size());
    for (const Cell& c : p.cells) {
        io::PointM a, b;
        if (!transform.forward(c.lon_deg, c.lat_deg, a.x_m, a.y_m) ||
            !transform.forward(c.lon_deg, c.lat_deg + 0.01, b.x_m, b.y_m))
            throw InputError(c.source + ": cannot transform the site position to " + s.crs);
        p.positions.push_back(a);
        p.north_azimuth_deg.push_back(std::atan2(b.x_m - a.x_m, b.y_m - a.y_m) * 180.0 /
                                      3.14159265358979323846);
    }
    if (!s.extent_lonlat) check_sites_on_terrain(p);
    const double radius_m = s.max_radius_km * 1000.0;
    const io::GridSizeWhere where{s.resolution_where, s.extent_where, s.max_radius_where};
    p.area = io::make_analysis_area(s.crs, p.crs_wkt, s.resolution_m, s.extent_lonlat, p.positions,
                                    radius_m, transform, where);
    // Cells that cannot reach the analysis grid are left out (reported).
    for (std::size_t i = 0; i < p.cells.size(); ++i)
        if (p.area.grid.distance_to_m(p.positions[i].x_m, p.positions[i].y_m) <= radius_m)
            p.active.push_back(i);
    if (p.active.empty())
        throw InputError(s.path +
                         ": no cell lies within propagation.max_radius_km of the "
                         "analysis area");
}

// Antennas for the cells that need one: those reaching the area and, with a [border] table,
// the home country's (a national sites file has 10^6 rows).
// Pattern files named in the sites file ("file:<path>" or a path ending in .msi, .pln or .txt,
// docs/antennas.md): relative to the sites file's folder, never absolute, never through "..";
// each file is read once per run.
struct PatternFiles {
    std::map<std::string, std::shared_ptr<const AntennaCuts>> read;
    CutCombination combination = CutCombination::summed;
};

std::shared_ptr<const AntennaCuts> pattern_file(const std::string& name, const Cell& c,
                                                PatternFiles& files) {
    const fs::path path = pattern_file_path(name, c);
    const std::string key = path.lexically_normal().string();
    if (auto it = files.read.find(key); it != files.read.end()) return it->second;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw InputError("'" + name + "': no such file (" + path.string() + ")");
    auto cuts = std::make_shared<const AntennaCuts>(io::read_msi_pattern(path));
    files.read.emplace(key, cuts);
    return cuts;
}

// The cell's pattern: a pattern file; HCM antenna codes ("H" or "H/V", antenna/hcm_antenna.hpp)
// as HCM_MS evaluates them, with the main radiation at the cell's azimuth and at an elevation of
// minus its (mechanical + electrical) tilt, as the station record states it; else a named
// pattern.
antenna::AntennaPattern cell_pattern(const Cell& c, const io::Scenario& s, PatternFiles& files) {
    if (const auto file = pattern_file_name(c.antenna_pattern)) {
        auto cuts = pattern_file(*file, c, files);
        // The vertical cut holds the electrical tilt: a different one in the sites file would
        // be applied twice or contradict the file.
        if (c.elec_tilt_deg != 0.0 &&
            !(cuts->electrical_tilt_deg &&
              std::abs(*cuts->electrical_tilt_deg - c.elec_tilt_deg) <= 0.05))
            throw InputError("elec_tilt_deg: " + text::format_fixed(c.elec_tilt_deg, 2) +
                             " with a pattern file, whose vertical cut holds the electrical tilt "
                             "(ELECTRICAL_TILT " +
                             (cuts->electrical_tilt_deg
                                  ? text::format_fixed(*cuts->electrical_tilt_deg, 2)
                                  : std::string("not given")) +
                             "); give 0 or the file's value");
        return antenna::make_cut_pattern(c.antenna_pattern, std::move(cuts), c.azimuth_deg,
                                         c.mech_tilt_deg, files.combination);
    }
    if (c.antenna_pattern != "omni")
        if (const auto codes = antenna::hcm::pattern_codes(c.antenna_pattern)) {
            const auto v = antenna::hcm::parse_code(codes->vertical);
            if (v.type == antenna::hcm::DiagramType::tilted_p && c.elec_tilt_deg != 0.0)
                throw InputError("elec_tilt_deg: the vertical code " + codes->vertical +
                                 " holds the electrical tilt in its letter; give 0");
            return antenna::hcm::make_pattern(codes->horizontal, codes->vertical, c.azimuth_deg,
                                              -(c.mech_tilt_deg + c.elec_tilt_deg));
        }
    return antenna::AntennaPattern::create(
        c.antenna_pattern, {c.azimuth_deg, c.mech_tilt_deg, c.elec_tilt_deg}, s.antenna_parameters);
}

void build_patterns(RunPlan& p) {
    const io::Scenario& s = p.scenario;
    std::vector<bool> needed(p.cells.size(), false);
    for (std::size_t i : p.active) needed[i] = true;
    if (s.border.enabled)
        for (std::size_t i = 0; i < p.cells.size(); ++i)
            needed[i] = needed[i] || text::iequals(p.cells[i].country, s.border.home_country);
    p.patterns.assign(p.cells.size(), nullptr);
    Errors errors;
    PatternFiles files;
    errors.check([&] {
        const std::string name = s.antenna_parameters.get_string("cut_combination", "summed");
        const auto combination = antenna::parse_cut_combination(name);
        if (!combination)
            throw InputError(s.path + ": antenna.cut_combination: '" + name +
                             "' is not known (summed or gil)");
        files.combination = *combination;
    });
    for (std::size_t i = 0; i < p.cells.size(); ++i) {
        if (!needed[i]) continue;
        const Cell& c = p.cells[i];
        errors.check([&] {
            try {
                p.patterns[i] =
                    std::make_shared<const antenna::AntennaPattern>(cell_pattern(c, s, files));
            } catch (const InputError& e) {
                throw InputError(c.source + ": antenna_pattern: " + e.what());
            }
        });
    }
    errors.check([&] {
        reject_unconsumed(s.antenna_parameters, s.path, "antenna.", "the antenna patterns");
    });
    errors.throw_if_any(s.path);
}

void build_transmitters(RunPlan& p) {
    for (std::size_t i : p.active) {
        const Cell& c = p.cells[i];
        engine::TransmitterCell t;
        t.x_m = p.positions[i].x_m;
        t.y_m = p.positions[i].y_m;
        t.lat_deg = c.lat_deg;
        t.lon_deg = c.lon_deg;
        t.antenna_height_agl_m = c.antenna_height_agl_m;
        t.frequency_mhz = c.frequency_mhz;
        t.eirp_dbm = c.eirp_dbm;
        t.true_north_grid_azimuth_deg = p.north_azimuth_deg[i];
        std::shared_ptr<const antenna::AntennaPattern> pattern = p.patterns[i];
        // An omni pattern is 0 dB everywhere: no function, so that the engine skips the
        // direction to each pixel.
        if (!pattern->is_omni())
            t.relative_gain_db = [pattern](double az, double el) {
                return pattern->relative_gain_db(az, el);
            };
        p.transmitters.push_back(std::move(t));
    }
    const io::Scenario& s = p.scenario;
    engine::CoverageOptions& o = p.engine_options;
    o.engine = p.request.engine ? *p.request.engine : s.engine;
    o.rx_height_agl_m = s.rx_height_agl_m;
    o.max_radius_m = s.max_radius_km * 1000.0;
    o.keep_path_loss = s.outputs.path_loss_per_cell;
    o.lon_lat_of = io::lon_lat_of_crs(s.crs);  // P.1812's path centre (engine/path_builder.hpp)
}

// Bands of rows ("tiles"): each band gets its own terrain (the band grown by the radius) and its
// own composites, and its rows go to the output files before the next band starts, so memory
// follows the band, not the area (docs/engine.md). The border check and the per-cell rasters
// need the whole grid in one piece.
void choose_bands(RunPlan& p) {
    const io::Scenario& s = p.scenario;
    const GridSpec& g = p.area.grid;
    const int requested = p.request.tile_rows >= 0 ? p.request.tile_rows : s.tile_rows;
    // Distributed (docs/scale.md): the border check reads the whole terrain on rank 0, so only
    // the per-cell rasters need the coverage in one piece.
    const bool distributed = p.request.rank_count > 1;
    const bool needs_whole = (s.border.enabled && !distributed) || s.outputs.path_loss_per_cell;
    p.band_rows = g.height;
    if (requested > 0) {
        if (needs_whole && requested < g.height)
            throw InputError(
                (p.request.tile_rows >= 0 ? std::string("--tile-rows")
                                          : s.tile_rows_where + ": propagation.tile_rows") +
                ": the [border] check and output.path_loss_per_cell need the whole grid in one "
                "piece (" +
                std::to_string(g.height) + " rows); use 0 (automatic) or leave it out");
        p.band_rows = std::min(requested, g.height);
    } else if (!needs_whole) {
        p.band_rows = std::clamp(int(kAutoBandPixels / std::max(g.width, 1)), 1, g.height);
        if (distributed) {
            // A multiple of the rank count of bands of equal height (the bytes do not depend on
            // the bands): with 4 automatic bands of 1332, 1332, 1332 and 631 rows, two ranks got
            // 58 % and 42 % of the whole-border benchmark's work; with 4 of 1157 rows, halves.
            const int ranks = p.request.rank_count;
            const int automatic_count = (g.height + p.band_rows - 1) / p.band_rows;
            const int count = std::min(g.height, (automatic_count + ranks - 1) / ranks * ranks);
            p.band_rows = std::max(1, (g.height + count - 1) / count);
        }
    }
    p.band_count = (g.height + p.band_rows - 1) / p.band_rows;
}

// Where the run writes: the output folder, and the export folder with a [border] table.
void choose_folders(RunPlan& p) {
    const io::Scenario& s = p.scenario;
    p.output_directory = !p.request.output_directory.empty() ? fs::path(p.request.output_directory)
                         : !s.outputs.directory.empty()      ? fs::path(s.outputs.directory)
                                                             : fs::path("out") / s.name;
    if (!p.border) return;
    p.package_directory = p.border->package_directory(p.output_directory);
    const fs::path rel =
        fs::weakly_canonical(fs::absolute(p.output_directory))
            .lexically_relative(fs::weakly_canonical(fs::absolute(p.package_directory)));
    if (!rel.empty() && *rel.begin() != "..")
        throw InputError(
            (s.exports.directory_where.empty() ? s.exports.where : s.exports.directory_where) +
            ": export.directory: " + p.package_directory.string() +
            " is or contains the run's output folder " + p.output_directory.string() +
            "; choose a folder beside it or a subfolder of it");
    p.creation_time =
        !p.request.creation_time.empty() ? p.request.creation_time : s.exports.creation_time;
}

// Path losses to compute (pixels of the grid within each transmitter's radius, once per
// site/height/frequency) and the peak memory of the band loop (docs/engine.md, "Memory").
void estimate(RunPlan& p) {
    const GridSpec& g = p.area.grid;
    const double pixel_m2 = g.pixel_size_m * g.pixel_size_m;
    const double radius_m = p.engine_options.max_radius_m;
    const double disc_pixels = 3.14159265358979323846 * radius_m * radius_m / pixel_m2;
    p.estimated_path_losses = 0;
    for (std::size_t k = 0; k < p.transmitters.size(); ++k)
        p.estimated_path_losses += std::uint64_t(std::min(disc_pixels, double(g.pixel_count())));
    const double band_px = double(p.band_rows) * g.width;
    const double band_terrain_px = (p.band_rows * g.pixel_size_m + 2.0 * radius_m) *
                                   (g.width * g.pixel_size_m + 2.0 * radius_m) / pixel_m2;
    double analysis_band_bytes_per_px = 0.0, analysis_grid_bytes_per_px = 0.0;
    const io::Scenario& s = p.scenario;
    if (s.analysis.enabled) {
        // The composite sink and the whole grid's composites (docs/analysis.md, "Memory"): T
        // technologies, L channel layers (technology, centre, bandwidth), K = overlap_count_cap.
        std::set<Technology> technologies;
        std::set<std::tuple<Technology, double, double>> layers;
        for (std::size_t i : p.active) {
            const Cell& c = p.cells[i];
            technologies.insert(c.technology);
            layers.emplace(c.technology, c.frequency_mhz, c.bandwidth_mhz);
        }
        const double t = double(technologies.size()), l = double(layers.size());
        const double k = double(std::max(1, s.analysis.options.overlap_count_cap));
        analysis_band_bytes_per_px = 4.0 * (2.0 * t + 2.0) + 16.0 * l + 4.0 * k * t + 4.0 * t;
        // Composites copied per band, admin rasters (~10 B) and, while writing, classes, gap
        // labels (~10 B) and one output copy (4 B).
        analysis_grid_bytes_per_px = 13.0 * t + 12.0 + 6.0 * l + 24.0;
    }
    // [land_cover]: the class raster (1 B) and the per-pixel sigma (4 B) of the whole grid.
    const double land_cover_bytes_per_px = s.land_cover.enabled ? 5.0 : 0.0;
    p.estimated_peak_bytes = std::uint64_t(
        80e6 + 4.0 * band_terrain_px + (28.0 + analysis_band_bytes_per_px) * band_px +
        (1.0 + analysis_grid_bytes_per_px + land_cover_bytes_per_px) * double(g.pixel_count()));
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && text::iequals(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace

fs::path pattern_file_path(const std::string& name, const Cell& cell) {
    if (name.empty()) throw InputError("file: no path after 'file:'");
    if (name.find('\\') != std::string::npos)
        throw InputError("'" + name + "': write the path with '/'");
    const fs::path relative(name);
    if (relative.is_absolute() || relative.has_root_name() || relative.has_root_directory())
        throw InputError("'" + name + "': an absolute path; give it relative to the sites file");
    for (const fs::path& part : relative)
        if (part == "..")
            throw InputError("'" + name +
                             "': '..' is not allowed (the file must lie in the "
                             "sites file's folder or below)");
    // Cell::source is "<sites file>:<line>".
    const std::size_t colon = cell.source.rfind(':');
    const fs::path sites_file(colon == std::string::npos ? cell.source
                                                         : cell.source.substr(0, colon));
    return sites_file.parent_path() / relative;
}

std::optional<std::string> pattern_file_name(const std::string& antenna_pattern) {
    if (antenna_pattern.compare(0, 5, "file:") == 0) return antenna_pattern.substr(5);
    if (ends_with_ci(antenna_pattern, ".msi") || ends_with_ci(antenna_pattern, ".pln") ||
        ends_with_ci(antenna_pattern, ".txt"))
        return antenna_pattern;
    return std::nullopt;
}

RunPlan make_plan(const RunRequest& request) {
    RunPlan p;
    p.request = request;
    p.scenario = io::read_scenario(request.scenario_path);
    io::Scenario& s = p.scenario;
    p.crs_wkt = io::projected_crs_wkt(s.crs, s.crs_where);

    // The independent inputs first, all of them, so that one run lists every error.
    Errors errors;
    errors.check([&] { p.model = build_model(s); });
    errors.check([&] { p.cells = load_cells(s, errors, p.warnings, request.extra_cells); });
    if (s.border.enabled) errors.check([&] { (void)io::read_border_rules(s.border.rules_file); });
    if (s.border.enabled && !s.border.codes_file.empty())
        errors.check([&] { (void)io::read_preferential_codes(s.border.codes_file); });
    errors.throw_if_any(s.path);
    // Frequencies outside the model's range: the first cell named, the others counted.
    std::size_t outside = 0;
    std::string first_outside;
    for (const Cell& c : p.cells) {
        try {
            propagation::require_frequency_in_range(*p.model, c.frequency_mhz,
                                                    c.source + ": frequency_mhz");
        } catch (const InputError& e) {
            if (outside++ == 0) first_outside = e.what();
        }
    }
    if (outside > 1)
        throw InputError(first_outside + " (and " + std::to_string(outside - 1) + " more cells)");
    if (outside == 1) throw InputError(first_outside);

    place_cells(p);
    build_patterns(p);
    // Cross-border check ([border]): rules, outline and models validated before the heavy work.
    p.border =
        BorderStage::prepare(s, p.cells, p.patterns, p.positions, p.north_azimuth_deg, p.area.grid);
    build_transmitters(p);
    prepare_land_cover(p);  // land_cover_stage.hpp
    choose_bands(p);
    choose_folders(p);
    estimate(p);
    return p;
}

}  // namespace grenzfunk::pipeline

namespace grenzfunk::pipeline {

std::vector<double> band_work(const RunPlan& plan) {
    const GridSpec& g = plan.area.grid;
    std::vector<double> work(std::size_t(plan.band_count), 0.0);
    const double radius_m = plan.engine_options.max_radius_m;
    const double x1 = g.origin_x_m + g.width * g.pixel_size_m;
    // Per transmitter only the rows its disc reaches: the chord of the disc at each row centre,
    // clipped to the grid's columns.
    for (const engine::TransmitterCell& t : plan.transmitters) {
        const int row0 =
            std::max(0, int(std::floor((g.origin_y_m - (t.y_m + radius_m)) / g.pixel_size_m)));
        const int row1 = std::min(
            g.height - 1, int(std::ceil((g.origin_y_m - (t.y_m - radius_m)) / g.pixel_size_m)));
        for (int r = row0; r <= row1; ++r) {
            const double dy = g.centre_y_m(r) - t.y_m;
            if (std::abs(dy) > radius_m) continue;
            const double half = std::sqrt(radius_m * radius_m - dy * dy);
            const double chord_m =
                std::min(x1, t.x_m + half) - std::max(g.origin_x_m, t.x_m - half);
            if (chord_m > 0.0) work[std::size_t(r / plan.band_rows)] += chord_m / g.pixel_size_m;
        }
    }
    return work;
}

std::vector<int> band_owners(const std::vector<double>& work, int ranks) {
    const std::size_t n = work.size();
    std::vector<int> owner(n, 0);
    if (n <= 1 || ranks <= 1) return owner;
    // Cumulative work before each band boundary; every band counts at least a little, so that a
    // grid without estimated work is split by band count.
    std::vector<double> before(n + 1, 0.0);
    double total = 0.0;
    for (double w : work) total += w;
    const double floor_work = total > 0.0 ? total * 1e-9 : 1.0;
    for (std::size_t b = 0; b < n; ++b) before[b + 1] = before[b] + std::max(work[b], floor_work);
    total = before[n];
    std::size_t cut = 0;  // first band of rank k
    for (int k = 1; k <= ranks; ++k) {
        std::size_t next = n;
        if (k < ranks) {
            const double target = total * double(k) / double(ranks);
            next = cut;
            for (std::size_t i = cut + 1; i <= n; ++i)
                if (std::abs(before[i] - target) < std::abs(before[next] - target)) next = i;
        }
        for (std::size_t b = cut; b < next; ++b) owner[b] = k - 1;
        cut = next;
    }
    return owner;
}

namespace {

std::string mb(std::uint64_t bytes) {
    return text::format_fixed(double(bytes) / 1e6, 0) + " MB";
}

std::string yes_no(bool b) {
    return b ? "yes" : "no";
}

}  // namespace

std::vector<std::string> describe_plan(const RunPlan& p) {
    const io::Scenario& s = p.scenario;
    const GridSpec& g = p.area.grid;
    std::vector<std::string> out;
    auto add = [&](const std::string& key, const std::string& value) {
        out.push_back("  " + key + " = " + value);
    };
    out.push_back("scenario '" + s.name + "' (" + s.path + "): valid");
    out.push_back("[terrain]");
    std::string files;
    for (const auto& f : s.terrain_files) files += (files.empty() ? "" : ", ") + f;
    add("files", files);
    add("void_fill_max_distance_m", text::format_fixed(s.void_fill_max_distance_m, 1));
    out.push_back("[grid]");
    add("crs", s.crs);
    add("resolution_m", text::format_fixed(s.resolution_m, 3));
    add("extent", s.extent_lonlat ? "given" : "from the sites and the radius");
    out.push_back("  -> " + std::to_string(g.width) + " x " + std::to_string(g.height) +
                  " pixels, origin (" + text::format_fixed(g.origin_x_m, 1) + ", " +
                  text::format_fixed(g.origin_y_m, 1) + ") m");
    out.push_back("[receiver]");
    add("height_agl_m", text::format_fixed(s.rx_height_agl_m, 2));
    out.push_back("[propagation]");
    add("model", s.model);
    for (const auto& [k, v] : p.model->parameters()) add("parameters." + k, v);
    add("max_radius_km", text::format_fixed(s.max_radius_km, 3));
    add("engine", engine_name(p.engine_options.engine));
    add("clutter_loss", s.clutter_loss);
    if (s.land_cover.enabled) {
        out.push_back("[land_cover]");
        add("file", s.land_cover.file);
        add("classes", s.land_cover.table.source + " (" + s.land_cover.table.name + ", " +
                           std::to_string(s.land_cover.table.classes.size()) + " classes)");
        add("code_kind",
            s.land_cover.code_kind == io::LandCoverCodeKind::clc_code ? "clc_code" : "index");
        add("default_class",
            s.land_cover.default_class < 0
                ? std::string("none (no clutter loss)")
                : s.land_cover.table.classes[std::size_t(s.land_cover.default_class)].name);
        out.push_back("  -> " + std::to_string(p.land_cover_pixels_without) +
                      " pixels of the grid without land cover");
    }
    add("tile_rows", std::to_string(p.band_rows) + " (" + std::to_string(p.band_count) +
                         (p.band_count == 1 ? " band)" : " bands)"));
    out.push_back("[output]");
    add("directory", p.output_directory.string());
    add("best_level", yes_no(s.outputs.best_level));
    add("best_server", yes_no(s.outputs.best_server));
    add("field_strength", yes_no(s.outputs.field_strength));
    add("terrain", yes_no(s.outputs.terrain));
    add("path_loss_per_cell", yes_no(s.outputs.path_loss_per_cell));
    out.push_back("[analysis] " + std::string(s.analysis.enabled ? "enabled" : "not enabled"));
    out.push_back("[border] " + std::string(s.border.enabled ? "enabled, package in " +
                                                                   p.package_directory.string()
                                                             : "not enabled"));
    if (s.planning.enabled)
        out.push_back("[planning] enabled: grenzfunk plan proposes up to " +
                      std::to_string(s.planning.max_sites) + " sites (docs/planning.md)");
    out.push_back("cells: " + std::to_string(p.cells.size()) + " in the sites files, " +
                  std::to_string(p.active.size()) + " reach the analysis area");
    out.push_back("estimate: about " + std::to_string(p.estimated_path_losses) +
                  " path losses, peak memory about " + mb(p.estimated_peak_bytes) +
                  " (docs/engine.md, \"Memory\")");
    return out;
}

}  // namespace grenzfunk::pipeline
