// Internal pieces of the export package (export_package.cpp, export_report.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/text_format.hpp"
#include "report/package.hpp"

namespace grenzfunk::report::detail {

// Text formatting, independent of the global locale (core/text_format.hpp); NaN gives
// `nan_text`, an empty field by default in the package's tables.
inline std::string fixed(double v, int decimals, std::string_view nan_text = "") {
    return text::format_fixed(v, decimals, nan_text);
}
using text::csv_field;
using text::json_number;
using text::json_string;
std::string html_escape(const std::string& s);

// JSON through nlohmann: `v` rounded to `decimals` digits (the digits text::format_fixed prints,
// as the package did before), or null when not finite (NaN and infinity are no JSON numbers).
nlohmann::ordered_json json_fixed(double v, int decimals);
// The document as text: two-space indent and a final line break. Bytes that are not UTF-8 (a
// Latin-1 site name, say) become U+FFFD instead of throwing.
std::string json_text(const nlohmann::ordered_json& json);

// Grid-CRS points as WGS84 longitude/latitude.
struct LonLat {
    double lon_deg = 0.0, lat_deg = 0.0;
};
class ToLonLat {
  public:
    explicit ToLonLat(const std::string& grid_crs);
    ~ToLonLat();
    LonLat operator()(double x_m, double y_m) const;
    // The other way: WGS84 to the grid CRS; false (NaN) where it cannot be transformed.
    bool to_grid(double lon_deg, double lat_deg, double& x_m, double& y_m) const;

  private:
    struct Impl;
    Impl* impl_;
};

std::string result_word(const analysis::RuleCheck& check);  // PASS, FAIL, NOT COMPUTED

// Report files (text), see export_package.hpp.
std::string report_csv(const BorderPackage& p, const ToLonLat& ll);
std::string sites_csv(const BorderPackage& p);
std::string report_json(const BorderPackage& p, const ToLonLat& ll,
                        const std::vector<std::string>& files);
// The report, self-contained: CSS, the map and the profiles inline (report_figures.hpp).
std::string report_html(const BorderPackage& p, const ToLonLat& ll);
std::string lines_geojson(const BorderPackage& p, const ToLonLat& ll);
// KML document for the KMZ; `overlay_box` = west, south, east, north of the PNG overlay
// (ignored when `overlay_file` is empty).
std::string overlay_kml(const BorderPackage& p, const ToLonLat& ll, const std::string& overlay_file,
                        const double overlay_box[4]);

// The map picture: RGBA pixels of the region (grid CRS) at most `max_size` pixels wide/high.
struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;
};
Image render_map(const BorderPackage& p, int max_size);
// Exceedance (dB) as an RGBA overlay: transparent for NaN and values below -20 dB.
Image colour_exceedance(const Raster<float>& exceedance_db);

}  // namespace grenzfunk::report::detail
