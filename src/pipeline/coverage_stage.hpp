// The coverage stage: the engine's composites (best level, best server, strongest field, the
// terrain on the grid) streamed band by band into their GeoTIFFs, the per-cell path-loss rasters
// and cells.csv, and the run's coverage figures for the summary.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>

#include "io/geotiff_writer.hpp"
#include "pipeline/stage.hpp"

namespace grenzfunk::pipeline {

class CoverageStage : public Stage {
  public:
    void prepare(RunContext& run) override;
    void band_end(RunContext& run, BandContext& band) override;
    void band_pack(RunContext& run, BandContext& band, bytes::Writer& out) override;
    void band_unpack(RunContext& run, BandContext& band, bytes::Reader& in) override;
    void write(RunContext& run) override;
    std::vector<std::string> summary() const override;
    double coverage_seconds() const;  // the engine's wall time, terrain reading excluded
    // Per engine cell, summed over the bands (after the band loop).
    const std::vector<engine::CellStatistics>& cell_statistics() const { return cell_statistics_; }

    // Set by the run loop: time spent reading terrain (excluded from the engine's figures).
    double terrain_s = 0.0, terrain_cpu_s = 0.0;
    std::size_t filled_void_pixels = 0;
    // Engine CPU seconds of the other ranks of a distributed run (their "done" messages).
    double remote_compute_cpu_s = 0.0;

  private:
    const RunPlan* plan_ = nullptr;
    std::optional<io::RasterStream<float>> best_, field_, terrain_;
    std::optional<io::RasterStream<std::int32_t>> server_;
    std::vector<engine::CellStatistics> cell_statistics_;
    std::size_t area_pixels_ = 0, served_ = 0, above_110_ = 0;
    float level_min_ = 0.0f, level_max_ = 0.0f;
    std::chrono::steady_clock::time_point start_;
    std::clock_t cpu_start_ = 0;
    double compute_s_ = 0.0, compute_cpu_s_ = 0.0;
    std::uint64_t path_losses_ = 0;  // computed, over all transmitters
};

}  // namespace grenzfunk::pipeline
