// Reader of MSI/Planet antenna pattern files (.msi, .pln, .txt), the ASCII format in which antenna
// makers publish their patterns (docs/antennas.md, "MSI/Planet files").
//
// Format (one item per line, key and value separated by blanks; keys in any letter case):
//   NAME <text>              (some makers omit the key: a first line that is no key is the name)
//   MAKE <text>
//   FREQUENCY <number> [MHz|GHz]
//   H_WIDTH, V_WIDTH <degrees>, FRONT_TO_BACK <dB>     (information)
//   GAIN <number> [dBd|dBi]  dBd unless "dBi" follows; dBi = dBd + 2.15
//   TILT <ELECTRICAL|MECHANICAL|number>, ELECTRICAL_TILT <degrees>   (information: the vertical
//                            cut already holds the electrical tilt)
//   COMMENT <text>
//   HORIZONTAL <n>           then n lines "angle attenuation_dB"
//   VERTICAL <n>             then n lines "angle attenuation_dB"
// Other keys (POLARIZATION, makers' own keys) are skipped. Angles are degrees in [0, 360):
// horizontal 0 = boresight, increasing clockwise seen from above; vertical 0 = horizon,
// 90 = straight down, 270 = straight up. Attenuations are dB >= 0 below the maximum (no sign).
// Angles missing from a cut are interpolated linearly around the circle; a repeated or
// out-of-range angle, a negative or non-numeric value, a short section or a missing section is
// an error: InputError "<file>:<line>: <what>".
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/antenna_cuts.hpp"

namespace grenzfunk::io {

AntennaCuts read_msi_pattern(const std::filesystem::path& path);

// The same for text in memory; `source_name` stands for the file in messages.
AntennaCuts parse_msi_pattern(std::string_view text, const std::string& source_name);

}  // namespace grenzfunk::io
