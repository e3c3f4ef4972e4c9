// Rules: raising events (nested through the RuleChain), the facts a condition sees, tracing, and
// the primitives of the world actions change (rules/apply.h: what each action means).
#include "sim/town/town.h"

#include <bit>

namespace vg::sim::town {

// The person's facts and attributes (a condition that reads no village fact needs only these).
void Town::fill_person(double* s) {
  if (ctx_.subject < 0) return;
  const uint32_t i = uint32_t(ctx_.subject);
  const uint32_t person = pop_.returnees[first_returnee_ + i];
  s[rules::kSlotOrigin] = origin_[i];
  s[rules::kSlotClass] = cls_[i];
  s[rules::kSlotArrivalDay] = double(day_of(arrival_[i]));
  s[rules::kSlotHouseholdSize] = pop_.household_size[pop_.person_household[person]];
  s[rules::kSlotIsReturnee] = 1.0;
  s[rules::kSlotTracked] = tracking_of_[i] >= 0 && !trackings_[size_t(tracking_of_[i])].ended ? 1.0 : 0.0;
  s[rules::kSlotMonitoring] = monitoring_[i];
  s[rules::kSlotFoundBy] = found_by_[i];
  const size_t na = prog_.attributes().size();
  for (size_t a = 0; a < na; ++a) {
    const int slot = prog_.attribute_slot(int(a));
    if (slot >= 0 && prog_.attributes()[a].about != Subject::Village) s[slot] = person_attr_[size_t(i) * na + a];
  }
}

// The person facts in `facts` alone (a condition reading `origin` needs nothing else).
void Town::fill_person_facts(double* s, uint32_t facts) {
  if (ctx_.subject < 0) return;
  const uint32_t i = uint32_t(ctx_.subject);
  if (facts == 1u << rules::kSlotOrigin) {  // the commonest condition, `origin == ...`, without the loop
    s[rules::kSlotOrigin] = origin_[i];
    return;
  }
  for (; facts != 0; facts &= facts - 1) {
    switch (std::countr_zero(facts)) {
      case rules::kSlotOrigin: s[rules::kSlotOrigin] = origin_[i]; break;
      case rules::kSlotClass: s[rules::kSlotClass] = cls_[i]; break;
      case rules::kSlotArrivalDay: s[rules::kSlotArrivalDay] = double(day_of(arrival_[i])); break;
      case rules::kSlotIsReturnee: s[rules::kSlotIsReturnee] = 1.0; break;
      case rules::kSlotMonitoring: s[rules::kSlotMonitoring] = monitoring_[i]; break;
      case rules::kSlotFoundBy: s[rules::kSlotFoundBy] = found_by_[i]; break;
      default: fill_person(s); return;  // household size, tracked, attributes: all of them
    }
  }
}

// The facts a condition reads, about the subject and village in ctx_, as they are now.
void Town::fill(double* s) {
  fill_person(s);
  const int v = ctx_.village;
  const size_t gv = first_village_ + size_t(v);
  s[prog_.village_slot(rules::kVillageToday)] = double(day_of(ctx_.now));
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
    if (slot >= 0 && prog_.attributes()[a].about == Subject::Village) s[slot] = village_attr_[size_t(v) * na + a];
  }
}

void Town::considered(int rule, bool fired, const double*) {
  if (!trace_on_) return;
  ctx_.trace_index = out_.trace.size();
  const int day = int(ctx_.now / kDay);
  out_.trace.push_back({day, int32_t(ctx_.now % kDay),
                        ctx_.subject >= 0 ? int32_t(pop_.returnees[first_returnee_ + uint32_t(ctx_.subject)]) : -1,
                        int32_t(first_village_) + ctx_.village, rule, uint8_t(ctx_.event), ctx_.filter, fired, 0});
}

void Town::apply(int, const rules::Action& a) { rules::apply(a, *this); }

// The villages' day_started and fixed-day rules, at 00:00.
void Town::day_start_rules(int d) {
  const int64_t day_start = d * kDay;
  const bool day_rules = prog_.has_rules(Event::DayStarted), fixed_rules = prog_.has_rules(Event::OnDay);
  for (uint32_t v = 0; v < nv_; ++v) {
    if (day_rules) raise(Event::DayStarted, -1, -1, int32_t(v), day_start);
    if (fixed_rules) raise(Event::OnDay, d, -1, int32_t(v), day_start);
  }
}

void Town::raise_now(Event e, int filter, bool about_village) {
  raise(e, filter, about_village ? -1 : ctx_.subject, ctx_.village, ctx_.now);
}

void Town::raise_later(int event, int64_t delay) {  // a scheduler timer brings it back at its minute
  timer_events_.push_back({TimerKind::Raise, event, ctx_.subject, ctx_.village, 0});
  sched_.add_timer(ctx_.now + delay, timer_events_.size() - 1);
}

void Town::mark_village_event(int event) {
  village_raised_[size_t(ctx_.village) * prog_.events().size() + size_t(event)] = 1;
}

void Town::create_task(int kind) {
  const auto& k = prog_.task_kinds()[size_t(kind)];
  const int before = int(tasks_.size());
  create_task(kind, ctx_.subject, ctx_.village, ctx_.now);
  if (k.repeat.every_days > 0 && k.repeat.times > 1)
    repeats_.push({ctx_.now + every_days(kind, ctx_.village, int(ctx_.now / kDay)) * kDay, kind, ctx_.subject,
                   ctx_.village, -1, k.repeat.times - 1, repeat_seq_++});
  if (trace_on_) out_.trace[ctx_.trace_index].created += int(tasks_.size()) - before;
}

void Town::key_persons_changed(int delta) {
  const int32_t v = ctx_.village;
  village_key_[size_t(v)] += delta;
  const int day = int(ctx_.now / kDay);
  if (delta > 0 && day < m_.horizon_days) {
    out_.days[size_t(v)][size_t(day)].key_identified++;
    out_.villages[size_t(v)].key_identified++;
  }
}

void Town::start_tracking(int tmpl_index) {
  const int32_t i = ctx_.subject;
  const int day = int(ctx_.now / kDay);
  const auto& tmpl = prog_.tracking()[size_t(tmpl_index)];
  // Tracking begins the morning after the person is identified and runs `days` days.
  const int days = m_.param_sets.empty() ? tmpl.days
                                         : m_.param(config::ParamSetSpec::What::TrackingDays, tmpl_index,
                                                    int32_t(first_village_) + ctx_.village, day, tmpl.days);
  Tracking t{i, tmpl_index, day + 1, day + days, uint32_t(members_.size())};
  // Key persons' trackings only count as key persons tracked (a policy may track others too).
  t.key = prog_.is_key_class(cls_[size_t(i)]);
  members_.resize(members_.size() + tmpl.members.size(), -1);
  duty_done_.resize(members_.size(), 0);
  tracking_of_[size_t(i)] = int32_t(trackings_.size());
  active_.push_back(int32_t(trackings_.size()));
  trackings_.push_back(t);
  if (t.key) out_.villages[size_t(ctx_.village)].key_tracked++;
}

bool Town::tracked_with(int tmpl) const {
  const int32_t ti = tracking_of_[size_t(ctx_.subject)];
  return ti >= 0 && trackings_[size_t(ti)].tmpl == tmpl && !trackings_[size_t(ti)].ended;
}

// The team is released, and tracking_ended raised, at the end of the day (23:59): the day's
// duties already made stay.
void Town::end_tracking(int) {
  Tracking& t = trackings_[size_t(tracking_of_[size_t(ctx_.subject)])];
  t.end_day = std::min(t.end_day, int32_t(ctx_.now / kDay));
}

void Town::start_monitoring(int kind, int days) {
  start_monitoring(ctx_.subject, ctx_.village, kind, int(ctx_.now / kDay), days);
}

void Town::end_monitoring(int kind) {
  const int32_t i = ctx_.subject, v = ctx_.village;
  monitoring_[size_t(i)] = 0;
  village_monitored_[size_t(v)]--;
  monitored_of_kind(v, kind)--;
  set_contact(uint32_t(i));
}

void Town::open_post(int post) {
  post_open_[size_t(ctx_.village) * prog_.posts().size() + size_t(post)] = 1;
  create_post_shifts(post, ctx_.village, ctx_.now);  // the rest of today's shifts
}

void Town::close_post(int post) {  // from tomorrow: today's shifts stay
  post_open_[size_t(ctx_.village) * prog_.posts().size() + size_t(post)] = 0;
}

void Town::set_attribute(int attr, double value) {
  const size_t na = prog_.attributes().size();
  if (prog_.attributes()[size_t(attr)].about == Subject::Village)
    village_attr_[size_t(ctx_.village) * na + size_t(attr)] = value;
  else
    person_attr_[size_t(ctx_.subject) * na + size_t(attr)] = value;
}

}  // namespace vg::sim::town
