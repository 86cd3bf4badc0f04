// Free-space basic transmission loss.
// Standard: Recommendation ITU-R P.525-4 (08/2019), §2.2, eq. (6):
//   Lbf = 32.4 + 20 log10 f + 20 log10 d     (f in MHz, d in km)
// The constant is 20 log10(4 pi 1e9 / c) = 32.45 dB; we use the exact value.
// Validity: any frequency the project handles (1 MHz - 100 GHz here); no terrain needed.
#include <cmath>
#include <limits>

#include "core/parameters.hpp"
#include "core/units.hpp"
#include "propagation/free_space.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::propagation {

double free_space_loss_db(double frequency_mhz, double distance_m) {
    const double constant_db = 20.0 * std::log10(4.0 * units::pi * 1e9 /
                                                 units::speed_of_light_m_per_s);  // 32.4478
    return constant_db + 20.0 * std::log10(frequency_mhz) + 20.0 * std::log10(distance_m / 1000.0);
}

namespace {

class FreeSpaceModel final : public PropagationModel {
public:
    std::string_view name() const override { return "free-space"; }
    std::string_view reference() const override { return "ITU-R P.525-4 (08/2019) eq. (6)"; }
    bool needs_terrain_profile() const override { return false; }
    ValidityRange validity() const override {
        return {1.0, 100000.0, 0.001, 1e6, 0.0, 1e6, 0.0, 1e6};
    }
    std::map<std::string, std::string> parameters() const override { return {}; }

    PathResult loss(const PathQuery& q) const noexcept override {
        if (!(q.distance_m > 0.0) || !(q.frequency_mhz > 0.0))
            return {std::numeric_limits<double>::quiet_NaN(), invalid_input};
        return {free_space_loss_db(q.frequency_mhz, q.distance_m), line_of_sight};
    }
};

}  // namespace

std::unique_ptr<PropagationModel> make_free_space(const ParameterSet&) {
    return std::make_unique<FreeSpaceModel>();
}

}  // namespace grenzfunk::propagation
