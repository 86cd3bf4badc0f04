// Tabulated curve data of the HCM method that is not in the P.1546-6 tables (p1546_tables.hpp).
// The data lives in hcm_curves_tables.cpp (provenance there).
#pragma once

#include <array>

#include "propagation/p1546_tables.hpp"

namespace grenzfunk::propagation::hcm {

// 600 MHz land curves of HCM_MS as of 2005 (Get_figure_FS_value.f90, figures 9-11), index 0: 50 %,
// 1: 10 %, 2: 1 % time. Same layout as p1546::CurveTable (8 heights, then the maximum column).
// HCM V7.21 no longer uses them at 600 MHz; they are the base of its 2000 MHz curves.
extern const std::array<p1546::CurveTable, 3> kLand600Mhz2005;

}  // namespace grenzfunk::propagation::hcm
