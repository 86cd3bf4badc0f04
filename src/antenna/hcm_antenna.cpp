// HCM antenna codes (HCM Agreement Annex 6 / ECC TR 25-08) as HCM_MS V7.21.5 evaluates them.
// Diagram formulas: Annex 6 Appendices 3, 4, 5 and 7 as written in HCM_MS's Antenna.f90; the
// 3-D difference angles and the combination of the two diagrams: HCM_MS's Antenna_correction.f90
// (github.com/5chufti/HCM_V7), checked against the 200 cases of tests/data/hcm/cases.csv, which
// also fixed what the stored source did not show: the ND vertical diagram takes part in the
// interpolation, TA uses the plain difference angles, TA/Px combine by product, and the
// Appendix 7 exponent puts the -3 dB point exactly at NNN/10 (ln(1/sqrt 2), not -0.3467).
#include "antenna/hcm_antenna.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <memory>
#include <utility>

#include "core/error.hpp"
#include "core/units.hpp"

namespace grenzfunk::antenna::hcm {

namespace {

constexpr double rho_min = 0.01;  // HCM's floor of every diagram: 40 dB
constexpr double sqrt2 = 1.41421356237309504880;

double cos_deg(double angle_deg) {
    return std::cos(units::deg_to_rad(angle_deg));
}
double sin_deg(double angle_deg) {
    return std::sin(units::deg_to_rad(angle_deg));
}
double clamp_rho(double rho) {
    return std::clamp(rho, rho_min, 1.0);
}

[[noreturn]] void reject(std::string_view code, const std::string& what) {
    std::string message = "HCM antenna code '";
    message.append(code).append("': ").append(what);
    throw InputError(message);
}

bool all_digits(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

int to_int(std::string_view digits) {
    int value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

void require_nnn(std::string_view code, int nnn, int min_value, int max_value,
                 const char* what_nnn) {
    if (nnn < min_value || nnn > max_value) {
        reject(code, std::string(what_nnn) + " NNN = " + std::to_string(nnn) + " is outside " +
                         std::to_string(min_value) + ".." + std::to_string(max_value));
    }
}

// Annex 6 Appendix 3, EA: rho = 4 B c / ((4B - 1) c^2 + 1), B from the -3 dB angle.
double single_lobe_ea(double lead_deg, double c) {
    const double c0 = cos_deg(lead_deg);
    const double root = sqrt2 * c0 - 1.0;
    const double b = 0.5 * (1.0 - c0 * c0) / (1.0 - root * root);
    return 4.0 * b * c / ((4.0 * b - 1.0) * c * c + 1.0);
}

// EB and EC (Appendix 3) share one form with o = 0.8 (EB) or 0.6 (EC), s = (2 - o)^2:
//   B = (s/2)(1 - c0^2) / (s - (sqrt2 c0 - o)^2),
//   rho = (2 o B c + (4 - 2o) sqrt(B (B - (1 - o)) c^2 + (1 - o) B)) / ((4B - s) c^2 + s),
// i.e. the constants 0.72, 1.44, 1.6, 2.4, 0.2 (EB) and 0.98, 1.96, 1.2, 2.8, 0.4 (EC).
double single_lobe_ebc(double lead_deg, double c, double o) {
    const double s = (2.0 - o) * (2.0 - o);
    const double c0 = cos_deg(lead_deg);
    const double root = sqrt2 * c0 - o;
    const double b = 0.5 * s * (1.0 - c0 * c0) / (s - root * root);
    const double side = 1.0 - o;
    const double radicand = std::max(0.0, b * (b - side) * c * c + side * b);
    return (2.0 * o * b * c + (4.0 - 2.0 * o) * std::sqrt(radicand)) / ((4.0 * b - s) * c * c + s);
}

// DE: the EA form with its own B, taken in absolute value (a back lobe of the same shape).
double single_lobe_de(double lead_deg, double c) {
    const double c0 = cos_deg(lead_deg);
    const double root = 2.0 * c0 - sqrt2;
    const double b = (1.0 - c0 * c0) / (2.0 - root * root);
    return std::abs(4.0 * b * c / ((4.0 * b - 1.0) * c * c + 1.0));
}

// LA: cos((1 - cos(60 deg * alpha / NNN)) * 90 deg) within 1.5 NNN of the main direction.
double lobe_la(double lead_deg, double angle_deg, double floor_rho) {
    if (std::abs(angle_deg) > 1.5 * lead_deg) return floor_rho;
    const double inner = std::cos(units::pi / 3.0 * angle_deg / lead_deg);
    return std::cos((1.0 - inner) * units::pi / 2.0);
}

// KA: rho = ((1 - b) c + sqrt((1 - b)^2 c^2 + 4 b)) / 2.
double cardioid_ka(double b, double c) {
    const double radicand = std::max(0.0, (1.0 - b) * (1.0 - b) * c * c + 4.0 * b);
    return ((1.0 - b) * c + std::sqrt(radicand)) / 2.0;
}

// CA/CB/CC: rho^2 = ((1 - b^2) ck + sqrt((1 - b^2)^2 ck^2 + 4 b^2)) / 2, ck = cos(k alpha).
double cosine_c(double b, double angle_deg, double multiple) {
    const double ck = cos_deg(multiple * angle_deg);
    const double a = 1.0 - b * b;
    const double root = std::sqrt(std::max(0.0, a * a * ck * ck + 4.0 * b * b));
    return std::sqrt(std::max(0.0, (a * ck + root) / 2.0));
}

// Appendix 7: cos^x(alpha - tilt), x such that the field is 1/sqrt(2) at NNN/10 deg; 0.01
// behind the antenna.
double tilted(const AntennaCode& code, double angle_deg) {
    const double c = cos_deg(angle_deg - code.electrical_tilt_deg);
    if (c <= 0.0) return rho_min;
    const double exponent = std::log(1.0 / sqrt2) / std::log(cos_deg(code.nnn / 10.0));
    return std::pow(c, exponent);
}

// Appendices 4/5: the larger of two equal beams at 0 and at the lobe separation.
double two_beam(const AntennaCode& code, double angle_deg) {
    const double e = code.shape_e == 0.0 ? 1e-5 : code.shape_e;  // HCM: e = 0 taken as 1e-5
    const double k5 = (1.0 + e) * (1.0 + e) / 4.0;
    const double ca = cos_deg(code.beam_half_width_deg);
    const double shift = ca / sqrt2 - (1.0 - e) / 2.0;
    const double b = k5 / 2.0 * (1.0 - ca * ca) / (k5 - shift * shift);
    const double k4 = b - k5;
    const double k3 = b * e * k5;
    const double k2 = b * b * k5 - k3;
    const double k1 = b * (1.0 - e) / 2.0;
    const auto beam = [&](double c) {
        return (k1 * c + std::sqrt(std::max(0.0, k2 * c * c + k3))) / (k4 * c * c + k5);
    };
    double rho =
        std::max(beam(cos_deg(angle_deg)), beam(cos_deg(angle_deg - code.beam_separation_deg)));
    if (code.type == DiagramType::two_beam_w) {
        const bool between = angle_deg >= 0.0 && angle_deg <= code.beam_separation_deg;
        rho = std::max(rho, between ? code.w_floor_between_rho : code.w_floor_outside_rho);
    }
    return rho;
}

}  // namespace

AntennaCode parse_code(std::string_view code) {
    if (code.size() != 7) {
        reject(code, "must have 7 characters NNNTTMM, has " + std::to_string(code.size()));
    }
    AntennaCode parsed;
    parsed.text = std::string(code);
    const std::string_view type = code.substr(3, 2);
    const std::string_view lead = code.substr(0, 3);
    const std::string_view trail = code.substr(5, 2);
    if (!all_digits(lead)) reject(code, "characters 1-3 (NNN) must be digits");
    if (!all_digits(trail)) reject(code, "characters 6-7 (MM) must be digits");
    parsed.nnn = to_int(lead);
    parsed.mm = to_int(trail);
    parsed.floor_rho = parsed.mm / 100.0;

    struct Named {
        const char* letters;
        DiagramType type;
        int min_nnn;
        int max_nnn;
    };
    // HCM's limits on NNN (error 1038 otherwise).
    static constexpr Named named[] = {
        {"ND", DiagramType::non_directional, 0, 999}, {"EA", DiagramType::single_lobe_ea, 1, 65},
        {"EB", DiagramType::single_lobe_eb, 1, 79},   {"EC", DiagramType::single_lobe_ec, 1, 96},
        {"DE", DiagramType::single_lobe_de, 1, 65},   {"LA", DiagramType::lobe_la, 1, 120},
        {"KA", DiagramType::cardioid_ka, 0, 100},     {"CA", DiagramType::cosine_ca, 0, 100},
        {"CB", DiagramType::cosine_cb, 0, 100},       {"CC", DiagramType::cosine_cc, 0, 100},
        {"TA", DiagramType::tilted_ta, 1, 890},
    };
    for (const Named& entry : named) {
        if (type == entry.letters) {
            parsed.type = entry.type;
            require_nnn(code, parsed.nnn, entry.min_nnn, entry.max_nnn,
                        (std::string("type ") + entry.letters + ":").c_str());
            return parsed;
        }
    }
    if (type[0] == 'P' && type[1] >= 'A' && type[1] <= 'Z') {
        parsed.type = DiagramType::tilted_p;
        parsed.electrical_tilt_deg = type[1] - 'A';  // A = 0 deg, B = 1 deg, ...
        require_nnn(code, parsed.nnn, 1, 890, "type Px:");
        return parsed;
    }
    if ((type[0] == 'V' || type[0] == 'W') && type[1] >= 'A' && type[1] <= 'I') {
        parsed.type = type[0] == 'V' ? DiagramType::two_beam_v : DiagramType::two_beam_w;
        parsed.beam_half_width_deg = 5.0 * (code[0] - '0') + 15.0;  // m: 15, 20, .. 60 deg
        parsed.beam_separation_deg = 2.0 * to_int(code.substr(1, 2));
        parsed.shape_e = 0.05 * (type[1] - 'A');  // A = 0 .. I = 0.40
        if (parsed.type == DiagramType::two_beam_w) {
            parsed.floor_rho = 0.0;  // W: no MM floor, its own two floors
            parsed.w_floor_outside_rho = (code[5] - '0') / 20.0;
            parsed.w_floor_between_rho = (code[6] - '0') / 20.0 + 0.35;
        }
        return parsed;
    }
    if (type[0] == 'V' || type[0] == 'W') {
        reject(code, std::string("two-beam type ") + type[0] + " needs a shape letter A..I, not '" +
                         type[1] + "'");
    }
    std::string what = "unknown diagram type '";
    what.append(type).append(
        "' (known: ND, EA, EB, EC, DE, LA, KA, CA, CB, CC, TA, PA..PZ, VA..VI, WA..WI)");
    reject(code, what);
}

double relative_field(const AntennaCode& code, double angle_deg) noexcept {
    const double c = cos_deg(angle_deg);
    const double lead = code.nnn;
    double rho = 1.0;
    switch (code.type) {
        case DiagramType::non_directional:
            return 1.0;
        case DiagramType::single_lobe_ea:
            rho = single_lobe_ea(lead, c);
            break;
        case DiagramType::single_lobe_eb:
            rho = single_lobe_ebc(lead, c, 0.8);
            break;
        case DiagramType::single_lobe_ec:
            rho = single_lobe_ebc(lead, c, 0.6);
            break;
        case DiagramType::single_lobe_de:
            rho = single_lobe_de(lead, c);
            break;
        case DiagramType::lobe_la:
            rho = lobe_la(lead, angle_deg, code.floor_rho);
            break;
        case DiagramType::cardioid_ka:
            rho = cardioid_ka(lead / 100.0, c);
            break;
        case DiagramType::cosine_ca:
            rho = cosine_c(lead / 100.0, angle_deg, 2.0);
            break;
        case DiagramType::cosine_cb:
            rho = cosine_c(lead / 100.0, angle_deg, 3.0);
            break;
        case DiagramType::cosine_cc:
            rho = cosine_c(lead / 100.0, angle_deg, 4.0);
            break;
        case DiagramType::tilted_ta:
        case DiagramType::tilted_p:
            rho = tilted(code, angle_deg);
            break;
        case DiagramType::two_beam_v:
        case DiagramType::two_beam_w:
            rho = two_beam(code, angle_deg);
            break;
    }
    if (std::isnan(rho)) return rho;
    return clamp_rho(std::max(rho, code.floor_rho));
}

double attenuation_db(const AntennaCode& code, double angle_deg) noexcept {
    return -20.0 * std::log10(relative_field(code, angle_deg));
}

DifferenceAngles difference_angles(const AntennaCode& code_h, const AntennaCode& code_v,
                                   double azimuth_deg, double elevation_deg,
                                   double direction_tx_rx_deg,
                                   double vertical_angle_tx_rx_deg) noexcept {
    if (code_h.is_non_directional() && code_v.is_non_directional()) return {};
    if (code_v.type == DiagramType::tilted_ta) {
        return {direction_tx_rx_deg - azimuth_deg, vertical_angle_tx_rx_deg - elevation_deg};
    }
    // Unit vector to the receiver in a frame with x along the antenna's horizontal bearing,
    // y to the right (bearings turn clockwise), z up; then rotated about y so that x is the
    // main direction at the mechanical elevation. HCM's Ctransf gets the same angles from the
    // great-circle distance and bearing on the unit sphere.
    const double relative_azimuth_deg = direction_tx_rx_deg - azimuth_deg;
    const double cos_v = cos_deg(vertical_angle_tx_rx_deg);
    const double x = cos_v * cos_deg(relative_azimuth_deg);
    const double y = cos_v * sin_deg(relative_azimuth_deg);
    const double z = sin_deg(vertical_angle_tx_rx_deg);
    const double cos_e = cos_deg(elevation_deg);
    const double sin_e = sin_deg(elevation_deg);
    const double x_local = x * cos_e + z * sin_e;
    const double z_local = z * cos_e - x * sin_e;
    DifferenceAngles angles;
    angles.horizontal_deg = units::rad_to_deg(std::atan2(y, x_local));
    angles.vertical_deg = units::rad_to_deg(std::asin(std::clamp(z_local, -1.0, 1.0)));
    return angles;
}

double combined_attenuation_db(const AntennaCode& code_h, const AntennaCode& code_v,
                               const DifferenceAngles& angles) noexcept {
    const double hda = angles.horizontal_deg;
    const double vda = angles.vertical_deg;
    const double below_deg = -vda;  // vertical diagrams take the angle below the main direction
    double rho = 1.0;
    if (code_v.is_tilted_vertical()) {
        rho = relative_field(code_h, hda) * relative_field(code_v, below_deg);
    } else if (vda == 0.0) {
        rho = relative_field(code_h, hda);
    } else if (hda == 0.0) {
        rho = relative_field(code_v, below_deg);
    } else {
        // Vertical cut in front (v_front) and behind (v_back) at this vertical angle, and the
        // diagrams' values straight behind (v_rear, h_rear).
        const double v_front = relative_field(code_v, below_deg);
        double v_back = relative_field(code_v, 180.0 - below_deg);
        const double v_rear = relative_field(code_v, 180.0);
        const double h = relative_field(code_h, hda);
        const double h_rear = relative_field(code_h, 180.0);
        const double sin_v = sin_deg(vda);
        const double cos_v = cos_deg(vda);
        // Make the back of the vertical cut agree with the horizontal diagram's back lobe.
        if (v_rear > h_rear) {
            const double k = h_rear / v_rear;
            v_back = std::max(rho_min, v_back * std::sqrt(sin_v * sin_v + k * k * cos_v * cos_v));
        } else if (v_rear < h_rear && v_front > v_back) {
            const double k = (h_rear - v_rear) / (1.0 - v_rear);
            v_back = std::min(1.0, v_back + k * (v_front - v_back));
        }
        // Weight of the back cut: how far the horizontal diagram has fallen towards its back
        // value, or the horizontal angle itself where the diagram has (almost) no back lobe.
        const double by_angle = std::abs(hda) / 180.0;
        const double by_level = h_rear < 1.0 ? std::min(1.0, (1.0 - h) / (1.0 - h_rear)) : 0.0;
        double w = 0.0;
        if (h_rear == 1.0) {
            w = by_angle;
        } else if (h_rear < 0.9) {
            w = by_level;
        } else {
            const double k = std::min(1.0, 10.0 * (1.0 - h_rear));
            w = (1.0 - k) * by_angle + k * by_level;
        }
        const double v_interpolated = clamp_rho(w * v_back + (1.0 - w) * v_front);
        const double h_reference = clamp_rho(w * h_rear + (1.0 - w));
        const double ratio = h / h_reference;
        if (ratio == 1.0) {
            rho = v_interpolated;
        } else {
            rho = clamp_rho(v_interpolated *
                            std::sqrt(sin_v * sin_v + ratio * ratio * cos_v * cos_v));
        }
    }
    return std::min(40.0, -20.0 * std::log10(std::max(rho, rho_min)));
}

AntennaCorrection antenna_correction(const AntennaCode& code_h, const AntennaCode& code_v,
                                     double azimuth_deg, double elevation_deg,
                                     double direction_tx_rx_deg,
                                     double vertical_angle_tx_rx_deg) noexcept {
    AntennaCorrection correction;
    if (code_h.is_non_directional() && code_v.is_non_directional()) return correction;
    correction.angles = difference_angles(code_h, code_v, azimuth_deg, elevation_deg,
                                          direction_tx_rx_deg, vertical_angle_tx_rx_deg);
    correction.attenuation_db = combined_attenuation_db(code_h, code_v, correction.angles);
    return correction;
}

namespace {

class HcmPattern final : public PatternModel {
  public:
    HcmPattern(AntennaCode code_h, AntennaCode code_v, double azimuth_deg, double elevation_deg)
        : code_h_(std::move(code_h)),
          code_v_(std::move(code_v)),
          azimuth_deg_(azimuth_deg),
          elevation_deg_(elevation_deg) {}

    double relative_gain_db(double azimuth_to_target_deg,
                            double elevation_to_target_deg) const noexcept override {
        return -antenna_correction(code_h_, code_v_, azimuth_deg_, elevation_deg_,
                                   azimuth_to_target_deg, elevation_to_target_deg)
                    .attenuation_db;
    }

    std::map<std::string, std::string> parameters() const override {
        char number[64];
        std::map<std::string, std::string> out{
            {"pattern", "hcm"}, {"hcm_code_h", code_h_.text}, {"hcm_code_v", code_v_.text}};
        std::snprintf(number, sizeof number, "%.17g", azimuth_deg_);
        out["azimuth_deg"] = number;
        std::snprintf(number, sizeof number, "%.17g", elevation_deg_);
        out["elevation_deg"] = number;
        return out;
    }

  private:
    AntennaCode code_h_;
    AntennaCode code_v_;
    double azimuth_deg_;
    double elevation_deg_;
};

}  // namespace

AntennaPattern make_pattern(std::string_view code_h, std::string_view code_v, double azimuth_deg,
                            double elevation_deg) {
    AntennaCode h = parse_code(code_h);
    AntennaCode v = parse_code(code_v);
    if (!std::isfinite(azimuth_deg)) {
        throw InputError("HCM antenna: azimuth (9A) is not a finite number");
    }
    if (!(elevation_deg >= -90.0 && elevation_deg <= 90.0)) {
        throw InputError("HCM antenna: elevation (9B) must be within [-90, 90] degrees");
    }
    std::string name = "hcm-";
    name.append(h.text).append("/").append(v.text);
    return AntennaPattern::from_model(
        std::move(name),
        std::make_shared<const HcmPattern>(std::move(h), std::move(v), azimuth_deg, elevation_deg));
}

namespace {

bool has_code_shape(std::string_view s) {
    if (s.size() != 7) return false;
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    return digit(s[0]) && digit(s[1]) && digit(s[2]) && upper(s[3]) && upper(s[4]) && digit(s[5]) &&
           digit(s[6]);
}

}  // namespace

std::optional<PatternCodes> pattern_codes(std::string_view p) {
    if (p == "omni") return PatternCodes{"000ND00", "000ND00"};
    if (has_code_shape(p)) return PatternCodes{std::string(p), "000ND00"};
    if (p.size() == 15 && p[7] == '/' && has_code_shape(p.substr(0, 7)) &&
        has_code_shape(p.substr(8)))
        return PatternCodes{std::string(p.substr(0, 7)), std::string(p.substr(8))};
    return std::nullopt;
}

}  // namespace grenzfunk::antenna::hcm
