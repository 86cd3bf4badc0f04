// The per-cell and per-site report (docs/analysis.md, "Per-cell and per-site report"): the last
// stage of a run with an [analysis] table. It joins what the other stages computed (the
// analysis stage's service figures, the coverage stage's pixel counts, the border stage's
// margins), through const views, after they have all written, and writes cell_report.csv and
// site_report.csv into the output folder.
#pragma once

#include <string>
#include <vector>

#include "pipeline/stage.hpp"

namespace grenzfunk::pipeline {

class AnalysisStage;
class BorderStage;
class CoverageStage;

class SiteReportStage : public Stage {
  public:
    // `border`: null when the run has no [border] table. The stages must outlive this one.
    SiteReportStage(const CoverageStage& coverage, const AnalysisStage& analysis,
                    const BorderStage* border);
    void prepare(RunContext& run) override;
    void write(RunContext& run) override;
    std::vector<std::string> summary() const override { return summary_; }

  private:
    const CoverageStage& coverage_;
    const AnalysisStage& analysis_;
    const BorderStage* border_;
    std::vector<std::string> summary_;
};

}  // namespace grenzfunk::pipeline
