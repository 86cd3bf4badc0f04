#include "pipeline/report_stage.hpp"

#include "analysis/border_check.hpp"
#include "analysis/service_areas.hpp"
#include "io/geotiff_writer.hpp"
#include "pipeline/analysis_stage.hpp"
#include "pipeline/border_stage.hpp"
#include "pipeline/coverage_stage.hpp"
#include "pipeline/plan.hpp"
#include "report/site_report.hpp"

namespace grenzfunk::pipeline {

SiteReportStage::SiteReportStage(const CoverageStage& coverage, const AnalysisStage& analysis,
                                 const BorderStage* border)
    : coverage_(coverage), analysis_(analysis), border_(border) {}

void SiteReportStage::prepare(RunContext& run) {
    // Fail now, not after the computation, if an earlier file is in the way.
    for (const char* name : {"cell_report.csv", "site_report.csv"})
        run.outputs.check_replaceable(run.plan.output_directory / name);
}

void SiteReportStage::write(RunContext& run) {
    const RunPlan& plan = run.plan;
    report::SiteReportInput in;
    in.cells = &analysis_.cells();
    in.described = &analysis_.described_cells();
    in.figures = &analysis_.service_figures();
    in.statistics = &coverage_.cell_statistics();
    in.home_country = analysis_.home_country();

    // The border check runs on the plan's cells of the home country; the report on the engine's
    // cells (plan.active): map the one onto the other.
    std::vector<analysis::BorderMargin> margins;
    if (border_) {
        std::vector<std::size_t> active_of_plan_cell(plan.cells.size(), analysis::kNotInReport);
        for (std::size_t k = 0; k < plan.active.size(); ++k)
            active_of_plan_cell[plan.active[k]] = k;
        std::vector<std::size_t> report_cell;
        for (std::size_t i : border_->checked_cells())
            report_cell.push_back(active_of_plan_cell[i]);
        margins = analysis::border_margins(border_->report(), border_->rules(), report_cell,
                                           plan.active.size());
        in.margins = &margins;
    }

    const auto& dir = plan.output_directory;
    const std::string cell_holds =
        "per cell: best-served area, its area per coverage class, gap area in reach, worst "
        "border margin";
    run.outputs.add_text(dir / "cell_report.csv", report::cell_report_csv(in), cell_holds);
    run.products.push_back({"cell_report.csv", cell_holds, "km2, dB"});
    const std::string site_holds =
        "the same per site and technology, and per site for all technologies";
    run.outputs.add_text(dir / "site_report.csv", report::site_report_csv(in), site_holds);
    run.products.push_back({"site_report.csv", site_holds, "km2, dB"});

    summary_ = report::site_report_summary(in);
    summary_.push_back("  per cell and per site: " + (dir / "cell_report.csv").string() + ", " +
                       (dir / "site_report.csv").string());
}

}  // namespace grenzfunk::pipeline
