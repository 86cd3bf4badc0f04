// Progress with an ETA on stderr for long runs: a rewritten line on a terminal, a line every
// 10 % otherwise (logs of batch jobs on a cluster).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "pipeline/observer.hpp"

namespace grenzfunk::cli {

class ProgressPrinter {
  public:
    ProgressPrinter(std::string label, bool enabled);
    void update(double done, double total);
    void finish();

  private:
    std::string label_;
    bool enabled_;
    bool terminal_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_print_;
    int last_decile_ = -1;
    bool printed_ = false;
};

std::string format_duration(double seconds);

// Progress lines with ETA on stderr, one per step; notes as "grenzfunk: ..." lines (`run`,
// `plan`).
class ConsoleObserver : public pipeline::RunObserver {
  public:
    explicit ConsoleObserver(bool quiet) : quiet_(quiet) {}
    void note(const std::string& text) override;
    void progress(const std::string& step, double done, double total) override;
    void step_finished(const std::string& step) override;

  private:
    bool quiet_;
    std::map<std::string, std::unique_ptr<ProgressPrinter>> printers_;
};

}  // namespace grenzfunk::cli
