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

#include "terrain/terrain_internal.hpp"

HWY_BEFORE_NAMESPACE();
namespace grenzfunk::terrain::detail::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

bool SampleLatticeLine(const float* z, int width, int height, double u0, double v0, double du,
                       double dv, double inv_n, int first, int last, double* out) {
    const hn::ScalableTag<double> d;
    const hn::Rebind<std::int32_t, decltype(d)> di;
    const hn::Rebind<float, decltype(d)> df;
    using V = hn::Vec<decltype(d)>;
    const int lanes = int(hn::Lanes(d));
    const V vu0 = hn::Set(d, u0), vv0 = hn::Set(d, v0), vdu = hn::Set(d, du), vdv = hn::Set(d, dv);
    const V vinv_n = hn::Set(d, inv_n), one = hn::Set(d, 1.0), vlast = hn::Set(d, double(last));
    const auto max_col = hn::Set(di, width - 2), max_row = hn::Set(di, height - 2);
    const auto vwidth = hn::Set(di, width);
    auto nan = hn::FirstN(d, 0);  // no NaN yet
    V index = hn::Iota(d, double(first));
    const V advance = hn::Set(d, double(lanes));
    for (int i = first; i <= last; i += lanes) {
        // Lanes beyond `last` repeat the last point (inside the raster; not stored).
        const V t = hn::Mul(hn::Min(index, vlast), vinv_n);
        const V u = hn::Add(vu0, hn::Mul(t, vdu)), v = hn::Add(vv0, hn::Mul(t, vdv));
        const auto c0 = hn::Min(hn::DemoteTo(di, u), max_col);  // u, v >= 0: truncation
        const auto r0 = hn::Min(hn::DemoteTo(di, v), max_row);
        const V fu = hn::Sub(u, hn::PromoteTo(d, c0)), fv = hn::Sub(v, hn::PromoteTo(d, r0));
        const auto at = hn::Add(hn::Mul(r0, vwidth), c0);
        const V z00 = hn::PromoteTo(d, hn::GatherIndex(df, z, at));
        const V z10 = hn::PromoteTo(d, hn::GatherIndex(df, z + 1, at));
        const V z01 = hn::PromoteTo(d, hn::GatherIndex(df, z + width, at));
        const V z11 = hn::PromoteTo(d, hn::GatherIndex(df, z + width + 1, at));
        // (z00 (1 - fu) + z10 fu) (1 - fv) + (z01 (1 - fu) + z11 fu) fv, as the scalar loop.
        const V value = hn::Add(
            hn::Mul(hn::Add(hn::Mul(z00, hn::Sub(one, fu)), hn::Mul(z10, fu)), hn::Sub(one, fv)),
            hn::Mul(hn::Add(hn::Mul(z01, hn::Sub(one, fu)), hn::Mul(z11, fu)), fv));
        nan = hn::Or(nan, hn::Not(hn::Eq(value, value)));  // Ne is ordered on AVX
        double* const to = out + (i - first);
        if (i + lanes - 1 <= last) {
            hn::StoreU(value, d, to);
        } else {
            alignas(64) double rest[hn::MaxLanes(d)];
            hn::Store(value, d, rest);
            std::copy(rest, rest + (last - i + 1), to);
        }
        index = hn::Add(index, advance);
    }
    return hn::AllFalse(d, nan);
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
