// Bullington diffraction (ITU-R P.526-15 §4.5.1 = P.1812-7 §4.3.1, eqs. (13)-(21); see
// bullington.hpp) on many profiles that share their beginning: the profiles of a radial sweep,
// each "the samples of the radial so far, then a tail of the pixel's own samples".
//
// BullingtonPrefix keeps the samples pushed so far (terrain from the transmitter outwards at a
// fixed spacing; the spacing itself is given per profile) with running state, so that a profile
// costs less than a fresh bullington_diffraction() call while computing the same thing:
//  * eq. (13), Stim = max_i (h_i + 500 Ce d_i (d - d_i) - h_ts) / d_i. With d_i = i s (s the
//    profile's step, km) the term is (A_i - t i) / s + 500 Ce d with A_i = (h_i - h_ts) / i and
//    t = 500 Ce s^2, so the maximum over the pushed samples is the upper envelope of the lines
//    A_i - t i, kept incrementally as samples arrive (slopes increasing) and searched in
//    O(log n) for the profile's t; the winning sample's term is then computed as the plain scan
//    computes it. h_ts depends on the ground under the transmitter (sample 0), fixed per radial.
//    The tail is scanned directly;
//  * eq. (17), Srim = max_i (h_i + 500 Ce d_i (d - d_i) - h_rs) / (d - d_i) (trans-horizon paths
//    only): a backward scan from the receiver, the tail directly, then the pushed samples in
//    blocks of 16 whose exact upper bound (block maximum elevation, nearest distance) is tested
//    first, stopping when the bound from the prefix maximum cannot beat the best term found;
//  * line of sight, eqs. (15)-(16): the highest ν over all intermediate points, the tail
//    directly, the pushed samples in blocks of 16 tested first against an exact upper bound of
//    their ν; a block is skipped when that bound cannot beat the best ν found nor -0.78 (below
//    which J(ν) = 0, eq. (31));
//  * eqs. (18)-(21) as bullington_diffraction() (bullington_step).
// Only the values of Stim, Srim and J(ν_max) enter the loss (not which point gives them), and
// every term is computed by the same expression as in the plain scan, so evaluate() returns the
// loss_db and line_of_sight of bullington_diffraction(samples + tail, step_m, ...); at most an
// exact tie within rounding between two envelope lines can make it differ, by rounding. Its
// `nu` is the same too, except on line-of-sight paths with ν_max <= -0.78 (no loss), where it
// is some value <= -0.78 (possibly -infinity).
// Nothing allocates once the buffers have grown to the longest radial.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "propagation/bullington.hpp"
#include "propagation/line_envelope.hpp"
#include "propagation/radial_samples.hpp"

namespace grenzfunk::propagation {

class BullingtonPrefix {
  public:
    // Antenna heights above ground (m), effective Earth radius (km), wavelength (m).
    BullingtonPrefix(double tx_height_agl_m, double rx_height_agl_m,
                     double effective_earth_radius_km, double wavelength_m);

    // Forgets the samples (keeps the buffers).
    void clear() noexcept;
    // Appends the next sample (metres above sea level, finite).
    void push(double elevation_m);
    std::size_t size() const noexcept { return samples_.size(); }
    // Ground under the transmitter (the first sample); needs size() >= 1.
    double first_sample_m() const noexcept { return samples_[0]; }

    // Bullington on the profile of the size() pushed samples followed by `tail` (its last sample
    // under the receiver), all `step_m` apart: size() + tail.size() - 1 intervals. Needs
    // size() >= 1, a non-empty finite tail and a finite step > 0.
    BullingtonResult evaluate(std::span<const double> tail, double step_m) noexcept;

  private:
    double tx_height_agl_m_;
    double rx_height_agl_m_;
    double ce_;  // 1 / effective Earth radius, 1/km
    double wavelength_m_;

    double hts_ = 0.0;  // h_0 + transmitter height
    RadialSamples samples_;
    LineEnvelope hull_;  // eq. (13) lines A_i - i t, upper envelope for t > 0
};

}  // namespace grenzfunk::propagation
