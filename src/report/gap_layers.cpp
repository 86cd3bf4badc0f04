#include "report/gap_layers.hpp"

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <map>
#include <memory>

#include "core/error.hpp"
#include "io/admin_polygons.hpp"
#include "io/gdal_init.hpp"
#include "io/gdal_memory.hpp"

namespace grenzfunk::report {

using namespace grenzfunk::io;  // the GDAL helpers of the readers and writers

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

}  // namespace grenzfunk::report
