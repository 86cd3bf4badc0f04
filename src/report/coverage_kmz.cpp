#include "report/coverage_kmz.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "core/text_format.hpp"
#include "io/raster_style.hpp"
#include "io/xml_writer.hpp"
#include "report/gap_layers.hpp"
#include "report/package.hpp"

namespace grenzfunk::report {

namespace {

using io::XmlWriter;

constexpr double kEarthRadiusM = 6371008.8;  // IUGG mean radius (Moritz 2000)
constexpr double kPi = 3.14159265358979323846;

std::string num(double v, int decimals) {
    return text::format_fixed(v, decimals);
}

// KML colours are aabbggrr (KML 2.2, 16.9 kml:color).
std::string kml_colour(std::uint8_t r, std::uint8_t g, std::uint8_t b, std::uint8_t a) {
    char text[9];
    std::snprintf(text, sizeof text, "%02x%02x%02x%02x", a, b, g, r);
    return text;
}

struct Rgba {
    std::vector<std::uint8_t> pixels;
    int width = 0, height = 0;
};

// West, south, east, north of a north-up EPSG:4326 raster (grid "metres" are degrees here).
std::array<double, 4> box_of(const GridSpec& g) {
    return {g.origin_x_m, g.origin_y_m - g.height * g.pixel_size_m,
            g.origin_x_m + g.width * g.pixel_size_m, g.origin_y_m};
}

// The level classes of io::automatic_style("dBm"): a value takes the first item >= it.
Rgba colour_levels(const Raster<float>& geo, const io::RasterStyle& style) {
    Rgba img;
    img.width = geo.grid.width;
    img.height = geo.grid.height;
    img.pixels.assign(std::size_t(img.width) * std::size_t(img.height) * 4, 0);
    for (std::size_t p = 0; p < geo.values.size(); ++p) {
        const float v = geo.values[p];
        if (std::isnan(v)) continue;
        for (const io::StyleEntry& e : style.entries) {
            if (double(v) <= e.value) {
                std::uint8_t* px = &img.pixels[4 * p];
                px[0] = e.red;
                px[1] = e.green;
                px[2] = e.blue;
                px[3] = std::uint8_t(std::min<int>(e.alpha, 170));  // terrain shows through
                break;
            }
        }
    }
    return img;
}

Rgba colour_classes(const Raster<float>& geo, const std::vector<io::ByteCategory>& legend) {
    Rgba img;
    img.width = geo.grid.width;
    img.height = geo.grid.height;
    img.pixels.assign(std::size_t(img.width) * std::size_t(img.height) * 4, 0);
    std::map<int, const io::ByteCategory*> by_value;
    for (const auto& c : legend) by_value[c.value] = &c;
    for (std::size_t p = 0; p < geo.values.size(); ++p) {
        const float v = geo.values[p];
        if (std::isnan(v)) continue;
        const auto it = by_value.find(int(std::lround(v)));
        if (it == by_value.end()) continue;
        std::uint8_t* px = &img.pixels[4 * p];
        px[0] = it->second->red;
        px[1] = it->second->green;
        px[2] = it->second->blue;
        px[3] = 170;
    }
    return img;
}

// ---- legend picture ----------------------------------------------------------------------

// A 3 x 5 pixel font of the characters the level legend needs (drawn for this file).
const std::map<char, std::array<const char*, 5>>& glyphs() {
    static const std::map<char, std::array<const char*, 5>> g = {
        {'0', {"###", "#.#", "#.#", "#.#", "###"}}, {'1', {".#.", "##.", ".#.", ".#.", "###"}},
        {'2', {"###", "..#", "###", "#..", "###"}}, {'3', {"###", "..#", "###", "..#", "###"}},
        {'4', {"#.#", "#.#", "###", "..#", "..#"}}, {'5', {"###", "#..", "###", "..#", "###"}},
        {'6', {"###", "#..", "###", "#.#", "###"}}, {'7', {"###", "..#", "..#", "..#", "..#"}},
        {'8', {"###", "#.#", "###", "#.#", "###"}}, {'9', {"###", "#.#", "###", "..#", "###"}},
        {'-', {"...", "...", "###", "...", "..."}}, {'<', {"..#", ".#.", "#..", ".#.", "..#"}},
        {'>', {"#..", ".#.", "..#", ".#.", "#.."}}, {'=', {"...", "###", "...", "###", "..."}},
        {'d', {"..#", "..#", "###", "#.#", "###"}}, {'B', {"##.", "#.#", "##.", "#.#", "##."}},
        {'m', {"...", "##.", "###", "#.#", "#.#"}}, {' ', {"...", "...", "...", "...", "..."}},
        {'o', {"...", "###", "#.#", "#.#", "###"}}, {'t', {".#.", "###", ".#.", ".#.", ".##"}},
    };
    return g;
}

void draw_text(Rgba& img, int x, int y, const std::string& text, int scale) {
    const auto& g = glyphs();
    for (const char c : text) {
        const auto it = g.find(c);
        if (it != g.end())
            for (int row = 0; row < 5; ++row)
                for (int col = 0; col < 3; ++col) {
                    if (it->second[std::size_t(row)][col] != '#') continue;
                    for (int dy = 0; dy < scale; ++dy)
                        for (int dx = 0; dx < scale; ++dx) {
                            const int px = x + col * scale + dx, py = y + row * scale + dy;
                            if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
                            std::uint8_t* p = &img.pixels[4 * (std::size_t(py) * img.width + px)];
                            p[0] = p[1] = p[2] = 20;
                            p[3] = 255;
                        }
                }
        x += 4 * scale;
    }
}

// The level classes, strongest on top, each a swatch and its range in dBm.
std::string legend_png(const io::RasterStyle& style) {
    const int scale = 2, row_h = 18, swatch = 28;
    std::vector<std::string> labels;
    const auto& e = style.entries;
    for (std::size_t i = 0; i < e.size(); ++i) {
        if (i == 0)
            labels.push_back("< " + io::style_number(e[0].value));
        else if (std::isinf(e[i].value))
            labels.push_back(">= " + io::style_number(e[i - 1].value));
        else
            labels.push_back(io::style_number(e[i - 1].value) + " - " +
                             io::style_number(e[i].value));
    }
    Rgba img;
    img.width = 150;
    img.height = int(e.size() + 1) * row_h + 8;
    img.pixels.assign(std::size_t(img.width) * std::size_t(img.height) * 4, 0);
    for (std::size_t p = 0; p < img.pixels.size(); p += 4) {
        img.pixels[p] = img.pixels[p + 1] = img.pixels[p + 2] = 255;
        img.pixels[p + 3] = 225;
    }
    draw_text(img, 6, 6, "dBm", scale);
    for (std::size_t i = 0; i < e.size(); ++i) {
        const std::size_t k = e.size() - 1 - i;  // strongest first
        const int y = 6 + int(i + 1) * row_h;
        for (int dy = 0; dy < row_h - 4; ++dy)
            for (int dx = 0; dx < swatch; ++dx) {
                std::uint8_t* p = &img.pixels[4 * (std::size_t(y + dy) * img.width + 6 + dx)];
                p[0] = e[k].red;
                p[1] = e[k].green;
                p[2] = e[k].blue;
                p[3] = 255;
            }
        draw_text(img, 6 + swatch + 8, y + 2, labels[k], scale);
    }
    return encode_png_rgba(img.width, img.height, img.pixels);
}

// ---- geometry ------------------------------------------------------------------------------

// A point `distance_m` from (lat, lon) towards `bearing_deg` on a sphere; at the 500 m of a
// sector wedge the error against the ellipsoid is well below a metre.
void offset(double lat_deg, double lon_deg, double bearing_deg, double distance_m, double& lat_out,
            double& lon_out) {
    const double d = distance_m / kEarthRadiusM, b = bearing_deg * kPi / 180.0;
    const double lat = lat_deg * kPi / 180.0, lon = lon_deg * kPi / 180.0;
    const double lat2 =
        std::asin(std::sin(lat) * std::cos(d) + std::cos(lat) * std::sin(d) * std::cos(b));
    const double lon2 = lon + std::atan2(std::sin(b) * std::sin(d) * std::cos(lat),
                                         std::cos(d) - std::sin(lat) * std::sin(lat2));
    lat_out = lat2 * 180.0 / kPi;
    lon_out = lon2 * 180.0 / kPi;
}

std::string wedge_coordinates(const Cell& c, double radius_m) {
    const double beam = sector_beamwidth_deg(c.antenna_pattern);
    std::string out;
    auto add = [&](double lat, double lon) { out += num(lon, 6) + "," + num(lat, 6) + ",0 "; };
    const bool omni = beam >= 360.0;
    if (!omni) add(c.lat_deg, c.lon_deg);
    const int steps = omni ? 36 : std::max(4, int(std::ceil(beam / 5.0)));
    const double start = omni ? 0.0 : c.azimuth_deg - beam / 2.0;
    const double span = omni ? 360.0 : beam;
    for (int i = 0; i <= steps; ++i) {
        double lat = 0, lon = 0;
        offset(c.lat_deg, c.lon_deg, start + span * double(i) / steps, radius_m, lat, lon);
        add(lat, lon);
    }
    if (!omni) add(c.lat_deg, c.lon_deg);
    out.pop_back();
    return out;
}

std::string ring_coordinates(const nlohmann::json& ring) {
    std::string out;
    for (const auto& p : ring) {
        if (!p.is_array() || p.size() < 2) continue;
        out += num(p[0].get<double>(), 6) + "," + num(p[1].get<double>(), 6) + ",0 ";
    }
    if (!out.empty()) out.pop_back();
    return out;
}

void write_polygon(XmlWriter& x, const nlohmann::json& rings) {
    x.open("Polygon");
    for (std::size_t r = 0; r < rings.size(); ++r) {
        x.open(r == 0 ? "outerBoundaryIs" : "innerBoundaryIs");
        x.open("LinearRing");
        x.leaf("coordinates", ring_coordinates(rings[r]));
        x.close();
        x.close();
    }
    x.close();
}

std::string cell_table(const std::vector<const Cell*>& cells) {
    std::string h =
        "<table border=\"1\" cellpadding=\"2\"><tr><th>cell</th><th>technology</th>"
        "<th>frequency MHz</th><th>bandwidth MHz</th><th>EIRP dBm</th>"
        "<th>height m</th><th>azimuth deg</th><th>tilt mech./el. deg</th>"
        "<th>pattern</th></tr>";
    for (const Cell* c : cells) {
        h += "<tr><td>" + io::xml_escape(c->cell_id) + "</td><td>" +
             technology_name(c->technology) + "</td><td>" + num(c->frequency_mhz, 1) + "</td><td>" +
             num(c->bandwidth_mhz, 1) + "</td><td>" + num(c->eirp_dbm, 1) + "</td><td>" +
             num(c->antenna_height_agl_m, 1) + "</td><td>" + num(c->azimuth_deg, 0) + "</td><td>" +
             num(c->mech_tilt_deg, 1) + " / " + num(c->elec_tilt_deg, 1) + "</td><td>" +
             io::xml_escape(c->antenna_pattern.empty() ? "omni" : c->antenna_pattern) +
             "</td></tr>";
    }
    return h + "</table>";
}

void ground_overlay(XmlWriter& x, const std::string& name, const std::string& href,
                    const std::array<double, 4>& box, bool visible, int draw_order) {
    x.open("GroundOverlay");
    x.leaf("name", name);
    x.leaf("visibility", visible ? "1" : "0");
    x.leaf("drawOrder", std::to_string(draw_order));
    x.open("Icon");
    x.leaf("href", href);
    x.close();
    x.open("LatLonBox");
    x.leaf("north", num(box[3], 6));
    x.leaf("south", num(box[1], 6));
    x.leaf("east", num(box[2], 6));
    x.leaf("west", num(box[0], 6));
    x.close();
    x.close();
}

Raster<float> classes_as_float(const Raster<std::uint8_t>& classes) {
    Raster<float> f(classes.grid, NAN);
    for (std::size_t p = 0; p < classes.values.size(); ++p)
        if (classes.values[p] != classes.nodata) f.values[p] = float(classes.values[p]);
    return f;
}

}  // namespace

double sector_beamwidth_deg(const std::string& antenna_pattern) {
    if (antenna_pattern.empty() || antenna_pattern == "omni") return 360.0;
    // The last run of digits in the name: "3gpp-65" -> 65.
    std::size_t end = antenna_pattern.find_last_of("0123456789");
    if (end == std::string::npos) return 65.0;
    std::size_t begin = end;
    while (begin > 0 && std::isdigit(static_cast<unsigned char>(antenna_pattern[begin - 1])))
        --begin;
    const double beam = std::stod(antenna_pattern.substr(begin, end - begin + 1));
    return beam >= 10.0 && beam <= 360.0 ? beam : 65.0;
}

std::string coverage_kmz(const CoverageKmzInput& in) {
    std::vector<std::pair<std::string, std::string>> entries;
    const io::RasterStyle levels = io::automatic_style(
        "dBm", "best received level", {}, [] { return std::pair<double, double>(NAN, NAN); });

    XmlWriter x;
    x.open("kml", {{"xmlns", "http://www.opengis.net/kml/2.2"}});
    x.open("Document");
    x.leaf("name", "grenzfunk coverage: " + in.title);
    x.leaf("open", "1");
    for (const GapStatusStyle& s : gap_status_styles()) {
        x.open("Style", {{"id", std::string("gap_") + s.status}});
        x.open("LineStyle");
        x.leaf("color", kml_colour(60, 60, 60, 255));
        x.leaf("width", "1");
        x.close();
        x.open("PolyStyle");
        x.leaf("color", kml_colour(s.red, s.green, s.blue, 190));
        x.close();
        x.close();
    }
    x.open("Style", {{"id", "sector"}});
    x.open("LineStyle");
    x.leaf("color", kml_colour(33, 102, 172, 255));
    x.leaf("width", "1.5");
    x.close();
    x.open("PolyStyle");
    x.leaf("color", kml_colour(67, 147, 195, 90));
    x.close();
    x.close();
    x.open("Style", {{"id", "site"}});
    x.open("IconStyle");
    x.leaf("scale", "0.8");
    x.open("Icon");
    x.leaf("href", "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png");
    x.close();
    x.close();
    x.close();

    x.open("Folder");
    x.leaf("name", "Coverage");
    if (in.best_level_dbm) {
        const Raster<float> geo = warp_raster(*in.best_level_dbm, "EPSG:4326", false);
        const Rgba img = colour_levels(geo, levels);
        entries.emplace_back("best_level.png", encode_png_rgba(img.width, img.height, img.pixels));
        ground_overlay(x, "best received level (median, dBm)", "best_level.png", box_of(geo.grid),
                       true, 1);
    }
    for (std::size_t i = 0; i < in.class_layers.size(); ++i) {
        const CoverageKmzClassLayer& layer = in.class_layers[i];
        if (!layer.classes) continue;
        const Raster<float> geo = warp_raster(classes_as_float(*layer.classes), "EPSG:4326", true);
        const Rgba img = colour_classes(geo, layer.legend);
        const std::string file = "classes_" + std::to_string(i + 1) + ".png";
        entries.emplace_back(file, encode_png_rgba(img.width, img.height, img.pixels));
        ground_overlay(x, layer.name, file, box_of(geo.grid), false, 2);
    }
    x.close();

    if (!in.gaps_geojson.empty()) {
        const nlohmann::json gaps = nlohmann::json::parse(in.gaps_geojson);
        x.open("Folder");
        x.leaf("name", "Gaps");
        for (const auto& f : gaps.value("features", nlohmann::json::array())) {
            const auto& props = f["properties"];
            const std::string status = props.value("status", "");
            x.open("Placemark");
            x.leaf("name", "gap " + std::to_string(props.value("gap_id", 0)) + " (" + status + ")");
            x.leaf("description",
                   num(props.value("area_km2", 0.0), 2) + " km2, region " +
                       (props["region"].is_string() ? props["region"].get<std::string>()
                                                    : std::string("-")));
            x.leaf("styleUrl", "#gap_" + status);
            const auto& g = f["geometry"];
            const std::string type = g.value("type", "");
            if (type == "MultiPolygon") {
                x.open("MultiGeometry");
                for (const auto& poly : g["coordinates"]) write_polygon(x, poly);
                x.close();
            } else if (type == "Polygon") {
                write_polygon(x, g["coordinates"]);
            }
            x.close();
        }
        x.close();
    }

    // Sites: cells grouped by site id (first appearance order).
    std::vector<std::string> site_order;
    std::map<std::string, std::vector<const Cell*>> by_site;
    for (const Cell& c : in.cells) {
        const std::string key = c.site_id.empty() ? c.cell_id : c.site_id;
        if (!by_site.count(key)) site_order.push_back(key);
        by_site[key].push_back(&c);
    }
    x.open("Folder");
    x.leaf("name", "Sites");
    for (const std::string& site : site_order) {
        const auto& cells = by_site[site];
        x.open("Placemark");
        x.leaf("name", site);
        x.leaf("description",
               (cells.front()->site_name.empty()
                    ? std::string()
                    : "<b>" + io::xml_escape(cells.front()->site_name) + "</b><br/>") +
                   cell_table(cells));
        x.leaf("styleUrl", "#site");
        x.open("Point");
        x.leaf("coordinates",
               num(cells.front()->lon_deg, 6) + "," + num(cells.front()->lat_deg, 6) + ",0");
        x.close();
        x.close();
    }
    x.close();
    x.open("Folder");
    x.leaf("name", "Sectors (" + num(in.sector_radius_m, 0) + " m)");
    for (const Cell& c : in.cells) {
        x.open("Placemark");
        x.leaf("name", c.cell_id);
        x.leaf("description", cell_table({&c}));
        x.leaf("styleUrl", "#sector");
        x.open("Polygon");
        x.open("outerBoundaryIs");
        x.open("LinearRing");
        x.leaf("coordinates", wedge_coordinates(c, in.sector_radius_m));
        x.close();
        x.close();
        x.close();
        x.close();
    }
    x.close();

    entries.emplace_back("legend.png", legend_png(levels));
    x.open("ScreenOverlay");
    x.leaf("name", "Legend: best received level");
    x.open("Icon");
    x.leaf("href", "legend.png");
    x.close();
    x.empty("overlayXY", {{"x", "0"}, {"y", "0"}, {"xunits", "fraction"}, {"yunits", "fraction"}});
    x.empty("screenXY",
            {{"x", "0.01"}, {"y", "0.06"}, {"xunits", "fraction"}, {"yunits", "fraction"}});
    x.empty("size", {{"x", "0"}, {"y", "0"}, {"xunits", "pixels"}, {"yunits", "pixels"}});
    x.close();

    // doc.kml first: Google Earth opens the first .kml entry of a KMZ.
    entries.insert(entries.begin(), {"doc.kml", x.finish()});
    return zip_archive(entries);
}

}  // namespace grenzfunk::report
