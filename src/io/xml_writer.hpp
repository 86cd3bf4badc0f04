// A small streaming XML writer for the style files (QGIS .qml, SLD, GDAL .aux.xml, KML): UTF-8
// text, attribute and character data escaped (XML 1.0, section 2.4 and 3.3.3), two-space
// indentation, no dependency on a DOM library. Elements are closed in the reverse order of
// opening; text() writes character data inside the innermost open element.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace grenzfunk::io {

// Escapes &, <, >, " and ' and replaces control characters that XML 1.0 forbids (all below
// U+0020 except tab, line feed, carriage return) by a space.
std::string xml_escape(std::string_view text);

class XmlWriter {
  public:
    using Attributes = std::vector<std::pair<std::string, std::string>>;

    // Starts the document with the XML declaration (UTF-8), unless `declaration` is false.
    explicit XmlWriter(bool declaration = true);
    // A line copied as is (e.g. a DOCTYPE); only before the first element.
    void raw_line(std::string_view line);
    void open(std::string_view name, const Attributes& attributes = {});
    // An element without children: <name a="..."/>.
    void empty(std::string_view name, const Attributes& attributes = {});
    // <name>text</name> on one line.
    void leaf(std::string_view name, std::string_view text, const Attributes& attributes = {});
    void close();
    // Closes every open element and returns the document.
    std::string finish();

  private:
    void start_tag(std::string_view name, const Attributes& attributes);
    std::string out_;
    std::vector<std::string> open_;
};

}  // namespace grenzfunk::io
