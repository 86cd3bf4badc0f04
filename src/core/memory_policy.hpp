// The process's allocation policy for batch runs.
#pragma once

#include <cstddef>

namespace grenzfunk::core {

// Large blocks come from the heap and freed memory stays with the process (glibc mallopt:
// mmap threshold 32 MiB, trim threshold 1 GiB), so that the coverage's rasters and lists reuse
// the pages the terrain's reading freed instead of faulting in fresh zeroed pages (with glibc's
// defaults the first blocks of each size were mmapped and unmapped again: 2-3 % of the
// single-site job's coverage CPU, docs/engine.md). Peak resident memory is at most the freed
// memory above the live one higher. Call once, first. True where the policy was set; false
// where the C library is not glibc (nothing done) or glibc refused a setting.
bool retain_freed_memory() noexcept;

// What reserve_huge_page_heap grows the heap by in a batch run: more than the single-site job's
// and a band's working memory, so that nearly all of a run's blocks come from it.
inline constexpr std::size_t huge_page_heap_bytes = std::size_t(256) << 20;

// Grows the heap at once so that its free top holds at least `bytes` (nothing to grow where it
// already does) and marks that free top for transparent huge pages
// (madvise MADV_HUGEPAGE; the kernel's default mode, "madvise", gives them only where asked),
// so that the blocks later served from it fault in 2 MiB at a time and their pages take fewer
// TLB entries: page faults cost ~6 us each in the benchmark machine's VM, and the single-site
// job's coverage CPU fell by ~6 % (docs/engine.md). Address space only: what is never touched
// is never resident. Call after retain_freed_memory (which keeps the grown heap from being
// trimmed at once). True where the free top was marked; false where it could not
// be (not glibc, a sanitizer's allocator, no contiguous heap, the kernel refused): nothing
// else changes then.
bool reserve_huge_page_heap(std::size_t bytes) noexcept;

}  // namespace grenzfunk::core
