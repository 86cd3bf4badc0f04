// Internal pieces of the ITM implementation (see itm.hpp for the specification it follows).
// Not part of the public API; split by the three stages of [Alg]: preparing the path geometry
// (itm_terrain.cpp), the reference attenuation (itm_attenuation.cpp) and the statistics
// (itm_variability.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>

#include "propagation/itm.hpp"

namespace grenzfunk::propagation::itm::detail {

// A read-only view of an equally spaced profile: z[0..intervals].
struct Profile {
    const double* z = nullptr;
    int intervals = 0;
    double step_m = 0.0;

    double length_m() const { return double(intervals) * step_m; }
};

// Everything the Longley-Rice core needs about a path ([Alg] §2-§3 "prop" parameters).
struct PathGeometry {
    double frequency_mhz = 0.0;
    double distance_m = 0.0;
    double height_m[2] = {0.0, 0.0};            // structural heights h_gj
    double effective_height_m[2] = {0.0, 0.0};  // h_ej
    double horizon_distance_m[2] = {0.0, 0.0};  // d_Lj
    double horizon_angle_rad[2] = {0.0, 0.0};   // theta_ej
    double delta_h_m = 0.0;                     // Δh
    double curvature_per_m = 0.0;               // gamma_e
    double surface_refractivity = 0.0;          // N_s
    std::complex<double> ground_impedance;      // Z_g
};

// Surface refractivity, effective earth curvature and ground impedance ([Alg] §2,
// [TN101] eqs. (4.3), (4.4)). system_height_m is the mean path elevation (0 in area mode).
void prepare_environment(double frequency_mhz, double system_height_m, double n0_n_units,
                         Polarization polarization, double epsilon, double sigma_s_per_m,
                         PathGeometry& geometry);
// The two halves of prepare_environment: the ground impedance (path-independent) and the
// refractivity/curvature (depends on the path through system_height_m).
std::complex<double> ground_impedance(double frequency_mhz, Polarization polarization,
                                      double epsilon, double sigma_s_per_m);
// (Inline: every pixel's geometry waits on its two exps, and the call kept the work around them
// from overlapping.)
inline void prepare_refractivity(double system_height_m, double n0_n_units, PathGeometry& g) {
    constexpr double earth_curvature_per_m = 157e-9;  // gamma_a, 1 / (6370 km)
    // [TN101] eq. (4.3): N_s = N_0 exp(-h_s / 9.46 km)
    g.surface_refractivity =
        system_height_m == 0.0 ? n0_n_units : n0_n_units * std::exp(-system_height_m / 9460.0);
    // [TN101] eq. (4.4), as a curvature: gamma_e = gamma_a (1 - 0.04665 exp(N_s / 179.3))
    g.curvature_per_m =
        earth_curvature_per_m * (1.0 - 0.04665 * std::exp(g.surface_refractivity / 179.3));
}

// Mean elevation of the profile without its first and last tenth (the reference release's
// "system height" used for N_s).
double mean_path_elevation_m(const Profile& profile);

// Horizons, Δh and effective heights from the profile ([Alg] §3 "qlrpfl"/"hzns"/"dlthx"):
// find_horizons, then complete_geometry with fit_line.
void analyse_profile(const Profile& profile, PathGeometry& geometry);

// Radio horizons by a scan of the whole profile ([Alg] §3 "hzns"); sets distance_m,
// horizon_angle_rad and horizon_distance_m (needs curvature_per_m).
void find_horizons(const Profile& profile, PathGeometry& geometry);

// A straight line given by its values at both ends of the whole profile.
struct LineEnds {
    double at_start = 0.0;  // fitted elevation at profile index 0
    double at_end = 0.0;    // fitted elevation at profile index `intervals`
};

// Least-squares straight line through the profile points between two distances ([Alg] §3
// "zlsq1"), trapezoidal end weights.
LineEnds fit_line(const double* z, int intervals, double step, double from_m, double to_m);

// The sample range fit_line uses: indices first..last inclusive.
struct FitRange {
    int first = 0;
    int last = 0;
};
// (Inline, as line_from_sums: called for every pixel's terrain fits, where a call kept their
// divisions from overlapping the work around them.)
inline FitRange fit_range(int intervals, double step, double from_m, double to_m) {
    int first = int(std::max(from_m / step, 0.0));
    int last = intervals - int(std::max(double(intervals) - to_m / step, 0.0));
    if (last <= first) {  // widen a degenerate range by one sample on each side
        first = int(std::max(double(first) - 1.0, 0.0));
        last = intervals - int(std::max(double(intervals) - (double(last) + 1.0), 0.0));
    }
    return {first, last};
}
// fit_line from the range's end values and two sums over the interior first < k < last:
// sum_z = sum z_k and moment = sum z_k (k - centre), centre = (first + last) / 2. Equal to
// fit_line up to rounding.
inline LineEnds line_from_sums(FitRange range, int intervals, double z_first, double z_last,
                               double sum_z, double interior_moment) {
    const double span = double(range.last - range.first);
    const double centre = double(range.first) + 0.5 * span;
    const double weighted_sum = 0.5 * (z_first + z_last) + sum_z;
    const double moment = 0.5 * (z_first - z_last) * (-0.5 * span) + interior_moment;
    const double mean = weighted_sum / span;
    const double slope = moment * 12.0 / ((span * span + 2.0) * span);
    return {mean - slope * centre, mean + slope * (double(intervals) - centre)};
}

// Terrain irregularity Δh of the profile between two distances ([Alg] §3 "dlthx"). `hint`
// (optional) carries thresholds from one call to the next on similar profiles; it only
// changes the speed, never the result. interdecile_delta_h looks for each decile in a window
// around the previous one, q10 +/- (q10 - high) and q90 +/- (low - q90), first.
struct DecileHint {
    double high = 0.0, low = 0.0;  // thresholds slightly inside the deciles below
    double q10 = 0.0, q90 = 0.0;   // the previous profile's deciles
    bool valid = false;
};
double interdecile_delta_h(const Profile& profile, double from_m, double to_m,
                           DecileHint* hint = nullptr);
// The same before the vector kernels (hand-written SSE2, four partial sums, its own use of the
// hint): equal to interdecile_delta_h up to the rounding of the line-fit sums. For tests and
// benchmarks.
double interdecile_delta_h_sse2(const Profile& profile, double from_m, double to_m,
                                DecileHint* hint = nullptr);

// The k-th largest (1-based) and the k-th smallest of values[0..n), the order statistics
// std::nth_element selects, in O(n) (used by interdecile_delta_h).
void extreme_order_statistics(const double* values, int n, int k, double& kth_largest,
                              double& kth_smallest);

// Rough-earth horizon distance and angle, [Alg] eqs. (3.3), (3.4).
double rough_earth_horizon_m(double effective_height_m, double radius_m, double delta_h_m);
double rough_earth_horizon_angle(double effective_height_m, double horizon_m, double radius_m,
                                 double delta_h_m);

// The rest of analyse_profile once the horizons are known: Δh and the effective heights
// (and, well within line of sight, the re-estimated horizons). `fit(from_m, to_m)` returns the
// least-squares line of the profile between two distances (fit_line or an equivalent).
template <class Fit>
void complete_geometry(const Profile& p, PathGeometry& g, Fit&& fit, DecileHint* hint = nullptr) {
    const double d = p.length_m();
    const double radius = 1.0 / g.curvature_per_m;
    // Terrain considered for Δh and the effective heights begins at the lesser of 15 antenna
    // heights and a tenth of the horizon distance from each terminal ([Alg] §3 "qlrpfl").
    const double start_m = std::min(15.0 * g.height_m[0], 0.1 * g.horizon_distance_m[0]);
    const double end_m = d - std::min(15.0 * g.height_m[1], 0.1 * g.horizon_distance_m[1]);
    g.delta_h_m = interdecile_delta_h(p, start_m, end_m, hint);

    if (g.horizon_distance_m[0] + g.horizon_distance_m[1] > 1.5 * d) {
        // Well within line of sight: effective heights above one line fitted to the path; the
        // horizons are then re-estimated as for area mode, scaling the effective heights up
        // when the horizons would not reach across the path.
        const LineEnds line = fit(start_m, end_m);
        g.effective_height_m[0] = g.height_m[0] + std::max(p.z[0] - line.at_start, 0.0);
        g.effective_height_m[1] = g.height_m[1] + std::max(p.z[p.intervals] - line.at_end, 0.0);
        for (int j = 0; j < 2; ++j)
            g.horizon_distance_m[j] =
                rough_earth_horizon_m(g.effective_height_m[j], radius, g.delta_h_m);
        const double reach_m = g.horizon_distance_m[0] + g.horizon_distance_m[1];
        if (reach_m <= d) {
            const double scale = (d / reach_m) * (d / reach_m);
            for (int j = 0; j < 2; ++j) {
                g.effective_height_m[j] *= scale;
                g.horizon_distance_m[j] =
                    rough_earth_horizon_m(g.effective_height_m[j], radius, g.delta_h_m);
            }
        }
        for (int j = 0; j < 2; ++j)
            g.horizon_angle_rad[j] = rough_earth_horizon_angle(
                g.effective_height_m[j], g.horizon_distance_m[j], radius, g.delta_h_m);
    } else {
        // Separate fits in front of each terminal, up to 90 % of its horizon distance.
        const LineEnds tx_line = fit(start_m, 0.9 * g.horizon_distance_m[0]);
        g.effective_height_m[0] = g.height_m[0] + std::max(p.z[0] - tx_line.at_start, 0.0);
        const LineEnds rx_line = fit(d - 0.9 * g.horizon_distance_m[1], end_m);
        g.effective_height_m[1] = g.height_m[1] + std::max(p.z[p.intervals] - rx_line.at_end, 0.0);
    }
}

// Area mode: effective heights, horizon distances and angles from Δh and siting ([Alg] §3).
void estimate_area_geometry(Siting tx_siting, Siting rx_siting, PathGeometry& geometry);

// Median reference attenuation A_ref (dB, >= 0) and the mode ([Alg] §4). Adds warnings.
struct Reference {
    double attenuation_db = 0.0;
    Mode mode = Mode::not_set;
    Error error = Error::none;
};
Reference reference_attenuation(const PathGeometry& geometry, bool point_to_point,
                                std::uint32_t& warnings);

// Attenuation below free space at the requested quantiles ([Alg] §5), before adding A_fs.
double variability_attenuation_db(const Variability& variability, Climate climate,
                                  const PathGeometry& geometry, double reference_db,
                                  std::uint32_t& warnings);

// The path-independent part of the statistics: deviates and frequency terms.
struct VariabilityConstants {
    Variability variability;
    Climate climate = Climate::continental_temperate;
    double wave_number = 0.0;                                  // f / 47.7 MHz, 1/m
    double z_time = 0.0, z_location = 0.0, z_situation = 0.0;  // after the mode's ties
    bool extreme = false;                                      // a deviate beyond 3.1
    double frequency_distance_m = 0.0;           // (575.7e12 / k)^(1/3) of [Alg] eq. (5.3)
    double low_factor = 1.0, high_factor = 1.0;  // g(f) of the two time spreads
};
VariabilityConstants variability_constants(const Variability& variability, Climate climate,
                                           double frequency_mhz);
double variability_attenuation_db(const VariabilityConstants& constants,
                                  const PathGeometry& geometry, double reference_db,
                                  std::uint32_t& warnings);

// Input checks shared by both modes (first error wins); adds calibration warnings.
Error validate_inputs(const Inputs& inputs, std::uint32_t& warnings);

// The common tail of both modes once the geometry is known: A_ref, statistics and free
// space, into `result` (which carries the warnings so far). The second form takes the
// path-independent constants computed beforehand (log10 f and the variability constants).
Result finish(const Inputs& inputs, const PathGeometry& geometry, bool point_to_point,
              Result result);
Result finish(const PathGeometry& geometry, bool point_to_point, double log10_frequency,
              const VariabilityConstants& variability, Result result);

// Standard normal deviate exceeded with probability q (Abramowitz & Stegun 26.2.23).
double inverse_ccdf(double q);

// Δh(d) = Δh (1 - 0.8 exp(-d / 50 km)), [ERL79] eq. (3).
double terrain_irregularity_at_m(double distance_m, double delta_h_m);

}  // namespace grenzfunk::propagation::itm::detail
