#include "report/package.hpp"

#include <zlib.h>

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogr_spatialref.h>
#include <openssl/evp.h>
#include <unistd.h>
#include <algorithm>

#include <array>
#include <cmath>
#include <cstdio>
#include <memory>

#include "core/error.hpp"
#include "io/checksum.hpp"
#include "io/crs.hpp"
#include "io/gdal_init.hpp"
#include "io/geotiff_writer.hpp"
#include "report/package_internal.hpp"
#include "report/report_pdf.hpp"
#include "report/station_records.hpp"

namespace grenzfunk::report {

using namespace grenzfunk::io;  // the report room builds on the readers and writers

namespace fs = std::filesystem;
using namespace detail;

namespace {

struct DatasetCloser {
    void operator()(GDALDataset* d) const {
        if (d) GDALClose(d);
    }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

OGRSpatialReference srs_from(const std::string& definition, const std::string& what) {
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(definition.c_str()) != OGRERR_NONE)
        throw InputError(what + ": unknown CRS '" + definition + "'");
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

// CRC-32 (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320, reflected), as zip requires.
std::uint32_t crc32(std::string_view data) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : data) c = table[(c ^ b) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void put16(std::string& out, std::uint32_t v) {
    out += char(v & 0xFFu);
    out += char((v >> 8) & 0xFFu);
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, v & 0xFFFFu);
    put16(out, (v >> 16) & 0xFFFFu);
}

std::map<std::string, std::string> package_metadata(const BorderPackage& p) {
    std::map<std::string, std::string> m;
    m["GRENZFUNK_VERSION"] = p.software;
    m["GRENZFUNK_SCENARIO"] = p.scenario_name;
    m["GRENZFUNK_SCENARIO_FILE"] = p.scenario_file;
    m["GRENZFUNK_SCENARIO_SHA256"] = p.scenario_sha256;
    m["GRENZFUNK_CREATION_TIME"] = p.creation_time.empty() ? "not given" : p.creation_time;
    m["GRENZFUNK_HOME_COUNTRY"] = p.home_country;
    m["GRENZFUNK_NEIGHBOUR_COUNTRY"] = p.neighbour_country;
    m["GRENZFUNK_GRID_CRS"] = p.grid_crs;
    for (std::size_t i = 0; i < p.inputs.size(); ++i) {
        char key[64];
        std::snprintf(key, sizeof key, "GRENZFUNK_INPUT_%02zu", i + 1);
        m[key] = p.inputs[i].role + " " + p.inputs[i].path + " sha256=" + p.inputs[i].sha256;
    }
    return m;
}

void add_rule_metadata(const BorderPackage& p, std::map<std::string, std::string>& m) {
    for (std::size_t r = 0; r < p.rules->size(); ++r) {
        const analysis::BorderRule& rule = (*p.rules)[r];
        char key[64];
        std::snprintf(key, sizeof key, "GRENZFUNK_BORDER_RULE_%02zu", r + 1);
        m[key] = rule.id + ": " + fixed(rule.limit_dbuv_per_m, 1) + " dBuV/m per " +
                 fixed(rule.reference_bandwidth_mhz, 1) + " MHz at " + fixed(rule.distance_km, 1) +
                 " km, " + fixed(rule.rx_height_agl_m, 1) + " m, " + fixed(rule.time_percent, 0) +
                 " % time, " + fixed(rule.location_percent, 0) + " % locations, model " +
                 (r < p.rule_models.size() ? p.rule_models[r] : rule.model) + "; source " +
                 rule.source + "; verified=" + (rule.verified ? "true" : "false");
    }
}

void write_float_tif(OutputSet& outputs, const fs::path& path, Raster<float> raster,
                     const std::string& description, const std::string& unit,
                     const std::map<std::string, std::string>& metadata) {
    RasterWriteOptions o;
    o.band_description = description;
    o.unit = unit;
    o.metadata = metadata;
    outputs.add_geotiff(path, nan_to_nodata(std::move(raster)), o);
}

}  // namespace

namespace {

// Raw deflate (RFC 1951, as zip method 8 wants it: no zlib header) at a fixed level, window and
// memory level, so the same data give the same bytes with the same zlib. Empty when deflate
// fails or does not make the data smaller (the entry is then stored).
std::string raw_deflate(const std::string& data) {
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out(deflateBound(&z, uLong(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    const int status = deflate(&z, Z_FINISH);
    const auto written = std::size_t(z.total_out);
    deflateEnd(&z);
    if (status != Z_STREAM_END || written >= data.size()) return {};
    out.resize(written);
    return out;
}

}  // namespace

std::string zip_archive(const std::vector<std::pair<std::string, std::string>>& entries) {
    // PKWARE APPNOTE 6.3: local file header, data, ..., central directory, end record.
    constexpr std::uint32_t dos_time = 0;                           // 00:00:00
    constexpr std::uint32_t dos_date = (0u << 9) | (1u << 5) | 1u;  // 1980-01-01
    std::string out;
    std::string central;
    for (const auto& [name, data] : entries) {
        if (data.size() >= 0xFFFFFFFFu || out.size() >= 0xFFFFFFFFu)
            throw OutputError(name + ": too large for a zip without ZIP64");
        const std::uint32_t offset = std::uint32_t(out.size());
        const std::uint32_t crc = crc32(data);
        const std::string deflated = raw_deflate(data);
        const bool stored = deflated.empty();
        const std::string& body = stored ? data : deflated;
        const auto size = std::uint32_t(data.size());
        const auto compressed_size = std::uint32_t(body.size());
        const std::uint32_t version = stored ? 10 : 20;  // 1.0 stored, 2.0 deflate
        const std::uint32_t method = stored ? 0 : 8;
        put32(out, 0x04034b50u);
        put16(out, version);
        put16(out, 0x0800);  // flags: UTF-8 names
        put16(out, method);
        put16(out, dos_time);
        put16(out, dos_date);
        put32(out, crc);
        put32(out, compressed_size);
        put32(out, size);
        put16(out, std::uint32_t(name.size()));
        put16(out, 0);
        out += name;
        out += body;

        put32(central, 0x02014b50u);
        put16(central, 0x031E);  // made by: Unix, 3.0
        put16(central, version);
        put16(central, 0x0800);
        put16(central, method);
        put16(central, dos_time);
        put16(central, dos_date);
        put32(central, crc);
        put32(central, compressed_size);
        put32(central, size);
        put16(central, std::uint32_t(name.size()));
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put32(central, 0100644u << 16);  // regular file, rw-r--r--
        put32(central, offset);
        central += name;
    }
    const auto central_offset = std::uint32_t(out.size());
    out += central;
    put32(out, 0x06054b50u);
    put16(out, 0);
    put16(out, 0);
    put16(out, std::uint32_t(entries.size()));
    put16(out, std::uint32_t(entries.size()));
    put32(out, std::uint32_t(central.size()));
    put32(out, central_offset);
    put16(out, 0);
    return out;
}

std::string encode_png_rgba(int width, int height, const std::vector<std::uint8_t>& rgba) {
    if (width <= 0 || height <= 0 || rgba.size() != std::size_t(width) * std::size_t(height) * 4)
        throw OutputError("PNG: image size does not match its pixels");
    GdalMessages messages;
    CPLConfigOptionSetter no_pam("GDAL_PAM_ENABLED", "NO", false);
    auto* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    auto* png = GetGDALDriverManager()->GetDriverByName("PNG");
    if (!mem || !png) throw OutputError("PNG: GDAL lacks the MEM or PNG driver");
    DatasetPtr ds(mem->Create("", width, height, 4, GDT_Byte, nullptr));
    if (!ds) throw OutputError("PNG: " + messages.summary());
    for (int b = 0; b < 4; ++b) {
        if (ds->GetRasterBand(b + 1)->RasterIO(
                GF_Write, 0, 0, width, height, const_cast<std::uint8_t*>(rgba.data()) + b, width,
                height, GDT_Byte, 4, GSpacing(4) * width, nullptr) != CE_None)
            throw OutputError("PNG: " + messages.summary());
        ds->GetRasterBand(b + 1)->SetColorInterpretation(GDALColorInterp(GCI_RedBand + b));
    }
    static std::atomic<unsigned> counter{0};
    const std::string name = "/vsimem/grenzfunk_png_" + std::to_string(::getpid()) + "_" +
                             std::to_string(counter++) + ".png";
    {
        const char* options[] = {"ZLEVEL=6", nullptr};
        DatasetPtr out(png->CreateCopy(name.c_str(), ds.get(), FALSE, const_cast<char**>(options),
                                       nullptr, nullptr));
        if (!out) throw OutputError("PNG: " + messages.summary());
    }
    vsi_l_offset length = 0;
    GByte* bytes = VSIGetMemFileBuffer(name.c_str(), &length, TRUE);
    std::string result(reinterpret_cast<const char*>(bytes), std::size_t(length));
    CPLFree(bytes);
    VSIUnlink((name + ".aux.xml").c_str());
    return result;
}

Raster<float> warp_raster(const Raster<float>& source, const std::string& target_crs,
                          bool nearest) {
    GdalMessages messages;
    const OGRSpatialReference s_srs = srs_from(
        source.grid.crs_wkt.empty() ? source.grid.crs : source.grid.crs_wkt, "warp source");
    const OGRSpatialReference t_srs = srs_from(target_crs, "export.crs");
    if (s_srs.IsSame(&t_srs)) {
        Raster<float> copy = source;
        copy.grid.crs = target_crs;
        return copy;
    }
    auto* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    const GridSpec& g = source.grid;
    DatasetPtr src(mem->Create("", g.width, g.height, 1, GDT_Float32, nullptr));
    if (!src) throw OutputError("warp: " + messages.summary());
    std::vector<float> values = source.values;
    for (float& v : values)
        if (v == source.nodata) v = NAN;
    if (src->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, g.width, g.height, values.data(), g.width,
                                        g.height, GDT_Float32, 0, 0, nullptr) != CE_None)
        throw OutputError("warp: " + messages.summary());
    double gt[6];
    g.geotransform(gt);
    src->SetGeoTransform(gt);
    src->SetSpatialRef(&s_srs);
    src->GetRasterBand(1)->SetNoDataValue(NAN);

    const double res = t_srs.IsGeographic() ? g.pixel_size_m / 111320.0 : g.pixel_size_m;
    char res_text[64];
    std::snprintf(res_text, sizeof res_text, "%.12g", res);
    const std::string t_wkt = wkt2_of(t_srs);
    CPLStringList args;
    for (const char* a : {"-of", "MEM", "-t_srs"}) args.AddString(a);
    args.AddString(t_wkt.c_str());
    const char* resampling = nearest ? "near" : "bilinear";
    for (const char* a :
         {"-tr", static_cast<const char*>(res_text), static_cast<const char*>(res_text), "-tap",
          "-r", resampling, "-srcnodata", "nan", "-dstnodata", "nan", "-et", "0", "-wo",
          "NUM_THREADS=1"})
        args.AddString(a);
    std::unique_ptr<GDALWarpAppOptions, void (*)(GDALWarpAppOptions*)> options(
        GDALWarpAppOptionsNew(args.List(), nullptr), &GDALWarpAppOptionsFree);
    if (!options) throw OutputError("warp: " + messages.summary());
    GDALDatasetH sources[1] = {GDALDataset::ToHandle(src.get())};
    int usage_error = 0;
    DatasetPtr out(
        GDALDataset::FromHandle(GDALWarp("", nullptr, 1, sources, options.get(), &usage_error)));
    if (!out) throw OutputError("warp to " + target_crs + ": " + messages.summary());

    Raster<float> result;
    double ogt[6];
    out->GetGeoTransform(ogt);
    result.grid.crs = target_crs;
    result.grid.crs_wkt = t_wkt;
    result.grid.origin_x_m = ogt[0];
    result.grid.origin_y_m = ogt[3];
    result.grid.pixel_size_m = ogt[1];
    result.grid.width = out->GetRasterXSize();
    result.grid.height = out->GetRasterYSize();
    result.nodata = NAN;
    result.values.resize(result.grid.pixel_count());
    if (out->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, result.grid.width, result.grid.height,
                                        result.values.data(), result.grid.width, result.grid.height,
                                        GDT_Float32, 0, 0, nullptr) != CE_None)
        throw OutputError("warp: " + messages.summary());
    return result;
}

std::vector<PackageFile> write_border_package(OutputSet& outputs, const fs::path& directory,
                                              const BorderPackage& p) {
    if (!p.cells || !p.rules || !p.report || !p.geometry)
        throw std::invalid_argument("write_border_package: incomplete package");
    srs_from(p.export_crs, "export.crs");  // reject an unknown CRS before writing anything
    const ToLonLat ll(p.grid_crs);

    const fs::path& staging = directory;

    struct FileEntry {
        std::string name, holds;
    };
    std::vector<FileEntry> files;
    {
        const std::map<std::string, std::string> base = package_metadata(p);
        if (p.exceedance_db) {
            std::map<std::string, std::string> m = base;
            add_rule_metadata(p, m);
            m["GRENZFUNK_EXPORT_CRS"] = p.export_crs;
            m["GRENZFUNK_LAYER"] =
                "field strength minus limit, max over the home cells and the rules in force";
            write_float_tif(outputs, staging / "exceedance_db.tif",
                            warp_raster(*p.exceedance_db, p.export_crs, true),
                            "border exceedance: field strength minus limit (max over cells)", "dB",
                            m);
            files.push_back({"exceedance_db.tif",
                             "field strength minus limit, max over cells and rules in force, "
                             "over the neighbour territory (dB; > 0 = exceeded)"});
        }
        if (p.coverage_field_dbuv_per_m) {
            std::map<std::string, std::string> m = base;
            for (const auto& [k, v] : p.coverage_metadata) m[k] = v;
            m["GRENZFUNK_EXPORT_CRS"] = p.export_crs;
            write_float_tif(outputs, staging / "coverage_field_strength_dbuv_per_m.tif",
                            warp_raster(*p.coverage_field_dbuv_per_m, p.export_crs, false),
                            "strongest field strength of any cell (coverage run)", "dBuV/m", m);
            files.push_back({"coverage_field_strength_dbuv_per_m.tif",
                             "strongest field strength of any cell from the coverage run "
                             "(dBuV/m)"});
        }
        outputs.add_text(staging / "border_report.csv", report_csv(p, ll));
        files.push_back({"border_report.csv", "one row per home cell and applicable rule"});
        outputs.add_text(staging / "border_sites.csv", sites_csv(p));
        files.push_back({"border_sites.csv", "one row per site"});
        outputs.add_text(staging / "border_lines.geojson", lines_geojson(p, ll));
        files.push_back({"border_lines.geojson",
                         "border and distance lines, worst points of failed checks (WGS84)"});

        const Image map = render_map(p, 1000);
        outputs.add_text(staging / "border_map.png",
                         encode_png_rgba(map.width, map.height, map.rgba));
        files.push_back({"border_map.png",
                         "map of the region: coverage, border lines, sites, "
                         "exceedance"});
        outputs.add_text(staging / "border_report.html", report_html(p, ll));
        files.push_back({"border_report.html",
                         "the report, self-contained (map and profiles inline), prints on A4"});
        outputs.add_text(staging / "border_report.pdf", report_pdf(p, ll));
        files.push_back({"border_report.pdf", "the report as an A4 PDF"});

        if (p.kmz) {
            std::vector<std::pair<std::string, std::string>> entries;
            double box[4] = {0, 0, 0, 0};
            std::string overlay;
            if (p.exceedance_db) {
                const Raster<float> geo = warp_raster(*p.exceedance_db, "EPSG:4326", true);
                const Image img = colour_exceedance(geo);
                overlay = "exceedance.png";
                box[0] = geo.grid.origin_x_m;
                box[3] = geo.grid.origin_y_m;
                box[2] = geo.grid.origin_x_m + geo.grid.width * geo.grid.pixel_size_m;
                box[1] = geo.grid.origin_y_m - geo.grid.height * geo.grid.pixel_size_m;
                entries.emplace_back("doc.kml", overlay_kml(p, ll, overlay, box));
                entries.emplace_back(overlay, encode_png_rgba(img.width, img.height, img.rgba));
            } else {
                entries.emplace_back("doc.kml", overlay_kml(p, ll, "", box));
            }
            outputs.add_text(staging / "border_overlay.kmz", zip_archive(entries));
            files.push_back({"border_overlay.kmz",
                             "Google Earth overlay: exceedance, border "
                             "lines, sites, worst points"});
        }

        {
            std::vector<StationRecord> records;
            for (std::size_t i = 0; i < p.cells->size(); ++i)
                records.push_back(make_station_record(
                    (*p.cells)[i], i < p.site_ground_asl_m.size() ? p.site_ground_asl_m[i] : NAN));
            outputs.add_text(staging / "station_records.csv", station_records_csv(records));
            files.push_back({"station_records.csv",
                             "per home cell the data items of a coordination record (HCM)"});
            outputs.add_text(staging / "station_records.txt", station_records_fixed(records));
            files.push_back({"station_records.txt",
                             "the same as fixed-width records in the HCM Annex 2 field order "
                             "(layout: docs/border.md)"});
        }

        // The rasters' side-cars (QGIS styles, GDAL category names) that the OutputSet wrote.
        for (const OutputSet::File& f : outputs.files()) {
            const fs::path rel = f.final_path.lexically_relative(staging);
            if (rel.empty() || *rel.begin() == "..") continue;
            const std::string name = rel.generic_string();
            if (std::none_of(files.begin(), files.end(),
                             [&](const FileEntry& e) { return e.name == name; }))
                files.push_back({name, f.holds});
        }
        std::vector<std::string> names;
        for (const auto& f : files) names.push_back(f.name);
        names.push_back("border_report.json");
        names.push_back("manifest.json");
        outputs.add_text(staging / "border_report.json", report_json(p, ll, names));
        files.push_back({"border_report.json", "the complete report, machine-readable"});

        std::map<std::string, OutputSet::File> written;
        for (const OutputSet::File& f : outputs.files()) {
            const fs::path rel = f.final_path.lexically_relative(staging);
            if (!rel.empty() && *rel.begin() != "..") written[rel.generic_string()] = f;
        }
        // The same schema as the run's manifest (pipeline/manifest.cpp): the files under
        // "outputs".
        nlohmann::ordered_json m;
        m["package"] = "grenzfunk cross-border coordination package";
        m["software"] = p.software;
        m["scenario"] = p.scenario_name;
        m["scenario_file"] = p.scenario_file;
        m["scenario_sha256"] = p.scenario_sha256;
        m["creation_time"] = p.creation_time.empty() ? "not given" : p.creation_time;
        m["crs"] = p.export_crs;
        nlohmann::ordered_json listed = nlohmann::ordered_json::array();
        for (const auto& file : files) {
            const OutputSet::File& f = written.at(file.name);
            listed.push_back({{"file", file.name},
                              {"bytes", f.bytes},
                              {"sha256", f.sha256},
                              {"holds", file.holds}});
        }
        m["outputs"] = std::move(listed);
        nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
        for (const auto& in : p.inputs)
            inputs.push_back({{"role", in.role}, {"path", in.path}, {"sha256", in.sha256}});
        m["inputs"] = std::move(inputs);
        outputs.add_text(staging / "manifest.json", json_text(m));
        files.push_back({"manifest.json", "this list"});
    }
    std::vector<PackageFile> written_files;
    for (const auto& f : files) written_files.push_back({f.name, f.holds});
    return written_files;
}

}  // namespace grenzfunk::report
