// Reading administrative polygons (national or regional outlines) from any vector format OGR
// opens (GeoJSON, GeoPackage, Shapefile) for transformation into a target CRS: the one place
// that opens such a file, picks its layer and CRS, and words the errors. Internal to src/io:
// the readers built on it (vector_io.hpp for the coverage analysis, border_admin.hpp for the
// cross-border check) keep only what is specific to them, and no OGR type leaves src/io.
#pragma once

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>
#include <vector>

namespace grenzfunk::io {

// What to do with a layer that declares no CRS.
enum class MissingCrs {
    fail,          // InputError "... the layer has no CRS"
    assume_crs84,  // longitude/latitude on WGS84 (OGC:CRS84), the GeoJSON default
};

// The bounding box of a whole layer (all features, before any attribute filter), in the
// layer's CRS. Admin extracts are often clipped to a box (the sample files are): an edge with
// both ends on the same side of that box is a clipping artefact, no border.
struct ClipBox {
    double min_x = 0.0, min_y = 0.0, max_x = 0.0, max_y = 0.0;
    double eps = 0.0;  // tolerance: 1e-9 of the largest coordinate magnitude (at least 1e-9)
    bool on_edge(double x0, double y0, double x1, double y1) const;
};

// The first layer of a vector file, opened read-only, with the transformation from its CRS to
// a target CRS (both with longitude/easting first). Every error is an InputError
// "<context><path>: <what>", on one line, with GDAL's own message where it gave one.
class AdminLayer {
  public:
    // `target_name` names the target CRS in messages ("the grid CRS", "EPSG:25833").
    AdminLayer(const std::string& path, const std::string& context,
               const OGRSpatialReference& target, const std::string& target_name,
               MissingCrs missing_crs);
    ~AdminLayer();
    AdminLayer(const AdminLayer&) = delete;
    AdminLayer& operator=(const AdminLayer&) = delete;

    OGRLayer& layer() const { return *layer_; }
    const OGRSpatialReference& source_crs() const { return source_; }
    const std::string& path() const { return path_; }

    // The extent of the whole layer; call it before set_attribute_filter.
    ClipBox clip_box() const;
    // Index of the attribute `field`; `setting` names the setting that chose it.
    int field_index(const std::string& field, const std::string& setting) const;
    // Restricts the features read to those matching an OGR SQL WHERE clause; false if OGR
    // rejects it (its message is in the caller's GdalMessages scope).
    bool set_attribute_filter(const std::string& where_clause);
    // Calls f(feature) for every feature (in file order, after the attribute filter).
    template <class F>
    void for_each_feature(F&& f) {
        layer_->ResetReading();
        for (auto& feature : *layer_) f(*feature);
    }

    // Transforms `n` points in place to the target CRS; throws "cannot transform <what> to
    // <target>" unless every point transforms to finite coordinates.
    void transform(int n, double* x, double* y, const std::string& what) const;
    // A copy of `g` in the target CRS; throws like transform().
    std::unique_ptr<OGRGeometry> transformed(const OGRGeometry& g, const std::string& what) const;

    [[noreturn]] void fail(const std::string& what) const;

  private:
    struct DatasetCloser {
        void operator()(GDALDataset* ds) const;
    };
    struct TransformDeleter {
        void operator()(OGRCoordinateTransformation* ct) const;
    };
    std::string path_, prefix_, target_name_;
    std::unique_ptr<GDALDataset, DatasetCloser> dataset_;
    OGRLayer* layer_ = nullptr;
    OGRSpatialReference source_;
    std::unique_ptr<OGRCoordinateTransformation, TransformDeleter> to_target_;
};

// The polygons of a geometry: itself, the parts of a multipolygon, or those of a geometry
// collection (recursively); no polygon for any other type or for null.
std::vector<const OGRPolygon*> polygons_of(const OGRGeometry* g);

}  // namespace grenzfunk::io
