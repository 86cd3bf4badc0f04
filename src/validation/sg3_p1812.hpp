// ITU-R P.1812-7 evaluated on an ITU-R SG3 validation profile file (sg3_profile.hpp), the way the
// SG3 validation examples do it: for `grenzfunk path` and the P.1812 validation tests.
//
// Inputs taken from the file: the profile (distance, terrain height, "Ground cover height" as the
// representative clutter height R, "Radio Met Code" as the radio-climatic zone; empty cells give
// R = 0 and inland), Tx/Rx latitude and longitude (the path centre for beta0 is the great-circle
// point half the profile length from the transmitter), dN and N0 from the meteorology block
// (defaults 45 and 324 when empty), and from measurement row `dataset`: frequency, Tx and Rx
// antenna heights, polarisation (1 horizontal, 2 vertical), time percentage and the e.r.p.
// ("ERP_max_total", dBW) used to scale Ep. Location percentage 50 %, sigma_L 0 dB, coast
// distances 500 km (0 for a terminal in zone "sea"), as in the SG3 validation.
#pragma once

#include <cstddef>
#include <ostream>
#include <vector>

#include "propagation/p1812.hpp"
#include "validation/sg3_profile.hpp"

namespace grenzfunk::validation {

struct Sg3P1812Evaluation {
    std::size_t dataset = 0;
    propagation::P1812Input input;  // spans point into the vectors below
    std::vector<double> distance_km;
    std::vector<double> height_m;
    std::vector<double> clutter_height_m;
    std::vector<propagation::RadioClimaticZone> zone;
    double tx_power_kw = 1.0;  // from the e.r.p. of the measurement row
    propagation::P1812Result result;
    double field_wrt_tx_power_dbuv_per_m = 0.0;  // Ep + 10 log10(Ptx / 1 kW)
    // The file's own values for this row ("Measured field strength", "Basic transmission loss";
    // for the SG3 validation files these are the reference predictions). NaN when absent.
    double file_field_dbuv_per_m = 0.0;
    double file_basic_loss_db = 0.0;

    Sg3P1812Evaluation() = default;
    Sg3P1812Evaluation(const Sg3P1812Evaluation&) = delete;  // input holds spans into this
    Sg3P1812Evaluation& operator=(const Sg3P1812Evaluation&) = delete;
};

// Throws InputError (naming file and line) when the data set does not exist or lacks a value
// P.1812 needs.
void evaluate_p1812_sg3(const Sg3Profile& profile, std::size_t dataset, Sg3P1812Evaluation& out);

// Prints the inputs, Lb, Ep and the main intermediate values, one "name = value unit" per line.
void print_p1812_evaluation(std::ostream& os, const Sg3Profile& profile,
                            const Sg3P1812Evaluation& evaluation);

}  // namespace grenzfunk::validation
