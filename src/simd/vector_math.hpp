// Scalar and array entry points of the vector maths (vector_math_inl.hpp) for code outside the
// per-target kernels. Every function gives the same bits as the vector version on every path
// (dispatch.hpp), and so the same bits whichever path is active; accuracy and domains:
// vector_math_inl.hpp, docs/engine.md "Vector maths and paths".
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace grenzfunk::simd {

enum class Function : std::uint8_t { exp, log, log10, cbrt, sin, cos };

// "exp", "log", "log10", "cbrt", "sin", "cos".
std::string_view function_name(Function f);

// out[i] = f(in[i]) on the active path (use_path). in and out have the same size and may be the
// same array; throws std::invalid_argument otherwise.
void evaluate(Function f, std::span<const double> in, std::span<double> out);

// One value (one-lane vector of the static target: the same bits as evaluate()).
double exp(double x);
double log(double x);
double log10(double x);
double cbrt(double x);
double sin(double x);
double cos(double x);

}  // namespace grenzfunk::simd
