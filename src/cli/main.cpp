// grenzfunk command line. Maps arguments onto the options structs; the one place that catches
// errors, prints one line and chooses the exit code:
//   0 success, 1 bad input, 2 usage error, 3 output could not be written, 130 interrupted.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/path_command.hpp"
#include "cli/plan_command.hpp"
#include "cli/run_scenario.hpp"
#include "core/error.hpp"
#include "core/memory_policy.hpp"
#include "core/ranks.hpp"
#include "core/version.hpp"
#include "engine/coverage.hpp"
#include "io/gdal_init.hpp"
#include "pipeline/run.hpp"
#include "propagation/registry.hpp"
#include "simd/dispatch.hpp"
#ifdef GRENZFUNK_MPI
#include "parallel_mpi/mpi_ranks.hpp"
#endif

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) {
    g_interrupted.store(true);
}

bool parse_lat_lon(const std::string& text, double& lat, double& lon) {
    return std::sscanf(text.c_str(), "%lf,%lf", &lat, &lon) == 2 && lat >= -90 && lat <= 90 &&
           lon >= -180 && lon <= 180;
}

using namespace grenzfunk;

// `run` and `validate` take the same options (validate builds the same plan).
CLI::App* add_run_command(CLI::App& app, cli::RunOptions& run) {
    CLI::App* run_cmd = app.add_subcommand(
        "run", "Run a scenario: compute every cell's coverage and write the GeoTIFFs.");
    run_cmd->add_option("scenario", run.scenario_path, "Scenario file (TOML)")
        ->required()
        ->check(CLI::ExistingFile);
    run_cmd->add_option("-o,--output", run.output_directory,
                        "Output directory (default: the scenario's output.directory, else "
                        "out/<scenario name>)");
    run_cmd->add_option("-j,--threads", run.threads, "Worker threads (default: all cores)")
        ->check(CLI::NonNegativeNumber);
    run_cmd->add_flag("-q,--quiet", run.quiet, "No progress messages on stderr");
    run_cmd
        ->add_option("--engine", run.engine,
                     "Coverage engine: fast (radial sweeps sharing profile prefixes, "
                     "docs/engine.md) or reference (every pixel its own profile); default: "
                     "the scenario's propagation.engine, else fast")
        ->check(CLI::IsMember({"fast", "reference"}));
    run_cmd
        ->add_option("--tile-rows", run.tile_rows,
                     "Compute and write the grid in bands of this many rows, so memory stays "
                     "bounded on large areas (same bytes as in one piece); 0 = automatic "
                     "(bands of about 4 million pixels); default: the scenario's "
                     "propagation.tile_rows, else automatic")
        ->check(CLI::NonNegativeNumber);
    run_cmd->add_option("--creation-time", run.creation_time,
                        "Creation time recorded in the border package (e.g. "
                        "2024-06-01T12:00:00Z); default: export.creation_time, else not given");
    run_cmd
        ->add_option("--terrain-transform", run.terrain_transform,
                     "Terrain warp coordinates: lattice (exact every 16th column of each row, "
                     "cubic in between, below 1e-8 source pixels off; default) or exact (PROJ for "
                     "every pixel, as before; for comparisons, docs/engine.md)")
        ->check(CLI::IsMember({"lattice", "exact"}));

    return run_cmd;
}

CLI::App* add_validate_command(CLI::App& app, cli::RunOptions& run) {
    CLI::App* cmd = app.add_subcommand(
        "validate",
        "Check a scenario and every input it names, and print the resolved plan (every default "
        "filled in, grid size, cells in reach, estimated memory) without computing.");
    cmd->add_option("scenario", run.scenario_path, "Scenario file (TOML)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("-o,--output", run.output_directory, "Output directory the run would use");
    cmd->add_option("--engine", run.engine, "Coverage engine: fast or reference")
        ->check(CLI::IsMember({"fast", "reference"}));
    cmd->add_option("--tile-rows", run.tile_rows, "Rows per band, as for run")
        ->check(CLI::NonNegativeNumber);
    return cmd;
}

// `plan`: new sites that close the gaps within the border limits (docs/planning.md).
CLI::App* add_plan_command(CLI::App& app, cli::PlanOptions& plan) {
    CLI::App* cmd = app.add_subcommand(
        "plan",
        "Propose new sites that close the coverage gaps within the cross-border limits (the "
        "scenario's [planning] table, docs/planning.md).");
    cmd->add_option("scenario", plan.scenario_path, "Scenario file (TOML) with [planning]")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("-o,--output", plan.output_directory,
                    "Output directory (default: the scenario's output.directory, else "
                    "out/<scenario name>)");
    cmd->add_option("-j,--threads", plan.threads, "Worker threads (default: all cores)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("-q,--quiet", plan.quiet, "No progress messages on stderr");
    cmd->add_option("--engine", plan.engine, "Coverage engine: fast or reference")
        ->check(CLI::IsMember({"fast", "reference"}));
    cmd->add_option("--creation-time", plan.creation_time,
                    "Creation time recorded in the border package");
    cmd->add_option("--baseline", plan.baseline,
                    "Propose a baseline's sites instead of the greedy search's: highest (the "
                    "highest antennas above sea level) or random:SEED; comparison.csv has all "
                    "three either way");
    return cmd;
}

struct PathArguments {
    cli::PathOptions options;
    std::string from, to;
};

CLI::App* add_path_command(CLI::App& app, PathArguments& args) {
    cli::PathOptions& path = args.options;
    std::string& from = args.from;
    std::string& to = args.to;
    CLI::App* path_cmd = app.add_subcommand(
        "path", "Loss of one path: two points on a terrain raster, or a given profile.");
    path_cmd->add_option("-m,--model", path.model, "Propagation model (see `grenzfunk models`)")
        ->capture_default_str();
    path_cmd->add_option("-p,--param", path.parameters, "Model parameter key=value (repeatable)");
    path_cmd->add_option("-f,--frequency-mhz", path.frequency_mhz,
                         "Frequency in MHz (not with --cases/--sg3, which carry their own)");
    path_cmd
        ->add_option("--tx-height-m", path.tx_height_agl_m,
                     "Transmitting antenna height above ground, m")
        ->capture_default_str();
    path_cmd
        ->add_option("--rx-height-m", path.rx_height_agl_m,
                     "Receiving antenna height above ground, m")
        ->capture_default_str();
    path_cmd->add_option("--terrain", path.terrain_files, "Terrain raster(s) GDAL can read");
    path_cmd->add_option("--scenario", path.scenario,
                         "Take terrain, CRS, model, its parameters and the receiver height from "
                         "a scenario file");
    path_cmd->add_option("--from", from, "Transmitter position LAT,LON in degrees (WGS84)");
    path_cmd->add_option("--to", to, "Receiver position LAT,LON in degrees (WGS84)");
    path_cmd->add_option("--crs", path.crs, "Projected CRS the profile is sampled in")
        ->capture_default_str();
    path_cmd->add_option("--step-m", path.step_m, "Profile sample spacing, m")
        ->capture_default_str();
    path_cmd->add_option("--profile", path.profile_file,
                         "Profile file in ITM pfl layout: intervals, step (m), heights (m)");
    path_cmd->add_flag("--print-profile", path.print_profile, "Also print the profile");
    path_cmd->add_option("--cases", path.cases_csv,
                         "Cases CSV with ITM inputs (layout of tests/data/itm_region/cases.csv); "
                         "prints id,loss_db,prop_mode,warnings");
    path_cmd->add_option("--profiles", path.profiles_dir,
                         "Directory of the cases' pfl profiles (default: beside the CSV)");
    path_cmd->add_option("-o,--output", path.output_csv, "Write the cases' results to this CSV");
    path_cmd->add_option("--sg3", path.sg3_file,
                         "ITU-R SG3 validation profile file (P.1812 or P.1546 format)");
    path_cmd
        ->add_option("--dataset", path.dataset,
                     "Data row of the SG3 file, 1 = first (Py1812's logs count from 0)")
        ->capture_default_str();

    return path_cmd;
}

int run_path_command(CLI::App* path_cmd, PathArguments& args) {
    cli::PathOptions& path = args.options;
    const std::string& from = args.from;
    const std::string& to = args.to;
    if (!from.empty() || !to.empty()) {
        if (!parse_lat_lon(from, path.from_lat_deg, path.from_lon_deg))
            throw InputError("--from: expected LAT,LON in degrees, got '" + from + "'");
        if (!parse_lat_lon(to, path.to_lat_deg, path.to_lon_deg))
            throw InputError("--to: expected LAT,LON in degrees, got '" + to + "'");
        path.has_points = true;
    }
    path.has_frequency = path_cmd->count("--frequency-mhz") > 0;
    return cli::run_path(path, g_interrupted);
}

// The ranks of this run: MPI's when mpirun or srun started the process, else one process.
std::unique_ptr<Ranks> make_ranks(int* argc, char*** argv) {
#ifdef GRENZFUNK_MPI
    if (parallel_mpi::launched_by_mpi())
        return std::make_unique<parallel_mpi::MpiRanks>(argc, argv);
#else
    (void)argc, (void)argv;
#endif
    return std::make_unique<SingleProcess>();
}

// The end of a failed run: one line on stderr and `code`. In a distributed run rank 0 prints it
// (the other ranks' errors reach it as messages) and ends every rank (MPI_Abort) once its
// outputs' staging is gone; another rank tells rank 0 and waits to be ended, and prints and ends
// the run itself only if rank 0 does not (pipeline/run.hpp).
int fail(Ranks& ranks, int code, pipeline::RankFailureKind kind, const std::string& line,
         const std::string& what) {
    if (ranks.size() > 1 && ranks.rank() != 0) pipeline::report_failure(ranks, kind, what);
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
    if (ranks.size() > 1) ranks.abort(code);
    return code;
}

// Every usage error is exit 2 with one line (CLI11's own codes run up to 100 and more).
int usage_error(CLI::App& app, const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string what = e.what();
    for (char& c : what)
        if (c == '\n' || c == '\r') c = ' ';
    while (!what.empty() && what.back() == ' ') what.pop_back();
    std::fprintf(stderr, "grenzfunk: usage error: %s (see grenzfunk --help)\n", what.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    // First, so that a signal during the start-up (GDAL's driver registration takes a while on a
    // loaded machine) is a clean interruption (exit 130, nothing written), never the default
    // termination.
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    if (core::retain_freed_memory()) core::reserve_huge_page_heap(core::huge_page_heap_bytes);
    CLI::App app{
        "grenzfunk - mobile-network coverage from real terrain for border regions.\n\n"
        "Typical use:\n"
        "  grenzfunk run data/scenarios/border_sample.toml --output out/border_sample\n"
        "  grenzfunk path --terrain data/dem/vogtland_srtm3.tif --from 50.319,11.929 \\\n"
        "                 --to 50.250,12.100 --frequency-mhz 806 --tx-height-m 35\n"
        "  grenzfunk models\n\n"
        "The scenario format is documented in docs/scenario.md. Outputs are Cloud-Optimized\n"
        "GeoTIFFs (received level in dBm, field strength in dBuV/m, best server) with\n"
        "cells.csv and manifest.json; with an [analysis] table also RSRP, SINR, coverage\n"
        "classes, gap polygons, statistics and the per-cell and per-site report\n"
        "(docs/analysis.md); with a [border] table the\n"
        "cross-border check and the regulator's package (docs/border.md).\n"
        "Exit codes: 0 ok, 1 bad input, 2 usage, 3 output not written, 130 interrupted."};
    app.set_version_flag("--version", std::string("grenzfunk ") + version_string);
    app.require_subcommand(1);
    cli::RunOptions run, validate;
    PathArguments path;
    cli::PlanOptions plan;
    CLI::App* run_cmd = add_run_command(app, run);
    CLI::App* plan_cmd = add_plan_command(app, plan);
    CLI::App* validate_cmd = add_validate_command(app, validate);
    CLI::App* path_cmd = add_path_command(app, path);
    CLI::App* models_cmd = app.add_subcommand("models", "List the propagation models.");
    std::string simd_path = "auto";
    app.add_option("--simd", simd_path,
                   "Instruction set of the vector kernels: auto (the best this CPU has), avx512, "
                   "avx2, sse4 or scalar; every choice writes the same bytes (docs/engine.md)")
        ->check(CLI::IsMember({"auto", "avx512", "avx2", "sse4", "scalar"}));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return usage_error(app, e);
    }

    // GDAL's messages are collected and folded into our one-line errors, never printed raw.
    io::initialise_gdal();
    const std::unique_ptr<Ranks> ranks = make_ranks(&argc, &argv);
    using pipeline::RankFailureKind;
    try {
        simd::use_path(simd::parse_path(simd_path).value_or(simd::Path::automatic));
        if (*run_cmd) return cli::run_scenario(run, g_interrupted, *ranks);
        if (*validate_cmd) return cli::validate_scenario(validate);
        if (*plan_cmd) return cli::plan_sites(plan, g_interrupted);
        if (*path_cmd) return run_path_command(path_cmd, path);
        if (*models_cmd) {
            for (const auto& m : propagation::registered_models())
                std::printf("%-18s %s\n", m.name.c_str(), m.summary.c_str());
            return 0;
        }
    } catch (const engine::Cancelled&) {
        return fail(*ranks, 130, RankFailureKind::cancelled,
                    "\ngrenzfunk: interrupted; no outputs were written\n", "interrupted");
    } catch (const InputError& e) {
        return fail(*ranks, 1, RankFailureKind::input,
                    std::string("grenzfunk: error: ") + e.what() + "\n", e.what());
    } catch (const OutputError& e) {
        return fail(*ranks, 3, RankFailureKind::output,
                    std::string("grenzfunk: error: ") + e.what() + "\n", e.what());
    } catch (const RankFailure& e) {
        return fail(*ranks, e.exit_code, RankFailureKind::other,
                    std::string("grenzfunk: error: ") + e.what() + "\n", e.what());
    } catch (const std::exception& e) {
        return fail(*ranks, 4, RankFailureKind::other,
                    std::string("grenzfunk: internal error: ") + e.what() + "\n", e.what());
    }
    return 0;
}
