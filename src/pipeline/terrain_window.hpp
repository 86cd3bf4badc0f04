// Which terrain pixels a band's computation can touch (docs/engine.md, "Terrain"): the terrain
// reader warps and void-fills only those instead of the whole grid grown by the radius.
#pragma once

#include <vector>

#include "core/grid.hpp"
#include "engine/coverage.hpp"
#include "io/terrain_reader.hpp"

namespace grenzfunk::pipeline {

// Bilinear sampling (terrain/terrain.hpp) reads the pixel centres around a point: pixels this
// far beyond a disc's edge are kept too.
inline constexpr int kTerrainWindowMarginPixels = 2;

// The boxes of `terrain_grid` (disjoint, io::box_union) holding the band's own pixels
// (`band_grid`, same alignment) and, for each cell within `radius_m` of the band, the box of
// its disc (radius plus the margin) clipped to the band grown by the same and to the terrain
// grid: every profile from a cell to a band pixel stays within the radius of both ends. Cells
// farther from the band add nothing.
std::vector<io::PixelBox> terrain_window(const GridSpec& terrain_grid, const GridSpec& band_grid,
                                         const std::vector<engine::TransmitterCell>& cells,
                                         double radius_m);

// The box of `grid` covering the square [x - r, x + r] x [y - r, y + r] plus `margin` pixels,
// not clipped.
io::PixelBox box_around(const GridSpec& grid, double x_m, double y_m, double r_m, int margin);

}  // namespace grenzfunk::pipeline
