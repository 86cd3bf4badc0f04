// The batched ITM attenuation tail (itm_tail_internal.hpp, PrefixProfile::submit): the same
// bits on every instruction set this CPU runs and for any batch composition, on every prefix of
// real SRTM3 profiles of the border region (tests/data/itm_region). Its agreement with the
// plain point_to_point (1e-6 dB) is tested with the prefix evaluator in test_engine_fast.cpp.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "propagation/itm.hpp"
#include "propagation/itm_prefix.hpp"
#include "propagation/itm_tail_internal.hpp"
#include "simd/dispatch.hpp"
#include "test_helpers.hpp"
#include "test_simd_paths.hpp"
#include "validation/path_cases.hpp"

using namespace grenzfunk;
namespace itm = grenzfunk::propagation::itm;

namespace {

struct Outcome {
    std::uint64_t loss_bits = 0;
    std::uint64_t reference_bits = 0;
    itm::Mode mode = itm::Mode::not_set;
    std::uint32_t warnings = 0;
    bool operator==(const Outcome&) const = default;
};

// Every prefix of every profile with tails of 1, 4 and 17 own samples; with `decoys`, an extra
// path (another tail) before each, so that every real path lands in another batch with other
// neighbours. Returns the real paths' outcomes in submission order.
std::vector<Outcome> run(const itm::Inputs& in, const std::vector<std::vector<double>>& radials,
                         bool decoys) {
    std::vector<Outcome> out;
    std::vector<itm::PrefixProfile::Completed> done;
    itm::PrefixProfile prefix(in);
    constexpr std::uint32_t decoy = 0x80000000u;
    std::uint32_t next = 0;
    std::vector<double> tail;
    for (const std::vector<double>& radial : radials) {
        prefix.clear();
        for (std::size_t m = 1; m + 1 < radial.size(); ++m) {
            prefix.push(radial[m - 1]);
            for (const std::size_t length : {1u, 4u, 17u}) {
                tail.clear();
                for (std::size_t k = 0; k < length; ++k)
                    tail.push_back(radial[std::min(m + k, radial.size() - 1)]);
                if (decoys && (next % 3) != 1) {
                    std::vector<double> other = tail;
                    for (double& z : other) z += 25.0;
                    prefix.submit(other, 61.0, decoy | next, done);
                }
                prefix.submit(tail, 60.0 + double(length) / 64.0, next++, done);
            }
        }
    }
    prefix.flush(done);
    out.resize(next);
    for (const itm::PrefixProfile::Completed& c : done) {
        if (c.token & decoy) continue;
        out[c.token] = {std::bit_cast<std::uint64_t>(c.result.loss_db),
                        std::bit_cast<std::uint64_t>(c.result.reference_attenuation_db),
                        c.result.mode, c.result.warnings};
    }
    return out;
}

// How many paths differ from `expected` in any bit (counted, not listed: thousands of paths).
std::size_t differing(const std::vector<Outcome>& got, const std::vector<Outcome>& expected) {
    if (got.size() != expected.size()) return std::max(got.size(), expected.size());
    std::size_t n = 0;
    for (std::size_t i = 0; i < got.size(); ++i) n += got[i] == expected[i] ? 0 : 1;
    return n;
}

}  // namespace

TEST_CASE("ITM batched tail: same bits on every SIMD path and in any batch", "[itm][simd]") {
    std::vector<std::vector<double>> radials;
    for (const char* name : {"r11_0055", "r11_0020", "r11_0090"}) {
        const std::string path =
            test::data_path(std::string("itm_region/profiles/") + name + ".pfl");
        const std::vector<double> pfl = validation::read_pfl(path);
        radials.emplace_back(pfl.begin() + 2, pfl.end());
    }
    itm::Inputs in;
    in.frequency_mhz = 806.0;
    in.tx_height_m = 35.0;
    in.rx_height_m = 1.5;
    test::SimdPathGuard guard;
    simd::use_path(simd::Path::scalar);
    const std::vector<Outcome> scalar = run(in, radials, false);
    int modes[4] = {0, 0, 0, 0};
    for (const Outcome& o : scalar) ++modes[int(o.mode)];
    INFO("paths: " << scalar.size() << ", line of sight " << modes[1] << ", diffraction "
                   << modes[2] << ", troposcatter " << modes[3]);
    CHECK(modes[1] > 100);  // both kernels are exercised
    CHECK(modes[2] > 100);
    CHECK(differing(run(in, radials, true), scalar) == 0);
    test::for_each_runnable_path([&](simd::Path p) {
        INFO("path " << simd::path_name(p));
        CHECK(differing(run(in, radials, false), scalar) == 0);
        CHECK(differing(run(in, radials, true), scalar) == 0);
    });
}

TEST_CASE("ITM receiver horizon per block: the plain backward scan's candidate on every path",
          "[itm][simd]") {
    // Random-walk terrain and integer terrain with flat runs; blocks of 1 to 16 samples at every
    // position; the result against the plain loop (the highest angle, the lowest index holding
    // it), with no bound, with the bound at the answer and with a bound above every sample.
    std::mt19937 rng(5);
    std::normal_distribution<double> noise(0.0, 15.0);
    std::uniform_int_distribution<int> level(0, 4);
    std::vector<std::vector<double>> profiles;
    for (int k = 0; k < 4; ++k) {
        std::vector<double> z(std::size_t(120 + 37 * k));
        double walk = 450.0;
        for (double& v : z) v = (walk += noise(rng));
        profiles.push_back(z);
        for (double& v : z) v = 400.0 + double(level(rng));
        profiles.push_back(z);
    }
    const double step_m = 90.0, radius_m = 8.5e6;
    constexpr double minus_inf = -std::numeric_limits<double>::infinity();
    grenzfunk::test::SimdPathGuard guard;
    std::size_t blocks = 0;
    grenzfunk::test::for_each_runnable_path([&](simd::Path path) {
        INFO("path " << simd::path_name(path));
        for (const std::vector<double>& z : profiles) {
            const int n = int(z.size()) - 1;
            const double z_rx = z[std::size_t(n)] + 1.5;
            for (int lo = 1; lo < n; lo += 3)
                for (int width = 1; width <= 16 && lo + width <= n; ++width) {
                    const int hi = lo + width;
                    double best = minus_inf;
                    int best_index = -1;
                    for (int k = lo; k < hi; ++k) {
                        const double from_rx = double(n - k) * step_m;
                        const double a =
                            -(z_rx - z[std::size_t(k)]) / from_rx - from_rx / (2.0 * radius_m);
                        if (a > best) {
                            best = a;
                            best_index = k;
                        }
                    }
                    const auto free = itm::detail::rx_block_candidate(z.data(), lo, hi, n, step_m,
                                                                      z_rx, radius_m, minus_inf);
                    CHECK(std::bit_cast<std::uint64_t>(free.angle_rad) ==
                          std::bit_cast<std::uint64_t>(best));
                    CHECK(free.index == best_index);
                    const auto bound = itm::detail::rx_block_candidate(z.data(), lo, hi, n, step_m,
                                                                       z_rx, radius_m, best);
                    CHECK(bound.index == best_index);
                    const auto above = itm::detail::rx_block_candidate(z.data(), lo, hi, n, step_m,
                                                                       z_rx, radius_m, best + 1e-3);
                    CHECK((above.index < 0 || above.angle_rad < best + 1e-3));
                    ++blocks;
                }
        }
    });
    CHECK(blocks > 5000);
}

TEST_CASE("ITM horizon scans: exact ties go to the lowest index on every path", "[itm][simd]") {
    // Profiles whose angles are equal to the last bit: with an infinite earth radius the angle
    // from the receiver is (z_k - z_rx) / ((n - k) h), exactly 1/2 where z_k = z_rx + (n - k) / 2
    // (h = 1 m), and from the transmitter (z_k - z_tx) / (k h), exactly 1/4 where
    // z_k = z_tx + k / 4. Every third sample ties, the others lie 1 m lower; the candidate is the
    // lowest tying index of the range (what the plain scans' '>' keeps), in every lane layout.
    const int n = 60;
    const double step_m = 1.0, radius_m = std::numeric_limits<double>::infinity();
    const double z_tx = 300.0, z_rx = 200.0;
    std::vector<double> rx_ties(std::size_t(n + 1)), tx_ties(std::size_t(n + 1));
    const auto ties = [](int k) { return k % 3 == 2; };
    for (int k = 0; k <= n; ++k) {
        const double lower = ties(k) ? 0.0 : 1.0;
        rx_ties[std::size_t(k)] = z_rx + 0.5 * double(n - k) - lower;
        tx_ties[std::size_t(k)] = z_tx + 0.25 * double(k) - lower;
    }
    grenzfunk::test::SimdPathGuard guard;
    std::size_t ranges = 0;
    grenzfunk::test::for_each_runnable_path([&](simd::Path path) {
        INFO("path " << simd::path_name(path));
        for (int lo = 1; lo < n; ++lo)
            for (int hi = lo + 1; hi <= std::min(n, lo + 24); ++hi) {
                INFO("samples " << lo << " .. " << hi - 1);
                int expected = lo;
                while (expected < hi && !ties(expected)) ++expected;
                if (expected == hi) continue;  // no tying sample in the range
                if (hi - lo <= 16) {
                    const auto block = itm::detail::rx_block_candidate(
                        rx_ties.data(), lo, hi, n, step_m, z_rx, radius_m,
                        -std::numeric_limits<double>::infinity());
                    CHECK(block.angle_rad == 0.5);
                    CHECK(block.index == expected);
                }
                const auto rx = itm::detail::scan_horizon_candidates(
                    rx_ties.data(), lo, hi, n, step_m, z_tx, z_rx, radius_m, false);
                CHECK(rx.rx_angle_rad == 0.5);
                CHECK(rx.rx_index == expected);
                CHECK(rx.tx_index == -1);
                const auto tx = itm::detail::scan_horizon_candidates(
                    tx_ties.data(), lo, hi, n, step_m, z_tx, z_rx, radius_m, true);
                CHECK(tx.tx_angle_rad == 0.25);
                CHECK(tx.tx_index == expected);
                ++ranges;
            }
    });
    CHECK(ranges > 1000);
}
