#include "core/memory_policy.hpp"

// <malloc.h> first: it brings <features.h>, which defines __GLIBC__ (tested below).
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

namespace grenzfunk::core {

bool retain_freed_memory() noexcept {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    // Both are needed: the threshold alone leaves the heap trimmed at every free of its top,
    // the trim threshold alone leaves the first large blocks mmapped (measured, docs/engine.md).
    constexpr int mmap_threshold_bytes = 32 << 20;  // glibc's largest dynamic threshold
    constexpr int trim_threshold_bytes = 1 << 30;
    // mallopt returns 1 on success.
    const bool mmap_set = mallopt(M_MMAP_THRESHOLD, mmap_threshold_bytes) == 1;
    const bool trim_set = mallopt(M_TRIM_THRESHOLD, trim_threshold_bytes) == 1;
    return mmap_set && trim_set;
#else
    return false;
#endif
}

}  // namespace grenzfunk::core
