// A `villagegrid serve` server on a free loopback port, listening on its own thread, for the
// report tests (server_test.cpp, control_room_test.cpp): start it, GET a path as written, stop it.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "report/server.h"

namespace vg::testing {

class LoopbackServer {
 public:
  LoopbackServer() = default;
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;
  ~LoopbackServer() { stop(); }

  // Binds 127.0.0.1 on any free port and listens; port() is 0 if binding failed.
  void start(std::unique_ptr<vg::report::Server> server) {
    server_ = std::move(server);
    port_ = server_->bind("127.0.0.1", 0);
    if (port_ > 0) thread_ = std::thread([this] { server_->listen(); });
  }
  void stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  vg::report::Server& server() { return *server_; }

  // The status of GET `path`, sent as written (no encoding by the client); -1 without an answer.
  int get(const std::string& path, std::string* body = nullptr) const {
    httplib::Client client("127.0.0.1", port_);
    client.set_url_encode(false);
    const auto res = client.Get(path.c_str());
    if (!res) return -1;
    if (body) *body = res->body;
    return res->status;
  }

 private:
  std::unique_ptr<vg::report::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace vg::testing
