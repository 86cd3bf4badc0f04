#include "core/memory_policy.hpp"

// <malloc.h> first: it brings <features.h>, which defines __GLIBC__ (tested below).
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#if __has_include(<sys/mman.h>) && __has_include(<unistd.h>)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <cstdint>
#include <cstdlib>

// Sanitizers bring their own allocator, which neither follows mallopt nor grows the heap.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GRENZFUNK_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GRENZFUNK_OWN_ALLOCATOR 1
#endif
#endif

namespace grenzfunk::core {
namespace {

// Blocks below it come from the heap (retain_freed_memory): glibc's largest dynamic threshold.
constexpr int mmap_threshold_bytes = 32 << 20;

}  // namespace

bool retain_freed_memory() noexcept {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    // Both are needed: the threshold alone leaves the heap trimmed at every free of its top,
    // the trim threshold alone leaves the first large blocks mmapped (measured, docs/engine.md).
    constexpr int trim_threshold_bytes = 1 << 30;
    // mallopt returns 1 on success.
    const bool mmap_set = mallopt(M_MMAP_THRESHOLD, mmap_threshold_bytes) == 1;
    const bool trim_set = mallopt(M_TRIM_THRESHOLD, trim_threshold_bytes) == 1;
    return mmap_set && trim_set;
#else
    return false;
#endif
}

bool reserve_huge_page_heap(std::size_t bytes) noexcept {
#if defined(__GLIBC__) && defined(M_TOP_PAD) && defined(MADV_HUGEPAGE) && \
    !defined(GRENZFUNK_OWN_ALLOCATOR) && __GLIBC_PREREQ(2, 33)
    constexpr std::uintptr_t huge_page_bytes = std::uintptr_t(2) << 20;
    constexpr int default_top_pad_bytes = 128 * 1024;  // glibc's default (mallopt(3))
    constexpr std::size_t page_bytes = 4096;
    constexpr std::size_t most_bytes = std::size_t(1) << 30;
    if (bytes == 0 || bytes > most_bytes) return false;
    const auto heap_end = [] { return reinterpret_cast<std::uintptr_t>(sbrk(0)); };
    // keepcost: the size of the heap's free top, which the next block beyond it makes glibc grow
    // (by the block and M_TOP_PAD, less the top, in one sbrk; malloc.c sysmalloc).
    const std::size_t top_bytes = mallinfo2().keepcost;
    if (top_bytes < bytes) {
        // The block must come from the heap: below the mmap threshold (retain_freed_memory).
        const std::size_t block_bytes = top_bytes + page_bytes;
        if (block_bytes >= std::size_t(mmap_threshold_bytes)) return false;
        const std::uintptr_t start = heap_end();
        if (mallopt(M_TOP_PAD, int(bytes)) != 1) return false;
        void* const block = std::malloc(block_bytes);
        (void)mallopt(M_TOP_PAD, default_top_pad_bytes);
        if (block == nullptr) return false;
        const auto at = reinterpret_cast<std::uintptr_t>(block);
        // From the heap's new part, not a mapping of its own (as when brk cannot grow).
        const bool from_heap = at < heap_end() && at + block_bytes > start;
        std::free(block);
        if (!from_heap) return false;
    }
    // The free top now, kept by the trim threshold (retain_freed_memory): at least `bytes`.
    const std::uintptr_t end = heap_end();
    const std::size_t free_top_bytes = mallinfo2().keepcost;
    if (end == std::uintptr_t(-1) || free_top_bytes < bytes || free_top_bytes > end) return false;
    const std::uintptr_t lo = (end - free_top_bytes + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
    const std::uintptr_t hi = end & ~(huge_page_bytes - 1);
    return hi > lo && madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE) == 0;
#else
    (void)bytes;
    return false;
#endif
}

}  // namespace grenzfunk::core
