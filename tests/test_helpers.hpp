// Shared helpers for the tests: temporary directories, running the CLI, reading files.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>

#include "core/grid.hpp"
#include "terrain/terrain.hpp"

namespace grenzfunk::test {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() / ("grenzfunk-test-" + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

  private:
    fs::path path_;
};

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

struct CommandResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

// Runs the grenzfunk CLI with the given arguments (a shell-quoted string).
inline CommandResult run_cli(const std::string& args, const std::string& env = "") {
    const fs::path log = fs::temp_directory_path() /
                         ("grenzfunk-cli-" + std::to_string(std::random_device{}()) + ".log");
    const std::string command = env + " '" + std::string(GRENZFUNK_CLI_PATH) + "' " + args + " >'" +
                                log.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.output = read_file(log);
    fs::remove(log);
    return r;
}

inline std::string data_path(const std::string& relative) {
    return std::string(GRENZFUNK_TEST_DATA_DIR) + "/" + relative;
}
inline std::string source_path(const std::string& relative) {
    return std::string(GRENZFUNK_SOURCE_DIR) + "/" + relative;
}

// Flat terrain in EPSG:25832, `elevation_m` everywhere, north-west corner at
// (west_m, north_m).
inline grenzfunk::terrain::TerrainModel flat_terrain(int width, int height, double pixel_m,
                                                     float elevation_m, double west_m = 0.0,
                                                     double north_m = NAN) {
    grenzfunk::GridSpec g;
    g.crs = "EPSG:25832";
    g.pixel_size_m = pixel_m;
    g.width = width;
    g.height = height;
    g.origin_x_m = west_m;
    g.origin_y_m = std::isnan(north_m) ? height * pixel_m : north_m;
    return grenzfunk::terrain::TerrainModel(grenzfunk::Raster<float>(g, elevation_m));
}

// Terrain of independent uniform heights in [low_m, high_m) (drawn in row-major order from
// `rng`), same grid as flat_terrain.
template <typename Rng>
grenzfunk::terrain::TerrainModel random_terrain(int width, int height, double pixel_m, float low_m,
                                                float high_m, Rng& rng) {
    grenzfunk::Raster<float> z = flat_terrain(width, height, pixel_m, 0.0f).raster();
    std::uniform_real_distribution<float> draw(low_m, high_m);
    for (float& v : z.values) v = draw(rng);
    return grenzfunk::terrain::TerrainModel(std::move(z));
}

}  // namespace grenzfunk::test
