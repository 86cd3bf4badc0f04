// Statistical clutter loss for terrestrial paths, to be added on top of any propagation model.
//
// Standard: Recommendation ITU-R P.2108-1 (09/2021) "Prediction of clutter loss", Annex 1
// §3.2 "Statistical clutter loss model for terrestrial paths", eqs. (3a)-(6). Applicable to
// urban and suburban clutter. Validity: 0.5 <= f <= 67 GHz, path length d >= 0.25 km,
// location percentage 0 < p < 100. The correction may be applied at ONE end of a path for
// 0.25 <= d < 1 km and at both ends for d >= 1 km (§3.2).
#pragma once

#include <string>

namespace grenzfunk::propagation {

inline constexpr double p2108_terrestrial_min_frequency_ghz = 0.5;
inline constexpr double p2108_terrestrial_max_frequency_ghz = 67.0;
inline constexpr double p2108_terrestrial_min_distance_km = 0.25;
// Shortest path on which the correction may be applied at both ends.
inline constexpr double p2108_terrestrial_both_ends_min_distance_km = 1.0;

// Set-up check: throws InputError when the frequency or the location percentage lies outside
// §3.2 (the model is not defined there). `context` prefixes the message (e.g. "scenario.toml").
void require_p2108_terrestrial_inputs(double frequency_ghz, double location_percent,
                                      const std::string& context);

// Per-path check: false when the path is shorter than 0.25 km (the caller flags it,
// e.g. with PathFlag::outside_other_range).
inline bool p2108_terrestrial_distance_in_range(double distance_km) {
    return distance_km >= p2108_terrestrial_min_distance_km;
}

// Clutter loss Lctt (dB) not exceeded at location_percent % of locations, eqs. (3a)-(6).
// Never throws. Below 0.25 km the value at 0.25 km is returned (the formula is not defined
// there and diverges to a gain as d -> 0); NaN in, NaN out; frequency <= 0 or percentage
// outside (0, 100) gives NaN.
double p2108_terrestrial_clutter_loss_db(double frequency_ghz, double distance_km,
                                         double location_percent) noexcept;

// The same for one frequency and location percentage, with everything that does not depend on
// the distance computed once (for per-pixel use). The constructor checks the inputs with
// require_p2108_terrestrial_inputs; loss_db(d) equals p2108_terrestrial_clutter_loss_db(f, d, p).
class P2108TerrestrialClutter {
  public:
    P2108TerrestrialClutter(double frequency_ghz, double location_percent,
                            const std::string& context);
    double loss_db(double distance_km) const noexcept;

  private:
    double log_frequency_ = 0.0;
    double weight_l_ = 0.0;  // 10^(-0.2 Ll)
    double q_inverse_ = 0.0;
    double loss_at_2km_db_ = 0.0;
};

// Q^-1(x): inverse of the complementary standard normal distribution Q(z) = P(Z > z), for
// 0 < x < 1 (NaN otherwise). Accurate to ~1e-12 (rational start, Newton steps on erfc).
double inverse_complementary_normal(double x) noexcept;

}  // namespace grenzfunk::propagation
