// Radio quantities the analysis derives from a received carrier level: resource blocks and
// RSRP (3GPP), thermal noise, and log-normal location probability.
//
// RSRP: the engine's level is the power of the whole carrier (EIRP is per carrier), spread
// evenly over its 12 N_RB subcarriers, so RSRP = level - 10 log10(12 N_RB) (3GPP TS 36.214
// §5.1.1 defines RSRP as the power of one resource element). N_RB is the maximum transmission
// bandwidth configuration: LTE 3GPP TS 36.101 Table 5.6-1, NR FR1 3GPP TS 38.101-1 Table
// 5.3.2-1 (Rel-15/16 bandwidths).
#pragma once

#include <string>

#include "core/analysis_options.hpp"
#include "core/cell.hpp"

namespace grenzfunk::analysis {

// N_RB for an LTE channel bandwidth (1.4, 3, 5, 10, 15, 20 MHz); 0 if not a 3GPP bandwidth.
int lte_resource_blocks(double bandwidth_mhz);
// N_RB for an NR FR1 channel bandwidth and subcarrier spacing (15, 30, 60 kHz); 0 if the
// combination is not in the table.
int nr_resource_blocks(double bandwidth_mhz, double subcarrier_spacing_khz);

// How the analysis reads one cell's level.
struct CellRadio {
    Technology technology = Technology::other;
    double metric_offset_db = 0.0;    // coverage metric = level + offset (RSRP, RSCP, RxLev)
    double noise_bandwidth_hz = 0.0;  // occupied bandwidth for the thermal noise
};

// Throws InputError "<source>: bandwidth_mhz: ..." when an LTE/NR bandwidth has no N_RB or a
// bandwidth is not positive.
CellRadio cell_radio(const Cell& cell, const AnalysisOptions& options);

// Standard normal distribution: P(X <= x) and its inverse (0 < p < 1).
double normal_cdf(double x);
double normal_quantile(double p);

// Probability (0..1) that a log-normally varying level with median `median_dbm` and standard
// deviation sigma_db exceeds `threshold_dbm`. sigma_db = 0: 1 if median >= threshold, else 0.
double location_probability(double median_dbm, double threshold_dbm, double sigma_db);

// Margin (dB) by which the median must exceed a threshold for it to be exceeded at
// `probability_pct` % of locations: sigma * Q^-1(1 - p).
double location_margin_db(double probability_pct, double sigma_db);

}  // namespace grenzfunk::analysis
