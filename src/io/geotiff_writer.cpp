#include "io/geotiff_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gdal_priv.h>
#include <gdal_proxy.h>
#include <ogr_spatialref.h>

#include <cpl_conv.h>
#include <cpl_string.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <system_error>
#include <type_traits>

#include "core/error.hpp"
#include "io/checksum.hpp"
#include "io/gdal_init.hpp"
#include "io/output_folder.hpp"

namespace grenzfunk::io {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& final_path, const std::string& reason) {
    throw OutputError(final_path.string() + ": " + reason);
}

std::string errno_text(int error_number) {
    return std::generic_category().message(error_number);
}

fs::path directory_of(const fs::path& path) {
    const auto dir = path.parent_path();
    return dir.empty() ? fs::path(".") : dir;
}

// Checks the things that would otherwise surface as obscure GDAL or errno messages.
void check_target(const fs::path& final_path) {
    if (!final_path.has_filename()) fail(final_path, "not a file name");
    const auto dir = directory_of(final_path);
    std::error_code ec;
    const auto dir_status = fs::status(dir, ec);
    if (!fs::exists(dir_status)) {
        fail(final_path, "output directory '" + dir.string() + "' does not exist");
    }
    if (!fs::is_directory(dir_status)) {
        fail(final_path, "'" + dir.string() + "' is not a directory");
    }
    if (fs::is_directory(fs::status(final_path, ec))) {
        fail(final_path, "a directory of that name is in the way");
    }
}

fs::path temporary_name(const fs::path& final_path) {
    static std::atomic<unsigned long> counter{0};
    auto name = final_path.filename().string();
    name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    return final_path.parent_path() / name;
}

// Removes a temporary and anything GDAL created beside it while working on it (the COG driver
// builds overviews in "<temporary>.ovr.tmp" and "<temporary>.msk.ovr.tmp").
void remove_temporary(const fs::path& temporary_path) noexcept {
    std::error_code ec;
    fs::remove(temporary_path, ec);
    const auto prefix = temporary_path.filename().string() + ".";
    std::vector<fs::path> helpers;
    for (auto it = fs::directory_iterator(directory_of(temporary_path), ec);
         !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.compare(0, prefix.size(), prefix) == 0) helpers.push_back(it->path());
    }
    for (const auto& helper : helpers) fs::remove(helper, ec);
}

// Flush a finished file to the storage device, so that the rename cannot become visible before
// the data after a crash. Also catches write errors some file systems report only here.
void sync_file(const fs::path& path, const fs::path& final_path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(final_path, "cannot reopen temporary file: " + errno_text(errno));
    const int sync_result = ::fsync(fd);
    const int sync_errno = errno;
    const int close_result = ::close(fd);
    if (sync_result != 0) fail(final_path, "cannot flush to disk: " + errno_text(sync_errno));
    if (close_result != 0) fail(final_path, "cannot close: " + errno_text(errno));
}

// Best effort: make the renames themselves durable.
void sync_directory(const fs::path& dir) noexcept {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)::fsync(fd);
    (void)::close(fd);
}

void write_text_to(const fs::path& temporary_path, const fs::path& final_path,
                   std::string_view content) {
    const int fd = ::open(temporary_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) fail(final_path, "cannot create file: " + errno_text(errno));
    std::size_t written = 0;
    int write_errno = 0;
    while (written < content.size()) {
        const auto n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            write_errno = errno;
            break;
        }
        written += static_cast<std::size_t>(n);
    }
    int sync_errno = 0;
    if (write_errno == 0 && ::fsync(fd) != 0) sync_errno = errno;
    const int close_result = ::close(fd);
    const int close_errno = errno;
    if (write_errno != 0) fail(final_path, "cannot write: " + errno_text(write_errno));
    if (sync_errno != 0) fail(final_path, "cannot flush to disk: " + errno_text(sync_errno));
    if (close_result != 0) fail(final_path, "cannot close: " + errno_text(close_errno));
}

// ---- GeoTIFF -------------------------------------------------------------------------------

struct DatasetCloser {
    void operator()(GDALDataset* dataset) const { GDALClose(GDALDataset::ToHandle(dataset)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

bool valid_metadata_key(const std::string& key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.';
    });
}

struct BandData {
    GDALDataType type = GDT_Unknown;
    const void* values = nullptr;
    std::size_t value_count = 0;
    double nodata = 0.0;
};

void validate(const fs::path& final_path, const GridSpec& grid, const BandData& band,
              const RasterWriteOptions& options) {
    if (grid.width <= 0 || grid.height <= 0) {
        fail(final_path, "raster has no pixels (" + std::to_string(grid.width) + " x " +
                             std::to_string(grid.height) + ")");
    }
    if (!(grid.pixel_size_m > 0.0) || !std::isfinite(grid.pixel_size_m) ||
        !std::isfinite(grid.origin_x_m) || !std::isfinite(grid.origin_y_m)) {
        fail(final_path, "grid origin or pixel size is not a finite positive number");
    }
    if (band.value_count != grid.pixel_count()) {
        fail(final_path, "raster holds " + std::to_string(band.value_count) + " values for a " +
                             std::to_string(grid.width) + " x " + std::to_string(grid.height) +
                             " grid");
    }
    if (grid.crs.empty() && grid.crs_wkt.empty()) fail(final_path, "grid has no CRS");
    if (!options.categories.empty() && band.type != GDT_Byte) {
        fail(final_path, "a colour table and category names need a Byte raster");
    }
    std::set<int> seen;
    for (const auto& category : options.categories) {
        if (!seen.insert(category.value).second) {
            fail(final_path, "category value " + std::to_string(category.value) + " listed twice");
        }
    }
    for (const auto& [key, value] : options.metadata) {
        if (!valid_metadata_key(key)) {
            fail(final_path,
                 "metadata key '" + key + "' must consist of letters, digits, '_', '-' and '.'");
        }
    }
}

OGRSpatialReference spatial_reference(const fs::path& final_path, const GridSpec& grid) {
    OGRSpatialReference srs;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const std::string& definition = grid.crs_wkt.empty() ? grid.crs : grid.crs_wkt;
    // No network or file look-ups: the definition must be a code or WKT/PROJ text.
    if (srs.SetFromUserInput(definition.c_str(),
                             OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS_get()) !=
        OGRERR_NONE) {
        fail(final_path, "CRS '" + grid.crs + "' is not understood by GDAL/PROJ");
    }
    return srs;
}

const char* resampling_name(OverviewResampling resampling, GDALDataType type) {
    switch (resampling) {
        case OverviewResampling::nearest:
            return "NEAREST";
        case OverviewResampling::average:
            return "AVERAGE";
        case OverviewResampling::mode:
            return "MODE";
        case OverviewResampling::automatic:
            break;
    }
    return type == GDT_Float32 ? "AVERAGE" : "NEAREST";
}

// Gives a dataset with one band everything the file should carry: georeferencing, metadata,
// nodata, band description, unit, colours and category names.
void describe(GDALDataset* dataset, const fs::path& final_path, const GridSpec& grid,
              const BandData& band, const RasterWriteOptions& options,
              const GdalMessages& messages) {
    const auto gdal_failed = [&](const char* what) {
        fail(final_path, std::string(what) + ": " + messages.summary());
    };
    double geotransform[6];
    grid.geotransform(geotransform);
    if (dataset->SetGeoTransform(geotransform) != CE_None) gdal_failed("cannot set geotransform");
    const auto srs = spatial_reference(final_path, grid);
    if (dataset->SetSpatialRef(&srs) != CE_None) gdal_failed("cannot set CRS");
    for (const auto& [key, value] : options.metadata) {
        if (dataset->SetMetadataItem(key.c_str(), value.c_str()) != CE_None) {
            gdal_failed("cannot set metadata");
        }
    }

    auto* raster_band = dataset->GetRasterBand(1);
    if (raster_band->SetNoDataValue(band.nodata) != CE_None) gdal_failed("cannot set nodata");
    raster_band->SetDescription(options.band_description.c_str());
    if (!options.unit.empty() && raster_band->SetUnitType(options.unit.c_str()) != CE_None) {
        gdal_failed("cannot set unit");
    }
    // With side-cars the colour table goes to "<name>.tif.aux.xml" (pam_category_xml): a TIFF
    // palette always has 256 entries (TIFF 6.0, ColorMap: 3 * 2**BitsPerSample), the PAM one
    // ends at the highest class.
    if (!options.categories.empty() && options.style_sidecars) {
        for (const auto& category : options.categories) {
            const auto key = "CATEGORY_" + std::to_string(category.value);
            if (raster_band->SetMetadataItem(key.c_str(), category.name.c_str()) != CE_None) {
                gdal_failed("cannot set category name");
            }
        }
    } else if (!options.categories.empty()) {
        int max_value = 0;
        for (const auto& category : options.categories) {
            max_value = std::max(max_value, int(category.value));
        }
        GDALColorTable colours;
        const GDALColorEntry black{0, 0, 0, 255};
        for (int v = 0; v <= max_value; ++v) colours.SetColorEntry(v, &black);
        for (const auto& category : options.categories) {
            const GDALColorEntry entry{category.red, category.green, category.blue, 255};
            colours.SetColorEntry(category.value, &entry);
            const auto key = "CATEGORY_" + std::to_string(category.value);
            if (raster_band->SetMetadataItem(key.c_str(), category.name.c_str()) != CE_None) {
                gdal_failed("cannot set category name");
            }
        }
        if (raster_band->SetColorTable(&colours) != CE_None) gdal_failed("cannot set colours");
    }
}

// An in-memory dataset over the caller's values (no copy); the COG driver copies it to disk.
DatasetPtr memory_dataset(const fs::path& final_path, const GridSpec& grid, const BandData& band,
                          const RasterWriteOptions& options, const GdalMessages& messages) {
    auto* mem_driver = GetGDALDriverManager()->GetDriverByName("MEM");
    if (mem_driver == nullptr) fail(final_path, "GDAL has no MEM driver");
    DatasetPtr dataset(mem_driver->Create("", grid.width, grid.height, 0, band.type, nullptr));
    if (!dataset) fail(final_path, "cannot create in-memory raster: " + messages.summary());
    // MEM bands can wrap an existing buffer. The COG driver only reads the source, so the
    // caller's const values are never written through this pointer.
    char pointer_text[64] = {};
    CPLPrintPointer(pointer_text, const_cast<void*>(band.values), sizeof(pointer_text) - 1);
    CPLStringList band_options;
    band_options.SetNameValue("DATAPOINTER", pointer_text);
    if (dataset->AddBand(band.type, band_options.List()) != CE_None)
        fail(final_path, "cannot wrap raster values: " + messages.summary());
    describe(dataset.get(), final_path, grid, band, options, messages);
    return dataset;
}

// A virtual dataset over a raw row-major scratch file of native-endian values (RasterStream).
DatasetPtr raw_file_dataset(const fs::path& final_path, const fs::path& scratch_path,
                            const GridSpec& grid, const BandData& band,
                            const RasterWriteOptions& options, const GdalMessages& messages) {
    auto* vrt_driver = GetGDALDriverManager()->GetDriverByName("VRT");
    if (vrt_driver == nullptr) fail(final_path, "GDAL has no VRT driver");
    DatasetPtr dataset(vrt_driver->Create("", grid.width, grid.height, 0, band.type, nullptr));
    if (!dataset) fail(final_path, "cannot create virtual raster: " + messages.summary());
    const int value_bytes = GDALGetDataTypeSizeBytes(band.type);
    CPLStringList band_options;
    band_options.SetNameValue("subclass", "VRTRawRasterBand");
    band_options.SetNameValue("SourceFilename", fs::absolute(scratch_path).c_str());
    band_options.SetNameValue("relativeToVRT", "0");
    band_options.SetNameValue("ImageOffset", "0");
    band_options.SetNameValue("PixelOffset", std::to_string(value_bytes).c_str());
    band_options.SetNameValue("LineOffset",
                              std::to_string(std::int64_t(value_bytes) * grid.width).c_str());
    band_options.SetNameValue("ByteOrder", CPL_IS_LSB ? "LSB" : "MSB");
    if (dataset->AddBand(band.type, band_options.List()) != CE_None)
        fail(final_path, "cannot read back the scratch file: " + messages.summary());
    describe(dataset.get(), final_path, grid, band, options, messages);
    return dataset;
}

// ---- Overviews -----------------------------------------------------------------------------
//
// GDAL's COG driver builds the overviews itself by writing them to a temporary GeoTIFF
// (ZSTD-compressed) and copying that into the file: the overview tiles are compressed twice
// (5 % of the single-site job's CPU). Where each level halves the previous one exactly, we build
// them here in memory with the driver's own arithmetic and hand them over as the source's
// overviews (OVERVIEWS=AUTO takes a source's overviews as they are): the same levels and the
// same bytes (tests/test_geotiff.cpp compares the files). Levels: while the last one (first the
// raster) is wider or higher than a 512-pixel tile, one of half its size. Average (Float32):
// the mean, in double, of the 2 x 2 values that are not nodata, rounded to float, nodata where
// all four are; each level from the previous one. Nearest: the top-left pixel of the 2 x 2.
// Anything else (an odd size on the way, mode, averages of integers, NaN values) is left to the
// driver.
constexpr int kTileSize = 512;

// A dataset that is `base` in every respect but reports `overviews` as its band's overviews.
class OverviewedBand final : public GDALProxyRasterBand {
  public:
    OverviewedBand(GDALRasterBand* base, std::vector<GDALRasterBand*> overviews)
        : base_(base), overviews_(std::move(overviews)) {
        nRasterXSize = base->GetXSize();
        nRasterYSize = base->GetYSize();
        eDataType = base->GetRasterDataType();
        base->GetBlockSize(&nBlockXSize, &nBlockYSize);
        SetDescription(base->GetDescription());  // not forwarded by the proxy
    }
    int GetOverviewCount() override { return int(overviews_.size()); }
    GDALRasterBand* GetOverview(int i) override {
        return i >= 0 && i < int(overviews_.size()) ? overviews_[std::size_t(i)] : nullptr;
    }

  protected:
    GDALRasterBand* RefUnderlyingRasterBand() const override { return base_; }

  private:
    GDALRasterBand* base_;
    std::vector<GDALRasterBand*> overviews_;
};

class OverviewedDataset final : public GDALProxyDataset {
  public:
    OverviewedDataset(GDALDataset* base, std::vector<GDALRasterBand*> overviews) : base_(base) {
        nRasterXSize = base->GetRasterXSize();
        nRasterYSize = base->GetRasterYSize();
        SetDescription(base->GetDescription());
        SetBand(1, new OverviewedBand(base->GetRasterBand(1), std::move(overviews)));
    }

    // No driver: GDAL would take the proxy for a dataset of the base's driver (a VRTDataset) and
    // cast it to that class.
    GDALDriver* GetDriver() override { return nullptr; }
    void* GetInternalHandle(const char*) override { return nullptr; }

  protected:
    GDALDataset* RefUnderlyingDataset() const override { return base_; }

  private:
    GDALDataset* base_;
};

// The overview levels' sizes, or none when a level would not halve the previous one exactly.
std::vector<std::pair<int, int>> halving_levels(int width, int height) {
    std::vector<std::pair<int, int>> levels;
    while (width > kTileSize || height > kTileSize) {
        if (width % 2 != 0 || height % 2 != 0) return {};
        width /= 2;
        height /= 2;
        levels.emplace_back(width, height);
    }
    return levels;
}

// One level from the previous (w x h values, row-major): see above. False on a NaN (average).
template <typename T>
bool halve(const std::vector<T>& from, int w, int h, bool average, double nodata,
           std::vector<T>& to) {
    const int ow = w / 2, oh = h / 2;
    to.resize(std::size_t(ow) * std::size_t(oh));
    for (int r = 0; r < oh; ++r) {
        const T* a = from.data() + std::size_t(2 * r) * std::size_t(w);
        const T* b = a + w;
        T* out = to.data() + std::size_t(r) * std::size_t(ow);
        for (int c = 0; c < ow; ++c) {
            if (!average) {
                out[c] = a[2 * c];
                continue;
            }
            double sum = 0.0;
            int n = 0;
            for (const T v : {a[2 * c], a[2 * c + 1], b[2 * c], b[2 * c + 1]}) {
                if constexpr (std::is_floating_point_v<T>)
                    if (std::isnan(v)) return false;
                if (double(v) == nodata) continue;
                sum += double(v);
                ++n;
            }
            out[c] = n > 0 ? T(sum / n) : T(nodata);
        }
    }
    return true;
}

// The overviews of `source` as MEM datasets, built as described above; empty when the driver
// is to build them.
template <typename T>
std::vector<DatasetPtr> overview_datasets(GDALDataset* source, const BandData& band,
                                          const RasterWriteOptions& options) {
    const OverviewResampling r = options.overview_resampling;
    const bool average = r == OverviewResampling::average ||
                         (r == OverviewResampling::automatic && band.type == GDT_Float32);
    if (!options.overviews || r == OverviewResampling::mode ||
        (average && band.type != GDT_Float32))
        return {};
    const int w = source->GetRasterXSize(), h = source->GetRasterYSize();
    const auto levels = halving_levels(w, h);
    if (levels.empty()) return {};
    auto* mem_driver = GetGDALDriverManager()->GetDriverByName("MEM");
    if (mem_driver == nullptr) return {};
    // The first level from chunks of the raster's rows (a stream's raster is not read whole),
    // the others from the level before.
    std::vector<T> level, chunk, half;
    level.reserve(std::size_t(levels[0].first) * std::size_t(levels[0].second));
    constexpr int kChunkRows = 128;  // even
    for (int r0 = 0; r0 < h; r0 += kChunkRows) {
        const int rows = std::min(kChunkRows, h - r0);
        chunk.resize(std::size_t(w) * std::size_t(rows));
        if (source->GetRasterBand(1)->RasterIO(GF_Read, 0, r0, w, rows, chunk.data(), w, rows,
                                               band.type, 0, 0, nullptr) != CE_None ||
            !halve(chunk, w, rows, average, band.nodata, half))
            return {};
        level.insert(level.end(), half.begin(), half.end());
    }
    std::vector<DatasetPtr> out;
    std::vector<T> next;
    int lw = levels[0].first, lh = levels[0].second;
    for (const auto& [ow, oh] : levels) {
        if (out.empty()) {
            next.swap(level);  // the first level, built above
        } else if (!halve(level, lw, lh, average, band.nodata, next)) {
            return {};
        }
        DatasetPtr ds(mem_driver->Create("", ow, oh, 1, band.type, nullptr));
        if (!ds) return {};
        GDALRasterBand* b = ds->GetRasterBand(1);
        if (b->SetNoDataValue(band.nodata) != CE_None ||
            b->RasterIO(GF_Write, 0, 0, ow, oh, next.data(), ow, oh, band.type, 0, 0, nullptr) !=
                CE_None)
            return {};
        out.push_back(std::move(ds));
        level.swap(next);
        lw = ow;
        lh = oh;
    }
    return out;
}

std::vector<DatasetPtr> overview_datasets(GDALDataset* source, const BandData& band,
                                          const RasterWriteOptions& options) {
    switch (band.type) {
        case GDT_Float32:
            return overview_datasets<float>(source, band, options);
        case GDT_Int32:
            return overview_datasets<std::int32_t>(source, band, options);
        case GDT_Byte:
            return overview_datasets<std::uint8_t>(source, band, options);
        default:
            return {};
    }
}

// Writes the COG of `band` (in memory, or with `scratch_path` in that raw file). Returns the
// style of its side-car (options.style, or the automatic one).
RasterStyle write_geotiff_to(const fs::path& temporary_path, const fs::path& final_path,
                             const GridSpec& grid, const BandData& band,
                             const RasterWriteOptions& options, const fs::path& scratch_path = {},
                             int threads = 1) {
    validate(final_path, grid, band, options);
    GdalMessages messages;
    // Keep GDAL from writing "<temporary>.aux.xml" side-car files, which would not be renamed.
    CPLConfigOptionSetter no_pam("GDAL_PAM_ENABLED", "NO", false);

    auto source = scratch_path.empty()
                      ? memory_dataset(final_path, grid, band, options, messages)
                      : raw_file_dataset(final_path, scratch_path, grid, band, options, messages);

    auto* cog_driver = GetGDALDriverManager()->GetDriverByName("COG");
    if (cog_driver == nullptr) fail(final_path, "GDAL has no COG driver (GDAL >= 3.1 needed)");

    const bool paletted = !options.categories.empty();
    const char* predictor = band.type == GDT_Float32 ? "FLOATING_POINT"
                            : paletted               ? "NO"
                                                     : "STANDARD";
    CPLStringList cog_options;
    cog_options.SetNameValue("COMPRESS", "DEFLATE");
    // DEFLATE level 1: on the single-site benchmark's float32 rasters (floating-point predictor)
    // the files are 1.2 % larger than at level 6 and compression takes a fraction of the time
    // (it was 8 % of the whole run's CPU at level 6; BENCHMARKS.md, issue 14).
    cog_options.SetNameValue("LEVEL", "1");
    cog_options.SetNameValue("PREDICTOR", predictor);
    cog_options.SetNameValue("OVERVIEW_COMPRESS", "DEFLATE");
    cog_options.SetNameValue("OVERVIEW_PREDICTOR", predictor);
    cog_options.SetNameValue("BLOCKSIZE", "512");
    cog_options.SetNameValue("OVERVIEWS", options.overviews ? "AUTO" : "NONE");
    cog_options.SetNameValue("RESAMPLING", resampling_name(options.overview_resampling, band.type));
    cog_options.SetNameValue("BIGTIFF", "IF_SAFER");
    // Tiles compressed in parallel are written in the order they were submitted (the GTiff
    // driver's job queue waits for the oldest), so the bytes do not depend on the threads.
    cog_options.SetNameValue("NUM_THREADS", std::to_string(std::max(threads, 1)).c_str());

    const std::vector<DatasetPtr> overviews = overview_datasets(source.get(), band, options);
    std::unique_ptr<OverviewedDataset> with_overviews;
    if (!overviews.empty()) {
        std::vector<GDALRasterBand*> bands;
        for (const auto& o : overviews) bands.push_back(o->GetRasterBand(1));
        with_overviews = std::make_unique<OverviewedDataset>(source.get(), std::move(bands));
    }
    bool ok = true;
    {
        GDALDataset* copied =
            with_overviews ? static_cast<GDALDataset*>(with_overviews.get()) : source.get();
        DatasetPtr written(cog_driver->CreateCopy(temporary_path.c_str(), copied, FALSE,
                                                  cog_options.List(), nullptr, nullptr));
        ok = written != nullptr;
    }  // closed here; GDAL reports late write errors on close through the handler
    if (!ok || messages.has_failure()) {
        // GDAL's messages carry the operating system's reason ("No space left on device").
        const std::string reason = "cannot write GeoTIFF: " + messages.summary();
        remove_temporary(temporary_path);
        fail(final_path, reason);
    }
    RasterStyle style = options.style;
    if (options.style_sidecars && style.renderer == StyleRenderer::automatic) {
        style = automatic_style(options.unit, options.band_description, options.categories, [&] {
            double range[2] = {NAN, NAN};
            // Exact minimum and maximum of the values that are not nodata; a raster of nodata
            // only is no error here (it gets no style).
            CPLErrorStateBackuper keep_error_state;
            CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
            if (source->GetRasterBand(1)->ComputeRasterMinMax(FALSE, range) != CE_None)
                return std::pair<double, double>(NAN, NAN);
            return std::pair<double, double>(range[0], range[1]);
        });
    }
    try {
        sync_file(temporary_path, final_path);
    } catch (...) {
        remove_temporary(temporary_path);
        throw;
    }
    return style;
}

template <typename T>
constexpr GDALDataType gdal_type() {
    if constexpr (std::is_same_v<T, float>) {
        return GDT_Float32;
    } else if constexpr (std::is_same_v<T, std::int32_t>) {
        return GDT_Int32;
    } else {
        static_assert(std::is_same_v<T, std::uint8_t>);
        return GDT_Byte;
    }
}

template <typename T>
BandData band_data(const Raster<T>& raster) {
    BandData band;
    band.type = gdal_type<T>();
    band.values = raster.values.data();
    band.value_count = raster.values.size();
    band.nodata = static_cast<double>(raster.nodata);
    return band;
}

}  // namespace

// ---- OutputSet -----------------------------------------------------------------------------

OutputSet::OutputSet() = default;

OutputSet::OutputSet(const std::vector<fs::path>& folders) {
    for (const auto& folder : folders) {
        std::error_code ec;
        fs::path key = fs::weakly_canonical(fs::absolute(folder, ec), ec).lexically_normal();
        if (ec) key = fs::absolute(folder).lexically_normal();
        bool nested = false;
        for (const auto& outer : folder_keys_) {
            const auto rel = key.lexically_relative(outer);
            if (!rel.empty() && *rel.begin() != "..") nested = true;  // handled by the outer one
            const auto back = outer.lexically_relative(key);
            if (!nested && !back.empty() && *back.begin() != "..")
                fail(folder, "contains the output folder " + outer.string() +
                                 "; choose a folder beside it or inside it");
        }
        if (nested) continue;
        folders_.push_back(std::make_unique<OutputFolder>(folder));
        folder_keys_.push_back(key);
    }
}

OutputSet::~OutputSet() {
    if (!finished_) discard();
}

OutputSet::Location OutputSet::locate(const fs::path& path) const {
    if (folders_.empty()) return {};
    std::error_code ec;
    const fs::path parent = fs::weakly_canonical(fs::absolute(path.parent_path(), ec), ec);
    const fs::path key = (parent / path.filename()).lexically_normal();
    for (std::size_t i = 0; i < folder_keys_.size(); ++i) {
        const fs::path rel = key.lexically_relative(folder_keys_[i]);
        if (!rel.empty() && *rel.begin() != ".." && rel != ".") return {int(i), rel};
    }
    fail(path, "lies outside the run's output folders");
}

void OutputSet::check_replaceable(const fs::path& path) {
    const Location where = locate(path);
    if (where.folder >= 0) folders_[std::size_t(where.folder)]->check_replaceable(where.relative);
}

fs::path OutputSet::scratch_path(const fs::path& final_path) {
    const Location where = locate(final_path);
    if (where.folder < 0) {
        auto p = temporary_name(final_path);
        p += ".rows";
        return p;
    }
    return folders_[std::size_t(where.folder)]->scratch_path(final_path.filename().string() +
                                                             ".rows");
}

fs::path OutputSet::begin_entry(const fs::path& path) {
    if (finished_) fail(path, "output set already committed or abandoned");
    const auto key = fs::absolute(path).lexically_normal();
    for (const auto& entry : entries_) {
        if (fs::absolute(entry.final_path).lexically_normal() == key) {
            fail(path, "the same output file is written twice");
        }
    }
    const Location where = locate(path);
    if (where.folder < 0) {
        check_target(path);
        entries_.push_back({path, temporary_name(path), -1, {}});
    } else {
        OutputFolder& folder = *folders_[std::size_t(where.folder)];
        folder.check_replaceable(where.relative);
        entries_.push_back(
            {path, folder.staging_path(where.relative), where.folder, where.relative});
    }
    return entries_.back().temporary_path;
}

void OutputSet::end_entry(const std::string& holds, const std::string& unit) {
    const Entry& entry = entries_.back();
    File file;
    file.final_path = entry.final_path;
    file.holds = holds;
    file.unit = unit;
    std::error_code ec;
    file.bytes = fs::file_size(entry.temporary_path, ec);
    if (ec) fail(entry.final_path, "cannot read back the written file (" + ec.message() + ")");
    file.sha256 = sha256_file_hex(entry.temporary_path.string());
    files_.push_back(std::move(file));
}

void OutputSet::add_sidecars(const fs::path& path, const RasterWriteOptions& options,
                             const RasterStyle& style) {
    if (!options.style_sidecars) return;
    const std::string name = path.filename().string();
    if (style.renderer == StyleRenderer::paletted || style.renderer == StyleRenderer::pseudocolor) {
        fs::path qml = path;
        qml.replace_extension(".qml");
        add_text(qml, qml_text(style, options.band_description),
                 "QGIS layer style of " + name + " (loaded as its default style)");
    }
    if (!options.categories.empty()) {
        fs::path aux = path;
        aux += ".aux.xml";
        add_text(aux, pam_category_xml(options.categories),
                 "category names of " + name + " for GDAL (PAM side-car)");
    }
}

void OutputSet::discard() noexcept {
    for (const auto& entry : entries_) remove_temporary(entry.temporary_path);
    entries_.clear();
    finished_ = true;
}

template <typename T>
void OutputSet::add_raster(const fs::path& path, const Raster<T>& raster,
                           const RasterWriteOptions& options) {
    try {
        const RasterStyle style =
            write_geotiff_to(begin_entry(path), path, raster.grid, band_data(raster), options, {},
                             compression_threads_);
        end_entry(options.band_description, options.unit);
        add_sidecars(path, options, style);
    } catch (...) {
        discard();
        throw;
    }
}

void OutputSet::add_geotiff(const fs::path& path, const Raster<float>& raster,
                            const RasterWriteOptions& options) {
    add_raster(path, raster, options);
}

void OutputSet::add_geotiff(const fs::path& path, const Raster<std::int32_t>& raster,
                            const RasterWriteOptions& options) {
    add_raster(path, raster, options);
}

void OutputSet::add_geotiff(const fs::path& path, const Raster<std::uint8_t>& raster,
                            const RasterWriteOptions& options) {
    add_raster(path, raster, options);
}

void OutputSet::add_text(const fs::path& path, std::string_view content, const std::string& holds) {
    try {
        const auto temporary_path = begin_entry(path);
        try {
            write_text_to(temporary_path, path, content);
        } catch (...) {
            remove_temporary(temporary_path);
            throw;
        }
        end_entry(holds, "");
    } catch (...) {
        discard();
        throw;
    }
}

void OutputSet::commit() {
    if (finished_) throw OutputError("output set already committed or abandoned");
    if (!folders_.empty()) {
        // All folders or none: a folder that fails rolls back itself and those before it.
        std::vector<std::vector<fs::path>> relatives(folders_.size());
        for (const auto& entry : entries_)
            relatives[std::size_t(entry.folder)].push_back(entry.relative);
        std::size_t applied = 0;
        try {
            for (; applied < folders_.size(); ++applied)
                folders_[applied]->apply(relatives[applied]);
        } catch (...) {
            for (std::size_t i = applied; i-- > 0;) folders_[i]->roll_back();
            discard();
            throw;
        }
        for (auto& folder : folders_) folder->finish();
        finished_ = true;
        return;
    }
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const auto& entry = entries_[i];
        if (std::rename(entry.temporary_path.c_str(), entry.final_path.c_str()) != 0) {
            const auto reason = "cannot rename '" + entry.temporary_path.filename().string() +
                                "' onto it: " + errno_text(errno);
            // All or nothing: take back the files already in place, drop the rest.
            std::error_code ec;
            for (std::size_t j = 0; j < i; ++j) fs::remove(entries_[j].final_path, ec);
            for (std::size_t j = i; j < entries_.size(); ++j) {
                remove_temporary(entries_[j].temporary_path);
            }
            const auto final_path = entry.final_path;
            entries_.clear();
            finished_ = true;
            fail(final_path, reason);
        }
    }
    std::set<fs::path> directories;
    for (const auto& entry : entries_) directories.insert(directory_of(entry.final_path));
    for (const auto& dir : directories) sync_directory(dir);
    finished_ = true;
}

std::vector<fs::path> OutputSet::paths() const {
    std::vector<fs::path> out;
    for (const auto& entry : entries_) out.push_back(entry.final_path);
    return out;
}

// ---- single files --------------------------------------------------------------------------

void write_geotiff(const fs::path& path, const Raster<float>& raster,
                   const RasterWriteOptions& options) {
    OutputSet set;
    set.add_geotiff(path, raster, options);
    set.commit();
}

void write_geotiff(const fs::path& path, const Raster<std::int32_t>& raster,
                   const RasterWriteOptions& options) {
    OutputSet set;
    set.add_geotiff(path, raster, options);
    set.commit();
}

void write_geotiff(const fs::path& path, const Raster<std::uint8_t>& raster,
                   const RasterWriteOptions& options) {
    OutputSet set;
    set.add_geotiff(path, raster, options);
    set.commit();
}

void write_text_file(const fs::path& path, std::string_view content) {
    OutputSet set;
    set.add_text(path, content);
    set.commit();
}

// ---- RasterStream --------------------------------------------------------------------------

template <typename T>
RasterStream<T>::RasterStream(const fs::path& final_path, const GridSpec& grid, T nodata,
                              const fs::path& scratch_path)
    : final_path_(final_path),
      grid_(grid),
      nodata_(nodata),
      written_(std::size_t(std::max(grid.height, 0)), false) {
    if (scratch_path.empty()) check_target(final_path);
    if (grid.width <= 0 || grid.height <= 0)
        fail(final_path, "raster has no pixels (" + std::to_string(grid.width) + " x " +
                             std::to_string(grid.height) + ")");
    scratch_path_ = scratch_path;
    if (scratch_path_.empty()) {
        scratch_path_ = temporary_name(final_path);
        scratch_path_ += ".rows";
    }
    fd_ = ::open(scratch_path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0) fail(final_path, "cannot create scratch file: " + errno_text(errno));
}

template <typename T>
RasterStream<T>::~RasterStream() {
    if (fd_ >= 0) ::close(fd_);
    std::error_code ec;
    fs::remove(scratch_path_, ec);
}

template <typename T>
void RasterStream<T>::write_rows(int first_row, const Raster<T>& rows) {
    if (fd_ < 0) fail(final_path_, "rows written after the raster was read back");
    if (rows.grid.width != grid_.width || first_row < 0 ||
        first_row + rows.grid.height > grid_.height ||
        rows.values.size() != rows.grid.pixel_count())
        fail(final_path_, "rows " + std::to_string(first_row) + " + " +
                              std::to_string(rows.grid.height) + " do not fit the " +
                              std::to_string(grid_.width) + " x " + std::to_string(grid_.height) +
                              " raster");
    const T* data = rows.values.data();
    if constexpr (std::is_floating_point_v<T>) {
        buffer_.assign(rows.values.begin(), rows.values.end());
        for (T& v : buffer_)
            if (std::isnan(v)) v = nodata_;
        data = buffer_.data();
    }
    const std::size_t bytes = rows.values.size() * sizeof(T);
    const off_t offset = off_t(first_row) * off_t(grid_.width) * off_t(sizeof(T));
    std::size_t done = 0;
    while (done < bytes) {
        const auto n = ::pwrite(fd_, reinterpret_cast<const char*>(data) + done, bytes - done,
                                offset + off_t(done));
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(final_path_, "cannot write scratch file '" + scratch_path_.filename().string() +
                                  "': " + errno_text(errno));
        }
        done += std::size_t(n);
    }
    for (int r = 0; r < rows.grid.height; ++r) written_[std::size_t(first_row + r)] = true;
    std::vector<T>().swap(buffer_);
}

template <typename T>
bool RasterStream<T>::complete() const {
    return std::all_of(written_.begin(), written_.end(), [](bool w) { return w; });
}

template <typename T>
void RasterStream<T>::close_for_reading() {
    if (fd_ < 0) return;
    const int result = ::close(fd_);
    fd_ = -1;
    if (result != 0) fail(final_path_, "cannot close scratch file: " + errno_text(errno));
}

template class RasterStream<float>;
template class RasterStream<std::int32_t>;
template class RasterStream<std::uint8_t>;

template <typename T>
void OutputSet::add_geotiff(RasterStream<T>& stream, const RasterWriteOptions& options) {
    try {
        if (!stream.complete())
            fail(stream.final_path(), "not every row of the raster was computed");
        stream.close_for_reading();
        BandData band;
        band.type = gdal_type<T>();
        band.value_count = stream.grid().pixel_count();
        band.nodata = static_cast<double>(stream.nodata());
        const RasterStyle style =
            write_geotiff_to(begin_entry(stream.final_path()), stream.final_path(), stream.grid(),
                             band, options, stream.scratch_path(), compression_threads_);
        end_entry(options.band_description, options.unit);
        add_sidecars(stream.final_path(), options, style);
    } catch (...) {
        discard();
        throw;
    }
}

template void OutputSet::add_geotiff(RasterStream<float>&, const RasterWriteOptions&);
template void OutputSet::add_geotiff(RasterStream<std::int32_t>&, const RasterWriteOptions&);
template void OutputSet::add_geotiff(RasterStream<std::uint8_t>&, const RasterWriteOptions&);

Raster<float> nan_to_nodata(Raster<float> raster, float nodata) {
    raster.nodata = nodata;
    for (float& v : raster.values)
        if (std::isnan(v)) v = nodata;
    return raster;
}

}  // namespace grenzfunk::io
