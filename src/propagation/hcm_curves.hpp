// Field-strength curves and corrections of the HCM method (HCM Agreement Annex 5) as the
// reference program HCM_MS V7.21.5 implements them (github.com/5chufti/HCM_V7; reference cases in
// tests/data/hcm). Pure numbers: the terrain side (heff, delta-h, clearance angles) is computed
// elsewhere and passed in. HCM is not ITU-R P.1546: it has its own small-height rule, its own
// 2000 MHz curves, no time interpolation and its own corrections, including the program's quirks.
#pragma once

namespace grenzfunk::propagation::hcm {

// The time percentages HCM has curves for; HCM does not interpolate in time (any other value
// is error 2001 in Get_figure_FS_value).
enum class TimePercent { p1, p10, p50 };

// E.i.r.p. -> e.r.p.: HCM_MS subtracts 2.1 dB (HCM_MS_V7.F90, Tx_ant_type_corr for type "I"),
// not the physical half-wave dipole gain.
inline constexpr double kHcmEirpToErpDb = 2.1;
inline constexpr double kDipoleGainDbi = 2.15;

// Free-space field strength as HCM uses it: 107 - 20 log10(d) dB(uV/m) for 1 kW e.r.p.
// (Get_FS_from_figures), i.e. 77 - 20 log10(d) + P for P dBW e.r.p.
double free_space_field_strength_1kw_dbuv_m(double distance_km);
double free_space_field_strength_dbuv_m(double distance_km, double erp_dbw);

// Everything the curve look-up used and produced (Get_FS_from_figures, land part).
struct CurveResult {
    double curve_fs_1kw_dbuv_m = 0.0;  // land field strength for 1 kW e.r.p.
    double free_space_fs_1kw_dbuv_m = 0.0;
    bool free_space_below_1km = false;  // d < 1 km: HCM returns free space (Info 11)
    double heff_used_m = 0.0;           // heff after HCM's clamp to 0 ... 3000 m
    // Frequency: log-f interpolation between the two curve frequencies, extrapolation outside
    // (below 100 MHz along 100-600, above 2000 MHz along 600-2000).
    int curve_frequency_low_mhz = 0;
    int curve_frequency_high_mhz = 0;
    double frequency_weight = 0.0;  // log(f/f_low)/log(f_high/f_low); < 0 or > 1 = extrapolation
    double fs_at_low_frequency_dbuv_m = 0.0;   // the value at f_low (after d and h interpolation)
    double fs_at_high_frequency_dbuv_m = 0.0;  // the value at f_high
    // heff >= 10 m: the height nodes used (log-h interpolation, extrapolation above 1200 m).
    double height_low_m = 0.0;
    double height_high_m = 0.0;
    // Distance nodes of the main bracket (log-d interpolation).
    double distance_low_km = 0.0;
    double distance_high_km = 0.0;
    // heff < 10 m: HCM's 4.1 sqrt(h) rule on the 10 m curve (see hcm_curves.cpp).
    bool small_height_rule = false;
    double horizon_distance_heff_km = 0.0;  // 4.1 sqrt(heff)
    double shifted_distance_km = 0.0;  // 4.1 sqrt(10) + d - 4.1 sqrt(heff) (only for d >= that)
};

// Land field strength for 1 kW e.r.p. read from HCM's curves. distance_km in (0, 1000] (larger
// or non-positive: InputError, as HCM's errors 1028 / 1000); heff_m any value (clamped 0 ... 3000
// m); frequency_mhz > 0 (HCM has no upper limit).
CurveResult land_curve(double distance_km, double heff_m, double frequency_mhz, TimePercent time);
double land_curve_fs_1kw_dbuv_m(double distance_km, double heff_m, double frequency_mhz,
                                TimePercent time);

// Terrain-clearance-angle correction (TCA_correction_calculation.f90), dB, <= 0, added to the
// field strength. Per curve frequency: 9.1 / 13.1 / 17.3 - J(v) with v = 37.2 / 91.2 / 167 *
// tca (rad) and J the knife-edge loss 6.9 + 20 log10(sqrt((v-0.1)^2+1) + v - 0.1), clamped to
// [-32, 7.5] / [-35, 16] / [-36, 24] dB at 100 / 600 / 2000 MHz; then HCM's frequency step
// (which multiplies by log10(f_high/f_low) where the division was meant), times d/16 below 16
// km, and at most 0 dB.
double tca_correction_db(double tca_deg, double distance_km, double frequency_mhz);

// Terrain-irregularity (delta-h) correction (Dh_correction.f90), dB, *subtracted* from the field
// strength; 0 for d < 10 km. delta_h is clamped to 10 ... 500 m and read from HCM's piecewise
// linear Figures 1 (100 MHz), 2 (600 MHz), 3 (2000 MHz) for 50-100 km and > 200 km, scaled by
// (d-10)/40 up to 50 km and blended linearly over 100-200 km; frequency step as for the TCA
// (same multiplication quirk).
double delta_h_correction_db(double delta_h_m, double distance_km, double frequency_mhz);

// All inputs of HCM's land field strength at the receiver (P_to_P_calculation / Line_calculation).
struct LandFieldInputs {
    double distance_km = 0.0;
    double heff_m = 0.0;  // heff_tx * heff_rx / 10 (computed by the terrain side)
    double frequency_mhz = 0.0;
    TimePercent time = TimePercent::p10;
    double erp_towards_rx_dbw = 0.0;  // e.r.p. minus the antenna attenuation towards the Rx
    double tx_tca_deg = 0.0;
    bool has_rx_tca = false;  // mode 10 only (point-to-point, non-strict)
    double rx_tca_deg = 0.0;
    double delta_h_m = 50.0;  // HCM's "not computed" value gives 0 dB (and so does d < 10 km)
};

struct LandFieldResult {
    CurveResult curve;
    double tx_tca_corr_db = 0.0;
    double rx_tca_corr_db = 0.0;
    double delta_h_corr_db = 0.0;
    double land_fs_uncorrected_dbuv_m = 0.0;  // curve - 30 + P
    double land_fs_dbuv_m = 0.0;        // curve - 30 + P + TCA corrections - delta-h correction
    double free_space_fs_dbuv_m = 0.0;  // 77 - 20 log10(d) + P
};

LandFieldResult land_field_strength(const LandFieldInputs& in);

}  // namespace grenzfunk::propagation::hcm
