// `grenzfunk run` and `grenzfunk validate`: the CLI's options mapped onto a pipeline plan, and
// its summary printed. The work itself is pipeline::make_plan and pipeline::execute.
#pragma once

#include <atomic>
#include <string>

#include "core/ranks.hpp"

namespace grenzfunk::cli {

struct RunOptions {
    std::string scenario_path;
    std::string output_directory;  // overrides the scenario's output.directory when not empty
    int threads = 0;               // 0 = all cores
    bool quiet = false;            // no progress on stderr
    std::string engine;            // "fast" / "reference"; empty = the scenario's choice
    std::string creation_time;     // recorded in the border package; "" = scenario's or none
    int tile_rows = -1;            // rows per band of the grid; 0 = automatic, -1 = scenario's
    std::string terrain_transform = "lattice";  // "lattice" / "exact" (io::TerrainTransform)
};

// Returns the process exit code; throws InputError/OutputError for the CLI to report. With more
// than one rank (mpirun, docs/scale.md) only rank 0 prints.
int run_scenario(const RunOptions& options, const std::atomic<bool>& cancel, Ranks& ranks);
// Builds and checks the plan without computing; prints it (every default filled in).
int validate_scenario(const RunOptions& options);

}  // namespace grenzfunk::cli
