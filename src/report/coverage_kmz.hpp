// The planner's Google Earth file "coverage.kmz" (separate from the regulator package's
// border_overlay.kmz): KML 2.2 (OGC 07-147r2) with
//   - ground overlays (PNG in EPSG:4326, warped with GDAL): the best received level on the
//     level classes of the run's .qml (io::automatic_style "dBm"), and one per technology with
//     its coverage classes (hidden at first);
//   - the gap polygons (gaps.geojson) in a folder, coloured per status
//     (report::gap_status_styles);
//   - one placemark per site (a pin) whose balloon lists every cell of the site (cell id,
//     technology, frequency, bandwidth, EIRP, height, azimuth, tilts, pattern), and per sector a
//     wedge: azimuth +- half the horizontal beamwidth, `sector_radius_m` long (500 m); an omni
//     cell gets a circle. The beamwidth is the number in the pattern name ("3gpp-65" -> 65 deg),
//     else 65 deg;
//   - a legend (ScreenOverlay) with the level classes, a small PNG drawn here.
// The zip has fixed timestamps (report::zip_archive) and the PNGs no time: equal inputs give equal
// bytes, whatever the thread count.
#pragma once

#include <string>
#include <vector>

#include "core/cell.hpp"
#include "core/grid.hpp"
#include "io/geotiff_writer.hpp"

namespace grenzfunk::report {

struct CoverageKmzClassLayer {
    std::string name;                               // "LTE coverage classes"
    const Raster<std::uint8_t>* classes = nullptr;  // grid CRS; values not in the legend: clear
    std::vector<io::ByteCategory> legend;
};

struct CoverageKmzInput {
    std::string title;                                // the scenario name
    const Raster<float>* best_level_dbm = nullptr;    // grid CRS, NaN = no value
    std::vector<CoverageKmzClassLayer> class_layers;  // may be empty
    std::string gaps_geojson;                         // RFC 7946 (gap_polygon_files); "" = none
    std::vector<Cell> cells;                          // WGS84 positions
    double sector_radius_m = 500.0;
};

// The KMZ bytes. Throws OutputError when GDAL cannot warp or encode.
std::string coverage_kmz(const CoverageKmzInput& input);

// Horizontal beamwidth (deg) of a pattern name for the sector wedge; 360 for "omni" or "".
double sector_beamwidth_deg(const std::string& antenna_pattern);

}  // namespace grenzfunk::report
