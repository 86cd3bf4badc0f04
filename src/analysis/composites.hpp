// Composites over all cells of a scenario, accumulated from the engine's LevelSink stream:
//
//   - best coverage metric (RSRP / RSCP / RxLev, see radio.hpp) per network group and
//     technology, and best received level per network group. A network group is the set of
//     cells of one country: group 0 = the home country, group 1 = every other country;
//   - per channel layer (cells of one technology on the same carrier centre and bandwidth): the
//     strongest level, its cell and the linear sum of all levels, for
//     SINR = S / (load * (sum_v - S + sum_j w(v, j) sum_j) + N), w the channel weight of layer j
//     on layer v (core/channels.hpp interference_weight: overlap share, ACIR for the first
//     adjacent channel, 0 beyond), summed over j in layer order (docs/analysis.md, "SINR");
//   - per technology, the best `overlap_count_cap` metrics of the pixel's own group, from which
//     the number of cells within `overlap_margin_db` of the best follows (bounded top-k: the
//     best is only known at the end, and a second engine pass would double the run time);
//   - per technology, the index of the best cell of the pixel's own group (the cell that serves
//     the pixel for the per-cell report; ties go to the lower cell index, as in the engine's best
//     server).
//
// Memory, per pixel of the analysis grid (4-byte floats and cell indices, 8-byte sums),
// independent of the number of cells: 4 * (2 groups * T technologies + 2) + 16 * L layers +
// 4 * K * T + 4 * T, with T the technologies present, L the layers and K = overlap_count_cap.
// The layer weights are an L x L table, independent of the pixels.
//
// Determinism: the engine calls add() for one pixel in a fixed order and never concurrently,
// so every per-pixel value (including the floating-point sums) is the same for any thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/radio.hpp"
#include "core/analysis_options.hpp"
#include "core/cell.hpp"
#include "core/grid.hpp"
#include "engine/coverage.hpp"

namespace grenzfunk::analysis {

inline constexpr int kGroupCount = 2;  // 0 = home country, 1 = neighbour countries

// A channel layer: the cells of one technology on one carrier (centre and bandwidth).
struct Layer {
    std::string name;  // "<technology>_<centre>mhz_<bandwidth>mhz", e.g. "lte_806mhz_10mhz"
    Technology technology = Technology::other;
    double frequency_mhz = 0.0;
    double bandwidth_mhz = 0.0;
    std::string channel;                   // "EARFCN 6300" (core/channels.hpp), "" without a number
    double noise_bandwidth_hz = 0.0;       // of its first cell
    double noise_dbm = 0.0;                // kTB + noise figure
    std::vector<std::uint16_t> operators;  // indices into AnalysisCells::operators, ascending
    std::uint8_t group_mask = 0;           // bit g: the layer has cells of group g
};

// "<technology>_<centre>mhz_<bandwidth>mhz" with '.' as 'p': "gsm_935p2mhz_0p2mhz".
std::string layer_name(Technology technology, double frequency_mhz, double bandwidth_mhz);

// What the analysis knows about the engine's cells (same order as the engine's cells).
struct AnalysisCell {
    CellRadio radio;
    std::uint8_t group = 0;            // 0 home, 1 neighbour
    std::uint32_t layer = 0;           // index into layers
    std::uint8_t slot = 0;             // technology slot (index into technologies)
    std::uint16_t operator_index = 0;  // index into operators
    double x_m = 0.0, y_m = 0.0;
    std::string site_id;
};

struct AnalysisCells {
    std::vector<AnalysisCell> cells;
    std::vector<Layer> layers;
    std::vector<Technology> technologies;  // slot -> technology, in enum order
    // Operator names (Cell::operator_name, "(no operator)" when empty), in order of appearance.
    std::vector<std::string> operators;
    // [victim layer]: the other layers that interfere with it and their weight (> 0), in layer
    // order (the fixed summation order).
    std::vector<std::vector<std::pair<std::uint32_t, double>>> interferers;
};

// Builds layers and technology slots. `home_country`: cells whose country equals it form group
// 0, all others group 1. Positions in the grid CRS. Throws InputError for bandwidths without a
// 3GPP resource-block count (cell_radio).
AnalysisCells describe_cells(const std::vector<Cell>& cells, const std::vector<double>& x_m,
                             const std::vector<double>& y_m, const std::string& home_country,
                             const AnalysisOptions& options);

struct Composites {
    GridSpec grid;
    std::vector<Technology> technologies;
    // [group][slot]: best coverage metric (dBm), NaN where no cell of the group/technology.
    std::vector<std::vector<Raster<float>>> best_metric_dbm;
    std::vector<Raster<float>> best_level_dbm;  // [group]
    Raster<float> best_rsrp_dbm;                // LTE and NR cells of all groups; NaN none
    std::vector<Raster<float>> sinr_db;         // [layer]; NaN where the layer has no signal
    // [layer]: operator index of the layer's strongest cell where that cell covers the pixel
    // (its coverage metric reaches the gap-class threshold at the location probability, as for
    // the gaps), -1 elsewhere and outside the mask.
    std::vector<Raster<std::int16_t>> layer_operator;
    // [slot]: cells of the pixel's own group within the margin of its best (0 = no such cell,
    // overlap_count_cap = that many or more); 255 outside the analysis mask.
    std::vector<Raster<std::uint8_t>> overlap_count;
    // [slot]: index of the pixel's own group's best cell of the technology (ties: the lower
    // index); -1 where the group has no such cell or outside the analysis mask.
    std::vector<Raster<std::int32_t>> best_cell;
};

class CompositeSink final : public engine::LevelSink {
  public:
    // `pixel_group`: per pixel, the group whose cells serve it (its country); empty = all 0.
    // Keeps a copy of `cells`.
    CompositeSink(const GridSpec& grid, const AnalysisCells& cells,
                  std::vector<std::uint8_t> pixel_group, const AnalysisOptions& options);

    void add(std::size_t pixel, std::uint32_t cell, float level_dbm) noexcept override;

    // After the engine run. Pixels outside `mask` get nodata.
    Composites finish(const std::vector<std::uint8_t>& mask) const;

    // Bytes of per-pixel state held (the memory cost above).
    std::size_t state_bytes() const;

  private:
    GridSpec grid_;
    std::size_t n_ = 0;
    AnalysisCells cells_;
    std::vector<std::uint8_t> pixel_group_;
    AnalysisOptions options_;
    std::size_t slots_ = 0;
    std::size_t cap_ = 0;
    std::vector<float> best_metric_;              // [(group * slots + slot) * n + pixel]
    std::vector<float> best_level_;               // [group * n + pixel]
    std::vector<float> layer_best_;               // [layer * n + pixel]
    std::vector<std::uint32_t> layer_best_cell_;  // same index; kNoCell = none
    std::vector<double> layer_sum_mw_;
    std::vector<float> top_;  // [(slot * n + pixel) * cap + i], descending, NaN = empty
    std::vector<std::int32_t> best_cell_;  // [slot * n + pixel], own group only, -1 = none
};

}  // namespace grenzfunk::analysis
