#include "terrain/terrain.hpp"

#include <algorithm>
#include <limits>

namespace grenzfunk::terrain {

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
