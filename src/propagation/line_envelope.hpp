// The upper envelope of lines a_i - s_i t for t > 0, added in order of increasing slope s_i
// (each new line falls fastest), queried for the index of the highest line at a given t.
// For the horizon of a radial sweep: max_i (z_i - z_0) / d_i - (bulge term growing with d_i)
// at d_i = i h is such a maximum of lines in t ~ h^2 (itm_prefix.cpp, bullington_prefix.cpp).
// Adding a line is amortised O(1), a query O(log n). Only the choice of line is returned; the
// caller computes its value the way its plain scan does.
#pragma once

#include <algorithm>
#include <limits>
#include <vector>

namespace grenzfunk::propagation {

class LineEnvelope {
  public:
    void clear() noexcept { lines_.clear(); }
    void reserve(std::size_t lines) { lines_.reserve(lines); }
    bool empty() const noexcept { return lines_.empty(); }

    // Adds the line a - slope t, slope greater than that of every line added before.
    void add(double a, double slope, int index) {
        Line line{a, slope, std::numeric_limits<double>::infinity(), index};
        while (!lines_.empty()) {
            const Line& top = lines_.back();
            // The new line beats `top` for t below their crossing.
            const double cross = (line.a - top.a) / (line.slope - top.slope);
            if (!(cross > 0.0)) return;  // never better for t > 0
            if (lines_.size() >= 2 && cross >= top.start) {
                lines_.pop_back();  // `top` is never the highest any more
                continue;
            }
            line.start = cross;
            break;
        }
        lines_.push_back(line);
    }

    // Index of the highest line at t > 0; needs !empty(). Starts decrease along the envelope:
    // the highest line is the last one whose start lies above t.
    // The line of the previous query is tried first: along a radial t changes little from one
    // profile to the next, and the envelope mostly only grows at its end.
    int highest(double t) const noexcept {
        const std::size_t p = last_;
        if (p < lines_.size() && lines_[p].start > t &&
            (p + 1 == lines_.size() || !(lines_[p + 1].start > t)))
            return lines_[p].index;
        const auto it = std::partition_point(lines_.begin(), lines_.end(),
                                             [t](const Line& l) { return l.start > t; });
        last_ = std::size_t(it - lines_.begin()) - 1;
        return (it - 1)->index;
    }

  private:
    struct Line {
        double a;
        double slope;
        double start;  // this line beats the previous one for t below `start`
        int index;
    };
    std::vector<Line> lines_;       // slopes increasing, starts decreasing
    mutable std::size_t last_ = 0;  // position of the previous query's answer (speed only)
};

}  // namespace grenzfunk::propagation
