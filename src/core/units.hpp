// Unit conversions with the formula's source. Names carry their units.
#pragma once

#include <cmath>

namespace grenzfunk::units {

inline constexpr double speed_of_light_m_per_s = 299792458.0;
inline constexpr double pi = 3.14159265358979323846;

inline double wavelength_m(double frequency_mhz) {
    return speed_of_light_m_per_s / (frequency_mhz * 1e6);
}
inline double deg_to_rad(double deg) {
    return deg * pi / 180.0;
}
inline double rad_to_deg(double rad) {
    return rad * 180.0 / pi;
}

inline double dbm_to_mw(double level_dbm) {
    return std::pow(10.0, level_dbm / 10.0);
}
inline double mw_to_dbm(double power_mw) {
    return 10.0 * std::log10(power_mw);
}

// Field strength from the power an isotropic receiving antenna collects:
// S = E^2 / (120 pi), A_iso = lambda^2 / (4 pi)  =>  Pr = E^2 lambda^2 / (480 pi^2).
// In logarithmic units (E in dBuV/m, f in MHz, Pr in dBm): E = Pr + 20 log10 f + 77.2
// (ITU-R P.525-4, eq. (3)/(4) rearranged, the usual "77.2" constant).
inline double field_dbuv_per_m_from_rx_dbm(double rx_level_dbm, double frequency_mhz) {
    return rx_level_dbm + 20.0 * std::log10(frequency_mhz) + 77.2190;
}
inline double rx_dbm_from_field_dbuv_per_m(double field_dbuv_per_m, double frequency_mhz) {
    return field_dbuv_per_m - 20.0 * std::log10(frequency_mhz) - 77.2190;
}

// Thermal noise power kTB at 290 K: -174 dBm/Hz + 10 log10(B).
inline double thermal_noise_dbm(double bandwidth_hz) {
    return -173.975 + 10.0 * std::log10(bandwidth_hz);
}

}  // namespace grenzfunk::units
