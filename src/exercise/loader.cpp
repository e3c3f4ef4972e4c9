// Reading an exercise file (exercise.h; the format in docs/exercises.md).
#include <algorithm>
#include <filesystem>

#include "config/reader.h"
#include "exercise/exercise.h"

namespace vg::exercise {

namespace {

using config::MapReader;
using config::required;
using config::YamlNode;

using config::for_each_map;

// A list of names (villages, roles), each with where it is.
void read_names(MapReader& m, std::string_view key, std::vector<std::string>& names, std::vector<SourceLoc>& locs) {
  const YamlNode* n = m.get(key);
  if (!n || !config::expect_list(*n, m.diags(), key)) return;
  for (const auto& item : n->items)
    if (auto v = config::read_string(item, m.diags(), key)) {
      names.push_back(*v);
      locs.push_back(item.loc);
    }
}

void read_name_at(MapReader& m, config::Key key, std::string& name, SourceLoc& loc) {
  if (const YamlNode* n = m.lookup(key)) {
    loc = n->loc;
    if (auto v = config::read_string(*n, m.diags(), key.name)) name = *v;
  }
}

constexpr int kMaxDay = 3650;

void read_header(const YamlNode& n, Diagnostics& d, ExerciseSpec& x) {
  MapReader m(n, d, "'exercise'");
  if (!m.ok()) return;
  if (auto v = m.identifier(required("name"), "exercise name")) x.name = *v;
  if (auto v = m.string("title")) x.title = *v;
  if (const YamlNode* s = m.require("scenario")) {
    x.scenario_loc = s->loc;
    if (auto v = config::read_string(*s, d, "scenario")) {
      std::filesystem::path p(*v);
      x.scenario_file = p.is_absolute() ? p.lexically_normal().string()
                                        : (std::filesystem::path(x.path).parent_path() / p).lexically_normal().string();
      std::error_code ec;  // at the `scenario:` line, as a scenario's missing rule file is at its own
      if (!std::filesystem::is_regular_file(x.scenario_file, ec))
        d.error(s->text_loc(), "scenario file not found: " + x.scenario_file);
    }
  }
  if (const YamlNode* h = m.get("horizon_days")) x.horizon_loc = h->loc;
  if (auto v = m.integer("horizon_days", 1, kMaxDay, "horizon_days")) x.horizon_days = int(*v);
  if (auto v = m.integer("background_replicates", 0, 1000, "background_replicates")) x.background_replicates = int(*v);
  m.finish();
}

void read_objective(MapReader& m, const YamlNode& item, Objective& o) {
  o.loc = item.loc;
  if (auto v = m.identifier(required("id"), "objective id")) o.id = *v;
  if (auto v = m.string(required("title"))) o.title = *v;
  static constexpr std::string_view kMeasures[] = {"screen_within", "teams_complete", "supply_out_at_most"};
  const auto measure = m.choice(required("measure"), kMeasures, "measure");
  if (measure) o.measure = Objective::Measure(*measure);
  const YamlNode* inject = m.get("inject");
  const YamlNode* hours = m.get("hours");
  const YamlNode* supply = m.get("supply");
  const YamlNode* days = m.get("days");
  auto& d = m.diags();
  if (inject) {
    o.inject_loc = inject->loc;
    if (auto v = config::read_identifier(*inject, d, "inject")) o.inject = *v;
  }
  if (hours)
    if (auto v = config::read_number(*hours, d, "hours", 1, 24 * 60)) o.hours = *v;
  if (supply) {
    o.supply_loc = supply->loc;
    if (auto v = config::read_identifier(*supply, d, "supply")) o.supply = *v;
  }
  if (days)
    if (auto v = config::read_int(*days, d, "days", 0, kMaxDay)) o.days = int(*v);
  if (auto v = m.number("partly", 0, 1, "partly (a share)")) o.partly = *v;
  static constexpr std::string_view kFrom[] = {"found", "home"};
  const YamlNode* from = m.get("from");
  if (from)
    if (auto c = config::read_choice(*from, d, "from (when the hours start)", kFrom)) o.from_found = *c == 0;
  if (!measure) {  // missing or misspelt (reported): the keys are not checked against a guessed measure
    o.inject.clear();
    return;
  }
  using M = Objective::Measure;
  if (o.measure == M::ScreenWithin && !inject) d.error(item.loc, "measure screen_within needs 'inject' (a surge)");
  if (o.measure == M::SupplyOutAtMost && !supply) d.error(item.loc, "measure supply_out_at_most needs 'supply'");
  if (o.measure != M::ScreenWithin && (inject || hours || from))
    d.error((inject  ? inject
             : hours ? hours
                     : from)
                ->loc,
            "'inject', 'hours' and 'from' belong to measure screen_within");
  if (o.measure != M::SupplyOutAtMost && (supply || days))
    d.error((supply ? supply : days)->loc, "'supply' and 'days' belong to measure supply_out_at_most");
}

// `effect:` none, or one of surge, absence, stock, fever, raise (a mapping with one key).
void read_effect(const YamlNode& n, Diagnostics& d, const Inject& in, Effect& e) {
  if (n.is_scalar() && n.scalar == "none") return;  // a directive or a rumour: no effect
  if (n.is_scalar()) {                              // a value that is not `none`: the one value an effect may be
    static const std::string_view kNone[] = {"none"};
    const std::string hint = did_you_mean(n.scalar, kNone);
    d.error(n.loc, "effect '" + n.scalar + "': an effect is `none` or a mapping of one of surge, absence, stock, " +
                       "fever, raise" + (hint.empty() ? std::string() : hint));
    return;
  }
  MapReader m(n, d, "effect");
  if (!m.ok()) return;
  static constexpr std::string_view kKinds[] = {"none", "surge", "absence", "stock", "fever", "raise"};
  if (n.entries.size() != 1) {
    d.error(n.loc, "an effect is one of: none, surge, absence, stock, fever, raise");
    for (const auto& [k, v] : n.entries) m.get(k.scalar);
    return;
  }
  const YamlNode& key = n.entries[0].first;
  auto kind = config::read_choice(key, d, "effect", kKinds);
  m.get(key.scalar);
  m.finish();
  if (!kind) return;
  e.kind = Effect::Kind(*kind);
  const YamlNode& body = n.entries[0].second;
  if (e.kind == Effect::Kind::None) return;
  MapReader b(body, d, std::string(kKinds[*kind]));
  if (!b.ok()) return;
  if (e.kind == Effect::Kind::Surge) {
    auto& s = e.surge;
    s.loc = body.loc;
    read_name_at(b, required("village"), s.village, s.village_loc);
    read_name_at(b, required("origin"), s.origin, s.origin_loc);
    if (auto v = b.integer(required("returnees"), 1, 100'000, "returnees")) s.count = int(*v);
    if (auto v = b.number("over_hours", 1.0 / 60, 24 * 14, "over_hours")) s.over_minutes = int(*v * 60);
    s.day = in.day;
    s.minute = in.hour * 60;
  } else if (e.kind == Effect::Kind::Absence) {
    auto& a = e.absence;
    a.loc = body.loc;
    read_name_at(b, required("role"), a.role, a.role_loc);
    read_name_at(b, required("village"), a.place, a.place_loc);
    const YamlNode* member = b.get("member");
    const YamlNode* share = b.get("share");
    if (int(member != nullptr) + int(share != nullptr) != 1)
      d.error(body.loc, "an absence names one of: member (which one, from 1) or share of the role's members");
    if (member)
      if (auto v = config::read_int(*member, d, "member", 1, 1'000'000)) a.member = int(*v);
    if (share)
      if (auto v = config::read_number(*share, d, "share", 0, 1)) a.share = *v;
    if (auto v = b.integer(required("days"), 1, kMaxDay, "days off duty")) {
      a.from_day = in.day;
      a.to_day = in.day + int(*v) - 1;
    }
  } else if (e.kind == Effect::Kind::Fever) {
    auto& f = e.fever;
    f.loc = body.loc;
    read_name_at(b, required("village"), f.village, f.village_loc);
    if (auto v = b.integer("key_person", 1, 1'000'000, "key_person (which one, from 1)")) f.key_person = int(*v);
    f.day = in.day;
    f.minute = in.hour * 60;
  } else if (e.kind == Effect::Kind::Raise) {
    auto& r = e.raise;
    r.loc = body.loc;
    read_name_at(b, required("event"), r.event, r.event_loc);
    read_name_at(b, required("village"), r.village, r.village_loc);
    r.day = in.day;
    r.minute = in.hour * 60;
  } else {
    auto& st = e.stock;
    st.loc = body.loc;
    read_name_at(b, required("supply"), st.supply, st.supply_loc);
    read_name_at(b, "village", st.village, st.village_loc);
    if (auto v = b.integer(required("level"), 0, 1'000'000'000, "stock level")) st.level = *v;
    st.day = in.day;
  }
  b.finish();
}

void read_inject(MapReader& m, const YamlNode& item, Inject& in) {
  in.loc = item.loc;
  auto& d = m.diags();
  if (auto v = m.identifier(required("id"), "inject id")) in.id = *v;
  if (const YamlNode* day = m.get("day")) in.day_loc = day->loc;
  if (auto v = m.integer(required("day"), 0, kMaxDay, "day")) in.day = int(*v);
  if (auto v = m.integer("hour", 0, 23, "hour")) in.hour = int(*v);
  if (auto v = m.string(required("synopsis"))) in.synopsis = *v;
  read_name_at(m, required("player"), in.player, in.player_loc);
  read_name_at(m, "objective", in.objective, in.objective_loc);
  if (const YamlNode* e = m.require("effect")) read_effect(*e, d, in, in.effect);
  if (const YamlNode* ex = m.get("expected"))
    for_each_map(*ex, d, "expected", "expected action", [&](MapReader& em, const YamlNode& one) {
      Expected& a = in.expected.emplace_back();
      a.loc = one.loc;
      if (const YamlNode* c = em.require("action")) {
        a.loc = c->text_loc();
        if (auto v = config::read_string(*c, d, "action")) a.command = *v;
      }
      if (const YamlNode* by = em.get("by_day")) a.day_loc = by->loc;
      if (auto v = em.integer(required("by_day"), 0, kMaxDay, "by_day")) a.day = int(*v);
      if (a.day < in.day) d.error(one.loc, "an expected action is due (by_day) before its inject's day");
    });
}

// Ids unique; players, objectives and the objectives' injects named as declared.
void check_names(ExerciseSpec& x, Diagnostics& d) {
  std::vector<std::string> teams, objectives, injects;
  auto unique = [&](std::vector<std::string>& seen, const std::string& id, const SourceLoc& loc, const char* what) {
    if (std::find(seen.begin(), seen.end(), id) != seen.end())
      d.error(loc, std::string("duplicate ") + what + " '" + id + "'");
    seen.push_back(id);
  };
  for (const auto& t : x.teams) unique(teams, t.name, t.loc, "team");
  for (const auto& o : x.objectives) unique(objectives, o.id, o.loc, "objective");
  for (const auto& i : x.injects) unique(injects, i.id, i.loc, "inject");
  const KnownNames shown{"; declared: ", "; none declared"};
  for (const auto& i : x.injects) {
    if (!i.player.empty() && std::find(teams.begin(), teams.end(), i.player) == teams.end())
      d.error(i.player_loc, unknown_name("team", i.player, teams, shown));
    if (!i.objective.empty() && std::find(objectives.begin(), objectives.end(), i.objective) == objectives.end())
      d.error(i.objective_loc, unknown_name("objective", i.objective, objectives, shown));
  }
  for (const auto& o : x.objectives) {
    // No inject: a missing key, a bad name or an unknown measure, each reported where it was read.
    if (o.measure != Objective::Measure::ScreenWithin || o.inject.empty()) continue;
    const Inject* in = find_inject(x, o.inject);
    if (!in)
      d.error(o.inject_loc, unknown_name("inject", o.inject, injects, shown));
    else if (in->effect.kind != Effect::Kind::Surge)
      d.error(o.inject_loc, "inject '" + o.inject + "' is not a surge; screen_within measures a surge's returnees");
  }
  std::stable_sort(x.injects.begin(), x.injects.end(),
                   [](const Inject& a, const Inject& b) { return a.day != b.day ? a.day < b.day : a.hour < b.hour; });
}

}  // namespace

const Inject* find_inject(const ExerciseSpec& x, const std::string& id) {
  for (const auto& i : x.injects)
    if (i.id == id) return &i;
  return nullptr;
}

std::optional<ExerciseSpec> load_exercise(const std::string& path, Diagnostics& d) {
  const size_t errors_before = d.error_count();
  auto root = config::load_yaml_file(path, d);
  if (!root) return std::nullopt;
  ExerciseSpec x;
  x.path = path;
  MapReader top(*root, d, "exercise file");
  if (!top.ok()) return std::nullopt;
  if (const YamlNode* h = top.require("exercise")) read_header(*h, d, x);
  if (const YamlNode* p = top.require("players"))
    for_each_map(*p, d, "players", "team", [&](MapReader& m, const YamlNode& item) {
      Team& t = x.teams.emplace_back();
      t.loc = item.loc;
      if (auto v = m.identifier(required("team"), "team name")) t.name = *v;
      read_names(m, "villages", t.villages, t.village_locs);
      read_names(m, "roles", t.roles, t.role_locs);
      if (t.villages.empty()) d.error(item.loc, "a team plays at least one village ('villages')");
    });
  if (const YamlNode* o = top.get("objectives"))
    for_each_map(*o, d, "objectives", "objective",
                 [&](MapReader& m, const YamlNode& item) { read_objective(m, item, x.objectives.emplace_back()); });
  if (const YamlNode* l = top.require("msel"))
    for_each_map(*l, d, "msel", "inject",
                 [&](MapReader& m, const YamlNode& item) { read_inject(m, item, x.injects.emplace_back()); });
  top.finish();
  check_names(x, d);
  if (d.error_count() > errors_before) return std::nullopt;
  return x;
}

}  // namespace vg::exercise
