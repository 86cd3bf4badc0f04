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
//
// Radial sweeps (prefix_evaluator): BullingtonPrefix (bullington_prefix.hpp), equal to loss() on
// the same profile.
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "core/units.hpp"
#include "propagation/bullington.hpp"
#include "propagation/bullington_prefix.hpp"
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
        const auto& profile = q.profile;
        const std::size_t n = profile.elevation_m.size();
        if (!valid_query(q) || n < 2 || !valid_step(profile.step_m)) return invalid();
        for (double h : profile.elevation_m)
            if (!std::isfinite(h)) return invalid();

        const double hts_m = profile.elevation_m.front() + q.tx_height_agl_m;
        const double hrs_m = profile.elevation_m.back() + q.rx_height_agl_m;
        const BullingtonResult bull = bullington_diffraction(
            profile.elevation_m, profile.step_m, hts_m, hrs_m, effective_earth_radius_km_,
            units::wavelength_m(q.frequency_mhz));
        return combine(q.frequency_mhz, profile.distance_m(), hts_m, hrs_m, bull);
    }

    std::unique_ptr<PrefixEvaluator> prefix_evaluator(const PathQuery& q) const override {
        return std::make_unique<Prefix>(q, effective_earth_radius_km_);
    }

  private:
    static PathResult invalid() {
        return {std::numeric_limits<double>::quiet_NaN(), invalid_input};
    }
    static bool valid_query(const PathQuery& q) {
        return q.frequency_mhz > 0.0 && std::isfinite(q.frequency_mhz) &&
               std::isfinite(q.tx_height_agl_m) && std::isfinite(q.rx_height_agl_m);
    }
    static bool valid_step(double step_m) { return step_m > 0.0 && std::isfinite(step_m); }

    // Free space over the slant distance plus the Bullington loss, and the flags.
    static PathResult combine(double frequency_mhz, double distance_m, double hts_m, double hrs_m,
                              const BullingtonResult& bull) {
        std::uint32_t flags = path_ok;
        if (frequency_mhz < 30.0 || frequency_mhz > 50000.0) flags |= outside_frequency_range;
        const double d_km = distance_m / 1000.0;
        const double dh_km = (hts_m - hrs_m) / 1000.0;
        const double slant_m = 1000.0 * std::sqrt(d_km * d_km + dh_km * dh_km);  // P.1812 (8a)
        if (bull.line_of_sight) flags |= line_of_sight;
        if (bull.loss_db > 0.0) flags |= diffraction;
        return {free_space_loss_db(frequency_mhz, slant_m) + bull.loss_db, flags};
    }

    // loss() on "pushed samples, then the tail" without walking the pushed samples again.
    class Prefix final : public PrefixEvaluator {
      public:
        Prefix(const PathQuery& q, double effective_earth_radius_km)
            : frequency_mhz_(q.frequency_mhz),
              valid_(valid_query(q)),
              bullington_(q.tx_height_agl_m, q.rx_height_agl_m, effective_earth_radius_km,
                          valid_ ? units::wavelength_m(q.frequency_mhz) : 1.0),
              tx_height_agl_m_(q.tx_height_agl_m),
              rx_height_agl_m_(q.rx_height_agl_m) {}

        void clear() noexcept override {
            bullington_.clear();
            finite_ = true;
        }
        void push(double elevation_m) override {
            finite_ = finite_ && std::isfinite(elevation_m);
            bullington_.push(finite_ ? elevation_m : 0.0);
        }
        PathResult evaluate(std::span<const double> tail, double step_m) noexcept override {
            if (!valid_ || !finite_ || tail.empty() || bullington_.size() + tail.size() < 2 ||
                !valid_step(step_m))
                return invalid();
            for (double h : tail)
                if (!std::isfinite(h)) return invalid();
            if (bullington_.size() == 0) {  // nothing pushed: the tail is the whole profile
                bullington_.push(tail.front());
                const PathResult r = evaluate(tail.subspan(1), step_m);
                bullington_.clear();
                return r;
            }
            const double hts_m = bullington_.first_sample_m() + tx_height_agl_m_;
            const double hrs_m = tail.back() + rx_height_agl_m_;
            const double distance_m =  // as TerrainProfile::distance_m()
                step_m * double(bullington_.size() + tail.size() - 1);
            return combine(frequency_mhz_, distance_m, hts_m, hrs_m,
                           bullington_.evaluate(tail, step_m));
        }

      private:
        double frequency_mhz_;
        bool valid_;
        BullingtonPrefix bullington_;
        double tx_height_agl_m_;
        double rx_height_agl_m_;
        bool finite_ = true;
    };

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
