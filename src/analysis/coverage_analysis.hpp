// From composites to the answers planners need: coverage classes and location probability,
// coverage gaps (connected gap pixels with their attributes), distance to the border and
// statistics per zone (country, admin region, distance band). Pure computation on rasters; the
// I/O layer supplies the admin masks and border lines in the grid CRS and writes the results.
//
// Coverage at a location probability: with log-normal location variability of standard
// deviation sigma, the level exceeds a threshold T at p % of the locations of a pixel when the
// median (the prediction) is at least T + sigma * Q^-1(1 - p) (e.g. 1.645 sigma for 95 %). Each
// pixel is judged by its best cell per technology (no macro-diversity gain: conservative).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analysis/composites.hpp"
#include "core/analysis_options.hpp"
#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace grenzfunk::analysis {

// One entry of a coverage-class legend (value, name, colour).
struct ClassLegendEntry {
    std::uint8_t value = 0;
    std::string name;
    std::uint8_t red = 0, green = 0, blue = 0;
};
inline constexpr std::uint8_t kClassNodata = 255;

// Legend of the class raster of one technology: 1..n = threshold k reached at the location
// probability, 0 = none reached. E.g. "LTE RSRP >= -100 dBm at 95 % of locations".
std::vector<ClassLegendEntry> class_legend(Technology technology, const AnalysisOptions& options);
// "RSRP", "SS-RSRP", "RSCP", "RxLev", "level".
const char* metric_name(Technology technology);

struct CoverageMaps {
    // [slot]: class of the pixel's own group's best cell; 0 = no class; 255 outside the mask.
    std::vector<Raster<std::uint8_t>> classes;
    // Per group: 1 where the group covers the pixel (any technology reaches the gap class at the
    // location probability), else 0.
    std::vector<std::vector<std::uint8_t>> covered;
    // Probability (%) that the pixel's own group reaches the gap-class threshold (best
    // technology); NaN outside the mask.
    Raster<float> location_probability_pct;
};

// `location_sigma_db`: optional per-pixel location-variability sigma (dB, e.g. from the pixel's
// land-cover class, docs/land_cover.md), the grid's size; NaN or empty: options.location_sigma_db.
// It sets both the class margin and the location probability of the pixel.
CoverageMaps classify(const Composites& composites, const std::vector<std::uint8_t>& pixel_group,
                      const std::vector<std::uint8_t>& mask, const AnalysisOptions& options,
                      std::span<const float> location_sigma_db = {});

// A border (or any line set) as segments in the grid CRS.
using grenzfunk::Segment;  // core/geometry.hpp

// Distance (km) from each pixel centre inside `mask` to the nearest segment; NaN outside the
// mask or when there are no segments. Uses a Boost.Geometry R-tree.
Raster<float> distance_to_segments_km(const GridSpec& grid, const std::vector<std::uint8_t>& mask,
                                      const std::vector<Segment>& segments);

enum class GapPixel : std::uint8_t { covered = 0, white_spot = 1, neighbour_only = 2 };

struct Gap {
    std::int32_t id = 0;  // 1..n in raster scan order of the gap's first pixel
    std::size_t pixel_count = 0;
    double area_km2 = 0.0;
    double centroid_x_m = 0.0, centroid_y_m = 0.0;  // of the pixel squares (grid CRS)
    float best_level_dbm = 0.0f;                    // strongest level of any cell inside; NaN none
    float best_own_level_dbm = 0.0f;                // of the gap's own country's cells; NaN none
    float best_neighbour_level_dbm = 0.0f;          // of the other countries' cells; NaN none
    std::size_t white_spot_pixels = 0;              // no network covers them
    std::size_t neighbour_only_pixels = 0;          // only the other country's networks cover them
    std::uint8_t group = 0;                         // the country group of the gap's first pixel
    std::string nearest_site_id;                    // nearest site of that group to the centroid
    double nearest_site_distance_km = 0.0;          // NaN if the group has no site
    std::int32_t region = -1;                       // most frequent region index inside (-1 none)
    float min_border_distance_km = 0.0f;            // NaN without a border
    // "white_spot" (no network anywhere), "neighbour_only" (the other country covers all of
    // it) or "partly_neighbour".
    const char* status() const;
};

struct GapResult {
    // Per pixel: GapPixel inside the gap area, 255 outside it. Gaps below the minimum area keep
    // their class here; only `labels`, `gaps` and the statistics leave them out.
    Raster<std::uint8_t> gap_class;
    Raster<std::int32_t> labels;  // id of the retained gap, 0 elsewhere
    std::vector<Gap> gaps;        // retained gaps (area >= min_gap_area_km2)
    std::size_t gaps_below_min_area = 0;
};

// Gap pixels: inside `gap_area`, not covered by their own group. Connected with 4-neighbours
// (the connectivity GDALPolygonize uses by default, so one gap = one polygon). `region` and
// `border_distance_km` may be empty rasters.
GapResult find_gaps(const Composites& composites, const CoverageMaps& maps,
                    const std::vector<std::uint8_t>& gap_area,
                    const std::vector<std::uint8_t>& pixel_group, const AnalysisCells& cells,
                    const Raster<std::int32_t>& region, const Raster<float>& border_distance_km,
                    const AnalysisOptions& options);

// Statistics per zone. Zones: "total"; per country group; per region (region raster index,
// pixels without one in "(no region)"); per country group and distance band when a border
// distance raster is given. Counts are pixels; areas follow from the pixel size.
struct ZoneStatistics {
    std::string kind;  // "total", "country", "region", "distance_band"
    std::string name;
    std::size_t pixels = 0;
    std::vector<std::vector<std::size_t>> class_pixels;  // [slot][class 0..n]
    std::size_t covered_pixels = 0;                      // own group covers (gap criterion)
    std::size_t gap_area_pixels = 0;                     // inside the gap-analysis area
    std::size_t gap_pixels = 0;                          // in retained gaps
    std::size_t white_spot_pixels = 0;                   // in retained gaps
    std::size_t neighbour_only_pixels = 0;               // in retained gaps
    std::vector<double> sinr_median_db;                  // [layer]; NaN without values
    std::vector<std::size_t> sinr_pixels;                // [layer]
    // [layer][k]: median SINR (dB, NaN without values) and pixel count over the zone's pixels
    // where operator Statistics::layer_operators[layer][k] has the layer's strongest cell and
    // that cell covers the pixel (Composites::layer_operator).
    std::vector<std::vector<double>> operator_sinr_median_db;
    std::vector<std::vector<std::size_t>> operator_sinr_pixels;
};

struct Statistics {
    double pixel_area_km2 = 0.0;
    std::vector<Technology> technologies;
    std::vector<std::string> layer_names;
    std::vector<std::vector<std::string>> layer_operators;  // [layer]: operators with cells on it
    std::vector<std::uint8_t> layer_groups;                 // [layer]: Layer::group_mask
    std::vector<std::vector<ClassLegendEntry>> legends;     // [slot]
    std::vector<ZoneStatistics> zones;
};

struct ZoneNames {
    std::vector<std::string> groups = {"home", "neighbour"};  // country names, per group
    std::vector<std::string> regions;                         // region raster index -> name
};

Statistics compute_statistics(const Composites& composites, const CoverageMaps& maps,
                              const GapResult& gaps, const std::vector<std::uint8_t>& mask,
                              const std::vector<std::uint8_t>& gap_area,
                              const std::vector<std::uint8_t>& pixel_group,
                              const Raster<std::int32_t>& region,
                              const Raster<float>& border_distance_km, const ZoneNames& names,
                              const AnalysisCells& cells, const AnalysisOptions& options);

// Table: one row per zone, areas in km2 and shares in % of the zone's area (the classes of a
// technology, "none" included, add up to 100 %). Locale-independent numbers. statistics.json is
// written by the report layer (report/statistics_json.hpp).
std::string statistics_csv(const Statistics& statistics);

// Column-name form of an operator name: lower case, runs of other characters than a-z and 0-9
// as one '_' ("T-Mobile CZ" -> "t_mobile_cz").
std::string operator_slug(const std::string& name);

}  // namespace grenzfunk::analysis
