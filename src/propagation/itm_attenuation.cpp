// ITM 1.2.2, the reference attenuation A_ref ([Alg] §4, "lrprop"): a two-ray line-of-sight
// model blended into an extrapolated diffraction line within the smooth-earth horizon, the
// diffraction line (a weighted mix of knife-edge and Vogler smooth-earth diffraction plus a
// clutter term) beyond it, and the troposcatter line far beyond the horizon.
#include <algorithm>
#include <cmath>

#include "propagation/itm_internal.hpp"

namespace grenzfunk::propagation::itm::detail {

namespace {

constexpr double pi = 3.1415926535897932384;
constexpr double third = 1.0 / 3.0;
constexpr double earth_radius_m = 6370e3;  // a_0 of Vogler's 4/3-earth normalisation

// Positive difference, "dim" of [Alg].
double positive_part(double a, double b) {
    return a > b ? a - b : 0.0;
}

// Wave number k = 2 pi f / c in 1/m, written f / 47.7 with f in MHz ([Alg] §2).
double wave_number(double frequency_mhz) {
    return frequency_mhz / 47.7;
}

// sigma_h(Δh) = 0.78 Δh exp(-0.5 Δh^(1/4)), [ERL79] eq. (3.6a): rms terrain height in the
// first Fresnel zone.
double rms_terrain_height_m(double delta_h_m) {
    return 0.78 * delta_h_m * std::exp(-0.5 * std::pow(delta_h_m, 0.25));
}

// Knife-edge attenuation as a function of v^2, [TN101] eqs. (III.24b/c).
double knife_edge_db(double v_squared) {
    if (v_squared < 5.76) return 6.02 + 9.11 * std::sqrt(v_squared) - 1.27 * v_squared;
    return 12.953 + 10.0 * std::log10(v_squared);
}

// Height-gain function F(x, K) of Vogler's smooth-earth diffraction ([Alg] §4 "fht").
double height_gain_db(double x, double k) {
    if (x < 200.0) {
        const double w = -std::log(k);
        if (k < 1e-5 || x * w * w * w > 5495.0) {
            double value = -117.0;
            if (x > 1.0) value += 17.372 * std::log(x);
            return value;
        }
        return 2.5e-5 * x * x / k - 8.686 * w - 15.0;
    }
    double value = 0.05751 * x - 4.343 * std::log(x);
    if (x < 2000.0) {
        const double w = 0.0134 * x * std::exp(-0.005 * x);
        value = (1.0 - w) * value + w * (17.372 * std::log(x) - 117.0);
    }
    return value;
}

// Shared inputs of the three mechanisms at a given distance.
struct Context {
    const PathGeometry* g = nullptr;
    double radius_m = 0.0;           // a = 1 / gamma_e
    double los_angle_rad = 0.0;      // theta_L: angular extent of the line-of-sight region
    double horizons_m = 0.0;         // d_L = d_L1 + d_L2
    double smooth_horizons_m = 0.0;  // d_Ls = d_Ls1 + d_Ls2
    bool point_to_point = true;
};

// Double knife edge over the two horizons ([Alg] eq. (4.12) ff., [TN101] eq. (I.7)).
double knife_edge_pair_db(const Context& c, double d) {
    const PathGeometry& g = *c.g;
    const double theta = d / c.radius_m - c.los_angle_rad;
    const double beyond_m = d - c.horizons_m;
    const double factor = 0.0795775 * (g.frequency_mhz / 47.7) * theta * theta;  // 1/(4 pi)
    double loss = 0.0;
    for (int j = 0; j < 2; ++j) {
        const double dl = g.horizon_distance_m[j];
        loss += knife_edge_db(factor * dl * beyond_m / (beyond_m + dl));
    }
    return loss;
}

// Vogler's three-radii smooth-earth diffraction ([Alg] eqs. (4.12)-(4.20), [TN101] eq. (8.4)).
double smooth_earth_db(const Context& c, double d) {
    const PathGeometry& g = *c.g;
    const double theta = d / c.radius_m - c.los_angle_rad;
    const double radius[3] = {
        (d - c.horizons_m) / (d / c.radius_m - c.los_angle_rad),
        0.5 * g.horizon_distance_m[0] * g.horizon_distance_m[0] / g.effective_height_m[0],
        0.5 * g.horizon_distance_m[1] * g.horizon_distance_m[1] / g.effective_height_m[1],
    };
    const double distance_km[3] = {radius[0] * theta / 1000.0, g.horizon_distance_m[0] / 1000.0,
                                   g.horizon_distance_m[1] / 1000.0};
    const double f_cbrt = std::pow(g.frequency_mhz, third);
    const double impedance = std::abs(g.ground_impedance);
    double k[3];
    double x_km[3];
    for (int i = 0; i < 3; ++i) {
        const double c0 = std::pow((4.0 / 3.0) * earth_radius_m / radius[i], third);
        k[i] = 0.017778 * c0 * std::pow(g.frequency_mhz, -third) / impedance;
        x_km[i] = (1.607 - k[i]) * c0 * c0 * f_cbrt * distance_km[i];
    }
    const double x_total = x_km[0] + x_km[1] + x_km[2];
    const double distance_term = 0.05751 * x_total - 10.0 * std::log10(x_total);
    return distance_term - height_gain_db(x_km[1], k[1]) - height_gain_db(x_km[2], k[2]) - 20.0;
}

// Diffraction attenuation at distance d ([Alg] §4 "adiff"): A = w A_r + (1 - w) A_k + A_fo.
double diffraction_db(const Context& c, double d) {
    const PathGeometry& g = *c.g;
    const double knife = knife_edge_pair_db(c, d);
    const double smooth = smooth_earth_db(c, d);

    // Clutter factor [ERL79] eq. (3.38c), with Δh taken at the smooth-earth horizon distance.
    const double sigma_h =
        rms_terrain_height_m(terrain_irregularity_at_m(c.smooth_horizons_m, g.delta_h_m));
    const double clutter_db = std::min(
        15.0,
        5.0 * std::log10(1.0 + 1e-5 * g.height_m[0] * g.height_m[1] * g.frequency_mhz * sigma_h));

    // Weighting factor, [ERL79] eq. (3.23); C = 10 m^2 for point-to-point paths (p. 3-8).
    double heights = g.height_m[0] * g.height_m[1];
    const double excess = g.effective_height_m[0] * g.effective_height_m[1] - heights;
    if (c.point_to_point) heights += 10.0;
    const double root = std::sqrt(1.0 + excess / heights);
    const double q =
        (root + (-c.los_angle_rad * c.radius_m + c.horizons_m) / d) *
        std::min(terrain_irregularity_at_m(d, g.delta_h_m) * g.frequency_mhz / 47.7, 6283.2);
    const double w = 25.1 / (25.1 + std::sqrt(q));
    return w * smooth + (1.0 - w) * knife + clutter_db;
}

// Line-of-sight attenuation at distance d ([Alg] eqs. (4.46)-(4.50), "alos"): a two-ray model
// with a rough-surface reflection coefficient, weighted against the extended diffraction line.
double line_of_sight_db(const Context& c, double d, double slope_db_per_m, double intercept_db) {
    const PathGeometry& g = *c.g;
    const double k = wave_number(g.frequency_mhz);
    const double sigma_h = rms_terrain_height_m(terrain_irregularity_at_m(d, g.delta_h_m));
    const double height_sum = g.effective_height_m[0] + g.effective_height_m[1];
    const double sin_psi = height_sum / std::sqrt(d * d + height_sum * height_sum);  // (4.46)
    // (4.47): effective reflection coefficient with the roughness factor
    std::complex<double> reflection = (sin_psi - g.ground_impedance) /
                                      (sin_psi + g.ground_impedance) *
                                      std::exp(-std::min(10.0, k * sigma_h * sin_psi));
    // (4.48): keep |R_e|^2 at least max(0.25, sin psi)
    const double magnitude2 = std::norm(reflection);
    if (magnitude2 < 0.25 || magnitude2 < sin_psi) reflection *= std::sqrt(sin_psi / magnitude2);
    // (4.49)-(4.50): phase difference of the two rays, bent back beyond pi/2
    double phase = k * 2.0 * g.effective_height_m[0] * g.effective_height_m[1] / d;
    if (phase > pi / 2.0) phase = pi - (pi / 2.0) * (pi / 2.0) / phase;
    const std::complex<double> sum =
        std::complex<double>(std::cos(phase), -std::sin(phase)) + reflection;
    const double two_ray_db = -10.0 * std::log10(std::norm(sum));
    const double extended_diffraction_db = slope_db_per_m * d + intercept_db;
    const double w =
        1.0 / (1.0 + g.frequency_mhz * g.delta_h_m / std::max(10e3, c.smooth_horizons_m));
    return w * two_ray_db + (1.0 - w) * extended_diffraction_db;
}

// Troposcatter attenuation function F(theta d), [Alg] eq. (6.9).
double scatter_function_db(double theta_d_m) {
    static constexpr double a[3] = {133.4, 104.6, 71.8};
    static constexpr double b[3] = {0.332e-3, 0.212e-3, 0.157e-3};
    static constexpr double c[3] = {-10.0, -2.5, 5.0};
    const int i = theta_d_m <= 10e3 ? 0 : (theta_d_m <= 70e3 ? 1 : 2);
    return a[i] + b[i] * theta_d_m + c[i] * std::log10(theta_d_m);
}

// One curve of the frequency-gain function H_01(r), [Alg] eq. (6.13).
double frequency_gain_curve_db(int j, double r) {
    static constexpr double a[5] = {25.0, 80.0, 177.0, 395.0, 705.0};
    static constexpr double b[5] = {24.0, 45.0, 68.0, 80.0, 105.0};
    const double inv2 = 1.0 / (r * r);
    return 10.0 * std::log10(1.0 + a[j] * inv2 * inv2 + b[j] * inv2);
}

// H_0(r, eta_s): interpolation between the curves for eta_s = 1..5 ([TN101] §9.2).
double frequency_gain_db(double r, double eta_s) {
    eta_s = std::clamp(eta_s, 1.0, 5.0);
    const int whole = int(eta_s);
    const double fraction = eta_s - double(whole);
    double value = frequency_gain_curve_db(whole - 1, r);
    if (fraction != 0.0)
        value = (1.0 - fraction) * value + fraction * frequency_gain_curve_db(whole, r);
    return value;
}

// Troposcatter attenuation at distance d ([Alg] eqs. (4.63)-(4.67), "ascat"). `h0_cache`
// carries H_0 between the two calls (negative: none yet); returns > 1000 when undefined.
double troposcatter_db(const Context& c, double d, double& h0_cache) {
    const PathGeometry& g = *c.g;
    const double k = wave_number(g.frequency_mhz);
    double h0;
    if (h0_cache > 15.0) {
        h0 = h0_cache;
    } else {
        double asymmetry_m = g.horizon_distance_m[0] - g.horizon_distance_m[1];
        double height_ratio = g.effective_height_m[1] / g.effective_height_m[0];
        if (asymmetry_m < 0.0) {
            asymmetry_m = -asymmetry_m;
            height_ratio = 1.0 / height_ratio;
        }
        const double theta = g.horizon_angle_rad[0] + g.horizon_angle_rad[1] + d / c.radius_m;
        const double r1 = 2.0 * k * theta * g.effective_height_m[0];  // [TN101] eq. (9.4a)
        const double r2 = 2.0 * k * theta * g.effective_height_m[1];
        if (r1 < 0.2 && r2 < 0.2) return 1001.0;  // A_scat undefined ([Alg] p. 11)

        double s = (d - asymmetry_m) / (d + asymmetry_m);
        const double q = std::min(std::max(0.1, height_ratio / s), 10.0);  // truncated 0.1..10
        s = std::max(0.1, s);
        const double crossover_m = (d - asymmetry_m) * (d + asymmetry_m) * theta * 0.25 / d;
        // Scattering efficiency eta_s, [TN101] eq. (9.3a), Z_0 = 1.7556 km, Z_1 = 8 km.
        const double ns = g.surface_refractivity;
        const double eta_s =
            (crossover_m / 1.7556e3) *
            (1.0 + (0.031 - ns * 2.32e-3 + ns * ns * 5.67e-6) *
                       std::exp(-std::pow(std::min(1.7, crossover_m / 8.0e3), 6.0)));
        const double h00 = (frequency_gain_db(r1, eta_s) + frequency_gain_db(r2, eta_s)) / 2.0;
        const double delta_h0 = std::min(
            h00, 6.0 * (0.6 - std::log10(std::max(eta_s, 1.0))) * std::log10(s) * std::log10(q));
        h0 = std::max(h00 + delta_h0, 0.0);  // [TN101] eq. (9.5), never negative
        if (eta_s < 1.0) {
            // Blend towards the eta_s = 0 limit.
            const double root2 = std::sqrt(2.0);
            const double a = (1.0 + root2 / r1) * (1.0 + root2 / r2);
            h0 = eta_s * h0 +
                 (1.0 - eta_s) * 10.0 * std::log10(a * a * (r1 + r2) / (r1 + r2 + 2.0 * root2));
        }
        // Above 15 dB at d_5, the value found at d_6 is used ([Alg] p. 12).
        if (h0 > 15.0 && h0_cache >= 0.0) h0 = h0_cache;
    }
    h0_cache = h0;
    const double th = d / c.radius_m - c.los_angle_rad;
    return scatter_function_db(th * d) + 10.0 * std::log10(k * 47.7 * std::pow(th, 4.0)) -
           0.1 * (g.surface_refractivity - 301.0) * std::exp(-th * d / 40e3) + h0;
}

}  // namespace

Reference reference_attenuation(const PathGeometry& g, bool point_to_point,
                                std::uint32_t& warnings) {
    Reference out;
    Context c;
    c.g = &g;
    c.point_to_point = point_to_point;
    c.radius_m = 1.0 / g.curvature_per_m;
    const double a = c.radius_m;
    const double f = g.frequency_mhz;
    const double d = g.distance_m;

    double smooth_horizon_m[2];
    for (int j = 0; j < 2; ++j) smooth_horizon_m[j] = std::sqrt(2.0 * g.effective_height_m[j] * a);
    c.smooth_horizons_m = smooth_horizon_m[0] + smooth_horizon_m[1];
    c.horizons_m = g.horizon_distance_m[0] + g.horizon_distance_m[1];
    c.los_angle_rad = -std::max(g.horizon_angle_rad[0] + g.horizon_angle_rad[1], -c.horizons_m / a);

    // Calibration checks on the geometry ([Alg] §4 preamble).
    if (std::abs(g.horizon_angle_rad[0]) > 200e-3) warnings |= warn_tx_horizon_angle;
    if (std::abs(g.horizon_angle_rad[1]) > 200e-3) warnings |= warn_rx_horizon_angle;
    if (g.horizon_distance_m[0] < 0.1 * smooth_horizon_m[0]) warnings |= warn_tx_horizon_near;
    if (g.horizon_distance_m[1] < 0.1 * smooth_horizon_m[1]) warnings |= warn_rx_horizon_near;
    if (g.horizon_distance_m[0] > 3.0 * smooth_horizon_m[0]) warnings |= warn_tx_horizon_far;
    if (g.horizon_distance_m[1] > 3.0 * smooth_horizon_m[1]) warnings |= warn_rx_horizon_far;

    const double ns = g.surface_refractivity;
    if (ns < 150.0) {
        out.error = Error::surface_refractivity_small;
        return out;
    }
    if (ns > 400.0) {
        out.error = Error::surface_refractivity_large;
        return out;
    }
    if (ns < 250.0) warnings |= warn_low_surface_refractivity;
    if (a < 4000000.0 || a > 13333333.0) {
        out.error = Error::effective_earth;
        return out;
    }
    if (g.ground_impedance.real() <= std::abs(g.ground_impedance.imag())) {
        out.error = Error::ground_impedance;
        return out;
    }

    // Diffraction line through two distances well beyond the horizon, d_3 and d_4.
    const double scale_m = std::pow(a * a / f, third);
    const double d3 = std::max(c.smooth_horizons_m, c.horizons_m + 5.0 * scale_m);
    const double d4 = d3 + 10.0 * scale_m;
    const double a3 = diffraction_db(c, d3);
    const double a4 = diffraction_db(c, d4);
    const double diff_slope = (a4 - a3) / (d4 - d3);
    const double diff_intercept = a3 - diff_slope * d3;

    const double d_min = std::abs(g.effective_height_m[0] - g.effective_height_m[1]) / 200e-3;
    if (d < d_min) warnings |= warn_distance_below_dmin;
    if (d < 1e3) warnings |= warn_distance_below_1km;
    if (d > 1000e3) warnings |= warn_distance_over_1000km;
    if (d > 2000e3) warnings |= warn_distance_over_2000km;

    double attenuation;
    if (d < c.smooth_horizons_m) {
        // Line of sight: A_ref = A_o + k_1 d + k_2 ln d, fitted through the line-of-sight model
        // at d_0 and d_1 and the diffraction line at d_Ls ([ERL79] eqs. (3.16)-(3.21)).
        const double at_horizon = diff_slope * c.smooth_horizons_m + diff_intercept;
        double d0 = 0.04 * f * g.effective_height_m[0] * g.effective_height_m[1];
        double d1;
        if (diff_intercept >= 0.0) {
            d0 = std::min(d0, 0.5 * c.horizons_m);
            d1 = d0 + 0.25 * (c.horizons_m - d0);
        } else {
            d1 = std::max(-diff_intercept / diff_slope, 0.25 * c.horizons_m);
        }
        const double a1 = line_of_sight_db(c, d1, diff_slope, diff_intercept);

        bool use_both = false;
        double k1 = 0.0;
        double k2 = 0.0;
        if (d0 < d1) {
            const double a0 = line_of_sight_db(c, d0, diff_slope, diff_intercept);
            const double q = std::log(c.smooth_horizons_m / d0);
            k2 = std::max(0.0,
                          ((c.smooth_horizons_m - d0) * (a1 - a0) - (d1 - d0) * (at_horizon - a0)) /
                              ((c.smooth_horizons_m - d0) * std::log(d1 / d0) - (d1 - d0) * q));
            use_both = diff_intercept > 0.0 || k2 > 0.0;
            if (use_both) {
                k1 = (at_horizon - a0 - k2 * q) / (c.smooth_horizons_m - d0);
                if (k1 < 0.0) {
                    k1 = 0.0;
                    k2 = positive_part(at_horizon, a0) / q;
                    if (k2 == 0.0) k1 = diff_slope;
                }
            }
        }
        if (!use_both) {
            k1 = positive_part(at_horizon, a1) / (c.smooth_horizons_m - d1);
            k2 = 0.0;
            if (k1 == 0.0) k1 = diff_slope;
        }
        const double a_o =
            at_horizon - k1 * c.smooth_horizons_m - k2 * std::log(c.smooth_horizons_m);
        attenuation = a_o + k1 * d + k2 * std::log(d);
        out.mode = Mode::line_of_sight;
    } else {
        // Beyond the horizon: troposcatter line through d_5 and d_6, and the distance d_x where
        // it takes over from the diffraction line.
        const double d5 = c.horizons_m + 200e3;
        const double d6 = c.horizons_m + 400e3;
        double h0_cache = -1.0;
        const double a6 = troposcatter_db(c, d6, h0_cache);
        const double a5 = troposcatter_db(c, d5, h0_cache);
        double scatter_slope;
        double scatter_intercept;
        double crossover_m;
        if (a5 < 1000.0) {
            scatter_slope = (a6 - a5) / 200e3;
            crossover_m = std::max(
                std::max(c.smooth_horizons_m, c.horizons_m + 1.088 * scale_m * std::log(f)),
                (a5 - diff_intercept - scatter_slope * d5) / (diff_slope - scatter_slope));
            scatter_intercept = (diff_slope - scatter_slope) * crossover_m + diff_intercept;
        } else {
            scatter_slope = diff_slope;
            scatter_intercept = diff_intercept;
            crossover_m = 10e6;
        }
        if (d > crossover_m) {
            attenuation = scatter_slope * d + scatter_intercept;
            out.mode = Mode::troposcatter;
        } else {
            attenuation = diff_slope * d + diff_intercept;
            out.mode = Mode::diffraction;
        }
    }
    out.attenuation_db = std::max(attenuation, 0.0);
    return out;
}

}  // namespace grenzfunk::propagation::itm::detail
