#include "core/source.h"

#include <algorithm>
#include <utility>

namespace vg {

SourceFile::SourceFile(std::string file_path, std::string file_text)
    : path(std::move(file_path)), text(std::move(file_text)) {
  line_starts_.push_back(0);
  for (size_t i = text.find('\n'); i != std::string::npos; i = text.find('\n', i + 1)) line_starts_.push_back(i + 1);
}

std::string_view SourceFile::line(int number) const {
  if (number < 1 || size_t(number) > line_starts_.size()) return {};
  const size_t begin = line_starts_[size_t(number) - 1];
  if (begin > text.size()) return {};
  const size_t end = text.find('\n', begin);
  std::string_view l = std::string_view(text).substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

std::string SourceLoc::str() const {
  if (!file || line <= 0) return path();
  return path() + ":" + std::to_string(line) + ":" + std::to_string(col);
}

TextOrigin TextOrigin::verbatim(std::string_view text, const SourceLoc& loc, int continuation_col) {
  TextOrigin o;
  o.pieces.push_back({0, loc});
  int line = loc.line;
  for (size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1))
    o.pieces.push_back({i + 1, SourceLoc{loc.file, ++line, continuation_col}});
  return o;
}

SourceLoc TextOrigin::at(size_t offset) const {
  if (pieces.empty()) return {};
  auto it =
      std::upper_bound(pieces.begin(), pieces.end(), offset, [](size_t off, const Piece& p) { return off < p.offset; });
  if (it == pieces.begin()) return pieces.front().loc;
  --it;
  return it->loc.shifted(static_cast<int>(offset - it->offset));
}

}  // namespace vg
