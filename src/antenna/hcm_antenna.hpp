// Antenna diagrams given by HCM / ECC TR 25-08 antenna codes (HCM Agreement, Annex 6), evaluated
// the way the HCM reference program HCM_MS V7.21.5 evaluates them (the program's behaviour, not
// only the Annex text, is the reference: tests/data/hcm/README_reference.md, "Antenna codes").
//
// A code is NNNTTMM: three digits, a two-letter type, two digits. 9XH is the horizontal diagram,
// 9XV the vertical one, 9A the azimuth (deg from north) and 9B the elevation (deg, negative =
// below horizontal) of the main radiation. Every diagram gives the relative field rho in
// [0.01, 1]; the attenuation is -20 log10(rho) (0 .. 40 dB).
//
// Types (angle alpha from the main direction, deg):
//   ND        non-directional, rho = 1.
//   EA EB EC DE  analytic single-lobe diagrams (Annex 6, Appendix 3): NNN is the angle to the
//             -3 dB point (half the half-power beamwidth), rho(NNN) = 1/sqrt(2). NNN in 1..65
//             (EA, DE), 1..79 (EB), 1..96 (EC).
//   LA        cos((1 - cos(60 alpha / NNN)) 90) within 1.5 NNN, the floor outside; NNN 1..120.
//   KA CA CB CC  cardioid-like shapes with parameter b = NNN/100 (NNN 0..100); C types use
//             cos(2 alpha), cos(3 alpha), cos(4 alpha).
//   mnnVx, mnnWx  two-beam diagrams (Appendices 4 and 5): beams of half-width 5 m + 15 deg at
//             0 and 2 nn deg, shape letter x = A..I (e = 0, 0.05, .. 0.40); V: MM is the floor;
//             W: digits r p give the floor r/20 outside and p/20 + 0.35 between the beams.
//   TA, Px    vertical diagrams of electrically tilted antennas (Appendix 7): rho = cos^x(alpha -
//             tilt) with x chosen so that rho = 1/sqrt(2) at NNN/10 deg (NNN 1..890), 0.01
//             behind the antenna. TA: tilt 0 (the 9B elevation acts as the tilt, see
//             difference_angles); Px: electrical downtilt A = 0 deg, B = 1 deg, .. Z = 25 deg.
//   Floors: for every type but W, rho >= MM/100 (10 -> 0.10 = -20 dB, 05 -> 0.05 = -26 dB).
//
// Angles passed to a VERTICAL diagram follow HCM: positive = below the main direction.
//
// Checked against HCM_MS (tests/data/hcm/cases.csv): ND, EA with ND, TA, PC and PD vertical
// diagrams, with and without mechanical elevation. From HCM_MS's source and the Annex only, not
// checked against the program's output: EB, EC, DE, LA, KA, CA, CB, CC, V, W, P letters other
// than C and D, and an ND horizontal with a directional vertical diagram (taken through the
// same interpolation with rho_H = 1).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "antenna/pattern.hpp"

namespace grenzfunk::antenna::hcm {

enum class DiagramType {
    non_directional,  // ND
    single_lobe_ea,
    single_lobe_eb,
    single_lobe_ec,
    single_lobe_de,
    lobe_la,
    cardioid_ka,
    cosine_ca,  // cos(2 alpha)
    cosine_cb,  // cos(3 alpha)
    cosine_cc,  // cos(4 alpha)
    two_beam_v,
    two_beam_w,
    tilted_ta,  // Appendix 7, no electrical tilt of its own
    tilted_p,   // Appendix 7, electrical downtilt from the letter
};

struct AntennaCode {
    std::string text;  // the 7 characters as given
    DiagramType type = DiagramType::non_directional;
    int nnn = 0;             // characters 1-3
    int mm = 0;              // characters 6-7
    double floor_rho = 0.0;  // MM/100 (0 for W, which has its own floors)
    // Two-beam (V, W): beam half-width 5 m + 15 deg, lobe separation 2 nn deg, shape e.
    double beam_half_width_deg = 0.0;
    double beam_separation_deg = 0.0;
    double shape_e = 0.0;
    double w_floor_outside_rho = 0.0;  // r/20
    double w_floor_between_rho = 0.0;  // p/20 + 0.35
    double electrical_tilt_deg = 0.0;  // Px only

    bool is_non_directional() const { return type == DiagramType::non_directional; }
    // TA and Px: the Appendix 7 vertical diagrams (combined with the horizontal by product).
    bool is_tilted_vertical() const {
        return type == DiagramType::tilted_ta || type == DiagramType::tilted_p;
    }
};

// Parses a 7-character code; throws InputError "HCM antenna code '<code>': <what is wrong>" for
// a wrong length, non-digits, an unknown type or an NNN outside HCM's limits (HCM error 1038).
AntennaCode parse_code(std::string_view code);

// Relative field rho in [0.01, 1] of one diagram at `angle_deg` from the main direction (any
// real angle; HCM does not wrap it, which matters only for LA and W).
double relative_field(const AntennaCode& code, double angle_deg) noexcept;
// -20 log10(relative_field), dB in [0, 40].
double attenuation_db(const AntennaCode& code, double angle_deg) noexcept;

// Difference angles between the antenna's main direction and the receiver, HCM's signs:
// horizontal = direction to the receiver minus azimuth, vertical = vertical angle minus
// elevation (positive = receiver above the main direction).
struct DifferenceAngles {
    double horizontal_deg = 0.0;
    double vertical_deg = 0.0;
};

// As HCM_MS computes them:
//   * both codes ND: 0 and 0;
//   * vertical code TA: the plain differences, unwrapped (dir - azimuth may be 250 deg), the
//     elevation acting as a tilt of the vertical diagram in every direction;
//   * otherwise the 3-D transform: the receiver's direction expressed in the antenna frame
//     rotated by the mechanical elevation about its horizontal axis (horizontal in
//     (-180, 180], vertical in [-90, 90]). With elevation 0 this is the wrapped plain difference.
DifferenceAngles difference_angles(const AntennaCode& code_h, const AntennaCode& code_v,
                                   double azimuth_deg, double elevation_deg,
                                   double direction_tx_rx_deg,
                                   double vertical_angle_tx_rx_deg) noexcept;

// Combined attenuation of the two diagrams for those difference angles, dB in [0, 40]:
//   * vertical code TA or Px: rho = rho_H(h) rho_V(-v) (the dB add);
//   * otherwise HCM's interpolation between the front and back vertical cuts weighted by the
//     horizontal diagram (Antenna_correction of HCM_MS); an ND vertical diagram takes part in
//     it as rho = 1 (so behind a sector antenna the attenuation depends on the vertical angle);
//     h = 0 gives the vertical diagram alone, v = 0 the horizontal one.
double combined_attenuation_db(const AntennaCode& code_h, const AntennaCode& code_v,
                               const DifferenceAngles& angles) noexcept;

struct AntennaCorrection {
    DifferenceAngles angles;
    double attenuation_db = 0.0;  // HCM's Tx_ant_corr (power towards the Rx = e.r.p. - this)
};

// difference_angles + combined_attenuation_db (0 dB for ND/ND).
AntennaCorrection antenna_correction(const AntennaCode& code_h, const AntennaCode& code_v,
                                     double azimuth_deg, double elevation_deg,
                                     double direction_tx_rx_deg,
                                     double vertical_angle_tx_rx_deg) noexcept;

// A cell's `antenna_pattern` written as HCM codes: "H" (the horizontal diagram 9XH; vertical
// 000ND00) or "H/V" (e.g. "032EA10/035TA10"), each of the shape NNNTTMM (3 digits, 2 capital
// letters, 2 digits); "omni" is 000ND00/000ND00. nullopt for any other pattern name. The codes
// are not validated here (parse_code does that).
struct PatternCodes {
    std::string horizontal;
    std::string vertical;
};
std::optional<PatternCodes> pattern_codes(std::string_view antenna_pattern);

// A cell pattern from a pair of codes with the antenna's azimuth (9A) and elevation (9B):
// relative_gain_db(azimuth, elevation) = -antenna_correction(...).attenuation_db with the target
// bearing as direction Tx->Rx and the target elevation as vertical angle. Throws InputError for
// a bad code or a non-finite / out-of-range (|elevation| > 90) orientation.
AntennaPattern make_pattern(std::string_view code_h, std::string_view code_v, double azimuth_deg,
                            double elevation_deg);

}  // namespace grenzfunk::antenna::hcm
