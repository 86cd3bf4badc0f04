// Reader for the ITU-R Study Group 3 validation profiles used to check P.1546 (the "Fryderyk csv"
// layout of the SG3 measurement databank: a header block of "key:,value" lines, the terrain
// profile between {Begin of Profile} and {End of Profile}, and one data set per line between
// {Begin of Measurements} and {End of Measurements}), and the evaluation of ITU-R P.1546-6 on
// one data set the way the SG3 reference validation does it:
//  - sea and coastal length from the radio-meteorological code (1 sea, 3 coast) of each point,
//    each point weighted by half of its neighbouring intervals;
//  - the receiver's environment and clutter heights from the coverage code at each end
//    (1 sea, 2 rural, 3 suburban, 4 urban, 5 dense urban; other codes: suburban, R = 0 m) or,
//    when given, the ground-cover height column; an open (rural) transmitter gets R1 = 0;
//  - "First Point TX or RX: R" swaps the terminals (the profile then runs from the other end);
//  - h1, the terrain clearance angles and the ground heights from the profile
//    (p1546::analyse_profile); e.r.p. from ERP_max_total (dBW), else from the file's field
//    strength and basic transmission loss.
// Only the few fields P.1546 needs are read; a general SG3 reader lives elsewhere.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "propagation/p1546.hpp"

namespace grenzfunk::validation {

struct P1546ValidationDataset {
    int line = 0;  // line of the data set in the file
    double frequency_mhz = 0.0;
    double tx_height_agl_m = 0.0;
    double rx_height_agl_m = 0.0;
    double erp_total_dbw = propagation::p1546::kNaN;
    double time_percent = 50.0;
    double field_dbuv_per_m = propagation::p1546::kNaN;  // the file's field strength (for e.r.p.)
    double basic_loss_db = propagation::p1546::kNaN;     // the file's basic transmission loss
};

struct P1546ValidationProfile {
    std::string path;
    bool first_point_is_tx = true;
    std::vector<double> distance_km;
    std::vector<double> elevation_m;
    std::vector<int> coverage_code;      // -1 where absent
    std::vector<double> ground_cover_m;  // NaN where absent
    std::vector<int> radio_met_code;     // -1 where absent
    std::vector<P1546ValidationDataset> datasets;
};

// Throws InputError naming file:line on anything it cannot read.
P1546ValidationProfile read_p1546_validation_profile(const std::string& path);

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

// dataset is 1-based; throws InputError if it does not exist.
P1546ValidationCase evaluate_p1546_validation(const P1546ValidationProfile& profile, int dataset);

// Human-readable table of the inputs, the main intermediate values, E and Lb.
void print_p1546_validation(std::ostream& out, const P1546ValidationProfile& profile,
                            const P1546ValidationCase& c);

}  // namespace grenzfunk::validation
