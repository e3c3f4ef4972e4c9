// Every metric, one row each, in one table per scope: the counts a replicate records (per village,
// role, guideline and day: results.h) and how the counts of two parts merge (the villages of a
// town or region, the towns of a replicate), and the metrics reported from them (summary.json,
// timeseries.csv) with their unit and how they are taken over replicates. summary.cpp, runner.cpp
// and io/outputs.cpp are loops over these tables, so a metric is one row here (and a line of
// docs/metrics.md, which a test holds to these tables); a record's field without a row fails to
// compile.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/time.h"
#include "metrics/results.h"

namespace vg::metrics {

// How the counts of two parts merge: added, the larger, either set, or the earlier day (-1: never).
enum class Merge : uint8_t { Sum, Max, Any, Earliest };

template <class Record>
struct Count {
  std::string_view name;
  std::variant<int32_t Record::*, int64_t Record::*, double Record::*, bool Record::*> field;
  Merge merge;
};

// Adds `from` into `into`, field by field, as the table says.
template <class Record>
void merge_counts(Record& into, const Record& from, std::type_identity_t<std::span<const Count<Record>>> counts) {
  for (const auto& c : counts)
    std::visit(
        [&](auto m) {
          auto& a = into.*m;
          const auto b = from.*m;
          if constexpr (std::is_same_v<std::remove_reference_t<decltype(a)>, bool>) {
            a = a || b;  // Merge::Any, the only merge of a flag
          } else {
            switch (c.merge) {
              case Merge::Sum: a += b; break;
              case Merge::Max: a = std::max(a, b); break;
              case Merge::Any: a = std::remove_reference_t<decltype(a)>(a != 0 || b != 0); break;
              case Merge::Earliest:
                if (b >= 0 && (a < 0 || b < a)) a = b;
                break;
            }
          }
        },
        c.field);
}

// A count's value, as a number.
template <class Record>
double count_value(const Record& r, const Count<Record>& c) {
  return std::visit([&](auto m) { return double(r.*m); }, c.field);
}

namespace detail {
// How many fields an aggregate has: the most initialisers it takes (for the static_asserts below).
struct AnyField {
  template <class T>
  operator T() const;
};
template <class T, class... A>
constexpr size_t field_count() {
  if constexpr (requires { T{A{}..., AnyField{}}; })
    return field_count<T, A..., AnyField>();
  else
    return sizeof...(A);
}
inline double ratio(double a, double b) { return b > 0 ? a / b : std::numeric_limits<double>::quiet_NaN(); }
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace detail

// A village's totals; a town's or the region's are its villages' merged.
inline constexpr Count<VillageTotals> kVillageCounts[] = {
    {"returnees_arrived", &VillageTotals::returnees_arrived, Merge::Sum},
    {"returnees", &VillageTotals::returnees, Merge::Sum},
    {"found_self_report", &VillageTotals::found_self_report, Merge::Sum},
    {"found_household_visit", &VillageTotals::found_household_visit, Merge::Sum},
    {"found_checkpoint", &VillageTotals::found_checkpoint, Merge::Sum},
    {"found_care_seeking", &VillageTotals::found_care_seeking, Merge::Sum},
    {"found_neighbour_report", &VillageTotals::found_neighbour_report, Merge::Sum},
    {"found_minutes", &VillageTotals::found_minutes, Merge::Sum},
    {"screened", &VillageTotals::screened, Merge::Sum},
    {"screened_within_24h", &VillageTotals::screened_within_24h, Merge::Sum},
    {"screened_within_24h_of_arrival", &VillageTotals::screened_within_24h_of_arrival, Merge::Sum},
    {"screened_minutes_from_arrival", &VillageTotals::screened_minutes_from_arrival, Merge::Sum},
    {"key_identified", &VillageTotals::key_identified, Merge::Sum},
    {"key_tracked", &VillageTotals::key_tracked, Merge::Sum},
    {"key_fully_tracked", &VillageTotals::key_fully_tracked, Merge::Sum},
    {"tracking_days", &VillageTotals::tracking_days, Merge::Sum},
    {"tracking_complete_days", &VillageTotals::tracking_complete_days, Merge::Sum},
    {"tasks_late", &VillageTotals::tasks_late, Merge::Sum},
    {"tasks_done_after_deadline", &VillageTotals::tasks_done_after_deadline, Merge::Sum},
    {"backlog_end", &VillageTotals::backlog_end, Merge::Sum},
    {"monitored_days", &VillageTotals::monitored_days, Merge::Sum},
    {"post_minutes_required", &VillageTotals::post_minutes_required, Merge::Sum},
    {"post_minutes_staffed", &VillageTotals::post_minutes_staffed, Merge::Sum},
    {"households", &VillageTotals::households, Merge::Sum},
    {"households_contacted", &VillageTotals::households_contacted, Merge::Sum},
    {"household_days_contacted_7d", &VillageTotals::household_days_contacted_7d, Merge::Sum},
    {"household_days_7d", &VillageTotals::household_days_7d, Merge::Sum},
    {"households_without_contact_member", &VillageTotals::households_without_contact_member, Merge::Sum},
    {"infections_local", &VillageTotals::infections_local, Merge::Sum},
    {"infections_imported", &VillageTotals::infections_imported, Merge::Sum},
    {"returnee_onsets", &VillageTotals::returnee_onsets, Merge::Sum},
    {"detected", &VillageTotals::detected, Merge::Sum},
    {"detected_at_check", &VillageTotals::detected_at_check, Merge::Sum},
    {"local_cases_isolated", &VillageTotals::local_cases_isolated, Merge::Sum},
    {"local_cases_found_at_visit", &VillageTotals::local_cases_found_at_visit, Merge::Sum},
    {"detection_delay_minutes", &VillageTotals::detection_delay_minutes, Merge::Sum},
    {"epidemic", &VillageTotals::epidemic, Merge::Any},
    {"supplies", &VillageTotals::supplies, Merge::Any},
    {"stockout_days", &VillageTotals::stockout_days, Merge::Sum},
    {"tasks_without_supplies", &VillageTotals::tasks_without_supplies, Merge::Sum},
    {"tasks_skipped_for_supplies", &VillageTotals::tasks_skipped_for_supplies, Merge::Sum},
    {"tasks_degraded", &VillageTotals::tasks_degraded, Merge::Sum},
    {"monitoring_days_without_supplies", &VillageTotals::monitoring_days_without_supplies, Merge::Sum},
    {"requests_refused_for_funds", &VillageTotals::requests_refused_for_funds, Merge::Sum},
    {"money_spent", &VillageTotals::money_spent, Merge::Sum},
    {"funds_left", &VillageTotals::funds_left, Merge::Sum},
    {"first_stockout_day", &VillageTotals::first_stockout_day, Merge::Earliest},
    {"first_funds_short_day", &VillageTotals::first_funds_short_day, Merge::Earliest},
    {"out_of_hours_days", &VillageTotals::out_of_hours_days, Merge::Sum},  // village-days, merged
    {"first_out_of_hours_day", &VillageTotals::first_out_of_hours_day, Merge::Earliest},
};
static_assert(std::size(kVillageCounts) == detail::field_count<VillageTotals>(), "a row per VillageTotals field");

// A role's totals in one town; a replicate's are its towns' merged.
inline constexpr Count<RoleTotals> kRoleCounts[] = {
    {"minutes_available", &RoleTotals::minutes_available, Merge::Sum},
    {"minutes_worked", &RoleTotals::minutes_worked, Merge::Sum},
    {"minutes_overtime", &RoleTotals::minutes_overtime, Merge::Sum},
    {"minutes_demanded", &RoleTotals::minutes_demanded, Merge::Sum},
    {"minutes_could_do", &RoleTotals::minutes_could_do, Merge::Sum},
    {"minutes_unmet", &RoleTotals::minutes_unmet, Merge::Sum},
    {"first_day_out_of_hours", &RoleTotals::first_day_out_of_hours, Merge::Earliest},
    {"days_out_of_hours", &RoleTotals::days_out_of_hours, Merge::Max},  // the most of any town
    {"team_days_missing", &RoleTotals::team_days_missing, Merge::Sum},
    {"busiest_minutes", &RoleTotals::busiest_minutes, Merge::Max},
    {"days_ill", &RoleTotals::days_ill, Merge::Sum},
};
static_assert(std::size(kRoleCounts) == detail::field_count<RoleTotals>(), "a row per RoleTotals field");

// Tasks by guideline in one town; a replicate's are its towns' added. Reported as they are.
inline constexpr Count<GuidelineTotals> kGuidelineCounts[] = {
    {"tasks_created", &GuidelineTotals::tasks_created, Merge::Sum},
    {"tasks_late", &GuidelineTotals::tasks_late, Merge::Sum},
};
static_assert(std::size(kGuidelineCounts) == detail::field_count<GuidelineTotals>(), "a row per GuidelineTotals field");

// Tasks by kind in one town; a replicate's are its towns' added.
inline constexpr Count<TaskTotals> kTaskCounts[] = {
    {"tasks_created", &TaskTotals::tasks_created, Merge::Sum},
    {"tasks_done", &TaskTotals::tasks_done, Merge::Sum},
    {"tasks_late", &TaskTotals::tasks_late, Merge::Sum},
    {"minutes_worked", &TaskTotals::minutes_worked, Merge::Sum},
};
static_assert(std::size(kTaskCounts) == detail::field_count<TaskTotals>(), "a row per TaskTotals field");

// A village's day: the columns of timeseries.csv after its keys, in order (then minutes_worked_<role>
// and stock_<supply>, one per role and supply).
struct DayColumn {
  std::string_view name;
  int32_t DayRow::*field;
};
inline constexpr DayColumn kDayColumns[] = {
    {"arrived", &DayRow::arrived},
    {"arrivals", &DayRow::arrivals},
    {"found_self_report", &DayRow::found_self_report},
    {"found_household_visit", &DayRow::found_household_visit},
    {"found_checkpoint", &DayRow::found_checkpoint},
    {"found_care_seeking", &DayRow::found_care_seeking},
    {"found_neighbour_report", &DayRow::found_neighbour_report},
    {"screened", &DayRow::screened},
    {"screened_within_24h", &DayRow::screened_within_24h},
    {"key_identified", &DayRow::key_identified},
    {"tracking_active", &DayRow::tracking_active},
    {"tracking_complete", &DayRow::tracking_complete},
    {"tasks_created", &DayRow::tasks_created},
    {"tasks_done", &DayRow::tasks_done},
    {"tasks_late", &DayRow::tasks_late},
    {"backlog", &DayRow::backlog},
    {"monitored", &DayRow::monitored},
    {"post_minutes_required", &DayRow::post_minutes_required},
    {"post_minutes_staffed", &DayRow::post_minutes_staffed},
    {"households_contacted_7d", &DayRow::households_contacted_7d},
    {"infections_local", &DayRow::infections_local},
    {"infections_imported", &DayRow::infections_imported},
    {"onsets", &DayRow::onsets},
    {"infectious", &DayRow::infectious},
    {"detected", &DayRow::detected},
    {"stockout", &DayRow::stockout},
};
// minutes_worked and stock are the two columns per role and per supply.
static_assert(std::size(kDayColumns) + 2 == detail::field_count<DayRow>(), "a column per DayRow count");

// A metric whose unit is "day" is a first day (first_stockout_day, first_day_out_of_hours, ...):
// undefined where it never came, which plan's targets read as later than any day and the tables
// print as "never".
constexpr bool is_first_day(std::string_view unit) { return unit == "day"; }

// How a metric is taken over replicates: mean, 5th and 95th percentiles and n of the replicates
// where it is defined (a NaN is undefined); or the share of replicates where it is 1 (a number).
enum class OverReplicates : uint8_t { Describe, Share };

// The metrics of a village, a town and the region (summary.json `metrics`), from their merged totals.
// A share is the ratio of two counts, kept apart too (numerator, denominator) so that an interval
// can be taken over the counts pooled across replicates (analysis/compare.cpp).
// Why a metric is undefined in a replicate, which says how a target on it reads there (plan's
// --target, docs/planning.md): nothing was there to measure (no returnee to screen, no case to
// time: the target holds, as a rule over no one); it was due and never came (a first day, a case
// never detected, a returnee never found: later than any day or hour, so `<=` fails and `>=` holds);
// a share of what was due, none of it found (read as 0); or the scenario does not model it (no
// epidemic, no supplies: the target fails).
enum class Undefined : uint8_t { NothingToMeasure, Never, NoneDone, NotModelled };

struct VillageMetric {
  std::string_view name, unit;
  double (*value)(const VillageTotals&);
  double (*numerator)(const VillageTotals&) = nullptr;  // shares only
  double (*denominator)(const VillageTotals&) = nullptr;
  // Where value is undefined, why; nullptr: nothing to measure.
  Undefined (*undefined)(const VillageTotals&) = nullptr;
};

namespace detail {
template <auto Field>
double count_of(const VillageTotals& t) {
  return double(t.*Field);
}
template <auto Num, auto Den>
double share_of(const VillageTotals& t) {
  return ratio(double(t.*Num), double(t.*Den));
}
// A share metric: Num / Den of a village's (or merged) totals, undefined when Den is 0.
template <auto Num, auto Den>
constexpr VillageMetric share(std::string_view name) {
  return {name, "share", &share_of<Num, Den>, &count_of<Num>, &count_of<Den>};
}
inline Undefined never(const VillageTotals&) { return Undefined::Never; }
// Of the supplies': not modelled where the policy names none.
inline Undefined supplies_only(const VillageTotals& t) {
  return t.supplies ? Undefined::NothingToMeasure : Undefined::NotModelled;
}
// Of the epidemic's: not modelled without one, else nothing to measure.
inline Undefined epidemic_only(const VillageTotals& t) {
  return t.epidemic ? Undefined::NothingToMeasure : Undefined::NotModelled;
}
// The detection delay: not modelled without an epidemic; never, where cases began and none was
// detected; else nothing to measure.
inline Undefined detection(const VillageTotals& t) {
  return !t.epidemic ? Undefined::NotModelled : t.returnee_onsets > 0 ? Undefined::Never : Undefined::NothingToMeasure;
}
// Undefined for want of what it measures: `When` if something was due (Due > 0), else nothing to
// measure.
template <auto Due, Undefined When>
Undefined if_due(const VillageTotals& t) {
  return t.*Due > 0 ? When : Undefined::NothingToMeasure;
}
constexpr VillageMetric with_undefined(VillageMetric m, Undefined (*why)(const VillageTotals&)) {
  m.undefined = why;
  return m;
}
// A share whose denominator came of something due: a share of none, if it was.
template <auto Num, auto Den, auto Due>
constexpr VillageMetric share_of_due(std::string_view name) {
  VillageMetric m = share<Num, Den>(name);
  m.undefined = &if_due<Due, Undefined::NoneDone>;
  return m;
}
}  // namespace detail
inline constexpr VillageMetric kVillageMetrics[] = {
    {"returnees", "people", [](const VillageTotals& t) { return double(t.returnees); }},
    {"screened", "people", [](const VillageTotals& t) { return double(t.screened); }},
    detail::share_of_due<&VillageTotals::screened, &VillageTotals::returnees, &VillageTotals::returnees_arrived>(
        "screened_share"),
    {"screened_within_24h", "people", [](const VillageTotals& t) { return double(t.screened_within_24h); }},
    detail::share_of_due<&VillageTotals::screened_within_24h, &VillageTotals::returnees,
                         &VillageTotals::returnees_arrived>("screened_within_24h_share"),
    {"returnees_arrived", "people", [](const VillageTotals& t) { return double(t.returnees_arrived); }},
    detail::share<&VillageTotals::returnees, &VillageTotals::returnees_arrived>("found_share"),
    {"never_found", "people", [](const VillageTotals& t) { return double(t.returnees_arrived - t.returnees); }},
    {"found_self_report", "people", [](const VillageTotals& t) { return double(t.found_self_report); }},
    {"found_household_visit", "people", [](const VillageTotals& t) { return double(t.found_household_visit); }},
    {"found_checkpoint", "people", [](const VillageTotals& t) { return double(t.found_checkpoint); }},
    {"found_care_seeking", "people", [](const VillageTotals& t) { return double(t.found_care_seeking); }},
    {"found_neighbour_report", "people", [](const VillageTotals& t) { return double(t.found_neighbour_report); }},
    {"arrival_to_found_hours", "hours",
     [](const VillageTotals& t) { return detail::ratio(double(t.found_minutes) / 60.0, t.returnees); }, nullptr,
     nullptr, &detail::if_due<&VillageTotals::returnees_arrived, Undefined::Never>},
    {"arrival_to_screened_hours", "hours",
     [](const VillageTotals& t) { return detail::ratio(double(t.screened_minutes_from_arrival) / 60.0, t.screened); },
     nullptr, nullptr, &detail::if_due<&VillageTotals::returnees_arrived, Undefined::Never>},
    {"screened_within_24h_of_arrival", "people",
     [](const VillageTotals& t) { return double(t.screened_within_24h_of_arrival); }},
    detail::share<&VillageTotals::screened_within_24h_of_arrival, &VillageTotals::returnees_arrived>(
        "screened_within_24h_of_arrival_share"),
    {"key_identified", "people", [](const VillageTotals& t) { return double(t.key_identified); }},
    {"key_tracked", "people", [](const VillageTotals& t) { return double(t.key_tracked); }},
    {"key_fully_tracked", "people", [](const VillageTotals& t) { return double(t.key_fully_tracked); }},
    detail::share<&VillageTotals::tracking_complete_days, &VillageTotals::tracking_days>("team_complete_share"),
    {"tasks_late", "tasks", [](const VillageTotals& t) { return double(t.tasks_late); }},
    {"tasks_done_after_deadline", "tasks", [](const VillageTotals& t) { return double(t.tasks_done_after_deadline); }},
    {"backlog_end", "tasks", [](const VillageTotals& t) { return double(t.backlog_end); }},
    {"monitored_person_days", "person-days", [](const VillageTotals& t) { return double(t.monitored_days); }},
    {"post_hours_required", "hours", [](const VillageTotals& t) { return double(t.post_minutes_required) / 60.0; }},
    detail::share<&VillageTotals::post_minutes_staffed, &VillageTotals::post_minutes_required>(
        "post_hours_staffed_share"),
    detail::share<&VillageTotals::households_contacted, &VillageTotals::households>("households_contacted_share"),
    detail::share<&VillageTotals::household_days_contacted_7d, &VillageTotals::household_days_7d>(
        "households_contacted_7d_share"),
    {"households_never_contacted", "households",
     [](const VillageTotals& t) {
       return t.households > 0 ? double(t.households - t.households_contacted) : detail::kNaN;
     }},
    {"households_without_contact_member", "households",
     [](const VillageTotals& t) {
       return t.households > 0 ? double(t.households_without_contact_member) : detail::kNaN;
     }},
    {"infections_imported", "people",
     [](const VillageTotals& t) { return t.epidemic ? double(t.infections_imported) : detail::kNaN; }, nullptr, nullptr,
     &detail::epidemic_only},
    {"infections_local", "people",
     [](const VillageTotals& t) { return t.epidemic ? double(t.infections_local) : detail::kNaN; }, nullptr, nullptr,
     &detail::epidemic_only},
    {"local_cases_isolated", "people",
     [](const VillageTotals& t) { return t.epidemic ? double(t.local_cases_isolated) : detail::kNaN; }, nullptr,
     nullptr, &detail::epidemic_only},
    {"local_cases_found_at_visit", "people",
     [](const VillageTotals& t) { return t.epidemic ? double(t.local_cases_found_at_visit) : detail::kNaN; }, nullptr,
     nullptr, &detail::epidemic_only},
    detail::with_undefined(
        detail::share<&VillageTotals::detected, &VillageTotals::returnee_onsets>("returnee_cases_detected_share"),
        &detail::epidemic_only),
    detail::with_undefined(
        detail::share<&VillageTotals::detected_at_check, &VillageTotals::detected>("detected_at_check_share"),
        &detail::epidemic_only),
    {"detection_delay_days", "days",
     [](const VillageTotals& t) {
       return detail::ratio(double(t.detection_delay_minutes) / double(kMinutesPerDay), t.detected);
     },
     nullptr, nullptr, &detail::detection},
    {"stockout_village_days", "days",
     [](const VillageTotals& t) { return t.supplies ? double(t.stockout_days) : detail::kNaN; }, nullptr, nullptr,
     &detail::supplies_only},
    {"tasks_without_supplies", "tasks",
     [](const VillageTotals& t) { return t.supplies ? double(t.tasks_without_supplies) : detail::kNaN; }, nullptr,
     nullptr, &detail::supplies_only},
    {"tasks_skipped_for_supplies", "tasks",
     [](const VillageTotals& t) { return t.supplies ? double(t.tasks_skipped_for_supplies) : detail::kNaN; }, nullptr,
     nullptr, &detail::supplies_only},
    {"tasks_done_degraded", "tasks",
     [](const VillageTotals& t) { return t.supplies ? double(t.tasks_degraded) : detail::kNaN; }, nullptr, nullptr,
     &detail::supplies_only},
    {"monitoring_days_without_supplies", "person-days",
     [](const VillageTotals& t) { return t.supplies ? double(t.monitoring_days_without_supplies) : detail::kNaN; },
     nullptr, nullptr, &detail::supplies_only},
    {"money_spent", "yuan", [](const VillageTotals& t) { return t.supplies ? t.money_spent : detail::kNaN; }, nullptr,
     nullptr, &detail::supplies_only},
    {"requests_refused_for_funds", "requests",
     [](const VillageTotals& t) { return t.supplies ? double(t.requests_refused_for_funds) : detail::kNaN; }, nullptr,
     nullptr, &detail::supplies_only},
    {"funds_left", "yuan", [](const VillageTotals& t) { return t.supplies ? t.funds_left : detail::kNaN; }, nullptr,
     nullptr, &detail::supplies_only},
    {"first_stockout_day", "day",
     [](const VillageTotals& t) { return t.first_stockout_day >= 0 ? double(t.first_stockout_day) : detail::kNaN; },
     nullptr, nullptr, &detail::never},
    {"first_funds_short_day", "day",
     [](const VillageTotals& t) {
       return t.first_funds_short_day >= 0 ? double(t.first_funds_short_day) : detail::kNaN;
     },
     nullptr, nullptr, &detail::never},
    {"out_of_hours_village_days", "days", [](const VillageTotals& t) { return double(t.out_of_hours_days); }},
    {"first_out_of_hours_day", "day",
     [](const VillageTotals& t) {
       return t.first_out_of_hours_day >= 0 ? double(t.first_out_of_hours_day) : detail::kNaN;
     },
     nullptr, nullptr, &detail::never},
};

// A share, and only a share, has its counts (tests/metrics/metric_table_test.cpp checks it: a
// static_assert cannot, since comparing member pointers is not a constant expression under
// -fsanitize=undefined).

// The roles that ran out of hours first in one replicate (summary.h).
std::vector<int> first_roles_out(const ReplicateResult& r);

// The metrics of a role (summary.json `roles`), from a replicate's totals of the role.
struct RoleMetric {
  std::string_view name, unit;
  OverReplicates over;
  double (*value)(const ReplicateResult&, size_t role);
};
inline constexpr RoleMetric kRoleMetrics[] = {
    {"hours_available", "hours", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].minutes_available) / 60.0; }},
    {"hours_worked", "hours", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].minutes_worked) / 60.0; }},
    {"overtime_hours", "hours", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].minutes_overtime) / 60.0; }},
    {"hours_demanded", "hours", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].minutes_demanded) / 60.0; }},
    {"hours_could_do", "hours", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].minutes_could_do) / 60.0; }},
    {"hours_unmet", "hours", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].minutes_unmet) / 60.0; }},
    {"utilisation", "share", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) {
       return detail::ratio(double(r.roles[i].minutes_worked), double(r.roles[i].minutes_available));
     }},
    {"days_out_of_hours", "days", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].days_out_of_hours); }},
    {"team_days_missing", "days", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].team_days_missing); }},
    {"busiest_person_hours", "hours", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].busiest_minutes) / 60.0; }},
    {"staff_days_ill", "days", OverReplicates::Describe,
     [](const ReplicateResult& r, size_t i) { return double(r.roles[i].days_ill); }},
    {"ran_out_share", "share", OverReplicates::Share,
     [](const ReplicateResult& r, size_t i) { return r.roles[i].first_day_out_of_hours >= 0 ? 1.0 : 0.0; }},
    {"first_day_out_of_hours", "day", OverReplicates::Describe,  // over the replicates in which it ran out
     [](const ReplicateResult& r, size_t i) {
       const int day = r.roles[i].first_day_out_of_hours;
       return day >= 0 ? double(day) : detail::kNaN;
     }},
    {"first_to_run_out_share", "share", OverReplicates::Share,
     [](const ReplicateResult& r, size_t i) {
       const auto first = first_roles_out(r);
       return std::find(first.begin(), first.end(), int(i)) != first.end() ? 1.0 : 0.0;
     }},
};

}  // namespace vg::metrics
