// A plain geographic grid of terrain posts (heights at points, not pixel areas), in WGS 84
// longitude/latitude degrees. Row 0 is the northernmost row; post (col, row) lies at
// (lon_post0_deg + col * step_lon_deg, lat_post0_deg - row * step_lat_deg). No GDAL here: the
// I/O layer (io/geo_post_grid_reader) fills it; HCM's terrain lookup (propagation/hcm_terrain)
// reads it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace grenzfunk {

struct GeoPostGrid {
    double lon_post0_deg = 0.0;            // longitude of post (0, 0), the north-west post
    double lat_post0_deg = 0.0;            // latitude of post (0, 0)
    double step_lon_deg = 0.0;             // > 0, eastwards
    double step_lat_deg = 0.0;             // > 0, southwards from row to row
    int width = 0;                         // posts per row
    int height = 0;                        // rows
    std::vector<std::int16_t> heights_m;   // row-major, width * height, metres above sea level
    std::optional<std::int16_t> nodata_m;  // a void post, if the source declares one

    std::size_t post_count() const { return std::size_t(width) * std::size_t(height); }
    bool contains_post(int col, int row) const {
        return col >= 0 && row >= 0 && col < width && row < height;
    }
    std::int16_t at(int col, int row) const {
        return heights_m[std::size_t(row) * std::size_t(width) + std::size_t(col)];
    }
    bool is_void(std::int16_t h) const { return nodata_m && h == *nodata_m; }
    double lon_of_col(int col) const { return lon_post0_deg + col * step_lon_deg; }
    double lat_of_row(int row) const { return lat_post0_deg - row * step_lat_deg; }
};

}  // namespace grenzfunk
