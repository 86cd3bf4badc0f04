// The coverage-analysis stage of `grenzfunk run`: set up before the engine runs (admin polygons
// rasterised onto the grid, border distances, gap-analysis area, the composite sink), finished
// after it (classes, location probability, gaps, statistics) and written into the run's
// OutputSet. The run creates it, hands its sink to the engine per band and calls write().
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/composites.hpp"
#include "analysis/coverage_analysis.hpp"
#include "analysis/service_areas.hpp"
#include "core/cell.hpp"
#include "engine/coverage.hpp"
#include "io/geotiff_writer.hpp"
#include "io/scenario.hpp"

namespace grenzfunk::pipeline {

class AnalysisStage {
  public:
    // `cells` and `transmitters`: the engine's cells, same order. `reach_radius_m`: the engine's
    // computation radius (the per-cell report's reach). Reads the admin files; throws
    // InputError for bad files or cells (e.g. an LTE bandwidth without a 3GPP N_RB).
    AnalysisStage(const io::AnalysisSettings& settings, const GridSpec& grid,
                  const std::vector<std::uint8_t>& mask, const std::vector<Cell>& cells,
                  const std::vector<engine::TransmitterCell>& transmitters, double reach_radius_m);
    ~AnalysisStage();

    // The engine's levels for rows first_row .. first_row + rows - 1 (a band of a banded run, or
    // the whole grid) go to the returned sink, with pixel indices of that band. end_band() turns
    // the band's sink state into its composites and copies them into the whole grid's, so only
    // one band's sink state (docs/analysis.md, "Memory") is alive at a time.
    engine::LevelSink* begin_band(int first_row, int rows);
    // Optional per-pixel location sigma (dB; NaN = the scenario's), e.g. from the land cover.
    void set_location_sigma_db(Raster<float> sigma_db) { location_sigma_db_ = std::move(sigma_db); }
    void end_band();
    // end_band() in two halves, for a distributed run (docs/scale.md): the rank that computed
    // the band finishes its sink into the band's composites; rank 0 places them into the whole
    // grid's, in band order. end_band() = place_band(finish_band(), its rows).
    analysis::Composites finish_band();
    void place_band(analysis::Composites&& band, int first_row, int rows);

    struct Product {
        std::string file, holds, unit;
    };
    // Computes everything from the composites and adds the files to `outputs` (in `directory`).
    std::vector<Product> write(io::OutputSet& outputs, const std::filesystem::path& directory,
                               const std::map<std::string, std::string>& metadata);

    // Also write the planner's coverage.kmz (report/coverage_kmz.hpp) with these cells (WGS84
    // positions, sector data); call before write().
    void enable_coverage_kmz(std::vector<Cell> cells, std::string title) {
        kmz_cells_ = std::move(cells);
        kmz_title_ = std::move(title);
        kmz_ = true;
    }

    // What write() computes from the composites (after the last band), without writing: for
    // `grenzfunk plan` (pipeline/site_search.hpp), which compares it before and after.
    struct Evaluation {
        analysis::CoverageMaps maps;
        analysis::GapResult gaps;
        analysis::Statistics statistics;
    };
    Evaluation evaluate() const;
    const analysis::Composites& composites() const { return composites_; }
    const std::vector<std::uint8_t>& pixel_group() const { return pixel_group_; }
    const std::vector<std::uint8_t>& gap_area() const { return gap_area_; }
    const Raster<float>& location_sigma_db() const { return location_sigma_db_; }
    const analysis::ZoneNames& zone_names() const { return names_; }

    // Console lines: coverage share and gap area per region, the stage's run time.
    std::vector<std::string> summary() const;
    // Seconds spent in set-up and write() (the sink's share runs inside the engine).
    double seconds() const { return seconds_; }

    // For the per-cell and per-site report (pipeline/report_stage.hpp), after write().
    const analysis::ServiceFigures& service_figures() const { return service_; }
    const analysis::AnalysisCells& described_cells() const { return cells_; }
    const std::vector<Cell>& cells() const { return engine_cells_; }
    const std::string& home_country() const { return settings_.home_country; }

  private:
    io::AnalysisSettings settings_;
    GridSpec grid_;
    std::vector<std::uint8_t> mask_;
    analysis::AnalysisCells cells_;
    std::vector<Cell> engine_cells_;
    double reach_radius_m_ = 0.0;
    analysis::ServiceFigures service_;
    std::vector<std::uint8_t> pixel_group_;
    Raster<std::int32_t> region_;
    analysis::ZoneNames names_;
    Raster<float> border_distance_km_;
    std::vector<std::uint8_t> gap_area_;
    Raster<float> location_sigma_db_;                // empty: the scenario's sigma everywhere
    std::unique_ptr<analysis::CompositeSink> sink_;  // of the band being computed
    int band_first_row_ = 0, band_rows_ = 0;
    analysis::Composites composites_;  // whole grid, filled band by band
    int rows_done_ = 0;
    analysis::Statistics statistics_;
    std::size_t gap_count_ = 0;
    double seconds_ = 0.0;
    bool kmz_ = false;
    std::vector<Cell> kmz_cells_;
    std::string kmz_title_;
};

}  // namespace grenzfunk::pipeline
