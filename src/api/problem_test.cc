#include "api/problem.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/object.hpp>

#include "common/json.h"
#include "common/status.h"

namespace jisr::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

boost::json::object Body(const Response& r) {
  absl::StatusOr<boost::json::object> o = ParseJsonObject(r.body);
  EXPECT_TRUE(o.ok()) << r.body;
  return o.ok() ? *o : boost::json::object();
}

struct CodeCase {
  absl::StatusCode code;
  int http;
  const char* slug;
};

const CodeCase kTable[] = {
    {absl::StatusCode::kCancelled, 500, "internal"},
    {absl::StatusCode::kUnknown, 500, "internal"},
    {absl::StatusCode::kInvalidArgument, 400, "invalid-argument"},
    {absl::StatusCode::kDeadlineExceeded, 504, "deadline-exceeded"},
    {absl::StatusCode::kNotFound, 404, "not-found"},
    {absl::StatusCode::kAlreadyExists, 409, "already-exists"},
    {absl::StatusCode::kPermissionDenied, 403, "permission-denied"},
    {absl::StatusCode::kResourceExhausted, 429, "resource-exhausted"},
    {absl::StatusCode::kFailedPrecondition, 409, "failed-precondition"},
    {absl::StatusCode::kAborted, 409, "aborted"},
    {absl::StatusCode::kOutOfRange, 400, "out-of-range"},
    {absl::StatusCode::kUnimplemented, 501, "unimplemented"},
    {absl::StatusCode::kInternal, 500, "internal"},
    {absl::StatusCode::kUnavailable, 503, "unavailable"},
    {absl::StatusCode::kDataLoss, 500, "internal"},
    {absl::StatusCode::kUnauthenticated, 401, "unauthenticated"},
};

TEST(ProblemTest, MapsEveryStatusCode) {
  EXPECT_EQ(HttpStatusFromCode(absl::StatusCode::kOk), 200);
  for (const CodeCase& c : kTable) {
    EXPECT_EQ(HttpStatusFromCode(c.code), c.http)
        << absl::StatusCodeToString(c.code);
  }
  EXPECT_EQ(HttpStatusFromCode(static_cast<absl::StatusCode>(99)), 500);
}

TEST(ProblemTest, ProblemFromStatusHasTheRfc9457Shape) {
  for (const CodeCase& c : kTable) {
    const absl::Status status(c.code, "the detail text");
    const Response r = ProblemFromStatus(status);
    SCOPED_TRACE(absl::StatusCodeToString(c.code));
    EXPECT_EQ(r.status, c.http);
    EXPECT_EQ(r.content_type, "application/problem+json");
    const boost::json::object body = Body(r);
    EXPECT_EQ(body.at("type").as_string(),
              std::string("urn:jisr:problem:") + c.slug);
    EXPECT_FALSE(body.at("title").as_string().empty());
    EXPECT_EQ(body.at("status").as_int64(), c.http);
    if (c.http == 500) {
      EXPECT_NE(body.at("detail").as_string(), "the detail text");
    } else {
      EXPECT_EQ(body.at("detail").as_string(), "the detail text");
    }
    EXPECT_FALSE(body.contains("instance"));
    EXPECT_FALSE(body.contains("field"));
    EXPECT_EQ(r.Header("WWW-Authenticate").has_value(),
              c.code == absl::StatusCode::kUnauthenticated);
  }
}

TEST(ProblemTest, UnauthenticatedAsksForBearer) {
  const Response r =
      ProblemFromStatus(absl::UnauthenticatedError("missing token"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer");
}

TEST(ProblemTest, CarriesFieldAndInstance) {
  const Response r = ProblemFromStatus(
      InvalidField("names[1].full", "must not be empty"), "/api/v1/alerts");
  EXPECT_EQ(r.status, 400);
  const boost::json::object body = Body(r);
  EXPECT_EQ(body.at("field").as_string(), "names[1].full");
  EXPECT_EQ(body.at("detail").as_string(), "must not be empty");
  EXPECT_EQ(body.at("instance").as_string(), "/api/v1/alerts");
  EXPECT_EQ(body.size(), 6u);
}

TEST(ProblemTest, InternalErrorsDoNotLeak) {
  const Response r = ProblemFromStatus(
      absl::InternalError("sqlite3_step failed on /var/lib/jisr/node.db"));
  EXPECT_EQ(r.status, 500);
  EXPECT_THAT(r.body, Not(HasSubstr("sqlite")));
  EXPECT_THAT(r.body, Not(HasSubstr("/var/lib")));
  const Response with_field =
      ProblemFromStatus(WithField(absl::DataLossError("x"), "secret"));
  EXPECT_THAT(with_field.body, Not(HasSubstr("secret")));
  const Response ok = ProblemFromStatus(absl::OkStatus());
  EXPECT_EQ(ok.status, 500);
}

TEST(ProblemTest, MakeProblemDefaultsTitleToReasonPhrase) {
  const Response r = MakeProblem(413, "payload-too-large", "too big");
  const boost::json::object body = Body(r);
  EXPECT_EQ(body.at("title").as_string(), "Content Too Large");
  EXPECT_EQ(body.at("type").as_string(), "urn:jisr:problem:payload-too-large");
  EXPECT_EQ(ReasonPhrase(404), "Not Found");
  EXPECT_EQ(ReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(ReasonPhrase(299), "Unknown Status");
}

TEST(ProblemTest, JsonResponseSerializes) {
  boost::json::object o;
  o["id"] = "x\"y";
  o["n"] = 3;
  const Response r = JsonResponse(201, o);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"id":"x\"y","n":3})");
}

}  // namespace
}  // namespace jisr::http
