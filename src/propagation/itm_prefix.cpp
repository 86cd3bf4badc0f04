// ITM 1.2.2 point-to-point on profiles sharing their beginning (see itm_prefix.hpp). The
// algorithm is [Alg] §3 as in itm_terrain.cpp; only the bookkeeping differs.
#include "propagation/itm_prefix.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "propagation/itm_tail_internal.hpp"

namespace grenzfunk::propagation::itm {

namespace {

// A bound must fall this far below the best angle before samples are skipped, so that rounding
// in the bound never hides a candidate the plain scan would take.
constexpr double bound_margin_rad = 1e-12;
constexpr double infinity = std::numeric_limits<double>::infinity();

}  // namespace

struct PrefixProfile::Constants {
    detail::VariabilityConstants variability;
    detail::DecileHint hint;  // Δh thresholds of the previous profile (speed only)
};

// A batch being filled: the paths' geometry in the kernel's layout, and per lane the caller's
// token and the warnings so far.
struct PendingBatch {
    detail::TailBatch paths;
    std::uint32_t token[detail::tail_lanes];
    std::uint32_t warnings[detail::tail_lanes];
};

struct PrefixProfile::Batches {
    detail::TailConstants constants;
    PendingBatch line_of_sight, beyond_horizon;
};

PrefixProfile::PrefixProfile(const Inputs& inputs) : inputs_(inputs) {
    input_error_ = detail::validate_inputs(inputs_, input_warnings_);
    if (input_error_ == Error::none) {
        ground_impedance_ = detail::ground_impedance(inputs_.frequency_mhz, inputs_.polarization,
                                                     inputs_.epsilon, inputs_.sigma_s_per_m);
        log10_frequency_ = std::log10(inputs_.frequency_mhz);
        constants_ = std::make_shared<Constants>(
            Constants{detail::variability_constants(inputs_.variability, inputs_.climate,
                                                    inputs_.frequency_mhz),
                      {}});
    }
}

PrefixProfile::~PrefixProfile() = default;
PrefixProfile::PrefixProfile(PrefixProfile&&) noexcept = default;
PrefixProfile& PrefixProfile::operator=(PrefixProfile&&) noexcept = default;

void PrefixProfile::clear() noexcept {
    samples_.clear();
    hull_.clear();
    if (constants_) constants_->hint = {};
}

void PrefixProfile::reserve(std::size_t samples) {
    samples_.reserve(samples);
    sum_w_.reserve(samples + 1);
    sum_kw_.reserve(samples + 1);
    hull_.reserve(samples);
}

void PrefixProfile::push(double z) {
    const std::size_t i = samples_.size();
    samples_.push(z);
    if (sum_w_.size() < i + 2) {
        const std::size_t grown = std::max<std::size_t>(2 * sum_w_.size(), 64);
        sum_w_.resize(grown);
        sum_kw_.resize(grown);
    }
    if (i == 0) {
        z_tx_ = z + inputs_.tx_height_m;
        sum_w_[0] = 0.0;
        sum_kw_[0] = 0.0;
    }
    const double w = z - samples_[0];
    sum_w_[i + 1] = sum_w_[i] + w;
    sum_kw_[i + 1] = sum_kw_[i] + double(i) * w;
    if (i >= 1) {
        // Transmitter horizon line of sample i: h * angle_i(t) = A_i - (i / 2) t.
        hull_.add((z - z_tx_) / double(i), 0.5 * double(i), int(i));
    }
}

void PrefixProfile::push_run(std::span<const double> elevation_m) {
    for (const double z : elevation_m) push(z);
}

Result PrefixProfile::evaluate(double end_z, double step_m) noexcept {
    return evaluate(std::span<const double>(&end_z, 1), step_m);
}

template <class R>
bool PrefixProfile::geometry(std::span<const double> tail, double step_m, detail::PathGeometry& g,
                             R& r) noexcept {
    r.warnings = input_warnings_;
    const auto fail = [&r](Error e) {
        r.error = e;
        r.loss_db = std::numeric_limits<double>::quiet_NaN();
        r.mode = Mode::not_set;
        return false;
    };
    if (input_error_ != Error::none) return fail(input_error_);
    if (samples_.size() < 1 || tail.empty() || !(step_m > 0.0) || !std::isfinite(step_m))
        return fail(Error::profile);
    // v - v is 0 for a finite sample and NaN for infinity or NaN: four sums of it instead of a
    // test and a branch per sample (which was 6 % of this function).
    double nan_if_not_finite[4] = {0.0, 0.0, 0.0, 0.0};
    std::size_t k_tail = 0;
    for (; k_tail + 4 <= tail.size(); k_tail += 4)
        for (std::size_t u = 0; u < 4; ++u)
            nan_if_not_finite[u] += tail[k_tail + u] - tail[k_tail + u];
    for (; k_tail < tail.size(); ++k_tail) nan_if_not_finite[0] += tail[k_tail] - tail[k_tail];
    if (!((nan_if_not_finite[0] + nan_if_not_finite[1]) +
              (nan_if_not_finite[2] + nan_if_not_finite[3]) ==
          0.0))
        return fail(Error::profile);

    const int m = int(samples_.size());          // pushed samples: indices 0 .. m-1
    const int n = m + int(tail.size()) - 1;      // intervals; the tail holds m .. n
    const double* z = samples_.with_tail(tail);  // the profile z[0..n]
    const double z0 = z[0];
    const double end_z = z[n];
    // Sums of w_k = z_k - z_0 and k w_k over k in [a, b): the prefix sums of the pushed samples
    // below m, the tail's samples summed directly with four partial sums (at most K + 1 of
    // them, and usually only the fit and the mean need them: continuing the serial prefix sums
    // over the whole tail for every pixel cost a quarter of this function).
    const double* sw = sum_w_.data();
    const double* skw = sum_kw_.data();
    const auto range_sums = [&](int a, int b, double& sum_w, double& sum_kw) {
        sum_w = 0.0;
        sum_kw = 0.0;
        if (b <= a) return;
        const int split = std::clamp(m, a, b);
        if (split > a) {
            sum_w = sw[split] - sw[a];
            sum_kw = skw[split] - skw[a];
        }
        if (b > split) {
            double pw[4] = {0.0, 0.0, 0.0, 0.0}, pkw[4] = {0.0, 0.0, 0.0, 0.0};
            int k = split;
            for (; k + 4 <= b; k += 4)
                for (int u = 0; u < 4; ++u) {
                    const double w = z[k + u] - z0;
                    pw[u] += w;
                    pkw[u] += double(k + u) * w;
                }
            for (; k < b; ++k) {
                const double w = z[k] - z0;
                pw[0] += w;
                pkw[0] += double(k) * w;
            }
            sum_w += (pw[0] + pw[1]) + (pw[2] + pw[3]);
            sum_kw += (pkw[0] + pkw[1]) + (pkw[2] + pkw[3]);
        }
    };

    // Mean elevation without the first and last tenth (mean_path_elevation_m).
    const int skip = int(0.1 * double(n));
    const int last = n - skip;  // inclusive
    double mean_w = 0.0, unused_kw = 0.0;
    range_sums(skip, last + 1, mean_w, unused_kw);
    const double mean = z0 + mean_w / double(n - 2 * skip + 1);

    g.frequency_mhz = inputs_.frequency_mhz;
    g.height_m[0] = inputs_.tx_height_m;
    g.height_m[1] = inputs_.rx_height_m;
    g.ground_impedance = ground_impedance_;
    detail::prepare_refractivity(mean, inputs_.n0_n_units, g);

    // Horizons, as find_horizons() computes them.
    const double d = double(n) * step_m;
    const double radius = 1.0 / g.curvature_per_m;
    g.distance_m = d;
    const double z_tx = z_tx_;
    const double z_rx = end_z + inputs_.rx_height_m;
    const double bulge_d = d / (2.0 * radius);
    g.horizon_angle_rad[0] = (z_rx - z_tx) / d - bulge_d;
    g.horizon_angle_rad[1] = -(z_rx - z_tx) / d - bulge_d;
    g.horizon_distance_m[0] = d;
    g.horizon_distance_m[1] = d;
    if (n >= 2) {
        // Transmitter: among the pushed samples 1 .. m-1 the hull line that is highest at
        // t = h^2 / a (starts decrease along the hull; the best line is the last one whose
        // start lies above t), then the tail samples m .. n-1 in order, as the plain scan.
        if (m >= 2) {
            const double t = step_m * step_m / radius;
            const int i = hull_.highest(t);
            const double from_tx = double(i) * step_m;
            const double angle = (z[i] - z_tx) / from_tx - from_tx / (2.0 * radius);
            if (angle > g.horizon_angle_rad[0]) {
                g.horizon_angle_rad[0] = angle;
                g.horizon_distance_m[0] = from_tx;
            }
        }
        const double inv_2a = 1.0 / (2.0 * radius);
        // The tail samples m .. n-1 for both terminals in one vector pass (same operations as
        // the plain scan, so the same candidates win). The transmitter's part only where a bound
        // from the tail's highest sample does not exclude it (far from the transmitter its
        // horizon is nearly always in the prefix).
        const int tail_lo = std::max(1, m);
        bool tail_tx = true;
        if (tail_lo < n) {
            double high[4] = {-infinity, -infinity, -infinity, -infinity};
            int k = tail_lo;
            for (; k + 4 <= n; k += 4)
                for (int u = 0; u < 4; ++u) high[u] = std::max(high[u], z[k + u]);
            for (; k < n; ++k) high[0] = std::max(high[0], z[k]);
            const double rise =
                std::max(std::max(high[0], high[1]), std::max(high[2], high[3])) - z_tx;
            const double near_m = double(tail_lo) * step_m;
            const double bound =
                rise / (rise > 0.0 ? near_m : double(n - 1) * step_m) - near_m * inv_2a;
            tail_tx = !(bound < g.horizon_angle_rad[0] - bound_margin_rad);
        }
        const detail::ScanCandidates tail_best =
            detail::scan_horizon_candidates(z, tail_lo, n, n, step_m, z_tx, z_rx, radius, tail_tx);
        if (tail_best.tx_index >= 0 && tail_best.tx_angle_rad > g.horizon_angle_rad[0]) {
            g.horizon_angle_rad[0] = tail_best.tx_angle_rad;
            g.horizon_distance_m[0] = double(tail_best.tx_index) * step_m;
        }
        // Receiver: the tail's best (the lowest index among equal angles), then a backward scan
        // over the pushed samples with exact upper bounds. Ties go to the lower index, as in the
        // forward scan with '>'.
        double best = g.horizon_angle_rad[1];
        double best_from = d;
        bool interior = false;
        if (tail_best.rx_index >= 0 && tail_best.rx_angle_rad > best) {
            best = tail_best.rx_angle_rad;
            best_from = double(n - tail_best.rx_index) * step_m;
            interior = true;
        }
        // Pushed samples, block by block from the receiver back, where the block's bounds do
        // not exclude it (rx_block_candidate screens its samples without divisions first).
        // The bounds are compared multiplied out, rise / u - u_near / 2a < best - margin as
        // rise < (best - margin + u_near / 2a) u (u > 0; a division per check was a chain of
        // them per pixel); the margin covers the rounding of either form many times over.
        int i_hi = std::min(n - 1, m - 1);
        while (i_hi >= 1) {
            const double u_near = double(n - i_hi) * step_m;  // nearest distance from rx
            const double beat = best - bound_margin_rad + u_near * inv_2a;
            // Bound for every sample in [1, i_hi]: highest elevation at the nearest distance
            // (or, below the receiver, an angle under -u / 2a).
            const double rise = samples_.prefix_max(i_hi) - z_rx;
            if (std::max(rise, 0.0) < beat * u_near) break;
            // The same bound on the super-block's part up to i_hi (its highest sample), which
            // passes over up to 16 blocks at once (6.5 blocks were checked per pixel on the
            // benchmark job, 1.1 of them scanned).
            const int s_lo = std::max(1, RadialSamples::super_start(i_hi));
            if (s_lo < RadialSamples::block_start(i_hi)) {
                const double super_rise = samples_.super_max(i_hi) - z_rx;
                const double u_far = double(n - s_lo) * step_m;
                if (super_rise < beat * (super_rise > 0.0 ? u_near : u_far)) {
                    i_hi = s_lo - 1;
                    continue;
                }
            }
            const int i_lo = std::max(1, RadialSamples::block_start(i_hi));
            const double block_rise = samples_.block_max(i_hi) - z_rx;
            const double u_far = double(n - i_lo) * step_m;
            if (!(block_rise < beat * (block_rise > 0.0 ? u_near : u_far))) {
                // The block's best (the lowest index among equal angles), then the rule of the
                // backward scan (k from i_hi down, '>' or '==' once interior): the same winner.
                const detail::RxCandidate c =
                    detail::rx_block_candidate(z, i_lo, i_hi + 1, n, step_m, z_rx, radius, best);
                if (c.index >= 0 && (c.angle_rad > best || (interior && c.angle_rad == best))) {
                    best = c.angle_rad;
                    best_from = double(n - c.index) * step_m;
                    interior = true;
                }
            }
            i_hi = i_lo - 1;
        }
        g.horizon_angle_rad[1] = best;
        g.horizon_distance_m[1] = best_from;
    }

    // Δh and effective heights, with the terrain lines from the prefix sums.
    const detail::Profile profile{z, n, step_m};
    detail::complete_geometry(
        profile, g,
        [&](double from_m, double to_m) {
            const detail::FitRange range = detail::fit_range(n, step_m, from_m, to_m);
            // Interior first < k < last from the sums of w_k = z_k - z_0.
            const int a = range.first + 1, b = range.last;  // k in [a, b)
            double sum_w = 0.0, sum_kw = 0.0;
            range_sums(a, b, sum_w, sum_kw);
            const double centre = 0.5 * double(range.first + range.last);
            // sum z_k = sum w_k + count z_0; the moment about the centre of a symmetric range does
            // not see the constant z_0.
            const double sum_z = sum_w + double(b > a ? b - a : 0) * z0;
            const double moment = sum_kw - centre * sum_w;
            return detail::line_from_sums(range, n, z[range.first], z[range.last], sum_z, moment);
        },
        &constants_->hint);
    return true;
}

Result PrefixProfile::evaluate(std::span<const double> tail, double step_m) noexcept {
    Result r;
    detail::PathGeometry g;
    if (!geometry(tail, step_m, g, r)) return r;
    return detail::finish(g, true, log10_frequency_, constants_->variability, r);
}

namespace {

// Runs a full or partial batch and hands its results out. Unused lanes repeat the last path.
void complete(PendingBatch& b, bool line_of_sight, const detail::TailConstants& constants,
              std::vector<PrefixProfile::Completed>& done) {
    detail::TailBatch& p = b.paths;
    const int count = p.count;
    if (count == 0) return;
    for (int i = count; i < detail::tail_lanes; ++i) {
        const int last = count - 1;
        p.distance_m[i] = p.distance_m[last];
        for (int j = 0; j < 2; ++j) {
            p.effective_height_m[j][i] = p.effective_height_m[j][last];
            p.horizon_distance_m[j][i] = p.horizon_distance_m[j][last];
            p.horizon_angle_rad[j][i] = p.horizon_angle_rad[j][last];
        }
        p.delta_h_m[i] = p.delta_h_m[last];
        p.radius_m[i] = p.radius_m[last];
        p.surface_refractivity[i] = p.surface_refractivity[last];
    }
    if (line_of_sight)
        detail::tail_line_of_sight(constants, p);
    else
        detail::tail_beyond_horizon(constants, p);
    for (int i = 0; i < count; ++i) {
        PrefixProfile::Completed c;
        c.token = b.token[i];
        c.result.warnings = b.warnings[i];
        c.result.loss_db = p.loss_db[i];
        c.result.reference_attenuation_db = p.reference_db[i];
        c.result.mode = line_of_sight              ? Mode::line_of_sight
                        : p.troposcatter[i] != 0.0 ? Mode::troposcatter
                                                   : Mode::diffraction;
        done.push_back(c);
    }
    p.count = 0;
}

}  // namespace

void PrefixProfile::submit(std::span<const double> tail, double step_m, std::uint32_t token,
                           std::vector<Completed>& done) noexcept {
    Completed out;
    out.token = token;
    detail::PathGeometry g;
    if (!geometry(tail, step_m, g, out.result)) {
        done.push_back(out);
        return;
    }
    if (!batches_) {
        batches_ = std::make_unique<Batches>();
        batches_->constants =
            detail::tail_constants(inputs_.frequency_mhz, inputs_.tx_height_m, inputs_.rx_height_m,
                                   ground_impedance_, constants_->variability);
    }
    // The scalar part of reference_attenuation(): calibration warnings and errors, in its order,
    // and the mode class (within the smooth-earth horizon or beyond).
    std::uint32_t& warnings = out.result.warnings;
    const double a = 1.0 / g.curvature_per_m;
    double smooth_horizon_m[2];
    for (int j = 0; j < 2; ++j) smooth_horizon_m[j] = std::sqrt(2.0 * g.effective_height_m[j] * a);
    if (std::abs(g.horizon_angle_rad[0]) > 200e-3) warnings |= warn_tx_horizon_angle;
    if (std::abs(g.horizon_angle_rad[1]) > 200e-3) warnings |= warn_rx_horizon_angle;
    if (g.horizon_distance_m[0] < 0.1 * smooth_horizon_m[0]) warnings |= warn_tx_horizon_near;
    if (g.horizon_distance_m[1] < 0.1 * smooth_horizon_m[1]) warnings |= warn_rx_horizon_near;
    if (g.horizon_distance_m[0] > 3.0 * smooth_horizon_m[0]) warnings |= warn_tx_horizon_far;
    if (g.horizon_distance_m[1] > 3.0 * smooth_horizon_m[1]) warnings |= warn_rx_horizon_far;
    const double ns = g.surface_refractivity;
    Error error = Error::none;
    if (ns < 150.0)
        error = Error::surface_refractivity_small;
    else if (ns > 400.0)
        error = Error::surface_refractivity_large;
    else if (a < 4000000.0 || a > 13333333.0)
        error = Error::effective_earth;
    else if (g.ground_impedance.real() <= std::abs(g.ground_impedance.imag()))
        error = Error::ground_impedance;
    if (ns >= 150.0 && ns < 250.0) warnings |= warn_low_surface_refractivity;
    if (error != Error::none) {
        out.result.error = error;
        out.result.loss_db = std::numeric_limits<double>::quiet_NaN();
        done.push_back(out);
        return;
    }
    const double d = g.distance_m;
    const double d_min = std::abs(g.effective_height_m[0] - g.effective_height_m[1]) / 200e-3;
    if (d < d_min) warnings |= warn_distance_below_dmin;
    if (d < 1e3) warnings |= warn_distance_below_1km;
    if (d > 1000e3) warnings |= warn_distance_over_1000km;
    if (d > 2000e3) warnings |= warn_distance_over_2000km;
    if (constants_->variability.extreme) warnings |= warn_extreme_variability;

    const bool line_of_sight = d < smooth_horizon_m[0] + smooth_horizon_m[1];
    PendingBatch& b = line_of_sight ? batches_->line_of_sight : batches_->beyond_horizon;
    detail::TailBatch& p = b.paths;
    const int i = p.count++;
    p.distance_m[i] = d;
    for (int j = 0; j < 2; ++j) {
        p.effective_height_m[j][i] = g.effective_height_m[j];
        p.horizon_distance_m[j][i] = g.horizon_distance_m[j];
        p.horizon_angle_rad[j][i] = g.horizon_angle_rad[j];
    }
    p.delta_h_m[i] = g.delta_h_m;
    p.radius_m[i] = a;
    p.surface_refractivity[i] = ns;
    b.token[i] = token;
    b.warnings[i] = warnings;
    if (p.count == detail::tail_lanes) complete(b, line_of_sight, batches_->constants, done);
}

void PrefixProfile::flush(std::vector<Completed>& done) noexcept {
    if (!batches_) return;
    complete(batches_->line_of_sight, true, batches_->constants, done);
    complete(batches_->beyond_horizon, false, batches_->constants, done);
}

}  // namespace grenzfunk::propagation::itm
