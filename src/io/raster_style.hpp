// How a GIS should draw a result raster, and the side-car files that tell it: a QGIS layer style
// ("<name>.qml" beside "<name>.tif", which QGIS loads as the layer's default style) and, for
// class rasters, GDAL's PAM side-car ("<name>.tif.aux.xml") with the category names.
//
// The style is decided by the product that writes the raster (a class legend, the coverage
// thresholds) or, when the product leaves it `automatic`, from the raster's unit and band
// description (docs/outputs.md lists the ramps): dBm levels, dBuV/m field strengths, dB SINR /
// path loss / exceedance, m terrain, km distance, % probability. Nothing here knows file names.
//
// QML structure (QGIS 3 raster layer style, as QGIS writes it: qgis/QGIS
// src/core/raster/qgspalettedrasterrenderer.cpp and qgssinglebandpseudocolorrenderer.cpp):
//   <qgis><pipe><rasterrenderer type="paletted" band="1"><colorPalette>
//     <paletteEntry value= color= alpha= label=/>...
//   <qgis><pipe><rasterrenderer type="singlebandpseudocolor" band="1" classificationMin= ...>
//     <rastershader><colorrampshader colorRampType="DISCRETE|INTERPOLATED">
//       <item value= color= alpha= label=/>...
// Nodata pixels are transparent: QGIS draws a band's nodata value transparent unless told
// otherwise (nodataColor="" keeps it so), and the class lists never contain the nodata value.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace grenzfunk::io {

struct ByteCategory;

// One palette entry (paletted) or colour-ramp item (pseudocolour).
struct StyleEntry {
    double value = 0.0;  // class value; for a ramp the item's value (ascending)
    std::string label;
    std::uint8_t red = 0, green = 0, blue = 0, alpha = 255;
};

enum class StyleRenderer {
    automatic,    // from the categories, else from the unit and description (see above)
    none,         // no .qml side-car
    paletted,     // one colour per class value
    pseudocolor,  // a colour ramp over a continuous value
};

enum class RampType {
    interpolated,  // colours blend linearly between the items
    discrete,      // a value takes the colour of the first item whose value is >= it
};

struct RasterStyle {
    StyleRenderer renderer = StyleRenderer::automatic;
    RampType ramp = RampType::interpolated;
    std::vector<StyleEntry> entries;  // ascending by value
    std::string description;          // what the ramp shows and why those breaks (QML comment)
};

// ---- products' styles --------------------------------------------------------------------

// The class legend as a paletted style (values, colours and names of the categories).
RasterStyle class_style(const std::vector<ByteCategory>& categories);
// Discrete classes of a received level, RSRP or field strength at the given thresholds
// (ascending or not): below the lowest threshold grey, then red -> dark green, so that a class
// boundary of the map is a coverage threshold. `unit` goes into the labels ("dBm").
RasterStyle threshold_style(std::vector<double> thresholds, std::string_view unit,
                            std::string_view what);
// A paletted style for index rasters (best server): one entry per index with its label and a
// colour that differs from its neighbours' (golden-angle hue steps).
RasterStyle index_style(const std::vector<std::string>& labels);

// ---- automatic style -----------------------------------------------------------------------

// The style a raster gets when its product did not choose one. `value_range` gives the finite
// minimum and maximum of the raster's values (not nodata); it is called only when the ramp
// depends on the data (terrain, distance, unknown units). Returns renderer none when there is
// nothing sensible to draw (a raster without any value).
RasterStyle automatic_style(std::string_view unit, std::string_view band_description,
                            const std::vector<ByteCategory>& categories,
                            const std::function<std::pair<double, double>()>& value_range);

// ---- side-car text -------------------------------------------------------------------------

// The QGIS layer style (.qml) of a paletted or pseudocolour style; `layer_note` (the band
// description) is written as an XML comment. Well-formed UTF-8 XML.
std::string qml_text(const RasterStyle& style, std::string_view layer_note);
// GDAL's PAM side-car of a class raster: colour interpretation "Palette", the category names
// and the colour table, both indexed by value from 0 to the highest category value (values
// without a category get an empty name and a transparent entry). GDAL reads them as the band's
// category list and colour table (gdalinfo prints "Categories:" and "Color Table (RGB with
// <highest + 1> entries)").
std::string pam_category_xml(const std::vector<ByteCategory>& categories);

// "#rrggbb".
std::string hex_colour(std::uint8_t red, std::uint8_t green, std::uint8_t blue);
// A number as the shortest of "%.0f" .. "%.3f" that keeps its value to 1e-3 ("-110", "2.5").
std::string style_number(double value);

}  // namespace grenzfunk::io
