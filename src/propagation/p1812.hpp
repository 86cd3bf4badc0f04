// Recommendation ITU-R P.1812-7 (08/2023): a path-specific propagation prediction method for
// point-to-area terrestrial services in the frequency range 30 MHz to 6 000 MHz.
//
// Detailed API: one path profile with per-point distance, terrain height, representative clutter
// height and radio-climatic zone in, basic transmission loss Lb, field strength Ep and the main
// intermediate quantities out. The registered model "p1812" (p1812_model.cpp) wraps this for the
// PropagationModel interface; src/io/sg3_p1812.* evaluates it on ITU-R SG3 validation files.
//
// Validity (P.1812-7 §1 and Annex 1 §2): 30 MHz - 6 GHz, time percentages 1 - 50 %, location
// percentages 1 - 99 %, path lengths about 0.25 - 3 000 km, antenna heights 1 - 3 000 m above
// ground, |latitude| <= 80 deg. Outside these ranges the method still returns a value with a
// warning flag where the formulas remain defined.
#pragma once

#include <cstdint>
#include <span>

namespace grenzfunk::propagation {

enum class Polarization { horizontal, vertical };

// Radio-climatic zones, P.1812-7 Table 1 (the numeric codes of the SG3 "Radio Met Code" column).
enum class RadioClimaticZone : std::uint8_t { sea = 1, coastal_land = 3, inland = 4 };

struct P1812Input {
    double frequency_mhz = 0.0;
    double time_percent = 50.0;      // p: loss not exceeded for p % of time, 1 - 50
    double location_percent = 50.0;  // pL: loss not exceeded for pL % of locations, 1 - 99
    double location_std_db = 0.0;    // sigma_L of the location variability (§4.8), dB

    // The path profile, transmitter first. distance_km is ascending; distance_km[0] is the
    // transmitter (taken as the origin). height_m: terrain height above sea level.
    // clutter_height_m: representative clutter height R_i (§3.2); empty means 0 everywhere.
    // R at the two terminal points is not used (g_1 = h_1, g_n = h_n); the clutter at the points
    // next to the terminals is what represents terminal clutter in the diffraction model.
    // zone: radio-climatic zone per point; empty means inland everywhere.
    std::span<const double> distance_km;
    std::span<const double> height_m;
    std::span<const double> clutter_height_m;
    std::span<const RadioClimaticZone> zone;

    double tx_height_agl_m = 0.0;  // htg
    double rx_height_agl_m = 0.0;  // hrg
    Polarization polarization = Polarization::vertical;

    double path_centre_lat_deg = 0.0;  // phi, for beta0 (eqs. (4)-(5))
    // Defaults: the Hof/Plauen region (where they come from: p1812_model.cpp).
    double delta_n_n_units_per_km = 45.0;  // average refractivity lapse rate, path centre
    double n0_n_units = 324.0;             // sea-level surface refractivity, path centre
    double tx_coast_distance_km = 500.0;   // dct: distance over land to the coast (0 at sea)
    double rx_coast_distance_km = 500.0;   // dcr
};

// Everything the SG3 validation logs list, in their order. Losses in dB, heights in m,
// distances in km, angles in mrad. Values that the method did not need are NaN
// (loss_dbeta_db, the beta0 % diffraction loss, is only computed for p < 50 %).
struct P1812Result {
    double basic_loss_db = 0.0;     // Lb, eq. (69)
    double field_dbuv_per_m = 0.0;  // Ep for 1 kW e.r.p., eq. (70)
    std::uint32_t flags = 0;        // PathFlag bits (model.hpp)
    bool line_of_sight = false;     // path classification of Attachment 1 §5

    // Path profile analysis (Attachment 1 to Annex 1, §5; Annex 1 §3).
    double distance_km = 0.0;                 // d
    double tx_horizon_distance_km = 0.0;      // dlt
    double rx_horizon_distance_km = 0.0;      // dlr
    double tx_horizon_angle_mrad = 0.0;       // theta_t
    double rx_horizon_angle_mrad = 0.0;       // theta_r
    double angular_distance_mrad = 0.0;       // theta
    double tx_height_amsl_m = 0.0;            // hts
    double rx_height_amsl_m = 0.0;            // hrs
    double sea_fraction = 0.0;                // omega
    double longest_land_km = 0.0;             // dtm
    double longest_inland_km = 0.0;           // dlm
    double path_centre_lat_deg = 0.0;         // phi
    double beta0_percent = 0.0;               // beta0, eq. (5)
    double effective_earth_radius_km = 0.0;   // ae, eq. (7a)
    double smooth_tx_height_m = 0.0;          // hst of the least-squares smooth Earth (uncorrected)
    double smooth_rx_height_m = 0.0;          // hsr
    double smooth_tx_height_ducting_m = 0.0;  // hst limited to h_1 (ducting model)
    double smooth_rx_height_ducting_m = 0.0;  // hsr limited to h_n
    double smooth_tx_height_diffraction_m = 0.0;  // hstd
    double smooth_rx_height_diffraction_m = 0.0;  // hsrd
    double tx_effective_height_m = 0.0;           // hte (ducting/layer reflection)
    double rx_effective_height_m = 0.0;           // hre
    double terrain_roughness_m = 0.0;             // hm

    // Interpolation factors and losses (Annex 1 §4).
    double fi = 0.0, fj = 0.0, fk = 0.0;  // eqs. (40), (57), (58)
    double free_space_loss_db = 0.0;      // Lbfs, eq. (8)
    double loss_b0p_db = 0.0;             // Lb0p, eq. (10)
    double loss_b0beta_db = 0.0;          // Lb0b, eq. (11)
    double bullington_actual_db = 0.0;    // Lbulla (median effective Earth radius)
    double bullington_smooth_db = 0.0;    // Lbulls
    double spherical_earth_db = 0.0;      // Ldsph
    // The same three for the effective Earth radius exceeded for beta0 % of time (p < 50 %
    // only, else NaN); the SG3 logs list these under Lbulla/Lbulls/Ldsph when p < 50 %.
    double bullington_actual_beta_db = 0.0;
    double bullington_smooth_beta_db = 0.0;
    double spherical_earth_beta_db = 0.0;
    double diffraction_50_db = 0.0;    // Ld50
    double diffraction_beta_db = 0.0;  // Ldb (NaN for p = 50 %)
    double diffraction_p_db = 0.0;     // Ldp, eq. (41)
    double loss_bd50_db = 0.0;         // Lbd50, eq. (42)
    double loss_bd_db = 0.0;           // Lbd, eq. (43)
    double loss_minb0p_db = 0.0;       // Lminb0p, eq. (59)
    double loss_ba_db = 0.0;           // Lba, eq. (46) (ducting / layer reflection)
    double loss_minbap_db = 0.0;       // Lminbap, eq. (60)
    double loss_bda_db = 0.0;          // Lbda, eq. (61)
    double loss_bam_db = 0.0;          // Lbam, eq. (62)
    double loss_bs_db = 0.0;           // Lbs, eq. (44) (troposcatter)
    double loss_bc_db = 0.0;           // Lbc, eq. (63)
    double location_loss_db = 0.0;     // Lloc (location variability term)
};

// Evaluates P.1812-7 on one path. Never throws: invalid input gives NaN losses and the
// invalid_input flag; inputs outside the Recommendation's ranges set warning flags.
P1812Result p1812_loss(const P1812Input& input) noexcept;

// Standard deviation of the location variability, P.1812-7 §4.8 (dB): frequency in MHz,
// receiving antenna height above ground, representative clutter height at the receiver and the
// width of the square area over which the variability applies (m).
double p1812_location_std_db(double frequency_mhz, double rx_height_agl_m,
                             double rx_clutter_height_m, double area_width_m);

// Approximation to the inverse complementary cumulative normal distribution, P.1812-7
// Attachment 2 to Annex 1: the value exceeded with probability x (0 < x < 1).
double p1812_inverse_cumulative_normal(double x);

// A point on the great-circle path from (lat1, lon1) towards (lat2, lon2) at distance_km from
// the first point, on a sphere of radius 6 371 km (ITU-R P.2001 Attachment H, as P.1812 uses
// for the path centre). Degrees, positive north/east.
struct GeoPoint {
    double lat_deg = 0.0;
    double lon_deg = 0.0;
};
GeoPoint great_circle_intermediate_point(double lat1_deg, double lon1_deg, double lat2_deg,
                                         double lon2_deg, double distance_km);

}  // namespace grenzfunk::propagation
