#include "report/station_records.hpp"

#include "antenna/hcm_antenna.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "analysis/border_rules.hpp"
#include "core/text_format.hpp"

namespace grenzfunk::report {

namespace {

// Rounds half away from zero at `decimals` digits. The nudge of 1e-7 (in units of the last digit)
// makes values whose decimal text ends in 5 but whose binary value lies just below (26.85 is
// 26.8499999...) round as their text reads.
double round_to(double v, int decimals) {
    const double scale = std::pow(10.0, decimals);
    const double scaled = v * scale;
    return std::round(scaled + std::copysign(1e-7, scaled)) / scale;
}

// Fixed-point text of a rounded value, "+" on positive values when `sign`.
std::string number(double v, int decimals, bool sign = false) {
    const double r = round_to(v, decimals);
    std::string s = text::format_fixed(r, decimals);
    if (sign && s.front() != '-') s.insert(s.begin(), '+');
    return s;
}

// Printable ASCII for the fixed-width file: every other character (a UTF-8 sequence counts as
// one) becomes '?', so that one character is one column.
std::string ascii(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0x20 && b < 0x7F) {
            out += char(b);
        } else if (b >= 0xC0 || b < 0x80) {
            out += '?';  // the lead byte of a sequence, or a control character
        }                // continuation bytes (0x80-0xBF) belong to the '?' already written
    }
    return out;
}

// `s` left-aligned in `n` columns (cut to n).
std::string left(std::string_view s, int n) {
    std::string out(s.substr(0, std::size_t(n)));
    out.resize(std::size_t(n), ' ');
    return out;
}
// `s` right-aligned in `n` columns; a value too long for its field becomes n '*' (as Fortran
// writes an overflowing number), never a shifted record.
std::string right(std::string_view s, int n) {
    if (s.size() > std::size_t(n)) return std::string(std::size_t(n), '*');
    return std::string(std::size_t(n) - s.size(), ' ') + std::string(s);
}

// The class of emission (ITU RR Appendix 1 Section I §2) per technology: first symbol G (phase
// modulation: GMSK, QPSK and the OFDM subcarriers' PSK/QAM are written so by convention), second
// 7 (two or more channels of quantized or digital information; GSM: X, cases not otherwise
// covered, as commonly registered), third W (combination: data and telephony). Conventions of
// published frequency registers, not a unique derivation: see docs/border.md.
const char* emission_class(Technology t) {
    switch (t) {
        case Technology::gsm:
            return "GXW";
        case Technology::umts:
        case Technology::lte:
        case Technology::nr:
            return "G7W";
        case Technology::other:
            break;
    }
    return "G7W";
}

// e.r.p. (relative to a half-wave dipole) = e.i.r.p. - 2.15 dB (ITU RR No. 1.161, 1.162).
constexpr double kDipoleGainDbi = 2.15;

}  // namespace

std::string bandwidth_code(double bandwidth_hz) {
    if (!(bandwidth_hz > 0.0) || !std::isfinite(bandwidth_hz)) return "";
    static constexpr std::array<std::pair<double, char>, 4> units = {
        {{1.0, 'H'}, {1e3, 'K'}, {1e6, 'M'}, {1e9, 'G'}}};
    std::size_t u = 0;
    while (u + 1 < units.size() && bandwidth_hz >= units[u + 1].first) ++u;
    double v = bandwidth_hz / units[u].first;
    // Three significant figures; a value that rounds up to 1000 moves to the next unit.
    int integer_digits = v >= 100.0 ? 3 : v >= 10.0 ? 2 : 1;
    v = round_to(v, 3 - integer_digits);
    if (v >= 1000.0 && u + 1 < units.size()) {
        ++u;
        v = round_to(v / 1000.0, 2);
        integer_digits = 1;
    } else if (v >= 10.0 && integer_digits == 1) {
        integer_digits = 2;
    } else if (v >= 100.0 && integer_digits == 2) {
        integer_digits = 3;
    }
    const int decimals = 3 - integer_digits;
    std::string digits = text::format_fixed(v, decimals);
    const std::size_t point = digits.find('.');
    if (point == std::string::npos) return digits + units[u].second;
    digits[point] = units[u].second;
    return digits;
}

std::string emission_designator(Technology technology, double bandwidth_mhz) {
    const std::string bw = bandwidth_code(bandwidth_mhz * 1e6);
    return bw.empty() ? "" : bw + emission_class(technology);
}

std::string station_reference(std::string_view cell_id) {
    // FNV-1a, 64 bit (offset basis 14695981039346656037, prime 1099511628211).
    std::uint64_t h = 14695981039346656037ull;
    for (char c : cell_id) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llX", static_cast<unsigned long long>(h));
    return std::string("GF") + hex;
}

std::string hcm_coordinates(double lon_deg, double lat_deg) {
    auto dms = [](double v, int degree_digits, char positive, char negative) {
        const char hemisphere = v < 0.0 ? negative : positive;
        const long total_s = std::lround(std::fabs(v) * 3600.0);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%0*d%c%02d%02d", degree_digits, int(total_s / 3600),
                      hemisphere, int((total_s / 60) % 60), int(total_s % 60));
        return std::string(buf);
    };
    return dms(lon_deg, 3, 'E', 'W') + dms(lat_deg, 2, 'N', 'S');
}

std::string itu_country_symbol(const std::string& iso) {
    // ITU-R Preface to the BR IFIC, table of geographical area symbols.
    static constexpr std::array<std::pair<const char*, const char*>, 9> table = {{
        {"DE", "D"},
        {"CZ", "CZE"},
        {"AT", "AUT"},
        {"PL", "POL"},
        {"CH", "SUI"},
        {"FR", "F"},
        {"NL", "HOL"},
        {"BE", "BEL"},
        {"DK", "DNK"},
    }};
    for (const auto& [a, b] : table)
        if (iso == a) return b;
    return iso;
}

StationRecord make_station_record(const analysis::BorderCell& bc, double site_height_asl_m) {
    const Cell& c = bc.cell;
    StationRecord r;
    r.reference = station_reference(c.cell_id);
    r.cell_id = c.cell_id;
    r.site_id = c.site_id;
    r.site_name = c.site_name;
    r.operator_name = c.operator_name;
    r.country = c.country;
    r.technology = c.technology;
    r.code = analysis::cell_code_text(c);
    r.code_status = analysis::code_status_name(bc.code_status);
    r.frequency_mhz = c.frequency_mhz;
    r.bandwidth_mhz = c.bandwidth_mhz;
    r.emission_designator = emission_designator(c.technology, c.bandwidth_mhz);
    r.lat_deg = c.lat_deg;
    r.lon_deg = c.lon_deg;
    r.site_height_asl_m = site_height_asl_m;
    r.antenna_height_agl_m = c.antenna_height_agl_m;
    r.eirp_dbw = c.eirp_dbm - 30.0;
    r.erp_dbw = r.eirp_dbw - kDipoleGainDbi;
    r.azimuth_deg = c.azimuth_deg;
    r.elevation_deg = -(c.mech_tilt_deg + c.elec_tilt_deg);
    r.antenna_pattern = c.antenna_pattern;
    // An HCM code given as the pattern ("032EA10": horizontal, vertical 000ND00; or "H/V" as
    // "032EA10/035TA10"); an omni antenna is HCM's non-directional "000ND00" in both planes.
    if (const auto codes = antenna::hcm::pattern_codes(c.antenna_pattern)) {
        r.hcm_antenna_code_h = codes->horizontal;
        r.hcm_antenna_code_v = codes->vertical;
    }
    return r;
}

const std::vector<RecordField>& station_record_layout() {
    // Field codes and value formats: HCM Agreement Annex 2 and the HCM_MS V7 interface
    // (docs/border.md, "Station records", says which positions are confirmed).
    static const std::vector<RecordField> layout = {
        {"1A", "frequency", 1, 12, "99999.99999M"},
        {"7A", "designation of emission", 13, 9, "10M0G7W  "},
        {"4A", "name of the station location", 22, 20, "text"},
        {"4B", "country (ITU symbol)", 42, 3, "XXX"},
        {"4C", "geographical coordinates", 45, 15, "DDDEMMSSDDNMMSS"},
        {"4Z", "height of the site above sea level (m)", 60, 4, "9999"},
        {"8B", "maximum e.r.p. (dBW)", 64, 6, "+999.9"},
        {"9A", "azimuth of maximum radiation (deg)", 70, 5, "999.9"},
        {"9B", "elevation angle of maximum radiation (deg)", 75, 5, "+99.9"},
        {"9XH", "antenna code, horizontal", 80, 7, "000ND00"},
        {"9XV", "antenna code, vertical", 87, 7, "000ND00"},
        {"9Y", "height of the antenna above ground (m)", 94, 4, "9999"},
        {"13X", "reference number of the administration", 98, 20, "text"},
        {"GF1", "e.i.r.p. (dBW), grenzfunk", 118, 6, "+999.9"},
        {"GF2", "technology, grenzfunk", 124, 4, "text"},
        {"GF3", "code (PCI / PSC / ARFCN), grenzfunk", 128, 13, "text"},
        {"GF4", "operator, grenzfunk", 141, 20, "text"},
        {"GF5", "antenna pattern, grenzfunk", 161, 24, "text"},
    };
    return layout;
}

std::string station_records_csv(const std::vector<StationRecord>& records) {
    using text::csv_field;
    std::string out =
        "reference_number,cell_id,site_id,site_name,operator,country,technology,code,code_status,"
        "frequency_mhz,bandwidth_mhz,emission_designator,lat_deg,lon_deg,coordinates_hcm,"
        "site_height_asl_m,antenna_height_agl_m,erp_dbw,eirp_dbw,azimuth_deg,elevation_deg,"
        "hcm_antenna_code_h,hcm_antenna_code_v,antenna_pattern\n";
    for (const StationRecord& r : records) {
        out += csv_field(r.reference);
        for (const std::string& f :
             {r.cell_id, r.site_id, r.site_name, r.operator_name, r.country,
              std::string(technology_name(r.technology)), r.code, r.code_status})
            out.append(",").append(csv_field(f));
        out.append(",").append(number(r.frequency_mhz, 5));
        out.append(",").append(number(r.bandwidth_mhz, 3));
        out.append(",").append(csv_field(r.emission_designator));
        out.append(",").append(number(r.lat_deg, 6));
        out.append(",").append(number(r.lon_deg, 6));
        out.append(",").append(hcm_coordinates(r.lon_deg, r.lat_deg));
        out.append(",").append(std::isfinite(r.site_height_asl_m) ? number(r.site_height_asl_m, 1)
                                                                  : std::string());
        out.append(",").append(number(r.antenna_height_agl_m, 1));
        out.append(",").append(number(r.erp_dbw, 2));
        out.append(",").append(number(r.eirp_dbw, 2));
        out.append(",").append(number(r.azimuth_deg, 1));
        out.append(",").append(number(r.elevation_deg, 1));
        out.append(",").append(r.hcm_antenna_code_h);
        out.append(",").append(r.hcm_antenna_code_v);
        out.append(",").append(csv_field(r.antenna_pattern));
        out += "\n";
    }
    return out;
}

std::string station_records_fixed(const std::vector<StationRecord>& records) {
    std::string out;
    for (const StationRecord& r : records) {
        std::string line;
        line += right(number(r.frequency_mhz, 5), 11) + "M";      // 1A
        line += left(r.emission_designator, 9);                   // 7A
        line += left(ascii(r.site_name), 20);                     // 4A
        line += left(itu_country_symbol(r.country), 3);           // 4B
        line += left(hcm_coordinates(r.lon_deg, r.lat_deg), 15);  // 4C
        line += std::isfinite(r.site_height_asl_m)                // 4Z
                    ? right(number(r.site_height_asl_m, 0), 4)
                    : std::string(4, ' ');
        line += right(number(r.erp_dbw, 1, true), 6);         // 8B
        line += right(number(r.azimuth_deg, 1), 5);           // 9A
        line += right(number(r.elevation_deg, 1, true), 5);   // 9B
        line += left(r.hcm_antenna_code_h, 7);                // 9XH
        line += left(r.hcm_antenna_code_v, 7);                // 9XV
        line += right(number(r.antenna_height_agl_m, 0), 4);  // 9Y
        line += left(r.reference, 20);                        // 13X
        line += right(number(r.eirp_dbw, 1, true), 6);        // GF1
        line += left(technology_name(r.technology), 4);       // GF2
        line += left(r.code, 13);                             // GF3
        line += left(ascii(r.operator_name), 20);             // GF4
        line += left(ascii(r.antenna_pattern), 24);           // GF5
        out += line;
        out += "\r\n";
    }
    return out;
}

}  // namespace grenzfunk::report
