// Options of the coverage analysis (composites, location probability, coverage classes, gaps,
// statistics): a plain struct with documented defaults. The scenario layer fills it from the
// [analysis] table (docs/scenario.md); everything here is pure computation. It lives in core, as a
// plain description, so that the scenario reader does not depend on the analysis code.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/cell.hpp"

namespace grenzfunk::analysis {

// Receiver surroundings, for the default standard deviation of the location variability.
enum class Environment { rural, suburban, urban };

// Default location-variability standard deviations (dB), the range planners use for outdoor
// reception at 1.5 m over a pixel-sized area:
//   rural 5.5 dB - ITU-R P.1546-4 (10/2009) Annex 5 §12: 5.5 dB for digital systems of at least
//                  1 MHz bandwidth, at all frequencies;
//   urban 8.0 dB - ITU-R P.1546-6 (08/2019) Annex 5 §12, the value for urban receivers when the
//                  terrain is not taken into account (also the classical Okumura urban value);
//   suburban 6.5 dB - a convention between the two (no standard gives it).
double default_location_sigma_db(Environment environment);
const char* environment_name(Environment environment);

// Index into per-technology arrays.
inline constexpr std::size_t kTechnologyCount = 5;
inline std::size_t technology_index(Technology t) {
    return static_cast<std::size_t>(t);
}

struct AnalysisOptions {
    // Location probability: a pixel counts as reaching a threshold when the level exceeds it at
    // this share of locations, with log-normal location variability of this standard deviation.
    double location_probability_pct = 95.0;
    double location_sigma_db = 5.5;  // default_location_sigma_db(rural)

    // SINR per channel layer: thermal noise kTB over the occupied bandwidth plus the receiver
    // noise figure; interferers are all other cells (every network) whose channel overlaps the
    // victim's (weighted by the overlapping share of their power) or lies in its first adjacent
    // channel (weighted by 10^(-acir_db/10)), transmitting at this share of their full power
    // (100 % = fully loaded neighbours, the worst case). docs/analysis.md, "SINR".
    double noise_figure_db = 7.0;
    double interference_load_pct = 100.0;
    // Adjacent-channel interference ratio, downlink: 1 / (1/ACLR + 1/ACS) with the E-UTRA BS
    // ACLR 45 dB (3GPP TS 36.104 6.6.2.1) and UE ACS 33 dB (TS 36.101 7.5.1) = 32.73 dB
    // (TR 36.942 coexistence studies; core/channels.hpp default_acir_db()).
    double acir_db = 32.73;

    // Overlap: number of cells of the pixel's own country (same technology) whose coverage
    // metric is within this margin of the best one; counts saturate at overlap_count_cap.
    double overlap_margin_db = 6.0;
    int overlap_count_cap = 8;

    // Coverage metric per technology: LTE RSRP and NR SS-RSRP from the channel bandwidth
    // (N_RB per 3GPP TS 36.101 / 38.101-1; NR with this subcarrier spacing), UMTS CPICH RSCP
    // = carrier level + umts_cpich_share_db, GSM and others: the carrier level (RxLev).
    double nr_subcarrier_spacing_khz = 30.0;
    double umts_cpich_share_db = -10.0;

    // Coverage-class thresholds per technology (dBm of the coverage metric, outdoors at the
    // receiver height), strongest first; every technology has the same number of classes.
    // Class k (1-based) = threshold k reached at the required location probability; class 0 =
    // none reached.
    std::array<std::vector<double>, kTechnologyCount> thresholds_dbm = {
        std::vector<double>{-75.0, -85.0, -95.0},     // GSM RxLev
        std::vector<double>{-85.0, -95.0, -105.0},    // UMTS RSCP
        std::vector<double>{-100.0, -110.0, -120.0},  // LTE RSRP
        std::vector<double>{-100.0, -110.0, -120.0},  // NR SS-RSRP
        std::vector<double>{-75.0, -85.0, -95.0},     // other: carrier level
    };
    // A pixel is covered (for gaps, coverage shares) when any technology of its country's
    // networks reaches class 1..gap_class. 0 = the weakest class (the number of thresholds).
    int gap_class = 0;

    // Gaps smaller than this are not reported as polygons nor counted as gap area.
    double min_gap_area_km2 = 0.0;

    // Distance bands to the border for the statistics (upper edges, km, increasing); pixels
    // beyond the last edge form one more band.
    std::vector<double> distance_bands_km = {5.0, 10.0, 15.0};

    std::size_t class_count() const { return thresholds_dbm[0].size(); }
    int effective_gap_class() const { return gap_class > 0 ? gap_class : int(class_count()); }
};

}  // namespace grenzfunk::analysis
