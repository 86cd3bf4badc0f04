// Vector data for the coverage analysis (GDAL/OGR): admin polygons rasterised onto the analysis
// grid, national borders as line segments in the grid CRS, and coverage-gap polygons written
// as GeoPackage and GeoJSON. The analysis layer (src/analysis) only sees the rasters, segments
// and gap records; no OGR type leaves this file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace grenzfunk::io {

// Polygons of a vector file (any format OGR reads, with a CRS) burnt onto `grid`: a pixel gets
// the index of the polygon its centre lies in (GDAL's default rasterisation rule), -1 outside
// all. Features with the same value of `name_field` share one index; names are in file order.
// `name_field` empty: every feature gets index 0 and the name is the file's stem.
struct RegionRaster {
    Raster<std::int32_t> index;
    std::vector<std::string> names;
};
// Throws InputError "<where>: <path>: ..." when the file cannot be read or lacks the field.
RegionRaster rasterise_regions(const std::string& path, const std::string& name_field,
                               const GridSpec& grid, const std::string& where);

// The boundary of the polygons of a vector file as segments in the grid CRS, leaving out the
// edges that lie on the file's bounding box: an extract clipped to a box (as the sample admin
// files are) has such edges, and they are no border.
std::vector<Segment> border_segments(const std::string& path, const GridSpec& grid,
                                     const std::string& where);

}  // namespace grenzfunk::io
