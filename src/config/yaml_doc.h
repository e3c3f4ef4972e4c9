// A small YAML document tree that keeps the position of every node (keys included), built from
// yaml-cpp's event parser so that limits are enforced while parsing, not after: file size, nesting
// depth, node count. Anchors and aliases are refused (an alias bomb expands exponentially in a
// tree walk, and policy files gain nothing from them); duplicate keys are errors, not "last wins".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"

namespace vg::config {

struct YamlEntry;

struct YamlNode {
  enum class Kind { Null, Scalar, Sequence, Map };
  Kind kind = Kind::Null;
  SourceLoc loc;
  std::string scalar;              // Scalar only
  bool quoted = false;             // Scalar written in quotes (or as a block): never a number, bool or null
  std::vector<YamlNode> items;     // Sequence
  std::vector<YamlEntry> entries;  // Map, in file order; keys are scalars

  bool is_map() const { return kind == Kind::Map; }
  bool is_seq() const { return kind == Kind::Sequence; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_null() const { return kind == Kind::Null; }
  const YamlNode* find(std::string_view key) const;
  // Position of a scalar's first character of content: past the opening quote when quoted, so
  // that errors inside an expression point at the right column.
  // For a block scalar (`|`, `>`), its content's first character rather than the indicator.
  SourceLoc text_loc() const;
  // Where each character of a scalar's text was written, for errors inside a multi-line value: a
  // literal block (`|`) is exact; so are folded (`>`), plain and quoted values over several lines
  // (the character a folded line break became points just past the end of its line). From an
  // escape in double quotes on (`\t`), the rest of the value points at the escape.
  TextOrigin text_origin() const;
  // "a mapping", "a list", "a value", "nothing" — for "expected X, found Y" messages.
  const char* kind_name() const;
};

// One key and its value. Not a std::pair: a pair of a type still incomplete inside that type's
// own definition is undefined behaviour, which clang's library checks refuse. Members are named
// as a pair's, so `[key, value]` bindings and `.first`/`.second` read the same.
struct YamlEntry {
  YamlNode first;
  YamlNode second;
};

struct YamlLimits {
  size_t max_file_bytes = 4u << 20;  // policy and scenario files are hand-written; 4 MiB is generous
  int max_depth = 32;
  size_t max_nodes = 200000;
};

// Parses one YAML document. On failure adds diagnostics (with file:line:col) and returns nullopt.
std::optional<YamlNode> parse_yaml(std::string path, std::string text, Diagnostics& diags,
                                   const YamlLimits& limits = {});
// Why `path` cannot be read as an input file: "not found", "is not a regular file (a folder)" (a
// device such as /dev/zero, a pipe, a socket), or nullopt when it is a regular file.
std::optional<std::string> file_problem(const std::string& path);

// Reads and parses a file; a missing or unreadable file, or one over the size limit, is a diagnostic.
std::optional<YamlNode> load_yaml_file(const std::string& path, Diagnostics& diags, const YamlLimits& limits = {});

}  // namespace vg::config
