// Test support for multi-process tests of nodes on either store: reading a
// node's generated admin password, pointing a node directory at another store,
// signing in over HTTP, and running external tools (pg_dump, sqlite3).
//
// Thread-safety: test-only; the functions share no state.
#ifndef JISR_TESTS_SUPPORT_NODE_HELPERS_H_
#define JISR_TESTS_SUPPORT_NODE_HELPERS_H_

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "api/test_client.h"

namespace jisr::testing {

// The admin password `jisr init` wrote to DIR/admin-password.
inline std::string AdminPassword(const std::filesystem::path& dir) {
  std::string p;
  std::ifstream(dir / "admin-password") >> p;
  return p;
}

// Rewrites DIR/jisr.json so that the node uses the store `url`.
inline void SetNodeDatabase(const std::filesystem::path& dir,
                            const std::string& url) {
  std::ifstream in(dir / "jisr.json");
  std::stringstream text;
  text << in.rdbuf();
  boost::json::object config = boost::json::parse(text.str()).as_object();
  config["database"] = url;
  std::ofstream(dir / "jisr.json", std::ios::trunc)
      << boost::json::serialize(config);
}

// Signs in through the node on `port`; returns the bearer token ("" on
// failure).
inline std::string Login(uint16_t port, const std::string& username,
                         const std::string& password) {
  http::TestHttpClient client("127.0.0.1", port);
  auto r = client.Request(
      "POST", "/api/v1/session",
      R"({"username":")" + username + R"(","password":")" + password + "\"}",
      {{"Content-Type", "application/json"}});
  if (!r.ok() || r->status != 201) return "";
  return std::string(boost::json::parse(r->body).at("token").as_string());
}

// `s` quoted for /bin/sh.
inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

// Runs `argv` through /bin/sh with stdout and stderr appended to `log`;
// returns the exit status (-1 when it could not run).
inline int RunTool(const std::vector<std::string>& argv,
                   const std::filesystem::path& log) {
  std::string command;
  for (const std::string& a : argv) command += ShellQuote(a) + " ";
  command += ">>" + ShellQuote(log.string()) + " 2>&1";
  const int status = std::system(command.c_str());
  return status == -1 ? -1 : WEXITSTATUS(status);
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace jisr::testing

#endif  // JISR_TESTS_SUPPORT_NODE_HELPERS_H_
