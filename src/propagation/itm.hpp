// The ITS Irregular Terrain Model (ITM, "Longley-Rice"), algorithm version 1.2.2.
//
// Specification: G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2: The Algorithm"
// (NTIA/ITS, 1995; cited as [Alg]), with the background in P. L. Rice et al., NTIA Technical
// Note 101 (1967, rev. 1977; [TN101]) and A. G. Longley, P. L. Rice, ERL 79-ITS 67 (1968;
// [ERL79]). Numerical choices (curve-fit constants, profile resampling, quantile definitions)
// follow the NTIA reference release of the same algorithm (github.com/NTIA/itm, v1.4), whose
// published test cases this implementation reproduces to 0.01 dB (tests/test_itm.cpp).
//
// Two entry points:
//  * point_to_point(): terrain profile known ("pfl" layout or an equally spaced span);
//  * area():           only the path length and the terrain irregularity Δh are known.
// Both return the basic transmission loss plus the propagation mode, ITM's warning flags
// (inputs outside the calibrated range: the loss is still produced) and an error code
// (physically invalid inputs: loss_db is NaN). Neither throws nor allocates.
//
// Ranges (from [Alg] §2 and the reference release):
//   frequency 20 MHz - 20 GHz (error outside), calibrated 40 MHz - 10 GHz (warning);
//   antenna heights 0.5 - 3000 m (error outside), calibrated 1 - 1000 m (warning);
//   N_0 250 - 400 N-units; epsilon >= 1; sigma > 0 S/m; percentages strictly inside (0, 100);
//   path length calibrated 1 - 2000 km (warnings below 1 km, above 1000 and 2000 km).
#pragma once

#include <complex>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace grenzfunk::propagation::itm {

// Radio climates of [Alg] §5 / [TN101] §10 (numbering of the reference release).
enum class Climate : int {
    equatorial = 1,
    continental_subtropical = 2,
    maritime_subtropical = 3,
    desert = 4,
    continental_temperate = 5,
    maritime_temperate_over_land = 6,
    maritime_temperate_over_sea = 7,
};

enum class Polarization : int { horizontal = 0, vertical = 1 };

// Siting criteria of the terminals (area mode only), [Alg] eq. (3.2).
enum class Siting : int { random = 0, careful = 1, very_careful = 2 };

// Dominant propagation mechanism at the path length, as ITM decides it.
enum class Mode : int { not_set = 0, line_of_sight = 1, diffraction = 2, troposcatter = 3 };

// Mode of variability ([Alg] §5, "mdvar"): how time, location and situation variability are
// combined. The reference release codes it as an integer: 0..3 for the four modes, +10 to
// drop location variability (point-to-point studies), +20 to drop direct situation
// variability (interference studies).
enum class VariabilityMode : int { single_message = 0, accidental = 1, mobile = 2, broadcast = 3 };

struct Variability {
    VariabilityMode mode = VariabilityMode::broadcast;
    bool without_location_variability = false;   // mdvar + 10
    bool without_situation_variability = false;  // mdvar + 20
    // Quantiles in percent, each strictly inside (0, 100). "time" is the fraction of time,
    // "location" of locations, "situation" of situations for which the loss is not exceeded.
    double time_percent = 50.0;
    double location_percent = 50.0;
    double situation_percent = 50.0;
    // True when built from confidence/reliability (errors are then reported as such).
    bool from_confidence_reliability = false;

    // Confidence/reliability form of [Alg] §5: time = reliability, location = 50 %,
    // situation = confidence (as the reference release's *_CR entry points do). The mode and
    // the two "without" switches are kept.
    void set_confidence_reliability(double confidence_percent, double reliability_percent);
    static Variability confidence_reliability(VariabilityMode mode, double confidence_percent,
                                              double reliability_percent);
};

// The integer code of the reference release (e.g. 12 = mobile without location variability).
int to_mdvar(const Variability& variability);
// Decodes an mdvar code into `variability` (percentages untouched); false if the code is not one
// of 0..3, 10..13, 20..23, 30..33.
bool from_mdvar(int mdvar, Variability& variability);

// Inputs common to both modes.
struct Inputs {
    double frequency_mhz = 0.0;
    double tx_height_m = 0.0;  // structural antenna heights above ground
    double rx_height_m = 0.0;
    Climate climate = Climate::continental_temperate;
    double n0_n_units = 301.0;  // surface refractivity reduced to sea level
    Polarization polarization = Polarization::vertical;
    double epsilon = 15.0;         // relative permittivity of the ground
    double sigma_s_per_m = 0.005;  // ground conductivity
    Variability variability;
};

// Area-mode extras ([Alg] §3): path length and terrain irregularity in place of a profile.
struct AreaInputs {
    double distance_km = 0.0;
    double delta_h_m = 0.0;  // terrain irregularity parameter Δh
    Siting tx_siting = Siting::random;
    Siting rx_siting = Siting::random;
};

// Warning flags: the values of the reference release (its Warnings.h), so they compare
// directly with its output.
enum Warning : std::uint32_t {
    warn_none = 0,
    warn_tx_height = 0x0001,                 // TX height outside 1-1000 m
    warn_rx_height = 0x0002,                 // RX height outside 1-1000 m
    warn_frequency = 0x0004,                 // frequency outside 40 MHz - 10 GHz
    warn_distance_over_1000km = 0x0008,      //
    warn_distance_over_2000km = 0x0010,      //
    warn_distance_below_dmin = 0x0020,       // d < |h_e,tx - h_e,rx| / 0.2
    warn_distance_below_1km = 0x0040,        //
    warn_tx_horizon_angle = 0x0080,          // |theta_hzn,tx| > 0.2 rad
    warn_rx_horizon_angle = 0x0100,          // |theta_hzn,rx| > 0.2 rad
    warn_tx_horizon_near = 0x0200,           // d_hzn,tx < 0.1 x smooth-earth horizon distance
    warn_rx_horizon_near = 0x0400,           // d_hzn,rx < 0.1 x smooth-earth horizon distance
    warn_tx_horizon_far = 0x0800,            // d_hzn,tx > 3 x smooth-earth horizon distance
    warn_rx_horizon_far = 0x1000,            // d_hzn,rx > 3 x smooth-earth horizon distance
    warn_extreme_variability = 0x2000,       // a standard normal deviate beyond 3.1
    warn_low_surface_refractivity = 0x4000,  // N_s < 250
};

// Errors: the inputs are physically invalid, no loss is computed.
enum class Error : int {
    none = 0,
    tx_height,                   // outside 0.5-3000 m
    rx_height,                   //
    climate,                     // not one of the seven climates
    refractivity,                // N_0 outside 250-400
    frequency,                   // outside 20 MHz - 20 GHz
    polarization,                //
    epsilon,                     // < 1
    sigma,                       // <= 0
    mdvar,                       // unknown variability mode
    situation,                   // not inside (0, 100)
    time,                        //
    location,                    //
    confidence,                  // CR form: situation
    reliability,                 // CR form: time
    distance,                    // area mode: d <= 0
    delta_h,                     // area mode: Δh < 0
    tx_siting,                   //
    rx_siting,                   //
    surface_refractivity_small,  // N_s < 150
    surface_refractivity_large,  // N_s > 400
    effective_earth,             // effective earth radius outside 4000-13333 km
    ground_impedance,            // Re(Z_g) <= |Im(Z_g)|
    profile,                     // fewer than 2 points, step <= 0 or non-finite values
};

std::string_view describe(Error error);
std::string_view describe(Mode mode);

// Outcome of one prediction, with the main intermediate values ([Alg] §2-§5 names).
struct Result {
    double loss_db = 0.0;  // basic transmission loss (NaN on error)
    Mode mode = Mode::not_set;
    std::uint32_t warnings = warn_none;
    Error error = Error::none;

    double free_space_loss_db = 0.0;            // A_fs
    double reference_attenuation_db = 0.0;      // A_ref, median attenuation relative to free space
    double distance_m = 0.0;                    // d
    double delta_h_m = 0.0;                     // Δh
    double surface_refractivity_n_units = 0;    // N_s
    double effective_earth_radius_m = 0.0;      // a = 1 / gamma_e
    double horizon_angle_rad[2] = {0.0, 0.0};   // theta_e,j
    double horizon_distance_m[2] = {0.0, 0.0};  // d_Lj
    double effective_height_m[2] = {0.0, 0.0};  // h_ej

    bool ok() const { return error == Error::none; }
};

// Point-to-point mode on an equally spaced profile: elevation_m[0] under the transmitter,
// elevation_m.back() under the receiver, step_m apart (metres above sea level).
Result point_to_point(const Inputs& inputs, double step_m,
                      std::span<const double> elevation_m) noexcept;

// Point-to-point mode on a profile in ITM's "pfl" layout: pfl[0] = number of intervals n,
// pfl[1] = interval length in metres, pfl[2..n+2] = the n + 1 elevations.
Result point_to_point_pfl(const Inputs& inputs, std::span<const double> pfl) noexcept;

// Area mode.
Result area(const Inputs& inputs, const AreaInputs& area_inputs) noexcept;

}  // namespace grenzfunk::propagation::itm
