#include "cli/plan_command.hpp"

#include <cstdio>
#include <map>
#include <memory>

#include "cli/progress.hpp"
#include "core/error.hpp"
#include "core/text_format.hpp"
#include "core/version.hpp"
#include "pipeline/observer.hpp"
#include "pipeline/site_search.hpp"

namespace grenzfunk::cli {

int plan_sites(const PlanOptions& o, const std::atomic<bool>& cancel) {
    pipeline::SiteSearchRequest request;
    request.run.scenario_path = o.scenario_path;
    request.run.output_directory = o.output_directory;
    request.run.threads = o.threads;
    if (!o.engine.empty()) request.run.engine = parse_engine(o.engine);
    request.run.creation_time = o.creation_time;
    if (o.baseline == "highest") {
        request.method = pipeline::SelectionMethod::highest;
    } else if (o.baseline.rfind("random:", 0) == 0) {
        const std::string seed = o.baseline.substr(7);
        if (seed.empty() || seed.size() > 19 ||
            seed.find_first_not_of("0123456789") != std::string::npos)
            throw InputError("--baseline: expected random:SEED with a whole number, got '" +
                             o.baseline + "'");
        request.method = pipeline::SelectionMethod::random;
        request.random_seed = std::stoull(seed);
    } else if (!o.baseline.empty()) {
        throw InputError("--baseline: '" + o.baseline + "': expected highest or random:SEED");
    }
    ConsoleObserver observer(o.quiet);
    const pipeline::SiteSearchResult r = pipeline::search_sites(request, observer, cancel);
    std::printf("grenzfunk %s: plan of '%s' done in %s s\n", version_string,
                o.scenario_path.c_str(), text::format_fixed(r.total_s, 1).c_str());
    for (const auto& line : r.lines) std::printf("  %s\n", line.c_str());
    std::printf("  %-4s %-12s %10s %10s %10s\n", "rank", "site", "closed_km2", "cumul_%",
                "margin_dB");
    for (std::size_t i = 0; i < r.sites.size(); ++i) {
        const auto& s = r.sites[i];
        std::printf("  %-4zu %-12s %10s %10s %10s\n", i + 1, s.site_id.c_str(),
                    text::format_fixed(s.gain_km2, 2).c_str(),
                    text::format_fixed(s.cumulative_share_pct, 1).c_str(),
                    text::format_fixed(s.worst_margin_db, 1, "-").c_str());
    }
    std::printf("  results in %s:\n", r.output_directory.c_str());
    for (const auto& f : r.files) std::printf("    %s\n", f.c_str());
    return 0;
}

}  // namespace grenzfunk::cli
