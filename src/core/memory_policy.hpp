// The process's allocation policy for batch runs.
#pragma once

namespace grenzfunk::core {

// Large blocks come from the heap and freed memory stays with the process (glibc mallopt:
// mmap threshold 32 MiB, trim threshold 1 GiB), so that the coverage's rasters and lists reuse
// the pages the terrain's reading freed instead of faulting in fresh zeroed pages (with glibc's
// defaults the first blocks of each size were mmapped and unmapped again: 2-3 % of the
// single-site job's coverage CPU, docs/engine.md). Peak resident memory is at most the freed
// memory above the live one higher. Call once, first. True where the policy was set; false
// where the C library is not glibc (nothing done) or glibc refused a setting.
bool retain_freed_memory() noexcept;

}  // namespace grenzfunk::core
