// A 3-D pattern made from two measured cuts (core/antenna_cuts.hpp, e.g. from an MSI/Planet file),
// oriented by the cell's azimuth and mechanical downtilt (AntennaFrame, TR 38.901 §7.1.3). The
// electrical tilt is in the vertical cut and is never applied again. docs/antennas.md,
// "3-D from two cuts".
//
// With the target at clockwise azimuth phi and elevation el in the antenna's frame,
// A_H = the horizontal cut at phi, A_V = the vertical cut at -el (degrees below the horizon,
// the front half of the cut):
//   summed (default): A = min(A_H + A_V, A_max), A_max = the largest attenuation of the
//                     horizontal cut: the structure of 3GPP TR 38.901 V17.0.0 Table 7.3-1,
//                     A = -min(-(A_EH + A_EV), Am), with the two measured cuts in place of
//                     the parabolic ones.
//   gil_weighted:     F. Gil, A. R. Claro, J. M. Ferreira, C. Pardelinha, L. M. Correia, "A 3D
//                     interpolation method for base-station-antenna radiation patterns", IEEE
//                     Antennas and Propagation Magazine 43(2), April 2001:
//                       G = (G_H w1 + G_V w2) / (w1 + w2), w1 = v (1 - h), w2 = h (1 - v),
//                     G_H = -A_H, G_V = -A_V and h = 10^(-A_H/10), v = 10^(-A_V/10) the
//                     normalised linear gains; G = 0 where w1 + w2 = 0 (h = v = 1).
// Both reproduce the horizontal cut in the horizontal plane when A_V(0) = 0 and the vertical
// cut in the vertical plane through boresight when A_H(0) = 0.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "antenna/pattern.hpp"
#include "core/antenna_cuts.hpp"

namespace grenzfunk::antenna {

// Throws InputError for a non-finite azimuth or a mechanical tilt outside [-90, 90].
AntennaPattern make_cut_pattern(std::string pattern_name, std::shared_ptr<const AntennaCuts> cuts,
                                double azimuth_deg, double mechanical_tilt_deg,
                                CutCombination combination);

// "summed" / "gil" -> the enum; nullopt for anything else.
std::optional<CutCombination> parse_cut_combination(std::string_view text);
const char* cut_combination_name(CutCombination c);

}  // namespace grenzfunk::antenna
