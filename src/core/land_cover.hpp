// A land-cover class table as the I/O layer reads it (data/land_cover/*.toml, docs/land_cover.md):
// per raster code, the class name, the ITU-R P.2108-1 §3.1 clutter type with its representative
// clutter height and street width, and the location variability to use there. A plain
// description in core, so that the readers (io), the clutter model (propagation) and the
// analysis share it without depending on each other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace grenzfunk {

// The clutter types of ITU-R P.2108-1 Annex 1 §3.1, Table 3. "urban" and "trees/forest" share
// one row (same default height and equation) but are kept apart for the class names.
enum class ClutterType : std::uint8_t {
    water_sea,
    open_rural,
    suburban,
    urban,
    trees_forest,
    dense_urban,
};

// "water_sea", "open_rural", "suburban", "urban", "trees_forest", "dense_urban".
const char* clutter_type_name(ClutterType type);
std::optional<ClutterType> clutter_type_from_name(const std::string& name);

// P.2108-1 Table 3 defaults: representative clutter height R (m); the street width 27 m (§3.1).
double p2108_default_clutter_height_m(ClutterType type);
inline constexpr double kP2108DefaultStreetWidthM = 27.0;

struct LandCoverClass {
    int code = 0;  // the raster value this row matches (after the code kind is chosen)
    std::string name;
    ClutterType clutter = ClutterType::open_rural;
    double clutter_height_m = 10.0;  // R
    double street_width_m = kP2108DefaultStreetWidthM;
    double location_sigma_db = 5.5;
};

// The class raster's value for a pixel without land cover (nodata, outside the raster, a
// nodata code of the table): no clutter loss there, the scenario's location sigma.
inline constexpr std::uint8_t kNoLandCoverClass = 255;
// At most this many classes per table (the class raster is Byte, 255 reserved).
inline constexpr std::size_t kMaxLandCoverClasses = 254;

struct LandCoverTable {
    std::string name;         // "CORINE Land Cover 2018 (raster index)"
    std::string source;       // the table file, or "built-in:corine"
    std::string attribution;  // the credit line the data's licence asks for
    std::vector<LandCoverClass> classes;
    std::vector<int> nodata_codes;  // raster values meaning "no land cover"

    // Index of the class with `code`, or -1.
    int index_of(int code) const {
        for (std::size_t i = 0; i < classes.size(); ++i)
            if (classes[i].code == code) return int(i);
        return -1;
    }
};

}  // namespace grenzfunk
