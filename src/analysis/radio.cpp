#include "analysis/radio.hpp"

#include <boost/math/special_functions/erf.hpp>
#include <cmath>
#include <sstream>

#include "core/error.hpp"

namespace grenzfunk::analysis {

namespace {

struct BandwidthRb {
    double bandwidth_mhz;
    int resource_blocks;
};

int lookup(const BandwidthRb* table, std::size_t n, double bandwidth_mhz) {
    for (std::size_t i = 0; i < n; ++i)
        if (std::abs(table[i].bandwidth_mhz - bandwidth_mhz) < 1e-6)
            return table[i].resource_blocks;
    return 0;
}

// 3GPP TS 36.101 Table 5.6-1: transmission bandwidth configuration N_RB.
constexpr BandwidthRb kLte[] = {{1.4, 6}, {3, 15}, {5, 25}, {10, 50}, {15, 75}, {20, 100}};

// 3GPP TS 38.101-1 Table 5.3.2-1: maximum transmission bandwidth configuration N_RB (FR1).
constexpr BandwidthRb kNr15[] = {{5, 25},   {10, 52},  {15, 79},  {20, 106},
                                 {25, 133}, {30, 160}, {40, 216}, {50, 270}};
constexpr BandwidthRb kNr30[] = {{5, 11},   {10, 24},  {15, 38},  {20, 51},  {25, 65},
                                 {30, 78},  {40, 106}, {50, 133}, {60, 162}, {70, 189},
                                 {80, 217}, {90, 245}, {100, 273}};
constexpr BandwidthRb kNr60[] = {{10, 11}, {15, 18}, {20, 24}, {25, 31},  {30, 38},  {40, 51},
                                 {50, 65}, {60, 79}, {70, 93}, {80, 107}, {90, 121}, {100, 135}};

template <std::size_t N>
int lookup(const BandwidthRb (&table)[N], double bandwidth_mhz) {
    return lookup(table, N, bandwidth_mhz);
}

}  // namespace

int lte_resource_blocks(double bandwidth_mhz) {
    return lookup(kLte, bandwidth_mhz);
}

int nr_resource_blocks(double bandwidth_mhz, double subcarrier_spacing_khz) {
    if (subcarrier_spacing_khz == 15.0) return lookup(kNr15, bandwidth_mhz);
    if (subcarrier_spacing_khz == 30.0) return lookup(kNr30, bandwidth_mhz);
    if (subcarrier_spacing_khz == 60.0) return lookup(kNr60, bandwidth_mhz);
    return 0;
}

CellRadio cell_radio(const Cell& cell, const AnalysisOptions& options) {
    auto fail = [&](const std::string& what) {
        std::ostringstream msg;
        msg.imbue(std::locale::classic());
        msg << cell.source << ": bandwidth_mhz: " << cell.bandwidth_mhz << " MHz " << what;
        throw InputError(msg.str());
    };
    if (!(cell.bandwidth_mhz > 0.0)) fail("must be positive for the SINR noise bandwidth");
    CellRadio r;
    r.technology = cell.technology;
    r.noise_bandwidth_hz = cell.bandwidth_mhz * 1e6;
    switch (cell.technology) {
        case Technology::lte: {
            const int n_rb = lte_resource_blocks(cell.bandwidth_mhz);
            if (n_rb == 0)
                fail(
                    "is not an LTE channel bandwidth (1.4, 3, 5, 10, 15, 20; 3GPP TS 36.101 "
                    "Table 5.6-1)");
            r.metric_offset_db = -10.0 * std::log10(12.0 * n_rb);
            r.noise_bandwidth_hz = 12.0 * n_rb * 15e3;
            break;
        }
        case Technology::nr: {
            const double scs_khz = options.nr_subcarrier_spacing_khz;
            const int n_rb = nr_resource_blocks(cell.bandwidth_mhz, scs_khz);
            if (n_rb == 0) {
                std::ostringstream what;
                what.imbue(std::locale::classic());
                what << "has no N_RB at " << scs_khz
                     << " kHz subcarrier spacing (3GPP TS 38.101-1 Table 5.3.2-1; see "
                        "analysis.nr_subcarrier_spacing_khz)";
                fail(what.str());
            }
            r.metric_offset_db = -10.0 * std::log10(12.0 * n_rb);
            r.noise_bandwidth_hz = 12.0 * n_rb * scs_khz * 1e3;
            break;
        }
        case Technology::umts:
            r.metric_offset_db = options.umts_cpich_share_db;
            break;
        case Technology::gsm:
        case Technology::other:
            break;
    }
    return r;
}

double normal_cdf(double x) {
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double normal_quantile(double p) {
    return std::sqrt(2.0) * boost::math::erf_inv(2.0 * p - 1.0);
}

double location_probability(double median_dbm, double threshold_dbm, double sigma_db) {
    if (std::isnan(median_dbm)) return 0.0;
    if (sigma_db <= 0.0) return median_dbm >= threshold_dbm ? 1.0 : 0.0;
    return normal_cdf((median_dbm - threshold_dbm) / sigma_db);
}

double location_margin_db(double probability_pct, double sigma_db) {
    if (sigma_db <= 0.0) return 0.0;
    return sigma_db * normal_quantile(probability_pct / 100.0);
}

}  // namespace grenzfunk::analysis
