// HCM Annex 5 curves and corrections as HCM_MS V7.21.5 computes them. Facts taken from the
// HCM_V7 Fortran (github.com/5chufti/HCM_V7: Get_FS_from_figures.f90, Get_figure_FS_value.f90,
// TCA_correction_calculation.f90, Dh_correction.f90) and checked against the program's output
// (tests/data/hcm, tests/test_hcm_curves.cpp). HCM computes in single precision (REAL) with
// double distance and frequency; double precision here stays within 0.002 dB of its printed
// results, so no float emulation is needed.
#include "propagation/hcm_curves.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "propagation/hcm_curves_tables.hpp"
#include "propagation/p1546_tables.hpp"

namespace grenzfunk::propagation::hcm {

namespace {

constexpr int kLastDistanceIndex = p1546::kTableDistances - 1;  // 1000 km
constexpr int kLastHeightIndex = p1546::kTableHeights - 1;      // 1200 m
constexpr double kMaxDistanceKm = 1000.0;                       // HCM error 1028 beyond
constexpr double kMaxHeffM = 3000.0;
constexpr double kSmallHeightLimitM = 10.0;  // below: the 4.1 sqrt(h) rule on the 10 m curve
constexpr double kHorizonFactorKm = 4.1;     // d_H = 4.1 sqrt(h) km (P.1546 Annex 5 Sec. 4.2)
// HCM uses the rounded constant 12.96534 for 4.1 sqrt(10), not the exact 12.965338...
constexpr double kHorizon10mKm = 12.96534;
// V7.17 2000 MHz land curves: E2000 = 1.4 E600 - 0.4 Emax on the 2005 600 MHz tables
// (empirical reconstruction, see hcm_curves_tables.cpp; exact to the program's printed 3
// decimals in all 200 reference cases).
constexpr double k2000MhzLossScale = 1.4;

int time_index(TimePercent time) {
    switch (time) {
        case TimePercent::p50:
            return 0;
        case TimePercent::p10:
            return 1;
        case TimePercent::p1:
            return 2;
    }
    return 1;
}

// One tabulated land value at a curve frequency (100, 600 or 2000 MHz).
double table_value(int curve_frequency_mhz, TimePercent time, int distance_index,
                   int height_index) {
    const int t = time_index(time);
    if (curve_frequency_mhz == 2000) {
        const p1546::CurveRow& row = kLand600Mhz2005[t][distance_index];
        const double emax = row[p1546::kTableHeights];
        return k2000MhzLossScale * row[height_index] - (k2000MhzLossScale - 1.0) * emax;
    }
    // HCM V7.21 uses the P.1546-6 tabulation at 100 and 600 MHz: figures 1-3 and 9-11 (land,
    // 50 / 10 / 1 %).
    const int figure = (curve_frequency_mhz == 100 ? 1 : 9) + t;
    return p1546::kCurves[figure - 1][distance_index][height_index];
}

// Log-x interpolation (extrapolation outside [x0, x1]), HCM's rule in d, h and f.
double log_interpolate(double x, double x0, double x1, double y0, double y1) {
    return y0 + (y1 - y0) * std::log10(x / x0) / std::log10(x1 / x0);
}

// Lower node of HCM's distance bracket: the last of the first 77 nodes not above d (so 975-1000
// km serves everything from 975 km up). d >= 1 km.
int distance_bracket(double distance_km) {
    int low = 0;
    for (int i = 0; i < kLastDistanceIndex; ++i) {
        if (distance_km >= p1546::kTableDistanceKm[i]) low = i;
    }
    return low;
}

// Lower node of the height bracket: the last of the first 7 nodes not above h (600-1200 m
// serves everything from 600 m up to the 3000 m clamp). h >= 10 m.
int height_bracket(double heff_m) {
    int low = 0;
    for (int i = 0; i < kLastHeightIndex; ++i) {
        if (heff_m >= p1546::kTableHeightM[i]) low = i;
    }
    return low;
}

// The 10 m curve at one curve frequency, log-d interpolated at x (>= 1 km).
double ten_metre_curve(int curve_frequency_mhz, TimePercent time, double x_km) {
    const int i = distance_bracket(x_km);
    return log_interpolate(x_km, p1546::kTableDistanceKm[i], p1546::kTableDistanceKm[i + 1],
                           table_value(curve_frequency_mhz, time, i, 0),
                           table_value(curve_frequency_mhz, time, i + 1, 0));
}

// heff >= 10 m at one curve frequency: log-h, then log-d interpolation.
double curve_at_frequency(int curve_frequency_mhz, TimePercent time, double distance_km,
                          double heff_m, int d_low, int h_low) {
    const double h0 = p1546::kTableHeightM[h_low];
    const double h1 = p1546::kTableHeightM[h_low + 1];
    auto at_distance = [&](int d) {
        return log_interpolate(heff_m, h0, h1, table_value(curve_frequency_mhz, time, d, h_low),
                               table_value(curve_frequency_mhz, time, d, h_low + 1));
    };
    return log_interpolate(distance_km, p1546::kTableDistanceKm[d_low],
                           p1546::kTableDistanceKm[d_low + 1], at_distance(d_low),
                           at_distance(d_low + 1));
}

// heff < 10 m at one curve frequency (Get_FS_from_figures, "Case Heff = 0 m - 10 m"): with
// d_H(h) = 4.1 sqrt(h), beyond d_H(heff) the 10 m curve is read at the shifted distance
// d_H(10) + d - d_H(heff); nearer, E10(d_H(10)) + E10(d) - E10(d_H(heff)). (HCM's free-space
// branches for a shifted distance below 1 km cannot occur once d >= 1 km.)
double small_height_curve(int curve_frequency_mhz, TimePercent time, double distance_km,
                          double horizon_km) {
    if (distance_km < horizon_km) {
        return ten_metre_curve(curve_frequency_mhz, time, kHorizon10mKm) +
               ten_metre_curve(curve_frequency_mhz, time, distance_km) -
               ten_metre_curve(curve_frequency_mhz, time, horizon_km);
    }
    return ten_metre_curve(curve_frequency_mhz, time, kHorizon10mKm + distance_km - horizon_km);
}

// HCM's frequency step for the TCA and delta-h corrections: it multiplies by
// log10(f_high/f_low) where the interpolation needs a division (TCA_correction_calculation.f90,
// Dh_correction.f90). Reproduced on purpose: the reference program's numbers depend on it.
double hcm_correction_frequency_step(double frequency_mhz, double at_100, double at_600,
                                     double at_2000) {
    if (frequency_mhz <= 600.0) {
        return at_100 + (at_600 - at_100) * std::log10(frequency_mhz / 100.0) * std::log10(6.0);
    }
    return at_600 +
           (at_2000 - at_600) * std::log10(frequency_mhz / 600.0) * std::log10(2000.0 / 600.0);
}

void check_distance(double distance_km, const char* what) {
    if (!(distance_km > 0.0) || distance_km > kMaxDistanceKm) {
        throw InputError(std::string("hcm ") + what + ": distance_km " +
                         std::to_string(distance_km) + " outside (0, 1000] km");
    }
}

void check_frequency(double frequency_mhz, const char* what) {
    if (!(frequency_mhz > 0.0) || !std::isfinite(frequency_mhz)) {
        throw InputError(std::string("hcm ") + what + ": frequency_mhz " +
                         std::to_string(frequency_mhz) + " must be positive");
    }
}

// One piece of HCM's delta-h figures: for delta-h up to `upper_m`, slope * (A - ref) + offset.
struct DeltaHSegment {
    double upper_m;
    double slope_db_per_m;
    double ref_m;
    double offset_db;
};
using DeltaHCurve = DeltaHSegment[8];

// Dh_correction.f90: A1 (50-100 km) and A2 (> 200 km) for Figures 1 (100 MHz), 2 (600 MHz) and
// 3 (2000 MHz); the last segment applies above 300 m.
constexpr DeltaHCurve kDeltaH100Near = {
    {20, 0.3, 10, -7},  {30, 0.15, 30, -2.5}, {50, 0.125, 50, 0},   {80, 0.1, 80, 3},
    {100, 0.1, 100, 5}, {150, 0.06, 150, 8},  {300, 0.04, 300, 14}, {1e9, 0.025, 500, 19}};
constexpr DeltaHCurve kDeltaH100Far = {
    {20, 0.1, 20, -2},   {30, 0.05, 30, -1.5},  {50, 0.075, 50, 0},    {80, 0.067, 80, 2},
    {100, 0.05, 100, 3}, {150, 0.03, 150, 4.5}, {300, 0.0167, 300, 7}, {1e9, 0.0125, 500, 9.5}};
constexpr DeltaHCurve kDeltaH600Near = {
    {20, 0.4, 10, -10},  {30, 0.3, 30, -3},    {50, 0.15, 50, 0},     {80, 0.133, 80, 4},
    {100, 0.15, 100, 7}, {150, 0.06, 150, 10}, {300, 0.067, 300, 20}, {1e9, 0.04, 500, 28}};
constexpr DeltaHCurve kDeltaH600Far = {
    {20, 0.2, 20, -3},      {30, 0.1, 30, -2},   {50, 0.1, 50, 0},      {80, 0.067, 80, 2},
    {100, 0.075, 100, 3.5}, {150, 0.03, 150, 5}, {300, 0.033, 300, 10}, {1e9, 0.015, 500, 13}};
constexpr DeltaHCurve kDeltaH2000Near = {{20, 0.4, 10, -10},         {30, 0.3, 30, -3},
                                         {50, 0.15, 50, 0},          {80, 0.1667, 80, 5},
                                         {100, 0.185, 100, 8.7},     {150, 0.074, 150, 12.4},
                                         {300, 0.082667, 300, 24.8}, {1e9, 0.0495, 500, 34.7}};
constexpr DeltaHCurve kDeltaH2000Far = {{20, 0.2, 20, -3},          {30, 0.1, 30, -2},
                                        {50, 0.1, 50, 0},           {80, 0.08333, 80, 2.5},
                                        {100, 0.09, 100, 4.3},      {150, 0.038, 150, 6.2},
                                        {300, 0.041333, 300, 12.4}, {1e9, 0.0185, 500, 16.1}};

double delta_h_figure(const DeltaHCurve& curve, double a_m) {
    for (const DeltaHSegment& s : curve) {
        if (a_m <= s.upper_m) return (a_m - s.ref_m) * s.slope_db_per_m + s.offset_db;
    }
    return 0.0;  // not reached: the last segment has no upper limit
}

// The distance dependence of one frequency's correction (Dh_correction.f90): A1 is defined
// below 200 km, A2 above 100 km; (d-10)/40 * A1 up to 50 km, A1 to 100 km, a linear blend to
// A2 over 100-200 km, A2 beyond.
double delta_h_at_distance(const DeltaHCurve& near, const DeltaHCurve& far, double a_m,
                           double distance_km) {
    const double a1 = distance_km < 200.0 ? delta_h_figure(near, a_m) : 0.0;
    const double a2 = distance_km > 100.0 ? delta_h_figure(far, a_m) : 0.0;
    if (distance_km <= 50.0) return a1 * (distance_km - 10.0) / 40.0;
    if (distance_km <= 100.0) return a1;
    if (distance_km <= 200.0) return a2 - (distance_km - 200.0) * (a1 - a2) / 100.0;
    return a2;
}

// Diffraction term of the TCA correction at one curve frequency: reference - J(v), clamped.
double tca_at_frequency(double v, double reference_db, double lower_db, double upper_db) {
    const double j_db = 6.9 + 20.0 * std::log10(std::sqrt((v - 0.1) * (v - 0.1) + 1.0) + v - 0.1);
    const double c = reference_db - j_db;
    if (c > upper_db) return upper_db;
    if (c < lower_db) return lower_db;
    return c;
}

}  // namespace

double free_space_field_strength_1kw_dbuv_m(double distance_km) {
    return 107.0 - 20.0 * std::log10(distance_km);
}

double free_space_field_strength_dbuv_m(double distance_km, double erp_dbw) {
    return free_space_field_strength_1kw_dbuv_m(distance_km) - 30.0 + erp_dbw;
}

CurveResult land_curve(double distance_km, double heff_m, double frequency_mhz, TimePercent time) {
    check_distance(distance_km, "land_curve");
    check_frequency(frequency_mhz, "land_curve");
    CurveResult r;
    r.free_space_fs_1kw_dbuv_m = free_space_field_strength_1kw_dbuv_m(distance_km);
    r.heff_used_m = std::isnan(heff_m) ? 0.0 : std::fmin(std::fmax(heff_m, 0.0), kMaxHeffM);
    r.curve_frequency_low_mhz = frequency_mhz <= 600.0 ? 100 : 600;
    r.curve_frequency_high_mhz = frequency_mhz <= 600.0 ? 600 : 2000;
    r.frequency_weight =
        std::log10(frequency_mhz / r.curve_frequency_low_mhz) /
        std::log10(static_cast<double>(r.curve_frequency_high_mhz) / r.curve_frequency_low_mhz);
    if (distance_km < 1.0) {  // HCM: free space below 1 km (Info 11)
        r.free_space_below_1km = true;
        r.curve_fs_1kw_dbuv_m = r.free_space_fs_1kw_dbuv_m;
        r.fs_at_low_frequency_dbuv_m = r.fs_at_high_frequency_dbuv_m = r.curve_fs_1kw_dbuv_m;
        return r;
    }
    const int d_low = distance_bracket(distance_km);
    r.distance_low_km = p1546::kTableDistanceKm[d_low];
    r.distance_high_km = p1546::kTableDistanceKm[d_low + 1];
    if (r.heff_used_m >= kSmallHeightLimitM) {
        const int h_low = height_bracket(r.heff_used_m);
        r.height_low_m = p1546::kTableHeightM[h_low];
        r.height_high_m = p1546::kTableHeightM[h_low + 1];
        r.fs_at_low_frequency_dbuv_m = curve_at_frequency(r.curve_frequency_low_mhz, time,
                                                          distance_km, r.heff_used_m, d_low, h_low);
        r.fs_at_high_frequency_dbuv_m = curve_at_frequency(
            r.curve_frequency_high_mhz, time, distance_km, r.heff_used_m, d_low, h_low);
    } else {
        r.small_height_rule = true;
        r.height_low_m = r.height_high_m = kSmallHeightLimitM;
        r.horizon_distance_heff_km = kHorizonFactorKm * std::sqrt(r.heff_used_m);
        if (distance_km >= r.horizon_distance_heff_km) {
            r.shifted_distance_km = kHorizon10mKm + distance_km - r.horizon_distance_heff_km;
        }
        r.fs_at_low_frequency_dbuv_m = small_height_curve(r.curve_frequency_low_mhz, time,
                                                          distance_km, r.horizon_distance_heff_km);
        r.fs_at_high_frequency_dbuv_m = small_height_curve(r.curve_frequency_high_mhz, time,
                                                           distance_km, r.horizon_distance_heff_km);
    }
    r.curve_fs_1kw_dbuv_m =
        r.fs_at_low_frequency_dbuv_m +
        (r.fs_at_high_frequency_dbuv_m - r.fs_at_low_frequency_dbuv_m) * r.frequency_weight;
    return r;
}

double land_curve_fs_1kw_dbuv_m(double distance_km, double heff_m, double frequency_mhz,
                                TimePercent time) {
    return land_curve(distance_km, heff_m, frequency_mhz, time).curve_fs_1kw_dbuv_m;
}

double tca_correction_db(double tca_deg, double distance_km, double frequency_mhz) {
    check_distance(distance_km, "tca_correction");
    check_frequency(frequency_mhz, "tca_correction");
    // v = k * theta (rad) with k = 37.2 / 91.2 / 167 at 100 / 600 / 2000 MHz; HCM's rounded
    // per-degree factors.
    const double c100 = tca_at_frequency(0.6492624 * tca_deg, 9.1, -32.0, 7.5);
    const double c600 = tca_at_frequency(1.5917403 * tca_deg, 13.1, -35.0, 16.0);
    const double c2000 = tca_at_frequency(2.9146999 * tca_deg, 17.3, -36.0, 24.0);
    double c = hcm_correction_frequency_step(frequency_mhz, c100, c600, c2000);
    if (distance_km < 16.0) c = c * distance_km / 16.0;  // the TCA covers only the first 16 km
    return c >= 0.0 ? 0.0 : c;                           // only a negative correction is used
}

double delta_h_correction_db(double delta_h_m, double distance_km, double frequency_mhz) {
    check_distance(distance_km, "delta_h_correction");
    check_frequency(frequency_mhz, "delta_h_correction");
    if (distance_km < 10.0) return 0.0;
    const double a_m = std::fmin(std::fmax(delta_h_m, 10.0), 500.0);
    const double c100 = delta_h_at_distance(kDeltaH100Near, kDeltaH100Far, a_m, distance_km);
    const double c600 = delta_h_at_distance(kDeltaH600Near, kDeltaH600Far, a_m, distance_km);
    const double c2000 = delta_h_at_distance(kDeltaH2000Near, kDeltaH2000Far, a_m, distance_km);
    return hcm_correction_frequency_step(frequency_mhz, c100, c600, c2000);
}

LandFieldResult land_field_strength(const LandFieldInputs& in) {
    LandFieldResult r;
    r.curve = land_curve(in.distance_km, in.heff_m, in.frequency_mhz, in.time);
    r.tx_tca_corr_db = tca_correction_db(in.tx_tca_deg, in.distance_km, in.frequency_mhz);
    if (in.has_rx_tca) {
        r.rx_tca_corr_db = tca_correction_db(in.rx_tca_deg, in.distance_km, in.frequency_mhz);
    }
    r.delta_h_corr_db = delta_h_correction_db(in.delta_h_m, in.distance_km, in.frequency_mhz);
    r.land_fs_uncorrected_dbuv_m = r.curve.curve_fs_1kw_dbuv_m - 30.0 + in.erp_towards_rx_dbw;
    r.land_fs_dbuv_m =
        r.land_fs_uncorrected_dbuv_m + r.tx_tca_corr_db + r.rx_tca_corr_db - r.delta_h_corr_db;
    r.free_space_fs_dbuv_m =
        free_space_field_strength_dbuv_m(in.distance_km, in.erp_towards_rx_dbw);
    return r;
}

}  // namespace grenzfunk::propagation::hcm
