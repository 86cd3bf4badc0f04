// The fast Δh of itm_terrain.cpp (interdecile_delta_h: fused resampling and line sums, SSE2
// lanes, thresholded selection with hints) against the step-by-step formulation of [Alg] §3
// "dlthx" written out plainly here: resample the profile at 10 d - 5 points, fit the zlsq1 line
// to them, take the decile-th largest and smallest residual with std::nth_element, scale with
// [ERL79] eq. (3). Order statistics are exact, so the two may differ only by the rounding of
// the line fit (sums taken in another order): held to 1e-9 m. Profiles: real SRTM terrain of
// the region (tests/data/itm_region), and integer-valued synthetic terrain with long flat runs
// (many equal residuals: ties in the selection).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "validation/path_cases.hpp"
#include "propagation/itm_internal.hpp"

namespace itm = grenzfunk::propagation::itm;

namespace {

double delta_h_step_by_step(const itm::detail::Profile& p, double from_m, double to_m) {
    const double x0 = from_m / p.step_m, x_end = to_m / p.step_m;
    if (x_end - x0 < 2.0) return 0.0;
    const int decile = std::clamp(int(0.1 * (x_end - x0 + 8.0)), 4, 25);
    const int count = 10 * decile - 5;
    const double increment = (x_end - x0) / double(count - 1);
    std::vector<double> y(static_cast<std::size_t>(count));
    for (int j = 0; j < count; ++j) {
        const double x = x0 + double(j) * increment;
        const int i = std::min(int(x), p.intervals - 1);
        y[std::size_t(j)] = p.z[i] + (p.z[i + 1] - p.z[i]) * (x - double(i));
    }
    // zlsq1 over the whole resampled set (the end points weigh one half).
    const itm::detail::LineEnds line =
        itm::detail::fit_line(y.data(), count - 1, 1.0, 0.0, double(count - 1));
    const double slope = (line.at_end - line.at_start) / double(count - 1);
    for (int j = 0; j < count; ++j) y[std::size_t(j)] -= line.at_start + slope * double(j);
    std::vector<double> a = y, b = y;
    std::nth_element(a.begin(), a.begin() + decile - 1, a.end(), std::greater<double>());
    std::nth_element(b.begin(), b.begin() + decile - 1, b.end());
    return (a[std::size_t(decile - 1)] - b[std::size_t(decile - 1)]) /
           (1.0 - 0.8 * std::exp(-(to_m - from_m) / 50e3));
}

// Every prefix of `z` (as the fast engine evaluates them, a hint carried from one to the next),
// over several ranges, plain and with good, stale and misleading hints.
void check_profile(const std::vector<double>& z, double step_m) {
    itm::detail::DecileHint carried;
    for (int n = 2; n < int(z.size()); ++n) {
        const itm::detail::Profile p{z.data(), n, step_m};
        const double d = p.length_m();
        const double ranges[][2] = {{0.0, d}, {0.1 * d, d - 20.0}, {500.0, 0.7 * d}};
        for (const auto& range : ranges) {
            const double from = range[0], to = range[1];
            if (!(to > from)) continue;
            const double expected = delta_h_step_by_step(p, from, to);
            INFO("n = " << n << ", from " << from << " to " << to);
            CHECK(itm::detail::interdecile_delta_h(p, from, to) ==
                  Approx(expected).margin(1e-9).epsilon(0));
            CHECK(itm::detail::interdecile_delta_h(p, from, to, &carried) ==
                  Approx(expected).margin(1e-9).epsilon(0));
            // Hints that cannot hold (too far out) or hold trivially (everything beyond), with
            // previous deciles far off or near.
            const double hints[][4] = {{1e6, -1e6, 0.0, 0.0},
                                       {1e-9, -1e-9, 1e6, -1e6},
                                       {-5.0, 5.0, -1e6, 1e6},
                                       {1e-9, -1e-9, 0.5, -0.5},
                                       {0.0, 0.0, 3.0, -3.0}};
            for (const auto& h : hints) {
                itm::detail::DecileHint hint;
                hint.high = h[0];
                hint.low = h[1];
                hint.q10 = h[2];
                hint.q90 = h[3];
                hint.valid = true;
                CHECK(itm::detail::interdecile_delta_h(p, from, to, &hint) ==
                      Approx(expected).margin(1e-9).epsilon(0));
            }
        }
    }
}

}  // namespace

TEST_CASE("ITM Δh: the fast selection equals step-by-step dlthx on real terrain", "[itm]") {
    const std::filesystem::path dir =
        std::filesystem::path(GRENZFUNK_TEST_DATA_DIR) / "itm_region/profiles";
    for (const char* name : {"r11_0000.pfl", "r11_0055.pfl"}) {
        const std::vector<double> pfl = grenzfunk::validation::read_pfl(dir / name);
        INFO(name);
        check_profile({pfl.begin() + 2, pfl.end()}, pfl[1]);
    }
}

TEST_CASE("ITM Δh: the fast selection equals step-by-step dlthx with many ties", "[itm]") {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> run(1, 40), level(300, 320);
    std::vector<double> z;
    while (z.size() < 700) {
        const double v = double(level(rng));
        for (int k = run(rng); k > 0; --k) z.push_back(v);
    }
    z.resize(700);
    check_profile(z, 90.0);
    check_profile(std::vector<double>(300, 512.0), 30.0);  // flat: every residual zero
}
