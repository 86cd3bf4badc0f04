#include "analysis/coverage_analysis.hpp"
#include "core/text_format.hpp"

#include <tbb/blocked_range.h>

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include "analysis/radio.hpp"
#include "core/parallel.hpp"

namespace grenzfunk::analysis {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

double median_of(std::vector<float>& v) {
    if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
    const std::size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(mid), v.end());
    const double upper = v[mid];
    if (v.size() % 2 == 1) return upper;
    const double lower_value = *std::max_element(v.begin(), v.begin() + std::ptrdiff_t(mid));
    return 0.5 * (lower_value + upper);
}

}  // namespace

const char* metric_name(Technology technology) {
    switch (technology) {
        case Technology::lte:
            return "RSRP";
        case Technology::nr:
            return "SS-RSRP";
        case Technology::umts:
            return "RSCP";
        case Technology::gsm:
            return "RxLev";
        case Technology::other:
            return "level";
    }
    return "level";
}

std::vector<ClassLegendEntry> class_legend(Technology technology, const AnalysisOptions& options) {
    // Strong to weak: dark green, light green, yellow, orange, brown, purple; none: light grey.
    static constexpr std::uint8_t kColours[6][3] = {{26, 150, 65},   {166, 217, 106},
                                                    {255, 255, 102}, {253, 174, 97},
                                                    {166, 97, 26},   {123, 50, 148}};
    std::vector<ClassLegendEntry> legend;
    legend.push_back(
        {0, std::string("no ") + technology_name(technology) + " coverage", 215, 215, 215});
    const auto& thresholds = options.thresholds_dbm[technology_index(technology)];
    for (std::size_t k = 0; k < thresholds.size(); ++k) {
        ClassLegendEntry e;
        e.value = std::uint8_t(k + 1);
        e.name = std::string(technology_name(technology)) + " " + metric_name(technology) +
                 " >= " + text::format_fixed(thresholds[k], 1) + " dBm at " +
                 text::format_fixed(options.location_probability_pct, 1) + " % of locations";
        e.red = kColours[k % 6][0];
        e.green = kColours[k % 6][1];
        e.blue = kColours[k % 6][2];
        legend.push_back(e);
    }
    return legend;
}

CoverageMaps classify(const Composites& c, const std::vector<std::uint8_t>& pixel_group,
                      const std::vector<std::uint8_t>& mask, const AnalysisOptions& options,
                      std::span<const float> location_sigma_db) {
    const std::size_t n = c.grid.pixel_count();
    if (!location_sigma_db.empty() && location_sigma_db.size() != n)
        throw std::invalid_argument("classify: location_sigma_db does not match the grid");
    // The pixel's sigma: its own (land cover) or the scenario's.
    auto sigma_at = [&](std::size_t p) {
        if (location_sigma_db.empty() || std::isnan(location_sigma_db[p]))
            return options.location_sigma_db;
        return double(location_sigma_db[p]);
    };
    // margin(sigma) = sigma Q^-1(1 - p) (radio.hpp) is linear in sigma: the quantile once.
    const double unit_margin = location_margin_db(options.location_probability_pct, 1.0);
    auto margin_at = [&](std::size_t p) {
        const double sigma = sigma_at(p);
        return sigma > 0.0 ? sigma * unit_margin : 0.0;
    };
    const std::size_t gap_k = std::size_t(options.effective_gap_class()) - 1;
    CoverageMaps out;
    out.covered.assign(kGroupCount, std::vector<std::uint8_t>(n, 0));
    out.location_probability_pct = Raster<float>(c.grid, kNaN);
    for (std::size_t s = 0; s < c.technologies.size(); ++s) {
        const auto& thresholds = options.thresholds_dbm[technology_index(c.technologies[s])];
        Raster<std::uint8_t> classes(c.grid, kClassNodata);
        for (std::size_t p = 0; p < n; ++p) {
            if (!mask[p]) continue;
            const double margin = margin_at(p);
            const float own = c.best_metric_dbm[pixel_group[p]][s].values[p];
            std::uint8_t k = 0;
            if (!std::isnan(own))
                for (std::size_t i = 0; i < thresholds.size(); ++i)
                    if (own >= thresholds[i] + margin) {
                        k = std::uint8_t(i + 1);
                        break;
                    }
            classes.values[p] = k;
            for (int g = 0; g < kGroupCount; ++g) {
                const float m = c.best_metric_dbm[g][s].values[p];
                if (!std::isnan(m) && m >= thresholds[gap_k] + margin) out.covered[g][p] = 1;
            }
        }
        out.classes.push_back(std::move(classes));
    }
    for (std::size_t p = 0; p < n; ++p) {
        if (!mask[p]) continue;
        double best = 0.0;
        for (std::size_t s = 0; s < c.technologies.size(); ++s) {
            const double threshold =
                options.thresholds_dbm[technology_index(c.technologies[s])][gap_k];
            best =
                std::max(best, location_probability(c.best_metric_dbm[pixel_group[p]][s].values[p],
                                                    threshold, sigma_at(p)));
        }
        out.location_probability_pct.values[p] = float(100.0 * best);
    }
    return out;
}

Raster<float> distance_to_segments_km(const GridSpec& grid, const std::vector<std::uint8_t>& mask,
                                      const std::vector<Segment>& segments) {
    namespace bg = boost::geometry;
    namespace bgi = boost::geometry::index;
    using Point = bg::model::d2::point_xy<double>;
    using Seg = bg::model::segment<Point>;
    Raster<float> out(grid, kNaN);
    if (segments.empty()) return out;
    std::vector<Seg> values;
    values.reserve(segments.size());
    for (const Segment& s : segments)
        values.emplace_back(Point(s.x0_m, s.y0_m), Point(s.x1_m, s.y1_m));
    const bgi::rtree<Seg, bgi::rstar<16>> tree(values.begin(), values.end());
    core::parallel_for(tbb::blocked_range<int>(0, grid.height), [&](const auto& rows) {
        std::vector<Seg> nearest;
        for (int row = rows.begin(); row != rows.end(); ++row)
            for (int col = 0; col < grid.width; ++col) {
                const std::size_t p = std::size_t(row) * grid.width + col;
                if (!mask[p]) continue;
                const Point pt(grid.centre_x_m(col), grid.centre_y_m(row));
                nearest.clear();
                tree.query(bgi::nearest(pt, 1), std::back_inserter(nearest));
                out.values[p] = float(bg::distance(pt, nearest.front()) / 1000.0);
            }
    });
    return out;
}

const char* Gap::status() const {
    if (neighbour_only_pixels == 0) return "white_spot";
    if (white_spot_pixels == 0) return "neighbour_only";
    return "partly_neighbour";
}

GapResult find_gaps(const Composites& c, const CoverageMaps& maps,
                    const std::vector<std::uint8_t>& gap_area,
                    const std::vector<std::uint8_t>& pixel_group, const AnalysisCells& cells,
                    const Raster<std::int32_t>& region, const Raster<float>& border_distance_km,
                    const AnalysisOptions& options) {
    const GridSpec& grid = c.grid;
    const std::size_t n = grid.pixel_count();
    GapResult out;
    out.gap_class = Raster<std::uint8_t>(grid, kClassNodata);
    out.labels = Raster<std::int32_t>(grid, 0);
    for (std::size_t p = 0; p < n; ++p) {
        if (!gap_area[p]) continue;
        const std::uint8_t own = pixel_group[p];
        GapPixel g = GapPixel::covered;
        if (!maps.covered[own][p])
            g = maps.covered[1 - own][p] ? GapPixel::neighbour_only : GapPixel::white_spot;
        out.gap_class.values[p] = std::uint8_t(g);
    }
    auto is_gap = [&](std::size_t p) {
        return out.gap_class.values[p] == std::uint8_t(GapPixel::white_spot) ||
               out.gap_class.values[p] == std::uint8_t(GapPixel::neighbour_only);
    };

    // 4-connected components by flood fill in raster scan order (deterministic ids).
    const double pixel_area_km2 = grid.pixel_size_m * grid.pixel_size_m / 1e6;
    std::vector<std::int32_t> component(n, 0);
    std::vector<std::size_t> stack, members;
    std::int32_t next_id = 1;
    for (std::size_t start = 0; start < n; ++start) {
        if (!is_gap(start) || component[start] != 0) continue;
        const std::int32_t tentative =
            -(std::int32_t(out.gaps.size()) + 1 + std::int32_t(out.gaps_below_min_area));
        members.clear();
        stack.assign(1, start);
        component[start] = tentative;
        while (!stack.empty()) {
            const std::size_t p = stack.back();
            stack.pop_back();
            members.push_back(p);
            const int row = int(p / grid.width), col = int(p % grid.width);
            const std::pair<int, int> next[] = {
                {col - 1, row}, {col + 1, row}, {col, row - 1}, {col, row + 1}};
            for (const auto& [nc, nr] : next) {
                if (nc < 0 || nr < 0 || nc >= grid.width || nr >= grid.height) continue;
                const std::size_t q = std::size_t(nr) * grid.width + nc;
                if (component[q] == 0 && is_gap(q)) {
                    component[q] = tentative;
                    stack.push_back(q);
                }
            }
        }
        const double area_km2 = double(members.size()) * pixel_area_km2;
        if (area_km2 < options.min_gap_area_km2) {
            ++out.gaps_below_min_area;
            continue;
        }
        std::sort(members.begin(), members.end());
        Gap gap;
        gap.id = next_id++;
        gap.pixel_count = members.size();
        gap.area_km2 = area_km2;
        gap.group = pixel_group[start];
        gap.best_level_dbm = gap.best_own_level_dbm = gap.best_neighbour_level_dbm = kNaN;
        gap.min_border_distance_km = kNaN;
        double sx = 0.0, sy = 0.0;
        std::map<std::int32_t, std::size_t> region_count;
        auto raise = [](float& best, float v) {
            if (!std::isnan(v) && (std::isnan(best) || v > best)) best = v;
        };
        for (std::size_t p : members) {
            out.labels.values[p] = gap.id;
            const int row = int(p / grid.width), col = int(p % grid.width);
            sx += grid.centre_x_m(col);
            sy += grid.centre_y_m(row);
            const std::uint8_t own = pixel_group[p];
            const float own_level = c.best_level_dbm[own].values[p];
            const float other_level = c.best_level_dbm[1 - own].values[p];
            raise(gap.best_own_level_dbm, own_level);
            raise(gap.best_neighbour_level_dbm, other_level);
            raise(gap.best_level_dbm, own_level);
            raise(gap.best_level_dbm, other_level);
            if (out.gap_class.values[p] == std::uint8_t(GapPixel::white_spot))
                ++gap.white_spot_pixels;
            else
                ++gap.neighbour_only_pixels;
            if (!region.values.empty()) ++region_count[region.values[p]];
            if (!border_distance_km.values.empty()) {
                const float d = border_distance_km.values[p];
                if (!std::isnan(d) &&
                    (std::isnan(gap.min_border_distance_km) || d < gap.min_border_distance_km))
                    gap.min_border_distance_km = d;
            }
        }
        gap.centroid_x_m = sx / double(members.size());
        gap.centroid_y_m = sy / double(members.size());
        std::size_t most = 0;
        for (const auto& [r, count] : region_count)
            if (count > most) {  // ties: the lower index (map order)
                most = count;
                gap.region = r;
            }
        gap.nearest_site_distance_km = std::numeric_limits<double>::quiet_NaN();
        for (const AnalysisCell& cell : cells.cells) {
            if (cell.group != gap.group) continue;
            const double d =
                std::hypot(cell.x_m - gap.centroid_x_m, cell.y_m - gap.centroid_y_m) / 1000.0;
            if (std::isnan(gap.nearest_site_distance_km) || d < gap.nearest_site_distance_km) {
                gap.nearest_site_distance_km = d;
                gap.nearest_site_id = cell.site_id;
            }
        }
        out.gaps.push_back(std::move(gap));
    }
    return out;
}

Statistics compute_statistics(const Composites& c, const CoverageMaps& maps, const GapResult& gaps,
                              const std::vector<std::uint8_t>& mask,
                              const std::vector<std::uint8_t>& gap_area,
                              const std::vector<std::uint8_t>& pixel_group,
                              const Raster<std::int32_t>& region,
                              const Raster<float>& border_distance_km, const ZoneNames& names,
                              const AnalysisCells& cells, const AnalysisOptions& options) {
    const GridSpec& grid = c.grid;
    const std::size_t n = grid.pixel_count();
    const std::size_t slots = c.technologies.size();
    const std::size_t layers = cells.layers.size();
    const std::size_t classes = options.class_count();

    Statistics st;
    st.pixel_area_km2 = grid.pixel_size_m * grid.pixel_size_m / 1e6;
    st.technologies = c.technologies;
    for (const Layer& l : cells.layers) {
        st.layer_names.push_back(l.name);
        std::vector<std::string> ops;
        for (std::uint16_t o : l.operators) ops.push_back(cells.operators[o]);
        st.layer_operators.push_back(std::move(ops));
        st.layer_groups.push_back(l.group_mask);
    }
    // [layer][operator index] -> position in the layer's operator list.
    std::vector<std::vector<int>> operator_slot(layers,
                                                std::vector<int>(cells.operators.size(), -1));
    for (std::size_t l = 0; l < layers; ++l)
        for (std::size_t k = 0; k < cells.layers[l].operators.size(); ++k)
            operator_slot[l][cells.layers[l].operators[k]] = int(k);
    for (Technology t : c.technologies) st.legends.push_back(class_legend(t, options));

    auto make_zone = [&](const std::string& kind, const std::string& name) {
        ZoneStatistics z;
        z.kind = kind;
        z.name = name;
        z.class_pixels.assign(slots, std::vector<std::size_t>(classes + 1, 0));
        z.sinr_median_db.assign(layers, std::numeric_limits<double>::quiet_NaN());
        z.sinr_pixels.assign(layers, 0);
        for (std::size_t l = 0; l < layers; ++l) {
            z.operator_sinr_median_db.emplace_back(cells.layers[l].operators.size(),
                                                   std::numeric_limits<double>::quiet_NaN());
            z.operator_sinr_pixels.emplace_back(cells.layers[l].operators.size(), 0);
        }
        return z;
    };
    st.zones.push_back(make_zone("total", "total"));
    const std::size_t country0 = st.zones.size();
    for (int g = 0; g < kGroupCount; ++g) st.zones.push_back(make_zone("country", names.groups[g]));
    const bool have_region = !region.values.empty();
    const std::size_t region0 = st.zones.size();
    std::size_t no_region_zone = 0;
    if (have_region) {
        for (const std::string& r : names.regions) st.zones.push_back(make_zone("region", r));
        no_region_zone = st.zones.size();
        st.zones.push_back(make_zone("region", "(no region)"));
    }
    const bool have_bands = !border_distance_km.values.empty();
    const std::size_t bands = options.distance_bands_km.size() + 1;
    const std::size_t band0 = st.zones.size();
    if (have_bands)
        for (int g = 0; g < kGroupCount; ++g)
            for (std::size_t b = 0; b < bands; ++b) {
                const double lo = b == 0 ? 0.0 : options.distance_bands_km[b - 1];
                std::string name = names.groups[g] + " " + text::format_fixed(lo, 1) + "-";
                name += b + 1 < bands ? text::format_fixed(options.distance_bands_km[b], 1) + " km"
                                      : std::string("inf km");
                st.zones.push_back(make_zone("distance_band", name));
            }

    std::vector<std::vector<std::vector<float>>> sinr(st.zones.size(),
                                                      std::vector<std::vector<float>>(layers));
    std::vector<std::vector<std::vector<std::vector<float>>>> op_sinr(st.zones.size());
    for (auto& z : op_sinr)
        for (std::size_t l = 0; l < layers; ++l) z.emplace_back(cells.layers[l].operators.size());
    std::vector<std::size_t> zone_list;
    for (std::size_t p = 0; p < n; ++p) {
        if (!mask[p]) continue;
        const std::uint8_t g = pixel_group[p];
        zone_list.assign({0, country0 + g});
        if (have_region) {
            const std::int32_t r = region.values[p];
            zone_list.push_back(r >= 0 && std::size_t(r) < names.regions.size()
                                    ? region0 + std::size_t(r)
                                    : no_region_zone);
        }
        if (have_bands) {
            const float d = border_distance_km.values[p];
            std::size_t b = 0;
            while (b + 1 < bands && !(d < options.distance_bands_km[b])) ++b;
            zone_list.push_back(band0 + g * bands + b);
        }
        const bool in_gap = gaps.labels.values[p] > 0;
        for (std::size_t zi : zone_list) {
            ZoneStatistics& z = st.zones[zi];
            ++z.pixels;
            for (std::size_t s = 0; s < slots; ++s) ++z.class_pixels[s][maps.classes[s].values[p]];
            z.covered_pixels += maps.covered[g][p];
            z.gap_area_pixels += gap_area[p] ? 1 : 0;
            if (in_gap) {
                ++z.gap_pixels;
                if (gaps.gap_class.values[p] == std::uint8_t(GapPixel::white_spot))
                    ++z.white_spot_pixels;
                else
                    ++z.neighbour_only_pixels;
            }
            for (std::size_t l = 0; l < layers; ++l) {
                const float v = c.sinr_db[l].values[p];
                if (std::isnan(v)) continue;
                sinr[zi][l].push_back(v);
                const std::int16_t op = c.layer_operator[l].values[p];
                if (op >= 0)
                    op_sinr[zi][l][std::size_t(operator_slot[l][std::size_t(op)])].push_back(v);
            }
        }
    }
    for (std::size_t zi = 0; zi < st.zones.size(); ++zi)
        for (std::size_t l = 0; l < layers; ++l) {
            st.zones[zi].sinr_pixels[l] = sinr[zi][l].size();
            st.zones[zi].sinr_median_db[l] = median_of(sinr[zi][l]);
            for (std::size_t k = 0; k < op_sinr[zi][l].size(); ++k) {
                st.zones[zi].operator_sinr_pixels[l][k] = op_sinr[zi][l][k].size();
                st.zones[zi].operator_sinr_median_db[l][k] = median_of(op_sinr[zi][l][k]);
            }
        }
    // Drop an empty "(no region)" zone.
    if (have_region && st.zones[no_region_zone].pixels == 0)
        st.zones.erase(st.zones.begin() + std::ptrdiff_t(no_region_zone));
    return st;
}

namespace {

double share_pct(std::size_t part, std::size_t whole) {
    return whole == 0 ? 0.0 : 100.0 * double(part) / double(whole);
}

}  // namespace

std::string statistics_csv(const Statistics& st) {
    std::ostringstream out;
    out << "zone_kind,zone,area_km2";
    for (std::size_t s = 0; s < st.technologies.size(); ++s) {
        const std::string t = text::to_lower(technology_name(st.technologies[s]));
        for (const ClassLegendEntry& e : st.legends[s]) {
            const std::string cls = e.value == 0 ? "none" : "class" + std::to_string(e.value);
            out << ',' << t << '_' << cls << "_km2," << t << '_' << cls << "_pct";
        }
    }
    out << ",covered_km2,covered_pct,gap_area_km2,gap_km2,gap_pct_of_gap_area,"
           "white_spot_km2,neighbour_only_km2";
    for (const std::string& l : st.layer_names) out << ",sinr_median_db_" << l;
    for (std::size_t l = 0; l < st.layer_names.size(); ++l)
        for (const std::string& op : st.layer_operators[l])
            out << ",sinr_median_db_" << st.layer_names[l] << "_op_" << operator_slug(op);
    out << '\n';
    const double a = st.pixel_area_km2;
    for (const ZoneStatistics& z : st.zones) {
        out << text::csv_field(z.kind) << ',' << text::csv_field(z.name) << ','
            << text::format_fixed(double(z.pixels) * a, 6);
        for (std::size_t s = 0; s < st.technologies.size(); ++s)
            for (std::size_t k = 0; k < z.class_pixels[s].size(); ++k)
                out << ',' << text::format_fixed(double(z.class_pixels[s][k]) * a, 6) << ','
                    << text::format_fixed(share_pct(z.class_pixels[s][k], z.pixels), 4);
        out << ',' << text::format_fixed(double(z.covered_pixels) * a, 6) << ','
            << text::format_fixed(share_pct(z.covered_pixels, z.pixels), 4) << ','
            << text::format_fixed(double(z.gap_area_pixels) * a, 6) << ','
            << text::format_fixed(double(z.gap_pixels) * a, 6) << ','
            << text::format_fixed(share_pct(z.gap_pixels, z.gap_area_pixels), 4) << ','
            << text::format_fixed(double(z.white_spot_pixels) * a, 6) << ','
            << text::format_fixed(double(z.neighbour_only_pixels) * a, 6);
        for (double m : z.sinr_median_db)
            out << ',' << (std::isnan(m) ? "" : text::format_fixed(m, 2));
        for (const auto& per_layer : z.operator_sinr_median_db)
            for (double m : per_layer)
                out << ',' << (std::isnan(m) ? "" : text::format_fixed(m, 2));
        out << '\n';
    }
    return out.str();
}

std::string operator_slug(const std::string& name) {
    std::string s;
    bool gap = false;
    for (char ch : name) {
        const char c = (ch >= 'A' && ch <= 'Z') ? char(ch - 'A' + 'a') : ch;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (gap && !s.empty()) s.push_back('_');
            s.push_back(c);
            gap = false;
        } else {
            gap = true;
        }
    }
    return s.empty() ? std::string("operator") : s;
}

}  // namespace grenzfunk::analysis
