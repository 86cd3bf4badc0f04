#include "pipeline/model_resources.hpp"

#include <variant>

#include "core/error.hpp"
#include "core/geo_post_grid.hpp"
#include "io/geo_post_grid_reader.hpp"
#include "propagation/registry.hpp"

namespace grenzfunk::pipeline {

propagation::ModelResources ModelResourceCache::resources_for(
    const std::string& model, const ParameterSet& parameters,
    const std::vector<std::string>& terrain_files, const std::filesystem::path& base_dir,
    const std::string& context) {
    propagation::ModelResources r;
    if (!propagation::model_needs_geographic_terrain(model)) return r;
    const std::string prefix = context.empty() ? std::string() : context + ": ";
    std::string file;
    if (parameters.contains("terrain")) {
        // Read without consuming: the model reads (and so consumes) the key itself.
        const std::string* name = std::get_if<std::string>(&parameters.values().at("terrain"));
        if (!name) throw InputError(prefix + "terrain: expected a file name");
        const std::filesystem::path given = *name;
        file = (given.is_absolute() || base_dir.empty() ? given : base_dir / given).string();
    } else if (terrain_files.size() == 1) {
        file = terrain_files.front();
    } else {
        throw InputError(prefix + "model '" + model + "' samples its own profile from one " +
                         "geographic terrain file; the run has " +
                         std::to_string(terrain_files.size()) +
                         " terrain files: give model_parameters.terrain (a GeoTIFF or VRT)");
    }
    auto it = grids_.find(file);
    if (it == grids_.end()) {
        try {
            it = grids_
                     .emplace(file,
                              std::make_shared<const GeoPostGrid>(io::read_geo_post_grid(file)))
                     .first;
        } catch (const InputError& e) {
            throw InputError(prefix + "model '" + model + "': " + e.what());
        }
    }
    r.geographic_terrain = it->second;
    r.geographic_terrain_source = std::filesystem::path(file).filename().string();
    return r;
}

}  // namespace grenzfunk::pipeline
