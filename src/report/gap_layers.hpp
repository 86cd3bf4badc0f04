// The coverage gaps as GIS layers for the planner: GeoPackage and GeoJSON.
#pragma once

#include <string>
#include <vector>

#include "analysis/coverage_analysis.hpp"

namespace grenzfunk::report {

// The retained gaps as polygons (GDALPolygonize of the gap labels, 4-connected: one polygon per
// gap, holes kept) with their attributes, encoded as a GeoPackage (grid CRS, layer "gaps") and
// as GeoJSON (RFC 7946, WGS84 longitude/latitude). Returned as file contents for an OutputSet.
struct GapFiles {
    std::string gpkg;
    std::string geojson;
};
GapFiles gap_polygon_files(const analysis::GapResult& gaps,
                           const std::vector<std::string>& region_names,
                           const std::vector<std::string>& group_names);

}  // namespace grenzfunk::report
