#include "exchange/exchange_routes.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "api/problem.h"
#include "api/request_helpers.h"
#include "common/json.h"
#include "common/status.h"

namespace jisr::exchange {
namespace {

using http::Method;
using http::Request;
using http::Response;
using security::Principal;

absl::StatusOr<Principal> Authenticate(const ExchangeRoutesContext& ctx,
                                       Request& req) {
  return api::Authenticate(*ctx.sessions, req);
}

std::string PathParam(const Request& req, std::string_view name) {
  return std::string(req.PathParam(name).value_or(""));
}

// A JSON object body, or an empty object when the body is empty.
absl::StatusOr<boost::json::object> OptionalBody(const Request& req) {
  if (req.body().empty()) return boost::json::object();
  return ParseJsonObject(req.body());
}

absl::StatusOr<bool> BoolParam(const Request& req, std::string_view name) {
  const std::optional<std::string_view> text = req.Query(name);
  if (!text || *text == "false" || *text == "0") return false;
  if (*text == "true" || *text == "1" || text->empty()) return true;
  return InvalidField(name, fmt::format("{} must be true or false", name));
}

// A file name safe inside a quoted header parameter (ASCII fallback).
std::string AsciiFileName(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    out.push_back(ok ? c : '_');
  }
  return out.empty() ? "attachment" : out;
}

// RFC 8187 percent-encoding of UTF-8 text.
std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                    c == '_' || c == '~';
    if (ok) {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string CodesHeader(const std::vector<HandlingCode>& codes) {
  std::string out;
  for (HandlingCode c : codes)
    out += fmt::format("{}{}", out.empty() ? "" : ", ", HandlingCodeName(c));
  return out;
}

Response ViewResponse(int status, const MessageView& view) {
  Response r = http::JsonResponse(status, MessageViewToJson(view));
  r.AddHeader("Location",
              fmt::format("/api/v1/threads/{}", view.message.thread_id));
  return r;
}

absl::StatusOr<Response> SendRoute(const ExchangeRoutesContext& ctx,
                                   Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(Draft draft, DraftFromJson(body));
  JISR_ASSIGN_OR_RETURN(MessageView view,
                        ctx.exchange->Send(who, draft, purpose));
  return ViewResponse(201, view);
}

absl::StatusOr<Response> ListThreadsRoute(const ExchangeRoutesContext& ctx,
                                          Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  ThreadFilter filter;
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> page,
                        api::IntParam(req, "page", 1, 1000000));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                        api::IntParam(req, "page_size", 1, kMaxPageSize));
  filter.page = page.value_or(1);
  filter.page_size = size.value_or(20);
  if (std::optional<std::string_view> t = req.Query("link_type");
      t && !t->empty()) {
    filter.link_type = LinkTypeFromName(*t);
    if (!filter.link_type) {
      return InvalidField("link_type",
                          fmt::format("link_type must be one of: {}",
                                      fmt::join(LinkTypeNames(), ", ")));
    }
  }
  if (std::optional<std::string_view> id = req.Query("link_id");
      id && !id->empty()) {
    filter.link_id = std::string(*id);
  }
  if (std::optional<std::string_view> a = req.Query("agency");
      a && !a->empty()) {
    filter.agency = std::string(*a);
  }
  if (std::optional<std::string_view> c = req.Query("handling_code");
      c && !c->empty()) {
    filter.handling_code = HandlingCodeFromName(*c);
    if (!filter.handling_code)
      return InvalidField("handling_code",
                          "handling_code must be H0, H1, H2 or H3");
  }
  JISR_ASSIGN_OR_RETURN(filter.unread_only, BoolParam(req, "unread"));
  JISR_ASSIGN_OR_RETURN(ThreadPage result,
                        ctx.exchange->ListThreads(who, filter, purpose));
  boost::json::array threads;
  for (const ThreadSummary& s : result.threads)
    threads.push_back(ThreadSummaryToJson(s));
  boost::json::object out{{"threads", std::move(threads)},
                          {"page", result.page},
                          {"page_size", result.page_size},
                          {"total", result.total}};
  return http::JsonResponse(200, out);
}

absl::StatusOr<Response> GetThreadRoute(const ExchangeRoutesContext& ctx,
                                        Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  JISR_ASSIGN_OR_RETURN(
      ThreadView view,
      ctx.exchange->GetThread(who, PathParam(req, "id"), purpose));
  return http::JsonResponse(200, ThreadViewToJson(view));
}

absl::StatusOr<Response> ExportThreadRoute(const ExchangeRoutesContext& ctx,
                                           Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  const std::string id = PathParam(req, "id");
  JISR_ASSIGN_OR_RETURN(std::string text,
                        ctx.exchange->ExportThread(who, id, purpose));
  Response r;
  r.status = 200;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(text);
  r.AddHeader("Content-Disposition",
              fmt::format("attachment; filename=\"thread-{}.txt\"", id));
  return r;
}

absl::StatusOr<Response> ReadRoute(const ExchangeRoutesContext& ctx,
                                   Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, OptionalBody(req));
  JsonObjectReader r(body);
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_ASSIGN_OR_RETURN(
      MessageView view,
      ctx.exchange->MarkRead(who, PathParam(req, "id"), purpose));
  return http::JsonResponse(200, MessageViewToJson(view));
}

absl::StatusOr<Response> AckRoute(const ExchangeRoutesContext& ctx,
                                  Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, OptionalBody(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(std::optional<std::string> note,
                        r.OptionalString("note", kMaxNoteBytes));
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_ASSIGN_OR_RETURN(MessageView view,
                        ctx.exchange->Acknowledge(who, PathParam(req, "id"),
                                                  note.value_or(""), purpose));
  return http::JsonResponse(200, MessageViewToJson(view));
}

absl::StatusOr<Response> ForwardRoute(const ExchangeRoutesContext& ctx,
                                      Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JISR_ASSIGN_OR_RETURN(ForwardRequest request, ForwardRequestFromJson(body));
  JISR_ASSIGN_OR_RETURN(
      MessageView view,
      ctx.exchange->Forward(who, PathParam(req, "id"), request, purpose));
  return ViewResponse(201, view);
}

absl::StatusOr<Response> SearchRoute(const ExchangeRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  const std::optional<std::string_view> q = req.Query("q");
  if (!q || q->empty())
    return InvalidField("q", "q (the words to search for) is required");
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> page,
                        api::IntParam(req, "page", 1, 1000000));
  JISR_ASSIGN_OR_RETURN(std::optional<int64_t> size,
                        api::IntParam(req, "page_size", 1, kMaxPageSize));
  JISR_ASSIGN_OR_RETURN(SearchPage result,
                        ctx.exchange->Search(who, *q, page.value_or(1),
                                             size.value_or(20), purpose));
  boost::json::array results;
  for (const SearchHit& h : result.hits) results.push_back(SearchHitToJson(h));
  boost::json::object out{{"results", std::move(results)},
                          {"page", result.page},
                          {"page_size", result.page_size},
                          {"total", result.total}};
  return http::JsonResponse(200, out);
}

absl::StatusOr<Response> UploadRoute(const ExchangeRoutesContext& ctx,
                                     Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  absl::StatusOr<StoredAttachment> stored =
      ctx.exchange->Upload(who, req.body(), purpose);
  if (stored.status().code() == absl::StatusCode::kResourceExhausted) {
    return http::MakeProblem(413, "payload-too-large",
                             FromAbsl(stored.status().message()), {},
                             std::string_view("body"), req.path());
  }
  if (!stored.ok()) return stored.status();
  boost::json::object out{{"hash", stored->hash},
                          {"size", stored->size},
                          {"algorithm", "blake2b-256"},
                          {"new_bytes", stored->created}};
  Response r = http::JsonResponse(201, out);
  r.AddHeader("Location", fmt::format("/api/v1/attachments/{}", stored->hash));
  return r;
}

absl::StatusOr<Response> DownloadRoute(const ExchangeRoutesContext& ctx,
                                       Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  JISR_ASSIGN_OR_RETURN(
      AttachmentDownload d,
      ctx.exchange->Download(who, PathParam(req, "hash"), purpose));
  Response r;
  r.status = 200;
  r.content_type = "application/octet-stream";
  r.body = std::move(d.bytes);
  r.AddHeader("Content-Disposition",
              fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}",
                          AsciiFileName(d.name), PercentEncode(d.name)));
  r.AddHeader("X-Attachment-Hash", fmt::format("blake2b-256={}", d.hash));
  // The type the sender declared (checked as type/subtype tokens on input);
  // the body is served as octet-stream so no browser renders it inline.
  r.AddHeader("X-Declared-Media-Type", d.media_type);
  r.AddHeader("X-Handling-Codes", CodesHeader(d.handling_codes));
  for (HandlingCode c : d.handling_codes) {
    if (c != HandlingCode::kH3)
      r.AddHeader("X-Handling-Marking", Marking(c, ""));
  }
  return r;
}

absl::StatusOr<Response> ListUnitsRoute(const ExchangeRoutesContext& ctx,
                                        Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::vector<Unit> units, ctx.exchange->ListUnits(who));
  boost::json::array list;
  for (const Unit& u : units) list.push_back(UnitToJson(u));
  return http::JsonResponse(200,
                            boost::json::object{{"units", std::move(list)}});
}

absl::StatusOr<Response> PutUnitRoute(const ExchangeRoutesContext& ctx,
                                      Request& req) {
  JISR_ASSIGN_OR_RETURN(Principal who, Authenticate(ctx, req));
  JISR_ASSIGN_OR_RETURN(std::string purpose, api::Purpose(req));
  JISR_ASSIGN_OR_RETURN(boost::json::object body, api::Body(req));
  JsonObjectReader r(body);
  JISR_ASSIGN_OR_RETURN(std::string name,
                        r.RequiredString("name", kMaxUnitNameBytes));
  r.MarkRead("members");
  std::vector<std::string> members;
  if (const boost::json::value* list = body.if_contains("members");
      list != nullptr && !list->is_null()) {
    if (!list->is_array())
      return InvalidField("members", "members must be an array of user ids");
    for (size_t i = 0; i < list->get_array().size(); ++i) {
      const boost::json::value& v = list->get_array()[i];
      if (!v.is_string())
        return InvalidField(fmt::format("members[{}]", i),
                            "a member is a user id");
      members.emplace_back(v.get_string());
    }
  }
  JISR_RETURN_IF_ERROR(r.RejectUnknown());
  JISR_ASSIGN_OR_RETURN(Unit unit,
                        ctx.exchange->PutUnit(who, PathParam(req, "code"), name,
                                              members, purpose));
  return http::JsonResponse(200, UnitToJson(unit));
}

}  // namespace

absl::Status AddExchangeRoutes(http::Router& router,
                               const ExchangeRoutesContext& context) {
  const ExchangeRoutesContext* ctx = &context;
  struct Entry {
    Method method;
    std::string_view pattern;
    std::string_view name;
    absl::StatusOr<Response> (*fn)(const ExchangeRoutesContext&, Request&);
  };
  static constexpr Entry kRoutes[] = {
      {Method::kPost, "/api/v1/messages", "messages.send", &SendRoute},
      {Method::kGet, "/api/v1/messages/search", "messages.search",
       &SearchRoute},
      {Method::kPost, "/api/v1/messages/{id}/read", "messages.read",
       &ReadRoute},
      {Method::kPost, "/api/v1/messages/{id}/ack", "messages.ack", &AckRoute},
      {Method::kPost, "/api/v1/messages/{id}/forward", "messages.forward",
       &ForwardRoute},
      {Method::kGet, "/api/v1/threads", "threads.list", &ListThreadsRoute},
      {Method::kGet, "/api/v1/threads/{id}", "threads.get", &GetThreadRoute},
      {Method::kGet, "/api/v1/threads/{id}/export", "threads.export",
       &ExportThreadRoute},
      {Method::kPost, "/api/v1/attachments", "attachments.upload",
       &UploadRoute},
      {Method::kGet, "/api/v1/attachments/{hash}", "attachments.download",
       &DownloadRoute},
      {Method::kGet, "/api/v1/units", "units.list", &ListUnitsRoute},
      {Method::kPut, "/api/v1/units/{code}", "units.put", &PutUnitRoute},
  };
  for (const Entry& e : kRoutes) {
    JISR_RETURN_IF_ERROR(router.Add(
        e.method, e.pattern, e.name,
        api::Wrap([ctx, fn = e.fn](Request& req) { return fn(*ctx, req); })));
  }
  return absl::OkStatus();
}

}  // namespace jisr::exchange
