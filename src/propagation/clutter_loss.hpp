// Statistical clutter loss added on top of any propagation model.
#pragma once

#include <memory>

#include "propagation/model.hpp"

namespace grenzfunk::propagation {

// Wraps `base` so that every path also gets the ITU-R P.2108-1 §3.2 terrestrial statistical
// clutter loss at the receiver end (the mobile in clutter; the base station above it), not
// exceeded for `location_percent` of locations. Valid 0.5-67 GHz: the wrapper's frequency range
// is the intersection with the base model's. Throws InputError for a bad percentage.
std::unique_ptr<PropagationModel> with_p2108_clutter_loss(std::unique_ptr<PropagationModel> base,
                                                          double location_percent);

}  // namespace grenzfunk::propagation
