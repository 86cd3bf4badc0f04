// Height-gain terminal correction for the clutter around one end of a path.
//
// Standard: Recommendation ITU-R P.2108-1 (09/2021) "Prediction of clutter loss", Annex 1 §3.1
// "Height gain terminal correction model", eqs. (2a)-(2f), Table 3. The median additional loss
// Ah (dB) of a terminal at height h (m) in clutter of representative height R (m) and street
// width ws (m):
//   h >= R:                                  Ah = 0
//   h <  R, urban, trees/forest, suburban,
//          dense urban:                      Ah = J(nu) - 6.03                          (2a)
//   h <  R, water/sea, open/rural:           Ah = -K_h2 log10(h / R)                    (2b)
//   nu = K_nu sqrt(h_dif theta_clut)                                                    (2c)
//   h_dif = R - h                                                                       (2d)
//   theta_clut = atan(h_dif / ws)  (degrees)                                            (2e)
//   K_h2 = 21.8 + 6.2 log10(f),  K_nu = 0.342 sqrt(f)   (f in GHz)                      (2f, 2g)
//   J(nu) = 6.9 + 20 log10(sqrt((nu - 0.1)^2 + 1) + nu - 0.1)   (ITU-R P.526 eq. (31),
//           bullington.hpp knife_edge_loss_db; nu >= 0 here)
// Validity: 0.03 <= f <= 3 GHz; h > 0 (eq. (2b) is undefined at h = 0), R > 0, ws > 0.
// Independent of the path length, so a coverage run evaluates it once per frequency and class.
#pragma once

#include <string>

#include "core/land_cover.hpp"

namespace grenzfunk::propagation {

inline constexpr double p2108_terminal_min_frequency_ghz = 0.03;
inline constexpr double p2108_terminal_max_frequency_ghz = 3.0;

// Ah (dB, >= 0) from the equations above. Never throws; NaN for inputs outside the validity
// (frequency outside 0.03-3 GHz, h <= 0, R <= 0, ws <= 0, NaN).
double p2108_terminal_clutter_loss_db(double frequency_ghz, double height_m, ClutterType type,
                                      double clutter_height_m, double street_width_m) noexcept;

// Set-up check: throws InputError "<context>: ..." for inputs outside the validity.
void require_p2108_terminal_inputs(double frequency_ghz, double height_m, double clutter_height_m,
                                   double street_width_m, const std::string& context);

}  // namespace grenzfunk::propagation
