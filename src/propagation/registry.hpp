// Registry of propagation models by name. Each model file defines a factory; registry.cpp lists
// them. Adding a model touches its own file and one line in registry.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "propagation/model.hpp"

namespace grenzfunk::propagation {

struct ModelInfo {
    std::string name;
    std::string summary;                                // one line for --help
    ModelFactory factory;                               // nullptr when it needs resources
    ResourcedModelFactory resourced_factory = nullptr;  // a model that takes ModelResources
};

const std::vector<ModelInfo>& registered_models();

// Creates a model by name with its parameters (and the data sets it needs, model.hpp). Throws
// InputError for an unknown name, a bad parameter value (the message names the parameter) or a
// missing resource; callers report unconsumed keys.
std::unique_ptr<PropagationModel> create_model(const std::string& name,
                                               const ParameterSet& parameters,
                                               const ModelResources& resources = {});

// True when the model of that name samples its own terrain from ModelResources (callers read
// the geographic terrain only for such models).
bool model_needs_geographic_terrain(const std::string& name);

// Throws InputError when frequency_mhz is outside the model's specified range. `context` is
// prefixed to the message (e.g. "sites.csv:12: frequency_mhz").
void require_frequency_in_range(const PropagationModel& model, double frequency_mhz,
                                const std::string& context);

}  // namespace grenzfunk::propagation
