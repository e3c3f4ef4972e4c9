// The after-action review (review.h).
#include "exercise/review.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "core/csv.h"

namespace vg::exercise {

namespace {

std::string num(double v, int digits = 2) {
  if (std::isnan(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::vector<int32_t> played(const Session& s, const sim::Model& m) {
  std::vector<int32_t> out;
  const auto& names = m.population->village_name;
  for (const auto& v : s.played_villages())
    out.push_back(int32_t(std::find(names.begin(), names.end(), v) - names.begin()));
  return out;
}

// The persons of the surge that `inject` is (sim/town/arrivals.cpp: a village's surges take its
// last returnees, the first surge the very last).
std::set<uint32_t> surge_persons(const Session& s, const sim::Model& m, const std::string& inject) {
  size_t index = 0;  // among the exercise's surges, which are the model's first surges in order
  for (const auto& in : s.spec().injects) {
    if (in.id == inject) break;
    if (in.effect.kind == Effect::Kind::Surge) ++index;
  }
  std::set<uint32_t> out;
  std::vector<uint32_t> taken(m.population->villages(), 0);
  for (size_t k = 0; k < m.surges.size() && k <= index; ++k) {
    const auto& sg = m.surges[k];
    const auto& r = m.population->village_returnees[size_t(sg.village)];
    for (int j = 0; j < sg.count; ++j) {
      const uint32_t person = m.population->returnees[r.end - 1 - taken[size_t(sg.village)]++];
      if (k == index) out.insert(person);
    }
  }
  return out;
}

Verdict share_verdict(double share, double partly) {
  return share >= 1 - 1e-12 ? Verdict::Met : share >= partly ? Verdict::Partly : Verdict::NotMet;
}

ObjectiveResult screen_within(const Session& s, const Objective& o, const sim::Model& m, const RunOutput& run) {
  ObjectiveResult r;
  const auto persons = surge_persons(s, m, o.inject);
  int counted = 0, within = 0, never = 0, unfound = 0;
  int64_t worst = 0;
  for (const auto& p : run.persons) {
    const int64_t from = o.from_found ? p.arrival : p.home;  // PersonRecord::arrival: the minute found
    if (!persons.count(p.person)) continue;
    unfound += p.arrival < 0;  // a key-area returnee nobody found is the surge's worst outcome: said apart
    if (from < 0) continue;
    ++counted;
    if (p.screened < 0) {
      ++never;
      continue;
    }
    worst = std::max(worst, p.screened - from);
    if (double(p.screened - from) <= o.hours * 60) ++within;
  }
  r.value = counted > 0 ? double(within) / counted : 1.0;
  r.verdict = share_verdict(r.value, o.partly);
  r.evidence = std::to_string(within) + " of " + std::to_string(counted) + " returnees of " + o.inject + " " +
               (o.from_found ? "found" : "home") + " within the horizon screened within " + num(o.hours, 0) + " h of " +
               (o.from_found ? "being found" : "arriving home") + "; slowest after " + num(double(worst) / 60, 1) +
               " h; " + std::to_string(never) + " never screened; " + std::to_string(unfound) + " of " +
               std::to_string(persons.size()) + " never found within the horizon";
  return r;
}

// The value counts the tracking-days of the key persons tracked; a key person without a tracking
// day has none, so one left without a team would not lower the share. Those are counted apart, said
// in the evidence, and keep the verdict from "met": the key persons whose tracking never began
// (identified less tracked, sim/town/rules.cpp), and those identified on the last day, whose
// tracking begins the next morning (sim/town/tracking.cpp), after the horizon.
ObjectiveResult teams_complete(const Session& s, const Objective& o, const sim::Model& m, const RunOutput& run) {
  ObjectiveResult r;
  int64_t active = 0, complete = 0, identified = 0, untracked = 0, last_day = 0;
  std::set<size_t> incomplete;  // days some played village had a team incomplete
  for (int32_t gv : played(s, m)) {
    const auto& t = run.villages[size_t(gv)];
    identified += t.key_identified;
    untracked += std::max(0, t.key_identified - t.key_tracked);
    if (!run.days[size_t(gv)].empty()) last_day += run.days[size_t(gv)].back().key_identified;
    for (size_t d = 0; d < run.days[size_t(gv)].size(); ++d) {
      const auto& row = run.days[size_t(gv)][d];
      active += row.tracking_active;
      complete += row.tracking_complete;
      if (row.tracking_complete < row.tracking_active) incomplete.insert(d);
    }
  }
  std::string days;
  for (size_t d : incomplete)
    if (days.size() < 60) days += (days.empty() ? "" : ", ") + std::to_string(d);
  untracked = std::min(identified, untracked + last_day);
  r.value = active > 0 ? double(complete) / double(active) : 1.0;
  r.verdict = share_verdict(r.value, o.partly);
  // Not met while someone who could have had a team had none; those identified on the last day
  // could not (a team forms the next morning, after the horizon): said, but not held against it.
  if (untracked > last_day && r.verdict == Verdict::Met) r.verdict = Verdict::Partly;
  // Whose places were empty or duties undone (RoleTotals::team_days_missing), over the played
  // villages' towns, most first: the role to add, or whose max_teams cap or hours bind.
  std::set<size_t> towns;
  for (int32_t gv : played(s, m)) towns.insert(m.population->village_town[size_t(gv)]);
  std::vector<std::pair<int64_t, std::string>> gaps;
  const auto& roles = m.program->roles();
  for (size_t role = 0; role < roles.size(); ++role) {
    int64_t n = 0;
    for (size_t t : towns)
      if (t < run.town_roles.size() && role < run.town_roles[t].size()) n += run.town_roles[t][role].team_days_missing;
    if (n > 0) gaps.push_back({-n, roles[role]});
  }
  std::sort(gaps.begin(), gaps.end());
  std::string by_role;
  for (const auto& [n, role] : gaps) by_role += (by_role.empty() ? "" : ", ") + role + " " + std::to_string(-n);
  const int last = s.horizon() - 1;
  r.evidence =
      std::to_string(complete) + " of " + std::to_string(active) + " tracking-days with the team complete" +
      (days.empty() ? std::string() : "; incomplete on day" + std::string(incomplete.size() > 1 ? "s " : " ") + days) +
      "; " + std::to_string(untracked) + " of " + std::to_string(identified) +
      " key persons identified in the played villages never got a team" +
      (last_day > 0 ? " (" + std::to_string(last_day) + " of them identified on the last day, day " +
                          std::to_string(last) + ": their teams form after the horizon)"
                    : std::string()) +
      (by_role.empty() ? std::string()
                       : "; team-days with a place empty or its duty undone, by role: " + by_role +
                             " (a role short of people, of hours, or of team places: its max_teams)");
  return r;
}

ObjectiveResult supply_out(const Session& s, const Objective& o, const sim::Model& m, const RunOutput& run) {
  ObjectiveResult r;
  const auto& supplies = m.program->supplies();
  const auto k = size_t(std::find(supplies.begin(), supplies.end(), o.supply) - supplies.begin());
  int longest = 0, longest_end = -1;
  std::string where;
  for (int32_t gv : played(s, m)) {
    int run_len = 0;
    const auto& rows = run.days[size_t(gv)];
    for (size_t d = 0; d < rows.size(); ++d) {
      run_len = k < rows[d].stock.size() && rows[d].stock[k] <= 0 ? run_len + 1 : 0;
      if (run_len > longest) {
        longest = run_len;
        longest_end = int(d);
        where = m.population->village_name[size_t(gv)];
      }
    }
  }
  r.value = longest;
  r.verdict = longest <= o.days ? Verdict::Met : longest <= 2 * o.days ? Verdict::Partly : Verdict::NotMet;
  r.evidence = longest == 0 ? "no village ran out of " + o.supply
                            : o.supply + " out for " + std::to_string(longest) + " day(s) in a row at most (" + where +
                                  ", days " + std::to_string(longest_end - longest + 1) + "-" +
                                  std::to_string(longest_end) + "); allowed " + std::to_string(o.days);
  return r;
}

// ---- the comparison of arms over replicates ----

struct Metric {
  std::string name, unit;
};

// The coverage and outcome metrics of one run over the played villages, then each objective's value.
std::vector<double> metrics_of(const Session& s, const sim::Model& m, const RunOutput& run) {
  double returnees = 0, within = 0, late = 0, stockout = 0, infections = 0, active = 0, complete = 0;
  for (int32_t gv : played(s, m)) {
    const auto& t = run.villages[size_t(gv)];
    returnees += t.returnees;
    within += t.screened_within_24h;
    late += t.tasks_late;
    stockout += t.stockout_days;
    infections += t.infections_local;
    active += double(t.tracking_days);
    complete += double(t.tracking_complete_days);
  }
  std::vector<double> v = {returnees > 0 ? within / returnees : NAN, late, active > 0 ? complete / active : NAN,
                           stockout, infections};
  for (const auto& o : s.spec().objectives) v.push_back(measure(s, o, m, run).value);
  return v;
}

std::vector<Metric> metric_names(const Session& s) {
  std::vector<Metric> out = {{"screened_within_24h_share", "share of returnees found"},
                             {"tasks_late", "tasks"},
                             {"tracking_complete_share", "share of tracking-days"},
                             {"stockout_days", "village-days"},
                             {"infections_local", "people"}};
  for (const auto& o : s.spec().objectives)
    out.push_back({"objective " + o.id, o.measure == Objective::Measure::SupplyOutAtMost ? "days in a row" : "share"});
  return out;
}

struct Interval {
  double mean = NAN, p5 = NAN, p95 = NAN;
};

Interval describe(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  auto at = [&](double q) { return v[std::min(v.size() - 1, size_t(std::floor(q * double(v.size() - 1) + 0.5)))]; };
  return {sum / double(v.size()), at(0.05), at(0.95)};
}

std::string show(const Interval& i, int digits) {
  if (std::isnan(i.mean)) return "-";
  return num(i.mean, digits) + " [" + num(i.p5, digits) + ", " + num(i.p95, digits) + "]";
}

struct Arms {
  static constexpr int kCount = 3;
  static constexpr const char* kNames[kCount] = {"players", "nothing", "expected"};
  std::vector<std::vector<std::vector<double>>> values;  // [arm][replicate][metric]
};

Arms run_arms(const Session& s, bool trace) {
  const std::vector<Command> commands[Arms::kCount] = {s.decisions(), {}, s.expected_actions()};
  const int n = std::max(1, s.spec().background_replicates);
  const int first = s.spec().background_replicates > 0 ? 1 : 0;
  Arms a;
  for (const auto& cmds : commands) {
    const sim::Model m = s.model(cmds);
    auto& arm = a.values.emplace_back();
    for (int r = first; r < first + n; ++r) arm.push_back(metrics_of(s, m, simulate(m, r, trace)));
  }
  return a;
}

// ---- the timeline ----

struct Event {
  int day = 0, hour = 0, order = 0;
  std::string kind, id, status, text;
};

// How much of an expected action a decision of the same key (Command::key) gives: people added or
// moved, units requested, hours a day of overtime and its days. Empty when it gives all of it,
// else "1 of 4" (overtime: "1 of 2 hours, 1 of 3 days").
std::string shortfall(const Command& expected, int64_t given, const Command* overtime) {
  using K = Command::Kind;
  if (expected.kind == K::Overtime) {
    if (overtime == nullptr || (overtime->hours >= expected.hours && overtime->days >= expected.days)) return "";
    return num(overtime->hours, overtime->hours == std::floor(overtime->hours) ? 0 : 2) + " of " +
           num(expected.hours, expected.hours == std::floor(expected.hours) ? 0 : 2) + " hours, " +
           std::to_string(overtime->days) + " of " + std::to_string(expected.days) + " days";
  }
  const int64_t need = expected.kind == K::Request ? expected.amount : expected.count;
  if (expected.kind != K::Add && expected.kind != K::Move && expected.kind != K::Request) return "";
  return given >= need ? "" : std::to_string(given) + " of " + std::to_string(need);
}

int64_t amount_of(const Command& c) { return c.kind == Command::Kind::Request ? c.amount : c.count; }

// An expected action's status against the players' decisions given on or after its inject's day
// with its key: done (on time: by its day, the amounts of the decisions added up; overtime: the
// largest), partly done (less than expected), late, or, when none was given, missed once its day
// has passed, "due today" on its day and "not yet due" before. `given` gets the decisions matched.
std::string expected_status(const Command& e, int inject_day, int today, const std::vector<Command>& decisions,
                            std::string& given) {
  int64_t on_time = 0, late = 0;
  const Command *best_on_time = nullptr, *best_late = nullptr;
  int done_day = -1, late_day = -1;  // the day of the decision that gave all, else of the last one
  bool done = false, late_done = false;
  for (const auto& p : decisions) {
    if (p.key() != e.key() || p.day < inject_day) continue;
    const bool in_time = p.day <= e.day;
    given += (given.empty() ? "" : "; ") + p.text + (in_time ? "" : " on day " + std::to_string(p.day) + ", late");
    const Command*& best = in_time ? best_on_time : best_late;
    if (best == nullptr || p.hours * p.days > best->hours * best->days) best = &p;
    int64_t& sum = in_time ? on_time : late;
    sum += amount_of(p);
    bool& reached = in_time ? done : late_done;
    if (!reached) {
      (in_time ? done_day : late_day) = p.day;
      reached = shortfall(e, sum, best).empty();
    }
  }
  if (best_on_time != nullptr) {
    const std::string part = shortfall(e, on_time, best_on_time);
    // Made up later: said, with the day (the top-up is listed in `given`, marked late).
    const Command* best_all =
        best_late != nullptr && best_late->hours * best_late->days > best_on_time->hours * best_on_time->days
            ? best_late
            : best_on_time;
    const bool completed_late = !part.empty() && best_late != nullptr && shortfall(e, on_time + late, best_all).empty();
    return (part.empty() ? "done on day " : "partly done on day ") + std::to_string(done_day) +
           (part.empty() ? "" : " (" + part + ")") +
           (completed_late ? "; the rest late, by day " + std::to_string(late_day) : "");
  }
  if (best_late != nullptr) {
    const std::string part = shortfall(e, late, best_late);
    return "late: day " + std::to_string(late_day) + (part.empty() ? "" : " (partly: " + part + ")");
  }
  return e.day < today ? "missed" : e.day == today ? "due today" : "not yet due";
}

// The injects delivered so far (on or before the day the exercise stands at: a review taken
// mid-exercise gives away none of the injects to come), their expected actions and the decisions,
// by day and time (the expected actions and the decisions at the day's 00:00 stop).
std::vector<Event> timeline(const Session& s) {
  std::vector<Event> out;
  const auto decisions = s.decisions();
  for (const auto& in : s.spec().injects) {
    if (in.day > s.day()) continue;
    out.push_back({in.day, in.hour, 0, "inject", in.id, "", in.synopsis + " (for " + in.player + ")"});
    for (const auto& e : in.expected) {
      Diagnostics d;
      auto c = parse_command(e.command, e.loc, s.names(), e.day, d);
      std::string given;
      const std::string status = c ? expected_status(*c, in.day, s.day(), decisions, given) : "missed";
      // The decisions matched, when they differ from the expected action (another amount or channel).
      const bool same = given.empty() || given == e.command;
      out.push_back({e.day, 0, 1, "expected", in.id, status, e.command + (same ? "" : " (given: " + given + ")")});
    }
  }
  for (const auto& p : decisions) out.push_back({p.given, 0, 2, "decision", "", "", p.text});
  std::stable_sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
    return std::tie(a.day, a.hour, a.order) < std::tie(b.day, b.hour, b.order);
  });
  return out;
}

std::string clock(int hour) { return (hour < 10 ? "0" : "") + std::to_string(hour) + ":00"; }

}  // namespace

const char* verdict_name(Verdict v) {
  static const char* const names[] = {"met", "partly", "not met", "not yet"};
  return names[size_t(v)];
}

ObjectiveResult measure(const Session& s, const Objective& o, const sim::Model& m, const RunOutput& run) {
  ObjectiveResult r;
  switch (o.measure) {
    case Objective::Measure::ScreenWithin: r = screen_within(s, o, m, run); break;
    case Objective::Measure::TeamsComplete: r = teams_complete(s, o, m, run); break;
    case Objective::Measure::SupplyOutAtMost: r = supply_out(s, o, m, run); break;
  }
  r.id = o.id;
  r.title = o.title;
  return r;
}

std::vector<std::pair<std::string, std::string>> read_observations(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  auto src = std::make_shared<const SourceFile>(file.string(), ss.str());
  Diagnostics d;
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream lines(src->text);
  std::string line;
  int n = 0;
  static const std::vector<std::string> kinds = {"went_well", "to_improve"};
  while (std::getline(lines, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1) {
      if (line != "kind,text") d.error(SourceLoc{src, 1, 1}, "expected the header 'kind,text'");
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const size_t comma = line.find(',');
    const std::string kind = line.substr(0, comma);
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
      d.error(SourceLoc{src, n, 1}, unknown_name("kind", kind, kinds, {"; expected: ", ""}));
      continue;
    }
    std::string text = comma == std::string::npos ? "" : line.substr(comma + 1);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
    if (text.empty()) d.error(SourceLoc{src, n, int(comma) + 2}, "expected the observation's text after the comma");
    out.emplace_back(kind, text);
  }
  if (d.has_errors()) throw InputError(d);
  return out;
}

ReviewFiles make_review(const Session& s, const std::vector<std::pair<std::string, std::string>>& observations) {
  ReviewFiles f;
  const auto& x = s.spec();
  std::string& md = f.markdown;
  std::string& csv = f.csv;
  csv = "section,id,day,what,verdict,value,p5,p95,detail\n";
  const std::string taken = "played to day " + std::to_string(s.day()) + " of " + std::to_string(s.horizon());
  md = "# After-action review: " + x.name + "\n\n" + x.title + "\n\nTaken on day " + std::to_string(s.day()) + ", " +
       taken + ". Exercise file: " + x.path + "\n\n";
  if (s.day() < s.horizon())  // a mid-exercise debrief: it gives away nothing of what is to come
    md +=
        "The exercise is not over: the timeline lists the injects delivered so far, and an expected action not "
        "given yet is \"due today\" on its day and \"not yet due\" before; an objective whose inject is still to "
        "come is \"not yet\" measured.\n\n";
  md += "## Timeline\n\n";
  // The day the review was taken, for a page showing it later to say so (report/control_room.cpp).
  csv += "review,," + std::to_string(s.day()) + ",taken,,,,," + taken + "\n";
  md += "| day | time | what | inject | status | text |\n|---|---|---|---|---|---|\n";
  for (const auto& e : timeline(s)) {
    const std::string time = e.kind == "inject" ? clock(e.hour) : "00:00";
    md += "| " + std::to_string(e.day) + " | " + time + " | " + e.kind + " | " + e.id + " | " + e.status + " | " +
          e.text + " |\n";
    csv += "timeline," + csv_field(e.id) + "," + std::to_string(e.day) + "," + e.kind + "," + csv_field(e.status) +
           ",,,," + csv_field(e.text) + "\n";
  }
  // Objectives on the live run (replicate 0), played to the horizon.
  const bool trace = std::any_of(x.objectives.begin(), x.objectives.end(),
                                 [](const Objective& o) { return o.measure == Objective::Measure::ScreenWithin; });
  const sim::Model live = s.model(s.decisions());
  const RunOutput run = simulate(live, 0, trace);
  md += "\n## Objectives (the live run)\n\n| objective | verdict | evidence |\n|---|---|---|\n";
  for (const auto& o : x.objectives) {
    f.objectives.push_back(measure(s, o, live, run));
    if (const Inject* in = o.measure == Objective::Measure::ScreenWithin ? find_inject(x, o.inject) : nullptr;
        in != nullptr && in->day > s.day()) {  // its surge's size and id would give the inject away
      auto& r = f.objectives.back();
      r.verdict = Verdict::NotYet;
      r.value = NAN;
      r.evidence = "measured once its inject is delivered";
    }
    const auto& r = f.objectives.back();
    md += "| " + r.id + ": " + r.title + " | **" + verdict_name(r.verdict) + "** | " + r.evidence + " |\n";
    csv += "objective," + r.id + ",," + csv_field(r.title) + "," + verdict_name(r.verdict) + "," + num(r.value, 4) +
           ",,," + csv_field(r.evidence) + "\n";
  }
  // The arms over the background replicates.
  const Arms arms = run_arms(s, trace);
  const auto names = metric_names(s);
  const int reps = int(arms.values[0].size());
  md += "\n## The players' run against doing nothing and against the expected actions\n\n";
  md += "Mean [5th, 95th percentile] over " + std::to_string(reps) +
        " background replicates with common random numbers (the same returnees in every column); the differences "
        "are paired by replicate.\n\n";
  md += "| metric | unit | players | nothing | expected | players - nothing | players - expected |\n";
  md += "|---|---|---|---|---|---|---|\n";
  for (size_t k = 0; k < names.size(); ++k) {
    std::vector<double> col[Arms::kCount], diff[2];
    for (int r = 0; r < reps; ++r) {
      for (int a = 0; a < Arms::kCount; ++a) col[a].push_back(arms.values[size_t(a)][size_t(r)][k]);
      diff[0].push_back(col[0].back() - col[1].back());
      diff[1].push_back(col[0].back() - col[2].back());
    }
    md += "| " + names[k].name + " | " + names[k].unit;
    for (int a = 0; a < Arms::kCount; ++a) {
      const Interval i = describe(col[a]);
      md += " | " + show(i, 3);
      csv += "comparison," + csv_field(names[k].name) + ",," + Arms::kNames[a] + ",," + num(i.mean, 4) + "," +
             num(i.p5, 4) + "," + num(i.p95, 4) + "," + csv_field(names[k].unit) + "\n";
    }
    for (int dd = 0; dd < 2; ++dd) {
      const Interval i = describe(diff[dd]);
      md += " | " + show(i, 3);
      csv += "comparison," + csv_field(names[k].name) + ",," + (dd == 0 ? "players-nothing" : "players-expected") +
             ",," + num(i.mean, 4) + "," + num(i.p5, 4) + "," + num(i.p95, 4) + "," + csv_field(names[k].unit) + "\n";
    }
    md += " |\n";
  }
  md += "\n## Went well / to improve\n\n";
  if (observations.empty())
    md += "(None yet: the trainer adds them to " + std::string(kObservationsFile) +
          " in the exercise folder, one a line: `went_well,TEXT` or `to_improve,TEXT`, and runs the review again.)\n";
  for (const char* kind : {"went_well", "to_improve"}) {
    md += std::string("\n### ") + (kind[0] == 'w' ? "Went well" : "To improve") + "\n\n";
    for (const auto& [k, text] : observations)
      if (k == kind) {
        md += "- " + text + "\n";
        csv += std::string("observation,,,") + kind + ",,,,," + csv_field(text) + "\n";
      }
  }
  return f;
}

}  // namespace vg::exercise
