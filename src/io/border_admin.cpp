#include "io/border_admin.hpp"

#include <memory>

#include "core/error.hpp"
#include "io/admin_polygons.hpp"
#include "io/crs.hpp"
#include "io/gdal_init.hpp"

namespace grenzfunk::io {

HomeOutline read_home_outline(const std::string& path, const std::string& attribute_filter,
                              const std::string& target_crs, const std::string& where) {
    GdalMessages messages;
    OGRSpatialReference target_srs;
    if (target_srs.SetFromUserInput(target_crs.c_str()) != OGRERR_NONE)
        throw InputError(where + ": border.home_file: " + path + ": unknown target CRS '" +
                         target_crs + "'");
    target_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    AdminLayer src(path, where + ": border.home_file: ", target_srs, target_crs,
                   MissingCrs::assume_crs84);
    const ClipBox box = src.clip_box();  // before the filter: the box the data were clipped to
    const double densify = src.source_crs().IsGeographic() ? 0.01 : 1000.0;
    if (!attribute_filter.empty() && !src.set_attribute_filter(attribute_filter))
        throw InputError(where + ": border.home_filter: '" + attribute_filter +
                         "' is not a valid OGR attribute filter (" + messages.summary() + ")");

    HomeOutline out;
    auto add_polygon = [&](const OGRPolygon& poly) {
        OutlinePolygon result;
        for (int r = -1; r < poly.getNumInteriorRings(); ++r) {
            const OGRLinearRing* ring = r < 0 ? poly.getExteriorRing() : poly.getInteriorRing(r);
            if (!ring || ring->getNumPoints() < 4) continue;
            std::unique_ptr<OGRLinearRing> dense(ring->clone());
            dense->segmentize(densify);
            const int n = dense->getNumPoints();
            OutlineRing out_ring;
            std::vector<double> xs(n), ys(n);
            for (int i = 0; i < n; ++i) {
                xs[i] = dense->getX(i);
                ys[i] = dense->getY(i);
            }
            for (int i = 0; i + 1 < n; ++i)
                out_ring.edge_is_artificial.push_back(
                    box.on_edge(xs[i], ys[i], xs[i + 1], ys[i + 1]) ? 1 : 0);
            src.transform(n, xs.data(), ys.data(), "the outline");
            for (int i = 0; i < n; ++i) out_ring.points.push_back({xs[i], ys[i]});
            result.rings.push_back(std::move(out_ring));
        }
        if (!result.rings.empty()) out.polygons.push_back(std::move(result));
    };
    src.for_each_feature([&](OGRFeature& feature) {
        ++out.features;
        for (const OGRPolygon* polygon : polygons_of(feature.GetGeometryRef()))
            add_polygon(*polygon);
    });
    if (out.polygons.empty())
        src.fail("no polygon" + (attribute_filter.empty() ? std::string()
                                                          : " matches '" + attribute_filter + "'"));
    return out;
}

std::vector<XY> lonlat_box_outline(const std::array<double, 4>& box, const std::string& target_crs,
                                   int points_per_edge) {
    LonLatTransform t(target_crs);
    std::vector<XY> out;
    const double w = box[0], s = box[1], e = box[2], n = box[3];
    auto add = [&](double lon, double lat) {
        XY p;
        if (!t.forward(lon, lat, p.x_m, p.y_m))
            throw InputError("grid.extent_lonlat_deg: cannot transform the region to " +
                             target_crs);
        out.push_back(p);
    };
    for (int i = 0; i < points_per_edge; ++i) add(w + (e - w) * i / points_per_edge, s);
    for (int i = 0; i < points_per_edge; ++i) add(e, s + (n - s) * i / points_per_edge);
    for (int i = 0; i < points_per_edge; ++i) add(e - (e - w) * i / points_per_edge, n);
    for (int i = 0; i < points_per_edge; ++i) add(w, n - (n - s) * i / points_per_edge);
    return out;
}

}  // namespace grenzfunk::io
