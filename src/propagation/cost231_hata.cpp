// COST-231-Hata empirical path loss ("cost231-hata").
//
// Standard: COST Action 231, "Digital mobile radio towards future generation systems", final
// report, EUR 18957, European Commission, 1999, section 4.4.1 (extension of Hata's urban
// formula to 1500-2000 MHz):
//   L = 46.3 + 33.9 log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d + Cm
// a(hm) is Hata's medium-small city correction (1.1 log f - 0.7) hm - (1.56 log f - 0.8).
//
// Validity (COST 231 4.4.1): f 1500-2000 MHz (outside: error at set-up, via ValidityRange);
// base-station height hb 30-200 m, mobile height hm 1-10 m, distance d 1-20 km (outside: the
// loss is still computed and the path is flagged). The report also restricts the model to base
// antennas above the adjacent rooftops; that cannot be checked without building data.
// Heights are antenna heights ABOVE GROUND; d is the horizontal path length. No terrain is used.
//
// Parameter:
//   city_size = "medium" | "metropolitan"  (default "medium")
//     medium: Cm = 0 dB, "medium sized cities and suburban centres with medium tree density";
//     metropolitan: Cm = 3 dB, "metropolitan centres".
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "propagation/hata.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::propagation {

double cost231_hata_loss_db(double frequency_mhz, double base_height_agl_m,
                            double mobile_height_agl_m, double distance_km, double cm_db) {
    const double log_hb = std::log10(base_height_agl_m);
    return 46.3 + 33.9 * std::log10(frequency_mhz) - 13.82 * log_hb -
           hata_mobile_height_correction_db(frequency_mhz, mobile_height_agl_m,
                                            HataCitySize::medium) +
           (44.9 - 6.55 * log_hb) * std::log10(distance_km) + cm_db;
}

namespace {

constexpr double cost231_min_frequency_mhz = 1500.0;
constexpr double cost231_max_frequency_mhz = 2000.0;

class Cost231HataModel final : public PropagationModel {
  public:
    Cost231HataModel(double cm_db, std::string city_size_name)
        : cm_db_(cm_db), city_size_name_(std::move(city_size_name)) {}

    std::string_view name() const override { return "cost231-hata"; }
    std::string_view reference() const override {
        return "COST Action 231 final report (EUR 18957, 1999) section 4.4.1";
    }
    bool needs_terrain_profile() const override { return false; }
    ValidityRange validity() const override {
        return hata_validity(cost231_min_frequency_mhz, cost231_max_frequency_mhz);
    }
    std::map<std::string, std::string> parameters() const override {
        return {{"city_size", city_size_name_}};
    }

    PathResult loss(const PathQuery& q) const noexcept override {
        const std::uint32_t flags =
            hata_range_flags(q, cost231_min_frequency_mhz, cost231_max_frequency_mhz);
        if (flags & invalid_input) return {std::numeric_limits<double>::quiet_NaN(), flags};
        return {cost231_hata_loss_db(q.frequency_mhz, q.tx_height_agl_m, q.rx_height_agl_m,
                                     q.distance_m / 1000.0, cm_db_),
                flags};
    }

  private:
    double cm_db_;
    std::string city_size_name_;
};

}  // namespace

std::unique_ptr<PropagationModel> make_cost231_hata(const ParameterSet& parameters) {
    const std::string city = parameters.get_string("city_size", "medium");
    double cm_db;
    if (city == "medium")
        cm_db = 0.0;
    else if (city == "metropolitan")
        cm_db = 3.0;
    else
        throw InputError("cost231-hata: city_size: '" + city +
                         "' is not one of medium, metropolitan");
    return std::make_unique<Cost231HataModel>(cm_db, city);
}

}  // namespace grenzfunk::propagation
