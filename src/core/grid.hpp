// The analysis grid: a north-up raster in a projected CRS, and rasters of values on it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace grenzfunk {

// North-up grid. Pixel (col=0,row=0) is the north-west corner pixel; its centre lies at
// (origin_x_m + 0.5 * pixel_size_m, origin_y_m - 0.5 * pixel_size_m). Square pixels.
struct GridSpec {
    std::string crs;          // as the user gave it, e.g. "EPSG:25832"
    std::string crs_wkt;      // full WKT, filled in by the I/O layer (PROJ/GDAL)
    double origin_x_m = 0.0;  // west edge
    double origin_y_m = 0.0;  // north edge
    double pixel_size_m = 0.0;
    int width = 0;
    int height = 0;

    std::size_t pixel_count() const { return std::size_t(width) * std::size_t(height); }
    double centre_x_m(int col) const { return origin_x_m + (col + 0.5) * pixel_size_m; }
    double centre_y_m(int row) const { return origin_y_m - (row + 0.5) * pixel_size_m; }
    // Distance from a point to the nearest edge of the grid's rectangle (0 inside).
    double distance_to_m(double x_m, double y_m) const {
        const double dx =
            std::fmax(std::fmax(origin_x_m - x_m, 0.0), x_m - (origin_x_m + width * pixel_size_m));
        const double dy =
            std::fmax(std::fmax(y_m - origin_y_m, 0.0), (origin_y_m - height * pixel_size_m) - y_m);
        return std::hypot(dx, dy);
    }
    // Continuous pixel coordinates (0.0 = west/north edge of pixel 0).
    double col_of(double x_m) const { return (x_m - origin_x_m) / pixel_size_m; }
    double row_of(double y_m) const { return (origin_y_m - y_m) / pixel_size_m; }
    bool contains(double x_m, double y_m) const {
        const double c = col_of(x_m), r = row_of(y_m);
        return c >= 0.0 && r >= 0.0 && c < width && r < height;
    }
    // GDAL-style affine geotransform.
    void geotransform(double out[6]) const {
        out[0] = origin_x_m;
        out[1] = pixel_size_m;
        out[2] = 0.0;
        out[3] = origin_y_m;
        out[4] = 0.0;
        out[5] = -pixel_size_m;
    }
};

// A raster of values on a grid, row-major, with a nodata value.
template <typename T>
struct Raster {
    GridSpec grid;
    T nodata{};
    std::vector<T> values;

    Raster() = default;
    Raster(GridSpec g, T nodata_value)
        : grid(std::move(g)), nodata(nodata_value), values(grid.pixel_count(), nodata_value) {}

    T& at(int col, int row) { return values[std::size_t(row) * grid.width + col]; }
    const T& at(int col, int row) const { return values[std::size_t(row) * grid.width + col]; }
};

}  // namespace grenzfunk
