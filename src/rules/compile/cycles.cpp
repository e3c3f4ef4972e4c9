// The cycles step: a rule whose actions raise at once, directly or through other rules, the event
// it listens to would loop for ever, so it is an error. Nodes are (event, filter); edges go from a
// rule's trigger to what its actions raise at once. A raise some hours later (`raise` with
// after_hours, `escalate` up a grid with report delays) is no edge: it is queued, not nested, so a
// cycle through it repeats at most until the run's horizon. Without cycles, chains are finite, but
// the engine nests dispatch only kMaxRuleChain deep, so a longer chain is refused here rather than
// cut short in a run.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <type_traits>

#include "rules/compile/compiler.h"

namespace vg::rules::compile {

namespace {

using Node = std::pair<int, int>;
using Edges = std::map<Node, std::vector<std::pair<Node, int>>>;  // node -> (node raised, rule raising it)

// Whether an action raises its event later rather than at once (without a grid, as in rule tests,
// an escalation arrives at once).
bool raises_later(const Action& a, const Program& p) {
  return std::visit(
      [&](const auto& x) {
        using A = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<A, Raise>) return x.delay_minutes > 0;
        if constexpr (std::is_same_v<A, Escalate>) return p.escalation_delay(x.levels) > 0;
        return false;
      },
      a);
}

Edges rule_graph(const Program& p) {
  Edges edges;
  for (size_t i = 0; i < p.rules().size(); ++i) {
    const auto& r = p.rules()[i];
    Node from{int(r.event), r.filter};
    for (const auto& a : r.actions)
      if (!raises_later(a, p))
        action_raises(a, p, [&](Event e, int filter) { edges[from].push_back({{int(e), filter}, int(i)}); });
  }
  return edges;
}

// What raising `n` raises next. A class_changed (or tracking_ended, monitoring_ended) rule for any
// value also hears every specific one.
std::vector<std::pair<Node, int>> raised_by(const Edges& edges, Node n) {
  std::vector<std::pair<Node, int>> targets;
  auto add = [&](Node from) {
    if (auto it = edges.find(from); it != edges.end())
      targets.insert(targets.end(), it->second.begin(), it->second.end());
  };
  add(n);
  if ((n.first == int(Event::ClassChanged) || n.first == int(Event::TrackingEnded) ||
       n.first == int(Event::MonitoringEnded)) &&
      n.second >= 0)
    add({n.first, -1});
  return targets;
}

}  // namespace

void Compiler::cycles() {
  const Edges edges = rule_graph(p);
  std::map<Node, int> state;  // 1: on the path being explored; 2: done
  std::vector<Node> nodes;    // the path being explored
  std::vector<int> path;      // path[k]: the rule that raised nodes[k + 1] from nodes[k]
  bool reported = false;
  std::set<std::vector<int>> told;  // each cycle once, by its rules (sorted), however it is entered
  std::function<void(Node)> visit = [&](Node n) {
    state[n] = 1;
    nodes.push_back(n);
    for (const auto& [to, rule] : raised_by(edges, n)) {
      if (state[to] == 1) {
        // Only the rules from where the path first reached `to`: those before it lead into the
        // cycle but are no part of it.
        const auto first = size_t(std::find(nodes.begin(), nodes.end(), to) - nodes.begin());
        std::string chain;
        for (size_t k = first; k < path.size(); ++k) chain += p.rules_[size_t(path[k])].id + " -> ";
        chain += p.rules_[size_t(rule)].id + " -> " + p.rules_[size_t(first < path.size() ? path[first] : rule)].id;
        std::vector<int> members(path.begin() + long(std::min(first, path.size())), path.end());
        members.push_back(rule);
        std::sort(members.begin(), members.end());
        members.erase(std::unique(members.begin(), members.end()), members.end());
        reported = true;
        if (told.insert(members).second)  // every cycle, not only the first found
          d.error(p.rules_[size_t(rule)].loc,
                  "rules raise their own trigger at once in a cycle: " + chain + "; a run would never end");
        continue;
      }
      if (state[to] == 0) {
        path.push_back(rule);
        visit(to);
        path.pop_back();
      }
    }
    nodes.pop_back();
    state[n] = 2;
  };
  for (const auto& [n, e] : edges)
    if (state[n] == 0) visit(n);
  if (reported) return;
  std::map<Node, int> depth;
  std::function<int(Node)> longest = [&](Node n) -> int {
    if (auto it = depth.find(n); it != depth.end()) return it->second;
    int best = 1;
    for (const auto& [to, rule] : raised_by(edges, n)) best = std::max(best, 1 + longest(to));
    return depth[n] = best;
  };
  for (const auto& [n, e] : edges)
    if (int len = longest(n); len > kMaxRuleChain) {
      d.error(p.rules_[size_t(e.front().second)].loc, "rules raise events in a chain " + std::to_string(len) +
                                                          " deep; at most " + std::to_string(kMaxRuleChain) +
                                                          " nested events are followed");
      break;
    }
}

}  // namespace vg::rules::compile
