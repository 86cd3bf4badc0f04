// One cross-border coordination rule as the rules file states it (data/rules/*.toml,
// docs/border.md): a plain description the reader returns; analysis/border_rules.hpp applies it.
#pragma once

#include <string>
#include <vector>

#include "core/cell.hpp"
#include "core/parameters.hpp"

namespace grenzfunk {

struct BorderRule {
    std::string id;           // unique, e.g. "LTE800-PCI-preferential"
    std::string description;  // one line for the report
    std::vector<Technology> technologies;
    double band_min_mhz = 0.0;  // carrier (downlink centre) frequency range, inclusive
    double band_max_mhz = 0.0;
    double limit_dbuv_per_m = 0.0;  // per reference bandwidth
    double reference_bandwidth_mhz = 5.0;
    double rx_height_agl_m = 3.0;
    double distance_km = 0.0;  // into the neighbour country; 0 = at the border line
    double time_percent = 10.0;
    double location_percent = 50.0;
    std::string model = "p1546";
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
