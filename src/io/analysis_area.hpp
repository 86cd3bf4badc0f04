// The analysis grid of a scenario: its extent in the target CRS, which pixels belong to the
// analysis area, and the (larger) terrain grid that profiles are sampled on.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "io/crs.hpp"

namespace grenzfunk::io {

struct AnalysisArea {
    GridSpec grid;                   // results are written on this grid
    std::vector<std::uint8_t> mask;  // per pixel of `grid`: 1 = inside the analysis area
    GridSpec terrain_grid;           // `grid` grown by the maximum radius, same alignment
};

struct PointM {
    double x_m = 0.0, y_m = 0.0;
};

// Where the scenario sets the grid's size ("scenario.toml:12"), for the "too large" message;
// empty entries are left out of it.
struct GridSizeWhere {
    std::string resolution;  // grid.resolution_m (or the [grid] table, or the file)
    std::string extent;      // grid.extent_lonlat_deg; empty without one
    std::string radius;      // propagation.max_radius_km (or the [propagation] table)
};

// Extent: the lon/lat box (its outline transformed, pixels whose centre lies inside the box
// form the mask) or, without a box, the bounding box of the sites grown by the radius.
// Grid edges are snapped to multiples of the resolution so runs of one region align.
AnalysisArea make_analysis_area(const std::string& crs, const std::string& crs_wkt,
                                double resolution_m,
                                const std::optional<std::array<double, 4>>& extent_lonlat,
                                const std::vector<PointM>& sites, double max_radius_m,
                                const LonLatTransform& transform, const GridSizeWhere& where = {});

// The terrain grid for an analysis grid: `grid` grown by the radius, snapped to multiples of the
// pixel size (so the terrain grids of row bands of one grid align with the whole one's).
GridSpec terrain_grid_for(const GridSpec& grid, double max_radius_m,
                          const GridSizeWhere& where = {});

// The part of `grid` inside `outer` (both aligned on multiples of the same pixel size).
GridSpec clipped_to(const GridSpec& grid, const GridSpec& outer);

// Rows first_row .. first_row + rows - 1 of a grid, as a grid of their own.
GridSpec row_band(const GridSpec& grid, int first_row, int rows);

}  // namespace grenzfunk::io
