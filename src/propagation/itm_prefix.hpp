// ITM 1.2.2 point-to-point mode (see itm.hpp) on many profiles that share their beginning: the
// profiles of a radial sweep, where every profile is "the samples of the radial so far, then
// one end sample".
//
// PrefixProfile holds the samples pushed so far (terrain from the transmitter outwards at a
// fixed spacing) together with running state, so that each profile costs far less than a
// fresh point_to_point() call, while computing the same thing:
//  * mean path elevation (for N_s) and the least-squares terrain lines of [Alg] §3 "zlsq1":
//    prefix sums, O(1) per profile instead of O(n);
//  * transmitter horizon ([Alg] §3 "hzns"): the elevation angle of sample i seen from the
//    transmitter, multiplied by the step h, is A_i - (i/2) t with A_i = (z_i - z_tx)/i and
//    t = h^2 / a (a the effective earth radius, which depends on the profile through N_s).
//    The maximum over i is the upper envelope of these lines, kept incrementally as samples
//    arrive (monotone slopes) and searched in O(log n) for the profile's t;
//  * receiver horizon: a backward scan from the end sample that skips blocks of 16 samples
//    whose maximum elevation cannot beat the best angle found, and stops when the prefix
//    maximum cannot either (exact bounds, no approximation);
//  * Δh ([Alg] §3 "dlthx"): the plain resampling, computed per profile (it depends on the
//    profile's own end points), with a selection of the deciles that does not sort.
//
// evaluate() returns what point_to_point(inputs, step_m, {s_0, ..., s_{n-1}, end}) returns,
// up to floating-point rounding (sums taken in another order; tests hold it to 1e-6 dB).
// Condition: step_m a multiple of 2^-20 m (the radial engine rounds its steps so; the error in
// path length is below a millimetre). The plain scan accumulates the distances to the horizon
// candidates step by step; on that lattice the sums are exact and equal i * step_m, so both
// agree bit for bit on the horizon distances, and hence on the sample ranges of the terrain fits
// and of Δh that are cut from them (with other steps a range can move by one sample, ~0.1 dB).
// Only an exact tie between two horizon candidates could be resolved differently by rounding.
// Nothing allocates once the buffers have grown to the longest radial.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "propagation/itm.hpp"
#include "propagation/line_envelope.hpp"
#include "propagation/radial_samples.hpp"

namespace grenzfunk::propagation::itm {

namespace detail {
struct PathGeometry;
}

class PrefixProfile {
  public:
    // Inputs are validated once here; an invalid input makes every evaluate() fail with the
    // same error point_to_point would report.
    explicit PrefixProfile(const Inputs& inputs);
    ~PrefixProfile();
    PrefixProfile(PrefixProfile&&) noexcept;
    PrefixProfile& operator=(PrefixProfile&&) noexcept;

    // Forgets the samples (keeps the buffers).
    void clear() noexcept;
    // Appends the next sample (metres above sea level, finite) at the next multiple of the step.
    void push(double elevation_m);
    // push() of each sample in order.
    void push_run(std::span<const double> elevation_m);
    std::size_t size() const noexcept { return samples_.size(); }
    // Reserves room for `samples` samples.
    void reserve(std::size_t samples);

    // Point-to-point ITM on the profile of the size() samples pushed so far followed by
    // `end_elevation_m`, all `step_m` apart (so size() intervals; needs size() >= 1).
    Result evaluate(double end_elevation_m, double step_m) noexcept;
    // The same with several own samples at the end: the profile is the size() pushed samples
    // followed by `tail` (its last sample under the receiver), size() + tail.size() - 1
    // intervals. The tail costs O(tail.size()) on top (scanned and summed directly).
    Result evaluate(std::span<const double> tail, double step_m) noexcept;

    // Batched evaluation: the same paths as evaluate(tail, step_m), but the attenuation tail
    // ([Alg] §4-§5 and free space) runs on 8 paths at once (itm_tail_internal.hpp), grouped by
    // mode class. submit() computes the path's geometry now (from the samples pushed so far)
    // and appends to `done` the results of the paths whose batch it completes; flush() completes
    // the rest. A result carries the caller's token, loss_db, mode, warnings, error and
    // reference_attenuation_db (not the geometry fields); it equals evaluate()'s up to the
    // rounding of the maths functions, whatever the order of submission or the batch.
    // The part of a Result a batch fills (a whole Result per path, zeroed and copied twice,
    // was a tenth of the batch's bookkeeping).
    struct BatchResult {
        double loss_db = 0.0;
        double reference_attenuation_db = 0.0;
        Mode mode = Mode::not_set;
        std::uint32_t warnings = warn_none;
        Error error = Error::none;
        bool ok() const { return error == Error::none; }
    };
    struct Completed {
        std::uint32_t token = 0;
        BatchResult result;
    };
    void submit(std::span<const double> tail, double step_m, std::uint32_t token,
                std::vector<Completed>& done) noexcept;
    void flush(std::vector<Completed>& done) noexcept;

  private:
    // The geometry of the path evaluate(tail, step_m) describes; false (and `r` failed) when
    // the inputs or the profile are invalid.
    // R: Result or BatchResult (warnings, error, loss_db and mode are set).
    template <class R>
    bool geometry(std::span<const double> tail, double step_m, detail::PathGeometry& g,
                  R& r) noexcept;

    Inputs inputs_;
    Error input_error_ = Error::none;
    std::uint32_t input_warnings_ = 0;
    std::complex<double> ground_impedance_;
    double log10_frequency_ = 0.0;
    // Path-independent statistics (detail::VariabilityConstants) and the Δh selection hint,
    // kept opaque here.
    struct Constants;
    std::shared_ptr<Constants> constants_;
    struct Batches;  // the two pending batches of submit() and their tail constants
    std::unique_ptr<Batches> batches_;

    double z_tx_ = 0.0;           // z_0 + transmitter height
    RadialSamples samples_;       // the samples, their prefix and block maxima
    std::vector<double> sum_w_;   // sum_w_[i] = sum over k < i of (z_k - z_0)
    std::vector<double> sum_kw_;  // sum_kw_[i] = sum over k < i of k (z_k - z_0)
    LineEnvelope hull_;           // transmitter horizon lines, upper envelope for t > 0
};

}  // namespace grenzfunk::propagation::itm
