#include "sim/engine.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <limits>
#include <optional>
#include <queue>
#include <unordered_map>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "core/random.h"
#include "core/time.h"
#include "epidemic/epidemic.h"
#include "epidemic/importation.h"

namespace vg::sim {

namespace {

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

using rules::ActionSpec;
using rules::Event;
using rules::Subject;

constexpr int64_t kDay = kMinutesPerDay;

// Share of a role's available minutes that, together with work left undone that the role could
// have done, counts as "out of hours" that day (docs/metrics.md).
constexpr double kOutOfHoursShare = 0.95;
// Nested rule dispatch (a rule raising an event another rule hears). Cycles are refused at load
// time, so this only bounds legitimate chains.
constexpr int kMaxDispatchDepth = 64;

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
};

// A task to create again later (create_task with repeat).
struct Repeat {
  int64_t when;
  int32_t kind, subject, village, household, remaining;
  uint64_t seq;  // creation order: ties at one minute stay in order
  bool operator>(const Repeat& o) const { return when != o.when ? when > o.when : seq > o.seq; }
};

class TownSim : private rules::DispatchHooks {
 public:
  TownSim(const Model& m, int replicate, int town, bool trace, PhaseTimes* phases)
      : m_(m), prog_(*m.program), pop_(*m.population), rep_(replicate), trace_on_(trace), ph_(phases),
        roster_(m.rosters[size_t(town)]), sched_(roster_.staff, m.roles()) {
    const auto& tv = pop_.town_villages[size_t(town)];
    first_village_ = tv.begin;
    nv_ = tv.size();
    first_returnee_ = pop_.village_returnees[tv.begin].begin;
    nr_ = pop_.village_returnees[tv.end - 1].end - first_returnee_;
    out_.days.assign(nv_, std::vector<metrics::DayRow>(size_t(m.horizon_days)));
    for (auto& v : out_.days)
      for (auto& row : v) row.minutes_worked.assign(size_t(m.roles()), 0);
    out_.villages.assign(nv_, {});
    out_.roles.assign(size_t(m.roles()), {});
    team_count_.assign(roster_.staff.size(), 0);
    staff_minutes_.assign(roster_.staff.size(), 0);
    out_.guidelines.assign(metrics::kGuidelineSlots, {});
    village_attr_.assign(size_t(nv_) * prog_.attributes().size(), 0.0);
    village_raised_.assign(size_t(nv_) * prog_.events().size(), 0);
    village_registered_.assign(nv_, 0);
    village_key_.assign(nv_, 0);
    village_open_.assign(nv_, 0);
    future_open_.assign(nv_, 0);
    future_role_.assign(size_t(m.roles()), 0);
    release_count_.assign(size_t(m.horizon_days) * nv_, 0);
    release_role_count_.assign(size_t(m.horizon_days) * size_t(m.roles()), 0);
    village_monitored_.assign(nv_, 0);
    post_open_.assign(size_t(nv_) * prog_.posts().size(), 0);
    first_household_ = pop_.village_households[tv.begin].begin;
    last_contact_.assign(pop_.village_households[tv.end - 1].end - first_household_, -1);
    for (const auto& k : prog_.task_kinds()) contacts_households_ = contacts_households_ || k.counts_as_household_contact;
    local_case_rules_ = prog_.has_rules(Event::LocalCaseFound);
    for (const auto& rule : prog_.rules())
      for (const auto& act : rule.actions) observes_households_ = observes_households_ || act.kind == ActionSpec::Kind::ObserveHousehold;
    for (uint32_t v = 0; v < nv_; ++v) {
      // Household metrics mean something only when the policy contacts households.
      if (!contacts_households_) continue;
      out_.villages[v].households = int32_t(pop_.village_households[tv.begin + v].size());
      out_.villages[v].households_without_contact_member = m.contacts.without_member[tv.begin + v];
    }
    slot_stack_.assign(size_t(kMaxDispatchDepth) * size_t(prog_.slot_count()), 0.0);
    const size_t ns = prog_.supplies().size();
    stock_.assign(size_t(nv_) * ns, 0);
    for (uint32_t v = 0; v < nv_; ++v)
      for (size_t k = 0; k < ns; ++k) stock_[v * ns + k] = m.initial_stock[k];
    funds_.assign(nv_, 0.0);
    if (!m.village_funds.empty())
      for (uint32_t v = 0; v < nv_; ++v) funds_[v] = m.village_funds[first_village_ + v];
    used_supply_.assign(ns, false);
    for (const auto& k : prog_.task_kinds())
      for (const auto& [sup, amount] : k.uses) used_supply_[size_t(sup)] = true;
    const size_t nk = prog_.monitoring().size();
    for (size_t k = 0; k < nk; ++k)
      for (const auto& [sup, amount] : prog_.monitoring_uses(int(k))) {
        used_supply_[size_t(sup)] = true;
        monitoring_uses_any_ = true;
      }
    village_monitored_kind_.assign(size_t(nv_) * nk, 0);
    if (ns > 0)
      for (auto& vt : out_.villages) vt.supplies = true;
    if (m.disease) {
      epi_.emplace(*m.disease, pop_, uint32_t(town), m.seed, uint32_t(replicate));
      for (auto& vt : out_.villages) vt.epidemic = true;
    }
  }

  TownOutput run() {
    {
      PhaseLap lap(ph_, PhaseTimes::Setup);
      draw_returnees();
    }
    for (int d = 0; d < m_.horizon_days; ++d) run_day(d);
    PhaseLap lap(ph_, PhaseTimes::Metrics);
    finish();
    return std::move(out_);
  }

 private:
  // ---- returnees --------------------------------------------------------------------------------

  // Origins and arrival times, each from its own stream keyed by the person, so that changing
  // anything else in a scenario leaves them as they were (common random numbers).
  void draw_returnees() {
    origin_.resize(nr_);
    arrival_.resize(nr_);
    cls_.assign(nr_, uint8_t(prog_.default_class()));
    screened_.assign(nr_, -1);
    tracking_of_.assign(nr_, -1);
    village_of_.resize(nr_);
    person_attr_.assign(size_t(nr_) * prog_.attributes().size(), 0.0);
    person_raised_.assign(size_t(nr_) * prog_.events().size(), 0);
    pending_check_.assign(nr_, 0);
    detected_at_.assign(nr_, -1);
    onset_at_.assign(nr_, -1);
    if (epi_ || observes_households_) {
      first_person_ = pop_.village_persons[first_village_].begin;
      returnee_of_.assign(pop_.village_persons[first_village_ + nv_ - 1].end - first_person_, -1);
      staff_of_person_.assign(returnee_of_.size(), -1);
      for (size_t st = 0; st < roster_.staff.size(); ++st)
        if (roster_.person[st] >= 0) staff_of_person_[size_t(roster_.person[st]) - first_person_] = int32_t(st);
      for (uint32_t i = 0; i < nr_; ++i) returnee_of_[pop_.returnees[first_returnee_ + i] - first_person_] = int32_t(i);
    }
    monitoring_.assign(nr_, 0);
    in_monitored_.assign(nr_, 0);
    monitoring_end_.assign(nr_, 0);
    const auto& ar = m_.scenario.arrivals;
    for (uint32_t v = 0; v < nv_; ++v) {
      const auto& r = pop_.village_returnees[first_village_ + v];
      for (uint32_t i = r.begin; i < r.end; ++i) village_of_[i - first_returnee_] = int32_t(v);
    }
    for (uint32_t i = 0; i < nr_; ++i) {
      const uint32_t person = pop_.returnees[first_returnee_ + i];
      RandomStream o(StreamKey{m_.seed, uint32_t(rep_), person, 0, Purpose::Origin});
      origin_[i] = uint8_t(o.categorical(m_.origin_cumulative));
      RandomStream a(StreamKey{m_.seed, uint32_t(rep_), person, 0, Purpose::Arrival});
      double day = a.triangular(ar.first_day, ar.peak_day, ar.last_day);
      // Those home before prevention began are registered when it begins.
      arrival_[i] = day < 0 ? 0 : int64_t(day * double(kDay));
    }
    // Away until registered: neither catches nor passes on the infection in the village.
    if (epi_)
      for (uint32_t i = 0; i < nr_; ++i)
        if (arrival_[i] > 0) epi_->set_contact_multipliers(pop_.returnees[first_returnee_ + i], 0.0f, 0.0f);
    // Arrival order: by time, then by returnee index (independent of thread count). Sorted as
    // packed (minute, index) keys: the same order as a stable sort by time, without indirection.
    std::vector<uint64_t> keys(nr_);
    for (uint32_t i = 0; i < nr_; ++i) keys[i] = (uint64_t(arrival_[i]) << 32) | i;  // 0 <= minute <= 3650 days < 2^32
    std::sort(keys.begin(), keys.end());
    order_.resize(nr_);
    for (uint32_t i = 0; i < nr_; ++i) order_[i] = uint32_t(keys[i]);
  }

  // ---- rules ------------------------------------------------------------------------------------

  // Raises an event about a person (subject >= 0) or a village (subject < 0) at time `now`.
  void raise(Event e, int filter, int32_t subject, int32_t village, int64_t now) {
    if (depth_ >= kMaxDispatchDepth) return;  // unreachable for policies that passed the cycle check
    Ctx saved = ctx_;
    ctx_ = Ctx{subject, village, now, e, filter};
    double* slots = slot_stack_.data() + size_t(depth_) * size_t(prog_.slot_count());
    ++depth_;
    prog_.dispatch(e, filter, int(now / kDay), slots, *this);
    --depth_;
    ctx_ = saved;
  }

  void fill(double* s) override {
    const int v = ctx_.village;
    if (ctx_.subject >= 0) {
      const uint32_t i = uint32_t(ctx_.subject);
      const uint32_t person = pop_.returnees[first_returnee_ + i];
      s[rules::kSlotOrigin] = origin_[i];
      s[rules::kSlotClass] = cls_[i];
      s[rules::kSlotArrivalDay] = double(arrival_[i] / kDay);
      s[rules::kSlotHouseholdSize] = pop_.household_size[pop_.person_household[person]];
      s[rules::kSlotIsReturnee] = 1.0;
      s[rules::kSlotTracked] = tracking_of_[i] >= 0 && !trackings_[size_t(tracking_of_[i])].ended ? 1.0 : 0.0;
      s[rules::kSlotMonitoring] = monitoring_[i];
    }
    const size_t gv = first_village_ + size_t(v);
    s[prog_.village_slot(rules::kVillageToday)] = double(ctx_.now / kDay);
    s[prog_.village_slot(rules::kVillageResidents)] = pop_.village_persons[gv].size();
    s[prog_.village_slot(rules::kVillageHouseholds)] = pop_.village_households[gv].size();
    s[prog_.village_slot(rules::kVillagePartyMembers)] = pop_.village_party_members[gv];
    s[prog_.village_slot(rules::kVillageReturneesRegistered)] = village_registered_[size_t(v)];
    s[prog_.village_slot(rules::kVillageKeyPersons)] = village_key_[size_t(v)];
    s[prog_.village_slot(rules::kVillageOpenTasks)] = village_open_[size_t(v)];
    s[prog_.village_slot(rules::kVillageMonitored)] = village_monitored_[size_t(v)];
    for (size_t k = 0; k < prog_.supplies().size(); ++k)
      s[prog_.stock_slot(int(k))] = double(stock_[size_t(v) * prog_.supplies().size() + k]);
    const size_t na = prog_.attributes().size();
    for (size_t a = 0; a < na; ++a) {
      const int slot = prog_.attribute_slot(int(a));
      if (slot < 0) continue;
      if (prog_.attributes()[a].about == Subject::Village)
        s[slot] = village_attr_[size_t(v) * na + a];
      else if (ctx_.subject >= 0)
        s[slot] = person_attr_[size_t(ctx_.subject) * na + a];
    }
  }

  bool crossed(int level) override { return stock_before_ >= level && stock_after_ < level; }

  bool event_raised(int event) override {
    return village_raised_[size_t(ctx_.village) * prog_.events().size() + size_t(event)] != 0;
  }

  void considered(int rule, bool fired, const double*) override {
    if (!trace_on_) return;
    ctx_.trace_index = out_.trace.size();
    const int day = int(ctx_.now / kDay);
    out_.trace.push_back({day, int32_t(ctx_.now % kDay),
                          ctx_.subject >= 0 ? int32_t(pop_.returnees[first_returnee_ + uint32_t(ctx_.subject)]) : -1,
                          int32_t(first_village_) + ctx_.village, rule, uint8_t(ctx_.event), ctx_.filter, fired, 0});
  }

  void apply(int, const rules::Action& a) override {
    const int64_t now = ctx_.now;
    const int day = int(now / kDay);
    const int32_t i = ctx_.subject;
    const int32_t v = ctx_.village;
    switch (a.kind) {
      case ActionSpec::Kind::CreateTask: {
        const auto& k = prog_.task_kinds()[size_t(a.arg)];
        const int before = int(tasks_.size());
        create_task(a.arg, i, v, now);
        if (k.repeat.every_days > 0 && k.repeat.times > 1)
          repeats_.push({now + k.repeat.every_days * kDay, a.arg, i, v, -1, k.repeat.times - 1, repeat_seq_++});
        if (trace_on_) out_.trace[ctx_.trace_index].created += int(tasks_.size()) - before;
        break;
      }
      case ActionSpec::Kind::SetClass: {
        if (cls_[size_t(i)] == a.arg) break;
        const bool was_key = prog_.is_key_class(cls_[size_t(i)]);
        cls_[size_t(i)] = uint8_t(a.arg);
        const bool is_key = prog_.is_key_class(a.arg);
        if (!was_key && is_key) {
          village_key_[size_t(v)]++;
          if (day < m_.horizon_days) {
            out_.days[size_t(v)][size_t(day)].key_identified++;
            out_.villages[size_t(v)].key_identified++;
          }
        } else if (was_key && !is_key) {
          village_key_[size_t(v)]--;
        }
        raise(Event::ClassChanged, a.arg, i, v, now);
        break;
      }
      case ActionSpec::Kind::StartTracking: {
        if (tracking_of_[size_t(i)] >= 0) break;  // already tracked once: a second start is a no-op
        const auto& tmpl = prog_.tracking()[size_t(a.arg)];
        // Tracking begins the morning after the person is identified and runs `days` days.
        Tracking t{i, a.arg, day + 1, day + tmpl.days, uint32_t(members_.size())};
        members_.resize(members_.size() + tmpl.members.size(), -1);
        duty_done_.resize(members_.size(), 0);
        tracking_of_[size_t(i)] = int32_t(trackings_.size());
        active_.push_back(int32_t(trackings_.size()));
        trackings_.push_back(t);
        out_.villages[size_t(v)].key_tracked++;
        break;
      }
      case ActionSpec::Kind::EndTracking: {
        const int32_t ti = tracking_of_[size_t(i)];
        if (ti >= 0 && trackings_[size_t(ti)].tmpl == a.arg && !trackings_[size_t(ti)].ended)
          trackings_[size_t(ti)].end_day = std::min(trackings_[size_t(ti)].end_day, day);
        break;  // released (and tracking_ended raised) at the end of the day
      }
      case ActionSpec::Kind::StartMonitoring:
        start_monitoring(i, v, a.arg, day, int(a.value));
        break;
      case ActionSpec::Kind::ObserveHousehold: {
        // The other members of the household of the rule's person (or of the local case): a
        // returnee registered here gets the monitoring as by start_monitoring; a resident who is
        // not a returnee (not a rule subject) has their contacts reduced and is counted as
        // monitored until the last day, with no events.
        const int64_t person = i >= 0 ? int64_t(pop_.returnees[first_returnee_ + uint32_t(i)]) : local_case_person_;
        if (person < 0) break;
        const uint32_t h = pop_.person_household[size_t(person)];
        const uint32_t first = pop_.household_first_person[h];
        for (uint32_t m = first; m < first + pop_.household_size[h]; ++m) {
          if (int64_t(m) == person) continue;
          const int32_t j = returnee_of_[m - first_person_];
          if (j >= 0) {
            if (arrival_[size_t(j)] <= now) start_monitoring(j, village_of_[size_t(j)], a.arg, day, int(a.value));
          } else {
            observe_resident(m, village_index_of(m), a.arg, day + int(a.value) - 1);
          }
        }
        break;
      }
      case ActionSpec::Kind::EndMonitoring: {
        const int kind = int(monitoring_[size_t(i)]) - 1;
        if (kind < 0 || (a.arg != -2 && a.arg != kind)) break;
        monitoring_[size_t(i)] = 0;
        village_monitored_[size_t(v)]--;
        monitored_of_kind(v, kind)--;
        set_contact(uint32_t(i));
        raise(Event::MonitoringEnded, kind, i, v, now);
        break;
      }
      case ActionSpec::Kind::OpenPost: {
        uint8_t& open = post_open_[size_t(v) * prog_.posts().size() + size_t(a.arg)];
        if (open) break;
        open = 1;
        create_post_shifts(a.arg, v, now);  // the rest of today's shifts
        break;
      }
      case ActionSpec::Kind::ClosePost:
        post_open_[size_t(v) * prog_.posts().size() + size_t(a.arg)] = 0;  // from tomorrow
        break;
      case ActionSpec::Kind::SetAttribute: {
        const size_t na = prog_.attributes().size();
        if (prog_.attributes()[size_t(a.arg)].about == Subject::Village)
          village_attr_[size_t(v) * na + size_t(a.arg)] = a.value;
        else
          person_attr_[size_t(i) * na + size_t(a.arg)] = a.value;
        break;
      }
      case ActionSpec::Kind::Request: {
        // Ordered now and paid for now, within the village's funds and the channel's limit;
        // delivered after the channel's lead time (a timer). A channel that does not offer the
        // supply, or no money left, orders nothing.
        const auto& ch = m_.channels[size_t(a.arg2)];
        if (ch.offers.empty() || !ch.offers[size_t(a.arg)]) break;
        int64_t amount = int64_t(a.value);
        if (ch.max_per_request > 0) amount = std::min(amount, ch.max_per_request);
        const double cost = ch.unit_cost[size_t(a.arg)];
        if (cost > 0) amount = std::min<int64_t>(amount, int64_t(funds_[size_t(v)] / cost));
        if (amount <= 0) {  // not even one unit can be paid for
          out_.villages[size_t(v)].requests_refused_for_funds++;
          break;
        }
        funds_[size_t(v)] -= double(amount) * cost;
        out_.villages[size_t(v)].money_spent += double(amount) * cost;
        timer_events_.push_back({-2, a.arg, v, amount});
        sched_.add_timer(std::max(now + 1, now + int64_t(ch.lead_days) * kDay), timer_events_.size() - 1);
        break;
      }
      case ActionSpec::Kind::Escalate:
      case ActionSpec::Kind::Raise: {
        // After a delay (a report climbing the grid takes each level's delay): a scheduler timer
        // brings it back at its minute.
        const int64_t delay = a.kind == ActionSpec::Kind::Escalate ? prog_.escalation_delay(int(a.value))
                                                                   : int64_t(a.value);
        if (delay > 0) {
          timer_events_.push_back({a.arg, i, v, 0});
          sched_.add_timer(now + delay, timer_events_.size() - 1);
          break;
        }
        const auto& ev = prog_.events()[size_t(a.arg)];
        if (ev.about == Subject::Village) {
          village_raised_[size_t(v) * prog_.events().size() + size_t(a.arg)] = 1;
          raise(Event::Custom, a.arg, -1, v, now);
        } else {
          person_raised_[size_t(i) * prog_.events().size() + size_t(a.arg)] = 1;
          raise(Event::Custom, a.arg, i, v, now);
        }
        break;
      }
    }
  }

  // ---- tasks ------------------------------------------------------------------------------------

  void create_task(int kind_index, int32_t subject, int32_t village, int64_t now) {
    const auto& k = prog_.task_kinds()[size_t(kind_index)];
    for (int c = 0; c < k.copies; ++c) {
      if (k.for_each_household) {
        const auto& hr = pop_.village_households[first_village_ + uint32_t(village)];
        for (uint32_t h = hr.begin; h < hr.end; ++h) {
          // The household's contact member when the grid gives it one; otherwise anyone eligible.
          const int member = k.assign_contact_member ? m_.contacts.member[h] : -1;
          add_task(kind_index, subject, -1, village, int32_t(h), now, now + k.within_minutes, member,
                   member >= 0 ? int(roster_.staff[size_t(member)].role) : k.primary_role);
        }
      } else {
        add_task(kind_index, subject, -1, village, -1, now, now + k.within_minutes, -1, k.primary_role);
      }
    }
  }

  // Today's shifts of an open post that have not ended by `now`, each for every place of the shift.
  void create_post_shifts(int post, int32_t village, int64_t now) {
    const auto& ps = prog_.posts()[size_t(post)];
    const int64_t day_start = (now / kDay) * kDay;
    for (int kind : ps.shift_tasks) {
      const auto& k = prog_.task_kinds()[size_t(kind)];
      const int64_t from = std::max(day_start + k.shift_from, now), to = day_start + k.shift_to;
      if (to <= from) continue;
      for (int place = 0; place < ps.staff_per_shift; ++place) {
        // Not started once the shift is over (a late start still covers the rest of it).
        add_task(kind, -1, -1, village, -1, from, to, -1, k.primary_role, int32_t(to - from), -1, to - 1);
        if (int(now / kDay) < m_.horizon_days) {
          out_.days[size_t(village)][size_t(now / kDay)].post_minutes_required += int32_t(to - from);
          out_.villages[size_t(village)].post_minutes_required += to - from;
        }
      }
    }
  }

  // The guideline number of the rule that creates a kind of task (tracking duties: the rule that
  // starts the tracking is not known per kind, so 0).
  int guideline_of(int kind_index) const {
    const int rule = prog_.task_kinds()[size_t(kind_index)].rule;
    return rule >= 0 ? prog_.spec().rules[size_t(rule)].guideline : 0;
  }

  void add_task(int kind_index, int32_t subject, int32_t tracking, int32_t village, int32_t household, int64_t release,
                int64_t deadline, int assignee, int demand_role, int32_t minutes = 0, int32_t slot = -1,
                int64_t latest_start = std::numeric_limits<int64_t>::max()) {
    const auto& k = prog_.task_kinds()[size_t(kind_index)];
    if (minutes <= 0) minutes = k.minutes;
    staffing::Task t;
    t.id = tasks_.size();
    t.priority = k.priority;
    t.release = release;
    t.deadline = deadline;
    t.minutes = minutes;
    t.role_mask = k.role_mask;
    t.village = int32_t(first_village_) + village;
    t.assignee = assignee;
    t.drop_when_late = k.drop_when_late;
    t.team = k.team;
    t.latest_start = latest_start;
    tasks_.push_back({kind_index, subject, tracking, village, household, slot});
    out_.guidelines[size_t(guideline_of(kind_index))].tasks_created++;
    sched_.add_task(t);
    village_open_[size_t(village)]++;
    const int day = int(release / kDay);
    if (release >= 0 && day > cur_day_) {  // released on a later day: not backlog until then
      future_open_[size_t(village)]++;
      for (uint32_t mask = t.role_mask; mask != 0; mask &= mask - 1) {
        const size_t r = size_t(std::countr_zero(mask));
        future_role_[r]++;
        if (day < m_.horizon_days) release_role_count_[size_t(day) * size_t(m_.roles()) + r]++;
      }
      if (day < m_.horizon_days) release_count_[size_t(day) * nv_ + size_t(village)]++;
    }
    if (day < m_.horizon_days) out_.days[size_t(village)][size_t(day)].tasks_created++;
    if (k.team) {  // every role of the team gives its time
      for (uint32_t m = k.role_mask; m != 0; m &= m - 1) out_.roles[size_t(std::countr_zero(m))].minutes_demanded += minutes;
    } else if (demand_role >= 0) {
      out_.roles[size_t(demand_role)].minutes_demanded += minutes;
    }
  }

  void fill_slots(Tracking& t, int day) {
    const auto& tmpl = prog_.tracking()[size_t(t.tmpl)];
    const int village = int(first_village_) + village_of_[size_t(t.subject)];
    for (size_t s = 0; s < tmpl.members.size(); ++s) {
      int32_t& slot = members_[t.member_offset + s];
      if (slot >= 0) continue;
      const int role = tmpl.members[s].role;
      int best = -1;
      for (int si : roster_.by_role[size_t(role)]) {
        const auto& st = roster_.staff[size_t(si)];
        if (st.village != -1 && st.village != village) continue;
        if (!sched_.on_duty(si, day)) continue;  // not yet available, or off duty
        const int cap = roster_.max_teams[size_t(si)];
        if (cap > 0 && team_count_[size_t(si)] >= cap) continue;
        if (best < 0 || team_count_[size_t(si)] < team_count_[size_t(best)]) best = si;
      }
      if (best >= 0) {
        slot = best;
        ++team_count_[size_t(best)];
      }
    }
  }

  void create_duties(int32_t ti, int day) {
    Tracking& t = trackings_[size_t(ti)];
    const auto& tmpl = prog_.tracking()[size_t(t.tmpl)];
    for (size_t s = 0; s < tmpl.members.size(); ++s) {
      const int32_t member = members_[t.member_offset + s];
      if (member < 0) continue;
      const auto& kind = prog_.task_kinds()[size_t(tmpl.members[s].duty_task)];
      add_task(tmpl.members[s].duty_task, t.subject, ti, village_of_[size_t(t.subject)], -1, day * kDay,
               (day + 1) * kDay, member, kind.primary_role, 0, int32_t(s));
    }
  }

  // ---- infection --------------------------------------------------------------------------------

  // The day's infections, onsets and recoveries. A returnee whose symptoms begin while a team or a
  // monitoring watches them is found at the next visit (any task about them); one nobody watches
  // seeks care `care_seeking_days` later (08:00). Residents who are not returnees are counted but
  // are not yet subjects of rules.
  void step_epidemic(int d) {
    for (const auto& tr : epi_->step(d)) {
      if (tr.to != epidemic::State::Symptomatic) continue;
      // A staff member with symptoms is off duty (ill, then isolated) from today.
      if (const int32_t st = staff_of_person_[tr.person - first_person_]; st >= 0) {
        const auto& member = roster_.staff[size_t(st)];
        for (int k = 0; k < m_.staff_isolation_days; ++k) {
          const int day = std::max(d, tr.day) + k;
          if (day >= m_.horizon_days) break;
          if (sched_.on_duty(st, day)) out_.roles[member.role].days_ill++;
          sched_.set_unavailable(st, day);
        }
        raise(Event::StaffUnavailable, member.role, -1, member.village - int32_t(first_village_), d * kDay);
      }
      const int32_t i = returnee_of_[tr.person - first_person_];
      if (i < 0) {
        // Not a returnee, so not a subject of the village's rules: the health system isolates
        // them when they seek care (a scenario setting).
        if (m_.isolate_local_cases) {
          timer_events_.push_back({-3, int32_t(tr.person), village_index_of(tr.person), 0});
          sched_.add_timer(std::max<int64_t>(d * kDay, (tr.day + m_.care_seeking_days) * kDay + 8 * 60),
                           timer_events_.size() - 1);
        }
        continue;
      }
      if (detected_at_[size_t(i)] >= 0 || onset_at_[size_t(i)] >= 0) continue;
      onset_at_[size_t(i)] = int64_t(tr.day) * kDay;
      out_.villages[size_t(village_of_[size_t(i)])].returnee_onsets++;
      const bool watched = monitoring_[size_t(i)] != 0 ||
                           (tracking_of_[size_t(i)] >= 0 && !trackings_[size_t(tracking_of_[size_t(i)])].ended);
      // Watched: found at the next visit, if one comes before they would have sought care anyway.
      if (watched) pending_check_[size_t(i)] = 1;
      timer_events_.push_back({-1, i, village_of_[size_t(i)], 0});
      const int64_t when = std::max<int64_t>(d * kDay, (tr.day + m_.care_seeking_days) * kDay + 8 * 60);
      sched_.add_timer(when, timer_events_.size() - 1);
    }
    for (uint32_t v = 0; v < nv_; ++v) {
      const auto& c = epi_->counts(first_village_ + v, d);
      auto& row = out_.days[v][size_t(d)];
      row.infections_local = c.infected;
      row.infections_imported = c.imported;
      row.onsets = c.onsets;
      row.infectious = c[epidemic::State::Presymptomatic] + c[epidemic::State::Symptomatic] +
                       c[epidemic::State::Asymptomatic];
      out_.villages[v].infections_local += c.infected;
      out_.villages[v].infections_imported += c.imported;
    }
  }

  // A stock changes; falling below a level some rule watches raises stock_below.
  void change_stock(int32_t village, int supply, int64_t delta, int64_t now) {
    int64_t& st = stock_[size_t(village) * prog_.supplies().size() + size_t(supply)];
    stock_before_ = st;
    st += delta;
    stock_after_ = st;
    if (delta < 0) raise(Event::StockBelow, supply, -1, village, now);
  }

  int32_t village_index_of(uint32_t person) const {
    return int32_t(pop_.group_village[pop_.household_group[pop_.person_household[person]]] - first_village_);
  }

  void detect(uint32_t i, int64_t when, bool at_check) {
    detected_at_[i] = when;
    pending_check_[i] = 0;
    auto& vt = out_.villages[size_t(village_of_[i])];
    vt.detected++;
    vt.detected_at_check += at_check;
    vt.detection_delay_minutes += when - onset_at_[i];
    if (when / kDay < m_.horizon_days) out_.days[size_t(village_of_[i])][size_t(when / kDay)].detected++;
  }

  // A new monitoring of returnee i replaces the current one, from `day` for `days` days.
  void start_monitoring(int32_t i, int32_t v, int kind, int day, int days) {
    if (monitoring_[size_t(i)] == 0) village_monitored_[size_t(v)]++;
    else monitored_of_kind(v, monitoring_[size_t(i)] - 1)--;
    monitored_of_kind(v, kind)++;
    if (!in_monitored_[size_t(i)]) {
      in_monitored_[size_t(i)] = 1;
      monitored_.push_back(i);
    }
    monitoring_[size_t(i)] = uint8_t(kind + 1);
    monitoring_end_[size_t(i)] = day + days - 1;
    set_contact(uint32_t(i));
  }

  // A resident who is not a returnee, observed with a case's household until `last_day` (23:59);
  // a new observation replaces the current one.
  void observe_resident(uint32_t person, int32_t v, int kind, int last_day) {
    auto [it, added] = resident_obs_index_.try_emplace(person, uint32_t(resident_obs_.size()));
    if (added) {
      resident_obs_.push_back({person, v, kind, last_day});
      village_monitored_[size_t(v)]++;
    } else {
      ResidentObs& o = resident_obs_[it->second];
      monitored_of_kind(v, o.kind)--;
      o.kind = kind;
      o.last_day = last_day;
    }
    monitored_of_kind(v, kind)++;
    if (epi_) {
      const auto& mc = m_.monitoring_contact[size_t(kind)];
      epi_->set_contact_multipliers(person, mc[0], mc[1]);
    }
  }

  // Contact multipliers follow the person's monitoring (scenario `epidemic.contact`).
  void set_contact(uint32_t i) {
    if (!epi_) return;
    const uint32_t person = pop_.returnees[first_returnee_ + i];
    if (monitoring_[i] == 0) {
      epi_->set_contact_multipliers(person, 1.0f, 1.0f);
    } else {
      const auto& mc = m_.monitoring_contact[size_t(monitoring_[i] - 1)];
      epi_->set_contact_multipliers(person, mc[0], mc[1]);
    }
  }

  // ---- the day ----------------------------------------------------------------------------------

  void run_day(int d) {
    std::optional<PhaseLap> lap(std::in_place, ph_, PhaseTimes::Rules);  // the day's start: rules and tracking
    const int64_t day_start = d * kDay;
    cur_day_ = d;  // tasks released today stop counting as future
    for (uint32_t v = 0; v < nv_; ++v) future_open_[v] -= release_count_[size_t(d) * nv_ + v];
    for (size_t r = 0; r < future_role_.size(); ++r) future_role_[r] -= release_role_count_[size_t(d) * future_role_.size() + r];
    // Shifts of posts open since an earlier day (a post opened today made its own), then the
    // villages' day_started and fixed-day rules, then repeated tasks falling due.
    const size_t np = prog_.posts().size();
    for (uint32_t v = 0; v < nv_; ++v)
      for (size_t p = 0; p < np; ++p)
        if (post_open_[v * np + p]) create_post_shifts(int(p), int32_t(v), day_start);
    // The grid's daily coordination: one task for the leader of each unit of a level that asks it.
    if (const auto& grid = prog_.grid())
      for (const auto& level : grid->levels) {
        if (level.leader_task < 0) continue;
        for (uint32_t v = 0; v < nv_; ++v) {
          const uint32_t units = level.unit == rules::GridLevel::Unit::Village
                                     ? 1
                                     : pop_.village_groups[first_village_ + v].size();
          const auto& k = prog_.task_kinds()[size_t(level.leader_task)];
          for (uint32_t u = 0; u < units; ++u)
            add_task(level.leader_task, -1, -1, int32_t(v), -1, day_start, day_start + kDay, -1, k.primary_role);
        }
      }
    const bool day_rules = prog_.has_rules(Event::DayStarted), fixed_rules = prog_.has_rules(Event::OnDay);
    for (uint32_t v = 0; v < nv_; ++v) {
      if (day_rules) raise(Event::DayStarted, -1, -1, int32_t(v), day_start);
      if (fixed_rules) raise(Event::OnDay, d, -1, int32_t(v), day_start);
    }
    while (!repeats_.empty() && repeats_.top().when < day_start + kDay) {
      Repeat r = repeats_.top();
      repeats_.pop();
      create_task(r.kind, r.subject, r.village, r.when);
      const auto& k = prog_.task_kinds()[size_t(r.kind)];
      if (--r.remaining > 0) {
        r.when += k.repeat.every_days * kDay;
        r.seq = repeat_seq_++;
        repeats_.push(r);
      }
    }
    // Trackings under way: fill empty team slots, then today's duties.
    for (int32_t ti : active_) {
      Tracking& t = trackings_[size_t(ti)];
      if (t.start_day > d || t.end_day < d) continue;
      // A member off duty today (ill or isolated) leaves the team; the place is filled again.
      const size_t places = prog_.tracking()[size_t(t.tmpl)].members.size();
      for (size_t sl = 0; sl < places; ++sl) {
        int32_t& member = members_[t.member_offset + sl];
        if (member >= 0 && !sched_.on_duty(member, d)) {
          --team_count_[size_t(member)];
          member = -1;
        }
      }
      fill_slots(t, d);
      create_duties(ti, d);
    }
    // Today's arrivals.
    while (next_arrival_ < nr_ && arrival_[order_[next_arrival_]] < day_start + kDay) {
      const uint32_t i = order_[next_arrival_++];
      const int32_t v = village_of_[i];
      out_.days[size_t(v)][size_t(d)].arrivals++;
      out_.villages[size_t(v)].returnees++;
      village_registered_[size_t(v)]++;
      if (epi_) {
        set_contact(i);  // home now: ordinary contacts (or those of a monitoring)
        epi_->import_returnee(pop_.returnees[first_returnee_ + i], m_.infection_probability[origin_[i]], d);
      }
      raise(Event::ReturneeArrived, -1, int32_t(i), v, arrival_[i]);
    }
    lap.reset();
    if (epi_) {
      PhaseLap infection(ph_, PhaseTimes::Infection);
      step_epidemic(d);
    }

    auto on_complete = [&](const staffing::Task& task, int64_t finish, int staff) {
      const TaskRec rec = tasks_[task.id];
      const auto& kind = prog_.task_kinds()[size_t(rec.kind)];
      auto& row = out_.days[size_t(rec.village)][size_t(d)];
      if (task.team) {  // every member's time
        for (int32_t member : sched_.current_team()) {
          row.minutes_worked[roster_.staff[size_t(member)].role] += task.minutes;
          staff_minutes_[size_t(member)] += task.minutes;
        }
      } else {
        row.minutes_worked[roster_.staff[size_t(staff)].role] += task.minutes;
        staff_minutes_[size_t(staff)] += task.minutes;
      }
      village_open_[size_t(rec.village)]--;
      // Supplies the task uses, from the village's stock. When one is short the task's if_short
      // says what happens: done anyway (proceed), not done (skip: the time is spent, nothing else
      // happens), or done less well (degrade: a fever is found only with degraded_detection).
      const size_t ns = prog_.supplies().size();
      bool short_of_supplies = false;
      for (const auto& [sup, amount] : kind.uses)
        short_of_supplies = short_of_supplies || stock_[size_t(rec.village) * ns + size_t(sup)] < amount;
      if (short_of_supplies && kind.if_short == rules::IfShort::Skip) {
        out_.villages[size_t(rec.village)].tasks_skipped_for_supplies++;
        return;
      }
      for (const auto& [sup, amount] : kind.uses) {
        if (stock_[size_t(rec.village) * ns + size_t(sup)] >= amount) change_stock(rec.village, sup, -amount, finish);
        else out_.villages[size_t(rec.village)].tasks_without_supplies++;
      }
      const bool degraded = short_of_supplies && kind.if_short == rules::IfShort::Degrade;
      if (degraded) out_.villages[size_t(rec.village)].tasks_degraded++;
      row.tasks_done++;
      if (rec.tracking >= 0) {
        trackings_[size_t(rec.tracking)].done_today++;
        duty_done_[trackings_[size_t(rec.tracking)].member_offset + size_t(rec.slot)] = 1;
      }
      if (kind.counts_as_household_contact && rec.household >= 0) {
        const size_t h = size_t(rec.household) - first_household_;
        if (last_contact_[h] < 0) out_.villages[size_t(rec.village)].households_contacted++;
        last_contact_[h] = d;
      }
      if (kind.post >= 0) {  // minutes someone was at the post within the shift's hours
        const int64_t win_from = d * kDay + kind.shift_from, win_to = d * kDay + kind.shift_to;
        const int64_t staffed = std::max<int64_t>(0, std::min(finish, win_to) - std::max(finish - task.minutes, win_from));
        row.post_minutes_staffed += int32_t(staffed);
        out_.villages[size_t(rec.village)].post_minutes_staffed += staffed;
      }
      // Any task about a person is a visit: symptoms that began are found there.
      // A check done short of supplies (degrade) finds them only with the task's degraded_detection:
      // the draw is keyed by (person, day, task kind), so it does not depend on anything else.
      if (rec.subject >= 0 && pending_check_[size_t(rec.subject)] && detected_at_[size_t(rec.subject)] < 0 &&
          epi_->state(pop_.returnees[first_returnee_ + uint32_t(rec.subject)]) == epidemic::State::Symptomatic &&
          (!degraded || epidemic::detection_draw(m_.seed, uint32_t(rep_), pop_.returnees[first_returnee_ + uint32_t(rec.subject)],
                                                 d, uint32_t(rec.kind)) < kind.degraded_detection)) {
        detect(uint32_t(rec.subject), finish, true);
        raise(Event::FeverFound, -1, rec.subject, rec.village, finish);
      }
      if (rec.subject >= 0 && kind.counts_as_screening && screened_[size_t(rec.subject)] < 0) {
        const uint32_t i = uint32_t(rec.subject);
        screened_[i] = finish;
        row.screened++;
        out_.villages[size_t(rec.village)].screened++;
        if (finish - arrival_[i] <= kDay) {
          row.screened_within_24h++;
          out_.villages[size_t(rec.village)].screened_within_24h++;
        }
      }
      raise(Event::TaskDone, rec.kind, rec.subject, rec.village, finish);
    };
    auto on_late = [&](const staffing::Task& task) {
      const TaskRec& rec = tasks_[task.id];
      out_.days[size_t(rec.village)][size_t(d)].tasks_late++;
      out_.villages[size_t(rec.village)].tasks_late++;
      out_.guidelines[size_t(guideline_of(rec.kind))].tasks_late++;
      // Removed by the scheduler: dropped when late, or past its latest start (never to be started).
      if (task.drop_when_late || task.latest_start < (int64_t(d) + 1) * kDay) village_open_[size_t(rec.village)]--;
    };
    auto on_timer = [&](uint64_t id, int64_t t) {
      const TimerEvent ev = timer_events_[id];
      if (ev.event == -3) {  // a resident with symptoms seeks care and is isolated
        if (epi_->set_care(uint32_t(ev.subject), epidemic::Care::Isolated)) {
          out_.villages[size_t(ev.village)].local_cases_isolated++;
          if (local_case_rules_) {
            local_case_person_ = ev.subject;  // the case whose household observe_household means
            raise(Event::LocalCaseFound, -1, -1, ev.village, t);
            local_case_person_ = -1;
          }
        }
        return;
      }
      if (ev.event == -2) {  // a delivery
        change_stock(ev.village, ev.subject, ev.amount, t);
        return;
      }
      if (ev.event < 0) {  // an unchecked person with symptoms seeks care
        if (detected_at_[size_t(ev.subject)] >= 0) return;
        detect(uint32_t(ev.subject), t, false);
        raise(Event::SymptomsReported, -1, ev.subject, ev.village, t);
        return;
      }
      if (prog_.events()[size_t(ev.event)].about == Subject::Village) {
        village_raised_[size_t(ev.village) * prog_.events().size() + size_t(ev.event)] = 1;
        raise(Event::Custom, ev.event, -1, ev.village, t);
      } else {
        raise(Event::Custom, ev.event, ev.subject, ev.village, t);
      }
    };
    auto on_complete_timed = [&](const staffing::Task& task, int64_t finish, int staff) {
      CallbackLap cb(ph_);
      on_complete(task, finish, staff);
    };
    auto on_late_timed = [&](const staffing::Task& task) {
      CallbackLap cb(ph_);
      on_late(task);
    };
    auto on_timer_timed = [&](uint64_t id, int64_t t) {
      CallbackLap cb(ph_);
      on_timer(id, t);
    };
    lap.emplace(ph_, PhaseTimes::Scheduling);
    staffing::DayStats stats = sched_.run_day(d, on_complete_timed, on_late_timed, {}, on_timer_timed);
    lap.emplace(ph_, PhaseTimes::Metrics);  // the day's end: tracking outcomes, monitoring, accounting

    // Tracking outcome of the day; trackings that end today release their team.
    size_t keep = 0;
    for (size_t k = 0; k < active_.size(); ++k) {
      const int32_t ti = active_[k];
      Tracking& t = trackings_[size_t(ti)];
      if (t.start_day > d) {  // identified today; tracked from tomorrow
        if (t.end_day < t.start_day) {  // ended before it began: no team was formed
          t.ended = true;
          ended_today_.push_back(ti);
        } else {
          active_[keep++] = ti;
        }
        continue;
      }
      const auto& tmpl = prog_.tracking()[size_t(t.tmpl)];
      if (t.end_day < d) {  // ended by a rule after yesterday's pass (at 23:59): not tracked today
        for (size_t sl = 0; sl < tmpl.members.size(); ++sl)
          if (members_[t.member_offset + sl] >= 0) --team_count_[size_t(members_[t.member_offset + sl])];
        t.ended = true;
        ended_today_.push_back(ti);
        continue;
      }
      const int v = village_of_[size_t(t.subject)];
      auto& row = out_.days[size_t(v)][size_t(d)];
      row.tracking_active++;
      t.days_tracked++;
      if (t.done_today == int32_t(tmpl.members.size())) {
        row.tracking_complete++;
        t.days_complete++;
      }
      for (size_t s = 0; s < tmpl.members.size(); ++s) {
        uint8_t& done = duty_done_[t.member_offset + s];
        if (!done && tmpl.members[s].role >= 0) out_.roles[size_t(tmpl.members[s].role)].team_days_missing++;
        done = 0;
      }
      t.done_today = 0;
      if (t.end_day > d) {
        active_[keep++] = ti;
        continue;
      }
      for (size_t s = 0; s < tmpl.members.size(); ++s)
        if (members_[t.member_offset + s] >= 0) --team_count_[size_t(members_[t.member_offset + s])];
      t.ended = true;
      ended_today_.push_back(ti);
    }
    active_.resize(keep);
    for (int32_t ti : ended_today_) {
      const Tracking& t = trackings_[size_t(ti)];
      raise(Event::TrackingEnded, t.tmpl, t.subject, village_of_[size_t(t.subject)], day_start + kDay - 1);
    }
    ended_today_.clear();

    // Households contacted in the last 7 days, when the policy contacts households at all.
    if (contacts_households_)
      for (uint32_t v = 0; v < nv_; ++v) {
        const auto& hr = pop_.village_households[first_village_ + v];
        int32_t n = 0;
        for (uint32_t h = hr.begin; h < hr.end; ++h) {
          const int32_t last = last_contact_[h - first_household_];
          n += last >= 0 && last >= d - 6;
        }
        out_.days[v][size_t(d)].households_contacted_7d = n;
      }

    // Supplies used by the people under monitoring today (uses_per_day of their kind), at 23:59,
    // from the per-village count of each kind (no loop over people): whole persons' worth while
    // the stock lasts; the person-days left are counted short (they stay under monitoring).
    if (monitoring_uses_any_) {
      const size_t nk = prog_.monitoring().size();
      for (uint32_t v = 0; v < nv_; ++v)
        for (size_t k = 0; k < nk; ++k) {
          const int64_t people = monitored_of_kind(int32_t(v), int(k));
          if (people <= 0) continue;
          for (const auto& [sup, amount] : prog_.monitoring_uses(int(k))) {
            const int64_t have = stock_[size_t(v) * prog_.supplies().size() + size_t(sup)];
            const int64_t served = std::min<int64_t>(people, std::max<int64_t>(0, have) / amount);
            if (served > 0) change_stock(int32_t(v), sup, -served * amount, day_start + kDay - 1);
            out_.villages[v].monitoring_days_without_supplies += people - served;
          }
        }
    }

    // Stock-outs: a supply some task or monitoring uses is out at the end of the day.
    for (uint32_t v = 0; v < nv_; ++v) {
      const size_t ns = prog_.supplies().size();
      bool out = false;
      for (size_t k = 0; k < ns; ++k) out = out || (used_supply_[k] && stock_[v * ns + k] <= 0);
      out_.days[v][size_t(d)].stock.assign(stock_.begin() + std::ptrdiff_t(v * ns), stock_.begin() + std::ptrdiff_t((v + 1) * ns));
      if (out) {
        out_.days[v][size_t(d)].stockout = 1;
        out_.villages[v].stockout_days++;
      }
    }

    // Today's count of people under monitoring; then monitoring that ends today ends at 23:59.
    for (uint32_t v = 0; v < nv_; ++v) {
      out_.days[v][size_t(d)].monitored = village_monitored_[v];
      out_.villages[v].monitored_days += village_monitored_[v];
    }
    // Only those listed when the pass begins: a monitoring a rule starts at 23:59 is looked at
    // from tomorrow (so a rule restarting monitoring when it ends cannot loop within the day).
    const size_t listed = monitored_.size();
    size_t keep_m = 0;
    for (size_t k = 0; k < listed; ++k) {
      const int32_t i = monitored_[k];
      if (monitoring_[size_t(i)] != 0 && monitoring_end_[size_t(i)] <= d) {
        const int kind = monitoring_[size_t(i)] - 1;
        monitoring_[size_t(i)] = 0;
        village_monitored_[size_t(village_of_[size_t(i)])]--;
        monitored_of_kind(village_of_[size_t(i)], kind)--;
        set_contact(uint32_t(i));
        raise(Event::MonitoringEnded, kind, i, village_of_[size_t(i)], day_start + kDay - 1);
      }
      if (monitoring_[size_t(i)] != 0) monitored_[keep_m++] = i;  // still (or again) monitored
      else in_monitored_[size_t(i)] = 0;
    }
    for (size_t k = listed; k < monitored_.size(); ++k) monitored_[keep_m++] = monitored_[k];
    monitored_.resize(keep_m);
    // Residents observed with a household: their last day ends at 23:59 (no event).
    for (size_t k = 0; k < resident_obs_.size();) {
      const ResidentObs o = resident_obs_[k];
      if (o.last_day > d) {
        ++k;
        continue;
      }
      village_monitored_[size_t(o.village)]--;
      monitored_of_kind(o.village, o.kind)--;
      if (epi_) epi_->set_contact_multipliers(o.person, 1.0f, 1.0f);
      resident_obs_index_.erase(o.person);
      resident_obs_[k] = resident_obs_.back();  // order does not matter: each entry is on its own
      resident_obs_.pop_back();
      if (k < resident_obs_.size()) resident_obs_index_[resident_obs_[k].person] = uint32_t(k);
    }

    // Staff time by role, and whether each role ran out of hours with its work left undone.
    std::vector<int64_t> avail(size_t(m_.roles()), 0), worked(size_t(m_.roles()), 0);
    for (size_t s = 0; s < roster_.staff.size(); ++s) {
      avail[roster_.staff[s].role] += stats.minutes_available[s];
      worked[roster_.staff[s].role] += stats.minutes_worked[s];
      out_.roles[roster_.staff[s].role].minutes_overtime += stats.minutes_overtime[s];
    }
    // Backlog: open tasks released by the end of the day (open ones minus those released later,
    // which cannot have been completed or dropped yet), kept by counters, not a scan of the tasks.
    for (uint32_t v = 0; v < nv_; ++v) out_.days[v][size_t(d)].backlog = village_open_[v] - future_open_[v];
    std::vector<int64_t> backlog_by_role(size_t(m_.roles()), 0);
    for (int r = 0; r < m_.roles(); ++r)
      backlog_by_role[size_t(r)] = int64_t(sched_.open_tasks_for_role(r)) - future_role_[size_t(r)];
    for (int r = 0; r < m_.roles(); ++r) {
      auto& rt = out_.roles[size_t(r)];
      rt.minutes_available += avail[size_t(r)];
      rt.minutes_worked += worked[size_t(r)];
      if (avail[size_t(r)] > 0 && backlog_by_role[size_t(r)] > 0 &&
          double(worked[size_t(r)]) >= kOutOfHoursShare * double(avail[size_t(r)])) {
        rt.days_out_of_hours++;
        if (rt.first_day_out_of_hours < 0) rt.first_day_out_of_hours = d;
      }
    }
  }

  void finish() {
    for (size_t st = 0; st < roster_.staff.size(); ++st) {
      auto& rt = out_.roles[roster_.staff[st].role];
      rt.busiest_minutes = std::max(rt.busiest_minutes, staff_minutes_[st]);
    }
    for (const auto& t : trackings_) {
      auto& vt = out_.villages[size_t(village_of_[size_t(t.subject)])];
      vt.tracking_days += t.days_tracked;
      vt.tracking_complete_days += t.days_complete;
      if (t.days_tracked > 0 && t.days_complete == t.days_tracked) vt.key_fully_tracked++;
    }
    for (uint32_t v = 0; v < nv_; ++v) {
      if (m_.horizon_days > 0) out_.villages[v].backlog_end = out_.days[v][size_t(m_.horizon_days - 1)].backlog;
      out_.villages[v].funds_left = funds_[v];
    }
    if (!trace_on_) return;
    const int64_t horizon = int64_t(m_.horizon_days) * kDay;
    for (uint32_t i = 0; i < nr_; ++i) {
      const int32_t ti = tracking_of_[i];
      const Tracking* t = ti >= 0 ? &trackings_[size_t(ti)] : nullptr;
      const uint32_t person = pop_.returnees[first_returnee_ + i];
      out_.persons.push_back({person, int32_t(first_village_) + village_of_[i], origin_[i], cls_[i],
                              arrival_[i] < horizon ? arrival_[i] : -1, screened_[i], t ? t->start_day : -1,
                              t ? t->days_tracked : 0, t ? t->days_complete : 0,
                              epi_ && epi_->ever_infected(person) ? epi_->infection_day(person) : -1});
    }
  }

  struct Ctx {
    int32_t subject = -1;
    int32_t village = 0;
    int64_t now = 0;
    Event event = Event::ReturneeArrived;
    int filter = -1;
    size_t trace_index = 0;  // the trace row of the rule now firing
  };

  const Model& m_;
  const rules::Program& prog_;
  const population::Population& pop_;
  const int rep_;
  const bool trace_on_;
  PhaseTimes* const ph_;  // --profile: time by phase (this thread's), or null
  bool local_case_rules_ = false;  // some rule listens to local_case_found
  bool observes_households_ = false;  // some rule observes a household
  int64_t local_case_person_ = -1;  // while local_case_found is dispatched: the case (person index)
  struct ResidentObs {
    uint32_t person;
    int32_t village;
    int kind;
    int last_day;
  };
  std::vector<ResidentObs> resident_obs_;  // residents (not returnees) under observation
  std::unordered_map<uint32_t, uint32_t> resident_obs_index_;  // person -> index in resident_obs_
  const TownRoster& roster_;
  staffing::Scheduler sched_;
  uint32_t first_village_ = 0, nv_ = 0, first_returnee_ = 0, nr_ = 0;

  // Per returnee of the town (struct of arrays).
  std::vector<uint8_t> origin_, cls_, person_raised_;
  std::vector<int64_t> arrival_, screened_;
  std::vector<int32_t> tracking_of_, village_of_;
  std::vector<double> person_attr_;  // [returnee][attribute]
  std::vector<uint8_t> monitoring_;  // 0 none, else kind + 1
  std::vector<uint8_t> in_monitored_;  // listed in monitored_
  std::vector<int32_t> monitoring_end_;  // last day of the current monitoring
  std::vector<int32_t> monitored_;   // returnees under monitoring (may hold ended ones until the day ends)
  std::vector<uint32_t> order_;
  uint32_t next_arrival_ = 0;

  // Per village of the town.
  std::vector<double> village_attr_;    // [village][attribute]
  std::vector<uint8_t> village_raised_; // [village][event]
  std::vector<int32_t> village_registered_, village_key_, village_open_, village_monitored_;
  // Open tasks released on a later day than the one being run (per village, per role), and how
  // many are released on each day of the horizon (day * villages + v, day * roles + r).
  std::vector<int32_t> future_open_, future_role_, release_count_, release_role_count_;
  int cur_day_ = 0;
  std::vector<uint8_t> post_open_;  // [village][post]
  uint32_t first_household_ = 0;
  std::vector<int32_t> last_contact_;  // per household of the town: last day contacted, -1 never
  bool contacts_households_ = false;
  struct TimerEvent {
    int32_t event, subject, village;  // event -1: seeking care; -2: a delivery (subject = supply);
                                      // -3: a resident isolated when seeking care (subject = person)
    int64_t amount;
  };
  std::vector<TimerEvent> timer_events_;  // delayed raises (event < 0: seeking care), by timer id
  std::optional<epidemic::Epidemic> epi_;
  std::vector<int64_t> stock_;       // [village][supply]
  std::vector<double> funds_;        // per village, yuan
  std::vector<bool> used_supply_;    // by supply: some task or monitoring uses it
  bool monitoring_uses_any_ = false; // some monitoring kind uses supplies per day
  std::vector<int32_t> village_monitored_kind_;  // [village][monitoring kind]: people under it now
  int32_t& monitored_of_kind(int32_t v, int kind) {
    return village_monitored_kind_[size_t(v) * prog_.monitoring().size() + size_t(kind)];
  }
  int64_t stock_before_ = 0, stock_after_ = 0;  // the stock change being dispatched
  uint32_t first_person_ = 0;
  std::vector<int32_t> returnee_of_;     // per person of the town: returnee index, -1
  std::vector<int32_t> staff_of_person_; // per person of the town: staff index, -1
  std::vector<uint8_t> pending_check_;   // per returnee: symptoms to be found at the next visit
  std::vector<int64_t> detected_at_, onset_at_;  // per returnee: minutes, -1 none

  std::vector<TaskRec> tasks_;
  std::vector<Tracking> trackings_;
  std::vector<int32_t> members_;  // team slots of all trackings: staff index or -1
  std::vector<uint8_t> duty_done_; // per team slot: today's duty done
  std::vector<int64_t> staff_minutes_;  // per staff member: minutes worked over the run
  std::vector<int32_t> active_, ended_today_;
  std::vector<int32_t> team_count_;
  std::priority_queue<Repeat, std::vector<Repeat>, std::greater<Repeat>> repeats_;
  uint64_t repeat_seq_ = 0;

  Ctx ctx_;
  int depth_ = 0;
  std::vector<double> slot_stack_;  // one slot array per dispatch depth
  TownOutput out_;
};

}  // namespace

const char* PhaseTimes::name(int phase) {
  static const char* const names[] = {"setup", "rules", "scheduling", "infection", "metrics"};
  return phase >= 0 && phase < Count ? names[phase] : "?";
}

TownOutput simulate_town(const Model& model, int replicate, int town, bool trace, PhaseTimes* phases) {
  std::optional<PhaseLap> lap;
  if (phases) lap.emplace(phases, PhaseTimes::Setup);
  TownSim sim(model, replicate, town, trace, phases);
  lap.reset();
  return sim.run();
}

}  // namespace vg::sim
