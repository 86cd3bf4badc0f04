#include "io/opencellid.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "core/channels.hpp"
#include "core/error.hpp"
#include "core/text_format.hpp"
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

// ---- Per-network carriers: the ONLY place these blocks live. ------------------------------
// Sources and status per row: docs/opencellid-defaults.md, "Carriers per network". Keep the two
// in step. A cell of a network and technology listed here gets this carrier instead of the
// technology's default frequency (unless the <tech>_frequency_mhz / <tech>_bandwidth_mhz
// override is set, which puts every cell of the technology on that carrier, as before).
//   LTE, UMTS: one carrier, the channel number below, `bandwidth_mhz` wide.
//   GSM: the operator's downlink block; each cell gets one of kGsmReuseChannels ARFCNs spread
//   evenly over the block, picked by a hash of its cell id (a stand-in for the operator's real
//   frequency plan, which OpenCelliD does not have).
struct NetworkCarrier {
    std::int64_t mcc;
    std::int64_t net;
    Technology technology;
    int channel;  // EARFCN (LTE), UARFCN (UMTS); unused for GSM
    double bandwidth_mhz;
    double block_low_mhz, block_high_mhz;  // the network's downlink block in this band
};

// clang-format off
constexpr std::array<NetworkCarrier, 13> network_carriers = {{
    // LTE band 20 (791-821 MHz downlink, three 10 MHz blocks). Block order unverified.
    {230, 2, Technology::lte,  6200, 10.0,  791.0,  801.0},  // O2 CZ
    {230, 3, Technology::lte,  6300, 10.0,  801.0,  811.0},  // Vodafone CZ
    {230, 1, Technology::lte,  6400, 10.0,  811.0,  821.0},  // T-Mobile CZ
    {262, 3, Technology::lte,  6200, 10.0,  791.0,  801.0},  // Telefonica (O2 DE)
    {262, 7, Technology::lte,  6200, 10.0,  791.0,  801.0},  // Telefonica (ex E-Plus code)
    {262, 1, Technology::lte,  6300, 10.0,  801.0,  811.0},  // Telekom DE
    {262, 2, Technology::lte,  6400, 10.0,  811.0,  821.0},  // Vodafone DE
    // GSM 900 (E-GSM 925-960 MHz downlink), CTU re-farming of 2019 (CommsUpdate 2019-07-15).
    {230, 3, Technology::gsm,     0,  0.2,  925.1,  935.1},  // Vodafone CZ
    {230, 1, Technology::gsm,     0,  0.2,  935.1,  947.5},  // T-Mobile CZ
    {230, 2, Technology::gsm,     0,  0.2,  947.5,  959.9},  // O2 CZ (the rest; unverified)
    // UMTS band I (2110-2170 MHz downlink): one 5 MHz carrier per network. Unverified.
    {230, 2, Technology::umts, 10563, 5.0, 2110.0, 2130.0},  // O2 CZ
    {230, 1, Technology::umts, 10663, 5.0, 2130.0, 2150.0},  // T-Mobile CZ
    {230, 3, Technology::umts, 10763, 5.0, 2150.0, 2170.0},  // Vodafone CZ
}};
// clang-format on
constexpr int kGsmReuseChannels = 12;  // a 4/12 cluster's BCCH frequencies
// More cells than this of one country and technology on one default carrier: a warning.
constexpr std::size_t kSharedDefaultWarningCells = 20;

const NetworkCarrier* network_carrier(std::int64_t mcc, std::int64_t net, Technology t) {
    for (const auto& n : network_carriers)
        if (n.mcc == mcc && n.net == net && n.technology == t) return &n;
    return nullptr;
}

// FNV-1a (64 bit): the same ARFCN for a cell id on every platform and run.
std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : s) {
        h ^= std::uint64_t(static_cast<unsigned char>(c));
        h *= 1099511628211ull;
    }
    return h;
}

// The downlink centre of the stand-in GSM channel of a cell inside its network's block: on the
// 200 kHz raster (an ARFCN's centre, TS 45.005 2).
double gsm_stand_in_mhz(const NetworkCarrier& n, const std::string& cell_id) {
    const int channels_in_block =
        int(std::floor((n.block_high_mhz - n.block_low_mhz) / 0.2 + 1e-6));
    const int step = std::max(1, channels_in_block / kGsmReuseChannels);
    const int used = std::min(kGsmReuseChannels, channels_in_block);
    const int k = int(fnv1a(cell_id) % std::uint64_t(used)) * step;
    return std::round((n.block_low_mhz + 0.1 + 0.2 * k) * 1000.0) / 1000.0;  // to 1 kHz
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
                                   const ParameterSet& params, std::vector<std::string>* warnings) {
    // Every override is checked up front, whether or not the file has cells of its technology.
    std::array<OpenCellIdDefaults, default_table.size()> defaults{};
    {
        std::vector<std::string> problems;
        for (std::size_t i = 0; i < default_table.size(); ++i)
            defaults[i] = apply_overrides(default_table[i], params, problems);
        if (!problems.empty()) throw_parameter_problems(problems);
    }
    // A <tech>_frequency_mhz or _bandwidth_mhz override puts every cell of the technology on it.
    std::array<bool, default_table.size()> carrier_overridden{};
    for (std::size_t i = 0; i < default_table.size(); ++i) {
        const std::string prefix = default_table[i].key_prefix;
        carrier_overridden[i] = params.contains(prefix + "_frequency_mhz") ||
                                params.contains(prefix + "_bandwidth_mhz");
    }
    auto overridden = [&](Technology t) {
        for (std::size_t i = 0; i < default_table.size(); ++i)
            if (default_table[i].technology == t) return carrier_overridden[i];
        return false;
    };
    // (country, technology, frequency, bandwidth) -> cells on that shared default carrier.
    std::map<std::tuple<std::string, int, double, double>, std::size_t> on_shared_default;
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
        const NetworkCarrier* carrier =
            overridden(*tech) ? nullptr : network_carrier(*mcc_value, *net_value, *tech);
        if (carrier && *tech == Technology::lte) {
            c.earfcn = carrier->channel;
            c.frequency_mhz = channels::lte_downlink(carrier->channel)->downlink_mhz;
            c.bandwidth_mhz = carrier->bandwidth_mhz;
        } else if (carrier && *tech == Technology::umts) {
            c.uarfcn = carrier->channel;
            c.frequency_mhz = channels::umts_downlink(carrier->channel)->downlink_mhz;
            c.bandwidth_mhz = carrier->bandwidth_mhz;
        } else if (carrier && *tech == Technology::gsm) {
            // Only the frequency: Cell::arfcn stays unknown, since the border rules read it as
            // the cell's real channel (docs/border.md) and this one is a stand-in.
            c.frequency_mhz = gsm_stand_in_mhz(*carrier, c.cell_id);
            c.bandwidth_mhz = carrier->bandwidth_mhz;
        } else {
            ++on_shared_default[{country, int(*tech), c.frequency_mhz, c.bandwidth_mhz}];
        }
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
    for (const auto& [key, count] : on_shared_default) {
        if (count <= kSharedDefaultWarningCells || !warnings) continue;
        const auto& [country, t, f_mhz, bw_mhz] = key;
        warnings->push_back(
            source_name + ": " + std::to_string(count) + " " + country + " " +
            technology_name(Technology(t)) + " cells share one default carrier (" +
            text::format_fixed(f_mhz, 3) + " MHz, " + text::format_fixed(bw_mhz, 1) +
            " MHz): their networks have no block in the importer's table or the carrier is "
            "overridden, so the SINR treats them all as co-channel (docs/opencellid-defaults.md)");
    }
    return cells;
}

std::vector<Cell> read_opencellid(const std::filesystem::path& path, const ParameterSet& params,
                                  std::vector<std::string>* warnings) {
    return parse_opencellid(detail::read_text_file(path, "OpenCelliD file"), path.string(), params,
                            warnings);
}

}  // namespace grenzfunk::io
