// Result files: Cloud-Optimized GeoTIFF rasters and text files, written so that a failed run
// leaves no partial output behind.
//
// Every file is first written under a temporary name in its final directory
// ("<name>.tmp-<pid>-<n>"), flushed to disk, and only then renamed onto its final name (rename(2)
// is atomic within one file system). An OutputSet extends this to several files: all are written
// to temporaries, and they are renamed only once every one of them has been written; if any
// write fails, all temporaries are removed. Errors are reported as grenzfunk::OutputError whose
// message names the final path and gives GDAL's or the operating system's reason in one line.
//
// GeoTIFFs are written with GDAL's COG driver (GDAL >= 3.1): DEFLATE, 512x512 tiles, overviews
// when the raster is larger than one tile, a predictor suited to the data type, and nothing
// time-dependent, so writing the same raster twice gives byte-identical files. The TIFF holds
// band description, unit, nodata and the caller's metadata tags; category names are band
// metadata items "CATEGORY_<value>=<name>". GDAL reads a GeoTIFF's category names only from its
// PAM side-car, and a TIFF palette always has 256 entries, so a class raster's category names
// and colour table (entries 0 .. the highest category value) go into "<name>.tif.aux.xml"
// (io/raster_style.hpp), and every raster gets a QGIS layer style "<name>.qml". The side-cars
// are files of the same set: listed in its files(), committed together with the raster. With
// style_sidecars = false the colour table is written into the TIFF instead (256 entries).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/grid.hpp"
#include "io/raster_style.hpp"

namespace grenzfunk::io {

// One class of a Byte raster (e.g. a coverage class): its colour-table entry and its name.
// A TIFF palette holds no alpha: transparency comes from the raster's nodata value.
struct ByteCategory {
    std::uint8_t value = 0;
    std::string name;  // e.g. "outdoor coverage"
    std::uint8_t red = 0;
    std::uint8_t green = 0;
    std::uint8_t blue = 0;
};

enum class OverviewResampling {
    automatic,  // average for Float32, nearest for integer rasters (classes, server indices)
    nearest,
    average,
    mode,
};

struct RasterWriteOptions {
    std::string band_description;  // e.g. "best received level"
    std::string unit;              // e.g. "dBm", "dBuV/m", "dB"; empty for none
    // Dataset metadata tags (model, parameters, software version, scenario checksum, ...).
    // Keys: letters, digits, '_', '-', '.'; values: any UTF-8 text.
    std::map<std::string, std::string> metadata;
    // Byte rasters only: colour table and category names (see above for where they go). Values
    // not listed get a black (TIFF) or transparent (side-car) colour-table entry. Must be empty
    // for Float32 and Int32 rasters.
    std::vector<ByteCategory> categories;
    // How GIS should draw it: automatic = from the categories, else from unit and description.
    RasterStyle style;
    // Write the side-cars ("<name>.qml", and "<name>.tif.aux.xml" for categories) beside it.
    bool style_sidecars = true;
    bool overviews = true;  // built only when the raster is larger than one 512x512 tile
    OverviewResampling overview_resampling = OverviewResampling::automatic;
};

// Write one single-band COG. The grid's crs_wkt is used if set, else its crs ("EPSG:25832").
// Overwrites an existing file at `path` atomically. Throws OutputError.
void write_geotiff(const std::filesystem::path& path, const Raster<float>& raster,
                   const RasterWriteOptions& options = {});
void write_geotiff(const std::filesystem::path& path, const Raster<std::int32_t>& raster,
                   const RasterWriteOptions& options = {});
void write_geotiff(const std::filesystem::path& path, const Raster<std::uint8_t>& raster,
                   const RasterWriteOptions& options = {});

// Rasters are computed with NaN for "no value"; files get a finite nodata value instead
// (-9999 by default: NaN nodata is handled unevenly by GIS tools).
Raster<float> nan_to_nodata(Raster<float> raster, float nodata = -9999.0f);

// Write a text file (CSV, JSON, manifest) the same way: temporary, flush, rename.
void write_text_file(const std::filesystem::path& path, std::string_view content);

// A raster written band of rows by band of rows, for runs too large to hold a whole raster
// in memory (tiled runs). The rows go to a raw scratch file (in the run's staging folder, or
// "<name>.tmp-<pid>-<n>.rows" beside the final path; removed when the stream is destroyed);
// OutputSet::add_geotiff then turns it into the same COG, byte for byte, that add_geotiff(Raster)
// writes for the same values. Float rows: NaN is stored as the stream's nodata value. Throws
// OutputError naming the final path (e.g. when the disk is full).
template <typename T>
class RasterStream {
  public:
    // The scratch file is `scratch_path` (OutputSet::scratch_path), or beside the final path.
    RasterStream(const std::filesystem::path& final_path, const GridSpec& grid, T nodata,
                 const std::filesystem::path& scratch_path = {});
    ~RasterStream();
    RasterStream(const RasterStream&) = delete;
    RasterStream& operator=(const RasterStream&) = delete;

    // Rows first_row .. first_row + rows.grid.height - 1 of the grid (rows.grid.width columns).
    void write_rows(int first_row, const Raster<T>& rows);

    const std::filesystem::path& final_path() const { return final_path_; }
    const std::filesystem::path& scratch_path() const { return scratch_path_; }
    const GridSpec& grid() const { return grid_; }
    T nodata() const { return nodata_; }
    // True once every row has been written at least once.
    bool complete() const;
    // Closes the scratch file for reading (OutputSet::add_geotiff does this).
    void close_for_reading();

  private:
    std::filesystem::path final_path_, scratch_path_;
    GridSpec grid_;
    T nodata_;
    int fd_ = -1;
    std::vector<bool> written_;
    std::vector<T> buffer_;
};

// Several output files written as one transaction. Each add_* writes its file at once under a
// temporary name; commit() moves them all onto their final names. If an add_* fails, every
// temporary written so far is removed and the set is spent (later calls throw). If the set is
// destroyed without commit() (e.g. an exception unwinds past it), its temporaries are removed.
//
// Two kinds of sets:
// - OutputSet(): single files, each written beside its final path and renamed onto it (used for
//   a file the user names, e.g. `path -o results.csv`).
// - OutputSet(folders): a run's outputs. Every file must lie inside one of the folders (one
//   nested in another counts as part of the outer one), and the rule of io/output_folder.hpp
//   applies: the folders are locked for the set's lifetime, files are staged inside them, and
//   the commit replaces only the previous run's files, all of them or none.
class OutputFolder;

class OutputSet {
  public:
    OutputSet();
    // Opens (locks, cleans up) every folder at once. Throws OutputError.
    explicit OutputSet(const std::vector<std::filesystem::path>& folders);
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    void add_geotiff(const std::filesystem::path& path, const Raster<float>& raster,
                     const RasterWriteOptions& options = {});
    void add_geotiff(const std::filesystem::path& path, const Raster<std::int32_t>& raster,
                     const RasterWriteOptions& options = {});
    void add_geotiff(const std::filesystem::path& path, const Raster<std::uint8_t>& raster,
                     const RasterWriteOptions& options = {});
    // The raster of a completed stream (see RasterStream); the stream's scratch file is read and
    // left for the stream to remove.
    template <typename T>
    void add_geotiff(RasterStream<T>& stream, const RasterWriteOptions& options = {});
    // `holds` describes the file for the manifest ("the cells computed").
    void add_text(const std::filesystem::path& path, std::string_view content,
                  const std::string& holds = "");

    // Throws OutputError now, before any heavy work, if a file at `path` exists that the
    // commit would not be allowed to replace (or `path` lies outside the set's folders).
    void check_replaceable(const std::filesystem::path& path);
    // A scratch file for the rows of `final_path` (a RasterStream): inside the staging folder of
    // a folder set, beside the final path otherwise.
    std::filesystem::path scratch_path(const std::filesystem::path& final_path);

    void commit();

    // Threads compressing the tiles of each GeoTIFF (GDAL's NUM_THREADS); the files' bytes do
    // not depend on it.
    void set_compression_threads(int threads) { compression_threads_ = threads; }

    // The files added so far, in order, with what the manifest records of each.
    struct File {
        std::filesystem::path final_path;
        std::string holds;  // band description or the text's `holds`
        std::string unit;
        std::uintmax_t bytes = 0;
        std::string sha256;
    };
    const std::vector<File>& files() const { return files_; }
    // Final paths added so far, in order.
    std::vector<std::filesystem::path> paths() const;

  private:
    struct Entry {
        std::filesystem::path final_path;
        std::filesystem::path temporary_path;
        int folder = -1;  // index into folders_, -1 for a single file
        std::filesystem::path relative;
    };
    struct Location {
        int folder = -1;
        std::filesystem::path relative;
    };
    Location locate(const std::filesystem::path& path) const;
    std::filesystem::path begin_entry(const std::filesystem::path& path);
    void end_entry(const std::string& holds, const std::string& unit);
    void add_sidecars(const std::filesystem::path& path, const RasterWriteOptions& options,
                      const RasterStyle& style);
    template <typename T>
    void add_raster(const std::filesystem::path& path, const Raster<T>& raster,
                    const RasterWriteOptions& options);
    void discard() noexcept;

    std::vector<std::unique_ptr<OutputFolder>> folders_;
    std::vector<std::filesystem::path> folder_keys_;  // absolute, normal: for locate()
    std::vector<Entry> entries_;
    std::vector<File> files_;
    bool finished_ = false;  // committed or aborted
    int compression_threads_ = 1;
};

}  // namespace grenzfunk::io
