// The report's figures as device-independent drawings, emitted as inline SVG for the HTML
// report and drawn onto the PDF's pages (report_pdf.cpp): one drawing, two outputs, the same
// picture. Coordinates in points (1/72 inch), origin top left, y down.
//
//   map_figure       the region: the map picture (render_map) with graticule and labels in WGS84
//                    degrees, scale bar, true-north arrow, CRS label, legend in dBµV/m and dB,
//                    site labels and the data attributions.
//   profile_figure   one failed check: the terrain from the site to its worst point (Earth
//                    curvature for k = 4/3 added to the heights), the line of sight from the
//                    antenna to the receiver height and the field strength there.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "report/package_internal.hpp"

namespace grenzfunk::report::detail {

struct Colour {
    std::uint8_t r = 0, g = 0, b = 0;
};

struct FigPath {
    std::vector<std::array<double, 2>> points;
    bool closed = false;
    std::optional<Colour> fill;
    std::optional<Colour> stroke = Colour{};
    double width = 1.0;
    double dash = 0.0;  // on/off length; 0 = solid
};

enum class Anchor { start, middle, end };

struct FigText {
    double x = 0.0, y = 0.0;  // baseline position
    std::string text;         // UTF-8
    double size = 8.0;
    Anchor anchor = Anchor::start;
    Colour colour;
    bool bold = false;
    bool halo = false;        // white outline, for labels on the map
    double rotate_deg = 0.0;  // counter-clockwise
};

struct FigImage {
    double x = 0.0, y = 0.0, width = 0.0, height = 0.0;
    Image image;  // RGBA (alpha ignored: the map is opaque)
};

struct Figure {
    double width = 0.0, height = 0.0;
    std::string description;  // alt text / title
    std::vector<std::variant<FigPath, FigText, FigImage>> items;

    void line(std::vector<std::array<double, 2>> pts, Colour c, double w, double dash = 0.0);
    void rect(double x, double y, double w, double h, std::optional<Colour> fill,
              std::optional<Colour> stroke, double stroke_width = 0.5);
    void text(double x, double y, std::string s, double size, Anchor a = Anchor::start,
              Colour c = {}, bool bold = false);
};

// The map's colour ramps (report_render.cpp), for the legend.
Colour legend_coverage_colour(double field_dbuv_per_m);
Colour legend_exceedance_colour(double exceedance_db);
// The rule's model name (its registry name) or the rule's model key.
std::string model_name_of(const BorderPackage& p, std::size_t rule);

// <svg> element (no XML declaration), images as data:image/png;base64 URIs.
std::string figure_svg(const Figure& f);
std::string base64(std::string_view bytes);

Figure map_figure(const BorderPackage& p, const ToLonLat& ll,
                  const std::vector<std::string>& attribution_lines);

// The check each failing cell is shown with: its worst (smallest margin) failed check.
std::vector<std::size_t> profile_checks(const BorderPackage& p);
// The field strength (dBuV/m, in the rule's reference bandwidth) at `points` equally spaced
// points from the site to the check's worst point (the last is the worst point), computed as the
// check does (the rule's model over the engine's path, antenna gain, bandwidth normalisation:
// analysis::border_field_dbuv_per_m). Pairs of (distance m, field); NaN where not computable;
// empty without the rule's model or the terrain.
std::vector<std::array<double, 2>> field_along_path(const BorderPackage& p, std::size_t check,
                                                    int points);
// Empty figure (width 0) when the terrain is missing or the path cannot be built.
Figure profile_figure(const BorderPackage& p, std::size_t check);

}  // namespace grenzfunk::report::detail
