#include "io/terrain_reader.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_alg.h>
#include <gdal_alg_priv.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <gdalwarper.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <tuple>

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

namespace {

using Spans = std::vector<std::pair<int, int>>;  // column intervals [first, second)

// The merged column intervals of the boxes covering the rows [r0, r1) entirely.
Spans spans_of(const std::vector<PixelBox>& boxes, int r0, int r1) {
    Spans spans;
    for (const PixelBox& b : boxes)
        if (!b.empty() && b.row0 <= r0 && b.row1 >= r1) spans.emplace_back(b.col0, b.col1);
    std::sort(spans.begin(), spans.end());
    Spans merged;
    for (const auto& s : spans)
        if (!merged.empty() && s.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, s.second);
        else
            merged.push_back(s);
    return merged;
}

// The pixels of `a` not in `b` (none: the union of `a`) as disjoint boxes: slabs of rows cut at
// every box edge, each slab's intervals, equal intervals of consecutive slabs joined.
std::vector<PixelBox> slab_boxes(const std::vector<PixelBox>& a, const std::vector<PixelBox>& b) {
    std::vector<int> edges;
    for (const auto* set : {&a, &b})
        for (const PixelBox& box : *set)
            if (!box.empty()) edges.insert(edges.end(), {box.row0, box.row1});
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    std::vector<PixelBox> out;
    std::vector<std::size_t> open;  // boxes of `out` ending at the current slab's first row
    for (std::size_t e = 0; e + 1 < edges.size(); ++e) {
        const int r0 = edges[e], r1 = edges[e + 1];
        Spans keep;
        const Spans cut = spans_of(b, r0, r1);
        for (auto [c0, c1] : spans_of(a, r0, r1)) {
            for (const auto& [k0, k1] : cut) {
                if (k1 <= c0 || k0 >= c1) continue;
                if (k0 > c0) keep.emplace_back(c0, k0);
                c0 = std::max(c0, k1);
            }
            if (c1 > c0) keep.emplace_back(c0, c1);
        }
        std::vector<std::size_t> next;
        for (const auto& [c0, c1] : keep) {
            std::size_t k = out.size();
            for (std::size_t o : open)
                if (out[o].col0 == c0 && out[o].col1 == c1 && out[o].row1 == r0) k = o;
            if (k == out.size())
                out.push_back({c0, r0, c1, r1});
            else
                out[k].row1 = r1;
            next.push_back(k);
        }
        open = std::move(next);
    }
    std::sort(out.begin(), out.end(), [](const PixelBox& x, const PixelBox& y) {
        return std::tie(x.row0, x.col0) < std::tie(y.row0, y.col0);
    });
    return out;
}

// ---- The warp's coordinate transform on a fixed lattice ------------------------------------
//
// GDAL's exact transform (`-et 0`: PROJ for every pixel) keeps each terrain pixel independent of
// the window, but PROJ was 10 % of a single-site run's CPU. Instead, on each row of the grid the
// exact transform is evaluated at the lattice columns X = 16 k of the grid's global column
// numbering (X = x / pixel size, so aligned to the coordinate origin, not to a window, band or
// chunk) and interpolated in between by the cubic Lagrange polynomial through the four nearest
// lattice columns (X_k-1 .. X_k+2 around the point). A pixel's source position then still
// depends only on its own position. Error (UTM 32N to geographic, 90 m pixels, tests/
// test_terrain_reader.cpp): below 1e-8 source pixels; linear interpolation between the same
// nodes would leave 2e-4 source pixels (1.2 cm).
constexpr int kLatticeStep = 16;

struct LatticeTransformer {
    GDALTransformerInfo info;  // first: GDAL casts the argument to it (clone, destroy)
    void* exact = nullptr;     // GDALCreateGenImgProjTransformer2's transformer, owned
    double col_offset = 0.0;   // global column of local pixel column 0
    std::vector<double> nx, ny, nz;
    std::vector<int> ok;
};

int lattice_transform(void* arg, int dst_to_src, int count, double* x, double* y, double* z,
                      int* success);

void lattice_cleanup(void* arg) {
    auto* t = static_cast<LatticeTransformer*>(arg);
    if (t->exact) GDALDestroyGenImgProjTransformer(t->exact);
    delete t;
}

void* make_lattice_transformer(void* exact, double col_offset);

// GDAL's warp threads each take a copy (GDALCloneTransformer calls this with ratios 1).
void* lattice_similar(void* arg, double ratio_x, double ratio_y) {
    if (ratio_x != 1.0 || ratio_y != 1.0) return nullptr;
    const auto* t = static_cast<LatticeTransformer*>(arg);
    void* exact = GDALCloneTransformer(t->exact);
    return exact ? make_lattice_transformer(exact, t->col_offset) : nullptr;
}

void* make_lattice_transformer(void* exact, double col_offset) {
    auto* t = new LatticeTransformer;
    std::memcpy(t->info.abySignature, GDAL_GTI2_SIGNATURE, strlen(GDAL_GTI2_SIGNATURE));
    t->info.pszClassName = "GrenzfunkLatticeTransformer";
    t->info.pfnTransform = lattice_transform;
    t->info.pfnCleanup = lattice_cleanup;
    t->info.pfnSerialize = nullptr;
    t->info.pfnCreateSimilar = lattice_similar;
    t->exact = exact;
    t->col_offset = col_offset;
    return t;
}

// Points of one row (equal y): the lattice nodes they need, transformed exactly in one call, then
// each point from its four nodes. A point whose nodes did not all transform is transformed alone.
void lattice_row(LatticeTransformer& t, int count, double* x, double* y, double* z, int* success) {
    const double step = kLatticeStep;
    long long k_min = 0, k_max = 0;
    for (int i = 0; i < count; ++i) {
        const auto k = static_cast<long long>(std::floor((x[i] + t.col_offset) / step));
        k_min = i == 0 ? k : std::min(k_min, k);
        k_max = i == 0 ? k : std::max(k_max, k);
    }
    const auto nodes = std::size_t(k_max - k_min + 4);
    t.nx.resize(nodes);
    t.ny.assign(nodes, y[0]);
    t.nz.assign(nodes, 0.0);
    t.ok.assign(nodes, 0);
    for (std::size_t j = 0; j < nodes; ++j)
        t.nx[j] = double(k_min - 1 + static_cast<long long>(j)) * step - t.col_offset;
    GDALGenImgProjTransform(t.exact, TRUE, int(nodes), t.nx.data(), t.ny.data(), t.nz.data(),
                            t.ok.data());
    for (int i = 0; i < count; ++i) {
        const double X = x[i] + t.col_offset;
        const auto k = static_cast<long long>(std::floor(X / step));
        const std::size_t j = std::size_t(k - k_min);  // node k - 1
        if (!(t.ok[j] && t.ok[j + 1] && t.ok[j + 2] && t.ok[j + 3])) {
            GDALGenImgProjTransform(t.exact, TRUE, 1, x + i, y + i, z + i, success + i);
            continue;
        }
        // Lagrange weights of the nodes at u = -1, 0, 1, 2 for u in [0, 1).
        const double u = (X - double(k) * step) / step;
        const double w0 = -u * (u - 1.0) * (u - 2.0) / 6.0;
        const double w1 = (u + 1.0) * (u - 1.0) * (u - 2.0) / 2.0;
        const double w2 = -(u + 1.0) * u * (u - 2.0) / 2.0;
        const double w3 = (u + 1.0) * u * (u - 1.0) / 6.0;
        x[i] = w0 * t.nx[j] + w1 * t.nx[j + 1] + w2 * t.nx[j + 2] + w3 * t.nx[j + 3];
        y[i] = w0 * t.ny[j] + w1 * t.ny[j + 1] + w2 * t.ny[j + 2] + w3 * t.ny[j + 3];
        success[i] = TRUE;
    }
}

int lattice_transform(void* arg, int dst_to_src, int count, double* x, double* y, double* z,
                      int* success) {
    auto& t = *static_cast<LatticeTransformer*>(arg);
    if (!dst_to_src) return GDALGenImgProjTransform(t.exact, FALSE, count, x, y, z, success);
    for (int i0 = 0; i0 < count;) {
        int i1 = i0 + 1;
        while (i1 < count && y[i1] == y[i0]) ++i1;
        if (std::isfinite(y[i0]) && std::all_of(x + i0, x + i1, [](double v) {
                return std::isfinite(v) && std::abs(v) < 1e15;
            }))
            lattice_row(t, i1 - i0, x + i0, y + i0, z + i0, success + i0);
        else
            GDALGenImgProjTransform(t.exact, TRUE, i1 - i0, x + i0, y + i0, z + i0, success + i0);
        i0 = i1;
    }
    return TRUE;
}

// The lattice transformer from the pixels of `target` (north-up, on the grid) to those of
// `source`; nullptr when GDAL cannot transform between them.
void* lattice_transformer_for(GDALDatasetH source, GDALDataset* target) {
    double gt[6];
    if (target->GetGeoTransform(gt) != CE_None || !(gt[1] > 0.0)) return nullptr;
    void* exact = GDALCreateGenImgProjTransformer2(source, GDALDataset::ToHandle(target), nullptr);
    if (!exact) return nullptr;
    return make_lattice_transformer(exact, double(std::llround(gt[0] / gt[1])));
}

}  // namespace

std::vector<PixelBox> box_union(const std::vector<PixelBox>& boxes) {
    return slab_boxes(boxes, {});
}

std::vector<PixelBox> box_difference(const std::vector<PixelBox>& a,
                                     const std::vector<PixelBox>& b) {
    return slab_boxes(a, b);
}

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
                           const std::atomic<bool>* cancel, const TerrainReadOptions& options) {
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
    bool pixel_independent = false;
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
                pixel_independent = true;
            }
        }
    }
    // Pixels are computed alone (above), so several threads give the same values.
    if (options.threads > 1)
        args.insert(args.end(), {"-wo", "NUM_THREADS=" + std::to_string(options.threads)});

    // What to warp: the window (the whole grid when pixels depend on the extent), grown by the
    // void-filling reach. GDALFillNodata (alg/rasterfill.cpp) fills a pixel from the valid
    // pixels it meets within the distance along its row and the columns beside it, looking up
    // and down each column at most that many rows: with a pixel more, every window pixel sees
    // the neighbours it has on the whole grid, clipped like there at the grid's edges, and gets
    // the same value.
    const PixelBox whole{0, 0, grid.width, grid.height};
    auto clip = [&](const PixelBox& b) {
        return PixelBox{std::max(b.col0, 0), std::max(b.row0, 0), std::min(b.col1, grid.width),
                        std::min(b.row1, grid.height)};
    };
    std::vector<PixelBox> inner;
    if (pixel_independent && !options.window.empty()) {
        std::vector<PixelBox> clipped;
        for (const PixelBox& b : options.window) clipped.push_back(clip(b));
        inner = box_union(clipped);
    }
    if (inner.empty()) inner = {whole};
    // Pixels known from an earlier read are not warped again.
    const bool reuse = pixel_independent && options.known && !options.known_window.empty();
    std::vector<PixelBox> reused;
    if (reuse) {
        std::vector<PixelBox> known;
        for (const PixelBox& b : options.known_window) known.push_back(clip(b));
        const std::vector<PixelBox> fresh = box_difference(inner, known);
        reused = box_difference(inner, fresh);
        inner = fresh;
    }
    // The result: NaN outside the window, the pixels taken over from `known` copied in.
    auto make_out = [&] {
        Raster<float> out;
        out.grid = grid;
        out.nodata = std::nanf("");
        out.values.assign(grid.pixel_count(), std::nanf(""));
        if (!reused.empty()) {
            const Raster<float>& known = *options.known;
            const double res = grid.pixel_size_m;
            const int dc = int(std::lround((grid.origin_x_m - known.grid.origin_x_m) / res));
            const int dr = int(std::lround((known.grid.origin_y_m - grid.origin_y_m) / res));
            for (const PixelBox& b : reused) {
                if (b.col0 + dc < 0 || b.row0 + dr < 0 || b.col1 + dc > known.grid.width ||
                    b.row1 + dr > known.grid.height)
                    throw std::logic_error("load_terrain: known_window outside the known raster");
                for (int r = b.row0; r < b.row1; ++r)
                    for (int c = b.col0; c < b.col1; ++c)
                        out.values[std::size_t(r) * std::size_t(grid.width) + std::size_t(c)] =
                            known.at(c + dc, r + dr);
            }
        }
        return out;
    };
    if (inner.empty()) {
        if (report) *report = {};
        return make_out();
    }

    const int margin = void_fill_max_distance_m > 0.0
                           ? int(std::ceil(void_fill_max_distance_m / grid.pixel_size_m)) + 1
                           : 0;
    std::vector<PixelBox> grown;
    for (const PixelBox& b : inner)
        grown.push_back(clip({b.col0 - margin, b.row0 - margin, b.col1 + margin, b.row1 + margin}));
    grown = box_union(grown);
    PixelBox extent = grown.front();
    for (const PixelBox& b : grown)
        extent = {std::min(extent.col0, b.col0), std::min(extent.row0, b.row0),
                  std::max(extent.col1, b.col1), std::max(extent.row1, b.row1)};
    const int ew = extent.col1 - extent.col0, eh = extent.row1 - extent.row0;

    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    if (!mem) fail("GDAL's MEM driver is not available");
    // The warped values, nodata until a warp writes them; the rasters below are MEM views of
    // it (DATAPOINTER), so that warps and the fill write here directly.
    std::vector<float> buffer(std::size_t(ew) * std::size_t(eh), kWarpNodata);
    // A MEM raster over the box `b` of the grid, georeferenced. Initialised once (the buffer):
    // INIT_DEST passed to GDALWarp would be applied again for every source file and wipe what
    // earlier tiles of a mosaic wrote.
    auto create_raster = [&](const PixelBox& b) {
        const int w = b.col1 - b.col0, h = b.row1 - b.row0;
        DatasetPtr ds(mem->Create("", w, h, 0, GDT_Float32, nullptr));
        if (!ds)
            fail("cannot create the " + std::to_string(w) + " x " + std::to_string(h) +
                 " pixel terrain grid in memory");
        char pointer_text[64] = {};
        CPLPrintPointer(pointer_text,
                        buffer.data() + std::size_t(b.row0 - extent.row0) * std::size_t(ew) +
                            std::size_t(b.col0 - extent.col0),
                        sizeof(pointer_text) - 1);
        CPLStringList band_options;
        band_options.SetNameValue("DATAPOINTER", pointer_text);
        band_options.SetNameValue("PIXELOFFSET", std::to_string(sizeof(float)).c_str());
        band_options.SetNameValue("LINEOFFSET",
                                  std::to_string(sizeof(float) * std::size_t(ew)).c_str());
        if (ds->AddBand(GDT_Float32, band_options.List()) != CE_None)
            fail("cannot create the terrain grid's band in memory");
        double gt[6];
        grid.geotransform(gt);
        gt[0] += b.col0 * gt[1];
        gt[3] += b.row0 * gt[5];
        if (ds->SetGeoTransform(gt) != CE_None) fail("cannot set the terrain grid's geotransform");
        if (ds->SetProjection(grid.crs_wkt.c_str()) != CE_None)
            fail("cannot set the terrain grid's CRS " + grid.crs);
        GDALRasterBand* b1 = ds->GetRasterBand(1);
        if (!b1) fail("the terrain grid has no band");
        if (b1->SetNoDataValue(kWarpNodata) != CE_None)
            fail("cannot set the terrain grid's nodata value");
        return ds;
    };
    // One source warped pixel by pixel (fixed scale): GDAL's warper with the lattice transform
    // above, otherwise (several files in different CRSs) gdalwarp with exact transforms.
    auto corrupt = [&] {
        std::string names;
        for (const auto& f : files) names += (names.empty() ? "" : ", ") + f;
        throw InputError(names +
                         ": cannot read the terrain raster, it may be corrupt or truncated "
                         "(GDAL: " +
                         last_gdal_error() + ")");
    };
    auto warp_lattice = [&](GDALDataset* target) {
        GDALDatasetH src = handles.front();
        void* transformer = lattice_transformer_for(src, target);
        if (!transformer)
            fail(files.front() + ": no transformation from the raster's CRS to " + grid.crs);
        GDALWarpOptions* wo = GDALCreateWarpOptions();
        wo->hSrcDS = src;
        wo->hDstDS = GDALDataset::ToHandle(target);
        wo->nBandCount = 1;
        wo->panSrcBands = static_cast<int*>(CPLMalloc(sizeof(int)));
        wo->panSrcBands[0] = 1;
        wo->panDstBands = static_cast<int*>(CPLMalloc(sizeof(int)));
        wo->panDstBands[0] = 1;
        wo->eResampleAlg = GRA_Bilinear;
        int has_nodata = FALSE;
        const double src_nodata = GDALGetRasterNoDataValue(GDALGetRasterBand(src, 1), &has_nodata);
        if (has_nodata) {
            wo->padfSrcNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double)));
            wo->padfSrcNoDataReal[0] = src_nodata;
        }
        wo->padfDstNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double)));
        wo->padfDstNoDataReal[0] = kWarpNodata;
        for (std::size_t i = 0; i + 1 < args.size(); ++i)
            if (args[i] == "-wo")
                wo->papszWarpOptions = CSLAddString(wo->papszWarpOptions, args[i + 1].c_str());
        // One source (a mosaic is one VRT): the target starts as nodata, as the buffer holds,
        // without GDAL reading it back first.
        wo->papszWarpOptions = CSLSetNameValue(wo->papszWarpOptions, "INIT_DEST", "NO_DATA");
        wo->pfnTransformer = lattice_transform;
        wo->pTransformerArg = transformer;
        if (options.transform == TerrainTransform::exact) {
            wo->pfnTransformer = GDALGenImgProjTransform;
            wo->pTransformerArg = static_cast<LatticeTransformer*>(transformer)->exact;
        }
        if (cancel) {
            wo->pfnProgress = [](double, const char*, void* flag) -> int {
                return !static_cast<const std::atomic<bool>*>(flag)->load();
            };
            wo->pProgressArg = const_cast<std::atomic<bool>*>(cancel);
        }
        CPLErrorReset();
        CPLErr err = CE_Failure;
        {
            GDALWarpOperation operation;
            if (operation.Initialize(wo) == CE_None)
                err = operation.ChunkAndWarpImage(0, 0, target->GetRasterXSize(),
                                                  target->GetRasterYSize());
        }
        GDALDestroyTransformer(transformer);
        GDALDestroyWarpOptions(wo);
        if (cancel && cancel->load()) throw Cancelled();
        if (err != CE_None || messages.has_failure()) corrupt();
    };
    auto warp_into = [&](GDALDataset* target) {
        if (pixel_independent) return warp_lattice(target);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        GDALWarpAppOptions* warp_options = GDALWarpAppOptionsNew(argv.data(), nullptr);
        if (!warp_options) fail("cannot prepare the terrain warp");
        // GDAL asks after each chunk whether to go on: a large warp stops on Ctrl-C.
        if (cancel)
            GDALWarpAppOptionsSetProgress(
                warp_options,
                [](double, const char*, void* flag) -> int {
                    return !static_cast<const std::atomic<bool>*>(flag)->load();
                },
                const_cast<std::atomic<bool>*>(cancel));
        int usage_error = 0;
        CPLErrorReset();
        GDALDatasetH result = GDALWarp(nullptr, GDALDataset::ToHandle(target), int(handles.size()),
                                       handles.data(), warp_options, &usage_error);
        GDALWarpAppOptionsFree(warp_options);
        if (cancel && cancel->load()) throw Cancelled();
        if (!result || messages.has_failure()) corrupt();
    };

    DatasetPtr dst = create_raster(extent);
    if (grown.size() == 1) {
        warp_into(dst.get());
    } else {
        // Each box of the grown window on its own, in place: the same pixels as one warp of
        // the extent, without the pixels between the boxes.
        for (const PixelBox& b : grown) {
            DatasetPtr part = create_raster(b);
            warp_into(part.get());
        }
    }
    // MEM rasters write through to `buffer`; flushed for good measure.
    auto read_band = [&] { dst->FlushCache(); };
    auto count_empty = [&] {
        std::size_t n = 0;
        for (const PixelBox& b : inner)
            for (int r = b.row0; r < b.row1; ++r) {
                const float* row = buffer.data() + std::size_t(r - extent.row0) * std::size_t(ew);
                for (int c = b.col0; c < b.col1; ++c) n += (row[c - extent.col0] == kWarpNodata);
            }
        return n;
    };
    std::size_t window_pixels = 0;
    for (const PixelBox& b : inner) window_pixels += b.pixel_count();
    read_band();
    const std::size_t empty_before = count_empty();
    if (empty_before == window_pixels && !reuse) {
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
        // Work rasters in memory: the same values as GDAL's default temporary GeoTIFFs (stored
        // losslessly), without files beside the run.
        CPLStringList fill_options;
        fill_options.SetNameValue("TEMP_FILE_DRIVER", "MEM");
        // Filled on the box of the window's empty pixels grown by the margin (clipped to the
        // extent) instead of the whole extent: a pixel's fill value comes from pixels within
        // the fill distance (above), all inside that box, and the extent's edges clip it alike.
        // On the single-site job: 15 voids, a few thousand pixels instead of 1.24 M (GDAL's
        // passes over every pixel were 0.9 % of the run).
        PixelBox voids{extent.col1, extent.row1, extent.col0, extent.row0};
        for (const PixelBox& b : inner)
            for (int r = b.row0; r < b.row1; ++r) {
                const float* row = buffer.data() + std::size_t(r - extent.row0) * std::size_t(ew);
                for (int c = b.col0; c < b.col1; ++c)
                    if (row[c - extent.col0] == kWarpNodata)
                        voids = {std::min(voids.col0, c), std::min(voids.row0, r),
                                 std::max(voids.col1, c + 1), std::max(voids.row1, r + 1)};
            }
        const PixelBox fill_box{
            std::max(voids.col0 - margin, extent.col0), std::max(voids.row0 - margin, extent.row0),
            std::min(voids.col1 + margin, extent.col1), std::min(voids.row1 + margin, extent.row1)};
        DatasetPtr fill_raster = create_raster(fill_box);
        if (GDALFillNodata(GDALRasterBand::ToHandle(fill_raster->GetRasterBand(1)), nullptr,
                           max_pixels, 0, 0, fill_options.List(), nullptr, nullptr) != CE_None)
            throw InputError("terrain: filling voids failed (" + last_gdal_error() + ")");
        fill_raster->FlushCache();
        read_band();
        empty_after = count_empty();
    }

    Raster<float> out = make_out();
    for (const PixelBox& b : inner)
        for (int r = b.row0; r < b.row1; ++r) {
            const float* from = buffer.data() + std::size_t(r - extent.row0) * std::size_t(ew) +
                                std::size_t(b.col0 - extent.col0);
            float* to =
                out.values.data() + std::size_t(r) * std::size_t(grid.width) + std::size_t(b.col0);
            for (int c = 0; c < b.col1 - b.col0; ++c)
                to[c] = from[c] == kWarpNodata ? std::nanf("") : from[c];
        }

    if (report) {
        report->filled_void_pixels = empty_before - empty_after;
        report->empty_pixels = empty_after;
    }
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
