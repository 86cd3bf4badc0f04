// Units, grids, terrain profiles and CRS transforms.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "core/grid.hpp"
#include "core/memory_policy.hpp"
#include "core/units.hpp"
#include "io/crs.hpp"
#include "propagation/free_space.hpp"
#include "terrain/terrain.hpp"

#if __has_include(<malloc.h>) && __has_include(<unistd.h>)
#include <malloc.h>
#include <unistd.h>
#endif

using namespace grenzfunk;

TEST_CASE("field strength from received level matches ITU-R P.525", "[core][units]") {
    // P.525-4 eq. (4)/(5) family: for an e.i.r.p. of P dBW at d km in free space,
    // E = 74.8 + P - 20 log10 d (dBuV/m). Our path: Pr = EIRP - Lbf, E = Pr + 20 log f + 77.2.
    for (double f_mhz : {100.0, 806.0, 3600.0}) {
        const double eirp_dbm = 60.0;  // 30 dBW
        const double pr_dbm = eirp_dbm - propagation::free_space_loss_db(f_mhz, 5000.0);
        const double e = units::field_dbuv_per_m_from_rx_dbm(pr_dbm, f_mhz);
        CHECK(e == Approx(74.8 + 30.0 - 20.0 * std::log10(5.0)).margin(0.05));
        CHECK(units::rx_dbm_from_field_dbuv_per_m(e, f_mhz) == Approx(pr_dbm).margin(1e-9));
    }
    // kTB at 290 K: -174 dBm/Hz; 10 MHz -> -104 dBm.
    CHECK(units::thermal_noise_dbm(10e6) == Approx(-103.975).margin(0.01));
    CHECK(units::wavelength_m(299.792458) == Approx(1.0));
}

TEST_CASE("grid geometry: centres, containment, geotransform", "[core][grid]") {
    GridSpec g;
    g.origin_x_m = 1000.0;
    g.origin_y_m = 5000.0;
    g.pixel_size_m = 100.0;
    g.width = 4;
    g.height = 3;
    CHECK(g.centre_x_m(0) == 1050.0);
    CHECK(g.centre_y_m(0) == 4950.0);
    CHECK(g.centre_x_m(3) == 1350.0);
    CHECK(g.centre_y_m(2) == 4750.0);
    CHECK(g.contains(1000.0, 5000.0));
    CHECK_FALSE(g.contains(1400.0, 4900.0));
    CHECK_FALSE(g.contains(1100.0, 4700.0));
    double gt[6];
    g.geotransform(gt);
    CHECK(gt[0] == 1000.0);
    CHECK(gt[3] == 5000.0);
    CHECK(gt[5] == -100.0);
    Raster<float> r(g, -1.0f);
    r.at(3, 2) = 7.0f;
    CHECK(r.values[11] == 7.0f);
    CHECK(r.values.size() == 12);
}

TEST_CASE("terrain: bilinear interpolation is exact on a plane, profiles sample it", "[terrain]") {
    GridSpec g;
    g.pixel_size_m = 100.0;
    g.width = 50;
    g.height = 40;
    g.origin_x_m = 0.0;
    g.origin_y_m = 4000.0;
    Raster<float> z(g, NAN);
    // Plane z = 100 + 0.01 x + 0.02 y at pixel centres.
    for (int r = 0; r < g.height; ++r)
        for (int c = 0; c < g.width; ++c)
            z.at(c, r) = float(100.0 + 0.01 * g.centre_x_m(c) + 0.02 * g.centre_y_m(r));
    terrain::TerrainModel t(z);
    CHECK(t.elevation_at(1234.0, 2345.0) == Approx(100.0 + 12.34 + 46.9).margin(1e-3));
    CHECK(std::isnan(t.elevation_at(-100.0, 2000.0)));

    std::vector<double> profile;
    const double step = t.profile(500.0, 500.0, 3500.0, 3500.0, 100.0, profile);
    const double length = std::hypot(3000.0, 3000.0);
    REQUIRE(step > 0.0);
    CHECK(profile.size() == std::size_t(std::ceil(length / 100.0)) + 1);
    CHECK(step * double(profile.size() - 1) == Approx(length));
    CHECK(profile.front() == Approx(100.0 + 5.0 + 10.0).margin(1e-3));
    CHECK(profile.back() == Approx(100.0 + 35.0 + 70.0).margin(1e-3));

    // A hole on the way makes the profile invalid.
    z.at(20, 20) = NAN;
    terrain::TerrainModel holey(z);
    CHECK(holey.profile(0.0 + 50, 4000.0 - 2050, 4950.0, 4000.0 - 2050, 100.0, profile) < 0.0);
}

TEST_CASE("crs: PROJ transforms WGS84 to ETRS89 / UTM 32N", "[io][crs]") {
    io::LonLatTransform t("EPSG:25832");
    double x, y;
    // On the central meridian (9 E): easting 500000 m; northing = 0.9996 x the GRS80 meridian
    // arc to 50 N (5 540 847.04 m) = 5 538 630.70 m.
    REQUIRE(t.forward(9.0, 50.0, x, y));
    CHECK(x == Approx(500000.0).margin(0.01));
    CHECK(y == Approx(5538630.70).margin(0.05));
    double lon, lat;
    REQUIRE(t.inverse(x, y, lon, lat));
    CHECK(lon == Approx(9.0).margin(1e-9));
    CHECK(lat == Approx(50.0).margin(1e-9));
    CHECK_THROWS_WITH(io::projected_crs_wkt("EPSG:4326", "s.toml:3"),
                      Catch::Contains("not a projected CRS"));
    CHECK_THROWS_WITH(io::projected_crs_wkt("EPSG:999999", "s.toml:3"),
                      Catch::Contains("s.toml:3: grid.crs: unknown CRS"));
}

// The sanitizers bring their own allocator, which ignores mallopt.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GRENZFUNK_TEST_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GRENZFUNK_TEST_OWN_ALLOCATOR 1
#endif
#endif

TEST_CASE("memory policy: glibc takes both allocator settings", "[core]") {
#if defined(__GLIBC__) && !defined(GRENZFUNK_TEST_OWN_ALLOCATOR)
    // What the CLI calls first; false would mean the policy silently did nothing (as when the
    // glibc test in memory_policy.cpp once ran before any header defined __GLIBC__).
    CHECK(grenzfunk::core::retain_freed_memory());
#else
    // Whatever the sanitizer's mallopt answers, its allocator does not follow it.
    (void)grenzfunk::core::retain_freed_memory();
    WARN("not glibc's allocator here: the policy does not apply, nothing to check");
#endif
}

TEST_CASE("memory policy: the heap grown for huge pages is marked so", "[core]") {
#if defined(__GLIBC__) && !defined(GRENZFUNK_TEST_OWN_ALLOCATOR)
    REQUIRE(grenzfunk::core::retain_freed_memory());
    constexpr std::uintptr_t huge_page_bytes = std::uintptr_t(2) << 20;
    constexpr std::size_t grown_bytes = std::size_t(64) << 20;
    REQUIRE(grenzfunk::core::reserve_huge_page_heap(grown_bytes));
    // The heap's free top (mallinfo2's keepcost) is at least as large now, and the kernel's flags
    // of the mapping that holds its middle say MADV_HUGEPAGE ("hg", proc(5), smaps VmFlags).
    const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
    CHECK(mallinfo2().keepcost >= grown_bytes);
    const std::uintptr_t probe = (end - grown_bytes / 2) & ~(huge_page_bytes - 1);
    std::ifstream smaps("/proc/self/smaps");
    REQUIRE(smaps);
    std::string line, flags;
    bool inside = false;
    while (std::getline(smaps, line)) {
        unsigned long long lo = 0, hi = 0;
        char dash = 0;
        std::istringstream head(line);
        if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
            inside = lo <= probe && probe < hi;
        } else if (inside && line.rfind("VmFlags:", 0) == 0) {
            flags = line + " ";
            break;
        }
    }
    INFO("VmFlags of the grown heap: " << flags);
    CHECK(flags.find(" hg ") != std::string::npos);
#else
    CHECK_FALSE(grenzfunk::core::reserve_huge_page_heap(grenzfunk::core::huge_page_heap_bytes));
    WARN("not glibc's allocator here: the heap is not grown, nothing more to check");
#endif
}
