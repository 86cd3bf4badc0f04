// Per-target instantiations of the vector maths (vector_math_inl.hpp) behind HWY_DYNAMIC_DISPATCH,
// and the one-value entry points on the static target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/vector_math.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include "simd/vector_math_inl.hpp"

#include <algorithm>
#include <cstddef>

#include "simd/vector_math.hpp"

HWY_BEFORE_NAMESPACE();
namespace grenzfunk::simd::HWY_NAMESPACE {
namespace {

// Whole vectors straight from the arrays; the last partial vector through a padded buffer (the
// lanes are independent, so its values do not depend on the padding).
template <class Kernel>
HWY_INLINE void Apply(const double* in, double* out, std::size_t count, Kernel kernel) {
    const hn::ScalableTag<double> d;
    const std::size_t lanes = hn::Lanes(d);
    std::size_t i = 0;
    for (; i + lanes <= count; i += lanes) hn::StoreU(kernel(d, hn::LoadU(d, in + i)), d, out + i);
    if (i == count) return;
    HWY_ALIGN double buffer[HWY_MAX_BYTES / sizeof(double)];
    std::fill(buffer, buffer + lanes, 1.0);
    std::copy(in + i, in + count, buffer);
    hn::Store(kernel(d, hn::Load(d, buffer)), d, buffer);
    std::copy(buffer, buffer + (count - i), out + i);
}

}  // namespace

void EvaluateArray(Function f, const double* in, double* out, std::size_t count) {
    switch (f) {
        case Function::exp:
            return Apply(in, out, count, [](auto d, auto v) { return Exp(d, v); });
        case Function::log:
            return Apply(in, out, count, [](auto d, auto v) { return Log(d, v); });
        case Function::log10:
            return Apply(in, out, count, [](auto d, auto v) { return Log10(d, v); });
        case Function::cbrt:
            return Apply(in, out, count, [](auto d, auto v) { return Cbrt(d, v); });
        case Function::sin:
            return Apply(in, out, count, [](auto d, auto v) { return Sin(d, v); });
        case Function::cos:
            return Apply(in, out, count, [](auto d, auto v) { return Cos(d, v); });
    }
}

// One lane of this target's vectors.
double EvaluateOne(Function f, double x) {
    const hn::CappedTag<double, 1> d;
    const hn::Vec<decltype(d)> v = hn::Set(d, x);
    switch (f) {
        case Function::exp:
            return hn::GetLane(Exp(d, v));
        case Function::log:
            return hn::GetLane(Log(d, v));
        case Function::log10:
            return hn::GetLane(Log10(d, v));
        case Function::cbrt:
            return hn::GetLane(Cbrt(d, v));
        case Function::sin:
            return hn::GetLane(Sin(d, v));
        case Function::cos:
            return hn::GetLane(Cos(d, v));
    }
    return x;
}

}  // namespace grenzfunk::simd::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <stdexcept>

namespace grenzfunk::simd {

HWY_EXPORT(EvaluateArray);

std::string_view function_name(Function f) {
    switch (f) {
        case Function::exp:
            return "exp";
        case Function::log:
            return "log";
        case Function::log10:
            return "log10";
        case Function::cbrt:
            return "cbrt";
        case Function::sin:
            return "sin";
        case Function::cos:
            return "cos";
    }
    return "?";
}

void evaluate(Function f, std::span<const double> in, std::span<double> out) {
    if (in.size() != out.size())
        throw std::invalid_argument("simd::evaluate: input and output sizes differ");
    if (in.empty()) return;
    HWY_DYNAMIC_DISPATCH(EvaluateArray)(f, in.data(), out.data(), in.size());
}

// The static target is compiled in every build and needs no CPU check.
double exp(double x) {
    return HWY_STATIC_DISPATCH(EvaluateOne)(Function::exp, x);
}
double log(double x) {
    return HWY_STATIC_DISPATCH(EvaluateOne)(Function::log, x);
}
double log10(double x) {
    return HWY_STATIC_DISPATCH(EvaluateOne)(Function::log10, x);
}
double cbrt(double x) {
    return HWY_STATIC_DISPATCH(EvaluateOne)(Function::cbrt, x);
}
double sin(double x) {
    return HWY_STATIC_DISPATCH(EvaluateOne)(Function::sin, x);
}
double cos(double x) {
    return HWY_STATIC_DISPATCH(EvaluateOne)(Function::cos, x);
}

}  // namespace grenzfunk::simd
#endif  // HWY_ONCE
