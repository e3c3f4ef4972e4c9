// Test helper: runs the villagegrid binary (VILLAGEGRID_CLI, defined for the CLI tests) with
// `args` under `timeout 120`, so a hang fails instead of blocking CI, and returns its exit status
// and its stdout and stderr together. `env` is prepended ("NAME=value ..."). run_shell runs any
// command line.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace vg::testing {

struct CliResult {
  int status = -1;  // exit status; 128 + N when killed by signal N (137: SIGKILL), 124: timed out
  std::string output;
};

// Runs a shell command line (stderr into stdout) and returns its exit status and output.
inline CliResult run_shell(const std::string& cmd) {
  CliResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
  return r;
}

inline CliResult run_cli(const std::string& args, const std::string& env = "") {
  return run_shell(env + " timeout 120 " + std::string(VILLAGEGRID_CLI) + " " + args + " 2>&1");
}

}  // namespace vg::testing
