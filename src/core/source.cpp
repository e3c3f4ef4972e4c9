#include "core/source.h"

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

}  // namespace vg
