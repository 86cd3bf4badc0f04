// Reads terrain rasters with GDAL (GeoTIFF, .hgt, .hgt.gz, VRT: anything GDAL opens), mosaics
// and reprojects them onto a grid (bilinear), and fills small voids.
//
// Voids (SRTM has them): source nodata pixels are left out of the bilinear interpolation; grid
// pixels still without a value are filled by GDAL's inverse-distance interpolation
// (GDALFillNodata) from valid pixels up to `void_fill_max_distance_m` away. Whatever remains
// empty is NaN: the caller decides whether that is an error (a site on it) or a pixel that
// cannot be computed (a profile crossing it).
#pragma once

#include <array>
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/grid.hpp"

namespace grenzfunk::io {

struct TerrainLoadReport {
    std::size_t filled_void_pixels = 0;  // filled by interpolation
    std::size_t empty_pixels = 0;        // still without terrain (NaN)
};

// Throws Cancelled (core/error.hpp) when `cancel` (optional) becomes true while the rasters are
// warped.
Raster<float> load_terrain(const std::vector<std::string>& files, const GridSpec& grid,
                           double void_fill_max_distance_m, TerrainLoadReport* report = nullptr,
                           const std::atomic<bool>* cancel = nullptr);

// The WGS84 lon/lat box [west, south, east, north] the rasters cover together, from each
// raster's outline; nullopt when a raster cannot be opened or placed (load_terrain then says
// why). Used to name a site outside the terrain before the grid is sized from the sites.
std::optional<std::array<double, 4>> terrain_bounds_lonlat(const std::vector<std::string>& files);

// GDAL path for a user path: ".gz" files are read through /vsigzip/, ".zip" through /vsizip/.
std::string gdal_path_for(const std::string& path);

}  // namespace grenzfunk::io
