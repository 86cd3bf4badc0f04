// Radio channel numbers -> downlink carrier frequency, for the European bands, and the channel
// overlap rule of the SINR (docs/analysis.md, "SINR").
//
//   LTE EARFCN   3GPP TS 36.101 §5.7.3, Table 5.7.3-1: F_DL = F_DL_low + 0.1 (N_DL - N_Offs-DL)
//   NR-ARFCN     3GPP TS 38.104 §5.4.2.1, Table 5.4.2.1-1 (global frequency raster):
//                F_REF = F_REF-Offs + dF_Global (N_REF - N_REF-Offs)
//   UMTS UARFCN  3GPP TS 25.101 §5.4.4: N_DL = 5 (F_DL - F_DL_Offset), Table 5.2 (general raster):
//                band I offset 0 MHz, band VIII offset 340 MHz
//   GSM ARFCN    3GPP TS 45.005 §2: P-GSM 1..124 and E-GSM 0, 975..1023:
//                F_DL = 935 + 0.2 n (n - 1024 for 975..1023); DCS 1800 512..885:
//                F_DL = 1805.2 + 0.2 (n - 512)
//
// All frequencies in MHz. A channel outside the tables returns std::nullopt.
#pragma once

#include <optional>
#include <string>

#include "core/cell.hpp"

namespace grenzfunk::channels {

struct DownlinkChannel {
    double downlink_mhz = 0.0;  // carrier centre
    std::string band;           // "20", "n78", "I", "E-GSM 900", "DCS 1800"
};

// LTE bands 1, 3, 7, 8, 20, 28, 32 (SDL, downlink only), 38 (TDD).
std::optional<DownlinkChannel> lte_downlink(int earfcn);
// NR bands n1, n3, n7, n8, n20, n28, n78; any N_REF of the global raster converts (band "" when
// it lies in none of them). n28 (758-803 MHz) and n20 (791-821 MHz) overlap: the first band of
// the list above that holds the number is named.
std::optional<DownlinkChannel> nr_downlink(int nrarfcn);
// UMTS band I (UARFCN 10562..10838) and VIII (2937..3088), downlink.
std::optional<DownlinkChannel> umts_downlink(int uarfcn);
// GSM 900 (P-GSM, E-GSM) and DCS 1800 downlink.
std::optional<DownlinkChannel> gsm_downlink(int arfcn);

// Inverse for GSM 900 / DCS 1800: the ARFCN whose downlink centre is `downlink_mhz` (within
// 1 kHz), std::nullopt if none.
std::optional<int> gsm_arfcn(double downlink_mhz);
// Inverse for LTE: the EARFCN of `downlink_mhz` in band `band` (one of the bands above; within
// 1 kHz of the 100 kHz raster), std::nullopt if none.
std::optional<int> lte_earfcn(int band, double downlink_mhz);
// Inverse for UMTS band I / VIII.
std::optional<int> umts_uarfcn(int band, double downlink_mhz);

// The channel number of a cell, as text for tables: "EARFCN 6300", "NR-ARFCN 636666",
// "UARFCN 10700", "ARFCN 1"; "" when the cell has none.
std::string channel_text(const Cell& cell);

// Interference weight of an interferer channel on a victim channel (both as centre and
// bandwidth, MHz): the share of the interferer's power that the victim receiver takes in.
//   - channels overlap: overlap width / interferer bandwidth (a flat power spectral density
//     over the interferer's channel; for equal bandwidths = the overlapping fraction of the
//     victim's bandwidth);
//   - no overlap, but the gap between the nearer edges is less than one victim bandwidth (the
//     interferer lies, at least partly, in the victim's first adjacent channel):
//     10^(-acir_db / 10);
//   - farther: 0.
// Identical channels give 1.
double interference_weight(double victim_mhz, double victim_bandwidth_mhz, double interferer_mhz,
                           double interferer_bandwidth_mhz, double acir_db);

// Default downlink ACIR (dB) from 3GPP's minimum requirements for E-UTRA, first adjacent channel:
// BS ACLR 45 dB (TS 36.104 §6.6.2.1, Table 6.6.2.1-1) and UE ACS 33 dB (TS 36.101 §7.5.1,
// Table 7.5.1-1, 5/10 MHz channels); ACIR = 1 / (1/ACLR + 1/ACS) as in the coexistence studies
// of TR 36.942 (also SEAMCAT manual A15.7.2, downlink) = 32.73 dB.
double default_acir_db();

}  // namespace grenzfunk::channels
