#include "pipeline/land_cover_stage.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/text_format.hpp"
#include "io/geotiff_writer.hpp"
#include "io/land_cover_reader.hpp"
#include "pipeline/plan.hpp"
#include "propagation/p2108_terminal.hpp"

namespace grenzfunk::pipeline {

std::vector<float> land_cover_loss_table_db(const LandCoverTable& table, double frequency_mhz,
                                            double rx_height_agl_m) {
    std::vector<float> loss;
    loss.reserve(table.classes.size());
    for (const LandCoverClass& c : table.classes)
        loss.push_back(float(propagation::p2108_terminal_clutter_loss_db(
            frequency_mhz / 1000.0, rx_height_agl_m, c.clutter, c.clutter_height_m,
            c.street_width_m)));
    return loss;
}

Raster<float> land_cover_sigma_db(const Raster<std::uint8_t>& classes,
                                  const LandCoverTable& table) {
    Raster<float> out(classes.grid, std::numeric_limits<float>::quiet_NaN());
    for (std::size_t p = 0; p < classes.values.size(); ++p)
        if (classes.values[p] < table.classes.size())
            out.values[p] = float(table.classes[classes.values[p]].location_sigma_db);
    return out;
}

void prepare_land_cover(RunPlan& plan) {
    const io::LandCoverSettings& lc = plan.scenario.land_cover;
    if (!lc.enabled) return;
    // Every class of the table with every cell's frequency: the first cell out of range named.
    for (std::size_t k = 0; k < plan.transmitters.size(); ++k) {
        engine::TransmitterCell& t = plan.transmitters[k];
        const Cell& c = plan.cells[plan.active[k]];
        for (const LandCoverClass& cls : lc.table.classes)
            propagation::require_p2108_terminal_inputs(
                t.frequency_mhz / 1000.0, plan.scenario.rx_height_agl_m, cls.clutter_height_m,
                cls.street_width_m,
                c.source + ": cell '" + c.cell_id + "' with [land_cover] (" + lc.where + ")");
        t.land_cover_loss_db =
            land_cover_loss_table_db(lc.table, t.frequency_mhz, plan.scenario.rx_height_agl_m);
    }
    io::LandCoverOnGrid grid =
        io::load_land_cover(lc.file, lc.table, plan.area.grid, lc.default_class);
    plan.land_cover_class = std::move(grid.class_index);
    plan.land_cover_pixels_without = grid.pixels_without_land_cover;
}

std::map<std::string, std::string> land_cover_metadata(const RunPlan& plan) {
    const io::LandCoverSettings& lc = plan.scenario.land_cover;
    if (!lc.enabled) return {};
    return {
        {"GRENZFUNK_LAND_COVER_FILE", lc.file},
        {"GRENZFUNK_LAND_COVER_CLASSES", lc.table.source + " (" + lc.table.name + ")"},
        {"GRENZFUNK_LAND_COVER_CODE_KIND",
         lc.code_kind == io::LandCoverCodeKind::clc_code ? "clc_code" : "index"},
        {"GRENZFUNK_LAND_COVER_CLUTTER", "ITU-R P.2108-1 Annex 1 §3.1 at the receiver"},
        {"GRENZFUNK_LAND_COVER_ATTRIBUTION", lc.table.attribution},
    };
}

void LandCoverStep::write(RunContext& run) {
    const RunPlan& plan = run.plan;
    const LandCoverTable& table = plan.scenario.land_cover.table;
    io::RasterWriteOptions w;
    w.band_description = "land-cover class (" + table.name + "), majority of the raster's pixels";
    w.unit = "class";
    w.metadata = run.metadata;
    w.overview_resampling = io::OverviewResampling::mode;
    // Colours: by clutter type (P.2108 Table 3), light to dark with density.
    for (std::size_t k = 0; k < table.classes.size(); ++k) {
        const LandCoverClass& c = table.classes[k];
        io::ByteCategory cat;
        cat.value = std::uint8_t(k);
        cat.name =
            std::to_string(c.code) + " " + c.name + " (" + clutter_type_name(c.clutter) + ")";
        switch (c.clutter) {
            case ClutterType::water_sea:
                cat.red = 64, cat.green = 128, cat.blue = 230;
                break;
            case ClutterType::open_rural:
                cat.red = 230, cat.green = 230, cat.blue = 160;
                break;
            case ClutterType::suburban:
                cat.red = 240, cat.green = 150, cat.blue = 150;
                break;
            case ClutterType::urban:
                cat.red = 220, cat.green = 40, cat.blue = 40;
                break;
            case ClutterType::trees_forest:
                cat.red = 40, cat.green = 140, cat.blue = 40;
                break;
            case ClutterType::dense_urban:
                cat.red = 130, cat.green = 0, cat.blue = 0;
                break;
        }
        w.categories.push_back(cat);
    }
    w.categories.push_back({kNoLandCoverClass, "no land cover", 0, 0, 0});
    const std::string file = "land_cover_class.tif";
    run.outputs.add_geotiff(plan.output_directory / file, plan.land_cover_class, w);
    run.products.push_back({file, w.band_description, w.unit});
    summary_.push_back("land cover: " + table.name + ", " +
                       std::to_string(plan.land_cover_pixels_without) +
                       " pixels without land cover" +
                       (plan.scenario.land_cover.default_class >= 0 ? " (default class)" : ""));
}

}  // namespace grenzfunk::pipeline
