#include "cli/run_scenario.hpp"

#include <cstdio>
#include <map>
#include <memory>

#include "cli/progress.hpp"
#include "core/text_format.hpp"
#include "core/version.hpp"
#include "pipeline/observer.hpp"
#include "pipeline/plan.hpp"
#include "pipeline/run.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::cli {

namespace {

pipeline::RunRequest request_of(const RunOptions& o) {
    pipeline::RunRequest r;
    r.scenario_path = o.scenario_path;
    r.output_directory = o.output_directory;
    r.threads = o.threads;
    if (!o.engine.empty()) r.engine = parse_engine(o.engine);
    r.tile_rows = o.tile_rows;
    r.creation_time = o.creation_time;
    r.terrain_transform = o.terrain_transform == "exact" ? io::TerrainTransform::exact
                                                         : io::TerrainTransform::lattice;
    return r;
}

}  // namespace

int run_scenario(const RunOptions& options, const std::atomic<bool>& cancel, Ranks& ranks) {
    ConsoleObserver observer(options.quiet || ranks.rank() != 0);
    pipeline::RunRequest request = request_of(options);
    request.rank_count = ranks.size();
    pipeline::RunPlan plan = pipeline::make_plan(request);
    if (ranks.rank() != 0) {
        (void)pipeline::execute(plan, observer, cancel, ranks);
        return 0;
    }
    // Warnings print even with --quiet: they say a result may mislead.
    for (const auto& w : plan.warnings) std::fprintf(stderr, "grenzfunk: warning: %s\n", w.c_str());
    const GridSpec& g = plan.area.grid;
    observer.note(std::to_string(plan.cells.size()) + " cells (" +
                  std::to_string(plan.active.size()) + " reach the analysis area), grid " +
                  std::to_string(g.width) + " x " + std::to_string(g.height) + " at " +
                  text::format_fixed(plan.scenario.resolution_m, 0) + " m, model " +
                  plan.scenario.model);
    const pipeline::RunSummary summary = pipeline::execute(plan, observer, cancel, ranks);

    std::printf("grenzfunk %s: scenario '%s' done in %s s (coverage %s s)\n", version_string,
                plan.scenario.name.c_str(), text::format_fixed(summary.total_s, 1).c_str(),
                text::format_fixed(summary.coverage_s, 1).c_str());
    for (const auto& line : summary.coverage_lines) std::printf("  %s\n", line.c_str());
    std::printf("  results in %s:\n", plan.output_directory.string().c_str());
    for (const auto& file : summary.files) std::printf("    %s\n", file.c_str());
    for (const auto& line : summary.border_lines) std::printf("%s\n", line.c_str());
    return 0;
}

int validate_scenario(const RunOptions& options) {
    const pipeline::RunPlan plan = pipeline::make_plan(request_of(options));
    for (const auto& w : plan.warnings) std::printf("warning: %s\n", w.c_str());
    for (const auto& line : pipeline::describe_plan(plan)) std::printf("%s\n", line.c_str());
    return 0;
}

}  // namespace grenzfunk::cli
