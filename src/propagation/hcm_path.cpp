#include "propagation/hcm_path.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>

#include "core/error.hpp"

namespace grenzfunk::propagation {

namespace {
constexpr double kEarthRadiusKm = 6371.29;  // Calc_distance.f90, Profile.f90
constexpr double kDeg = std::numbers::pi / 180.0;
constexpr double kMaxDistanceKm = 1000.0;  // HCM error 1028 beyond
constexpr float kHeffMaxM = 3000.0f;       // heff clamp before the curves (README_reference)
// Single-precision ATAND as the reference build evaluates it: atanf(x) times 180/pi formed in
// float (180.0f / float(pi)). Case H089_99 (3.87745 -> printed 3.8774) tells this apart from
// rounding a double result.
constexpr float kRadToDegF = 180.0f / float(std::numbers::pi);

double sind(double x) {
    return std::sin(x * kDeg);
}
double cosd(double x) {
    return std::cos(x * kDeg);
}
double asind(double x) {
    return std::asin(x) / kDeg;
}
double atan2d(double y, double x) {
    return std::atan2(y, x) / kDeg;
}
// Fortran NINT: nearest, halves away from zero (also for REAL arguments).
long long nint(double x) {
    return std::llround(x);
}
int nint_f(float x) {
    return int(std::lround(x));
}

// Haversine on HCM's sphere (Calc_distance.f90).
double distance_km(HcmLonLat a, HcmLonLat b) {
    const double s_lat = sind((b.lat_deg - a.lat_deg) / 2.0);
    const double s_lon = sind((b.lon_deg - a.lon_deg) / 2.0);
    const double t = s_lat * s_lat + cosd(a.lat_deg) * cosd(b.lat_deg) * s_lon * s_lon;
    return 2.0 * kEarthRadiusKm * std::atan2(std::sqrt(t), std::sqrt(1.0 - t));
}

// Initial great-circle azimuth, [0, 360) (Calc_direction.f90).
double direction_deg(HcmLonLat a, HcmLonLat b) {
    const double dlon = b.lon_deg - a.lon_deg;
    double azi =
        atan2d(sind(dlon) * cosd(b.lat_deg),
               cosd(a.lat_deg) * sind(b.lat_deg) - sind(a.lat_deg) * cosd(b.lat_deg) * cosd(dlon));
    if (azi < 0.0) azi += 360.0;
    return azi;
}

// The point at angular distance `delta_rad` from `from` along azimuth `azimuth_deg`, as
// Profile.f90 computes it (destination on the sphere; the longitude term reuses the sine of the
// new latitude before it is turned into degrees).
HcmLonLat destination(HcmLonLat from, double azimuth_deg, double delta_rad) {
    const double sla = sind(from.lat_deg), cla = cosd(from.lat_deg);
    const double sdir = sind(azimuth_deg), cdir = cosd(azimuth_deg);
    const double sidd = std::sin(delta_rad), codd = std::cos(delta_rad);
    const double sin_lat = sla * codd + cla * sidd * cdir;
    return {from.lon_deg + atan2d(sdir * sidd * cla, codd - sla * sin_lat), asind(sin_lat)};
}

// Δh: the 10 %–90 % range of the sorted profile heights (Dh_calculation.f90): from 4.5 km to
// d − 4.5 km, for d > 50 km only the 4.5–25 km stretches at both ends. Sorted ascending
// (1-based), Δh = h[N − nint(N/10)] − h[nint(N/10)]; N < 5: h[N] − h[1]. (An older version of
// the program took 0.8 · (max − min); the reference cases rule that out.)
float delta_h_m(const std::vector<int>& profile, double distance_km, double step_km) {
    const int points = int(profile.size());
    const int near = int(nint(4.5 / step_km)), far = int(nint(25.0 / step_km));
    std::vector<int> h;
    auto take = [&](int first, int last) {  // 0-based, inclusive
        for (int k = std::max(first, 0); k <= std::min(last, points - 1); ++k)
            h.push_back(profile[std::size_t(k)]);
    };
    if (distance_km <= 50.0) {
        take(near, points - 1 - near);
    } else {
        take(near, far);
        take(points - 1 - far, points - 1 - near);
    }
    const int n = int(h.size());
    if (n == 0) return 0.0f;
    std::sort(h.begin(), h.end());
    auto at = [&](int one_based) { return h[std::size_t(one_based - 1)]; };
    if (n < 5) return float(at(n) - at(1));
    const int tenth = nint_f(float(n) / 10.0f);
    return float(at(n - tenth) - at(tenth));
}

// Highest clearance angle from an antenna top over the first 16 km (or the whole path): the
// profile is read outwards from `from_end`; no Earth curvature, distances i · step (the nominal
// step, not d / intervals), single precision as in P_to_P_calculation.f90.
float clearance_angle_deg(const std::vector<int>& profile, bool from_tx_end, int antenna_top_m,
                          double distance_km, double step_km) {
    const int points = int(profile.size());
    const int count = distance_km >= 16.0 ? int(nint(16.0 / step_km)) : points - 2;
    const float step = float(step_km);
    float best = -90.0f;
    for (int i = 1; i <= count && i < points; ++i) {
        const int h = from_tx_end ? profile[std::size_t(i)] : profile[std::size_t(points - 1 - i)];
        const float x = float(h - antenna_top_m) / (step * float(i) * 1e3f);
        const float angle = std::atan(x) * kRadToDegF;
        best = std::max(best, angle);
    }
    return best;
}
}  // namespace

HcmLonLat hcm_whole_arcseconds(HcmLonLat p) {
    // CooConv.f90: whole degrees and minutes truncated, seconds rounded, carries propagated.
    auto convert = [](double v) {
        const bool negative = v < 0.0;
        double a = std::fabs(v);
        int d = int(a);
        a = (a - d) * 60.0;
        int m = int(a);
        a = (a - m) * 60.0;
        int s = int(nint(a));
        if (s >= 60) {
            s -= 60;
            if (++m >= 60) {
                m -= 60;
                ++d;
            }
        }
        double out = double(d);
        out += double(m) / 60.0;
        out += double(s) / 3600.0;
        return negative ? -out : out;
    };
    double lon = p.lon_deg;
    if (lon > 180.0) lon -= 360.0;
    return {convert(lon), convert(p.lat_deg)};
}

HcmPathGeometry hcm_path_geometry(const HcmTerrain& terrain, const HcmPathInput& input) {
    HcmPathGeometry g;
    g.mode = input.mode;
    const bool slant = input.mode == HcmPathMode::point_to_point;
    const double step_km = input.profile_step_km;
    const HcmLonLat tx =
        input.round_to_whole_arcseconds ? hcm_whole_arcseconds(input.tx) : input.tx;
    const HcmLonLat rx =
        input.round_to_whole_arcseconds ? hcm_whole_arcseconds(input.rx) : input.rx;

    g.distance_km = distance_km(tx, rx);
    if (g.distance_km < step_km) {
        g.error = HcmPathError::same_point;
        return g;
    }
    if (g.distance_km > kMaxDistanceKm) {
        g.error = HcmPathError::too_long;
        return g;
    }
    g.dir_rx_tx_deg = direction_deg(rx, tx);
    g.dir_tx_rx_deg = direction_deg(tx, rx);

    const std::optional<int> h_tx = terrain.height_m(tx.lon_deg, tx.lat_deg);
    const std::optional<int> h_rx = terrain.height_m(rx.lon_deg, rx.lat_deg);
    if (!h_tx || !h_rx) {
        g.error = HcmPathError::terrain_missing;
        return g;
    }
    g.tx_site_height_m = *h_tx;
    g.rx_site_height_m = *h_rx;
    const int site_tx = *h_tx, site_rx = *h_rx;
    const int ant_tx = input.tx_antenna_height_m, ant_rx = input.rx_antenna_height_m;

    g.v_angle_tx_rx_deg =
        atan2d(double(site_rx + ant_rx - (site_tx + ant_tx)), 1e3 * g.distance_km);
    g.free_space_short_path = g.distance_km < 1.0;

    // Profile (Profile.f90): int(d / step) intervals of d / intervals; points from the Tx
    // towards the middle, then from the Rx towards the middle.
    const int intervals = int(g.distance_km / step_km);
    const int points = intervals + 1;
    const double interval_rad = (g.distance_km / intervals) / kEarthRadiusKm;
    const double slope_m_per_interval = double(site_rx - site_tx) / double(intervals);
    std::vector<int> profile(std::size_t(points), 0);
    profile[0] = slant ? 0 : site_tx;
    const int tx_half_last = nint_f(float(points) / 2.0f);  // 1-based, NINT(REAL(PN) / 2.0)
    for (int pc = 2; pc <= tx_half_last; ++pc) {
        const HcmLonLat p = destination(tx, g.dir_tx_rx_deg, double(pc - 1) * interval_rad);
        const std::optional<int> h = terrain.height_m(p.lon_deg, p.lat_deg);
        if (!h) {
            g.error = HcmPathError::terrain_missing;
            return g;
        }
        int v = *h;
        if (slant) v -= int(nint(double(site_tx) + slope_m_per_interval * double(pc - 1)));
        profile[std::size_t(pc - 1)] = v;
    }
    // In line style the Rx end itself comes from this loop (at distance 0 from the Rx); in
    // point_to_point it stays 0.
    const int rx_half_last = slant ? points - 1 : points;
    for (int pc = tx_half_last + 1; pc <= rx_half_last; ++pc) {
        const HcmLonLat p = destination(rx, g.dir_rx_tx_deg, double(points - pc) * interval_rad);
        const std::optional<int> h = terrain.height_m(p.lon_deg, p.lat_deg);
        if (!h) {
            g.error = HcmPathError::terrain_missing;
            return g;
        }
        int v = *h;
        if (slant) v -= int(nint(double(site_rx) - slope_m_per_interval * double(points - pc)));
        profile[std::size_t(pc - 1)] = v;
    }
    g.profile_points = points;

    // Terrain clearance angles (P_to_P_calculation.f90): from the antenna top; in point_to_point
    // the antenna height alone, since the slanted profile is relative to the site heights.
    const int top_tx = slant ? ant_tx : site_tx + ant_tx;
    const int top_rx = slant ? ant_rx : site_rx + ant_rx;
    g.tx_tca_deg = clearance_angle_deg(profile, true, top_tx, g.distance_km, step_km);
    if (slant) g.rx_tca_deg = clearance_angle_deg(profile, false, top_rx, g.distance_km, step_km);

    // Effective heights: antenna top minus the mean profile height from 1 to 15 km (indices
    // nint(1/step)..nint(15/step)); below 15 km from nint(points/15) to the far end.
    int first = 0, last = 0;
    if (g.distance_km < 15.0) {
        first = nint_f(float(points) / 15.0f);
        last = points - 1;
    } else {
        first = int(nint(1.0 / step_km));
        last = int(nint(15.0 / step_km));
    }
    auto mean_terrain = [&](bool from_tx_end) {
        long long sum = 0;
        for (int i = first; i <= last; ++i)
            sum += from_tx_end ? profile[std::size_t(i)] : profile[std::size_t(points - 1 - i)];
        return float(sum) / float(last - first + 1);
    };
    g.heff_tx_m = std::max(3.0f, float(top_tx) - mean_terrain(true));
    g.heff_rx_m = std::max(3.0f, slant ? float(top_rx) - mean_terrain(false) : float(ant_rx));
    g.heff_unclamped_m = (g.heff_tx_m * g.heff_rx_m) / 10.0f;
    g.heff_m = std::clamp(g.heff_unclamped_m, 0.0f, kHeffMaxM);

    // First Fresnel zone (P_to_P_calculation.f90, point_to_point only): terrain plus Earth
    // bulge x(d − x)/17 (k = 4/3), plus 10 m except within 1 km of each end, against the radius
    // 547.7·sqrt(x(d − x)/(d f)) below the line of sight. Distances are i · step (nominal).
    // Program quirk kept: the line of sight over the slanted profile is h_Rx · x / d, i.e. the
    // Tx antenna height is not counted. The reference cases confirm it: counting it makes 9 of
    // the 100 mode-10 paths "free", HCM has one (H084_10).
    if (slant) {
        const double d = g.distance_km;
        const int interior = points - 2;
        std::vector<float> hz(std::size_t(std::max(interior, 0) + 1), 0.0f);  // 1-based
        for (int i = 1; i <= interior; ++i)
            hz[std::size_t(i)] =
                float(double(profile[std::size_t(i)]) + step_km * i * (d - step_km * i) / 17.0);
        if (d > 2.0) {
            const int i1 = int(nint(1.0 / step_km)), i2 = int(nint((d - 1.0) / step_km));
            for (int i = i1; i <= std::min(i2, interior); ++i) hz[std::size_t(i)] += 10.0f;
        }
        bool clear = true;
        for (int i = 1; i <= interior && clear; ++i) {
            const float clearance =
                float(double(ant_rx) * step_km * i / d - double(hz[std::size_t(i)]));
            const float x = float(step_km * i * (d - step_km * i));
            const float radius =
                x <= 0.0f
                    ? 0.0f
                    : float(double(547.7f) * std::sqrt(double(x) / (d * input.frequency_mhz)));
            if (clearance - radius < 0.0f) clear = false;
        }
        g.fresnel_zone_clear = clear;
    }

    // Terrain irregularity Δh, only beyond 10 km (P_to_P_calculation.f90).
    if (g.distance_km > 10.0) {
        g.dh_computed = true;
        g.dh_m = delta_h_m(profile, g.distance_km, step_km);
    }
    g.profile_m = std::move(profile);
    return g;
}

}  // namespace grenzfunk::propagation
