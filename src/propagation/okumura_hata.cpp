// Okumura-Hata empirical path loss ("okumura-hata").
//
// Standard: M. Hata, "Empirical formula for propagation loss in land mobile radio services",
// IEEE Trans. Veh. Technol., vol. VT-29, no. 3, pp. 317-325, Aug. 1980 -- the urban formula,
// the mobile-antenna height corrections a(hm) for medium-small and large cities, and the
// suburban and open-area corrections (reproduced in Recommendation ITU-R P.529-3, Annex 1).
//
// Validity (Hata 1980): f 150-1500 MHz (outside: error at set-up, via ValidityRange);
// base-station height hb 30-200 m, mobile height hm 1-10 m, distance d 1-20 km (outside: the
// loss is still computed and the path is flagged outside_tx_height_range / outside_rx_height_range
// / outside_distance_range). Heights are antenna heights ABOVE GROUND (PathQuery::tx_height_agl_m
// is hb, rx_height_agl_m is hm); d is the horizontal path length. No terrain is used.
//
// Parameters:
//   environment = "urban" | "suburban" | "open"  (default "suburban")
//     The border region is mostly small towns and villages with open land between them; the
//     suburban formula is the middle of Hata's three and the least biased single choice for a
//     whole map. Choose "urban" for city centres, "open" for open farmland.
//   city_size = "medium" | "large"  (default "medium")
//     Which a(hm) correction to use: Hata's "medium-small city" or "large city" (dense, tall
//     buildings). Hata derived the suburban and open-area corrections from the urban loss with
//     the medium-small city correction; "large" is meant for environment = "urban".
//
// Note: the open-area formula can give less than free-space loss at short distances with high
// base stations (e.g. 1500 MHz, hb = 200 m, d = 1 km); that is the published formula, left as is.
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "propagation/hata.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::propagation {

double hata_mobile_height_correction_db(double frequency_mhz, double mobile_height_agl_m,
                                        HataCitySize city_size) {
    const double log_f = std::log10(frequency_mhz);
    if (city_size == HataCitySize::medium)
        return (1.1 * log_f - 0.7) * mobile_height_agl_m - (1.56 * log_f - 0.8);
    if (frequency_mhz < 300.0) {
        const double x = std::log10(1.54 * mobile_height_agl_m);
        return 8.29 * x * x - 1.1;  // large city, f <= 200 MHz
    }
    const double x = std::log10(11.75 * mobile_height_agl_m);
    return 3.2 * x * x - 4.97;  // large city, f >= 400 MHz
}

double hata_urban_loss_db(double frequency_mhz, double base_height_agl_m,
                          double mobile_height_agl_m, double distance_km, HataCitySize city_size) {
    const double log_hb = std::log10(base_height_agl_m);
    return 69.55 + 26.16 * std::log10(frequency_mhz) - 13.82 * log_hb -
           hata_mobile_height_correction_db(frequency_mhz, mobile_height_agl_m, city_size) +
           (44.9 - 6.55 * log_hb) * std::log10(distance_km);
}

double hata_suburban_correction_db(double frequency_mhz) {
    const double x = std::log10(frequency_mhz / 28.0);
    return -2.0 * x * x - 5.4;
}

double hata_open_area_correction_db(double frequency_mhz) {
    const double log_f = std::log10(frequency_mhz);
    return -4.78 * log_f * log_f + 18.33 * log_f - 40.94;
}

std::uint32_t hata_range_flags(const PathQuery& q, double min_frequency_mhz,
                               double max_frequency_mhz) {
    // Written so that NaN fails every test and lands in invalid_input.
    if (!(q.frequency_mhz > 0.0) || !(q.tx_height_agl_m > 0.0) || !(q.rx_height_agl_m > 0.0) ||
        !(q.distance_m > 0.0) || !std::isfinite(q.frequency_mhz) ||
        !std::isfinite(q.tx_height_agl_m) || !std::isfinite(q.rx_height_agl_m) ||
        !std::isfinite(q.distance_m))
        return invalid_input;
    const double d_km = q.distance_m / 1000.0;
    std::uint32_t flags = path_ok;
    if (q.frequency_mhz < min_frequency_mhz || q.frequency_mhz > max_frequency_mhz)
        flags |= outside_frequency_range;
    if (q.tx_height_agl_m < 30.0 || q.tx_height_agl_m > 200.0) flags |= outside_tx_height_range;
    if (q.rx_height_agl_m < 1.0 || q.rx_height_agl_m > 10.0) flags |= outside_rx_height_range;
    if (d_km < 1.0 || d_km > 20.0) flags |= outside_distance_range;
    return flags;
}

ValidityRange hata_validity(double min_frequency_mhz, double max_frequency_mhz) {
    return {min_frequency_mhz, max_frequency_mhz, 1.0, 20.0, 30.0, 200.0, 1.0, 10.0};
}

namespace {

enum class HataEnvironment { urban, suburban, open };

constexpr double hata_min_frequency_mhz = 150.0;
constexpr double hata_max_frequency_mhz = 1500.0;

class OkumuraHataModel final : public PropagationModel {
  public:
    OkumuraHataModel(HataEnvironment environment, HataCitySize city_size,
                     std::string environment_name, std::string city_size_name)
        : environment_(environment),
          city_size_(city_size),
          environment_name_(std::move(environment_name)),
          city_size_name_(std::move(city_size_name)) {}

    std::string_view name() const override { return "okumura-hata"; }
    std::string_view reference() const override {
        return "Hata, IEEE Trans. Veh. Technol. VT-29(3), 1980 (ITU-R P.529-3 Annex 1)";
    }
    bool needs_terrain_profile() const override { return false; }
    ValidityRange validity() const override {
        return hata_validity(hata_min_frequency_mhz, hata_max_frequency_mhz);
    }
    std::map<std::string, std::string> parameters() const override {
        return {{"environment", environment_name_}, {"city_size", city_size_name_}};
    }

    PathResult loss(const PathQuery& q) const noexcept override {
        const std::uint32_t flags =
            hata_range_flags(q, hata_min_frequency_mhz, hata_max_frequency_mhz);
        if (flags & invalid_input) return {std::numeric_limits<double>::quiet_NaN(), flags};
        double loss_db = hata_urban_loss_db(q.frequency_mhz, q.tx_height_agl_m, q.rx_height_agl_m,
                                            q.distance_m / 1000.0, city_size_);
        if (environment_ == HataEnvironment::suburban)
            loss_db += hata_suburban_correction_db(q.frequency_mhz);
        else if (environment_ == HataEnvironment::open)
            loss_db += hata_open_area_correction_db(q.frequency_mhz);
        return {loss_db, flags};
    }

  private:
    HataEnvironment environment_;
    HataCitySize city_size_;
    std::string environment_name_;
    std::string city_size_name_;
};

}  // namespace

std::unique_ptr<PropagationModel> make_okumura_hata(const ParameterSet& parameters) {
    const std::string environment = parameters.get_string("environment", "suburban");
    HataEnvironment env;
    if (environment == "urban")
        env = HataEnvironment::urban;
    else if (environment == "suburban")
        env = HataEnvironment::suburban;
    else if (environment == "open")
        env = HataEnvironment::open;
    else
        throw InputError("okumura-hata: environment: '" + environment +
                         "' is not one of urban, suburban, open");
    const std::string city = parameters.get_string("city_size", "medium");
    HataCitySize city_size;
    if (city == "medium")
        city_size = HataCitySize::medium;
    else if (city == "large")
        city_size = HataCitySize::large;
    else
        throw InputError("okumura-hata: city_size: '" + city + "' is not one of medium, large");
    return std::make_unique<OkumuraHataModel>(env, city_size, environment, city);
}

}  // namespace grenzfunk::propagation
