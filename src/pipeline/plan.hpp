// The plan of a run: everything `grenzfunk run` will do, resolved and validated from the scenario
// and its inputs before any heavy work (docs/architecture.md). `grenzfunk validate` prints it;
// pipeline::execute() carries it out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cell.hpp"
#include "engine/coverage.hpp"
#include "io/analysis_area.hpp"
#include "io/scenario.hpp"
#include "io/terrain_reader.hpp"

namespace grenzfunk::antenna {
class AntennaPattern;
}
namespace grenzfunk::propagation {
class PropagationModel;
}

namespace grenzfunk::pipeline {

class BorderStage;

// What the caller asks for, on top of the scenario (the CLI's options).
struct RunRequest {
    std::string scenario_path;
    std::string output_directory;  // overrides the scenario's output.directory when not empty
    int threads = 0;               // 0 = all cores
    std::optional<engine::EngineKind> engine;  // unset = the scenario's propagation.engine
    int tile_rows = -1;                        // rows per band; 0 = automatic, -1 = the scenario's
    std::string creation_time;  // recorded in the border package; "" = scenario's or none
    // false: read the whole terrain grid of each band, not only the window some profile can
    // touch (pipeline/terrain_window.hpp); the outputs are the same (tests compare them).
    bool terrain_window = true;
    // The terrain warp's coordinate transform (io/terrain_reader.hpp; `run --terrain-transform`).
    io::TerrainTransform terrain_transform = io::TerrainTransform::lattice;
    // Cells appended after those of the sites files, as if read from one more sites file
    // (`grenzfunk plan`: its candidate and proposed cells).
    std::vector<Cell> extra_cells;
    // The ranks the run is distributed over (mpirun -np N, docs/scale.md): with more than one,
    // automatic bands are a multiple of N of equal height (at most ceil(rows / N) rows), so that
    // every rank gets its share, and the [border] check no longer keeps the coverage in one piece
    // (rank 0 reads the whole terrain for it).
    int rank_count = 1;
};

struct RunPlan {
    RunPlan();
    ~RunPlan();
    RunPlan(RunPlan&&) noexcept;
    RunPlan& operator=(RunPlan&&) noexcept;

    RunRequest request;
    io::Scenario scenario;
    std::string crs_wkt;
    std::unique_ptr<propagation::PropagationModel> model;

    std::vector<Cell> cells;            // every cell of the sites files, in file order
    std::vector<std::string> warnings;  // from reading the inputs (e.g. the OpenCelliD import)
    // Per cell: position in the grid CRS, grid azimuth of true north, antenna (null for cells
    // that neither reach the area nor are checked at the border).
    std::vector<io::PointM> positions;
    std::vector<double> north_azimuth_deg;
    std::vector<std::shared_ptr<const antenna::AntennaPattern>> patterns;

    io::AnalysisArea area;
    std::vector<std::size_t> active;                    // cells that reach the analysis grid
    std::vector<engine::TransmitterCell> transmitters;  // one per active cell, same order
    engine::CoverageOptions engine_options;
    // [land_cover] (land_cover_stage.hpp): each analysis-grid pixel's class (index into
    // scenario.land_cover.table.classes, kNoLandCoverClass without one); empty without it. The
    // transmitters carry the clutter loss per class.
    Raster<std::uint8_t> land_cover_class;
    std::size_t land_cover_pixels_without = 0;  // pixels of the grid without land cover

    int band_rows = 0, band_count = 1;  // the grid is computed in bands of rows
    std::filesystem::path output_directory;
    std::filesystem::path package_directory;  // empty without [border]
    std::unique_ptr<BorderStage> border;      // prepared; null without [border]
    std::string creation_time;

    // Estimates for `validate` and the progress line.
    std::uint64_t estimated_path_losses = 0;
    std::uint64_t estimated_peak_bytes = 0;
};

// Reads the scenario, the sites, the rules and every other input, and checks them all: the
// errors of the scenario's model, antennas, sites and rules files come together, one per line,
// in one InputError. Nothing is written.
RunPlan make_plan(const RunRequest& request);

// The pattern file a cell's antenna_pattern names ("file:<path>", or a path ending in .msi,
// .pln or .txt; docs/antennas.md), relative to its sites file's folder; nullopt for a named
// pattern or HCM codes.
std::optional<std::string> pattern_file_name(const std::string& antenna_pattern);
// Where the pattern file `name` (pattern_file_name) of `cell` lies: relative to the folder of
// the cell's sites file (Cell::source), never absolute, never through "..". Throws InputError.
std::filesystem::path pattern_file_path(const std::string& name, const Cell& cell);

// The estimated work of each band: the pixels of the band's rows that lie within each
// transmitter's radius (its disc clipped to the grid), summed over the transmitters. Deterministic.
std::vector<double> band_work(const RunPlan& plan);

// Which rank computes each band: contiguous runs of bands in rank order, the cut between rank k-1
// and rank k at the band boundary whose cumulative work is nearest k/ranks of the total (ties:
// the earlier boundary). One band (the whole grid in one piece) stays on rank 0. Some ranks get
// no band when there are fewer bands than ranks.
std::vector<int> band_owners(const std::vector<double>& work, int ranks);

// The plan as text: every setting with its default filled in, the grid, the cells in reach, the
// bands and the estimated memory (`grenzfunk validate`).
std::vector<std::string> describe_plan(const RunPlan& plan);

}  // namespace grenzfunk::pipeline
