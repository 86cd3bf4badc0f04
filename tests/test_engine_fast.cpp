// The fast (radial) coverage engine: its prefix evaluators (ITM, p526-bullington) against the
// plain models on the same profiles, the radial engine against the reference engine on real
// terrain, and determinism.
#include <tbb/task_arena.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <span>
#include <tuple>
#include <vector>

#include "core/parameters.hpp"
#include "engine/coverage.hpp"
#include "engine/radial_sectors.hpp"
#include "io/crs.hpp"
#include "io/terrain_reader.hpp"
#include "propagation/itm.hpp"
#include "propagation/itm_prefix.hpp"
#include "propagation/registry.hpp"
#include "simd/dispatch.hpp"
#include "test_helpers.hpp"
#include "test_simd_paths.hpp"
#include "validation/path_cases.hpp"

using namespace grenzfunk;
namespace itm = grenzfunk::propagation::itm;

namespace {

itm::Inputs border_inputs(double frequency_mhz, double tx_height_m, double rx_height_m) {
    itm::Inputs in;
    in.frequency_mhz = frequency_mhz;
    in.tx_height_m = tx_height_m;
    in.rx_height_m = rx_height_m;
    in.variability.mode = itm::VariabilityMode::broadcast;
    return in;
}

// Every prefix of `radial` (plus a tail of own samples, the last under the receiver, and a
// step) through PrefixProfile — evaluate() and the batched submit() — and through the plain
// point_to_point on the same profile; returns the largest |difference| in dB. Tails of 1, 5 and
// 33 samples.
double max_prefix_deviation_db(const itm::Inputs& in, const std::vector<double>& radial,
                               double step_m, std::mt19937& rng, int* modes_differ) {
    std::uniform_real_distribution<double> offset(-40.0, 40.0);
    std::uniform_real_distribution<double> stretch(0.7, 1.4);
    itm::PrefixProfile prefix(in);
    std::vector<double> plain, tail;
    std::vector<itm::Result> expected;
    std::vector<itm::PrefixProfile::Completed> batched;
    double worst = 0.0;
    for (std::size_t m = 1; m < radial.size(); ++m) {
        prefix.push(radial[m - 1]);
        for (const std::size_t length : {1u, 5u, 33u}) {
            tail.clear();
            for (std::size_t k = 0; k < length; ++k)
                tail.push_back(radial[std::min(m + k, radial.size() - 1)] + offset(rng));
            // Steps on a 2^-20 m lattice, as the radial engine uses them (itm_prefix.hpp).
            const double step = std::ldexp(std::round(std::ldexp(step_m * stretch(rng), 20)), -20);
            plain.assign(radial.begin(), radial.begin() + std::ptrdiff_t(m));
            plain.insert(plain.end(), tail.begin(), tail.end());
            const itm::Result a =
                length == 1 ? prefix.evaluate(tail[0], step) : prefix.evaluate(tail, step);
            const itm::Result b = itm::point_to_point(in, step, plain);
            prefix.submit(tail, step, std::uint32_t(expected.size()), batched);
            expected.push_back(b);
            REQUIRE(a.ok() == b.ok());
            if (!b.ok()) continue;
            worst = std::max(worst, std::abs(a.loss_db - b.loss_db));
            if (a.mode != b.mode) ++*modes_differ;
        }
    }
    prefix.flush(batched);
    REQUIRE(batched.size() == expected.size());
    for (const itm::PrefixProfile::Completed& c : batched) {
        const itm::Result& b = expected[c.token];
        REQUIRE(c.result.error == b.error);
        CHECK(c.result.warnings == b.warnings);
        if (!b.ok()) continue;
        worst = std::max(worst, std::abs(c.result.loss_db - b.loss_db));
        worst = std::max(worst,
                         std::abs(c.result.reference_attenuation_db - b.reference_attenuation_db));
        if (c.result.mode != b.mode) ++*modes_differ;
    }
    return worst;
}

}  // namespace

TEST_CASE("ITM prefix profile: every prefix (+ own tail) equals the plain ITM on that profile",
          "[engine][itm]") {
    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    int modes_differ = 0;

    SECTION("real border-region profile (tests/data/itm_region r11_0055, 30 km)") {
        const std::vector<double> pfl =
            validation::read_pfl(test::data_path("itm_region/profiles/r11_0055.pfl"));
        const std::vector<double> radial(pfl.begin() + 2, pfl.end());
        for (const auto& in : {border_inputs(900.0, 35.0, 1.5), border_inputs(2600.0, 10.0, 3.0),
                               border_inputs(150.0, 120.0, 1.5)}) {
            CHECK(max_prefix_deviation_db(in, radial, pfl[1], rng, &modes_differ) < 1e-6);
        }
    }
    SECTION("random rough terrain, 600 samples") {
        std::uniform_real_distribution<double> slope(-25.0, 25.0);
        std::vector<double> radial(600);
        double z = 500.0;
        for (double& v : radial) {
            z = std::clamp(z + slope(rng), 0.0, 1500.0);
            v = z;
        }
        CHECK(max_prefix_deviation_db(border_inputs(806.0, 35.0, 1.5), radial, 90.0, rng,
                                      &modes_differ) < 1e-6);
    }
    SECTION("flat terrain (every horizon candidate equal in elevation)") {
        const std::vector<double> radial(300, 420.0);
        CHECK(max_prefix_deviation_db(border_inputs(806.0, 35.0, 1.5), radial, 90.0, rng,
                                      &modes_differ) < 1e-6);
    }
    CHECK(modes_differ == 0);
}

TEST_CASE("ITM prefix profile: invalid inputs fail like point_to_point", "[engine][itm]") {
    itm::Inputs in = border_inputs(806.0, 0.2, 1.5);  // TX height below 0.5 m
    itm::PrefixProfile prefix(in);
    prefix.push(400.0);
    prefix.push(410.0);
    const std::vector<double> z = {400.0, 410.0, 405.0};
    CHECK(prefix.evaluate(405.0, 90.0).error == itm::point_to_point(in, 90.0, z).error);
    CHECK(std::isnan(prefix.evaluate(405.0, 90.0).loss_db));
    itm::PrefixProfile empty(border_inputs(806.0, 35.0, 1.5));
    CHECK(empty.evaluate(400.0, 90.0).error == itm::Error::profile);
    // A tail sample that is not finite, at every position of tails of 1 to 9 samples.
    itm::PrefixProfile radial(border_inputs(806.0, 35.0, 1.5));
    for (int i = 0; i < 5; ++i) radial.push(400.0 + i);
    for (const double bad : {std::nan(""), double(INFINITY), -double(INFINITY)})
        for (std::size_t size = 1; size <= 9; ++size) {
            std::vector<double> tail(size, 420.0);
            CHECK(radial.evaluate(tail, 90.0).error == itm::Error::none);
            for (std::size_t at = 0; at < size; ++at) {
                tail.assign(size, 420.0);
                tail[at] = bad;
                CHECK(radial.evaluate(tail, 90.0).error == itm::Error::profile);
            }
        }
}

namespace {

struct BullingtonPrefixCounts {
    double worst_db = 0.0;
    int profiles = 0;
    int line_of_sight = 0;
    int trans_horizon = 0;
    int flags_differ = 0;
};

// Every prefix of `radial` with tails of 0 .. 32 own intermediate samples (the last tail sample
// under the receiver; taken from the radial further out and shifted at random) and a step drawn
// per call, through the model's PrefixEvaluator and through loss() on the same profile.
void check_bullington_prefixes(const propagation::PropagationModel& model,
                               const propagation::PathQuery& query,
                               const std::vector<double>& radial, double step_m, std::mt19937& rng,
                               BullingtonPrefixCounts& out) {
    std::uniform_real_distribution<double> offset(-40.0, 40.0);
    std::uniform_real_distribution<double> stretch(0.6, 1.5);
    const auto prefix = model.prefix_evaluator(query);
    REQUIRE(prefix);
    std::vector<double> plain, tail;
    for (std::size_t m = 1; m < radial.size(); ++m) {
        prefix->push(radial[m - 1]);
        for (std::size_t own = 0; own <= 32; ++own) {
            tail.clear();
            for (std::size_t k = 0; k <= own; ++k)
                tail.push_back(radial[std::min(m + k, radial.size() - 1)] + offset(rng));
            const double step = step_m * stretch(rng);
            plain.assign(radial.begin(), radial.begin() + std::ptrdiff_t(m));
            plain.insert(plain.end(), tail.begin(), tail.end());
            propagation::PathQuery q = query;
            q.profile = {step, plain};
            q.distance_m = q.profile.distance_m();
            const propagation::PathResult a = prefix->evaluate(tail, step);
            const propagation::PathResult b = model.loss(q);
            REQUIRE(std::isfinite(b.loss_db));
            ++out.profiles;
            out.worst_db = std::max(out.worst_db, std::abs(a.loss_db - b.loss_db));
            if (a.flags != b.flags) ++out.flags_differ;
            ++((b.flags & propagation::line_of_sight) ? out.line_of_sight : out.trans_horizon);
        }
    }
}

}  // namespace

TEST_CASE("p526-bullington prefix evaluator: every prefix (+ own tail) equals loss()",
          "[bullington][engine]") {
    const unsigned seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    const auto model = propagation::create_model("p526-bullington", ParameterSet{});
    BullingtonPrefixCounts counts;
    // Two real border-region profiles (tests/data/itm_region): r11_0055 (30 km at 60 m) and
    // r11_0010 (50 km at 60 m); a tall mast at VHF and lower ones at UHF / 2.6 GHz.
    for (const char* name :
         {"itm_region/profiles/r11_0055.pfl", "itm_region/profiles/r11_0010.pfl"}) {
        const std::vector<double> pfl = validation::read_pfl(test::data_path(name));
        const std::vector<double> radial(pfl.begin() + 2, pfl.end());
        for (const auto& [frequency_mhz, tx_m, rx_m] :
             {std::tuple{806.0, 35.0, 1.5}, std::tuple{2600.0, 10.0, 3.0},
              std::tuple{150.0, 120.0, 1.5}}) {
            propagation::PathQuery q;
            q.frequency_mhz = frequency_mhz;
            q.tx_height_agl_m = tx_m;
            q.rx_height_agl_m = rx_m;
            check_bullington_prefixes(*model, q, radial, pfl[1], rng, counts);
        }
    }
    INFO("profiles " << counts.profiles << ", line of sight " << counts.line_of_sight
                     << ", trans-horizon " << counts.trans_horizon << ", worst |d| "
                     << counts.worst_db << " dB");
    CHECK(counts.worst_db <= 1e-9);
    CHECK(counts.flags_differ == 0);
    // Both branches of eq. (14) are exercised many times.
    CHECK(counts.line_of_sight >= 1000);
    CHECK(counts.trans_horizon >= 10000);
}

TEST_CASE("p526-bullington prefix evaluator: invalid inputs and short profiles like loss()",
          "[bullington][engine]") {
    const auto model = propagation::create_model("p526-bullington", ParameterSet{});
    propagation::PathQuery q;
    q.frequency_mhz = 806.0;
    q.tx_height_agl_m = 35.0;
    q.rx_height_agl_m = 1.5;
    const auto prefix = model->prefix_evaluator(q);
    const std::vector<double> z = {400.0, 450.0, 405.0};
    q.profile = {90.0, z};
    // Nothing pushed: the tail is the whole profile.
    CHECK(prefix->evaluate(z, 90.0).loss_db == Approx(model->loss(q).loss_db).margin(1e-9));
    CHECK(std::isnan(prefix->evaluate(std::span(z).first(1), 90.0).loss_db));
    prefix->push(400.0);
    CHECK(prefix->evaluate(std::span(z).last(1), 0.0).flags == propagation::invalid_input);
    const double bad[] = {std::numeric_limits<double>::quiet_NaN()};
    CHECK(prefix->evaluate(bad, 90.0).flags == propagation::invalid_input);
    prefix->push(bad[0]);
    CHECK(prefix->evaluate(std::span(z).last(1), 90.0).flags == propagation::invalid_input);
    prefix->clear();
    prefix->push(400.0);
    prefix->push(450.0);
    CHECK(prefix->evaluate(std::span(z).last(1), 90.0).loss_db ==
          Approx(model->loss(q).loss_db).margin(1e-9));
}

namespace {

// The Hof/As SRTM3 cut (tests/data/dem) on a 90 m grid in EPSG:25832 around 50.275 N,
// 12.100 E, one omni transmitter (35 m, 806 MHz, 60 dBm) in the centre, 10 km radius; ITM or
// another model.
struct HofJob {
    GridSpec grid;
    terrain::TerrainModel terrain;
    std::vector<std::uint8_t> mask;
    std::vector<engine::TransmitterCell> cells;
    std::unique_ptr<propagation::PropagationModel> model;
    engine::CoverageOptions options;

    explicit HofJob(const char* model_name = "itm") {
        io::LonLatTransform transform("EPSG:25832");
        double x = 0.0, y = 0.0;
        REQUIRE(transform.forward(12.1, 50.275, x, y));
        grid.crs = "EPSG:25832";
        grid.crs_wkt = io::projected_crs_wkt("EPSG:25832", "test");
        grid.pixel_size_m = 90.0;
        grid.width = grid.height = 241;
        grid.origin_x_m = std::floor(x / 90.0) * 90.0 - 120 * 90.0;
        grid.origin_y_m = std::floor(y / 90.0) * 90.0 + 121 * 90.0;
        terrain = terrain::TerrainModel(
            io::load_terrain({test::data_path("dem/hof_as_srtm3.tif")}, grid, 1000.0));
        mask.assign(grid.pixel_count(), 1);
        model = propagation::create_model(model_name, ParameterSet{});
        engine::TransmitterCell c;
        c.x_m = x;
        c.y_m = y;
        c.lat_deg = 50.275;
        c.lon_deg = 12.1;
        c.antenna_height_agl_m = 35.0;
        c.frequency_mhz = 806.0;
        c.eirp_dbm = 60.0;
        cells.push_back(c);
        options.max_radius_m = 10000.0;
    }

    engine::CoverageResult run(engine::EngineKind kind, int threads = 0) {
        options.engine = kind;
        engine::CoverageResult r;
        if (threads > 0) {
            tbb::task_arena arena(threads);
            arena.execute(
                [&] { r = engine::compute_coverage(terrain, grid, mask, cells, *model, options); });
        } else {
            r = engine::compute_coverage(terrain, grid, mask, cells, *model, options);
        }
        return r;
    }
};

struct Agreement {
    std::size_t pixels = 0;
    double median_abs_db = 0.0;
    double within_1db = 0.0;     // fraction
    double same_decision = 1.0;  // fraction, worst over the thresholds
};

Agreement compare(const engine::CoverageResult& fast, const engine::CoverageResult& ref) {
    std::vector<double> dev;
    const auto& a = fast.best_level_dbm.values;
    const auto& b = ref.best_level_dbm.values;
    for (std::size_t p = 0; p < a.size(); ++p) {
        REQUIRE(std::isnan(a[p]) == std::isnan(b[p]));
        if (!std::isnan(b[p])) dev.push_back(std::abs(double(a[p]) - double(b[p])));
    }
    Agreement out;
    out.pixels = dev.size();
    if (dev.empty()) return out;
    std::vector<double> sorted = dev;
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(sorted.size() / 2),
                     sorted.end());
    out.median_abs_db = sorted[sorted.size() / 2];
    out.within_1db =
        double(std::count_if(dev.begin(), dev.end(), [](double d) { return d <= 1.0; })) /
        double(dev.size());
    for (float threshold : {-80.0f, -90.0f, -100.0f, -110.0f}) {
        std::size_t same = 0;
        for (std::size_t p = 0; p < a.size(); ++p)
            if (!std::isnan(b[p])) same += (a[p] >= threshold) == (b[p] >= threshold);
        out.same_decision = std::min(out.same_decision, double(same) / double(dev.size()));
    }
    return out;
}

void check_threads_identical(HofJob& job) {
    const auto one = job.run(engine::EngineKind::fast, 1);
    const auto two = job.run(engine::EngineKind::fast, 2);
    const auto& a = one.best_level_dbm.values;
    REQUIRE(a.size() == two.best_level_dbm.values.size());
    CHECK(std::memcmp(a.data(), two.best_level_dbm.values.data(), a.size() * sizeof(float)) == 0);
    CHECK(std::memcmp(one.max_field_dbuv_per_m.values.data(),
                      two.max_field_dbuv_per_m.values.data(), a.size() * sizeof(float)) == 0);
    CHECK(one.best_server.values == two.best_server.values);
    CHECK(one.cell_statistics[0].pixels_computed == two.cell_statistics[0].pixels_computed);
    CHECK(one.cell_statistics[0].pixels_computed > 30000);
}

// Every SIMD path this CPU runs (simd/dispatch.hpp, forced down to scalar) writes the same bytes
// as the scalar path; the compiled paths the CPU lacks are reported, not compared.
void check_paths_identical(HofJob& job) {
    test::SimdPathGuard guard;
    simd::use_path(simd::Path::scalar);
    const auto scalar = job.run(engine::EngineKind::fast, 2);
    const auto& a = scalar.best_level_dbm.values;
    CHECK(scalar.cell_statistics[0].pixels_computed > 30000);
    int compared = 0;
    test::for_each_runnable_path([&](simd::Path p) {
        if (p == simd::Path::scalar) return;
        INFO("path " << simd::path_name(p) << " against scalar");
        const auto other = job.run(engine::EngineKind::fast, 2);
        REQUIRE(other.best_level_dbm.values.size() == a.size());
        CHECK(std::memcmp(a.data(), other.best_level_dbm.values.data(), a.size() * sizeof(float)) ==
              0);
        CHECK(std::memcmp(scalar.max_field_dbuv_per_m.values.data(),
                          other.max_field_dbuv_per_m.values.data(), a.size() * sizeof(float)) == 0);
        CHECK(scalar.best_server.values == other.best_server.values);
        ++compared;
    });
    WARN("SIMD paths compared with scalar: " << compared);
}

// The radial engine against the reference engine on real terrain, with the bounds of issue 4:
// median |difference| <= 0.1 dB, >= 99 % of the pixels within 1 dB, and the same decision
// above/below a threshold (-80 ... -110 dBm, the worst one counts) for >= 99.5 % of them.
void check_accuracy_bounds(HofJob& job) {
    const Agreement g =
        compare(job.run(engine::EngineKind::fast), job.run(engine::EngineKind::reference));
    INFO("pixels " << g.pixels << ", median |d| " << g.median_abs_db << " dB, within 1 dB "
                   << 100.0 * g.within_1db << " %, same threshold decision "
                   << 100.0 * g.same_decision << " %");
    CHECK(g.pixels > 30000);
    CHECK(g.median_abs_db <= 0.1);
    CHECK(g.within_1db >= 0.99);
    CHECK(g.same_decision >= 0.995);
}

}  // namespace

TEST_CASE("fast engine: 1 and 2 threads give identical bytes on real terrain", "[engine]") {
    HofJob job;
    check_threads_identical(job);
}

TEST_CASE("fast engine: every SIMD path gives the same bytes as scalar on real terrain",
          "[engine][simd]") {
    HofJob job;
    check_paths_identical(job);
}

TEST_CASE("fast engine with p526-bullington: 1 and 2 threads give identical bytes",
          "[bullington][engine]") {
    HofJob job("p526-bullington");
    check_threads_identical(job);
}

// Measured when written: median 0.025 dB, 99.35 % within 1 dB, 99.80 % same decision.
TEST_CASE("fast engine: accuracy bounds against the reference engine on real terrain", "[engine]") {
    HofJob job;
    check_accuracy_bounds(job);
}

// With p526-bullington (BullingtonPrefix). Measured when written: median 0.0039 dB, 99.93 %
// within 1 dB, 99.90 % same decision.
TEST_CASE("fast engine with p526-bullington: accuracy bounds against the reference engine",
          "[bullington][engine]") {
    HofJob job("p526-bullington");
    check_accuracy_bounds(job);
}

TEST_CASE("fast engine: the radial of a pixel by sectors equals the atan2 definition", "[engine]") {
    using engine::detail::radial_by_azimuth;
    using engine::detail::RadialSectors;
    // N = 12 has a sector boundary on the diagonal (azimuth 45 deg = 1.5 sectors), odd N one at
    // 180 deg; a transmitter on a pixel centre puts whole rows and the diagonal exactly on them.
    for (const int radials : {12, 16, 17, 360, 6981}) {
        CAPTURE(radials);
        const RadialSectors sectors(radials);
        for (const double offset_m : {0.0, 37.25}) {
            CAPTURE(offset_m);
            long checked = 0, mismatches = 0;
            for (int row = -120; row <= 120; ++row) {
                const double dy = 90.0 * row - 0.5 * offset_m;
                int previous = -1;
                double previous_dx = 0.0;
                for (int col = -120; col <= 120; ++col) {
                    const double dx = 90.0 * col - offset_m;
                    // As the engine walks a row, and with the previous radial as the guess.
                    const int j = sectors.radial(
                        dx, dy, sectors.guess_along_row(previous, dx - previous_dx, dx, dy));
                    mismatches += j != radial_by_azimuth(dx, dy, radials);
                    mismatches += sectors.radial(dx, dy, previous) != j;
                    ++checked;
                    previous = j;
                    previous_dx = dx;
                }
            }
            CHECK(checked == 241L * 241L);
            CHECK(mismatches == 0);
        }
        // Any hint, right or wrong, gives the definition's answer.
        std::mt19937 rng(11);
        std::uniform_real_distribution<double> offset(-60e3, 60e3);
        std::uniform_int_distribution<int> hint(-1, radials - 1);
        long mismatches = 0;
        for (int i = 0; i < 20000; ++i) {
            const double dx = offset(rng), dy = offset(rng);
            const int truth = radial_by_azimuth(dx, dy, radials);
            mismatches += sectors.radial(dx, dy, hint(rng)) != truth;
            mismatches += sectors.radial(dx, dy, (truth + 1) % radials) != truth;
            mismatches += sectors.radial(dx, dy, truth) != truth;
        }
        CHECK(mismatches == 0);
    }
    // The definition itself at known azimuths: north is radial 0, east N / 4, south N / 2.
    CHECK(radial_by_azimuth(0.0, 1000.0, 16) == 0);
    CHECK(radial_by_azimuth(1000.0, 0.0, 16) == 4);
    CHECK(radial_by_azimuth(0.0, -1000.0, 16) == 8);
    CHECK(radial_by_azimuth(-1000.0, 0.0, 16) == 12);
    CHECK(radial_by_azimuth(-1000.0, 1.0, 16) == 12);
}
