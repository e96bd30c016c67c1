#include "tests/support/process.h"

#include <algorithm>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace jisr::testing {
namespace {

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

[[noreturn]] void ExecJisr(const std::vector<std::string>& args) {
  std::vector<std::string> full;
  full.push_back(JisrBinary().string());
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : full) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  _exit(127);
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::filesystem::path JisrBinary() {
  const char* dir = std::getenv("JISR_BINARY_DIR");
  return std::filesystem::path(dir != nullptr ? dir : JISR_TEST_BINARY_DIR) / "bin" / "jisr";
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("jisr-mp-" + std::to_string(rd()) + "-" + std::to_string(getpid()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult RunJisr(const std::vector<std::string>& args, int timeout_s) {
  TempDir tmp;
  const auto out_path = tmp.path() / "out";
  const auto err_path = tmp.path() / "err";
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    ExecJisr(args);
  }
  CommandResult result;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.exit_code = DecodeStatus(status);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

bool ServeProcess::Start(const std::filesystem::path& data_dir, std::string* error,
                         const std::vector<std::string>& extra_args, int timeout_s) {
  log_ = data_dir / ("serve-" + std::to_string(std::random_device()()) + ".out");
  std::vector<std::string> args = {"serve",       "--data",
                                   data_dir.string(), "--listen",
                                   "127.0.0.1:0", "--access-log",
                                   (data_dir / "access.log").string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  // Nodes left on the default federation port would collide when tests run
  // side by side: give them a free one (tests that pair nodes set theirs).
  const bool federation_given =
      std::find(extra_args.begin(), extra_args.end(), "--federation-listen") != extra_args.end();
  if (!federation_given &&
      ReadFile(data_dir / "jisr.json").find("\"federation_listen\":\"127.0.0.1:8443\"") !=
          std::string::npos) {
    args.insert(args.end(), {"--federation-listen", "127.0.0.1:0"});
  }
  pid_ = fork();
  if (pid_ == 0) {
    // A test that crashes takes its nodes with it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int out = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    ExecJisr(args);
  }
  const std::string marker = "listening on http://127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = ReadFile(log_);
    if (const size_t at = out.find(marker); at != std::string::npos) {
      const size_t begin = at + marker.size();
      const size_t end = out.find_first_not_of("0123456789", begin);
      if (end != std::string::npos && end > begin) {
        port_ = static_cast<uint16_t>(std::stoi(out.substr(begin, end - begin)));
        return true;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      *error = "jisr serve exited (" + std::to_string(DecodeStatus(status)) + "): " + out;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  *error = "jisr serve printed no listening line: " + ReadFile(log_);
  return false;
}

void ServeProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int ServeProcess::Wait(int timeout_s) {
  if (pid_ <= 0) return -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return DecodeStatus(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

std::string ServeProcess::Output() const { return ReadFile(log_); }

}  // namespace jisr::testing
