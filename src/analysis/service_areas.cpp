#include "analysis/service_areas.hpp"

#include <tbb/blocked_range.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "core/parallel.hpp"

namespace grenzfunk::analysis {

namespace {

// Retained gap pixels of `group` whose centre lies within `radius_m` of any of `members`
// (the engine's test: distance to the pixel centre <= radius). Only the bounding box of the
// members' discs is visited.
std::size_t gap_pixels_in_reach(const GridSpec& grid, const Raster<std::int32_t>& labels,
                                const std::vector<std::uint8_t>& pixel_group, std::uint8_t group,
                                const AnalysisCells& described,
                                const std::vector<std::size_t>& members, double radius_m) {
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (std::size_t m : members) {
        const AnalysisCell& c = described.cells[m];
        x0 = std::min(x0, c.x_m - radius_m);
        x1 = std::max(x1, c.x_m + radius_m);
        y0 = std::min(y0, c.y_m - radius_m);
        y1 = std::max(y1, c.y_m + radius_m);
    }
    const int col0 = std::max(0, int(std::floor(grid.col_of(x0))));
    const int col1 = std::min(grid.width - 1, int(std::floor(grid.col_of(x1))));
    const int row0 = std::max(0, int(std::floor(grid.row_of(y1))));
    const int row1 = std::min(grid.height - 1, int(std::floor(grid.row_of(y0))));
    std::size_t count = 0;
    for (int row = row0; row <= row1; ++row)
        for (int col = col0; col <= col1; ++col) {
            const std::size_t p = std::size_t(row) * std::size_t(grid.width) + std::size_t(col);
            if (labels.values[p] <= 0 || pixel_group[p] != group) continue;
            const double x = grid.centre_x_m(col), y = grid.centre_y_m(row);
            for (std::size_t m : members) {
                const double dx = x - described.cells[m].x_m, dy = y - described.cells[m].y_m;
                if (std::sqrt(dx * dx + dy * dy) <= radius_m) {
                    ++count;
                    break;
                }
            }
        }
    return count;
}

}  // namespace

ServiceFigures compute_service_figures(const Composites& c, const CoverageMaps& maps,
                                       const GapResult& gaps, const std::vector<std::uint8_t>& mask,
                                       const std::vector<std::uint8_t>& pixel_group,
                                       const std::vector<Cell>& cells,
                                       const AnalysisCells& described, double reach_radius_m,
                                       const AnalysisOptions& options) {
    const GridSpec& grid = c.grid;
    const std::size_t n = grid.pixel_count();
    const std::size_t slots = c.technologies.size();
    const std::size_t classes = options.class_count() + 1;  // class 0 = none
    ServiceFigures out;
    out.pixel_area_km2 = grid.pixel_size_m * grid.pixel_size_m / 1e6;
    out.reach_radius_m = reach_radius_m;
    out.class_count = options.class_count();
    out.cells.assign(cells.size(), ServiceCount{0, std::vector<std::size_t>(classes, 0), 0});

    // Sites by (country, site_id), in order of their first cell; their rows.
    std::map<std::pair<std::string, std::string>, std::size_t> site_index;
    std::vector<std::size_t> site_of(cells.size());
    std::vector<std::vector<std::size_t>> site_cells;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const auto [it, inserted] = site_index.emplace(
            std::make_pair(cells[i].country, cells[i].site_id), site_cells.size());
        if (inserted) site_cells.emplace_back();
        site_of[i] = it->second;
        site_cells[it->second].push_back(i);
    }
    std::vector<std::vector<std::size_t>> row_of(site_cells.size(),
                                                 std::vector<std::size_t>(slots, 0));
    std::vector<std::size_t> all_row_of(site_cells.size(), 0);
    for (std::size_t site = 0; site < site_cells.size(); ++site) {
        const Cell& first = cells[site_cells[site].front()];
        for (std::size_t s = 0; s <= slots; ++s) {
            SiteService row;
            row.site_id = first.site_id;
            row.country = first.country;
            row.slot = s < slots ? int(s) : kAllTechnologies;
            for (std::size_t i : site_cells[site])
                if (s == slots || described.cells[i].slot == s) row.cells.push_back(i);
            if (row.cells.empty()) continue;
            if (s < slots) {
                row.count.class_pixels.assign(classes, 0);
                row_of[site][s] = out.sites.size();
            } else {
                all_row_of[site] = out.sites.size();
            }
            out.sites.push_back(std::move(row));
        }
    }

    // Served pixels: each technology's server once; a site's all-technologies row once per pixel.
    std::vector<std::size_t> pixel_sites;
    for (std::size_t p = 0; p < n; ++p) {
        if (!mask[p]) continue;
        pixel_sites.clear();
        for (std::size_t s = 0; s < slots; ++s) {
            const std::int32_t server = c.best_cell[s].values[p];
            if (server < 0) continue;
            const std::size_t k = std::min<std::size_t>(maps.classes[s].values[p], classes - 1);
            ServiceCount& cell = out.cells[std::size_t(server)];
            ++cell.best_served_pixels;
            ++cell.class_pixels[k];
            const std::size_t site = site_of[std::size_t(server)];
            ServiceCount& row = out.sites[row_of[site][s]].count;
            ++row.best_served_pixels;
            ++row.class_pixels[k];
            if (std::find(pixel_sites.begin(), pixel_sites.end(), site) == pixel_sites.end())
                pixel_sites.push_back(site);
        }
        for (std::size_t site : pixel_sites) ++out.sites[all_row_of[site]].count.best_served_pixels;
    }

    // Gap pixels in reach: one job per cell and per site row, each writing its own count.
    const std::size_t jobs = cells.size() + out.sites.size();
    core::parallel_for(tbb::blocked_range<std::size_t>(0, jobs), [&](const auto& range) {
        for (std::size_t j = range.begin(); j != range.end(); ++j) {
            if (j < cells.size()) {
                out.cells[j].gap_pixels_in_reach =
                    gap_pixels_in_reach(grid, gaps.labels, pixel_group, described.cells[j].group,
                                        described, {j}, reach_radius_m);
            } else {
                SiteService& row = out.sites[j - cells.size()];
                row.count.gap_pixels_in_reach = gap_pixels_in_reach(
                    grid, gaps.labels, pixel_group, described.cells[row.cells.front()].group,
                    described, row.cells, reach_radius_m);
            }
        }
    });
    return out;
}

std::vector<BorderMargin> border_margins(const BorderReport& report,
                                         const std::vector<BorderRule>& rules,
                                         const std::vector<std::size_t>& report_cell_of_border_cell,
                                         std::size_t cell_count) {
    std::vector<BorderMargin> out(cell_count);
    for (std::size_t i = 0; i < cell_count; ++i) out[i].cell = i;
    for (const CellSummary& summary : report.cells) {
        if (summary.cell >= report_cell_of_border_cell.size()) continue;
        const std::size_t r = report_cell_of_border_cell[summary.cell];
        if (r == kNotInReport || r >= cell_count) continue;
        BorderMargin& m = out[r];
        m.checks = summary.checks.size();
        for (std::size_t ci : summary.checks) {
            const RuleCheck& check = report.checks[ci];
            if (std::isnan(check.margin_db)) continue;  // no sample point computed
            if (std::isnan(m.worst_margin_db) || check.margin_db < m.worst_margin_db) {
                m.worst_margin_db = check.margin_db;
                m.rule_id = rules[check.rule].id;
            }
        }
    }
    return out;
}

BorderMargin worst_border_margin(const std::vector<BorderMargin>& margins,
                                 const std::vector<std::size_t>& cells) {
    BorderMargin out;
    if (!cells.empty()) out.cell = cells.front();
    for (std::size_t i : cells) {
        if (i >= margins.size()) continue;
        const BorderMargin& m = margins[i];
        out.checks += m.checks;
        if (std::isnan(m.worst_margin_db)) continue;
        if (std::isnan(out.worst_margin_db) || m.worst_margin_db < out.worst_margin_db) {
            out.worst_margin_db = m.worst_margin_db;
            out.rule_id = m.rule_id;
            out.cell = m.cell;
        }
    }
    return out;
}

}  // namespace grenzfunk::analysis
