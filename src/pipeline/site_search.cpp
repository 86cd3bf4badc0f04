#include "pipeline/site_search.hpp"

#include <tbb/global_control.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <set>
#include <span>

#include "analysis/border_check.hpp"
#include "analysis/composites.hpp"
#include "analysis/coverage_analysis.hpp"
#include "analysis/radio.hpp"
#include "core/error.hpp"
#include "core/text_format.hpp"
#include "core/version.hpp"
#include "io/candidates_csv.hpp"
#include "io/checksum.hpp"
#include "io/crs.hpp"
#include "io/geotiff_writer.hpp"
#include "io/sites_csv.hpp"
#include "io/terrain_reader.hpp"
#include "io/text_input.hpp"
#include "pipeline/analysis_stage.hpp"
#include "pipeline/border_stage.hpp"
#include "pipeline/land_cover_stage.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/observer.hpp"
#include "pipeline/stage.hpp"
#include "propagation/model.hpp"
#include "report/coverage_kmz.hpp"
#include "report/gap_layers.hpp"
#include "report/statistics_json.hpp"

namespace grenzfunk::pipeline {

namespace fs = std::filesystem;

const char* selection_method_name(SelectionMethod m) {
    switch (m) {
        case SelectionMethod::greedy:
            return "greedy";
        case SelectionMethod::highest:
            return "highest";
        case SelectionMethod::random:
            return "random";
    }
    return "greedy";
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Where the proposed cells' pattern files go: <output>/patterns/<the template's relative path>,
// named so in proposed_sites.csv, so that a rerun finds them beside it.
constexpr const char* kPatternFolder = "patterns";

// The template site's cells (planning.template_file): home-country cells; a pattern file is
// copied into the output (kPatternFolder), so its relative path must be a safe file name.
std::vector<Cell> read_template(const io::Scenario& s) {
    const io::PlanningSettings& o = s.planning;
    std::vector<Cell> cells = io::read_sites_csv(o.template_file);
    if (cells.empty()) throw InputError(o.template_file + ": planning.template_file: no cells");
    for (const Cell& c : cells) {
        if (const auto file = pattern_file_name(c.antenna_pattern)) {
            // The plan (pattern_file in pipeline/plan.cpp) refuses absolute paths and "..";
            // every part also becomes a file name in the output folder.
            for (const fs::path& part : fs::path(*file))
                if (const std::string why = file_name_id_problem(part.string()); !why.empty())
                    throw InputError(c.source + ": antenna_pattern: '" + *file + "': part '" +
                                     part.string() + "' " + why +
                                     " (the pattern file is copied into the output folder)");
            if (!o.elec_tilts_deg.empty())
                throw InputError(c.source + ": antenna_pattern: '" + *file +
                                 "': a pattern file holds its electrical tilt, "
                                 "planning.tilt_choices_deg cannot set it; give a named "
                                 "pattern or leave out tilt_choices_deg");
        }
        if (!text::iequals(c.country, s.analysis.home_country))
            throw InputError(c.source + ": country: '" + c.country +
                             "': the template's cells must be home-country cells (analysis."
                             "home_country = '" +
                             s.analysis.home_country + "')");
        if (s.border.enabled && !text::iequals(c.country, s.border.home_country))
            throw InputError(c.source + ": country: '" + c.country +
                             "': the template's cells must be checked at the border "
                             "(border.home_country = '" +
                             s.border.home_country + "')");
        const std::string id = s.planning.site_id_prefix + "001_" + c.cell_id;
        if (const std::string why = file_name_id_problem(id); !why.empty())
            throw InputError(c.source + ": cell_id: the proposed cell id '" + id + "' " + why +
                             " (planning.site_id_prefix + number + '_' + this id)");
    }
    return cells;
}

// A position rounded to 1e-6 degrees (0.1 m), exactly as proposed_sites.csv will hold it.
double rounded_deg(double v) {
    return std::round(v * 1e6) / 1e6;
}

struct Candidate {
    std::string id;
    double lat_deg = 0.0, lon_deg = 0.0;
    double x_m = 0.0, y_m = 0.0;
    double antenna_height_agl_m = kNaN;  // NaN: the template's own heights
    double azimuth_rotation_deg = 0.0;   // added to every template cell's azimuth
    double elec_tilt_deg = kNaN;         // every cell's electrical tilt; NaN: the template's
    double ground_m = 0.0;
    std::size_t position = 0;  // index of its position (heights and configurations share one)
    // Index of its position and height: the configurations there share the engine's and the
    // border check's transmitter (one path-loss computation).
    std::size_t transmitter = 0;
};

// The scenario's run without writing: the engine on `plan`'s transmitters through the analysis
// stage's sink (one band: the bytes do not depend on the bands, docs/engine.md).
std::unique_ptr<AnalysisStage> analyse(const RunPlan& plan, const terrain::TerrainModel& terrain,
                                       RunObserver& observer, const std::string& step,
                                       const std::atomic<bool>& cancel) {
    const io::Scenario& s = plan.scenario;
    std::vector<Cell> active_cells;
    for (std::size_t i : plan.active) active_cells.push_back(plan.cells[i]);
    auto stage =
        std::make_unique<AnalysisStage>(s.analysis, plan.area.grid, plan.area.mask, active_cells,
                                        plan.transmitters, plan.engine_options.max_radius_m);
    if (!plan.land_cover_class.values.empty())
        stage->set_location_sigma_db(
            land_cover_sigma_db(plan.land_cover_class, s.land_cover.table));
    engine::LevelSink* sink = stage->begin_band(0, plan.area.grid.height);
    engine::CoverageOptions options = plan.engine_options;
    options.keep_path_loss = false;
    if (!plan.land_cover_class.values.empty())
        options.land_cover_class = std::span<const std::uint8_t>(plan.land_cover_class.values);
    (void)engine::compute_coverage(
        terrain, plan.area.grid, plan.area.mask, plan.transmitters, *plan.model, options,
        [&](double done, double total) { observer.progress(step, done, total); }, &cancel, {sink});
    observer.step_finished(step);
    stage->end_band();
    return stage;
}

// Which objective pixels each candidate covers with one of its cells: the test of classify()
// (analysis/coverage_analysis.cpp) on the cell's own coverage metric, which the composite
// (analysis/composites.cpp) computes the same way; the best metric of the home group is the
// maximum over its cells, so a pixel is covered after adding cells exactly when it was covered
// before or one of them covers it.
class CandidateSink final : public engine::LevelSink {
  public:
    CandidateSink(std::vector<std::int32_t> objective_index, std::vector<double> margin_db,
                  std::vector<double> cell_offset_db, std::vector<double> cell_threshold_dbm,
                  std::vector<std::uint32_t> cell_candidate, std::size_t candidates)
        : index_(std::move(objective_index)),
          margin_db_(std::move(margin_db)),
          offset_db_(std::move(cell_offset_db)),
          threshold_dbm_(std::move(cell_threshold_dbm)),
          candidate_of_(std::move(cell_candidate)),
          words_((margin_db_.size() + 63) / 64),
          bits_(candidates * words_, 0) {}

    void add(std::size_t pixel, std::uint32_t cell, float level_dbm) noexcept override {
        const std::int32_t k = index_[pixel];
        if (k < 0) return;
        const float metric = float(level_dbm + offset_db_[cell]);
        if (std::isnan(metric) || !(metric >= threshold_dbm_[cell] + margin_db_[std::size_t(k)]))
            return;
        // Pixels are never concurrent, but the cells of one candidate may share a word.
        std::atomic_ref<std::uint64_t> word(
            bits_[std::size_t(candidate_of_[cell]) * words_ + std::size_t(k) / 64]);
        word.fetch_or(std::uint64_t(1) << (std::size_t(k) % 64), std::memory_order_relaxed);
    }

    // The objective pixels (ascending) covered by candidate `k`.
    std::vector<std::uint32_t> covered_by(std::size_t k) const {
        std::vector<std::uint32_t> out;
        for (std::size_t w = 0; w < words_; ++w) {
            std::uint64_t bits = bits_[k * words_ + w];
            while (bits) {
                const int b = __builtin_ctzll(bits);
                out.push_back(std::uint32_t(w * 64 + std::size_t(b)));
                bits &= bits - 1;
            }
        }
        return out;
    }

  private:
    std::vector<std::int32_t> index_;
    std::vector<double> margin_db_;
    std::vector<double> offset_db_;
    std::vector<double> threshold_dbm_;
    std::vector<std::uint32_t> candidate_of_;  // per cell
    std::size_t words_;
    std::vector<std::uint64_t> bits_;
};

// Preferential codes for new cells (docs/border.md): each cell of a technology whose set lists
// PCIs or PSCs gets the next preferential code not used by a home cell on the same carrier
// (after the last, they repeat). Sets of ARFCNs (GSM) name the carrier: left as the template's.
void assign_codes(std::vector<Cell>& cells, const PreferentialCodes* pair,
                  const std::vector<Cell>& existing, const std::string& home_country) {
    if (!pair) return;
    std::map<std::pair<int, double>, std::set<int>> used;  // (technology, frequency) -> codes
    std::map<std::pair<int, double>, std::size_t> next;
    for (const PreferentialCodeSet& set : pair->sets) {
        if (set.kind == CodeKind::arfcn) continue;
        for (const Cell& c : existing)
            if (c.technology == set.technology && text::iequals(c.country, home_country))
                if (const auto code = cell_code(c, set.kind))
                    used[{int(c.technology), c.frequency_mhz}].insert(*code);
    }
    for (Cell& c : cells) {
        const auto set = std::find_if(pair->sets.begin(), pair->sets.end(), [&](const auto& s) {
            return s.technology == c.technology && s.kind != CodeKind::arfcn;
        });
        if (set == pair->sets.end()) continue;
        std::vector<int> codes;
        for (const CodeRange& r : set->preferential)
            for (int v = r.first; v <= r.last; ++v) codes.push_back(v);
        if (codes.empty()) continue;
        const std::pair<int, double> key{int(c.technology), c.frequency_mhz};
        std::set<int>& taken = used[key];
        std::size_t& at = next[key];
        int code = codes[at % codes.size()];
        for (std::size_t tries = 0; tries < codes.size(); ++tries, ++at) {
            code = codes[at % codes.size()];
            if (!taken.count(code)) break;
        }
        ++at;
        taken.insert(code);
        if (set->kind == CodeKind::pci)
            c.pci = code;
        else
            c.psc = code;
    }
}

// The objective: pixels of the gaps (retained, on home territory) the home networks do not
// cover before; their weights (1, or the weight raster's value, never negative).
struct Objective {
    std::vector<std::size_t> pixels;   // grid indices, ascending
    std::vector<std::int32_t> index;   // per grid pixel: index into pixels, -1 none
    std::vector<double> weight;        // per objective pixel
    std::vector<std::int32_t> gap_id;  // per objective pixel: the gap (before)
    double pixel_km2 = 0.0;
};

Objective make_objective(const AnalysisStage& base, const AnalysisStage::Evaluation& before,
                         const RunPlan& plan, const std::atomic<bool>& cancel) {
    const io::Scenario& s = plan.scenario;
    const GridSpec& g = plan.area.grid;
    Objective o;
    o.pixel_km2 = g.pixel_size_m * g.pixel_size_m / 1e6;
    o.index.assign(g.pixel_count(), -1);
    Raster<float> weight;
    if (!s.planning.weight_file.empty()) {
        try {
            weight = io::load_terrain({s.planning.weight_file}, g, 0.0, nullptr, &cancel);
        } catch (const InputError& e) {
            throw InputError(s.planning.where + ": planning.weight_file: " + e.what());
        }
    }
    for (std::size_t p = 0; p < g.pixel_count(); ++p) {
        if (before.gaps.labels.values[p] <= 0 || base.pixel_group()[p] != 0) continue;
        o.index[p] = std::int32_t(o.pixels.size());
        o.pixels.push_back(p);
        double w = 1.0;
        if (!weight.values.empty()) {
            const float v = weight.values[p];
            w = std::isfinite(v) && v > 0.0f ? double(v) : 0.0;
        }
        o.weight.push_back(w);
        o.gap_id.push_back(before.gaps.labels.values[p]);
    }
    return o;
}

// Lattice candidates (docs/planning.md, "Candidates"): in each square of candidate_spacing_m,
// the highest pixel that is home territory, on terrain, within candidate_gap_distance_m of an
// objective pixel and at least min_distance_to_existing_m from every site.
std::vector<Candidate> lattice_positions(const RunPlan& plan, const AnalysisStage& base,
                                         const Objective& objective,
                                         const terrain::TerrainModel& terrain) {
    const io::Scenario& s = plan.scenario;
    const io::PlanningSettings& o = s.planning;
    const GridSpec& g = plan.area.grid;
    const std::size_t n = g.pixel_count();
    std::vector<std::uint8_t> near(n, 0);
    const double r_px = o.candidate_gap_distance_m / g.pixel_size_m;
    const int r = int(std::floor(r_px));
    std::vector<std::pair<int, int>> offsets;
    for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx)
            if (double(dx) * dx + double(dy) * dy <= r_px * r_px) offsets.emplace_back(dx, dy);
    for (std::size_t p : objective.pixels) {
        const int col = int(p % std::size_t(g.width)), row = int(p / std::size_t(g.width));
        for (const auto& [dx, dy] : offsets) {
            const int c = col + dx, rr = row + dy;
            if (c >= 0 && c < g.width && rr >= 0 && rr < g.height)
                near[std::size_t(rr) * g.width + c] = 1;
        }
    }
    std::vector<io::PointM> sites;  // one per site position of the sites files
    for (const io::PointM& q : plan.positions)
        if (sites.empty() || sites.back().x_m != q.x_m || sites.back().y_m != q.y_m)
            sites.push_back(q);
    const double min_d2 = o.min_distance_to_existing_m * o.min_distance_to_existing_m;
    const int cells_x = int(std::ceil(g.width * g.pixel_size_m / o.candidate_spacing_m));
    struct Best {
        double elevation = -1e300;
        std::size_t pixel = 0;
        bool set = false;
    };
    std::map<std::int64_t, Best> best;  // lattice square -> its highest eligible pixel
    for (std::size_t p = 0; p < n; ++p) {
        if (!near[p] || !plan.area.mask[p] || base.pixel_group()[p] != 0) continue;
        const int col = int(p % std::size_t(g.width)), row = int(p / std::size_t(g.width));
        const double x = g.centre_x_m(col), y = g.centre_y_m(row);
        const double h = terrain.elevation_at(x, y);
        if (!std::isfinite(h)) continue;
        bool far = true;
        for (const io::PointM& q : sites) {
            const double dx = q.x_m - x, dy = q.y_m - y;
            if (dx * dx + dy * dy < min_d2) {
                far = false;
                break;
            }
        }
        if (!far) continue;
        const auto lx = std::int64_t((x - g.origin_x_m) / o.candidate_spacing_m);
        const auto ly = std::int64_t((g.origin_y_m - y) / o.candidate_spacing_m);
        Best& b = best[ly * cells_x + lx];
        if (!b.set || h > b.elevation) b = {h, p, true};  // ties: the first pixel (scan order)
    }
    io::LonLatTransform transform(s.crs);
    std::vector<Candidate> out;
    for (const auto& [square, b] : best) {
        const int col = int(b.pixel % std::size_t(g.width));
        const int row = int(b.pixel / std::size_t(g.width));
        Candidate c;
        double lon = 0.0, lat = 0.0;
        if (!transform.inverse(g.centre_x_m(col), g.centre_y_m(row), lon, lat)) continue;
        c.lat_deg = rounded_deg(lat);
        c.lon_deg = rounded_deg(lon);
        c.id = "L" + std::to_string(square);
        out.push_back(c);
    }
    return out;
}

// The candidate sites: positions (lattice or CSV) times antenna heights, placed in the grid CRS
// as the plan places cells (pipeline/plan.cpp).
std::vector<Candidate> make_candidates(const RunPlan& plan, const AnalysisStage& base,
                                       const Objective& objective,
                                       const terrain::TerrainModel& terrain,
                                       std::size_t& positions) {
    const io::Scenario& s = plan.scenario;
    const io::PlanningSettings& o = s.planning;
    std::vector<Candidate> at;
    if (o.candidates_file.empty()) {
        at = lattice_positions(plan, base, objective, terrain);
    } else {
        for (const io::CandidatePosition& c : io::read_candidates_csv(o.candidates_file)) {
            Candidate k;
            k.id = c.candidate_id;
            k.lat_deg = rounded_deg(c.lat_deg);
            k.lon_deg = rounded_deg(c.lon_deg);
            k.antenna_height_agl_m = c.antenna_height_agl_m ? *c.antenna_height_agl_m : kNaN;
            at.push_back(k);
        }
    }
    if (at.empty())
        throw InputError(o.where +
                         ": [planning]: no candidate positions (no gap, or every position near "
                         "the gaps is too close to a site: see planning.candidate_gap_distance_m "
                         "and planning.min_distance_to_existing_m)");
    io::LonLatTransform transform(s.crs);
    const GridSpec& g = plan.area.grid;
    std::vector<Candidate> out;
    std::size_t transmitters = 0;
    positions = at.size();
    for (std::size_t i = 0; i < at.size(); ++i) {
        Candidate c = at[i];
        c.position = i;
        if (!transform.forward(c.lon_deg, c.lat_deg, c.x_m, c.y_m))
            throw InputError(o.where + ": candidate " + c.id + ": cannot transform to " + s.crs);
        const double x1 = g.origin_x_m + g.width * g.pixel_size_m;
        const double y0 = g.origin_y_m - g.height * g.pixel_size_m;
        if (c.x_m < g.origin_x_m || c.x_m > x1 || c.y_m < y0 || c.y_m > g.origin_y_m)
            throw InputError(o.candidates_file + ": candidate " + c.id + " at " +
                             text::format_fixed(c.lat_deg, 5) + " N, " +
                             text::format_fixed(c.lon_deg, 5) +
                             " E lies outside the analysis grid (grid.extent_lonlat_deg)");
        c.ground_m = terrain.elevation_at(c.x_m, c.y_m);
        if (!std::isfinite(c.ground_m))
            throw InputError(o.where + ": candidate " + c.id + ": no terrain at its position");
        // Heights, then layout rotations, then tilts: the candidates of one position and
        // height are adjacent and share the engine's transmitter (one path-loss computation).
        std::vector<Candidate> heights;
        if (!std::isnan(c.antenna_height_agl_m) || o.antenna_heights_m.empty()) {
            heights.push_back(c);
        } else {
            for (double h : o.antenna_heights_m) {
                Candidate ch = c;
                ch.antenna_height_agl_m = h;
                ch.id = c.id + "_h" + text::format_fixed(h, 1);
                heights.push_back(ch);
            }
        }
        const std::vector<double> rotations =
            o.azimuth_rotations_deg.empty() ? std::vector<double>{kNaN} : o.azimuth_rotations_deg;
        const std::vector<double> tilts =
            o.elec_tilts_deg.empty() ? std::vector<double>{kNaN} : o.elec_tilts_deg;
        for (const Candidate& ch : heights) {
            const std::size_t transmitter = transmitters++;
            for (double rotation : rotations)
                for (double tilt : tilts) {
                    Candidate cc = ch;
                    cc.transmitter = transmitter;
                    if (!std::isnan(rotation)) {
                        cc.azimuth_rotation_deg = rotation;
                        cc.id += "_a" + text::format_fixed(rotation, 1);
                    }
                    if (!std::isnan(tilt)) {
                        cc.elec_tilt_deg = tilt;
                        cc.id += "_t" + text::format_fixed(tilt, 1);
                    }
                    out.push_back(cc);
                }
        }
    }
    return out;
}

// A template cell's azimuth turned by `rotation_deg`, in [0, 360).
double rotated_azimuth_deg(double azimuth_deg, double rotation_deg) {
    if (rotation_deg == 0.0) return azimuth_deg;
    const double a = std::fmod(azimuth_deg + rotation_deg, 360.0);
    return a < 0.0 ? a + 360.0 : a;
}

// The template's cells at a candidate (ids and names from `site_id` and `site_name`).
std::vector<Cell> cells_at(const std::vector<Cell>& templ, const Candidate& c,
                           const std::string& site_id, const std::string& site_name) {
    std::vector<Cell> out;
    for (const Cell& t : templ) {
        Cell cell = t;
        cell.cell_id = site_id + "_" + t.cell_id;
        cell.site_id = site_id;
        cell.site_name = site_name;
        cell.lat_deg = c.lat_deg;
        cell.lon_deg = c.lon_deg;
        if (!std::isnan(c.antenna_height_agl_m)) cell.antenna_height_agl_m = c.antenna_height_agl_m;
        cell.azimuth_deg = rotated_azimuth_deg(t.azimuth_deg, c.azimuth_rotation_deg);
        if (!std::isnan(c.elec_tilt_deg)) cell.elec_tilt_deg = c.elec_tilt_deg;
        cell.source = t.source;
        out.push_back(std::move(cell));
    }
    return out;
}

// A candidate's border check: per rule its worst margin over the candidate's cells.
struct BorderVerdict {
    bool checked = false;
    bool pass = true;
    double worst_margin_db = kNaN;
    std::vector<double> margin_db_per_rule;
};

// The selection: greedy with lazy re-evaluation (a max-heap of upper bounds; the covered area
// is submodular, so a gain computed in an earlier round bounds the gain now: Minoux 1978), or a
// fixed order for the baselines. Every method: minimum spacing, the border check (lazy, cached).
struct Selection {
    std::vector<std::size_t> chosen;
    std::vector<double> gains;  // weighted pixels
    std::vector<std::size_t> gain_pixels;
};

class Selector {
  public:
    Selector(const std::vector<Candidate>& candidates,
             const std::vector<std::vector<std::uint32_t>>& covers, const Objective& objective,
             const io::PlanningSettings& settings,
             std::function<BorderVerdict&(std::size_t)> verdict)
        : candidates_(candidates),
          covers_(covers),
          objective_(objective),
          settings_(settings),
          verdict_(std::move(verdict)) {}

    Selection greedy(const std::atomic<bool>& cancel) {
        start();
        struct Entry {
            double bound;
            std::size_t k;
            std::size_t round;
        };
        // Top: the largest bound, ties to the lower candidate index.
        auto lower = [](const Entry& a, const Entry& b) {
            return a.bound != b.bound ? a.bound < b.bound : a.k > b.k;
        };
        std::priority_queue<Entry, std::vector<Entry>, decltype(lower)> heap(lower);
        for (std::size_t k = 0; k < candidates_.size(); ++k) heap.push({gain(k), k, 0});
        const double min_gain = settings_.min_gain_km2 / objective_.pixel_km2;
        while (!heap.empty() && int(sel_.chosen.size()) < settings_.max_sites) {
            if (cancel.load()) throw Cancelled();
            const Entry top = heap.top();
            heap.pop();
            if (top.round != sel_.chosen.size()) {
                heap.push({gain(top.k), top.k, sel_.chosen.size()});
                continue;
            }
            if (top.bound <= min_gain) break;  // nothing left worth a site
            if (!allowed(top.k)) continue;
            take(top.k);
        }
        return sel_;
    }

    Selection in_order(const std::vector<std::size_t>& order, const std::atomic<bool>& cancel) {
        start();
        for (std::size_t k : order) {
            if (int(sel_.chosen.size()) >= settings_.max_sites) break;
            if (cancel.load()) throw Cancelled();
            if (allowed(k)) take(k);
        }
        return sel_;
    }

  private:
    void start() {
        covered_.assign(objective_.pixels.size(), 0);
        sel_ = {};
    }
    double gain(std::size_t k) const {
        double g = 0.0;
        for (std::uint32_t i : covers_[k])
            if (!covered_[i]) g += objective_.weight[i];
        return g;
    }
    bool allowed(std::size_t k) {
        // Two sites never share a position (other antenna heights there), whatever the spacing.
        const double d_min = std::max(settings_.min_spacing_m, 0.5);
        for (std::size_t j : sel_.chosen) {
            const double dx = candidates_[j].x_m - candidates_[k].x_m;
            const double dy = candidates_[j].y_m - candidates_[k].y_m;
            if (dx * dx + dy * dy < d_min * d_min) return false;
        }
        return verdict_(k).pass;
    }
    void take(std::size_t k) {
        double g = 0.0;
        std::size_t pixels = 0;
        for (std::uint32_t i : covers_[k])
            if (!covered_[i]) {
                covered_[i] = 1;
                g += objective_.weight[i];
                ++pixels;
            }
        sel_.chosen.push_back(k);
        sel_.gains.push_back(g);
        sel_.gain_pixels.push_back(pixels);
    }

    const std::vector<Candidate>& candidates_;
    const std::vector<std::vector<std::uint32_t>>& covers_;
    const Objective& objective_;
    const io::PlanningSettings& settings_;
    std::function<BorderVerdict&(std::size_t)> verdict_;
    std::vector<std::uint8_t> covered_;
    Selection sel_;
};

std::vector<double> curve_km2(const Selection& s, double pixel_km2) {
    std::vector<double> out;
    double sum = 0.0;
    for (double g : s.gains) out.push_back((sum += g) * pixel_km2);
    return out;
}

std::map<std::string, std::string> plan_metadata(const RunPlan& plan) {
    const io::Scenario& s = plan.scenario;
    return {{"GRENZFUNK_VERSION", version_string},
            {"GRENZFUNK_SCENARIO", s.name},
            {"GRENZFUNK_SCENARIO_SHA256", s.sha256},
            {"GRENZFUNK_MODEL", std::string(plan.model->name())},
            {"GRENZFUNK_PLAN", "newly covered gap area of grenzfunk plan (docs/planning.md)"}};
}

std::string km2(double v) {
    return text::format_fixed(v, 4);
}

// Gap area and coverage per zone, before and after (gap_statistics.csv / .json).
std::string gap_statistics_csv(const analysis::Statistics& before,
                               const analysis::Statistics& after) {
    std::string out =
        "kind,name,area_km2,gap_area_km2,gap_km2_before,gap_km2_after,gap_closed_km2,"
        "white_spot_km2_before,white_spot_km2_after,covered_pct_before,covered_pct_after\n";
    const double a = before.pixel_area_km2;
    for (const analysis::ZoneStatistics& z : before.zones) {
        const auto it = std::find_if(after.zones.begin(), after.zones.end(), [&](const auto& y) {
            return y.kind == z.kind && y.name == z.name;
        });
        if (it == after.zones.end()) continue;
        const auto pct = [](std::size_t v, std::size_t of) {
            return of ? 100.0 * double(v) / double(of) : 0.0;
        };
        out += z.kind + "," + text::csv_field(z.name) + "," + km2(double(z.pixels) * a) + "," +
               km2(double(z.gap_area_pixels) * a) + "," + km2(double(z.gap_pixels) * a) + "," +
               km2(double(it->gap_pixels) * a) + "," +
               km2((double(z.gap_pixels) - double(it->gap_pixels)) * a) + "," +
               km2(double(z.white_spot_pixels) * a) + "," + km2(double(it->white_spot_pixels) * a) +
               "," + text::format_fixed(pct(z.covered_pixels, z.pixels), 4) + "," +
               text::format_fixed(pct(it->covered_pixels, it->pixels), 4) + "\n";
    }
    return out;
}

nlohmann::ordered_json gap_statistics_json(const analysis::Statistics& before,
                                           const analysis::Statistics& after,
                                           std::size_t gaps_before, std::size_t gaps_after) {
    nlohmann::ordered_json zones = nlohmann::ordered_json::array();
    const double a = before.pixel_area_km2;
    for (const analysis::ZoneStatistics& z : before.zones) {
        const auto it = std::find_if(after.zones.begin(), after.zones.end(), [&](const auto& y) {
            return y.kind == z.kind && y.name == z.name;
        });
        if (it == after.zones.end()) continue;
        zones.push_back({{"kind", z.kind},
                         {"name", z.name},
                         {"area_km2", double(z.pixels) * a},
                         {"gap_area_km2", double(z.gap_area_pixels) * a},
                         {"gap_km2_before", double(z.gap_pixels) * a},
                         {"gap_km2_after", double(it->gap_pixels) * a},
                         {"gap_pixels_before", z.gap_pixels},
                         {"gap_pixels_after", it->gap_pixels},
                         {"covered_pixels_before", z.covered_pixels},
                         {"covered_pixels_after", it->covered_pixels}});
    }
    return {{"gaps_before", gaps_before}, {"gaps_after", gaps_after}, {"zones", zones}};
}

// A number, or null for NaN (JSON has no NaN).
nlohmann::ordered_json nullable(double v) {
    return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
}

std::string geojson_points(const std::vector<ProposedSite>& sites) {
    nlohmann::ordered_json features = nlohmann::ordered_json::array();
    for (const ProposedSite& s : sites)
        features.push_back(
            {{"type", "Feature"},
             {"geometry", {{"type", "Point"}, {"coordinates", {s.lon_deg, s.lat_deg}}}},
             {"properties",
              {{"rank", features.size() + 1},
               {"site_id", s.site_id},
               {"candidate_id", s.candidate_id},
               {"antenna_height_agl_m", s.antenna_height_agl_m},
               {"azimuth_rotation_deg", s.azimuth_rotation_deg},
               {"elec_tilt_deg", nullable(s.elec_tilt_deg)},
               {"gap_closed_km2", s.gain_km2},
               {"cumulative_share_pct", s.cumulative_share_pct}}}});
    nlohmann::ordered_json doc = {{"type", "FeatureCollection"}, {"features", features}};
    return doc.dump(1) + "\n";
}

// The same points and properties as geojson_points, in the grid CRS, as the layer
// "proposed_sites" of plan_layers.gpkg.
report::PointLayer sites_point_layer(const std::vector<ProposedSite>& sites) {
    using K = report::PointFieldKind;
    report::PointLayer layer;
    layer.name = "proposed_sites";
    layer.style_name = "proposed sites";
    layer.fields = {{"rank", K::integer},
                    {"site_id", K::text},
                    {"candidate_id", K::text},
                    {"antenna_height_agl_m", K::real},
                    {"azimuth_rotation_deg", K::real},
                    {"elec_tilt_deg", K::real},  // null: the template's tilts
                    {"gap_closed_km2", K::real},
                    {"cumulative_share_pct", K::real}};
    for (std::size_t r = 0; r < sites.size(); ++r) {
        const ProposedSite& s = sites[r];
        layer.features.push_back(
            {s.x_m,
             s.y_m,
             {std::int64_t(r + 1), s.site_id, s.candidate_id, s.antenna_height_agl_m,
              s.azimuth_rotation_deg, s.elec_tilt_deg, s.gain_km2, s.cumulative_share_pct}});
    }
    return layer;
}

}  // namespace

SiteSearchResult search_sites(const SiteSearchRequest& request, RunObserver& observer,
                              const std::atomic<bool>& cancel) {
    const auto t_start = Clock::now();
    std::unique_ptr<tbb::global_control> threads;
    if (request.run.threads > 0)
        threads = std::make_unique<tbb::global_control>(
            tbb::global_control::max_allowed_parallelism, std::size_t(request.run.threads));
    SiteSearchResult result;

    // 1. The scenario as it is: its plan, terrain and gaps.
    RunPlan base_plan = make_plan(request.run);
    const io::Scenario& s = base_plan.scenario;
    if (!s.planning.enabled)
        throw InputError(s.path +
                         ": [planning]: the scenario has no [planning] table "
                         "(docs/planning.md)");
    const io::PlanningSettings& settings = s.planning;
    const std::vector<Cell> templ = read_template(s);
    const fs::path out_dir = base_plan.output_directory;
    result.output_directory = out_dir.string();
    std::vector<fs::path> folders = {out_dir};
    if (base_plan.border) folders.push_back(out_dir / "regulator_package");
    io::OutputSet outputs(folders);  // locked now; written only at the commit
    outputs.set_compression_threads(1);

    auto t0 = Clock::now();
    io::TerrainReadOptions read_options;
    read_options.threads =
        int(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
    const terrain::TerrainModel terrain(
        io::load_terrain(s.terrain_files, base_plan.area.terrain_grid, s.void_fill_max_distance_m,
                         nullptr, &cancel, read_options));
    const std::unique_ptr<AnalysisStage> base =
        analyse(base_plan, terrain, observer, "coverage of the existing sites", cancel);
    const AnalysisStage::Evaluation before = base->evaluate();
    const Objective objective = make_objective(*base, before, base_plan, cancel);
    result.base_s = seconds_since(t0);
    double objective_weight = 0.0;
    for (double w : objective.weight) objective_weight += w;
    result.objective_before_km2 = objective_weight * objective.pixel_km2;
    if (objective.pixels.empty())
        throw InputError(s.path + ": [planning]: the scenario has no gaps to close");

    // 2. Candidates and their coverage of the objective pixels.
    t0 = Clock::now();
    std::vector<Candidate> candidates =
        make_candidates(base_plan, *base, objective, terrain, result.candidate_positions);
    result.candidates = candidates.size();
    std::vector<Cell> candidate_cells;
    for (std::size_t k = 0; k < candidates.size(); ++k)
        for (Cell& c :
             cells_at(templ, candidates[k], settings.site_id_prefix + "C" + std::to_string(k + 1),
                      "candidate " + candidates[k].id))
            candidate_cells.push_back(std::move(c));
    assign_codes(candidate_cells, base_plan.border ? base_plan.border->code_pair() : nullptr,
                 base_plan.cells, s.analysis.home_country);
    observer.note(std::to_string(candidates.size()) + " candidate sites (" +
                  std::to_string(result.candidate_positions) + " positions) for " +
                  text::format_fixed(result.objective_before_km2, 1) + " km2 of gaps");
    RunRequest candidate_request = request.run;
    candidate_request.extra_cells = candidate_cells;
    const RunPlan cand_plan = make_plan(candidate_request);
    const std::size_t existing = base_plan.cells.size();
    const std::size_t per_site = templ.size();
    // Every candidate cell reaches the grid (it stands on it): its transmitter.
    std::vector<std::size_t> transmitter_of(cand_plan.cells.size(), SIZE_MAX);
    for (std::size_t t = 0; t < cand_plan.active.size(); ++t)
        transmitter_of[cand_plan.active[t]] = t;
    std::vector<engine::TransmitterCell> cand_transmitters;
    std::vector<double> offset_db, threshold_dbm;
    const analysis::AnalysisOptions& ao = s.analysis.options;
    const std::size_t gap_k = std::size_t(ao.effective_gap_class()) - 1;
    for (std::size_t i = existing; i < cand_plan.cells.size(); ++i) {
        if (transmitter_of[i] == SIZE_MAX)
            throw std::logic_error("search_sites: a candidate cell does not reach the grid");
        cand_transmitters.push_back(cand_plan.transmitters[transmitter_of[i]]);
        const Cell& c = cand_plan.cells[i];
        offset_db.push_back(analysis::cell_radio(c, ao).metric_offset_db);
        threshold_dbm.push_back(ao.thresholds_dbm[analysis::technology_index(c.technology)][gap_k]);
    }
    // The margin of each objective pixel as classify() computes it.
    const double unit_margin = analysis::location_margin_db(ao.location_probability_pct, 1.0);
    std::vector<double> margin_db;
    for (std::size_t p : objective.pixels) {
        const auto& sigma = base->location_sigma_db().values;
        const double sd =
            sigma.empty() || std::isnan(sigma[p]) ? ao.location_sigma_db : double(sigma[p]);
        margin_db.push_back(sd > 0.0 ? sd * unit_margin : 0.0);
    }
    std::vector<std::uint32_t> cell_candidate;
    for (std::size_t k = 0; k < candidates.size(); ++k)
        cell_candidate.insert(cell_candidate.end(), per_site, std::uint32_t(k));
    CandidateSink sink(objective.index, std::move(margin_db), std::move(offset_db),
                       std::move(threshold_dbm), std::move(cell_candidate), candidates.size());
    {
        std::vector<std::uint8_t> mask(base_plan.area.grid.pixel_count(), 0);
        for (std::size_t p : objective.pixels) mask[p] = 1;
        engine::CoverageOptions options = cand_plan.engine_options;
        options.keep_path_loss = false;
        if (!cand_plan.land_cover_class.values.empty())
            options.land_cover_class =
                std::span<const std::uint8_t>(cand_plan.land_cover_class.values);
        (void)engine::compute_coverage(terrain, cand_plan.area.grid, mask, cand_transmitters,
                                       *cand_plan.model, options,
                                       [&](double done, double total) {
                                           observer.progress("evaluating candidates", done, total);
                                       },
                                       &cancel, {&sink});
        observer.step_finished("evaluating candidates");
    }
    result.candidate_transmitters = engine::transmitter_count(cand_transmitters);
    std::vector<std::vector<std::uint32_t>> covers(candidates.size());
    for (std::size_t k = 0; k < candidates.size(); ++k) covers[k] = sink.covered_by(k);
    result.candidates_s = seconds_since(t0);

    // 3. The selection; the border check of a candidate when a method would take it.
    t0 = Clock::now();
    std::vector<BorderVerdict> verdicts(candidates.size());
    const std::vector<BorderRule>* rules = cand_plan.border ? &cand_plan.border->rules() : nullptr;
    // The candidates of one transmitter (position and height; adjacent, make_candidates) differ
    // only in their configuration: the check computes the paths to the border once per
    // transmitter (analysis/border_check.cpp), so the configurations are checked together; a
    // cell's result does not depend on the cells checked with it.
    auto verdict = [&](std::size_t k) -> BorderVerdict& {
        BorderVerdict& v = verdicts[k];
        if (v.checked || !cand_plan.border) return v;
        const auto tb = Clock::now();
        std::size_t first = k, last = k + 1;
        const auto same_transmitter = [&](std::size_t j) {
            return candidates[j].transmitter == candidates[k].transmitter;
        };
        while (first > 0 && same_transmitter(first - 1)) --first;
        while (last < candidates.size() && same_transmitter(last)) ++last;
        std::vector<std::size_t> which;
        for (std::size_t q = first; q < last; ++q)
            for (std::size_t j = 0; j < per_site; ++j) which.push_back(existing + q * per_site + j);
        const analysis::BorderReport report = cand_plan.border->check_cells(terrain, which, cancel);
        for (std::size_t q = first; q < last; ++q) {
            BorderVerdict& w = verdicts[q];
            w.checked = true;
            w.margin_db_per_rule.assign(rules->size(), kNaN);
        }
        for (const analysis::RuleCheck& c : report.checks) {
            if (std::isnan(c.margin_db)) continue;
            BorderVerdict& w = verdicts[first + c.cell / per_site];  // c.cell indexes `which`
            double& m = w.margin_db_per_rule[c.rule];
            if (std::isnan(m) || c.margin_db < m) m = c.margin_db;
            if (std::isnan(w.worst_margin_db) || c.margin_db < w.worst_margin_db)
                w.worst_margin_db = c.margin_db;
        }
        for (std::size_t q = first; q < last; ++q) {
            BorderVerdict& w = verdicts[q];
            w.pass =
                std::isnan(w.worst_margin_db) || w.worst_margin_db >= -settings.border_margin_db;
            ++result.border_checks;
            if (!w.pass) ++result.border_rejected;
        }
        ++result.border_check_transmitters;
        result.border_check_s += seconds_since(tb);
        return v;
    };
    Selector selector(candidates, covers, objective, settings, verdict);
    const Selection greedy = selector.greedy(cancel);
    std::vector<std::size_t> order(candidates.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::vector<std::size_t> highest_order = order;
    std::stable_sort(highest_order.begin(), highest_order.end(), [&](std::size_t a, std::size_t b) {
        const double ha =
            candidates[a].ground_m + cand_plan.cells[existing + a * per_site].antenna_height_agl_m;
        const double hb =
            candidates[b].ground_m + cand_plan.cells[existing + b * per_site].antenna_height_agl_m;
        return ha > hb;
    });
    const Selection highest = selector.in_order(highest_order, cancel);
    std::vector<std::size_t> random_order = order;
    std::mt19937_64 rng(request.random_seed);  // the sequence is fixed by the standard
    for (std::size_t i = random_order.size(); i > 1; --i)
        std::swap(random_order[i - 1], random_order[std::size_t(rng() % i)]);
    const Selection random = selector.in_order(random_order, cancel);
    result.greedy_curve_km2 = curve_km2(greedy, objective.pixel_km2);
    result.highest_curve_km2 = curve_km2(highest, objective.pixel_km2);
    result.random_curve_km2 = curve_km2(random, objective.pixel_km2);
    const Selection& chosen = request.method == SelectionMethod::greedy    ? greedy
                              : request.method == SelectionMethod::highest ? highest
                                                                           : random;
    result.search_s = seconds_since(t0);
    if (chosen.chosen.empty())
        throw InputError(s.planning.where +
                         ": [planning]: no candidate passes the constraints (border margin, "
                         "spacing) with a gain above planning.min_gain_km2");

    // 4. The proposed cells, as proposed_sites.csv holds them, and the run with them.
    t0 = Clock::now();
    std::vector<Cell> proposed;
    std::vector<std::size_t> first_cell_of_site;
    for (std::size_t r = 0; r < chosen.chosen.size(); ++r) {
        const Candidate& c = candidates[chosen.chosen[r]];
        std::string number = std::to_string(r + 1);
        number.insert(0, number.size() < 3 ? 3 - number.size() : 0, '0');
        first_cell_of_site.push_back(proposed.size());
        for (Cell& cell :
             cells_at(templ, c, settings.site_id_prefix + number,
                      "proposed site " + std::to_string(r + 1) + " (candidate " + c.id + ")"))
            proposed.push_back(std::move(cell));
    }
    assign_codes(proposed, base_plan.border ? base_plan.border->code_pair() : nullptr,
                 base_plan.cells, s.analysis.home_country);
    // Pattern files: proposed_sites.csv names the copies in <output>/patterns/ (staged with the
    // other files); the run here reads the template's own file, the same bytes.
    std::map<std::string, fs::path> pattern_copies;  // name in proposed_sites.csv -> source
    for (std::size_t i = 0; i < proposed.size(); ++i)
        if (const auto file = pattern_file_name(proposed[i].antenna_pattern)) {
            const std::string copy = std::string(kPatternFolder) + "/" + *file;
            pattern_copies[copy] = pattern_file_path(*file, templ[i % per_site]);
            proposed[i].antenna_pattern = "file:" + copy;
        }
    const std::string sites_text = io::sites_csv_text(proposed);
    result.proposed_cells =
        io::parse_sites_csv(sites_text, (out_dir / "proposed_sites.csv").string());
    RunRequest after_request = request.run;
    after_request.extra_cells = result.proposed_cells;
    for (std::size_t i = 0; i < after_request.extra_cells.size(); ++i)
        if (pattern_file_name(after_request.extra_cells[i].antenna_pattern)) {
            after_request.extra_cells[i].antenna_pattern = templ[i % per_site].antenna_pattern;
            after_request.extra_cells[i].source = templ[i % per_site].source;
        }
    const RunPlan after_plan = make_plan(after_request);
    const std::unique_ptr<AnalysisStage> after_stage =
        analyse(after_plan, terrain, observer, "coverage with the proposed sites", cancel);
    const AnalysisStage::Evaluation after = after_stage->evaluate();
    std::size_t closed_pixels = 0, predicted_pixels = 0;
    double closed_weight = 0.0;
    for (std::size_t i = 0; i < objective.pixels.size(); ++i)
        if (after.maps.covered[0][objective.pixels[i]]) {
            ++closed_pixels;
            closed_weight += objective.weight[i];
        }
    for (std::size_t g : chosen.gain_pixels) predicted_pixels += g;
    result.closed_km2 = closed_weight * objective.pixel_km2;
    for (double g : chosen.gains) result.predicted_closed_km2 += g * objective.pixel_km2;
    result.after_s = seconds_since(t0);

    // The per-site table.
    std::vector<std::uint8_t> covered(objective.pixels.size(), 0);
    std::vector<std::int32_t> first_site(objective.pixels.size(), 0);
    double cumulative = 0.0;
    for (std::size_t r = 0; r < chosen.chosen.size(); ++r) {
        const std::size_t k = chosen.chosen[r];
        const Candidate& c = candidates[k];
        ProposedSite site;
        site.candidate = k;
        site.site_id = result.proposed_cells[first_cell_of_site[r]].site_id;
        site.candidate_id = c.id;
        site.lat_deg = c.lat_deg;
        site.lon_deg = c.lon_deg;
        site.x_m = c.x_m;
        site.y_m = c.y_m;
        site.antenna_height_agl_m =
            result.proposed_cells[first_cell_of_site[r]].antenna_height_agl_m;
        site.azimuth_rotation_deg = c.azimuth_rotation_deg;
        site.elec_tilt_deg = c.elec_tilt_deg;
        site.ground_m = c.ground_m;
        site.gain_km2 = chosen.gains[r] * objective.pixel_km2;
        cumulative += chosen.gains[r];
        site.cumulative_km2 = cumulative * objective.pixel_km2;
        site.cumulative_share_pct =
            objective_weight > 0.0 ? 100.0 * cumulative / objective_weight : 0.0;
        const BorderVerdict& v = verdicts[k];
        site.worst_margin_db = v.worst_margin_db;
        site.margin_db_per_rule = v.margin_db_per_rule;
        std::set<std::int32_t> ids;
        for (std::uint32_t i : covers[k])
            if (!covered[i]) {
                covered[i] = 1;
                first_site[i] = std::int32_t(r + 1);
                ids.insert(objective.gap_id[i]);
            }
        site.gap_ids.assign(ids.begin(), ids.end());
        result.sites.push_back(std::move(site));
    }

    // 5. The files.
    std::vector<Product> products;
    const auto add_text = [&](const std::string& file, const std::string& content,
                              const std::string& holds, const std::string& unit) {
        outputs.add_text(out_dir / file, content);
        products.push_back({file, holds, unit});
    };
    add_text("proposed_sites.csv", sites_text,
             "the proposed sites' cells as a grenzfunk sites file (add it as a [[sites]] file)",
             "");
    for (const auto& [copy, source] : pattern_copies)
        add_text(copy, io::detail::read_text_file(source, "antenna pattern file"),
                 "the template's antenna pattern file, named by proposed_sites.csv", "");
    {
        std::string t =
            "rank,site_id,candidate_id,lat_deg,lon_deg,antenna_height_agl_m,"
            "azimuth_rotation_deg,elec_tilt_deg,ground_m,gap_closed_km2,cumulative_km2,"
            "cumulative_share_pct,border_worst_margin_db";
        // A column per rule that applies to some proposed cell.
        std::vector<std::size_t> shown;
        if (rules)
            for (std::size_t q = 0; q < rules->size(); ++q)
                for (const ProposedSite& p : result.sites)
                    if (q < p.margin_db_per_rule.size() && !std::isnan(p.margin_db_per_rule[q])) {
                        shown.push_back(q);
                        t += ",margin_db_" + (*rules)[q].id;
                        break;
                    }
        t += ",gap_ids\n";
        for (std::size_t r = 0; r < result.sites.size(); ++r) {
            const ProposedSite& p = result.sites[r];
            t += std::to_string(r + 1) + "," + p.site_id + "," + text::csv_field(p.candidate_id) +
                 "," + text::format_fixed(p.lat_deg, 6) + "," + text::format_fixed(p.lon_deg, 6) +
                 "," + text::format_fixed(p.antenna_height_agl_m, 1) + "," +
                 text::format_fixed(p.azimuth_rotation_deg, 1) + "," +
                 text::format_fixed(p.elec_tilt_deg, 1, "") + "," +
                 text::format_fixed(p.ground_m, 1) + "," + km2(p.gain_km2) + "," +
                 km2(p.cumulative_km2) + "," + text::format_fixed(p.cumulative_share_pct, 2) + "," +
                 text::format_fixed(p.worst_margin_db, 2, "");
            for (std::size_t q : shown)
                t += "," + text::format_fixed(p.margin_db_per_rule[q], 2, "");
            std::string ids;
            for (std::int32_t id : p.gap_ids) ids += (ids.empty() ? "" : ";") + std::to_string(id);
            t += "," + ids + "\n";
        }
        add_text("proposed_sites_table.csv", t,
                 "per proposed site: gap area closed, cumulative share of the gap area, border "
                 "margin per rule, the gaps it serves",
                 "km2, %, dB");
    }
    {
        std::string t =
            "index,candidate_id,lat_deg,lon_deg,antenna_height_agl_m,azimuth_rotation_deg,"
            "elec_tilt_deg,ground_m,gain_alone_km2,border_checked,border_worst_margin_db,"
            "border_pass,proposed_rank\n";
        std::vector<std::size_t> rank(candidates.size(), 0);
        for (std::size_t r = 0; r < chosen.chosen.size(); ++r) rank[chosen.chosen[r]] = r + 1;
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            const Candidate& c = candidates[k];
            double alone = 0.0;
            for (std::uint32_t i : covers[k]) alone += objective.weight[i];
            const BorderVerdict& v = verdicts[k];
            t += std::to_string(k) + "," + text::csv_field(c.id) + "," +
                 text::format_fixed(c.lat_deg, 6) + "," + text::format_fixed(c.lon_deg, 6) + "," +
                 text::format_fixed(cand_plan.cells[existing + k * per_site].antenna_height_agl_m,
                                    1) +
                 "," + text::format_fixed(c.azimuth_rotation_deg, 1) + "," +
                 text::format_fixed(c.elec_tilt_deg, 1, "") + "," +
                 text::format_fixed(c.ground_m, 1) + "," + km2(alone * objective.pixel_km2) + "," +
                 (v.checked ? "yes" : "no") + "," + text::format_fixed(v.worst_margin_db, 2, "") +
                 "," + (v.checked ? (v.pass ? "yes" : "no") : "") + "," +
                 (rank[k] ? std::to_string(rank[k]) : std::string()) + "\n";
        }
        add_text("candidates.csv", t,
                 "every candidate site: position, antenna height, gap area it would close alone, "
                 "border check where made",
                 "km2, dB");
    }
    {
        std::string t = "k,greedy_km2,highest_km2,random_km2\n";
        const std::size_t rows = std::size_t(settings.max_sites);
        const auto at = [](const std::vector<double>& v, std::size_t i) {
            return i < v.size() ? km2(v[i]) : std::string();
        };
        for (std::size_t i = 0; i < rows; ++i)
            t += std::to_string(i + 1) + "," + at(result.greedy_curve_km2, i) + "," +
                 at(result.highest_curve_km2, i) + "," + at(result.random_curve_km2, i) + "\n";
        add_text("comparison.csv", t,
                 "gap area closed by k sites: greedy, the k highest candidates, k random "
                 "candidates (seed " +
                     std::to_string(request.random_seed) + "), same constraints",
                 "km2");
    }
    add_text("gap_statistics.csv", gap_statistics_csv(before.statistics, after.statistics),
             "gap area and covered share per country, region and distance band, before and "
             "after the proposed sites",
             "km2, %");
    add_text("gap_statistics.json",
             gap_statistics_json(before.statistics, after.statistics, before.gaps.gaps.size(),
                                 after.gaps.gaps.size())
                     .dump(2) +
                 "\n",
             "the same as JSON, with pixel counts", "km2");
    add_text("before/statistics.csv", analysis::statistics_csv(before.statistics),
             "the scenario's statistics.csv without the proposed sites", "km2, %, dB");
    add_text("before/statistics.json", report::statistics_json(before.statistics),
             "the same as JSON", "km2, %, dB");
    add_text("after/statistics.csv", analysis::statistics_csv(after.statistics),
             "statistics.csv of the scenario with proposed_sites.csv added (a rerun gives the "
             "same bytes)",
             "km2, %, dB");
    add_text("after/statistics.json", report::statistics_json(after.statistics), "the same as JSON",
             "km2, %, dB");
    const std::map<std::string, std::string> metadata = plan_metadata(after_plan);
    {
        Raster<std::int32_t> newly(base_plan.area.grid, -1);
        for (std::size_t i = 0; i < objective.pixels.size(); ++i)
            newly.values[objective.pixels[i]] = first_site[i];
        io::RasterWriteOptions w;
        w.band_description =
            "gap pixels (before) closed by the proposed sites: the rank of the first site that "
            "covers it; 0 = still a gap; nodata -1 = no gap before";
        w.unit = "rank";
        w.metadata = metadata;
        outputs.add_geotiff(out_dir / "newly_covered.tif", newly, w);
        products.push_back({"newly_covered.tif", w.band_description, "rank"});
    }
    const report::GapFiles remaining = report::gap_polygon_files(
        after.gaps, after_stage->zone_names().regions, after_stage->zone_names().groups,
        {sites_point_layer(result.sites)});
    add_text("plan_layers.gpkg", remaining.gpkg,
             "the gaps left with the proposed sites (layer gaps) and the proposed sites (layer "
             "proposed_sites), grid CRS",
             "km2, dBm, km, m");
    add_text("remaining_gaps.geojson", remaining.geojson, "the same gaps in WGS84", "km2");
    add_text("proposed_sites.geojson", geojson_points(result.sites),
             "the proposed sites as points (WGS84) with rank and gap area closed", "km2");
    {
        report::CoverageKmzInput kmz;
        kmz.title = s.name + " plan";
        const analysis::Composites& c = after_stage->composites();
        Raster<float> best = c.best_level_dbm[0];
        for (std::size_t p = 0; p < best.values.size(); ++p) {
            const float other = c.best_level_dbm[1].values[p];
            if (std::isnan(best.values[p]) || other > best.values[p]) best.values[p] = other;
        }
        kmz.best_level_dbm = &best;
        for (std::size_t slot = 0; slot < c.technologies.size(); ++slot) {
            report::CoverageKmzClassLayer layer;
            layer.name = std::string(technology_name(c.technologies[slot])) +
                         " coverage classes with the proposed sites";
            layer.classes = &after.maps.classes[slot];
            for (const auto& e : analysis::class_legend(c.technologies[slot], ao))
                layer.legend.push_back({e.value, e.name, e.red, e.green, e.blue});
            kmz.class_layers.push_back(std::move(layer));
        }
        kmz.gaps_geojson = remaining.geojson;
        kmz.cells = result.proposed_cells;
        add_text("plan.kmz", report::coverage_kmz(kmz),
                 "Google Earth: coverage with the proposed sites, remaining gaps, proposed sites",
                 "dBm");
    }
    // The border package of the proposed cells alone (report/package.hpp).
    std::unique_ptr<BorderStage> package;
    io::Scenario package_scenario = s;
    package_scenario.exports.directory.clear();  // <output>/regulator_package
    std::map<std::string, std::string> package_holds;
    if (after_plan.border) {
        std::vector<Cell> cells;
        std::vector<std::shared_ptr<const antenna::AntennaPattern>> patterns;
        std::vector<io::PointM> positions;
        std::vector<double> north;
        for (std::size_t i = existing; i < after_plan.cells.size(); ++i) {
            cells.push_back(after_plan.cells[i]);
            patterns.push_back(after_plan.patterns[i]);
            positions.push_back(after_plan.positions[i]);
            north.push_back(after_plan.north_azimuth_deg[i]);
        }
        package = BorderStage::prepare(package_scenario, cells, patterns, positions, north,
                                       after_plan.area.grid);
        // The package's stations are the proposed cells: proposed_sites.csv beside the package.
        package->set_station_inputs(
            {{"proposed sites", "proposed_sites.csv (grenzfunk plan's output folder)",
              io::sha256_hex(sites_text)}});
        package->run(terrain, nullptr, metadata, outputs, out_dir, after_plan.creation_time,
                     observer, cancel);
        for (const auto& f : package->package_files())
            package_holds[(package->package_directory(out_dir) / f.name)
                              .lexically_relative(out_dir)
                              .generic_string()] = "regulator package: " + f.holds;
    }
    result.total_s = seconds_since(t_start);
    {
        nlohmann::ordered_json j;
        j["software"] = std::string("grenzfunk ") + version_string;
        j["scenario"] = s.path;
        j["scenario_sha256"] = s.sha256;
        j["method"] = selection_method_name(request.method);
        j["random_seed"] = request.random_seed;
        j["candidates"] = result.candidates;
        j["candidate_positions"] = result.candidate_positions;
        j["candidate_transmitters"] = result.candidate_transmitters;
        j["objective_km2"] = result.objective_before_km2;
        j["proposed_sites"] = result.sites.size();
        j["closed_km2"] = result.closed_km2;
        j["predicted_closed_km2"] = result.predicted_closed_km2;
        j["closed_pixels"] = closed_pixels;
        j["predicted_closed_pixels"] = predicted_pixels;
        j["consistent"] = closed_pixels == predicted_pixels;
        j["border_checks"] = result.border_checks;
        j["border_rejected"] = result.border_rejected;
        j["border_check_transmitters"] = result.border_check_transmitters;
        j["border_margin_db"] = settings.border_margin_db;
        j["gaps_before"] = before.gaps.gaps.size();
        j["gaps_after"] = after.gaps.gaps.size();
        add_text("plan.json", j.dump(2) + "\n",
                 "the search: method, candidates, objective, closed area, border checks", "km2");
    }
    RunContext run{after_plan, outputs,       observer, cancel, metadata,
                   products,   package_holds, {},       {}};
    outputs.add_text(out_dir / "manifest.json", run_manifest_json(run), "this list of outputs");
    if (cancel.load()) throw Cancelled();
    outputs.commit();

    for (const Product& p : products) result.files.push_back(p.file);
    for (const auto& [file, holds] : package_holds) result.files.push_back(file);
    result.files.push_back("manifest.json");
    const auto line = [&](const std::string& l) { result.lines.push_back(l); };
    line(std::to_string(result.candidates) + " candidate sites at " +
         std::to_string(result.candidate_positions) + " positions (" +
         std::to_string(result.candidate_transmitters) +
         " path-loss computations); gap area to close " +
         text::format_fixed(result.objective_before_km2, 2) + " km2 (" +
         std::to_string(before.gaps.gaps.size()) + " gaps)");
    line(std::string(selection_method_name(request.method)) + ": " +
         std::to_string(result.sites.size()) + " sites close " +
         text::format_fixed(result.closed_km2, 2) + " km2 (" +
         text::format_fixed(objective_weight > 0.0 ? 100.0 * closed_weight / objective_weight : 0.0,
                            1) +
         " %); " + std::to_string(after.gaps.gaps.size()) + " gaps remain");
    line(std::string("check: ") + std::to_string(predicted_pixels) +
         " pixels closed by the selection, " + std::to_string(closed_pixels) +
         " in the run with the proposed sites" +
         (closed_pixels == predicted_pixels ? " (equal)" : " (DIFFERENT: please report)"));
    if (cand_plan.border)
        line("border check: " + std::to_string(result.border_checks) + " candidates checked (" +
             std::to_string(result.border_check_transmitters) + " positions and heights), " +
             std::to_string(result.border_rejected) + " over the margin of " +
             text::format_fixed(settings.border_margin_db, 1) + " dB; " +
             text::format_fixed(
                 result.border_check_transmitters
                     ? 1000.0 * result.border_check_s / double(result.border_check_transmitters)
                     : 0.0,
                 1) +
             " ms per position and height");
    line("time: existing sites " + text::format_fixed(result.base_s, 1) + " s, candidates " +
         text::format_fixed(result.candidates_s, 1) + " s, selection " +
         text::format_fixed(result.search_s, 1) + " s, with the proposal " +
         text::format_fixed(result.after_s, 1) + " s, total " +
         text::format_fixed(result.total_s, 1) + " s");
    return result;
}

}  // namespace grenzfunk::pipeline
