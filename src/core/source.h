// Source text and positions. Every spec record built from user input keeps a SourceLoc so that a
// problem found at any later stage (loading, checking, compiling, even explaining a run) can point
// at the file, line and column the user wrote.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vg {

// One input file, kept whole so diagnostics can quote the offending line.
struct SourceFile {
  SourceFile(std::string file_path, std::string file_text);

  const std::string path;
  const std::string text;  // const: line_starts_ indexes it

  // 1-based line number -> that line's text without its newline ("" when out of range), in
  // constant time: a file with 200,000 problems quotes 200,000 lines without rescanning the text.
  std::string_view line(int number) const;

 private:
  std::vector<size_t> line_starts_;  // offset of each line's first byte
};

// 1-based line and column; file may be null for positions not tied to a file (command-line flags).
struct SourceLoc {
  std::shared_ptr<const SourceFile> file;
  int line = 0;
  int col = 0;

  // The same file, `n` columns further right (for positions inside a scalar).
  SourceLoc shifted(int n) const { return SourceLoc{file, line, col + n}; }
  std::string path() const { return file ? file->path : std::string("<command line>"); }
  // "path:line:col"
  std::string str() const;
};

// Where each character of a text taken from a file was written, when the text is not a verbatim
// slice of one line: a YAML block scalar reaches us without its indentation, a folded or
// multi-line scalar with its line breaks turned into spaces. A list of pieces, each a run of the
// text written contiguously along one line of the file; at(offset) is exact inside any piece.
struct TextOrigin {
  struct Piece {
    size_t offset = 0;  // first character of the text in this piece
    SourceLoc loc;      // where that character is in the file
  };
  std::vector<Piece> pieces;  // by offset; text before the first piece is placed at it; empty = unknown

  // Text copied from `loc` on: after each newline the line advances and the column restarts at
  // `continuation_col`.
  static TextOrigin verbatim(std::string_view text, const SourceLoc& loc, int continuation_col = 1);
  // The position of text[offset] (offset == size: just past the last character).
  SourceLoc at(size_t offset) const;
};

}  // namespace vg
