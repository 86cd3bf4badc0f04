// Bullington diffraction over an irregular terrain profile.
// ITU-R P.526-15 (10/2019) §4.5.1; identical to ITU-R P.1812-7 §4.3.1, eqs. (12)-(21) (the
// "Lbull" part of the delta-Bullington method). Knife-edge loss J(nu): P.526-15 eq. (31).
#pragma once

#include <span>

namespace grenzfunk::propagation {

// J(v): single knife-edge diffraction loss, P.526-15 eq. (31); 0 for v <= -0.78.
double knife_edge_loss_db(double nu);

struct BullingtonResult {
    double loss_db = 0.0;  // Lbull (includes the empirical correction of eq. (56))
    double nu = 0.0;       // diffraction parameter of the Bullington point
    bool line_of_sight = true;
};

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
