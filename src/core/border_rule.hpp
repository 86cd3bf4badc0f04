// One cross-border coordination rule as the rules file states it (data/rules/*.toml,
// docs/border.md): a plain description the reader returns; analysis/border_rules.hpp applies it.
#pragma once

#include <string>
#include <vector>

#include "core/cell.hpp"
#include "core/parameters.hpp"

namespace grenzfunk {

// Which cells a rule is for, by their physical-layer code (docs/border.md): the "preferential"
// limit (at the border line) binds cells using one of the home country's preferential codes
// (or channels, GSM), the "non-preferential" one (6 km inside) all other cells; "any" binds
// every cell of the rule's technologies and band.
enum class CodeClass { any, preferential, non_preferential };

const char* code_class_name(CodeClass c);  // "any", "preferential", "non-preferential"

struct BorderRule {
    std::string id;           // unique, e.g. "LTE-NR-800-PCI-preferential" (a name only)
    std::string description;  // one line for the report
    std::vector<Technology> technologies;
    CodeClass code_class = CodeClass::any;
    double band_min_mhz = 0.0;  // carrier (downlink centre) frequency range, inclusive
    double band_max_mhz = 0.0;
    double limit_dbuv_per_m = 0.0;  // per reference bandwidth
    double reference_bandwidth_mhz = 5.0;
    double rx_height_agl_m = 3.0;
    double distance_km = 0.0;  // into the neighbour country; 0 = at the border line
    double time_percent = 10.0;
    double location_percent = 50.0;
    // The administrations' method (HCM Agreement, propagation/hcm.hpp) unless the rule names one.
    std::string model = "hcm";
    ParameterSet model_parameters;  // further model parameters (time/location come from above)
    // The method shown beside this one for failed and narrow checks (analysis/border_compare.hpp);
    // empty: the default pairing there (hcm <-> p1546).
    std::string compare_model;
    ParameterSet compare_model_parameters;
    std::string source;     // the document the values come from
    bool verified = false;  // checked against the official text?
    std::string where;      // "rules.toml:12", for messages
};

}  // namespace grenzfunk
