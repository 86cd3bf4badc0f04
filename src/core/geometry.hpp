// Plain geometry in a projected CRS (metres): what the readers return (admin outlines, border
// segments) and the analysis works on. Here in core so that the readers need no analysis code.
#pragma once

#include <cstdint>
#include <vector>

namespace grenzfunk {

struct XY {
    double x_m = 0.0;
    double y_m = 0.0;
};

using Polyline = std::vector<XY>;

// One ring of a polygon (closed implicitly or explicitly) with, per edge i (vertex i to i+1),
// whether it is a clipping artefact rather than a real border.
struct OutlineRing {
    std::vector<XY> points;
    std::vector<std::uint8_t> edge_is_artificial;  // empty = no edge is
};

// A polygon: outer ring first, then holes. Orientation does not matter (normalised inside).
struct OutlinePolygon {
    std::vector<OutlineRing> rings;
};

// A straight piece of a line (a border edge), for distance fields.
struct Segment {
    double x0_m = 0.0, y0_m = 0.0, x1_m = 0.0, y1_m = 0.0;
};

}  // namespace grenzfunk
