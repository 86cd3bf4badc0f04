// The data sets models take at creation (propagation::ModelResources), read once per run:
// model `hcm` samples its own profile from a geographic terrain grid, which is the file of its
// `terrain` parameter (relative to `base_dir`) or else the run's one terrain file.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::pipeline {

class ModelResourceCache {
  public:
    // The resources `model` needs with `parameters` (empty for models that need none). Reads each
    // terrain file once. Throws InputError (prefixed with `context` unless empty) when the terrain
    // cannot serve.
    propagation::ModelResources resources_for(const std::string& model,
                                              const ParameterSet& parameters,
                                              const std::vector<std::string>& terrain_files,
                                              const std::filesystem::path& base_dir,
                                              const std::string& context);

  private:
    std::map<std::string, std::shared_ptr<const GeoPostGrid>> grids_;
};

}  // namespace grenzfunk::pipeline
