// ITM 1.2.2, preparation of the path geometry ([Alg] §2 and §3): refractivity and ground
// constants, radio horizons, the terrain irregularity Δh and the effective antenna heights
// from a profile, or their area-mode estimates from Δh and the siting criteria.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "propagation/itm_internal.hpp"

namespace grenzfunk::propagation::itm::detail {

// Least-squares straight line through the profile points between two distances ([Alg] §3
// "zlsq1"). The sample is taken at whole indices; the two end samples weigh one half
// (trapezoidal rule). The line is returned by its values at both ends of the whole profile.
LineEnds fit_line(const double* z, int intervals, double step, double from_m, double to_m) {
    const FitRange range = fit_range(intervals, step, from_m, to_m);
    const int first = range.first, last = range.last;
    const double span = double(last - first);
    const double centre = double(first) + 0.5 * span;

    double weighted_sum = 0.5 * (z[first] + z[last]);
    double moment = 0.5 * (z[first] - z[last]) * (-0.5 * span);
    for (int k = first + 1; k < last; ++k) {
        weighted_sum += z[k];
        moment += z[k] * (double(k) - centre);
    }
    const double mean = weighted_sum / span;
    const double slope = moment * 12.0 / ((span * span + 2.0) * span);
    return {mean - slope * centre, mean + slope * (double(intervals) - centre)};
}

// The k-th largest (1-based) of values[0..n) and the k-th smallest, exactly the order
// statistics std::nth_element would select, in O(n): a 64-bucket histogram over [min, max]
// (the bucket index is monotone in the value) locates the bucket holding each statistic, and
// only that bucket's values are then ordered.
void extreme_order_statistics(const double* values, int n, int k, double& kth_largest,
                              double& kth_smallest) {
    double lo = values[0], hi = values[0];
    for (int j = 1; j < n; ++j) {
        lo = std::min(lo, values[j]);
        hi = std::max(hi, values[j]);
    }
    if (!(hi > lo)) {
        kth_largest = kth_smallest = lo;
        return;
    }
    constexpr int buckets = 64;
    const double scale = double(buckets) / (hi - lo);
    // Clamped before the conversion: with infinite residuals (hi - lo = inf) the product is NaN.
    const auto bucket_of = [lo, scale](double v) {
        const double b = (v - lo) * scale;
        return b >= 0.0 ? int(std::min(b, double(buckets - 1))) : 0;
    };
    int count[buckets] = {};
    for (int j = 0; j < n; ++j) ++count[bucket_of(values[j])];

    // Bucket of the k-th largest, and how many of its values lie above it (rank within).
    int top = buckets - 1, above = 0;
    while (above + count[top] < k) above += count[top--];
    int bottom = 0, below = 0;
    while (below + count[bottom] < k) below += count[bottom++];

    double in_top[245], in_bottom[245];
    int n_top = 0, n_bottom = 0;
    for (int j = 0; j < n; ++j) {
        const int b = bucket_of(values[j]);
        if (b == top) in_top[n_top++] = values[j];
        if (b == bottom) in_bottom[n_bottom++] = values[j];
    }
    const int rank_top = k - above - 1;  // 0-based, descending
    std::nth_element(in_top, in_top + rank_top, in_top + n_top, std::greater<double>());
    kth_largest = in_top[rank_top];
    const int rank_bottom = k - below - 1;  // 0-based, ascending
    std::nth_element(in_bottom, in_bottom + rank_bottom, in_bottom + n_bottom);
    kth_smallest = in_bottom[rank_bottom];
}

namespace {

// The element of rank k (0-based) of v[0..n) in the order `before` (std::less: k-th smallest,
// std::greater: k-th largest), n > k. For k < 4 by one pass that keeps the k + 1 first values
// in order (a min/max insertion without branches), else std::nth_element. Exact: order
// statistics do not depend on how they are found. May reorder v.
template <class Before>
double rank_from_front(double* v, int n, int k, Before before) {
    const auto keep = [&]<int K>() {
        double m[K];
        for (int s = 0; s < K; ++s) m[s] = v[s];
        std::sort(m, m + K, before);
        for (int i = K; i < n; ++i) {
            double x = v[i];
            for (int s = 0; s < K; ++s) {
                const bool first = before(x, m[s]);
                const double front = first ? x : m[s];
                x = first ? m[s] : x;
                m[s] = front;
            }
        }
        return m[K - 1];
    };
    switch (k) {
        case 0:
            return keep.template operator()<1>();
        case 1:
            return keep.template operator()<2>();
        case 2:
            return keep.template operator()<3>();
        case 3:
            return keep.template operator()<4>();
        default:
            std::nth_element(v, v + k, v + n, before);
            return v[k];
    }
}

// The decile-th value (1-based) of v[0..n) in the order `before`, n >= decile, given a value
// `pivot` near it (the previous profile's decile): split v at the pivot, then the answer has a
// small rank from one end of one part.
template <class Before>
double decile_near(double* v, int n, int decile, double pivot, Before before) {
    double front[245];
    int n_front = 0, n_back = 0;
    for (int i = 0; i < n; ++i) {  // v[0..n_back) keeps the rest in place (n_back <= i)
        const double x = v[i];
        const bool is_front = before(x, pivot);
        front[n_front] = x;
        n_front += is_front;
        v[n_back] = x;
        n_back += !is_front;
    }
    if (n_front >= decile)  // the (n_front - decile)-th from the back of the front part
        return rank_from_front(front, n_front, n_front - decile,
                               [&](double a, double b) { return before(b, a); });
    return rank_from_front(v, n_back, decile - n_front - 1, before);
}

}  // namespace

// Terrain irregularity Δh between two distances ([Alg] §3 "dlthx"): the profile is resampled
// at n equally spaced points, a straight line removed, and the interdecile range of the
// residuals scaled to an infinite path with [ERL79] eq. (3).
//
// Written for speed (it runs once per pixel on the fast engine's path): the resampling and the
// sums of the least-squares line (zlsq1 on the resampled points: trapezoidal end weights) take
// one pass with four independent partial sums, the residuals a second. The deciles are then
// selected among the residuals beyond two thresholds when at least `decile` residuals lie
// beyond each, which gives exactly the order statistics nth_element would select (the `hint`
// thresholds of a similar profile first, then mean +/- 0.95 standard deviations), else by
// extreme_order_statistics; with a hint, the previous deciles split those residuals so that
// each decile is a small rank from one end of one part (decile_near). The SSE2 loops do the
// scalar operations two lanes at a time (same values). Equal to the step-by-step formulation
// up to rounding (tests/test_itm_delta_h.cpp).
//
// The implementation before the Highway kernels of itm_delta_h.cpp (interdecile_delta_h),
// kept for the tests and benchmarks that compare the two.
double interdecile_delta_h_sse2(const Profile& profile, double from_m, double to_m,
                                DecileHint* hint) {
    constexpr int max_samples = 245;  // 10 * 25 - 5
    double y[max_samples];

    // Within the profile, so that every index below is in range whatever the distances (NaN
    // for NaN distances: no terrain analysis on a broken geometry).
    if (!(from_m == from_m && to_m == to_m)) return std::nan("");
    const double intervals = double(profile.intervals);
    const double x0 = std::clamp(from_m / profile.step_m, 0.0, intervals);
    const double x_end = std::clamp(to_m / profile.step_m, 0.0, intervals);
    if (!(x_end - x0 >= 2.0)) return 0.0;

    const int decile = std::clamp(int(0.1 * (x_end - x0 + 8.0)), 4, 25);
    const int count = 10 * decile - 5;
    const int last = count - 1;
    const double increment = (x_end - x0) / double(last);

    // Linear interpolation at x0 + j * increment, with the sums of the line fit in four
    // independent partial sums (lane j mod 4).
    const double* z = profile.z;
    const int max_interval = profile.intervals - 1;
    const auto sample = [&](int j) {
        const double x = x0 + double(j) * increment;
        const int i = std::clamp(int(x), 0, max_interval);
        return z[i] + (z[i + 1] - z[i]) * (x - double(i));
    };
    double sy[4] = {0.0, 0.0, 0.0, 0.0}, sjy[4] = {0.0, 0.0, 0.0, 0.0};
    int j = 0;
#if defined(__SSE2__)
    // Two lanes per SSE2 operation: the same IEEE operations as sample(), so the same values.
    // Without clamping the index, which needs every point before the end of the profile (the
    // points increase with j).
    if (x0 + double(last) * increment < double(profile.intervals)) {
        const __m128d vx0 = _mm_set1_pd(x0), vinc = _mm_set1_pd(increment);
        const __m128d four = _mm_set1_pd(4.0);
        __m128d j01 = _mm_set_pd(1.0, 0.0), j23 = _mm_set_pd(3.0, 2.0);
        __m128d sy01 = _mm_setzero_pd(), sy23 = _mm_setzero_pd();
        __m128d sjy01 = _mm_setzero_pd(), sjy23 = _mm_setzero_pd();
        const auto pair = [&](__m128d jj) {
            const __m128d x = _mm_add_pd(vx0, _mm_mul_pd(jj, vinc));
            const __m128i i = _mm_cvttpd_epi32(x);
            const __m128d fi = _mm_cvtepi32_pd(i);
            const int i0 = _mm_cvtsi128_si32(i);
            const int i1 = _mm_cvtsi128_si32(_mm_shuffle_epi32(i, 1));
            const __m128d p0 = _mm_loadu_pd(z + i0), p1 = _mm_loadu_pd(z + i1);
            const __m128d a = _mm_unpacklo_pd(p0, p1), b = _mm_unpackhi_pd(p0, p1);
            return _mm_add_pd(a, _mm_mul_pd(_mm_sub_pd(b, a), _mm_sub_pd(x, fi)));
        };
        for (; j + 4 <= count; j += 4) {
            const __m128d v01 = pair(j01), v23 = pair(j23);
            _mm_storeu_pd(y + j, v01);
            _mm_storeu_pd(y + j + 2, v23);
            sy01 = _mm_add_pd(sy01, v01);
            sy23 = _mm_add_pd(sy23, v23);
            sjy01 = _mm_add_pd(sjy01, _mm_mul_pd(j01, v01));
            sjy23 = _mm_add_pd(sjy23, _mm_mul_pd(j23, v23));
            j01 = _mm_add_pd(j01, four);
            j23 = _mm_add_pd(j23, four);
        }
        _mm_storeu_pd(sy, sy01);
        _mm_storeu_pd(sy + 2, sy23);
        _mm_storeu_pd(sjy, sjy01);
        _mm_storeu_pd(sjy + 2, sjy23);
    }
#endif
    for (; j + 4 <= count; j += 4)
        for (int u = 0; u < 4; ++u) {
            const double v = sample(j + u);
            y[j + u] = v;
            sy[u] += v;
            sjy[u] += double(j + u) * v;
        }
    for (; j < count; ++j) {
        const double v = sample(j);
        y[j] = v;
        sy[0] += v;
        sjy[0] += double(j) * v;
    }
    const double sum_y = (sy[0] + sy[1]) + (sy[2] + sy[3]);
    const double sum_jy = (sjy[0] + sjy[1]) + (sjy[2] + sjy[3]);
    // Trapezoidal weights: the end points count one half.
    const double span = double(last);
    const double centre = 0.5 * span;
    const double weighted_sum = sum_y - 0.5 * (y[0] + y[last]);
    const double moment = (sum_jy - 0.5 * span * y[last]) - centre * weighted_sum;
    const double mean = weighted_sum / span;
    const double slope = moment * 12.0 / ((span * span + 2.0) * span);
    const double at_start = mean - slope * centre;
    const auto residual = [&](int k) { return y[k] - (at_start + slope * double(k)); };

    // The residuals beyond the thresholds: high[0..n_high) above t_high, low[0..n_low) below
    // t_low (t_high > t_low).
    double high[max_samples], low[max_samples];
    int n_high = 0, n_low = 0;
    const auto collect = [&](double t_high, double t_low) {
        n_high = n_low = 0;
        int k = 0;
#if defined(__SSE2__)
        {
            const __m128d va = _mm_set1_pd(at_start), vs = _mm_set1_pd(slope);
            const __m128d th = _mm_set1_pd(t_high), tl = _mm_set1_pd(t_low);
            const __m128d two = _mm_set1_pd(2.0);
            __m128d kk = _mm_set_pd(1.0, 0.0);
            for (; k + 2 <= count; k += 2) {
                const __m128d r =
                    _mm_sub_pd(_mm_loadu_pd(y + k), _mm_add_pd(va, _mm_mul_pd(vs, kk)));
                kk = _mm_add_pd(kk, two);
                const int above = _mm_movemask_pd(_mm_cmpgt_pd(r, th));
                const int below = _mm_movemask_pd(_mm_cmplt_pd(r, tl));
                _mm_storel_pd(high + n_high, r);
                n_high += above & 1;
                _mm_storeh_pd(high + n_high, r);
                n_high += above >> 1;
                _mm_storel_pd(low + n_low, r);
                n_low += below & 1;
                _mm_storeh_pd(low + n_low, r);
                n_low += below >> 1;
            }
        }
#endif
        for (; k < count; ++k) {
            const double r = residual(k);
            high[n_high] = r;
            n_high += r > t_high;
            low[n_low] = r;
            n_low += r < t_low;
        }
    };
    const bool hinted = hint && hint->valid;
    if (hinted) collect(hint->high, hint->low);
    bool selected = hinted && n_high >= decile && n_low >= decile;
    if (!selected) {
        // Without a hint, or the hint did not hold: thresholds from the residuals' statistics.
        double sr[4] = {0.0, 0.0, 0.0, 0.0}, srr[4] = {0.0, 0.0, 0.0, 0.0};
        if (hinted) {  // summed in order, as the fallback always did
            for (int k = 0; k < count; ++k) {
                const double r = residual(k);
                sr[0] += r;
                srr[0] += r * r;
            }
        } else {
            for (j = 0; j + 4 <= count; j += 4)
                for (int u = 0; u < 4; ++u) {
                    const double r = residual(j + u);
                    sr[u] += r;
                    srr[u] += r * r;
                }
            for (; j < count; ++j) {
                const double r = residual(j);
                sr[0] += r;
                srr[0] += r * r;
            }
        }
        const double sum_r = (sr[0] + sr[1]) + (sr[2] + sr[3]);
        const double sum_rr = (srr[0] + srr[1]) + (srr[2] + srr[3]);
        const double r_mean = sum_r / double(count);
        const double r_sd = std::sqrt(std::max(sum_rr / double(count) - r_mean * r_mean, 0.0));
        const double t_high = r_mean + 0.95 * r_sd, t_low = r_mean - 0.95 * r_sd;
        if (t_high > t_low) {
            collect(t_high, t_low);
            selected = n_high >= decile && n_low >= decile;
        }
    }

    // q10: the decile-th largest residual; q90: the decile-th smallest.
    double q10, q90;
    if (selected) {
        if (hinted) {  // the previous deciles are near
            q10 = decile_near(high, n_high, decile, hint->q10, std::greater<double>());
            q90 = decile_near(low, n_low, decile, hint->q90, std::less<double>());
        } else {
            std::nth_element(high, high + decile - 1, high + n_high, std::greater<double>());
            std::nth_element(low, low + decile - 1, low + n_low);
            q10 = high[decile - 1];
            q90 = low[decile - 1];
        }
    } else {
        for (int k = 0; k < count; ++k) y[k] = residual(k);
        extreme_order_statistics(y, count, decile, q10, q90);
    }
    if (hint) {
        // Slightly inside this profile's deciles: the next, similar profile should find a few
        // more than `decile` residuals beyond them.
        const double margin = 0.08 * (q10 - q90);
        hint->high = q10 - margin;
        hint->low = q90 + margin;
        hint->q10 = q10;
        hint->q90 = q90;
        hint->valid = q10 > q90;
    }
    return (q10 - q90) / (1.0 - 0.8 * std::exp(-(to_m - from_m) / 50e3));
}

// Horizon distance over a rough earth, [Alg] eq. (3.3): d_Lj = sqrt(2 h_ej a) *
// exp(-0.07 sqrt(Δh / max(h_ej, 5 m))).
double rough_earth_horizon_m(double effective_height_m, double radius_m, double delta_h_m) {
    return std::sqrt(2.0 * effective_height_m * radius_m) *
           std::exp(-0.07 * std::sqrt(delta_h_m / std::max(effective_height_m, 5.0)));
}

// Horizon elevation angle, [Alg] eq. (3.4).
double rough_earth_horizon_angle(double effective_height_m, double horizon_m, double radius_m,
                                 double delta_h_m) {
    const double smooth_m = std::sqrt(2.0 * effective_height_m * radius_m);
    return (0.65 * delta_h_m * (smooth_m / horizon_m - 1.0) - 2.0 * effective_height_m) / smooth_m;
}

double terrain_irregularity_at_m(double distance_m, double delta_h_m) {
    return delta_h_m * (1.0 - 0.8 * std::exp(-distance_m / 50e3));
}

std::complex<double> ground_impedance(double frequency_mhz, Polarization polarization,
                                      double epsilon, double sigma_s_per_m) {
    // [Alg] §2: complex relative permittivity eps_r + i 18000 sigma / f, surface transfer
    // impedance Z_g = sqrt(eps_r - 1), divided by eps_r for vertical polarisation.
    const std::complex<double> permittivity(epsilon, 18000.0 * sigma_s_per_m / frequency_mhz);
    std::complex<double> z = std::sqrt(permittivity - 1.0);
    if (polarization == Polarization::vertical) z /= permittivity;
    return z;
}

void prepare_environment(double frequency_mhz, double system_height_m, double n0_n_units,
                         Polarization polarization, double epsilon, double sigma_s_per_m,
                         PathGeometry& g) {
    g.frequency_mhz = frequency_mhz;
    prepare_refractivity(system_height_m, n0_n_units, g);
    g.ground_impedance = ground_impedance(frequency_mhz, polarization, epsilon, sigma_s_per_m);
}

double mean_path_elevation_m(const Profile& p) {
    const int skip = int(0.1 * double(p.intervals));
    double sum = 0.0;
    for (int i = skip; i <= p.intervals - skip; ++i) sum += p.z[i];
    return sum / double(p.intervals - 2 * skip + 1);
}

void find_horizons(const Profile& p, PathGeometry& g) {
    const double d = p.length_m();
    const double radius = 1.0 / g.curvature_per_m;
    g.distance_m = d;

    // Radio horizons ([Alg] §3 "hzns", [TN101] eq. (6.15)): start from the angles to the other
    // terminal, then take the highest elevation angle to any intermediate point.
    const double z_tx = p.z[0] + g.height_m[0];
    const double z_rx = p.z[p.intervals] + g.height_m[1];
    const double bulge_d = d / (2.0 * radius);
    g.horizon_angle_rad[0] = (z_rx - z_tx) / d - bulge_d;
    g.horizon_angle_rad[1] = -(z_rx - z_tx) / d - bulge_d;
    g.horizon_distance_m[0] = d;
    g.horizon_distance_m[1] = d;
    double from_tx = 0.0;
    double from_rx = d;
    for (int i = 1; i < p.intervals; ++i) {
        from_tx += p.step_m;
        from_rx -= p.step_m;
        const double angle_tx = (p.z[i] - z_tx) / from_tx - from_tx / (2.0 * radius);
        const double angle_rx = -(z_rx - p.z[i]) / from_rx - from_rx / (2.0 * radius);
        if (angle_tx > g.horizon_angle_rad[0]) {
            g.horizon_angle_rad[0] = angle_tx;
            g.horizon_distance_m[0] = from_tx;
        }
        if (angle_rx > g.horizon_angle_rad[1]) {
            g.horizon_angle_rad[1] = angle_rx;
            g.horizon_distance_m[1] = from_rx;
        }
    }
}

void analyse_profile(const Profile& p, PathGeometry& g) {
    find_horizons(p, g);
    complete_geometry(p, g, [&p](double from_m, double to_m) {
        return fit_line(p.z, p.intervals, p.step_m, from_m, to_m);
    });
}

void estimate_area_geometry(Siting tx_siting, Siting rx_siting, PathGeometry& g) {
    const Siting siting[2] = {tx_siting, rx_siting};
    const double radius = 1.0 / g.curvature_per_m;
    for (int j = 0; j < 2; ++j) {
        const double h = g.height_m[j];
        if (siting[j] == Siting::random) {
            g.effective_height_m[j] = h;
        } else {
            // [Alg] eq. (3.2): h_e = h_g + (1 + B) exp(-min(20, 2 h_g / max(1 mm, Δh))),
            // B = 4 (careful) or 9 (very careful), reduced by sin(0.1 pi h_g) below 5 m.
            double b = siting[j] == Siting::careful ? 4.0 : 9.0;
            if (h < 5.0) b *= std::sin(0.1 * 3.1415926535897932384 * h);
            g.effective_height_m[j] =
                h + (1.0 + b) * std::exp(-std::min(20.0, 2.0 * h / std::max(1e-3, g.delta_h_m)));
        }
        g.horizon_distance_m[j] =
            rough_earth_horizon_m(g.effective_height_m[j], radius, g.delta_h_m);
        g.horizon_angle_rad[j] = rough_earth_horizon_angle(
            g.effective_height_m[j], g.horizon_distance_m[j], radius, g.delta_h_m);
    }
}

}  // namespace grenzfunk::propagation::itm::detail
