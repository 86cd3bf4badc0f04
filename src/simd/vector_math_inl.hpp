// Vector maths for the kernels, one algorithm for every instruction set (dispatch.hpp): include
// it from a file compiled once per target (hwy/foreach_target.h) and call
// grenzfunk::simd::HWY_NAMESPACE::Exp(d, x) etc. on double vectors. Scalar and array entry
// points: vector_math.hpp.
//
// Same bits on every path (AVX-512, AVX2, SSE4, scalar): every step is one correctly rounded
// IEEE operation (+ - * /, compares, selects, bit and integer operations on the exponent) in a
// fixed order. No fused multiply-add (AVX2/AVX-512 only), no approximate reciprocal, no
// hn::Round/Floor/ConvertTo (Highway's scalar Round rounds 0.5 - 2^-54 up; the integer
// conversions saturate differently per target): rounding to an integer is the 1.5 * 2^52 shift,
// exact and ties-to-even on every path. Special inputs (0, inf, NaN, out of range) are computed
// on a harmless stand-in and replaced by a select at the end, so no lane ever depends on how a
// target treats NaN in Min/Max or conversions.
//
// Accuracy (max error against glibc's 80-bit long double functions, tests/test_vector_math.cpp,
// docs/engine.md "Vector maths and paths"): about 1 ulp each, bound asserted 2 ulp. Domains:
//   Exp    all doubles; gradual underflow to the subnormals (0 below -745.13), inf above 709.78
//   Log    all positive doubles incl. subnormals; log(0) = -inf, log(<0) = NaN, log(inf) = inf
//   Log10  as Log
//   Cbrt   all doubles; cbrt(+-0) = +-0, cbrt(+-inf) = +-inf
//   Sin    |x| < 1e6 (exact reduction for |round(2x/pi)| < 2^20); NaN outside (and for inf)
//   Cos    as Sin
//   SinCos both at the cost of about one
// Polynomial coefficients: near-minimax fits derived by vector_math_coefficients.py (mpmath),
// which also prints the fit errors quoted below.
#if defined(GRENZFUNK_SIMD_VECTOR_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef GRENZFUNK_SIMD_VECTOR_MATH_INL_H_
#undef GRENZFUNK_SIMD_VECTOR_MATH_INL_H_
#else
#define GRENZFUNK_SIMD_VECTOR_MATH_INL_H_
#endif

#include <hwy/highway.h>

#include <cstddef>
#include <cstdint>
#include <limits>

HWY_BEFORE_NAMESPACE();
namespace grenzfunk::simd::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

namespace vmath {

// y + 1.5 * 2^52 - 1.5 * 2^52 is y rounded to the nearest integer (ties to even) for |y| < 2^51,
// and the bits of y + 1.5 * 2^52 hold that integer in two's complement in the low mantissa bits.
inline constexpr double kShift = 0x1.8p52;
inline constexpr std::uint64_t kMantissaMask = 0x000FFFFFFFFFFFFFull;
inline constexpr std::uint64_t kSignMask = 0x8000000000000000ull;

// Polynomials, lowest degree first, evaluated by Horner's rule (vector_math_coefficients.py).
// exp: q(r) = (e^r - 1 - r) / r^2 on |r| <= ln2 / 2, degree 10, error 3.4e-19 of e^r.
inline constexpr double kExpQ[] = {
    0x1.0000000000000p-1,  0x1.5555555555557p-3,  0x1.5555555555556p-5,  0x1.11111111100dfp-7,
    0x1.6c16c16c162d6p-10, 0x1.a01a01abe62ddp-13, 0x1.a01a01a6d7808p-16, 0x1.71de023756530p-19,
    0x1.27e4db67b42e0p-22, 0x1.af4ddd849007ep-26, 0x1.1f72fc730fcb1p-29,
};
// log: P(z) = (2 atanh(s) / s - 2) / z, z = s^2 <= 0.02944, degree 7, relative error 5.6e-17.
inline constexpr double kLogP[] = {
    0x1.5555555555555p-1, 0x1.9999999999a38p-2, 0x1.2492492476ccap-2, 0x1.c71c7201593e7p-3,
    0x1.745cf9047d94fp-3, 0x1.3b1c355e04452p-3, 0x1.0fbe957a86767p-3, 0x1.0c03a0119667bp-3,
};
// sin: S(z) = (sin(r) / r - 1) / z, z = r^2 <= (pi/4)^2, degree 6, relative error 5.7e-17.
inline constexpr double kSinS[] = {
    -0x1.5555555555555p-3,  0x1.1111111111110p-7,  -0x1.a01a01a019938p-13, 0x1.71de3a5460952p-19,
    -0x1.ae645412c46d3p-26, 0x1.61217f0abf087p-33, -0x1.ab17d393166dcp-41,
};
// cos: C(z) = (cos(r) - 1 + z / 2) / z^2, z <= (pi/4)^2, degree 6, relative error 5.6e-17.
inline constexpr double kCosC[] = {
    0x1.5555555555555p-5,  -0x1.6c16c16c16c16p-10, 0x1.a01a01a019d0ap-16, -0x1.27e4fb7712d61p-22,
    0x1.1eed8deb973d2p-29, -0x1.9394ba0c2b394p-37, 0x1.ab785a9b7d08fp-45,
};
// cbrt(m), m in [1, 2]: first guess only, error 2.5e-7 (refined below).
inline constexpr double kCbrtGuess[] = {
    0x1.cb68f94b94beap-2,  0x1.e33114033c8b7p-1, -0x1.4f65258278179p-1, 0x1.8026ac948a766p-2,
    -0x1.1d2e558db1d25p-3, 0x1.e346250683378p-6, -0x1.6254d5208eb99p-9,
};

// Cody-Waite splits: the high parts have 11 (ln 2, log10 2) or 20 (pi/2) trailing zero bits, so
// their product with the reduction integer (|n| < 2^11, |n| < 2^20) is exact.
inline constexpr double kInvLn2 = 0x1.71547652b82fep+0;
inline constexpr double kLn2Hi = 0x1.62e42fefa3800p-1;
inline constexpr double kLn2Lo = 0x1.ef35793c76730p-45;
inline constexpr double kLog10_2Hi = 0x1.34413509f7800p-2;
inline constexpr double kLog10_2Lo = 0x1.fef311f12b358p-46;
inline constexpr double kInvLn10Hi = 0x1.bcb7b15200000p-2;  // 32 significant bits
inline constexpr double kInvLn10Lo = 0x1.b9438ca9aadd5p-36;
inline constexpr double kTwoOverPi = 0x1.45f306dc9c883p-1;
inline constexpr double kPio2_1 = 0x1.921fb54400000p+0;  // 33 bits each, then the rest
inline constexpr double kPio2_2 = 0x1.0b4611a600000p-34;
inline constexpr double kPio2_3 = 0x1.3198a2e000000p-69;
inline constexpr double kPio2_4 = 0x1.b839a252049c1p-104;
inline constexpr double kTrigLimit = 1e6;  // 2/pi * 1e6 < 2^20
inline constexpr double kCbrt2 = 0x1.428a2f98d728bp+0;
inline constexpr double kCbrt4 = 0x1.965fea53d6e3dp+0;

template <class D, class V, std::size_t N>
HWY_INLINE V Horner(D d, V t, const double (&c)[N]) {
    V acc = hn::Set(d, c[N - 1]);
    for (std::size_t i = N - 1; i-- > 0;) acc = hn::Add(hn::Mul(acc, t), hn::Set(d, c[i]));
    return acc;
}

// Nearest integer (ties to even) of |y| < 2^51, as a double.
template <class D, class V>
HWY_INLINE V RoundToInt(D d, V y) {
    const V shift = hn::Set(d, kShift);
    return hn::Sub(hn::Add(y, shift), shift);
}

// 2^k for an integral double k in [-1022, 1023], built from its exponent bits.
template <class D, class V>
HWY_INLINE V Pow2(D d, V k) {
    const hn::RebindToUnsigned<D> du;
    const auto bits = hn::BitCast(du, hn::Add(k, hn::Set(d, kShift)));  // ... + k in the low bits
    return hn::BitCast(d, hn::ShiftLeft<52>(hn::Add(bits, hn::Set(du, 1023))));
}

// The integer u < 2^52 held in unsigned lanes, as a double.
template <class D, class VU>
HWY_INLINE hn::Vec<D> UnsignedToDouble(D d, VU u) {
    const hn::RebindToUnsigned<D> du;
    const hn::Vec<D> two52 = hn::Set(d, 0x1.0p52);
    return hn::Sub(hn::BitCast(d, hn::Or(u, hn::BitCast(du, two52))), two52);
}

// a + b = sum + err exactly (Knuth's TwoSum, no ordering of |a|, |b| needed).
template <class V>
HWY_INLINE void TwoSum(V a, V b, V& sum, V& err) {
    sum = hn::Add(a, b);
    const V bb = hn::Sub(sum, a);
    err = hn::Add(hn::Sub(a, hn::Sub(sum, bb)), hn::Sub(b, bb));
}

// log x = e ln2 + log(1 + f) for positive finite x (other lanes: any), with
// log(1 + f) = f - hfsq + tail: f = m - 1, m = x 2^-e in [sqrt(1/2), sqrt(2)), hfsq = f^2 / 2,
// tail = s (hfsq + z P(z)), s = f / (2 + f), z = s^2 (from 2 atanh(s) = 2s + s z P(z) and
// 2s = f - s f).
template <class D, class V>
HWY_INLINE void LogParts(D d, V x, V& e, V& f, V& hfsq, V& tail) {
    const hn::RebindToUnsigned<D> du;
    const auto subnormal = hn::Lt(x, hn::Set(d, 0x1.0p-1022));
    const V xs = hn::IfThenElse(subnormal, hn::Mul(x, hn::Set(d, 0x1.0p54)), x);
    // Subtracting the bits of ~sqrt(1/2) moves the exponent boundary there: the top bits of
    // bits(x) - K are e, the rest the offset of m's bits from K (2^62 keeps it unsigned).
    constexpr std::uint64_t kSqrtHalfBits = 0x3FE6A09E667F3BCDull;
    const auto u = hn::Add(hn::Sub(hn::BitCast(du, xs), hn::Set(du, kSqrtHalfBits)),
                           hn::Set(du, 0x4000000000000000ull));
    e = hn::Sub(UnsignedToDouble(d, hn::ShiftRight<52>(u)),
                hn::IfThenElse(subnormal, hn::Set(d, 1024.0 + 54.0), hn::Set(d, 1024.0)));
    const V m =
        hn::BitCast(d, hn::Add(hn::And(u, hn::Set(du, kMantissaMask)), hn::Set(du, kSqrtHalfBits)));
    f = hn::Sub(m, hn::Set(d, 1.0));  // exact (Sterbenz)
    hfsq = hn::Mul(hn::Set(d, 0.5), hn::Mul(f, f));
    const V s = hn::Div(f, hn::Add(hn::Set(d, 2.0), f));
    const V z = hn::Mul(s, s);
    tail = hn::Mul(s, hn::Add(hfsq, hn::Mul(z, Horner(d, z, kLogP))));
}

// The special values of log and log10 over the finite result y of a positive finite x.
template <class D, class V>
HWY_INLINE V LogSpecials(D d, V x, V y) {
    const V inf = hn::Set(d, std::numeric_limits<double>::infinity());
    y = hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Neg(inf), y);
    y = hn::IfThenElse(hn::Lt(x, hn::Zero(d)), hn::Set(d, std::numeric_limits<double>::quiet_NaN()),
                       y);
    y = hn::IfThenElse(hn::Eq(x, inf), inf, y);
    return hn::IfThenElse(hn::IsNaN(x), x, y);
}

// Positive finite lanes stay, the others become 1 (their result is replaced afterwards).
template <class D, class V>
HWY_INLINE V PositiveFiniteOrOne(D d, V x) {
    const auto ok = hn::And(hn::Gt(x, hn::Zero(d)),
                            hn::Lt(x, hn::Set(d, std::numeric_limits<double>::infinity())));
    return hn::IfThenElse(ok, x, hn::Set(d, 1.0));
}

// x = n pi/2 + r_hi + r_lo for |x| < kTrigLimit, |r| <= pi/4 (+ rounding), n's two low bits in
// quadrant. P1..P3 times n are exact, x - n P1 is exact (Sterbenz) and the TwoSums keep the
// rest exact, so r is accurate even where x is close to a multiple of pi/2.
template <class D, class V, class VU>
HWY_INLINE void ReducePio2(D d, V x, V& r_hi, V& r_lo, VU& quadrant) {
    const hn::RebindToUnsigned<D> du;
    const V shifted = hn::Add(hn::Mul(x, hn::Set(d, kTwoOverPi)), hn::Set(d, kShift));
    const V n = hn::Sub(shifted, hn::Set(d, kShift));
    quadrant = hn::And(hn::BitCast(du, shifted), hn::Set(du, 3));
    const V t1 = hn::Sub(x, hn::Mul(n, hn::Set(d, kPio2_1)));
    V h, l, h2, l2;
    TwoSum(t1, hn::Neg(hn::Mul(n, hn::Set(d, kPio2_2))), h, l);
    TwoSum(h, hn::Neg(hn::Mul(n, hn::Set(d, kPio2_3))), h2, l2);
    const V lo = hn::Sub(hn::Add(l, l2), hn::Mul(n, hn::Set(d, kPio2_4)));
    r_hi = hn::Add(h2, lo);
    r_lo = hn::Sub(lo, hn::Sub(r_hi, h2));
}

// sin(r_hi + r_lo) = r + r z S(z) + r_lo (1 - z/2), z = r_hi^2.
template <class D, class V>
HWY_INLINE V SinKernel(D d, V r_hi, V r_lo, V z) {
    const V poly = hn::Mul(hn::Mul(r_hi, z), Horner(d, z, kSinS));
    const V lo = hn::Sub(r_lo, hn::Mul(hn::Mul(hn::Set(d, 0.5), z), r_lo));
    return hn::Add(r_hi, hn::Add(poly, lo));
}

// cos(r_hi + r_lo) = 1 - z/2 + z^2 C(z) - r_hi r_lo; the rounding error of 1 - z/2 is recovered
// exactly ((1 - w) - z/2, Sterbenz) and added back.
template <class D, class V>
HWY_INLINE V CosKernel(D d, V r_hi, V r_lo, V z) {
    const V one = hn::Set(d, 1.0);
    const V hz = hn::Mul(hn::Set(d, 0.5), z);
    const V w = hn::Sub(one, hz);
    const V lost = hn::Sub(hn::Sub(one, w), hz);
    const V poly = hn::Mul(hn::Mul(z, z), Horner(d, z, kCosC));
    return hn::Add(w, hn::Add(lost, hn::Sub(poly, hn::Mul(r_hi, r_lo))));
}

// sin for quadrant q (of x = n pi/2 + r): q odd takes cos(r), q & 2 flips the sign.
template <class D, class V, class VU>
HWY_INLINE V Quadrant(D d, V sin_r, V cos_r, VU q) {
    const hn::RebindToUnsigned<D> du;
    const auto odd = hn::RebindMask(d, hn::Eq(hn::And(q, hn::Set(du, 1)), hn::Set(du, 1)));
    const V v = hn::IfThenElse(odd, cos_r, sin_r);
    return hn::BitCast(d,
                       hn::Xor(hn::BitCast(du, v), hn::ShiftLeft<62>(hn::And(q, hn::Set(du, 2)))));
}

template <class D, class V, class VU>
HWY_INLINE void SinCosParts(D d, V x, V& sin_r, V& cos_r, VU& quadrant) {
    const auto in_domain = hn::Lt(hn::Abs(x), hn::Set(d, kTrigLimit));
    const V xr = hn::IfThenElse(in_domain, x, hn::Zero(d));
    V r_hi, r_lo;
    ReducePio2(d, xr, r_hi, r_lo, quadrant);
    const V z = hn::Mul(r_hi, r_hi);
    sin_r = SinKernel(d, r_hi, r_lo, z);
    cos_r = CosKernel(d, r_hi, r_lo, z);
}

// NaN for lanes outside |x| < kTrigLimit (inf included), the input itself for NaN.
template <class D, class V>
HWY_INLINE V TrigDomain(D d, V x, V y) {
    const auto in_domain = hn::Lt(hn::Abs(x), hn::Set(d, kTrigLimit));
    y = hn::IfThenElse(in_domain, y, hn::Set(d, std::numeric_limits<double>::quiet_NaN()));
    return hn::IfThenElse(hn::IsNaN(x), x, y);
}

}  // namespace vmath

// e^x. Reduction x = n ln2 + r (n = nearest integer of x / ln2, r by Cody-Waite), e^r =
// 1 + r + r^2 q(r), then scaled by 2^n as 2^(n1) 2^(n - n1), both factors normal, so that results
// down to the smallest subnormal round once and overflow gives inf.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Exp(D d, V x) {
    using namespace vmath;
    // Outside [-746, 710] e^x rounds to 0 or overflows anyway; NaN lanes compute on 0.
    V xc = hn::IfThenElse(hn::Gt(x, hn::Set(d, 710.0)), hn::Set(d, 710.0), x);
    xc = hn::IfThenElse(hn::Lt(xc, hn::Set(d, -746.0)), hn::Set(d, -746.0), xc);
    xc = hn::IfThenElse(hn::IsNaN(x), hn::Zero(d), xc);
    const V n = RoundToInt(d, hn::Mul(xc, hn::Set(d, kInvLn2)));
    const V r =
        hn::Sub(hn::Sub(xc, hn::Mul(n, hn::Set(d, kLn2Hi))), hn::Mul(n, hn::Set(d, kLn2Lo)));
    const V p = hn::Add(hn::Set(d, 1.0), hn::Add(r, hn::Mul(hn::Mul(r, r), Horner(d, r, kExpQ))));
    const V n1 =
        RoundToInt(d, hn::Sub(hn::Mul(n, hn::Set(d, 0.5)), hn::Set(d, 0.25)));  // floor(n/2)
    const V y = hn::Mul(hn::Mul(p, Pow2(d, n1)), Pow2(d, hn::Sub(n, n1)));
    return hn::IfThenElse(hn::IsNaN(x), x, y);
}

// Natural logarithm: e ln2 + log(1 + f) (vmath::LogParts), summed smallest first, e ln2_hi exact.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Log(D d, V x) {
    using namespace vmath;
    V e, f, hfsq, tail;
    LogParts(d, PositiveFiniteOrOne(d, x), e, f, hfsq, tail);
    const V small = hn::Sub(hfsq, hn::Add(tail, hn::Mul(e, hn::Set(d, kLn2Lo))));
    const V y = hn::Add(hn::Mul(e, hn::Set(d, kLn2Hi)), hn::Sub(f, small));
    return LogSpecials(d, x, y);
}

// Decimal logarithm: e log10(2) + log(1 + f) / ln10, with log(1 + f) split into hi (21 bits) +
// lo so that hi / ln10_hi and e log10(2)_hi are exact products, summed with one TwoSum: one
// rounding at the end rather than log's error times 1/ln10.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Log10(D d, V x) {
    using namespace vmath;
    const hn::RebindToUnsigned<D> du;
    V e, f, hfsq, tail;
    LogParts(d, PositiveFiniteOrOne(d, x), e, f, hfsq, tail);
    const V hi = hn::BitCast(
        d, hn::And(hn::BitCast(du, hn::Sub(f, hfsq)), hn::Set(du, 0xFFFFFFFF00000000ull)));
    const V lo = hn::Add(hn::Sub(hn::Sub(f, hi), hfsq), tail);  // f - hi exact (Sterbenz)
    const V lo_scaled = hn::Add(hn::Mul(hn::Add(lo, hi), hn::Set(d, kInvLn10Lo)),
                                hn::Mul(lo, hn::Set(d, kInvLn10Hi)));
    V sum, err;
    TwoSum(hn::Mul(e, hn::Set(d, kLog10_2Hi)), hn::Mul(hi, hn::Set(d, kInvLn10Hi)), sum, err);
    const V y = hn::Add(sum, hn::Add(err, hn::Add(lo_scaled, hn::Mul(e, hn::Set(d, kLog10_2Lo)))));
    return LogSpecials(d, x, y);
}

// Cube root. |x| = a 2^(3q), a = m 2^k in [1, 8) (k = 0, 1, 2); a guess of cbrt(a) is cut to 17
// significant bits (y_t, so y_t^3 is exact and a - y_t^3 too), then cbrt(a) = y_t (1 + t)^(1/3)
// with t = (a - y_t^3) / y_t^3, |t| < 5e-5, by four terms of the binomial series (the fifth is
// below 2^-62): one rounding at the end.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Cbrt(D d, V x) {
    using namespace vmath;
    const hn::RebindToUnsigned<D> du;
    const V ax = hn::Abs(x);
    const auto finite_nonzero = hn::And(
        hn::Gt(ax, hn::Zero(d)), hn::Lt(ax, hn::Set(d, std::numeric_limits<double>::infinity())));
    const V a0 = hn::IfThenElse(finite_nonzero, ax, hn::Set(d, 1.0));
    const auto subnormal = hn::Lt(a0, hn::Set(d, 0x1.0p-1022));
    const auto bits =
        hn::BitCast(du, hn::IfThenElse(subnormal, hn::Mul(a0, hn::Set(d, 0x1.0p54)), a0));
    const V e = hn::Sub(UnsignedToDouble(d, hn::ShiftRight<52>(bits)), hn::Set(d, 1023.0));
    // q = floor(e / 3): e / 3 - 1/3 is at least 1/3 - 2^-40 away from the next half-integer.
    const V q = RoundToInt(d, hn::Sub(hn::Mul(e, hn::Set(d, 1.0 / 3.0)), hn::Set(d, 1.0 / 3.0)));
    const V k = hn::Sub(e, hn::Mul(q, hn::Set(d, 3.0)));
    const auto k1 = hn::Eq(k, hn::Set(d, 1.0));
    const auto k2 = hn::Eq(k, hn::Set(d, 2.0));
    const V m = hn::BitCast(
        d, hn::Or(hn::And(bits, hn::Set(du, kMantissaMask)), hn::Set(du, 0x3FF0000000000000ull)));
    const V a = hn::Mul(m, hn::IfThenElse(k1, hn::Set(d, 2.0),
                                          hn::IfThenElse(k2, hn::Set(d, 4.0), hn::Set(d, 1.0))));
    const V guess =
        hn::Mul(Horner(d, m, kCbrtGuess),
                hn::IfThenElse(k1, hn::Set(d, kCbrt2),
                               hn::IfThenElse(k2, hn::Set(d, kCbrt4), hn::Set(d, 1.0))));
    const V yt =
        hn::BitCast(d, hn::And(hn::BitCast(du, guess), hn::Set(du, 0xFFFFFFF000000000ull)));
    const V yt3 = hn::Mul(hn::Mul(yt, yt), yt);
    const V t = hn::Div(hn::Sub(a, yt3), yt3);
    // (1 + t)^(1/3) - 1 = t/3 - t^2/9 + 5 t^3/81 - 10 t^4/243
    const V series = hn::Mul(
        t,
        hn::Add(hn::Set(d, 1.0 / 3.0),
                hn::Mul(t, hn::Add(hn::Set(d, -1.0 / 9.0),
                                   hn::Mul(t, hn::Add(hn::Set(d, 5.0 / 81.0),
                                                      hn::Mul(t, hn::Set(d, -10.0 / 243.0))))))));
    const V y = hn::Add(yt, hn::Mul(yt, series));
    const V scale = Pow2(d, hn::Sub(q, hn::IfThenElse(subnormal, hn::Set(d, 18.0), hn::Zero(d))));
    const V signed_y = hn::CopySign(hn::Mul(y, scale), x);
    return hn::IfThenElse(finite_nonzero, signed_y, x);  // +-0, +-inf, NaN: x itself
}

// Sine: x = n pi/2 + r (vmath::ReducePio2), sin or cos of r by quadrant. sin x = x below 2^-27
// (keeps -0).
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Sin(D d, V x) {
    using namespace vmath;
    V sin_r, cos_r;
    hn::Vec<hn::RebindToUnsigned<D>> q;
    SinCosParts(d, x, sin_r, cos_r, q);
    V y = Quadrant(d, sin_r, cos_r, q);
    y = hn::IfThenElse(hn::Lt(hn::Abs(x), hn::Set(d, 0x1.0p-27)), x, y);
    return TrigDomain(d, x, y);
}

// Cosine: cos x = sin(x + pi/2), i.e. quadrant n + 1.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Cos(D d, V x) {
    using namespace vmath;
    const hn::RebindToUnsigned<D> du;
    V sin_r, cos_r;
    hn::Vec<hn::RebindToUnsigned<D>> q;
    SinCosParts(d, x, sin_r, cos_r, q);
    return TrigDomain(d, x, Quadrant(d, sin_r, cos_r, hn::Add(q, hn::Set(du, 1))));
}

// Sine and cosine of the same x, the same bits as Sin and Cos.
template <class D, class V = hn::Vec<D>>
HWY_INLINE void SinCos(D d, V x, V& sin_x, V& cos_x) {
    using namespace vmath;
    const hn::RebindToUnsigned<D> du;
    V sin_r, cos_r;
    hn::Vec<hn::RebindToUnsigned<D>> q;
    SinCosParts(d, x, sin_r, cos_r, q);
    const V s = Quadrant(d, sin_r, cos_r, q);
    sin_x = TrigDomain(d, x, hn::IfThenElse(hn::Lt(hn::Abs(x), hn::Set(d, 0x1.0p-27)), x, s));
    cos_x = TrigDomain(d, x, Quadrant(d, sin_r, cos_r, hn::Add(q, hn::Set(du, 1))));
}

}  // namespace grenzfunk::simd::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard per target
