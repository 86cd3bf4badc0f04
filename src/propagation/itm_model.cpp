// Registered model "itm": the ITS Irregular Terrain Model (Longley-Rice) 1.2.2 in
// point-to-point mode (G. A. Hufford, "The ITS Irregular Terrain Model, version 1.2.2: The
// Algorithm", NTIA/ITS; NTIA Technical Note 101) behind the PropagationModel interface.
//
// Validity: 20 MHz - 20 GHz (a frequency outside is an error at set-up); calibrated for
// 40 MHz - 10 GHz, antenna heights 1 - 1000 m (0.5 - 3000 m accepted with a warning), path
// lengths 1 - 2000 km. Per path, ITM's warnings become PathFlag bits:
//   TX/RX height warnings         -> outside_tx_height_range / outside_rx_height_range
//   frequency warning             -> outside_frequency_range
//   path-distance warnings        -> outside_distance_range
//   horizon angle/distance, extreme variability, low N_s -> outside_other_range
// ITM errors (e.g. a height below 0.5 m) give loss NaN with invalid_input. The propagation mode
// is reported as line_of_sight / diffraction / troposcatter. The path length is the profile's
// (intervals x step_m); PathQuery::distance_m is not used. loss() allocates nothing.
//
// Parameters (ParameterSet key: meaning, default chosen for the Bavaria-Saxony-Czech border):
//   climate            "equatorial", "continental_subtropical", "maritime_subtropical",
//                      "desert", "continental_temperate", "maritime_temperate_over_land",
//                      "maritime_temperate_over_sea", or the number 1..7;
//                      default "continental_temperate" (5).
//   polarization       "vertical" or "horizontal" (or 1 / 0); default "vertical".
//   epsilon            relative permittivity of the ground, >= 1; default 15 (average ground).
//   sigma_s_per_m      ground conductivity in S/m, > 0; default 0.005 (average ground).
//   n0_n_units         surface refractivity at sea level, 250-400 N-units; default 301.
//   mdvar              mode of variability: "single_message", "accidental", "mobile",
//                      "broadcast", or ITM's numeric code 0..3 (+10 without location, +20
//                      without situation variability); default "broadcast" (3).
//   time_percent, location_percent, situation_percent
//                      quantiles in (0, 100); default 50 each.
//   confidence_percent, reliability_percent
//                      alternative confidence/reliability form (time = reliability, location =
//                      50, situation = confidence; a missing one of the two is 50); not
//                      combinable with the three above.
#include <cmath>
#include <limits>
#include <sstream>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "propagation/itm.hpp"
#include "propagation/itm_prefix.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::propagation {

namespace {

struct Named {
    const char* name;
    int value;
};

constexpr Named climate_names[] = {
    {"equatorial", 1},
    {"continental_subtropical", 2},
    {"maritime_subtropical", 3},
    {"desert", 4},
    {"continental_temperate", 5},
    {"maritime_temperate_over_land", 6},
    {"maritime_temperate_over_sea", 7},
};
constexpr Named polarization_names[] = {{"horizontal", 0}, {"vertical", 1}};
constexpr Named mdvar_names[] = {
    {"single_message", 0}, {"accidental", 1}, {"mobile", 2}, {"broadcast", 3}};

[[noreturn]] void reject(const std::string& key, const std::string& what) {
    throw InputError("itm: " + key + ": " + what);
}

template <std::size_t N>
std::string list_names(const Named (&names)[N]) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += ", ";
        out += n.name;
    }
    return out;
}

// A choice given by name or by its number.
template <std::size_t N>
int read_choice(const ParameterSet& p, const std::string& key, const Named (&names)[N],
                int default_value, bool any_number = false) {
    const auto it = p.values().find(key);
    if (it == p.values().end()) return default_value;
    if (std::holds_alternative<double>(it->second)) {
        const double v = p.get_double(key, double(default_value));
        if (std::floor(v) != v) reject(key, "expected a whole number, got " + std::to_string(v));
        if (!any_number) {
            for (const auto& n : names)
                if (n.value == int(v)) return int(v);
            reject(key, "unknown value " + std::to_string(int(v)));
        }
        return int(v);
    }
    const std::string s = p.get_string(key, "");
    for (const auto& n : names)
        if (s == n.name) return n.value;
    reject(key, "unknown value '" + s + "' (expected one of: " + list_names(names) + ")");
}

double read_number(const ParameterSet& p, const std::string& key, double default_value) {
    const double v = p.get_double(key, default_value);
    if (!std::isfinite(v)) reject(key, "not a finite number");
    return v;
}

void require_percent(const std::string& key, double v) {
    if (!(v > 0.0 && v < 100.0)) reject(key, "must lie strictly between 0 and 100");
}

std::string format_number(double v) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << v;
    return out.str();
}

class ItmModel final : public PropagationModel {
  public:
    explicit ItmModel(const itm::Inputs& base) : base_(base) {}

    std::string_view name() const override { return "itm"; }
    std::string_view reference() const override {
        return "ITS Irregular Terrain Model (Longley-Rice) 1.2.2, G. A. Hufford, NTIA/ITS; "
               "NTIA Technical Note 101 (point-to-point mode)";
    }
    bool needs_terrain_profile() const override { return true; }
    ValidityRange validity() const override {
        return {20.0, 20000.0, 1.0, 2000.0, 1.0, 1000.0, 1.0, 1000.0};
    }
    std::map<std::string, std::string> parameters() const override {
        const itm::Variability& v = base_.variability;
        std::map<std::string, std::string> out;
        out["climate"] = climate_names[int(base_.climate) - 1].name;
        out["polarization"] = polarization_names[int(base_.polarization)].name;
        out["epsilon"] = format_number(base_.epsilon);
        out["sigma_s_per_m"] = format_number(base_.sigma_s_per_m);
        out["n0_n_units"] = format_number(base_.n0_n_units);
        out["mdvar"] = std::to_string(itm::to_mdvar(v));
        if (v.from_confidence_reliability) {
            out["confidence_percent"] = format_number(v.situation_percent);
            out["reliability_percent"] = format_number(v.time_percent);
        } else {
            out["time_percent"] = format_number(v.time_percent);
            out["location_percent"] = format_number(v.location_percent);
            out["situation_percent"] = format_number(v.situation_percent);
        }
        return out;
    }

    PathResult loss(const PathQuery& q) const noexcept override {
        itm::Inputs in = base_;
        in.frequency_mhz = q.frequency_mhz;
        in.tx_height_m = q.tx_height_agl_m;
        in.rx_height_m = q.rx_height_agl_m;
        const itm::Result r = itm::point_to_point(in, q.profile.step_m, q.profile.elevation_m);
        return {r.loss_db, to_path_flags(r)};
    }

    // Radial sweeps: itm::PrefixProfile (itm_prefix.hpp), equal to loss() on the same profile.
    std::unique_ptr<PrefixEvaluator> prefix_evaluator(const PathQuery& q) const override {
        itm::Inputs in = base_;
        in.frequency_mhz = q.frequency_mhz;
        in.tx_height_m = q.tx_height_agl_m;
        in.rx_height_m = q.rx_height_agl_m;
        return std::make_unique<Prefix>(in);
    }

    // R: itm::Result or itm::PrefixProfile::BatchResult.
    template <class R>
    static std::uint32_t to_path_flags(const R& r) {
        using namespace itm;
        std::uint32_t flags = path_ok;
        const std::uint32_t w = r.warnings;
        if (w & warn_tx_height) flags |= outside_tx_height_range;
        if (w & warn_rx_height) flags |= outside_rx_height_range;
        if (w & warn_frequency) flags |= outside_frequency_range;
        if (w & (warn_distance_over_1000km | warn_distance_over_2000km | warn_distance_below_dmin |
                 warn_distance_below_1km))
            flags |= outside_distance_range;
        if (w & (warn_tx_horizon_angle | warn_rx_horizon_angle | warn_tx_horizon_near |
                 warn_rx_horizon_near | warn_tx_horizon_far | warn_rx_horizon_far |
                 warn_extreme_variability | warn_low_surface_refractivity))
            flags |= outside_other_range;
        // A non-finite loss without an ITM error (degenerate geometry) is reported as invalid.
        if (!r.ok() || !std::isfinite(r.loss_db)) return flags | invalid_input;
        switch (r.mode) {
            case Mode::line_of_sight:
                flags |= line_of_sight;
                break;
            case Mode::diffraction:
                flags |= diffraction;
                break;
            case Mode::troposcatter:
                flags |= troposcatter;
                break;
            case Mode::not_set:
                break;
        }
        return flags;
    }

  private:
    class Prefix final : public PrefixEvaluator {
      public:
        explicit Prefix(const itm::Inputs& in) : profile_(in) {}
        void clear() noexcept override { profile_.clear(); }
        void push(double elevation_m) override { profile_.push(elevation_m); }
        void push_run(std::span<const double> elevation_m) override {
            profile_.push_run(elevation_m);
        }
        PathResult evaluate(std::span<const double> tail, double step_m) noexcept override {
            const itm::Result r = profile_.evaluate(tail, step_m);
            return {r.loss_db, to_path_flags(r)};
        }
        void submit(std::span<const double> tail, double step_m, std::uint32_t token,
                    std::vector<Completed>& done) noexcept override {
            profile_.submit(tail, step_m, token, pending_);
            hand_out(done);
        }
        void flush(std::vector<Completed>& done) noexcept override {
            profile_.flush(pending_);
            hand_out(done);
        }

      private:
        void hand_out(std::vector<Completed>& done) {
            for (const itm::PrefixProfile::Completed& c : pending_)
                done.push_back({c.token, {c.result.loss_db, to_path_flags(c.result)}});
            pending_.clear();
        }

        itm::PrefixProfile profile_;
        std::vector<itm::PrefixProfile::Completed> pending_;
    };

    itm::Inputs base_;
};

}  // namespace

std::unique_ptr<PropagationModel> make_itm(const ParameterSet& p) {
    itm::Inputs in;
    in.climate = itm::Climate(read_choice(p, "climate", climate_names, 5));
    in.polarization = itm::Polarization(read_choice(p, "polarization", polarization_names, 1));
    in.epsilon = read_number(p, "epsilon", 15.0);
    if (!(in.epsilon >= 1.0)) reject("epsilon", "relative permittivity must be >= 1");
    in.sigma_s_per_m = read_number(p, "sigma_s_per_m", 0.005);
    if (!(in.sigma_s_per_m > 0.0)) reject("sigma_s_per_m", "conductivity must be > 0 S/m");
    in.n0_n_units = read_number(p, "n0_n_units", 301.0);
    if (!(in.n0_n_units >= 250.0 && in.n0_n_units <= 400.0))
        reject("n0_n_units", "must lie within 250-400 N-units");

    const int mdvar = read_choice(p, "mdvar", mdvar_names, 3, /*any_number=*/true);
    itm::Variability v;
    if (!itm::from_mdvar(mdvar, v))
        reject("mdvar", "unknown code " + std::to_string(mdvar) +
                            " (0-3, +10 without location, +20 without situation variability)");

    const bool cr = p.contains("confidence_percent") || p.contains("reliability_percent");
    const bool tls = p.contains("time_percent") || p.contains("location_percent") ||
                     p.contains("situation_percent");
    if (cr && tls)
        reject("confidence_percent",
               "give either confidence/reliability or time/location/situation percentages");
    if (cr) {
        const double confidence = read_number(p, "confidence_percent", 50.0);
        const double reliability = read_number(p, "reliability_percent", 50.0);
        require_percent("confidence_percent", confidence);
        require_percent("reliability_percent", reliability);
        v.set_confidence_reliability(confidence, reliability);
    } else {
        v.time_percent = read_number(p, "time_percent", 50.0);
        v.location_percent = read_number(p, "location_percent", 50.0);
        v.situation_percent = read_number(p, "situation_percent", 50.0);
        require_percent("time_percent", v.time_percent);
        require_percent("location_percent", v.location_percent);
        require_percent("situation_percent", v.situation_percent);
    }
    in.variability = v;
    return std::make_unique<ItmModel>(in);
}

}  // namespace grenzfunk::propagation
