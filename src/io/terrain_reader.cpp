#include "io/terrain_reader.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gdal_utils.h>

#include <cmath>
#include <filesystem>
#include <memory>

#include "core/error.hpp"
#include "io/crs.hpp"
#include "io/gdal_init.hpp"

namespace grenzfunk::io {

namespace {
constexpr float kWarpNodata = -32768.0f;

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;
}  // namespace

std::string gdal_path_for(const std::string& path) {
    if (path.rfind("/vsi", 0) == 0) return path;
    auto ends_with = [&](const char* suffix) {
        const std::string s(suffix);
        return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
    };
    if (ends_with(".gz")) return "/vsigzip/" + path;
    if (ends_with(".zip")) return "/vsizip/" + path;
    return path;
}

Raster<float> load_terrain(const std::vector<std::string>& files, const GridSpec& grid,
                           double void_fill_max_distance_m, TerrainLoadReport* report) {
    GdalMessages messages;
    auto last_gdal_error = [&] { return messages.summary(); };
    std::vector<DatasetPtr> sources;
    std::vector<GDALDatasetH> handles;
    for (const std::string& file : files) {
        if (!std::filesystem::exists(file))
            throw InputError(file + ": terrain file does not exist");
        CPLErrorReset();
        GDALDataset* ds = GDALDataset::FromHandle(GDALOpenEx(gdal_path_for(file).c_str(),
                                                             GDAL_OF_RASTER | GDAL_OF_READONLY,
                                                             nullptr, nullptr, nullptr));
        if (!ds)
            throw InputError(file + ": not a readable terrain raster (" + last_gdal_error() + ")");
        sources.emplace_back(ds);
        if (ds->GetRasterCount() < 1) throw InputError(file + ": raster has no band");
        if (!ds->GetSpatialRef())
            throw InputError(file + ": terrain raster has no coordinate reference system");
        handles.push_back(GDALDataset::ToHandle(ds));
    }

    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr dst(mem->Create("", grid.width, grid.height, 1, GDT_Float32, nullptr));
    double gt[6];
    grid.geotransform(gt);
    dst->SetGeoTransform(gt);
    dst->SetProjection(grid.crs_wkt.c_str());
    GDALRasterBand* band = dst->GetRasterBand(1);
    band->SetNoDataValue(kWarpNodata);

    const char* argv[] = {"-r",  "bilinear", "-wo",  "INIT_DEST=NO_DATA", "-dstnodata", "-32768",
                          "-ot", "Float32",  nullptr};
    GDALWarpAppOptions* options = GDALWarpAppOptionsNew(const_cast<char**>(argv), nullptr);
    int usage_error = 0;
    CPLErrorReset();
    GDALDatasetH result = GDALWarp(nullptr, GDALDataset::ToHandle(dst.get()), int(handles.size()),
                                   handles.data(), options, &usage_error);
    GDALWarpAppOptionsFree(options);
    if (!result || messages.has_failure()) {
        std::string names;
        for (const auto& f : files) names += (names.empty() ? "" : ", ") + f;
        throw InputError(names +
                         ": cannot read the terrain raster, it may be corrupt or "
                         "truncated (GDAL: " +
                         last_gdal_error() + ")");
    }

    // Count voids before filling, then fill those within reach.
    std::vector<float> values(grid.pixel_count());
    auto read_band = [&] {
        if (band->RasterIO(GF_Read, 0, 0, grid.width, grid.height, values.data(), grid.width,
                           grid.height, GDT_Float32, 0, 0, nullptr) != CE_None)
            throw InputError("terrain: reading the warped raster failed (" + last_gdal_error() +
                             ")");
    };
    read_band();
    std::size_t empty_before = 0;
    for (float v : values) empty_before += (v == kWarpNodata);
    std::size_t empty_after = empty_before;
    if (empty_before > 0 && void_fill_max_distance_m > 0.0) {
        const double max_pixels = void_fill_max_distance_m / grid.pixel_size_m;
        if (GDALFillNodata(GDALRasterBand::ToHandle(band), nullptr, max_pixels, 0, 0, nullptr,
                           nullptr, nullptr) != CE_None)
            throw InputError("terrain: filling voids failed (" + last_gdal_error() + ")");
        read_band();
        empty_after = 0;
        for (float v : values) empty_after += (v == kWarpNodata);
    }
    for (float& v : values)
        if (v == kWarpNodata) v = std::nanf("");

    if (report) {
        report->filled_void_pixels = empty_before - empty_after;
        report->empty_pixels = empty_after;
    }
    Raster<float> out;
    out.grid = grid;
    out.nodata = std::nanf("");
    out.values = std::move(values);
    return out;
}

}  // namespace grenzfunk::io
