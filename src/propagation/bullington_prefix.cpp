// Bullington diffraction on profiles sharing their beginning (see bullington_prefix.hpp). The
// method is that of bullington.cpp; only the bookkeeping differs.
#include "propagation/bullington_prefix.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace grenzfunk::propagation {

namespace {

constexpr int block_size = RadialSamples::block_size;
constexpr double infinity = std::numeric_limits<double>::infinity();

// True when `bound` (an upper bound of terms computed another way) lies clearly below `best`:
// the margin covers the rounding of both forms of a term many times over (`scale` is the size
// of the quantities the terms are made of, so that cancellation is covered too).
bool clearly_below(double bound, double best, double scale) {
    return bound < best - 1e-12 * (std::abs(best) + std::abs(bound) + scale);
}

}  // namespace

BullingtonPrefix::BullingtonPrefix(double tx_height_agl_m, double rx_height_agl_m,
                                   double effective_earth_radius_km, double wavelength_m)
    : tx_height_agl_m_(tx_height_agl_m),
      rx_height_agl_m_(rx_height_agl_m),
      ce_(1.0 / effective_earth_radius_km),
      wavelength_m_(wavelength_m) {}

void BullingtonPrefix::clear() noexcept {
    samples_.clear();
    hull_.clear();
}

void BullingtonPrefix::push(double z) {
    const std::size_t i = samples_.size();
    samples_.push(z);
    if (i == 0) {
        hts_ = z + tx_height_agl_m_;
    } else {
        // Eq. (13) line of sample i: s * (term_i - 500 Ce d) = A_i - i t.
        hull_.add((z - hts_) / double(i), double(i), int(i));
    }
}

BullingtonResult BullingtonPrefix::evaluate(std::span<const double> tail, double step_m) noexcept {
    const int m = int(samples_.size());      // pushed samples: indices 0 .. m-1
    const int n = m + int(tail.size()) - 1;  // intervals; the tail holds m .. n
    if (m < 1 || tail.empty()) return {};
    const double* z = samples_.with_tail(tail);  // the profile z[0..n]

    // As bullington_diffraction(): distances in km, d_i = i s.
    if (n < 2) return {};  // no intermediate point: nothing can obstruct
    const double step_km = step_m / 1000.0;
    const double d_km = step_km * double(n);
    if (!(d_km > 0.0)) return {};
    const double ce = ce_;
    const double hts = hts_;
    const double hrs = z[n] + rx_height_agl_m_;

    // Eq. (13): the pushed samples 1 .. m-1 through the envelope, the tail m .. n-1 directly.
    double stim = -infinity;
    if (m >= 2) {
        const double t = 500.0 * ce * step_km * step_km;
        const int i = hull_.highest(t);
        stim = bullington_step::tx_slope(z[i], step_km * double(i), d_km, hts, ce);
    }
    for (int i = std::max(1, m); i < n; ++i)
        stim = std::max(stim, bullington_step::tx_slope(z[i], step_km * double(i), d_km, hts, ce));
    const double str = (hrs - hts) / d_km;  // eq. (14)

    if (stim < str) {
        // Line of sight, eqs. (15)-(16). Only J(nu_max) enters the loss, and J = 0 for
        // nu <= -0.78 (eq. (31)), so a point matters only if its nu exceeds both -0.78 and the
        // best nu found. The tail is scanned directly, the pushed samples 1 .. m-1 in blocks,
        // each tested first against an upper bound of its nu_i = c_i f_i: the clearance
        // c_i <= C = (block maximum) + (largest bulge in the block) - (lowest point of the
        // direct ray over the block), and f_i = sqrt(0.002 d / (lambda d_i (d - d_i))) > 0 taken
        // at its smallest (C <= 0) or largest (C > 0) value in the block.
        constexpr double nu_no_loss = -0.78;
        double nu_max = -infinity;
        const auto scan = [&](int from, int to) {
            for (int i = from; i <= to; ++i)
                nu_max = std::max(nu_max, bullington_step::los_nu(z[i], step_km * double(i), d_km,
                                                                  hts, hrs, ce, wavelength_m_));
        };
        scan(std::max(1, m), n - 1);
        const double half_km = 0.5 * d_km;
        for (int lo_b = 0; lo_b <= m - 1; lo_b += block_size) {
            const int lo = std::max(1, lo_b), hi = std::min(m - 1, lo_b + block_size - 1);
            if (lo > hi) continue;
            const double d_lo = step_km * double(lo), d_hi = step_km * double(hi);
            const double d_mid = std::clamp(half_km, d_lo, d_hi);
            const double bulge_max = 500.0 * ce * d_mid * (d_km - d_mid);
            const double ray_min =
                std::min(hts * (d_km - d_lo) + hrs * d_lo, hts * (d_km - d_hi) + hrs * d_hi) / d_km;
            const double highest = samples_.block_max(lo_b);
            const double clearance = highest + bulge_max - ray_min;
            const double product = clearance > 0.0
                                       ? std::min(d_lo * (d_km - d_lo), d_hi * (d_km - d_hi))
                                       : d_mid * (d_km - d_mid);
            const double f = std::sqrt(0.002 * d_km / (wavelength_m_ * product));
            const double scale =
                (std::abs(highest) + bulge_max + std::max(std::abs(hts), std::abs(hrs))) * f;
            if (!clearly_below(clearance * f, std::max(nu_max, nu_no_loss), scale)) scan(lo, hi);
        }
        return bullington_step::line_of_sight(nu_max, d_km);
    }

    // Eq. (17), backward from the receiver: the tail directly, then the pushed samples
    // m-1 .. 1 in blocks, each tested first against an upper bound of its terms
    // (h_i - h_rs) / (d - d_i) + 500 Ce d_i <= rise / u + 500 Ce d_hi, with rise the highest
    // elevation above h_rs and u the nearest (rise > 0) or farthest (rise <= 0) distance from
    // the receiver; the bound over all of 1 .. i_hi (prefix maximum) ends the scan.
    double srim = -infinity;
    for (int k = n - 1; k >= std::max(1, m); --k)
        srim = std::max(srim, bullington_step::rx_slope(z[k], step_km * double(k), d_km, hrs, ce));
    const double u_farthest = d_km - step_km;  // from the receiver to sample 1
    int i_hi = m - 1;
    while (i_hi >= 1) {
        const double d_hi = step_km * double(i_hi);
        const double u_near = d_km - d_hi;
        const double gain = 500.0 * ce * d_hi;
        const double highest = samples_.prefix_max(i_hi);
        const double scale = (std::abs(highest) + std::abs(hrs)) / u_near + gain;
        const double rise = highest - hrs;
        if (clearly_below(rise / (rise > 0.0 ? u_near : u_farthest) + gain, srim, scale)) break;
        const int i_lo = std::max(1, RadialSamples::block_start(i_hi));
        const double block_highest = samples_.block_max(i_hi);
        const double block_rise = block_highest - hrs;
        const double u_far = d_km - step_km * double(i_lo);
        const double block_scale = (std::abs(block_highest) + std::abs(hrs)) / u_near + gain;
        if (!clearly_below(block_rise / (block_rise > 0.0 ? u_near : u_far) + gain, srim,
                           block_scale)) {
            for (int k = i_hi; k >= i_lo; --k)
                srim = std::max(
                    srim, bullington_step::rx_slope(z[k], step_km * double(k), d_km, hrs, ce));
        }
        i_hi = i_lo - 1;
    }
    return bullington_step::trans_horizon(stim, srim, hts, hrs, d_km, wavelength_m_);
}

}  // namespace grenzfunk::propagation
