// Plain records of what policy files say: the vocabulary (origins, classes, roles), rules and
// tracking templates, each with its source location. Built by the loader, checked and compiled
// into an immutable rules::Program; nothing here runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/yaml_doc.h"
#include "core/source.h"

namespace vg::rules {

struct NameSpec {
  std::string name;
  SourceLoc loc;
};

struct VocabularySpec {
  std::vector<NameSpec> origins;
  std::vector<NameSpec> classes;
  std::vector<NameSpec> key_classes;  // classes reported as "key persons"
  std::vector<NameSpec> roles;
};

// Events the simulation raises. New triggers are added here and in the loader's table.
enum class Event : uint8_t { ReturneeArrived, TaskDone };
inline constexpr int kEventCount = 2;

struct TriggerSpec {
  Event event = Event::ReturneeArrived;
  NameSpec task;  // TaskDone: which task's completion
  SourceLoc loc;
};

struct CreateTaskSpec {
  NameSpec name;
  std::vector<NameSpec> roles;  // any one of these roles may do it
  int minutes = 0;
  int within_minutes = 0;  // deadline after the moment the task is created
  std::optional<int> priority;  // defaults to the rule's
  bool drop_when_late = false;  // if_late: drop | keep
  bool counts_as_screening = false;
};

struct ActionSpec {
  enum class Kind : uint8_t { CreateTask, SetClass, StartTracking };
  Kind kind = Kind::CreateTask;
  SourceLoc loc;
  CreateTaskSpec task;  // CreateTask
  NameSpec name;        // SetClass: the class; StartTracking: the template id
};

struct RuleSpec {
  std::string id;
  SourceLoc loc;
  int guideline = 0;  // 0 = not tied to a numbered guideline
  std::string title;
  bool from_report = false;  // source: report (the seed facts name it) or assumption
  std::string note;
  int priority = 0;
  TriggerSpec trigger;
  std::string when;  // "" = always
  SourceLoc when_loc;
  std::vector<ActionSpec> actions;
};

struct TeamMemberSpec {
  NameSpec role;
  std::string duty;
  int minutes = 0;
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
};

// Reads one policy file and appends what it declares to `policy`. Problems go to `diags`.
void read_policy_file(const config::YamlNode& root, const std::string& path, PolicySpec& policy, Diagnostics& diags);
// Loads every file; returns the merged spec (check diags.has_errors()).
PolicySpec load_policy(const std::vector<std::string>& paths, Diagnostics& diags);

}  // namespace vg::rules
