// One band's results as bytes, for a distributed run (docs/scale.md): the rank that computed a
// band packs what the stages' band_end() would take from it, rank 0 unpacks it and hands it to
// the same band_end() code, so the whole grid is assembled in band order exactly as in one
// process. The values travel as their bits (core/bytes.hpp): nothing is rounded or reordered.
#pragma once

#include "analysis/composites.hpp"
#include "core/bytes.hpp"
#include "engine/coverage.hpp"

namespace grenzfunk::pipeline {

template <typename T>
void put_rasters(bytes::Writer& out, const std::vector<Raster<T>>& rasters) {
    out.put(std::uint64_t(rasters.size()));
    for (const Raster<T>& r : rasters) out.put_raster(r);
}

template <typename T>
std::vector<Raster<T>> get_rasters(bytes::Reader& in, const GridSpec& like) {
    const auto n = in.get<std::uint64_t>();
    if (n > (std::uint64_t(1) << 24))
        throw std::runtime_error("a message between the ranks holds a bad raster count");
    std::vector<Raster<T>> rasters;
    rasters.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) rasters.push_back(in.get_raster<T>(like));
    return rasters;
}

// Every raster of a band's composites (analysis/composites.hpp).
inline void put_composites(bytes::Writer& out, const analysis::Composites& c) {
    out.put_grid(c.grid);
    out.put_vector(c.technologies);
    out.put(std::uint64_t(c.best_metric_dbm.size()));
    for (const auto& group : c.best_metric_dbm) put_rasters(out, group);
    put_rasters(out, c.best_level_dbm);
    out.put_raster(c.best_rsrp_dbm);
    put_rasters(out, c.sinr_db);
    put_rasters(out, c.layer_operator);
    put_rasters(out, c.overlap_count);
    put_rasters(out, c.best_cell);
}

inline analysis::Composites get_composites(bytes::Reader& in, const GridSpec& like) {
    analysis::Composites c;
    c.grid = in.get_grid(like);
    c.technologies = in.get_vector<Technology>();
    const auto groups = in.get<std::uint64_t>();
    if (groups > 64)
        throw std::runtime_error("a message between the ranks holds a bad group count");
    for (std::uint64_t g = 0; g < groups; ++g)
        c.best_metric_dbm.push_back(get_rasters<float>(in, like));
    c.best_level_dbm = get_rasters<float>(in, like);
    c.best_rsrp_dbm = in.get_raster<float>(like);
    c.sinr_db = get_rasters<float>(in, like);
    c.layer_operator = get_rasters<std::int16_t>(in, like);
    c.overlap_count = get_rasters<std::uint8_t>(in, like);
    c.best_cell = get_rasters<std::int32_t>(in, like);
    return c;
}

// What the coverage stage takes from a band (pipeline/coverage_stage.hpp): the per-cell counts
// and the composites it writes. Rasters a run does not write travel empty.
struct CoverageBand {
    engine::CoverageResult result;
    Raster<float> terrain_on_grid;
};

inline void put_coverage_band(bytes::Writer& out, const engine::CoverageResult& result,
                              const Raster<float>& terrain_on_grid, bool field, bool server,
                              bool terrain) {
    out.put_vector(result.cell_statistics);
    out.put_raster(result.best_level_dbm);
    out.put_raster(field ? result.max_field_dbuv_per_m : Raster<float>());
    out.put_raster(server ? result.best_server : Raster<std::int32_t>());
    out.put_raster(terrain ? terrain_on_grid : Raster<float>());
}

inline CoverageBand get_coverage_band(bytes::Reader& in, const GridSpec& like) {
    CoverageBand band;
    band.result.cell_statistics = in.get_vector<engine::CellStatistics>();
    band.result.best_level_dbm = in.get_raster<float>(like);
    band.result.max_field_dbuv_per_m = in.get_raster<float>(like);
    band.result.best_server = in.get_raster<std::int32_t>(like);
    band.terrain_on_grid = in.get_raster<float>(like);
    return band;
}

}  // namespace grenzfunk::pipeline
