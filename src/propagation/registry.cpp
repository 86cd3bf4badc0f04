#include "propagation/registry.hpp"

#include <sstream>

#include "core/error.hpp"
#include "core/parameters.hpp"

namespace grenzfunk::propagation {

// Factories defined in the model files (one file per model).
std::unique_ptr<PropagationModel> make_free_space(const ParameterSet&);
std::unique_ptr<PropagationModel> make_okumura_hata(const ParameterSet&);
std::unique_ptr<PropagationModel> make_cost231_hata(const ParameterSet&);
std::unique_ptr<PropagationModel> make_p526_bullington(const ParameterSet&);
std::unique_ptr<PropagationModel> make_p1546(const ParameterSet&);
std::unique_ptr<PropagationModel> make_p1812(const ParameterSet&);
std::unique_ptr<PropagationModel> make_itm(const ParameterSet&);
std::unique_ptr<PropagationModel> make_hcm(const ParameterSet&, const ModelResources&);

const std::vector<ModelInfo>& registered_models() {
    static const std::vector<ModelInfo> models = {
        {"free-space", "ITU-R P.525-4 free-space loss (no terrain)", &make_free_space},
        {"okumura-hata", "Hata 1980 empirical urban/suburban/open loss, 150-1500 MHz",
         &make_okumura_hata},
        {"cost231-hata", "COST 231 Hata extension, 1500-2000 MHz", &make_cost231_hata},
        {"p526-bullington", "ITU-R P.526-15 Bullington diffraction + free space (terrain)",
         &make_p526_bullington},
        {"p1546", "ITU-R P.1546-6 point-to-area field-strength curves, 30-4000 MHz", &make_p1546},
        {"p1812", "ITU-R P.1812-7 point-to-area, terrain-specific, 30 MHz-6 GHz", &make_p1812},
        {"itm", "ITS Irregular Terrain Model (Longley-Rice) 1.2.2, point-to-point", &make_itm},
        {"hcm", "HCM Agreement method (HCM_MS V7.21.5), border coordination, own terrain profile",
         nullptr, &make_hcm},
    };
    return models;
}

std::unique_ptr<PropagationModel> create_model(const std::string& name,
                                               const ParameterSet& parameters,
                                               const ModelResources& resources) {
    for (const auto& info : registered_models())
        if (info.name == name)
            return info.resourced_factory ? info.resourced_factory(parameters, resources)
                                          : info.factory(parameters);
    std::ostringstream msg;
    msg << "unknown propagation model '" << name << "' (known:";
    for (const auto& info : registered_models()) msg << ' ' << info.name;
    msg << ')';
    throw InputError(msg.str());
}

bool model_needs_geographic_terrain(const std::string& name) {
    for (const auto& info : registered_models())
        if (info.name == name) return info.resourced_factory != nullptr;
    return false;
}

void require_frequency_in_range(const PropagationModel& model, double frequency_mhz,
                                const std::string& context) {
    const ValidityRange range = model.validity();
    if (!(frequency_mhz >= range.min_frequency_mhz && frequency_mhz <= range.max_frequency_mhz)) {
        std::ostringstream msg;
        msg << context << ": " << frequency_mhz << " MHz is outside the range of model '"
            << model.name() << "' (" << range.min_frequency_mhz << "-" << range.max_frequency_mhz
            << " MHz)";
        throw InputError(msg.str());
    }
}

std::string describe_flags(std::uint32_t flags) {
    static const std::pair<std::uint32_t, const char*> names[] = {
        {outside_frequency_range, "outside_frequency_range"},
        {outside_distance_range, "outside_distance_range"},
        {outside_tx_height_range, "outside_tx_height_range"},
        {outside_rx_height_range, "outside_rx_height_range"},
        {outside_other_range, "outside_other_range"},
        {line_of_sight, "line_of_sight"},
        {diffraction, "diffraction"},
        {troposcatter, "troposcatter"},
        {invalid_input, "invalid_input"},
    };
    std::string out;
    for (const auto& [bit, text] : names) {
        if (flags & bit) {
            if (!out.empty()) out += ',';
            out += text;
        }
    }
    return out;
}

}  // namespace grenzfunk::propagation
