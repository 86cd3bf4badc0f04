#include "io/geo_post_grid_reader.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>

#include "core/error.hpp"
#include "io/gdal_init.hpp"
#include "io/terrain_reader.hpp"

namespace grenzfunk::io {

namespace {
struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
};

// WGS 84 ellipsoid (EPSG:7030): the datum check is on the ellipsoid, which is what a geographic
// CRS "in WGS 84" has to share (EPSG:4326 and its axis-order variants).
constexpr double kWgs84SemiMajorM = 6378137.0;
constexpr double kWgs84InverseFlattening = 298.257223563;
}  // namespace

GeoPostGrid read_geo_post_grid(const std::string& file) {
    GdalMessages messages;
    if (!std::filesystem::exists(file)) throw InputError(file + ": terrain file does not exist");
    CPLErrorReset();
    std::unique_ptr<GDALDataset, DatasetCloser> ds(GDALDataset::FromHandle(
        GDALOpenEx(gdal_path_for(file).c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr,
                   nullptr)));
    if (!ds) throw InputError(file + ": not a readable raster (" + messages.summary() + ")");
    if (ds->GetRasterCount() != 1)
        throw InputError(file + ": expected one band of heights, found " +
                         std::to_string(ds->GetRasterCount()));

    const OGRSpatialReference* srs = ds->GetSpatialRef();
    if (!srs) throw InputError(file + ": raster has no coordinate reference system");
    if (!srs->IsGeographic())
        throw InputError(file + ": not in geographic coordinates (lon/lat WGS 84 needed)");
    OGRErr err_a = OGRERR_NONE, err_f = OGRERR_NONE;
    const double a = srs->GetSemiMajor(&err_a), inv_f = srs->GetInvFlattening(&err_f);
    if (err_a != OGRERR_NONE || err_f != OGRERR_NONE || std::fabs(a - kWgs84SemiMajorM) > 1e-3 ||
        std::fabs(inv_f - kWgs84InverseFlattening) > 1e-6)
        throw InputError(file + ": geographic CRS is not WGS 84");
    double prime_meridian_deg = srs->GetPrimeMeridian();
    if (prime_meridian_deg != 0.0)
        throw InputError(file + ": geographic CRS has a prime meridian other than Greenwich");

    double gt[6];
    if (ds->GetGeoTransform(gt) != CE_None) throw InputError(file + ": raster has no geotransform");
    if (gt[2] != 0.0 || gt[4] != 0.0)
        throw InputError(file + ": rotated rasters are not supported");
    if (!(gt[1] > 0.0) || !(gt[5] < 0.0))
        throw InputError(file + ": raster is not north-up (geotransform steps " +
                         std::to_string(gt[1]) + ", " + std::to_string(gt[5]) + ")");

    // GDAL's geotransform is in the corner convention, also for PixelIsPoint GeoTIFFs (GDAL moves
    // their origin by half a pixel), unless GTIFF_POINT_GEO_IGNORE is set: then a PixelIsPoint
    // origin is the post itself.
    const char* area_or_point = ds->GetMetadataItem(GDALMD_AREA_OR_POINT);
    const bool point_origin_is_post =
        area_or_point && EQUAL(area_or_point, GDALMD_AOP_POINT) &&
        CPLTestBool(CPLGetConfigOption("GTIFF_POINT_GEO_IGNORE", "FALSE"));
    GeoPostGrid grid;
    grid.width = ds->GetRasterXSize();
    grid.height = ds->GetRasterYSize();
    grid.step_lon_deg = gt[1];
    grid.step_lat_deg = -gt[5];
    grid.lon_post0_deg = point_origin_is_post ? gt[0] : gt[0] + 0.5 * gt[1];
    grid.lat_post0_deg = point_origin_is_post ? gt[3] : gt[3] + 0.5 * gt[5];

    GDALRasterBand* band = ds->GetRasterBand(1);
    int has_nodata = 0;
    const double nodata = band->GetNoDataValue(&has_nodata);
    constexpr double kMin = std::numeric_limits<std::int16_t>::min();
    constexpr double kMax = std::numeric_limits<std::int16_t>::max();
    if (has_nodata && std::isfinite(nodata) && nodata >= kMin && nodata <= kMax &&
        nodata == std::round(nodata))
        grid.nodata_m = std::int16_t(nodata);

    std::vector<double> row(std::size_t(grid.width));
    grid.heights_m.resize(grid.post_count());
    for (int r = 0; r < grid.height; ++r) {
        CPLErrorReset();
        if (band->RasterIO(GF_Read, 0, r, grid.width, 1, row.data(), grid.width, 1, GDT_Float64, 0,
                           0) != CE_None)
            throw InputError(file + ": reading row " + std::to_string(r) + " failed (" +
                             messages.summary() + ")");
        for (int c = 0; c < grid.width; ++c) {
            const double v = row[std::size_t(c)];
            std::int16_t h = 0;
            if (has_nodata && (v == nodata || (std::isnan(v) && std::isnan(nodata)))) {
                if (!grid.nodata_m) grid.nodata_m = std::numeric_limits<std::int16_t>::min();
                h = *grid.nodata_m;
            } else {
                const double rounded = std::round(v);  // half away from zero
                if (!(rounded >= kMin && rounded <= kMax))
                    throw InputError(file + ": height " + std::to_string(v) + " at post (" +
                                     std::to_string(c) + ", " + std::to_string(r) +
                                     ") is outside the int16 range");
                h = std::int16_t(rounded);
            }
            grid.heights_m[std::size_t(r) * std::size_t(grid.width) + std::size_t(c)] = h;
        }
    }
    return grid;
}

}  // namespace grenzfunk::io
