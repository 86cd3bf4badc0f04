// Cross-border coordination rules: field-strength limits per band and technology, as data.
//
// A rule says: a cell of one of `technologies` whose carrier lies in [band_min_mhz,
// band_max_mhz] must not produce more than `limit_dbuv_per_m` (in `reference_bandwidth_mhz`)
// at `rx_height_agl_m` above ground on the line `distance_km` inside the neighbour country,
// predicted with `model` for `time_percent` of the time and `location_percent` of locations.
// The rules file (io/border_rules_io.hpp, default data/rules/cept_mfcn_border.toml) carries the
// source document of every value and whether it was checked against the official text.
#pragma once

#include <string>
#include <vector>

#include "core/border_rule.hpp"
#include "core/cell.hpp"
#include "core/parameters.hpp"
#include "core/preferential_codes.hpp"

namespace grenzfunk::analysis {

using grenzfunk::BorderRule;  // core/border_rule.hpp

// What the codes file says of a cell's code (docs/border.md, "Preferential codes").
enum class CodeStatus {
    preferential,      // the cell's code is one of the home country's preferential codes
    non_preferential,  // the cell has a code, and it is not preferential
    no_code,           // the cell has no code of the kind its technology's set lists
    no_code_set,       // no codes file, or no set for the cell's technology
};

// "preferential", "non-preferential", "no code", "no code set"
const char* code_status_name(CodeStatus s);

// A known status selects one rule class; an unknown one (no code, no set) selects both.
inline bool code_known(CodeStatus s) {
    return s == CodeStatus::preferential || s == CodeStatus::non_preferential;
}

// Classifies a cell by the set of `codes` for its technology; `codes` may be null (no file).
CodeStatus classify_cell_code(const Cell& cell, const PreferentialCodes* codes);

// The cell's code as text for reports: "PCI 123", "PSC 17", "ARFCN 62", "" when none.
std::string cell_code_text(const Cell& cell);

// Whether a rule applies to a cell by technology and band only (technology listed, carrier
// inside the band), whatever the rule's code class.
bool rule_applies(const BorderRule& rule, const Cell& cell);

// Whether a rule applies to a cell of the given code status: technology and band, and the rule's
// code class: "any" always; "preferential" to preferential cells, "non-preferential" to
// non-preferential cells; both classes to cells whose status is unknown (no code, no set), so
// that such a cell is held to the stricter of the two limits wherever each holds.
bool rule_applies(const BorderRule& rule, const Cell& cell, CodeStatus status);

// Bandwidth normalisation (dB) from a cell's channel to the rule's reference bandwidth:
// 10 log10(reference / channel) for channels wider than the reference (the power falling into
// the reference bandwidth, assuming a flat spectrum); 0 for channels no wider than the reference
// (all of the channel's power falls inside it). NaN for a non-positive bandwidth.
double bandwidth_normalisation_db(double reference_bandwidth_mhz, double channel_bandwidth_mhz);

// Field strength (dBuV/m in the reference bandwidth) at a point from the cell's EIRP at
// boresight, the antenna's gain relative to boresight towards the point, the basic transmission
// loss and the bandwidth normalisation:
//   E = EIRP + G_rel - Lb + 20 log10 f + 77.2 + normalisation     (units::field_... ITU-R P.525)
double border_field_dbuv_per_m(double eirp_dbm, double relative_gain_db, double basic_loss_db,
                               double frequency_mhz, double normalisation_db);

}  // namespace grenzfunk::analysis
