#include "io/hcm_cases_csv.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <fstream>

#include "core/error.hpp"
#include "io/text_input.hpp"

namespace grenzfunk::io {

namespace {

using detail::ErrorList;

enum Column : std::size_t {
    case_id,
    c_mode,
    tx_coord,
    rx_coord,
    tx_height,
    rx_height,
    frequency,
    power,
    power_type,
    code_h,
    code_v,
    azimuth,
    elevation,
    occupation,
    required_count
};

constexpr std::array<const char*, required_count> required_names = {"case_id",
                                                                    "c_mode",
                                                                    "tx_coord_hcm",
                                                                    "rx_coord_hcm",
                                                                    "tx_antenna_height_agl_m",
                                                                    "rx_antenna_height_agl_m",
                                                                    "frequency_mhz",
                                                                    "power_dbw",
                                                                    "power_type",
                                                                    "tx_antenna_code_h",
                                                                    "tx_antenna_code_v",
                                                                    "tx_azimuth_deg",
                                                                    "tx_elevation_deg",
                                                                    "channel_occupation"};

bool valid_case_id(const std::string& id) {
    if (id.empty() || id.size() > 64 || id[0] == '.' || id[0] == '-') return false;
    for (char ch : id) {
        const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                        (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
        if (!ok) return false;
    }
    return true;
}

bool digits(const std::string& s, std::size_t pos, std::size_t count, int& value) {
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

}  // namespace

bool parse_hcm_coordinates(const std::string& text, double& lon_deg, double& lat_deg) {
    // DDD E MM SS DD N MM SS: 3 + 1 + 2 + 2 + 2 + 1 + 2 + 2 = 15 characters.
    if (text.size() != 15) return false;
    int lon_d = 0, lon_m = 0, lon_s = 0, lat_d = 0, lat_m = 0, lat_s = 0;
    if (!digits(text, 0, 3, lon_d) || !digits(text, 4, 2, lon_m) || !digits(text, 6, 2, lon_s) ||
        !digits(text, 8, 2, lat_d) || !digits(text, 11, 2, lat_m) || !digits(text, 13, 2, lat_s))
        return false;
    const char ew = text[3], ns = text[10];
    if ((ew != 'E' && ew != 'W') || (ns != 'N' && ns != 'S')) return false;
    if (lon_m >= 60 || lon_s >= 60 || lat_m >= 60 || lat_s >= 60) return false;
    lon_deg = lon_d + lon_m / 60.0 + lon_s / 3600.0;
    lat_deg = lat_d + lat_m / 60.0 + lat_s / 3600.0;
    if (lon_deg > 180.0 || lat_deg > 90.0) return false;
    if (ew == 'W') lon_deg = -lon_deg;
    if (ns == 'S') lat_deg = -lat_deg;
    return true;
}

std::vector<HcmCaseInput> read_hcm_cases_csv(const std::filesystem::path& path) {
    const std::string source = path.string();
    const std::string text = detail::read_text_file(path, "HCM cases file");
    const auto records = detail::split_csv(text);
    ErrorList errors(source);
    if (records.empty()) {
        errors.add_file("empty file: expected a header line with case_id, c_mode, ...");
        errors.throw_if_any();
    }
    const auto& header = records.front();
    std::array<std::size_t, required_count> index{};
    index.fill(SIZE_MAX);
    std::vector<std::string> names;
    for (std::size_t f = 0; f < header.fields.size(); ++f) {
        const std::string name(detail::trim(header.fields[f]));
        names.push_back(name);
        for (std::size_t c = 0; c < required_count; ++c)
            if (name == required_names[c]) {
                if (index[c] != SIZE_MAX) errors.add(header.line, name, "column appears twice");
                index[c] = f;
            }
    }
    for (std::size_t c = 0; c < required_count; ++c)
        if (index[c] == SIZE_MAX) errors.add(header.line, required_names[c], "column missing");
    errors.throw_if_any();

    std::vector<HcmCaseInput> cases;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& rec = records[r];
        if (!rec.syntax_error.empty()) {
            errors.add_row(rec.line, rec.syntax_error);
            continue;
        }
        if (rec.fields.size() != header.fields.size()) {
            errors.add_row(rec.line, std::to_string(rec.fields.size()) +
                                         " fields, the header has " +
                                         std::to_string(header.fields.size()));
            continue;
        }
        auto field = [&](Column c) { return std::string(detail::trim(rec.fields[index[c]])); };
        auto number = [&](Column c, double min, double max, double& out) {
            std::string why;
            const auto v = detail::parse_double(field(c), why);
            if (!v) {
                errors.add(rec.line, required_names[c], why);
            } else if (!(*v >= min && *v <= max)) {
                errors.add(rec.line, required_names[c],
                           detail::format_number(*v) + " is out of range [" +
                               detail::format_number(min) + ", " + detail::format_number(max) +
                               "]");
            } else {
                out = *v;
            }
        };
        auto whole = [&](Column c, std::int64_t min, std::int64_t max, int& out) {
            std::string why;
            const auto v = detail::parse_integer(field(c), why);
            if (!v)
                errors.add(rec.line, required_names[c], why + " (HCM wants a whole number)");
            else if (*v < min || *v > max)
                errors.add(rec.line, required_names[c],
                           std::to_string(*v) + " is out of range [" + std::to_string(min) + ", " +
                               std::to_string(max) + "]");
            else
                out = int(*v);
        };
        HcmCaseInput c;
        c.line = rec.line;
        c.case_id = field(case_id);
        if (!valid_case_id(c.case_id))
            errors.add(rec.line, "case_id",
                       detail::quoted(c.case_id) +
                           " is not a name of 1-64 letters, digits, '_', '-', '.'");
        whole(c_mode, -99, 99, c.c_mode);
        if (c.c_mode != 99 && c.c_mode != 10)
            errors.add(rec.line, "c_mode",
                       std::to_string(c.c_mode) + ": grenzfunk evaluates modes 99 and 10");
        if (!parse_hcm_coordinates(field(tx_coord), c.tx_lon_deg, c.tx_lat_deg))
            errors.add(rec.line, "tx_coord_hcm",
                       detail::quoted(field(tx_coord)) + " is not DDDEMMSSDDNMMSS");
        if (!parse_hcm_coordinates(field(rx_coord), c.rx_lon_deg, c.rx_lat_deg))
            errors.add(rec.line, "rx_coord_hcm",
                       detail::quoted(field(rx_coord)) + " is not DDDEMMSSDDNMMSS");
        whole(tx_height, 0, 9999, c.tx_antenna_height_agl_m);
        whole(rx_height, 0, 9999, c.rx_antenna_height_agl_m);
        number(frequency, 1e-3, 1e6, c.frequency_mhz);
        number(power, -99.9, 99.9, c.power_dbw);
        const std::string type = field(power_type);
        if (type == "E")
            c.power_type = HcmPowerType::erp;
        else if (type == "I")
            c.power_type = HcmPowerType::eirp;
        else
            errors.add(rec.line, "power_type", detail::quoted(type) + " is not E or I");
        c.tx_antenna_code_h = field(code_h);
        c.tx_antenna_code_v = field(code_v);
        for (Column k : {code_h, code_v})
            if (field(k).size() != 7)
                errors.add(rec.line, required_names[k],
                           detail::quoted(field(k)) + " is not a 7-character antenna code");
        number(azimuth, 0.0, 360.0, c.tx_azimuth_deg);
        number(elevation, -90.0, 90.0, c.tx_elevation_deg);
        whole(occupation, 0, 1, c.channel_occupation);
        for (std::size_t f = 0; f < names.size(); ++f) {
            bool required = false;
            for (std::size_t k = 0; k < required_count; ++k) required = required || index[k] == f;
            if (required) continue;
            const std::string value(detail::trim(rec.fields[f]));
            if ((names[f] == "tx_site_height_input_m" || names[f] == "rx_site_height_input_m") &&
                !value.empty()) {
                std::string why;
                const auto v = detail::parse_double(value, why);
                if (!v || !(*v >= -500.0 && *v <= 9000.0))
                    errors.add(rec.line, names[f],
                               v ? value + " m is out of range [-500, 9000]" : why);
                else
                    (names[f][0] == 't' ? c.tx_site_height_m : c.rx_site_height_m) = *v;
            }
            c.other_columns[names[f]] = value;
        }
        cases.push_back(std::move(c));
    }
    if (cases.empty() && errors.empty()) errors.add_file("no cases: the file has a header only");
    errors.throw_if_any();
    return cases;
}

bool is_hcm_cases_csv(const std::filesystem::path& path) {
    // The header line only: the cases are read once, by whichever reader the layout needs.
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": cannot open cases file");
    std::string text;
    std::getline(in, text);
    detail::CsvReader reader(text);
    detail::CsvRecord header;
    if (!reader.next(header)) return false;
    bool mode = false, coord = false;
    for (const auto& f : header.fields) {
        mode = mode || detail::trim(f) == "c_mode";
        coord = coord || detail::trim(f) == "tx_coord_hcm";
    }
    return mode && coord;
}

}  // namespace grenzfunk::io
