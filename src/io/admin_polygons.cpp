#include "io/admin_polygons.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "io/gdal_init.hpp"

namespace grenzfunk::io {

bool ClipBox::on_edge(double x0, double y0, double x1, double y1) const {
    auto on = [this](double a, double b) { return std::abs(a - b) <= eps; };
    return (on(x0, min_x) && on(x1, min_x)) || (on(x0, max_x) && on(x1, max_x)) ||
           (on(y0, min_y) && on(y1, min_y)) || (on(y0, max_y) && on(y1, max_y));
}

void AdminLayer::DatasetCloser::operator()(GDALDataset* ds) const {
    GDALClose(ds);
}

void AdminLayer::TransformDeleter::operator()(OGRCoordinateTransformation* ct) const {
    OGRCoordinateTransformation::DestroyCT(ct);
}

AdminLayer::AdminLayer(const std::string& path, const std::string& context,
                       const OGRSpatialReference& target, const std::string& target_name,
                       MissingCrs missing_crs)
    : path_(path), prefix_(context + path + ": "), target_name_(target_name) {
    GdalMessages messages;
    dataset_.reset(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!dataset_) fail("cannot open as vector data (" + messages.summary() + ")");
    if (dataset_->GetLayerCount() < 1) fail("holds no layer");
    layer_ = dataset_->GetLayer(0);
    if (const OGRSpatialReference* declared = layer_->GetSpatialRef())
        source_ = *declared;
    else if (missing_crs == MissingCrs::assume_crs84)
        source_.SetFromUserInput("OGC:CRS84");
    else
        fail("the layer has no CRS");
    source_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    to_target_.reset(OGRCreateCoordinateTransformation(&source_, &target));
    if (!to_target_) fail("no transformation to " + target_name_ + " (" + messages.summary() + ")");
}

AdminLayer::~AdminLayer() = default;

ClipBox AdminLayer::clip_box() const {
    OGREnvelope extent;
    if (layer_->GetExtent(&extent, TRUE) != OGRERR_NONE) fail("cannot read the layer extent");
    ClipBox box{extent.MinX, extent.MinY, extent.MaxX, extent.MaxY, 0.0};
    box.eps = 1e-9 * std::max({1.0, std::abs(extent.MinX), std::abs(extent.MaxX),
                               std::abs(extent.MinY), std::abs(extent.MaxY)});
    return box;
}

int AdminLayer::field_index(const std::string& field, const std::string& setting) const {
    const int index = layer_->GetLayerDefn()->GetFieldIndex(field.c_str());
    if (index < 0) fail("no attribute '" + field + "' (" + setting + ")");
    return index;
}

bool AdminLayer::set_attribute_filter(const std::string& where_clause) {
    return layer_->SetAttributeFilter(where_clause.c_str()) == OGRERR_NONE;
}

void AdminLayer::transform(int n, double* x, double* y, const std::string& what) const {
    std::vector<int> ok(std::size_t(std::max(n, 0)), 0);
    if (!to_target_->Transform(n, x, y, nullptr, ok.data()))
        fail("cannot transform " + what + " to " + target_name_);
    for (int i = 0; i < n; ++i)
        if (!ok[std::size_t(i)] || !std::isfinite(x[i]) || !std::isfinite(y[i]))
            fail("cannot transform " + what + " to " + target_name_);
}

std::unique_ptr<OGRGeometry> AdminLayer::transformed(const OGRGeometry& g,
                                                     const std::string& what) const {
    std::unique_ptr<OGRGeometry> copy(g.clone());
    if (copy->transform(to_target_.get()) != OGRERR_NONE)
        fail("cannot transform " + what + " to " + target_name_);
    return copy;
}

void AdminLayer::fail(const std::string& what) const {
    throw InputError(prefix_ + what);
}

namespace {

void collect_polygons(const OGRGeometry* g, std::vector<const OGRPolygon*>& out) {
    if (!g) return;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon) {
        out.push_back(g->toPolygon());
    } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (const OGRGeometry* part : *g->toGeometryCollection()) collect_polygons(part, out);
    }
}

}  // namespace

std::vector<const OGRPolygon*> polygons_of(const OGRGeometry* g) {
    std::vector<const OGRPolygon*> out;
    collect_polygons(g, out);
    return out;
}

}  // namespace grenzfunk::io
