// A transmitting cell (one sector of one site on one carrier): what the sites files describe.
#pragma once

#include <string>

namespace grenzfunk {

enum class Technology { gsm, umts, lte, nr, other };

struct Cell {
    std::string cell_id;
    std::string site_id;
    std::string site_name;
    double lat_deg = 0.0;  // WGS84
    double lon_deg = 0.0;
    double antenna_height_agl_m = 0.0;
    double azimuth_deg = 0.0;     // boresight, clockwise from north
    double mech_tilt_deg = 0.0;   // positive = down
    double elec_tilt_deg = 0.0;   // positive = down
    double frequency_mhz = 0.0;   // carrier centre (downlink)
    double bandwidth_mhz = 0.0;   // channel bandwidth
    double eirp_dbm = 0.0;        // at boresight
    std::string antenna_pattern;  // "omni", "3gpp-65", ...
    Technology technology = Technology::other;
    std::string operator_name;
    std::string country;  // ISO 3166-1 alpha-2, e.g. "DE", "CZ"

    // Where the cell came from, for error messages: "file:line".
    std::string source;
};

const char* technology_name(Technology t);

}  // namespace grenzfunk
