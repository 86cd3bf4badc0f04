// The land cover of a run ([land_cover], docs/land_cover.md): read onto the analysis grid when
// the run is planned, turned into each transmitter's clutter loss per class (ITU-R P.2108-1 §3.1
// at the cell's frequency and the receiver height) and into a location sigma per pixel for the
// coverage analysis; written as land_cover_class.tif.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "core/land_cover.hpp"
#include "pipeline/stage.hpp"

namespace grenzfunk::pipeline {

struct RunPlan;

// With [land_cover]: loads the raster (io/land_cover_reader.hpp) into plan.land_cover_class and
// fills every transmitter's land_cover_loss_db. Throws InputError for a bad raster and for a
// cell whose frequency lies outside 30-3000 MHz (the model's range; the first cell named).
// Without [land_cover]: nothing.
void prepare_land_cover(RunPlan& plan);

// The table's clutter loss per class (dB) at one frequency and receiver height.
std::vector<float> land_cover_loss_table_db(const LandCoverTable& table, double frequency_mhz,
                                            double rx_height_agl_m);

// Each pixel's location sigma (dB) from its class; NaN where it has none.
Raster<float> land_cover_sigma_db(const Raster<std::uint8_t>& classes, const LandCoverTable& table);

// GeoTIFF tags recording the land cover (file, table, code kind); empty without it.
std::map<std::string, std::string> land_cover_metadata(const RunPlan& plan);

// Writes land_cover_class.tif (Byte, class names as categories, 255 = no land cover).
class LandCoverStep : public Stage {
  public:
    void write(RunContext& run) override;
    std::vector<std::string> summary() const override { return summary_; }

  private:
    std::vector<std::string> summary_;
};

}  // namespace grenzfunk::pipeline
