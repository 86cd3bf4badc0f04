// Recommendation ITU-R P.1812-7 (08/2023), Annex 1: path-specific point-to-area prediction,
// 30 MHz - 6 GHz. Implemented here:
//   §3      radio-meteorological parameters: beta0 (eqs. (2)-(5)), effective Earth radius
//           (eqs. (6)-(7)), representative clutter added to the profile (§3.2, g_i = h_i + R_i
//           except at the terminals), radio-climatic zones along the path (Table 1);
//   §4.1    line of sight with multipath/focusing corrections (eqs. (8)-(11));
//   §4.3    delta-Bullington diffraction: Bullington over the actual profile (§4.3.1, shared with
//           bullington.cpp), spherical-Earth diffraction (§4.3.2-4.3.3, the P.526 first-term
//           method over land and sea), the combination (§4.3.4), time variability (§4.3.5,
//           eqs. (40)-(43));
//   §4.4    tropospheric scatter (eqs. (44)-(45));
//   §4.5    ducting / layer reflection (eqs. (46)-(56));
//   §4.6    combination of the mechanisms (eqs. (57)-(63));
//   §4.8-9  location variability and the loss for p % time and pL % locations (eq. (69));
//   §4.10   field strength for 1 kW e.r.p. (eq. (70));
//   Att. 1  path profile analysis: horizon angles and distances, smooth-Earth heights for the
//           diffraction and ducting models, terrain roughness;
//   Att. 2  inverse cumulative normal distribution.
// Not implemented: building entry loss (§4.9 indoor terminals; outdoor only) and the
// profile-free Lbulls of Attachment 4 (the profile method of §4.3.1 is used).
// Equation numbers in comments follow the labels of the ITU-R SG3 validation logs
// (tests/data/itu_p1812/results), which the implementation reproduces.
// The wavelength is taken as 0.2998 / f(GHz) m, as in the SG3 reference implementation.
#include "propagation/p1812.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/units.hpp"
#include "propagation/bullington.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::propagation {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double earth_radius_km = 6371.0;

// Longest continuous section (or, with sum = true, the total length) of the path whose points
// satisfy `in_zone`. A run of zone points from index a to b covers d_b - d_a plus half of each
// neighbouring profile interval (the zone boundary is taken half-way between points).
template <typename Pred>
double zone_section_km(std::span<const double> d, Pred in_zone, bool sum) {
    const std::size_t n = d.size();
    double result = 0.0;
    std::size_t i = 0;
    while (i < n) {
        if (!in_zone(i)) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i + 1 < n && in_zone(i + 1)) ++i;
        const std::size_t stop = i;
        double length = d[stop] - d[start];
        if (stop + 1 < n) length += 0.5 * (d[stop + 1] - d[stop]);
        if (start > 0) length += 0.5 * (d[start] - d[start - 1]);
        result = sum ? result + length : std::max(result, length);
        ++i;
    }
    return result;
}

// beta0: time percentage for which refractivity lapse rates exceeding 100 N-units/km occur in
// the first 100 m of the atmosphere, eqs. (2)-(5).
double beta0_percent(double lat_deg, double dtm_km, double dlm_km) {
    const double tau = 1.0 - std::exp(-4.12e-4 * std::pow(dlm_km, 2.41));  // eq. (3)
    const double mu1 = std::min(1.0, std::pow(std::pow(10.0, -dtm_km / (16.0 - 6.6 * tau)) +
                                                  std::pow(10.0, -5.0 * (0.496 + 0.354 * tau)),
                                              0.2));  // eq. (2)
    const double abs_lat = std::abs(lat_deg);
    if (abs_lat <= 70.0) {
        const double mu4 = std::pow(mu1, -0.935 + 0.0176 * abs_lat);  // eq. (4)
        return std::pow(10.0, -0.015 * abs_lat + 1.67) * mu1 * mu4;   // eq. (5)
    }
    const double mu4 = std::pow(mu1, 0.3);
    return 4.17 * mu1 * mu4;
}

// First-term spherical-Earth diffraction loss for one set of ground constants, §4.3.3
// eqs. (29)-(36) (P.526 first-term method).
double first_term_one_db(double eps_r, double sigma_s_per_m, double d_km, double hte_m,
                         double hre_m, double adft_km, double f_ghz, Polarization pol) {
    const double s = 18.0 * sigma_s_per_m / f_ghz;
    const double k_h = 0.036 * std::pow(adft_km * f_ghz, -1.0 / 3.0) *
                       std::pow((eps_r - 1.0) * (eps_r - 1.0) + s * s, -0.25);  // eq. (29a)
    const double k =
        pol == Polarization::horizontal ? k_h : k_h * std::sqrt(eps_r * eps_r + s * s);  // (29b)
    const double k2 = k * k, k4 = k2 * k2;
    const double beta = (1.0 + 1.6 * k2 + 0.67 * k4) / (1.0 + 4.5 * k2 + 1.53 * k4);  // (30)
    const double x = 21.88 * beta * std::cbrt(f_ghz / (adft_km * adft_km)) * d_km;    // (31)
    const double y_scale = 0.9575 * beta * std::cbrt(f_ghz * f_ghz / adft_km);        // (32)
    const double fx = x >= 1.6 ? 11.0 + 10.0 * std::log10(x) - 17.6 * x
                               : -20.0 * std::log10(x) - 5.6488 * std::pow(x, 1.425);  // (33)
    const double g_min = 2.0 + 20.0 * std::log10(k);
    auto height_gain = [&](double h_m) {
        const double b = beta * y_scale * h_m;  // eq. (35)
        const double g = b > 2.0 ? 17.6 * std::sqrt(b - 1.1) - 5.0 * std::log10(b - 1.1) - 8.0
                                 : 20.0 * std::log10(b + 0.1 * b * b * b);  // eq. (34)
        return std::max(g, g_min);
    };
    return -fx - height_gain(hte_m) - height_gain(hre_m);  // eq. (36)
}

// Eq. (28): weighted by the fraction of the path over sea (land: eps 22, sigma 0.003 S/m;
// sea: eps 80, sigma 5 S/m).
double first_term_db(double d_km, double hte_m, double hre_m, double adft_km, double f_ghz,
                     double omega, Polarization pol) {
    const double land = first_term_one_db(22.0, 0.003, d_km, hte_m, hre_m, adft_km, f_ghz, pol);
    const double sea = first_term_one_db(80.0, 5.0, d_km, hte_m, hre_m, adft_km, f_ghz, pol);
    return omega * sea + (1.0 - omega) * land;
}

// Spherical-Earth diffraction loss Ldsph, §4.3.2 eqs. (22)-(27).
double spherical_earth_db(double d_km, double hte_m, double hre_m, double ap_km, double f_ghz,
                          double omega, Polarization pol, double wavelength_m) {
    const double dlos =
        std::sqrt(2.0 * ap_km) * (std::sqrt(0.001 * hte_m) + std::sqrt(0.001 * hre_m));  // eq. (22)
    if (d_km >= dlos) return first_term_db(d_km, hte_m, hre_m, ap_km, f_ghz, omega, pol);
    // Smallest clearance between the curved-Earth path and the ray, eqs. (23)-(24).
    const double c = (hte_m - hre_m) / (hte_m + hre_m);                // (24d)
    const double m = 250.0 * d_km * d_km / (ap_km * (hte_m + hre_m));  // (24e)
    const double arg =
        std::clamp(1.5 * c * std::sqrt(3.0 * m / ((m + 1.0) * (m + 1.0) * (m + 1.0))), -1.0, 1.0);
    const double b =
        2.0 * std::sqrt((m + 1.0) / (3.0 * m)) * std::cos(units::pi / 3.0 + std::acos(arg) / 3.0);
    const double dse1 = 0.5 * d_km * (1.0 + b);  // (24a)
    const double dse2 = d_km - dse1;             // (24b)
    const double hse = ((hte_m - 500.0 * dse1 * dse1 / ap_km) * dse2 +
                        (hre_m - 500.0 * dse2 * dse2 / ap_km) * dse1) /
                       d_km;                                                    // (23)
    const double hreq = 17.456 * std::sqrt(dse1 * dse2 * wavelength_m / d_km);  // (25)
    if (hse > hreq) return 0.0;
    const double root_sum = std::sqrt(hte_m) + std::sqrt(hre_m);
    const double aem = 500.0 * (d_km / root_sum) * (d_km / root_sum);  // (26)
    const double ldft = std::max(0.0, first_term_db(d_km, hte_m, hre_m, aem, f_ghz, omega, pol));
    return (1.0 - hse / hreq) * ldft;  // (27)
}

struct DeltaBullington {
    double ld_db;
    double lbulla_db;
    double lbulls_db;
    double ldsph_db;
};

// Complete delta-Bullington diffraction loss for effective Earth radius ap, §4.3.4
// eqs. (37)-(39).
DeltaBullington delta_bullington(std::span<const double> d, std::span<const double> g,
                                 std::span<const double> zeros, double hts, double hrs, double hstd,
                                 double hsrd, double ap_km, double f_ghz, double omega,
                                 Polarization pol, double wavelength_m) {
    DeltaBullington out{};
    out.lbulla_db = bullington_diffraction(d, g, hts, hrs, ap_km, wavelength_m).loss_db;
    const double hts1 = hts - hstd;  // eq. (37a)
    const double hrs1 = hrs - hsrd;  // eq. (37b)
    out.lbulls_db = bullington_diffraction(d, zeros, hts1, hrs1, ap_km, wavelength_m).loss_db;
    const double d_km = d.back() - d.front();
    out.ldsph_db = spherical_earth_db(d_km, hts1, hrs1, ap_km, f_ghz, omega, pol, wavelength_m);
    out.ld_db = out.lbulla_db + std::max(out.ldsph_db - out.lbulls_db, 0.0);  // eq. (39)
    return out;
}

// Basic transmission loss during anomalous propagation (ducting, layer reflection), §4.5
// eqs. (46)-(56).
double anomalous_loss_db(double d_km, double dlt, double dlr, double dct, double dcr, double dlm,
                         double hts, double hrs, double hte, double hre, double hm, double theta_t,
                         double theta_r, double f_ghz, double p, double omega, double ae_km,
                         double b0) {
    // Eq. (47a): empirical correction for the increasing attenuation with wavelength.
    const double alf = f_ghz < 0.5 ? 45.375 - 137.0 * f_ghz + 92.5 * f_ghz * f_ghz : 0.0;
    // Eq. (48): site-shielding losses.
    auto site_shielding = [f_ghz](double theta, double dl) {
        const double theta2 = theta - 0.1 * dl;  // (48a)
        if (!(theta2 > 0.0)) return 0.0;
        return 20.0 * std::log10(1.0 + 0.361 * theta2 * std::sqrt(f_ghz * dl)) +
               0.264 * theta2 * std::cbrt(f_ghz);
    };
    const double ast = site_shielding(theta_t, dlt);
    const double asr = site_shielding(theta_r, dlr);
    // Eq. (49): over-sea surface duct coupling corrections.
    auto coupling = [omega](double dc, double dl, double h) {
        if (dc <= 5.0 && dc <= dl && omega >= 0.75)
            return -3.0 * std::exp(-0.25 * dc * dc) * (1.0 + std::tanh(0.07 * (50.0 - h)));
        return 0.0;
    };
    const double act = coupling(dct, dlt, hts);
    const double acr = coupling(dcr, dlr, hrs);
    // Eq. (47): total of fixed coupling losses.
    const double af = 102.45 + 20.0 * std::log10(f_ghz) + 20.0 * std::log10(dlt + dlr) + alf + ast +
                      asr + act + acr;
    const double gamma_d = 5e-5 * ae_km * std::cbrt(f_ghz);  // eq. (51)
    const double theta_t1 = std::min(theta_t, 0.1 * dlt);    // eq. (52a)
    const double theta_r1 = std::min(theta_r, 0.1 * dlr);
    const double theta1 = 1e3 * d_km / ae_km + theta_t1 + theta_r1;  // eq. (52)
    const double di = std::min(d_km - dlt - dlr, 40.0);              // eq. (56a)
    const double mu3 = hm > 10.0 ? std::exp(-4.6e-5 * (hm - 10.0) * (43.0 + 6.0 * di)) : 1.0;
    const double tau = 1.0 - std::exp(-4.12e-4 * std::pow(dlm, 2.41));               // eq. (3)
    const double alpha = std::max(-3.4, -0.6 - 3.5e-9 * std::pow(d_km, 3.1) * tau);  // (55a)
    const double root_sum = std::sqrt(hte) + std::sqrt(hre);
    const double mu2 =
        std::min(1.0, std::pow(500.0 / ae_km * d_km * d_km / (root_sum * root_sum), alpha));
    const double beta = b0 * mu2 * mu3;  // eq. (54)
    const double log_beta = std::log10(beta);
    const double gamma = 1.076 / std::pow(2.0058 - log_beta, 1.012) *
                         std::exp(-(9.51 - 4.8 * log_beta + 0.198 * log_beta * log_beta) * 1e-6 *
                                  std::pow(d_km, 1.13));  // eq. (53a)
    const double ap = -12.0 + (1.2 + 3.7e-3 * d_km) * std::log10(p / beta) +
                      12.0 * std::pow(p / beta, gamma);  // eq. (53)
    const double adp = gamma_d * theta1 + ap;            // eq. (50)
    return af + adp;                                     // eq. (46)
}

// Troposcatter, §4.4 eqs. (44)-(45).
double troposcatter_loss_db(double d_km, double theta_mrad, double f_ghz, double p, double n0) {
    const double lf_term = std::log10(f_ghz / 2.0);
    const double lf = 25.0 * std::log10(f_ghz) - 2.5 * lf_term * lf_term;  // eq. (45)
    return 190.1 + lf + 20.0 * std::log10(d_km) + 0.573 * theta_mrad - 0.15 * n0 -
           10.125 * std::pow(std::log10(50.0 / p), 0.7);  // eq. (44)
}

P1812Result invalid_result() {
    P1812Result r;
    r.basic_loss_db = nan;
    r.field_dbuv_per_m = nan;
    r.flags = invalid_input;
    return r;
}

}  // namespace

double p1812_inverse_cumulative_normal(double x) {
    x = std::clamp(x, 1e-6, 0.999999);
    auto t = [](double y) { return std::sqrt(-2.0 * std::log(y)); };  // eq. (97a)
    auto c = [&t](double z) {                                         // eq. (97b)
        const double tz = t(z);
        return ((0.010328 * tz + 0.802853) * tz + 2.515516698) /
               (((0.001308 * tz + 0.189269) * tz + 1.432788) * tz + 1.0);
    };
    if (x <= 0.5) return t(x) - c(x);   // eq. (96a)
    return -(t(1.0 - x) - c(1.0 - x));  // eq. (96b)
}

double p1812_location_std_db(double frequency_mhz, double rx_height_agl_m,
                             double rx_clutter_height_m, double area_width_m) {
    const double f_ghz = frequency_mhz / 1000.0;
    double uh = 0.0;  // reduction for an antenna above the clutter
    if (rx_height_agl_m < rx_clutter_height_m)
        uh = 1.0;
    else if (rx_height_agl_m < rx_clutter_height_m + 10.0)
        uh = 1.0 - (rx_height_agl_m - rx_clutter_height_m) / 10.0;
    return (0.52 + 0.024 * f_ghz) * std::pow(area_width_m, 0.28) * uh;
}

GeoPoint great_circle_intermediate_point(double lat1_deg, double lon1_deg, double lat2_deg,
                                         double lon2_deg, double distance_km) {
    using units::deg_to_rad;
    using units::rad_to_deg;
    const double p1 = deg_to_rad(lat1_deg), p2 = deg_to_rad(lat2_deg);
    const double dlon = deg_to_rad(lon2_deg - lon1_deg);
    // P.2001 Attachment H: bearing from the first point (H.2), then the point at the given
    // angular distance along it (H.3).
    const double r = std::sin(p1) * std::sin(p2) + std::cos(p1) * std::cos(p2) * std::cos(dlon);
    const double x1 = std::sin(p2) - r * std::sin(p1);
    const double y1 = std::cos(p1) * std::cos(p2) * std::sin(dlon);
    const double bearing = (std::abs(x1) < 1e-9 && std::abs(y1) < 1e-9) ? 0.0 : std::atan2(y1, x1);
    const double delta = distance_km / earth_radius_km;
    const double s =
        std::sin(p1) * std::cos(delta) + std::cos(p1) * std::sin(delta) * std::cos(bearing);
    const double lat = std::asin(std::clamp(s, -1.0, 1.0));
    const double x2 = std::cos(delta) - s * std::sin(p1);
    const double y2 = std::cos(p1) * std::sin(delta) * std::sin(bearing);
    return {rad_to_deg(lat), lon1_deg + rad_to_deg(std::atan2(y2, x2))};
}

P1812Result p1812_loss(const P1812Input& in) noexcept {
    const std::size_t n = in.distance_km.size();
    if (n < 3 || in.height_m.size() != n ||
        (!in.clutter_height_m.empty() && in.clutter_height_m.size() != n) ||
        (!in.zone.empty() && in.zone.size() != n))
        return invalid_result();
    if (!(in.frequency_mhz > 0.0) || !(in.time_percent > 0.0 && in.time_percent <= 50.0) ||
        !(in.location_percent > 0.0 && in.location_percent < 100.0) ||
        !(in.tx_height_agl_m > 0.0) || !(in.rx_height_agl_m > 0.0) ||
        !(in.location_std_db >= 0.0) ||
        !(in.delta_n_n_units_per_km > 0.0 && in.delta_n_n_units_per_km < 157.0) ||
        !std::isfinite(in.n0_n_units) || !std::isfinite(in.path_centre_lat_deg) ||
        !(in.tx_coast_distance_km >= 0.0) || !(in.rx_coast_distance_km >= 0.0))
        return invalid_result();
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(in.distance_km[i]) || !std::isfinite(in.height_m[i]))
            return invalid_result();
        if (i > 0 && !(in.distance_km[i] > in.distance_km[i - 1])) return invalid_result();
        if (!in.clutter_height_m.empty() && !(in.clutter_height_m[i] >= 0.0))
            return invalid_result();
    }

    P1812Result r;
    const double f = in.frequency_mhz / 1000.0;  // GHz, as the Recommendation's formulas use
    const double p = in.time_percent;
    const double wavelength_m = 0.2998 / f;
    const Polarization pol = in.polarization;

    // Profile relative to the transmitter (distance_km[0] is the origin).
    std::vector<double> d(n), g(n), zeros(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) d[i] = in.distance_km[i] - in.distance_km[0];
    const std::span<const double> h = in.height_m;
    const double dtot = d[n - 1];
    if (dtot < 0.25 || dtot > 3000.0) r.flags |= outside_distance_range;
    if (in.frequency_mhz < 30.0 || in.frequency_mhz > 6000.0) r.flags |= outside_frequency_range;
    if (in.tx_height_agl_m < 1.0 || in.tx_height_agl_m > 3000.0) r.flags |= outside_tx_height_range;
    if (in.rx_height_agl_m < 1.0 || in.rx_height_agl_m > 3000.0) r.flags |= outside_rx_height_range;
    if (p < 1.0 || in.location_percent < 1.0 || in.location_percent > 99.0 ||
        std::abs(in.path_centre_lat_deg) > 80.0)
        r.flags |= outside_other_range;

    // §3.2: representative clutter added to the profile, not at the terminals.
    for (std::size_t i = 0; i < n; ++i)
        g[i] = h[i] + (in.clutter_height_m.empty() ? 0.0 : in.clutter_height_m[i]);
    g[0] = h[0];
    g[n - 1] = h[n - 1];

    const double hts = h[0] + in.tx_height_agl_m;
    const double hrs = h[n - 1] + in.rx_height_agl_m;
    r.distance_km = dtot;
    r.tx_height_amsl_m = hts;
    r.rx_height_amsl_m = hrs;

    // Radio-climatic zones (Table 1): longest land and inland sections, sea fraction.
    auto zone_at = [&in](std::size_t i) {
        return in.zone.empty() ? RadioClimaticZone::inland : in.zone[i];
    };
    const double dtm = zone_section_km(
        d, [&](std::size_t i) { return zone_at(i) != RadioClimaticZone::sea; }, false);
    const double dlm = zone_section_km(
        d, [&](std::size_t i) { return zone_at(i) == RadioClimaticZone::inland; }, false);
    const double omega =
        zone_section_km(
            d, [&](std::size_t i) { return zone_at(i) == RadioClimaticZone::sea; }, true) /
        dtot;
    const double dct = zone_at(0) == RadioClimaticZone::sea ? 0.0 : in.tx_coast_distance_km;
    const double dcr = zone_at(n - 1) == RadioClimaticZone::sea ? 0.0 : in.rx_coast_distance_km;
    r.sea_fraction = omega;
    r.longest_land_km = dtm;
    r.longest_inland_km = dlm;

    const double b0 = beta0_percent(in.path_centre_lat_deg, dtm, dlm);
    const double ae = earth_radius_km * 157.0 / (157.0 - in.delta_n_n_units_per_km);  // (6)-(7a)
    const double ab = earth_radius_km * 3.0;                                          // (7b)
    r.path_centre_lat_deg = in.path_centre_lat_deg;
    r.beta0_percent = b0;
    r.effective_earth_radius_km = ae;

    // Attachment 1 §5: path profile analysis on the terrain heights h.
    // Least-squares smooth-Earth surface, eqs. (85)-(88).
    double v1 = 0.0, v2 = 0.0;
    for (std::size_t i = 1; i < n; ++i) {
        const double dd = d[i] - d[i - 1];
        v1 += dd * (h[i] + h[i - 1]);
        v2 += dd * (h[i] * (2.0 * d[i] + d[i - 1]) + h[i - 1] * (d[i] + 2.0 * d[i - 1]));
    }
    const double hst_ls = (2.0 * v1 * dtot - v2) / (dtot * dtot);
    const double hsr_ls = (v2 - v1 * dtot) / (dtot * dtot);
    r.smooth_tx_height_m = hst_ls;
    r.smooth_rx_height_m = hsr_ls;

    // Smooth-surface heights for the diffraction model, eqs. (89)-(91).
    double hobs = -std::numeric_limits<double>::infinity();
    double alpha_obt = -std::numeric_limits<double>::infinity();
    double alpha_obr = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double hh = h[i] - (hts * (dtot - d[i]) + hrs * d[i]) / dtot;  // (89d)
        hobs = std::max(hobs, hh);
        alpha_obt = std::max(alpha_obt, hh / d[i]);
        alpha_obr = std::max(alpha_obr, hh / (dtot - d[i]));
    }
    double hstp = hst_ls, hsrp = hsr_ls;  // (90a), (90b)
    if (hobs > 0.0) {
        const double gt = alpha_obt / (alpha_obt + alpha_obr);  // (90e)
        const double gr = alpha_obr / (alpha_obt + alpha_obr);  // (90f)
        hstp = hst_ls - hobs * gt;                              // (90c)
        hsrp = hsr_ls - hobs * gr;                              // (90d)
    }
    const double hstd = hstp >= h[0] ? h[0] : hstp;         // (91a), (91b)
    const double hsrd = hsrp > h[n - 1] ? h[n - 1] : hsrp;  // (91c), (91d)
    r.smooth_tx_height_diffraction_m = hstd;
    r.smooth_rx_height_diffraction_m = hsrd;

    // Horizon elevation angles and distances, eqs. (76)-(84). theta_i = 1000 atan(x_i); atan is
    // monotonic, so the maximum is searched on x_i and atan applied once.
    double x_max = -std::numeric_limits<double>::infinity();
    std::size_t lt = 1;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double x = (h[i] - hts) / (1000.0 * d[i]) - d[i] / (2.0 * ae);
        if (x > x_max) {  // first point of the maximum
            x_max = x;
            lt = i;
        }
    }
    const double theta_max = 1000.0 * std::atan(x_max);
    const double theta_td = 1000.0 * std::atan((hrs - hts) / (1000.0 * dtot) - dtot / (2.0 * ae));
    const double theta_rd = 1000.0 * std::atan((hts - hrs) / (1000.0 * dtot) - dtot / (2.0 * ae));
    const bool trans_horizon = theta_max > theta_td;
    const double theta_t = std::max(theta_max, theta_td);
    double theta_r = theta_rd, dlt = 0.0, dlr = 0.0;
    std::size_t lr = lt;
    if (trans_horizon) {
        dlt = d[lt];
        double xr_max = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double dr = dtot - d[i];
            const double x = (h[i] - hrs) / (1000.0 * dr) - dr / (2.0 * ae);
            if (x >= xr_max) {  // last point of the maximum
                xr_max = x;
                lr = i;
            }
        }
        theta_r = 1000.0 * std::atan(xr_max);
        dlr = dtot - d[lr];
    } else {
        // Line of sight: both horizon distances refer to the Bullington point of the median
        // diffraction model, the profile point with the highest diffraction parameter.
        double nu_max = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double nu = (h[i] + 500.0 / ae * d[i] * (dtot - d[i]) -
                               (hts * (dtot - d[i]) + hrs * d[i]) / dtot) *
                              std::sqrt(0.002 * dtot / (wavelength_m * d[i] * (dtot - d[i])));
            if (nu >= nu_max) {
                nu_max = nu;
                lt = i;
            }
        }
        lr = lt;
        dlt = d[lt];
        dlr = dtot - dlt;
    }
    const double theta = 1e3 * dtot / ae + theta_t + theta_r;  // eq. (84)
    r.line_of_sight = !trans_horizon;
    r.tx_horizon_distance_km = dlt;
    r.rx_horizon_distance_km = dlr;
    r.tx_horizon_angle_mrad = theta_t;
    r.rx_horizon_angle_mrad = theta_r;
    r.angular_distance_mrad = theta;

    // Ducting/layer-reflection heights and terrain roughness, eqs. (92)-(95).
    const double hst = std::min(hst_ls, h[0]);
    const double hsr = std::min(hsr_ls, h[n - 1]);
    const double slope = (hsr - hst) / dtot;
    const double hte = in.tx_height_agl_m + h[0] - hst;
    const double hre = in.rx_height_agl_m + h[n - 1] - hsr;
    double hm = -std::numeric_limits<double>::infinity();
    for (std::size_t i = std::min(lt, lr); i <= std::max(lt, lr); ++i)
        hm = std::max(hm, h[i] - (hst + slope * d[i]));
    r.smooth_tx_height_ducting_m = hst;
    r.smooth_rx_height_ducting_m = hsr;
    r.tx_effective_height_m = hte;
    r.rx_effective_height_m = hre;
    r.terrain_roughness_m = hm;

    // §4.6 interpolation factors for angular distance and path length, eqs. (57)-(58).
    const double fj = 1.0 - 0.5 * (1.0 + std::tanh(3.0 * 0.8 * (theta - 0.3) / 0.3));
    const double fk = 1.0 - 0.5 * (1.0 + std::tanh(3.0 * 0.5 * (dtot - 20.0) / 20.0));

    // §4.1 line of sight, eqs. (8)-(11).
    const double dh_km = (hts - hrs) / 1000.0;
    const double lbfs =
        92.4 + 20.0 * std::log10(f) + 10.0 * std::log10(dtot * dtot + dh_km * dh_km);
    const double focus = 2.6 * (1.0 - std::exp(-0.1 * (dlt + dlr)));
    const double lb0p = lbfs + focus * std::log10(p / 50.0);   // (9a), (10)
    const double lb0b = lbfs + focus * std::log10(b0 / 50.0);  // (9b), (11)

    // §4.3 diffraction for the median effective Earth radius and (p < 50 %) for the radius
    // exceeded for beta0 % of time, eqs. (40)-(43).
    const DeltaBullington db50 =
        delta_bullington(d, g, zeros, hts, hrs, hstd, hsrd, ae, f, omega, pol, wavelength_m);
    const double ld50 = db50.ld_db;
    double ldb = nan, ldp = ld50;
    r.bullington_actual_beta_db = nan;
    r.bullington_smooth_beta_db = nan;
    r.spherical_earth_beta_db = nan;
    if (p < 50.0) {
        const DeltaBullington dbb =
            delta_bullington(d, g, zeros, hts, hrs, hstd, hsrd, ab, f, omega, pol, wavelength_m);
        ldb = dbb.ld_db;
        r.bullington_actual_beta_db = dbb.lbulla_db;
        r.bullington_smooth_beta_db = dbb.lbulls_db;
        r.spherical_earth_beta_db = dbb.ldsph_db;
        const double fi41 = p > b0 ? p1812_inverse_cumulative_normal(p / 100.0) /
                                         p1812_inverse_cumulative_normal(b0 / 100.0)
                                   : 1.0;  // eq. (40)
        ldp = ld50 + fi41 * (ldb - ld50);  // eq. (41)
    }
    const double lbd50 = lbfs + ld50;  // eq. (42)
    const double lbd = lb0p + ldp;     // eq. (43)

    // Notional minimum loss for LoS and over-sea sub-path diffraction, eq. (59).
    double fi = 1.0, lminb0p = lb0p + (1.0 - omega) * ldp;
    if (p >= b0) {
        fi = p1812_inverse_cumulative_normal(p / 100.0) /
             p1812_inverse_cumulative_normal(b0 / 100.0);  // eq. (40)
        lminb0p = lbd50 + (lb0b + (1.0 - omega) * ldp - lbd50) * fi;
    }

    // §4.5 ducting/layer reflection and the notional minimum loss with enhancements, eq. (60).
    const double lba = anomalous_loss_db(dtot, dlt, dlr, dct, dcr, dlm, hts, hrs, hte, hre, hm,
                                         theta_t, theta_r, f, p, omega, ae, b0);
    constexpr double eta = 2.5;
    const double top = std::max(lba, lb0p);  // soft maximum, written to avoid overflow
    const double lminbap =
        top + eta * std::log(std::exp((lba - top) / eta) + std::exp((lb0p - top) / eta));

    // Eqs. (61)-(62): diffraction combined with LoS/ducting enhancements.
    const double lbda = lminbap > lbd ? lbd : lminbap + (lbd - lminbap) * fk;
    const double lbam = lbda + (lminb0p - lbda) * fj;

    // §4.4 troposcatter and eq. (63) the combination.
    const double lbs = troposcatter_loss_db(dtot, theta, f, p, in.n0_n_units);
    const double lbc = -5.0 * std::log10(std::pow(10.0, -0.2 * lbs) + std::pow(10.0, -0.2 * lbam));

    // §4.8 location variability (not applied for a receiver at sea), eq. (69), eq. (70).
    const double lloc =
        zone_at(n - 1) == RadioClimaticZone::sea || in.location_std_db == 0.0
            ? 0.0
            : -p1812_inverse_cumulative_normal(in.location_percent / 100.0) * in.location_std_db;
    const double lb = std::max(lb0p, lbc + lloc);
    r.basic_loss_db = lb;
    r.field_dbuv_per_m = 199.36 + 20.0 * std::log10(f) - lb;

    r.fi = fi;
    r.fj = fj;
    r.fk = fk;
    r.free_space_loss_db = lbfs;
    r.loss_b0p_db = lb0p;
    r.loss_b0beta_db = lb0b;
    r.bullington_actual_db = db50.lbulla_db;
    r.bullington_smooth_db = db50.lbulls_db;
    r.spherical_earth_db = db50.ldsph_db;
    r.diffraction_50_db = ld50;
    r.diffraction_beta_db = ldb;
    r.diffraction_p_db = ldp;
    r.loss_bd50_db = lbd50;
    r.loss_bd_db = lbd;
    r.loss_minb0p_db = lminb0p;
    r.loss_ba_db = lba;
    r.loss_minbap_db = lminbap;
    r.loss_bda_db = lbda;
    r.loss_bam_db = lbam;
    r.loss_bs_db = lbs;
    r.loss_bc_db = lbc;
    r.location_loss_db = lloc;

    if (r.line_of_sight)
        r.flags |= line_of_sight;
    else if (lbs < lbam)
        r.flags |= troposcatter;
    else
        r.flags |= diffraction;
    if (!std::isfinite(lb)) {
        r.basic_loss_db = nan;
        r.field_dbuv_per_m = nan;
        r.flags |= invalid_input;
    }
    return r;
}

}  // namespace grenzfunk::propagation
