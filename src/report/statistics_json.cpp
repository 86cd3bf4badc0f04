#include "report/statistics_json.hpp"

#include <nlohmann/json.hpp>

#include "core/text_format.hpp"
#include "report/package_internal.hpp"

namespace grenzfunk::report {

namespace {

double share_pct(std::size_t part, std::size_t whole) {
    return whole == 0 ? 0.0 : 100.0 * double(part) / double(whole);
}

}  // namespace

std::string statistics_json(const analysis::Statistics& st) {
    using detail::json_fixed;
    using nlohmann::ordered_json;
    const double a = st.pixel_area_km2;
    const auto area = [&](std::size_t pixels) { return json_fixed(double(pixels) * a, 6); };
    const auto share = [](std::size_t part, std::size_t whole) {
        return json_fixed(share_pct(part, whole), 4);
    };
    const auto slot_name = [&](std::size_t s) {
        return text::to_lower(technology_name(st.technologies[s]));
    };

    ordered_json o;
    o["pixel_area_km2"] = json_fixed(a, 6);
    o["units"] = {{"area", "km2"}, {"share", "percent of the zone area"}, {"sinr", "dB"}};
    ordered_json classes = ordered_json::object();
    for (std::size_t s = 0; s < st.technologies.size(); ++s) {
        ordered_json legend = ordered_json::array();
        for (const analysis::ClassLegendEntry& e : st.legends[s])
            legend.push_back({{"value", int(e.value)}, {"name", e.name}});
        classes[slot_name(s)] = std::move(legend);
    }
    o["classes"] = std::move(classes);
    ordered_json zones = ordered_json::array();
    for (const analysis::ZoneStatistics& z : st.zones) {
        ordered_json zone_classes = ordered_json::object();
        for (std::size_t s = 0; s < st.technologies.size(); ++s) {
            ordered_json per_class = ordered_json::array();
            for (std::size_t k = 0; k < z.class_pixels[s].size(); ++k)
                per_class.push_back({{"class", k},
                                     {"area_km2", area(z.class_pixels[s][k])},
                                     {"share_pct", share(z.class_pixels[s][k], z.pixels)}});
            zone_classes[slot_name(s)] = std::move(per_class);
        }
        ordered_json sinr = ordered_json::object();
        for (std::size_t l = 0; l < st.layer_names.size(); ++l)
            sinr[st.layer_names[l]] = json_fixed(z.sinr_median_db[l], 2);  // null: no values
        // Per layer and operator, over the pixels the operator's cell serves and covers.
        ordered_json by_operator = ordered_json::object();
        for (std::size_t l = 0; l < st.layer_names.size(); ++l) {
            ordered_json ops = ordered_json::object();
            for (std::size_t k = 0; k < st.layer_operators[l].size(); ++k)
                ops[st.layer_operators[l][k]] = {
                    {"sinr_median_db", json_fixed(z.operator_sinr_median_db[l][k], 2)},
                    {"area_km2", area(z.operator_sinr_pixels[l][k])}};
            by_operator[st.layer_names[l]] = std::move(ops);
        }
        zones.push_back({{"kind", z.kind},
                         {"name", z.name},
                         {"area_km2", area(z.pixels)},
                         {"classes", std::move(zone_classes)},
                         {"covered_km2", area(z.covered_pixels)},
                         {"covered_pct", share(z.covered_pixels, z.pixels)},
                         {"gap_area_km2", area(z.gap_area_pixels)},
                         {"gap_km2", area(z.gap_pixels)},
                         {"gap_pct_of_gap_area", share(z.gap_pixels, z.gap_area_pixels)},
                         {"white_spot_km2", area(z.white_spot_pixels)},
                         {"neighbour_only_km2", area(z.neighbour_only_pixels)},
                         {"sinr_median_db", std::move(sinr)},
                         {"sinr_median_db_by_operator", std::move(by_operator)}});
    }
    o["zones"] = std::move(zones);
    return detail::json_text(o);
}

}  // namespace grenzfunk::report
