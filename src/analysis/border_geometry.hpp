// Border geometry for the cross-border coordination check: the national border inside the
// scenario region, and the lines at fixed distances inside the neighbouring country where the
// coordination field-strength limits apply, sampled at a fixed spacing.
//
// Everything is in the projected grid CRS (metres). Pure computation with Boost.Geometry; the
// I/O layer (io/border_admin.hpp) reads the home country's outline and transforms it.
//
// Definitions (the sample data follow the BKG recommendation: the official German outline is
// the border, and inside the region everything outside it is the neighbour country):
//   home territory        the home country's polygons (e.g. Germany, BKG VG2500).
//   neighbour territory   region minus home territory.
//   border line (0 km)    the home outline's edges inside the region, without the edges that
//                         are only artefacts of clipping the admin data to a box (flagged by
//                         the reader: both ends on the same side of the data's bounding box).
//   line at D km          the points of the neighbour territory at distance D from the home
//                         territory: the outline of the home territory buffered by D (round
//                         joins), intersected with the neighbour territory.
// Caveat: the home outline is clipped to the admin data's box, so near the box's edges the
// distance to the home territory can be larger than to the real (unclipped) country.
#pragma once

#include <cstdint>
#include <vector>

#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace grenzfunk::analysis {

using grenzfunk::OutlinePolygon;  // core/geometry.hpp
using grenzfunk::OutlineRing;
using grenzfunk::Polyline;
using grenzfunk::XY;

struct BorderSample {
    XY point;
    std::uint32_t part = 0;   // index into BorderLine::parts
    double chainage_m = 0.0;  // distance along that part from its start
};

struct BorderLine {
    double distance_m = 0.0;      // into the neighbour territory; 0 = the border itself
    std::vector<Polyline> parts;  // in a deterministic order
    std::vector<BorderSample> samples;
    double length_m = 0.0;
};

struct BorderGeometryOptions {
    std::vector<double> distances_m = {0.0};
    double sample_spacing_m = 100.0;
    int points_per_circle = 72;  // buffer round joins
};

// Shapes used by the check and the exceedance raster, prepared once.
class BorderGeometry {
  public:
    // `home`: the home country's polygons; `region`: the scenario region (one ring).
    // Throws std::invalid_argument for empty inputs or a non-positive sample spacing.
    BorderGeometry(const std::vector<OutlinePolygon>& home, const std::vector<XY>& region,
                   const BorderGeometryOptions& options);
    ~BorderGeometry();
    BorderGeometry(BorderGeometry&&) noexcept;
    BorderGeometry& operator=(BorderGeometry&&) noexcept;

    const std::vector<BorderLine>& lines() const { return lines_; }
    // The line at `distance_m` (exact match within 1 mm), or nullptr.
    const BorderLine* line_at(double distance_m) const;

    // True when the point lies in the neighbour territory (inside the region, outside home).
    bool in_neighbour_territory(double x_m, double y_m) const;
    // Per pixel centre of `grid`: 0 outside the region, 1 home territory, 2 neighbour territory.
    // A scanline fill (even-odd rule), much faster than a point query per pixel.
    std::vector<std::uint8_t> territory_mask(const GridSpec& grid) const;
    // True when the point lies inside the region.
    bool in_region(double x_m, double y_m) const;
    // Distance from the point to the home territory (0 inside it).
    double distance_to_home_m(double x_m, double y_m) const;
    // The region's bounding box: min x, min y, max x, max y.
    void region_bounds(double& min_x, double& min_y, double& max_x, double& max_y) const;
    // Home territory outline rings clipped to the region, for drawing (real border edges only
    // when `border_only`).
    const std::vector<Polyline>& border_edges() const { return border_edges_; }

  private:
    struct Impl;
    Impl* impl_ = nullptr;
    std::vector<BorderLine> lines_;
    std::vector<Polyline> border_edges_;
};

// Equally spaced points along a polyline: the start, every `spacing_m` of chainage, and the
// end point (if it is more than 1 % of the spacing beyond the last regular sample).
std::vector<BorderSample> sample_polyline(const Polyline& line, double spacing_m,
                                          std::uint32_t part_index);

double polyline_length_m(const Polyline& line);

}  // namespace grenzfunk::analysis
