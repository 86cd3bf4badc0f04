// `grenzfunk run` as a library call: carries out a plan (pipeline/plan.hpp) stage by stage and
// commits every output file at once (io/output_folder.hpp). Used by the CLI; callable from a
// test, an MPI driver or a planning loop.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "pipeline/plan.hpp"

namespace grenzfunk::pipeline {

class RunObserver;

struct RunSummary {
    double total_s = 0.0;     // the whole run, plan included
    double coverage_s = 0.0;  // the engine, terrain reading excluded
    // Console lines: coverage figures, the analysis and border summaries, the files written.
    std::vector<std::string> coverage_lines;
    std::vector<std::string> files;  // relative to the output folder
    std::vector<std::string> border_lines;
};

// Throws InputError (bad terrain found while reading it), OutputError, engine::Cancelled.
RunSummary execute(RunPlan& plan, RunObserver& observer, const std::atomic<bool>& cancel);

}  // namespace grenzfunk::pipeline
