// Plain records of what policy files say: the vocabulary (origins, classes, roles, attributes,
// events), rules and tracking templates, each with its source location. Built by the loader
// (rules/policy_loader.h), checked and compiled into an immutable rules::Program; nothing here runs.
#pragma once

#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.h"

namespace vg::rules {

struct NameSpec {
  std::string name;
  SourceLoc loc;
};

// What a rule is about: a person (a returnee) or a village.
enum class Subject : uint8_t { Person, Village };

struct AttributeSpec {
  NameSpec name;
  Subject about = Subject::Person;
  bool is_bool = true;  // bool or number; starts false / 0
};

struct EventDeclSpec {
  NameSpec name;
  Subject about = Subject::Village;
};

struct VocabularySpec {
  std::vector<NameSpec> origins;
  std::vector<NameSpec> classes;
  std::vector<NameSpec> key_classes;  // classes reported as "key persons"
  std::vector<NameSpec> roles;
  std::vector<AttributeSpec> attributes;
  std::vector<EventDeclSpec> events;  // events rules may raise
  std::vector<NameSpec> monitoring;   // kinds of monitoring: home_observation, key_monitoring, isolation
  std::vector<NameSpec> supplies;     // kinds of supplies: masks, thermometer_guns, disinfectant, gloves
};

// Events the simulation raises. A new one is added here, to kEventCount and to kTriggerSyntax
// below (how rules write it; the loader and event_name read that table).
enum class Event : uint8_t {
  ReturneeArrived,   // person: a returnee is registered
  TaskDone,          // person or village: a task of a given name was completed
  DayStarted,        // village: 00:00 of every day
  OnDay,             // village: 00:00 of one given day
  ClassChanged,      // person: entered a given class (or any class)
  TrackingEnded,     // person: a tracking period ended (or was ended)
  Custom,            // person or village: an event raised by a rule
  MonitoringEnded,   // person: a monitoring period ended (or was ended)
  FeverFound,        // person: symptoms found at a check (a visit or duty about the person)
  SymptomsReported,  // person: an unchecked person with symptoms sought care and was reported
  StockBelow,        // village: a supply's stock fell below a level
  StaffUnavailable,  // village: a staff member (of a role) fell ill and is off duty
  LocalCaseFound,    // village: a resident who is not a returnee sought care with symptoms and was isolated
  StaffReturned,     // village: a staff member (of a role) absent by the scenario's schedule is back on duty
};
inline constexpr int kEventCount = 14;

// How each trigger is written in a rule's `on`: its name, whether it takes a value (`on: NAME`,
// `on: {NAME: VALUE}`, or either), what the value names and whom the trigger is about. The one
// table the policy loader, the compiler's steps (subjects, filters, index), the rule-test reader,
// trace.csv's event labels, the lints and the docs check (docs/rules.md) read: a new trigger whose
// value names one of these kinds of thing is a row here and the code in sim/ that raises it.
struct TriggerSyntax {
  enum class Value : uint8_t { None, Optional, Required };
  enum class About : uint8_t { Person, Village, Named };  // Named: what the task or event named is about
  // What the value names (the filter rules listen to): nothing, or one of the program's lists.
  enum class Names : uint8_t { Nothing, Task, Class, Template, Event, Monitoring, Supply, Role, Day };
  std::string_view name;
  Event event;
  Value value;
  std::string_view hint;  // what the value is, for messages
  About about;
  Names names;
  bool labelled;  // trace.csv names the value too ("task_done:screening")
};
inline constexpr TriggerSyntax kTriggerSyntax[] = {
    {"returnee_arrived", Event::ReturneeArrived, TriggerSyntax::Value::None, "", TriggerSyntax::About::Person,
     TriggerSyntax::Names::Nothing, false},
    {"day_started", Event::DayStarted, TriggerSyntax::Value::None, "", TriggerSyntax::About::Village,
     TriggerSyntax::Names::Nothing, false},
    {"task_done", Event::TaskDone, TriggerSyntax::Value::Required, "TASK", TriggerSyntax::About::Named,
     TriggerSyntax::Names::Task, true},
    {"class_changed", Event::ClassChanged, TriggerSyntax::Value::Optional, "CLASS", TriggerSyntax::About::Person,
     TriggerSyntax::Names::Class, true},
    {"tracking_ended", Event::TrackingEnded, TriggerSyntax::Value::Optional, "TEMPLATE", TriggerSyntax::About::Person,
     TriggerSyntax::Names::Template, true},
    {"monitoring_ended", Event::MonitoringEnded, TriggerSyntax::Value::Optional, "KIND", TriggerSyntax::About::Person,
     TriggerSyntax::Names::Monitoring, true},
    {"day", Event::OnDay, TriggerSyntax::Value::Required, "N", TriggerSyntax::About::Village, TriggerSyntax::Names::Day,
     true},
    {"event", Event::Custom, TriggerSyntax::Value::Required, "EVENT", TriggerSyntax::About::Named,
     TriggerSyntax::Names::Event, true},
    {"fever_found", Event::FeverFound, TriggerSyntax::Value::None, "", TriggerSyntax::About::Person,
     TriggerSyntax::Names::Nothing, false},
    {"symptoms_reported", Event::SymptomsReported, TriggerSyntax::Value::None, "", TriggerSyntax::About::Person,
     TriggerSyntax::Names::Nothing, false},
    {"stock_below", Event::StockBelow, TriggerSyntax::Value::Required, "{supply: S, level: N}",
     TriggerSyntax::About::Village, TriggerSyntax::Names::Supply, false},
    {"staff_unavailable", Event::StaffUnavailable, TriggerSyntax::Value::Optional, "ROLE",
     TriggerSyntax::About::Village, TriggerSyntax::Names::Role, false},
    {"local_case_found", Event::LocalCaseFound, TriggerSyntax::Value::None, "", TriggerSyntax::About::Village,
     TriggerSyntax::Names::Nothing, false},
    {"staff_returned", Event::StaffReturned, TriggerSyntax::Value::Optional, "ROLE", TriggerSyntax::About::Village,
     TriggerSyntax::Names::Role, false},
};
constexpr bool every_event_once() {
  for (int e = 0; e < kEventCount; ++e) {
    int rows = 0;
    for (const auto& t : kTriggerSyntax) rows += int(t.event) == e;
    if (rows != 1) return false;
  }
  return std::size(kTriggerSyntax) == size_t(kEventCount);
}
static_assert(every_event_once(), "one syntax entry per event");

// The row of an event (every event has exactly one: the static_assert above).
constexpr const TriggerSyntax& trigger(Event e) {
  for (const auto& t : kTriggerSyntax)
    if (t.event == e) return t;
  return kTriggerSyntax[0];
}

// The name rules write for an event (`on: NAME`); "?" for a value outside the enum.
inline const char* event_name(Event e) {
  return int(e) < kEventCount ? trigger(e).name.data() : "?";  // the names are literals: NUL-terminated
}

struct TriggerSpec {
  Event event = Event::ReturneeArrived;
  NameSpec name;  // TaskDone: task; ClassChanged: class ("" = any); TrackingEnded: template ("" = any); Custom: event
  int day = 0;    // OnDay; StockBelow: the level
  SourceLoc loc;
};

// What a task (or a post shift) does when the village's stock of a supply it uses is short at the
// moment it is done (docs/rules.md): done anyway (the default), not done, or done less well.
enum class IfShort : uint8_t { Proceed, Skip, Degrade };

// Supplies used, and what happens when they are short.
struct UsesSpec {
  std::vector<std::pair<NameSpec, int>> uses;  // supply, amount
  IfShort if_short = IfShort::Proceed;
  SourceLoc if_short_loc;
  std::optional<double> degraded_detection;  // degrade: the chance a check finds a fever (default in program.h)
  SourceLoc degraded_detection_loc;
};

struct RepeatSpec {
  int every_days = 0;  // 0 = no repeat
  int times = 1;       // how many tasks in all, the first included
};

struct CreateTaskSpec {
  NameSpec name;
  std::vector<NameSpec> roles;  // any one of these roles may do it; with `team`, one of EACH at once
  bool team = false;            // written `team: [ROLES]` instead of `roles:`
  int minutes = 0;
  int within_minutes = 0;       // deadline after the moment the task is created
  std::optional<int> priority;  // defaults to the rule's
  bool drop_when_late = false;  // if_late: drop | keep
  bool counts_as_screening = false;
  bool for_each_household = false;     // village rules: one task per household of the village
  int copies = 1;                      // identical tasks created at once (e.g. seats at a meeting)
  bool assign_contact_member = false;  // for_each household: to the household's contact member (grid)
  bool counts_as_household_contact = false;
  UsesSpec uses;  // supplies used when the task is done
  RepeatSpec repeat;
};

// A post (checkpoint, vanguard post) with shifts, staffed every day while open.
struct PostSpec {
  NameSpec name;
  std::vector<NameSpec> roles;  // who may take a shift
  int staff_per_shift = 1;
  struct Shift {
    int from = 0, to = 0;  // minutes after midnight, from < to
  };
  std::vector<Shift> shifts;
  int priority = 0;  // defaults to the rule's
  UsesSpec uses;     // per place and shift staffed
  // Share of the village's arriving returnees passing the post during a staffed minute whom it
  // registers at arrival (finding: channel checkpoint); 0: it registers nobody.
  double registers_share = 0;
  SourceLoc loc;
};

// An action as written, before names are resolved: the fields its kind reads (rules/actions/*.h).
struct ActionSpec {
  uint8_t kind = 0;  // which action: its index in rules::Action (rules/actions/actions.h)
  SourceLoc loc;
  CreateTaskSpec task;  // create_task
  NameSpec name;        // set_class: class; start/end_tracking: template; set_attribute: attribute; raise,
                        // escalate: event; start/end_monitoring, observe_household: kind ("any" ends whatever
                        // monitoring); open/close_post: post; request: supply
  double value = 0;     // set_attribute (bools as 0/1); raise: delay in minutes; start_monitoring,
                        // observe_household: days; escalate: grid levels to climb (0 = to the top); request: amount
  PostSpec post;        // open_post
  NameSpec channel;     // request: the channel
  std::vector<std::pair<NameSpec, int>> uses_per_day;  // start_monitoring: used per person and day monitored
  SourceLoc value_loc;
  bool value_is_bool = false;
  // set_attribute: a value that is neither a number nor true/false, as a message names it: "'yes'"
  // (an unquoted word), a quoted string, "a list", "a mapping" or "nothing"; empty otherwise.
  std::string value_word;
  bool read = true;  // false: reading its value failed (reported); the compiler leaves it out
};

// How an action is written in `do`: its name, how its value is written, which rules may use it and
// what it does. Each action's row is its header's `syntax` (rules/actions/); rules::kActionSyntax
// (rules/actions/actions.h) lists them, for the policy loader and the docs check (docs/rules.md).
struct ActionSyntax {
  enum class For : uint8_t { Person, Village, Both };  // rules about a person, a village, or either
  std::string_view name;
  std::string_view value;  // how the value is written
  std::string_view what;   // what a value that is a name names, for messages
  For subject;
  std::string_view doc;
};

struct RuleSpec {
  std::string id;
  SourceLoc loc;
  int guideline = 0;  // 0 = not tied to a numbered guideline
  std::string title;
  bool from_report = false;  // source: report (the seed facts name it) or assumption
  std::string note;
  int priority = 0;
  // Effective period, in days from the scenario's start date, and optionally only once an event
  // has been raised in the village ("from when the village goes on a wartime footing").
  std::optional<int> from_day, until_day;
  NameSpec after_event;
  TriggerSpec trigger;
  bool trigger_read = true;  // false: `on` was missing or unreadable (reported): what the rule is about is unknown
  std::string when;          // "" = always
  SourceLoc when_loc;
  TextOrigin when_origin;  // where each character of `when` was written (empty: verbatim from when_loc)
  std::vector<ActionSpec> actions;
  bool actions_read = true;  // false: the rule, its `do` or an action in it was dropped unread (reported)
};

struct TeamMemberSpec {
  NameSpec role;
  std::string duty;
  int minutes = 0;
  UsesSpec uses;  // supplies the day's duty uses (a temperature check's covers), and if_short
};

struct TrackingSpec {
  std::string id;
  SourceLoc loc;
  std::string title;
  bool from_report = false;
  std::string note;
  int days = 0;
  int priority = 0;
  std::vector<TeamMemberSpec> team;
};

struct PolicySpec {
  std::vector<std::string> files;
  VocabularySpec vocabulary;
  std::vector<RuleSpec> rules;
  std::vector<TrackingSpec> tracking;
  // What the loader could not read, its errors reported already. The compiler still checks what
  // was read, leaving out what depends on what is missing, but makes no program of it. Without
  // the whole vocabulary (a file unread, or an error outside its rules and tracking templates)
  // every name would be in doubt, so nothing is compiled.
  size_t read_errors = 0;
  bool vocabulary_read = true;
};

}  // namespace vg::rules
