// Reader of grenzfunk's cell file: a CSV with one row per cell (one sector of one site on one
// carrier), e.g. data/sites/de_sample_sites.csv.
//
// Format
// - RFC 4180 CSV: ',' separates fields; a field in double quotes may contain ',', line breaks and
//   doubled quotes (""). LF or CRLF line ends; a UTF-8 byte-order mark and empty lines are
//   skipped. Blanks around a field are ignored.
// - The first line is a header. Columns are matched by name (exact, lower case), in any order.
//   The first 15 columns below are required, the others optional; a missing
//   required column, a column named twice or a column that is not in this list is an error (an
//   unknown column is most often a misspelt one, and silently ignoring it would hide that).
//
//   column                 type     rule
//   cell_id                text     non-empty, unique in the file
//   site_id                text     non-empty
//   site_name              text     may be empty
//   lat_deg, lon_deg       number   WGS84, [-90, 90] and [-180, 180]
//   antenna_height_agl_m   number   (0, 1000) m above ground
//   azimuth_deg            number   [0, 360], clockwise from north
//   mech_tilt_deg          number   [-90, 90], positive = down
//   elec_tilt_deg          number   [-90, 90], positive = down
//   bandwidth_mhz          number   (0, 1000] MHz
//   eirp_dbm               number   [-50, 100] dBm, at boresight
//   antenna_pattern        text     non-empty: "omni", "3gpp-65", "3gpp(h=65;v=7)", a pattern
//                                   file "file:antennas/x.msi" relative to this file's folder,
//                                   HCM codes (docs/antennas.md; checked when the run is planned)
//   technology             text     GSM, UMTS, LTE or NR (any letter case)
//   operator               text     may be empty
//   country                text     ISO 3166-1 alpha-2, two capital letters ("DE", "CZ")
//   pci                    integer  optional; LTE 0-503, NR 0-1007 (physical cell identity)
//   psc                    integer  optional; UMTS 0-511 (primary scrambling code)
//   arfcn                  integer  optional; GSM 0-1023 (channel number)
//   An empty code field means "not known"; a code on a cell of another technology is an error.
//   The codes select the cross-border rules (docs/border.md, "Preferential codes").
//   The carrier, at least one of (given together they must agree to 1 kHz):
//   frequency_mhz          number   (0, 100000] MHz, downlink carrier centre
//   downlink_center_mhz    number   the same, under the name of the channel plans
//   earfcn                 integer  LTE 0-262143 (TS 36.101 5.7.3), nrarfcn NR 0-3279165
//   nrarfcn, uarfcn                 (TS 38.104 5.4.2.1), uarfcn UMTS 0-16383 (TS 25.101
//                                   5.4.4), arfcn GSM: converted by core/channels.hpp for the
//                                   European bands; another number needs frequency_mhz too
//
// - Numbers are read with std::from_chars: always a decimal point, whatever the process locale
//   (a German locale cannot turn "50.319" into 50). A decimal comma in the file ("50,319") is an
//   error; unquoted it shows up as a wrong number of fields.
//
// Errors: every problem of every row is collected as "<file>:<line>: <column>: <what>" and one
// grenzfunk::InputError listing them (the first 20, then "... and N more errors") is thrown, so no
// cell of a bad file is ever used. Cell::source is set to "<file>:<line>".
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/cell.hpp"

namespace grenzfunk::io {

// Reads and validates a cell file. `path` is used as written in messages and Cell::source.
std::vector<Cell> read_sites_csv(const std::filesystem::path& path);

// The same for text already in memory; `source_name` stands for the file name in messages.
std::vector<Cell> parse_sites_csv(std::string_view text, const std::string& source_name);

// The cells as a sites file in the format above (every column, numbers in their shortest
// round-trip form, the carrier as frequency_mhz and the cell's channel number): reading the
// text back gives the same cells (source aside). Used by `grenzfunk plan` (proposed_sites.csv).
std::string sites_csv_text(const std::vector<Cell>& cells);

}  // namespace grenzfunk::io
