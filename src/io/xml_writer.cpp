#include "io/xml_writer.hpp"

namespace grenzfunk::io {

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
                    out += ' ';
                else
                    out += c;
        }
    }
    return out;
}

XmlWriter::XmlWriter(bool declaration) {
    if (declaration) out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
}

void XmlWriter::raw_line(std::string_view line) {
    out_.append(line);
    out_ += '\n';
}

void XmlWriter::start_tag(std::string_view name, const Attributes& attributes) {
    out_.append(2 * open_.size(), ' ');
    out_ += '<';
    out_.append(name);
    for (const auto& [key, value] : attributes) {
        out_ += ' ';
        out_ += key;
        out_ += "=\"";
        out_ += xml_escape(value);
        out_ += '"';
    }
}

void XmlWriter::open(std::string_view name, const Attributes& attributes) {
    start_tag(name, attributes);
    out_ += ">\n";
    open_.emplace_back(name);
}

void XmlWriter::empty(std::string_view name, const Attributes& attributes) {
    start_tag(name, attributes);
    out_ += "/>\n";
}

void XmlWriter::leaf(std::string_view name, std::string_view text, const Attributes& attributes) {
    start_tag(name, attributes);
    out_ += '>';
    out_ += xml_escape(text);
    out_ += "</";
    out_.append(name);
    out_ += ">\n";
}

void XmlWriter::close() {
    if (open_.empty()) return;
    const std::string name = std::move(open_.back());
    open_.pop_back();
    out_.append(2 * open_.size(), ' ');
    out_ += "</";
    out_ += name;
    out_ += ">\n";
}

std::string XmlWriter::finish() {
    while (!open_.empty()) close();
    return std::move(out_);
}

}  // namespace grenzfunk::io
