// The players' screen: the live run's state at the current stop (view.h).
#include "exercise/view.h"

#include "sim/absences.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vg::exercise {

namespace {

// The own staff of a role of a place (village `gv`, or -1: the town's pool) on duty on `day`:
// available by then and not absent (the scheduled absences pick members in roster order, as
// sim/town/schedule.cpp does). Illness is not counted here (it shows as hours not worked).
std::pair<int, double> on_duty(const sim::Model& m, int town, int32_t gv, int role, int day) {
  if (day < 0) return {0, 0.0};
  const auto& roster = m.rosters[size_t(town)];
  std::vector<int> members;
  for (int st : roster.by_role[size_t(role)])
    if (roster.staff[size_t(st)].village == gv) members.push_back(st);
  std::vector<uint8_t> absent(members.size(), 0);
  for (const auto& a : m.absences) {
    if (a.role != role || day < a.from_day || day > a.to_day) continue;
    if (a.village != gv && a.village != -2) continue;
    if (a.town >= 0 && a.town != town) continue;
    const auto [first, last] = sim::absent_members(a, members.size());
    for (size_t k = first; k < last; ++k) absent[k] = 1;
  }
  int count = 0;
  double hours = 0;
  for (size_t k = 0; k < members.size(); ++k) {
    const auto& st = roster.staff[size_t(members[k])];
    if (absent[k] || st.available_from_day > day) continue;
    ++count;
    hours += st.minutes_per_day / 60.0;
  }
  return {count, hours};
}

// Hours of work the own staff of a role of a place (as on_duty) started on `day`.
double worked(const RunOutput& run, const sim::Model& m, int town, int32_t gv, int role, int day) {
  if (day < 0) return 0;
  const auto& minutes = run.staff_worked[size_t(town)][size_t(day)];
  const auto& roster = m.rosters[size_t(town)];
  int64_t sum = 0;
  for (int st : roster.by_role[size_t(role)])
    if (roster.staff[size_t(st)].village == gv) sum += minutes[size_t(st)];
  return double(sum) / 60.0;
}

// The place's line per role it has staff of (on duty today or yesterday, or who worked yesterday).
std::vector<RoleLine> staff_lines(const RunOutput& run, const sim::Model& m, int town, int32_t gv, int day) {
  std::vector<RoleLine> out;
  for (int r = 0; r < m.roles(); ++r) {
    const auto today = on_duty(m, town, gv, r, day);
    const auto yesterday = on_duty(m, town, gv, r, day - 1);
    const double w = worked(run, m, town, gv, r, day - 1);
    if (today.first == 0 && yesterday.first == 0 && w == 0) continue;
    out.push_back({m.program->roles()[size_t(r)], today.first, today.second, w, yesterday.second});
  }
  return out;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// A role's figures, after its name padded to 28 (the columns of the STAFF header).
std::string role_figures(const RoleLine& r) {
  std::string name = r.role;
  name.resize(std::max<size_t>(name.size(), 28), ' ');
  return name + fmt("%7.0f", r.on_duty_today) + fmt("%11.1f", r.hours_per_day) + fmt("%22.1f", r.worked_yesterday) +
         " / " + fmt("%.1f", r.available_yesterday) + "\n";
}

const char* const kStaffColumns = "role                        on duty  hours/day   yesterday: worked / available\n";

// The STAFF table of a village's block.
std::string staff_table(const std::vector<RoleLine>& roles) {
  std::string o = std::string("   STAFF        ") + kStaffColumns;
  for (const auto& r : roles) o += std::string(16, ' ') + role_figures(r);
  return o;
}

// The towns' own staff, one line per town and role under one header, the figures in the villages'
// columns (a six-town drill stays on a projector's screen).
std::string town_staff_table(const std::vector<TownView>& towns) {
  size_t width = 12;
  for (const auto& t : towns) width = std::max(width, t.town.size());
  auto pad = [&](std::string s) {
    s.resize(width + 1, ' ');
    return s;
  };
  std::string o = " TOWN STAFF   each town's own, serving every village of the town\n";
  o += "   " + pad("town") + kStaffColumns;
  for (const auto& t : towns)
    for (const auto& r : t.roles) o += "   " + pad(t.town) + role_figures(r);
  return o;
}

nlohmann::ordered_json staff_json(const std::vector<RoleLine>& roles) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& r : roles)
    out.push_back({{"role", r.role},
                   {"on_duty_today", r.on_duty_today},
                   {"hours_per_day", r.hours_per_day},
                   {"worked_yesterday", r.worked_yesterday},
                   {"available_yesterday", r.available_yesterday}});
  return out;
}

std::string clock_of(int hour) { return (hour < 10 ? "0" : "") + std::to_string(hour) + ":00"; }

void village_alerts(const RunOutput& run, const sim::Model& m, int32_t gv, int from, int to, VillageView& vv) {
  const auto& rows = run.days[size_t(gv)];
  int64_t late = 0, key = 0;
  const auto& supplies = m.program->supplies();
  std::vector<std::string> out_days(supplies.size());  // a supply some task uses, out at a day's end
  for (int d = from; d < to; ++d) {
    const auto& row = rows[size_t(d)];
    late += row.tasks_late;
    key += row.key_identified;
    for (size_t k = 0; k < row.stock.size() && row.stockout; ++k)
      if (row.stock[k] <= 0) out_days[k] += (out_days[k].empty() ? "" : ", ") + std::to_string(d);
  }
  for (size_t k = 0; k < supplies.size(); ++k)
    if (!out_days[k].empty()) vv.alerts.push_back(supplies[k] + " OUT at the end of day(s) " + out_days[k]);
  const std::string span = to - from == 1 ? "on day " + std::to_string(from)
                                          : "on days " + std::to_string(from) + "-" + std::to_string(to - 1);
  // Orders of these days that bought less than asked: the channel's limit per request, or the funds.
  const size_t town = m.population->village_town[size_t(gv)];
  for (size_t i = 0; i < m.orders.size() && i < run.orders_filled.size(); ++i) {
    const auto& o = m.orders[i];
    const int64_t got = run.orders_filled[i];
    if (o.village != gv || o.day < from || o.day >= to || got < 0 || got >= o.amount) continue;
    const auto& ch = m.town_channels(town)[size_t(o.channel)];
    const std::string what = std::to_string(o.amount) + " " + supplies[size_t(o.supply)] + " via " +
                             m.town_program(town).channels()[size_t(o.channel)] + " on day " + std::to_string(o.day);
    const std::string each = fmt("%g", ch.unit_cost[size_t(o.supply)]) + " yuan each";
    if (ch.max_per_request > 0 && got == ch.max_per_request)
      vv.alerts.push_back("the order of " + what + " bought " + std::to_string(got) + ": the channel sells at most " +
                          std::to_string(ch.max_per_request) + " a request");
    else if (got == 0)
      vv.alerts.push_back("the order of " + what + " bought nothing: the funds left could not pay for one at " + each);
    else
      vv.alerts.push_back("the order of " + what + " bought " + std::to_string(got) +
                          ", all the funds left paid for at " + each);
  }
  if (late > 0) vv.alerts.insert(vv.alerts.begin(), std::to_string(late) + " tasks late " + span);
  if (key > 0) vv.alerts.insert(vv.alerts.begin(), std::to_string(key) + " new key persons " + span);
}

VillageView village_view(const RunOutput& run, const sim::Model& m, int32_t gv, int day, int prev) {
  VillageView vv;
  vv.village = m.population->village_name[size_t(gv)];
  const auto& rows = run.days[size_t(gv)];
  for (int d = 0; d < day; ++d) {
    const auto& r = rows[size_t(d)];
    vv.home += r.arrived;
    vv.registered += r.arrivals;
    vv.screened += r.screened;
    vv.late_total += r.tasks_late;
    vv.key_identified += r.key_identified;
  }
  vv.not_screened = std::max<int64_t>(0, vv.registered - vv.screened);
  const auto& prog = *m.program;
  if (day > 0) {
    const auto& y = rows[size_t(day - 1)];
    vv.backlog = y.backlog;
    vv.late_yesterday = y.tasks_late;
    vv.tracked = y.tracking_active;
    vv.teams_incomplete = y.tracking_active - y.tracking_complete;
    vv.not_tracked = std::max<int64_t>(0, vv.key_identified - vv.tracked);
    for (size_t k = 0; k < y.stock.size(); ++k) vv.stocks.emplace_back(prog.supplies()[k], y.stock[k]);
    if (!run.funds.empty() && !run.funds[size_t(gv)].empty()) vv.funds = run.funds[size_t(gv)][size_t(day - 1)];
  } else {
    for (size_t k = 0; k < m.initial_stock.size(); ++k) vv.stocks.emplace_back(prog.supplies()[k], m.initial_stock[k]);
    if (!m.village_funds.empty()) vv.funds = m.village_funds[size_t(gv)];
  }
  vv.has_funds = !m.village_funds.empty();
  vv.roles = staff_lines(run, m, int(m.population->village_town[size_t(gv)]), gv, day);
  if (day > prev) village_alerts(run, m, gv, prev, day, vv);
  return vv;
}

}  // namespace

View compute_view(const Session& s) {
  View v;
  const auto& x = s.spec();
  v.exercise = x.name;
  v.title = x.title;
  v.day = s.day();
  v.horizon = s.horizon();
  v.finished = v.day >= v.horizon;
  v.next_inject = s.next_inject_day();
  const auto commands = s.decisions();
  const sim::Model m = s.model(commands);
  v.date = config::Date::from_days_since_epoch(m.scenario.start_date.days_since_epoch() + v.day).str();
  // The previous stop, and the injects delivered at this one.
  int prev = 0;
  for (const auto& e : s.log().entries)
    if (e.kind == LogEntry::Kind::Advance && e.day < v.day) prev = e.day;
  std::vector<const Inject*> delivered;
  for (const auto& e : s.log().entries) {
    if (e.kind != LogEntry::Kind::Inject || e.day != v.day) continue;
    const Inject* in = find_inject(x, e.text);
    if (!in) continue;
    delivered.push_back(in);
    v.injects.push_back("[day " + std::to_string(in->day) + " " + clock_of(in->hour) + "] " + in->id + " (for " +
                        in->player + "): " + in->synopsis);
  }
  // Under the day each was given (a command `from day D` says D in its own words).
  for (const auto& c : commands) v.decisions.push_back("day " + std::to_string(c.given) + ": " + c.text);
  const RunOutput run = simulate(m, 0, false, true);
  const auto& names = m.population->village_name;
  std::vector<int> towns;  // of the played villages, in the order first played
  for (const auto& name : s.played_villages()) {
    const auto gv = int32_t(std::find(names.begin(), names.end(), name) - names.begin());
    v.villages.push_back(village_view(run, m, gv, v.day, prev));
    const int town = int(m.population->village_town[size_t(gv)]);
    if (std::find(towns.begin(), towns.end(), town) == towns.end()) towns.push_back(town);
  }
  // A fever inject delivered now that asks for a key person the village does not have (the key
  // persons as of 00:00 of its day, in the order they were found): nobody falls ill; said at once.
  for (const Inject* in : delivered) {
    if (in->effect.kind != Effect::Kind::Fever) continue;
    const auto& f = in->effect.fever;
    const auto gv = size_t(std::find(names.begin(), names.end(), f.village) - names.begin());
    if (gv >= names.size()) continue;
    int64_t keys = 0;
    for (int d = 0; d < in->day && d < int(run.days[gv].size()); ++d) keys += run.days[gv][size_t(d)].key_identified;
    if (keys >= f.key_person) continue;
    for (auto& vv : v.villages)
      if (vv.village == f.village)
        vv.alerts.push_back("inject '" + in->id + "' asks for key person " + std::to_string(f.key_person) + ", but " +
                            f.village + " has " + std::to_string(keys) + " as of 00:00 of day " +
                            std::to_string(in->day) + ": nobody falls ill");
  }
  for (int town : towns) {
    TownView tv{m.population->town_name[size_t(town)], staff_lines(run, m, town, -1, v.day)};
    if (!tv.roles.empty()) v.towns.push_back(std::move(tv));
  }
  return v;
}

std::string render_screen(const View& v) {
  const std::string rule(100, '=');
  std::string o = rule + "\n";
  o += " EXERCISE " + v.exercise + " - " + v.title + "\n";
  o += " DAY " + std::to_string(v.day) + " (" + v.date + ") 00:00    of " + std::to_string(v.horizon) + " days    ";
  o += v.finished                  ? std::string("EXERCISE OVER: run 'review'")
       : v.next_inject < v.horizon ? "next inject: day " + std::to_string(v.next_inject)
                                   : "no inject left: 'next' runs to the end";
  o += "\n" + rule + "\n";
  o += " NEW SINCE LAST STEP\n";
  if (v.injects.empty() &&
      std::all_of(v.villages.begin(), v.villages.end(), [](const VillageView& vv) { return vv.alerts.empty(); }))
    o += "   (nothing)\n";
  for (const auto& i : v.injects) o += "   INJECT " + i + "\n";
  for (const auto& vv : v.villages)
    for (const auto& a : vv.alerts) o += "   ALERT  " + vv.village + ": " + a + "\n";
  for (const auto& vv : v.villages) {
    o += std::string(100, '-') + "\n";
    o += " VILLAGE " + vv.village + "\n";
    o += "   RETURNEES    home " + std::to_string(vv.home) + "   found " + std::to_string(vv.registered) +
         "   screened " + std::to_string(vv.screened) + "   NOT YET SCREENED " + std::to_string(vv.not_screened) + "\n";
    o += "   WORK         backlog " + std::to_string(vv.backlog) + "   late yesterday " +
         std::to_string(vv.late_yesterday) + "   late so far " + std::to_string(vv.late_total) + "\n";
    o += "   KEY PERSONS  identified " + std::to_string(vv.key_identified) + "   tracked " +
         std::to_string(vv.tracked) +
         (vv.not_tracked > 0 ? "   NOT TRACKED " + std::to_string(vv.not_tracked) : std::string()) +
         "   TEAMS INCOMPLETE " + std::to_string(vv.teams_incomplete) + "\n";
    o += staff_table(vv.roles);
    o += "   STOCKS      ";
    for (const auto& [name, n] : vv.stocks) o += " " + name + " " + std::to_string(n) + (n <= 0 ? " (OUT)" : "") + " ";
    if (vv.has_funds) o += "  FUNDS " + fmt("%.0f", vv.funds) + " yuan";
    o += "\n";
  }
  if (!v.towns.empty()) o += std::string(100, '-') + "\n" + town_staff_table(v.towns);
  o += std::string(100, '-') + "\n";
  o += " DECISIONS SO FAR: " + std::to_string(v.decisions.size()) + "\n";
  const size_t shown = std::min<size_t>(v.decisions.size(), 5);
  if (shown < v.decisions.size())  // the screen has room for the last five; say that more were given
    o +=
        "   (" + std::to_string(v.decisions.size() - shown) + " earlier not shown; all in state.json and the review)\n";
  for (size_t k = v.decisions.size() - shown; k < v.decisions.size(); ++k) o += "   " + v.decisions[k] + "\n";
  o += rule + "\n";
  return o;
}

std::string render_json(const View& v) {
  nlohmann::ordered_json j;
  j["exercise"] = v.exercise;
  j["day"] = v.day;
  j["date"] = v.date;
  j["horizon"] = v.horizon;
  j["finished"] = v.finished;
  if (v.next_inject < v.horizon)
    j["next_inject"] = v.next_inject;
  else
    j["next_inject"] = nullptr;  // none left: `next` runs to the end
  j["injects"] = v.injects;
  j["decisions"] = v.decisions;
  auto& vs = j["villages"] = nlohmann::ordered_json::array();
  for (const auto& vv : v.villages) {
    nlohmann::ordered_json x;
    x["village"] = vv.village;
    x["returnees"] = {
        {"home", vv.home}, {"found", vv.registered}, {"screened", vv.screened}, {"not_yet_screened", vv.not_screened}};
    x["work"] = {{"backlog", vv.backlog}, {"late_yesterday", vv.late_yesterday}, {"late_so_far", vv.late_total}};
    x["key_persons"] = {{"identified", vv.key_identified},
                        {"tracked", vv.tracked},
                        {"not_tracked", vv.not_tracked},
                        {"teams_incomplete", vv.teams_incomplete}};
    x["staff"] = staff_json(vv.roles);
    auto& stocks = x["stocks"] = nlohmann::ordered_json::object();
    for (const auto& [name, n] : vv.stocks) stocks[name] = n;
    if (vv.has_funds) x["funds"] = vv.funds;
    x["alerts"] = vv.alerts;
    vs.push_back(std::move(x));
  }
  auto& ts = j["towns"] = nlohmann::ordered_json::array();
  for (const auto& t : v.towns) ts.push_back({{"town", t.town}, {"staff", staff_json(t.roles)}});
  return j.dump() + "\n";
}

}  // namespace vg::exercise
