#include "engine/grid_geography.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/units.hpp"

namespace grenzfunk::engine {

namespace {

constexpr double kGrs80A = 6378137.0, kGrs80InvF = 298.257222101;
constexpr double kWgs84A = 6378137.0, kWgs84InvF = 298.257223563;

double eccentricity(double inverse_flattening) {
    const double f = 1.0 / inverse_flattening;
    return std::sqrt(f * (2.0 - f));
}

// Snyder (3-12): q of a latitude (authalic latitude beta = asin(q / q_p)).
double authalic_q(double e, double sin_phi) {
    const double es = e * sin_phi;
    return (1.0 - e * e) *
           (sin_phi / (1.0 - es * es) - 1.0 / (2.0 * e) * std::log((1.0 - es) / (1.0 + es)));
}

}  // namespace

std::optional<GridGeography> GridGeography::for_crs(const std::string& crs) {
    std::string upper;
    for (char c : crs)
        if (!std::isspace(static_cast<unsigned char>(c)))
            upper += char(std::toupper(static_cast<unsigned char>(c)));
    if (upper.rfind("EPSG:", 0) != 0) return std::nullopt;
    int code = 0;
    const char* begin = upper.data() + 5;
    const char* end = upper.data() + upper.size();
    const auto [ptr, ec] = std::from_chars(begin, end, code);
    if (ec != std::errc() || ptr != end) return std::nullopt;

    GridGeography g;
    const auto utm = [&](int zone, bool south, double a, double inv_f) {
        g.kind_ = Kind::transverse_mercator;
        g.a_m_ = a;
        g.e_ = eccentricity(inv_f);
        g.lon0_deg_ = 6.0 * zone - 183.0;
        g.lat0_deg_ = 0.0;
        g.k0_ = 0.9996;
        g.false_easting_m_ = 500000.0;
        g.false_northing_m_ = south ? 10000000.0 : 0.0;
        return g;
    };
    if (code >= 25828 && code <= 25838) return utm(code - 25800, false, kGrs80A, kGrs80InvF);
    if (code >= 32601 && code <= 32660) return utm(code - 32600, false, kWgs84A, kWgs84InvF);
    if (code >= 32701 && code <= 32760) return utm(code - 32700, true, kWgs84A, kWgs84InvF);
    if (code == 3035) {
        g.kind_ = Kind::lambert_azimuthal_equal_area;
        g.a_m_ = kGrs80A;
        g.e_ = eccentricity(kGrs80InvF);
        g.lon0_deg_ = 10.0;
        g.lat0_deg_ = 52.0;
        g.false_easting_m_ = 4321000.0;
        g.false_northing_m_ = 3210000.0;
        return g;
    }
    return std::nullopt;
}

bool GridGeography::to_lon_lat(double x_m, double y_m, double& lon_deg, double& lat_deg) const {
    lon_deg = lat_deg = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(x_m) || !std::isfinite(y_m)) return false;
    const double e2 = e_ * e_;
    const double x = x_m - false_easting_m_, y = y_m - false_northing_m_;
    double lon_rad = 0.0, lat_rad = 0.0;

    if (kind_ == Kind::transverse_mercator) {
        // Karney (2011): rectifying radius A (eq. (14)), then xi', eta' from xi, eta (eq. (11)
        // with the beta coefficients of eq. (36)), conformal latitude chi (eq. (10)).
        const double f = 1.0 - std::sqrt(1.0 - e2);
        const double n = f / (2.0 - f), n2 = n * n, n3 = n2 * n, n4 = n3 * n;
        const double big_a = a_m_ / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0);
        const double beta[4] = {n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0 - n4 / 360.0,
                                n2 / 48.0 + n3 / 15.0 - 437.0 * n4 / 1440.0,
                                17.0 * n3 / 480.0 - 37.0 * n4 / 840.0, 4397.0 * n4 / 161280.0};
        const double xi = y / (k0_ * big_a), eta = x / (k0_ * big_a);
        double xi1 = xi, eta1 = eta;
        for (int j = 1; j <= 4; ++j) {
            xi1 -= beta[j - 1] * std::sin(2.0 * j * xi) * std::cosh(2.0 * j * eta);
            eta1 -= beta[j - 1] * std::cos(2.0 * j * xi) * std::sinh(2.0 * j * eta);
        }
        const double sinh_eta = std::sinh(eta1), cos_xi = std::cos(xi1);
        const double tau_conformal = std::sin(xi1) / std::hypot(sinh_eta, cos_xi);  // tan chi
        lon_rad = std::atan2(sinh_eta, cos_xi);
        // tan(phi) from tan(chi): Newton's method on Karney's eqs. (7)-(9) (converges in 2-3
        // steps to rounding).
        double tau = tau_conformal;
        for (int it = 0; it < 8; ++it) {
            const double s = std::hypot(1.0, tau);
            const double sigma = std::sinh(e_ * std::atanh(e_ * tau / s));
            const double tau_c = tau * std::hypot(1.0, sigma) - sigma * s;
            const double dtau = (tau_conformal - tau_c) / std::hypot(1.0, tau_c) *
                                (1.0 + (1.0 - e2) * tau * tau) / ((1.0 - e2) * s);
            tau += dtau;
            if (!(std::abs(dtau) >= 1e-15 * std::max(1.0, std::abs(tau)))) break;
        }
        lat_rad = std::atan(tau);
    } else {
        // Snyder (1987) p. 189, oblique ellipsoidal LAEA: q_p, R_q, beta_1, D (eqs. (3-12),
        // (3-13), (24-11)), then rho, C (eqs. (24-28), (24-29)), q and lambda (eqs. (24-30),
        // (24-26) inverted), phi from q by eq. (3-16).
        const double phi1 = units::deg_to_rad(lat0_deg_);
        const double qp = authalic_q(e_, 1.0);
        const double rq = a_m_ * std::sqrt(qp / 2.0);
        const double sin_phi1 = std::sin(phi1);
        const double beta1 = std::asin(authalic_q(e_, sin_phi1) / qp);
        const double m1 = std::cos(phi1) / std::sqrt(1.0 - e2 * sin_phi1 * sin_phi1);
        const double d = a_m_ * m1 / (rq * std::cos(beta1));
        const double rho = std::hypot(x / d, d * y);
        if (rho > 2.0 * rq) return false;
        double q;
        if (rho == 0.0) {
            q = authalic_q(e_, sin_phi1);
        } else {
            const double c = 2.0 * std::asin(std::min(1.0, rho / (2.0 * rq)));
            q = qp * (std::cos(c) * std::sin(beta1) + d * y * std::sin(c) * std::cos(beta1) / rho);
            lon_rad = std::atan2(x * std::sin(c), d * rho * std::cos(beta1) * std::cos(c) -
                                                      d * d * y * std::sin(beta1) * std::sin(c));
        }
        double phi = std::asin(std::clamp(q / 2.0, -1.0, 1.0));
        for (int it = 0; it < 12; ++it) {
            const double sp = std::sin(phi), cp = std::cos(phi);
            if (cp < 1e-12) break;  // a pole
            const double w = 1.0 - e2 * sp * sp;
            const double dphi = w * w / (2.0 * cp) *
                                (q / (1.0 - e2) - sp / w +
                                 1.0 / (2.0 * e_) * std::log((1.0 - e_ * sp) / (1.0 + e_ * sp)));
            phi += dphi;
            if (!(std::abs(dphi) >= 1e-15)) break;
        }
        lat_rad = phi;
    }
    lon_deg = lon0_deg_ + units::rad_to_deg(lon_rad);
    lat_deg = units::rad_to_deg(lat_rad);
    return std::isfinite(lon_deg) && std::isfinite(lat_deg);
}

}  // namespace grenzfunk::engine
