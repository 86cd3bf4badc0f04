// What a run reports while it works. The pipeline calls it; the CLI prints it (a progress line
// with ETA on stderr), a test or a driver can record it. Nothing below src/cli prints.
#pragma once

#include <string>

namespace grenzfunk::pipeline {

class RunObserver {
  public:
    virtual ~RunObserver() = default;
    // A line of information before or between the heavy steps ("12 cells, grid 104 x 76 ...").
    virtual void note(const std::string& text) { (void)text; }
    // Work done in a step ("computing coverage", "border check", ...): `done` of `total`.
    virtual void progress(const std::string& step, double done, double total) {
        (void)step, (void)done, (void)total;
    }
    virtual void step_finished(const std::string& step) { (void)step; }
};

}  // namespace grenzfunk::pipeline
