#include "alerts/alerts_routes.h"

#include "api/request_helpers.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <optional>
#include <string>

#include "alerts/alert.h"
#include "alerts/alert_io.h"
#include "alerts/hit_service.h"
#include "alerts/json_util.h"
#include "alerts/screening_jobs.h"
#include "alerts/screening_service.h"
#include "api/problem.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::alerts {
namespace {

using http::Method;
using http::Request;
using http::Response;
using security::Principal;

// ---- request helpers (shared with every module: api/request_helpers.h) -----

absl::StatusOr<Principal> Authenticate(const AlertRoutesContext& ctx,
                                       Request& req) {
  return api::Authenticate(*ctx.sessions, req);
}

using api::Body;
using api::IntParam;
using api::Purpose;
using api::Wrap;

template <typename E>
absl::StatusOr<std::optional<E>> EnumParam(
    const Request& req, std::string_view name,
    std::optional<E> (*parse)(std::string_view),
    std::span<const std::string_view> allowed) {
  const std::optional<std::string_view> text = req.Query(name);
  if (!text || text->empty()) return std::optional<E>();
  std::optional<E> v = parse(*text);
  if (!v) {
    return InvalidField(name, fmt::format("{} must be one of: {}", name,
                                          fmt::join(allowed, ", ")));
  }
  return v;
}

std::string PathId(const Request& req) {
  return std::string(req.PathParam("id").value_or(""));
}

// A body {version, ...}: the version, after the listed members.
absl::StatusOr<int64_t> Version(JsonObjectReader& r) {
  return r.RequiredInt("version");
}

// ---- alerts
// ------------------------------------------------------------------------

boost::json::object Summary(const Alert& a) {
  boost::json::object o;
  o["id"] = a.id;
  o["owner"] = a.owner;
  o["status"] = StatusName(a.status);
  o["version"] = a.version;
  o["category"] = CategoryName(a.content.category);
  o["primary_name"] = a.content.PrimaryName();
  o["birth_date"] = a.content.birth_date
                        ? boost::json::value(a.content.birth_date->ToString())
                        : boost::json::value(nullptr);
  boost::json::array nationalities;
  for (const std::string& n : a.content.nationalities)
    nationalities.emplace_back(n);
  o["nationalities"] = std::move(nationalities);
  boost::json::array warnings;
  for (WarningFlag w : a.content.warnings)
    warnings.emplace_back(WarningName(w));
  o["warnings"] = std::move(warnings);
  o["handling_code"] = HandlingCodeName(a.content.handling_code);
  o["review_at"] = a.review_at ? boost::json::value(FormatRfc3339(*a.review_at))
                               : boost::json::value(nullptr);
  o["updated_at"] = FormatRfc3339(a.updated_at);
  return o;
}

Response AlertResponse(const AlertRoutesContext& ctx, int status,
                       const Alert& a) {
  boost::json::object o = AlertToJson(a);
  o["read_only"] = a.owner != ctx.alerts->options().agency;
  return http::JsonResponse(status, o);
}

absl::StatusOr<Response> CreateAlert(const AlertRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JISR_ASSIGN_OR_RETURN(AlertContent content, AlertContentFromJson(body));
  JISR_ASSIGN_OR_RETURN(Alert alert, ctx.alerts->Create(who, content, purpose));
  boost::json::object out;
  out["id"] = alert.id;
  out["status"] = StatusName(alert.status);
  out["version"] = alert.version;
  Response r = http::JsonResponse(201, out);
  r.AddHeader("Location", fmt::format("/api/v1/alerts/{}", alert.id));
  return r;
}

absl::StatusOr<Response> ListAlertsRoute(const AlertRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  AlertQuery query;
  JISR_ASSIGN_OR_RETURN(
      query.status,
      EnumParam<AlertStatus>(req, "status", &StatusFromName, StatusNames()));
  JISR_ASSIGN_OR_RETURN(
      query.category,
      EnumParam<Category>(req, "category", &CategoryFromName, CategoryNames()));
  if (std::optional<std::string_view> owner = req.Query("owner");
      owner && !owner->empty()) {
    JISR_RETURN_IF_ERROR(ValidateAgencyCode(*owner, "owner"));
    query.owner = std::string(*owner);
  }
  query.q = std::string(req.Query("q").value_or(""));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> page,
                        IntParam(req, "page", 1, 1000000));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                        IntParam(req, "page_size", 1, kMaxPageSize));
  query.page = page.value_or(1);
  query.page_size = size.value_or(50);
  JISR_ASSIGN_OR_RETURN(AlertPage result,
                        ctx.alerts->List(who, query, purpose));
  boost::json::array alerts;
  for (const Alert& a : result.alerts) alerts.push_back(Summary(a));
  boost::json::object out;
  out["alerts"] = std::move(alerts);
  out["page"] = result.page;
  out["page_size"] = result.page_size;
  out["total"] = result.total;
  return http::JsonResponse(200, out);
}

absl::StatusOr<Response> GetAlertRoute(const AlertRoutesContext& ctx,
                                       Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(Alert alert,
                        ctx.alerts->Get(who, PathId(req), purpose));
  return AlertResponse(ctx, 200, alert);
}

absl::StatusOr<Response> AlertHistoryRoute(const AlertRoutesContext& ctx,
                                           Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(std::vector<HistoryEntry> history,
                        ctx.alerts->History(who, PathId(req), purpose));
  boost::json::array versions;
  for (const HistoryEntry& e : history)
    versions.push_back(HistoryEntryToJson(e));
  boost::json::object out;
  out["history"] = std::move(versions);
  return http::JsonResponse(200, out);
}

absl::StatusOr<Response> UpdateAlertRoute(const AlertRoutesContext& ctx,
                                          Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(int64_t version, Version(r));
  JISR_ASSIGN_OR_RETURN(
      Alert alert,
      ctx.alerts->Update(who, PathId(req), version, body, purpose));
  return AlertResponse(ctx, 200, alert);
}

absl::StatusOr<Response> ActivateRoute(const AlertRoutesContext& ctx,
                                       Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(int64_t version, Version(r));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_ASSIGN_OR_RETURN(
      Alert alert, ctx.alerts->Activate(who, PathId(req), version, purpose));
  return AlertResponse(ctx, 200, alert);
}

// suspend and withdraw: {version, reason}.
template <bool kWithdraw>
absl::StatusOr<Response> ReasonRoute(const AlertRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(int64_t version, Version(r));
  JISR_ASSIGN_OR_RETURN(std::string reason,
                        r.RequiredString("reason", kMaxLongTextBytes));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  absl::StatusOr<Alert> alert =
      kWithdraw
          ? ctx.alerts->Withdraw(who, PathId(req), version, reason, purpose)
          : ctx.alerts->Suspend(who, PathId(req), version, reason, purpose);
  if (!alert.ok()) return alert.status();
  return AlertResponse(ctx, 200, *alert);
}

absl::StatusOr<Response> ExecuteRoute(const AlertRoutesContext& ctx,
                                      Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(int64_t version, Version(r));
  JISR_ASSIGN_OR_RETURN(std::string date, r.RequiredString("date", 32));
  Execution execution;
  JISR_ASSIGN_OR_RETURN(execution.date, ParseDay(date, "date"));
  JISR_ASSIGN_OR_RETURN(execution.place,
                        r.RequiredString("place", kMaxShortTextBytes));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_ASSIGN_OR_RETURN(
      Alert alert,
      ctx.alerts->Execute(who, PathId(req), version, execution, purpose));
  return AlertResponse(ctx, 200, alert);
}

absl::StatusOr<Response> ExtendRoute(const AlertRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(int64_t version, Version(r));
  JISR_ASSIGN_OR_RETURN(std::string justification,
                        r.RequiredString("justification", kMaxLongTextBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> until_text,
                        r.OptionalString("review_at", 64));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  std::optional<absl::Time> until;
  if (until_text) {
    absl::StatusOr<absl::Time> t = ParseRfc3339(*until_text);
    if (!t.ok()) {
      return InvalidField("review_at",
                          "review_at must be an RFC 3339 time such as "
                          "2027-01-31T00:00:00Z");
    }
    until = *t;
  }
  JISR_ASSIGN_OR_RETURN(
      Alert alert, ctx.alerts->Extend(who, PathId(req), version, justification,
                                      until, purpose));
  return AlertResponse(ctx, 200, alert);
}

// ---- import and export
// ---------------------------------------------------------------

absl::StatusOr<bool> BoolParam(const Request& req, std::string_view name) {
  const std::optional<std::string_view> text = req.Query(name);
  if (!text || *text == "false" || *text == "0") return false;
  if (*text == "true" || *text == "1" || text->empty()) return true;
  return InvalidField(name, fmt::format("{} must be true or false", name));
}

absl::StatusOr<Response> ImportRoute(const AlertRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  const std::optional<AlertFormat> format =
      AlertFormatFromName(req.Query("format").value_or(""));
  if (!format)
    return InvalidField("format", "format must be interpol, ftm or csv");
  ImportOptions options;
  JISR_ASSIGN_OR_RETURN(options.skip_invalid, BoolParam(req, "skip_invalid"));
  JISR_ASSIGN_OR_RETURN(
      std::optional<Category> category,
      EnumParam<Category>(req, "category", &CategoryFromName, CategoryNames()));
  if (category) options.defaults.category = *category;
  if (std::optional<std::string_view> code = req.Query("handling_code")) {
    bool found = false;
    for (size_t i = 0; i < HandlingCodeNames().size(); ++i) {
      if (HandlingCodeNames()[i] == *code) {
        options.defaults.handling_code = static_cast<HandlingCode>(i);
        found = true;
      }
    }
    if (!found)
      return InvalidField("handling_code",
                          "handling_code must be H0, H1, H2 or H3");
  }
  if (req.body().empty())
    return absl::InvalidArgumentError("the request body is empty");
  JISR_ASSIGN_OR_RETURN(
      ImportResult result,
      ctx.alerts->Import(who, *format, req.body(), options, purpose));
  boost::json::array problems;
  for (const ImportProblem& p : result.problems)
    problems.push_back(ImportProblemToJson(p));
  if (!result.imported) {
    // A problem document with the list of bad records.
    boost::json::object body;
    body["type"] = "urn:jisr:problem:invalid-argument";
    body["title"] = "Invalid argument";
    body["status"] = 400;
    body["detail"] = fmt::format(
        "{} bad record(s): nothing imported (skip_invalid=true imports the "
        "good ones)",
        result.problems.size());
    body["instance"] = req.path();
    body["errors"] = std::move(problems);
    Response r = http::JsonResponse(400, body);
    r.content_type = std::string(http::kProblemContentType);
    return r;
  }
  boost::json::array created;
  for (const std::string& id : result.created) created.emplace_back(id);
  boost::json::object out;
  out["created"] = std::move(created);
  out["unchanged"] = static_cast<int64_t>(result.unchanged.size());
  out["errors"] = std::move(problems);
  return http::JsonResponse(result.created.empty() ? 200 : 201, out);
}

absl::StatusOr<Response> ExportRoute(const AlertRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  const std::optional<AlertFormat> format =
      AlertFormatFromName(req.Query("format").value_or(""));
  if (!format || *format == AlertFormat::kInterpol) {
    return InvalidField("format", "format must be ftm or csv");
  }
  JISR_ASSIGN_OR_RETURN(
      std::optional<AlertStatus> status,
      EnumParam<AlertStatus>(req, "status", &StatusFromName, StatusNames()));
  JISR_ASSIGN_OR_RETURN(std::vector<Alert> alerts,
                        ctx.alerts->Export(who, status, purpose));
  JISR_ASSIGN_OR_RETURN(std::string text, ExportAlerts(*format, alerts));
  Response r;
  r.status = 200;
  r.content_type = *format == AlertFormat::kCsv ? "text/csv; charset=utf-8"
                                                : "application/x-ndjson";
  r.body = std::move(text);
  r.AddHeader("Content-Disposition",
              fmt::format("attachment; filename=\"alerts.{}\"",
                          *format == AlertFormat::kCsv ? "csv" : "jsonl"));
  return r;
}

// ---- screening
// ---------------------------------------------------------------------

absl::StatusOr<Response> ScreenRoute(const AlertRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  static constexpr std::string_view kKeys[] = {"purpose", "person", "threshold",
                                               "top_k"};
  JISR_RETURN_IF_ERROR(internal::CheckKnown(body, "", kKeys));
  JsonObjectReader r(body);
  // A missing or blank purpose is refused by ScreeningService::Screen, after
  // the permission (a caller who may not screen is denied, and audited).
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> purpose,
                        r.OptionalString("purpose", api::kMaxPurposeBytes));
  const auto person = body.find("person");
  if (person == body.end() || person->value().is_null()) {
    return InvalidField("person", "person is required");
  }
  if (!person->value().is_object())
    return InvalidField("person", "person must be an object");
  JISR_ASSIGN_OR_RETURN(ScreeningSubject subject,
                        SubjectFromJson(person->value().get_object()));
  ScreenOptions options;
  if (const auto t = body.find("threshold");
      t != body.end() && !t->value().is_null()) {
    if (!t->value().is_number())
      return InvalidField("threshold", "threshold must be a number");
    options.threshold = t->value().to_number<double>();
  }
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> top_k, r.OptionalInt("top_k"));
  if (top_k) {
    if (*top_k < 1 || *top_k > static_cast<int64_t>(kMaxTopK)) {
      return InvalidField(
          "top_k",
          fmt::format("top_k must be an integer from 1 to {}", kMaxTopK));
    }
    options.top_k = static_cast<size_t>(*top_k);
  }
  JISR_ASSIGN_OR_RETURN(std::vector<ScreenMatch> matches,
                        ctx.screening->Screen(who, subject, purpose.value_or(""), options));
  boost::json::array out_matches;
  for (const ScreenMatch& m : matches)
    out_matches.push_back(ScreenMatchToJson(m));
  boost::json::object out;
  out["matches"] = std::move(out_matches);
  return http::JsonResponse(200, out);
}

// ---- batch screening
// -------------------------------------------------------------------

absl::StatusOr<Response> SubmitJobRoute(const AlertRoutesContext& ctx,
                                        Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  SubmitOptions options;
  const std::optional<JobFormat> format =
      JobFormatFromName(req.Query("format").value_or("csv"));
  if (!format) return InvalidField("format", "format must be csv or paxlst");
  options.format = *format;
  if (std::optional<std::string_view> t = req.Query("threshold")) {
    double v = -1;
    const auto [ptr, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
    if (ec != std::errc() || ptr != t->data() + t->size()) {
      return InvalidField("threshold",
                          "threshold must be a number from 0 to 1");
    }
    options.threshold = v;
  }
  JISR_ASSIGN_OR_RETURN(
      std::optional<int64_t> top_k,
      IntParam(req, "top_k", 1, static_cast<int64_t>(kMaxTopK)));
  if (top_k) options.top_k = *top_k;
  if (req.body().empty())
    return absl::InvalidArgumentError("the request body is empty");
  JISR_ASSIGN_OR_RETURN(ScreeningJob job,
                        ctx.jobs->Submit(who, req.body(), options, purpose));
  Response r = http::JsonResponse(202, ScreeningJobToJson(job));
  r.AddHeader("Location", fmt::format("/api/v1/screenings/{}", job.id));
  return r;
}

absl::StatusOr<Response> GetJobRoute(const AlertRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(ScreeningJob job,
                        ctx.jobs->Get(who, PathId(req), purpose));
  return http::JsonResponse(200, ScreeningJobToJson(job));
}

absl::StatusOr<Response> JobResultsRoute(const AlertRoutesContext& ctx,
                                         Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  const std::string_view format = req.Query("format").value_or("json");
  if (format == "csv") {
    JISR_ASSIGN_OR_RETURN(std::string csv,
                          ctx.jobs->ResultsCsv(who, PathId(req), purpose));
    Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(csv);
    r.AddHeader("Content-Disposition",
                "attachment; filename=\"screening-results.csv\"");
    return r;
  }
  if (format != "json")
    return InvalidField("format", "format must be json or csv");
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> page,
                        IntParam(req, "page", 1, 1000000));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                        IntParam(req, "page_size", 1, 1000));
  JISR_ASSIGN_OR_RETURN(JobResultPage result,
                        ctx.jobs->Results(who, PathId(req), page.value_or(1),
                                          size.value_or(100), purpose));
  boost::json::array results;
  for (const JobResult& r : result.results)
    results.push_back(JobResultToJson(r));
  boost::json::object out;
  out["results"] = std::move(results);
  out["page"] = result.page;
  out["page_size"] = result.page_size;
  out["total"] = result.total;
  return http::JsonResponse(200, out);
}

// ---- hits
// ---------------------------------------------------------------------------

absl::StatusOr<Response> ReportHitRoute(const AlertRoutesContext& ctx,
                                        Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  HitReport report;
  JISR_ASSIGN_OR_RETURN(report.place,
                        r.RequiredString("place", kMaxShortTextBytes));
  JISR_ASSIGN_OR_RETURN(std::string occurred,
                        r.RequiredString("occurred_at", 64));
  absl::StatusOr<absl::Time> at = ParseRfc3339(occurred);
  if (!at.ok()) {
    return InvalidField(
        "occurred_at",
        "occurred_at must be an RFC 3339 time such as 2026-01-31T08:00:00Z");
  }
  report.occurred_at = *at;
  JISR_ASSIGN_OR_RETURN(report.circumstances,
                        r.RequiredString("circumstances", kMaxLongTextBytes));
  JISR_ASSIGN_OR_RETURN(std::optional<bool> false_match,
                        r.OptionalBool("false_match"));
  report.false_match = false_match.value_or(false);
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> action_taken,
                        r.OptionalString("action_taken", kMaxLongTextBytes));
  report.action_taken = action_taken.value_or("");
  JISR_ASSIGN_OR_RETURN(report.contact,
                        r.RequiredString("contact", kMaxShortTextBytes));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_ASSIGN_OR_RETURN(Hit hit,
                        ctx.hits->Report(who, PathId(req), report, purpose));
  Response resp = http::JsonResponse(201, HitToJson(hit));
  resp.AddHeader("Location", fmt::format("/api/v1/hits/{}", hit.id));
  return resp;
}

absl::StatusOr<Response> AlertHitsRoute(const AlertRoutesContext& ctx,
                                        Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(std::vector<Hit> hits,
                        ctx.hits->ForAlert(who, PathId(req), purpose));
  boost::json::array out_hits;
  for (const Hit& h : hits) out_hits.push_back(HitToJson(h));
  boost::json::object out;
  out["hits"] = std::move(out_hits);
  return http::JsonResponse(200, out);
}

absl::StatusOr<Response> InboxRoute(const AlertRoutesContext& ctx,
                                    Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(
      std::optional<HitState> state,
      EnumParam<HitState>(req, "state", &HitStateFromName, HitStateNames()));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> page,
                        IntParam(req, "page", 1, 1000000));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                        IntParam(req, "page_size", 1, kMaxPageSize));
  JISR_ASSIGN_OR_RETURN(HitPage result,
                        ctx.hits->Inbox(who, state, page.value_or(1),
                                        size.value_or(50), purpose));
  boost::json::array out_hits;
  for (const Hit& h : result.hits) out_hits.push_back(HitToJson(h));
  boost::json::object out;
  out["hits"] = std::move(out_hits);
  out["page"] = result.page;
  out["page_size"] = result.page_size;
  out["total"] = result.total;
  return http::JsonResponse(200, out);
}

absl::StatusOr<Response> GetHitRoute(const AlertRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(Hit hit, ctx.hits->Get(who, PathId(req), purpose));
  return http::JsonResponse(200, HitToJson(hit));
}

template <bool kClose>
absl::StatusOr<Response> HitStateRoute(const AlertRoutesContext& ctx,
                                       Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, Body(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(int64_t version, Version(r));
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> reply,
                        r.OptionalString("reply", kMaxLongTextBytes));
  std::optional<bool> false_match;
  if (kClose) {
    JISR_ASSIGN_OR_RETURN(false_match, r.OptionalBool("false_match"));
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  absl::StatusOr<Hit> hit =
      kClose ? ctx.hits->Close(who, PathId(req), version, reply.value_or(""),
                               false_match, purpose)
             : ctx.hits->Acknowledge(who, PathId(req), version,
                                     reply.value_or(""), purpose);
  if (!hit.ok()) return hit.status();
  return http::JsonResponse(200, HitToJson(*hit));
}

}  // namespace

absl::Status AddAlertRoutes(http::Router& router,
                            const AlertRoutesContext& context) {
  const AlertRoutesContext* ctx = &context;
  struct Entry {
    Method method;
    std::string_view pattern;
    std::string_view name;
    absl::StatusOr<Response> (*fn)(const AlertRoutesContext&, Request&);
  };
  static constexpr Entry kRoutes[] = {
      {Method::kPost, "/api/v1/alerts", "alerts.create", &CreateAlert},
      {Method::kGet, "/api/v1/alerts", "alerts.list", &ListAlertsRoute},
      {Method::kPost, "/api/v1/alerts/import", "alerts.import", &ImportRoute},
      {Method::kGet, "/api/v1/alerts/export", "alerts.export", &ExportRoute},
      {Method::kGet, "/api/v1/alerts/{id}", "alerts.get", &GetAlertRoute},
      {Method::kPatch, "/api/v1/alerts/{id}", "alerts.update",
       &UpdateAlertRoute},
      {Method::kGet, "/api/v1/alerts/{id}/history", "alerts.history",
       &AlertHistoryRoute},
      {Method::kPost, "/api/v1/alerts/{id}/activate", "alerts.activate",
       &ActivateRoute},
      {Method::kPost, "/api/v1/alerts/{id}/suspend", "alerts.suspend",
       &ReasonRoute<false>},
      {Method::kPost, "/api/v1/alerts/{id}/withdraw", "alerts.withdraw",
       &ReasonRoute<true>},
      {Method::kPost, "/api/v1/alerts/{id}/execute", "alerts.execute",
       &ExecuteRoute},
      {Method::kPost, "/api/v1/alerts/{id}/extend", "alerts.extend",
       &ExtendRoute},
      {Method::kPost, "/api/v1/alerts/{id}/hits", "hits.create",
       &ReportHitRoute},
      {Method::kGet, "/api/v1/alerts/{id}/hits", "hits.list_for_alert",
       &AlertHitsRoute},
      {Method::kGet, "/api/v1/hits", "hits.inbox", &InboxRoute},
      {Method::kGet, "/api/v1/hits/{id}", "hits.get", &GetHitRoute},
      {Method::kPost, "/api/v1/hits/{id}/acknowledge", "hits.acknowledge",
       &HitStateRoute<false>},
      {Method::kPost, "/api/v1/hits/{id}/close", "hits.close",
       &HitStateRoute<true>},
      {Method::kPost, "/api/v1/screen", "screen.person", &ScreenRoute},
      {Method::kPost, "/api/v1/screenings", "screenings.create",
       &SubmitJobRoute},
      {Method::kGet, "/api/v1/screenings/{id}", "screenings.get", &GetJobRoute},
      {Method::kGet, "/api/v1/screenings/{id}/results", "screenings.results",
       &JobResultsRoute},
  };
  for (const Entry& e : kRoutes) {
    JISR_RETURN_IF_ERROR(router.Add(
        e.method, e.pattern, e.name,
        Wrap([ctx, fn = e.fn](Request& req) { return fn(*ctx, req); })));
  }
  return absl::OkStatus();
}

}  // namespace jisr::alerts
