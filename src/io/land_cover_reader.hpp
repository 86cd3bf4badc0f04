// Reads a land-cover raster of class codes (CORINE Land Cover, ESA WorldCover, any raster GDAL
// opens) onto the analysis grid, by majority: GDAL warp with mode resampling (GRA_Mode) in the
// grid CRS, so that a grid pixel gets the code most of the source pixels inside it carry (not
// the code of the one source pixel at its centre, as nearest neighbour would). Then each code
// is looked up in the class table (docs/land_cover.md).
//
// Pixels without land cover: outside the raster, only source nodata inside (the raster's nodata
// value does not vote), or a code the table marks nodata (such codes do vote in the majority).
// They get `default_class` when one is given, else kNoLandCoverClass (no clutter loss and the
// scenario's location sigma). A code neither in the table nor marked nodata is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/grid.hpp"
#include "core/land_cover.hpp"

namespace grenzfunk::io {

struct LandCoverOnGrid {
    // Per grid pixel: index into table.classes, or kNoLandCoverClass.
    Raster<std::uint8_t> class_index;
    std::size_t pixels_without_land_cover = 0;  // before the default class is applied
};

// `default_class`: index into table.classes for pixels without land cover; -1 = none. Throws
// InputError "<file>: ..." for a missing or unreadable raster, a raster that does not reach the
// grid, and codes not in the table (listing them with their pixel counts).
LandCoverOnGrid load_land_cover(const std::string& file, const LandCoverTable& table,
                                const GridSpec& grid, int default_class = -1);

}  // namespace grenzfunk::io
