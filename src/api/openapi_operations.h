// Test support: the operations of docs/openapi.yaml, for the tests that check
// the document against the router (openapi_test.cc) and that send every
// documented operation malformed input (tests/api_sweep_test.cc).
//
// Thread-safety: a free function without shared state.
#ifndef JISR_API_OPENAPI_OPERATIONS_H_
#define JISR_API_OPENAPI_OPERATIONS_H_

#include <fstream>
#include <set>
#include <string>
#include <utility>

namespace jisr::api::testing {

using Operation = std::pair<std::string, std::string>;  // (method lower case, path)

// Returns the operations under `paths:` of the OpenAPI document `file`,
// written with two-space indentation ("  /path:" then "    get:" etc.);
// empty when the file cannot be read.
inline std::set<Operation> OpenApiOperations(const std::string& file) {
  std::ifstream in(file);
  static const std::set<std::string> kMethods = {"get",    "put",  "post",    "delete",
                                                 "patch",  "head", "options", "trace"};
  std::set<Operation> ops;
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') {
      in_paths = line.rfind("paths:", 0) == 0;
      continue;
    }
    if (!in_paths) continue;
    if (line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
    } else if (line.rfind("    ", 0) == 0 && line[4] != ' ' && line.back() == ':') {
      const std::string key = line.substr(4, line.size() - 5);
      if (kMethods.count(key)) ops.emplace(key, path);
    }
  }
  return ops;
}

}  // namespace jisr::api::testing

#endif  // JISR_API_OPENAPI_OPERATIONS_H_
