// The one path builder: everything a propagation model and an antenna pattern see of the path
// from a transmitter to a point. Used by the reference engine (coverage.cpp), the border check
// (analysis/border_check.cpp) and `grenzfunk path` (cli/path_command.cpp), so that all three
// give the same loss for the same transmitter and point.
//
//   profile      TerrainModel::profile from the transmitter to the point, n = max(2,
//                ceil(d / step) + 1) equally spaced samples, step = the engine's profile step
//                (0 = terrain pixel size); the query's step is d / (n - 1) with d >= 1 m.
//   distance     horizontal distance in the grid CRS, at least 1 m (the pixel under the
//                transmitter keeps the model defined).
//   path centre  the midpoint of the great-circle path between the end points' geographic
//                positions (path_centre below); NaN when either end's position is unknown.
//                The engines give the receiver a position (GridGeography) only for models
//                with needs_path_position() (model.hpp); `path` always does.
//   end points   their lon/lat and heights go into the query (PathQuery::tx/rx_*), for models
//                that build their own profile from them (model.hpp).
//   direction    for the antenna pattern: grid azimuth atan2(dx, dy) turned to true north by the
//                meridian convergence at the site, and the elevation with Earth curvature on
//                the effective Earth radius (antenna_elevation_deg).
// Pure computation: no GDAL, no PROJ (grid points get their lon/lat from GridGeography).
#pragma once

#include <functional>

#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "core/units.hpp"
#include "propagation/model.hpp"
#include "terrain/terrain.hpp"

namespace grenzfunk::engine {

// Longitude and latitude (degrees) of a point of the grid CRS (metres), for models that read the
// path's position (P.1812's path centre, model.hpp). The engine layer has no PROJ: the caller
// makes it with PROJ (io::lon_lat_of_crs, pipeline); it must be safe to call from several threads
// at once. Empty = positions unknown (NaN). Returns false where the point cannot be transformed.
using LonLatOf = std::function<bool(double x_m, double y_m, double& lon_deg, double& lat_deg)>;

inline constexpr double kUnknownDeg = std::numeric_limits<double>::quiet_NaN();

// One end of a path.
struct PathEnd {
    double x_m = 0.0;  // position in the grid CRS
    double y_m = 0.0;
    double lon_deg = kUnknownDeg;  // geographic position; NaN = unknown
    double lat_deg = kUnknownDeg;
    double height_agl_m = 0.0;  // antenna above ground
};

struct LonLat {
    double lon_deg = kUnknownDeg;
    double lat_deg = kUnknownDeg;
};

// The path centre as ITU-R P.1812-7 uses it (Annex 1 §3, input phi: latitude of the path
// centre): the point half-way along the great-circle path between the two ends, on the sphere
// of ITU-R P.2001-4 Attachment H (the great-circle method P.1812 refers to; geodetic
// coordinates taken as spherical). Computed in closed form as the normalised sum of the two
// unit vectors, which is Attachment H's intermediate point (H.3) at half the great-circle
// distance (propagation::great_circle_intermediate_point). The sphere, not the WGS84
// ellipsoid: it is the Recommendation's own definition (its SG3 validation data use it), and
// the two midpoints differ by less than 1e-4 deg of latitude over 100 km, far below
// what the radio-meteorological inputs resolve. NaN if either end is unknown (or they are
// antipodal).
LonLat path_centre(const LonLat& a, const LonLat& b);

// Elevation of the point seen from the transmitting antenna, degrees (positive up): the
// straight line between the antenna heights above sea level, lowered by the Earth's curvature
// d / (2 R_eff) (R_eff = k a, k = 4/3 by default).
inline double antenna_elevation_deg(double tx_amsl_m, double rx_amsl_m, double distance_m,
                                    double effective_earth_radius_m) {
    return units::rad_to_deg(std::atan2(rx_amsl_m - tx_amsl_m, distance_m) -
                             distance_m / (2.0 * effective_earth_radius_m));
}

// Azimuth of (dx, dy) from grid north, degrees clockwise, in (-180, 180].
inline double grid_azimuth_deg(double dx_m, double dy_m) {
    return units::rad_to_deg(std::atan2(dx_m, dy_m));
}

// Azimuth from true north, [0, 360): the grid azimuth less the grid azimuth of true north at
// the site (meridian convergence).
inline double true_azimuth_deg(double grid_azimuth, double true_north_grid_azimuth_deg) {
    return std::fmod(grid_azimuth - true_north_grid_azimuth_deg + 720.0, 360.0);
}

// What the builder needs besides the two ends.
struct PathSettings {
    double frequency_mhz = 0.0;
    double profile_step_m = 0.0;  // largest step between profile samples (> 0)
    bool needs_profile = true;    // model.needs_terrain_profile()
};

// A built path: the model's query (its profile views the caller's buffer) and the ground
// heights at both ends (tx_ground_m only with a profile: its first sample; NaN without).
struct BuiltPath {
    propagation::PathQuery query;
    double distance_m = 0.0;  // horizontal distance in the grid CRS, not clamped
    double tx_ground_m = std::numeric_limits<double>::quiet_NaN();
    double rx_ground_m = std::numeric_limits<double>::quiet_NaN();
};

// The query for the path tx -> rx with a profile sampled as TerrainModel::profile samples it
// (`profile` may be empty for models without terrain); `profile` must outlive the query.
propagation::PathQuery make_path_query(const PathEnd& tx, const PathEnd& rx, double frequency_mhz,
                                       std::span<const double> profile);

// Samples the profile into `profile` (with needs_profile) and fills `out`. Returns false when
// the terrain has no height at a sample (without a profile: under the point; the transmitter's
// ground is the caller's to check).
bool build_path(const terrain::TerrainModel& terrain, const PathEnd& tx, const PathEnd& rx,
                const PathSettings& settings, std::vector<double>& profile, BuiltPath& out);

}  // namespace grenzfunk::engine
