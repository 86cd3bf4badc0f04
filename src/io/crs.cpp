#include "io/crs.hpp"

#include <memory>

#include <map>

#include <ogr_spatialref.h>
#include <proj.h>

#include <cmath>

#include "core/error.hpp"
#include "io/gdal_init.hpp"

namespace grenzfunk::io {

std::string wkt2_of(const OGRSpatialReference& srs) {
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2019", nullptr};
    srs.exportToWkt(&wkt, options);
    std::string out = wkt ? wkt : "";
    CPLFree(wkt);
    return out;
}

std::string projected_crs_wkt(const std::string& crs, const std::string& where) {
    GdalMessages messages;  // PROJ's complaint becomes part of our one-line error
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(crs.c_str()) != OGRERR_NONE)
        throw InputError(where + ": grid.crs: unknown CRS '" + crs + "'");
    if (!srs.IsProjected())
        throw InputError(where + ": grid.crs: '" + crs +
                         "' is not a projected CRS (the analysis grid needs metres, e.g. "
                         "EPSG:25832, EPSG:25833 or EPSG:3035)");
    if (std::fabs(srs.GetLinearUnits() - 1.0) > 1e-9)
        throw InputError(where + ": grid.crs: '" + crs + "' does not use metres");
    return wkt2_of(srs);
}

struct LonLatTransform::Impl {
    PJ_CONTEXT* ctx = nullptr;
    PJ* pj = nullptr;
};

LonLatTransform::LonLatTransform(const std::string& target_crs) : impl_(std::make_unique<Impl>()) {
    impl_->ctx = proj_context_create();
    proj_log_level(impl_->ctx, PJ_LOG_NONE);  // failures are reported by us, in one line
    PJ* raw = proj_create_crs_to_crs(impl_->ctx, "EPSG:4326", target_crs.c_str(), nullptr);
    if (!raw) {
        proj_context_destroy(impl_->ctx);
        throw InputError("cannot create a transform from EPSG:4326 to '" + target_crs + "'");
    }
    // Longitude first, whatever the CRS's official axis order.
    impl_->pj = proj_normalize_for_visualization(impl_->ctx, raw);
    proj_destroy(raw);
    if (!impl_->pj) {
        proj_context_destroy(impl_->ctx);
        throw InputError("cannot normalise the transform to '" + target_crs + "'");
    }
}

LonLatTransform::~LonLatTransform() {
    proj_destroy(impl_->pj);
    proj_context_destroy(impl_->ctx);
}

bool LonLatTransform::forward(double lon_deg, double lat_deg, double& x_m, double& y_m) const {
    PJ_COORD c = proj_coord(lon_deg, lat_deg, 0, 0);
    PJ_COORD out = proj_trans(impl_->pj, PJ_FWD, c);
    x_m = out.xy.x;
    y_m = out.xy.y;
    return std::isfinite(x_m) && std::isfinite(y_m);
}

bool LonLatTransform::inverse(double x_m, double y_m, double& lon_deg, double& lat_deg) const {
    PJ_COORD c = proj_coord(x_m, y_m, 0, 0);
    PJ_COORD out = proj_trans(impl_->pj, PJ_INV, c);
    lon_deg = out.lp.lam;
    lat_deg = out.lp.phi;
    return std::isfinite(lon_deg) && std::isfinite(lat_deg);
}

std::function<bool(double, double, double&, double&)> lon_lat_of_crs(const std::string& crs) {
    LonLatTransform check(crs);  // an unknown CRS fails here, once, with its message
    return [crs](double x_m, double y_m, double& lon_deg, double& lat_deg) {
        // PROJ objects are not to be shared between threads: one per thread and CRS.
        thread_local std::map<std::string, std::unique_ptr<LonLatTransform>> transforms;
        try {
            auto& t = transforms[crs];
            if (!t) t = std::make_unique<LonLatTransform>(crs);
            if (t->inverse(x_m, y_m, lon_deg, lat_deg)) return true;
        } catch (...) {
        }
        lon_deg = lat_deg = NAN;
        return false;
    };
}

}  // namespace grenzfunk::io
