#include "pipeline/manifest.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/version.hpp"
#include "io/geotiff_writer.hpp"
#include "pipeline/plan.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::pipeline {

namespace fs = std::filesystem;

std::string run_manifest_json(const RunContext& run) {
    const RunPlan& plan = run.plan;
    const io::Scenario& s = plan.scenario;
    nlohmann::ordered_json json;
    json["software"] = std::string("grenzfunk ") + version_string;
    json["scenario"] = s.path;
    json["scenario_sha256"] = s.sha256;
    json["model"] = std::string(plan.model->name());
    json["crs"] = s.crs;
    json["grid"] = {{"width", plan.area.grid.width},
                    {"height", plan.area.grid.height},
                    {"pixel_size_m", s.resolution_m},
                    {"origin_x_m", plan.area.grid.origin_x_m},
                    {"origin_y_m", plan.area.grid.origin_y_m}};
    json["cells"] = plan.active.size();
    if (s.land_cover.enabled)
        json["land_cover"] = {
            {"file", s.land_cover.file},
            {"classes", s.land_cover.table.source},
            {"table", s.land_cover.table.name},
            {"code_kind",
             s.land_cover.code_kind == io::LandCoverCodeKind::clc_code ? "clc_code" : "index"},
            {"clutter_model", "ITU-R P.2108-1 Annex 1 §3.1 (height-gain terminal correction)"},
            {"attribution", s.land_cover.table.attribution}};
    nlohmann::ordered_json listed = nlohmann::ordered_json::array();
    for (const io::OutputSet::File& f : run.outputs.files()) {
        const fs::path rel = f.final_path.lexically_relative(plan.output_directory);
        if (rel.empty() || *rel.begin() == "..") continue;  // in a separate export folder
        const std::string name = rel.generic_string();
        const auto product = std::find_if(run.products.begin(), run.products.end(),
                                          [&](const Product& p) { return p.file == name; });
        const auto package = run.package_holds.find(name);
        const std::string holds = product != run.products.end()        ? product->holds
                                  : package != run.package_holds.end() ? package->second
                                                                       : f.holds;
        listed.push_back({{"file", name},
                          {"holds", holds},
                          {"unit", product != run.products.end() ? product->unit : f.unit},
                          {"bytes", f.bytes},
                          {"sha256", f.sha256}});
    }
    listed.push_back({{"file", "manifest.json"}, {"holds", "this list of outputs"}, {"unit", ""}});
    json["outputs"] = std::move(listed);
    // Bytes that are not UTF-8 (a file name in another encoding) become U+FFFD, never a throw.
    return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace grenzfunk::pipeline
