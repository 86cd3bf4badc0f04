// ITM 1.2.2, preparation of the path geometry ([Alg] §2 and §3): refractivity and ground
// constants, radio horizons, the terrain irregularity Δh and the effective antenna heights
// from a profile, or their area-mode estimates from Δh and the siting criteria.
#include <algorithm>
#include <cmath>
#include <functional>

#include "propagation/itm_internal.hpp"

namespace grenzfunk::propagation::itm::detail {

namespace {

constexpr double earth_curvature_per_m = 157e-9;  // gamma_a, 1 / (6370 km)

struct LineEnds {
    double at_start = 0.0;  // fitted elevation at profile index 0
    double at_end = 0.0;    // fitted elevation at profile index `intervals`
};

// Least-squares straight line through the profile points between two distances ([Alg] §3
// "zlsq1"). The sample is taken at whole indices; the two end samples weigh one half
// (trapezoidal rule). The line is returned by its values at both ends of the whole profile.
LineEnds fit_line(const double* z, int intervals, double step, double from_m, double to_m) {
    int first = int(std::max(from_m / step, 0.0));
    int last = intervals - int(std::max(double(intervals) - to_m / step, 0.0));
    if (last <= first) {  // widen a degenerate range by one sample on each side
        first = int(std::max(double(first) - 1.0, 0.0));
        last = intervals - int(std::max(double(intervals) - (double(last) + 1.0), 0.0));
    }
    const double span = double(last - first);
    const double centre = double(first) + 0.5 * span;

    double weighted_sum = 0.5 * (z[first] + z[last]);
    double moment = 0.5 * (z[first] - z[last]) * (-0.5 * span);
    for (int k = first + 1; k < last; ++k) {
        weighted_sum += z[k];
        moment += z[k] * (double(k) - centre);
    }
    const double mean = weighted_sum / span;
    const double slope = moment * 12.0 / ((span * span + 2.0) * span);
    return {mean - slope * centre, mean + slope * (double(intervals) - centre)};
}

// Terrain irregularity Δh between two distances ([Alg] §3 "dlthx"): the profile is resampled
// at n equally spaced points, a straight line removed, and the interdecile range of the
// residuals scaled to an infinite path with [ERL79] eq. (3).
double interdecile_delta_h(const Profile& profile, double from_m, double to_m) {
    constexpr int max_samples = 245;  // 10 * 25 - 5
    double resampled[max_samples];
    double residual[max_samples];

    double x = from_m / profile.step_m;
    const double x_end = to_m / profile.step_m;
    if (x_end - x < 2.0) return 0.0;

    const int decile = std::clamp(int(0.1 * (x_end - x + 8.0)), 4, 25);
    const int count = 10 * decile - 5;
    const int upper_decile_rank = count - decile;  // 0-based rank from the top of q90
    const double last = double(count - 1);
    const double increment = (x_end - x) / last;

    // Linear interpolation, walking forward through the profile ([Alg] §3 "dlthx").
    int i = int(x);
    x -= double(i) + 1.0;  // offset from sample i + 1, in (-1, 0]
    for (int j = 0; j < count; ++j) {
        while (x > 0.0 && i + 1 < profile.intervals) {
            x -= 1.0;
            ++i;
        }
        resampled[j] = profile.z[i + 1] + (profile.z[i + 1] - profile.z[i]) * x;
        x += increment;
    }

    const LineEnds line = fit_line(resampled, count - 1, 1.0, 0.0, last);
    const double slope = (line.at_end - line.at_start) / last;
    double fitted = line.at_start;
    for (int j = 0; j < count; ++j) {
        residual[j] = resampled[j] - fitted;
        fitted += slope;
    }

    // The decile-th largest residual minus the (count - decile + 1)-th largest.
    double* const end = residual + count;
    std::nth_element(residual, residual + decile - 1, end, std::greater<double>());
    const double q10 = residual[decile - 1];
    // Everything after position decile - 1 is now <= q10: select q90 among those only.
    std::nth_element(residual + decile, residual + upper_decile_rank, end, std::greater<double>());
    const double q90 = residual[upper_decile_rank];

    return (q10 - q90) / (1.0 - 0.8 * std::exp(-(to_m - from_m) / 50e3));
}

// Horizon distance over a rough earth, [Alg] eq. (3.3): d_Lj = sqrt(2 h_ej a) *
// exp(-0.07 sqrt(Δh / max(h_ej, 5 m))).
double rough_earth_horizon_m(double effective_height_m, double radius_m, double delta_h_m) {
    return std::sqrt(2.0 * effective_height_m * radius_m) *
           std::exp(-0.07 * std::sqrt(delta_h_m / std::max(effective_height_m, 5.0)));
}

// Horizon elevation angle, [Alg] eq. (3.4).
double rough_earth_horizon_angle(double effective_height_m, double horizon_m, double radius_m,
                                 double delta_h_m) {
    const double smooth_m = std::sqrt(2.0 * effective_height_m * radius_m);
    return (0.65 * delta_h_m * (smooth_m / horizon_m - 1.0) - 2.0 * effective_height_m) / smooth_m;
}

}  // namespace

double terrain_irregularity_at_m(double distance_m, double delta_h_m) {
    return delta_h_m * (1.0 - 0.8 * std::exp(-distance_m / 50e3));
}

void prepare_environment(double frequency_mhz, double system_height_m, double n0_n_units,
                         Polarization polarization, double epsilon, double sigma_s_per_m,
                         PathGeometry& g) {
    g.frequency_mhz = frequency_mhz;
    // [TN101] eq. (4.3): N_s = N_0 exp(-h_s / 9.46 km)
    g.surface_refractivity =
        system_height_m == 0.0 ? n0_n_units : n0_n_units * std::exp(-system_height_m / 9460.0);
    // [TN101] eq. (4.4), as a curvature: gamma_e = gamma_a (1 - 0.04665 exp(N_s / 179.3))
    g.curvature_per_m =
        earth_curvature_per_m * (1.0 - 0.04665 * std::exp(g.surface_refractivity / 179.3));
    // [Alg] §2: complex relative permittivity eps_r + i 18000 sigma / f, surface transfer
    // impedance Z_g = sqrt(eps_r - 1), divided by eps_r for vertical polarisation.
    const std::complex<double> permittivity(epsilon, 18000.0 * sigma_s_per_m / frequency_mhz);
    g.ground_impedance = std::sqrt(permittivity - 1.0);
    if (polarization == Polarization::vertical) g.ground_impedance /= permittivity;
}

double mean_path_elevation_m(const Profile& p) {
    const int skip = int(0.1 * double(p.intervals));
    double sum = 0.0;
    for (int i = skip; i <= p.intervals - skip; ++i) sum += p.z[i];
    return sum / double(p.intervals - 2 * skip + 1);
}

void analyse_profile(const Profile& p, PathGeometry& g) {
    const double d = p.length_m();
    const double radius = 1.0 / g.curvature_per_m;
    g.distance_m = d;

    // Radio horizons ([Alg] §3 "hzns", [TN101] eq. (6.15)): start from the angles to the other
    // terminal, then take the highest elevation angle to any intermediate point.
    const double z_tx = p.z[0] + g.height_m[0];
    const double z_rx = p.z[p.intervals] + g.height_m[1];
    const double bulge_d = d / (2.0 * radius);
    g.horizon_angle_rad[0] = (z_rx - z_tx) / d - bulge_d;
    g.horizon_angle_rad[1] = -(z_rx - z_tx) / d - bulge_d;
    g.horizon_distance_m[0] = d;
    g.horizon_distance_m[1] = d;
    double from_tx = 0.0;
    double from_rx = d;
    for (int i = 1; i < p.intervals; ++i) {
        from_tx += p.step_m;
        from_rx -= p.step_m;
        const double angle_tx = (p.z[i] - z_tx) / from_tx - from_tx / (2.0 * radius);
        const double angle_rx = -(z_rx - p.z[i]) / from_rx - from_rx / (2.0 * radius);
        if (angle_tx > g.horizon_angle_rad[0]) {
            g.horizon_angle_rad[0] = angle_tx;
            g.horizon_distance_m[0] = from_tx;
        }
        if (angle_rx > g.horizon_angle_rad[1]) {
            g.horizon_angle_rad[1] = angle_rx;
            g.horizon_distance_m[1] = from_rx;
        }
    }

    // Terrain considered for Δh and the effective heights begins at the lesser of 15 antenna
    // heights and a tenth of the horizon distance from each terminal ([Alg] §3 "qlrpfl").
    const double start_m = std::min(15.0 * g.height_m[0], 0.1 * g.horizon_distance_m[0]);
    const double end_m = d - std::min(15.0 * g.height_m[1], 0.1 * g.horizon_distance_m[1]);
    g.delta_h_m = interdecile_delta_h(p, start_m, end_m);

    if (g.horizon_distance_m[0] + g.horizon_distance_m[1] > 1.5 * d) {
        // Well within line of sight: effective heights above one line fitted to the path; the
        // horizons are then re-estimated as for area mode, scaling the effective heights up
        // when the horizons would not reach across the path.
        const LineEnds line = fit_line(p.z, p.intervals, p.step_m, start_m, end_m);
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
        const LineEnds tx_line =
            fit_line(p.z, p.intervals, p.step_m, start_m, 0.9 * g.horizon_distance_m[0]);
        g.effective_height_m[0] = g.height_m[0] + std::max(p.z[0] - tx_line.at_start, 0.0);
        const LineEnds rx_line =
            fit_line(p.z, p.intervals, p.step_m, d - 0.9 * g.horizon_distance_m[1], end_m);
        g.effective_height_m[1] = g.height_m[1] + std::max(p.z[p.intervals] - rx_line.at_end, 0.0);
    }
}

void estimate_area_geometry(Siting tx_siting, Siting rx_siting, PathGeometry& g) {
    const Siting siting[2] = {tx_siting, rx_siting};
    const double radius = 1.0 / g.curvature_per_m;
    for (int j = 0; j < 2; ++j) {
        const double h = g.height_m[j];
        if (siting[j] == Siting::random) {
            g.effective_height_m[j] = h;
        } else {
            // [Alg] eq. (3.2): h_e = h_g + (1 + B) exp(-min(20, 2 h_g / max(1 mm, Δh))),
            // B = 4 (careful) or 9 (very careful), reduced by sin(0.1 pi h_g) below 5 m.
            double b = siting[j] == Siting::careful ? 4.0 : 9.0;
            if (h < 5.0) b *= std::sin(0.1 * 3.1415926535897932384 * h);
            g.effective_height_m[j] =
                h + (1.0 + b) * std::exp(-std::min(20.0, 2.0 * h / std::max(1e-3, g.delta_h_m)));
        }
        g.horizon_distance_m[j] =
            rough_earth_horizon_m(g.effective_height_m[j], radius, g.delta_h_m);
        g.horizon_angle_rad[j] = rough_earth_horizon_angle(
            g.effective_height_m[j], g.horizon_distance_m[j], radius, g.delta_h_m);
    }
}

}  // namespace grenzfunk::propagation::itm::detail
