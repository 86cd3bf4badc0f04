// The terrain and path geometry of the HCM method (HCM Agreement Annex 5 as the reference
// program HCM_MS V7.21.5 implements it; facts from github.com/5chufti/HCM_V7: Calc_distance,
// Calc_direction, CooConv, Profile, P_to_P_calculation, Dh_calculation; see
// tests/data/hcm/README_reference.md). Everything up to the inputs of HCM's field-strength
// curves and corrections: distance, directions, site heights, the profile, heff, Δh, the
// terrain clearance angles, the vertical angle and HCM's two free-space conditions.
//
// HCM's own rounding is kept on purpose: heights are whole metres (INTEGER*2), heff, Δh and the
// clearance angles are single precision (REAL*4), distances and angles double precision.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "propagation/hcm_terrain.hpp"

namespace grenzfunk::propagation {

// HCM's calculation modes that this geometry serves (HCM's C_mode).
enum class HcmPathMode {
    line_style,      // C_mode 99: "point to point like line calculation" (absolute profile)
    point_to_point,  // C_mode 10: non-strict p2p (slanted profile, Rx heff and TCA, Fresnel)
};

struct HcmLonLat {
    double lon_deg = 0.0;
    double lat_deg = 0.0;
};

// HCM works with whole arc-seconds: CooConv writes each end point as DDDEMMSS/DDNMMSS (seconds
// rounded to nearest) and the program reads that back. This is that round trip.
HcmLonLat hcm_whole_arcseconds(HcmLonLat p);

struct HcmPathInput {
    HcmLonLat tx;
    HcmLonLat rx;
    int tx_antenna_height_m = 0;  // whole metres (HCM's I4 fields)
    int rx_antenna_height_m = 0;
    double frequency_mhz = 0.0;  // Tx frequency: only the Fresnel-zone test uses it
    HcmPathMode mode = HcmPathMode::point_to_point;
    double profile_step_km = 0.1;  // HCM's PD (documented default 0.1 km)
    // Round the end points to whole arc-seconds as HCM does (no-op for whole-second inputs).
    bool round_to_whole_arcseconds = true;
};

enum class HcmPathError {
    none,
    same_point,       // d < profile step: HCM error 1000
    too_long,         // d > 1000 km: HCM error 1028
    terrain_missing,  // a point outside the terrain or on a void post: HCM errors 36/400
};

struct HcmPathGeometry {
    HcmPathError error = HcmPathError::none;
    HcmPathMode mode = HcmPathMode::point_to_point;

    double distance_km = 0.0;    // great circle, sphere R = 6371.29 km (Calc_distance)
    double dir_tx_rx_deg = 0.0;  // azimuth at the Tx towards the Rx, [0, 360)
    double dir_rx_tx_deg = 0.0;
    int tx_site_height_m = 0;  // HCM's database heights (H_Datab_Tx/Rx)
    int rx_site_height_m = 0;

    // Profile: profile_points = int(d / step) + 1 points at spacing d / (points - 1). In
    // line_style the heights are absolute (first = Tx site height); in point_to_point they are
    // relative to the rounded straight line between the two site heights (both ends 0).
    int profile_points = 0;
    std::vector<int> profile_m;

    float heff_tx_m = 0.0f;  // ≥ 3 m each
    float heff_rx_m = 0.0f;
    float heff_unclamped_m = 0.0f;  // heff_tx · heff_rx / 10
    float heff_m = 0.0f;            // after HCM's clamp to 0–3000 m

    bool dh_computed = false;  // only for d > 10 km
    float dh_m = 50.0f;        // 50 = not computed (HCM's convention)

    float tx_tca_deg = 0.0f;
    std::optional<float> rx_tca_deg;  // point_to_point only

    double v_angle_tx_rx_deg = 0.0;  // atan((H_Rx + h_Rx − H_Tx − h_Tx) / d)

    bool free_space_short_path = false;  // d < 1 km (HCM Info 11)
    bool fresnel_zone_clear = false;     // point_to_point only (HCM Info 12)
    bool uses_free_space() const { return free_space_short_path || fresnel_zone_clear; }
};

// All of the above for one path. Never throws for paths outside the terrain: see `error`.
HcmPathGeometry hcm_path_geometry(const HcmTerrain& terrain, const HcmPathInput& input);

}  // namespace grenzfunk::propagation
