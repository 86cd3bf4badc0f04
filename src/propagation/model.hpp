// The one small interface every propagation model implements.
//
// A model sees plain numbers: a frequency, antenna heights above ground, and (for terrain
// models) an equally spaced terrain profile from transmitter to receiver. It knows nothing of
// files, GDAL or scenarios. It never throws while evaluating a path: it returns the loss and
// flags. Parameters are validated once, when the model is created (create_model in registry.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace grenzfunk {
class ParameterSet;
struct GeoPostGrid;  // core/geo_post_grid.hpp
}  // namespace grenzfunk

namespace grenzfunk::propagation {

// Bit flags returned with every loss. "outside_*" are warnings: the result is produced but the
// inputs lie outside the range the model was calibrated or specified for. "invalid" means no
// meaningful loss could be computed (loss_db is then NaN).
enum PathFlag : std::uint32_t {
    path_ok = 0,
    outside_frequency_range = 1u << 0,
    outside_distance_range = 1u << 1,
    outside_tx_height_range = 1u << 2,
    outside_rx_height_range = 1u << 3,
    outside_other_range = 1u << 4,  // any other model-specific calibration warning
    line_of_sight = 1u << 8,        // informational: path is line of sight
    diffraction = 1u << 9,          // informational: diffraction dominates
    troposcatter = 1u << 10,        // informational: troposcatter dominates
    invalid_input = 1u << 31,
};

// Human-readable, comma-separated list of the set flags ("" for none), for `grenzfunk path`.
std::string describe_flags(std::uint32_t flags);

// An equally spaced terrain profile: elevation_m[0] is the ground height under the
// transmitter, elevation_m.back() under the receiver, heights in metres above sea level.
inline constexpr double kUnknownPosition = std::numeric_limits<double>::quiet_NaN();

struct TerrainProfile {
    double step_m = 0.0;
    std::span<const double> elevation_m;

    double distance_m() const {
        return elevation_m.empty() ? 0.0 : step_m * double(elevation_m.size() - 1);
    }
};

// One path as the model sees it. Engines, the border check and `grenzfunk path` fill it with
// the one path builder (engine/path_builder.hpp), so they agree on every field.
//
// Geography: centre_* is the midpoint of the great-circle path (ITU-R P.1812-7's path centre,
// engine::path_centre); tx_* / rx_* are the end points. Every geographic field is NaN when
// unknown: a given profile without geography (`grenzfunk path --profile / --cases`), or a grid
// CRS without a known inverse. A model that needs a position states in its header comment what
// it does with NaN (p1812: a documented default latitude; p1546: uses no position; ITM,
// p526-bullington, free space, Hata: use none). Engines fill rx_* and centre_* only for models
// with needs_path_position().
//
// A model whose method prescribes its own profile (e.g. the HCM Agreement's, sampled from its
// own terrain data set at its own spacing) builds it inside loss() from tx_lon/lat_deg,
// rx_lon/lat_deg (and the antenna heights), ignoring `profile`; it returns needs_terrain_profile()
// == false so that the engines do not sample one for it, and invalid_input when an end point is
// NaN. Its terrain is then the model's own input, given at creation (its parameters).
struct PathQuery {
    double frequency_mhz = 0.0;
    double tx_height_agl_m = 0.0;  // transmitting antenna above ground
    double rx_height_agl_m = 0.0;  // receiving antenna above ground
    double distance_m = 0.0;       // horizontal path length (equals profile.distance_m())
    TerrainProfile profile;        // empty for models that do not need terrain
    // Geographic position of the path centre, for models with location-dependent inputs
    // (radio-meteorological data), degrees; NaN = unknown.
    double centre_lat_deg = kUnknownPosition;
    double centre_lon_deg = kUnknownPosition;
    // Geographic positions of the transmitter and the receiver, degrees; NaN = unknown.
    double tx_lat_deg = kUnknownPosition;
    double tx_lon_deg = kUnknownPosition;
    double rx_lat_deg = kUnknownPosition;
    double rx_lon_deg = kUnknownPosition;
};

struct PathResult {
    double loss_db = 0.0;  // basic transmission loss (isotropic antennas)
    std::uint32_t flags = path_ok;
};

// Where a model is specified. Frequency outside [min,max] is an error at set-up (the model is
// not defined there); distance and heights outside their ranges are flagged per path.
struct ValidityRange {
    double min_frequency_mhz = 0.0;
    double max_frequency_mhz = 0.0;
    double min_distance_km = 0.0;
    double max_distance_km = 0.0;
    double min_tx_height_m = 0.0;
    double max_tx_height_m = 0.0;
    double min_rx_height_m = 0.0;
    double max_rx_height_m = 0.0;
};

// Optional capability for engines that sweep radials: the loss of many profiles that share
// their beginning. The engine pushes the terrain samples of a radial from the transmitter
// outwards (finite) and asks for the loss of the profile "samples pushed so far, then the
// samples of `tail`" (the last one under the receiver), all `step_m` apart. Must equal loss()
// on that profile (up to rounding) with the frequency and heights of the query the evaluator
// was made for. One evaluator is used by one thread at a time.
class PrefixEvaluator {
  public:
    virtual ~PrefixEvaluator() = default;
    virtual void clear() noexcept = 0;
    virtual void push(double elevation_m) = 0;
    // The samples pushed in order, as one push() each (one call per run of samples: the engine
    // pushes a few between two pixels).
    virtual void push_run(std::span<const double> elevation_m) {
        for (const double z : elevation_m) push(z);
    }
    virtual PathResult evaluate(std::span<const double> tail, double step_m) noexcept = 0;

    // Batched form of evaluate(), for speed only: the result for `token` is appended to `done`
    // by this call, a later submit() or flush(), in any order, and equals what evaluate() would
    // return up to the rounding of the maths functions (ITM: itm_prefix.hpp). The default
    // evaluates at once.
    struct Completed {
        std::uint32_t token = 0;
        PathResult result;
    };
    virtual void submit(std::span<const double> tail, double step_m, std::uint32_t token,
                        std::vector<Completed>& done) noexcept {
        done.push_back({token, evaluate(tail, step_m)});
    }
    virtual void flush(std::vector<Completed>& done) noexcept { (void)done; }
};

class PropagationModel {
  public:
    virtual ~PropagationModel() = default;

    // Registry name, e.g. "free-space", "okumura-hata".
    virtual std::string_view name() const = 0;
    // Standard implemented: document, edition, sections.
    virtual std::string_view reference() const = 0;
    virtual bool needs_terrain_profile() const = 0;
    // True if loss() reads the geographic fields of the query (centre_*, tx_*, rx_*). Engines
    // compute a receiver's lon/lat only for such models (an inverse projection per pixel costs
    // more than a free-space loss) and leave rx_* and centre_* NaN otherwise. Wrappers forward
    // it.
    virtual bool needs_path_position() const { return false; }
    virtual ValidityRange validity() const = 0;
    // Effective parameters (defaults filled in), written into output metadata.
    virtual std::map<std::string, std::string> parameters() const = 0;

    // Basic transmission loss of one path. Never throws.
    virtual PathResult loss(const PathQuery& query) const noexcept = 0;

    // A PrefixEvaluator for the frequency and heights of `query` (its profile is not used), or
    // nullptr when the model has none; engines then call loss() per profile. One evaluator
    // serves all paths of a transmitter, so the radial engine passes the transmitter's position
    // and NaN for the centre and the receiver: a model whose loss depends on them (p1812) must
    // not offer one.
    virtual std::unique_ptr<PrefixEvaluator> prefix_evaluator(const PathQuery& query) const {
        (void)query;
        return nullptr;
    }
};

using ModelFactory = std::unique_ptr<PropagationModel> (*)(const ParameterSet& parameters);

// Data sets a model may take at creation besides its parameters, read by the caller (the
// pipeline, `grenzfunk path`) through the I/O layer: models see no files.
struct ModelResources {
    // Terrain posts in longitude/latitude for a model that samples its own profile (hcm).
    std::shared_ptr<const GeoPostGrid> geographic_terrain;
    std::string geographic_terrain_source;  // its file name, for messages and metadata
};
using ResourcedModelFactory = std::unique_ptr<PropagationModel> (*)(
    const ParameterSet& parameters, const ModelResources& resources);

}  // namespace grenzfunk::propagation
