// The vector maths of src/simd against glibc: ns per value over the same 4096 inputs, in ranges
// the ITM attenuation tail uses. BM_Vec<F>/<path>: simd::evaluate with the path forced (0 = auto,
// then avx512, avx2, sse4, scalar as in simd::Path; a path this CPU cannot run is skipped);
// BM_Libm<F>: a plain loop over std::<f>; BM_One<F>: the one-value entry point simd::<f> in a
// loop. Run:
//   ./build/rel/tools/bench/grenzfunk_bench --benchmark_filter='Vec|Libm|One' \
//       --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "simd/dispatch.hpp"
#include "simd/vector_math.hpp"

namespace {

namespace simd = grenzfunk::simd;
using simd::Function;

constexpr std::size_t input_count = 4096;

std::vector<double> inputs(Function f) {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> x(input_count);
    for (double& v : x) {
        switch (f) {
            case Function::exp:
                v = -30.0 + 40.0 * u(rng);
                break;
            case Function::log:
            case Function::log10:
            case Function::cbrt:
                v = std::exp(-20.0 + 40.0 * u(rng));
                break;
            case Function::sin:
            case Function::cos:
                v = 3.141592653589793 * u(rng);
                break;
        }
    }
    return x;
}

double libm(Function f, double x) {
    switch (f) {
        case Function::exp:
            return std::exp(x);
        case Function::log:
            return std::log(x);
        case Function::log10:
            return std::log10(x);
        case Function::cbrt:
            return std::cbrt(x);
        case Function::sin:
            return std::sin(x);
        case Function::cos:
            return std::cos(x);
    }
    return x;
}

double one(Function f, double x) {
    switch (f) {
        case Function::exp:
            return simd::exp(x);
        case Function::log:
            return simd::log(x);
        case Function::log10:
            return simd::log10(x);
        case Function::cbrt:
            return simd::cbrt(x);
        case Function::sin:
            return simd::sin(x);
        case Function::cos:
            return simd::cos(x);
    }
    return x;
}

void per_value(benchmark::State& state) {
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * input_count));
    state.counters["ns_per_value"] =
        benchmark::Counter(static_cast<double>(state.iterations() * input_count),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void vector(benchmark::State& state, Function f) {
    const auto path = static_cast<simd::Path>(state.range(0));
    const std::vector<simd::Path> runnable = simd::runnable_paths();
    if (path != simd::Path::automatic &&
        std::find(runnable.begin(), runnable.end(), path) == runnable.end()) {
        state.SkipWithError("path not runnable on this CPU");
        return;
    }
    simd::use_path(path);
    const std::vector<double> x = inputs(f);
    std::vector<double> y(x.size());
    for (auto _ : state) {
        simd::evaluate(f, x, y);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    state.SetLabel(std::string(simd::path_name(simd::active_path())));
    simd::use_path(simd::Path::automatic);
    per_value(state);
}

void plain(benchmark::State& state, Function f, double (*fn)(Function, double)) {
    const std::vector<double> x = inputs(f);
    std::vector<double> y(x.size());
    for (auto _ : state) {
        for (std::size_t i = 0; i < x.size(); ++i) y[i] = fn(f, x[i]);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
    per_value(state);
}

void paths(benchmark::internal::Benchmark* b) {
    for (int p = 0; p <= static_cast<int>(simd::Path::scalar); ++p) b->Arg(p);
}

#define GRENZFUNK_BENCH_FUNCTION(Name, f)         \
    void BM_Vec##Name(benchmark::State& state) {  \
        vector(state, f);                         \
    }                                             \
    BENCHMARK(BM_Vec##Name)->Apply(paths);        \
    void BM_Libm##Name(benchmark::State& state) { \
        plain(state, f, libm);                    \
    }                                             \
    BENCHMARK(BM_Libm##Name);                     \
    void BM_One##Name(benchmark::State& state) {  \
        plain(state, f, one);                     \
    }                                             \
    BENCHMARK(BM_One##Name);

GRENZFUNK_BENCH_FUNCTION(Exp, Function::exp)
GRENZFUNK_BENCH_FUNCTION(Log, Function::log)
GRENZFUNK_BENCH_FUNCTION(Log10, Function::log10)
GRENZFUNK_BENCH_FUNCTION(Cbrt, Function::cbrt)
GRENZFUNK_BENCH_FUNCTION(Sin, Function::sin)
GRENZFUNK_BENCH_FUNCTION(Cos, Function::cos)

#undef GRENZFUNK_BENCH_FUNCTION

}  // namespace
