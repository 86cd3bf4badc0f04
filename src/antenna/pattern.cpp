// Antenna patterns relative to boresight: omni and the 3GPP TR 38.901 V17.0.0 Table 7.3-1
// parametric element, with mechanical downtilt applied as the TR 38.901 §7.1.3 rotation
// (eqs. (7.1-7)/(7.1-8), slant gamma = 0) and electrical downtilt as a shift of the vertical cut.
#include "antenna/pattern.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/error.hpp"
#include "core/parameters.hpp"
#include "core/text_format.hpp"
#include "core/units.hpp"

namespace grenzfunk::antenna {

namespace {

void require_in_range(const char* field, double value, double min_value, double max_value,
                      bool min_inclusive) {
    const bool above_min = min_inclusive ? value >= min_value : value > min_value;
    if (!(above_min && value <= max_value)) {
        throw InputError(std::string("antenna: ") + field + ": " + text::format_round_trip(value) +
                         " is outside " + (min_inclusive ? "[" : "(") +
                         text::format_round_trip(min_value) + ", " +
                         text::format_round_trip(max_value) + "]");
    }
}

constexpr std::string_view gpp_prefix = "3gpp-";
constexpr std::string_view gpp_open = "3gpp(";

// The parameters written in a "3gpp(...)" name: key=value items separated by ';', ',' or
// blanks. Unknown and repeated keys are errors.
struct NamedParameters {
    std::optional<double> horizontal_beamwidth_deg, vertical_beamwidth_deg, front_to_back_db,
        sidelobe_level_db;
};

double parse_number(std::string_view text, const std::string& what) {
    double value = 0.0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (first != last && *first == '+') ++first;
    const auto [end, error] = std::from_chars(first, last, value);  // locale-independent
    if (error != std::errc() || end != last || first == last || !std::isfinite(value))
        throw InputError("antenna: pattern: " + what + ": '" + std::string(text) +
                         "' is not a number");
    return value;
}

NamedParameters parse_named_parameters(std::string_view name, std::string_view list) {
    NamedParameters out;
    std::size_t at = 0;
    while (at < list.size()) {
        const std::size_t end = list.find_first_of(";, \t", at);
        const std::string_view item =
            list.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        at = end == std::string_view::npos ? list.size() : end + 1;
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            throw InputError("antenna: pattern: '" + std::string(name) + "': '" +
                             std::string(item) + "' is not key=value (keys h, v, fb, sla)");
        const std::string_view key = item.substr(0, eq);
        std::optional<double>* slot = nullptr;
        if (key == "h") slot = &out.horizontal_beamwidth_deg;
        if (key == "v") slot = &out.vertical_beamwidth_deg;
        if (key == "fb") slot = &out.front_to_back_db;
        if (key == "sla") slot = &out.sidelobe_level_db;
        if (!slot)
            throw InputError("antenna: pattern: '" + std::string(name) + "': unknown key '" +
                             std::string(key) +
                             "' (h = horizontal and v = vertical 3 dB beamwidth in degrees, fb = "
                             "front-to-back Am and sla = side-lobe level SLA_V in dB)");
        if (*slot)
            throw InputError("antenna: pattern: '" + std::string(name) + "': key '" +
                             std::string(key) + "' given twice");
        *slot = parse_number(item.substr(eq + 1), std::string(key));
    }
    return out;
}

}  // namespace

AntennaFrame::AntennaFrame(double azimuth_deg, double mechanical_tilt_deg)
    : azimuth_deg_(azimuth_deg),
      cos_tilt_(std::cos(units::deg_to_rad(mechanical_tilt_deg))),
      sin_tilt_(std::sin(units::deg_to_rad(mechanical_tilt_deg))) {}

LocalDirection AntennaFrame::local(double azimuth_to_target_deg,
                                   double elevation_to_target_deg) const noexcept {
    // Direction to the target in a frame aligned with the antenna bearing: x forward
    // (horizontal boresight), y to the right (clockwise), z up.
    const double relative_azimuth_rad = units::deg_to_rad(azimuth_to_target_deg - azimuth_deg_);
    const double elevation_rad = units::deg_to_rad(elevation_to_target_deg);
    const double horizontal = std::cos(elevation_rad);
    const double x = horizontal * std::cos(relative_azimuth_rad);
    const double y = horizontal * std::sin(relative_azimuth_rad);
    const double z = std::sin(elevation_rad);
    // Mechanical downtilt beta: the local boresight is (cos b, 0, -sin b) and the local up axis
    // (sin b, 0, cos b), i.e. TR 38.901 eq. (7.1-7): cos theta' = cos b cos theta +
    // sin b cos(phi - alpha) sin theta, and eq. (7.1-8) for phi'.
    const double x_local = x * cos_tilt_ - z * sin_tilt_;
    const double z_local = x * sin_tilt_ + z * cos_tilt_;
    return {units::rad_to_deg(std::atan2(y, x_local)),
            units::rad_to_deg(std::asin(std::clamp(z_local, -1.0, 1.0)))};
}

AntennaPattern AntennaPattern::create(const std::string& pattern_name,
                                      const AntennaOrientation& orientation,
                                      const ParameterSet& parameters) {
    AntennaPattern pattern;
    pattern.name_ = pattern_name;
    if (pattern_name == "omni") {
        pattern.omni_ = true;
        return pattern;  // tilts and pattern parameters do not apply
    }
    NamedParameters named;
    if (pattern_name.compare(0, gpp_prefix.size(), gpp_prefix) == 0) {
        // Horizontal beamwidth from the name; from_chars is locale-independent.
        const char* first = pattern_name.data() + gpp_prefix.size();
        const char* last = pattern_name.data() + pattern_name.size();
        double beamwidth_deg = 0.0;
        const auto [end, error] = std::from_chars(first, last, beamwidth_deg);
        if (error != std::errc() || end != last || first == last) {
            throw InputError("antenna: pattern: '" + pattern_name +
                             "' does not end in a beamwidth in degrees (e.g. 3gpp-65)");
        }
        named.horizontal_beamwidth_deg = beamwidth_deg;
    } else if (pattern_name.compare(0, gpp_open.size(), gpp_open) == 0 &&
               pattern_name.back() == ')') {
        const std::string_view whole(pattern_name);
        named = parse_named_parameters(
            whole, whole.substr(gpp_open.size(), whole.size() - gpp_open.size() - 1));
    } else {
        throw InputError("antenna: pattern: unknown pattern '" + pattern_name +
                         "' (known: omni, 3gpp-<horizontal beamwidth in degrees>, "
                         "3gpp(h=65;v=10;fb=25;sla=20), a pattern file file:<path>.msi, HCM "
                         "codes)");
    }
    pattern.omni_ = false;
    // Scenario-wide values are read (and so marked used) even where the name overrides them.
    const double scenario_vertical =
        parameters.get_double("vertical_beamwidth_deg", kDefaultVerticalBeamwidthDeg);
    const double scenario_front_to_back =
        parameters.get_double("front_to_back_db", kDefaultFrontToBackDb);
    const double scenario_sidelobe =
        parameters.get_double("sidelobe_level_db", kDefaultSidelobeLevelDb);
    pattern.horizontal_beamwidth_deg_ =
        named.horizontal_beamwidth_deg.value_or(kDefaultHorizontalBeamwidthDeg);
    pattern.vertical_beamwidth_deg_ = named.vertical_beamwidth_deg.value_or(scenario_vertical);
    pattern.front_to_back_db_ = named.front_to_back_db.value_or(scenario_front_to_back);
    pattern.sidelobe_level_db_ = named.sidelobe_level_db.value_or(scenario_sidelobe);
    require_in_range("pattern horizontal beamwidth (degrees)", pattern.horizontal_beamwidth_deg_,
                     0.0, 360.0, false);
    require_in_range("vertical_beamwidth_deg", pattern.vertical_beamwidth_deg_, 0.0, 180.0, false);
    require_in_range("front_to_back_db", pattern.front_to_back_db_, 0.0, 100.0, false);
    require_in_range("sidelobe_level_db", pattern.sidelobe_level_db_, 0.0, 100.0, false);

    if (!std::isfinite(orientation.azimuth_deg)) {
        throw InputError(
            "antenna: azimuth_deg: " + text::format_round_trip(orientation.azimuth_deg) +
            " is not a finite number");
    }
    require_in_range("mechanical_tilt_deg", orientation.mechanical_tilt_deg, -90.0, 90.0, true);
    require_in_range("electrical_tilt_deg", orientation.electrical_tilt_deg, -90.0, 90.0, true);
    pattern.orientation_ = orientation;
    pattern.frame_ = AntennaFrame(orientation.azimuth_deg, orientation.mechanical_tilt_deg);
    return pattern;
}

AntennaPattern AntennaPattern::from_model(std::string pattern_name,
                                          std::shared_ptr<const PatternModel> model) {
    AntennaPattern pattern;
    pattern.name_ = std::move(pattern_name);
    pattern.omni_ = false;
    pattern.model_ = std::move(model);
    return pattern;
}

double AntennaPattern::relative_gain_db(double azimuth_to_target_deg,
                                        double elevation_to_target_deg) const noexcept {
    if (model_) return model_->relative_gain_db(azimuth_to_target_deg, elevation_to_target_deg);
    if (omni_) return 0.0;
    const LocalDirection d = frame_.local(azimuth_to_target_deg, elevation_to_target_deg);
    const double local_elevation_deg = d.elevation_deg;
    const double local_azimuth_deg = d.azimuth_deg;  // the element is symmetric left-right

    // Table 7.3-1 with theta' - 90 = -local elevation; electrical downtilt centres the vertical
    // cut on theta' = 90 + electrical tilt, i.e. local elevation = -electrical tilt.
    const double vertical_offset_deg = local_elevation_deg + orientation_.electrical_tilt_deg;
    const double v = vertical_offset_deg / vertical_beamwidth_deg_;
    const double h = local_azimuth_deg / horizontal_beamwidth_deg_;
    const double vertical_db = -std::min(12.0 * v * v, sidelobe_level_db_);   // A_EV
    const double horizontal_db = -std::min(12.0 * h * h, front_to_back_db_);  // A_EH
    return -std::min(-(vertical_db + horizontal_db), front_to_back_db_);      // A
}

std::map<std::string, std::string> AntennaPattern::parameters() const {
    if (model_) return model_->parameters();
    if (omni_) return {{"pattern", name_}};
    return {{"pattern", name_},
            {"azimuth_deg", text::format_round_trip(orientation_.azimuth_deg)},
            {"mechanical_tilt_deg", text::format_round_trip(orientation_.mechanical_tilt_deg)},
            {"electrical_tilt_deg", text::format_round_trip(orientation_.electrical_tilt_deg)},
            {"horizontal_beamwidth_deg", text::format_round_trip(horizontal_beamwidth_deg_)},
            {"vertical_beamwidth_deg", text::format_round_trip(vertical_beamwidth_deg_)},
            {"front_to_back_db", text::format_round_trip(front_to_back_db_)},
            {"sidelobe_level_db", text::format_round_trip(sidelobe_level_db_)}};
}

}  // namespace grenzfunk::antenna
