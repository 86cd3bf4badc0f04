// The fast coverage path: radial sweeps whose profiles are prefixes of one another.
//
// For one transmitter at T with radius R, step s (profile_step_m, default the terrain pixel
// size) and analysis pixel size p:
//  * N = max(16, ceil(oversampling * 2 pi R / p)) radials at grid azimuths phi_j = 2 pi j / N;
//    radial j carries the terrain samples z_j,i = terrain(T + i s (sin phi_j, cos phi_j)),
//    i = 0, 1, ..., bilinear as on the reference path (z_j,0 is the ground under T);
//  * a pixel at distance r and grid azimuth theta belongs to the radial nearest in azimuth,
//    j = round(theta N / 2 pi) mod N, and gets n = max(1, round(r / s)) intervals;
//  * its profile is z_j,0 .. z_j,n-1 followed by the terrain at the pixel centre, with step
//    max(r, 1 m) / n rounded to a multiple of 2^-20 m: the radial's first n samples, stretched
//    or shrunk by at most half a step at the far end so that the path ends at the pixel centre
//    (path length within 1 mm of r).
// Each radial is walked outwards once; its pixels are evaluated in order of n on the model's
// PrefixEvaluator (for ITM: itm::PrefixProfile, which reuses the prefix for the horizons, the
// terrain fits and the mean elevation). Models without one get loss() on the same profile.
//
// Memory per transmitter: 16 bytes per pixel of its window ((2R/p)^2) for the assignment, plus
// per thread O(R/s) for one radial. Determinism: a pixel belongs to exactly one radial, and a
// radial's result depends only on its own samples, whatever thread runs it.
#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

#include "engine/coverage_internal.hpp"

namespace grenzfunk::engine::detail {

namespace {

// loss() on "prefix + end" for models without a PrefixEvaluator.
class GenericPrefix final : public propagation::PrefixEvaluator {
  public:
    GenericPrefix(const propagation::PropagationModel& model, const propagation::PathQuery& q)
        : model_(model), query_(q) {}
    void clear() noexcept override { z_.clear(); }
    void push(double elevation_m) override { z_.push_back(elevation_m); }
    propagation::PathResult evaluate(double end_elevation_m, double step_m) noexcept override {
        z_.push_back(end_elevation_m);
        propagation::PathQuery q = query_;
        q.profile.step_m = step_m;
        q.profile.elevation_m = z_;
        q.distance_m = q.profile.distance_m();
        const propagation::PathResult r = model_.loss(q);
        z_.pop_back();
        return r;
    }

  private:
    const propagation::PropagationModel& model_;
    propagation::PathQuery query_;
    std::vector<double> z_;
};

struct Entry {
    std::uint32_t pixel;      // index in the window, row-major
    std::uint32_t intervals;  // n
};

}  // namespace

void radial_transmitter(const TransmitterJob& job, Counts& total) {
    constexpr double two_pi = 2.0 * std::numbers::pi;
    const TransmitterCell& rep = job.rep();
    const GridSpec& grid = *job.grid;
    const terrain::TerrainModel& terrain = *job.terrain;
    const std::vector<std::uint8_t>& mask = *job.mask;
    const Window w = job.window;
    const double radius_m = job.options->max_radius_m;
    const double step_m = job.step_m;
    const int radials =
        int(std::max(16.0, std::ceil(std::max(job.options->radial_oversampling, 0.1) * two_pi *
                                     radius_m / grid.pixel_size_m)));
    const std::size_t ww = std::size_t(w.width());
    const std::size_t window_pixels = ww * std::size_t(w.height());

    // 1. Each pixel of the window: its radial (-1: not computed) and its interval count.
    std::vector<std::int32_t> radial_of(window_pixels, -1);
    std::vector<std::uint32_t> intervals_of(window_pixels, 0);
    tbb::parallel_for(tbb::blocked_range<int>(w.row0, w.row1 + 1), [&](const auto& rows) {
        for (int row = rows.begin(); row != rows.end(); ++row) {
            const double dy = grid.centre_y_m(row) - rep.y_m;
            for (int col = w.col0; col <= w.col1; ++col) {
                const std::size_t idx =
                    std::size_t(row) * std::size_t(grid.width) + std::size_t(col);
                if (!mask[idx]) continue;
                const double dx = grid.centre_x_m(col) - rep.x_m;
                const double r = std::sqrt(dx * dx + dy * dy);
                if (r > radius_m) continue;
                const double theta = std::atan2(dx, dy);  // grid azimuth, (-pi, pi]
                long j = std::lround(theta / two_pi * double(radials));
                j = ((j % radials) + radials) % radials;
                const std::size_t k = std::size_t(row - w.row0) * ww + std::size_t(col - w.col0);
                radial_of[k] = std::int32_t(j);
                intervals_of[k] = std::uint32_t(std::max(1L, std::lround(r / step_m)));
            }
        }
    });

    // 2. Counting sort by radial (window order within a radial).
    std::vector<std::size_t> begin(std::size_t(radials) + 1, 0);
    for (std::int32_t j : radial_of)
        if (j >= 0) ++begin[std::size_t(j) + 1];
    for (int j = 0; j < radials; ++j) begin[std::size_t(j) + 1] += begin[std::size_t(j)];
    std::vector<Entry> entries(begin.back());
    {
        std::vector<std::size_t> fill(begin.begin(), begin.end() - 1);
        for (std::size_t k = 0; k < window_pixels; ++k)
            if (radial_of[k] >= 0)
                entries[fill[std::size_t(radial_of[k])]++] = {std::uint32_t(k), intervals_of[k]};
    }
    std::vector<std::int32_t>().swap(radial_of);
    std::vector<std::uint32_t>().swap(intervals_of);

    // 3. The radials, in parallel; each walked outwards once.
    propagation::PathQuery base;
    base.frequency_mhz = rep.frequency_mhz;
    base.tx_height_agl_m = rep.antenna_height_agl_m;
    base.rx_height_agl_m = job.options->rx_height_agl_m;
    base.centre_lat_deg = rep.lat_deg;
    base.centre_lon_deg = rep.lon_deg;
    tbb::enumerable_thread_specific<std::unique_ptr<propagation::PrefixEvaluator>> evaluators([&] {
        std::unique_ptr<propagation::PrefixEvaluator> e = job.model->prefix_evaluator(base);
        if (!e) e = std::make_unique<GenericPrefix>(*job.model, base);
        return e;
    });
    tbb::combinable<Counts> counts;

    tbb::parallel_for(tbb::blocked_range<int>(0, radials, 4), [&](const auto& range) {
        propagation::PrefixEvaluator& profile = *evaluators.local();
        Counts& local = counts.local();
        for (int j = range.begin(); j != range.end(); ++j) {
            if (job.cancelled()) return;
            Entry* const first = entries.data() + begin[std::size_t(j)];
            Entry* const last = entries.data() + begin[std::size_t(j) + 1];
            if (first == last) continue;
            std::sort(first, last, [](const Entry& a, const Entry& b) {
                return a.intervals != b.intervals ? a.intervals < b.intervals : a.pixel < b.pixel;
            });
            const double phi = two_pi * double(j) / double(radials);
            const double ux = std::sin(phi), uy = std::cos(phi);
            profile.clear();
            std::uint32_t pushed = 0;
            bool hole = false;  // a sample without terrain: no pixel beyond it is computed
            for (Entry* e = first; e != last; ++e) {
                while (!hole && pushed < e->intervals) {
                    const double t = double(pushed) * step_m;
                    const double z = terrain.elevation_at(rep.x_m + t * ux, rep.y_m + t * uy);
                    if (std::isnan(z)) {
                        hole = true;
                        break;
                    }
                    profile.push(z);
                    ++pushed;
                }
                if (pushed < e->intervals) {
                    ++local.no_terrain;
                    continue;
                }
                const int row = w.row0 + int(e->pixel / ww);
                const int col = w.col0 + int(e->pixel % ww);
                const double x = grid.centre_x_m(col), y = grid.centre_y_m(row);
                const double z_end = terrain.elevation_at(x, y);
                if (std::isnan(z_end)) {
                    ++local.no_terrain;
                    continue;
                }
                const double dx = x - rep.x_m, dy = y - rep.y_m;
                const double distance_m = std::sqrt(dx * dx + dy * dy);
                // Step on the 2^-20 m lattice (itm_prefix.hpp); path length within 1 mm of r.
                const double step = std::ldexp(
                    std::round(std::ldexp(std::max(distance_m, 1.0) / double(e->intervals), 20)),
                    -20);
                const propagation::PathResult r = profile.evaluate(z_end, step);
                job.write(col, row, dx, dy, distance_m, z_end, r, local);
            }
        }
    });
    counts.combine_each([&](const Counts& c) {
        total.computed += c.computed;
        total.flagged += c.flagged;
        total.no_terrain += c.no_terrain;
    });
}

}  // namespace grenzfunk::engine::detail
