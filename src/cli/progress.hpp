// Progress with an ETA on stderr for long runs: a rewritten line on a terminal, a line every
// 10 % otherwise (logs of batch jobs on a cluster).
#pragma once

#include <chrono>
#include <string>

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

}  // namespace grenzfunk::cli
