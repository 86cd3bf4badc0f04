#include "pipeline/analysis_stage.hpp"
#include "core/text_format.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "analysis/radio.hpp"
#include "core/error.hpp"
#include "io/analysis_area.hpp"
#include "io/vector_io.hpp"
#include "report/coverage_kmz.hpp"
#include "report/gap_layers.hpp"
#include "report/statistics_json.hpp"

namespace grenzfunk::pipeline {

using io::AnalysisSettings;
using io::border_segments;
using io::nan_to_nodata;
using io::OutputSet;
using io::rasterise_regions;
using io::RasterWriteOptions;
using io::RegionRaster;
using io::row_band;
using report::gap_polygon_files;
using report::GapFiles;

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

AnalysisStage::AnalysisStage(const AnalysisSettings& settings, const GridSpec& grid,
                             const std::vector<std::uint8_t>& mask, const std::vector<Cell>& cells,
                             const std::vector<engine::TransmitterCell>& transmitters,
                             double reach_radius_m)
    : settings_(settings),
      grid_(grid),
      mask_(mask),
      engine_cells_(cells),
      reach_radius_m_(reach_radius_m) {
    const auto t0 = Clock::now();
    const std::size_t n = grid.pixel_count();
    const std::string& where = settings.where;

    // Countries: inside the home outline = group 0, elsewhere group 1.
    pixel_group_.assign(n, 0);
    names_.groups = {settings.home_name, settings.neighbour_name};
    const bool have_outline = !settings.country_outline_file.empty();
    if (have_outline) {
        const RegionRaster home = rasterise_regions(settings.country_outline_file, "", grid, where);
        for (std::size_t p = 0; p < n; ++p) pixel_group_[p] = home.index.values[p] >= 0 ? 0 : 1;
        border_distance_km_ = analysis::distance_to_segments_km(
            grid, mask, border_segments(settings.country_outline_file, grid, where));
    }
    // Regions: the admin file's polygons on home territory; the neighbour country is one region.
    if (!settings.regions_file.empty() || have_outline) {
        region_ = Raster<std::int32_t>(grid, -1);
        if (!settings.regions_file.empty()) {
            RegionRaster regions =
                rasterise_regions(settings.regions_file, settings.region_name_field, grid, where);
            names_.regions = regions.names;
            region_ = std::move(regions.index);
        }
        if (have_outline) {
            const std::int32_t neighbour = std::int32_t(names_.regions.size());
            names_.regions.push_back(settings.neighbour_name);
            for (std::size_t p = 0; p < n; ++p)
                if (pixel_group_[p] == 1)
                    region_.values[p] = neighbour;
                else if (region_.values[p] == neighbour)
                    region_.values[p] = -1;
        }
    }
    // Gap-analysis area.
    gap_area_.assign(n, 0);
    if (!settings.gap_area_file.empty()) {
        const RegionRaster area = rasterise_regions(settings.gap_area_file, "", grid, where);
        for (std::size_t p = 0; p < n; ++p) gap_area_[p] = mask[p] && area.index.values[p] >= 0;
    } else {
        for (std::size_t p = 0; p < n; ++p)
            gap_area_[p] =
                mask[p] && pixel_group_[p] == 0 &&
                (!have_outline || border_distance_km_.values[p] <= settings.gap_border_distance_km);
    }

    std::vector<double> xs, ys;
    for (const auto& t : transmitters) {
        xs.push_back(t.x_m);
        ys.push_back(t.y_m);
    }
    cells_ = analysis::describe_cells(cells, xs, ys, settings.home_country, settings.options);
    seconds_ += since(t0);
}

AnalysisStage::~AnalysisStage() = default;

engine::LevelSink* AnalysisStage::begin_band(int first_row, int rows) {
    const GridSpec band = row_band(grid_, first_row, rows);
    const auto first = pixel_group_.begin() + std::ptrdiff_t(first_row) * grid_.width;
    sink_ = std::make_unique<analysis::CompositeSink>(
        band, cells_, std::vector<std::uint8_t>(first, first + std::ptrdiff_t(band.pixel_count())),
        settings_.options);
    band_first_row_ = first_row;
    band_rows_ = rows;
    return sink_.get();
}

namespace {

// Rows of a band's raster into the whole grid's (allocated, with the band's nodata, on first use).
template <typename T>
void place(Raster<T>& whole, const GridSpec& grid, Raster<T>&& band, int first_row) {
    if (band.grid.height == grid.height) {
        whole = std::move(band);
        return;
    }
    if (whole.values.empty()) whole = Raster<T>(grid, band.nodata);
    std::copy(band.values.begin(), band.values.end(),
              whole.values.begin() + std::ptrdiff_t(first_row) * grid.width);
}

template <typename T>
void place_all(std::vector<Raster<T>>& whole, const GridSpec& grid, std::vector<Raster<T>>&& band,
               int first_row) {
    whole.resize(band.size());
    for (std::size_t i = 0; i < band.size(); ++i)
        place(whole[i], grid, std::move(band[i]), first_row);
}

}  // namespace

void AnalysisStage::end_band() {
    const int first_row = band_first_row_, rows = band_rows_;
    place_band(finish_band(), first_row, rows);
}

analysis::Composites AnalysisStage::finish_band() {
    const auto t0 = Clock::now();
    const auto first = mask_.begin() + std::ptrdiff_t(band_first_row_) * grid_.width;
    analysis::Composites band = sink_->finish(
        std::vector<std::uint8_t>(first, first + std::ptrdiff_t(band_rows_) * grid_.width));
    sink_.reset();
    seconds_ += since(t0);
    return band;
}

void AnalysisStage::place_band(analysis::Composites&& band, int first_row, int rows) {
    const auto t0 = Clock::now();
    composites_.grid = grid_;
    composites_.technologies = band.technologies;
    composites_.best_metric_dbm.resize(band.best_metric_dbm.size());
    for (std::size_t g = 0; g < band.best_metric_dbm.size(); ++g)
        place_all(composites_.best_metric_dbm[g], grid_, std::move(band.best_metric_dbm[g]),
                  first_row);
    place_all(composites_.best_level_dbm, grid_, std::move(band.best_level_dbm), first_row);
    place(composites_.best_rsrp_dbm, grid_, std::move(band.best_rsrp_dbm), first_row);
    place_all(composites_.sinr_db, grid_, std::move(band.sinr_db), first_row);
    place_all(composites_.layer_operator, grid_, std::move(band.layer_operator), first_row);
    place_all(composites_.overlap_count, grid_, std::move(band.overlap_count), first_row);
    place_all(composites_.best_cell, grid_, std::move(band.best_cell), first_row);
    rows_done_ += rows;
    seconds_ += since(t0);
}

AnalysisStage::Evaluation AnalysisStage::evaluate() const {
    if (rows_done_ != grid_.height)
        throw std::logic_error("AnalysisStage::evaluate: not every row was computed");
    const analysis::AnalysisOptions& o = settings_.options;
    Evaluation e;
    e.maps = analysis::classify(composites_, pixel_group_, mask_, o, location_sigma_db_.values);
    e.gaps = analysis::find_gaps(composites_, e.maps, gap_area_, pixel_group_, cells_, region_,
                                 border_distance_km_, o);
    e.statistics =
        analysis::compute_statistics(composites_, e.maps, e.gaps, mask_, gap_area_, pixel_group_,
                                     region_, border_distance_km_, names_, cells_, o);
    return e;
}

std::vector<AnalysisStage::Product> AnalysisStage::write(
    OutputSet& outputs, const std::filesystem::path& dir,
    const std::map<std::string, std::string>& base_metadata) {
    const auto t0 = Clock::now();
    const analysis::AnalysisOptions& o = settings_.options;
    if (rows_done_ != grid_.height)
        throw OutputError(dir.string() + ": the coverage analysis did not receive every row");
    const analysis::Composites& c = composites_;
    const analysis::CoverageMaps maps =
        analysis::classify(c, pixel_group_, mask_, o, location_sigma_db_.values);
    const analysis::GapResult gaps = analysis::find_gaps(c, maps, gap_area_, pixel_group_, cells_,
                                                         region_, border_distance_km_, o);
    gap_count_ = gaps.gaps.size();
    statistics_ = analysis::compute_statistics(c, maps, gaps, mask_, gap_area_, pixel_group_,
                                               region_, border_distance_km_, names_, cells_, o);
    service_ = analysis::compute_service_figures(c, maps, gaps, mask_, pixel_group_, engine_cells_,
                                                 cells_, reach_radius_m_, o);

    std::map<std::string, std::string> metadata = base_metadata;
    metadata["GRENZFUNK_LOCATION_PROBABILITY_PCT"] =
        text::format_fixed(o.location_probability_pct, 2);
    metadata["GRENZFUNK_LOCATION_SIGMA_DB"] = location_sigma_db_.values.empty()
                                                  ? text::format_fixed(o.location_sigma_db, 2)
                                                  : "per land-cover class (" +
                                                        text::format_fixed(o.location_sigma_db, 2) +
                                                        " without land cover)";
    metadata["GRENZFUNK_NOISE_FIGURE_DB"] = text::format_fixed(o.noise_figure_db, 2);
    metadata["GRENZFUNK_INTERFERENCE_LOAD_PCT"] = text::format_fixed(o.interference_load_pct, 1);
    metadata["GRENZFUNK_ACIR_DB"] = text::format_fixed(o.acir_db, 2);
    metadata["GRENZFUNK_HOME_COUNTRY"] = settings_.home_country;

    std::vector<Product> products;
    auto add_float = [&](const std::string& file, const Raster<float>& raster,
                         const std::string& holds, const std::string& unit,
                         io::RasterStyle style = {}) {
        RasterWriteOptions w;
        w.band_description = holds;
        w.unit = unit;
        w.metadata = metadata;
        w.style = std::move(style);
        outputs.add_geotiff(dir / file, nan_to_nodata(raster), w);
        products.push_back({file, holds, unit});
    };
    auto add_byte = [&](const std::string& file, const Raster<std::uint8_t>& raster,
                        const std::string& holds, const std::string& unit,
                        const std::vector<analysis::ClassLegendEntry>& legend) {
        RasterWriteOptions w;
        w.band_description = holds;
        w.unit = unit;
        w.metadata = metadata;
        for (const auto& e : legend)
            w.categories.push_back({e.value, e.name, e.red, e.green, e.blue});
        outputs.add_geotiff(dir / file, raster, w);
        products.push_back({file, holds, unit});
    };

    bool any_rsrp = false;
    for (Technology t : c.technologies) any_rsrp |= t == Technology::lte || t == Technology::nr;
    if (any_rsrp) {
        // Map classes at the LTE coverage thresholds (the RSRP classes of coverage_class_lte).
        const auto& lte = o.thresholds_dbm[analysis::technology_index(Technology::lte)];
        add_float("rsrp_best_dbm.tif", c.best_rsrp_dbm,
                  "best RSRP (LTE) / SS-RSRP (NR) of any network, median", "dBm",
                  io::threshold_style(lte, "dBm", "median RSRP"));
    }
    add_float("best_rx_level_home_dbm.tif", c.best_level_dbm[0],
              "best received level of the " + settings_.home_name + " networks (" +
                  settings_.home_country + " cells)",
              "dBm");
    add_float("best_rx_level_neighbour_dbm.tif", c.best_level_dbm[1],
              "best received level of the other countries' networks", "dBm");
    for (std::size_t l = 0; l < cells_.layers.size(); ++l) {
        const analysis::Layer& layer = cells_.layers[l];
        std::string holds = "SINR of the strongest ";
        holds.append(technology_name(layer.technology))
            .append(" cell on ")
            .append(text::format_fixed(layer.frequency_mhz, 3))
            .append(" MHz / ")
            .append(text::format_fixed(layer.bandwidth_mhz, 1))
            .append(" MHz");
        if (!layer.channel.empty()) holds.append(" (").append(layer.channel).append(")");
        holds
            .append(
                "; cells of every network on overlapping channels interfere (overlap share), "
                "first adjacent channels with ACIR ")
            .append(text::format_fixed(o.acir_db, 1))
            .append(" dB; noise ")
            .append(text::format_fixed(layer.noise_dbm, 1))
            .append(" dBm");
        add_float("sinr_db_" + layer.name + ".tif", c.sinr_db[l], holds, "dB");
    }
    for (std::size_t s = 0; s < c.technologies.size(); ++s) {
        const std::string t = text::to_lower(technology_name(c.technologies[s]));
        add_byte("coverage_class_" + t + ".tif", maps.classes[s],
                 std::string(technology_name(c.technologies[s])) + " " +
                     analysis::metric_name(c.technologies[s]) +
                     " coverage class of the pixel's own country's networks at " +
                     text::format_fixed(o.location_probability_pct, 1) + " % of locations",
                 "class", analysis::class_legend(c.technologies[s], o));
        std::vector<analysis::ClassLegendEntry> counts;
        for (int k = 0; k <= o.overlap_count_cap; ++k) {
            // White (no cell) through yellow and orange to dark red (many overlapping cells).
            const double f = o.overlap_count_cap > 0 ? double(k) / o.overlap_count_cap : 1.0;
            const auto mix = [&](double a, double b) {
                return std::uint8_t(std::lround(a + (b - a) * f));
            };
            counts.push_back({std::uint8_t(k),
                              k == 0                     ? std::string("no cell")
                              : k == o.overlap_count_cap ? ">= " + std::to_string(k) + " cells"
                              : k == 1                   ? std::string("1 cell")
                                                         : std::to_string(k) + " cells",
                              k == 0 ? std::uint8_t(240) : mix(255, 165),
                              k == 0 ? std::uint8_t(240) : mix(237, 0),
                              k == 0 ? std::uint8_t(240) : mix(160, 38)});
        }
        add_byte("overlap_count_" + t + ".tif", c.overlap_count[s],
                 "number of own-country " + std::string(technology_name(c.technologies[s])) +
                     " cells within " + text::format_fixed(o.overlap_margin_db, 1) +
                     " dB of the best (saturates at " + std::to_string(o.overlap_count_cap) + ")",
                 "cells", counts);
    }
    add_float(
        "location_probability_pct.tif", maps.location_probability_pct,
        "probability that the own country's networks reach the gap-class threshold "
        "(best technology, sigma " +
            (location_sigma_db_.values.empty() ? text::format_fixed(o.location_sigma_db, 1) + " dB)"
                                               : std::string("of the pixel's land-cover class)")),
        "%");
    add_byte("gap_class.tif", gaps.gap_class,
             "coverage in the gap-analysis area: 0 covered, 1 white spot, 2 only the other "
             "country's networks",
             "class",
             {{0, "covered", 26, 150, 65},
              {1, "white spot: no network", 215, 25, 28},
              {2, "only the other country's networks", 253, 174, 97}});
    if (!border_distance_km_.values.empty())
        add_float("border_distance_km.tif", border_distance_km_,
                  "distance to the border of " + settings_.home_name, "km");

    const GapFiles files = gap_polygon_files(gaps, names_.regions, names_.groups);
    outputs.add_text(dir / "gaps.gpkg", files.gpkg);
    products.push_back({"gaps.gpkg",
                        "coverage gaps (>= " + text::format_fixed(o.min_gap_area_km2, 3) +
                            " km2) as polygons in the grid CRS with area, centroid, best level, "
                            "nearest site, white spot or neighbour-only",
                        "km2, dBm, km"});
    outputs.add_text(dir / "gaps.geojson", files.geojson);
    products.push_back({"gaps.geojson", "the same gaps in WGS84 (RFC 7946)", "km2, dBm, km"});
    if (kmz_) {
        report::CoverageKmzInput kmz;
        kmz.title = kmz_title_;
        // The best level of either country's networks (the run's best_rx_level_dbm.tif).
        Raster<float> best = c.best_level_dbm[0];
        for (std::size_t p = 0; p < best.values.size(); ++p) {
            const float other = c.best_level_dbm[1].values[p];
            if (std::isnan(best.values[p]) || other > best.values[p]) best.values[p] = other;
        }
        kmz.best_level_dbm = &best;
        for (std::size_t s = 0; s < c.technologies.size(); ++s) {
            report::CoverageKmzClassLayer layer;
            layer.name = std::string(technology_name(c.technologies[s])) + " coverage classes";
            layer.classes = &maps.classes[s];
            for (const auto& e : analysis::class_legend(c.technologies[s], o))
                layer.legend.push_back({e.value, e.name, e.red, e.green, e.blue});
            kmz.class_layers.push_back(std::move(layer));
        }
        kmz.gaps_geojson = files.geojson;
        kmz.cells = kmz_cells_;
        outputs.add_text(dir / "coverage.kmz", report::coverage_kmz(kmz));
        products.push_back({"coverage.kmz",
                            "Google Earth: best level and coverage classes as overlays, gaps, "
                            "sites with sector wedges and cell data, legend",
                            "dBm"});
    }
    outputs.add_text(dir / "statistics.csv", analysis::statistics_csv(statistics_));
    products.push_back({"statistics.csv",
                        "coverage per class, covered share, gap area and median SINR per "
                        "country, region and distance band to the border",
                        "km2, %, dB"});
    outputs.add_text(dir / "statistics.json", report::statistics_json(statistics_));
    products.push_back({"statistics.json", "the same statistics as JSON", "km2, %, dB"});
    seconds_ += since(t0);
    return products;
}

std::vector<std::string> AnalysisStage::summary() const {
    std::vector<std::string> lines;
    const double a = statistics_.pixel_area_km2;
    lines.push_back("analysis: " + std::to_string(gap_count_) + " gaps; location probability " +
                    text::format_fixed(settings_.options.location_probability_pct, 1) +
                    " %, sigma " + text::format_fixed(settings_.options.location_sigma_db, 1) +
                    " dB");
    for (const auto& z : statistics_.zones) {
        if (z.kind != "region" && z.kind != "country" && z.kind != "total") continue;
        const double share = z.pixels ? 100.0 * double(z.covered_pixels) / double(z.pixels) : 0.0;
        const std::string label = z.kind == "total" ? std::string("total") : z.kind + " " + z.name;
        lines.push_back("  " + label + ": " + text::format_fixed(double(z.pixels) * a, 1) +
                        " km2, covered " + text::format_fixed(share, 1) + " %, gap area " +
                        text::format_fixed(double(z.gap_pixels) * a, 1) + " km2");
    }
    // SINR per layer and country (the layers with cells of that country): the median over the
    // country, then per operator over the area its cells serve and cover. A technology with more
    // than kMaxLayerLines layers in a country (the GSM stand-in channels of imported cells) gets
    // one line with the range of the medians; statistics.csv has every layer.
    constexpr std::size_t kMaxLayerLines = 4;
    auto technology_of = [&](std::size_t l) {
        const std::string& name = statistics_.layer_names[l];
        return name.substr(0, name.find('_'));
    };
    int group = -1;
    for (const auto& z : statistics_.zones) {
        if (z.kind != "country") continue;
        ++group;  // the country zones come in group order
        std::vector<std::size_t> shown;
        for (std::size_t l = 0; l < statistics_.layer_names.size(); ++l)
            if (z.sinr_pixels[l] != 0 && (statistics_.layer_groups[l] & (1u << group)))
                shown.push_back(l);
        std::map<std::string, std::size_t> layers_per_technology;
        for (std::size_t l : shown) ++layers_per_technology[technology_of(l)];
        std::set<std::string> summarised;
        for (std::size_t l : shown) {
            const std::string technology = technology_of(l);
            if (layers_per_technology[technology] > kMaxLayerLines) {
                if (!summarised.insert(technology).second) continue;
                double low = 1e300, high = -1e300;
                std::map<std::string, std::pair<double, double>> per_operator;
                for (std::size_t m : shown) {
                    if (technology_of(m) != technology) continue;
                    low = std::min(low, z.sinr_median_db[m]);
                    high = std::max(high, z.sinr_median_db[m]);
                    for (std::size_t k = 0; k < statistics_.layer_operators[m].size(); ++k) {
                        if (z.operator_sinr_pixels[m][k] == 0) continue;
                        const double v = z.operator_sinr_median_db[m][k];
                        auto [it, inserted] = per_operator.emplace(
                            statistics_.layer_operators[m][k], std::make_pair(v, v));
                        if (!inserted) {
                            it->second.first = std::min(it->second.first, v);
                            it->second.second = std::max(it->second.second, v);
                        }
                    }
                }
                std::string line = "  SINR " + technology + " (";
                line.append(std::to_string(layers_per_technology[technology]))
                    .append(" channels), ")
                    .append(z.name)
                    .append(": medians ")
                    .append(text::format_fixed(low, 1))
                    .append(" to ")
                    .append(text::format_fixed(high, 1))
                    .append(" dB");
                for (const auto& [name, range] : per_operator)
                    line.append("; ")
                        .append(name)
                        .append(" ")
                        .append(text::format_fixed(range.first, 1))
                        .append(" to ")
                        .append(text::format_fixed(range.second, 1))
                        .append(" dB over its covered area");
                lines.push_back(line);
                continue;
            }
            std::string line = "  SINR " + statistics_.layer_names[l] + ", " + z.name +
                               ": median " + text::format_fixed(z.sinr_median_db[l], 1) + " dB";
            for (std::size_t k = 0; k < statistics_.layer_operators[l].size(); ++k) {
                if (z.operator_sinr_pixels[l][k] == 0) continue;
                line.append("; ")
                    .append(statistics_.layer_operators[l][k])
                    .append(" ")
                    .append(text::format_fixed(z.operator_sinr_median_db[l][k], 1))
                    .append(" dB over ")
                    .append(text::format_fixed(double(z.operator_sinr_pixels[l][k]) * a, 1))
                    .append(" km2 covered");
            }
            lines.push_back(line);
        }
    }
    return lines;
}

}  // namespace grenzfunk::pipeline
