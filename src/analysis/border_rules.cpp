#include "analysis/border_rules.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/units.hpp"

namespace grenzfunk::analysis {

const char* code_status_name(CodeStatus s) {
    switch (s) {
        case CodeStatus::preferential:
            return "preferential";
        case CodeStatus::non_preferential:
            return "non-preferential";
        case CodeStatus::no_code:
            return "no code";
        case CodeStatus::no_code_set:
            return "no code set";
    }
    return "no code set";
}

CodeStatus classify_cell_code(const Cell& cell, const PreferentialCodes* codes) {
    if (!codes) return CodeStatus::no_code_set;
    for (const PreferentialCodeSet& set : codes->sets) {
        if (set.technology != cell.technology) continue;
        const std::optional<int> code = cell_code(cell, set.kind);
        if (!code) return CodeStatus::no_code;
        for (const CodeRange& r : set.preferential)
            if (*code >= r.first && *code <= r.last) return CodeStatus::preferential;
        return CodeStatus::non_preferential;
    }
    return CodeStatus::no_code_set;
}

std::string cell_code_text(const Cell& cell) {
    std::string out;
    auto add = [&out](const char* name, const std::optional<int>& v) {
        if (!v) return;
        if (!out.empty()) out += ", ";
        out.append(name).append(" ").append(std::to_string(*v));
    };
    add("PCI", cell.pci);
    add("PSC", cell.psc);
    add("ARFCN", cell.arfcn);
    return out;
}

bool rule_applies(const BorderRule& rule, const Cell& cell, CodeStatus status) {
    if (!rule_applies(rule, cell)) return false;
    switch (rule.code_class) {
        case CodeClass::any:
            return true;
        case CodeClass::preferential:
            return status != CodeStatus::non_preferential;
        case CodeClass::non_preferential:
            return status != CodeStatus::preferential;
    }
    return true;
}

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
