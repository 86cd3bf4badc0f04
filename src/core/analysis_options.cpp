#include "core/analysis_options.hpp"

namespace grenzfunk::analysis {

double default_location_sigma_db(Environment environment) {
    switch (environment) {
        case Environment::rural:
            return 5.5;
        case Environment::suburban:
            return 6.5;
        case Environment::urban:
            return 8.0;
    }
    return 5.5;
}

const char* environment_name(Environment environment) {
    switch (environment) {
        case Environment::rural:
            return "rural";
        case Environment::suburban:
            return "suburban";
        case Environment::urban:
            return "urban";
    }
    return "rural";
}

}  // namespace grenzfunk::analysis
