#include "core/channels.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace grenzfunk::channels {

namespace {

// 3GPP TS 36.101 Table 5.7.3-1 (downlink columns).
struct LteBand {
    int band;
    double f_dl_low_mhz;
    int n_offs_dl;
    int n_dl_last;
};
constexpr std::array<LteBand, 8> lte_bands = {{
    {1, 2110.0, 0, 599},
    {3, 1805.0, 1200, 1949},
    {7, 2620.0, 2750, 3449},
    {8, 925.0, 3450, 3799},
    {20, 791.0, 6150, 6449},
    {28, 758.0, 9210, 9659},
    {32, 1452.0, 9920, 10359},
    {38, 2570.0, 37750, 38249},
}};

// 3GPP TS 38.104 Table 5.4.2.1-1: the global raster in three ranges.
struct NrRasterRange {
    int n_first, n_last;
    double delta_f_khz;
    double f_offs_mhz;
    int n_offs;
};
constexpr std::array<NrRasterRange, 3> nr_raster = {{
    {0, 599999, 5.0, 0.0, 0},
    {600000, 2016666, 15.0, 3000.0, 600000},
    {2016667, 3279165, 60.0, 24250.08, 2016667},
}};

// 3GPP TS 38.104 Table 5.4.2.3-1: downlink NR-ARFCN range per band.
struct NrBand {
    const char* name;
    int n_first, n_last;
};
constexpr std::array<NrBand, 7> nr_bands = {{
    {"n1", 422000, 434000},
    {"n3", 361000, 376000},
    {"n7", 524000, 538000},
    {"n8", 185000, 192000},
    {"n20", 158200, 164200},
    {"n28", 151600, 160600},
    {"n78", 620000, 653333},
}};

// 3GPP TS 25.101 Table 5.2 (general raster, downlink).
struct UmtsBand {
    int band;
    const char* name;
    double offset_mhz;
    int n_first, n_last;
};
constexpr std::array<UmtsBand, 2> umts_bands = {{
    {1, "I", 0.0, 10562, 10838},
    {8, "VIII", 340.0, 2937, 3088},
}};

constexpr double kMatchMhz = 0.001;

}  // namespace

std::optional<DownlinkChannel> lte_downlink(int earfcn) {
    for (const LteBand& b : lte_bands)
        if (earfcn >= b.n_offs_dl && earfcn <= b.n_dl_last)
            return DownlinkChannel{b.f_dl_low_mhz + 0.1 * double(earfcn - b.n_offs_dl),
                                   std::to_string(b.band)};
    return std::nullopt;
}

std::optional<int> lte_earfcn(int band, double downlink_mhz) {
    for (const LteBand& b : lte_bands) {
        if (b.band != band) continue;
        const double steps = (downlink_mhz - b.f_dl_low_mhz) / 0.1;
        const long n = std::lround(steps);
        if (std::abs(steps - double(n)) * 0.1 > kMatchMhz) return std::nullopt;
        const long earfcn = long(b.n_offs_dl) + n;
        if (earfcn < b.n_offs_dl || earfcn > b.n_dl_last) return std::nullopt;
        return int(earfcn);
    }
    return std::nullopt;
}

std::optional<DownlinkChannel> nr_downlink(int nrarfcn) {
    for (const NrRasterRange& r : nr_raster) {
        if (nrarfcn < r.n_first || nrarfcn > r.n_last) continue;
        DownlinkChannel c;
        c.downlink_mhz = r.f_offs_mhz + r.delta_f_khz / 1000.0 * double(nrarfcn - r.n_offs);
        for (const NrBand& b : nr_bands)
            if (nrarfcn >= b.n_first && nrarfcn <= b.n_last) {
                c.band = b.name;
                break;
            }
        return c;
    }
    return std::nullopt;
}

std::optional<DownlinkChannel> umts_downlink(int uarfcn) {
    for (const UmtsBand& b : umts_bands)
        if (uarfcn >= b.n_first && uarfcn <= b.n_last)
            return DownlinkChannel{double(uarfcn) / 5.0 + b.offset_mhz, b.name};
    return std::nullopt;
}

std::optional<int> umts_uarfcn(int band, double downlink_mhz) {
    for (const UmtsBand& b : umts_bands) {
        if (b.band != band) continue;
        const double steps = 5.0 * (downlink_mhz - b.offset_mhz);
        const long n = std::lround(steps);
        if (std::abs(steps - double(n)) / 5.0 > kMatchMhz) return std::nullopt;
        if (n < b.n_first || n > b.n_last) return std::nullopt;
        return int(n);
    }
    return std::nullopt;
}

std::optional<DownlinkChannel> gsm_downlink(int arfcn) {
    if (arfcn >= 1 && arfcn <= 124) return DownlinkChannel{935.0 + 0.2 * arfcn, "P-GSM 900"};
    if (arfcn == 0) return DownlinkChannel{935.0, "E-GSM 900"};
    if (arfcn >= 975 && arfcn <= 1023)
        return DownlinkChannel{935.0 + 0.2 * double(arfcn - 1024), "E-GSM 900"};
    if (arfcn >= 512 && arfcn <= 885)
        return DownlinkChannel{1805.2 + 0.2 * double(arfcn - 512), "DCS 1800"};
    return std::nullopt;
}

std::optional<int> gsm_arfcn(double downlink_mhz) {
    auto match = [&](double first_mhz, int first_n, int last_n) -> std::optional<int> {
        const double steps = (downlink_mhz - first_mhz) / 0.2;
        const long k = std::lround(steps);
        if (std::abs(steps - double(k)) * 0.2 > kMatchMhz) return std::nullopt;
        if (k < 0 || k > long(last_n - first_n)) return std::nullopt;
        return int(first_n + k);
    };
    if (auto n = match(925.2, 975, 1023)) return n;  // E-GSM below P-GSM
    if (auto n = match(935.0, 0, 124)) return n;     // ARFCN 0 (E-GSM) and P-GSM 1..124
    if (auto n = match(1805.2, 512, 885)) return n;  // DCS 1800
    return std::nullopt;
}

std::string channel_text(const Cell& cell) {
    std::string s;
    if (cell.technology == Technology::lte && cell.earfcn)
        s.append("EARFCN ").append(std::to_string(*cell.earfcn));
    else if (cell.technology == Technology::nr && cell.nrarfcn)
        s.append("NR-ARFCN ").append(std::to_string(*cell.nrarfcn));
    else if (cell.technology == Technology::umts && cell.uarfcn)
        s.append("UARFCN ").append(std::to_string(*cell.uarfcn));
    else if (cell.technology == Technology::gsm && cell.arfcn)
        s.append("ARFCN ").append(std::to_string(*cell.arfcn));
    return s;
}

double interference_weight(double victim_mhz, double victim_bandwidth_mhz, double interferer_mhz,
                           double interferer_bandwidth_mhz, double acir_db) {
    const double v_lo = victim_mhz - victim_bandwidth_mhz / 2.0;
    const double v_hi = victim_mhz + victim_bandwidth_mhz / 2.0;
    const double i_lo = interferer_mhz - interferer_bandwidth_mhz / 2.0;
    const double i_hi = interferer_mhz + interferer_bandwidth_mhz / 2.0;
    // Edges closer than this count as touching: centres and bandwidths given to 1 kHz.
    constexpr double tolerance_mhz = 1e-6;
    const double overlap_mhz = std::min(v_hi, i_hi) - std::max(v_lo, i_lo);
    if (overlap_mhz > tolerance_mhz) return std::min(1.0, overlap_mhz / interferer_bandwidth_mhz);
    const double gap_mhz = std::max(i_lo - v_hi, v_lo - i_hi);
    if (gap_mhz < victim_bandwidth_mhz - tolerance_mhz) return std::pow(10.0, -acir_db / 10.0);
    return 0.0;
}

double default_acir_db() {
    const double aclr_db = 45.0;  // TS 36.104 Table 6.6.2.1-1
    const double acs_db = 33.0;   // TS 36.101 Table 7.5.1-1
    return -10.0 * std::log10(std::pow(10.0, -aclr_db / 10.0) + std::pow(10.0, -acs_db / 10.0));
}

}  // namespace grenzfunk::channels
