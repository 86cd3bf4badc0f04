// Station records for the coordination request: per home cell the data items of an HCM
// coordination record (docs/border.md, "Station records"), written into the regulator package
//   station_records.csv   one row per home cell, every item in plain units
//   station_records.txt   fixed-width records, one per line (CR LF), in the field order and field
//                         formats of the HCM Agreement's Annex 2 data exchange; the layout
//                         (station_record_layout()) and which positions are confirmed from a
//                         published source are documented field by field in docs/border.md.
// Deterministic: the bytes depend only on the cells, their terrain heights and codes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/border_check.hpp"
#include "core/cell.hpp"

namespace grenzfunk::report {

struct StationRecord {
    std::string reference;  // 13X, stable: station_reference(cell_id)
    std::string cell_id;
    std::string site_id;
    std::string site_name;
    std::string operator_name;
    std::string country;  // ISO 3166-1 alpha-2 of the cell
    Technology technology = Technology::other;
    std::string code;         // "PCI 123", "PSC 17", "ARFCN 62" or ""
    std::string code_status;  // analysis::code_status_name
    double frequency_mhz = 0.0;
    double bandwidth_mhz = 0.0;
    std::string emission_designator;  // "10M0G7W"
    double lat_deg = 0.0, lon_deg = 0.0;
    double site_height_asl_m = 0.0;  // terrain at the site; NaN = unknown
    double antenna_height_agl_m = 0.0;
    double eirp_dbw = 0.0;  // at boresight
    double erp_dbw = 0.0;   // e.i.r.p. - 2.15 dB (half-wave dipole, ITU RR No. 1.161/1.162)
    double azimuth_deg = 0.0;
    double elevation_deg = 0.0;  // of the beam, positive upward: -(mechanical + electrical tilt)
    std::string hcm_antenna_code_h;  // HCM antenna codes ("000ND00"), "" when the pattern is
    std::string hcm_antenna_code_v;  // not given as one
    std::string antenna_pattern;     // the pattern as the cell names it
};

// The necessary-bandwidth part of an emission designator, ITU RR Appendix 1 Section I §1: three
// significant figures with the unit letter H, K, M or G in place of the decimal point ("200K",
// "5M00", "10M0", "1M40", "100M"). Empty for a non-positive bandwidth.
std::string bandwidth_code(double bandwidth_hz);

// The emission designator of a cell: bandwidth_code of its channel bandwidth and the class of
// emission of its technology (station_records.cpp, docs/border.md): GSM "GXW", UMTS, LTE and NR
// "G7W". E.g. LTE 10 MHz "10M0G7W", UMTS 5 MHz "5M00G7W", GSM 0.2 MHz "200KGXW".
std::string emission_designator(Technology technology, double bandwidth_mhz);

// Stable reference number from a cell id: "GF" + the 64-bit FNV-1a hash of the id's bytes as
// 16 upper-case hex digits (18 characters; the same id always gives the same number).
std::string station_reference(std::string_view cell_id);

// HCM geographical coordinates (field 4C): longitude DDD E|W MM SS then latitude DD N|S MM SS,
// rounded to the nearest second, e.g. 11.929 E 50.319 N -> "011E554450N1908".
std::string hcm_coordinates(double lon_deg, double lat_deg);

// ITU country symbol (field 4B) of an ISO 3166-1 alpha-2 code: DE "D", CZ "CZE", AT "AUT",
// PL "POL"; other codes are passed through.
std::string itu_country_symbol(const std::string& iso_alpha2);

StationRecord make_station_record(const analysis::BorderCell& cell, double site_height_asl_m);

// One field of the fixed-width record.
struct RecordField {
    const char* code;    // HCM field code ("1A") or "GF.." for grenzfunk's own trailing fields
    const char* item;    // what it holds
    int start;           // first column, 1-based
    int length;          // characters
    const char* format;  // as in the HCM formats: "99999.99999M", "+999.9", ...
};
const std::vector<RecordField>& station_record_layout();
inline constexpr int kStationRecordLength = 184;  // characters before CR LF

std::string station_records_csv(const std::vector<StationRecord>& records);
std::string station_records_fixed(const std::vector<StationRecord>& records);

}  // namespace grenzfunk::report
