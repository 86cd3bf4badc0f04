// sample_lattice_line (terrain_internal.hpp), compiled once per instruction set (Highway
// foreach_target): the bilinear samples of TerrainModel::sample_line, one point per lane, each
// with the operations of the scalar loop (TerrainModel::sample_line_scalar) in its order, so
// the heights are the same bits on every path and equal to the scalar loop's.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "terrain/line_samples.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "terrain/terrain_internal.hpp"

HWY_BEFORE_NAMESPACE();
namespace grenzfunk::terrain::detail::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

// The corners z[at], z[at + 1], z[at + width] and z[at + width + 1] of each lane's cell, as
// doubles (the same values whichever way they are loaded).
template <class VI, class V>
HWY_INLINE void corners(const float* z, int width, VI at, V& z00, V& z10, V& z01, V& z11) {
    const hn::DFromV<V> d;
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
    // Each lane's two neighbours in a row as one 8-byte load (the float pair, as the bits of a
    // double), 8 lanes assembled in a register, then split by two permutes: gathers, of single
    // floats or of pairs, took as long as these 16 loads and half of the kernel's time
    // (BM_SampleLine 3.8 -> 3.0 ms on an AMD EPYC).
    static_assert(hn::MaxLanes(d) == 8);
    alignas(32) std::int32_t offset[8];
    hn::Store(at, hn::Rebind<std::int32_t, decltype(d)>(), offset);
    const auto pairs = [&offset](const float* base) {
        __m128d q[4];
        for (int k = 0; k < 4; ++k) {
            double lo, hi;
            std::memcpy(&lo, base + offset[2 * k], sizeof lo);
            std::memcpy(&hi, base + offset[2 * k + 1], sizeof hi);
            q[k] = _mm_set_pd(hi, lo);
        }
        const __m256d low = _mm256_insertf128_pd(_mm256_castpd128_pd256(q[0]), q[1], 1);
        const __m256d high = _mm256_insertf128_pd(_mm256_castpd128_pd256(q[2]), q[3], 1);
        return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(low), high, 1));
    };
    const __m512 row0 = pairs(z), row1 = pairs(z + width);
    const __m512i even =
        _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd =
        _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    const __m512 left = _mm512_permutex2var_ps(row0, even, row1);  // z00 x 8, then z01 x 8
    const __m512 right = _mm512_permutex2var_ps(row0, odd, row1);  // z10 x 8, then z11 x 8
    z00.raw = _mm512_cvtps_pd(_mm512_castps512_ps256(left));
    z01.raw = _mm512_cvtps_pd(_mm512_extractf32x8_ps(left, 1));
    z10.raw = _mm512_cvtps_pd(_mm512_castps512_ps256(right));
    z11.raw = _mm512_cvtps_pd(_mm512_extractf32x8_ps(right, 1));
#elif HWY_ARCH_X86 && HWY_TARGET == HWY_AVX2
    // The same with 4 lanes: one register of pairs per row, split by one permute.
    static_assert(hn::MaxLanes(d) == 4);
    alignas(16) std::int32_t offset[4];
    hn::Store(at, hn::Rebind<std::int32_t, decltype(d)>(), offset);
    const __m256i split = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const auto row = [&offset, &split](const float* base) {
        double p[4];
        for (int k = 0; k < 4; ++k) std::memcpy(&p[k], base + offset[k], sizeof p[k]);
        // left x 4, then right x 4
        return _mm256_permutevar8x32_ps(_mm256_castpd_ps(_mm256_setr_pd(p[0], p[1], p[2], p[3])),
                                        split);
    };
    const __m256 row0 = row(z), row1 = row(z + width);
    z00.raw = _mm256_cvtps_pd(_mm256_castps256_ps128(row0));
    z10.raw = _mm256_cvtps_pd(_mm256_extractf128_ps(row0, 1));
    z01.raw = _mm256_cvtps_pd(_mm256_castps256_ps128(row1));
    z11.raw = _mm256_cvtps_pd(_mm256_extractf128_ps(row1, 1));
#else
    const hn::Rebind<float, decltype(d)> df;
    z00 = hn::PromoteTo(d, hn::GatherIndex(df, z, at));
    z10 = hn::PromoteTo(d, hn::GatherIndex(df, z + 1, at));
    z01 = hn::PromoteTo(d, hn::GatherIndex(df, z + width, at));
    z11 = hn::PromoteTo(d, hn::GatherIndex(df, z + width + 1, at));
#endif
}

bool SampleLatticeLine(const float* z, int width, int height, double u0, double v0, double du,
                       double dv, double inv_n, int first, int last, double* out) {
    const hn::ScalableTag<double> d;
    const hn::Rebind<std::int32_t, decltype(d)> di;
    using V = hn::Vec<decltype(d)>;
    const int lanes = int(hn::Lanes(d));
    const V vu0 = hn::Set(d, u0), vv0 = hn::Set(d, v0), vdu = hn::Set(d, du), vdv = hn::Set(d, dv);
    const V vinv_n = hn::Set(d, inv_n), one = hn::Set(d, 1.0), vlast = hn::Set(d, double(last));
    const auto max_col = hn::Set(di, width - 2), max_row = hn::Set(di, height - 2);
    const auto vwidth = hn::Set(di, width);
    auto nan = hn::FirstN(d, 0);  // no NaN yet
    V index = hn::Iota(d, double(first));
    const V advance = hn::Set(d, double(lanes));
    int i = first;
    for (; i <= last - 2; i += lanes) {
        // Lanes beyond `last` repeat the last point (inside the raster; not stored).
        const V t = hn::Mul(hn::Min(index, vlast), vinv_n);
        const V u = hn::Add(vu0, hn::Mul(t, vdu)), v = hn::Add(vv0, hn::Mul(t, vdv));
        const auto c0 = hn::Min(hn::DemoteTo(di, u), max_col);  // u, v >= 0: truncation
        const auto r0 = hn::Min(hn::DemoteTo(di, v), max_row);
        const V fu = hn::Sub(u, hn::PromoteTo(d, c0)), fv = hn::Sub(v, hn::PromoteTo(d, r0));
        const auto at = hn::Add(hn::Mul(r0, vwidth), c0);
        V z00, z10, z01, z11;
        corners(z, width, at, z00, z10, z01, z11);
        // (z00 (1 - fu) + z10 fu) (1 - fv) + (z01 (1 - fu) + z11 fu) fv, as the scalar loop.
        const V value = hn::Add(
            hn::Mul(hn::Add(hn::Mul(z00, hn::Sub(one, fu)), hn::Mul(z10, fu)), hn::Sub(one, fv)),
            hn::Mul(hn::Add(hn::Mul(z01, hn::Sub(one, fu)), hn::Mul(z11, fu)), fv));
        nan = hn::Or(nan, hn::Not(hn::Eq(value, value)));  // Ne is ordered on AVX
        double* const to = out + (i - first);
        if (i + lanes - 1 <= last) {
            hn::StoreU(value, d, to);
        } else {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
            // A masked store (it touches nothing beyond `last`; std::copy became a call to
            // memmove with the vector registers saved around it).
            hn::BlendedStore(value, hn::FirstN(d, std::size_t(last - i + 1)), d, to);
#else
            alignas(64) double rest[hn::MaxLanes(d)];
            hn::Store(value, d, rest);
            std::copy(rest, rest + (last - i + 1), to);
#endif
        }
        index = hn::Add(index, advance);
    }
    // The last one or two points one by one (a pixel's own tail has 33: a whole vector for one
    // point cost a fifth of the kernel), with the scalar operations of the lanes.
    bool valid = hn::AllFalse(d, nan);
    for (; i <= last; ++i) {
        const double t = double(i) * inv_n;
        const double u = u0 + t * du, v = v0 + t * dv;
        const int c0 = std::min(int(u), width - 2), r0 = std::min(int(v), height - 2);
        const double fu = u - double(c0), fv = v - double(r0);
        const float* row0 = z + std::size_t(r0) * std::size_t(width) + std::size_t(c0);
        const float* row1 = row0 + width;
        const double value = (double(row0[0]) * (1.0 - fu) + double(row0[1]) * fu) * (1.0 - fv) +
                             (double(row1[0]) * (1.0 - fu) + double(row1[1]) * fu) * fv;
        valid = valid && value == value;
        out[i - first] = value;
    }
    return valid;
}

}  // namespace grenzfunk::terrain::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace grenzfunk::terrain::detail {

HWY_EXPORT(SampleLatticeLine);

bool sample_lattice_line(const float* z, int width, int height, double u0, double v0, double du,
                         double dv, double inv_n, int first, int last, double* out) {
    return HWY_DYNAMIC_DISPATCH(SampleLatticeLine)(z, width, height, u0, v0, du, dv, inv_n, first,
                                                   last, out);
}

}  // namespace grenzfunk::terrain::detail
#endif
