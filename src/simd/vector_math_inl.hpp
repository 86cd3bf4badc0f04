// Vector maths for the kernels, one algorithm for every instruction set (dispatch.hpp): include
// it from a file compiled once per target (hwy/foreach_target.h) and call
// grenzfunk::simd::HWY_NAMESPACE::Exp(d, x) etc. on double vectors.
//
// PLACEHOLDER while the bit-identical implementation is written: Highway's contrib maths
// (which fuses multiply-adds on AVX2/AVX-512 only, so its bits differ between paths).
#if defined(GRENZFUNK_SIMD_VECTOR_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef GRENZFUNK_SIMD_VECTOR_MATH_INL_H_
#undef GRENZFUNK_SIMD_VECTOR_MATH_INL_H_
#else
#define GRENZFUNK_SIMD_VECTOR_MATH_INL_H_
#endif

#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace grenzfunk::simd::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

template <class D, class V = hn::Vec<D>>
HWY_INLINE V Exp(D d, V x) {
    return hn::Exp(d, x);
}
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Log(D d, V x) {
    return hn::Log(d, x);
}
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Log10(D d, V x) {
    return hn::Log10(d, x);
}
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Cbrt(D d, V x) {
    const V a = hn::Abs(x);
    const V r = hn::Exp(d, hn::Div(hn::Log(d, a), hn::Set(d, 3.0)));
    return hn::CopySign(hn::IfThenElse(hn::Eq(a, hn::Zero(d)), hn::Zero(d), r), x);
}
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Sin(D d, V x) {
    return hn::Sin(d, x);
}
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Cos(D d, V x) {
    return hn::Cos(d, x);
}

}  // namespace grenzfunk::simd::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // include guard per target
