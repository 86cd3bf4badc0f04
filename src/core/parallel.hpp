// The parallel loop of the engine and the analysis: tbb::parallel_for, or, in a build with
// GRENZFUNK_PLAIN_THREADS (the ThreadSanitizer build, docs/testing.md), the same loop on plain
// std::thread workers.
//
// Why the second scheduler: Debian's libtbb is not compiled with ThreadSanitizer, so TSan does
// not see the synchronisation inside TBB's task scheduler (the hand-over of a task to a worker,
// the join at the end of parallel_for) and reports races on every variable the loop body shares
// with the caller. Suppressing reports with libtbb on the stack would silence every report from
// a loop body, real ones included, since TBB's workers call it. With std::thread workers, thread
// start and join go through pthread functions that TSan intercepts, and the rest is our own,
// instrumented code (tbb::combinable and tbb::enumerable_thread_specific are header code with
// atomics, compiled with our flags), so a report is a race in our code.
#pragma once

#include <tbb/blocked_range.h>

#ifdef GRENZFUNK_PLAIN_THREADS
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#else
#include <tbb/parallel_for.h>
#endif

namespace grenzfunk::core {

// Calls body(sub-range) for sub-ranges covering `range`, possibly concurrently; like
// tbb::parallel_for, returns when all are done and rethrows an exception of the body.
template <typename Value, typename Body>
void parallel_for(const tbb::blocked_range<Value>& range, const Body& body) {
#ifndef GRENZFUNK_PLAIN_THREADS
    tbb::parallel_for(range, body);
#else
    // Chunks of the range's grain size, claimed in order by the workers. The number of workers
    // follows the current task_arena (the tests' 1- and 2-thread runs) or the machine.
    if (range.empty()) return;
    const std::size_t grain = std::max<std::size_t>(1, range.grainsize());
    const std::size_t count = std::size_t(range.end() - range.begin());
    const std::size_t chunks = (count + grain - 1) / grain;
    const std::size_t threads = std::min<std::size_t>(
        chunks, std::size_t(std::max(1, tbb::this_task_arena::max_concurrency())));
    std::atomic<std::size_t> next{0};
    std::mutex error_mutex;
    std::exception_ptr error;
    const auto work = [&] {
        for (std::size_t c = next++; c < chunks; c = next++) {
            const Value b = Value(range.begin() + Value(c * grain));
            const Value e = Value(range.begin() + Value(std::min(count, (c + 1) * grain)));
            try {
                body(tbb::blocked_range<Value>(b, e, grain));
            } catch (...) {
                const std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) error = std::current_exception();
                next = chunks;
            }
        }
    };
    std::vector<std::thread> workers;
    for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(work);
    work();
    for (std::thread& w : workers) w.join();
    if (error) std::rethrow_exception(error);
#endif
}

}  // namespace grenzfunk::core
