// One town for one replicate (sim/engine.h's simulate_town): the town's state, a plain struct of
// arrays (per returnee, per village, per staff member), and the Town that runs its days as a list
// of phases (engine.cpp's run_day), each phase in its own file of this folder:
//   arrivals.cpp    returnees' origins and arrival times; today's arrivals
//   finding.cpp     registering a returnee when found: self-report, household visit, checkpoint, care
//   rules.cpp       raising events, the facts rules see, and the actions' primitives (rules/apply.h)
//   tasks.cpp       creating tasks; posts' shifts, the grid's coordination and repeats at day start
//   tracking.cpp    teams and their daily duties; the day's tracking outcome
//   monitoring.cpp  monitoring and household observation; their end at 23:59
//   supplies.cpp    stock changes and orders; supplies used under monitoring; stock-outs
//   detection.cpp   the epidemic's day, onsets found at visits or when people seek care
//   work.cpp        the scheduler's day and what follows a task done, late, or a timer
//   accounts.cpp    the end of the day's counts (households, staff time, backlog) and the run's totals
//   schedule.cpp    the scenario's scheduled events: absences, stocks set on a day
// Everything the day needs from the scenario and the policy is in the Model and the compiled
// Program; no phase reads specs.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <vector>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "core/time.h"
#include "epidemic/epidemic.h"
#include "rules/apply.h"
#include "rules/facts.h"
#include "sim/engine.h"

namespace vg::sim::town {

using rules::Event;
using rules::Subject;

constexpr int64_t kDay = kMinutesPerDay;
// Minute of the day at which neighbours and villager-group leaders report (an assumption:
// docs/assumptions.md, "Finding").
constexpr int64_t kNeighbourReportMinute = 9 * 60;

// Share of a role's available minutes that, together with work left undone that the role could
// have done, counts as "out of hours" that day (docs/metrics.md).
constexpr double kOutOfHoursShare = 0.95;

// The profile's clock: the time-stamp counter where there is one (a few ns to read; phases are
// reported as shares, so its unit does not matter), else steady_clock.
inline int64_t profile_ticks() {
#if defined(__x86_64__) || defined(__i386__)
  return int64_t(__rdtsc());
#else
  return std::chrono::steady_clock::now().time_since_epoch().count();
#endif
}

// Adds the time from construction to destruction to a phase (nothing when `times` is null).
class PhaseLap {
 public:
  PhaseLap(PhaseTimes* times, int phase) : times_(times), phase_(phase) {
    if (times_) t0_ = profile_ticks();
  }
  ~PhaseLap() {
    if (times_) times_->ticks[size_t(phase_)] += profile_ticks() - t0_;
  }
  PhaseLap(const PhaseLap&) = delete;
  PhaseLap& operator=(const PhaseLap&) = delete;

 private:
  PhaseTimes* times_;
  int phase_;
  int64_t t0_ = 0;
};

// A scheduler callback (rules and their actions) inside the scheduling phase: its time moves from
// scheduling to rules.
class CallbackLap {
 public:
  explicit CallbackLap(PhaseTimes* times) : times_(times) {
    if (times_) t0_ = profile_ticks();
  }
  ~CallbackLap() {
    if (!times_) return;
    const int64_t dt = profile_ticks() - t0_;
    times_->ticks[PhaseTimes::Rules] += dt;
    times_->ticks[PhaseTimes::Scheduling] -= dt;
  }
  CallbackLap(const CallbackLap&) = delete;
  CallbackLap& operator=(const CallbackLap&) = delete;

 private:
  PhaseTimes* times_;
  int64_t t0_ = 0;
};

struct TaskRec {
  int32_t kind;
  int32_t subject;    // returnee index within the town, or -1 for a village task
  int32_t tracking;   // tracking instance, or -1
  int32_t village;    // index within the town
  int32_t household;  // for_each: household tasks; -1 otherwise
  int32_t slot;       // tracking duties: the team slot; -1 otherwise
};

struct Tracking {
  int32_t subject;
  int32_t tmpl;
  int32_t start_day;
  int32_t end_day;         // last day tracked
  uint32_t member_offset;  // into members_ (one slot per template member)
  int32_t done_today = 0;
  int32_t days_tracked = 0;
  int32_t days_complete = 0;
  bool ended = false;
  bool key = false;  // in a key class when tracking began: counted in key_tracked, key_fully_tracked
};

// A task to create again later (create_task with repeat).
struct Repeat {
  int64_t when;
  int32_t kind, subject, village, household, remaining;
  uint64_t seq;  // creation order: ties at one minute stay in order
  bool operator>(const Repeat& o) const { return when != o.when ? when > o.when : seq > o.seq; }
};

struct ResidentObs {
  uint32_t person;
  int32_t village;
  int kind;
  int last_day;
};

// What a scheduler timer brings back, by timer id.
enum class TimerKind : uint8_t {
  Raise,            // a delayed raise of `event` about `subject` (-1: a village rule's)
  SeekCare,         // a returnee with symptoms that nobody found seeks care (`subject`)
  NeighbourReport,  // the day's neighbour and group-leader reports (finding.cpp)
  Delivery,         // an order arrives (`subject`: the supply, `amount`)
  LocalCase,        // a resident with symptoms seeks care and is isolated (`subject`: the person)
  SelfReport,       // a returnee reports themselves (`subject`)
  Checkpoint,       // a returnee passes the village's checkpoints as they arrive (`subject`)
};
struct TimerEvent {
  TimerKind kind;
  int32_t event, subject, village;
  int64_t amount;
};

// The event being dispatched: its subject (a returnee index, -1 for a village), village, minute.
struct Ctx {
  int32_t subject = -1;
  int32_t village = 0;
  int64_t now = 0;
  Event event = Event::ReturneeArrived;
  int filter = -1;
  size_t trace_index = 0;  // the trace row of the rule now firing
};

// The state of a town in a run: indices are within the town (returnee i, village v, household h
// from first_household_, staff member s of the town's roster).
struct TownState {
  uint32_t first_village_ = 0, nv_ = 0, first_returnee_ = 0, nr_ = 0;

  // Per returnee of the town (struct of arrays).
  std::vector<uint8_t> origin_, cls_;
  std::vector<int64_t> arrival_, screened_;
  std::vector<int64_t> registered_;  // minute found (registered), -1 not yet
  std::vector<uint8_t> found_by_;    // rules::FoundBy
  std::vector<int32_t> tracking_of_, village_of_;
  std::vector<double> person_attr_;      // [returnee][attribute]
  std::vector<uint8_t> monitoring_;      // 0 none, else kind + 1
  std::vector<uint8_t> in_monitored_;    // listed in monitored_
  std::vector<int32_t> monitoring_end_;  // last day of the current monitoring
  std::vector<int32_t> monitored_;       // returnees under monitoring (may hold ended ones until the day ends)
  std::vector<uint32_t> order_;          // returnees in arrival order
  uint32_t next_arrival_ = 0;
  std::vector<uint8_t> pending_check_;           // symptoms to be found at the next visit
  std::vector<int64_t> detected_at_, onset_at_;  // minutes, -1 none

  // Staff who are residents: (person, staff index), sorted by person (staff_of_person).
  std::vector<std::pair<uint32_t, int32_t>> staff_persons_;
  std::vector<ResidentObs> resident_obs_;                      // residents (not returnees) under observation
  std::unordered_map<uint32_t, uint32_t> resident_obs_index_;  // person -> index in resident_obs_
  std::unordered_set<int32_t> local_cases_found_;  // residents (not returnees) found ill and isolated, once each

  // Per village of the town.
  std::vector<double> village_attr_;     // [village][attribute]
  std::vector<uint8_t> village_raised_;  // [village][event]
  std::vector<int32_t> village_registered_, village_key_, village_open_, village_monitored_;
  std::vector<int32_t> village_overdue_;         // open tasks reported late (past their deadline's day)
  std::vector<uint8_t> late_open_;               // by task id: 1 while reported late and open (grown when one is)
  std::vector<int32_t> village_monitored_kind_;  // [village][monitoring kind]: people under it now
  // Open tasks released on a later day than the one being run (per village, per role), and how
  // many are released on each day of the horizon (day * villages + v, day * roles + r).
  std::vector<int32_t> future_open_, future_role_, release_count_, release_role_count_;
  int cur_day_ = 0;
  std::vector<uint8_t> post_open_;                          // [village][post]
  std::vector<int64_t> stock_;                              // [village][supply]
  std::vector<double> funds_;                               // yuan
  int64_t stock_before_ = 0, stock_after_ = 0;              // the stock change being dispatched
  std::vector<int64_t> role_scratch_;                       // staff_accounts: backlog per role (then per village)
  size_t next_stock_set_ = 0;                               // m_.stock_sets not applied yet
  std::vector<std::pair<int, int32_t>> absence_starts_;     // (day, staff member): absences by first day
  std::vector<std::pair<int, int32_t>> absence_ends_;       // (day back on duty, staff member)
  std::vector<std::pair<uint32_t, int64_t>> fever_minute_;  // (returnee, minute): today's fevers' onsets

  // Per household of the town, from first_household_.
  uint32_t first_household_ = 0;
  std::vector<int32_t> last_contact_;     // last day contacted, -1 never
  std::vector<int32_t> contacts_on_day_;  // village x day: households whose last contact is that day
  // Finding: the returnees of each household (CSR over households from first_household_), and the
  // minutes staffed today at each registering post ([village][post]: [from, to) intervals).
  std::vector<uint32_t> household_returnee_begin_, household_returnees_;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> post_staffed_;
  std::vector<size_t> post_staffed_touched_;
  bool checkpoints_register_ = false;  // some post has a registers_share

  // What the policy uses, found once.
  bool contacts_households_ = false;    // some task counts as a household contact
  bool local_case_rules_ = false;       // some rule listens to local_case_found
  bool observes_households_ = false;    // some rule observes a household
  bool monitoring_uses_any_ = false;    // some monitoring kind uses supplies per day
  std::vector<bool> used_supply_;       // by supply: some task or monitoring uses it
  std::vector<int64_t> watched_level_;  // by supply: the highest level a stock_below rule watches
  int64_t local_case_person_ = -1;      // while local_case_found is dispatched: the case (person index)

  // Tasks, trackings and their teams; timers and repeats.
  std::vector<TaskRec> tasks_;  // by task id
  // The minutes of the tasks created, for the roles' accounts (RoleTotals::minutes_could_do and
  // minutes_demanded, RoleDay::minutes_could_do): summed by the roles that could do a task and
  // those it is demanded of (one ledger per pair met) and by its release day, and spread over the
  // roles once, in finish(). Integer sums: the totals are those of adding task by task.
  struct RoleLedger {
    uint32_t could = 0, demand = 0;  // role masks; could 0: the unused first entry
    std::vector<int64_t> minutes;    // by release day; [horizon_days]: one outside the horizon's days
  };
  std::vector<RoleLedger> role_ledgers_;
  std::vector<uint32_t> ledger_of_kind_;  // by task kind: the ledger its last task went to
  std::vector<Tracking> trackings_;
  std::vector<int32_t> members_;               // team slots of all trackings: staff index or -1
  std::vector<uint8_t> duty_done_;             // per team slot: today's duty done
  std::vector<int32_t> active_, ended_today_;  // trackings
  std::vector<int32_t> team_count_;            // per staff member: teams they are in
  std::vector<int64_t> staff_minutes_;         // per staff member: minutes worked over the run
  staffing::DayStats day_stats_;               // the scheduler's account of the day being run
  std::vector<TimerEvent> timer_events_;       // by timer id
  std::priority_queue<Repeat, std::vector<Repeat>, std::greater<Repeat>> repeats_;
  uint64_t repeat_seq_ = 0;

  TownOutput out_;
};

// Runs a town's days over its state. Also the world the rules act on (rules::ActionWorld: the
// primitives below, about the subject and minute in ctx_).
class Town final : private TownState, private rules::DispatchHooks {
 public:
  Town(const Model& m, int replicate, int town, bool trace, PhaseTimes* phases, bool staff_days);
  TownOutput run();
  // The scheduler, for the next Town of this roster on this thread (simulate_town); the Town is
  // done with it.
  staffing::Scheduler take_scheduler() { return std::move(sched_); }

  // ---- the world's primitives (rules::ActionWorld) ----
  const rules::Program& program() const { return prog_; }
  void raise_now(Event e, int filter, bool about_village);
  void raise_later(int event, int64_t delay);
  void mark_village_event(int event);
  void create_task(int kind);
  int person_class() const { return cls_[size_t(ctx_.subject)]; }
  void set_person_class(int cls) { cls_[size_t(ctx_.subject)] = uint8_t(cls); }
  void key_persons_changed(int delta);
  bool ever_tracked() const { return tracking_of_[size_t(ctx_.subject)] >= 0; }
  void start_tracking(int tmpl_index);
  bool tracked_with(int tmpl) const;
  void end_tracking(int tmpl);
  int monitoring_kind() const { return int(monitoring_[size_t(ctx_.subject)]) - 1; }
  void start_monitoring(int kind, int days);
  void end_monitoring(int kind);
  void observe_household(int kind, int days);
  bool post_open(int post) const { return post_open_[size_t(ctx_.village) * prog_.posts().size() + size_t(post)] != 0; }
  void open_post(int post);
  void close_post(int post);
  void set_attribute(int attr, double value);
  int64_t request(int supply, int channel, int64_t amount);  // the units bought

 private:
  friend class rules::Program;  // calls the DispatchHooks below directly (Program::dispatch_with)
  void run_day(int d);

  // ---- the day's phases, in order ----
  void release_today(int d);                                    // tasks.cpp
  void day_start_tasks(int d);                                  // tasks.cpp
  void scheduled_events(int d);                                 // schedule.cpp
  void day_start_rules(int d);                                  // rules.cpp
  void repeats_due(int d);                                      // tasks.cpp
  void tracking_teams(int d);                                   // tracking.cpp
  void arrivals(int d);                                         // arrivals.cpp
  void step_epidemic(int d);                                    // detection.cpp
  const staffing::DayStats& work(int d);                        // work.cpp: day_stats_
  void tracking_day_end(int d);                                 // tracking.cpp
  void households_contacted(int d);                             // accounts.cpp
  void note_contact(size_t household, int d);                   // accounts.cpp
  void supplies_day_end(int d);                                 // supplies.cpp
  void monitoring_day_end(int d);                               // monitoring.cpp
  void staff_accounts(int d, const staffing::DayStats& stats);  // accounts.cpp
  void village_accounts(int d, const staffing::DayStats& stats);
  void finish();  // accounts.cpp: the run's totals

  // ---- arrivals.cpp ----
  void draw_returnees();
  void surge_returnees();

  // ---- schedule.cpp ----
  void schedule_absences(int town);
  void exercise_events(int d);
  void scheduled_fevers(int d);

  // ---- finding.cpp ----
  void prepare_finding();
  void arrival_found(uint32_t i, int d);  // self-report and checkpoint channels of an arrival
  void register_returnee(uint32_t i, int64_t now, rules::FoundBy how);
  void household_visited(int32_t household, int64_t now, int d);
  void neighbour_reports(int d);         // sets today's report timer (finding.neighbour_report)
  void neighbour_reported(int64_t t);    // the timer: reports of the unregistered at home
  double visit_chance(int staff) const;  // that `staff` (-1: the team now done, any member) notices symptoms
  void household_checked(int32_t household, int32_t village, int64_t now, int d, double chance);
  void local_case_found(int32_t person, int32_t village, int64_t t, bool at_visit);
  void post_started(const staffing::Task& task, int64_t start);
  void checkpoint_passed(uint32_t i, int64_t t);

  // ---- rules.cpp ----
  // Raises an event about a person (subject >= 0) or a village (subject < 0) at time `now`. Inline:
  // every phase raises events, some for every task done.
  void raise(Event e, int filter, int32_t subject, int32_t village, int64_t now) {
    if (prog_.rules_for(e, filter).empty()) return;  // nobody listens: nothing to consider or trace
    Ctx saved = ctx_;
    ctx_ = Ctx{subject, village, now, e, filter};
    chain_.dispatch(e, filter, int(now / kDay), *this);
    ctx_ = saved;
  }
  void fill(double* s) override;
  void fill_person(double* s) override;
  void fill_person_facts(double* s, uint32_t facts) override;
  bool crossed(int level) override { return stock_before_ >= level && stock_after_ < level; }
  bool event_raised(int event) override {
    return village_raised_[size_t(ctx_.village) * prog_.events().size() + size_t(event)] != 0;
  }
  void considered(int rule, bool fired, const double*) override;
  void apply(int, const rules::Action& a) override;

  // ---- tasks.cpp ----
  void create_task(int kind_index, int32_t subject, int32_t village, int64_t now);
  void create_post_shifts(int post, int32_t village, int64_t now);
  void add_task(int kind_index, int32_t subject, int32_t tracking, int32_t village, int32_t household, int64_t release,
                int64_t deadline, int assignee, int demand_role, int32_t minutes = 0, int32_t slot = -1,
                int64_t latest_start = std::numeric_limits<int64_t>::max());
  uint32_t role_ledger(uint32_t could, uint32_t demand);  // the ledger of the pair, added if new
  void close_role_ledgers();                              // finish(): into the roles' accounts

  // The days between a repeated task's repeats in a village (index within the town) on a day.
  int every_days(int kind, int32_t village, int day) const {
    const int every = prog_.task_kinds()[size_t(kind)].repeat.every_days;
    return m_.param_sets.empty()
               ? every
               : m_.param(config::ParamSetSpec::What::EveryDays, kind, int32_t(first_village_) + village, day, every);
  }

  // ---- tracking.cpp ----
  void fill_slots(Tracking& t, int day);
  void create_duties(int32_t ti, int day);

  // ---- monitoring.cpp ----
  void start_monitoring(int32_t i, int32_t v, int kind, int day, int days);
  void observe_resident(uint32_t person, int32_t v, int kind, int last_day);
  void set_contact(uint32_t i);
  int32_t& monitored_of_kind(int32_t v, int kind) {
    return village_monitored_kind_[size_t(v) * prog_.monitoring().size() + size_t(kind)];
  }

  // ---- supplies.cpp ----
  void change_stock(int32_t village, int supply, int64_t delta, int64_t now);

  // ---- detection.cpp ----
  void detect(uint32_t i, int64_t when, bool at_check);
  void care_sought(const TimerEvent& ev, int64_t t);

  // ---- work.cpp ----
  void task_done(const staffing::Task& task, int64_t finish, int staff, int d);
  void task_late(const staffing::Task& task, int d);
  void timer(uint64_t id, int64_t t);
  // The roles that may do `t`: its assignee's alone (a duty), else every role it lists.
  uint32_t role_mask_of(const staffing::Task& t) const {
    return t.assignee >= 0 ? 1u << roster_.staff[size_t(t.assignee)].role : t.role_mask;
  }

  // The returnee index (within the town) of a person of the town, or -1: a binary search of the
  // town's returnees (sorted by person, population.h), so a replicate does not fill a table over
  // every resident; asked only when the infection reaches someone.
  int32_t returnee_of(uint32_t person) const {
    const auto first = pop_.returnees.begin() + first_returnee_, last = first + nr_;
    const auto it = std::lower_bound(first, last, person);
    return it != last && *it == person ? int32_t(it - first) : -1;
  }
  // The staff index of a person of the town who is on its roster, or -1.
  int32_t staff_of_person(uint32_t person) const {
    const auto it =
        std::lower_bound(staff_persons_.begin(), staff_persons_.end(), std::pair<uint32_t, int32_t>{person, -1});
    return it != staff_persons_.end() && it->first == person ? it->second : -1;
  }

  int32_t village_index_of(uint32_t person) const {
    return int32_t(pop_.group_village[pop_.household_group[pop_.person_household[person]]] - first_village_);
  }

  const Model& m_;
  const rules::Program& prog_;                   // the town's program (Model::town_program)
  const std::vector<Model::Channel>& channels_;  // its supply channels, by the program's channel index
  const population::Population& pop_;
  const int rep_;
  const bool trace_on_;
  PhaseTimes* const ph_;  // --profile: time by phase (this thread's), or null
  const TownRoster& roster_;
  staffing::Scheduler sched_;
  std::optional<epidemic::Epidemic> epi_;
  Ctx ctx_;
  rules::RuleChain chain_;
};

}  // namespace vg::sim::town
