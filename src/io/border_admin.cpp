#include "io/border_admin.hpp"

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/error.hpp"
#include "io/crs.hpp"
#include "io/gdal_init.hpp"

namespace grenzfunk::io {

namespace {

struct DatasetCloser {
    void operator()(GDALDataset* d) const { GDALClose(d); }
};

struct Box {
    double min_x, min_y, max_x, max_y;
};

bool on_same_side(const Box& b, double x0, double y0, double x1, double y1, double eps) {
    auto near = [eps](double a, double b2) { return std::fabs(a - b2) <= eps; };
    return (near(x0, b.min_x) && near(x1, b.min_x)) || (near(x0, b.max_x) && near(x1, b.max_x)) ||
           (near(y0, b.min_y) && near(y1, b.min_y)) || (near(y0, b.max_y) && near(y1, b.max_y));
}

}  // namespace

HomeOutline read_home_outline(const std::string& path, const std::string& attribute_filter,
                              const std::string& target_crs, const std::string& where) {
    const std::string prefix = where + ": border.home_file: " + path + ": ";
    GdalMessages messages;
    std::unique_ptr<GDALDataset, DatasetCloser> ds(static_cast<GDALDataset*>(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!ds) throw InputError(prefix + "cannot open as vector data (" + messages.summary() + ")");
    if (ds->GetLayerCount() < 1) throw InputError(prefix + "holds no layer");
    OGRLayer* layer = ds->GetLayer(0);

    // Bounding box of the whole layer (before the filter): the box the data were clipped to.
    OGREnvelope env;
    if (layer->GetExtent(&env, TRUE) != OGRERR_NONE)
        throw InputError(prefix + "cannot compute the layer extent");
    const Box box{env.MinX, env.MinY, env.MaxX, env.MaxY};
    const double eps = 1e-9 * std::max({1.0, std::fabs(env.MinX), std::fabs(env.MaxX),
                                        std::fabs(env.MinY), std::fabs(env.MaxY)});

    OGRSpatialReference source_srs;
    if (const OGRSpatialReference* s = layer->GetSpatialRef())
        source_srs = *s;
    else
        source_srs.SetFromUserInput("OGC:CRS84");
    source_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference target_srs;
    if (target_srs.SetFromUserInput(target_crs.c_str()) != OGRERR_NONE)
        throw InputError(prefix + "unknown target CRS '" + target_crs + "'");
    target_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(&source_srs, &target_srs));
    if (!ct) throw InputError(prefix + "cannot transform to " + target_crs);
    const double densify = source_srs.IsGeographic() ? 0.01 : 1000.0;

    if (!attribute_filter.empty() &&
        layer->SetAttributeFilter(attribute_filter.c_str()) != OGRERR_NONE)
        throw InputError(where + ": border.home_filter: '" + attribute_filter +
                         "' is not a valid OGR attribute filter (" + messages.summary() + ")");
    layer->ResetReading();

    HomeOutline out;
    auto add_polygon = [&](const OGRPolygon& poly) {
        analysis::OutlinePolygon result;
        for (int r = -1; r < poly.getNumInteriorRings(); ++r) {
            const OGRLinearRing* ring = r < 0 ? poly.getExteriorRing() : poly.getInteriorRing(r);
            if (!ring || ring->getNumPoints() < 4) continue;
            std::unique_ptr<OGRLinearRing> dense(ring->clone());
            dense->segmentize(densify);
            const int n = dense->getNumPoints();
            analysis::OutlineRing out_ring;
            std::vector<double> xs(n), ys(n);
            for (int i = 0; i < n; ++i) {
                xs[i] = dense->getX(i);
                ys[i] = dense->getY(i);
            }
            for (int i = 0; i + 1 < n; ++i)
                out_ring.edge_is_artificial.push_back(
                    on_same_side(box, xs[i], ys[i], xs[i + 1], ys[i + 1], eps) ? 1 : 0);
            std::vector<int> ok(n, 0);
            if (!ct->Transform(n, xs.data(), ys.data(), nullptr, ok.data()))
                throw InputError(prefix + "cannot transform the outline to " + target_crs);
            for (int i = 0; i < n; ++i) {
                if (!ok[i] || !std::isfinite(xs[i]) || !std::isfinite(ys[i]))
                    throw InputError(prefix + "a vertex cannot be transformed to " + target_crs);
                out_ring.points.push_back({xs[i], ys[i]});
            }
            result.rings.push_back(std::move(out_ring));
        }
        if (!result.rings.empty()) out.polygons.push_back(std::move(result));
    };
    for (auto& feature : *layer) {
        ++out.features;
        const OGRGeometry* g = feature->GetGeometryRef();
        if (!g) continue;
        const auto type = wkbFlatten(g->getGeometryType());
        if (type == wkbPolygon) {
            add_polygon(*g->toPolygon());
        } else if (type == wkbMultiPolygon) {
            for (const OGRPolygon* p : *g->toMultiPolygon()) add_polygon(*p);
        }
    }
    if (out.polygons.empty())
        throw InputError(
            prefix + "no polygon" +
            (attribute_filter.empty() ? std::string() : " matches '" + attribute_filter + "'"));
    return out;
}

std::vector<analysis::XY> lonlat_box_outline(const std::array<double, 4>& box,
                                             const std::string& target_crs, int points_per_edge) {
    LonLatTransform t(target_crs);
    std::vector<analysis::XY> out;
    const double w = box[0], s = box[1], e = box[2], n = box[3];
    auto add = [&](double lon, double lat) {
        analysis::XY p;
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
