// Terrain held in memory on a projected grid, and terrain profiles between any two points.
// Pure computation: the I/O layer (io/terrain_reader) fills it from GDAL rasters first, so the
// parallel engine reads plain memory (GDAL handles are not thread-safe).
#pragma once

#include <cmath>
#include <vector>

#include "core/grid.hpp"

namespace grenzfunk::terrain {

// Elevations in metres above sea level; NaN where no terrain is known.
class TerrainModel {
  public:
    TerrainModel() = default;
    explicit TerrainModel(Raster<float> elevation_m) : elevation_(std::move(elevation_m)) {}

    const GridSpec& grid() const { return elevation_.grid; }
    const Raster<float>& raster() const { return elevation_; }

    // Bilinear interpolation between pixel centres (NaN if any neighbour is NaN or the point
    // lies outside the grid's centre lattice, clamped at the outermost half pixel).
    double elevation_at(double x_m, double y_m) const;

    // Samples n = max(2, ceil(distance / max_step_m) + 1) equally spaced points from (x0,y0) to
    // (x1,y1) inclusive into `out` (resized), returns the actual step in metres. Returns a
    // negative step if any sample has no terrain.
    double profile(double x0_m, double y0_m, double x1_m, double y1_m, double max_step_m,
                   std::vector<double>& out) const;

  private:
    Raster<float> elevation_;
};

}  // namespace grenzfunk::terrain
