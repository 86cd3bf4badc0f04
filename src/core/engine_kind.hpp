// The coverage engine a run uses, and its one default (scenario, C++ API and CLI alike).
#pragma once

#include <optional>
#include <string_view>

namespace grenzfunk {

enum class EngineKind {
    reference,  // every pixel its own profile from the transmitter (the reference path)
    fast,       // radial sweeps with shared prefixes (docs/engine.md)
};

constexpr EngineKind kDefaultEngine = EngineKind::fast;

constexpr const char* engine_name(EngineKind kind) {
    return kind == EngineKind::reference ? "reference" : "fast";
}

inline std::optional<EngineKind> parse_engine(std::string_view name) {
    if (name == "fast") return EngineKind::fast;
    if (name == "reference") return EngineKind::reference;
    return std::nullopt;
}

}  // namespace grenzfunk
