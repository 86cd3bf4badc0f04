#include "terrain/terrain.hpp"

#include <algorithm>
#include <limits>

namespace grenzfunk::terrain {

double TerrainModel::elevation_at(double x_m, double y_m) const {
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
