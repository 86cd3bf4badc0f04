// The batched ITM attenuation tail (itm_tail_internal.hpp), compiled once per instruction set
// (Highway foreach_target). Every formula mirrors itm_attenuation.cpp ([Alg] §4) and
// itm_variability.cpp ([Alg] §5) operation by operation; the branches of the scalar code become
// lane selects (both sides are computed, the unused side's NaN or infinity is discarded).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "propagation/itm_tail.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include <cmath>

#include "propagation/itm_tail_internal.hpp"
#include "simd/vector_math_inl.hpp"

HWY_BEFORE_NAMESPACE();
namespace grenzfunk::propagation::itm::detail::HWY_NAMESPACE {
namespace {

namespace hn = hwy::HWY_NAMESPACE;
namespace vm = grenzfunk::simd::HWY_NAMESPACE;
using D = hn::ScalableTag<double>;
using V = hn::Vec<D>;
using M = hn::Mask<D>;

constexpr double pi = 3.1415926535897932384;
constexpr double earth_radius_m = 6370e3;

HWY_INLINE V set(double x) {
    return hn::Set(D(), x);
}

// std::max and std::min exactly, NaN included (std::max(a, b) is a < b ? b : a): the vector
// instructions' own NaN rules differ between instruction sets.
HWY_INLINE V max_of(V a, V b) {
    return hn::IfThenElse(hn::Lt(a, b), b, a);
}
HWY_INLINE V min_of(V a, V b) {
    return hn::IfThenElse(hn::Lt(b, a), b, a);
}
// "dim" of [Alg]: a - b where positive, else 0.
HWY_INLINE V positive_part(V a, V b) {
    return hn::IfThenElseZero(hn::Gt(a, b), a - b);
}

// dh (1 - 0.8 exp(-d / 50 km)), [ERL79] eq. (3).
HWY_INLINE V terrain_irregularity(V distance_m, V delta_h_m) {
    const D d;
    return delta_h_m * (set(1.0) - set(0.8) * vm::Exp(d, hn::Neg(distance_m) / set(50e3)));
}

// 0.78 dh exp(-0.5 dh^(1/4)), [ERL79] eq. (3.6a).
HWY_INLINE V rms_terrain_height(V delta_h_m) {
    const D d;
    return set(0.78) * delta_h_m * vm::Exp(d, set(-0.5) * hn::Sqrt(hn::Sqrt(delta_h_m)));
}

// Knife-edge attenuation of v^2, [TN101] eqs. (III.24b/c).
HWY_INLINE V knife_edge(V v2) {
    const D d;
    const V near = set(6.02) + set(9.11) * hn::Sqrt(v2) - set(1.27) * v2;
    const V far = set(12.953) + set(10.0) * vm::Log10(d, v2);
    return hn::IfThenElse(hn::Lt(v2, set(5.76)), near, far);
}

// Vogler's height-gain function F(x, K) ([Alg] §4 "fht").
HWY_INLINE V height_gain(V x, V k) {
    const D d;
    const V log_x = vm::Log(d, x);
    const V w = hn::Neg(vm::Log(d, k));
    const M beyond = hn::Or(hn::Lt(k, set(1e-5)), hn::Gt(x * w * w * w, set(5495.0)));
    const V beyond_value =
        set(-117.0) + hn::IfThenElseZero(hn::Gt(x, set(1.0)), set(17.372) * log_x);
    const V near_value = set(2.5e-5) * x * x / k - set(8.686) * w - set(15.0);
    const V small = hn::IfThenElse(beyond, beyond_value, near_value);
    const V large0 = set(0.05751) * x - set(4.343) * log_x;
    const V blend = set(0.0134) * x * vm::Exp(d, set(-0.005) * x);
    const V large1 = (set(1.0) - blend) * large0 + blend * (set(17.372) * log_x - set(117.0));
    const V large = hn::IfThenElse(hn::Lt(x, set(2000.0)), large1, large0);
    return hn::IfThenElse(hn::Lt(x, set(200.0)), small, large);
}

// Cube root of (4/3) a_0 / r.
HWY_INLINE V radius_factor(V radius_m) {
    return vm::Cbrt(D(), set((4.0 / 3.0) * earth_radius_m) / radius_m);
}

// One batch chunk: the lanes i .. i + Lanes - 1.
struct Path {
    V d, he[2], dl[2], theta[2], dh, a, ns;
};

// The path-dependent context of [Alg] §4 (Context of itm_attenuation.cpp).
struct Context {
    V los_angle, horizons, smooth_horizons;
    V x_horizons, horizon_gains, clutter, weight_root;
};

Context prepare(const TailConstants& c, const Path& p) {
    const D d;
    Context x;
    const V sm0 = hn::Sqrt(set(2.0) * p.he[0] * p.a);
    const V sm1 = hn::Sqrt(set(2.0) * p.he[1] * p.a);
    x.smooth_horizons = sm0 + sm1;
    x.horizons = p.dl[0] + p.dl[1];
    x.los_angle = hn::Neg(max_of(p.theta[0] + p.theta[1], hn::Neg(x.horizons) / p.a));
    x.x_horizons = hn::Zero(d);
    x.horizon_gains = hn::Zero(d);
    const V k_factor = set(c.k_factor);
    const V f_cbrt = set(c.f_cbrt);
    for (int j = 0; j < 2; ++j) {
        const V dl = p.dl[j];
        const V c0 = radius_factor(set(0.5) * dl * dl / p.he[j]);
        const V k = k_factor * c0;
        const V x_km = (set(1.607) - k) * c0 * c0 * f_cbrt * (dl / set(1000.0));
        x.x_horizons = x.x_horizons + x_km;
        x.horizon_gains = x.horizon_gains + height_gain(x_km, k);
    }
    const V sigma_h = rms_terrain_height(terrain_irregularity(x.smooth_horizons, p.dh));
    const double clutter_scale = 1e-5 * c.height_m[0] * c.height_m[1] * c.frequency_mhz;
    x.clutter = min_of(set(15.0), set(5.0) * vm::Log10(d, set(1.0) + set(clutter_scale) * sigma_h));
    const double heights = c.height_m[0] * c.height_m[1];
    const V excess = p.he[0] * p.he[1] - set(heights);
    x.weight_root = hn::Sqrt(set(1.0) + excess / set(heights + 10.0));
    return x;
}

// Diffraction attenuation at distance dist ([Alg] §4 "adiff").
V diffraction(const TailConstants& c, const Path& p, const Context& x, V dist) {
    const D d;
    const V f = set(c.frequency_mhz);
    const V theta = dist / p.a - x.los_angle;
    const V beyond = dist - x.horizons;
    const V factor = set(0.0795775) * (f / set(47.7)) * theta * theta;
    V knife = hn::Zero(d);
    for (int j = 0; j < 2; ++j)
        knife = knife + knife_edge(factor * p.dl[j] * beyond / (beyond + p.dl[j]));
    const V radius = (dist - x.horizons) / theta;
    const V c0 = radius_factor(radius);
    const V k = set(c.k_factor) * c0;
    const V x_km = (set(1.607) - k) * c0 * c0 * set(c.f_cbrt) * (radius * theta / set(1000.0));
    const V x_total = x_km + x.x_horizons;
    const V distance_term = set(0.05751) * x_total - set(10.0) * vm::Log10(d, x_total);
    const V smooth = distance_term - x.horizon_gains - set(20.0);
    const V q = (x.weight_root + (hn::Neg(x.los_angle) * p.a + x.horizons) / dist) *
                min_of(terrain_irregularity(dist, p.dh) * f / set(47.7), set(6283.2));
    const V w = set(25.1) / (set(25.1) + hn::Sqrt(q));
    return w * smooth + (set(1.0) - w) * knife + x.clutter;
}

// Line-of-sight attenuation at distance dist ([Alg] eqs. (4.46)-(4.50)).
V line_of_sight(const TailConstants& c, const Path& p, const Context& x, V dist, V slope,
                V intercept) {
    const D d;
    const V k = set(c.frequency_mhz / 47.7);
    const V sigma_h = rms_terrain_height(terrain_irregularity(dist, p.dh));
    const V height_sum = p.he[0] + p.he[1];
    const V sin_psi = height_sum / hn::Sqrt(dist * dist + height_sum * height_sum);
    // (sin psi - Z_g) / (sin psi + Z_g), then the roughness factor (4.47).
    const V zr = set(c.ground_re), zi = set(c.ground_im);
    const V num_re = sin_psi - zr, num_im = hn::Neg(zi);
    const V den_re = sin_psi + zr, den_im = zi;
    const V den2 = den_re * den_re + den_im * den_im;
    const V roughness = vm::Exp(d, hn::Neg(min_of(set(10.0), k * sigma_h * sin_psi)));
    V re = (num_re * den_re + num_im * den_im) / den2 * roughness;
    V im = (num_im * den_re - num_re * den_im) / den2 * roughness;
    // (4.48): |R_e|^2 at least max(0.25, sin psi).
    const V magnitude2 = re * re + im * im;
    const M raise = hn::Or(hn::Lt(magnitude2, set(0.25)), hn::Lt(magnitude2, sin_psi));
    const V scale = hn::IfThenElse(raise, hn::Sqrt(sin_psi / magnitude2), set(1.0));
    re = re * scale;
    im = im * scale;
    // (4.49)-(4.50)
    V phase = k * set(2.0) * p.he[0] * p.he[1] / dist;
    phase = hn::IfThenElse(hn::Gt(phase, set(pi / 2.0)),
                           set(pi) - set((pi / 2.0) * (pi / 2.0)) / phase, phase);
    const V sum_re = vm::Cos(d, phase) + re;
    const V sum_im = hn::Neg(vm::Sin(d, phase)) + im;
    const V two_ray = set(-10.0) * vm::Log10(d, sum_re * sum_re + sum_im * sum_im);
    const V extended = slope * dist + intercept;
    const V w =
        set(1.0) / (set(1.0) + set(c.frequency_mhz) * p.dh / max_of(set(10e3), x.smooth_horizons));
    return w * two_ray + (set(1.0) - w) * extended;
}

HWY_INLINE V climate_curve(const ClimateCurveParameters& cc, V d_e) {
    const V shape = (d_e - set(cc.x2)) / set(cc.x3);
    const V ramp = (d_e / set(cc.x1)) * (d_e / set(cc.x1));
    return (set(cc.c1) + set(cc.c2) / (set(1.0) + shape * shape)) * ramp / (set(1.0) + ramp);
}

// Attenuation below free space at the requested quantiles ([Alg] §5), as
// variability_attenuation_db.
V variability(const TailConstants& c, const Path& p, V reference) {
    const D d;
    const VariabilityConstants& vc = c.variability;
    const Variability& v = vc.variability;
    const ClimateParameters& cc = c.climate;
    const V k = set(vc.wave_number);
    const V d_ex = hn::Sqrt(set(2.0 * 9000e3) * p.he[0]) + hn::Sqrt(set(2.0 * 9000e3) * p.he[1]) +
                   set(vc.frequency_distance_m);
    const V d_e =
        hn::IfThenElse(hn::Lt(p.d, d_ex), set(130e3) * p.d / d_ex, set(130e3) + p.d - d_ex);
    const V sigma_situation = v.without_situation_variability
                                  ? hn::Zero(d)
                                  : set(5.0) + set(3.0) * vm::Exp(d, hn::Neg(d_e) / set(100e3));
    const V median = climate_curve(cc.median, d_e);
    const double z_time = vc.z_time, z_location = vc.z_location, z_situation = vc.z_situation;
    V sigma_location = hn::Zero(d);
    if (!v.without_location_variability) {
        const V dh_d = terrain_irregularity(p.d, p.dh);
        sigma_location = set(10.0) * k * dh_d / (k * dh_d + set(13.0));
    }
    const V y_location = sigma_location * set(z_location);
    const V spread_low = climate_curve(cc.spread_low, d_e) * set(vc.low_factor);
    const V spread_high = climate_curve(cc.spread_high, d_e) * set(vc.high_factor);
    const V spread_ducting = set(cc.ducting_ratio) * spread_high;
    const V tail = (spread_high - spread_ducting) * set(cc.ducting_z);
    V sigma_time;
    if (z_time < 0.0)
        sigma_time = spread_low;
    else if (z_time <= cc.ducting_z)
        sigma_time = spread_high;
    else
        sigma_time = spread_ducting + tail / set(z_time);
    const V y_time = sigma_time * set(z_time);
    const double zs2 = z_situation * z_situation;
    const V situation_part = sigma_situation * sigma_situation + y_time * y_time / set(7.8 + zs2) +
                             y_location * y_location / set(24.0 + zs2);
    V y_r, y_s;
    switch (v.mode) {
        case VariabilityMode::single_message:
            y_r = hn::Zero(d);
            y_s = hn::Sqrt(sigma_time * sigma_time + sigma_location * sigma_location +
                           situation_part) *
                  set(z_situation);
            break;
        case VariabilityMode::accidental:
            y_r = y_time;
            y_s = hn::Sqrt(sigma_location * sigma_location + situation_part) * set(z_situation);
            break;
        case VariabilityMode::mobile:
            y_r = hn::Sqrt(sigma_time * sigma_time + sigma_location * sigma_location) * set(z_time);
            y_s = hn::Sqrt(situation_part) * set(z_situation);
            break;
        case VariabilityMode::broadcast:
        default:
            y_r = y_time + y_location;
            y_s = hn::Sqrt(situation_part) * set(z_situation);
            break;
    }
    const V attenuation = reference - median - y_r - y_s;
    // Soft limit for gains over free space, [Alg] eq. (5.2).
    const V soft = attenuation * (set(29.0) - attenuation) / (set(29.0) - set(10.0) * attenuation);
    return hn::IfThenElse(hn::Lt(attenuation, hn::Zero(d)), soft, attenuation);
}

Path load(const TailBatch& b, std::size_t i) {
    const D d;
    Path p;
    p.d = hn::LoadU(d, b.distance_m + i);
    for (int j = 0; j < 2; ++j) {
        p.he[j] = hn::LoadU(d, b.effective_height_m[j] + i);
        p.dl[j] = hn::LoadU(d, b.horizon_distance_m[j] + i);
        p.theta[j] = hn::LoadU(d, b.horizon_angle_rad[j] + i);
    }
    p.dh = hn::LoadU(d, b.delta_h_m + i);
    p.a = hn::LoadU(d, b.radius_m + i);
    p.ns = hn::LoadU(d, b.surface_refractivity + i);
    return p;
}

// The diffraction line through d_3 and d_4 (slope, intercept) and the scale (a^2 / f)^(1/3).
struct DiffractionLine {
    V slope, intercept, scale;
};

DiffractionLine diffraction_line(const TailConstants& c, const Path& p, const Context& x) {
    const D d;
    DiffractionLine line;
    line.scale = vm::Cbrt(d, p.a * p.a / set(c.frequency_mhz));
    const V d3 = max_of(x.smooth_horizons, x.horizons + set(5.0) * line.scale);
    const V d4 = d3 + set(10.0) * line.scale;
    const V a3 = diffraction(c, p, x, d3);
    const V a4 = diffraction(c, p, x, d4);
    line.slope = (a4 - a3) / (d4 - d3);
    line.intercept = a3 - line.slope * d3;
    return line;
}

// Free space plus the statistics on the reference attenuation (finish() of itm.cpp).
void store(const TailConstants& c, const Path& p, V attenuation, TailBatch& b, std::size_t i) {
    const D d;
    const V reference = max_of(attenuation, hn::Zero(d));
    const V free_space = set(c.free_space_db) + set(20.0) * vm::Log10(d, p.d / set(1000.0));
    hn::StoreU(reference, d, b.reference_db + i);
    hn::StoreU(free_space + variability(c, p, reference), d, b.loss_db + i);
}

}  // namespace

void TailLineOfSight(const TailConstants& c, TailBatch& b) {
    const D d;
    const std::size_t n = hn::Lanes(d);
    for (std::size_t i = 0; i < std::size_t(tail_lanes); i += n) {
        const Path p = load(b, i);
        const Context x = prepare(c, p);
        const DiffractionLine line = diffraction_line(c, p, x);
        const V sm = x.smooth_horizons;
        // A_ref = A_o + k_1 d + k_2 ln d through the line-of-sight model at d_0 and d_1 and
        // the diffraction line at d_Ls ([ERL79] eqs. (3.16)-(3.21)).
        const V at_horizon = line.slope * sm + line.intercept;
        const V d0_free = set(0.04 * c.frequency_mhz) * p.he[0] * p.he[1];
        const M intercept_ge0 = hn::Ge(line.intercept, hn::Zero(d));
        const V d0_clamped = min_of(d0_free, set(0.5) * x.horizons);
        const V d0 = hn::IfThenElse(intercept_ge0, d0_clamped, d0_free);
        const V d1 =
            hn::IfThenElse(intercept_ge0, d0_clamped + set(0.25) * (x.horizons - d0_clamped),
                           max_of(hn::Neg(line.intercept) / line.slope, set(0.25) * x.horizons));
        const V a1 = line_of_sight(c, p, x, d1, line.slope, line.intercept);
        const V a0 = line_of_sight(c, p, x, d0, line.slope, line.intercept);
        const M two_points = hn::Lt(d0, d1);
        const V q = vm::Log(d, sm / d0);
        const V k2_both =
            max_of(hn::Zero(d), ((sm - d0) * (a1 - a0) - (d1 - d0) * (at_horizon - a0)) /
                                    ((sm - d0) * vm::Log(d, d1 / d0) - (d1 - d0) * q));
        const M use_both = hn::And(
            two_points, hn::Or(hn::Gt(line.intercept, hn::Zero(d)), hn::Gt(k2_both, hn::Zero(d))));
        // Both points: k_1 from the horizon; negative k_1 falls back to k_2 alone.
        const V k1_both = (at_horizon - a0 - k2_both * q) / (sm - d0);
        const M negative = hn::Lt(k1_both, hn::Zero(d));
        const V k2_fallback = positive_part(at_horizon, a0) / q;
        const V k1_fallback =
            hn::IfThenElse(hn::Eq(k2_fallback, hn::Zero(d)), line.slope, hn::Zero(d));
        const V k1_b = hn::IfThenElse(negative, k1_fallback, k1_both);
        const V k2_b = hn::IfThenElse(negative, k2_fallback, k2_both);
        // One point (d_1) only.
        const V k1_one_raw = positive_part(at_horizon, a1) / (sm - d1);
        const V k1_one = hn::IfThenElse(hn::Eq(k1_one_raw, hn::Zero(d)), line.slope, k1_one_raw);
        const V k1 = hn::IfThenElse(use_both, k1_b, k1_one);
        const V k2 = hn::IfThenElse(use_both, k2_b, hn::Zero(d));
        const V a_o = at_horizon - k1 * sm - k2 * vm::Log(d, sm);
        const V attenuation = a_o + k1 * p.d + k2 * vm::Log(d, p.d);
        store(c, p, attenuation, b, i);
    }
}

namespace {

// H_01(r) for the curve index j (0..4) of each lane, [Alg] eq. (6.13).
V frequency_gain_curve(V j, V r) {
    const D d;
    static constexpr double a[5] = {25.0, 80.0, 177.0, 395.0, 705.0};
    static constexpr double b[5] = {24.0, 45.0, 68.0, 80.0, 105.0};
    V av = set(a[0]), bv = set(b[0]);
    for (int m = 1; m < 5; ++m) {
        const M is_m = hn::Eq(j, set(double(m)));
        av = hn::IfThenElse(is_m, set(a[m]), av);
        bv = hn::IfThenElse(is_m, set(b[m]), bv);
    }
    const V inv2 = set(1.0) / (r * r);
    return set(10.0) * vm::Log10(d, set(1.0) + av * inv2 * inv2 + bv * inv2);
}

// H_0(r, eta_s), [TN101] §9.2.
V frequency_gain(V r, V eta_s) {
    eta_s = min_of(max_of(eta_s, set(1.0)), set(5.0));
    const V whole = hn::Floor(eta_s);  // int(eta_s) for eta_s >= 1
    const V fraction = eta_s - whole;
    const V value = frequency_gain_curve(whole - set(1.0), r);
    const V next = frequency_gain_curve(min_of(whole, set(4.0)), r);
    const V blended = (set(1.0) - fraction) * value + fraction * next;
    return hn::IfThenElse(hn::Ne(fraction, hn::Zero(D())), blended, value);
}

// H_0 of troposcatter at distance dist, without the caching rules; `undefined` lanes have
// r_1 < 0.2 and r_2 < 0.2 ([Alg] p. 11).
V scatter_h0(const TailConstants& c, const Path& p, V dist, M& undefined) {
    const D d;
    const V k = set(c.frequency_mhz / 47.7);
    const V asym_raw = p.dl[0] - p.dl[1];
    const V ratio_raw = p.he[1] / p.he[0];
    const M flip = hn::Lt(asym_raw, hn::Zero(d));
    const V asymmetry = hn::IfThenElse(flip, hn::Neg(asym_raw), asym_raw);
    const V height_ratio = hn::IfThenElse(flip, set(1.0) / ratio_raw, ratio_raw);
    const V theta = p.theta[0] + p.theta[1] + dist / p.a;
    const V r1 = set(2.0) * k * theta * p.he[0];
    const V r2 = set(2.0) * k * theta * p.he[1];
    undefined = hn::And(hn::Lt(r1, set(0.2)), hn::Lt(r2, set(0.2)));
    V s = (dist - asymmetry) / (dist + asymmetry);
    const V q = min_of(max_of(set(0.1), height_ratio / s), set(10.0));
    s = max_of(set(0.1), s);
    const V crossover = (dist - asymmetry) * (dist + asymmetry) * theta * set(0.25) / dist;
    const V ns = p.ns;
    const V m = min_of(set(1.7), crossover / set(8.0e3));
    const V m3 = m * m * m;
    const V eta_s = (crossover / set(1.7556e3)) *
                    (set(1.0) + (set(0.031) - ns * set(2.32e-3) + ns * ns * set(5.67e-6)) *
                                    vm::Exp(d, hn::Neg(m3 * m3)));
    const V h00 = (frequency_gain(r1, eta_s) + frequency_gain(r2, eta_s)) / set(2.0);
    const V delta_h0 = min_of(h00, set(6.0) * (set(0.6) - vm::Log10(d, max_of(eta_s, set(1.0)))) *
                                       vm::Log10(d, s) * vm::Log10(d, q));
    V h0 = max_of(h00 + delta_h0, hn::Zero(d));
    const V root2 = set(std::sqrt(2.0));
    const V ra = (set(1.0) + root2 / r1) * (set(1.0) + root2 / r2);
    const V blended =
        eta_s * h0 + (set(1.0) - eta_s) * set(10.0) *
                         vm::Log10(d, ra * ra * (r1 + r2) / (r1 + r2 + set(2.0) * root2));
    h0 = hn::IfThenElse(hn::Lt(eta_s, set(1.0)), blended, h0);
    return h0;
}

// A_scat at distance dist with a given H_0 ([Alg] eqs. (4.63)-(4.67)).
V scatter_attenuation(const TailConstants& c, const Path& p, const Context& x, V dist, V h0) {
    const D d;
    const V k = set(c.frequency_mhz / 47.7);
    const V th = dist / p.a - x.los_angle;
    const V td = th * dist;
    // F(theta d), [Alg] eq. (6.9).
    const M first = hn::Le(td, set(10e3));
    const M second = hn::Le(td, set(70e3));
    const V fa = hn::IfThenElse(first, set(133.4), hn::IfThenElse(second, set(104.6), set(71.8)));
    const V fb =
        hn::IfThenElse(first, set(0.332e-3), hn::IfThenElse(second, set(0.212e-3), set(0.157e-3)));
    const V fc = hn::IfThenElse(first, set(-10.0), hn::IfThenElse(second, set(-2.5), set(5.0)));
    const V f_td = fa + fb * td + fc * vm::Log10(d, td);
    return f_td + set(10.0) * vm::Log10(d, k * set(47.7) * ((th * th) * (th * th))) -
           set(0.1) * (p.ns - set(301.0)) * vm::Exp(d, hn::Neg(th) * dist / set(40e3)) + h0;
}

}  // namespace

void TailBeyondHorizon(const TailConstants& c, TailBatch& b) {
    const D d;
    const std::size_t n = hn::Lanes(d);
    for (std::size_t i = 0; i < std::size_t(tail_lanes); i += n) {
        const Path p = load(b, i);
        const Context x = prepare(c, p);
        const DiffractionLine line = diffraction_line(c, p, x);
        // Troposcatter line through d_5 and d_6; H_0 found at d_6 serves d_5 where it is above
        // 15 dB, or where d_5's own value is ([Alg] p. 12).
        const V d5 = x.horizons + set(200e3);
        const V d6 = x.horizons + set(400e3);
        M undefined6, undefined5;
        const V h06 = scatter_h0(c, p, d6, undefined6);
        const V h05_own = scatter_h0(c, p, d5, undefined5);
        const M cached = hn::AndNot(undefined6, hn::Gt(h06, set(15.0)));
        const M keep6 = hn::AndNot(undefined6, hn::Gt(h05_own, set(15.0)));
        const V h05 = hn::IfThenElse(hn::Or(cached, keep6), h06, h05_own);
        const M a5_undefined = hn::AndNot(cached, undefined5);
        const V a6 = hn::IfThenElse(undefined6, set(1001.0), scatter_attenuation(c, p, x, d6, h06));
        const V a5 =
            hn::IfThenElse(a5_undefined, set(1001.0), scatter_attenuation(c, p, x, d5, h05));
        const M defined = hn::Lt(a5, set(1000.0));
        const V slope_s = (a6 - a5) / set(200e3);
        const V crossover = max_of(
            max_of(x.smooth_horizons, x.horizons + set(1.088) * line.scale * set(c.log_frequency)),
            (a5 - line.intercept - slope_s * d5) / (line.slope - slope_s));
        const V intercept_s = (line.slope - slope_s) * crossover + line.intercept;
        const V scatter_slope = hn::IfThenElse(defined, slope_s, line.slope);
        const V scatter_intercept = hn::IfThenElse(defined, intercept_s, line.intercept);
        const V cross = hn::IfThenElse(defined, crossover, set(10e6));
        const M scatter = hn::Gt(p.d, cross);
        const V attenuation = hn::IfThenElse(scatter, scatter_slope * p.d + scatter_intercept,
                                             line.slope * p.d + line.intercept);
        hn::StoreU(hn::IfThenElseZero(scatter, set(1.0)), d, b.troposcatter + i);
        store(c, p, attenuation, b, i);
    }
}

}  // namespace grenzfunk::propagation::itm::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace grenzfunk::propagation::itm::detail {

HWY_EXPORT(TailLineOfSight);
HWY_EXPORT(TailBeyondHorizon);

void tail_line_of_sight(const TailConstants& constants, TailBatch& batch) {
    HWY_DYNAMIC_DISPATCH(TailLineOfSight)(constants, batch);
}

void tail_beyond_horizon(const TailConstants& constants, TailBatch& batch) {
    HWY_DYNAMIC_DISPATCH(TailBeyondHorizon)(constants, batch);
}

TailConstants tail_constants(double frequency_mhz, double tx_height_m, double rx_height_m,
                             std::complex<double> ground_impedance,
                             const VariabilityConstants& variability) {
    TailConstants c;
    c.frequency_mhz = frequency_mhz;
    c.height_m[0] = tx_height_m;
    c.height_m[1] = rx_height_m;
    c.ground_re = ground_impedance.real();
    c.ground_im = ground_impedance.imag();
    c.f_cbrt = std::cbrt(frequency_mhz);
    c.k_factor = 0.017778 / c.f_cbrt / std::abs(ground_impedance);
    c.log_frequency = std::log(frequency_mhz);
    c.free_space_db = 32.45 + 20.0 * std::log10(frequency_mhz);
    c.variability = variability;
    c.climate = climate_parameters(variability.climate);
    return c;
}

}  // namespace grenzfunk::propagation::itm::detail
#endif
