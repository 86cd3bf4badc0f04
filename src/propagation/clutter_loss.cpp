#include "propagation/clutter_loss.hpp"

#include <algorithm>
#include <string>

#include "propagation/p2108.hpp"

namespace grenzfunk::propagation {

namespace {

// Adds the receiver-end clutter loss of a path of `distance_km` to a base result.
PathResult add_clutter(PathResult r, double frequency_mhz, double distance_km,
                       double location_percent) noexcept {
    // Below 0.25 km the recommendation does not apply: flagged, 0.25 km value used.
    if (!p2108_terrestrial_distance_in_range(distance_km)) r.flags |= outside_distance_range;
    r.loss_db +=
        p2108_terrestrial_clutter_loss_db(frequency_mhz / 1000.0, distance_km, location_percent);
    return r;
}

// Keeps the base model's radial sweep (the fast engine) with the clutter loss on top.
class ClutterPrefixEvaluator final : public PrefixEvaluator {
  public:
    ClutterPrefixEvaluator(std::unique_ptr<PrefixEvaluator> base, double frequency_mhz,
                           double location_percent)
        : base_(std::move(base)),
          frequency_mhz_(frequency_mhz),
          location_percent_(location_percent) {}
    void clear() noexcept override {
        base_->clear();
        pushed_ = 0;
    }
    void push(double elevation_m) override {
        base_->push(elevation_m);
        ++pushed_;
    }
    void push_run(std::span<const double> elevation_m) override {
        base_->push_run(elevation_m);
        pushed_ += elevation_m.size();
    }
    PathResult evaluate(std::span<const double> tail, double step_m) noexcept override {
        const double distance_km = double(pushed_ + tail.size() - 1) * step_m / 1000.0;
        return add_clutter(base_->evaluate(tail, step_m), frequency_mhz_, distance_km,
                           location_percent_);
    }

  private:
    std::unique_ptr<PrefixEvaluator> base_;
    double frequency_mhz_;
    double location_percent_;
    std::size_t pushed_ = 0;
};

class P2108ClutterLoss final : public PropagationModel {
  public:
    P2108ClutterLoss(std::unique_ptr<PropagationModel> base, double location_percent)
        : base_(std::move(base)),
          location_percent_(location_percent),
          name_(std::string(base_->name()) + "+p2108"),
          reference_(std::string(base_->reference()) +
                     "; clutter loss ITU-R P.2108-1 §3.2 at the receiver") {}

    std::string_view name() const override { return name_; }
    std::string_view reference() const override { return reference_; }
    bool needs_terrain_profile() const override { return base_->needs_terrain_profile(); }
    bool needs_path_position() const override { return base_->needs_path_position(); }
    ValidityRange validity() const override {
        ValidityRange range = base_->validity();
        range.min_frequency_mhz =
            std::max(range.min_frequency_mhz, p2108_terrestrial_min_frequency_ghz * 1000.0);
        range.max_frequency_mhz =
            std::min(range.max_frequency_mhz, p2108_terrestrial_max_frequency_ghz * 1000.0);
        return range;
    }
    std::map<std::string, std::string> parameters() const override {
        auto out = base_->parameters();
        out["clutter_loss"] = "p2108";
        out["clutter_location_percent"] = std::to_string(location_percent_);
        return out;
    }

    PathResult loss(const PathQuery& query) const noexcept override {
        return add_clutter(base_->loss(query), query.frequency_mhz, query.distance_m / 1000.0,
                           location_percent_);
    }

    std::unique_ptr<PrefixEvaluator> prefix_evaluator(const PathQuery& query) const override {
        std::unique_ptr<PrefixEvaluator> base = base_->prefix_evaluator(query);
        if (!base) return nullptr;
        return std::make_unique<ClutterPrefixEvaluator>(std::move(base), query.frequency_mhz,
                                                        location_percent_);
    }

  private:
    std::unique_ptr<PropagationModel> base_;
    double location_percent_;
    std::string name_;
    std::string reference_;
};

}  // namespace

std::unique_ptr<PropagationModel> with_p2108_clutter_loss(std::unique_ptr<PropagationModel> base,
                                                          double location_percent) {
    // The frequency is checked per cell by require_frequency_in_range; here only the percentage.
    require_p2108_terrestrial_inputs(1.0, location_percent, "propagation.clutter_location_percent");
    return std::make_unique<P2108ClutterLoss>(std::move(base), location_percent);
}

}  // namespace grenzfunk::propagation
