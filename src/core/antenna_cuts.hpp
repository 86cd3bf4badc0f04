// An antenna pattern given as two measured cuts (horizontal and vertical), as vendor pattern files
// (MSI/Planet, io/msi_pattern.hpp) deliver it: a plain description, so that the antenna layer
// builds a 3-D pattern from it without depending on any file format (docs/antennas.md).
#pragma once

#include <array>
#include <optional>
#include <string>

namespace grenzfunk {

struct AntennaCuts {
    std::string name;     // NAME (or the file's first line)
    std::string make;     // MAKE
    std::string comment;  // COMMENT
    std::string source;   // the file, for messages and metadata
    std::optional<double> frequency_mhz;
    std::optional<double> gain_dbi;  // boresight gain (information: sites give the EIRP)
    std::optional<double> horizontal_beamwidth_deg;  // H_WIDTH (information)
    std::optional<double> vertical_beamwidth_deg;    // V_WIDTH (information)
    std::optional<double> front_to_back_db;          // FRONT_TO_BACK (information)
    // ELECTRICAL_TILT (or a numeric TILT), degrees down: information only, the vertical cut
    // already holds it.
    std::optional<double> electrical_tilt_deg;

    // Attenuation in dB (>= 0) relative to the pattern maximum, one value per whole degree:
    // horizontal[i]: i degrees clockwise from boresight (seen from above);
    // vertical[i]: i degrees below the horizon in the vertical plane through boresight
    //              (0 = front horizon, 90 = straight down, 180 = back horizon, 270 = straight up).
    std::array<double, 360> horizontal_attenuation_db{};
    std::array<double, 360> vertical_attenuation_db{};
};

// How a 3-D gain is made from the two cuts (docs/antennas.md, "3-D from two cuts").
enum class CutCombination {
    summed,       // A = min(A_H + A_V, A_max): the structure of 3GPP TR 38.901 Table 7.3-1
    gil_weighted  // the weighted interpolation of Gil et al., IEEE AP Magazine 43(2), 2001
};

}  // namespace grenzfunk
