#include "validation/sg3_profile.hpp"
#include "core/text_format.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.hpp"

namespace grenzfunk::validation {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Splits on commas and drops trailing empty cells (spreadsheet exports pad rows with commas).
std::vector<std::string> split_cells(std::string_view line) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        cells.emplace_back(trim(line.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    while (!cells.empty() && cells.back().empty()) cells.pop_back();
    return cells;
}

// A line that is only a tag such as "{Begin of Profile}" (trailing commas allowed).
bool is_tag(const std::vector<std::string>& cells, std::string_view tag) {
    return cells.size() == 1 && text::to_lower(cells[0]) == text::to_lower(tag);
}

class LineReader {
  public:
    LineReader(std::istream& in, const std::string& source) : in_(in), source_(source) {}

    // Next line, carriage return stripped; false at end of file.
    bool next(std::string& line) {
        if (!std::getline(in_, line)) return false;
        ++number_;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return true;
    }
    int number() const { return number_; }
    [[noreturn]] void fail(const std::string& message) const {
        throw InputError(source_ + ":" + std::to_string(number_) + ": " + message);
    }
    double number_or_nan(const std::string& cell, const std::string& what) const {
        if (cell.empty()) return nan;
        double value = 0.0;
        const char* first = cell.data();
        const char* last = cell.data() + cell.size();
        if (*first == '+') ++first;
        const auto [ptr, ec] = std::from_chars(first, last, value);
        if (ec != std::errc() || ptr != last || !std::isfinite(value))
            fail(what + ": '" + cell + "' is not a number");
        return value;
    }

  private:
    std::istream& in_;
    const std::string& source_;
    int number_ = 0;
};

void read_profile_table(LineReader& reader, Sg3Profile& out) {
    std::string line;
    // "Number of Points:,N"
    if (!reader.next(line)) reader.fail("file ends after {Begin of Profile}");
    auto cells = split_cells(line);
    if (cells.size() < 2 || text::to_lower(cells[0]).rfind("number of points", 0) != 0)
        reader.fail("expected 'Number of Points:,<count>' after {Begin of Profile}");
    const double count_value = reader.number_or_nan(cells[1], "Number of Points");
    if (!(count_value >= 2.0) || count_value != std::floor(count_value) || count_value > 1e7)
        reader.fail("Number of Points: expected a whole number >= 2, got '" + cells[1] + "'");
    const auto count = static_cast<std::size_t>(count_value);

    static const char* const names[] = {"distance", "height", "coverage code",
                                        "ground cover height", "radio met code"};
    std::vector<double>* columns[] = {&out.distance_km, &out.height_m, &out.coverage_code,
                                      &out.clutter_height_m, &out.radio_met_code};
    std::size_t width = 0;  // number of columns, fixed by the first row
    for (std::size_t row = 0; row < count; ++row) {
        if (!reader.next(line))
            reader.fail("file ends after " + std::to_string(row) + " of " + std::to_string(count) +
                        " profile points");
        cells = split_cells(line);
        if (!cells.empty() && cells[0].rfind("{", 0) == 0)
            reader.fail("profile has " + std::to_string(row) + " points, 'Number of Points' says " +
                        std::to_string(count));
        if (cells.size() < 2) reader.fail("profile point needs at least distance and height");
        if (row == 0) width = std::min<std::size_t>(cells.size(), 5);
        if (row == 0 && reader.number_or_nan(cells[0], names[0]) != 0.0)
            reader.fail("the first profile point must be at distance 0 km");
        for (std::size_t c = 0; c < width; ++c) {
            const double v = c < cells.size() ? reader.number_or_nan(cells[c], names[c]) : nan;
            if (c < 2 && std::isnan(v)) reader.fail(std::string(names[c]) + " is empty");
            columns[c]->push_back(v);
        }
        const std::size_t k = out.distance_km.size();
        if (k >= 2 && !(out.distance_km[k - 1] > out.distance_km[k - 2]))
            reader.fail("distance " + cells[0] + " km is not greater than the previous point's");
    }
    if (!reader.next(line) || !is_tag(split_cells(line), "{End of Profile}"))
        reader.fail("expected {End of Profile} after " + std::to_string(count) + " points");
}

void read_measurements(LineReader& reader, Sg3Profile& out) {
    std::string line;
    while (true) {
        if (!reader.next(line)) reader.fail("file ends before {End of Measurements}");
        const auto cells = split_cells(line);
        if (cells.empty()) continue;
        if (is_tag(cells, "{End of Measurements}")) return;
        if (cells.size() == 1) continue;  // some files give the number of records here
        Sg3Measurement m;
        m.line = reader.number();
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string what =
                c < out.measurement_columns.size() && !out.measurement_columns[c].empty()
                    ? out.measurement_columns[c]
                    : "column " + std::to_string(c + 1);
            m.values.push_back(reader.number_or_nan(cells[c], what));
        }
        double* fields[] = {&m.frequency_mhz,
                            &m.tx_height_agl_m,
                            &m.tx_effective_height_m,
                            &m.rx_height_agl_m,
                            &m.polarization_code,
                            &m.tx_power_dbm,
                            &m.max_loss_db,
                            &m.tx_gain_dbi,
                            &m.rx_gain_dbi,
                            &m.rx_antenna_directivity,
                            &m.erp_max_horizontal_dbw,
                            &m.erp_max_vertical_dbw,
                            &m.erp_max_total_dbw,
                            &m.hrp_reduction_db,
                            &m.time_percent,
                            &m.loss_relative_to_free_space_db,
                            &m.measured_field_dbuv_per_m,
                            &m.basic_transmission_loss_db};
        for (std::size_t c = 0; c < std::size(fields); ++c)
            *fields[c] = c < m.values.size() ? m.values[c] : nan;
        if (!(m.frequency_mhz > 0.0)) reader.fail("Frequency: expected a positive value in MHz");
        out.measurements.push_back(std::move(m));
    }
}

double header_number(const Sg3Profile& p, std::string_view key) {
    const std::string* value = p.header_value(key);
    if (!value || value->empty()) return nan;
    double number = 0.0;
    const char* first = value->data();
    const char* last = value->data() + value->size();
    if (*first == '+') ++first;
    const auto [ptr, ec] = std::from_chars(first, last, number);
    if (ec != std::errc() || ptr != last || !std::isfinite(number)) {
        int line = 0;
        for (const auto& field : p.header)
            if (&field.value == value) line = field.line;
        throw InputError(p.source + ":" + std::to_string(line) + ": " + std::string(key) + ": '" +
                         *value + "' is not a number");
    }
    return number;
}

}  // namespace

const std::string* Sg3Profile::header_value(std::string_view key) const {
    std::string wanted = text::to_lower(trim(key));
    if (!wanted.empty() && wanted.back() == ':') wanted.pop_back();
    for (const auto& field : header)
        if (text::to_lower(field.key) == wanted) return &field.value;
    return nullptr;
}

Sg3Profile parse_sg3_profile(std::istream& in, const std::string& source) {
    Sg3Profile out;
    out.source = source;
    LineReader reader(in, source);
    std::string line;
    if (!reader.next(line)) reader.fail("empty file");
    {
        const auto cells = split_cells(line);
        out.name = cells.empty() ? std::string() : cells[0];
    }

    bool have_profile = false, have_measurements = false;
    std::vector<std::string> previous_cells, before_previous_cells;
    while (reader.next(line)) {
        const auto cells = split_cells(line);
        if (cells.empty()) continue;
        if (cells[0].rfind("#", 0) == 0) continue;  // comment
        if (is_tag(cells, "{Begin of Meteorology}") || is_tag(cells, "{End of meteorology}"))
            continue;
        if (is_tag(cells, "{Begin of Profile}")) {
            if (have_profile) reader.fail("second {Begin of Profile}");
            // The two lines before the tag name the columns and give their units.
            out.profile_columns = before_previous_cells;
            read_profile_table(reader, out);
            have_profile = true;
        } else if (is_tag(cells, "{Begin of Measurements}")) {
            if (have_measurements) reader.fail("second {Begin of Measurements}");
            out.measurement_columns = before_previous_cells;
            out.measurement_units = previous_cells;
            read_measurements(reader, out);
            have_measurements = true;
        } else if (!have_profile && cells[0].size() > 1 && cells[0].back() == ':') {
            std::string key = cells[0];
            key.pop_back();
            // A value with commas (a decimal comma, a name) is kept whole; numbers then fail.
            std::string value = cells.size() > 1 ? cells[1] : "";
            for (std::size_t c = 2; c < cells.size(); ++c) value += "," + cells[c];
            out.header.push_back({std::string(trim(key)), value, reader.number()});
        }
        before_previous_cells = previous_cells;
        previous_cells = cells;
    }
    if (!have_profile) reader.fail("no {Begin of Profile} section found");

    out.tx_lat_deg = header_number(out, "Tx LAT");
    out.tx_lon_deg = header_number(out, "Tx LON");
    out.rx_lat_deg = header_number(out, "Rx LAT");
    out.rx_lon_deg = header_number(out, "Rx LON");
    out.total_path_length_km = header_number(out, "Tot. Path Length(km)");
    out.delta_n_n_units_per_km = header_number(out, "Average annual values dN (N-units/km)");
    out.n0_n_units =
        header_number(out, "Average annual sea-level surface refractivity No (N-units)");
    if (const std::string* v = out.header_value("First Point TX or RX")) {
        const std::string first = text::to_lower(*v);
        if (first == "r" || first == "rx") {
            out.first_point_is_tx = false;
        } else if (!(first.empty() || first == "t" || first == "tx")) {
            int header_line = 0;
            for (const auto& field : out.header)
                if (&field.value == v) header_line = field.line;
            throw InputError(source + ":" + std::to_string(header_line) +
                             ": First Point TX or RX: expected T or R, got '" + *v + "'");
        }
    }
    if (const std::string* v = out.header_value("Tx site name")) out.tx_site_name = *v;
    if (const std::string* v = out.header_value("Rx site name")) out.rx_site_name = *v;
    if (const std::string* v = out.header_value("Tx Country")) out.tx_country = *v;
    return out;
}

Sg3Profile read_sg3_profile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot open SG3 profile file");
    return parse_sg3_profile(in, path);
}

}  // namespace grenzfunk::validation
