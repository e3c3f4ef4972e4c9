// close_post: a post closes from the next day.
#pragma once

#include <optional>

#include "rules/actions/open_post.h"
#include "spec/policy.h"

namespace vg::rules {

struct ClosePost {
  int post;

  static constexpr ActionSyntax syntax{"close_post", "POST", "post", ActionSyntax::For::Both,
                                       "closes a post from the next day"};
  template <class Site>
  static std::optional<ClosePost> compile(const ActionSpec& a, Site& s) {
    const int i = named_post(a, s);
    if (i < 0) return std::nullopt;
    return ClosePost{i};
  }
  template <class W>
  void apply(W& w) const {
    if (w.post_open(post)) w.close_post(post);
  }
  template <class Story>
  void explain(Story& s) const {
    s.say("closed post " + s.program().posts()[size_t(post)].name + " (from tomorrow)");
  }
};

}  // namespace vg::rules
