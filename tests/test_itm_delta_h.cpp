// The fast Δh (interdecile_delta_h: vector resampling and line sums, windowed selection with
// hints, itm_delta_h.cpp) against the step-by-step formulation of [Alg] §3
// "dlthx" written out plainly here: resample the profile at 10 d - 5 points, fit the zlsq1 line
// to them, take the decile-th largest and smallest residual with std::nth_element, scale with
// [ERL79] eq. (3). Order statistics are exact, so the two may differ only by the rounding of
// the line fit (sums taken in another order): held to 1e-9 m. Profiles: real SRTM terrain of
// the region (tests/data/itm_region), and integer-valued synthetic terrain with long flat runs
// (many equal residuals: ties in the selection). Then the same bits on every SIMD path this
// CPU runs, on every prefix of the 120 region profiles, random terrain and edge cases, and
// agreement with the implementation before the vector kernels (interdecile_delta_h_sse2).
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "propagation/itm_internal.hpp"
#include "simd/dispatch.hpp"
#include "test_simd_paths.hpp"
#include "validation/path_cases.hpp"

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

namespace {

// High terrain whose residuals are below the resolution of floats (ulp(2500 f) = 2.4e-4 m):
// the AVX-512 windows' float screening cannot separate them, so nearly every point goes to the
// exact comparisons; plus a step between two such levels (residuals far from the bounds too).
std::vector<double> fine_high_terrain(unsigned seed, std::size_t size) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> tick(-40, 40);
    std::vector<double> z(size);
    for (std::size_t i = 0; i < size; ++i)
        z[i] = 2500.0 + 1e-5 * double(tick(rng)) + (i > size / 2 ? 0.75 : 0.0);
    return z;
}

}  // namespace

TEST_CASE("ITM Δh: exact where floats cannot tell the residuals apart", "[itm]") {
    check_profile(fine_high_terrain(3, 600), 90.0);
    check_profile(fine_high_terrain(5, 260), 30.0);
}

namespace {

namespace simd = grenzfunk::simd;

std::vector<std::vector<double>> region_profiles(double& step_m) {
    const std::filesystem::path dir =
        std::filesystem::path(GRENZFUNK_TEST_DATA_DIR) / "itm_region/profiles";
    std::vector<std::vector<double>> out;
    for (int i = 0; i < 120; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "r11_%04d.pfl", i);
        const std::vector<double> pfl = grenzfunk::validation::read_pfl(dir / name);
        step_m = pfl[1];
        out.emplace_back(pfl.begin() + 2, pfl.end());
    }
    return out;
}

// The calls of one run: every prefix of every profile over three ranges (as the fast engine's
// geometry chooses them, and the whole path), each plain and with a hint carried along the
// profile; then the edge cases. The results' bits in call order.
std::vector<std::uint64_t> delta_h_bits(const std::vector<std::vector<double>>& profiles,
                                        double step_m) {
    std::vector<std::uint64_t> out;
    const auto add = [&out](double v) { out.push_back(std::bit_cast<std::uint64_t>(v)); };
    for (const std::vector<double>& z : profiles) {
        itm::detail::DecileHint hint;
        for (int n = 2; n < int(z.size()); ++n) {
            const itm::detail::Profile p{z.data(), n, step_m};
            const double d = p.length_m();
            add(itm::detail::interdecile_delta_h(p, std::min(525.0, 0.1 * d),
                                                 d - std::min(22.5, 0.1 * d), &hint));
            add(itm::detail::interdecile_delta_h(p, 0.0, d));
            add(itm::detail::interdecile_delta_h(p, 0.3 * d, 0.8 * d));
        }
    }
    // Edge cases on one real profile: ranges of a few intervals, ends at and beyond the
    // profile's ends, reversed, NaN and infinite distances.
    const std::vector<double>& z = profiles.front();
    const itm::detail::Profile p{z.data(), int(z.size()) - 1, step_m};
    const double d = p.length_m();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const double ranges[][2] = {{0.0, 2.0 * step_m},
                                {0.0, 2.0 * step_m - 1e-9},
                                {d - 2.5 * step_m, d},
                                {d - 7.3 * step_m, d + 500.0},
                                {-300.0, 5.5 * step_m},
                                {1000.0, 500.0},
                                {nan, d},
                                {0.0, nan},
                                {-inf, inf},
                                {0.0, d},
                                {0.5 * d, d}};
    for (const auto& range : ranges) add(itm::detail::interdecile_delta_h(p, range[0], range[1]));
    return out;
}

}  // namespace

TEST_CASE("ITM Δh: every SIMD path gives the same bits", "[itm][simd]") {
    double step_m = 0.0;
    std::vector<std::vector<double>> profiles = region_profiles(step_m);
    // Random terrain (steps and noise), integer terrain with long flat runs (ties), a flat
    // profile, high terrain with variations below float resolution, the same scaled beyond
    // float range, a profile with values -0 and +0 only.
    std::mt19937 rng(11);
    std::normal_distribution<double> noise(0.0, 25.0);
    std::uniform_int_distribution<int> run(1, 30), level(0, 6);
    for (int k = 0; k < 6; ++k) {
        std::vector<double> z(std::size_t(300 + 97 * k));
        double walk = 400.0;
        for (double& v : z) v = (walk += noise(rng));
        profiles.push_back(z);
        std::vector<double> steps;
        while (steps.size() < z.size()) {
            const double v = double(level(rng));
            for (int r = run(rng); r > 0; --r) steps.push_back(v);
        }
        steps.resize(z.size());
        profiles.push_back(steps);
    }
    profiles.emplace_back(400, 321.0);
    profiles.push_back(fine_high_terrain(9, 500));
    // Values beyond float range (the AVX-512 screening steps aside).
    std::vector<double> huge = fine_high_terrain(13, 400);
    for (double& v : huge) v *= 1e36;
    profiles.push_back(huge);
    std::vector<double> zeros(400, 0.0);
    for (std::size_t i = 0; i < zeros.size(); i += 3) zeros[i] = -0.0;
    profiles.push_back(zeros);

    grenzfunk::test::SimdPathGuard guard;
    simd::use_path(simd::Path::scalar);
    const std::vector<std::uint64_t> scalar = delta_h_bits(profiles, step_m);
    REQUIRE(scalar.size() > 150000);
    grenzfunk::test::for_each_runnable_path([&](simd::Path path) {
        const std::vector<std::uint64_t> bits = delta_h_bits(profiles, step_m);
        std::size_t differing = 0;
        for (std::size_t i = 0; i < bits.size(); ++i) differing += bits[i] != scalar[i];
        INFO("path " << simd::path_name(path));
        CHECK(bits.size() == scalar.size());
        CHECK(differing == 0);
    });
}

TEST_CASE("ITM Δh: equal to the implementation before the vector kernels", "[itm]") {
    double step_m = 0.0;
    const std::vector<std::vector<double>> profiles = region_profiles(step_m);
    std::size_t compared = 0;
    for (const std::vector<double>& z : profiles) {
        itm::detail::DecileHint hint_new, hint_old;
        for (int n = 2; n < int(z.size()); ++n) {
            const itm::detail::Profile p{z.data(), n, step_m};
            const double d = p.length_m();
            const double from = std::min(525.0, 0.1 * d), to = d - std::min(22.5, 0.1 * d);
            const double now = itm::detail::interdecile_delta_h(p, from, to, &hint_new);
            const double before = itm::detail::interdecile_delta_h_sse2(p, from, to, &hint_old);
            INFO("n = " << n);
            REQUIRE(now == Approx(before).margin(1e-9).epsilon(0));
            ++compared;
        }
    }
    CHECK(compared > 40000);
    // Edge cases the same.
    const std::vector<double>& z = profiles.front();
    const itm::detail::Profile p{z.data(), int(z.size()) - 1, step_m};
    CHECK(std::isnan(itm::detail::interdecile_delta_h(p, std::nan(""), 100.0)));
    CHECK(itm::detail::interdecile_delta_h(p, 0.0, 1.9 * step_m) == 0.0);
    CHECK(itm::detail::interdecile_delta_h(p, 1000.0, 500.0) == 0.0);
    const std::vector<double> flat(100, 250.0);
    const itm::detail::Profile q{flat.data(), 99, 90.0};
    CHECK(itm::detail::interdecile_delta_h(q, 0.0, q.length_m()) == 0.0);
}
