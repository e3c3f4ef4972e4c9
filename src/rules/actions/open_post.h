// open_post: a post (checkpoint, vanguard post) staffed in shifts every day.
#pragma once

#include <optional>

#include "core/diagnostics.h"
#include "spec/policy.h"

namespace vg::rules {

// The post a name names, as the posts step compiled it; an error when no rule opens one so named.
template <class Site>
int named_post(const ActionSpec& a, Site& s) {
  auto it = s.c.post_ids.find(a.name.name);
  if (it != s.c.post_ids.end()) return it->second;
  if (!a.name.name.empty() && !s.c.posts_unread)  // else perhaps the post whose name could not be read
    s.c.d.error(a.name.loc,
                "no rule opens a post named '" + a.name.name + "'" + did_you_mean(a.name.name, s.c.post_names));
  return -1;
}

struct OpenPost {
  int post;

  static constexpr ActionSyntax syntax{"open_post",
                                       "{name, roles, staff_per_shift?, shifts, priority?, registers_share?, uses?}",
                                       "post", ActionSyntax::For::Both, "opens a post staffed in shifts every day"};
  // A post's map, read by the loader's post reader; the posts step compiles it.
  template <class In>
  static void read(In& in, ActionSpec& a) {
    a.post = in.post();
    a.name = a.post.name;
  }
  template <class Site>
  static std::optional<OpenPost> compile(const ActionSpec& a, Site& s) {
    const int i = named_post(a, s);
    if (i < 0) return std::nullopt;
    return OpenPost{i};
  }
  template <class W>
  void apply(W& w) const {
    if (!w.post_open(post)) w.open_post(post);  // open already: no new shifts
  }
  template <class Story>
  void explain(Story& s) const {
    s.say("opened post " + s.program().posts()[size_t(post)].name);
  }
};

}  // namespace vg::rules
