// Land-cover class tables (docs/land_cover.md): a TOML file of [[class]] rows mapping raster
// codes to ITU-R P.2108-1 §3.1 clutter types and location sigmas. Two tables ship with the
// program (data/land_cover/, compiled in): "corine" (CORINE Land Cover) and "esa-worldcover"
// (ESA WorldCover 10 m v200).
#pragma once

#include <string>
#include <string_view>

#include "core/land_cover.hpp"

namespace grenzfunk::io {

// Which column of a table matches the raster values: `code` (the raster index / map code, the
// default) or `clc_code` (CORINE's three-digit codes, e.g. a raster made from the vector
// product's CODE_18).
enum class LandCoverCodeKind { index, clc_code };

// `classes`: "corine", "esa-worldcover" (the built-in tables) or the path of a table file.
// Throws InputError "<file>:<line>: class.<key>: ..." for a bad table (unknown key, missing or
// duplicate code, unknown clutter type, more than 254 classes, a clc_code kind on a table
// without clc_code).
LandCoverTable read_land_cover_table(const std::string& classes, LandCoverCodeKind kind);

// The text of a built-in table ("corine", "esa-worldcover"); empty for other names.
std::string_view builtin_land_cover_table(std::string_view name);

}  // namespace grenzfunk::io
