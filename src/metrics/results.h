// What one replicate produces: a row per village and day, and totals per village and per role.
// Counts are integers (minutes, people, tasks) so that sums over threads are exact and results are
// bit-identical whatever the thread count; ratios are formed only when reporting.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vg::metrics {

struct DayRow {
  int32_t arrived = 0;            // returnees home this day (those home before day 0: day 0)
  int32_t arrivals = 0;           // returnees registered (found) this day
  int32_t found_self_report = 0;  // of those, by channel (finding)
  int32_t found_household_visit = 0;
  int32_t found_checkpoint = 0;
  int32_t found_care_seeking = 0;      // ... when seeking care with symptoms
  int32_t found_neighbour_report = 0;  // ... reported by a neighbour (with finding, the five add up to arrivals)
  int32_t screened = 0;                // screening tasks completed this day
  int32_t screened_within_24h = 0;     // of which within 24 h of registration
  int32_t key_identified = 0;          // people who entered a key class this day
  int32_t tracking_active = 0;         // key persons under tracking this day
  int32_t tracking_complete = 0;       // of which every team slot was filled and every duty done
  int32_t tasks_created = 0;
  int32_t tasks_done = 0;
  int32_t tasks_late = 0;               // tasks that passed their deadline undone this day
  int32_t backlog = 0;                  // open tasks at the end of the day
  int32_t monitored = 0;                // people under monitoring at the end of the day
  int32_t post_minutes_required = 0;    // shift-minutes of open posts
  int32_t post_minutes_staffed = 0;     // of which someone was at the post
  int32_t households_contacted_7d = 0;  // households with a contact in the last 7 days
  int32_t infections_local = 0;         // residents infected in the village that day
  int32_t infections_imported = 0;      // returnees who arrived infected, registered that day
  int32_t onsets = 0;                   // symptom onsets
  int32_t infectious = 0;               // residents infectious at the end of the day
  int32_t detected = 0;                 // returnees whose symptoms were found or reported that day
  int32_t stockout = 0;                 // 1 if a supply some task uses was out at the end of the day
  std::vector<int32_t> minutes_worked;  // by role, on this village's tasks
  std::vector<int64_t> stock;           // by supply: the village's stock at the end of the day (after 23:59 use)
};

struct VillageTotals {
  int32_t returnees_arrived = 0;  // home within the horizon (those home before day 0 counted at day 0)
  int32_t returnees = 0;          // registered (found) within the horizon
  int32_t found_self_report = 0, found_household_visit = 0, found_checkpoint = 0, found_care_seeking = 0;
  int32_t found_neighbour_report = 0;
  int64_t found_minutes = 0;  // summed over the registered: arrival (or day 0) to registration
  int32_t screened = 0;
  int32_t screened_within_24h = 0;             // of registration
  int32_t screened_within_24h_of_arrival = 0;  // of arrival (or day 0 for those home before)
  int64_t screened_minutes_from_arrival = 0;   // summed over the screened
  int32_t key_identified = 0;
  int32_t key_tracked = 0;        // key persons whose tracking started
  int32_t key_fully_tracked = 0;  // ... and whose team was complete on every tracked day in the horizon
  int64_t tracking_days = 0;
  int64_t tracking_complete_days = 0;
  int32_t tasks_late = 0;
  // Tasks done after their deadline (deadline < finish): those done later the same day are not late
  // (lateness is judged at the end of the deadline's day), those done on a later day are.
  int32_t tasks_done_after_deadline = 0;
  int32_t backlog_end = 0;
  int64_t monitored_days = 0;  // person-days under monitoring (counted at the end of each day)
  int64_t post_minutes_required = 0;
  int64_t post_minutes_staffed = 0;
  int32_t households = 0;
  int32_t households_contacted = 0;  // at least once within the horizon
  // Households contacted in the last 7 days, summed over the days a full week lies behind (day 6
  // on), and households times those days: the weekly coverage a grid keeps up, where "at least
  // once" is 100% for any grid the sweep completes.
  int64_t household_days_contacted_7d = 0;
  int64_t household_days_7d = 0;
  int32_t households_without_contact_member = 0;  // from the grid's assignment
  // Infection (zero when the scenario has no epidemic).
  int32_t infections_local = 0, infections_imported = 0;
  int32_t returnee_onsets = 0;  // returnees whose symptoms began within the horizon
  int32_t detected = 0;         // of those, found at a check or reported when seeking care
  int32_t detected_at_check = 0;
  int32_t local_cases_isolated = 0;        // residents (not returnees) isolated by the health system
  int32_t local_cases_found_at_visit = 0;  // of those, found ill at a household visit (visit_detection)
  int64_t detection_delay_minutes = 0;     // summed over the detected: onset (00:00 of its day) to detection
  bool epidemic = false;
  // Supplies (zero when the policy names none).
  bool supplies = false;
  int32_t stockout_days = 0;                     // days with a used supply out at the end of the day
  int32_t tasks_without_supplies = 0;            // tasks done without the supplies they use (per task and supply short)
  int32_t tasks_skipped_for_supplies = 0;        // if_short: skip tasks not done, a supply being short
  int32_t tasks_degraded = 0;                    // if_short: degrade tasks done less well, a supply being short
  int64_t monitoring_days_without_supplies = 0;  // person-days under monitoring without its uses_per_day
  int32_t requests_refused_for_funds = 0;  // requests that bought nothing: the village's funds could not pay one unit
  double money_spent = 0;                  // yuan, on requests that were placed
  double funds_left = 0;                   // yuan, at the end of the horizon
  int32_t first_stockout_day = -1;         // first day ended with a used supply out; -1: never
  int32_t first_funds_short_day = -1;      // first day a request bought less than asked for want of funds; -1: never
  // Days on which a role of the village's own staff (not the town pool, who serve every village of
  // the town) worked >= 95% of its shift minutes with the village's work overdue at 24:00.
  int32_t out_of_hours_days = 0;
  int32_t first_out_of_hours_day = -1;  // -1: never
};

struct RoleTotals {
  int64_t minutes_available = 0;
  int64_t minutes_worked = 0;           // overtime included
  int64_t minutes_overtime = 0;         // of minutes_worked, minutes past the nominal shift end
  int64_t minutes_demanded = 0;         // minutes of tasks created, attributed to their first-listed role
  int64_t minutes_could_do = 0;         // minutes of tasks created that the role may do (every role listed)
  int64_t minutes_unmet = 0;            // of those, minutes of tasks that passed their deadline undone
  int32_t first_day_out_of_hours = -1;  // -1: never
  int32_t days_out_of_hours = 0;
  int64_t team_days_missing = 0;  // tracking-days on which this role's place in a team was empty or its duty undone
  int64_t busiest_minutes = 0;    // minutes worked over the run by the busiest person of the role
  int64_t days_ill = 0;           // staff-days off duty, ill or isolated (scenarios with infection)
};

// A role's day in a town: its staff's shift minutes, the minutes of tasks released that day that
// the role may do (every role listed), and its staff's minutes of work started that day.
struct RoleDay {
  int64_t minutes_available = 0;
  int64_t minutes_could_do = 0;
  int64_t minutes_worked = 0;
};

// Tasks by the guideline of the rule that created them (index 0: no guideline number).
struct GuidelineTotals {
  int64_t tasks_created = 0;
  int64_t tasks_late = 0;
};
inline constexpr int kGuidelineSlots = 27;

// Tasks by kind (the policy's task names, in the program's order): how many were created, done and
// late, and the staff minutes done on them (each member's, for a team task).
struct TaskTotals {
  int64_t tasks_created = 0;
  int64_t tasks_done = 0;
  int64_t tasks_late = 0;
  int64_t minutes_worked = 0;
};

struct ReplicateResult {
  std::vector<std::vector<DayRow>> days;  // [village][day]
  std::vector<VillageTotals> villages;
  std::vector<RoleTotals> roles;                    // whole region: summed over towns, first day = earliest
  std::vector<std::vector<RoleTotals>> town_roles;  // [town][role]
  std::vector<GuidelineTotals> guidelines;          // [guideline 0..26]
  std::vector<TaskTotals> tasks;                    // [task kind]
  std::vector<std::vector<std::vector<RoleDay>>> town_role_days;  // [town][day][role] (empty without days)
};

}  // namespace vg::metrics
