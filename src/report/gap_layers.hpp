// The coverage gaps as GIS layers for the planner: GeoPackage and GeoJSON.
#pragma once

#include <cstdint>
#include <string>
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

GapFiles gap_polygon_files(const analysis::GapResult& gaps,
                           const std::vector<std::string>& region_names,
                           const std::vector<std::string>& group_names);

}  // namespace grenzfunk::report
