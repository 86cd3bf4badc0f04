#include "io/gdal_memory.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>

#include <atomic>

#include "core/error.hpp"

namespace grenzfunk::io {

OGRSpatialReference grid_srs(const GridSpec& grid) {
    OGRSpatialReference srs;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const std::string& definition = grid.crs_wkt.empty() ? grid.crs : grid.crs_wkt;
    if (srs.SetFromUserInput(definition.c_str(),
                             OGRSpatialReference::SET_FROM_USER_INPUT_LIMITATIONS_get()) !=
        OGRERR_NONE)
        throw InputError("analysis: grid CRS '" + grid.crs + "' is not understood by GDAL");
    return srs;
}

DatasetPtr mem_raster(const GridSpec& grid, GDALDataType type, const OGRSpatialReference& srs) {
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr ds(mem->Create("", grid.width, grid.height, 1, type, nullptr));
    double gt[6];
    grid.geotransform(gt);
    ds->SetGeoTransform(gt);
    ds->SetSpatialRef(&srs);
    return ds;
}

std::string vsimem_bytes(const std::string& path) {
    vsi_l_offset size = 0;
    GByte* data = VSIGetMemFileBuffer(path.c_str(), &size, TRUE);
    if (!data) throw OutputError(path + ": GDAL wrote nothing");
    std::string bytes(reinterpret_cast<const char*>(data), std::size_t(size));
    CPLFree(data);
    return bytes;
}

std::string unique_vsimem(const std::string& name) {
    static std::atomic<unsigned> counter{0};
    return "/vsimem/grenzfunk_" + std::to_string(counter++) + "_" + name;
}

}  // namespace grenzfunk::io
