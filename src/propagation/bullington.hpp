// Bullington diffraction over an irregular terrain profile.
// ITU-R P.526-15 (10/2019) §4.5.1; identical to ITU-R P.1812-7 §4.3.1, eqs. (12)-(21) (the
// "Lbull" part of the delta-Bullington method). Knife-edge loss J(nu): P.526-15 eq. (31).
#pragma once

#include <cmath>
#include <span>

namespace grenzfunk::propagation {

// J(v): single knife-edge diffraction loss, P.526-15 eq. (31); 0 for v <= -0.78.
double knife_edge_loss_db(double nu);

struct BullingtonResult {
    double loss_db = 0.0;  // Lbull (includes the empirical correction of eq. (56))
    double nu = 0.0;       // diffraction parameter of the Bullington point
    bool line_of_sight = true;
};

// The steps of the method, shared by bullington_diffraction() and BullingtonPrefix
// (bullington_prefix.hpp) so that both round alike. Distances in km, heights in m above sea
// level, ce = 1 / effective Earth radius (1/km), di the distance of an intermediate point,
// d_km the path length, hts/hrs the antenna heights.
namespace bullington_step {

// Eq. (13), one term: slope from the transmitter to the point, Earth bulge included.
inline double tx_slope(double height_m, double di, double d_km, double hts, double ce) {
    const double bulge = 500.0 * ce * di * (d_km - di);
    return (height_m + bulge - hts) / di;
}

// Eq. (17), one term: slope from the receiver to the point, Earth bulge included.
inline double rx_slope(double height_m, double di, double d_km, double hrs, double ce) {
    const double bulge = 500.0 * ce * di * (d_km - di);
    return (height_m + bulge - hrs) / (d_km - di);
}

// Eq. (15)-(16), one term: the diffraction parameter of the point (line-of-sight paths).
inline double los_nu(double height_m, double di, double d_km, double hts, double hrs, double ce,
                     double wavelength_m) {
    const double bulge = 500.0 * ce * di * (d_km - di);
    const double clearance = height_m + bulge - (hts * (d_km - di) + hrs * di) / d_km;
    return clearance * std::sqrt(0.002 * d_km / (wavelength_m * di * (d_km - di)));
}

// Eqs. (16) and (21): the result of a line-of-sight path from the highest nu of eq. (15).
BullingtonResult line_of_sight(double nu_max, double d_km);

// Eqs. (18)-(21): the result of a trans-horizon path (stim >= str) from the slopes of eqs. (13)
// and (17).
BullingtonResult trans_horizon(double stim, double srim, double hts, double hrs, double d_km,
                               double wavelength_m);

}  // namespace bullington_step

// profile heights in m above sea level, equally spaced by step_m (first point = transmitter
// ground, last = receiver ground); tx/rx heights are antenna heights above sea level (m);
// effective Earth radius in km; wavelength in m.
BullingtonResult bullington_diffraction(std::span<const double> elevation_m, double step_m,
                                        double tx_height_amsl_m, double rx_height_amsl_m,
                                        double effective_earth_radius_km, double wavelength_m);

// The same for a profile with arbitrary (ascending) point distances, as P.1812 allows:
// distance_km[i] is the distance of point i from the transmitter (distance_km[0] is taken as
// the transmitter position), height_m[i] its height above sea level (terrain plus
// representative clutter for P.1812). Both spans have the same length.
BullingtonResult bullington_diffraction(std::span<const double> distance_km,
                                        std::span<const double> height_m, double tx_height_amsl_m,
                                        double rx_height_amsl_m, double effective_earth_radius_km,
                                        double wavelength_m);

}  // namespace grenzfunk::propagation
