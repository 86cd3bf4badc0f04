#include "pipeline/terrain_window.hpp"

#include <algorithm>
#include <cmath>

namespace grenzfunk::pipeline {

io::PixelBox box_around(const GridSpec& grid, double x_m, double y_m, double r_m, int margin) {
    return {int(std::floor(grid.col_of(x_m - r_m))) - margin,
            int(std::floor(grid.row_of(y_m + r_m))) - margin,
            int(std::floor(grid.col_of(x_m + r_m))) + 1 + margin,
            int(std::floor(grid.row_of(y_m - r_m))) + 1 + margin};
}

std::vector<io::PixelBox> terrain_window(const GridSpec& terrain_grid, const GridSpec& band_grid,
                                         const std::vector<engine::TransmitterCell>& cells,
                                         double radius_m) {
    const double res = terrain_grid.pixel_size_m;
    const int col_off = int(std::lround((band_grid.origin_x_m - terrain_grid.origin_x_m) / res));
    const int row_off = int(std::lround((terrain_grid.origin_y_m - band_grid.origin_y_m) / res));
    auto clip = [](const io::PixelBox& a, const io::PixelBox& b) {
        return io::PixelBox{std::max(a.col0, b.col0), std::max(a.row0, b.row0),
                            std::min(a.col1, b.col1), std::min(a.row1, b.row1)};
    };
    const io::PixelBox whole{0, 0, terrain_grid.width, terrain_grid.height};
    const io::PixelBox band{col_off, row_off, col_off + band_grid.width,
                            row_off + band_grid.height};
    const int reach_px = int(std::ceil(radius_m / res)) + kTerrainWindowMarginPixels;
    const io::PixelBox band_reach{band.col0 - reach_px, band.row0 - reach_px, band.col1 + reach_px,
                                  band.row1 + reach_px};
    std::vector<io::PixelBox> boxes = {clip(band, whole)};
    for (const engine::TransmitterCell& t : cells) {
        if (band_grid.distance_to_m(t.x_m, t.y_m) > radius_m) continue;
        const io::PixelBox disc =
            box_around(terrain_grid, t.x_m, t.y_m, radius_m, kTerrainWindowMarginPixels);
        boxes.push_back(clip(clip(disc, band_reach), whole));
    }
    return io::box_union(boxes);
}

}  // namespace grenzfunk::pipeline
