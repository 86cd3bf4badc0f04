#include "core/memory_policy.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace grenzfunk::core {

void retain_freed_memory() noexcept {
#if defined(__GLIBC__)
    // Both are needed: the threshold alone leaves the heap trimmed at every free of its top,
    // the trim threshold alone leaves the first large blocks mmapped (measured, docs/engine.md).
    constexpr int mmap_threshold_bytes = 32 << 20;  // glibc's largest dynamic threshold
    constexpr int trim_threshold_bytes = 1 << 30;
    mallopt(M_MMAP_THRESHOLD, mmap_threshold_bytes);
    mallopt(M_TRIM_THRESHOLD, trim_threshold_bytes);
#endif
}

}  // namespace grenzfunk::core
