#include "io/raster_style.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "core/text_format.hpp"
#include "io/geotiff_writer.hpp"
#include "io/xml_writer.hpp"

namespace grenzfunk::io {

namespace {

using Rgb = std::array<std::uint8_t, 3>;

// Weak to strong (ColorBrewer RdYlGn, 6 classes, reversed order of the scheme's listing).
constexpr Rgb kWeakToStrong[] = {{215, 48, 39},   {252, 141, 89}, {254, 224, 139},
                                 {217, 239, 139}, {145, 207, 96}, {26, 152, 80}};
constexpr Rgb kBelowLowest = {190, 190, 190};
// Terrain: lowland green, hills yellow and brown, summits light grey.
constexpr Rgb kTerrain[] = {
    {26, 150, 65}, {166, 217, 106}, {255, 255, 191}, {191, 129, 45}, {240, 240, 240}};
// Distance and other sequential values: viridis at 0, 0.25, 0.5, 0.75, 1.
constexpr Rgb kSequential[] = {
    {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
// Path loss: small loss (strong signal) green to large loss dark purple.
constexpr Rgb kLoss[] = {
    {26, 152, 80}, {217, 239, 139}, {253, 174, 97}, {215, 48, 39}, {84, 39, 136}};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}

StyleEntry entry(double value, std::string label, const Rgb& c, std::uint8_t alpha = 255) {
    return {value, std::move(label), c[0], c[1], c[2], alpha};
}

std::string with_unit(double v, std::string_view unit) {
    std::string s = style_number(v);
    if (!unit.empty()) {
        s += ' ';
        s.append(unit);
    }
    return s;
}

// A linear ramp of `colours` spread evenly over [lo, hi].
template <std::size_t N>
RasterStyle linear_ramp(double lo, double hi, const Rgb (&colours)[N], std::string_view unit,
                        std::string description) {
    RasterStyle s;
    s.renderer = StyleRenderer::pseudocolor;
    s.ramp = RampType::interpolated;
    if (!(hi > lo)) hi = lo + 1.0;
    for (std::size_t i = 0; i < N; ++i) {
        const double v = lo + (hi - lo) * double(i) / double(N - 1);
        s.entries.push_back(entry(v, with_unit(v, unit), colours[i]));
    }
    s.description = std::move(description);
    return s;
}

}  // namespace

std::string hex_colour(std::uint8_t red, std::uint8_t green, std::uint8_t blue) {
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", red, green, blue);
    return text;
}

std::string style_number(double value) {
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    for (int decimals = 0; decimals < 3; ++decimals) {
        const double scale = std::pow(10.0, decimals);
        if (std::abs(std::round(value * scale) / scale - value) < 1e-3 * std::abs(1.0 / scale))
            return text::format_fixed(value, decimals);
    }
    return text::format_fixed(value, 3);
}

RasterStyle class_style(const std::vector<ByteCategory>& categories) {
    RasterStyle s;
    s.renderer = StyleRenderer::paletted;
    for (const auto& c : categories)
        s.entries.push_back({double(c.value), c.name, c.red, c.green, c.blue, 255});
    std::sort(s.entries.begin(), s.entries.end(),
              [](const StyleEntry& a, const StyleEntry& b) { return a.value < b.value; });
    s.description = "the raster's classes (its legend)";
    return s;
}

RasterStyle threshold_style(std::vector<double> thresholds, std::string_view unit,
                            std::string_view what) {
    std::sort(thresholds.begin(), thresholds.end());
    thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
    RasterStyle s;
    s.renderer = StyleRenderer::pseudocolor;
    s.ramp = RampType::discrete;
    if (thresholds.empty()) return s;
    const std::size_t n = thresholds.size();
    s.entries.push_back(
        entry(thresholds[0], "< " + with_unit(thresholds[0], unit), kBelowLowest, 160));
    constexpr std::size_t colours = std::size(kWeakToStrong);
    for (std::size_t k = 0; k < n; ++k) {
        // Class k: thresholds[k] <= value < thresholds[k + 1], weak (red) to strong (green).
        const std::size_t c = n == 1 ? colours - 1 : (k * (colours - 1) + (n - 1) / 2) / (n - 1);
        const double upper = k + 1 < n ? thresholds[k + 1] : INFINITY;
        const std::string label =
            k + 1 < n ? style_number(thresholds[k]) + " to " + with_unit(thresholds[k + 1], unit)
                      : ">= " + with_unit(thresholds[k], unit);
        s.entries.push_back(entry(upper, label, kWeakToStrong[c]));
    }
    std::string d(what);
    d += ": classes at the thresholds";
    for (double t : thresholds) d += ' ' + with_unit(t, unit);
    d += " (below the lowest: grey, half transparent)";
    s.description = std::move(d);
    return s;
}

RasterStyle index_style(const std::vector<std::string>& labels) {
    RasterStyle s;
    s.renderer = StyleRenderer::paletted;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        // Hue steps of the golden angle (137.5 deg): neighbouring indices differ clearly.
        const double hue = std::fmod(double(i) * 137.508, 360.0) / 60.0;
        const double x = 1.0 - std::abs(std::fmod(hue, 2.0) - 1.0);
        double r = 0, g = 0, b = 0;
        switch (int(hue)) {
            case 0:
                r = 1, g = x;
                break;
            case 1:
                r = x, g = 1;
                break;
            case 2:
                g = 1, b = x;
                break;
            case 3:
                g = x, b = 1;
                break;
            case 4:
                r = x, b = 1;
                break;
            default:
                r = 1, b = x;
                break;
        }
        // Value 0.85, saturation 0.75: readable on a map.
        auto channel = [](double v) {
            return std::uint8_t(std::lround(255.0 * 0.85 * (0.25 + 0.75 * v)));
        };
        s.entries.push_back({double(i), labels[i], channel(r), channel(g), channel(b), 255});
    }
    s.description = "one colour per index (golden-angle hue steps)";
    return s;
}

RasterStyle automatic_style(std::string_view unit, std::string_view band_description,
                            const std::vector<ByteCategory>& categories,
                            const std::function<std::pair<double, double>()>& value_range) {
    if (!categories.empty()) return class_style(categories);
    const std::string u = lower(unit);
    const std::string what = lower(band_description);
    const auto has = [&](const char* word) { return what.find(word) != std::string::npos; };
    if (u == "dbm")
        return threshold_style({-120, -110, -100, -90, -80, -70}, "dBm",
                               has("rsrp") ? "RSRP" : "received level");
    if (u == "dbuv/m" || u == "dbµv/m")
        return threshold_style({20, 30, 40, 50, 60, 70}, "dBuV/m", "field strength");
    if (u == "db" && has("sinr")) return threshold_style({-5, 0, 5, 10, 15, 20}, "dB", "SINR");
    if (u == "db" && has("exceed")) {
        // Diverging: below the limit blue (margin), above it red (exceeded); 0 dB = the limit.
        RasterStyle s;
        s.renderer = StyleRenderer::pseudocolor;
        s.ramp = RampType::discrete;
        s.entries = {entry(-10, "< -10 dB (well below the limit)", {69, 117, 180}, 200),
                     entry(-3, "-10 to -3 dB", {145, 191, 219}, 200),
                     entry(0, "-3 to 0 dB (limit kept)", {224, 243, 248}, 200),
                     entry(3, "0 to 3 dB (exceeded)", {253, 174, 97}),
                     entry(10, "3 to 10 dB", {244, 109, 67}),
                     entry(INFINITY, ">= 10 dB", {165, 0, 38})};
        s.description = "field strength minus limit: blue kept, red exceeded; break at 0 dB";
        return s;
    }
    if (u == "db" && has("loss"))
        return linear_ramp(80.0, 200.0, kLoss, "dB", "basic transmission loss 80 to 200 dB");
    if (u == "%") return threshold_style({50, 70, 90, 95, 99}, "%", "location probability");
    const auto [lo, hi] = value_range();
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {StyleRenderer::none, {}, {}, {}};
    if (u == "m")
        return linear_ramp(lo, hi, kTerrain, "m", "terrain elevation, minimum to maximum");
    return linear_ramp(lo, hi, kSequential, unit, "viridis over the raster's minimum to maximum");
}

std::string qml_text(const RasterStyle& style, std::string_view layer_note) {
    XmlWriter x(false);
    x.raw_line("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>");
    std::string comment = " grenzfunk layer style: ";
    comment.append(layer_note);
    comment += ". ";
    comment += style.description;
    comment += ' ';
    // "--" may not appear inside an XML comment.
    for (std::size_t p; (p = comment.find("--")) != std::string::npos;) comment.replace(p, 2, "- ");
    x.raw_line("<!--" + xml_escape(comment) + "-->");
    x.open("qgis", {{"version", "3.28.0-Firenze"},
                    {"styleCategories", "AllStyleCategories"},
                    {"hasScaleBasedVisibilityFlag", "0"},
                    {"minScale", "1e+08"},
                    {"maxScale", "0"}});
    x.open("pipe");
    const bool paletted = style.renderer == StyleRenderer::paletted;
    XmlWriter::Attributes renderer = {{"type", paletted ? "paletted" : "singlebandpseudocolor"},
                                      {"band", "1"},
                                      {"opacity", "1"},
                                      {"alphaBand", "-1"},
                                      {"nodataColor", ""}};
    double lo = 0, hi = 0;
    if (!style.entries.empty()) {
        lo = style.entries.front().value;
        hi = style.entries.back().value;
        // A discrete ramp's last item may be +inf; the classification range ends at the last
        // finite break.
        for (const auto& e : style.entries)
            if (std::isfinite(e.value)) hi = e.value;
    }
    if (!paletted) {
        renderer.emplace_back("classificationMin", style_number(lo));
        renderer.emplace_back("classificationMax", style_number(hi));
    }
    x.open("rasterrenderer", renderer);
    x.empty("rasterTransparency");
    x.open("minMaxOrigin");
    x.leaf("limits", "None");  // user-defined range: QGIS keeps the breaks given here
    x.leaf("extent", "WholeRaster");
    x.leaf("statAccuracy", "Estimated");
    x.leaf("cumulativeCutLower", "0.02");
    x.leaf("cumulativeCutUpper", "0.98");
    x.leaf("stdDevFactor", "2");
    x.close();
    auto attributes = [](const StyleEntry& e) -> XmlWriter::Attributes {
        return {{"value", style_number(e.value)},
                {"color", hex_colour(e.red, e.green, e.blue)},
                {"alpha", std::to_string(e.alpha)},
                {"label", e.label}};
    };
    if (paletted) {
        x.open("colorPalette");
        for (const auto& e : style.entries) x.empty("paletteEntry", attributes(e));
        x.close();
    } else {
        x.open("rastershader");
        x.open("colorrampshader",
               {{"colorRampType", style.ramp == RampType::discrete ? "DISCRETE" : "INTERPOLATED"},
                {"classificationMode", "1"},  // continuous: the items are the user's breaks
                {"clip", "0"},
                {"minimumValue", style_number(lo)},
                {"maximumValue", style_number(hi)}});
        for (const auto& e : style.entries) x.empty("item", attributes(e));
        x.close();
        x.close();
    }
    x.close();  // rasterrenderer
    x.empty("brightnesscontrast", {{"brightness", "0"}, {"contrast", "0"}, {"gamma", "1"}});
    x.empty("rasterresampler", {{"maxOversampling", "2"}});
    x.close();  // pipe
    x.leaf("blendMode", "0");
    return x.finish();
}

std::string pam_category_xml(const std::vector<ByteCategory>& categories) {
    int max_value = -1;
    for (const auto& c : categories) max_value = std::max(max_value, int(c.value));
    std::vector<std::string> names(std::size_t(max_value + 1));
    for (const auto& c : categories) names[c.value] = c.name;
    XmlWriter x(false);
    x.open("PAMDataset");
    x.open("PAMRasterBand", {{"band", "1"}});
    x.leaf("ColorInterp", "Palette");
    x.open("CategoryNames");
    for (const auto& name : names) x.leaf("Category", name);
    x.close();
    // Values without a category: transparent black.
    std::vector<std::array<int, 4>> colours(names.size(), {0, 0, 0, 0});
    for (const auto& c : categories) colours[c.value] = {c.red, c.green, c.blue, 255};
    x.open("ColorTable");
    for (const auto& c : colours)
        x.empty("Entry", {{"c1", std::to_string(c[0])},
                          {"c2", std::to_string(c[1])},
                          {"c3", std::to_string(c[2])},
                          {"c4", std::to_string(c[3])}});
    return x.finish();
}

}  // namespace grenzfunk::io
