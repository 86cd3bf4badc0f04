// ITM 1.2.2 entry points: input validation ([Alg] §2 and the reference release's
// ValidateInputs), point-to-point and area mode. See itm.hpp for the specification.
#include "propagation/itm.hpp"

#include <cmath>
#include <limits>

#include "propagation/itm_internal.hpp"

namespace grenzfunk::propagation::itm {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool valid_climate(Climate c) {
    return int(c) >= 1 && int(c) <= 7;
}
bool valid_polarization(Polarization p) {
    return p == Polarization::horizontal || p == Polarization::vertical;
}
bool valid_siting(Siting s) {
    return int(s) >= 0 && int(s) <= 2;
}
bool inside_open_percent(double p) {
    return p > 0.0 && p < 100.0;
}

}  // namespace

// Checks shared by both modes, in the reference release's order (first error wins).
// Comparisons are written so that NaN fails them.
Error detail::validate_inputs(const Inputs& in, std::uint32_t& warnings) {
    if (!(in.tx_height_m >= 1.0 && in.tx_height_m <= 1000.0)) warnings |= warn_tx_height;
    if (!(in.tx_height_m >= 0.5 && in.tx_height_m <= 3000.0)) return Error::tx_height;
    if (!(in.rx_height_m >= 1.0 && in.rx_height_m <= 1000.0)) warnings |= warn_rx_height;
    if (!(in.rx_height_m >= 0.5 && in.rx_height_m <= 3000.0)) return Error::rx_height;
    if (!valid_climate(in.climate)) return Error::climate;
    if (!(in.n0_n_units >= 250.0 && in.n0_n_units <= 400.0)) return Error::refractivity;
    if (!(in.frequency_mhz >= 40.0 && in.frequency_mhz <= 10000.0)) warnings |= warn_frequency;
    if (!(in.frequency_mhz >= 20.0 && in.frequency_mhz <= 20000.0)) return Error::frequency;
    if (!valid_polarization(in.polarization)) return Error::polarization;
    if (!(in.epsilon >= 1.0)) return Error::epsilon;
    if (!(in.sigma_s_per_m > 0.0)) return Error::sigma;
    const Variability& v = in.variability;
    if (int(v.mode) < 0 || int(v.mode) > 3) return Error::mdvar;
    const bool cr = v.from_confidence_reliability;
    if (!inside_open_percent(v.situation_percent)) return cr ? Error::confidence : Error::situation;
    if (!inside_open_percent(v.time_percent)) return cr ? Error::reliability : Error::time;
    if (!inside_open_percent(v.location_percent)) return Error::location;
    return Error::none;
}

namespace {

Error validate(const Inputs& in, std::uint32_t& warnings) {
    return detail::validate_inputs(in, warnings);
}

Result failed(Result r, Error e) {
    r.error = e;
    r.loss_db = nan;
    r.mode = Mode::not_set;
    return r;
}

void copy_geometry(const detail::PathGeometry& g, Result& r) {
    r.distance_m = g.distance_m;
    r.delta_h_m = g.delta_h_m;
    r.surface_refractivity_n_units = g.surface_refractivity;
    r.effective_earth_radius_m = 1.0 / g.curvature_per_m;
    for (int j = 0; j < 2; ++j) {
        r.horizon_angle_rad[j] = g.horizon_angle_rad[j];
        r.horizon_distance_m[j] = g.horizon_distance_m[j];
        r.effective_height_m[j] = g.effective_height_m[j];
    }
}

}  // namespace

// The common tail of both modes: A_ref, statistics, free space.
Result detail::finish(const Inputs& in, const detail::PathGeometry& g, bool point_to_point,
                      Result r) {
    return finish(g, point_to_point, std::log10(in.frequency_mhz),
                  detail::variability_constants(in.variability, in.climate, in.frequency_mhz), r);
}

Result detail::finish(const detail::PathGeometry& g, bool point_to_point, double log10_frequency,
                      const VariabilityConstants& variability, Result r) {
    copy_geometry(g, r);
    const detail::Reference ref = detail::reference_attenuation(g, point_to_point, r.warnings);
    if (ref.error != Error::none) return failed(r, ref.error);
    r.reference_attenuation_db = ref.attenuation_db;
    r.mode = ref.mode;
    // Free-space loss with the 32.45 dB constant of the reference release.
    r.free_space_loss_db =
        32.45 + 20.0 * log10_frequency + 20.0 * std::log10(g.distance_m / 1000.0);
    r.loss_db = r.free_space_loss_db +
                detail::variability_attenuation_db(variability, g, ref.attenuation_db, r.warnings);
    return r;
}

void Variability::set_confidence_reliability(double confidence_percent,
                                             double reliability_percent) {
    time_percent = reliability_percent;
    location_percent = 50.0;
    situation_percent = confidence_percent;
    from_confidence_reliability = true;
}

Variability Variability::confidence_reliability(VariabilityMode mode, double confidence_percent,
                                                double reliability_percent) {
    Variability v;
    v.mode = mode;
    v.set_confidence_reliability(confidence_percent, reliability_percent);
    return v;
}

int to_mdvar(const Variability& v) {
    return int(v.mode) + (v.without_location_variability ? 10 : 0) +
           (v.without_situation_variability ? 20 : 0);
}

bool from_mdvar(int mdvar, Variability& v) {
    if (mdvar < 0 || mdvar > 33 || mdvar % 10 > 3) return false;
    v.without_situation_variability = mdvar >= 20;
    if (mdvar >= 20) mdvar -= 20;
    v.without_location_variability = mdvar >= 10;
    if (mdvar >= 10) mdvar -= 10;
    v.mode = VariabilityMode(mdvar);
    return true;
}

std::string_view describe(Error e) {
    switch (e) {
        case Error::none:
            return "no error";
        case Error::tx_height:
            return "TX height outside 0.5-3000 m";
        case Error::rx_height:
            return "RX height outside 0.5-3000 m";
        case Error::climate:
            return "invalid radio climate";
        case Error::refractivity:
            return "N_0 outside 250-400 N-units";
        case Error::frequency:
            return "frequency outside 20-20000 MHz";
        case Error::polarization:
            return "invalid polarization";
        case Error::epsilon:
            return "relative permittivity below 1";
        case Error::sigma:
            return "conductivity not positive";
        case Error::mdvar:
            return "invalid mode of variability";
        case Error::situation:
            return "situation percentage not inside (0, 100)";
        case Error::time:
            return "time percentage not inside (0, 100)";
        case Error::location:
            return "location percentage not inside (0, 100)";
        case Error::confidence:
            return "confidence percentage not inside (0, 100)";
        case Error::reliability:
            return "reliability percentage not inside (0, 100)";
        case Error::distance:
            return "path distance not positive";
        case Error::delta_h:
            return "terrain irregularity delta_h negative";
        case Error::tx_siting:
            return "invalid TX siting criteria";
        case Error::rx_siting:
            return "invalid RX siting criteria";
        case Error::surface_refractivity_small:
            return "surface refractivity N_s below 150";
        case Error::surface_refractivity_large:
            return "surface refractivity N_s above 400";
        case Error::effective_earth:
            return "effective earth radius outside 4000-13333 km";
        case Error::ground_impedance:
            return "ground impedance: Re(Z_g) <= |Im(Z_g)|";
        case Error::profile:
            return "profile needs >= 2 finite points and a positive step";
    }
    return "unknown error";
}

std::string_view describe(Mode m) {
    switch (m) {
        case Mode::not_set:
            return "not set";
        case Mode::line_of_sight:
            return "line of sight";
        case Mode::diffraction:
            return "diffraction";
        case Mode::troposcatter:
            return "troposcatter";
    }
    return "unknown";
}

Result point_to_point(const Inputs& in, double step_m,
                      std::span<const double> elevation_m) noexcept {
    Result r;
    if (const Error e = validate(in, r.warnings); e != Error::none) return failed(r, e);
    if (elevation_m.size() < 2 || !(step_m > 0.0) || !std::isfinite(step_m) ||
        elevation_m.size() > std::size_t(std::numeric_limits<int>::max()))
        return failed(r, Error::profile);
    // A length that overflows (1e308 m steps) would turn the terrain analysis into NaN indices.
    if (!std::isfinite(step_m * double(elevation_m.size() - 1))) return failed(r, Error::profile);
    for (const double z : elevation_m)
        if (!std::isfinite(z)) return failed(r, Error::profile);

    const detail::Profile profile{elevation_m.data(), int(elevation_m.size() - 1), step_m};
    detail::PathGeometry g;
    g.height_m[0] = in.tx_height_m;
    g.height_m[1] = in.rx_height_m;
    detail::prepare_environment(in.frequency_mhz, detail::mean_path_elevation_m(profile),
                                in.n0_n_units, in.polarization, in.epsilon, in.sigma_s_per_m, g);
    detail::analyse_profile(profile, g);
    return detail::finish(in, g, true, r);
}

Result point_to_point_pfl(const Inputs& in, std::span<const double> pfl) noexcept {
    if (pfl.size() < 2 || !(pfl[0] >= 1.0) || double(pfl.size()) < pfl[0] + 3.0) {
        Result r;
        if (const Error e = validate(in, r.warnings); e != Error::none) return failed(r, e);
        return failed(r, Error::profile);
    }
    const std::size_t points = std::size_t(pfl[0]) + 1;
    return point_to_point(in, pfl[1], pfl.subspan(2, points));
}

Result area(const Inputs& in, const AreaInputs& a) noexcept {
    Result r;
    if (const Error e = validate(in, r.warnings); e != Error::none) return failed(r, e);
    if (!(a.distance_km > 0.0)) return failed(r, Error::distance);
    if (!(a.delta_h_m >= 0.0)) return failed(r, Error::delta_h);
    if (!valid_siting(a.tx_siting)) return failed(r, Error::tx_siting);
    if (!valid_siting(a.rx_siting)) return failed(r, Error::rx_siting);

    detail::PathGeometry g;
    g.height_m[0] = in.tx_height_m;
    g.height_m[1] = in.rx_height_m;
    g.delta_h_m = a.delta_h_m;
    g.distance_m = a.distance_km * 1000.0;
    detail::prepare_environment(in.frequency_mhz, 0.0, in.n0_n_units, in.polarization, in.epsilon,
                                in.sigma_s_per_m, g);
    detail::estimate_area_geometry(a.tx_siting, a.rx_siting, g);
    return detail::finish(in, g, false, r);
}

}  // namespace grenzfunk::propagation::itm
