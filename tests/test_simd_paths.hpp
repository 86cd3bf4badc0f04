// Shared by the tests that compare the SIMD paths (src/simd/dispatch.hpp).
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "simd/dispatch.hpp"

namespace grenzfunk::test {

// Puts the automatic path back at the end of a test, whatever forced another.
struct SimdPathGuard {
    SimdPathGuard() = default;
    SimdPathGuard(const SimdPathGuard&) = delete;
    SimdPathGuard& operator=(const SimdPathGuard&) = delete;
    ~SimdPathGuard() { simd::use_path(simd::Path::automatic); }
};

// Calls body(path) with each compiled path this CPU runs forced (widest first, scalar last), and
// warns, naming it, for each compiled path it cannot run.
template <class Body>
void for_each_runnable_path(Body&& body) {
    const std::vector<simd::Path> runnable = simd::runnable_paths();
    for (const simd::Path path : simd::compiled_paths()) {
        if (std::find(runnable.begin(), runnable.end(), path) == runnable.end()) {
            WARN("SIMD path " << simd::path_name(path)
                              << " not runnable on this CPU: not compared");
            continue;
        }
        simd::use_path(path);
        body(path);
    }
}

}  // namespace grenzfunk::test
