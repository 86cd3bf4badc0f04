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

namespace grenzfunk::analysis {

using grenzfunk::BorderRule;  // core/border_rule.hpp

// Whether a rule applies to a cell (technology listed, carrier inside the band).
bool rule_applies(const BorderRule& rule, const Cell& cell);

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
