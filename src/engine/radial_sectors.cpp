#include "engine/radial_sectors.hpp"

#include <cmath>
#include <numbers>

namespace grenzfunk::engine::detail {

namespace {
constexpr double two_pi = 2.0 * std::numbers::pi;
}  // namespace

int radial_by_azimuth(double dx_m, double dy_m, int radials) noexcept {
    const double theta = std::atan2(dx_m, dy_m);  // grid azimuth, (-pi, pi]
    const long j = std::lround(theta / two_pi * double(radials));
    return int(((j % radials) + radials) % radials);
}

RadialSectors::RadialSectors(int radials)
    : radials_(radials),
      boundary_sin_(std::size_t(radials) + 1),
      boundary_cos_(std::size_t(radials) + 1) {
    for (int k = 0; k <= radials; ++k) {
        const double azimuth = (double(k) - 0.5) * two_pi / double(radials);
        boundary_sin_[std::size_t(k)] = std::sin(azimuth);
        boundary_cos_[std::size_t(k)] = std::cos(azimuth);
    }
}

// dx cos(beta) - dy sin(beta) = r sin(theta - beta): positive where the pixel's azimuth theta lies
// beyond the boundary beta (within pi of it). Sector j lies between its two boundaries, less than
// pi apart (N >= 3), so both tests positive put theta inside it.
bool RadialSectors::inside(int j, double dx_m, double dy_m, double margin) const noexcept {
    const std::size_t lo = std::size_t(j), hi = lo + 1;
    const double beyond_lo = dx_m * boundary_cos_[lo] - dy_m * boundary_sin_[lo];
    const double before_hi = dy_m * boundary_sin_[hi] - dx_m * boundary_cos_[hi];
    return beyond_lo > margin && before_hi > margin;
}

int RadialSectors::radial(double dx_m, double dy_m, int guess) const noexcept {
    if (guess >= 0 && guess < radials_ && radials_ >= 3) {
        // 1e-9 rad at the pixel's distance (|dx| + |dy| >= r): a pixel nearer a boundary, the
        // transmitter's own pixel among them, is left to the definition.
        const double margin = 1e-9 * (std::abs(dx_m) + std::abs(dy_m));
        if (inside(guess, dx_m, dy_m, margin)) return guess;
        const int next = guess + 1 == radials_ ? 0 : guess + 1;
        if (inside(next, dx_m, dy_m, margin)) return next;
        const int before = guess == 0 ? radials_ - 1 : guess - 1;
        if (inside(before, dx_m, dy_m, margin)) return before;
    }
    return radial_by_azimuth(dx_m, dy_m, radials_);
}

int RadialSectors::guess_along_row(int previous, double step_dx_m, double dx_m,
                                   double dy_m) const noexcept {
    const double shift = step_dx_m * dy_m / (dx_m * dx_m + dy_m * dy_m) * double(radials_) / two_pi;
    if (previous < 0 || !(std::abs(shift) < double(radials_))) return -1;
    const long moved = long(previous) + std::lround(shift);
    return int(((moved % radials_) + radials_) % radials_);
}

}  // namespace grenzfunk::engine::detail
