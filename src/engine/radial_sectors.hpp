// Which radial of the fast engine a pixel belongs to (radial_engine.cpp, docs/engine.md).
// Not part of the public API.
#pragma once

#include <vector>

namespace grenzfunk::engine::detail {

// The radial of the pixel at offset (dx, dy) m from the transmitter among N radials at grid
// azimuths phi_j = 2 pi j / N: the definition, j = round(atan2(dx, dy) N / 2 pi) mod N (ties
// away from zero, as std::lround).
int radial_by_azimuth(double dx_m, double dy_m, int radials) noexcept;

// The same radial for pixels visited in small steps (a row of the window, left to right)
// without an atan2 for most of them: a guess (from the previous pixel's radial, moved by the
// change of azimuth along the row) and its two neighbours are tried by the sign of the cross
// products with their sectors' boundary directions (azimuths (j -+ 1/2) 2 pi / N); a pixel within
// 1e-9 rad of a boundary, or in none of the three sectors, takes radial_by_azimuth. The margin is
// far above the rounding of either computation (about 1e-15 rad), so the answer is always
// radial_by_azimuth's, whatever the guess.
class RadialSectors {
  public:
    explicit RadialSectors(int radials);

    // `guess`: a radial near the answer (-1: none).
    int radial(double dx_m, double dy_m, int guess) const noexcept;

    // The guess for the pixel at (dx, dy) after one at (dx - step_dx, dy) on radial `previous`:
    // previous + round(step_dx d(theta)/d(dx) N / 2 pi), d(theta)/d(dx) = dy / r^2 (-1 where
    // that is not finite).
    int guess_along_row(int previous, double step_dx_m, double dx_m, double dy_m) const noexcept;

  private:
    bool inside(int j, double dx_m, double dy_m, double margin) const noexcept;

    int radials_;
    // Boundary k between radials k - 1 and k, azimuth (k - 1/2) 2 pi / N, k = 0 .. N.
    std::vector<double> boundary_sin_, boundary_cos_;
};

}  // namespace grenzfunk::engine::detail
