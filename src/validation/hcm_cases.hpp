// HCM point calculations on cases in the layout of the HCM_MS V7 reference set
// (io/hcm_cases_csv.hpp; tests/data/hcm): each case's HCM record inputs -> HCM's calculated
// field strength, with the intermediate values HCM reports, for `grenzfunk path --model hcm
// --cases FILE`.
//
// Per case, as HCM_MS does it: the mode (99 line-style, 10 point to point), the time percentage
// (mode 99: 1 % when the channel occupation is 1, else 10 %; 380-400 MHz with 25K0G7W at both
// ends: 10 %; mode 10: always 10 %), e.r.p. = power - 2.1 dB for an e.i.r.p., the antenna
// attenuation of the transmitter's HCM codes towards the receiver (antenna/hcm_antenna.hpp),
// and the point calculation (propagation/hcm.hpp) on the given terrain. Site heights always come
// from the terrain (HCM's Info 1 / 8); a case that gives one is refused.
//
// Output CSV: case_id, calculated_fs_dbuv_m (3 decimals, as HCM prints), then distance_km,
// heff_m, dh_m, tx_tca_deg, tx_antenna_corr_db, time_percent and `error` (empty, or why the
// case has no result, e.g. a point outside the terrain).
#pragma once

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

#include "antenna/hcm_antenna.hpp"
#include "io/hcm_cases_csv.hpp"
#include "propagation/hcm.hpp"

namespace grenzfunk::validation {

struct HcmCaseOutcome {
    std::string case_id;
    std::size_t line = 0;
    double time_percent = 10.0;
    double power_erp_dbw = 0.0;
    antenna::hcm::AntennaCorrection antenna;
    double power_to_rx_dbw = 0.0;
    propagation::hcm::PointResult point;
    std::string error;  // empty when the case has a result
};

// Throws InputError naming file:line for a case HCM would refuse (bad antenna code, a given
// site height); a path off the terrain is an outcome with `error` set. Throws Cancelled when
// `cancel` becomes true.
std::vector<HcmCaseOutcome> run_hcm_cases(const std::vector<io::HcmCaseInput>& cases,
                                          const propagation::HcmTerrain& terrain,
                                          const std::string& source,
                                          const std::atomic<bool>* cancel = nullptr);

void write_hcm_case_results(std::ostream& out, const std::vector<HcmCaseOutcome>& outcomes);

}  // namespace grenzfunk::validation
