#include "io/land_cover_reader.hpp"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <gdal_utils.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "io/gdal_init.hpp"
#include "io/terrain_reader.hpp"

namespace grenzfunk::io {

namespace {

// Outside the raster and where only source nodata falls: no land cover.
constexpr std::int32_t kWarpNodata = -2147483647;

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

}  // namespace

LandCoverOnGrid load_land_cover(const std::string& file, const LandCoverTable& table,
                                const GridSpec& grid, int default_class) {
    initialise_gdal();
    GdalMessages messages;
    if (!std::filesystem::exists(file))
        throw InputError(file + ": land-cover raster does not exist");
    CPLErrorReset();
    DatasetPtr src(GDALDataset::FromHandle(GDALOpenEx(gdal_path_for(file).c_str(),
                                                      GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr,
                                                      nullptr, nullptr)));
    if (!src)
        throw InputError(file + ": not a readable land-cover raster (" + messages.summary() + ")");
    if (src->GetRasterCount() < 1) throw InputError(file + ": land-cover raster has no band");
    if (!src->GetSpatialRef())
        throw InputError(file + ": land-cover raster has no coordinate reference system");
    double sgt[6];
    if (src->GetGeoTransform(sgt) != CE_None)
        throw InputError(file + ": land-cover raster has no georeferencing (no geotransform)");
    const GDALDataType type = src->GetRasterBand(1)->GetRasterDataType();
    if (GDALDataTypeIsFloating(type) || GDALDataTypeIsComplex(type))
        throw InputError(file + ": land-cover raster holds " + GDALGetDataTypeName(type) +
                         " values; class codes must be integers");

    auto fail = [&](const std::string& what) {
        throw InputError(file + ": " + what + " (GDAL: " + messages.summary() + ")");
    };
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    if (!mem) fail("GDAL's MEM driver is not available");
    DatasetPtr dst(mem->Create("", grid.width, grid.height, 1, GDT_Int32, nullptr));
    if (!dst) fail("cannot create the land-cover grid in memory");
    double gt[6];
    grid.geotransform(gt);
    if (dst->SetGeoTransform(gt) != CE_None || dst->SetProjection(grid.crs_wkt.c_str()) != CE_None)
        fail("cannot georeference the land-cover grid in " + grid.crs);
    GDALRasterBand* band = dst->GetRasterBand(1);
    if (band->SetNoDataValue(kWarpNodata) != CE_None || band->Fill(kWarpNodata) != CE_None)
        fail("cannot initialise the land-cover grid");

    // Majority of the source pixels in each grid pixel, exact coordinate transforms (-et 0)
    // so that a pixel does not depend on how GDAL splits the work.
    std::vector<std::string> args = {"-r", "mode", "-et", "0", "-dstnodata", "-2147483647"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
    if (!options) fail("cannot prepare the land-cover warp");
    GDALDatasetH handle = GDALDataset::ToHandle(src.get());
    int usage_error = 0;
    CPLErrorReset();
    GDALDatasetH result =
        GDALWarp(nullptr, GDALDataset::ToHandle(dst.get()), 1, &handle, options, &usage_error);
    GDALWarpAppOptionsFree(options);
    if (!result || messages.has_failure())
        fail(
            "cannot read the land-cover raster, it may be corrupt or in a CRS without a "
            "transformation to " +
            grid.crs);

    std::vector<std::int32_t> codes(grid.pixel_count());
    if (band->RasterIO(GF_Read, 0, 0, grid.width, grid.height, codes.data(), grid.width,
                       grid.height, GDT_Int32, 0, 0, nullptr) != CE_None)
        fail("reading the warped land cover failed");

    // Code -> class index, once per distinct code.
    std::map<std::int32_t, int> index_of;
    std::map<std::int32_t, std::size_t> unknown;
    LandCoverOnGrid out;
    out.class_index = Raster<std::uint8_t>(grid, kNoLandCoverClass);
    std::size_t covered = 0;
    for (std::size_t p = 0; p < codes.size(); ++p) {
        const std::int32_t code = codes[p];
        if (code == kWarpNodata) {
            ++out.pixels_without_land_cover;
            continue;
        }
        ++covered;
        auto it = index_of.find(code);
        if (it == index_of.end()) {
            int k = table.index_of(code);
            if (k < 0 && std::find(table.nodata_codes.begin(), table.nodata_codes.end(), code) ==
                             table.nodata_codes.end())
                k = -2;  // unknown
            it = index_of.emplace(code, k).first;
        }
        if (it->second == -2) {
            ++unknown[code];
        } else if (it->second == -1) {
            ++out.pixels_without_land_cover;
        } else {
            out.class_index.values[p] = std::uint8_t(it->second);
        }
    }
    if (!unknown.empty()) {
        std::string list;
        int shown = 0;
        for (const auto& [code, count] : unknown) {
            if (shown++ == 10) {
                list.append(", ...");
                break;
            }
            if (!list.empty()) list.append(", ");
            list.append(std::to_string(code))
                .append(" (")
                .append(std::to_string(count))
                .append(count == 1 ? " pixel)" : " pixels)");
        }
        throw InputError(file + ": land-cover codes not in the class table " + table.source + ": " +
                         list +
                         " (check land_cover.classes and land_cover.code_kind, or add them to "
                         "the table)");
    }
    if (covered == 0)
        throw InputError(file +
                         ": the land-cover raster does not reach the analysis grid (or holds only "
                         "nodata there)");
    if (default_class >= 0)
        for (std::uint8_t& k : out.class_index.values)
            if (k == kNoLandCoverClass) k = std::uint8_t(default_class);
    return out;
}

}  // namespace grenzfunk::io
