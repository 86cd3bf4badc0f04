#include "io/analysis_area.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/error.hpp"

namespace grenzfunk::io {

namespace {

constexpr double kMaxPixels = 400e6;  // guard: beyond this, ask for a coarser resolution

// "file:line: " or "" for a message.
std::string prefix(const std::string& where) {
    return where.empty() ? std::string() : where + ": ";
}

// `what` names the grid and the keys that set its size, for the message when it is too large.
GridSpec snapped_grid(const std::string& crs, const std::string& wkt, double res, double min_x,
                      double min_y, double max_x, double max_y, const std::string& what,
                      const char* or_smaller) {
    GridSpec g;
    g.crs = crs;
    g.crs_wkt = wkt;
    g.pixel_size_m = res;
    g.origin_x_m = std::floor(min_x / res) * res;
    g.origin_y_m = std::ceil(max_y / res) * res;
    const double width = std::ceil((max_x - g.origin_x_m) / res);
    const double height = std::ceil((g.origin_y_m - min_y) / res);
    if (width * height > kMaxPixels) {
        std::ostringstream msg;
        msg.imbue(std::locale::classic());
        msg << what << width << " x " << height << " pixels at " << res << " m (more than "
            << kMaxPixels / 1e6
            << " million) is too large; choose a coarser grid.resolution_m or a smaller "
            << or_smaller;
        throw InputError(msg.str());
    }
    g.width = std::max(1, int(width));
    g.height = std::max(1, int(height));
    return g;
}

}  // namespace

AnalysisArea make_analysis_area(const std::string& crs, const std::string& crs_wkt,
                                double resolution_m,
                                const std::optional<std::array<double, 4>>& extent_lonlat,
                                const std::vector<PointM>& sites, double max_radius_m,
                                const LonLatTransform& transform, const GridSizeWhere& where) {
    AnalysisArea area;
    double min_x = std::numeric_limits<double>::infinity(), min_y = min_x;
    double max_x = -min_x, max_y = -min_x;
    auto extend = [&](double x, double y) {
        min_x = std::min(min_x, x);
        max_x = std::max(max_x, x);
        min_y = std::min(min_y, y);
        max_y = std::max(max_y, y);
    };
    if (extent_lonlat) {
        const auto [west, south, east, north] = *extent_lonlat;
        // Densified outline: parallels are curves in a transverse Mercator grid.
        constexpr int kSteps = 64;
        for (int i = 0; i <= kSteps; ++i) {
            const double f = double(i) / kSteps;
            const double lon = west + f * (east - west), lat = south + f * (north - south);
            double x, y;
            const std::pair<double, double> outline[] = {
                {lon, south}, {lon, north}, {west, lat}, {east, lat}};
            for (const auto& [plon, plat] : outline) {
                if (!transform.forward(plon, plat, x, y))
                    throw InputError("grid.extent_lonlat_deg: cannot transform the box to " + crs);
                extend(x, y);
            }
        }
        area.grid = snapped_grid(
            crs, crs_wkt, resolution_m, min_x, min_y, max_x, max_y,
            prefix(where.resolution) + "grid.resolution_m: the grid of grid.extent_lonlat_deg" +
                (where.extent.empty() ? "" : " (" + where.extent + ")") + " would be ",
            "extent");
        area.mask.assign(area.grid.pixel_count(), 0);
        for (int row = 0; row < area.grid.height; ++row)
            for (int col = 0; col < area.grid.width; ++col) {
                double lon, lat;
                if (transform.inverse(area.grid.centre_x_m(col), area.grid.centre_y_m(row), lon,
                                      lat) &&
                    lon >= west && lon <= east && lat >= south && lat <= north)
                    area.mask[std::size_t(row) * area.grid.width + col] = 1;
            }
    } else {
        if (sites.empty()) throw InputError("grid: no sites to derive the extent from");
        for (const PointM& p : sites) {
            extend(p.x_m - max_radius_m, p.y_m - max_radius_m);
            extend(p.x_m + max_radius_m, p.y_m + max_radius_m);
        }
        area.grid = snapped_grid(
            crs, crs_wkt, resolution_m, min_x, min_y, max_x, max_y,
            prefix(where.resolution) +
                "grid.resolution_m: the grid around the sites (no grid.extent_lonlat_deg; "
                "sites grown by propagation.max_radius_km" +
                (where.radius.empty() ? "" : " at " + where.radius) + ") would be ",
            "propagation.max_radius_km or grid.extent_lonlat_deg");
        area.mask.assign(area.grid.pixel_count(), 1);
    }
    // Terrain: the radius around the analysis grid, so every transmitter that reaches the
    // analysis area stands on loaded terrain.
    area.terrain_grid = terrain_grid_for(area.grid, max_radius_m, where);
    return area;
}

GridSpec terrain_grid_for(const GridSpec& g, double max_radius_m, const GridSizeWhere& where) {
    const double res = g.pixel_size_m;
    return snapped_grid(g.crs, g.crs_wkt, res, g.origin_x_m - max_radius_m,
                        g.origin_y_m - g.height * res - max_radius_m,
                        g.origin_x_m + g.width * res + max_radius_m, g.origin_y_m + max_radius_m,
                        prefix(where.resolution) +
                            "grid.resolution_m: the terrain grid (the grid grown by "
                            "propagation.max_radius_km" +
                            (where.radius.empty() ? "" : " at " + where.radius) + ") would be ",
                        "propagation.max_radius_km");
}

GridSpec clipped_to(const GridSpec& g, const GridSpec& outer) {
    const double res = g.pixel_size_m;
    const double west = std::max(g.origin_x_m, outer.origin_x_m);
    const double north = std::min(g.origin_y_m, outer.origin_y_m);
    const double east =
        std::min(g.origin_x_m + g.width * res, outer.origin_x_m + outer.width * res);
    const double south =
        std::max(g.origin_y_m - g.height * res, outer.origin_y_m - outer.height * res);
    GridSpec out = g;
    out.origin_x_m = west;
    out.origin_y_m = north;
    out.width = std::max(1, int(std::lround((east - west) / res)));
    out.height = std::max(1, int(std::lround((north - south) / res)));
    return out;
}

GridSpec row_band(const GridSpec& g, int first_row, int rows) {
    GridSpec band = g;
    band.origin_y_m = g.origin_y_m - first_row * g.pixel_size_m;
    band.height = rows;
    return band;
}

}  // namespace grenzfunk::io
