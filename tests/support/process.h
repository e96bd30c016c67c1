// Test support for multi-process tests: run the `jisr` binary as a command or
// as a serving node in a child process, on loopback only.
//
// Thread-safety: test-only; each object is used by one thread.
#ifndef JISR_TESTS_SUPPORT_PROCESS_H_
#define JISR_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace jisr::testing {

// The jisr binary under test: $JISR_BINARY_DIR/bin/jisr, by default in the
// build tree this test was built in.
std::filesystem::path JisrBinary();

struct CommandResult {
  int exit_code = -1;  // the exit status, or 128 + signal
  std::string out;     // standard output
  std::string err;     // standard error
};

// Runs `jisr args...` to completion (killed after `timeout_s` seconds) and
// returns its exit code and output.
CommandResult RunJisr(const std::vector<std::string>& args, int timeout_s = 120);

// A fresh temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// `jisr serve --data DIR --listen 127.0.0.1:0` in a child process (and
// `--federation-listen 127.0.0.1:0` when jisr.json keeps the default
// federation port and extra_args name none). The child's access log goes to
// DIR/access.log; Start waits for its "listening on" line.
class ServeProcess {
 public:
  ServeProcess() = default;
  ~ServeProcess();  // SIGKILLs a child still running
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Starts the node; returns false (with the reason in `error`) when it exits
  // or prints no listening line within `timeout_s` seconds.
  bool Start(const std::filesystem::path& data_dir, std::string* error,
             const std::vector<std::string>& extra_args = {}, int timeout_s = 60);
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends `signal` to the child.
  void Signal(int signal);
  // Waits up to `timeout_s` seconds for the child to exit; returns its exit
  // code (128 + signal when killed) or -1 on time-out.
  int Wait(int timeout_s = 60);
  // Everything the child printed so far on stdout and stderr.
  std::string Output() const;

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::filesystem::path log_;
};

}  // namespace jisr::testing

#endif  // JISR_TESTS_SUPPORT_PROCESS_H_
