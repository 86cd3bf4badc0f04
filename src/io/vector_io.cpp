#include "io/vector_io.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "core/error.hpp"
#include "io/admin_polygons.hpp"
#include "io/gdal_init.hpp"
#include "io/gdal_memory.hpp"

namespace grenzfunk::io {

namespace {

// The admin file at `path`, ready to be read in the grid CRS.
AdminLayer open_admin(const std::string& path, const GridSpec& grid, const std::string& where) {
    return AdminLayer(path, where + ": ", grid_srs(grid), "the grid CRS", MissingCrs::fail);
}

}  // namespace

RegionRaster rasterise_regions(const std::string& path, const std::string& name_field,
                               const GridSpec& grid, const std::string& where) {
    AdminLayer src = open_admin(path, grid, where);
    GdalMessages messages;
    RegionRaster out;
    int field = -1;
    if (!name_field.empty())
        field = src.field_index(name_field, "analysis.region_name_field");
    else
        out.names.push_back(std::filesystem::path(path).stem().string());
    const OGRSpatialReference srs = grid_srs(grid);
    DatasetPtr ds = mem_raster(grid, GDT_Int32, srs);
    GDALRasterBand* band = ds->GetRasterBand(1);
    band->Fill(-1.0);
    std::vector<std::unique_ptr<OGRGeometry>> owned;
    std::vector<OGRGeometryH> geometries;
    std::vector<double> burn;
    std::map<std::string, std::int32_t> index_of;
    src.for_each_feature([&](OGRFeature& feature) {
        const OGRGeometry* g = feature.GetGeometryRef();
        if (!g) return;
        std::int32_t index = 0;
        if (field >= 0) {
            const std::string name = feature.GetFieldAsString(field);
            auto [it, inserted] = index_of.emplace(name, std::int32_t(out.names.size()));
            if (inserted) out.names.push_back(name);
            index = it->second;
        }
        owned.push_back(src.transformed(*g, "a polygon"));
        geometries.push_back(OGRGeometry::ToHandle(owned.back().get()));
        burn.push_back(double(index));
    });
    if (geometries.empty()) src.fail("no polygons");
    int band_list[1] = {1};
    if (GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()), 1, band_list,
                                int(geometries.size()), geometries.data(), nullptr, nullptr,
                                burn.data(), nullptr, nullptr, nullptr) != CE_None)
        src.fail("rasterisation failed (" + messages.summary() + ")");
    out.index = Raster<std::int32_t>(grid, -1);
    if (band->RasterIO(GF_Read, 0, 0, grid.width, grid.height, out.index.values.data(), grid.width,
                       grid.height, GDT_Int32, 0, 0) != CE_None)
        src.fail("rasterisation failed (" + messages.summary() + ")");
    return out;
}

std::vector<Segment> border_segments(const std::string& path, const GridSpec& grid,
                                     const std::string& where) {
    AdminLayer src = open_admin(path, grid, where);
    const ClipBox box = src.clip_box();
    std::vector<Segment> out;
    src.for_each_feature([&](OGRFeature& feature) {
        for (const OGRPolygon* polygon : polygons_of(feature.GetGeometryRef()))
            for (const OGRLinearRing* ring : *polygon) {
                const int n = ring->getNumPoints();
                for (int i = 0; i + 1 < n; ++i) {
                    double x[2] = {ring->getX(i), ring->getX(i + 1)};
                    double y[2] = {ring->getY(i), ring->getY(i + 1)};
                    if (box.on_edge(x[0], y[0], x[1], y[1])) continue;
                    src.transform(2, x, y, "the border");
                    out.push_back({x[0], y[0], x[1], y[1]});
                }
            }
    });
    return out;
}

}  // namespace grenzfunk::io
