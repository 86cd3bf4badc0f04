// ITU-R P.2108-1 (09/2021) Annex 1 §3.2: statistical clutter loss for terrestrial paths.
//
//   Lctt = -5 log10(10^(-0.2 Ll) + 10^(-0.2 Ls)) - sigma_cb Q^-1(p/100)            (3a)
//   sigma_cb = sqrt((sigma_l^2 10^(-0.2 Ll) + sigma_s^2 10^(-0.2 Ls))
//                   / (10^(-0.2 Ll) + 10^(-0.2 Ls)))                                (3b)
//   Ll = -2 log10(10^(-5 log10 f - 12.5) + 10^(-16.5)),  sigma_l = 4 dB             (4a, 4b)
//   Ls = 32.98 + 23.9 log10 d + 3 log10 f,               sigma_s = 6 dB             (5a, 5b)
//   Lctt must not exceed its value at d = 2 km                                      (6)
// f in GHz (0.5-67), d in km (>= 0.25), p the percentage of locations (0 < p < 100).
#include "propagation/p2108.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/error.hpp"

namespace grenzfunk::propagation {

double inverse_complementary_normal(double x) noexcept {
    if (!(x > 0.0 && x < 1.0)) return std::numeric_limits<double>::quiet_NaN();
    // Start: Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4), on the smaller tail.
    const double tail = std::min(x, 1.0 - x);
    const double t = std::sqrt(-2.0 * std::log(tail));
    double z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                       (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
    if (x > 0.5) z = -z;
    // Newton on Q(z) - x = 0 with Q(z) = erfc(z/sqrt 2)/2 and Q'(z) = -phi(z).
    constexpr double inv_sqrt2 = 0.70710678118654752440;
    constexpr double inv_sqrt_2pi = 0.39894228040143267794;
    for (int iteration = 0; iteration < 3; ++iteration) {
        const double q = 0.5 * std::erfc(z * inv_sqrt2);
        const double density = inv_sqrt_2pi * std::exp(-0.5 * z * z);
        if (!(density > 0.0)) break;
        z += (q - x) / density;
    }
    return z;
}

namespace {

// 10^(-0.2 Ll) with Ll from eq. (4a).
double weight_l(double log_frequency) {
    const double ll_db =
        -2.0 * std::log10(std::pow(10.0, -5.0 * log_frequency - 12.5) + std::pow(10.0, -16.5));
    return std::pow(10.0, -0.2 * ll_db);
}

// Eqs. (3a)-(5b) at one distance.
double clutter_loss_at_db(double log_frequency, double weight_l, double distance_km,
                          double q_inverse) {
    const double ls_db = 32.98 + 23.9 * std::log10(distance_km) + 3.0 * log_frequency;  // (5a)
    constexpr double sigma_l_db = 4.0;                                                  // (4b)
    constexpr double sigma_s_db = 6.0;                                                  // (5b)
    const double weight_s = std::pow(10.0, -0.2 * ls_db);
    const double sigma_cb_db =
        std::sqrt((sigma_l_db * sigma_l_db * weight_l + sigma_s_db * sigma_s_db * weight_s) /
                  (weight_l + weight_s));                                     // (3b)
    return -5.0 * std::log10(weight_l + weight_s) - sigma_cb_db * q_inverse;  // (3a)
}

}  // namespace

double p2108_terrestrial_clutter_loss_db(double frequency_ghz, double distance_km,
                                         double location_percent) noexcept {
    if (!(frequency_ghz > 0.0) || std::isnan(distance_km))
        return std::numeric_limits<double>::quiet_NaN();
    const double q_inverse = inverse_complementary_normal(location_percent / 100.0);
    if (std::isnan(q_inverse)) return q_inverse;
    const double log_f = std::log10(frequency_ghz);
    const double wl = weight_l(log_f);
    const double d_km = std::max(distance_km, p2108_terrestrial_min_distance_km);
    // (6): the loss must not exceed the value at 2 km.
    return std::min(clutter_loss_at_db(log_f, wl, d_km, q_inverse),
                    clutter_loss_at_db(log_f, wl, 2.0, q_inverse));
}

P2108TerrestrialClutter::P2108TerrestrialClutter(double frequency_ghz, double location_percent,
                                                 const std::string& context) {
    require_p2108_terrestrial_inputs(frequency_ghz, location_percent, context);
    log_frequency_ = std::log10(frequency_ghz);
    weight_l_ = weight_l(log_frequency_);
    q_inverse_ = inverse_complementary_normal(location_percent / 100.0);
    loss_at_2km_db_ = clutter_loss_at_db(log_frequency_, weight_l_, 2.0, q_inverse_);
}

double P2108TerrestrialClutter::loss_db(double distance_km) const noexcept {
    if (std::isnan(distance_km)) return distance_km;
    const double d_km = std::max(distance_km, p2108_terrestrial_min_distance_km);
    return std::min(clutter_loss_at_db(log_frequency_, weight_l_, d_km, q_inverse_),
                    loss_at_2km_db_);  // (6)
}

void require_p2108_terrestrial_inputs(double frequency_ghz, double location_percent,
                                      const std::string& context) {
    if (!(frequency_ghz >= p2108_terrestrial_min_frequency_ghz &&
          frequency_ghz <= p2108_terrestrial_max_frequency_ghz)) {
        std::ostringstream msg;
        msg << context << ": frequency " << frequency_ghz
            << " GHz is outside the range of the ITU-R P.2108-1 terrestrial clutter loss ("
            << p2108_terrestrial_min_frequency_ghz << "-" << p2108_terrestrial_max_frequency_ghz
            << " GHz)";
        throw InputError(msg.str());
    }
    if (!(location_percent > 0.0 && location_percent < 100.0)) {
        std::ostringstream msg;
        msg << context << ": location_percent " << location_percent
            << " must be strictly between 0 and 100 (ITU-R P.2108-1 §3.2)";
        throw InputError(msg.str());
    }
}

}  // namespace grenzfunk::propagation
