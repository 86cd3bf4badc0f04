// The border stage of a run with a [border] table: the cross-border coordination check and the
// regulator's export package, wired from the scenario (docs/border.md).
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/border_rule.hpp"
#include "core/cell.hpp"
#include "core/grid.hpp"
#include "io/analysis_area.hpp"
#include "io/scenario.hpp"
#include "report/package.hpp"
#include "terrain/terrain.hpp"

namespace grenzfunk::io {
class OutputSet;
}
namespace grenzfunk::analysis {
struct BorderReport;
}
namespace grenzfunk::antenna {
class AntennaPattern;
}

namespace grenzfunk::pipeline {

class RunObserver;

class BorderStage {
  public:
    // Reads and validates the rules and the home outline, builds the border geometry and the
    // rules' models, before any heavy work. Returns nullptr when the scenario has no [border].
    // Throws InputError.
    static std::unique_ptr<BorderStage> prepare(
        const io::Scenario& scenario, const std::vector<Cell>& cells,
        const std::vector<std::shared_ptr<const antenna::AntennaPattern>>& patterns,
        const std::vector<io::PointM>& positions, const std::vector<double>& north_azimuth_deg,
        const GridSpec& analysis_grid);

    // Where the package goes: the scenario's export.directory, else
    // <run_output_dir>/regulator_package.
    std::filesystem::path package_directory(const std::filesystem::path& run_output_dir) const;

    // Runs the check on the loaded terrain and adds the package to `outputs` (under
    // package_directory()); they appear with the run's other outputs at the commit.
    void run(const terrain::TerrainModel& terrain, const Raster<float>* coverage_field,
             const std::map<std::string, std::string>& coverage_metadata, io::OutputSet& outputs,
             const std::filesystem::path& run_output_dir, const std::string& creation_time,
             RunObserver& observer, const std::atomic<bool>& cancel);
    // The station data the package records instead of the scenario's sites files (before
    // run()): `grenzfunk plan` packages its proposed cells, which come from the
    // proposed_sites.csv it writes, not from the scenario's sites files.
    void set_station_inputs(std::vector<report::PackageInput> inputs);
    // The package's files and what each holds (after run()).
    const std::vector<report::PackageFile>& package_files() const;
    // The check's results (after run()), its rules, and for each checked cell its index in the
    // `cells` given to prepare(): for the per-cell report (pipeline/report_stage.hpp).
    const analysis::BorderReport& report() const;
    const std::vector<BorderRule>& rules() const;
    const std::vector<std::size_t>& checked_cells() const;
    // The check alone (no comparison, no exceedance raster, no package) for the cells of
    // prepare() at `which` (indices into prepare()'s cells, each a home-country cell): for
    // `grenzfunk plan`, which checks its candidates. The report's cell indices count in `which`.
    // Throws engine::Cancelled.
    analysis::BorderReport check_cells(const terrain::TerrainModel& terrain,
                                       const std::vector<std::size_t>& which,
                                       const std::atomic<bool>& cancel) const;
    // The preferential codes of home -> neighbour (null without a codes file or pair).
    const PreferentialCodes* code_pair() const;
    // The check's summary and the package's files, as console lines.
    std::vector<std::string> summary() const;

    ~BorderStage();

  private:
    BorderStage();
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace grenzfunk::pipeline
