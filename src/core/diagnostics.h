// Problems found in user input, collected rather than thrown one at a time, so a user sees every
// problem of a file in one pass (cel-cpp's policy parser does the same). Formatting follows the
// compiler convention `file:line:col: error: message`, then the source line and a caret.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"

namespace vg {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLoc loc;
  std::string message;
};

class Diagnostics {
 public:
  void error(const SourceLoc& loc, std::string message);
  void warning(const SourceLoc& loc, std::string message);
  void note(const SourceLoc& loc, std::string message);
  void add(Diagnostic d);
  void merge(const Diagnostics& other);

  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  size_t warning_count() const { return warnings_; }
  bool empty() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // Rewrites item `i` (an index into items()) in place, keeping its severity: where a later look
  // finds what an earlier message should have said (a missing key written under another name).
  void amend(size_t i, const SourceLoc& loc, std::string message);

  // Every diagnostic, each with its source line and caret, in source order (in_source_order);
  // past the first kShownPerFile of one file, a count of the rest.
  std::string format() const;
  // The diagnostics by file (in the order each file's first was found), then line and column; each
  // note after the problem it follows.
  std::vector<const Diagnostic*> in_source_order() const;
  static constexpr size_t kShownPerFile = 50;

 private:
  std::vector<Diagnostic> items_;
  size_t errors_ = 0;
  size_t warnings_ = 0;
};

// "file:line:col: error: message\n  <line>\n  ^\n"
std::string format_diagnostic(const Diagnostic& d);

// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo;
// "" otherwise. Used for "did you mean 'x'?" hints on keys, names and category values.
std::string closest_match(std::string_view word, std::span<const std::string> candidates);
std::string closest_match(std::string_view word, std::span<const std::string_view> candidates);

// "; did you mean 'x'?" or "" (ready to append to a message).
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

// How an unknown-name message shows the known names when none is close enough for a "did you
// mean": each place words it for where its names come from (a vocabulary, the policy).
struct KnownNames {
  std::string_view listed;  // before the list: "; declared: "
  std::string_view none;    // said instead when no name is known at all
  size_t most = SIZE_MAX;   // a longer list is cut there and ends in ", ..."
};

// "unknown KIND 'NAME'" and "; did you mean 'x'?", or, with no close name, the known names: the one
// message every lookup of a declared name gives, so a misspelling reads the same everywhere.
std::string unknown_name(std::string_view kind, std::string_view name, std::span<const std::string> known,
                         const KnownNames& shown);

// Thrown when input cannot be used; carries every diagnostic found. The CLI maps it to exit 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(Diagnostics diags);
  const Diagnostics& diagnostics() const { return diags_; }

 private:
  Diagnostics diags_;
};

}  // namespace vg
