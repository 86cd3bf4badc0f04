#include "io/gdal_init.hpp"

#include <gdal.h>

#include <cpl_conv.h>
#include <cpl_error.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

namespace grenzfunk::io {

namespace {

struct Message {
    bool failure = false;
    std::string text;
};

// Bounded so that a loop over millions of pixels that warns each time cannot exhaust memory.
constexpr std::size_t max_messages_per_thread = 64;

struct ThreadMessages {
    std::vector<Message> messages;
    int scope_depth = 0;
};

ThreadMessages& thread_messages() {
    thread_local ThreadMessages state;
    return state;
}

void CPL_STDCALL collect_message(CPLErr error_class, CPLErrorNum /*error_number*/,
                                 const char* text) {
    if (error_class == CE_Debug) {
        // Only reaches us when CPL_DEBUG is set: the user asked to see these.
        CPLDefaultErrorHandler(error_class, CPLE_None, text);
        return;
    }
    if (error_class == CE_None) return;
    auto& state = thread_messages();
    const bool failure = error_class == CE_Failure || error_class == CE_Fatal;
    // Warnings may fill only three quarters of the list, so a failure after a flood of warnings
    // is still recorded.
    const std::size_t limit = failure ? max_messages_per_thread : max_messages_per_thread / 4 * 3;
    if (state.messages.size() >= limit) return;
    state.messages.push_back({failure, text ? text : ""});
}

std::vector<std::string> select(std::size_t start, bool failures) {
    const auto& all = thread_messages().messages;
    std::vector<std::string> out;
    for (std::size_t i = start; i < all.size(); ++i) {
        if (all[i].failure != failures) continue;
        if (std::find(out.begin(), out.end(), all[i].text) == out.end()) {
            out.push_back(all[i].text);
        }
    }
    return out;
}

// The first few messages carry the cause; later ones are usually consequences.
std::string join(const std::vector<std::string>& parts) {
    constexpr std::size_t max_shown = 4;
    std::string out;
    for (std::size_t i = 0; i < parts.size() && i < max_shown; ++i) {
        if (!out.empty()) out += "; ";
        out += parts[i];
    }
    if (parts.size() > max_shown) {
        out += " (and " + std::to_string(parts.size() - max_shown) + " more)";
    }
    return out;
}

}  // namespace

void initialise_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(collect_message);
    });
}

GdalMessages::GdalMessages() {
    initialise_gdal();
    auto& state = thread_messages();
    if (state.scope_depth == 0) state.messages.clear();
    ++state.scope_depth;
    start_ = state.messages.size();
}

GdalMessages::~GdalMessages() {
    auto& state = thread_messages();
    --state.scope_depth;
    if (state.scope_depth == 0) state.messages.clear();
}

bool GdalMessages::has_failure() const {
    const auto& all = thread_messages().messages;
    return std::any_of(all.begin() + static_cast<std::ptrdiff_t>(start_), all.end(),
                       [](const Message& m) { return m.failure; });
}

std::vector<std::string> GdalMessages::failures() const {
    return select(start_, true);
}

std::vector<std::string> GdalMessages::warnings() const {
    return select(start_, false);
}

std::string GdalMessages::summary() const {
    auto text = join(failures());
    if (text.empty()) text = join(warnings());
    if (text.empty()) text = "no message from GDAL";
    return text;
}

}  // namespace grenzfunk::io
