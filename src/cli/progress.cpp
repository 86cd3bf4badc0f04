#include "cli/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace grenzfunk::cli {

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "--";
    const long s = std::lround(seconds);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lds", s);
    return buf;
}

ProgressPrinter::ProgressPrinter(std::string label, bool enabled)
    : label_(std::move(label)),
      enabled_(enabled),
      terminal_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

void ProgressPrinter::update(double done, double total) {
    if (!enabled_ || total <= 0) return;
    const auto now = std::chrono::steady_clock::now();
    const double fraction = std::min(1.0, done / total);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double eta = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : NAN;
    const int decile = int(fraction * 10.0);
    if (terminal_) {
        if (now - last_print_ < std::chrono::milliseconds(200) && fraction < 1.0) return;
        std::fprintf(stderr, "\r%s: %5.1f %%  elapsed %s  ETA %s   ", label_.c_str(),
                     100.0 * fraction, format_duration(elapsed).c_str(),
                     format_duration(eta).c_str());
    } else {
        if (decile == last_decile_) return;
        std::fprintf(stderr, "%s: %3.0f %%  elapsed %s  ETA %s\n", label_.c_str(), 100.0 * fraction,
                     format_duration(elapsed).c_str(), format_duration(eta).c_str());
    }
    std::fflush(stderr);
    last_decile_ = decile;
    last_print_ = now;
    printed_ = true;
}

void ProgressPrinter::finish() {
    if (enabled_ && terminal_ && printed_) std::fprintf(stderr, "\n");
}

void ConsoleObserver::note(const std::string& text) {
    if (!quiet_) std::fprintf(stderr, "grenzfunk: %s\n", text.c_str());
}

void ConsoleObserver::progress(const std::string& step, double done, double total) {
    auto& printer = printers_[step];
    if (!printer) printer = std::make_unique<ProgressPrinter>(step, !quiet_);
    printer->update(done, total);
}

void ConsoleObserver::step_finished(const std::string& step) {
    auto it = printers_.find(step);
    if (it == printers_.end()) return;
    it->second->finish();
    printers_.erase(it);
}

}  // namespace grenzfunk::cli
