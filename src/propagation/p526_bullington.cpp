// Free-space loss plus Bullington diffraction over the terrain profile ("p526-bullington").
//
// Standard: Recommendation ITU-R P.526-15 (10/2019) "Propagation by diffraction", §4.5.1
// (Bullington model for a general terrestrial path) with the knife-edge approximation J(nu) of
// §4.1 eq. (31); free-space loss per ITU-R P.525-4 eq. (6) over the straight-line (slant)
// distance between the antennas, d_fs = sqrt(d^2 + ((hts - hrs)/1000)^2) km as in ITU-R
// P.1812-7 eq. (8a). Basic transmission loss Lb = Lbf(d_fs) + Lbull.
//
// The effective Earth radius is ae = k * 6371 km (ITU-R P.834 / P.526 §1); k = 4/3 (the median
// standard atmosphere) gives ae = 8495 km, the value P.526 recommends when nothing else is known.
//
// Validity: 30 MHz - 50 GHz, this project's choice (P.526 gives the knife-edge geometry without
// a frequency range; below ~30 MHz ground-wave effects not modelled here matter). Distance and
// heights are not limited. The path length is that of the profile (PathQuery::distance_m is
// not used).
// Not included: gaseous absorption (ITU-R P.676, about 0.01 dB/km at 3.5 GHz but tenths of a dB
// per km above ~20 GHz), clutter, troposcatter and ducting -- beyond ~100 km or over the horizon
// at higher frequencies the loss is overestimated. Terrain is needed (needs_terrain_profile()).
// Antenna heights above sea level are profile ground + antenna height above ground.
//
// Flags: line_of_sight when no profile point reaches the straight line between the antennas
// (P.526 case 1, Stim < Str); diffraction whenever the Bullington loss is positive, i.e. an
// obstacle cuts the direct ray or intrudes into the first Fresnel zone (nu > -0.78). A grazing
// line-of-sight path carries both.
//
// Parameter: k_factor (default 4/3, must be > 0), the effective Earth-radius factor.
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "core/units.hpp"
#include "propagation/bullington.hpp"
#include "propagation/free_space.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::propagation {

namespace {

constexpr double earth_radius_km = 6371.0;  // mean Earth radius, ITU-R P.1812 / P.452

class P526BullingtonModel final : public PropagationModel {
  public:
    explicit P526BullingtonModel(double k_factor)
        : k_factor_(k_factor), effective_earth_radius_km_(k_factor * earth_radius_km) {}

    std::string_view name() const override { return "p526-bullington"; }
    std::string_view reference() const override {
        return "ITU-R P.526-15 (10/2019) §4.5.1 Bullington + P.525-4 free space";
    }
    bool needs_terrain_profile() const override { return true; }
    ValidityRange validity() const override {
        return {30.0, 50000.0, 0.0, 1e6, 0.0, 1e6, 0.0, 1e6};
    }
    std::map<std::string, std::string> parameters() const override {
        char text[64];
        std::snprintf(text, sizeof text, "%.17g", k_factor_);
        return {{"k_factor", text}};
    }

    PathResult loss(const PathQuery& q) const noexcept override {
        constexpr double nan = std::numeric_limits<double>::quiet_NaN();
        const auto& profile = q.profile;
        const std::size_t n = profile.elevation_m.size();
        if (n < 2 || !(profile.step_m > 0.0) || !std::isfinite(profile.step_m) ||
            !(q.frequency_mhz > 0.0) || !std::isfinite(q.frequency_mhz) ||
            !std::isfinite(q.tx_height_agl_m) || !std::isfinite(q.rx_height_agl_m))
            return {nan, invalid_input};
        for (double h : profile.elevation_m)
            if (!std::isfinite(h)) return {nan, invalid_input};

        std::uint32_t flags = path_ok;
        if (q.frequency_mhz < 30.0 || q.frequency_mhz > 50000.0) flags |= outside_frequency_range;

        const double d_km = profile.distance_m() / 1000.0;
        const double hts_m = profile.elevation_m.front() + q.tx_height_agl_m;
        const double hrs_m = profile.elevation_m.back() + q.rx_height_agl_m;
        const double dh_km = (hts_m - hrs_m) / 1000.0;
        const double slant_m = 1000.0 * std::sqrt(d_km * d_km + dh_km * dh_km);  // P.1812 (8a)

        const BullingtonResult bull = bullington_diffraction(
            profile.elevation_m, profile.step_m, hts_m, hrs_m, effective_earth_radius_km_,
            units::wavelength_m(q.frequency_mhz));
        if (bull.line_of_sight) flags |= line_of_sight;
        if (bull.loss_db > 0.0) flags |= diffraction;
        return {free_space_loss_db(q.frequency_mhz, slant_m) + bull.loss_db, flags};
    }

  private:
    double k_factor_;
    double effective_earth_radius_km_;
};

}  // namespace

std::unique_ptr<PropagationModel> make_p526_bullington(const ParameterSet& parameters) {
    const double k_factor = parameters.get_double("k_factor", 4.0 / 3.0);
    if (!(k_factor > 0.0) || !std::isfinite(k_factor))
        throw InputError("p526-bullington: k_factor: must be a finite number > 0 (got " +
                         std::to_string(k_factor) + "); 4/3 is the median atmosphere");
    return std::make_unique<P526BullingtonModel>(k_factor);
}

}  // namespace grenzfunk::propagation
