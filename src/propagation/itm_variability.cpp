// ITM 1.2.2, statistics ([Alg] §5, "avar"): the attenuation not exceeded at the requested time,
// location and situation quantiles, from the climate curves of [TN101] §10 / Vol. 2 eqs.
// (III.69)-(III.70) fitted as in [Alg] §5, combined according to the mode of variability.
#include <cmath>

#include "propagation/itm_tail_internal.hpp"

namespace grenzfunk::propagation::itm::detail {

namespace {

// Climate curve: (c1 + c2 / (1 + ((d_e - x2) / x3)^2)) (d_e / x1)^2 / (1 + (d_e / x1)^2).
struct ClimateCurve {
    double c1, c2, x1, x2, x3;

    double operator()(double d_e) const {
        const double shape = (d_e - x2) / x3;
        const double ramp = (d_e / x1) * (d_e / x1);
        return (c1 + c2 / (1.0 + shape * shape)) * ramp / (1.0 + ramp);
    }
};

// Frequency factor g(f) = g1 + g2 / ((g3 ln(0.133 k))^2 + 1) for the time spread.
struct FrequencyFactor {
    double g1, g2, g3;

    double operator()(double log_term) const {
        const double x = g3 * log_term;
        return g1 + g2 / (x * x + 1.0);
    }
};

struct ClimateConstants {
    ClimateCurve median;       // V_med: all-year median deviation
    ClimateCurve spread_low;   // sigma_T- (z_T < 0)
    ClimateCurve spread_high;  // sigma_T+ (z_T >= 0)
    double ducting_ratio;      // C_D: sigma_TD / sigma_T+
    double ducting_z;          // z_D: deviate beyond which ducting dominates
    FrequencyFactor low_factor;
    FrequencyFactor high_factor;
};

// [Alg] Table 5.1 and the curve-fit constants of [Alg] §5 (reference release Variability.cpp),
// indexed by climate 1..7.
constexpr ClimateConstants climates[7] = {
    // 1 equatorial
    {{-9.67, 12.7, 144.9e3, 190.3e3, 133.8e3},
     {2.13, 159.5, 762.2e3, 123.6e3, 94.5e3},
     {2.11, 102.3, 636.9e3, 134.8e3, 95.6e3},
     1.224,
     1.282,
     {1.0, 0.0, 0.0},
     {1.0, 0.0, 0.0}},
    // 2 continental subtropical
    {{-0.62, 9.19, 228.9e3, 205.2e3, 143.6e3},
     {2.66, 7.67, 100.4e3, 172.5e3, 136.4e3},
     {6.87, 15.53, 138.7e3, 143.7e3, 98.6e3},
     0.801,
     2.161,
     {1.0, 0.0, 0.0},
     {0.93, 0.31, 2.00}},
    // 3 maritime subtropical
    {{1.26, 15.5, 262.6e3, 185.2e3, 99.8e3},
     {6.11, 6.65, 138.2e3, 242.2e3, 178.6e3},
     {10.08, 9.60, 165.3e3, 225.7e3, 129.7e3},
     1.380,
     1.282,
     {1.0, 0.0, 0.0},
     {1.0, 0.0, 0.0}},
    // 4 desert
    {{-9.21, 9.05, 84.1e3, 101.1e3, 98.6e3},
     {1.98, 13.11, 139.1e3, 132.7e3, 193.5e3},
     {3.68, 159.3, 464.4e3, 93.1e3, 94.2e3},
     1.000,
     20.0,
     {1.0, 0.0, 0.0},
     {0.93, 0.19, 1.79}},
    // 5 continental temperate
    {{-0.62, 9.19, 228.9e3, 205.2e3, 143.6e3},
     {2.68, 7.16, 93.7e3, 186.8e3, 133.5e3},
     {4.75, 8.12, 93.2e3, 135.9e3, 113.4e3},
     1.224,
     1.282,
     {0.92, 0.25, 1.77},
     {0.93, 0.31, 2.00}},
    // 6 maritime temperate over land
    {{-0.39, 2.86, 141.7e3, 315.9e3, 167.4e3},
     {6.86, 10.38, 187.8e3, 169.6e3, 108.9e3},
     {8.58, 13.97, 216.0e3, 152.0e3, 122.7e3},
     1.518,
     1.282,
     {1.0, 0.0, 0.0},
     {1.0, 0.0, 0.0}},
    // 7 maritime temperate over sea
    {{3.15, 857.9, 2222.e3, 164.8e3, 116.3e3},
     {8.51, 169.8, 609.8e3, 119.9e3, 106.6e3},
     {8.43, 8.19, 136.2e3, 188.5e3, 122.9e3},
     1.518,
     1.282,
     {1.0, 0.0, 0.0},
     {1.0, 0.0, 0.0}},
};

}  // namespace

ClimateParameters climate_parameters(Climate climate) {
    const ClimateConstants& cc = climates[int(climate) - 1];
    const auto curve = [](const ClimateCurve& c) {
        return ClimateCurveParameters{c.c1, c.c2, c.x1, c.x2, c.x3};
    };
    return {curve(cc.median), curve(cc.spread_low), curve(cc.spread_high), cc.ducting_ratio,
            cc.ducting_z};
}

double inverse_ccdf(double q) {
    // Abramowitz & Stegun 26.2.23, |error| < 4.5e-4.
    constexpr double c0 = 2.515516, c1 = 0.802853, c2 = 0.010328;
    constexpr double d1 = 1.432788, d2 = 0.189269, d3 = 0.001308;
    const double x = q > 0.5 ? 1.0 - q : q;
    const double t = std::sqrt(-2.0 * std::log(x));
    const double z = t - ((c2 * t + c1) * t + c0) / (((d3 * t + d2) * t + d1) * t + 1.0);
    return q > 0.5 ? -z : z;
}

VariabilityConstants variability_constants(const Variability& v, Climate climate,
                                           double frequency_mhz) {
    const ClimateConstants& cc = climates[int(climate) - 1];
    VariabilityConstants out;
    out.variability = v;
    out.climate = climate;
    out.wave_number = frequency_mhz / 47.7;
    const double k = out.wave_number;

    double z_time = inverse_ccdf(v.time_percent / 100.0);
    double z_location = inverse_ccdf(v.location_percent / 100.0);
    const double z_situation = inverse_ccdf(v.situation_percent / 100.0);
    // Modes tie deviates together: single message uses one deviate for all three, accidental
    // ties location to situation, mobile ties location to time.
    switch (v.mode) {
        case VariabilityMode::single_message:
            z_time = z_situation;
            z_location = z_situation;
            break;
        case VariabilityMode::accidental:
            z_location = z_situation;
            break;
        case VariabilityMode::mobile:
            z_location = z_time;
            break;
        case VariabilityMode::broadcast:
            break;
    }
    out.z_time = z_time;
    out.z_location = z_location;
    out.z_situation = z_situation;
    out.extreme =
        std::fabs(z_time) > 3.10 || std::fabs(z_location) > 3.10 || std::fabs(z_situation) > 3.10;
    // Frequency part of the effective distance, [Alg] eq. (5.3), and of the time spreads.
    out.frequency_distance_m = std::cbrt(575.7e12 / k);
    const double log_term = std::log(0.133 * k);
    out.low_factor = cc.low_factor(log_term);
    out.high_factor = cc.high_factor(log_term);
    return out;
}

double variability_attenuation_db(const Variability& v, Climate climate, const PathGeometry& g,
                                  double reference_db, std::uint32_t& warnings) {
    return variability_attenuation_db(variability_constants(v, climate, g.frequency_mhz), g,
                                      reference_db, warnings);
}

double variability_attenuation_db(const VariabilityConstants& vc, const PathGeometry& g,
                                  double reference_db, std::uint32_t& warnings) {
    const Variability& v = vc.variability;
    const ClimateConstants& cc = climates[int(vc.climate) - 1];
    const double k = vc.wave_number;
    const double d = g.distance_m;

    // Effective distance d_e, [Alg] eq. (5.3), with a 9000 km radius for the horizons.
    constexpr double radius_9000km = 9000e3;
    const double d_ex = std::sqrt(2.0 * radius_9000km * g.effective_height_m[0]) +
                        std::sqrt(2.0 * radius_9000km * g.effective_height_m[1]) +
                        vc.frequency_distance_m;
    const double d_e = d < d_ex ? 130e3 * d / d_ex : 130e3 + d - d_ex;

    // Situation spread, [Alg] eq. (5.10), D = 100 km; none when dropped (mdvar + 20).
    const double sigma_situation =
        v.without_situation_variability ? 0.0 : 5.0 + 3.0 * std::exp(-d_e / 100e3);

    const double median_db = cc.median(d_e);

    const double z_time = vc.z_time, z_location = vc.z_location, z_situation = vc.z_situation;
    if (vc.extreme) warnings |= warn_extreme_variability;

    // Location spread (context of [Alg] eq. (5.9)); none when dropped (mdvar + 10).
    double sigma_location = 0.0;
    if (!v.without_location_variability) {
        const double dh_d = terrain_irregularity_at_m(d, g.delta_h_m);
        sigma_location = 10.0 * k * dh_d / (k * dh_d + 13.0);
    }
    const double y_location = sigma_location * z_location;

    // Time spread: sigma_T- below the median, sigma_T+ above, bending to the ducting tail
    // beyond z_D.
    const double spread_low = cc.spread_low(d_e) * vc.low_factor;
    const double spread_high = cc.spread_high(d_e) * vc.high_factor;
    const double spread_ducting = cc.ducting_ratio * spread_high;
    const double tail = (spread_high - spread_ducting) * cc.ducting_z;
    double sigma_time;
    if (z_time < 0.0)
        sigma_time = spread_low;
    else if (z_time <= cc.ducting_z)
        sigma_time = spread_high;
    else
        sigma_time = spread_ducting + tail / z_time;
    const double y_time = sigma_time * z_time;

    // Combination, [Alg] eq. (5.11).
    const double zs2 = z_situation * z_situation;
    const double situation_part = sigma_situation * sigma_situation +
                                  y_time * y_time / (7.8 + zs2) +
                                  y_location * y_location / (24.0 + zs2);
    double y_r;  // deviation from the reliability part
    double y_s;  // deviation from the situation (confidence) part
    switch (v.mode) {
        case VariabilityMode::single_message:
            y_r = 0.0;
            y_s = std::sqrt(sigma_time * sigma_time + sigma_location * sigma_location +
                            situation_part) *
                  z_situation;
            break;
        case VariabilityMode::accidental:
            y_r = y_time;
            y_s = std::sqrt(sigma_location * sigma_location + situation_part) * z_situation;
            break;
        case VariabilityMode::mobile:
            y_r = std::sqrt(sigma_time * sigma_time + sigma_location * sigma_location) * z_time;
            y_s = std::sqrt(situation_part) * z_situation;
            break;
        case VariabilityMode::broadcast:
        default:
            y_r = y_time + y_location;
            y_s = std::sqrt(situation_part) * z_situation;
            break;
    }

    double attenuation = reference_db - median_db - y_r - y_s;
    // Soft limit for gains over free space, [Alg] eq. (5.2).
    if (attenuation < 0.0)
        attenuation = attenuation * (29.0 - attenuation) / (29.0 - 10.0 * attenuation);
    return attenuation;
}

}  // namespace grenzfunk::propagation::itm::detail
