#include "terrain/terrain.hpp"

#include <algorithm>
#include <limits>

#include "terrain/terrain_internal.hpp"

namespace grenzfunk::terrain {

namespace {

// The segment T + t (dx, dy), t = i / n, in lattice units of pixel centres: u = column - 0.5,
// v = row - 0.5. One set-up for the vector and the scalar sampling, so both start from the same
// positions.
struct LineLattice {
    double u0, v0, du, dv, inv_n;
    int width, height;

    LineLattice(const GridSpec& g, double x0_m, double y0_m, double dx_m, double dy_m, int n)
        : u0(g.col_of(x0_m) - 0.5),
          v0(g.row_of(y0_m) - 0.5),
          du(dx_m / g.pixel_size_m),
          dv(-dy_m / g.pixel_size_m),
          inv_n(1.0 / double(n)),
          width(g.width),
          height(g.height) {}

    // Point i lies where all four bilinear neighbours exist (no clamping needed).
    bool inside(int i) const {
        const double t = double(i) * inv_n;
        const double u = u0 + t * du, v = v0 + t * dv;
        return u >= 0.0 && v >= 0.0 && u <= double(width - 1) && v <= double(height - 1);
    }
    // Both ends inside the lattice, so is the segment.
    bool interior(int first, int last) const {
        return width >= 2 && height >= 2 && inside(first) && inside(last);
    }
};

}  // namespace

bool TerrainModel::sample_line(double x0_m, double y0_m, double dx_m, double dy_m, int n, int first,
                               int last, double* out) const {
    const LineLattice l(elevation_.grid, x0_m, y0_m, dx_m, dy_m, n);
    // The kernel's gathers take 32-bit offsets.
    const bool small = elevation_.values.size() < std::size_t(std::numeric_limits<int>::max());
    if (!small || last < first || !l.interior(first, last))
        return sample_line_scalar(x0_m, y0_m, dx_m, dy_m, n, first, last, out);
    return detail::sample_lattice_line(elevation_.values.data(), l.width, l.height, l.u0, l.v0,
                                       l.du, l.dv, l.inv_n, first, last, out);
}

bool TerrainModel::sample_line_scalar(double x0_m, double y0_m, double dx_m, double dy_m, int n,
                                      int first, int last, double* out) const {
    const GridSpec& g = elevation_.grid;
    const LineLattice l(g, x0_m, y0_m, dx_m, dy_m, n);
    const double u0 = l.u0, v0 = l.v0, du = l.du, dv = l.dv, inv_n = l.inv_n;
    if (!l.interior(first, last)) {
        // Near the edge: the general path with its clamping.
        bool valid = true;
        for (int i = first; i <= last; ++i) {
            const double t = double(i) / double(n);
            const double z = elevation_at(x0_m + t * dx_m, y0_m + t * dy_m);
            valid = valid && !std::isnan(z);
            out[i - first] = z;
        }
        return valid;
    }
    // Both ends inside the lattice, so is the segment: no clamping needed.
    const float* z = elevation_.values.data();
    const std::size_t w = std::size_t(g.width);
    bool valid = true;
    for (int i = first; i <= last; ++i) {
        const double t = double(i) * inv_n;
        const double u = u0 + t * du, v = v0 + t * dv;
        const int c0 = std::min(int(u), g.width - 2);
        const int r0 = std::min(int(v), g.height - 2);
        const double fu = u - c0, fv = v - r0;
        const float* row0 = z + std::size_t(r0) * w + std::size_t(c0);
        const float* row1 = row0 + w;
        const double value = (row0[0] * (1 - fu) + row0[1] * fu) * (1 - fv) +
                             (row1[0] * (1 - fu) + row1[1] * fu) * fv;
        valid = valid && !std::isnan(value);
        out[i - first] = value;
    }
    return valid;
}

double TerrainModel::profile(double x0_m, double y0_m, double x1_m, double y1_m, double max_step_m,
                             std::vector<double>& out) const {
    const double dx = x1_m - x0_m, dy = y1_m - y0_m;
    const double distance_m = std::sqrt(dx * dx + dy * dy);
    const std::size_t n =
        std::max<std::size_t>(2, std::size_t(std::ceil(distance_m / max_step_m)) + 1);
    out.resize(n);
    bool valid = true;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) / double(n - 1);
        const double z = elevation_at(x0_m + t * dx, y0_m + t * dy);
        valid = valid && !std::isnan(z);
        out[i] = z;
    }
    const double step = distance_m / double(n - 1);
    return valid ? step : -1.0;
}

}  // namespace grenzfunk::terrain
