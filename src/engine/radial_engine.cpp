// The fast coverage path: radial sweeps whose profiles share their beginning.
//
// For one transmitter at T with radius R, profile step s (profile_step_m, default the terrain
// pixel size), analysis pixel size p, oversampling o and own-tail length K
// (CoverageOptions::radial_oversampling = 2, exact_tail_samples = 32):
//  * N = max(16, ceil(o * 2 pi R / p)) radials at grid azimuths phi_j = 2 pi j / N; radial j
//    carries the terrain samples z_j,i = terrain(T + i s (sin phi_j, cos phi_j)), i = 0, 1, ...
//    (bilinear, as everywhere; z_j,0 is the ground under T);
//  * a pixel P at distance r and grid azimuth theta belongs to the radial nearest in azimuth,
//    j = round(theta N / 2 pi) mod N (radial_sectors.hpp), and has n = max(1, ceil(r / s))
//    intervals, as on the reference path;
//  * its profile has n + 1 samples, step h = max(r, 1 m) / n rounded to a multiple of 2^-20 m:
//      i <  m = max(1, n - K):  z_j,i, the radial's samples (at distance i s along the radial,
//                               used at i h: at most one step s apart, and at most
//                               r pi / N off the pixel's line sideways);
//      i >= m:                  terrain(T + (i / n)(P - T)), the pixel's own samples exactly where
//                               the reference path takes them (TerrainModel::profile).
//    So pixels within K s (2.9 km at 90 m) of the transmitter have exactly the reference profile;
//    farther pixels share the body of their profile with their radial.
// Each radial is walked outwards once; its pixels are evaluated in order of m on the model's
// PrefixEvaluator (for ITM: itm::PrefixProfile, which reuses the prefix for the horizons, the
// terrain fits and the mean elevation, and handles the K + 1 own samples directly).
//
// Memory per transmitter: 20 bytes per pixel of its window ((2R/p)^2) for the assignment, plus
// per thread O(R/s) for one radial. Determinism: a pixel belongs to exactly one radial, and a
// radial's result depends only on its own samples, whatever thread runs it.
#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

#include "core/parallel.hpp"
#include "engine/coverage_internal.hpp"
#include "engine/radial_sectors.hpp"

namespace grenzfunk::engine::detail {

namespace {

struct Entry {
    std::uint32_t pixel;      // index in the window, row-major
    std::uint32_t intervals;  // n
    std::uint32_t pushed;     // m: radial samples the profile starts with
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
    const std::uint32_t own_tail = std::uint32_t(std::max(job.options->exact_tail_samples, 0));
    const std::size_t ww = std::size_t(w.width());
    const std::size_t window_pixels = ww * std::size_t(w.height());

    // 1. Each pixel of the window: its radial (-1: not computed) and its interval count.
    std::vector<std::int32_t> radial_of(window_pixels, -1);
    std::vector<std::uint32_t> intervals_of(window_pixels, 0);
    // Along a row the radial follows the change of azimuth: RadialSectors tries the one the
    // previous pixel's predicts (an atan2 per pixel was 1-2 % of the coverage's time).
    const RadialSectors sectors(radials);
    core::parallel_for(tbb::blocked_range<int>(w.row0, w.row1 + 1), [&](const auto& rows) {
        for (int row = rows.begin(); row != rows.end(); ++row) {
            const double dy = grid.centre_y_m(row) - rep.y_m;
            int previous = -1;
            double previous_dx = 0.0;
            for (int col = w.col0; col <= w.col1; ++col) {
                const std::size_t idx =
                    std::size_t(row) * std::size_t(grid.width) + std::size_t(col);
                if (!mask[idx]) continue;
                const double dx = grid.centre_x_m(col) - rep.x_m;
                const double r = std::sqrt(dx * dx + dy * dy);
                if (r > radius_m) continue;
                const int j = sectors.radial(
                    dx, dy, sectors.guess_along_row(previous, dx - previous_dx, dx, dy));
                previous = j;
                previous_dx = dx;
                const std::size_t k = std::size_t(row - w.row0) * ww + std::size_t(col - w.col0);
                radial_of[k] = std::int32_t(j);
                intervals_of[k] = std::uint32_t(std::max(1.0, std::ceil(r / step_m)));
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
                entries[fill[std::size_t(radial_of[k])]++] = {
                    std::uint32_t(k), intervals_of[k],
                    intervals_of[k] > own_tail ? intervals_of[k] - own_tail : 1u};
    }
    std::vector<std::int32_t>().swap(radial_of);
    std::vector<std::uint32_t>().swap(intervals_of);

    // 3. The radials, in parallel; each walked outwards once.
    propagation::PathQuery base;
    base.frequency_mhz = rep.frequency_mhz;
    base.tx_height_agl_m = rep.antenna_height_agl_m;
    base.rx_height_agl_m = job.options->rx_height_agl_m;
    // One evaluator for all the transmitter's paths: its position only (model.hpp).
    base.tx_lat_deg = rep.lat_deg;
    base.tx_lon_deg = rep.lon_deg;
    // compute_coverage sends only models with a PrefixEvaluator here.
    tbb::enumerable_thread_specific<std::unique_ptr<propagation::PrefixEvaluator>> evaluators(
        [&] { return job.model->prefix_evaluator(base); });
    tbb::combinable<Counts> counts;

    // In batches, so that long single-transmitter runs report progress (and stop on cancel)
    // from the calling thread; the result does not depend on the batching.
    constexpr int batches = 32;
    for (int batch = 0; batch < batches; ++batch) {
        if (job.cancelled()) break;
        const int j0 = int(std::int64_t(radials) * batch / batches);
        const int j1 = int(std::int64_t(radials) * (batch + 1) / batches);
        core::parallel_for(tbb::blocked_range<int>(j0, j1, 4), [&](const auto& range) {
            propagation::PrefixEvaluator& profile = *evaluators.local();
            Counts& local = counts.local();
            std::vector<double> tail, radial_z;
            // Results come back in batches (PrefixEvaluator::submit), tagged with the entry's
            // index; what write() needs of each submitted pixel waits for them here.
            struct Submitted {
                int col, row;
                double dx, dy, distance_m, z_end_m;
            };
            const std::size_t first_entry = begin[std::size_t(range.begin())];
            std::vector<Submitted> submitted(begin[std::size_t(range.end())] - first_entry);
            std::vector<propagation::PrefixEvaluator::Completed> done;
            done.reserve(64);
            const auto write_done = [&] {
                for (const propagation::PrefixEvaluator::Completed& c : done) {
                    const Submitted& p = submitted[c.token - first_entry];
                    job.write(p.col, p.row, p.dx, p.dy, p.distance_m, p.z_end_m, c.result, local);
                }
                done.clear();
            };
            for (int j = range.begin(); j != range.end(); ++j) {
                if (job.cancelled()) {
                    profile.flush(done);  // nothing of a cancelled run is kept
                    done.clear();
                    return;
                }
                Entry* const first = entries.data() + begin[std::size_t(j)];
                Entry* const last = entries.data() + begin[std::size_t(j) + 1];
                if (first == last) continue;
                std::sort(first, last, [](const Entry& a, const Entry& b) {
                    return a.pushed != b.pushed ? a.pushed < b.pushed : a.pixel < b.pixel;
                });
                const double phi = two_pi * double(j) / double(radials);
                const double ux = std::sin(phi), uy = std::cos(phi);
                profile.clear();
                // The radial's samples up to the last pixel's prefix, in one go.
                const std::uint32_t needed = (last - 1)->pushed;
                radial_z.resize(needed);
                const double reach = double(needed) * step_m;
                if (!terrain.sample_line(rep.x_m, rep.y_m, reach * ux, reach * uy, int(needed), 0,
                                         int(needed) - 1, radial_z.data())) {
                    // A sample without terrain: no pixel beyond it is computed.
                    std::size_t k = 0;
                    while (k < needed && !std::isnan(radial_z[k])) ++k;
                    radial_z.resize(k);
                }
                std::uint32_t pushed = 0;
                for (Entry* e = first; e != last; ++e) {
                    if (e->pushed > radial_z.size()) {
                        ++local.no_terrain;
                        continue;
                    }
                    if (pushed < e->pushed) {
                        profile.push_run({radial_z.data() + pushed, e->pushed - pushed});
                        pushed = e->pushed;
                    }
                    const int row = w.row0 + int(e->pixel / ww);
                    const int col = w.col0 + int(e->pixel % ww);
                    const double x = grid.centre_x_m(col), y = grid.centre_y_m(row);
                    const double dx = x - rep.x_m, dy = y - rep.y_m;
                    const double distance_m = std::sqrt(dx * dx + dy * dy);
                    // The pixel's own samples m .. n on its line, where the reference engine
                    // samples them (TerrainModel::profile: fraction i / n of the way).
                    const std::uint32_t n = e->intervals;
                    tail.resize(n - e->pushed + 1);
                    if (!terrain.sample_line(rep.x_m, rep.y_m, dx, dy, int(n), int(e->pushed),
                                             int(n), tail.data())) {
                        ++local.no_terrain;
                        continue;
                    }
                    const std::uint32_t token = std::uint32_t(e - entries.data());
                    submitted[token - first_entry] = {col, row, dx, dy, distance_m, tail.back()};
                    // Step on the 2^-20 m lattice (itm_prefix.hpp); path length within 1 mm of r.
                    // (Scaling by powers of two is exact: ldexp without the library call.)
                    constexpr double lattice = 1048576.0;  // 2^20
                    const double step =
                        std::round(std::max(distance_m, 1.0) / double(n) * lattice) / lattice;
                    job.prefetch(col, row);
                    profile.submit(tail, step, token, done);
                    if (!done.empty()) write_done();
                }
            }
            profile.flush(done);
            write_done();
        });
        if (job.partial_progress) job.partial_progress(double(batch + 1) / batches);
    }
    counts.combine_each([&](const Counts& c) {
        total.computed += c.computed;
        total.flagged += c.flagged;
        total.no_terrain += c.no_terrain;
    });
}

}  // namespace grenzfunk::engine::detail
