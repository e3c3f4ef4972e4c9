#include "metrics/summary.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/time.h"

namespace vg::metrics {

double percentile_sorted(const std::vector<double>& v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = q * double(v.size() - 1);
  const size_t lo = size_t(std::floor(pos));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - double(lo)) * (v[hi] - v[lo]);
}

Stat describe(std::vector<double> values) {
  std::erase_if(values, [](double x) { return !std::isfinite(x); });
  Stat s;
  s.n = int(values.size());
  if (values.empty()) {
    s.mean = s.p5 = s.p95 = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  // Summed in replicate order: the same bits whatever the thread count that produced them.
  double sum = 0;
  for (double x : values) sum += x;
  s.mean = sum / double(values.size());
  std::sort(values.begin(), values.end());
  s.p5 = percentile_sorted(values, 0.05);
  s.p95 = percentile_sorted(values, 0.95);
  return s;
}

namespace {

double ratio(double a, double b) { return b > 0 ? a / b : std::numeric_limits<double>::quiet_NaN(); }

}  // namespace

std::vector<std::pair<NamedStat, double>> replicate_metrics(const ReplicateResult& r, const std::vector<size_t>& villages) {
  VillageTotals t;
  auto add = [&](const VillageTotals& v) {
    t.returnees += v.returnees;
    t.screened += v.screened;
    t.screened_within_24h += v.screened_within_24h;
    t.key_identified += v.key_identified;
    t.key_tracked += v.key_tracked;
    t.key_fully_tracked += v.key_fully_tracked;
    t.tracking_days += v.tracking_days;
    t.tracking_complete_days += v.tracking_complete_days;
    t.tasks_late += v.tasks_late;
    t.backlog_end += v.backlog_end;
    t.monitored_days += v.monitored_days;
    t.post_minutes_required += v.post_minutes_required;
    t.post_minutes_staffed += v.post_minutes_staffed;
    t.households += v.households;
    t.households_contacted += v.households_contacted;
    t.households_without_contact_member += v.households_without_contact_member;
    t.infections_local += v.infections_local;
    t.infections_imported += v.infections_imported;
    t.returnee_onsets += v.returnee_onsets;
    t.detected += v.detected;
    t.detected_at_check += v.detected_at_check;
    t.local_cases_isolated += v.local_cases_isolated;
    t.detection_delay_minutes += v.detection_delay_minutes;
    t.epidemic = t.epidemic || v.epidemic;
    t.supplies = t.supplies || v.supplies;
    t.stockout_days += v.stockout_days;
    t.tasks_without_supplies += v.tasks_without_supplies;
    t.money_spent += v.money_spent;
    t.tasks_skipped_for_supplies += v.tasks_skipped_for_supplies;
    t.tasks_degraded += v.tasks_degraded;
    t.monitoring_days_without_supplies += v.monitoring_days_without_supplies;
    t.requests_refused_for_funds += v.requests_refused_for_funds;
    t.funds_left += v.funds_left;
  };
  if (villages.empty())
    for (const auto& v : r.villages) add(v);
  else
    for (size_t v : villages) add(r.villages[v]);
  auto m = [](const char* name, const char* unit, double value) { return std::make_pair(NamedStat{name, unit, {}}, value); };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {
      m("returnees", "people", t.returnees),
      m("screened", "people", t.screened),
      m("screened_share", "share", ratio(t.screened, t.returnees)),
      m("screened_within_24h", "people", t.screened_within_24h),
      m("screened_within_24h_share", "share", ratio(t.screened_within_24h, t.returnees)),
      m("key_identified", "people", t.key_identified),
      m("key_tracked", "people", t.key_tracked),
      m("key_fully_tracked", "people", t.key_fully_tracked),
      m("team_complete_share", "share", ratio(double(t.tracking_complete_days), double(t.tracking_days))),
      m("tasks_late", "tasks", t.tasks_late),
      m("backlog_end", "tasks", t.backlog_end),
      m("monitored_person_days", "person-days", double(t.monitored_days)),
      m("post_hours_required", "hours", double(t.post_minutes_required) / 60.0),
      m("post_hours_staffed_share", "share", ratio(double(t.post_minutes_staffed), double(t.post_minutes_required))),
      m("households_contacted_share", "share", ratio(t.households_contacted, t.households)),
      m("households_never_contacted", "households",
        t.households > 0 ? double(t.households - t.households_contacted) : std::numeric_limits<double>::quiet_NaN()),
      m("households_without_contact_member", "households",
        t.households > 0 ? double(t.households_without_contact_member) : std::numeric_limits<double>::quiet_NaN()),
      m("infections_imported", "people", t.epidemic ? double(t.infections_imported) : nan),
      m("infections_local", "people", t.epidemic ? double(t.infections_local) : nan),
      m("local_cases_isolated", "people", t.epidemic ? double(t.local_cases_isolated) : nan),
      m("returnee_cases_detected_share", "share", ratio(t.detected, t.returnee_onsets)),
      m("detected_at_check_share", "share", ratio(t.detected_at_check, t.detected)),
      m("detection_delay_days", "days", ratio(double(t.detection_delay_minutes) / double(kMinutesPerDay), t.detected)),
      m("stockout_village_days", "days", t.supplies ? double(t.stockout_days) : nan),
      m("tasks_without_supplies", "tasks", t.supplies ? double(t.tasks_without_supplies) : nan),
      m("tasks_skipped_for_supplies", "tasks", t.supplies ? double(t.tasks_skipped_for_supplies) : nan),
      m("tasks_done_degraded", "tasks", t.supplies ? double(t.tasks_degraded) : nan),
      m("monitoring_days_without_supplies", "person-days", t.supplies ? double(t.monitoring_days_without_supplies) : nan),
      m("money_spent", "yuan", t.supplies ? t.money_spent : nan),
      m("requests_refused_for_funds", "requests", t.supplies ? double(t.requests_refused_for_funds) : nan),
      m("funds_left", "yuan", t.supplies ? t.funds_left : nan),
  };
}

std::vector<int> first_roles_out(const ReplicateResult& r) {
  int first = -1;
  for (const auto& x : r.roles)
    if (x.first_day_out_of_hours >= 0 && (first < 0 || x.first_day_out_of_hours < first)) first = x.first_day_out_of_hours;
  std::vector<int> out;
  for (size_t i = 0; i < r.roles.size() && first >= 0; ++i)
    if (r.roles[i].first_day_out_of_hours == first) out.push_back(int(i));
  return out;
}

namespace {

std::vector<NamedStat> describe_metrics(const std::vector<ReplicateResult>& reps, const std::vector<size_t>& villages) {
  std::vector<NamedStat> out;
  std::vector<std::vector<double>> columns;
  for (const auto& r : reps) {
    auto row = replicate_metrics(r, villages);
    if (out.empty()) {
      for (auto& [ns, v] : row) out.push_back(ns);
      columns.resize(row.size());
    }
    for (size_t i = 0; i < row.size(); ++i) columns[i].push_back(row[i].second);
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].stat = describe(std::move(columns[i]));
  return out;
}

}  // namespace

Summary summarise(const std::vector<ReplicateResult>& reps, const std::vector<std::string>& role_names,
                  const std::vector<std::string>& village_names, const std::vector<std::string>& village_towns) {
  Summary s;
  s.replicates = int(reps.size());
  s.metrics = describe_metrics(reps, {});
  for (size_t v = 0; v < village_names.size(); ++v)
    s.villages.push_back({village_names[v], village_towns[v], describe_metrics(reps, {v})});
  std::vector<std::string> town_order;
  for (const auto& t : village_towns)
    if (std::find(town_order.begin(), town_order.end(), t) == town_order.end()) town_order.push_back(t);
  for (const auto& t : town_order) {
    std::vector<size_t> vs;
    for (size_t v = 0; v < village_towns.size(); ++v)
      if (village_towns[v] == t) vs.push_back(v);
    s.towns.push_back({t, "", describe_metrics(reps, vs)});
  }
  for (int g = 0; g < kGuidelineSlots; ++g) {
    std::vector<double> created, late;
    for (const auto& r : reps) {
      if (size_t(g) >= r.guidelines.size()) continue;
      created.push_back(double(r.guidelines[size_t(g)].tasks_created));
      late.push_back(double(r.guidelines[size_t(g)].tasks_late));
    }
    GuidelineSummary gs{g, describe(created), describe(late)};
    if (gs.tasks_created.n > 0 && gs.tasks_created.mean > 0) s.guidelines.push_back(gs);
  }

  std::vector<int> first_counts(role_names.size(), 0);
  std::vector<double> first_days;
  for (const auto& r : reps) {
    auto f = first_roles_out(r);
    for (int role : f) first_counts[size_t(role)]++;
    if (!f.empty()) first_days.push_back(r.roles[size_t(f.front())].first_day_out_of_hours);
  }
  s.first_day_out_mean = describe(first_days).mean;
  const double n = std::max<double>(1, double(reps.size()));
  for (size_t role = 0; role < role_names.size(); ++role) {
    RoleSummary rs;
    rs.role = role_names[role];
    std::vector<double> avail, worked, overtime, demanded, util, days_out, first_day, missing, busiest, ill;
    int ran_out = 0;
    for (const auto& r : reps) {
      const auto& x = r.roles[role];
      avail.push_back(double(x.minutes_available) / 60.0);
      worked.push_back(double(x.minutes_worked) / 60.0);
      overtime.push_back(double(x.minutes_overtime) / 60.0);
      demanded.push_back(double(x.minutes_demanded) / 60.0);
      util.push_back(ratio(double(x.minutes_worked), double(x.minutes_available)));
      days_out.push_back(x.days_out_of_hours);
      missing.push_back(double(x.team_days_missing));
      busiest.push_back(double(x.busiest_minutes) / 60.0);
      ill.push_back(double(x.days_ill));
      if (x.first_day_out_of_hours >= 0) {
        ++ran_out;
        first_day.push_back(x.first_day_out_of_hours);
      }
    }
    rs.hours_available = describe(avail);
    rs.hours_worked = describe(worked);
    rs.hours_overtime = describe(overtime);
    rs.hours_demanded = describe(demanded);
    rs.utilisation = describe(util);
    rs.days_out_of_hours = describe(days_out);
    rs.team_days_missing = describe(missing);
    rs.busiest_hours = describe(busiest);
    rs.days_ill = describe(ill);
    rs.ran_out_share = ran_out / n;
    rs.first_day_out_of_hours = describe(first_day);
    rs.first_to_run_out_share = first_counts[role] / n;
    s.roles.push_back(std::move(rs));
  }
  std::vector<size_t> order;
  for (size_t role = 0; role < role_names.size(); ++role)
    if (2 * first_counts[role] >= int(reps.size()) && first_counts[role] > 0) order.push_back(role);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (first_counts[a] != first_counts[b]) return first_counts[a] > first_counts[b];
    return s.roles[a].hours_worked.mean > s.roles[b].hours_worked.mean;
  });
  for (size_t role : order) {
    s.first_roles_out.push_back(role_names[role]);
    s.first_roles_out_share.push_back(first_counts[role] / n);
  }
  return s;
}

}  // namespace vg::metrics
