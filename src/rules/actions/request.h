// request: supplies ordered through one of the scenario's channels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "spec/policy.h"

namespace vg::rules {

struct Request {
  int supply;
  int channel;  // index into Program::channels()
  int64_t amount;

  static constexpr ActionSyntax syntax{"request", "{supply: S, amount: N, channel: C}", "supply",
                                       ActionSyntax::For::Both, "orders supplies through a channel"};
  // `request: {supply: S, amount: N, channel: C}`.
  template <class In>
  static void read(In& in, ActionSpec& a) {
    auto r = in.map("request");
    if (!r.ok()) return;
    if (auto* e = r.require("supply"))
      if (auto s = in.name(*e, "supply")) a.name = *s;
    if (auto* e = r.require("amount"))
      if (auto x = in.integer(*e, "amount", 1, 100'000'000)) a.value = double(*x);
    if (auto* e = r.require("channel"))
      if (auto s = in.name(*e, "channel")) a.channel = *s;
    r.finish();
  }
  // The channel is the scenario's: checked in sim::build_model.
  template <class Site>
  static std::optional<Request> compile(const ActionSpec& a, Site& s) {
    const int sup = s.c.supplies.find(a.name, s.c.d);
    const int ch = s.c.channel(a.channel.name);
    if (sup < 0) return std::nullopt;
    return Request{sup, ch, int64_t(a.value)};
  }
  template <class W>
  void apply(W& w) const {
    w.request(supply, channel, amount);
  }
  template <class Story>
  void explain(Story& s) const {
    const auto& p = s.program();
    s.say("ordered " + std::to_string(amount) + " " + p.supplies()[size_t(supply)] + " through " +
          p.channels()[size_t(channel)]);
  }
};

}  // namespace vg::rules
