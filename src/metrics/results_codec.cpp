#include "metrics/results_codec.h"

namespace vg::metrics {

namespace {

// DayRow's counts, in declaration order; its two vectors follow them in the bytes.
constexpr int32_t DayRow::*kDayCounts[] = {&DayRow::arrived,
                                           &DayRow::arrivals,
                                           &DayRow::found_self_report,
                                           &DayRow::found_household_visit,
                                           &DayRow::found_checkpoint,
                                           &DayRow::found_care_seeking,
                                           &DayRow::found_neighbour_report,
                                           &DayRow::screened,
                                           &DayRow::screened_within_24h,
                                           &DayRow::key_identified,
                                           &DayRow::tracking_active,
                                           &DayRow::tracking_complete,
                                           &DayRow::tasks_created,
                                           &DayRow::tasks_done,
                                           &DayRow::tasks_late,
                                           &DayRow::backlog,
                                           &DayRow::monitored,
                                           &DayRow::post_minutes_required,
                                           &DayRow::post_minutes_staffed,
                                           &DayRow::households_contacted_7d,
                                           &DayRow::infections_local,
                                           &DayRow::infections_imported,
                                           &DayRow::onsets,
                                           &DayRow::infectious,
                                           &DayRow::detected,
                                           &DayRow::stockout};
// A field added to DayRow must be added above (and to the codec test): this fails until it is.
static_assert(sizeof(DayRow) == sizeof(kDayCounts) / sizeof(kDayCounts[0]) * sizeof(int32_t) +
                                    sizeof(std::vector<int32_t>) + sizeof(std::vector<int64_t>),
              "DayRow changed: update kDayCounts");

}  // namespace

void Encoder::day_rows(const std::vector<std::vector<DayRow>>& days) {
  value(uint64_t(days.size()));
  for (const auto& village : days) {
    value(uint64_t(village.size()));
    for (const DayRow& d : village) {
      for (auto field : kDayCounts) value(d.*field);
      values(d.minutes_worked);
      values(d.stock);
    }
  }
}

void Encoder::replicate(const ReplicateResult& r) {
  day_rows(r.days);
  values(r.villages);
  values(r.roles);
  value(uint64_t(r.town_roles.size()));
  for (const auto& t : r.town_roles) values(t);
  values(r.guidelines);
  values(r.tasks);
  value(uint64_t(r.town_role_days.size()));
  for (const auto& town : r.town_role_days) {
    value(uint64_t(town.size()));
    for (const auto& day : town) values(day);
  }
}

size_t Decoder::count(size_t size) {
  const auto n = value<uint64_t>();
  if (size > 0 && n > (in_.size() - at_) / size) throw std::runtime_error("results codec: a count runs past the end");
  return size_t(n);
}

const char* Decoder::take(size_t n) {
  if (n > in_.size() - at_) throw std::runtime_error("results codec: the bytes end early");
  const char* p = in_.data() + at_;
  at_ += n;
  return p;
}

void Decoder::finish() const {
  if (!done()) throw std::runtime_error("results codec: bytes left over after the last record");
}

std::vector<std::vector<DayRow>> Decoder::day_rows() {
  // Each village and day takes at least a count (8 bytes), which bounds the counts read.
  std::vector<std::vector<DayRow>> days(count(sizeof(uint64_t)));
  for (auto& village : days) {
    village.resize(count(sizeof(int32_t)));
    for (DayRow& d : village) {
      for (auto field : kDayCounts) d.*field = value<int32_t>();
      d.minutes_worked = values<int32_t>();
      d.stock = values<int64_t>();
    }
  }
  return days;
}

ReplicateResult Decoder::replicate() {
  ReplicateResult r;
  r.days = day_rows();
  r.villages = values<VillageTotals>();
  r.roles = values<RoleTotals>();
  r.town_roles.resize(count(sizeof(uint64_t)));
  for (auto& t : r.town_roles) t = values<RoleTotals>();
  r.guidelines = values<GuidelineTotals>();
  r.tasks = values<TaskTotals>();
  r.town_role_days.resize(count(sizeof(uint64_t)));
  for (auto& town : r.town_role_days) {
    town.resize(count(sizeof(uint64_t)));
    for (auto& day : town) day = values<RoleDay>();
  }
  return r;
}

std::string encode_replicate(const ReplicateResult& r) {
  Encoder e;
  e.replicate(r);
  return e.take();
}

ReplicateResult decode_replicate(const std::string& bytes) {
  Decoder d(bytes);
  ReplicateResult r = d.replicate();
  d.finish();
  return r;
}

}  // namespace vg::metrics
