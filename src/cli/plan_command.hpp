// `grenzfunk plan`: the CLI's options mapped onto pipeline::search_sites (pipeline/site_search.hpp)
// and its summary printed.
#pragma once

#include <atomic>
#include <string>

namespace grenzfunk::cli {

struct PlanOptions {
    std::string scenario_path;
    std::string output_directory;  // overrides the scenario's output.directory when not empty
    int threads = 0;               // 0 = all cores
    bool quiet = false;
    std::string engine;         // "fast" / "reference"; empty = the scenario's choice
    std::string creation_time;  // recorded in the border package
    std::string baseline;       // "" = greedy; "highest" or "random:SEED"
};

// Returns the exit code; throws InputError/OutputError/Cancelled for main() to report.
int plan_sites(const PlanOptions& options, const std::atomic<bool>& cancel);

}  // namespace grenzfunk::cli
