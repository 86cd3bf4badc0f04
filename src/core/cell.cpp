#include "core/cell.hpp"

namespace grenzfunk {

const char* technology_name(Technology t) {
    switch (t) {
        case Technology::gsm:
            return "GSM";
        case Technology::umts:
            return "UMTS";
        case Technology::lte:
            return "LTE";
        case Technology::nr:
            return "NR";
        case Technology::other:
            return "other";
    }
    return "other";
}

}  // namespace grenzfunk
