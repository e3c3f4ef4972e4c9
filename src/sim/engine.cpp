#include "sim/engine.h"

#include <optional>

#include "sim/town/town.h"

namespace vg::sim {

namespace town {

namespace {

// The scheduler the last Town run on this thread left (simulate_town): the next Town of the same
// roster restarts it instead of building one and growing its containers again. Only memory carries
// over (Scheduler::restart); replicates stay independent of which thread ran which before.
thread_local std::optional<staffing::Scheduler> spare_scheduler;

staffing::Scheduler scheduler_for(const std::vector<staffing::StaffMember>& staff, int roles) {
  if (spare_scheduler && spare_scheduler->restart(staff, roles)) {
    staffing::Scheduler s = std::move(*spare_scheduler);
    spare_scheduler.reset();
    return s;
  }
  return staffing::Scheduler(staff, roles);
}

}  // namespace

Town::Town(const Model& m, int replicate, int town, bool trace, PhaseTimes* phases, bool staff_days)
    : m_(m),
      prog_(m.town_program(size_t(town))),
      channels_(m.town_channels(size_t(town))),
      pop_(*m.population),
      rep_(replicate),
      trace_on_(trace),
      ph_(phases),
      roster_(m.rosters[size_t(town)]),
      sched_(scheduler_for(roster_.staff, m.roles())),
      chain_(prog_) {
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
  out_.role_days.assign(size_t(m.horizon_days), std::vector<metrics::RoleDay>(size_t(m.roles())));
  if (staff_days) out_.staff_worked.assign(size_t(m.horizon_days), {});
  role_ledgers_.assign(1, {});
  ledger_of_kind_.assign(prog_.task_kinds().size(), 0);
  team_count_.assign(roster_.staff.size(), 0);
  staff_minutes_.assign(roster_.staff.size(), 0);
  out_.guidelines.assign(metrics::kGuidelineSlots, {});
  out_.tasks.assign(prog_.task_kinds().size(), {});
  village_attr_.assign(size_t(nv_) * prog_.attributes().size(), 0.0);
  village_raised_.assign(size_t(nv_) * prog_.events().size(), 0);
  village_registered_.assign(nv_, 0);
  village_key_.assign(nv_, 0);
  village_open_.assign(nv_, 0);
  village_overdue_.assign(nv_, 0);
  late_open_.clear();
  future_open_.assign(nv_, 0);
  future_role_.assign(size_t(m.roles()), 0);
  release_count_.assign(size_t(m.horizon_days) * nv_, 0);
  release_role_count_.assign(size_t(m.horizon_days) * size_t(m.roles()), 0);
  village_monitored_.assign(nv_, 0);
  post_open_.assign(size_t(nv_) * prog_.posts().size(), 0);
  first_household_ = pop_.village_households[tv.begin].begin;
  last_contact_.assign(pop_.village_households[tv.end - 1].end - first_household_, -1);
  contacts_on_day_.assign(size_t(nv_) * size_t(m_.horizon_days), 0);
  for (const auto& k : prog_.task_kinds()) contacts_households_ = contacts_households_ || k.counts_as_household_contact;
  local_case_rules_ = prog_.has_rules(Event::LocalCaseFound);
  for (const auto& rule : prog_.rules())
    for (const auto& act : rule.actions)
      observes_households_ = observes_households_ || std::holds_alternative<rules::ObserveHousehold>(act);
  for (uint32_t v = 0; v < nv_; ++v) {
    // Household metrics mean something only when the policy contacts households.
    if (!contacts_households_) continue;
    out_.villages[v].households = int32_t(pop_.village_households[tv.begin + v].size());
    // Without a grid no household has a contact member, and none is missing one either.
    if (prog_.grid()) out_.villages[v].households_without_contact_member = m.contacts.without_member[tv.begin + v];
  }
  const size_t ns = prog_.supplies().size();
  stock_.assign(size_t(nv_) * ns, 0);
  for (uint32_t v = 0; v < nv_; ++v)
    for (size_t k = 0; k < ns; ++k) stock_[v * ns + k] = m.initial_stock[k];
  funds_.assign(nv_, 0.0);
  if (!m.village_funds.empty())
    for (uint32_t v = 0; v < nv_; ++v) funds_[v] = m.village_funds[first_village_ + v];
  used_supply_.assign(ns, false);
  watched_level_.assign(ns, std::numeric_limits<int64_t>::min());
  for (size_t k = 0; k < ns; ++k)
    for (const int id : prog_.rules_for(Event::StockBelow, int(k)))
      watched_level_[k] = std::max<int64_t>(watched_level_[k], prog_.rules()[size_t(id)].level);
  for (const auto& k : prog_.task_kinds())
    for (const auto& [sup, amount] : k.uses) used_supply_[size_t(sup)] = true;
  const size_t nk = prog_.monitoring().size();
  for (size_t k = 0; k < nk; ++k)
    for (const auto& [sup, amount] : prog_.monitoring_uses(int(k))) {
      used_supply_[size_t(sup)] = true;
      monitoring_uses_any_ = true;
    }
  village_monitored_kind_.assign(size_t(nv_) * nk, 0);
  if (ns > 0) {
    for (auto& vt : out_.villages) vt.supplies = true;
    out_.funds.assign(nv_, std::vector<double>(size_t(m.horizon_days), 0.0));
  }
  out_.orders_filled.assign(m.orders.size(), -1);
  schedule_absences(town);
  if (m.disease) {
    epi_.emplace(*m.disease, pop_, uint32_t(town), m.seed, uint32_t(replicate));
    for (auto& vt : out_.villages) vt.epidemic = true;
  }
}

TownOutput Town::run() {
  {
    PhaseLap lap(ph_, PhaseTimes::Setup);
    draw_returnees();
    // Room for the tasks of a typical run (a screening and a few follow-ups a returnee), so the
    // record of every task is not copied each time it doubles; capacity only, it changes no result.
    tasks_.reserve(size_t(nr_) * 4 + 256);
    sched_.reserve_open_tasks(size_t(nr_) + 256);  // open at once: about the screenings of a day's arrivals
  }
  for (int d = 0; d < m_.horizon_days; ++d) run_day(d);
  PhaseLap lap(ph_, PhaseTimes::Metrics);
  finish();
  return std::move(out_);
}

// The day, as phases in order (town.h lists the files they are in). A new phase goes where its
// effects belong in this order: the day's start (tasks and rules at 00:00, then arrivals), the
// infection, the scheduler's day (work), then the day's end at 23:59 (outcomes and accounts).
void Town::run_day(int d) {
  {
    PhaseLap lap(ph_, PhaseTimes::Rules);  // the day's start: rules and tracking
    release_today(d);
    day_start_tasks(d);
    scheduled_events(d);
    day_start_rules(d);
    repeats_due(d);
    tracking_teams(d);
    arrivals(d);
    neighbour_reports(d);
  }
  if (epi_) {
    PhaseLap lap(ph_, PhaseTimes::Infection);
    step_epidemic(d);
  }
  const staffing::DayStats& stats = work(d);
  PhaseLap lap(ph_, PhaseTimes::Metrics);  // the day's end: tracking outcomes, monitoring, accounting
  tracking_day_end(d);
  households_contacted(d);
  supplies_day_end(d);
  monitoring_day_end(d);
  staff_accounts(d, stats);
}

}  // namespace town

const char* PhaseTimes::name(int phase) {
  static const char* const names[] = {"setup", "rules", "scheduling", "infection", "metrics"};
  return phase >= 0 && phase < Count ? names[phase] : "?";
}

TownOutput simulate_town(const Model& model, int replicate, int town, bool trace, PhaseTimes* phases, bool staff_days) {
  std::optional<town::PhaseLap> lap;
  if (phases) lap.emplace(phases, PhaseTimes::Setup);
  town::Town sim(model, replicate, town, trace, phases, staff_days);
  lap.reset();
  TownOutput out = sim.run();
  town::spare_scheduler = sim.take_scheduler();
  return out;
}

}  // namespace vg::sim
