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

namespace grenzfunk::io {

namespace {

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* ct) const {
        OGRCoordinateTransformation::DestroyCT(ct);
    }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

OGRSpatialReference grid_srs(const GridSpec& grid) {
    OGRSpatialReference srs;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const std::string& definition = grid.crs_wkt.empty() ? grid.crs : grid.crs_wkt;
    if (srs.SetFromUserInput(definition.c_str(),
                             OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS_get()) !=
        OGRERR_NONE)
        throw InputError("analysis: grid CRS '" + grid.crs + "' is not understood by GDAL");
    return srs;
}

DatasetPtr mem_raster(const GridSpec& grid, GDALDataType type, const OGRSpatialReference& srs) {
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr ds(mem->Create("", grid.width, grid.height, 1, type, nullptr));
    double gt[6];
    grid.geotransform(gt);
    ds->SetGeoTransform(gt);
    ds->SetSpatialRef(&srs);
    return ds;
}

std::string vsimem_bytes(const std::string& path) {
    vsi_l_offset size = 0;
    GByte* data = VSIGetMemFileBuffer(path.c_str(), &size, TRUE);
    if (!data) throw OutputError(path + ": GDAL wrote nothing");
    std::string bytes(reinterpret_cast<const char*>(data), std::size_t(size));
    CPLFree(data);
    return bytes;
}

std::string unique_vsimem(const std::string& name) {
    static std::atomic<unsigned> counter{0};
    return "/vsimem/grenzfunk_" + std::to_string(counter++) + "_" + name;
}

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

std::vector<analysis::Segment> border_segments(const std::string& path, const GridSpec& grid,
                                               const std::string& where) {
    AdminLayer src = open_admin(path, grid, where);
    const ClipBox box = src.clip_box();
    std::vector<analysis::Segment> out;
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

GapFiles gap_polygon_files(const analysis::GapResult& gaps,
                           const std::vector<std::string>& region_names,
                           const std::vector<std::string>& group_names) {
    GdalMessages messages;
    const GridSpec& grid = gaps.labels.grid;
    OGRSpatialReference srs = grid_srs(grid);
    auto fail = [&](const std::string& what) {
        throw OutputError("gap polygons: " + what + " (" + messages.summary() + ")");
    };

    // Polygonise the labels inside the gap mask.
    DatasetPtr labels = mem_raster(grid, GDT_Int32, srs);
    DatasetPtr mask = mem_raster(grid, GDT_Byte, srs);
    std::vector<std::uint8_t> inside(grid.pixel_count());
    for (std::size_t p = 0; p < inside.size(); ++p) inside[p] = gaps.labels.values[p] > 0;
    if (labels->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, grid.width, grid.height,
                                           const_cast<std::int32_t*>(gaps.labels.values.data()),
                                           grid.width, grid.height, GDT_Int32, 0, 0) != CE_None ||
        mask->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, grid.width, grid.height, inside.data(),
                                         grid.width, grid.height, GDT_Byte, 0, 0) != CE_None)
        fail("cannot fill the label raster");
    GDALDriver* memory = GetGDALDriverManager()->GetDriverByName("Memory");
    DatasetPtr polys(memory->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* poly_layer = polys->CreateLayer("gaps", &srs, wkbPolygon, nullptr);
    OGRFieldDefn id_field("gap_id", OFTInteger);
    poly_layer->CreateField(&id_field);
    if (GDALPolygonize(labels->GetRasterBand(1), mask->GetRasterBand(1), poly_layer, 0, nullptr,
                       nullptr, nullptr) != CE_None)
        fail("GDALPolygonize failed");
    std::map<int, std::unique_ptr<OGRGeometry>> geometry_of;
    for (auto& feature : *poly_layer) {
        const int id = feature->GetFieldAsInteger(0);
        std::unique_ptr<OGRGeometry> g(feature->GetGeometryRef()->clone());
        auto it = geometry_of.find(id);
        if (it == geometry_of.end()) {
            geometry_of.emplace(id, std::move(g));
        } else {  // cannot happen with 4-connected gaps; keep every part all the same
            auto multi = std::make_unique<OGRMultiPolygon>();
            for (const OGRGeometry* piece : {it->second.get(), g.get()})
                for (const OGRPolygon* part : polygons_of(piece)) multi->addGeometry(part);
            it->second = std::move(multi);
        }
    }

    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    TransformPtr to_lonlat(OGRCreateCoordinateTransformation(&srs, &wgs84));
    if (!to_lonlat) fail("no transformation to WGS84");

    auto write = [&](const char* driver_name, const std::string& path,
                     OGRSpatialReference layer_srs, bool lonlat, char** layer_options) {
        // GeoPackage: fixed timestamps so that equal runs give equal files.
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
        if (!driver) fail(std::string("GDAL has no ") + driver_name + " driver");
        DatasetPtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) fail(std::string("cannot create the ") + driver_name + " file");
        OGRLayer* layer = ds->CreateLayer("gaps", &layer_srs, wkbMultiPolygon, layer_options);
        if (!layer) fail("cannot create the layer");
        const std::pair<const char*, OGRFieldType> fields[] = {
            {"gap_id", OFTInteger},
            {"status", OFTString},
            {"country", OFTString},
            {"region", OFTString},
            {"area_km2", OFTReal},
            {"pixel_count", OFTInteger64},
            {"white_spot_km2", OFTReal},
            {"neighbour_only_km2", OFTReal},
            {"centroid_x_m", OFTReal},
            {"centroid_y_m", OFTReal},
            {"centroid_lon_deg", OFTReal},
            {"centroid_lat_deg", OFTReal},
            {"best_level_dbm", OFTReal},
            {"best_own_level_dbm", OFTReal},
            {"best_neighbour_level_dbm", OFTReal},
            {"nearest_site_id", OFTString},
            {"nearest_site_distance_km", OFTReal},
            {"min_border_distance_km", OFTReal},
        };
        for (const auto& [name, type] : fields) {
            OGRFieldDefn defn(name, type);
            if (layer->CreateField(&defn) != OGRERR_NONE) fail("cannot create a field");
        }
        const bool transaction =
            layer->TestCapability(OLCTransactions) && layer->StartTransaction() == OGRERR_NONE;
        const double pixel_km2 = grid.pixel_size_m * grid.pixel_size_m / 1e6;
        for (const analysis::Gap& gap : gaps.gaps) {
            OGRFeature feature(layer->GetLayerDefn());
            auto set_real = [&](const char* name, double v) {
                if (std::isnan(v))
                    feature.SetFieldNull(feature.GetFieldIndex(name));
                else
                    feature.SetField(name, v);
            };
            feature.SetField("gap_id", gap.id);
            feature.SetField("status", gap.status());
            feature.SetField("country", group_names.at(gap.group).c_str());
            if (gap.region >= 0 && std::size_t(gap.region) < region_names.size())
                feature.SetField("region", region_names[std::size_t(gap.region)].c_str());
            else
                feature.SetFieldNull(feature.GetFieldIndex("region"));
            feature.SetField("area_km2", gap.area_km2);
            feature.SetField("pixel_count", GIntBig(gap.pixel_count));
            feature.SetField("white_spot_km2", double(gap.white_spot_pixels) * pixel_km2);
            feature.SetField("neighbour_only_km2", double(gap.neighbour_only_pixels) * pixel_km2);
            feature.SetField("centroid_x_m", gap.centroid_x_m);
            feature.SetField("centroid_y_m", gap.centroid_y_m);
            double lon = gap.centroid_x_m, lat = gap.centroid_y_m;
            if (!to_lonlat->Transform(1, &lon, &lat)) lon = lat = std::nan("");
            set_real("centroid_lon_deg", lon);
            set_real("centroid_lat_deg", lat);
            set_real("best_level_dbm", gap.best_level_dbm);
            set_real("best_own_level_dbm", gap.best_own_level_dbm);
            set_real("best_neighbour_level_dbm", gap.best_neighbour_level_dbm);
            if (gap.nearest_site_id.empty())
                feature.SetFieldNull(feature.GetFieldIndex("nearest_site_id"));
            else
                feature.SetField("nearest_site_id", gap.nearest_site_id.c_str());
            set_real("nearest_site_distance_km", gap.nearest_site_distance_km);
            set_real("min_border_distance_km", gap.min_border_distance_km);
            auto it = geometry_of.find(gap.id);
            if (it == geometry_of.end()) fail("gap " + std::to_string(gap.id) + " has no polygon");
            std::unique_ptr<OGRGeometry> g(
                OGRGeometryFactory::forceToMultiPolygon(it->second->clone()));
            if (lonlat && g->transform(to_lonlat.get()) != OGRERR_NONE)
                fail("cannot transform a polygon to WGS84");
            feature.SetGeometryDirectly(g.release());
            if (layer->CreateFeature(&feature) != OGRERR_NONE) fail("cannot write a feature");
        }
        if (transaction && layer->CommitTransaction() != OGRERR_NONE) fail("cannot commit");
        ds.reset();
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
        if (messages.has_failure()) fail(std::string("writing ") + driver_name);
        return vsimem_bytes(path);
    };

    GapFiles files;
    files.gpkg = write("GPKG", unique_vsimem("gaps.gpkg"), srs, false, nullptr);
    char** geojson_options = nullptr;
    geojson_options = CSLSetNameValue(geojson_options, "RFC7946", "YES");
    geojson_options = CSLSetNameValue(geojson_options, "WRITE_BBOX", "NO");
    try {
        files.geojson =
            write("GeoJSON", unique_vsimem("gaps.geojson"), wgs84, true, geojson_options);
    } catch (...) {
        CSLDestroy(geojson_options);
        throw;
    }
    CSLDestroy(geojson_options);
    return files;
}

}  // namespace grenzfunk::io
