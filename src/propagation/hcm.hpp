// The HCM method's point calculation and the propagation model `hcm` built on it (HCM Agreement
// Annex 5 for the land mobile service, as its reference program HCM_MS V7.21.5 computes it;
// docs/hcm.md). The pieces: hcm_terrain / hcm_path (HCM's own profile and geometry from the two
// end points), hcm_curves (curves and corrections). Antenna diagrams given as HCM codes are in
// the antenna layer (antenna/hcm_antenna.hpp); the model, like every model here, returns the
// loss between isotropic antennas and leaves the antenna to the caller.
//
// Field strength and loss: HCM's results are field strengths for an e.r.p.; the model's loss is
// defined so that a caller's e.i.r.p. gives HCM's field strength with HCM's own e.i.r.p. to
// e.r.p. step of 2.1 dB (hcm::kHcmEirpToErpDb):
//   E(dBuV/m) = e.i.r.p.(dBm) - L_b + 20 log10 f(MHz) + 77.219   (core/units.hpp)
//   L_b = 60 + 2.1 + 77.219 + 20 log10 f - E_1kW,  E_1kW = HCM's field for 1 kW e.r.p.
#pragma once

#include <memory>
#include <string>

#include "propagation/hcm_curves.hpp"
#include "propagation/hcm_path.hpp"
#include "propagation/model.hpp"

namespace grenzfunk::propagation::hcm {

struct PointInput {
    HcmPathInput path;
    TimePercent time = TimePercent::p10;
    double erp_towards_rx_dbw = 30.0;  // e.r.p. minus the antenna attenuation (30 dBW = 1 kW)
};

struct PointResult {
    HcmPathGeometry geometry;
    LandFieldResult land;           // not computed when the geometry failed
    bool free_space = false;        // d < 1 km, or (point to point) a clear first Fresnel zone
    double field_dbuv_per_m = 0.0;  // HCM's calculated field strength
    bool ok() const { return geometry.error == HcmPathError::none; }
};

// One point calculation as HCM_MS's modes 99 (line_style) and 10 (point_to_point) do it.
PointResult point_field_strength(const HcmTerrain& terrain, const PointInput& input);

// The same on a geometry already computed for input.path (a caller that needs the path's
// direction first, e.g. for the antenna correction, computes the profile once).
PointResult point_field_strength(HcmPathGeometry geometry, const PointInput& input);

// The method statement a coordination report prints for results of this model (docs/hcm.md).
std::string method_statement();

// The loss between isotropic antennas that gives HCM's field strength (see above).
double basic_loss_db(double field_1kw_erp_dbuv_per_m, double frequency_mhz);

}  // namespace grenzfunk::propagation::hcm
