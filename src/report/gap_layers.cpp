#include "report/gap_layers.hpp"

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <functional>
#include <map>
#include <memory>

#include "core/error.hpp"
#include "io/admin_polygons.hpp"
#include "io/gdal_init.hpp"
#include "io/gdal_memory.hpp"
#include "io/raster_style.hpp"
#include "io/xml_writer.hpp"

namespace grenzfunk::report {

using namespace grenzfunk::io;  // the GDAL helpers of the readers and writers

const std::vector<GapStatusStyle>& gap_status_styles() {
    // The gap_class.tif colours: red = no network at all, orange = only the other country's.
    static const std::vector<GapStatusStyle> styles = {
        {"white_spot", "white spot: no network", 215, 25, 28},
        {"neighbour_only", "only the other country's networks", 253, 174, 97},
        {"partly_neighbour", "partly white spot, partly only the other country's networks", 152, 78,
         163},
    };
    return styles;
}

namespace {

// A symbol layer's properties, written both as <Option type="Map"> (QGIS >= 3.26) and as
// <prop k= v=> (older QGIS 3), for the gaps' fills and the sites' markers alike.
template <typename Properties>
void write_symbol_properties(XmlWriter& x, const Properties& props) {
    x.open("Option", {{"type", "Map"}});
    for (const auto& [k, v] : props)
        x.empty("Option", {{"name", k}, {"type", "QString"}, {"value", v}});
    x.close();
    for (const auto& [k, v] : props) x.empty("prop", {{"k", k}, {"v", v}});
}

std::string rgba_text(const GapStatusStyle& s, int alpha) {
    return std::to_string(s.red) + "," + std::to_string(s.green) + "," + std::to_string(s.blue) +
           "," + std::to_string(alpha);
}

}  // namespace

std::string gap_style_qml() {
    // QGIS vector layer style: renderer-v2 type="categorizedSymbol" (qgis/QGIS
    // src/core/symbology/qgscategorizedsymbolrenderer.cpp). The fill properties are written both
    // as <Option> (QGIS >= 3.26) and as <prop k= v=> (older QGIS 3).
    XmlWriter x(false);
    x.raw_line("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>");
    x.raw_line("<!-- grenzfunk: coverage gaps coloured by status -->");
    x.open("qgis", {{"version", "3.28.0-Firenze"}, {"styleCategories", "AllStyleCategories"}});
    x.open("renderer-v2", {{"type", "categorizedSymbol"},
                           {"attr", "status"},
                           {"symbollevels", "0"},
                           {"enableorderby", "0"},
                           {"forceraster", "0"}});
    const auto& styles = gap_status_styles();
    x.open("categories");
    for (std::size_t i = 0; i < styles.size(); ++i)
        x.empty("category", {{"value", styles[i].status},
                             {"symbol", std::to_string(i)},
                             {"label", styles[i].label},
                             {"render", "true"}});
    x.close();
    x.open("symbols");
    for (std::size_t i = 0; i < styles.size(); ++i) {
        const GapStatusStyle& s = styles[i];
        x.open("symbol", {{"type", "fill"},
                          {"name", std::to_string(i)},
                          {"alpha", "0.75"},
                          {"clip_to_extent", "1"},
                          {"force_rhr", "0"}});
        x.open("layer",
               {{"class", "SimpleFill"}, {"enabled", "1"}, {"locked", "0"}, {"pass", "0"}});
        const std::pair<const char*, std::string> props[] = {
            {"color", rgba_text(s, 255)}, {"outline_color", "60,60,60,255"},
            {"outline_style", "solid"},   {"outline_width", "0.3"},
            {"outline_width_unit", "MM"}, {"style", "solid"},
        };
        write_symbol_properties(x, props);
        x.close();  // layer
        x.close();  // symbol
    }
    x.close();  // symbols
    x.close();  // renderer-v2
    x.leaf("blendMode", "0");
    x.leaf("featureBlendMode", "0");
    x.leaf("layerGeometryType", "2");  // polygon
    return x.finish();
}

std::string gap_style_sld() {
    // OGC Styled Layer Descriptor 1.1.0 with Symbology Encoding 1.1 (OGC 05-078r4, 05-077r4).
    XmlWriter x;
    x.open("StyledLayerDescriptor",
           {{"version", "1.1.0"},
            {"xmlns", "http://www.opengis.net/sld"},
            {"xmlns:ogc", "http://www.opengis.net/ogc"},
            {"xmlns:se", "http://www.opengis.net/se"},
            {"xmlns:xlink", "http://www.w3.org/1999/xlink"},
            {"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"},
            {"xsi:schemaLocation",
             "http://www.opengis.net/sld "
             "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"}});
    x.open("NamedLayer");
    x.leaf("se:Name", "gaps");
    x.open("UserStyle");
    x.leaf("se:Name", "gaps by status");
    x.open("se:FeatureTypeStyle");
    for (const GapStatusStyle& s : gap_status_styles()) {
        x.open("se:Rule");
        x.leaf("se:Name", s.status);
        x.open("se:Description");
        x.leaf("se:Title", s.label);
        x.close();
        x.open("ogc:Filter");
        x.open("ogc:PropertyIsEqualTo");
        x.leaf("ogc:PropertyName", "status");
        x.leaf("ogc:Literal", s.status);
        x.close();
        x.close();
        x.open("se:PolygonSymbolizer");
        x.open("se:Fill");
        x.leaf("se:SvgParameter", hex_colour(s.red, s.green, s.blue), {{"name", "fill"}});
        x.leaf("se:SvgParameter", "0.75", {{"name", "fill-opacity"}});
        x.close();
        x.open("se:Stroke");
        x.leaf("se:SvgParameter", "#3c3c3c", {{"name", "stroke"}});
        x.leaf("se:SvgParameter", "1", {{"name", "stroke-width"}});
        x.close();
        x.close();  // PolygonSymbolizer
        x.close();  // Rule
    }
    return x.finish();
}

// The proposed sites' marker: blue circle, white outline, drawn above the gap polygons.
std::string point_style_qml() {
    XmlWriter x(false);
    x.raw_line("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>");
    x.raw_line("<!-- grenzfunk: points as circle markers -->");
    x.open("qgis", {{"version", "3.28.0-Firenze"}, {"styleCategories", "AllStyleCategories"}});
    x.open("renderer-v2", {{"type", "singleSymbol"},
                           {"symbollevels", "0"},
                           {"enableorderby", "0"},
                           {"forceraster", "0"}});
    x.open("symbols");
    x.open("symbol", {{"type", "marker"},
                      {"name", "0"},
                      {"alpha", "1"},
                      {"clip_to_extent", "1"},
                      {"force_rhr", "0"}});
    x.open("layer", {{"class", "SimpleMarker"}, {"enabled", "1"}, {"locked", "0"}, {"pass", "0"}});
    const std::pair<const char*, const char*> props[] = {
        {"color", "31,120,180,255"},
        {"name", "circle"},
        {"outline_color", "255,255,255,255"},
        {"outline_style", "solid"},
        {"outline_width", "0.4"},
        {"outline_width_unit", "MM"},
        {"size", "4"},
        {"size_unit", "MM"},
    };
    write_symbol_properties(x, props);
    x.close();  // layer
    x.close();  // symbol
    x.close();  // symbols
    x.close();  // renderer-v2
    x.leaf("blendMode", "0");
    x.leaf("featureBlendMode", "0");
    x.leaf("layerGeometryType", "0");  // point
    return x.finish();
}

std::string point_style_sld(const std::string& layer_name) {
    // OGC SLD 1.1.0 / SE 1.1 PointSymbolizer with a well-known "circle" mark.
    XmlWriter x;
    x.open("StyledLayerDescriptor",
           {{"version", "1.1.0"},
            {"xmlns", "http://www.opengis.net/sld"},
            {"xmlns:ogc", "http://www.opengis.net/ogc"},
            {"xmlns:se", "http://www.opengis.net/se"},
            {"xmlns:xlink", "http://www.w3.org/1999/xlink"},
            {"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"},
            {"xsi:schemaLocation",
             "http://www.opengis.net/sld "
             "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"}});
    x.open("NamedLayer");
    x.leaf("se:Name", layer_name);
    x.open("UserStyle");
    x.leaf("se:Name", layer_name);
    x.open("se:FeatureTypeStyle");
    x.open("se:Rule");
    x.leaf("se:Name", layer_name);
    x.open("se:PointSymbolizer");
    x.open("se:Graphic");
    x.open("se:Mark");
    x.leaf("se:WellKnownName", "circle");
    x.open("se:Fill");
    x.leaf("se:SvgParameter", "#1f78b4", {{"name", "fill"}});
    x.close();
    x.open("se:Stroke");
    x.leaf("se:SvgParameter", "#ffffff", {{"name", "stroke"}});
    x.leaf("se:SvgParameter", "1", {{"name", "stroke-width"}});
    x.close();
    x.close();  // Mark
    x.leaf("se:Size", "14");
    x.close();  // Graphic
    x.close();  // PointSymbolizer
    x.close();  // Rule
    return x.finish();
}

namespace {

// One default style of a layer in QGIS's style table (see gap_layers.hpp).
struct LayerStyle {
    OGRLayer* layer;
    std::string name, qml, sld, description;
};

void write_layer_styles(GDALDataset& ds, const std::vector<LayerStyle>& rows,
                        const std::function<void(const std::string&)>& fail) {
    OGRLayer* styles = ds.CreateLayer("layer_styles", nullptr, wkbNone, nullptr);
    if (!styles) fail("cannot create the layer_styles table");
    struct Column {
        const char* name;
        OGRFieldType type;
        int width;
        OGRFieldSubType subtype;
    };
    const Column columns[] = {
        {"f_table_catalog", OFTString, 256, OFSTNone},
        {"f_table_schema", OFTString, 256, OFSTNone},
        {"f_table_name", OFTString, 256, OFSTNone},
        {"f_geometry_column", OFTString, 256, OFSTNone},
        {"styleName", OFTString, 30, OFSTNone},
        {"styleQML", OFTString, 0, OFSTNone},
        {"styleSLD", OFTString, 0, OFSTNone},
        {"useAsDefault", OFTInteger, 0, OFSTBoolean},
        {"description", OFTString, 0, OFSTNone},
        {"owner", OFTString, 30, OFSTNone},
        {"ui", OFTString, 30, OFSTNone},
        {"update_time", OFTDateTime, 0, OFSTNone},
    };
    for (const Column& c : columns) {
        OGRFieldDefn defn(c.name, c.type);
        defn.SetWidth(c.width);
        defn.SetSubType(c.subtype);
        if (styles->CreateField(&defn) != OGRERR_NONE) fail("cannot create a layer_styles column");
    }
    for (const LayerStyle& style : rows) {
        OGRFeature row(styles->GetLayerDefn());
        row.SetField("f_table_catalog", "");
        row.SetField("f_table_schema", "");
        row.SetField("f_table_name", style.layer->GetName());
        row.SetField("f_geometry_column", style.layer->GetGeometryColumn());
        row.SetField("styleName", style.name.c_str());
        row.SetField("styleQML", style.qml.c_str());
        row.SetField("styleSLD", style.sld.c_str());
        row.SetField("useAsDefault", 1);
        row.SetField("description", style.description.c_str());
        row.SetField("owner", "");
        row.SetFieldNull(row.GetFieldIndex("ui"));
        row.SetField("update_time", kStyleUpdateTime);
        if (styles->CreateFeature(&row) != OGRERR_NONE) fail("cannot write a layer style");
    }
}

// A point layer of PointLayer's fields and features into `ds` (grid CRS).
OGRLayer* write_point_layer(GDALDataset& ds, const PointLayer& points, OGRSpatialReference& srs,
                            const std::function<void(const std::string&)>& fail) {
    OGRLayer* layer = ds.CreateLayer(points.name.c_str(), &srs, wkbPoint, nullptr);
    if (!layer) fail("cannot create the layer " + points.name);
    for (const PointField& f : points.fields) {
        const OGRFieldType type = f.kind == PointFieldKind::integer ? OFTInteger64
                                  : f.kind == PointFieldKind::real  ? OFTReal
                                                                    : OFTString;
        OGRFieldDefn defn(f.name.c_str(), type);
        if (layer->CreateField(&defn) != OGRERR_NONE) fail("cannot create the field " + f.name);
    }
    const bool transaction =
        layer->TestCapability(OLCTransactions) && layer->StartTransaction() == OGRERR_NONE;
    for (const PointFeature& p : points.features) {
        if (p.values.size() != points.fields.size())
            fail(points.name + ": a feature with " + std::to_string(p.values.size()) +
                 " values for " + std::to_string(points.fields.size()) + " fields");
        OGRFeature feature(layer->GetLayerDefn());
        for (std::size_t i = 0; i < p.values.size(); ++i) {
            const int index = int(i);
            const PointValue& v = p.values[i];
            const PointFieldKind kind = points.fields[i].kind;
            if (kind == PointFieldKind::integer && std::holds_alternative<std::int64_t>(v))
                feature.SetField(index, GIntBig(std::get<std::int64_t>(v)));
            else if (kind == PointFieldKind::real && std::holds_alternative<double>(v)) {
                if (std::isnan(std::get<double>(v)))
                    feature.SetFieldNull(index);
                else
                    feature.SetField(index, std::get<double>(v));
            } else if (kind == PointFieldKind::text && std::holds_alternative<std::string>(v))
                feature.SetField(index, std::get<std::string>(v).c_str());
            else
                fail(points.name + ": the field " + points.fields[i].name +
                     " has a value of another type");
        }
        feature.SetGeometryDirectly(new OGRPoint(p.x_m, p.y_m));
        if (layer->CreateFeature(&feature) != OGRERR_NONE) fail("cannot write a point");
    }
    if (transaction && layer->CommitTransaction() != OGRERR_NONE) fail("cannot commit");
    return layer;
}

}  // namespace

GapFiles gap_polygon_files(const analysis::GapResult& gaps,
                           const std::vector<std::string>& region_names,
                           const std::vector<std::string>& group_names,
                           const std::vector<PointLayer>& point_layers) {
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
        if (std::string(driver_name) == "GPKG") {
            std::vector<LayerStyle> styles = {{layer, "gaps by status", gap_style_qml(),
                                               gap_style_sld(),
                                               "grenzfunk: coverage gaps coloured by status"}};
            for (const PointLayer& points : point_layers)
                styles.push_back({write_point_layer(*ds, points, layer_srs, fail),
                                  points.style_name, point_style_qml(),
                                  point_style_sld(points.name), "grenzfunk: " + points.style_name});
            write_layer_styles(*ds, styles, fail);
        }
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
