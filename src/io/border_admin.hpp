// Reads the home country's outline (the official national border) from any vector format OGR
// opens (GeoJSON, GeoPackage, Shapefile) and transforms it to the grid CRS for the border
// check (analysis/border_geometry.hpp).
//
// Admin data are often clipped to a box (the sample files are): an edge with both ends on the
// same side of the layer's bounding box is flagged as a clipping artefact, not a border. Edges
// are densified before the transform (0.01 degree / 1000 m) so that long edges stay true
// after reprojection.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace grenzfunk::io {

struct HomeOutline {
    std::vector<OutlinePolygon> polygons;  // in the target CRS
    std::size_t features = 0;              // features read
};

// `attribute_filter`: an OGR SQL WHERE clause selecting the home country's features ("" = all
// features of the first layer). Throws InputError "<where>: border.home_file: ..." when the
// file cannot be read, holds no polygons, or cannot be transformed.
HomeOutline read_home_outline(const std::string& path, const std::string& attribute_filter,
                              const std::string& target_crs, const std::string& where);

// The outline of a lon/lat box in `target_crs`, densified (`points_per_edge` per side), for
// the scenario region. Throws InputError if a point cannot be transformed.
std::vector<XY> lonlat_box_outline(const std::array<double, 4>& west_south_east_north,
                                   const std::string& target_crs, int points_per_edge = 100);

}  // namespace grenzfunk::io
