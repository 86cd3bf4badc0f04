#include "propagation/hcm_terrain.hpp"

#include <cmath>
#include <cstdlib>

#include "core/error.hpp"

namespace grenzfunk::propagation {

namespace {
constexpr double kPostsPerDegree = 1200.0;     // 3″ posts
constexpr int kBlockSeconds = 300;             // 5′ blocks (Point_info.f90: 144 records per tile)
constexpr double kTileSecondsFactor = 3599.0;  // Point_info.f90: IDNINT((Long - LOD) * 3.599D3)

// Fortran NINT/IDNINT: nearest integer, halves away from zero.
long long nint(double x) {
    return std::llround(x);
}
}  // namespace

HcmTerrain::HcmTerrain(const GeoPostGrid& grid) : grid_(&grid) {
    auto whole = [](double v, const char* what) {
        const double scaled = v * kPostsPerDegree;
        if (std::fabs(scaled - std::round(scaled)) > 1e-6)
            throw InputError(std::string("HCM terrain: ") + what +
                             " is not a whole multiple of 3 arc-seconds");
        return std::llround(scaled);
    };
    if (grid.width < 2 || grid.height < 2 || grid.heights_m.size() != grid.post_count())
        throw InputError("HCM terrain: the post grid is empty or inconsistent");
    if (std::fabs(grid.step_lon_deg * kPostsPerDegree - 1.0) > 1e-9 ||
        std::fabs(grid.step_lat_deg * kPostsPerDegree - 1.0) > 1e-9)
        throw InputError(
            "HCM terrain: the post grid must have a 3 arc-second step (1/1200 degree)");
    col_of_global_index0_ = whole(grid.lon_post0_deg, "longitude of post (0, 0)");
    row0_global_index_ = whole(grid.lat_post0_deg, "latitude of post (0, 0)");
}

std::optional<int> HcmTerrain::height_m(double lon_deg, double lat_deg) const {
    // Tile and whole "seconds" within it (Point_info.f90).
    const double lod = std::floor(lon_deg), lad = std::floor(lat_deg);
    const long long lor = nint((lon_deg - lod) * kTileSecondsFactor);
    const long long lar = nint((lat_deg - lad) * kTileSecondsFactor);
    // Posts every 3″ below 50° and every 6″ E–W from 50° up (files .33e / .63e).
    const int step_lon_s = std::fabs(lad) < 50.0 ? 3 : 6;
    const long long bh = lor / kBlockSeconds, bv = lar / kBlockSeconds;
    // Position inside the block in post units, computed from the block's own seconds as HCM
    // does: the fractions then come out identically, so 0.5 ties round the same way.
    const double eh = double(lor - bh * kBlockSeconds) / double(step_lon_s);
    const double ev = double(lar - bv * kBlockSeconds) / 3.0;
    const long long i0 = static_cast<long long>(eh), j0 = static_cast<long long>(ev);
    const double frac_lon = std::fmod(eh, 1.0), frac_lat = std::fmod(ev, 1.0);

    // Global 3″ indices of the south-west post P1, then grid columns and rows.
    const long long gx =
        static_cast<long long>(lod) * 1200 + (bh * kBlockSeconds + i0 * step_lon_s) / 3;
    const long long gy = static_cast<long long>(lad) * 1200 + (bv * kBlockSeconds + j0 * 3) / 3;
    const long long col1 = gx - col_of_global_index0_, col2 = col1 + step_lon_s / 3;
    const long long row1 = row0_global_index_ - gy, row3 = row1 - 1;  // P3/P4 lie north
    const GeoPostGrid& g = *grid_;
    if (col1 < 0 || col2 >= g.width || row3 < 0 || row1 >= g.height) return std::nullopt;
    const int h1 = g.at(int(col1), int(row1)), h2 = g.at(int(col2), int(row1));
    const int h3 = g.at(int(col1), int(row3)), h4 = g.at(int(col2), int(row3));
    if (g.nodata_m &&
        (h1 == *g.nodata_m || h2 == *g.nodata_m || h3 == *g.nodata_m || h4 == *g.nodata_m))
        return std::nullopt;
    const double h12 = double(h1) + double(h2 - h1) * frac_lon;
    const double h34 = double(h3) + double(h4 - h3) * frac_lon;
    return int(nint(h12 + (h34 - h12) * frac_lat));
}

}  // namespace grenzfunk::propagation
