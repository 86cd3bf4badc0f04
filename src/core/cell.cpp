#include "core/cell.hpp"

#include <cstdio>

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

namespace grenzfunk {

namespace {

// Length of the UTF-8 sequence starting at s[i] (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), or 0 if it is not valid there.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return 1;
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

}  // namespace

std::string file_name_id_problem(std::string_view id) {
    if (id.empty()) return "empty";
    if (id.size() > kMaxFileNameIdLength)
        return std::to_string(id.size()) + " characters; at most " +
               std::to_string(kMaxFileNameIdLength) + " are allowed";
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '+';
        if (!ok) {
            const auto b = static_cast<unsigned char>(c);
            char shown[16];
            if (b >= 0x20 && b < 0x7F)
                std::snprintf(shown, sizeof shown, "'%c'", c);
            else
                std::snprintf(shown, sizeof shown, "byte 0x%02x", unsigned(b));
            return "character " + std::to_string(i + 1) + " is " + shown +
                   "; use only letters A-Z a-z, digits and . _ - +";
        }
    }
    if (id[0] == '.' || id[0] == '-') return "must not start with '.' or '-'";
    return "";
}

std::string text_field_problem(std::string_view text) {
    if (text.size() > kMaxTextFieldBytes)
        return std::to_string(text.size()) + " bytes; at most " +
               std::to_string(kMaxTextFieldBytes) + " are allowed";
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        // Line breaks and tabs are text (RFC 4180 allows them in quoted fields); other control
        // characters are not.
        if ((b < 0x20 && b != '\n' && b != '\r' && b != '\t') || b == 0x7F)
            return "holds a control character (byte " + std::to_string(i + 1) + ")";
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0) return "is not valid UTF-8 (byte " + std::to_string(i + 1) + ")";
        // C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8.
        if (n == 2 && b == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0)
            return "holds a control character (byte " + std::to_string(i + 1) + ")";
        i += n;
    }
    return "";
}

}  // namespace grenzfunk
