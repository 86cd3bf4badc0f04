#include "core/land_cover.hpp"

namespace grenzfunk {

namespace {
struct TypeName {
    ClutterType type;
    const char* name;
};
constexpr TypeName kTypeNames[] = {
    {ClutterType::water_sea, "water_sea"},       {ClutterType::open_rural, "open_rural"},
    {ClutterType::suburban, "suburban"},         {ClutterType::urban, "urban"},
    {ClutterType::trees_forest, "trees_forest"}, {ClutterType::dense_urban, "dense_urban"},
};
}  // namespace

const char* clutter_type_name(ClutterType type) {
    for (const TypeName& t : kTypeNames)
        if (t.type == type) return t.name;
    return "open_rural";
}

std::optional<ClutterType> clutter_type_from_name(const std::string& name) {
    for (const TypeName& t : kTypeNames)
        if (name == t.name) return t.type;
    return std::nullopt;
}

double p2108_default_clutter_height_m(ClutterType type) {
    // ITU-R P.2108-1 Annex 1 Table 3.
    switch (type) {
        case ClutterType::water_sea:
        case ClutterType::open_rural:
        case ClutterType::suburban:
            return 10.0;
        case ClutterType::urban:
        case ClutterType::trees_forest:
            return 15.0;
        case ClutterType::dense_urban:
            return 20.0;
    }
    return 10.0;
}

}  // namespace grenzfunk
