#include "core/source.h"

namespace vg {

std::string_view SourceFile::line(int number) const {
  if (number < 1) return {};
  std::string_view t = text;
  size_t begin = 0;
  for (int n = 1; n < number; ++n) {
    size_t nl = t.find('\n', begin);
    if (nl == std::string_view::npos) return {};
    begin = nl + 1;
  }
  size_t end = t.find('\n', begin);
  std::string_view l = t.substr(begin, end == std::string_view::npos ? t.size() - begin : end - begin);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

std::string SourceLoc::str() const {
  if (!file || line <= 0) return path();
  return path() + ":" + std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace vg
