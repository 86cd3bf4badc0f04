// scan_horizon_candidates (itm_tail_internal.hpp), compiled once per instruction set: the
// angles of a profile's own tail samples, 2-8 at a time, each with the scalar scan's
// operations, so that the same sample wins on every path.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "propagation/itm_scan.cpp"
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/highway.h>

#include <algorithm>
#include <limits>

#include "propagation/itm_tail_internal.hpp"

HWY_BEFORE_NAMESPACE();
namespace grenzfunk::propagation::itm::detail::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

namespace {

// The highest of the lanes' angles and the lowest index among the lanes holding it, in vector
// operations (a loop over the lanes with two unpredictable branches each was 40 % of
// RxBlockCandidate). Lanes never taken hold -inf and index -1, and a taken lane's angle is
// above -inf (taken only when greater), so -inf means no candidate: {-inf, -1}. The emulated
// target's MaxOfLanes starts from -DBL_MAX, not -inf: with no lane taken no lane equals its
// result and the lowest holder stays +inf (or DBL_MAX), which is "none" too, and is never
// converted to int.
template <class D, class V>
HWY_INLINE void best_of_lanes(D d, V angle, V index, double& best, int& best_index) {
    constexpr double minus_inf = -std::numeric_limits<double>::infinity();
    const V top = hn::MaxOfLanes(d, angle);
    const V holders = hn::IfThenElse(hn::Eq(angle, top), index,
                                     hn::Set(d, std::numeric_limits<double>::infinity()));
    const double top_angle = hn::GetLane(top);
    const double lowest = hn::GetLane(hn::MinOfLanes(d, holders));
    const bool any = top_angle > minus_inf && lowest >= 0.0 && lowest < 2147483647.0;
    best = any ? top_angle : minus_inf;
    best_index = any ? int(lowest) : -1;
}

template <bool with_tx>
ScanCandidates scan(const double* z, int lo, int hi, int n, double step_m, double z_tx, double z_rx,
                    double radius_m) {
    const hn::ScalableTag<double> d;
    using V = hn::Vec<decltype(d)>;
    const int lanes = int(hn::Lanes(d));
    constexpr double minus_inf = -std::numeric_limits<double>::infinity();
    const double two_a = 2.0 * radius_m;
    // Per lane: the best angle so far and its index (strictly greater replaces: within a lane
    // the indices increase, so the lowest index of the lane's maximum stays).
    V best_tx = hn::Set(d, minus_inf), best_rx = hn::Set(d, minus_inf);
    V index_tx = hn::Set(d, -1.0), index_rx = hn::Set(d, -1.0);
    const V vz_tx = hn::Set(d, z_tx), vz_rx = hn::Set(d, z_rx), vstep = hn::Set(d, step_m);
    const V vtwo_a = hn::Set(d, two_a), vn = hn::Set(d, double(n));
    V k = hn::Add(hn::Iota(d, 0.0), hn::Set(d, double(lo)));
    const V advance = hn::Set(d, double(lanes));
    int i = lo;
    for (; i + lanes <= hi; i += lanes) {
        const V zk = hn::LoadU(d, z + i);
        const V from_tx = hn::Mul(k, vstep);
        const V from_rx = hn::Mul(hn::Sub(vn, k), vstep);
        if constexpr (with_tx) {
            const V a_tx = hn::Sub(hn::Div(hn::Sub(zk, vz_tx), from_tx), hn::Div(from_tx, vtwo_a));
            const auto up_tx = hn::Gt(a_tx, best_tx);
            best_tx = hn::IfThenElse(up_tx, a_tx, best_tx);
            index_tx = hn::IfThenElse(up_tx, k, index_tx);
        }
        const V a_rx =
            hn::Sub(hn::Div(hn::Neg(hn::Sub(vz_rx, zk)), from_rx), hn::Div(from_rx, vtwo_a));
        const auto up_rx = hn::Gt(a_rx, best_rx);
        best_rx = hn::IfThenElse(up_rx, a_rx, best_rx);
        index_rx = hn::IfThenElse(up_rx, k, index_rx);
        k = hn::Add(k, advance);
    }
    // Reduce the lanes: the highest angle, then the lowest index holding it.
    ScanCandidates out{minus_inf, minus_inf, -1, -1};
    if constexpr (with_tx) best_of_lanes(d, best_tx, index_tx, out.tx_angle_rad, out.tx_index);
    best_of_lanes(d, best_rx, index_rx, out.rx_angle_rad, out.rx_index);
    const auto take = [](double angle, int index, double& best, int& best_index) {
        if (angle > best ||
            (angle == best && index >= 0 && (best_index < 0 || index < best_index))) {
            best = angle;
            best_index = index;
        }
    };
    // The remainder one by one, with the same operations.
    for (; i < hi; ++i) {
        const double from_tx = double(i) * step_m;
        const double from_rx = double(n - i) * step_m;
        if constexpr (with_tx)
            take((z[i] - z_tx) / from_tx - from_tx / two_a, i, out.tx_angle_rad, out.tx_index);
        take(-(z_rx - z[i]) / from_rx - from_rx / two_a, i, out.rx_angle_rad, out.rx_index);
    }
    return out;
}

}  // namespace

ScanCandidates ScanHorizonCandidates(const double* z, int lo, int hi, int n, double step_m,
                                     double z_tx, double z_rx, double radius_m, bool with_tx) {
    return with_tx ? scan<true>(z, lo, hi, n, step_m, z_tx, z_rx, radius_m)
                   : scan<false>(z, lo, hi, n, step_m, z_tx, z_rx, radius_m);
}

RxCandidate RxBlockCandidate(const double* z, int lo, int hi, int n, double step_m, double z_rx,
                             double radius_m, double best_angle_rad) {
    const hn::ScalableTag<double> d;
    using V = hn::Vec<decltype(d)>;
    const int lanes = int(hn::Lanes(d));
    constexpr double minus_inf = -std::numeric_limits<double>::infinity();
    const double two_a = 2.0 * radius_m;
    const double inv_2a = 1.0 / two_a;
    const V vz_rx = hn::Set(d, z_rx), vstep = hn::Set(d, step_m), vn = hn::Set(d, double(n));
    const V vtwo_a = hn::Set(d, two_a), vinv_2a = hn::Set(d, inv_2a);
    const V vbest = hn::Set(d, best_angle_rad), vmargin = hn::Set(d, -1e-12);
    const V advance = hn::Set(d, double(lanes)), vend = hn::Set(d, double(hi));
    V best = hn::Set(d, minus_inf), index = hn::Set(d, -1.0);
    V k = hn::Add(hn::Iota(d, 0.0), hn::Set(d, double(lo)));
    // The samples in chunks of 16, loaded from z where whole vectors lie within z[0..n], else
    // copied to a buffer padded to whole vectors first (a call to memcpy, with the vector
    // registers saved around it, was a third of this function's time when every chunk took it).
    constexpr int chunk = 16;
    // (Filled only where used: zeroing it on every call was a tenth of the function's setup.)
    alignas(64) double buffer[chunk + hn::MaxLanes(d)];
    for (int c = lo; c < hi; c += chunk) {
        const int count = std::min(chunk, hi - c);
        const int whole = (count + lanes - 1) / lanes * lanes;
        const bool direct = c + whole <= n + 1;
        if (!direct) {
            std::copy(z + c, z + c + count, buffer);
            std::fill(buffer + count, buffer + whole, 0.0);  // masked off, but not indeterminate
        }
        const double* from = direct ? z + c : buffer;
        for (int i = 0; i < count; i += lanes) {
            const auto inside = hn::Lt(k, vend);
            const V zk = hn::IfThenElseZero(inside, hn::LoadU(d, from + i));
            const V from_rx = hn::Mul(hn::Sub(vn, k), vstep);
            // The screen: dropped where from (angle - best) = rise - from^2 / 2a - best from is
            // clearly negative (a relative 1e-12 covers the rounding of both forms many times
            // over), so that the same candidates win as without it.
            const V rise = hn::Sub(zk, vz_rx);
            const V bulge = hn::Mul(hn::Mul(from_rx, from_rx), vinv_2a);
            const V best_rise = hn::Mul(vbest, from_rx);
            const V slack =
                hn::Mul(vmargin, hn::Add(hn::Add(hn::Abs(rise), bulge), hn::Abs(best_rise)));
            const auto open =
                hn::And(inside, hn::Not(hn::Lt(hn::Sub(hn::Sub(rise, bulge), best_rise), slack)));
            if (!hn::AllFalse(d, open)) {
                // The angle as the scalar scan computes it.
                const V angle = hn::Sub(hn::Div(hn::Neg(hn::Sub(vz_rx, zk)), from_rx),
                                        hn::Div(from_rx, vtwo_a));
                // Within a lane the indices increase: '>' keeps the lane's lowest index.
                const auto up = hn::And(open, hn::Gt(angle, best));
                best = hn::IfThenElse(up, angle, best);
                index = hn::IfThenElse(up, k, index);
            }
            k = hn::Add(k, advance);
        }
    }
    RxCandidate out;
    best_of_lanes(d, best, index, out.angle_rad, out.index);
    return out;
}

}  // namespace grenzfunk::propagation::itm::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace grenzfunk::propagation::itm::detail {

HWY_EXPORT(ScanHorizonCandidates);

ScanCandidates scan_horizon_candidates(const double* z, int lo, int hi, int n, double step_m,
                                       double z_tx, double z_rx, double radius_m, bool with_tx) {
    return HWY_DYNAMIC_DISPATCH(ScanHorizonCandidates)(z, lo, hi, n, step_m, z_tx, z_rx, radius_m,
                                                       with_tx);
}

HWY_EXPORT(RxBlockCandidate);

RxCandidate rx_block_candidate(const double* z, int lo, int hi, int n, double step_m, double z_rx,
                               double radius_m, double best_angle_rad) {
    return HWY_DYNAMIC_DISPATCH(RxBlockCandidate)(z, lo, hi, n, step_m, z_rx, radius_m,
                                                  best_angle_rad);
}

}  // namespace grenzfunk::propagation::itm::detail
#endif
