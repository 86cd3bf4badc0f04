// `grenzfunk path`: the loss of one path, for checking a model by hand or against references.
#pragma once

#include <atomic>
#include <string>
#include <vector>

namespace grenzfunk::cli {

struct PathOptions {
    std::string model = "p526-bullington";
    std::vector<std::string> parameters;  // "key=value" model parameters
    double frequency_mhz = 0.0;
    bool has_frequency = false;  // -f given
    double tx_height_agl_m = 30.0;
    double rx_height_agl_m = 1.5;
    // Either two points on a terrain...
    std::vector<std::string> terrain_files;
    // Take terrain, CRS, model, parameters, clutter loss, receiver height and the profile step
    // (grid.resolution_m; another --step-m is an error) from a scenario file, so that the loss
    // is the one `run` computes for that path (engine/path_builder.hpp).
    std::string scenario;
    std::string crs = "EPSG:25832";
    double from_lat_deg = 0, from_lon_deg = 0, to_lat_deg = 0, to_lon_deg = 0;
    bool has_points = false;
    double step_m = 30.0;
    double void_fill_max_distance_m = 1000.0;
    // ...or a given profile (ITM pfl layout: n_intervals, step_m, elevations...).
    std::string profile_file;
    bool print_profile = false;
    // ...or reference inputs: a cases CSV (ITM inputs + pfl profiles) ...
    std::string cases_csv;
    std::string profiles_dir;
    std::string output_csv;  // "" = stdout
    // ...or an ITU-R SG3 validation profile file with the data set (1 = first data row).
    std::string sg3_file;
    int dataset = 1;
};

// Limits (README, "Command line"): --step-m within [1, 10000] m; a path from --from to --to of
// at most 3000 km and 4 000 001 samples (validation::kMaxProfile... in validation/path_cases.hpp). Throws
// Cancelled (core/error.hpp), with nothing written, when `interrupted` becomes true.
int run_path(const PathOptions& options, const std::atomic<bool>& interrupted);

}  // namespace grenzfunk::cli
