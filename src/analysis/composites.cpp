#include "analysis/composites.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

#include "core/channels.hpp"
#include "core/error.hpp"
#include "core/text_format.hpp"
#include "core/units.hpp"

namespace grenzfunk::analysis {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::string mhz_name(double mhz) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << std::setprecision(10) << mhz;
    std::string s = out.str();
    for (char& c : s)
        if (c == '.') c = 'p';
    return s + "mhz";
}

constexpr std::uint32_t kNoCell = std::numeric_limits<std::uint32_t>::max();

}  // namespace

std::string layer_name(Technology technology, double frequency_mhz, double bandwidth_mhz) {
    std::string s = text::to_lower(technology_name(technology));
    s.append("_").append(mhz_name(frequency_mhz)).append("_").append(mhz_name(bandwidth_mhz));
    return s;
}

AnalysisCells describe_cells(const std::vector<Cell>& cells, const std::vector<double>& x_m,
                             const std::vector<double>& y_m, const std::string& home_country,
                             const AnalysisOptions& options) {
    AnalysisCells out;
    std::array<bool, kTechnologyCount> present{};
    std::map<std::tuple<std::size_t, double, double>, std::uint32_t> layer_index;
    std::map<std::string, std::uint16_t> operator_index;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const Cell& c = cells[i];
        AnalysisCell a;
        a.radio = cell_radio(c, options);
        a.group = c.country == home_country ? 0 : 1;
        a.x_m = x_m[i];
        a.y_m = y_m[i];
        a.site_id = c.site_id;
        present[technology_index(c.technology)] = true;
        auto [it, inserted] = layer_index.emplace(
            std::make_tuple(technology_index(c.technology), c.frequency_mhz, c.bandwidth_mhz),
            std::uint32_t(out.layers.size()));
        if (inserted) {
            Layer l;
            l.name = layer_name(c.technology, c.frequency_mhz, c.bandwidth_mhz);
            l.technology = c.technology;
            l.frequency_mhz = c.frequency_mhz;
            l.bandwidth_mhz = c.bandwidth_mhz;
            l.channel = channels::channel_text(c);
            l.noise_bandwidth_hz = a.radio.noise_bandwidth_hz;
            l.noise_dbm = units::thermal_noise_dbm(l.noise_bandwidth_hz) + options.noise_figure_db;
            out.layers.push_back(l);
        }
        a.layer = it->second;
        out.layers[a.layer].group_mask |= std::uint8_t(1u << a.group);
        const std::string op = c.operator_name.empty() ? "(no operator)" : c.operator_name;
        auto [oit, new_operator] = operator_index.emplace(op, std::uint16_t(out.operators.size()));
        if (new_operator) {
            // Composites::layer_operator holds the index as int16.
            if (out.operators.size() >= 32767)
                throw InputError(c.source + ": operator: more than 32767 operator names");
            out.operators.push_back(op);
        }
        a.operator_index = oit->second;
        std::vector<std::uint16_t>& ops = out.layers[a.layer].operators;
        if (std::find(ops.begin(), ops.end(), a.operator_index) == ops.end()) {
            ops.push_back(a.operator_index);
            std::sort(ops.begin(), ops.end());
        }
        out.cells.push_back(a);
    }
    out.interferers.resize(out.layers.size());
    for (std::size_t v = 0; v < out.layers.size(); ++v)
        for (std::size_t j = 0; j < out.layers.size(); ++j) {
            if (j == v) continue;
            const Layer& victim = out.layers[v];
            const Layer& other = out.layers[j];
            const double w = channels::interference_weight(
                victim.frequency_mhz, victim.bandwidth_mhz, other.frequency_mhz,
                other.bandwidth_mhz, options.acir_db);
            if (w > 0.0) out.interferers[v].emplace_back(std::uint32_t(j), w);
        }
    std::array<std::uint8_t, kTechnologyCount> slot_of{};
    for (std::size_t t = 0; t < kTechnologyCount; ++t)
        if (present[t]) {
            slot_of[t] = std::uint8_t(out.technologies.size());
            out.technologies.push_back(Technology(t));
        }
    for (AnalysisCell& a : out.cells) a.slot = slot_of[technology_index(a.radio.technology)];
    return out;
}

CompositeSink::CompositeSink(const GridSpec& grid, const AnalysisCells& cells,
                             std::vector<std::uint8_t> pixel_group, const AnalysisOptions& options)
    : grid_(grid),
      n_(grid.pixel_count()),
      cells_(cells),
      pixel_group_(std::move(pixel_group)),
      options_(options),
      slots_(cells.technologies.size()),
      cap_(std::size_t(std::max(1, options.overlap_count_cap))) {
    if (pixel_group_.empty()) pixel_group_.assign(n_, 0);
    best_metric_.assign(kGroupCount * slots_ * n_, kNaN);
    best_level_.assign(kGroupCount * n_, kNaN);
    layer_best_.assign(cells.layers.size() * n_, kNaN);
    layer_best_cell_.assign(cells.layers.size() * n_, kNoCell);
    layer_sum_mw_.assign(cells.layers.size() * n_, 0.0);
    top_.assign(slots_ * n_ * cap_, kNaN);
    best_cell_.assign(slots_ * n_, -1);
}

std::size_t CompositeSink::state_bytes() const {
    return (best_metric_.size() + best_level_.size() + layer_best_.size() + top_.size()) *
               sizeof(float) +
           layer_sum_mw_.size() * sizeof(double) + layer_best_cell_.size() * sizeof(std::uint32_t) +
           pixel_group_.size() + best_cell_.size() * sizeof(std::int32_t);
}

void CompositeSink::add(std::size_t pixel, std::uint32_t cell, float level_dbm) noexcept {
    const AnalysisCell& c = cells_.cells[cell];
    auto raise = [](float& best, float v) {
        if (std::isnan(best) || v > best) best = v;
    };
    raise(best_level_[c.group * n_ + pixel], level_dbm);
    const float metric = float(level_dbm + c.radio.metric_offset_db);
    float& best_metric = best_metric_[(c.group * slots_ + c.slot) * n_ + pixel];
    if (pixel_group_[pixel] == c.group) {
        // The serving cell: calls for a pixel do not come in cell order (cells sharing a
        // transmitter come together), so a tie is settled by the index, as in the engine.
        std::int32_t& server = best_cell_[c.slot * n_ + pixel];
        const auto index = std::int32_t(cell);
        if (server < 0 || metric > best_metric || (metric == best_metric && index < server))
            server = index;
    }
    raise(best_metric, metric);
    const std::size_t li = std::size_t(c.layer) * n_ + pixel;
    // Ties go to the lower cell index, as for the serving cell above and the engine's best server.
    if (std::isnan(layer_best_[li]) || level_dbm > layer_best_[li] ||
        (level_dbm == layer_best_[li] && cell < layer_best_cell_[li])) {
        layer_best_[li] = level_dbm;
        layer_best_cell_[li] = cell;
    }
    layer_sum_mw_[li] += units::dbm_to_mw(level_dbm);

    if (pixel_group_[pixel] != c.group) return;
    // Insert into the descending top-k list (NaN = empty slot).
    float* top = &top_[(c.slot * n_ + pixel) * cap_];
    std::size_t pos = cap_;
    for (std::size_t i = 0; i < cap_; ++i)
        if (std::isnan(top[i]) || metric > top[i]) {
            pos = i;
            break;
        }
    if (pos == cap_) return;
    for (std::size_t i = cap_ - 1; i > pos; --i) top[i] = top[i - 1];
    top[pos] = metric;
}

Composites CompositeSink::finish(const std::vector<std::uint8_t>& mask) const {
    Composites out;
    out.grid = grid_;
    out.technologies = cells_.technologies;
    out.best_metric_dbm.resize(kGroupCount);
    for (int g = 0; g < kGroupCount; ++g) {
        out.best_level_dbm.emplace_back(grid_, kNaN);
        std::copy_n(best_level_.begin() + std::ptrdiff_t(g * n_), n_,
                    out.best_level_dbm[g].values.begin());
        for (std::size_t s = 0; s < slots_; ++s) {
            Raster<float> r(grid_, kNaN);
            std::copy_n(best_metric_.begin() + std::ptrdiff_t((g * slots_ + s) * n_), n_,
                        r.values.begin());
            out.best_metric_dbm[g].push_back(std::move(r));
        }
    }
    out.best_rsrp_dbm = Raster<float>(grid_, kNaN);
    for (std::size_t s = 0; s < slots_; ++s) {
        if (cells_.technologies[s] != Technology::lte && cells_.technologies[s] != Technology::nr)
            continue;
        for (int g = 0; g < kGroupCount; ++g)
            for (std::size_t p = 0; p < n_; ++p) {
                const float v = out.best_metric_dbm[g][s].values[p];
                float& best = out.best_rsrp_dbm.values[p];
                if (!std::isnan(v) && (std::isnan(best) || v > best)) best = v;
            }
    }

    const double load = options_.interference_load_pct / 100.0;
    const double location_margin =
        location_margin_db(options_.location_probability_pct, options_.location_sigma_db);
    const std::size_t gap_k = std::size_t(options_.effective_gap_class()) - 1;
    for (std::size_t l = 0; l < cells_.layers.size(); ++l) {
        Raster<float> sinr(grid_, kNaN);
        Raster<std::int16_t> server(grid_, -1);
        const double noise_mw = units::dbm_to_mw(cells_.layers[l].noise_dbm);
        const auto& others = cells_.interferers[l];
        const double covered_metric_dbm =
            options_.thresholds_dbm[technology_index(cells_.layers[l].technology)][gap_k] +
            location_margin;
        for (std::size_t p = 0; p < n_; ++p) {
            const float s_dbm = layer_best_[l * n_ + p];
            if (std::isnan(s_dbm) || !mask[p]) continue;
            const double s_mw = units::dbm_to_mw(s_dbm);
            double i_mw = std::max(0.0, layer_sum_mw_[l * n_ + p] - s_mw);
            for (const auto& [j, w] : others) i_mw += w * layer_sum_mw_[j * n_ + p];
            sinr.values[p] = float(s_dbm - units::mw_to_dbm(i_mw * load + noise_mw));
            const AnalysisCell& best = cells_.cells[layer_best_cell_[l * n_ + p]];
            if (s_dbm + best.radio.metric_offset_db >= covered_metric_dbm)
                server.values[p] = std::int16_t(best.operator_index);
        }
        out.sinr_db.push_back(std::move(sinr));
        out.layer_operator.push_back(std::move(server));
    }

    const float margin = float(options_.overlap_margin_db);
    for (std::size_t s = 0; s < slots_; ++s) {
        Raster<std::uint8_t> count(grid_, 255);
        for (std::size_t p = 0; p < n_; ++p) {
            if (!mask[p]) continue;
            const float* top = &top_[(s * n_ + p) * cap_];
            std::uint8_t k = 0;
            if (!std::isnan(top[0]))
                while (k < cap_ && !std::isnan(top[k]) && top[k] >= top[0] - margin) ++k;
            count.values[p] = k;
        }
        out.overlap_count.push_back(std::move(count));
        Raster<std::int32_t> server(grid_, -1);
        for (std::size_t p = 0; p < n_; ++p)
            if (mask[p]) server.values[p] = best_cell_[s * n_ + p];
        out.best_cell.push_back(std::move(server));
    }
    // Nodata outside the mask for the float composites too.
    for (std::size_t p = 0; p < n_; ++p) {
        if (mask[p]) continue;
        out.best_rsrp_dbm.values[p] = kNaN;
        for (int g = 0; g < kGroupCount; ++g) {
            out.best_level_dbm[g].values[p] = kNaN;
            for (auto& r : out.best_metric_dbm[g]) r.values[p] = kNaN;
        }
    }
    return out;
}

}  // namespace grenzfunk::analysis
