// `grenzfunk run` as a library call: carries out a plan (pipeline/plan.hpp) stage by stage and
// commits every output file at once (io/output_folder.hpp). Used by the CLI; callable from a
// test, an MPI driver or a planning loop.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "core/ranks.hpp"
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

// The same run distributed over `ranks` (docs/scale.md): plan it with request.rank_count =
// ranks.size() on every rank. Rank 0 computes its bands, takes the others' in band order and
// writes every output (its summary); the other ranks compute and send their bands and return
// an empty summary. Rank 0 throws the error of a failed rank (its kind, "rank r of N: ..."),
// and RankFailure for a rank that stops answering; the caller then ends the run
// (Ranks::abort) once the exception has left this function, so that nothing is left behind.
RunSummary execute(RunPlan& plan, RunObserver& observer, const std::atomic<bool>& cancel,
                   Ranks& ranks);

// On a rank other than 0, after its run failed: tells rank 0 (which ends the whole run) and
// waits for that. Returns false if rank 0 has not ended the run within the deadline; the caller
// then prints the message and ends the run itself.
// The kind travels so that rank 0 ends with the exit code of one process.
enum class RankFailureKind : std::uint8_t { input = 1, output = 2, cancelled = 3, other = 4 };
bool report_failure(Ranks& ranks, RankFailureKind kind, const std::string& message);

}  // namespace grenzfunk::pipeline
