// The terrain samples of a radial pushed so far, with the maxima that the prefix evaluators
// (itm_prefix.cpp, bullington_prefix.cpp) bound their backward horizon scans with, and room for
// one profile's own tail after them. Nothing allocates once the buffers have grown to the
// longest radial.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace grenzfunk::propagation {

class RadialSamples {
  public:
    static constexpr int block_size = 16;
    static constexpr int super_block_size = 256;  // 16 blocks

    void clear() noexcept { size_ = 0; }
    void reserve(std::size_t samples) {
        z_.reserve(samples + 1);
        max_z_.reserve(samples);
        block_max_.reserve(samples / block_size + 1);
        super_max_.reserve(samples / super_block_size + 1);
    }
    std::size_t size() const noexcept { return size_; }
    double operator[](std::size_t i) const noexcept { return z_[i]; }

    // Appends sample size() (metres above sea level).
    void push(double z) {
        const std::size_t i = size_;
        if (max_z_.size() < i + 1) {
            const std::size_t grown = std::max<std::size_t>(2 * max_z_.size(), 64);
            max_z_.resize(grown);
            block_max_.resize(grown / block_size + 1);
            super_max_.resize(grown / super_block_size + 1);
        }
        if (z_.size() < i + 2) z_.resize(std::max<std::size_t>(2 * z_.size(), 64));
        z_[i] = z;
        // Interior samples only: sample 0 lies under the transmitter.
        max_z_[i] = i == 0 ? -std::numeric_limits<double>::infinity() : std::max(max_z_[i - 1], z);
        const std::size_t b = i / block_size;
        block_max_[b] = (i % block_size == 0) ? z : std::max(block_max_[b], z);
        const std::size_t s = i / super_block_size;
        super_max_[s] = (i % super_block_size == 0) ? z : std::max(super_max_[s], z);
        size_ = i + 1;
    }

    // The profile "pushed samples, then `tail`": z[0 .. size() + tail.size() - 1]. Valid until
    // the next push() or with_tail().
    const double* with_tail(std::span<const double> tail) {
        const std::size_t n = size_ + tail.size();
        if (z_.size() < n) z_.resize(n);
        std::copy(tail.begin(), tail.end(), z_.begin() + std::ptrdiff_t(size_));
        return z_.data();
    }

    // Highest of samples 1 .. i (minus infinity for i = 0); i < size().
    double prefix_max(int i) const noexcept { return max_z_[std::size_t(i)]; }
    // Highest sample of the block [16 b, 16 b + 15] holding sample i (sample 0 included).
    double block_max(int i) const noexcept { return block_max_[std::size_t(i / block_size)]; }
    // First sample of the block holding sample i.
    static int block_start(int i) noexcept { return (i / block_size) * block_size; }
    // The same for the super-blocks of 256 samples (16 blocks).
    double super_max(int i) const noexcept { return super_max_[std::size_t(i / super_block_size)]; }
    static int super_start(int i) noexcept { return (i / super_block_size) * super_block_size; }

  private:
    std::size_t size_ = 0;
    std::vector<double> z_;          // samples, then the tail of the current profile
    std::vector<double> max_z_;      // max_z_[i] = max over 1 <= k <= i of z_k
    std::vector<double> block_max_;  // maximum of samples [16 b, 16 b + 15]
    std::vector<double> super_max_;  // maximum of samples [256 s, 256 s + 255]
};

}  // namespace grenzfunk::propagation
