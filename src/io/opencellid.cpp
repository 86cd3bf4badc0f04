#include "io/opencellid.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "core/error.hpp"
#include "io/text_input.hpp"

namespace grenzfunk::io {

namespace {

using detail::ErrorList;
namespace limits = detail::limits;

// ---- The default table: the ONLY place these numbers live. ---------------------------------
// Reasoning and sources: docs/opencellid-defaults.md. Keep the two in step.
struct TechDefaults {
    Technology technology;
    const char* key_prefix;  // parameter keys "<prefix>_<field>"
    OpenCellIdDefaults values;
};

// clang-format off
constexpr std::array<TechDefaults, 4> default_table = {{
    //                       height  mech  elec  frequency  bandwidth  EIRP
    //                        m AGL  deg   deg   MHz        MHz        dBm
    {Technology::gsm,  "gsm",  {30.0, 0.0, 2.0,   942.5,     0.2,      55.0}},  // E-GSM 900 DL centre
    {Technology::umts, "umts", {30.0, 0.0, 3.0,  2140.0,     5.0,      57.0}},  // band 1 DL centre
    {Technology::lte,  "lte",  {30.0, 0.0, 3.0,   806.0,    10.0,      59.0}},  // band 20 DL centre
    {Technology::nr,   "nr",   {25.0, 0.0, 6.0,  3600.0,   100.0,      70.0}},  // n78
}};
// clang-format on

constexpr const char* omni_pattern = "omni";
constexpr double omni_azimuth_deg = 0.0;

const TechDefaults& table_entry(Technology t) {
    for (const auto& e : default_table)
        if (e.technology == t) return e;
    throw InputError(std::string("OpenCelliD import: no defaults for technology ") +
                     technology_name(t));
}

// Applies the overrides of `params` for one technology; appends "key: what" to `problems`.
OpenCellIdDefaults apply_overrides(const TechDefaults& entry, const ParameterSet& params,
                                   std::vector<std::string>& problems) {
    OpenCellIdDefaults v = entry.values;
    struct Field {
        const char* name;
        double OpenCellIdDefaults::*member;
        detail::Limit limit;
    };
    const std::array<Field, 6> fields = {{
        {"antenna_height_agl_m", &OpenCellIdDefaults::antenna_height_agl_m,
         limits::antenna_height_agl_m},
        {"mech_tilt_deg", &OpenCellIdDefaults::mech_tilt_deg, limits::tilt_deg},
        {"elec_tilt_deg", &OpenCellIdDefaults::elec_tilt_deg, limits::tilt_deg},
        {"frequency_mhz", &OpenCellIdDefaults::frequency_mhz, limits::frequency_mhz},
        {"bandwidth_mhz", &OpenCellIdDefaults::bandwidth_mhz, limits::bandwidth_mhz},
        {"eirp_dbm", &OpenCellIdDefaults::eirp_dbm, limits::eirp_dbm},
    }};
    for (const auto& f : fields) {
        const std::string key = std::string(entry.key_prefix) + "_" + f.name;
        double value = 0.0;
        try {
            value = params.get_double(key, v.*f.member);
        } catch (const InputError& e) {
            problems.emplace_back(e.what());
            continue;
        }
        std::string range_error = detail::check_limit(value, f.limit);
        if (!range_error.empty()) {
            problems.push_back(key + ": " + range_error);
            continue;
        }
        v.*f.member = value;
    }
    return v;
}

[[noreturn]] void throw_parameter_problems(const std::vector<std::string>& problems) {
    std::string message = "OpenCelliD import parameters: ";
    if (problems.size() == 1) throw InputError(message + problems.front());
    message += std::to_string(problems.size()) + " errors:";
    for (const auto& p : problems) message += "\n  " + p;
    throw InputError(message);
}

// ---- Operators and countries ---------------------------------------------------------------

struct CountryEntry {
    std::int64_t mcc;
    const char* country;
};
constexpr std::array<CountryEntry, 2> countries = {{{230, "CZ"}, {262, "DE"}}};

struct OperatorEntry {
    std::int64_t mcc;
    std::int64_t net;
    const char* name;
};
constexpr std::array<OperatorEntry, 7> operators = {{
    {230, 1, "T-Mobile CZ"},
    {230, 2, "O2 CZ"},
    {230, 3, "Vodafone CZ"},
    {262, 1, "Telekom DE"},
    {262, 2, "Vodafone DE"},
    {262, 3, "O2 DE"},
    {262, 7, "O2 DE"},
}};

std::string two_digits(std::int64_t net) {
    std::string s = std::to_string(net);
    return s.size() < 2 ? "0" + s : s;
}

std::string operator_name(std::int64_t mcc, std::int64_t net) {
    for (const auto& o : operators)
        if (o.mcc == mcc && o.net == net) return o.name;
    return std::to_string(mcc) + "-" + two_digits(net);
}

// ---- Columns -------------------------------------------------------------------------------

constexpr std::array<const char*, 14> column_names = {
    "radio", "mcc",   "net",     "area",       "cell",    "unit",    "lon",
    "lat",   "range", "samples", "changeable", "created", "updated", "averageSignal"};
enum Column : std::size_t { radio, mcc, net, area, cell, unit, lon, lat };

std::string column_list() {
    std::string s;
    for (std::size_t i = 0; i < column_names.size(); ++i)
        s += (i ? ", " : "") + std::string(column_names[i]);
    return s;
}

}  // namespace

OpenCellIdDefaults opencellid_builtin_defaults(Technology t) {
    return table_entry(t).values;
}

OpenCellIdDefaults opencellid_defaults(Technology t, const ParameterSet& params) {
    std::vector<std::string> problems;
    OpenCellIdDefaults v = apply_overrides(table_entry(t), params, problems);
    if (!problems.empty()) throw_parameter_problems(problems);
    return v;
}

std::vector<Cell> parse_opencellid(std::string_view text, const std::string& source_name,
                                   const ParameterSet& params) {
    // Every override is checked up front, whether or not the file has cells of its technology.
    std::array<OpenCellIdDefaults, default_table.size()> defaults{};
    {
        std::vector<std::string> problems;
        for (std::size_t i = 0; i < default_table.size(); ++i)
            defaults[i] = apply_overrides(default_table[i], params, problems);
        if (!problems.empty()) throw_parameter_problems(problems);
    }
    auto defaults_for = [&](Technology t) -> const OpenCellIdDefaults& {
        for (std::size_t i = 0; i < default_table.size(); ++i)
            if (default_table[i].technology == t) return defaults[i];
        return defaults[0];  // unreachable: parse_technology only yields table technologies
    };

    ErrorList errors(source_name);
    const auto records = detail::split_csv(text);
    if (records.empty()) {
        errors.add_file("empty OpenCelliD file: expected rows of " + column_list());
        errors.throw_if_any();
    }

    std::size_t first_row = 0;
    const auto& first = records.front();
    if (!first.fields.empty() && detail::iequals(detail::trim(first.fields[0]), "radio")) {
        first_row = 1;  // a header line: it must be OpenCelliD's own
        if (first.fields.size() != column_names.size()) {
            errors.add_row(first.line, "header: " + std::to_string(first.fields.size()) +
                                           " columns, expected the 14 OpenCelliD columns " +
                                           column_list());
        } else {
            for (std::size_t i = 0; i < column_names.size(); ++i)
                if (!detail::iequals(detail::trim(first.fields[i]), column_names[i]))
                    errors.add_row(first.line,
                                   "header: field " + std::to_string(i + 1) + " is '" +
                                       first.fields[i] + "', expected '" + column_names[i] +
                                       "' (OpenCelliD's fixed column order: " + column_list() +
                                       ")");
        }
        errors.throw_if_any();
        if (records.size() == 1) {
            errors.add_file("no cells: the file has a header line but no rows");
            errors.throw_if_any();
        }
    }

    std::vector<Cell> cells;
    cells.reserve(records.size() - first_row);
    std::unordered_map<std::string, std::size_t> line_of_id;

    for (std::size_t r = first_row; r < records.size(); ++r) {
        const auto& rec = records[r];
        const std::size_t line = rec.line;
        if (!rec.syntax_error.empty()) {
            errors.add_row(line, rec.syntax_error);
            continue;
        }
        if (rec.fields.size() != column_names.size()) {
            std::string what = "wrong number of fields: " + std::to_string(rec.fields.size()) +
                               ", expected 14 (" + column_list() + ")";
            if (rec.fields.size() > column_names.size()) what += "; a decimal comma?";
            errors.add_row(line, what);
            continue;
        }
        auto field = [&](Column c) { return std::string_view(rec.fields[c]); };
        const std::size_t errors_before = errors.count();

        const auto tech = detail::parse_technology(field(radio));
        if (!tech)
            errors.add(line, "radio",
                       detail::quoted(detail::trim(field(radio))) +
                           " is not supported; use GSM, UMTS, LTE or NR (remove other rows)");

        auto integer = [&](Column c, std::int64_t min, std::int64_t max) {
            std::string why;
            auto v = detail::parse_integer(field(c), why);
            if (!v) {
                errors.add(line, column_names[c], why);
            } else if (*v < min || *v > max) {
                errors.add(line, column_names[c],
                           std::to_string(*v) + " is out of range [" + std::to_string(min) + ", " +
                               std::to_string(max) + "]");
                v.reset();
            }
            return v;
        };
        const auto mcc_value = integer(mcc, 0, 999);
        const auto net_value = integer(net, 0, 999);
        const auto area_value = integer(area, 0, INT64_MAX);
        const auto cell_value = integer(cell, 0, INT64_MAX);

        const char* country = nullptr;
        if (mcc_value) {
            for (const auto& c : countries)
                if (c.mcc == *mcc_value) country = c.country;
            if (!country) {
                std::string known;
                for (const auto& c : countries)
                    known +=
                        (known.empty() ? "" : ", ") + std::to_string(c.mcc) + " = " + c.country;
                errors.add(line, "mcc",
                           std::to_string(*mcc_value) +
                               " is not a supported country (known: " + known + ")");
            }
        }

        auto coordinate = [&](Column c, const detail::Limit& limit) -> std::optional<double> {
            std::string why;
            auto v = detail::parse_double(field(c), why);
            if (!v) {
                errors.add(line, column_names[c], why);
                return std::nullopt;
            }
            std::string range_error = detail::check_limit(*v, limit);
            if (!range_error.empty()) {
                errors.add(line, column_names[c], range_error);
                return std::nullopt;
            }
            return v;
        };
        const auto lon_value = coordinate(lon, limits::lon_deg);
        const auto lat_value = coordinate(lat, limits::lat_deg);

        // unit: the UMTS primary scrambling code or the LTE/NR physical cell identity (OpenCelliD
        // / Mozilla Location Service export format: "For UMTS networks, this is the Primary
        // Scrambling Code (PSC). For LTE networks, this is the Physical Cell ID (PCI). For GSM
        // ... this is empty."). Empty, negative (-1 marks "unknown" in some exports) or beyond
        // the technology's range (a measurement artefact) = not known; GSM units are ignored;
        // text that is not an integer is an error.
        std::optional<int> unit_code;
        if (const std::string_view unit_text = detail::trim(field(unit));
            !unit_text.empty() && tech && *tech != Technology::gsm) {
            std::string why;
            const auto v = detail::parse_integer(unit_text, why);
            if (!v) {
                errors.add(line, "unit", why);
            } else {
                const std::int64_t max_code = *tech == Technology::lte  ? 503
                                              : *tech == Technology::nr ? 1007
                                                                        : 511;
                if (*v >= 0 && *v <= max_code) unit_code = int(*v);
            }
        }

        if (errors.count() != errors_before) continue;

        Cell c;
        const std::string prefix = std::to_string(*mcc_value) + "-" + two_digits(*net_value);
        c.cell_id = prefix + "-" + std::to_string(*area_value) + "-" + std::to_string(*cell_value);
        if (auto [it, inserted] = line_of_id.emplace(c.cell_id, line); !inserted) {
            errors.add(line, "cell",
                       "duplicate cell '" + c.cell_id + "' (first on line " +
                           std::to_string(it->second) + ")");
            continue;
        }
        c.site_id = *tech == Technology::lte ? prefix + "-eNB" + std::to_string(*cell_value / 256)
                                             : c.cell_id;
        c.lat_deg = *lat_value;
        c.lon_deg = *lon_value;
        const OpenCellIdDefaults& d = defaults_for(*tech);
        c.antenna_height_agl_m = d.antenna_height_agl_m;
        c.azimuth_deg = omni_azimuth_deg;
        c.mech_tilt_deg = d.mech_tilt_deg;
        c.elec_tilt_deg = d.elec_tilt_deg;
        c.frequency_mhz = d.frequency_mhz;
        c.bandwidth_mhz = d.bandwidth_mhz;
        c.eirp_dbm = d.eirp_dbm;
        c.antenna_pattern = omni_pattern;
        c.technology = *tech;
        c.operator_name = operator_name(*mcc_value, *net_value);
        c.country = country;
        if (*tech == Technology::umts)
            c.psc = unit_code;
        else if (*tech == Technology::lte || *tech == Technology::nr)
            c.pci = unit_code;
        c.source = source_name + ":" + std::to_string(line);
        cells.push_back(std::move(c));
    }
    errors.throw_if_any();
    return cells;
}

std::vector<Cell> read_opencellid(const std::filesystem::path& path, const ParameterSet& params) {
    return parse_opencellid(detail::read_text_file(path, "OpenCelliD file"), path.string(), params);
}

}  // namespace grenzfunk::io
