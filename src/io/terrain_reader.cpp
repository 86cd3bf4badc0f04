#include "io/terrain_reader.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <cstdio>
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
                           double void_fill_max_distance_m, TerrainLoadReport* report,
                           const std::atomic<bool>* cancel) {
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
        double source_gt[6];
        if (ds->GetGeoTransform(source_gt) != CE_None)
            throw InputError(file +
                             ": terrain raster has no georeferencing (no geotransform: pixel "
                             "positions unknown)");
        // Bilinear interpolation needs a 2 x 2 neighbourhood.
        if (ds->GetRasterXSize() < 2 || ds->GetRasterYSize() < 2)
            throw InputError(
                file + ": terrain raster is too small (" + std::to_string(ds->GetRasterXSize()) +
                " x " + std::to_string(ds->GetRasterYSize()) + " pixels; at least 2 x 2 needed)");
        handles.push_back(GDALDataset::ToHandle(ds));
    }

    if (!(grid.width >= 1 && grid.height >= 1 && grid.pixel_size_m > 0.0 &&
          std::isfinite(grid.pixel_size_m)))
        throw InputError("terrain: invalid terrain grid (" + std::to_string(grid.width) + " x " +
                         std::to_string(grid.height) + " pixels of " +
                         std::to_string(grid.pixel_size_m) + " m)");
    auto fail = [&](const std::string& what) {
        throw InputError("terrain: " + what + " (GDAL: " + last_gdal_error() + ")");
    };
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    if (!mem) fail("GDAL's MEM driver is not available");
    DatasetPtr dst(mem->Create("", grid.width, grid.height, 1, GDT_Float32, nullptr));
    if (!dst)
        fail("cannot create the " + std::to_string(grid.width) + " x " +
             std::to_string(grid.height) + " pixel terrain grid in memory");
    double gt[6];
    grid.geotransform(gt);
    if (dst->SetGeoTransform(gt) != CE_None) fail("cannot set the terrain grid's geotransform");
    if (dst->SetProjection(grid.crs_wkt.c_str()) != CE_None)
        fail("cannot set the terrain grid's CRS " + grid.crs);
    GDALRasterBand* band = dst->GetRasterBand(1);
    if (!band) fail("the terrain grid has no band");
    if (band->SetNoDataValue(kWarpNodata) != CE_None)
        fail("cannot set the terrain grid's nodata value");
    // Initialise once here: INIT_DEST passed to GDALWarp would be applied again for every
    // source file and wipe what earlier tiles of a mosaic wrote.
    if (band->Fill(kWarpNodata) != CE_None) fail("cannot initialise the terrain grid");

    // Several files in one CRS are mosaicked into a VRT first, so that the warper sees one
    // source: warping tiles one by one gives each its own resampling footprint near the seams.
    DatasetPtr mosaic;
    bool same_crs = true;
    for (const auto& ds : sources)
        same_crs = same_crs && ds->GetSpatialRef()->IsSame(sources.front()->GetSpatialRef()) &&
                   ds->GetRasterCount() == sources.front()->GetRasterCount();
    if (handles.size() > 1 && same_crs) {
        const char* vrt_argv[] = {"-resolution", "highest", nullptr};
        GDALBuildVRTOptions* vrt_options =
            GDALBuildVRTOptionsNew(const_cast<char**>(vrt_argv), nullptr);
        if (!vrt_options) fail("cannot prepare the mosaic of the terrain files");
        int vrt_usage_error = 0;
        mosaic.reset(GDALDataset::FromHandle(GDALBuildVRT("", int(handles.size()), handles.data(),
                                                          nullptr, vrt_options, &vrt_usage_error)));
        GDALBuildVRTOptionsFree(vrt_options);
        if (!mosaic) fail("cannot mosaic the terrain files");
        handles.assign(1, GDALDataset::ToHandle(mosaic.get()));
    }

    // A fixed resampling footprint (source pixel size over grid pixel size) instead of one
    // estimated per processing chunk, and exact coordinate transforms (-et 0) instead of ones
    // interpolated along each output row: every terrain pixel then depends only on its own
    // position, not on the grid's extent or on how GDAL splits the work (shards of an area
    // give identical pixels).
    std::vector<std::string> args = {"-r", "bilinear", "-et", "0", "-dstnodata", "-32768"};
    if (handles.size() == 1) {
        GDALDataset* src = GDALDataset::FromHandle(handles.front());
        double sgt[6];
        if (src->GetGeoTransform(sgt) != CE_None)
            fail(files.front() + ": cannot read the raster's geotransform");
        {
            OGRSpatialReference target;
            if (target.importFromWkt(grid.crs_wkt.c_str()) != OGRERR_NONE)
                fail("cannot read the terrain grid's CRS " + grid.crs);
            target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            OGRSpatialReference source(*src->GetSpatialRef());
            source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            std::unique_ptr<OGRCoordinateTransformation> ct(
                OGRCreateCoordinateTransformation(&source, &target));
            if (!ct)
                fail(files.front() + ": no transformation from the raster's CRS to " + grid.crs);
            const double c = 0.5 * src->GetRasterXSize(), r = 0.5 * src->GetRasterYSize();
            double xs[3] = {sgt[0] + c * sgt[1] + r * sgt[2],
                            sgt[0] + (c + 1) * sgt[1] + r * sgt[2],
                            sgt[0] + c * sgt[1] + (r + 1) * sgt[2]};
            double ys[3] = {sgt[3] + c * sgt[4] + r * sgt[5],
                            sgt[3] + (c + 1) * sgt[4] + r * sgt[5],
                            sgt[3] + c * sgt[4] + (r + 1) * sgt[5]};
            // The raster's centre may lie where the grid's projection is undefined: then GDAL
            // estimates the footprint itself (no exact pixel independence, still correct).
            if (ct->Transform(3, xs, ys)) {
                const double col_m = std::hypot(xs[1] - xs[0], ys[1] - ys[0]);
                const double row_m = std::hypot(xs[2] - xs[0], ys[2] - ys[0]);
                char buf[64];
                std::snprintf(buf, sizeof buf, "XSCALE=%.9g", col_m / grid.pixel_size_m);
                args.insert(args.end(), {"-wo", buf});
                std::snprintf(buf, sizeof buf, "YSCALE=%.9g", row_m / grid.pixel_size_m);
                args.insert(args.end(), {"-wo", buf});
            }
        }
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
    if (!options) fail("cannot prepare the terrain warp");
    // GDAL asks after each chunk whether to go on: a large warp stops on Ctrl-C.
    if (cancel)
        GDALWarpAppOptionsSetProgress(
            options,
            [](double, const char*, void* flag) -> int {
                return !static_cast<const std::atomic<bool>*>(flag)->load();
            },
            const_cast<std::atomic<bool>*>(cancel));
    int usage_error = 0;
    CPLErrorReset();
    GDALDatasetH result = GDALWarp(nullptr, GDALDataset::ToHandle(dst.get()), int(handles.size()),
                                   handles.data(), options, &usage_error);
    GDALWarpAppOptionsFree(options);
    if (cancel && cancel->load()) throw Cancelled();
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
    if (empty_before == values.size()) {
        // Nothing landed on the grid: a raster of nodata only says so here, instead of every
        // site and path later being "outside the terrain". Only in this case is every source
        // read in full.
        for (std::size_t i = 0; i < sources.size(); ++i) {
            double min_max[2];
            GDALRasterBand* source_band = sources[i]->GetRasterBand(1);
            if (source_band && source_band->ComputeRasterMinMax(FALSE, min_max) != CE_None)
                throw InputError(files[i] + ": terrain raster holds only nodata pixels" +
                                 (sources.size() > 1 ? " (and the other files do not cover "
                                                       "the grid)"
                                                     : ""));
        }
    }
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

namespace grenzfunk::io {

std::optional<std::array<double, 4>> terrain_bounds_lonlat(const std::vector<std::string>& files) {
    GdalMessages messages;
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::array<double, 4> box = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (const auto& file : files) {
        DatasetPtr ds(GDALDataset::FromHandle(GDALOpenEx(gdal_path_for(file).c_str(),
                                                         GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr,
                                                         nullptr, nullptr)));
        double gt[6];
        if (!ds || !ds->GetSpatialRef() || ds->GetGeoTransform(gt) != CE_None) return std::nullopt;
        OGRSpatialReference source(*ds->GetSpatialRef());
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        std::unique_ptr<OGRCoordinateTransformation> ct(
            OGRCreateCoordinateTransformation(&source, &wgs84));
        if (!ct) return std::nullopt;
        // The outline: corners and edge points (a projected raster's edges are curved in lon/lat).
        const double w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
        for (int i = 0; i <= 16; ++i) {
            const double f = i / 16.0;
            const double px[4] = {f * w, f * w, 0.0, w}, py[4] = {0.0, h, f * h, f * h};
            for (int k = 0; k < 4; ++k) {
                double x = gt[0] + px[k] * gt[1] + py[k] * gt[2];
                double y = gt[3] + px[k] * gt[4] + py[k] * gt[5];
                if (!ct->Transform(1, &x, &y) || !std::isfinite(x) || !std::isfinite(y)) continue;
                box = {std::min(box[0], x), std::min(box[1], y), std::max(box[2], x),
                       std::max(box[3], y)};
            }
        }
    }
    if (!(box[0] <= box[2] && box[1] <= box[3])) return std::nullopt;
    return box;
}

}  // namespace grenzfunk::io
