// The scenario file: one TOML document describing a batch run. See docs/scenario.md for the
// format; every key carries its unit in its name and has a default unless marked required.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/analysis_options.hpp"
#include "core/engine_kind.hpp"
#include "core/parameters.hpp"
#include "io/land_cover_table.hpp"

namespace grenzfunk::io {

struct SitesSource {
    std::string path;        // resolved (relative paths are relative to the scenario file)
    std::string format;      // "grenzfunk" or "opencellid"
    ParameterSet overrides;  // importer defaults overridden by the scenario
    std::string where;       // "scenario.toml:17" of the [[sites]] entry
};

struct OutputOptions {
    std::string directory;  // resolved; "" = the CLI decides (--output)
    bool best_level = true;
    bool best_server = true;
    bool field_strength = true;
    bool terrain = true;
    bool path_loss_per_cell = false;
    bool coverage_kmz = true;  // coverage.kmz for Google Earth (written with [analysis])
};

// [border]: the cross-border coordination check (docs/border.md). Present = enabled.
struct BorderOptions {
    bool enabled = false;
    std::string where;                // file:line of the [border] table
    std::string home_file;            // resolved; the home country's outline (official border)
    std::string home_filter;          // OGR attribute filter selecting the home features; "" = all
    std::string home_country = "DE";  // cells with this country code are checked
    std::string neighbour_country = "CZ";  // name of the neighbour, for the report
    std::string rules_file;                // resolved; the rules (data/rules/cept_mfcn_border.toml)
    // resolved; the preferential codes (data/rules/preferential_codes.toml); "" = none, every
    // cell is then held to the rules of both code classes
    std::string codes_file;
    std::vector<double> distances_km = {0.0, 6.0, 15.0};  // lines drawn; rule distances added
    double sample_spacing_m = 100.0;
    double max_path_km = 100.0;
    double exceedance_resolution_m = 500.0;  // 0 = no exceedance raster
};

// [export]: the regulator package written after a run with [border] (docs/border.md).
struct ExportOptions {
    std::string where;
    std::string directory;           // resolved; "" = <output directory>/regulator_package
    std::string directory_where;     // file:line of export.directory; empty when not given
    std::string crs = "EPSG:25832";  // EPSG:25832, EPSG:25833, EPSG:3035 or EPSG:4326
    std::string creation_time;       // recorded as given; the CLI's --creation-time wins
    bool kmz = true;
    // Document control of the report (docs/border.md, "The report"); the defaults live here.
    std::string applicant = "not stated";  // operator / applicant named on the report
    std::string document_version = "1";    // the applicant's version of this filing
    // Attribution lines for inputs the report's table of known sources does not know
    // (report/attributions.hpp); printed after the known ones.
    std::vector<std::string> attributions;
};

// The [analysis] table: coverage classes, SINR, overlap, location probability, gaps, statistics.
struct AnalysisSettings {
    bool enabled = false;  // true when the scenario has an [analysis] table (and enabled = true)
    analysis::AnalysisOptions options;
    analysis::Environment environment = analysis::Environment::rural;
    std::string home_country = "DE";  // cells with this country code are the home networks
    std::string home_name = "Germany";
    std::string neighbour_name = "Czechia";  // everything outside the home outline
    // Resolved paths; "" = not given. Without an outline the whole analysis grid is home
    // territory and there is no border (no distance bands; gaps over the whole area).
    std::string country_outline_file;
    std::string regions_file;
    std::string region_name_field = "GEN";
    std::string gap_area_file;  // polygons of the gap-analysis area; "" = home territory
                                // within gap_border_distance_km of the border
    double gap_border_distance_km = 15.0;
    std::string where;  // "scenario.toml:40" of the [analysis] table, for file errors
};

// [land_cover]: a land-cover raster and its class table, for clutter loss at the receiver per
// class (ITU-R P.2108-1 §3.1) and the location sigma per class (docs/land_cover.md).
struct LandCoverSettings {
    bool enabled = false;
    std::string where;    // file:line of the [land_cover] table
    std::string file;     // resolved raster path
    std::string classes;  // as given: "corine", "esa-worldcover" or the table's resolved path
    LandCoverCodeKind code_kind = LandCoverCodeKind::index;
    LandCoverTable table;    // read with the scenario; attribution overridden by the scenario's
    int default_class = -1;  // index into table.classes for pixels without land cover; -1 none
};

// [planning]: `grenzfunk plan`, the search for new sites that close the gaps of the [analysis]
// table within the [border] limits (docs/planning.md). Present = enabled; the defaults live here.
struct PlanningSettings {
    bool enabled = false;
    std::string where;  // file:line of the [planning] table
    // Resolved; a grenzfunk sites file whose rows are the cells (sectors, carriers) of one
    // template site: each proposed site gets a copy of them at its position (lat/lon ignored).
    std::string template_file;
    // Resolved; "" = candidates generated on a lattice. Else a CSV with lat_deg, lon_deg and
    // optionally antenna_height_agl_m and candidate_id (io/candidates_csv.hpp).
    std::string candidates_file;
    double candidate_spacing_m = 1000.0;         // lattice cell; its highest eligible pixel
    double candidate_gap_distance_m = 3000.0;    // lattice candidates within this of a gap pixel
    double min_distance_to_existing_m = 1000.0;  // from every site of the sites files
    // Antenna heights tried at each position; empty = the template's heights.
    std::vector<double> antenna_heights_m;
    // Configuration choices tried at each position and height (docs/planning.md): rotations of
    // the template's sector layout (degrees clockwise, added to every cell's azimuth) and
    // electrical downtilts given to every cell; empty = the template's azimuths / tilts.
    std::vector<double> azimuth_rotations_deg;
    std::vector<double> elec_tilts_deg;
    int max_sites = 10;
    double min_spacing_m = 2000.0;  // between proposed sites
    double min_gain_km2 = 0.0;      // stop when the best remaining gain is not above this
    // A proposed cell passes the border check when its worst margin >= -border_margin_db.
    double border_margin_db = 0.0;
    std::string weight_file;  // resolved; raster of weights per gap pixel; "" = area
    std::string site_id_prefix = "PLAN";
};

struct Scenario {
    std::string path;  // the scenario file as given
    std::string name;
    std::string sha256;  // of the scenario file's bytes

    std::vector<std::string> terrain_files;  // resolved paths
    double void_fill_max_distance_m = 1000.0;

    std::vector<SitesSource> sites;

    std::string crs = "EPSG:25832";
    std::string crs_where;  // file:line of grid.crs, for CRS errors
    double resolution_m = 100.0;
    // west, south, east, north in degrees (WGS84); empty = derived from sites + max radius.
    std::optional<std::array<double, 4>> extent_lonlat;
    // file:line of grid.resolution_m, grid.extent_lonlat_deg and propagation.max_radius_km
    // (else of their table, else the file), for "grid too large" (io::GridSizeWhere).
    std::string resolution_where, extent_where, max_radius_where;

    double rx_height_agl_m = 1.5;

    std::string model = "p526-bullington";
    std::string model_where;
    ParameterSet model_parameters;
    double max_radius_km = 30.0;
    // Coverage engine: fast (radial sweeps, docs/engine.md) or reference (every pixel its own
    // profile).
    EngineKind engine = kDefaultEngine;
    // Rows of the analysis grid computed per band ("tile"); 0 = automatic (docs/engine.md).
    int tile_rows = 0;
    std::string tile_rows_where;        // file:line of the key, for errors; empty when not given
    std::string clutter_loss = "none";  // "none" or "p2108" (ITU-R P.2108-1 §3.2 at the receiver)
    double clutter_location_percent = 50.0;

    LandCoverSettings land_cover;
    ParameterSet antenna_parameters;
    OutputOptions outputs;
    BorderOptions border;
    ExportOptions exports;
    AnalysisSettings analysis;
    PlanningSettings planning;
};

// Parses and validates a scenario file. Throws InputError "file:line: key: what is wrong" for
// syntax errors, unknown keys, wrong types and out-of-range values.
Scenario read_scenario(const std::string& path);

// Guard for Debian's toml++ 3.3.0, run on every TOML text before toml++ parses it (scenario and
// border rules files). That release reaches an "unreachable" branch (undefined behaviour) when
// it tests a non-ASCII character for white space, which it does wherever a key, a value or the
// rest of a line may start outside quotes ("ö = 1", "a = 1 ö", "[ö]") and after a backslash in
// a multi-line basic string. TOML 1.0 allows non-ASCII text only inside quoted strings and
// comments, so this rejects nothing valid: it throws InputError "<source_name>:<line>: ..." for
// a non-ASCII byte outside strings and comments, or right after a backslash (and the white
// space it may trim) in a basic string. It also rejects a control character other than tab, CR
// and LF outside strings and comments (also invalid TOML): toml++ 3.3.0 passes one at the start
// of a table header ("[\x01]") to a function whose precondition excludes it (a failed assertion
// in a debug build of toml++). A leading UTF-8 byte-order mark is allowed.
void check_toml_text(std::string_view text, const std::string& source_name);

}  // namespace grenzfunk::io
