// The coverage gaps as GIS layers for the planner: GeoPackage and GeoJSON.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "analysis/coverage_analysis.hpp"

namespace grenzfunk::report {

// The retained gaps as polygons (GDALPolygonize of the gap labels, 4-connected: one polygon per
// gap, holes kept) with their attributes, encoded as a GeoPackage (grid CRS, layer "gaps") and
// as GeoJSON (RFC 7946, WGS84 longitude/latitude). Returned as file contents for an OutputSet.
//
// The GeoPackage also holds QGIS's style table "layer_styles" (an attributes table in
// gpkg_contents; columns as QGIS creates them: f_table_catalog, f_table_schema, f_table_name,
// f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui,
// update_time) with one row for "gaps", useAsDefault = 1: QGIS draws the layer with it on
// opening. update_time is fixed (kStyleUpdateTime) so that equal runs give equal bytes.
struct GapFiles {
    std::string gpkg;
    std::string geojson;
};
// A gap status ("white_spot", "neighbour_only", "partly_neighbour") with its legend text and
// fill colour, the same in the GeoPackage style, the KMZ and the documentation.
struct GapStatusStyle {
    const char* status;
    const char* label;
    std::uint8_t red, green, blue;
};
const std::vector<GapStatusStyle>& gap_status_styles();
// The gaps layer's style: a QGIS categorised renderer on "status" (QML) and the same rules as
// an OGC SLD 1.1 / Symbology Encoding document.
std::string gap_style_qml();
std::string gap_style_sld();
inline constexpr const char* kStyleUpdateTime = "2000-01-01T00:00:00Z";

// A point layer written into the GeoPackage next to "gaps" (grid CRS, e.g. the proposed sites of
// `grenzfunk plan`), with its fields given generically so that report knows no pipeline type.
// values[i] holds fields[i]'s value: std::int64_t for integer, double for real (NaN = null),
// std::string for text. The style (a circle marker) gets a row in layer_styles.
enum class PointFieldKind { integer, real, text };
struct PointField {
    std::string name;
    PointFieldKind kind = PointFieldKind::real;
};
using PointValue = std::variant<std::int64_t, double, std::string>;
struct PointFeature {
    double x_m = 0.0, y_m = 0.0;  // grid CRS
    std::vector<PointValue> values;
};
struct PointLayer {
    std::string name;
    std::string style_name;  // layer_styles.styleName, e.g. "proposed sites"
    std::vector<PointField> fields;
    std::vector<PointFeature> features;
};
// A single-symbol circle marker style (QML and SLD) for a point layer.
std::string point_style_qml();
std::string point_style_sld(const std::string& layer_name);

GapFiles gap_polygon_files(const analysis::GapResult& gaps,
                           const std::vector<std::string>& region_names,
                           const std::vector<std::string>& group_names,
                           const std::vector<PointLayer>& point_layers = {});

}  // namespace grenzfunk::report
