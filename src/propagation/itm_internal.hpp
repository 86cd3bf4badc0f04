// Internal pieces of the ITM implementation (see itm.hpp for the specification it follows).
// Not part of the public API; split by the three stages of [Alg]: preparing the path geometry
// (itm_terrain.cpp), the reference attenuation (itm_attenuation.cpp) and the statistics
// (itm_variability.cpp).
#pragma once

#include <complex>
#include <cstdint>

#include "propagation/itm.hpp"

namespace grenzfunk::propagation::itm::detail {

// A read-only view of an equally spaced profile: z[0..intervals].
struct Profile {
    const double* z = nullptr;
    int intervals = 0;
    double step_m = 0.0;

    double length_m() const { return double(intervals) * step_m; }
};

// Everything the Longley-Rice core needs about a path ([Alg] §2-§3 "prop" parameters).
struct PathGeometry {
    double frequency_mhz = 0.0;
    double distance_m = 0.0;
    double height_m[2] = {0.0, 0.0};            // structural heights h_gj
    double effective_height_m[2] = {0.0, 0.0};  // h_ej
    double horizon_distance_m[2] = {0.0, 0.0};  // d_Lj
    double horizon_angle_rad[2] = {0.0, 0.0};   // theta_ej
    double delta_h_m = 0.0;                     // Δh
    double curvature_per_m = 0.0;               // gamma_e
    double surface_refractivity = 0.0;          // N_s
    std::complex<double> ground_impedance;      // Z_g
};

// Surface refractivity, effective earth curvature and ground impedance ([Alg] §2,
// [TN101] eqs. (4.3), (4.4)). system_height_m is the mean path elevation (0 in area mode).
void prepare_environment(double frequency_mhz, double system_height_m, double n0_n_units,
                         Polarization polarization, double epsilon, double sigma_s_per_m,
                         PathGeometry& geometry);

// Mean elevation of the profile without its first and last tenth (the reference release's
// "system height" used for N_s).
double mean_path_elevation_m(const Profile& profile);

// Horizons, Δh and effective heights from the profile ([Alg] §3 "qlrpfl"/"hzns"/"dlthx").
void analyse_profile(const Profile& profile, PathGeometry& geometry);

// Area mode: effective heights, horizon distances and angles from Δh and siting ([Alg] §3).
void estimate_area_geometry(Siting tx_siting, Siting rx_siting, PathGeometry& geometry);

// Median reference attenuation A_ref (dB, >= 0) and the mode ([Alg] §4). Adds warnings.
struct Reference {
    double attenuation_db = 0.0;
    Mode mode = Mode::not_set;
    Error error = Error::none;
};
Reference reference_attenuation(const PathGeometry& geometry, bool point_to_point,
                                std::uint32_t& warnings);

// Attenuation below free space at the requested quantiles ([Alg] §5), before adding A_fs.
double variability_attenuation_db(const Variability& variability, Climate climate,
                                  const PathGeometry& geometry, double reference_db,
                                  std::uint32_t& warnings);

// Standard normal deviate exceeded with probability q (Abramowitz & Stegun 26.2.23).
double inverse_ccdf(double q);

// Δh(d) = Δh (1 - 0.8 exp(-d / 50 km)), [ERL79] eq. (3).
double terrain_irregularity_at_m(double distance_m, double delta_h_m);

}  // namespace grenzfunk::propagation::itm::detail
