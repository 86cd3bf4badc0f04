#include "analysis/border_geometry.hpp"

// Boost.Geometry 1.74's round-join buffer strategy trips GCC 12's -Wmaybe-uninitialized
// (a false positive inside boost/geometry/strategies/cartesian/buffer_join_round.hpp, seen when
// its code is inlined here); silenced for this file only (clang has no such warning).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/multi_linestring.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <cmath>
#include <stdexcept>

namespace grenzfunk::analysis {

namespace bg = boost::geometry;
using BPoint = bg::model::d2::point_xy<double>;
using BPolygon = bg::model::polygon<BPoint>;
using BMultiPolygon = bg::model::multi_polygon<BPolygon>;
using BLinestring = bg::model::linestring<BPoint>;
using BMultiLinestring = bg::model::multi_linestring<BLinestring>;

struct BorderGeometry::Impl {
    BMultiPolygon home;
    BPolygon region;
    BMultiPolygon neighbour;  // region minus home
};

namespace {

BPoint to_b(const XY& p) {
    return {p.x_m, p.y_m};
}

Polyline from_b(const BLinestring& ls) {
    Polyline out;
    out.reserve(ls.size());
    for (const BPoint& p : ls) out.push_back({p.x(), p.y()});
    return out;
}

std::vector<XY> closed(std::vector<XY> ring) {
    if (ring.size() >= 2 &&
        (ring.front().x_m != ring.back().x_m || ring.front().y_m != ring.back().y_m))
        ring.push_back(ring.front());
    return ring;
}

BPolygon make_polygon(const OutlinePolygon& poly) {
    BPolygon out;
    for (std::size_t r = 0; r < poly.rings.size(); ++r) {
        const std::vector<XY> ring = closed(poly.rings[r].points);
        auto& target = r == 0 ? out.outer() : (out.inners().emplace_back(), out.inners().back());
        for (const XY& p : ring) target.push_back(to_b(p));
    }
    bg::correct(out);
    return out;
}

// Runs of consecutive real (not artificial) edges of a ring, as open polylines.
std::vector<BLinestring> real_edge_runs(const OutlineRing& ring) {
    const std::vector<XY> pts = closed(ring.points);
    const std::size_t edges = pts.size() < 2 ? 0 : pts.size() - 1;
    auto artificial = [&](std::size_t e) {
        return e < ring.edge_is_artificial.size() && ring.edge_is_artificial[e] != 0;
    };
    std::vector<BLinestring> runs;
    if (edges == 0) return runs;
    // Start right after an artificial edge so that no run wraps around the ring's start.
    std::size_t start = 0;
    bool any_artificial = false;
    for (std::size_t e = 0; e < edges; ++e)
        if (artificial(e)) {
            start = (e + 1) % edges;
            any_artificial = true;
            break;
        }
    if (!any_artificial) {
        BLinestring ls;
        for (const XY& p : pts) ls.push_back(to_b(p));
        runs.push_back(std::move(ls));
        return runs;
    }
    BLinestring current;
    for (std::size_t k = 0; k < edges; ++k) {
        const std::size_t e = (start + k) % edges;
        if (artificial(e)) {
            if (current.size() >= 2) runs.push_back(std::move(current));
            current.clear();
            continue;
        }
        if (current.empty()) current.push_back(to_b(pts[e]));
        current.push_back(to_b(pts[e + 1]));
    }
    if (current.size() >= 2) runs.push_back(std::move(current));
    return runs;
}

// Parts of `line` inside `area`, dropping slivers shorter than 1 m.
void clip_into(const BLinestring& line, const BMultiPolygon& area, std::vector<Polyline>& out) {
    for (const BPolygon& poly : area) {
        BMultiLinestring pieces;
        bg::intersection(line, poly, pieces);
        for (const BLinestring& piece : pieces)
            if (bg::length(piece) >= 1.0) out.push_back(from_b(piece));
    }
}

}  // namespace

double polyline_length_m(const Polyline& line) {
    double total = 0.0;
    for (std::size_t i = 1; i < line.size(); ++i)
        total += std::hypot(line[i].x_m - line[i - 1].x_m, line[i].y_m - line[i - 1].y_m);
    return total;
}

std::vector<BorderSample> sample_polyline(const Polyline& line, double spacing_m,
                                          std::uint32_t part_index) {
    std::vector<BorderSample> out;
    if (line.empty()) return out;
    out.push_back({line.front(), part_index, 0.0});
    double next = spacing_m;  // chainage of the next regular sample
    double chainage = 0.0;    // at the start of the current segment
    for (std::size_t i = 1; i < line.size(); ++i) {
        const XY& a = line[i - 1];
        const XY& b = line[i];
        const double len = std::hypot(b.x_m - a.x_m, b.y_m - a.y_m);
        while (len > 0.0 && next <= chainage + len) {
            const double t = (next - chainage) / len;
            out.push_back(
                {{a.x_m + t * (b.x_m - a.x_m), a.y_m + t * (b.y_m - a.y_m)}, part_index, next});
            next += spacing_m;
        }
        chainage += len;
    }
    if (chainage - out.back().chainage_m > 0.01 * spacing_m)
        out.push_back({line.back(), part_index, chainage});
    return out;
}

BorderGeometry::BorderGeometry(const std::vector<OutlinePolygon>& home,
                               const std::vector<XY>& region, const BorderGeometryOptions& options)
    : impl_(new Impl) {
    if (home.empty()) throw std::invalid_argument("border: the home territory has no polygons");
    if (region.size() < 3) throw std::invalid_argument("border: the region needs three points");
    if (!(options.sample_spacing_m > 0.0))
        throw std::invalid_argument("border: sample spacing must be positive");
    for (const OutlinePolygon& p : home) {
        if (p.rings.empty() || p.rings[0].points.size() < 3) continue;
        impl_->home.push_back(make_polygon(p));
    }
    for (const XY& p : closed(region)) impl_->region.outer().push_back(to_b(p));
    bg::correct(impl_->region);
    bg::difference(impl_->region, impl_->home, impl_->neighbour);

    // The border itself: real edges of the home outline inside the region.
    BMultiPolygon region_mp;
    region_mp.push_back(impl_->region);
    for (const OutlinePolygon& p : home)
        for (const OutlineRing& ring : p.rings)
            for (const BLinestring& run : real_edge_runs(ring))
                clip_into(run, region_mp, border_edges_);

    std::vector<double> distances = options.distances_m;
    std::sort(distances.begin(), distances.end());
    distances.erase(std::unique(distances.begin(), distances.end(),
                                [](double a, double b) { return std::fabs(a - b) < 1e-3; }),
                    distances.end());
    for (double d : distances) {
        if (d < 0.0) throw std::invalid_argument("border: distances must not be negative");
        BorderLine line;
        line.distance_m = d;
        if (d == 0.0) {
            line.parts = border_edges_;
        } else {
            BMultiPolygon grown;
            bg::buffer(impl_->home, grown, bg::strategy::buffer::distance_symmetric<double>(d),
                       bg::strategy::buffer::side_straight(),
                       bg::strategy::buffer::join_round(options.points_per_circle),
                       bg::strategy::buffer::end_round(options.points_per_circle),
                       bg::strategy::buffer::point_circle(options.points_per_circle));
            for (const BPolygon& poly : grown) {
                std::vector<const BPolygon::ring_type*> rings = {&poly.outer()};
                for (const auto& inner : poly.inners()) rings.push_back(&inner);
                for (const auto* ring : rings) {
                    BLinestring ls(ring->begin(), ring->end());
                    clip_into(ls, impl_->neighbour, line.parts);
                }
            }
        }
        for (std::size_t k = 0; k < line.parts.size(); ++k) {
            line.length_m += polyline_length_m(line.parts[k]);
            std::vector<BorderSample> s =
                sample_polyline(line.parts[k], options.sample_spacing_m, std::uint32_t(k));
            line.samples.insert(line.samples.end(), s.begin(), s.end());
        }
        lines_.push_back(std::move(line));
    }
}

BorderGeometry::~BorderGeometry() {
    delete impl_;
}
BorderGeometry::BorderGeometry(BorderGeometry&& other) noexcept
    : impl_(other.impl_),
      lines_(std::move(other.lines_)),
      border_edges_(std::move(other.border_edges_)) {
    other.impl_ = nullptr;
}
BorderGeometry& BorderGeometry::operator=(BorderGeometry&& other) noexcept {
    if (this != &other) {
        delete impl_;
        impl_ = other.impl_;
        other.impl_ = nullptr;
        lines_ = std::move(other.lines_);
        border_edges_ = std::move(other.border_edges_);
    }
    return *this;
}

const BorderLine* BorderGeometry::line_at(double distance_m) const {
    for (const BorderLine& l : lines_)
        if (std::fabs(l.distance_m - distance_m) < 1e-3) return &l;
    return nullptr;
}

bool BorderGeometry::in_neighbour_territory(double x_m, double y_m) const {
    const BPoint p(x_m, y_m);
    return bg::within(p, impl_->region) && !bg::covered_by(p, impl_->home);
}

namespace {

// x of every crossing of the horizontal line at `y` with the edges of `ring`.
template <typename Ring>
void crossings(const Ring& ring, double y, std::vector<double>& xs) {
    for (std::size_t i = 1; i < ring.size(); ++i) {
        const double y0 = ring[i - 1].y(), y1 = ring[i].y();
        if ((y0 <= y) == (y1 <= y)) continue;
        const double x0 = ring[i - 1].x(), x1 = ring[i].x();
        xs.push_back(x0 + (y - y0) / (y1 - y0) * (x1 - x0));
    }
}

// Marks the pixels of one row whose centres lie inside (odd number of crossings to the left).
void fill_row(std::vector<double>& xs, const GridSpec& grid, std::vector<std::uint8_t>& inside) {
    std::sort(xs.begin(), xs.end());
    std::size_t k = 0;
    for (int col = 0; col < grid.width; ++col) {
        const double x = grid.centre_x_m(col);
        while (k < xs.size() && xs[k] <= x) ++k;
        inside[std::size_t(col)] = std::uint8_t(k % 2);
    }
}

}  // namespace

std::vector<std::uint8_t> BorderGeometry::territory_mask(const GridSpec& grid) const {
    std::vector<std::uint8_t> out(grid.pixel_count(), 0);
    std::vector<double> xs;
    std::vector<std::uint8_t> in_region(std::size_t(grid.width)), in_home(std::size_t(grid.width));
    for (int row = 0; row < grid.height; ++row) {
        const double y = grid.centre_y_m(row);
        xs.clear();
        crossings(impl_->region.outer(), y, xs);
        fill_row(xs, grid, in_region);
        xs.clear();
        for (const BPolygon& poly : impl_->home) {
            crossings(poly.outer(), y, xs);
            for (const auto& inner : poly.inners()) crossings(inner, y, xs);
        }
        fill_row(xs, grid, in_home);
        for (int col = 0; col < grid.width; ++col) {
            const std::size_t c = std::size_t(col);
            if (in_region[c]) out[std::size_t(row) * grid.width + c] = in_home[c] ? 1 : 2;
        }
    }
    return out;
}

bool BorderGeometry::in_region(double x_m, double y_m) const {
    return bg::within(BPoint(x_m, y_m), impl_->region);
}

double BorderGeometry::distance_to_home_m(double x_m, double y_m) const {
    return bg::distance(BPoint(x_m, y_m), impl_->home);
}

void BorderGeometry::region_bounds(double& min_x, double& min_y, double& max_x,
                                   double& max_y) const {
    bg::model::box<BPoint> box;
    bg::envelope(impl_->region, box);
    min_x = box.min_corner().x();
    min_y = box.min_corner().y();
    max_x = box.max_corner().x();
    max_y = box.max_corner().y();
}

}  // namespace grenzfunk::analysis
