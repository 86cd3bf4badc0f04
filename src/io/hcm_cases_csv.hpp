// Reader of point-to-point cases in the layout of the HCM_MS V7 reference set
// (tests/data/hcm/cases.csv, described in tests/data/hcm/README_reference.md): one row per
// calculation, columns matched by name in any order, RFC 4180 quoting.
//
// Required columns (the HCM record's inputs):
//   case_id                 the case's name (letters, digits, '_', '-', '.'; at most 64)
//   c_mode                  99 (line-style point calculation, strict HCM) or 10 (point to point)
//   tx_coord_hcm, rx_coord_hcm   DDDEMMSSDDNMMSS (longitude first, whole arc-seconds; E/W, N/S)
//   tx_antenna_height_agl_m, rx_antenna_height_agl_m   whole metres (HCM's I4 fields), 0-9999
//   frequency_mhz           > 0
//   power_dbw, power_type   maximum radiated power, dBW; E = e.r.p., I = e.i.r.p.
//   tx_antenna_code_h, tx_antenna_code_v   HCM / TR 25-08 antenna codes (7 characters)
//   tx_azimuth_deg, tx_elevation_deg       main radiation: 0-360 deg from north, -90..90 deg
//   channel_occupation      0 or 1 (mode 99: 10 % or 1 % of the time)
// Optional: tx_site_height_input_m / rx_site_height_input_m (blank = from the terrain data),
// and any other columns (the reference's outputs), kept by name as text for comparisons.
// Malformed input throws InputError naming the file, the line and the column.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace grenzfunk::io {

enum class HcmPowerType { erp, eirp };

struct HcmCaseInput {
    std::string case_id;
    std::size_t line = 0;  // line of the row in the file
    int c_mode = 99;
    double tx_lon_deg = 0.0, tx_lat_deg = 0.0;
    double rx_lon_deg = 0.0, rx_lat_deg = 0.0;
    std::optional<double> tx_site_height_m;  // above sea level; none: from the terrain
    std::optional<double> rx_site_height_m;
    int tx_antenna_height_agl_m = 0;
    int rx_antenna_height_agl_m = 0;
    double frequency_mhz = 0.0;
    double power_dbw = 0.0;
    HcmPowerType power_type = HcmPowerType::erp;
    std::string tx_antenna_code_h = "000ND00";
    std::string tx_antenna_code_v = "000ND00";
    double tx_azimuth_deg = 0.0;
    double tx_elevation_deg = 0.0;
    int channel_occupation = 0;
    std::map<std::string, std::string> other_columns;  // every further column, by name
};

// Parses HCM's coordinate field DDDEMMSSDDNMMSS ("012E571550N2543": 12°57'15" E, 50°25'43" N).
// Returns false when it is malformed (minutes or seconds >= 60, degrees out of range).
bool parse_hcm_coordinates(const std::string& text, double& lon_deg, double& lat_deg);

std::vector<HcmCaseInput> read_hcm_cases_csv(const std::filesystem::path& path);

// True when the CSV's header names the HCM layout's columns (c_mode and tx_coord_hcm), so that
// `grenzfunk path --cases` can tell it from the ITM layout.
bool is_hcm_cases_csv(const std::filesystem::path& path);

}  // namespace grenzfunk::io
