// Internal kernels of the terrain layer (not part of its API).
#pragma once

namespace grenzfunk::terrain::detail {

// The interior part of TerrainModel::sample_line: bilinear heights at the lattice points
// (u0 + t_i du, v0 + t_i dv), t_i = i * inv_n, i = first .. last, into out[0 .. last - first],
// on the width x height float raster z (row-major, width, height >= 2, width * height < 2^31).
// Both end points must lie in [0, width - 1] x [0, height - 1] (then so does every point).
// The scalar loop's operations lane by lane (line_samples.cpp, one copy per instruction set):
// the same bits on every path. Returns false if any height is NaN.
bool sample_lattice_line(const float* z, int width, int height, double u0, double v0, double du,
                         double dv, double inv_n, int first, int last, double* out);

}  // namespace grenzfunk::terrain::detail
