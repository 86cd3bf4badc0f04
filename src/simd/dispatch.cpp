// Highway's per-target dispatch tables (hwy/targets.h): forcing a path restricts the targets
// Highway considers supported, which every HWY_DYNAMIC_DISPATCH table honours from its next
// call on.
#include "simd/dispatch.hpp"

#include <hwy/highway.h>
#include <hwy/targets.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace grenzfunk::simd {

namespace {

struct Known {
    Path path;
    std::int64_t target;
    std::string_view name;
};

// The scalar path is Highway's baseline scalar target: HWY_EMU128 (plain C++ per lane, no SIMD
// instructions) unless Highway was built to use its one-lane HWY_SCALAR instead
// (detect_targets.h, HWY_BASELINE_SCALAR). Without -march it is the static target of an
// x86-64 build, so every machine runs it.
constexpr std::int64_t scalar_target = (HWY_TARGETS & HWY_EMU128) != 0 ? HWY_EMU128 : HWY_SCALAR;

// Widest first. HWY_SSSE3 is disabled at compile time (CMakeLists.txt).
constexpr Known known[] = {
    {Path::avx512, HWY_AVX3, "avx512"},
    {Path::avx2, HWY_AVX2, "avx2"},
    {Path::sse4, HWY_SSE4, "sse4"},
    {Path::scalar, scalar_target, "scalar"},
};

// What the CPU supports, read once before any path is forced.
std::int64_t cpu_targets() {
    static const std::int64_t targets = [] {
        hwy::SetSupportedTargetsForTest(0);
        return hwy::SupportedTargets();
    }();
    return targets;
}

bool compiled(std::int64_t target) {
    return (HWY_TARGETS & target) != 0 || target == HWY_STATIC_TARGET;
}

}  // namespace

std::string_view path_name(Path path) {
    if (path == Path::automatic) return "auto";
    for (const Known& k : known)
        if (k.path == path) return k.name;
    return "auto";
}

std::optional<Path> parse_path(std::string_view name) {
    if (name == "auto") return Path::automatic;
    for (const Known& k : known)
        if (k.name == name) return k.path;
    return std::nullopt;
}

std::vector<Path> compiled_paths() {
    std::vector<Path> out;
    for (const Known& k : known)
        if (compiled(k.target)) out.push_back(k.path);
    return out;
}

std::vector<Path> runnable_paths() {
    std::vector<Path> out;
    for (const Known& k : known)
        if (compiled(k.target) &&
            ((cpu_targets() & k.target) != 0 || k.target == HWY_STATIC_TARGET))
            out.push_back(k.path);
    return out;
}

void use_path(Path path) {
    if (path == Path::automatic) {
        hwy::SetSupportedTargetsForTest(0);
        return;
    }
    const std::vector<Path> runnable = runnable_paths();
    for (const Known& k : known)
        if (k.path == path && std::find(runnable.begin(), runnable.end(), path) != runnable.end()) {
            hwy::SetSupportedTargetsForTest(k.target);
            return;
        }
    std::string list = "auto";
    for (const Path p : runnable) {
        list += ", ";
        list += path_name(p);
    }
    throw InputError("SIMD path '" + std::string(path_name(path)) +
                     "' is not available on this CPU (available: " + list + ")");
}

Path active_path() {
    const std::int64_t supported = hwy::SupportedTargets();
    for (const Known& k : known)
        if (compiled(k.target) && (supported & k.target) != 0) return k.path;
    return Path::scalar;
}

}  // namespace grenzfunk::simd
