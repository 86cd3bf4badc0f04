#include "propagation/bullington.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace grenzfunk::propagation {

double knife_edge_loss_db(double nu) {
    if (nu <= -0.78) return 0.0;
    const double a = nu - 0.1;
    return 6.9 + 20.0 * std::log10(std::sqrt(a * a + 1.0) + a);  // P.526-15 eq. (31)
}

namespace bullington_step {

namespace {

// Eq. (21): empirical correction for the number of obstacles ignored by the construction.
BullingtonResult finish(double luc_db, double nu, bool line_of_sight, double d_km) {
    BullingtonResult result;
    result.nu = nu;
    result.line_of_sight = line_of_sight;
    result.loss_db = luc_db + (1.0 - std::exp(-luc_db / 6.0)) * (10.0 + 0.02 * d_km);
    return result;
}

}  // namespace

BullingtonResult line_of_sight(double nu_max, double d_km) {
    return finish(knife_edge_loss_db(nu_max), nu_max, true, d_km);
}

BullingtonResult trans_horizon(double stim, double srim, double hts, double hrs, double d_km,
                               double wavelength_m) {
    // stim >= str implies stim + srim >= 0, with equality only when the highest point exactly
    // grazes the direct ray; the Bullington point is then undefined (0/0) and nu_b = 0 is its
    // limit. Guard it so that no NaN reaches the caller.
    double nu_b = 0.0;
    const double slope_sum = stim + srim;
    if (slope_sum > 1e-12) {
        const double dbp = (hrs - hts + srim * d_km) / slope_sum;  // eq. (18)
        if (dbp > 0.0 && dbp < d_km)                               // eqs. (19)-(20)
            nu_b = (hts + stim * dbp - (hts * (d_km - dbp) + hrs * dbp) / d_km) *
                   std::sqrt(0.002 * d_km / (wavelength_m * dbp * (d_km - dbp)));
    }
    return finish(knife_edge_loss_db(nu_b), nu_b, false, d_km);
}

}  // namespace bullington_step

namespace {

// One implementation for both profile layouts: distance_km(i) gives the distance of point i
// from the transmitter (km), height_m(i) its height above sea level (m).
template <typename DistanceKm, typename HeightM>
BullingtonResult bullington_core(std::size_t n, DistanceKm distance_km, HeightM height_m,
                                 double hts, double hrs, double effective_earth_radius_km,
                                 double wavelength_m) {
    BullingtonResult result;
    if (n < 3) return result;  // no intermediate point: nothing can obstruct
    const double d_km = distance_km(n - 1);
    if (!(d_km > 0.0)) return result;  // degenerate profile (zero length): no obstruction
    const double ce = 1.0 / effective_earth_radius_km;  // effective Earth curvature, 1/km

    // Equation numbers below are those of ITU-R P.1812 §4.3.1 (Lbull = eq. (21), as in the SG3
    // validation logs of shared/reference/itu_p1812); P.526-15 §4.5.1 states the same steps.
    // Eq. (13): highest slope from the transmitter to an intermediate point, Earth bulge
    // 500 Ce di (d - di) included (m, with distances in km).
    double stim = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < n; ++i)
        stim =
            std::max(stim, bullington_step::tx_slope(height_m(i), distance_km(i), d_km, hts, ce));
    const double str = (hrs - hts) / d_km;  // eq. (14): slope of the direct ray

    if (stim < str) {
        // Line of sight: eqs. (15)-(16), the highest diffraction parameter along the path.
        double nu_max = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 1; i + 1 < n; ++i)
            nu_max = std::max(nu_max, bullington_step::los_nu(height_m(i), distance_km(i), d_km,
                                                              hts, hrs, ce, wavelength_m));
        return bullington_step::line_of_sight(nu_max, d_km);
    }
    // Trans-horizon: eqs. (17)-(20), the Bullington point where the two horizon rays meet.
    double srim = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < n; ++i)
        srim =
            std::max(srim, bullington_step::rx_slope(height_m(i), distance_km(i), d_km, hrs, ce));
    return bullington_step::trans_horizon(stim, srim, hts, hrs, d_km, wavelength_m);
}

}  // namespace

BullingtonResult bullington_diffraction(std::span<const double> elevation_m, double step_m,
                                        double tx_height_amsl_m, double rx_height_amsl_m,
                                        double effective_earth_radius_km, double wavelength_m) {
    const double step_km = step_m / 1000.0;
    return bullington_core(
        elevation_m.size(), [step_km](std::size_t i) { return step_km * double(i); },
        [elevation_m](std::size_t i) { return elevation_m[i]; }, tx_height_amsl_m, rx_height_amsl_m,
        effective_earth_radius_km, wavelength_m);
}

BullingtonResult bullington_diffraction(std::span<const double> distance_km,
                                        std::span<const double> height_m, double tx_height_amsl_m,
                                        double rx_height_amsl_m, double effective_earth_radius_km,
                                        double wavelength_m) {
    const std::size_t n = std::min(distance_km.size(), height_m.size());
    if (n == 0) return {};
    const double origin_km = distance_km[0];
    return bullington_core(
        n, [distance_km, origin_km](std::size_t i) { return distance_km[i] - origin_km; },
        [height_m](std::size_t i) { return height_m[i]; }, tx_height_amsl_m, rx_height_amsl_m,
        effective_earth_radius_km, wavelength_m);
}

}  // namespace grenzfunk::propagation
