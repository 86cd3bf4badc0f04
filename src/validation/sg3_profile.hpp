// Reader for the ITU-R Study Group 3 validation / measurement profile format (the ".csv" files of
// the SG3 data banks, as used by the P.1812 and P.1546 validation examples):
//
//   <name>
//   Tx LAT:,<deg>            header "key:,value" lines (Tx/Rx position, site names, ...)
//   ...
//   {Begin of Meteorology}   meteorology "key:,value" lines (dN, N0, rain zones, ...)
//   {End of meteorology}
//   #Profile
//   <column names>           e.g. Distance from first point,Gnd hgt a.m.s.l.,Coverage Code,...
//   <column units>
//   {Begin of Profile}
//   Number of Points:,<N>
//   <N rows: distance km, height m [, coverage code, ground cover height m, radio met code]>
//   {End of Profile}
//   <column names>           Frequency,Tx antenna height,...,Time percentage,...
//   <column units>
//   {Begin of Measurements}
//   <one row per data set>
//   {End of Measurements}
//
// Lines starting with '#' are comments. Trailing commas (spreadsheet exports) are ignored, and so
// are carriage returns. Empty cells become NaN. Numbers are parsed independently of the locale.
// Nothing here is specific to one Recommendation: the P.1812 evaluation lives in sg3_p1812.hpp,
// the P.1546 one in p1546_validation.hpp. This is the project's one reader of the format.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace grenzfunk::validation {

// One row of the measurement table. The columns are those of the SG3 format, in order; `values`
// keeps every cell of the row (NaN when empty) for columns beyond the standard ones.
struct Sg3Measurement {
    double frequency_mhz = 0.0;
    double tx_height_agl_m = 0.0;
    double tx_effective_height_m = 0.0;
    double rx_height_agl_m = 0.0;
    double polarization_code = 0.0;  // 1 horizontal, 2 vertical, 3 circular
    double tx_power_dbm = 0.0;
    double max_loss_db = 0.0;
    double tx_gain_dbi = 0.0;
    double rx_gain_dbi = 0.0;
    double rx_antenna_directivity = 0.0;
    double erp_max_horizontal_dbw = 0.0;
    double erp_max_vertical_dbw = 0.0;
    double erp_max_total_dbw = 0.0;
    double hrp_reduction_db = 0.0;
    double time_percent = 0.0;
    double loss_relative_to_free_space_db = 0.0;
    double measured_field_dbuv_per_m = 0.0;
    double basic_transmission_loss_db = 0.0;
    std::vector<double> values;
    int line = 0;  // line number in the file, for messages
};

struct Sg3Profile {
    std::string source;  // file name, used in messages
    std::string name;    // first line of the file

    // Every "key:,value" line of the header and meteorology blocks, in file order, key without
    // the trailing ':' and both trimmed. Look-ups by header_value().
    struct HeaderField {
        std::string key;
        std::string value;
        int line = 0;
    };
    std::vector<HeaderField> header;

    // Parsed header fields (NaN when empty or absent).
    double tx_lat_deg = 0.0;
    double tx_lon_deg = 0.0;
    double rx_lat_deg = 0.0;
    double rx_lon_deg = 0.0;
    bool first_point_is_tx = true;  // "First Point TX or RX: T" (or empty); R swaps the ends
    double total_path_length_km = 0.0;
    std::string tx_site_name;
    std::string rx_site_name;
    std::string tx_country;
    double delta_n_n_units_per_km = 0.0;  // "Average annual values dN (N-units/km)"
    double n0_n_units = 0.0;              // "Average annual sea-level surface refractivity No"

    // The profile table. Optional columns are empty when the file has fewer columns, and hold
    // NaN for empty cells.
    std::vector<std::string> profile_columns;  // names from the line before the units line
    std::vector<double> distance_km;
    std::vector<double> height_m;
    std::vector<double> coverage_code;     // 1 water/sea, 2 open/rural, 3 suburban,
                                           // 4 urban/trees/forest, 5 dense urban
    std::vector<double> clutter_height_m;  // "Ground cover height"
    std::vector<double> radio_met_code;    // radio-climatic zone: 1 sea, 3 coastal land, 4 inland

    std::vector<std::string> measurement_columns;
    std::vector<std::string> measurement_units;
    std::vector<Sg3Measurement> measurements;

    // The value of a header key (case-insensitive exact match, trailing ':' ignored); nullptr
    // when absent.
    const std::string* header_value(std::string_view key) const;
};

// Reads an SG3 profile file. Throws InputError naming "file:line" for any malformed content.
Sg3Profile read_sg3_profile(const std::string& path);

// The same from a stream; `source` names it in messages.
Sg3Profile parse_sg3_profile(std::istream& in, const std::string& source);

}  // namespace grenzfunk::validation
