#include "analysis/border_rules.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/units.hpp"

namespace grenzfunk::analysis {

bool rule_applies(const BorderRule& rule, const Cell& cell) {
    if (std::find(rule.technologies.begin(), rule.technologies.end(), cell.technology) ==
        rule.technologies.end())
        return false;
    return cell.frequency_mhz >= rule.band_min_mhz && cell.frequency_mhz <= rule.band_max_mhz;
}

double bandwidth_normalisation_db(double reference_bandwidth_mhz, double channel_bandwidth_mhz) {
    if (!(reference_bandwidth_mhz > 0.0) || !(channel_bandwidth_mhz > 0.0))
        return std::numeric_limits<double>::quiet_NaN();
    return std::min(0.0, 10.0 * std::log10(reference_bandwidth_mhz / channel_bandwidth_mhz));
}

double border_field_dbuv_per_m(double eirp_dbm, double relative_gain_db, double basic_loss_db,
                               double frequency_mhz, double normalisation_db) {
    const double rx_isotropic_dbm = eirp_dbm + relative_gain_db - basic_loss_db;
    return units::field_dbuv_per_m_from_rx_dbm(rx_isotropic_dbm, frequency_mhz) + normalisation_db;
}

}  // namespace grenzfunk::analysis
