// GCC 12 reports a false -Wrestrict inside std::string's operator+ chains at -O2 (GCC bug
// 105329), as in report_render.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include "report/report_figures.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/border_rules.hpp"
#include "core/units.hpp"
#include "engine/path_builder.hpp"

namespace grenzfunk::report::detail {

using analysis::BorderRule;
using analysis::RuleCheck;

void Figure::line(std::vector<std::array<double, 2>> pts, Colour c, double w, double dash) {
    FigPath path;
    path.points = std::move(pts);
    path.stroke = c;
    path.width = w;
    path.dash = dash;
    items.emplace_back(std::move(path));
}

void Figure::rect(double x, double y, double w, double h, std::optional<Colour> fill,
                  std::optional<Colour> stroke, double stroke_width) {
    FigPath path;
    path.points = {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
    path.closed = true;
    path.fill = fill;
    path.stroke = stroke;
    path.width = stroke_width;
    items.emplace_back(std::move(path));
}

void Figure::text(double x, double y, std::string s, double size, Anchor a, Colour c, bool bold) {
    FigText t;
    t.x = x;
    t.y = y;
    t.text = std::move(s);
    t.size = size;
    t.anchor = a;
    t.colour = c;
    t.bold = bold;
    items.emplace_back(std::move(t));
}

std::string base64(std::string_view bytes) {
    // RFC 4648 §4, with padding.
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = unsigned(static_cast<unsigned char>(bytes[i])) << 16 |
                           unsigned(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                           unsigned(static_cast<unsigned char>(bytes[i + 2]));
        out += abc[(v >> 18) & 63];
        out += abc[(v >> 12) & 63];
        out += abc[(v >> 6) & 63];
        out += abc[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = unsigned(static_cast<unsigned char>(bytes[i])) << 16;
        if (i + 1 < bytes.size()) v |= unsigned(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += abc[(v >> 18) & 63];
        out += abc[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? abc[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

namespace {

std::string num(double v) {
    return fixed(v, 2);
}

std::string colour_text(Colour c) {
    static const char* hex = "0123456789abcdef";
    std::string s = "#";
    for (std::uint8_t v : {c.r, c.g, c.b}) {
        s += hex[v >> 4];
        s += hex[v & 15];
    }
    return s;
}

}  // namespace

std::string figure_svg(const Figure& f) {
    std::string s;
    s += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(f.width) + " " +
         num(f.height) + "\" width=\"" + num(f.width) + "\" height=\"" + num(f.height) +
         "\" role=\"img\" font-family=\"Helvetica, Arial, sans-serif\">\n<title>" +
         html_escape(f.description) + "</title>\n";
    for (const auto& item : f.items) {
        if (const auto* p = std::get_if<FigPath>(&item)) {
            if (p->points.empty()) continue;
            s += p->closed ? "<polygon points=\"" : "<polyline points=\"";
            for (std::size_t i = 0; i < p->points.size(); ++i) {
                if (i) s += ' ';
                s += num(p->points[i][0]);
                s += ',';
                s += num(p->points[i][1]);
            }
            s += "\" fill=\"";
            s += p->fill ? colour_text(*p->fill) : std::string("none");
            s += "\"";
            if (p->stroke) {
                s += " stroke=\"" + colour_text(*p->stroke) + "\" stroke-width=\"" + num(p->width) +
                     "\"";
                if (p->dash > 0.0) s += " stroke-dasharray=\"" + num(p->dash) + "\"";
            }
            s += "/>\n";
        } else if (const auto* t = std::get_if<FigText>(&item)) {
            s += "<text x=\"" + num(t->x) + "\" y=\"" + num(t->y) + "\" font-size=\"" +
                 num(t->size) + "\" fill=\"" + colour_text(t->colour) + "\"";
            if (t->anchor != Anchor::start)
                s += t->anchor == Anchor::middle ? " text-anchor=\"middle\""
                                                 : " text-anchor=\"end\"";
            if (t->bold) s += " font-weight=\"bold\"";
            if (t->halo)
                s += " stroke=\"#ffffff\" stroke-width=\"2\" paint-order=\"stroke\" "
                     "stroke-linejoin=\"round\"";
            if (t->rotate_deg != 0.0)
                s += " transform=\"rotate(" + num(-t->rotate_deg) + " " + num(t->x) + " " +
                     num(t->y) + ")\"";
            s += ">" + html_escape(t->text) + "</text>\n";
        } else if (const auto* im = std::get_if<FigImage>(&item)) {
            s += "<image x=\"" + num(im->x) + "\" y=\"" + num(im->y) + "\" width=\"" +
                 num(im->width) + "\" height=\"" + num(im->height) +
                 "\" preserveAspectRatio=\"none\" href=\"data:image/png;base64," +
                 base64(encode_png_rgba(im->image.width, im->image.height, im->image.rgba)) +
                 "\"/>\n";
        }
    }
    s += "</svg>";
    return s;
}

namespace {

// A "nice" step (1, 2, 2.5 or 5 times a power of ten) giving at most `max_steps` steps over
// `range`.
double nice_step(double range, int max_steps) {
    if (!(range > 0.0)) return 1.0;
    const double raw = range / max_steps;
    const double p10 = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * p10 >= raw) return m * p10;
    return 10.0 * p10;
}

std::string degrees_text(double v, double step, char pos, char neg) {
    const int decimals = step >= 1.0 ? 0 : step >= 0.1 ? 1 : 2;
    std::string s = fixed(std::fabs(v), decimals) + "\xC2\xB0";  // degree sign
    s += v < 0.0 ? neg : pos;
    return s;
}

}  // namespace

Figure map_figure(const BorderPackage& p, const ToLonLat& ll,
                  const std::vector<std::string>& attribution_lines) {
    constexpr int kMapPixels = 1000;
    Image img = render_map(p, kMapPixels);
    double min_x, min_y, max_x, max_y;
    p.geometry->region_bounds(min_x, min_y, max_x, max_y);
    // render_map's pixel size; its picture covers [min_x, min_x + w px] x [max_y - h px, max_y].
    const double px_m = std::max(max_x - min_x, max_y - min_y) / double(kMapPixels);
    const double map_max_pt = 600.0;
    const double u = map_max_pt / (std::max(img.width, img.height) * px_m);  // points per metre
    const double left = 50.0, top = 14.0, right = 16.0;
    const double mw = img.width * px_m * u, mh = img.height * px_m * u;
    const double x0 = left, y0 = top, x1 = x0 + mw, y1 = y0 + mh;
    auto fx = [&](double x) { return x0 + (x - min_x) * u; };
    auto fy = [&](double y) { return y0 + (max_y - y) * u; };
    auto inside = [&](double x, double y) {
        return x >= x0 - 1e-6 && x <= x1 + 1e-6 && y >= y0 - 1e-6 && y <= y1 + 1e-6;
    };

    Figure f;
    f.description = "Map of the region: coverage in " + p.home_country +
                    ", field strength minus limit in " + p.neighbour_country +
                    ", border and distance lines, sites, worst points of failed checks";
    const double legend_top = y1 + 30.0;
    const double legend_h = 94.0;
    f.width = std::max(left + mw + right, 560.0);
    f.height = legend_top + legend_h + 10.0 * double(attribution_lines.size() + 1) + 6.0;

    FigImage picture;
    picture.x = x0;
    picture.y = y0;
    picture.width = mw;
    picture.height = mh;
    picture.image = std::move(img);
    f.items.emplace_back(std::move(picture));

    // Graticule in WGS84 degrees, clipped to the frame by sampling.
    double lon_min = 1e9, lon_max = -1e9, lat_min = 1e9, lat_max = -1e9;
    const double frame_x[2] = {min_x, min_x + mw / u}, frame_y[2] = {max_y - mh / u, max_y};
    for (int k = 0; k <= 40; ++k) {
        const double t = k / 40.0;
        const double xs[4] = {frame_x[0] + t * (frame_x[1] - frame_x[0]),
                              frame_x[0] + t * (frame_x[1] - frame_x[0]), frame_x[0], frame_x[1]};
        const double ys[4] = {frame_y[0], frame_y[1], frame_y[0] + t * (frame_y[1] - frame_y[0]),
                              frame_y[0] + t * (frame_y[1] - frame_y[0])};
        for (int e = 0; e < 4; ++e) {
            const LonLat a = ll(xs[e], ys[e]);
            if (!std::isfinite(a.lon_deg)) continue;
            lon_min = std::min(lon_min, a.lon_deg);
            lon_max = std::max(lon_max, a.lon_deg);
            lat_min = std::min(lat_min, a.lat_deg);
            lat_max = std::max(lat_max, a.lat_deg);
        }
    }
    const Colour grey{110, 110, 110};
    if (lon_min < lon_max && lat_min < lat_max) {
        const double lon_step = nice_step(lon_max - lon_min, 7);
        const double lat_step = nice_step(lat_max - lat_min, 7);
        for (int axis = 0; axis < 2; ++axis) {
            const double step = axis == 0 ? lon_step : lat_step;
            const double lo = axis == 0 ? lon_min : lat_min, hi = axis == 0 ? lon_max : lat_max;
            const double olo = axis == 0 ? lat_min : lon_min, ohi = axis == 0 ? lat_max : lon_max;
            for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9; v += step) {
                std::vector<std::array<double, 2>> run;
                bool labelled = false;
                std::array<double, 2> prev{NAN, NAN};
                constexpr int kSamples = 200;
                for (int k = 0; k <= kSamples; ++k) {
                    const double o = olo + (ohi - olo) * k / kSamples;
                    double gx, gy;
                    const bool ok = axis == 0 ? ll.to_grid(v, o, gx, gy) : ll.to_grid(o, v, gx, gy);
                    const std::array<double, 2> q{fx(gx), fy(gy)};
                    if (ok && inside(q[0], q[1])) {
                        run.push_back(q);
                    } else if (!run.empty()) {
                        if (run.size() > 1) f.line(run, grey, 0.4, 2.0);
                        run.clear();
                    }
                    // Label where a meridian leaves the bottom edge / a parallel the left edge.
                    if (!labelled && ok && std::isfinite(prev[0])) {
                        if (axis == 0 && (prev[1] - y1) * (q[1] - y1) <= 0.0 && prev[1] != q[1]) {
                            const double t = (y1 - prev[1]) / (q[1] - prev[1]);
                            const double lx = prev[0] + t * (q[0] - prev[0]);
                            if (lx >= x0 && lx <= x1) {
                                f.text(lx, y1 + 10.0, degrees_text(v, step, 'E', 'W'), 7.0,
                                       Anchor::middle);
                                f.line({{lx, y1}, {lx, y1 + 3.0}}, {}, 0.6);
                                labelled = true;
                            }
                        } else if (axis == 1 && (prev[0] - x0) * (q[0] - x0) <= 0.0 &&
                                   prev[0] != q[0]) {
                            const double t = (x0 - prev[0]) / (q[0] - prev[0]);
                            const double ly = prev[1] + t * (q[1] - prev[1]);
                            if (ly >= y0 && ly <= y1) {
                                f.text(x0 - 5.0, ly + 2.5, degrees_text(v, step, 'N', 'S'), 7.0,
                                       Anchor::end);
                                f.line({{x0 - 3.0, ly}, {x0, ly}}, {}, 0.6);
                                labelled = true;
                            }
                        }
                    }
                    prev = ok ? q : std::array<double, 2>{NAN, NAN};
                }
                if (run.size() > 1) f.line(run, grey, 0.4, 2.0);
            }
        }
    }

    // Site labels (the first cell of each site gives the position).
    std::vector<std::string> seen;
    for (const analysis::BorderCell& c : *p.cells) {
        if (std::find(seen.begin(), seen.end(), c.cell.site_id) != seen.end()) continue;
        seen.push_back(c.cell.site_id);
        const double sx = fx(c.x_m), sy = fy(c.y_m);
        if (!inside(sx, sy)) continue;
        FigText t;
        t.x = sx + 4.0;
        t.y = sy - 3.0;
        t.text = c.cell.site_id;
        t.size = 5.5;
        t.halo = true;
        f.items.emplace_back(std::move(t));
    }

    f.rect(x0, y0, mw, mh, std::nullopt, Colour{}, 0.8);

    // True-north arrow (top right): the direction of increasing latitude at the map centre, which
    // differs from grid north by the meridian convergence.
    {
        const double ax = x1 - 22.0, ay = y0 + 40.0;
        const LonLat c = ll(0.5 * (frame_x[0] + frame_x[1]), 0.5 * (frame_y[0] + frame_y[1]));
        double nx = 0.0, ny = -1.0, gx0, gy0, gx1, gy1;
        if (std::isfinite(c.lon_deg) && ll.to_grid(c.lon_deg, c.lat_deg, gx0, gy0) &&
            ll.to_grid(c.lon_deg, c.lat_deg + 0.05, gx1, gy1)) {
            const double dx = gx1 - gx0, dy = -(gy1 - gy0), n = std::hypot(dx, dy);
            nx = dx / n;
            ny = dy / n;
        }
        f.rect(ax - 14.0, ay - 32.0, 28.0, 46.0, Colour{255, 255, 255}, Colour{120, 120, 120}, 0.4);
        const double len = 22.0, half = 5.0;
        const std::array<double, 2> tip{ax + nx * len * 0.5, ay + ny * len * 0.5};
        const std::array<double, 2> tail{ax - nx * len * 0.5, ay - ny * len * 0.5};
        FigPath head;
        head.points = {tip,
                       {tail[0] - ny * half, tail[1] + nx * half},
                       {ax, ay},
                       {tail[0] + ny * half, tail[1] - nx * half}};
        head.closed = true;
        head.fill = Colour{};
        head.stroke = Colour{};
        head.width = 0.5;
        f.items.emplace_back(std::move(head));
        f.text(ax, ay - 20.0, "N", 9.0, Anchor::middle, {}, true);
    }

    // Scale bar (bottom left), in metres of the grid CRS (UTM: scale factor 0.9996 on the central
    // meridian, at most ~1.0004 in the region: below what the bar resolves).
    {
        // The largest 1, 2 or 5 times a power of ten up to a fifth of the map's width.
        const double target_m = 0.2 * mw / u;
        const double p10 = std::pow(10.0, std::floor(std::log10(target_m)));
        const double bar_m = target_m >= 5.0 * p10   ? 5.0 * p10
                             : target_m >= 2.0 * p10 ? 2.0 * p10
                                                     : p10;
        const double bar_pt = bar_m * u;
        const double bx = x0 + 10.0, by = y1 - 14.0;
        f.rect(bx - 6.0, by - 14.0, bar_pt + 40.0, 24.0, Colour{255, 255, 255},
               Colour{120, 120, 120}, 0.4);
        f.rect(bx, by, bar_pt / 2.0, 4.0, Colour{}, Colour{}, 0.5);
        f.rect(bx + bar_pt / 2.0, by, bar_pt / 2.0, 4.0, Colour{255, 255, 255}, Colour{}, 0.5);
        const bool km = bar_m >= 1000.0;
        auto dist = [&](double m) {
            return km ? fixed(m / 1000.0, m < 2000.0 ? 1 : 0) : fixed(m, 0);
        };
        f.text(bx, by - 3.0, "0", 6.5, Anchor::middle);
        f.text(bx + bar_pt / 2.0, by - 3.0, dist(bar_m / 2.0), 6.5, Anchor::middle);
        f.text(bx + bar_pt, by - 3.0, dist(bar_m) + (km ? " km" : " m"), 6.5, Anchor::start);
    }

    // CRS label under the frame, right.
    f.text(x1, y1 + 21.0,
           "Map grid " + p.grid_crs +
               " (north up = grid north); graticule WGS84 (EPSG:4326), "
               "degrees",
           6.5, Anchor::end, Colour{60, 60, 60});

    // Legend.
    double ly = legend_top;
    f.text(
        x0, ly,
        "Coverage in " + p.home_country + ": strongest field strength of any cell (dB\xC2\xB5V/m)",
        7.0, Anchor::start, {}, true);
    ly += 4.0;
    // One box below 20 dBuV/m (grey), then 10 dB classes from 20 to 100, labelled at their edges.
    f.rect(x0, ly, 34.0, 9.0, legend_coverage_colour(0.0), Colour{130, 130, 130}, 0.3);
    f.text(x0 + 17.0, ly + 17.0, "< 20", 6.5, Anchor::middle);
    for (int k = 0; k < 8; ++k) {
        const double v = 20.0 + 10.0 * k;
        const double bx = x0 + (k + 1) * 34.0;
        f.rect(bx, ly, 34.0, 9.0, legend_coverage_colour(v + 5.0), Colour{130, 130, 130}, 0.3);
        f.text(bx, ly + 17.0, fixed(v, 0), 6.5, Anchor::middle);
    }
    f.text(x0 + 9 * 34.0, ly + 17.0, "100", 6.5, Anchor::middle);
    ly += 30.0;
    std::string limits;
    {
        std::vector<std::pair<double, double>> seen_limits;  // distance, limit
        for (const BorderRule& r : *p.rules) {
            const std::pair<double, double> key{r.distance_km, r.limit_dbuv_per_m};
            if (std::find(seen_limits.begin(), seen_limits.end(), key) != seen_limits.end())
                continue;
            seen_limits.push_back(key);
        }
        std::sort(seen_limits.begin(), seen_limits.end());
        for (const auto& [d, lim] : seen_limits)
            limits += (limits.empty() ? "" : ", ") + fixed(lim, 0) + " dB\xC2\xB5V/m at " +
                      fixed(d, 0) + " km";
    }
    f.text(x0, ly, "In " + p.neighbour_country + ": field strength minus the limit in force (dB)",
           7.0, Anchor::start, {}, true);
    ly += 4.0;
    const double ex_values[] = {-20.0, -15.0, -10.0, -5.0, 0.0, 5.0, 10.0, 20.0, 30.0};
    for (int k = 0; k < 9; ++k) {
        const double bx = x0 + k * 34.0;
        f.rect(bx, ly, 34.0, 9.0, legend_exceedance_colour(ex_values[k]), Colour{130, 130, 130},
               0.3);
        f.text(bx + 17.0, ly + 17.0, (ex_values[k] > 0.0 ? "+" : "") + fixed(ex_values[k], 0), 6.5,
               Anchor::middle);
    }
    f.text(x0 + 9 * 34.0 + 6.0, ly + 8.0, "(> 0: limit exceeded; paler than -20 dB: not shown)",
           6.5);
    f.text(x0, ly + 28.0, "Limits (per reference bandwidth): " + limits, 6.5);
    ly += 40.0;
    // Symbols.
    double sx = x0;
    auto symbol_label = [&](const std::string& label) {
        f.text(sx + 12.0, ly + 3.0, label, 6.5);
        sx += 12.0 + 4.2 * double(label.size()) + 14.0;
    };
    f.line({{sx, ly}, {sx + 9.0, ly}}, {}, 2.0);
    symbol_label("border");
    f.line({{sx, ly}, {sx + 9.0, ly}}, Colour{90, 90, 90}, 1.0, 2.0);
    symbol_label("distance lines");
    f.rect(sx + 1.5, ly - 3.5, 7.0, 7.0, Colour{30, 60, 200}, Colour{255, 255, 255}, 0.8);
    symbol_label("site, all checks pass");
    f.rect(sx + 1.5, ly - 3.5, 7.0, 7.0, Colour{220, 0, 0}, Colour{255, 255, 255}, 0.8);
    symbol_label("site with a failed check");
    f.line({{sx + 1.0, ly - 4.0}, {sx + 9.0, ly + 4.0}}, Colour{200, 0, 160}, 1.2);
    f.line({{sx + 1.0, ly + 4.0}, {sx + 9.0, ly - 4.0}}, Colour{200, 0, 160}, 1.2);
    symbol_label("worst point of a failed check");

    // Attributions.
    double ay = legend_top + legend_h;
    f.text(x0, ay, "Data:", 6.5, Anchor::start, {}, true);
    for (const std::string& a : attribution_lines) {
        ay += 10.0;
        f.text(x0, ay, a, 6.5);
    }
    return f;
}

std::vector<std::size_t> profile_checks(const BorderPackage& p) {
    std::vector<std::size_t> out;
    for (const analysis::CellSummary& cs : p.report->cells) {
        std::size_t worst = SIZE_MAX;
        for (std::size_t k : cs.checks) {
            const RuleCheck& rc = p.report->checks[k];
            if (rc.pass || rc.samples_computed == 0) continue;
            if (worst == SIZE_MAX || rc.margin_db < p.report->checks[worst].margin_db) worst = k;
        }
        if (worst != SIZE_MAX) out.push_back(worst);
    }
    return out;
}

std::vector<std::array<double, 2>> field_along_path(const BorderPackage& p, std::size_t check,
                                                    int points) {
    std::vector<std::array<double, 2>> out;
    const RuleCheck& rc = p.report->checks[check];
    if (!p.terrain || rc.rule >= p.rule_model_ptrs.size() || !p.rule_model_ptrs[rc.rule] ||
        !std::isfinite(rc.max_point.x_m) || points < 1)
        return out;
    const propagation::PropagationModel& model = *p.rule_model_ptrs[rc.rule];
    const analysis::BorderCell& bc = (*p.cells)[rc.cell];
    const BorderRule& rule = (*p.rules)[rc.rule];
    const ToLonLat ll(p.grid_crs);
    constexpr double kEffectiveRadiusM = 8495e3;  // BorderCheckOptions' default, k = 4/3
    std::vector<double> profile;
    for (int i = 1; i <= points; ++i) {
        const double t = double(i) / double(points);
        engine::PathEnd tx, rx;
        tx.x_m = bc.x_m;
        tx.y_m = bc.y_m;
        tx.lon_deg = bc.cell.lon_deg;
        tx.lat_deg = bc.cell.lat_deg;
        tx.height_agl_m = bc.cell.antenna_height_agl_m;
        rx.x_m = bc.x_m + t * (rc.max_point.x_m - bc.x_m);
        rx.y_m = bc.y_m + t * (rc.max_point.y_m - bc.y_m);
        rx.height_agl_m = rule.rx_height_agl_m;
        if (model.needs_path_position()) {
            const LonLat a = ll(rx.x_m, rx.y_m);
            rx.lon_deg = a.lon_deg;
            rx.lat_deg = a.lat_deg;
        }
        engine::PathSettings settings;
        settings.frequency_mhz = bc.cell.frequency_mhz;
        settings.profile_step_m = p.terrain->grid().pixel_size_m;
        settings.needs_profile = model.needs_terrain_profile();
        engine::BuiltPath path;
        double e = NAN;
        const double tx_ground = p.terrain->elevation_at(tx.x_m, tx.y_m);
        if (engine::build_path(*p.terrain, tx, rx, settings, profile, path) &&
            std::isfinite(tx_ground)) {
            const double loss = model.loss(path.query).loss_db;
            // The receiver's ground: the profile's last sample, else the terrain under it.
            const double rx_ground = std::isfinite(path.rx_ground_m)
                                         ? path.rx_ground_m
                                         : p.terrain->elevation_at(rx.x_m, rx.y_m);
            double gain = 0.0;
            if (bc.relative_gain_db) {
                const double el = engine::antenna_elevation_deg(tx_ground + tx.height_agl_m,
                                                                rx_ground + rx.height_agl_m,
                                                                path.distance_m, kEffectiveRadiusM);
                const double az = engine::true_azimuth_deg(
                    engine::grid_azimuth_deg(rx.x_m - tx.x_m, rx.y_m - tx.y_m),
                    bc.true_north_grid_azimuth_deg);
                gain = bc.relative_gain_db(az, el);
            }
            if (std::isfinite(loss))
                e = analysis::border_field_dbuv_per_m(bc.cell.eirp_dbm, gain, loss,
                                                      bc.cell.frequency_mhz,
                                                      rc.bandwidth_correction_db);
        }
        out.push_back({path.distance_m > 0.0
                           ? path.distance_m
                           : t * std::hypot(rc.max_point.x_m - bc.x_m, rc.max_point.y_m - bc.y_m),
                       e});
    }
    return out;
}

Figure profile_figure(const BorderPackage& p, std::size_t check) {
    Figure f;
    const RuleCheck& rc = p.report->checks[check];
    if (!p.terrain || !std::isfinite(rc.max_point.x_m)) return f;
    const analysis::BorderCell& bc = (*p.cells)[rc.cell];
    const BorderRule& rule = (*p.rules)[rc.rule];
    engine::PathEnd tx, rx;
    tx.x_m = bc.x_m;
    tx.y_m = bc.y_m;
    tx.height_agl_m = bc.cell.antenna_height_agl_m;
    rx.x_m = rc.max_point.x_m;
    rx.y_m = rc.max_point.y_m;
    rx.height_agl_m = rule.rx_height_agl_m;
    engine::PathSettings settings;
    settings.frequency_mhz = bc.cell.frequency_mhz;
    settings.profile_step_m = p.terrain->grid().pixel_size_m;  // as the check (step 0 = pixel)
    settings.needs_profile = true;
    std::vector<double> profile;
    engine::BuiltPath path;
    if (!engine::build_path(*p.terrain, tx, rx, settings, profile, path) || profile.size() < 2)
        return f;
    const std::size_t n = profile.size();
    const double d_m = std::max(path.distance_m, 1.0);
    // Earth bulge d1 d2 / (2 k a), k = 4/3 (the check's effective radius for the elevation angle;
    // ITU-R P.452 / P.1812 use the same construction): on a flat chart the line of sight stays
    // straight.
    constexpr double kEffectiveRadiusM = 8495e3;
    std::vector<double> ground(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double d1 = d_m * double(i) / double(n - 1);
        ground[i] = profile[i] + d1 * (d_m - d1) / (2.0 * kEffectiveRadiusM);
    }
    const double tx_h = profile.front() + tx.height_agl_m;
    const double rx_h = profile.back() + rx.height_agl_m;
    double clearance_m = 1e9;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double t = double(i) / double(n - 1);
        clearance_m = std::min(clearance_m, tx_h + t * (rx_h - tx_h) - ground[i]);
    }
    double h_lo = *std::min_element(ground.begin(), ground.end());
    double h_hi = std::max({*std::max_element(ground.begin(), ground.end()), tx_h, rx_h});
    const double h_step = nice_step(h_hi - h_lo + 40.0, 5);
    h_lo = std::floor((h_lo - 10.0) / h_step) * h_step;
    h_hi = std::ceil((h_hi + 10.0) / h_step) * h_step;

    f.width = 520.0;
    f.height = 220.0;
    f.description = "Terrain profile from " + bc.cell.cell_id + " to the worst point of " + rule.id;
    const double x0 = 52.0, y0 = 30.0, pw = 450.0, ph = 140.0;
    auto fx = [&](double dist_m) { return x0 + pw * dist_m / d_m; };
    auto fy = [&](double h) { return y0 + ph * (h_hi - h) / (h_hi - h_lo); };
    f.text(x0, 12.0,
           bc.cell.cell_id + " (" + bc.cell.site_name + ") \xE2\x86\x92 worst point of " + rule.id,
           8.5, Anchor::start, {}, true);
    f.text(x0, 23.0,
           "Path " + fixed(d_m / 1000.0, 2) + " km; antenna " + fixed(tx.height_agl_m, 1) +
               " m above ground, receiver " + fixed(rx.height_agl_m, 1) +
               " m; heights with the Earth's curvature, k = 4/3",
           6.5, Anchor::start, Colour{60, 60, 60});
    // Axes and grid.
    for (double h = h_lo; h <= h_hi + 1e-9; h += h_step) {
        f.line({{x0, fy(h)}, {x0 + pw, fy(h)}}, Colour{220, 220, 220}, 0.4);
        f.text(x0 - 4.0, fy(h) + 2.5, fixed(h, 0), 6.5, Anchor::end);
    }
    const double d_step = nice_step(d_m / 1000.0, 8);
    for (double d = 0.0; d <= d_m / 1000.0 + 1e-9; d += d_step) {
        f.line({{fx(d * 1000.0), y0 + ph}, {fx(d * 1000.0), y0 + ph + 3.0}}, {}, 0.5);
        f.text(fx(d * 1000.0), y0 + ph + 11.0, fixed(d, d_step < 1.0 ? 1 : 0), 6.5, Anchor::middle);
    }
    f.text(x0 + pw / 2.0, y0 + ph + 21.0, "distance from the site (km)", 7.0, Anchor::middle);
    FigText ylabel;
    ylabel.x = 14.0;
    ylabel.y = y0 + ph / 2.0;
    ylabel.text = "height above sea level (m)";
    ylabel.size = 7.0;
    ylabel.anchor = Anchor::middle;
    ylabel.rotate_deg = 90.0;
    f.items.emplace_back(std::move(ylabel));
    // Terrain.
    FigPath terrain;
    terrain.closed = true;
    terrain.fill = Colour{205, 190, 160};
    terrain.stroke = Colour{120, 95, 60};
    terrain.width = 0.6;
    terrain.points.push_back({fx(0.0), fy(h_lo)});
    const std::size_t stride = std::max<std::size_t>(1, n / 600);  // at most ~600 vertices
    for (std::size_t i = 0; i < n; i += stride)
        terrain.points.push_back({fx(d_m * double(i) / double(n - 1)), fy(ground[i])});
    terrain.points.push_back({fx(d_m), fy(ground[n - 1])});
    terrain.points.push_back({fx(d_m), fy(h_lo)});
    f.items.emplace_back(std::move(terrain));
    // Antenna and receiver masts, line of sight.
    f.line({{fx(0.0), fy(ground[0])}, {fx(0.0), fy(tx_h)}}, Colour{30, 60, 200}, 1.5);
    f.line({{fx(d_m), fy(ground[n - 1])}, {fx(d_m), fy(rx_h)}}, Colour{200, 0, 160}, 1.5);
    f.line({{fx(0.0), fy(tx_h)}, {fx(d_m), fy(rx_h)}}, Colour{200, 30, 30}, 0.9, 3.0);
    // The field strength along the path (right axis), with the limit.
    const std::vector<std::array<double, 2>> field = field_along_path(p, check, 60);
    double e_lo = rule.limit_dbuv_per_m, e_hi = rule.limit_dbuv_per_m;
    for (const auto& [d, e] : field)
        if (std::isfinite(e) && d >= 0.05 * d_m) {  // the first points near the mast dominate
            e_lo = std::min(e_lo, e);
            e_hi = std::max(e_hi, e);
        }
    if (!field.empty()) {
        const double e_step = nice_step(e_hi - e_lo + 10.0, 5);
        e_lo = std::floor((e_lo - 5.0) / e_step) * e_step;
        e_hi = std::ceil((e_hi + 5.0) / e_step) * e_step;
        auto fe = [&](double e) { return y0 + ph * (e_hi - e) / (e_hi - e_lo); };
        const Colour blue{20, 80, 200};
        std::vector<std::array<double, 2>> run;
        for (const auto& [d, e] : field) {
            if (std::isfinite(e) && e >= e_lo && e <= e_hi) {
                run.push_back({fx(d), fe(e)});
            } else {
                if (run.size() > 1) f.line(run, blue, 1.1);
                run.clear();
            }
        }
        if (run.size() > 1) f.line(run, blue, 1.1);
        f.line({{x0, fe(rule.limit_dbuv_per_m)}, {x0 + pw, fe(rule.limit_dbuv_per_m)}}, blue, 0.6,
               1.5);
        f.text(x0 + 4.0, fe(rule.limit_dbuv_per_m) - 2.5,
               "limit " + fixed(rule.limit_dbuv_per_m, 1) + " dB\xC2\xB5V/m", 6.0, Anchor::start,
               blue);
        for (double e = e_lo; e <= e_hi + 1e-9; e += e_step)
            f.text(x0 + pw + 4.0, fe(e) + 2.5, fixed(e, 0), 6.5, Anchor::start, blue);
        FigText elabel;
        elabel.x = x0 + pw + 26.0;
        elabel.y = y0 + ph / 2.0;
        elabel.text = "field strength (dB\xC2\xB5V/m)";
        elabel.size = 7.0;
        elabel.anchor = Anchor::middle;
        elabel.rotate_deg = 90.0;
        elabel.colour = blue;
        f.items.emplace_back(std::move(elabel));
        f.text(x0 + pw, y0 + ph + 28.0, "\xE2\x80\x94 field strength along the path", 6.5,
               Anchor::end, blue);
    }
    f.rect(x0, y0, pw, ph, std::nullopt, Colour{}, 0.6);
    // The result at the worst point.
    const std::string los = clearance_m >= 0.0
                                ? "line of sight clear by " + fixed(clearance_m, 0) + " m"
                                : "line of sight obstructed by " + fixed(-clearance_m, 0) + " m";
    f.text(x0, y0 + ph + 34.0,
           "Field strength at the worst point " + fixed(rc.max_field_dbuv_per_m, 1) +
               " dB\xC2\xB5V/m (limit " + fixed(rule.limit_dbuv_per_m, 1) + " dB\xC2\xB5V/m per " +
               fixed(rule.reference_bandwidth_mhz, 1) + " MHz, margin " + fixed(rc.margin_db, 1) +
               " dB)",
           7.0, Anchor::start, Colour{140, 0, 0}, true);
    f.text(x0, y0 + ph + 45.0,
           "Basic transmission loss " + fixed(rc.max_point_loss_db, 1) + " dB (" +
               model_name_of(p, rc.rule) + "); antenna gain towards the point " +
               fixed(rc.max_point_gain_db, 1) + " dB relative to boresight; " + los,
           6.5, Anchor::start, Colour{60, 60, 60});
    f.text(x0 + pw, y0 + ph + 21.0, "- - line of sight", 6.5, Anchor::end, Colour{200, 30, 30});
    return f;
}

}  // namespace grenzfunk::report::detail
