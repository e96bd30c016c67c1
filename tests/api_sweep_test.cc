// Every operation of docs/openapi.yaml, sent malformed input by a real node
// (`jisr init --demo` + `jisr serve` on loopback): ids that are not ids,
// over-long and percent-encoded invalid UTF-8 path segments, nonsense query
// parameters, bodies that are not JSON, JSON of the wrong shape, deeply
// nested JSON, invalid UTF-8, a body over the limit, purposes that are not
// text — signed in as a supervisor, an officer, an administrator, and not
// signed in. Every answer must be a success or a 4xx problem+json naming its
// own status; never a server error or a dropped connection. Afterwards the
// node still answers and its audit chain verifies.
//
// The same node then reads every GET operation once more, on its real
// records, each with a purpose of its own: every read that succeeds must
// leave an audit entry with that purpose, unless it is one of the reads
// named below that return no personal data.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "api/openapi_operations.h"
#include "api/test_client.h"
#include "db/test_stores.h"
#include "tests/support/node_helpers.h"
#include "tests/support/process.h"

namespace jisr::testing {
namespace {

namespace fs = std::filesystem;

// username -> password of the synthetic demo accounts (DIR/demo-passwords:
// "username role password" lines).
std::map<std::string, std::string> DemoPasswords(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::ifstream in(dir / "demo-passwords");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string user, role, password;
    if (fields >> user >> role >> password) out[user] = password;
  }
  return out;
}

// Collection segment -> the id of a record of it that exists on the node
// ("events" -> an event's id), for the probes that reach real records.
using RealIds = std::map<std::string, std::string>;

// Sets member `key` of DIR/jisr.json to `value`.
void SetNodeConfig(const fs::path& dir, const std::string& key, int64_t value) {
  boost::json::object config = boost::json::parse(ReadText(dir / "jisr.json")).as_object();
  config[key] = value;
  std::ofstream(dir / "jisr.json", std::ios::trunc) << boost::json::serialize(config);
}

// `path` with every {parameter} replaced by `value`, or, when `real` is
// given, by the id `real` holds for the segment before it (`value` when it
// holds none).
std::string Fill(const std::string& path, const std::string& value,
                 const RealIds* real = nullptr) {
  std::string out;
  std::string segment, previous;  // the segment being read, the one before
  for (size_t i = 0; i < path.size();) {
    if (path[i] == '{') {
      const size_t end = path.find('}', i);
      if (end == std::string::npos) break;
      const auto it = real != nullptr ? real->find(previous) : RealIds::const_iterator();
      out += real != nullptr && it != real->end() ? it->second : value;
      segment = "{}";
      i = end + 1;
    } else {
      if (path[i] == '/') {
        previous = segment;
        segment.clear();
      } else {
        segment += path[i];
      }
      out += path[i++];
    }
  }
  return out;
}

// POSTs `body` (JSON) as `token`; returns the answer's "id" ("" on failure,
// with a test failure naming the call).
std::string CreateRecord(uint16_t port, const std::string& token, const std::string& target,
                         const std::string& body,
                         const std::string& content_type = "application/json") {
  http::TestHttpClient client("127.0.0.1", port);
  absl::StatusOr<http::TestResponse> r = client.Request(
      "POST", target, body,
      {{"Authorization", "Bearer " + token},
       {"Content-Type", content_type},
       {"X-Purpose", "API robustness sweep"}});
  EXPECT_TRUE(r.ok() && (r->status == 201 || r->status == 202))
      << target << ": " << (r.ok() ? std::to_string(r->status) + " " + r->body
                                   : r.status().ToString());
  if (!r.ok() || r->status >= 300) return "";
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r->body, ec);
  const boost::json::value* id = ec || !v.is_object() ? nullptr : v.as_object().if_contains("id");
  return id != nullptr && id->is_string() ? std::string(id->as_string()) : "";
}

// Creates one record of each kind the sweep reaches through real ids.
RealIds CreateRecords(uint16_t port, const std::string& supervisor, const std::string& officer) {
  RealIds ids;
  ids["events"] = CreateRecord(
      port, supervisor, "/api/v1/events",
      R"({"name":"Sweep Cup [synthetic]","starts_on":"2030-06-01","ends_on":"2030-06-30",)"
      R"("venues":[{"code":"RBT-01","name":"Stadium [synthetic]","city":"Rabat"}],)"
      R"("partners":[],"description":"robustness sweep"})");
  ids["campaigns"] = CreateRecord(
      port, officer, "/api/v1/events/" + ids["events"] + "/campaigns?name=Sweep&parts=true", "");
  ids["groups"] = CreateRecord(
      port, officer, "/api/v1/groups",
      R"({"name":"Sweep group [synthetic]","domain":"drug_trafficking","description":"sweep",)"
      R"("agencies":[],"members":[],"tasks":[{"title":"Sweep task","owner_agency":"MA-DGSN",)"
      R"("due_at":"2030-01-01"}]})");
  ids["plans"] = CreateRecord(port, supervisor, "/api/v1/plans",
                              R"({"title":"Sweep plan [synthetic]","description":"sweep","agencies":[]})");
  ids["objectives"] =
      CreateRecord(port, officer, "/api/v1/plans/" + ids["plans"] + "/objectives",
                   R"({"title":"Sweep objective","due_at":"2030-01-01"})");
  ids["actions"] = CreateRecord(
      port, officer, "/api/v1/plans/" + ids["plans"] + "/actions",
      R"({"objective_id":")" + ids["objectives"] +
          R"(","title":"Sweep action","due_at":"2030-01-01","milestones":[{"title":"M1","due_at":"2029-06-01"}],)"
          R"("indicators":[{"name":"persons located","unit":"persons","target":5,"measured":1}]})");
  ids["operations"] = CreateRecord(
      port, supervisor, "/api/v1/operations",
      R"({"code_name":"SWEEP","description":"sweep","starts_at":"2030-01-01","ends_at":"2030-01-05",)"
      R"("area":"Tanger [synthetic]","agencies":[],"units":[{"agency":"MA-DGSN","name":"BNPJ"}]})");
  ids["programmes"] = CreateRecord(
      port, supervisor, "/api/v1/training/programmes",
      R"({"title":"Sweep course [synthetic]","topic":"wanted_persons","description":"sweep",)"
      R"("languages":["fr","ar"],"share_with":[]})");
  ids["sessions"] = CreateRecord(
      port, supervisor, "/api/v1/training/programmes/" + ids["programmes"] + "/sessions",
      R"({"starts_at":"2030-02-01T08:00:00Z","ends_at":"2030-02-03T17:00:00Z",)"
      R"("place":"Rabat [synthetic]","capacity":20,"state":"open"})");
  ids["enrolments"] = CreateRecord(
      port, officer, "/api/v1/training/sessions/" + ids["sessions"] + "/enrolments",
      R"({"name":"Lieutenant Sweep [synthetic]","rank":"Lieutenant","unit":"BNPJ",)"
      R"("email":"sweep@example.invalid"})");
  ids["catalogue"] = CreateRecord(
      port, supervisor, "/api/v1/training/catalogue",
      R"({"domain":"digital_forensics","title":"Sweep support [synthetic]","description":"sweep",)"
      R"("contact_unit":"Unit","languages":["fr"],"share_with":[]})");
  ids["screenings"] = CreateRecord(
      port, officer, "/api/v1/screenings",
      "id,name,aliases,birth_date,nationality,gender,document\n"
      "S1,Karim Testaoui,,1984-03-12,MA,male,\nS2,Jean Exemple,,,FR,,\n",
      "text/csv");
  // A demo alert (jisr init --demo lists some).
  http::TestHttpClient client("127.0.0.1", port);
  absl::StatusOr<http::TestResponse> alerts = client.Request(
      "GET", "/api/v1/alerts",
      {}, {{"Authorization", "Bearer " + supervisor}, {"X-Purpose", "API robustness sweep"}});
  EXPECT_TRUE(alerts.ok() && alerts->status == 200);
  if (alerts.ok() && alerts->status == 200) {
    boost::json::value v = boost::json::parse(alerts->body);
    for (const auto& a : v.at("alerts").as_array()) {
      ids["alerts"] = std::string(a.at("id").as_string());
      break;
    }
  }
  for (const auto& [collection, id] : ids) EXPECT_FALSE(id.empty()) << "no " << collection;
  return ids;
}

struct Probe {
  std::string what;  // for the failure message
  std::string target;
  std::string body;
  http::TestHeaders headers;
};

// The probes for one operation, as `token` (empty: not signed in).
std::vector<Probe> Probes(const std::string& method, const std::string& path,
                          const std::string& token, const RealIds& real) {
  const bool has_params = path.find('{') != std::string::npos;
  const bool has_body = method == "post" || method == "put" || method == "patch";
  const std::string id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";  // well formed, unknown
  auto headers = [&](std::string content_type, std::string purpose) {
    http::TestHeaders h;
    if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
    if (!content_type.empty()) h.emplace_back("Content-Type", std::move(content_type));
    h.emplace_back("X-Purpose", std::move(purpose));
    return h;
  };
  const std::string purpose = "API robustness sweep";
  std::vector<Probe> out;
  // Path parameters that are not what they should be.
  std::vector<std::pair<std::string, std::string>> values = {{"unknown id", id}};
  if (has_params) {
    values.insert(values.end(), {{"word", "not-an-id"},
                                 {"3000 bytes", std::string(3000, 'a')},
                                 {"invalid UTF-8 and NUL", "%FF%FE%00%C0%AF"},
                                 {"dot segments", "..%2F..%2Fjisr.json"},
                                 {"negative", "-1"},
                                 {"huge number", "99999999999999999999999"}});
  }
  for (const auto& [what, value] : values) {
    out.push_back({"path " + what, Fill(path, value), has_body ? "{}" : "",
                   headers(has_body ? "application/json" : "", purpose)});
  }
  // The records of `real` where the path names them (deletions excepted:
  // they would remove what the other probes reach).
  const std::string target =
      method == "delete" ? Fill(path, id) : Fill(path, id, &real);
  if (has_params) {
    out.push_back({"real records", target, has_body ? "{}" : "",
                   headers(has_body ? "application/json" : "", purpose)});
  }
  // Query parameters of every kind, all wrong.
  out.push_back({"query", target +
                              "?page=0&page_size=-5&limit=abc&after=%FF&from=yesterday&to=2026-13-"
                              "45&q=%00&state=nope&decision=x&format=zz&owner=%FF%FE&agency=..&"
                              "domain=%C0&parts=maybe&threshold=nan&top_k=1e99&name=",
                 has_body ? "{}" : "", headers(has_body ? "application/json" : "", purpose)});
  // Purposes the audit log cannot take.
  out.push_back({"purpose not UTF-8", target, has_body ? "{}" : "",
                 headers(has_body ? "application/json" : "", "\xff\xfe purpose")});
  out.push_back({"purpose of 5000 bytes", target, has_body ? "{}" : "",
                 headers(has_body ? "application/json" : "", std::string(5000, 'p'))});
  if (!has_body) return out;
  // Bodies.
  std::string nested;
  for (int i = 0; i < 5000; ++i) nested += '[';
  for (int i = 0; i < 5000; ++i) nested += ']';
  const std::vector<std::pair<std::string, std::string>> json_bodies = {
      {"empty body", ""},
      {"truncated JSON", "{\"a\":"},
      {"array", "[]"},
      {"null", "null"},
      {"JSON nested 5000 deep", nested},
      {"invalid UTF-8", "\xff\xfe{\"name\":\"\xc0\xaf\"}"},
      {"wrong types",
       R"({"name":[],"title":{},"purpose":7,"id":1,"username":null,"password":[],"role":{},)"
       R"("content":123,"agency":[],"share_with":"MA","version":"x","state":[],"page":"x",)"
       R"("starts_at":"tomorrow","ends_at":17,"capacity":-1,"due":"x","progress":1e308,)"
       R"("subject":{"name":5},"persons":"x","recipients":{},"body":[],"type":9})"},
      {"duplicate keys and deep strings",
       R"({"name":"a","name":"b","title":")" + std::string(200000, 'x') + R"("})"},
  };
  for (const auto& [what, body] : json_bodies) {
    out.push_back({what, target, body, headers("application/json", purpose)});
  }
  out.push_back({"CSV not CSV", target, "id,name\n\"unterminated,\xff\n,,,,,,,,,,\n",
                 headers("text/csv", purpose)});
  out.push_back({"unknown content type", target, "\x01\x02\x03",
                 headers("application/x-unknown", purpose)});
  out.push_back({"body over the limit", target, std::string(2 * 1024 * 1024, 'a'),
                 headers("application/json", purpose)});
  return out;
}

// The reads that name no person, and so are not audited: the node's health
// and metrics, this agency, its partners and units, the caller's own
// account, the partner nodes, and events with their counts (an event, its
// campaigns' and incidents' counts: docs/events.md).
const std::set<std::string> kUnauditedReads = {
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/v1/agency",
    "/api/v1/partners",
    "/api/v1/units",
    "/api/v1/me",
    "/api/v1/federation/peers",
    "/api/v1/events",
    "/api/v1/events/{id}",
    "/api/v1/events/{id}/campaigns",
    "/api/v1/events/{id}/incidents/state",
    "/api/v1/campaigns/{id}",
};

// The operations answered without a session (everything else under /api/v1
// must answer 401 to a caller without one).
const std::set<api::testing::Operation> kPublicOperations = {
    {"post", "/api/v1/session"},
};

// "" when `r` is an acceptable answer to `op` sent with a session or not
// (`signed_in`); otherwise what is wrong with it.
std::string Check(const absl::StatusOr<http::TestResponse>& r, const api::testing::Operation& op,
                  bool signed_in) {
  if (!r.ok()) return "no answer: " + r.status().ToString();
  if (r->status >= 500) return "server error " + std::to_string(r->status);
  // Without a session: 401, unless the request is refused before routing
  // (a body over the limit, an encoded NUL in the path or query).
  if (!signed_in && op.second.rfind("/api/v1/", 0) == 0 && !kPublicOperations.count(op) &&
      r->status != 401 && r->status != 413 &&
      r->body.find("urn:jisr:problem:malformed-request") == std::string::npos) {
    return "answered " + std::to_string(r->status) + " without a session";
  }
  if (r->status < 400) return "";
  const std::string type = r->Header("Content-Type").value_or("");
  if (type.rfind("application/problem+json", 0) != 0)
    return std::to_string(r->status) + " with Content-Type \"" + type + "\"";
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r->body, ec);
  if (ec || !v.is_object()) return std::to_string(r->status) + " with a body that is not JSON";
  const auto* status = v.as_object().if_contains("status");
  if (status == nullptr || !status->is_int64() || status->as_int64() != r->status)
    return std::to_string(r->status) + " whose problem names another status";
  const auto* title = v.as_object().if_contains("title");
  if (title == nullptr || !title->is_string() || title->as_string().empty())
    return std::to_string(r->status) + " whose problem has no title";
  return "";
}

// A node of the store kind GetParam() made with `jisr init --demo` and
// serving on loopback, with sessions of several roles and one real record of
// each kind the probes reach; TearDown checks it is still up and its audit
// chain whole.
class ApiSweepTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const char* src = std::getenv("JISR_SOURCE_DIR");
    ASSERT_NE(src, nullptr);
    ops_ = api::testing::OpenApiOperations(std::string(src) + "/docs/openapi.yaml");
    ASSERT_GT(ops_.size(), 100u);
    // PostgreSQL refuses what SQLite stores (NUL bytes, invalid UTF-8 in
    // text): both stores.
    std::vector<std::string> init_args = {"init", "--data", dir_.string(), "--agency", "MA-DGSN",
                                          "--country", "MA", "--demo"};
    if (GetParam() == "postgres") {
      if (!db::testing::PostgresTestUrl()) {
        GTEST_SKIP() << "the test PostgreSQL is not running (CTest starts it)";
      }
      store_.emplace("postgres", /*migrate=*/false);
      init_args.insert(init_args.end(), {"--db", store_->url()});
      store_->Close();
    }
    CommandResult init = RunJisr(init_args);
    ASSERT_EQ(init.exit_code, 0) << init.err;
    // The HTTP body limit is the larger of 1 MiB and the attachment limit
    // (50 MiB by default): a small attachment limit makes 1 MiB the limit
    // the "body over the limit" probe goes over.
    SetNodeConfig(dir_, "attachment_max_bytes", 1024);
    std::string error;
    ASSERT_TRUE(node_.Start(dir_, &error)) << error;
    const std::map<std::string, std::string> demo = DemoPasswords(dir_);
    ASSERT_TRUE(demo.count("demo.supervisor") && demo.count("demo.officer")) << "demo accounts";
    tokens_ = {{"supervisor", Login(node_.port(), "demo.supervisor", demo.at("demo.supervisor"))},
               {"officer", Login(node_.port(), "demo.officer", demo.at("demo.officer"))},
               {"admin", Login(node_.port(), "admin", AdminPassword(dir_))},
               {"nobody", ""}};
    for (const auto& [role, token] : tokens_) {
      if (role != "nobody") {
        ASSERT_FALSE(token.empty()) << "sign-in of " << role;
      }
    }
    real_ = CreateRecords(node_.port(), tokens_["supervisor"], tokens_["officer"]);
    started_ = true;
  }

  void TearDown() override {
    if (!started_) return;
    // The node is still up, and its audit chain is whole.
    http::TestHttpClient client("127.0.0.1", node_.port());
    absl::StatusOr<http::TestResponse> ready = client.Request("GET", "/readyz");
    ASSERT_TRUE(ready.ok()) << ready.status();
    EXPECT_EQ(ready->status, 200) << ready->body;
    node_.Signal(SIGTERM);
    EXPECT_EQ(node_.Wait(), 0) << node_.Output();
    CommandResult verify = RunJisr({"audit", "verify", "--data", dir_.string()});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  }

  TempDir tmp_;
  const fs::path dir_ = tmp_.path() / "node";
  std::optional<db::testing::TestStore> store_;
  ServeProcess node_;
  std::set<api::testing::Operation> ops_;
  std::map<std::string, std::string> tokens_;  // role -> token ("nobody": none)
  RealIds real_;
  bool started_ = false;
};

TEST_P(ApiSweepTest, EveryOperationAnswersMalformedInputWithAProblemNeverAServerError) {
  std::vector<std::string> failures;  // the first 60 bad answers
  size_t sent = 0, bad = 0;
  std::map<std::string, std::map<int, int>> statuses;  // probe -> status -> answers
  for (const auto& [method, path] : ops_) {
    std::string upper = method;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const auto& [role, token] : tokens_) {
      // Signing out would end the sweep's session: only without one.
      if (path == "/api/v1/session" && method == "delete" && !token.empty()) continue;
      for (const Probe& probe : Probes(method, path, token, real_)) {
        http::TestHttpClient client("127.0.0.1", node_.port());
        absl::StatusOr<http::TestResponse> r =
            client.Request(upper, probe.target, probe.body, probe.headers);
        ++sent;
        const std::string wrong = Check(r, {method, path}, !token.empty());
        if (r.ok()) ++statuses[probe.what][r->status];
        if (!wrong.empty()) ++bad;
        if (!wrong.empty() && failures.size() < 60) {
          failures.push_back(upper + " " + path + " as " + role + ", " + probe.what + ": " +
                             wrong + (r.ok() ? " — " + r->body.substr(0, 200) : ""));
        }
      }
    }
  }
  std::string report;
  for (const std::string& f : failures) report += "\n  " + f;
  EXPECT_EQ(bad, 0u) << "bad answers of " << sent << " (the first 60):" << report;
  EXPECT_GT(sent, 3000u);
  // The probes did their job: bodies over the limit were refused as such,
  // real records were read.
  EXPECT_GT(statuses["body over the limit"][413], 100);
  EXPECT_GT(statuses["real records"][200], 40);
}

TEST_P(ApiSweepTest, EveryReadOfPersonalDataIsAuditedWithItsPurpose) {
  // Every successful read of personal data is audited with its purpose.
  std::map<std::string, std::string> audited_reads;  // purpose -> path
  int read_number = 0;
  for (const auto& [method, path] : ops_) {
    if (method != "get" || kUnauditedReads.count(path)) continue;
    const std::string purpose = "sweep read " + std::to_string(++read_number);
    http::TestHttpClient client("127.0.0.1", node_.port());
    absl::StatusOr<http::TestResponse> r =
        client.Request("GET", Fill(path, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", &real_), {},
                       {{"Authorization", "Bearer " + tokens_["supervisor"]}, {"X-Purpose", purpose}});
    ASSERT_TRUE(r.ok()) << path << ": " << r.status();
    if (r->status < 300) audited_reads[purpose] = path;
  }
  EXPECT_GT(audited_reads.size(), 25u) << "reads of real records that succeeded";
  CommandResult log = RunJisr({"audit", "export", "--data", dir_.string(), "--purpose",
                               "API robustness sweep: reads audited"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  std::istringstream entries(log.out);
  std::string entry;
  while (std::getline(entries, entry)) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(entry, ec);
    if (ec || !v.is_object()) continue;
    const auto* purpose = v.as_object().if_contains("purpose");
    if (purpose != nullptr && purpose->is_string())
      audited_reads.erase(std::string(purpose->as_string()));
  }
  for (const auto& [purpose, path] : audited_reads)
    ADD_FAILURE() << "GET " << path << " read without an audit entry (purpose \"" << purpose
                  << "\")";
}

INSTANTIATE_TEST_SUITE_P(Stores, ApiSweepTest, ::testing::ValuesIn(db::testing::StoreKinds()));

}  // namespace
}  // namespace jisr::testing
