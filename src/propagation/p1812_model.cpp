// The registered model "p1812": Recommendation ITU-R P.1812-7 (08/2023) behind the
// PropagationModel interface (the method itself is in p1812.cpp).
// Validity: 30 - 6000 MHz (set-up error outside), paths 0.25 - 3000 km and antenna heights
// 1 - 3000 m above ground (flagged per path), time 1 - 50 %, locations 1 - 99 %.
//
// Parameters (ParameterSet keys, defaults in brackets):
//   time_percent [50]             p, 1 - 50: loss not exceeded for p % of time.
//   location_percent [50]         pL, 1 - 99: loss not exceeded for pL % of locations.
//   location_std_db [§4.8]        sigma_L (dB). Default: P.1812-7 §4.8 for the frequency, the
//                                 receiver height and clutter and location_area_width_m.
//                                 (Only matters when location_percent != 50.)
//   location_area_width_m [100]   width of the square area the variability applies to (§4.8).
//   delta_n_n_units_per_km [45]   average refractivity lapse rate through the lowest 1 km at
//                                 the path centre (the Recommendation's map DN50).
//   n0_n_units [324]              sea-level surface refractivity at the path centre (map N050).
//     Where the defaults come from: the Recommendation's digital maps (DN50/N050) were not
//     available to this implementation. The nearest path of the ITU-R SG3 validation set,
//     Regensburg-Munich (tests/data/itu_p1812/profiles/rburg*.csv, path centre 48.59 N
//     11.85 E, about 200 km south of Hof/Plauen at 50.3-50.5 N, 11.9-12.2 E), carries the
//     map values dN = 45 N-units/km and N0 = 323.947 N-units; we use 45 and 324. Both
//     quantities vary slowly over central Europe; set the keys from the maps elsewhere.
//   polarization ["vertical"]     "horizontal" or "vertical" (mobile networks: vertical).
//   tx_clutter_height_m [0]       representative clutter height R around the transmitter and
//   rx_clutter_height_m [0]       receiver (P.1812-7 §3.2; e.g. Table 2 style values 10 m
//                                 suburban, 15 m urban/trees/forest, 20 m dense urban). R is
//                                 added to the terrain of the profile points next to the
//                                 terminal (not the terminal point itself, g_1 = h_1), which is
//                                 how P.1812-7 represents terminal clutter loss: as diffraction
//                                 over that clutter.
//   terminal_clutter_distance_m [0]  R applies to the interior profile points within this
//                                 distance of the terminal, and always to the adjacent point.
//   zone ["inland"]               radio-climatic zone of the whole path: "inland",
//                                 "coastal" (coastal land) or "sea" (P.1812-7 Table 1).
//   tx_coast_distance_km [500]    dct, dcr: distance over land to the coast (ducting model).
//   rx_coast_distance_km [500]
// Path centre latitude phi (beta0, eqs. (4)-(5)): PathQuery::centre_lat_deg, the great-circle
// midpoint of the path (engine/path_builder.hpp). NaN (unknown: a given profile without
// geography, `grenzfunk path --profile / --cases`) is replaced by 50.4 deg (Hof/Plauen, the
// region the defaults of dN and N0 above are for). centre_lon_deg is not used (the maps are
// not built in).
// Profiles with fewer than 3 points get a linearly interpolated mid-point.
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "propagation/model.hpp"
#include "propagation/p1812.hpp"

namespace grenzfunk::propagation {

namespace {

constexpr double default_latitude_deg = 50.4;

struct P1812Parameters {
    double time_percent = 50.0;
    double location_percent = 50.0;
    double location_std_db = std::numeric_limits<double>::quiet_NaN();  // NaN: from §4.8
    double location_area_width_m = 100.0;
    double delta_n = 45.0;
    double n0 = 324.0;
    Polarization polarization = Polarization::vertical;
    double tx_clutter_height_m = 0.0;
    double rx_clutter_height_m = 0.0;
    double terminal_clutter_distance_m = 0.0;
    RadioClimaticZone zone = RadioClimaticZone::inland;
    double tx_coast_distance_km = 500.0;
    double rx_coast_distance_km = 500.0;
};

std::string number_text(double v) {
    std::ostringstream os;
    os.precision(10);
    os << v;
    return os.str();
}

void require(bool ok, const std::string& key, const std::string& what) {
    if (!ok) throw InputError("p1812: " + key + ": " + what);
}

class P1812Model final : public PropagationModel {
  public:
    explicit P1812Model(const P1812Parameters& p) : p_(p) {}

    std::string_view name() const override { return "p1812"; }
    std::string_view reference() const override {
        return "ITU-R P.1812-7 (08/2023) Annex 1 §3-4, Attachments 1-2";
    }
    bool needs_terrain_profile() const override { return true; }
    bool needs_path_position() const override { return true; }  // phi, the path centre
    ValidityRange validity() const override {
        return {30.0, 6000.0, 0.25, 3000.0, 1.0, 3000.0, 1.0, 3000.0};
    }
    std::map<std::string, std::string> parameters() const override {
        return {
            {"time_percent", number_text(p_.time_percent)},
            {"location_percent", number_text(p_.location_percent)},
            {"location_std_db",
             std::isnan(p_.location_std_db) ? "P.1812-7 §4.8" : number_text(p_.location_std_db)},
            {"location_area_width_m", number_text(p_.location_area_width_m)},
            {"delta_n_n_units_per_km", number_text(p_.delta_n)},
            {"n0_n_units", number_text(p_.n0)},
            {"polarization", p_.polarization == Polarization::vertical ? "vertical" : "horizontal"},
            {"tx_clutter_height_m", number_text(p_.tx_clutter_height_m)},
            {"rx_clutter_height_m", number_text(p_.rx_clutter_height_m)},
            {"terminal_clutter_distance_m", number_text(p_.terminal_clutter_distance_m)},
            {"zone", p_.zone == RadioClimaticZone::inland
                         ? "inland"
                         : (p_.zone == RadioClimaticZone::sea ? "sea" : "coastal")},
            {"tx_coast_distance_km", number_text(p_.tx_coast_distance_km)},
            {"rx_coast_distance_km", number_text(p_.rx_coast_distance_km)},
        };
    }

    PathResult loss(const PathQuery& q) const noexcept override {
        constexpr double nan = std::numeric_limits<double>::quiet_NaN();
        const auto& elevation = q.profile.elevation_m;
        const std::size_t n_in = elevation.size();
        if (n_in < 2 || !(q.profile.step_m > 0.0) || !(q.frequency_mhz > 0.0))
            return {nan, invalid_input};
        // Small vectors per call: the method itself allocates its working profile too.
        const std::size_t n = n_in < 3 ? 3 : n_in;
        std::vector<double> distance_km(n), height_m(n), clutter_m(n, 0.0);
        if (n_in < 3) {
            const double total_km = q.profile.step_m / 1000.0;
            distance_km = {0.0, 0.5 * total_km, total_km};
            height_m = {elevation[0], 0.5 * (elevation[0] + elevation[1]), elevation[1]};
        } else {
            const double step_km = q.profile.step_m / 1000.0;
            for (std::size_t i = 0; i < n; ++i) {
                distance_km[i] = step_km * double(i);
                height_m[i] = elevation[i];
            }
        }
        // Terminal clutter (§3.2): points next to each terminal, or within the set distance.
        const double total_km = distance_km[n - 1];
        const double reach_km = p_.terminal_clutter_distance_m / 1000.0;
        for (std::size_t i = 1; i + 1 < n; ++i) {
            if (i == 1 || distance_km[i] <= reach_km)
                clutter_m[i] = std::max(clutter_m[i], p_.tx_clutter_height_m);
            if (i == n - 2 || total_km - distance_km[i] <= reach_km)
                clutter_m[i] = std::max(clutter_m[i], p_.rx_clutter_height_m);
        }

        P1812Input in;
        in.frequency_mhz = q.frequency_mhz;
        in.time_percent = p_.time_percent;
        in.location_percent = p_.location_percent;
        in.location_std_db =
            std::isnan(p_.location_std_db)
                ? p1812_location_std_db(q.frequency_mhz, q.rx_height_agl_m, p_.rx_clutter_height_m,
                                        p_.location_area_width_m)
                : p_.location_std_db;
        in.distance_km = distance_km;
        in.height_m = height_m;
        in.clutter_height_m = clutter_m;
        const std::vector<RadioClimaticZone> zones(n, p_.zone);
        in.zone = zones;
        in.tx_height_agl_m = q.tx_height_agl_m;
        in.rx_height_agl_m = q.rx_height_agl_m;
        in.polarization = p_.polarization;
        in.path_centre_lat_deg =
            std::isnan(q.centre_lat_deg) ? default_latitude_deg : q.centre_lat_deg;
        in.delta_n_n_units_per_km = p_.delta_n;
        in.n0_n_units = p_.n0;
        in.tx_coast_distance_km = p_.tx_coast_distance_km;
        in.rx_coast_distance_km = p_.rx_coast_distance_km;
        const P1812Result r = p1812_loss(in);
        return {r.basic_loss_db, r.flags};
    }

  private:
    P1812Parameters p_;
};

}  // namespace

std::unique_ptr<PropagationModel> make_p1812(const ParameterSet& ps) {
    P1812Parameters p;
    p.time_percent = ps.get_double("time_percent", p.time_percent);
    require(p.time_percent >= 1.0 && p.time_percent <= 50.0, "time_percent",
            "must be between 1 and 50 % (P.1812-7 range), got " + number_text(p.time_percent));
    p.location_percent = ps.get_double("location_percent", p.location_percent);
    require(p.location_percent >= 1.0 && p.location_percent <= 99.0, "location_percent",
            "must be between 1 and 99 %, got " + number_text(p.location_percent));
    if (ps.contains("location_std_db")) {
        p.location_std_db = ps.get_double("location_std_db", 0.0);
        require(p.location_std_db >= 0.0 && p.location_std_db <= 30.0, "location_std_db",
                "must be between 0 and 30 dB, got " + number_text(p.location_std_db));
    }
    p.location_area_width_m = ps.get_double("location_area_width_m", p.location_area_width_m);
    require(p.location_area_width_m > 0.0 && p.location_area_width_m <= 10000.0,
            "location_area_width_m",
            "must be positive (up to 10 km), got " + number_text(p.location_area_width_m));
    p.delta_n = ps.get_double("delta_n_n_units_per_km", p.delta_n);
    require(
        p.delta_n > 0.0 && p.delta_n < 157.0, "delta_n_n_units_per_km",
        "must lie in (0, 157) N-units/km (k-factor 157/(157-dN)), got " + number_text(p.delta_n));
    p.n0 = ps.get_double("n0_n_units", p.n0);
    require(p.n0 >= 200.0 && p.n0 <= 500.0, "n0_n_units",
            "must lie between 200 and 500 N-units, got " + number_text(p.n0));
    const std::string pol = ps.get_string("polarization", "vertical");
    require(pol == "vertical" || pol == "horizontal", "polarization",
            "must be \"horizontal\" or \"vertical\", got \"" + pol + "\"");
    p.polarization = pol == "vertical" ? Polarization::vertical : Polarization::horizontal;
    p.tx_clutter_height_m = ps.get_double("tx_clutter_height_m", p.tx_clutter_height_m);
    require(p.tx_clutter_height_m >= 0.0 && p.tx_clutter_height_m <= 100.0, "tx_clutter_height_m",
            "must be between 0 and 100 m");
    p.rx_clutter_height_m = ps.get_double("rx_clutter_height_m", p.rx_clutter_height_m);
    require(p.rx_clutter_height_m >= 0.0 && p.rx_clutter_height_m <= 100.0, "rx_clutter_height_m",
            "must be between 0 and 100 m");
    p.terminal_clutter_distance_m =
        ps.get_double("terminal_clutter_distance_m", p.terminal_clutter_distance_m);
    require(p.terminal_clutter_distance_m >= 0.0, "terminal_clutter_distance_m",
            "must not be negative");
    const std::string zone = ps.get_string("zone", "inland");
    require(zone == "inland" || zone == "coastal" || zone == "sea", "zone",
            "must be \"inland\", \"coastal\" or \"sea\", got \"" + zone + "\"");
    p.zone = zone == "inland"
                 ? RadioClimaticZone::inland
                 : (zone == "sea" ? RadioClimaticZone::sea : RadioClimaticZone::coastal_land);
    p.tx_coast_distance_km = ps.get_double("tx_coast_distance_km", p.tx_coast_distance_km);
    require(p.tx_coast_distance_km >= 0.0, "tx_coast_distance_km", "must not be negative");
    p.rx_coast_distance_km = ps.get_double("rx_coast_distance_km", p.rx_coast_distance_km);
    require(p.rx_coast_distance_km >= 0.0, "rx_coast_distance_km", "must not be negative");
    return std::make_unique<P1812Model>(p);
}

}  // namespace grenzfunk::propagation
