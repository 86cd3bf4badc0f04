// The attenuation tail of ITM point-to-point ([Alg] §4 "lrprop" and §5 "avar", plus free space)
// for 8 paths at once (one transmitter's paths on the fast engine). The paths of a batch share
// their mode class — all within the smooth-earth horizon (line of sight) or all beyond it
// (diffraction or troposcatter) —, so each batch evaluates one branch of [Alg] §4 only.
//
// The same formulas as itm_attenuation.cpp / itm_variability.cpp, in the same order of
// operations, written over Highway vectors (itm_tail.cpp, one copy per instruction set) with the
// vector maths of src/simd: the result of a path does not depend on the instruction set, on the
// other paths of its batch or on the batch size. It differs from the scalar tail only by the
// rounding of the maths functions (a few ulp; tests hold the two to 1e-6 dB).
#pragma once

#include <cstdint>

#include "propagation/itm_internal.hpp"

namespace grenzfunk::propagation::itm::detail {

inline constexpr int tail_lanes = 8;

// One climate curve (c1 + c2 / (1 + ((d_e - x2) / x3)^2)) (d_e / x1)^2 / (1 + (d_e / x1)^2).
struct ClimateCurveParameters {
    double c1 = 0, c2 = 0, x1 = 1, x2 = 0, x3 = 1;
};
struct ClimateParameters {
    ClimateCurveParameters median, spread_low, spread_high;
    double ducting_ratio = 1.0, ducting_z = 1.0;
};
ClimateParameters climate_parameters(Climate climate);

// What the tail needs that does not depend on the path (one transmitter, one frequency).
struct TailConstants {
    double frequency_mhz = 0.0;
    double height_m[2] = {0.0, 0.0};  // structural heights h_g1, h_g2
    double ground_re = 0.0, ground_im = 0.0;
    // Hoisted: f^(1/3), 0.017778 f^(-1/3) / |Z_g|, ln f, free-space constant 32.45 + 20 log10 f.
    double f_cbrt = 0.0, k_factor = 0.0, log_frequency = 0.0, free_space_db = 0.0;
    VariabilityConstants variability;
    ClimateParameters climate;
};
TailConstants tail_constants(double frequency_mhz, double tx_height_m, double rx_height_m,
                             std::complex<double> ground_impedance,
                             const VariabilityConstants& variability);

// The paths of one batch, one array element per path (lane); count <= tail_lanes. Unused lanes
// must hold a valid path (the engine repeats the last one), their results are ignored.
struct TailBatch {
    double distance_m[tail_lanes];
    double effective_height_m[2][tail_lanes];
    double horizon_distance_m[2][tail_lanes];
    double horizon_angle_rad[2][tail_lanes];
    double delta_h_m[tail_lanes];
    double radius_m[tail_lanes];  // a = 1 / gamma_e
    double surface_refractivity[tail_lanes];
    // Results.
    double loss_db[tail_lanes];
    double reference_db[tail_lanes];
    double troposcatter[tail_lanes];  // 1: troposcatter, 0: diffraction (beyond the horizon)
    int count = 0;
};

// Fills loss_db and reference_db of every lane; the paths must all lie within their smooth-earth
// horizon distance sqrt(2 h_e1 a) + sqrt(2 h_e2 a) (line of sight), resp. beyond it.
void tail_line_of_sight(const TailConstants& constants, TailBatch& batch);
void tail_beyond_horizon(const TailConstants& constants, TailBatch& batch);

}  // namespace grenzfunk::propagation::itm::detail

namespace grenzfunk::propagation::itm::detail {

// The horizon candidates among profile samples lo .. hi - 1 (interior samples of a profile of n
// intervals, `step_m` apart): the highest elevation angle seen from the transmitter,
// (z_k - z_tx) / (k h) - k h / 2a, and from the receiver, -(z_rx - z_k) / ((n - k) h) -
// (n - k) h / 2a, each with the lowest index that attains it (what find_horizons' scans pick,
// computed with the same operations). Angles are -infinity and indices -1 for an empty range,
// and for the transmitter when !with_tx (its scan skipped).
struct ScanCandidates {
    double tx_angle_rad, rx_angle_rad;
    int tx_index, rx_index;
};
ScanCandidates scan_horizon_candidates(const double* z, int lo, int hi, int n, double step_m,
                                       double z_tx, double z_rx, double radius_m,
                                       bool with_tx = true);

// The receiver's horizon candidate among samples lo .. hi-1 of a profile of n intervals: the
// highest angle -(z_rx - z_k) / ((n - k) h) - (n - k) h / 2a and the lowest index attaining it,
// over the samples not clearly below best_angle_rad (the screen of PrefixProfile's backward
// scan; a sample it drops could not win against that angle). -infinity and -1 if none.
struct RxCandidate {
    double angle_rad;
    int index;
};
RxCandidate rx_block_candidate(const double* z, int lo, int hi, int n, double step_m, double z_rx,
                               double radius_m, double best_angle_rad);

}  // namespace grenzfunk::propagation::itm::detail
