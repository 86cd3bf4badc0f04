// Coordinate reference systems and transforms (PROJ). Not thread-safe: use before parallel work.
#pragma once

#include <functional>

#include <memory>
#include <string>

class OGRSpatialReference;

namespace grenzfunk::io {

// WKT2 (2019) text of a spatial reference, as written into rasters' metadata.
std::string wkt2_of(const OGRSpatialReference& srs);

// Validates a user CRS string ("EPSG:25832", WKT, PROJ string) and returns its WKT.
// Throws InputError "<where>: grid.crs: ..." if unknown or not a projected CRS in metres.
std::string projected_crs_wkt(const std::string& crs, const std::string& where);

// WGS84 longitude/latitude (degrees) <-> a projected CRS (metres), axis order lon, lat.
class LonLatTransform {
  public:
    explicit LonLatTransform(const std::string& target_crs);
    ~LonLatTransform();
    LonLatTransform(const LonLatTransform&) = delete;
    LonLatTransform& operator=(const LonLatTransform&) = delete;

    // Returns false if the point cannot be transformed.
    bool forward(double lon_deg, double lat_deg, double& x_m, double& y_m) const;
    bool inverse(double x_m, double y_m, double& lon_deg, double& lat_deg) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The inverse of a LonLatTransform as a function safe to call from many threads at once (each
// thread keeps its own PROJ context and transform): the engine's engine::LonLatOf. Returns
// false (NaN outputs) where a point cannot be transformed; never throws once made.
std::function<bool(double x_m, double y_m, double& lon_deg, double& lat_deg)> lon_lat_of_crs(
    const std::string& crs);

}  // namespace grenzfunk::io
