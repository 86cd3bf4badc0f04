// Runtime choice of the instruction set for the vector kernels (Highway dynamic dispatch). One
// x86-64 binary carries every path; at run time the best one the CPU supports is used, unless a
// path is forced (CLI --simd, tests). Every path gives the same bits: the kernels use only
// correctly rounded IEEE operations (+ - * / sqrt, no fused multiply-add, no approximate
// reciprocals) and reduce in a fixed order that does not depend on the vector width
// (docs/engine.md, "Vector paths").
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace grenzfunk::simd {

enum class Path {
    automatic,  // the best path the CPU supports
    avx512,     // AVX-512 F/VL/DQ/BW (Highway AVX3), 8 doubles per vector
    avx2,       // AVX2 + FMA-capable CPUs (FMA not used), 4 doubles
    sse4,       // SSE4.2, 2 doubles
    scalar,     // no SIMD instructions, 1 double
};

// "auto", "avx512", "avx2", "sse4", "scalar".
std::string_view path_name(Path path);
std::optional<Path> parse_path(std::string_view name);

// The paths compiled into this binary, widest first (never automatic).
std::vector<Path> compiled_paths();
// The compiled paths this CPU can run, widest first; always ends with scalar.
std::vector<Path> runnable_paths();

// Makes every kernel dispatch to `path` from now on (automatic: back to the best one).
// Process-wide; call it before kernels run, not while they run. Throws core::Error (not a
// runnable path) naming the path and the runnable ones.
void use_path(Path path);
// The path the kernels dispatch to now (never automatic).
Path active_path();

}  // namespace grenzfunk::simd
