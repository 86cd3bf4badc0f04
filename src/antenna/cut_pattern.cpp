#include "antenna/cut_pattern.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "core/error.hpp"
#include "core/text_format.hpp"

namespace grenzfunk::antenna {

namespace {

// A cut sampled every whole degree, at any angle by linear interpolation around the circle.
double cut_at(const std::array<double, 360>& cut, double angle_deg) noexcept {
    double a = std::fmod(angle_deg, 360.0);
    if (a < 0.0) a += 360.0;
    auto i = static_cast<std::size_t>(a);  // a in [0, 360]
    const double f = a - double(i);
    if (i >= 360) i -= 360;
    const std::size_t j = i + 1 == 360 ? 0 : i + 1;
    return cut[i] + f * (cut[j] - cut[i]);
}

class CutPatternModel final : public PatternModel {
  public:
    CutPatternModel(std::shared_ptr<const AntennaCuts> cuts, double azimuth_deg,
                    double mechanical_tilt_deg, CutCombination combination)
        : cuts_(std::move(cuts)),
          frame_(azimuth_deg, mechanical_tilt_deg),
          azimuth_deg_(azimuth_deg),
          mechanical_tilt_deg_(mechanical_tilt_deg),
          combination_(combination),
          max_attenuation_db_(*std::max_element(cuts_->horizontal_attenuation_db.begin(),
                                                cuts_->horizontal_attenuation_db.end())) {}

    double relative_gain_db(double azimuth_to_target_deg,
                            double elevation_to_target_deg) const noexcept override {
        if (!std::isfinite(azimuth_to_target_deg) || !std::isfinite(elevation_to_target_deg))
            return std::numeric_limits<double>::quiet_NaN();
        const LocalDirection d = frame_.local(azimuth_to_target_deg, elevation_to_target_deg);
        const double a_h = cut_at(cuts_->horizontal_attenuation_db, d.azimuth_deg);
        // The vertical cut counts degrees below the horizon.
        const double a_v = cut_at(cuts_->vertical_attenuation_db, -d.elevation_deg);
        if (combination_ == CutCombination::summed)
            return -std::min(a_h + a_v, max_attenuation_db_);
        const double h = std::pow(10.0, -a_h / 10.0);
        const double v = std::pow(10.0, -a_v / 10.0);
        const double w1 = v * (1.0 - h);
        const double w2 = h * (1.0 - v);
        if (!(w1 + w2 > 0.0)) return 0.0;  // h = v = 1: both cuts at their maximum
        return -(a_h * w1 + a_v * w2) / (w1 + w2);
    }

    std::map<std::string, std::string> parameters() const override {
        std::map<std::string, std::string> p = {
            {"pattern_file", cuts_->source},
            {"antenna_name", cuts_->name},
            {"antenna_make", cuts_->make},
            {"azimuth_deg", text::format_round_trip(azimuth_deg_)},
            {"mechanical_tilt_deg", text::format_round_trip(mechanical_tilt_deg_)},
            {"cut_combination", cut_combination_name(combination_)}};
        if (cuts_->gain_dbi) p["gain_dbi"] = text::format_round_trip(*cuts_->gain_dbi);
        if (cuts_->electrical_tilt_deg)
            p["file_electrical_tilt_deg"] = text::format_round_trip(*cuts_->electrical_tilt_deg);
        if (cuts_->frequency_mhz)
            p["file_frequency_mhz"] = text::format_round_trip(*cuts_->frequency_mhz);
        return p;
    }

  private:
    std::shared_ptr<const AntennaCuts> cuts_;
    AntennaFrame frame_;
    double azimuth_deg_;
    double mechanical_tilt_deg_;
    CutCombination combination_;
    double max_attenuation_db_;
};

}  // namespace

AntennaPattern make_cut_pattern(std::string pattern_name, std::shared_ptr<const AntennaCuts> cuts,
                                double azimuth_deg, double mechanical_tilt_deg,
                                CutCombination combination) {
    if (!std::isfinite(azimuth_deg))
        throw InputError("antenna: azimuth_deg: " + text::format_round_trip(azimuth_deg) +
                         " is not a finite number");
    if (!(mechanical_tilt_deg >= -90.0 && mechanical_tilt_deg <= 90.0))
        throw InputError("antenna: mechanical_tilt_deg: " +
                         text::format_round_trip(mechanical_tilt_deg) + " is outside [-90, 90]");
    return AntennaPattern::from_model(
        std::move(pattern_name),
        std::make_shared<const CutPatternModel>(std::move(cuts), azimuth_deg, mechanical_tilt_deg,
                                                combination));
}

std::optional<CutCombination> parse_cut_combination(std::string_view text) {
    if (text == "summed") return CutCombination::summed;
    if (text == "gil") return CutCombination::gil_weighted;
    return std::nullopt;
}

const char* cut_combination_name(CutCombination c) {
    return c == CutCombination::summed ? "summed" : "gil";
}

}  // namespace grenzfunk::antenna
