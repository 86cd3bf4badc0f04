#include "io/msi_pattern.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "io/text_input.hpp"

namespace grenzfunk::io {

namespace {

using detail::iequals;
using detail::trim;

// dBi = dBd + 2.15: the gain of a half-wave dipole over an isotropic antenna.
constexpr double kDipoleGainDbi = 2.15;
constexpr std::size_t kMaxCutPoints = 36000;  // 0.01 degree steps at most

struct CutPoint {
    double angle_deg;
    double attenuation_db;
    std::size_t line;
};

class MsiParser {
  public:
    MsiParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

    AntennaCuts parse() {
        AntennaCuts cuts;
        cuts.source = source_;
        bool first = true;
        for (std::string_view line; next_line(line);) {
            line = trim(line);
            if (line.empty()) continue;
            const auto [key, value] = split_key(line);
            const bool known = is_known_key(key);
            if (first && !known) {  // the name without its key
                cuts.name = std::string(line);
                first = false;
                continue;
            }
            first = false;
            if (iequals(key, "NAME")) {
                cuts.name = std::string(value);
            } else if (iequals(key, "MAKE")) {
                cuts.make = std::string(value);
            } else if (iequals(key, "COMMENT")) {
                if (!cuts.comment.empty()) cuts.comment += ' ';
                cuts.comment += value;
            } else if (iequals(key, "FREQUENCY")) {
                cuts.frequency_mhz = frequency_mhz(value);
            } else if (iequals(key, "H_WIDTH")) {
                cuts.horizontal_beamwidth_deg = leading_number(value, key);
            } else if (iequals(key, "V_WIDTH")) {
                cuts.vertical_beamwidth_deg = leading_number(value, key);
            } else if (iequals(key, "FRONT_TO_BACK")) {
                cuts.front_to_back_db = leading_number(value, key);
            } else if (iequals(key, "GAIN")) {
                cuts.gain_dbi = gain_dbi(value);
            } else if (iequals(key, "ELECTRICAL_TILT")) {
                cuts.electrical_tilt_deg = leading_number(value, key);
            } else if (iequals(key, "TILT")) {
                // "TILT ELECTRICAL" / "TILT MECHANICAL" say what kind; a number is the tilt.
                std::string why;
                const auto first_word = value.substr(0, value.find_first_of(" \t"));
                if (const auto t = detail::parse_double(first_word, why);
                    t && !cuts.electrical_tilt_deg)
                    cuts.electrical_tilt_deg = *t;
            } else if (iequals(key, "HORIZONTAL") || iequals(key, "VERTICAL")) {
                const bool horizontal = iequals(key, "HORIZONTAL");
                bool& seen = horizontal ? seen_horizontal_ : seen_vertical_;
                if (seen) fail(line_, std::string(key) + ": the section appears twice");
                seen = true;
                auto& out =
                    horizontal ? cuts.horizontal_attenuation_db : cuts.vertical_attenuation_db;
                read_section(std::string(key), value, out);
            }
            // Other keys (POLARIZATION, makers' own) carry nothing the pattern needs.
        }
        if (!seen_horizontal_) fail(0, "no HORIZONTAL section (HORIZONTAL 360 and its lines)");
        if (!seen_vertical_) fail(0, "no VERTICAL section (VERTICAL 360 and its lines)");
        return cuts;
    }

  private:
    [[noreturn]] void fail(std::size_t line, const std::string& what) const {
        throw InputError(source_ + (line ? ":" + std::to_string(line) : std::string()) + ": " +
                         what);
    }

    bool next_line(std::string_view& line) {
        if (pos_ >= text_.size()) return false;
        std::size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos) end = text_.size();
        line = text_.substr(pos_, end - pos_);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line_ == 0 && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF")
            line.remove_prefix(3);  // UTF-8 byte-order mark
        pos_ = end + 1;
        ++line_;
        return true;
    }

    static std::pair<std::string_view, std::string_view> split_key(std::string_view line) {
        const std::size_t blank = line.find_first_of(" \t");
        if (blank == std::string_view::npos) return {line, {}};
        return {line.substr(0, blank), trim(line.substr(blank))};
    }

    static bool is_known_key(std::string_view key) {
        for (const char* k :
             {"NAME", "MAKE", "COMMENT", "FREQUENCY", "H_WIDTH", "V_WIDTH", "FRONT_TO_BACK", "GAIN",
              "TILT", "ELECTRICAL_TILT", "POLARIZATION", "HORIZONTAL", "VERTICAL"})
            if (iequals(key, k)) return true;
        return false;
    }

    double number(std::string_view text, std::string_view what) const {
        std::string why;
        const auto v = detail::parse_double(text, why);
        if (!v || !std::isfinite(*v)) fail(line_, std::string(what) + ": " + why);
        return *v;
    }

    // The number before an optional unit word ("65", "65 deg").
    double leading_number(std::string_view value, std::string_view key) const {
        if (value.empty()) fail(line_, std::string(key) + ": no value");
        return number(value.substr(0, value.find_first_of(" \t")), key);
    }

    double frequency_mhz(std::string_view value) const {
        const double f = leading_number(value, "FREQUENCY");
        const std::size_t blank = value.find_first_of(" \t");
        const std::string_view unit =
            blank == std::string_view::npos ? std::string_view() : trim(value.substr(blank));
        if (unit.empty() || iequals(unit, "MHz")) return f;
        if (iequals(unit, "GHz")) return f * 1000.0;
        fail(line_, "FREQUENCY: unknown unit " + detail::quoted(unit) + " (MHz or GHz)");
    }

    double gain_dbi(std::string_view value) const {
        const double g = leading_number(value, "GAIN");
        const std::size_t blank = value.find_first_of(" \t");
        const std::string_view unit =
            blank == std::string_view::npos ? std::string_view() : trim(value.substr(blank));
        if (unit.empty() || iequals(unit, "dBd")) return g + kDipoleGainDbi;
        if (iequals(unit, "dBi")) return g;
        fail(line_, "GAIN: unknown unit " + detail::quoted(unit) + " (dBd or dBi)");
    }

    void read_section(const std::string& key, std::string_view count_text,
                      std::array<double, 360>& out) {
        const std::size_t header_line = line_;
        std::string why;
        const auto count = detail::parse_integer(count_text, why);
        if (!count || *count < 1 || *count > std::int64_t(kMaxCutPoints))
            fail(line_, key + ": expected the number of lines that follow (e.g. " + key +
                            " 360), got " + detail::quoted(count_text));
        std::vector<CutPoint> points;
        points.reserve(std::size_t(*count));
        while (points.size() < std::size_t(*count)) {
            std::string_view line;
            if (!next_line(line))
                fail(header_line, key + " " + std::to_string(*count) + ": the file ends after " +
                                      std::to_string(points.size()) + " lines");
            line = trim(line);
            if (line.empty()) continue;
            const auto [angle_text, value_text] = split_key(line);
            if (is_known_key(angle_text))
                fail(line_, key + " " + std::to_string(*count) + ": " + detail::quoted(line) +
                                " after " + std::to_string(points.size()) +
                                " lines (fewer lines than the count says)");
            if (value_text.empty() || value_text.find_first_of(" \t") != std::string_view::npos)
                fail(line_, key + ": expected \"angle attenuation_dB\", got " +
                                detail::quoted(line) + " (" + std::to_string(points.size()) +
                                " of " + std::to_string(*count) + " lines read)");
            const double angle = number(angle_text, key + " angle");
            const double value = number(value_text, key + " attenuation");
            if (!(angle >= 0.0 && angle < 360.0))
                fail(line_,
                     key + ": angle " + detail::format_number(angle) + " is outside [0, 360)");
            if (value < 0.0)
                fail(line_, key + ": attenuation " + detail::format_number(value) +
                                " is negative (the format gives dB below the maximum, no sign)");
            points.push_back({angle, value, line_});
        }
        std::sort(points.begin(), points.end(),
                  [](const CutPoint& a, const CutPoint& b) { return a.angle_deg < b.angle_deg; });
        for (std::size_t i = 1; i < points.size(); ++i)
            if (points[i].angle_deg == points[i - 1].angle_deg)
                fail(std::max(points[i].line, points[i - 1].line),
                     key + ": angle " + detail::format_number(points[i].angle_deg) +
                         " appears twice (lines " + std::to_string(points[i - 1].line) + " and " +
                         std::to_string(points[i].line) + ")");
        resample(points, out);
    }

    // Whole degrees by linear interpolation around the circle between the given angles.
    static void resample(const std::vector<CutPoint>& points, std::array<double, 360>& out) {
        const std::size_t n = points.size();
        std::size_t upper = 0;  // first point with angle >= d
        for (std::size_t d = 0; d < 360; ++d) {
            const double angle = double(d);
            while (upper < n && points[upper].angle_deg < angle) ++upper;
            if (upper < n && points[upper].angle_deg == angle) {
                out[d] = points[upper].attenuation_db;
                continue;
            }
            // Neighbours on the circle: the last point below and the first above (wrapping).
            const CutPoint& hi = upper < n ? points[upper] : points[0];
            const CutPoint& lo = upper > 0 ? points[upper - 1] : points[n - 1];
            const double hi_angle = upper < n ? hi.angle_deg : hi.angle_deg + 360.0;
            const double lo_angle = upper > 0 ? lo.angle_deg : lo.angle_deg - 360.0;
            const double span = hi_angle - lo_angle;
            const double t = span > 0.0 ? (angle - lo_angle) / span : 0.0;
            out[d] = lo.attenuation_db + t * (hi.attenuation_db - lo.attenuation_db);
        }
    }

    std::string_view text_;
    const std::string& source_;
    std::size_t pos_ = 0;
    std::size_t line_ = 0;  // number of the line last read
    bool seen_horizontal_ = false;
    bool seen_vertical_ = false;
};

}  // namespace

AntennaCuts parse_msi_pattern(std::string_view text, const std::string& source_name) {
    return MsiParser(text, source_name).parse();
}

AntennaCuts read_msi_pattern(const std::filesystem::path& path) {
    return parse_msi_pattern(detail::read_text_file(path, "antenna pattern file"), path.string());
}

}  // namespace grenzfunk::io
