// Small GDAL helpers for in-memory work (MEM rasters, /vsimem/ files) shared by the vector
// readers and the report writers.
#pragma once

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <memory>
#include <string>

#include "core/grid.hpp"

namespace grenzfunk::io {

struct DatasetCloser {
    void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* ct) const {
        OGRCoordinateTransformation::DestroyCT(ct);
    }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

// The grid's CRS for GDAL/OGR (traditional x = east order). Throws InputError.
OGRSpatialReference grid_srs(const GridSpec& grid);
// A one-band MEM raster on the grid.
DatasetPtr mem_raster(const GridSpec& grid, GDALDataType type, const OGRSpatialReference& srs);
// The bytes GDAL wrote to a /vsimem/ file (which is freed). Throws OutputError if none.
std::string vsimem_bytes(const std::string& path);
// A /vsimem/ path no other writer of this process uses.
std::string unique_vsimem(const std::string& name);

}  // namespace grenzfunk::io
