// The stages of a run and their one lifecycle (docs/architecture.md):
//   prepare()                 once, before the band loop (open streams, set up sinks)
//   band_begin() / band_end() around the engine's run on each band of rows
//   finish()                  once, after the last band (work that needs the whole grid)
//   write()                   add the stage's files to the run's OutputSet
//   summary()                 console lines, after the commit
//   band_pack() / band_unpack() instead of band_end() for a band computed on another rank
// run.cpp owns the loop: it reads each band's terrain, runs the engine with the sinks the stages
// hand it, and commits the outputs once every stage has written.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "engine/coverage.hpp"
#include "terrain/terrain.hpp"

namespace grenzfunk::io {
class OutputSet;
}

namespace grenzfunk::pipeline {

struct RunPlan;
class RunObserver;

// A file a stage wrote, as the run's manifest describes it.
struct Product {
    std::string file;  // relative to the output folder
    std::string holds, unit;
};

struct RunContext {
    const RunPlan& plan;
    io::OutputSet& outputs;
    RunObserver& observer;
    const std::atomic<bool>& cancel;
    std::map<std::string, std::string> metadata;  // GeoTIFF tags every raster carries
    std::vector<Product> products;                // in the order the manifest lists them
    // The regulator package's files (relative to the output folder) and what each holds.
    std::map<std::string, std::string> package_holds;
    // The whole grid's terrain and engine result, kept when the grid is one band (the border
    // check and the per-cell rasters need them; the coverage stage writes its composites from
    // the result then). The terrain only where rank 0 computed the band.
    std::optional<terrain::TerrainModel> whole_terrain;
    engine::CoverageResult whole_result;
};

struct BandContext {
    int index = 0;
    int first_row = 0;
    GridSpec grid;                   // the band's rows of the analysis grid
    std::vector<std::uint8_t> mask;  // the band's part of the area mask
    const terrain::TerrainModel* terrain = nullptr;
    Raster<float> terrain_on_grid;          // the terrain sampled on the band's pixels
    std::vector<engine::LevelSink*> sinks;  // band_begin() adds the stage's sink here
    engine::CoverageResult result;          // the engine's result, for band_end()
};

class Stage {
  public:
    virtual ~Stage() = default;
    virtual void prepare(RunContext& run) { (void)run; }
    virtual void band_begin(RunContext& run, BandContext& band) { (void)run, (void)band; }
    virtual void band_end(RunContext& run, BandContext& band) { (void)run, (void)band; }
    // A distributed run (docs/scale.md): on the rank that computed a band, band_pack() takes
    // the place of band_end() and writes what band_end() would take from the band; on rank 0,
    // band_unpack() reads it back (into a band with index, rows and mask set) and does
    // band_end()'s work. Both are called in stage order; stages without band work write nothing.
    virtual void band_pack(RunContext& run, BandContext& band, bytes::Writer& out) {
        (void)run, (void)band, (void)out;
    }
    virtual void band_unpack(RunContext& run, BandContext& band, bytes::Reader& in) {
        (void)run, (void)band, (void)in;
    }
    virtual void finish(RunContext& run) { (void)run; }
    virtual void write(RunContext& run) { (void)run; }
    virtual std::vector<std::string> summary() const { return {}; }
};

}  // namespace grenzfunk::pipeline
