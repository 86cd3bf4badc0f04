// Reads a single-band raster in geographic WGS 84 (EPSG:4326 GeoTIFF, or anything GDAL opens in
// that CRS) into a GeoPostGrid. The posts are the pixel centres in GDAL's corner convention, so
// PixelIsPoint and PixelIsArea GeoTIFFs both give the right post positions (with
// GTIFF_POINT_GEO_IGNORE=TRUE, a PixelIsPoint origin is taken as the post itself).
#pragma once

#include <string>

#include "core/geo_post_grid.hpp"

namespace grenzfunk::io {

// Throws InputError naming the file when it cannot be opened, has no geotransform, is rotated or
// not north-up, is not in geographic WGS 84, has not exactly one band, or holds heights outside
// the int16 range (float rasters are rounded half away from zero).
GeoPostGrid read_geo_post_grid(const std::string& file);

}  // namespace grenzfunk::io
