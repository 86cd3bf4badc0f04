// The regulator's export package of a cross-border check: one folder with
//   exceedance_db.tif                     field strength minus limit (max over cells), COG
//   coverage_field_strength_dbuv_per_m.tif  the run's strongest field strength, COG
//   border_report.csv / border_sites.csv  one row per cell and rule / per site
//   border_report.json                    everything, machine-readable
//   border_report.html                    the report, self-contained (inline SVG, CSS), print CSS
//   border_report.pdf                     the same report as an A4 PDF (report_pdf.hpp)
//   border_map.png                        the map's picture alone
//   border_lines.geojson                  the border and distance lines, worst points (WGS84)
//   border_overlay.kmz                    Google Earth overlay (exceedance, lines, sites)
//   station_records.csv / station_records.txt  per home cell the data of a coordination record
//                                         (CSV, and fixed-width records: station_records.hpp)
//   manifest.json                         every file with its size and SHA-256, and the inputs
//   <raster>.qml                          QGIS style of each GeoTIFF (io/raster_style.hpp)
// GeoTIFFs are reprojected (GDAL warp) to the regulator's CRS and carry the software version,
// scenario, models and parameters, the SHA-256 of every input file and the creation time in
// their metadata. Nothing depends on the clock, the machine or the thread count: the same inputs
// give a byte-identical package (the KMZ is a zip with fixed timestamps; PNGs carry no time).
//
// The files are added to the run's OutputSet: they appear, with the run's other outputs, only
// when every file is complete, and replace only a previous run's package (io/output_folder.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/border_check.hpp"
#include "analysis/border_geometry.hpp"
#include "analysis/border_rules.hpp"
#include "core/grid.hpp"
#include "core/preferential_codes.hpp"
#include "io/checksum.hpp"
#include "io/geotiff_writer.hpp"
#include "propagation/model.hpp"
#include "terrain/terrain.hpp"

namespace grenzfunk::report {

struct PackageInput {
    std::string role;    // "terrain", "sites", "border outline", "rules", "scenario"
    std::string path;    // as recorded: relative to the scenario file's folder
    std::string sha256;  // of the file's bytes
};

struct BorderPackage {
    std::string software;  // "grenzfunk 0.1.0"
    std::string scenario_name;
    std::string scenario_file;  // as recorded (file name)
    std::string scenario_sha256;
    std::string creation_time;  // recorded verbatim; "" = "not given"
    std::string home_country = "DE";
    std::string neighbour_country = "CZ";
    std::vector<PackageInput> inputs;
    // Document control (scenario [export]; defaults in io::ExportOptions).
    std::string applicant = "not stated";
    std::string document_version = "1";
    std::vector<std::string> extra_attributions;  // export.attributions
    // Coverage run settings (model, parameters, receiver height...), written as GeoTIFF tags.
    std::map<std::string, std::string> coverage_metadata;

    std::string grid_crs;                   // CRS of every geometry and raster below
    std::string export_crs = "EPSG:25832";  // rasters are reprojected to this one
    bool kmz = true;
    double sample_spacing_m = 100.0;
    double max_path_km = 100.0;

    const std::vector<analysis::BorderCell>* cells = nullptr;
    const std::vector<analysis::BorderRule>* rules = nullptr;
    std::vector<std::string> rule_models;  // per rule: "p1546 (param=value; ...)"
    // Per rule: the model's reference() (propagation/model.hpp), for the method statement.
    std::vector<std::string> rule_model_references;
    const analysis::BorderReport* report = nullptr;
    const analysis::BorderGeometry* geometry = nullptr;
    const Raster<float>* exceedance_db = nullptr;              // may be null
    const Raster<float>* coverage_field_dbuv_per_m = nullptr;  // may be null
    // Why the comparison with the other method is missing, when it is (else empty).
    std::string compare_note;
    // The preferential codes of the pair (null = none given), and per cell the terrain height
    // at the site (m above sea level; NaN off the terrain), for the station records.
    const PreferentialCodes* code_pair = nullptr;
    std::vector<double> site_ground_asl_m;
    // Per rule: its model (as the check ran it), for the field strength along the profiles;
    // empty = profiles without the field-strength curve.
    std::vector<const propagation::PropagationModel*> rule_model_ptrs;
    // The run's terrain, for the report's path profiles; null = no profiles.
    const terrain::TerrainModel* terrain = nullptr;
};

struct PackageFile {
    std::string name;   // relative to the package folder
    std::string holds;  // as its manifest describes it
};

// Adds the package's files under `directory` (inside one of the set's folders) to `outputs`.
// Returns the file names. Throws InputError for an unknown export CRS, OutputError when writing
// fails (the set is then spent and leaves nothing behind).
std::vector<PackageFile> write_border_package(io::OutputSet& outputs,
                                              const std::filesystem::path& directory,
                                              const BorderPackage& package);

// Building blocks, exposed for tests.

// Reprojects a raster with GDAL warp (nearest neighbour for `nearest`, else bilinear) onto a
// north-up grid in `target_crs` aligned to multiples of the pixel size (same size in metres,
// or its equivalent in degrees, 1 degree = 111 320 m, for a geographic CRS). NaN is nodata.
// Returns a copy when the CRS is the same.
Raster<float> warp_raster(const Raster<float>& source, const std::string& target_crs, bool nearest);

// A zip archive of the entries in the given order, each deflated (zlib, level 9) unless that
// does not make it smaller (PNGs), then stored, all dated 1980-01-01 00:00 (the earliest DOS
// date): the same entries give the same bytes (with the same zlib).
std::string zip_archive(const std::vector<std::pair<std::string, std::string>>& entries);

// PNG bytes of an RGBA image (row-major, 4 bytes per pixel), written by GDAL's PNG driver
// without georeferencing or metadata.
std::string encode_png_rgba(int width, int height, const std::vector<std::uint8_t>& rgba);

}  // namespace grenzfunk::report
