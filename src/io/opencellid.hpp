// Importer for OpenCelliD cell exports (https://opencellid.org, CC BY-SA 4.0), e.g.
// data/sites/opencellid_230_CZ_border_region.csv.
//
// Input: OpenCelliD's standard 14 columns in their fixed order
//   radio, mcc, net, area, cell, unit, lon, lat, range, samples, changeable, created, updated,
//   averageSignal
// with or without that header line (a first field "radio" marks a header; it must then name the
// 14 columns in this order, any letter case). Same CSV rules as the sites reader
// (src/io/sites_csv.hpp): RFC 4180 quoting, locale-independent numbers, decimal comma = error.
//
// Used: radio (GSM, UMTS, LTE or NR; anything else, e.g. CDMA, is an error: filter it out first),
// mcc (230 -> CZ, 262 -> DE; others are an error), net (0..999), area and cell (integers >= 0),
// lon and lat (WGS84), unit (the UMTS primary scrambling code -> Cell::psc, the LTE/NR physical
// cell identity -> Cell::pci; empty, negative or out-of-range units (LTE > 503, NR > 1007,
// UMTS > 511) leave the code unknown, GSM units are ignored, a unit that is not an integer is an
// error). range, samples, changeable, created, updated and averageSignal are not used and not
// checked beyond the field count.
//
// OpenCelliD has no antenna height, direction, tilt, power, frequency or bandwidth. Each cell gets
// the defaults of its technology from ONE table (opencellid.cpp, documented with its reasoning in
// docs/opencellid-defaults.md): an omnidirectional antenna (azimuth 0, pattern "omni"), a typical
// mast height, tilt and EIRP, and a downlink carrier: the network's own block from the carrier
// table (LTE band 20, UMTS band I, GSM 900 with a hashed stand-in ARFCN; docs/opencellid-
// defaults.md, "Carriers per network"; sets Cell::earfcn / uarfcn / arfcn), else the
// technology's default carrier. Any default can be overridden
// through a ParameterSet key "<tech>_<field>", tech in gsm, umts, lte, nr and field in
// antenna_height_agl_m, mech_tilt_deg, elec_tilt_deg, frequency_mhz, bandwidth_mhz, eirp_dbm
// (e.g. lte_frequency_mhz = 1815, lte_bandwidth_mhz = 20). Overrides are checked against the same
// limits as the sites file; a bad one throws InputError naming the key.
//
// Derived fields: cell_id "<mcc>-<net as 2 digits>-<area>-<cell>" (e.g. "230-01-8260-20192");
// site_id = for LTE the eNodeB ("230-01-eNB842161", eNB id = cell / 256, so the sectors of one
// eNodeB share a site), else the cell_id; site_name empty; operator from mcc+net (230-01
// "T-Mobile CZ", 230-02 "O2 CZ", 230-03 "Vodafone CZ", 262-01 "Telekom DE", 262-02 "Vodafone DE",
// 262-03 and 262-07 "O2 DE"; any other "<mcc>-<net>"); country from mcc; source "<file>:<line>".
//
// Errors: as the sites reader, every bad row is collected ("<file>:<line>: <column>: <what>") and
// one InputError lists them; a duplicate cell_id is an error.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/cell.hpp"
#include "core/parameters.hpp"

namespace grenzfunk::io {

// What an imported cell of one technology gets for the values OpenCelliD does not have.
struct OpenCellIdDefaults {
    double antenna_height_agl_m;
    double mech_tilt_deg;
    double elec_tilt_deg;
    double frequency_mhz;
    double bandwidth_mhz;
    double eirp_dbm;
};

// The built-in table (docs/opencellid-defaults.md). `t` must not be Technology::other.
OpenCellIdDefaults opencellid_builtin_defaults(Technology t);

// The built-in table with the overrides of `params` applied and checked. Reads (and so marks as
// consumed) every "<tech>_<field>" key; throws InputError naming each key that is out of range.
OpenCellIdDefaults opencellid_defaults(Technology t, const ParameterSet& params);

// Reads an OpenCelliD export; `path` is used as written in messages and Cell::source.
// `warnings` (optional) receives one line per country, technology and default carrier shared
// by more than 20 cells (networks without a block in the carrier table, or an overridden
// carrier): their SINR treats them as co-channel.
std::vector<Cell> read_opencellid(const std::filesystem::path& path,
                                  const ParameterSet& params = {},
                                  std::vector<std::string>* warnings = nullptr);

// The same for text already in memory; `source_name` stands for the file name in messages.
std::vector<Cell> parse_opencellid(std::string_view text, const std::string& source_name,
                                   const ParameterSet& params = {},
                                   std::vector<std::string>* warnings = nullptr);

}  // namespace grenzfunk::io
