// HCM's terrain-height lookup (HCM Agreement Annex 5 as the reference program HCM_MS V7
// implements it in Point_info.f90; facts from github.com/5chufti/HCM_V7, tests/data/hcm/
// README_reference.md), evaluated on a GeoPostGrid holding the 3″ SRTM-style posts.
//
// HCM's tiles hold 1° × 1° in 144 blocks of 5′ × 5′ (300″). Below 50° latitude the posts are
// 3″ × 3″; from 50° up they are 6″ (E–W) × 3″ (N–S), the even 3″ columns counted from the tile's
// west edge. A position is first reduced to whole "seconds" of its tile with the factor 3599
// (not 3600): LOR = nint((lon − floor(lon)) · 3599), the same for latitude. That stretches
// positions by up to about 1″ towards the tile's east and north edges; it is in the program,
// so it is here. Inside the block the height is bilinear between the four surrounding posts,
// first along the row, then between the rows, rounded to whole metres half away from zero.
#pragma once

#include <optional>

#include "core/geo_post_grid.hpp"

namespace grenzfunk::propagation {

class HcmTerrain {
  public:
    // The grid must have 3″ (1/1200°) posts in both directions, on whole multiples of 3″ (so that
    // whole-degree tile edges fall on posts). Throws InputError otherwise. Keeps a reference:
    // `grid` must outlive this object.
    explicit HcmTerrain(const GeoPostGrid& grid);

    // HCM's database height at (lon, lat) in whole metres; nullopt where a needed post lies
    // outside the grid or is void (HCM's errors 36 and 400).
    std::optional<int> height_m(double lon_deg, double lat_deg) const;

    const GeoPostGrid& grid() const { return *grid_; }

  private:
    const GeoPostGrid* grid_;
    long long col_of_global_index0_;  // global 3″ longitude index (lon · 1200) of column 0
    long long row0_global_index_;     // global 3″ latitude index (lat · 1200) of row 0
};

}  // namespace grenzfunk::propagation
