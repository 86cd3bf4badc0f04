// Reads terrain rasters with GDAL (GeoTIFF, .hgt, .hgt.gz, VRT: anything GDAL opens), mosaics
// and reprojects them onto a grid (bilinear), and fills small voids.
//
// Voids (SRTM has them): source nodata pixels are left out of the bilinear interpolation; grid
// pixels still without a value are filled by GDAL's inverse-distance interpolation
// (GDALFillNodata) from valid pixels up to `void_fill_max_distance_m` away. Whatever remains
// empty is NaN: the caller decides whether that is an error (a site on it) or a pixel that
// cannot be computed (a profile crossing it).
//
// A window (TerrainReadOptions) limits the work to the pixels the caller will read: only they
// and the void-filling distance around them are warped and filled, and they get the values a
// read of the whole grid gives (docs/engine.md, "Terrain").
#pragma once

#include <array>
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/grid.hpp"

namespace grenzfunk::io {

struct TerrainLoadReport {
    std::size_t filled_void_pixels = 0;  // filled by interpolation (in the window)
    std::size_t empty_pixels = 0;        // still without terrain (NaN; in the window)
};

// A rectangle of a grid's pixels: columns [col0, col1), rows [row0, row1).
struct PixelBox {
    int col0 = 0, row0 = 0, col1 = 0, row1 = 0;
    bool empty() const { return col1 <= col0 || row1 <= row0; }
    std::size_t pixel_count() const {
        return empty() ? 0 : std::size_t(col1 - col0) * std::size_t(row1 - row0);
    }
    bool operator==(const PixelBox&) const = default;
};

// The union of `boxes` as disjoint boxes, in a canonical order (by first row, then column): cut
// into slabs of rows at every box edge, the column intervals of each slab merged, and equal
// intervals of consecutive slabs joined. Empty boxes are dropped.
std::vector<PixelBox> box_union(const std::vector<PixelBox>& boxes);
// The pixels of `a` that are not in `b`, as disjoint boxes in the same order.
std::vector<PixelBox> box_difference(const std::vector<PixelBox>& a,
                                     const std::vector<PixelBox>& b);

// How the warp maps grid pixels onto the source raster's pixels (docs/engine.md, "Terrain").
enum class TerrainTransform {
    // Exact (PROJ) on every row at the lattice columns 16 k of the grid's global column numbering,
    // cubic interpolation in between: below 1e-8 source pixels from exact, 1/16 of the PROJ
    // calls, and still independent of the window, band and threads.
    lattice,
    // PROJ for every pixel (gdalwarp -et 0): for comparisons with runs before the lattice.
    exact,
};

struct TerrainReadOptions {
    // The pixels the caller will read, as boxes of the grid (they may overlap); empty = the
    // whole grid. Pixels outside are NaN. When GDAL cannot warp each pixel independently of the
    // extent (several terrain files in different CRSs) the whole grid is read.
    std::vector<PixelBox> window;
    // GDAL's warp threads (NUM_THREADS): every pixel is computed alone, so the values do not
    // depend on it.
    int threads = 1;
    // Applies to one source raster or a mosaic in one CRS (rasters in different CRSs are warped
    // by gdalwarp with exact transforms, each pixel depending on the extent: read whole).
    TerrainTransform transform = TerrainTransform::lattice;
    // Pixels read before (the previous band's terrain, a grid of the same alignment): the
    // window's pixels in `known_window` (boxes of `grid`) are copied from `known` instead of
    // warped and filled again. The caller vouches that they hold the values a read of the run's
    // whole terrain grid gives there.
    const Raster<float>* known = nullptr;
    std::vector<PixelBox> known_window;
};

// Throws Cancelled (core/error.hpp) when `cancel` (optional) becomes true while the rasters are
// warped.
Raster<float> load_terrain(const std::vector<std::string>& files, const GridSpec& grid,
                           double void_fill_max_distance_m, TerrainLoadReport* report = nullptr,
                           const std::atomic<bool>* cancel = nullptr,
                           const TerrainReadOptions& options = {});

// The WGS84 lon/lat box [west, south, east, north] the rasters cover together, from each
// raster's outline; nullopt when a raster cannot be opened or placed (load_terrain then says
// why). Used to name a site outside the terrain before the grid is sized from the sites.
std::optional<std::array<double, 4>> terrain_bounds_lonlat(const std::vector<std::string>& files);

// GDAL path for a user path: ".gz" files are read through /vsigzip/, ".zip" through /vsizip/.
std::string gdal_path_for(const std::string& path);

}  // namespace grenzfunk::io
