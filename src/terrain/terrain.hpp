// Terrain held in memory on a projected grid, and terrain profiles between any two points.
// Pure computation: the I/O layer (io/terrain_reader) fills it from GDAL rasters first, so the
// parallel engine reads plain memory (GDAL handles are not thread-safe).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
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
    // lies outside the grid's centre lattice, clamped at the outermost half pixel). Inline: the
    // engines call it for every profile sample.
    double elevation_at(double x_m, double y_m) const {
        const GridSpec& g = elevation_.grid;
        // Position in the lattice of pixel centres.
        double u = g.col_of(x_m) - 0.5;
        double v = g.row_of(y_m) - 0.5;
        if (!(u >= -0.5 && v >= -0.5 && u <= g.width - 0.5 && v <= g.height - 0.5))
            return std::numeric_limits<double>::quiet_NaN();
        u = std::clamp(u, 0.0, double(g.width - 1));
        v = std::clamp(v, 0.0, double(g.height - 1));
        const int c0 = std::min(int(u), g.width - 2 < 0 ? 0 : g.width - 2);
        const int r0 = std::min(int(v), g.height - 2 < 0 ? 0 : g.height - 2);
        const int c1 = std::min(c0 + 1, g.width - 1);
        const int r1 = std::min(r0 + 1, g.height - 1);
        const double fu = u - c0, fv = v - r0;
        const double z00 = elevation_.at(c0, r0), z10 = elevation_.at(c1, r0);
        const double z01 = elevation_.at(c0, r1), z11 = elevation_.at(c1, r1);
        return (z00 * (1 - fu) + z10 * fu) * (1 - fv) + (z01 * (1 - fu) + z11 * fu) * fv;
    }

    // Heights at the points (x0, y0) + (i / n) (dx, dy) for i = first .. last into out[0 ..
    // last - first]: elevation_at at those points (the positions computed incrementally in
    // lattice units, so equal to elevation_at up to rounding, ~1e-12 m). Returns false if any
    // sample has no terrain.
    // Vector kernel (line_samples.cpp) away from the edges: the same bits on every SIMD path
    // and as sample_line_scalar.
    bool sample_line(double x0_m, double y0_m, double dx_m, double dy_m, int n, int first, int last,
                     double* out) const;
    // sample_line one point at a time (the implementation before the vector kernel), for the
    // tests and benchmarks that compare the two.
    bool sample_line_scalar(double x0_m, double y0_m, double dx_m, double dy_m, int n, int first,
                            int last, double* out) const;

    // Samples n = max(2, ceil(distance / max_step_m) + 1) equally spaced points from (x0,y0) to
    // (x1,y1) inclusive into `out` (resized), returns the actual step in metres. Returns a
    // negative step if any sample has no terrain.
    double profile(double x0_m, double y0_m, double x1_m, double y1_m, double max_step_m,
                   std::vector<double>& out) const;

  private:
    Raster<float> elevation_;
};

}  // namespace grenzfunk::terrain
