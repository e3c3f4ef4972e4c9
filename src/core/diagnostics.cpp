#include "core/diagnostics.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace vg {

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Severity::Error) ++errors_;
  if (d.severity == Severity::Warning) ++warnings_;
  items_.push_back(std::move(d));
}
void Diagnostics::error(const SourceLoc& loc, std::string message) { add({Severity::Error, loc, std::move(message)}); }
void Diagnostics::warning(const SourceLoc& loc, std::string message) {
  add({Severity::Warning, loc, std::move(message)});
}
void Diagnostics::note(const SourceLoc& loc, std::string message) { add({Severity::Note, loc, std::move(message)}); }
void Diagnostics::amend(size_t i, const SourceLoc& loc, std::string message) {
  items_.at(i).loc = loc;
  items_.at(i).message = std::move(message);
}

void Diagnostics::merge(const Diagnostics& other) {
  for (const auto& d : other.items_) add(d);
}

// Files in the order their first problem was found; within a file, by line and column, as a
// compiler prints them (errors first, where there are any) (a policy's reading errors and its rules' errors are found
// in two passes). A note stays after the problem it explains; problems at one place keep the order found.
std::vector<const Diagnostic*> Diagnostics::in_source_order() const {
  std::map<std::string, size_t> file_rank;
  struct Group {
    size_t file, first, end;  // items_[first, end): a problem and the notes after it
  };
  std::vector<Group> groups;
  for (size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].severity == Severity::Note && !groups.empty()) {
      groups.back().end = i + 1;
      continue;
    }
    const size_t rank = file_rank.try_emplace(items_[i].loc.path(), file_rank.size()).first->second;
    groups.push_back({rank, i, i + 1});
  }
  // In a file with errors its warnings come after them: a warning that follows from an error (a
  // team "can call on 0 village_cadre" where the role is misspelt) would be read first otherwise.
  std::vector<bool> has_errors(file_rank.size(), false);
  for (const Group& g : groups) has_errors[g.file] = has_errors[g.file] || items_[g.first].severity == Severity::Error;
  auto key = [&](const Group& g) {
    const SourceLoc& loc = items_[g.first].loc;
    return std::tuple(g.file, has_errors[g.file] && items_[g.first].severity != Severity::Error, loc.line, loc.col);
  };
  std::stable_sort(groups.begin(), groups.end(), [&](const Group& a, const Group& b) { return key(a) < key(b); });
  std::vector<const Diagnostic*> out;
  out.reserve(items_.size());
  for (const Group& g : groups)
    for (size_t i = g.first; i < g.end; ++i) out.push_back(&items_[i]);
  return out;
}

std::string Diagnostics::format() const {
  // At most kShownPerFile problems of each file are quoted; the rest are counted, so a generated
  // file with 200,000 mistakes gives a readable screen (and a bounded time) instead of a flood.
  std::string out;
  std::map<std::string, size_t> shown;  // by file path
  std::vector<std::string> order;       // files whose problems were cut, in the order first cut
  std::map<std::string, size_t> cut;
  for (const Diagnostic* dp : in_source_order()) {
    const Diagnostic& d = *dp;
    const std::string path = d.loc.path();
    if (++shown[path] <= kShownPerFile) {
      out += format_diagnostic(d);
    } else if (cut[path]++ == 0) {
      order.push_back(path);
    }
  }
  for (const auto& path : order)
    out += path + ": note: ... and " + std::to_string(cut[path]) + " more problems in this file (the first " +
           std::to_string(kShownPerFile) + " are shown)\n";
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  const char* sev = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "note";
  std::string out = d.loc.str() + ": " + sev + ": " + d.message + "\n";
  if (d.loc.file && d.loc.line > 0) {
    std::string_view line = d.loc.file->line(d.loc.line);
    if (!line.empty()) {
      size_t col = static_cast<size_t>(std::max(1, d.loc.col));
      // A long line (a flow list of thousands of characters) is shown around the column only, cut
      // at whole UTF-8 characters, "..." where it was cut.
      constexpr size_t kShown = 160;
      std::string_view before, after;
      if (line.size() > kShown) {
        size_t from = col > kShown / 2 ? col - 1 - kShown / 2 : 0;
        while (from > 0 && (static_cast<unsigned char>(line[from]) & 0xC0) == 0x80) --from;
        size_t to = std::min(line.size(), from + kShown);
        while (to < line.size() && (static_cast<unsigned char>(line[to]) & 0xC0) == 0x80) ++to;
        if (from > 0) before = "...";
        if (to < line.size()) after = "...";
        col = col > from ? col - from : 1;
        line = line.substr(from, to - from);
      }
      out += "  ";
      out += before;
      out += line;
      out += after;
      out += "\n  ";
      out += std::string(before.size(), ' ');
      // Columns count bytes; the caret line steps over whole UTF-8 characters (two cells for the
      // wide CJK ones) and keeps tabs, so the caret stays under the column as a terminal shows it.
      for (size_t i = 0; i + 1 < col && i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c == '\t')
          out += '\t';
        else if ((c & 0xC0) == 0x80)
          continue;  // continuation byte
        else if (c >= 0xE3 && c <= 0xED)
          out += "  ";  // U+3000..U+DFFF: CJK, full width
        else if (c >= 0xEF && c < 0xF0 && i + 1 < line.size() && static_cast<unsigned char>(line[i + 1]) >= 0xBC)
          out += "  ";  // full-width forms (U+FF00..)
        else
          out += ' ';
      }
      out += "^\n";
    }
  }
  return out;
}

namespace {

// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent
// transpositions ("shfits" is one edit from "shifts"). Names are short, so the full table is fine.
size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t w = b.size() + 1;
  std::vector<size_t> t((a.size() + 1) * w);
  for (size_t i = 0; i <= a.size(); ++i) t[i * w] = i;
  for (size_t j = 0; j <= b.size(); ++j) t[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t v = std::min(
          {t[(i - 1) * w + j] + 1, t[i * w + j - 1] + 1, t[(i - 1) * w + j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, t[(i - 2) * w + j - 2] + 1);
      t[i * w + j] = v;
    }
  }
  return t[a.size() * w + b.size()];
}

template <class S>
std::string closest_impl(std::string_view word, std::span<const S> candidates) {
  // The first word of one name of several ('onsite' for onsite_purchase): that name, before any
  // shorter one a few edits away ('online').
  if (word.size() >= 3) {
    std::string only;
    size_t starting = 0;
    for (const auto& c : candidates) {
      const std::string_view cv = c;
      if (cv.size() > word.size() && cv.substr(0, word.size()) == word && cv[word.size()] == '_') {
        ++starting;
        only = std::string(cv);
      }
    }
    if (starting == 1) return only;
  }
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    std::string_view cv = c;
    if (cv == word) continue;
    size_t d = edit_distance(word, cv);
    if (d < best_d) {
      best_d = d;
      best = std::string(cv);
    }
  }
  // A typo is at most a third of the word's length away (at least 1, at most 3 edits).
  size_t limit = std::clamp<size_t>(std::max(word.size(), best.size()) / 3, 1, 3);
  if (best_d <= limit) return best;
  // A long name of several words with one left out or misspelt as well
  // (screened_24h_of_arival_share): each of its words, in order, is a word of the candidate at most
  // one edit away (two from 8 letters), with at most two of the candidate's words left over.
  auto words = [](std::string_view s) {
    std::vector<std::string_view> out;
    for (size_t at = 0; at <= s.size();) {
      const size_t end = std::min(s.find('_', at), s.size());
      if (end > at) out.push_back(s.substr(at, end - at));
      at = end + 1;
    }
    return out;
  };
  const auto ws = words(word);
  if (ws.size() < 2) return std::string();
  std::string found;
  size_t found_left = 3, found_d = SIZE_MAX;
  for (const auto& c : candidates) {
    std::string_view cv = c;
    if (cv == word) continue;  // never the name itself: the caller rejected it for another reason
    const auto cs = words(cv);
    size_t j = 0;
    for (size_t i = 0; i < ws.size() && j <= cs.size(); ++i) {
      const size_t allowed = ws[i].size() >= 8 ? 2 : ws[i].size() >= 3 ? 1 : 0;
      while (j < cs.size() && edit_distance(ws[i], cs[j]) > allowed) ++j;
      if (j == cs.size()) {
        j = cs.size() + 1;  // this word matched none: no match
        break;
      }
      ++j;
    }
    if (j > cs.size() || cs.size() < ws.size()) continue;
    const size_t left = cs.size() - ws.size(), d = edit_distance(word, cv);
    if (left < found_left || (left == found_left && d < found_d)) {
      found = std::string(cv);
      found_left = left;
      found_d = d;
    }
  }
  return found;
}

}  // namespace

std::string closest_match(std::string_view word, std::span<const std::string> candidates) {
  return closest_impl(word, candidates);
}
std::string closest_match(std::string_view word, std::span<const std::string_view> candidates) {
  return closest_impl(word, candidates);
}
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
  std::string m = closest_match(word, candidates);
  return m.empty() ? std::string() : "; did you mean '" + m + "'?";
}
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  std::string m = closest_match(word, candidates);
  return m.empty() ? std::string() : "; did you mean '" + m + "'?";
}

std::string unknown_name(std::string_view kind, std::string_view name, std::span<const std::string> known,
                         const KnownNames& shown) {
  std::string msg = "unknown " + std::string(kind) + " '" + std::string(name) + "'";
  std::string hint = did_you_mean(name, known);
  if (!hint.empty()) return msg + hint;
  if (known.empty()) return msg + std::string(shown.none);
  msg += shown.listed;
  for (size_t k = 0; k < known.size() && k < shown.most; ++k) msg += (k ? ", " : "") + known[k];
  return msg + (known.size() > shown.most ? ", ..." : "");
}

InputError::InputError(Diagnostics diags) : std::runtime_error(diags.format()), diags_(std::move(diags)) {}

}  // namespace vg
