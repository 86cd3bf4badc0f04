// Okumura-Hata and COST-231-Hata empirical path loss: the formulas as plain functions, so that
// tests and other layers can evaluate them without a model object.
//
// Sources: M. Hata, "Empirical formula for propagation loss in land mobile radio services",
// IEEE Trans. Veh. Technol., vol. VT-29, no. 3, pp. 317-325, Aug. 1980 (also reproduced in
// Recommendation ITU-R P.529-3, Annex 1); COST Action 231, "Digital mobile radio towards future
// generation systems", final report, EUR 18957, 1999, section 4.4.1 (COST-231-Hata).
// hb is the base-station antenna height above ground, hm the mobile antenna height above ground.
#pragma once

#include <cstdint>

#include "propagation/model.hpp"

namespace grenzfunk::propagation {

// Hata's two mobile-antenna height corrections a(hm).
enum class HataCitySize {
    medium,  // "medium-small city" (also used by COST-231-Hata)
    large,   // "large city"
};

// a(hm) in dB.
//   medium: a(hm) = (1.1 log f - 0.7) hm - (1.56 log f - 0.8)
//   large:  a(hm) = 8.29 (log 1.54 hm)^2 - 1.1     for f <= 200 MHz
//           a(hm) = 3.2 (log 11.75 hm)^2 - 4.97    for f >= 400 MHz
// Hata gives the large-city form only below 200 and above 400 MHz; we switch at 300 MHz.
double hata_mobile_height_correction_db(double frequency_mhz, double mobile_height_agl_m,
                                        HataCitySize city_size);

// Hata urban loss (dB), f in MHz, heights in m above ground, distance in km:
//   Lu = 69.55 + 26.16 log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d
double hata_urban_loss_db(double frequency_mhz, double base_height_agl_m,
                          double mobile_height_agl_m, double distance_km, HataCitySize city_size);

// Hata suburban correction (dB, to add to the urban loss): -2 (log(f/28))^2 - 5.4
double hata_suburban_correction_db(double frequency_mhz);

// Hata open-area correction (dB, to add to the urban loss): -4.78 (log f)^2 + 18.33 log f - 40.94
double hata_open_area_correction_db(double frequency_mhz);

// COST-231-Hata (COST 231 final report, section 4.4.1):
//   L = 46.3 + 33.9 log f - 13.82 log hb - a(hm) + (44.9 - 6.55 log hb) log d + Cm
// with a(hm) the medium-city correction and Cm = 0 dB (medium-sized cities and suburban centres
// with medium tree density) or 3 dB (metropolitan centres).
double cost231_hata_loss_db(double frequency_mhz, double base_height_agl_m,
                            double mobile_height_agl_m, double distance_km, double cm_db);

// Shared by both Hata models: the calibration ranges hb 30-200 m, hm 1-10 m, d 1-20 km (Hata
// 1980 and COST 231 4.4.1 alike) and [min,max] frequency. Returns the outside_* flags of a query,
// or invalid_input when a logarithm would be undefined (f, hb, hm or d not > 0, or NaN).
std::uint32_t hata_range_flags(const PathQuery& query, double min_frequency_mhz,
                               double max_frequency_mhz);

// The ValidityRange common to both Hata models, for the given frequency range.
ValidityRange hata_validity(double min_frequency_mhz, double max_frequency_mhz);

}  // namespace grenzfunk::propagation
