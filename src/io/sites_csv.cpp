#include "io/sites_csv.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "core/channels.hpp"
#include "core/text_format.hpp"
#include "io/text_input.hpp"

namespace grenzfunk::io {

namespace {

using detail::ErrorList;
using detail::Limit;
namespace limits = detail::limits;

// The columns, in the order of the documented schema (the file may order them freely).
enum Column : std::size_t {
    cell_id,
    site_id,
    site_name,
    lat_deg,
    lon_deg,
    antenna_height_agl_m,
    azimuth_deg,
    mech_tilt_deg,
    elec_tilt_deg,
    bandwidth_mhz,
    eirp_dbm,
    antenna_pattern,
    technology,
    operator_name,
    country,
    // Optional columns (may be missing from the header; an empty field = not known).
    // The carrier: frequency_mhz, downlink_center_mhz or a channel number (at least one).
    frequency_mhz,
    downlink_center_mhz,
    pci,
    psc,
    arfcn,
    earfcn,
    nrarfcn,
    uarfcn,
    column_count
};
constexpr std::size_t first_optional_column = frequency_mhz;

constexpr std::array<const char*, column_count> column_names = {"cell_id",
                                                                "site_id",
                                                                "site_name",
                                                                "lat_deg",
                                                                "lon_deg",
                                                                "antenna_height_agl_m",
                                                                "azimuth_deg",
                                                                "mech_tilt_deg",
                                                                "elec_tilt_deg",
                                                                "bandwidth_mhz",
                                                                "eirp_dbm",
                                                                "antenna_pattern",
                                                                "technology",
                                                                "operator",
                                                                "country",
                                                                "frequency_mhz",
                                                                "downlink_center_mhz",
                                                                "pci",
                                                                "psc",
                                                                "arfcn",
                                                                "earfcn",
                                                                "nrarfcn",
                                                                "uarfcn"};

struct NumberColumn {
    Column column;
    double Cell::*member;
    Limit limit;
};

constexpr std::array<NumberColumn, 8> number_columns = {{
    {lat_deg, &Cell::lat_deg, limits::lat_deg},
    {lon_deg, &Cell::lon_deg, limits::lon_deg},
    {antenna_height_agl_m, &Cell::antenna_height_agl_m, limits::antenna_height_agl_m},
    {azimuth_deg, &Cell::azimuth_deg, limits::azimuth_deg},
    {mech_tilt_deg, &Cell::mech_tilt_deg, limits::tilt_deg},
    {elec_tilt_deg, &Cell::elec_tilt_deg, limits::tilt_deg},
    {bandwidth_mhz, &Cell::bandwidth_mhz, limits::bandwidth_mhz},
    {eirp_dbm, &Cell::eirp_dbm, limits::eirp_dbm},
}};

std::string known_columns_text() {
    std::string s;
    for (std::size_t i = 0; i < column_count; ++i)
        s += (i ? ", " : "") + std::string(column_names[i]);
    return s;
}

bool is_country_code(std::string_view s) {
    return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

// Maps header fields onto columns; reports missing, repeated and unknown names.
// Returns, for each column, the index of its field in a row.
std::optional<std::array<std::size_t, column_count>> map_header(const detail::CsvRecord& header,
                                                                ErrorList& errors) {
    constexpr std::size_t unset = static_cast<std::size_t>(-1);
    std::array<std::size_t, column_count> field_of{};
    field_of.fill(unset);
    bool ok = true;
    if (!header.syntax_error.empty()) {
        errors.add_row(header.line, "header: " + header.syntax_error);
        return std::nullopt;
    }
    for (std::size_t f = 0; f < header.fields.size(); ++f) {
        std::string_view name = detail::trim(header.fields[f]);
        std::size_t c = 0;
        while (c < column_count && name != column_names[c]) ++c;
        if (c == column_count) {
            std::string what = "unknown column '" + std::string(name) + "' (field " +
                               std::to_string(f + 1) +
                               "); the columns are: " + known_columns_text();
            if (name.find(';') != std::string_view::npos)
                what += " (is the file separated by ';'? grenzfunk reads ',' only)";
            errors.add_row(header.line, "header: " + what);
            ok = false;
        } else if (field_of[c] != unset) {
            errors.add_row(header.line, "header: column '" + std::string(name) +
                                            "' appears twice (fields " +
                                            std::to_string(field_of[c] + 1) + " and " +
                                            std::to_string(f + 1) + ")");
            ok = false;
        } else {
            field_of[c] = f;
        }
    }
    for (std::size_t c = 0; c < first_optional_column; ++c) {
        if (field_of[c] == unset) {
            errors.add_row(header.line, "header: required column '" + std::string(column_names[c]) +
                                            "' is missing");
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return field_of;
}

// The optional code columns: each belongs to its technologies (a PCI on a GSM cell is a
// mistake, not a value to ignore) and has the range of its standard (3GPP TS 36.211 6.11: 504
// LTE PCIs; TS 38.211 7.4.2.1: 1008 NR PCIs; TS 25.213 5.2.2: 512 primary scrambling codes;
// TS 45.005 2: ARFCN 0-1023).
template <class FieldOf>
void read_codes(const FieldOf& field, std::size_t line, Cell& cell, ErrorList& errors) {
    struct CodeColumn {
        Column column;
        std::optional<int> Cell::*member;
        const char* technologies;  // for the message
    };
    const std::array<CodeColumn, 6> code_columns = {{
        {pci, &Cell::pci, "LTE and NR"},
        {psc, &Cell::psc, "UMTS"},
        {arfcn, &Cell::arfcn, "GSM"},
        {earfcn, &Cell::earfcn, "LTE"},
        {nrarfcn, &Cell::nrarfcn, "NR"},
        {uarfcn, &Cell::uarfcn, "UMTS"},
    }};
    for (const auto& cc : code_columns) {
        const std::string_view text = field(cc.column);
        if (text.empty()) continue;
        const char* name = column_names[cc.column];
        std::int64_t max_code = -1;
        if (cc.column == pci && cell.technology == Technology::lte) max_code = 503;
        if (cc.column == pci && cell.technology == Technology::nr) max_code = 1007;
        if (cc.column == psc && cell.technology == Technology::umts) max_code = 511;
        if (cc.column == arfcn && cell.technology == Technology::gsm) max_code = 1023;
        // Channel-number ranges: TS 36.101 5.7.3 (EARFCN 0-262143), TS 38.104 5.4.2.1 (global
        // raster 0-3279165), TS 25.101 5.4.4 (UARFCN 0-16383, 14 bits).
        if (cc.column == earfcn && cell.technology == Technology::lte) max_code = 262143;
        if (cc.column == nrarfcn && cell.technology == Technology::nr) max_code = 3279165;
        if (cc.column == uarfcn && cell.technology == Technology::umts) max_code = 16383;
        if (max_code < 0) {
            errors.add(line, name,
                       std::string("only ") + cc.technologies + " cells have one (this cell is " +
                           technology_name(cell.technology) + "); leave the field empty");
            continue;
        }
        std::string why;
        const auto v = detail::parse_integer(text, why);
        if (!v) {
            errors.add(line, name, why);
        } else if (*v < 0 || *v > max_code) {
            errors.add(line, name,
                       std::to_string(*v) + " is out of range [0, " + std::to_string(max_code) +
                           "] for " + technology_name(cell.technology));
        } else {
            cell.*cc.member = int(*v);
        }
    }
}

// The carrier centre from frequency_mhz, downlink_center_mhz and the cell's channel number (read
// by read_codes): given together they must agree to 1 kHz; a channel number outside the band
// tables needs one of the frequencies.
template <class FieldOf>
void read_carrier(const FieldOf& field, std::size_t line, Cell& cell, ErrorList& errors) {
    constexpr double agree_mhz = 0.001;
    std::optional<double> given;
    const char* given_column = nullptr;
    for (Column c : {frequency_mhz, downlink_center_mhz}) {
        const std::string_view text = field(c);
        if (text.empty()) continue;
        std::string why;
        auto value = detail::parse_double(text, why);
        if (!value) {
            errors.add(line, column_names[c], why);
            return;
        }
        if (std::string range_error = detail::check_limit(*value, limits::frequency_mhz);
            !range_error.empty()) {
            errors.add(line, column_names[c], range_error);
            return;
        }
        if (given && std::abs(*given - *value) > agree_mhz) {
            errors.add(line, column_names[c],
                       text::format_fixed(*value, 3) + " MHz disagrees with " + given_column + " " +
                           text::format_fixed(*given, 3) + " MHz");
            return;
        }
        given = value;
        given_column = column_names[c];
    }
    std::optional<channels::DownlinkChannel> channel;
    const char* channel_column = nullptr;
    std::optional<int> number;
    if (cell.technology == Technology::lte && cell.earfcn) {
        channel = channels::lte_downlink(*cell.earfcn);
        channel_column = column_names[earfcn];
        number = cell.earfcn;
    } else if (cell.technology == Technology::nr && cell.nrarfcn) {
        channel = channels::nr_downlink(*cell.nrarfcn);
        channel_column = column_names[nrarfcn];
        number = cell.nrarfcn;
    } else if (cell.technology == Technology::umts && cell.uarfcn) {
        channel = channels::umts_downlink(*cell.uarfcn);
        channel_column = column_names[uarfcn];
        number = cell.uarfcn;
    } else if (cell.technology == Technology::gsm && cell.arfcn) {
        channel = channels::gsm_downlink(*cell.arfcn);
        channel_column = column_names[arfcn];
        number = cell.arfcn;
    }
    if (channel) {
        if (given && std::abs(*given - channel->downlink_mhz) > agree_mhz) {
            errors.add(line, given_column,
                       text::format_fixed(*given, 3) + " MHz disagrees with " + channel_column +
                           " " + std::to_string(*number) + " (downlink " +
                           text::format_fixed(channel->downlink_mhz, 3) + " MHz, band " +
                           channel->band + "); give one of them, or the matching pair");
            return;
        }
        cell.frequency_mhz = channel->downlink_mhz;
        return;
    }
    if (given) {
        cell.frequency_mhz = *given;
        return;
    }
    if (number)
        errors.add(line, channel_column,
                   std::to_string(*number) +
                       " lies in none of the bands grenzfunk converts (docs/scenario.md); give "
                       "frequency_mhz too");
    else
        errors.add(line, "frequency_mhz",
                   "empty; give the carrier as frequency_mhz, downlink_center_mhz or a channel "
                   "number (earfcn, nrarfcn, uarfcn, arfcn)");
}

}  // namespace

std::vector<Cell> parse_sites_csv(std::string_view text, const std::string& source_name) {
    ErrorList errors(source_name);
    detail::CsvReader reader(text);
    detail::CsvRecord header;
    if (!reader.next(header)) {
        errors.add_file("empty sites file: expected a header line (" + known_columns_text() +
                        ") and one row per cell");
        errors.throw_if_any();
    }
    const auto field_of = map_header(header, errors);
    errors.throw_if_any();  // without a usable header no row can be checked
    const std::size_t expected_fields = header.fields.size();

    std::vector<Cell> cells;
    // Rows are read one at a time (a national file has 10^6 rows): only the cells are kept.
    cells.reserve(std::min<std::size_t>(std::size_t(std::count(text.begin(), text.end(), '\n')),
                                        std::size_t(1) << 24));
    std::unordered_map<std::string, std::size_t> line_of_id;
    line_of_id.reserve(cells.capacity());

    std::size_t rows = 0;
    for (detail::CsvRecord rec; reader.next(rec);) {
        ++rows;
        const std::size_t line = rec.line;
        if (!rec.syntax_error.empty()) {
            errors.add_row(line, rec.syntax_error);
            continue;
        }
        if (rec.fields.size() != expected_fields) {
            std::string what = "wrong number of fields: " + std::to_string(rec.fields.size()) +
                               ", the header has " + std::to_string(expected_fields);
            if (rec.fields.size() > expected_fields)
                what += " (a decimal comma, or a ',' in a text that is not in quotes?)";
            errors.add_row(line, what);
            continue;
        }
        auto field = [&](Column c) {
            const std::size_t f = (*field_of)[c];
            return f < rec.fields.size() ? detail::trim(rec.fields[f]) : std::string_view();
        };

        Cell cell;
        cell.source = source_name + ":" + std::to_string(line);

        for (const auto& nc : number_columns) {
            std::string why;
            auto value = detail::parse_double(field(nc.column), why);
            if (!value) {
                errors.add(line, column_names[nc.column], why);
                continue;
            }
            std::string range_error = detail::check_limit(*value, nc.limit);
            if (!range_error.empty()) {
                errors.add(line, column_names[nc.column], range_error);
                continue;
            }
            cell.*nc.member = *value;
        }

        cell.cell_id = std::string(field(cell_id));
        if (cell.cell_id.empty()) {
            errors.add(line, "cell_id", "empty; every cell needs an id");
        } else if (const std::string why = file_name_id_problem(cell.cell_id); !why.empty()) {
            errors.add(line, "cell_id", why + " (a cell id names files)");
        } else if (auto [it, inserted] = line_of_id.emplace(cell.cell_id, line); !inserted) {
            errors.add(line, "cell_id",
                       "duplicate id '" + cell.cell_id + "' (first on line " +
                           std::to_string(it->second) + ")");
        }
        cell.site_id = std::string(field(site_id));
        if (cell.site_id.empty()) errors.add(line, "site_id", "empty; every cell needs a site id");
        cell.site_name = std::string(field(site_name));

        cell.antenna_pattern = std::string(field(antenna_pattern));
        if (cell.antenna_pattern.empty())
            errors.add(line, "antenna_pattern", "empty; name a pattern such as 3gpp-65 or omni");

        if (auto tech = detail::parse_technology(field(technology)))
            cell.technology = *tech;
        else
            errors.add(line, "technology",
                       detail::quoted(field(technology)) +
                           " is not a known technology; use GSM, UMTS, LTE or NR");

        cell.operator_name = std::string(field(operator_name));
        cell.country = std::string(field(country));
        if (!is_country_code(cell.country))
            errors.add(line, "country",
                       detail::quoted(cell.country) +
                           " is not an ISO 3166-1 alpha-2 code (two capitals, e.g. DE or CZ)");

        for (const auto& [column, value] :
             {std::pair{"site_id", &cell.site_id}, std::pair{"site_name", &cell.site_name},
              std::pair{"operator", &cell.operator_name}})
            if (const std::string why = text_field_problem(*value); !why.empty())
                errors.add(line, column, why);

        read_codes(field, line, cell, errors);
        read_carrier(field, line, cell, errors);
        cells.push_back(std::move(cell));
    }
    if (rows == 0) errors.add_file("no cells: the file has a header line but no rows");
    errors.throw_if_any();
    return cells;
}

std::vector<Cell> read_sites_csv(const std::filesystem::path& path) {
    return parse_sites_csv(detail::read_text_file(path, "sites file"), path.string());
}

std::string sites_csv_text(const std::vector<Cell>& cells) {
    std::string out =
        "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
        "mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,"
        "technology,operator,country,pci,psc,arfcn,earfcn,nrarfcn,uarfcn\n";
    const auto number = [](double v) { return detail::format_number(v); };
    const auto code = [](const std::optional<int>& v) {
        return v ? std::to_string(*v) : std::string();
    };
    for (const Cell& c : cells) {
        const std::string fields[] = {text::csv_field(c.cell_id),
                                      text::csv_field(c.site_id),
                                      text::csv_field(c.site_name),
                                      number(c.lat_deg),
                                      number(c.lon_deg),
                                      number(c.antenna_height_agl_m),
                                      number(c.azimuth_deg),
                                      number(c.mech_tilt_deg),
                                      number(c.elec_tilt_deg),
                                      number(c.frequency_mhz),
                                      number(c.bandwidth_mhz),
                                      number(c.eirp_dbm),
                                      text::csv_field(c.antenna_pattern),
                                      technology_name(c.technology),
                                      text::csv_field(c.operator_name),
                                      text::csv_field(c.country),
                                      code(c.pci),
                                      code(c.psc),
                                      code(c.arfcn),
                                      code(c.earfcn),
                                      code(c.nrarfcn),
                                      code(c.uarfcn)};
        for (std::size_t i = 0; i < std::size(fields); ++i)
            out.append(i ? "," : "").append(fields[i]);
        out += '\n';
    }
    return out;
}

}  // namespace grenzfunk::io
