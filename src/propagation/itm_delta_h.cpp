// interdecile_delta_h (itm_internal.hpp), compiled once per instruction set (Highway
// foreach_target): ITM's terrain irregularity Δh ([Alg] §3 "dlthx") in vector passes.
//
// The same bits on every path: the resampled points are computed lane by lane with the scalar
// operations (truncated index, z_i + (z_{i+1} - z_i) (x - i)); the line-fit sums are kept in 8
// partial sums, partial sum t holding the points j = t mod 8 in increasing j whatever the
// vector width (one vector of 8 on AVX-512, two of 4 on AVX2, four of 2 on SSE4 and the
// scalar path), and the 8 are added in one fixed order. The deciles are order statistics of
// the residuals, exact whichever way they are found (a zero is returned as +0, so that not
// even the sign of a tie between -0 and +0 depends on the path).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "propagation/itm_delta_h.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

#include "propagation/itm_internal.hpp"

HWY_BEFORE_NAMESPACE();
namespace grenzfunk::propagation::itm::detail::HWY_NAMESPACE {
namespace {

namespace hn = hwy::HWY_NAMESPACE;
using D = hn::ScalableTag<double>;
using V = hn::Vec<D>;
using DI32 = hn::Rebind<std::int32_t, D>;
using DI64 = hn::RebindToSigned<D>;

constexpr int max_samples = 245;  // 10 * 25 - 5
constexpr int partial_sums = 8;   // fixed: the summation order does not depend on the path
// max_samples rounded up to whole blocks of 8.
constexpr int buffer_size = 256;
constexpr double infinity = std::numeric_limits<double>::infinity();

// The element of ascending rank s (0-based) of v[0..w) if it is among the candidates
// v[first .. first + G * lanes): the largest candidate with at most s elements of v below it (with
// ties, every copy of the answer has the answer's count; anything larger has more than s below).
// Rank counting without branches, one candidate per lane, G vectors of candidates at once, each
// counted in 4 / G partial counts over alternate v_j (independent chains of additions; the counts
// are small integers, exact in any order).
template <int G>
double small_rank(const double* v, int w, int s, int first = 0) {
    const D d;
    const int lanes = int(hn::Lanes(d));
    constexpr int A = G >= 4 ? 1 : 4 / G;
    const V one = hn::Set(d, 1.0), limit = hn::Set(d, double(s));
    V c[G], below[G][A];
    for (int g = 0; g < G; ++g) {
        // Lanes beyond w are never taken (masked below); v has room for whole vectors.
        c[g] = hn::LoadU(d, v + first + g * lanes);
        for (int a = 0; a < A; ++a) below[g][a] = hn::Zero(d);
    }
    int j = 0;
    for (; j + A <= w; j += A)
        for (int a = 0; a < A; ++a) {
            const V x = hn::Set(d, v[j + a]);
            for (int g = 0; g < G; ++g)
                below[g][a] = hn::Add(below[g][a], hn::IfThenElseZero(hn::Lt(x, c[g]), one));
        }
    for (; j < w; ++j) {
        const V x = hn::Set(d, v[j]);
        for (int g = 0; g < G; ++g)
            below[g][0] = hn::Add(below[g][0], hn::IfThenElseZero(hn::Lt(x, c[g]), one));
    }
    V best = hn::Set(d, -infinity);
    for (int g = 0; g < G; ++g) {
        V count = below[g][0];
        for (int a = 1; a < A; ++a) count = hn::Add(count, below[g][a]);
        const int at = first + g * lanes;
        if (at >= w) break;
        const auto take = hn::And(hn::FirstN(d, std::size_t(w - at)),
                                  hn::And(hn::Le(count, limit), hn::Gt(c[g], best)));
        best = hn::IfThenElse(take, c[g], best);
    }
    return hn::GetLane(hn::MaxOfLanes(d, best));
}

// The same for any w <= small_rank_limit(), with as few candidate vectors as w needs.
double small_rank(const double* v, int w, int s) {
    const int lanes = int(hn::Lanes(D()));
    if (w <= lanes) return small_rank<1>(v, w, s);
    if (w <= 2 * lanes) return small_rank<2>(v, w, s);
    if (w <= 4 * lanes) return small_rank<4>(v, w, s);
    if (w <= 8 * lanes) return small_rank<8>(v, w, s);
    // Narrow vectors: 4 of them at a time.
    double best = -infinity;
    for (int first = 0; first < w; first += 4 * lanes)
        best = std::max(best, small_rank<4>(v, w, s, first));
    return best;
}

// Up to this many elements rank counting (O(w^2 / lanes)) beats std::nth_element: 8 vectors
// of candidates (on AVX-512 the windows of 33-64 members, about 1 selection in 100 on the
// benchmark job, cost 0.7 us each in nth_element), and never fewer than 32.
int small_rank_limit() {
    return std::max(32, 8 * int(hn::Lanes(D())));
}

// small_rank<G> for w <= G * lanes with v[w .. G * lanes) = +inf (never below an element, so
// every count stays as it was, and an infinite candidate has all w elements below it: never
// taken): the counting loop runs G * lanes times whatever w is (a trip count varying with w
// mispredicted on most of the job's selections, a third of their time).
template <int G>
double small_rank_padded(const double* v, int s) {
    const D d;
    constexpr int lanes = int(hn::MaxLanes(d));  // fixed on x86 targets
    constexpr int n = G * lanes;
    constexpr int A = std::min(G >= 4 ? 1 : 4 / G, n);
    static_assert(n % A == 0);
    const V one = hn::Set(d, 1.0), limit = hn::Set(d, double(s));
    V c[G], below[G][A];
    for (int g = 0; g < G; ++g) {
        c[g] = hn::LoadU(d, v + g * lanes);
        for (int a = 0; a < A; ++a) below[g][a] = hn::Zero(d);
    }
    for (int j = 0; j < n; j += A)
        for (int a = 0; a < A; ++a) {
            const V x = hn::Set(d, v[j + a]);
            for (int g = 0; g < G; ++g)
                below[g][a] = hn::Add(below[g][a], hn::IfThenElseZero(hn::Lt(x, c[g]), one));
        }
    V best = hn::Set(d, -infinity);
    for (int g = 0; g < G; ++g) {
        V count = below[g][0];
        for (int a = 1; a < A; ++a) count = hn::Add(count, below[g][a]);
        const auto take = hn::And(hn::Le(count, limit), hn::Gt(c[g], best));
        best = hn::IfThenElse(take, c[g], best);
    }
    return hn::GetLane(hn::MaxOfLanes(d, best));
}

// The element of ascending rank s (0-based) of v[0..w) (may reorder v, and write +inf up to
// a whole vector beyond 4 vectors: v has room for it).
double rank_of(double* v, int w, int s) {
    const D d;
    constexpr int lanes = int(hn::MaxLanes(d));
    if (w <= 4 * lanes) {
        const V inf = hn::Set(d, infinity);
        const int groups = w <= lanes ? 1 : w <= 2 * lanes ? 2 : 4;
        for (int p = w; p < groups * lanes; p += lanes) hn::StoreU(inf, d, v + p);
        return groups == 1   ? small_rank_padded<1>(v, s)
               : groups == 2 ? small_rank_padded<2>(v, s)
                             : small_rank_padded<4>(v, s);
    }
    if (w <= small_rank_limit()) return small_rank(v, w, s);
    std::nth_element(v, v + s, v + w);
    return v[s];
}

// The residuals y_j - (at_start + slope j) of the points j < count (the padding up to `padded`
// is not a point: y_j is NaN there).
struct Residuals {
    const double* y;
    int count, padded;
    double at_start, slope;
    // AVX-512: y as floats, NaN from `count` up to whole vectors of 16 (the screening pass of
    // try_windows); null elsewhere.
    const float* y_float = nullptr;
    double at(int j) const { return y[j] - (at_start + slope * double(j)); }
};

// One attempt at both deciles. The k-th largest residual is in the window (lo, hi] if, with
// `above` residuals above hi and w in the window, above < k <= above + w; the k-th smallest is
// in the window [lo, hi) if below < k <= below + w, `below` residuals below lo. One pass counts
// the residuals beyond each window and appends each window's members to a buffer.
struct Window {
    double lo, hi;
};
struct Found {
    bool top = false, bottom = false;
    double q10 = 0.0, q90 = 0.0;
};

// Appends the lanes of v selected by `mask` to out[count..], in lane order; returns the new
// count. out needs room for a whole vector beyond the count.
template <class M>
HWY_INLINE std::size_t append(V v, M mask, double* out, std::size_t count) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
    // vcompresspd into a register, then one store (Highway 1.0.3's Compress of 64-bit lanes on
    // AVX-512 goes through a 256-entry table: 40 % of the job's time when it was used here).
    _mm512_storeu_pd(out + count, _mm512_maskz_compress_pd(mask.raw, v.raw));
    return count + std::size_t(std::popcount(unsigned(mask.raw)));
#else
    const D d;
    static_assert(hn::MaxLanes(d) <= 8);      // one byte of mask bits
    if (hn::AllFalse(d, mask)) return count;  // most blocks hold no member
    alignas(64) double values[hn::MaxLanes(d)];
    hn::Store(v, d, values);
    std::uint8_t bits[8] = {};
    hn::StoreMaskBits(d, mask, bits);
    for (unsigned b = bits[0]; b != 0; b &= b - 1) out[count++] = values[std::countr_zero(b)];
    return count;
#endif
}

// What one pass over the residuals finds for a pair of windows: the residuals above the top
// window and below the bottom one, and the members of each (in buffers with room for every
// point and a whole vector beyond).
struct Tally {
    std::size_t above = 0, below = 0, top_count = 0, bottom_count = 0;
    double* top_members;
    double* bottom_members;
};

// Every residual computed exactly and compared with the windows (AVX-512: tally_screened,
// where the values fit floats).
void tally_exact(const Residuals& res, Window top, Window bottom, Tally& t) {
    const D d;
    const int lanes = int(hn::Lanes(d));
    const V va = hn::Set(d, res.at_start), vs = hn::Set(d, res.slope);
    const V advance = hn::Set(d, double(lanes));
    const V tl = hn::Set(d, top.lo), th = hn::Set(d, top.hi);
    const V bl = hn::Set(d, bottom.lo), bh = hn::Set(d, bottom.hi);
    V j = hn::Iota(d, 0.0);
    for (int b = 0; b < res.padded; b += lanes) {
        // The residual as Residuals::at computes it; the padding is NaN (Residuals), which no
        // comparison takes.
        const V v = hn::Sub(hn::Load(d, res.y + b), hn::Add(va, hn::Mul(vs, j)));
        j = hn::Add(j, advance);
        const auto over_top = hn::Gt(v, th);
        const auto in_top = hn::AndNot(over_top, hn::Gt(v, tl));
        const auto under_bottom = hn::Lt(v, bl);
        const auto in_bottom = hn::AndNot(under_bottom, hn::Lt(v, bh));
        t.above += hn::CountTrue(d, over_top);
        t.below += hn::CountTrue(d, under_bottom);
        t.top_count = append(v, in_top, t.top_members, t.top_count);
        t.bottom_count = append(v, in_bottom, t.bottom_members, t.bottom_count);
    }
}

#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
// The same tally from a screening pass in floats, 16 residuals per vector (half the vectors
// of the exact pass and one compress of indices instead of two of values), then the exact
// residuals (as Residuals::at computes them) of the few points the screening leaves open.
// A float residual y_f - (a_f + s_f j) is within eps of the exact one for every point whose
// exact residual lies in [-R, R], R the largest |bound| (the roundings of y, a, s j, the sum
// and the difference, each at most 2^-24 relative, add up to under 2^-21 (|line| + R); eps is
// 2^-18 (|line| + R), 8 times that), and outside that range no rounding takes it across a bound.
// So a point is surely above the top window if its float residual exceeds top.hi + eps, surely
// below the bottom one under bottom.lo - eps, surely in neither between the windows widened by
// eps; all else is decided exactly, and the counts and members are those of tally_exact.
// Elsewhere (values beyond 1e30, which floats do not hold with room, or NaN bounds):
// tally_exact.
void tally_screened(const Residuals& res, Window top, Window bottom, Tally& t) {
    const double line_max = std::max(std::abs(res.at_start),
                                     std::abs(res.at_start + res.slope * double(res.count - 1)));
    const double bound_max =
        std::max({std::abs(top.lo), std::abs(top.hi), std::abs(bottom.lo), std::abs(bottom.hi)});
    if (!(line_max + bound_max < 1e30)) return tally_exact(res, top, bottom, t);
    const double eps = (line_max + bound_max) * 0x1p-18;
    const __m512 fa = _mm512_set1_ps(float(res.at_start)), fs = _mm512_set1_ps(float(res.slope));
    const __m512 sure_above = _mm512_set1_ps(float(top.hi + eps));
    const __m512 maybe_top = _mm512_set1_ps(float(std::min(top.lo, top.hi) - eps));
    const __m512 sure_below = _mm512_set1_ps(float(bottom.lo - eps));
    const __m512 maybe_bottom = _mm512_set1_ps(float(std::max(bottom.lo, bottom.hi) + eps));
    const __m512 advance_f = _mm512_set1_ps(16.0f);
    const __m512i advance_i = _mm512_set1_epi32(16);
    __m512 jf = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m512i ji = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    alignas(64) std::int32_t open[buffer_size + 16];
    std::size_t open_count = 0;
    for (int b = 0; b < res.count; b += 16) {
        // The NaN padding: no comparison takes it.
        const __m512 v = _mm512_sub_ps(_mm512_load_ps(res.y_float + b),
                                       _mm512_add_ps(fa, _mm512_mul_ps(fs, jf)));
        const __mmask16 over = _mm512_cmp_ps_mask(v, sure_above, _CMP_GT_OQ);
        const __mmask16 under = _mm512_cmp_ps_mask(v, sure_below, _CMP_LT_OQ);
        const __mmask16 near_top = _mm512_cmp_ps_mask(v, maybe_top, _CMP_GT_OQ);
        const __mmask16 near_bottom = _mm512_cmp_ps_mask(v, maybe_bottom, _CMP_LT_OQ);
        const __mmask16 undecided =
            _kor_mask16(_kandn_mask16(over, near_top), _kandn_mask16(under, near_bottom));
        t.above += std::size_t(std::popcount(unsigned(over)));
        t.below += std::size_t(std::popcount(unsigned(under)));
        _mm512_storeu_si512(open + open_count, _mm512_maskz_compress_epi32(undecided, ji));
        open_count += std::size_t(std::popcount(unsigned(undecided)));
        jf = _mm512_add_ps(jf, advance_f);
        ji = _mm512_add_epi32(ji, advance_i);
    }
    // The open points exactly, 8 at a time.
    const __m512d a = _mm512_set1_pd(res.at_start), s = _mm512_set1_pd(res.slope);
    const __m512d tl = _mm512_set1_pd(top.lo), th = _mm512_set1_pd(top.hi);
    const __m512d bl = _mm512_set1_pd(bottom.lo), bh = _mm512_set1_pd(bottom.hi);
    for (std::size_t u = 0; u < open_count; u += 8) {
        const __mmask8 valid =
            _cvtu32_mask8(open_count - u >= 8 ? 0xffu : (1u << (open_count - u)) - 1u);
        const __m256i index = _mm256_maskz_loadu_epi32(valid, open + u);
        const __m512d y = _mm512_mask_i32gather_pd(_mm512_setzero_pd(), valid, index, res.y, 8);
        V r;
        r.raw = _mm512_sub_pd(y, _mm512_add_pd(a, _mm512_mul_pd(s, _mm512_cvtepi32_pd(index))));
        const __mmask8 over = _mm512_mask_cmp_pd_mask(valid, r.raw, th, _CMP_GT_OQ);
        const __mmask8 under = _mm512_mask_cmp_pd_mask(valid, r.raw, bl, _CMP_LT_OQ);
        const hn::Mask512<double> in_top{
            _kandn_mask8(over, _mm512_mask_cmp_pd_mask(valid, r.raw, tl, _CMP_GT_OQ))};
        const hn::Mask512<double> in_bottom{
            _kandn_mask8(under, _mm512_mask_cmp_pd_mask(valid, r.raw, bh, _CMP_LT_OQ))};
        t.above += std::size_t(std::popcount(unsigned(over)));
        t.below += std::size_t(std::popcount(unsigned(under)));
        t.top_count = append(r, in_top, t.top_members, t.top_count);
        t.bottom_count = append(r, in_bottom, t.bottom_members, t.bottom_count);
    }
}
#endif

void try_windows(const Residuals& res, int k, Window top, Window bottom, Found& found) {
    constexpr int lanes_max = int(hn::MaxLanes(D()));
    alignas(64) double top_members[buffer_size + lanes_max];
    alignas(64) double bottom_members[buffer_size + lanes_max];
    Tally t{.top_members = top_members, .bottom_members = bottom_members};
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
    tally_screened(res, top, bottom, t);
#else
    tally_exact(res, top, bottom, t);
#endif
    const std::size_t above = t.above, below = t.below;
    const std::size_t top_count = t.top_count, bottom_count = t.bottom_count;
    const std::size_t kk = std::size_t(k);
    if (!found.top && above < kk && kk <= above + top_count) {
        // The (k - above)-th largest of the window.
        const int w = int(top_count);
        found.q10 = rank_of(top_members, w, w - int(kk - above));
        found.top = true;
    }
    if (!found.bottom && below < kk && kk <= below + bottom_count) {
        found.q90 = rank_of(bottom_members, int(bottom_count), int(kk - below - 1));
        found.bottom = true;
    }
}

#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
// z[i] and z[i + 1] for the lanes' indices i (increasing along the lanes, the first one
// `first`, all within window - 2 of it, every i + 1 <= n, window 16 or 32 <= n + 1): the window
// starts at the first lane's sample, or earlier so that it ends at z[n], loaded whole and
// permuted (vpermt2pd selects from 16 doubles; 32 samples: the low or the high 16 by bit 4 of
// the offset).
HWY_INLINE void permuted_window(const double* z, int n, int window, int first, __m512i index,
                                __m512d& z0, __m512d& z1) {
    const int start = std::min(first, n + 1 - window);
    const __m512i k0 = _mm512_sub_epi64(index, _mm512_set1_epi64(start));
    const __m512i k1 = _mm512_add_epi64(k0, _mm512_set1_epi64(1));
    const double* w = z + start;
    const __m512d t0 = _mm512_loadu_pd(w), t1 = _mm512_loadu_pd(w + 8);
    z0 = _mm512_permutex2var_pd(t0, k0, t1);
    z1 = _mm512_permutex2var_pd(t0, k1, t1);
    if (window == 16) return;
    const __m512d t2 = _mm512_loadu_pd(w + 16), t3 = _mm512_loadu_pd(w + 24);
    const __m512i high = _mm512_set1_epi64(16);
    z0 = _mm512_mask_blend_pd(_mm512_test_epi64_mask(k0, high), z0,
                              _mm512_permutex2var_pd(t2, k0, t3));
    z1 = _mm512_mask_blend_pd(_mm512_test_epi64_mask(k1, high), z1,
                              _mm512_permutex2var_pd(t2, k1, t3));
}
#endif

// z[i] and z[i + 1] for the lanes of `index` (the same values as two gathers) from a window
// of `window` consecutive samples starting at or before the first lane's index, loaded whole and
// permuted (AVX-512: vpermt2pd selects from 16 doubles; gathers load lane by lane and were most of
// the resampling's time). False where the lanes' samples do not fit the window or the profile is
// shorter than the window; the caller gathers then.
template <class VI64>
HWY_INLINE bool window_samples(const double* z, int n, int window, VI64 index, V& z0, V& z1) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
    // Indices increase along lanes: the first and the last lane's.
    const int first = int(_mm_cvtsi128_si64(_mm512_castsi512_si128(index.raw)));
    const int last = int(_mm_extract_epi64(_mm512_extracti64x2_epi64(index.raw, 3), 1));
    if (window == 0 || last - first > window - 2 || window - 1 > n) return false;
    permuted_window(z, n, window, first, index.raw, z0.raw, z1.raw);
    return true;
#else
    (void)z, (void)n, (void)window, (void)index, (void)z0, (void)z1;
    return false;
#endif
}

}  // namespace

double DeltaH(const Profile& profile, double from_m, double to_m, DecileHint* hint) {
    // Within the profile, so that every index below is in range whatever the distances (NaN
    // for NaN distances: no terrain analysis on a broken geometry).
    if (!(from_m == from_m && to_m == to_m)) return std::nan("");
    const double intervals = double(profile.intervals);
    const double x0 = std::clamp(from_m / profile.step_m, 0.0, intervals);
    const double x_end = std::clamp(to_m / profile.step_m, 0.0, intervals);
    if (!(x_end - x0 >= 2.0)) return 0.0;

    // [Alg] "dlthx": the interdecile range over (1 - 0.8 exp(-length / 50 km)); computed first,
    // so that the call runs beside the passes below instead of after them.
    const double divisor = 1.0 - 0.8 * std::exp(-(to_m - from_m) / 50e3);
    const int decile = std::clamp(int(0.1 * (x_end - x0 + 8.0)), 4, 25);
    const int count = 10 * decile - 5;
    const int last = count - 1;
    const double increment = (x_end - x0) / double(last);
    const int padded = (count + partial_sums - 1) / partial_sums * partial_sums;

    const D d;
    const DI32 di32;
    const DI64 di64;
    constexpr int lanes = int(hn::MaxLanes(d));  // fixed on x86 targets
    static_assert(partial_sums % lanes == 0);
    constexpr int parts = partial_sums / lanes;

    // 1. Resampling at x_j = x0 + j * increment (linear interpolation, index truncated and
    // clamped to the last interval) and the two sums of the line fit, sum y_j and sum j y_j.
    // Points j >= count are set to 0 (they add nothing).
    alignas(64) double y[buffer_size];
    const double* z = profile.z;
    const int n = profile.intervals;
    // Samples the 8 points of a block can use: 16 while they span under 14 intervals, 32 under
    // 30 (in the region's 90 m profiles up to 50 km, nearly always one or the other).
    const int window = 7.0 * increment < 14.0 ? 16 : 7.0 * increment < 30.0 ? 32 : 0;
    const V vx0 = hn::Set(d, x0), vinc = hn::Set(d, increment), vcount = hn::Set(d, double(count));
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
    const __m512i vmax64 = _mm512_set1_epi64(profile.intervals - 1);
    (void)di32, (void)di64;
#else
    const auto vmax = hn::Set(di32, profile.intervals - 1);
#endif
    const V advance = hn::Set(d, double(lanes));
    V sum_y[parts], sum_jy[parts];
    for (int s = 0; s < parts; ++s) sum_y[s] = sum_jy[s] = hn::Zero(d);
    V j = hn::Iota(d, 0.0);
    int b = 0;
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
    // The whole blocks without the per-block checks, where the profile lets them go: every
    // point of them before the last interval (x_j is non-decreasing in j and the last point's
    // x is computed as the lanes compute it, so no index needs the clamp) and the block's 8
    // points within the window (the margin covers the rounding of x0 + j increment). The same
    // values as the loop below: x - trunc(x) is exact, as vreducepd gives it.
    const int fast_window = 7.0 * increment < 14.0 - 1e-6   ? 16
                            : 7.0 * increment < 30.0 - 1e-6 ? 32
                                                            : 0;
    if (fast_window != 0 && fast_window - 1 <= n && x0 + double(last) * increment < double(n)) {
        static_assert(parts == 1);
        const int whole = count / partial_sums * partial_sums;
        const auto blocks = [&]<int W>() {
            for (; b < whole; b += partial_sums) {
                const V x = hn::Add(vx0, hn::Mul(j, vinc));
                const __m512i index = _mm512_cvttpd_epi64(x.raw);
                const __m512d fraction =
                    _mm512_reduce_pd(x.raw, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
                const int first = int(_mm_cvtsi128_si64(_mm512_castsi512_si128(index)));
                __m512d z0, z1;
                permuted_window(z, n, W, first, index, z0, z1);
                V v;
                v.raw = _mm512_add_pd(z0, _mm512_mul_pd(_mm512_sub_pd(z1, z0), fraction));
                hn::Store(v, d, y + b);
                sum_y[0] = hn::Add(sum_y[0], v);
                sum_jy[0] = hn::Add(sum_jy[0], hn::Mul(j, v));
                j = hn::Add(j, advance);
            }
        };
        if (fast_window == 16)
            blocks.template operator()<16>();
        else
            blocks.template operator()<32>();
    }
#endif
    for (; b < padded; b += partial_sums) {
        for (int s = 0; s < parts; ++s) {
            const V x = hn::Add(vx0, hn::Mul(j, vinc));
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
            // The same truncation and clamp in 64-bit lanes (vcvttpd2qq, vpminsq), without the
            // narrowing and widening of 32-bit indices.
            hn::Vec<DI64> index;
            index.raw = _mm512_min_epi64(_mm512_cvttpd_epi64(x.raw), vmax64);
            V truncated;
            truncated.raw = _mm512_cvtepi64_pd(index.raw);
#else
            const auto i = hn::Min(hn::DemoteTo(di32, x), vmax);  // x >= 0: truncation
            const auto index = hn::PromoteTo(di64, i);
            const V truncated = hn::PromoteTo(d, i);
#endif
            V z0, z1;
            if (!window_samples(z, n, window, index, z0, z1)) {
                z0 = hn::GatherIndex(d, z, index);
                z1 = hn::GatherIndex(d, z + 1, index);
            }
            const V fraction = hn::Sub(x, truncated);
            const V v = hn::IfThenElseZero(hn::Lt(j, vcount),
                                           hn::Add(z0, hn::Mul(hn::Sub(z1, z0), fraction)));
            hn::Store(v, d, y + b + s * lanes);
            sum_y[s] = hn::Add(sum_y[s], v);
            sum_jy[s] = hn::Add(sum_jy[s], hn::Mul(j, v));
            j = hn::Add(j, advance);
        }
    }
    alignas(64) double sy[partial_sums], sjy[partial_sums];
    for (int s = 0; s < parts; ++s) {
        hn::Store(sum_y[s], d, sy + s * lanes);
        hn::Store(sum_jy[s], d, sjy + s * lanes);
    }
    const double total_y =
        ((sy[0] + sy[1]) + (sy[2] + sy[3])) + ((sy[4] + sy[5]) + (sy[6] + sy[7]));
    const double total_jy =
        ((sjy[0] + sjy[1]) + (sjy[2] + sjy[3])) + ((sjy[4] + sjy[5]) + (sjy[6] + sjy[7]));

    // 2. The zlsq1 line through the resampled points: trapezoidal weights, the end points
    // count one half.
    const double span = double(last);
    const double centre = 0.5 * span;
    const double weighted_sum = total_y - 0.5 * (y[0] + y[last]);
    const double moment = (total_jy - 0.5 * span * y[last]) - centre * weighted_sum;
    const double mean = weighted_sum / span;
    const double slope = moment * 12.0 / ((span * span + 2.0) * span);
    const double at_start = mean - slope * centre;

    // The padding as NaN from here on, for try_windows.
    for (int p = count; p < padded; ++p) y[p] = std::numeric_limits<double>::quiet_NaN();
    Residuals res{y, count, padded, at_start, slope};
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
    // y as floats for tally_screened, NaN from `count` up to whole vectors of 16.
    alignas(64) float y_float[buffer_size];
    {
        const __m512 nan = _mm512_set1_ps(std::numeric_limits<float>::quiet_NaN());
        for (int p = 0; p < count; p += 16) {
            const __mmask16 real =
                _cvtu32_mask16(count - p >= 16 ? 0xffffu : (1u << unsigned(count - p)) - 1u);
            const __m256 lo = _mm512_cvtpd_ps(_mm512_load_pd(y + p));
            // The second half only where it holds points (y is padded to 8, not 16).
            const __m256 hi =
                count - p > 8 ? _mm512_cvtpd_ps(_mm512_load_pd(y + p + 8)) : _mm256_setzero_ps();
            const __m512 both = _mm512_insertf32x8(_mm512_castps256_ps512(lo), hi, 1);
            _mm512_store_ps(y_float + p, _mm512_mask_blend_ps(real, nan, both));
        }
    }
    res.y_float = y_float;
#endif

    // 3. q10, the decile-th largest residual, and q90, the decile-th smallest: in a window
    // around the previous profile's deciles (the hint), else around the mean +/- 1.28 standard
    // deviations (the deciles of a normal distribution), else by a histogram.
    Found found;
    if (hint && hint->valid) {
        // As far on both sides of the previous decile as hint->high is below it, then 3 times
        // as far.
        const double top = hint->q10 - hint->high, bottom = hint->low - hint->q90;
        for (const double f : {1.0, 3.0}) {
            try_windows(res, decile, {hint->q10 - f * top, hint->q10 + f * top},
                        {hint->q90 - f * bottom, hint->q90 + f * bottom}, found);
            if (found.top && found.bottom) break;
        }
    }
    if (!(found.top && found.bottom)) {
        V s1 = hn::Zero(d), s2 = hn::Zero(d);
        const V va = hn::Set(d, at_start), vs = hn::Set(d, slope);
        V k = hn::Iota(d, 0.0);
        for (int p = 0; p < padded; p += lanes) {
            const V fitted = hn::Add(va, hn::Mul(vs, k));
            const V v = hn::IfThenElseZero(hn::Lt(k, vcount), hn::Sub(hn::Load(d, y + p), fitted));
            k = hn::Add(k, advance);
            s1 = hn::Add(s1, v);
            s2 = hn::Add(s2, hn::Mul(v, v));
        }
        const double r_mean = hn::GetLane(hn::SumOfLanes(d, s1)) / double(count);
        const double r_var = hn::GetLane(hn::SumOfLanes(d, s2)) / double(count) - r_mean * r_mean;
        const double sd = std::sqrt(std::max(r_var, 0.0));
        const double hi = r_mean + 1.28 * sd, lo = r_mean - 1.28 * sd;
        for (const double f : {0.25, 0.6}) {
            try_windows(res, decile, {hi - f * sd, hi + f * sd}, {lo - f * sd, lo + f * sd}, found);
            if (found.top && found.bottom) break;
        }
    }
    double q10 = found.q10, q90 = found.q90;
    if (!(found.top && found.bottom)) {
        double r[max_samples];
        for (int i = 0; i < count; ++i) r[i] = res.at(i);
        extreme_order_statistics(r, count, decile, q10, q90);
    }
    q10 += 0.0;  // -0 -> +0
    q90 += 0.0;

    if (hint) {
        // Windows around this profile's deciles for the next, similar profile: +/- 2 % of the
        // interdecile range hold a few of 245 residuals (measured on the region's profiles, the
        // decile is in them for about 9 profiles in 10, in the 3 times wider ones for most
        // others); as many with fewer points, so wider in proportion (with 2 % at every count,
        // the profiles under 245 points, within about 22 km, were 5 in 6 of those that missed
        // both windows).
        const double margin = 0.02 * double(max_samples) / double(count) * (q10 - q90);
        hint->high = q10 - margin;
        hint->low = q90 + margin;
        hint->q10 = q10;
        hint->q90 = q90;
        hint->valid = q10 > q90;
    }
    return (q10 - q90) / divisor;
}

}  // namespace grenzfunk::propagation::itm::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace grenzfunk::propagation::itm::detail {

HWY_EXPORT(DeltaH);

double interdecile_delta_h(const Profile& profile, double from_m, double to_m, DecileHint* hint) {
    return HWY_DYNAMIC_DISPATCH(DeltaH)(profile, from_m, to_m, hint);
}

}  // namespace grenzfunk::propagation::itm::detail
#endif
