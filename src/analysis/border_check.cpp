#include "analysis/border_check.hpp"

#include <tbb/blocked_range.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/units.hpp"
#include "engine/path_builder.hpp"
#include "propagation/registry.hpp"

namespace grenzfunk::analysis {

namespace {

struct Transmitter {
    double x_m, y_m, height_agl_m, frequency_mhz, lat_deg, lon_deg;
    double ground_m;
};

// What a model needs from one path, and the geometry the antenna pattern needs.
struct PathValue {
    float loss_db = NAN;
    float elevation_deg = NAN;
    float grid_azimuth_deg = NAN;
    float path_km = NAN;
    std::uint32_t flags = 0;
};

// One path by the engine's path builder (engine/path_builder.hpp): profile, path centre and
// the direction for the antenna pattern as on the reference engine.
PathValue compute_path(const Transmitter& t, const propagation::PropagationModel& model,
                       double rx_height_agl_m, double x_m, double y_m,
                       const terrain::TerrainModel& terrain, const engine::LonLatOf* lon_lat_of,
                       double step_m, const BorderCheckOptions& options,
                       std::vector<double>& profile) {
    PathValue v;
    const double dx = x_m - t.x_m, dy = y_m - t.y_m;
    const double distance_m = std::max(std::sqrt(dx * dx + dy * dy), 1.0);
    if (distance_m > options.max_path_km * 1000.0 || std::isnan(t.ground_m)) return v;
    engine::PathEnd tx, rx;
    tx.x_m = t.x_m;
    tx.y_m = t.y_m;
    tx.lon_deg = t.lon_deg;
    tx.lat_deg = t.lat_deg;
    tx.height_agl_m = t.height_agl_m;
    rx.x_m = x_m;
    rx.y_m = y_m;
    rx.height_agl_m = rx_height_agl_m;
    // The point's lon/lat (path centre) only for models that read it (model.hpp).
    if (lon_lat_of && *lon_lat_of && model.needs_path_position())
        (*lon_lat_of)(x_m, y_m, rx.lon_deg, rx.lat_deg);
    engine::PathSettings settings;
    settings.frequency_mhz = t.frequency_mhz;
    settings.profile_step_m = step_m;
    settings.needs_profile = model.needs_terrain_profile();
    engine::BuiltPath path;
    if (!engine::build_path(terrain, tx, rx, settings, profile, path)) return v;
    const propagation::PathResult r = model.loss(path.query);
    if (!std::isfinite(r.loss_db)) return v;
    v.loss_db = float(r.loss_db);
    v.flags = r.flags;
    v.elevation_deg = float(engine::antenna_elevation_deg(
        t.ground_m + t.height_agl_m, path.rx_ground_m + rx_height_agl_m, path.distance_m,
        options.effective_earth_radius_m));
    v.grid_azimuth_deg = float(engine::grid_azimuth_deg(dx, dy));
    v.path_km = float(distance_m / 1000.0);
    return v;
}

double gain_towards(const BorderCell& c, const PathValue& v) {
    if (!c.relative_gain_db) return 0.0;
    return c.relative_gain_db(
        engine::true_azimuth_deg(double(v.grid_azimuth_deg), c.true_north_grid_azimuth_deg),
        double(v.elevation_deg));
}

// Shared set-up of the check and the raster.
struct Plan {
    std::vector<Transmitter> transmitters;
    std::vector<std::size_t> cell_tx;   // cell -> transmitter
    std::vector<std::size_t> rule_rep;  // rule -> first rule with the same model set-up
    std::vector<std::vector<std::size_t>> applicable;  // cell -> rules
    std::vector<std::vector<double>> normalisation;    // cell -> per applicable rule
    double step_m = 0.0;
};

Plan make_plan(const std::vector<BorderCell>& cells, const std::vector<BorderRule>& rules,
               const std::vector<std::unique_ptr<propagation::PropagationModel>>& models,
               const terrain::TerrainModel& terrain, const BorderCheckOptions& options) {
    if (models.size() != rules.size())
        throw std::invalid_argument("border check: one model per rule expected");
    Plan p;
    p.step_m = options.profile_step_m > 0.0 ? options.profile_step_m : terrain.grid().pixel_size_m;
    std::map<std::tuple<double, double, double, double>, std::size_t> tx_index;
    for (const BorderCell& c : cells) {
        const auto key =
            std::make_tuple(c.x_m, c.y_m, c.cell.antenna_height_agl_m, c.cell.frequency_mhz);
        auto [it, inserted] = tx_index.emplace(key, p.transmitters.size());
        if (inserted)
            p.transmitters.push_back({c.x_m, c.y_m, c.cell.antenna_height_agl_m,
                                      c.cell.frequency_mhz, c.cell.lat_deg, c.cell.lon_deg,
                                      terrain.elevation_at(c.x_m, c.y_m)});
        p.cell_tx.push_back(it->second);
    }
    std::map<std::string, std::size_t> rep_of;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        std::string key =
            std::string(models[r]->name()) + "|" + std::to_string(rules[r].rx_height_agl_m);
        for (const auto& [k, v] : models[r]->parameters()) key += "|" + k + "=" + v;
        auto [it, inserted] = rep_of.emplace(key, r);
        p.rule_rep.push_back(it->second);
    }
    for (const BorderCell& c : cells) {
        std::vector<std::size_t> list;
        std::vector<double> norm;
        for (std::size_t r = 0; r < rules.size(); ++r)
            if (rule_applies(rules[r], c.cell, c.code_status)) {
                list.push_back(r);
                norm.push_back(bandwidth_normalisation_db(rules[r].reference_bandwidth_mhz,
                                                          c.cell.bandwidth_mhz));
            }
        p.applicable.push_back(std::move(list));
        p.normalisation.push_back(std::move(norm));
    }
    return p;
}

void check_cancel(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) throw BorderCancelled();
}

}  // namespace

std::vector<std::unique_ptr<propagation::PropagationModel>> create_rule_models(
    const std::vector<BorderRule>& rules, const std::vector<BorderCell>& cells,
    const ModelResourcesFor& resources) {
    std::vector<std::unique_ptr<propagation::PropagationModel>> out;
    for (const BorderRule& rule : rules) {
        const std::string context = rule.where + ": rule '" + rule.id + "'";
        ParameterSet params;
        for (const auto& [k, v] : rule.model_parameters.values()) params.set(k, v);
        if (params.contains("time_percent") || params.contains("location_percent"))
            throw InputError(context +
                             ": give time_percent and location_percent in the rule, "
                             "not in its model_parameters");
        params.set("time_percent", rule.time_percent);
        params.set("location_percent", rule.location_percent);
        try {
            const propagation::ModelResources res =
                resources ? resources(rule.model, params, context) : propagation::ModelResources{};
            out.push_back(propagation::create_model(rule.model, params, res));
        } catch (const InputError& e) {
            throw InputError(context + ": " + e.what());
        }
        // Models without time/location variability (free space, Hata...) leave the two
        // percentages unread; that is allowed (the report shows the model's parameters).
        auto unused = params.unconsumed_keys();
        unused.erase("time_percent");
        unused.erase("location_percent");
        if (!unused.empty())
            throw InputError(context + ": model_parameters." + *unused.begin() +
                             ": not a parameter of model '" + rule.model + "'");
        for (const BorderCell& c : cells)
            if (rule_applies(rule, c.cell, c.code_status))
                propagation::require_frequency_in_range(
                    *out.back(), c.cell.frequency_mhz,
                    context + ": cell " + c.cell.cell_id + " (" + c.cell.source + ")");
    }
    return out;
}

BorderReport run_border_check(
    const std::vector<BorderCell>& cells, const std::vector<BorderRule>& rules,
    const std::vector<std::unique_ptr<propagation::PropagationModel>>& models,
    const BorderGeometry& geometry, const terrain::TerrainModel& terrain,
    const BorderCheckOptions& options, const BorderProgress& progress,
    const std::atomic<bool>* cancel) {
    const Plan plan = make_plan(cells, rules, models, terrain, options);
    const engine::LonLatOf* geo = &options.lon_lat_of;
    for (const BorderRule& r : rules)
        if (!geometry.line_at(r.distance_km * 1000.0))
            throw std::invalid_argument("border check: no line at " +
                                        std::to_string(r.distance_km) + " km for rule " + r.id);

    // Path values per (line distance, transmitter, rule representative), computed once.
    using JobKey = std::tuple<double, std::size_t, std::size_t>;
    std::map<JobKey, std::vector<PathValue>> paths;
    for (std::size_t i = 0; i < cells.size(); ++i)
        for (std::size_t r : plan.applicable[i])
            paths.emplace(JobKey{rules[r].distance_km, plan.cell_tx[i], plan.rule_rep[r]},
                          std::vector<PathValue>{});
    double total = 0.0, done = 0.0;
    for (const auto& [key, unused] : paths)
        total += double(geometry.line_at(std::get<0>(key) * 1000.0)->samples.size());
    for (auto& [key, path_values] : paths) {
        check_cancel(cancel);
        std::vector<PathValue>& values = path_values;  // clang 14 cannot capture a binding
        const auto& [distance_km, tx, rep] = key;
        const BorderLine& line = *geometry.line_at(distance_km * 1000.0);
        values.resize(line.samples.size());
        const Transmitter& t = plan.transmitters[tx];
        const propagation::PropagationModel& model = *models[rep];
        const double rx_h = rules[rep].rx_height_agl_m;
        core::parallel_for(tbb::blocked_range<std::size_t>(0, line.samples.size(), 16),
                           [&](const auto& range) {
                               thread_local std::vector<double> profile;
                               for (std::size_t s = range.begin(); s != range.end(); ++s) {
                                   const XY& p = line.samples[s].point;
                                   values[s] = compute_path(t, model, rx_h, p.x_m, p.y_m, terrain,
                                                            geo, plan.step_m, options, profile);
                               }
                           });
        done += double(line.samples.size());
        if (progress) progress(done, total);
    }

    BorderReport report;
    std::map<std::string, std::size_t> site_index;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const BorderCell& c = cells[i];
        CellSummary cs;
        cs.cell = i;
        cs.code_status = c.code_status;
        for (std::size_t r : plan.applicable[i])
            if (!code_known(c.code_status) && rules[r].code_class != CodeClass::any)
                cs.both_code_classes = true;
        for (std::size_t k = 0; k < plan.applicable[i].size(); ++k) {
            const std::size_t r = plan.applicable[i][k];
            const BorderRule& rule = rules[r];
            const BorderLine& line = *geometry.line_at(rule.distance_km * 1000.0);
            const std::vector<PathValue>& values =
                paths.at(JobKey{rule.distance_km, plan.cell_tx[i], plan.rule_rep[r]});
            RuleCheck rc;
            rc.cell = i;
            rc.rule = r;
            rc.bandwidth_correction_db = plan.normalisation[i][k];
            rc.samples = line.samples.size();
            for (std::size_t s = 0; s < values.size(); ++s) {
                const PathValue& v = values[s];
                if (std::isnan(v.loss_db)) continue;
                ++rc.samples_computed;
                const double gain = gain_towards(c, v);
                const double e =
                    border_field_dbuv_per_m(c.cell.eirp_dbm, gain, v.loss_db, c.cell.frequency_mhz,
                                            rc.bandwidth_correction_db);
                if (e > rule.limit_dbuv_per_m) ++rc.samples_over_limit;
                if (std::isnan(rc.max_field_dbuv_per_m) || e > rc.max_field_dbuv_per_m) {
                    rc.max_field_dbuv_per_m = e;
                    rc.max_point = line.samples[s].point;
                    rc.max_point_path_km = v.path_km;
                    rc.max_point_gain_db = gain;
                    rc.max_point_loss_db = v.loss_db;
                    rc.max_point_flags = v.flags;
                }
            }
            rc.margin_db = rule.limit_dbuv_per_m - rc.max_field_dbuv_per_m;
            rc.pass = rc.samples_over_limit == 0;
            cs.checks.push_back(report.checks.size());
            if (!rc.pass) {
                cs.pass = false;
                ++report.failed_checks;
            }
            if (!std::isnan(rc.margin_db) &&
                (std::isnan(cs.worst_margin_db) || rc.margin_db < cs.worst_margin_db))
                cs.worst_margin_db = rc.margin_db;
            report.checks.push_back(rc);
        }
        if (plan.applicable[i].empty()) ++report.cells_without_rule;
        if (!cs.pass) ++report.failed_cells;

        auto [it, inserted] = site_index.emplace(c.cell.site_id, report.sites.size());
        if (inserted) report.sites.push_back({c.cell.site_id, c.cell.site_name});
        SiteSummary& site = report.sites[it->second];
        ++site.cells;
        site.checks += cs.checks.size();
        if (!cs.pass) ++site.failed_cells;
        for (std::size_t k : cs.checks) {
            const RuleCheck& rc = report.checks[k];
            if (!rc.pass) ++site.failed_checks;
            if (!std::isnan(rc.margin_db) &&
                (std::isnan(site.worst_margin_db) || rc.margin_db < site.worst_margin_db)) {
                site.worst_margin_db = rc.margin_db;
                site.worst_check = k;
            }
        }
        report.cells.push_back(std::move(cs));
    }
    for (std::size_t r = 0; r < rules.size(); ++r) {
        bool used = false;
        for (const auto& list : plan.applicable)
            used = used || std::find(list.begin(), list.end(), r) != list.end();
        if (!used) report.unused_rules.push_back(r);
    }
    return report;
}

Raster<float> border_exceedance_raster(
    const GridSpec& grid, const std::vector<BorderCell>& cells,
    const std::vector<BorderRule>& rules,
    const std::vector<std::unique_ptr<propagation::PropagationModel>>& models,
    const BorderGeometry& geometry, const terrain::TerrainModel& terrain,
    const BorderCheckOptions& options, const BorderProgress& progress,
    const std::atomic<bool>* cancel) {
    const Plan plan = make_plan(cells, rules, models, terrain, options);
    const engine::LonLatOf* geo = &options.lon_lat_of;
    Raster<float> out(grid, NAN);

    // The (transmitter, rule representative) pairs some cell needs, in a fixed order.
    std::map<std::pair<std::size_t, std::size_t>, std::size_t> pair_index;
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (std::size_t i = 0; i < cells.size(); ++i)
        for (std::size_t r : plan.applicable[i]) {
            const auto key = std::make_pair(plan.cell_tx[i], plan.rule_rep[r]);
            if (pair_index.emplace(key, pairs.size()).second) pairs.push_back(key);
        }
    if (pairs.empty()) return out;

    const std::vector<std::uint8_t> territory = geometry.territory_mask(grid);
    std::atomic<bool> stop{false};
    core::parallel_for(tbb::blocked_range<int>(0, grid.height, 1), [&](const auto& rows) {
        thread_local std::vector<double> profile;
        std::vector<PathValue> values(pairs.size());
        for (int row = rows.begin(); row != rows.end(); ++row) {
            if (stop.load() || (cancel && cancel->load())) {
                stop = true;
                return;
            }
            const double y = grid.centre_y_m(row);
            for (int col = 0; col < grid.width; ++col) {
                const double x = grid.centre_x_m(col);
                if (territory[std::size_t(row) * grid.width + col] != 2) continue;
                const double d_home_m = geometry.distance_to_home_m(x, y);
                for (std::size_t k = 0; k < pairs.size(); ++k)
                    values[k] =
                        compute_path(plan.transmitters[pairs[k].first], *models[pairs[k].second],
                                     rules[pairs[k].second].rx_height_agl_m, x, y, terrain, geo,
                                     plan.step_m, options, profile);
                double worst = kBorderNaN;
                for (std::size_t i = 0; i < cells.size(); ++i) {
                    for (std::size_t k = 0; k < plan.applicable[i].size(); ++k) {
                        const std::size_t r = plan.applicable[i][k];
                        if (rules[r].distance_km * 1000.0 > d_home_m + 1e-6) continue;
                        const PathValue& v =
                            values[pair_index.at({plan.cell_tx[i], plan.rule_rep[r]})];
                        if (std::isnan(v.loss_db)) continue;
                        const double e = border_field_dbuv_per_m(
                            cells[i].cell.eirp_dbm, gain_towards(cells[i], v), v.loss_db,
                            cells[i].cell.frequency_mhz, plan.normalisation[i][k]);
                        const double excess = e - rules[r].limit_dbuv_per_m;
                        if (std::isnan(worst) || excess > worst) worst = excess;
                    }
                }
                out.at(col, row) = float(worst);
            }
        }
    });
    if (stop.load()) throw BorderCancelled();
    if (progress) progress(double(grid.height), double(grid.height));
    return out;
}

}  // namespace grenzfunk::analysis
