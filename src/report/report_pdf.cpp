// GCC 12 reports a false -Wrestrict inside std::string's operator+ chains at -O2 (GCC bug
// 105329), as in report_render.cpp.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include "report/report_pdf.hpp"

#include "analysis/border_compare.hpp"

#include <hpdf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "core/error.hpp"
#include "report/attributions.hpp"
#include "report/report_content.hpp"
#include "report/report_figures.hpp"

namespace grenzfunk::report::detail {

using analysis::BorderRule;
using analysis::RuleCheck;

std::string utf8_to_winansi(const std::string& utf8) {
    // Windows-1252 bytes 0x80..0x9F and their code points (the rest of 0xA0..0xFF is Latin-1).
    static const std::pair<char32_t, unsigned char> cp1252[] = {
        {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85},
        {0x2020, 0x86}, {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A},
        {0x2039, 0x8B}, {0x0152, 0x8C}, {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92},
        {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97},
        {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B}, {0x0153, 0x9C},
        {0x017E, 0x9E}, {0x0178, 0x9F}};
    std::string out;
    for (std::size_t i = 0; i < utf8.size();) {
        const unsigned char b = static_cast<unsigned char>(utf8[i]);
        char32_t cp = 0;
        std::size_t len = 1;
        if (b < 0x80)
            cp = b;
        else if ((b & 0xE0) == 0xC0)
            cp = b & 0x1F, len = 2;
        else if ((b & 0xF0) == 0xE0)
            cp = b & 0x0F, len = 3;
        else if ((b & 0xF8) == 0xF0)
            cp = b & 0x07, len = 4;
        else
            cp = 0xFFFD;
        if (i + len > utf8.size()) len = utf8.size() - i, cp = 0xFFFD;
        for (std::size_t k = 1; k < len; ++k) {
            const unsigned char c = static_cast<unsigned char>(utf8[i + k]);
            if ((c & 0xC0) != 0x80) {
                cp = 0xFFFD;
                len = k;
                break;
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        i += len;
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp >= 0xA0 && cp <= 0xFF) {
            out += char(cp);
        } else if (cp == 0x2192) {
            out += "->";
        } else if (cp == 0x2212) {
            out += '-';
        } else {
            // Latin Extended-A letters without a Windows-1252 glyph (Czech c, e, r, u with
            // caron or ring, Polish, Hungarian ...) lose their diacritic rather than the letter:
            // "Krušné hory" stays readable, "Křemže" prints as "Kremze".
            static constexpr char kLatinExtendedABase[] =
                "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlL"
                "lLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
            char c = '?';
            for (const auto& [u, w] : cp1252)
                if (u == cp) c = char(w);
            if (c == '?' && cp >= 0x100 && cp <= 0x17F) c = kLatinExtendedABase[cp - 0x100];
            out += c;
        }
    }
    return out;
}

namespace {

constexpr double kPageW = 595.276, kPageH = 841.89;  // A4 in points (HPDF_PAGE_SIZE_A4)
constexpr double kMarginL = 42.0, kMarginR = 42.0, kMarginTop = 56.0, kMarginBottom = 56.0;
constexpr double kContentW = kPageW - kMarginL - kMarginR;

void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
    auto* message = static_cast<std::string*>(user);
    if (message->empty()) {
        char text[96];
        std::snprintf(text, sizeof text, "libharu error 0x%04X (detail %u)", unsigned(error),
                      unsigned(detail));
        *message = text;
    }
}

class PdfWriter {
  public:
    explicit PdfWriter(std::string header_right) : header_right_(std::move(header_right)) {
        doc_ = HPDF_New(on_hpdf_error, &error_);
        if (!doc_) throw OutputError("PDF: libharu could not start");
        HPDF_SetCompressionMode(doc_, HPDF_COMP_ALL);
        regular_ = HPDF_GetFont(doc_, "Helvetica", "WinAnsiEncoding");
        bold_ = HPDF_GetFont(doc_, "Helvetica-Bold", "WinAnsiEncoding");
        check();
    }
    ~PdfWriter() { HPDF_Free(doc_); }
    PdfWriter(const PdfWriter&) = delete;
    PdfWriter& operator=(const PdfWriter&) = delete;

    HPDF_Doc doc() const { return doc_; }
    void check() const {
        if (!error_.empty()) throw OutputError("PDF: " + error_);
    }

    void new_page() {
        page_ = HPDF_AddPage(doc_);
        HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        pages_.push_back(page_);
        y_ = kPageH - kMarginTop;
        // Running header.
        text_at(kMarginL, kPageH - 34.0, "grenzfunk cross-border coordination report", 8.0, false,
                Colour{85, 85, 85});
        text_at(kPageW - kMarginR - width(header_right_, 8.0, false), kPageH - 34.0, header_right_,
                8.0, false, Colour{85, 85, 85});
        stroke_line(kMarginL, kPageH - 38.0, kPageW - kMarginR, kPageH - 38.0, 0.5,
                    Colour{150, 150, 150});
    }
    // Footer on every page, once the page count is known.
    void finish(const std::string& footer_left) {
        for (std::size_t i = 0; i < pages_.size(); ++i) {
            page_ = pages_[i];
            stroke_line(kMarginL, 40.0, kPageW - kMarginR, 40.0, 0.5, Colour{150, 150, 150});
            const std::string right =
                "page " + std::to_string(i + 1) + " of " + std::to_string(pages_.size());
            text_at(kPageW - kMarginR - width(right, 7.0, false), 30.0, right, 7.0, false,
                    Colour{85, 85, 85});
            wrap_at(kMarginL, 30.0, footer_left, 6.0, kContentW - 60.0, Colour{85, 85, 85});
        }
    }

    void space(double pt) { y_ -= pt; }
    // Starts a new page unless `pt` fit above the bottom margin.
    void need(double pt) {
        if (!page_ || y_ - pt < kMarginBottom) new_page();
    }
    void heading(const std::string& s, double size = 13.0) {
        need(size * 3.0 + 40.0);
        y_ -= size * 1.2;
        text_at(kMarginL, y_, s, size, true, Colour{});
        y_ -= 4.0;
        stroke_line(kMarginL, y_, kPageW - kMarginR, y_, 0.5, Colour{150, 150, 150});
        y_ -= size * 0.6;
    }
    void paragraph(const std::string& s, double size = 9.0, bool bold = false,
                   Colour c = Colour{}) {
        const std::vector<std::string> lines = wrap(s, size, kContentW, bold);
        for (const std::string& line : lines) {
            need(size * 1.35);
            y_ -= size * 1.35;
            text_at(kMarginL, y_, line, size, bold, c);
        }
        y_ -= size * 0.5;
    }

    struct Table {
        std::vector<std::string> header;
        std::vector<double> widths;  // fractions of the content width
        std::vector<std::vector<std::string>> rows;
        std::vector<bool> highlight;  // per row: failed (red background)
        double size = 7.0;
    };
    void table(const Table& t) {
        const double pad = 2.0, leading = t.size * 1.25;
        std::vector<double> w;
        double total = 0.0;
        for (double f : t.widths) total += f;
        for (double f : t.widths) w.push_back(kContentW * f / total);
        auto cell_lines = [&](const std::vector<std::string>& row, bool bold) {
            std::vector<std::vector<std::string>> out;
            for (std::size_t c = 0; c < w.size(); ++c)
                out.push_back(wrap(c < row.size() ? row[c] : "", t.size, w[c] - 2.0 * pad, bold));
            return out;
        };
        auto row_height = [&](const std::vector<std::vector<std::string>>& lines) {
            std::size_t n = 1;
            for (const auto& l : lines) n = std::max(n, l.size());
            return double(n) * leading + 2.0 * pad;
        };
        const auto header_lines = cell_lines(t.header, true);
        const double header_h = row_height(header_lines);
        auto draw_row = [&](const std::vector<std::vector<std::string>>& lines, double h,
                            std::optional<Colour> fill, bool bold) {
            double x = kMarginL;
            for (std::size_t c = 0; c < w.size(); ++c) {
                rect(x, y_ - h, w[c], h, fill, Colour{170, 170, 170}, 0.3);
                double ty = y_ - pad - t.size;
                for (const std::string& line : lines[c]) {
                    text_at(x + pad, ty, line, t.size, bold, Colour{});
                    ty -= leading;
                }
                x += w[c];
            }
            y_ -= h;
        };
        need(header_h + 3.0 * leading);
        draw_row(header_lines, header_h, Colour{235, 235, 235}, true);
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            const auto lines = cell_lines(t.rows[r], false);
            const double h = row_height(lines);
            if (y_ - h < kMarginBottom) {  // the header again on the next page
                new_page();
                draw_row(header_lines, header_h, Colour{235, 235, 235}, true);
            }
            const bool red = r < t.highlight.size() && t.highlight[r];
            draw_row(lines, h, red ? std::optional<Colour>(Colour{248, 208, 208}) : std::nullopt,
                     false);
        }
        y_ -= 8.0;
    }

    // A figure at the content width at most (scaled down to fit), on a new page if it does not
    // fit below.
    void figure(const Figure& f) {
        if (f.width <= 0.0) return;
        double s = std::min(1.0, kContentW / f.width);
        const double max_h = kPageH - kMarginTop - kMarginBottom;
        s = std::min(s, max_h / f.height);
        need(f.height * s + 6.0);
        const double ox = kMarginL, oy = y_;  // top left of the figure
        auto X = [&](double x) { return ox + x * s; };
        auto Y = [&](double y) { return oy - y * s; };
        for (const auto& item : f.items) {
            if (const auto* p = std::get_if<FigPath>(&item)) {
                if (p->points.empty()) continue;
                HPDF_Page_SetLineWidth(page_, HPDF_REAL(p->width * s));
                if (p->dash > 0.0) {
                    const HPDF_UINT16 dash[1] = {
                        HPDF_UINT16(std::max(1.0, std::round(p->dash * s)))};
                    HPDF_Page_SetDash(page_, dash, 1, 0);
                }
                if (p->fill) set_fill(*p->fill);
                if (p->stroke) set_stroke(*p->stroke);
                HPDF_Page_MoveTo(page_, HPDF_REAL(X(p->points[0][0])),
                                 HPDF_REAL(Y(p->points[0][1])));
                for (std::size_t i = 1; i < p->points.size(); ++i)
                    HPDF_Page_LineTo(page_, HPDF_REAL(X(p->points[i][0])),
                                     HPDF_REAL(Y(p->points[i][1])));
                if (p->closed && p->fill && p->stroke)
                    HPDF_Page_ClosePathFillStroke(page_);
                else if (p->closed && p->fill) {
                    HPDF_Page_ClosePath(page_);
                    HPDF_Page_Fill(page_);
                } else if (p->closed)
                    HPDF_Page_ClosePathStroke(page_);
                else
                    HPDF_Page_Stroke(page_);
                if (p->dash > 0.0) HPDF_Page_SetDash(page_, nullptr, 0, 0);
            } else if (const auto* t = std::get_if<FigText>(&item)) {
                const double size = t->size * s;
                const double tw = width(t->text, size, t->bold);
                const double shift = t->anchor == Anchor::start    ? 0.0
                                     : t->anchor == Anchor::middle ? tw / 2.0
                                                                   : tw;
                const double a = t->rotate_deg * 3.14159265358979323846 / 180.0;
                const double ca = std::cos(a), sa = std::sin(a);
                const double x = X(t->x) - shift * ca, y = Y(t->y) - shift * sa;
                const std::string text = utf8_to_winansi(t->text);
                HPDF_Page_BeginText(page_);
                HPDF_Page_SetFontAndSize(page_, t->bold ? bold_ : regular_, HPDF_REAL(size));
                HPDF_Page_SetTextMatrix(page_, HPDF_REAL(ca), HPDF_REAL(sa), HPDF_REAL(-sa),
                                        HPDF_REAL(ca), HPDF_REAL(x), HPDF_REAL(y));
                if (t->halo) {
                    HPDF_Page_SetTextRenderingMode(page_, HPDF_STROKE);
                    HPDF_Page_SetLineWidth(page_, HPDF_REAL(1.6 * s));
                    set_stroke(Colour{255, 255, 255});
                    HPDF_Page_ShowText(page_, text.c_str());
                    HPDF_Page_SetTextRenderingMode(page_, HPDF_FILL);
                    HPDF_Page_SetTextMatrix(page_, HPDF_REAL(ca), HPDF_REAL(sa), HPDF_REAL(-sa),
                                            HPDF_REAL(ca), HPDF_REAL(x), HPDF_REAL(y));
                }
                set_fill(t->colour);
                HPDF_Page_ShowText(page_, text.c_str());
                HPDF_Page_EndText(page_);
            } else if (const auto* im = std::get_if<FigImage>(&item)) {
                std::vector<HPDF_BYTE> rgb(std::size_t(im->image.width) * im->image.height * 3);
                for (std::size_t i = 0, n = rgb.size() / 3; i < n; ++i)
                    for (int c = 0; c < 3; ++c) rgb[i * 3 + c] = im->image.rgba[i * 4 + c];
                HPDF_Image image =
                    HPDF_LoadRawImageFromMem(doc_, rgb.data(), HPDF_UINT(im->image.width),
                                             HPDF_UINT(im->image.height), HPDF_CS_DEVICE_RGB, 8);
                check();
                HPDF_Page_DrawImage(page_, image, HPDF_REAL(X(im->x)),
                                    HPDF_REAL(Y(im->y + im->height)), HPDF_REAL(im->width * s),
                                    HPDF_REAL(im->height * s));
            }
        }
        y_ -= f.height * s + 6.0;
        check();
    }

    std::string save() {
        HPDF_SaveToStream(doc_);
        check();
        HPDF_UINT32 size = HPDF_GetStreamSize(doc_);
        std::string bytes(size, '\0');
        HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
        bytes.resize(size);
        check();
        return bytes;
    }

  private:
    double width(const std::string& utf8, double size, bool bold) {
        HPDF_Font font = bold ? bold_ : regular_;
        const std::string text = utf8_to_winansi(utf8);
        const HPDF_TextWidth tw = HPDF_Font_TextWidth(
            font, reinterpret_cast<const HPDF_BYTE*>(text.c_str()), HPDF_UINT(text.size()));
        return double(tw.width) * size / 1000.0;
    }
    std::vector<std::string> wrap(const std::string& s, double size, double max_w, bool bold) {
        std::vector<std::string> lines;
        std::string line, word;
        auto flush_word = [&] {
            if (word.empty()) return;
            const std::string candidate = line.empty() ? word : line + " " + word;
            if (!line.empty() && width(candidate, size, bold) > max_w) {
                lines.push_back(line);
                line = word;
            } else {
                line = candidate;
            }
            // A word longer than the column (a SHA-256): break it.
            while (width(line, size, bold) > max_w && line.size() > 1) {
                std::size_t cut = line.size() - 1;
                while (cut > 1 && width(line.substr(0, cut), size, bold) > max_w) --cut;
                lines.push_back(line.substr(0, cut));
                line = line.substr(cut);
            }
            word.clear();
        };
        for (char c : s) {
            if (c == ' ')
                flush_word();
            else if (c == '\n') {
                flush_word();
                lines.push_back(line);
                line.clear();
            } else
                word += c;
        }
        flush_word();
        if (!line.empty() || lines.empty()) lines.push_back(line);
        return lines;
    }
    void set_fill(Colour c) {
        HPDF_Page_SetRGBFill(page_, HPDF_REAL(c.r / 255.0), HPDF_REAL(c.g / 255.0),
                             HPDF_REAL(c.b / 255.0));
    }
    void set_stroke(Colour c) {
        HPDF_Page_SetRGBStroke(page_, HPDF_REAL(c.r / 255.0), HPDF_REAL(c.g / 255.0),
                               HPDF_REAL(c.b / 255.0));
    }
    void text_at(double x, double y, const std::string& s, double size, bool bold, Colour c) {
        const std::string text = utf8_to_winansi(s);
        HPDF_Page_BeginText(page_);
        HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, HPDF_REAL(size));
        set_fill(c);
        HPDF_Page_TextOut(page_, HPDF_REAL(x), HPDF_REAL(y), text.c_str());
        HPDF_Page_EndText(page_);
    }
    void wrap_at(double x, double y, const std::string& s, double size, double max_w, Colour c) {
        for (const std::string& line : wrap(s, size, max_w, false)) {
            text_at(x, y, line, size, false, c);
            y -= size * 1.25;
        }
    }
    void stroke_line(double xa, double ya, double xb, double yb, double w, Colour c) {
        HPDF_Page_SetLineWidth(page_, HPDF_REAL(w));
        set_stroke(c);
        HPDF_Page_MoveTo(page_, HPDF_REAL(xa), HPDF_REAL(ya));
        HPDF_Page_LineTo(page_, HPDF_REAL(xb), HPDF_REAL(yb));
        HPDF_Page_Stroke(page_);
    }
    void rect(double x, double y, double w, double h, std::optional<Colour> fill, Colour stroke,
              double lw) {
        HPDF_Page_SetLineWidth(page_, HPDF_REAL(lw));
        set_stroke(stroke);
        if (fill) set_fill(*fill);
        HPDF_Page_Rectangle(page_, HPDF_REAL(x), HPDF_REAL(y), HPDF_REAL(w), HPDF_REAL(h));
        if (fill)
            HPDF_Page_FillStroke(page_);
        else
            HPDF_Page_Stroke(page_);
    }

    HPDF_Doc doc_ = nullptr;
    HPDF_Font regular_ = nullptr, bold_ = nullptr;
    HPDF_Page page_ = nullptr;
    std::vector<HPDF_Page> pages_;
    std::string header_right_;
    std::string error_;
    double y_ = 0.0;
};

// --creation-time as a PDF date; false when it is not an ISO 8601 date-time we can read (the PDF
// then has no date at all rather than the clock's).
bool pdf_date(const std::string& iso, HPDF_Date& out) {
    int y, mo, d, h, mi, s, used = 0;
    if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) != 6)
        return false;
    out = HPDF_Date{y, mo, d, h, mi, s, 'Z', 0, 0};
    const std::string zone = iso.substr(std::size_t(used));
    int oh = 0, om = 0;
    if (zone == "Z" || zone.empty()) {
        out.ind = zone.empty() ? ' ' : 'Z';
    } else if ((zone[0] == '+' || zone[0] == '-') &&
               std::sscanf(zone.c_str() + 1, "%2d:%2d", &oh, &om) == 2) {
        out.ind = zone[0];
        out.off_hour = oh;
        out.off_minutes = om;
    } else {
        return false;
    }
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 &&
           s >= 0 && s <= 59 && oh <= 23 && om <= 59;
}

}  // namespace

std::string report_pdf(const BorderPackage& p, const ToLonLat& ll) {
    const std::string id = report_id(p);
    PdfWriter w(id + "  version " + p.document_version);
    const HPDF_Doc doc = w.doc();
    HPDF_Date date;
    if (pdf_date(p.creation_time, date)) {
        HPDF_SetInfoDateAttr(doc, HPDF_INFO_CREATION_DATE, date);
        HPDF_SetInfoDateAttr(doc, HPDF_INFO_MOD_DATE, date);
    }
    const std::string title =
        utf8_to_winansi("Cross-border coordination check: " + p.scenario_name);
    HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, title.c_str());
    HPDF_SetInfoAttr(doc, HPDF_INFO_AUTHOR, utf8_to_winansi(p.applicant).c_str());
    HPDF_SetInfoAttr(doc, HPDF_INFO_SUBJECT, ("report " + id).c_str());
    HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, utf8_to_winansi(p.software).c_str());
    w.check();

    const std::vector<std::string> attributions = attribution_lines(p);
    std::string attribution_text;
    for (const std::string& a : attributions)
        attribution_text += (attribution_text.empty() ? "Data: " : "; ") + a;

    w.new_page();
    w.paragraph("Cross-border coordination check: " + p.scenario_name, 16.0, true);
    w.space(4.0);
    {
        PdfWriter::Table t;
        t.header = {"Document control", ""};
        t.widths = {0.28, 0.72};
        t.size = 8.0;
        for (const DocumentField& f : document_control(p)) t.rows.push_back({f.name, f.value});
        w.table(t);
    }
    if (const std::string warn = unverified_warning(p); !warn.empty())
        w.paragraph(warn, 8.5, true, Colour{140, 90, 0});

    {
        const std::size_t not_computed =
            std::size_t(std::count_if(p.report->checks.begin(), p.report->checks.end(),
                                      [](const RuleCheck& c) { return c.samples_computed == 0; }));
        w.heading("Result");
        PdfWriter::Table t;
        t.header = {"", ""};
        t.widths = {0.45, 0.55};
        t.size = 8.0;
        t.rows = {
            {"Overall", p.report->failed_checks > 0 ? "FAIL" : "PASS"},
            {"Home cells", std::to_string(p.report->cells.size())},
            {"Checks (cell x rule)", std::to_string(p.report->checks.size())},
            {"Failed checks", std::to_string(p.report->failed_checks)},
            {"Cells failing at least one rule", std::to_string(p.report->failed_cells)},
            {"Cells without an applicable rule", std::to_string(p.report->cells_without_rule)},
            {"Checks not computed", std::to_string(not_computed)},
            {"Sample spacing / longest path",
             fixed(p.sample_spacing_m, 0) + " m / " + fixed(p.max_path_km, 0) + " km"}};
        t.highlight = {p.report->failed_checks > 0};
        w.table(t);
    }

    w.heading("Failed checks");
    const std::vector<std::size_t> failed = failed_checks_first(p);
    if (failed.empty()) {
        w.paragraph("No check fails.");
    } else {
        w.paragraph(
            "Smallest margin first. Field strength at the rule's receiver height in the "
            "rule's reference bandwidth; margin = limit - maximum.",
            8.0);
        PdfWriter::Table t;
        t.header = {"Cell",
                    "Site",
                    "Rule",
                    "Limit (dB\xC2\xB5V/m)",
                    "Max (dB\xC2\xB5V/m)",
                    "Margin (dB)",
                    "Over limit",
                    "Worst point (lat, lon)",
                    "Path (km)"};
        t.widths = {0.12, 0.08, 0.22, 0.07, 0.07, 0.07, 0.09, 0.19, 0.07};
        for (std::size_t k : failed) {
            const RuleCheck& rc = p.report->checks[k];
            const Cell& c = (*p.cells)[rc.cell].cell;
            const LonLat at = ll(rc.max_point.x_m, rc.max_point.y_m);
            t.rows.push_back({c.cell_id, c.site_id, (*p.rules)[rc.rule].id,
                              fixed((*p.rules)[rc.rule].limit_dbuv_per_m, 1),
                              fixed(rc.max_field_dbuv_per_m, 1, "n/a"),
                              fixed(rc.margin_db, 1, "n/a"),
                              std::to_string(rc.samples_over_limit) + " / " +
                                  std::to_string(rc.samples_computed),
                              fixed(at.lat_deg, 5, "n/a") + ", " + fixed(at.lon_deg, 5, "n/a"),
                              fixed(rc.max_point_path_km, 1, "n/a")});
            t.highlight.push_back(true);
        }
        w.table(t);
    }

    {
        const auto rows = comparison_rows(p);
        w.heading("Sensitivity to the method");
        if (rows.empty()) {
            w.paragraph("No check fails or lies within " + fixed(analysis::kCompareWithinDb, 0) +
                        " dB of its limit" +
                        (p.compare_note.empty() ? std::string(".") : "; " + p.compare_note));
        } else {
            w.paragraph("Failed checks and checks within " + fixed(analysis::kCompareWithinDb, 0) +
                            " dB of the limit, computed again with the other method. Only the "
                            "rule's own method decides.",
                        8.0);
            PdfWriter::Table t;
            t.header = comparison_header();
            t.widths = {0.12, 0.22, 0.07, 0.07, 0.07, 0.07, 0.08, 0.07, 0.07, 0.08};
            for (const auto& row : rows) {
                t.rows.push_back(row);
                t.highlight.push_back(row.back() == "FAIL");
            }
            w.table(t);
        }
    }

    w.new_page();
    w.heading("Site technical table");
    w.paragraph("Every " + p.home_country +
                    " cell of the check. Height above ground; e.i.r.p. at boresight; azimuth "
                    "from true north; tilt mechanical + electrical, positive down.",
                8.0);
    {
        PdfWriter::Table t;
        t.header = site_table_header();
        t.widths = {0.11, 0.16, 0.07, 0.07, 0.06, 0.07, 0.06, 0.05, 0.07, 0.07, 0.08, 0.09};
        t.size = 6.5;
        t.rows = site_table_rows(p);
        w.table(t);
    }

    w.new_page();
    w.heading("Map");
    w.figure(map_figure(p, ll, attributions));

    const std::vector<std::size_t> profiles = profile_checks(p);
    if (!profiles.empty()) {
        w.new_page();
        w.heading("Terrain profiles of the failing cells");
        w.paragraph(
            "Per failing cell, its worst check: the terrain from the site to the point of "
            "the maximum, the line of sight from the antenna to the receiver and the "
            "field strength there.",
            8.0);
        for (std::size_t k : profiles) w.figure(profile_figure(p, k));
    }

    w.new_page();
    w.heading("Rules");
    {
        PdfWriter::Table t;
        t.header = {"Rule",    "Tech",       "Band (MHz)", "Limit (dB\xC2\xB5V/m)",
                    "Ref. BW", "Dist. (km)", "Rx (m)",     "Time / loc. (%)",
                    "Model",   "Source",     "Verified"};
        t.widths = {0.16, 0.06, 0.08, 0.06, 0.05, 0.05, 0.04, 0.06, 0.18, 0.18, 0.05};
        t.size = 6.0;
        for (std::size_t r = 0; r < p.rules->size(); ++r) {
            const BorderRule& rule = (*p.rules)[r];
            std::string tech;
            for (Technology x : rule.technologies)
                tech += (tech.empty() ? "" : "/") + std::string(technology_name(x));
            t.rows.push_back(
                {rule.id, tech, fixed(rule.band_min_mhz, 1) + "-" + fixed(rule.band_max_mhz, 1),
                 fixed(rule.limit_dbuv_per_m, 1), fixed(rule.reference_bandwidth_mhz, 1),
                 fixed(rule.distance_km, 1), fixed(rule.rx_height_agl_m, 1),
                 fixed(rule.time_percent, 0) + " / " + fixed(rule.location_percent, 0),
                 r < p.rule_models.size() ? p.rule_models[r] : rule.model, rule.source,
                 rule.verified ? "yes" : "no"});
            t.highlight.push_back(!rule.verified);
        }
        w.table(t);
    }

    w.heading("Method statement");
    for (const MethodParagraph& m : method_statement(p)) {
        w.paragraph((m.placeholder ? "[Marked place] " : "") + m.heading, 9.5, true);
        w.paragraph(m.text, 8.5, false, m.placeholder ? Colour{140, 90, 0} : Colour{});
    }
    w.paragraph("Rasters in " + p.export_crs + "; geometry computed in " + p.grid_crs + ".", 8.5);

    w.heading("Inputs");
    {
        PdfWriter::Table t;
        t.header = {"Role", "File", "SHA-256"};
        t.widths = {0.14, 0.36, 0.50};
        t.size = 7.0;
        for (const PackageInput& in : p.inputs) t.rows.push_back({in.role, in.path, in.sha256});
        w.table(t);
    }

    w.heading("Data sources and attributions");
    {
        PdfWriter::Table t;
        t.header = {"Source", "Attribution", "Licence", "Inputs"};
        t.widths = {0.25, 0.30, 0.22, 0.23};
        t.size = 7.0;
        for (const Attribution& a : attributions_for(p.inputs, p.extra_attributions)) {
            std::string ins;
            for (const std::string& i : a.inputs) ins += (ins.empty() ? "" : "\n") + i;
            t.rows.push_back({a.source, a.credit,
                              a.licence + (a.licence_url.empty() ? "" : "\n" + a.licence_url),
                              ins});
        }
        w.table(t);
    }
    w.finish(id + " - " + attribution_text);
    return w.save();
}

}  // namespace grenzfunk::report::detail
