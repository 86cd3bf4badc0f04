// A transmitting cell (one sector of one site on one carrier): what the sites files describe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

    // Physical-layer code or channel, for the preferential/non-preferential split of the
    // cross-border rules (docs/border.md): the physical cell identity (LTE 0-503, NR 0-1007,
    // 3GPP TS 36.211 6.11 / TS 38.211 7.4.2.1), the UMTS primary scrambling code (0-511,
    // TS 25.213 5.2.2) and the GSM channel number (ARFCN, TS 45.005 2). Empty = not known.
    std::optional<int> pci;
    std::optional<int> psc;
    std::optional<int> arfcn;
    // Channel numbers of the other technologies (core/channels.hpp); the GSM one is `arfcn`.
    // When set, frequency_mhz is the channel's downlink centre.
    std::optional<int> earfcn;   // LTE, TS 36.101 5.7.3
    std::optional<int> nrarfcn;  // NR, TS 38.104 5.4.2.1
    std::optional<int> uarfcn;   // UMTS, TS 25.101 5.4.4

    // Where the cell came from, for error messages: "file:line".
    std::string source;
};

const char* technology_name(Technology t);

// Names that become file names (a cell id in cells/<cell_id>_path_loss_db.tif, the scenario
// name in the default output folder out/<name>): 1 to 64 characters from A-Z, a-z, 0-9, '.',
// '_', '-' and '+', not starting with '.' or '-'. Such a name cannot leave its folder, hide a
// file, or be read as an option. Returns "" for a valid name, else what is wrong.
constexpr std::size_t kMaxFileNameIdLength = 64;
std::string file_name_id_problem(std::string_view id);

// Text fields (site names, operators, ...): valid UTF-8 without control characters other than
// line breaks and tabs (so every CSV, JSON and HTML output stays valid), at most 256 bytes. Returns
// "" or what is wrong.
constexpr std::size_t kMaxTextFieldBytes = 256;
std::string text_field_problem(std::string_view text);

}  // namespace grenzfunk
