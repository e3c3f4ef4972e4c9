#include "config/yaml_doc.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>

namespace vg::config {

const YamlNode* YamlNode::find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k.scalar == key) return &v;
  return nullptr;
}

SourceLoc YamlNode::text_loc() const {
  if (!quoted || !loc.file || loc.line < 1 || loc.col < 1) return loc;
  std::string_view l = loc.file->line(loc.line);
  size_t i = static_cast<size_t>(loc.col - 1);
  if (i < l.size() && (l[i] == '"' || l[i] == '\'')) return loc.shifted(1);
  if (i < l.size() && (l[i] == '|' || l[i] == '>')) return text_origin().at(0);
  return loc;
}

namespace {

bool yaml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

// Walks the file from the scalar's start alongside its text: folding and indentation change only
// white space, so each other character of the text is the next one that is not white space in the
// file (two quotes in single quotes, and a line break escaped in double quotes, are followed too).
// A new piece starts wherever the file's characters stop being contiguous with the text's.
TextOrigin YamlNode::text_origin() const {
  TextOrigin o;
  if (!is_scalar() || !loc.file || loc.line < 1 || loc.col < 1) {
    o.pieces.push_back({0, loc});
    return o;
  }
  const SourceFile& f = *loc.file;
  const std::string& t = f.text;
  const std::string_view first = f.line(loc.line);
  if (first.data() == nullptr) {
    o.pieces.push_back({0, loc});
    return o;
  }
  size_t q = static_cast<size_t>(first.data() - t.data()) + static_cast<size_t>(loc.col - 1);
  if (q > t.size()) q = t.size();
  char style = q < t.size() && quoted ? t[q] : ' ';
  if (style == '"' || style == '\'') {
    ++q;
  } else if (style == '|' || style == '>') {
    q = t.find('\n', q);  // the content starts on the line after the indicator (and its comment)
    q = q == std::string::npos ? t.size() : q + 1;
  } else {
    style = ' ';
  }
  // A position in the file -> its line and column.
  const size_t first_begin = static_cast<size_t>(first.data() - t.data());
  auto file_loc = [&](size_t pos) {
    const size_t nl = pos == 0 ? std::string::npos : t.rfind('\n', pos - 1);
    const size_t begin = nl == std::string::npos ? 0 : nl + 1;
    const auto newlines = std::count(t.begin() + static_cast<std::ptrdiff_t>(first_begin),
                                     t.begin() + static_cast<std::ptrdiff_t>(pos), '\n');
    return SourceLoc{loc.file, loc.line + static_cast<int>(newlines), static_cast<int>(pos - begin) + 1};
  };
  size_t prev_off = 0, prev_pos = std::string::npos;
  for (size_t i = 0; i < scalar.size(); ++i) {
    if (yaml_space(scalar[i])) continue;
    size_t p = q;
    while (p < t.size()) {
      if (yaml_space(t[p])) {
        ++p;
      } else if (style == '"' && t[p] == '\\' && p + 1 < t.size() && (t[p + 1] == '\n' || t[p + 1] == '\r')) {
        p += 2;
      } else {
        break;
      }
    }
    if (p >= t.size() || t[p] != scalar[i]) {  // an escape: the rest points here
      o.pieces.push_back({i, file_loc(std::min(p, t.size()))});
      break;
    }
    const bool contiguous =
        prev_pos != std::string::npos && p - prev_pos == i - prev_off && t.find('\n', prev_pos) >= p;
    if (!contiguous) o.pieces.push_back({i, file_loc(p)});
    prev_off = i;
    prev_pos = p;
    q = p + 1;
    if (style == '\'' && scalar[i] == '\'' && q < t.size() && t[q] == '\'') ++q;  // '' is one quote
  }
  if (o.pieces.empty()) o.pieces.push_back({0, file_loc(std::min(q, t.size()))});
  return o;
}

const char* YamlNode::kind_name() const {
  switch (kind) {
    case Kind::Null: return "nothing";
    case Kind::Scalar: return "a value";
    case Kind::Sequence: return "a list";
    case Kind::Map: return "a mapping";
  }
  return "?";
}

namespace {

// Thrown from inside the event handler to stop yaml-cpp at the first hard limit.
struct Stop {};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::shared_ptr<const SourceFile> file, Diagnostics& diags, const YamlLimits& limits)
      : file_(std::move(file)), diags_(diags), limits_(limits) {}

  std::optional<YamlNode> result() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) fail(mark, "expected a single YAML document, found a second one ('---')");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    YamlNode n;
    n.kind = YamlNode::Kind::Null;
    n.loc = loc(mark);
    attach(std::move(n));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    fail(mark, "YAML aliases ('*name') are not allowed in villagegrid files; write the value out");
  }
  void OnAnchor(const YAML::Mark& mark, const std::string&) override {
    fail(mark, "YAML anchors ('&name') are not allowed in villagegrid files; write the value out");
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag, &value);
    YamlNode n;
    n.kind = YamlNode::Kind::Scalar;
    n.loc = loc(mark);
    n.scalar = value;
    // yaml-cpp tags plain scalars "?" and quoted or block scalars "!".
    n.quoted = (tag == "!");
    if (n.quoted) check_closed_quote(mark);
    if (!n.quoted && (value == "~" || value == "null" || value == "Null" || value == "NULL")) {
      n.kind = YamlNode::Kind::Null;
      n.scalar.clear();
    }
    attach(std::move(n));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YamlNode::Kind::Sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, anchor, YamlNode::Kind::Map);
  }
  void OnMapEnd() override { close(); }

  SourceLoc loc(const YAML::Mark& mark) const {
    // yaml-cpp marks are 0-based; users count from 1.
    return SourceLoc{file_, mark.line + 1, mark.column + 1};
  }
  [[noreturn]] void fail(const YAML::Mark& mark, std::string message) {
    diags_.error(loc(mark), std::move(message));
    throw Stop{};
  }

 private:
  struct Frame {
    YamlNode node;
    bool have_key = false;  // maps: a key is waiting for its value
    YamlNode key;
    // maps: each key's line, so that a duplicate is found by hash (a file with 200,000 keys is
    // checked in linear time, not by scanning every earlier key)
    std::unordered_map<std::string, int> key_lines;
  };

  void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor)
      fail(mark, "YAML anchors ('&name') are not allowed in villagegrid files; write the value out");
  }
  // A condition starting with `!` (`when: !tracked`) reads to YAML as a tag: say how to negate.
  void check_tag(const YAML::Mark& mark, const std::string& tag, const std::string* value = nullptr) {
    if (tag.empty() || tag == "?" || tag == "!") return;
    const bool condition = value && !stack_.empty() && stack_.back().node.kind == YamlNode::Kind::Map &&
                           stack_.back().have_key && stack_.back().key.scalar == "when";
    if (condition && tag.size() > 1) {
      const std::string negated = "not " + tag.substr(1) + (value->empty() ? "" : " " + *value);
      fail(mark, "YAML tags ('" + tag +
                     "') are not supported, and a condition starting with `!` reads as one: write `when: " + negated +
                     "`");
    }
    fail(mark, "YAML tags ('" + tag + "') are not supported; remove the tag");
  }
  // yaml-cpp 0.7 lets an unclosed quote run to the end of the file; say so instead of reporting
  // whatever the swallowed text breaks further on.
  void check_closed_quote(const YAML::Mark& mark) {
    const std::string& t = file_->text;
    size_t i = static_cast<size_t>(mark.pos);
    if (i >= t.size() || (t[i] != '"' && t[i] != '\'')) return;
    const char q = t[i];
    for (size_t j = i + 1; j < t.size(); ++j) {
      if (q == '"' && t[j] == '\\') {
        ++j;
        continue;
      }
      if (t[j] == q) {
        if (q == '\'' && j + 1 < t.size() && t[j + 1] == '\'') {  // '' is an escaped quote
          ++j;
          continue;
        }
        return;
      }
    }
    fail(mark, std::string("unclosed ") + q + " quote: the text runs to the end of the file");
  }
  void count(const YAML::Mark& mark) {
    if (++nodes_ > limits_.max_nodes)
      fail(mark, "file has more than " + std::to_string(limits_.max_nodes) + " YAML nodes; split it or simplify it");
  }
  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, YamlNode::Kind kind) {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    count(mark);
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      fail(mark, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    Frame f;
    f.node.kind = kind;
    f.node.loc = loc(mark);
    stack_.push_back(std::move(f));
  }
  void close() {
    YamlNode n = std::move(stack_.back().node);
    stack_.pop_back();
    attach(std::move(n), /*counted=*/true);
  }
  void attach(YamlNode n, bool counted = false) {
    if (!counted) {
      YAML::Mark m;
      m.line = n.loc.line - 1;
      m.column = n.loc.col - 1;
      count(m);
    }
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.kind == YamlNode::Kind::Sequence) {
      top.node.items.push_back(std::move(n));
      return;
    }
    if (!top.have_key) {
      if (n.kind != YamlNode::Kind::Scalar) {
        diags_.error(n.loc, std::string("expected a plain key, found ") + n.kind_name() + " used as a key");
        throw Stop{};
      }
      if (auto [it, fresh] = top.key_lines.try_emplace(n.scalar, n.loc.line); !fresh) {
        diags_.error(n.loc,
                     "duplicate key '" + n.scalar + "' (first given at line " + std::to_string(it->second) + ")");
        throw Stop{};
      }
      top.key = std::move(n);
      top.have_key = true;
      return;
    }
    // yaml-cpp marks an empty value at the token after it (often the next key); point at the key
    // that has no value instead.
    if (n.kind == YamlNode::Kind::Null && n.scalar.empty()) n.loc = top.key.loc;
    top.node.entries.push_back({std::move(top.key), std::move(n)});
    top.have_key = false;
  }

  std::shared_ptr<const SourceFile> file_;
  Diagnostics& diags_;
  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  std::optional<YamlNode> root_;
  size_t nodes_ = 0;
  int documents_ = 0;
};

// What most often causes yaml-cpp's terser messages, said after them: a line indented out of step
// with its neighbours ends a list or mapping where none was meant to end.
std::string syntax_hint(const std::string& msg) {
  if (msg == "end of sequence not found" || msg == "end of map not found" || msg == "illegal map value" ||
      msg == "illegal block entry" || msg == "block sequence entries are not allowed in this context")
    return " (check this line's indentation against the lines above it: the keys of one mapping start in one "
           "column, and a list's items too)";
  if (msg == "end of sequence flow not found") return " (a '[' is not closed by a ']')";
  if (msg == "end of map flow not found") return " (a '{' is not closed by a '}')";
  return "";
}

// A tab in the indentation of a line up to the error's (yaml-cpp names a tab only where it looks
// for indentation; elsewhere one shows as "illegal map value"): which line, 1-based, or 0.
int tab_indented_line(const std::string& text, int up_to_line) {
  int line = 1;
  for (size_t at = 0; at < text.size() && line <= up_to_line; ++line) {
    const size_t end = std::min(text.find('\n', at), text.size());
    for (size_t i = at; i < end && (text[i] == ' ' || text[i] == '\t'); ++i)
      if (text[i] == '\t') return line;
    at = end + 1;
  }
  return 0;
}

}  // namespace

std::optional<YamlNode> parse_yaml(std::string path, std::string text, Diagnostics& diags, const YamlLimits& limits) {
  auto file = std::make_shared<SourceFile>(SourceFile{std::move(path), std::move(text)});
  if (file->text.size() > limits.max_file_bytes) {
    diags.error(SourceLoc{file, 1, 1}, "file is larger than the limit of " + std::to_string(limits.max_file_bytes) +
                                           " bytes; split it into several files");
    return std::nullopt;
  }
  if (file->text.find('\0') != std::string::npos) {
    diags.error(SourceLoc{file, 1, 1}, "file contains NUL bytes; expected UTF-8 YAML text");
    return std::nullopt;
  }
  std::istringstream in(file->text);
  TreeBuilder builder(file, diags, limits);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {}
  } catch (const Stop&) {
    return std::nullopt;
  } catch (const YAML::ParserException& e) {
    std::string hint = syntax_hint(e.msg);
    if (const int tab = tab_indented_line(file->text, e.mark.line + 1);
        tab > 0 && e.msg.find("tab") == std::string::npos)
      hint += "; line " + std::to_string(tab) + " is indented with a tab: YAML indents with spaces only";
    diags.error(builder.loc(e.mark), "YAML syntax error: " + e.msg + hint);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diags.error(builder.loc(e.mark), std::string("YAML error: ") + e.msg);
    return std::nullopt;
  }
  auto root = builder.result();
  if (!root) {
    diags.error(SourceLoc{file, 1, 1}, "file is empty; expected a YAML mapping");
    return std::nullopt;
  }
  return root;
}

std::optional<std::string> file_problem(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return "not found";
  if (fs::is_regular_file(st)) return std::nullopt;
  const char* what = fs::is_directory(st)                                 ? "a folder"
                     : fs::is_character_file(st) || fs::is_block_file(st) ? "a device"
                     : fs::is_fifo(st)                                    ? "a pipe"
                     : fs::is_socket(st)                                  ? "a socket"
                                                                          : "not a file";
  return std::string("is not a regular file (") + what + ")";
}

std::optional<YamlNode> load_yaml_file(const std::string& path, Diagnostics& diags, const YamlLimits& limits) {
  // A device or a pipe could be read forever (or block): only regular files are inputs.
  if (auto why = file_problem(path); why && *why != "not found") {
    diags.error(SourceLoc{std::make_shared<SourceFile>(path, ""), 0, 0}, *why + ": expected a YAML file");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error(SourceLoc{std::make_shared<SourceFile>(SourceFile{path, {}}), 0, 0}, "cannot open file");
    return std::nullopt;
  }
  // Read in chunks and stop one byte past the limit, so a huge file is refused without reading
  // it all (and a small one costs no 4 MiB buffer).
  std::string text;
  char buf[1 << 16];
  while (in && text.size() <= limits.max_file_bytes) {
    in.read(buf, sizeof buf);
    text.append(buf, static_cast<size_t>(in.gcount()));
  }
  return parse_yaml(path, std::move(text), diags, limits);
}

}  // namespace vg::config
