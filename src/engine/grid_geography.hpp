// Longitude and latitude of points of a projected grid, without PROJ: the engine layer needs the
// geographic position of every pixel (the path centre of P.1812, path_builder.hpp) and must not
// depend on GDAL/PROJ. Closed-form inverses of the projections the scenario format offers:
//   EPSG:258NN (ETRS89 / UTM zone NN N, GRS80), EPSG:326NN / 327NN (WGS 84 / UTM N / S):
//     transverse Mercator, Krueger's series to n^4 (Karney, J. Geodesy 85 (2011), eqs. (11),
//     (36)), truncation error below 1 mm (~1e-8 deg) anywhere in a zone;
//   EPSG:3035 (ETRS89-extended / LAEA Europe, GRS80): Lambert azimuthal equal-area, ellipsoidal
//     inverse (Snyder, Map Projections - A Working Manual, USGS PP 1395 (1987), eqs. (24-...)
//     p. 189; the latitude from the authalic one by Newton iteration, eq. (3-16)).
// Geographic coordinates are on the CRS's own datum (ETRS89 / WGS 84, the same within the
// metre level, as PROJ treats them without a time-dependent transformation).
#pragma once

#include <optional>
#include <string>

namespace grenzfunk::engine {

class GridGeography {
  public:
    // The inverse for a CRS given as "EPSG:code" (case-insensitive), nullopt for any other.
    static std::optional<GridGeography> for_crs(const std::string& crs);

    // Longitude and latitude (degrees) of a grid point (metres, easting/northing). Returns
    // false (NaN outputs) for non-finite input or a point outside the projection's domain.
    bool to_lon_lat(double x_m, double y_m, double& lon_deg, double& lat_deg) const;

  private:
    enum class Kind { transverse_mercator, lambert_azimuthal_equal_area };
    Kind kind_ = Kind::transverse_mercator;
    double a_m_ = 0.0;  // semi-major axis
    double e_ = 0.0;    // first eccentricity
    double lon0_deg_ = 0.0, lat0_deg_ = 0.0;
    double k0_ = 1.0;  // transverse Mercator scale on the central meridian
    double false_easting_m_ = 0.0, false_northing_m_ = 0.0;
};

}  // namespace grenzfunk::engine
