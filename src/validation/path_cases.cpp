// Point-to-point case files for `grenzfunk path` (format described in path_cases.hpp).
#include "validation/path_cases.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>

#include "core/error.hpp"

namespace grenzfunk::validation {

namespace itm = propagation::itm;

namespace {

std::string_view trim(std::string_view s) {
    const auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; };
    while (!s.empty() && !not_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && !not_space(s.back())) s.remove_suffix(1);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        if (comma == std::string_view::npos) {
            fields.push_back(trim(line.substr(start)));
            return fields;
        }
        fields.push_back(trim(line.substr(start, comma - start)));
        start = comma + 1;
    }
}

// Locale-independent: a decimal comma ("301,5") is not a number here.
std::optional<double> parse_number(std::string_view text) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return {};
    return value;
}

std::string where(const std::filesystem::path& file, std::size_t line) {
    return file.string() + ":" + std::to_string(line);
}

// "'text'" built by appending (GCC 12 warns falsely on some chained operator+ forms).
std::string in_quotes(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back('\'');
    out.append(text);
    out.push_back('\'');
    return out;
}

// Shortest round-trip text of a number, for messages ("1e+300", "0.5").
std::string format_value(double value) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

bool skipped(std::string_view line) {
    const std::string_view t = trim(line);
    return t.empty() || t.front() == '#';
}

// The columns a case file needs; `optional` ones may be absent.
enum Column : int {
    col_id,
    col_h_tx,
    col_h_rx,
    col_climate,
    col_n0,
    col_f,
    col_pol,
    col_epsilon,
    col_sigma,
    col_mdvar,
    col_time,
    col_location,
    col_situation,
    col_confidence,
    col_reliability,
    col_pfl,
    column_count
};
constexpr std::array<const char*, column_count> column_names = {
    "id",        "h_tx__meter", "h_rx__meter", "climate", "N_0",  "f__mhz",
    "pol",       "epsilon",     "sigma",       "mdvar",   "time", "location",
    "situation", "confidence",  "reliability", "pfl"};

class CaseReader {
  public:
    CaseReader(const std::filesystem::path& csv, std::vector<std::string_view> header,
               std::size_t header_line)
        : csv_(csv) {
        index_.fill(-1);
        for (std::size_t i = 0; i < header.size(); ++i)
            for (int c = 0; c < column_count; ++c)
                if (header[i] == column_names[c] && index_[c] < 0) index_[c] = int(i);
        field_count_ = header.size();
        for (int c : {col_id, col_h_tx, col_h_rx, col_climate, col_n0, col_f, col_pol, col_epsilon,
                      col_sigma, col_mdvar})
            require(Column(c), header_line);
        cr_ = index_[col_time] < 0 && index_[col_location] < 0 && index_[col_situation] < 0 &&
              index_[col_confidence] >= 0 && index_[col_reliability] >= 0;
        if (!cr_)
            for (int c : {col_time, col_location, col_situation}) require(Column(c), header_line);
    }

    bool has(Column c) const { return index_[c] >= 0; }

    void start_row(std::vector<std::string_view> fields, std::size_t line) {
        fields_ = std::move(fields);
        line_ = line;
        if (fields_.size() != field_count_)
            throw InputError(where(csv_, line_) + ": expected " + std::to_string(field_count_) +
                             " fields as in the header, got " + std::to_string(fields_.size()));
    }

    std::string_view text(Column c) const { return fields_[std::size_t(index_[c])]; }

    double number(Column c) const {
        const std::string_view t = text(c);
        const std::optional<double> v = parse_number(t);
        if (!v || !std::isfinite(*v)) fail(c, "not a number: " + in_quotes(t));
        return *v;
    }

    int code(Column c, int lowest, int highest, const char* meaning) const {
        const double v = number(c);
        if (std::floor(v) != v || v < lowest || v > highest)
            fail(c, in_quotes(text(c)) + " is not a valid " + meaning);
        return int(v);
    }

    [[noreturn]] void fail(Column c, const std::string& what) const {
        throw InputError(where(csv_, line_) + ": column '" + column_names[c] + "': " + what);
    }

    bool confidence_reliability() const { return cr_; }

  private:
    void require(Column c, std::size_t header_line) const {
        if (index_[c] < 0)
            throw InputError(where(csv_, header_line) + ": missing column '" + column_names[c] +
                             "'");
    }

    std::filesystem::path csv_;
    std::array<int, column_count> index_{};
    std::size_t field_count_ = 0;
    std::vector<std::string_view> fields_;
    std::size_t line_ = 0;
    bool cr_ = false;
};

itm::Inputs read_inputs(const CaseReader& r) {
    itm::Inputs in;
    in.tx_height_m = r.number(col_h_tx);
    in.rx_height_m = r.number(col_h_rx);
    in.climate = itm::Climate(r.code(col_climate, 1, 7, "radio climate (1-7)"));
    in.n0_n_units = r.number(col_n0);
    in.frequency_mhz = r.number(col_f);
    in.polarization =
        itm::Polarization(r.code(col_pol, 0, 1, "polarization (0 horizontal, 1 vertical)"));
    in.epsilon = r.number(col_epsilon);
    in.sigma_s_per_m = r.number(col_sigma);
    const int mdvar = r.code(col_mdvar, 0, 33, "mode of variability (0-3, +10, +20)");
    itm::Variability v;
    if (!itm::from_mdvar(mdvar, v))
        r.fail(col_mdvar, in_quotes(std::to_string(mdvar)) +
                              " is not a valid mode of variability (0-3, +10, +20)");
    if (r.confidence_reliability()) {
        v.set_confidence_reliability(r.number(col_confidence), r.number(col_reliability));
    } else {
        v.time_percent = r.number(col_time);
        v.location_percent = r.number(col_location);
        v.situation_percent = r.number(col_situation);
    }
    in.variability = v;
    return in;
}

}  // namespace

std::vector<double> read_pfl(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path.string() + ": cannot open profile file");
    std::vector<double> values;
    std::vector<std::size_t> lines;  // line of each value, for messages
    std::string line;
    std::size_t line_number = 0;
    // Only the first intervals + 3 values are kept: a count far beyond the limit fails below
    // without reading the rest of a huge file into memory.
    constexpr std::size_t max_values = kMaxProfileIntervals + 3;
    while (std::getline(in, line)) {
        ++line_number;
        std::size_t pos = 0;
        while (pos < line.size()) {
            const std::size_t start = line.find_first_not_of(" \t\r,", pos);
            if (start == std::string::npos) break;
            std::size_t end = line.find_first_of(" \t\r,", start);
            if (end == std::string::npos) end = line.size();
            const std::string_view token(line.data() + start, end - start);
            const std::optional<double> v = parse_number(token);
            if (!v || !std::isfinite(*v))
                throw InputError(where(path, line_number) + ": value " +
                                 std::to_string(values.size() + 1) +
                                 ": not a number: " + in_quotes(token));
            if (values.size() == max_values)
                throw InputError(where(path, line_number) + ": more than " +
                                 std::to_string(max_values - 2) +
                                 " elevations (the most a profile may have)");
            values.push_back(*v);
            lines.push_back(line_number);
            pos = end;
        }
    }
    if (values.size() < 2)
        throw InputError(path.string() +
                         ": profile needs the number of intervals, the interval "
                         "length and the elevations");
    const auto at = [&](std::size_t i) { return where(path, lines[i]); };
    // Checked before any conversion to an integer (1e300 does not fit one).
    const double n = values[0];
    if (!(n >= 1.0 && n <= double(kMaxProfileIntervals)) || std::floor(n) != n)
        throw InputError(at(0) + ": value 1: number of intervals must be a whole number in [1, " +
                         std::to_string(kMaxProfileIntervals) + "], got " + format_value(n));
    const double step_m = values[1];
    if (!(step_m >= kMinProfileStepM && step_m <= kMaxProfileStepM))
        throw InputError(at(1) + ": value 2: interval length must be within [" +
                         format_value(kMinProfileStepM) + ", " + format_value(kMaxProfileStepM) +
                         "] m, got " + format_value(step_m));
    if (n * step_m > kMaxProfileLengthKm * 1000.0)
        throw InputError(at(1) + ": profile length " + format_value(n * step_m / 1000.0) +
                         " km exceeds " + format_value(kMaxProfileLengthKm) +
                         " km (the longest path any model supports)");
    const std::size_t expected = std::size_t(n) + 3;
    if (values.size() != expected)
        throw InputError(at(0) + ": " + std::to_string(std::size_t(n)) + " intervals need " +
                         std::to_string(expected - 2) + " elevations, found " +
                         std::to_string(values.size() - 2));
    for (std::size_t i = 2; i < values.size(); ++i)
        if (!(values[i] >= kMinProfileHeightM && values[i] <= kMaxProfileHeightM))
            throw InputError(at(i) + ": value " + std::to_string(i + 1) + ": elevation " +
                             format_value(values[i]) + " m is outside [" +
                             format_value(kMinProfileHeightM) + ", " +
                             format_value(kMaxProfileHeightM) + "] m");
    return values;
}

std::vector<PathCase> read_path_cases(const std::filesystem::path& csv_path,
                                      const std::filesystem::path& profiles_dir,
                                      const std::atomic<bool>* cancel) {
    std::ifstream in(csv_path);
    if (!in) throw InputError(csv_path.string() + ": cannot open cases file");

    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));

    std::size_t header_index = 0;
    while (header_index < lines.size() && skipped(lines[header_index])) ++header_index;
    if (header_index == lines.size())
        throw InputError(csv_path.string() +
                         ": no header line (expected columns id, "
                         "h_tx__meter, ...)");
    CaseReader reader(csv_path, split_fields(lines[header_index]), header_index + 1);

    const std::filesystem::path csv_dir = csv_path.parent_path();
    std::filesystem::path base = profiles_dir;
    if (base.empty()) base = reader.has(col_pfl) ? csv_dir : csv_dir / "profiles";

    std::vector<PathCase> cases;
    for (std::size_t i = header_index + 1; i < lines.size(); ++i) {
        if (skipped(lines[i])) continue;
        if (cancel && cancel->load()) throw Cancelled();
        reader.start_row(split_fields(lines[i]), i + 1);
        PathCase c;
        c.line = i + 1;
        c.id = std::string(reader.text(col_id));
        if (c.id.empty()) reader.fail(col_id, "empty case id");
        c.inputs = read_inputs(reader);
        const Column profile_column = reader.has(col_pfl) ? col_pfl : col_id;
        if (reader.has(col_pfl)) {
            if (reader.text(col_pfl).empty()) reader.fail(col_pfl, "empty profile file name");
            c.profile_path = base / std::string(reader.text(col_pfl));
        } else {
            c.profile_path = base / (c.id + ".pfl");
        }
        if (!std::filesystem::is_regular_file(c.profile_path))
            reader.fail(profile_column, "profile file " + c.profile_path.string() + " not found");
        try {
            c.pfl = read_pfl(c.profile_path);
        } catch (const InputError& e) {
            throw InputError(std::string(e.what()) + " (case '" + c.id + "', " +
                             where(csv_path, c.line) + ")");
        }
        cases.push_back(std::move(c));
    }
    return cases;
}

std::vector<PathCaseOutcome> run_path_cases(const std::vector<PathCase>& cases,
                                            const std::atomic<bool>* cancel) {
    std::vector<PathCaseOutcome> out;
    out.reserve(cases.size());
    for (const PathCase& c : cases) {
        if (cancel && cancel->load()) throw Cancelled();
        out.push_back({c.id, itm::point_to_point_pfl(c.inputs, c.pfl)});
    }
    return out;
}

void write_path_case_results(std::ostream& out, const std::vector<PathCaseOutcome>& outcomes) {
    out << "id,loss_db,prop_mode,warnings\n";
    char buffer[64];
    for (const PathCaseOutcome& o : outcomes) {
        out << o.id << ',';
        if (o.result.ok() && std::isfinite(o.result.loss_db)) {
            const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, o.result.loss_db,
                                                 std::chars_format::fixed, 4);
            out << std::string_view(buffer, ec == std::errc() ? std::size_t(end - buffer) : 0);
        } else {
            out << "nan";
        }
        out << ',' << int(o.result.mode) << ',' << o.result.warnings << '\n';
    }
}

void write_path_case_results(const std::filesystem::path& path,
                             const std::vector<PathCaseOutcome>& outcomes) {
    std::ofstream out(path);
    if (!out) throw OutputError(path.string() + ": cannot open for writing");
    write_path_case_results(out, outcomes);
    out.flush();
    if (!out) {
        out.close();
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
        throw OutputError(path.string() + ": write failed");
    }
}

}  // namespace grenzfunk::validation
