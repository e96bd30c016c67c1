// Test support for route tests: reading a response body as JSON and checking
// an RFC 9457 problem (status, content type, and the member named `field`).
//
// Thread-safety: test-only; stateless functions.
#ifndef JISR_API_TEST_ASSERTIONS_H_
#define JISR_API_TEST_ASSERTIONS_H_

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <string_view>

#include "api/test_client.h"
#include "common/json.h"

namespace jisr::http::testing {

// The body of `r` as a JSON object (empty, with a test failure, otherwise).
inline boost::json::object JsonOf(const TestResponse& r) {
  auto v = ParseJsonObject(r.body);
  EXPECT_TRUE(v.ok()) << r.body;
  return v.ok() ? *v : boost::json::object{};
}

// Expects `r` to be an application/problem+json answer with `status` and,
// when `field` is given, naming it.
inline void ExpectProblem(const TestResponse& r, int status, std::string_view field = {}) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.Header("Content-Type").value_or(""), "application/problem+json") << r.body;
  boost::json::object p = JsonOf(r);
  EXPECT_EQ(p["status"].as_int64(), status);
  if (!field.empty()) {
    ASSERT_TRUE(p.contains("field")) << r.body;
    EXPECT_EQ(p["field"].as_string(), field) << r.body;
  }
}

}  // namespace jisr::http::testing

#endif  // JISR_API_TEST_ASSERTIONS_H_
