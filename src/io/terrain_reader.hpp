// Reads terrain rasters with GDAL (GeoTIFF, .hgt, .hgt.gz, VRT: anything GDAL opens), mosaics
// and reprojects them onto a grid (bilinear), and fills small voids.
//
// Voids (SRTM has them): source nodata pixels are left out of the bilinear interpolation; grid
// pixels still without a value are filled by GDAL's inverse-distance interpolation
// (GDALFillNodata) from valid pixels up to `void_fill_max_distance_m` away. Whatever remains
// empty is NaN: the caller decides whether that is an error (a site on it) or a pixel that
// cannot be computed (a profile crossing it).
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "core/grid.hpp"

namespace grenzfunk::io {

struct TerrainLoadReport {
    std::size_t filled_void_pixels = 0;  // filled by interpolation
    std::size_t empty_pixels = 0;        // still without terrain (NaN)
};

// Throws engine::Cancelled when `cancel` (optional) becomes true while the rasters are warped.
Raster<float> load_terrain(const std::vector<std::string>& files, const GridSpec& grid,
                           double void_fill_max_distance_m, TerrainLoadReport* report = nullptr,
                           const std::atomic<bool>* cancel = nullptr);

// GDAL path for a user path: ".gz" files are read through /vsigzip/, ".zip" through /vsizip/.
std::string gdal_path_for(const std::string& path);

}  // namespace grenzfunk::io
