// Recommendation ITU-R P.1546-6 (08/2019): method for point-to-area predictions for terrestrial
// services in the frequency range 30 MHz to 4 000 MHz.
//
// Field strength exceeded at t % time (1-50 %) and 50 % (or q %) of locations, for 1 kW e.r.p.,
// interpolated from the tabulated curves of Annex 1 (compiled in, see p1546_tables.hpp) and
// corrected as in Annex 5 / the step-by-step procedure of Annex 6:
//   Annex 5 §2 maximum field strength; §3 effective transmitting/base antenna height h1;
//   §4.1 h1 of 10-3000 m; §4.2 h1 below 10 m; §4.3 negative h1 (case b); §5 distance;
//   §6 frequency (incl. sea paths below 100 MHz); §7 time percentage; §8 mixed land/sea paths;
//   §9 receiving/mobile antenna height and clutter; §10 transmitter clutter; §11 terrain
//   clearance angle; §12 location variability; §13 tropospheric scatter; §14 slope path;
//   §15 paths shorter than 1 km; §16 inverse normal approximation; §17 equivalent basic
//   transmission loss; §18 0.6 Fresnel clearance distance D06.
// Validity: f 30-4000 MHz, d up to 1000 km (shorter than 1 km via §15), t 1-50 %, q 1-99 %,
// h1 up to 3000 m, h2 >= 1 m (land) or >= 3 m (sea). Outside these the result is flagged.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

namespace grenzfunk::propagation::p1546 {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Environment around the receiving/mobile antenna (Annex 5 §9, §12).
enum class ReceiverEnvironment { rural, suburban, urban, dense_urban, sea };
// Sea zone type for time percentages below 50 % (Annex 5 §8: warm wins if both occur).
enum class SeaType { cold, warm };

// Representative clutter height R used when none is given: the examples of Annex 5 §9
// (10 m rural/suburban and for sea, 15 m urban, 20 m dense urban).
double default_clutter_height_m(ReceiverEnvironment environment);
// Parses "rural", "suburban", "urban", "dense_urban" (or "dense urban"), "sea"; false if unknown.
bool parse_environment(std::string_view text, ReceiverEnvironment& out);
std::string_view environment_name(ReceiverEnvironment environment);

struct Input {
    double frequency_mhz = kNaN;  // 30-4000 MHz
    double time_percent = 50.0;   // 1-50 %
    double location_percent = 50.0;
    double distance_km = kNaN;     // horizontal path length d
    double sea_distance_km = 0.0;  // part of d in sea / coastal zones (0: all land; d: all sea)
    SeaType sea_type = SeaType::cold;
    double h1_m = kNaN;             // effective transmitting/base antenna height (Annex 5 §3)
    double tx_height_agl_m = kNaN;  // ha, antenna above ground (§10, §14, §15); NaN: use h1
    double rx_height_agl_m = 10.0;  // h2
    ReceiverEnvironment rx_environment = ReceiverEnvironment::rural;
    double rx_clutter_height_m = 10.0;  // R2, representative clutter height at the receiver
    // R1; <= 0: open transmitter, no §10 correction ("does not apply for an open/uncluttered
    // transmitter").
    double tx_clutter_height_m = 0.0;
    // Ground heights a.m.s.l. under both antennas for the slope distance, eq. (37); NaN: the
    // height difference is taken as ha - h2.
    double tx_ground_amsl_m = kNaN;
    double rx_ground_amsl_m = kNaN;
    // §11 terrain clearance angle at the receiver; NaN: no correction. Applied whenever given,
    // as the SG3 reference implementation does (also for a receiver at sea, although Annex 6
    // Step 12 names receivers adjacent to land): pass NaN to skip it.
    double tca_deg = kNaN;
    double theta_eff1_deg = kNaN;          // §4.3 a) clearance angle at the transmitter (for §13)
    bool troposcatter = true;              // §13 (needs tca_deg and theta_eff1_deg)
    bool terrain_information = true;       // §12: choice of the location-variability sigma
    double location_area_width_m = 500.0;  // §12 wa
    double surface_refractivity_n0 = 325.0;  // §13 N0 (N-units)
};

// Every main intermediate value (NaN where a step did not apply), for logs and tests.
struct Result {
    double field_dbuv_per_m = kNaN;     // final field strength for 1 kW e.r.p.
    double basic_loss_db = kNaN;        // §17 eq. (40): Lb = 139.3 - E + 20 log f
    double h1_m = kNaN;                 // h1 used for the curves (clamped to 3000 m)
    double e_max_dbuv_per_m = kNaN;     // §2 eqs. (1)-(3), (42), with the §14 slope correction
    double e_land_dbuv_per_m = kNaN;    // Steps 6-10 for an all-land path of length d
    double e_sea_dbuv_per_m = kNaN;     // Steps 6-10 for an all-sea path of length d
    double e_curves_dbuv_per_m = kNaN;  // Step 11, after the §8 mixed-path combination
    double tca_nu = kNaN;               // §11 eq. (32c)
    double tca_correction_db = 0.0;     // §11 eq. (32a)
    double theta_s_deg = kNaN;          // §13 eq. (35)
    double e_troposcatter_dbuv_per_m = kNaN;  // §13 eq. (36)
    double r2_prime_m = kNaN;                 // §9 eq. (27)
    double rx_height_correction_db = 0.0;     // §9 eqs. (28), (29)
    double tx_clutter_correction_db = 0.0;    // §10 eq. (30)
    double slope_correction_db = 0.0;         // §14 eq. (37)
    double e_short_path_dbuv_per_m = kNaN;    // §15 eq. (38), only for d < 1 km
    double location_correction_db = 0.0;      // §12 eq. (33)
    bool limited_to_e_max = false;            // Step 19 applied
    std::uint32_t flags = 0;                  // propagation::PathFlag bits
};

// The whole Annex 6 procedure (Steps 1-20). Never throws; invalid inputs give NaN and the
// invalid_input flag.
Result evaluate(const Input& input) noexcept;

// Terrain-derived inputs (Annex 5 §3.1.2, §3.2, §4.3 a), §11), from a profile running from the
// transmitting/base terminal (index 0) to the receiving/mobile terminal (last point).
struct ProfileGeometry {
    double h1_m = kNaN;  // §3: hb for d < 15 km (eq. (6)), heff for d >= 15 km (eq. (7))
    double terrain_average_m = kNaN;  // mean ground height over 0.2d-d or 3-15 km
    double tca_deg = kNaN;         // §11: elevation of the line from the Rx antenna clearing all
                                   // terrain up to 16 km towards the Tx (no Earth curvature)
    double theta_eff1_deg = kNaN;  // §4.3 a): the same from the Tx antenna, up to 15 km
    double tx_ground_amsl_m = kNaN;
    double rx_ground_amsl_m = kNaN;
    double distance_km = kNaN;
};

// Points at arbitrary increasing distances (km from the transmitter), heights in m a.m.s.l.
ProfileGeometry analyse_profile(std::span<const double> distance_km,
                                std::span<const double> elevation_m, double tx_height_agl_m,
                                double rx_height_agl_m);
// Equally spaced profile (step in km).
ProfileGeometry analyse_uniform_profile(double step_km, std::span<const double> elevation_m,
                                        double tx_height_agl_m, double rx_height_agl_m);

// §3.1.1: h1 without terrain information, eqs. (4), (5); heff_m as defined in §3.2.
double h1_without_terrain_m(double distance_km, double tx_height_agl_m, double heff_m);

// Building blocks exposed for tests.
double knife_edge_j_db(double nu);          // eq. (12a); 0 for nu <= -0.7806
double inverse_normal_qi(double fraction);  // §16 eqs. (39a)-(39d)
double fresnel_clearance_distance_km(double frequency_mhz, double h1_m,
                                     double h2_m);  // §18 eq. (41), D06
// Field strength read from the curves for one nominal frequency (100/600/2000 MHz), nominal time
// (1/10/50 %) and land / sea type, with the §4-§5 height and distance interpolation (Step 8).
// e_max limits the result as Step 8 requires; time_percent (the wanted one) enters the sea
// maximum of §4.2 for h1 < 10 m.
double curve_field_dbuv_per_m(double nominal_frequency_mhz, double nominal_time_percent, bool sea,
                              SeaType sea_type, double h1_m, double distance_km,
                              double e_max_dbuv_per_m, double time_percent);

}  // namespace grenzfunk::propagation::p1546
