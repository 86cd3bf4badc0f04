// ITU-R P.2108-1 (09/2021) Annex 1 §3.1: height-gain terminal correction (equations in the
// header).
#include "propagation/p2108_terminal.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

#include "core/error.hpp"
#include "propagation/bullington.hpp"

namespace grenzfunk::propagation {

namespace {

bool inputs_valid(double frequency_ghz, double height_m, double clutter_height_m,
                  double street_width_m) {
    return frequency_ghz >= p2108_terminal_min_frequency_ghz &&
           frequency_ghz <= p2108_terminal_max_frequency_ghz && height_m > 0.0 &&
           clutter_height_m > 0.0 && street_width_m > 0.0 && std::isfinite(height_m) &&
           std::isfinite(clutter_height_m) && std::isfinite(street_width_m);
}

}  // namespace

double p2108_terminal_clutter_loss_db(double frequency_ghz, double height_m, ClutterType type,
                                      double clutter_height_m, double street_width_m) noexcept {
    if (!inputs_valid(frequency_ghz, height_m, clutter_height_m, street_width_m))
        return std::numeric_limits<double>::quiet_NaN();
    if (height_m >= clutter_height_m) return 0.0;
    switch (type) {
        case ClutterType::water_sea:
        case ClutterType::open_rural: {
            const double k_h2 = 21.8 + 6.2 * std::log10(frequency_ghz);  // (2f)
            return -k_h2 * std::log10(height_m / clutter_height_m);      // (2b)
        }
        case ClutterType::suburban:
        case ClutterType::urban:
        case ClutterType::trees_forest:
        case ClutterType::dense_urban:
            break;
    }
    const double h_dif_m = clutter_height_m - height_m;  // (2d)
    const double theta_clut_deg = std::atan(h_dif_m / street_width_m) * 180.0 / std::numbers::pi;
    const double k_nu = 0.342 * std::sqrt(frequency_ghz);          // (2g)
    const double nu = k_nu * std::sqrt(h_dif_m * theta_clut_deg);  // (2c)
    return knife_edge_loss_db(nu) - 6.03;                          // (2a)
}

void require_p2108_terminal_inputs(double frequency_ghz, double height_m, double clutter_height_m,
                                   double street_width_m, const std::string& context) {
    if (inputs_valid(frequency_ghz, height_m, clutter_height_m, street_width_m)) return;
    std::ostringstream msg;
    msg << context << ": ";
    if (!(frequency_ghz >= p2108_terminal_min_frequency_ghz &&
          frequency_ghz <= p2108_terminal_max_frequency_ghz))
        msg << "frequency " << frequency_ghz * 1000.0
            << " MHz is outside the range of the ITU-R P.2108-1 §3.1 terminal clutter "
               "correction (30-3000 MHz)";
    else if (!(height_m > 0.0 && std::isfinite(height_m)))
        msg << "receiver height " << height_m << " m must be above 0 (ITU-R P.2108-1 §3.1)";
    else
        msg << "clutter height " << clutter_height_m << " m and street width " << street_width_m
            << " m must be above 0 (ITU-R P.2108-1 §3.1)";
    throw InputError(msg.str());
}

}  // namespace grenzfunk::propagation
