// ITU-R P.1546-6 evaluated on one data set of an ITU-R SG3 validation profile (read by
// sg3_profile.hpp, the one reader of that format) the way the SG3 reference validation does it:
//  - sea and coastal length from the radio-meteorological code (1 sea, 3 coast) of each point,
//    each point weighted by half of its neighbouring intervals;
//  - the receiver's environment and clutter heights from the coverage code at each end
//    (1 sea, 2 rural, 3 suburban, 4 urban, 5 dense urban; other codes: suburban, R = 0 m) or,
//    when given, the ground-cover height column; an open (rural) transmitter gets R1 = 0;
//  - "First Point TX or RX: R" swaps the terminals (the profile then runs from the other end);
//  - h1, the terrain clearance angles and the ground heights from the profile
//    (p1546::analyse_profile); e.r.p. from ERP_max_total (dBW), else from the file's field
//    strength and basic transmission loss; an empty time percentage is 50 %.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "propagation/p1546.hpp"
#include "validation/sg3_profile.hpp"

namespace grenzfunk::validation {

struct P1546ValidationCase {
    int dataset = 0;  // 1-based
    bool swapped = false;
    double land_km = 0.0;
    double sea_km = 0.0;
    double tx_power_kw = 1.0;
    propagation::p1546::ProfileGeometry geometry;
    propagation::p1546::Input input;
    propagation::p1546::Result result;
    double field_for_power_dbuv_per_m = 0.0;  // result + 10 log10(P / 1 kW)
};

// dataset is 1-based; throws InputError (file:line) if it does not exist or lacks the frequency
// or an antenna height.
P1546ValidationCase evaluate_p1546_validation(const Sg3Profile& profile, int dataset);

// Human-readable table of the inputs, the main intermediate values, E and Lb.
void print_p1546_validation(std::ostream& out, const Sg3Profile& profile,
                            const P1546ValidationCase& c);

}  // namespace grenzfunk::validation
