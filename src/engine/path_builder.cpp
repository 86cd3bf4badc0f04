#include "engine/path_builder.hpp"

#include <algorithm>
#include <limits>

#include "core/units.hpp"

namespace grenzfunk::engine {

LonLat path_centre(const LonLat& a, const LonLat& b) {
    using units::deg_to_rad;
    using units::rad_to_deg;
    if (!std::isfinite(a.lat_deg) || !std::isfinite(a.lon_deg) || !std::isfinite(b.lat_deg) ||
        !std::isfinite(b.lon_deg))
        return {};
    // Unit vectors of both ends; their sum points at the midpoint of the shorter great-circle
    // arc (P.2001 Attachment H at half the distance).
    const double lat1 = deg_to_rad(a.lat_deg), lat2 = deg_to_rad(b.lat_deg);
    const double dlon = deg_to_rad(b.lon_deg - a.lon_deg);
    const double x = std::cos(lat1) + std::cos(lat2) * std::cos(dlon);
    const double y = std::cos(lat2) * std::sin(dlon);
    const double z = std::sin(lat1) + std::sin(lat2);
    const double r = std::hypot(x, y);
    if (!(r > 0.0 || z != 0.0)) return {};
    return {a.lon_deg + rad_to_deg(std::atan2(y, x)), rad_to_deg(std::atan2(z, r))};
}

propagation::PathQuery make_path_query(const PathEnd& tx, const PathEnd& rx, double frequency_mhz,
                                       std::span<const double> profile) {
    propagation::PathQuery q;
    q.frequency_mhz = frequency_mhz;
    q.tx_height_agl_m = tx.height_agl_m;
    q.rx_height_agl_m = rx.height_agl_m;
    const double dx = rx.x_m - tx.x_m, dy = rx.y_m - tx.y_m;
    // The pixel under the transmitter: a short path keeps the model defined.
    q.distance_m = std::max(std::sqrt(dx * dx + dy * dy), 1.0);
    if (!profile.empty()) {
        q.profile.step_m = q.distance_m / double(profile.size() - 1);
        q.profile.elevation_m = profile;
    }
    const LonLat centre = path_centre({tx.lon_deg, tx.lat_deg}, {rx.lon_deg, rx.lat_deg});
    q.centre_lat_deg = centre.lat_deg;
    q.centre_lon_deg = centre.lon_deg;
    q.tx_lon_deg = tx.lon_deg;
    q.tx_lat_deg = tx.lat_deg;
    q.rx_lon_deg = rx.lon_deg;
    q.rx_lat_deg = rx.lat_deg;
    return q;
}

bool build_path(const terrain::TerrainModel& terrain, const PathEnd& tx, const PathEnd& rx,
                const PathSettings& settings, std::vector<double>& profile, BuiltPath& out) {
    // The rest of the query (rx height, frequency) follows make_path_query.
    const double dx = rx.x_m - tx.x_m, dy = rx.y_m - tx.y_m;
    out.distance_m = std::sqrt(dx * dx + dy * dy);
    if (settings.needs_profile) {
        if (terrain.profile(tx.x_m, tx.y_m, rx.x_m, rx.y_m, settings.profile_step_m, profile) < 0.0)
            return false;
        out.tx_ground_m = profile.front();
        out.rx_ground_m = profile.back();
        out.query = make_path_query(tx, rx, settings.frequency_mhz, profile);
    } else {
        out.tx_ground_m = std::numeric_limits<double>::quiet_NaN();  // not looked up per pixel
        out.rx_ground_m = terrain.elevation_at(rx.x_m, rx.y_m);
        if (std::isnan(out.rx_ground_m)) return false;
        out.query = make_path_query(tx, rx, settings.frequency_mhz, {});
    }
    return true;
}

}  // namespace grenzfunk::engine
