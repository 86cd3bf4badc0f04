// Recommendation ITU-R P.1546-6 (08/2019), point-to-area field strength, 30-4000 MHz.
// Implements Annex 5 (§2-§18) in the step order of Annex 6 (Steps 1-20); see p1546.hpp for the
// section list. Validity: f 30-4000 MHz, d <= 1000 km (any shorter distance through §15),
// t 1-50 %, q 1-99 %, h1 <= 3000 m, h2 >= 1 m on land / 3 m at sea. The registered model "p1546"
// (end of this file) treats every path as a land path and derives h1, the terrain clearance
// angles and the ground heights from the terrain profile.
#include "propagation/p1546.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "core/units.hpp"
#include "propagation/model.hpp"
#include "propagation/p1546_tables.hpp"

namespace grenzfunk::propagation::p1546 {

namespace {

constexpr std::array<double, 3> kNominalFrequencyMhz = {100.0, 600.0, 2000.0};
// §4.3 eq. (12b): K_nu for the nominal frequencies 100, 600, 2000 MHz.
constexpr std::array<double, 3> kKnu = {1.35, 3.31, 6.00};
constexpr double kEffectiveEarthRadiusKm = 4.0 / 3.0 * 6370.0;  // §13 eq. (35)

double log10_ratio(double a, double b) {
    return std::log10(a / b);
}

int nominal_frequency_index(double nominal_frequency_mhz) {
    if (nominal_frequency_mhz < 300.0) return 0;
    if (nominal_frequency_mhz < 1300.0) return 1;
    return 2;
}

// Annex 1 figure (0-based) for a nominal frequency, nominal time and path type.
int figure_index(int frequency_index, double nominal_time_percent, bool sea, SeaType sea_type) {
    int offset = 0;
    const bool t50 = nominal_time_percent > 30.0, t10 = !t50 && nominal_time_percent > 5.0;
    if (!sea) {
        offset = t50 ? 0 : (t10 ? 1 : 2);
    } else if (t50) {
        offset = 3;
    } else {
        offset = (sea_type == SeaType::warm ? 6 : 4) + (t10 ? 0 : 1);
    }
    return frequency_index * 8 + offset;
}

// §5: the two Table 1 distances around d (km, d >= 1) and the log-distance weight, eq. (13).
struct DistanceBracket {
    int lo = 0;
    int hi = 0;
    double weight = 0.0;
};

DistanceBracket bracket_distance(double distance_km) {
    const auto& dist = kTableDistanceKm;
    DistanceBracket b;
    if (distance_km <= dist.front()) return b;  // d <= 1 km: first row (Step 17 extends it)
    if (distance_km >= dist.back()) {
        b.hi = kTableDistances - 1;
        b.lo = b.hi - 1;  // beyond 1000 km: extrapolate from the last two rows
        if (distance_km == dist.back()) {
            b.lo = b.hi;
            return b;
        }
    } else {
        const auto it = std::upper_bound(dist.begin(), dist.end(), distance_km);
        b.hi = int(it - dist.begin());
        b.lo = b.hi - 1;
        if (dist[std::size_t(b.lo)] == distance_km) {
            b.hi = b.lo;
            return b;
        }
    }
    b.weight = log10_ratio(distance_km, dist[std::size_t(b.lo)]) /
               log10_ratio(dist[std::size_t(b.hi)], dist[std::size_t(b.lo)]);
    return b;
}

double table_value(const CurveTable& table, int column, const DistanceBracket& b) {
    const double lo = table[std::size_t(b.lo)][std::size_t(column)];
    const double hi = table[std::size_t(b.hi)][std::size_t(column)];
    return lo + (hi - lo) * b.weight;  // eq. (13)
}

double table_at(const CurveTable& table, int column, double distance_km) {
    return table_value(table, column, bracket_distance(distance_km));
}

// §4.1 eq. (8): h1 >= 10 m, interpolation between (or extrapolation beyond 1200 m from) the
// nominal heights.
double field_for_height(const CurveTable& table, const DistanceBracket& b, double h1_m) {
    const auto& h = kTableHeightM;
    int lo = 0, hi = 0;
    if (h1_m > h.back()) {
        lo = kTableHeights - 2;
        hi = kTableHeights - 1;
    } else {
        while (hi < kTableHeights - 1 && h[std::size_t(hi)] < h1_m) ++hi;
        lo = (h[std::size_t(hi)] == h1_m) ? hi : hi - 1;
    }
    const double e_lo = table_value(table, lo, b);
    if (lo == hi) return e_lo;
    const double e_hi = table_value(table, hi, b);
    return e_lo + (e_hi - e_lo) * log10_ratio(h1_m, h[std::size_t(lo)]) /
                      log10_ratio(h[std::size_t(hi)], h[std::size_t(lo)]);
}

// §2 eqs. (1)-(3) and (42): maximum field strength for a path of d km of which d_sea is sea
// (linear interpolation between the all-land and all-sea values).
double maximum_field_dbuv_per_m(double time_percent, double distance_km, double sea_km) {
    const double e_fs = 106.9 - 20.0 * std::log10(distance_km);  // eq. (2)
    const double e_se =
        2.38 * (1.0 - std::exp(-distance_km / 8.94)) * std::log10(50.0 / time_percent);  // eq. (3)
    return e_fs + (sea_km / distance_km) * e_se;
}

// §4.3 eqs. (12)-(12c), case b): correction C_h1 for a (negative) h1 at a nominal frequency.
double negative_height_correction_db(int frequency_index, double h1_m) {
    const double theta_eff2_deg = units::rad_to_deg(std::atan(-h1_m / 9000.0));  // eq. (12c)
    const double nu = kKnu[std::size_t(frequency_index)] * theta_eff2_deg;       // eq. (12b)
    return 6.03 - knife_edge_j_db(nu);                                           // eq. (12)
}

// §4.2 eqs. (9)-(9b): field strength for h1 = 0 on land from the 10 m and 20 m curves.
double field_at_zero_height(double e10, double e20, int frequency_index) {
    const double c1020 = e10 - e20;
    const double c_h1neg10 = negative_height_correction_db(frequency_index, -10.0);
    return e10 + 0.5 * (c1020 + c_h1neg10);
}

struct PathContext {
    double frequency_mhz;
    double time_percent;
    double distance_km;  // >= 1 km (Step 17 handles shorter paths)
    double h1_m;
    bool sea;
    SeaType sea_type;
    double e_max;
};

}  // namespace

double knife_edge_j_db(double nu) {
    if (nu <= -0.7806) return 0.0;
    const double a = nu - 0.1;
    return 6.9 + 20.0 * std::log10(std::sqrt(a * a + 1.0) + a);  // eq. (12a)
}

double inverse_normal_qi(double fraction) {
    // §16 eqs. (39a)-(39d): Qi(x) = T(x) - C(x) for x <= 0.5, -(T(1-x) - C(1-x)) above.
    auto t_minus_c = [](double y) {
        const double t = std::sqrt(-2.0 * std::log(y));
        const double c = ((0.010328 * t + 0.802853) * t + 2.515517) /
                         (((0.001308 * t + 0.189269) * t + 1.432788) * t + 1.0);
        return t - c;
    };
    return fraction <= 0.5 ? t_minus_c(fraction) : -t_minus_c(1.0 - fraction);
}

double fresnel_clearance_distance_km(double frequency_mhz, double h1_m, double h2_m) {
    const double h1 = std::max(h1_m, 0.0);
    const double df = 0.0000389 * frequency_mhz * h1 * h2_m;    // eq. (41a)
    const double dh = 4.1 * (std::sqrt(h1) + std::sqrt(h2_m));  // eq. (41b)
    const double d06 = df * dh / (df + dh);                     // eq. (41)
    return std::max(d06, 0.001);
}

double curve_field_dbuv_per_m(double nominal_frequency_mhz, double nominal_time_percent, bool sea,
                              SeaType sea_type, double h1_m, double distance_km,
                              double e_max_dbuv_per_m, double time_percent) {
    const int fi = nominal_frequency_index(nominal_frequency_mhz);
    const CurveTable& table =
        kCurves[std::size_t(figure_index(fi, nominal_time_percent, sea, sea_type))];
    const DistanceBracket b = bracket_distance(distance_km);
    if (h1_m >= 10.0) {
        // Step 8.1, §4.1; limited to the maximum (needed for the h1 > 1200 m extrapolation).
        return std::min(field_for_height(table, b, h1_m), e_max_dbuv_per_m);
    }
    // Step 8.2, §4.2 (and §4.3 for negative h1).
    const double e10 = table_value(table, 0, b);
    const double e20 = table_value(table, 1, b);
    const double e_zero = field_at_zero_height(e10, e20, fi);
    if (!sea) {
        if (h1_m >= 0.0) return e_zero + 0.1 * h1_m * (e10 - e_zero);  // eq. (9)
        return e_zero + negative_height_correction_db(fi, h1_m);       // §4.3 eq. (12)
    }
    // Sea path, 1 m <= h1 < 10 m: §4.2 eqs. (10)-(11c), distances of 0.6 Fresnel clearance.
    const double d_h1 = fresnel_clearance_distance_km(nominal_frequency_mhz, h1_m, 10.0);
    const double d_20 = fresnel_clearance_distance_km(nominal_frequency_mhz, 20.0, 10.0);
    const double height_weight = std::log10(h1_m / 10.0) / std::log10(2.0);
    if (distance_km <= d_h1) return e_max_dbuv_per_m;  // eq. (11a)
    if (distance_km < d_20) {                          // eq. (11b)
        const double e10_d20 = table_at(table, 0, d_20), e20_d20 = table_at(table, 1, d_20);
        const double e_d20 = e10_d20 + (e20_d20 - e10_d20) * height_weight;
        const double e_dh1 = maximum_field_dbuv_per_m(time_percent, d_h1, d_h1);
        return e_dh1 + (e_d20 - e_dh1) * log10_ratio(distance_km, d_h1) / log10_ratio(d_20, d_h1);
    }
    const double e_prime = e10 + (e20 - e10) * height_weight;  // eq. (11c)
    const double e_second = e_zero + 0.1 * h1_m * (e10 - e_zero);
    const double fs = (distance_km - d_20) / distance_km;
    return e_prime * (1.0 - fs) + e_second * fs;
}

namespace {

// Steps 7-9: one nominal time percentage, interpolated / extrapolated in frequency (§6 eq. (14)).
double field_for_frequency(const PathContext& c, double nominal_time, double distance_km) {
    const double f = c.frequency_mhz;
    int lo = 0, hi = 1;
    if (f > kNominalFrequencyMhz[1]) {
        lo = 1;
        hi = 2;
    }
    if (f == kNominalFrequencyMhz[std::size_t(lo)]) hi = lo;
    if (f == kNominalFrequencyMhz[std::size_t(hi)]) lo = hi;
    const double f_lo = kNominalFrequencyMhz[std::size_t(lo)];
    const double e_lo = curve_field_dbuv_per_m(f_lo, nominal_time, c.sea, c.sea_type, c.h1_m,
                                               distance_km, c.e_max, c.time_percent);
    if (lo == hi) return e_lo;
    const double f_hi = kNominalFrequencyMhz[std::size_t(hi)];
    const double e_hi = curve_field_dbuv_per_m(f_hi, nominal_time, c.sea, c.sea_type, c.h1_m,
                                               distance_km, c.e_max, c.time_percent);
    double e = e_lo + (e_hi - e_lo) * log10_ratio(f, f_lo) / log10_ratio(f_hi, f_lo);
    if (f > 2000.0) e = std::min(e, c.e_max);  // §6: limit the extrapolation above 2000 MHz
    return e;
}

double field_for_nominal_time(const PathContext& c, double nominal_time) {
    // §6 eqs. (15a), (15b): sea paths below 100 MHz inside the 0.6 Fresnel distance at 600 MHz.
    if (c.sea && c.frequency_mhz < 100.0) {
        const double d600 = fresnel_clearance_distance_km(600.0, c.h1_m, 10.0);
        if (c.distance_km < d600) {
            const double df = fresnel_clearance_distance_km(c.frequency_mhz, c.h1_m, 10.0);
            if (c.distance_km <= df)
                return maximum_field_dbuv_per_m(c.time_percent, c.distance_km, c.distance_km);
            const double e_df = maximum_field_dbuv_per_m(c.time_percent, df, df);
            const double e_d600 = field_for_frequency(c, nominal_time, d600);
            return e_df + (e_d600 - e_df) * log10_ratio(c.distance_km, df) / log10_ratio(d600, df);
        }
    }
    return field_for_frequency(c, nominal_time, c.distance_km);
}

// Steps 6-10 for one path type: §7 eq. (16) interpolation between nominal time percentages.
double field_for_path(const PathContext& c) {
    const double t = c.time_percent;
    if (t == 1.0 || t == 10.0 || t == 50.0) return field_for_nominal_time(c, t);
    const double t_inf = t < 10.0 ? 1.0 : 10.0;
    const double t_sup = t < 10.0 ? 10.0 : 50.0;
    const double e_inf = field_for_nominal_time(c, t_inf);
    const double e_sup = field_for_nominal_time(c, t_sup);
    const double q_inf = inverse_normal_qi(t_inf / 100.0);
    const double q_sup = inverse_normal_qi(t_sup / 100.0);
    const double q_t = inverse_normal_qi(t / 100.0);
    return e_sup * (q_inf - q_t) / (q_inf - q_sup) + e_inf * (q_t - q_sup) / (q_inf - q_sup);
}

// §14 eq. (37): slope distance in km.
double slope_distance_km(double distance_km, double height_difference_m) {
    return std::sqrt(distance_km * distance_km + 1e-6 * height_difference_m * height_difference_m);
}

// §9: correction for the receiving/mobile antenna height; returns the correction, sets R2'.
double rx_height_correction_db(const Input& in, double h1_m, double distance_km, double& r2p) {
    const double f = in.frequency_mhz, h2 = in.rx_height_agl_m;
    const double k_h2 = 3.2 + 6.2 * std::log10(f);  // eq. (28c)
    if (in.rx_environment == ReceiverEnvironment::sea) {
        // Adjacent to sea: eq. (28b) with R' = 10 m for h2 >= 10 m, else eqs. (29)-(29b).
        r2p = 10.0;
        const double c10 = k_h2 * std::log10(h2 / 10.0);
        if (h2 >= 10.0) return c10;
        const double d10 = fresnel_clearance_distance_km(f, h1_m, 10.0);
        const double dh2 = fresnel_clearance_distance_km(f, h1_m, h2);
        if (distance_km >= d10) return c10;
        if (distance_km <= dh2) return 0.0;
        return c10 * log10_ratio(distance_km, dh2) / log10_ratio(d10, dh2);
    }
    // Land: modified representative clutter height, eq. (27), not less than 1 m.
    r2p = (1000.0 * distance_km * in.rx_clutter_height_m - 15.0 * h1_m) /
          (1000.0 * distance_km - 15.0);
    r2p = std::max(r2p, 1.0);
    if (in.rx_environment == ReceiverEnvironment::rural) {
        r2p = 10.0;  // rural / open: eq. (28b) with R' = 10 m for all h2
        return k_h2 * std::log10(h2 / 10.0);
    }
    double correction = 0.0;
    if (h2 < r2p) {
        const double h_dif = r2p - h2;                                                // eq. (28d)
        const double theta_clut_deg = units::rad_to_deg(std::atan(h_dif / 27.0));     // eq. (28e)
        const double nu = 0.0108 * std::sqrt(f) * std::sqrt(h_dif * theta_clut_deg);  // (28f)
        correction = 6.03 - knife_edge_j_db(nu);                                      // (28a)
    } else {
        correction = k_h2 * std::log10(h2 / r2p);  // eq. (28b)
    }
    if (r2p < 10.0) correction -= k_h2 * std::log10(10.0 / r2p);  // urban with R' < 10 m
    return correction;
}

// §10 eq. (30): clutter around the transmitting/base antenna (ha, R1 in m).
double tx_clutter_correction_db(double frequency_mhz, double ha_m, double r1_m) {
    const double h_dif1 = ha_m - r1_m;
    const double theta_clut_deg = units::rad_to_deg(std::atan(h_dif1 / 27.0));
    const double magnitude = 0.0108 * std::sqrt(frequency_mhz) * std::sqrt(h_dif1 * theta_clut_deg);
    const double nu = r1_m >= ha_m ? magnitude : -magnitude;
    return -knife_edge_j_db(nu);
}

// §12: standard deviation of the location variability (dB).
double location_sigma_db(const Input& in) {
    if (in.terrain_information)
        return (0.024 * in.frequency_mhz / 1000.0 + 0.52) *
               std::pow(in.location_area_width_m, 0.28);  // eq. (34)
    switch (in.rx_environment) {
        case ReceiverEnvironment::urban:
        case ReceiverEnvironment::dense_urban:
            return 8.0;
        case ReceiverEnvironment::suburban:
            return 10.0;
        case ReceiverEnvironment::rural:
            return 12.0;
        case ReceiverEnvironment::sea:
            break;
    }
    return 0.0;
}

}  // namespace

double default_clutter_height_m(ReceiverEnvironment environment) {
    switch (environment) {
        case ReceiverEnvironment::urban:
            return 15.0;
        case ReceiverEnvironment::dense_urban:
            return 20.0;
        case ReceiverEnvironment::rural:
        case ReceiverEnvironment::suburban:
        case ReceiverEnvironment::sea:
            break;
    }
    return 10.0;
}

bool parse_environment(std::string_view text, ReceiverEnvironment& out) {
    if (text == "rural")
        out = ReceiverEnvironment::rural;
    else if (text == "suburban")
        out = ReceiverEnvironment::suburban;
    else if (text == "urban")
        out = ReceiverEnvironment::urban;
    else if (text == "dense_urban" || text == "dense urban")
        out = ReceiverEnvironment::dense_urban;
    else if (text == "sea")
        out = ReceiverEnvironment::sea;
    else
        return false;
    return true;
}

std::string_view environment_name(ReceiverEnvironment environment) {
    switch (environment) {
        case ReceiverEnvironment::rural:
            return "rural";
        case ReceiverEnvironment::suburban:
            return "suburban";
        case ReceiverEnvironment::urban:
            return "urban";
        case ReceiverEnvironment::dense_urban:
            return "dense_urban";
        case ReceiverEnvironment::sea:
            return "sea";
    }
    return "rural";
}

double h1_without_terrain_m(double distance_km, double tx_height_agl_m, double heff_m) {
    if (distance_km >= 15.0) return heff_m;                                            // eq. (7)
    if (distance_km <= 3.0) return tx_height_agl_m;                                    // eq. (4)
    return tx_height_agl_m + (heff_m - tx_height_agl_m) * (distance_km - 3.0) / 12.0;  // eq. (5)
}

Result evaluate(const Input& in) noexcept {
    Result r;
    const double d = in.distance_km, f = in.frequency_mhz;
    if (!(f > 0.0) || !(d > 0.0) || !std::isfinite(in.h1_m) || !(in.rx_height_agl_m > 0.0) ||
        !(in.sea_distance_km >= 0.0) || !(in.time_percent > 0.0) ||
        !(in.location_percent > 0.0 && in.location_percent < 100.0)) {
        r.flags = invalid_input;
        return r;
    }
    const bool rx_at_sea = in.rx_environment == ReceiverEnvironment::sea;
    if (f < 30.0 || f > 4000.0) r.flags |= outside_frequency_range;
    if (d > 1000.0) r.flags |= outside_distance_range;
    if (in.rx_height_agl_m < (rx_at_sea ? 3.0 : 1.0)) r.flags |= outside_rx_height_range;
    double t = in.time_percent;
    if (t < 1.0 || t > 50.0) {
        r.flags |= outside_other_range;
        t = std::clamp(t, 1.0, 50.0);
    }
    double q = in.location_percent;
    if (q < 1.0 || q > 99.0) r.flags |= outside_other_range;
    q = std::clamp(q, 1.0, 99.0);

    // Step 1: path types. Sea part limited to the path length.
    const double sea_km = std::min(in.sea_distance_km, d);
    const double land_km = d - sea_km;
    // §3 / §4.1: the Recommendation is not valid above 3000 m.
    double h1 = in.h1_m;
    if (h1 > 3000.0) {
        r.flags |= outside_tx_height_range;
        h1 = 3000.0;
    }
    r.h1_m = h1;
    const double ha = std::isfinite(in.tx_height_agl_m) ? in.tx_height_agl_m : std::max(h1, 0.0);
    const bool grounds = std::isfinite(in.tx_ground_amsl_m) && std::isfinite(in.rx_ground_amsl_m);
    const double dh_m = (ha + (grounds ? in.tx_ground_amsl_m : 0.0)) -
                        (in.rx_height_agl_m + (grounds ? in.rx_ground_amsl_m : 0.0));

    // Steps 1-16 use d = 1 km for shorter paths; §15 (Step 17) then extends to d.
    const double dc = std::max(d, 1.0);
    // §2 maximum (actual distance) with the §14 slope correction.
    r.e_max_dbuv_per_m =
        maximum_field_dbuv_per_m(t, d, sea_km) + 20.0 * std::log10(d / slope_distance_km(d, dh_m));

    // Steps 2-10 for each path type; §3.3: a sea path uses h1 of at least 3 m.
    PathContext c{f, t, dc, h1, false, in.sea_type, r.e_max_dbuv_per_m};
    if (land_km > 0.0) r.e_land_dbuv_per_m = field_for_path(c);
    if (sea_km > 0.0) {
        c.sea = true;
        c.h1_m = std::max(h1, 3.0);
        r.e_sea_dbuv_per_m = field_for_path(c);
    }
    // Step 11, §8 eqs. (17)-(21): mixed land/sea path.
    double e = 0.0;
    if (sea_km <= 0.0) {
        e = r.e_land_dbuv_per_m;
    } else if (land_km <= 0.0) {
        e = r.e_sea_dbuv_per_m;
    } else {
        const double f_sea = sea_km / d;
        const double delta = r.e_sea_dbuv_per_m - r.e_land_dbuv_per_m;
        const double v = std::max(1.0, 1.0 + delta / 40.0);
        const double a0 = 1.0 - std::pow(1.0 - f_sea, 2.0 / 3.0);
        const double a = std::pow(a0, v);
        e = (1.0 - a) * r.e_land_dbuv_per_m + a * r.e_sea_dbuv_per_m;
    }
    r.e_curves_dbuv_per_m = e;

    // Step 12, §11 eqs. (32a)-(32c): terrain clearance angle, limited to 0.55-40 degrees.
    if (std::isfinite(in.tca_deg)) {
        const double tca = std::clamp(in.tca_deg, 0.55, 40.0);
        const double nu_ref = 0.036 * std::sqrt(f);
        r.tca_nu = 0.065 * tca * std::sqrt(f);
        r.tca_correction_db = knife_edge_j_db(nu_ref) - knife_edge_j_db(r.tca_nu);
        e += r.tca_correction_db;
    }
    // Step 13, §13 eqs. (35), (36): tropospheric scatter; take the larger field.
    if (in.troposcatter && std::isfinite(in.tca_deg) && std::isfinite(in.theta_eff1_deg)) {
        r.theta_s_deg = std::max(0.0, 180.0 * dc / (units::pi * kEffectiveEarthRadiusKm) +
                                          in.theta_eff1_deg + in.tca_deg);
        const double lf = 5.0 * std::log10(f) - 2.5 * std::pow(std::log10(f) - 3.3, 2.0);
        const double gt = 10.1 * std::pow(-std::log10(0.02 * t), 0.7);
        r.e_troposcatter_dbuv_per_m = 24.4 - 20.0 * std::log10(dc) - 10.0 * r.theta_s_deg - lf +
                                      0.15 * in.surface_refractivity_n0 + gt;
        if (r.e_troposcatter_dbuv_per_m > e) {
            e = r.e_troposcatter_dbuv_per_m;
            r.flags |= troposcatter;
        }
    }
    // Step 14, §9: receiving/mobile antenna height.
    r.rx_height_correction_db = rx_height_correction_db(in, h1, dc, r.r2_prime_m);
    e += r.rx_height_correction_db;
    // Step 15, §10: clutter around the transmitting/base antenna (not for an open site).
    if (in.tx_clutter_height_m > 0.0) {
        r.tx_clutter_correction_db = tx_clutter_correction_db(f, ha, in.tx_clutter_height_m);
        e += r.tx_clutter_correction_db;
    }
    // Step 16, §14 eq. (37): slope-path correction.
    r.slope_correction_db = 20.0 * std::log10(dc / slope_distance_km(dc, dh_m));
    e += r.slope_correction_db;
    // Step 17, §15 eq. (38): paths shorter than 1 km.
    if (d < 1.0) {
        const double ds = slope_distance_km(d, dh_m);
        const double ds_inf = slope_distance_km(0.04, dh_m), ds_sup = slope_distance_km(1.0, dh_m);
        const double e_inf = 106.9 - 20.0 * std::log10(ds_inf);
        if (d <= 0.04)
            e = 106.9 - 20.0 * std::log10(ds);
        else
            e = e_inf + (e - e_inf) * std::log10(ds / ds_inf) / std::log10(ds_sup / ds_inf);
        r.e_short_path_dbuv_per_m = e;
    }
    // Step 18, §12 eq. (33): location variability (receiver on land only).
    if (q != 50.0 && !rx_at_sea) {
        r.location_correction_db = inverse_normal_qi(q / 100.0) * location_sigma_db(in);
        e += r.location_correction_db;
    }
    // Step 19: limit to the maximum.
    if (e > r.e_max_dbuv_per_m) {
        e = r.e_max_dbuv_per_m;
        r.limited_to_e_max = true;
    }
    r.field_dbuv_per_m = e;
    // Step 20, §17 eq. (40): equivalent basic transmission loss for 1 kW e.r.p.
    r.basic_loss_db = 139.3 - e + 20.0 * std::log10(f);
    return r;
}

namespace {

// First index i with x(i) >= value (n if none); x increases with i.
template <class DistanceAt>
std::size_t first_index_from(DistanceAt x, std::size_t n, double value) {
    std::size_t lo = 0, hi = n;
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (x(mid) < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// Mean of the piecewise-linear ground between x_a and x_b (km), exact trapezoid integration.
template <class DistanceAt>
double mean_ground_m(DistanceAt x, std::span<const double> h, double x_a, double x_b) {
    const std::size_t n = h.size();
    double area = 0.0;
    const std::size_t start = first_index_from(x, n, x_a);
    for (std::size_t i = start > 0 ? start - 1 : 0; i + 1 < n; ++i) {
        const double x0 = x(i), x1 = x(i + 1);
        if (x0 >= x_b) break;
        if (x1 <= x_a || x1 <= x0) continue;
        const double lo = std::max(x0, x_a), hi = std::min(x1, x_b);
        const double slope = (h[i + 1] - h[i]) / (x1 - x0);
        const double h_lo = h[i] + slope * (lo - x0), h_hi = h[i] + slope * (hi - x0);
        area += 0.5 * (h_lo + h_hi) * (hi - lo);
    }
    return area / (x_b - x_a);
}

template <class DistanceAt>
ProfileGeometry analyse(DistanceAt x, std::span<const double> h, double ha, double h2) {
    ProfileGeometry g;
    const std::size_t n = h.size();
    if (n < 2) return g;
    const double d = x(n - 1);
    if (!(d > 0.0)) return g;
    g.distance_km = d;
    g.tx_ground_amsl_m = h[0];
    g.rx_ground_amsl_m = h[n - 1];
    // §3.1.2 eq. (6) (0.2d to d) for d < 15 km, §3.2 eq. (7) (3 km to 15 km) otherwise.
    const double x_a = d < 15.0 ? 0.2 * d : 3.0, x_b = d < 15.0 ? d : 15.0;
    g.terrain_average_m = mean_ground_m(x, h, x_a, x_b);
    g.h1_m = ha + h[0] - g.terrain_average_m;
    // §11: clearance angle at the receiver over up to 16 km, not beyond the transmitter.
    const double rx_amsl = h[n - 1] + h2, tx_amsl = h[0] + ha;
    // atan is monotonic: find the steepest slope, then take one arctangent.
    double tca_slope = -std::numeric_limits<double>::infinity();
    for (std::size_t i = first_index_from(x, n, d - 16.0); i + 1 < n; ++i) {
        const double dist = d - x(i);
        tca_slope = std::max(tca_slope, (h[i] - rx_amsl) / (1000.0 * dist));
    }
    g.tca_deg = units::rad_to_deg(std::atan(tca_slope));
    // §4.3 a): clearance angle at the transmitter over up to 15 km, not beyond the receiver.
    double teff1_slope = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i < n; ++i) {
        const double dist = x(i);
        if (dist > 15.0) break;
        teff1_slope = std::max(teff1_slope, (h[i] - tx_amsl) / (1000.0 * dist));
    }
    const double teff1 = units::rad_to_deg(std::atan(teff1_slope));
    g.theta_eff1_deg = teff1;
    return g;
}

}  // namespace

ProfileGeometry analyse_profile(std::span<const double> distance_km,
                                std::span<const double> elevation_m, double tx_height_agl_m,
                                double rx_height_agl_m) {
    if (distance_km.size() != elevation_m.size() || distance_km.empty()) return {};
    const double x0 = distance_km[0];
    return analyse([&](std::size_t i) { return distance_km[i] - x0; }, elevation_m, tx_height_agl_m,
                   rx_height_agl_m);
}

ProfileGeometry analyse_uniform_profile(double step_km, std::span<const double> elevation_m,
                                        double tx_height_agl_m, double rx_height_agl_m) {
    return analyse([step_km](std::size_t i) { return step_km * double(i); }, elevation_m,
                   tx_height_agl_m, rx_height_agl_m);
}

// ---------------------------------------------------------------------------------------------
// The registered model "p1546". It uses no geographic position (PathQuery::centre_*, tx_*,
// rx_* may be NaN): the §13 surface refractivity N0 is the parameter surface_refractivity_n0,
// not read from the Recommendation's map at the path centre.
namespace {

class P1546Model final : public PropagationModel {
  public:
    explicit P1546Model(const ParameterSet& p) {
        time_percent_ = p.get_double("time_percent", 50.0);
        location_percent_ = p.get_double("location_percent", 50.0);
        const std::string env = p.get_string("environment", "rural");
        if (!parse_environment(env, environment_))
            throw InputError(
                "p1546: environment must be rural, suburban, urban, dense_urban or "
                "sea, got '" +
                env + "'");
        rx_clutter_m_ = p.get_double("rx_clutter_height_m", default_clutter_height_m(environment_));
        tx_clutter_m_ = p.get_double("tx_clutter_height_m", 0.0);
        use_tca_ = p.get_bool("use_terrain_clearance_angle", true);
        use_troposcatter_ = p.get_bool("use_troposcatter", true);
        area_width_m_ = p.get_double("location_area_width_m", 500.0);
        n0_ = p.get_double("surface_refractivity_n0", 325.0);
        auto require = [](bool ok, const std::string& msg) {
            if (!ok) throw InputError("p1546: " + msg);
        };
        require(time_percent_ >= 1.0 && time_percent_ <= 50.0,
                "time_percent must be between 1 and 50 (%), got " + fmt(time_percent_));
        require(location_percent_ >= 1.0 && location_percent_ <= 99.0,
                "location_percent must be between 1 and 99 (%), got " + fmt(location_percent_));
        require(rx_clutter_m_ >= 0.0 && rx_clutter_m_ < 1000.0,
                "rx_clutter_height_m must be between 0 and 1000 m, got " + fmt(rx_clutter_m_));
        require(tx_clutter_m_ >= 0.0 && tx_clutter_m_ < 1000.0,
                "tx_clutter_height_m must be between 0 and 1000 m, got " + fmt(tx_clutter_m_));
        require(area_width_m_ > 0.0,
                "location_area_width_m must be positive, got " + fmt(area_width_m_));
        require(n0_ > 0.0 && n0_ < 1000.0,
                "surface_refractivity_n0 must be between 0 and 1000 N-units, got " + fmt(n0_));
    }

    std::string_view name() const override { return "p1546"; }
    std::string_view reference() const override {
        return "ITU-R P.1546-6 (08/2019) Annex 5 sections 2-18, Annex 6 steps 1-20 (land paths)";
    }
    bool needs_terrain_profile() const override { return true; }
    ValidityRange validity() const override {
        return {30.0, 4000.0, 0.001, 1000.0, 0.0, 3000.0, 1.0, 3000.0};
    }
    std::map<std::string, std::string> parameters() const override {
        return {{"time_percent", fmt(time_percent_)},
                {"location_percent", fmt(location_percent_)},
                {"environment", std::string(environment_name(environment_))},
                {"rx_clutter_height_m", fmt(rx_clutter_m_)},
                {"tx_clutter_height_m", fmt(tx_clutter_m_)},
                {"use_terrain_clearance_angle", use_tca_ ? "true" : "false"},
                {"use_troposcatter", use_troposcatter_ ? "true" : "false"},
                {"location_area_width_m", fmt(area_width_m_)},
                {"surface_refractivity_n0", fmt(n0_)}};
    }

    PathResult loss(const PathQuery& q) const noexcept override {
        constexpr double nan = std::numeric_limits<double>::quiet_NaN();
        if (q.profile.elevation_m.size() < 2 || !(q.profile.step_m > 0.0))
            return {nan, invalid_input};
        const ProfileGeometry g = analyse_uniform_profile(
            q.profile.step_m / 1000.0, q.profile.elevation_m, q.tx_height_agl_m, q.rx_height_agl_m);
        Input in;
        in.frequency_mhz = q.frequency_mhz;
        in.time_percent = time_percent_;
        in.location_percent = location_percent_;
        in.distance_km = q.distance_m > 0.0 ? q.distance_m / 1000.0 : g.distance_km;
        in.h1_m = g.h1_m;
        in.tx_height_agl_m = q.tx_height_agl_m;
        in.rx_height_agl_m = q.rx_height_agl_m;
        in.rx_environment = environment_;
        in.rx_clutter_height_m = rx_clutter_m_;
        in.tx_clutter_height_m = tx_clutter_m_;
        in.tx_ground_amsl_m = g.tx_ground_amsl_m;
        in.rx_ground_amsl_m = g.rx_ground_amsl_m;
        in.tca_deg = use_tca_ ? g.tca_deg : nan;
        in.theta_eff1_deg = g.theta_eff1_deg;
        in.troposcatter = use_troposcatter_;
        in.terrain_information = true;
        in.location_area_width_m = area_width_m_;
        in.surface_refractivity_n0 = n0_;
        const Result r = evaluate(in);
        return {r.basic_loss_db, r.flags};
    }

  private:
    static std::string fmt(double v) {
        std::ostringstream s;
        s << v;
        return s.str();
    }

    double time_percent_ = 50.0;
    double location_percent_ = 50.0;
    ReceiverEnvironment environment_ = ReceiverEnvironment::rural;
    double rx_clutter_m_ = 10.0;
    double tx_clutter_m_ = 0.0;
    bool use_tca_ = true;
    bool use_troposcatter_ = true;
    double area_width_m_ = 500.0;
    double n0_ = 325.0;
};

}  // namespace
}  // namespace grenzfunk::propagation::p1546

namespace grenzfunk::propagation {

// Parameters (ParameterSet keys, defaults):
//   time_percent 50 (1-50), location_percent 50 (1-99), environment "rural" (rural, suburban,
//   urban, dense_urban, sea: the receiver's surroundings), rx_clutter_height_m (default by
//   environment: 10 / 10 / 15 / 20 / 10 m), tx_clutter_height_m 0 (0 = open site, no §10
//   correction), use_terrain_clearance_angle true (§11), use_troposcatter true (§13),
//   location_area_width_m 500 (§12 wa), surface_refractivity_n0 325 (§13 N0).
std::unique_ptr<PropagationModel> make_p1546(const ParameterSet& parameters) {
    return std::make_unique<p1546::P1546Model>(parameters);
}

}  // namespace grenzfunk::propagation
